#!/usr/bin/env python3
"""bench/soak.py: does ncpd's memory stay flat under a long read load? (`make soak`)

Starts the release build on a fresh SQLite database with 1000 servers, then runs
signed getServerInstanceList requests at 64 connections for SOAK_SECONDS (default
600): half of the connections ask for one server (answered mostly from the answer
cache), half for a page of 100 servers (rendered every time). Signatures stay valid
for five minutes, so wrk runs in segments of SOAK_SEGMENT seconds (default 120),
each freshly signed. ncpd's resident memory (VmRSS) is sampled every 10 s; the
verdict compares the last sample with the one at the first minute (target: growth
under 1 MiB). Writes bench/results/soak.md.
"""
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as B  # noqa: E402  (the bench's daemon, wrk and signing helpers)

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
SEGMENT = int(os.environ.get("SOAK_SEGMENT", "120"))
CONNS = int(os.environ.get("SOAK_CONNS", "64"))
SAMPLE_S = 10


def main():
    os.makedirs(B.RESULTS, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="ncpd-soak-")
    d = B.Ncpd(os.path.join(tmp, "soak.db"), step_ms=0)
    nos = B.create_servers(d, 1000)
    one = "responseFormatType=xml&serverInstanceNoList.1=%s" % nos[0]
    page = "responseFormatType=json&pageNo=2&pageSize=100"
    url = "http://127.0.0.1:%d/server/v2/getServerInstanceList" % d.port
    samples = []  # (seconds since start, RSS MiB, requests so far)
    done = threading.Event()
    total = [0.0]

    def sampler():
        t0 = time.monotonic()
        while not done.is_set():
            samples.append((time.monotonic() - t0, d.rss_mib(), total[0]))
            done.wait(SAMPLE_S)

    th = threading.Thread(target=sampler)
    th.start()
    t_end = time.monotonic() + SECONDS
    bad = 0
    try:
        while True:
            left = int(t_end - time.monotonic())
            if left < 2:
                break
            secs = min(SEGMENT, left)
            r = B.wrk_together([
                (url, CONNS // 2, B.fixed_args("getServerInstanceList", one), secs),
                (url, CONNS - CONNS // 2, B.fixed_args("getServerInstanceList", page), secs)])
            total[0] += r["rps"] * secs
            bad += r["bad"]
            B.log("soak: %d s segment %.0f req/s, RSS %.1f MiB" % (secs, r["rps"], d.rss_mib()))
    finally:
        done.set()
        th.join()
        samples.append((SECONDS, d.rss_mib(), total[0]))
        d.stop()
    at_minute = next((s for s in samples if s[0] >= 60), samples[0])
    last = samples[-1]
    growth = last[1] - at_minute[1]
    lines = ["# ncpd memory soak", "",
             "Signed getServerInstanceList at %d connections for %d s (half one server, half a"
             " page of 100), release build, SQLite WAL, %d cores; VmRSS every %d s." % (
                 CONNS, SECONDS, os.cpu_count(), SAMPLE_S), "",
             "Requests: %.1f million, non-success %d. RSS at start %.1f MiB, at the first minute"
             " %.1f MiB, at the end %.1f MiB: growth after the first minute **%.2f MiB** (target"
             " < 1 MiB: %s)." % (total[0] / 1e6, bad, samples[0][1], at_minute[1], last[1], growth,
                                 "met" if growth < 1.0 else "missed"), "",
             "| s | RSS MiB | requests (M) |", "|---|---|---|"]
    for t, rss, n in samples:
        lines.append("| %.0f | %.1f | %.2f |" % (t, rss, n / 1e6))
    path = os.path.join(B.RESULTS, "soak.md")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    B.log("wrote %s: growth after the first minute %.2f MiB" % (path, growth))


if __name__ == "__main__":
    main()

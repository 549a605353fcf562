#!/usr/bin/env python3
"""What the console's polling costs (issue 15): one signed-in page polls
getServerInstanceList for the page it shows (20 rows) every second while a
transition runs and every five seconds otherwise.

Starts ncpd (build/ncpd, or NCPD_BIN) on a temporary database, creates
CONSOLE_BENCH_SERVERS servers (default 5000) in one account, signs in to the
console, then times N polls of each kind the page sends (first page, a name
filter, a status filter, a deep page) through the console API, and reads the
daemon's CPU time from /proc. Never part of `make test`:

    python3 bench/console_poll.py            # prints a Markdown table
"""

import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

from ncpd_harness import Daemon  # noqa: E402
from test_console import Console  # noqa: E402

SERVERS = int(os.environ.get("CONSOLE_BENCH_SERVERS", "5000"))
POLLS = int(os.environ.get("CONSOLE_BENCH_POLLS", "300"))


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    d = Daemon(sim_step_ms=0, fixture=None)
    d.start()
    try:
        client = d.client()
        r = client.call("createLoginKey", {"keyName": "bench-key"}, method="POST", fmt="json")
        if r.status != 200:
            raise SystemExit("createLoginKey failed: %r" % r)
        t0 = time.monotonic()
        made = 0
        while made < SERVERS:
            n = min(20, SERVERS - made)
            r = client.call("createServerInstances", {"serverImageProductCode": "SPSW0LINUX000046",
                                                      "serverName": "bench-%05d" % made,
                                                      "serverCreateCount": str(n)},
                            method="POST", fmt="json")
            if r.status != 200:
                raise SystemExit("create failed: %r" % r)
            made += n
        print("created %d servers in %.1f s" % (SERVERS, time.monotonic() - t0), file=sys.stderr)
        time.sleep(1.0)  # let the scheduler finish the create transitions
        c = Console(d)
        if c.sign_in().status != 200:
            raise SystemExit("sign-in failed")
        base = [("sortedBy", "serverInstanceNo"), ("sortingOrder", "descending"),
                ("pageSize", "20")]
        kinds = {
            "first page (20 of %d)" % SERVERS: base + [("pageNo", "1")],
            "name filter, first page": base + [("pageNo", "1"), ("searchFilterName", "serverName"),
                                               ("searchFilterValue", "bench-0420")],
            "status filter RUN, first page": base + [("pageNo", "1"),
                                                     ("serverInstanceStatusCode", "RUN")],
            "last page": base + [("pageNo", str((SERVERS + 19) // 20))],
        }
        rows = []
        for label, params in kinds.items():
            c.api("getServerInstanceList", params)  # warm the rendering cache
            times, size = [], 0
            cpu0 = cpu_seconds(d.proc.pid)
            for _ in range(POLLS):
                t = time.perf_counter()
                r = c.api("getServerInstanceList", params)
                times.append((time.perf_counter() - t) * 1000)
                if r.status != 200:
                    raise SystemExit("poll failed: %r" % r)
                size = len(r.body)
            cpu = (cpu_seconds(d.proc.pid) - cpu0) / POLLS * 1000
            times.sort()
            rows.append((label, statistics.mean(times), times[int(len(times) * 0.99) - 1], cpu,
                         size))
        print("| poll | mean ms | p99 ms | ncpd CPU ms/poll | bytes |")
        print("|---|---:|---:|---:|---:|")
        for label, mean, p99, cpu, size in rows:
            print("| %s | %.2f | %.2f | %.2f | %d |" % (label, mean, p99, cpu, size))
    finally:
        d.cleanup()


if __name__ == "__main__":
    main()

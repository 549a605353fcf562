#!/usr/bin/env python3
"""tests/run_suites.py: run the test modules of a directory, several at a time.

    python3 tests/run_suites.py [-j N] [-p PATTERN] [--times FILE] DIR

Each module `test_*.py` of DIR runs in its own `python3 -m unittest MODULE`
process (its own daemons, ports, temporary directories and, on PostgreSQL,
databases named after its pid), N of them at a time (default: the CPU count).
Most of an end-to-end module's time is spent waiting for daemons and timers,
so two cores carry more than two modules at once. Modules start longest
first, from the durations of the previous run kept in FILE, so that the last
one to finish is a short one. A module's output is shown when it fails (and
with -v); the exit status is 1 when any module failed.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-p", default="test_*.py")
    ap.add_argument("--times", default=None)
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()

    mods = sorted(os.path.basename(f)[:-3] for f in glob.glob(os.path.join(a.dir, a.p)))
    if not mods:
        print("run_suites: no module matches %s in %s" % (a.p, a.dir))
        return 1
    known = {}
    if a.times and os.path.exists(a.times):
        try:
            with open(a.times) as f:
                known = json.load(f)
        except (OSError, ValueError):
            known = {}
    queue = sorted(mods, key=lambda m: -known.get(m, 1e9))  # unknown ones first
    lock = threading.Lock()
    results = {}
    t_start = time.monotonic()

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                m = queue.pop(0)
            with tempfile.TemporaryFile() as out:
                t0 = time.monotonic()
                rc = subprocess.call([sys.executable, "-m", "unittest", m], cwd=a.dir,
                                     stdout=out, stderr=subprocess.STDOUT)
                dt = time.monotonic() - t0
                out.seek(0)
                text = out.read().decode("utf-8", "replace")
            tail = [ln for ln in text.splitlines() if ln.startswith(("Ran ", "OK", "FAILED"))]
            with lock:
                results[m] = (rc, dt)
                print("run_suites: %-4s %6.1f s  %s  %s" % ("ok" if rc == 0 else "FAIL", dt, m,
                                                           " ".join(tail[-2:])), flush=True)
                if rc != 0 or a.v:
                    print(text, flush=True)

    threads = [threading.Thread(target=worker) for _ in range(max(1, a.j))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = sorted(m for m, (rc, _) in results.items() if rc != 0)
    if a.times:
        known.update({m: round(dt, 1) for m, (_, dt) in results.items()})
        try:
            with open(a.times, "w") as f:
                json.dump(known, f, indent=0, sort_keys=True)
        except OSError:
            pass
    print("run_suites: %d modules in %.0f s at -j %d; %s" % (
        len(results), time.monotonic() - t_start, a.j,
        "failed: " + " ".join(failed) if failed else "all passed"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

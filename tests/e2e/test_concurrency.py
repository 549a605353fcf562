"""Concurrent clients: racing stops, all-or-nothing under contention, parallel reads."""

import json
import os
import time
import threading
import unittest
from concurrent.futures import ThreadPoolExecutor

from ncpd_harness import MSG, NcpdTestCase, lenient_inner, no_list, skip_on_pg, wait_for


def run_parallel(n, fn):
    """Run fn(i) in n threads released together by a barrier; return results in order."""
    barrier = threading.Barrier(n)

    def task(i):
        barrier.wait(timeout=10)
        return fn(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(task, range(n)))


def code_of(resp):
    """returnCode of a JSON API answer (success or responseError)."""
    if resp.status < 300:
        return lenient_inner(resp.body)["returnCode"]
    body = json.loads(resp.body)
    return body["responseError"]["returnCode"] if "responseError" in body else repr(body)


class ConcurrencyTest(NcpdTestCase):

    def setUp(self):
        self.d = self.new_daemon(sim_step_ms=30000)
        self.c = self.d.client()

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def test_16_concurrent_stops_exactly_one_wins(self):
        n = 16
        results = run_parallel(n, lambda i: self.d.client().call(
            "stopServerInstances", no_list(["1021003"]), method="POST", fmt="json"))
        codes = sorted(code_of(r) for r in results)
        self.assertEqual(codes.count("0"), 1, codes)
        self.assertEqual(codes.count("25041"), n - 1, codes)
        for r in results:
            if r.status == 200:
                self.assert_success(r, "json", "stopServerInstances")
            else:
                self.assert_api_error(r, "json", 25041, MSG["25041"])
        self.assert_state(self.c, "1021003", "RUN", "SHTDN")

    def test_concurrent_starts_exactly_one_wins_xml(self):
        n = 12
        results = run_parallel(n, lambda i: self.d.client().call(
            "startServerInstances", no_list(["1021005"])))
        ok = [r for r in results if r.status == 200]
        self.assertEqual(len(ok), 1, results)
        self.assert_success(ok[0], "xml", "startServerInstances")
        for r in results:
            if r.status != 200:
                self.assert_api_error(r, "xml", 25041, MSG["25041"])
        self.assert_state(self.c, "1021005", "NSTOP", "START")

    def test_overlapping_multi_stops_are_all_or_nothing(self):
        lists = [["1021003", "1021004"], ["1021004", "1021003"]] * 4
        results = run_parallel(len(lists), lambda i: self.d.client().call(
            "stopServerInstances", no_list(lists[i]), method="POST", fmt="json"))
        codes = [code_of(r) for r in results]
        self.assertEqual(codes.count("0"), 1, codes)
        self.assertEqual(codes.count("25041"), len(lists) - 1, codes)
        winner = results[codes.index("0")]
        inner = lenient_inner(winner.body)
        self.assertEqual(inner["totalRows"], 2)
        self.assertEqual(self.c.states(), {"1021003": ("RUN", "SHTDN"),
                                           "1021004": ("RUN", "SHTDN"),
                                           "1021005": ("NSTOP", "NULL"),
                                           "1021006": ("NSTOP", "NULL")})

    def test_disjoint_concurrent_actions_all_succeed(self):
        jobs = [("stopServerInstances", "1021003"), ("stopServerInstances", "1021004"),
                ("startServerInstances", "1021005"), ("startServerInstances", "1021006")]
        results = run_parallel(len(jobs), lambda i: self.d.client().call(
            jobs[i][0], no_list([jobs[i][1]]), method="POST", fmt="json"))
        for (action, _), r in zip(jobs, results):
            self.assert_success(r, "json", action)
        self.assertEqual(self.c.states(), {"1021003": ("RUN", "SHTDN"),
                                           "1021004": ("RUN", "SHTDN"),
                                           "1021005": ("NSTOP", "START"),
                                           "1021006": ("NSTOP", "START")})

    def test_many_parallel_readers(self):
        threads, per_thread = 32, 15

        def reader(i):
            c = self.d.client()
            out = []
            for k in range(per_thread):
                fmt = "json" if (i + k) % 2 else "xml"
                method = "POST" if k % 3 == 0 else "GET"
                r = c.call("getServerInstanceList", method=method, fmt=fmt)
                obj = self.assert_success(r, fmt, "getServerInstanceList")
                out.append(int(obj["totalRows"]))
            return out

        results = run_parallel(threads, reader)
        flat = [x for rs in results for x in rs]
        self.assertEqual(len(flat), threads * per_thread)
        self.assertEqual(set(flat), {4})

    def test_readers_during_writes_see_consistent_states(self):
        """While stops/starts race, every read shows only valid (status, operation) pairs."""
        valid = {("RUN", "NULL"), ("RUN", "SHTDN"), ("NSTOP", "NULL"), ("NSTOP", "START")}
        stop = threading.Event()
        seen_bad = []

        def reader():
            c = self.d.client()
            while not stop.is_set():
                try:
                    for no, st in c.states().items():
                        if st not in valid:
                            seen_bad.append((no, st))
                except Exception as exc:  # noqa: BLE001 - reported below
                    seen_bad.append(("read failed", repr(exc)))
                    return

        readers = [threading.Thread(target=reader) for _ in range(4)]
        for t in readers:
            t.start()
        try:
            jobs = [("stopServerInstances", "1021003"), ("startServerInstances", "1021005")] * 6
            results = run_parallel(len(jobs), lambda i: self.d.client().call(
                jobs[i][0], no_list([jobs[i][1]]), fmt="json"))
        finally:
            stop.set()
            for t in readers:
                t.join(timeout=20)
        codes = [code_of(r) for r in results]
        self.assertEqual(codes.count("0"), 2, codes)
        self.assertEqual(seen_bad, [])


    def test_many_simultaneous_connections(self):
        n = 150
        results = run_parallel(n, lambda i: self.d.client().call(
            "getServerInstanceList", no_list([("1021003", "1021004", "1021005", "1021006")[i % 4]]),
            fmt="json", method="POST" if i % 2 else "GET"))
        for i, r in enumerate(results):
            inner = self.assert_success(r, "json", "getServerInstanceList")
            self.assertEqual(inner["totalRows"], 1)
            self.assertEqual(inner["serverInstanceList"][0]["serverInstanceNo"],
                             ("1021003", "1021004", "1021005", "1021006")[i % 4])

    def test_account_cli_while_daemon_is_busy(self):
        """CLI writes to the same SQLite db while the daemon serves; nobody gets 'locked'."""
        stop = threading.Event()
        failures = []
        count = [0]

        def reader():
            c = self.d.client()
            while not stop.is_set():
                try:
                    r = c.call("getServerInstanceList", fmt="json")
                    if r.status != 200:
                        failures.append(r)
                    count[0] += 1
                except Exception as exc:  # noqa: BLE001 - reported below
                    failures.append(exc)
                    return

        readers = [threading.Thread(target=reader) for _ in range(6)]
        for t in readers:
            t.start()
        try:
            keys = [self.d.create_account("busy-%d" % i) for i in range(5)]
            r = self.d.cli("account", "disable-key", keys[0][0])
            self.assertEqual(r.returncode, 0, r)
        finally:
            stop.set()
            for t in readers:
                t.join(timeout=20)
        self.assertEqual(failures, [])
        self.assertGreater(count[0], 0)
        for ak, sk in keys[1:]:
            r = self.d.client(ak, sk).call("getServerInstanceList", fmt="json")
            self.assertEqual(self.assert_success(r, "json", "getServerInstanceList")["totalRows"],
                             0)
        r = self.d.client(*keys[0]).call("getServerInstanceList", fmt="json")
        self.assert_gateway_error(r, 401, "200", "Authentication Failed")

    def test_kill9_under_concurrent_writes_loses_no_answered_transition(self):
        jobs = {"1021003": ("stopServerInstances", ("RUN", "NULL")),
                "1021004": ("stopServerInstances", ("RUN", "NULL")),
                "1021005": ("startServerInstances", ("NSTOP", "NULL")),
                "1021006": ("startServerInstances", ("NSTOP", "NULL"))}
        answered = {}
        started = threading.Barrier(len(jobs) + 1)

        def writer(no):
            action = jobs[no][0]
            c = self.d.client()
            started.wait(timeout=10)
            for _ in range(200):
                try:
                    r = c.call(action, no_list([no]), method="POST", fmt="json")
                except OSError:
                    return
                if r.status == 200:
                    answered[no] = True
                    return

        threads = [threading.Thread(target=writer, args=(no,)) for no in jobs]
        for t in threads:
            t.start()
        started.wait(timeout=10)
        wait_for(lambda: len(answered) >= 2, timeout=10, message="two answered transitions")
        self.d.kill9()
        for t in threads:
            t.join(timeout=20)
        self.d.start()
        states = self.c.states()
        for no in answered:
            self.assertNotEqual(states[no], jobs[no][1],
                                "answered %s of %s lost after kill -9" % (jobs[no][0], no))
        valid = {("RUN", "NULL"), ("RUN", "SHTDN"), ("NSTOP", "NULL"), ("NSTOP", "START")}
        self.assertTrue(set(states.values()) <= valid, states)


if __name__ == "__main__":
    unittest.main()


class WalBoundTest(NcpdTestCase):
    """SQLite's automatic checkpoints are off (no commit pays for one); the scheduler's
    housekeeping moves the log into the database file, so the log stays bounded."""

    @skip_on_pg("the log file is SQLite's")
    def test_log_stays_bounded_under_writes(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        wal = d.db + "-wal"
        nos = sorted(n for n, st in c.states().items() if st == ("RUN", "NULL"))[:2]
        self.assertEqual(len(nos), 2)
        # each commit appends whole pages to the log; 1500 commits without a checkpoint
        # leave well over 6 MB in it
        for lap in range(750):
            action = "stopServerInstances" if lap % 2 == 0 else "startServerInstances"
            want = "NSTOP" if lap % 2 == 0 else "RUN"
            r = c.call(action, no_list(nos), method="POST", fmt="json")
            self.assertEqual(r.status, 200, r.body)
            wait_for(lambda: all(c.state(n)[0] == want for n in nos), timeout=10,
                     message="servers " + want)
        time.sleep(0.6)  # two housekeeping periods
        # the log is reused from its start once checkpointed: its size stays that of
        # the largest burst between two checkpoints
        size = os.path.getsize(wal) if os.path.exists(wal) else 0
        self.assertLess(size, 4 * 1024 * 1024, "log %d bytes" % size)
        self.assertTrue(d.alive())

"""Concurrency: 64 clients race stop/start/reboot/terminate on the same 10 servers.

Checks:
- every answer is a success or a documented conflict (25041, 28005, 25022, 25017, and
  24120 only once the server may be terminated), with its exact message; never 500/1300,
  never an unanswered request;
- a success shows the first state of its transition for exactly the servers requested;
- no transition is applied twice: for each server the successful answers must admit an
  order that (a) respects real time (an answer received before another request was sent
  comes first) and (b) is a run of the state machine RUN -stop-> NSTOP -start-> RUN,
  RUN -reboot-> RUN, NSTOP -terminate-> gone (reliability_util.linearize; exact, so a
  failure means the daemon really applied an impossible sequence);
- the settled final state of each server is the one that run ends in.

Some requests name 2 or 3 servers (all-or-nothing, DECISIONS D2). Terminate joins the mix
for the last quarter of the run.

Environment: NCPD_RACE_SECONDS (default 10), NCPD_RACE_THREADS (64),
NCPD_RACE_SERVERS (10), NCPD_RACE_STEP_MS (20), NCPD_R_SEED.
"""

import http.client
import random
import sys
import threading
import time
import unittest

from ncpd_harness import MSG, NcpdTestCase
from reliability_util import (LINUX_IMAGE, classify, env_float, env_int, integrity_check,
                              linearize, list_all_servers, rng, run_threads, server_state,
                              transition_invariants)

ACTION_NAME = {"stop": "stopServerInstances", "start": "startServerInstances",
               "reboot": "rebootServerInstances", "terminate": "terminateServerInstances"}
FIRST_STATE = {"stop": ("RUN", "SHTDN"), "start": ("NSTOP", "START"),
               "reboot": ("RUN", "RESTA"), "terminate": ("NSTOP", "TERMT")}
CONFLICTS = {"stop": {"25041", "28005", "24120"}, "start": {"25041", "24120"},
             "reboot": {"25041", "24120"}, "terminate": {"25022", "25017", "24120"}}
MESSAGES = {
    "25041": MSG["25041"], "28005": MSG["28005"], "24120": MSG["24120"],
    "25022": "Unable to return the server since (other) user is either operating target "
             "server or an error in the target server. Please confirm the status of server/ "
             "storage.",
    "25017": None,  # text not fixed by compat.md: any non-empty message
}
FINAL = {"RUN": ("RUN", "NULL"), "NSTOP": ("NSTOP", "NULL"), "GONE": None}


class RaceTest(NcpdTestCase):

    def test_64_clients_race_on_10_servers(self):
        seconds = env_float("NCPD_RACE_SECONDS", 10.0)
        nthreads = env_int("NCPD_RACE_THREADS", 64)
        nservers = env_int("NCPD_RACE_SERVERS", 10)
        step = env_int("NCPD_RACE_STEP_MS", 20)
        rand, seed = rng("race")
        d = self.new_daemon(fixture=None, sim_step_ms=step)
        c = d.client()
        a = classify(c.call("createLoginKey", [("keyName", "race-key")], method="POST",
                            fmt="json"), "json")
        self.assertEqual(a.kind, "success", a)
        a = classify(c.call("createServerInstances",
                            [("serverImageProductCode", LINUX_IMAGE), ("serverName", "race"),
                             ("serverCreateCount", str(nservers))], method="POST", fmt="json"),
                     "json")
        self.assertEqual(a.kind, "success", a)
        nos = [s["serverInstanceNo"] for s in a.inner["serverInstanceList"]]
        self.assertEqual(len(nos), nservers)
        self.wait_settled(c, nos, timeout=30)

        log = []          # (kind, [nos], t0, t1, Answer, problem)
        lock = threading.Lock()
        t_start = time.monotonic()
        t_end = t_start + seconds
        t_terminate = t_start + seconds * 0.75

        def worker(i):
            r = random.Random(rand.random())
            cl = d.client()
            cl.timeout = 60.0
            while True:
                now = time.monotonic()
                if now >= t_end:
                    return
                kind = r.choices(["stop", "start", "reboot", "terminate"],
                                 [10, 10, 10, 1 if now >= t_terminate else 0])[0]
                k = 1 if r.random() < 0.85 else r.choice([2, 3])
                targets = r.sample(nos, k)
                params = [("serverInstanceNoList.%d" % (j + 1), n) for j, n in
                          enumerate(targets)]
                fmt = "json" if r.random() < 0.7 else "xml"
                t0 = time.monotonic()
                try:
                    resp = cl.call(ACTION_NAME[kind], params, method="POST", fmt=fmt)
                    t1 = time.monotonic()
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        log.append((kind, targets, t0, time.monotonic(), None,
                                    "no answer: %r" % exc))
                    continue
                ans = classify(resp, fmt)
                problem = self.check_answer(kind, targets, ans, resp, fmt)
                with lock:
                    log.append((kind, targets, t0, t1, ans, problem))

        threads, errors = run_threads(nthreads, worker, name="race")
        for t in threads:
            t.join(timeout=seconds + 120)
        self.assertFalse([t for t in threads if t.is_alive()], "client threads hung")
        self.assertFalse(errors, errors[:3])
        elapsed = time.monotonic() - t_start
        self.assertTrue(d.alive(), "ncpd died: %s" % d.log_tail())

        # --- per-answer checks ---------------------------------------------------
        problems = ["%s %s: %s" % (k, tg, p) for k, tg, _, _, _, p in log if p]
        codes = {}
        for kind, targets, t0, t1, ans, _ in log:
            key = ans.code if ans is not None else "none"
            codes[key] = codes.get(key, 0) + 1

        # --- per-server linearization -----------------------------------------------
        events = {n: [] for n in nos}
        for kind, targets, t0, t1, ans, _ in log:
            if ans is not None and ans.kind == "success":
                for n in targets:
                    events[n].append({"kind": kind, "t0": t0 - t_start, "t1": t1 - t_start,
                                      "note": "+".join(targets) if len(targets) > 1 else ""})
        finals = {}
        for n in nos:
            try:
                finals[n], _ = linearize(events[n])
            except AssertionError as exc:
                problems.append("server %s: %s" % (n, exc))
                finals[n] = None
        # 24120 only once a terminate of that server may have been committed
        for kind, targets, t0, t1, ans, _ in log:
            if ans is not None and ans.code == "24120":
                if not any(e["kind"] == "terminate" and e["t0"] < t1 - t_start
                           for n in targets for e in events[n]):
                    problems.append("%s %s answered 24120 at %.4f..%.4f before any terminate "
                                    "of these servers was requested successfully"
                                    % (kind, targets, t0 - t_start, t1 - t_start))

        # --- settled final states ------------------------------------------------------
        states = self.wait_settled(c, nos, timeout=30)
        for n in nos:
            if finals[n] is None:
                continue
            want = FINAL[finals[n]]
            got = states.get(n)
            got = got[:2] if got else None
            if got != want:
                problems.append("server %s settled at %s but its successful answers end in %s "
                                "(%d successes: %s)" % (n, got, want, len(events[n]),
                                                        [e["kind"] for e in events[n]][-8:]))

        ok = {}
        for kind, targets, t0, t1, ans, _ in log:
            if ans is not None and ans.kind == "success":
                ok[kind] = ok.get(kind, 0) + 1
        print("\n[race] threads=%d servers=%d seconds=%.1f step=%dms requests=%d (%.0f/s) "
              "successes=%d (%s) answers by code: %s; per-server successes: %s; "
              "final: %s; seed=%d"
              % (nthreads, nservers, elapsed, step, len(log), len(log) / elapsed,
                 sum(ok.values()), " ".join("%s=%d" % kv for kv in sorted(ok.items())),
                 " ".join("%s=%d" % kv for kv in sorted(codes.items())),
                 [len(events[n]) for n in nos], [finals[n] for n in nos], seed),
              file=sys.stderr)
        self.assertFalse(problems, "%d problem(s) (seed %d):\n  %s"
                         % (len(problems), seed, "\n  ".join(problems[:25])))
        self.assertGreater(sum(ok.values()), nservers, "hardly any successful transition")

    def test_mixed_writers_and_readers(self):
        """Everything at once (create, change spec, protection, login keys, terminate,
        reads, faults): never a 5xx or a malformed answer, and afterwards every server
        settles and the store invariants hold. Mostly there to give ThreadSanitizer
        (make test-tsan) the whole daemon to look at."""
        seconds = env_float("NCPD_RACE_MIXED_SECONDS", 6.0)
        nthreads = env_int("NCPD_RACE_MIXED_THREADS", 32)
        rand, seed = rng("race-mixed")
        d = self.new_daemon(fixture="seed", sim_step_ms=15, admin_token="race-admin")
        c = d.client()
        self.assertEqual(classify(c.call("createLoginKey", [("keyName", "mixed-key")],
                                         method="POST", fmt="json"), "json").kind, "success")
        prods = classify(c.call("getServerProductList",
                                [("serverImageProductCode", LINUX_IMAGE)], fmt="json"), "json")
        products = [p["productCode"] for p in prods.inner["productList"]][:3]
        t_end = time.monotonic() + seconds
        log = []
        lock = threading.Lock()

        def nos_now(cl):
            try:
                return list(list_all_servers(cl))
            except AssertionError:
                return []

        def worker(i):
            r = random.Random(rand.random())
            cl = d.client()
            cl.timeout = 60.0
            n = 0
            known = nos_now(cl)
            while time.monotonic() < t_end:
                n += 1
                if n % 10 == 0:
                    known = nos_now(cl) or known
                pick = (lambda: r.choice(known)) if known else (lambda: "1021003")
                what = r.choice(["create", "stop", "start", "reboot", "terminate", "spec",
                                 "protect", "key", "list", "list", "fault"])
                if what == "create":
                    req = ("createServerInstances",
                           [("serverImageProductCode", LINUX_IMAGE),
                            ("serverName", "mx-%d-%d" % (i, n)),
                            ("serverCreateCount", str(r.choice([1, 1, 2, 3])))])
                elif what in ACTION_NAME:
                    req = (ACTION_NAME[what], [("serverInstanceNoList.1", pick())])
                elif what == "spec":
                    req = ("changeServerInstanceSpec", [("serverInstanceNo", pick()),
                                                        ("serverProductCode",
                                                         r.choice(products))])
                elif what == "protect":
                    req = ("setProtectServerTermination",
                           [("serverInstanceNo", pick()),
                            ("isProtectServerTermination", r.choice(["true", "false"]))])
                elif what == "key":
                    name = "mk-%d-%d" % (i, r.randrange(3))
                    req = (r.choice(["createLoginKey", "deleteLoginKey"]), [("keyName", name)])
                elif what == "fault":
                    # the driver fails the next call on one server: 22001 / 1300 are then
                    # legitimate answers for that server, so only count them
                    resp = d.fault(r.choice(["stopServerInstances", "startServerInstances"]),
                                   pick(), times=1)
                    with lock:
                        log.append(("fault", resp.status, None))
                    continue
                else:
                    req = ("getServerInstanceList", [])
                fmt = r.choice(["json", "xml"])
                try:
                    resp = cl.call(req[0], req[1], method=r.choice(["GET", "POST"]), fmt=fmt)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        log.append((req[0], "no answer %r" % exc, None))
                    continue
                ans = classify(resp, fmt)
                with lock:
                    log.append((req[0], ans, resp))

        threads, errors = run_threads(nthreads, worker, name="mixed")
        for t in threads:
            t.join(timeout=seconds + 120)
        self.assertFalse(errors, errors[:3])
        self.assertTrue(d.alive(), d.log_tail())
        problems = []
        codes = {}
        for action, ans, resp in log:
            if action == "fault":
                continue
            if isinstance(ans, str):
                problems.append("%s: %s" % (action, ans))
                continue
            codes[ans.code] = codes.get(ans.code, 0) + 1
            if ans.kind == "success":
                continue
            if ans.kind == "api_error" and ans.code in ("1300", "22001") and \
                    action in ("stopServerInstances", "startServerInstances"):
                continue  # injected driver fault
            if ans.kind != "api_error" or not 400 <= ans.http < 500:
                problems.append("%s: %r %r" % (action, ans, resp))
        self.wait_settled(c, [], timeout=30)
        problems += transition_invariants(d.db, settled=True)
        print("\n[race-mixed] threads=%d seconds=%.0f requests=%d answers by code: %s seed=%d"
              % (nthreads, seconds, len(log),
                 " ".join("%s=%d" % kv for kv in sorted(codes.items())), seed),
              file=sys.stderr)
        self.assertFalse(problems, "%d problem(s) (seed %d):\n  %s"
                         % (len(problems), seed, "\n  ".join(problems[:25])))
        self.assertEqual(d.stop(), 0, "ncpd did not exit cleanly: %s" % d.log_tail())
        self.assertEqual(integrity_check(d.db), "ok")

    def check_answer(self, kind, targets, ans, resp, fmt):
        """None when the answer is acceptable, else a description."""
        if ans.kind == "success":
            got = [(s["serverInstanceNo"], server_state(s))
                   for s in ans.inner.get("serverInstanceList") or []]
            want = [(n, FIRST_STATE[kind]) for n in targets]
            if sorted(got) != sorted(want):
                return "success lists %s, expected %s" % (got, want)
            if str(ans.inner.get("totalRows")) != str(len(targets)):
                return "totalRows %r for %d servers" % (ans.inner.get("totalRows"), len(targets))
            return None
        if ans.kind != "api_error":
            return "improper answer %r: %r" % (ans, resp)
        if ans.code not in CONFLICTS[kind] or ans.http != 400:
            return "unexpected HTTP %s code %s %r" % (ans.http, ans.code, ans.message)
        want = MESSAGES[ans.code]
        if (want is not None and ans.message != want) or not ans.message:
            return "code %s with message %r" % (ans.code, ans.message)
        return None

    def wait_settled(self, c, nos, timeout):
        deadline = time.monotonic() + timeout
        while True:
            states = list_all_servers(c)
            busy = {n: v for n, v in states.items() if v[1] != "NULL" or v[0] == "INIT"}
            if not busy:
                return states
            if time.monotonic() > deadline:
                self.fail("servers still in transition after %.0fs: %s" % (timeout, busy))
            time.sleep(0.05)



class WriteLockTest(NcpdTestCase):
    """Long work inside the write transaction stalls every writer and the scheduler."""

    def test_key_generation_does_not_stall_writers(self):
        """createLoginKey spends 0.1-0.5 s generating an RSA key. Other writers (and the
        scheduler) must not wait for it: while one client creates 4 keys in a row, another
        client's small writes keep completing."""
        d = self.new_daemon(fixture="seed", sim_step_ms=30000)
        stop = threading.Event()
        lat = []

        def writer():
            cl = d.client()
            flag = "true"
            while not stop.is_set():
                flag = "false" if flag == "true" else "true"
                t0 = time.monotonic()
                r = cl.call("setProtectServerTermination", [("serverInstanceNo", "1021003"),
                                                            ("isProtectServerTermination",
                                                             flag)], method="POST")
                lat.append((time.monotonic() - t0, r.status))

        c = d.client()
        c.call("getServerInstanceList")
        t = threading.Thread(target=writer, daemon=True)
        t.start()
        time.sleep(0.3)
        n0 = len(lat)
        t0 = time.monotonic()
        for i in range(4):
            r = c.call("createLoginKey", [("keyName", "stall-key-%d" % i)], method="POST")
            self.assertEqual(r.status, 200, r)
        keys_s = time.monotonic() - t0
        during = lat[n0:]
        stop.set()
        t.join(timeout=30)
        worst = max((x[0] for x in lat[n0:]), default=0.0)  # incl. the write that spanned
        print("\n[race-keys] 4 createLoginKey took %.2fs; meanwhile %d small writes completed, "
              "worst latency %.2fs" % (keys_s, len(during), worst), file=sys.stderr)
        self.assertTrue(all(s == 200 for _, s in lat), lat[:5])
        # unblocked, a small write takes a few ms: expect hundreds; require a modest rate
        self.assertGreaterEqual(len(during), max(20, int(keys_s * 20)),
                                "writers are serialised behind RSA key generation: only %d "
                                "writes completed in %.2fs of createLoginKey (worst write "
                                "latency %.2fs)" % (len(during), keys_s, worst))


if __name__ == "__main__":
    unittest.main()

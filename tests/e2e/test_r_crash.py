"""Crash consistency: SIGKILL under a mixed mutation load, restart, check nothing answered
was lost, every transition resumes, and the database is sound.

Design (why the checks are sound):
- Every server slot is owned by exactly one client thread, which sends one request at a
  time. So for one server the answer order IS the commit order, and the thread knows the
  set of states the server can be in: the states of the path started by its last
  answered success (or the settled state it was observed in at the start of the round).
- Every answer (success or conflict) must be the one the state machine predicts from one
  of those states; a success must show the first state of its path.
- A request that got no answer because of the kill is "unknown": it may or may not have
  been applied, so after the restart the server may also be on that request's path.
  Servers created by an unknown create are recognised by their unique name.
- After the restart (before settling) every server must be in one of its possible states:
  an answered stop shows RUN/SHTDN or NSTOP/NULL, never RUN/NULL, and so on.
- Then every transition must finish (no operation other than NULL) within a deadline, and
  each server must be in the final state of one of its possible states. Crash images are
  checked with PRAGMA integrity_check and the transition-row invariants of state.c.

Environment: NCPD_CRASH_ROUNDS (default 24), NCPD_CRASH_THREADS (6),
NCPD_CRASH_SERVERS (30), NCPD_R_SEED (replay a run).
"""

import http.client
import random
import sys
import threading
import time
import unittest

from ncpd_harness import NcpdTestCase
from reliability_util import (LINUX_IMAGE, classify, crash_image_check, env_int, integrity_check,
                              list_all_servers, rng, server_state, transition_invariants)

KEY = "crash-key"

# paths: the state answered at once, then the scheduler's steps (None = gone)
PATHS = {
    "create": [("INIT", "NULL"), ("INIT", "CREAT"), ("CREAT", "START"), ("RUN", "SETUP"),
               ("RUN", "NULL")],
    "stop": [("RUN", "SHTDN"), ("NSTOP", "NULL")],
    "start": [("NSTOP", "START"), ("RUN", "NULL")],
    "reboot": [("RUN", "RESTA"), ("RUN", "NULL")],
    "terminate": [("NSTOP", "TERMT"), None],
}
ACTION_NAME = {"create": "createServerInstances", "stop": "stopServerInstances",
               "start": "startServerInstances", "reboot": "rebootServerInstances",
               "terminate": "terminateServerInstances"}


def final_of(state):
    """Settled state a (status, op) leads to; None = gone."""
    if state is None:
        return None
    for path in PATHS.values():
        if state in path:
            return path[-1]
    return state


def predict(kind, state):
    """returnCode the state machine gives for kind in state (compat.md, state.c)."""
    if kind == "create":
        return "0"
    if state is None:
        return "24120"
    st, op = state
    if kind == "stop":
        if op == "NULL" and st == "NSTOP":
            return "28005"
        return "0" if (op == "NULL" and st == "RUN") else "25041"
    if kind == "start":
        return "0" if (op == "NULL" and st == "NSTOP") else "25041"
    if kind == "reboot":
        return "0" if (op == "NULL" and st == "RUN") else "25041"
    if kind == "terminate":
        if st not in ("NSTOP", "FSTOP"):
            return "25022"
        return "25017" if op != "NULL" else "0"
    raise ValueError(kind)


class Slot:
    def __init__(self, idx):
        self.idx = idx
        self.no = None
        self.name = None
        self.possible = {None}     # states the server can be in now (None = no server)
        self.unknown = None        # (kind, name) of a request that got no answer
        self.busy_until = 0.0
        self.history = []          # (round, kind, code, state) of answered requests

    def __repr__(self):
        return "slot %d no=%s name=%s possible=%s unknown=%s last=%s" % (
            self.idx, self.no, self.name, sorted(self.possible, key=str), self.unknown,
            self.history[-4:])


class CrashConsistencyTest(NcpdTestCase):
    # subclasses change how each round ends (test_f_faults.py: a failing fsync)
    ROUNDS, MIN_CRASHES, LABEL, FAULTS = 24, 20, "crash", False

    def crash(self, d, stats):
        """Ends a round's load: here SIGKILL."""
        d.kill9()
        stats["kills"] += 1

    def test_sigkill_under_mixed_mutation_load(self):
        rounds = env_int("NCPD_CRASH_ROUNDS", self.ROUNDS)
        nthreads = env_int("NCPD_CRASH_THREADS", 6)
        nslots = env_int("NCPD_CRASH_SERVERS", 30)
        rand, seed = rng(self.LABEL)
        self.seed = seed
        d = self.new_daemon(fixture=None, sim_step_ms=100, extra_args=["--threads", "4"],
                            faults=self.FAULTS)
        self.d = d
        c = d.client()
        a = classify(c.call("createLoginKey", [("keyName", KEY)], method="POST", fmt="json"),
                     "json")
        self.assertEqual(a.kind, "success", a)

        slots = [Slot(i) for i in range(nslots)]
        self.violations = []
        self.dying = {}   # server no -> (round, name): terminate answered
        stats = {"answered_ok": {}, "answered_conflict": {}, "unknown": 0,
                 "unknown_applied": 0, "kills": 0, "immediate_checks": 0, "final_checks": 0,
                 "crash_images": 0}
        t_begin = time.monotonic()
        step = 100
        for rnd in range(rounds):
            if rnd > 0:
                step = rand.choice([50, 80, 120, 160, 200])
                d.sim_step_ms = step
                d.start()
                self.check_after_restart(c, slots, rnd, stats)
                self.settle(c, slots, rnd, step, stats, d)
            burst = rand.uniform(0.3, 1.0)
            self.run_burst(d, c, slots, rnd, step, burst, nthreads, rand, stats)
            self.assertFalse(self.violations, self.report(slots))
            problems = crash_image_check(d.db)
            stats["crash_images"] += 1
            self.assertFalse(problems, "round %d crash image: %s (seed %d)"
                             % (rnd, problems, seed))

        # last restart: everything settles, then a clean stop and a final integrity check
        d.start()
        self.check_after_restart(c, slots, rounds, stats)
        self.settle(c, slots, rounds, step, stats, d)
        self.assertFalse(self.violations, self.report(slots))
        rc = d.stop()
        self.assertEqual(rc, 0, "ncpd did not exit cleanly on SIGTERM: %s" % d.log_tail())
        self.assertEqual(integrity_check(d.db), "ok")
        self.assertEqual(transition_invariants(d.db, settled=True), [])

        ok = stats["answered_ok"]
        conflicts = stats["answered_conflict"]
        live = sum(1 for s in slots if s.possible != {None})
        print("\n[%s] rounds=%d kills=%d answered_mutations=%d (%s) answered_conflicts=%d "
              "(%s) unknown_outcomes=%d (applied %d) immediate_checks=%d final_checks=%d "
              "crash_images_ok=%d live_servers=%d seed=%d elapsed=%.1fs"
              % (self.LABEL, rounds, stats["kills"], sum(ok.values()),
                 " ".join("%s=%d" % kv for kv in sorted(ok.items())), sum(conflicts.values()),
                 " ".join("%s=%d" % kv for kv in sorted(conflicts.items())), stats["unknown"],
                 stats["unknown_applied"], stats["immediate_checks"], stats["final_checks"],
                 stats["crash_images"], live, seed, time.monotonic() - t_begin),
              file=sys.stderr)
        self.assertGreaterEqual(stats["kills"], min(self.MIN_CRASHES, rounds))
        self.assertGreater(sum(ok.values()), rounds * 5, "too few answered mutations")

    # -- helpers -------------------------------------------------------------

    def report(self, slots):
        return "violations (seed %d):\n  %s\nlog tail:\n%s" % (
            self.seed, "\n  ".join(self.violations[:20]), self.d.log_tail(2000))

    def choose(self, slot, r):
        if slot.possible == {None}:
            return "create"
        # what the thread believes: the settled state of its last success
        finals = {final_of(s) for s in slot.possible}
        if finals == {("RUN", "NULL")}:
            return r.choices(["stop", "reboot", "start", "terminate"], [50, 35, 8, 7])[0]
        if finals == {("NSTOP", "NULL")}:
            return r.choices(["start", "terminate", "stop", "reboot"], [45, 35, 12, 8])[0]
        return r.choice(["stop", "start", "reboot", "terminate"])

    def run_burst(self, d, c, slots, rnd, step, burst, nthreads, rand, stats):
        stop = threading.Event()
        lock = threading.Lock()
        seq = [0]

        def worker(tid):
            r = random.Random(rand.random())
            mine = [s for s in slots if s.idx % nthreads == tid]
            while not stop.is_set():
                now = time.monotonic()
                cands = [s for s in mine if s.busy_until <= now]
                if not cands:
                    # every server of this thread is in a transition: hit one anyway (the
                    # conflict answer is checked too) so that the kill finds requests in
                    # flight
                    cands = mine
                s = r.choice(cands)
                kind = self.choose(s, r)
                if kind == "create":
                    with lock:
                        seq[0] += 1
                        name = "c%d-%d-%d" % (rnd, s.idx, seq[0])
                    params = [("serverImageProductCode", LINUX_IMAGE), ("serverName", name),
                              ("loginKeyName", KEY)]
                else:
                    name = s.name
                    params = [("serverInstanceNoList.1", s.no)]
                try:
                    resp = c.call(ACTION_NAME[kind], params, method="POST", fmt="json")
                except ConnectionRefusedError:
                    return  # the daemon is gone; nothing was sent
                except (OSError, http.client.HTTPException):
                    with lock:
                        s.unknown = (kind, name)
                        stats["unknown"] += 1
                    return
                self.record(s, kind, name, resp, rnd, step, stats, lock)

        threads = [threading.Thread(target=worker, args=(i,), daemon=True)
                   for i in range(nthreads)]
        for t in threads:
            t.start()
        time.sleep(burst)
        self.crash(d, stats)
        stop.set()
        for t in threads:
            t.join(timeout=30)
            self.assertFalse(t.is_alive(), "client thread hung after the kill")

    def record(self, s, kind, name, resp, rnd, step, stats, lock):
        a = classify(resp, "json")
        expected = {predict(kind, st) for st in s.possible}
        with lock:
            if a.kind == "success":
                servers = a.inner.get("serverInstanceList") or []
                got = [(x["serverInstanceNo"], server_state(x)) for x in servers]
                if len(got) != 1 or "0" not in expected or (
                        kind != "create" and got[0][0] != s.no) or got[0][1] != PATHS[kind][0]:
                    self.violations.append(
                        "round %d %s of %s answered success %s; expected one of %s from %s"
                        % (rnd, kind, s.no or name, got, sorted(expected), s))
                stats["answered_ok"][kind] = stats["answered_ok"].get(kind, 0) + 1
                s.history.append((rnd, kind, "0"))
                nsteps = len(PATHS[kind]) - 1
                s.busy_until = time.monotonic() + nsteps * step / 1000.0 + 0.01
                if kind == "create":
                    s.no, s.name = got[0][0], name
                if kind == "terminate":
                    # the number must disappear; the slot gets a new server
                    self.dying[s.no] = (rnd, s.name)
                    s.no, s.name, s.possible = None, None, {None}
                else:
                    s.possible = set(PATHS[kind])
            elif a.kind == "api_error":
                if a.code not in expected:
                    self.violations.append(
                        "round %d %s of %s answered %s %s (%s); expected one of %s from %s"
                        % (rnd, kind, s.no or name, a.http, a.code, a.message,
                           sorted(expected), s))
                stats["answered_conflict"][a.code] = stats["answered_conflict"].get(a.code,
                                                                                    0) + 1
                s.history.append((rnd, kind, a.code))
            else:
                self.violations.append("round %d %s of %s: improper answer %r %r"
                                       % (rnd, kind, s.no or name, a, resp))

    def check_after_restart(self, c, slots, rnd, stats):
        """Right after the restart: every server is in one of its possible states."""
        listed = list_all_servers(c)
        by_name = {v[2]: no for no, v in listed.items()}
        known = set()
        for s in slots:
            s.before_unknown = set(s.possible)
            possible = set(s.possible)
            if s.unknown:
                kind, name = s.unknown
                if kind == "create":
                    if name in by_name:
                        s.no, s.name = by_name[name], name
                    possible |= set(PATHS["create"])
                elif any(predict(kind, st) == "0" for st in s.possible):
                    possible |= set(PATHS[kind])
            s.possible = possible
            if s.no is None:
                continue
            known.add(s.no)
            cur = listed.get(s.no)
            state = cur[:2] if cur else None
            stats["immediate_checks"] += 1
            if state not in possible:
                self.violations.append(
                    "after restart %d: server %s is %s, possible only %s (%s)"
                    % (rnd, s.no, state, sorted(possible, key=str), s))
        for no, (r0, name) in self.dying.items():
            stats["immediate_checks"] += 1
            if no in listed and listed[no][:2] != ("NSTOP", "TERMT"):
                self.violations.append(
                    "after restart %d: server %s (%s), terminate answered in round %d, is %s"
                    % (rnd, no, name, r0, listed[no]))
            known.add(no)
        for no, v in listed.items():
            if no not in known:
                self.violations.append("after restart %d: unexpected server %s %s" % (rnd, no, v))
        self.assertFalse(self.violations, self.report(slots))

    def settle(self, c, slots, rnd, step, stats, d):
        """Every transition finishes; each server ends in a final state it could reach."""
        deadline = time.monotonic() + 15.0 + 6 * step / 1000.0
        while True:
            listed = list_all_servers(c)
            busy = {no: v for no, v in listed.items() if v[1] != "NULL" or v[0] == "INIT"}
            if not busy:
                break
            if time.monotonic() > deadline:
                self.fail("round %d: transitions did not finish after the restart: %s (seed %d)"
                          % (rnd, busy, self.seed))
            time.sleep(0.02)
        for no, (r0, name) in self.dying.items():
            stats["final_checks"] += 1
            if no in listed:
                self.violations.append("round %d: server %s (%s), terminate answered in round "
                                       "%d, still listed as %s" % (rnd, no, name, r0, listed[no]))
        self.dying.clear()
        for s in slots:
            if s.no is None:
                s.possible, s.unknown = {None}, None
                continue
            finals = {final_of(st) for st in s.possible}
            cur = listed.get(s.no)
            state = cur[:2] if cur else None
            stats["final_checks"] += 1
            if state not in finals:
                self.violations.append("round %d: server %s settled at %s, expected one of %s (%s)"
                                       % (rnd, s.no, state, sorted(finals, key=str), s))
            if s.unknown and state not in {final_of(st) for st in s.before_unknown}:
                stats["unknown_applied"] += 1
            s.possible = {state}
            s.unknown = None
            if state is None:
                s.no, s.name = None, None
        self.assertFalse(self.violations, self.report(slots))
        problems = transition_invariants(d.db, settled=True)
        self.assertFalse(problems, "round %d after settling: %s" % (rnd, problems))


if __name__ == "__main__":
    unittest.main()

"""Several ncpd nodes on one PostgreSQL database (the PostgreSQL issue).

Runs when NCPD_TEST_PG names a test cluster (`make test-pg` starts one with
scripts/pg-test.sh); the PostgreSQL restart test starts a cluster of its own so that
restarting it disturbs no other test. What is checked, over real HTTP, in XML and JSON:

- a change answered by one node is what every other node answers next (their rendered-
  object caches never serve a stale rendering);
- conflicting requests on different nodes: exactly one wins; numbers stay unique;
- nodes started at the same moment on an empty database create the schema, the
  bootstrap account and the seed fixture exactly once;
- the fault switch set through one node applies on every node;
- one scheduler at a time: kill -9 of the node holding the lease, another takes over
  within two steps, every transition completes;
- the crash-consistency load of test_r_crash over three nodes, a random node killed
  each round;
- PostgreSQL restarted (fast and immediate) under load: prompt 503 answers meanwhile,
  the same nodes serve again afterwards, nothing answered before is lost.
"""

import calendar
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unittest

import test_r_crash as crash
from ncpd_harness import (ADMIN_TOKEN, BIN, MSG, PG_BASE, REPO, Client, Daemon, NcpdTestCase,
                          decode, lenient_inner, no_list, pg_drop_database, pg_new_database,
                          wait_for)
from reliability_util import transition_invariants

PG_TEST = os.path.join(REPO, "scripts", "pg-test.sh")
IMG = ("serverImageProductCode", "SPSW0LINUX000046")


def log_times(d, event):
    """Wall-clock seconds of every log line of d with `event=...` in it."""
    out = []
    for line in d.log_tail(10 ** 7).splitlines():
        if "event=%s" % event in line:
            m = re.search(r"ts=(\S+)Z", line)
            if m:
                t = time.strptime(m.group(1)[:19], "%Y-%m-%dT%H:%M:%S")
                out.append(calendar.timegm(t) + float("0" + m.group(1)[19:]))
    return out


class Nodes:
    """n daemons on one database; as a Daemon for test_r_crash: start() starts the nodes
    that are down, kill9() kills one random node, a client's base rotates over the live
    nodes request by request."""

    def __init__(self, case, n, db=None, **kw):
        self.case = case
        self.db = db or pg_new_database()
        self.own = db is None
        self.nodes = []
        extra = list(kw.pop("extra_args", []))
        for i in range(n):
            d = Daemon(db=self.db, extra_args=extra + ["--node-id", "n%d" % (i + 1)], **kw)
            if i > 0:
                d.fixture = None
            self.nodes.append(d)
        self.rr = 0
        self.rand = random.Random(7)
        case.addCleanup(self.cleanup)

    @property
    def sim_step_ms(self):
        return self.nodes[0].sim_step_ms

    @sim_step_ms.setter
    def sim_step_ms(self, v):
        for d in self.nodes:
            d.sim_step_ms = v

    def start(self):
        for d in self.nodes:
            if not d.alive():
                d.start()
        return self

    def kill9(self):
        live = [d for d in self.nodes if d.alive()]
        self.rand.choice(live).kill9()

    def stop(self):
        rcs = [d.stop() for d in self.nodes]
        return 0 if all(rc == 0 for rc in rcs) else rcs

    @property
    def base(self):
        live = [d for d in self.nodes if d.alive()] or self.nodes
        self.rr += 1
        return live[self.rr % len(live)].base

    def client(self, *a):
        return Client(self, *a)

    def log_tail(self, n=4000):
        return "\n".join("--- %s\n%s" % (d.extra_args[-1], d.log_tail(n // len(self.nodes)))
                         for d in self.nodes)

    def cleanup(self):
        for d in self.nodes:
            d.cleanup()
        if self.own:
            pg_drop_database(self.db)


def state_of(resp, fmt, no):
    inner = decode(resp, fmt)[1]
    for s in inner["serverInstanceList"]:
        if s["serverInstanceNo"] == no:
            return s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"]
    return None


@unittest.skipUnless(PG_BASE, "needs a PostgreSQL test cluster: NCPD_TEST_PG (make test-pg)")
class MultiNodeTest(NcpdTestCase):

    def test_a_change_is_seen_by_every_node_at_once(self):
        ns = Nodes(self, 3, sim_step_ms=400).start()
        a, b, c = (Client(d) for d in ns.nodes)
        for fmt in ("xml", "json"):
            # every node renders the seed server once: now each has it in its cache
            for cl in (a, b, c):
                r = cl.call("getServerInstanceList", no_list(["1021004"]), fmt=fmt)
                self.assertEqual(state_of(r, fmt, "1021004"), ("RUN", "NULL"))
            r = a.call("stopServerInstances", no_list(["1021004"]), fmt=fmt)
            self.assert_success(r, fmt, "stopServerInstances")
            for cl in (b, c):  # the very next request to any other node
                r = cl.call("getServerInstanceList", no_list(["1021004"]), fmt=fmt)
                self.assertEqual(state_of(r, fmt, "1021004"), ("RUN", "SHTDN"), fmt)
            wait_for(lambda: state_of(c.call("getServerInstanceList", no_list(["1021004"]),
                                             fmt=fmt), fmt, "1021004") == ("NSTOP", "NULL"),
                     timeout=10, message="stopped")
            r = b.call("startServerInstances", no_list(["1021004"]), fmt=fmt)
            self.assert_success(r, fmt, "startServerInstances")
            r = a.call("getServerInstanceList", no_list(["1021004"]), fmt=fmt)
            self.assertEqual(state_of(r, fmt, "1021004"), ("NSTOP", "START"))
            wait_for(lambda: b.state("1021004")[:2] == ("RUN", "NULL"), timeout=10,
                     message="running")
        # a server made on one node is listed, then gone, everywhere
        r = c.call("createServerInstances", [IMG, ("serverName", "everywhere")], fmt="json")
        no = lenient_inner(r.body)["serverInstanceList"][0]["serverInstanceNo"]
        for cl in (a, b):
            self.assertIn(no, cl.server_map())

    def test_conflicting_requests_on_different_nodes(self):
        ns = Nodes(self, 2, sim_step_ms=100).start()
        a, b = (Client(d) for d in ns.nodes)
        for rnd in range(12):
            st = a.state("1021003")[:2]
            action = "stopServerInstances" if st == ("RUN", "NULL") else "startServerInstances"
            codes = []
            barrier = threading.Barrier(2)

            def go(cl):
                barrier.wait()
                r = cl.call(action, no_list(["1021003"]), fmt="json")
                codes.append(decode(r, "json")[1]["returnCode"])

            ts = [threading.Thread(target=go, args=(cl,)) for cl in (a, b)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            self.assertEqual(sorted(codes), ["0", "25041"], (rnd, action, codes))
            wait_for(lambda: a.state("1021003")[1] == "NULL", timeout=10, message="settled")
        # the same new name on both nodes at once: one server, one 10300
        for rnd in range(6):
            codes, barrier = [], threading.Barrier(2)

            def create(cl, rnd=rnd):
                barrier.wait()
                r = cl.call("createServerInstances", [IMG, ("serverName", "twin-%d" % rnd)],
                            fmt="json")
                codes.append(decode(r, "json")[1]["returnCode"])

            ts = [threading.Thread(target=create, args=(cl,)) for cl in (a, b)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            self.assertEqual(sorted(codes), ["0", "10300"], codes)
        # numbers from every node at once are all different
        made, lock = [], threading.Lock()

        def many(cl, k):
            for i in range(5):
                r = cl.call("createServerInstances", [IMG, ("serverName", "u-%d-%d" % (k, i))],
                            fmt="json")
                with lock:
                    made.append(lenient_inner(r.body)["serverInstanceList"][0]
                                ["serverInstanceNo"])

        ts = [threading.Thread(target=many, args=(cl, k)) for k, cl in enumerate((a, b, a, b))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertEqual(len(made), 20)
        self.assertEqual(len(set(made)), 20, sorted(made))

    def test_simultaneous_first_starts_on_an_empty_database(self):
        for rnd in range(3):
            ns = Nodes(self, 3, sim_step_ms=100)
            for d in ns.nodes:
                d.fixture = "seed"
            ts = [threading.Thread(target=d.start) for d in ns.nodes]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            self.assertTrue(all(d.alive() for d in ns.nodes), ns.log_tail())
            logs = [d.log_tail(100000) for d in ns.nodes]
            self.assertEqual(sum("event=migrate" in lg for lg in logs), 1, logs)
            self.assertEqual(sum("created the bootstrap account" in lg for lg in logs), 1)
            self.assertEqual(sum("loaded the seed fixture" in lg for lg in logs), 1)
            for d in ns.nodes:
                self.assertEqual(sorted(Client(d).server_map()),
                                 ["1021003", "1021004", "1021005", "1021006"])
            r = subprocess.run([BIN, "account", "list", "--db", ns.db],
                               env=ns.nodes[0].env(), capture_output=True, timeout=30)
            self.assertEqual(r.stdout.decode().count(" default "), 1, r.stdout)

    def test_fault_switch_set_on_one_node_applies_on_all(self):
        ns = Nodes(self, 2, sim_step_ms=100, admin_token=ADMIN_TOKEN).start()
        a, b = ns.nodes
        self.assertEqual(a.fault("stopServerInstances", "1021003", times=2).status, 200)
        for fmt, d in (("json", b), ("xml", a)):
            r = Client(d).call("stopServerInstances", no_list(["1021003"]), fmt=fmt)
            self.assert_api_error(r, fmt, 1300, MSG["1300"], http_status=500)
        r = Client(b).call("stopServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_success(r, "json", "stopServerInstances")

    def test_scheduler_fails_over_within_two_steps(self):
        step = 1000
        ns = Nodes(self, 3, sim_step_ms=step).start()
        a = Client(ns.nodes[0])
        wait_for(lambda: any(log_times(d, "sched_lease_taken") for d in ns.nodes), timeout=10,
                 message="a scheduler")
        leader = [d for d in ns.nodes if log_times(d, "sched_lease_taken")][0]
        others = [d for d in ns.nodes if d is not leader]
        # transitions in flight: creates take four steps
        nos = []
        for i in range(6):
            r = a.call("createServerInstances", [IMG, ("serverName", "fo-%d" % i)], fmt="json")
            nos.append(lenient_inner(r.body)["serverInstanceList"][0]["serverInstanceNo"])
        time.sleep(1.3 * step / 1000)
        killed_at = time.time()
        leader.kill9()
        wait_for(lambda: any(log_times(d, "sched_lease_taken") for d in others), timeout=10,
                 message="another scheduler")
        taken = min(t for d in others for t in log_times(d, "sched_lease_taken"))
        takeover = taken - killed_at
        print("\n[nodes] scheduler fail-over: lease taken %.2fs after kill -9 (step %d ms)"
              % (takeover, step))
        self.assertLess(takeover, 2 * step / 1000.0)
        c = Client(others[0])
        wait_for(lambda: all(c.state(no)[:2] == ("RUN", "NULL") for no in nos), timeout=20,
                 message="every create to finish")
        self.assertEqual(transition_invariants(ns.db, settled=True), [])


@unittest.skipUnless(PG_BASE, "needs a PostgreSQL test cluster: NCPD_TEST_PG (make test-pg)")
class MultiNodeCrashTest(crash.CrashConsistencyTest):
    """test_r_crash's load, model and checks over three nodes, clients alternating between
    them; each round one random node is killed with SIGKILL."""

    ROUNDS, MIN_CRASHES, LABEL = 8, 8, "nodes-crash"

    def new_daemon(self, **kw):
        kw.pop("faults", None)
        ns = Nodes(self, 3, **kw)
        return ns.start()


@unittest.skipUnless(PG_BASE, "needs a PostgreSQL test cluster: NCPD_TEST_PG (make test-pg)")
class PostgresRestartTest(NcpdTestCase):
    """A cluster of its own, restarted under load."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ncpd-pg-restart-")
        r = subprocess.run([PG_TEST, "start", self.dir], capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.base = r.stdout.decode().strip()
        self.addCleanup(lambda: subprocess.run([PG_TEST, "stop", self.dir],
                                               capture_output=True, timeout=120))
        subprocess.run(["psql", "-X", "-q", "-d", self.base, "-c", "CREATE DATABASE r"],
                       check=True, capture_output=True, timeout=60)
        self.db = self.base.replace("/postgres?", "/r?")

    def test_restart_under_load(self):
        ns = Nodes(self, 2, db=self.db, sim_step_ms=200).start()
        stop = threading.Event()
        answers, lock = [], threading.Lock()
        made = []

        def load(k):
            cl = Client(ns)
            i = 0
            while not stop.is_set():
                i += 1
                name = "pg-%d-%d" % (k, i)
                t0 = time.monotonic()
                try:
                    r = cl.call("createServerInstances", [IMG, ("serverName", name)], fmt="json")
                except OSError as e:
                    with lock:
                        answers.append(("conn", str(e), time.monotonic() - t0))
                    continue
                took = time.monotonic() - t0
                with lock:
                    answers.append((r.status, r.body[:200], took))
                    if r.status == 200:
                        made.append(name)
                if r.status != 200:
                    time.sleep(0.05)
                try:
                    cl.call("getServerInstanceList", [("pageSize", "5")], fmt="json")
                except OSError:
                    pass

        ts = [threading.Thread(target=load, args=(k,)) for k in range(4)]
        for t in ts:
            t.start()
        try:
            for mode in ("fast", "immediate"):
                time.sleep(1.0)
                before = len(made)
                r = subprocess.run([PG_TEST, "restart", self.dir, mode], capture_output=True,
                                   timeout=120)
                self.assertEqual(r.returncode, 0, r.stderr)
                # the same nodes serve again, without a restart of theirs
                wait_for(lambda: len(made) > before + 5, timeout=30,
                         message="creates to succeed again after the %s restart" % mode)
        finally:
            stop.set()
            for t in ts:
                t.join(timeout=60)
        self.assertTrue(all(d.alive() for d in ns.nodes), ns.log_tail())
        bad = [a for a in answers if a[0] not in (200, 503)]
        self.assertEqual(bad, [], "answers other than 200 or the gateway's 503")
        unavailable = [a for a in answers if a[0] == 503]
        self.assertTrue(unavailable, "no request met the outage")
        for a in unavailable:
            self.assertIn(b'"errorCode": "500"', a[1])
        slowest = max(a[2] for a in answers)
        self.assertLess(slowest, 10.0, "an answer took %.1fs" % slowest)
        # nothing answered is lost
        listed = {s["serverName"] for s in Client(ns.nodes[0]).server_map().values()}
        lost = [n for n in made if n not in listed]
        self.assertEqual(lost, [])
        print("\n[nodes] PostgreSQL restarted fast and immediate under load: %d answers, %d "
              "creates kept, %d answered 503, slowest answer %.2fs"
              % (len(answers), len(made), len(unavailable), slowest))


if __name__ == "__main__":
    unittest.main()

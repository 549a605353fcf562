"""Correct under faults (the faults issue): a failed fsync, a clock step, a replayed
signature, two first starts at once, numbers beyond int64, a driver whose state is not the
store's, request bodies that would exhaust memory.

The disk and the clock misbehave through tests/faults/faultshim.c (LD_PRELOAD, driven by
Daemon(faults=True)); the claim, act, confirm path of real hypervisor drivers is exercised
with the simulator opened as an external driver (--sim-options external,delay=MS).
"""

import os
import re
import socket
import stat
import subprocess
import threading
import time
import unittest
import urllib.parse

import test_r_crash as crash
from ncpd_harness import (ACCESS_KEY, ADMIN_TOKEN, BIN, MASTER_KEY, MSG, SECRET_KEY, Client,
                          Daemon, NcpdTestCase, decode, free_port, lenient_inner, no_list,
                          parse_date, parse_kv_lines, signature, wait_for, skip_on_pg)

HOUR_MS = 3600 * 1000


def first_server(resp):
    inner = lenient_inner(resp.body)
    return inner["serverInstanceList"][0]


# ---------------------------------------------------------------------------
# 1. A failed fsync is never answered as a definite failure
# ---------------------------------------------------------------------------

@skip_on_pg("ncpd's own fsync of its SQLite file")
class FsyncFailureTest(crash.CrashConsistencyTest):
    """The crash-consistency load of test_r_crash, but each round ends with the disk
    failing every fsync instead of a SIGKILL. ncpd must stop before answering any request
    of the batch whose commit failed (policy: commit.c), never answer it 1300: a 1300 for
    a mutation that recovery then finds committed is a violation of the model (the model
    only accepts the state machine's answers), as is any answered success recovery lost.
    Every later round retries the servers and checks the answers against the state."""

    ROUNDS, MIN_CRASHES, LABEL, FAULTS = 6, 6, "fsync", True

    def crash(self, d, stats):
        d.set_fsync_fail(True)
        died = False
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline:
            if not d.alive():
                died = True
                break
            time.sleep(0.01)
        calls, failed = d.fsync_counts()
        self.assertGreater(failed, 0, "no fsync failed in this round (calls=%d)" % calls)
        self.assertTrue(died, "ncpd kept running after a failed fsync; log:\n%s"
                        % d.log_tail(1500))
        self.assertIn("outcome of this group commit is unknown", d.log_tail(3000))
        d.kill9()
        d.set_fsync_fail(False)
        stats["kills"] += 1


# ---------------------------------------------------------------------------
# 2. The driver's state follows the store
# ---------------------------------------------------------------------------

class DriverStateTest(NcpdTestCase):
    """A driver call that fails must leave nothing behind: the simulator has no state of
    its own (it is the store's), and an external driver acts only on committed claims whose
    refusal is undone. Every later operation is answered as the store's state says."""

    def test_failed_operations_leave_the_simulator_consistent(self):
        d = self.new_daemon(sim_step_ms=100, admin_token=ADMIN_TOKEN)
        c = d.client()
        for action, no in (("stopServerInstances", "1021003"),
                           ("stopServerInstances", "1021003"),
                           ("rebootServerInstances", "1021003")):
            self.assertEqual(d.fault(action, no).status, 200)
            r = c.call(action, no_list([no]), fmt="json")
            self.assert_api_error(r, "json", 1300, MSG["1300"], http_status=500)
            self.assert_state(c, no, "RUN", "NULL")
        # with no fault left, the same server obeys every legal operation at once
        r = c.call("stopServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_success(r, "json", "stopServerInstances")
        self.wait_state(c, "1021003", "NSTOP", "NULL")
        # the seed's public IP goes first: terminate refuses a server that has one (24073)
        r = c.call("disassociatePublicIpFromServerInstance", [("publicIpInstanceNo", "1021203")],
                   fmt="json")
        self.assert_success(r, "json", "disassociatePublicIpFromServerInstance")
        wait_for(lambda: c.server_map()["1021003"]["publicIp"] == "", timeout=10,
                 message="the seed's public IP to be released")
        self.assertEqual(d.fault("terminateServerInstances", "1021003").status, 200)
        r = c.call("terminateServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_api_error(r, "json", 1300, MSG["1300"], http_status=500)
        self.assert_state(c, "1021003", "NSTOP", "NULL")
        # a failed terminate does not make the machine refuse everything
        r = c.call("startServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_success(r, "json", "startServerInstances")
        self.wait_state(c, "1021003", "RUN", "NULL")

    @skip_on_pg("ncpd's own fsync of its SQLite file")
    def test_after_a_failed_batch_the_driver_and_the_store_agree(self):
        """One group commit fails (its fsync): whatever the outcome, the next operations on
        the server are answered as its stored state says, never 1300 from a driver that
        believes something else."""
        d = self.new_daemon(sim_step_ms=200, faults=True)
        c = d.client()
        for no in ("1021003", "1021004"):
            d.set_fsync_fail(True)
            try:
                r = c.call("stopServerInstances", no_list([no]), fmt="json")
            except OSError:
                r = None  # dropped: outcome unknown
            d.set_fsync_fail(False)
            self.assertIsNone(r, "a stop whose commit failed was answered: %r" % (r,))
            wait_for(lambda: not d.alive(), timeout=10, message="ncpd to stop")
            d.start()
            st = c.state(no)[:2]
            self.assertIn(st, (("RUN", "NULL"), ("RUN", "SHTDN"), ("NSTOP", "NULL")))
            expected = {("RUN", "NULL"): "0", ("RUN", "SHTDN"): "25041",
                        ("NSTOP", "NULL"): "28005"}[st]
            r = c.call("stopServerInstances", no_list([no]), fmt="json")
            self.assertEqual(decode(r, "json")[1].get("returnCode"), expected, (st, r))
            self.wait_state(c, no, "NSTOP", "NULL")
            r = c.call("startServerInstances", no_list([no]), fmt="json")
            self.assert_success(r, "json", "startServerInstances")

    def test_concurrent_stops_after_a_failure_one_wins(self):
        d = self.new_daemon(sim_step_ms=30000, admin_token=ADMIN_TOKEN)
        c = d.client()
        self.assertEqual(d.fault("stopServerInstances", "1021003").status, 200)
        r = c.call("stopServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_api_error(r, "json", 1300, MSG["1300"], http_status=500)
        codes = []
        lock = threading.Lock()

        def stop():
            resp = Client(d).call("stopServerInstances", no_list(["1021003"]), fmt="json")
            with lock:
                codes.append(decode(resp, "json")[1].get("returnCode"))

        ts = [threading.Thread(target=stop) for _ in range(12)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertEqual(sorted(codes), ["0"] + ["25041"] * 11, codes)


class ExternalDriverTest(NcpdTestCase):
    """Claim, act, confirm: with a driver that has state of its own (the simulator opened
    as external), the state change is committed first (the claim), the driver is called
    outside any transaction, and its outcome is committed next."""

    def test_claim_is_visible_while_the_driver_acts_and_confirmed_after(self):
        d = self.new_daemon(sim_step_ms=200, extra_args=["--sim-options", "external,delay=3000"])
        c = d.client()
        result = {}

        def stop():
            result["r"] = Client(d).call("stopServerInstances", no_list(["1021003"]), fmt="json")

        t = threading.Thread(target=stop)
        t.start()
        # the claim is committed before the driver is called: others see the transition
        wait_for(lambda: c.state("1021003")[:2] == ("RUN", "SHTDN"), timeout=5,
                 message="the claim to be visible")
        self.assertTrue(t.is_alive(), "the answer came before the driver had acted")
        r = c.call("stopServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_api_error(r, "json", 25041, MSG["25041"])
        t.join()
        s = first_server(result["r"])
        self.assertEqual((s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"]),
                         ("RUN", "SHTDN"))
        self.wait_state(c, "1021003", "NSTOP", "NULL")

    def test_slow_driver_calls_stall_no_other_request(self):
        """Driver calls of several seconds run off the HTTP worker threads: connections
        that a worker thread already serves are answered at once meanwhile (a worker thread
        blocked in a driver call would hold up every connection it owns)."""
        import http.client
        d = self.new_daemon(sim_step_ms=100, extra_args=["--sim-options", "external,delay=3000",
                                                         "--threads", "2"])
        c = d.client()
        path = "/server/v2/getRegionList?responseFormatType=json"

        def get(conn):
            conn.request("GET", path, headers=c.signed_headers("GET", path))
            r = conn.getresponse()
            r.read()
            return r.status

        conns = [http.client.HTTPConnection("127.0.0.1", d.port, timeout=10) for _ in range(8)]
        for conn in conns:  # keep-alive connections, spread over the worker threads
            self.assertEqual(get(conn), 200)
        calls = [("stopServerInstances", "1021003"), ("stopServerInstances", "1021004"),
                 ("startServerInstances", "1021005"), ("startServerInstances", "1021006")]
        done = []
        ts = [threading.Thread(target=lambda a=a, n=n: done.append(
            Client(d).call(a, no_list([n]), fmt="json"))) for a, n in calls]
        for t in ts:
            t.start()
        wait_for(lambda: sum(1 for s in c.states().values() if s[1] != "NULL") == 4,
                 timeout=5, message="four claims")
        slowest = 0.0
        for conn in conns:
            t1 = time.monotonic()
            self.assertEqual(get(conn), 200)
            slowest = max(slowest, time.monotonic() - t1)
        self.assertEqual(done, [], "driver calls finished before the check")
        for t in ts:
            t.join()
        for conn in conns:
            conn.close()
        self.assertLess(slowest, 1.0, "a request waited behind a driver call")
        self.assertEqual(sorted(decode(r, "json")[1]["returnCode"] for r in done), ["0"] * 4)

    def test_refusal_undoes_the_claim(self):
        d = self.new_daemon(sim_step_ms=100, admin_token=ADMIN_TOKEN,
                            extra_args=["--sim-options", "external"])
        c = d.client()
        self.assertEqual(d.fault("stopServerInstances", "1021003").status, 200)
        r = c.call("stopServerInstances", no_list(["1021003"]), fmt="xml")
        self.assert_api_error(r, "xml", 1300, MSG["1300"], http_status=500)
        self.assert_state(c, "1021003", "RUN", "NULL", "running")
        # partial: one of two refused (22001), the other started
        self.assertEqual(d.fault("stopServerInstances", "1021004").status, 200)
        r = c.call("stopServerInstances", no_list(["1021003", "1021004"]), fmt="json")
        self.assertEqual(r.status, 200, r)
        inner = decode(r, "json")[1]
        self.assertEqual(inner["returnCode"], "22001")
        self.assertEqual([s["serverInstanceNo"] for s in inner["serverInstanceList"]],
                         ["1021003"])
        self.assert_state(c, "1021004", "RUN", "NULL")
        self.wait_state(c, "1021003", "NSTOP", "NULL")
        # a refused create leaves no server behind and retires its number: numbers come
        # from one sequence (server, then its basic storage), so the next one is known
        img = ("serverImageProductCode", "SPSW0LINUX000046")
        r = c.call("createServerInstances", [img, ("serverName", "made-1")], fmt="json")
        made = int(first_server(r)["serverInstanceNo"])
        before = c.server_map()
        self.assertEqual(d.fault("createServerInstances", str(made + 2)).status, 200)
        r = c.call("createServerInstances", [img, ("serverName", "refused-1")], fmt="json")
        self.assert_api_error(r, "json", 1300, MSG["1300"], http_status=500)
        self.assertEqual(set(c.server_map()), set(before))
        r = c.call("stopServerInstances", no_list([str(made + 2)]), fmt="json")
        self.assert_api_error(r, "json", 24120, MSG["24120"])
        # the name is free again, the number is not reused
        r = c.call("createServerInstances", [img, ("serverName", "refused-1")], fmt="json")
        self.assertEqual(first_server(r)["serverInstanceNo"], str(made + 4))

    def test_kill9_between_claim_and_confirmation_completes_the_operation(self):
        d = self.new_daemon(sim_step_ms=100, extra_args=["--sim-options", "external,delay=5000"])
        c = d.client()
        results = []

        def call(action, params):
            try:
                results.append(Client(d).call(action, params, fmt="json"))
            except OSError:
                results.append(None)

        ts = [threading.Thread(target=call, args=("stopServerInstances", no_list(["1021003"]))),
              threading.Thread(target=call, args=("startServerInstances", no_list(["1021005"]))),
              threading.Thread(target=call, args=(
                  "createServerInstances", [("serverImageProductCode", "SPSW0LINUX000046"),
                                            ("serverName", "claimed-create")]))]
        st = c.states()
        self.assertEqual(st["1021005"], ("NSTOP", "NULL"))
        for t in ts:
            t.start()
        wait_for(lambda: (c.states().get("1021003"), c.states().get("1021005")) ==
                 (("RUN", "SHTDN"), ("NSTOP", "START")), timeout=5, message="claims")
        wait_for(lambda: "claimed-create" in
                 [s["serverName"] for s in c.server_map().values()], timeout=5,
                 message="claimed create")
        d.kill9()
        for t in ts:
            t.join()
        self.assertTrue(all(r is None for r in results),
                        "an answer left before the kill: %r" % (results,))
        d.extra_args = []  # the simulator without delay after the restart
        d.start()
        self.assertIn("completed 3 transitions claimed before the last stop", d.log_tail())
        self.wait_state(c, "1021003", "NSTOP", "NULL")
        self.wait_state(c, "1021005", "RUN", "NULL")
        created = [no for no, s in c.server_map().items() if s["serverName"] == "claimed-create"]
        self.assertEqual(len(created), 1)
        self.wait_state(c, created[0], "RUN", "NULL")


# ---------------------------------------------------------------------------
# 3. The wall clock stepped back or forward mid-transition
# ---------------------------------------------------------------------------

class ClockStepTest(NcpdTestCase):
    STEP = 500

    def step_clock(self, d, c, ms):
        d.set_clock_offset(ms)
        c.clock_offset_ms = ms

    def timed_state(self, c, no, target, limit):
        t0 = time.monotonic()
        self.wait_state(c, no, target[0], target[1], timeout=limit + 10)
        took = time.monotonic() - t0
        self.assertLess(took, limit, "%s reached %s only after %.1fs" % (no, target, took))
        return took

    def test_clock_stepped_back_and_forward_by_an_hour(self):
        d = self.new_daemon(sim_step_ms=self.STEP, faults=True)
        c = d.client()
        limit = (self.STEP + 1000) / 1000.0 + 1.0  # one step, one clamp period, slack
        # back one hour right after a stop
        r = c.call("stopServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_success(r, "json", "stopServerInstances")
        self.step_clock(d, c, -HOUR_MS)
        self.timed_state(c, "1021003", ("NSTOP", "NULL"), limit)
        # forward one hour (back to real time + 1 h) right after a start
        r = c.call("startServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_success(r, "json", "startServerInstances")
        self.step_clock(d, c, +HOUR_MS)
        self.timed_state(c, "1021003", ("RUN", "NULL"), limit)
        # dates shown stay wall-clock: the uptime is the (stepped) time of the start
        s = c.server_map()["1021003"]
        shown = parse_date(s["uptime"]).timestamp()
        self.assertLess(abs(shown - (time.time() + 3600)), 120, s["uptime"])
        # a multi-step create with the clock stepped back in the middle
        r = c.call("createServerInstances", [("serverImageProductCode", "SPSW0LINUX000046"),
                                             ("serverName", "clocked")], fmt="json")
        no = first_server(r)["serverInstanceNo"]
        self.wait_state(c, no, "CREAT", "START", timeout=5)
        self.step_clock(d, c, -HOUR_MS)
        self.timed_state(c, no, ("RUN", "NULL"), 2 * limit + 1.0)
        self.assertIn("due times brought back", d.log_tail(20000))

    def test_clock_stepped_back_while_down(self):
        d = self.new_daemon(sim_step_ms=self.STEP, faults=True)
        c = d.client()
        r = c.call("rebootServerInstances", no_list(["1021004"]), fmt="json")
        self.assert_success(r, "json", "rebootServerInstances")
        d.kill9()
        self.step_clock(d, c, -HOUR_MS)
        d.start()
        self.timed_state(c, "1021004", ("RUN", "NULL"), (self.STEP + 1000) / 1000.0 + 1.0)


# ---------------------------------------------------------------------------
# 4. One signature authorises exactly one parameter list
# ---------------------------------------------------------------------------

class SignatureTest(NcpdTestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=30000)

    def send(self, method, wire_uri, signed_uri):
        c = self.d.client()
        return c.raw(method, wire_uri, c.signed_headers(method, signed_uri))

    def test_forged_query_replay_refused(self):
        """Signed for serverDescription=web&isProtectServerTermination=true, replayed with the
        two folded into one escaped value: 401, nothing created."""
        base = "/server/v2/createServerInstances"
        signed = (base + "?serverImageProductCode=SPSW0LINUX000046&serverName=forged-a"
                  "&serverDescription=web&isProtectServerTermination=true")
        forged = (base + "?serverImageProductCode=SPSW0LINUX000046&serverName=forged-a"
                  "&serverDescription=web%26isProtectServerTermination%3Dtrue")
        before = set(self.d.client().server_map())
        r = self.send("GET", forged, signed)
        self.assert_gateway_error(r, 401, "200")
        self.assertEqual(set(self.d.client().server_map()), before)
        # the same with '=' folded into a name, and with a literal '+' read as a space
        for wire, sign in (
                (base + "?serverImageProductCode=SPSW0LINUX000046&serverName%3Dforged-b=x",
                 base + "?serverImageProductCode=SPSW0LINUX000046&serverName=forged-b=x"),
                (base + "?serverImageProductCode=SPSW0LINUX000046&serverName=forged-c"
                        "&serverDescription=a+b%21",
                 base + "?serverImageProductCode=SPSW0LINUX000046&serverName=forged-c"
                        "&serverDescription=a+b!")):
            self.assert_gateway_error(self.send("GET", wire, sign), 401, "200")
        self.assertEqual(set(self.d.client().server_map()), before)

    def test_decoded_signature_of_plain_values_still_accepted(self):
        """The Python SDK signs the values it was given unescaped; where that names the same
        parameters, the signature is accepted: spaces, '+', '/', ':' and UTF-8."""
        base = "/server/v2/getServerInstanceList"
        for value in ("web server", "a+b", "x/y:z", "한국", "50%"):
            wire = base + "?searchFilterName=serverName&searchFilterValue=" + \
                urllib.parse.quote(value, safe="")
            sign = base + "?searchFilterName=serverName&searchFilterValue=" + value
            r = self.send("GET", wire, sign)
            self.assertEqual(r.status, 200, (value, r))

    def test_collapsed_path_signature(self):
        """DECISIONS D10: //server/v2/x requested, /server/v2/x signed."""
        r = self.send("GET", "//server/v2/getRegionList", "/server/v2/getRegionList")
        self.assertEqual(r.status, 200, r)
        r = self.send("GET", "//server/v2/getRegionList?regionNo=1",
                      "/server/v2/getRegionList?regionNo=1")
        self.assertEqual(r.status, 200, r)
        # nothing looser: another path, or the query changed, is refused
        self.assert_gateway_error(self.send("GET", "//server/v2/getRegionList?regionNo=2",
                                            "/server/v2/getRegionList?regionNo=1"), 401, "200")
        self.assert_gateway_error(self.send("GET", "/server/v2/getZoneList",
                                            "/server/v2/getRegionList"), 401, "200")


# ---------------------------------------------------------------------------
# 5. First starts at once: the master key file, the bootstrap account
# ---------------------------------------------------------------------------

@skip_on_pg("first starts on SQLite files (test_m_nodes.py starts nodes on one PostgreSQL)")
class FirstStartRaceTest(unittest.TestCase):
    ROUNDS = 50

    def test_simultaneous_first_starts_agree_on_the_key(self):
        import tempfile
        import shutil
        env = {k: v for k, v in os.environ.items() if not k.startswith("NCPD_")}
        env.update({"NCPD_ACCESS_KEY": ACCESS_KEY, "NCPD_SECRET_KEY": SECRET_KEY})
        failures = []
        for rnd in range(self.ROUNDS):
            tmp = tempfile.mkdtemp(prefix="ncpd-e2e-race-")
            db = os.path.join(tmp, "fresh.db")
            ports = [free_port(), free_port()]
            procs = []
            try:
                daemons = [subprocess.Popen([BIN, "--listen", "127.0.0.1:%d" % p, "--db", db,
                                             "--fixture", "seed"], env=env,
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                           for p in ports]
                procs += daemons
                acct = subprocess.run([BIN, "account", "create", "racer", "--db", db],
                                      env=env, capture_output=True, timeout=30)
                if acct.returncode != 0:
                    failures.append("round %d: account create: %r" % (rnd, acct.stderr))
                    continue
                kv = parse_kv_lines(acct.stdout.decode())
                for p, proc in zip(ports, daemons):
                    c = Client("http://127.0.0.1:%d" % p)
                    c2 = Client("http://127.0.0.1:%d" % p, kv["access_key"], kv["secret_key"])

                    def up():
                        if proc.poll() is not None:
                            raise AssertionError("exited: %r" % proc.stdout.read())
                        return c.call("getRegionList").status == 200

                    try:
                        wait_for(up, timeout=20, message="daemon up")
                    except AssertionError as e:
                        failures.append("round %d: %s" % (rnd, e))
                        continue
                    # both key pairs open on both daemons: one master key, one bootstrap
                    if c2.call("getRegionList").status != 200:
                        failures.append("round %d: account key refused" % rnd)
                mode = stat.S_IMODE(os.stat(db + ".key").st_mode)
                if mode != 0o600:
                    failures.append("round %d: key file mode %o" % (rnd, mode))
                dbmode = stat.S_IMODE(os.stat(db).st_mode)
                if dbmode != 0o600:
                    failures.append("round %d: database mode %o" % (rnd, dbmode))
                if [f for f in os.listdir(tmp) if f.endswith(".tmp")]:
                    failures.append("round %d: temporary key files left" % rnd)
                out = subprocess.run([BIN, "account", "list", "--db", db], env=env,
                                     capture_output=True, timeout=30).stdout.decode()
                if out.count("default") != 1 or out.count("racer") != 1:
                    failures.append("round %d: accounts %r" % (rnd, out))
            finally:
                for p in procs:
                    if p.poll() is None:
                        p.kill()
                    p.wait()
                    if p.stdout:
                        p.stdout.close()
                shutil.rmtree(tmp, ignore_errors=True)
        self.assertEqual(failures, [])


# ---------------------------------------------------------------------------
# 6. Numbers beyond int64, in every numeric parameter
# ---------------------------------------------------------------------------

ACTIONS_DEF = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "src", "spec", "actions.def")


def action_table():
    """[(action, [(param, type, required)])] read from THE action table."""
    acts, cur = [], None
    with open(ACTIONS_DEF, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"NCP_ACTION\((\w+),", line)
            if m:
                cur = (m.group(1), [])
                acts.append(cur)
                continue
            m = re.match(r"\s*NCP_PARAM\((\w+), (NCP_T_\w+), ([^,]+),", line)
            if m and cur:
                cur[1].append((m.group(1), m.group(2), "NCP_P_REQ" in m.group(3)))
    return acts


def filler(ptype):
    return {"NCP_T_STR": "abc", "NCP_T_INT": "1", "NCP_T_BOOL": "true", "NCP_T_NO": "1",
            "NCP_T_ENUM": None, "NCP_T_LIST_STR": "abc", "NCP_T_LIST_NO": "1"}.get(ptype)


class NumbersTest(NcpdTestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=30000)

    def test_19_and_20_digit_numbers_in_every_numeric_parameter(self):
        c = self.d.client()
        checked = 0
        for action, params in action_table():
            numeric = [p for p in params
                       if p[1] in ("NCP_T_NO", "NCP_T_LIST_NO", "NCP_T_INT") or
                       p[0].endswith("No") or p[0].endswith("NoList")]
            for name, ptype, _ in numeric:
                base = []
                for other, otype, req in params:
                    if req and other != name:
                        base.append((other + (".1" if "LIST" in otype else ""), filler(otype)))
                key = name + (".1" if ("LIST" in ptype or name.endswith("List")) else "")
                for value in ("9223372036854775808", "9999999999999999999",
                              "99999999999999999999", "18446744073709551617"):
                    for fmt in ("xml", "json"):
                        r = c.call(action, base + [(key, value)], method="POST", fmt=fmt)
                        checked += 1
                        body = r.body.decode("utf-8", "replace")
                        with self.subTest(action=action, param=key, value=value, fmt=fmt):
                            self.assertEqual(r.status, 400, r)
                            code = decode(r, fmt)[1].get("returnCode")
                            self.assertIn(code, ("910", "24109"), r)
                            self.assertNotRegex(body, r"-\d{6,}", "a wrapped number echoed")
                            self.assertNotIn("8446744073709551617", body)
        self.assertGreater(checked, 100)

    def test_largest_int64_is_well_formed_and_leading_zeros_read_as_the_number(self):
        c = self.d.client()
        r = c.call("stopServerInstances", no_list(["9223372036854775807"]), fmt="json")
        self.assert_api_error(r, "json", 24120, MSG["24120"])
        r = c.call("getServerInstanceList", no_list(["0001021003"]), fmt="json")
        inner = decode(r, "json")[1]
        self.assertEqual([s["serverInstanceNo"] for s in inner["serverInstanceList"]],
                         ["1021003"])
        r = c.call("getAccessControlRuleList", [("accessControlGroupConfigurationNo",
                                                 "9999999999999999999")], fmt="json")
        self.assert_api_error(r, "json", 910,
                              "Invalid parameter. location : accessControlGroupConfigurationNo.")


# ---------------------------------------------------------------------------
# 7. Request bodies share one memory budget
# ---------------------------------------------------------------------------

class BodyBudgetTest(NcpdTestCase):
    def test_bodies_in_flight_are_bounded(self):
        d = self.new_daemon(max_body=131072, extra_args=["--max-body-total", "300000"])
        held = []
        try:
            for _ in range(2):
                s = socket.create_connection(("127.0.0.1", d.port), timeout=10)
                s.sendall(b"POST /server/v2/getRegionList HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Type: application/x-www-form-urlencoded\r\n"
                          b"Content-Length: 120000\r\n\r\n" + b"a" * 100000)
                held.append(s)
            time.sleep(0.3)
            c = d.client()
            body = "responseFormatType=json&" + "x" * 119000
            r = c.raw("POST", "/server/v2/getRegionList",
                      dict(c.signed_headers("POST", "/server/v2/getRegionList"),
                           **{"Content-Type": "application/x-www-form-urlencoded"}),
                      body.encode())
            self.assert_gateway_error(r, 503, "500")
            r = c.call("getRegionList", fmt="json")  # small requests still served
            self.assertEqual(r.status, 200, r)
        finally:
            for s in held:
                s.close()
        time.sleep(0.3)
        r = d.client().call("getRegionList", [("regionNo", "1")], method="POST", fmt="json")
        self.assertEqual(r.status, 200, r)


if __name__ == "__main__":
    unittest.main()

"""Transitions (DECISIONS D5), restart mid-transition, kill -9 durability, SIGTERM."""

import signal
import socket
import time
import unittest

from ncpd_harness import (DATE_RE, NcpdTestCase, Daemon, kst_now, no_list, parse_date,
                          wait_for)

STATUS_NAMES = {"RUN": "Server run state", "NSTOP": "Server normal stopped state"}
OP_NAMES = {"NULL": "Server NULL OP", "SHTDN": "Server SHUTDOWN OP", "START": "Server START OP"}


class TransitionTest(NcpdTestCase):

    def check_item(self, s, status, op, name):
        self.assertEqual(s["serverInstanceStatus"], {"code": status,
                                                     "codeName": STATUS_NAMES[status]})
        self.assertEqual(s["serverInstanceOperation"], {"code": op, "codeName": OP_NAMES[op]})
        self.assertEqual(s["serverInstanceStatusName"], name)

    def test_stop_shows_shutting_down_then_stopped_after_one_step(self):
        d = self.new_daemon(sim_step_ms=1000)
        c = d.client()
        t0 = time.monotonic()
        r = c.call("stopServerInstances", no_list(["1021004"]), method="POST", fmt="json")
        inner = self.assert_success(r, "json", "stopServerInstances")
        self.assertEqual(inner["totalRows"], 1)
        self.check_item(inner["serverInstanceList"][0], "RUN", "SHTDN", "shutting down")
        self.assert_state(c, "1021004", "RUN", "SHTDN", "shutting down")
        self.wait_state(c, "1021004", "NSTOP", "NULL")
        elapsed = time.monotonic() - t0
        self.assertGreaterEqual(elapsed, 0.5, "stop finished long before one step (1000 ms)")
        s = c.server_map()["1021004"]
        self.check_item(s, "NSTOP", "NULL", "stopped")
        # others untouched
        self.assertEqual(c.states(), {"1021003": ("RUN", "NULL"), "1021004": ("NSTOP", "NULL"),
                                      "1021005": ("NSTOP", "NULL"),
                                      "1021006": ("NSTOP", "NULL")})

    def test_start_shows_booting_then_running_with_new_uptime(self):
        d = self.new_daemon(sim_step_ms=500)
        c = d.client()
        before = c.server_map()["1021005"]
        r = c.call("startServerInstances", no_list(["1021005"]), fmt="json")
        inner = self.assert_success(r, "json", "startServerInstances")
        self.assertEqual(inner["totalRows"], 1)
        self.check_item(inner["serverInstanceList"][0], "NSTOP", "START", "booting")
        self.assert_state(c, "1021005", "NSTOP", "START", "booting")
        self.wait_state(c, "1021005", "RUN", "NULL")
        after = c.server_map()["1021005"]
        self.check_item(after, "RUN", "NULL", "running")
        self.assertEqual(after["createDate"], before["createDate"])
        self.assertRegex(after["uptime"], DATE_RE)
        self.assertNotEqual(after["uptime"], before["uptime"])
        delta = abs((parse_date(after["uptime"]) - kst_now()).total_seconds())
        self.assertLess(delta, 120, "uptime %s is not 'now'" % after["uptime"])

    def test_step_zero_full_cycle_of_seed_server(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        r = c.call("stopServerInstances", no_list(["1021003"]))
        obj = self.assert_success(r, "xml", "stopServerInstances")
        s = obj["serverInstanceList"][0]
        self.assertEqual((s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"],
                          s["serverInstanceStatusName"]), ("RUN", "SHTDN", "shutting down"))
        self.wait_state(c, "1021003", "NSTOP", "NULL")
        r = c.call("startServerInstances", no_list(["1021003"]))
        obj = self.assert_success(r, "xml", "startServerInstances")
        s = obj["serverInstanceList"][0]
        self.assertEqual((s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"],
                          s["serverInstanceStatusName"]), ("NSTOP", "START", "booting"))
        self.wait_state(c, "1021003", "RUN", "NULL")
        after = c.server_map()["1021003"]
        self.assertNotEqual(after["uptime"], "2018-11-23T17:38:44+0900")
        self.assertEqual(after["createDate"], "2018-10-22T16:19:50+0900")

    def test_long_step_keeps_transition_visible(self):
        d = self.new_daemon(sim_step_ms=30000)
        c = d.client()
        self.assert_success(c.call("stopServerInstances", no_list(["1021004"]), fmt="json"),
                            "json", "stopServerInstances")
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            self.assertEqual(c.state("1021004")[:2], ("RUN", "SHTDN"))
            time.sleep(0.05)

    def test_multi_server_stop(self):
        d = self.new_daemon(sim_step_ms=200)
        c = d.client()
        r = c.call("stopServerInstances", no_list(["1021004", "1021003"]), method="POST",
                   fmt="json")
        inner = self.assert_success(r, "json", "stopServerInstances")
        self.assertEqual(inner["totalRows"], 2)
        self.assertEqual(sorted(s["serverInstanceNo"] for s in inner["serverInstanceList"]),
                         ["1021003", "1021004"])
        for s in inner["serverInstanceList"]:
            self.check_item(s, "RUN", "SHTDN", "shutting down")
        self.wait_state(c, "1021003", "NSTOP", "NULL")
        self.wait_state(c, "1021004", "NSTOP", "NULL")
        r = c.call("startServerInstances", no_list(["1021003", "1021004", "1021005", "1021006"]),
                   fmt="json")
        inner = self.assert_success(r, "json", "startServerInstances")
        self.assertEqual(inner["totalRows"], 4)
        for n in ("1021003", "1021004", "1021005", "1021006"):
            self.wait_state(c, n, "RUN", "NULL")


class RestartTest(NcpdTestCase):

    def all_settled(self, c):
        st = c.states()
        return all(op == "NULL" for _, op in st.values()) and st

    def test_transition_completes_after_kill9(self):
        d = self.new_daemon(sim_step_ms=1500)
        c = d.client()
        self.assert_success(c.call("stopServerInstances", no_list(["1021004"]), fmt="json"),
                            "json", "stopServerInstances")
        self.assert_success(c.call("startServerInstances", no_list(["1021005"]), fmt="json"),
                            "json", "startServerInstances")
        d.restart(kill=True)
        st = c.state("1021004")
        self.assertIn(st[:2], (("RUN", "SHTDN"), ("NSTOP", "NULL")))
        settled = wait_for(lambda: self.all_settled(c), timeout=10,
                           message="all servers back to operation NULL after restart")
        self.assertEqual(settled, {"1021003": ("RUN", "NULL"), "1021004": ("NSTOP", "NULL"),
                                   "1021005": ("RUN", "NULL"), "1021006": ("NSTOP", "NULL")})

    def test_transition_completes_after_sigterm(self):
        d = self.new_daemon(sim_step_ms=1500)
        c = d.client()
        self.assert_success(c.call("stopServerInstances", no_list(["1021003"]), fmt="json"),
                            "json", "stopServerInstances")
        rc = d.stop(signal.SIGTERM)
        self.assertEqual(rc, 0)
        d.start()
        settled = wait_for(lambda: self.all_settled(c), timeout=10,
                           message="all servers back to operation NULL after restart")
        self.assertEqual(settled["1021003"], ("NSTOP", "NULL"))

    def test_overdue_transition_completes_after_restart(self):
        d = self.new_daemon(sim_step_ms=200)
        c = d.client()
        self.assert_success(c.call("stopServerInstances", no_list(["1021004"]), fmt="json"),
                            "json", "stopServerInstances")
        d.kill9()
        time.sleep(0.4)  # let the step become overdue while the daemon is down
        d.start()
        self.wait_state(c, "1021004", "NSTOP", "NULL")
        wait_for(lambda: self.all_settled(c), timeout=10, message="no pending operation")

    def test_answered_transition_never_lost_on_kill9(self):
        d = self.new_daemon(sim_step_ms=30000)
        c = d.client()
        cases = (("stopServerInstances", "1021003", {("RUN", "SHTDN"), ("NSTOP", "NULL")}),
                 ("stopServerInstances", "1021004", {("RUN", "SHTDN"), ("NSTOP", "NULL")}),
                 ("startServerInstances", "1021005", {("NSTOP", "START"), ("RUN", "NULL")}),
                 ("startServerInstances", "1021006", {("NSTOP", "START"), ("RUN", "NULL")}))
        for action, no, allowed in cases:
            with self.subTest(action=action, server=no):
                r = c.call(action, no_list([no]), method="POST", fmt="json")
                self.assertEqual(r.status, 200, r)
                d.kill9()  # right after the answer
                d.start()
                self.assertIn(c.state(no)[:2], allowed)

    def test_completed_state_survives_restart_and_fixture_not_reapplied(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        ak, sk = d.create_account("keeper")
        self.assert_success(c.call("stopServerInstances", no_list(["1021003"]), fmt="json"),
                            "json", "stopServerInstances")
        self.wait_state(c, "1021003", "NSTOP", "NULL")
        for kill in (False, True):
            with self.subTest(kill9=kill):
                d.restart(kill=kill)
                self.assertEqual(c.states(), {"1021003": ("NSTOP", "NULL"),
                                              "1021004": ("RUN", "NULL"),
                                              "1021005": ("NSTOP", "NULL"),
                                              "1021006": ("NSTOP", "NULL")})
                r = d.client(ak, sk).call("getServerInstanceList", fmt="json")
                self.assertEqual(self.assert_success(r, "json",
                                                     "getServerInstanceList")["totalRows"], 0)


class SignalTest(NcpdTestCase):

    def test_sigterm_exits_zero_promptly(self):
        d = self.new_daemon(sim_step_ms=30000)
        t0 = time.monotonic()
        rc = d.stop(signal.SIGTERM, timeout=10)
        self.assertEqual(rc, 0)
        self.assertLess(time.monotonic() - t0, 5.0)

    def test_sigterm_with_idle_connection_and_pending_transition(self):
        d = self.new_daemon(sim_step_ms=30000)
        c = d.client()
        self.assert_success(c.call("stopServerInstances", no_list(["1021004"]), fmt="json"),
                            "json", "stopServerInstances")
        idle = socket.create_connection(("127.0.0.1", d.port), timeout=5)
        half = socket.create_connection(("127.0.0.1", d.port), timeout=5)
        try:
            half.sendall(b"GET /server/v2/getServerInstanceList HTTP/1.1\r\nHost: x\r\n")
            t0 = time.monotonic()
            rc = d.stop(signal.SIGTERM, timeout=30)
            elapsed = time.monotonic() - t0
            self.assertEqual(rc, 0)
            self.assertLess(elapsed, 5.0, "SIGTERM took %.1fs with a stalled request open"
                            % elapsed)
        finally:
            idle.close()
            half.close()
        d.start()
        self.assertIn(c.state("1021004")[:2], (("RUN", "SHTDN"), ("NSTOP", "NULL")))


class ConfigTest(NcpdTestCase):

    def test_configuration_through_environment(self):
        d = Daemon(sim_step_ms=0, via_env=True)
        self.addCleanup(d.cleanup)
        d.start()
        c = d.client()
        self.assertEqual(len(c.server_map()), 4)
        self.assert_success(c.call("stopServerInstances", no_list(["1021004"]), fmt="json"),
                            "json", "stopServerInstances")
        self.wait_state(c, "1021004", "NSTOP", "NULL", timeout=5)

    def test_date_offset(self):
        # dates render in Asia/Seoul (+0900) by default; --date-offset changes the zone
        for args, want in (([], "2018-10-22T16:19:50+0900"),
                           (["--date-offset", "0"], "2018-10-22T07:19:50+0000"),
                           (["--date-offset", "-330"], "2018-10-22T01:49:50-0530")):
            d = self.new_daemon(sim_step_ms=0, extra_args=args)
            for fmt in ("xml", "json"):
                r = d.client().call("getServerInstanceList", no_list(["1021003"]), fmt=fmt)
                self.assertIn(want.encode(), r.body, (args, fmt))

    def test_without_fixture_account_has_no_servers(self):
        d = self.new_daemon(sim_step_ms=0, fixture=None)
        c = d.client()
        r = c.call("getServerInstanceList", fmt="json")
        self.assertEqual(self.assert_success(r, "json", "getServerInstanceList")["totalRows"], 0)
        r = c.call("stopServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_api_error(r, "json", 24120,
                              "The input parameter server instance number is invalid.")


if __name__ == "__main__":
    unittest.main()

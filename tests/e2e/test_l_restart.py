"""kill -9 in the middle of the new transitions (DECISIONS D5: pending steps are
stored, a restart resumes them, nothing stays in a transition forever), and instance
numbers are never handed out twice."""

import time
import unittest

from ncpd_harness import no_list
from lifecycle_util import (CHANGE_STATES, CREATE_STATES, LINUX_IMAGE, REBOOT_STATES,
                            STOP_STATES, TERMINATE_STATES, LifecycleCase)


class RestartTest(LifecycleCase):

    def test_kill9_right_after_create(self):
        d = self.new_daemon(sim_step_ms=300)
        c = d.client()
        self.create_key(c, "r-key")
        seed = set(c.server_map())
        servers = self.create(c, [("serverImageProductCode", LINUX_IMAGE), ("serverName", "rsv"),
                                  ("serverCreateCount", "3")])
        nos = [s["serverInstanceNo"] for s in servers]
        d.restart(kill=True)
        # the acknowledged create survived the kill
        listed = c.server_map()
        for no in nos:
            self.assertIn(no, listed, "created server %s lost by kill -9" % no)
        self.assertEqual(sorted(listed[n]["serverName"] for n in nos),
                         ["rsv-001", "rsv-002", "rsv-003"])
        seen = self.observe(c, nos, ("RUN", "NULL"), CREATE_STATES, timeout=20)
        self.assertTrue(seen)
        # nothing else is stuck, the seed servers are as they were
        for no, st in c.states().items():
            self.assertEqual(st[1], "NULL", "server %s stuck in %s" % (no, st))
        # later creates never reuse a number
        more = self.create_nos(c, [("serverImageProductCode", LINUX_IMAGE), ("serverName", "rtx"),
                                   ("serverCreateCount", "2")])
        self.assertFalse(set(more) & (set(nos) | seed), "instance numbers reused: %s" % more)
        self.observe(c, more, ("RUN", "NULL"), CREATE_STATES, timeout=20)

    def test_kill9_twice_during_create(self):
        d = self.new_daemon(sim_step_ms=300)
        c = d.client()
        self.create_key(c, "r-key")
        nos = self.create_nos(c, [("serverImageProductCode", LINUX_IMAGE),
                                  ("serverCreateCount", "2"), ("serverName", "twc")])
        d.restart(kill=True)
        time.sleep(0.35)
        d.restart(kill=True)
        self.observe(c, nos, ("RUN", "NULL"), CREATE_STATES, timeout=20)

    def test_kill9_during_terminate_and_numbers_not_reused(self):
        d = self.new_daemon(sim_step_ms=300)
        c = d.client()
        self.create_key(c, "r-key")
        nos = self.create_nos(c, [("serverImageProductCode", LINUX_IMAGE),
                                  ("serverCreateCount", "2"), ("serverName", "tmn")])
        self.observe(c, nos, ("RUN", "NULL"), CREATE_STATES, timeout=20)
        self.call_ok(c, "stopServerInstances", no_list(nos))
        self.observe(c, nos, ("NSTOP", "NULL"), STOP_STATES)
        inner = self.call_ok(c, "terminateServerInstances", no_list(nos))
        for s in inner["serverInstanceList"]:
            self.check_server_item(s, "NSTOP", "TERMT", "terminating")
        d.restart(kill=True)
        self.observe(c, nos, None, TERMINATE_STATES, gone=True, timeout=20)
        r = c.call("stopServerInstances", no_list(nos[:1]), fmt="json")
        self.assertEqual(self.error_of(r, "json")[1], "24120")
        d.restart(kill=True)
        self.assertEqual(self.list_text(c, nos)["totalRows"], "0", "terminated servers came back")
        more = self.create_nos(c, [("serverImageProductCode", LINUX_IMAGE),
                                   ("serverCreateCount", "3"), ("serverName", "tnw")])
        self.assertFalse(set(more) & set(nos), "terminated numbers reused: %s" % more)

    def test_kill9_during_change_spec_and_reboot(self):
        d = self.new_daemon(sim_step_ms=300)
        c = d.client()
        self.create_key(c, "r-key")
        # 1021005 is stopped (SPSVRSTAND000004), 1021003 is running
        inner = self.call_ok(c, "changeServerInstanceSpec",
                             [("serverInstanceNo", "1021005"),
                              ("serverProductCode", "SPSVRSTAND000005")])
        self.check_server_item(inner["serverInstanceList"][0], "NSTOP", "CHNG", "changingSpec")
        inner = self.call_ok(c, "rebootServerInstances", no_list(["1021003"]))
        self.check_server_item(inner["serverInstanceList"][0], "RUN", "RESTA", "rebooting")
        d.restart(kill=True)
        self.observe(c, ["1021005"], ("NSTOP", "NULL"), CHANGE_STATES, timeout=20)
        self.observe(c, ["1021003"], ("RUN", "NULL"), REBOOT_STATES, timeout=20)
        s = c.server_map()["1021005"]
        self.assertEqual((s["serverProductCode"], s["cpuCount"], s["memorySize"]),
                         ("SPSVRSTAND000005", 4, 8589934592))

    def test_login_key_and_protection_survive_kill9(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        pem = self.create_key(c, "durable")
        fp = self.key_list(c, [("keyName", "durable")])[0]["fingerprint"]
        (no,) = self.create_nos(c, [("serverImageProductCode", LINUX_IMAGE),
                                    ("loginKeyName", "durable"),
                                    ("isProtectServerTermination", "true")])
        self.observe(c, [no], ("RUN", "NULL"), CREATE_STATES)
        pw = self.call_ok(c, "getRootPassword", [("serverInstanceNo", no),
                                                 ("privateKey", pem)])["rootPassword"]
        d.restart(kill=True)
        self.assertEqual(self.key_list(c, [("keyName", "durable")])[0]["fingerprint"], fp)
        self.assertIs(c.server_map()[no]["isProtectServerTermination"], True)
        self.assertEqual(self.call_ok(c, "getRootPassword", [("serverInstanceNo", no),
                                                             ("privateKey", pem)])[
            "rootPassword"], pw, "the root password changed across a restart")


if __name__ == "__main__":
    unittest.main()

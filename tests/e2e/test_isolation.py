"""Accounts see and act on their own servers only (DECISIONS D7)."""

import unittest

from ncpd_harness import MSG, NcpdTestCase, lenient_inner, no_list

INITIAL = {"1021003": ("RUN", "NULL"), "1021004": ("RUN", "NULL"),
           "1021005": ("NSTOP", "NULL"), "1021006": ("NSTOP", "NULL")}
LIST = "getServerInstanceList"


class IsolationTest(NcpdTestCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=30000)
        cls.a = cls.d.client()
        ak, sk = cls.d.create_account("tenant-b")
        cls.b = cls.d.client(ak, sk)

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())
        self.assertEqual(self.a.states(), INITIAL, "account A's servers changed")

    def test_foreign_server_answered_like_unknown_on_stop_and_start(self):
        for action, no in (("stopServerInstances", "1021003"), ("stopServerInstances", "1021004"),
                           ("startServerInstances", "1021005")):
            for fmt in ("xml", "json"):
                for method in ("GET", "POST"):
                    with self.subTest(action=action, no=no, fmt=fmt, method=method):
                        foreign = self.b.call(action, no_list([no]), method=method, fmt=fmt)
                        unknown = self.b.call(action, no_list(["9999999"]), method=method,
                                              fmt=fmt)
                        self.assert_api_error(foreign, fmt, 24120, MSG["24120"])
                        self.assertEqual(foreign.status, unknown.status)
                        self.assertEqual(foreign.body, unknown.body)

    def test_foreign_server_not_listed(self):
        for fmt in ("xml", "json"):
            with self.subTest(fmt=fmt):
                foreign = self.b.call(LIST, no_list(["1021003"]), fmt=fmt)
                unknown = self.b.call(LIST, no_list(["9999999"]), fmt=fmt)
                of = self.assert_success(foreign, fmt, LIST)
                ou = self.assert_success(unknown, fmt, LIST)
                self.assertEqual(int(of["totalRows"]), 0)
                self.assertEqual(of["serverInstanceList"], [])
                del of["requestId"], ou["requestId"]
                self.assertEqual(of, ou)
                self.assertEqual(foreign.status, unknown.status)
                # byte-level: identical apart from the requestId
                self.assertEqual(len(foreign.body), len(unknown.body))

    def test_b_sees_nothing_through_any_filter(self):
        for params in (None, [("searchFilterName", "ip"), ("searchFilterValue", "10.41.0.12")],
                       [("searchFilterName", "serverName"), ("searchFilterValue", "web")],
                       [("zoneNo", "2")], no_list(["env"], "tagKeyList"),
                       [("serverInstanceStatusCode", "RUN")]):
            with self.subTest(params=params):
                r = self.b.call(LIST, params, fmt="json")
                inner = self.assert_success(r, "json", LIST)
                self.assertEqual(inner["totalRows"], 0)

    def test_mixed_list_rejected_entirely(self):
        # B names a number of A's among unknown ones: same answer as unknown
        r = self.b.call("stopServerInstances", no_list(["1021004", "9999998"]), fmt="json")
        self.assert_api_error(r, "json", 24120, MSG["24120"])

    def test_a_cannot_be_touched_but_a_itself_still_works(self):
        r = self.a.call(LIST, fmt="json")
        self.assertEqual(lenient_inner(r.body)["totalRows"], 4)

    def test_foreign_block_storage_number_does_not_leak(self):
        # D7 "existence never leaks": A's block storage number must look to B exactly
        # like a plain unknown number (not 24109, which would reveal that it exists).
        foreign = self.b.call("stopServerInstances", no_list(["1021103"]), fmt="json")
        unknown = self.b.call("stopServerInstances", no_list(["9999999"]), fmt="json")
        self.assertEqual((foreign.status, foreign.body), (unknown.status, unknown.body))


if __name__ == "__main__":
    unittest.main()

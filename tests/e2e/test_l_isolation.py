"""Account isolation for every lifecycle / login-key / ACG action (DECISIONS D7):
account B naming account A's server numbers, ACG number or login key name gets
exactly the answer it gets for a number / name that does not exist, and A's
resources are unchanged afterwards."""

import json
import time
import unittest

from ncpd_harness import decode, no_list
from lifecycle_util import (CREATE_STATES, FORMATS, LINUX_IMAGE, SEED_ACG, UNKNOWN_NO,
                            LifecycleCase, generate_ssh_keypair, msg_24076)

METHODS = ("GET", "POST")
UNKNOWN_KEY = "zz-no-such-key"


def _wait_running(client, nos, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = client.states()
        if all(st.get(n) == ("RUN", "NULL") for n in nos):
            return
        time.sleep(0.02)
    raise AssertionError("servers %s did not reach RUN/NULL: %s" % (nos, client.states()))


class IsolationTest(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=0)
        cls.a = cls.d.client()
        r = cls.a.call("createLoginKey", [("keyName", "a-key")], method="POST", fmt="json")
        assert r.status == 200, r
        cls.a_pem = json.loads(r.body)["createLoginKeyResponse"]["privateKey"]
        r = cls.a.call("createServerInstances", [("serverImageProductCode", LINUX_IMAGE),
                                                 ("serverName", "a-srv"),
                                                 ("loginKeyName", "a-key")],
                       method="POST", fmt="json")
        assert r.status == 200, r
        cls.a_srv = json.loads(r.body)["createServerInstancesResponse"][
            "serverInstanceList"][0]["serverInstanceNo"]
        _wait_running(cls.a, [cls.a_srv])
        ak, sk = cls.d.create_account("tenant-b")
        cls.b = cls.d.client(ak, sk)
        r = cls.b.call("createLoginKey", [("keyName", "b-key")], method="POST", fmt="json")
        assert r.status == 200, r

    def setUp(self):
        self.a_before = self.snapshot(self.a)
        self.b_servers = set(self.b.server_map())

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())
        self.assertEqual(self.snapshot(self.a), self.a_before, "account A's resources changed")
        self.assertEqual(set(self.b.server_map()), self.b_servers,
                         "account B got servers from a rejected request")

    # ------------------------------------------------------------------------

    def answer(self, resp, fmt):
        """(status, returnCode, returnMessage, rest-of-body without requestId)."""
        root, inner = decode(resp, fmt)
        inner = dict(inner)
        inner.pop("requestId", None)
        return resp.status, root, inner

    def same(self, action, foreign_params, unknown_params, expect_code, subst=None,
             methods=METHODS):
        """B's answer with A's resource == B's answer with an unknown one (the message
        may name the number itself: subst=(a_value, unknown_value))."""
        for fmt in FORMATS:
            for method in methods:
                with self.subTest(action=action, fmt=fmt, method=method):
                    f = self.b.call(action, foreign_params, method=method, fmt=fmt)
                    u = self.b.call(action, unknown_params, method=method, fmt=fmt)
                    fs, froot, finner = self.answer(f, fmt)
                    us, uroot, uinner = self.answer(u, fmt)
                    self.assertEqual(str(uinner.get("returnCode")), str(expect_code),
                                     "answer for the unknown value: %r" % u)
                    if subst and isinstance(finner.get("returnMessage"), str):
                        finner["returnMessage"] = finner["returnMessage"].replace(*subst)
                    self.assertEqual((fs, froot, finner), (us, uroot, uinner),
                                     "foreign %r\nunknown %r" % (f, u))

    # -- server actions --------------------------------------------------------

    def test_list_actions_on_foreign_servers(self):
        for action in ("stopServerInstances", "startServerInstances", "rebootServerInstances",
                       "terminateServerInstances"):
            for no in (self.a_srv, "1021005", "1021003"):
                self.same(action, no_list([no]), no_list([UNKNOWN_NO]), 24120)
            self.same(action, no_list([self.a_srv, "1021006"]),
                      no_list([UNKNOWN_NO, "9999998"]), 24120)

    def test_get_server_instance_list(self):
        self.same("getServerInstanceList", no_list([self.a_srv, "1021003"]),
                  no_list([UNKNOWN_NO, "9999998"]), 0)
        self.same("getServerInstanceList", [("searchFilterName", "serverName"),
                                            ("searchFilterValue", "a-srv")],
                  [("searchFilterName", "serverName"), ("searchFilterValue", "zz-none")], 0)

    def test_change_spec(self):
        for no, product in ((self.a_srv, "SPSVRSTAND000005"),
                            ("1021005", "SPSVRSTAND000004"),    # A would get 10503
                            ("1021005", "SPSVRSTAND999999")):   # A would get 10712
            self.same("changeServerInstanceSpec",
                      [("serverInstanceNo", no), ("serverProductCode", product)],
                      [("serverInstanceNo", UNKNOWN_NO), ("serverProductCode", product)], 24120)

    def test_root_password(self):
        self.same("getRootPassword", [("serverInstanceNo", self.a_srv),
                                      ("privateKey", self.a_pem)],
                  [("serverInstanceNo", UNKNOWN_NO), ("privateKey", self.a_pem)], 24120)
        self.same("getRootPassword", [("serverInstanceNo", self.a_srv)],
                  [("serverInstanceNo", UNKNOWN_NO)], 24120)

    def test_root_password_list(self):
        def params(no):
            return [("rootPasswordServerInstanceList.1.serverInstanceNo", no),
                    ("rootPasswordServerInstanceList.1.privateKey", self.a_pem)]
        self.same("getRootPasswordServerInstanceList", params(self.a_srv), params(UNKNOWN_NO),
                  24120, methods=("POST",))

    def test_set_protect(self):
        for value in ("true", "false"):
            self.same("setProtectServerTermination",
                      [("serverInstanceNo", self.a_srv), ("isProtectServerTermination", value)],
                      [("serverInstanceNo", UNKNOWN_NO), ("isProtectServerTermination", value)],
                      24120)

    # -- ACGs ------------------------------------------------------------------

    def test_acg_rules(self):
        self.same("getAccessControlRuleList", [("accessControlGroupConfigurationNo", SEED_ACG)],
                  [("accessControlGroupConfigurationNo", UNKNOWN_NO)], 24076,
                  subst=(SEED_ACG, UNKNOWN_NO))

    def test_acg_servers(self):
        self.same("getAccessControlGroupServerInstanceList",
                  [("accessControlGroupConfigurationNo", SEED_ACG)],
                  [("accessControlGroupConfigurationNo", UNKNOWN_NO)], 24076,
                  subst=(SEED_ACG, UNKNOWN_NO))

    def test_acg_list_filter(self):
        # whatever ncpd answers for an unknown number in the filter, A's is the same
        u = self.b.call("getAccessControlGroupList",
                        [("accessControlGroupConfigurationNoList.1", UNKNOWN_NO)], fmt="json")
        code = json.loads(u.body)
        (inner,) = code.values()
        self.same("getAccessControlGroupList",
                  [("accessControlGroupConfigurationNoList.1", SEED_ACG)],
                  [("accessControlGroupConfigurationNoList.1", UNKNOWN_NO)],
                  inner.get("returnCode"), subst=(SEED_ACG, UNKNOWN_NO))
        groups = self.call_ok(self.b, "getAccessControlGroupList")["accessControlGroupList"]
        self.assertNotIn(SEED_ACG, [g["accessControlGroupConfigurationNo"] for g in groups])

    def test_create_with_foreign_acg(self):
        base = [("serverImageProductCode", LINUX_IMAGE), ("serverName", "b-srv")]
        self.same("createServerInstances",
                  base + [("accessControlGroupConfigurationNoList.1", SEED_ACG)],
                  base + [("accessControlGroupConfigurationNoList.1", UNKNOWN_NO)], 24076,
                  subst=(SEED_ACG, UNKNOWN_NO))

    def test_a_cannot_use_b_acg(self):
        b_acg = self.default_acg(self.b)
        for fmt in FORMATS:
            r = self.a.call("createServerInstances",
                            [("serverImageProductCode", LINUX_IMAGE),
                             ("accessControlGroupConfigurationNoList.1", b_acg)],
                            method="POST", fmt=fmt)
            self.assert_api_error(r, fmt, 24076, msg_24076(b_acg))
            r = self.a.call("getAccessControlRuleList",
                            [("accessControlGroupConfigurationNo", b_acg)], fmt=fmt)
            self.assert_api_error(r, fmt, 24076, msg_24076(b_acg))

    # -- login keys --------------------------------------------------------------

    def test_create_with_foreign_login_key(self):
        base = [("serverImageProductCode", LINUX_IMAGE), ("serverName", "b-srv")]
        self.same("createServerInstances", base + [("loginKeyName", "a-key")],
                  base + [("loginKeyName", UNKNOWN_KEY)], 10406)

    def test_delete_foreign_login_key(self):
        self.same("deleteLoginKey", [("keyName", "a-key")], [("keyName", UNKNOWN_KEY)], 10406)

    def test_list_foreign_login_key(self):
        self.same("getLoginKeyList", [("keyName", "a-key")], [("keyName", UNKNOWN_KEY)], 0)
        keys = [k["keyName"] for k in self.key_list(self.b)]
        self.assertEqual(keys, ["b-key"])


class NamespaceTest(LifecycleCase):
    """Names are per account: B may use A's server and key names."""

    def test_b_may_reuse_a_names(self):
        d = self.new_daemon(sim_step_ms=0)
        a = d.client()
        self.create_key(a, "same-key")
        (a_srv,) = self.create_nos(a, [("serverImageProductCode", LINUX_IMAGE),
                                       ("serverName", "same-name")])
        self.observe(a, [a_srv], ("RUN", "NULL"), CREATE_STATES)
        self.create_key(a, "second-key")
        before = self.snapshot(a)
        ak, sk = d.create_account("tenant-b")
        b = d.client(ak, sk)
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                name = "same-key" if fmt == "xml" else "web-01"
                r = b.call("createLoginKey", [("keyName", name)], method="POST", fmt=fmt)
                self.ok(r, fmt, "createLoginKey", total=None)
                servers = self.create(b, [("serverImageProductCode", LINUX_IMAGE),
                                          ("serverName",
                                           "same-name" if fmt == "xml" else "web-01"),
                                          ("loginKeyName", name)], fmt=fmt)
                self.assertEqual(len(servers), 1)
                self.assertNotEqual(servers[0]["serverInstanceNo"], a_srv)
        self.assertEqual(sorted(s["serverName"] for s in b.server_map().values()),
                         ["same-name", "web-01"])
        # importLoginKey with the name of another of A's keys
        self.assertEqual(self.call_ok(b, "importLoginKey",
                                      [("keyName", "second-key"),
                                       ("publicKey", generate_ssh_keypair()[0])])[
            "loginKeyList"][0]["keyName"], "second-key")
        after = self.snapshot(a)
        self.assertEqual(after, before, "A changed when B used the same names")


if __name__ == "__main__":
    unittest.main()

"""Login keys (create / import / list / delete, fingerprints) and the read-only ACG
actions (docs/compat.md "Login keys and ACGs", login-key-acg.md)."""

import unittest

from ncpd_harness import DATE_RE, no_list
from lifecycle_util import (CREATE_STATES, FINGERPRINT_RE, FORMATS, LINUX_IMAGE, LMSG,
                            PEM_BEGIN, PEM_END, SEED_ACG, LifecycleCase, generate_ssh_keypair,
                            md5_fingerprint_of_line, openssl_check, ssh_keygen_md5,
                            ssh_line_from_pem)


class LoginKeyTest(LifecycleCase):

    def setUp(self):
        self.d = self.new_daemon(sim_step_ms=0)
        ak, sk = self.d.create_account("keys")
        self.c = self.d.client(ak, sk)     # a fresh account: no keys at all

    def test_fresh_account_has_no_keys(self):
        for fmt in FORMATS:
            inner = self.call_ok(self.c, "getLoginKeyList", None, fmt=fmt)
            self.assertEqual(inner["totalRows"], "0")
            self.assertEqual(inner["loginKeyList"], [])

    def test_create_answers_pkcs1_pem_2048(self):
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                r = self.c.call("createLoginKey", [("keyName", "key-" + fmt)], method="POST",
                                fmt=fmt)
                inner = self.ok(r, fmt, "createLoginKey", total=None)
                pem = inner["privateKey"]
                self.assertTrue(pem.startswith(PEM_BEGIN + "\n"), pem[:50])
                self.assertTrue(pem.rstrip().endswith("\n" + PEM_END), pem[-50:])
                body = pem.strip().splitlines()[1:-1]
                self.assertTrue(all(len(line) <= 64 for line in body), "64-char base64 lines")
                ok, bits, err = openssl_check(pem)
                self.assertTrue(ok, err)
                self.assertEqual(bits, 2048)
                if fmt == "json":
                    typed = self.ok(r, "json", "createLoginKey", total=None, typed=True)
                    self.assertIsInstance(typed["privateKey"], str)
                    self.assertIn(b"\\n", r.body, "newlines are JSON \\n escapes")

    def test_every_key_is_different(self):
        a = self.create_key(self.c, "key-a")
        b = self.create_key(self.c, "key-b")
        self.assertNotEqual(a, b)

    def test_list_fingerprint_is_md5_of_openssh_blob(self):
        pem = self.create_key(self.c, "finger")
        (k,) = self.key_list(self.c)
        self.assertEqual(k["keyName"], "finger")
        self.assertRegex(k["fingerprint"], FINGERPRINT_RE)
        self.assertRegex(k["createDate"], DATE_RE)
        self.assertEqual(list(k), ["fingerprint", "keyName", "createDate"])
        line = ssh_line_from_pem(pem)
        self.assertEqual(k["fingerprint"], md5_fingerprint_of_line(line))
        via_ssh = ssh_keygen_md5(line)
        if via_ssh is not None:
            self.assertEqual(k["fingerprint"], via_ssh)

    def test_list_newest_first_exact_filter_and_paging(self):
        for name in ("k-first", "k-second", "k-third"):
            self.create_key(self.c, name)
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                inner = self.call_ok(self.c, "getLoginKeyList", None, fmt=fmt)
                self.assertEqual(inner["totalRows"], "3")
                self.assertEqual([k["keyName"] for k in inner["loginKeyList"]],
                                 ["k-third", "k-second", "k-first"])
                inner = self.call_ok(self.c, "getLoginKeyList", [("keyName", "k-second")],
                                     fmt=fmt, method="GET")
                self.assertEqual(inner["totalRows"], "1")
                self.assertEqual([k["keyName"] for k in inner["loginKeyList"]], ["k-second"])
                for miss in ("k-sec", "K-SECOND", "second", "k-second-x"):
                    inner = self.call_ok(self.c, "getLoginKeyList", [("keyName", miss)],
                                         fmt=fmt)
                    self.assertEqual((inner["totalRows"], inner["loginKeyList"]), ("0", []),
                                     miss)
                inner = self.call_ok(self.c, "getLoginKeyList",
                                     [("pageNo", "1"), ("pageSize", "2")], fmt=fmt)
                self.assertEqual(inner["totalRows"], "3")
                self.assertEqual([k["keyName"] for k in inner["loginKeyList"]],
                                 ["k-third", "k-second"])
                inner = self.call_ok(self.c, "getLoginKeyList",
                                     [("pageNo", "2"), ("pageSize", "2")], fmt=fmt)
                self.assertEqual(inner["totalRows"], "3")
                self.assertEqual([k["keyName"] for k in inner["loginKeyList"]], ["k-first"])
        typed = self.call_ok(self.c, "getLoginKeyList", None, typed=True)
        self.assertIs(type(typed["totalRows"]), int)
        for k in typed["loginKeyList"]:
            for f in ("fingerprint", "keyName", "createDate"):
                self.assertIsInstance(k[f], str)

    def test_key_name_rules(self):
        for name in ("abc", "a" * 30, "k1-2-3"):
            self.create_key(self.c, name)
        names = {k["keyName"] for k in self.key_list(self.c)}
        self.assertEqual(names, {"abc", "a" * 30, "k1-2-3"})

    def test_key_name_must_not_end_with_dash(self):
        # compat.md / login-key-acg.md §1.2: a key name starts with a letter and ends with
        # a letter or digit
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                r = self.c.call("createLoginKey", [("keyName", "key-" + fmt + "-")],
                                method="POST", fmt=fmt)
                self.assert_api_error(r, fmt, "910", "Invalid parameter. location : keyName.")

    def test_import_ssh_keygen_key(self):
        pub, priv = generate_ssh_keypair("someone@example")
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                name = "imp-" + fmt
                r = self.c.call("importLoginKey", [("keyName", name), ("publicKey", pub)],
                                method="POST", fmt=fmt)
                inner = self.ok(r, fmt, "importLoginKey")
                self.assertEqual(inner["totalRows"], "1")
                (k,) = inner["loginKeyList"]
                self.assertEqual(k["keyName"], name)
                self.assertRegex(k["fingerprint"], FINGERPRINT_RE)
                self.assertEqual(k["fingerprint"], md5_fingerprint_of_line(pub))
                via_ssh = ssh_keygen_md5(pub)
                if via_ssh is not None:
                    self.assertEqual(k["fingerprint"], via_ssh)
                self.assertRegex(k["createDate"], DATE_RE)
                listed = self.key_list(self.c, [("keyName", name)])
                self.assertEqual(listed[0]["fingerprint"], k["fingerprint"])

    def test_import_without_comment_and_via_get(self):
        pub, _ = generate_ssh_keypair()
        bare = " ".join(pub.split()[:2])
        r = self.c.call("importLoginKey", [("keyName", "bare"), ("publicKey", bare)],
                        method="GET", fmt="json")
        inner = self.ok(r, "json", "importLoginKey")
        self.assertEqual(inner["loginKeyList"][0]["fingerprint"], md5_fingerprint_of_line(pub))

    def test_imported_key_opens_the_root_password(self):
        pub, priv = generate_ssh_keypair()
        self.call_ok(self.c, "importLoginKey", [("keyName", "imported"), ("publicKey", pub)])
        (no,) = self.create_nos(self.c, [("serverImageProductCode", LINUX_IMAGE),
                                         ("loginKeyName", "imported")])
        self.observe(self.c, [no], ("RUN", "NULL"), CREATE_STATES)
        inner = self.call_ok(self.c, "getRootPassword", [("serverInstanceNo", no),
                                                         ("privateKey", priv)])
        self.assertTrue(inner["rootPassword"])
        other = self.create_key(self.c, "other")
        r = self.c.call("getRootPassword", [("serverInstanceNo", no), ("privateKey", other)],
                        fmt="json")
        self.assert_api_error(r, "json", 24001, LMSG["24001"])

    def test_default_login_key_is_most_recent(self):
        self.create_key(self.c, "older")
        self.create_key(self.c, "newer")
        (s,) = self.create(self.c, [("serverImageProductCode", LINUX_IMAGE)])
        self.assertEqual(s["loginKeyName"], "newer")

    def test_delete(self):
        self.create_key(self.c, "gone-x")
        self.create_key(self.c, "gone-j")
        for fmt, name in (("xml", "gone-x"), ("json", "gone-j")):
            with self.subTest(fmt=fmt):
                r = self.c.call("deleteLoginKey", [("keyName", name)], method="POST", fmt=fmt)
                self.ok(r, fmt, "deleteLoginKey", total=None)
                self.assertEqual(self.key_list(self.c, [("keyName", name)]), [])
                r = self.c.call("deleteLoginKey", [("keyName", name)], method="POST", fmt=fmt)
                self.assert_api_error(r, fmt, 10406, LMSG["10406"])
        self.assertEqual(self.key_list(self.c), [])
        # the name can be used again, for a new key
        self.create_key(self.c, "gone-x")
        self.assertEqual([k["keyName"] for k in self.key_list(self.c)], ["gone-x"])


class AcgTest(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=0)
        cls.c = cls.d.client()
        ak, sk = cls.d.create_account("acgs")
        cls.fresh = cls.d.client(ak, sk)

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def check_default_group(self, g, no=None):
        self.assertEqual(g["accessControlGroupName"], "ncloud-default-acg")
        self.assertEqual(g["accessControlGroupDescription"], "Default AccessControlGroup")
        self.assertEqual(g["isDefaultGroup"], "true")
        self.assertRegex(g["accessControlGroupConfigurationNo"], r"^[1-9][0-9]*$")
        self.assertRegex(g["createDate"], DATE_RE)
        if no is not None:
            self.assertEqual(g["accessControlGroupConfigurationNo"], no)

    def test_group_list_seed_account(self):
        for fmt in FORMATS:
            for method in ("GET", "POST"):
                with self.subTest(fmt=fmt, method=method):
                    inner = self.call_ok(self.c, "getAccessControlGroupList", None, fmt=fmt,
                                         method=method)
                    self.assertEqual(inner["totalRows"], "1")
                    (g,) = inner["accessControlGroupList"]
                    self.check_default_group(g, SEED_ACG)
                    self.assertEqual(g["createDate"], "2018-04-09T11:12:54+0900")
        typed = self.call_ok(self.c, "getAccessControlGroupList", None, typed=True)
        g = typed["accessControlGroupList"][0]
        self.assertIs(type(g["isDefaultGroup"]), bool)
        for f in ("accessControlGroupConfigurationNo", "accessControlGroupName",
                  "accessControlGroupDescription", "createDate"):
            self.assertIsInstance(g[f], str)

    def test_fresh_account_has_its_own_default_group(self):
        for fmt in FORMATS:
            inner = self.call_ok(self.fresh, "getAccessControlGroupList", None, fmt=fmt)
            self.assertEqual(inner["totalRows"], "1")
            (g,) = inner["accessControlGroupList"]
            self.check_default_group(g)
            self.assertNotEqual(g["accessControlGroupConfigurationNo"], SEED_ACG)

    def test_group_list_filters(self):
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                count = lambda params: self.call_ok(  # noqa: E731
                    self.c, "getAccessControlGroupList", params, fmt=fmt)["totalRows"]
                self.assertEqual(count([("isDefault", "true")]), "1")
                self.assertEqual(count([("isDefaultGroup", "true")]), "1")
                self.assertEqual(count([("accessControlGroupName", "ncloud-default-acg")]), "1")
                self.assertEqual(count([("accessControlGroupName", "other-acg")]), "0")
                self.assertEqual(count([("accessControlGroupConfigurationNoList.1", SEED_ACG)]),
                                 "1")
                self.assertEqual(count([("pageNo", "1"), ("pageSize", "1")]), "1")

    def test_default_rules(self):
        for fmt in FORMATS:
            for method in ("GET", "POST"):
                with self.subTest(fmt=fmt, method=method):
                    inner = self.call_ok(self.c, "getAccessControlRuleList",
                                         [("accessControlGroupConfigurationNo", SEED_ACG)],
                                         fmt=fmt, method=method)
                    self.assertEqual(inner["totalRows"], "3")
                    rules = inner["accessControlRuleList"]
                    self.assertEqual(sorted(r["destinationPort"] for r in rules),
                                     ["22", "3389", "80"])
                    nos = set()
                    for r in rules:
                        self.assertEqual(r["protocolType"]["code"], "TCP")
                        self.assertEqual(r["sourceIp"], "0.0.0.0/0")
                        self.assertRegex(r["accessControlRuleConfigurationNo"], r"^\d+$")
                        nos.add(r["accessControlRuleConfigurationNo"])
                    self.assertEqual(len(nos), 3)
        typed = self.call_ok(self.c, "getAccessControlRuleList",
                             [("accessControlGroupConfigurationNo", SEED_ACG)], typed=True)
        for r in typed["accessControlRuleList"]:
            for f in ("accessControlRuleConfigurationNo", "sourceIp", "destinationPort"):
                self.assertIsInstance(r[f], str)
            self.assertIsInstance(r["protocolType"]["code"], str)

    def test_fresh_account_default_rules(self):
        no = self.default_acg(self.fresh)
        inner = self.call_ok(self.fresh, "getAccessControlRuleList",
                             [("accessControlGroupConfigurationNo", no)])
        self.assertEqual(sorted(r["destinationPort"] for r in inner["accessControlRuleList"]),
                         ["22", "3389", "80"])

    def test_group_servers(self):
        seed = ["1021003", "1021004", "1021005", "1021006"]
        for fmt in FORMATS:
            for method in ("GET", "POST"):
                with self.subTest(fmt=fmt, method=method):
                    inner = self.call_ok(self.c, "getAccessControlGroupServerInstanceList",
                                         [("accessControlGroupConfigurationNo", SEED_ACG)],
                                         fmt=fmt, method=method)
                    got = [s["serverInstanceNo"] for s in inner["serverInstanceList"]]
                    self.assertEqual(int(inner["totalRows"]), len(got))
                    for no in seed:
                        self.assertIn(no, got)
        typed = self.call_ok(self.c, "getAccessControlGroupServerInstanceList",
                             [("accessControlGroupConfigurationNo", SEED_ACG)], typed=True)
        for s in typed["serverInstanceList"]:
            self.assert_server_json_types(s)

    def test_group_servers_follow_create_and_terminate(self):
        fno = self.default_acg(self.fresh)
        q = [("accessControlGroupConfigurationNo", fno)]
        inner = self.call_ok(self.fresh, "getAccessControlGroupServerInstanceList", q)
        self.assertEqual((inner["totalRows"], inner["serverInstanceList"]), ("0", []))
        self.create_key(self.fresh, "acg-key")
        (no,) = self.create_nos(self.fresh, [("serverImageProductCode", LINUX_IMAGE),
                                             ("accessControlGroupConfigurationNoList.1", fno)])
        s = self.fresh.server_map()[no]
        self.assertEqual([g["accessControlGroupConfigurationNo"]
                          for g in s["accessControlGroupList"]], [fno])
        inner = self.call_ok(self.fresh, "getAccessControlGroupServerInstanceList", q)
        self.assertEqual([x["serverInstanceNo"] for x in inner["serverInstanceList"]], [no])
        # A's group does not list the other account's server
        inner = self.call_ok(self.c, "getAccessControlGroupServerInstanceList",
                             [("accessControlGroupConfigurationNo", SEED_ACG)])
        self.assertNotIn(no, [x["serverInstanceNo"] for x in inner["serverInstanceList"]])
        self.observe(self.fresh, [no], ("RUN", "NULL"), CREATE_STATES)
        self.call_ok(self.fresh, "stopServerInstances", no_list([no]))
        self.observe(self.fresh, [no], ("NSTOP", "NULL"),
                     {("RUN", "SHTDN"): "shutting down", ("NSTOP", "NULL"): "stopped"})
        self.call_ok(self.fresh, "terminateServerInstances", no_list([no]))
        self.observe(self.fresh, [no], None, {("NSTOP", "TERMT"): "terminating"}, gone=True)
        inner = self.call_ok(self.fresh, "getAccessControlGroupServerInstanceList", q)
        self.assertEqual(inner["totalRows"], "0")


if __name__ == "__main__":
    unittest.main()

"""Gateway authentication (protocol.md 7, 8), routing errors, accounts and keys."""

import os
import unittest

from ncpd_harness import (ACCESS_KEY, SECRET_KEY, Client, NcpdTestCase, go_sdk_slice, no_list,
                          now_ms, signature, skip_on_pg)

AUTH = "Authentication Failed"
LIST = "getServerInstanceList"


class SignatureHelperTest(unittest.TestCase):
    """The harness signs like protocol.md 8.2's worked examples (no daemon needed)."""

    def test_worked_examples(self):
        a, s, ts = ("EXAMPLEACCESSKEY0001", "EXAMPLESECRETKEY0000000000000000000000000",
                    "1700000000000")
        self.assertEqual(signature(s, "POST",
                                   "/server/v2/stopServerInstances?responseFormatType=json",
                                   ts, a), "JMgG2Dtklp847nyAIxyHo57m+znpuqSxK2gAkAPEcII=")
        self.assertEqual(signature(s, "POST", "/server/v2/stopServerInstances", ts, a),
                         "6T8bpwc5H+qMVyOv3Xj7f+lGnEoAX09r1m77j6Fy6FE=")
        self.assertEqual(signature(s, "GET", "/server/v2/stopServerInstances?serverInstanceNoList.1"
                                   "=1021003&responseFormatType=json", ts, a),
                         "Zd0OjQ2eUZ3SvxMXnVonleNd/dt6EMDblvgfqEiEeUU=")


class AuthTest(NcpdTestCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=30000)
        cls.c = cls.d.client()

    def ok(self, r, fmt="json"):
        return self.assert_success(r, fmt, LIST)

    def denied(self, r):
        return self.assert_gateway_error(r, 401, "200", AUTH)

    def test_health_needs_no_auth(self):
        r = self.d.health()
        self.assertEqual(r.status, 200, r)

    def test_signature_v2_and_v1_accepted(self):
        for h in ("x-ncp-apigw-signature-v2", "x-ncp-apigw-signature-v1"):
            for method in ("GET", "POST"):
                with self.subTest(header=h, method=method):
                    self.ok(self.c.call(LIST, method=method, fmt="json", sig_header=h))

    def test_header_names_case_insensitive(self):
        ts = str(now_ms())
        uri = "/server/v2/getServerInstanceList?responseFormatType=json"
        hdrs = {"X-NCP-APIGW-TIMESTAMP": ts, "X-NCP-IAM-ACCESS-KEY": ACCESS_KEY,
                "X-Ncp-Apigw-Signature-V2": signature(SECRET_KEY, "GET", uri, ts, ACCESS_KEY)}
        self.ok(self.c.raw("GET", uri, hdrs))

    def test_missing_headers(self):
        for missing in ("x-ncp-apigw-timestamp", "x-ncp-iam-access-key",
                        "x-ncp-apigw-signature-v2"):
            for fmt in ("json", "xml"):
                with self.subTest(missing=missing, fmt=fmt):
                    r = self.c.call(LIST, fmt=fmt, headers={missing: None})
                    self.denied(r)

    def test_unsigned_request(self):
        self.denied(self.c.call(LIST, sign=False))
        self.denied(self.c.call("stopServerInstances", no_list(["1021004"]), sign=False,
                                method="POST", fmt="json"))
        self.assert_state(self.c, "1021004", "RUN", "NULL")

    def test_gateway_errors_are_json_even_when_xml_requested(self):
        r = self.c.call(LIST, raw_query="responseFormatType=xml", secret="x" * 40)
        err = self.denied(r)
        self.assertIn("json", r.headers.get("content-type", "").lower())
        self.assertIsInstance(err["details"], str)

    def test_unknown_access_key(self):
        self.denied(self.c.call(LIST, fmt="json", access="NOSUCHACCESSKEY00001"))

    def test_bad_signature(self):
        self.denied(self.c.call(LIST, fmt="json", secret="Y" * 40))
        self.denied(self.c.call(LIST, fmt="json", headers={"x-ncp-apigw-signature-v2": "garbage"}))
        self.denied(self.c.call(LIST, fmt="json", headers={"x-ncp-apigw-signature-v2": ""}))

    def test_signature_covers_query(self):
        # signed without the query that is actually sent
        r = self.c.call(LIST, fmt="json", sign_uri="/server/v2/getServerInstanceList")
        self.denied(r)
        # signed for another action
        r = self.c.call(LIST, fmt="json",
                        sign_uri="/server/v2/stopServerInstances?responseFormatType=json")
        self.denied(r)
        # signed with another method
        ts = str(now_ms())
        uri = "/server/v2/getServerInstanceList?responseFormatType=json"
        hdrs = {"x-ncp-apigw-timestamp": ts, "x-ncp-iam-access-key": ACCESS_KEY,
                "x-ncp-apigw-signature-v2": signature(SECRET_KEY, "POST", uri, ts, ACCESS_KEY)}
        self.denied(self.c.raw("GET", uri, hdrs))

    def test_body_is_not_signed(self):
        # POST: only path (+query) is signed, the body may be anything valid
        r = self.c.call(LIST, no_list(["1021004"]), method="POST", fmt="json")
        inner = self.ok(r)
        self.assertEqual(inner["totalRows"], 1)

    def test_signature_timestamp_must_match_header(self):
        ts = now_ms()
        uri = "/server/v2/getServerInstanceList?responseFormatType=json"
        hdrs = {"x-ncp-apigw-timestamp": str(ts), "x-ncp-iam-access-key": ACCESS_KEY,
                "x-ncp-apigw-signature-v2": signature(SECRET_KEY, "GET", uri, str(ts + 1),
                                                      ACCESS_KEY)}
        self.denied(self.c.raw("GET", uri, hdrs))

    def test_timestamp_skew(self):
        minute = 60 * 1000
        for off in (-6 * minute, 6 * minute, -3600 * 1000, 10 ** 12):
            with self.subTest(offset_ms=off):
                self.denied(self.c.call(LIST, fmt="json", timestamp=now_ms() + off))
        for off in (-4 * minute, 4 * minute):
            with self.subTest(offset_ms=off):
                self.ok(self.c.call(LIST, fmt="json", timestamp=now_ms() + off))

    def test_non_numeric_timestamp(self):
        for ts in ("abc", "", "12e5", "-1", "%d.5" % now_ms(), "0x%x" % now_ms(),
                   "99999999999999999999999"):
            with self.subTest(ts=ts):
                self.denied(self.c.call(LIST, fmt="json", timestamp=ts))

    def test_unknown_action_is_404(self):
        for fmt in ("json", "xml"):
            for method in ("GET", "POST"):
                with self.subTest(fmt=fmt, method=method):
                    r = self.c.call("noSuchAction", fmt=fmt, method=method)
                    self.assert_gateway_error(r, 404, "300", "Not Found Exception")

    def test_unknown_paths_are_404(self):
        for path in ("/", "/server/v2", "/server/v3/getServerInstanceList", "/foo",
                     "/server/v2/getServerInstanceList/extra"):
            with self.subTest(path=path):
                r = self.c.call(LIST, path=path, fmt="json")
                self.assert_gateway_error(r, 404, "300", "Not Found Exception")

    def test_other_methods_are_404(self):
        for method in ("PUT", "DELETE", "PATCH"):
            with self.subTest(method=method):
                r = self.c.call(LIST, method=method, fmt="json")
                self.assert_gateway_error(r, 404, "300", "Not Found Exception")

    def test_double_slash_path_routed_and_signed_as_received(self):
        """D9: base URL with trailing slash -> '//server/v2/x', signed as received."""
        r = self.c.call(LIST, path="//server/v2/getServerInstanceList", method="POST",
                        fmt="json")
        self.ok(r)

    def test_go_sdk_slice_on_success(self):
        r = self.c.call(LIST, method="POST", fmt="json",
                        sig_header="x-ncp-apigw-signature-v1")
        inner = go_sdk_slice(r.body)
        self.assertEqual(inner["totalRows"], 4)


class AccountCliTest(NcpdTestCase):

    def setUp(self):
        self.d = self.new_daemon(sim_step_ms=30000)
        self.c = self.d.client()

    def test_account_create_gives_working_key(self):
        ak, sk = self.d.create_account("second")
        self.assertNotEqual(ak, ACCESS_KEY)
        c2 = self.d.client(ak, sk)
        r = c2.call(LIST, fmt="json")
        inner = self.assert_success(r, "json", LIST)
        self.assertEqual(inner["totalRows"], 0)
        # the new key with a wrong secret is denied
        self.assert_gateway_error(self.d.client(ak, SECRET_KEY).call(LIST, fmt="json"), 401,
                                  "200", AUTH)

    def test_account_list_shows_keys(self):
        ak, _ = self.d.create_account("listed")
        r = self.d.cli("account", "list")
        self.assertEqual(r.returncode, 0, r)
        out = r.stdout.decode("utf-8", "replace")
        self.assertIn(ACCESS_KEY, out)
        self.assertIn(ak, out)
        lines = [ln for ln in out.splitlines() if ak in ln]
        self.assertEqual(len(lines), 1, out)

    def test_disable_key_honoured_by_running_daemon(self):
        ak, sk = self.d.create_account("victim")
        c2 = self.d.client(ak, sk)
        self.assert_success(c2.call(LIST, fmt="json"), "json", LIST)
        listed = self.d.cli("account", "list").stdout.decode("utf-8", "replace")
        before = [ln for ln in listed.splitlines() if ak in ln]
        self.assertEqual(len(before), 1, listed)
        r = self.d.cli("account", "disable-key", ak)
        self.assertEqual(r.returncode, 0, r)
        self.assert_gateway_error(c2.call(LIST, fmt="json"), 401, "200", AUTH)
        self.assert_gateway_error(c2.call(LIST, fmt="json", method="POST"), 401, "200", AUTH)
        # the bootstrap key is unaffected
        self.assert_success(self.c.call(LIST, fmt="json"), "json", LIST)
        # account list shows the state change
        out = self.d.cli("account", "list").stdout.decode("utf-8", "replace")
        line = [ln for ln in out.splitlines() if ak in ln]
        self.assertEqual(len(line), 1, out)
        self.assertNotEqual(line[0], before[0], "account list shows no state change")
        # still disabled after a restart
        self.d.restart()
        self.assert_gateway_error(c2.call(LIST, fmt="json"), 401, "200", AUTH)
        self.assert_success(self.c.call(LIST, fmt="json"), "json", LIST)

    def test_disable_bootstrap_key(self):
        r = self.d.cli("account", "disable-key", ACCESS_KEY)
        self.assertEqual(r.returncode, 0, r)
        self.assert_gateway_error(self.c.call(LIST, fmt="json"), 401, "200", AUTH)

    def test_disable_unknown_key_fails(self):
        r = self.d.cli("account", "disable-key", "NOSUCHKEY0000000000X")
        self.assertNotEqual(r.returncode, 0, r)
        self.assert_success(self.c.call(LIST, fmt="json"), "json", LIST)


class MasterKeyFileTest(NcpdTestCase):

    @skip_on_pg("the key file beside a SQLite database (test_m_nodes.py: PostgreSQL's rules)")
    def test_without_master_key_env_key_file_is_created_and_reused(self):
        d = self.new_daemon(sim_step_ms=30000, master_key=None)
        before = set(os.listdir(d.tmpdir))
        db_files = {"ncpd.db", "ncpd.db-wal", "ncpd.db-shm", "ncpd.db-journal"}
        extra = before - db_files
        self.assertTrue(extra, "no key file beside the db: %s" % sorted(before))
        c = d.client()
        self.assert_success(c.call(LIST, fmt="json"), "json", LIST)
        ak, sk = d.create_account("other")
        d.restart()
        self.assert_success(c.call(LIST, fmt="json"), "json", LIST)
        self.assert_success(Client(d, ak, sk).call(LIST, fmt="json"), "json", LIST)


if __name__ == "__main__":
    unittest.main()

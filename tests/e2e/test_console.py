"""The web console's HTTP surface (src/ncpd/console.c, session.c): static files compiled
into the binary, sign-in, the session cookie, CSRF and cross-site refusals, idle expiry,
sign-out, and API calls through the same dispatch as signed requests (XML and JSON).

The browser side is tested in tests/browser (make browser)."""

import json
import os
import re
import time
import unittest

from ncpd_harness import (ACCESS_KEY, BIN, MSG, REPO, SECRET_KEY, Client, NcpdTestCase, decode,
                          encode_pairs, no_list, wait_for)

CONSOLE_SRC = os.path.join(REPO, "src", "console")
API = "/console/api/server/v2/"
FORM = "application/x-www-form-urlencoded"
_DEFAULT = object()


def read_log(d):
    with open(d.log_path, encoding="utf-8", errors="replace") as f:
        return f.read()


def cookie_attrs(set_cookie):
    """'a=b; Path=/x; HttpOnly' -> ('a', 'b', {'path': '/x', 'httponly': True})"""
    parts = [p.strip() for p in set_cookie.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        k, eq, v = p.partition("=")
        attrs[k.lower()] = v if eq else True
    return name, value, attrs


class Console:
    """A console client: the session cookie and CSRF token of one sign-in."""

    def __init__(self, daemon):
        self.d = daemon
        self.cookie = None
        self.csrf = None

    def raw(self, method, path, headers=None, body=None):
        return Client(self.d).raw(method, path, dict(headers or {}), body)

    def sign_in(self, access=ACCESS_KEY, secret=SECRET_KEY, headers=None, body=None):
        if body is None:
            body = encode_pairs([("accessKey", access), ("secretKey", secret)]).encode()
        h = {"Content-Type": FORM}
        h.update(headers or {})
        r = self.raw("POST", "/console/api/session", h, body)
        if r.status == 200:
            _, self.cookie, _ = cookie_attrs(r.headers["set-cookie"])
            self.csrf = r.json()["csrfToken"]
        return r

    def headers(self, cookie=_DEFAULT, csrf=_DEFAULT, extra=None):
        h = {"Content-Type": FORM}
        c = self.cookie if cookie is _DEFAULT else cookie
        t = self.csrf if csrf is _DEFAULT else csrf
        if c is not None:
            h["Cookie"] = "ncpd_console=%s" % c
        if t is not None:
            h["X-CSRF-Token"] = t
        h.update(extra or {})
        return h

    def api(self, action, params=None, fmt="json", method="POST", **kw):
        pairs = ([("responseFormatType", "json")] if fmt == "json" else []) + list(
            (params or {}).items() if isinstance(params, dict) else (params or []))
        return self.raw(method, API + action, self.headers(**kw), encode_pairs(pairs).encode())

    def session(self, **kw):
        h = self.headers(**kw)
        del h["Content-Type"]
        return self.raw("GET", "/console/api/session", h)

    def sign_out(self, **kw):
        h = self.headers(**kw)
        del h["Content-Type"]
        return self.raw("DELETE", "/console/api/session", h)


class ConsoleStaticTest(NcpdTestCase):
    """The console's files come from the binary, byte for byte as in src/console/."""

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon()
        cls.c = Console(cls.d)

    def test_banner_prints_the_console_url(self):
        line = "ncpd: console: http://127.0.0.1:%d/console/" % self.d.port
        wait_for(lambda: line in read_log(self.d), timeout=5, message="the banner")

    def test_console_redirects_to_the_folder(self):
        r = self.c.raw("GET", "/console")
        self.assertEqual(r.status, 301, r)
        self.assertEqual(r.headers["location"], "/console/")

    def test_index_with_security_headers(self):
        r = self.c.raw("GET", "/console/")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers["content-type"], "text/html; charset=utf-8")
        csp = r.headers["content-security-policy"]
        for d in ("default-src 'none'", "script-src 'self'", "connect-src 'self'",
                  "frame-ancestors 'none'"):
            self.assertIn(d, csp)
        self.assertEqual(r.headers["x-frame-options"], "DENY")
        self.assertEqual(r.headers["x-content-type-options"], "nosniff")
        self.assertIn(b'<script type="module" src="app.js"></script>', r.body)

    def test_every_source_file_is_served_as_is(self):
        files = []
        for root, _, names in os.walk(CONSOLE_SRC):
            for n in names:
                if not n.startswith("."):
                    files.append(os.path.relpath(os.path.join(root, n), CONSOLE_SRC))
        self.assertIn("app.js", files)
        types = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}
        for f in files:
            with self.subTest(file=f):
                r = self.c.raw("GET", "/console/" + f)
                self.assertEqual(r.status, 200, r)
                with open(os.path.join(CONSOLE_SRC, f), "rb") as fh:
                    self.assertEqual(r.body, fh.read())
                self.assertEqual(r.headers["content-type"], types[os.path.splitext(f)[1]])
                self.assertEqual(r.headers["cache-control"], "no-cache")

    def test_every_imported_module_exists(self):
        """Each `import ... from './x.js'` of the modules reachable from app.js is served."""
        todo, seen = ["app.js"], set()
        while todo:
            f = todo.pop()
            if f in seen:
                continue
            seen.add(f)
            r = self.c.raw("GET", "/console/" + f)
            self.assertEqual(r.status, 200, "%s: %r" % (f, r))
            todo += re.findall(r"from '\./([\w.-]+\.js)'", r.body.decode())
        self.assertGreaterEqual(len(seen), 6)

    def test_etag_revalidation(self):
        r = self.c.raw("GET", "/console/app.js")
        etag = r.headers["etag"]
        self.assertRegex(etag, r'^"[0-9a-f]{16}"$')
        r2 = self.c.raw("GET", "/console/app.js", {"If-None-Match": etag})
        self.assertEqual(r2.status, 304, r2)
        self.assertEqual(r2.body, b"")
        r3 = self.c.raw("GET", "/console/app.js", {"If-None-Match": '"0000000000000000"'})
        self.assertEqual(r3.status, 200)

    def test_unknown_files_and_methods(self):
        for path in ("/console/nope.js", "/console/../src/ncpd/console.c", "/console/api"):
            with self.subTest(path=path):
                self.assertEqual(self.c.raw("GET", path).status, 404)
        r = self.c.raw("POST", "/console/app.js", {"Content-Type": FORM}, b"")
        self.assertEqual(r.status, 405)
        self.assertEqual(r.headers["allow"], "GET, HEAD")
        r = self.c.raw("GET", "/console/api/nope")
        self.assert_gateway_error(r, 404, "300")
        # the signed API is where it was
        self.assert_success(self.d.client().list_servers(), "json", "getServerInstanceList")


class ConsoleSessionTest(NcpdTestCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=30000, extra_args=["--log-requests"])

    def signed_in(self, access=ACCESS_KEY, secret=SECRET_KEY):
        c = Console(self.d)
        r = c.sign_in(access, secret)
        self.assertEqual(r.status, 200, r)
        return c

    # -- sign-in ---------------------------------------------------------------------

    def test_sign_in_sets_an_httponly_strict_cookie(self):
        c = Console(self.d)
        r = c.sign_in()
        self.assertEqual(r.status, 200, r)
        name, value, attrs = cookie_attrs(r.headers["set-cookie"])
        self.assertEqual(name, "ncpd_console")
        self.assertRegex(value, r"^[A-Za-z0-9_-]{43}$")
        self.assertIs(attrs.get("httponly"), True)
        self.assertEqual(attrs.get("samesite"), "Strict")
        self.assertEqual(attrs.get("path"), "/console/")
        self.assertNotIn("secure", attrs)  # plain HTTP; Secure under TLS (unit_session)
        self.assertNotIn("max-age", attrs)  # a browser-session cookie; the server expires it
        self.assertNotIn("expires", attrs)
        self.assertNotIn("domain", attrs)
        self.assertEqual(r.headers["cache-control"], "no-store")
        body = r.json()
        self.assertEqual(set(body), {"accessKey", "accountName", "csrfToken", "idleTimeoutSeconds"})
        self.assertEqual((body["accessKey"], body["accountName"], body["idleTimeoutSeconds"]),
                         (ACCESS_KEY, "default", 1800))
        self.assertRegex(body["csrfToken"], r"^[A-Za-z0-9_-]{43}$")
        self.assertNotEqual(body["csrfToken"], value)
        self.assertNotIn(SECRET_KEY.encode(), r.body)
        # each sign-in is its own session with its own token
        c2 = self.signed_in()
        self.assertNotEqual((c2.cookie, c2.csrf), (c.cookie, c.csrf))

    def test_bad_keys_are_refused(self):
        team = self.d.create_account("refused-team")
        cases = {"wrong secret": (ACCESS_KEY, "x" * 40), "unknown key": ("NOSUCHKEY", SECRET_KEY),
                 "another account's secret": (ACCESS_KEY, team[1]),
                 "secret prefix": (ACCESS_KEY, SECRET_KEY[:-1]),
                 "empty secret": (ACCESS_KEY, ""), "empty key": ("", SECRET_KEY)}
        for label, (ak, sk) in cases.items():
            with self.subTest(case=label):
                r = Console(self.d).sign_in(ak, sk)
                self.assert_gateway_error(r, 401, "200", "Authentication Failed")
                self.assertEqual(r.json()["error"]["details"], "Invalid authentication information.")
                self.assertNotIn("set-cookie", r.headers)
        r = Console(self.d).sign_in(body=b"accessKey=" + ACCESS_KEY.encode())
        self.assert_gateway_error(r, 401, "200")
        r = Console(self.d).sign_in(headers={"Content-Type": "application/json"},
                                    body=json.dumps({"accessKey": ACCESS_KEY,
                                                     "secretKey": SECRET_KEY}).encode())
        self.assert_gateway_error(r, 400, "100")

    def test_disabled_key_is_refused_and_ends_its_sessions(self):
        ak, sk = self.d.create_account("disabled-team")
        c = self.signed_in(ak, sk)
        self.assertEqual(c.api("getServerInstanceList").status, 200)
        r = self.d.cli("account", "disable-key", ak)
        self.assertEqual(r.returncode, 0, r)
        r = c.api("getServerInstanceList")
        self.assert_gateway_error(r, 401, "200")
        self.assertIn("Max-Age=0", r.headers.get("set-cookie", ""))
        self.assert_gateway_error(c.session(), 401, "200")
        self.assert_gateway_error(Console(self.d).sign_in(ak, sk), 401, "200")

    def test_session_endpoint_answers_the_token_again(self):
        c = self.signed_in()
        r = c.session(csrf=None)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["csrfToken"], c.csrf)
        self.assertEqual(r.json()["accessKey"], ACCESS_KEY)
        self.assert_gateway_error(c.session(cookie=None), 401, "200")
        self.assert_gateway_error(c.session(cookie="A" * 43), 401, "200")
        self.assert_gateway_error(c.session(cookie="not a session id"), 401, "200")

    # -- API calls ----------------------------------------------------------------------

    def test_api_calls_answer_as_signed_calls_do(self):
        c = self.signed_in()
        signed = self.d.client()
        for fmt in ("json", "xml"):
            with self.subTest(fmt=fmt):
                params = no_list(["1021003", "1021004"])
                a = self.assert_success(c.api("getServerInstanceList", params, fmt=fmt), fmt,
                                        "getServerInstanceList")
                b = self.assert_success(signed.call("getServerInstanceList", params, fmt=fmt,
                                                    method="POST"), fmt, "getServerInstanceList")
                for x in (a, b):
                    x.pop("requestId")
                self.assertEqual(a, b)
                # validation and API errors, as signed requests get them
                self.assert_api_error(c.api("stopServerInstances", no_list(["1021006"]), fmt=fmt),
                                      fmt, "28005", MSG["28005"])
                r = c.api("stopServerInstances", [("serverInstanceNoList.1", "x")], fmt=fmt)
                rs = signed.call("stopServerInstances", [("serverInstanceNoList.1", "x")],
                                 fmt=fmt, method="POST")
                self.assertEqual((r.status, decode(r, fmt)[1].get("returnCode")),
                                 (rs.status, decode(rs, fmt)[1].get("returnCode")))
                self.assertEqual(c.api("noSuchAction", fmt=fmt).status, 404)

    def test_vpc_api_calls_answer_as_signed_calls_do(self):
        """/console/api/vpc/v2/ and /console/api/vserver/v2/: the VPC platform's actions, the
        same dispatch as signed requests; other prefixes stay unknown."""
        c = self.signed_in()
        signed = self.d.client()
        r = c.raw("POST", "/console/api/vpc/v2/createVpc", c.headers(),
                  encode_pairs([("responseFormatType", "json"),
                                ("ipv4CidrBlock", "10.91.0.0/16")]).encode())
        vpc = self.assert_success(r, "json", "createVpc")["vpcList"][0]["vpcNo"]
        for fmt in ("json", "xml"):
            for api, action, params in (("vpc", "getVpcList", [("vpcNoList.1", vpc)]),
                                        ("vserver", "getAccessControlGroupList",
                                         [("vpcNo", vpc)]),
                                        ("vserver", "getServerInstanceList", [])):
                with self.subTest(fmt=fmt, action=action):
                    pairs = ([("responseFormatType", "json")] if fmt == "json" else []) + params
                    a = self.assert_success(
                        c.raw("POST", "/console/api/%s/v2/%s" % (api, action), c.headers(),
                              encode_pairs(pairs).encode()), fmt, action)
                    b = self.assert_success(
                        signed.call(action, params, fmt=fmt, method="POST",
                                    path="/%s/v2/%s" % (api, action)), fmt, action)
                    for x in (a, b):
                        x.pop("requestId")
                    self.assertEqual(a, b)
        for path in ("/console/api/vpc/v3/getVpcList", "/console/api/other/v2/getVpcList",
                     "/console/api/vpcs/v2/getVpcList"):
            self.assert_gateway_error(c.raw("POST", path, c.headers(), b""), 404, "300")

    def test_api_call_changes_state_and_is_logged(self):
        c = self.signed_in()
        r = c.api("rebootServerInstances", no_list(["1021004"]))
        inner = self.assert_success(r, "json", "rebootServerInstances")
        s = inner["serverInstanceList"][0]
        self.assertEqual((s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"]),
                         ("RUN", "RESTA"))
        self.assert_state(self.d.client(), "1021004", "RUN", "RESTA")
        rid = inner["requestId"]
        pattern = (r"request_id=%s action=rebootServerInstances account=1 status=200"
                   % re.escape(rid))
        wait_for(lambda: re.search(pattern, read_log(self.d)), timeout=5, message="the log line")

    def test_csrf_token_is_required(self):
        c = self.signed_in()
        other = self.signed_in()
        cases = {"no token": {"csrf": None}, "wrong token": {"csrf": "x" * 43},
                 "another session's token": {"csrf": other.csrf},
                 "the cookie as token": {"csrf": c.cookie}, "empty token": {"csrf": ""}}
        for label, kw in cases.items():
            with self.subTest(case=label):
                r = c.api("stopServerInstances", no_list(["1021003"]), **kw)
                err = self.assert_gateway_error(r, 403, "210", "Permission Denied")
                self.assertIn("X-CSRF-Token", err["details"])
        # a token in the form instead of the header does not count
        r = c.api("stopServerInstances", no_list(["1021003"]) + [("X-CSRF-Token", c.csrf)],
                  csrf=None)
        self.assert_gateway_error(r, 403, "210")
        self.assert_state(self.d.client(), "1021003", "RUN", "NULL")

    def test_cross_site_requests_are_refused(self):
        c = self.signed_in()
        host = "127.0.0.1:%d" % self.d.port
        refused = {"foreign origin": {"Origin": "http://evil.example"},
                   "https origin on http": {"Origin": "https://" + host},
                   "other port": {"Origin": "http://127.0.0.1:1"},
                   "null origin": {"Origin": "null"},
                   "cross-site fetch": {"Sec-Fetch-Site": "cross-site"},
                   "same-site fetch": {"Sec-Fetch-Site": "same-site"},
                   "user-typed": {"Sec-Fetch-Site": "none"},
                   "good origin, cross-site": {"Origin": "http://" + host,
                                               "Sec-Fetch-Site": "cross-site"}}
        for label, extra in refused.items():
            with self.subTest(case=label):
                r = c.api("stopServerInstances", no_list(["1021003"]), extra=extra)
                err = self.assert_gateway_error(r, 403, "210")
                self.assertIn("Cross-site", err["details"])
                # sign-in and the session endpoints too
                self.assert_gateway_error(Console(self.d).sign_in(headers=extra), 403, "210")
                self.assert_gateway_error(c.sign_out(extra=extra), 403, "210")
        self.assert_state(self.d.client(), "1021003", "RUN", "NULL")
        for label, extra in {"own origin": {"Origin": "http://" + host},
                             "same-origin fetch": {"Sec-Fetch-Site": "same-origin",
                                                   "Origin": "http://" + host}}.items():
            with self.subTest(case=label):
                self.assertEqual(c.api("getServerInstanceList", extra=extra).status, 200)

    def test_only_post_and_only_the_console_path(self):
        c = self.signed_in()
        self.assert_gateway_error(c.api("getServerInstanceList", method="GET"), 400, "100")
        # the cookie alone never authenticates the signed API ...
        r = c.raw("GET", "/server/v2/getServerInstanceList?responseFormatType=json",
                  {"Cookie": "ncpd_console=" + c.cookie, "X-CSRF-Token": c.csrf})
        self.assert_gateway_error(r, 401, "200")
        # ... and signature headers never open the console API
        uri = API + "getServerInstanceList"
        hdrs = self.d.client().signed_headers("POST", uri)
        hdrs["Content-Type"] = FORM
        self.assert_gateway_error(c.raw("POST", uri, hdrs, b""), 401, "200")
        # the admin endpoints are not reachable through the console prefix
        self.assert_gateway_error(c.raw("POST", "/console/api/_ncpd/faults", c.headers(), b""),
                                  404, "300")

    def test_accounts_are_isolated(self):
        ak, sk = self.d.create_account("isolated-team")
        a, b = self.signed_in(), self.signed_in(ak, sk)
        signed_b = self.d.client(ak, sk)
        for fmt in ("json", "xml"):
            with self.subTest(fmt=fmt):
                inner = self.assert_success(b.api("getServerInstanceList", fmt=fmt), fmt,
                                            "getServerInstanceList")
                self.assertEqual(str(inner["totalRows"]), "0")
                r = b.api("stopServerInstances", no_list(["1021003"]), fmt=fmt)
                rs = signed_b.call("stopServerInstances", no_list(["1021003"]), fmt=fmt,
                                   method="POST")
                self.assertNotEqual(r.status, 200)
                self.assertEqual(r.status, rs.status)
                self.assertEqual(decode(r, fmt)[1]["returnCode"], decode(rs, fmt)[1]["returnCode"])
        inner = self.assert_success(a.api("getServerInstanceList"), "json", "getServerInstanceList")
        self.assertEqual(inner["totalRows"], 4)
        # a's session is not b's: b's token does not work with a's cookie
        self.assert_gateway_error(a.api("getServerInstanceList", csrf=b.csrf), 403, "210")
        self.assert_state(self.d.client(), "1021003", "RUN", "NULL")

    # -- sign-out -------------------------------------------------------------------------

    def test_sign_out_ends_the_session(self):
        c = self.signed_in()
        keep = self.signed_in()
        self.assert_gateway_error(c.sign_out(csrf=None), 403, "210")
        self.assertEqual(c.api("getServerInstanceList").status, 200, "refused sign-out kept it")
        r = c.sign_out()
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"signedOut": True})
        name, value, attrs = cookie_attrs(r.headers["set-cookie"])
        self.assertEqual((name, value, attrs.get("max-age"), attrs.get("path")),
                         ("ncpd_console", "", "0", "/console/"))
        self.assert_gateway_error(c.api("getServerInstanceList"), 401, "200")
        self.assert_gateway_error(c.session(), 401, "200")
        self.assert_gateway_error(c.sign_out(), 401, "200")
        # other sessions of the same key go on
        self.assertEqual(keep.api("getServerInstanceList").status, 200)


class ConsoleExpiryTest(NcpdTestCase):

    def test_idle_sessions_expire(self):
        d = self.new_daemon(extra_args=["--console-idle", "1"])
        c = Console(d)
        self.assertEqual(c.sign_in().json()["idleTimeoutSeconds"], 1)
        # every use restarts the idle time
        for _ in range(3):
            time.sleep(0.6)
            self.assertEqual(c.api("getServerInstanceList").status, 200)
        time.sleep(1.3)
        self.assert_gateway_error(c.api("getServerInstanceList"), 401, "200")
        self.assert_gateway_error(c.session(), 401, "200")

    def test_idle_time_from_the_environment_and_bad_values(self):
        d = self.new_daemon(env={"NCPD_CONSOLE_IDLE": "7"})
        self.assertEqual(Console(d).sign_in().json()["idleTimeoutSeconds"], 7)
        for bad in ("0", "86401", "x"):
            with self.subTest(value=bad):
                import subprocess
                r = subprocess.run([BIN, "--console-idle", bad, "--db", os.path.join(d.tmpdir, "x.db")],
                                   capture_output=True, timeout=10)
                self.assertEqual(r.returncode, 2, r)

    def test_sessions_live_in_memory_and_end_with_the_process(self):
        d = self.new_daemon()
        c = Console(d)
        c.sign_in()
        self.assertEqual(c.api("getServerInstanceList").status, 200)
        d.restart()
        self.assert_gateway_error(c.api("getServerInstanceList"), 401, "200")


if __name__ == "__main__":
    unittest.main()

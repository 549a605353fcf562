"""Hostile and malformed input. After every test the daemon must still be alive,
healthy and its servers unchanged."""

import http.client
import json
import socket
import time
import unittest
import xml.etree.ElementTree as ET

from ncpd_harness import (MSG, NcpdTestCase, go_sdk_slice, lenient_inner, msg_910, no_list,
                          parse_raw_response, raw_http, send_streaming)

INITIAL = {"1021003": ("RUN", "NULL"), "1021004": ("RUN", "NULL"),
           "1021005": ("NSTOP", "NULL"), "1021006": ("NSTOP", "NULL")}
LIST = "getServerInstanceList"
STOP = "stopServerInstances"


class BadInputTest(NcpdTestCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=30000)
        cls.c = cls.d.client()

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())
        self.assertEqual(self.d.health().status, 200)
        self.assertEqual(self.c.states(), INITIAL, "bad input changed state")

    def bad_request(self, r):
        return self.assert_gateway_error(r, 400, "100", "Bad Request Exception")

    def both_transports(self, action, raw):
        """Send raw (already encoded) parameters as GET query and as POST body."""
        yield "GET", self.c.call(action, raw_query=raw)
        yield "POST", self.c.call(action, method="POST", raw_body=raw)

    def head(self, method, uri, extra=b"", content_length=None, content_type=True):
        hdrs = self.c.signed_headers(method, uri)
        lines = ["%s %s HTTP/1.1" % (method, uri), "Host: 127.0.0.1:%d" % self.d.port]
        lines += ["%s: %s" % kv for kv in hdrs.items()]
        if content_type:
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if content_length is not None:
            lines.append("Content-Length: %d" % content_length)
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n").encode() + extra + b"\r\n"

    # -- percent-encoding and UTF-8 ------------------------------------------------------

    def test_invalid_percent_encoding(self):
        for raw in ("searchFilterName=serverName&searchFilterValue=%zz",
                    "searchFilterName=serverName&searchFilterValue=%4",
                    "searchFilterName=serverName&searchFilterValue=ab%4",
                    "searchFilterName=serverName&searchFilterValue=%",
                    "searchFilterName=serverName&searchFilterValue=%g1&responseFormatType=json",
                    "%zz=1", "responseFormatType=json&serverInstanceNoList.1=%4"):
            for how, r in self.both_transports(LIST, raw):
                with self.subTest(raw=raw, how=how):
                    self.bad_request(r)

    def test_percent_decoded_bytes_not_utf8(self):
        for raw in ("searchFilterName=serverName&searchFilterValue=%ff",
                    "searchFilterName=serverName&searchFilterValue=%c3%28",
                    "searchFilterName=serverName&searchFilterValue=%80abc",
                    "searchFilterName=serverName&searchFilterValue=web%e2%82",
                    "%ff=1"):
            for how, r in self.both_transports(LIST, raw):
                with self.subTest(raw=raw, how=how):
                    self.bad_request(r)

    def test_percent_decoded_bytes_not_utf8_strict_forms(self):
        """Overlong form, UTF-16 surrogate, code point above U+10FFFF: not UTF-8 either."""
        for raw in ("searchFilterName=serverName&searchFilterValue=%c0%af",
                    "searchFilterName=serverName&searchFilterValue=%ed%a0%80",
                    "searchFilterName=serverName&searchFilterValue=%f4%90%80%80"):
            for how, r in self.both_transports(LIST, raw):
                with self.subTest(raw=raw, how=how):
                    self.bad_request(r)

    def test_raw_non_utf8_body(self):
        r = self.c.call(LIST, method="POST",
                        raw_body=b"searchFilterName=serverName&searchFilterValue=\xff\xfe")
        self.bad_request(r)

    def test_valid_utf8_is_accepted(self):
        r = self.c.call(LIST, [("searchFilterName", "serverName"),
                               ("searchFilterValue", "평촌")], fmt="json")
        inner = self.assert_success(r, "json", LIST)
        self.assertEqual(inner["totalRows"], 0)

    # -- NUL bytes ----------------------------------------------------------------------------

    def assert_nul_rejected(self, r, api_codes=("910",)):
        """400 with gateway errorCode 100, or a responseError (JSON or XML) in api_codes."""
        self.assertEqual(r.status, 400, r)
        if r.body.lstrip().startswith(b"<"):
            el = ET.fromstring(r.body)
            self.assertEqual(el.tag, "responseError", r)
            self.assertIn(el.findtext("returnCode"), api_codes, r)
            return
        body = json.loads(r.body)
        if "error" in body:
            self.assertEqual(body["error"]["errorCode"], "100", r)
        else:
            self.assertIn(body["responseError"]["returnCode"], api_codes, r)

    def test_nul_byte_in_values_and_names(self):
        r = self.c.call(LIST, raw_query="responseFormatType=json&searchFilterName=serverName"
                                        "&searchFilterValue=web%00")
        self.assert_nul_rejected(r)
        # C-string truncation must not turn "1021004\0" into 1021004 and stop it
        r = self.c.call(STOP, raw_query="responseFormatType=json"
                                        "&serverInstanceNoList.1=1021004%00")
        self.assert_nul_rejected(r, ("910", "24109"))
        r = self.c.call(STOP, method="POST",
                        raw_body="responseFormatType=json&serverInstanceNoList.1=1021004%00junk")
        self.assert_nul_rejected(r, ("910", "24109"))
        # nor "serverInstanceNoList.1\0x" into serverInstanceNoList.1
        r = self.c.call(STOP, method="POST",
                        raw_body="responseFormatType=json&serverInstanceNoList.1%00x=1021004")
        self.assert_nul_rejected(r, ("910", "900"))

    def test_nul_byte_in_response_format_type(self):
        """responseFormatType=json%00 carries a NUL: 910 or gateway 400, not silent XML."""
        r = self.c.call(LIST, raw_query="responseFormatType=json%00")
        self.assert_nul_rejected(r)

    def test_raw_nul_in_body(self):
        r = self.c.call(STOP, method="POST",
                        raw_body=b"responseFormatType=json&serverInstanceNoList.1=1021004\x00")
        self.assert_nul_rejected(r, ("910", "24109"))

    # -- big lists, many parameters, overflowing numbers ------------------------------------

    def test_ten_thousand_item_list(self):
        body = "&".join("serverInstanceNoList.%d=%d" % (i + 1, 3000000 + i) for i in range(10000))
        for action in (STOP, LIST, "startServerInstances"):
            for fmt in ("xml", "json"):
                with self.subTest(action=action, fmt=fmt):
                    b = ("responseFormatType=json&" if fmt == "json" else "") + body
                    r = self.c.call(action, method="POST", raw_body=b)
                    self.assert_api_error(r, fmt, 910, msg_910("serverInstanceNoList"))

    def test_ten_thousand_duplicates(self):
        body = "responseFormatType=json&" + "&".join(
            "serverInstanceNoList.%d=1021004" % (i + 1) for i in range(10000))
        r = self.c.call(STOP, method="POST", raw_body=body)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(json.loads(r.body)["responseError"]["returnCode"], "910")

    def test_many_unknown_parameters(self):
        body = "responseFormatType=json&" + "&".join("p%d=1" % i for i in range(5000))
        r = self.c.call(LIST, method="POST", raw_body=body)
        self.assert_api_error(r, "json", 910, msg_910("p0"))

    def test_overflowing_integers(self):
        for raw, loc in (("pageNo=99999999999999999999", "pageNo"),
                         ("pageNo=2147483648", "pageNo"),
                         ("pageNo=18446744073709551617", "pageNo"),
                         ("pageSize=-2147483649", "pageSize"),
                         ("pageSize=9223372036854775808", "pageSize"),
                         ("pageSize=%201", "pageSize")):
            for how, r in self.both_transports(LIST, "responseFormatType=json&" + raw):
                with self.subTest(raw=raw, how=how):
                    self.assert_api_error(r, "json", 910, msg_910(loc))

    def test_bad_list_indexes(self):
        """D4: an index that is not a positive decimal integer is 910 for that name."""
        for raw_idx, idx in (("-1", "-1"), ("1e3", "1e3"), ("%2B1", "+1"), ("", ""),
                             ("01x", "01x"), ("1.2", "1.2")):
            with self.subTest(index=idx):
                r = self.c.call(STOP, method="POST", raw_body="responseFormatType=json&"
                                "serverInstanceNoList.%s=9999999" % raw_idx)
                self.assert_api_error(r, "json", 910, msg_910("serverInstanceNoList." + idx))

    def test_overflowing_list_index(self):
        """A huge index must not wrap around; 910 or (as a one-item list) 24120."""
        for idx in ("99999999999999999999", "18446744073709551617", "4294967297"):
            with self.subTest(index=idx):
                r = self.c.call(STOP, method="POST", raw_body="responseFormatType=json&"
                                "serverInstanceNoList.%s=9999999" % idx)
                self.assertEqual(r.status, 400, r)
                err = json.loads(r.body)["responseError"]
                self.assertIn((err["returnCode"], err["returnMessage"]),
                              (("910", msg_910("serverInstanceNoList.%s" % idx)),
                               ("910", msg_910("serverInstanceNoList")),
                               ("24120", MSG["24120"])), r)

    def test_overflowing_instance_numbers(self):
        for no in ("18446744073709551616", "99999999999999999999999999999999", "1" * 300):
            with self.subTest(no=no[:30]):
                r = self.c.call(STOP, no_list([no]), fmt="json")
                self.assert_api_error(r, "json", 24109, MSG["24109"])
        r = self.c.call(STOP, no_list(["9223372036854775807"]), fmt="json")
        self.assert_api_error(r, "json", 24120, MSG["24120"])

    # -- body size ----------------------------------------------------------------------------

    def test_huge_body_413(self):
        size = 2 * 1024 * 1024
        body = b"responseFormatType=json&searchFilterValue=" + b"a" * size
        uri = "/server/v2/" + LIST
        r = send_streaming(self.d.port, self.head("POST", uri, content_length=len(body)), body)
        self.assert_gateway_error(r, 413, "430", "Request Entity Too Large")

    def test_declared_huge_content_length_answered_promptly(self):
        uri = "/server/v2/" + LIST
        t0 = time.monotonic()
        r = send_streaming(self.d.port, self.head("POST", uri, content_length=10 ** 10), b"",
                           timeout=8)
        self.assert_gateway_error(r, 413, "430", "Request Entity Too Large")
        self.assertLess(time.monotonic() - t0, 5)

    # -- routing --------------------------------------------------------------------------------

    def test_unknown_actions(self):
        for action in ("noSuchAction", "getServerInstanceListX", "x" * 5000, "%00",
                       "getServerInstanceList%00"):
            with self.subTest(action=action[:40]):
                r = self.c.call(action, fmt="json")
                self.assertIn(r.status, (400, 404), r)
                self.assert_gateway_error(r, r.status, "300" if r.status == 404 else "100")

    # -- broken HTTP ------------------------------------------------------------------------------

    def test_garbage_and_broken_requests_do_not_kill_daemon(self):
        port = self.d.port
        for data in (b"GARBAGE\r\n\r\n", b"\x00\x01\x02\x03" * 100, b"GET\r\n\r\n",
                     b"GET /server/v2/getServerInstanceList HTTP/9.9\r\n\r\n",
                     b"POST /server/v2/getServerInstanceList HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Length: abc\r\n\r\nfoo",
                     b"POST /server/v2/getServerInstanceList HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Length: -5\r\n\r\n",
                     b"POST /server/v2/getServerInstanceList HTTP/1.1\r\nHost: x\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\nzzzz\r\n",
                     b"GET /server/v2/getServerInstanceList HTTP/1.1\r\nHost: x\r\n"
                     b"X-Big: " + b"a" * 200000 + b"\r\n\r\n"):
            with self.subTest(data=data[:50]):
                r = raw_http(port, data, timeout=5)
                # either a 4xx/5xx answer or a closed connection; never a success
                self.assertNotEqual(r.status // 100, 2, r)
                self.assertTrue(self.d.alive(), self.d.log_tail())

    def test_half_open_connections_do_not_block_others(self):
        socks = []
        try:
            for _ in range(8):
                s = socket.create_connection(("127.0.0.1", self.d.port), timeout=5)
                s.sendall(b"POST /server/v2/getServerInstanceList HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Length: 100\r\n\r\nabc")
                socks.append(s)
            t0 = time.monotonic()
            r = self.c.call(LIST, fmt="json")
            self.assert_success(r, "json", LIST)
            self.assertLess(time.monotonic() - t0, 3)
        finally:
            for s in socks:
                s.close()

    def test_keep_alive_many_requests_on_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=10)
        try:
            for i in range(30):
                uri = "/server/v2/getServerInstanceList?responseFormatType=json"
                conn.request("GET", uri, headers=self.c.signed_headers("GET", uri))
                r = conn.getresponse()
                body = r.read()
                self.assertEqual(r.status, 200, body)
                self.assertEqual(lenient_inner(body)["totalRows"], 4)
        finally:
            conn.close()

    def test_expect_100_continue(self):
        """curl sends 'Expect: 100-continue' for larger POST bodies."""
        body = ("responseFormatType=json&" + "&".join(
            "serverInstanceNoList.%d=%d" % (i + 1, 7000000 + i) for i in range(200))
            + "&serverInstanceNoList.201=1021004").encode()
        uri = "/server/v2/" + LIST
        head = self.head("POST", uri, extra=b"Expect: 100-continue\r\n",
                         content_length=len(body))
        s = socket.create_connection(("127.0.0.1", self.d.port), timeout=10)
        try:
            s.sendall(head)
            first = s.recv(4096)
            if first.startswith(b"HTTP/1.1 100"):
                s.sendall(body)
                data = first.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in first else b""
            else:
                self.fail("no '100 Continue' before the body: %r" % first[:200])
            while True:
                c = s.recv(65536)
                if not c:
                    break
                data += c
        finally:
            s.close()
        r = parse_raw_response(data)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(lenient_inner(r.body)["totalRows"], 1)

    def chunked(self, body, size=100):
        out = b""
        for i in range(0, len(body), size):
            part = body[i:i + size]
            out += b"%x\r\n" % len(part) + part + b"\r\n"
        return out + b"0\r\n\r\n"

    def test_chunked_request_body(self):
        body = b"responseFormatType=json&serverInstanceNoList.1=1021005&serverInstanceNoList.2=1"
        uri = "/server/v2/" + LIST
        head = self.head("POST", uri, extra=b"Transfer-Encoding: chunked\r\n")
        r = send_streaming(self.d.port, head + self.chunked(body, 7))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(lenient_inner(r.body)["totalRows"], 1)

    def test_chunked_request_body_over_limit_413(self):
        body = b"responseFormatType=json&searchFilterValue=" + b"a" * (2 * 1024 * 1024)
        uri = "/server/v2/" + LIST
        head = self.head("POST", uri, extra=b"Transfer-Encoding: chunked\r\n")
        r = send_streaming(self.d.port, head, self.chunked(body, 60000))
        self.assert_gateway_error(r, 413, "430", "Request Entity Too Large")

    def test_pipelined_requests(self):
        uri1 = "/server/v2/getServerInstanceList?responseFormatType=json"
        uri2 = uri1 + "&serverInstanceNoList.1=1021006"
        reqs = b""
        for uri, last in ((uri1, False), (uri2, True)):
            lines = ["GET %s HTTP/1.1" % uri, "Host: 127.0.0.1"]
            lines += ["%s: %s" % kv for kv in self.c.signed_headers("GET", uri).items()]
            if last:
                lines.append("Connection: close")
            reqs += ("\r\n".join(lines) + "\r\n\r\n").encode()
        s = socket.create_connection(("127.0.0.1", self.d.port), timeout=10)
        data = b""
        try:
            s.sendall(reqs)
            while True:
                c = s.recv(65536)
                if not c:
                    break
                data += c
        finally:
            s.close()
        r1 = parse_raw_response(data)
        consumed = data.index(b"\r\n\r\n") + 4 + int(r1.headers["content-length"])
        r2 = parse_raw_response(data[consumed:])
        self.assertEqual((r1.status, r2.status), (200, 200), data[:300])
        self.assertEqual(lenient_inner(r1.body)["totalRows"], 4)
        self.assertEqual(lenient_inner(r2.body)["totalRows"], 1)

    # -- echoed input stays well-formed ----------------------------------------------------------

    def test_echoed_parameter_names_are_escaped(self):
        """The 910 message echoes the parameter name; XML and JSON must stay valid."""
        for name in ('a<b>&"\'', "x\\y", "tab\there", "nl\nline", "ctl\x01\x1f", "퍼센트",
                     "n" * 5000):
            for fmt in ("xml", "json"):
                with self.subTest(name=name[:20], fmt=fmt):
                    r = self.c.call(LIST, [(name, "1")], fmt=fmt, method="POST")
                    self.assertEqual(r.status, 400, r)
                    if fmt == "json":
                        obj = json.loads(r.body)["responseError"]
                    else:
                        el = ET.fromstring(r.body)
                        obj = {"returnCode": el.findtext("returnCode"),
                               "returnMessage": el.findtext("returnMessage")}
                    self.assertEqual(obj["returnCode"], "910")
                    self.assertTrue(obj["returnMessage"].startswith(
                        "Invalid parameter. location : "), obj)

    def test_echoed_names_never_contain_body_marker(self):
        """D9: Terraform splits the SDK error text on 'Body: '; echoed input must not add it."""
        r = self.c.call(LIST, [("Body: {}", "1")], fmt="json")
        self.assertEqual(r.status, 400, r)
        self.assertNotIn("Body: ", json.loads(r.body)["responseError"]["returnMessage"])

    # -- tolerated client quirks (protocol.md 2) ----------------------------------------------

    def test_post_without_body_or_content_type(self):
        """Python SDK with no parameters: POST ?responseFormatType=json, empty body."""
        r = self.c.call(LIST, method="POST", fmt="json", fmt_in="query", raw_body=b"",
                        content_type=None)
        self.assertEqual(self.assert_success(r, "json", LIST)["totalRows"], 4)

    def test_content_type_parameters_and_case(self):
        for ct in ("application/x-www-form-urlencoded; charset=UTF-8",
                   "application/x-www-form-urlencoded; param=value",
                   "APPLICATION/X-WWW-FORM-URLENCODED"):
            with self.subTest(ct=ct):
                r = self.c.call(LIST, no_list(["1021004"]), method="POST", fmt="json",
                                content_type=ct)
                self.assertEqual(self.assert_success(r, "json", LIST)["totalRows"], 1)

    def test_non_form_body_ignored(self):
        r = self.c.call(LIST, method="POST", fmt="json", fmt_in="query",
                        raw_body=b'{"pageSize": 1, "foo": "bar"}',
                        content_type="application/json")
        self.assertEqual(self.assert_success(r, "json", LIST)["totalRows"], 4)
        self.assertEqual(len(go_sdk_slice(r.body)["serverInstanceList"]), 4)

    def test_body_wins_over_query(self):
        r = self.c.call(LIST, method="POST", raw_query="responseFormatType=xml",
                        raw_body="responseFormatType=json")
        self.assert_success(r, "json", LIST)

    def test_empty_pairs_and_percent_encoded_names(self):
        r = self.c.call(LIST, raw_query="&&responseFormatType=json&&"
                                        "serverInstanceNoList%2E1=1021005&")
        inner = self.assert_success(r, "json", LIST)
        self.assertEqual([s["serverInstanceNo"] for s in inner["serverInstanceList"]], ["1021005"])

    def test_pair_without_equals_is_empty_value(self):
        r = self.c.call(STOP, raw_query="responseFormatType=json&serverInstanceNoList.1")
        self.assert_api_error(r, "json", 24109, MSG["24109"])


class MaxBodyTest(NcpdTestCase):

    def test_max_body_boundary(self):
        limit = 2048
        d = self.new_daemon(sim_step_ms=30000, max_body=limit)
        c = d.client()
        # valid body of exactly `limit` bytes: unknown numbers (silently absent) as filler
        exact, i = "responseFormatType=json", 1
        while True:
            entry = "&serverInstanceNoList.%d=" % i
            room = limit - len(exact) - len(entry)
            if room <= 19:
                exact += entry + "8" * room
                break
            exact += entry + "8" * 12
            i += 1
        self.assertEqual(len(exact), limit)
        r = c.call(LIST, method="POST", raw_body=exact)
        self.assertEqual(self.assert_success(r, "json", LIST)["totalRows"], 0)
        r = c.call(LIST, method="POST", raw_body=exact + "a")
        self.assert_gateway_error(r, 413, "430", "Request Entity Too Large")
        self.assertTrue(d.alive())
        self.assertEqual(len(c.server_map()), 4)

    def test_max_body_via_env(self):
        d = self.new_daemon(sim_step_ms=30000, env={"NCPD_MAX_BODY": "4096"})
        c = d.client()
        r = c.call(LIST, method="POST", raw_body="responseFormatType=json&a=" + "b" * 5000)
        self.assert_gateway_error(r, 413, "430", "Request Entity Too Large")
        r = c.call(LIST, method="POST", raw_body="responseFormatType=json&a=" + "b" * 2000)
        self.assert_api_error(r, "json", 910, msg_910("a"))


if __name__ == "__main__":
    unittest.main()

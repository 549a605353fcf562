"""Hostile input and limits.

1. Every parameter of every action in src/spec/actions.def (string parameters, list items
   and object-list fields included) gets SQL metacharacters, LIKE wildcards, markup, NUL,
   control characters, XML non-characters, overlong (100 KB) values, invalid UTF-8 and
   broken percent-escapes, by GET and by POST, in XML and JSON. Every answer must be a
   well-formed success or 4xx error (never 5xx), with the documented code where
   docs/compat.md fixes one; accepted values must come back exactly (correctly escaped)
   in both formats; string filters must keep their meaning (an injected
   "' OR 1=1 --" or "%_%" must not widen a search); the daemon must stay alive and the
   database sound.
2. Signatures: replay outside the 5-minute window, signature over another query, path or
   method, v1/v2 header confusion, disabled key, another account's secret: 401 gateway
   JSON with errorCode "200", and nothing changes.
3. Limits: --max-body, --max-conns, header size, --timeout against idle and slow-loris
   clients while normal clients keep being served, list items.
"""

import base64
import socket
import sys
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from ncpd_harness import (ACCESS_KEY, SECRET_KEY, Client, NcpdTestCase, encode_pairs,
                          raw_http, send_streaming, signature, stringify)
from reliability_util import (LINUX_IMAGE, classify, integrity_check, list_all_servers,
                              load_action_table, make_rsa_keypair, transition_invariants)

KEY = "hostile-key"
UNKNOWN_NO = "9999999"

HOSTILE = [
    ("sql-or", "' OR 1=1 --"),
    ("sql-drop", '"; DROP TABLE servers; --'),
    ("sql-union", "x' UNION SELECT access_key, secret FROM api_keys --"),
    ("sql-stacked", "1; DELETE FROM servers; --"),
    ("like-wildcards", "%_%"),
    ("markup", "<&>\"'\\ ]]> {\"a\": [1]} </serverName>"),
    ("unicode", "\u00f1\u65e5\u672c\u8a9e\U0001F642\u2028\u2029\ufeff"),
    ("xml-nonchar", "a\uffffb\ufffec"),
    ("control", "a\x01\x08\x1b\x7fb\tc\nd\re"),
    ("crlf-header", "a\r\nX-Injected: 1\r\n\r\n"),
    ("format", "%s%n%x%p%%"),
    ("path", "../../../../etc/passwd"),
    ("space", " "),
    ("empty", ""),
    ("bignum", "99999999999999999999999999"),
    ("negative", "-1"),
    ("nul", "abc\x00def"),
    ("overlong", "A" * 100000),
    ("overlong-utf8", "\u65e5" * 40000),
]
POST_ONLY = {"overlong", "overlong-utf8"}
# raw (already percent-encoded) values that cannot be decoded: gateway 400 / 100
RAW_BAD = [
    ("utf8-ff-fe", "%ff%fe"),
    ("utf8-overlong", "%c0%af"),
    ("utf8-surrogate", "%ed%a0%80"),
    ("utf8-truncated", "abc%e6%97"),
    ("utf8-latin1", "caf%e9"),
    ("pct-zz", "%zz"),
    ("pct-lone", "%"),
    ("pct-short", "ab%4"),
    ("pct-double", "%%41"),
]
STRING_TYPES = ("NCP_T_STR", "NCP_T_LIST_STR")


def xml_safe(text):
    """What an XML 1.0 document can carry of text: ncpd replaces characters XML cannot
    hold (C0 controls other than TAB/LF/CR, U+FFFE, U+FFFF) with U+FFFD."""
    out = []
    for ch in text:
        o = ord(ch)
        if (o < 0x20 and ch not in "\t\n\r") or o in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def b64_text(value):
    """userData as ncpd stores it: Base64-decoded when that gives UTF-8 text."""
    try:
        raw = base64.b64decode(value, validate=True)
        return raw.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


class HostileParamsTest(NcpdTestCase):
    """The whole action table x hostile values."""

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(fixture="seed", sim_step_ms=30000)
        cls.c = cls.d.client()
        pub, cls.pem = make_rsa_keypair()
        r = cls.c.call("importLoginKey", [("keyName", KEY), ("publicKey", pub)], method="POST",
                       fmt="json")
        a = classify(r, "json")
        assert a.kind == "success", a
        r = cls.c.call("createServerInstances", [("serverImageProductCode", LINUX_IMAGE),
                                                 ("serverName", "hostile-base"),
                                                 ("loginKeyName", KEY)],
                       method="POST", fmt="json")
        a = classify(r, "json")
        assert a.kind == "success", a
        cls.base_no = a.inner["serverInstanceList"][0]["serverInstanceNo"]
        r = cls.c.call("getAccessControlGroupList", fmt="json")
        cls.acg = classify(r, "json").inner["accessControlGroupList"][0][
            "accessControlGroupConfigurationNo"]
        cls.counter = 0

    def fresh(self, prefix):
        HostileParamsTest.counter += 1
        return "%s-%05d" % (prefix, HostileParamsTest.counter)

    def baseline(self, action):
        """Valid values for the required (and a few useful) parameters of action."""
        n = self.base_no
        u = UNKNOWN_NO
        pf = [("portForwardingConfigurationNo", u),
              ("portForwardingRuleList.1.serverInstanceNo", n),
              ("portForwardingRuleList.1.portForwardingExternalPort", "2000"),
              ("portForwardingRuleList.1.portForwardingInternalPort", "22")]
        return {
            "changeServerInstanceSpec": [("serverInstanceNo", n),
                                         ("serverProductCode", "SPSVRSTAND000004")],
            "createLoginKey": [("keyName", self.fresh("hk"))],
            "createServerInstances": [("serverImageProductCode", LINUX_IMAGE),
                                      ("serverName", self.fresh("hs")), ("loginKeyName", KEY)],
            "deleteLoginKey": [("keyName", "no-such-key")],
            "getAccessControlGroupServerInstanceList": [
                ("accessControlGroupConfigurationNo", self.acg)],
            "getAccessControlRuleList": [("accessControlGroupConfigurationNo", self.acg)],
            "getRootPassword": [("serverInstanceNo", n), ("privateKey", self.pem)],
            "getRootPasswordServerInstanceList": [
                ("rootPasswordServerInstanceList.1.serverInstanceNo", n),
                ("rootPasswordServerInstanceList.1.privateKey", self.pem)],
            "getServerProductList": [("serverImageProductCode", LINUX_IMAGE)],
            "importLoginKey": [("keyName", self.fresh("hi")),
                               ("publicKey", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ== x")],
            "rebootServerInstances": [("serverInstanceNoList.1", UNKNOWN_NO)],
            "startServerInstances": [("serverInstanceNoList.1", UNKNOWN_NO)],
            "stopServerInstances": [("serverInstanceNoList.1", UNKNOWN_NO)],
            "terminateServerInstances": [("serverInstanceNoList.1", UNKNOWN_NO)],
            "setProtectServerTermination": [("serverInstanceNo", n),
                                            ("isProtectServerTermination", "false")],
            # issue 11: unknown resources, so that a value that passes the checks changes
            # nothing (a NAS volume is made once, its name then taken)
            "addMemberServerImageSharingPermission": [("memberServerImageNo", u),
                                                      ("targetLoginIdList.1", "x")],
            "addNasVolumeAccessControl": [("nasVolumeInstanceNo", u)],
            "addPortForwardingRules": pf,
            "associatePublicIpWithServerInstance": [("publicIpInstanceNo", u),
                                                    ("serverInstanceNo", n)],
            "attachBlockStorageInstance": [("serverInstanceNo", n),
                                           ("blockStorageInstanceNo", u)],
            "attachNetworkInterface": [("networkInterfaceNo", u), ("serverInstanceNo", n)],
            "changeBlockStorageVolumeSize": [("blockStorageInstanceNo", u),
                                             ("blockStorageSize", "20")],
            "changeNasVolumeSize": [("nasVolumeInstanceNo", u), ("volumeSize", "600")],
            "changeNasVolumeSnapshotConfiguration": [("nasVolumeInstanceNo", u),
                                                     ("snapshotVolumeConfigurationRatio", "10")],
            "createBlockStorageInstance": [("blockStorageSize", "10"), ("serverInstanceNo", u)],
            "createBlockStorageSnapshotInstance": [("blockStorageInstanceNo", u)],
            "createInstanceTags": [("instanceNoList.1", u), ("instanceTagList.1.tagKey", "k"),
                                   ("instanceTagList.1.tagValue", "v")],
            "createMemberServerImage": [("serverInstanceNo", u)],
            "createNasVolumeInstance": [("volumeName", "hostile1"), ("volumeSize", "500"),
                                        ("volumeAllotmentProtocolTypeCode", "NFS")],
            "createNasVolumeSnapshot": [("nasVolumeInstanceNo", u)],
            "createNetworkInterface": [("privateSubnetInstanceNo", u),
                                       ("networkInterfaceName", "nic-1"),
                                       ("networkInterfaceIp", "10.200.3.10")],
            "deleteBlockStorageInstances": [("blockStorageInstanceNoList.1", u)],
            "deleteBlockStorageSnapshotInstances": [("blockStorageSnapshotInstanceNoList.1", u)],
            "deleteInstanceTags": [("instanceNoList.1", u)],
            "deleteMemberServerImages": [("memberServerImageNoList.1", u)],
            "deleteNasVolumeInstance": [("nasVolumeInstanceNo", u)],
            "deleteNasVolumeSnapshot": [("nasVolumeInstanceNo", u),
                                        ("nasVolumeSnapshotName", "snap")],
            "deleteNetworkInterface": [("networkInterfaceNo", u)],
            "deletePortForwardingRules": pf,
            "deletePublicIpInstances": [("publicIpInstanceNoList.1", u)],
            "detachBlockStorageInstances": [("blockStorageInstanceNoList.1", u)],
            "detachNetworkInterface": [("networkInterfaceNo", u), ("serverInstanceNo", n)],
            "disassociatePublicIpFromServerInstance": [("publicIpInstanceNo", u)],
            "getNasVolumeAccessControlRuleList": [("nasVolumeInstanceNo", u)],
            "getNasVolumeInstanceRatingList": [("nasVolumeInstanceNo", u),
                                               ("startTime", "202401010000"),
                                               ("endTime", "202401010100"), ("interval", "5m")],
            "getNasVolumeSnapshotConfigurationHistoryList": [("nasVolumeInstanceNo", u)],
            "getNasVolumeSnapshotList": [("nasVolumeInstanceNo", u)],
            "interruptServerInstance": [("serverInstanceNo", u)],
            "recreateServerInstance": [("serverInstanceNo", u)],
            "removeMemberServerImageSharingPermission": [("memberServerImageNo", u),
                                                         ("targetLoginIdList.1", "x")],
            "removeNasVolumeAccessControl": [("nasVolumeInstanceNo", u)],
            "replaceServerInstanceAssociatedWithPublicIp": [("publicIpInstanceNo", u),
                                                            ("serverInstanceNo", n)],
            "restoreNasVolumeWithSnapshot": [("nasVolumeInstanceNo", u),
                                             ("nasVolumeSnapshotName", "snap")],
            "setMemberServerImageSharingPermission": [("memberServerImageNo", u)],
            "setNasVolumeAccessControl": [("nasVolumeInstanceNo", u)],
            "setNasVolumeReturnProtection": [("nasVolumeInstanceNo", u),
                                             ("isReturnProtection", "false")],
        }.get(action, [])

    OBJ_DEFAULTS = {"tagKey": "k", "tagValue": "v", "mountPoint": "/data",
                    "partitionSize": "10", "serverInstanceNo": None, "privateKey": None,
                    "portForwardingExternalPort": "2000", "portForwardingInternalPort": "22",
                    "customIp": None, "writeAccess": "true"}

    def targets(self, action, p):
        """[(wire name, [companion pairs])] for hostile values of parameter p."""
        if p.type == "NCP_T_OBJLIST":
            out = []
            for f in p.enums:
                comp = []
                for g in p.enums:
                    if g != f:
                        v = self.OBJ_DEFAULTS.get(g)
                        v = {"serverInstanceNo": self.base_no, "privateKey": self.pem}.get(g, v)
                        comp.append(("%s.1.%s" % (p.name, g), v))
                out.append(("%s.1.%s" % (p.name, f), comp))
            return out
        if p.is_list:
            return [("%s.1" % p.name, [])]
        return [(p.name, [])]

    def send(self, action, pairs, raw_tail, method, fmt):
        q = encode_pairs(pairs)
        if raw_tail is not None:
            q = q + ("&" if q else "") + raw_tail
        if fmt == "json":
            q = "responseFormatType=json" + ("&" + q if q else "")
        if method == "GET":
            return self.c.call(action, raw_query=q, method="GET")
        return self.c.call(action, raw_body=q, method="POST")

    def test_every_parameter_of_every_action(self):
        actions = load_action_table()
        problems = []
        cases = 0
        accepted = 0
        accepted_by = {}
        stats = {}
        for act in actions:
            for p in act.params:
                for wire, comp in self.targets(act.name, p):
                    prefix = wire.split(".")[0]
                    for label, value in HOSTILE + [(lbl, None) for lbl, _ in RAW_BAD]:
                        raw = dict(RAW_BAD).get(label) if value is None else None
                        for method in ("GET", "POST"):
                            if method == "GET" and label in POST_ONLY:
                                continue
                            cases += 1
                            fmt = "json" if cases % 2 else "xml"
                            base = [(k, v) for k, v in self.baseline(act.name)
                                    if k.split(".")[0] != prefix]
                            extra = []
                            if act.name == "getServerInstanceList" and \
                                    p.name == "searchFilterValue":
                                extra = [("searchFilterName", "serverName")]
                            if value is not None:
                                pairs = base + comp + extra + [(wire, value)]
                                tail = None
                            else:
                                pairs = base + comp + extra
                                tail = "%s=%s" % (urllib.parse.quote(wire, safe=""), raw)
                            try:
                                resp = self.send(act.name, pairs, tail, method, fmt)
                            except OSError as exc:
                                problems.append("%s %s=%s %s: no answer (%r)"
                                                % (act.name, wire, label, method, exc))
                                if not self.d.alive():
                                    self.fail("ncpd died at %s %s=%s %s:\n%s"
                                              % (act.name, wire, label, method,
                                                 self.d.log_tail()))
                                continue
                            ans = classify(resp, fmt)
                            key = ans.kind + ":" + str(ans.code)
                            stats[key] = stats.get(key, 0) + 1
                            where = "%s %s=%s %s/%s" % (act.name, wire, label, method, fmt)
                            pr = self.judge(act, p, wire, label, value, ans, resp, fmt)
                            if pr:
                                problems.append("%s: %s" % (where, pr))
                                continue
                            if ans.kind == "success":
                                accepted += 1
                                k2 = "%s.%s" % (act.name, wire)
                                accepted_by[k2] = accepted_by.get(k2, 0) + 1
                                pr = self.check_success(act, p, wire, label, value, ans, fmt)
                                if pr:
                                    problems.append("%s: %s" % (where, pr))
            self.assertTrue(self.d.alive(), "ncpd died during %s:\n%s"
                            % (act.name, self.d.log_tail()))
        # the store is intact and still answers
        self.assertEqual(self.d.health().status, 200)
        self.assertIn(self.base_no, list_all_servers(self.c))
        self.assertEqual(integrity_check(self.d.db), "ok")
        self.assertEqual(transition_invariants(self.d.db), [])
        print("\n[hostile-params] actions=%d hostile cases=%d accepted=%d answers=%s\n"
              "  accepted (checked for exact echo / filter meaning): %s"
              % (len(actions), cases, accepted,
                 " ".join("%s=%d" % kv for kv in sorted(stats.items())),
                 " ".join("%s=%d" % kv for kv in sorted(accepted_by.items()))),
              file=sys.stderr)
        self.assertFalse(problems, "%d problem(s):\n  %s"
                         % (len(problems), "\n  ".join(problems[:40])))

    def judge(self, act, p, wire, label, value, ans, resp, fmt):
        """None if the answer is acceptable for this hostile value, else why not."""
        if ans.kind in ("none", "malformed"):
            return "improper answer %r (%r)" % (ans, resp)
        if ans.http >= 500:
            return "server error %r" % ans
        if ans.kind in ("api_error", "gateway") and not 400 <= ans.http < 500:
            return "error with HTTP %d: %r" % (ans.http, ans)
        if ans.kind == "api_error" and "Body: " in (ans.message or ""):
            return "message contains 'Body: ': %r" % ans.message
        if value is None:  # undecodable
            if (ans.kind, ans.http, ans.code, ans.message) != ("gateway", 400, "100",
                                                              "Bad Request Exception"):
                return "undecodable value: expected gateway 400/100, got %r" % ans
            return None
        if ans.kind == "gateway":
            return "decodable value refused by the gateway: %r" % ans
        string_param = p.type in STRING_TYPES or p.type == "NCP_T_OBJLIST"
        if label == "nul" and string_param:
            if (ans.kind, ans.code) != ("api_error", "910"):
                return "NUL in a string value: expected 910, got %r" % ans
            if p.type == "NCP_T_STR" and ans.message != \
                    "Invalid parameter. location : %s." % p.name:
                return "NUL: 910 with message %r" % ans.message
        if label in POST_ONLY and p.type == "NCP_T_STR" and p.max and ans.code != "910":
            return "value longer than %s characters: expected 910, got %r" % (p.max, ans)
        if ans.kind == "success" and label == "nul":
            return "NUL accepted"
        return None

    def check_success(self, act, p, wire, label, value, ans, fmt):
        """An accepted hostile value: echoes are exact, filters keep their meaning."""
        inner = ans.inner
        name = act.name
        if name == "createServerInstances":
            servers = inner.get("serverInstanceList") or []
            if len(servers) != 1:
                return "create answered %d servers" % len(servers)
            no = servers[0]["serverInstanceNo"]
            return self.check_round_trip(no, p, wire, value)
        if fmt != "json":
            return None
        if name == "getServerInstanceList" and p.name == "searchFilterValue":
            bad = [s["serverName"] for s in inner["serverInstanceList"]
                   if value.lower() not in s["serverName"].lower()]
            if bad:
                return "serverName filter %r matched %s" % (value, bad[:5])
        if name == "getServerInstanceList" and p.name in ("tagKeyList", "tagValueList"):
            f = "tagKey" if p.name == "tagKeyList" else "tagValue"
            bad = [s["serverInstanceNo"] for s in inner["serverInstanceList"]
                   if not any(t.get(f) == value for t in s.get("instanceTagList", []))]
            if bad:
                return "%s filter %r matched servers without it: %s" % (p.name, value, bad[:5])
        if name == "getLoginKeyList" and p.name == "keyName":
            bad = [k["keyName"] for k in inner["loginKeyList"] if k["keyName"] != value]
            if bad:
                return "keyName filter %r matched %s" % (value, bad[:5])
        if name == "getAccessControlGroupList" and p.name == "accessControlGroupName":
            bad = [g["accessControlGroupName"] for g in inner["accessControlGroupList"]
                   if g["accessControlGroupName"] != value]
            if bad:
                return "name filter %r matched %s" % (value, bad[:5])
        if name in ("getServerImageProductList", "getServerProductList"):
            items = inner.get("productList") or []
            if p.name == "productCode":
                bad = [x.get("productCode") for x in items if x.get("productCode") != value]
                if bad:
                    return "productCode filter %r matched %s" % (value, bad[:5])
            if p.name == "exclusionProductCode":
                base = self.baseline(name)
                full = classify(self.c.call(name, base, fmt="json"), "json")
                want = sorted(x.get("productCode") for x in full.inner.get("productList") or [])
                got = sorted(x.get("productCode") for x in items)
                if got != want:
                    return "exclusionProductCode %r changed the list: %s != %s" % (
                        value[:40], got[:5], want[:5])
        return None

    def check_round_trip(self, no, p, wire, value):
        """The created server, read back in JSON and XML, carries the value exactly."""
        rj = self.c.call("getServerInstanceList", [("serverInstanceNoList.1", no)], fmt="json")
        rx = self.c.call("getServerInstanceList", [("serverInstanceNoList.1", no)], fmt="xml")
        aj, ax = classify(rj, "json"), classify(rx, "xml")
        if aj.kind != "success" or ax.kind != "success":
            return "read back failed: %r / %r" % (aj, ax)
        sj = aj.inner["serverInstanceList"][0]
        try:
            el = ET.fromstring(rx.body).find("serverInstanceList/serverInstance")
        except ET.ParseError as exc:
            return "XML read back does not parse: %s" % exc
        if p.name == "serverDescription":
            if sj["serverDescription"] != value:
                return "JSON serverDescription %r != sent %r" % (sj["serverDescription"][:80],
                                                                 value[:80])
            if (el.findtext("serverDescription") or "") != xml_safe(value):
                return "XML serverDescription %r != %r" % (el.findtext("serverDescription"),
                                                           xml_safe(value))
        elif p.name == "userData":
            want = {value, b64_text(value)} - {None}
            if sj["userData"] not in want:
                return "JSON userData %r not in %r" % (sj["userData"][:80], want)
            if (el.findtext("userData") or "") != xml_safe(sj["userData"]):
                return "XML userData %r != JSON %r" % (el.findtext("userData"), sj["userData"])
        elif p.name == "instanceTagList":
            field = wire.rsplit(".", 1)[1]
            tags = sj.get("instanceTagList") or []
            if not tags or tags[0].get(field) != value:
                return "JSON tag %s %r != %r" % (field, tags[:1], value[:80])
            xt = el.find("instanceTagList/instanceTag")
            if xt is None or (xt.findtext(field) or "") != xml_safe(value):
                return "XML tag %s != %r" % (field, xml_safe(value)[:80])
        elif p.name == "blockDevicePartitionList":
            field = wire.rsplit(".", 1)[1]
            parts = sj.get("blockDevicePartitionList") or []
            if parts and stringify(parts[0].get(field)) != value:
                return "JSON partition %s %r != %r" % (field, parts[:1], value[:80])
            xp = el.find("blockDevicePartitionList/blockDevicePartition")
            if parts and (xp is None or (xp.findtext(field) or "") != xml_safe(value)):
                return "XML partition %s != %r" % (field, xml_safe(value)[:80])
        return None


class SignatureAttackTest(NcpdTestCase):
    """Forged, replayed and misdirected signatures: 401 / "200", nothing changes."""

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(fixture="seed", sim_step_ms=30000)
        cls.c = cls.d.client()
        cls.b_access, cls.b_secret = cls.d.create_account("other-account")

    def tearDown(self):
        self.assertTrue(self.d.alive(), self.d.log_tail())
        self.assertEqual(self.c.state("1021003")[:2], ("RUN", "NULL"),
                         "a refused request changed the server")

    def refused(self, resp, what):
        ans = classify(resp, "json")
        self.assertEqual((ans.kind, ans.http, ans.code, ans.message),
                         ("gateway", 401, "200", "Authentication Failed"),
                         "%s: %r" % (what, resp))
        SignatureAttackTest.cases += 1

    cases = 0

    @classmethod
    def tearDownClass(cls):
        print("\n[hostile-signatures] refused cases=%d" % cls.cases, file=sys.stderr)
        super().tearDownClass()

    def send(self, method, uri, headers, body=None):
        return self.c.raw(method, uri, headers, body)

    def hdrs(self, ts, access=ACCESS_KEY, v2=None, v1=None):
        h = {"x-ncp-apigw-timestamp": str(ts), "x-ncp-iam-access-key": access}
        if v2 is not None:
            h["x-ncp-apigw-signature-v2"] = v2
        if v1 is not None:
            h["x-ncp-apigw-signature-v1"] = v1
        return h

    STOP_URI = "/server/v2/stopServerInstances?serverInstanceNoList.1=1021003"

    def test_replay_outside_window(self):
        now = int(time.time() * 1000)
        for off in (-301000, -3600000, -86400000 * 365, 301000, 3600000):
            ts = now + off
            sig = signature(SECRET_KEY, "GET", self.STOP_URI, ts, ACCESS_KEY)
            for hdr in ("v2", "v1"):
                h = self.hdrs(ts, **{hdr: sig})
                self.refused(self.send("GET", self.STOP_URI, h), "timestamp %+d ms %s" % (off,
                                                                                        hdr))
        # inside the window the same construction is accepted (the checks above are real)
        ts = now - 250000
        uri = "/server/v2/getServerInstanceList"
        r = self.send("GET", uri, self.hdrs(ts, v2=signature(SECRET_KEY, "GET", uri, ts,
                                                             ACCESS_KEY)))
        self.assertEqual(r.status, 200, r)

    def test_malformed_timestamps(self):
        uri = "/server/v2/getServerInstanceList"
        now = int(time.time() * 1000)
        for ts in ("+%d" % now, "%d.0" % now, "%de0" % now, " %d" % now, "0x1", "-1", "0",
                   "9" * 16, "9" * 40, "%d" % (now * 1000), "NaN", "%d\x0b" % now):
            sig = signature(SECRET_KEY, "GET", uri, ts, ACCESS_KEY)
            try:
                r = self.send("GET", uri, self.hdrs(ts, v2=sig))
            except ValueError:
                continue  # http.client refuses to send this header value
            self.refused(r, "timestamp %r" % ts)

    def test_signature_over_other_query_path_or_method(self):
        now = int(time.time() * 1000)
        signed = "/server/v2/getServerInstanceList?serverInstanceNoList.1=1021005"
        sig = signature(SECRET_KEY, "GET", signed, now, ACCESS_KEY)
        for uri in ("/server/v2/getServerInstanceList?serverInstanceNoList.1=1021003",
                    signed + "&serverInstanceNoList.2=1021003",
                    "/server/v2/getServerInstanceList",
                    "/server/v2/stopServerInstances?serverInstanceNoList.1=1021005",
                    signed.replace("1021005", "1021005%20")):
            self.refused(self.send("GET", uri, self.hdrs(now, v2=sig)), "sig of %s" % signed)
        # the signature of a GET does not authorise a POST of the same target
        self.refused(self.send("POST", signed, self.hdrs(now, v2=sig), b""), "GET sig on POST")
        stop_sig = signature(SECRET_KEY, "GET", self.STOP_URI, now, ACCESS_KEY)
        self.refused(self.send("POST", self.STOP_URI, self.hdrs(now, v2=stop_sig), b""),
                     "GET sig on POST stop")
        post_sig = signature(SECRET_KEY, "POST", self.STOP_URI, now, ACCESS_KEY)
        self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, v2=post_sig)),
                     "POST sig on GET stop")
        # lower-case method or another access key inside the signed text
        self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, v2=signature(
            SECRET_KEY, "get", self.STOP_URI, now, ACCESS_KEY))), "lower-case method")
        self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, v2=signature(
            SECRET_KEY, "GET", self.STOP_URI, now, self.b_access))), "other key in text")
        # a signature for another timestamp
        self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, v2=signature(
            SECRET_KEY, "GET", self.STOP_URI, now - 1, ACCESS_KEY))), "timestamp mismatch")

    def test_v1_v2_header_confusion(self):
        now = int(time.time() * 1000)
        other = "/server/v2/getServerInstanceList?serverInstanceNoList.1=1021003"
        sig_other = signature(SECRET_KEY, "GET", other, now, ACCESS_KEY)
        bogus = base64.b64encode(b"\0" * 32).decode()
        for v2, v1 in ((None, sig_other), (sig_other, None), (sig_other, sig_other),
                       (bogus, sig_other), (sig_other, bogus), ("", sig_other),
                       (sig_other, ""), (bogus, bogus), (None, None)):
            self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, v2=v2, v1=v1)),
                         "v2=%r v1=%r" % (v2, v1))
        # sanity: the genuine signature in either header is accepted
        uri = "/server/v2/getServerInstanceList"
        good = signature(SECRET_KEY, "GET", uri, now, ACCESS_KEY)
        for h in (self.hdrs(now, v2=good), self.hdrs(now, v1=good)):
            self.assertEqual(self.send("GET", uri, h).status, 200)

    def test_signature_encodings(self):
        now = int(time.time() * 1000)
        good = signature(SECRET_KEY, "GET", self.STOP_URI, now, ACCESS_KEY)
        raw = base64.b64decode(good)
        for sig in (good[:-1], good[:-2], good + "=", good + "A", good.lower(), good.upper(),
                    base64.urlsafe_b64encode(raw).decode().rstrip("="), raw.hex(),
                    base64.b64encode(raw[:31]).decode(), "A" * 4096, "%s,%s" % (good, good)):
            if sig == good:
                continue
            self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, v2=sig)),
                         "signature %r" % sig[:60])
        # an empty secret / the access key as secret
        for secret in ("", ACCESS_KEY):
            self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, v2=signature(
                secret, "GET", self.STOP_URI, now, ACCESS_KEY))), "secret %r" % secret)

    def test_key_of_another_account(self):
        now = int(time.time() * 1000)
        # A's access key with B's secret, and B's access key with A's secret
        self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, v2=signature(
            self.b_secret, "GET", self.STOP_URI, now, ACCESS_KEY))), "A key, B secret")
        self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, access=self.b_access,
                                                               v2=signature(
            SECRET_KEY, "GET", self.STOP_URI, now, self.b_access))), "B key, A secret")
        # unknown keys that look like real ones
        for ak in (ACCESS_KEY.lower(), ACCESS_KEY + " ", ACCESS_KEY[:-1], ACCESS_KEY + "X",
                   "' OR 1=1 --", "%s' --" % ACCESS_KEY, "*"):
            try:
                r = self.send("GET", self.STOP_URI, self.hdrs(now, access=ak, v2=signature(
                    SECRET_KEY, "GET", self.STOP_URI, now, ak)))
            except ValueError:
                continue
            self.refused(r, "access key %r" % ak)
        # B's own key works for B, and sees nothing of A's
        b = Client(self.d, self.b_access, self.b_secret)
        r = b.call("stopServerInstances", [("serverInstanceNoList.1", "1021003")], fmt="json")
        ans = classify(r, "json")
        self.assertEqual((ans.kind, ans.code), ("api_error", "24120"), r)

    def test_disabled_key(self):
        access, secret = self.d.create_account("to-be-disabled")
        k = Client(self.d, access, secret)
        self.assertEqual(k.call("getServerInstanceList").status, 200)
        r = self.d.cli("account", "disable-key", access)
        self.assertEqual(r.returncode, 0, r)
        now = int(time.time() * 1000)
        for hdr in ("v2", "v1"):
            sig = signature(secret, "GET", self.STOP_URI, now, access)
            self.refused(self.send("GET", self.STOP_URI, self.hdrs(now, access=access,
                                                                   **{hdr: sig})),
                         "disabled key (%s)" % hdr)
        self.refused(k.call("getServerInstanceList", method="POST", fmt="json"), "disabled POST")
        # the other keys are unaffected
        self.assertEqual(self.c.call("getServerInstanceList").status, 200)


class LimitsTest(NcpdTestCase):
    """--max-body, --max-conns, header size, --timeout, list items."""

    def signed_get(self, d, uri, extra=""):
        c = d.client()
        h = c.signed_headers("GET", uri)
        lines = ["GET %s HTTP/1.1" % uri, "Host: 127.0.0.1:%d" % d.port]
        lines += ["%s: %s" % kv for kv in h.items()]
        return ("\r\n".join(lines) + "\r\n" + extra + "Connection: close\r\n\r\n").encode()

    def assert_serving(self, d):
        self.assertTrue(d.alive(), d.log_tail())
        r = d.client().call("getServerInstanceList", fmt="json")
        self.assertEqual(r.status, 200, r)

    def test_max_body(self):
        d = self.new_daemon(max_body=4096)
        c = d.client()
        uri = "/server/v2/getServerInstanceList?responseFormatType=json"
        for n in (4097, 5000, 10 * 1024 * 1024):
            body = b"x" * n
            head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-"
                    "urlencoded\r\nContent-Length: %d\r\n" % (uri, n)).encode()
            h = c.signed_headers("POST", uri)
            head += "".join("%s: %s\r\n" % kv for kv in h.items()).encode() + b"\r\n"
            r = send_streaming(d.port, head, body)
            self.assert_gateway_error(r, 413, "430")
        # chunked, no Content-Length
        h = c.signed_headers("POST", uri)
        head = ("POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" % uri).encode()
        head += "".join("%s: %s\r\n" % kv for kv in h.items()).encode() + b"\r\n"
        chunk = b"a" * 1000
        body = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 6 + b"0\r\n\r\n"
        self.assert_gateway_error(send_streaming(d.port, head, body), 413, "430")
        # exactly the limit is read and handled (an unknown parameter: 910, not 413)
        body = b"responseFormatType=json&serverInstanceNoList.1=1021003&pad=" + b"z" * (
            4096 - len(b"responseFormatType=json&serverInstanceNoList.1=1021003&pad="))
        self.assertEqual(len(body), 4096)
        r = c.call("getServerInstanceList", method="POST", raw_body=body)
        self.assertEqual(r.status, 400, r)
        self.assertNotIn(b"430", r.body)
        self.assert_serving(d)

    def test_max_conns_single_thread(self):
        """With one worker thread the limit is exact: connections beyond it are closed
        without an answer; the ones held keep working; after release new ones work."""
        limit = 8
        d = self.new_daemon(extra_args=["--max-conns", str(limit), "--threads", "1",
                                        "--timeout", "30"])
        self.check_max_conns(d, limit, exact=True)

    def test_max_conns_thread_pool(self):
        limit = 16
        d = self.new_daemon(extra_args=["--max-conns", str(limit), "--threads", "4",
                                        "--timeout", "30"])
        self.check_max_conns(d, limit, exact=False)

    def check_max_conns(self, d, limit, exact):
        """Hold `limit` connections, then open 6 more. exact (one worker thread): every
        extra connection is refused, closed or answered with an error within 3 s (not
        served, not left hanging); pool: never more than `limit` served. The held
        connections are all served afterwards, and new ones once they are released."""
        uri = "/server/v2/getServerInstanceList"
        held = []
        outcomes = []
        # the harness's own start-up connections (health checks) must be gone first:
        # the limit counts every connection, and one still closing would take a slot
        time.sleep(0.5)
        try:
            for _ in range(limit):
                held.append(socket.create_connection(("127.0.0.1", d.port), timeout=10))
            time.sleep(0.5)  # let the daemon accept them all
            extra = []
            for _ in range(6):
                try:
                    s = socket.create_connection(("127.0.0.1", d.port), timeout=3)
                    s.sendall(self.signed_get(d, uri))
                    extra.append(s)
                except OSError:
                    outcomes.append("refused")
            deadline = time.monotonic() + 3.0
            for s in extra:
                try:
                    s.settimeout(max(0.05, deadline - time.monotonic()))
                    data = s.recv(65536)
                    if not data:
                        outcomes.append("closed")
                    elif data.startswith(b"HTTP/1.1 200"):
                        outcomes.append("served")
                    else:
                        outcomes.append("error " + data[:12].decode("latin-1"))
                except socket.timeout:
                    outcomes.append("hung")
                except OSError:
                    outcomes.append("closed")
                finally:
                    s.close()
            ok_held = 0
            for s in held:
                try:
                    s.sendall(self.signed_get(d, uri))
                    buf = b""
                    while True:
                        chunk = s.recv(65536)
                        if not chunk:
                            break
                        buf += chunk
                    if buf.startswith(b"HTTP/1.1 200"):
                        ok_held += 1
                except OSError:
                    pass
        finally:
            for s in held:
                s.close()
        print("\n[hostile-limits] --max-conns %d (%s): %d/%d held connections served; "
              "connections beyond the limit: %s" % (limit, "1 thread" if exact else "pool",
                                                    ok_held, limit, outcomes), file=sys.stderr)
        time.sleep(0.3)
        self.assert_serving(d)
        served = outcomes.count("served")
        if exact:
            self.assertEqual(ok_held, limit, "held connections within the limit failed")
            self.assertEqual(served, 0, "connections beyond --max-conns were served")
            self.assertNotIn("hung", outcomes,
                             "connections beyond --max-conns %d are neither refused nor closed: "
                             "they hang unanswered (outcomes %s)" % (limit, outcomes))
        else:
            self.assertLessEqual(served + ok_held, limit,
                                 "more connections served than --max-conns")
            self.assertGreater(ok_held, 0)

    def test_oversized_headers(self):
        d = self.new_daemon()
        uri = "/server/v2/getServerInstanceList"
        results = []
        for label, data in (
                ("one 40 KiB header", self.signed_get(d, uri, "X-Pad: %s\r\n" % ("a" * 40960))),
                ("one 1 MiB header", self.signed_get(d, uri, "X-Pad: %s\r\n" % ("a" * 2 ** 20))),
                ("3000 small headers", self.signed_get(d, uri, "".join(
                    "X-H%d: %s\r\n" % (i, "v" * 10) for i in range(3000)))),
                ("40 KiB request-target", self.signed_get(d, uri + "?x=" + "b" * 40960)),
                ("40 KiB header name", self.signed_get(d, uri, "X%s: 1\r\n" % ("n" * 40960))),
                ("40 KiB signature header", ("GET %s HTTP/1.1\r\nHost: x\r\nx-ncp-apigw-"
                                            "signature-v2: %s\r\n\r\n" % (uri, "s" * 40960))
                 .encode())):
            r = raw_http(d.port, data, timeout=10)
            results.append((label, r.status))
            self.assertIn(r.status, (0, 400, 413, 414, 431), "%s: %r" % (label, r))
            self.assertTrue(d.alive(), "%s killed ncpd: %s" % (label, d.log_tail()))
            self.assert_serving(d)
        # just under the limit still works
        r = raw_http(d.port, self.signed_get(d, uri, "X-Pad: %s\r\n" % ("a" * 16000)))
        self.assertEqual(r.status, 200, r)
        print("\n[hostile-limits] oversized headers: %s" % results, file=sys.stderr)

    def test_list_items_limit(self):
        d = self.new_daemon()
        c = d.client()
        pairs = [("serverInstanceNoList.%d" % (i + 1), str(8000000 + i)) for i in range(1000)]
        r = c.call("getServerInstanceList", pairs, method="POST", fmt="json")
        ans = classify(r, "json")
        self.assertEqual((ans.kind, ans.inner.get("totalRows")), ("success", 0), r)
        pairs.append(("serverInstanceNoList.1001", "8001000"))
        r = c.call("getServerInstanceList", pairs, method="POST", fmt="json")
        self.assert_api_error(r, "json", 910,
                              "Invalid parameter. location : serverInstanceNoList.")
        for action in ("stopServerInstances", "startServerInstances"):
            r = c.call(action, pairs, method="POST", fmt="json")
            ans = classify(r, "json")
            self.assertEqual((ans.kind, ans.http), ("api_error", 400), r)
        self.assert_serving(d)

    # -- timeouts -------------------------------------------------------------------

    def normal_clients(self, d, stop, out):
        """Keep making requests; record (ok, latency)."""
        c = d.client()
        c.timeout = 10
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                ok = c.call("getServerInstanceList", fmt="json").status == 200
            except OSError:
                ok = False
            out.append((ok, time.monotonic() - t0))
            time.sleep(0.05)

    def test_idle_connection_dropped_after_timeout(self):
        timeout = 2
        d = self.new_daemon(extra_args=["--timeout", str(timeout)])
        s = socket.create_connection(("127.0.0.1", d.port), timeout=timeout + 10)
        t0 = time.monotonic()
        try:
            data = s.recv(100)
        except OSError:
            data = b""
        finally:
            s.close()
        waited = time.monotonic() - t0
        self.assertEqual(data, b"")
        self.assertLess(waited, timeout + 3, "idle connection kept for %.1fs" % waited)
        self.assertGreater(waited, timeout - 1)
        self.assert_serving(d)

    def test_slow_loris_dropped_while_others_served(self):
        """One header byte per second: --timeout must bound the whole request, not just
        idle gaps, and normal clients keep being served meanwhile."""
        timeout = 2
        d = self.new_daemon(extra_args=["--timeout", str(timeout)])
        stop = threading.Event()
        normal = []
        t = threading.Thread(target=self.normal_clients, args=(d, stop, normal), daemon=True)
        t.start()
        uri = "/server/v2/getServerInstanceList"
        payload = self.signed_get(d, uri, "X-Slow: " + "s" * 200 + "\r\n")
        socks = [socket.create_connection(("127.0.0.1", d.port), timeout=5) for _ in range(20)]
        limit = timeout * 3 + 3
        t0 = time.monotonic()
        alive_for = [None] * len(socks)
        try:
            i = 0
            while time.monotonic() - t0 < limit and None in alive_for:
                for k, s in enumerate(socks):
                    if alive_for[k] is not None:
                        continue
                    try:
                        s.sendall(payload[i:i + 1])
                        s.setblocking(False)
                        try:
                            got = s.recv(4096)
                            if got == b"" or got.startswith(b"HTTP/"):
                                alive_for[k] = time.monotonic() - t0
                        except BlockingIOError:
                            pass
                        finally:
                            s.setblocking(True)
                    except OSError:
                        alive_for[k] = time.monotonic() - t0
                i += 1
                time.sleep(1.0)
        finally:
            stop.set()
            t.join(timeout=15)
            for s in socks:
                s.close()
        sent = i
        fails = [x for x in normal if not x[0]]
        slow = max((x[1] for x in normal), default=0)
        print("\n[hostile-limits] slow-loris (--timeout %d): %d connections, dropped after %s s "
              "(%d bytes sent each); normal requests %d, failed %d, max latency %.2fs"
              % (timeout, len(socks), [None if a is None else round(a, 1) for a in alive_for],
                 sent, len(normal), len(fails), slow), file=sys.stderr)
        self.assertTrue(normal, "no normal request completed")
        self.assertFalse(fails, "normal clients failed during the slow-loris attack")
        self.assertLess(slow, 2.0, "normal clients were slowed down")
        self.assertNotIn(None, alive_for,
                         "slow-loris connections (1 header byte/s) still open after %ds with "
                         "--timeout %d: the timeout only counts idle time" % (limit, timeout))
        self.assertLess(max(alive_for), timeout + 3)
        self.assert_serving(d)

    def test_slow_loris_cannot_exhaust_max_conns(self):
        """As many slow clients as --max-conns, each trickling one header byte per second:
        after --timeout (plus slack) a normal client must get through again."""
        timeout, limit = 2, 12
        d = self.new_daemon(extra_args=["--timeout", str(timeout), "--max-conns", str(limit),
                                        "--threads", "1"])
        payload = self.signed_get(d, "/server/v2/getServerInstanceList",
                                  "X-Slow: " + "s" * 200 + "\r\n")
        socks = [socket.create_connection(("127.0.0.1", d.port), timeout=5)
                 for _ in range(limit)]
        results = []
        try:
            t0 = time.monotonic()
            i = 0
            served_at = None
            while time.monotonic() - t0 < timeout * 3 + 4:
                for s in socks:
                    try:
                        s.sendall(payload[i:i + 1])
                    except OSError:
                        pass
                i += 1
                if time.monotonic() - t0 > timeout + 2:
                    c = d.client()
                    c.timeout = 0.9
                    try:
                        st = c.call("getServerInstanceList", fmt="json").status
                    except OSError as exc:
                        st = type(exc).__name__
                    results.append((round(time.monotonic() - t0, 1), st))
                    if st == 200:
                        served_at = time.monotonic() - t0
                        break
                time.sleep(1.0)
        finally:
            for s in socks:
                s.close()
        print("\n[hostile-limits] %d slow-loris connections vs --max-conns %d --timeout %d: "
              "normal client attempts %s" % (limit, limit, timeout, results), file=sys.stderr)
        self.assertIsNotNone(served_at, "a normal client was locked out by %d slow-loris "
                             "connections (1 byte/s each) for more than %ds although --timeout "
                             "is %ds: %s" % (limit, timeout * 3 + 4, timeout, results))
        self.assert_serving(d)


if __name__ == "__main__":
    unittest.main()

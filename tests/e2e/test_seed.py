"""The seed page's example request, replayed against the seed fixture.

GET /server/v2/stopServerInstances?serverInstanceNoList.1=1021003 must answer
the seed's response (fresh requestId; ncpd adds isDefaultGroup before isDefault)."""

import unittest
import xml.etree.ElementTree as ET

from ncpd_harness import (D10_ELEMENT, DATE_RE, UUID_RE, MSG, NcpdTestCase, SEED_STORAGES,
                          go_sdk_slice, no_list, seed_server_order, seed_xml_root, stringify,
                          strip_d10, xml_to_obj)

SEED_QUERY = "serverInstanceNoList.1=1021003"


def compare_xml(expected, got, path, problems):
    """Element-by-element comparison of got against the seed; collects problems."""
    if expected.tag != got.tag:
        problems.append("%s: element <%s> expected, got <%s>" % (path, expected.tag, got.tag))
        return
    here = "%s/%s" % (path, got.tag)
    exp_children = list(expected)
    got_children = list(got)
    if not exp_children:
        if got_children:
            problems.append("%s: expected a leaf, got children %s"
                            % (here, [c.tag for c in got_children]))
            return
        if got.tag == "requestId":
            if not UUID_RE.match(got.text or ""):
                problems.append("%s: requestId %r is not a UUID" % (here, got.text))
            return
        if (expected.text or "") != (got.text or ""):
            problems.append("%s: expected %r, got %r" % (here, expected.text or "", got.text or ""))
        return
    if got.tag == "serverInstance":
        # allowed extra (DECISIONS D10): the misspelt disk detail type right after the
        # correct one, same content
        tags = [c.tag for c in got_children]
        if D10_ELEMENT in tags:
            i = tags.index(D10_ELEMENT)
            prev = got_children[i - 1] if i else None
            if prev is None or prev.tag != "baseBlockStorageDiskDetailType":
                problems.append("%s: <%s> must follow <baseBlockStorageDiskDetailType>"
                                % (here, D10_ELEMENT))
            elif ET.tostring(prev).replace(prev.tag.encode(), b"") != \
                    ET.tostring(got_children[i]).replace(D10_ELEMENT.encode(), b""):
                problems.append("%s: <%s> differs from the correct element" % (here, D10_ELEMENT))
            got_children = got_children[:i] + got_children[i + 1:]
        else:
            problems.append("%s: <%s> missing (the old XML Go SDK reads it)" % (here, D10_ELEMENT))
    if got.tag == "accessControlGroup":
        # allowed extra: <isDefaultGroup> right before <isDefault>, same value
        tags = [c.tag for c in got_children]
        if "isDefaultGroup" in tags:
            i = tags.index("isDefaultGroup")
            nxt = got_children[i + 1] if i + 1 < len(got_children) else None
            if nxt is None or nxt.tag != "isDefault":
                problems.append("%s: <isDefaultGroup> must come right before <isDefault>" % here)
            elif (got_children[i].text or "") != (nxt.text or ""):
                problems.append("%s: isDefaultGroup %r != isDefault %r"
                                % (here, got_children[i].text, nxt.text))
            got_children = got_children[:i] + got_children[i + 1:]
        else:
            problems.append("%s: <isDefaultGroup> missing (the Go SDK reads it)" % here)
    exp_tags = [c.tag for c in exp_children]
    got_tags = [c.tag for c in got_children]
    if exp_tags != got_tags:
        problems.append("%s: child order/names differ:\n  expected %s\n  got      %s"
                        % (here, exp_tags, got_tags))
        # still compare what can be paired by name
        got_by = {}
        for c in got_children:
            got_by.setdefault(c.tag, c)
        for e in exp_children:
            if e.tag in got_by:
                compare_xml(e, got_by[e.tag], here, problems)
        return
    for e, g in zip(exp_children, got_children):
        compare_xml(e, g, here, problems)


class SeedReplayTest(NcpdTestCase):

    def setUp(self):
        self.d = self.new_daemon(sim_step_ms=30000)
        self.c = self.d.client()

    def seed_obj(self):
        obj = xml_to_obj(seed_xml_root())
        del obj["requestId"]
        return obj

    def test_seed_request_xml_matches_seed_element_by_element(self):
        r = self.c.call("stopServerInstances", raw_query=SEED_QUERY)
        self.assertEqual(r.status, 200, r)
        got = ET.fromstring(r.body)
        problems = []
        compare_xml(seed_xml_root(), got, "", problems)
        self.assertEqual(problems, [], "seed replay differs:\n" + "\n".join(problems))

    def test_seed_request_xml_byte_level_forms(self):
        """D6: no XML declaration, empty values as <x></x>, empty lists as <xList/>."""
        r = self.c.call("stopServerInstances", raw_query=SEED_QUERY)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.body.startswith(b"<stopServerInstancesResponse>"),
                        "body should start with the root element: %r" % r.body[:60])
        self.assertIn(b"<userData></userData>", r.body)
        self.assertIn(b"<initScriptNo></initScriptNo>", r.body)
        self.assertIn(b"<instanceTagList/>", r.body)
        self.assertIn("<serverDescription>내서버이미지 카피 오류테스트</serverDescription>"
                      .encode("utf-8"), r.body)
        self.assertIn("<zoneDescription>평촌 zone</zoneDescription>".encode("utf-8"), r.body)

    def test_content_type_headers(self):
        """protocol.md 3.4 (PROPOSED): application/xml resp. application/json."""
        r = self.c.call("getServerInstanceList")
        self.assertIn("xml", r.headers.get("content-type", "").lower(), r.headers)
        r = self.c.call("getServerInstanceList", fmt="json")
        self.assertIn("json", r.headers.get("content-type", "").lower(), r.headers)
        r = self.c.call("noSuchAction", fmt="json")
        self.assertIn("json", r.headers.get("content-type", "").lower(), r.headers)

    def check_json_against_seed(self, r):
        inner = self.assert_success(r, "json", "stopServerInstances")
        self.assertEqual(inner["totalRows"], 1)
        s = inner["serverInstanceList"][0]
        self.assert_server_json_types(s)
        self.assertIs(type(s["cpuCount"]), int)
        self.assertEqual(s["cpuCount"], 2)
        self.assertEqual(s["memorySize"], 4294967296)
        self.assertEqual(s["baseBlockStorageSize"], 53687091200)
        self.assertNotIn(b"4294967296.0", r.body)
        self.assertEqual(s["zone"]["zoneNo"], "3")
        self.assertEqual(s["zone"]["regionNo"], "1")
        self.assertEqual(s["region"]["regionNo"], "1")
        self.assertIs(s["isFeeChargingMonitoring"], False)
        self.assertIs(s["isProtectServerTermination"], False)
        acg = s["accessControlGroupList"][0]
        self.assertIs(acg["isDefaultGroup"], True)
        # Field order: the seed's, with isDefaultGroup as the only extra.
        self.assertEqual(list(s), seed_server_order(), "ServerInstance member order (JSON)")
        acg_keys = [k for k in acg if k != "isDefaultGroup"]
        expected_acg = [e.tag for e in seed_xml_root().find(
            "serverInstanceList/serverInstance/accessControlGroupList/accessControlGroup")]
        if "isDefault" not in acg:
            expected_acg.remove("isDefault")
        self.assertEqual(acg_keys, expected_acg)
        # Values: compare as text with the seed.
        got = stringify(inner)
        del got["requestId"]
        strip_d10(got["serverInstanceList"][0])
        for a in got["serverInstanceList"][0]["accessControlGroupList"]:
            a.pop("isDefaultGroup")
        exp = self.seed_obj()
        if "isDefault" not in acg:
            for a in exp["serverInstanceList"][0]["accessControlGroupList"]:
                a.pop("isDefault")
        self.assertEqual(got, exp)

    def test_seed_request_json_matches_seed_with_types(self):
        r = self.c.call("stopServerInstances", raw_query=SEED_QUERY + "&responseFormatType=json")
        self.check_json_against_seed(r)

    def test_seed_request_go_sdk_style_post(self):
        """Go SDK v2: POST, responseFormatType=json first in the body, signs the bare path,
        sends signature-v1."""
        r = self.c.call("stopServerInstances", method="POST",
                        raw_body="responseFormatType=json&" + SEED_QUERY,
                        sig_header="x-ncp-apigw-signature-v1")
        self.check_json_against_seed(r)

    def test_seed_request_python_sdk_style_post(self):
        """Python SDK: POST ?responseFormatType=json (signed with the query), params in body."""
        r = self.c.call("stopServerInstances", no_list(["1021003"]), method="POST", fmt="json",
                        fmt_in="query", sig_header="x-ncp-apigw-signature-v1")
        self.check_json_against_seed(r)

    def test_seed_request_explicit_xml_format(self):
        r = self.c.call("stopServerInstances", raw_query=SEED_QUERY + "&responseFormatType=xml")
        self.assertEqual(r.status, 200, r)
        problems = []
        compare_xml(seed_xml_root(), ET.fromstring(r.body), "", problems)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_request_ids_are_fresh(self):
        r1 = self.c.call("getServerInstanceList", fmt="json")
        r2 = self.c.call("getServerInstanceList", fmt="json")
        i1 = self.assert_success(r1, "json", "getServerInstanceList")["requestId"]
        i2 = self.assert_success(r2, "json", "getServerInstanceList")["requestId"]
        self.assertNotEqual(i1, i2)
        self.assertNotEqual(i1, "ee1a0910-96d2-41ca-8a1b-837f889667a2")

    def test_seed_server_listed_before_stop_is_seed_but_running(self):
        """Fixture 1021003 is the seed's server in RUN/NULL 'running'."""
        r = self.c.call("getServerInstanceList", no_list(["1021003"]))
        obj = self.assert_success(r, "xml", "getServerInstanceList")
        self.assertEqual(obj["totalRows"], "1")
        got = obj["serverInstanceList"][0]
        exp = self.seed_obj()["serverInstanceList"][0]
        exp["serverInstanceOperation"] = {"code": "NULL", "codeName": "Server NULL OP"}
        exp["serverInstanceStatusName"] = "running"
        for a in got["accessControlGroupList"]:
            self.assertEqual(a.pop("isDefaultGroup", None), "true")
        strip_d10(got)
        self.assertEqual(got, exp)
        # element order in the list answer is the seed's order too
        el = ET.fromstring(r.body).find("serverInstanceList/serverInstance")
        self.assertEqual([c.tag for c in el], seed_server_order())


class SeedFixtureTest(NcpdTestCase):
    """The other fixture servers (read-only checks, one daemon for the class)."""

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=30000)
        cls.c = cls.d.client()

    def test_fixture_lists_four_servers_with_documented_facts(self):
        r = self.c.call("getServerInstanceList", fmt="json")
        inner = self.assert_success(r, "json", "getServerInstanceList")
        self.assertEqual(inner["totalRows"], 4)
        by = {s["serverInstanceNo"]: s for s in inner["serverInstanceList"]}
        self.assertEqual(sorted(by), ["1021003", "1021004", "1021005", "1021006"])
        expect = {
            # no: (name, zoneNo, zoneName, status, op, statusName, detail, privateIp)
            "1021003": ("s1669aa4e78c", "3", "KR-2", "RUN", "NULL", "running", "SSD",
                        "10.41.3.81"),
            "1021004": ("web-01", "2", "KR-1", "RUN", "NULL", "running", "HDD", "10.41.0.12"),
            "1021005": ("web-02", "2", "KR-1", "NSTOP", "NULL", "stopped", "HDD", "10.41.0.13"),
            "1021006": ("db-01", "3", "KR-2", "NSTOP", "NULL", "stopped", "SSD", "10.41.3.82"),
        }
        for no, (name, zno, zname, st, op, stname, detail, pip) in expect.items():
            with self.subTest(server=no):
                s = by[no]
                self.assert_server_json_types(s)
                got = (s["serverName"], s["zone"]["zoneNo"], s["zone"]["zoneName"],
                       s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"],
                       s["serverInstanceStatusName"], s["baseBlockStorageDiskDetailType"]["code"],
                       s["privateIp"])
                self.assertEqual(got, (name, zno, zname, st, op, stname, detail, pip))
                self.assertEqual(s["region"]["regionNo"], "1")
                self.assertEqual(s["zone"]["regionNo"], "1")
                self.assertEqual(s["serverInstanceStatus"]["codeName"],
                                 {"RUN": "Server run state",
                                  "NSTOP": "Server normal stopped state"}[st])
                self.assertEqual(s["serverInstanceOperation"]["codeName"], "Server NULL OP")
        w1 = by["1021004"]
        self.assertEqual(w1["serverProductCode"], "SPSVRSTAND000004")
        self.assertEqual(w1["serverImageProductCode"], "SPSW0LINUX000046")
        tags = lambda s: sorted((t["tagKey"], t["tagValue"]) for t in s["instanceTagList"])
        self.assertEqual(tags(by["1021004"]), [("env", "prod")])
        self.assertEqual(tags(by["1021005"]), [("env", "dev")])
        self.assertEqual(tags(by["1021006"]), [])
        self.assertEqual(tags(by["1021003"]), [])

    def test_fixture_json_member_order_follows_seed(self):
        r = self.c.call("getServerInstanceList", fmt="json")
        inner = go_sdk_slice(r.body)
        optional = {"portForwardingExternalPort", "portForwardingInternalPort"}
        for s in inner["serverInstanceList"]:
            with self.subTest(server=s["serverInstanceNo"]):
                self.assertEqual([k for k in s if k not in optional], seed_server_order())

    def test_fixture_xml_and_json_agree(self):
        rx = self.c.call("getServerInstanceList")
        rj = self.c.call("getServerInstanceList", fmt="json")
        ox = self.assert_success(rx, "xml", "getServerInstanceList")
        oj = stringify(self.assert_success(rj, "json", "getServerInstanceList"))
        for o in (ox, oj):
            del o["requestId"]
            for s in o["serverInstanceList"]:
                for a in s["accessControlGroupList"]:
                    a.setdefault("isDefault", a.get("isDefaultGroup"))
        self.assertEqual(ox, oj)

    def test_fixture_tag_elements_in_xml(self):
        r = self.c.call("getServerInstanceList", no_list(["1021004"]))
        self.assertEqual(r.status, 200, r)
        el = ET.fromstring(r.body)
        tags = el.findall("serverInstanceList/serverInstance/instanceTagList/instanceTag")
        self.assertEqual(len(tags), 1, r)
        self.assertEqual(tags[0].findtext("tagKey"), "env")
        self.assertEqual(tags[0].findtext("tagValue"), "prod")
        self.assertEqual(tags[0].findtext("instanceNo"), "1021004")

    def test_fixture_block_storages_are_not_servers(self):
        for no in SEED_STORAGES:
            for action in ("stopServerInstances", "startServerInstances"):
                with self.subTest(no=no, action=action):
                    r = self.c.call(action, no_list([no]), fmt="json")
                    self.assert_api_error(r, "json", 24109, MSG["24109"])
        self.assertEqual(self.c.states(), {"1021003": ("RUN", "NULL"), "1021004": ("RUN", "NULL"),
                                           "1021005": ("NSTOP", "NULL"),
                                           "1021006": ("NSTOP", "NULL")})

    def test_fixture_dates_are_kst(self):
        for s in self.c.server_map().values():
            self.assertRegex(s["createDate"], DATE_RE)
            self.assertRegex(s["uptime"], DATE_RE)
        s = self.c.server_map()["1021003"]
        self.assertEqual(s["createDate"], "2018-10-22T16:19:50+0900")
        self.assertEqual(s["uptime"], "2018-11-23T17:38:44+0900")


if __name__ == "__main__":
    unittest.main()

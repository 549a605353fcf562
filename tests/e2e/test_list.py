"""getServerInstanceList: every filter, paging, sorting, totalRows (server-instance.md 4.1)."""

import unittest
import xml.etree.ElementTree as ET

from ncpd_harness import NcpdTestCase, decode, lenient_inner, no_list, wait_for, xml_to_obj
from reliability_util import transition_invariants

LIST = "getServerInstanceList"
ALL = ["1021003", "1021004", "1021005", "1021006"]
BY_NAME = ["1021006", "1021003", "1021004", "1021005"]  # db-01, s1669aa4e78c, web-01, web-02


class ListTest(NcpdTestCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=30000)
        cls.c = cls.d.client()
        cls.full = cls.c.server_map()

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def q(self, params, fmt="json", method="GET"):
        """(totalRows, [serverInstanceNo...]) of a list call."""
        r = self.c.call(LIST, params, method=method, fmt=fmt)
        obj = self.assert_success(r, fmt, LIST)
        items = obj["serverInstanceList"]
        nos = [s["serverInstanceNo"] for s in items]
        return int(obj["totalRows"]), nos

    def expect(self, params, total, nos, methods=("GET", "POST"), fmts=("json", "xml")):
        for method in methods:
            for fmt in fmts:
                with self.subTest(params=params, method=method, fmt=fmt):
                    self.assertEqual(self.q(params, fmt, method), (total, nos))

    # -- no filter --------------------------------------------------------------

    def test_all_default_order(self):
        self.expect(None, 4, ALL)

    def test_empty_result_forms(self):
        rj = self.c.call(LIST, no_list(["9999999"]), fmt="json")
        inner = self.assert_success(rj, "json", LIST)
        self.assertEqual(inner["totalRows"], 0)
        self.assertEqual(inner["serverInstanceList"], [])
        rx = self.c.call(LIST, no_list(["9999999"]))
        self.assert_success(rx, "xml", LIST)
        el = ET.fromstring(rx.body)
        wrapper = el.find("serverInstanceList")
        self.assertIsNotNone(wrapper, "empty list must still carry <serverInstanceList/>")
        self.assertEqual(len(wrapper), 0)
        self.assertEqual(el.findtext("totalRows"), "0")

    # -- serverInstanceNoList ----------------------------------------------------

    def test_filter_by_numbers(self):
        self.expect(no_list(["1021005"]), 1, ["1021005"])
        self.expect(no_list(["1021006", "1021004"]), 2, ["1021004", "1021006"])

    def test_unknown_numbers_silently_absent(self):
        self.expect(no_list(["9999999", "1021004", "1021104", "123"]), 1, ["1021004"])
        self.expect(no_list(["9999999"]), 0, [])

    # -- searchFilterName / searchFilterValue -------------------------------------

    def test_search_server_name_substring_case_insensitive(self):
        self.expect([("searchFilterName", "serverName"), ("searchFilterValue", "WEB")], 2,
                    ["1021004", "1021005"])
        self.expect([("searchFilterName", "serverName"), ("searchFilterValue", "b-0")], 3,
                    ["1021004", "1021005", "1021006"])
        self.expect([("searchFilterName", "serverName"), ("searchFilterValue", "s1669AA")], 1,
                    ["1021003"])
        self.expect([("searchFilterName", "serverName"), ("searchFilterValue", "zzz")], 0, [])

    def test_search_filter_name_case_insensitive(self):
        self.expect([("searchFilterName", "SERVERNAME"), ("searchFilterValue", "db")], 1,
                    ["1021006"], methods=("GET",))
        self.expect([("searchFilterName", "IP"), ("searchFilterValue", "10.41.0.13")], 1,
                    ["1021005"], methods=("GET",))

    def test_search_ip_exact_private_or_public(self):
        self.expect([("searchFilterName", "ip"), ("searchFilterValue", "10.41.0.12")], 1,
                    ["1021004"])
        self.expect([("searchFilterName", "ip"), ("searchFilterValue", "10.41.3.82")], 1,
                    ["1021006"])
        self.expect([("searchFilterName", "ip"), ("searchFilterValue", "106.10.46.237")], 1,
                    ["1021003"])
        self.expect([("searchFilterName", "ip"), ("searchFilterValue", "10.41.0.1")], 0, [])
        self.expect([("searchFilterName", "ip"), ("searchFilterValue", "10.41")], 0, [])

    # -- scalar filters --------------------------------------------------------------

    def test_status_code(self):
        self.expect([("serverInstanceStatusCode", "RUN")], 2, ["1021003", "1021004"])
        self.expect([("serverInstanceStatusCode", "NSTOP")], 2, ["1021005", "1021006"])
        self.expect([("serverInstanceStatusCode", "INIT")], 0, [], fmts=("json",))

    def test_region_and_zone(self):
        self.expect([("regionNo", "1")], 4, ALL)
        self.expect([("regionNo", "3")], 0, [], fmts=("json",))
        self.expect([("zoneNo", "2")], 2, ["1021004", "1021005"])
        self.expect([("zoneNo", "3")], 2, ["1021003", "1021006"])

    def test_disk_type(self):
        net = [n for n in ALL if self.full[n]["baseBlockStorageDiskType"]["code"] == "NET"]
        local = [n for n in ALL if self.full[n]["baseBlockStorageDiskType"]["code"] == "LOCAL"]
        self.assertEqual(sorted(net + local), ALL)
        self.assertIn("1021003", net)  # the seed's server is NET
        self.expect([("baseBlockStorageDiskTypeCode", "NET")], len(net), net, fmts=("json",))
        self.expect([("baseBlockStorageDiskTypeCode", "LOCAL")], len(local), local,
                    fmts=("json",))

    def test_disk_detail_type(self):
        self.expect([("baseBlockStorageDiskDetailTypeCode", "HDD")], 2, ["1021004", "1021005"])
        self.expect([("baseBlockStorageDiskDetailTypeCode", "SSD")], 2, ["1021003", "1021006"])

    def test_server_instance_type_list(self):
        types = {n: self.full[n]["serverInstanceType"]["code"] for n in ALL}
        self.assertEqual(types["1021003"], "STAND")
        stand = [n for n in ALL if types[n] == "STAND"]
        self.expect(no_list(["STAND"], "serverInstanceTypeCodeList"), len(stand), stand,
                    fmts=("json",))
        gpu = [n for n in ALL if types[n] == "GPU"]
        self.expect(no_list(["GPU"], "serverInstanceTypeCodeList"), len(gpu), gpu,
                    fmts=("json",))
        self.expect(no_list(["GPU", "STAND"], "serverInstanceTypeCodeList"),
                    len(gpu) + len(stand), sorted(gpu + stand), fmts=("json",))

    def test_tags(self):
        self.expect(no_list(["env"], "tagKeyList"), 2, ["1021004", "1021005"])
        self.expect(no_list(["prod"], "tagValueList"), 1, ["1021004"])
        self.expect(no_list(["dev", "prod"], "tagValueList"), 2, ["1021004", "1021005"])
        self.expect(no_list(["env"], "tagKeyList") + no_list(["dev"], "tagValueList"), 1,
                    ["1021005"])
        self.expect(no_list(["nope"], "tagKeyList"), 0, [], fmts=("json",))
        self.expect(no_list(["nope", "env"], "tagKeyList"), 2, ["1021004", "1021005"],
                    fmts=("json",))

    def test_filters_combine_with_and(self):
        self.expect([("zoneNo", "2"), ("serverInstanceStatusCode", "RUN")], 1, ["1021004"])
        self.expect([("zoneNo", "3"), ("baseBlockStorageDiskDetailTypeCode", "HDD")], 0, [])
        self.expect(no_list(["1021003", "1021004", "1021005"]) +
                    [("searchFilterName", "serverName"), ("searchFilterValue", "web"),
                     ("serverInstanceStatusCode", "NSTOP")], 1, ["1021005"])

    # -- paging ----------------------------------------------------------------------

    def test_paging(self):
        self.expect([("pageSize", "2"), ("pageNo", "1")], 4, ["1021003", "1021004"])
        self.expect([("pageSize", "2"), ("pageNo", "2")], 4, ["1021005", "1021006"])
        self.expect([("pageSize", "3"), ("pageNo", "2")], 4, ["1021006"])
        self.expect([("pageSize", "2"), ("pageNo", "3")], 4, [])
        self.expect([("pageSize", "2")], 4, ["1021003", "1021004"], fmts=("json",))
        self.expect([("pageSize", "2"), ("pageNo", "0")], 4, ["1021003", "1021004"],
                    fmts=("json",))

    def test_page_size_zero_means_no_paging(self):
        self.expect([("pageSize", "0")], 4, ALL, fmts=("json",))
        self.expect([("pageSize", "0"), ("pageNo", "2")], 4, ALL, fmts=("json",))
        self.expect([("pageNo", "1")], 4, ALL, fmts=("json",))

    def test_page_beyond_int32_range_edges(self):
        self.expect([("pageSize", "2147483647"), ("pageNo", "1")], 4, ALL, fmts=("json",))
        self.expect([("pageSize", "1"), ("pageNo", "2147483647")], 4, [], fmts=("json",))

    def test_total_rows_counts_matches_before_paging(self):
        self.expect([("zoneNo", "2"), ("pageSize", "1"), ("pageNo", "2")], 2, ["1021005"])
        self.expect([("serverInstanceStatusCode", "NSTOP"), ("pageSize", "1")], 2, ["1021005"])

    # -- sorting -----------------------------------------------------------------------

    def test_sort_by_name(self):
        self.expect([("sortedBy", "serverName")], 4, BY_NAME)
        self.expect([("sortedBy", "serverName"), ("sortingOrder", "ascending")], 4, BY_NAME)
        self.expect([("sortedBy", "serverName"), ("sortingOrder", "descending")], 4,
                    BY_NAME[::-1])

    def test_sort_by_number(self):
        self.expect([("sortedBy", "serverInstanceNo"), ("sortingOrder", "descending")], 4,
                    ALL[::-1])
        self.expect([("sortingOrder", "descending")], 4, ALL[::-1], fmts=("json",))
        self.expect([("sortedBy", "serverInstanceNo")], 4, ALL, fmts=("json",))

    def test_sort_values_case_insensitive(self):
        self.expect([("sortedBy", "SERVERNAME"), ("sortingOrder", "DESCENDING")], 4,
                    BY_NAME[::-1], fmts=("json",))
        self.expect([("sortedBy", "ServerInstanceNo"), ("sortingOrder", "Ascending")], 4, ALL,
                    fmts=("json",))

    def test_sort_then_page(self):
        self.expect([("sortedBy", "serverName"), ("pageSize", "3"), ("pageNo", "2")], 4,
                    ["1021005"])
        self.expect([("sortedBy", "serverName"), ("sortingOrder", "descending"),
                     ("pageSize", "2"), ("pageNo", "1")], 4, ["1021005", "1021004"])

    # -- representation ------------------------------------------------------------------

    def test_every_item_has_json_types(self):
        r = self.c.call(LIST, fmt="json", method="POST")
        inner = self.assert_success(r, "json", LIST)
        for s in inner["serverInstanceList"]:
            with self.subTest(server=s["serverInstanceNo"]):
                self.assert_server_json_types(s)

    def test_xml_list_wrappers(self):
        r = self.c.call(LIST)
        self.assert_success(r, "xml", LIST)
        el = ET.fromstring(r.body)
        items = el.findall("serverInstanceList/serverInstance")
        self.assertEqual(len(items), 4)
        for it in items:
            acgs = it.findall("accessControlGroupList/accessControlGroup")
            self.assertGreaterEqual(len(acgs), 1)
            self.assertIsNotNone(it.find("instanceTagList"))
        # 1021006 has no tags: self-closing empty list
        self.assertIn(b"<instanceTagList/>", r.body)
        obj = xml_to_obj(el)
        self.assertEqual(obj["totalRows"], "4")

    def test_response_format_type_uppercase_json(self):
        """protocol.md 2.3 (PROPOSED): json/xml matched case-insensitively."""
        r = self.c.call(LIST, raw_query="responseFormatType=JSON")
        self.assert_success(r, "json", LIST)

    def test_response_format_type_default_and_explicit_xml(self):
        r = self.c.call(LIST, raw_query="responseFormatType=xml")
        self.assert_success(r, "xml", LIST)
        r = self.c.call(LIST, method="POST")
        self.assert_success(r, "xml", LIST)



class CountedTotalRowsTest(NcpdTestCase):
    """totalRows of a page filtered by nothing, a zone, a region or a status comes from counts
    the store maintains (a million servers in one account): they must stay exact through
    creates, every transition, terminations and restarts, in XML and JSON."""

    def total(self, c, params, fmt):
        r = c.call("getServerInstanceList", params + [("pageSize", "2"), ("pageNo", "1")],
                   fmt=fmt)
        return int(decode(r, fmt)[1]["totalRows"])

    def truth(self, c, params):
        r = c.call("getServerInstanceList", params, fmt="json")
        return len(lenient_inner(r.body)["serverInstanceList"])

    def check(self, c, when):
        for params in ([], [("zoneNo", "2")], [("zoneNo", "3")], [("regionNo", "1")],
                       [("serverInstanceStatusCode", "RUN")],
                       [("serverInstanceStatusCode", "NSTOP")],
                       [("serverInstanceStatusCode", "INIT")],
                       [("zoneNo", "3"), ("serverInstanceStatusCode", "RUN")]):
            for fmt in ("xml", "json"):
                # servers move on between requests while they are in transition: the
                # count is compared with a truth that did not change around it
                for _ in range(20):
                    before = self.truth(c, params)
                    total = self.total(c, params, fmt)
                    if self.truth(c, params) == before:
                        break
                self.assertEqual(total, before, "%s: %s %s" % (when, params, fmt))

    def test_counted_total_rows_stay_exact(self):
        d = self.new_daemon(sim_step_ms=150)
        c = d.client()
        self.check(c, "seed")
        made = []
        for zone in ("2", "3", "3"):
            r = c.call("createServerInstances", [("serverImageProductCode", "SPSW0LINUX000046"),
                                                 ("zoneNo", zone), ("serverCreateCount", "3"),
                                                 ("serverName", "cnt-" + zone + str(len(made)))],
                       fmt="json")
            made += [s["serverInstanceNo"] for s in lenient_inner(r.body)["serverInstanceList"]]
        self.check(c, "creating")  # INIT and the intermediate states
        wait_for(lambda: all(c.state(no)[:2] == ("RUN", "NULL") for no in made), timeout=20,
                 message="created")
        self.check(c, "created")
        c.call("stopServerInstances", [("serverInstanceNoList.%d" % (i + 1), no)
                                       for i, no in enumerate(made[:4])])
        self.check(c, "stopping")
        wait_for(lambda: all(c.state(no)[:2] == ("NSTOP", "NULL") for no in made[:4]),
                 timeout=20, message="stopped")
        c.call("terminateServerInstances", [("serverInstanceNoList.1", made[0]),
                                            ("serverInstanceNoList.2", made[1])])
        wait_for(lambda: c.state(made[0]) is None and c.state(made[1]) is None, timeout=20,
                 message="terminated")
        self.check(c, "after terminate")
        d.kill9()
        d.start()
        self.check(c, "after kill -9")
        self.assertEqual(transition_invariants(d.db, settled=False), [])

if __name__ == "__main__":
    unittest.main()

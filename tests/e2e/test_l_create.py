"""createServerInstances: every documented parameter and default
(docs/compat.md "Server lifecycle", server-instance.md §4.2)."""

import base64
import json
import time
import unittest
import xml.etree.ElementTree as ET

from ncpd_harness import DATE_RE, no_list, seed_server_order
from lifecycle_util import (CREATE_STATES, FORMATS, LINUX_IMAGE, MICRO, SEED_ACG, WIN_IMAGE,
                            LifecycleCase)


class CreateParamsTest(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=0)
        cls.c = cls.d.client()
        r = cls.c.call("createLoginKey", [("keyName", "p-key")], method="POST", fmt="json")
        assert r.status == 200, r

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def one(self, params, fmt="json", method="POST"):
        servers = self.create(self.c, [("serverImageProductCode", LINUX_IMAGE)] + params,
                              fmt=fmt, method=method)
        self.assertEqual(len(servers), 1)
        return servers[0]

    def test_response_shape_both_formats_and_methods(self):
        for fmt in FORMATS:
            for method in ("GET", "POST"):
                with self.subTest(fmt=fmt, method=method):
                    r = self.c.call("createServerInstances",
                                    [("serverImageProductCode", LINUX_IMAGE),
                                     ("serverName", "shape-%s-%s" % (fmt, method.lower()))],
                                    method=method, fmt=fmt)
                    inner = self.ok(r, fmt, "createServerInstances", typed=True)
                    if fmt == "json":
                        self.assertEqual(inner["totalRows"], 1)
                        self.assert_server_json_types(inner["serverInstanceList"][0])
                    (s,) = inner["serverInstanceList"]
                    self.assertEqual(s["serverInstanceStatusName"], "init")

    def test_default_product_is_smallest_fitting_spec(self):
        s = self.one([])
        self.assertEqual((s["serverProductCode"], s["cpuCount"], s["memorySize"]),
                         (MICRO, "1", "1073741824"))
        (w,) = self.create(self.c, [("serverImageProductCode", WIN_IMAGE)])
        self.assertEqual((w["serverProductCode"], w["cpuCount"], w["memorySize"]),
                         ("SPSVRSTAND000003", "1", "2147483648"))
        self.assertEqual(w["platformType"]["code"], "WND64")

    def test_default_names(self):
        t0 = int(time.time() * 1000)
        servers = self.create(self.c, [("serverImageProductCode", LINUX_IMAGE),
                                       ("serverCreateCount", "2")])
        t1 = int(time.time() * 1000)
        names = [s["serverName"] for s in servers]
        self.assertEqual(len(set(names)), 2, "one default name per server: %s" % names)
        for n in names:
            self.assertRegex(n, r"^s[0-9a-f]{8,12}$")
            ms = int(n[1:], 16)
            self.assertTrue(t0 - 60000 <= ms <= t1 + 60000, "%s is not the creation time" % n)

    def test_numbered_names(self):
        servers = self.create(self.c, [("serverImageProductCode", LINUX_IMAGE),
                                       ("serverName", "num"), ("serverCreateCount", "2"),
                                       ("serverCreateStartNo", "7")])
        self.assertEqual(sorted(s["serverName"] for s in servers), ["num-007", "num-008"])
        servers = self.create(self.c, [("serverImageProductCode", LINUX_IMAGE),
                                       ("serverName", "big"), ("serverCreateCount", "20"),
                                       ("serverCreateStartNo", "980")])
        self.assertEqual(sorted(s["serverName"] for s in servers),
                         ["big-%03d" % i for i in range(980, 1000)])
        self.assertEqual(len({s["serverInstanceNo"] for s in servers}), 20)
        s = self.one([("serverName", "solo")])
        self.assertEqual(s["serverName"], "solo")
        s = self.one([("serverName", "a" * 30)])
        self.assertEqual(s["serverName"], "a" * 30)

    def test_description_and_protection(self):
        s = self.one([("serverName", "desc"), ("serverDescription", "내 서버 & <web>"),
                      ("isProtectServerTermination", "True")])
        self.assertEqual(s["serverDescription"], "내 서버 & <web>")
        self.assertEqual(s["isProtectServerTermination"], "true")
        listed = self.c.server_map()[s["serverInstanceNo"]]
        self.assertEqual(listed["serverDescription"], "내 서버 & <web>")
        self.assertIs(listed["isProtectServerTermination"], True)

    def test_zones_and_private_ips(self):
        for zone, region, prefix in (("2", "1", "10.41."), ("3", "1", "10.42."),
                                     ("10", "8", "10.49.")):
            with self.subTest(zone=zone):
                (s,) = self.create(self.c, [("serverImageProductCode", LINUX_IMAGE),
                                            ("zoneNo", zone)])
                self.assertEqual(s["zone"]["zoneNo"], zone)
                self.assertEqual(s["zone"]["regionNo"], region)
                self.assertEqual(s["region"]["regionNo"], region)
                self.observe(self.c, [s["serverInstanceNo"]], ("RUN", "NULL"), CREATE_STATES)
                ip = self.c.server_map()[s["serverInstanceNo"]]["privateIp"]
                self.assertTrue(ip.startswith(prefix), "%s in zone %s" % (ip, zone))
        ips = [(s["zone"]["zoneNo"], s["privateIp"]) for s in self.c.server_map().values()
               if s["privateIp"]]
        new = [x for x in ips]
        self.assertEqual(len(new), len(set(new)), "two live servers share an IP in one zone")

    def test_user_data(self):
        script = "#!/bin/bash\necho 'hello 세계'\n"
        s = self.one([("userData", base64.b64encode(script.encode()).decode())])
        no = s["serverInstanceNo"]
        for fmt in FORMATS:
            one = self.list_text(self.c, [no], fmt=fmt)["serverInstanceList"][0]
            self.assertEqual(one["userData"], script)
            both = self.list_text(self.c, [no, "1021003"], fmt=fmt)["serverInstanceList"]
            self.assertEqual([x["userData"] for x in both], ["", ""])
        raw = "not base64 at all!"
        s = self.one([("userData", raw)])
        one = self.list_text(self.c, [s["serverInstanceNo"]])["serverInstanceList"][0]
        self.assertEqual(one["userData"], raw)
        s = self.one([("userData", "A" * 21847)])
        self.assertTrue(s["serverInstanceNo"])

    def test_tags_and_partitions(self):
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                s = self.create(self.c, [("serverImageProductCode", LINUX_IMAGE),
                                         ("instanceTagList.1.tagKey", "env"),
                                         ("instanceTagList.1.tagValue", "stage"),
                                         ("instanceTagList.2.tagKey", "team"),
                                         ("blockDevicePartitionList.1.mountPoint", "/data"),
                                         ("blockDevicePartitionList.1.partitionSize", "50")],
                                fmt=fmt)[0]
                no = s["serverInstanceNo"]
                listed = self.list_text(self.c, [no], fmt=fmt)["serverInstanceList"][0]
                for obj in (s, listed):
                    tags = [(t["tagKey"], t.get("tagValue", "")) for t in obj["instanceTagList"]]
                    self.assertEqual(tags, [("env", "stage"), ("team", "")])
                    parts = [(p["mountPoint"], p["partitionSize"])
                             for p in obj["blockDevicePartitionList"]]
                    self.assertEqual(parts, [("/data", "50")])
                if fmt == "json":
                    typed = self.c.server_map()[no]
                    self.assertIsInstance(typed["blockDevicePartitionList"][0]["partitionSize"],
                                          str)
                # tag filter of getServerInstanceList finds it
                found = self.list_text(self.c, params=no_list(["team"], "tagKeyList"),
                                       fmt=fmt)
                self.assertIn(no, [x["serverInstanceNo"] for x in found["serverInstanceList"]])

    def test_accepted_and_ignored_parameters(self):
        s = self.one([("feeSystemTypeCode", "FXSUM"), ("internetLineTypeCode", "GLBL"),
                      ("raidTypeName", "5"), ("isVaccineInstall", "false"),
                      ("accessControlGroupConfigurationNoList.1", SEED_ACG),
                      ("loginKeyName", "p-key"), ("serverProductCode", "SPSVRSTAND000004")])
        self.assertEqual(s["serverProductCode"], "SPSVRSTAND000004")
        self.assertEqual([g["accessControlGroupConfigurationNo"]
                          for g in s["accessControlGroupList"]], [SEED_ACG])
        s = self.one([("feeSystemTypeCode", "MTRAT"), ("internetLineTypeCode", "PUBLC"),
                      ("raidTypeName", "1")])
        self.assertTrue(s["serverInstanceNo"])

    def test_create_response_values(self):
        before = time.time()
        s = self.one([("serverName", "vals")])
        self.assertRegex(s["createDate"], DATE_RE)
        self.assertEqual(s["uptime"], s["createDate"])
        self.assertEqual(s["publicIp"], "")
        self.assertEqual(s["baseBlockStorageSize"], "53687091200")
        self.assertEqual(s["serverImageName"], "centos-7.3-64")
        self.assertEqual(s["loginKeyName"], "p-key")
        self.assertLess(time.time() - before, 30)


    def test_start_no_zero(self):
        servers = self.create(self.c, [("serverImageProductCode", LINUX_IMAGE),
                                       ("serverName", "zero"), ("serverCreateCount", "2"),
                                       ("serverCreateStartNo", "0")])
        self.assertEqual(sorted(s["serverName"] for s in servers), ["zero-000", "zero-001"])

    def test_member_order_follows_the_seed(self):
        # compat.md: ServerInstance fields follow the seed's order (ports and
        # blockDevicePartitionList only when present)
        optional = {"portForwardingExternalPort", "portForwardingInternalPort"}
        r = self.c.call("createServerInstances", [("serverImageProductCode", LINUX_IMAGE),
                                                  ("serverName", "order-x")], method="POST")
        el = ET.fromstring(r.body).find("serverInstanceList/serverInstance")
        self.assertEqual([c.tag for c in el if c.tag not in optional], seed_server_order())
        r = self.c.call("createServerInstances", [("serverImageProductCode", LINUX_IMAGE),
                                                  ("serverName", "order-j")], method="POST",
                        fmt="json")
        self.assertEqual(r.status, 200, r)
        (s,) = json.loads(r.body)["createServerInstancesResponse"]["serverInstanceList"]
        self.assertEqual([k for k in s if k not in optional], seed_server_order())
        no = s["serverInstanceNo"]
        r = self.c.call("getServerInstanceList", no_list([no]), fmt="json")
        (s,) = json.loads(r.body)["getServerInstanceListResponse"]["serverInstanceList"]
        self.assertEqual([k for k in s if k not in optional], seed_server_order())
        r = self.c.call("setProtectServerTermination", [("serverInstanceNo", no),
                                                        ("isProtectServerTermination", "false")])
        el = ET.fromstring(r.body).find("serverInstanceList/serverInstance")
        self.assertEqual([c.tag for c in el if c.tag not in optional], seed_server_order())

if __name__ == "__main__":
    unittest.main()

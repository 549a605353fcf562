"""Private subnets, network interfaces, recreateServerInstance, interruptServerInstance, and
the older clients' spellings (issue 11; network-storage.md §6, server-instance.md §4.8,
DECISIONS D10, docs/compat.md "Network interfaces", "recreate and interrupt").
"""

import base64
import json
import unittest
import xml.etree.ElementTree as ET

from c_util import (CMSG, FORMATS, LINUX_IMAGE, NIC_FIELDS, SEED_SUBNET_KR1, SEED_SUBNET_KR2,
                    SUBNET_FIELDS, UNKNOWN, ResourceCase, msg_900, msg_910, no_list, wait_for)
from lifecycle_util import CREATE_ORDER, CREATE_STATES, REBOOT_STATES

SEED = "1021003"        # RUN, KR-2
KR1_RUN = "1021004"
KR1_STOP = "1021005"
KR2_STOP = "1021006"    # NSTOP, KR-2, db-01


def nic_params(name, ip, subnet=SEED_SUBNET_KR2, extra=()):
    return [("privateSubnetInstanceNo", subnet), ("networkInterfaceName", name),
            ("networkInterfaceIp", ip)] + list(extra)


class SubnetNicTest(ResourceCase):

    def nics(self, c, params=()):
        inner = self.call_fmt(c, "getNetworkInterfaceList", list(params), "json")
        return [(n["networkInterfaceName"], n["networkInterfaceIp"], n["serverInstanceNo"],
                 n["statusCode"]) for n in inner["networkInterfaceList"]]

    def test_subnets(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        for fmt in FORMATS:
            r = c.call("getPrivateSubnetInstanceList", [], fmt=fmt)
            inner = self.ok(r, fmt, "getPrivateSubnetInstanceList")
            self.assertEqual(inner["totalRows"], "2")
            if fmt == "xml":
                self.assertEqual(self.xml_order(r, "privateSubnetInstanceList/"
                                                   "privateSubnetInstance"), SUBNET_FIELDS)
            subs = {s["privateSubnetInstanceNo"]: s for s in inner["privateSubnetInstanceList"]}
            self.assertEqual(subs[SEED_SUBNET_KR2]["subnet"], "10.200.3.0/24")
            self.assertEqual(subs[SEED_SUBNET_KR1]["subnet"], "10.200.2.0/24")
            s = subs[SEED_SUBNET_KR2]
            self.assertEqual((s["privateSubnetInstanceStatus"]["code"],
                              s["privateSubnetInstanceOperation"]["code"],
                              s["privateSubnetInstanceStatusName"], s["zone"]["zoneNo"]),
                             ("RUN", "NULL", "run", "3"))
        inner = self.call_fmt(c, "getPrivateSubnetInstanceList", [("pageNo", "1"),
                                                                  ("pageSize", "1")], "json")
        self.assertEqual((inner["totalRows"], len(inner["privateSubnetInstanceList"])), ("2", 1))
        self.assertEqual(self.call_fmt(c, "getPrivateSubnetInstanceList", [("regionNo", "8")],
                                       "json")["privateSubnetInstanceList"], [])
        # another account has none
        ak, sk = d.create_account("subnet-b")
        b = d.client(ak, sk)
        self.assertEqual(self.call_fmt(b, "getPrivateSubnetInstanceList", [], "json")[
            "privateSubnetInstanceList"], [])
        self.err(b, "createNetworkInterface", nic_params("nic-b", "10.200.3.10"), 24109,
                 CMSG["24109."])

    def test_interfaces_walk(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        for fmt in FORMATS:
            r = c.call("createNetworkInterface",
                       nic_params("nic-" + fmt, "10.200.3.1" + str(len(fmt)),
                                  extra=[("networkInterfaceDescription", "bm nic")]),
                       method="POST", fmt=fmt)
            inner = self.ok(r, fmt, "createNetworkInterface", total=False)
            self.assertEqual(sorted(inner), ["requestId", "returnCode", "returnMessage"])
        inner = self.call_fmt(c, "getNetworkInterfaceList", [], "json")
        (n,) = [x for x in inner["networkInterfaceList"] if x["networkInterfaceName"] == "nic-xml"]
        self.assertEqual(list(n), NIC_FIELDS)
        self.assertEqual((n["networkInterfaceIp"], n["networkInterfaceDescription"],
                          n["serverInstanceNo"], n["statusCode"], n["zone"]["zoneNo"]),
                         ("10.200.3.13", "bm nic", "", "CREAT", "3"))
        r = c.call("getNetworkInterfaceList", [], fmt="xml")
        self.assertEqual(self.xml_order(r, "networkInterfaceList/networkInterface"), NIC_FIELDS)
        no = n["networkInterfaceNo"]
        # attach, detach, delete: envelope-only answers
        for action, params in (("attachNetworkInterface", [("networkInterfaceNo", no),
                                                           ("serverInstanceNo", SEED)]),):
            inner = self.call_fmt(c, action, params, "json", total=False)
            self.assertEqual(sorted(inner), ["requestId", "returnCode", "returnMessage"])
        self.assertIn(("nic-xml", "10.200.3.13", SEED, "USED"), self.nics(c))
        self.err(c, "attachNetworkInterface", [("networkInterfaceNo", no),
                                               ("serverInstanceNo", KR2_STOP)], 25013,
                 CMSG["25013"])
        self.err(c, "deleteNetworkInterface", [("networkInterfaceNo", no)], 25013, CMSG["25013"])
        self.err(c, "detachNetworkInterface", [("networkInterfaceNo", no),
                                               ("serverInstanceNo", KR2_STOP)], 910,
                 msg_910("serverInstanceNo"))
        self.call_fmt(c, "detachNetworkInterface", [("networkInterfaceNo", no),
                                                    ("serverInstanceNo", SEED)], "xml",
                      total=False)
        self.assertIn(("nic-xml", "10.200.3.13", "", "CREAT"), self.nics(c))
        # created attached, in KR-1; a terminated server leaves its interfaces detached
        self.call_fmt(c, "createNetworkInterface",
                      nic_params("nic-kr1", "10.200.2.50", SEED_SUBNET_KR1,
                                 [("serverInstanceNo", KR1_STOP), ("zoneNo", "2")]), "json",
                      total=False)
        self.assertIn(("nic-kr1", "10.200.2.50", KR1_STOP, "USED"), self.nics(c))
        self.assertEqual([x[0] for x in self.nics(c, [("zoneNo", "2")])], ["nic-kr1"])
        inner = self.call_fmt(c, "getNetworkInterfaceList", [("pageNo", "2"), ("pageSize", "2")],
                              "json")
        self.assertEqual((inner["totalRows"], len(inner["networkInterfaceList"])), ("3", 1))
        self.call_fmt(c, "terminateServerInstances", no_list([KR1_STOP]), "json")
        wait_for(lambda: c.state(KR1_STOP) is None, timeout=10, message="terminated")
        self.assertIn(("nic-kr1", "10.200.2.50", "", "CREAT"), self.nics(c))
        self.call_fmt(c, "deleteNetworkInterface", [("networkInterfaceNo", no)], "json",
                      total=False)
        self.assertNotIn("nic-xml", [x[0] for x in self.nics(c)])
        self.err(c, "deleteNetworkInterface", [("networkInterfaceNo", no)], 24109,
                 CMSG["24109."])

    def test_errors(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        self.call_fmt(c, "createNetworkInterface", nic_params("taken", "10.200.3.20"), "json",
                      total=False)
        before = self.everything(c)

        def f(action, params, code, message):
            for fmt in FORMATS:
                self.err(c, action, params, code, message, fmt=fmt)
        for missing in ("privateSubnetInstanceNo", "networkInterfaceName", "networkInterfaceIp"):
            f("createNetworkInterface", [p for p in nic_params("abc", "10.200.3.30")
                                         if p[0] != missing], 900, msg_900(missing))
        f("createNetworkInterface", nic_params("abc", "10.200.3.30", UNKNOWN), 24109,
          CMSG["24109."])
        f("createNetworkInterface", nic_params("abc", "10.200.3.30", SEED), 24109,
          CMSG["24109."])
        f("createNetworkInterface", nic_params("abc", "10.200.3.30", "sub"), 910,
          msg_910("privateSubnetInstanceNo"))
        for ip in ("10.200.2.30", "10.200.3.0", "10.200.3.255", "10.200.3.300", "10.200.3.20",
                   "10.200.03.30"):
            f("createNetworkInterface", nic_params("abc", ip), 910, msg_910("networkInterfaceIp"))
        f("createNetworkInterface", nic_params("taken", "10.200.3.31"), 10300, CMSG["10300"])
        f("createNetworkInterface", nic_params("ab", "10.200.3.31"), 910,
          msg_910("networkInterfaceName"))
        f("createNetworkInterface", nic_params("abc", "10.200.3.31",
                                               extra=[("zoneNo", "2")]), 910, msg_910("zoneNo"))
        f("createNetworkInterface", nic_params("abc", "10.200.3.31",
                                               extra=[("serverInstanceNo", KR1_RUN)]), 910,
          msg_910("serverInstanceNo"))
        f("createNetworkInterface", nic_params("abc", "10.200.3.31",
                                               extra=[("serverInstanceNo", UNKNOWN)]), 24120,
          CMSG["24120"])
        for action in ("deleteNetworkInterface", "attachNetworkInterface",
                       "detachNetworkInterface"):
            extra = [] if action == "deleteNetworkInterface" else [("serverInstanceNo", SEED)]
            f(action, extra, 900, msg_900("networkInterfaceNo"))
            f(action, [("networkInterfaceNo", UNKNOWN)] + extra, 24109, CMSG["24109."])
            f(action, [("networkInterfaceNo", "n1")] + extra, 910,
              msg_910("networkInterfaceNo"))
        nic = [n for n in self.call_fmt(c, "getNetworkInterfaceList", [], "json")[
            "networkInterfaceList"]][0]["networkInterfaceNo"]
        f("attachNetworkInterface", [("networkInterfaceNo", nic)], 900,
          msg_900("serverInstanceNo"))
        f("attachNetworkInterface", [("networkInterfaceNo", nic), ("serverInstanceNo", KR1_RUN)],
          910, msg_910("serverInstanceNo"))
        f("detachNetworkInterface", [("networkInterfaceNo", nic), ("serverInstanceNo", SEED)],
          910, msg_910("serverInstanceNo"))    # not attached
        self.assertEqual(self.everything(c), before, "a failing request changed state")


class RecreateInterruptTest(ResourceCase):

    def recreate_walk(self, fmt):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        # a disk, a public IP, a tag: all kept by the rebuild
        r = c.call("createBlockStorageInstance", [("serverInstanceNo", KR2_STOP),
                                                  ("blockStorageSize", "10")], method="POST",
                   fmt="json")
        self.assertEqual(r.status, 200, r)
        disk = r.json()["createBlockStorageInstanceResponse"]["blockStorageInstanceList"][0][
            "blockStorageInstanceNo"]
        self.wait_state(c, KR2_STOP, "NSTOP", "NULL")
        r = c.call("createPublicIpInstance", [("serverInstanceNo", KR2_STOP)], method="POST",
                   fmt="json")
        self.assertEqual(r.status, 200, r)
        addr = r.json()["createPublicIpInstanceResponse"]["publicIpInstanceList"][0]["publicIp"]
        before = self.call_fmt(c, "getServerInstanceList", no_list([KR2_STOP]), "json")[
            "serverInstanceList"][0]
        d.restart(kill=False, sim_step_ms=250)
        script = base64.b64encode(b"#!/bin/sh\necho rebuilt\n").decode()
        r = c.call("recreateServerInstance", [("serverInstanceNo", KR2_STOP),
                                              ("serverImageProductCode", "SPSW0LINUX000031"),
                                              ("serverInstanceName", "rebuilt-" + fmt),
                                              ("userData", script),
                                              ("instanceTagList.1.tagKey", "role"),
                                              ("instanceTagList.1.tagValue", "db")],
                   method="POST", fmt=fmt)
        inner = self.ok(r, fmt, "recreateServerInstance")
        (s,) = inner["serverInstanceList"]
        self.check_server_item(s, "INIT", "NULL", "init")
        self.assertEqual((s["serverInstanceNo"], s["serverName"], s["serverImageProductCode"],
                          s["serverImageName"]),
                         (KR2_STOP, "rebuilt-" + fmt, "SPSW0LINUX000031", "centos-6.3-64"))
        seen = self.observe(c, [KR2_STOP], ("RUN", "NULL"), CREATE_STATES)
        pairs = [(o[1], o[2]) for o in seen]
        self.assertEqual(pairs, [p for p in CREATE_ORDER if p in pairs])
        self.assertIn(("CREAT", "START"), pairs)
        s = self.call_fmt(c, "getServerInstanceList", no_list([KR2_STOP]), "json")[
            "serverInstanceList"][0]
        self.assertEqual((s["serverName"], s["serverImageProductCode"], s["publicIp"],
                          s["privateIp"], s["serverProductCode"]),
                         ("rebuilt-" + fmt, "SPSW0LINUX000031", addr, before["privateIp"],
                          before["serverProductCode"]))
        self.assertEqual(s["userData"], "#!/bin/sh\necho rebuilt\n")
        self.assertEqual([(t["tagKey"], t["tagValue"]) for t in s["instanceTagList"]],
                         [("role", "db")])
        r = c.call("getBlockStorageInstanceList", [("serverInstanceNo", KR2_STOP)], fmt="json")
        nos = [x["blockStorageInstanceNo"] for x in
               r.json()["getBlockStorageInstanceListResponse"]["blockStorageInstanceList"]]
        self.assertIn(disk, nos)

    def test_recreate_walk_xml(self):
        self.recreate_walk("xml")

    def test_recreate_walk_json(self):
        self.recreate_walk("json")

    def test_recreate_keeps_what_is_not_given_and_errors(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        before = self.call_fmt(c, "getServerInstanceList", no_list([KR1_RUN]), "json")[
            "serverInstanceList"][0]
        everything = self.everything(c)

        def f(params, code, message):
            for fmt in FORMATS:
                self.err(c, "recreateServerInstance", params, code, message, fmt=fmt)
        f([("serverImageProductCode", LINUX_IMAGE)], 900, msg_900("serverInstanceNo"))
        f([("serverInstanceNo", KR1_RUN)], 900, msg_900("serverImageProductCode"))
        f([("serverInstanceNo", UNKNOWN), ("serverImageProductCode", LINUX_IMAGE)], 24120,
          CMSG["24120"])
        f([("serverInstanceNo", KR1_RUN), ("serverImageProductCode", "SPSW0LINUX999999")],
          10712, CMSG["10712"])
        f([("serverInstanceNo", KR1_RUN), ("serverImageProductCode", LINUX_IMAGE),
           ("serverInstanceName", "Bad_Name")], 910, msg_910("serverInstanceName"))
        f([("serverInstanceNo", KR1_RUN), ("serverImageProductCode", LINUX_IMAGE),
           ("serverInstanceName", "db-01")], 10300, CMSG["10300"])
        f([("serverInstanceNo", KR1_RUN), ("serverImageProductCode", LINUX_IMAGE),
           ("instanceTagList.1.tagValue", "v")], 900, msg_900("instanceTagList.1.tagKey"))
        self.assertEqual(self.everything(c), everything)
        # the doc example's parameter name; no name, user data or tags: kept
        inner = self.call_fmt(c, "recreateServerInstance",
                              [("serverInstanceNo", KR1_RUN),
                               ("changeServerImageProductCode", LINUX_IMAGE)], "json")
        self.assertEqual(inner["serverInstanceList"][0]["serverName"], before["serverName"])
        self.wait_state(c, KR1_RUN, "RUN", "NULL")
        s = self.call_fmt(c, "getServerInstanceList", no_list([KR1_RUN]), "json")[
            "serverInstanceList"][0]
        self.assertEqual((s["serverName"], s["instanceTagList"], s["serverImageProductCode"]),
                         (before["serverName"], before["instanceTagList"], LINUX_IMAGE))
        # busy: 25041; disk work: 25014
        d.restart(kill=False, sim_step_ms=30000)
        self.call_fmt(c, "stopServerInstances", no_list([SEED]), "json")
        f([("serverInstanceNo", SEED), ("serverImageProductCode", "SPSW0LINUX000066")], 25041,
          CMSG["25041"])
        r = c.call("createBlockStorageInstance", [("serverInstanceNo", KR2_STOP),
                                                  ("blockStorageSize", "10")], method="POST",
                   fmt="json")
        self.assertEqual(r.status, 200, r)
        f([("serverInstanceNo", KR2_STOP), ("serverImageProductCode", LINUX_IMAGE)], 25014,
          CMSG["25014"])

    def test_interrupt(self):
        d = self.new_daemon(sim_step_ms=250)
        c = d.client()
        for fmt in FORMATS:
            r = c.call("interruptServerInstance", [("serverInstanceNo", SEED)], method="POST",
                       fmt=fmt)
            inner = self.ok(r, fmt, "interruptServerInstance")
            self.assertEqual(inner["totalRows"], "1")
            (s,) = inner["serverInstanceList"]
            self.check_server_item(s, "RUN", "RESTA", "rebooting")
            if fmt == "xml":
                root = ET.fromstring(r.body)
                self.assertEqual([e.tag for e in root][-2:], ["serverInstanceList",
                                                              "serverInstanceNoList"])
                self.assertEqual([e.text for e in root.find("serverInstanceNoList")], [SEED])
            else:
                body = r.json()["interruptServerInstanceResponse"]
                self.assertEqual(body["serverInstanceNoList"], [SEED])
            seen = self.observe(c, [SEED], ("RUN", "NULL"), REBOOT_STATES)
            self.assertEqual([(o[1], o[2]) for o in seen][-1], ("RUN", "NULL"))
        for fmt in FORMATS:
            self.err(c, "interruptServerInstance", [("serverInstanceNo", KR2_STOP)], 25041,
                     CMSG["25041"], fmt=fmt)
            self.err(c, "interruptServerInstance", [], 900, msg_900("serverInstanceNo"), fmt=fmt)
            self.err(c, "interruptServerInstance", [("serverInstanceNo", UNKNOWN)], 24120,
                     CMSG["24120"], fmt=fmt)


class OlderClientsTest(ResourceCase):
    """DECISIONS D10: the misspelt element after the correct one; an empty search value."""

    def test_d10(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        r = c.call("getServerInstanceList", no_list([SEED]), fmt="xml")
        tags = [e.tag for e in ET.fromstring(r.body).find("serverInstanceList/serverInstance")]
        i = tags.index("baseBlockStorageDiskDetailType")
        self.assertEqual(tags[i + 1], "baseBlockStroageDiskDetailType")
        el = ET.fromstring(r.body).find("serverInstanceList/serverInstance/"
                                        "baseBlockStroageDiskDetailType")
        self.assertEqual(el.findtext("code"), "SSD")
        r = c.call("getServerInstanceList", no_list([SEED]), fmt="json")
        s = json.loads(r.body)["getServerInstanceListResponse"]["serverInstanceList"][0]
        keys = list(s)
        self.assertEqual(keys[keys.index("baseBlockStorageDiskDetailType") + 1],
                         "baseBlockStroageDiskDetailType")
        self.assertEqual(s["baseBlockStroageDiskDetailType"], s["baseBlockStorageDiskDetailType"])
        for action in ("getBlockStorageInstanceList", "getPublicIpInstanceList"):
            # the old SDK sends the name only when set, the value always
            r = c.call(action, [("searchFilterValue", "")], fmt="json")
            self.assertEqual(r.status, 200, (action, r))
            total = json.loads(r.body)[action + "Response"]["totalRows"]
            r = c.call(action, [], fmt="json")
            self.assertEqual(json.loads(r.body)[action + "Response"]["totalRows"], total)


if __name__ == "__main__":
    unittest.main()

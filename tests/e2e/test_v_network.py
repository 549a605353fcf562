"""ACGs and their rules, network interfaces, block storage and public IPs of the
VPC API (spec/vpc/vserver.md §4, §5, §8, §9): every action, the states the
provider waits for, every error with its message, the dependency rules."""

import unittest

from vpc_util import (FORMATS, GiB, MSG, XEN_IMAGE, XEN_PRODUCT, VpcCase, invalid, nic_list,
                      required)

RULE_FIELDS = ["accessControlGroupNo", "protocolType", "ipBlock", "accessControlGroupSequence",
               "portRange", "accessControlGroupRuleType", "accessControlGroupRuleDescription"]
NIC_FIELDS = ["networkInterfaceNo", "networkInterfaceName", "subnetNo", "deleteOnTermination",
              "isDefault", "deviceName", "networkInterfaceStatus", "instanceType", "instanceNo",
              "ip", "macAddress", "accessControlGroupNoList", "networkInterfaceDescription",
              "secondaryIpList"]
BS_FIELDS = ["blockStorageInstanceNo", "serverInstanceNo", "blockStorageName", "blockStorageType",
             "blockStorageSize", "deviceName", "blockStorageProductCode",
             "blockStorageInstanceStatus", "blockStorageInstanceOperation",
             "blockStorageInstanceStatusName", "createDate", "blockStorageDescription",
             "blockStorageDiskType", "blockStorageDiskDetailType", "maxIopsThroughput",
             "isEncryptedVolume", "zoneCode", "regionCode", "isReturnProtection",
             "blockStorageVolumeType", "hypervisorType", "throughput", "iops"]
PIP_FIELDS = ["publicIpInstanceNo", "publicIp", "publicIpDescription", "createDate",
              "publicIpInstanceStatusName", "publicIpInstanceStatus", "serverInstanceNo",
              "serverName", "privateIp", "lastModifyDate", "publicIpInstanceOperation"]


def rule(i, protocol=None, ip=None, peer=None, port=None, desc=None):
    p = "accessControlGroupRuleList.%d." % i
    out = []
    for k, v in (("protocolTypeCode", protocol), ("ipBlock", ip), ("accessControlGroupSequence", peer),
                 ("portRange", port), ("accessControlGroupRuleDescription", desc)):
        if v is not None:
            out.append((p + k, v))
    return out


class NetworkCase(VpcCase):

    def setUp(self):
        cls = type(self)  # one daemon per class: its own VPCs
        if "v" not in cls.__dict__:
            cls.v = self.make_vpc(self.c, "10.30.0.0/16", name="net-vpc")
            cls.pub = self.make_subnet(self.c, self.v, "10.30.1.0/24")
            cls.prv = self.make_subnet(self.c, self.v, "10.30.2.0/24", kind="PRIVATE")
            cls.w = self.make_vpc(self.c, "10.31.0.0/16", name="net-other")
            self.make_key(self.c, "net-key")

    def acg_state(self, no):
        got = self.items(self.c, "vserver", "getAccessControlGroupDetail",
                         [("accessControlGroupNo", no)])
        return got[0]["accessControlGroupStatus"]["code"] if got else None

    def nic_state(self, no):
        got = self.items(self.c, "vserver", "getNetworkInterfaceDetail",
                         [("networkInterfaceNo", no)])
        return got[0]["networkInterfaceStatus"]["code"] if got else None

    def bs(self, no):
        got = self.items(self.c, "vserver", "getBlockStorageInstanceDetail",
                         [("blockStorageInstanceNo", no)])
        return got[0] if got else None

    def bs_name(self, no):
        b = self.bs(no)
        return b["blockStorageInstanceStatusName"] if b else None

    def pip_state(self, no):
        p = self.pip(no)
        return (p["publicIpInstanceStatus"]["code"], p["publicIpInstanceOperation"]["code"])

    def pip(self, no):
        got = self.items(self.c, "vserver", "getPublicIpInstanceList",
                         [("publicIpInstanceNoList.1", no)])
        return got[0] if got else None


class AcgTest(NetworkCase):

    def test_acg_and_rules_provider_sequence(self):
        """ncloud_access_control_group + _rule: create (RUN at once, no rules), rules
        added and removed (SET -> RUN each time, 1007009 meanwhile), delete (gone at once)."""
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                g = self.one(self.c, "vserver", "createAccessControlGroup",
                             [("vpcNo", self.v["vpc"]), ("accessControlGroupName", "web-" + fmt),
                              ("accessControlGroupDescription", "web servers")], fmt=fmt)
                self.assertEqual((g["accessControlGroupStatus"]["code"], g["isDefault"],
                                  g["accessControlGroupDescription"]),
                                 ("RUN", False if fmt == "json" else "false", "web servers"))
                no = g["accessControlGroupNo"]
                self.assertEqual(self.ok(self.c, "vserver", "getAccessControlGroupRuleList",
                                         [("accessControlGroupNo", no)])["totalRows"], 0)
                params = [("vpcNo", self.v["vpc"]), ("accessControlGroupNo", no)]
                rules = (rule(1, "TCP", "0.0.0.0/0", port="22", desc="ssh") +
                         rule(2, "udp", "10.0.0.0/8", port="1000-2000") +
                         rule(3, "ICMP", ip="192.168.0.0/16") + rule(4, "120", ip="0.0.0.0/0") +
                         rule(5, "TCP", peer=self.v["acg"], port="80"))
                got = self.items(self.c, "vserver", "addAccessControlGroupInboundRule",
                                 params + rules, fmt=fmt)
                self.assertEqual(len(got), 5)
                self.assertEqual(list(got[0]), RULE_FIELDS)
                self.fails(self.c, "vserver", "addAccessControlGroupOutboundRule",
                           params + rule(1, "TCP", "0.0.0.0/0", port="443"), 1007009,
                           MSG["1007009"], fmt)
                log = self.wait(lambda: self.acg_state(no), "RUN", ("SET",))
                self.assertEqual(log.seen, ["SET", "RUN"])
                self.ok(self.c, "vserver", "addAccessControlGroupOutboundRule",
                        params + rule(1, "TCP", "0.0.0.0/0", port="1-65535"), fmt=fmt)
                self.wait(lambda: self.acg_state(no), "RUN", ("SET",))
                inbound = self.both(self.c, "vserver", "getAccessControlGroupRuleList",
                                    [("accessControlGroupNo", no),
                                     ("accessControlGroupRuleTypeCode", "INBND")])
                if fmt == "json":
                    rl = inbound["accessControlGroupRuleList"]
                    self.assertEqual([(r["protocolType"], r["ipBlock"],
                                       r["accessControlGroupSequence"], r["portRange"],
                                       r["accessControlGroupRuleType"]["code"],
                                       r["accessControlGroupRuleDescription"]) for r in rl], [
                        ({"code": "TCP", "codeName": "tcp", "number": 6}, "0.0.0.0/0", "", "22",
                         "INBND", "ssh"),
                        ({"code": "UDP", "codeName": "udp", "number": 17}, "10.0.0.0/8", "",
                         "1000-2000", "INBND", ""),
                        ({"code": "ICMP", "codeName": "icmp", "number": 1}, "192.168.0.0/16", "",
                         "", "INBND", ""),
                        ({"code": "120", "codeName": "120", "number": 120}, "0.0.0.0/0", "", "",
                         "INBND", ""),
                        ({"code": "TCP", "codeName": "tcp", "number": 6}, "", self.v["acg"], "80",
                         "INBND", "")])
                out = self.items(self.c, "vserver", "getAccessControlGroupRuleList",
                                 [("accessControlGroupNo", no),
                                  ("accessControlGroupRuleTypeCode", "OTBND")])
                self.assertEqual([r["accessControlGroupRuleType"] for r in out],
                                 [{"code": "OTBND", "codeName": "Outbound"}])
                # removal as the provider sends it: every field, empty ones as ""
                rm = (rule(1, "TCP", "0.0.0.0/0", "", "22") + rule(2, "ICMP", "192.168.0.0/16", "",
                                                                   "") +
                      rule(3, "TCP", "", self.v["acg"], "80") + rule(4, "TCP", "1.2.3.4/32", "", "9"))
                got = self.items(self.c, "vserver", "removeAccessControlGroupInboundRule",
                                 params + rm, fmt=fmt)
                self.assertEqual(sorted(r["protocolType"]["code"] for r in got),
                                 ["120", "TCP", "UDP"])  # the outbound one, UDP, 120 stay
                self.wait(lambda: self.acg_state(no), "RUN", ("SET",))
                self.ok(self.c, "vserver", "removeAccessControlGroupOutboundRule",
                        params + rule(1, "TCP", "0.0.0.0/0", "", "1-65535"), fmt=fmt)
                self.wait(lambda: self.acg_state(no), "RUN", ("SET",))
                d = self.one(self.c, "vserver", "deleteAccessControlGroup", params, fmt=fmt)
                self.assertEqual(d["accessControlGroupStatus"],
                                 {"code": "TERMT", "codeName": "terminate"})
                # gone at once: the provider's delete waiter accepts only RUN -> gone
                self.assertIsNone(self.acg_state(no))
                self.fails(self.c, "vserver", "getAccessControlGroupRuleList",
                           [("accessControlGroupNo", no)], 1007000, MSG["1007000"], fmt)

    def test_default_acg_rules(self):
        """The VPC's default ACG comes with rules (the provider removes them all first)."""
        rl = self.items(self.c, "vserver", "getAccessControlGroupRuleList",
                        [("accessControlGroupNo", self.v["acg"])])
        self.assertEqual([(r["accessControlGroupRuleType"]["code"], r["protocolType"]["code"],
                           r["ipBlock"], r["portRange"]) for r in rl],
                         [("INBND", "TCP", "0.0.0.0/0", "22"), ("INBND", "TCP", "0.0.0.0/0", "3389"),
                          ("OTBND", "TCP", "0.0.0.0/0", "1-65535"),
                          ("OTBND", "UDP", "0.0.0.0/0", "1-65535"),
                          ("OTBND", "ICMP", "0.0.0.0/0", "")])

    def test_acg_errors(self):
        g = self.one(self.c, "vserver", "createAccessControlGroup",
                     [("vpcNo", self.v["vpc"]), ("accessControlGroupName", "err-acg")])
        no = g["accessControlGroupNo"]
        other = self.w["acg"]
        params = [("vpcNo", self.v["vpc"]), ("accessControlGroupNo", no)]
        add = "addAccessControlGroupInboundRule"
        cases = [
            ("createAccessControlGroup", [], 900, required("vpcNo")),
            ("createAccessControlGroup", [("vpcNo", "999999")], 1100000, invalid("vpcNo")),
            ("createAccessControlGroup", [("vpcNo", self.v["vpc"]),
                                          ("accessControlGroupName", "err-acg")], 1100000,
             invalid("accessControlGroupName is duplicated.")),
            ("createAccessControlGroup", [("vpcNo", self.v["vpc"]),
                                          ("accessControlGroupName", "E")], 1100000,
             invalid("accessControlGroupName")),
            ("createAccessControlGroup", [("vpcNo", self.v["vpc"]),
                                          ("accessControlGroupDescription", "é" * 501)], 1100000,
             invalid("accessControlGroupDescription")),
            ("getAccessControlGroupRuleList", [("accessControlGroupNo", "999999")], 1007000,
             MSG["1007000"]),
            ("deleteAccessControlGroup", [("vpcNo", self.v["vpc"]),
                                          ("accessControlGroupNo", "999999")], 1100000,
             invalid("accessControlGroupNo")),
            ("deleteAccessControlGroup", [("vpcNo", self.w["vpc"]), ("accessControlGroupNo", no)],
             1100000, invalid("vpcNo")),
            ("deleteAccessControlGroup", [("vpcNo", self.v["vpc"]),
                                          ("accessControlGroupNo", self.v["acg"])], 1100000,
             invalid("The default ACG cannot be deleted.")),
            (add, [("vpcNo", self.v["vpc"]), ("accessControlGroupNo", "999999")] +
             rule(1, "TCP", "0.0.0.0/0", port="1"), 1007000, MSG["1007000"]),
            (add, params, 900, required("accessControlGroupRuleList")),
            (add, params + rule(1, ip="0.0.0.0/0"), 900,
             required("accessControlGroupRuleList.1.protocolTypeCode")),
            (add, params + rule(1, "GRE", "0.0.0.0/0"), 1100000,
             invalid("accessControlGroupRuleList.1.protocolTypeCode")),
            (add, params + rule(1, "255", "0.0.0.0/0"), 1100000,
             invalid("accessControlGroupRuleList.1.protocolTypeCode")),
            (add, params + rule(1, "TCP", "0.0.0.0/0"), 1100000,
             invalid("accessControlGroupRuleList.1.portRange")),
            (add, params + rule(1, "TCP", "0.0.0.0/0", port="0"), 1100000,
             invalid("accessControlGroupRuleList.1.portRange")),
            (add, params + rule(1, "TCP", "0.0.0.0/0", port="90-80"), 1100000,
             invalid("accessControlGroupRuleList.1.portRange")),
            (add, params + rule(1, "UDP", "0.0.0.0/0", port="65536"), 1100000,
             invalid("accessControlGroupRuleList.1.portRange")),
            (add, params + rule(1, "ICMP", "0.0.0.0/0", port="1"), 1100000,
             invalid("accessControlGroupRuleList.1.portRange")),
            (add, params + rule(1, "TCP", "0.0.0.0", port="1"), 1100000,
             invalid("accessControlGroupRuleList.1.ipBlock")),
            (add, params + rule(1, "TCP", port="1"), 1100000,
             invalid("accessControlGroupRuleList.1.ipBlock")),
            (add, params + rule(1, "TCP", "0.0.0.0/0", self.v["acg"], port="1"), 1100000,
             invalid("accessControlGroupRuleList.1.accessControlGroupSequence")),
            (add, params + rule(1, "TCP", peer=other, port="1"), 1100000,
             invalid("accessControlGroupRuleList.1.accessControlGroupSequence")),
            (add, params + rule(1, "TCP", "0.0.0.0/0", port="1", desc="é" * 501), 1100000,
             invalid("accessControlGroupRuleList.1.accessControlGroupRuleDescription")),
            (add, params + rule(1, "TCP", "0.0.0.0/0", port="1") +
             rule(2, "TCP", "0.0.0.0/0", port="1"), 1100000,
             invalid("accessControlGroupRuleList.2 (the rule exists)")),
            (add, [("vpcNo", self.w["vpc"]), ("accessControlGroupNo", no)] +
             rule(1, "TCP", "0.0.0.0/0", port="1"), 1100000, invalid("vpcNo")),
        ]
        for fmt in FORMATS:
            for action, p, code, msg in cases:
                with self.subTest(fmt=fmt, action=action, msg=msg):
                    self.fails(self.c, "vserver", action, p, code, msg, fmt)
        # an existing rule again; a removal of what is not there is no error
        self.ok(self.c, "vserver", add, params + rule(1, "TCP", "0.0.0.0/0", port="22"))
        self.wait(lambda: self.acg_state(no), "RUN", ("SET",))
        self.fails(self.c, "vserver", add, params + rule(1, "tcp", "0.0.0.0/0", port="22"), 1100000,
                   invalid("accessControlGroupRuleList.1 (the rule exists)"))
        self.ok(self.c, "vserver", "removeAccessControlGroupOutboundRule",
                params + rule(1, "TCP", "0.0.0.0/0", port="22"))
        self.wait(lambda: self.acg_state(no), "RUN", ("SET",))
        self.assertEqual(len(self.items(self.c, "vserver", "getAccessControlGroupRuleList",
                                        [("accessControlGroupNo", no)])), 1)
        # named by another ACG's rule: stays
        self.ok(self.c, "vserver", add, [("vpcNo", self.v["vpc"]),
                                         ("accessControlGroupNo", self.v["acg"])] +
                rule(1, "TCP", peer=no, port="5432"))
        self.wait(lambda: self.acg_state(self.v["acg"]), "RUN", ("SET",))
        self.fails(self.c, "vserver", "deleteAccessControlGroup", params, 1100000,
                   invalid("The ACG is named by a rule of another ACG."))
        self.ok(self.c, "vserver", "removeAccessControlGroupInboundRule",
                [("vpcNo", self.v["vpc"]), ("accessControlGroupNo", self.v["acg"])] +
                rule(1, "TCP", "", no, "5432"))
        self.wait(lambda: self.acg_state(self.v["acg"]), "RUN", ("SET",))
        # SET refuses a delete too
        self.ok(self.c, "vserver", add, params + rule(1, "TCP", "0.0.0.0/0", port="23"))
        self.fails(self.c, "vserver", "deleteAccessControlGroup", params, 1007009, MSG["1007009"])
        self.wait(lambda: self.acg_state(no), "RUN", ("SET",))
        self.ok(self.c, "vserver", "deleteAccessControlGroup", params)

    def test_acg_list_filters(self):
        a = self.one(self.c, "vserver", "createAccessControlGroup",
                     [("vpcNo", self.w["vpc"]), ("accessControlGroupName", "list-a")])
        got = self.items(self.c, "vserver", "getAccessControlGroupList", [("vpcNo", self.w["vpc"])])
        self.assertEqual([g["accessControlGroupNo"] for g in got],
                         [self.w["acg"], a["accessControlGroupNo"]])
        got = self.items(self.c, "vserver", "getAccessControlGroupList",
                         [("accessControlGroupName", "list-a"), ("vpcNo", self.w["vpc"])])
        self.assertEqual([g["accessControlGroupName"] for g in got], ["list-a"])
        got = self.items(self.c, "vserver", "getAccessControlGroupList",
                         [("accessControlGroupNoList.1", self.w["acg"]),
                          ("accessControlGroupStatusCode", "RUN")])
        self.assertEqual([g["accessControlGroupNo"] for g in got], [self.w["acg"]])
        self.assertEqual(self.items(self.c, "vserver", "getAccessControlGroupDetail",
                                    [("accessControlGroupNo", "999999")]), [])


class NicTest(NetworkCase):

    def test_nic_provider_sequence(self):
        """ncloud_network_interface: created free (NOTUSED) or with a server (SET ->
        USED), ACGs added (SET -> USED) and removed, detached (UNSET -> NOTUSED),
        attached again, deleted (gone)."""
        srv = self.make_server(self.c, self.v, self.pub)
        g2 = self.one(self.c, "vserver", "createAccessControlGroup",
                      [("vpcNo", self.v["vpc"])])["accessControlGroupNo"]
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                n = self.one(self.c, "vserver", "createNetworkInterface", [
                    ("vpcNo", self.v["vpc"]), ("subnetNo", self.pub),
                    ("accessControlGroupNoList.1", self.v["acg"]),
                    ("networkInterfaceName", "nic-" + fmt), ("serverInstanceNo", srv)], fmt=fmt)
                self.assertEqual(list(n), NIC_FIELDS)
                self.assertEqual((n["networkInterfaceStatus"]["code"], n["deviceName"],
                                  n["instanceNo"]), ("SET", "eth1", srv))
                self.assertRegex(n["macAddress"], r"^F2:20(:[0-9A-F]{2}){4}$")
                no = n["networkInterfaceNo"]
                log = self.wait(lambda: self.nic_state(no), "USED", ("SET",))
                self.assertEqual(log.seen, ["SET", "USED"])
                self.assertEqual(self.server(self.c, srv)["networkInterfaceNoList"][1], no)
                got = self.one(self.c, "vserver", "addNetworkInterfaceAccessControlGroup",
                               [("networkInterfaceNo", no), ("accessControlGroupNoList.1", g2)],
                               fmt=fmt)
                self.assertEqual(got["networkInterfaceStatus"]["code"], "SET")
                self.wait(lambda: self.nic_state(no), "USED", ("SET",))
                self.assertEqual(self.one(self.c, "vserver", "getNetworkInterfaceDetail",
                                          [("networkInterfaceNo", no)])["accessControlGroupNoList"],
                                 [self.v["acg"], g2])
                self.ok(self.c, "vserver", "removeNetworkInterfaceAccessControlGroup",
                        [("networkInterfaceNo", no),
                         ("accessControlGroupNoList.1", self.v["acg"])], fmt=fmt)
                self.wait(lambda: self.nic_state(no), "USED", ("SET",))
                self.fails(self.c, "vserver", "removeNetworkInterfaceAccessControlGroup",
                           [("networkInterfaceNo", no), ("accessControlGroupNoList.1", g2)],
                           1002035, MSG["1002035"], fmt)
                got = self.one(self.c, "vserver", "detachNetworkInterface",
                               [("networkInterfaceNo", no), ("subnetNo", self.pub),
                                ("serverInstanceNo", srv)], fmt=fmt)
                self.assertEqual((got["networkInterfaceStatus"]["code"], got["deviceName"],
                                  got["instanceNo"]), ("UNSET", "", ""))
                self.assertNotIn("instanceType", got)
                log = self.wait(lambda: self.nic_state(no), "NOTUSED", ("UNSET",))
                self.ok(self.c, "vserver", "attachNetworkInterface",
                        [("networkInterfaceNo", no), ("subnetNo", self.pub),
                         ("serverInstanceNo", srv)], fmt=fmt)
                self.wait(lambda: self.nic_state(no), "USED", ("SET",))
                self.ok(self.c, "vserver", "detachNetworkInterface",
                        [("networkInterfaceNo", no), ("subnetNo", self.pub),
                         ("serverInstanceNo", srv)])
                self.wait(lambda: self.nic_state(no), "NOTUSED", ("UNSET",))
                self.ok(self.c, "vserver", "deleteNetworkInterface", [("networkInterfaceNo", no)],
                        fmt=fmt)
                self.assertIsNone(self.nic_state(no))

    def test_free_nic_in_a_server_and_termination(self):
        n = self.one(self.c, "vserver", "createNetworkInterface", [
            ("vpcNo", self.v["vpc"]), ("subnetNo", self.prv), ("ip", "10.30.2.77"),
            ("accessControlGroupNoList.1", self.v["acg"])])
        self.assertEqual((n["networkInterfaceStatus"]["code"], n["ip"], n["isDefault"],
                          n["deleteOnTermination"], n["deviceName"]),
                         ("NOTUSED", "10.30.2.77", False, False, ""))
        no = n["networkInterfaceNo"]
        # the provider's C2b: an existing interface as eth0, no ACG list
        s = self.one(self.c, "vserver", "createServerInstances", [
            ("vpcNo", self.v["vpc"]), ("subnetNo", self.prv), ("serverImageNo", "23214590"),
            ("networkInterfaceList.1.networkInterfaceOrder", "0"),
            ("networkInterfaceList.1.networkInterfaceNo", no),
            ("networkInterfaceList.1.subnetNo", self.prv)])
        srv = s["serverInstanceNo"]
        self.assertEqual(s["networkInterfaceNoList"], [no])
        got = self.one(self.c, "vserver", "getNetworkInterfaceDetail", [("networkInterfaceNo", no)])
        self.assertEqual((got["deviceName"], got["isDefault"], got["instanceNo"]),
                         ("eth0", True, srv))
        self.wait(lambda: self.server_state(self.c, srv), ("RUN", "NULL"),
                  (("INIT", "NULL"), ("INIT", "CREAT"), ("CREAT", "START"), ("RUN", "SETUP")))
        self.terminate(self.c, srv)
        # not made with the server: it stays, free
        got = self.one(self.c, "vserver", "getNetworkInterfaceDetail", [("networkInterfaceNo", no)])
        self.assertEqual((got["networkInterfaceStatus"]["code"], got["instanceNo"], got["isDefault"]),
                         ("NOTUSED", "", False))
        self.ok(self.c, "vserver", "deleteNetworkInterface", [("networkInterfaceNo", no)])

    def test_nic_errors(self):
        srv = self.make_server(self.c, self.v, self.pub)
        eth0 = self.server(self.c, srv)["networkInterfaceNoList"][0]
        far = self.make_subnet(self.c, self.w, "10.31.1.0/24")
        far_srv = self.make_server(self.c, self.w, far)
        free = self.one(self.c, "vserver", "createNetworkInterface", [
            ("vpcNo", self.v["vpc"]), ("subnetNo", self.pub),
            ("accessControlGroupNoList.1", self.v["acg"])])["networkInterfaceNo"]
        base = [("vpcNo", self.v["vpc"]), ("subnetNo", self.pub),
                ("accessControlGroupNoList.1", self.v["acg"])]
        cases = [
            ("createNetworkInterface", base[1:], 900, required("vpcNo")),
            ("createNetworkInterface", base[:2], 900, required("accessControlGroupNoList")),
            ("createNetworkInterface", [("vpcNo", "999999")] + base[1:], 1100000, invalid("vpcNo")),
            ("createNetworkInterface", [base[0], ("subnetNo", far), base[2]], 1100000,
             invalid("subnetNo")),
            ("createNetworkInterface", base[:2] + [("accessControlGroupNoList.1", self.w["acg"])],
             1100000, invalid("accessControlGroupNoList (%s is no ACG of VPC %s)"
                              % (self.w["acg"], self.v["vpc"]))),
            ("createNetworkInterface", base + [("accessControlGroupNoList.2", self.v["acg"])],
             1100000, invalid("accessControlGroupNoList. duplicated value : %s" % self.v["acg"])),
            ("createNetworkInterface", base + [("secondaryIpList.1", "10.30.1.99")], 1100000,
             invalid("secondaryIpList (not supported by this ncpd)")),
            ("createNetworkInterface", base + [("isBareMetal", "true")], 1100000,
             invalid("isBareMetal (not supported by this ncpd)")),
            ("createNetworkInterface", base + [("ip", "10.30.2.10")], 1100000, invalid("ip")),
            ("createNetworkInterface", base + [("ip", "10.30.1.5")], 1100000, invalid("ip")),
            ("createNetworkInterface", base + [("ip", "10.30.1.255")], 1100000, invalid("ip")),
            ("createNetworkInterface", base + [("ip", "10.30.1.6")], 1100000,
             invalid("ip (10.30.1.6 is in use)")),
            ("createNetworkInterface", base + [("networkInterfaceName", "N")], 1100000,
             invalid("networkInterfaceName")),
            ("createNetworkInterface", base + [("serverInstanceNo", "x")], 24109, MSG["24109"]),
            ("createNetworkInterface", base + [("serverInstanceNo", "999999")], 24120,
             MSG["24120"]),
            ("createNetworkInterface", base + [("serverInstanceNo", far_srv)], 1100000,
             invalid("serverInstanceNo (a server of another VPC)")),
            ("deleteNetworkInterface", [("networkInterfaceNo", "999999")], 1100000,
             invalid("networkInterfaceNo")),
            ("deleteNetworkInterface", [("networkInterfaceNo", eth0)], 1100000,
             invalid("networkInterfaceNo (the network interface is attached to a server)")),
            ("attachNetworkInterface", [("networkInterfaceNo", free), ("subnetNo", self.prv),
                                        ("serverInstanceNo", srv)], 1100000, invalid("subnetNo")),
            ("attachNetworkInterface", [("networkInterfaceNo", eth0), ("subnetNo", self.pub),
                                        ("serverInstanceNo", srv)], 1100000,
             invalid("networkInterfaceNo (the network interface is USED)")),
            ("attachNetworkInterface", [("networkInterfaceNo", free), ("subnetNo", self.pub),
                                        ("serverInstanceNo", far_srv)], 1100000,
             invalid("serverInstanceNo (a server of another VPC)")),
            ("attachNetworkInterface", [("networkInterfaceNo", free), ("subnetNo", self.pub)], 900,
             required("serverInstanceNo")),
            ("detachNetworkInterface", [("networkInterfaceNo", eth0), ("subnetNo", self.pub),
                                        ("serverInstanceNo", srv)], 1100000,
             invalid("The default network interface cannot be detached.")),
            ("detachNetworkInterface", [("networkInterfaceNo", free), ("subnetNo", self.pub),
                                        ("serverInstanceNo", srv)], 1100000,
             invalid("networkInterfaceNo (not attached to that server)")),
            ("addNetworkInterfaceAccessControlGroup",
             [("networkInterfaceNo", free), ("accessControlGroupNoList.1", self.v["acg"])], 1100000,
             invalid("accessControlGroupNoList (%s is on the network interface already)"
                     % self.v["acg"])),
            ("removeNetworkInterfaceAccessControlGroup",
             [("networkInterfaceNo", free), ("accessControlGroupNoList.1", self.v["acg"])],
             1002035, MSG["1002035"]),
            ("addNetworkInterfaceAccessControlGroup",
             [("networkInterfaceNo", "999999"), ("accessControlGroupNoList.1", self.v["acg"])],
             1100000, invalid("networkInterfaceNo")),
        ]
        for fmt in FORMATS:
            for action, p, code, msg in cases:
                with self.subTest(fmt=fmt, action=action, msg=msg):
                    self.fails(self.c, "vserver", action, p, code, msg, fmt)
            self.assertEqual(self.items(self.c, "vserver", "getNetworkInterfaceDetail",
                                        [("networkInterfaceNo", "999999")], fmt=fmt), [])
        g2 = self.one(self.c, "vserver", "createAccessControlGroup",
                      [("vpcNo", self.v["vpc"])])["accessControlGroupNo"]
        g3 = self.one(self.c, "vserver", "createAccessControlGroup",
                      [("vpcNo", self.v["vpc"])])["accessControlGroupNo"]
        g4 = self.one(self.c, "vserver", "createAccessControlGroup",
                      [("vpcNo", self.v["vpc"])])["accessControlGroupNo"]
        self.ok(self.c, "vserver", "addNetworkInterfaceAccessControlGroup",
                [("networkInterfaceNo", free), ("accessControlGroupNoList.1", g2),
                 ("accessControlGroupNoList.2", g3)])
        self.fails(self.c, "vserver", "addNetworkInterfaceAccessControlGroup",
                   [("networkInterfaceNo", free), ("accessControlGroupNoList.1", g4)], 1100000,
                   invalid("networkInterfaceNo (the network interface is SET)"))
        self.wait(lambda: self.nic_state(free), "NOTUSED", ("SET",))
        self.fails(self.c, "vserver", "addNetworkInterfaceAccessControlGroup",
                   [("networkInterfaceNo", free), ("accessControlGroupNoList.1", g4)], 1100000,
                   invalid("accessControlGroupNoList (at most 3 ACGs on a network interface)"))
        # a server takes three interfaces at most
        self.ok(self.c, "vserver", "attachNetworkInterface",
                [("networkInterfaceNo", free), ("subnetNo", self.pub), ("serverInstanceNo", srv)])
        third = self.one(self.c, "vserver", "createNetworkInterface", base + [
            ("serverInstanceNo", srv)])
        self.assertEqual(third["deviceName"], "eth2")
        self.fails(self.c, "vserver", "createNetworkInterface", base + [("serverInstanceNo", srv)],
                   1100000, invalid("serverInstanceNo (the server has 3 network interfaces already)"))
        # a stopping server takes none
        self.ok(self.c, "vserver", "stopServerInstances", [("serverInstanceNoList.1", far_srv)])
        far_nic = self.one(self.c, "vserver", "createNetworkInterface", [
            ("vpcNo", self.w["vpc"]), ("subnetNo", far),
            ("accessControlGroupNoList.1", self.w["acg"])])["networkInterfaceNo"]
        self.fails(self.c, "vserver", "attachNetworkInterface",
                   [("networkInterfaceNo", far_nic), ("subnetNo", far),
                    ("serverInstanceNo", far_srv)], 25041, MSG["25041"])


class StorageTest(NetworkCase):

    def test_block_storage_provider_sequence(self):
        """ncloud_block_storage: created attached (initialized -> attached), read, the
        detach / resize / attach update, protection, delete without detaching."""
        srv = self.make_server(self.c, self.v, self.pub)
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                b = self.one(self.c, "vserver", "createBlockStorageInstance", [
                    ("blockStorageSize", "10"), ("blockStorageName", "data-" + fmt),
                    ("serverInstanceNo", srv), ("blockStorageVolumeTypeCode", "CB1"),
                    ("zoneCode", "KR-2")], fmt=fmt)
                self.assertEqual(list(b), BS_FIELDS)
                no = b["blockStorageInstanceNo"]
                self.assertEqual((b["blockStorageInstanceStatusName"], b["deviceName"],
                                  b["blockStorageType"]["code"], b["blockStorageProductCode"]),
                                 ("initialized", "/dev/xvdb", "SVRBS", "SPBSTBSTAD000006"))
                log = self.wait(lambda: self.bs_name(no), "attached",
                                ("initialized", "creating", "attaching"))
                self.assertEqual(log.seen, ["initialized", "attached"])
                got = self.both(self.c, "vserver", "getBlockStorageInstanceDetail",
                                [("blockStorageInstanceNo", no)])["blockStorageInstanceList"][0]
                self.assertEqual((got["blockStorageSize"], got["serverInstanceNo"],
                                  got["hypervisorType"]["code"], got["zoneCode"]),
                                 (10 * GiB, srv, "KVM", "KR-2"))
                # the update: detach (status ATTAC -> CREAT), resize (op CHNG -> NULL), attach
                d = self.one(self.c, "vserver", "detachBlockStorageInstances",
                             [("blockStorageInstanceNoList.1", no)], fmt=fmt)
                self.assertEqual((d["blockStorageInstanceStatus"]["code"],
                                  d["blockStorageInstanceOperation"]["code"],
                                  d["blockStorageInstanceStatusName"]), ("ATTAC", "DETAC", "detaching"))
                log = self.wait(lambda: self.bs(no)["blockStorageInstanceStatus"]["code"], "CREAT",
                                ("ATTAC",))
                self.assertEqual((self.bs_name(no), self.bs(no)["serverInstanceNo"]),
                                 ("detached", ""))
                self.assertEqual(self.server_state(self.c, srv), ("RUN", "NULL"))
                r = self.one(self.c, "vserver", "changeBlockStorageInstance",
                             [("blockStorageInstanceNo", no), ("blockStorageSize", "20")], fmt=fmt)
                self.assertEqual(r["blockStorageInstanceOperation"]["code"], "CHNG")
                self.wait(lambda: self.bs(no)["blockStorageInstanceOperation"]["code"], "NULL",
                          ("CHNG",))
                self.assertEqual(self.bs(no)["blockStorageSize"], 20 * GiB)
                a = self.one(self.c, "vserver", "attachBlockStorageInstance",
                             [("blockStorageInstanceNo", no), ("serverInstanceNo", srv)], fmt=fmt)
                self.assertEqual((a["blockStorageInstanceStatus"]["code"],
                                  a["blockStorageInstanceStatusName"]), ("INIT", "attaching"))
                self.wait(lambda: self.bs(no)["blockStorageInstanceStatus"]["code"], "ATTAC",
                          ("INIT", "CREAT"))
                p = self.one(self.c, "vserver", "setBlockStorageReturnProtection",
                             [("blockStorageInstanceNo", no), ("isReturnProtection", "true")],
                             fmt=fmt)
                self.assertIn(p["isReturnProtection"], (True, "true"))
                self.fails(self.c, "vserver", "deleteBlockStorageInstances",
                           [("blockStorageInstanceNoList.1", no)], 1100000,
                           invalid("blockStorageInstanceNoList (return protection is on)"), fmt)
                self.ok(self.c, "vserver", "setBlockStorageReturnProtection",
                        [("blockStorageInstanceNo", no), ("isReturnProtection", "false")])
                # deleted while attached: gone at once
                d = self.one(self.c, "vserver", "deleteBlockStorageInstances",
                             [("blockStorageInstanceNoList.1", no)], fmt=fmt)
                self.assertEqual(d["blockStorageInstanceOperation"]["code"], "TERMT")
                self.assertIsNone(self.bs(no))

    def test_kvm_volume_made_detached_then_attached(self):
        srv = self.make_server(self.c, self.v, self.pub)
        b = self.one(self.c, "vserver", "createBlockStorageInstance", [
            ("blockStorageSize", "100"), ("zoneCode", "KR-2"), ("blockStorageVolumeTypeCode", "FB1"),
            ("blockStorageDescription", "fast")])
        no = b["blockStorageInstanceNo"]
        self.assertEqual((b["serverInstanceNo"], b["deviceName"], b["blockStorageDiskDetailType"]["code"]),
                         ("", "", "SSD"))
        log = self.wait(lambda: self.bs_name(no), "detached", ("initialized", "creating"))
        self.assertEqual(log.seen, ["initialized", "detached"])
        self.ok(self.c, "vserver", "attachBlockStorageInstance",
                [("blockStorageInstanceNo", no), ("serverInstanceNo", srv)])
        self.wait(lambda: self.bs(no)["blockStorageInstanceStatus"]["code"], "ATTAC",
                  ("INIT", "CREAT"))
        disks = self.items(self.c, "vserver", "getBlockStorageInstanceList",
                           [("serverInstanceNo", srv), ("blockStorageTypeCodeList.1", "SVRBS")])
        self.assertEqual([d["blockStorageInstanceNo"] for d in disks], [no])
        # the server's deletion: detach (attached -> detached only), op NULL, terminate
        self.ok(self.c, "vserver", "stopServerInstances", [("serverInstanceNoList.1", srv)])
        self.wait(lambda: self.server_state(self.c, srv), ("NSTOP", "NULL"), (("RUN", "SHTDN"),))
        self.ok(self.c, "vserver", "detachBlockStorageInstances",
                [("blockStorageInstanceNoList.1", no)])
        self.wait(lambda: self.bs_name(no), "detached", ("attached", "detaching"))
        self.terminate(self.c, srv)
        self.assertEqual(self.bs_name(no), "detached")
        self.ok(self.c, "vserver", "deleteBlockStorageInstances",
                [("blockStorageInstanceNoList.1", no)])

    def test_additional_disk_follows_a_terminated_server(self):
        srv = self.make_server(self.c, self.v, self.pub, image=[
            ("serverImageProductCode", XEN_IMAGE), ("serverProductCode", XEN_PRODUCT)])
        b = self.one(self.c, "vserver", "createBlockStorageInstance", [
            ("blockStorageSize", "50"), ("serverInstanceNo", srv)])
        self.assertEqual((b["hypervisorType"]["code"], b["blockStorageVolumeType"]["code"]),
                         ("XEN", "SSD"))
        no = b["blockStorageInstanceNo"]
        self.wait(lambda: self.bs_name(no), "attached", ("initialized",))
        self.fails(self.c, "vserver", "changeBlockStorageInstance",
                   [("blockStorageInstanceNo", no), ("blockStorageSize", "60")], 1100000,
                   invalid("blockStorageInstanceNo (a XEN volume: changeBlockStorageVolumeSize)"))
        self.ok(self.c, "vserver", "changeBlockStorageVolumeSize",
                [("blockStorageInstanceNo", no), ("blockStorageSize", "60")])
        self.assertEqual(self.bs(no)["blockStorageInstanceStatusName"], "changingSpec")
        self.wait(lambda: self.bs_name(no), "attached", ("changingSpec",))
        self.terminate(self.c, srv)
        got = self.bs(no)
        self.assertEqual((got["blockStorageInstanceStatusName"], got["serverInstanceNo"],
                          got["blockStorageSize"]), ("detached", "", 60 * GiB))

    def test_block_storage_errors(self):
        srv = self.make_server(self.c, self.v, self.pub)
        basic = self.one(self.c, "vserver", "getBlockStorageInstanceList",
                         [("serverInstanceNo", srv)])["blockStorageInstanceNo"]
        free = self.one(self.c, "vserver", "createBlockStorageInstance",
                        [("blockStorageSize", "10"), ("zoneCode", "KR-1")])["blockStorageInstanceNo"]
        self.wait(lambda: self.bs_name(free), "detached", ("initialized",))
        L = "blockStorageInstanceNoList"
        cases = [
            ("createBlockStorageInstance", [], 900, required("blockStorageSize")),
            ("createBlockStorageInstance", [("blockStorageSize", "9")], 1100000,
             invalid("blockStorageSize")),
            ("createBlockStorageInstance", [("blockStorageSize", "10"), ("blockStorageName", "1x")],
             1100000, invalid("blockStorageName")),
            ("createBlockStorageInstance", [("blockStorageSize", "10"),
                                            ("blockStorageSnapshotInstanceNo", "5")], 1100000,
             invalid("blockStorageSnapshotInstanceNo (no snapshot exists: not supported by this "
                     "ncpd)")),
            ("createBlockStorageInstance", [("blockStorageSize", "10"), ("serverInstanceNo", srv),
                                            ("zoneCode", "KR-1")], 1100000,
             invalid("zoneCode (not the server's zone)")),
            ("createBlockStorageInstance", [("blockStorageSize", "10"), ("serverInstanceNo", srv),
                                            ("blockStorageVolumeTypeCode", "SSD")], 1100000,
             invalid("blockStorageVolumeTypeCode")),
            ("createBlockStorageInstance", [("blockStorageSize", "10"),
                                            ("serverInstanceNo", "999999")], 24120, MSG["24120"]),
            ("createBlockStorageInstance", [("blockStorageSize", "10"), ("zoneCode", "KR-9")],
             1100000, invalid("zoneCode")),
            ("createBlockStorageInstance", [("blockStorageSize", "2001"),
                                            ("blockStorageVolumeTypeCode", "HDD")], 1100000,
             invalid("blockStorageSize")),
            ("attachBlockStorageInstance", [("blockStorageInstanceNo", free),
                                            ("serverInstanceNo", srv)], 1100000,
             invalid("blockStorageInstanceNo (the block storage is in another zone)")),
            ("attachBlockStorageInstance", [("blockStorageInstanceNo", basic),
                                            ("serverInstanceNo", srv)], 1100000,
             invalid("blockStorageInstanceNo (the block storage is not detached)")),
            ("attachBlockStorageInstance", [("blockStorageInstanceNo", "999999"),
                                            ("serverInstanceNo", srv)], 1100000,
             invalid("blockStorageInstanceNo")),
            ("detachBlockStorageInstances", [(L + ".1", basic)], 1100000,
             invalid(L + " (a basic storage goes only with its server)")),
            ("detachBlockStorageInstances", [(L + ".1", free)], 1100000,
             invalid(L + " (not attached)")),
            ("detachBlockStorageInstances", [(L + ".1", free), (L + ".2", free)], 1100000,
             invalid(L + " (duplicated)")),
            ("deleteBlockStorageInstances", [(L + ".1", basic)], 1100000,
             invalid(L + " (a basic storage goes only with its server)")),
            ("deleteBlockStorageInstances", [(L + ".1", "999999")], 1100000, invalid(L)),
            ("changeBlockStorageVolumeSize", [("blockStorageInstanceNo", free),
                                              ("blockStorageSize", "20")], 1100000,
             invalid("blockStorageInstanceNo (not a XEN volume: changeBlockStorageInstance)")),
            ("changeBlockStorageInstance", [("blockStorageInstanceNo", free),
                                            ("blockStorageSize", "10")], 1100000,
             invalid("blockStorageSize (a volume only grows)")),
            ("changeBlockStorageInstance", [("blockStorageInstanceNo", basic),
                                            ("blockStorageSize", "20")], 1100000,
             invalid("blockStorageInstanceNo (a basic storage keeps its size)")),
            ("setBlockStorageReturnProtection", [("blockStorageInstanceNo", free)], 900,
             required("isReturnProtection")),
        ]
        for fmt in FORMATS:
            for action, p, code, msg in cases:
                with self.subTest(fmt=fmt, action=action, msg=msg):
                    self.fails(self.c, "vserver", action, p, code, msg, fmt)
            self.assertEqual(self.items(self.c, "vserver", "getBlockStorageInstanceDetail",
                                        [("blockStorageInstanceNo", "999999")], fmt=fmt), [])
        # a volume in an operation: no other
        self.ok(self.c, "vserver", "changeBlockStorageInstance",
                [("blockStorageInstanceNo", free), ("blockStorageSize", "30")])
        self.fails(self.c, "vserver", "deleteBlockStorageInstances", [(L + ".1", free)], 1100000,
                   invalid(L + " (the volume is being resized)"))
        self.fails(self.c, "vserver", "changeBlockStorageInstance",
                   [("blockStorageInstanceNo", free), ("blockStorageSize", "40")], 1100000,
                   invalid("blockStorageInstanceNo (the volume is in an operation)"))
        # a server in a transition takes no volume
        self.ok(self.c, "vserver", "stopServerInstances", [("serverInstanceNoList.1", srv)])
        self.fails(self.c, "vserver", "createBlockStorageInstance",
                   [("blockStorageSize", "10"), ("serverInstanceNo", srv)], 25041, MSG["25041"])

    def test_block_storage_list_filters(self):
        srv = self.make_server(self.c, self.v, self.pub, extra=[("serverName", "bs-list-srv")])
        extra = self.one(self.c, "vserver", "createBlockStorageInstance", [
            ("blockStorageSize", "20"), ("serverInstanceNo", srv), ("blockStorageName", "bs-b")])
        basic = [d for d in self.items(self.c, "vserver", "getBlockStorageInstanceList",
                                       [("serverInstanceNo", srv)])
                 if d["blockStorageType"]["code"] == "BASIC"][0]
        for params, want in (
                ([("serverName", "bs-list-srv")], [basic["blockStorageInstanceNo"],
                                                   extra["blockStorageInstanceNo"]]),
                ([("blockStorageName", "bs-b")], [extra["blockStorageInstanceNo"]]),
                ([("serverInstanceNo", srv), ("blockStorageSize", "20")],
                 [extra["blockStorageInstanceNo"]]),
                ([("serverInstanceNo", srv), ("connectionInfo", "/dev/xvda")],
                 [basic["blockStorageInstanceNo"]]),
                ([("serverInstanceNo", srv), ("blockStorageTypeCodeList.1", "BASIC")],
                 [basic["blockStorageInstanceNo"]]),
                ([("serverInstanceNo", srv), ("hypervisorTypeCodeList.1", "XEN")], []),
                ([("blockStorageInstanceNoList.1", extra["blockStorageInstanceNo"])],
                 [extra["blockStorageInstanceNo"]])):
            got = self.items(self.c, "vserver", "getBlockStorageInstanceList", params)
            self.assertEqual([d["blockStorageInstanceNo"] for d in got], want, params)
        page = self.ok(self.c, "vserver", "getBlockStorageInstanceList",
                       [("serverInstanceNo", srv), ("pageNo", "2"), ("pageSize", "1")])
        self.assertEqual((page["totalRows"], len(page["blockStorageInstanceList"])), (2, 1))


class PublicIpTest(NetworkCase):

    def test_public_ip_provider_sequence(self):
        """ncloud_public_ip: created with a server (INIT/CREAT -> RUN/NULL), read,
        disassociated (RUN/SET -> RUN/NULL, server cleared), associated again, deleted."""
        srv = self.make_server(self.c, self.v, self.pub, extra=[("serverName", "pip-srv")])
        ip0 = self.one(self.c, "vserver", "getNetworkInterfaceDetail",
                       [("networkInterfaceNo", self.server(self.c, srv)["networkInterfaceNoList"][0])])["ip"]
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                p = self.one(self.c, "vserver", "createPublicIpInstance",
                             [("serverInstanceNo", srv), ("publicIpDescription", "web")], fmt=fmt)
                self.assertEqual(list(p), PIP_FIELDS)
                self.assertEqual((p["publicIpInstanceStatus"]["code"],
                                  p["publicIpInstanceOperation"]["code"],
                                  p["publicIpInstanceStatusName"], p["serverInstanceNo"],
                                  p["serverName"], p["privateIp"]),
                                 ("INIT", "CREAT", "creating", srv, "pip-srv", ip0))
                no = p["publicIpInstanceNo"]
                log = self.wait(lambda: self.pip_state(no), ("RUN", "NULL"), (("INIT", "CREAT"),))
                self.assertEqual(log.seen, [("INIT", "CREAT"), ("RUN", "NULL")])
                s = self.server(self.c, srv)
                self.assertEqual((s["publicIpInstanceNo"], s["publicIp"]), (no, p["publicIp"]))
                self.both(self.c, "vserver", "getPublicIpInstanceList",
                          [("publicIpInstanceNoList.1", no)])
                self.fails(self.c, "vserver", "createPublicIpInstance",
                           [("serverInstanceNo", srv)], 1100000,
                           invalid("serverInstanceNo (the server has a public IP already)"), fmt)
                d = self.one(self.c, "vserver", "disassociatePublicIpFromServerInstance",
                             [("publicIpInstanceNo", no)], fmt=fmt)
                self.assertEqual((d["publicIpInstanceOperation"]["code"], d["serverInstanceNo"]),
                                 ("SET", ""))
                self.fails(self.c, "vserver", "associatePublicIpWithServerInstance",
                           [("publicIpInstanceNo", no), ("serverInstanceNo", srv)], 1003016,
                           MSG["1003016"], fmt)
                self.wait(lambda: self.pip(no)["publicIpInstanceOperation"]["code"], "NULL",
                          ("SET",))
                self.assertEqual(self.server(self.c, srv)["publicIp"], "")
                self.ok(self.c, "vserver", "associatePublicIpWithServerInstance",
                        [("publicIpInstanceNo", no), ("serverInstanceNo", srv)], fmt=fmt)
                self.wait(lambda: self.pip(no)["publicIpInstanceOperation"]["code"], "NULL",
                          ("SET",))
                self.assertEqual(self.pip(no)["serverInstanceNo"], srv)
                self.fails(self.c, "vserver", "deletePublicIpInstance",
                           [("publicIpInstanceNo", no)], 1100000,
                           invalid("publicIpInstanceNo (associated with a server)"), fmt)
                self.ok(self.c, "vserver", "disassociatePublicIpFromServerInstance",
                        [("serverInstanceNo", srv)])
                self.wait(lambda: self.pip(no)["publicIpInstanceOperation"]["code"], "NULL",
                          ("SET",))
                d = self.one(self.c, "vserver", "deletePublicIpInstance",
                             [("publicIpInstanceNo", no)], fmt=fmt)
                self.assertEqual(d["publicIpInstanceOperation"]["code"], "TERMT")
                self.assertIsNone(self.pip(no))

    def test_public_ip_errors_and_filters(self):
        srv = self.make_server(self.c, self.v, self.pub, extra=[("serverName", "pip-two")])
        inner = self.make_server(self.c, self.v, self.prv)
        free = self.one(self.c, "vserver", "createPublicIpInstance", [])["publicIpInstanceNo"]
        self.wait(lambda: self.pip(free)["publicIpInstanceOperation"]["code"], "NULL", ("CREAT",))
        taken = self.one(self.c, "vserver", "createPublicIpInstance",
                         [("serverInstanceNo", srv)])["publicIpInstanceNo"]
        # still being created (one step): busy, which clients retry
        self.fails(self.c, "vserver", "deletePublicIpInstance", [("publicIpInstanceNo", taken)],
                   1003016, MSG["1003016"])
        cases = [
            ("createPublicIpInstance", [("serverInstanceNo", inner)], 1100000,
             invalid("serverInstanceNo (the server is in a private subnet)")),
            ("createPublicIpInstance", [("publicIpDescription", "é" * 501)], 1100000,
             invalid("publicIpDescription")),
            ("associatePublicIpWithServerInstance", [("publicIpInstanceNo", free),
                                                     ("serverInstanceNo", srv)], 1100000,
             invalid("serverInstanceNo (the server has a public IP already)")),
            ("associatePublicIpWithServerInstance", [("publicIpInstanceNo", "999999"),
                                                     ("serverInstanceNo", srv)], 1100000,
             invalid("publicIpInstanceNo")),
            ("associatePublicIpWithServerInstance", [("publicIpInstanceNo", free)], 900,
             required("serverInstanceNo")),
            ("disassociatePublicIpFromServerInstance", [], 900, required("publicIpInstanceNo")),
            ("disassociatePublicIpFromServerInstance", [("publicIpInstanceNo", free)], 1100000,
             invalid("publicIpInstanceNo (not associated)")),
            ("disassociatePublicIpFromServerInstance", [("serverInstanceNo", inner)], 1100000,
             invalid("serverInstanceNo (the server has no public IP)")),
            ("deletePublicIpInstance", [("publicIpInstanceNo", "999999")], 1100000,
             invalid("publicIpInstanceNo")),
            ("deletePublicIpInstance", [("publicIpInstanceNo", srv)], 1100000,
             invalid("publicIpInstanceNo")),
        ]
        for fmt in FORMATS:
            for action, p, code, msg in cases:
                with self.subTest(fmt=fmt, action=action, msg=msg):
                    self.fails(self.c, "vserver", action, p, code, msg, fmt)
        self.wait(lambda: self.pip(taken)["publicIpInstanceOperation"]["code"], "NULL", ("CREAT",))
        self.fails(self.c, "vserver", "disassociatePublicIpFromServerInstance",
                   [("publicIpInstanceNo", taken), ("serverInstanceNo", inner)], 1100000,
                   invalid("serverInstanceNo (not the server of the public IP)"))
        everything = [p["publicIpInstanceNo"] for p in self.items(
            self.c, "vserver", "getPublicIpInstanceList", [])]
        self.assertIn(free, everything)
        self.assertIn(taken, everything)
        for params, want in (([("isAssociated", "false"), ("publicIpInstanceNoList.1", free),
                               ("publicIpInstanceNoList.2", taken)], [free]),
                             ([("serverName", "pip-two")], [taken]),
                             ([("vpcNo", self.v["vpc"]), ("publicIpInstanceNoList.1", taken)],
                              [taken]),
                             ([("vpcNo", self.w["vpc"])], []),
                             ([("publicIp", self.pip(free)["publicIp"])], [free])):
            got = self.items(self.c, "vserver", "getPublicIpInstanceList", params)
            self.assertEqual([p["publicIpInstanceNo"] for p in got], want, params)
        # a terminated server's public IP stays, free (spec/vpc/vserver.md §3.4)
        self.terminate(self.c, srv)
        got = self.pip(taken)
        self.assertEqual((got["serverInstanceNo"], got["publicIpInstanceOperation"]["code"]),
                         ("", "NULL"))


if __name__ == "__main__":
    unittest.main()

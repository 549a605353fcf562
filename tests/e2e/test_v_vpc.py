"""The /vpc/v2 API (spec/vpc/vpc.md): VPCs with their default network ACL, ACG and
route tables, subnets, network ACLs, route tables. The provider's call sequences of
ncloud_vpc, ncloud_subnet and ncloud_network_acl through every state they wait for,
in JSON and XML; every error of these actions with its message; the dependency
rules; empty values as absent parameters."""

import unittest

import ncpd_harness as H
from vpc_util import FORMATS, KVM_IMAGE_NO, MSG, VpcCase, invalid, required, unsupported


class VpcTest(VpcCase):

    def test_vpc_provider_sequence(self):
        """ncloud_vpc: createVpc (vpcName= empty), getVpcDetail INIT/CREATING -> RUN,
        the four defaults, read, deleteVpc, RUN/TERMTING -> empty list."""
        for fmt, cidr in (("json", "10.4.0.0/16"), ("xml", "172.16.0.0/16")):
            with self.subTest(fmt=fmt):
                v = self.one(self.c, "vpc", "createVpc",
                             [("ipv4CidrBlock", cidr), ("vpcName", "")], fmt=fmt)
                self.assertEqual(list(v), ["vpcNo", "vpcName", "ipv4CidrBlock", "vpcStatus",
                                           "regionCode", "createDate"])
                self.assertEqual(v["vpcStatus"], {"code": "INIT", "codeName": "init"})
                self.assertRegex(v["vpcName"], r"^vpc-[0-9a-f]+$")
                self.assertEqual((v["ipv4CidrBlock"], v["regionCode"]), (cidr, "KR"))
                self.assertRegex(v["createDate"], H.DATE_RE)
                no = v["vpcNo"]
                log = self.wait(lambda: self.vpc_state(self.c, no), "RUN", ("INIT", "CREATING"))
                self.assertEqual(log.seen, ["INIT", "CREATING", "RUN"])
                got = self.both(self.c, "vpc", "getVpcDetail", [("vpcNo", no)])
                self.assertEqual(got["totalRows"], 1)
                name = v["vpcName"]
                nacls = self.both(self.c, "vpc", "getNetworkAclList",
                                  [("vpcNo", no)])["networkAclList"]
                self.assertEqual(len(nacls), 1)
                self.assertEqual((nacls[0]["isDefault"], nacls[0]["networkAclName"],
                                  nacls[0]["networkAclDescription"], nacls[0]["networkAclStatus"]),
                                 (True, name + "-default-network-acl",
                                  "VPC [%s] default Network ACL" % name,
                                  {"code": "RUN", "codeName": "run"}))
                acgs = self.both(self.c, "vserver", "getAccessControlGroupList",
                                 [("vpcNo", no)])["accessControlGroupList"]
                self.assertEqual([(g["isDefault"], g["accessControlGroupName"]) for g in acgs],
                                 [(True, name + "-default-acg")])
                self.assertEqual(list(acgs[0]), ["accessControlGroupNo", "accessControlGroupName",
                                                 "isDefault", "vpcNo", "accessControlGroupStatus",
                                                 "accessControlGroupDescription"])
                rts = self.both(self.c, "vpc", "getRouteTableList", [("vpcNo", no)])
                self.assertEqual(rts["totalRows"], 2)
                self.assertEqual(
                    sorted((t["supportedSubnetType"]["code"], t["isDefault"], t["routeTableName"],
                            t["routeTableStatus"]["code"]) for t in rts["routeTableList"]),
                    [("PRIVATE", True, name + "-default-private-table", "RUN"),
                     ("PUBLIC", True, name + "-default-public-table", "RUN")])
                self.assertEqual(list(rts["routeTableList"][0]), [
                    "routeTableNo", "routeTableName", "regionCode", "vpcNo", "supportedSubnetType",
                    "isDefault", "routeTableStatus", "routeTableDescription"])
                d = self.one(self.c, "vpc", "deleteVpc", [("vpcNo", no)], fmt=fmt)
                self.assertEqual(d["vpcStatus"]["code"], "TERMTING")
                log = self.wait(lambda: self.vpc_state(self.c, no), None, ("RUN", "TERMTING"))
                self.assertEqual(log.seen, ["TERMTING", None])
                self.assertEqual(self.ok(self.c, "vpc", "getVpcDetail", [("vpcNo", no)],
                                         fmt=fmt)["totalRows"], 0 if fmt == "json" else "0")
                # its default objects went with it
                self.assertEqual(self.items(self.c, "vpc", "getNetworkAclList", [("vpcNo", no)]),
                                 [])
                self.assertEqual(self.items(self.c, "vserver", "getAccessControlGroupList",
                                            [("vpcNo", no)]), [])
                self.assertEqual(self.items(self.c, "vpc", "getRouteTableList",
                                            [("vpcNo", no)]), [])

    def test_vpc_errors(self):
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                self.fails(self.c, "vpc", "createVpc", [], 900, required("ipv4CidrBlock"), fmt)
                self.fails(self.c, "vpc", "createVpc", [("ipv4CidrBlock", "")], 900,
                           required("ipv4CidrBlock"), fmt)
                for bad in ("10.0.0.0", "10.0.0.1/16", "8.8.0.0/16", "10.0.0.0/8",
                            "10.0.0.0/29", "10.0.0.0/33", "010.0.0.0/16", "192.169.0.0/16",
                            "172.32.0.0/16", "10.0.0.0/16 ", "10.0.0.0/016"):
                    self.fails(self.c, "vpc", "createVpc", [("ipv4CidrBlock", bad)], 1100000,
                               invalid("ipv4CidrBlock"), fmt)
                for bad in ("ab", "Abc", "1abc", "abc-", "ab_c", "a" * 31):
                    self.fails(self.c, "vpc", "createVpc",
                               [("ipv4CidrBlock", "10.1.0.0/16"), ("vpcName", bad)], 1100000,
                               invalid("vpcName"), fmt)
                self.fails(self.c, "vpc", "createVpc",
                           [("ipv4CidrBlock", "10.1.0.0/16"), ("regionCode", "XX")], 1100000,
                           invalid("regionCode"), fmt)
                self.fails(self.c, "vpc", "createVpc",
                           [("ipv4CidrBlock", "10.1.0.0/16"), ("vpcNumber", "1")], 1100000,
                           invalid("vpcNumber"), fmt)
                for action in ("getVpcDetail", "deleteVpc"):
                    self.fails(self.c, "vpc", action, [], 900, required("vpcNo"), fmt)
                    self.fails(self.c, "vpc", action, [("vpcNo", "12a")], 1100000,
                               invalid("vpcNo"), fmt)
                self.fails(self.c, "vpc", "deleteVpc", [("vpcNo", "999999")], 1100000,
                           invalid("vpcNo"), fmt)
                self.assertEqual(self.items(self.c, "vpc", "getVpcDetail",
                                            [("vpcNo", "999999")], fmt=fmt), [])
        name = self.uniq("dup")
        self.make_vpc(self.c, "10.9.0.0/16", name=name)
        self.fails(self.c, "vpc", "createVpc",
                   [("ipv4CidrBlock", "10.10.0.0/16"), ("vpcName", name)], 1100000,
                   invalid("vpcName is duplicated."))
        # a VPC not yet RUN is busy (1001015, which the provider retries); one being
        # deleted is refused for good
        v = self.one(self.c, "vpc", "createVpc", [("ipv4CidrBlock", "10.11.0.0/16")])
        self.fails(self.c, "vpc", "deleteVpc", [("vpcNo", v["vpcNo"])], 1001015, MSG["1001015"])
        self.wait(lambda: self.vpc_state(self.c, v["vpcNo"]), "RUN", ("INIT", "CREATING"))
        self.ok(self.c, "vpc", "deleteVpc", [("vpcNo", v["vpcNo"])])
        self.fails(self.c, "vpc", "deleteVpc", [("vpcNo", v["vpcNo"])], 1100000,
                   invalid("vpcNo (the VPC is being deleted)"))

    def test_subnet_provider_sequence(self):
        """ncloud_subnet: getSubnetDetail INIT/CREATING -> RUN, the fields it reads, the
        network ACL update (SET -> RUN), deleteSubnet RUN/TERMTING -> empty list."""
        v = self.make_vpc(self.c, "10.5.0.0/16")
        nacl2 = self.one(self.c, "vpc", "createNetworkAcl", [("vpcNo", v["vpc"])])
        self.wait(lambda: self.nacl_state(self.c, nacl2["networkAclNo"]), "RUN", ("INIT",))
        for fmt, cidr in (("json", "10.5.0.0/24"), ("xml", "10.5.1.0/24")):
            with self.subTest(fmt=fmt):
                s = self.one(self.c, "vpc", "createSubnet", [
                    ("regionCode", "KR"), ("subnet", cidr), ("subnetTypeCode", "PUBLIC"),
                    ("usageTypeCode", ""), ("networkAclNo", v["nacl"]), ("vpcNo", v["vpc"]),
                    ("zoneCode", "KR-2"), ("subnetName", "")], fmt=fmt)
                self.assertEqual(list(s), ["subnetNo", "vpcNo", "zoneCode", "subnetName", "subnet",
                                           "subnetStatus", "createDate", "subnetType", "usageType",
                                           "networkAclNo"])
                self.assertEqual((s["subnetStatus"]["code"], s["subnetType"], s["usageType"],
                                  s["subnet"], s["zoneCode"], s["networkAclNo"]),
                                 ("CREATING", {"code": "PUBLIC", "codeName": "Public"},
                                  {"code": "GEN", "codeName": "General"}, cidr, "KR-2", v["nacl"]))
                self.assertRegex(s["subnetName"], r"^subnet-[0-9a-f]+$")
                no = s["subnetNo"]
                log = self.wait(lambda: self.subnet_state(self.c, no), "RUN", ("INIT", "CREATING"))
                self.assertEqual(log.seen, ["CREATING", "RUN"])
                self.both(self.c, "vpc", "getSubnetDetail", [("subnetNo", no)])
                # update: another network ACL of the VPC
                n = self.one(self.c, "vpc", "setSubnetNetworkAcl",
                             [("networkAclNo", nacl2["networkAclNo"]), ("subnetNo", no)], fmt=fmt)
                self.assertEqual(n["networkAclStatus"]["code"], "SET")
                log = self.wait(lambda: self.nacl_state(self.c, nacl2["networkAclNo"]), "RUN",
                                ("SET",))
                self.assertEqual(self.one(self.c, "vpc", "getSubnetDetail",
                                          [("subnetNo", no)])["networkAclNo"],
                                 nacl2["networkAclNo"])
                d = self.one(self.c, "vpc", "deleteSubnet", [("subnetNo", no)], fmt=fmt)
                self.assertEqual(d["subnetStatus"]["code"], "TERMTING")
                log = self.wait(lambda: self.subnet_state(self.c, no), None, ("RUN", "TERMTING"))
                self.assertEqual(log.seen, ["TERMTING", None])
        # names, usage types and the private type given
        no = self.make_subnet(self.c, v, "10.5.9.0/28", kind="PRIVATE", name="lb-net",
                              usage="LOADB", zone="KR-1")
        s = self.one(self.c, "vpc", "getSubnetDetail", [("subnetNo", no)])
        self.assertEqual((s["subnetName"], s["subnetType"]["code"], s["usageType"],
                          s["zoneCode"]),
                         ("lb-net", "PRIVATE", {"code": "LOADB", "codeName": "LoadBalancer Only"},
                          "KR-1"))

    def test_subnet_errors(self):
        v = self.make_vpc(self.c, "10.6.0.0/16")
        other = self.make_vpc(self.c, "10.7.0.0/16")
        self.make_subnet(self.c, v, "10.6.1.0/24", name="taken")
        base = [("vpcNo", v["vpc"]), ("zoneCode", "KR-2"), ("networkAclNo", v["nacl"]),
                ("subnetTypeCode", "PUBLIC")]

        def with_(subnet, **kw):
            d = dict(base)
            d.update(kw)
            return list(d.items()) + [("subnet", subnet)]
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                for miss in ("zoneCode", "vpcNo", "subnet", "networkAclNo", "subnetTypeCode"):
                    params = [p for p in with_("10.6.2.0/24") if p[0] != miss]
                    self.fails(self.c, "vpc", "createSubnet", params, 900, required(miss), fmt)
                for bad in ("10.6.2.0", "10.6.2.1/24", "10.6.0.0/15", "10.6.2.0/29",
                            "10.8.0.0/24", "192.168.0.0/24"):
                    self.fails(self.c, "vpc", "createSubnet", with_(bad), 1100000,
                               invalid("subnet"), fmt)
                for overlap in ("10.6.1.0/24", "10.6.1.128/25", "10.6.0.0/16"):
                    self.fails(self.c, "vpc", "createSubnet", with_(overlap), 1001007,
                               MSG["1001007"], fmt)
                self.fails(self.c, "vpc", "createSubnet", with_("10.6.2.0/24", zoneCode="KR-9"),
                           1100000, invalid("zoneCode"), fmt)
                self.fails(self.c, "vpc", "createSubnet", with_("10.6.2.0/24", vpcNo="999999"),
                           1100000, invalid("vpcNo"), fmt)
                self.fails(self.c, "vpc", "createSubnet",
                           with_("10.6.2.0/24", networkAclNo=other["nacl"]), 1100000,
                           invalid("networkAclNo"), fmt)
                self.fails(self.c, "vpc", "createSubnet",
                           with_("10.6.2.0/24", subnetTypeCode="DMZ"), 1100000,
                           invalid("subnetTypeCode"), fmt)
                self.fails(self.c, "vpc", "createSubnet",
                           with_("10.6.2.0/24", usageTypeCode="WEB"), 1100000,
                           invalid("usageTypeCode"), fmt)
                self.fails(self.c, "vpc", "createSubnet",
                           with_("10.6.2.0/24", subnetName="Bad Name"), 1100000,
                           invalid("subnetName"), fmt)
                self.fails(self.c, "vpc", "createSubnet",
                           with_("10.6.2.0/24", subnetName="taken"), 1100000,
                           invalid("subnetName is duplicated."), fmt)
                for action in ("getSubnetDetail", "deleteSubnet"):
                    self.fails(self.c, "vpc", action, [], 900, required("subnetNo"), fmt)
                self.assertEqual(self.items(self.c, "vpc", "getSubnetDetail",
                                            [("subnetNo", "999999")], fmt=fmt), [])
                self.fails(self.c, "vpc", "deleteSubnet", [("subnetNo", "999999")], 1100000,
                           invalid("subnetNo"), fmt)
        # a VPC that is not RUN yet: 1001015
        young = self.one(self.c, "vpc", "createVpc", [("ipv4CidrBlock", "10.8.0.0/16")])
        self.fails(self.c, "vpc", "createSubnet",
                   with_("10.8.1.0/24", vpcNo=young["vpcNo"]), 1001015, MSG["1001015"])
        # a subnet that is not RUN yet cannot be deleted
        s = self.one(self.c, "vpc", "createSubnet", with_("10.6.3.0/24"))
        self.fails(self.c, "vpc", "deleteSubnet", [("subnetNo", s["subnetNo"])], 1100000,
                   invalid("subnetNo (the subnet is CREATING, not RUN)"))

    def test_network_acl_provider_sequence(self):
        """ncloud_network_acl: create INIT -> RUN, read, description update, delete
        RUN/TERMTING -> empty list."""
        v = self.make_vpc(self.c, "10.12.0.0/16")
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                n = self.one(self.c, "vpc", "createNetworkAcl",
                             [("vpcNo", v["vpc"]), ("networkAclName", "acl-" + fmt),
                              ("networkAclDescription", "first")], fmt=fmt)
                self.assertEqual(list(n), ["networkAclNo", "networkAclName", "vpcNo",
                                           "networkAclStatus", "networkAclDescription",
                                           "createDate", "isDefault"])
                self.assertEqual((n["networkAclStatus"]["code"], n["isDefault"]),
                                 ("INIT", False if fmt == "json" else "false"))
                no = n["networkAclNo"]
                log = self.wait(lambda: self.nacl_state(self.c, no), "RUN", ("INIT", "CREATING"))
                self.assertEqual(log.seen, ["INIT", "RUN"])
                got = self.both(self.c, "vpc", "getNetworkAclDetail", [("networkAclNo", no)])
                self.assertEqual(got["networkAclList"][0]["networkAclDescription"], "first")
                u = self.one(self.c, "vpc", "setNetworkAclDescription",
                             [("networkAclNo", no), ("networkAclDescription", "second")], fmt=fmt)
                self.assertEqual((u["networkAclDescription"], u["networkAclStatus"]["code"]),
                                 ("second", "RUN"))
                # an empty description clears it
                u = self.one(self.c, "vpc", "setNetworkAclDescription",
                             [("networkAclNo", no), ("networkAclDescription", "")], fmt=fmt)
                self.assertEqual(u["networkAclDescription"], "")
                d = self.one(self.c, "vpc", "deleteNetworkAcl", [("networkAclNo", no)], fmt=fmt)
                self.assertEqual(d["networkAclStatus"]["code"], "TERMTING")
                log = self.wait(lambda: self.nacl_state(self.c, no), None, ("RUN", "TERMTING"))
                self.assertEqual(log.seen, ["TERMTING", None])
        lst = self.both(self.c, "vpc", "getNetworkAclList", [("vpcNo", v["vpc"])])
        self.assertEqual([n["networkAclNo"] for n in lst["networkAclList"]], [v["nacl"]])

    def test_network_acl_lists_and_errors(self):
        v = self.make_vpc(self.c, "10.13.0.0/16")
        other = self.make_vpc(self.c, "10.14.0.0/16")
        nos = []
        for i in range(3):
            n = self.one(self.c, "vpc", "createNetworkAcl",
                         [("vpcNo", v["vpc"]), ("networkAclName", "n%d-acl" % i)])
            nos.append(n["networkAclNo"])
        # a network ACL that is not RUN yet
        self.fails(self.c, "vpc", "deleteNetworkAcl", [("networkAclNo", nos[0])], 1100000,
                   invalid("networkAclNo (the network ACL is INIT, not RUN)"))
        for no in nos:
            self.wait(lambda: self.nacl_state(self.c, no), "RUN", ("INIT",))
        everything = self.items(self.c, "vpc", "getNetworkAclList", [("vpcNo", v["vpc"])])
        self.assertEqual([n["networkAclNo"] for n in everything], [v["nacl"]] + nos)
        self.assertEqual([n["networkAclNo"] for n in self.items(
            self.c, "vpc", "getNetworkAclList", [("networkAclName", "n1-acl")])], [nos[1]])
        self.assertEqual([n["networkAclNo"] for n in self.items(
            self.c, "vpc", "getNetworkAclList",
            [("networkAclNoList.1", nos[2]), ("networkAclNoList.2", other["nacl"])])],
            [other["nacl"], nos[2]])
        page = self.ok(self.c, "vpc", "getNetworkAclList",
                       [("vpcNo", v["vpc"]), ("pageNo", "2"), ("pageSize", "3")])
        self.assertEqual((page["totalRows"], [n["networkAclNo"] for n in page["networkAclList"]]),
                         (4, [nos[2]]))
        self.assertEqual(self.items(self.c, "vpc", "getNetworkAclList",
                                    [("vpcNo", v["vpc"]), ("networkAclStatusCode", "SET")]), [])
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                self.fails(self.c, "vpc", "createNetworkAcl", [], 900, required("vpcNo"), fmt)
                self.fails(self.c, "vpc", "createNetworkAcl", [("vpcNo", "999999")], 1100000,
                           invalid("vpcNo"), fmt)
                self.fails(self.c, "vpc", "createNetworkAcl",
                           [("vpcNo", v["vpc"]), ("networkAclName", "n1-acl")], 1100000,
                           invalid("networkAclName is duplicated."), fmt)
                self.fails(self.c, "vpc", "createNetworkAcl",
                           [("vpcNo", v["vpc"]), ("networkAclName", "N1")], 1100000,
                           invalid("networkAclName"), fmt)
                # 1000 bytes at most: 501 two-byte characters are 1002 bytes
                self.fails(self.c, "vpc", "createNetworkAcl",
                           [("vpcNo", v["vpc"]), ("networkAclDescription", "é" * 501)], 1100000,
                           invalid("networkAclDescription"), fmt)
                self.fails(self.c, "vpc", "setNetworkAclDescription",
                           [("networkAclNo", nos[0]), ("networkAclDescription", "é" * 501)],
                           1100000, invalid("networkAclDescription"), fmt)
                for action in ("getNetworkAclDetail", "deleteNetworkAcl",
                               "setNetworkAclDescription"):
                    self.fails(self.c, "vpc", action, [], 900, required("networkAclNo"), fmt)
                for action in ("deleteNetworkAcl", "setNetworkAclDescription"):
                    self.fails(self.c, "vpc", action, [("networkAclNo", "999999")], 1100000,
                               invalid("networkAclNo"), fmt)
                self.fails(self.c, "vpc", "deleteNetworkAcl", [("networkAclNo", v["nacl"])],
                           1100000, invalid("The default network ACL cannot be deleted."), fmt)
                self.fails(self.c, "vpc", "setSubnetNetworkAcl", [("networkAclNo", nos[0])], 900,
                           required("subnetNo"), fmt)
        # applied to a subnet: refused until the subnet has another one
        sn = self.make_subnet(self.c, v, "10.13.1.0/24")
        self.ok(self.c, "vpc", "setSubnetNetworkAcl", [("networkAclNo", nos[0]), ("subnetNo", sn)])
        self.fails(self.c, "vpc", "setSubnetNetworkAcl",
                   [("networkAclNo", nos[0]), ("subnetNo", sn)], 1100000,
                   invalid("networkAclNo (the network ACL is SET, not RUN)"))
        self.wait(lambda: self.nacl_state(self.c, nos[0]), "RUN", ("SET",))
        self.fails(self.c, "vpc", "deleteNetworkAcl", [("networkAclNo", nos[0])], 1100000,
                   invalid("The network ACL is applied to a subnet."))
        self.fails(self.c, "vpc", "setSubnetNetworkAcl",
                   [("networkAclNo", other["nacl"]), ("subnetNo", sn)], 1100000,
                   invalid("networkAclNo (not a network ACL of the subnet's VPC)"))
        self.fails(self.c, "vpc", "setSubnetNetworkAcl",
                   [("networkAclNo", nos[0]), ("subnetNo", "999999")], 1100000,
                   invalid("subnetNo"))
        self.ok(self.c, "vpc", "setSubnetNetworkAcl", [("networkAclNo", v["nacl"]), ("subnetNo", sn)])
        self.wait(lambda: self.nacl_state(self.c, v["nacl"]), "RUN", ("SET",))
        self.ok(self.c, "vpc", "deleteNetworkAcl", [("networkAclNo", nos[0])])
        self.fails(self.c, "vpc", "setNetworkAclDescription", [("networkAclNo", nos[0])], 1100000,
                   invalid("networkAclNo (the network ACL is TERMTING, not RUN)"))

    def test_route_table_list(self):
        v = self.make_vpc(self.c, "10.15.0.0/16", name="rt-vpc")
        w = self.make_vpc(self.c, "10.16.0.0/16", name="rt-other")
        mine = [t["routeTableNo"] for t in self.items(self.c, "vpc", "getRouteTableList",
                                                      [("vpcNo", v["vpc"])])]
        self.assertEqual(mine, [v["public_rt"], v["private_rt"]])
        by_type = self.items(self.c, "vpc", "getRouteTableList",
                             [("vpcNo", v["vpc"]), ("supportedSubnetTypeCode", "PRIVATE")])
        self.assertEqual([t["routeTableNo"] for t in by_type], [v["private_rt"]])
        named = self.items(self.c, "vpc", "getRouteTableList",
                           [("routeTableName", "rt-other-default-public-table")])
        self.assertEqual([t["routeTableNo"] for t in named], [w["public_rt"]])
        desc = self.items(self.c, "vpc", "getRouteTableList",
                          [("routeTableNoList.1", v["public_rt"]),
                           ("routeTableNoList.2", w["private_rt"]),
                           ("sortedBy", "routeTableName"), ("sortingOrder", "descending")])
        self.assertEqual([t["routeTableName"] for t in desc],
                         ["rt-vpc-default-public-table", "rt-other-default-private-table"])
        self.fails(self.c, "vpc", "getRouteTableList", [("sortedBy", "size")], 1100000,
                   invalid("sortedBy"))

    def test_vpc_dependencies(self):
        """deleteVpc waits for its subnets, non-default network ACLs and ACGs; the
        defaults go with it; deleteSubnet waits for its interfaces."""
        v = self.make_vpc(self.c, "10.17.0.0/16")
        sn = self.make_subnet(self.c, v, "10.17.1.0/24")
        n = self.one(self.c, "vpc", "createNetworkAcl", [("vpcNo", v["vpc"])])["networkAclNo"]
        g = self.one(self.c, "vserver", "createAccessControlGroup",
                     [("vpcNo", v["vpc"])])["accessControlGroupNo"]
        nic = self.one(self.c, "vserver", "createNetworkInterface",
                       [("vpcNo", v["vpc"]), ("subnetNo", sn),
                        ("accessControlGroupNoList.1", g)])["networkInterfaceNo"]
        dep = invalid("VPC has dependent resources.")
        self.fails(self.c, "vpc", "deleteVpc", [("vpcNo", v["vpc"])], 1100000, dep)
        self.fails(self.c, "vpc", "deleteSubnet", [("subnetNo", sn)], 1100000,
                   invalid("Subnet has dependent resources."))
        self.fails(self.c, "vserver", "deleteAccessControlGroup",
                   [("vpcNo", v["vpc"]), ("accessControlGroupNo", g)], 1100000,
                   invalid("The ACG is in use by a network interface."))
        self.ok(self.c, "vserver", "deleteNetworkInterface", [("networkInterfaceNo", nic)])
        self.ok(self.c, "vpc", "deleteSubnet", [("subnetNo", sn)])
        self.fails(self.c, "vpc", "deleteVpc", [("vpcNo", v["vpc"])], 1100000, dep)
        self.wait(lambda: self.subnet_state(self.c, sn), None, ("TERMTING",))
        self.fails(self.c, "vpc", "deleteVpc", [("vpcNo", v["vpc"])], 1100000, dep)
        self.ok(self.c, "vpc", "deleteNetworkAcl", [("networkAclNo", n)])
        self.wait(lambda: self.nacl_state(self.c, n), None, ("TERMTING",))
        self.fails(self.c, "vpc", "deleteVpc", [("vpcNo", v["vpc"])], 1100000, dep)
        self.ok(self.c, "vserver", "deleteAccessControlGroup",
                [("vpcNo", v["vpc"]), ("accessControlGroupNo", g)])
        self.ok(self.c, "vpc", "deleteVpc", [("vpcNo", v["vpc"])])
        self.wait(lambda: self.vpc_state(self.c, v["vpc"]), None, ("TERMTING",))
        # the defaults' numbers are gone too
        self.assertEqual(self.items(self.c, "vpc", "getNetworkAclDetail",
                                    [("networkAclNo", v["nacl"])]), [])
        self.assertEqual(self.items(self.c, "vserver", "getAccessControlGroupDetail",
                                    [("accessControlGroupNo", v["acg"])]), [])

    def test_p2_actions_answer_not_supported(self):
        for api, action in (("vpc", "getVpcPeeringInstanceList"), ("vpc", "createNatGatewayInstance"),
                            ("vpc", "addNetworkAclInboundRule"), ("vserver", "getInitScriptList"),
                            ("vserver", "interruptServerInstance"), ("vserver", "createPlacementGroup")):
            for fmt in FORMATS:
                with self.subTest(action=action, fmt=fmt):
                    self.fails(self.c, api, action, [("anything", "1")], 300, unsupported(action),
                               fmt, http=404)
        # an action of no table is the gateway's 404, as on the classic API
        r = self.call(self.c, "vpc", "createSomething", None)
        self.assert_gateway_error(r, 404, 300)
        # and /vpc/v2 actions are not /vserver/v2 actions
        r = self.call(self.c, "vserver", "createVpc", [("ipv4CidrBlock", "10.0.0.0/16")])
        self.assert_gateway_error(r, 404, 300)

    def test_get_requests_and_python_sdk_form(self):
        """GET with the query, POST with responseFormatType in the query (the Python SDK)."""
        v = self.make_vpc(self.c, "10.18.0.0/16")
        got = self.ok(self.c, "vpc", "getVpcDetail", [("vpcNo", v["vpc"])], method="GET")
        self.assertEqual(got["vpcList"][0]["vpcNo"], v["vpc"])
        r = self.c.call("getVpcDetail", [("vpcNo", v["vpc"])], method="POST", fmt="json",
                        fmt_in="query", path="/vpc/v2/getVpcDetail")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["getVpcDetailResponse"]["totalRows"], 1)

    def test_python_sdk_nested_list_literal(self):
        """The Python SDK sends a nested list as one pair holding Python's list literal:
        networkInterfaceList.1.accessControlGroupNoList=['A', 'B']; the Go SDK's
        ...accessControlGroupNoList.1=A&...2=B means the same."""
        v = self.make_vpc(self.c, "10.19.0.0/16")
        sub = self.make_subnet(self.c, v, "10.19.1.0/24")
        g = self.one(self.c, "vserver", "createAccessControlGroup",
                     [("vpcNo", v["vpc"]), ("accessControlGroupName", "py-acg")])
        acg2 = g["accessControlGroupNo"]
        self.wait(lambda: self.one(self.c, "vserver", "getAccessControlGroupDetail",
                                   [("accessControlGroupNo", acg2)])
                  ["accessControlGroupStatus"]["code"], "RUN", ("INIT", "SET"))
        key, _ = self.make_key(self.c)
        base = [("vpcNo", v["vpc"]), ("subnetNo", sub), ("serverImageNo", KVM_IMAGE_NO),
                ("loginKeyName", key), ("networkInterfaceList.1.networkInterfaceOrder", "0")]
        for fmt, acgs in (("json", "['%s', '%s']" % (v["acg"], acg2)),
                          ("xml", '["%s","%s"]' % (acg2, v["acg"]))):
            s = self.one(self.c, "vserver", "createServerInstances",
                         base + [("networkInterfaceList.1.accessControlGroupNoList", acgs)],
                         fmt=fmt)
            nic = self.one(self.c, "vserver", "getNetworkInterfaceDetail",
                           [("networkInterfaceNo", s["networkInterfaceNoList"][0])])
            want = [a.strip(" '\"") for a in acgs[1:-1].split(",")]
            self.assertEqual(nic["accessControlGroupNoList"], want, fmt)
        # a comma outside the literal is no list
        self.fails(self.c, "vserver", "createServerInstances",
                   base + [("networkInterfaceList.1.accessControlGroupNoList.1",
                            "%s,%s" % (v["acg"], acg2))],
                   1100000, invalid("networkInterfaceList"))


if __name__ == "__main__":
    unittest.main()

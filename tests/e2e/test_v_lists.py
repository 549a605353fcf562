"""The VPC platform's lists and reboot beyond the P1 set (what the Ncloud CLI and SDK code
call most: spec/vpc/README.md BLOG1 shows getVpcList, getSubnetList and
getServerInstanceList): every filter, paging and sorting, totalRows, the same items as
the matching get...Detail, JSON and XML with the same content, other accounts and the
classic API's servers never listed; rebootServerInstances through its states."""

import unittest

import ncpd_harness as H
from vpc_util import FORMATS, MSG, VpcCase, invalid


class ListTest(VpcCase):

    FIXTURE = "seed"  # classic servers exist beside: never listed here

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.built = None

    def world(self):
        """Two VPCs (three subnets), four servers: built once per class."""
        if ListTest.built:
            return ListTest.built
        c = self.c
        a = self.make_vpc(c, "10.80.0.0/16", name="list-a")
        b = self.make_vpc(c, "10.81.0.0/16", name="list-b")
        sa1 = self.make_subnet(c, a, "10.80.1.0/24", name="sub-a-pub")
        sa2 = self.make_subnet(c, a, "10.80.2.0/24", kind="PRIVATE", zone="KR-1",
                               name="sub-a-prv")
        sb1 = self.make_subnet(c, b, "10.81.1.0/24", name="sub-b-pub")
        srv = {}
        for name, v, sub, extra in (("web-one", a, sa1, [("associateWithPublicIp", "true")]),
                                    ("web-two", a, sa1, []), ("db-one", a, sa2, []),
                                    ("app-zeta", b, sb1, [])):
            srv[name] = self.make_server(c, v, sub, extra=[("serverName", name)] + extra)
        ListTest.built = {"a": a, "b": b, "sa1": sa1, "sa2": sa2, "sb1": sb1, "srv": srv}
        return ListTest.built

    def eth0_ip(self, server):
        nic = server["networkInterfaceNoList"][0]
        return self.one(self.c, "vserver", "getNetworkInterfaceDetail",
                        [("networkInterfaceNo", nic)])["ip"]

    def names(self, params, fmt="json"):
        inner = self.ok(self.c, "vserver", "getServerInstanceList", params, fmt=fmt)
        return [s["serverName"] for s in inner["serverInstanceList"]], inner["totalRows"]

    # -- getVpcList ----------------------------------------------------------------------

    def test_vpc_list_filters_and_both_formats(self):
        w = self.world()
        j = self.both(self.c, "vpc", "getVpcList", [("vpcNoList.1", w["a"]["vpc"]),
                                                    ("vpcNoList.2", w["b"]["vpc"])])
        self.assertEqual([v["vpcName"] for v in j["vpcList"]], ["list-a", "list-b"])
        self.assertEqual(j["totalRows"], 2)
        detail = self.one(self.c, "vpc", "getVpcDetail", [("vpcNo", w["a"]["vpc"])])
        self.assertEqual(j["vpcList"][0], detail)  # the same item, field for field
        for params, want in (([("vpcName", "list-b")], ["list-b"]),
                             ([("vpcName", "list")], []),  # exact name (PROPOSED)
                             ([("vpcStatusCode", "RUN"), ("vpcName", "list-a")], ["list-a"]),
                             ([("vpcStatusCode", "TERMTING"), ("vpcName", "list-a")], [])):
            with self.subTest(params=params):
                got = self.items(self.c, "vpc", "getVpcList", params)
                self.assertEqual([v["vpcName"] for v in got], want)
        for fmt in FORMATS:
            self.fails(self.c, "vpc", "getVpcList", [("vpcStatusCode", "GONE")], 1100000,
                       invalid("vpcStatusCode"), fmt)
        # another account sees none of them
        ak, sk = self.d.create_account("list-other")
        self.assertEqual(self.items(self.d.client(ak, sk), "vpc", "getVpcList"), [])

    # -- getSubnetList ----------------------------------------------------------------------

    def test_subnet_list_filters_paging(self):
        w = self.world()
        a, b = w["a"]["vpc"], w["b"]["vpc"]
        j = self.both(self.c, "vpc", "getSubnetList", [("vpcNo", a)])
        self.assertEqual([s["subnetName"] for s in j["subnetList"]], ["sub-a-pub", "sub-a-prv"])
        self.assertEqual(j["subnetList"][1], self.one(self.c, "vpc", "getSubnetDetail",
                                                      [("subnetNo", w["sa2"])]))
        cases = (([("vpcNo", b)], ["sub-b-pub"]),
                 ([("subnetNoList.1", w["sb1"]), ("subnetNoList.2", w["sa1"])],
                  ["sub-a-pub", "sub-b-pub"]),
                 ([("subnetName", "sub-a-prv")], ["sub-a-prv"]),
                 ([("subnet", "10.80.1.0/24")], ["sub-a-pub"]),
                 ([("vpcNo", a), ("subnetTypeCode", "PRIVATE")], ["sub-a-prv"]),
                 ([("vpcNo", a), ("zoneCode", "KR-1")], ["sub-a-prv"]),
                 ([("vpcNo", a), ("usageTypeCode", "LOADB")], []),
                 ([("vpcNo", b), ("networkAclNo", w["b"]["nacl"])], ["sub-b-pub"]),
                 ([("vpcNo", b), ("networkAclNo", w["a"]["nacl"])], []),
                 ([("vpcNo", a), ("subnetStatusCode", "RUN")], ["sub-a-pub", "sub-a-prv"]))
        for params, want in cases:
            with self.subTest(params=params):
                got = self.items(self.c, "vpc", "getSubnetList", params)
                self.assertEqual([s["subnetName"] for s in got], want)
        inner = self.ok(self.c, "vpc", "getSubnetList",
                        [("vpcNo", a), ("pageNo", "2"), ("pageSize", "1")], fmt="xml")
        self.assertEqual(inner["totalRows"], "2")
        self.assertEqual([s["subnetName"] for s in inner["subnetList"]], ["sub-a-prv"])
        for fmt in FORMATS:
            self.fails(self.c, "vpc", "getSubnetList", [("subnetTypeCode", "DMZ")], 1100000,
                       invalid("subnetTypeCode"), fmt)

    # -- getServerInstanceList -------------------------------------------------------------

    def test_server_list_items_filters_sorting_paging(self):
        w = self.world()
        srv = w["srv"]
        j = self.both(self.c, "vserver", "getServerInstanceList", [("vpcNo", w["a"]["vpc"])])
        self.assertEqual([s["serverName"] for s in j["serverInstanceList"]],
                         ["web-one", "web-two", "db-one"])  # by number
        self.assertEqual(j["totalRows"], 3)
        self.assertEqual(j["serverInstanceList"][0],
                         self.one(self.c, "vserver", "getServerInstanceDetail",
                                  [("serverInstanceNo", srv["web-one"])]))
        one = j["serverInstanceList"][0]
        cases = (
            ([], ["web-one", "web-two", "db-one", "app-zeta"]),
            ([("vpcNo", w["b"]["vpc"])], ["app-zeta"]),
            ([("serverName", "WEB")], ["web-one", "web-two"]),   # substring, any case
            ([("serverInstanceNoList.1", srv["db-one"]), ("serverInstanceNoList.2", "999999")],
             ["db-one"]),
            ([("ip", one["publicIp"])], ["web-one"]),
            ([("ip", self.eth0_ip(j["serverInstanceList"][2]))], ["db-one"]),
            ([("ip", "10.80.9.9")], []),
            ([("hypervisorTypeCodeList.1", "XEN")], []),
            ([("hypervisorTypeCodeList.1", "KVM")], ["web-one", "web-two", "db-one", "app-zeta"]),
            ([("baseBlockStorageDiskTypeCode", "LOCAL")], []),
            ([("placementGroupNoList.1", "1")], []),
            ([("sortedBy", "serverName")], ["app-zeta", "db-one", "web-one", "web-two"]),
            ([("sortedBy", "serverName"), ("sortingOrder", "descending")],
             ["web-two", "web-one", "db-one", "app-zeta"]),
            ([("sortingOrder", "descending")], ["app-zeta", "db-one", "web-two", "web-one"]),
        )
        for params, want in cases:
            with self.subTest(params=params):
                self.assertEqual(self.names(params)[0], want)
        names, total = self.names([("sortedBy", "serverName"), ("pageNo", "2"),
                                   ("pageSize", "3")], fmt="xml")
        self.assertEqual((names, total), (["web-two"], "4"))
        # a stopped one by status
        self.stop(self.c, srv["db-one"])
        self.assertEqual(self.names([("serverInstanceStatusCode", "NSTOP")])[0], ["db-one"])
        self.assertEqual(self.names([("serverInstanceStatusCode", "RUN"),
                                     ("vpcNo", w["a"]["vpc"])])[0], ["web-one", "web-two"])
        self.ok(self.c, "vserver", "startServerInstances",
                [("serverInstanceNoList.1", srv["db-one"])])
        self.wait(lambda: self.server_state(self.c, srv["db-one"]), ("RUN", "NULL"),
                  (("NSTOP", "START"), ("NSTOP", "NULL")))
        for fmt in FORMATS:
            self.fails(self.c, "vserver", "getServerInstanceList",
                       [("sortedBy", "createDate")], 1100000, invalid("sortedBy"), fmt)
        # the classic servers of the fixture are not VPC servers, and other accounts see none
        listed = {s["serverInstanceNo"] for s in
                  self.items(self.c, "vserver", "getServerInstanceList")}
        self.assertEqual(listed, set(srv.values()))
        classic = H.lenient_inner(self.c.call("getServerInstanceList", fmt="json").body)
        self.assertFalse(listed & {s["serverInstanceNo"] for s in classic["serverInstanceList"]})
        ak, sk = self.d.create_account("list-other-2")
        self.assertEqual(self.items(self.d.client(ak, sk), "vserver", "getServerInstanceList"),
                         [])

    # -- rebootServerInstances -------------------------------------------------------------

    def test_reboot(self):
        ak, sk = self.d.create_account("reboot")  # out of the other tests' lists
        c = self.d.client(ak, sk)
        self.make_key(c)  # servers take the newest login key
        v = self.make_vpc(c, "10.82.0.0/16")
        sub = self.make_subnet(c, v, "10.82.1.0/24")
        no = self.make_server(c, v, sub)
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                inner = self.ok(c, "vserver", "rebootServerInstances",
                                [("serverInstanceNoList.1", no)], fmt=fmt)
                (s,) = inner["serverInstanceList"]
                self.assertEqual((s["serverInstanceStatus"]["code"],
                                  s["serverInstanceOperation"]["code"],
                                  s["serverInstanceStatusName"]), ("RUN", "RESTA", "rebooting"))
                self.assertEqual(list(s), list(self.server(c, no)))  # the VPC fields
                log = self.wait(lambda: self.server_state(c, no), ("RUN", "NULL"),
                                (("RUN", "RESTA"),))
                self.assertIn(("RUN", "RESTA"), log.seen)
        # not from NSTOP (the classic rule and code), not twice, unknown numbers
        self.stop(c, no)
        for fmt in FORMATS:
            self.fails(c, "vserver", "rebootServerInstances",
                       [("serverInstanceNoList.1", no)], 25041, MSG["25041"], fmt)
            self.fails(c, "vserver", "rebootServerInstances",
                       [("serverInstanceNoList.1", "999999")], 24120, MSG["24120"], fmt)
        self.assertEqual(self.server_state(c, no), ("NSTOP", "NULL"))


if __name__ == "__main__":
    unittest.main()

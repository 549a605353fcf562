"""The failing calls of the P1 actions that the other VPC suites only call with
good requests (mostly the reads): every error the spec names for them
(spec/vpc/README.md §1.5: missing `900`, malformed `1100000`; vserver.md §3
server numbers, §4.3 rule removals), code, message and HTTP status, in JSON
and in XML; unknown and other accounts' numbers where the answer is not an
error (an empty list, README §1.4) are checked too, so a change to an error
would show here. One daemon, a few objects, no server (fast)."""

import unittest

from vpc_util import FORMATS, KVM_IMAGE, MSG, VpcCase, invalid, required

# a number of the right shape that names nothing, and malformed ones
UNKNOWN = "999999"
MALFORMED = ("abc", "-1", "12x", "1" * 20)


def rule(i, protocol=None, ip=None, peer=None, port=None):
    p = "accessControlGroupRuleList.%d." % i
    return [(p + k, v) for k, v in (("protocolTypeCode", protocol), ("ipBlock", ip),
                                     ("accessControlGroupSequence", peer), ("portRange", port))
            if v is not None]


class ErrorsTest(VpcCase):

    STEP_MS = 500  # the SET window the 1007009 checks need, on a loaded machine

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.made = None

    def objects(self):
        """Two VPCs of this account (v with a subnet), an init script, a free
        interface, a detached volume, a public IP; and a second account."""
        cls = type(self)
        if cls.made is None:
            c = self.c
            v = self.make_vpc(c, "10.80.0.0/16", name="err-vpc")
            w = self.make_vpc(c, "10.81.0.0/16", name="err-vpc2")
            sub = self.make_subnet(c, v, "10.80.1.0/24")
            script = self.one(c, "vserver", "createInitScript",
                              [("initScriptContent", "x")])["initScriptNo"]
            nic = self.one(c, "vserver", "createNetworkInterface",
                           [("vpcNo", v["vpc"]), ("subnetNo", sub),
                            ("accessControlGroupNoList.1", v["acg"])])["networkInterfaceNo"]
            disk = self.one(c, "vserver", "createBlockStorageInstance",
                            [("blockStorageSize", "10"), ("zoneCode", "KR-2")]
                            )["blockStorageInstanceNo"]
            pip = self.one(c, "vserver", "createPublicIpInstance", [])["publicIpInstanceNo"]
            ak, sk = self.d.create_account("vpc-errors-other")
            cls.made = {"v": v, "w": w, "sub": sub, "script": script, "nic": nic,
                        "disk": disk, "pip": pip, "other": self.d.client(ak, sk)}
        return cls.made

    def check(self, cases, c=None):
        """cases: (api, action, params, code, message); each in JSON and XML."""
        for api, action, params, code, message in cases:
            for fmt in FORMATS:
                with self.subTest(action=action, params=params, fmt=fmt):
                    self.fails(c or self.c, api, action, params, code, message, fmt)

    def test_detail_reads(self):
        """get...Detail: the number is required (900, also when empty), malformed is
        1100000 naming it (servers: 24109), unknown / another account's / another
        kind's is an empty list with HTTP 200."""
        o = self.objects()
        details = (
            ("vpc", "getVpcDetail", "vpcNo", o["v"]["vpc"]),
            ("vpc", "getSubnetDetail", "subnetNo", o["sub"]),
            ("vpc", "getNetworkAclDetail", "networkAclNo", o["v"]["nacl"]),
            ("vserver", "getAccessControlGroupDetail", "accessControlGroupNo", o["v"]["acg"]),
            ("vserver", "getNetworkInterfaceDetail", "networkInterfaceNo", o["nic"]),
            ("vserver", "getBlockStorageInstanceDetail", "blockStorageInstanceNo", o["disk"]),
            ("vserver", "getInitScriptDetail", "initScriptNo", o["script"]),
            ("vserver", "getServerInstanceDetail", "serverInstanceNo", None))
        cases = []
        for api, action, param, _ in details:
            cases += [(api, action, [], 900, required(param)),
                      (api, action, [(param, "")], 900, required(param))]
            for bad in MALFORMED:
                if param == "serverInstanceNo":
                    cases.append((api, action, [(param, bad)], 24109, MSG["24109"]))
                else:
                    cases.append((api, action, [(param, bad)], 1100000, invalid(param)))
        self.check(cases)
        b = o["other"]
        for api, action, param, mine in details:
            for fmt in FORMATS:
                with self.subTest(action=action, fmt=fmt):
                    self.assertEqual(self.items(self.c, api, action, [(param, UNKNOWN)], fmt=fmt),
                                     [])
                    # another kind's number (the VPC's) and another account's
                    if param != "vpcNo":
                        self.assertEqual(self.items(self.c, api, action,
                                                    [(param, o["v"]["vpc"])], fmt=fmt), [])
                    if mine:
                        self.assertEqual(self.items(b, api, action, [(param, mine)], fmt=fmt), [])
                        self.assertEqual(len(self.items(self.c, api, action, [(param, mine)],
                                                        fmt=fmt)), 1)

    def test_list_reads(self):
        """The list reads' filters: a malformed number, code, flag or page is 1100000
        naming the parameter (servers: 24109); an unknown number is an empty list."""
        vs, vp = "vserver", "vpc"
        cases = []
        for api, action in ((vp, "getNetworkAclList"), (vp, "getRouteTableList"),
                            (vs, "getAccessControlGroupList"), (vs, "getPublicIpInstanceList")):
            cases += [(api, action, [("vpcNo", "abc")], 1100000, invalid("vpcNo")),
                      (api, action, [("pageNo", "x")], 1100000, invalid("pageNo")),
                      (api, action, [("pageSize", "-1")], 1100000, invalid("pageSize"))]
        cases += [
            (vp, "getNetworkAclList", [("networkAclNoList.1", "abc")], 1100000,
             invalid("networkAclNoList")),
            (vp, "getNetworkAclList", [("networkAclStatusCode", "BOGUS")], 1100000,
             invalid("networkAclStatusCode")),
            (vs, "getAccessControlGroupList", [("accessControlGroupNoList.1", "abc")], 1100000,
             invalid("accessControlGroupNoList")),
            (vs, "getAccessControlGroupList", [("accessControlGroupStatusCode", "BOGUS")],
             1100000, invalid("accessControlGroupStatusCode")),
            (vs, "getPublicIpInstanceList", [("publicIpInstanceNoList.1", "abc")], 1100000,
             invalid("publicIpInstanceNoList")),
            (vs, "getPublicIpInstanceList", [("publicIpInstanceStatusCode", "BOGUS")], 1100000,
             invalid("publicIpInstanceStatusCode")),
            (vs, "getPublicIpInstanceList", [("isAssociated", "maybe")], 1100000,
             invalid("isAssociated")),
            (vs, "getBlockStorageInstanceList", [("serverInstanceNo", "abc")], 24109,
             MSG["24109"]),
            (vs, "getBlockStorageInstanceList", [("blockStorageInstanceNoList.1", "abc")],
             1100000, invalid("blockStorageInstanceNoList")),
            (vs, "getBlockStorageInstanceList", [("blockStorageTypeCodeList.1", "BOGUS")],
             1100000, invalid("blockStorageTypeCodeList")),
            (vs, "getBlockStorageInstanceList", [("blockStorageSize", "x")], 1100000,
             invalid("blockStorageSize")),
            (vs, "getBlockStorageInstanceList", [("pageNo", "x")], 1100000, invalid("pageNo")),
            (vs, "getLoginKeyList", [("pageNo", "x")], 1100000, invalid("pageNo")),
            (vs, "getLoginKeyList", [("pageSize", "-1")], 1100000, invalid("pageSize")),
        ]
        self.check(cases)
        for api, action, params in ((vp, "getNetworkAclList", [("vpcNo", UNKNOWN)]),
                                    (vp, "getRouteTableList", [("vpcNo", UNKNOWN)]),
                                    (vs, "getAccessControlGroupList", [("vpcNo", UNKNOWN)]),
                                    (vs, "getPublicIpInstanceList",
                                     [("publicIpInstanceNoList.1", UNKNOWN)]),
                                    (vs, "getBlockStorageInstanceList",
                                     [("blockStorageInstanceNoList.1", UNKNOWN)]),
                                    (vs, "getBlockStorageInstanceList",
                                     [("serverInstanceNo", UNKNOWN)]),
                                    (vs, "getPublicIpInstanceList", [("vpcNo", UNKNOWN)]),
                                    (vs, "getLoginKeyList", [("keyName", "no-such-key")])):
            for fmt in FORMATS:
                with self.subTest(action=action, fmt=fmt):
                    self.assertEqual(self.items(self.c, api, action, params, fmt=fmt), [])

    def test_catalogue_reads(self):
        """The catalogue's filters: an unknown region or zone, a malformed size or
        number, an unknown hypervisor or platform code are 1100000 naming the
        parameter; an unknown image number is an empty list."""
        vs = "vserver"
        self.check([
            (vs, "getServerImageProductList", [("regionCode", "XX")], 1100000,
             invalid("regionCode")),
            (vs, "getServerImageProductList", [("blockStorageSize", "x")], 1100000,
             invalid("blockStorageSize")),
            (vs, "getServerImageProductList", [("platformTypeCodeList.1", "BOGUS")], 1100000,
             invalid("platformTypeCodeList")),
            (vs, "getServerProductList", [("serverImageProductCode", KVM_IMAGE),
                                          ("zoneCode", "XX")], 1100000, invalid("zoneCode")),
            (vs, "getServerImageList", [("regionCode", "XX")], 1100000, invalid("regionCode")),
            (vs, "getServerImageList", [("serverImageNoList.1", "abc")], 1100000,
             invalid("serverImageNoList")),
            (vs, "getServerImageList", [("hypervisorCodeList.1", "BOGUS")], 1100000,
             invalid("hypervisorCodeList")),
            (vs, "getServerImageList", [("hypervisorTypeCodeList.1", "BOGUS")], 1100000,
             invalid("hypervisorTypeCodeList")),
            (vs, "getServerImageList", [("pageNo", "x")], 1100000, invalid("pageNo")),
            (vs, "getServerSpecList", [("regionCode", "XX")], 1100000, invalid("regionCode")),
            (vs, "getServerSpecList", [("zoneCode", "XX")], 1100000, invalid("zoneCode")),
            (vs, "getServerSpecList", [("serverImageNo", "abc")], 1100000,
             invalid("serverImageNo")),
            (vs, "getServerSpecList", [("hypervisorCodeList.1", "BOGUS")], 1100000,
             invalid("hypervisorCodeList")),
        ])
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                self.assertEqual(self.items(self.c, vs, "getServerSpecList",
                                            [("serverImageNo", UNKNOWN)], fmt=fmt), [])

    def test_rule_removals(self):
        """remove{Inbound,Outbound}Rule: vpcNo, accessControlGroupNo and the rule
        list are required (900, in that order), each rule its protocol; an unknown
        or another account's ACG is 1007000, a VPC that is not the ACG's 1100000
        vpcNo, malformed rule fields 1100000 naming them; while the ACG is SET
        (a change running) 1007009."""
        o = self.objects()
        v, w = o["v"], o["w"]
        good = rule(1, "TCP", "0.0.0.0/0", port="22")
        for action in ("removeAccessControlGroupInboundRule",
                       "removeAccessControlGroupOutboundRule"):
            acg = [("vpcNo", v["vpc"]), ("accessControlGroupNo", v["acg"])]
            r1 = "accessControlGroupRuleList.1."
            self.check([
                ("vserver", action, [], 900, required("vpcNo")),
                ("vserver", action, [("vpcNo", v["vpc"])], 900, required("accessControlGroupNo")),
                ("vserver", action, acg, 900, required("accessControlGroupRuleList")),
                ("vserver", action, acg + rule(1, ip="0.0.0.0/0"), 900,
                 required(r1 + "protocolTypeCode")),
                ("vserver", action, [("vpcNo", v["vpc"]), ("accessControlGroupNo", UNKNOWN)] +
                 good, 1007000, MSG["1007000"]),
                ("vserver", action, [("vpcNo", v["vpc"]), ("accessControlGroupNo", "abc")] +
                 good, 1100000, invalid("accessControlGroupNo")),
                ("vserver", action, [("vpcNo", UNKNOWN), ("accessControlGroupNo", v["acg"])] +
                 good, 1100000, invalid("vpcNo")),
                ("vserver", action, [("vpcNo", w["vpc"]), ("accessControlGroupNo", v["acg"])] +
                 good, 1100000, invalid("vpcNo")),
                ("vserver", action, acg + rule(1, "GRE", "0.0.0.0/0"), 1100000,
                 invalid(r1 + "protocolTypeCode")),
                ("vserver", action, acg + rule(1, "TCP", "10.0.0.300/8", port="22"), 1100000,
                 invalid(r1 + "ipBlock")),
                ("vserver", action, acg + rule(1, "TCP", "0.0.0.0/0", port="0"), 1100000,
                 invalid(r1 + "portRange")),
                ("vserver", action, acg + rule(1, "TCP", "0.0.0.0/0", port="99999"), 1100000,
                 invalid(r1 + "portRange")),
                ("vserver", action, acg + rule(1, "TCP", "0.0.0.0/0", port="30-20"), 1100000,
                 invalid(r1 + "portRange")),
            ])
            # another account: its own VPC number does not open this account's ACG
            self.check([("vserver", action, acg + good, 1007000, MSG["1007000"])], o["other"])

        # wrong state: a removal while the ACG is SET (an addition running)
        g = self.one(self.c, "vserver", "createAccessControlGroup",
                     [("vpcNo", v["vpc"]), ("accessControlGroupName", "err-set")])
        params = [("vpcNo", v["vpc"]), ("accessControlGroupNo", g["accessControlGroupNo"])]
        for fmt in FORMATS:
            with self.subTest(state="SET", fmt=fmt):
                self.ok(self.c, "vserver", "addAccessControlGroupInboundRule", params + good)
                for action in ("removeAccessControlGroupInboundRule",
                               "removeAccessControlGroupOutboundRule"):
                    self.fails(self.c, "vserver", action, params + good, 1007009,
                               MSG["1007009"], fmt)
                no = g["accessControlGroupNo"]
                self.wait(lambda: self.one(self.c, "vserver", "getAccessControlGroupDetail",
                                           [("accessControlGroupNo", no)]
                                           )["accessControlGroupStatus"]["code"], "RUN", ("SET",))
                self.ok(self.c, "vserver", "removeAccessControlGroupInboundRule", params + good)
                self.wait(lambda: self.one(self.c, "vserver", "getAccessControlGroupDetail",
                                           [("accessControlGroupNo", no)]
                                           )["accessControlGroupStatus"]["code"], "RUN", ("SET",))


if __name__ == "__main__":
    unittest.main()

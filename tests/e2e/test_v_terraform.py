"""The Terraform provider's call sequences (spec/vpc/terraform.md), step by step,
as the Go SDK v2 sends them (POST, form body starting responseFormatType=json,
answers sliced as the SDK slices them): provider start, ncloud_vpc, ncloud_subnet,
ncloud_login_key, ncloud_init_script, ncloud_server (create, read, the protection
and spec updates, destroy with its disks), ncloud_access_control_group_rule on the
default ACG, ncloud_network_interface, ncloud_block_storage (XEN and KVM paths),
ncloud_public_ip and the data sources. Every wait accepts exactly the provider's
pending and target states; every field it dereferences without a nil check is
there."""

import unittest

import ncpd_harness as H
from vpc_util import (GiB, KVM_IMAGE_NO, KVM_SPEC, XEN_IMAGE, XEN_PRODUCT, XEN_PRODUCT_4, VpcCase,
                      invalid)


class TerraformTest(VpcCase):

    STEP_MS = 250

    def sdk(self, api, action, params=None):
        """One Go SDK call: the inner object (JSON types)."""
        return self.ok(self.c, api, action, params, fmt="json", method="POST",
                       total=action not in ("getServerImageProductList", "getServerProductList"))

    def provider_vpc(self, cidr):
        """ncloud_vpc create + refresh (C1-C3): the VPC and its four defaults."""
        inner = self.sdk("vpc", "createVpc", [("regionCode", "KR"), ("ipv4CidrBlock", cidr),
                                              ("vpcName", "")])
        no = inner["vpcList"][0]["vpcNo"]
        self.wait(lambda: self.vpc_state(self.c, no), "RUN", ("INIT", "CREATING"))
        nacl = [n for n in self.sdk("vpc", "getNetworkAclList",
                                    [("regionCode", "KR"), ("vpcNo", no)])["networkAclList"]
                if n["isDefault"]]
        acg = [g for g in self.sdk("vserver", "getAccessControlGroupList",
                                   [("regionCode", "KR"), ("vpcNo", no)])["accessControlGroupList"]
               if g["isDefault"]]
        rts = self.sdk("vpc", "getRouteTableList", [("regionCode", "KR"), ("vpcNo", no)])
        kinds = sorted(t["supportedSubnetType"]["code"] for t in rts["routeTableList"]
                       if t["isDefault"])
        self.assertEqual((len(nacl), len(acg), kinds), (1, 1, ["PRIVATE", "PUBLIC"]))
        return {"vpc": no, "nacl": nacl[0]["networkAclNo"], "acg": acg[0]["accessControlGroupNo"]}

    def provider_subnet(self, v, cidr, kind="PUBLIC"):
        inner = self.sdk("vpc", "createSubnet", [
            ("regionCode", "KR"), ("subnet", cidr), ("subnetTypeCode", kind),
            ("usageTypeCode", ""), ("networkAclNo", v["nacl"]), ("vpcNo", v["vpc"]),
            ("zoneCode", "KR-2"), ("subnetName", "")])
        no = inner["subnetList"][0]["subnetNo"]
        self.wait(lambda: self.subnet_state(self.c, no), "RUN", ("INIT", "CREATING"))
        s = self.sdk("vpc", "getSubnetDetail", [("regionCode", "KR"), ("subnetNo", no)])
        got = s["subnetList"][0]
        for f in ("subnetNo", "vpcNo", "zoneCode", "subnetName", "subnet", "networkAclNo"):
            self.assertIsInstance(got[f], str, f)
        self.assertIsInstance(got["subnetType"]["code"], str)
        self.assertIsInstance(got["usageType"]["code"], str)
        return no

    def server_op(self, no):
        s = self.server(self.c, no)
        return s["serverInstanceOperation"]["code"] if s else "NULL"

    def stop_sequence(self, no):
        """S1-S3: op SETUP -> NULL, stop, status RUN -> NSTOP."""
        self.wait(lambda: self.server_op(no), "NULL", ("SETUP",))
        self.sdk("vserver", "stopServerInstances", [("regionCode", "KR"),
                                                    ("serverInstanceNoList.1", no)])
        self.wait(lambda: self.server(self.c, no)["serverInstanceStatus"]["code"], "NSTOP",
                  ("RUN",))

    def read_server(self, no):
        """ncloud_server Read: the server, then each interface (order from deviceName)."""
        s = self.sdk("vserver", "getServerInstanceDetail",
                     [("regionCode", "KR"), ("serverInstanceNo", no)])["serverInstanceList"][0]
        for f in ("serverImageProductCode", "serverImageNo", "serverProductCode",
                  "serverSpecCode", "serverName", "serverDescription", "loginKeyName",
                  "serverInstanceNo", "publicIp", "zoneCode", "vpcNo", "subnetNo", "initScriptNo",
                  "placementGroupNo", "publicIpInstanceNo"):
            self.assertIsInstance(s[f], str, f)
        for f in ("serverInstanceStatus", "platformType", "serverInstanceOperation",
                  "baseBlockStorageDiskType", "hypervisorType"):
            self.assertIsInstance(s[f]["code"], str, f)
        orders = []
        for nic in s["networkInterfaceNoList"]:
            n = self.sdk("vserver", "getNetworkInterfaceDetail",
                         [("regionCode", "KR"), ("networkInterfaceNo", nic)])
            got = n["networkInterfaceList"][0]
            orders.append(int(H.re.search(r"[0-9]+", got["deviceName"]).group(0)))
            self.assertIsInstance(got["ip"], str)
            self.assertIsInstance(got["subnetNo"], str)
        return s, orders

    # -- tests -----------------------------------------------------------------------------

    def test_provider_start(self):
        """configure: getRegionList with no parameter at all; the region must be there."""
        r = self.c.call("getRegionList", [], method="POST", fmt="json",
                        path="/vserver/v2/getRegionList")
        self.assertEqual(r.status, 200, r)
        inner = H.go_sdk_slice(r.body)
        self.assertIn("KR", [x["regionCode"] for x in inner["regionList"]])

    def test_server_lifecycle(self):
        v = self.provider_vpc("10.40.0.0/16")
        sub = self.provider_subnet(v, "10.40.1.0/24")
        # ncloud_login_key: create (no regionCode), then getLoginKeyList until it is there
        key = self.sdk("vserver", "createLoginKey", [("keyName", "tf-key")])
        self.assertEqual(key["keyName"], "tf-key")
        got = self.sdk("vserver", "getLoginKeyList", [("keyName", "tf-key")])["loginKeyList"][0]
        self.assertEqual(got["keyName"], "tf-key")
        self.assertIsInstance(got["fingerprint"], str)
        # ncloud_init_script: the state comes from the create answer alone
        script = "#!/bin/bash\nyum -y install httpd\n"
        sc = self.sdk("vserver", "createInitScript", [("regionCode", "KR"),
                                                      ("initScriptContent", script)])
        sc = sc["initScriptList"][0]
        self.assertEqual((sc["initScriptContent"], sc["osType"]["code"]), (script, "LNX"))
        # ncloud_server C1-C6 (C2a: the default ACG looked up)
        sn = self.sdk("vpc", "getSubnetDetail", [("regionCode", "KR"), ("subnetNo", sub)])
        vpc_no = sn["subnetList"][0]["vpcNo"]
        acgs = self.sdk("vserver", "getAccessControlGroupList",
                        [("regionCode", "KR"), ("vpcNo", vpc_no)])["accessControlGroupList"]
        default = next(g["accessControlGroupNo"] for g in acgs if g["isDefault"])
        created = self.sdk("vserver", "createServerInstances", [
            ("regionCode", "KR"), ("serverImageProductCode", XEN_IMAGE),
            ("serverProductCode", XEN_PRODUCT), ("serverName", "tf-web"),
            ("loginKeyName", "tf-key"), ("isProtectServerTermination", "false"),
            ("initScriptNo", sc["initScriptNo"]), ("vpcNo", vpc_no), ("subnetNo", sub),
            ("networkInterfaceList.1.networkInterfaceOrder", "0"),
            ("networkInterfaceList.1.accessControlGroupNoList.1", default)])
        no = created["serverInstanceList"][0]["serverInstanceNo"]
        self.wait(lambda: self.server(self.c, no)["serverInstanceStatus"]["code"], "RUN",
                  ("INIT", "CREAT"))
        disks = self.sdk("vserver", "getBlockStorageInstanceList",
                         [("regionCode", "KR"), ("serverInstanceNo", no)])
        for d in disks["blockStorageInstanceList"]:
            self.wait(lambda: self.bs_status_name(d["blockStorageInstanceNo"]), "attached",
                      ("initialized", "optimizing"))
        s, orders = self.read_server(no)
        self.assertEqual((orders, s["initScriptNo"], s["cpuCount"]), ([0], sc["initScriptNo"], 2))
        # ncloud_block_storage (XEN: created with the server), ncloud_public_ip
        bs = self.sdk("vserver", "createBlockStorageInstance", [
            ("regionCode", "KR"), ("blockStorageSize", "10"), ("blockStorageName", "tf-disk"),
            ("blockStorageDiskDetailTypeCode", "SSD"), ("serverInstanceNo", no)])
        bs_no = bs["blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        self.wait(lambda: self.bs_status_name(bs_no), ("attached"),
                  ("initialized", "creating", "attaching"))
        got = self.bs(bs_no)
        for f in ("blockStorageInstanceNo", "serverInstanceNo", "blockStorageName", "deviceName",
                  "blockStorageProductCode", "blockStorageDescription", "zoneCode"):
            self.assertIsInstance(got[f], str, f)
        self.assertEqual(got["blockStorageSize"] // GiB, 10)
        pip = self.sdk("vserver", "createPublicIpInstance", [("regionCode", "KR"),
                                                             ("serverInstanceNo", no)])
        pip_no = pip["publicIpInstanceList"][0]["publicIpInstanceNo"]
        self.wait(lambda: self.pip_server(pip_no) != "", True, (False,))
        # U-protect, U-spec (stop sequence, change, op CHNG -> NULL, start)
        self.sdk("vserver", "setProtectServerTermination",
                 [("regionCode", "KR"), ("serverInstanceNo", no),
                  ("isProtectServerTermination", "true")])
        self.stop_sequence(no)
        self.sdk("vserver", "changeServerInstanceSpec",
                 [("regionCode", "KR"), ("serverInstanceNo", no),
                  ("serverProductCode", XEN_PRODUCT_4)])
        self.wait(lambda: self.server_op(no), "NULL", ("CHNG",))
        self.sdk("vserver", "startServerInstances", [("regionCode", "KR"),
                                                     ("serverInstanceNoList.1", no)])
        self.wait(lambda: self.server(self.c, no)["serverInstanceStatus"]["code"], "RUN",
                  ("NSTOP",))
        s, _ = self.read_server(no)
        self.assertEqual((s["serverProductCode"], s["cpuCount"], s["publicIpInstanceNo"]),
                         (XEN_PRODUCT_4, 4, pip_no))
        self.sdk("vserver", "setProtectServerTermination",
                 [("regionCode", "KR"), ("serverInstanceNo", no),
                  ("isProtectServerTermination", "false")])
        # destroy: public IP (disassociate, wait unassociated with op NULL, delete)
        self.sdk("vserver", "disassociatePublicIpFromServerInstance",
                 [("regionCode", "KR"), ("publicIpInstanceNo", pip_no)])
        self.wait(lambda: (self.pip_server(pip_no), self.pip_op(pip_no)), ("", "NULL"),
                  (("", "SET"),))
        self.sdk("vserver", "deletePublicIpInstance", [("regionCode", "KR"),
                                                       ("publicIpInstanceNo", pip_no)])
        # ncloud_server D1-D7: stop, detach the SVRBS disks, op SETUP -> NULL, terminate
        self.stop_sequence(no)
        extra = self.sdk("vserver", "getBlockStorageInstanceList",
                         [("regionCode", "KR"), ("serverInstanceNo", no),
                          ("blockStorageTypeCodeList.1", "SVRBS")])["blockStorageInstanceList"]
        self.assertEqual([d["blockStorageInstanceNo"] for d in extra], [bs_no])
        for d in extra:
            self.sdk("vserver", "detachBlockStorageInstances",
                     [("blockStorageInstanceNoList.1", d["blockStorageInstanceNo"])])
            self.wait(lambda: self.bs_status_name(d["blockStorageInstanceNo"]), "detached",
                      ("attached", "detaching"))
        self.wait(lambda: self.server_op(no), "NULL", ("SETUP",))
        self.sdk("vserver", "terminateServerInstances", [("regionCode", "KR"),
                                                         ("serverInstanceNoList.1", no)])
        self.wait(lambda: (self.server(self.c, no) or {}).get("serverInstanceStatus",
                                                             {}).get("code"), None, ("NSTOP",))
        # ncloud_block_storage D: deleted without detaching, polled until gone
        self.sdk("vserver", "deleteBlockStorageInstances", [("regionCode", "KR"),
                                                            ("blockStorageInstanceNoList.1", bs_no)])
        self.assertIsNone(self.bs(bs_no))
        # the rest, in the order terraform destroys them
        self.sdk("vserver", "deleteLoginKeys", [("keyNameList.1", "tf-key")])
        self.assertEqual(self.sdk("vserver", "getLoginKeyList",
                                  [("keyName", "tf-key")])["loginKeyList"], [])
        self.sdk("vserver", "deleteInitScripts", [("regionCode", "KR"),
                                                  ("initScriptNoList.1", sc["initScriptNo"])])
        self.sdk("vpc", "deleteSubnet", [("regionCode", "KR"), ("subnetNo", sub)])
        self.wait(lambda: self.subnet_state(self.c, sub), None, ("RUN", "TERMTING"))
        self.sdk("vpc", "deleteVpc", [("regionCode", "KR"), ("vpcNo", v["vpc"])])
        self.wait(lambda: self.vpc_state(self.c, v["vpc"]), None, ("RUN", "TERMTING"))

    def bs(self, no):
        got = self.sdk("vserver", "getBlockStorageInstanceDetail",
                       [("regionCode", "KR"), ("blockStorageInstanceNo", no)])
        return got["blockStorageInstanceList"][0] if got["blockStorageInstanceList"] else None

    def bs_status_name(self, no):
        b = self.bs(no)
        return b["blockStorageInstanceStatusName"] if b else None

    def pip_item(self, no):
        got = self.sdk("vserver", "getPublicIpInstanceList",
                       [("regionCode", "KR"), ("publicIpInstanceNoList.1", no)])
        return got["publicIpInstanceList"][0]

    def pip_server(self, no):
        return self.pip_item(no)["serverInstanceNo"]

    def pip_op(self, no):
        return self.pip_item(no)["publicIpInstanceOperation"]["code"]

    def test_kvm_server_with_network_interfaces_and_block_storage(self):
        v = self.provider_vpc("10.41.0.0/16")
        sub = self.provider_subnet(v, "10.41.1.0/24")
        self.sdk("vserver", "createLoginKey", [("keyName", "tf-kvm")])
        # ncloud_network_interface C1, C2 (free), then the server's C2b (no ACG list)
        vpc_no = self.sdk("vpc", "getSubnetDetail", [("subnetNo", sub)])["subnetList"][0]["vpcNo"]
        eth0 = self.sdk("vserver", "createNetworkInterface", [
            ("regionCode", "KR"), ("accessControlGroupNoList.1", v["acg"]), ("subnetNo", sub),
            ("vpcNo", vpc_no), ("networkInterfaceName", "tf-eth0")])
        eth0 = eth0["networkInterfaceList"][0]["networkInterfaceNo"]
        ni = self.sdk("vserver", "getNetworkInterfaceDetail", [("networkInterfaceNo", eth0)])
        created = self.sdk("vserver", "createServerInstances", [
            ("regionCode", "KR"), ("serverImageNo", KVM_IMAGE_NO), ("serverSpecCode", KVM_SPEC),
            ("vpcNo", vpc_no), ("subnetNo", sub),
            ("networkInterfaceList.1.networkInterfaceOrder", "0"),
            ("networkInterfaceList.1.networkInterfaceNo", eth0),
            ("networkInterfaceList.1.subnetNo", ni["networkInterfaceList"][0]["subnetNo"])])
        no = created["serverInstanceList"][0]["serverInstanceNo"]
        self.wait(lambda: self.server(self.c, no)["serverInstanceStatus"]["code"], "RUN",
                  ("INIT", "CREAT"))
        # a second interface attached (U-server): SET -> USED, then the public IP check
        eth1 = self.sdk("vserver", "createNetworkInterface", [
            ("regionCode", "KR"), ("accessControlGroupNoList.1", v["acg"]), ("subnetNo", sub),
            ("vpcNo", vpc_no)])["networkInterfaceList"][0]["networkInterfaceNo"]
        self.sdk("vserver", "attachNetworkInterface", [
            ("regionCode", "KR"), ("networkInterfaceNo", eth1), ("subnetNo", sub),
            ("serverInstanceNo", no)])
        self.wait(lambda: self.nic_status(eth1), "USED", ("SET",))
        self.assertEqual(self.server(self.c, no)["publicIpInstanceNo"], "")
        _, orders = self.read_server(no)
        self.assertEqual(orders, [0, 1])
        # ncloud_block_storage, KVM: made detached in the zone, then attached
        bs = self.sdk("vserver", "createBlockStorageInstance", [
            ("regionCode", "KR"), ("blockStorageSize", "10"), ("blockStorageVolumeTypeCode", "CB1"),
            ("zoneCode", "KR-2")])
        bs_no = bs["blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        log = self.wait(lambda: self.bs_status_name(bs_no), "detached",
                        ("initialized", "creating", "attaching"))
        self.sdk("vserver", "attachBlockStorageInstance", [("serverInstanceNo", no),
                                                            ("blockStorageInstanceNo", bs_no)])
        self.wait(lambda: self.bs(bs_no)["blockStorageInstanceStatus"]["code"], "ATTAC",
                  ("INIT", "CREAT"))
        # U-size: detach, op SETUP -> NULL, resize (op CHNG -> NULL), attach
        self.sdk("vserver", "detachBlockStorageInstances", [("blockStorageInstanceNoList.1", bs_no)])
        self.wait(lambda: self.bs(bs_no)["blockStorageInstanceStatus"]["code"], "CREAT",
                  ("ATTAC",))
        self.wait(lambda: self.server_op(no), "NULL", ("SETUP",))
        self.sdk("vserver", "changeBlockStorageInstance", [
            ("regionCode", "KR"), ("blockStorageInstanceNo", bs_no), ("blockStorageSize", "20")])
        self.wait(lambda: self.bs(bs_no)["blockStorageInstanceOperation"]["code"], "NULL",
                  ("CHNG",))
        self.sdk("vserver", "attachBlockStorageInstance", [("serverInstanceNo", no),
                                                            ("blockStorageInstanceNo", bs_no)])
        self.wait(lambda: self.bs(bs_no)["blockStorageInstanceStatus"]["code"], "ATTAC",
                  ("INIT", "CREAT"))
        self.assertEqual(self.bs(bs_no)["blockStorageSize"], 20 * GiB)
        # ACG change on the interface (U-ACG), then detach it (UNSET -> NOTUSED), delete
        g = self.sdk("vserver", "createAccessControlGroup", [
            ("regionCode", "KR"), ("vpcNo", vpc_no)])["accessControlGroupList"][0]
        self.sdk("vserver", "addNetworkInterfaceAccessControlGroup", [
            ("networkInterfaceNo", eth1), ("accessControlGroupNoList.1", g["accessControlGroupNo"])])
        self.wait(lambda: self.nic_status(eth1), "USED", ("SET",))
        self.sdk("vserver", "removeNetworkInterfaceAccessControlGroup", [
            ("networkInterfaceNo", eth1), ("accessControlGroupNoList.1", v["acg"])])
        self.wait(lambda: self.nic_status(eth1), "USED", ("SET",))
        self.sdk("vserver", "detachNetworkInterface", [("networkInterfaceNo", eth1),
                                                        ("subnetNo", sub), ("serverInstanceNo", no)])
        self.wait(lambda: self.nic_status(eth1), "NOTUSED", ("UNSET",))
        self.sdk("vserver", "deleteNetworkInterface", [("networkInterfaceNo", eth1)])
        self.wait(lambda: self.nic_status(eth1), None, ("USED", "NOTUSED", "UNSET"))
        self.sdk("vserver", "deleteBlockStorageInstances", [("blockStorageInstanceNoList.1", bs_no)])
        self.wait(lambda: (self.bs(bs_no) or {}).get("blockStorageInstanceStatus", {}).get("code"),
                  None, ("CREAT", "INIT", "ATTAC"))
        self.stop_sequence(no)
        self.sdk("vserver", "terminateServerInstances", [("serverInstanceNoList.1", no)])
        self.wait(lambda: (self.server(self.c, no) or {}).get("serverInstanceStatus",
                                                             {}).get("code"), None, ("NSTOP",))
        # eth0 was not made with the server: it is free again, and goes on its own
        self.assertEqual(self.nic_status(eth0), "NOTUSED")
        self.sdk("vserver", "deleteNetworkInterface", [("networkInterfaceNo", eth0)])
        self.sdk("vserver", "deleteAccessControlGroup", [("vpcNo", vpc_no),
                                                         ("accessControlGroupNo",
                                                          g["accessControlGroupNo"])])

    def nic_status(self, no):
        got = self.sdk("vserver", "getNetworkInterfaceDetail", [("networkInterfaceNo", no)])
        lst = got["networkInterfaceList"]
        return lst[0]["networkInterfaceStatus"]["code"] if lst else None

    def acg_status(self, no):
        got = self.sdk("vserver", "getAccessControlGroupDetail", [("accessControlGroupNo", no)])
        lst = got["accessControlGroupList"]
        return lst[0]["accessControlGroupStatus"]["code"] if lst else None

    def test_acg_rules_on_the_default_acg(self):
        """ncloud_access_control_group_rule on a VPC's default ACG: every existing rule
        removed with its fields as read (empty ones as ""), then the configured ones."""
        v = self.provider_vpc("10.42.0.0/16")
        acg = v["acg"]
        self.assertTrue(self.sdk("vserver", "getAccessControlGroupDetail",
                                 [("accessControlGroupNo", acg)])["accessControlGroupList"][0]
                        ["isDefault"])
        rules = self.sdk("vserver", "getAccessControlGroupRuleList",
                         [("accessControlGroupNo", acg)])["accessControlGroupRuleList"]
        for direction, action in (("INBND", "removeAccessControlGroupInboundRule"),
                                  ("OTBND", "removeAccessControlGroupOutboundRule")):
            params = [("regionCode", "KR"), ("vpcNo", v["vpc"]), ("accessControlGroupNo", acg)]
            i = 0
            for r in rules:
                for f in ("ipBlock", "accessControlGroupSequence", "portRange",
                          "accessControlGroupRuleDescription"):
                    self.assertIsInstance(r[f], str, f)
                if r["accessControlGroupRuleType"]["code"] != direction:
                    continue
                i += 1
                p = "accessControlGroupRuleList.%d." % i
                params += [(p + "ipBlock", r["ipBlock"]),
                           (p + "accessControlGroupSequence", r["accessControlGroupSequence"]),
                           (p + "protocolTypeCode", r["protocolType"]["code"]),
                           (p + "portRange", r["portRange"])]
            self.sdk("vserver", action, params)
            self.wait(lambda: self.acg_status(acg), "RUN", ("SET",))
        self.assertEqual(self.sdk("vserver", "getAccessControlGroupRuleList",
                                  [("accessControlGroupNo", acg)])["totalRows"], 0)
        add = [("regionCode", "KR"), ("vpcNo", v["vpc"]), ("accessControlGroupNo", acg)]
        for i, (proto, ip, port) in enumerate((("TCP", "0.0.0.0/0", "22"), ("TCP", "0.0.0.0/0",
                                                                          "80"),
                                               ("ICMP", "0.0.0.0/0", ""), ("254", "10.0.0.0/8",
                                                                           ""))):
            p = "accessControlGroupRuleList.%d." % (i + 1)
            add += [(p + "protocolTypeCode", proto), (p + "portRange", port), (p + "ipBlock", ip),
                    (p + "accessControlGroupSequence", ""),
                    (p + "accessControlGroupRuleDescription", "")]
        self.sdk("vserver", "addAccessControlGroupInboundRule", add)
        self.wait(lambda: self.acg_status(acg), "RUN", ("SET",))
        got = self.sdk("vserver", "getAccessControlGroupRuleList", [("accessControlGroupNo", acg)])
        self.assertEqual(sorted((r["protocolType"]["code"], r["protocolType"]["number"],
                                 r["portRange"]) for r in got["accessControlGroupRuleList"]),
                         [("254", 254, ""), ("ICMP", 1, ""), ("TCP", 6, "22"), ("TCP", 6, "80")])

    def test_data_sources(self):
        key = self.sdk("vserver", "createLoginKey", [("keyName", "ds-key")])
        v = self.provider_vpc("10.43.0.0/16")
        sub = self.provider_subnet(v, "10.43.1.0/24")
        no = self.make_server(self.c, v, sub, extra=[("loginKeyName", "ds-key")])
        pw = self.sdk("vserver", "getRootPassword", [("regionCode", "KR"), ("serverInstanceNo", no),
                                                     ("privateKey", key["privateKey"])])
        self.assertTrue(pw["rootPassword"])
        self.assertTrue(self.sdk("vserver", "getZoneList", [("regionCode", "KR")])["zoneList"])
        images = self.sdk("vserver", "getServerImageProductList", [
            ("productCode", XEN_IMAGE), ("regionCode", "KR"), ("platformTypeCodeList.1", "LNX64")])
        self.assertEqual([p["productCode"] for p in images["productList"]], [XEN_IMAGE])
        prods = self.sdk("vserver", "getServerProductList", [
            ("exclusionProductCode", ""), ("serverImageProductCode", XEN_IMAGE),
            ("productCode", XEN_PRODUCT), ("regionCode", "KR"), ("zoneCode", "KR-2")])
        p = prods["productList"][0]
        for f in ("productCode", "productName", "productDescription", "generationCode"):
            self.assertIsInstance(p[f], str, f)
        for f in ("productType", "infraResourceType", "diskType"):
            self.assertIsInstance(p[f]["code"], str, f)
        for f in ("cpuCount", "memorySize", "baseBlockStorageSize"):
            self.assertIs(type(p[f]), int, f)
        nums = self.sdk("vserver", "getServerImageList", [
            ("regionCode", "KR"), ("serverImageName", "ubuntu-22.04-base"),
            ("hypervisorCodeList.1", "KVM")])
        self.assertEqual([i["serverImageNo"] for i in nums["serverImageList"]], [KVM_IMAGE_NO])
        specs = self.sdk("vserver", "getServerSpecList", [("regionCode", "KR")])
        self.assertIn("KVM", [s["hypervisorType"]["code"] for s in specs["serverSpecList"]])

    def test_every_error_is_a_response_error(self):
        """The provider parses error bodies with unchecked type assertions inside its retry
        loops: every error of an action of the VPC APIs is a responseError body."""
        for path in ("/vpc/v2/createSubnet", "/vserver/v2/addAccessControlGroupInboundRule"):
            r = self.c.call("x", None, method="POST", fmt="json", path=path,
                            raw_body="responseFormatType=json&vpcNo=%zz")
            self.assert_api_error(r, "json", 1100000, invalid("request (undecodable bytes)"))
            r = self.c.call("x", None, method="POST", fmt="json", path=path,
                            raw_body="responseFormatType=json&vpcNo=\xff".encode("latin-1"))
            self.assert_api_error(r, "json", 1100000, invalid("request (undecodable bytes)"))
            r = self.c.call("x", None, method="POST", fmt="xml", path=path,
                            raw_body="vpcNo=1&responseFormatType=json%00")
            self.assert_api_error(r, "xml", 1100000, invalid("responseFormatType"))
        # the signature is the gateway's, as on the platform (before any API)
        r = self.c.call("getVpcDetail", [("vpcNo", "1")], method="POST", fmt="json",
                        path="/vpc/v2/getVpcDetail", secret="wrong-secret")
        self.assert_gateway_error(r, 401, 200)


if __name__ == "__main__":
    unittest.main()

"""VPC servers (/vserver/v2, spec/vpc/vserver.md §1-§3, §6, §7, §12): the
ServerInstance of the VPC API, its lifecycle on the one state machine, the
objects made with it (eth0, basic storage, public IP), root passwords, login keys,
init scripts and the catalogue; every error of these actions with its message."""

import base64
import hashlib
import re
import unittest

import ncpd_harness as H
from vpc_util import (FORMATS, GiB, KVM_IMAGE, KVM_IMAGE_NO, KVM_SPEC, KVM_SPEC_PRODUCT, MSG,
                      XEN_IMAGE, XEN_PRODUCT, XEN_PRODUCT_4, VpcCase, invalid, key_in_use,
                      nic_list, required)

SERVER_FIELDS = [
    "serverInstanceNo", "serverName", "serverDescription", "cpuCount", "memorySize",
    "platformType", "loginKeyName", "publicIpInstanceNo", "publicIp", "serverInstanceStatus",
    "serverInstanceOperation", "serverInstanceStatusName", "createDate", "uptime",
    "serverImageProductCode", "serverProductCode", "isProtectServerTermination", "zoneCode",
    "regionCode", "vpcNo", "subnetNo", "networkInterfaceNoList", "initScriptNo",
    "serverInstanceType", "baseBlockStorageDiskType", "baseBlockStorageDiskDetailType",
    "placementGroupNo", "placementGroupName", "memberServerImageInstanceNo", "hypervisorType",
    "serverImageNo", "serverSpecCode"]
CREATING = (("INIT", "NULL"), ("INIT", "CREAT"), ("CREAT", "START"), ("RUN", "SETUP"))


def fingerprint_of(public_key_line):
    """The MD5 fingerprint of an OpenSSH public key line's blob."""
    md5 = hashlib.md5(base64.b64decode(public_key_line.split()[1])).hexdigest()
    return ":".join(md5[i:i + 2] for i in range(0, 32, 2))

class ServerTest(VpcCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key, cls.pem = None, None

    def setUp(self):
        if ServerTest.key is None:
            ServerTest.key, ServerTest.pem = self.make_key(self.c, "server-key")
            ServerTest.v = self.make_vpc(self.c, "10.20.0.0/16", name="srv-vpc")
            ServerTest.pub = self.make_subnet(self.c, self.v, "10.20.1.0/24", name="srv-pub")
            ServerTest.prv = self.make_subnet(self.c, self.v, "10.20.2.0/24", kind="PRIVATE",
                                              name="srv-prv")

    def test_create_kvm_through_every_state(self):
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                s = self.one(self.c, "vserver", "createServerInstances", [
                    ("regionCode", "KR"), ("serverImageNo", KVM_IMAGE_NO),
                    ("serverSpecCode", KVM_SPEC), ("vpcNo", self.v["vpc"]),
                    ("subnetNo", self.pub), ("serverName", "kvm-" + fmt),
                    ("loginKeyName", self.key)] + nic_list(self.v["acg"]), fmt=fmt)
                no = s["serverInstanceNo"]
                want = [f for f in SERVER_FIELDS if f != "baseBlockStorageDiskDetailType"]
                self.assertEqual(list(s), want)
                self.assertEqual((s["serverInstanceStatus"]["code"],
                                  s["serverInstanceOperation"]["code"],
                                  s["serverInstanceStatusName"]), ("INIT", "NULL", "init"))
                self.assertEqual(s["createDate"], s["uptime"])
                log = self.wait(lambda: self.server_state(self.c, no), ("RUN", "NULL"), CREATING)
                self.assertEqual(log.seen, list(CREATING) + [("RUN", "NULL")])
                got = self.both(self.c, "vserver", "getServerInstanceDetail",
                                [("serverInstanceNo", no)])["serverInstanceList"][0]
                self.assertEqual(
                    (got["cpuCount"], got["memorySize"], got["serverSpecCode"],
                     got["serverProductCode"], got["serverImageNo"], got["serverImageProductCode"],
                     got["hypervisorType"], got["zoneCode"], got["regionCode"], got["vpcNo"],
                     got["subnetNo"], got["loginKeyName"], got["publicIpInstanceNo"],
                     got["publicIp"], got["isProtectServerTermination"], got["serverDescription"],
                     got["platformType"]["code"], got["serverInstanceType"]["code"]),
                    (2, 8 * GiB, KVM_SPEC, KVM_SPEC_PRODUCT, KVM_IMAGE_NO, KVM_IMAGE,
                     {"code": "KVM", "codeName": "KVM"}, "KR-2", "KR", self.v["vpc"], self.pub,
                     self.key, "", "", False, "", "UBS64", "STAND"))
                self.assertNotIn("baseBlockStorageDiskDetailType", got)
                self.assertNotIn("blockDevicePartitionList", got)
                # eth0, made with it
                self.assertEqual(len(got["networkInterfaceNoList"]), 1)
                nic = self.one(self.c, "vserver", "getNetworkInterfaceDetail",
                               [("networkInterfaceNo", got["networkInterfaceNoList"][0])])
                self.assertEqual((nic["deviceName"], nic["isDefault"], nic["deleteOnTermination"],
                                  nic["networkInterfaceStatus"]["code"], nic["instanceNo"],
                                  nic["subnetNo"], nic["accessControlGroupNoList"],
                                  nic["instanceType"]["code"]),
                                 ("eth0", True, True, "USED", no, self.pub, [self.v["acg"]], "VSVR"))
                self.assertRegex(nic["ip"], r"^10\.20\.1\.([6-9]|\d\d+)$")
                # the basic storage, attached by the time the server runs
                disks = self.items(self.c, "vserver", "getBlockStorageInstanceList",
                                   [("serverInstanceNo", no)])
                self.assertEqual([(d["blockStorageType"]["code"], d["deviceName"],
                                   d["blockStorageInstanceStatusName"], d["blockStorageSize"],
                                   d["blockStorageVolumeType"]["code"],
                                   d["blockStorageDescription"])
                                  for d in disks],
                                 [("BASIC", "/dev/xvda", "attached", 10 * GiB, "CB1",
                                   "kvm-%s's basic storage" % fmt)])
                self.terminate(self.c, no)

    def test_create_xen_and_defaults(self):
        s = self.one(self.c, "vserver", "createServerInstances", [
            ("serverImageProductCode", XEN_IMAGE), ("serverProductCode", XEN_PRODUCT),
            ("vpcNo", self.v["vpc"]), ("subnetNo", self.pub), ("serverDescription", "xen box"),
            ("isProtectServerTermination", "true"), ("feeSystemTypeCode", "MTRAT"),
            ("blockDevicePartitionList.1.mountPoint", "/"),
            ("blockDevicePartitionList.1.partitionSize", "50")] + nic_list(self.v["acg"]))
        self.assertEqual(list(s), SERVER_FIELDS[:29] + ["blockDevicePartitionList"] +
                         SERVER_FIELDS[29:])
        self.assertEqual((s["baseBlockStorageDiskDetailType"], s["hypervisorType"]["code"],
                          s["serverSpecCode"], s["cpuCount"], s["serverDescription"],
                          s["isProtectServerTermination"], s["blockDevicePartitionList"]),
                         ({"code": "HDD", "codeName": "HDD"}, "XEN", "s2-g2-h50", 2, "xen box",
                          True, [{"mountPoint": "/", "partitionSize": "50"}]))
        self.assertRegex(s["serverName"], r"^vs[0-9a-f]+$")
        self.assertEqual(s["loginKeyName"], self.key)  # the newest key by default
        no = s["serverInstanceNo"]
        self.wait(lambda: self.server_state(self.c, no), ("RUN", "NULL"), CREATING)
        disk = self.one(self.c, "vserver", "getBlockStorageInstanceList",
                        [("serverInstanceNo", no)])
        self.assertEqual((disk["blockStorageSize"], disk["blockStorageVolumeType"]["code"],
                          disk["blockStorageDiskDetailType"]["code"], disk["hypervisorType"]["code"]),
                         (50 * GiB, "HDD", "HDD", "XEN"))
        # the image alone: the smallest spec that fits it
        s = self.one(self.c, "vserver", "createServerInstances", [
            ("serverImageNo", KVM_IMAGE_NO), ("vpcNo", self.v["vpc"]), ("subnetNo", self.pub)] +
            nic_list(self.v["acg"]))
        self.assertEqual((s["serverSpecCode"], s["cpuCount"], s["memorySize"]), ("c2-g3", 2, 4 * GiB))
        # protected: refused until unprotected
        self.stop(self.c, no)
        self.fails(self.c, "vserver", "terminateServerInstances", [("serverInstanceNoList.1", no)],
                   25023, MSG["25023"])
        got = self.one(self.c, "vserver", "setProtectServerTermination",
                       [("serverInstanceNo", no), ("isProtectServerTermination", "false")])
        self.assertIs(got["isProtectServerTermination"], False)
        self.terminate(self.c, no)

    def test_stop_start_change_spec_terminate(self):
        no = self.make_server(self.c, self.v, self.pub)
        nic = self.server(self.c, no)["networkInterfaceNoList"][0]
        disk = self.one(self.c, "vserver", "getBlockStorageInstanceList",
                        [("serverInstanceNo", no)])["blockStorageInstanceNo"]
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                s = self.one(self.c, "vserver", "stopServerInstances",
                             [("serverInstanceNoList.1", no)], fmt=fmt)
                self.assertEqual((s["serverInstanceStatus"]["code"],
                                  s["serverInstanceOperation"]["code"],
                                  s["serverInstanceStatusName"]), ("RUN", "SHTDN", "shutting down"))
                log = self.wait(lambda: self.server_state(self.c, no), ("NSTOP", "NULL"),
                                (("RUN", "SHTDN"),))
                self.fails(self.c, "vserver", "stopServerInstances",
                           [("serverInstanceNoList.1", no)], 28005, MSG["28005"], fmt)
                s = self.one(self.c, "vserver", "startServerInstances",
                             [("serverInstanceNoList.1", no)], fmt=fmt)
                self.assertEqual(s["serverInstanceOperation"]["code"], "START")
                self.wait(lambda: self.server_state(self.c, no), ("RUN", "NULL"),
                          (("NSTOP", "START"),))
        # spec change: stopped only, another spec of the image's hypervisor
        self.fails(self.c, "vserver", "changeServerInstanceSpec",
                   [("serverInstanceNo", no), ("serverSpecCode", "s4-g3")], 25041, MSG["25041"])
        self.stop(self.c, no)
        for params, code, msg in (
                ([], 900, required("serverProductCode or serverSpecCode")),
                ([("serverSpecCode", KVM_SPEC)], 10503, MSG["10503"]),
                ([("serverSpecCode", "c2-g2-s50")], 1401, MSG["1401"]),
                ([("serverProductCode", "SVR.NOPE")], 1401, MSG["1401"]),
                ([("serverSpecCode", "s4-g3"), ("serverProductCode", KVM_SPEC_PRODUCT)], 1401,
                 MSG["1401"])):
            for fmt in FORMATS:
                self.fails(self.c, "vserver", "changeServerInstanceSpec",
                           [("serverInstanceNo", no)] + params, code, msg, fmt)
        s = self.one(self.c, "vserver", "changeServerInstanceSpec",
                     [("serverInstanceNo", no), ("serverProductCode", "SVR.VSVR.STAND.C004.M016.G003")])
        self.assertEqual((s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"],
                          s["serverInstanceStatusName"]), ("NSTOP", "CHNG", "changingSpec"))
        self.fails(self.c, "vserver", "changeServerInstanceSpec",
                   [("serverInstanceNo", no), ("serverSpecCode", "c4-g3")], 25013, MSG["25013"])
        self.fails(self.c, "vserver", "terminateServerInstances", [("serverInstanceNoList.1", no)],
                   25017, MSG["25017"])
        self.wait(lambda: self.server_state(self.c, no), ("NSTOP", "NULL"), (("NSTOP", "CHNG"),))
        got = self.server(self.c, no)
        self.assertEqual((got["serverSpecCode"], got["cpuCount"], got["memorySize"],
                          got["serverProductCode"]),
                         ("s4-g3", 4, 16 * GiB, "SVR.VSVR.STAND.C004.M016.G003"))
        self.ok(self.c, "vserver", "startServerInstances", [("serverInstanceNoList.1", no)])
        self.wait(lambda: self.server_state(self.c, no), ("RUN", "NULL"), (("NSTOP", "START"),))
        self.fails(self.c, "vserver", "terminateServerInstances", [("serverInstanceNoList.1", no)],
                   25022, MSG["25022"])
        self.stop(self.c, no)
        s = self.one(self.c, "vserver", "terminateServerInstances",
                     [("serverInstanceNoList.1", no)])
        self.assertEqual((s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"],
                          s["serverInstanceStatusName"]), ("NSTOP", "TERMT", "terminating"))
        log = self.wait(lambda: self.server_state(self.c, no), None, (("NSTOP", "TERMT"),))
        self.assertEqual(log.seen[-1], None)
        # its eth0 and basic storage went with it; the number reads as unknown
        self.assertEqual(self.items(self.c, "vserver", "getNetworkInterfaceDetail",
                                    [("networkInterfaceNo", nic)]), [])
        self.assertEqual(self.items(self.c, "vserver", "getBlockStorageInstanceDetail",
                                    [("blockStorageInstanceNo", disk)]), [])
        self.fails(self.c, "vserver", "stopServerInstances", [("serverInstanceNoList.1", no)],
                   24120, MSG["24120"])

    def test_server_number_errors(self):
        a = self.make_server(self.c, self.v, self.pub)
        b = self.make_server(self.c, self.v, self.pub, wait=False)
        for fmt in FORMATS:
            for action in ("stopServerInstances", "startServerInstances",
                           "terminateServerInstances"):
                with self.subTest(fmt=fmt, action=action):
                    self.fails(self.c, "vserver", action, [], 900,
                               required("serverInstanceNoList"), fmt)
                    for bad in ("x1", "", "12345678901234567890"):
                        if bad == "":
                            continue
                        self.fails(self.c, "vserver", action, [("serverInstanceNoList.1", bad)],
                                   24109, MSG["24109"], fmt)
                    # another kind of the caller's (its subnet): 24109; unknown: 24120
                    self.fails(self.c, "vserver", action, [("serverInstanceNoList.1", self.pub)],
                               24109, MSG["24109"], fmt)
                    self.fails(self.c, "vserver", action, [("serverInstanceNoList.1", "999999")],
                               24120, MSG["24120"], fmt)
                    self.fails(self.c, "vserver", action,
                               [("serverInstanceNoList.1", a), ("serverInstanceNoList.2", a)],
                               1100000, invalid("serverInstanceNoList. duplicated value : %s" % a),
                               fmt)
            # every server is checked before any acts (DECISIONS D2)
            self.fails(self.c, "vserver", "stopServerInstances",
                       [("serverInstanceNoList.1", a), ("serverInstanceNoList.2", b)], 25041,
                       MSG["25041"], fmt)
            self.assertEqual(self.server_state(self.c, a), ("RUN", "NULL"))
            self.fails(self.c, "vserver", "getServerInstanceDetail", [("serverInstanceNo", "x")],
                       24109, MSG["24109"], fmt)
            for unknown in ("999999", self.pub):
                self.assertEqual(self.items(self.c, "vserver", "getServerInstanceDetail",
                                            [("serverInstanceNo", unknown)], fmt=fmt), [])
            self.fails(self.c, "vserver", "setProtectServerTermination",
                       [("serverInstanceNo", "999999"), ("isProtectServerTermination", "true")],
                       24120, MSG["24120"], fmt)
            self.fails(self.c, "vserver", "setProtectServerTermination",
                       [("serverInstanceNo", a)], 900, required("isProtectServerTermination"), fmt)

    def test_create_errors(self):
        base = [("vpcNo", self.v["vpc"]), ("subnetNo", self.pub), ("serverImageNo", KVM_IMAGE_NO)]

        def p(*extra, drop=(), nics=None):
            out = [x for x in base if x[0] not in drop] + list(extra)
            return out + (nic_list(self.v["acg"]) if nics is None else nics)
        other = self.make_vpc(self.c, "10.21.0.0/16")
        other_sub = self.make_subnet(self.c, other, "10.21.1.0/24")
        lb = self.make_subnet(self.c, self.v, "10.20.3.0/24", usage="LOADB")
        self.make_server(self.c, self.v, self.pub, extra=[("serverName", "taken-name")],
                         wait=False)
        free_nic = self.one(self.c, "vserver", "createNetworkInterface", [
            ("vpcNo", self.v["vpc"]), ("subnetNo", self.prv),
            ("accessControlGroupNoList.1", self.v["acg"])])["networkInterfaceNo"]
        cases = [
            (p(drop=("serverImageNo",)), 900,
             required("serverImageProductCode or memberServerImageInstanceNo")),
            (p(drop=("vpcNo",)), 900, required("vpcNo")),
            (p(drop=("subnetNo",)), 900, required("subnetNo")),
            (p(nics=[]), 900, required("networkInterfaceList")),
            (p(("serverImageProductCode", "SW.NOPE")), 10712, MSG["10712"]),
            (p(drop=("serverImageNo",), *[("serverImageNo", "1234")]), 10712, MSG["10712"]),
            (p(("serverImageProductCode", XEN_IMAGE)), 10712, MSG["10712"]),
            (p(("memberServerImageInstanceNo", "1234")), 10712, MSG["10712"]),
            (p(("serverSpecCode", "x9-g3")), 1401, MSG["1401"]),
            (p(("serverProductCode", XEN_PRODUCT)), 1401, MSG["1401"]),
            (p(("serverSpecCode", "s2-g3"), ("serverProductCode", "SVR.VSVR.STAND.C004.M016.G003")),
             1401, MSG["1401"]),
            (p(drop=("vpcNo",), *[("vpcNo", "999999")]), 1100000, invalid("vpcNo")),
            (p(drop=("subnetNo",), *[("subnetNo", other_sub)]), 1100000, invalid("subnetNo")),
            (p(drop=("subnetNo",), *[("subnetNo", lb)]), 1100000, invalid("subnetNo")),
            (p(drop=("subnetNo",), *[("subnetNo", self.prv), ("associateWithPublicIp", "true")]),
             1100000, invalid("associateWithPublicIp (the subnet is private)")),
            (p(("placementGroupNo", "1")), 1100000,
             invalid("placementGroupNo (no placement group exists)")),
            (p(("fabricClusterPoolNo", "1")), 1100000,
             invalid("fabricClusterPoolNo (no fabric cluster exists)")),
            (p(("blockStorageMappingList.1.order", "0")), 1100000,
             invalid("blockStorageMappingList (not supported by this ncpd)")),
            (p(("serverName", "Bad")), 1100000, invalid("serverName")),
            (p(("serverName", "bad-")), 1100000, invalid("serverName")),
            (p(("serverName", "taken-name")), 10300, MSG["10300"]),
            (p(("serverCreateCount", "21")), 1100000, invalid("serverCreateCount")),
            (p(("serverCreateCount", "2"), ("serverCreateStartNo", "999")), 1100000,
             invalid("serverCreateStartNo")),
            (p(("loginKeyName", "no-such-key")), 10406, MSG["10406"]),
            (p(("initScriptNo", "999999")), 1100000, invalid("initScriptNo")),
            (p(("serverDescription", "é" * 501)), 1100000, invalid("serverDescription")),
            (p(("blockDevicePartitionList.1.mountPoint", "/")), 900,
             required("blockDevicePartitionList.1.partitionSize")),
            (p(("feeSystemTypeCode", "FREE")), 1100000, invalid("feeSystemTypeCode")),
            (p(nics=[("networkInterfaceList.1.subnetNo", self.pub)]), 900,
             required("networkInterfaceList.1.networkInterfaceOrder")),
            (p(nics=nic_list(self.v["acg"], order=3)), 1100000,
             invalid("networkInterfaceList.1.networkInterfaceOrder")),
            (p(nics=nic_list(self.v["acg"], order=1)), 900,
             required("networkInterfaceList.N.networkInterfaceOrder 0")),
            (p(nics=nic_list(self.v["acg"]) + nic_list(self.v["acg"], index=2)), 1100000,
             invalid("networkInterfaceList.2.networkInterfaceOrder (duplicated)")),
            (p(nics=nic_list()), 900, required("networkInterfaceList.1.accessControlGroupNoList")),
            (p(nics=nic_list(other["acg"])), 1100000,
             invalid("networkInterfaceList.1.accessControlGroupNoList (%s is no ACG of VPC %s)"
                     % (other["acg"], self.v["vpc"]))),
            (p(nics=nic_list(self.v["acg"], ip="10.20.1.2")), 1100000,
             invalid("networkInterfaceList.N.ip")),
            (p(nics=nic_list(nic="999999")), 1100000,
             invalid("networkInterfaceList.1.networkInterfaceNo")),
            (p(nics=nic_list(nic=free_nic)), 1100000, invalid("networkInterfaceList.1.subnetNo")),
            (p(("serverCreateCount", "2"), nics=nic_list(self.v["acg"], ip="10.20.1.50")), 1100000,
             invalid("networkInterfaceList.1.ip (one address, several servers)")),
            (p(("regionCode", "JPN")), 1100000, invalid("regionCode")),
        ]
        for fmt in FORMATS:
            for params, code, msg in cases:
                with self.subTest(fmt=fmt, msg=msg):
                    self.fails(self.c, "vserver", "createServerInstances", params, code, msg, fmt)
        # a VPC that is not RUN yet: 1001015
        young = self.one(self.c, "vpc", "createVpc", [("ipv4CidrBlock", "10.22.0.0/16")])
        self.fails(self.c, "vserver", "createServerInstances",
                   [("vpcNo", young["vpcNo"]), ("subnetNo", self.pub),
                    ("serverImageNo", KVM_IMAGE_NO)] + nic_list(self.v["acg"]),
                   1001015, MSG["1001015"])

    def test_several_servers_names_addresses_and_public_ip(self):
        sub = self.make_subnet(self.c, self.v, "10.20.8.0/28", name="small")
        got = self.items(self.c, "vserver", "createServerInstances", [
            ("vpcNo", self.v["vpc"]), ("subnetNo", sub), ("serverImageNo", KVM_IMAGE_NO),
            ("serverName", "web"), ("serverCreateCount", "2"), ("serverCreateStartNo", "7"),
            ("associateWithPublicIp", "true")] + nic_list(self.v["acg"]))
        self.assertEqual([s["serverName"] for s in got], ["web-007", "web-008"])
        ips = []
        for s in got:
            self.assertRegex(s["publicIp"], r"^223\.130\.\d+\.\d+$")
            self.assertTrue(s["publicIpInstanceNo"])
            nic = self.one(self.c, "vserver", "getNetworkInterfaceDetail",
                           [("networkInterfaceNo", s["networkInterfaceNoList"][0])])
            ips.append(nic["ip"])
        self.assertEqual(ips, ["10.20.8.6", "10.20.8.7"])
        # a /28 holds .6 to .14 for interfaces: nine
        more = self.items(self.c, "vserver", "createServerInstances", [
            ("vpcNo", self.v["vpc"]), ("subnetNo", sub), ("serverImageNo", KVM_IMAGE_NO),
            ("serverCreateCount", "7")] + nic_list(self.v["acg"]))
        self.assertEqual(len(more), 7)
        self.fails(self.c, "vserver", "createServerInstances", [
            ("vpcNo", self.v["vpc"]), ("subnetNo", sub), ("serverImageNo", KVM_IMAGE_NO)] +
            nic_list(self.v["acg"]), 1100000,
            invalid("subnetNo (no free IP address left in 10.20.8.0/28)"))

    def test_root_password(self):
        key, pem = self.make_key(self.c, "pw-key")
        no = self.make_server(self.c, self.v, self.pub, extra=[("loginKeyName", key)])
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                inner = self.ok(self.c, "vserver", "getRootPassword",
                                [("serverInstanceNo", no), ("privateKey", pem)], fmt=fmt)
                self.assertEqual(list(inner)[3:], ["totalRows", "rootPassword"])
                self.assertRegex(inner["rootPassword"], r"^\S{12}$")
                self.fails(self.c, "vserver", "getRootPassword", [("serverInstanceNo", no)], 900,
                           required("privateKey"), fmt)
                self.fails(self.c, "vserver", "getRootPassword",
                           [("serverInstanceNo", no), ("privateKey", self.pem)], 24001,
                           MSG["24001"], fmt)
                self.fails(self.c, "vserver", "getRootPassword",
                           [("serverInstanceNo", no), ("privateKey", "garbage")], 24001,
                           MSG["24001"], fmt)
                self.fails(self.c, "vserver", "getRootPassword",
                           [("serverInstanceNo", "999999"), ("privateKey", pem)], 24120,
                           MSG["24120"], fmt)
        one = self.ok(self.c, "vserver", "getRootPassword",
                      [("serverInstanceNo", no), ("privateKey", pem.replace("\n", "\\n"))])
        self.assertEqual(one["rootPassword"], inner["rootPassword"])

    def test_login_keys(self):
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                inner = self.ok(self.c, "vserver", "createLoginKey", [("keyName", "")], fmt=fmt)
                self.assertEqual(list(inner)[3:], ["totalRows", "keyName", "privateKey"])
                name = inner["keyName"]
                self.assertRegex(name, r"^k[0-9a-f]+$")
                self.assertTrue(inner["privateKey"].startswith("-----BEGIN RSA PRIVATE KEY-----"))
                got = self.one(self.c, "vserver", "getLoginKeyList", [("keyName", name)], fmt=fmt)
                self.assertEqual(list(got), ["keyName", "fingerprint", "publicKey", "createDate"])
                self.assertRegex(got["fingerprint"], r"^([0-9a-f]{2}:){15}[0-9a-f]{2}$")
                self.assertTrue(got["publicKey"].startswith("ssh-rsa AAAA"))
                # the public half of this very key: its MD5 fingerprint is the key's
                self.assertEqual(got["fingerprint"], fingerprint_of(got["publicKey"]))
                self.fails(self.c, "vserver", "createLoginKey", [("keyName", name)], 10405,
                           MSG["10405"], fmt)
                self.fails(self.c, "vserver", "createLoginKey", [("keyName", "Bad_Key")], 1100000,
                           invalid("keyName"), fmt)
                inner = self.ok(self.c, "vserver", "deleteLoginKeys", [("keyNameList.1", name)],
                                fmt=fmt)
                self.assertEqual(list(inner)[3:], ["totalRows"])
                self.assertEqual(self.items(self.c, "vserver", "getLoginKeyList",
                                            [("keyName", name)], fmt=fmt), [])
                self.fails(self.c, "vserver", "deleteLoginKeys", [("keyNameList.1", name)], 10406,
                           MSG["10406"], fmt)
                self.fails(self.c, "vserver", "deleteLoginKeys", [], 900, required("keyNameList"),
                           fmt)
        key, _ = self.make_key(self.c, "used-key")
        no = self.make_server(self.c, self.v, self.pub, extra=[("loginKeyName", key)], wait=False)
        self.fails(self.c, "vserver", "deleteLoginKeys", [("keyNameList.1", key)], 10407,
                   key_in_use(key, 1))
        self.fails(self.c, "vserver", "deleteLoginKeys",
                   [("keyNameList.1", "pw-x"), ("keyNameList.2", "pw-x")], 10406, MSG["10406"])
        k2, _ = self.make_key(self.c, "twice-key")
        self.fails(self.c, "vserver", "deleteLoginKeys",
                   [("keyNameList.1", k2), ("keyNameList.2", k2)], 1100000,
                   invalid("keyNameList. duplicated value : twice-key"))
        # keys are the account's, shared with the classic API (as on the platform)
        classic = self.c.call("getLoginKeyList", [("keyName", k2)], fmt="json")
        self.assertEqual([k["keyName"] for k in H.lenient_inner(classic.body)["loginKeyList"]], [k2])
        # one public half per key (login_keys.public_key): a key the classic API made or
        # imported shows it in the VPC list too
        r = self.c.call("createLoginKey", [("keyName", "classic-made")], fmt="json")
        self.assertEqual(r.status, 200, r.body)
        got = self.one(self.c, "vserver", "getLoginKeyList", [("keyName", "classic-made")])
        self.assertTrue(got["publicKey"].startswith("ssh-rsa AAAA"), got)
        self.assertEqual(got["fingerprint"], fingerprint_of(got["publicKey"]))
        line = "ssh-rsa " + got["publicKey"].split()[1] + " someone@example"
        r = self.c.call("importLoginKey", [("keyName", "classic-imported"), ("publicKey", line)],
                        fmt="json")
        self.assertEqual(r.status, 200, r.body)
        for fmt in FORMATS:
            got = self.one(self.c, "vserver", "getLoginKeyList",
                           [("keyName", "classic-imported")], fmt=fmt)
            self.assertEqual(got["publicKey"], line)
        # deleted and made again under the same name: the new key's half, not the old one's
        old = self.one(self.c, "vserver", "getLoginKeyList", [("keyName", k2)])["publicKey"]
        self.ok(self.c, "vserver", "deleteLoginKeys", [("keyNameList.1", k2)])
        self.make_key(self.c, k2)
        new = self.one(self.c, "vserver", "getLoginKeyList", [("keyName", k2)])
        self.assertNotEqual(new["publicKey"], old)
        self.assertEqual(new["fingerprint"], fingerprint_of(new["publicKey"]))
        # newest first, paging
        page = self.ok(self.c, "vserver", "getLoginKeyList", [("pageNo", "1"), ("pageSize", "1")])
        self.assertEqual([k["keyName"] for k in page["loginKeyList"]], [k2])
        self.assertGreaterEqual(page["totalRows"], 3)
        self.wait(lambda: self.server_state(self.c, no), ("RUN", "NULL"), CREATING)
        self.terminate(self.c, no)
        self.ok(self.c, "vserver", "deleteLoginKeys", [("keyNameList.1", key)])

    def test_init_scripts(self):
        script = "#!/bin/sh\necho 'héllo' > /tmp/x\n"
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                s = self.one(self.c, "vserver", "createInitScript",
                             [("initScriptContent", script), ("initScriptName", "")], fmt=fmt)
                self.assertEqual(list(s), ["initScriptNo", "initScriptName", "createDate",
                                           "initScriptDescription", "initScriptContent", "osType"])
                self.assertEqual((s["initScriptContent"], s["initScriptDescription"], s["osType"]),
                                 (script, "", {"code": "LNX", "codeName": "LINUX"}))
                self.assertRegex(s["initScriptName"], r"^init-[0-9a-f]+$")
                got = self.both(self.c, "vserver", "getInitScriptDetail",
                                [("initScriptNo", s["initScriptNo"])])["initScriptList"][0]
                self.assertEqual(got["initScriptContent"], script)
                d = self.items(self.c, "vserver", "deleteInitScripts",
                               [("initScriptNoList.1", s["initScriptNo"])], fmt=fmt)
                self.assertEqual([x["initScriptNo"] for x in d], [s["initScriptNo"]])
                self.assertEqual(self.items(self.c, "vserver", "getInitScriptDetail",
                                            [("initScriptNo", s["initScriptNo"])], fmt=fmt), [])
                self.fails(self.c, "vserver", "deleteInitScripts",
                           [("initScriptNoList.1", s["initScriptNo"])], 1100000,
                           invalid("initScriptNoList"), fmt)
                self.fails(self.c, "vserver", "createInitScript", [], 900,
                           required("initScriptContent"), fmt)
                self.fails(self.c, "vserver", "createInitScript",
                           [("initScriptContent", "x"), ("osTypeCode", "MAC")], 1100000,
                           invalid("osTypeCode"), fmt)
                self.fails(self.c, "vserver", "createInitScript",
                           [("initScriptContent", "x"), ("initScriptName", "X")], 1100000,
                           invalid("initScriptName"), fmt)
        w = self.one(self.c, "vserver", "createInitScript",
                     [("initScriptContent", "rem x"), ("initScriptName", "win-init"),
                      ("initScriptDescription", "for windows"), ("osTypeCode", "WND")])
        self.assertEqual(w["osType"], {"code": "WND", "codeName": "WINDOWS"})
        self.fails(self.c, "vserver", "createInitScript",
                   [("initScriptContent", "x"), ("initScriptName", "win-init")], 1100000,
                   invalid("initScriptName is duplicated."))
        s = self.one(self.c, "vserver", "createServerInstances", [
            ("vpcNo", self.v["vpc"]), ("subnetNo", self.pub), ("serverImageNo", KVM_IMAGE_NO),
            ("initScriptNo", w["initScriptNo"])] + nic_list(self.v["acg"]))
        self.assertEqual(s["initScriptNo"], w["initScriptNo"])
        # a script a server names may go (the server keeps the number)
        self.ok(self.c, "vserver", "deleteInitScripts", [("initScriptNoList.1", w["initScriptNo"])])


class CatalogueTest(VpcCase):

    def test_regions_and_zones(self):
        r = self.both(self.c, "vserver", "getRegionList")
        self.assertEqual((r["totalRows"], r["regionList"]),
                         (1, [{"regionCode": "KR", "regionName": "Korea"}]))
        z = self.both(self.c, "vserver", "getZoneList", [("regionCode", "KR")])
        self.assertEqual(z["zoneList"], [
            {"zoneName": "KR-2", "zoneCode": "KR-2", "regionCode": "KR", "zoneDescription": "평촌 zone"},
            {"zoneName": "KR-1", "zoneCode": "KR-1", "regionCode": "KR",
             "zoneDescription": "가산 zone"}])
        for fmt in FORMATS:
            self.fails(self.c, "vserver", "getZoneList", [("regionCode", "XX")], 1100000,
                       invalid("regionCode"), fmt)
            self.fails(self.c, "vserver", "getRegionList", [("regionCode", "KR")], 1100000,
                       invalid("regionCode"), fmt)

    def test_product_catalogue(self):
        for fmt in FORMATS:
            r = self.call(self.c, "vserver", "getServerImageProductList", None, fmt=fmt)
            self.assertEqual(r.status, 200, r)
            if fmt == "json":
                inner = self.assert_json_layout(r, "getServerImageProductListResponse")
                self.assertEqual(list(inner), ["requestId", "returnCode", "returnMessage",
                                               "productList", "totalRows"])
                self.assertEqual(inner["totalRows"], 5)
                for p in inner["productList"]:
                    for f in ("productCode", "productName", "productType", "productDescription",
                              "infraResourceType", "baseBlockStorageSize", "platformType",
                              "osInformation"):
                        self.assertIn(f, p)
            else:
                el = H.ET.fromstring(r.body)
                self.assertEqual([c.tag for c in el], ["requestId", "returnCode", "returnMessage",
                                                       "productList", "totalRows"])
        codes = [p["productCode"] for p in self.items(
            self.c, "vserver", "getServerImageProductList",
            [("platformTypeCodeList.1", "UBS64")], key="productList")]
        self.assertEqual(codes, ["SW.VSVR.OS.LNX64.UBNTU.SVR2004.B050", KVM_IMAGE])
        self.assertEqual([p["productCode"] for p in self.items(
            self.c, "vserver", "getServerImageProductList",
            [("productCode", XEN_IMAGE), ("regionCode", "KR")], key="productList")], [XEN_IMAGE])
        self.assertEqual(self.items(self.c, "vserver", "getServerImageProductList",
                                    [("infraResourceDetailTypeCode", "BM")], key="productList"), [])
        xen = self.items(self.c, "vserver", "getServerProductList",
                         [("serverImageProductCode", XEN_IMAGE), ("zoneCode", "KR-2")],
                         key="productList")
        self.assertIn(XEN_PRODUCT, [p["productCode"] for p in xen])
        self.assertIn(XEN_PRODUCT_4, [p["productCode"] for p in xen])
        for p in xen:
            self.assertEqual((p["generationCode"], p["baseBlockStorageSize"], p["diskType"]["code"],
                              p["infraResourceType"]["code"]), ("G2", 50 * GiB, "NET", "VSVR"))
        kvm = self.items(self.c, "vserver", "getServerProductList",
                         [("serverImageProductCode", KVM_IMAGE), ("exclusionProductCode",
                                                                  KVM_SPEC_PRODUCT)],
                         key="productList")
        self.assertTrue(kvm)
        self.assertTrue(all(p["generationCode"] == "G3" for p in kvm))
        self.assertNotIn(KVM_SPEC_PRODUCT, [p["productCode"] for p in kvm])
        for fmt in FORMATS:
            self.fails(self.c, "vserver", "getServerProductList", [], 900,
                       required("serverImageProductCode"), fmt)
            self.fails(self.c, "vserver", "getServerProductList",
                       [("serverImageProductCode", "SW.NOPE")], 10712, MSG["10712"], fmt)
            self.fails(self.c, "vserver", "getServerProductList",
                       [("memberServerImageInstanceNo", "12")], 10712, MSG["10712"], fmt)
            self.fails(self.c, "vserver", "getServerProductList",
                       [("serverImageProductCode", XEN_IMAGE), ("zoneCode", "KR-9")], 1100000,
                       invalid("zoneCode"), fmt)

    def test_image_and_spec_catalogue(self):
        j = self.both(self.c, "vserver", "getServerImageList")
        names = [i["serverImageName"] for i in j["serverImageList"]]
        self.assertIn("ubuntu-22.04-base", names)
        img = next(i for i in j["serverImageList"] if i["serverImageNo"] == KVM_IMAGE_NO)
        for f in ("serverImageType", "hypervisorType", "cpuArchitectureType", "osCategoryType",
                  "osType"):
            self.assertEqual(sorted(img[f]), ["code", "codeName"], f)
        mapping = img["blockStorageMappingList"][0]
        self.assertEqual((type(mapping["blockStorageSnapshotInstanceNo"]),
                          mapping["blockStorageSize"], mapping["blockStorageVolumeType"]["code"]),
                         (int, 10 * GiB, "CB1"))
        # the provider's data source: a name and the v1.6.26 spelling; v1.6.30's spelling
        for spelling in ("hypervisorCodeList.1", "hypervisorTypeCodeList.1"):
            got = self.items(self.c, "vserver", "getServerImageList",
                             [("serverImageName", "ubuntu-22.04-base"), (spelling, "KVM")])
            self.assertEqual([i["serverImageNo"] for i in got], [KVM_IMAGE_NO])
            got = self.items(self.c, "vserver", "getServerImageList", [(spelling, "XEN")])
            self.assertTrue(got)
            self.assertTrue(all(i["hypervisorType"]["code"] == "XEN" for i in got))
        # a nil element writes nothing: an empty value is absent too
        self.assertEqual(len(self.items(self.c, "vserver", "getServerImageList",
                                        [("hypervisorCodeList.1", "")])), 5)
        page = self.ok(self.c, "vserver", "getServerImageList",
                       [("sortedBy", "serverImageName"), ("sortingOrder", "descending"),
                        ("pageNo", "1"), ("pageSize", "2")])
        self.assertEqual((page["totalRows"], [i["serverImageName"] for i in page["serverImageList"]]),
                         (5, ["ubuntu-22.04-base", "ubuntu-20.04"]))
        specs = self.both(self.c, "vserver", "getServerSpecList", [("regionCode", "KR")])
        kvm = [s for s in specs["serverSpecList"] if s["hypervisorType"]["code"] == "KVM"]
        self.assertIn(KVM_SPEC, [s["serverSpecCode"] for s in kvm])
        one = next(s for s in kvm if s["serverSpecCode"] == KVM_SPEC)
        self.assertEqual(list(one), [
            "serverSpecCode", "generationCode", "cpuCount", "memorySize", "hypervisorType",
            "cpuArchitectureType", "blockStorageMaxCount", "blockStorageMaxIops",
            "blockStorageMaxThroughput", "networkPerformance", "networkInterfaceMaxCount",
            "serverProductCode", "serverSpecDescription", "gpuCount", "serverSpecNo"])
        self.assertEqual((one["cpuCount"], one["memorySize"], one["serverProductCode"]),
                         (2, 8 * GiB, KVM_SPEC_PRODUCT))
        fits = self.items(self.c, "vserver", "getServerSpecList", [("serverImageNo", KVM_IMAGE_NO)])
        self.assertTrue(all(s["generationCode"] == "G3" for s in fits))
        self.assertEqual([s["serverSpecCode"] for s in self.items(
            self.c, "vserver", "getServerSpecList",
            [("serverSpecCodeList.1", "c2-g2-s50"), ("hypervisorCodeList.1", "XEN")])],
            ["c2-g2-s50"])
        for fmt in FORMATS:
            self.fails(self.c, "vserver", "getServerSpecList", [("zoneCode", "KR-9")], 1100000,
                       invalid("zoneCode"), fmt)
            self.fails(self.c, "vserver", "getServerImageList", [("hypervisorCodeList.1", "VMW")],
                       1100000, invalid("hypervisorCodeList"), fmt)

    def test_catalogue_replaced(self):
        """`--catalog PATH` replaces the VPC catalogue too (its "vpc" object); a file
        without one keeps the built-in VPC catalogue."""
        import json, os, tempfile
        from lifecycle_util import catalog_dump
        rc, out, err = catalog_dump()
        self.assertEqual(rc, 0, err)
        cat = json.loads(out)
        vpc = cat["vpc"]
        self.assertEqual(sorted(vpc), ["images", "regions", "specs", "zones"])
        vpc["images"] = [i for i in vpc["images"] if i["serverImageNo"] == str(KVM_IMAGE_NO)]
        vpc["images"][0]["serverImageName"] = "site-ubuntu"
        vpc["specs"] = [s for s in vpc["specs"] if s["serverSpecCode"] == KVM_SPEC]
        import shutil
        tmp = tempfile.mkdtemp(prefix="ncpd-vcat-")
        self.addCleanup(shutil.rmtree, tmp, True)
        path = os.path.join(tmp, "catalog.json")
        with open(path, "w") as f:
            json.dump(cat, f)
        d = self.new_daemon(sim_step_ms=0, extra_args=["--catalog", path])
        c = d.client()
        self.assertEqual([(i["serverImageNo"], i["serverImageName"]) for i in self.items(
            c, "vserver", "getServerImageList")], [(KVM_IMAGE_NO, "site-ubuntu")])
        self.assertEqual([s["serverSpecCode"] for s in self.items(
            c, "vserver", "getServerSpecList")], [KVM_SPEC])
        self.assertEqual(self.items(c, "vserver", "getServerSpecList",
                                    [("serverSpecCodeList.1", "c2-g2-s50")]), [])
        d.stop()
        del cat["vpc"]
        with open(path, "w") as f:
            json.dump(cat, f)
        d = self.new_daemon(sim_step_ms=0, extra_args=["--catalog", path])
        self.assertEqual(len(self.items(d.client(), "vserver", "getServerImageList")), 5)
        d.stop()


if __name__ == "__main__":
    unittest.main()

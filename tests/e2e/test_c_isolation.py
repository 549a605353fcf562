"""Account isolation for every action of issue 11 (DECISIONS D7): account B naming account A's
disk, snapshot, public IP, port-forwarding configuration, NAS volume, member image, network
interface, private subnet or server gets exactly the answer it gets for a number that does
not exist, in both formats and both methods; A's resources (and B's) are unchanged after;
B's lists never show A's resources.
"""

import unittest

from c_util import (DISK, IMAGE, IP, NAS, SNAP, UNKNOWN, ResourceCase, nlist, no_list,
                    wait_for)
from ncpd_harness import decode

METHODS = ("GET", "POST")
SEED = "1021003"
SEED_IP_NO = "1021203"
SEED_PF = "31260"
SEED_SUBNET = "1021301"
RATING = [("startTime", "202401010000"), ("endTime", "202401010100"), ("interval", "30m")]


def ok(resp):
    inner = decode(resp, "json")[1]
    assert resp.status == 200 and inner.get("returnCode") == "0", resp
    return inner


def rule(config, server, ext=9090, internal=22):
    return [("portForwardingConfigurationNo", config),
            ("portForwardingRuleList.1.serverInstanceNo", server),
            ("portForwardingRuleList.1.portForwardingExternalPort", str(ext)),
            ("portForwardingRuleList.1.portForwardingInternalPort", str(internal))]


class ClassicIsolationTest(ResourceCase):

    @classmethod
    def setUpClass(cls):
        d = cls.d = cls.new_class_daemon(sim_step_ms=0)
        a = cls.a = d.client()

        def call(c, action, params):
            return ok(c.call(action, params, method="POST", fmt="json"))
        cls.a_disk = call(a, "createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                            ("blockStorageSize", "10")])[
            "blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        cls.a_free = call(a, "createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                            ("blockStorageSize", "10")])[
            "blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        wait_for(lambda: a.state(SEED)[1] == "NULL", timeout=10, message="disks attached")
        call(a, "detachBlockStorageInstances", nlist("blockStorageInstanceNoList", [cls.a_free]))
        wait_for(lambda: a.state(SEED)[1] == "NULL", timeout=10, message="disk detached")
        cls.a_snap = call(a, "createBlockStorageSnapshotInstance",
                          [("blockStorageInstanceNo", cls.a_free)])[
            "blockStorageSnapshotInstanceList"][0]["blockStorageSnapshotInstanceNo"]
        cls.a_ip = call(a, "createPublicIpInstance", [])["publicIpInstanceList"][0][
            "publicIpInstanceNo"]
        cls.a_nas = call(a, "createNasVolumeInstance", [("volumeName", "anas"),
                                                        ("volumeSize", "500"),
                                                        ("volumeAllotmentProtocolTypeCode",
                                                         "NFS")])[
            "nasVolumeInstanceList"][0]["nasVolumeInstanceNo"]
        cls.a_img = call(a, "createMemberServerImage", [("serverInstanceNo", "1021004")])[
            "memberServerImageList"][0]["memberServerImageNo"]
        call(a, "createNetworkInterface", [("privateSubnetInstanceNo", SEED_SUBNET),
                                           ("networkInterfaceName", "a-nic"),
                                           ("networkInterfaceIp", "10.200.3.40")])
        cls.a_nic = call(a, "getNetworkInterfaceList", [])["networkInterfaceList"][0][
            "networkInterfaceNo"]
        call(a, "createInstanceTags", [("instanceNoList.1", SEED),
                                       ("instanceTagList.1.tagKey", "owner"),
                                       ("instanceTagList.1.tagValue", "a")])
        ak, sk = d.create_account("iso-b")
        b = cls.b = d.client(ak, sk)
        call(b, "createLoginKey", [("keyName", "b-key")])
        cls.b_srv = call(b, "createServerInstances", [
            ("serverImageProductCode", "SPSW0LINUX000046"), ("serverName", "b-srv"),
            ("zoneNo", "3"), ("serverProductCode", "SPSVRSTAND000004")])[
            "serverInstanceList"][0]["serverInstanceNo"]
        wait_for(lambda: b.state(cls.b_srv) == ("RUN", "NULL", "running"), timeout=10,
                 message="B's server")
        cls.b_disk = call(b, "createBlockStorageInstance", [("serverInstanceNo", cls.b_srv),
                                                            ("blockStorageSize", "10")])[
            "blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        wait_for(lambda: b.state(cls.b_srv)[1] == "NULL", timeout=10, message="B's disk")
        cls.b_ip = call(b, "createPublicIpInstance", [])["publicIpInstanceList"][0][
            "publicIpInstanceNo"]
        cls.b_nas = call(b, "createNasVolumeInstance", [("volumeName", "bnas"),
                                                        ("volumeSize", "500"),
                                                        ("volumeAllotmentProtocolTypeCode",
                                                         "NFS")])[
            "nasVolumeInstanceList"][0]["nasVolumeInstanceNo"]
        cls.b_pf = call(b, "getPortForwardingRuleList", [("zoneNo", "3")])[
            "portForwardingConfigurationNo"]
        wait_for(lambda: all(
            i["nasVolumeInstanceStatus"]["code"] == "CREAT" for i in
            call(a, "getNasVolumeInstanceList", [])["nasVolumeInstanceList"] +
            call(b, "getNasVolumeInstanceList", [])["nasVolumeInstanceList"]), timeout=10,
            message="NAS volumes")
        wait_for(lambda: all(
            i["memberServerImageStatus"]["code"] == "CREAT" for i in
            call(a, "getMemberServerImageList", [])["memberServerImageList"]), timeout=10,
            message="image")

    def setUp(self):
        self.a_before = self.everything(self.a)
        self.b_before = self.everything(self.b)

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())
        self.assertEqual(self.everything(self.a), self.a_before, "account A's resources changed")
        self.assertEqual(self.everything(self.b), self.b_before, "account B's resources changed")

    def answer(self, resp, fmt):
        root, inner = decode(resp, fmt)
        inner = dict(inner)
        inner.pop("requestId", None)
        return resp.status, root, inner

    def same(self, action, foreign, unknown, code):
        for fmt in ("xml", "json"):
            for method in METHODS:
                with self.subTest(action=action, fmt=fmt, method=method):
                    f = self.answer(self.b.call(action, foreign, method=method, fmt=fmt), fmt)
                    u = self.answer(self.b.call(action, unknown, method=method, fmt=fmt), fmt)
                    self.assertEqual(str(u[2].get("returnCode")), str(code), u)
                    self.assertEqual(f, u)

    # -- every write action and every action on one resource ------------------------------

    def test_block_storage(self):
        a = b = self    # A's numbers: a.a_*, B's: b.b_*
        self.same("createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                 ("blockStorageSize", "10")],
                  [("serverInstanceNo", UNKNOWN), ("blockStorageSize", "10")], 24120)
        self.same("attachBlockStorageInstance", [("serverInstanceNo", b.b_srv),
                                                 ("blockStorageInstanceNo", a.a_free)],
                  [("serverInstanceNo", b.b_srv), ("blockStorageInstanceNo", UNKNOWN)], 24121)
        self.same("attachBlockStorageInstance", [("serverInstanceNo", SEED),
                                                 ("blockStorageInstanceNo", b.b_disk)],
                  [("serverInstanceNo", UNKNOWN), ("blockStorageInstanceNo", b.b_disk)], 24120)
        self.same("detachBlockStorageInstances", nlist("blockStorageInstanceNoList", [a.a_disk]),
                  nlist("blockStorageInstanceNoList", [UNKNOWN]), 24109)
        self.same("deleteBlockStorageInstances", nlist("blockStorageInstanceNoList", [a.a_free]),
                  nlist("blockStorageInstanceNoList", [UNKNOWN]), 24121)
        self.same("deleteBlockStorageInstances",
                  nlist("blockStorageInstanceNoList", [b.b_disk, "1021103"]),
                  nlist("blockStorageInstanceNoList", [b.b_disk, UNKNOWN]), 24121)
        self.same("changeBlockStorageVolumeSize", [("blockStorageInstanceNo", a.a_free),
                                                   ("blockStorageSize", "20")],
                  [("blockStorageInstanceNo", UNKNOWN), ("blockStorageSize", "20")], 24121)
        self.same("createBlockStorageSnapshotInstance", [("blockStorageInstanceNo", a.a_free)],
                  [("blockStorageInstanceNo", UNKNOWN)], 24121)
        self.same("createBlockStorageSnapshotInstance", [("blockStorageInstanceNo", "1021103")],
                  [("blockStorageInstanceNo", UNKNOWN)], 24121)
        self.same("deleteBlockStorageSnapshotInstances",
                  nlist("blockStorageSnapshotInstanceNoList", [a.a_snap]),
                  nlist("blockStorageSnapshotInstanceNoList", [UNKNOWN]), 24121)

    def test_public_ips(self):
        a = b = self    # A's numbers: a.a_*, B's: b.b_*
        self.same("createPublicIpInstance", [("serverInstanceNo", SEED)],
                  [("serverInstanceNo", UNKNOWN)], 24120)
        self.same("associatePublicIpWithServerInstance", [("publicIpInstanceNo", a.a_ip),
                                                          ("serverInstanceNo", b.b_srv)],
                  [("publicIpInstanceNo", UNKNOWN), ("serverInstanceNo", b.b_srv)], 10713)
        self.same("associatePublicIpWithServerInstance", [("publicIpInstanceNo", b.b_ip),
                                                          ("serverInstanceNo", SEED)],
                  [("publicIpInstanceNo", b.b_ip), ("serverInstanceNo", UNKNOWN)], 24120)
        self.same("disassociatePublicIpFromServerInstance", [("publicIpInstanceNo", SEED_IP_NO)],
                  [("publicIpInstanceNo", UNKNOWN)], 10713)
        self.same("replaceServerInstanceAssociatedWithPublicIp",
                  [("publicIpInstanceNo", SEED_IP_NO), ("serverInstanceNo", b.b_srv)],
                  [("publicIpInstanceNo", UNKNOWN), ("serverInstanceNo", b.b_srv)], 10713)
        self.same("deletePublicIpInstances", nlist("publicIpInstanceNoList", [a.a_ip]),
                  nlist("publicIpInstanceNoList", [UNKNOWN]), 10713)
        self.same("addPortForwardingRules", rule(SEED_PF, b.b_srv), rule(UNKNOWN, b.b_srv), 24109)
        self.same("addPortForwardingRules", rule(b.b_pf, SEED), rule(b.b_pf, UNKNOWN), 24120)
        self.same("deletePortForwardingRules", rule(SEED_PF, b.b_srv), rule(UNKNOWN, b.b_srv),
                  24109)
        self.same("deletePortForwardingRules", rule(b.b_pf, SEED), rule(b.b_pf, UNKNOWN), 24120)

    def test_nas(self):
        a = b = self    # A's numbers: a.a_*, B's: b.b_*
        self.same("createNasVolumeInstance",
                  [("volumeName", "xnas"), ("volumeSize", "500"),
                   ("volumeAllotmentProtocolTypeCode", "NFS"),
                   ("accessControlRuleList.1.serverInstanceNo", SEED)],
                  [("volumeName", "xnas"), ("volumeSize", "500"),
                   ("volumeAllotmentProtocolTypeCode", "NFS"),
                   ("accessControlRuleList.1.serverInstanceNo", UNKNOWN)], 24138)
        for action, extra in (("deleteNasVolumeInstance", []),
                              ("changeNasVolumeSize", [("volumeSize", "600")]),
                              ("setNasVolumeReturnProtection", [("isReturnProtection", "true")]),
                              ("setNasVolumeAccessControl", []),
                              ("addNasVolumeAccessControl", nlist("customIpList", ["10.0.0.1"])),
                              ("removeNasVolumeAccessControl", []),
                              ("getNasVolumeAccessControlRuleList", []),
                              ("createNasVolumeSnapshot", []),
                              ("getNasVolumeSnapshotList", []),
                              ("deleteNasVolumeSnapshot", [("nasVolumeSnapshotName", "s")]),
                              ("restoreNasVolumeWithSnapshot", [("nasVolumeSnapshotName", "s")]),
                              ("changeNasVolumeSnapshotConfiguration",
                               [("snapshotVolumeConfigurationRatio", "10")]),
                              ("getNasVolumeSnapshotConfigurationHistoryList", []),
                              ("getNasVolumeInstanceRatingList", RATING)):
            self.same(action, [("nasVolumeInstanceNo", a.a_nas)] + extra,
                      [("nasVolumeInstanceNo", UNKNOWN)] + extra, 24109)
        for action in ("setNasVolumeAccessControl", "addNasVolumeAccessControl",
                       "removeNasVolumeAccessControl"):
            self.same(action, [("nasVolumeInstanceNo", b.b_nas)] +
                      nlist("serverInstanceNoList", [SEED]),
                      [("nasVolumeInstanceNo", b.b_nas)] + nlist("serverInstanceNoList",
                                                                 [UNKNOWN]), 24109)

    def test_images_tags_servers(self):
        a = b = self    # A's numbers: a.a_*, B's: b.b_*
        self.same("createMemberServerImage", [("serverInstanceNo", SEED)],
                  [("serverInstanceNo", UNKNOWN)], 24120)
        self.same("deleteMemberServerImages", nlist("memberServerImageNoList", [a.a_img]),
                  nlist("memberServerImageNoList", [UNKNOWN]), 24109)
        for action in ("addMemberServerImageSharingPermission",
                       "removeMemberServerImageSharingPermission",
                       "setMemberServerImageSharingPermission"):
            self.same(action, [("memberServerImageNo", a.a_img)] +
                      nlist("targetLoginIdList", ["iso-b"]),
                      [("memberServerImageNo", UNKNOWN)] + nlist("targetLoginIdList", ["iso-b"]),
                      24109)
        self.same("createServerInstances", [("memberServerImageNo", a.a_img),
                                            ("serverName", "stolen")],
                  [("memberServerImageNo", UNKNOWN), ("serverName", "stolen")], 10712)
        self.same("getServerProductList", [("memberServerImageNo", a.a_img)],
                  [("memberServerImageNo", UNKNOWN)], 10712)
        self.same("createInstanceTags", nlist("instanceNoList", [SEED]) +
                  [("instanceTagList.1.tagKey", "k"), ("instanceTagList.1.tagValue", "v")],
                  nlist("instanceNoList", [UNKNOWN]) +
                  [("instanceTagList.1.tagKey", "k"), ("instanceTagList.1.tagValue", "v")],
                  24120)
        self.same("deleteInstanceTags", nlist("instanceNoList", [SEED]),
                  nlist("instanceNoList", [UNKNOWN]), 24120)
        self.same("recreateServerInstance", [("serverInstanceNo", SEED),
                                             ("serverImageProductCode", "SPSW0LINUX000046")],
                  [("serverInstanceNo", UNKNOWN),
                   ("serverImageProductCode", "SPSW0LINUX000046")], 24120)
        self.same("interruptServerInstance", [("serverInstanceNo", SEED)],
                  [("serverInstanceNo", UNKNOWN)], 24120)

    def test_network_interfaces(self):
        a = b = self    # A's numbers: a.a_*, B's: b.b_*
        nic = [("networkInterfaceName", "b-nic"), ("networkInterfaceIp", "10.200.3.41")]
        self.same("createNetworkInterface", [("privateSubnetInstanceNo", SEED_SUBNET)] + nic,
                  [("privateSubnetInstanceNo", UNKNOWN)] + nic, 24109)
        self.same("deleteNetworkInterface", [("networkInterfaceNo", a.a_nic)],
                  [("networkInterfaceNo", UNKNOWN)], 24109)
        for action in ("attachNetworkInterface", "detachNetworkInterface"):
            self.same(action, [("networkInterfaceNo", a.a_nic), ("serverInstanceNo", b.b_srv)],
                      [("networkInterfaceNo", UNKNOWN), ("serverInstanceNo", b.b_srv)], 24109)

    # -- the lists: A's resources never show --------------------------------------------

    def test_lists(self):
        a = b = self    # A's numbers: a.a_*, B's: b.b_*

        def rows(action, params, list_name, key):
            out = []
            for fmt in ("xml", "json"):
                inner = self.call_fmt(b.b, action, params, fmt, total=None)
                out.append(sorted(str(x.get(key)) for x in inner[list_name]))
            self.assertEqual(out[0], out[1])
            return out[0]
        self.assertEqual(rows(DISK.action, nlist(DISK.param, [a.a_disk, a.a_free, "1021103"]),
                              DISK.list, DISK.no), [])
        self.assertEqual(rows(DISK.action, [("serverInstanceNo", SEED)], DISK.list, DISK.no), [])
        self.assertEqual(rows(DISK.action, [], DISK.list, "serverInstanceNo"),
                         [b.b_srv, b.b_srv])        # its boot disk and its disk
        self.assertEqual(rows(SNAP.action, nlist(SNAP.param, [a.a_snap]), SNAP.list, SNAP.no), [])
        self.assertEqual(rows(SNAP.action, nlist("originalBlockStorageInstanceNoList",
                                                 [a.a_free]), SNAP.list, SNAP.no), [])
        self.assertEqual(rows(SNAP.action, [], SNAP.list, SNAP.no), [])
        self.assertEqual(rows(IP.action, [], IP.list, IP.no), [b.b_ip])
        self.assertEqual(rows(IP.action, nlist("publicIpList", ["106.10.46.237"]), IP.list,
                              IP.no), [])
        self.assertEqual(rows("getPublicIpTargetServerInstanceList", [], "serverInstanceList",
                              "serverInstanceNo"), [b.b_srv])
        top = self.call_fmt(b.b, "getPortForwardingRuleList", [("zoneNo", "3")], "json",
                            total=None)
        self.assertEqual(top["portForwardingConfigurationNo"], b.b_pf)
        self.assertNotEqual(b.b_pf, SEED_PF)
        self.assertEqual(rows("getPortForwardingConfigurationList", no_list([SEED]),
                              "portForwardingConfigurationList",
                              "portForwardingConfigurationNo"), [])
        self.assertEqual(rows("getPortForwardingConfigurationList", [],
                              "portForwardingConfigurationList",
                              "portForwardingConfigurationNo"), [b.b_pf])
        self.assertEqual(rows(NAS.action, [], NAS.list, NAS.no), [b.b_nas])
        self.assertEqual(rows(NAS.action, nlist(NAS.param, [a.a_nas]), NAS.list, NAS.no), [])
        self.assertEqual(rows(IMAGE.action, [], IMAGE.list, IMAGE.no), [])
        self.assertEqual(rows("getInstanceTagList", [], "instanceTagList", "instanceNo"), [])
        self.assertEqual(rows("getInstanceTagList", nlist("instanceNoList", [SEED]),
                              "instanceTagList", "instanceNo"), [])
        self.assertEqual(rows("getNetworkInterfaceList", [], "networkInterfaceList",
                              "networkInterfaceNo"), [])
        self.assertEqual(rows("getPrivateSubnetInstanceList", [], "privateSubnetInstanceList",
                              "privateSubnetInstanceNo"), [])
        self.assertEqual(rows("getServerInstanceList", nlist("tagKeyList", ["owner"]),
                              "serverInstanceList", "serverInstanceNo"), [])


if __name__ == "__main__":
    unittest.main()

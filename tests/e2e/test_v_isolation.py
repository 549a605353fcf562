"""Isolation of the VPC platform: between accounts (another account's numbers read
exactly like unknown ones) and between the two APIs (a classic server and a VPC
server are different kinds of resource: no action of one API sees the other's);
kill -9 in the middle of VPC, subnet and server creation (all finish after the
restart); the claim, act, confirm path of VPC servers with a driver of its own
(refusals undone with the objects made with the server, a claim recovered after
kill -9)."""

import http.client
import os
import shutil
import tempfile
import threading
import time
import unittest

import ncpd_harness as H
from hv_util import libvirt_args, write_catalog
from lifecycle_util import ssh_line_from_pem
from ops_util import metric, parse_metrics
from vpc_util import (KVM_IMAGE, KVM_IMAGE_NO, MSG, XEN_IMAGE, XEN_PRODUCT, VpcCase, invalid,
                      nic_list)

NO_BOOT_MSG = ("Not found product. Please check your input product. The server image %s "
               "cannot boot on this platform: its catalogue entry has no boot source.")

CREATING = (("INIT", "NULL"), ("INIT", "CREAT"), ("CREAT", "START"), ("RUN", "SETUP"))


class IsolationTest(VpcCase):

    FIXTURE = "seed"

    def test_accounts(self):
        a = self.c
        ak, sk = self.d.create_account("vpc-other")
        b = self.d.client(ak, sk)
        self.make_key(a, "iso-key")
        v = self.make_vpc(a, "10.50.0.0/16", name="iso-vpc")
        sub = self.make_subnet(a, v, "10.50.1.0/24")
        srv = self.make_server(a, v, sub, extra=[("associateWithPublicIp", "true")])
        s = self.server(a, srv)
        nic, pip = s["networkInterfaceNoList"][0], s["publicIpInstanceNo"]
        disk = self.one(a, "vserver", "getBlockStorageInstanceList",
                        [("serverInstanceNo", srv)])["blockStorageInstanceNo"]
        script = self.one(a, "vserver", "createInitScript",
                          [("initScriptContent", "x")])["initScriptNo"]
        n2 = self.one(a, "vpc", "createNetworkAcl", [("vpcNo", v["vpc"])])["networkAclNo"]
        # B sees none of it: details are empty lists ...
        for api, action, param, no in (
                ("vpc", "getVpcDetail", "vpcNo", v["vpc"]),
                ("vpc", "getSubnetDetail", "subnetNo", sub),
                ("vpc", "getNetworkAclDetail", "networkAclNo", v["nacl"]),
                ("vserver", "getAccessControlGroupDetail", "accessControlGroupNo", v["acg"]),
                ("vserver", "getNetworkInterfaceDetail", "networkInterfaceNo", nic),
                ("vserver", "getServerInstanceDetail", "serverInstanceNo", srv),
                ("vserver", "getBlockStorageInstanceDetail", "blockStorageInstanceNo", disk),
                ("vserver", "getInitScriptDetail", "initScriptNo", script)):
            for fmt in ("json", "xml"):
                with self.subTest(action=action, fmt=fmt):
                    self.assertEqual(self.items(b, api, action, [(param, no)], fmt=fmt), [])
        # ... lists show nothing of A's ...
        for api, action, params in (
                ("vpc", "getNetworkAclList", [("vpcNo", v["vpc"])]),
                ("vpc", "getNetworkAclList", [("networkAclNoList.1", n2)]),
                ("vpc", "getRouteTableList", []),
                ("vserver", "getAccessControlGroupList", []),
                ("vserver", "getBlockStorageInstanceList", [("serverInstanceNo", srv)]),
                ("vserver", "getPublicIpInstanceList", []),
                ("vserver", "getLoginKeyList", [("keyName", "iso-key")])):
            self.assertEqual(self.items(b, api, action, params), [], action)
        # ... and actions answer as for unknown numbers
        for api, action, params, code, msg in (
                ("vpc", "deleteVpc", [("vpcNo", v["vpc"])], 1100000, invalid("vpcNo")),
                ("vpc", "createSubnet", [("vpcNo", v["vpc"]), ("subnet", "10.50.9.0/24"),
                                         ("zoneCode", "KR-2"), ("networkAclNo", v["nacl"]),
                                         ("subnetTypeCode", "PUBLIC")], 1100000, invalid("vpcNo")),
                ("vpc", "deleteSubnet", [("subnetNo", sub)], 1100000, invalid("subnetNo")),
                ("vpc", "deleteNetworkAcl", [("networkAclNo", n2)], 1100000,
                 invalid("networkAclNo")),
                ("vpc", "setSubnetNetworkAcl", [("networkAclNo", n2), ("subnetNo", sub)], 1100000,
                 invalid("networkAclNo")),
                ("vserver", "getAccessControlGroupRuleList", [("accessControlGroupNo", v["acg"])],
                 1007000, MSG["1007000"]),
                ("vserver", "createAccessControlGroup", [("vpcNo", v["vpc"])], 1100000,
                 invalid("vpcNo")),
                ("vserver", "stopServerInstances", [("serverInstanceNoList.1", srv)], 24120,
                 MSG["24120"]),
                ("vserver", "terminateServerInstances", [("serverInstanceNoList.1", srv)], 24120,
                 MSG["24120"]),
                ("vserver", "deleteNetworkInterface", [("networkInterfaceNo", nic)], 1100000,
                 invalid("networkInterfaceNo")),
                ("vserver", "deleteBlockStorageInstances",
                 [("blockStorageInstanceNoList.1", disk)], 1100000,
                 invalid("blockStorageInstanceNoList")),
                ("vserver", "disassociatePublicIpFromServerInstance",
                 [("publicIpInstanceNo", pip)], 1100000, invalid("publicIpInstanceNo")),
                ("vserver", "deleteInitScripts", [("initScriptNoList.1", script)], 1100000,
                 invalid("initScriptNoList")),
                ("vserver", "deleteLoginKeys", [("keyNameList.1", "iso-key")], 10406,
                 MSG["10406"])):
            with self.subTest(action=action):
                self.fails(b, api, action, params, code, msg)
        # B has its own: the same name and CIDR are free for it
        w = self.make_vpc(b, "10.50.0.0/16", name="iso-vpc")
        self.assertNotEqual(w["vpc"], v["vpc"])
        self.assertEqual(self.server_state(a, srv), ("RUN", "NULL"))

    def test_the_two_apis(self):
        c = self.c
        self.make_key(c, "api-key")
        v = self.make_vpc(c, "10.51.0.0/16")
        sub = self.make_subnet(c, v, "10.51.1.0/24")
        # a VPC server may take the name of a classic one (another kind of resource)
        classic = H.lenient_inner(c.call("getServerInstanceList", fmt="json").body)
        classic_no = classic["serverInstanceList"][0]["serverInstanceNo"]
        classic_name = classic["serverInstanceList"][0]["serverName"]
        srv = self.make_server(c, v, sub, extra=[("serverName", classic_name)])
        # the classic API never sees the VPC server ...
        after = H.lenient_inner(c.call("getServerInstanceList", fmt="json").body)
        self.assertEqual([s["serverInstanceNo"] for s in after["serverInstanceList"]],
                         [s["serverInstanceNo"] for s in classic["serverInstanceList"]])
        # ... not even in the totals (the maintained server counts are the classic API's)
        self.assert_classic_totals(c, len(classic["serverInstanceList"]))
        for fmt in ("json", "xml"):
            r = c.call("stopServerInstances", H.no_list([srv]), fmt=fmt)
            self.assert_api_error(r, fmt, 24120, MSG["24120"])
            r = c.call("getServerInstanceList", H.no_list([srv]), fmt=fmt)
            self.assertEqual(H.decode(r, fmt)[1]["totalRows"], "0")
        r = c.call("getRootPassword", [("serverInstanceNo", srv), ("privateKey", "x")], fmt="json")
        self.assert_api_error(r, "json", 24120, MSG["24120"])
        r = c.call("getAccessControlRuleList", [("accessControlGroupConfigurationNo", v["acg"])],
                   fmt="json")
        self.assert_api_error(r, "json", 24076, "It is ACG(access control group) you do not own. "
                                                "Serial number - %s" % v["acg"])
        acgs = H.lenient_inner(c.call("getAccessControlGroupList", fmt="json").body)
        self.assertNotIn(v["acg"], [g["accessControlGroupConfigurationNo"]
                                    for g in acgs["accessControlGroupList"]])
        r = c.call("createServerInstances", [("serverImageProductCode", "SPSW0LINUX000046"),
                                             ("serverName", classic_name + "-x"),
                                             ("accessControlGroupConfigurationNoList.1",
                                              v["acg"])], fmt="json")
        self.assert_api_error(r, "json", 24076, "It is ACG(access control group) you do not own. "
                                                "Serial number - %s" % v["acg"])
        # ... and the VPC APIs never see the classic one
        self.assertEqual(self.items(c, "vserver", "getServerInstanceDetail",
                                    [("serverInstanceNo", classic_no)]), [])
        for action in ("stopServerInstances", "startServerInstances", "terminateServerInstances"):
            self.fails(c, "vserver", action, [("serverInstanceNoList.1", classic_no)], 24120,
                       MSG["24120"])
        self.fails(c, "vserver", "getRootPassword",
                   [("serverInstanceNo", classic_no), ("privateKey", "x")], 24120, MSG["24120"])
        self.fails(c, "vserver", "createNetworkInterface",
                   [("vpcNo", v["vpc"]), ("subnetNo", sub), ("accessControlGroupNoList.1", "39995")],
                   1100000, invalid("accessControlGroupNoList (39995 is no ACG of VPC %s)"
                                    % v["vpc"]))
        self.assertEqual(self.items(c, "vserver", "getAccessControlGroupDetail",
                                    [("accessControlGroupNo", "39995")]), [])
        self.assertEqual(self.server_state(c, srv), ("RUN", "NULL"))
        self.terminate(c, srv)
        self.assert_classic_totals(c, len(classic["serverInstanceList"]))

    def assert_classic_totals(self, c, n):
        """totalRows of the classic lists that the maintained counts answer (no filter,
        zone, region, status) equal the classic servers listed."""
        for params in ([], [("zoneNo", "2")], [("zoneNo", "3")], [("regionNo", "1")],
                       [("serverInstanceStatusCode", "RUN")]):
            for fmt in ("json", "xml"):
                r = c.call("getServerInstanceList", params + [("pageSize", "1000")], fmt=fmt)
                self.assertEqual(r.status, 200, r.body)
                inner = H.decode(r, fmt)[1]
                listed = len(H.lenient_inner(c.call("getServerInstanceList",
                                                    params + [("pageSize", "1000")],
                                                    fmt="json").body)["serverInstanceList"])
                self.assertEqual(int(inner["totalRows"]), listed, (params, fmt))
                if not params:
                    self.assertEqual(listed, n)

    @H.skip_on_pg("the answer cache is off on PostgreSQL")
    def test_vpc_reads_are_not_answered_from_the_answer_cache(self):
        """The answer cache of polled reads (respcache.c) is the classic API's: a poll of
        a VPC read of the same name always runs its transaction."""
        conn = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=15)
        self.addCleanup(conn.close)

        def poll(path, times):
            for _ in range(times):
                uri = path + "?responseFormatType=json"
                ts = str(self.c.now_ms())
                conn.request("GET", uri, headers={
                    "x-ncp-apigw-timestamp": ts, "x-ncp-iam-access-key": self.c.access,
                    "x-ncp-apigw-signature-v2": H.signature(self.c.secret, "GET", uri, ts,
                                                            self.c.access)})
                r = conn.getresponse()
                self.assertEqual(r.status, 200, r.read())
                r.read()

        def hits():
            m = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=10)
            try:
                m.request("GET", "/_ncpd/metrics")
                text = m.getresponse().read().decode()
            finally:
                m.close()
            return metric(parse_metrics(text)[0], "ncpd_answer_cache_hits_total")

        before = hits()
        poll(H.API_PREFIX + "getRegionList", 6)  # the classic one is cached here
        self.assertGreaterEqual(hits() - before, 4)
        for path in ("/vserver/v2/getRegionList", "/vserver/v2/getZoneList",
                     "/vserver/v2/getLoginKeyList", "/vserver/v2/getAccessControlGroupList",
                     "/vserver/v2/getServerImageProductList"):
            before = hits()
            poll(path, 6)
            self.assertEqual(hits() - before, 0, path)


class CrashTest(VpcCase):
    """kill -9 while VPCs, subnets and servers are being made: after the restart every
    one of them finishes (its transitions are rows of the store)."""

    STEP_MS = 1000

    def test_kill9_during_creation(self):
        d = self.new_daemon(fixture=None, sim_step_ms=500)
        c = d.client()
        self.make_key(c, "crash-key")
        ready = self.make_vpc(c, "10.60.0.0/16")
        sub = self.make_subnet(c, ready, "10.60.1.0/24")
        v = self.one(c, "vpc", "createVpc", [("ipv4CidrBlock", "10.61.0.0/16")])["vpcNo"]
        s = self.one(c, "vpc", "createSubnet", [
            ("vpcNo", ready["vpc"]), ("subnet", "10.60.2.0/24"), ("zoneCode", "KR-1"),
            ("networkAclNo", ready["nacl"]), ("subnetTypeCode", "PRIVATE")])["subnetNo"]
        srv = self.one(c, "vserver", "createServerInstances", [
            ("vpcNo", ready["vpc"]), ("subnetNo", sub), ("serverImageNo", KVM_IMAGE_NO)] +
            nic_list(ready["acg"]))["serverInstanceNo"]
        d.kill9()
        d.start()
        c = d.client()
        self.wait(lambda: self.vpc_state(c, v), "RUN", ("INIT", "CREATING"))
        self.wait(lambda: self.subnet_state(c, s), "RUN", ("CREATING",))
        self.wait(lambda: self.server_state(c, srv), ("RUN", "NULL"), CREATING)
        disk = self.one(c, "vserver", "getBlockStorageInstanceList", [("serverInstanceNo", srv)])
        self.assertEqual(disk["blockStorageInstanceStatusName"], "attached")
        nic = self.one(c, "vserver", "getNetworkInterfaceDetail",
                       [("networkInterfaceNo", self.server(c, srv)["networkInterfaceNoList"][0])])
        self.assertEqual(nic["networkInterfaceStatus"]["code"], "USED")
        # and deletion too: kill -9 while the VPC is TERMTING
        self.ok(c, "vpc", "deleteVpc", [("vpcNo", v)])
        d.kill9()
        d.start()
        self.wait(lambda: self.vpc_state(d.client(), v), None, ("TERMTING",))


class ExternalDriverTest(VpcCase):
    """VPC servers take the claim, act, confirm path of drivers with state of their own."""

    def test_refused_create_takes_its_objects_and_claim_survives_kill9(self):
        d = self.new_daemon(fixture=None, sim_step_ms=100, admin_token=H.ADMIN_TOKEN,
                            extra_args=["--sim-options", "external,delay=1500"])
        c = d.client()
        self.make_key(c, "ext-key")
        v = self.make_vpc(c, "10.62.0.0/16")
        sub = self.make_subnet(c, v, "10.62.1.0/24")
        params = [("vpcNo", v["vpc"]), ("subnetNo", sub), ("serverImageNo", KVM_IMAGE_NO)] + \
            nic_list(v["acg"])
        made = self.one(c, "vserver", "createServerInstances", params)
        no = int(made["serverInstanceNo"])
        nic0 = made["networkInterfaceNoList"][0]
        # numbers of a create: the server, its eth0, its basic storage
        self.assertEqual(int(nic0), no + 1)
        self.assertEqual(d.fault("createServerInstances", str(no + 3)).status, 200)
        r = self.call(c, "vserver", "createServerInstances", params)
        self.assert_api_error(r, "json", 1300, H.MSG["1300"], http_status=500)
        for api, action, param, n in (("vserver", "getServerInstanceDetail", "serverInstanceNo",
                                       no + 3),
                                      ("vserver", "getNetworkInterfaceDetail",
                                       "networkInterfaceNo", no + 4),
                                      ("vserver", "getBlockStorageInstanceDetail",
                                       "blockStorageInstanceNo", no + 5)):
            self.assertEqual(self.items(c, api, action, [(param, str(n))]), [], action)
        # its address is free again: the next server takes it
        nxt = self.one(c, "vserver", "createServerInstances", params)
        ip = self.one(c, "vserver", "getNetworkInterfaceDetail",
                      [("networkInterfaceNo", nxt["networkInterfaceNoList"][0])])["ip"]
        self.assertEqual(ip, "10.62.1.7")
        # a claim whose request dies is carried out at the next start
        self.wait(lambda: self.server_state(c, str(no)), ("RUN", "NULL"), CREATING)
        results = []

        def stop():
            try:
                results.append(H.Client(d).call("stopServerInstances", None, method="POST",
                                                fmt="json", path="/vserver/v2/stopServerInstances",
                                                raw_body="responseFormatType=json&"
                                                         "serverInstanceNoList.1=%d" % no))
            except OSError:
                results.append(None)
        t = threading.Thread(target=stop)
        t.start()
        H.wait_for(lambda: self.server_state(c, str(no)) == ("RUN", "SHTDN"), timeout=5,
                   message="the claim")
        d.kill9()
        t.join()
        d.start()
        c = d.client()
        self.wait(lambda: self.server_state(c, str(no)), ("NSTOP", "NULL"), (("RUN", "SHTDN"),))



class LibvirtDriverTest(VpcCase):
    """Under a driver of real machines (--driver libvirt, here libvirt's in-process
    test:///default) a VPC server boots from its image's boot source ("boot" of the
    catalogue's "vpc" images, as for the classic ones): the same hypervisor engine
    completes its transitions, its NoCloud seed has the server name as hostname, its
    init script as user data, the login key and the root password getRootPassword
    returns. An image without a boot source is refused at once (the classic API's 10712),
    in the request's format, and nothing is made."""

    STEP_MS = 100

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ncpd-v-libvirt-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        kernel = os.path.join(cls.tmp, "vmlinuz")
        with open(kernel, "w") as f:
            f.write("not a kernel\n")  # test:/// never runs it
        cat = write_catalog(os.path.join(cls.tmp, "catalog.json"), {},
                            vpc_boots={KVM_IMAGE: {"kernel": kernel, "cmdline": "console=ttyS0"}})
        cls.vm = os.path.join(cls.tmp, "vm")
        cls.d = cls.new_class_daemon(fixture=None, sim_step_ms=cls.STEP_MS,
                                     extra_args=libvirt_args(cat, "test:///default", cls.vm))
        cls.c = cls.d.client()
        cls._seq = 0

    def seed(self, no):
        try:
            with open(os.path.join(self.vm, str(no), "seed.iso"), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def test_image_without_boot_source_is_refused_and_nothing_made(self):
        c = self.c
        v = self.make_vpc(c, "10.63.0.0/16")
        sub = self.make_subnet(c, v, "10.63.1.0/24")
        params = [("vpcNo", v["vpc"]), ("subnetNo", sub), ("serverImageProductCode", XEN_IMAGE),
                  ("serverProductCode", XEN_PRODUCT)] + nic_list(v["acg"])
        for fmt in ("json", "xml"):
            self.fails(c, "vserver", "createServerInstances", params, 10712,
                       NO_BOOT_MSG % XEN_IMAGE, fmt)
        # nothing was made: no machine's files, no interface holds the subnet, so it goes
        self.assertEqual(os.listdir(self.vm) if os.path.isdir(self.vm) else [], [])
        self.ok(c, "vpc", "deleteSubnet", [("subnetNo", sub)])
        self.wait(lambda: self.subnet_state(c, sub), None, ("TERMTING",))

    def act(self, no, action, fmt, target, allowed, extra=()):
        self.ok(self.c, "vserver", action, [("serverInstanceNoList.1", no)] + list(extra),
                fmt=fmt)
        self.wait(lambda: self.server_state(self.c, no), target, allowed, timeout=20)

    def test_vpc_server_walk_on_the_hypervisor(self):
        c = self.c
        key, pem = self.make_key(c)
        script = "#!/bin/sh\necho vpc-init-script-7f3a\n"
        sno = self.one(c, "vserver", "createInitScript",
                       [("initScriptContent", script), ("initScriptName", "hv-init")])[
                           "initScriptNo"]
        v = self.make_vpc(c, "10.64.0.0/16")
        sub = self.make_subnet(c, v, "10.64.1.0/24")
        name = "vpc-guest-1"
        no = self.make_server(c, v, sub, extra=[("serverName", name), ("loginKeyName", key),
                                                ("initScriptNo", sno)])
        # the machine and what its NoCloud seed holds
        seed = self.seed(no)
        self.assertIn('local-hostname: "%s"' % name, seed)
        self.assertIn("instance-id: ncpd-%s" % no, seed)
        self.assertIn(script, seed, "the init script is the guest's user data")
        self.assertIn("ssh-rsa " + ssh_line_from_pem(pem).split()[1], seed)
        for fmt in ("json", "xml"):
            pw = self.ok(c, "vserver", "getRootPassword",
                         [("serverInstanceNo", no), ("privateKey", pem)], fmt=fmt)["rootPassword"]
            self.assertIn('password: "%s"' % pw, seed)
        # stop, start, change of spec, terminate: completed by the hypervisor
        self.act(no, "stopServerInstances", "xml", ("NSTOP", "NULL"), (("RUN", "SHTDN"),))
        self.act(no, "startServerInstances", "json", ("RUN", "NULL"), (("NSTOP", "START"),))
        self.act(no, "stopServerInstances", "json", ("NSTOP", "NULL"), (("RUN", "SHTDN"),))
        self.ok(c, "vserver", "changeServerInstanceSpec",
                [("serverInstanceNo", no), ("serverSpecCode", "s4-g3")], fmt="xml")
        self.wait(lambda: self.server_state(c, no), ("NSTOP", "NULL"), (("NSTOP", "CHNG"),))
        s = self.server(c, no)
        self.assertEqual((s["serverSpecCode"], s["cpuCount"], s["memorySize"]),
                         ("s4-g3", 4, 16 * 1024 ** 3))
        self.act(no, "terminateServerInstances", "json", None, (("NSTOP", "TERMT"),))
        self.assertFalse(os.path.exists(os.path.join(self.vm, str(no))), "files left behind")
        log = self.d.log_tail(200000)
        for op in ("create", "stop", "start", "changeSpec", "terminate"):
            self.assertRegex(log, r"event=hv_done server=%s op=%s" % (no, op))
        self.assertNotIn("event=hv_stray", log)  # the engine knows VPC servers as its own


if __name__ == "__main__":
    unittest.main()

"""Helpers of the VPC suites (test_v_*.py): calls to /vpc/v2 and /vserver/v2,
answers checked the way the Go SDK v2 reads them, the objects a test needs
(VPC with its defaults, subnet, login key, server), and waits that record
every state they see (the Terraform provider's pollers fail on any state
outside their pending and target sets: spec/vpc/terraform.md).

Python 3 standard library only, on top of ncpd_harness."""

import time
import xml.etree.ElementTree as ET

import ncpd_harness as H

FORMATS = ("json", "xml")

# catalogue values (spec/vpc/vserver.md 1.2; the provider's acceptance tests)
KVM_IMAGE_NO = "23214590"
KVM_IMAGE = "SW.VSVR.OS.LNX64.UBNTU.SVR22.G003"
KVM_SPEC = "s2-g3"
KVM_SPEC_PRODUCT = "SVR.VSVR.STAND.C002.M008.G003"
XEN_IMAGE = "SW.VSVR.OS.LNX64.ROCKY.0810.B050"
XEN_PRODUCT = "SVR.VSVR.STAND.C002.M008.NET.HDD.B050.G002"
XEN_PRODUCT_4 = "SVR.VSVR.STAND.C004.M016.NET.HDD.B050.G002"
GiB = 1073741824

MSG = {
    "1001007": "Subnet CIDR cannot be duplicated within VPC.",
    "1001015": "The VPC is not ready yet. Please try again later.",
    "1002035": "At least one Acg must remain on the network interface.",
    "1003016": "The public IP is being changed. Please try again later.",
    "1007000": "Acg was not found.",
    "1007009": "If the Acg settings are being changed, you cannot change other settings at "
               "the same time.",
    "10712": "Not found product. Please check your input product.  ",
    "1401": "Not found server product.",
    "10300": "Instance name is already in use. please use other name.",
    "10405": "The key name already exists.",
    "10406": "The authentication key does not exist.",
    "10503": "You may not change to spec of same level.",
    "24001": "Invalid authentication key. Please check authentication key or input type and "
             "try again.",
    "24109": "The input parameter instance number is invalid",
    "24120": "The input parameter server instance number is invalid.",
    "25013": "Unable to perform the request since the target object is currently in "
             "operation. Please try again later.",
    "25017": "Unable to return the server since (other) user is currently operating the "
             "server. Please try again later.",
    "25022": "Unable to return the server since (other) user is either operating target "
             "server or an error in the target server. Please confirm the status of server/ "
             "storage.",
    "25023": "Unable to return the server since termination protection is enabled. Please "
             "disable termination protection and try again.",
    "25041": H.MSG["25041"],
    "28005": H.MSG["28005"],
}


def invalid(detail):
    return "Parameter is invalid. %s" % detail


def required(location):
    return "Required field is not specified. location : %s." % location


def unsupported(action):
    return "Not Found. %s is not supported by this ncpd (see docs/compat.md)." % action


def key_in_use(name, n):
    return "%s is the authentication key being used by %d server." % (name, n)


def nic_list(acg=None, order=0, nic=None, subnet=None, ip=None, index=1):
    """networkInterfaceList.N.* pairs (the Go SDK's encoding of one item)."""
    p = "networkInterfaceList.%d." % index
    out = [(p + "networkInterfaceOrder", str(order))]
    if nic:
        out.append((p + "networkInterfaceNo", nic))
    if subnet:
        out.append((p + "subnetNo", subnet))
    if ip:
        out.append((p + "ip", ip))
    if acg:
        for i, a in enumerate(acg if isinstance(acg, (list, tuple)) else [acg]):
            out.append((p + "accessControlGroupNoList.%d" % (i + 1), a))
    return out


class StateLog:
    """Every (status[, op]) a poller saw, in order, without repeats."""

    def __init__(self):
        self.seen = []

    def add(self, s):
        if not self.seen or self.seen[-1] != s:
            self.seen.append(s)


class VpcCase(H.NcpdTestCase):
    """Base of the VPC suites: one daemon per class (setUpClass may override)."""

    STEP_MS = 250
    FIXTURE = None

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(fixture=cls.FIXTURE, sim_step_ms=cls.STEP_MS)
        cls.c = cls.d.client()
        cls._seq = 0

    @classmethod
    def uniq(cls, prefix="t"):
        cls._seq += 1
        return "%s-%d" % (prefix, cls._seq)

    # -- calls ---------------------------------------------------------------------------

    def call(self, c, api, action, params=None, fmt="json", method="POST"):
        return c.call(action, params, method=method, fmt=fmt, path="/%s/v2/%s" % (api, action))

    def ok(self, c, api, action, params=None, fmt="json", method="POST", total=True):
        """The inner object of a success (JSON types in JSON, text in XML), after the
        envelope checks: 200, {action}Response, header order, Go SDK byte layout."""
        r = self.call(c, api, action, params, fmt=fmt, method=method)
        self.assertEqual(r.status, 200, r)
        root = action + "Response"
        if fmt == "json":
            inner = self.assert_json_layout(r, root)
            self.assertEqual(H.go_sdk_slice(r.body), inner)
            self.assertEqual(list(inner)[:3], ["requestId", "returnCode", "returnMessage"])
            self.assertEqual((inner["returnCode"], inner["returnMessage"]), ("0", "success"))
            if total:
                self.assertIs(type(inner.get("totalRows")), int, "totalRows must be an integer")
            self.assertRegex(inner["requestId"], H.UUID_RE)
            return inner
        el = ET.fromstring(r.body)
        self.assertEqual(el.tag, root, r)
        inner = H.xml_to_obj(el)
        self.assertEqual([c.tag for c in el][:3], ["requestId", "returnCode", "returnMessage"])
        self.assertEqual((inner["returnCode"], inner["returnMessage"]), ("0", "success"))
        return inner

    def items(self, c, api, action, params=None, fmt="json", key=None):
        inner = self.ok(c, api, action, params, fmt=fmt)
        key = key or next(k for k in inner if k.endswith("List"))
        return inner[key]

    def one(self, c, api, action, params=None, fmt="json"):
        got = self.items(c, api, action, params, fmt=fmt)
        self.assertEqual(len(got), 1, got)
        return got[0]

    def fails(self, c, api, action, params, code, message, fmt="json", http=400):
        r = self.call(c, api, action, params, fmt=fmt)
        return self.assert_api_error(r, fmt, code, message, http)

    def both(self, c, api, action, params=None):
        """A read in JSON and in XML: the same content (XML as text), returns JSON."""
        j = self.ok(c, api, action, params, fmt="json")
        x = self.ok(c, api, action, params, fmt="xml")
        jj, xx = dict(j), dict(x)
        for o in (jj, xx):
            o.pop("requestId")
        self.assertEqual(H.stringify(jj), xx, action)
        return j

    # -- objects ---------------------------------------------------------------------------

    def wait(self, fetch, target, allowed, timeout=15.0, interval=0.01):
        """Polls fetch() -> state (None: gone) until `target`; every state seen must be in
        `allowed` (the provider's pending set) or be the target. Returns the StateLog."""
        log = StateLog()
        deadline = time.monotonic() + timeout
        while True:
            s = fetch()
            log.add(s)
            if s == target:
                return log
            self.assertIn(s, allowed, "unexpected state %r (seen %r)" % (s, log.seen))
            if time.monotonic() > deadline:
                self.fail("timed out waiting for %r (seen %r)" % (target, log.seen))
            time.sleep(interval)

    def vpc_state(self, c, no):
        got = self.items(c, "vpc", "getVpcDetail", [("vpcNo", no)])
        return got[0]["vpcStatus"]["code"] if got else None

    def subnet_state(self, c, no):
        got = self.items(c, "vpc", "getSubnetDetail", [("subnetNo", no)])
        return got[0]["subnetStatus"]["code"] if got else None

    def nacl_state(self, c, no):
        got = self.items(c, "vpc", "getNetworkAclDetail", [("networkAclNo", no)])
        return got[0]["networkAclStatus"]["code"] if got else None

    def server(self, c, no):
        got = self.items(c, "vserver", "getServerInstanceDetail", [("serverInstanceNo", no)])
        return got[0] if got else None

    def server_state(self, c, no):
        s = self.server(c, no)
        return (s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"]) if s \
            else None

    def make_vpc(self, c, cidr="10.0.0.0/16", name=None, wait=True):
        """A VPC in RUN with its defaults: dict vpc, nacl, acg, public_rt, private_rt."""
        params = [("ipv4CidrBlock", cidr)] + ([("vpcName", name)] if name else [])
        v = self.one(c, "vpc", "createVpc", params)
        no = v["vpcNo"]
        if wait:
            self.wait(lambda: self.vpc_state(c, no), "RUN", ("INIT", "CREATING"))
        nacl = [n for n in self.items(c, "vpc", "getNetworkAclList", [("vpcNo", no)])
                if n["isDefault"]]
        acg = [g for g in self.items(c, "vserver", "getAccessControlGroupList", [("vpcNo", no)])
               if g["isDefault"]]
        rts = self.items(c, "vpc", "getRouteTableList", [("vpcNo", no)])
        pub = [t for t in rts if t["isDefault"] and t["supportedSubnetType"]["code"] == "PUBLIC"]
        prv = [t for t in rts if t["isDefault"] and t["supportedSubnetType"]["code"] == "PRIVATE"]
        return {"vpc": no, "name": v["vpcName"], "nacl": nacl[0]["networkAclNo"],
                "acg": acg[0]["accessControlGroupNo"], "public_rt": pub[0]["routeTableNo"],
                "private_rt": prv[0]["routeTableNo"]}

    def make_subnet(self, c, v, cidr, kind="PUBLIC", zone="KR-2", wait=True, name=None,
                    usage=None):
        params = [("vpcNo", v["vpc"]), ("subnet", cidr), ("zoneCode", zone),
                  ("networkAclNo", v["nacl"]), ("subnetTypeCode", kind)]
        if name:
            params.append(("subnetName", name))
        if usage:
            params.append(("usageTypeCode", usage))
        s = self.one(c, "vpc", "createSubnet", params)
        if wait:
            self.wait(lambda: self.subnet_state(c, s["subnetNo"]), "RUN", ("INIT", "CREATING"))
        return s["subnetNo"]

    def make_key(self, c, name=None):
        name = name or self.uniq("key")
        inner = self.ok(c, "vserver", "createLoginKey", [("keyName", name)])
        return name, inner["privateKey"]

    def make_server(self, c, v, subnet, extra=(), wait=True, image=None):
        params = [("vpcNo", v["vpc"]), ("subnetNo", subnet)]
        params += list(image or [("serverImageNo", KVM_IMAGE_NO), ("serverSpecCode", KVM_SPEC)])
        params += nic_list(v["acg"]) + list(extra)
        s = self.one(c, "vserver", "createServerInstances", params)
        no = s["serverInstanceNo"]
        if wait:
            self.wait(lambda: self.server_state(c, no), ("RUN", "NULL"),
                      (("INIT", "NULL"), ("INIT", "CREAT"), ("CREAT", "START"), ("RUN", "SETUP")))
        return no

    def stop(self, c, no):
        self.ok(c, "vserver", "stopServerInstances", [("serverInstanceNoList.1", no)])
        self.wait(lambda: self.server_state(c, no), ("NSTOP", "NULL"), (("RUN", "SHTDN"),))

    def terminate(self, c, no):
        if self.server_state(c, no) != ("NSTOP", "NULL"):
            self.stop(c, no)
        self.ok(c, "vserver", "terminateServerInstances", [("serverInstanceNoList.1", no)])
        self.wait(lambda: self.server_state(c, no), None, (("NSTOP", "TERMT"),))

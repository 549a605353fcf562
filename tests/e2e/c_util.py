"""Shared helpers of the classic-resource suites (test_c_*.py, issue 11): block storage,
snapshots, public IPs, port forwarding, NAS volumes, member server images, tags, private
subnets, network interfaces.

The contract is docs/compat.md ("Classic resources"), then ../shared/spec (network-storage.md,
images-tags.md, interactions.md, DECISIONS.md). Python 3 standard library only.
"""

import json
import time
import xml.etree.ElementTree as ET

from lifecycle_util import (FORMATS, LINUX_IMAGE, LMSG, MICRO, SEED_IMAGE, SEED_PRODUCT,  # noqa
                            WIN_IMAGE, GiB, LifecycleCase, msg_900, msg_910)
from ncpd_harness import (ADMIN_TOKEN, MSG, Client, decode, lenient_inner, no_list,  # noqa
                          stringify, wait_for)

SEED_IP_NO = "1021203"          # 106.10.46.237, associated with 1021003
SEED_IP = "106.10.46.237"
SEED_PF_KR2 = ("31260", "106.10.51.90")   # DECISIONS D11
SEED_PF_KR1 = ("31259", "106.10.51.91")
SEED_SUBNET_KR2 = "1021301"     # 10.200.3.0/24
SEED_SUBNET_KR1 = "1021302"     # 10.200.2.0/24
UNKNOWN = "9999999"

CMSG = dict(LMSG)
CMSG.update({
    "24121": "The input parameter storage instance number is invalid.",
    "24121s": "The input parameter storage snapshot instance number is invalid.",
    "24109.": "The input parameter instance number is invalid.",
    "10713": "Not found contract information. Please check your input parameter.",
    "10723": "Additional storage is not available for Micro Server.",
    "24002": "The block storage is being detached. Please try again later.",
    "10101": "Unable to request for public IP. You may request as many public IPs as the "
             "number of server in possession.",
    "24300": "The length constraints of the parameter description (memo) were violated. The "
             "minimum length is 0 byte, the maximum, 1,000 bytes.",
    "24094": "The line for internet access of server does not correspond with which of "
             "Public IP.",
    "25101": "The server is currently being operated. so public IP is unable to be associated "
             "with the server.",
    "28100": "Another public IP is already associated with the server.",
    "28101": "The public IP is already associated with another server.",
    "28102": "The public IP is already disassociated from the server.",
    "25034": "The external port is already in use.",
    "25035": "The port forwarding rule does not exist.",
    "24138": "The server information for setting up NFS is invalid.",
    "27002": "Return protection is set on this NAS volume.",
    "25008": "Unable to create server image since server is either not in suspended status or "
             "in operation.",
    "25018": "Operation is currently unavailable since (other) user is either operating server "
             "or creating server image of the server.",
    "25013": "Unable to perform the request since the target object is currently in operation. "
             "Please try again later.",
    "25017": "Unable to return the server since (other) user is currently operating the server. "
             "Please try again later.",
})


def msg_23001(n):
    return ("Unable to allocate more than %d storages (included default storage) to the "
            "corresponding Linux server." % n)


def msg_23002(n):
    return ("Unable to allocate more than %d storages (included default storage) to the "
            "corresponding Windows server." % n)


def msg_24073(no):
    return ("Unable to destroy the server since a public IP is associated with the server. "
            "First, please disassociate a public IP from the server. publicIpInstanceNo = %s"
            % no)


def msg_dup(location, value):
    return "Invalid parameter. location : %s. duplicated value : %s" % (location, value)


def nlist(name, values):
    """[('name.1', v1), ...]"""
    return [("%s.%d" % (name, i + 1), v) for i, v in enumerate(values)]


# ---- families: how each is listed and what its state looks like ----------------------

class Family:
    def __init__(self, action, list_name, item, no, param, status, op, name):
        self.action, self.list, self.item, self.no, self.param = (action, list_name, item, no,
                                                                  param)
        self.status, self.op, self.name = status, op, name


DISK = Family("getBlockStorageInstanceList", "blockStorageInstanceList", "blockStorageInstance",
              "blockStorageInstanceNo", "blockStorageInstanceNoList",
              "blockStorageInstanceStatus", "blockStorageInstanceOperation",
              "blockStorageInstanceStatusName")
SNAP = Family("getBlockStorageSnapshotInstanceList", "blockStorageSnapshotInstanceList",
              "blockStorageSnapshot", "blockStorageSnapshotInstanceNo",
              "blockStorageSnapshotInstanceNoList", "blockStorageSnapshotInstanceStatus",
              "blockStorageSnapshotInstanceOperation", "blockStorageSnapshotInstanceStatusName")
IP = Family("getPublicIpInstanceList", "publicIpInstanceList", "publicIpInstance",
            "publicIpInstanceNo", "publicIpInstanceNoList", "publicIpInstanceStatus",
            "publicIpInstanceOperation", "publicIpInstanceStatusName")
NAS = Family("getNasVolumeInstanceList", "nasVolumeInstanceList", "nasVolumeInstance",
             "nasVolumeInstanceNo", "nasVolumeInstanceNoList", "nasVolumeInstanceStatus",
             "nasVolumeInstanceOperation", "nasVolumeInstanceStatusName")
IMAGE = Family("getMemberServerImageList", "memberServerImageList", "memberServerImage",
               "memberServerImageNo", "memberServerImageNoList", "memberServerImageStatus",
               "memberServerImageOperation", "memberServerImageStatusName")
SERVER = Family("getServerInstanceList", "serverInstanceList", "serverInstance",
                "serverInstanceNo", "serverInstanceNoList", "serverInstanceStatus",
                "serverInstanceOperation", "serverInstanceStatusName")

# (status, operation) -> statusName of each machine (domain/rstate.c, docs/compat.md)
DISK_CREATE = [("INIT", "NULL", "initialized"), ("CREAT", "ATTAC", "attaching"),
               ("ATTAC", "NULL", "attached")]
DISK_ATTACH = [("CREAT", "ATTAC", "attaching"), ("ATTAC", "NULL", "attached")]
DISK_DETACH = [("ATTAC", "DETAC", "detaching"), ("CREAT", "NULL", "detached")]
DISK_RESIZE = [("CREAT", "CHNG", "optimizing"), ("CREAT", "NULL", "detached")]
DISK_DELETE = [("CREAT", "TERMT", "terminating")]
DISK_DETACH_DELETE = [("ATTAC", "DETAC", "detaching"), ("CREAT", "TERMT", "terminating")]
SNAP_CREATE = [("INIT", "NULL", "initialized"), ("CREAT", "NULL", "created")]
SNAP_DELETE = [("CREAT", "TERMT", "terminating")]
IP_ASSOCIATE = [("CREAT", "USE", "using"), ("USED", "NULL", "used")]
IP_DISASSOCIATE = [("USED", "DISUS", "disusing"), ("CREAT", "NULL", "created")]
IP_REPLACE = [("USED", "USE", "using"), ("USED", "NULL", "used")]
NAS_CREATE = [("INIT", "CREAT", "creating"), ("CREAT", "NULL", "created")]
NAS_RESIZE = [("CREAT", "CHNG", "changing"), ("CREAT", "NULL", "created")]
NAS_DELETE = [("CREAT", "TERMT", "terminating")]
IMAGE_CREATE = [("INIT", "CREAT", "creating"), ("CREAT", "NULL", "created")]
IMAGE_DELETE = [("CREAT", "TERMT", "terminating")]

STATUS_NAMES = {
    "disk": {"INIT": "Block storage INIT state", "CREAT": "Block storage CREATED state",
             "ATTAC": "Block storage ATTACHED state"},
    "diskop": {"NULL": "Block Storage NULLOP", "ATTAC": "Block Storage STOP OP",
               "DETAC": "Block Storage RESTART OP", "CHNG": "Block Storage CHANGE OP",
               "TERMT": "Block Storage TERMINATE OP"},
    "ip": {"CREAT": "NET CREATE state", "USED": "NET USED state",
           "TERMT": "NET TERMINATED state"},
    "ipop": {"NULL": "NET NULL OP", "USE": "NET USE OP", "DISUS": "NET DISUSE OP"},
    "nas": {"INIT": "NAS init", "CREAT": "NAS create"},
    "nasop": {"NULL": "NAS NULL OP", "CREAT": "NAS CREATE OP", "CHNG": "NAS CHANGE OP",
              "TERMT": "NAS TERMINATE OP"},
    "image": {"INIT": "NSI INIT state", "CREAT": "NSI CREATED state"},
    "imageop": {"NULL": "NSI NULLOP", "CREAT": "NSI CREAT OP", "TERMT": "NSI TERMINATE OP"},
}

# Field order of each model (the Go SDK v2 models; network-storage.md, images-tags.md)
DISK_FIELDS = ["blockStorageInstanceNo", "serverInstanceNo", "serverName", "blockStorageType",
               "blockStorageName", "blockStorageSize", "deviceName", "memberServerImageNo",
               "blockStorageProductCode", "blockStorageInstanceStatus",
               "blockStorageInstanceOperation", "blockStorageInstanceStatusName", "createDate",
               "blockStorageInstanceDescription", "diskType", "diskDetailType",
               "maxIopsThroughput", "region", "zone"]
SNAP_FIELDS = ["blockStorageSnapshotInstanceNo", "blockStorageSnapshotName",
               "blockStorageSnapshotVolumeSize", "originalBlockStorageInstanceNo",
               "originalBlockStorageName", "blockStorageSnapshotInstanceStatus",
               "blockStorageSnapshotInstanceOperation", "blockStorageSnapshotInstanceStatusName",
               "createDate", "blockStorageSnapshotInstanceDescription", "serverImageProductCode",
               "osInformation"]
IP_FIELDS = ["publicIpInstanceNo", "publicIp", "publicIpDescription", "createDate",
             "internetLineType", "publicIpInstanceStatusName", "publicIpInstanceStatus",
             "publicIpInstanceOperation", "publicIpKindType",
             "serverInstanceAssociatedWithPublicIp", "region", "zone"]
RULE_FIELDS = ["portForwardingConfigurationNo", "portForwardingPublicIp", "zone",
               "portForwardingExternalPort", "portForwardingInternalPort", "serverInstance"]
NAS_FIELDS = ["nasVolumeInstanceNo", "nasVolumeInstanceStatus", "nasVolumeInstanceOperation",
              "nasVolumeInstanceStatusName", "createDate", "nasVolumeInstanceDescription",
              "mountInformation", "volumeAllotmentProtocolType", "volumeName", "volumeTotalSize",
              "volumeSize", "volumeUseSize", "volumeUseRatio", "snapshotVolumeConfigurationRatio",
              "snapshotVolumeConfigPeriodType", "snapshotVolumeConfigDayOfWeekType",
              "snapshotVolumeConfigTime", "snapshotVolumeSize", "snapshotVolumeUseSize",
              "snapshotVolumeUseRatio", "isSnapshotConfiguration", "isEventConfiguration",
              "region", "zone", "isReturnProtection", "nasVolumeInstanceCustomIpList",
              "nasVolumeServerInstanceList"]
IMAGE_FIELDS = ["memberServerImageNo", "memberServerImageName", "memberServerImageDescription",
                "originalServerInstanceNo", "originalServerProductCode", "originalServerName",
                "originalBaseBlockStorageDiskType", "originalServerImageProductCode",
                "originalOsInformation", "originalServerImageName",
                "memberServerImageStatusName", "memberServerImageStatus",
                "memberServerImageOperation", "memberServerImagePlatformType", "region", "zone",
                "createDate", "memberServerImageBlockStorageTotalRows",
                "memberServerImageBlockStorageTotalSize", "shareStatus", "sharedLoginIdList"]
TAG_FIELDS = ["instanceNo", "instanceType", "tagKey", "tagValue"]
NIC_FIELDS = ["networkInterfaceNo", "networkInterfaceName", "networkInterfaceIp",
              "networkInterfaceDescription", "serverInstanceNo", "statusCode", "region", "zone"]
SUBNET_FIELDS = ["privateSubnetInstanceNo", "subnet", "privateSubnetDescription", "createDate",
                 "privateSubnetInstanceStatus", "privateSubnetInstanceOperation",
                 "privateSubnetInstanceStatusName", "region", "zone"]


def state_of(item, fam):
    return (item[fam.status]["code"], item[fam.op]["code"], item[fam.name])


class ResourceCase(LifecycleCase):
    """LifecycleCase plus resource helpers. Values are text (XML text or stringified JSON)
    unless typed=True."""

    # -- calls -----------------------------------------------------------------

    def call_fmt(self, client, action, params, fmt, total=True):
        r = client.call(action, params, method="POST", fmt=fmt)
        return self.ok(r, fmt, action, total=total)

    def err(self, client, action, params, code, message, fmt="json", http_status=400):
        r = client.call(action, params, method="POST", fmt=fmt)
        return self.assert_api_error(r, fmt, code, message, http_status)

    def items(self, client, fam, nos=None, params=None, fmt="json"):
        pairs = list(params or [])
        if nos is not None:
            pairs += nlist(fam.param, nos)
        inner = self.call_fmt(client, fam.action, pairs, fmt)
        return inner[fam.list]

    def item(self, client, fam, no):
        got = [i for i in self.items(client, fam, [no]) if i[fam.no] == no]
        return got[0] if got else None

    def xml_order(self, resp, path):
        """Child element names of the element at `path` of an XML answer."""
        el = ET.fromstring(resp.body).find(path)
        self.assertIsNotNone(el, "no %s in %r" % (path, resp))
        return [c.tag for c in el]

    # -- polling -----------------------------------------------------------------

    def observe_res(self, client, fam, nos, target=None, allowed=None, timeout=15.0,
                    gone=False, also=None):
        """Polls fam's list for nos until each is at target (status, op) or, with gone, no
        longer listed. Every state seen must be in `allowed` (a list of (status, op, name)).
        `also(observation)` runs at every poll. Returns {no: [distinct states seen]}."""
        seen = {no: [] for no in nos}
        allowed = set(allowed or [])
        deadline = time.monotonic() + timeout
        while True:
            r = client.call(fam.action, nlist(fam.param, nos), fmt="json", method="POST")
            self.assertEqual(r.status, 200, r)
            inner = json.loads(r.body.decode("utf-8"))[fam.action + "Response"]
            cur = {}
            for it in inner[fam.list]:
                st = state_of(it, fam)
                cur[it[fam.no]] = st
                if not seen[it[fam.no]] or seen[it[fam.no]][-1] != st:
                    seen[it[fam.no]].append(st)
                if allowed:
                    self.assertIn(st, allowed, "%s %s showed %s; allowed %s; seen %s"
                                  % (fam.item, it[fam.no], st, sorted(allowed), seen))
            if also:
                also(cur)
            if gone:
                if not cur:
                    return seen
            else:
                missing = set(nos) - set(cur)
                self.assertFalse(missing, "%s vanished while waiting: %s" % (fam.item, missing))
                if all(v[:2] == target for v in cur.values()):
                    return seen
            if time.monotonic() >= deadline:
                self.fail("timed out waiting for %s %s to reach %s; now %s; seen %s"
                          % (fam.item, nos, "gone" if gone else target, cur, seen))
            time.sleep(0.01)

    def assert_path(self, seen, expected, msg=""):
        """The states seen are the expected path (each state once, in order)."""
        self.assertEqual(seen, expected, msg)

    def wait_res(self, client, fam, no, target, timeout=15.0):
        return self.observe_res(client, fam, [no], target, timeout=timeout)

    def wait_gone(self, client, fam, no, timeout=15.0):
        return self.observe_res(client, fam, [no], gone=True, timeout=timeout)

    # -- what an account has: for "a failing request changes nothing" -------------

    def everything(self, client):
        """Every resource the account can see, as JSON values."""
        c = client
        out = {"servers": c.server_map()}
        for fam in (DISK, SNAP, IP, NAS, IMAGE):
            out[fam.list] = self.call_fmt(c, fam.action, [], "json", total=True)[fam.list]
        out["rules"] = [self.call_fmt(c, "getPortForwardingRuleList", [("zoneNo", z)], "json",
                                      total=None)["portForwardingRuleList"] for z in ("2", "3")]
        out["tags"] = self.call_fmt(c, "getInstanceTagList", [], "json")["instanceTagList"]
        out["nics"] = self.call_fmt(c, "getNetworkInterfaceList", [], "json")[
            "networkInterfaceList"]
        for v in out["nasVolumeInstanceList"]:
            no = v["nasVolumeInstanceNo"]
            v["_acl"] = self.call_fmt(c, "getNasVolumeAccessControlRuleList",
                                      [("nasVolumeInstanceNo", no)], "json")[
                "nasVolumeAccessControlRuleList"]
            v["_snaps"] = self.call_fmt(c, "getNasVolumeSnapshotList",
                                        [("nasVolumeInstanceNo", no)], "json")[
                "nasVolumeSnapshotList"]
        return out


def fields_of(inner, list_name):
    """Member names of the first item of a JSON answer's list."""
    return list(inner[list_name][0])

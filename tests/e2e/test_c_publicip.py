"""Public IPs and port forwarding (issue 11; network-storage.md §1-§2, interactions.md P1-P11,
F1-F6, DECISIONS D10 and D11, docs/compat.md "Public IPs", "Port forwarding").

1. Walks in XML and JSON: create, associate, replace, disassociate, delete, every intermediate
   state, what Terraform polls for (associated server present; no server and operation NULL),
   the servers' publicIp following.
2. The list and the target list: every filter, D10's IsAssociated and empty filter value.
3. Every error of every action with its exact message; a failing request changes nothing.
4. Port forwarding: D11's addresses, both answer shapes of getPortForwardingRuleList, the
   configuration list, add/delete with every error, the servers' port fields, terminate.
"""

import json
import unittest
import xml.etree.ElementTree as ET

from c_util import (CMSG, FORMATS, IP, IP_ASSOCIATE, IP_DISASSOCIATE, IP_FIELDS, IP_REPLACE,
                    LINUX_IMAGE, RULE_FIELDS, SEED_IP, SEED_IP_NO, SEED_PF_KR1, SEED_PF_KR2,
                    UNKNOWN, ResourceCase, msg_24073, msg_900, msg_910, msg_dup, nlist, no_list,
                    wait_for)

SEED = "1021003"        # RUN, KR-2, holds 106.10.46.237
KR1_RUN = "1021004"     # RUN, KR-1
KR1_STOP = "1021005"    # NSTOP, KR-1
KR2_STOP = "1021006"    # NSTOP, KR-2


def server_of(case, c, no):
    got = case.call_fmt(c, "getServerInstanceList", no_list([no]), "json")["serverInstanceList"]
    return got[0] if got else None


def create_ip(case, c, params=(), fmt="json"):
    inner = case.call_fmt(c, "createPublicIpInstance", list(params), fmt)
    (ip,) = inner["publicIpInstanceList"]
    return ip


class PublicIpWalkTest(ResourceCase):

    def walk(self, fmt):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        # a second KR-2 server without an IP, for the replace
        (other,) = self.create_nos(c, [("serverImageProductCode", LINUX_IMAGE), ("zoneNo", "3"),
                                       ("serverName", "ip-target")])
        self.wait_state(c, other, "RUN", "NULL")
        d.restart(kill=False, sim_step_ms=300)

        # create, free: CREAT/NULL "created", the empty server element, zone KR-2
        r = c.call("createPublicIpInstance", [("publicIpDescription", "walk " + fmt)],
                   method="POST", fmt=fmt)
        inner = self.ok(r, fmt, "createPublicIpInstance")
        self.assertEqual(inner["totalRows"], "1")
        (ip,) = inner["publicIpInstanceList"]
        if fmt == "xml":
            self.assertEqual(self.xml_order(r, "publicIpInstanceList/publicIpInstance"), IP_FIELDS)
            el = ET.fromstring(r.body).find(
                "publicIpInstanceList/publicIpInstance/serverInstanceAssociatedWithPublicIp")
            self.assertEqual((len(el), (el.text or "").strip()), (0, ""))
        else:
            item = r.json()["createPublicIpInstanceResponse"]["publicIpInstanceList"][0]
            self.assertEqual(list(item), IP_FIELDS)
            self.assertEqual(item["serverInstanceAssociatedWithPublicIp"], {})
        no, addr = ip["publicIpInstanceNo"], ip["publicIp"]
        self.assertRegex(addr, r"^49\.236\.1[2-9][0-9]\.[0-9]+$")
        self.assertEqual((ip["publicIpDescription"], ip["publicIpInstanceStatusName"]),
                         ("walk " + fmt, "created"))
        self.assertEqual(ip["publicIpInstanceStatus"], {"code": "CREAT",
                                                        "codeName": "NET CREATE state"})
        self.assertEqual(ip["publicIpInstanceOperation"], {"code": "NULL",
                                                           "codeName": "NET NULL OP"})
        self.assertEqual(ip["publicIpKindType"], {"code": "GEN", "codeName": "General"})
        self.assertEqual(ip["internetLineType"]["code"], "PUBLC")
        self.assertEqual((ip["zone"]["zoneNo"], ip["zone"]["zoneName"],
                          ip["region"]["regionCode"]), ("3", "KR-2", "KR"))

        # associate: CREAT/USE "using", the server embedded and showing the address at once
        inner = self.call_fmt(c, "associatePublicIpWithServerInstance",
                              [("publicIpInstanceNo", no), ("serverInstanceNo", KR2_STOP)], fmt)
        (x,) = inner["publicIpInstanceList"]
        self.assertEqual((x["publicIpInstanceStatus"]["code"],
                          x["publicIpInstanceOperation"]["code"],
                          x["publicIpInstanceStatusName"]), ("CREAT", "USE", "using"))
        self.assertEqual(x["publicIpInstanceOperation"]["codeName"], "NET USE OP")
        self.assertEqual(x["serverInstanceAssociatedWithPublicIp"]["serverInstanceNo"], KR2_STOP)
        self.assertEqual(x["serverInstanceAssociatedWithPublicIp"]["publicIp"], addr)
        self.assertEqual(server_of(self, c, KR2_STOP)["publicIp"], addr)
        # Terraform waits for "associated server present": true from the answer on
        seen = self.observe_res(c, IP, [no], ("USED", "NULL"), IP_ASSOCIATE)
        self.assert_path(seen[no], IP_ASSOCIATE)
        got = self.item(c, IP, no)
        self.assertEqual(got["publicIpInstanceStatus"]["codeName"], "NET USED state")
        self.assertEqual(got["serverInstanceAssociatedWithPublicIp"]["serverInstanceNo"],
                         KR2_STOP)
        self.assert_state(c, KR2_STOP, "NSTOP", "NULL")   # the server itself is not busy

        # replace: USED/USE "using"; the old server loses the address, the new one has it
        inner = self.call_fmt(c, "replaceServerInstanceAssociatedWithPublicIp",
                              [("publicIpInstanceNo", no), ("serverInstanceNo", other)], fmt)
        (x,) = inner["publicIpInstanceList"]
        self.assertEqual(x["publicIpInstanceStatusName"], "using")
        self.assertEqual(x["serverInstanceAssociatedWithPublicIp"]["serverInstanceNo"], other)
        self.assertEqual(server_of(self, c, KR2_STOP)["publicIp"], "")
        self.assertEqual(server_of(self, c, other)["publicIp"], addr)
        seen = self.observe_res(c, IP, [no], ("USED", "NULL"), IP_REPLACE)
        self.assert_path(seen[no], IP_REPLACE)

        # disassociate: USED/DISUS "disusing" with the server still embedded; Terraform
        # waits for "no server and operation NULL"
        inner = self.call_fmt(c, "disassociatePublicIpFromServerInstance",
                              [("publicIpInstanceNo", no)], fmt)
        (x,) = inner["publicIpInstanceList"]
        self.assertEqual((x["publicIpInstanceStatus"]["code"],
                          x["publicIpInstanceOperation"]["code"],
                          x["publicIpInstanceStatusName"]), ("USED", "DISUS", "disusing"))
        self.assertEqual(x["publicIpInstanceOperation"]["codeName"], "NET DISUSE OP")
        self.assertEqual(x["serverInstanceAssociatedWithPublicIp"]["serverInstanceNo"], other)

        def consistent(cur):
            it = self.item(c, IP, no)
            server = it["serverInstanceAssociatedWithPublicIp"]
            if cur[no][1] == "NULL":   # once NULL, no server: Terraform's target
                self.assertFalse(server.get("serverInstanceNo"), it)
        seen = self.observe_res(c, IP, [no], ("CREAT", "NULL"), IP_DISASSOCIATE, also=consistent)
        self.assert_path(seen[no], IP_DISASSOCIATE)
        self.assertEqual(self.item(c, IP, no)["serverInstanceAssociatedWithPublicIp"], {})
        self.assertEqual(server_of(self, c, other)["publicIp"], "")

        # delete: answered TERMT/NULL "terminated", gone from the list at once
        inner = self.call_fmt(c, "deletePublicIpInstances", nlist("publicIpInstanceNoList", [no]),
                              fmt)
        (x,) = inner["publicIpInstanceList"]
        self.assertEqual(x["publicIpInstanceStatus"], {"code": "TERMT",
                                                       "codeName": "NET TERMINATED state"})
        self.assertEqual((x["publicIpInstanceOperation"]["code"],
                          x["publicIpInstanceStatusName"]), ("NULL", "terminated"))
        self.assertIsNone(self.item(c, IP, no))
        self.err(c, "deletePublicIpInstances", nlist("publicIpInstanceNoList", [no]), 10713,
                 CMSG["10713"], fmt=fmt)

    def test_walk_xml(self):
        self.walk("xml")

    def test_walk_json(self):
        self.walk("json")

    def test_create_with_a_server_and_terminate_rules(self):
        """P7: a server holding an IP is not terminated (24073, the IP's number); once it
        is disassociated the server goes, and the IP stays, free."""
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        self.call_fmt(c, "stopServerInstances", no_list([SEED]), "json")
        self.wait_state(c, SEED, "NSTOP", "NULL")
        for fmt in FORMATS:
            self.err(c, "terminateServerInstances", no_list([SEED]), 24073,
                     msg_24073(SEED_IP_NO), fmt=fmt)
        ip = create_ip(self, c, [("serverInstanceNo", KR1_STOP),
                                 ("publicIpDescription", "packer")])
        # created with a server: already associating, in the server's zone (KR-1)
        self.assertEqual((ip["publicIpInstanceStatus"]["code"],
                          ip["publicIpInstanceOperation"]["code"],
                          ip["publicIpInstanceStatusName"], ip["zone"]["zoneNo"]),
                         ("CREAT", "USE", "using", "2"))
        self.assertEqual(ip["serverInstanceAssociatedWithPublicIp"]["serverInstanceNo"],
                         KR1_STOP)
        no = ip["publicIpInstanceNo"]
        self.wait_res(c, IP, no, ("USED", "NULL"))
        # P9: start and stop keep the association
        self.call_fmt(c, "startServerInstances", no_list([KR1_STOP]), "json")
        self.wait_state(c, KR1_STOP, "RUN", "NULL")
        self.assertEqual(server_of(self, c, KR1_STOP)["publicIp"], ip["publicIp"])
        self.call_fmt(c, "stopServerInstances", no_list([KR1_STOP]), "json")
        self.wait_state(c, KR1_STOP, "NSTOP", "NULL")
        self.assertEqual(self.item(c, IP, no)["publicIpInstanceStatus"]["code"], "USED")
        self.err(c, "terminateServerInstances", no_list([KR1_STOP]), 24073, msg_24073(no))
        self.call_fmt(c, "disassociatePublicIpFromServerInstance", [("publicIpInstanceNo", no)],
                      "json")
        self.wait_res(c, IP, no, ("CREAT", "NULL"))
        self.call_fmt(c, "terminateServerInstances", no_list([KR1_STOP]), "json")
        wait_for(lambda: c.state(KR1_STOP) is None, timeout=10, message="terminated")
        got = self.item(c, IP, no)
        self.assertEqual((got["publicIpInstanceStatusName"],
                          got["serverInstanceAssociatedWithPublicIp"]), ("created", {}))
        # the seed's IP: disassociate, then the seed server may go
        self.call_fmt(c, "disassociatePublicIpFromServerInstance",
                      [("publicIpInstanceNo", SEED_IP_NO)], "json")
        self.wait_res(c, IP, SEED_IP_NO, ("CREAT", "NULL"))
        self.assertEqual(server_of(self, c, SEED)["publicIp"], "")
        self.call_fmt(c, "terminateServerInstances", no_list([SEED]), "json")
        wait_for(lambda: c.state(SEED) is None, timeout=10, message="terminated")
        self.assertEqual(self.item(c, IP, SEED_IP_NO)["publicIp"], SEED_IP)


class PublicIpListTest(ResourceCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=0)
        cls.c = cls.d.client()
        cls.free = []
        for desc in ("one", "two"):
            r = cls.c.call("createPublicIpInstance", [("publicIpDescription", desc)],
                           method="POST", fmt="json")
            assert r.status == 200, r
            cls.free.append(r.json()["createPublicIpInstanceResponse"]["publicIpInstanceList"][0])
        r = cls.c.call("createPublicIpInstance", [("serverInstanceNo", KR1_RUN)], method="POST",
                       fmt="json")
        assert r.status == 200, r
        cls.kr1 = r.json()["createPublicIpInstanceResponse"]["publicIpInstanceList"][0]

    def nos(self, params, fmt="json"):
        return [i["publicIpInstanceNo"] for i in self.items(self.c, IP, params=params, fmt=fmt)]

    def test_filters(self):
        f1, f2 = (i["publicIpInstanceNo"] for i in self.free)
        k1 = self.kr1["publicIpInstanceNo"]
        self.assertEqual(sorted(self.nos([])), sorted([SEED_IP_NO, f1, f2, k1]))
        for name in ("isAssociated", "IsAssociated"):       # D10: the old Go SDK's spelling
            for fmt in FORMATS:
                self.assertEqual(sorted(self.nos([(name, "true")], fmt)), sorted([SEED_IP_NO, k1]))
                self.assertEqual(sorted(self.nos([(name, "false")], fmt)), sorted([f1, f2]))
        self.assertEqual(self.nos(nlist("publicIpInstanceNoList", [f2, UNKNOWN])), [f2])
        self.assertEqual(self.nos(nlist("publicIpList", [SEED_IP])), [SEED_IP_NO])
        self.assertEqual(self.nos([("searchFilterName", "publicIp"),
                                   ("searchFilterValue", "106.10.46")]), [SEED_IP_NO])
        self.assertEqual(self.nos([("searchFilterName", "associatedServerName"),
                                   ("searchFilterValue", "web-0")]), [k1])
        self.assertEqual(len(self.nos([("searchFilterValue", "")])), 4)   # D10
        self.assertEqual(len(self.nos([("searchFilterName", "publicIp"),
                                       ("searchFilterValue", "")])), 4)
        self.err(self.c, "getPublicIpInstanceList", [("searchFilterValue", "1")], 900,
                 msg_900("searchFilterName"))
        self.assertEqual(self.nos([("zoneNo", "2")]), [k1])
        self.assertEqual(len(self.nos([("regionNo", "1")])), 4)
        self.assertEqual(self.nos([("internetLineTypeCode", "GLBL")]), [])
        self.assertEqual(len(self.nos([("internetLineTypeCode", "PUBLC")])), 4)

    def test_paging_and_sorting(self):
        ips = self.items(self.c, IP, params=[("sortedBy", "publicIp"),
                                             ("sortingOrder", "descending")])
        addrs = [i["publicIp"] for i in ips]
        self.assertEqual(addrs, sorted(addrs, reverse=True))   # as text (docs/compat.md)
        for fmt in FORMATS:
            inner = self.call_fmt(self.c, "getPublicIpInstanceList",
                                  [("pageNo", "2"), ("pageSize", "3"),
                                   ("sortedBy", "publicIpInstanceNo")], fmt)
            self.assertEqual((inner["totalRows"], len(inner["publicIpInstanceList"])), ("4", 1))
        self.assertEqual(self.nos([("sortedBy", "PUBLICIPINSTANCENO")]),
                         sorted(self.nos([]), key=int))

    def test_target_servers(self):
        def targets(params=()):
            inner = self.call_fmt(self.c, "getPublicIpTargetServerInstanceList", list(params),
                                  "json")
            return [s["serverInstanceNo"] for s in inner["serverInstanceList"]]
        # P5: without an IP; 1021003 and 1021004 hold one
        self.assertEqual(targets(), [KR1_STOP, KR2_STOP])
        self.assertEqual(targets([("zoneNo", "3")]), [KR2_STOP])
        self.assertEqual(targets([("zoneNo", "2")]), [KR1_STOP])
        self.assertEqual(targets([("internetLineTypeCode", "GLBL")]), [])
        for fmt in FORMATS:
            inner = self.call_fmt(self.c, "getPublicIpTargetServerInstanceList", [], fmt)
            self.assertEqual(inner["totalRows"], "2")
            self.assertEqual(inner["serverInstanceList"][0]["publicIp"], "")


class PublicIpErrorsTest(ResourceCase):
    """Every error of every public IP action, exactly; nothing changes on failure."""

    def setUp(self):
        self.d = self.new_daemon(sim_step_ms=30000)
        self.c = self.d.client()

    def fail_both(self, action, params, code, message):
        for fmt in FORMATS:
            self.err(self.c, action, params, code, message, fmt=fmt)

    def test_errors(self):
        c = self.c
        free = create_ip(self, c)["publicIpInstanceNo"]
        glbl = create_ip(self, c, [("internetLineTypeCode", "GLBL")])["publicIpInstanceNo"]
        before = self.everything(c)
        # create
        self.fail_both("createPublicIpInstance", [("publicIpDescription", "x" * 1001)], 24300,
                       CMSG["24300"])
        self.fail_both("createPublicIpInstance", [("serverInstanceNo", UNKNOWN)], 24120,
                       CMSG["24120"])
        self.fail_both("createPublicIpInstance", [("serverInstanceNo", SEED)], 28100,
                       CMSG["28100"])
        self.fail_both("createPublicIpInstance", [("serverInstanceNo", KR2_STOP),
                                                  ("internetLineTypeCode", "GLBL")], 24094,
                       CMSG["24094"])
        self.fail_both("createPublicIpInstance", [("internetLineTypeCode", "FAST")], 910,
                       msg_910("internetLineTypeCode"))
        self.fail_both("createPublicIpInstance", [("serverInstanceNo", KR2_STOP),
                                                  ("zoneNo", "2")], 910,
                       msg_910("serverInstanceNo"))    # Z1: the IP lands in the server's zone
        self.fail_both("createPublicIpInstance", [("zoneNo", "99")], 910, msg_910("zoneNo"))
        # associate
        self.fail_both("associatePublicIpWithServerInstance", [("serverInstanceNo", KR2_STOP)],
                       900, msg_900("publicIpInstanceNo"))
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", free)],
                       900, msg_900("serverInstanceNo"))
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", UNKNOWN),
                                                               ("serverInstanceNo", KR2_STOP)],
                       10713, CMSG["10713"])
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", KR2_STOP),
                                                               ("serverInstanceNo", KR2_STOP)],
                       10713, CMSG["10713"])           # a server is not an IP
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", "1.5"),
                                                               ("serverInstanceNo", KR2_STOP)],
                       910, msg_910("publicIpInstanceNo"))
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", free),
                                                               ("serverInstanceNo", UNKNOWN)],
                       24120, CMSG["24120"])
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", free),
                                                               ("serverInstanceNo", SEED)],
                       28100, CMSG["28100"])           # P2
        self.fail_both("associatePublicIpWithServerInstance",
                       [("publicIpInstanceNo", SEED_IP_NO), ("serverInstanceNo", KR2_STOP)],
                       28101, CMSG["28101"])           # P10
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", glbl),
                                                               ("serverInstanceNo", KR2_STOP)],
                       24094, CMSG["24094"])           # P4
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", free),
                                                               ("serverInstanceNo", KR1_STOP)],
                       910, msg_910("serverInstanceNo"))   # Z1, P5
        # disassociate
        self.fail_both("disassociatePublicIpFromServerInstance", [], 900,
                       msg_900("publicIpInstanceNo"))
        self.fail_both("disassociatePublicIpFromServerInstance", [("publicIpInstanceNo", free)],
                       28102, CMSG["28102"])
        self.fail_both("disassociatePublicIpFromServerInstance",
                       [("publicIpInstanceNo", UNKNOWN)], 10713, CMSG["10713"])
        # replace
        self.fail_both("replaceServerInstanceAssociatedWithPublicIp",
                       [("publicIpInstanceNo", free), ("serverInstanceNo", KR2_STOP)], 28102,
                       CMSG["28102"])                  # not associated
        self.fail_both("replaceServerInstanceAssociatedWithPublicIp",
                       [("publicIpInstanceNo", SEED_IP_NO), ("serverInstanceNo", SEED)], 28100,
                       CMSG["28100"])                  # its own server
        self.fail_both("replaceServerInstanceAssociatedWithPublicIp",
                       [("publicIpInstanceNo", SEED_IP_NO), ("serverInstanceNo", KR1_STOP)],
                       910, msg_910("serverInstanceNo"))
        self.fail_both("replaceServerInstanceAssociatedWithPublicIp",
                       [("publicIpInstanceNo", SEED_IP_NO)], 900, msg_900("serverInstanceNo"))
        # delete
        self.fail_both("deletePublicIpInstances", [], 900, msg_900("publicIpInstanceNoList"))
        self.fail_both("deletePublicIpInstances", nlist("publicIpInstanceNoList", [UNKNOWN]),
                       10713, CMSG["10713"])
        self.fail_both("deletePublicIpInstances", nlist("publicIpInstanceNoList",
                                                        [free, SEED_IP_NO]), 24073,
                       msg_24073(SEED_IP_NO))          # P6, and the free one stays
        self.fail_both("deletePublicIpInstances", nlist("publicIpInstanceNoList", [free, free]),
                       910, msg_dup("publicIpInstanceNoList", free))
        self.fail_both("deletePublicIpInstances", nlist("publicIpInstanceNoList", [free, "-3"]),
                       910, msg_910("publicIpInstanceNoList"))
        self.assertEqual(self.everything(c), before, "a failing request changed state")

        # P1: as many IPs as servers (4 servers: the seed's, free, glbl and one more)
        create_ip(self, c)
        self.fail_both("createPublicIpInstance", [], 10101, CMSG["10101"])

    def test_busy_server_and_ip_in_transition(self):
        c = self.c
        free = create_ip(self, c, [("zoneNo", "2")])["publicIpInstanceNo"]
        other = create_ip(self, c, [("zoneNo", "2")])["publicIpInstanceNo"]
        # P3: a server in an operation takes no IP
        self.call_fmt(c, "startServerInstances", no_list([KR2_STOP]), "json")
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", free),
                                                               ("serverInstanceNo", KR2_STOP)],
                       25101, CMSG["25101"])
        self.fail_both("createPublicIpInstance", [("serverInstanceNo", KR2_STOP)], 25101,
                       CMSG["25101"])
        # an IP in its association step (30 s here)
        self.call_fmt(c, "associatePublicIpWithServerInstance", [("publicIpInstanceNo", free),
                                                                 ("serverInstanceNo", KR1_STOP)],
                      "json")
        self.assertEqual(self.item(c, IP, free)["publicIpInstanceStatusName"], "using")
        self.fail_both("disassociatePublicIpFromServerInstance", [("publicIpInstanceNo", free)],
                       25013, CMSG["25013"])
        self.fail_both("replaceServerInstanceAssociatedWithPublicIp",
                       [("publicIpInstanceNo", free), ("serverInstanceNo", KR1_RUN)], 25013,
                       CMSG["25013"])
        self.fail_both("associatePublicIpWithServerInstance", [("publicIpInstanceNo", other),
                                                               ("serverInstanceNo", KR1_STOP)],
                       28100, CMSG["28100"])
        self.fail_both("deletePublicIpInstances", nlist("publicIpInstanceNoList", [free]), 24073,
                       msg_24073(free))
        self.fail_both("terminateServerInstances", no_list([KR1_STOP]), 24073, msg_24073(free))
        # a disassociation under way: the address still held, the delete still refused
        self.call_fmt(c, "disassociatePublicIpFromServerInstance",
                      [("publicIpInstanceNo", SEED_IP_NO)], "json")
        self.assertEqual(server_of(self, c, SEED)["publicIp"], SEED_IP)
        self.fail_both("deletePublicIpInstances", nlist("publicIpInstanceNoList", [SEED_IP_NO]),
                       24073, msg_24073(SEED_IP_NO))
        self.fail_both("disassociatePublicIpFromServerInstance",
                       [("publicIpInstanceNo", SEED_IP_NO)], 25013, CMSG["25013"])


# ---- port forwarding ---------------------------------------------------------------------

def rule_params(config, rules):
    pairs = [("portForwardingConfigurationNo", config)]
    for i, (server, ext, internal) in enumerate(rules):
        pairs += [("portForwardingRuleList.%d.serverInstanceNo" % (i + 1), server),
                  ("portForwardingRuleList.%d.portForwardingExternalPort" % (i + 1), str(ext)),
                  ("portForwardingRuleList.%d.portForwardingInternalPort" % (i + 1),
                   str(internal))]
    return pairs


class PortForwardingTest(ResourceCase):

    def rules(self, c, zone="3"):
        return self.call_fmt(c, "getPortForwardingRuleList", [("zoneNo", zone)], "json",
                             total=None)

    def test_seed_configurations_d11(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        for fmt in FORMATS:
            r = c.call("getPortForwardingRuleList", [("zoneNo", "3")], fmt=fmt)
            self.assertEqual(r.status, 200, r)
            if fmt == "xml":
                root = ET.fromstring(r.body)
                self.assertEqual([e.tag for e in root],
                                 ["requestId", "returnCode", "returnMessage",
                                  "portForwardingConfigurationNo", "portForwardingPublicIp",
                                  "totalRows", "zone", "portForwardingRuleList"])
                self.assertEqual((root.findtext("portForwardingConfigurationNo"),
                                  root.findtext("portForwardingPublicIp"),
                                  root.findtext("totalRows"), root.findtext("zone/zoneName")),
                                 SEED_PF_KR2 + ("0", "KR-2"))
            else:
                body = r.json()["getPortForwardingRuleListResponse"]
                self.assertEqual(list(body), ["requestId", "returnCode", "returnMessage",
                                              "portForwardingConfigurationNo",
                                              "portForwardingPublicIp", "totalRows", "zone",
                                              "portForwardingRuleList"])
                self.assertEqual((body["portForwardingConfigurationNo"],
                                  body["portForwardingPublicIp"], body["totalRows"]),
                                 SEED_PF_KR2 + (0,))
        top = self.rules(c, "2")
        self.assertEqual((top["portForwardingConfigurationNo"], top["portForwardingPublicIp"]),
                         SEED_PF_KR1)
        # the default zone (KR-2, as the docs' examples) when none is given
        self.assertEqual(self.call_fmt(c, "getPortForwardingRuleList", [], "json", total=None)[
            "zone"]["zoneNo"], "3")
        for no, pf in ((SEED, SEED_PF_KR2), (KR2_STOP, SEED_PF_KR2), (KR1_RUN, SEED_PF_KR1)):
            self.assertEqual(server_of(self, c, no)["portForwardingPublicIp"], pf[1])
        inner = self.call_fmt(c, "getPortForwardingConfigurationList", [], "json")
        confs = {x["portForwardingConfigurationNo"]: x for x in
                 inner["portForwardingConfigurationList"]}
        self.assertEqual(confs[SEED_PF_KR2[0]], {
            "portForwardingConfigurationNo": SEED_PF_KR2[0],
            "portForwardingPublicIp": SEED_PF_KR2[1],
            "serverInstanceNoList": [SEED, KR2_STOP]})
        self.assertEqual(confs[SEED_PF_KR1[0]]["serverInstanceNoList"], [KR1_RUN, KR1_STOP])

        def confs_of(params):
            inner = self.call_fmt(c, "getPortForwardingConfigurationList", params, "json")
            return [x["portForwardingConfigurationNo"] for x in
                    inner["portForwardingConfigurationList"]]
        # Terraform takes element 0 for a server
        self.assertEqual(confs_of(no_list([KR2_STOP])), [SEED_PF_KR2[0]])
        self.assertEqual(confs_of(nlist("portForwardingPublicIpList", [SEED_PF_KR1[1]])),
                         [SEED_PF_KR1[0]])
        self.assertEqual(confs_of([("regionNo", "1")]), [SEED_PF_KR1[0], SEED_PF_KR2[0]])
        self.assertEqual(confs_of(no_list([UNKNOWN])), [])
        r = c.call("getPortForwardingConfigurationList", [], fmt="xml")
        root = ET.fromstring(r.body)
        item = root.find("portForwardingConfigurationList/portForwardingConfiguration")
        self.assertEqual([e.tag for e in item], ["portForwardingConfigurationNo",
                                                 "portForwardingPublicIp",
                                                 "serverInstanceNoList"])
        self.assertEqual([e.tag for e in item.find("serverInstanceNoList")],
                         ["serverInstanceNo", "serverInstanceNo"])

    def test_rules_walk_both_formats(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        conf = SEED_PF_KR2[0]
        for fmt in FORMATS:
            r = c.call("addPortForwardingRules", rule_params(conf, [(KR2_STOP, 9090, 22)]),
                       method="POST", fmt=fmt)
            inner = self.ok(r, fmt, "addPortForwardingRules")
            (rule,) = inner["portForwardingRuleList"]
            if fmt == "xml":
                self.assertEqual(self.xml_order(r, "portForwardingRuleList/portForwardingRule"),
                                 RULE_FIELDS)
            else:
                self.assertEqual(list(r.json()["addPortForwardingRulesResponse"][
                    "portForwardingRuleList"][0]), RULE_FIELDS)
            self.assertEqual((rule["portForwardingConfigurationNo"],
                              rule["portForwardingPublicIp"], rule["zone"]["zoneNo"],
                              rule["portForwardingExternalPort"],
                              rule["portForwardingInternalPort"],
                              rule["serverInstance"]["serverInstanceNo"]),
                             (conf, SEED_PF_KR2[1], "3", "9090", "22", KR2_STOP))
            s = server_of(self, c, KR2_STOP)
            self.assertEqual((s["portForwardingExternalPort"], s["portForwardingInternalPort"]),
                             ("9090", "22"))
            # Terraform reads a rule by listing the zone and matching the external port
            top = self.rules(c)
            self.assertEqual(top["totalRows"], "1")
            (listed,) = top["portForwardingRuleList"]
            self.assertEqual((listed["portForwardingExternalPort"],
                              listed["serverInstance"]["serverInstanceNo"]), ("9090", KR2_STOP))
            self.assertEqual(list(listed), RULE_FIELDS)
            r = c.call("deletePortForwardingRules", rule_params(conf, [(KR2_STOP, 9090, 22)]),
                       method="POST", fmt=fmt)
            inner = self.ok(r, fmt, "deletePortForwardingRules")
            self.assertEqual(inner["portForwardingRuleList"][0]["portForwardingExternalPort"],
                             "9090")
            s = server_of(self, c, KR2_STOP)
            self.assertNotIn("portForwardingExternalPort", s)
            self.assertEqual(self.rules(c)["portForwardingRuleList"], [])
        # typed JSON: ports are numbers
        c.call("addPortForwardingRules", rule_params(conf, [(SEED, 2222, 22), (KR2_STOP, 2223, 22)]),
               method="POST", fmt="json")
        r = c.call("getPortForwardingRuleList", [("zoneNo", "3")], fmt="json")
        rules = r.json()["getPortForwardingRuleListResponse"]["portForwardingRuleList"]
        self.assertEqual(sorted(x["portForwardingExternalPort"] for x in rules), [2222, 2223])
        # F6: terminating a server deletes its rule
        self.wait_state(c, KR2_STOP, "NSTOP", "NULL")
        self.call_fmt(c, "terminateServerInstances", no_list([KR2_STOP]), "json")
        wait_for(lambda: c.state(KR2_STOP) is None, timeout=10, message="terminated")
        self.assertEqual([x["serverInstance"]["serverInstanceNo"]
                          for x in self.rules(c)["portForwardingRuleList"]], [SEED])

    def test_errors(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        conf = SEED_PF_KR2[0]
        (win,) = self.create_nos(c, [("serverImageProductCode", "SPSW0WINNT000016"),
                                     ("zoneNo", "3"), ("serverName", "pf-win")])
        self.wait_state(c, win, "RUN", "NULL")
        self.call_fmt(c, "addPortForwardingRules", rule_params(conf, [(SEED, 9000, 22)]), "json")
        before = self.everything(c)

        def fail(action, params, code, message):
            for fmt in FORMATS:
                self.err(c, action, params, code, message, fmt=fmt)
        for action in ("addPortForwardingRules", "deletePortForwardingRules"):
            fail(action, rule_params(conf, [])[1:] + [("portForwardingRuleList.1."
                                                       "serverInstanceNo", SEED)], 900,
                 msg_900("portForwardingConfigurationNo"))
            fail(action, [("portForwardingConfigurationNo", conf)], 900,
                 msg_900("portForwardingRuleList"))
            fail(action, rule_params(UNKNOWN, [(KR2_STOP, 9091, 22)]), 24109, CMSG["24109."])
            fail(action, rule_params(SEED, [(KR2_STOP, 9091, 22)]), 24109, CMSG["24109."])
            fail(action, rule_params("3126O", [(KR2_STOP, 9091, 22)]), 910,
                 msg_910("portForwardingConfigurationNo"))
            fail(action, [("portForwardingConfigurationNo", conf),
                          ("portForwardingRuleList.1.serverInstanceNo", KR2_STOP),
                          ("portForwardingRuleList.1.portForwardingInternalPort", "22")], 900,
                 msg_900("portForwardingRuleList.1.portForwardingExternalPort"))
            fail(action, rule_params(conf, [(UNKNOWN, 9091, 22)]), 24120, CMSG["24120"])
            for ext in (1023, 65535, "x"):
                fail(action, rule_params(conf, [(KR2_STOP, ext, 22)]), 910,
                     msg_910("portForwardingRuleList.1.portForwardingExternalPort"))
            fail(action, rule_params(conf, [(KR2_STOP, 9091, 3389)]), 910,
                 msg_910("portForwardingRuleList.1.portForwardingInternalPort"))
            fail(action, rule_params(conf, [(win, 9091, 22)]), 910,
                 msg_910("portForwardingRuleList.1.portForwardingInternalPort"))
            fail(action, rule_params(conf, [(KR1_RUN, 9091, 22)]), 910,
                 msg_910("portForwardingRuleList.1.serverInstanceNo"))   # F4
        # add: F3
        fail("addPortForwardingRules", rule_params(conf, [(KR2_STOP, 9000, 22)]), 25034,
             CMSG["25034"])
        fail("addPortForwardingRules", rule_params(conf, [(KR2_STOP, 9001, 22), (win, 9001, 3389)]),
             25034, CMSG["25034"])
        fail("addPortForwardingRules", rule_params(conf, [(SEED, 9002, 22)]), 910,
             msg_910("portForwardingRuleList.1.serverInstanceNo"))   # one rule per server
        fail("addPortForwardingRules", rule_params(conf, [(win, 9003, 3389), (win, 9004, 3389)]),
             910, msg_910("portForwardingRuleList.2.serverInstanceNo"))
        # delete: all three fields must match
        fail("deletePortForwardingRules", rule_params(conf, [(SEED, 9001, 22)]), 25035,
             CMSG["25035"])
        fail("deletePortForwardingRules", rule_params(conf, [(KR2_STOP, 9000, 22)]), 25035,
             CMSG["25035"])
        fail("deletePortForwardingRules", rule_params(conf, [(SEED, 9000, 22), (SEED, 9000, 22)]),
             25035, CMSG["25035"])
        self.assertEqual(self.everything(c), before, "a failing request changed state")
        # a Windows server forwards to 3389; several rules in one request
        inner = self.call_fmt(c, "addPortForwardingRules",
                              rule_params(conf, [(win, 13389, 3389), (KR2_STOP, 9001, 22)]),
                              "json")
        self.assertEqual(inner["totalRows"], "2")
        self.assertEqual(server_of(self, c, win)["portForwardingInternalPort"], "3389")

    def test_a_new_account_gets_its_configuration_with_its_first_server(self):
        d = self.new_daemon(sim_step_ms=0)
        ak, sk = d.create_account("pf-owner")
        b = d.client(ak, sk)
        top = self.rules(b)
        self.assertEqual((top["portForwardingConfigurationNo"], top["portForwardingPublicIp"],
                          top["totalRows"]), ("", "", "0"))
        self.assertEqual(self.call_fmt(b, "getPortForwardingConfigurationList", [], "json")[
            "portForwardingConfigurationList"], [])
        self.create_key(b, "pf-key")
        (s1,) = self.create_nos(b, [("serverImageProductCode", LINUX_IMAGE), ("zoneNo", "3"),
                                    ("serverName", "pf-first")])
        (s2,) = self.create_nos(b, [("serverImageProductCode", LINUX_IMAGE), ("zoneNo", "3"),
                                    ("serverName", "pf-second")])
        top = self.rules(b)
        conf, addr = top["portForwardingConfigurationNo"], top["portForwardingPublicIp"]
        self.assertRegex(conf, r"^[0-9]+$")
        self.assertRegex(addr, r"^106\.10\.52\.[0-9]+$")
        self.assertNotIn(addr, (SEED_PF_KR1[1], SEED_PF_KR2[1]))
        for no in (s1, s2):
            self.assertEqual(server_of(self, b, no)["portForwardingPublicIp"], addr)
        self.assertEqual(self.rules(b, "2")["portForwardingConfigurationNo"], "")
        # isolation: the seed account's configuration and servers are unknown to B
        self.err(b, "addPortForwardingRules", rule_params(SEED_PF_KR2[0], [(s1, 9090, 22)]),
                 24109, CMSG["24109."])
        self.err(b, "addPortForwardingRules", rule_params(conf, [(KR2_STOP, 9090, 22)]), 24120,
                 CMSG["24120"])
        a = d.client()
        self.err(a, "deletePortForwardingRules", rule_params(conf, [(s1, 9090, 22)]), 24109,
                 CMSG["24109."])
        self.call_fmt(b, "addPortForwardingRules", rule_params(conf, [(s1, 9090, 22)]), "json")
        # the seed account may use the same external port on its own address
        self.call_fmt(a, "addPortForwardingRules", rule_params(SEED_PF_KR2[0], [(SEED, 9090, 22)]),
                      "json")
        self.assertEqual(len(self.rules(b)["portForwardingRuleList"]), 1)
        self.assertEqual(json.dumps(self.rules(a)).count(s1), 0)


if __name__ == "__main__":
    unittest.main()

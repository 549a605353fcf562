"""The whole server lifecycle, as Terraform walks it, in XML and in JSON.

catalogue -> login key -> create 3 -> stop -> start -> reboot -> stop -> change spec
-> start -> stop -> terminate -> gone; root passwords on the way
(docs/compat.md "Server lifecycle", DECISIONS D5, server-instance.md §3, §4.2-§4.10)."""

import time
import unittest
import xml.etree.ElementTree as ET

from ncpd_harness import DATE_RE, no_list
from lifecycle_util import (CHANGE_STATES, CREATE_ORDER, CREATE_STATES, LINUX_IMAGE, LMSG,
                            PEM_BEGIN, PEM_END, REBOOT_STATES, START_STATES, STOP_STATES,
                            TERMINATE_STATES, LifecycleCase, openssl_check)


class WalkTest(LifecycleCase):

    def test_walk_xml(self):
        self.walk("xml")

    def test_walk_json(self):
        self.walk("json")

    # ------------------------------------------------------------------------

    def action(self, c, action, nos, fmt, expect, total=None):
        """A list action on nos; every answered server must show expect (status, op, name)."""
        r = c.call(action, no_list(nos), method="POST", fmt=fmt)
        inner = self.ok(r, fmt, action)
        self.assertEqual(int(inner["totalRows"]), len(nos), inner)
        self.assertEqual(sorted(s["serverInstanceNo"] for s in inner["serverInstanceList"]),
                         sorted(nos))
        for s in inner["serverInstanceList"]:
            self.check_server_item(s, *expect)
        return inner

    def walk(self, fmt):
        d = self.new_daemon(sim_step_ms=60)
        c = d.client()
        before = set(c.server_map())

        # -- catalogue ------------------------------------------------------------
        imgs = self.call_ok(c, "getServerImageProductList", None, fmt=fmt)["productList"]
        codes = [p["productCode"] for p in imgs]
        self.assertIn(LINUX_IMAGE, codes)
        image = next(p for p in imgs if p["productCode"] == LINUX_IMAGE)
        prods = self.call_ok(c, "getServerProductList",
                             [("serverImageProductCode", LINUX_IMAGE)], fmt=fmt)["productList"]
        self.assertGreaterEqual(len(prods), 2, prods)
        prods.sort(key=lambda p: (int(p["memorySize"]), int(p["cpuCount"]), p["productCode"]))
        p1 = prods[0]
        p2 = next(p for p in prods[1:] if (p["cpuCount"], p["memorySize"])
                  != (p1["cpuCount"], p1["memorySize"]))

        # -- login key ------------------------------------------------------------
        pem = self.create_key(c, "walk-key", fmt=fmt)
        self.assertTrue(pem.startswith(PEM_BEGIN + "\n"), pem[:60])
        self.assertTrue(pem.rstrip().endswith(PEM_END), pem[-60:])
        ok, bits, err = openssl_check(pem)
        self.assertTrue(ok, "openssl rsa -check failed: %r" % err)
        self.assertEqual(bits, 2048)

        # -- create 3 ---------------------------------------------------------------
        servers = self.create(c, [("serverImageProductCode", LINUX_IMAGE),
                                  ("serverProductCode", p1["productCode"]),
                                  ("serverName", "web"), ("serverCreateCount", "3"),
                                  ("loginKeyName", "walk-key")], fmt=fmt)
        self.assertEqual(len(servers), 3)
        self.assertEqual(sorted(s["serverName"] for s in servers),
                         ["web-001", "web-002", "web-003"])
        for s in servers:
            self.check_server_item(s, "INIT", "NULL", "init")
            self.assertEqual(s["loginKeyName"], "walk-key")
            self.assertEqual(s["serverImageProductCode"], LINUX_IMAGE)
            self.assertEqual(s["serverProductCode"], p1["productCode"])
            self.assertEqual(s["cpuCount"], p1["cpuCount"])
            self.assertEqual(s["memorySize"], p1["memorySize"])
            self.assertEqual(s["baseBlockStorageSize"], image["baseBlockStorageSize"])
            self.assertEqual(s["serverImageName"], image["productName"])
            self.assertEqual(s["platformType"]["code"], image["platformType"]["code"])
            self.assertEqual(s["publicIp"], "")
            self.assertEqual(s["isProtectServerTermination"], "false")
            self.assertEqual(s["zone"]["zoneNo"], "3")
            self.assertEqual(s["region"]["regionNo"], "1")
            self.assertRegex(s["createDate"], DATE_RE)
            self.assertEqual(s["createDate"], s["uptime"])
            self.assertEqual([g["accessControlGroupName"] for g in s["accessControlGroupList"]],
                             ["ncloud-default-acg"])
            self.assertNotIn(s["serverInstanceNo"], before)
        if fmt == "json":
            raw = c.call("getServerInstanceList", no_list([servers[0]["serverInstanceNo"]]),
                         fmt="json")
            self.assert_server_json_types(self.ok(raw, "json", "getServerInstanceList",
                                                  typed=True)["serverInstanceList"][0])
        nos = [s["serverInstanceNo"] for s in servers]
        self.assertEqual(len(set(nos)), 3)

        seen = self.observe(c, nos, ("RUN", "NULL"), CREATE_STATES, timeout=15)
        # each server's states go forward along the documented path, never back
        for no in nos:
            path = [CREATE_ORDER.index((st, op)) for n, st, op, _ in seen if n == no]
            self.assertEqual(path, sorted(path), "creation states of %s went back: %s"
                             % (no, [o for o in seen if o[0] == no]))
        listed = self.list_text(c, nos, fmt=fmt)
        self.assertEqual(int(listed["totalRows"]), 3)
        ips = [s["privateIp"] for s in listed["serverInstanceList"]]
        for ip in ips:
            self.assertRegex(ip, r"^10\.42\.\d{1,3}\.\d{1,3}$", "zone 3 private IP")
        self.assertEqual(len(set(ips)), 3, "private IPs must differ: %s" % ips)

        # -- root passwords ---------------------------------------------------------
        pw = {}
        for no in nos[:2]:
            r = c.call("getRootPassword", [("serverInstanceNo", no), ("privateKey", pem)],
                       method="POST", fmt=fmt)
            inner = self.ok(r, fmt, "getRootPassword")
            self.assertIsInstance(inner.get("rootPassword"), str, inner)
            self.assertNotEqual(inner["rootPassword"], "")
            pw[no] = inner["rootPassword"]
        # literal "\n" sequences for the line breaks (DOC-RPW) give the same password
        r = c.call("getRootPassword", [("serverInstanceNo", nos[0]),
                                       ("privateKey", pem.strip().replace("\n", "\\n"))],
                   method="GET", fmt=fmt)
        self.assertEqual(self.ok(r, fmt, "getRootPassword")["rootPassword"], pw[nos[0]])
        if fmt == "json":
            inner = self.ok(r, "json", "getRootPassword", typed=True)
            self.assertIs(type(inner["totalRows"]), int)
            self.assertIsInstance(inner["rootPassword"], str)
        wrong = self.create_key(c, "other-key", fmt="json")
        r = c.call("getRootPassword", [("serverInstanceNo", nos[0]), ("privateKey", wrong)],
                   method="POST", fmt=fmt)
        self.assert_api_error(r, fmt, 24001, LMSG["24001"])

        pairs = []
        for i, no in enumerate(nos[:2]):
            pairs += [("rootPasswordServerInstanceList.%d.serverInstanceNo" % (i + 1), no),
                      ("rootPasswordServerInstanceList.%d.privateKey" % (i + 1), pem)]
        r = c.call("getRootPasswordServerInstanceList", pairs, method="POST", fmt=fmt)
        self.assertEqual(r.status, 200, r)
        if fmt == "xml":
            el = ET.fromstring(r.body)
            self.assertEqual(el.tag, "getRootPasswordServerInstanceListResponse")
            tags = [ch.tag for ch in el]
            self.assertEqual(tags[:4], ["requestId", "returnCode", "returnMessage", "totalRows"])
            self.assertEqual(el.findtext("returnCode"), "0")
            self.assertEqual(el.findtext("totalRows"), "2")
            items = el.findall("rootPasswordServerInstanceList")
            self.assertEqual(len(items), 2, "one <rootPasswordServerInstanceList> per item: %r"
                             % r.body)
            got = {}
            for it in items:
                self.assertEqual([ch.tag for ch in it], ["serverInstanceNo", "rootPassword"],
                                 ET.tostring(it))
                got[it.findtext("serverInstanceNo")] = it.findtext("rootPassword")
        else:
            inner = self.ok(r, "json", "getRootPasswordServerInstanceList", typed=True)
            self.assertEqual(inner["totalRows"], 2)
            lst = inner["rootPasswordServerInstanceList"]
            self.assertIsInstance(lst, list)
            self.assertEqual(len(lst), 2)
            got = {}
            for it in lst:
                self.assertIsInstance(it["serverInstanceNo"], str)
                self.assertIsInstance(it["rootPassword"], str)
                got[it["serverInstanceNo"]] = it["rootPassword"]
        self.assertEqual(got, pw)

        # -- stop / start / reboot ----------------------------------------------------
        self.action(c, "stopServerInstances", nos, fmt, ("RUN", "SHTDN", "shutting down"))
        self.observe(c, nos, ("NSTOP", "NULL"), STOP_STATES)
        self.action(c, "startServerInstances", nos, fmt, ("NSTOP", "START", "booting"))
        self.observe(c, nos, ("RUN", "NULL"), START_STATES)
        self.action(c, "rebootServerInstances", nos, fmt, ("RUN", "RESTA", "rebooting"))
        self.observe(c, nos, ("RUN", "NULL"), REBOOT_STATES)
        self.action(c, "stopServerInstances", nos, fmt, ("RUN", "SHTDN", "shutting down"))
        self.observe(c, nos, ("NSTOP", "NULL"), STOP_STATES)

        # -- change spec ------------------------------------------------------------
        for no in nos:
            r = c.call("changeServerInstanceSpec", [("serverInstanceNo", no),
                                                    ("serverProductCode", p2["productCode"])],
                       method="POST", fmt=fmt)
            inner = self.ok(r, fmt, "changeServerInstanceSpec")
            self.assertEqual(inner["totalRows"], "1")
            (s,) = inner["serverInstanceList"]
            self.assertEqual(s["serverInstanceNo"], no)
            self.check_server_item(s, "NSTOP", "CHNG", "changingSpec")
        self.observe(c, nos, ("NSTOP", "NULL"), CHANGE_STATES)
        listed = self.list_text(c, nos, fmt=fmt)
        for s in listed["serverInstanceList"]:
            self.assertEqual((s["serverProductCode"], s["cpuCount"], s["memorySize"]),
                             (p2["productCode"], p2["cpuCount"], p2["memorySize"]))
            self.assertEqual(s["serverImageProductCode"], LINUX_IMAGE)

        self.action(c, "startServerInstances", nos, fmt, ("NSTOP", "START", "booting"))
        self.observe(c, nos, ("RUN", "NULL"), START_STATES)
        self.action(c, "stopServerInstances", nos, fmt, ("RUN", "SHTDN", "shutting down"))
        self.observe(c, nos, ("NSTOP", "NULL"), STOP_STATES)

        # -- terminate -----------------------------------------------------------------
        self.action(c, "terminateServerInstances", nos, fmt, ("NSTOP", "TERMT", "terminating"))
        self.observe(c, nos, None, TERMINATE_STATES, gone=True)
        listed = self.list_text(c, nos, fmt=fmt)
        self.assertEqual(listed["totalRows"], "0")
        self.assertEqual(listed["serverInstanceList"], [])
        if fmt == "json":
            raw = c.call("getServerInstanceList", no_list(nos), fmt="json")
            self.assertEqual(self.ok(raw, "json", "getServerInstanceList",
                                     typed=True)["serverInstanceList"], [])
        self.assertEqual(set(c.server_map()), before, "only the seed servers are left")
        for action in ("stopServerInstances", "startServerInstances", "rebootServerInstances",
                       "terminateServerInstances"):
            r = c.call(action, no_list([nos[0]]), method="POST", fmt=fmt)
            self.assert_api_error(r, fmt, 24120, LMSG["24120"])
        r = c.call("getRootPassword", [("serverInstanceNo", nos[0]), ("privateKey", pem)],
                   method="POST", fmt=fmt)
        self.assert_api_error(r, fmt, 24120, LMSG["24120"])

        # the key is no longer used; the names are free again
        r = c.call("deleteLoginKey", [("keyName", "walk-key")], method="POST", fmt=fmt)
        self.ok(r, fmt, "deleteLoginKey", total=None)
        again = self.create(c, [("serverImageProductCode", LINUX_IMAGE),
                                ("serverName", "web-001"), ("loginKeyName", "other-key")],
                            fmt=fmt)
        self.assertEqual([s["serverName"] for s in again], ["web-001"])
        self.assertNotIn(again[0]["serverInstanceNo"], nos, "instance number reused")


class WalkDetailsTest(LifecycleCase):
    """Smaller points of the walk that Terraform depends on."""

    def test_status_codenames_during_creation(self):
        d = self.new_daemon(sim_step_ms=80)
        c = d.client()
        self.create_key(c, "k-one")
        (no,) = self.create_nos(c, [("serverImageProductCode", LINUX_IMAGE)])
        names = {"INIT": "Server init state", "CREAT": "Server Created State",
                 "RUN": "Server run state"}
        end = time.monotonic() + 15
        while True:
            s = c.server_map()[no]
            st = s["serverInstanceStatus"]
            self.assertEqual(st["codeName"], names[st["code"]], s)
            op = s["serverInstanceOperation"]
            self.assertIn(op["code"], ("NULL", "CREAT", "START", "SETUP"))
            if (st["code"], op["code"]) == ("RUN", "NULL"):
                break
            self.assertLess(time.monotonic(), end, "creation did not finish")
            time.sleep(0.01)

    def test_uptime_is_boot_time_after_creation(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        self.create_key(c, "k-one")
        (s,) = self.create(c, [("serverImageProductCode", LINUX_IMAGE)])
        self.observe(c, [s["serverInstanceNo"]], ("RUN", "NULL"), CREATE_STATES)
        after = c.server_map()[s["serverInstanceNo"]]
        self.assertEqual(after["createDate"], s["createDate"])
        self.assertRegex(after["uptime"], DATE_RE)
        self.assertGreaterEqual(after["uptime"], after["createDate"])


if __name__ == "__main__":
    unittest.main()

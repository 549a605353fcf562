"""Block storage and block storage snapshots (issue 11; network-storage.md §3-§4,
interactions.md S1-S14, docs/compat.md "Block storage").

1. Walks in XML and JSON: create -> attach, detach, resize, attach again, snapshot, delete,
   every intermediate state recorded and compared with the path (and with what the classic
   Terraform provider polls for), the server's own operation following its disks.
2. The list: the servers' boot disks too, every filter, paging, sorting, D10's empty filter.
3. Every error code of every action with its exact message; a failing request changes
   nothing; the interaction rules (25014 from real disk work, caps, micro servers, zones,
   terminate takes attached disks along).
"""

import unittest

from c_util import (CMSG, DISK, DISK_ATTACH, DISK_CREATE, DISK_DETACH, DISK_DETACH_DELETE,
                    DISK_DELETE, DISK_FIELDS, DISK_RESIZE, FORMATS, GiB, LINUX_IMAGE, MICRO,
                    SNAP, SNAP_CREATE, SNAP_DELETE, SNAP_FIELDS, SERVER, UNKNOWN, WIN_IMAGE,
                    ResourceCase, msg_23001, msg_23002, msg_900, msg_910, msg_dup, nlist,
                    no_list, wait_for)

SEED = "1021003"        # RUN, KR-2, its boot disk 1021103 (50 GiB SSD)
SEED_DISK = "1021103"
KR1_RUN = "1021004"     # RUN, KR-1
KR2_STOP = "1021006"    # NSTOP, KR-2


def create_disk(case, c, server=SEED, size="10", name=None, fmt="json", extra=()):
    params = [("serverInstanceNo", server), ("blockStorageSize", size)] + list(extra)
    if name:
        params.append(("blockStorageName", name))
    inner = case.call_fmt(c, "createBlockStorageInstance", params, fmt)
    (d,) = inner["blockStorageInstanceList"]
    return d


class StorageWalkTest(ResourceCase):
    """Every state of every block storage path, in both formats."""

    def walk(self, fmt):
        d = self.new_daemon(sim_step_ms=300)
        c = d.client()
        # create: answered INIT/NULL, the server in disk work (SETUP) at once
        r = c.call("createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                  ("blockStorageSize", "10"),
                                                  ("blockStorageName", "walk-" + fmt),
                                                  ("blockStorageDescription", "data disk")],
                   method="POST", fmt=fmt)
        inner = self.ok(r, fmt, "createBlockStorageInstance")
        self.assertEqual(inner["totalRows"], "1")
        (disk,) = inner["blockStorageInstanceList"]
        if fmt == "xml":
            self.assertEqual(self.xml_order(r, "blockStorageInstanceList/blockStorageInstance"),
                             DISK_FIELDS)
        else:
            self.assertEqual(list(r.json()["createBlockStorageInstanceResponse"][
                "blockStorageInstanceList"][0]), DISK_FIELDS)
        no = disk["blockStorageInstanceNo"]
        self.assertEqual((disk["serverInstanceNo"], disk["serverName"]), (SEED, "s1669aa4e78c"))
        self.assertEqual(disk["blockStorageType"], {"code": "SVRBS", "codeName": "Server BS"})
        self.assertEqual((disk["blockStorageName"], disk["blockStorageSize"], disk["deviceName"],
                          disk["memberServerImageNo"], disk["blockStorageProductCode"]),
                         ("walk-" + fmt, "10737418240", "", "", "SPBSTBSTAD000002"))
        self.assertEqual(disk["blockStorageInstanceStatus"],
                         {"code": "INIT", "codeName": "Block storage INIT state"})
        self.assertEqual(disk["blockStorageInstanceOperation"],
                         {"code": "NULL", "codeName": "Block Storage NULLOP"})
        self.assertEqual(disk["blockStorageInstanceStatusName"], "initialized")
        self.assertEqual(disk["blockStorageInstanceDescription"], "data disk")
        self.assertEqual(disk["diskType"], {"code": "NET", "codeName": "Network Storage"})
        self.assertEqual(disk["diskDetailType"], {"code": "HDD", "codeName": "HDD"})
        self.assertEqual(disk["maxIopsThroughput"], "100")
        self.assertEqual((disk["zone"]["zoneNo"], disk["zone"]["zoneName"],
                          disk["region"]["regionCode"]), ("3", "KR-2", "KR"))
        self.assert_state(c, SEED, "RUN", "SETUP", "setting up")
        # 25014 now comes from real disk work (interactions.md S6/S7)
        self.err(c, "stopServerInstances", no_list([SEED]), 25014, CMSG["25014"], fmt=fmt)
        server_ops = set()
        seen = self.observe_res(c, DISK, [no], ("ATTAC", "NULL"), DISK_CREATE,
                                also=lambda cur: server_ops.add(c.state(SEED)[1]))
        self.assert_path(seen[no], DISK_CREATE)
        # Terraform's waitForBlockStorageAttachment: INIT, CREAT pending, ATTAC target
        self.assertTrue({s[0] for s in seen[no]} <= {"INIT", "CREAT", "ATTAC"})
        got = self.item(c, DISK, no)
        self.assertEqual(got["deviceName"], "/dev/xvdb")
        self.assertEqual(got["blockStorageInstanceStatus"]["codeName"],
                         "Block storage ATTACHED state")
        self.assert_state(c, SEED, "RUN", "NULL", "running")   # the disk work ended with it
        self.assertIn("SETUP", server_ops)

        # detach: ATTAC/DETAC -> CREAT/NULL (Terraform waits ATTAC -> CREAT, and the
        # server's SETUP -> NULL: detachThenWaitServerInstance)
        inner = self.call_fmt(c, "detachBlockStorageInstances",
                              nlist("blockStorageInstanceNoList", [no]), fmt)
        (x,) = inner["blockStorageInstanceList"]
        self.assertEqual(x["deviceName"], "/dev/xvdb")   # still named while detaching
        self.assertEqual(x["blockStorageInstanceOperation"]["codeName"],
                         "Block Storage RESTART OP")
        self.assert_state(c, SEED, "RUN", "SETUP")
        seen = self.observe_res(c, DISK, [no], ("CREAT", "NULL"), DISK_DETACH)
        self.assert_path(seen[no], DISK_DETACH)
        got = self.item(c, DISK, no)
        self.assertEqual((got["serverInstanceNo"], got["serverName"], got["deviceName"]),
                         ("", "", ""))
        self.assert_state(c, SEED, "RUN", "NULL")

        # resize (detached, Terraform's classic path): CREAT/CHNG -> CREAT/NULL, 20 GB
        inner = self.call_fmt(c, "changeBlockStorageVolumeSize",
                              [("blockStorageInstanceNo", no), ("blockStorageSize", "20")], fmt)
        self.assertEqual(inner["blockStorageInstanceList"][0]["blockStorageInstanceOperation"],
                         {"code": "CHNG", "codeName": "Block Storage CHANGE OP"})
        seen = self.observe_res(c, DISK, [no], ("CREAT", "NULL"), DISK_RESIZE)
        self.assert_path(seen[no], DISK_RESIZE)
        self.assertEqual(self.item(c, DISK, no)["blockStorageSize"], str(20 * GiB))

        # attach to another server of the zone (stopped 1021006)
        inner = self.call_fmt(c, "attachBlockStorageInstance",
                              [("serverInstanceNo", KR2_STOP), ("blockStorageInstanceNo", no)], fmt)
        (x,) = inner["blockStorageInstanceList"]
        self.assertEqual((x["serverInstanceNo"], x["deviceName"]), (KR2_STOP, ""))
        self.assert_state(c, KR2_STOP, "NSTOP", "SETUP")
        seen = self.observe_res(c, DISK, [no], ("ATTAC", "NULL"), DISK_ATTACH)
        self.assert_path(seen[no], DISK_ATTACH)
        self.assertEqual(self.item(c, DISK, no)["deviceName"], "/dev/xvdb")
        self.assert_state(c, KR2_STOP, "NSTOP", "NULL")

        # snapshot of the attached disk: INIT/NULL -> CREAT/NULL; then deleted
        r = c.call("createBlockStorageSnapshotInstance", [("blockStorageInstanceNo", no),
                                                          ("blockStorageSnapshotName", "snap-" + fmt),
                                                          ("blockStorageSnapshotDescription", "s")],
                   method="POST", fmt=fmt)
        inner = self.ok(r, fmt, "createBlockStorageSnapshotInstance")
        if fmt == "xml":
            self.assertEqual(self.xml_order(r, "blockStorageSnapshotInstanceList/"
                                               "blockStorageSnapshot"), SNAP_FIELDS)
        (snap,) = inner["blockStorageSnapshotInstanceList"]
        sno = snap["blockStorageSnapshotInstanceNo"]
        self.assertEqual((snap["blockStorageSnapshotName"], snap["blockStorageSnapshotVolumeSize"],
                          snap["originalBlockStorageInstanceNo"], snap["originalBlockStorageName"],
                          snap["serverImageProductCode"], snap["osInformation"],
                          snap["blockStorageSnapshotInstanceDescription"]),
                         ("snap-" + fmt, str(20 * GiB), no, "walk-" + fmt, "SPSW0LINUX000046",
                          "CentOS 7.3 (64-bit)", "s"))
        self.assertEqual(snap["blockStorageSnapshotInstanceStatus"],
                         {"code": "INIT", "codeName": "Block storage INIT state"})
        seen = self.observe_res(c, SNAP, [sno], ("CREAT", "NULL"), SNAP_CREATE)
        self.assert_path(seen[sno], SNAP_CREATE)
        inner = self.call_fmt(c, "deleteBlockStorageSnapshotInstances",
                              nlist("blockStorageSnapshotInstanceNoList", [sno]), fmt)
        self.assertEqual(inner["blockStorageSnapshotInstanceList"][0][
            "blockStorageSnapshotInstanceOperation"],
            {"code": "TERMT", "codeName": "Block Storage TERMINATE OP"})
        seen = self.observe_res(c, SNAP, [sno], allowed=SNAP_DELETE, gone=True)
        self.assertEqual(seen[sno], SNAP_DELETE)

        # delete the attached disk: detached first, then deleted (S8); Terraform waits on
        # CREAT, INIT, ATTAC until it is gone: it never shows another status
        inner = self.call_fmt(c, "deleteBlockStorageInstances",
                              nlist("blockStorageInstanceNoList", [no]), fmt)
        self.assertEqual(inner["blockStorageInstanceList"][0]["blockStorageInstanceStatusName"],
                         "detaching")
        seen = self.observe_res(c, DISK, [no], allowed=DISK_DETACH_DELETE, gone=True)
        self.assertEqual(seen[no], DISK_DETACH_DELETE)
        self.assert_state(c, KR2_STOP, "NSTOP", "NULL")
        self.err(c, "detachBlockStorageInstances", nlist("blockStorageInstanceNoList", [no]),
                 24109, CMSG["24109."], fmt=fmt)

    def test_walk_xml(self):
        self.walk("xml")

    def test_walk_json(self):
        self.walk("json")

    def test_delete_of_a_detached_disk_and_typed_json(self):
        d = self.new_daemon(sim_step_ms=200)
        c = d.client()
        inner = self.call_fmt(c, "createBlockStorageInstance",
                              [("serverInstanceNo", KR1_RUN), ("blockStorageSize", "2000"),
                               ("diskDetailTypeCode", "SSD")], "json", total=True)
        (disk,) = inner["blockStorageInstanceList"]
        no = disk["blockStorageInstanceNo"]
        self.assertRegex(disk["blockStorageName"], r"^bst[0-9a-f]{11}$")   # default name
        self.assertEqual((disk["blockStorageProductCode"], disk["diskDetailType"]["code"]),
                         ("SPBSTBSTAD000006", "SSD"))
        typed = self.call_fmt(c, "getBlockStorageInstanceList",
                              nlist("blockStorageInstanceNoList", [no]), "json")
        r = c.call("getBlockStorageInstanceList", nlist("blockStorageInstanceNoList", [no]),
                   fmt="json")
        item = r.json()["getBlockStorageInstanceListResponse"]["blockStorageInstanceList"][0]
        self.assertIs(type(item["blockStorageSize"]), int)
        self.assertEqual(item["blockStorageSize"], 2000 * GiB)
        self.assertIs(type(item["maxIopsThroughput"]), int)
        self.assertEqual(item["maxIopsThroughput"], 4000)
        self.assertEqual(typed["totalRows"], "1")
        self.wait_res(c, DISK, no, ("ATTAC", "NULL"))
        self.call_fmt(c, "detachBlockStorageInstances", nlist("blockStorageInstanceNoList", [no]),
                      "json")
        self.wait_res(c, DISK, no, ("CREAT", "NULL"))
        inner = self.call_fmt(c, "deleteBlockStorageInstances",
                              nlist("blockStorageInstanceNoList", [no]), "json")
        self.assertEqual(inner["blockStorageInstanceList"][0]["blockStorageInstanceStatusName"],
                         "terminating")
        seen = self.observe_res(c, DISK, [no], allowed=DISK_DELETE, gone=True)
        self.assertEqual(seen[no], DISK_DELETE)

    def test_resize_on_a_stopped_server_keeps_it_attached(self):
        d = self.new_daemon(sim_step_ms=200)
        c = d.client()
        no = create_disk(self, c, server=KR2_STOP)["blockStorageInstanceNo"]
        self.wait_res(c, DISK, no, ("ATTAC", "NULL"))
        inner = self.call_fmt(c, "changeBlockStorageVolumeSize",
                              [("blockStorageInstanceNo", no), ("blockStorageSize", "30")], "json")
        (x,) = inner["blockStorageInstanceList"]
        self.assertEqual((x["blockStorageInstanceStatus"]["code"],
                          x["blockStorageInstanceOperation"]["code"],
                          x["blockStorageInstanceStatusName"]), ("ATTAC", "CHNG", "optimizing"))
        self.assert_state(c, KR2_STOP, "NSTOP", "SETUP")
        self.err(c, "startServerInstances", no_list([KR2_STOP]), 25014, CMSG["25014"])
        seen = self.observe_res(c, DISK, [no], ("ATTAC", "NULL"),
                                [("ATTAC", "CHNG", "optimizing"), ("ATTAC", "NULL", "attached")])
        self.assertEqual(seen[no][-1], ("ATTAC", "NULL", "attached"))
        got = self.item(c, DISK, no)
        self.assertEqual((got["blockStorageSize"], got["deviceName"]), (str(30 * GiB), "/dev/xvdb"))
        self.assert_state(c, KR2_STOP, "NSTOP", "NULL")

    def test_two_disks_of_one_server_at_once_and_device_names(self):
        """Terraform creates the disks of one server in parallel: the second joins the
        disk work under way; the server is busy until the last one is attached."""
        d = self.new_daemon(sim_step_ms=300)
        c = d.client()
        a = create_disk(self, c, name="par-a")["blockStorageInstanceNo"]
        b = create_disk(self, c, name="par-b")["blockStorageInstanceNo"]
        self.assert_state(c, SEED, "RUN", "SETUP")
        self.observe_res(c, DISK, [a, b], ("ATTAC", "NULL"), DISK_CREATE)
        devs = sorted(self.item(c, DISK, n)["deviceName"] for n in (a, b))
        self.assertEqual(devs, ["/dev/xvdb", "/dev/xvdc"])
        self.assert_state(c, SEED, "RUN", "NULL")
        # a detached disk gives its name back; the next one takes the first free name
        self.call_fmt(c, "detachBlockStorageInstances", nlist("blockStorageInstanceNoList", [a]),
                      "json")
        self.wait_res(c, DISK, a, ("CREAT", "NULL"))
        e = create_disk(self, c, name="par-e")["blockStorageInstanceNo"]
        self.wait_res(c, DISK, e, ("ATTAC", "NULL"))
        self.assertEqual(self.item(c, DISK, e)["deviceName"],
                         "/dev/xvdb" if self.item(c, DISK, b)["deviceName"] == "/dev/xvdc"
                         else "/dev/xvdc")


class StorageListTest(ResourceCase):
    """getBlockStorageInstanceList: the servers' boot disks, filters, paging, sorting."""

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=0)
        cls.c = cls.d.client()
        c = cls.c
        cls.disks = {}
        for server, name, size, detail in ((SEED, "alpha", "10", "HDD"), (SEED, "bravo", "20", "SSD"),
                                           (KR1_RUN, "charlie", "30", "HDD")):
            r = c.call("createBlockStorageInstance", [("serverInstanceNo", server),
                                                      ("blockStorageSize", size),
                                                      ("blockStorageName", name),
                                                      ("diskDetailTypeCode", detail)],
                       method="POST", fmt="json")
            assert r.status == 200, r
            no = r.json()["createBlockStorageInstanceResponse"]["blockStorageInstanceList"][0][
                "blockStorageInstanceNo"]
            cls.disks[name] = no
        wait_for(lambda: all(
            s["blockStorageInstanceStatus"]["code"] == "ATTAC" for s in r2()), timeout=10)

    def names(self, params, fmt="json"):
        items = self.items(self.c, DISK, params=params, fmt=fmt)
        return [i["blockStorageName"] for i in items]

    def test_boot_disks_are_listed(self):
        items = self.items(self.c, DISK, params=[("serverInstanceNo", SEED)])
        basic = [i for i in items if i["blockStorageType"]["code"] == "BASIC"]
        self.assertEqual(len(basic), 1)
        b = basic[0]
        self.assertEqual((b["blockStorageInstanceNo"], b["blockStorageName"],
                          b["blockStorageSize"], b["deviceName"], b["blockStorageProductCode"],
                          b["blockStorageType"]["codeName"], b["blockStorageInstanceDescription"],
                          b["diskDetailType"]["code"], b["blockStorageInstanceStatusName"]),
                         (SEED_DISK, "s1669aa4e78c", "53687091200", "/dev/xvda",
                          "SPBSTBSTBS000001", "Basic BS", "s1669aa4e78c's basic storage", "SSD",
                          "attached"))
        all_items = self.items(self.c, DISK)
        boots = {i["blockStorageInstanceNo"] for i in all_items
                 if i["blockStorageType"]["code"] == "BASIC"}
        self.assertEqual(boots, {"1021103", "1021104", "1021105", "1021106"})

    def test_filters(self):
        c = self.c
        self.assertEqual(self.names([("serverInstanceNo", SEED),
                                     ("blockStorageTypeCodeList.1", "SVRBS")]), ["alpha", "bravo"])
        self.assertEqual(self.names([("blockStorageTypeCodeList.1", "basic")]),
                         ["s1669aa4e78c", "web-01", "web-02", "db-01"])
        self.assertEqual(len(self.names([("blockStorageTypeCodeList.1", "BASIC"),
                                         ("blockStorageTypeCodeList.2", "SVRBS")])), 7)
        self.assertEqual(self.names([("searchFilterName", "blockStorageName"),
                                     ("searchFilterValue", "RAV")]), ["bravo"])
        self.assertEqual(self.names([("searchFilterName", "attachmentInformation"),
                                     ("searchFilterValue", "web-01 /dev/xvdb")]), ["charlie"])
        self.assertEqual(self.names([("searchFilterName", "attachmentInformation"),
                                     ("searchFilterValue", "s1669aa4e78c:/dev/xvdc")]), ["bravo"])
        self.assertEqual(self.names([("diskDetailTypeCode", "SSD"),
                                     ("blockStorageTypeCodeList.1", "SVRBS")]), ["bravo"])
        self.assertEqual(self.names([("diskTypeCode", "LOCAL")]), [])
        self.assertEqual(self.names([("zoneNo", "2"), ("blockStorageTypeCodeList.1", "SVRBS")]),
                         ["charlie"])
        self.assertEqual(len(self.names([("regionNo", "1")])), 7)
        self.assertEqual(self.names([("regionNo", "8")]), [])
        self.assertEqual(self.names([("blockStorageInstanceStatusCode", "INIT")]), [])
        self.assertEqual(len(self.names([("blockStorageInstanceStatusCode", "ATTAC")])), 7)
        self.assertEqual(self.names(nlist("blockStorageInstanceNoList",
                                          [self.disks["charlie"], UNKNOWN])), ["charlie"])
        # DECISIONS D10: the old Go SDK always sends searchFilterValue=, empty: no filter
        self.assertEqual(len(self.names([("searchFilterValue", "")])), 7)
        self.err(c, "getBlockStorageInstanceList", [("searchFilterValue", "x")], 900,
                 msg_900("searchFilterName"))
        self.err(c, "getBlockStorageInstanceList", [("searchFilterName", "nope"),
                                                    ("searchFilterValue", "x")], 910,
                 msg_910("searchFilterName"))

    def test_paging_and_sorting(self):
        svrbs = [("blockStorageTypeCodeList.1", "SVRBS")]
        self.assertEqual(self.names(svrbs + [("sortedBy", "blockStorageName"),
                                             ("sortingOrder", "descending")]),
                         ["charlie", "bravo", "alpha"])
        self.assertEqual(self.names(svrbs + [("sortedBy", "BLOCKSTORAGEINSTANCENO")]),
                         ["alpha", "bravo", "charlie"])
        for fmt in FORMATS:
            inner = self.call_fmt(self.c, "getBlockStorageInstanceList",
                                  svrbs + [("pageNo", "2"), ("pageSize", "2"),
                                           ("sortedBy", "blockStorageName")], fmt)
            self.assertEqual(inner["totalRows"], "3")
            self.assertEqual([i["blockStorageName"] for i in inner["blockStorageInstanceList"]],
                             ["charlie"])

    def test_snapshot_list_filters(self):
        c = self.c
        snaps = {}
        for disk in (SEED_DISK, self.disks["alpha"]):
            inner = self.call_fmt(c, "createBlockStorageSnapshotInstance",
                                  [("blockStorageInstanceNo", disk)], "json")
            s = inner["blockStorageSnapshotInstanceList"][0]
            self.assertRegex(s["blockStorageSnapshotName"], r"^snap[0-9a-f]{11}$")
            snaps[disk] = s["blockStorageSnapshotInstanceNo"]
        boot = self.items(c, SNAP, params=nlist("originalBlockStorageInstanceNoList", [SEED_DISK]))
        self.assertEqual([s["blockStorageSnapshotInstanceNo"] for s in boot], [snaps[SEED_DISK]])
        self.assertEqual((boot[0]["blockStorageSnapshotVolumeSize"], boot[0]["osInformation"],
                          boot[0]["serverImageProductCode"]),
                         ("53687091200", "CentOS 7.3 (64-bit)", "SPSW0LINUX000066"))
        inner = self.call_fmt(c, "getBlockStorageSnapshotInstanceList",
                              [("pageNo", "1"), ("pageSize", "1")], "xml")
        self.assertEqual((inner["totalRows"], len(inner["blockStorageSnapshotInstanceList"])),
                         ("2", 1))
        self.assertEqual(self.items(c, SNAP, params=[("regionNo", "8")]), [])


def r2():
    return StorageListTest.c.call("getBlockStorageInstanceList",
                                  [("blockStorageTypeCodeList.1", "SVRBS")],
                                  fmt="json").json()["getBlockStorageInstanceListResponse"][
        "blockStorageInstanceList"]


class StorageErrorsTest(ResourceCase):
    """Every error of every block storage action, exactly; nothing changes on failure."""

    def setUp(self):
        self.d = self.new_daemon(sim_step_ms=30000)
        self.c = self.d.client()
        self.before = None

    def assert_unchanged(self):
        self.assertEqual(self.everything(self.c), self.before, "a failing request changed state")

    def fail_both(self, action, params, code, message):
        for fmt in FORMATS:
            self.err(self.c, action, params, code, message, fmt=fmt)

    def test_create_errors(self):
        c = self.c
        self.before = self.everything(c)
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", SEED)], 900,
                       msg_900("blockStorageSize"))
        self.fail_both("createBlockStorageInstance", [("blockStorageSize", "10")], 900,
                       msg_900("serverInstanceNo"))
        for size in ("15", "5", "2010", "abc"):
            self.fail_both("createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                          ("blockStorageSize", size)], 910,
                           msg_910("blockStorageSize"))
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", UNKNOWN),
                                                      ("blockStorageSize", "10")], 24120,
                       CMSG["24120"])
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", SEED_DISK),
                                                      ("blockStorageSize", "10")], 24109,
                       CMSG["24109"])
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                      ("blockStorageSize", "10"),
                                                      ("diskDetailTypeCode", "NVME")], 910,
                       msg_910("diskDetailTypeCode"))
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                      ("blockStorageSize", "10"),
                                                      ("blockStorageName", "ab")], 910,
                       msg_910("blockStorageName"))
        self.assert_unchanged()
        # the name is taken (S4): 10300
        create_disk(self, c, name="taken")
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", KR2_STOP),
                                                      ("blockStorageSize", "10"),
                                                      ("blockStorageName", "taken")], 10300,
                       CMSG["10300"])
        # the server is busy (S5): the seed server shows SETUP from another create... no:
        # disk work may join; a stopping server may not
        self.call_fmt(c, "stopServerInstances", no_list([KR1_RUN]), "json")
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", KR1_RUN),
                                                      ("blockStorageSize", "10")], 25013,
                       CMSG["25013"])

    def test_micro_windows_and_caps(self):
        c = self.c
        self.create_key(c, "cap-key")
        micro, win, linux = (self.create_nos(c, params) for params in (
            [("serverImageProductCode", LINUX_IMAGE), ("serverProductCode", MICRO),
             ("serverName", "micro-1")],
            [("serverImageProductCode", WIN_IMAGE), ("serverName", "win-1")],
            [("serverImageProductCode", LINUX_IMAGE), ("serverName", "lin-1"),
             ("serverProductCode", "SPSVRSTAND000004")]))
        d2 = self.d
        d2.restart(kill=False, sim_step_ms=0)
        for no in (micro[0], win[0], linux[0]):
            self.wait_state(c, no, "RUN", "NULL")
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", micro[0]),
                                                      ("blockStorageSize", "10")], 10723,
                       CMSG["10723"])
        # S3: 16 disks for Linux, 14 for Windows, the boot disk included
        for i in range(15):
            create_disk(self, c, server=linux[0], name="lin-%02d" % i)
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", linux[0]),
                                                      ("blockStorageSize", "10")], 23001,
                       msg_23001(16))
        for i in range(13):
            create_disk(self, c, server=win[0], name="win-%02d" % i)
        self.fail_both("createBlockStorageInstance", [("serverInstanceNo", win[0]),
                                                      ("blockStorageSize", "10")], 23002,
                       msg_23002(14))
        # attach counts too: a detached disk of the account cannot go to the full server
        self.wait_state(c, linux[0], "RUN", "NULL")
        spare = create_disk(self, c, server=SEED, name="spare")["blockStorageInstanceNo"]
        self.wait_res(c, DISK, spare, ("ATTAC", "NULL"))
        self.call_fmt(c, "detachBlockStorageInstances",
                      nlist("blockStorageInstanceNoList", [spare]), "json")
        self.wait_res(c, DISK, spare, ("CREAT", "NULL"))
        lin_kr = self.call_fmt(c, "getServerInstanceList", no_list([linux[0]]), "json")[
            "serverInstanceList"][0]["zone"]["zoneNo"]
        if lin_kr == "3":
            self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", linux[0]),
                                                          ("blockStorageInstanceNo", spare)],
                           23001, msg_23001(16))
        self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", micro[0]),
                                                      ("blockStorageInstanceNo", spare)], 10723,
                       CMSG["10723"])

    def test_attach_detach_delete_resize_errors(self):
        c = self.c
        self.d.restart(kill=False, sim_step_ms=0)
        att = create_disk(self, c, name="att")["blockStorageInstanceNo"]
        det = create_disk(self, c, name="det")["blockStorageInstanceNo"]
        for no in (att, det):
            self.wait_res(c, DISK, no, ("ATTAC", "NULL"))
        self.call_fmt(c, "detachBlockStorageInstances", nlist("blockStorageInstanceNoList", [det]),
                      "json")
        self.wait_res(c, DISK, det, ("CREAT", "NULL"))
        self.d.restart(kill=False, sim_step_ms=30000)
        self.before = self.everything(c)
        # attach
        self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", SEED)], 900,
                       msg_900("blockStorageInstanceNo"))
        self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", SEED),
                                                      ("blockStorageInstanceNo", UNKNOWN)],
                       24121, CMSG["24121"])
        self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", SEED),
                                                      ("blockStorageInstanceNo", "x1")],
                       910, msg_910("blockStorageInstanceNo"))
        self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", SEED),
                                                      ("blockStorageInstanceNo", SEED)],
                       24121, CMSG["24121"])          # a server is not a disk
        self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", SEED),
                                                      ("blockStorageInstanceNo", SEED_DISK)],
                       910, msg_910("blockStorageInstanceNo"))   # S10: a boot disk
        self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", KR2_STOP),
                                                      ("blockStorageInstanceNo", att)],
                       25013, CMSG["25013"])          # attached already
        self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", KR1_RUN),
                                                      ("blockStorageInstanceNo", det)],
                       910, msg_910("serverInstanceNo"))   # Z1: another zone
        self.fail_both("attachBlockStorageInstance", [("serverInstanceNo", UNKNOWN),
                                                      ("blockStorageInstanceNo", det)],
                       24120, CMSG["24120"])
        # detach
        self.fail_both("detachBlockStorageInstances", [], 900,
                       msg_900("blockStorageInstanceNoList"))
        self.fail_both("detachBlockStorageInstances", nlist("blockStorageInstanceNoList",
                                                            [UNKNOWN]), 24109, CMSG["24109."])
        self.fail_both("detachBlockStorageInstances", nlist("blockStorageInstanceNoList",
                                                            [SEED_DISK]), 910,
                       msg_910("blockStorageInstanceNoList"))
        self.fail_both("detachBlockStorageInstances", nlist("blockStorageInstanceNoList",
                                                            [det]), 25013, CMSG["25013"])
        self.fail_both("detachBlockStorageInstances", nlist("blockStorageInstanceNoList",
                                                            [att, att]), 910,
                       msg_dup("blockStorageInstanceNoList", att))
        # delete
        self.fail_both("deleteBlockStorageInstances", nlist("blockStorageInstanceNoList",
                                                            [UNKNOWN]), 24121, CMSG["24121"])
        self.fail_both("deleteBlockStorageInstances", nlist("blockStorageInstanceNoList",
                                                            [att, SEED_DISK]), 910,
                       msg_910("blockStorageInstanceNoList"))
        self.fail_both("deleteBlockStorageInstances", nlist("blockStorageInstanceNoList",
                                                            [det, "abc"]), 910,
                       msg_910("blockStorageInstanceNoList"))
        # resize
        for size in ("15", "10"):   # not a step of 10 / not larger
            self.fail_both("changeBlockStorageVolumeSize", [("blockStorageInstanceNo", det),
                                                            ("blockStorageSize", size)], 910,
                           msg_910("blockStorageSize"))
        self.fail_both("changeBlockStorageVolumeSize", [("blockStorageInstanceNo", att),
                                                        ("blockStorageSize", "20")], 25013,
                       CMSG["25013"])                  # S12: its server runs
        self.fail_both("changeBlockStorageVolumeSize", [("blockStorageInstanceNo", SEED_DISK),
                                                        ("blockStorageSize", "100")], 910,
                       msg_910("blockStorageInstanceNo"))
        self.fail_both("changeBlockStorageVolumeSize", [("blockStorageInstanceNo", UNKNOWN),
                                                        ("blockStorageSize", "100")], 24121,
                       CMSG["24121"])
        # snapshots
        self.fail_both("createBlockStorageSnapshotInstance", [("blockStorageInstanceNo", UNKNOWN)],
                       24121, CMSG["24121"])
        self.fail_both("deleteBlockStorageSnapshotInstances",
                       nlist("blockStorageSnapshotInstanceNoList", [UNKNOWN]), 24121,
                       CMSG["24121s"])
        self.fail_both("deleteBlockStorageSnapshotInstances",
                       nlist("blockStorageSnapshotInstanceNoList", [att]), 24121,
                       CMSG["24121s"])
        self.assert_unchanged()
        # in transitions (step 30 s: nothing moves on)
        self.call_fmt(c, "detachBlockStorageInstances", nlist("blockStorageInstanceNoList", [att]),
                      "json")
        self.fail_both("deleteBlockStorageInstances", nlist("blockStorageInstanceNoList", [att]),
                       24002, CMSG["24002"])          # S9: Terraform retries
        self.fail_both("createBlockStorageSnapshotInstance", [("blockStorageInstanceNo", att)],
                       25013, CMSG["25013"])          # S14
        self.fail_both("changeBlockStorageVolumeSize", [("blockStorageInstanceNo", att),
                                                        ("blockStorageSize", "20")], 25013,
                       CMSG["25013"])
        new = create_disk(self, c, server=KR2_STOP, name="fresh")["blockStorageInstanceNo"]
        self.fail_both("deleteBlockStorageInstances", nlist("blockStorageInstanceNoList", [new]),
                       25013, CMSG["25013"])          # still INIT
        inner = self.call_fmt(c, "createBlockStorageSnapshotInstance",
                              [("blockStorageInstanceNo", det),
                               ("blockStorageSnapshotName", "snap-one")], "json")
        sno = inner["blockStorageSnapshotInstanceList"][0]["blockStorageSnapshotInstanceNo"]
        self.fail_both("deleteBlockStorageSnapshotInstances",
                       nlist("blockStorageSnapshotInstanceNoList", [sno]), 25013, CMSG["25013"])
        self.fail_both("createBlockStorageSnapshotInstance", [("blockStorageInstanceNo", det),
                                                              ("blockStorageSnapshotName",
                                                               "snap-one")], 10300, CMSG["10300"])


class StorageInteractionsTest(ResourceCase):
    """interactions.md S6, S7, S13 and the server actions while disks are in work."""

    def test_disk_work_refuses_every_server_action_with_25014(self):
        d = self.new_daemon(sim_step_ms=30000)
        c = d.client()
        create_disk(self, c, server=KR2_STOP)
        self.assert_state(c, KR2_STOP, "NSTOP", "SETUP", "setting up")
        for action in ("startServerInstances", "terminateServerInstances"):
            self.err(c, action, no_list([KR2_STOP]), 25014, CMSG["25014"])
        self.err(c, "changeServerInstanceSpec", [("serverInstanceNo", KR2_STOP),
                                                 ("serverProductCode", "SPSVRSTAND000004")],
                 25014, CMSG["25014"])
        self.err(c, "createMemberServerImage", [("serverInstanceNo", KR2_STOP)], 25008,
                 CMSG["25008"])
        create_disk(self, c, server=SEED)
        for action in ("stopServerInstances", "rebootServerInstances"):
            self.err(c, action, no_list([SEED]), 25014, CMSG["25014"])

    def test_terminate_deletes_the_attached_additional_disks(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        att = create_disk(self, c, server=KR2_STOP, name="goes")["blockStorageInstanceNo"]
        kept = create_disk(self, c, server=KR2_STOP, name="stays")["blockStorageInstanceNo"]
        for no in (att, kept):
            self.wait_res(c, DISK, no, ("ATTAC", "NULL"))
        self.call_fmt(c, "detachBlockStorageInstances",
                      nlist("blockStorageInstanceNoList", [kept]), "json")
        self.wait_res(c, DISK, kept, ("CREAT", "NULL"))
        self.wait_state(c, KR2_STOP, "NSTOP", "NULL")
        self.call_fmt(c, "terminateServerInstances", no_list([KR2_STOP]), "json")
        wait_for(lambda: c.state(KR2_STOP) is None, timeout=10, message="terminated")
        nos = {i["blockStorageInstanceNo"] for i in self.items(c, DISK)}
        self.assertNotIn(att, nos)
        self.assertNotIn("1021106", nos)   # its boot disk
        self.assertIn(kept, nos)
        self.err(c, "deleteBlockStorageInstances", nlist("blockStorageInstanceNoList", [att]),
                 24121, CMSG["24121"])

    def test_fault_switch_fails_disk_calls_and_changes_nothing(self):
        d = self.new_daemon(sim_step_ms=0, admin_token="tok-storage")
        c = d.client()
        before = self.everything(c)
        self.assertEqual(d.fault("createBlockStorageInstance", SEED, 1).status, 200)
        self.err(c, "createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                   ("blockStorageSize", "10")], 1300,
                 CMSG["1300"], http_status=500)
        wait_for(lambda: c.state(SEED)[1] == "NULL", timeout=5, message="the server idle")
        self.assertEqual(self.everything(c), before)
        no = create_disk(self, c, server=SEED)["blockStorageInstanceNo"]
        self.wait_res(c, DISK, no, ("ATTAC", "NULL"))
        self.assertEqual(d.fault("detachBlockStorageInstances", no, 1).status, 200)
        self.err(c, "detachBlockStorageInstances", nlist("blockStorageInstanceNoList", [no]),
                 1300, CMSG["1300"], http_status=500)
        got = self.item(c, DISK, no)
        self.assertEqual((got["blockStorageInstanceStatus"]["code"],
                          got["blockStorageInstanceOperation"]["code"], got["deviceName"]),
                         ("ATTAC", "NULL", "/dev/xvdb"))
        wait_for(lambda: c.state(SEED)[1] == "NULL", timeout=5, message="the server idle")


if __name__ == "__main__":
    unittest.main()

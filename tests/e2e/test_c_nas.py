"""NAS volumes (issue 11; network-storage.md §5, interactions.md N1-N5, docs/compat.md "NAS").

1. Walks in XML and JSON: create (INIT/CREAT "creating" -> CREAT/NULL "created", what the
   classic Terraform provider waits for), resize (CHNG), return protection, delete (TERMT,
   then gone), every intermediate state; the field order of the model.
2. Access control lists in both request shapes (Go SDK v2 accessControlRuleList.N.*, the
   Python / old Go SDK serverInstanceNoList.N + customIpList.N); N3: a terminated server
   leaves every list.
3. Snapshots, the snapshot configuration and its history, the rating list.
4. Every error of every action with its exact message; a failing request changes nothing.
"""

import re
import unittest

from c_util import (CMSG, FORMATS, NAS, NAS_CREATE, NAS_DELETE, NAS_FIELDS, NAS_RESIZE,
                    UNKNOWN, ResourceCase, msg_900, msg_910, msg_dup, nlist, no_list, wait_for)

SEED = "1021003"        # RUN, KR-2
KR2_STOP = "1021006"    # NSTOP, KR-2
GB = 1073741824


def create_params(name, size="500", protocol="NFS", extra=()):
    return [("volumeName", name), ("volumeSize", size),
            ("volumeAllotmentProtocolTypeCode", protocol)] + list(extra)


def rules(entries):
    """[(server, ip, write)] -> accessControlRuleList.N.* pairs"""
    out = []
    for i, (server, ip, write) in enumerate(entries):
        k = "accessControlRuleList.%d." % (i + 1)
        if server:
            out.append((k + "serverInstanceNo", server))
        if ip:
            out.append((k + "customIp", ip))
        if write is not None:
            out.append((k + "writeAccess", write))
    return out


class NasCase(ResourceCase):

    def create_nas(self, c, name, extra=(), fmt="json", protocol="NFS", size="500"):
        inner = self.call_fmt(c, "createNasVolumeInstance",
                              create_params(name, size, protocol, extra), fmt)
        (v,) = inner["nasVolumeInstanceList"]
        return v

    def acl(self, c, no):
        inner = self.call_fmt(c, "getNasVolumeAccessControlRuleList",
                              [("nasVolumeInstanceNo", no)], "json")
        return [(r["serverInstanceNo"], r["customIp"], r["writeAccess"])
                for r in inner["nasVolumeAccessControlRuleList"]]

    def servers_of(self, c, no):
        v = self.item(c, NAS, no)
        return ([s["serverInstanceNo"] for s in v["nasVolumeServerInstanceList"]],
                [x["customIp"] for x in v["nasVolumeInstanceCustomIpList"]])


class NasWalkTest(NasCase):

    def walk(self, fmt):
        d = self.new_daemon(sim_step_ms=300)
        c = d.client()
        r = c.call("createNasVolumeInstance",
                   create_params("walk" + fmt, extra=[("nasVolumeDescription", "shared data")] +
                                 rules([(SEED, None, None), (None, "10.0.0.5", "false")])),
                   method="POST", fmt=fmt)
        inner = self.ok(r, fmt, "createNasVolumeInstance")
        self.assertEqual(inner["totalRows"], "1")
        (v,) = inner["nasVolumeInstanceList"]
        if fmt == "xml":
            self.assertEqual(self.xml_order(r, "nasVolumeInstanceList/nasVolumeInstance"),
                             NAS_FIELDS)
            self.assertEqual(self.xml_order(r, "nasVolumeInstanceList/nasVolumeInstance/"
                                               "nasVolumeServerInstanceList"), ["serverInstance"])
            self.assertEqual(self.xml_order(r, "nasVolumeInstanceList/nasVolumeInstance/"
                                               "nasVolumeInstanceCustomIpList"),
                             ["nasVolumeInstanceCustomIp"])
        else:
            item = r.json()["createNasVolumeInstanceResponse"]["nasVolumeInstanceList"][0]
            self.assertEqual(list(item), NAS_FIELDS)
            self.assertIs(type(item["volumeSize"]), int)
            self.assertIs(type(item["volumeUseRatio"]), float)
            self.assertIs(type(item["isReturnProtection"]), bool)
        no = v["nasVolumeInstanceNo"]
        name = "n000001_walk" + fmt
        self.assertEqual(v["nasVolumeInstanceStatus"], {"code": "INIT", "codeName": "NAS init"})
        self.assertEqual(v["nasVolumeInstanceOperation"], {"code": "CREAT",
                                                           "codeName": "NAS CREATE OP"})
        self.assertEqual(v["nasVolumeInstanceStatusName"], "creating")
        self.assertEqual((v["volumeName"], v["mountInformation"], v["volumeSize"],
                          v["volumeTotalSize"], v["volumeUseSize"], v["volumeUseRatio"],
                          v["snapshotVolumeConfigurationRatio"], v["snapshotVolumeSize"],
                          v["isSnapshotConfiguration"], v["isEventConfiguration"],
                          v["isReturnProtection"], v["nasVolumeInstanceDescription"]),
                         (name, "10.250.53.74:/" + name, str(500 * GB), str(500 * GB), "0",
                          "0.0", "0.0", "0", "false", "false", "false", "shared data"))
        self.assertEqual(v["volumeAllotmentProtocolType"], {"code": "NFS", "codeName": "NFS"})
        self.assertEqual((v["zone"]["zoneNo"], v["region"]["regionCode"]), ("3", "KR"))
        self.assertEqual([x["customIp"] for x in v["nasVolumeInstanceCustomIpList"]],
                         ["10.0.0.5"])
        self.assertEqual([s["serverInstanceNo"] for s in v["nasVolumeServerInstanceList"]],
                         [SEED])
        seen = self.observe_res(c, NAS, [no], ("CREAT", "NULL"), NAS_CREATE)
        self.assert_path(seen[no], NAS_CREATE)
        # Terraform: pending INIT, target CREAT
        self.assertEqual(self.item(c, NAS, no)["nasVolumeInstanceStatus"]["codeName"],
                         "NAS create")
        self.assertEqual(self.acl(c, no), [(SEED, "", "true"), ("", "10.0.0.5", "false")])

        # resize: CREAT/CHNG "changing" -> CREAT/NULL
        inner = self.call_fmt(c, "changeNasVolumeSize", [("nasVolumeInstanceNo", no),
                                                         ("volumeSize", "800")], fmt)
        (x,) = inner["nasVolumeInstanceList"]
        self.assertEqual(x["nasVolumeInstanceOperation"], {"code": "CHNG",
                                                           "codeName": "NAS CHANGE OP"})
        self.assertEqual((x["nasVolumeInstanceStatusName"], x["volumeSize"]),
                         ("changing", str(500 * GB)))
        seen = self.observe_res(c, NAS, [no], ("CREAT", "NULL"), NAS_RESIZE)
        self.assert_path(seen[no], NAS_RESIZE)
        self.assertEqual(self.item(c, NAS, no)["volumeSize"], str(800 * GB))
        self.call_fmt(c, "changeNasVolumeSize", [("nasVolumeInstanceNo", no),
                                                 ("volumeSize", "600")], fmt)   # smaller too
        self.wait_res(c, NAS, no, ("CREAT", "NULL"))
        self.assertEqual(self.item(c, NAS, no)["volumeTotalSize"], str(600 * GB))

        # return protection: the delete is refused (N4)
        inner = self.call_fmt(c, "setNasVolumeReturnProtection",
                              [("nasVolumeInstanceNo", no), ("isReturnProtection", "true")], fmt)
        self.assertEqual(inner["nasVolumeInstanceList"][0]["isReturnProtection"], "true")
        self.err(c, "deleteNasVolumeInstance", [("nasVolumeInstanceNo", no)], 27002,
                 CMSG["27002"], fmt=fmt)
        self.call_fmt(c, "setNasVolumeReturnProtection",
                      [("nasVolumeInstanceNo", no), ("isReturnProtection", "false")], fmt)

        # delete: CREAT/TERMT "terminating", then gone (Terraform: TERMT or absent)
        inner = self.call_fmt(c, "deleteNasVolumeInstance", [("nasVolumeInstanceNo", no)], fmt)
        (x,) = inner["nasVolumeInstanceList"]
        self.assertEqual((x["nasVolumeInstanceStatus"]["code"],
                          x["nasVolumeInstanceOperation"]["code"],
                          x["nasVolumeInstanceStatusName"]), ("CREAT", "TERMT", "terminating"))
        self.assertEqual(x["nasVolumeInstanceOperation"]["codeName"], "NAS TERMINATE OP")
        seen = self.observe_res(c, NAS, [no], allowed=NAS_DELETE, gone=True)
        self.assertEqual(seen[no], NAS_DELETE)
        self.err(c, "deleteNasVolumeInstance", [("nasVolumeInstanceNo", no)], 24109,
                 CMSG["24109."], fmt=fmt)
        # the name is free again
        self.create_nas(c, "walk" + fmt)

    def test_walk_xml(self):
        self.walk("xml")

    def test_walk_json(self):
        self.walk("json")

    def test_cifs_and_the_older_acl_shape(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        v = self.create_nas(c, "share", protocol="CIFS", size="1000",
                            extra=[("cifsUserName", "winuser1"), ("cifsUserPassword", "pass1234!"),
                                   ("zoneNo", "2"), ("isReturnProtection", "true")] +
                            nlist("serverInstanceNoList", ["1021004"]) +
                            nlist("customIpList", ["192.168.1.10", "172.16.0.1"]))
        no = v["nasVolumeInstanceNo"]
        self.assertEqual(v["mountInformation"], "\\\\10.250.52.74\\n000001_share")
        self.assertEqual((v["volumeAllotmentProtocolType"]["code"], v["zone"]["zoneNo"],
                          v["isReturnProtection"], v["volumeSize"]),
                         ("CIFS", "2", "true", str(1000 * GB)))
        self.wait_res(c, NAS, no, ("CREAT", "NULL"))
        self.assertEqual(self.acl(c, no), [("1021004", "", "true"), ("", "192.168.1.10", "true"),
                                           ("", "172.16.0.1", "true")])
        # the password is a secret: never in an answer
        got = self.call_fmt(c, "getNasVolumeInstanceList", [], "json")
        self.assertNotIn("pass1234!", repr(got))
        # list filters
        plain = self.create_nas(c, "plain")["nasVolumeInstanceNo"]
        self.wait_res(c, NAS, plain, ("CREAT", "NULL"))

        def nos(params):
            return [x["nasVolumeInstanceNo"] for x in self.items(c, NAS, params=params)]
        self.assertEqual(nos([]), [no, plain])
        self.assertEqual(nos([("volumeAllotmentProtocolTypeCode", "CIFS")]), [no])
        self.assertEqual(nos([("zoneNo", "3")]), [plain])
        self.assertEqual(nos(nlist("nasVolumeInstanceNoList", [plain, UNKNOWN])), [plain])
        self.assertEqual(nos([("isSnapshotConfiguration", "true")]), [])
        self.assertEqual(nos([("isEventConfiguration", "false")]), [no, plain])
        self.assertEqual(nos([("regionNo", "8")]), [])
        for fmt in FORMATS:
            inner = self.call_fmt(c, "getNasVolumeInstanceList", [], fmt)
            self.assertEqual(inner["totalRows"], "2")

    def test_access_control_set_add_remove_and_terminate(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        no = self.create_nas(c, "acl")["nasVolumeInstanceNo"]
        self.wait_res(c, NAS, no, ("CREAT", "NULL"))
        self.assertEqual(self.acl(c, no), [])
        for fmt in FORMATS:
            # set: replaces the whole list (Terraform's only call)
            inner = self.call_fmt(c, "setNasVolumeAccessControl",
                                  [("nasVolumeInstanceNo", no)] +
                                  rules([(KR2_STOP, None, "true"), (None, "10.1.2.3", "false")]),
                                  fmt)
            self.assertEqual([s["serverInstanceNo"] for s in inner["nasVolumeInstanceList"][0][
                "nasVolumeServerInstanceList"]], [KR2_STOP])
            self.assertEqual(self.acl(c, no), [(KR2_STOP, "", "true"), ("", "10.1.2.3", "false")])
            # add: appends, in both shapes
            self.call_fmt(c, "addNasVolumeAccessControl",
                          [("nasVolumeInstanceNo", no)] + rules([(SEED, None, "false")]) +
                          nlist("customIpList", ["10.9.9.9"]), fmt)
            self.assertEqual(self.servers_of(c, no), ([KR2_STOP, SEED], ["10.1.2.3", "10.9.9.9"]))
            # remove
            self.call_fmt(c, "removeNasVolumeAccessControl",
                          [("nasVolumeInstanceNo", no)] + nlist("serverInstanceNoList", [KR2_STOP]) +
                          nlist("customIpList", ["10.1.2.3"]), fmt)
            self.assertEqual(self.acl(c, no), [(SEED, "", "false"), ("", "10.9.9.9", "true")])
            # remove in the shape of add and set too
            self.call_fmt(c, "removeNasVolumeAccessControl",
                          [("nasVolumeInstanceNo", no)] + rules([(None, "10.9.9.9", None)]), fmt)
            self.assertEqual(self.acl(c, no), [(SEED, "", "false")])
            # set with nothing: nobody
            self.call_fmt(c, "setNasVolumeAccessControl", [("nasVolumeInstanceNo", no)], fmt)
            self.assertEqual(self.acl(c, no), [])
        r = c.call("getNasVolumeAccessControlRuleList", [("nasVolumeInstanceNo", no)], fmt="xml")
        self.assertEqual(r.status, 200, r)
        # N3: a terminated server leaves every list
        self.call_fmt(c, "setNasVolumeAccessControl",
                      [("nasVolumeInstanceNo", no)] + rules([(KR2_STOP, None, None),
                                                              (SEED, None, None)]), "json")
        self.call_fmt(c, "terminateServerInstances", no_list([KR2_STOP]), "json")
        wait_for(lambda: c.state(KR2_STOP) is None, timeout=10, message="terminated")
        self.assertEqual(self.acl(c, no), [(SEED, "", "true")])
        self.assertEqual(self.servers_of(c, no), ([SEED], []))
        # the list's servers follow their state
        self.call_fmt(c, "stopServerInstances", no_list([SEED]), "json")
        self.wait_state(c, SEED, "NSTOP", "NULL")
        v = self.item(c, NAS, no)
        self.assertEqual(v["nasVolumeServerInstanceList"][0]["serverInstanceStatus"]["code"],
                         "NSTOP")


class NasSnapshotTest(NasCase):

    def test_snapshots_configuration_history_rating(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        no = self.create_nas(c, "snaps")["nasVolumeInstanceNo"]
        self.wait_res(c, NAS, no, ("CREAT", "NULL"))
        # the snapshot area
        for fmt in FORMATS:
            inner = self.call_fmt(c, "changeNasVolumeSnapshotConfiguration",
                                  [("nasVolumeInstanceNo", no),
                                   ("snapshotVolumeConfigurationRatio", "20"),
                                   ("snapshotVolumeConfigDayOfWeekTypeCode", "MON"),
                                   ("snapshotVolumeConfigTime", "3")], fmt)
            (v,) = inner["nasVolumeInstanceList"]
            self.assertEqual((v["snapshotVolumeConfigurationRatio"], v["snapshotVolumeSize"],
                              v["volumeTotalSize"], v["isSnapshotConfiguration"],
                              v["snapshotVolumeConfigTime"]),
                             ("20.0", str(100 * GB), str(600 * GB), "true", "3"))
            self.assertEqual(v["snapshotVolumeConfigPeriodType"], {"code": "WEEK",
                                                                   "codeName": "Weekly"})
            self.assertEqual(v["snapshotVolumeConfigDayOfWeekType"], {"code": "MON",
                                                                      "codeName": "Monday"})
        inner = self.call_fmt(c, "changeNasVolumeSnapshotConfiguration",
                              [("nasVolumeInstanceNo", no),
                               ("snapshotVolumeConfigurationRatio", "10")], "json")
        v = inner["nasVolumeInstanceList"][0]
        self.assertEqual((v["snapshotVolumeConfigPeriodType"]["code"],
                          v["snapshotVolumeConfigDayOfWeekType"]["code"]), ("DAY", ""))
        self.assertEqual([x["nasVolumeInstanceNo"] for x in
                          self.items(c, NAS, params=[("isSnapshotConfiguration", "true")])], [no])
        for fmt in FORMATS:
            inner = self.call_fmt(c, "getNasVolumeSnapshotConfigurationHistoryList",
                                  [("nasVolumeInstanceNo", no)], fmt)
            hist = inner["nasVolumeSnapshotConfigurationHistoryList"]
            self.assertEqual(inner["totalRows"], "3")
            self.assertEqual(list(hist[0]), ["nasVolumeInstanceNo", "historySequenceNo",
                                             "historyType", "ip", "registerDate",
                                             "snapshotVolumeConfigurationRatio",
                                             "snapshotVolumeConfigPeriodType",
                                             "snapshotVolumeConfigDayOfWeekType",
                                             "snapshotVolumeConfigTime"])
            self.assertEqual([h["historySequenceNo"] for h in hist], ["1", "2", "3"])
            self.assertEqual((hist[0]["nasVolumeInstanceNo"], hist[0]["historyType"]["code"],
                              hist[0]["snapshotVolumeConfigurationRatio"],
                              hist[0]["snapshotVolumeConfigDayOfWeekType"]["codeName"],
                              hist[2]["snapshotVolumeConfigPeriodType"]["code"]),
                             (no, "CHNG", "20.0", "Monday", "DAY"))
        # snapshots
        names = []
        for fmt in FORMATS:
            inner = self.call_fmt(c, "createNasVolumeSnapshot", [("nasVolumeInstanceNo", no)], fmt)
            (s,) = inner["nasVolumeSnapshotList"]
            self.assertEqual(list(s), ["nasVolumeSnapshotName", "createDate", "snapshotSize",
                                       "isBusy"])
            self.assertRegex(s["nasVolumeSnapshotName"], r"^snap[0-9]{14}(_[0-9]+)?$")
            self.assertEqual((s["snapshotSize"], s["isBusy"]), ("0", "false"))
            names.append(s["nasVolumeSnapshotName"])
        self.assertEqual(len(set(names)), 2)
        inner = self.call_fmt(c, "getNasVolumeSnapshotList", [("nasVolumeInstanceNo", no)], "xml")
        self.assertEqual(sorted(s["nasVolumeSnapshotName"] for s in inner["nasVolumeSnapshotList"]),
                         sorted(names))
        inner = self.call_fmt(c, "restoreNasVolumeWithSnapshot",
                              [("nasVolumeInstanceNo", no), ("nasVolumeSnapshotName", names[0])],
                              "json")
        self.assertEqual(inner["nasVolumeSnapshotList"][0]["nasVolumeSnapshotName"], names[0])
        self.call_fmt(c, "deleteNasVolumeSnapshot", [("nasVolumeInstanceNo", no),
                                                     ("nasVolumeSnapshotName", names[0])], "json")
        inner = self.call_fmt(c, "getNasVolumeSnapshotList", [("nasVolumeInstanceNo", no)], "json")
        self.assertEqual([s["nasVolumeSnapshotName"] for s in inner["nasVolumeSnapshotList"]],
                         names[1:])
        for action in ("deleteNasVolumeSnapshot", "restoreNasVolumeWithSnapshot"):
            self.err(c, action, [("nasVolumeInstanceNo", no), ("nasVolumeSnapshotName", names[0])],
                     910, msg_910("nasVolumeSnapshotName"))
        # rating
        for fmt in FORMATS:
            inner = self.call_fmt(c, "getNasVolumeInstanceRatingList",
                                  [("nasVolumeInstanceNo", no), ("startTime", "202401010000"),
                                   ("endTime", "202401011000"), ("interval", "2h")], fmt)
            rows = inner["nasVolumeInstanceRatingList"]
            self.assertEqual(inner["totalRows"], "6")
            self.assertEqual([x["ratingTime"] for x in rows],
                             ["202401010000", "202401010200", "202401010400", "202401010600",
                              "202401010800", "202401011000"])
            self.assertEqual(list(rows[0])[:4], ["ratingTime", "volumeSize", "volumeUseSize",
                                                 "volumeUseRatio"])
            self.assertEqual(len(rows[0]), 21)
            self.assertEqual((rows[0]["volumeSize"], rows[0]["snapshotVolumeSize"]),
                             (str(500 * GB), str(50 * GB)))
        bad = [(("startTime", "2024010100"), "startTime"), (("startTime", "202413010000"),
                                                             "startTime"),
               (("endTime", "202312310000"), "endTime"), (("interval", "1h"), "interval")]
        for (k, val), loc in bad:
            params = dict([("nasVolumeInstanceNo", no), ("startTime", "202401010000"),
                           ("endTime", "202401020000"), ("interval", "1d")])
            params[k] = val
            r = c.call("getNasVolumeInstanceRatingList", list(params.items()), fmt="json")
            self.assertEqual(self.error_of(r, "json"), (400, "910", msg_910(loc)), (k, val))
        self.err(c, "getNasVolumeInstanceRatingList",
                 [("nasVolumeInstanceNo", no), ("startTime", "202401010000"),
                  ("endTime", "202401050000"), ("interval", "5m")], 910, msg_910("interval"))


class NasErrorsTest(NasCase):

    def fail_both(self, c, action, params, code, message):
        for fmt in FORMATS:
            self.err(c, action, params, code, message, fmt=fmt)

    def test_errors(self):
        d = self.new_daemon(sim_step_ms=30000)
        c = d.client()
        d.restart(kill=False, sim_step_ms=0)
        ready = self.create_nas(c, "ready")["nasVolumeInstanceNo"]
        self.wait_res(c, NAS, ready, ("CREAT", "NULL"))
        d.restart(kill=False, sim_step_ms=30000)
        before = self.everything(c)
        f = lambda *a: self.fail_both(c, *a)  # noqa: E731
        # create
        for missing in ("volumeName", "volumeSize", "volumeAllotmentProtocolTypeCode"):
            params = [p for p in create_params("abc") if p[0] != missing]
            f("createNasVolumeInstance", params, 900, msg_900(missing))
        for name in ("ab", "a" * 21, "has-dash", "한글이름"):
            f("createNasVolumeInstance", create_params(name), 910, msg_910("volumeName"))
        for size in ("400", "550", "10100", "big"):
            f("createNasVolumeInstance", create_params("abc", size), 910, msg_910("volumeSize"))
        f("createNasVolumeInstance", create_params("abc", protocol="SMB"), 910,
          msg_910("volumeAllotmentProtocolTypeCode"))
        f("createNasVolumeInstance", create_params("abc", protocol="CIFS"), 900,
          msg_900("cifsUserName"))
        f("createNasVolumeInstance", create_params("abc", protocol="CIFS",
                                                   extra=[("cifsUserName", "winuser1")]), 900,
          msg_900("cifsUserPassword"))
        f("createNasVolumeInstance", create_params("abc", protocol="CIFS",
                                                   extra=[("cifsUserName", "user"),
                                                          ("cifsUserPassword", "pass1234!")]),
          910, msg_910("cifsUserName"))
        for pw in ("short1!", "onlyletters", "x" * 15 + "1"):
            f("createNasVolumeInstance", create_params("abc", protocol="CIFS",
                                                       extra=[("cifsUserName", "winuser1"),
                                                              ("cifsUserPassword", pw)]),
              910, msg_910("cifsUserPassword"))
        f("createNasVolumeInstance", create_params("abc", extra=rules([(UNKNOWN, None, None)])),
          24138, CMSG["24138"])                                   # N1
        f("createNasVolumeInstance", create_params("abc", extra=nlist("serverInstanceNoList",
                                                                      [UNKNOWN])),
          24138, CMSG["24138"])
        f("createNasVolumeInstance", create_params("abc", extra=rules([(SEED, "10.0.0.1", None)])),
          910, msg_910("accessControlRuleList.1"))                # both in one entry
        f("createNasVolumeInstance", create_params("abc", extra=rules([(None, None, "true")])),
          910, msg_910("accessControlRuleList.1"))                # neither
        f("createNasVolumeInstance", create_params("abc", extra=rules([(SEED, None, "maybe")])),
          910, msg_910("accessControlRuleList.1"))
        for ip in ("8.8.8.8", "10.0.0", "10.0.0.256", "010.0.0.1"):
            f("createNasVolumeInstance", create_params("abc", extra=rules([(None, ip, None)])),
              910, msg_910("accessControlRuleList.1"))
        f("createNasVolumeInstance", create_params("abc", extra=nlist("customIpList",
                                                                      ["1.2.3.4"])),
          910, msg_910("customIpList"))
        f("createNasVolumeInstance", create_params("abc", extra=rules([(SEED, None, None),
                                                                       (SEED, None, "false")])),
          910, msg_dup("accessControlRuleList.2", SEED))
        f("createNasVolumeInstance", create_params("abc", extra=nlist("customIpList",
                                                                      ["10.0.0.1", "10.0.0.1"])),
          910, msg_dup("customIpList", "10.0.0.1"))
        f("createNasVolumeInstance", create_params("ready"), 10300, CMSG["10300"])
        f("createNasVolumeInstance", create_params("abc", extra=[("zoneNo", "9")]), 910,
          msg_910("zoneNo"))
        f("createNasVolumeInstance", create_params("abc", extra=[("nasVolumeDescription",
                                                                  "d" * 1001)]), 910,
          msg_910("nasVolumeDescription"))
        # the others: unknown / malformed / another kind's number
        for action, extra in (("deleteNasVolumeInstance", []),
                              ("changeNasVolumeSize", [("volumeSize", "600")]),
                              ("setNasVolumeReturnProtection", [("isReturnProtection", "true")]),
                              ("setNasVolumeAccessControl", []),
                              ("addNasVolumeAccessControl", []),
                              ("removeNasVolumeAccessControl", []),
                              ("getNasVolumeAccessControlRuleList", []),
                              ("createNasVolumeSnapshot", []),
                              ("getNasVolumeSnapshotList", []),
                              ("deleteNasVolumeSnapshot", [("nasVolumeSnapshotName", "s")]),
                              ("restoreNasVolumeWithSnapshot", [("nasVolumeSnapshotName", "s")]),
                              ("changeNasVolumeSnapshotConfiguration",
                               [("snapshotVolumeConfigurationRatio", "10")]),
                              ("getNasVolumeSnapshotConfigurationHistoryList", []),
                              ("getNasVolumeInstanceRatingList",
                               [("startTime", "202401010000"), ("endTime", "202401010000"),
                                ("interval", "5m")])):
            f(action, extra, 900, msg_900("nasVolumeInstanceNo"))
            f(action, [("nasVolumeInstanceNo", UNKNOWN)] + extra, 24109, CMSG["24109."])
            f(action, [("nasVolumeInstanceNo", SEED)] + extra, 24109, CMSG["24109."])
            f(action, [("nasVolumeInstanceNo", "no")] + extra, 910,
              msg_910("nasVolumeInstanceNo"))
        f("changeNasVolumeSize", [("nasVolumeInstanceNo", ready), ("volumeSize", "500")], 910,
          msg_910("volumeSize"))                                  # the same size
        f("changeNasVolumeSize", [("nasVolumeInstanceNo", ready), ("volumeSize", "650")], 910,
          msg_910("volumeSize"))
        f("changeNasVolumeSize", [("nasVolumeInstanceNo", ready)], 900, msg_900("volumeSize"))
        for action in ("setNasVolumeAccessControl", "addNasVolumeAccessControl",
                       "removeNasVolumeAccessControl"):
            f(action, [("nasVolumeInstanceNo", ready)] + nlist("serverInstanceNoList", [UNKNOWN]),
              24109, CMSG["24109."])                              # N1
        f("addNasVolumeAccessControl", [("nasVolumeInstanceNo", ready)] +
          rules([(SEED, None, None), (None, "10.0.0.300", None)]), 910,
          msg_910("accessControlRuleList.2"))
        f("changeNasVolumeSnapshotConfiguration", [("nasVolumeInstanceNo", ready),
                                                   ("snapshotVolumeConfigurationRatio", "101")],
          910, msg_910("snapshotVolumeConfigurationRatio"))
        f("changeNasVolumeSnapshotConfiguration", [("nasVolumeInstanceNo", ready),
                                                   ("snapshotVolumeConfigurationRatio", "10"),
                                                   ("snapshotVolumeConfigDayOfWeekTypeCode",
                                                    "MONDAY")],
          910, msg_910("snapshotVolumeConfigDayOfWeekTypeCode"))
        f("changeNasVolumeSnapshotConfiguration", [("nasVolumeInstanceNo", ready),
                                                   ("snapshotVolumeConfigurationRatio", "10"),
                                                   ("snapshotVolumeConfigTime", "24")],
          910, msg_910("snapshotVolumeConfigTime"))
        f("setNasVolumeReturnProtection", [("nasVolumeInstanceNo", ready)], 900,
          msg_900("isReturnProtection"))
        self.assertEqual(self.everything(c), before, "a failing request changed state")

        # in transitions (steps of 30 s: nothing moves on)
        new = self.create_nas(c, "fresh")["nasVolumeInstanceNo"]
        for action, extra in (("deleteNasVolumeInstance", []),
                              ("changeNasVolumeSize", [("volumeSize", "600")]),
                              ("createNasVolumeSnapshot", []),
                              ("setNasVolumeAccessControl", []),
                              ("changeNasVolumeSnapshotConfiguration",
                               [("snapshotVolumeConfigurationRatio", "10")])):
            f(action, [("nasVolumeInstanceNo", new)] + extra, 25013, CMSG["25013"])
        self.call_fmt(c, "changeNasVolumeSize", [("nasVolumeInstanceNo", ready),
                                                 ("volumeSize", "700")], "json")
        for action, extra in (("deleteNasVolumeInstance", []),
                              ("changeNasVolumeSize", [("volumeSize", "600")]),
                              ("createNasVolumeSnapshot", [])):
            f(action, [("nasVolumeInstanceNo", ready)] + extra, 25013, CMSG["25013"])
        # the access list may change during a resize
        self.call_fmt(c, "addNasVolumeAccessControl", [("nasVolumeInstanceNo", ready)] +
                      nlist("customIpList", ["10.0.0.7"]), "json")

    def test_names_are_per_account(self):
        d = self.new_daemon(sim_step_ms=0)
        ak, sk = d.create_account("nas-b")
        b = d.client(ak, sk)
        a = d.client()
        va = self.create_nas(a, "same")
        vb = self.create_nas(b, "same")
        self.assertEqual(va["volumeName"], "n000001_same")
        self.assertTrue(re.match(r"^n0000(0[2-9]|[1-9][0-9])_same$", vb["volumeName"]),
                        vb["volumeName"])
        # (settled first: a volume still being created answers 25013 before anything else)
        self.wait_res(a, NAS, va["nasVolumeInstanceNo"], ("CREAT", "NULL"))
        self.wait_res(b, NAS, vb["nasVolumeInstanceNo"], ("CREAT", "NULL"))
        # B's servers are not A's: an ACL naming A's server is refused
        self.err(b, "createNasVolumeInstance", create_params("other",
                                                             extra=rules([(SEED, None, None)])),
                 24138, CMSG["24138"])
        self.err(b, "setNasVolumeAccessControl", [("nasVolumeInstanceNo", vb["nasVolumeInstanceNo"])]
                 + rules([(SEED, None, None)]), 24109, CMSG["24109."])
        self.err(b, "deleteNasVolumeInstance", [("nasVolumeInstanceNo", va["nasVolumeInstanceNo"])],
                 24109, CMSG["24109."])
        self.assertEqual([v["nasVolumeInstanceNo"] for v in self.items(b, NAS)],
                         [vb["nasVolumeInstanceNo"]])


if __name__ == "__main__":
    unittest.main()

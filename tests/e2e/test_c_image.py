"""Member server images and instance tags (issue 11; images-tags.md, interactions.md M1-M5,
T1-T2, docs/compat.md "Member server images", "Tags").

1. Walks in XML and JSON: capture (the image INIT/CREAT "creating" -> CREAT/NULL "created",
   the server RUN/COPY "copying" meanwhile), servers created from the image, delete (TERMT,
   then gone).
2. Sharing between accounts of this ncpd: login IDs are account names; a shared image is
   listed (read-only) for the account it is shared with, which may create servers from it
   and nothing more; removing the share takes it away again.
3. Tags: create / list / delete, the servers' instanceTagList, getServerInstanceList's tag
   filters for real, a terminated server's tags gone.
4. Every error of every action with its exact message; a failing request changes nothing.
"""

import unittest

from c_util import (CMSG, DISK, FORMATS, IMAGE, IMAGE_CREATE, IMAGE_DELETE, IMAGE_FIELDS,
                    LINUX_IMAGE, TAG_FIELDS, UNKNOWN, ResourceCase, msg_900, msg_910, msg_dup,
                    nlist, no_list, wait_for)

SEED = "1021003"        # RUN, KR-2, tensorflow-centos-7.3-64, 50 GiB SSD boot disk
KR1_RUN = "1021004"
KR1_STOP = "1021005"
KR2_STOP = "1021006"
SEED_PRODUCT = "SPSVRSSD00000003"


def tag_params(servers, tags, list_name="instanceTagList"):
    pairs = nlist("instanceNoList", servers)
    for i, (k, v) in enumerate(tags):
        if k is not None:
            pairs.append(("%s.%d.tagKey" % (list_name, i + 1), k))
        if v is not None:
            pairs.append(("%s.%d.tagValue" % (list_name, i + 1), v))
    return pairs


class ImageCase(ResourceCase):

    def capture(self, c, server, name=None, fmt="json", extra=()):
        params = [("serverInstanceNo", server)] + list(extra)
        if name:
            params.append(("memberServerImageName", name))
        inner = self.call_fmt(c, "createMemberServerImage", params, fmt)
        (m,) = inner["memberServerImageList"]
        return m

    def images(self, c, params=()):
        return [m["memberServerImageNo"] for m in self.items(c, IMAGE, params=list(params))]


class ImageWalkTest(ImageCase):

    def walk(self, fmt):
        d = self.new_daemon(sim_step_ms=300)
        c = d.client()
        r = c.call("createMemberServerImage", [("serverInstanceNo", SEED),
                                               ("memberServerImageName", "walk-" + fmt),
                                               ("memberServerImageDescription", "golden")],
                   method="POST", fmt=fmt)
        inner = self.ok(r, fmt, "createMemberServerImage")
        self.assertEqual(inner["totalRows"], "1")
        (m,) = inner["memberServerImageList"]
        if fmt == "xml":
            self.assertEqual(self.xml_order(r, "memberServerImageList/memberServerImage"),
                             IMAGE_FIELDS)
        else:
            self.assertEqual(list(r.json()["createMemberServerImageResponse"][
                "memberServerImageList"][0]), IMAGE_FIELDS)
        no = m["memberServerImageNo"]
        self.assertEqual((m["memberServerImageName"], m["memberServerImageDescription"],
                          m["originalServerInstanceNo"], m["originalServerProductCode"],
                          m["originalServerName"], m["originalServerImageProductCode"],
                          m["originalOsInformation"], m["originalServerImageName"]),
                         ("walk-" + fmt, "golden", SEED, SEED_PRODUCT, "s1669aa4e78c",
                          "SPSW0LINUX000066", "CentOS 7.3 (64-bit)",   # the catalogue's
                          "tensorflow-centos-7.3-64"))
        self.assertEqual(m["memberServerImageStatus"], {"code": "INIT",
                                                        "codeName": "NSI INIT state"})
        self.assertEqual(m["memberServerImageOperation"], {"code": "CREAT",
                                                           "codeName": "NSI CREAT OP"})
        self.assertEqual(m["memberServerImageStatusName"], "creating")
        self.assertEqual(m["originalBaseBlockStorageDiskType"]["code"], "NET")
        self.assertEqual(m["memberServerImagePlatformType"], {"code": "LNX64",
                                                              "codeName": "Linux 64 Bit"})
        self.assertEqual((m["memberServerImageBlockStorageTotalRows"],
                          m["memberServerImageBlockStorageTotalSize"]), ("0", "0"))
        self.assertEqual(m["shareStatus"], {"code": "NULL", "codeName": "NSI Share NULL State"})
        self.assertEqual(m["sharedLoginIdList"], [])
        self.assertEqual((m["zone"]["zoneNo"], m["region"]["regionCode"]), ("3", "KR"))
        # M2: the server is busy (COPY) while the image is captured
        self.assert_state(c, SEED, "RUN", "COPY", "copying")
        self.err(c, "stopServerInstances", no_list([SEED]), 25041, CMSG["25041"], fmt=fmt)
        self.err(c, "createMemberServerImage", [("serverInstanceNo", SEED)], 25018,
                 CMSG["25018"], fmt=fmt)
        server_ops = set()
        seen = self.observe_res(c, IMAGE, [no], ("CREAT", "NULL"), IMAGE_CREATE,
                                also=lambda cur: server_ops.add(c.state(SEED)[1]))
        self.assert_path(seen[no], IMAGE_CREATE)
        self.assertIn("COPY", server_ops)
        self.assert_state(c, SEED, "RUN", "NULL", "running")
        got = self.item(c, IMAGE, no)
        self.assertEqual(got["memberServerImageStatus"]["codeName"], "NSI CREATED state")
        self.assertEqual((got["memberServerImageBlockStorageTotalRows"],
                          got["memberServerImageBlockStorageTotalSize"]), ("1", "53687091200"))

        # a server from the image: the original image's code, the image's disk size
        d.restart(kill=False, sim_step_ms=0)
        (s,) = self.create(c, [("memberServerImageNo", no), ("serverName", "from-" + fmt),
                               ("serverProductCode", SEED_PRODUCT)], fmt=fmt)
        self.assertEqual((s["serverImageProductCode"], s["serverImageName"],
                          s["platformType"]["code"]),
                         ("SPSW0LINUX000066", "tensorflow-centos-7.3-64", "LNX64"))
        self.wait_state(c, s["serverInstanceNo"], "RUN", "NULL")
        self.assertEqual(int(self.call_fmt(c, "getServerInstanceList",
                                           no_list([s["serverInstanceNo"]]), "json")[
            "serverInstanceList"][0]["baseBlockStorageSize"]), 53687091200)
        # getServerProductList from the image
        inner = self.call_fmt(c, "getServerProductList", [("memberServerImageNo", no)], fmt)
        self.assertIn(SEED_PRODUCT, [p["productCode"] for p in inner["productList"]])
        d.restart(kill=False, sim_step_ms=300)

        # delete: CREAT/TERMT "terminating" then gone; servers made from it stay
        inner = self.call_fmt(c, "deleteMemberServerImages",
                              nlist("memberServerImageNoList", [no]), fmt)
        (x,) = inner["memberServerImageList"]
        self.assertEqual((x["memberServerImageStatus"]["code"],
                          x["memberServerImageOperation"]["code"],
                          x["memberServerImageStatusName"]), ("CREAT", "TERMT", "terminating"))
        self.assertEqual(x["memberServerImageOperation"]["codeName"], "NSI TERMINATE OP")
        seen = self.observe_res(c, IMAGE, [no], allowed=IMAGE_DELETE, gone=True)
        self.assertEqual(seen[no], IMAGE_DELETE)
        self.assertIsNotNone(c.state(s["serverInstanceNo"]))
        self.err(c, "deleteMemberServerImages", nlist("memberServerImageNoList", [no]), 24109,
                 CMSG["24109."], fmt=fmt)
        self.err(c, "createServerInstances", [("memberServerImageNo", no)], 10712,
                 CMSG["10712"], fmt=fmt)

    def test_walk_xml(self):
        self.walk("xml")

    def test_walk_json(self):
        self.walk("json")

    def test_capture_counts_the_attached_disks_and_a_stopped_server(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        for size in ("10", "20"):
            r = c.call("createBlockStorageInstance", [("serverInstanceNo", KR2_STOP),
                                                      ("blockStorageSize", size)],
                       method="POST", fmt="json")
            self.assertEqual(r.status, 200, r)
        wait_for(lambda: all(i["blockStorageInstanceStatus"]["code"] == "ATTAC"
                             for i in self.items(c, DISK, params=[("serverInstanceNo",
                                                                   KR2_STOP)])),
                 timeout=10, message="disks attached")
        self.wait_state(c, KR2_STOP, "NSTOP", "NULL")
        m = self.capture(c, KR2_STOP)                    # M1: a stopped server too
        self.assertRegex(m["memberServerImageName"], r"^img[0-9a-f]{11}$")
        self.wait_res(c, IMAGE, m["memberServerImageNo"], ("CREAT", "NULL"))
        got = self.item(c, IMAGE, m["memberServerImageNo"])
        self.assertEqual((got["memberServerImageBlockStorageTotalRows"],
                          got["memberServerImageBlockStorageTotalSize"]),
                         ("3", str(53687091200 + 30 * 1073741824)))
        self.assert_state(c, KR2_STOP, "NSTOP", "NULL")
        # M4: terminating the source server leaves its images
        self.call_fmt(c, "terminateServerInstances", no_list([KR2_STOP]), "json")
        wait_for(lambda: c.state(KR2_STOP) is None, timeout=10, message="terminated")
        self.assertEqual(self.images(c), [m["memberServerImageNo"]])

    def test_list_filters_and_sorting(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        a = self.capture(c, SEED, "bravo")["memberServerImageNo"]
        b = self.capture(c, KR1_RUN, "alpha")["memberServerImageNo"]
        for no in (a, b):
            self.wait_res(c, IMAGE, no, ("CREAT", "NULL"))
        self.assertEqual(self.images(c), [a, b])
        self.assertEqual(self.images(c, [("sortedBy", "memberServerImageName")]), [b, a])
        self.assertEqual(self.images(c, [("sortedBy", "MEMBERSERVERIMAGENO"),
                                         ("sortingOrder", "DESCENDING")]), [b, a])
        self.assertEqual(self.images(c, nlist("memberServerImageNoList", [b, UNKNOWN])), [b])
        self.assertEqual(self.images(c, nlist("platformTypeCodeList", ["WND64"])), [])
        self.assertEqual(self.images(c, nlist("platformTypeCodeList", ["LNX64", "WND64"])),
                         [a, b])
        self.assertEqual(self.images(c, [("regionNo", "1")]), [a, b])
        self.assertEqual(self.images(c, [("regionNo", "8")]), [])
        for fmt in FORMATS:
            inner = self.call_fmt(c, "getMemberServerImageList",
                                  [("pageNo", "2"), ("pageSize", "1")], fmt)
            self.assertEqual(inner["totalRows"], "2")
            self.assertEqual([m["memberServerImageNo"] for m in inner["memberServerImageList"]],
                             [b])


class ImageSharingTest(ImageCase):

    def test_sharing_between_accounts(self):
        d = self.new_daemon(sim_step_ms=0)
        ak, sk = d.create_account("img-b")
        d.create_account("img-c")
        a, b = d.client(), d.client(ak, sk)
        self.create_key(b, "b-key")
        no = self.capture(a, SEED, "golden")["memberServerImageNo"]
        self.wait_res(a, IMAGE, no, ("CREAT", "NULL"))
        self.assertEqual(self.images(b), [])
        self.err(b, "createServerInstances", [("memberServerImageNo", no)], 10712, CMSG["10712"])
        for fmt in FORMATS:
            inner = self.call_fmt(a, "addMemberServerImageSharingPermission",
                                  [("memberServerImageNo", no)] +
                                  nlist("targetLoginIdList", ["img-b", "img-c"]), fmt)
            (m,) = inner["memberServerImageList"]
            self.assertEqual(m["shareStatus"], {"code": "SHARE", "codeName": "NSI Share State"})
            self.assertEqual(m["sharedLoginIdList"], ["img-b", "img-c"])
        # B sees it read-only, with only its own login ID
        (m,) = self.items(b, IMAGE)
        self.assertEqual((m["memberServerImageNo"], m["memberServerImageName"],
                          m["sharedLoginIdList"]), (no, "golden", ["img-b"]))
        # ... and creates servers from it (M3)
        (s,) = self.create(b, [("memberServerImageNo", no), ("serverName", "b-from-shared"),
                               ("serverProductCode", SEED_PRODUCT)])
        self.assertEqual(s["serverImageProductCode"], "SPSW0LINUX000066")
        self.wait_state(b, s["serverInstanceNo"], "RUN", "NULL")
        # ... but may neither delete nor share it: as unknown
        self.err(b, "deleteMemberServerImages", nlist("memberServerImageNoList", [no]), 24109,
                 CMSG["24109."])
        for action in ("addMemberServerImageSharingPermission",
                       "removeMemberServerImageSharingPermission"):
            self.err(b, action, [("memberServerImageNo", no)] +
                     nlist("targetLoginIdList", ["img-b"]), 24109, CMSG["24109."])
        self.err(b, "setMemberServerImageSharingPermission", [("memberServerImageNo", no)],
                 24109, CMSG["24109."])
        # remove / set
        inner = self.call_fmt(a, "removeMemberServerImageSharingPermission",
                              [("memberServerImageNo", no)] + nlist("targetLoginIdList",
                                                                    ["img-b"]), "json")
        self.assertEqual(inner["memberServerImageList"][0]["sharedLoginIdList"], ["img-c"])
        self.assertEqual(self.images(b), [])
        self.err(b, "createServerInstances", [("memberServerImageNo", no)], 10712, CMSG["10712"])
        self.assertIsNotNone(b.state(s["serverInstanceNo"]))   # made before: stays
        inner = self.call_fmt(a, "setMemberServerImageSharingPermission",
                              [("memberServerImageNo", no)] + nlist("targetLoginIdList",
                                                                    ["img-b"]), "json")
        self.assertEqual(inner["memberServerImageList"][0]["sharedLoginIdList"], ["img-b"])
        self.assertEqual(self.images(b), [no])
        # M5: set without a list: no shares
        inner = self.call_fmt(a, "setMemberServerImageSharingPermission",
                              [("memberServerImageNo", no)], "xml")
        self.assertEqual(inner["memberServerImageList"][0]["shareStatus"]["code"], "NULL")
        self.assertEqual(self.images(b), [])
        # a login ID that names no account is accepted (the platform does not say)
        self.call_fmt(a, "addMemberServerImageSharingPermission",
                      [("memberServerImageNo", no)] + nlist("targetLoginIdList",
                                                            ["someone@example.com"]), "json")

    def test_errors(self):
        d = self.new_daemon(sim_step_ms=30000)
        c = d.client()
        d.restart(kill=False, sim_step_ms=0)
        ready = self.capture(c, KR1_RUN, "ready")["memberServerImageNo"]
        self.wait_res(c, IMAGE, ready, ("CREAT", "NULL"))
        d.restart(kill=False, sim_step_ms=30000)
        before = self.everything(c)

        def f(action, params, code, message):
            for fmt in FORMATS:
                self.err(c, action, params, code, message, fmt=fmt)
        # capture
        f("createMemberServerImage", [], 900, msg_900("serverInstanceNo"))
        f("createMemberServerImage", [("serverInstanceNo", UNKNOWN)], 24120, CMSG["24120"])
        f("createMemberServerImage", [("serverInstanceNo", "x")], 24109, CMSG["24109"])
        f("createMemberServerImage", [("serverInstanceNo", SEED),
                                      ("memberServerImageName", "ready")], 10300, CMSG["10300"])
        f("createMemberServerImage", [("serverInstanceNo", SEED),
                                      ("memberServerImageName", "ab")], 910,
          msg_910("memberServerImageName"))
        f("createMemberServerImage", [("serverInstanceNo", SEED),
                                      ("memberServerImageDescription", "d" * 1001)], 910,
          msg_910("memberServerImageDescription"))
        # delete
        f("deleteMemberServerImages", [], 900, msg_900("memberServerImageNoList"))
        f("deleteMemberServerImages", nlist("memberServerImageNoList", [UNKNOWN]), 24109,
          CMSG["24109."])
        f("deleteMemberServerImages", nlist("memberServerImageNoList", [SEED]), 24109,
          CMSG["24109."])
        f("deleteMemberServerImages", nlist("memberServerImageNoList", [ready, ready]), 910,
          msg_dup("memberServerImageNoList", ready))
        f("deleteMemberServerImages", nlist("memberServerImageNoList", [ready, "1e3"]), 910,
          msg_910("memberServerImageNoList"))
        # sharing
        for action in ("addMemberServerImageSharingPermission",
                       "removeMemberServerImageSharingPermission"):
            f(action, nlist("targetLoginIdList", ["x"]), 900, msg_900("memberServerImageNo"))
            f(action, [("memberServerImageNo", ready)], 900, msg_900("targetLoginIdList"))
            f(action, [("memberServerImageNo", UNKNOWN)] + nlist("targetLoginIdList", ["x"]),
              24109, CMSG["24109."])
            f(action, [("memberServerImageNo", ready)] + nlist("targetLoginIdList", ["x", "x"]),
              910, msg_dup("targetLoginIdList", "x"))
        f("setMemberServerImageSharingPermission", [("memberServerImageNo", "one")], 910,
          msg_910("memberServerImageNo"))
        # servers from images
        f("createServerInstances", [("memberServerImageNo", UNKNOWN)], 10712, CMSG["10712"])
        f("createServerInstances", [("memberServerImageNo", "abc")], 910,
          msg_910("memberServerImageNo"))
        f("createServerInstances", [("memberServerImageNo", ready),
                                    ("serverImageProductCode", "SPSW0LINUX000066")], 10712,
          CMSG["10712"])                     # another image than the member image's
        self.assertEqual(self.everything(c), before, "a failing request changed state")
        # the same image code as the member image's is accepted
        self.create(c, [("memberServerImageNo", ready), ("serverImageProductCode", LINUX_IMAGE),
                        ("serverName", "same-code")])
        # in transitions (steps of 30 s)
        new = self.capture(c, SEED, "fresh")["memberServerImageNo"]
        f("deleteMemberServerImages", nlist("memberServerImageNoList", [new]), 25018,
          CMSG["25018"])                     # M4: still captured
        f("addMemberServerImageSharingPermission", [("memberServerImageNo", new)] +
          nlist("targetLoginIdList", ["x"]), 25013, CMSG["25013"])
        f("createServerInstances", [("memberServerImageNo", new)], 10712, CMSG["10712"])  # M3
        f("createMemberServerImage", [("serverInstanceNo", SEED)], 25018, CMSG["25018"])  # M2
        self.call_fmt(c, "stopServerInstances", no_list([KR1_RUN]), "json")
        f("createMemberServerImage", [("serverInstanceNo", KR1_RUN)], 25008, CMSG["25008"])
        self.call_fmt(c, "deleteMemberServerImages", nlist("memberServerImageNoList", [ready]),
                      "json")
        f("deleteMemberServerImages", nlist("memberServerImageNoList", [ready]), 25013,
          CMSG["25013"])
        f("setMemberServerImageSharingPermission", [("memberServerImageNo", ready)], 25013,
          CMSG["25013"])


# ---- tags ---------------------------------------------------------------------------------

class TagsTest(ResourceCase):

    def tags(self, c, params=()):
        inner = self.call_fmt(c, "getInstanceTagList", list(params), "json")
        return [(t["instanceNo"], t["tagKey"], t["tagValue"]) for t in inner["instanceTagList"]]

    def servers(self, c, params):
        inner = self.call_fmt(c, "getServerInstanceList", params, "json")
        return [s["serverInstanceNo"] for s in inner["serverInstanceList"]]

    def test_tags_walk_and_server_filters(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        for fmt in FORMATS:
            r = c.call("createInstanceTags", tag_params([SEED, KR1_RUN], [("env", "prod"),
                                                                           ("team", "a")]),
                       method="POST", fmt=fmt)
            inner = self.ok(r, fmt, "createInstanceTags")
            self.assertEqual(inner["totalRows"], "4")
            if fmt == "xml":
                self.assertEqual(self.xml_order(r, "instanceTagList/instanceTag"), TAG_FIELDS)
            t = inner["instanceTagList"][0]
            self.assertEqual((t["instanceNo"], t["instanceType"], t["tagKey"], t["tagValue"]),
                             (SEED, {"code": "SVR", "codeName": "Server"}, "env", "prod"))
        # the same key again: the new value
        self.call_fmt(c, "createInstanceTags", tag_params([KR1_RUN], [("env", "dev")]), "json")
        self.call_fmt(c, "createInstanceTags", tag_params([KR2_STOP], [("env", "prod"),
                                                                       ("db", "")]), "json")
        self.assertEqual(sorted(self.tags(c)), sorted([
            (SEED, "env", "prod"), (SEED, "team", "a"), (KR1_RUN, "env", "dev"),
            (KR1_RUN, "team", "a"), (KR1_STOP, "env", "dev"),    # the seed's
            (KR2_STOP, "env", "prod"), (KR2_STOP, "db", "")]))
        # the servers carry them
        s = self.call_fmt(c, "getServerInstanceList", no_list([KR1_RUN]), "json")[
            "serverInstanceList"][0]
        self.assertEqual([(t["tagKey"], t["tagValue"]) for t in s["instanceTagList"]],
                         [("env", "dev"), ("team", "a")])
        # getInstanceTagList filters: AND across lists, OR within one
        self.assertEqual(self.tags(c, nlist("instanceNoList", [KR2_STOP])),
                         [(KR2_STOP, "env", "prod"), (KR2_STOP, "db", "")])
        self.assertEqual(sorted(self.tags(c, nlist("tagKeyList", ["db", "team"]))),
                         sorted([(SEED, "team", "a"), (KR1_RUN, "team", "a"),
                                 (KR2_STOP, "db", "")]))
        self.assertEqual(sorted(self.tags(c, nlist("tagKeyList", ["env"]) +
                                          nlist("tagValueList", ["prod"]))),
                         sorted([(SEED, "env", "prod"), (KR2_STOP, "env", "prod")]))
        inner = self.call_fmt(c, "getInstanceTagList", [("pageNo", "2"), ("pageSize", "4")],
                              "xml")
        self.assertEqual((inner["totalRows"], len(inner["instanceTagList"])), ("7", 3))
        # getServerInstanceList filters by tags for real
        self.assertEqual(self.servers(c, nlist("tagKeyList", ["team"])), [SEED, KR1_RUN])
        self.assertEqual(self.servers(c, nlist("tagValueList", ["prod"])), [SEED, KR2_STOP])
        self.assertEqual(self.servers(c, nlist("tagKeyValue", ["dev"])), [KR1_RUN, KR1_STOP])
        # key and value together: one tag with both (not env=dev on one tag, prod on another)
        self.assertEqual(self.servers(c, nlist("tagKeyList", ["env"]) +
                                      nlist("tagValueList", ["dev"])), [KR1_RUN, KR1_STOP])
        self.assertEqual(self.servers(c, nlist("tagKeyList", ["team"]) +
                                      nlist("tagValueList", ["prod"])), [])
        self.assertEqual(self.servers(c, nlist("tagKeyList", ["nope"])), [])
        # delete: a key and value only when the value matches; a key; all
        for fmt in FORMATS:
            inner = self.call_fmt(c, "deleteInstanceTags",
                                  tag_params([SEED], [("env", "dev")]), fmt)
            self.assertEqual((inner["totalRows"], inner["instanceTagList"]), ("0", []))
        self.assertIn((SEED, "env", "prod"), self.tags(c))
        self.call_fmt(c, "deleteInstanceTags", tag_params([SEED, KR1_RUN], [("env", None)]),
                      "json")
        self.assertEqual(sorted(self.tags(c, nlist("instanceNoList", [SEED, KR1_RUN]))),
                         sorted([(SEED, "team", "a"), (KR1_RUN, "team", "a")]))
        self.call_fmt(c, "deleteInstanceTags", nlist("instanceNoList", [SEED]), "json")
        self.assertEqual(self.tags(c, nlist("instanceNoList", [SEED])), [])
        # T2: a terminated server's tags are gone
        self.call_fmt(c, "terminateServerInstances", no_list([KR2_STOP]), "json")
        wait_for(lambda: c.state(KR2_STOP) is None, timeout=10, message="terminated")
        self.assertEqual(self.tags(c, nlist("tagKeyList", ["db"])), [])
        # another account sees none of them
        ak, sk = d.create_account("tags-b")
        b = d.client(ak, sk)
        self.assertEqual(self.tags(b), [])
        self.assertEqual(self.servers(b, nlist("tagKeyList", ["team"])), [])

    def test_errors(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        self.call_fmt(c, "createInstanceTags", tag_params([SEED], [("keep", "me")]), "json")
        before = self.everything(c)

        def f(action, params, code, message):
            for fmt in FORMATS:
                self.err(c, action, params, code, message, fmt=fmt)
        f("createInstanceTags", tag_params([], [("k", "v")]), 900, msg_900("instanceNoList"))
        f("createInstanceTags", nlist("instanceNoList", [SEED]), 900, msg_900("instanceTagList"))
        f("createInstanceTags", tag_params([SEED], [("k", None)]), 900,
          msg_900("instanceTagList.1.tagValue"))
        f("createInstanceTags", tag_params([SEED], [(None, "v")]), 900,
          msg_900("instanceTagList.1.tagKey"))
        f("createInstanceTags", tag_params([UNKNOWN], [("k", "v")]), 24120, CMSG["24120"])
        f("createInstanceTags", tag_params(["1021103"], [("k", "v")]), 24109,
          CMSG["24109"])                     # T1: a disk is no server (as createServerInstances)
        f("createInstanceTags", tag_params([SEED, SEED], [("k", "v")]), 910,
          msg_dup("instanceNoList", SEED))
        f("createInstanceTags", tag_params([SEED], [("k", "v"), ("k", "w")]), 910,
          msg_dup("instanceTagList", "k"))
        f("createInstanceTags", tag_params([SEED], [("k" * 256, "v")]), 910,
          msg_910("instanceTagList.1.tagKey"))
        f("createInstanceTags", tag_params([SEED], [("k", "v" * 256)]), 910,
          msg_910("instanceTagList.1.tagValue"))
        f("createInstanceTags", tag_params([SEED], [("", "v")]), 910,
          msg_910("instanceTagList.1.tagKey"))
        f("deleteInstanceTags", [], 900, msg_900("instanceNoList"))
        f("deleteInstanceTags", tag_params([UNKNOWN], []), 24120, CMSG["24120"])
        f("deleteInstanceTags", tag_params([SEED], [(None, "v")]), 900,
          msg_900("instanceTagList.1.tagKey"))
        self.assertEqual(self.everything(c), before, "a failing request changed state")
        # at most 100 tags per server
        self.call_fmt(c, "createInstanceTags",
                      tag_params([KR2_STOP], [("k%02d" % i, "v") for i in range(100)]), "json")
        f("createInstanceTags", tag_params([KR2_STOP], [("one-more", "v")]), 910,
          msg_910("instanceTagList"))
        self.call_fmt(c, "createInstanceTags", tag_params([KR2_STOP], [("k00", "again")]),
                      "json")      # a key already there: no new tag


if __name__ == "__main__":
    unittest.main()

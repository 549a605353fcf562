"""Restarts and crashes in the middle of the new resources' transitions (issue 11): every
resource kind is driven by the one transition engine (sched.c, sched_<kind>.c), so a
SIGTERM or a SIGKILL in the middle of a disk attach, a snapshot, an image capture, a NAS
creation, a public IP association ... loses nothing: after the restart every transition
finishes, the servers' disk work (SETUP) and captures (COPY) end with them, and the store
holds no transition row without its resource.

With the simulator opened as an external driver (--sim-options external,delay=MS) the claim
is committed before the driver acts: a SIGKILL between the claim and its confirmation is
completed by the next start, and a refusal undoes the claim.
"""

import threading
import unittest

from c_util import (CMSG, DISK, IMAGE, IP, NAS, SNAP, ResourceCase, nlist, no_list, wait_for)
from ncpd_harness import ADMIN_TOKEN, PG_BASE, Client, decode
from reliability_util import integrity_check, transition_invariants

SEED = "1021003"        # RUN, KR-2
KR1_RUN = "1021004"
KR1_STOP = "1021005"
KR2_STOP = "1021006"


def first(resp, list_name):
    inner = decode(resp, "json")[1]
    assert inner.get("returnCode") == "0", resp
    return inner[list_name][0]


class MidTransitionRestartTest(ResourceCase):

    def start_everything(self, c):
        """Starts one transition of every new kind; returns what to wait for."""
        out = {}
        # a disk created (attach under way) on the seed server, and a detached one resized
        r = c.call("createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                  ("blockStorageSize", "10"),
                                                  ("blockStorageName", "mid-attach")],
                   method="POST", fmt="json")
        out["attach"] = first(r, "blockStorageInstanceList")["blockStorageInstanceNo"]
        # a snapshot of the seed's boot disk
        r = c.call("createBlockStorageSnapshotInstance", [("blockStorageInstanceNo", "1021103"),
                                                          ("blockStorageSnapshotName", "mid-snap")],
                   method="POST", fmt="json")
        out["snap"] = first(r, "blockStorageSnapshotInstanceList")[
            "blockStorageSnapshotInstanceNo"]
        # an image capture of a stopped server (COPY)
        r = c.call("createMemberServerImage", [("serverInstanceNo", KR1_STOP),
                                               ("memberServerImageName", "mid-image")],
                   method="POST", fmt="json")
        out["image"] = first(r, "memberServerImageList")["memberServerImageNo"]
        # a NAS volume
        r = c.call("createNasVolumeInstance", [("volumeName", "midnas"), ("volumeSize", "500"),
                                               ("volumeAllotmentProtocolTypeCode", "NFS")],
                   method="POST", fmt="json")
        out["nas"] = first(r, "nasVolumeInstanceList")["nasVolumeInstanceNo"]
        # a public IP associated with a KR-1 server, the seed's disassociated
        r = c.call("createPublicIpInstance", [("serverInstanceNo", KR1_RUN)], method="POST",
                   fmt="json")
        out["ip"] = first(r, "publicIpInstanceList")["publicIpInstanceNo"]
        r = c.call("disassociatePublicIpFromServerInstance", [("publicIpInstanceNo", "1021203")],
                   method="POST", fmt="json")
        self.assertEqual(r.status, 200, r)
        return out

    def check_in_flight(self, c, out):
        self.assertEqual(c.state(SEED)[1], "SETUP")
        self.assertEqual(c.state(KR1_STOP)[:2], ("NSTOP", "COPY"))
        self.assertEqual(self.item(c, DISK, out["attach"])["blockStorageInstanceStatus"]["code"],
                         "INIT")
        self.assertEqual(self.item(c, IMAGE, out["image"])["memberServerImageStatus"]["code"],
                         "INIT")
        self.assertEqual(self.item(c, NAS, out["nas"])["nasVolumeInstanceStatus"]["code"],
                         "INIT")
        self.assertEqual(self.item(c, IP, out["ip"])["publicIpInstanceOperation"]["code"], "USE")

    def check_finished(self, c, out):
        self.wait_res(c, DISK, out["attach"], ("ATTAC", "NULL"))
        self.wait_res(c, SNAP, out["snap"], ("CREAT", "NULL"))
        self.wait_res(c, IMAGE, out["image"], ("CREAT", "NULL"))
        self.wait_res(c, NAS, out["nas"], ("CREAT", "NULL"))
        self.wait_res(c, IP, out["ip"], ("USED", "NULL"))
        self.wait_res(c, IP, "1021203", ("CREAT", "NULL"))
        self.wait_state(c, SEED, "RUN", "NULL")
        self.wait_state(c, KR1_STOP, "NSTOP", "NULL")
        self.assertEqual(self.item(c, DISK, out["attach"])["deviceName"], "/dev/xvdb")
        self.assertEqual(self.item(c, IMAGE, out["image"])[
            "memberServerImageBlockStorageTotalRows"], "1")
        s = self.call_fmt(c, "getServerInstanceList", no_list([SEED, KR1_RUN]), "json")[
            "serverInstanceList"]
        ips = {x["serverInstanceNo"]: x["publicIp"] for x in s}
        self.assertEqual(ips[SEED], "")
        self.assertEqual(ips[KR1_RUN], self.item(c, IP, out["ip"])["publicIp"])

    def check_store(self, d):
        if PG_BASE:
            return
        self.assertEqual(integrity_check(d.db), "ok")
        self.assertEqual(transition_invariants(d.db, settled=True), [])

    def run_restart(self, kill):
        d = self.new_daemon(sim_step_ms=60000)
        c = d.client()
        out = self.start_everything(c)
        self.check_in_flight(c, out)
        d.restart(kill=kill, sim_step_ms=60000)
        self.check_in_flight(c, out)      # nothing lost, nothing finished early
        d.restart(kill=kill, sim_step_ms=50)
        self.check_finished(c, out)
        self.check_store(d)

    def test_sigkill_in_the_middle_of_every_kind(self):
        self.run_restart(kill=True)

    def test_sigterm_in_the_middle_of_every_kind(self):
        self.run_restart(kill=False)

    def test_sigkill_during_detach_resize_and_deletes(self):
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        att = self.call_fmt(c, "createBlockStorageInstance", [("serverInstanceNo", KR2_STOP),
                                                              ("blockStorageSize", "10")],
                            "json")["blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        det = self.call_fmt(c, "createBlockStorageInstance", [("serverInstanceNo", KR2_STOP),
                                                              ("blockStorageSize", "10")],
                            "json")["blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        gone = self.call_fmt(c, "createBlockStorageInstance", [("serverInstanceNo", SEED),
                                                               ("blockStorageSize", "10")],
                             "json")["blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        nas = self.call_fmt(c, "createNasVolumeInstance", [
            ("volumeName", "killnas"), ("volumeSize", "500"),
            ("volumeAllotmentProtocolTypeCode", "NFS")], "json")["nasVolumeInstanceList"][0][
            "nasVolumeInstanceNo"]
        img = self.call_fmt(c, "createMemberServerImage", [("serverInstanceNo", KR1_RUN)],
                            "json")["memberServerImageList"][0]["memberServerImageNo"]
        for fam, no, target in ((DISK, att, ("ATTAC", "NULL")), (DISK, det, ("ATTAC", "NULL")),
                                (DISK, gone, ("ATTAC", "NULL")), (NAS, nas, ("CREAT", "NULL")),
                                (IMAGE, img, ("CREAT", "NULL"))):
            self.wait_res(c, fam, no, target)
        self.wait_state(c, KR2_STOP, "NSTOP", "NULL")
        self.wait_state(c, SEED, "RUN", "NULL")
        d.restart(kill=False, sim_step_ms=60000)
        self.call_fmt(c, "detachBlockStorageInstances", nlist("blockStorageInstanceNoList",
                                                              [det]), "json")
        self.call_fmt(c, "changeBlockStorageVolumeSize", [("blockStorageInstanceNo", att),
                                                          ("blockStorageSize", "40")], "json")
        self.call_fmt(c, "deleteBlockStorageInstances", nlist("blockStorageInstanceNoList",
                                                              [gone]), "json")
        self.call_fmt(c, "changeNasVolumeSize", [("nasVolumeInstanceNo", nas),
                                                 ("volumeSize", "900")], "json")
        self.call_fmt(c, "deleteMemberServerImages", nlist("memberServerImageNoList", [img]),
                      "json")
        self.assertEqual(c.state(KR2_STOP)[1], "SETUP")
        d.restart(kill=True, sim_step_ms=50)
        self.wait_res(c, DISK, det, ("CREAT", "NULL"))
        self.wait_res(c, DISK, att, ("ATTAC", "NULL"))
        self.wait_gone(c, DISK, gone)
        self.wait_res(c, NAS, nas, ("CREAT", "NULL"))
        self.wait_gone(c, IMAGE, img)
        self.wait_state(c, KR2_STOP, "NSTOP", "NULL")
        self.wait_state(c, SEED, "RUN", "NULL")
        self.assertEqual(self.item(c, DISK, att)["blockStorageSize"], str(40 * 1073741824))
        self.assertEqual(self.item(c, NAS, nas)["volumeSize"], str(900 * 1073741824))
        self.check_store(d)


class ExternalDriverClaimTest(ResourceCase):
    """Claim, act, confirm for the volume operations of the new kinds."""

    def test_kill9_between_claim_and_confirmation_completes_every_kind(self):
        d = self.new_daemon(sim_step_ms=100, extra_args=["--sim-options", "external,delay=5000"])
        c = d.client()
        results = []

        def call(action, params):
            try:
                results.append(Client(d).call(action, params, fmt="json", method="POST"))
            except OSError:
                results.append(None)

        calls = [("createBlockStorageInstance", [("serverInstanceNo", KR2_STOP),
                                                 ("blockStorageSize", "10"),
                                                 ("blockStorageName", "claimed-disk")]),
                 ("createBlockStorageSnapshotInstance", [("blockStorageInstanceNo", "1021103"),
                                                         ("blockStorageSnapshotName",
                                                          "claimed-snap")]),
                 ("createMemberServerImage", [("serverInstanceNo", KR1_STOP),
                                              ("memberServerImageName", "claimed-image")])]
        ts = [threading.Thread(target=call, args=a) for a in calls]
        for t in ts:
            t.start()
        # the claims are committed (and visible) before the driver has acted
        wait_for(lambda: [i["blockStorageName"] for i in self.items(c, DISK, params=[
            ("serverInstanceNo", KR2_STOP), ("blockStorageTypeCodeList.1", "SVRBS")])] ==
            ["claimed-disk"], timeout=5, message="the disk's claim")
        wait_for(lambda: len(self.items(c, SNAP)) == 1 and len(self.items(c, IMAGE)) == 1,
                 timeout=5, message="the snapshot's and the image's claims")
        self.assertEqual(c.state(KR2_STOP)[1], "SETUP")
        self.assertEqual(c.state(KR1_STOP)[1], "COPY")
        d.kill9()
        for t in ts:
            t.join()
        self.assertTrue(all(r is None for r in results),
                        "an answer left before the kill: %r" % (results,))
        d.extra_args = []
        d.start()
        self.assertIn("completed 3 transitions claimed before the last stop", d.log_tail())
        (disk,) = [i["blockStorageInstanceNo"] for i in self.items(c, DISK) if
                   i["blockStorageName"] == "claimed-disk"]
        self.wait_res(c, DISK, disk, ("ATTAC", "NULL"))
        (snap,) = [i["blockStorageSnapshotInstanceNo"] for i in self.items(c, SNAP)]
        self.wait_res(c, SNAP, snap, ("CREAT", "NULL"))
        (img,) = [i["memberServerImageNo"] for i in self.items(c, IMAGE)]
        self.wait_res(c, IMAGE, img, ("CREAT", "NULL"))
        self.wait_state(c, KR2_STOP, "NSTOP", "NULL")
        self.wait_state(c, KR1_STOP, "NSTOP", "NULL")
        if not PG_BASE:
            self.assertEqual(transition_invariants(d.db, settled=True), [])

    def test_refusal_undoes_the_claim(self):
        d = self.new_daemon(sim_step_ms=100, admin_token=ADMIN_TOKEN,
                            extra_args=["--sim-options", "external"])
        c = d.client()
        before = self.everything(c)
        for action, target, params in (
                ("createBlockStorageInstance", SEED, [("serverInstanceNo", SEED),
                                                      ("blockStorageSize", "10")]),
                ("createMemberServerImage", SEED, [("serverInstanceNo", SEED)]),
                # a fault names the resource or the server it is on
                ("createBlockStorageSnapshotInstance", SEED,
                 [("blockStorageInstanceNo", "1021103")])):
            self.assertEqual(d.fault(action, target, 1).status, 200)
            self.err(c, action, params, 1300, CMSG["1300"], http_status=500)
            wait_for(lambda: c.state(SEED)[1] == "NULL", timeout=5, message="the server idle")
            self.assertEqual(self.everything(c), before, action)


if __name__ == "__main__":
    unittest.main()

"""Issue 11's resources on ncpd driven by libvirt (--driver libvirt, libvirt's in-process
test:///default; issue 13). A disk operation reaches the libvirt driver's volume slots (a
qcow2 file per disk in the vm folder, hot-plugged into the machine) and its transition then
completes by timed steps (the hypervisor's confirm hook answers "timed" for kinds other than
servers). test:///default cannot hot-plug, so what is checked here is the refusal path:
1300, nothing left behind, the claim undone. Operations the libvirt driver has no slot for
(member image capture and block storage snapshots copy a volume; recreate; interrupt) are
refused the same way. The walks on the simulator: test_c_storage.py, test_c_image.py."""

import os
import shutil
import tempfile
import unittest

from c_util import DISK, IMAGE, ResourceCase
from hv_util import HvCase, libvirt_args
from lifecycle_util import (CREATE_STATES, FORMATS, SEED_PRODUCT, STOP_STATES,
                            TERMINATE_STATES)
from ncpd_harness import MSG
from test_h_libvirt import DISK_IMAGE, URI, Files


class LibvirtBlockStorageTest(ResourceCase, HvCase):

    @classmethod
    def setUpClass(cls):
        cls.files = Files()
        cls.addClassCleanup(cls.files.remove)
        cls.vm = tempfile.mkdtemp(prefix="ncpd-e2e-cvm-")
        cls.addClassCleanup(shutil.rmtree, cls.vm, True)
        cls.d = cls.new_class_daemon(fixture=None, admin_token="e2e-cvm-token",
                                     sim_step_ms=50,
                                     extra_args=libvirt_args(cls.files.catalog, URI, cls.vm))
        cls.c = cls.d.client()
        # a server needs a login key (10406 without one)
        r = cls.c.call("createLoginKey", [("keyName", "cvm-key")], method="POST", fmt="json")
        assert r.status == 200, r

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def running_server(self, name, fmt):
        (s,) = self.create(self.c, [("serverImageProductCode", DISK_IMAGE),
                                    ("serverProductCode", SEED_PRODUCT),
                                    ("serverName", name)], fmt=fmt)
        no = s["serverInstanceNo"]
        self.observe(self.c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=10)
        return no

    def test_refused_disk_work_is_1300_and_nothing_made(self):
        """libvirt's test:/// cannot hot-plug a disk: the driver made the volume, the attach
        failed, so the volume is removed, the claim undone (no disk, the server RUN/NULL with
        no disk work) and the answer is 1300, in both formats; the same for the slots the
        libvirt driver lacks (snapshots and member image capture copy a volume)."""
        srv = self.running_server("lvdisk", "json")
        dirs = set(os.listdir(self.vm))
        before = self.everything(self.c)
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                self.err(self.c, "createBlockStorageInstance",
                         [("serverInstanceNo", srv), ("blockStorageSize", "10"),
                          ("blockStorageName", "lvd-" + fmt)], 1300, MSG["1300"], fmt=fmt,
                         http_status=500)
                self.err(self.c, "createMemberServerImage", [("serverInstanceNo", srv)],
                         1300, MSG["1300"], fmt=fmt, http_status=500)
                # no recreate or interrupt slot in the libvirt driver either
                self.err(self.c, "interruptServerInstance", [("serverInstanceNo", srv)],
                         1300, MSG["1300"], fmt=fmt, http_status=500)
                self.err(self.c, "recreateServerInstance",
                         [("serverInstanceNo", srv), ("serverImageProductCode", DISK_IMAGE)],
                         1300, MSG["1300"], fmt=fmt, http_status=500)
                self.assert_state(self.c, srv, "RUN", "NULL")
        self.assertEqual(self.everything(self.c), before, "a refused request changed state")
        disks = self.items(self.c, DISK, params=[("serverInstanceNo", srv)])
        self.assertEqual([d["blockStorageType"]["code"] for d in disks], ["BASIC"])
        self.assertEqual(self.call_fmt(self.c, IMAGE.action, [], "json")[IMAGE.list], [])
        self.assertEqual(set(os.listdir(self.vm)), dirs, "a volume left behind")
        log = self.d.log_tail(200000)
        self.assertIn("attaching a disk to ncpd-%s" % srv, log)
        self.assertIn("does not support operation 13", log)  # NCP_DRV_IMAGE_CAPTURE

        # the server's own operations still go through the hypervisor
        self.act(self.c, "stopServerInstances", [srv], "json")
        self.observe(self.c, [srv], ("NSTOP", "NULL"), STOP_STATES)
        self.act(self.c, "terminateServerInstances", [srv], "json")
        self.observe(self.c, [srv], None, TERMINATE_STATES, gone=True)
        self.assertFalse(os.path.exists(os.path.join(self.vm, str(srv))), "files left behind")


if __name__ == "__main__":
    unittest.main()

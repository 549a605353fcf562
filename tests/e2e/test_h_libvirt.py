"""ncpd on libvirt (--driver libvirt) against libvirt's own in-process test:///default
hypervisor: the whole mapping of the Server API to machines, over HTTP, in XML and JSON
(issue 13). Each ncpd process has a test:///default of its own, empty at its start: a
restart of ncpd finds no machine, which is how the start-up reconciliation is seen here.
The same daemon with a real libvirtd and a booting guest: tests/vm/test_ncpd_guest.py
(make test-libvirt)."""

import base64
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from ncpd_harness import BIN, MSG, PG_BASE, Daemon, no_list, skip_on_pg, wait_for
from lifecycle_util import (CHANGE_STATES, CREATE_STATES, FORMATS, LINUX_IMAGE, MICRO,
                            REBOOT_STATES, SEED_IMAGE, START_STATES, STOP_STATES,
                            TERMINATE_STATES, WIN_IMAGE, generate_ssh_keypair,
                            ssh_line_from_pem)
from hv_util import GiB, HvCase, file_has, libvirt_args, write_catalog

KERNEL_IMAGE = LINUX_IMAGE             # boot: kernel
DISK_IMAGE = SEED_IMAGE                # boot: disk (a qcow2 base made here)
BROKEN_IMAGE = "SPSW0LINUX000045"      # boot: disk that does not exist
NOBOOT_IMAGE = "SPSW0LINUX000044"      # no boot source
BIGGER = "SPSVRSTAND000049"            # vCPU 2, 2 GiB
URI = "test:///default"
NO_BOOT_MSG = ("Not found product. Please check your input product. The server image %s "
               "cannot boot on this platform: its catalogue entry has no boot source.")
QCOW2_MAGIC = b"QFI\xfb"

FSTOP_STATES = {("FSTOP", "NULL"): "repairing"}


class Files:
    """A kernel file (test:/// never runs it), a qcow2 base image, the catalogue."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ncpd-e2e-hv-")
        self.kernel = os.path.join(self.dir, "vmlinuz")
        with open(self.kernel, "w") as f:
            f.write("not a kernel\n")
        self.base = os.path.join(self.dir, "base.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", self.base, "1G"], check=True,
                       stdin=subprocess.DEVNULL, timeout=60)
        self.catalog = write_catalog(os.path.join(self.dir, "catalog.json"), {
            KERNEL_IMAGE: {"kernel": self.kernel, "cmdline": "console=ttyS0"},
            DISK_IMAGE: {"disk": self.base},
            BROKEN_IMAGE: {"disk": os.path.join(self.dir, "missing", "base.qcow2")},
        })

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def new_vm_dir(case):
    """--vm-dir for PostgreSQL runs (none beside the database); None on SQLite."""
    if not PG_BASE:
        return None
    d = tempfile.mkdtemp(prefix="ncpd-e2e-vm-")
    case.addCleanup(shutil.rmtree, d, True)
    return d


class LibvirtMappingTest(HvCase):

    @classmethod
    def setUpClass(cls):
        cls.files = Files()
        cls.addClassCleanup(cls.files.remove)
        cls.vm = tempfile.mkdtemp(prefix="ncpd-e2e-vm-")
        cls.addClassCleanup(shutil.rmtree, cls.vm, True)
        cls.d = cls.new_class_daemon(fixture=None, admin_token="e2e-hv-token",
                                     extra_args=libvirt_args(cls.files.catalog, URI, cls.vm,
                                                             ["--log-level", "debug"]))
        cls.c = cls.d.client()
        r = cls.c.call("createLoginKey", [("keyName", "walk-key")], method="POST", fmt="json")
        assert r.status == 200, r
        cls.priv = r.json()["createLoginKeyResponse"]["privateKey"]

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def seed(self, no):
        return self.vm_path(self.vm, no, "seed.iso")

    # -- create ------------------------------------------------------------------

    def test_image_without_boot_source_is_refused_and_nothing_made(self):
        before = set(self.c.server_map())
        dirs = set(os.listdir(self.vm))
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                self.call_err(self.c, "createServerInstances",
                              [("serverImageProductCode", NOBOOT_IMAGE),
                               ("serverName", "noboot-" + fmt)], fmt, 10712,
                              NO_BOOT_MSG % NOBOOT_IMAGE)
                self.call_err(self.c, "createServerInstances",
                              [("serverImageProductCode", WIN_IMAGE)], fmt, 10712,
                              NO_BOOT_MSG % WIN_IMAGE)
        self.assertEqual(set(self.c.server_map()), before)
        self.assertEqual(set(os.listdir(self.vm)), dirs)

    def walk(self, fmt):
        """create -> RUN, stop -> NSTOP, start, reboot, changeSpec, terminate; answers in
        fmt, each state seen on the way one of the path's."""
        name = "walk-" + fmt
        script = "#!/bin/sh\necho user-data-of-%s\n" % fmt
        ud = base64.b64encode(script.encode()).decode()
        (s,) = self.create(self.c, [("serverImageProductCode", KERNEL_IMAGE),
                                    ("serverProductCode", MICRO), ("serverName", name),
                                    ("loginKeyName", "walk-key"), ("userData", ud)], fmt=fmt)
        no = s["serverInstanceNo"]
        self.check_server_item(s, "INIT", "NULL", "init")
        # the call returns once the machine runs: CREAT/START at its confirmation, then RUN
        seen = self.observe(self.c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=10)
        self.assertEqual(seen[-1][1:3], ("RUN", "NULL"))

        # its files and what its NoCloud seed holds
        root, seed = self.vm_path(self.vm, no, "root.qcow2"), self.seed(no)
        self.assertTrue(file_has(root, QCOW2_MAGIC), root)
        self.assertEqual(os.stat(seed).st_mode & 0o777, 0o600)
        self.assertTrue(file_has(seed, 'local-hostname: "%s"' % name))
        self.assertTrue(file_has(seed, "instance-id: ncpd-%s" % no))
        self.assertTrue(file_has(seed, script), "the user data as the request gave it")
        pub = ssh_line_from_pem(self.priv).split()[1]
        self.assertTrue(file_has(seed, "ssh-rsa " + pub), "createLoginKey's public key")
        pw = self.root_password(self.c, no, self.priv, fmt)
        self.assertTrue(file_has(seed, 'password: "%s"' % pw), "getRootPassword's password")
        self.assertEqual(self.server(self.c, no)["userData"], script)

        self.assertEqual(self.act(self.c, "stopServerInstances", [no], fmt),
                         {no: ("RUN", "SHTDN")})
        self.observe(self.c, [no], ("NSTOP", "NULL"), STOP_STATES)
        self.call_err(self.c, "stopServerInstances", no_list([no]), fmt, 28005, MSG["28005"])

        self.assertEqual(self.act(self.c, "startServerInstances", [no], fmt),
                         {no: ("NSTOP", "START")})
        self.observe(self.c, [no], ("RUN", "NULL"), START_STATES)

        self.assertEqual(self.act(self.c, "rebootServerInstances", [no], fmt),
                         {no: ("RUN", "RESTA")})
        self.observe(self.c, [no], ("RUN", "NULL"), REBOOT_STATES)

        self.act(self.c, "stopServerInstances", [no], fmt)
        self.observe(self.c, [no], ("NSTOP", "NULL"), STOP_STATES)
        inner = self.call_ok(self.c, "changeServerInstanceSpec",
                             [("serverInstanceNo", no), ("serverProductCode", BIGGER)], fmt=fmt)
        (s,) = inner["serverInstanceList"]
        self.check_server_item(s, "NSTOP", "CHNG", "changingSpec")
        self.observe(self.c, [no], ("NSTOP", "NULL"), CHANGE_STATES)
        s = self.server(self.c, no)
        self.assertEqual((s["serverProductCode"], s["cpuCount"], s["memorySize"]),
                         (BIGGER, 2, 2 * GiB))
        self.act(self.c, "startServerInstances", [no], fmt)
        self.observe(self.c, [no], ("RUN", "NULL"), START_STATES)
        self.act(self.c, "stopServerInstances", [no], fmt)
        self.observe(self.c, [no], ("NSTOP", "NULL"), STOP_STATES)

        self.assertEqual(self.act(self.c, "terminateServerInstances", [no], fmt),
                         {no: ("NSTOP", "TERMT")})
        self.observe(self.c, [no], None, TERMINATE_STATES, gone=True)
        self.assertFalse(os.path.exists(self.vm_path(self.vm, no)), "files left behind")
        log = self.d.log_tail(200000)
        for op in ("create", "stop", "start", "reboot", "changeSpec", "terminate"):
            self.assertRegex(log, r"event=hv_done server=%s op=%s" % (no, op))

    def test_walk_json(self):
        self.walk("json")

    def test_walk_xml(self):
        self.walk("xml")

    def test_several_at_once_and_a_disk_image(self):
        servers = self.create(self.c, [("serverImageProductCode", DISK_IMAGE),
                                       ("serverName", "many"), ("serverCreateCount", "3")])
        nos = [s["serverInstanceNo"] for s in servers]
        self.observe(self.c, nos, ("RUN", "NULL"), CREATE_STATES, timeout=20)
        for no in nos:  # a qcow2 overlay on the image's base
            self.assertTrue(file_has(self.vm_path(self.vm, no, "root.qcow2"), self.files.base))
        self.assertEqual(set(self.act(self.c, "stopServerInstances", nos, "xml")), set(nos))
        self.observe(self.c, nos, ("NSTOP", "NULL"), STOP_STATES)
        self.act(self.c, "terminateServerInstances", nos, "json")
        self.observe(self.c, nos, None, TERMINATE_STATES, gone=True)

    def test_imported_key_goes_into_the_seed(self):
        pub, priv = generate_ssh_keypair("imported@e2e")
        self.call_ok(self.c, "importLoginKey", [("keyName", "imported-key"),
                                                ("publicKey", pub + "\n")])
        (s,) = self.create(self.c, [("serverImageProductCode", KERNEL_IMAGE),
                                    ("serverName", "imported"), ("loginKeyName", "imported-key")])
        no = s["serverInstanceNo"]
        self.observe(self.c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=10)
        self.assertTrue(file_has(self.seed(no), '  - "%s"\n' % pub), "the key, one line")
        pw = self.root_password(self.c, no, priv, "xml")
        self.assertTrue(file_has(self.seed(no), 'password: "%s"' % pw))
        self.assertNotIn(pw, self.d.log_tail(10 ** 7), "a root password in the log")

    def test_hypervisor_refusal_is_1300_and_nothing_made(self):
        before = set(self.c.server_map())
        dirs = set(os.listdir(self.vm))
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                self.call_err(self.c, "createServerInstances",
                              [("serverImageProductCode", BROKEN_IMAGE),
                               ("serverName", "broken-" + fmt)], fmt, 1300, MSG["1300"],
                              http_status=500)
        self.assertEqual(set(self.c.server_map()), before)
        self.assertEqual(set(os.listdir(self.vm)), dirs)
        log = self.d.log_tail(200000)
        self.assertRegex(log, r"event=hv_refused server=\d+ op=create detail=libvirt: base "
                              r"image .*missing/base\.qcow2")

    def test_fault_switch_still_applies(self):
        (s,) = self.create(self.c, [("serverImageProductCode", KERNEL_IMAGE),
                                    ("serverName", "faulty")])
        no = s["serverInstanceNo"]
        self.observe(self.c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=10)
        for fmt in FORMATS:  # the driver is never asked: the claim is undone
            r = self.d.fault("stopServerInstances", no, 1)
            self.assertEqual(r.status, 200, r)
            self.call_err(self.c, "stopServerInstances", no_list([no]), fmt, 1300, MSG["1300"],
                          http_status=500)
            self.assert_state(self.c, no, "RUN", "NULL")
        self.act(self.c, "stopServerInstances", [no], "json")
        self.observe(self.c, [no], ("NSTOP", "NULL"), STOP_STATES)


class LibvirtReconcileTest(HvCase):
    """What ncpd finds at start: servers without a machine, machines that changed."""

    def setUp(self):
        self.files = Files()
        self.addCleanup(self.files.remove)

    @skip_on_pg("the vm folder beside a SQLite database")
    def test_vm_dir_defaults_beside_the_database(self):
        d = self.new_daemon(fixture=None, extra_args=libvirt_args(self.files.catalog, URI))
        c = d.client()
        self.create_key(c, "beside-key")
        (s,) = self.create(c, [("serverImageProductCode", KERNEL_IMAGE)])
        no = s["serverInstanceNo"]
        self.observe(c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=10)
        vm = os.path.join(os.path.dirname(d.db), "vm")
        self.assertTrue(os.path.exists(os.path.join(vm, no, "seed.iso")), os.listdir(vm))
        self.assertIn("vm dir %s" % vm, d.log_tail())

    def test_restart_reconciles_every_server_with_its_machine(self):
        vm = new_vm_dir(self)
        d = self.new_daemon(fixture="seed", admin_token="tok",
                            extra_args=libvirt_args(self.files.catalog, URI, vm))
        vm = vm or os.path.join(os.path.dirname(d.db), "vm")
        c = d.client()
        # the seed's servers have no machine on this (empty) hypervisor
        self.observe(c, ["1021003", "1021004", "1021005", "1021006"], ("FSTOP", "NULL"),
                     {**FSTOP_STATES, ("RUN", "NULL"): "running", ("NSTOP", "NULL"): "stopped"})
        self.assertRegex(d.log_tail(), r"hv: reconciling 4 servers with 0 machines "
                                       r"\(4 servers without one\)")
        (s,) = self.create(c, [("serverImageProductCode", KERNEL_IMAGE), ("serverName", "kept")])
        no = s["serverInstanceNo"]
        self.observe(c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=10)
        self.assertTrue(os.path.exists(os.path.join(vm, no)))

        # a new process: a new, empty test:///default; its machine is gone
        d.restart(kill=True)
        self.observe(c, [no], ("FSTOP", "NULL"), {**FSTOP_STATES, ("RUN", "NULL"): "running"})
        self.assertRegex(d.log_tail(), r"event=hv_drift server=%s from=RUN to=FSTOP "
                                       r"power=gone" % no)
        for fmt in FORMATS:  # only terminate is possible; the files go too
            self.call_err(c, "startServerInstances", no_list([no]), fmt, 25041, MSG["25041"])
            self.call_err(c, "stopServerInstances", no_list([no]), fmt, 25041, MSG["25041"])
        self.assertEqual(self.act(c, "terminateServerInstances", [no], "xml"),
                         {no: ("NSTOP", "TERMT")})
        self.observe(c, [no], None, TERMINATE_STATES, gone=True)
        self.assertFalse(os.path.exists(os.path.join(vm, no)))


class LibvirtOptionsTest(HvCase):

    def conf(self, *args, env=None):
        e = {k: v for k, v in os.environ.items() if not k.startswith("NCPD_")}
        e.update(env or {})
        return subprocess.run([BIN, "config", "show"] + list(args), capture_output=True,
                              timeout=30, stdin=subprocess.DEVNULL, env=e)

    def test_defaults_flags_and_environment(self):
        r = self.conf()
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 0, r)
        for line in ("driver = sim", "libvirt-uri = qemu:///system", "stop-timeout = 300",
                     "# vm-dir = (unset)", "# libvirt-domain-type = (unset)"):
            self.assertIn(line, out)
        r = self.conf("--driver", "libvirt", "--libvirt-uri", "qemu:///session",
                      "--vm-dir", "/srv/vm", "--libvirt-domain-type", "kvm",
                      "--stop-timeout", "42")
        out = r.stdout.decode()
        for line in ("driver = libvirt", "libvirt-uri = qemu:///session", "vm-dir = /srv/vm",
                     "libvirt-domain-type = kvm", "stop-timeout = 42"):
            self.assertIn(line, out)
        r = self.conf(env={"NCPD_DRIVER": "libvirt", "NCPD_STOP_TIMEOUT": "7",
                           "NCPD_LIBVIRT_DOMAIN_TYPE": "qemu"})
        out = r.stdout.decode()
        self.assertIn("# from NCPD_DRIVER\ndriver = libvirt", out)
        self.assertIn("# from NCPD_STOP_TIMEOUT\nstop-timeout = 7", out)
        self.assertIn("libvirt-domain-type = qemu", out)

    def test_bad_values_and_postgresql_without_vm_dir(self):
        for args, text in ((["--driver", "xen"], "'xen' is not one of sim|libvirt"),
                           (["--libvirt-domain-type", "tcg"], "is not one of qemu|kvm"),
                           (["--stop-timeout", "0"], "out of range"),
                           (["--driver", "libvirt", "--db", "postgresql://u@/d"],
                            "--driver libvirt with a PostgreSQL database needs vm-dir")):
            with self.subTest(args=args):
                r = self.conf(*args)
                self.assertEqual(r.returncode, 2, r)
                self.assertIn(text, r.stderr.decode())
        r = self.conf("--driver", "libvirt", "--db", "postgresql://u@/d", "--vm-dir", "/v")
        self.assertEqual(r.returncode, 0, r)

    def test_catalogue_boot_sources(self):
        files = Files()
        self.addCleanup(files.remove)
        r = subprocess.run([BIN, "catalog", "dump", "--catalog", files.catalog],
                           capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r)
        import json
        boots = {i["productCode"]: i.get("boot") for i in json.loads(r.stdout)["images"]}
        self.assertEqual(boots[KERNEL_IMAGE], {"kernel": files.kernel, "cmdline": "console=ttyS0"})
        self.assertEqual(boots[DISK_IMAGE], {"disk": files.base})
        self.assertIsNone(boots[NOBOOT_IMAGE])
        bad = [({"disk": "/a", "kernel": "/b"}, "needs exactly one of disk"),
               ({}, "needs exactly one of disk"),
               ({"disk": "rel/base.qcow2"}, "paths must be absolute"),
               ({"disk": "/a", "cmdline": "x"}, "go with kernel"),
               ({"kernel": "/k", "ramdisk": "/r"}, "takes only disk"),
               ("/a", "is not an object")]
        for boot, text in bad:
            with self.subTest(boot=boot):
                path = write_catalog(os.path.join(files.dir, "bad.json"), {KERNEL_IMAGE: boot})
                r = subprocess.run([BIN, "catalog", "dump", "--catalog", path],
                                   capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
                self.assertEqual(r.returncode, 1, r)
                self.assertIn("image", r.stderr.decode())
                self.assertIn(text, r.stderr.decode())
        # the VPC part's images take the same "boot" object, checked the same way
        vpc_img = "SW.VSVR.OS.LNX64.UBNTU.SVR22.G003"
        path = write_catalog(os.path.join(files.dir, "vpc.json"), {},
                             vpc_boots={vpc_img: {"kernel": files.kernel}})
        r = subprocess.run([BIN, "catalog", "dump", "--catalog", path],
                           capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r)
        vboots = {i["serverImageProductCode"]: i.get("boot")
                  for i in json.loads(r.stdout)["vpc"]["images"]}
        self.assertEqual(vboots[vpc_img], {"kernel": files.kernel})
        self.assertEqual([b for c, b in vboots.items() if c != vpc_img and b], [])
        path = write_catalog(os.path.join(files.dir, "vpc-bad.json"), {},
                             vpc_boots={vpc_img: {"disk": "rel.qcow2"}})
        r = subprocess.run([BIN, "catalog", "dump", "--catalog", path],
                           capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 1, r)
        self.assertIn('"vpc" image 4 (%s): "boot" paths must be absolute' % vpc_img,
                      r.stderr.decode())
        # the built-in catalogue has none: the simulator needs none
        r = subprocess.run([BIN, "catalog", "dump"], capture_output=True, timeout=30,
                           stdin=subprocess.DEVNULL)
        self.assertNotIn(b'"boot"', r.stdout)


if __name__ == "__main__":
    unittest.main()

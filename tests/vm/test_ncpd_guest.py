"""ncpd --driver libvirt against a real libvirtd (QEMU; TCG on these machines) and the tiny
guest of build-guest.sh, through the Server API over HTTP (issue 13). Run by run.sh
(make test-libvirt), which builds the guest, starts a private libvirtd and passes:
  NCPD_VM_URI           the daemon's URI
  NCPD_VM_GUEST         folder with vmlinuz, initrd.gz, cmdline
  NCPD_VM_DIR           an empty folder for the machines' files (--vm-dir)
  NCPD_VM_LIBVIRTD      command: "<cmd> kill|start <dir>" kills/restarts the daemon
  NCPD_VM_LIBVIRTD_DIR  its folder
  NCPD_BIN              the ncpd binary
The guest's init prints on its serial console (<vm-dir>/<no>/console.log) the hostname and
the user data it read from the NoCloud seed, its CPUs and memory, "power button pressed"
when acpid gets the button, and "ready" once it is up. The tests run in order and share
servers; each prints what it measured ([ MEASURE ] lines)."""

import base64
import os
import re
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))

from ncpd_harness import MSG, Daemon, no_list, wait_for  # noqa: E402
from lifecycle_util import (CHANGE_STATES, CREATE_STATES, FORMATS, LINUX_IMAGE,  # noqa: E402
                            REBOOT_STATES, START_STATES, STOP_STATES, TERMINATE_STATES,
                            ssh_line_from_pem)
from hv_util import HvCase, libvirt_args, write_catalog  # noqa: E402
from vpc_util import KVM_IMAGE, KVM_IMAGE_NO, VpcCase  # noqa: E402
from c_util import (DISK, DISK_ATTACH, DISK_CREATE, DISK_DELETE, DISK_DETACH,  # noqa: E402
                    DISK_RESIZE, GiB, ResourceCase, nlist)

URI = os.environ.get("NCPD_VM_URI", "")
GUEST = os.environ.get("NCPD_VM_GUEST", "")
VM_DIR = os.environ.get("NCPD_VM_DIR", "")
LIBVIRTD = os.environ.get("NCPD_VM_LIBVIRTD", "")
LIBVIRTD_DIR = os.environ.get("NCPD_VM_LIBVIRTD_DIR", "")

STOP_TIMEOUT = 15        # --stop-timeout of these tests
BOOT_WAIT = 150          # a boot under TCG on a loaded 2-core machine
MiB = 1 << 20
SMALL = "SPSVRGUEST000001"   # 1 vCPU, 256 MiB
LARGE = "SPSVRGUEST000002"   # 2 vCPU, 384 MiB
BASE = 1 << 30               # root disk of every server

ANY_RUN_STOP = {("RUN", "NULL"): "running", ("NSTOP", "NULL"): "stopped"}


def product(code, cpus, mem):
    return {"productCode": code, "productName": "vCPU %d, Memory %d MiB" % (cpus, mem // MiB),
            "productDescription": "test guest", "productType": "MICRO" if cpus == 1 else "COMPT",
            "cpuCount": cpus, "memorySize": mem, "baseBlockStorageSize": BASE, "diskType": "NET",
            "diskDetailType": "HDD", "generationCode": "G1", "addBlockStorageSize": 0}


def measure(what, seconds):
    print("[ MEASURE  ] %s: %.2f s" % (what, seconds), flush=True)


def virsh(*args):
    return subprocess.run(["virsh", "-q", "-c", URI] + list(args), capture_output=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def domstate(no):
    r = virsh("domstate", "ncpd-%s" % no)
    return r.stdout.decode().strip() if r.returncode == 0 else None


def libvirtd(what):
    r = subprocess.run("%s %s '%s' >/dev/null" % (LIBVIRTD, what, LIBVIRTD_DIR), shell=True,
                       timeout=120)
    if r.returncode != 0:
        raise AssertionError("libvirtd %s failed" % what)


def console(no):
    try:
        with open(os.path.join(VM_DIR, str(no), "console.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_console(no, text, n=1, timeout=BOOT_WAIT):
    """Waits until the console of server no holds text n times; returns the monotonic time."""
    try:
        wait_for(lambda: console(no).count(text) >= n, timeout=timeout, interval=0.05,
                 message="console of %s to show %r %d times" % (no, text, n))
    except AssertionError:
        sys.stderr.write("---- console of %s ----\n%s\n----\n" % (no, console(no)[-3000:]))
        raise
    return time.monotonic()


def last_value(no, key):
    vals = re.findall(r"ncpd-guest: %s=(\S*)" % re.escape(key), console(no))
    return vals[-1] if vals else None


@unittest.skipUnless(URI and GUEST and VM_DIR and LIBVIRTD, "run through tests/vm/run.sh")
class GuestTest(HvCase, ResourceCase):
    """One walk over real machines, in order."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(GUEST, "cmdline")) as f:
            cmdline = f.read().strip()
        cls.catalog = write_catalog(os.path.join(VM_DIR, "catalog.json"), {
            LINUX_IMAGE: {"kernel": os.path.join(GUEST, "vmlinuz"),
                          "initrd": os.path.join(GUEST, "initrd.gz"), "cmdline": cmdline}},
            products=[product(SMALL, 1, 256 * MiB), product(LARGE, 2, 384 * MiB)],
            base_size=BASE)
        cls.d = cls.new_class_daemon(fixture=None, extra_args=libvirt_args(
            cls.catalog, URI, VM_DIR, ["--stop-timeout", str(STOP_TIMEOUT)]))
        cls.c = cls.d.client()
        r = cls.c.call("createLoginKey", [("keyName", "guest-key")], fmt="json")
        assert r.status == 200, r
        cls.priv = r.json()["createLoginKeyResponse"]["privateKey"]
        cls.nos = {}

    def setUp(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def new_server(self, name, user_data=None, product=SMALL):
        params = [("serverImageProductCode", LINUX_IMAGE), ("serverProductCode", product),
                  ("serverName", name), ("loginKeyName", "guest-key")]
        if user_data is not None:
            params.append(("userData", base64.b64encode(user_data.encode()).decode()))
        (s,) = self.create(self.c, params)
        self.check_server_item(s, "INIT", "NULL", "init")
        self.nos[name] = s["serverInstanceNo"]
        return s["serverInstanceNo"]

    def stop_and_wait(self, no):
        self.act(self.c, "stopServerInstances", [no], "json")
        self.observe(self.c, [no], ("NSTOP", "NULL"), STOP_STATES, timeout=60)

    # -- the walk ----------------------------------------------------------------

    def test_01_create_boots_with_hostname_and_user_data(self):
        t0 = time.monotonic()
        no = self.new_server("guest-a", "#!/bin/sh\necho user-data-marker-5c1e\n")
        self.observe(self.c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=60)
        t_run = time.monotonic()
        self.assertEqual(domstate(no), "running")
        t_ready = wait_console(no, "ncpd-guest: ready")
        measure("create to RUN (API)", t_run - t0)
        measure("create to guest init ready", t_ready - t0)
        # the domain: its name, account and number, serial console file
        x = virsh("dumpxml", "ncpd-%s" % no).stdout.decode()
        self.assertIn("<ncpd:no>%s</ncpd:no>" % no, x)
        self.assertRegex(x, r"<ncpd:account>\d+</ncpd:account>")
        self.assertIn(os.path.join(VM_DIR, no, "console.log"), x)
        # what the guest read from its seed
        c = console(no)
        self.assertIn("ncpd-guest: hostname=guest-a", c)
        self.assertIn("ncpd-guest: instance-id=ncpd-%s" % no, c)
        self.assertIn("echo user-data-marker-5c1e", c)
        self.assertIn(ssh_line_from_pem(self.priv).split()[1], c)  # the login key's public key
        pw = self.root_password(self.c, no, self.priv)
        self.assertIn('password: "%s"' % pw, c)  # getRootPassword opens the machine
        self.assertEqual(last_value(no, "cpus"), "1")
        print("[ GUEST    ] hostname=guest-a, user data, login key and root password seen by "
              "the guest; cpus=%s mem-kb=%s" % (last_value(no, "cpus"),
                                                last_value(no, "mem-kb")), flush=True)

    def test_02_stop_is_the_power_button(self):
        no = self.nos["guest-a"]
        t0 = time.monotonic()
        self.assertEqual(self.act(self.c, "stopServerInstances", [no], "xml"),
                         {no: ("RUN", "SHTDN")})
        seen = self.observe(self.c, [no], ("NSTOP", "NULL"), STOP_STATES, timeout=60)
        t_nstop = time.monotonic()
        self.assertEqual(domstate(no), "shut off")  # NSTOP only once the domain is off
        self.assertIn("ncpd-guest: power button pressed", console(no))
        self.assertLess(t_nstop - t0, STOP_TIMEOUT, "the guest did it, not the timeout")
        self.assertIn((no, "RUN", "SHTDN", "shutting down"), seen)
        measure("stop to NSTOP (API)", t_nstop - t0)

    def test_03_start_and_reboot(self):
        no = self.nos["guest-a"]
        t0 = time.monotonic()
        self.assertEqual(self.act(self.c, "startServerInstances", [no], "json"),
                         {no: ("NSTOP", "START")})
        self.observe(self.c, [no], ("RUN", "NULL"), START_STATES, timeout=60)
        measure("start to RUN (API)", time.monotonic() - t0)
        wait_console(no, "ncpd-guest: ready", 2)
        t0 = time.monotonic()
        self.assertEqual(self.act(self.c, "rebootServerInstances", [no], "xml"),
                         {no: ("RUN", "RESTA")})
        self.observe(self.c, [no], ("RUN", "NULL"), REBOOT_STATES, timeout=60)
        measure("reboot to RUN (API)", time.monotonic() - t0)
        # RUN again only after the restart: the guest had the button by then
        self.assertEqual(console(no).count("ncpd-guest: power button pressed"), 2)
        wait_console(no, "ncpd-guest: ready", 3)
        measure("reboot to guest init ready", time.monotonic() - t0)

    def test_04_change_spec_then_start(self):
        no = self.nos["guest-a"]
        self.stop_and_wait(no)
        inner = self.call_ok(self.c, "changeServerInstanceSpec",
                             [("serverInstanceNo", no), ("serverProductCode", LARGE)], fmt="xml")
        self.check_server_item(inner["serverInstanceList"][0], "NSTOP", "CHNG", "changingSpec")
        self.observe(self.c, [no], ("NSTOP", "NULL"), CHANGE_STATES, timeout=30)
        s = self.server(self.c, no)
        self.assertEqual((s["cpuCount"], s["memorySize"]), (2, 384 * MiB))
        self.assertIn("<vcpu placement='static'>2</vcpu>",
                      virsh("dumpxml", "--inactive", "ncpd-%s" % no).stdout.decode())
        self.act(self.c, "startServerInstances", [no], "json")
        self.observe(self.c, [no], ("RUN", "NULL"), START_STATES, timeout=60)
        wait_console(no, "ncpd-guest: ready", 4)
        self.assertEqual(last_value(no, "cpus"), "2")
        self.assertGreater(int(last_value(no, "mem-kb")), 300 * 1024)
        print("[ GUEST    ] after changeServerInstanceSpec: cpus=%s mem-kb=%s"
              % (last_value(no, "cpus"), last_value(no, "mem-kb")), flush=True)

    def test_05_terminate_leaves_nothing(self):
        no = self.nos["guest-a"]
        self.stop_and_wait(no)
        self.assertEqual(self.act(self.c, "terminateServerInstances", [no], "json"),
                         {no: ("NSTOP", "TERMT")})
        self.observe(self.c, [no], None, TERMINATE_STATES, gone=True, timeout=30)
        self.assertNotEqual(virsh("dominfo", "ncpd-%s" % no).returncode, 0, "domain left")
        self.assertFalse(os.path.exists(os.path.join(VM_DIR, no)), "files left")

    def test_06_guest_powers_itself_off_then_changed_outside_ncpd(self):
        no = self.new_server("guest-self", "#ncpd-guest poweroff-after=2\n")
        self.observe(self.c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=60)
        wait_console(no, "ncpd-guest: powering off by itself")
        self.observe(self.c, [no], ("NSTOP", "NULL"), ANY_RUN_STOP, timeout=60)
        self.assertEqual(domstate(no), "shut off")
        self.assertRegex(self.d.log_tail(50000), r"event=hv_drift server=%s from=RUN to=NSTOP"
                         % no)
        # an operator starts it with virsh: RUN (it powers itself off again later)
        self.assertEqual(virsh("start", "ncpd-%s" % no).returncode, 0)
        self.observe(self.c, [no], ("RUN", "NULL"), ANY_RUN_STOP, timeout=30)
        self.assertRegex(self.d.log_tail(50000), r"event=hv_drift server=%s from=NSTOP to=RUN"
                         % no)
        wait_console(no, "ncpd-guest: powering off by itself", 2)
        self.observe(self.c, [no], ("NSTOP", "NULL"), ANY_RUN_STOP, timeout=60)
        # then undefines it: FSTOP; defines and starts it again: back to RUN
        xml = virsh("dumpxml", "--inactive", "ncpd-%s" % no).stdout
        self.assertEqual(virsh("undefine", "ncpd-%s" % no).returncode, 0)
        fstop = {**ANY_RUN_STOP, ("FSTOP", "NULL"): "repairing"}
        self.observe(self.c, [no], ("FSTOP", "NULL"), fstop, timeout=30)
        for fmt in FORMATS:
            self.call_err(self.c, "startServerInstances", no_list([no]), fmt, 25041,
                          MSG["25041"])
        path = os.path.join(VM_DIR, "ncpd-%s.xml" % no)
        with open(path, "wb") as f:
            f.write(xml)
        self.assertEqual(virsh("define", path).returncode, 0)
        self.assertEqual(virsh("start", "ncpd-%s" % no).returncode, 0)
        self.observe(self.c, [no], ("RUN", "NULL"), fstop, timeout=30)
        self.assertRegex(self.d.log_tail(50000), r"event=hv_drift server=%s from=FSTOP to=RUN"
                         % no)
        wait_console(no, "ncpd-guest: powering off by itself", 3)
        self.observe(self.c, [no], ("NSTOP", "NULL"), ANY_RUN_STOP, timeout=60)
        self.act(self.c, "terminateServerInstances", [no], "json")
        self.observe(self.c, [no], None, TERMINATE_STATES, gone=True, timeout=30)
        self.assertFalse(os.path.exists(os.path.join(VM_DIR, no)))

    def test_07_guest_ignoring_the_button_is_forced_off(self):
        no = self.new_server("guest-deaf", "#ncpd-guest ignore-power-button\n")
        self.observe(self.c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=60)
        wait_console(no, "ncpd-guest: ready")
        t0 = time.monotonic()
        self.act(self.c, "stopServerInstances", [no], "json")
        self.observe(self.c, [no], ("NSTOP", "NULL"), STOP_STATES, timeout=STOP_TIMEOUT + 60)
        took = time.monotonic() - t0
        measure("stop of a guest ignoring the button to NSTOP (forced off)", took)
        self.assertGreaterEqual(took, STOP_TIMEOUT - 0.5)
        self.assertIn("libvirt: ncpd-%s still running %d s after the power button; forcing it "
                      "off" % (no, STOP_TIMEOUT), self.d.log_tail(50000))

    def test_08_kill9_in_the_middle_of_a_stop(self):
        deaf = self.nos["guest-deaf"]  # stopped by test_07: it ignores the button
        plain = self.new_server("guest-k")
        self.act(self.c, "startServerInstances", [deaf], "json")
        self.observe(self.c, [plain, deaf], ("RUN", "NULL"),
                     {**CREATE_STATES, **START_STATES}, timeout=60)
        wait_console(plain, "ncpd-guest: ready")
        wait_console(deaf, "ncpd-guest: ready", 2)
        self.assertEqual(self.act(self.c, "stopServerInstances", [plain, deaf], "json"),
                         {plain: ("RUN", "SHTDN"), deaf: ("RUN", "SHTDN")})
        self.d.kill9()  # the guests go on; the deaf one's stop timeout died with ncpd
        t0 = time.monotonic()
        self.d.start()
        self.observe(self.c, [plain], ("NSTOP", "NULL"), STOP_STATES, timeout=60)
        self.assertEqual(domstate(plain), "shut off")
        # after the restart, the stop still waiting on a running machine: pressed again,
        # then forced off when its (new) timeout passes
        wait_for(lambda: "event=hv_press server=%s" % deaf in self.d.log_tail(50000),
                 timeout=30, message="the button pressed again")
        self.observe(self.c, [deaf], ("NSTOP", "NULL"), STOP_STATES, timeout=STOP_TIMEOUT + 60)
        took = time.monotonic() - t0
        measure("restart after kill -9 to NSTOP of a guest ignoring the button", took)
        self.assertGreaterEqual(took, STOP_TIMEOUT - 0.5)
        self.assertEqual(domstate(deaf), "shut off")
        self.act(self.c, "terminateServerInstances", [plain, deaf], "json")
        self.observe(self.c, [plain, deaf], None, TERMINATE_STATES, gone=True, timeout=30)

    def test_09_libvirtd_killed_and_restarted(self):
        r1 = self.new_server("guest-r1")
        down = self.new_server("guest-down", "#ncpd-guest poweroff-after=8\n")
        keep = self.new_server("guest-keep")
        self.observe(self.c, [r1, down, keep], ("RUN", "NULL"), CREATE_STATES, timeout=90)
        for no in (r1, down, keep):
            wait_console(no, "ncpd-guest: ready")
        self.act(self.c, "stopServerInstances", [r1], "json")
        libvirtd("kill")
        t_kill = time.monotonic()
        # requests that need libvirtd: 1300 at once, nothing changed
        before = set(self.c.server_map())
        for fmt in FORMATS:
            t0 = time.monotonic()
            self.call_err(self.c, "stopServerInstances", no_list([keep]), fmt, 1300, MSG["1300"],
                          http_status=500)
            self.assertLess(time.monotonic() - t0, 2.0, "1300 promptly")
            self.call_err(self.c, "createServerInstances",
                          [("serverImageProductCode", LINUX_IMAGE), ("serverName", "out-" + fmt)],
                          fmt, 1300, MSG["1300"], http_status=500)
        self.assertEqual(set(self.c.server_map()), before, "nothing created")
        self.assertRegex(self.d.log_tail(50000),
                         r"event=hv_refused server=\d+ op=stop detail=libvirt: not connected to "
                         r"qemu:///system")
        # reads keep working
        self.assert_state(self.c, keep, "RUN", "NULL")
        self.assert_state(self.c, r1, "RUN", "SHTDN")
        # meanwhile a guest powers itself off and the one asked to stop does
        wait_console(down, "ncpd-guest: powering off by itself", timeout=60)
        wait_console(r1, "ncpd-guest: power button pressed", timeout=60)
        libvirtd("start")
        t_up = time.monotonic()
        self.observe(self.c, [r1, down], ("NSTOP", "NULL"),
                     {**STOP_STATES, ("RUN", "NULL"): "running"}, timeout=60)
        measure("libvirtd back to everything reconciled", time.monotonic() - t_up)
        measure("libvirtd outage, kill to reconciled", time.monotonic() - t_kill)
        log = self.d.log_tail(100000)
        self.assertIn("libvirt: reconnected to", log)
        self.assertRegex(log, r"event=hv_drift server=%s from=RUN to=NSTOP" % down)
        self.assert_state(self.c, keep, "RUN", "NULL")
        self.assertEqual(domstate(keep), "running")
        # and the walk goes on
        self.stop_and_wait(keep)
        nos = [r1, down, keep]
        self.act(self.c, "terminateServerInstances", nos, "json")
        self.observe(self.c, nos, None, TERMINATE_STATES, gone=True, timeout=30)
        for no in nos:
            self.assertNotEqual(virsh("dominfo", "ncpd-%s" % no).returncode, 0)

    def disk_seen(self, no, disk, size):
        """Waits until the guest of server no lists block device serial ncpd-<disk> of size
        bytes (its init prints disks= whenever the set changes)."""
        pat = re.compile(r":%d:ncpd-%s(,|$)" % (size, disk))
        wait_for(lambda: pat.search(last_value(no, "disks") or ""), timeout=60, interval=0.05,
                 message="the guest of %s to list disk %s of %d bytes (disks=%s)"
                 % (no, disk, size, last_value(no, "disks")))
        return time.monotonic()

    def disk_unseen(self, no, disk):
        wait_for(lambda: "ncpd-%s" % disk not in (last_value(no, "disks") or "ncpd-"),
                 timeout=60, interval=0.05,
                 message="the guest of %s to let go of disk %s (disks=%s)"
                 % (no, disk, last_value(no, "disks")))
        return time.monotonic()

    def volume(self, disk):
        return os.path.join(VM_DIR, str(disk), "volume.qcow2")

    def test_10_block_storage_live_in_the_guest_and_gone_with_its_server(self):
        no = self.new_server("guest-disk", product=LARGE)  # micro servers take no disks (10723)
        self.observe(self.c, [no], ("RUN", "NULL"), CREATE_STATES, timeout=60)
        wait_console(no, "ncpd-guest: ready")
        # created on a running server: the guest sees the new disk (hot plug)
        t0 = time.monotonic()
        inner = self.call_fmt(self.c, "createBlockStorageInstance",
                              [("serverInstanceNo", no), ("blockStorageSize", "10"),
                               ("blockStorageName", "gdisk1")], "xml")
        d1 = inner["blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        self.observe_res(self.c, DISK, [d1], ("ATTAC", "NULL"), DISK_CREATE, timeout=60)
        measure("createBlockStorageInstance to ATTAC (API)", time.monotonic() - t0)
        # the hypervisor's call returned once the disk was there: no timer to wait for, and
        # the server's disk work (SETUP) ended with it
        self.assert_state(self.c, no, "RUN", "NULL")
        t_seen = self.disk_seen(no, d1, 10 * GiB)
        measure("createBlockStorageInstance to the guest listing the disk", t_seen - t0)
        self.assertTrue(os.path.exists(self.volume(d1)))
        self.assertIn("ncpd-%s" % d1, virsh("dumpxml", "--inactive", "ncpd-%s" % no)
                      .stdout.decode(), "kept in the persistent definition too")
        # detached live: the guest lets go, the volume stays
        t0 = time.monotonic()
        self.call_fmt(self.c, "detachBlockStorageInstances",
                      nlist("blockStorageInstanceNoList", [d1]), "json")
        self.observe_res(self.c, DISK, [d1], ("CREAT", "NULL"), DISK_DETACH, timeout=60)
        measure("detach to CREAT (API)", time.monotonic() - t0)
        measure("detach to the guest no longer listing the disk",
                self.disk_unseen(no, d1) - t0)
        self.assertTrue(os.path.exists(self.volume(d1)))
        self.assertNotIn("ncpd-%s" % d1, virsh("dumpxml", "ncpd-%s" % no).stdout.decode())
        # resized while detached, attached again: the guest sees the new size
        self.call_fmt(self.c, "changeBlockStorageVolumeSize",
                      [("blockStorageInstanceNo", d1), ("blockStorageSize", "20")], "xml")
        self.observe_res(self.c, DISK, [d1], ("CREAT", "NULL"), DISK_RESIZE, timeout=60)
        self.call_fmt(self.c, "attachBlockStorageInstance",
                      [("serverInstanceNo", no), ("blockStorageInstanceNo", d1)], "json")
        self.observe_res(self.c, DISK, [d1], ("ATTAC", "NULL"), DISK_ATTACH, timeout=60)
        self.disk_seen(no, d1, 20 * GiB)
        # a second disk beside it, and a third one deleted once detached: its files go
        inner = self.call_fmt(self.c, "createBlockStorageInstance",
                              [("serverInstanceNo", no), ("blockStorageSize", "10")], "json")
        d2 = inner["blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        inner = self.call_fmt(self.c, "createBlockStorageInstance",
                              [("serverInstanceNo", no), ("blockStorageSize", "10")], "json")
        d3 = inner["blockStorageInstanceList"][0]["blockStorageInstanceNo"]
        self.observe_res(self.c, DISK, [d2, d3], ("ATTAC", "NULL"), DISK_CREATE, timeout=60)
        self.disk_seen(no, d2, 10 * GiB)
        self.disk_seen(no, d3, 10 * GiB)
        self.disk_seen(no, d1, 20 * GiB)
        self.call_fmt(self.c, "detachBlockStorageInstances",
                      nlist("blockStorageInstanceNoList", [d3]), "json")
        self.observe_res(self.c, DISK, [d3], ("CREAT", "NULL"), DISK_DETACH, timeout=60)
        self.disk_unseen(no, d3)
        self.call_fmt(self.c, "deleteBlockStorageInstances",
                      nlist("blockStorageInstanceNoList", [d3]), "json")
        self.observe_res(self.c, DISK, [d3], None, DISK_DELETE, gone=True, timeout=60)
        self.assertFalse(os.path.exists(os.path.join(VM_DIR, str(d3))), "volume left")
        print("[ GUEST    ] disks=%s" % last_value(no, "disks"), flush=True)
        # terminating the server takes its attached disks along: no domain, no files
        self.stop_and_wait(no)
        self.act(self.c, "terminateServerInstances", [no], "xml")
        self.observe(self.c, [no], None, TERMINATE_STATES, gone=True, timeout=30)
        self.assertNotEqual(virsh("dominfo", "ncpd-%s" % no).returncode, 0, "domain left")
        left = [n for n in (no, d1, d2) if os.path.exists(os.path.join(VM_DIR, str(n)))]
        self.assertEqual(left, [], "files left")
        self.assertEqual([i for i in self.items(self.c, DISK)
                          if i["blockStorageInstanceNo"] in (d1, d2)], [])


@unittest.skipUnless(URI and GUEST and VM_DIR and LIBVIRTD, "run through tests/vm/run.sh")
class VpcGuestTest(VpcCase):
    """A VPC server (/vserver/v2) on the same real machines: its image's boot source comes
    from the catalogue's "vpc" part; the guest reads the server name as its hostname and
    the server's init script as its user data; stop is the power button."""

    STEP_MS = 250  # VPC and subnet creation stay timed; servers follow their machines

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(GUEST, "cmdline")) as f:
            cmdline = f.read().strip()
        boot = {"kernel": os.path.join(GUEST, "vmlinuz"),
                "initrd": os.path.join(GUEST, "initrd.gz"), "cmdline": cmdline}
        cls.catalog = write_catalog(os.path.join(VM_DIR, "catalog-vpc.json"), {},
                                    vpc_boots={KVM_IMAGE: boot})
        cls.d = cls.new_class_daemon(fixture=None, sim_step_ms=cls.STEP_MS,
                                     extra_args=libvirt_args(
                                         cls.catalog, URI, VM_DIR,
                                         ["--stop-timeout", str(STOP_TIMEOUT)]))
        cls.c = cls.d.client()
        cls._seq = 0

    def test_vpc_server_boots_reads_its_init_script_and_stops_by_the_button(self):
        c = self.c
        key, pem = self.make_key(c)
        script = "#!/bin/sh\necho vpc-init-script-marker-91d2\n"
        sno = self.one(c, "vserver", "createInitScript",
                       [("initScriptContent", script), ("initScriptName", "guest-init")])[
                           "initScriptNo"]
        v = self.make_vpc(c, "10.70.0.0/16")
        sub = self.make_subnet(c, v, "10.70.1.0/24")
        t0 = time.monotonic()
        no = self.make_server(c, v, sub, extra=[("serverName", "vpc-guest"),
                                                ("loginKeyName", key), ("initScriptNo", sno)],
                              image=[("serverImageNo", KVM_IMAGE_NO), ("serverSpecCode", "c2-g3")])
        measure("VPC create to RUN (API)", time.monotonic() - t0)
        self.assertEqual(domstate(no), "running")
        measure("VPC create to guest init ready",
                wait_console(no, "ncpd-guest: ready") - t0)
        con = console(no)
        self.assertIn("ncpd-guest: hostname=vpc-guest", con)
        self.assertIn("ncpd-guest: instance-id=ncpd-%s" % no, con)
        self.assertIn("echo vpc-init-script-marker-91d2", con)
        self.assertIn(ssh_line_from_pem(pem).split()[1], con)
        pw = self.ok(c, "vserver", "getRootPassword",
                     [("serverInstanceNo", no), ("privateKey", pem)])["rootPassword"]
        self.assertIn('password: "%s"' % pw, con)
        cpus = last_value(no, "cpus")
        self.assertEqual(cpus, "2")  # c2-g3
        t0 = time.monotonic()
        self.stop(c, no)
        measure("VPC stop to NSTOP (API)", time.monotonic() - t0)
        self.assertEqual(domstate(no), "shut off")
        self.assertIn("ncpd-guest: power button pressed", console(no))
        self.terminate(c, no)
        self.assertNotEqual(virsh("dominfo", "ncpd-%s" % no).returncode, 0, "domain left")
        self.assertFalse(os.path.exists(os.path.join(VM_DIR, str(no))), "files left")
        print("[ GUEST    ] VPC server: hostname, init script, login key and root password "
              "seen by the guest; cpus=%s" % cpus, flush=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)

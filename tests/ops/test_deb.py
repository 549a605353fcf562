"""`make deb` (issue 16): ncpd_VERSION_amd64.deb built with dpkg-buildpackage,
inspected (dpkg-deb -c / -f, lintian: no error, warnings printed), and, when running
as root on a machine where no ncpd package is installed yet, installed with dpkg -i:
user, state directory and configuration file created, `ncpd --version` the package's
version, the unit verified, the daemon started by hand with the packaged
configuration as the ncpd user, then the package purged."""

import fcntl
import glob
import grp
import os
import pwd
import re
import shutil
import stat
import tempfile
import time
import unittest

from ops_common import (JOBS, REPO, Started, changelog_version, clean_env, free_port, has,
                        run, signed_call, verify_unit)

OUT = os.path.join(REPO, "build-deb-test")


def dpkg(*args):
    """dpkg, retried while another dpkg/apt holds the lock (shared machines)."""
    deadline = time.monotonic() + 300
    while True:
        rc, out, err = run(["dpkg"] + list(args), check=False)
        if rc == 0 or "lock" not in (out + err) or time.monotonic() > deadline:
            if rc != 0:
                raise AssertionError("dpkg %s failed:\n%s%s" % (" ".join(args), out, err))
            return out
        time.sleep(3)


class DebTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        run(["make", "-C", REPO, "--no-print-directory", "deb", "DEB_OUT=build-deb-test",
             "JOBS=" + JOBS], env=clean_env())
        cls.addClassCleanup(shutil.rmtree, OUT, True)
        cls.version = changelog_version()
        cls.deb = os.path.join(OUT, "ncpd_%s_amd64.deb" % cls.version)

    def test_contents_and_fields(self):
        self.assertTrue(os.path.isfile(self.deb), glob.glob(OUT + "/*"))
        rc, listing, _ = run(["dpkg-deb", "-c", self.deb])
        files = {}
        for line in listing.splitlines():
            parts = line.split()
            files[parts[-1].lstrip(".")] = (parts[0], parts[1])
        for path in ("/usr/sbin/ncpd", "/usr/bin/ncpctl"):
            self.assertEqual(files[path], ("-rwxr-xr-x", "root/root"), path)
        for path in ("/etc/ncpd/ncpd.conf", "/lib/systemd/system/ncpd.service",
                     "/usr/share/man/man8/ncpd.8.gz", "/usr/share/man/man1/ncpctl.1.gz",
                     "/usr/share/bash-completion/completions/ncpctl",
                     "/usr/share/doc/ncpd/copyright", "/usr/share/doc/ncpd/changelog.gz"):
            self.assertIn(path, files)
        outside = [p for p in files if not p.startswith(("/usr/", "/etc/", "/lib/", "/"))
                   or p.startswith(("/work", "/tmp", "/home", "/root"))]
        self.assertEqual(outside, [])
        rc, fields, _ = run(["dpkg-deb", "-f", self.deb, "Package", "Version", "Architecture",
                             "Depends"])
        self.assertIn("Version: %s\n" % self.version, fields)
        self.assertIn("Architecture: amd64\n", fields)
        for dep in ("adduser", "libmicrohttpd12", "libgnutls30", "libsqlite3-0", "libcurl4"):
            self.assertIn(dep, fields)
        rc, control, _ = run(["dpkg-deb", "-e", self.deb, os.path.join(OUT, "control")])
        with open(os.path.join(OUT, "control", "conffiles")) as f:
            self.assertEqual(f.read().split(), ["/etc/ncpd/ncpd.conf"])

    def test_lintian(self):
        if not has("lintian"):
            self.skipTest("lintian is not installed")
        rc, out, err = run(["lintian", "--display-info", "--pedantic", self.deb], check=False)
        tags = [ln for ln in out.splitlines() if re.match(r"^[EWIPX]: ", ln)]
        print("\nlintian %s: %s" % (os.path.basename(self.deb),
                                    "\n  ".join([""] + tags) if tags else "no tags"))
        self.assertEqual([t for t in tags if t.startswith("E: ")], [])
        self.assertEqual([t for t in tags if t.startswith("W: ")], [])

    def test_install_start_remove(self):
        if os.geteuid() != 0:
            self.skipTest("dpkg -i needs root")
        # one installation test at a time on this machine (parallel CI runs share dpkg)
        lock = open("/tmp/ncpd-deb-install-test.lock", "w")
        self.addCleanup(lock.close)
        fcntl.flock(lock, fcntl.LOCK_EX)
        rc, out, _ = run(["dpkg-query", "-W", "-f", "${Status}", "ncpd"], check=False)
        if "installed" in out and "not-installed" not in out:
            self.skipTest("an ncpd package is already installed here; not touching it")
        had_user = self.user_exists()
        self.addCleanup(self.purge, had_user)
        dpkg("-i", self.deb)
        # user, state directory, configuration file
        user = pwd.getpwnam("ncpd")
        self.assertEqual(user.pw_dir, "/var/lib/ncpd")
        self.assertIn(user.pw_shell, ("/usr/sbin/nologin", "/bin/false"))
        self.assertLess(user.pw_uid, 1000)
        st = os.stat("/var/lib/ncpd")
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (user.pw_uid, 0o750))
        st = os.stat("/etc/ncpd/ncpd.conf")
        self.assertEqual((st.st_uid, grp.getgrgid(st.st_gid).gr_name, stat.S_IMODE(st.st_mode)),
                         (0, "ncpd", 0o640))
        # the version is the package's
        rc, pkgver, _ = run(["dpkg-query", "-W", "-f", "${Version}", "ncpd"])
        self.assertEqual(run(["/usr/sbin/ncpd", "--version"])[1], "ncpd %s\n" % pkgver)
        self.assertEqual(run(["/usr/bin/ncpctl", "--version"])[1], "ncpctl %s\n" % pkgver)
        # the installed build reads /etc/ncpd/ncpd.conf by default; the tree's does not
        rc, out, _ = run(["/usr/sbin/ncpd", "config", "show"], env=clean_env())
        self.assertIn("# config: /etc/ncpd/ncpd.conf (default)", out)
        self.assertIn("db = /var/lib/ncpd/ncpd.db", out)
        tree = os.path.join(REPO, "build", "ncpd")
        if os.path.exists(tree):
            rc, out, _ = run([tree, "config", "show"], env=clean_env())
            self.assertIn("# config: none (default)", out)
        out = verify_unit("/lib/systemd/system/ncpd.service")
        if out is not None:
            print("\nsystemd-analyze verify /lib/systemd/system/ncpd.service: %s"
                  % (out.strip() or "clean"))
            self.assertEqual(out.strip(), "")
        # started by hand, as the service would: user ncpd, the packaged configuration
        # (only the port moved, 8080 may be taken here)
        port = free_port()
        tmp = tempfile.mkdtemp(prefix="ncpd-deb-run-")
        self.addCleanup(shutil.rmtree, tmp, True)
        os.chmod(tmp, 0o755)
        d = Started(["/usr/sbin/ncpd", "--listen", "127.0.0.1:%d" % port], clean_env(),
                    os.path.join(tmp, "log"), port, user="ncpd")
        try:
            text = d.text()
            self.assertIn("config=/etc/ncpd/ncpd.conf", text)
            ak = re.search(r"access_key=(\w+)", text).group(1)
            sk = re.search(r"secret_key=(\w+)", text).group(1)
            r = signed_call(port, ak, sk, "getRegionList")
            self.assertEqual(r.status, 200, r)
            self.assertTrue(os.path.exists("/var/lib/ncpd/ncpd.db"))
            st = os.stat("/var/lib/ncpd/ncpd.db.key")
            self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (user.pw_uid, 0o600))
        finally:
            self.assertEqual(d.stop(), 0)
        # remove keeps the configuration, purge takes it and the state directory
        dpkg("-r", "ncpd")
        self.assertFalse(os.path.exists("/usr/sbin/ncpd"))
        self.assertTrue(os.path.exists("/etc/ncpd/ncpd.conf"))
        dpkg("--purge", "ncpd")
        self.assertFalse(os.path.exists("/etc/ncpd/ncpd.conf"))
        self.assertFalse(os.path.exists("/var/lib/ncpd"))

    @staticmethod
    def user_exists():
        try:
            pwd.getpwnam("ncpd")
            return True
        except KeyError:
            return False

    def purge(self, had_user):
        run(["dpkg-query", "-W", "ncpd"], check=False)
        rc, out, _ = run(["dpkg-query", "-W", "-f", "${Status}", "ncpd"], check=False)
        if rc == 0 and "not-installed" not in out:
            dpkg("--purge", "ncpd")
        if not had_user and self.user_exists():
            run(["userdel", "ncpd"], check=False)


if __name__ == "__main__":
    unittest.main()

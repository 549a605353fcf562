"""`make install DESTDIR=tmp` (issue 16): what is installed where, and the installed
binaries run: the daemon with the installed configuration file, ncpctl against it,
the man pages (every option, signal and exit code), the bash completion, the
systemd unit (systemd-analyze verify on it, paths pointed into the staging root)."""

import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

from ops_common import (JOBS, REPO, Started, changelog_version, clean_env, free_port,
                        groff_warnings, man_text, run, signed_call, verify_unit)

PREFIX = "/usr/local"


class InstallTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dest = tempfile.mkdtemp(prefix="ncpd-install-")
        cls.addClassCleanup(shutil.rmtree, cls.dest, True)
        run(["make", "-C", REPO, "--no-print-directory", "install", "DESTDIR=" + cls.dest,
             "PREFIX=" + PREFIX, "JOBS=" + JOBS], env=clean_env())
        cls.root = cls.dest + PREFIX
        cls.ncpd = os.path.join(cls.root, "sbin", "ncpd")
        cls.ncpctl = os.path.join(cls.root, "bin", "ncpctl")
        cls.conf = os.path.join(cls.root, "etc", "ncpd", "ncpd.conf")

    def test_files_in_place(self):
        expect = {
            "sbin/ncpd": 0o755, "bin/ncpctl": 0o755,
            "share/man/man8/ncpd.8": 0o644, "share/man/man1/ncpctl.1": 0o644,
            "etc/ncpd/ncpd.conf": 0o644, "lib/systemd/system/ncpd.service": 0o644,
            "share/bash-completion/completions/ncpctl": 0o644,
            "share/doc/ncpd/examples/ncpd.conf": 0o644,
        }
        for rel, mode in expect.items():
            path = os.path.join(self.root, rel)
            self.assertTrue(os.path.isfile(path), rel)
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), mode, rel)
        found = set()
        for d, _, files in os.walk(self.dest):
            found |= {os.path.relpath(os.path.join(d, f), self.root) for f in files}
        self.assertEqual(found - set(expect), {"share/doc/ncpd/examples/catalog.example.json"})

    def test_installed_binaries_run(self):
        v = changelog_version()
        self.assertEqual(run([self.ncpd, "--version"])[1], "ncpd %s\n" % v)
        self.assertEqual(run([self.ncpctl, "--version"])[1], "ncpctl %s\n" % v)
        rc, out, _ = run([self.ncpd, "config", "check", self.conf])
        self.assertEqual(out, "%s: ok\n" % self.conf)
        # the installed configuration, with the port and the database moved for the test
        tmp = tempfile.mkdtemp(prefix="ncpd-install-run-")
        self.addCleanup(shutil.rmtree, tmp, True)
        port = free_port()
        env = clean_env(NCPD_ACCESS_KEY="INSTALLEDKEY0000001", NCPD_SECRET_KEY="installed-secret")
        d = Started([self.ncpd, "--config", self.conf, "--listen", "127.0.0.1:%d" % port,
                     "--db", os.path.join(tmp, "ncpd.db"), "--fixture", "seed"], env,
                    os.path.join(tmp, "log"), port)
        try:
            self.assertIn("config=%s" % self.conf, d.text())
            r = signed_call(port, "INSTALLEDKEY0000001", "installed-secret", "getRegionList")
            self.assertEqual(r.status, 200, r)
            rc, out, err = run([self.ncpctl, "--endpoint", "http://127.0.0.1:%d" % port, "server",
                                "getServerInstanceList", "--query", "serverInstanceNo"],
                               env=clean_env(NCLOUD_ACCESS_KEY_ID="INSTALLEDKEY0000001",
                                             NCLOUD_SECRET_ACCESS_KEY="installed-secret",
                                             HOME=tmp))
            self.assertEqual(out.split(), ["1021003", "1021004", "1021005", "1021006"])
        finally:
            self.assertEqual(d.stop(), 0)
        self.assertIn("event=stop signal=SIGTERM", d.text())

    def test_installed_build_reads_its_configuration_by_default(self):
        # the compiled-in default is PREFIX/etc/ncpd/ncpd.conf (absent outside DESTDIR)
        rc, out, _ = run([self.ncpd, "config", "options"])
        self.assertIn("config", out)
        with open(self.ncpd, "rb") as f:
            self.assertIn(b"%s/etc/ncpd/ncpd.conf\0" % PREFIX.encode(), f.read())
        # the build tree's binary has none
        tree = os.path.join(REPO, "build", "ncpd")
        if os.path.exists(tree):
            with open(tree, "rb") as f:
                self.assertNotIn(b"/etc/ncpd/ncpd.conf\0", f.read())

    def test_reinstall_keeps_an_edited_configuration(self):
        with open(self.conf, "a") as f:
            f.write("threads = 7\n")
        rc, out, _ = run(["cmake", "--install", os.path.join(REPO, "build-install")],
                         env=clean_env(DESTDIR=self.dest))
        self.assertIn("Keeping: %s" % self.conf, out)
        with open(self.conf) as f:
            self.assertTrue(f.read().endswith("threads = 7\n"))
        run([self.ncpd, "config", "check", self.conf])

    def test_man_pages(self):
        for page in ("man8/ncpd.8", "man1/ncpctl.1"):
            path = os.path.join(self.root, "share", "man", page)
            self.assertEqual(groff_warnings(path), "", page)
        ncpd_page = man_text(os.path.join(self.root, "share/man/man8/ncpd.8"))
        flat = re.sub(r"\s+", " ", ncpd_page.replace("\u2010", "-").replace("-\n", "-"))
        rc, md, _ = run([self.ncpd, "config", "options", "--format", "markdown"])
        for line in md.splitlines()[2:]:
            cells = [c.strip().strip("`") for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            self.assertIn(cells[0].split(" ")[0], flat)
            self.assertIn(cells[1], flat.replace("‐", "-"))
        for word in ("SIGTERM", "SIGINT", "SIGHUP", "EXIT STATUS", "/etc/ncpd/ncpd.conf",
                     "NOTIFY_SOCKET", "config check", "/_ncpd/metrics"):
            self.assertIn(word, flat)
        ctl_page = re.sub(r"\s+", " ", man_text(os.path.join(self.root,
                                                             "share/man/man1/ncpctl.1")))
        rc, helptext, _ = run([self.ncpctl, "--help"])
        flags = set(re.findall(r"(--[a-z][a-z-]+)", helptext))
        self.assertGreaterEqual(flags, {"--ca-cert", "--insecure", "--endpoint", "--wait"})
        for flag in flags:
            self.assertIn(flag, ctl_page.replace("‐", "-"))
        for code in ("0", "1", "2", "3"):
            self.assertRegex(ctl_page, r"EXIT STATUS.* %s [A-Z]" % code)
        for env in ("NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_ACCESS_KEY", "NCLOUD_API_GW"):
            self.assertIn(env, ctl_page)

    def test_bash_completion(self):
        comp = os.path.join(self.root, "share/bash-completion/completions/ncpctl")
        rc, out, _ = run(["bash", "-c", "source %s && complete -p ncpctl && "
                          "COMP_WORDS=(ncpctl server stopSer); COMP_CWORD=2; _ncpctl && "
                          "echo ${COMPREPLY[@]}" % comp])
        self.assertIn("complete -F _ncpctl ncpctl", out)
        self.assertIn("stopServerInstances", out)

    def test_systemd_unit(self):
        unit = os.path.join(self.root, "lib/systemd/system/ncpd.service")
        with open(unit) as f:
            text = f.read()
        for line in ("Type=notify", "User=ncpd", "StateDirectory=ncpd", "NoNewPrivileges=yes",
                     "ProtectSystem=strict", "PrivateTmp=yes", "ProtectHome=yes",
                     "ExecStart=%s/sbin/ncpd --config %s/etc/ncpd/ncpd.conf" % (PREFIX, PREFIX),
                     "ExecReload=/bin/kill -HUP $MAINPID", "WantedBy=multi-user.target"):
            self.assertIn(line + "\n", text)
        out = verify_unit(unit, replace=[(PREFIX + "/", self.root + "/")],
                          manpath=os.path.join(self.root, "share", "man"))
        if out is None:
            self.skipTest("systemd-analyze is not installed")
        print("\nsystemd-analyze verify (installed unit, paths in DESTDIR): %s"
              % (out.strip() or "clean"))
        self.assertEqual(out.strip(), "")


class MissingPackagesTest(unittest.TestCase):
    """`make build` on a machine without the -dev packages: one line naming them and
    `make setup`, before CMake runs (dpkg-query stubbed to know no package)."""

    def test_one_line_and_no_cmake(self):
        tmp = tempfile.mkdtemp(prefix="ncpd-nopkg-")
        self.addCleanup(shutil.rmtree, tmp, True)
        stub = os.path.join(tmp, "dpkg-query")
        with open(stub, "w") as f:
            f.write("#!/bin/sh\nexit 1\n")
        os.chmod(stub, 0o755)
        env = clean_env(PATH=tmp + os.pathsep + os.environ["PATH"])
        for target in ("build", "install", "deb"):
            rc, out, err = run(["make", "-C", REPO, "--no-print-directory", target,
                                "BUILD=" + os.path.join(tmp, "b"),
                                "INSTALL_BUILD=" + os.path.join(tmp, "i"),
                                "DEB_OUT=" + os.path.join(tmp, "d")], env=env, check=False)
            self.assertEqual(rc, 2, target)
            lines = err.strip().splitlines()
            self.assertEqual(len(lines), 1, err)
            self.assertIn("missing Debian packages", lines[0])
            self.assertIn("libmicrohttpd-dev", lines[0])
            self.assertIn("libgnutls28-dev", lines[0])
            self.assertIn("run 'make setup'", lines[0])
            if target == "deb":
                self.assertIn("dpkg-dev", lines[0])
            self.assertEqual(out, "")
            self.assertEqual(sorted(os.listdir(tmp)), ["dpkg-query"])  # CMake never ran
        # with the packages there, the check is silent
        rc, out, err = run(["sh", os.path.join(REPO, "scripts", "setup.sh"), "--check", "build"],
                           check=False)
        self.assertEqual((rc, out, err), (0, "", ""))


if __name__ == "__main__":
    unittest.main()

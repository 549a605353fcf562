"""The configuration: one option table behind flags, environment, configuration
file, `ncpd config check|show|options`, the usage text and the man page (issue 16).

Every error case of the configuration file is checked for its exit status (2) and
its message: file name, line number and reason. Precedence is flags > environment >
file > defaults, checked on `config show` and on a running daemon."""

import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

from ncpd_harness import (ADMIN_TOKEN, BIN, REPO, SECRET_KEY, Daemon, NcpdTestCase, free_port,
                          no_list)
from ops_util import write_conf

SCRUB = ("NCPD_", "NOTIFY_SOCKET", "JOURNAL_STREAM")


def clean_env(**extra):
    e = {k: v for k, v in os.environ.items() if not k.startswith(SCRUB)}
    e.update(extra)
    return e


def ncpd(*args, env=None, timeout=30):
    r = subprocess.run([BIN] + list(args), env=env if env is not None else clean_env(),
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def show(*args, env=None):
    """`ncpd config show ARGS` -> {key: (value, source)} (secrets: '********')."""
    rc, out, err = ncpd("config", "show", *args, env=env)
    if rc != 0:
        raise AssertionError("config show failed rc=%d: %s" % (rc, err))
    vals = {}
    src = None
    for line in out.splitlines():
        m = re.match(r"^# from (.*)$", line)
        if m:
            src = m.group(1)
            continue
        m = re.match(r"^([a-z-]+) = (.*)$", line)
        if m:
            vals[m.group(1)] = (m.group(2), src)
            continue
        m = re.match(r"^# ([a-z-]+) = \*{8} \(secret, from (.*)\)$", line)
        if m:
            vals[m.group(1)] = ("********", m.group(2))
            continue
        m = re.match(r"^# ([a-z-]+) = \(unset\)$", line)
        if m:
            vals[m.group(1)] = (None, "default")
            continue
        m = re.match(r"^# config: (.*) \((.*)\)$", line)
        if m:
            vals["config"] = (m.group(1), m.group(2))
    return vals, out


def option_names():
    rc, out, _ = ncpd("config", "options", "--format", "markdown")
    assert rc == 0
    names = []
    for line in out.splitlines()[2:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
        flag = cells[0].strip("`").split(" ")[0]
        names.append((flag.lstrip("-"), flag.startswith("--"), cells[1].strip("`")))
    return names


class ConfigFileErrorsTest(unittest.TestCase):
    """`ncpd config check FILE` and a start with --config FILE refuse every bad file
    with FILE:LINE: reason and exit status 2."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ncpd-e2e-conf-")
        cls.addClassCleanup(shutil.rmtree, cls.dir, True)

    def check_error(self, text, line, *reason, name="bad.conf"):
        path = write_conf(self.dir, text, name=name)
        rc, out, err = ncpd("config", "check", path)
        self.assertEqual(rc, 2, "config check accepted %r: %s%s" % (text, out, err))
        prefix = "%s:%d: " % (path, line) if line else "%s: " % path
        self.assertIn(prefix, err, err)
        for r in reason:
            self.assertIn(r, err)
        self.assertEqual(len(err.strip().splitlines()), 1, "one line: %r" % err)
        return path, err

    def test_unknown_key_names_line_and_suggests(self):
        _, err = self.check_error("listen = 127.0.0.1:1\n\n# c\nthreds = 4\n", 4,
                                  "unknown key 'threds'", "did you mean 'threads'")

    def test_bad_values(self):
        cases = [
            ("threads = many\n", "threads", "'many' is not a non-negative integer"),
            ("threads = 0\n", "threads", "0 is out of range (1..256)"),
            ("threads = 257\n", "threads", "257 is out of range (1..256)"),
            ("threads = -3\n", "threads", "'-3' is not a non-negative integer"),
            ("max-body = 10\n", "max-body", "10 is out of range (64..1073741824)"),
            ("date-offset = 900\n", "date-offset", "900 is out of range (-720..840)"),
            ("date-offset = +9h\n", "date-offset", "'+9h' is not an integer"),
            ("log-requests = maybe\n", "log-requests", "'maybe' is not a boolean"),
            ("log-format = xml\n", "log-format", "'xml' is not one of kv|json"),
            ("fixture = prod\n", "fixture", "'prod' is not one of seed|none"),
            ("listen = localhost\n", "listen", "expected HOST:PORT"),
            ("listen = 127.0.0.1:99999\n", "listen", "the port must be a number 0..65535"),
            ("listen = [::1:80\n", "listen", "expected [IPv6]:PORT"),
            ("metrics-listen = :x\n", "metrics-listen", "expected HOST:PORT"),
            ("tls-cert = /nonexistent/cert.pem\ntls-key = /nonexistent/k\n", "tls-cert",
             "cannot read /nonexistent/cert.pem"),
            ("catalog = /nonexistent.json\n", "catalog", "cannot read"),
            ("db = \"\"\n", "db", "empty value"),
            ("access-key = %s\n" % ("A" * 64), "access-key", "longer than 63 bytes"),
        ]
        for text, key, reason in cases:
            with self.subTest(text=text):
                self.check_error("# first line\n" + text, 2, key + ": " + reason)

    def test_syntax_errors(self):
        self.check_error("listen 127.0.0.1:80\n", 1, "expected 'key = value'")
        self.check_error("a = 1\n", 1, "unknown key 'a'")
        self.check_error("   = 5\n", 1, "no key before '='")
        self.check_error("threads =\n", 1, "threads: empty value")
        self.check_error("threads = 4\nthreads = 5\n", 2, "threads is set twice (first on line 1)")
        self.check_error("max_conns = 4\nmax-conns = 5\n", 2, "max-conns is set twice")
        self.check_error("config = /etc/other.conf\n", 1,
                         "config cannot be set in a configuration file")
        self.check_error("db = x\n" + "# " + "y" * 5000 + "\n", 2, "longer than 4096 bytes")
        self.check_error(b"threads = 4\nlisten = 1\x00.0.0.1:1\n", 2, "NUL byte")
        self.check_error("listen = 127.0.0.1:1\x07\n", 1, "control characters")

    def test_file_level_errors(self):
        rc, _, err = ncpd("config", "check", os.path.join(self.dir, "missing.conf"))
        self.assertEqual(rc, 2)
        self.assertIn("missing.conf: cannot read the configuration file: No such file", err)
        rc, _, err = ncpd("config", "check", self.dir)
        self.assertEqual(rc, 2)
        self.assertIn("not a regular file", err)
        self.check_error("x" * (1 << 20) + "x\n", 0, "larger than 1048576 bytes",
                         name="huge.conf")
        # between options: tls-cert alone
        cert = write_conf(self.dir, "not a cert\n", name="cert.pem")
        self.check_error("tls-cert = %s\n" % cert, 0, "tls-cert is set but tls-key is not")
        rc, _, err = ncpd("config", "check")
        self.assertEqual(rc, 2)
        self.assertIn("usage: ncpd config check FILE", err)

    def test_start_with_a_bad_file_stops_with_its_error(self):
        path = write_conf(self.dir, "listen = 127.0.0.1:%d\nsim-step-ms = soon\n" % free_port(),
                          name="start.conf")
        rc, out, err = ncpd("--config", path, "--db", os.path.join(self.dir, "x.db"))
        self.assertEqual(rc, 2)
        self.assertIn("%s:2: sim-step-ms: 'soon' is not a non-negative integer" % path, err)
        self.assertNotIn("listening", out)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.db")))
        # the same through NCPD_CONFIG
        rc, _, err = ncpd(env=clean_env(NCPD_CONFIG=path))
        self.assertEqual(rc, 2)
        self.assertIn("%s:2:" % path, err)

    def test_good_file_syntax(self):
        path = write_conf(self.dir,
                          "# comment\r\n; other comment\r\n\r\n  listen   =   127.0.0.1:0  \r\n"
                          "max_body = 4096\r\nadmin-token = \" spaced # token \"\r\n"
                          "log-format = JSON\r\n", name="good.conf")
        rc, out, err = ncpd("config", "check", path)
        self.assertEqual((rc, out.strip()), (0, path + ": ok"), err)
        vals, _ = show("--config", path)
        self.assertEqual(vals["max-body"], ("4096", "%s:5" % path))
        self.assertEqual(vals["log-format"], ("json", "%s:7" % path))  # canonical spelling
        self.assertEqual(vals["admin-token"], ("********", "%s:6" % path))


class PrecedenceTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ncpd-e2e-conf-")
        cls.addClassCleanup(shutil.rmtree, cls.dir, True)

    def test_flags_over_env_over_file_over_defaults(self):
        path = write_conf(self.dir, "threads = 3\nmax-conns = 30\ntimeout = 7\n"
                                    "listen = 127.0.0.1:1111\n")
        env = clean_env(NCPD_CONFIG=path, NCPD_MAX_CONNS="40", NCPD_TIMEOUT="8")
        vals, out = show("--timeout", "9", env=env)
        self.assertEqual(vals["config"], (path, "NCPD_CONFIG"))
        self.assertEqual(vals["threads"], ("3", "%s:1" % path))      # file
        self.assertEqual(vals["max-conns"], ("40", "NCPD_MAX_CONNS"))  # env over file
        self.assertEqual(vals["timeout"], ("9", "--timeout"))          # flag over env
        self.assertEqual(vals["listen"], ("127.0.0.1:1111", "%s:4" % path))
        self.assertEqual(vals["max-body"], ("1048576", "default"))
        self.assertEqual(vals["tls-cert"], (None, "default"))
        # --config beats NCPD_CONFIG
        other = write_conf(self.dir, "threads = 5\n", name="other.conf")
        vals, _ = show("--config", other, env=env)
        self.assertEqual(vals["threads"], ("5", "%s:1" % other))
        self.assertEqual(vals["config"], (other, "--config"))
        # an empty variable counts as unset; --flag=value works like --flag value
        vals, _ = show("--threads=12", env=clean_env(NCPD_THREADS=""))
        self.assertEqual(vals["threads"], ("12", "--threads"))

    def test_show_output_is_a_valid_file_with_secrets_masked(self):
        env = clean_env(NCPD_ADMIN_TOKEN=ADMIN_TOKEN, NCPD_SECRET_KEY=SECRET_KEY,
                        NCPD_MASTER_KEY="m" * 40)
        vals, out = show("--listen", "[::1]:8080", env=env)
        for secret in (ADMIN_TOKEN, SECRET_KEY, "m" * 40):
            self.assertNotIn(secret, out)
        self.assertEqual(vals["admin-token"], ("********", "NCPD_ADMIN_TOKEN"))
        self.assertEqual(vals["listen"], ("[::1]:8080", "--listen"))
        path = write_conf(self.dir, out, name="shown.conf")
        rc, _, err = ncpd("config", "check", path)
        self.assertEqual(rc, 0, err)
        vals2, _ = show("--config", path)
        for k, (v, _src) in vals.items():
            if k not in ("config",) and v != "********":
                self.assertEqual(vals2[k][0], v, k)

    def test_a_database_password_is_never_shown(self):
        """A PostgreSQL URI's password (user:PASSWORD@ or password=) is masked by config show,
        the start-up banner and the start log line."""
        uri = "postgresql://ncpd:pw-in-uri@127.0.0.1:1/ncpd?password=pw-in-query&sslmode=disable"
        vals, out = show(env=clean_env(NCPD_DB=uri, NCPD_MASTER_KEY="m" * 40))
        self.assertEqual(vals["db"][0],
                         "postgresql://ncpd:***@127.0.0.1:1/ncpd?password=***&sslmode=disable")
        self.assertNotIn("pw-in", out)
        # the start fails (nothing listens on port 1), and says so without the password
        rc, out, err = ncpd("--listen", "127.0.0.1:0", env=clean_env(NCPD_DB=uri,
                                                                    NCPD_MASTER_KEY="m" * 40))
        self.assertNotEqual(rc, 0)
        self.assertNotIn("pw-in", out + err)

    def test_secrets_are_refused_on_the_command_line(self):
        for flag in ("--admin-token", "--secret-key", "--master-key", "--access-key"):
            rc, _, err = ncpd(flag, "x", "--listen", "127.0.0.1:0")
            self.assertEqual(rc, 2)
            self.assertIn("secrets are not taken on the command line", err)
            self.assertIn("NCPD_" + flag[2:].upper().replace("-", "_"), err)

    def test_flag_errors(self):
        for args, msg in ((["--thread", "4"], "unknown option --thread; did you mean --threads"),
                          (["--threads"], "--threads needs a value"),
                          (["--threads", "x"], "--threads: 'x' is not a non-negative integer"),
                          (["stray"], "unexpected argument 'stray'"),
                          (["--tls-key", "/etc/hostname"], "tls-key is set but tls-cert is not")):
            rc, _, err = ncpd(*args)
            self.assertEqual(rc, 2, args)
            self.assertIn(msg, err)
        rc, _, err = ncpd(env=clean_env(NCPD_THREADS="0"))
        self.assertEqual(rc, 2)
        self.assertIn("NCPD_THREADS: 0 is out of range (1..256)", err)
        # the documented environment spellings keep working
        vals, _ = show(env=clean_env(NCPD_LOG_REQUESTS="1", NCPD_FIXTURE="seed",
                                     NCPD_SIM_STEP_MS="0", NCPD_DATE_OFFSET="-60"))
        self.assertEqual(vals["log-requests"][0], "true")
        self.assertEqual(vals["fixture"][0], "seed")
        self.assertEqual(vals["sim-step-ms"][0], "0")
        self.assertEqual(vals["date-offset"][0], "-60")

    def test_world_readable_secrets_warned(self):
        path = write_conf(self.dir, "admin-token = t0k\n", name="open.conf", mode=0o644)
        rc, out, err = ncpd("config", "check", path)
        self.assertEqual(rc, 0)
        self.assertIn("holds secrets and is readable by every user", err)
        path = write_conf(self.dir, "admin-token = t0k\n", name="closed.conf", mode=0o640)
        rc, out, err = ncpd("config", "check", path)
        self.assertEqual((rc, err), (0, ""))

    def test_version_help_and_option_list(self):
        rc, out, _ = ncpd("--version")
        with open(os.path.join(REPO, "debian", "changelog")) as f:
            version = re.match(r"^ncpd \(([^)]+)\)", f.readline()).group(1)
        self.assertEqual((rc, out), (0, "ncpd %s\n" % version))
        rc, out, _ = ncpd("--help")
        self.assertEqual(rc, 0)
        for name, is_flag, env in option_names():
            self.assertIn(env, out)
            self.assertIn(("--" + name) if is_flag else name, out)
        self.assertIn("ncpd config check FILE", out)

    def test_readme_and_man_page_cover_every_option(self):
        with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        man = os.path.join(os.path.dirname(BIN), "man", "ncpd.8")
        with open(man, encoding="utf-8") as f:
            page = f.read().replace("\\-", "-")
        names = option_names()
        self.assertGreaterEqual(len(names), 20)
        for name, is_flag, env in names:
            self.assertIn(env, readme, "README lacks %s" % env)
            self.assertIn(("--" + name) if is_flag else name, readme)
            self.assertIn(env, page)
            self.assertIn(("--" + name) if is_flag else name, page)
        for section in ("SIGNALS", "EXIT STATUS", "FILES", "ENVIRONMENT", "CONFIGURATION FILE"):
            self.assertIn(".SH " + section, page)
        for sig in ("SIGTERM", "SIGINT", "SIGHUP"):
            self.assertIn(sig, page)


class ConfiguredDaemonTest(NcpdTestCase):
    """A daemon configured by its file alone, and flags overriding the file."""

    def test_daemon_runs_from_its_file(self):
        d = Daemon(listen=False, fixture=None, sim_step_ms=None)
        self.addCleanup(d.cleanup)
        d.port = free_port()
        conf = write_conf(d.tmpdir,
                          "listen = 127.0.0.1:%d\ndb = %s\nfixture = seed\nsim-step-ms = 40000\n"
                          "admin-token = from-the-file\nlog-requests = yes\n" % (d.port, d.db))
        d.extra_args = ["--config", conf]
        d.extra_env = {"NCPD_ADMIN_TOKEN": ""}  # the harness's token: unset
        d.start()
        c = d.client()
        self.assertEqual(c.state("1021003"), ("RUN", "NULL", "running"))  # fixture = seed
        r = c.call("stopServerInstances", no_list(["1021003"]), fmt="json")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(c.state("1021003")[1], "SHTDN")  # 40 s steps: still shutting down
        d.admin_token = "from-the-file"
        self.assertEqual(d.fault("storageBusy", "1021004", 1).status, 200)
        d.admin_token = "wrong"
        self.assertEqual(d.fault("storageBusy", "1021004", 1).status, 403)
        self.assertIn("action=stopServerInstances", d.log_tail())  # log-requests = yes
        self.assertIn("config=%s" % conf, d.log_tail())
        # a flag overrides the file: another port
        d.stop()
        d.port = free_port()
        d.extra_args = ["--config", conf, "--listen", "127.0.0.1:%d" % d.port]
        d.start()
        self.assertEqual(d.client().state("1021003")[1], "SHTDN")


if __name__ == "__main__":
    unittest.main()

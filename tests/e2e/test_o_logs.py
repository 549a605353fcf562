"""Logs and readiness (issue 16): --log-format json (every line one JSON object),
the events always logged (start, stop, migrations, key changes, errors) whatever
the level, secrets never in any log line, sd_notify READY=1 only once the store and
the listener are up, and the bootstrap credentials kept out of the journal."""

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import unittest

from ncpd_harness import (ACCESS_KEY, ADMIN_TOKEN, BIN, MASTER_KEY, SECRET_KEY, Daemon,
                          NcpdTestCase, lenient_inner, no_list, parse_kv_lines, wait_for, skip_on_pg)
from ops_util import Pki, key_body_lines, write_conf


def log_lines(d):
    with open(d.log_path, "rb") as f:
        return f.read().decode("utf-8", "replace").splitlines()


class LogFormatTest(NcpdTestCase):

    def test_json_lines_and_events(self):
        d = self.new_daemon(extra_args=["--log-format", "json", "--log-requests"])
        c = d.client()
        self.assert_success(c.call("getRegionList", fmt="json"), "json", "getRegionList")
        self.assertEqual(c.call("getRegionList", secret="bad").status, 401)
        ak, _ = d.create_account("logged")
        d.cli("account", "disable-key", ak)
        self.assertEqual(d.stop(), 0)
        events, requests = [], []
        for line in log_lines(d):
            if not line.startswith("{"):
                continue  # the start banner on stdout and the harness's own lines
            obj = json.loads(line)
            self.assertIn(obj["level"], ("debug", "info", "warn", "error", "notice"))
            self.assertRegex(obj["ts"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
            if "event" in obj:
                events.append(obj)
            if "request_id" in obj:
                requests.append(obj)
        names = [e["event"] for e in events]
        for ev in ("migrate", "account_created", "start", "stop", "stopped"):
            self.assertIn(ev, names)
        start = next(e for e in events if e["event"] == "start")
        self.assertEqual(start["listen"], "127.0.0.1:%d" % d.port)
        self.assertEqual(start["tls"], "off")
        self.assertIsInstance(start["pid"], int)
        self.assertEqual(next(e for e in events if e["event"] == "stop")["signal"], "SIGTERM")
        ok = [r for r in requests if r["action"] == "getRegionList" and r["status"] == 200]
        self.assertEqual(len(ok), 1)
        self.assertIsInstance(ok[0]["ms"], int)
        bad = [r for r in requests if r["status"] == 401]
        self.assertEqual(bad[0]["code"], 200)  # the gateway's errorCode
        # the CLI's key changes: logged by the CLI process, as notices
        r = d.cli("account", "create", "other", "--log-format", "json")
        line = json.loads(r.stderr.decode().strip().splitlines()[-1])
        self.assertEqual((line["event"], line["level"], line["name"]), ("account_created",
                                                                         "notice", "other"))
        r = d.cli("account", "disable-key", parse_kv_lines(r.stdout.decode())["access_key"])
        self.assertIn("event=key_disabled access_key=", r.stderr.decode())

    def test_events_survive_the_error_level(self):
        d = self.new_daemon(extra_args=["--log-level", "error"])
        c = d.client()
        self.assert_success(c.call("getRegionList", fmt="json"), "json", "getRegionList")
        d.stop()
        text = "\n".join(log_lines(d))
        for ev in ("event=migrate", "event=start", "event=stop signal=SIGTERM", "event=stopped"):
            self.assertIn(ev, text)
        self.assertNotIn("level=info", text)


class SecretsNeverLoggedTest(NcpdTestCase):
    """Every secret the daemon knows is looked for in everything it wrote."""

    def test_no_secret_in_any_log(self):
        pki = Pki("ncpd secrets CA")
        self.addCleanup(shutil.rmtree, pki.dir, True)
        cert, key = pki.server_cert()
        for fmt in ("kv", "json"):
            with self.subTest(fmt=fmt):
                d = Daemon(admin_token=ADMIN_TOKEN, tls=(cert, key, pki.context()),
                           extra_args=["--log-format", fmt, "--log-requests",
                                       "--log-level", "debug"])
                self.addCleanup(d.cleanup)
                d.start()
                c = d.client()
                self.assert_success(c.call("getServerInstanceList", fmt="json"), "json",
                                    "getServerInstanceList")
                c.call("getServerInstanceList", secret=SECRET_KEY + "x")
                c.call("getServerInstanceList", headers={"x-ncp-apigw-signature-v2": None})
                r = c.call("createLoginKey", [("keyName", "k" + fmt)], fmt="json")
                self.assertEqual(r.status, 200, r)
                inner = lenient_inner(r.body)
                private = [ln for ln in inner["privateKey"].splitlines()
                           if ln and not ln.startswith("-----")]
                self.assertGreater(len(private), 3)
                self.assertEqual(d.fault("storageBusy", "1021004", 1).status, 200)
                self.assertEqual(d.fault("storageBusy", "1021004", 1, token="nope").status, 403)
                ak, sk = d.create_account("secretive")
                r = d.cli("config", "show")
                self.assertEqual(r.returncode, 0, r.stderr)
                shown = r.stdout.decode()
                d.proc.send_signal(signal.SIGHUP)  # a reload logs the certificate file names
                wait_for(lambda: "tls_reload" in d.log_tail(), message="reload logged")
                d.stop()
                with open(d.log_path, "rb") as f:
                    log = f.read().decode("utf-8", "replace")
                secrets = [SECRET_KEY, MASTER_KEY, ADMIN_TOKEN, sk] + private + \
                    key_body_lines(key)
                for secret in secrets:
                    self.assertNotIn(secret, log)
                    self.assertNotIn(secret, shown)
                self.assertIn("tls_reload", log)
                self.assertIn("request_id", log)
                self.assertIn("# admin-token = ******** (secret, from NCPD_ADMIN_TOKEN)", shown)


class NotifyTest(NcpdTestCase):
    """sd_notify: READY=1 once the listener accepts, RELOADING/READY around SIGHUP,
    STOPPING=1 on SIGTERM; abstract and path sockets."""

    def socket_at(self, abstract):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(s.close)
        if abstract:
            name = "@ncpd-e2e-notify-%d-%d" % (os.getpid(), id(s))
            s.bind("\0" + name[1:])
        else:
            tmp = tempfile.mkdtemp(prefix="ncpd-e2e-notify-")
            self.addCleanup(shutil.rmtree, tmp, True)
            name = os.path.join(tmp, "notify.sock")
            s.bind(name)
        s.settimeout(15)
        return s, name

    def test_ready_reloading_stopping(self):
        pki = Pki("ncpd notify CA")
        self.addCleanup(shutil.rmtree, pki.dir, True)
        cert, key = pki.server_cert()
        for abstract in (False, True):
            with self.subTest(abstract=abstract):
                s, name = self.socket_at(abstract)
                d = Daemon(env={"NOTIFY_SOCKET": name}, tls=(cert, key, pki.context()))
                self.addCleanup(d.cleanup)
                d.start()
                msg = s.recv(4096)
                self.assertEqual(msg, b"READY=1")
                self.assertTrue(d.health_ok())
                d.proc.send_signal(signal.SIGHUP)
                self.assertEqual(s.recv(4096), b"RELOADING=1")
                self.assertEqual(s.recv(4096), b"READY=1")
                d.proc.send_signal(signal.SIGTERM)
                self.assertEqual(s.recv(4096), b"STOPPING=1")
                self.assertEqual(d.stop(), 0)

    def test_ready_comes_after_the_listener(self):
        """The harness's own readiness check is HTTP; here READY=1 is waited for alone
        and the listener must answer at once."""
        s, name = self.socket_at(False)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NCPD_")}
        tmp = tempfile.mkdtemp(prefix="ncpd-e2e-notify-db-")
        self.addCleanup(shutil.rmtree, tmp, True)
        port = socket.socket()
        port.bind(("127.0.0.1", 0))
        p = port.getsockname()[1]
        port.close()
        env.update({"NOTIFY_SOCKET": name, "NCPD_MASTER_KEY": MASTER_KEY})
        with open(os.path.join(tmp, "log"), "wb") as log:
            proc = subprocess.Popen([BIN, "--listen", "127.0.0.1:%d" % p, "--db",
                                     os.path.join(tmp, "x.db"), "--fixture", "seed"],
                                    env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                self.assertEqual(s.recv(4096), b"READY=1")
                with socket.create_connection(("127.0.0.1", p), timeout=5) as c:
                    c.sendall(b"GET /_ncpd/health HTTP/1.0\r\n\r\n")
                    self.assertRegex(c.recv(100), rb"^HTTP/1\.[01] 200 ")
            finally:
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(timeout=20), 0)


class JournalCredentialsTest(NcpdTestCase):
    """With stdout on the journal (JOURNAL_STREAM matches it), generated bootstrap
    credentials go to <db>.credentials (0600), never to stdout."""

    @skip_on_pg("the credentials file is named after the database file")
    def test_credentials_file(self):
        d = Daemon(env={"NCPD_SECRET_KEY": "", "NCPD_ACCESS_KEY": ""})
        self.addCleanup(d.cleanup)
        open(d.log_path, "ab").close()
        st = os.stat(d.log_path)
        d.extra_env["JOURNAL_STREAM"] = "%d:%d" % (st.st_dev, st.st_ino)
        d.start()
        path = d.db + ".credentials"
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        with open(path) as f:
            kv = parse_kv_lines(f.read())
        self.assertRegex(kv["secret_key"], r"^[A-Za-z0-9]{40}$")
        self.assertIn("its secret key is in %s" % path, d.log_tail())
        self.assertNotIn(kv["secret_key"], d.log_tail(100000))
        c = d.client(kv["access_key"], kv["secret_key"])
        self.assert_success(c.call("getRegionList", fmt="json"), "json", "getRegionList")
        # without a matching JOURNAL_STREAM (a terminal, a file): printed as before
        d2 = Daemon(env={"NCPD_SECRET_KEY": "", "NCPD_ACCESS_KEY": "",
                         "JOURNAL_STREAM": "1:1"})
        self.addCleanup(d2.cleanup)
        d2.start()
        self.assertIn("secret_key=", d2.log_tail())
        self.assertFalse(os.path.exists(d2.db + ".credentials"))


if __name__ == "__main__":
    unittest.main()

"""HTTPS (issue 16): a throwaway CA made with openssl, an SDK-style client (Python
http.client over ssl, signed requests, XML and JSON) and ncpctl against ncpd's TLS
listener; certificates from another CA refused; TLS below 1.2 refused; the
certificate reloaded on SIGHUP while requests run, without one failing."""

import os
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
import unittest
import warnings

from ncpd_harness import (ACCESS_KEY, BIN, SECRET_KEY, Daemon, NcpdTestCase, no_list, wait_for)
from ops_util import Pki, cert_serial

NCPCTL = os.path.join(os.path.dirname(BIN), "ncpctl")


class TlsTest(NcpdTestCase):

    @classmethod
    def setUpClass(cls):
        cls.pki = Pki("ncpd e2e CA")
        cls.other = Pki("some other CA", directory=cls.pki.dir)
        cls.addClassCleanup(shutil.rmtree, cls.pki.dir, True)
        cls.cert, cls.key = cls.pki.server_cert()
        cls.d = cls.new_class_daemon(tls=(cls.cert, cls.key, cls.pki.context()))

    def ncpctl(self, *args, env_extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NCLOUD_", "NCPD_"))}
        env.update({"HOME": self.pki.dir, "NCLOUD_ACCESS_KEY_ID": ACCESS_KEY,
                    "NCLOUD_SECRET_ACCESS_KEY": SECRET_KEY, "NCLOUD_API_GW": self.d.base})
        env.update(env_extra or {})
        r = subprocess.run([NCPCTL] + list(args), env=env, capture_output=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    def test_sdk_style_client_over_https_xml_and_json(self):
        c = self.d.client()
        self.assertTrue(c.base.startswith("https://127.0.0.1:"))
        for fmt in ("xml", "json"):
            r = c.call("getServerInstanceList", no_list(["1021003"]), fmt=fmt)
            inner = self.assert_success(r, fmt, "getServerInstanceList")
            self.assertEqual(inner["totalRows"], 1 if fmt == "json" else "1")
        r = c.call("getRegionList", method="POST", fmt="json")
        self.assert_success(r, "json", "getRegionList")
        # keep-alive: several requests on one TLS connection
        conn = c.connection()
        try:
            for _ in range(3):
                conn.request("GET", "/_ncpd/health")
                resp = conn.getresponse()
                self.assertEqual((resp.status, resp.read()), (200, b'{"status": "ok"}'))
            self.assertIn(conn.sock.version(), ("TLSv1.2", "TLSv1.3"))
        finally:
            conn.close()

    def test_plain_http_and_old_tls_get_nothing(self):
        # plain HTTP on the TLS port: no HTTP answer
        with socket.create_connection(("127.0.0.1", self.d.port), timeout=5) as s:
            s.sendall(b"GET /_ncpd/health HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                data = s.recv(100)
            except (ConnectionResetError, socket.timeout):
                data = b""
            self.assertFalse(data.startswith(b"HTTP/"), data)
        # TLS 1.2 alone and TLS 1.3 alone: both served
        for v in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            ctx = self.pki.context()
            ctx.minimum_version = ctx.maximum_version = v
            with socket.create_connection(("127.0.0.1", self.d.port), timeout=5) as s:
                with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
                    self.assertEqual(t.version(), "TLSv1.2" if v == ssl.TLSVersion.TLSv1_2
                                     else "TLSv1.3")
        # TLS 1.1 at most: refused
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(self.pki.ca_pem)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                ctx.minimum_version = ssl.TLSVersion.TLSv1
                ctx.maximum_version = ssl.TLSVersion.TLSv1_1
            ctx.set_ciphers("ALL:@SECLEVEL=0")
        except (ValueError, ssl.SSLError):
            self.skipTest("this OpenSSL cannot even offer TLS 1.1")
        with socket.create_connection(("127.0.0.1", self.d.port), timeout=5) as s:
            with self.assertRaises((ssl.SSLError, ConnectionResetError, OSError)):
                with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
                    t.sendall(b"GET / HTTP/1.0\r\n\r\n")

    def test_wrong_ca_is_refused(self):
        c = self.d.client()
        c._ssl_context = self.other.context()
        with self.assertRaises(ssl.SSLCertVerificationError):
            c.call("getRegionList", fmt="json")
        # the system store does not know the throwaway CA either
        c._ssl_context = ssl.create_default_context()
        with self.assertRaises(ssl.SSLCertVerificationError):
            c.call("getRegionList", fmt="json")

    def test_ncpctl_verifies_the_certificate(self):
        rc, out, err = self.ncpctl("--ca-cert", self.pki.ca_pem, "server",
                                   "getServerInstanceList", "--serverInstanceNoList", "1021003",
                                   "--query", "serverInstanceStatus.code")
        self.assertEqual((rc, out.strip(), err), (0, "RUN", ""))
        # the CA file of another CA: transport error (exit 3), nothing printed
        rc, out, err = self.ncpctl("--ca-cert", self.other.ca_pem, "server", "getRegionList")
        self.assertEqual((rc, out), (3, ""), err)
        self.assertIn("transport error", err)
        self.assertRegex(err, r"(?i)certificate|SSL")
        # no --ca-cert: the system store, which does not know the throwaway CA
        rc, out, err = self.ncpctl("server", "getRegionList")
        self.assertEqual((rc, out), (3, ""), err)
        # --insecure works and says so on stderr
        rc, out, err = self.ncpctl("--insecure", "server", "getRegionList", "--query",
                                   "regionCode")
        self.assertEqual(rc, 0, err)
        self.assertIn("KR", out.split())
        self.assertIn("warning: --insecure", err)
        self.assertIn("NOT verified", err)
        # an unreadable --ca-cert is a usage error
        rc, _, err = self.ncpctl("--ca-cert", "/nonexistent.pem", "server", "getRegionList")
        self.assertEqual(rc, 2)
        self.assertIn("--ca-cert /nonexistent.pem", err)
        # the same names through the endpoint "localhost" (SAN DNS:localhost)
        rc, out, err = self.ncpctl("--ca-cert", self.pki.ca_pem, "--endpoint",
                                   "https://localhost:%d" % self.d.port, "server",
                                   "getRegionList", "--query", "regionCode")
        self.assertEqual(rc, 0, err)

    def test_metrics_and_health_over_https(self):
        conn = self.d.client().connection()
        try:
            conn.request("GET", "/_ncpd/metrics")
            r = conn.getresponse()
            body = r.read().decode()
        finally:
            conn.close()
        self.assertEqual(r.status, 200)
        self.assertIn('ncpd_build_info{version="', body)
        self.assertIn('features="tls"', body)
        self.assertRegex(body, r"\nncpd_tls_certificate_expiry_timestamp_seconds \d{10}\n")


class TlsStartupTest(NcpdTestCase):

    @classmethod
    def setUpClass(cls):
        cls.pki = Pki("ncpd e2e startup CA")
        cls.addClassCleanup(shutil.rmtree, cls.pki.dir, True)

    def start_fails(self, cert, key):
        d = Daemon(tls=(cert, key, self.pki.context()))
        self.addCleanup(d.cleanup)
        with self.assertRaises(Exception) as cm:
            d.start(timeout=10)
        self.assertEqual(d.proc.returncode, 1)
        return str(cm.exception)

    def test_unusable_files_stop_the_start(self):
        cert, key = self.pki.server_cert()
        cert2, key2 = self.pki.server_cert()
        msg = self.start_fails(cert, key2)
        self.assertIn("does not belong to the certificate", msg)
        msg = self.start_fails(key, key)
        self.assertIn("holds no usable PEM certificate", msg)
        msg = self.start_fails(cert, cert)
        self.assertIn("holds no usable PEM private key", msg)
        for text in (msg,):
            self.assertNotIn("PRIVATE KEY", text)


class TlsReloadTest(NcpdTestCase):
    """SIGHUP swaps the certificate for new handshakes while requests run."""

    def setUp(self):
        self.pki = Pki("ncpd e2e reload CA")
        self.addCleanup(shutil.rmtree, self.pki.dir, True)
        self.live_cert = os.path.join(self.pki.dir, "live.pem")
        self.live_key = os.path.join(self.pki.dir, "live.key")
        self.leaves = [self.pki.server_cert(), self.pki.server_cert(rsa=True),
                       self.pki.server_cert()]
        self.install(0)
        self.d = self.new_daemon(tls=(self.live_cert, self.live_key, self.pki.context()),
                                 sim_step_ms=1000)

    def install(self, i):
        """Atomically replaces the live files with leaf i (serial 1001 + i)."""
        for src, dst in zip(self.leaves[i], (self.live_cert, self.live_key)):
            shutil.copyfile(src, dst + ".new")
            os.replace(dst + ".new", dst)

    def serial(self):
        conn = self.d.client().connection()
        try:
            conn.request("GET", "/_ncpd/health")
            conn.getresponse().read()
            return cert_serial(conn)
        finally:
            conn.close()

    def test_reload_under_load_drops_nothing(self):
        c = self.d.client()
        self.assertEqual(self.serial(), 1001)
        # a keep-alive connection opened before the reloads, used after them
        early = c.connection()
        early.request("GET", "/_ncpd/health")
        self.assertEqual(early.getresponse().read(), b'{"status": "ok"}')
        self.assertEqual(cert_serial(early), 1001)

        stop = threading.Event()
        results, errors, serials = [], [], set()

        def worker(kind):
            client = self.d.client()
            conn = client.connection() if kind == "keepalive" else None
            while not stop.is_set():
                try:
                    if kind == "keepalive":
                        conn.request("GET", "/_ncpd/health")
                        r = conn.getresponse()
                        r.read()
                        results.append(r.status)
                    else:  # a new connection, so a new handshake, per signed request
                        fresh = client.connection()
                        try:
                            fresh.request("GET", "/server/v2/getServerInstanceList?"
                                          "responseFormatType=json",
                                          headers=client.signed_headers(
                                              "GET", "/server/v2/getServerInstanceList?"
                                              "responseFormatType=json"))
                            r = fresh.getresponse()
                            r.read()
                            serials.add(cert_serial(fresh))
                            results.append(r.status)
                        finally:
                            fresh.close()
                except Exception as exc:  # noqa: BLE001 - every failure is reported
                    errors.append(repr(exc))
            if conn:
                conn.close()

        threads = [threading.Thread(target=worker, args=(k,))
                   for k in ("fresh", "fresh", "fresh", "keepalive")]
        for t in threads:
            t.start()
        try:
            for i in (1, 2, 0, 1):
                time.sleep(0.4)
                self.install(i)
                self.d.proc.send_signal(signal.SIGHUP)
                wait_for(lambda: self.serial() == 1001 + i, timeout=10,
                         message="certificate %d served" % (1001 + i))
            time.sleep(0.3)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=30)
        self.assertEqual(errors, [], "requests failed during reloads")
        self.assertGreater(len(results), 20)
        self.assertEqual(set(results), {200})
        self.assertGreaterEqual(len(serials), 2, serials)  # handshakes saw several certificates
        # the connection from before every reload still works, with its old session
        early.request("GET", "/_ncpd/health")
        self.assertEqual(early.getresponse().read(), b'{"status": "ok"}')
        self.assertEqual(cert_serial(early), 1001)
        early.close()
        self.assertIn("event=tls_reload result=ok", self.d.log_tail(20000))

    def test_failed_reload_keeps_the_old_certificate(self):
        self.assertEqual(self.serial(), 1001)
        with open(self.live_cert, "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
        self.d.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "event=tls_reload result=error" in self.d.log_tail(), timeout=10,
                 message="reload error logged")
        self.assertTrue(self.d.alive())
        self.assertEqual(self.serial(), 1001)
        # a key that belongs to another certificate: refused as well
        shutil.copyfile(self.leaves[1][0], self.live_cert)  # cert 1002, key still 1001's
        self.d.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: self.d.log_tail().count("event=tls_reload result=error") >= 2,
                 timeout=10, message="second reload error logged")
        self.assertEqual(self.serial(), 1001)
        conn = self.d.client().connection()
        conn.request("GET", "/_ncpd/metrics")
        body = conn.getresponse().read().decode()
        conn.close()
        self.assertIn('ncpd_tls_reloads_total{result="error"} 2', body)
        self.assertIn('ncpd_tls_reloads_total{result="ok"} 0', body)


if __name__ == "__main__":
    unittest.main()

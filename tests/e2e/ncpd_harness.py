"""End-to-end harness for ncpd: start real daemons, sign requests, parse answers.

Python 3 standard library only. Every daemon gets a fresh temporary directory
and a free 127.0.0.1 port; every daemon started here is registered so that it
is killed (by its own pid) when the test that owns it ends, and again at exit.

Environment:
  NCPD_BIN     path of the ncpd binary (default <repo>/build/ncpd)
  NCPD_SHARED  path of the shared folder (default <repo>/../shared)
  NCPD_E2E_KEEP=1 keep the temporary directories of daemons (for debugging)
"""

import atexit
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("NCPD_BIN") or os.path.join(REPO, "build", "ncpd")
SHARED = os.environ.get("NCPD_SHARED") or os.path.join(os.path.dirname(REPO), "shared")
SEED_FILE = os.path.join(SHARED, "seed", "stopServerInstances.txt")

# NCPD_TEST_PG: base URI of a PostgreSQL cluster (scripts/pg-test.sh, `make test-pg`): every
# daemon then gets a fresh database of its own there instead of a SQLite file.
PG_BASE = os.environ.get("NCPD_TEST_PG") or None
_PG_SEQ = [0]
_PG_LOCK = threading.Lock()


def pg_uri(dbname):
    """PG_BASE with its database replaced by dbname."""
    return PG_BASE.replace("/postgres?", "/%s?" % dbname, 1)


def pg_exec(sql, dbname="postgres", timeout=60.0):
    """Run sql with psql on the test cluster; (returncode, stdout, stderr), rows as a|b."""
    r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
                        pg_uri(dbname), "-c", sql], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def pg_new_database():
    """A new empty database on the test cluster; its URI."""
    with _PG_LOCK:
        _PG_SEQ[0] += 1
        name = "e2e_%d_%d" % (os.getpid(), _PG_SEQ[0])
    rc, out, err = pg_exec("CREATE DATABASE %s" % name)
    if rc != 0:
        raise RuntimeError("cannot create database %s: %s" % (name, err))
    return pg_uri(name)


def pg_drop_database(uri):
    name = uri.split("/", 3)[3].split("?")[0]
    pg_exec("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)


def skip_on_pg(why):
    """Decorator: a test of the SQLite backend only (its files, its fsync)."""
    return unittest.skipIf(PG_BASE is not None, "SQLite only: " + why)


ACCESS_KEY = "TESTACCESSKEY0000001"
SECRET_KEY = "TESTSECRETKEY000000000000000000000000001"  # 40 chars
MASTER_KEY = "e2e-master-key-0123456789abcdef"
ADMIN_TOKEN = "e2e-admin-token-42"
API_PREFIX = "/server/v2/"

# ---------------------------------------------------------------------------
# Contract texts
# ---------------------------------------------------------------------------

MSG = {
    "900_list": "Required field is not specified. location : serverInstanceNoList.",
    "24109": "The input parameter instance number is invalid",
    "24120": "The input parameter server instance number is invalid.",
    "25014": "Unable to control the server since (other) user is currently operating "
             "storage allocated to the server.",
    "25041": "Unable to perform operation command since (other) user is either manipulating "
             "the target server or a problem in target server. Please confirm server status "
             "once again.",
    "28005": "Unable to perform suspension command since target server is already suspended. "
             "(Other) user might have suspended the server by connecting through terminal. "
             "Please confirm the server status once again.",
    "1300": "Please try your call again later. Temporarily out of service. If error continue, "
            "Please contact our customer service center.",
}


def msg_910(location):
    return "Invalid parameter. location : %s." % location


def msg_910_dup(no):
    return "Invalid parameter. location : serverInstanceNoList. duplicated value : %s" % no


def msg_22001(failed, total):
    return ("%d among %d servers failed for operation. The problem is being handled. "
            "Please hold for a moment." % (failed, total))


STATUS_NAMES = {
    "RUN": "Server run state",
    "NSTOP": "Server normal stopped state",
}
OP_NAMES = {
    "NULL": "Server NULL OP",
    "SHTDN": "Server SHUTDOWN OP",
    "START": "Server START OP",
}

SEED_SERVERS = ("1021003", "1021004", "1021005", "1021006")
SEED_STORAGES = ("1021103", "1021104", "1021105", "1021106")

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0900$")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")

# ---------------------------------------------------------------------------
# Small utilities
# ---------------------------------------------------------------------------


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def wait_for(predicate, timeout=10.0, interval=0.02, message="condition"):
    """Poll predicate() until it returns something truthy; return that value.

    Exceptions raised by predicate are remembered and retried. On timeout an
    AssertionError names the condition and the last value/exception seen."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = predicate()
            if value:
                return value
            last = value
        except Exception as exc:  # noqa: BLE001 - reported on timeout
            last = exc
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.1fs waiting for %s (last: %r)"
                                 % (timeout, message, last))
        time.sleep(interval)


def now_ms():
    return int(time.time() * 1000)


def signature(secret, method, uri, timestamp, access):
    msg = "%s %s\n%s\n%s" % (method, uri, timestamp, access)
    mac = hmac.new(secret.encode("utf-8"), msg.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


def encode_pairs(pairs):
    """application/x-www-form-urlencoded, spaces as %20 (Python SDK style)."""
    return "&".join("%s=%s" % (urllib.parse.quote(str(k), safe=""),
                               urllib.parse.quote(str(v), safe=""))
                    for k, v in pairs)


def as_pairs(params):
    if params is None:
        return []
    if isinstance(params, dict):
        return list(params.items())
    return list(params)


def no_list(nos, name="serverInstanceNoList"):
    """[('serverInstanceNoList.1', n1), ...]"""
    return [("%s.%d" % (name, i + 1), n) for i, n in enumerate(nos)]


def parse_kv_lines(text):
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if "=" in line:
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def kst_now():
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9)))


def parse_date(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")


# ---------------------------------------------------------------------------
# Responses and parsing
# ---------------------------------------------------------------------------


class Response:
    """status, headers (lower-case names), body bytes. Unpacks as a 3-tuple."""

    def __init__(self, status, headers, body, request=None):
        self.status = status
        self.headers = headers
        self.body = body
        self.request = request  # short description for failure messages

    def __iter__(self):
        return iter((self.status, self.headers, self.body))

    def __repr__(self):
        b = self.body if len(self.body) <= 600 else self.body[:600] + b"...(truncated)"
        return "<Response %s %r for %s>" % (self.status, b, self.request)

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def xml(self):
        return ET.fromstring(self.body)


def json_loads_strict(data):
    """json.loads that rejects duplicate keys, NaN/Infinity; keeps order."""

    def pairs_hook(pairs):
        d = {}
        for k, v in pairs:
            if k in d:
                raise ValueError("duplicate JSON key %r" % k)
            d[k] = v
        return d

    def bad_constant(name):
        raise ValueError("non-standard JSON constant %s" % name)

    if isinstance(data, bytes):
        data = data.decode("utf-8")
    return json.loads(data, object_pairs_hook=pairs_hook, parse_constant=bad_constant)


def go_sdk_slice(body):
    """What the Go SDK v2 does with a 2xx body (protocol.md 3.2.1).

    Returns the decoded inner object or raises AssertionError/ValueError."""
    if not body.startswith(b"{"):
        raise AssertionError("body does not start with '{': %r" % body[:40])
    if b'{"error"' in body:
        raise AssertionError("body contains '{\"error\"' (Go SDK would ignore it)")
    i = body.index(b"{", 1) - 1
    return json_loads_strict(body[i:-1])


def lenient_inner(body):
    """Inner object of a JSON answer, without the byte-layout checks (used by state
    helpers, so that a layout bug fails only the tests that check the layout)."""
    obj = json.loads(body.decode("utf-8"))
    (inner,) = obj.values()
    return inner


def xml_to_obj(elem):
    """Element -> dict / list / str. Wrapper elements named *List become lists."""
    children = list(elem)
    if elem.tag.endswith("List"):
        return [xml_to_obj(c) for c in children]
    if not children:
        return elem.text or ""
    d = {}
    for c in children:
        if c.tag in d:
            raise AssertionError("duplicate element <%s> inside <%s>" % (c.tag, elem.tag))
        d[c.tag] = xml_to_obj(c)
    return d


def stringify(value):
    """JSON value -> the text XML would carry (for cross-format comparison)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return [stringify(v) for v in value]
    if isinstance(value, dict):
        return {k: stringify(v) for k, v in value.items()}
    return value


def decode(resp, fmt):
    """Return (root_name, inner_obj) of an API answer, XML or JSON; values as text."""
    if fmt == "json":
        obj = json_loads_strict(resp.body)
        if not isinstance(obj, dict) or len(obj) != 1:
            raise AssertionError("JSON body is not a single-root object: %r" % resp)
        (root, inner), = obj.items()
        return root, stringify(inner)
    root = ET.fromstring(resp.body)
    return root.tag, xml_to_obj(root)


def seed_xml_root():
    with open(SEED_FILE, "r", encoding="utf-8") as f:
        text = f.read()
    start = text.index("<stopServerInstancesResponse>")
    end_tag = "</stopServerInstancesResponse>"
    end = text.index(end_tag) + len(end_tag)
    return ET.fromstring(text[start:end].encode("utf-8"))


# ---------------------------------------------------------------------------
# HTTP client with NCP signing
# ---------------------------------------------------------------------------

_DEFAULT = object()


class Client:
    """Signed client for /server/v2/{action}.

    base: 'http://127.0.0.1:PORT' or an object with a .base attribute (a Daemon),
    so that a client keeps working after the daemon restarts on another port."""

    def __init__(self, base, access=ACCESS_KEY, secret=SECRET_KEY, timeout=15.0,
                 ssl_context=None):
        self._base = base
        self.access = access
        self.secret = secret
        self.timeout = timeout
        self.clock_offset_ms = 0  # added to the signing timestamp (daemon's clock stepped)
        self._ssl_context = ssl_context  # https:// bases; default: the daemon's

    def now_ms(self):
        return now_ms() + self.clock_offset_ms

    @property
    def ssl_context(self):
        if self._ssl_context is not None:
            return self._ssl_context
        return getattr(self._base, "ssl_context", None)

    def connection(self):
        """A new HTTP(S) connection to the base (HTTPS when the base is https://)."""
        host, port = self._hostport()
        if self.base.startswith("https:"):
            return http.client.HTTPSConnection(host, port, timeout=self.timeout,
                                               context=self.ssl_context)
        return http.client.HTTPConnection(host, port, timeout=self.timeout)

    @property
    def base(self):
        return self._base if isinstance(self._base, str) else self._base.base

    def _hostport(self):
        u = urllib.parse.urlsplit(self.base)
        return u.hostname, u.port

    def call(self, action, params=None, method="GET", fmt="xml", sign=True, headers=None,
             raw_query=None, raw_body=None, fmt_in=None, path=None, timestamp=None,
             sig_header="x-ncp-apigw-signature-v2", sign_uri=None, content_type=_DEFAULT,
             access=None, secret=None):
        """Send one request; return Response(status, headers, body).

        fmt: 'json' adds responseFormatType=json; 'xml' (default) sends nothing.
        fmt_in: where responseFormatType goes for POST: 'body' (Go SDK: first pair of
        the body, the default) or 'query' (Python SDK). GET always uses the query.
        raw_query / raw_body: exact bytes/str to send instead of encoded params.
        headers: overrides; a None value removes that header.
        sign_uri: sign this URI instead of the one actually sent."""
        method = method.upper()
        pairs = as_pairs(params)
        fmt_pair = [("responseFormatType", "json")] if fmt == "json" else []
        if fmt_in is None:
            fmt_in = "query" if method == "GET" else "body"
        query_pairs, body_pairs = [], []
        if method == "GET" or method not in ("POST",):
            query_pairs = fmt_pair + pairs
        elif fmt_in == "query":
            query_pairs, body_pairs = fmt_pair, pairs
        else:
            body_pairs = fmt_pair + pairs

        query = raw_query if raw_query is not None else encode_pairs(query_pairs)
        if raw_body is not None:
            body = raw_body if isinstance(raw_body, bytes) else raw_body.encode("utf-8")
        elif method == "POST":
            body = encode_pairs(body_pairs).encode("utf-8")
        else:
            body = None

        p = path if path is not None else API_PREFIX + action
        uri = p + ("?" + query if query else "")
        ts = str(self.now_ms()) if timestamp is None else str(timestamp)
        access = self.access if access is None else access
        secret = self.secret if secret is None else secret

        hdrs = {}
        if sign:
            hdrs["x-ncp-apigw-timestamp"] = ts
            hdrs["x-ncp-iam-access-key"] = access
            hdrs[sig_header] = signature(secret, method, sign_uri or uri, ts, access)
        if body is not None:
            if content_type is _DEFAULT:
                hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            elif content_type is not None:
                hdrs["Content-Type"] = content_type
        for k, v in (headers or {}).items():
            for existing in list(hdrs):
                if existing.lower() == k.lower():
                    del hdrs[existing]
            if v is not None:
                hdrs[k] = v
        return self.raw(method, uri, hdrs, body)

    def signed_headers(self, method, uri, timestamp=None):
        ts = str(self.now_ms()) if timestamp is None else str(timestamp)
        return {"x-ncp-apigw-timestamp": ts, "x-ncp-iam-access-key": self.access,
                "x-ncp-apigw-signature-v2": signature(self.secret, method, uri, ts, self.access)}

    def raw(self, method, uri, headers, body=None):
        conn = self.connection()
        try:
            conn.putrequest(method, uri, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            if body is not None and not any(k.lower() == "content-length" for k in headers):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            return Response(r.status, hdrs, data, request="%s %s" % (method, uri[:200]))
        finally:
            conn.close()

    # -- convenience -------------------------------------------------------

    def list_servers(self, params=None, fmt="json", method="GET"):
        return self.call("getServerInstanceList", params, method=method, fmt=fmt)

    def server_map(self):
        """{serverInstanceNo: server dict (JSON types)} of every visible server."""
        r = self.list_servers()
        if r.status != 200:
            raise AssertionError("getServerInstanceList failed: %r" % r)
        inner = lenient_inner(r.body)
        return {s["serverInstanceNo"]: s for s in inner["serverInstanceList"]}

    def state(self, no):
        """(status, operation, statusName) of one server, or None when not visible."""
        r = self.list_servers(no_list([no]))
        if r.status != 200:
            raise AssertionError("getServerInstanceList failed: %r" % r)
        inner = lenient_inner(r.body)
        for s in inner["serverInstanceList"]:
            if s["serverInstanceNo"] == no:
                return (s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"],
                        s["serverInstanceStatusName"])
        return None

    def states(self):
        return {no: (s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"])
                for no, s in self.server_map().items()}


def _read_response(s, timeout):
    """Read from socket s until a complete response (by Content-Length) or close."""
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            c = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not c:
            break
        chunks.append(c)
        data = b"".join(chunks)
        if b"\r\n\r\n" in data:
            resp = parse_raw_response(data)
            try:
                if len(resp.body) >= int(resp.headers.get("content-length", "-1")) >= 0:
                    break
            except ValueError:
                pass
    return parse_raw_response(b"".join(chunks))


def raw_http(port, data, timeout=10.0):
    """Send raw bytes over a fresh connection, half-close, return the parsed Response
    (status 0 when the server closed without answering)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        return _read_response(s, timeout)
    finally:
        s.close()


def send_streaming(port, head, body=b"", chunk=65536, timeout=10.0):
    """Send request head, then the body in chunks, stopping early if the server
    already answered (a server may reject an oversized body before reading it).
    Returns the parsed Response (status 0 if the connection closed silently)."""
    import select
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(head)
        off = 0
        while off < len(body):
            r, _, _ = select.select([s], [], [], 0)
            if r:
                break
            try:
                s.sendall(body[off:off + chunk])
            except (BrokenPipeError, ConnectionResetError):
                break
            off += chunk
        return _read_response(s, timeout)
    finally:
        s.close()


def parse_raw_response(data):
    """Parse raw HTTP/1.x response bytes -> Response (status 0 when nothing came back)."""
    if not data:
        return Response(0, {}, b"", request="raw")
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    hdrs = {}
    for ln in lines[1:]:
        if b":" in ln:
            k, v = ln.split(b":", 1)
            hdrs[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
    body = rest
    if "content-length" in hdrs:
        try:
            body = rest[:int(hdrs["content-length"])]
        except ValueError:
            pass
    return Response(status, hdrs, body, request="raw")


# ---------------------------------------------------------------------------
# Daemon management
# ---------------------------------------------------------------------------

_LIVE = set()
_LIVE_LOCK = threading.Lock()


def _kill_all_at_exit():
    with _LIVE_LOCK:
        procs = list(_LIVE)
    for p in procs:
        try:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=5)
        except Exception:  # noqa: BLE001
            pass


atexit.register(_kill_all_at_exit)

_SCRUB_ENV = ("NCPD_LISTEN", "NCPD_DB", "NCPD_SIM_STEP_MS", "NCPD_FIXTURE", "NCPD_ACCESS_KEY",
              "NCPD_SECRET_KEY", "NCPD_MASTER_KEY", "NCPD_ADMIN_TOKEN", "NCPD_MAX_BODY",
              "NCPD_CONFIG", "NCPD_TLS_CERT", "NCPD_TLS_KEY", "NCPD_METRICS_LISTEN",
              "NCPD_LOG_FORMAT", "NCPD_LOG_LEVEL", "NCPD_LOG_REQUESTS", "NCPD_CATALOG",
              "NCPD_THREADS", "NCPD_MAX_CONNS", "NCPD_TIMEOUT", "NCPD_DATE_OFFSET",
              "NOTIFY_SOCKET", "JOURNAL_STREAM", "NCPD_CONSOLE_IDLE", "NCPD_SIM_OPTIONS",
              "NCPD_MAX_BODY_TOTAL", "NCPD_FAULTS_CTL", "NCPD_DRIVER", "NCPD_LIBVIRT_URI",
              "NCPD_VM_DIR", "NCPD_LIBVIRT_DOMAIN_TYPE", "NCPD_STOP_TIMEOUT")


class DaemonError(RuntimeError):
    pass


class Daemon:
    """One ncpd process on a fresh temporary database.

    Use start() / stop(sig) / kill9() / restart(); cleanup() kills and removes it."""

    def __init__(self, fixture="seed", sim_step_ms=30000, admin_token=None, max_body=None,
                 extra_args=(), env=None, master_key=MASTER_KEY, via_env=False, tls=None,
                 listen=True, faults=False, db=None):
        self.fixture = fixture
        self.sim_step_ms = sim_step_ms
        self.admin_token = admin_token
        self.max_body = max_body
        self.extra_args = list(extra_args)
        self.extra_env = dict(env or {})
        self.master_key = master_key
        self.via_env = via_env  # configure listen/db/step/fixture through env instead of flags
        # tls: (cert_file, key_file, ssl_context trusting its CA) -> serve and talk HTTPS
        self.tls = tls
        self.ssl_context = tls[2] if tls else None
        self.listen = listen  # False: the listen address comes from a configuration file
        self.tmpdir = tempfile.mkdtemp(prefix="ncpd-e2e-db-")
        self.logdir = tempfile.mkdtemp(prefix="ncpd-e2e-log-")
        # db: a database shared with other daemons (several nodes), not removed at cleanup
        self.own_db = db is None
        self.db = db or (pg_new_database() if PG_BASE else os.path.join(self.tmpdir, "ncpd.db"))
        self.proc = None
        self.port = None
        self.starts = 0
        self._log = None
        self.faults_ctl = None
        if faults:
            # tests/faults/faultshim.c: fsync failures and wall-clock steps on command
            self.faults_ctl = os.path.join(self.tmpdir, "faults.ctl")
            with open(self.faults_ctl, "wb") as f:
                f.write(b"\0" * 4096)

    # -- fault injection (faults=True) ---------------------------------------

    def _ctl(self, fmt, off, value=None):
        import mmap
        import struct
        with open(self.faults_ctl, "r+b") as f:
            m = mmap.mmap(f.fileno(), 4096)
            try:
                if value is not None:
                    m[off:off + struct.calcsize(fmt)] = struct.pack(fmt, value)
                return struct.unpack(fmt, m[off:off + struct.calcsize(fmt)])[0]
            finally:
                m.close()

    def set_clock_offset(self, ms):
        """Steps the daemon's wall clock to real time + ms (monotonic time unchanged)."""
        self._ctl("<q", 0, int(ms))

    def set_fsync_fail(self, on):
        self._ctl("<i", 8, 1 if on else 0)

    def fsync_counts(self):
        return self._ctl("<q", 16), self._ctl("<q", 24)

    # -- environment ---------------------------------------------------------

    def env(self):
        e = {k: v for k, v in os.environ.items() if k not in _SCRUB_ENV}
        e["NCPD_ACCESS_KEY"] = ACCESS_KEY
        e["NCPD_SECRET_KEY"] = SECRET_KEY
        if self.master_key is not None:
            e["NCPD_MASTER_KEY"] = self.master_key
        if self.admin_token is not None:
            e["NCPD_ADMIN_TOKEN"] = self.admin_token
        e.update(self.extra_env)
        if self.faults_ctl:
            shim = os.environ.get("NCPD_FAULTSHIM") or os.path.join(
                os.path.dirname(BIN), "libncpd_faultshim.so")
            if not os.path.exists(shim):
                raise DaemonError("fault shim not found at %s (set NCPD_FAULTSHIM)" % shim)
            e["LD_PRELOAD"] = shim
            e["NCPD_FAULTS_CTL"] = self.faults_ctl
            # the ASan runtime need not come first: the shim only wraps libc calls
            e["ASAN_OPTIONS"] = ":".join(x for x in (e.get("ASAN_OPTIONS"),
                                                     "verify_asan_link_order=0") if x)
        return e

    @property
    def base(self):
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    def client(self, access=ACCESS_KEY, secret=SECRET_KEY):
        return Client(self, access, secret)

    @property
    def log_path(self):
        return os.path.join(self.logdir, "ncpd.log")

    def log_tail(self, n=4000):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
            return data[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    # -- process control -----------------------------------------------------

    def start(self, timeout=10.0):
        if not os.path.exists(BIN):
            raise DaemonError("ncpd binary not found at %s (set NCPD_BIN)" % BIN)
        if self.listen or self.port is None:
            self.port = free_port()
        args = [BIN]
        env = self.env()
        listen = "127.0.0.1:%d" % self.port
        if self.via_env:
            env["NCPD_LISTEN"] = listen
            env["NCPD_DB"] = self.db
            if self.sim_step_ms is not None:
                env["NCPD_SIM_STEP_MS"] = str(self.sim_step_ms)
            if self.fixture:
                env["NCPD_FIXTURE"] = self.fixture
            if self.max_body is not None:
                env["NCPD_MAX_BODY"] = str(self.max_body)
        elif self.listen:
            args += ["--listen", listen, "--db", self.db]
            if self.sim_step_ms is not None:
                args += ["--sim-step-ms", str(self.sim_step_ms)]
            if self.fixture:
                args += ["--fixture", self.fixture]
            if self.max_body is not None:
                args += ["--max-body", str(self.max_body)]
        if self.tls:
            args += ["--tls-cert", self.tls[0], "--tls-key", self.tls[1]]
        args += self.extra_args
        if PG_BASE and "--node-id" not in args:
            # one name for the life of this daemon, whatever port each start gets: a
            # restarted node completes the transitions it claimed before (sched.c)
            args += ["--node-id", "e2e-%d" % id(self)]
        self._log = open(self.log_path, "ab")
        self._log.write(("\n=== start %d: %s\n" % (self.starts, " ".join(args))).encode())
        self._log.flush()
        self.proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        with _LIVE_LOCK:
            _LIVE.add(self.proc)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise DaemonError("ncpd exited with %s during startup; log:\n%s"
                                  % (rc, self.log_tail()))
            if self.health_ok():
                return self
            if time.monotonic() >= deadline:
                self.kill9()
                raise DaemonError("ncpd not healthy after %.1fs; log:\n%s"
                                  % (timeout, self.log_tail()))
            time.sleep(0.02)

    def health(self, timeout=2.0):
        if self.tls:
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                               context=self.ssl_context)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", "/_ncpd/health")
            r = conn.getresponse()
            body = r.read()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, body,
                            request="GET /_ncpd/health")
        finally:
            conn.close()

    def health_ok(self):
        try:
            return self.health().status == 200
        except (OSError, http.client.HTTPException):
            return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def _forget(self):
        with _LIVE_LOCK:
            _LIVE.discard(self.proc)
        if self._log:
            self._log.close()
            self._log = None

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        """Send sig, wait for exit; return the exit code (None if it had to be killed)."""
        if self.proc is None:
            return None
        rc = self.proc.poll()
        if rc is None:
            self.proc.send_signal(sig)
            try:
                rc = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
                rc = None
        self._forget()
        return rc

    def kill9(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        self._forget()

    def restart(self, kill=True, **changes):
        """Stop (SIGKILL by default, else SIGTERM) and start again on the same db."""
        if kill:
            self.kill9()
        else:
            self.stop()
        for k, v in changes.items():
            setattr(self, k, v)
        return self.start()

    SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                       "WARNING: ThreadSanitizer", "ERROR: ThreadSanitizer")

    def sanitizer_report(self):
        """Excerpt of the first sanitizer report in the daemon's log, or None."""
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return None
        hits = [text.find(m) for m in self.SANITIZER_MARKS if m in text]
        if not hits:
            return None
        i = min(hits)
        return text[max(0, i - 200):i + 3000]

    def cleanup(self):
        """Stop the daemon (SIGTERM under NCPD_ASAN so leaks get reported, else SIGKILL),
        fail if a sanitizer reported anything, remove the temporary directories."""
        report = None
        try:
            if os.environ.get("NCPD_ASAN") and self.alive():
                self.stop(signal.SIGTERM, timeout=20)
            self.kill9()
            report = self.sanitizer_report()
        finally:
            if not os.environ.get("NCPD_E2E_KEEP") and report is None:
                shutil.rmtree(self.tmpdir, ignore_errors=True)
                shutil.rmtree(self.logdir, ignore_errors=True)
                if PG_BASE and self.own_db and self.db.startswith("postgresql:"):
                    pg_drop_database(self.db)
        if report is not None:
            raise AssertionError("sanitizer report in %s:\n%s" % (self.log_path, report))

    # -- CLI -----------------------------------------------------------------

    def cli(self, *args, timeout=15.0, env=None):
        e = self.env()
        if env:
            e.update(env)
        return subprocess.run([BIN] + list(args) + ["--db", self.db], env=e,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)

    def create_account(self, name):
        """ncpd account create NAME -> (access_key, secret_key)."""
        r = self.cli("account", "create", name)
        if r.returncode != 0:
            raise AssertionError("account create failed rc=%s stdout=%r stderr=%r"
                                 % (r.returncode, r.stdout, r.stderr))
        kv = parse_kv_lines(r.stdout.decode("utf-8", "replace"))
        if "access_key" not in kv or "secret_key" not in kv:
            raise AssertionError("account create printed no access_key/secret_key: %r" % r.stdout)
        return kv["access_key"], kv["secret_key"]

    # -- fault endpoint --------------------------------------------------------

    def fault(self, action, server_no=None, times=None, token=_DEFAULT):
        pairs = [("action", action)]
        if server_no is not None:
            pairs.append(("serverInstanceNo", server_no))
        if times is not None:
            pairs.append(("times", str(times)))
        hdrs = {"Content-Type": "application/x-www-form-urlencoded"}
        tok = self.admin_token if token is _DEFAULT else token
        if tok is not None:
            hdrs["x-ncpd-admin-token"] = tok
        return Client(self).raw("POST", "/_ncpd/faults", hdrs, encode_pairs(pairs).encode())


# ---------------------------------------------------------------------------
# TestCase base with assertions
# ---------------------------------------------------------------------------

SEED_ORDER = None


def seed_server_order():
    global SEED_ORDER
    if SEED_ORDER is None:
        root = seed_xml_root()
        si = root.find("serverInstanceList/serverInstance")
        SEED_ORDER = [c.tag for c in si]
    return SEED_ORDER


JSON_STRING_FIELDS = ("serverInstanceNo", "serverName", "serverDescription", "loginKeyName",
                      "publicIp", "privateIp", "serverImageName", "serverInstanceStatusName",
                      "createDate", "uptime", "serverImageProductCode", "serverProductCode",
                      "portForwardingPublicIp", "userData")
JSON_CODE_FIELDS = ("platformType", "serverInstanceStatus", "serverInstanceOperation",
                    "baseBlockStorageDiskType", "baseBlockStorageDiskDetailType",
                    "serverInstanceType")


class NcpdTestCase(unittest.TestCase):
    maxDiff = None

    # -- daemons -------------------------------------------------------------

    def new_daemon(self, **kw):
        d = Daemon(**kw)
        self.addCleanup(d.cleanup)
        d.start()
        return d

    @classmethod
    def new_class_daemon(cls, **kw):
        d = Daemon(**kw)
        cls.addClassCleanup(d.cleanup)
        d.start()
        return d

    # -- envelope checks -------------------------------------------------------

    def assert_json_layout(self, resp, root):
        """protocol.md 3.2.1: '{"root": {' ... '}}', no trailing newline, Go slice works."""
        body = resp.body
        self.assertTrue(body.startswith(b"{"), "first byte must be '{': %r" % resp)
        self.assertTrue(body.endswith(b"}"), "last byte must be '}' (no trailing newline): %r"
                        % body[-20:])
        prefix = ('{"%s":' % root).encode()
        self.assertTrue(body.startswith(prefix), "body must start with %r: %r" % (prefix, resp))
        i = body.index(b"{", 1)
        self.assertIn(body[i - 1:i], (b" ", b"\n", b"\t", b"\r"),
                      "byte before the inner '{' must be whitespace: %r" % body[:i + 1])
        inner = json_loads_strict(body[i - 1:-1])
        self.assertIsInstance(inner, dict)
        whole = json_loads_strict(body)
        self.assertEqual(list(whole), [root])
        return inner

    def assert_success(self, resp, fmt, action):
        """HTTP 200, {action}Response, returnCode 0/success; returns the inner object
        (JSON: with JSON types; XML: text values)."""
        self.assertEqual(resp.status, 200, resp)
        root = action + "Response"
        if fmt == "json":
            inner = self.assert_json_layout(resp, root)
            self.assertEqual(go_sdk_slice(resp.body), inner)
            self.assertIsInstance(inner.get("returnCode"), str, inner)
            self.assertEqual(inner["returnCode"], "0", inner)
            self.assertEqual(inner["returnMessage"], "success")
            self.assertIs(type(inner.get("totalRows")), int, "totalRows must be a JSON integer")
            self.assertEqual(list(inner)[:4], ["requestId", "returnCode", "returnMessage",
                                               "totalRows"])
            self.assertRegex(inner["requestId"], UUID_RE)
            return inner
        el = ET.fromstring(resp.body)
        self.assertEqual(el.tag, root, resp)
        obj = xml_to_obj(el)
        self.assertEqual([c.tag for c in el][:4], ["requestId", "returnCode", "returnMessage",
                                                   "totalRows"])
        self.assertEqual(obj["returnCode"], "0")
        self.assertEqual(obj["returnMessage"], "success")
        self.assertRegex(obj["totalRows"], r"^\d+$")
        self.assertRegex(obj["requestId"], UUID_RE)
        return obj

    def assert_api_error(self, resp, fmt, code, message, http_status=400):
        """responseError in the requested format with exact code and message."""
        self.assertEqual(resp.status, http_status,
                         "HTTP status (expected %s/%s %r): %r" % (http_status, code, message, resp))
        if fmt == "json":
            inner = self.assert_json_layout(resp, "responseError")
            self.assertIsInstance(inner.get("returnCode"), str,
                                  "returnCode must be a JSON string: %r" % resp)
            self.assertIsInstance(inner.get("returnMessage"), str)
            self.assertEqual((inner["returnCode"], inner["returnMessage"]), (str(code), message))
            self.assertNotIn("Body: ", inner["returnMessage"])
            return inner
        try:
            el = ET.fromstring(resp.body)
        except ET.ParseError as exc:
            self.fail("XML error body does not parse (%s): %r" % (exc, resp))
        self.assertEqual(el.tag, "responseError", resp)
        obj = xml_to_obj(el)
        self.assertEqual((obj.get("returnCode"), obj.get("returnMessage")), (str(code), message),
                         resp)
        return obj

    def assert_gateway_error(self, resp, http_status, code, message=None):
        self.assertEqual(resp.status, http_status, resp)
        try:
            obj = json_loads_strict(resp.body)
        except ValueError as exc:
            self.fail("gateway error body is not JSON (%s): %r" % (exc, resp))
        self.assertEqual(list(obj), ["error"], resp)
        err = obj["error"]
        self.assertIsInstance(err.get("errorCode"), str, "errorCode must be a string: %r" % resp)
        self.assertEqual(err["errorCode"], str(code), resp)
        if message is not None:
            self.assertEqual(err.get("message"), message, resp)
        self.assertIsInstance(err.get("details"), str, "details must be a string: %r" % resp)
        return err

    def assert_server_json_types(self, s):
        """Per-field JSON types of one ServerInstance (server-instance.md 1.1)."""
        for f in JSON_STRING_FIELDS:
            self.assertIsInstance(s.get(f), str, "%s must be a string in %s" % (f, s.get(
                "serverInstanceNo")))
        for f in ("cpuCount", "memorySize", "baseBlockStorageSize"):
            self.assertIs(type(s.get(f)), int, "%s must be an integer, got %r" % (f, s.get(f)))
        for f in ("portForwardingExternalPort", "portForwardingInternalPort"):
            if f in s:
                self.assertIs(type(s[f]), int, f)
        for f in ("isFeeChargingMonitoring", "isProtectServerTermination"):
            self.assertIs(type(s.get(f)), bool, "%s must be a boolean" % f)
        for f in JSON_CODE_FIELDS:
            self.assertIsInstance(s.get(f), dict, f)
            self.assertIsInstance(s[f].get("code"), str, f)
            self.assertIsInstance(s[f].get("codeName"), str, f)
        for f in ("zoneNo", "zoneName", "zoneCode", "zoneDescription", "regionNo"):
            self.assertIsInstance(s["zone"].get(f), str, "zone.%s must be a string" % f)
        for f in ("regionNo", "regionCode", "regionName"):
            self.assertIsInstance(s["region"].get(f), str, "region.%s must be a string" % f)
        self.assertIsInstance(s.get("accessControlGroupList"), list)
        for acg in s["accessControlGroupList"]:
            for f in ("accessControlGroupConfigurationNo", "accessControlGroupName",
                      "accessControlGroupDescription", "createDate"):
                self.assertIsInstance(acg.get(f), str, "accessControlGroup.%s" % f)
            self.assertIs(type(acg.get("isDefaultGroup")), bool, "isDefaultGroup must be bool")
            if "isDefault" in acg:
                self.assertIs(type(acg["isDefault"]), bool)
        self.assertIsInstance(s.get("instanceTagList"), list)
        for t in s["instanceTagList"]:
            self.assertIsInstance(t.get("tagKey"), str)
            self.assertIsInstance(t.get("tagValue"), str)
        self.assertRegex(s["createDate"], DATE_RE)
        self.assertRegex(s["uptime"], DATE_RE)

    def assert_state(self, client, no, status, op, status_name=None):
        st = client.state(no)
        self.assertIsNotNone(st, "server %s not visible" % no)
        self.assertEqual(st[:2], (status, op), "state of %s" % no)
        if status_name is not None:
            self.assertEqual(st[2], status_name, "statusName of %s" % no)

    def wait_state(self, client, no, status, op, timeout=10.0):
        return wait_for(lambda: client.state(no)[:2] == (status, op), timeout=timeout,
                        message="server %s to reach %s/%s" % (no, status, op))

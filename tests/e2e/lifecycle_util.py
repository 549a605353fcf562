"""Shared helpers for the lifecycle / catalogue / login-key / ACG end-to-end tests
(test_l_*.py). Python 3 standard library only; builds on ncpd_harness.

The contract is docs/compat.md ("Server lifecycle", "Login keys and ACGs",
"Catalogue"), then ../shared/spec/DECISIONS.md and the rest of the spec.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

from ncpd_harness import (BIN, MSG, NcpdTestCase, no_list, stringify, wait_for,  # noqa: F401
                          xml_to_obj)

FORMATS = ("xml", "json")

# --- catalogue facts (catalog.md §7, DECISIONS D8) ---------------------------
LINUX_IMAGE = "SPSW0LINUX000046"      # centos-7.3-64
SEED_IMAGE = "SPSW0LINUX000066"       # tensorflow-centos-7.3-64
WIN_IMAGE = "SPSW0WINNT000016"        # win-2016-64
MICRO = "SPSVRSTAND000056"            # vCPU 1, 1 GiB, MICRO
SEED_PRODUCT = "SPSVRSSD00000003"     # vCPU 2, 4 GiB, SSD
GiB = 1073741824
BASE_50 = 53687091200

SEED_ACG = "39995"
UNKNOWN_NO = "9999999"

# --- contract texts (docs/compat.md) -------------------------------------------
LMSG = {
    "900_image": "Required field is not specified. location : serverImageProductCode or "
                 "memberServerImageNo.",
    "10712": "Not found product. Please check your input product.",
    "10300": "Instance name is already in use. please use other name.",
    "10406": "The authentication key does not exist.",
    "10405": "The key name already exists.",
    "10503": "You may not change to spec of same level.",
    "25022": "Unable to return the server since (other) user is either operating target "
             "server or an error in the target server. Please confirm the status of server/ "
             "storage.",
    "25023": "Unable to return the server since termination protection is enabled. Please "
             "disable termination protection and try again.",
    "24001": "Invalid authentication key. Please check authentication key or input type and "
             "try again.",
}
LMSG.update(MSG)


def msg_900(location):
    return "Required field is not specified. location : %s." % location


def msg_910(location):
    return "Invalid parameter. location : %s." % location


def msg_24076(no):
    return "It is ACG(access control group) you do not own. Serial number - %s" % no


def msg_10407(name, n):
    return "%s is the authentication key being used by %d server." % (name, n)


# --- status vocabulary (DECISIONS D5, compat.md "Server lifecycle") ------------
CREATE_STATES = {("INIT", "NULL"): "init", ("INIT", "CREAT"): "creating",
                 ("CREAT", "START"): "booting", ("RUN", "SETUP"): "setting up",
                 ("RUN", "NULL"): "running"}
CREATE_ORDER = [("INIT", "NULL"), ("INIT", "CREAT"), ("CREAT", "START"), ("RUN", "SETUP"),
                ("RUN", "NULL")]
STOP_STATES = {("RUN", "SHTDN"): "shutting down", ("NSTOP", "NULL"): "stopped"}
START_STATES = {("NSTOP", "START"): "booting", ("RUN", "NULL"): "running"}
REBOOT_STATES = {("RUN", "RESTA"): "rebooting", ("RUN", "NULL"): "running"}
CHANGE_STATES = {("NSTOP", "CHNG"): "changingSpec", ("NSTOP", "NULL"): "stopped"}
TERMINATE_STATES = {("NSTOP", "TERMT"): "terminating"}

FINGERPRINT_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){15}$")
PEM_BEGIN = "-----BEGIN RSA PRIVATE KEY-----"
PEM_END = "-----END RSA PRIVATE KEY-----"


# ---------------------------------------------------------------------------
# Keys (no external Python package; openssl / ssh-keygen through subprocess)
# ---------------------------------------------------------------------------

def _tmpdir():
    return tempfile.mkdtemp(prefix="ncpd-l-keys-")


def _run(args, **kw):
    return subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, **kw)


def openssl_check(pem):
    """(ok, bits, stderr): `openssl rsa -check -noout` on a PEM private key."""
    d = _tmpdir()
    try:
        p = os.path.join(d, "k.pem")
        with open(p, "w") as f:
            f.write(pem if pem.endswith("\n") else pem + "\n")
        r = _run(["openssl", "rsa", "-in", p, "-check", "-noout"])
        t = _run(["openssl", "rsa", "-in", p, "-noout", "-text"])
        m = re.search(rb"Private-Key: \((\d+) bit", t.stdout)
        return r.returncode == 0, int(m.group(1)) if m else None, r.stderr + r.stdout
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _ssh_string(b):
    return len(b).to_bytes(4, "big") + b


def _mpint(n):
    if n == 0:
        return _ssh_string(b"")
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    if raw[0] & 0x80:
        raw = b"\x00" + raw
    return _ssh_string(raw)


def rsa_blob(e, n):
    """OpenSSH wire form of an RSA public key: string "ssh-rsa", mpint e, mpint n."""
    return _ssh_string(b"ssh-rsa") + _mpint(e) + _mpint(n)


def pem_public_numbers(pem):
    """(e, n) of an RSA private (or public) key in PEM, read with openssl."""
    d = _tmpdir()
    try:
        p = os.path.join(d, "k.pem")
        with open(p, "w") as f:
            f.write(pem if pem.endswith("\n") else pem + "\n")
        r = _run(["openssl", "rsa", "-in", p, "-noout", "-modulus"])
        if r.returncode != 0:
            raise AssertionError("openssl cannot read the key: %r" % r.stderr)
        n = int(r.stdout.decode().strip().split("=", 1)[1], 16)
        t = _run(["openssl", "rsa", "-in", p, "-noout", "-text"])
        m = re.search(rb"publicExponent: (\d+)", t.stdout)
        e = int(m.group(1)) if m else 65537
        return e, n
    finally:
        shutil.rmtree(d, ignore_errors=True)


def ssh_line_from_pem(pem, comment="e2e"):
    e, n = pem_public_numbers(pem)
    return "ssh-rsa %s %s" % (base64.b64encode(rsa_blob(e, n)).decode(), comment)


def md5_fingerprint_of_line(line):
    blob = base64.b64decode(line.split()[1])
    return ":".join("%02x" % b for b in hashlib.md5(blob).digest())


def generate_ssh_keypair(comment="e2e@test"):
    """(public OpenSSH line, PKCS#1 PEM private key). ssh-keygen if installed, else
    openssl genrsa and the ssh-rsa line built here."""
    d = _tmpdir()
    try:
        if shutil.which("ssh-keygen"):
            p = os.path.join(d, "id_rsa")
            r = _run(["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "",
                      "-C", comment, "-f", p])
            if r.returncode == 0:
                with open(p + ".pub") as f:
                    pub = f.read().strip()
                with open(p) as f:
                    priv = f.read()
                return pub, priv
        p = os.path.join(d, "k.pem")
        r = _run(["openssl", "genrsa", "-traditional", "-out", p, "2048"])
        if r.returncode != 0:
            r = _run(["openssl", "genrsa", "-out", p, "2048"])
        with open(p) as f:
            priv = f.read()
        return ssh_line_from_pem(priv, comment), priv
    finally:
        shutil.rmtree(d, ignore_errors=True)


def ssh_keygen_md5(line):
    """`ssh-keygen -l -E md5` of a public line -> 'aa:bb:..', or None without ssh-keygen."""
    if not shutil.which("ssh-keygen"):
        return None
    d = _tmpdir()
    try:
        p = os.path.join(d, "k.pub")
        with open(p, "w") as f:
            f.write(line + "\n")
        r = _run(["ssh-keygen", "-l", "-E", "md5", "-f", p])
        m = re.search(rb"MD5:([0-9a-f:]{47})", r.stdout)
        return m.group(1).decode() if m else None
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------------------
# Catalogue file helpers
# ---------------------------------------------------------------------------

def catalog_dump():
    """`ncpd catalog dump` -> (returncode, stdout bytes, stderr bytes)."""
    r = _run([BIN, "catalog", "dump"])
    return r.returncode, r.stdout, r.stderr


def drop_objects_with_value(obj, value):
    """Remove from every JSON list each object that has a string member == value.
    Returns how many were removed."""
    removed = 0
    if isinstance(obj, list):
        keep = []
        for item in obj:
            if isinstance(item, dict) and any(v == value for v in item.values()):
                removed += 1
                continue
            removed += drop_objects_with_value(item, value)
            keep.append(item)
        obj[:] = keep
    elif isinstance(obj, dict):
        for v in obj.values():
            removed += drop_objects_with_value(v, value)
    return removed


def replace_string_value(obj, old, new):
    n = 0
    if isinstance(obj, list):
        for i, v in enumerate(obj):
            if v == old:
                obj[i] = new
                n += 1
            else:
                n += replace_string_value(v, old, new)
    elif isinstance(obj, dict):
        for k, v in list(obj.items()):
            if v == old:
                obj[k] = new
                n += 1
            else:
                n += replace_string_value(v, old, new)
    return n


# ---------------------------------------------------------------------------
# TestCase base
# ---------------------------------------------------------------------------

class LifecycleCase(NcpdTestCase):
    """NcpdTestCase plus call/poll helpers. Values returned by ok()/call_ok() are text
    (XML text, or JSON values stringified) so that one assertion serves both formats;
    pass typed=True to get JSON types."""

    # -- envelopes -----------------------------------------------------------

    def ok(self, resp, fmt, action, total=True, typed=False):
        """Success envelope. total: True = totalRows required (harness check),
        False = must be absent, None = not checked."""
        if total is True:
            inner = self.assert_success(resp, fmt, action)
            return inner if (typed or fmt != "json") else stringify(inner)
        self.assertEqual(resp.status, 200, resp)
        root = action + "Response"
        if fmt == "json":
            inner = self.assert_json_layout(resp, root)
            self.assertEqual(list(inner)[:3], ["requestId", "returnCode", "returnMessage"],
                             resp)
            self.assertEqual(inner["returnCode"], "0", resp)
            self.assertEqual(inner["returnMessage"], "success")
            if total is False:
                self.assertNotIn("totalRows", inner, "%s must have no totalRows" % action)
            return inner if typed else stringify(inner)
        el = ET.fromstring(resp.body)
        self.assertEqual(el.tag, root, resp)
        self.assertEqual([c.tag for c in el][:3], ["requestId", "returnCode", "returnMessage"])
        if total is False:
            self.assertNotIn("totalRows", [c.tag for c in el],
                             "%s must have no totalRows" % action)
        obj = xml_to_obj(el)
        self.assertEqual(obj["returnCode"], "0", resp)
        self.assertEqual(obj["returnMessage"], "success")
        return obj

    def call_ok(self, client, action, params=None, fmt="json", method="POST", total=True,
                typed=False):
        r = client.call(action, params, method=method, fmt=fmt)
        return self.ok(r, fmt, action, total=total, typed=typed)

    def call_err(self, client, action, params, fmt, code, message, http_status=400,
                 method="POST"):
        r = client.call(action, params, method=method, fmt=fmt)
        return self.assert_api_error(r, fmt, code, message, http_status)

    def error_of(self, resp, fmt):
        """(http status, returnCode, returnMessage) of an error answer (or success)."""
        if fmt == "json":
            obj = json.loads(resp.body.decode("utf-8"))
            (inner,) = obj.values()
            return resp.status, inner.get("returnCode"), inner.get("returnMessage")
        el = ET.fromstring(resp.body)
        return (resp.status, el.findtext("returnCode"), el.findtext("returnMessage"))

    # -- servers -------------------------------------------------------------

    def list_text(self, client, nos=None, fmt="json", params=None):
        pairs = list(params or [])
        if nos is not None:
            pairs += no_list(nos)
        r = client.call("getServerInstanceList", pairs, fmt=fmt)
        return self.ok(r, fmt, "getServerInstanceList")

    def create(self, client, params, fmt="json", method="POST"):
        """createServerInstances; returns the list of created servers (text values)."""
        r = client.call("createServerInstances", params, method=method, fmt=fmt)
        inner = self.ok(r, fmt, "createServerInstances")
        servers = inner["serverInstanceList"]
        self.assertEqual(int(inner["totalRows"]), len(servers), inner)
        return servers

    def create_nos(self, client, params, fmt="json"):
        return [s["serverInstanceNo"] for s in self.create(client, params, fmt)]

    def observe(self, client, nos, target, allowed, timeout=15.0, seen=None, gone=False):
        """Poll getServerInstanceList for nos until every server is at target (or, with
        gone=True, until none is listed). Every (status, op) seen must be in allowed
        (a dict pair -> statusName), statusName included. Returns the list of
        observations [(no, status, op, statusName)]."""
        seen = [] if seen is None else seen
        deadline = time.monotonic() + timeout
        while True:
            r = client.call("getServerInstanceList", no_list(nos), fmt="json")
            self.assertEqual(r.status, 200, r)
            inner = json.loads(r.body.decode("utf-8"))["getServerInstanceListResponse"]
            cur = {}
            for s in inner["serverInstanceList"]:
                pair = (s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"])
                name = s["serverInstanceStatusName"]
                obs = (s["serverInstanceNo"], pair[0], pair[1], name)
                if not seen or seen[-1] != obs:
                    seen.append(obs)
                self.assertIn(pair, allowed, "server %s showed %s/%s (%s); allowed: %s"
                              % (s["serverInstanceNo"], pair[0], pair[1], name,
                                 sorted(allowed)))
                self.assertEqual(name, allowed[pair],
                                 "statusName of %s at %s/%s" % (s["serverInstanceNo"], *pair))
                cur[s["serverInstanceNo"]] = pair
            if gone:
                if inner["totalRows"] == 0 and not cur:
                    return seen
            else:
                missing = set(nos) - set(cur)
                self.assertFalse(missing, "servers vanished while waiting: %s" % missing)
                if all(p == target for p in cur.values()):
                    return seen
            if time.monotonic() >= deadline:
                self.fail("timed out after %.1fs waiting for %s to reach %s; now %s; seen %s"
                          % (timeout, nos, "gone" if gone else target, cur, seen[-12:]))
            time.sleep(0.01)

    def check_server_item(self, s, status, op, name):
        self.assertEqual((s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"],
                          s["serverInstanceStatusName"]), (status, op, name), s)

    # -- keys ----------------------------------------------------------------

    def create_key(self, client, name, fmt="json"):
        inner = self.call_ok(client, "createLoginKey", [("keyName", name)], fmt=fmt, total=None)
        pk = inner.get("privateKey")
        self.assertIsInstance(pk, str, inner)
        return pk

    def key_list(self, client, params=None):
        inner = self.call_ok(client, "getLoginKeyList", params, fmt="json")
        return inner["loginKeyList"]

    def default_acg(self, client):
        inner = self.call_ok(client, "getAccessControlGroupList", None, fmt="json")
        for g in inner["accessControlGroupList"]:
            if g["accessControlGroupName"] == "ncloud-default-acg":
                return g["accessControlGroupConfigurationNo"]
        self.fail("no ncloud-default-acg in %r" % inner)

    # -- snapshots -------------------------------------------------------------

    def snapshot(self, client):
        """Everything an account owns that the tests can see (JSON values)."""
        servers = client.server_map()
        keys = self.key_list(client)
        acgs = self.call_ok(client, "getAccessControlGroupList", None,
                            fmt="json")["accessControlGroupList"]
        return {"servers": servers, "keys": keys, "acgs": acgs}


def _assert_err_any(case, resp, fmt, code, message, http_status=400):
    """Like assert_api_error; message may be a str (exact), a tuple (one of), a
    ('prefix', text) pair marked by PREFIX, or None (any non-empty message)."""
    if isinstance(message, str):
        return case.assert_api_error(resp, fmt, code, message, http_status)
    case.assertEqual(resp.status, http_status, "HTTP status (expected %s/%s): %r"
                     % (http_status, code, resp))
    if fmt == "json":
        inner = case.assert_json_layout(resp, "responseError")
        got_code, got_msg = inner.get("returnCode"), inner.get("returnMessage")
        case.assertIsInstance(got_code, str)
        case.assertIsInstance(got_msg, str)
    else:
        el = ET.fromstring(resp.body)
        case.assertEqual(el.tag, "responseError", resp)
        got_code, got_msg = el.findtext("returnCode"), el.findtext("returnMessage")
    case.assertEqual(got_code, str(code), resp)
    if message is None:
        case.assertTrue(got_msg, resp)
    elif isinstance(message, Prefix):
        case.assertTrue(got_msg.startswith(message.text), "message %r should start with %r"
                        % (got_msg, message.text))
    else:
        case.assertIn(got_msg, message, resp)
    return got_code, got_msg


class Prefix:
    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return "Prefix(%r)" % self.text


LifecycleCase.assert_err = _assert_err_any

"""Shared helpers of the install and package suites (tests/ops, `make test-package`)."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))

import ncpd_harness  # noqa: E402  (signing, free ports)

JOBS = os.environ.get("JOBS", "2")


def changelog_version():
    with open(os.path.join(REPO, "debian", "changelog")) as f:
        return re.match(r"^ncpd \(([^)]+)\)", f.readline()).group(1)


def run(args, timeout=900, check=True, env=None, **kw):
    r = subprocess.run(args, capture_output=True, timeout=timeout, env=env,
                       stdin=subprocess.DEVNULL, **kw)
    out, err = r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    if check and r.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s\n%s" % (" ".join(args), r.returncode,
                                                          out[-3000:], err[-3000:]))
    return r.returncode, out, err


def clean_env(**extra):
    e = {k: v for k, v in os.environ.items()
         if not k.startswith(("NCPD_", "NCLOUD_", "NOTIFY_SOCKET", "JOURNAL_STREAM", "MAKEFLAGS",
                              "MFLAGS", "MAKELEVEL"))}
    e.update(extra)
    return e


def health(port, timeout=2.0):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", "/_ncpd/health")
        r = conn.getresponse()
        ok = r.status == 200 and r.read() == b'{"status": "ok"}'
        conn.close()
        return ok
    except OSError:
        return False


class Started:
    """A daemon started by hand from an installed binary; stopped with SIGTERM."""

    def __init__(self, args, env, log_path, port, timeout=20, user=None):
        self.port = port
        self.log_path = log_path
        self.log = open(log_path, "wb")
        kw = {"user": user, "group": user, "extra_groups": []} if user else {}
        self.proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     cwd="/" if user else None, **kw)
        deadline = time.monotonic() + timeout
        while not health(port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise AssertionError("daemon did not start:\n" + self.text())
            time.sleep(0.05)
        # the listener answers a moment before the daemon logs event=start (it needs the
        # bound port first): wait for that line too, so callers read a complete start
        while "event=start " not in self.text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise AssertionError("daemon answered but never logged event=start:\n"
                                     + self.text())
            time.sleep(0.02)

    def text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait(timeout=10)
        self.log.close()
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if not self.log.closed:
            self.log.close()


def free_port():
    return ncpd_harness.free_port()


def signed_call(port, access, secret, action, query="responseFormatType=json"):
    c = ncpd_harness.Client("http://127.0.0.1:%d" % port, access, secret)
    return c.call(action, raw_query=query)


def groff_warnings(page):
    """Warnings of groff on a man page (empty when it renders cleanly)."""
    r = subprocess.run(["groff", "-man", "-ww", "-z", page], capture_output=True, timeout=60)
    return r.stderr.decode()


def man_text(page):
    env = dict(os.environ, MANWIDTH="100")
    r = subprocess.run(["man", "-l", page], capture_output=True, timeout=60, env=env)
    return r.stdout.decode()


def has(cmd):
    return any(os.access(os.path.join(p, cmd), os.X_OK)
               for p in os.environ.get("PATH", "").split(os.pathsep))


def verify_unit(unit_path, replace=(), manpath=None):
    """systemd-analyze verify on a copy of the unit with paths replaced; returns its
    output (empty when clean), or None when systemd-analyze is not installed."""
    if not has("systemd-analyze"):
        return None
    with open(unit_path) as f:
        text = f.read()
    for a, b in replace:
        text = text.replace(a, b)
    tmp = tempfile.mkdtemp(prefix="ncpd-verify-")
    copy = os.path.join(tmp, "ncpd.service")
    with open(copy, "w") as f:
        f.write(text)
    env = dict(os.environ)
    if manpath:
        env["MANPATH"] = manpath
    try:
        r = subprocess.run(["systemd-analyze", "verify", copy], capture_output=True, timeout=60,
                           env=env)
    finally:
        os.unlink(copy)
        os.rmdir(tmp)
    return (r.stdout + r.stderr).decode() + ("" if r.returncode == 0 else
                                             "(exit %d)" % r.returncode)

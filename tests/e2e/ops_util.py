"""Helpers of the operations suites (test_o_*.py): a throwaway PKI made with the
openssl CLI, a Prometheus text-format parser, configuration-file writing.

Python 3 standard library only (plus the openssl command)."""

import os
import re
import ssl
import subprocess
import tempfile

# ---------------------------------------------------------------------------
# PKI
# ---------------------------------------------------------------------------


def _openssl(*args, cwd):
    r = subprocess.run(["openssl"] + list(args), cwd=cwd, capture_output=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (" ".join(args), r.stderr.decode()))


class Pki:
    """A CA in its own directory that signs server certificates for 127.0.0.1."""

    def __init__(self, name="ncpd test CA", directory=None):
        self.dir = directory or tempfile.mkdtemp(prefix="ncpd-e2e-pki-")
        self.name = re.sub(r"[^a-z0-9]+", "-", name.lower())
        self.ca_key = os.path.join(self.dir, self.name + "-ca.key")
        self.ca_pem = os.path.join(self.dir, self.name + "-ca.pem")
        _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-nodes", "-keyout", self.ca_key, "-out", self.ca_pem, "-days", "2",
                 "-subj", "/CN=" + name, cwd=self.dir)
        self._n = 0

    def server_cert(self, cn="127.0.0.1", days=1, rsa=False):
        """(cert_path, key_path) of a new leaf for 127.0.0.1/localhost signed by this CA."""
        self._n += 1
        base = os.path.join(self.dir, "%s-leaf%d" % (self.name, self._n))
        key, csr, pem, ext = base + ".key", base + ".csr", base + ".pem", base + ".ext"
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                    "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
        newkey = ["rsa:2048"] if rsa else ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        _openssl("req", "-newkey", *newkey, "-nodes", "-keyout", key, "-out", csr,
                 "-subj", "/CN=" + cn, cwd=self.dir)
        _openssl("x509", "-req", "-in", csr, "-CA", self.ca_pem, "-CAkey", self.ca_key,
                 "-set_serial", str(1000 + self._n), "-out", pem, "-days", str(days),
                 "-extfile", ext, cwd=self.dir)
        return pem, key

    def context(self):
        """A client SSL context that trusts only this CA (and checks the name)."""
        ctx = ssl.create_default_context(cafile=self.ca_pem)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx


def cert_serial(conn):
    """Serial number of the peer certificate of an open HTTPSConnection."""
    return int(conn.sock.getpeercert()["serialNumber"], 16)


def key_body_lines(key_path):
    """The base64 lines of a PEM private key (what must never reach a log)."""
    with open(key_path) as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith("-----")]


# ---------------------------------------------------------------------------
# Prometheus text format
# ---------------------------------------------------------------------------

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def parse_metrics(text):
    """Text exposition -> (samples, types, helps).

    samples: {(name, frozenset(labels.items())): float}; types/helps: {family: str}.
    Raises AssertionError on any line that is not valid exposition syntax, on a
    sample whose family has no TYPE, and on a repeated series."""
    samples, types, helps = {}, {}, {}
    for n, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line.startswith("# HELP "):
            fam, _, h = line[7:].partition(" ")
            if fam in helps:
                raise AssertionError("line %d: second HELP for %s" % (n, fam))
            helps[fam] = h
            continue
        if line.startswith("# TYPE "):
            fam, _, t = line[7:].partition(" ")
            if t not in ("counter", "gauge", "histogram", "summary", "untyped"):
                raise AssertionError("line %d: bad TYPE %r" % (n, t))
            if fam in types:
                raise AssertionError("line %d: second TYPE for %s" % (n, fam))
            types[fam] = t
            continue
        if line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            raise AssertionError("line %d is not a sample: %r" % (n, line))
        name, labels_text, value = m.group(1), m.group(3) or "", m.group(4)
        labels = {}
        pos = 0
        while pos < len(labels_text):
            lm = _LABEL.match(labels_text, pos)
            if not lm:
                raise AssertionError("line %d: bad labels %r" % (n, labels_text))
            labels[lm.group(1)] = lm.group(2)
            pos = lm.end()
        fam = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        if fam not in types:
            raise AssertionError("line %d: %s has no TYPE" % (n, name))
        key = (name, frozenset(labels.items()))
        if key in samples:
            raise AssertionError("line %d: repeated series %r" % (n, line))
        samples[key] = float(value.replace("+Inf", "inf"))
    return samples, types, helps


def metric(samples, name, **labels):
    """Value of one series (0 when absent)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def series(samples, name):
    """[(labels dict, value)] of every series of `name`."""
    return [(dict(k[1]), v) for k, v in samples.items() if k[0] == name]


# ---------------------------------------------------------------------------
# configuration files
# ---------------------------------------------------------------------------


def write_conf(directory, text, name="ncpd.conf", mode=0o600):
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(text.encode("utf-8") if isinstance(text, str) else text)
    os.chmod(path, mode)
    return path

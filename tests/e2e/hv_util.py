"""Helpers of the suites that run ncpd on a hypervisor (--driver libvirt):
test_h_libvirt.py (libvirt's in-process test:///default, in every `make e2e`) and
tests/vm/test_ncpd_guest.py (a private libvirtd and a booting guest, `make test-libvirt`).
Python 3 standard library only; builds on ncpd_harness and lifecycle_util."""

import json
import os
import subprocess

from ncpd_harness import BIN, PG_BASE, no_list
from lifecycle_util import LifecycleCase

GiB = 1073741824


def write_catalog(path, boots, products=None, base_size=None, vpc_boots=None):
    """The built-in catalogue (`ncpd catalog dump`) with boot sources added, written to
    path. boots: {image code: boot object}. products: a list replacing the products;
    base_size: every image's baseBlockStorageSize (products keep theirs). vpc_boots:
    {VPC serverImageProductCode: boot object} for the VPC part's images."""
    r = subprocess.run([BIN, "catalog", "dump"], capture_output=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise AssertionError("ncpd catalog dump failed: %r" % r.stderr)
    cat = json.loads(r.stdout)
    for img in cat["images"]:
        if img["productCode"] in boots:
            img["boot"] = boots[img["productCode"]]
        if base_size is not None:
            img["baseBlockStorageSize"] = base_size
    if products is not None:
        cat["products"] = products
    for img in cat["vpc"]["images"]:
        if img["serverImageProductCode"] in (vpc_boots or {}):
            img["boot"] = vpc_boots[img["serverImageProductCode"]]
    with open(path, "w") as f:
        json.dump(cat, f, indent=1)
    return path


def libvirt_args(catalog, uri, vm_dir=None, extra=()):
    """ncpd's flags for a libvirt daemon. vm_dir: required on PostgreSQL (no folder beside
    the database); None on SQLite keeps the default (vm beside the database)."""
    args = ["--driver", "libvirt", "--libvirt-uri", uri, "--catalog", catalog]
    if vm_dir is not None or PG_BASE:
        args += ["--vm-dir", vm_dir]
    return args + list(extra)


def file_has(path, needle):
    """Whether the file at path holds the bytes (or UTF-8 text) needle."""
    if isinstance(needle, str):
        needle = needle.encode("utf-8")
    try:
        with open(path, "rb") as f:
            return needle in f.read()
    except OSError:
        return False


class HvCase(LifecycleCase):
    """LifecycleCase plus the calls of a walk, in either format."""

    def act(self, client, action, nos, fmt, params=None):
        """One of stop/start/reboot/terminate on nos; returns {no: (status, op)} of the
        answer (success required)."""
        r = client.call(action, no_list(nos) + list(params or []), fmt=fmt)
        inner = self.ok(r, fmt, action)
        return {s["serverInstanceNo"]: (s["serverInstanceStatus"]["code"],
                                        s["serverInstanceOperation"]["code"])
                for s in inner["serverInstanceList"]}

    def root_password(self, client, no, priv, fmt="json"):
        r = client.call("getRootPassword", [("serverInstanceNo", no), ("privateKey", priv)],
                        fmt=fmt)
        inner = self.ok(r, fmt, "getRootPassword", total=None)
        pw = inner["rootPassword"]
        self.assertTrue(pw, inner)
        return pw

    def server(self, client, no):
        """The one server (JSON values), with userData (a detail look-up)."""
        r = client.call("getServerInstanceList", no_list([no]), fmt="json")
        inner = self.ok(r, "json", "getServerInstanceList", typed=True)
        (s,) = inner["serverInstanceList"]
        return s

    def vm_path(self, vm_dir, no, name=None):
        p = os.path.join(vm_dir, str(no))
        return os.path.join(p, name) if name else p

"""ncpctl on the VPC APIs: `ncpctl vserver ACTION` and `ncpctl vpc ACTION` (issue 12).

The README's VPC walk run as written (its shell block, with the configure answers
piped and this test's endpoint), help and completion generated from
src/spec/vserver.def and src/spec/vpc.def (the unsupported actions listed apart),
object-list parameters with nested lists, --wait on VPC objects through create and
delete, and the exit codes (1 API error, including the unsupported actions' 404,
2 usage)."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from ncpd_harness import ACCESS_KEY, REPO, SECRET_KEY, NcpdTestCase
from test_ncpctl import _SCRUB, NCPCTL

SPEC = os.path.join(REPO, "src", "spec")
README = os.path.join(REPO, "README.md")
KVM_IMAGE_NO = "23214590"
KVM_SPEC = "s2-g3"


def api_table(name):
    """(served {action: [param, ...]}, [unsupported action, ...]) from src/spec/NAME.def."""
    acts, unsupported, cur = {}, [], None
    with open(os.path.join(SPEC, name + ".def"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*NCP_ACTION\((\w+),", line)
            if m:
                cur = m.group(1)
                acts[cur] = []
                continue
            m = re.match(r"\s*NCP_UNSUPPORTED\((\w+),", line)
            if m:
                unsupported.append(m.group(1))
                cur = None
                continue
            m = re.match(r"\s*NCP_PARAM\((\w+),", line)
            if m and cur:
                acts[cur].append(m.group(1))
    return acts, unsupported


def readme_walk():
    """The README's VPC walk: the sh block after "The VPC walk"."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    start = text.index("The VPC walk with `ncpctl`")
    m = re.compile(r"```sh\n(.*?)```", re.S).search(text, start)
    return m.group(1)


class VpcNcpctlTest(NcpdTestCase):

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(NCPCTL):
            raise AssertionError("ncpctl binary not found at %s (make build)" % NCPCTL)
        cls.d = cls.new_class_daemon(sim_step_ms=100)

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="ncpctl-home-")
        self.addCleanup(shutil.rmtree, self.home, True)

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def env(self, **extra):
        e = {k: v for k, v in os.environ.items() if k not in _SCRUB}
        e["HOME"] = self.home
        e.update(extra)
        return e

    def good_env(self):
        return self.env(NCLOUD_ACCESS_KEY_ID=ACCESS_KEY, NCLOUD_SECRET_ACCESS_KEY=SECRET_KEY,
                        NCLOUD_API_GW=self.d.base)

    def run_cli(self, *args, env=None):
        return subprocess.run([NCPCTL] + list(args),
                              env=env if env is not None else self.good_env(),
                              capture_output=True, text=True, timeout=120)

    def ok(self, *args, env=None):
        r = self.run_cli(*args, env=env)
        self.assertEqual(r.returncode, 0, "ncpctl %s: %r" % (" ".join(args), r))
        return r

    def fails(self, code, *args):
        r = self.run_cli(*args)
        self.assertEqual(r.returncode, code, "ncpctl %s: %r" % (" ".join(args), r))
        self.assertTrue(r.stderr.startswith("ncpctl: "), r.stderr)
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
        self.assertEqual(r.stdout, "")
        return r

    # -- the README walk --------------------------------------------------------------

    def test_readme_walk_as_written(self):
        script = readme_walk()
        self.assertIn("build/ncpctl configure", script)
        self.assertIn("vserver stopServerInstances", script)
        work = tempfile.mkdtemp(prefix="ncpctl-walk-")
        self.addCleanup(shutil.rmtree, work, True)
        os.makedirs(os.path.join(work, "build"))
        os.symlink(NCPCTL, os.path.join(work, "build", "ncpctl"))
        answers = "%s\n%s\n%s\n" % (ACCESS_KEY, SECRET_KEY, self.d.base)
        r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=work,
                           env=self.env(), input=answers, capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r)
        out = r.stdout.splitlines()  # configure's prompts, then the table
        table = out[next(i for i, l in enumerate(out) if l.startswith("NUMBER ")):]
        self.assertEqual(table[0].split(), ["NUMBER", "NAME", "STATUS", "OPERATION",
                                            "PUBLIC_IP", "ZONE", "VPC", "SUBNET"])
        row = table[1].split()
        self.assertEqual((row[1], row[2], row[3], row[4], row[5]),
                         ("demo-vpc-1", "NSTOP", "NULL", "-", "KR-2"))
        with open(os.path.join(work, "demo-key.pem")) as f:
            self.assertTrue(f.read().startswith("-----BEGIN RSA PRIVATE KEY-----"))
        # what the walk left: the server in its subnet, in its VPC, with eth0 and the ACG
        detail = json.loads(self.ok("vserver", "getServerInstanceDetail", "--serverInstanceNo",
                                    row[0]).stdout)
        srv = detail["getServerInstanceDetailResponse"]["serverInstanceList"][0]
        self.assertEqual((srv["vpcNo"], srv["subnetNo"], srv["serverName"]),
                         (row[6], row[7], "demo-vpc-1"))
        self.assertEqual(len(srv["networkInterfaceNoList"]), 1)
        # and it goes, then its subnet and its VPC, each with --wait
        self.ok("vserver", "terminateServerInstances", "--serverInstanceNoList", row[0],
                "--wait")
        self.ok("vpc", "deleteSubnet", "--subnetNo", row[7], "--wait")
        self.ok("vpc", "deleteVpc", "--vpcNo", row[6], "--wait")
        r = self.ok("vpc", "getVpcDetail", "--vpcNo", row[6])
        self.assertEqual(json.loads(r.stdout)["getVpcDetailResponse"]["vpcList"], [])
        self.ok("vserver", "deleteLoginKeys", "--keyNameList", "demo-key")

    # -- help and completion from the tables ---------------------------------------------

    def test_help_from_the_tables(self):
        for api, route in (("vserver", "/vserver/v2/{action}"), ("vpc", "/vpc/v2/{action}")):
            served, unsupported = api_table(api)
            self.assertTrue(served and unsupported)
            out = self.ok(api, "--help", env=self.env()).stdout
            self.assertIn(route, out)
            head, tail = out.split("not supported by ncpd")
            for name in served:
                self.assertRegex(head, r"\n  %s\s" % name)
                self.assertNotIn(name, tail.split())
            for name in unsupported:
                self.assertIn(name, tail.split())
            for name, params in served.items():
                r = self.ok(api, name, "--help", env=self.env())
                for p in params:
                    self.assertRegex(r.stdout, r"--%s\s" % p)
        self.assertEqual(len(api_table("vserver")[0]), 52)  # P1 and two P2 (test_v_lists)
        self.assertEqual(len(api_table("vpc")[0]), 15)
        r = self.ok("vserver", "createServerInstances", "--help", env=self.env())
        line = next(l for l in r.stdout.splitlines() if l.startswith("  --networkInterfaceList"))
        self.assertIn("accessControlGroupNoList.N", line)
        self.assertIn("yes", line.split())
        r = self.ok("--help", env=self.env())
        self.assertIn("vserver", r.stdout)
        self.assertIn("vpc", r.stdout)

    def test_completion_of_the_vpc_apis(self):
        r = self.ok("completion", "bash", env=self.env())
        script = os.path.join(self.home, "ncpctl.bash")
        with open(script, "w") as f:
            f.write(r.stdout)
        probe = ('source "$1"\n'
                 'c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); '
                 'COMPREPLY=(); _ncpctl; echo "${COMPREPLY[*]}"; }\n'
                 'c ncpctl vp\n'
                 'c ncpctl vpc createV\n'
                 'c ncpctl vpc createVpc --ipv4\n'
                 'c ncpctl vserver getServerImageL\n'
                 'c ncpctl vserver createLoginKey --key\n')
        out = subprocess.run(["bash", "-c", probe, "probe", script], capture_output=True,
                             text=True)
        self.assertEqual(out.stdout.splitlines(), ["vpc", "createVpc", "--ipv4CidrBlock",
                                                   "getServerImageList", "--keyName"], out)

    # -- nested object lists ------------------------------------------------------------

    def test_object_lists_with_nested_lists(self):
        vpc = self.ok("vpc", "createVpc", "--ipv4CidrBlock", "10.9.0.0/16", "--wait",
                      "--query", "vpcNo").stdout.strip()
        acg = self.ok("vserver", "createAccessControlGroup", "--vpcNo", vpc,
                      "--accessControlGroupName", "web-acg", "--query",
                      "accessControlGroupNo").stdout.strip()
        rules = json.loads(self.ok(
            "vserver", "addAccessControlGroupInboundRule", "--vpcNo", vpc,
            "--accessControlGroupNo", acg, "--accessControlGroupRuleList",
            "protocolTypeCode=TCP, ipBlock=0.0.0.0/0, portRange=443",
            "protocolTypeCode=ICMP, ipBlock=10.0.0.0/8").stdout)
        got = rules["addAccessControlGroupInboundRuleResponse"]["accessControlGroupRuleList"]
        self.assertEqual(sorted((x["protocolType"]["code"], x["portRange"]) for x in got),
                         [("ICMP", ""), ("TCP", "443")])
        # a field the object does not have is a usage error, before any request
        r = self.fails(2, "vserver", "addAccessControlGroupInboundRule", "--vpcNo", vpc,
                       "--accessControlGroupNo", acg, "--accessControlGroupRuleList",
                       "protocolType=TCP, ipBlock=0.0.0.0/0")
        self.assertIn("protocolTypeCode", r.stderr)
        # the ACG is SET while its rules are applied (1007009 meanwhile), then RUN
        deadline = time.monotonic() + 30
        while self.ok("vserver", "getAccessControlGroupDetail", "--accessControlGroupNo", acg,
                      "--query", "accessControlGroupStatus.code").stdout.strip() != "RUN":
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.1)
        self.ok("vserver", "deleteAccessControlGroup", "--vpcNo", vpc, "--accessControlGroupNo",
                acg)
        self.ok("vpc", "deleteVpc", "--vpcNo", vpc, "--wait")

    # -- exit codes -----------------------------------------------------------------------

    def test_exit_codes(self):
        for fmt in ("json", "xml"):
            r = self.fails(1, "vpc", "createVpc", "--ipv4CidrBlock", "8.8.0.0/16", "--output",
                           fmt)
            self.assertIn("HTTP 400", r.stderr)
            self.assertIn("returnCode 1100000", r.stderr)
            self.assertIn("Parameter is invalid. ipv4CidrBlock", r.stderr)
        # an action of the API this ncpd does not serve: sent, and answered 404 / 300
        for api, name in (("vpc", "getRouteTableDetail"), ("vserver", "getInitScriptList")):
            r = self.fails(1, api, name)
            self.assertIn("HTTP 404", r.stderr)
            self.assertIn("returnCode 300", r.stderr)
            self.assertIn("%s is not supported by this ncpd" % name, r.stderr)
        # another API's number is unknown: an empty detail list
        r = self.ok("vserver", "getServerInstanceDetail", "--serverInstanceNo", "1021003")
        self.assertEqual(json.loads(r.stdout)["getServerInstanceDetailResponse"]
                         ["serverInstanceList"], [])
        r = self.fails(2, "vpc", "createVpcc")
        self.assertIn("createVpc", r.stderr)
        r = self.fails(2, "vpc", "createVpc", "--ipv4Cidr", "10.0.0.0/16")
        self.assertIn("--ipv4CidrBlock", r.stderr)
        r = self.fails(2, "vpc", "createVpc")
        self.assertIn("--ipv4CidrBlock", r.stderr)
        r = self.fails(2, "vserver", "stopServerInstances")
        self.assertIn("--serverInstanceNoList", r.stderr)
        # an action of the other API is not this one's
        r = self.fails(2, "vpc", "stopServerInstances", "--serverInstanceNoList", "1")
        self.assertIn("vpc", r.stderr)


if __name__ == "__main__":
    unittest.main()

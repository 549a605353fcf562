"""ncpctl, the command-line client (issue 4), end to end against a real ncpd.

Every test runs the built ncpctl (next to the ncpd under test, or NCPCTL_BIN) as a
subprocess with a temporary HOME and a scrubbed environment, so no real
~/.ncloud/configure or NCLOUD_* variable of the machine can leak in.

Covered: configure (piped answers, mode 0600, other profiles kept), credential and
endpoint precedence (flags > env > file), every output format, lists and object
lists, --wait through stop -> start -> create -> terminate, help and completion
generated from src/spec/actions.def, and each exit code (0, 1 API, 2 usage,
3 transport, including endpoints that answer non-NCP bodies)."""

import http.server
import json
import os
import pty
import re
import select
import shutil
import stat
import subprocess
import tempfile
import threading
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from ncpd_harness import (ACCESS_KEY, BIN, REPO, SECRET_KEY, NcpdTestCase, free_port,
                          signature)

NCPCTL = os.environ.get("NCPCTL_BIN") or os.path.join(os.path.dirname(BIN), "ncpctl")
ACTIONS_DEF = os.path.join(REPO, "src", "spec", "actions.def")
IMAGE = "SPSW0LINUX000046"
WRONG_SECRET = "WRONGSECRET0000000000000000000000000000"

_SCRUB = ("NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_ACCESS_KEY", "NCLOUD_ACCESS_KEY",
          "NCLOUD_SECRET_KEY", "NCLOUD_API_GW", "http_proxy", "https_proxy", "HTTP_PROXY",
          "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


def action_table():
    """{action: [param, ...]} read from the table itself, in order."""
    acts, cur = {}, None
    with open(ACTIONS_DEF, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*NCP_ACTION\((\w+),", line)
            if m:
                cur = m.group(1)
                acts[cur] = []
                continue
            m = re.match(r"\s*NCP_PARAM\((\w+),", line)
            if m and cur:
                acts[cur].append(m.group(1))
    return acts


class FakeEndpoint:
    """A loopback HTTP server that answers what the test sets per path prefix, and
    records every request (path, headers, body)."""

    def __init__(self):
        self.answers = {}  # first path segment -> (status, content type, body bytes)
        self.requests = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                fake.requests.append((self.path, {k.lower(): v for k, v in
                                                  self.headers.items()}, body))
                key = self.path.split("/")[1]
                status, ctype, data = fake.answers.get(key, (404, "text/plain", b"nothing"))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, prefix):
        return "http://127.0.0.1:%d/%s" % (self.server.server_address[1], prefix)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class NcpctlCase(NcpdTestCase):

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(NCPCTL):
            raise AssertionError("ncpctl binary not found at %s (make build)" % NCPCTL)
        cls.d = cls.new_class_daemon(sim_step_ms=100)

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="ncpctl-home-")
        self.addCleanup(shutil.rmtree, self.home, True)

    # -- helpers --------------------------------------------------------------

    def env(self, **extra):
        e = {k: v for k, v in os.environ.items() if k not in _SCRUB}
        e["HOME"] = self.home
        e.update(extra)
        return e

    def good_env(self, **extra):
        e = dict(NCLOUD_ACCESS_KEY_ID=ACCESS_KEY, NCLOUD_SECRET_ACCESS_KEY=SECRET_KEY,
                 NCLOUD_API_GW=self.d.base)
        e.update(extra)
        return self.env(**e)

    def run_cli(self, *args, env=None, stdin=None, timeout=60):
        return subprocess.run([NCPCTL] + list(args), env=env if env is not None else self.env(),
                              input=stdin, capture_output=True, text=True, timeout=timeout)

    def ok(self, *args, env=None, **kw):
        r = self.run_cli(*args, env=env if env is not None else self.good_env(), **kw)
        self.assertEqual(r.returncode, 0, "ncpctl %s: %r" % (" ".join(args), r))
        return r

    def fails(self, code, *args, env=None, **kw):
        r = self.run_cli(*args, env=env if env is not None else self.good_env(), **kw)
        self.assertEqual(r.returncode, code, "ncpctl %s: %r" % (" ".join(args), r))
        self.assertTrue(r.stderr.startswith("ncpctl: "), r.stderr)
        return r

    def one_line_error(self, r):
        """The reason is one line, and nothing leaks to stdout."""
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
        self.assertEqual(r.stdout, "")

    def write_conf(self, text):
        os.makedirs(os.path.join(self.home, ".ncloud"), mode=0o700, exist_ok=True)
        path = os.path.join(self.home, ".ncloud", "configure")
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)
        return path

    def servers(self, r):
        inner = json.loads(r.stdout)["getServerInstanceListResponse"]
        return {s["serverInstanceNo"]: (s["serverInstanceStatus"]["code"],
                                        s["serverInstanceOperation"]["code"])
                for s in inner["serverInstanceList"]}

    # -- configure ------------------------------------------------------------

    def test_configure_writes_0600_file_and_is_used(self):
        answers = "%s\n%s\n%s\n" % (ACCESS_KEY, SECRET_KEY, self.d.base)
        r = self.ok("configure", env=self.env(), stdin=answers)
        path = os.path.join(self.home, ".ncloud", "configure")
        self.assertIn(path, r.stdout)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
        with open(path) as f:
            text = f.read()
        self.assertIn("[DEFAULT]", text)
        self.assertIn("ncloud_access_key_id = %s" % ACCESS_KEY, text)
        self.assertIn("ncloud_secret_access_key = %s" % SECRET_KEY, text)
        self.assertIn("ncloud_api_url = %s" % self.d.base, text)

        # used with no env at all
        r = self.ok("server", "getZoneList", env=self.env())
        self.assertIn("getZoneListResponse", json.loads(r.stdout))

        # a second run shows the current values masked and keeps them on empty answers
        r = self.ok("configure", env=self.env(), stdin="\n\n\n")
        self.assertNotIn(SECRET_KEY, r.stdout)
        self.assertNotIn(ACCESS_KEY, r.stdout)
        self.assertIn("*" * 8 + SECRET_KEY[-4:], r.stdout)
        self.assertIn(self.d.base, r.stdout)  # the URL is no secret
        with open(path) as f:
            self.assertEqual(f.read(), text)

        # another profile keeps DEFAULT intact, comments too
        with open(path, "a") as f:
            f.write("# keep me\n")
        self.ok("configure", "--profile", "other", env=self.env(),
                stdin="OTHERKEY\nOTHERSECRET\nhttp://127.0.0.1:1\n")
        with open(path) as f:
            both = f.read()
        self.assertTrue(both.startswith(text), both)
        self.assertIn("# keep me", both)
        self.assertIn("[other]\nncloud_access_key_id = OTHERKEY\n", both)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.ok("server", "getZoneList", env=self.env())

        # a missing key is refused and the file stays as it was
        r = self.fails(2, "configure", "--profile", "third", env=self.env(), stdin="\n\n\n")
        with open(path) as f:
            self.assertEqual(f.read(), both)

    # -- precedence -------------------------------------------------------------

    def test_precedence_flags_env_file(self):
        dead = "http://127.0.0.1:%d" % free_port()
        self.write_conf("[DEFAULT]\nncloud_access_key_id = %s\nncloud_secret_access_key = %s\n"
                        "ncloud_api_url = %s\n\n[good]\nncloud_access_key_id = %s\n"
                        "ncloud_secret_access_key = %s\nncloud_api_url = %s\n"
                        "\n[nourl]\nncloud_access_key_id = %s\nncloud_secret_access_key = %s\n"
                        % (ACCESS_KEY, WRONG_SECRET, dead, ACCESS_KEY, SECRET_KEY, self.d.base,
                           ACCESS_KEY, SECRET_KEY))
        # the file alone: wrong secret, dead URL
        self.fails(3, "server", "getZoneList", env=self.env())
        r = self.fails(1, "server", "getZoneList", "--endpoint", self.d.base, env=self.env())
        self.assertIn("HTTP 401", r.stderr)
        self.assertIn("errorCode 200", r.stderr)
        # env beats the file (keys and URL)
        self.ok("server", "getZoneList", env=self.good_env())
        # the alternative env names work too
        self.ok("server", "getZoneList", env=self.env(NCLOUD_ACCESS_KEY=ACCESS_KEY,
                                                      NCLOUD_SECRET_KEY=SECRET_KEY,
                                                      NCLOUD_API_GW=self.d.base))
        # --profile beats wrong env keys and a dead env URL
        bad_env = self.env(NCLOUD_ACCESS_KEY_ID=ACCESS_KEY, NCLOUD_SECRET_ACCESS_KEY=WRONG_SECRET,
                           NCLOUD_API_GW=dead)
        self.fails(3, "server", "getZoneList", env=bad_env)
        self.ok("--profile", "good", "server", "getZoneList", env=bad_env)
        self.ok("server", "getZoneList", "--profile", "good", env=bad_env)
        # a profile without a URL: the env URL, then --endpoint above everything
        self.fails(3, "server", "getZoneList", "--profile", "nourl", env=bad_env)
        self.ok("server", "getZoneList", "--profile", "nourl", "--endpoint", self.d.base,
                env=bad_env)
        # --endpoint beats NCLOUD_API_GW
        self.ok("server", "getZoneList", "--endpoint", self.d.base,
                env=self.good_env(NCLOUD_API_GW=dead))
        # an unknown profile and a half-set env pair are usage errors
        r = self.fails(2, "server", "getZoneList", "--profile", "nope", env=bad_env)
        self.assertIn("nope", r.stderr)
        r = self.fails(2, "server", "getZoneList", env=self.env(NCLOUD_ACCESS_KEY_ID=ACCESS_KEY))
        self.assertIn("NCLOUD_SECRET_ACCESS_KEY", r.stderr)

    def test_missing_credentials_says_where_it_looked(self):
        r = self.fails(2, "server", "getZoneList", env=self.env())
        self.one_line_error(r)
        for place in ("--profile", "NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_ACCESS_KEY",
                      "NCLOUD_ACCESS_KEY", "NCLOUD_SECRET_KEY",
                      os.path.join(self.home, ".ncloud", "configure")):
            self.assertIn(place, r.stderr)

    # -- output -------------------------------------------------------------------

    def test_output_json_is_indented_and_ordered(self):
        r = self.ok("server", "getServerInstanceList")
        doc = json.loads(r.stdout)
        self.assertEqual(list(doc), ["getServerInstanceListResponse"])
        inner = doc["getServerInstanceListResponse"]
        self.assertEqual(list(inner)[:5], ["requestId", "returnCode", "returnMessage",
                                           "totalRows", "serverInstanceList"])
        self.assertEqual(inner["returnCode"], "0")
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "{")
        self.assertTrue(lines[1].startswith('  "getServerInstanceListResponse"'), lines[1])
        self.assertTrue(lines[2].startswith('    "requestId"'), lines[2])
        # non-ASCII text is kept as UTF-8
        self.assertIn("내서버이미지", r.stdout)
        # lists: several values after one option
        r = self.ok("server", "getServerInstanceList", "--serverInstanceNoList", "1021003",
                    "1021004", "--sortingOrder", "DESCENDING")
        self.assertEqual(list(self.servers(r)), ["1021004", "1021003"])

    def test_output_xml_as_received(self):
        r = self.ok("server", "getServerInstanceList", "--serverInstanceNoList", "1021003",
                    "--output", "xml")
        root = ET.fromstring(r.stdout)
        self.assertEqual(root.tag, "getServerInstanceListResponse")
        self.assertEqual(root.findtext("returnCode"), "0")
        self.assertEqual(root.findtext("serverInstanceList/serverInstance/serverInstanceNo"),
                         "1021003")

    def test_output_table(self):
        r = self.ok("server", "getServerInstanceList", "--output", "table")
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["NUMBER", "NAME", "STATUS", "OPERATION",
                                            "PRIVATE_IP", "PUBLIC_IP", "ZONE"])
        rows = {l.split()[0]: l.split() for l in lines[1:]}
        self.assertEqual(rows["1021003"][1], "s1669aa4e78c")
        self.assertEqual(rows["1021003"][4:], ["10.41.3.81", "106.10.46.237", "KR-2"])
        self.assertIn(rows["1021003"][2], ("RUN", "NSTOP"))
        # columns are aligned: every row starts its NAME column where the header does
        col = lines[0].index("NAME")
        for l in lines[1:]:
            self.assertEqual(l[col - 2:col], "  ", l)
            self.assertNotEqual(l[col], " ", l)
        # other lists: their scalar fields
        r = self.ok("server", "getZoneList", "--output", "table")
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["zoneNo", "zoneName", "zoneCode", "zoneDescription",
                                            "regionNo"])
        self.assertIn("KR-2", lines[1])

    def test_query(self):
        r = self.ok("server", "getServerInstanceList", "--query", "serverInstanceNo",
                    "--sortedBy", "serverInstanceNo")
        nos = r.stdout.split()
        self.assertTrue({"1021003", "1021004", "1021005", "1021006"} <= set(nos), nos)
        r = self.ok("server", "getServerInstanceList", "--serverInstanceNoList", "1021006",
                    "--query", "serverInstanceStatus.code")
        self.assertEqual(r.stdout, "NSTOP\n")
        r = self.ok("server", "getServerInstanceList", "--query", "totalRows")
        self.assertRegex(r.stdout, r"^\d+\n$")
        r = self.ok("server", "createLoginKey", "--keyName", "query-key", "--query", "privateKey")
        self.assertTrue(r.stdout.startswith("-----BEGIN RSA PRIVATE KEY-----\n"), r.stdout[:40])
        r = self.fails(2, "server", "getServerInstanceList", "--query", "serverNme")
        self.assertIn("serverName", r.stderr)
        self.fails(2, "server", "getZoneList", "--query", "zoneNo", "--output", "xml")

    # -- --wait through the lifecycle ------------------------------------------------

    def test_wait_stop_start_create_terminate(self):
        env = self.good_env()
        # stop: the final list shows NSTOP/NULL, and no progress on a non-terminal
        r = self.ok("server", "stopServerInstances", "--serverInstanceNoList", "1021004",
                    "--wait", env=env)
        self.assertEqual(self.servers(r), {"1021004": ("NSTOP", "NULL")})
        self.assertEqual(r.stderr, "")
        # start, in a table, with the progress line on a terminal
        out, err, rc = self.run_with_tty_stderr(
            "server", "startServerInstances", "--serverInstanceNoList", "1021004", "--wait",
            "--output", "table", env=env)
        self.assertEqual(rc, 0, (out, err))
        self.assertIn("waiting for RUN/NULL", err)
        self.assertIn("1/1 servers", err)
        self.assertEqual(out.splitlines()[1].split()[:4], ["1021004", "web-01", "RUN", "NULL"])

        # create with a new login key, then its root password through an object list
        pem = self.ok("server", "createLoginKey", "--keyName", "wait-key", "--query",
                      "privateKey", env=env).stdout
        r = self.ok("server", "createServerInstances", "--serverImageProductCode", IMAGE,
                    "--serverName", "cli-wait", "--serverCreateCount", "2", "--loginKeyName",
                    "wait-key", "--instanceTagList", "tagKey=env, tagValue=test", "--wait",
                    env=env)
        created = self.servers(r)
        self.assertEqual(len(created), 2, r.stdout)
        self.assertEqual(set(created.values()), {("RUN", "NULL")})
        nos = sorted(created)
        tags = json.loads(r.stdout)["getServerInstanceListResponse"]["serverInstanceList"][0][
            "instanceTagList"]
        self.assertEqual([(t["tagKey"], t["tagValue"]) for t in tags], [("env", "test")])
        one = self.ok("server", "getRootPassword", "--serverInstanceNo", nos[0], "--privateKey",
                      pem, "--query", "rootPassword", env=env).stdout.strip()
        self.assertTrue(one)
        r = self.ok("server", "getRootPasswordServerInstanceList",
                    "--rootPasswordServerInstanceList",
                    "serverInstanceNo=%s, privateKey=%s" % (nos[0], pem),
                    "serverInstanceNo=%s, privateKey=%s" % (nos[1], pem),
                    "--query", "rootPassword", env=env)
        pw = r.stdout.splitlines()
        self.assertEqual(len(pw), 2)
        self.assertEqual(pw[0], one)

        # stop both (one request), then terminate: the final list is empty
        r = self.ok("server", "stopServerInstances", "--serverInstanceNoList", *nos, "--wait",
                    env=env)
        self.assertEqual(set(self.servers(r).values()), {("NSTOP", "NULL")})
        r = self.ok("server", "terminateServerInstances", "--serverInstanceNoList", *nos,
                    "--wait", "--output", "xml", env=env)
        root = ET.fromstring(r.stdout)
        self.assertEqual(root.tag, "getServerInstanceListResponse")
        self.assertEqual(root.findtext("totalRows"), "0")
        r = self.ok("server", "getServerInstanceList", "--serverInstanceNoList", *nos, env=env)
        self.assertEqual(self.servers(r), {})

        # a deadline shorter than a creation: exit 1 with a message
        r = self.fails(1, "server", "createServerInstances", "--serverImageProductCode", IMAGE,
                       "--wait", "--timeout", "0.1", env=env)
        self.assertIn("timed out", r.stderr)
        # --wait makes no sense on a read
        self.fails(2, "server", "getZoneList", "--wait", env=env)

    def test_wait_and_tables_of_the_classic_resources(self):
        """issue 11: --wait follows each resource's own list to its target state (or until it
        is gone); --output table shows the columns of each resource."""
        env = self.good_env()

        def table(*args):
            lines = self.ok("server", *args, "--output", "table", env=env).stdout.splitlines()
            return lines[0].split(), [l.split() for l in lines[1:]]
        # a disk: created (attached), detached, deleted
        head, rows = table("createBlockStorageInstance", "--serverInstanceNo", "1021006",
                           "--blockStorageSize", "10", "--blockStorageName", "cli-disk", "--wait")
        self.assertEqual(head, ["NUMBER", "NAME", "TYPE", "SIZE", "STATUS", "OPERATION",
                                "SERVER", "DEVICE", "ZONE"])
        (disk,) = rows
        self.assertEqual(disk[1:], ["cli-disk", "SVRBS", "10737418240", "ATTAC", "NULL",
                                    "1021006", "/dev/xvdb", "KR-2"])
        r = self.ok("server", "detachBlockStorageInstances", "--blockStorageInstanceNoList",
                    disk[0], "--wait", "--query", "blockStorageInstanceStatus.code", env=env)
        self.assertEqual(r.stdout, "CREAT\n")
        r = self.ok("server", "deleteBlockStorageInstances", "--blockStorageInstanceNoList",
                    disk[0], "--wait", env=env)
        self.assertEqual(json.loads(r.stdout)["getBlockStorageInstanceListResponse"][
            "totalRows"], 0)
        # a snapshot of the seed's boot disk
        head, rows = table("createBlockStorageSnapshotInstance", "--blockStorageInstanceNo",
                           "1021103", "--blockStorageSnapshotName", "cli-snap", "--wait")
        self.assertEqual(head, ["NUMBER", "NAME", "SIZE", "STATUS", "OPERATION", "ORIGINAL"])
        self.assertEqual(rows[0][1:], ["cli-snap", "53687091200", "CREAT", "NULL", "1021103"])
        # a public IP: associated, then free, then gone
        r = self.ok("server", "createPublicIpInstance", "--serverInstanceNo", "1021006",
                    "--wait", "--query", "publicIpInstanceStatus.code", env=env)
        self.assertEqual(r.stdout, "USED\n")
        head, rows = table("getPublicIpInstanceList", "--isAssociated", "true",
                           "--sortedBy", "publicIpInstanceNo")
        self.assertEqual(head, ["NUMBER", "PUBLIC_IP", "STATUS", "OPERATION", "SERVER",
                                "SERVER_NAME", "ZONE"])
        ip = [x for x in rows if x[4] == "1021006"][0]
        self.assertEqual(ip[2:], ["USED", "NULL", "1021006", "db-01", "KR-2"])
        r = self.ok("server", "disassociatePublicIpFromServerInstance", "--publicIpInstanceNo",
                    ip[0], "--wait", "--query", "publicIpInstanceStatus.code", env=env)
        self.assertEqual(r.stdout, "CREAT\n")
        r = self.ok("server", "deletePublicIpInstances", "--publicIpInstanceNoList", ip[0],
                    "--wait", "--query", "totalRows", env=env)
        self.assertEqual(r.stdout, "0\n")
        # port forwarding: a rule in a table
        self.ok("server", "addPortForwardingRules", "--portForwardingConfigurationNo", "31260",
                "--portForwardingRuleList", "serverInstanceNo=1021006, "
                "portForwardingExternalPort=2222, portForwardingInternalPort=22", env=env)
        head, rows = table("getPortForwardingRuleList", "--zoneNo", "3")
        self.assertEqual(head, ["CONFIGURATION", "PUBLIC_IP", "EXTERNAL_PORT", "INTERNAL_PORT",
                                "SERVER", "SERVER_NAME"])
        self.assertEqual(rows, [["31260", "106.10.51.90", "2222", "22", "1021006", "db-01"]])
        self.ok("server", "deletePortForwardingRules", "--portForwardingConfigurationNo",
                "31260", "--portForwardingRuleList", "serverInstanceNo=1021006, "
                "portForwardingExternalPort=2222, portForwardingInternalPort=22", env=env)
        # a NAS volume
        head, rows = table("createNasVolumeInstance", "--volumeName", "clivol", "--volumeSize",
                           "500", "--volumeAllotmentProtocolTypeCode", "NFS", "--wait")
        self.assertEqual(head, ["NUMBER", "NAME", "PROTOCOL", "SIZE", "STATUS", "OPERATION",
                                "MOUNT", "ZONE"])
        self.assertEqual(rows[0][1:], ["n000001_clivol", "NFS", "536870912000", "CREAT", "NULL",
                                       "10.250.53.74:/n000001_clivol", "KR-2"])
        r = self.ok("server", "changeNasVolumeSize", "--nasVolumeInstanceNo", rows[0][0],
                    "--volumeSize", "700", "--wait", "--query", "volumeSize", env=env)
        self.assertEqual(r.stdout, "751619276800\n")
        r = self.ok("server", "deleteNasVolumeInstance", "--nasVolumeInstanceNo", rows[0][0],
                    "--wait", "--query", "totalRows", env=env)
        self.assertEqual(r.stdout, "0\n")
        # a member image of a stopped server
        head, rows = table("createMemberServerImage", "--serverInstanceNo", "1021005",
                           "--memberServerImageName", "cli-image", "--wait")
        self.assertEqual(head, ["NUMBER", "NAME", "STATUS", "OPERATION", "PLATFORM",
                                "ORIGINAL_SERVER", "SHARE"])
        self.assertEqual(rows[0][1:], ["cli-image", "CREAT", "NULL", "LNX64", "1021005", "NULL"])
        r = self.ok("server", "deleteMemberServerImages", "--memberServerImageNoList",
                    rows[0][0], "--wait", "--query", "totalRows", env=env)
        self.assertEqual(r.stdout, "0\n")
        # tags and network interfaces
        self.ok("server", "createInstanceTags", "--instanceNoList", "1021006",
                "--instanceTagList", "tagKey=cli, tagValue=yes", env=env)
        head, rows = table("getInstanceTagList", "--tagKeyList", "cli")
        self.assertEqual((head, rows), (["INSTANCE", "KEY", "VALUE"], [["1021006", "cli", "yes"]]))
        self.ok("server", "createNetworkInterface", "--privateSubnetInstanceNo", "1021301",
                "--networkInterfaceName", "cli-nic", "--networkInterfaceIp", "10.200.3.77",
                env=env)
        head, rows = table("getNetworkInterfaceList")
        self.assertEqual(head, ["NUMBER", "NAME", "IP", "STATUS", "SERVER", "ZONE"])
        self.assertEqual([x[1:4] for x in rows], [["cli-nic", "10.200.3.77", "CREAT"]])
        # --wait on an action without a transition, or a read: a usage error
        self.fails(2, "server", "createInstanceTags", "--instanceNoList", "1021006",
                   "--instanceTagList", "tagKey=a, tagValue=b", "--wait", env=env)
        self.fails(2, "server", "getBlockStorageInstanceList", "--wait", env=env)

    def run_with_tty_stderr(self, *args, env):
        master, slave = pty.openpty()
        p = subprocess.Popen([NCPCTL] + list(args), env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        chunks = []
        try:
            while True:
                ready, _, _ = select.select([master], [], [], 30)
                if not ready:
                    break
                try:
                    data = os.read(master, 4096)
                except OSError:  # EIO: the child closed its end
                    break
                if not data:
                    break
                chunks.append(data)
            out = p.stdout.read()
            p.wait(timeout=30)
        finally:
            os.close(master)
            p.stdout.close()
        return out.decode(), b"".join(chunks).decode("utf-8", "replace"), p.returncode

    # -- help and completion ----------------------------------------------------------

    def test_help_from_the_table(self):
        table = action_table()
        self.assertIn("stopServerInstances", table)
        r = self.ok("server", "--help", env=self.env())
        for name in table:
            self.assertIn(name, r.stdout)
        for name in ("stopServerInstances", "createServerInstances", "getServerInstanceList",
                     "getRootPasswordServerInstanceList"):
            r = self.ok("server", name, "--help", env=self.env())
            for p in table[name]:
                self.assertRegex(r.stdout, r"--%s\s" % p)
        r = self.ok("server", "createServerInstances", "--help", env=self.env())
        line = next(l for l in r.stdout.splitlines() if "--serverCreateCount" in l)
        self.assertIn("Integer", line)
        self.assertIn("1-20", line)
        line = next(l for l in r.stdout.splitlines() if "--feeSystemTypeCode" in l)
        self.assertIn("MTRAT|FXSUM", line)
        r = self.ok("server", "stopServerInstances", "--help", env=self.env())
        line = next(l for l in r.stdout.splitlines() if l.startswith("  --serverInstanceNoList"))
        self.assertIn("yes", line.split())
        self.ok("--help", env=self.env())

    def test_completion_bash(self):
        r = self.ok("completion", "bash", env=self.env())
        script = os.path.join(self.home, "ncpctl.bash")
        with open(script, "w") as f:
            f.write(r.stdout)
        check = subprocess.run(["bash", "-n", script], capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stderr)
        for name in action_table():
            self.assertIn(name, r.stdout)
        # and it completes: actions, then the parameters of one action, then enum values
        probe = ('source "$1"\n'
                 'c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); '
                 'COMPREPLY=(); _ncpctl; echo "${COMPREPLY[*]}"; }\n'
                 'c ncpctl server stopS\n'
                 'c ncpctl server stopServerInstances --serverIn\n'
                 'c ncpctl server getServerInstanceList --sortingOrder ""\n')
        out = subprocess.run(["bash", "-c", probe, "probe", script], capture_output=True,
                             text=True)
        self.assertEqual(out.stdout.splitlines(), ["stopServerInstances",
                                                   "--serverInstanceNoList",
                                                   "ascending descending"], out)
        self.fails(2, "completion", "fish", env=self.env())

    # -- exit codes ---------------------------------------------------------------------

    def test_exit_1_api_errors(self):
        # 1021006 is stopped in the seed: stopping it again is 28005, in JSON and in XML
        for fmt in ("json", "xml"):
            r = self.fails(1, "server", "stopServerInstances", "--serverInstanceNoList",
                           "1021006", "--output", fmt)
            self.one_line_error(r)
            self.assertIn("HTTP 400", r.stderr)
            self.assertIn("returnCode 28005", r.stderr)
            self.assertIn("already suspended", r.stderr)
        # unknown server: 24120
        r = self.fails(1, "server", "stopServerInstances", "--serverInstanceNoList", "999999")
        self.assertIn("24120", r.stderr)
        # gateway error (wrong secret): errorCode and details
        r = self.fails(1, "server", "getZoneList",
                       env=self.good_env(NCLOUD_SECRET_ACCESS_KEY=WRONG_SECRET))
        self.one_line_error(r)
        self.assertIn("HTTP 401", r.stderr)
        self.assertIn("errorCode 200", r.stderr)
        self.assertIn("Authentication Failed", r.stderr)

    def test_exit_2_usage_errors(self):
        r = self.fails(2, "server", "stopServerInstance", "--serverInstanceNoList", "1021003")
        self.one_line_error(r)
        self.assertIn("stopServerInstances", r.stderr)
        r = self.fails(2, "server", "stopServerInstances", "--serverInstanceNo", "1021003")
        self.assertIn("--serverInstanceNoList", r.stderr)
        r = self.fails(2, "server", "getServerInstanceList", "--outptu", "table")
        self.assertIn("--output", r.stderr)
        r = self.fails(2, "server", "stopServerInstances")
        self.assertIn("--serverInstanceNoList", r.stderr)
        r = self.fails(2, "server", "getServerInstanceList", "--sortingOrder", "up")
        self.assertIn("ascending|descending", r.stderr)
        r = self.fails(2, "server", "createServerInstances", "--serverCreateCount", "many")
        self.assertIn("not an integer", r.stderr)
        r = self.fails(2, "server", "createServerInstances", "--serverCreateCount", "21")
        self.assertIn("[1, 20]", r.stderr)
        r = self.fails(2, "server", "setProtectServerTermination", "--serverInstanceNo",
                       "1021003", "--isProtectServerTermination", "yes")
        self.assertIn("true or false", r.stderr)
        r = self.fails(2, "server", "getRootPasswordServerInstanceList",
                       "--rootPasswordServerInstanceList", "serverInstanceNo=1, privKey=x")
        self.assertIn("privateKey", r.stderr)
        self.fails(2, "server", "stopServerInstances", "1021003")
        self.fails(2, "server", "getZoneList", "--output", "yaml")
        self.fails(2, "server", "getZoneList", "--endpoint", "ftp://127.0.0.1")
        self.fails(2, "stopServerInstances")
        for args in ([], ["server"]):  # usage text, then the error
            r = self.run_cli(*args, env=self.good_env())
            self.assertEqual(r.returncode, 2, r)
            self.assertIn("usage:", r.stderr)
            self.assertEqual(r.stdout, "")

    def test_exit_3_closed_port(self):
        r = self.fails(3, "server", "getZoneList", "--endpoint",
                       "http://127.0.0.1:%d" % free_port())
        self.one_line_error(r)
        self.assertIn("transport error", r.stderr)

    def test_exit_3_non_ncp_bodies_and_signing_with_a_prefix(self):
        fake = FakeEndpoint()
        self.addCleanup(fake.close)
        fake.answers = {
            "html": (200, "text/html", b"<html><body>hello</body></html>"),
            "json": (200, "application/json", b'{"hello": "world"}'),
            "bad": (502, "text/plain", b"Bad Gateway"),
            "empty": (200, "text/plain", b""),
            "garbage": (200, "application/json", b"{not json"),
            "partial": (200, "application/json", json.dumps({"stopServerInstancesResponse": {
                "requestId": "x", "returnCode": "22001",
                "returnMessage": "1 among 2 servers failed for operation. The problem is being "
                                 "handled. Please hold for a moment.",
                "totalRows": 1, "serverInstanceList": [{"serverInstanceNo": "7"}]}}).encode()),
            "gw": (429, "application/json", b'{"error": {"errorCode": "410", '
                                            b'"message": "Throttle Limited", "details": "slow"}}'),
        }
        for prefix in ("html", "json", "bad", "empty", "garbage"):
            r = self.fails(3, "server", "getZoneList", "--endpoint", fake.url(prefix))
            self.one_line_error(r)
        # 22001: the answer is printed, and the exit code is 1
        r = self.run_cli("server", "stopServerInstances", "--serverInstanceNoList", "7", "8",
                         "--endpoint", fake.url("partial"), env=self.good_env())
        self.assertEqual(r.returncode, 1, r)
        self.assertEqual(json.loads(r.stdout)["stopServerInstancesResponse"]["returnCode"],
                         "22001")
        self.assertIn("22001", r.stderr)
        r = self.fails(1, "server", "getZoneList", "--endpoint", fake.url("gw"))
        self.assertIn("HTTP 429", r.stderr)
        self.assertIn("errorCode 410", r.stderr)

        # what went on the wire: POST to the prefixed path, signed over that full path,
        # a form body with the list items numbered and responseFormatType
        path, headers, body = fake.requests[-2]
        self.assertEqual(path, "/partial/server/v2/stopServerInstances")
        self.assertEqual(headers["content-type"], "application/x-www-form-urlencoded")
        self.assertEqual(headers["x-ncp-iam-access-key"], ACCESS_KEY)
        ts = headers["x-ncp-apigw-timestamp"]
        self.assertRegex(ts, r"^\d{13}$")
        self.assertEqual(headers["x-ncp-apigw-signature-v2"],
                         signature(SECRET_KEY, "POST", path, ts, ACCESS_KEY))
        pairs = urllib.parse.parse_qsl(body.decode())
        self.assertIn(("responseFormatType", "json"), pairs)
        self.assertIn(("serverInstanceNoList.1", "7"), pairs)
        self.assertIn(("serverInstanceNoList.2", "8"), pairs)


if __name__ == "__main__":
    unittest.main()

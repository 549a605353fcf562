"""Shared helpers for the reliability suites (test_r_*.py): crash consistency,
concurrency races, hostile input and limits, memory checking.

Python 3 standard library only; builds on ncpd_harness (which it does not change).

Also a small command line used by `make test-valgrind`:

    python3 tests/e2e/reliability_util.py valgrind-report DIR

summarises the valgrind output under DIR (daemon logs kept by the harness and the
command line logs of tests/e2e/valgrind-ncpd.sh) and exits 1 when it holds an error
(definite leak, invalid read/write, uninitialised value, bad free ...).
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from ncpd_harness import REPO, json_loads_strict, xml_to_obj  # noqa: E402

ACTIONS_DEF = os.path.join(REPO, "src", "spec", "actions.def")
LINUX_IMAGE = "SPSW0LINUX000046"

# ---------------------------------------------------------------------------
# The action table (src/spec/actions.def)
# ---------------------------------------------------------------------------

_ACTION_RE = re.compile(r"^\s*NCP_ACTION\(\s*(\w+)\s*,\s*([^,]*?)\s*,")
_PARAM_RE = re.compile(r"^\s*NCP_PARAM\(\s*(\w+)\s*,\s*(NCP_T_\w+)\s*,\s*([^,]*?)\s*,"
                       r"\s*([^,]*?)\s*,\s*([^,]*?)\s*,\s*(NULL|\"[^\"]*\")\s*,")


class Param:
    def __init__(self, name, type_, flags, lo, hi, enums):
        self.name = name
        self.type = type_          # e.g. 'NCP_T_STR'
        self.required = "NCP_P_REQ" in flags
        self.raw = "NCP_P_RAW" in flags
        self.min = lo
        self.max = hi
        self.enums = enums         # list of strings (enum values or object fields) or []

    @property
    def is_list(self):
        return self.type in ("NCP_T_LIST_STR", "NCP_T_LIST_NO", "NCP_T_LIST_ENUM",
                             "NCP_T_OBJLIST")

    def __repr__(self):
        return "Param(%s %s%s)" % (self.name, self.type, " req" if self.required else "")


class Action:
    def __init__(self, name, flags):
        self.name = name
        self.write = "NCP_A_WRITE" in flags
        self.params = []

    def param(self, name):
        for p in self.params:
            if p.name == name:
                return p
        return None

    def __repr__(self):
        return "Action(%s, %r)" % (self.name, self.params)


def _num(text):
    text = text.strip()
    try:
        return int(text, 0)
    except ValueError:
        return None  # a macro such as NCP_LIST_MAX


def load_action_table(path=ACTIONS_DEF):
    """Parse the X-macro table: [Action] in file order."""
    actions = []
    cur = None
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            m = _ACTION_RE.match(line)
            if m:
                cur = Action(m.group(1), m.group(2))
                actions.append(cur)
                continue
            m = _PARAM_RE.match(line)
            if m and cur is not None:
                enums = [] if m.group(6) == "NULL" else m.group(6).strip('"').split("|")
                cur.params.append(Param(m.group(1), m.group(2), m.group(3), _num(m.group(4)),
                                        _num(m.group(5)), enums))
    if not actions:
        raise AssertionError("no NCP_ACTION rows parsed from %s" % path)
    return actions


def make_rsa_keypair():
    """(OpenSSH public line, PKCS#1 PEM private key) made with ssh-keygen, so that a test
    needs no createLoginKey (RSA generation is slow, very slow under valgrind)."""
    d = tempfile.mkdtemp(prefix="ncpd-r-key-")
    try:
        p = os.path.join(d, "id_rsa")
        r = subprocess.run(["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N",
                            "", "-C", "reliability", "-f", p], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError("ssh-keygen failed: %r" % r.stderr)
        with open(p + ".pub") as f:
            pub = f.read().strip()
        with open(p) as f:
            pem = f.read()
        return pub, pem
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------------------
# Answer classification
# ---------------------------------------------------------------------------

class Answer:
    """kind: 'success' | 'api_error' | 'gateway' | 'none' (no HTTP answer) |
    'malformed' (an answer that is not a well-formed envelope; problem says why)."""

    def __init__(self, kind, http, code=None, message=None, inner=None, problem=None):
        self.kind = kind
        self.http = http
        self.code = code
        self.message = message
        self.inner = inner
        self.problem = problem

    def __repr__(self):
        return "Answer(%s http=%s code=%r msg=%r%s)" % (
            self.kind, self.http, self.code, (self.message or "")[:120],
            " problem=%s" % self.problem if self.problem else "")


def classify(resp, fmt):
    """Classify an API answer in format fmt ('xml' or 'json')."""
    if resp is None or resp.status == 0:
        return Answer("none", 0)
    st = resp.status
    body = resp.body
    # gateway errors are always JSON {"error": {...}}
    if st >= 300 and body[:1] == b"{":
        try:
            obj = json_loads_strict(body)
        except ValueError as exc:
            return Answer("malformed", st, problem="JSON does not parse: %s" % exc)
        if isinstance(obj, dict) and list(obj) == ["error"]:
            err = obj["error"]
            if not isinstance(err, dict) or not isinstance(err.get("errorCode"), str):
                return Answer("malformed", st, problem="gateway error without string errorCode")
            return Answer("gateway", st, err["errorCode"], err.get("message"), err)
    try:
        if fmt == "json":
            obj = json_loads_strict(body)
            if not isinstance(obj, dict) or len(obj) != 1:
                return Answer("malformed", st, problem="JSON is not a single-root object")
            (root, inner), = obj.items()
            if not isinstance(inner, dict):
                return Answer("malformed", st, problem="JSON root value is not an object")
        else:
            el = ET.fromstring(body)
            root, inner = el.tag, xml_to_obj(el)
            if not isinstance(inner, dict):
                inner = {}
    except (ValueError, ET.ParseError, AssertionError) as exc:
        return Answer("malformed", st, problem="%s does not parse: %s" % (fmt, exc))
    code, msg = inner.get("returnCode"), inner.get("returnMessage")
    if not isinstance(code, str) or not isinstance(msg, str):
        return Answer("malformed", st, code, msg, inner,
                      problem="returnCode/returnMessage missing or not strings")
    if st == 200:
        if not root.endswith("Response") or code != "0":
            return Answer("malformed", st, code, msg, inner,
                          problem="HTTP 200 but root %s / returnCode %s" % (root, code))
        return Answer("success", st, code, msg, inner)
    if root != "responseError":
        return Answer("malformed", st, code, msg, inner,
                      problem="error status %d with root %s" % (st, root))
    if code == "0":
        return Answer("malformed", st, code, msg, inner, problem="error with returnCode 0")
    return Answer("api_error", st, code, msg, inner)


def server_state(s):
    """(status, op) of a ServerInstance dict (JSON types or XML text)."""
    return (s["serverInstanceStatus"]["code"], s["serverInstanceOperation"]["code"])


def list_all_servers(client, timeout=15.0):
    """{no: (status, op, name)} of every server of the client's account (JSON)."""
    r = client.call("getServerInstanceList", fmt="json")
    a = classify(r, "json")
    if a.kind != "success":
        raise AssertionError("getServerInstanceList failed: %r %r" % (a, r))
    return {s["serverInstanceNo"]: server_state(s) + (s["serverName"],)
            for s in a.inner["serverInstanceList"]}


# ---------------------------------------------------------------------------
# SQLite helpers (the sqlite3 command line tool)
# ---------------------------------------------------------------------------

def sqlite(db, sql, timeout=30.0):
    """Run sql on the store of a daemon: the sqlite3 CLI on a SQLite file, psql on a
    PostgreSQL URI (rows as a|b either way); (returncode, stdout text, stderr text)."""
    if db.startswith("postgresql:"):
        args = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql]
    else:
        args = ["sqlite3", "-cmd", ".timeout 10000", db, sql]
    r = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def copy_db(db, dest_dir):
    """Copy db and its -wal (as a crash left them; -shm is rebuilt) into dest_dir."""
    out = os.path.join(dest_dir, os.path.basename(db))
    shutil.copyfile(db, out)
    if os.path.exists(db + "-wal"):
        shutil.copyfile(db + "-wal", out + "-wal")
    return out


def integrity_check(db):
    """`PRAGMA integrity_check` output (stripped); 'ok' when sound. On PostgreSQL: that the
    database answers a query over every table of the store."""
    if db.startswith("postgresql:"):
        rc, out, err = sqlite(db, "SELECT (SELECT count(*) FROM servers) >= 0 AND (SELECT "
                                  "count(*) FROM transitions) >= 0 AND (SELECT count(*) FROM "
                                  "instances) >= 0;")
        return "ok" if rc == 0 and out.strip() == "t" else "psql rc=%d: %s %s" % (rc, out, err)
    rc, out, err = sqlite(db, "PRAGMA integrity_check;")
    if rc != 0:
        return "sqlite3 failed rc=%d: %s %s" % (rc, out, err)
    return out.strip()


def crash_image_check(db):
    """Copy the database of a dead daemon, run PRAGMA integrity_check and the
    transition invariants on the copy. Returns a list of problems (empty = fine)."""
    problems = []
    if db.startswith("postgresql:"):  # the dead daemon's database is the crash image
        return transition_invariants(db)
    d = tempfile.mkdtemp(prefix="ncpd-r-crash-")
    try:
        copy = copy_db(db, d)
        ic = integrity_check(copy)
        if ic != "ok":
            problems.append("PRAGMA integrity_check: %s" % ic)
        problems += transition_invariants(copy)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return problems


def transition_invariants(db, settled=False):
    """Store-level invariants of state.c: a server with an operation other than NULL has
    exactly one pending transition row; a transition row belongs to a live server that is
    in a transition (op != NULL, or INIT/NULL: the first state of create). With
    settled=True: no transition rows at all and no server outside NSTOP/RUN.
    Returns a list of problems; an unknown schema is reported as a problem too."""
    queries = [
        ("server in an operation without a transition row",
         "SELECT no, status, op FROM servers WHERE op != 0 AND no NOT IN "
         "(SELECT no FROM transitions);"),
        ("transition row of a server that does not exist",
         "SELECT no, kind, step FROM transitions WHERE no NOT IN "
         "(SELECT no FROM servers);"),
        ("transition row of a server that is not in a transition",
         "SELECT t.no, t.kind, s.status, s.op FROM transitions t JOIN servers s "
         "ON s.no = t.no WHERE s.op = 0 AND s.status != 0;"),
    ]
    queries.append(
        ("server_counts differ from the servers (maintained totalRows counts)",
         "SELECT c.account_id, c.zone_no, c.status, c.n, coalesce(g.n, 0) FROM server_counts c "
         "LEFT JOIN (SELECT account_id, zone_no, status, count(*) AS n FROM servers GROUP BY "
         "account_id, zone_no, status) g ON g.account_id = c.account_id AND g.zone_no = "
         "c.zone_no AND g.status = c.status WHERE c.n != coalesce(g.n, 0) UNION ALL "
         "SELECT g.account_id, g.zone_no, g.status, 0, g.n FROM (SELECT account_id, zone_no, "
         "status, count(*) AS n FROM servers GROUP BY account_id, zone_no, status) g WHERE NOT "
         "EXISTS (SELECT 1 FROM server_counts c WHERE c.account_id = g.account_id AND "
         "c.zone_no = g.zone_no AND c.status = g.status);"))
    if settled:
        queries += [
            ("transition rows left after settling", "SELECT no, kind, step, due_ms FROM "
             "transitions;"),
            ("server not in a final state after settling",
             "SELECT no, status, op FROM servers WHERE op != 0 OR status NOT IN (2, 3);"),
        ]
    problems = []
    for what, q in queries:
        rc, out, err = sqlite(db, q)
        if rc != 0:
            problems.append("%s: query failed (%s)" % (what, err.strip()))
        elif out.strip():
            problems.append("%s: %s" % (what, out.strip().replace("\n", "; ")[:500]))
    return problems


# ---------------------------------------------------------------------------
# State machine checks for the race suite
# ---------------------------------------------------------------------------

# settled state machine: RUN --stop--> NSTOP --start--> RUN, RUN --reboot--> RUN,
# NSTOP --terminate--> GONE
AUTOMATON = {
    ("RUN", "stop"): "NSTOP",
    ("RUN", "reboot"): "RUN",
    ("NSTOP", "start"): "RUN",
    ("NSTOP", "terminate"): "GONE",
}


def linearize(events, initial="RUN"):
    """Find an order of the successful mutations of ONE server that is legal for the
    settled state machine and consistent with real time.

    events: list of dicts with 'kind' (stop/start/reboot/terminate), 't0' (request sent)
    and 't1' (answer received). The commit of each lies inside [t0, t1], so an event
    whose answer came before another was sent must be ordered first; otherwise any order
    is possible. Returns (final_state, order) or raises AssertionError with a diagnosis.

    Greedy and exact for this automaton: a ready reboot can always be placed at once
    while running; among ready events of the same kind the earliest deadline (t1) goes
    first (exchange argument); terminate can only be the very last event."""
    pending = sorted(events, key=lambda e: e["t1"])
    state = initial
    order = []

    def ready():
        out = []
        if not pending:
            return out
        m1 = pending[0]["t1"]
        m2 = pending[1]["t1"] if len(pending) > 1 else float("inf")
        for i, e in enumerate(pending):
            bound = m2 if i == 0 else m1
            if bound >= e["t0"]:
                out.append(e)
        return out

    while pending:
        rd = ready()
        pick = None
        if state == "RUN":
            pick = next((e for e in rd if e["kind"] == "reboot"), None) or \
                next((e for e in rd if e["kind"] == "stop"), None)
        elif state == "NSTOP":
            pick = next((e for e in rd if e["kind"] == "start"), None)
            if pick is None and len(pending) == 1 and rd and rd[0]["kind"] == "terminate":
                pick = rd[0]
        if pick is None:
            blocking = pending[0]
            raise AssertionError(
                "no legal order: after %d placed event(s) the server is %s, but the next "
                "possible answered successes are %s (earliest unplaced: %s); last placed: %s"
                % (len(order), state, [_ev(e) for e in rd[:6]], _ev(blocking),
                   [_ev(e) for e in order[-4:]]))
        pending.remove(pick)
        order.append(pick)
        state = AUTOMATON[(state, pick["kind"])]
    return state, order


def _ev(e):
    return "%s[%.4f..%.4f]%s" % (e["kind"], e["t0"], e["t1"],
                                 (" " + e["note"]) if e.get("note") else "")


# ---------------------------------------------------------------------------
# Threads
# ---------------------------------------------------------------------------

def run_threads(n, fn, name="worker"):
    """Start n threads running fn(i) after a common barrier; return (threads, errors);
    errors collects exceptions raised by fn (with the thread index)."""
    barrier = threading.Barrier(n)
    errors = []
    lock = threading.Lock()

    def body(i):
        try:
            barrier.wait(timeout=30)
            fn(i)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            with lock:
                errors.append((i, exc))

    threads = [threading.Thread(target=body, args=(i,), name="%s-%d" % (name, i), daemon=True)
               for i in range(n)]
    for t in threads:
        t.start()
    return threads, errors


def env_float(name, default):
    v = os.environ.get(name)
    try:
        return float(v) if v else default
    except ValueError:
        return default


def env_int(name, default):
    v = os.environ.get(name)
    try:
        return int(v) if v else default
    except ValueError:
        return default


def rng(name):
    """A random.Random seeded from NCPD_R_SEED (printed so that a run can be replayed)."""
    seed = env_int("NCPD_R_SEED", 0) or random.SystemRandom().randrange(1, 2 ** 31)
    print("[%s] seed NCPD_R_SEED=%d" % (name, seed), file=sys.stderr)
    return random.Random(seed), seed


# ---------------------------------------------------------------------------
# valgrind reports (make test-valgrind)
# ---------------------------------------------------------------------------

_VG_LINE = re.compile(r"^==(\d+)== ?(.*)$")
_VG_FRAME = re.compile(r"^\s+(at|by) 0x[0-9A-Fa-f]+: (.*)$")
_VG_CONT = ("Address ", "Uninitialised value was created", "Block was alloc'd",
            "Block was free'd", " Address ", "This conflicts with")


def _vg_blocks(path):
    """Yield (pid, start_line, [lines]) error blocks of a valgrind text log (-q mode)."""
    cur, cur_pid, start_cmd = None, None, ""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    for line in text.splitlines():
        if line.startswith("=== start "):
            start_cmd = line
            continue
        m = _VG_LINE.match(line)
        if not m:
            continue
        pid, body = m.group(1), m.group(2)
        if not body.strip():
            if cur:
                yield cur_pid, start_cmd, cur
            cur = None
            continue
        if cur is not None and pid == cur_pid and (_VG_FRAME.match(body) or
                                                   body.startswith(_VG_CONT) or
                                                   body.startswith(" ")):
            cur.append(body)
            continue
        if cur:
            yield cur_pid, start_cmd, cur
        cur, cur_pid = [body], pid
    if cur:
        yield cur_pid, start_cmd, cur


def _vg_kind(msg):
    if "definitely lost" in msg:
        return "leak-definite", True
    if "possibly lost" in msg:
        return "leak-possible", False
    if "indirectly lost" in msg or "still reachable" in msg:
        return "leak-other", False
    if re.match(r"^Thread \d+", msg) or msg.startswith(("Parent PID", "(action ", "  ")):
        return None, False
    if msg.startswith(("HEAP SUMMARY", "LEAK SUMMARY", "ERROR SUMMARY", "For lists",
                       "Rerun with", "For counts", "Memcheck", "Copyright", "Using Valgrind",
                       "Command:", "All heap blocks", "in use at exit", "total heap usage",
                       "definitely lost:", "indirectly lost:", "possibly lost:",
                       "still reachable:", "suppressed:", "To see them", "Reachable blocks")):
        return None, False
    if msg.startswith("Warning: "):
        return "warning", False
    return "error", True


def valgrind_report(directory):
    """Summarise the valgrind text output found under directory: daemon logs
    (.../ncpd.log) and command line logs (cli-*.log). Returns (text, errors, files)."""
    paths = []
    for root, _, names in os.walk(directory):
        for n in names:
            if n == "ncpd.log" or (n.startswith("cli-") and n.endswith(".log")):
                paths.append(os.path.join(root, n))
    seen = {}
    started = checked = 0
    summaries = []
    for path in sorted(paths):
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        started += len(re.findall(r"^=== start ", text, re.M)) if path.endswith("ncpd.log") \
            else 1
        for m in re.finditer(r"^==(\d+)== ERROR SUMMARY: (\d+) errors", text, re.M):
            checked += 1
            if m.group(2) != "0":
                summaries.append("%s: pid %s ERROR SUMMARY %s errors" % (path, m.group(1),
                                                                        m.group(2)))
        for pid, cmd, lines in _vg_blocks(path):
            kind, is_error = _vg_kind(lines[0])
            if kind is None:
                continue
            frames = [m.group(2) for m in (_VG_FRAME.match(x) for x in lines) if m]
            msg = re.sub(r"\d[\d,]* bytes in [\d,]+ blocks", "N bytes in M blocks", lines[0])
            msg = re.sub(r"loss record [\d,]+ of [\d,]+", "loss record", msg)
            key = (kind, msg if kind not in ("leak-definite", "leak-possible") else kind,
                   tuple(frames[:8]))
            if key in seen:
                seen[key]["count"] += 1
                continue
            seen[key] = {"count": 1, "kind": kind, "error": is_error, "lines": lines,
                         "where": "%s (pid %s; %s)" % (path, pid, cmd[:160])}
    errors = sum(1 for v in seen.values() if v["error"])
    if summaries and not errors:
        errors = len(summaries)  # counted by valgrind but not parsed here: look at the logs
    out = ["valgrind: %d log file(s); %d process(es) started, %d ran to exit under memcheck "
           "(the others were killed with SIGKILL by their test); %d distinct error(s), "
           "%d distinct note(s)" % (len(paths), started, checked, errors, len(seen) - errors)]
    out += ["   " + x for x in summaries[:20]]
    for v in sorted(seen.values(), key=lambda v: (not v["error"], v["kind"])):
        out.append("== %s%s x%d, first in %s" % ("ERROR " if v["error"] else "note ",
                                                  v["kind"], v["count"], v["where"]))
        for ln in v["lines"][:24]:
            out.append("   " + ln)
    return "\n".join(out), errors, len(paths)


def main(argv):
    if len(argv) == 3 and argv[1] == "valgrind-report":
        text, errors, files = valgrind_report(argv[2])
        print(text)
        if files == 0:
            print("valgrind: no daemon or command logs under %s (did the wrapper run?)"
                  % argv[2])
            return 1
        return 1 if errors else 0
    if len(argv) == 2 and argv[1] == "actions":
        for a in load_action_table():
            print(a.name, " ".join("%s:%s" % (p.name, p.type[6:]) for p in a.params))
        return 0
    print("usage: %s valgrind-report DIR | actions" % argv[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The answer cache of polled reads (issue 14, src/act/respcache.c): a repeated
getServerInstanceList is answered without a read transaction while the database has
seen no commit, and never a stale answer: a commit through the API, by the scheduler,
by another process (the command line, a plain SQLite connection) retires it at once;
every answer has its own requestId; the timestamp and the signature are checked on
every hit; another key's identical query is its own answer. On PostgreSQL the cache
is off (other nodes commit where no shared memory reaches): it never answers."""

import http.client
import json
import sqlite3
import threading
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from ncpd_harness import (ACCESS_KEY, API_PREFIX, PG_BASE, NcpdTestCase, no_list, signature,
                          skip_on_pg, wait_for)
from ops_util import metric, parse_metrics


class Poller:
    """One keep-alive connection (so one HTTP thread of ncpd) sending the very same
    request again and again, freshly signed each time, as a polling client does."""

    def __init__(self, d, params, fmt, method="GET", access=None, secret=None):
        self.d = d
        self.c = d.client() if access is None else d.client(access, secret)
        pairs = ([("responseFormatType", "json")] if fmt == "json" else []) + list(params)
        self.query = urllib.parse.urlencode(pairs)
        self.method = method
        self.fmt = fmt
        self.conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=15)

    def send(self, timestamp=None, bad_signature=False):
        uri = API_PREFIX + "getServerInstanceList"
        body = None
        if self.method == "GET":
            uri += "?" + self.query
        else:
            body = self.query.encode()
        ts = str(self.c.now_ms()) if timestamp is None else str(timestamp)
        sig = signature(self.c.secret, self.method, uri, ts, self.c.access)
        if bad_signature:
            sig = sig[:-4] + ("AAAA" if not sig.endswith("AAAA") else "BBBB")
        hdrs = {"x-ncp-apigw-timestamp": ts, "x-ncp-iam-access-key": self.c.access,
                "x-ncp-apigw-signature-v2": sig}
        if body is not None:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(self.method, uri, body=body, headers=hdrs)
        r = self.conn.getresponse()
        return r.status, r.getheader("Content-Type"), r.read()

    def close(self):
        self.conn.close()


def parsed(fmt, body):
    """(requestId, returnCode, totalRows, [(no, status, operation, name)])."""
    if fmt == "json":
        r = json.loads(body)["getServerInstanceListResponse"]
        rows = [(s["serverInstanceNo"], s["serverInstanceStatus"]["code"],
                 s["serverInstanceOperation"]["code"], s["serverName"])
                for s in r["serverInstanceList"]]
        return r["requestId"], r["returnCode"], int(r["totalRows"]), rows
    root = ET.fromstring(body)
    rows = [(s.findtext("serverInstanceNo"), s.findtext("serverInstanceStatus/code"),
             s.findtext("serverInstanceOperation/code"), s.findtext("serverName"))
            for s in root.iter("serverInstance")]
    return (root.findtext("requestId"), root.findtext("returnCode"),
            int(root.findtext("totalRows")), rows)


class AnswerCacheTest(NcpdTestCase):

    def setUp(self):
        self.d = self.new_daemon(sim_step_ms=30000)
        self.c = self.d.client()
        running = sorted(n for n, st in self.c.states().items() if st == ("RUN", "NULL"))
        self.assertGreaterEqual(len(running), 2)
        self.no, self.other = running[0], running[1]

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def hits(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=10)
        try:
            conn.request("GET", "/_ncpd/metrics")
            text = conn.getresponse().read().decode()
        finally:
            conn.close()
        samples, _, _ = parse_metrics(text)
        return metric(samples, "ncpd_answer_cache_hits_total")

    def expect_hits(self, before, at_least):
        """On SQLite the polls were answered from the cache; on PostgreSQL never."""
        got = self.hits() - before
        if PG_BASE:
            self.assertEqual(got, 0, "the cache answered on PostgreSQL")
        else:
            self.assertGreaterEqual(got, at_least)

    def test_polls_are_answered_each_with_its_own_request_id(self):
        for fmt in ("xml", "json"):
            for method in ("GET", "POST"):
                with self.subTest(fmt=fmt, method=method):
                    p = Poller(self.d, no_list([self.no]), fmt, method)
                    before = self.hits()
                    answers = [p.send() for _ in range(20)]
                    p.close()
                    self.expect_hits(before, 15)
                    ids = set()
                    first = None
                    for status, ctype, body in answers:
                        self.assertEqual(status, 200, body)
                        self.assertIn(fmt, ctype)
                        rid, code, total, rows = parsed(fmt, body)
                        self.assertEqual((code, total), ("0", 1))
                        self.assertEqual(rows[0][:3], (self.no, "RUN", "NULL"))
                        ids.add(rid)
                        # the bytes differ by the requestId alone
                        norm = body.replace(rid.encode(), b"R")
                        first = first or norm
                        self.assertEqual(norm, first)
                    self.assertEqual(len(ids), 20, "requestIds repeated")

    def test_a_commit_through_the_api_retires_the_answer(self):
        for fmt in ("xml", "json"):
            with self.subTest(fmt=fmt):
                no = self.no if fmt == "xml" else self.other
                p = Poller(self.d, no_list([no]), fmt)
                before = self.hits()
                for _ in range(5):
                    self.assertEqual(parsed(fmt, p.send()[2])[3][0][1:3], ("RUN", "NULL"))
                self.expect_hits(before, 3)
                r = self.c.call("stopServerInstances", no_list([no]), method="POST")
                self.assertEqual(r.status, 200, r.body)
                # the very next poll on the same connection sees the stop
                self.assertEqual(parsed(fmt, p.send()[2])[3][0][1:3], ("RUN", "SHTDN"))
                p.close()

    def test_the_schedulers_commit_retires_the_answer(self):
        d = self.new_daemon(sim_step_ms=300)
        c = d.client()
        no = sorted(n for n, st in c.states().items() if st == ("RUN", "NULL"))[0]
        p = Poller(d, no_list([no]), "json")
        self.assertEqual(parsed("json", p.send()[2])[3][0][1:3], ("RUN", "NULL"))
        self.assertEqual(c.call("stopServerInstances", no_list([no]), method="POST").status, 200)
        seen = []

        def stopped():
            seen.append(parsed("json", p.send()[2])[3][0][1:3])
            return seen[-1] == ("NSTOP", "NULL")

        wait_for(stopped, timeout=15, message="NSTOP through the poller")
        self.assertIn(("RUN", "SHTDN"), seen)
        p.close()

    def test_a_key_disabled_by_another_process_is_refused_at_once(self):
        ak, sk = self.d.create_account("pollster")
        p = Poller(self.d, [], "json", access=ak, secret=sk)
        before = self.hits()
        for _ in range(6):
            self.assertEqual(p.send()[0], 200)
        self.expect_hits(before, 4)
        r = self.d.cli("account", "disable-key", ak)
        self.assertEqual(r.returncode, 0, r.stderr)
        status, _, body = p.send()
        self.assertEqual(status, 401, body)
        self.assertIn(b"Invalid authentication information.", body)
        p.close()

    @skip_on_pg("a plain SQLite connection of another process")
    def test_a_commit_by_a_plain_sqlite_connection_retires_the_answer(self):
        p = Poller(self.d, no_list([self.no]), "xml")
        for _ in range(4):
            name = parsed("xml", p.send()[2])[3][0][3]
        db = sqlite3.connect(self.d.db, timeout=10)
        try:
            with db:
                db.execute("UPDATE servers SET name = ?, version = version + 1 WHERE no = ?",
                           ("renamed-outside", int(self.no)))
        finally:
            db.close()
        self.assertNotEqual(name, "renamed-outside")
        self.assertEqual(parsed("xml", p.send()[2])[3][0][3], "renamed-outside")
        p.close()

    def test_signature_and_timestamp_are_checked_on_every_hit(self):
        p = Poller(self.d, no_list([self.no]), "json")
        for _ in range(4):
            self.assertEqual(p.send()[0], 200)
        status, _, body = p.send(bad_signature=True)
        self.assertEqual(status, 401, body)
        self.assertIn(b"Signature is invalid.", body)
        status, _, body = p.send(timestamp=self.c.now_ms() - 10 * 60 * 1000)
        self.assertEqual(status, 401, body)
        self.assertEqual(p.send()[0], 200)
        p.close()

    def test_another_keys_identical_query_is_its_own_answer(self):
        ak, sk = self.d.create_account("neighbour")
        mine = Poller(self.d, no_list([self.no]), "json")
        for _ in range(4):
            self.assertEqual(parsed("json", mine.send()[2])[2], 1)
        theirs = Poller(self.d, no_list([self.no]), "json", access=ak, secret=sk)
        for _ in range(3):
            status, _, body = theirs.send()
            # the server is not theirs: an empty page, every time
            self.assertEqual(status, 200, body)
            self.assertEqual(parsed("json", body)[2:], (0, []))
        self.assertEqual(parsed("json", mine.send()[2])[2], 1)
        mine.close()
        theirs.close()
        self.assertNotEqual(ak, ACCESS_KEY)


    def test_polls_racing_writes_never_see_a_state_older_than_an_answered_write(self):
        """Three pollers on their own connections while stops and starts are answered:
        a poll sent after a write was answered never shows the state before it."""
        d = self.new_daemon(sim_step_ms=0)
        c = d.client()
        no = sorted(n for n, st in c.states().items() if st == ("RUN", "NULL"))[0]
        lock = threading.Lock()
        forbidden = [None]  # state a poll sent from now on must not show
        era = [0]  # bumped with every change of forbidden[0]
        stop = threading.Event()
        bad, polls = [], [0]

        def poller(fmt):
            p = Poller(d, no_list([no]), fmt)
            try:
                while not stop.is_set():
                    with lock:
                        never, sent_in = forbidden[0], era[0]
                    state = parsed(fmt, p.send()[2])[3][0][1:3]
                    polls[0] += 1
                    with lock:
                        # judged only when the whole poll fell inside one window: a
                        # poller held up between reading `never` and sending could
                        # otherwise send after the next write (a start) and rightly see
                        # its RUN/NULL
                        judged = era[0] == sent_in
                    if judged and state == never:
                        bad.append((fmt, state))
            finally:
                p.close()

        threads = [threading.Thread(target=poller, args=(f,)) for f in ("xml", "json", "json")]
        for t in threads:
            t.start()
        try:
            for lap in range(20):
                stopping = lap % 2 == 0
                action = "stopServerInstances" if stopping else "startServerInstances"
                r = c.call(action, no_list([no]), method="POST")
                self.assertEqual(r.status, 200, r.body)
                with lock:
                    forbidden[0] = ("RUN", "NULL") if stopping else ("NSTOP", "NULL")
                    era[0] += 1
                want = ("NSTOP", "NULL") if stopping else ("RUN", "NULL")
                wait_for(lambda: c.state(no)[:2] == want, timeout=15, message=str(want))
                with lock:
                    forbidden[0] = None
                    era[0] += 1
        finally:
            stop.set()
            for t in threads:
                t.join(30)
        self.assertEqual(bad, [])
        self.assertGreater(polls[0], 40)


if __name__ == "__main__":
    unittest.main()

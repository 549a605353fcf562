"""GET /_ncpd/metrics (issue 16): the Prometheus text exposition parsed strictly, and
its counters checked against known traffic: requests by action and returnCode,
latency histograms, group-commit batches, transitions pending and applied,
connections, build info; no per-account label; the dedicated --metrics-listen."""

import http.client
import re
import unittest

from ncpd_harness import (ACCESS_KEY, Daemon, NcpdTestCase, free_port, no_list, wait_for)
from ops_util import metric, parse_metrics, series


def scrape(host, port, path="/_ncpd/metrics"):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.getheader("Content-Type"), r.read().decode("utf-8")
    finally:
        conn.close()


class MetricsTest(NcpdTestCase):

    def metrics(self, d):
        status, ctype, text = scrape("127.0.0.1", d.port)
        self.assertEqual(status, 200)
        self.assertEqual(ctype, "text/plain; version=0.0.4; charset=utf-8")
        self.assertTrue(text.endswith("\n"))
        samples, types, _ = parse_metrics(text)
        return samples, types, text

    def check_histograms(self, samples, types):
        """Buckets cumulative, +Inf == _count, for every histogram series."""
        for fam, t in types.items():
            if t != "histogram":
                continue
            groups = {}
            for (name, labels), v in samples.items():
                if name == fam + "_bucket":
                    d = dict(labels)
                    le = d.pop("le")
                    groups.setdefault(frozenset(d.items()), []).append(
                        (float(le.replace("+Inf", "inf")), v))
            for key, buckets in groups.items():
                buckets.sort()
                values = [v for _, v in buckets]
                self.assertEqual(values, sorted(values), "%s %s not cumulative" % (fam, key))
                self.assertEqual(buckets[-1][0], float("inf"))
                self.assertEqual(samples[(fam + "_count", key)], buckets[-1][1])
                self.assertIn((fam + "_sum", key), samples)

    def test_counters_after_known_traffic(self):
        d = self.new_daemon(sim_step_ms=30000)
        c = d.client()
        before, types, _ = self.metrics(d)
        self.assertEqual(types["ncpd_requests_total"], "counter")
        self.assertEqual(types["ncpd_request_duration_seconds"], "histogram")
        self.assertEqual(types["ncpd_commit_batch_size"], "histogram")
        self.assertEqual(types["ncpd_transitions_pending"], "gauge")
        self.assertEqual(metric(before, "ncpd_transitions_pending"), 0)
        batches0 = metric(before, "ncpd_commit_batch_size_sum")

        for i in range(5):
            self.assert_success(c.call("getServerInstanceList", fmt="json" if i % 2 else "xml"),
                                "json" if i % 2 else "xml", "getServerInstanceList")
        r = c.call("stopServerInstances", no_list(["1021003", "1021004"]), fmt="json")
        self.assert_success(r, "json", "stopServerInstances")
        r = c.call("stopServerInstances", no_list(["1021003"]), fmt="xml")  # now SHTDN
        self.assertEqual(r.status, 400)
        r = c.call("getServerInstanceList", no_list(["abc"]), fmt="json")   # 910
        self.assertEqual(r.status, 400)
        r = c.call("getServerInstanceList", secret="wrong")                  # gateway 401
        self.assertEqual(r.status, 401)
        r = c.call("noSuchAction")                                           # gateway 404
        self.assertEqual(r.status, 404)

        s, types, text = self.metrics(d)
        req = "ncpd_requests_total"
        self.assertEqual(metric(s, req, action="getServerInstanceList", return_code="0"), 5)
        self.assertEqual(metric(s, req, action="stopServerInstances", return_code="0"), 1)
        self.assertEqual(metric(s, req, action="stopServerInstances", return_code="25041"), 1)
        self.assertEqual(metric(s, req, action="getServerInstanceList", return_code="910"), 1)
        self.assertEqual(metric(s, req, action="getServerInstanceList", return_code="200"), 1)
        self.assertEqual(metric(s, req, action="none", return_code="300"), 1)
        total = sum(v for _, v in series(s, req))
        self.assertEqual(total, 10)
        lat = "ncpd_request_duration_seconds_count"
        self.assertEqual(metric(s, lat, action="getServerInstanceList"), 7)
        self.assertEqual(metric(s, lat, action="stopServerInstances"), 2)
        self.assertGreater(metric(s, "ncpd_request_duration_seconds_sum",
                                  action="stopServerInstances"), 0)
        self.check_histograms(s, types)
        # the write (and the failed one, rolled back in its savepoint) went through group
        # commit; two servers now have a pending transition (30 s steps)
        self.assertGreaterEqual(metric(s, "ncpd_commit_batch_size_sum") - batches0, 2)
        self.assertEqual(metric(s, "ncpd_transitions_pending"), 2)
        self.assertGreaterEqual(metric(s, "ncpd_connections_total"), 11)
        self.assertGreaterEqual(metric(s, "ncpd_connections_open"), 1)  # this scrape's
        self.assertEqual(metric(s, "ncpd_store_errors_total", op="commit"), 0)
        # build info and start time
        (labels, v), = series(s, "ncpd_build_info")
        self.assertEqual(v, 1)
        self.assertRegex(labels["version"], r"^\d+\.\d+")
        self.assertGreater(metric(s, "process_start_time_seconds"), 1.6e9)
        # no per-account label, no key, nowhere
        for (name, labels), _ in s.items():
            self.assertLessEqual({k for k, _ in labels},
                                 {"action", "return_code", "le", "op", "result", "version",
                                  "features"}, name)
        self.assertNotIn(ACCESS_KEY, text)

    def test_transitions_applied(self):
        d = self.new_daemon(sim_step_ms=50)
        c = d.client()
        s0, _, _ = self.metrics(d)
        r = c.call("stopServerInstances", no_list(["1021003"]), fmt="json")
        self.assert_success(r, "json", "stopServerInstances")
        wait_for(lambda: c.state("1021003") == ("NSTOP", "NULL", "stopped"), timeout=10,
                 message="server stopped")
        s, types, _ = self.metrics(d)
        self.assertEqual(metric(s, "ncpd_transitions_pending"), 0)
        applied = (metric(s, "ncpd_transitions_applied_total") -
                   metric(s0, "ncpd_transitions_applied_total"))
        self.assertGreaterEqual(applied, 1)
        self.assertGreater(metric(s, "ncpd_scheduler_passes_total"), 0)
        self.assertEqual(metric(s, "ncpd_store_errors_total", op="scheduler"), 0)

    def test_dedicated_listener(self):
        mport = free_port()
        d = self.new_daemon(extra_args=["--metrics-listen", "127.0.0.1:%d" % mport])
        status, _, text = scrape("127.0.0.1", mport)
        self.assertEqual(status, 200)
        samples, _, _ = parse_metrics(text)
        self.assertEqual(metric(samples, "ncpd_build_info",
                                **dict(series(samples, "ncpd_build_info")[0][0])), 1)
        # the API listener no longer answers it (gateway 404), its own listener answers
        # nothing else
        status, _, body = scrape("127.0.0.1", d.port)
        self.assertEqual(status, 404)
        self.assertIn('"errorCode": "300"', body)
        self.assertEqual(scrape("127.0.0.1", mport, "/server/v2/getRegionList")[0], 404)
        self.assertEqual(scrape("127.0.0.1", mport, "/_ncpd/health")[0], 200)
        self.assertRegex(d.log_tail(), r"metrics on http://127\.0\.0\.1:%d/_ncpd/metrics" % mport)
        # a busy port for metrics: the start fails (exit 1)
        d2 = Daemon(extra_args=["--metrics-listen", "127.0.0.1:%d" % mport])
        self.addCleanup(d2.cleanup)
        with self.assertRaises(Exception):
            d2.start()
        self.assertEqual(d2.proc.returncode, 1)
        self.assertIn("cannot listen on 127.0.0.1:%d for metrics" % mport, d2.log_tail())

    def test_head_and_other_methods(self):
        d = self.new_daemon()
        conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
        try:
            conn.request("HEAD", "/_ncpd/metrics")
            r = conn.getresponse()
            r.read()
            self.assertEqual(r.status, 200)
            conn.request("POST", "/_ncpd/metrics", body=b"x=1",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            r = conn.getresponse()
            r.read()
            self.assertEqual(r.status, 404)
        finally:
            conn.close()


if __name__ == "__main__":
    unittest.main()

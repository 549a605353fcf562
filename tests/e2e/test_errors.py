"""Every Server-API error code of the contract, in XML and JSON, GET and POST.

Validation errors must change nothing (DECISIONS D2); every test checks the
servers' states afterwards."""

import unittest
import xml.etree.ElementTree as ET

from ncpd_harness import (ADMIN_TOKEN, MSG, NcpdTestCase, go_sdk_slice, msg_22001, msg_910,
                          msg_910_dup, no_list, xml_to_obj)

INITIAL = {"1021003": ("RUN", "NULL"), "1021004": ("RUN", "NULL"),
           "1021005": ("NSTOP", "NULL"), "1021006": ("NSTOP", "NULL")}

COMBOS = (("xml", "GET"), ("json", "GET"), ("xml", "POST"), ("json", "POST"))


def send(client, action, query, fmt, method):
    """Send a hand-written query string as GET query or POST body, in fmt."""
    if method == "GET":
        q = query
        if fmt == "json":
            q = (q + "&" if q else "") + "responseFormatType=json"
        return client.call(action, raw_query=q)
    b = query
    if fmt == "json":
        b = "responseFormatType=json" + ("&" + b if b else "")
    return client.call(action, method="POST", raw_body=b)


def big_list(n, start=5000000):
    return "&".join("serverInstanceNoList.%d=%d" % (i + 1, start + i) for i in range(n))


class ValidationErrorsTest(NcpdTestCase):
    """Errors that never depend on state; one daemon, checked unchanged after each test."""

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=30000)
        cls.c = cls.d.client()

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())
        self.assertEqual(self.c.states(), INITIAL, "a rejected request changed state")

    def check(self, action, query, code, message, http_status=400, combos=COMBOS):
        for fmt, method in combos:
            with self.subTest(action=action, query=query[:80], fmt=fmt, method=method):
                r = send(self.c, action, query, fmt, method)
                self.assert_api_error(r, fmt, code, message, http_status)

    # -- 900 -------------------------------------------------------------------

    def test_900_missing_list_stop(self):
        self.check("stopServerInstances", "", 900, MSG["900_list"])

    def test_900_missing_list_start(self):
        self.check("startServerInstances", "", 900, MSG["900_list"])

    # -- 910 -------------------------------------------------------------------

    def test_910_duplicate_number_stop(self):
        self.check("stopServerInstances",
                   "serverInstanceNoList.1=1021003&serverInstanceNoList.2=1021003",
                   910, msg_910_dup("1021003"))

    def test_910_duplicate_number_start(self):
        self.check("startServerInstances",
                   "serverInstanceNoList.1=1021005&serverInstanceNoList.2=1021006"
                   "&serverInstanceNoList.3=1021005",
                   910, msg_910_dup("1021005"))

    def test_910_unknown_parameter_on_stop(self):
        self.check("stopServerInstances", "serverInstanceNoList.1=1021004&foo=1",
                   910, msg_910("foo"))

    def test_910_unknown_parameter_on_list(self):
        self.check("getServerInstanceList", "foo=1", 910, msg_910("foo"))

    def test_910_repeated_scalar(self):
        self.check("getServerInstanceList", "pageNo=1&pageNo=2", 910, msg_910("pageNo"))

    def test_910_bad_list_index(self):
        for action, no in (("stopServerInstances", "1021004"), ("startServerInstances", "1021005")):
            self.check(action, "serverInstanceNoList.x=%s" % no, 910,
                       msg_910("serverInstanceNoList.x"))
            self.check(action, "serverInstanceNoList.0=%s" % no, 910,
                       msg_910("serverInstanceNoList.0"))
        self.check("getServerInstanceList", "serverInstanceNoList.x=1021004", 910,
                   msg_910("serverInstanceNoList.x"))

    def test_910_list_over_1000_items(self):
        post = (("xml", "POST"), ("json", "POST"))
        self.check("stopServerInstances", big_list(1001), 910, msg_910("serverInstanceNoList"),
                   combos=post)
        self.check("startServerInstances", big_list(1001), 910, msg_910("serverInstanceNoList"),
                   combos=post)
        self.check("getServerInstanceList", big_list(1001), 910,
                   msg_910("serverInstanceNoList"), combos=post)

    def test_list_of_exactly_1000_items_is_accepted(self):
        # 1000 unknown numbers: the list itself is fine, the first number is unknown
        self.check("stopServerInstances", big_list(1000), 24120, MSG["24120"],
                   combos=(("json", "POST"),))
        q = big_list(999) + "&serverInstanceNoList.1000=1021003"
        r = self.c.call("getServerInstanceList", method="POST",
                        raw_body="responseFormatType=json&" + q)
        inner = self.assert_success(r, "json", "getServerInstanceList")
        self.assertEqual(inner["totalRows"], 1)
        self.assertEqual([s["serverInstanceNo"] for s in inner["serverInstanceList"]],
                         ["1021003"])

    def test_910_bad_integers(self):
        self.check("getServerInstanceList", "pageNo=-1", 910, msg_910("pageNo"))
        self.check("getServerInstanceList", "pageNo=abc", 910, msg_910("pageNo"))
        self.check("getServerInstanceList", "pageSize=99999999999999999999", 910,
                   msg_910("pageSize"))
        self.check("getServerInstanceList", "pageSize=2147483648", 910, msg_910("pageSize"))
        self.check("getServerInstanceList", "pageNo=1.5", 910, msg_910("pageNo"))

    def test_910_bad_enums(self):
        self.check("getServerInstanceList", "sortedBy=foo", 910, msg_910("sortedBy"))
        self.check("getServerInstanceList", "sortingOrder=up", 910, msg_910("sortingOrder"))
        self.check("getServerInstanceList", "searchFilterName=bogus&searchFilterValue=x", 910,
                   msg_910("searchFilterName"))

    # -- 24109 / 24120 -----------------------------------------------------------

    def test_24109_malformed_numbers(self):
        for action in ("stopServerInstances", "startServerInstances"):
            for bad in ("abc", "-1", "", "12345678901234567890", "1021003x", "%201021003"):
                self.check(action, "serverInstanceNoList.1=" + bad, 24109, MSG["24109"])

    def test_24109_block_storage_number(self):
        self.check("stopServerInstances", "serverInstanceNoList.1=1021103", 24109, MSG["24109"])
        self.check("startServerInstances", "serverInstanceNoList.1=1021105", 24109, MSG["24109"])

    def test_24120_unknown_number(self):
        self.check("stopServerInstances", "serverInstanceNoList.1=9999999", 24120, MSG["24120"])
        self.check("startServerInstances", "serverInstanceNoList.1=9999999", 24120, MSG["24120"])

    def test_24109_19_digit_number_beyond_int64(self):
        """19 digits above 2^63 - 1 is malformed (docs/compat.md "Numbers": what a Java long
        holds); the largest int64 is well-formed and unknown."""
        self.check("stopServerInstances", "serverInstanceNoList.1=9999999999999999999", 24109,
                   MSG["24109"])
        self.check("stopServerInstances", "serverInstanceNoList.1=9223372036854775807", 24120,
                   MSG["24120"])

    # -- all-or-nothing, first failure in list order (D2) -------------------------

    def test_numbers_checked_in_list_order(self):
        self.check("stopServerInstances",
                   "serverInstanceNoList.1=9999999&serverInstanceNoList.2=abc", 24120, MSG["24120"])
        self.check("stopServerInstances",
                   "serverInstanceNoList.1=abc&serverInstanceNoList.2=9999999", 24109, MSG["24109"])

    def test_valid_server_not_stopped_when_another_number_is_bad(self):
        self.check("stopServerInstances",
                   "serverInstanceNoList.1=1021004&serverInstanceNoList.2=9999999", 24120,
                   MSG["24120"])
        self.check("stopServerInstances",
                   "serverInstanceNoList.1=1021004&serverInstanceNoList.2=1021104", 24109,
                   MSG["24109"])
        self.check("startServerInstances",
                   "serverInstanceNoList.1=1021005&serverInstanceNoList.2=9999999", 24120,
                   MSG["24120"])

    def test_numbers_validated_before_states(self):
        # 1021005 is stopped (would be 28005) but the unknown number wins
        self.check("stopServerInstances",
                   "serverInstanceNoList.1=1021005&serverInstanceNoList.2=9999999", 24120,
                   MSG["24120"])

    def test_state_failure_rejects_whole_request(self):
        self.check("stopServerInstances",
                   "serverInstanceNoList.1=1021004&serverInstanceNoList.2=1021005", 28005,
                   MSG["28005"])
        self.check("startServerInstances",
                   "serverInstanceNoList.1=1021005&serverInstanceNoList.2=1021004", 25041,
                   MSG["25041"])

    def test_index_gaps_accepted_and_ordered_by_index(self):
        """D4: .1 and .3 accepted, ordered by index (the first failure is by index)."""
        self.check("stopServerInstances",
                   "serverInstanceNoList.3=abc&serverInstanceNoList.1=9999999", 24120,
                   MSG["24120"])


class StateErrorsTest(NcpdTestCase):
    """25041 / 28005, fresh daemon per test, long step so transitions stay visible."""

    def setUp(self):
        self.d = self.new_daemon(sim_step_ms=30000)
        self.c = self.d.client()

    def ok(self, action, nos, fmt="json"):
        r = self.c.call(action, no_list(nos), method="POST", fmt=fmt)
        return self.assert_success(r, fmt, action)

    def both(self, action, nos, code, message):
        for fmt, method in COMBOS:
            with self.subTest(fmt=fmt, method=method):
                r = self.c.call(action, no_list(nos), method=method, fmt=fmt)
                self.assert_api_error(r, fmt, code, message)

    def test_28005_stop_of_stopped_server(self):
        self.both("stopServerInstances", ["1021005"], 28005, MSG["28005"])
        self.assertEqual(self.c.states(), INITIAL)

    def test_25041_stop_while_shutting_down(self):
        self.ok("stopServerInstances", ["1021003"])
        self.both("stopServerInstances", ["1021003"], 25041, MSG["25041"])
        self.assert_state(self.c, "1021003", "RUN", "SHTDN", "shutting down")

    def test_25041_start_of_running_server(self):
        self.both("startServerInstances", ["1021004"], 25041, MSG["25041"])
        self.assertEqual(self.c.states(), INITIAL)

    def test_25041_start_while_shutting_down(self):
        self.ok("stopServerInstances", ["1021003"])
        self.both("startServerInstances", ["1021003"], 25041, MSG["25041"])
        self.assert_state(self.c, "1021003", "RUN", "SHTDN")

    def test_25041_start_and_stop_while_booting(self):
        self.ok("startServerInstances", ["1021005"])
        self.both("startServerInstances", ["1021005"], 25041, MSG["25041"])
        self.both("stopServerInstances", ["1021005"], 25041, MSG["25041"])
        self.assert_state(self.c, "1021005", "NSTOP", "START", "booting")

    def test_state_errors_follow_list_order_and_change_nothing(self):
        self.ok("stopServerInstances", ["1021003"])  # now RUN/SHTDN
        self.both("stopServerInstances", ["1021004", "1021003"], 25041, MSG["25041"])
        self.both("stopServerInstances", ["1021005", "1021003"], 28005, MSG["28005"])
        self.both("stopServerInstances", ["1021003", "1021005"], 25041, MSG["25041"])
        self.assertEqual(self.c.states(), dict(INITIAL, **{"1021003": ("RUN", "SHTDN")}))


class FaultErrorsTest(NcpdTestCase):
    """25014 / 22001 / 1300 through the fault switch."""

    def setUp(self):
        self.d = self.new_daemon(sim_step_ms=30000, admin_token=ADMIN_TOKEN)
        self.c = self.d.client()

    def fault(self, action, no, times=None):
        r = self.d.fault(action, no, times)
        self.assertEqual(r.status, 200, r)

    def test_25014_storage_busy(self):
        self.fault("storageBusy", "1021004")
        self.fault("storageBusy", "1021006")
        st = self.c.state("1021004")
        self.assertEqual(st[:2], ("RUN", "SETUP"))
        self.assertEqual(st[2], "setting up")
        for fmt, method in COMBOS:
            with self.subTest(fmt=fmt, method=method):
                r = self.c.call("stopServerInstances", no_list(["1021004"]), method=method,
                                fmt=fmt)
                self.assert_api_error(r, fmt, 25014, MSG["25014"])
                r = self.c.call("startServerInstances", no_list(["1021006"]), method=method,
                                fmt=fmt)
                self.assert_api_error(r, fmt, 25014, MSG["25014"])
                r = self.c.call("stopServerInstances", no_list(["1021003", "1021004"]),
                                method=method, fmt=fmt)
                self.assert_api_error(r, fmt, 25014, MSG["25014"])
        self.assert_state(self.c, "1021003", "RUN", "NULL")
        self.assert_state(self.c, "1021004", "RUN", "SETUP")
        self.assert_state(self.c, "1021006", "NSTOP", "SETUP")

    def check_partial(self, action, nos, failing, fmt, before, after):
        self.fault(action, failing)
        r = self.c.call(action, no_list(nos), method="POST", fmt=fmt)
        self.assertEqual(r.status, 200, r)
        ok = [n for n in nos if n != failing]
        if fmt == "json":
            inner = self.assert_json_layout(r, action + "Response")
            self.assertEqual(go_sdk_slice(r.body), inner)
            self.assertEqual(inner["returnCode"], "22001")
            self.assertEqual(inner["returnMessage"], msg_22001(1, len(nos)))
            self.assertIs(type(inner["totalRows"]), int)
            self.assertEqual(inner["totalRows"], len(ok))
            self.assertEqual([s["serverInstanceNo"] for s in inner["serverInstanceList"]], ok)
        else:
            el = ET.fromstring(r.body)
            self.assertEqual(el.tag, action + "Response")
            obj = xml_to_obj(el)
            self.assertEqual(obj["returnCode"], "22001")
            self.assertEqual(obj["returnMessage"], msg_22001(1, len(nos)))
            self.assertEqual(obj["totalRows"], str(len(ok)))
            self.assertEqual([s["serverInstanceNo"] for s in obj["serverInstanceList"]], ok)
        for n in ok:
            self.assertEqual(self.c.state(n)[:2], after)
        self.assertEqual(self.c.state(failing)[:2], before, "failed server must stay as it was")
        # the fault was for one call only: now it works
        r = self.c.call(action, no_list([failing]), method="POST", fmt="json")
        self.assert_success(r, "json", action)
        self.assertEqual(self.c.state(failing)[:2], after)

    def test_22001_partial_stop_json(self):
        self.check_partial("stopServerInstances", ["1021003", "1021004"], "1021004", "json",
                           ("RUN", "NULL"), ("RUN", "SHTDN"))

    def test_22001_partial_stop_xml(self):
        self.check_partial("stopServerInstances", ["1021003", "1021004"], "1021003", "xml",
                           ("RUN", "NULL"), ("RUN", "SHTDN"))

    def test_22001_partial_start_json(self):
        self.check_partial("startServerInstances", ["1021005", "1021006"], "1021005", "json",
                           ("NSTOP", "NULL"), ("NSTOP", "START"))

    def test_22001_partial_start_xml(self):
        self.check_partial("startServerInstances", ["1021005", "1021006"], "1021006", "xml",
                           ("NSTOP", "NULL"), ("NSTOP", "START"))

    def test_1300_driver_fails_for_all(self):
        self.fault("stopServerInstances", "1021003", times=4)
        self.fault("stopServerInstances", "1021004", times=4)
        self.fault("startServerInstances", "1021005", times=4)
        for fmt, method in COMBOS:
            with self.subTest(fmt=fmt, method=method):
                r = self.c.call("stopServerInstances", no_list(["1021003", "1021004"]),
                                method=method, fmt=fmt)
                self.assert_api_error(r, fmt, 1300, MSG["1300"], http_status=500)
                r = self.c.call("startServerInstances", no_list(["1021005"]), method=method,
                                fmt=fmt)
                self.assert_api_error(r, fmt, 1300, MSG["1300"], http_status=500)
        self.assertEqual(self.c.states(), INITIAL)

    def test_fault_times_counts_calls(self):
        self.fault("stopServerInstances", "1021004", times=2)
        for _ in range(2):
            r = self.c.call("stopServerInstances", no_list(["1021004"]), fmt="json")
            self.assert_api_error(r, "json", 1300, MSG["1300"], http_status=500)
            self.assert_state(self.c, "1021004", "RUN", "NULL")
        r = self.c.call("stopServerInstances", no_list(["1021004"]), fmt="json")
        self.assert_success(r, "json", "stopServerInstances")
        self.assert_state(self.c, "1021004", "RUN", "SHTDN")

    def test_fault_endpoint_requires_token(self):
        for tok in (None, "wrong-token", ""):
            with self.subTest(token=tok):
                r = self.d.fault("stopServerInstances", "1021004", token=tok)
                self.assert_gateway_error(r, 403, "210")
        r = self.c.call("stopServerInstances", no_list(["1021004"]), fmt="json")
        self.assert_success(r, "json", "stopServerInstances")


class FaultEndpointDisabledTest(NcpdTestCase):

    def test_fault_endpoint_absent_without_admin_token(self):
        d = self.new_daemon(sim_step_ms=30000, admin_token=None)
        r = d.fault("stopServerInstances", "1021004", token=ADMIN_TOKEN)
        self.assertEqual(r.status, 404, r)
        c = d.client()
        r = c.call("stopServerInstances", no_list(["1021004"]), fmt="json")
        self.assert_success(r, "json", "stopServerInstances")


if __name__ == "__main__":
    unittest.main()

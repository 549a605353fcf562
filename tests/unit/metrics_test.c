/* metrics_test.c: the metrics registry and its exposition (util/metrics.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/metrics.h"

static const char *names[] = {"createLoginKey", "getServerInstanceList", "stopServerInstances"};

static int64_t forty_two(void *arg)
{
    (void)arg;
    return 42;
}

static int64_t unknown(void *arg)
{
    (void)arg;
    return -1;
}

static char *render(void)
{
    static ncp_buf_t b;
    ncp_buf_release(&b);
    ncp_buf_init(&b, 1 << 20);
    ncp_metrics_render(&b);
    return b.data;
}

static void test_metrics_before_init_are_ignored(void **state)
{
    (void)state;
    ncp_metrics_request(names[0], NCP_E_OK, ncp_metrics_now_us()); /* no crash, no count */
    ncp_metrics_commit(3, ncp_metrics_now_us());
}

static void test_metrics_requests_by_action_and_code(void **state)
{
    (void)state;
    ncp_metrics_init(names, 3, "1.2.3", "tls");
    ncp_metrics_gauge("test_gauge", "a gauge", forty_two, NULL);
    ncp_metrics_gauge("test_unknown", "left out", unknown, NULL);
    int64_t now = ncp_metrics_now_us();
    for (int i = 0; i < 3; i++)
        ncp_metrics_request(names[1], NCP_E_OK, now);
    ncp_metrics_request(names[1], NCP_E_INVALID_PARAM, now);
    ncp_metrics_request(names[1], NCP_E_DUPLICATE, now);       /* also returnCode 910 */
    ncp_metrics_request(names[2], NCP_E_INTERNAL, now - 2000); /* 2 ms ago */
    char copy[] = "getServerInstanceList"; /* same text, another pointer: not an action */
    ncp_metrics_request(copy, NCP_E_GW_NOT_FOUND, now);
    ncp_metrics_request(NULL, NCP_E_GW_NOT_FOUND, now);
    ncp_metrics_commit(5, now);
    ncp_metrics_commit(300, now);
    ncp_metrics_conn(1);
    ncp_metrics_conn(1);
    ncp_metrics_conn(-1);
    ncp_metrics_sched_pass(4);
    ncp_metrics_sched_pass(-1);
    const char *t = render();
    assert_non_null(strstr(t, "ncpd_build_info{version=\"1.2.3\",features=\"tls\"} 1\n"));
    assert_non_null(strstr(
        t, "ncpd_requests_total{action=\"getServerInstanceList\",return_code=\"0\"} 3\n"));
    assert_non_null(strstr(
        t, "ncpd_requests_total{action=\"getServerInstanceList\",return_code=\"910\"} 2\n"));
    assert_non_null(strstr(
        t, "ncpd_requests_total{action=\"stopServerInstances\",return_code=\"1300\"} 1\n"));
    assert_non_null(strstr(t, "ncpd_requests_total{action=\"none\",return_code=\"300\"} 2\n"));
    assert_null(strstr(t, "action=\"createLoginKey\"")); /* nothing seen: no series */
    assert_non_null(strstr(t, "ncpd_request_duration_seconds_count{action=\"getServerInstanceList\"} 5\n"));
    /* 2 ms: above 1 ms, within 2.5 ms */
    assert_non_null(strstr(
        t, "ncpd_request_duration_seconds_bucket{action=\"stopServerInstances\",le=\"0.001\"} 0\n"));
    assert_non_null(strstr(
        t, "ncpd_request_duration_seconds_bucket{action=\"stopServerInstances\",le=\"0.0025\"} 1\n"));
    assert_non_null(strstr(t, "ncpd_commit_batch_size_bucket{le=\"4\"} 0\n"));
    assert_non_null(strstr(t, "ncpd_commit_batch_size_bucket{le=\"8\"} 1\n"));
    assert_non_null(strstr(t, "ncpd_commit_batch_size_bucket{le=\"256\"} 1\n"));
    assert_non_null(strstr(t, "ncpd_commit_batch_size_bucket{le=\"+Inf\"} 2\n"));
    assert_non_null(strstr(t, "ncpd_commit_batch_size_sum 305.000000\n"));
    assert_non_null(strstr(t, "# TYPE test_gauge gauge\ntest_gauge 42\n"));
    assert_null(strstr(t, "test_unknown"));
    assert_non_null(strstr(t, "ncpd_connections_open 1\n"));
    assert_non_null(strstr(t, "ncpd_connections_total 2\n"));
    assert_non_null(strstr(t, "ncpd_transitions_applied_total 4\n"));
    assert_non_null(strstr(t, "ncpd_scheduler_passes_total 2\n"));
    assert_non_null(strstr(t, "ncpd_store_errors_total{op=\"scheduler\"} 1\n"));
    assert_non_null(strstr(t, "ncpd_store_errors_total{op=\"request\"} 1\n"));
    /* one HELP and one TYPE per family, even for families spread over rows */
    const char *p = strstr(t, "# TYPE ncpd_store_errors_total counter");
    assert_non_null(p);
    assert_null(strstr(p + 1, "# TYPE ncpd_store_errors_total"));
    assert_null(strstr(t, "ncpd_tls_certificate_expiry")); /* no certificate: no series */
    ncp_metrics_set(NCP_M_TLS_NOT_AFTER, 1800000000);
    t = render();
    assert_non_null(strstr(t, "ncpd_tls_certificate_expiry_timestamp_seconds 1800000000\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_before_init_are_ignored),
        cmocka_unit_test(test_metrics_requests_by_action_and_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

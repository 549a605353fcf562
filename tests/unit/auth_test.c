/* auth_test.c: signatures (proto/auth.c) against protocol.md §8.2's worked examples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/auth.h"

#define AK "EXAMPLEACCESSKEY0001"
#define SK "EXAMPLESECRETKEY0000000000000000000000000"
#define TS "1700000000000"

static void test_auth_sign_worked_examples(void **state)
{
    (void)state;
    char sig[45];
    ncp_auth_sign(SK, "POST", "/server/v2/stopServerInstances?responseFormatType=json", TS, AK,
                  sig);
    assert_string_equal(sig, "JMgG2Dtklp847nyAIxyHo57m+znpuqSxK2gAkAPEcII=");
    ncp_auth_sign(SK, "POST", "/server/v2/stopServerInstances", TS, AK, sig);
    assert_string_equal(sig, "6T8bpwc5H+qMVyOv3Xj7f+lGnEoAX09r1m77j6Fy6FE=");
    ncp_auth_sign(SK, "GET",
                  "/server/v2/stopServerInstances?serverInstanceNoList.1=1021003&"
                  "responseFormatType=json",
                  TS, AK, sig);
    assert_string_equal(sig, "Zd0OjQ2eUZ3SvxMXnVonleNd/dt6EMDblvgfqEiEeUU=");
}

static void test_auth_verify_variants(void **state)
{
    (void)state;
    char sig[45];
    const char *uri = "/server/v2/stopServerInstances";
    ncp_auth_sign(SK, "POST", uri, TS, AK, sig);
    assert_true(ncp_auth_verify(SK, "POST", uri, TS, AK, sig));
    /* signed without '?', sent with a bare '?' */
    assert_true(ncp_auth_verify(SK, "POST", "/server/v2/stopServerInstances?", TS, AK, sig));
    /* signed with a bare '?', sent without */
    ncp_auth_sign(SK, "POST", "/server/v2/stopServerInstances?", TS, AK, sig);
    assert_true(ncp_auth_verify(SK, "POST", uri, TS, AK, sig));
    /* signed over the decoded query */
    ncp_auth_sign(SK, "GET", "/server/v2/x?a=b c", TS, AK, sig);
    assert_true(ncp_auth_verify(SK, "GET", "/server/v2/x?a=b%20c", TS, AK, sig));
}

static void test_auth_verify_rejects(void **state)
{
    (void)state;
    char sig[45];
    const char *uri = "/server/v2/stopServerInstances?serverInstanceNoList.1=1";
    ncp_auth_sign(SK, "GET", uri, TS, AK, sig);
    assert_false(ncp_auth_verify(SK, "POST", uri, TS, AK, sig));           /* method */
    assert_false(ncp_auth_verify(SK, "GET", "/server/v2/stopServerInstances?serverInstanceNoList.1=2",
                                 TS, AK, sig));                             /* query */
    assert_false(ncp_auth_verify(SK, "GET", uri, "1700000000001", AK, sig)); /* timestamp */
    assert_false(ncp_auth_verify(SK, "GET", uri, TS, "OTHER", sig));         /* key */
    assert_false(ncp_auth_verify("wrong", "GET", uri, TS, AK, sig));         /* secret */
    assert_false(ncp_auth_verify(SK, "GET", uri, TS, AK, ""));
    assert_false(ncp_auth_verify(SK, "GET", uri, TS, AK, "not-base64"));
}

static void test_auth_timestamp_window(void **state)
{
    (void)state;
    ncp_err_t err;
    int64_t now = 1700000000000LL;
    ncp_err_init(&err);
    assert_int_equal(ncp_auth_check_timestamp("1700000000000", now, NCP_AUTH_SKEW_MS, &err), 0);
    assert_int_equal(ncp_auth_check_timestamp("1699999700000", now, NCP_AUTH_SKEW_MS, &err), 0);
    assert_int_equal(ncp_auth_check_timestamp("1700000300000", now, NCP_AUTH_SKEW_MS, &err), 0);
    const char *bad[] = {"1699999699999", "1700000300001", "", "abc", "-1", "17e11",
                         "99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ncp_err_init(&err);
        assert_int_equal(ncp_auth_check_timestamp(bad[i], now, NCP_AUTH_SKEW_MS, &err), -1);
        assert_int_equal(err.code, NCP_E_GW_AUTH);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_sign_worked_examples),
        cmocka_unit_test(test_auth_verify_variants),
        cmocka_unit_test(test_auth_verify_rejects),
        cmocka_unit_test(test_auth_timestamp_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

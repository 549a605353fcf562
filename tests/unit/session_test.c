/* session_test.c: console sessions (ncpd/session.c) and the cookie
 * (ncpd/console.c), with an injected clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ncpd/console.h"
#include "ncpd/session.h"

static int64_t fake_now;
static int64_t fake_clock(void)
{
    return fake_now;
}

static const uint8_t KEY[NCP_MASTER_KEY_LEN] = {1, 2, 3};

static ncpd_sessions_t *open_sessions(int64_t idle, int64_t max_age, size_t max)
{
    ncpd_session_conf_t conf = {idle, max_age, max, fake_clock};
    ncpd_sessions_t *s = ncpd_sessions_new(&ncpd_session_memory_ops, &conf, KEY);
    assert_non_null(s);
    return s;
}

static void test_session_create_lookup_destroy(void **state)
{
    (void)state;
    fake_now = 1000;
    ncpd_sessions_t *s = open_sessions(60000, 3600000, 100);
    char id[NCPD_SESSION_ID_LEN + 1], csrf[NCPD_SESSION_CSRF_LEN + 1];
    assert_int_equal(ncpd_session_create(s, 7, "AK7", id, csrf), 0);
    assert_int_equal(strlen(id), NCPD_SESSION_ID_LEN);
    assert_int_equal(strlen(csrf), NCPD_SESSION_CSRF_LEN);
    assert_null(strpbrk(id, "+/=;, "));
    assert_null(strpbrk(csrf, "+/=;, "));
    int64_t account = 0;
    char ak[NCPD_SESSION_AK_MAX];
    assert_int_equal(ncpd_session_lookup(s, id, &account, ak), 1);
    assert_int_equal(account, 7);
    assert_string_equal(ak, "AK7");
    assert_true(ncpd_session_csrf_ok(s, id, csrf));
    /* unknown, malformed and altered ids */
    char other[NCPD_SESSION_ID_LEN + 1];
    memcpy(other, id, sizeof(other));
    other[0] = other[0] == 'A' ? 'B' : 'A';
    assert_int_equal(ncpd_session_lookup(s, other, &account, ak), 0);
    assert_int_equal(ncpd_session_lookup(s, "short", &account, ak), 0);
    assert_int_equal(ncpd_session_lookup(s, "", &account, ak), 0);
    ncpd_session_destroy(s, id);
    assert_int_equal(ncpd_session_lookup(s, id, &account, ak), 0);
    assert_int_equal(ncpd_session_count(s), 0);
    assert_int_equal(ncpd_session_create(s, 0, "AK", id, csrf), -1);
    assert_int_equal(ncpd_session_create(s, 1, "", id, csrf), -1);
    ncpd_sessions_free(s);
}

static void test_session_csrf_per_session(void **state)
{
    (void)state;
    fake_now = 0;
    ncpd_sessions_t *s = open_sessions(60000, 3600000, 100);
    char a[NCPD_SESSION_ID_LEN + 1], ca[NCPD_SESSION_CSRF_LEN + 1];
    char b[NCPD_SESSION_ID_LEN + 1], cb[NCPD_SESSION_CSRF_LEN + 1];
    assert_int_equal(ncpd_session_create(s, 1, "AK1", a, ca), 0);
    assert_int_equal(ncpd_session_create(s, 1, "AK1", b, cb), 0);
    assert_string_not_equal(a, b);
    assert_string_not_equal(ca, cb);
    assert_false(ncpd_session_csrf_ok(s, a, cb));
    assert_false(ncpd_session_csrf_ok(s, a, ""));
    assert_false(ncpd_session_csrf_ok(s, a, NULL));
    assert_false(ncpd_session_csrf_ok(s, a, a));
    /* the token is derived, not stored: the same after a recomputation ... */
    char again[NCPD_SESSION_CSRF_LEN + 1];
    ncpd_session_csrf(s, a, again);
    assert_string_equal(again, ca);
    /* ... and different under another master key */
    ncpd_session_conf_t conf = {60000, 3600000, 100, fake_clock};
    uint8_t key2[NCP_MASTER_KEY_LEN] = {9};
    ncpd_sessions_t *s2 = ncpd_sessions_new(&ncpd_session_memory_ops, &conf, key2);
    assert_false(ncpd_session_csrf_ok(s2, a, ca));
    ncpd_sessions_free(s2);
    ncpd_sessions_free(s);
}

static void test_session_idle_expiry(void **state)
{
    (void)state;
    fake_now = 0;
    ncpd_sessions_t *s = open_sessions(1000, 3600000, 100);
    char id[NCPD_SESSION_ID_LEN + 1], csrf[NCPD_SESSION_CSRF_LEN + 1];
    int64_t account;
    char ak[NCPD_SESSION_AK_MAX];
    assert_int_equal(ncpd_session_create(s, 3, "AK3", id, csrf), 0);
    /* each use restarts the idle time */
    for (int i = 0; i < 5; i++) {
        fake_now += 999;
        assert_int_equal(ncpd_session_lookup(s, id, &account, ak), 1);
    }
    fake_now += 1000;
    assert_int_equal(ncpd_session_lookup(s, id, &account, ak), 0);
    assert_int_equal(ncpd_session_count(s), 0); /* removed when found expired */
    ncpd_sessions_free(s);
}

static void test_session_max_age(void **state)
{
    (void)state;
    fake_now = 0;
    ncpd_sessions_t *s = open_sessions(1000, 5000, 100);
    char id[NCPD_SESSION_ID_LEN + 1], csrf[NCPD_SESSION_CSRF_LEN + 1];
    int64_t account;
    char ak[NCPD_SESSION_AK_MAX];
    assert_int_equal(ncpd_session_create(s, 3, "AK3", id, csrf), 0);
    for (int i = 0; i < 9; i++) {
        fake_now += 500;
        assert_int_equal(ncpd_session_lookup(s, id, &account, ak), 1);
    }
    fake_now += 500; /* 5000 ms after creation, although used 500 ms ago */
    assert_int_equal(ncpd_session_lookup(s, id, &account, ak), 0);
    ncpd_sessions_free(s);
}

static void test_session_full_table(void **state)
{
    (void)state;
    fake_now = 0;
    ncpd_sessions_t *s = open_sessions(1000, 3600000, 3);
    char id[4][NCPD_SESSION_ID_LEN + 1], csrf[NCPD_SESSION_CSRF_LEN + 1];
    int64_t account;
    char ak[NCPD_SESSION_AK_MAX];
    for (int i = 0; i < 3; i++) {
        fake_now += 10;
        assert_int_equal(ncpd_session_create(s, i + 1, "AK", id[i], csrf), 0);
    }
    fake_now += 10;
    assert_int_equal(ncpd_session_lookup(s, id[0], &account, ak), 1); /* 0 is now the newest */
    assert_int_equal(ncpd_session_create(s, 4, "AK", id[3], csrf), 0);
    assert_int_equal(ncpd_session_count(s), 3);
    assert_int_equal(ncpd_session_lookup(s, id[1], &account, ak), 0); /* least recently used */
    assert_int_equal(ncpd_session_lookup(s, id[0], &account, ak), 1);
    assert_int_equal(ncpd_session_lookup(s, id[2], &account, ak), 1);
    assert_int_equal(ncpd_session_lookup(s, id[3], &account, ak), 1);
    /* expired ones are swept first: all live sessions stay */
    fake_now += 2000;
    char fresh[NCPD_SESSION_ID_LEN + 1];
    assert_int_equal(ncpd_session_create(s, 5, "AK", fresh, csrf), 0);
    assert_int_equal(ncpd_session_count(s), 1);
    ncpd_sessions_free(s);
}

static void test_console_cookie(void **state)
{
    (void)state;
    char v[256];
    ncpd_console_cookie(v, sizeof(v), "abc", false);
    assert_string_equal(v, "ncpd_console=abc; Path=/console/; HttpOnly; SameSite=Strict");
    ncpd_console_cookie(v, sizeof(v), "abc", true);
    assert_string_equal(v, "ncpd_console=abc; Path=/console/; HttpOnly; SameSite=Strict; Secure");
    ncpd_console_cookie(v, sizeof(v), NULL, true);
    assert_string_equal(v,
                        "ncpd_console=; Path=/console/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
    assert_true(ncpd_console_owns("/console"));
    assert_true(ncpd_console_owns("/console/"));
    assert_true(ncpd_console_owns("/console?x=1"));
    assert_true(ncpd_console_owns("/console/api/session"));
    assert_false(ncpd_console_owns("/consoles"));
    assert_false(ncpd_console_owns("/server/v2/getServerInstanceList"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_create_lookup_destroy),
        cmocka_unit_test(test_session_csrf_per_session),
        cmocka_unit_test(test_session_idle_expiry),
        cmocka_unit_test(test_session_max_age),
        cmocka_unit_test(test_session_full_table),
        cmocka_unit_test(test_console_cookie),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

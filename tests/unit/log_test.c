/* log_test.c: the JSON form of log lines (util/log.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "util/log.h"

/* The JSON object of one line, parsed (and checked to be one valid object). */
static json_t *line_json(const char *text, size_t cap)
{
    char out[4096];
    assert_true(cap <= sizeof(out));
    size_t n = ncp_log_json(out, cap, "2026-01-02T03:04:05.678Z", "info", text);
    assert_int_equal(n, strlen(out));
    assert_true(n < cap);
    json_error_t e;
    json_t *j = json_loads(out, JSON_REJECT_DUPLICATES, &e);
    if (!j)
        fail_msg("not JSON (%s): %s", e.text, out);
    assert_true(json_is_object(j));
    assert_string_equal(json_string_value(json_object_get(j, "ts")), "2026-01-02T03:04:05.678Z");
    assert_string_equal(json_string_value(json_object_get(j, "level")), "info");
    return j;
}

static const char *str(json_t *j, const char *k)
{
    json_t *v = json_object_get(j, k);
    assert_non_null(v);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static void test_log_json_pairs(void **state)
{
    (void)state;
    json_t *j = line_json("request_id=0b1c action=stopServerInstances account=12 status=200 "
                          "ms=3",
                          4096);
    assert_string_equal(str(j, "request_id"), "0b1c");
    assert_string_equal(str(j, "action"), "stopServerInstances");
    assert_int_equal(json_integer_value(json_object_get(j, "account")), 12);
    assert_int_equal(json_integer_value(json_object_get(j, "status")), 200);
    assert_null(json_object_get(j, "msg"));
    json_decref(j);
}

static void test_log_json_rest_and_words(void **state)
{
    (void)state;
    json_t *j = line_json("sched: pass failed code=1300 detail=sqlite step: database is locked",
                          4096);
    assert_string_equal(str(j, "msg"), "sched: pass failed");
    assert_int_equal(json_integer_value(json_object_get(j, "code")), 1300); /* integers: numbers */
    assert_string_equal(str(j, "detail"), "sqlite step: database is locked");
    json_decref(j);
    j = line_json("event=account_created name=\"a \\\"b\\\" c\" access_key=AK01 id=007", 4096);
    assert_string_equal(str(j, "name"), "a \"b\" c");
    assert_string_equal(str(j, "access_key"), "AK01");
    assert_string_equal(str(j, "id"), "007"); /* leading zero: kept as text */
    json_decref(j);
}

static void test_log_json_escapes_and_duplicates(void **state)
{
    (void)state;
    json_t *j = line_json("k=a\\b\"c\x01 k=again ts=x level=y bad=\xff\xfe end=1", 4096);
    assert_string_equal(str(j, "k"), "a\\b\"c\x01");
    assert_string_equal(str(j, "bad"), "\xef\xbf\xbd\xef\xbf\xbd"); /* U+FFFD twice */
    assert_string_equal(str(j, "ts"), "2026-01-02T03:04:05.678Z");
    assert_int_equal(json_integer_value(json_object_get(j, "end")), 1);
    json_decref(j);
}

static void test_log_json_truncation_stays_valid(void **state)
{
    (void)state;
    char text[3000];
    memset(text, 'x', sizeof(text));
    memcpy(text, "a=1 long=", 9);
    text[sizeof(text) - 1] = '\0';
    for (size_t cap = 128; cap < 300; cap += 7) {
        json_t *j = line_json(text, cap);
        json_decref(j);
    }
    json_t *j = line_json(text, 4096);
    assert_int_equal(strlen(str(j, "long")), sizeof(text) - 1 - 9);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_json_pairs),
        cmocka_unit_test(test_log_json_rest_and_words),
        cmocka_unit_test(test_log_json_escapes_and_duplicates),
        cmocka_unit_test(test_log_json_truncation_stays_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* spec_test.c: the action table and the generic validator (spec/spec.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "act/act.h"
#include "spec/spec.h"

static int validate(ncp_arena_t *a, const char *action, const char *query, const char *body,
                    ncp_args_t *args, ncp_err_t *err)
{
    ncp_kvs_t kvs = {0};
    ncp_err_init(err);
    if (ncp_form_parse(a, query, strlen(query), NCP_SRC_QUERY, &kvs, err) < 0)
        return -1;
    if (body && ncp_form_parse(a, body, strlen(body), NCP_SRC_BODY, &kvs, err) < 0)
        return -1;
    const ncp_action_t *act = ncp_spec_find(action, strlen(action));
    assert_non_null(act);
    return ncp_spec_validate(act, &kvs, a, args, err);
}

static void test_spec_table_sorted_and_bound(void **state)
{
    (void)state;
    assert_int_equal(ncp_spec_check_table(), 0);
    assert_int_equal(ncp_act_check_table(), 0);
    assert_non_null(ncp_spec_find("stopServerInstances", 19));
    assert_null(ncp_spec_find("stopServerInstance", 18));
    assert_null(ncp_spec_find("stopServerInstancesX", 20));
    assert_null(ncp_spec_find("", 0));
}

static void test_spec_validate_lists(void **state)
{
    (void)state;
    ncp_arena_t *a = ncp_arena_new(0);
    ncp_args_t args;
    ncp_err_t err;
    assert_int_equal(validate(a, "stopServerInstances",
                              "serverInstanceNoList.3=c&serverInstanceNoList.1=a&"
                              "responseFormatType=json",
                              NULL, &args, &err),
                     0);
    const ncp_arg_t *l = ncp_arg(&args, "serverInstanceNoList");
    assert_int_equal(l->n, 2);
    assert_string_equal(l->items[0], "a"); /* RAW: checked by the handler */
    assert_string_equal(l->items[1], "c");
    /* body wins over query for the same index */
    assert_int_equal(validate(a, "stopServerInstances", "serverInstanceNoList.1=1",
                              "serverInstanceNoList.1=2", &args, &err),
                     0);
    assert_string_equal(ncp_arg(&args, "serverInstanceNoList")->items[0], "2");
    ncp_arena_free(a);
}

static void expect(ncp_arena_t *a, const char *action, const char *q, ncp_err_code_t code,
                   const char *msg)
{
    ncp_args_t args;
    ncp_err_t err;
    assert_int_equal(validate(a, action, q, NULL, &args, &err), -1);
    assert_int_equal(err.code, code);
    if (msg)
        assert_string_equal(err.msg, msg);
}

static void test_spec_validate_errors(void **state)
{
    (void)state;
    ncp_arena_t *a = ncp_arena_new(0);
    expect(a, "stopServerInstances", "", NCP_E_REQUIRED,
           "Required field is not specified. location : serverInstanceNoList.");
    expect(a, "stopServerInstances", "serverInstanceNoList.x=1", NCP_E_INVALID_PARAM,
           "Invalid parameter. location : serverInstanceNoList.x.");
    expect(a, "stopServerInstances", "serverInstanceNoList.0=1", NCP_E_INVALID_PARAM, NULL);
    expect(a, "stopServerInstances", "serverInstanceNoList.1=1&serverInstanceNoList.1=2",
           NCP_E_INVALID_PARAM, "Invalid parameter. location : serverInstanceNoList.1.");
    expect(a, "stopServerInstances", "serverInstanceNoList.1=1&foo=1", NCP_E_INVALID_PARAM,
           "Invalid parameter. location : foo.");
    expect(a, "getServerInstanceList", "pageNo=1&pageNo=2", NCP_E_INVALID_PARAM,
           "Invalid parameter. location : pageNo.");
    expect(a, "getServerInstanceList", "pageNo=-1", NCP_E_INVALID_PARAM, NULL);
    expect(a, "getServerInstanceList", "pageNo=abc", NCP_E_INVALID_PARAM, NULL);
    expect(a, "getServerInstanceList", "pageSize=99999999999999999999", NCP_E_INVALID_PARAM,
           "Invalid parameter. location : pageSize.");
    expect(a, "getServerInstanceList", "pageSize=2147483648", NCP_E_INVALID_PARAM, NULL);
    expect(a, "getServerInstanceList", "sortedBy=foo", NCP_E_INVALID_PARAM, NULL);
    expect(a, "getServerInstanceList", "serverInstanceNoList.1=12a", NCP_E_INVALID_PARAM, NULL);
    expect(a, "getServerInstanceList", "searchFilterValue=a%00b", NCP_E_INVALID_PARAM, NULL);
    /* names echoed in messages are sanitised (DECISIONS D9) */
    expect(a, "getServerInstanceList", "x%0ABody:%20y=1", NCP_E_INVALID_PARAM,
           "Invalid parameter. location : x?Body_ y.");
    ncp_arena_free(a);
}

static void test_spec_validate_types(void **state)
{
    (void)state;
    ncp_arena_t *a = ncp_arena_new(0);
    ncp_args_t args;
    ncp_err_t err;
    assert_int_equal(validate(a, "getServerInstanceList",
                              "sortedBy=SERVERNAME&sortingOrder=Descending&pageNo=2&pageSize=3&"
                              "serverInstanceTypeCodeList.1=stand",
                              NULL, &args, &err),
                     0);
    assert_string_equal(ncp_arg(&args, "sortedBy")->s, "serverName");
    assert_string_equal(ncp_arg(&args, "sortingOrder")->s, "descending");
    assert_int_equal(ncp_arg(&args, "pageNo")->i, 2);
    assert_string_equal(ncp_arg(&args, "serverInstanceTypeCodeList")->items[0], "STAND");
    assert_false(ncp_arg(&args, "zoneNo")->present);
    ncp_arena_free(a);
}

static void test_spec_list_cap(void **state)
{
    (void)state;
    ncp_arena_t *a = ncp_arena_new(0);
    ncp_buf_t q;
    ncp_buf_init(&q, 0);
    for (int i = 1; i <= NCP_LIST_MAX + 1; i++)
        ncp_buf_printf(&q, "%sserverInstanceNoList.%d=%d", i > 1 ? "&" : "", i, i);
    expect(a, "stopServerInstances", q.data, NCP_E_INVALID_PARAM,
           "Invalid parameter. location : serverInstanceNoList.");
    ncp_buf_release(&q);
    ncp_arena_free(a);
}

static void test_spec_parsers(void **state)
{
    (void)state;
    int64_t v;
    bool b;
    assert_int_equal(ncp_spec_parse_int("9223372036854775807", 19, &v), 0);
    assert_int_equal(ncp_spec_parse_int("9223372036854775808", 19, &v), -1);
    assert_int_equal(ncp_spec_parse_int("-", 1, &v), -1);
    assert_int_equal(ncp_spec_parse_bool("True", 4, &b), 0);
    assert_true(b);
    assert_int_equal(ncp_spec_parse_bool("FALSE", 5, &b), 0);
    assert_false(b);
    assert_int_equal(ncp_spec_parse_bool("1", 1, &b), -1);
    assert_true(ncp_spec_is_no("1021003", 7));
    assert_false(ncp_spec_is_no("", 0));
    assert_false(ncp_spec_is_no("12345678901234567890", 20));
    assert_false(ncp_spec_is_no("-1", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_table_sorted_and_bound),
        cmocka_unit_test(test_spec_validate_lists),
        cmocka_unit_test(test_spec_validate_errors),
        cmocka_unit_test(test_spec_validate_types),
        cmocka_unit_test(test_spec_list_cap),
        cmocka_unit_test(test_spec_parsers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

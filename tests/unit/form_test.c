/* form_test.c: query/form parsing (proto/form.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/form.h"

static int parse(ncp_arena_t *a, const char *s, ncp_kvs_t *kvs, ncp_err_t *err)
{
    memset(kvs, 0, sizeof(*kvs));
    ncp_err_init(err);
    return ncp_form_parse(a, s, strlen(s), NCP_SRC_QUERY, kvs, err);
}

static void test_form_parse_pairs(void **state)
{
    (void)state;
    ncp_arena_t *a = ncp_arena_new(0);
    ncp_kvs_t kvs;
    ncp_err_t err;
    assert_int_equal(parse(a, "a=1&&b=x+y%2Fz&c&d=", &kvs, &err), 0);
    assert_int_equal(kvs.n, 4);
    assert_string_equal(kvs.v[0].name, "a");
    assert_string_equal(kvs.v[0].val, "1");
    assert_string_equal(kvs.v[1].val, "x y/z");
    assert_string_equal(kvs.v[2].name, "c");
    assert_int_equal(kvs.v[2].val_len, 0);
    assert_int_equal(kvs.v[3].val_len, 0);
    ncp_arena_free(a);
}

static void test_form_parse_list_names_and_nul(void **state)
{
    (void)state;
    ncp_arena_t *a = ncp_arena_new(0);
    ncp_kvs_t kvs;
    ncp_err_t err;
    assert_int_equal(parse(a, "serverInstanceNoList.1=1&x=%00y", &kvs, &err), 0);
    assert_string_equal(kvs.v[0].name, "serverInstanceNoList.1");
    assert_int_equal(kvs.v[1].val_len, 2);
    assert_int_equal(kvs.v[1].val[0], '\0');
    ncp_arena_free(a);
}

static void test_form_parse_bad_escape(void **state)
{
    (void)state;
    ncp_arena_t *a = ncp_arena_new(0);
    ncp_kvs_t kvs;
    ncp_err_t err;
    const char *bad[] = {"a=%zz", "a=%4", "a=%", "%G1=1", "a=b%"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(parse(a, bad[i], &kvs, &err), -1);
        assert_int_equal(err.code, NCP_E_GW_BAD_REQUEST);
    }
    ncp_arena_free(a);
}

static void test_form_parse_not_utf8(void **state)
{
    (void)state;
    ncp_arena_t *a = ncp_arena_new(0);
    ncp_kvs_t kvs;
    ncp_err_t err;
    assert_int_equal(parse(a, "a=%ff", &kvs, &err), -1);
    assert_int_equal(err.code, NCP_E_GW_BAD_REQUEST);
    assert_int_equal(parse(a, "a=%ED%A0%80", &kvs, &err), -1); /* surrogate */
    assert_int_equal(parse(a, "a=%C0%AF", &kvs, &err), -1);    /* overlong */
    assert_int_equal(parse(a, "a=%EB%82%B4", &kvs, &err), 0);  /* Korean */
    ncp_arena_free(a);
}

static void test_form_encode_roundtrip(void **state)
{
    (void)state;
    const char *v = "a b&c=d/é+%~";
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    ncp_form_add(&b, "k.1", v);
    assert_string_equal(b.data, "k.1=a%20b%26c%3Dd%2F%C3%A9%2B%25~");
    ncp_arena_t *a = ncp_arena_new(0);
    ncp_kvs_t kvs;
    ncp_err_t err;
    assert_int_equal(parse(a, b.data, &kvs, &err), 0);
    assert_string_equal(kvs.v[0].val, v);
    ncp_buf_release(&b);
    ncp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_parse_pairs),
        cmocka_unit_test(test_form_parse_list_names_and_nul),
        cmocka_unit_test(test_form_parse_bad_escape),
        cmocka_unit_test(test_form_parse_not_utf8),
        cmocka_unit_test(test_form_encode_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

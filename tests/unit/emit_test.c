/* emit_test.c: both emitters (render/emit.c, render/envelope.c). Outputs
 * are checked byte for byte where the layout matters (the Go SDK slices
 * JSON bodies) and parsed with real parsers (jansson, libxml2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "render/envelope.h"

static void build(ncp_buf_t *b, ncp_fmt_t fmt, const char *text)
{
    ncp_emit_t e;
    ncp_emit_init(&e, fmt, b);
    ncp_env_begin(&e, "stopServerInstances", "rid", NULL);
    ncp_env_total_rows(&e, 2);
    ncp_emit_list_begin(&e, "serverInstanceList", "serverInstance");
    ncp_emit_obj_begin(&e, NULL);
    ncp_emit_str(&e, "serverInstanceNo", "1021003");
    ncp_emit_str(&e, "serverDescription", text);
    ncp_emit_int(&e, "memorySize", 4294967296LL);
    ncp_emit_bool(&e, "isProtectServerTermination", false);
    ncp_emit_code(&e, "platformType", "LNX64", "Linux 64 Bit");
    ncp_emit_list_begin(&e, "instanceTagList", "instanceTag");
    ncp_emit_list_end(&e);
    ncp_emit_obj_end(&e);
    ncp_emit_obj_begin(&e, NULL);
    ncp_emit_str(&e, "serverInstanceNo", "1021004");
    ncp_emit_obj_end(&e);
    ncp_emit_list_end(&e);
    ncp_env_end(&e);
}

static void test_emit_json_layout_and_types(void **state)
{
    (void)state;
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    build(&b, NCP_FMT_JSON, "plain");
    const char *head = "{\"stopServerInstancesResponse\": {\n  \"requestId\": \"rid\",\n"
                       "  \"returnCode\": \"0\",\n  \"returnMessage\": \"success\",\n"
                       "  \"totalRows\": 2,\n";
    assert_memory_equal(b.data, head, strlen(head));
    assert_int_equal(b.data[b.len - 1], '}');
    assert_int_equal(b.data[b.len - 2], '}');
    assert_true(strstr(b.data, "\"instanceTagList\": []") != NULL);
    /* Go SDK v2: decode body[i : len-1] where i = index of the inner '{' - 1 */
    const char *inner = strchr(b.data + 1, '{');
    size_t i = (size_t)(inner - b.data) - 1;
    assert_int_equal(b.data[i], ' ');
    json_error_t jerr;
    json_t *j = json_loadb(b.data + i, b.len - 1 - i, 0, &jerr);
    assert_non_null(j);
    assert_true(json_is_string(json_object_get(j, "returnCode")));
    assert_true(json_is_integer(json_object_get(j, "totalRows")));
    json_t *list = json_object_get(j, "serverInstanceList");
    assert_int_equal(json_array_size(list), 2);
    json_t *s0 = json_array_get(list, 0);
    assert_true(json_is_string(json_object_get(s0, "serverInstanceNo")));
    assert_true(json_is_integer(json_object_get(s0, "memorySize")));
    assert_int_equal(json_integer_value(json_object_get(s0, "memorySize")), 4294967296LL);
    assert_true(json_is_false(json_object_get(s0, "isProtectServerTermination")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(s0, "platformType"), "codeName")),
        "Linux 64 Bit");
    json_decref(j);
    /* and the whole body parses too */
    j = json_loadb(b.data, b.len, 0, &jerr);
    assert_non_null(j);
    json_decref(j);
    ncp_buf_release(&b);
}

static void test_emit_xml_layout(void **state)
{
    (void)state;
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    build(&b, NCP_FMT_XML, "plain");
    assert_true(strncmp(b.data, "<stopServerInstancesResponse>\n  <requestId>rid</requestId>", 58) == 0);
    assert_true(strstr(b.data, "<instanceTagList/>") != NULL);
    assert_true(strstr(b.data, "<serverInstanceList>\n    <serverInstance>\n      <serverInstanceNo>1021003") != NULL);
    xmlDocPtr doc = xmlReadMemory(b.data, (int)b.len, "x.xml", "UTF-8", XML_PARSE_NONET);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "stopServerInstancesResponse");
    int items = 0;
    for (xmlNodePtr n = root->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "serverInstanceList") == 0)
            for (xmlNodePtr m = n->children; m; m = m->next)
                items += m->type == XML_ELEMENT_NODE;
    assert_int_equal(items, 2);
    xmlFreeDoc(doc);
    ncp_buf_release(&b);
}

static const char *nasty[] = {
    "a&b<c>d\"e'f", "line\nbreak\ttab\rcr", "ctl\x01\x02\x1f\x7f", "bad\xff\xfeutf8",
    "trunc\xe2\x82", "korean 내서버", "nonchar \xef\xbf\xbe", "back\\slash \"q\"", "",
};

static void test_emit_escaping_parses(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(nasty) / sizeof(nasty[0]); k++) {
        ncp_buf_t b;
        ncp_buf_init(&b, 0);
        build(&b, NCP_FMT_JSON, nasty[k]);
        json_error_t jerr;
        json_t *j = json_loadb(b.data, b.len, 0, &jerr);
        assert_non_null(j);
        json_decref(j);
        ncp_buf_release(&b);

        ncp_buf_init(&b, 0);
        build(&b, NCP_FMT_XML, nasty[k]);
        xmlDocPtr doc = xmlReadMemory(b.data, (int)b.len, "x.xml", "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        assert_non_null(doc);
        xmlFreeDoc(doc);
        ncp_buf_release(&b);
    }
    /* valid text survives unchanged */
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    build(&b, NCP_FMT_JSON, "a&b<c> 내서버 \"q\"");
    assert_non_null(strstr(b.data, "\"a&b<c> 내서버 \\\"q\\\"\""));
    ncp_buf_release(&b);
    ncp_buf_init(&b, 0);
    build(&b, NCP_FMT_XML, "a&b<c> 내서버");
    assert_non_null(strstr(b.data, "a&amp;b&lt;c&gt; 내서버"));
    ncp_buf_release(&b);
}

static void test_env_error_bodies(void **state)
{
    (void)state;
    ncp_err_t err;
    ncp_buf_t b;
    ncp_err_init(&err);
    ncp_err_set(&err, NCP_E_BAD_SERVER_NO);
    ncp_buf_init(&b, 0);
    assert_int_equal(ncp_env_error(&b, NCP_FMT_JSON, &err), 400);
    assert_string_equal(b.data, "{\"responseError\": {\n  \"returnCode\": \"24120\",\n"
                                "  \"returnMessage\": \"The input parameter server instance "
                                "number is invalid.\"\n}}");
    ncp_buf_clear(&b);
    assert_int_equal(ncp_env_error(&b, NCP_FMT_XML, &err), 400);
    assert_string_equal(b.data, "<responseError>\n  <returnCode>24120</returnCode>\n"
                                "  <returnMessage>The input parameter server instance number is "
                                "invalid.</returnMessage>\n</responseError>");
    ncp_buf_clear(&b);
    ncp_err_init(&err);
    ncp_err_set_gw(&err, NCP_E_GW_AUTH, "Signature is invalid.");
    assert_int_equal(ncp_env_error(&b, NCP_FMT_XML, &err), 401);
    assert_string_equal(b.data, "{\"error\": {\n  \"errorCode\": \"200\",\n  \"message\": "
                                "\"Authentication Failed\",\n  \"details\": \"Signature is "
                                "invalid.\"\n}}");
    ncp_buf_clear(&b);
    ncp_err_init(&err);
    ncp_err_set(&err, NCP_E_PARTIAL, 1u, 2u);
    assert_string_equal(err.msg, "1 among 2 servers failed for operation. The problem is being "
                                 "handled. Please hold for a moment.");
    ncp_buf_release(&b);
}

static void test_emit_bare_list(void **state)
{
    (void)state;
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    ncp_emit_t e;
    ncp_emit_init(&e, NCP_FMT_XML, &b);
    ncp_env_begin(&e, "getRootPasswordServerInstanceList", "rid", NULL);
    ncp_emit_list_begin_bare(&e, "rootPasswordServerInstanceList");
    for (int i = 0; i < 2; i++) {
        ncp_emit_obj_begin(&e, NULL);
        ncp_emit_str(&e, "serverInstanceNo", i ? "2" : "1");
        ncp_emit_obj_end(&e);
    }
    ncp_emit_list_end(&e);
    ncp_env_end(&e);
    assert_non_null(strstr(b.data, "<rootPasswordServerInstanceList>\n    <serverInstanceNo>1"));
    assert_null(strstr(b.data, "<rootPasswordServerInstanceList>\n    <rootPassword"));
    xmlDocPtr doc = xmlReadMemory(b.data, (int)b.len, "x.xml", "UTF-8", XML_PARSE_NONET);
    assert_non_null(doc);
    xmlFreeDoc(doc);
    ncp_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emit_json_layout_and_types),
        cmocka_unit_test(test_emit_xml_layout),
        cmocka_unit_test(test_emit_escaping_parses),
        cmocka_unit_test(test_env_error_bodies),
        cmocka_unit_test(test_emit_bare_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

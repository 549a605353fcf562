/* fuzz_emit.c: libFuzzer target for the XML and JSON emitters
 * (render/emit.h, render/envelope.h).
 *
 * Part 1, text: the whole input is one string value, written by
 * ncp_emit_text into `<r>..</r>` and `{"r": ".."}`; both must parse (libxml2
 * with XML_PARSE_NONET, jansson) and, when the input is valid UTF-8 with
 * only characters XML allows, give back exactly the input bytes.
 *
 * Part 2, structure: the input drives a small program (one opcode byte,
 * then operands) that opens objects, lists, empty lists and bare lists,
 * and writes strings (bytes taken from the input), integers, booleans and
 * codes, with names from a fixed set, inside an NCP envelope. The document
 * must parse in its format, and JSON must survive the Go SDK's slicing
 * (body[i:len-1] with i one before the first '{' after byte 0).
 *
 * Part 3, errors: ncp_env_error for a code chosen by the input, with the
 * input as message, in both formats. */
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/emit.h"
#include "render/envelope.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

#define FAIL(...)                                                                            \
    do {                                                                                     \
        fprintf(stderr, "fuzz_emit: invariant failed: " __VA_ARGS__);                        \
        fputc('\n', stderr);                                                                 \
        abort();                                                                             \
    } while (0)

/* NCPD_FUZZ_IGNORE=id,id...: skip the checks of known, reported bugs so a
 * long run can look for others (the kept crashers still fail without it). */
static bool ignored(const char *id)
{
    const char *v = getenv("NCPD_FUZZ_IGNORE");
    return v && strstr(v, id);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void xml_silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, xml_silent);
    return 0;
}

static void dump(const char *what, const ncp_buf_t *b)
{
    fprintf(stderr, "fuzz_emit: %s (%zu bytes):\n", what, b->len);
    fwrite(b->data ? b->data : "", 1, b->len, stderr);
    fputc('\n', stderr);
}

static xmlDocPtr parse_xml(const ncp_buf_t *b)
{
    return xmlReadMemory(b->data ? b->data : "", (int)b->len, "emit.xml", "UTF-8",
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static json_t *parse_json(const char *s, size_t len, json_error_t *je)
{
    return json_loadb(s, len, JSON_ALLOW_NUL, je);
}

static void must_xml(const ncp_buf_t *b, const char *root)
{
    xmlDocPtr doc = parse_xml(b);
    if (!doc) {
        dump("XML output", b);
        FAIL("XML output does not parse");
    }
    xmlNodePtr r = xmlDocGetRootElement(doc);
    if (!r || strcmp((const char *)r->name, root) != 0) {
        dump("XML output", b);
        FAIL("XML root is not <%s>", root);
    }
    xmlFreeDoc(doc);
}

/* JSON must parse, be {"root": {...}}, and survive the Go SDK slicing. */
static void must_json(const ncp_buf_t *b, const char *root)
{
    json_error_t je;
    json_t *j = parse_json(b->data, b->len, &je);
    if (!j) {
        dump("JSON output", b);
        FAIL("JSON output does not parse: %s (line %d col %d)", je.text, je.line, je.column);
    }
    json_t *inner = json_object_get(j, root);
    if (!json_is_object(j) || json_object_size(j) != 1 || !json_is_object(inner)) {
        dump("JSON output", b);
        FAIL("JSON output is not {\"%s\": {...}}", root);
    }
    json_decref(j);
    const char *brace = memchr(b->data + 1, '{', b->len - 1);
    if (!brace) {
        dump("JSON output", b);
        FAIL("JSON output has no inner object");
    }
    size_t i = (size_t)(brace - b->data) - 1;
    if (b->len < 1 || b->data[b->len - 1] != '}')
        FAIL("JSON output does not end with '}'");
    j = parse_json(b->data + i, b->len - 1 - i, &je);
    if (!j || !json_is_object(j)) {
        dump("JSON output", b);
        FAIL("Go SDK slicing body[%zu:%zu] does not parse: %s", i, b->len - 1, je.text);
    }
    json_decref(j);
}

/* ---- part 1: text ------------------------------------------------------- */

/* Valid UTF-8 whose characters are all XML Chars, so XML must give it back
 * byte for byte (0x7f is written as &#127;, \r as &#13;). */
static bool xml_clean(const uint8_t *s, size_t len)
{
    if (!ncp_utf8_valid((const char *)s, len))
        return false;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return false;
        if (c == 0xef && i + 2 < len && s[i + 1] == 0xbf && (s[i + 2] == 0xbe || s[i + 2] == 0xbf))
            return false;
    }
    return true;
}

static void text_xml(const uint8_t *data, size_t size)
{
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    ncp_buf_puts(&b, "<r>");
    ncp_emit_text(&b, NCP_FMT_XML, (const char *)data, size);
    ncp_buf_puts(&b, "</r>");
    xmlDocPtr doc = parse_xml(&b);
    if (!doc) {
        dump("XML text", &b);
        FAIL("escaped XML text does not parse");
    }
    if (xml_clean(data, size)) {
        xmlChar *t = xmlNodeGetContent(xmlDocGetRootElement(doc));
        size_t tl = t ? strlen((const char *)t) : 0;
        if (tl != size || (size && memcmp(t, data, size) != 0)) {
            dump("XML text", &b);
            FAIL("XML text does not round-trip (%zu -> %zu bytes)", size, tl);
        }
        xmlFree(t);
    }
    xmlFreeDoc(doc);
    ncp_buf_release(&b);
}

static void text_json(const uint8_t *data, size_t size)
{
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    ncp_buf_puts(&b, "{\"r\": \"");
    ncp_emit_text(&b, NCP_FMT_JSON, (const char *)data, size);
    ncp_buf_puts(&b, "\"}");
    json_error_t je;
    json_t *j = parse_json(b.data, b.len, &je);
    if (!j) {
        dump("JSON text", &b);
        FAIL("escaped JSON text does not parse: %s", je.text);
    }
    json_t *v = json_object_get(j, "r");
    if (!json_is_string(v))
        FAIL("JSON text is not a string");
    if (ncp_utf8_valid((const char *)data, size)) {
        if (json_string_length(v) != size ||
            (size && memcmp(json_string_value(v), data, size) != 0)) {
            dump("JSON text", &b);
            FAIL("JSON text does not round-trip (%zu -> %zu bytes)", size,
                 json_string_length(v));
        }
    } else if (!memmem(json_string_value(v), json_string_length(v), "\xef\xbf\xbd", 3)) {
        FAIL("invalid UTF-8 was not replaced by U+FFFD");
    }
    json_decref(j);
    ncp_buf_release(&b);
}

/* ---- part 2: structure -------------------------------------------------- */

static const char *const names[] = {
    "serverInstance", "serverInstanceList", "serverName", "zone", "region", "code",
    "codeName", "accessControlGroup", "instanceTag", "a", "x-y", "item", "totalRows",
    "rootPasswordServerInstanceList", "privateKey", "_n.1"};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

typedef struct reader {
    const uint8_t *p;
    size_t n, i;
} reader_t;

static int rd(reader_t *r)
{
    return r->i < r->n ? r->p[r->i++] : -1;
}

static const char *rd_name(reader_t *r)
{
    int c = rd(r);
    return names[(c < 0 ? 0 : c) % N_NAMES];
}

enum { K_OBJ, K_LIST, K_BARE };

static void structure(const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    reader_t r = {data, size, 0};
    ncp_fmt_t fmt = (data[0] & 1) ? NCP_FMT_JSON : NCP_FMT_XML;
    bool capped = (data[0] & 0x6) == 0x6; /* a small cap: output may be cut, never overrun */
    r.i = 1;
    ncp_buf_t b;
    ncp_buf_init(&b, capped ? 64 + size : 0);
    ncp_emit_t e;
    ncp_emit_init(&e, fmt, &b);
    const char *action = rd_name(&r);
    char root[160];
    snprintf(root, sizeof(root), "%sResponse", action);
    ncp_env_begin(&e, action, "00000000-0000-4000-8000-000000000000", NULL);
    int kinds[NCP_EMIT_MAX_DEPTH] = {K_OBJ};
    int depth = 1; /* frames open, root included */
    bool too_deep = false;
    int ops = 0;
    int c;
    while ((c = rd(&r)) >= 0 && ops++ < 4096) {
        bool in_obj = kinds[depth - 1] == K_OBJ;
        switch (c % 10) {
        case 0: /* object */
            if (depth < NCP_EMIT_MAX_DEPTH) {
                ncp_emit_obj_begin(&e, in_obj ? rd_name(&r) : NULL);
                kinds[depth++] = K_OBJ;
            }
            break;
        case 1: /* list */
            if (depth < NCP_EMIT_MAX_DEPTH) {
                const char *n = rd_name(&r);
                ncp_emit_list_begin(&e, n, rd_name(&r));
                kinds[depth++] = K_LIST;
            }
            break;
        case 2: /* bare list: only as an object member, as handlers use it */
            if (depth < NCP_EMIT_MAX_DEPTH && in_obj) {
                ncp_emit_list_begin_bare(&e, rd_name(&r));
                kinds[depth++] = K_BARE;
            }
            break;
        case 3: /* close the innermost frame */
            if (depth > 1) {
                depth--;
                if (kinds[depth] == K_OBJ)
                    ncp_emit_obj_end(&e);
                else
                    ncp_emit_list_end(&e);
            }
            break;
        case 4:
        case 5: { /* string: length byte, then that many input bytes */
            const char *n = rd_name(&r);
            int l = rd(&r);
            size_t len = l < 0 ? 0 : (size_t)l;
            if (len > r.n - r.i)
                len = r.n - r.i;
            ncp_emit_strn(&e, n, (const char *)r.p + r.i, len);
            r.i += len;
            break;
        }
        case 6: { /* integer from 8 bytes */
            const char *n = rd_name(&r);
            uint64_t v = 0;
            for (int k = 0; k < 8; k++)
                v = v << 8 | (uint8_t)(rd(&r) & 0xff);
            ncp_emit_int(&e, n, (int64_t)v);
            break;
        }
        case 7: {
            const char *n = rd_name(&r);
            ncp_emit_bool(&e, n, rd(&r) & 1);
            break;
        }
        case 8: { /* a code is an object: one more frame */
            if (depth >= NCP_EMIT_MAX_DEPTH && ignored("emit-depth"))
                break;
            if (depth >= NCP_EMIT_MAX_DEPTH)
                too_deep = true; /* refused: the emitter marks the response over */
            const char *n = rd_name(&r);
            ncp_emit_code(&e, n, rd_name(&r), rd_name(&r));
            break;
        }
        case 9: /* a NULL string, as handlers pass for absent values */
            ncp_emit_str(&e, rd_name(&r), NULL);
            break;
        }
    }
    while (depth > 1) {
        depth--;
        if (kinds[depth] == K_OBJ)
            ncp_emit_obj_end(&e);
        else
            ncp_emit_list_end(&e);
    }
    ncp_env_total_rows(&e, (int64_t)size);
    ncp_env_end(&e);
    if (e.depth != 0)
        FAIL("emitter depth %d after the root closed", e.depth);
    if (b.len > b.max && !ignored("buf-cap"))
        FAIL("buffer length %zu over its cap %zu (ncp_buf_putc ignores max?)", b.len, b.max);
    if (b.data && b.data[b.len] != '\0')
        FAIL("buffer is not NUL-terminated");
    if (!b.over) {
        if (fmt == NCP_FMT_XML)
            must_xml(&b, root);
        else
            must_json(&b, root);
    } else if (!capped && !too_deep) {
        FAIL("uncapped buffer reports overflow");
    }
    ncp_buf_release(&b);
}

/* ---- part 3: error bodies ----------------------------------------------- */

static void errors(const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    ncp_err_code_t code = (ncp_err_code_t)(1 + data[0] % (NCP_E__COUNT - 1));
    for (int f = 0; f < 2; f++) {
        ncp_err_t err;
        ncp_err_init(&err);
        /* the message carries raw input, as when a handler echoes a value */
        size_t n = size - 1 < sizeof(err.msg) - 1 ? size - 1 : sizeof(err.msg) - 1;
        err.code = code;
        err.is_set = true;
        memcpy(err.msg, data + 1, n);
        err.msg[n] = '\0';
        ncp_buf_t b;
        ncp_buf_init(&b, 0);
        int status = ncp_env_error(&b, f ? NCP_FMT_JSON : NCP_FMT_XML, &err);
        if (status != ncp_err_http(code))
            FAIL("ncp_env_error status %d, table says %d", status, ncp_err_http(code));
        if (ncp_err_kind(code) == NCP_ERR_GW)
            must_json(&b, "error");
        else if (f)
            must_json(&b, "responseError");
        else
            must_xml(&b, "responseError");
        ncp_buf_release(&b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    text_xml(data, size);
    text_json(data, size);
    structure(data, size);
    errors(data, size);
    return 0;
}

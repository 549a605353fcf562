/* fuzz_form.c: libFuzzer target for the form/query parser (proto/form.h).
 *
 * Input: arbitrary bytes, parsed once as a URL query and once as a POST
 * body. Properties checked:
 *   - parse succeeds exactly when every non-empty '&'-separated pair has
 *     valid %-escapes and decodes to UTF-8 (checked against an independent
 *     decoder written here);
 *   - on success the pair count is the number of non-empty pairs, every
 *     name/value is NUL-terminated at its counted length, valid UTF-8, and
 *     carries the source it was parsed from;
 *   - re-encoding the pairs with ncp_form_add (ncp_form_encode when a value
 *     holds NUL) and re-parsing gives the same pairs (round trip);
 *   - ncp_form_encode then ncp_form_decode of the raw input is the identity.
 * Any violation aborts with a message, so libFuzzer keeps the input. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/form.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

#define FAIL(...)                                                                            \
    do {                                                                                     \
        fprintf(stderr, "fuzz_form: invariant failed: " __VA_ARGS__);                        \
        fputc('\n', stderr);                                                                 \
        abort();                                                                             \
    } while (0)

static ncp_arena_t *arena;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    arena = ncp_arena_new(64 * 1024);
    return 0;
}

static int hex(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (unsigned char)(c | 0x20);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Reference decoder: '+' is a space, %XX a byte; -1 on a bad escape. */
static long ref_decode(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%') {
            if (len - i < 3 || hex((unsigned char)s[i + 1]) < 0 || hex((unsigned char)s[i + 2]) < 0)
                return -1;
            out[o++] = (char)(hex((unsigned char)s[i + 1]) * 16 + hex((unsigned char)s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    return (long)o;
}

/* What the parse must do: number of non-empty pairs, or -1 when one of
 * them is malformed (bad escape or not UTF-8). */
static long expected_pairs(const char *s, size_t len, char *scratch)
{
    long n = 0;
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && s[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && s[eq] != '=')
                eq++;
            long nl = ref_decode(s + i, eq - i, scratch);
            if (nl < 0 || !ncp_utf8_valid(scratch, (size_t)nl))
                return -1;
            size_t vs = eq < end ? eq + 1 : end;
            long vl = ref_decode(s + vs, end - vs, scratch);
            if (vl < 0 || !ncp_utf8_valid(scratch, (size_t)vl))
                return -1;
            n++;
        }
        i = end + 1;
    }
    return n;
}

static void check_pairs(const ncp_kvs_t *kvs, size_t from, uint8_t src)
{
    if (kvs->n > kvs->cap)
        FAIL("n %zu > cap %zu", kvs->n, kvs->cap);
    for (size_t k = from; k < kvs->n; k++) {
        const ncp_kv_t *kv = &kvs->v[k];
        if (!kv->name || !kv->val)
            FAIL("pair %zu has a NULL name or value", k);
        if (kv->name[kv->name_len] != '\0' || kv->val[kv->val_len] != '\0')
            FAIL("pair %zu is not NUL-terminated at its length", k);
        if (!ncp_utf8_valid(kv->name, kv->name_len) || !ncp_utf8_valid(kv->val, kv->val_len))
            FAIL("pair %zu is not valid UTF-8", k);
        if (kv->src != src)
            FAIL("pair %zu has source %u, parsed as %u", k, kv->src, src);
    }
}

static void append_pair(ncp_buf_t *b, const ncp_kv_t *kv)
{
    if (!memchr(kv->name, '\0', kv->name_len) && !memchr(kv->val, '\0', kv->val_len)) {
        if (ncp_form_add(b, kv->name, kv->val) < 0)
            FAIL("ncp_form_add failed");
        return;
    }
    /* ncp_form_add takes C strings: encode counted text by hand */
    if ((b->len && ncp_buf_putc(b, '&') < 0) || ncp_form_encode(b, kv->name, kv->name_len) < 0 ||
        ncp_buf_putc(b, '=') < 0 || ncp_form_encode(b, kv->val, kv->val_len) < 0)
        FAIL("ncp_form_encode failed");
}

static void one(const char *s, size_t len, uint8_t src, char *scratch)
{
    ncp_kvs_t kvs = {0};
    ncp_err_t err;
    ncp_err_init(&err);
    int r = ncp_form_parse(arena, s, len, src, &kvs, &err);
    long want = expected_pairs(s, len, scratch);
    if (r < 0) {
        if (want >= 0)
            FAIL("parse refused input that has %ld well-formed pairs (%s)", want, err.msg);
        if (!err.is_set || err.code != NCP_E_GW_BAD_REQUEST || ncp_err_http(err.code) != 400)
            FAIL("parse failed without a gateway 400 error");
        return;
    }
    if (r != 0)
        FAIL("parse returned %d", r);
    if (want < 0)
        FAIL("parse accepted a malformed pair");
    if ((long)kvs.n != want)
        FAIL("parse gave %zu pairs, expected %ld", kvs.n, want);
    check_pairs(&kvs, 0, src);

    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    for (size_t k = 0; k < kvs.n; k++)
        append_pair(&b, &kvs.v[k]);
    ncp_kvs_t again = {0};
    ncp_err_init(&err);
    if (ncp_form_parse(arena, b.data ? b.data : "", b.len, src, &again, &err) < 0)
        FAIL("re-parse of the re-encoded form failed: %s", err.msg);
    if (again.n != kvs.n)
        FAIL("round trip changed the pair count %zu -> %zu", kvs.n, again.n);
    for (size_t k = 0; k < kvs.n; k++) {
        const ncp_kv_t *x = &kvs.v[k], *y = &again.v[k];
        if (x->name_len != y->name_len || memcmp(x->name, y->name, x->name_len) != 0 ||
            x->val_len != y->val_len || memcmp(x->val, y->val, x->val_len) != 0)
            FAIL("round trip changed pair %zu", k);
    }
    check_pairs(&again, 0, src);
    ncp_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char *scratch = malloc(size + 1);
    if (!scratch)
        abort();
    ncp_arena_reset(arena);
    one(s, size, NCP_SRC_QUERY, scratch);
    one(s, size, NCP_SRC_BODY, scratch);

    /* both sources into one list: the second parse appends */
    ncp_kvs_t kvs = {0};
    ncp_err_t err;
    ncp_err_init(&err);
    if (ncp_form_parse(arena, s, size, NCP_SRC_QUERY, &kvs, &err) == 0) {
        size_t nq = kvs.n;
        if (ncp_form_parse(arena, s, size, NCP_SRC_BODY, &kvs, &err) != 0 || kvs.n != 2 * nq)
            FAIL("appending the same pairs as body gave %zu, expected %zu", kvs.n, 2 * nq);
        check_pairs(&kvs, nq, NCP_SRC_BODY);
        for (size_t k = 0; k < nq; k++)
            if (kvs.v[k].src != NCP_SRC_QUERY)
                FAIL("the append overwrote query pair %zu", k);
    }

    /* encode -> decode is the identity on arbitrary bytes */
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    if (ncp_form_encode(&b, s, size) < 0)
        FAIL("encode failed");
    char *out = malloc(b.len + 1);
    if (!out)
        abort();
    long n = ncp_form_decode(b.data ? b.data : "", b.len, out);
    if (n != (long)size || memcmp(out, s, size) != 0)
        FAIL("encode/decode is not the identity (%ld vs %zu bytes)", n, size);
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.data[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '~' || c == '%'))
            FAIL("encode left a reserved byte 0x%02x", c);
    }
    free(out);
    ncp_buf_release(&b);
    free(scratch);
    return 0;
}

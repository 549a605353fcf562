/* form.c: see form.h. */
#include "proto/form.h"

#include <string.h>

#include "util/crypto.h"
#include "util/utf8.h"

long ncp_form_decode(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+') {
            out[o++] = ' ';
        } else if (c == '%') {
            if (i + 2 >= len)
                return -1;
            int a = ncp_hex_digit(s[i + 1]), b = ncp_hex_digit(s[i + 2]);
            if (a < 0 || b < 0)
                return -1;
            out[o++] = (char)(a << 4 | b);
            i += 2;
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    return (long)o;
}

void ncp_form_push(ncp_arena_t *a, ncp_kvs_t *kvs, ncp_kv_t kv)
{
    kvs->v = ncp_arena_grow(a, kvs->v, kvs->n, &kvs->cap, sizeof(ncp_kv_t), 16);
    kvs->v[kvs->n++] = kv;
}

int ncp_form_parse(ncp_arena_t *a, const char *s, size_t len, uint8_t src, ncp_kvs_t *kvs,
                   ncp_err_t *err)
{
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && s[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && s[eq] != '=')
                eq++;
            ncp_kv_t kv = {0};
            char *name = ncp_arena_alloc(a, eq - i + 1);
            long nl = ncp_form_decode(s + i, eq - i, name);
            size_t vs = eq < end ? eq + 1 : end;
            char *val = ncp_arena_alloc(a, end - vs + 1);
            long vl = ncp_form_decode(s + vs, end - vs, val);
            if (nl < 0 || vl < 0) {
                ncp_err_set_gw(err, NCP_E_GW_BAD_REQUEST,
                               "Malformed percent-encoding in the %s.",
                               src == NCP_SRC_QUERY ? "query string" : "request body");
                return -1;
            }
            if (!ncp_utf8_valid(name, (size_t)nl) || !ncp_utf8_valid(val, (size_t)vl)) {
                ncp_err_set_gw(err, NCP_E_GW_BAD_REQUEST,
                               "The %s is not valid UTF-8.",
                               src == NCP_SRC_QUERY ? "query string" : "request body");
                return -1;
            }
            kv.name = name;
            kv.name_len = (size_t)nl;
            kv.val = val;
            kv.val_len = (size_t)vl;
            kv.src = src;
            ncp_form_push(a, kvs, kv);
        }
        i = end + 1;
    }
    return 0;
}

int ncp_form_encode(ncp_buf_t *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            if (ncp_buf_putc(b, (char)c) < 0)
                return -1;
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            if (ncp_buf_append(b, e, 3) < 0)
                return -1;
        }
    }
    return 0;
}

int ncp_form_add(ncp_buf_t *b, const char *name, const char *value)
{
    if (b->len && ncp_buf_putc(b, '&') < 0)
        return -1;
    if (ncp_form_encode(b, name, strlen(name)) < 0 || ncp_buf_putc(b, '=') < 0)
        return -1;
    return ncp_form_encode(b, value, strlen(value));
}

/* form.h: application/x-www-form-urlencoded parsing and encoding.
 *
 * Used for both the URL query and POST bodies (protocol.md §2), and by
 * ncpctl to encode what ncpd decodes, so the two can never disagree.
 * Parsed names and values live in the caller's arena; values are counted
 * (they may hold NUL bytes, which validation rejects later). */
#ifndef NCP_FORM_H
#define NCP_FORM_H
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

enum { NCP_SRC_QUERY = 0, NCP_SRC_BODY = 1 };

typedef struct ncp_kv {
    const char *name, *val;
    size_t name_len, val_len;
    uint8_t src;
} ncp_kv_t;

typedef struct ncp_kvs {
    ncp_kv_t *v;
    size_t n, cap;
} ncp_kvs_t;

/* Appends the pairs of s[0..len) to kvs. Empty pairs ("&&") are skipped;
 * a pair without '=' has an empty value. Errors (gateway 400/100): invalid
 * %-escape, names or values that are not UTF-8 once decoded. */
int ncp_form_parse(ncp_arena_t *a, const char *s, size_t len, uint8_t src, ncp_kvs_t *kvs,
                   ncp_err_t *err);
/* Appends one pair (strings borrowed). */
void ncp_form_push(ncp_arena_t *a, ncp_kvs_t *kvs, ncp_kv_t kv);
/* Decodes '+' and %XX into out (capacity >= len); -1 on a bad escape. */
long ncp_form_decode(const char *s, size_t len, char *out);
/* Percent-encodes everything but RFC 3986 unreserved characters. */
int ncp_form_encode(ncp_buf_t *b, const char *s, size_t len);
/* Appends "name=value" (with '&' when b is not empty). */
int ncp_form_add(ncp_buf_t *b, const char *name, const char *value);

#endif

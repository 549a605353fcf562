/* auth.c: see auth.h. */
#include "proto/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/form.h"
#include "util/crypto.h"

void ncp_auth_sign(const char *secret, const char *method, const char *uri, const char *timestamp,
                   const char *access_key, char out[45])
{
    char small[1024];
    size_t ml = strlen(method), ul = strlen(uri), tl = strlen(timestamp),
           al = strlen(access_key);
    size_t n = ml + 1 + ul + 1 + tl + 1 + al;
    char *m = n < sizeof(small) ? small : malloc(n + 1);
    if (!m)
        abort();
    char *p = m;
    memcpy(p, method, ml);
    p += ml;
    *p++ = ' ';
    memcpy(p, uri, ul);
    p += ul;
    *p++ = '\n';
    memcpy(p, timestamp, tl);
    p += tl;
    *p++ = '\n';
    memcpy(p, access_key, al);
    ncp_hmac_sha256_b64(secret, strlen(secret), m, n, out);
    if (m != small)
        free(m);
}

int ncp_auth_check_timestamp(const char *ts, int64_t now_ms, int64_t skew_ms, ncp_err_t *err)
{
    size_t n = strlen(ts);
    if (n == 0 || n > 15 || strspn(ts, "0123456789") != n) {
        ncp_err_set_gw(err, NCP_E_GW_AUTH, "Invalid timestamp.");
        return -1;
    }
    int64_t t = strtoll(ts, NULL, 10);
    int64_t d = now_ms - t;
    if (d > skew_ms || d < -skew_ms) {
        ncp_err_set_gw(err, NCP_E_GW_AUTH, "Timestamp is expired.");
        return -1;
    }
    return 0;
}

static bool check(const char *secret, const char *method, const char *uri, const char *ts,
                  const char *ak, const char *sig)
{
    char want[45];
    ncp_auth_sign(secret, method, uri, ts, ak, want);
    return ncp_ct_streq(want, sig);
}

/* Decodes %XX only ('+' stays '+', as a client that signs the values it
 * was given sees them). -1 on a bad escape or a NUL byte. */
static long pct_decode(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '%') {
            out[o++] = s[i];
            continue;
        }
        int hi = i + 1 < len ? ncp_hex_digit(s[i + 1]) : -1, lo = i + 2 < len ? ncp_hex_digit(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi | lo) == 0)
            return -1;
        out[o++] = (char)(hi << 4 | lo);
        i += 2;
    }
    out[o] = '\0';
    return (long)o;
}

/* Next non-empty '&'-separated segment of s[*pos..len): start and length. */
static bool next_segment(const char *s, size_t len, size_t *pos, size_t *start, size_t *n)
{
    while (*pos < len) {
        size_t b = *pos, e = b;
        while (e < len && s[e] != '&')
            e++;
        *pos = e + 1;
        if (e > b) {
            *start = b;
            *n = e - b;
            return true;
        }
    }
    return false;
}

/* True when `alt` (the decoded query) read literally, split on '&' and on
 * the first '=' of each pair, names exactly the parameters that decoding
 * the raw query pair by pair gives, in the same order. Otherwise an escaped
 * '&', '=' or '+' would let one signature stand for another parameter list
 * (a value folded into an earlier one, say). */
static bool same_params(const char *raw, size_t raw_len, const char *alt, size_t alt_len)
{
    bool same = false;
    char *buf = malloc(raw_len + 1);
    if (!buf)
        return false;
    size_t rp = 0, ap = 0, rs, rn, as, an;
    for (;;) {
        bool more_r = next_segment(raw, raw_len, &rp, &rs, &rn);
        bool more_a = next_segment(alt, alt_len, &ap, &as, &an);
        if (!more_r || !more_a) {
            same = !more_r && !more_a;
            break;
        }
        const char *r = raw + rs, *a = alt + as;
        const char *req = memchr(r, '=', rn), *aeq = memchr(a, '=', an);
        size_t rnl = req ? (size_t)(req - r) : rn, anl = aeq ? (size_t)(aeq - a) : an;
        long l = ncp_form_decode(r, rnl, buf);
        if (l < 0 || (size_t)l != anl || memcmp(buf, a, anl) != 0)
            break;
        size_t rvl = req ? rn - rnl - 1 : 0, avl = aeq ? an - anl - 1 : 0;
        l = ncp_form_decode(req ? req + 1 : r, rvl, buf);
        if (l < 0 || (size_t)l != avl || memcmp(buf, aeq ? aeq + 1 : a, avl) != 0)
            break;
    }
    free(buf);
    return same;
}

/* Tries the query forms accepted with one path (see auth.h). */
static bool check_path(const char *secret, const char *method, const char *path, size_t pl,
                       const char *q, const char *ts, const char *ak, const char *sig)
{
    size_t ql = q ? strlen(q) : 0;
    char *uri = malloc(pl + 2 * ql + 3);
    if (!uri)
        return false;
    bool ok = false;
    memcpy(uri, path, pl);
    /* as received */
    if (q) {
        uri[pl] = '?';
        memcpy(uri + pl + 1, q, ql + 1);
    } else {
        uri[pl] = '\0';
    }
    ok = check(secret, method, uri, ts, ak, sig);
    /* a bare '?' added when there is no query, or dropped when the query is empty */
    if (!ok && ql == 0) {
        uri[pl] = q ? '\0' : '?';
        uri[pl + 1] = '\0';
        ok = check(secret, method, uri, ts, ak, sig);
    }
    /* the query percent-decoded, when it names the same parameters */
    if (!ok && ql && strchr(q, '%')) {
        uri[pl] = '?';
        long dl = pct_decode(q, ql, uri + pl + 1);
        if (dl >= 0 && same_params(q, ql, uri + pl + 1, (size_t)dl))
            ok = check(secret, method, uri, ts, ak, sig);
    }
    free(uri);
    return ok;
}

bool ncp_auth_verify(const char *secret, const char *method, const char *raw_uri,
                     const char *timestamp, const char *access_key, const char *signature)
{
    const char *q = strchr(raw_uri, '?');
    size_t pl = q ? (size_t)(q - raw_uri) : strlen(raw_uri);
    if (q)
        q++;
    if (check_path(secret, method, raw_uri, pl, q, timestamp, access_key, signature))
        return true;
    /* the path with repeated slashes collapsed (DECISIONS D9/D10: a client
     * whose base URL ends with '/' requests //server/v2/x but signs /server/v2/x) */
    bool doubled = false;
    for (size_t i = 1; i < pl && !doubled; i++)
        doubled = raw_uri[i] == '/' && raw_uri[i - 1] == '/';
    if (!doubled)
        return false;
    char *path = malloc(pl + 1);
    if (!path)
        return false;
    size_t o = 0;
    for (size_t i = 0; i < pl; i++)
        if (!(raw_uri[i] == '/' && o && path[o - 1] == '/'))
            path[o++] = raw_uri[i];
    bool ok = check_path(secret, method, path, o, q, timestamp, access_key, signature);
    free(path);
    return ok;
}

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

bool ncp_auth_verify(const char *secret, const char *method, const char *raw_uri,
                     const char *timestamp, const char *access_key, const char *signature)
{
    if (check(secret, method, raw_uri, timestamp, access_key, signature))
        return true;
    size_t n = strlen(raw_uri);
    const char *q = strchr(raw_uri, '?');
    bool ok = false;
    char *alt = malloc(n + 2);
    if (!alt)
        return false;
    if (!q) {
        memcpy(alt, raw_uri, n);
        alt[n] = '?';
        alt[n + 1] = '\0';
        ok = check(secret, method, alt, timestamp, access_key, signature);
    } else if (q[1] == '\0') {
        memcpy(alt, raw_uri, n - 1);
        alt[n - 1] = '\0';
        ok = check(secret, method, alt, timestamp, access_key, signature);
    } else if (strchr(q, '%')) {
        size_t pl = (size_t)(q - raw_uri) + 1;
        memcpy(alt, raw_uri, pl);
        long dl = ncp_form_decode(q + 1, strlen(q + 1), alt + pl);
        /* '+' was decoded to ' ' too; clients that sign decoded text keep '+' */
        if (dl >= 0 && memchr(alt + pl, '\0', (size_t)dl) == NULL)
            ok = check(secret, method, alt, timestamp, access_key, signature);
    }
    free(alt);
    return ok;
}

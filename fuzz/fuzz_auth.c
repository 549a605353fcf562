/* fuzz_auth.c: libFuzzer target for request signatures (proto/auth.h).
 *
 * Input: "METHOD\nURI\nTIMESTAMP\nACCESSKEY\nSIGNATURE\nSECRET" (missing
 * fields are empty; a NUL ends a field early, as C strings would).
 * Properties checked:
 *   - ncp_auth_verify and ncp_auth_check_timestamp never crash;
 *   - check_timestamp accepts exactly 1..15 decimal digits within the skew
 *     (independent reference);
 *   - a signature made by ncp_auth_sign verifies, for the raw URI and for
 *     each documented alternative form (bare '?' added / removed; query
 *     %-decoded, only when that names the same parameters, and then it must
 *     verify); a different secret, method or access key, or one changed
 *     character of the signature, does not verify. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/auth.h"
#include "proto/form.h"
#include "util/err.h"

#define FAIL(...)                                                                            \
    do {                                                                                     \
        fprintf(stderr, "fuzz_auth: invariant failed: " __VA_ARGS__);                        \
        fputc('\n', stderr);                                                                 \
        abort();                                                                             \
    } while (0)

#define NOW_MS 1700000000000LL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reference decoder: %XX only ('+' stays), -1 on a bad escape or a NUL. */
static long ref_pct_decode(const char *s, char *out)
{
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] != '%') {
            out[o++] = s[i];
            continue;
        }
        unsigned v;
        char h[3] = {s[i + 1], s[i + 1] ? s[i + 2] : 0, 0};
        if (!isxdigit((unsigned char)h[0]) || !isxdigit((unsigned char)h[1]) ||
            sscanf(h, "%2x", &v) != 1 || v == 0)
            return -1;
        out[o++] = (char)v;
        i += 2;
    }
    out[o] = '\0';
    return (long)o;
}

/* Reference: the pairs of raw (each name and value form-decoded) equal the
 * pairs of alt read literally (split on '&', then on the first '='). */
static bool ref_same_params(const char *raw, const char *alt)
{
    char *r = strdup(raw), *a = strdup(alt);
    char *rs = NULL, *as = NULL;
    bool same = true;
    char *rp = strtok_r(r, "&", &rs), *ap = strtok_r(a, "&", &as);
    for (; rp || ap; rp = strtok_r(NULL, "&", &rs), ap = strtok_r(NULL, "&", &as)) {
        if (!rp || !ap) {
            same = false;
            break;
        }
        char *re = strchr(rp, '='), *ae = strchr(ap, '=');
        size_t rnl = re ? (size_t)(re - rp) : strlen(rp), anl = ae ? (size_t)(ae - ap) : strlen(ap);
        char *buf = malloc(strlen(rp) + 1);
        long n = ncp_form_decode(rp, rnl, buf);
        bool eq = n >= 0 && (size_t)n == anl && memcmp(buf, ap, anl) == 0;
        const char *rv = re ? re + 1 : "", *av = ae ? ae + 1 : "";
        n = eq ? ncp_form_decode(rv, strlen(rv), buf) : -1;
        eq = eq && n >= 0 && (size_t)n == strlen(av) && memcmp(buf, av, (size_t)n) == 0;
        free(buf);
        if (!eq) {
            same = false;
            break;
        }
    }
    free(r);
    free(a);
    return same;
}

/* Splits the input on '\n' into n C strings (malloc'd, NUL-truncated). */
static void split(const uint8_t *data, size_t size, char **f, int n)
{
    size_t i = 0;
    for (int k = 0; k < n; k++) {
        size_t end = i;
        while (end < size && (k == n - 1 || data[end] != '\n'))
            end++;
        size_t len = end > i ? end - i : 0;
        f[k] = malloc(len + 1);
        if (!f[k])
            abort();
        if (len)
            memcpy(f[k], data + i, len);
        f[k][len] = '\0';
        i = end < size ? end + 1 : size;
    }
}

static bool ref_timestamp_ok(const char *ts, int64_t now, int64_t skew)
{
    size_t n = strlen(ts);
    if (n == 0 || n > 15)
        return false;
    int64_t t = 0;
    for (size_t i = 0; i < n; i++) {
        if (ts[i] < '0' || ts[i] > '9')
            return false;
        t = t * 10 + (ts[i] - '0');
    }
    return now - t <= skew && t - now <= skew;
}

static void check_timestamp(const char *ts, int64_t now)
{
    ncp_err_t err;
    ncp_err_init(&err);
    int r = ncp_auth_check_timestamp(ts, now, NCP_AUTH_SKEW_MS, &err);
    bool want = ref_timestamp_ok(ts, now, NCP_AUTH_SKEW_MS);
    if ((r == 0) != want)
        FAIL("check_timestamp(\"%s\", %lld) = %d, expected %s", ts, (long long)now, r,
             want ? "accept" : "refuse");
    if (r < 0 && (!err.is_set || ncp_err_http(err.code) != 401))
        FAIL("check_timestamp refused without a 401 error");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { METHOD, URI, TS, AK, SIG, SECRET, NF };
    char *f[NF];
    split(data, size, f, NF);
    const char *method = f[METHOD], *uri = f[URI], *ts = f[TS], *ak = f[AK], *secret = f[SECRET];

    /* whatever the input: no crash */
    (void)ncp_auth_verify(secret, method, uri, ts, ak, f[SIG]);
    check_timestamp(ts, NOW_MS);
    /* a timestamp of the input itself as "now" (when it is one) */
    if (strlen(ts) && strlen(ts) <= 15 && strspn(ts, "0123456789") == strlen(ts)) {
        int64_t now = strtoll(ts, NULL, 10);
        check_timestamp(ts, now);
        check_timestamp(ts, now + NCP_AUTH_SKEW_MS);
        check_timestamp(ts, now + NCP_AUTH_SKEW_MS + 1);
        check_timestamp(ts, now - NCP_AUTH_SKEW_MS - 1);
    }

    /* a correct signature verifies */
    char sig[45];
    ncp_auth_sign(secret, method, uri, ts, ak, sig);
    if (strlen(sig) != 44)
        FAIL("signature has %zu characters", strlen(sig));
    if (!ncp_auth_verify(secret, method, uri, ts, ak, sig))
        FAIL("own signature does not verify (method \"%s\" uri \"%s\")", method, uri);

    /* ... and nothing else does */
    char bad[45];
    memcpy(bad, sig, sizeof(bad));
    size_t pos = size % 43; /* the last char is padding '=' */
    bad[pos] = bad[pos] == 'A' ? 'B' : 'A';
    if (ncp_auth_verify(secret, method, uri, ts, ak, bad))
        FAIL("a signature with character %zu changed verifies", pos);
    if (ncp_auth_verify(secret, method, uri, ts, ak, ""))
        FAIL("an empty signature verifies");
    size_t sl = strlen(secret);
    char *other = malloc(sl + 2);
    if (!other)
        abort();
    memcpy(other, secret, sl);
    other[sl] = 'x';
    other[sl + 1] = '\0';
    if (ncp_auth_verify(other, method, uri, ts, ak, sig))
        FAIL("the signature verifies under another secret");
    if (strcmp(method, "GET") != 0 && ncp_auth_verify(secret, "GET", uri, ts, ak, sig))
        FAIL("a %s signature verifies for GET", method);
    char *ak2 = malloc(strlen(ak) + 2);
    if (!ak2)
        abort();
    snprintf(ak2, strlen(ak) + 2, "%sZ", ak);
    if (ncp_auth_verify(secret, method, uri, ts, ak2, sig))
        FAIL("the signature verifies for another access key");
    free(ak2);
    free(other);

    /* the documented alternative URI forms */
    size_t ul = strlen(uri);
    char *alt = malloc(ul + 2);
    if (!alt)
        abort();
    const char *q = strchr(uri, '?');
    if (!q) {
        snprintf(alt, ul + 2, "%s?", uri);
        ncp_auth_sign(secret, method, alt, ts, ak, sig);
        if (!ncp_auth_verify(secret, method, uri, ts, ak, sig))
            FAIL("signature over \"%s\" does not verify for \"%s\"", alt, uri);
    } else if (q[1] == '\0') {
        memcpy(alt, uri, ul - 1);
        alt[ul - 1] = '\0';
        ncp_auth_sign(secret, method, alt, ts, ak, sig);
        if (!ncp_auth_verify(secret, method, uri, ts, ak, sig))
            FAIL("signature over \"%s\" does not verify for \"%s\"", alt, uri);
    } else if (strchr(q, '%')) {
        /* the query with %XX decoded ('+' kept) is accepted exactly when it names
         * the same parameters as the raw query (reference: ref_same_params) */
        size_t pl = (size_t)(q - uri) + 1;
        memcpy(alt, uri, pl);
        long dl = ref_pct_decode(q + 1, alt + pl);
        if (dl >= 0 && strcmp(alt, uri) != 0) {
            ncp_auth_sign(secret, method, alt, ts, ak, sig);
            bool same = ref_same_params(q + 1, alt + pl);
            bool ok = ncp_auth_verify(secret, method, uri, ts, ak, sig);
            if (same && !ok)
                FAIL("signature over the decoded \"%s\" does not verify for \"%s\"", alt, uri);
            if (!same && ok)
                FAIL("signature over the decoded \"%s\" verifies for \"%s\", whose parameters "
                     "differ", alt, uri);
        }
    }
    free(alt);
    for (int k = 0; k < NF; k++)
        free(f[k]);
    return 0;
}

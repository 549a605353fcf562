/* fuzz_auth.c: libFuzzer target for request signatures (proto/auth.h).
 *
 * Input: "METHOD\nURI\nTIMESTAMP\nACCESSKEY\nSIGNATURE\nSECRET" (missing
 * fields are empty; a NUL ends a field early, as C strings would).
 * Properties checked:
 *   - ncp_auth_verify and ncp_auth_check_timestamp never crash;
 *   - check_timestamp accepts exactly 1..15 decimal digits within the skew
 *     (independent reference);
 *   - a signature made by ncp_auth_sign verifies, for the raw URI and for
 *     each documented alternative form (bare '?' added / removed, query
 *     percent-decoded); a different secret, method or access key, or one
 *     changed character of the signature, does not verify. */
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
        size_t pl = (size_t)(q - uri) + 1;
        memcpy(alt, uri, pl);
        long dl = ncp_form_decode(q + 1, strlen(q + 1), alt + pl);
        if (dl >= 0 && !memchr(alt + pl, '\0', (size_t)dl)) {
            ncp_auth_sign(secret, method, alt, ts, ak, sig);
            if (!ncp_auth_verify(secret, method, uri, ts, ak, sig))
                FAIL("signature over the decoded \"%s\" does not verify for \"%s\"", alt, uri);
        }
    }
    free(alt);
    for (int k = 0; k < NF; k++)
        free(f[k]);
    return 0;
}

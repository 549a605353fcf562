/* auth.h: NCP API-Gateway request signatures (protocol.md §8).
 *
 * signature = Base64(HMAC-SHA256(secret, "METHOD URI\nTIMESTAMP\nACCESSKEY"))
 * where URI is the path plus "?query" when the request has a query. The
 * same code signs (ncpctl) and verifies (ncpd). */
#ifndef NCP_AUTH_H
#define NCP_AUTH_H
#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

#define NCP_AUTH_SKEW_MS 300000

/* out: 45 bytes (44 chars + NUL). */
void ncp_auth_sign(const char *secret, const char *method, const char *uri, const char *timestamp,
                   const char *access_key, char out[45]);

/* Checks that `timestamp` is decimal milliseconds within skew_ms of now.
 * Gateway 401/200 on failure. */
int ncp_auth_check_timestamp(const char *timestamp, int64_t now_ms, int64_t skew_ms,
                             ncp_err_t *err);

/* True when `signature` matches the request under one of the accepted URI
 * forms (docs/compat.md): the raw request-target as received; without a
 * bare trailing '?'; with a bare '?' added when there is no query; the query
 * %-decoded ('+' kept) when that text names exactly the same parameters as
 * the raw query; each of these also with repeated slashes of the path
 * collapsed (DECISIONS D10). One signature never authorises two different
 * parameter lists. */
bool ncp_auth_verify(const char *secret, const char *method, const char *raw_uri,
                     const char *timestamp, const char *access_key, const char *signature);

#endif

/* console.h: the web console under /console/: its static files (compiled
 * into the binary from src/console/), sign-in and sign-out, and the API
 * bridge that lets a signed-in page call the Server API.
 *
 *   GET  /console/                      index.html; other files by name
 *   POST /console/api/session           sign in: form accessKey, secretKey
 *   GET  /console/api/session           who is signed in (+ the CSRF token)
 *   DELETE /console/api/session         sign out (ends the session server-side)
 *   POST /console/api/server/v2/ACTION  an API call, through ncp_dispatch()
 *
 * Everything under /console/api/ but sign-in needs the session cookie;
 * everything that is not a GET also needs the session's CSRF token in the
 * X-CSRF-Token header; and every API request whose Origin or
 * Sec-Fetch-Site says it comes from another site is refused (403) before
 * anything else. An API call is then handed to ncp_dispatch() with the
 * session's account as its pre-authenticated account: same action table,
 * validation, per-account isolation, transactions and logging as a signed
 * request. The page never sends the secret key again after sign-in. */
#ifndef NCPD_CONSOLE_H
#define NCPD_CONSOLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "act/act.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#define NCPD_CONSOLE_COOKIE "ncpd_console"
#define NCPD_CONSOLE_CSRF_HEADER "X-CSRF-Token"

typedef struct ncpd_console ncpd_console_t;

typedef struct ncpd_console_conf {
    int64_t idle_ms;      /* a session ends after this long unused */
    int64_t max_age_ms;   /* and this long after sign-in in any case */
    size_t max_sessions;
    /* The listener serves TLS: cookies get the Secure attribute and the
     * expected Origin is https://HOST. Set by the composition root. */
    bool tls;
    int64_t (*now_ms)(void); /* NULL: monotonic clock (tests inject one) */
} ncpd_console_conf_t;

/* What the HTTP layer hands over (strings borrowed; NULL = header absent). */
typedef struct ncpd_http_in {
    const char *method;
    const char *uri;            /* request-target as received */
    const char *body;
    size_t body_len;
    bool body_is_form;
    const char *h_host, *h_origin, *h_sec_fetch_site, *h_cookie, *h_csrf, *h_if_none_match;
} ncpd_http_in_t;

#define NCPD_HTTP_MAX_HEADERS 12

/* The answer. `body` is initialised by the caller; when `static_body` is
 * set it is sent instead (not copied: it lives as long as the process).
 * Header names and values are static or in the request's arena. */
typedef struct ncpd_http_out {
    int status;
    const char *content_type;
    ncp_buf_t body;
    const void *static_body;
    size_t static_len;
    void *deferred;   /* an API call to finish later (ncp_response_t.deferred) */
    bool sensitive;   /* the body holds a secret: wipe it once sent */
    size_t n_headers;
    const char *h_name[NCPD_HTTP_MAX_HEADERS];
    const char *h_value[NCPD_HTTP_MAX_HEADERS];
} ncpd_http_out_t;

ncpd_console_t *ncpd_console_new(const ncp_app_t *app, const ncpd_console_conf_t *conf,
                                 ncp_err_t *err);
void ncpd_console_free(ncpd_console_t *c); /* NULL-safe */

/* True for "/console" and everything below it. */
bool ncpd_console_owns(const char *uri);
/* Answers one request under /console with the thread's store connection. */
void ncpd_console_handle(ncpd_console_t *c, ncp_store_t *st, ncp_arena_t *a,
                         const ncpd_http_in_t *in, ncpd_http_out_t *out);

/* The Set-Cookie value for session `id`; id NULL clears the cookie. */
void ncpd_console_cookie(char *out, size_t cap, const char *id, bool tls);

#endif

/* session.h: web console sessions behind a narrow interface.
 *
 * The interface is three calls, so that sessions can later move from this
 * process's memory into the store (several ncpd nodes behind one name)
 * without touching the HTTP layer:
 *
 *   create(account, access key) -> session id + CSRF token
 *   lookup(id)                  -> account, access key; touches the idle time
 *   destroy(id)
 *
 * A backend (ncpd_session_ops_t) keeps only id -> (account, access key,
 * times). It never sees a raw id: it is given SHA-256(id), so a dump of its
 * table (or, later, of a database) holds nothing a browser would accept.
 * The CSRF token is not stored at all: it is HMAC-SHA256(csrf key, id),
 * computed again on every check, so every backend gets per-session tokens
 * for free; the csrf key is derived from the master key, which all nodes
 * sharing a database already share.
 *
 * Expiry: a session ends after `idle_ms` without a lookup, and in any case
 * `max_age_ms` after its creation. Times come from `now_ms` (monotonic by
 * default; tests inject a clock). Thread-safe. */
#ifndef NCPD_SESSION_H
#define NCPD_SESSION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/crypto.h"

#define NCPD_SESSION_ID_LEN 43   /* base64url of 32 random bytes */
#define NCPD_SESSION_CSRF_LEN 43 /* base64url of an HMAC-SHA256 */
#define NCPD_SESSION_AK_MAX 64   /* access keys are 1..63 characters */

typedef struct ncpd_sessions ncpd_sessions_t;

typedef struct ncpd_session_conf {
    int64_t idle_ms;      /* > 0 */
    int64_t max_age_ms;   /* > 0 */
    size_t max_sessions;  /* full: expired ones go first, then the least recently used */
    int64_t (*now_ms)(void); /* NULL: monotonic clock */
} ncpd_session_conf_t;

/* One backend: it stores records keyed by the 32-byte SHA-256 of the id. */
typedef struct ncpd_session_ops {
    const char *name;
    void *(*open)(const ncpd_session_conf_t *conf);
    void (*close)(void *b);
    /* 0, or -1 when it cannot store the record */
    int (*put)(void *b, const uint8_t hid[32], int64_t account, const char *access_key,
               int64_t now_ms);
    /* 1 found and live (last use := now), 0 unknown or expired (then removed) */
    int (*get)(void *b, const uint8_t hid[32], int64_t now_ms, int64_t *account_out,
               char access_key_out[NCPD_SESSION_AK_MAX]);
    void (*del)(void *b, const uint8_t hid[32]);
    size_t (*count)(void *b); /* live or not yet swept; for tests */
} ncpd_session_ops_t;

extern const ncpd_session_ops_t ncpd_session_memory_ops;

/* `master_key` seeds the CSRF key. Returns NULL on a bad configuration. */
ncpd_sessions_t *ncpd_sessions_new(const ncpd_session_ops_t *ops, const ncpd_session_conf_t *conf,
                                   const uint8_t master_key[NCP_MASTER_KEY_LEN]);
void ncpd_sessions_free(ncpd_sessions_t *s); /* NULL-safe */

/* A new session; id and token are NUL-terminated base64url. 0 or -1. */
int ncpd_session_create(ncpd_sessions_t *s, int64_t account, const char *access_key,
                        char id_out[NCPD_SESSION_ID_LEN + 1],
                        char csrf_out[NCPD_SESSION_CSRF_LEN + 1]);
/* 1 live (idle time restarted), 0 unknown, malformed or expired. */
int ncpd_session_lookup(ncpd_sessions_t *s, const char *id, int64_t *account_out,
                        char access_key_out[NCPD_SESSION_AK_MAX]);
void ncpd_session_destroy(ncpd_sessions_t *s, const char *id);

/* The CSRF token of session `id` (whether or not it is live). */
void ncpd_session_csrf(const ncpd_sessions_t *s, const char *id,
                       char out[NCPD_SESSION_CSRF_LEN + 1]);
/* Constant-time check of a token sent by a client against `id`'s. */
bool ncpd_session_csrf_ok(const ncpd_sessions_t *s, const char *id, const char *token);
size_t ncpd_session_count(const ncpd_sessions_t *s);

#endif

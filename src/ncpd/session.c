/* session.c: see session.h. The generic part (ids, CSRF tokens, hashing)
 * and the in-memory backend.
 *
 * Memory backend: a chained hash table of records keyed by SHA-256(id)
 * (the first bytes of a SHA-256 are already uniform: they are the bucket
 * index), under one mutex. Lookups are O(1); only a full table is scanned
 * (to sweep expired records, then to evict the least recently used). */
#include "ncpd/session.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/rand.h"

/* ---- base64url ----------------------------------------------------------- */

/* 32 bytes -> 43 characters of base64url without padding, NUL-terminated. */
static void b64url32(const uint8_t in[32], char out[44])
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;
    for (size_t i = 0; i < 32; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < 32)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < 32)
            v |= in[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        if (i + 1 < 32)
            out[o++] = tab[(v >> 6) & 63];
        if (i + 2 < 32)
            out[o++] = tab[v & 63];
    }
    out[o] = '\0';
}

static bool is_id(const char *id)
{
    if (!id || strlen(id) != NCPD_SESSION_ID_LEN)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

/* ---- the generic part ------------------------------------------------------ */

struct ncpd_sessions {
    const ncpd_session_ops_t *ops;
    void *b;
    uint8_t csrf_key[32];
    int64_t (*now_ms)(void);
};

ncpd_sessions_t *ncpd_sessions_new(const ncpd_session_ops_t *ops, const ncpd_session_conf_t *conf,
                                   const uint8_t master_key[NCP_MASTER_KEY_LEN])
{
    if (!ops || !conf || conf->idle_ms <= 0 || conf->max_age_ms <= 0 || conf->max_sessions < 1)
        return NULL;
    ncpd_sessions_t *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    s->ops = ops;
    s->now_ms = conf->now_ms ? conf->now_ms : ncp_clock_mono_ms;
    /* a key of its own, so that a token reveals nothing usable elsewhere */
    uint8_t material[NCP_MASTER_KEY_LEN + 32];
    memcpy(material, "ncpd console csrf key v1........", 32);
    memcpy(material + 32, master_key, NCP_MASTER_KEY_LEN);
    ncp_sha256(material, sizeof(material), s->csrf_key);
    memset(material, 0, sizeof(material));
    s->b = ops->open(conf);
    if (!s->b) {
        free(s);
        return NULL;
    }
    return s;
}

void ncpd_sessions_free(ncpd_sessions_t *s)
{
    if (!s)
        return;
    s->ops->close(s->b);
    memset(s->csrf_key, 0, sizeof(s->csrf_key));
    free(s);
}

int ncpd_session_create(ncpd_sessions_t *s, int64_t account, const char *access_key,
                        char id_out[NCPD_SESSION_ID_LEN + 1],
                        char csrf_out[NCPD_SESSION_CSRF_LEN + 1])
{
    if (account <= 0 || !access_key || !*access_key ||
        strlen(access_key) >= NCPD_SESSION_AK_MAX)
        return -1;
    uint8_t raw[32], hid[32];
    ncp_rand_bytes(raw, sizeof(raw));
    b64url32(raw, id_out);
    memset(raw, 0, sizeof(raw));
    ncp_sha256(id_out, NCPD_SESSION_ID_LEN, hid);
    if (s->ops->put(s->b, hid, account, access_key, s->now_ms()) < 0)
        return -1;
    ncpd_session_csrf(s, id_out, csrf_out);
    return 0;
}

int ncpd_session_lookup(ncpd_sessions_t *s, const char *id, int64_t *account_out,
                        char access_key_out[NCPD_SESSION_AK_MAX])
{
    if (!is_id(id))
        return 0;
    uint8_t hid[32];
    ncp_sha256(id, NCPD_SESSION_ID_LEN, hid);
    return s->ops->get(s->b, hid, s->now_ms(), account_out, access_key_out);
}

void ncpd_session_destroy(ncpd_sessions_t *s, const char *id)
{
    if (!is_id(id))
        return;
    uint8_t hid[32];
    ncp_sha256(id, NCPD_SESSION_ID_LEN, hid);
    s->ops->del(s->b, hid);
}

void ncpd_session_csrf(const ncpd_sessions_t *s, const char *id,
                       char out[NCPD_SESSION_CSRF_LEN + 1])
{
    char b64[45];
    ncp_hmac_sha256_b64(s->csrf_key, sizeof(s->csrf_key), id, strlen(id), b64);
    /* standard base64 of 32 bytes is 43 characters and one '=': make it url-safe */
    for (size_t i = 0; i < NCPD_SESSION_CSRF_LEN; i++)
        out[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
    out[NCPD_SESSION_CSRF_LEN] = '\0';
}

bool ncpd_session_csrf_ok(const ncpd_sessions_t *s, const char *id, const char *token)
{
    if (!is_id(id) || !token)
        return false;
    char want[NCPD_SESSION_CSRF_LEN + 1];
    ncpd_session_csrf(s, id, want);
    return ncp_ct_streq(want, token);
}

size_t ncpd_session_count(const ncpd_sessions_t *s)
{
    return s->ops->count(s->b);
}

/* ---- the memory backend ------------------------------------------------------ */

#define MEM_BUCKETS 1024u

typedef struct mem_rec {
    struct mem_rec *next;
    uint8_t hid[32];
    int64_t account;
    char access_key[NCPD_SESSION_AK_MAX];
    int64_t created_ms, last_ms;
} mem_rec_t;

typedef struct mem {
    pthread_mutex_t mu;
    mem_rec_t *buckets[MEM_BUCKETS];
    size_t n;
    ncpd_session_conf_t conf;
} mem_t;

static unsigned bucket_of(const uint8_t hid[32])
{
    return ((unsigned)hid[0] << 8 | hid[1]) % MEM_BUCKETS;
}

static bool mem_expired(const mem_t *m, const mem_rec_t *r, int64_t now)
{
    return now - r->last_ms >= m->conf.idle_ms || now - r->created_ms >= m->conf.max_age_ms;
}

static void *mem_open(const ncpd_session_conf_t *conf)
{
    mem_t *m = calloc(1, sizeof(*m));
    if (!m)
        abort();
    pthread_mutex_init(&m->mu, NULL);
    m->conf = *conf;
    return m;
}

static void mem_close(void *b)
{
    mem_t *m = b;
    if (!m)
        return;
    for (unsigned i = 0; i < MEM_BUCKETS; i++)
        for (mem_rec_t *r = m->buckets[i], *next; r; r = next) {
            next = r->next;
            memset(r, 0, sizeof(*r));
            free(r);
        }
    pthread_mutex_destroy(&m->mu);
    free(m);
}

/* Removes expired records; when none was, the least recently used one.
 * Called with the mutex held on a full table. */
static void mem_make_room(mem_t *m, int64_t now)
{
    size_t before = m->n;
    mem_rec_t **lru = NULL;
    for (unsigned i = 0; i < MEM_BUCKETS; i++)
        for (mem_rec_t **pp = &m->buckets[i]; *pp;) {
            mem_rec_t *r = *pp;
            if (mem_expired(m, r, now)) {
                *pp = r->next;
                free(r);
                m->n--;
                continue;
            }
            if (!lru || r->last_ms < (*lru)->last_ms)
                lru = pp;
            pp = &r->next;
        }
    if (m->n == before && lru) {
        mem_rec_t *r = *lru;
        *lru = r->next;
        free(r);
        m->n--;
    }
}

static int mem_put(void *b, const uint8_t hid[32], int64_t account, const char *access_key,
                   int64_t now)
{
    mem_t *m = b;
    mem_rec_t *r = calloc(1, sizeof(*r));
    if (!r)
        abort();
    memcpy(r->hid, hid, 32);
    r->account = account;
    snprintf(r->access_key, sizeof(r->access_key), "%s", access_key);
    r->created_ms = r->last_ms = now;
    unsigned k = bucket_of(hid);
    pthread_mutex_lock(&m->mu);
    if (m->n >= m->conf.max_sessions)
        mem_make_room(m, now);
    r->next = m->buckets[k];
    m->buckets[k] = r;
    m->n++;
    pthread_mutex_unlock(&m->mu);
    return 0;
}

static int mem_get(void *b, const uint8_t hid[32], int64_t now, int64_t *account_out,
                   char access_key_out[NCPD_SESSION_AK_MAX])
{
    mem_t *m = b;
    int found = 0;
    pthread_mutex_lock(&m->mu);
    for (mem_rec_t **pp = &m->buckets[bucket_of(hid)]; *pp; pp = &(*pp)->next) {
        mem_rec_t *r = *pp;
        if (memcmp(r->hid, hid, 32) != 0)
            continue;
        if (mem_expired(m, r, now)) {
            *pp = r->next;
            free(r);
            m->n--;
            break;
        }
        r->last_ms = now;
        *account_out = r->account;
        memcpy(access_key_out, r->access_key, NCPD_SESSION_AK_MAX);
        found = 1;
        break;
    }
    pthread_mutex_unlock(&m->mu);
    return found;
}

static void mem_del(void *b, const uint8_t hid[32])
{
    mem_t *m = b;
    pthread_mutex_lock(&m->mu);
    for (mem_rec_t **pp = &m->buckets[bucket_of(hid)]; *pp; pp = &(*pp)->next)
        if (memcmp((*pp)->hid, hid, 32) == 0) {
            mem_rec_t *r = *pp;
            *pp = r->next;
            free(r);
            m->n--;
            break;
        }
    pthread_mutex_unlock(&m->mu);
}

static size_t mem_count(void *b)
{
    mem_t *m = b;
    pthread_mutex_lock(&m->mu);
    size_t n = m->n;
    pthread_mutex_unlock(&m->mu);
    return n;
}

const ncpd_session_ops_t ncpd_session_memory_ops = {
    .name = "memory",
    .open = mem_open,
    .close = mem_close,
    .put = mem_put,
    .get = mem_get,
    .del = mem_del,
    .count = mem_count,
};

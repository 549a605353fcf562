/* respcache.c: whole answers of polled read actions, per thread, each tagged with
 * the store's change token (store.h) of the state it was computed from. Polling
 * clients repeat the same request (same path, query, body and access key; only the
 * timestamp and signature move), and between two commits to the database the answer
 * of such a request can only differ by its requestId. A hit still checks the
 * timestamp and the signature, with the secret the slow path unsealed, and the
 * token is compared on every request, so the first commit anywhere (this process,
 * the command line, another process) retires every entry; where the store has no
 * token (PostgreSQL: other nodes commit where no shared memory reaches) nothing is
 * cached at all.
 *
 * Per thread: no lock, no sharing; bounded (ENTRIES answers of at most MAX_BODY
 * bytes per HTTP thread), freed when the thread ends. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_int.h"

#define ENTRIES 8
#define MAX_BODY (16 * 1024)
#define MAX_KEY 4096
#define RID_LEN 36

/* Reads of the classic API (/server/v2) whose answer is a function of the request
 * and the committed database alone (no clock, no driver): the ones clients poll.
 * The VPC APIs' actions of the same names (/vserver/v2: getRegionList, getZoneList,
 * the catalogue and key and ACG lists; getServerInstanceList is a P2 action there,
 * answered "not supported") are not cached: what the Terraform provider polls
 * there are the ...Detail reads, which no allowlist holds. */
static const char *const cacheable[] = {
    "getServerInstanceList",
    "getRegionList",
    "getZoneList",
    "getServerImageProductList",
    "getServerProductList",
    "getLoginKeyList",
    "getAccessControlGroupList",
    "getAccessControlRuleList",
};

struct act_rc_entry {
    uint64_t hash;
    char *key;
    size_t key_len;
    uint8_t token[NCP_STORE_TOKEN_LEN];
    int64_t account_id;
    char secret[257];
    ncp_fmt_t fmt;
    char *body;
    size_t len, rid_off;
};

typedef struct rc_table {
    act_rc_entry_t e[ENTRIES];
    unsigned next;
} rc_table_t;

static pthread_key_t tkey;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool tkey_ok;

static void table_free(void *p)
{
    rc_table_t *t = p;
    for (size_t i = 0; i < ENTRIES; i++) {
        free(t->e[i].key);
        free(t->e[i].body);
        memset(t->e[i].secret, 0, sizeof(t->e[i].secret));
    }
    free(t);
}

static void init(void)
{
    tkey_ok = pthread_key_create(&tkey, table_free) == 0;
}

static rc_table_t *table(bool create)
{
    pthread_once(&once, init);
    if (!tkey_ok)
        return NULL;
    rc_table_t *t = pthread_getspecific(tkey);
    if (!t && create) {
        t = calloc(1, sizeof(*t));
        if (t && pthread_setspecific(tkey, t) != 0) {
            free(t);
            t = NULL;
        }
    }
    return t;
}

bool act_rc_cacheable(const ncp_action_t *act)
{
    if (act->api != NCP_API_SERVER || (act->flags & (NCP_A_WRITE | NCP_A_SECRET | NCP_A_NOAUTH)))
        return false;
    for (size_t i = 0; i < sizeof(cacheable) / sizeof(cacheable[0]); i++)
        if (strcmp(act->name, cacheable[i]) == 0)
            return true;
    return false;
}

/* What identifies the answer: method, access key, request-target, body kind, body.
 * 0 when too long to be worth keeping. */
static size_t make_key(const ncp_request_t *req, char *out, size_t cap)
{
    const char *parts[4] = {req->method, req->h_access_key, req->raw_uri,
                            req->body_is_form ? "f" : "o"};
    size_t n = 0;
    for (size_t i = 0; i < 4; i++) {
        size_t l = strlen(parts[i]) + 1; /* with its NUL: parts cannot run together */
        if (n + l > cap)
            return 0;
        memcpy(out + n, parts[i], l);
        n += l;
    }
    if (req->body_len > cap - n)
        return 0;
    if (req->body_len)
        memcpy(out + n, req->body, req->body_len);
    return n + req->body_len;
}

static uint64_t hash_of(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 0x100000001b3ULL;
    return h;
}

const act_rc_entry_t *act_rc_find(const ncp_request_t *req,
                                  const uint8_t token[NCP_STORE_TOKEN_LEN])
{
    rc_table_t *t = table(false);
    if (!t || !req->h_access_key)
        return NULL;
    char key[MAX_KEY];
    size_t n = make_key(req, key, sizeof(key));
    if (!n)
        return NULL;
    uint64_t h = hash_of(key, n);
    for (size_t i = 0; i < ENTRIES; i++) {
        const act_rc_entry_t *e = &t->e[i];
        if (e->body && e->hash == h && e->key_len == n && memcmp(e->key, key, n) == 0)
            return memcmp(e->token, token, NCP_STORE_TOKEN_LEN) == 0 ? e : NULL;
    }
    return NULL;
}

void act_rc_put(const ncp_request_t *req, const uint8_t token[NCP_STORE_TOKEN_LEN],
                int64_t account_id, const char *secret, ncp_fmt_t fmt, const char *body,
                size_t len, const char *request_id)
{
    if (!req->h_access_key || len > MAX_BODY || strlen(secret) >= sizeof(((act_rc_entry_t *)0)->secret))
        return;
    const char *rid = memmem(body, len, request_id, RID_LEN);
    if (!rid)
        return;
    char key[MAX_KEY];
    size_t n = make_key(req, key, sizeof(key));
    rc_table_t *t = n ? table(true) : NULL;
    if (!t)
        return;
    uint64_t h = hash_of(key, n);
    act_rc_entry_t *e = NULL;
    for (size_t i = 0; i < ENTRIES && !e; i++)
        if (t->e[i].body && t->e[i].hash == h && t->e[i].key_len == n &&
            memcmp(t->e[i].key, key, n) == 0)
            e = &t->e[i]; /* the same request again, at a newer state */
    if (!e)
        e = &t->e[t->next++ % ENTRIES];
    char *k = malloc(n), *b = malloc(len);
    if (!k || !b) {
        free(k);
        free(b);
        return;
    }
    memcpy(k, key, n);
    memcpy(b, body, len);
    free(e->key);
    free(e->body);
    e->hash = h;
    e->key = k;
    e->key_len = n;
    memcpy(e->token, token, NCP_STORE_TOKEN_LEN);
    e->account_id = account_id;
    memset(e->secret, 0, sizeof(e->secret));
    strcpy(e->secret, secret);
    e->fmt = fmt;
    e->body = b;
    e->len = len;
    e->rid_off = (size_t)(rid - body);
}

int act_rc_answer(const act_rc_entry_t *e, const char *request_id, ncp_buf_t *out)
{
    if (ncp_buf_append(out, e->body, e->rid_off) < 0 ||
        ncp_buf_append(out, request_id, RID_LEN) < 0 ||
        ncp_buf_append(out, e->body + e->rid_off + RID_LEN, e->len - e->rid_off - RID_LEN) < 0)
        return -1;
    return 0;
}

const char *act_rc_secret(const act_rc_entry_t *e)
{
    return e->secret;
}

int64_t act_rc_account(const act_rc_entry_t *e)
{
    return e->account_id;
}

ncp_fmt_t act_rc_fmt(const act_rc_entry_t *e)
{
    return e->fmt;
}

/* fragcache.c: rendered ServerInstance objects, keyed by what decides
 * their bytes: server number, row version (bumped by every change of the
 * row), format, detail flag and nesting depth. ACG rows never change and
 * the catalogue and date offset are fixed while the process runs, so a
 * hit is exactly what rendering again would produce. Polling clients ask
 * for the same servers over and over; a 100-server list becomes 100
 * copies. Bounded memory: a fixed number of slots per shard, replaced in
 * place on collision. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_int.h"

#define SHARDS 16
#define SLOTS_PER_SHARD 2048 /* 32k fragments of ~3 KB: at most ~100 MB, typically far less */
#define MAX_FRAGMENT 16384

typedef struct slot {
    int64_t no, version;
    uint32_t flags;
    char *text;
    size_t len;
} slot_t;

typedef struct shard {
    pthread_mutex_t mu;
    slot_t slots[SLOTS_PER_SHARD];
} shard_t;

static shard_t shards[SHARDS];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static size_t bytes_cap = 64u << 20;
static size_t bytes_used; /* approximate, guarded per shard: each shard gets cap/SHARDS */

static void init(void)
{
    for (int i = 0; i < SHARDS; i++)
        pthread_mutex_init(&shards[i].mu, NULL);
}

static slot_t *lookup(shard_t **sh_out, int64_t no)
{
    uint64_t h = (uint64_t)no * 0x9e3779b97f4a7c15ULL;
    shard_t *sh = &shards[h >> 60];
    *sh_out = sh;
    return &sh->slots[(h >> 20) % SLOTS_PER_SHARD];
}

bool act_frag_get(int64_t no, int64_t version, uint32_t flags, ncp_emit_t *e)
{
    pthread_once(&once, init);
    shard_t *sh;
    slot_t *sl = lookup(&sh, no);
    bool hit = false;
    pthread_mutex_lock(&sh->mu);
    if (sl->text && sl->no == no && sl->version == version && sl->flags == flags) {
        ncp_emit_raw(e, NULL, sl->text, sl->len);
        hit = true;
    }
    pthread_mutex_unlock(&sh->mu);
    return hit;
}

bool act_frag_has(int64_t no, int64_t version, uint32_t flags)
{
    pthread_once(&once, init);
    shard_t *sh;
    slot_t *sl = lookup(&sh, no);
    pthread_mutex_lock(&sh->mu);
    bool hit = sl->text && sl->no == no && sl->version == version && sl->flags == flags;
    pthread_mutex_unlock(&sh->mu);
    return hit;
}

void act_frag_put(int64_t no, int64_t version, uint32_t flags, const char *text, size_t len)
{
    if (len > MAX_FRAGMENT)
        return;
    pthread_once(&once, init);
    shard_t *sh;
    slot_t *sl = lookup(&sh, no);
    char *copy = malloc(len);
    if (!copy)
        return;
    memcpy(copy, text, len);
    pthread_mutex_lock(&sh->mu);
    size_t used = __atomic_load_n(&bytes_used, __ATOMIC_RELAXED);
    if (!sl->text && used + len > bytes_cap) {
        pthread_mutex_unlock(&sh->mu);
        free(copy);
        return;
    }
    if (sl->text)
        __atomic_fetch_sub(&bytes_used, sl->len, __ATOMIC_RELAXED);
    free(sl->text);
    sl->no = no;
    sl->version = version;
    sl->flags = flags;
    sl->text = copy;
    sl->len = len;
    __atomic_fetch_add(&bytes_used, len, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&sh->mu);
}

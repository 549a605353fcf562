/* store_tag.h: the instance tags of servers as a list of their own
 * (getInstanceTagList). Tags are written with their server (server_put). */
#ifndef NCP_STORE_TAG_H
#define NCP_STORE_TAG_H
#include <stdint.h>

#include "domain/model.h"
#include "store/store.h"
#include "util/arena.h"

typedef struct ncp_tag_row {
    int64_t server_no;
    const char *key, *value;
} ncp_tag_row_t;

typedef struct ncp_tag_filter {
    int64_t account_id;
    const int64_t *nos;          /* NULL: every server */
    size_t n_nos;
    const char *const *keys;     /* NULL: any key (else one of these) */
    size_t n_keys;
    const char *const *values;
    size_t n_values;
    int64_t offset, limit;       /* limit 0: all */
} ncp_tag_filter_t;

typedef int (*ncp_tag_cb)(void *ctx, const ncp_tag_row_t *t);

/* by server number, then the order the tags were given */
int ncp_store_tag_list(ncp_store_t *st, ncp_arena_t *a, const ncp_tag_filter_t *f,
                       int64_t *total_out, ncp_tag_cb cb, void *ctx, ncp_err_t *err);

#endif

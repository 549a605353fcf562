/* store_image.h: member server images, their sharing (by login ID, i.e. the
 * name of another account of this ncpd), and the image a recreate applies. */
#ifndef NCP_STORE_IMAGE_H
#define NCP_STORE_IMAGE_H
#include <stdbool.h>
#include <stdint.h>

#include "domain/model.h"
#include "store/store.h"
#include "util/arena.h"

typedef struct ncp_image_filter {
    int64_t account_id;
    const char *login_id;      /* also the images shared with this login ID (NULL: none) */
    const int64_t *nos;
    size_t n_nos;
    const char *const *platforms;
    size_t n_platforms;
    const int64_t *zones;
    size_t n_zones;
    bool sort_by_name, descending;
    int64_t offset, limit;
} ncp_image_filter_t;

typedef int (*ncp_image_cb)(void *ctx, const ncp_member_image_t *m);

/* Writes the image and replaces its share list with m->shares. */
int ncp_store_image_put(ncp_store_t *st, const ncp_member_image_t *m, ncp_err_t *err);
/* An image the account owns, or (login_id not NULL) one shared with login_id:
 * 1/0/-1; *owned tells which. */
int ncp_store_image_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                        const char *login_id, int64_t no, ncp_member_image_t *out, bool *owned,
                        ncp_err_t *err);
int ncp_store_image_list(ncp_store_t *st, ncp_arena_t *a, const ncp_image_filter_t *f,
                         int64_t *total_out, ncp_image_cb cb, void *ctx, ncp_err_t *err);
int ncp_store_image_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                               ncp_err_t *err);
int ncp_store_image_set_totals(ncp_store_t *st, int64_t no, int n_disks, int64_t bytes,
                               ncp_err_t *err);

/* The name of an account (its login ID for sharing): 1/0/-1 */
int ncp_store_account_name(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                           const char **name_out, ncp_err_t *err);

/* recreateServerInstance: what its first step applies to the server */
typedef struct ncp_recreate {
    int64_t server_no;
    const char *image_code, *name, *user_data;
    const char *tags; /* "key\x1fvalue\x1e" per tag; NULL: keep the tags */
} ncp_recreate_t;

int ncp_store_recreate_put(ncp_store_t *st, const ncp_recreate_t *r, ncp_err_t *err);
/* 1/0/-1; the row is removed once read with take = true */
int ncp_store_recreate_get(ncp_store_t *st, ncp_arena_t *a, int64_t server_no, bool take,
                           ncp_recreate_t *out, ncp_err_t *err);

#endif

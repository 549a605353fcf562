/* store_nas.h: NAS volumes, their access control lists, snapshots and
 * snapshot configuration history. */
#ifndef NCP_STORE_NAS_H
#define NCP_STORE_NAS_H
#include <stdbool.h>
#include <stdint.h>

#include "domain/model.h"
#include "store/store.h"
#include "util/arena.h"

typedef struct ncp_nas_filter {
    int64_t account_id;
    const int64_t *nos;
    size_t n_nos;
    const char *protocol;      /* NULL any */
    int event, snapshot;       /* -1 any, 0, 1 (isEventConfiguration / isSnapshotConfiguration) */
    const int64_t *zones;
    size_t n_zones;
} ncp_nas_filter_t;

typedef int (*ncp_nas_cb)(void *ctx, const ncp_nas_t *v);

/* Writes the volume and replaces its access control list with v->acl. */
int ncp_store_nas_put(ncp_store_t *st, const ncp_nas_t *v, ncp_err_t *err);
/* With its access control list: 1/0/-1 */
int ncp_store_nas_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                      ncp_nas_t *out, ncp_err_t *err);
int ncp_store_nas_list(ncp_store_t *st, ncp_arena_t *a, const ncp_nas_filter_t *f,
                       int64_t *total_out, ncp_nas_cb cb, void *ctx, ncp_err_t *err);
/* 1 when a volume has this (prefixed) name */
int ncp_store_nas_name_taken(ncp_store_t *st, const char *name, ncp_err_t *err);
int ncp_store_nas_set_size(ncp_store_t *st, int64_t no, int64_t size, ncp_err_t *err);
/* A gone server leaves every access control list. */
int ncp_store_nas_server_gone(ncp_store_t *st, int64_t server_no, ncp_err_t *err);

typedef int (*ncp_nas_snapshot_cb)(void *ctx, const ncp_nas_snapshot_t *s);
int ncp_store_nas_snapshot_put(ncp_store_t *st, const ncp_nas_snapshot_t *s, ncp_err_t *err);
int ncp_store_nas_snapshot_get(ncp_store_t *st, ncp_arena_t *a, int64_t nas_no, const char *name,
                               ncp_nas_snapshot_t *out, ncp_err_t *err);
int ncp_store_nas_snapshot_delete(ncp_store_t *st, int64_t nas_no, const char *name,
                                  ncp_err_t *err);
int ncp_store_nas_snapshot_list(ncp_store_t *st, ncp_arena_t *a, int64_t nas_no,
                                ncp_nas_snapshot_cb cb, void *ctx, ncp_err_t *err);

typedef int (*ncp_nas_history_cb)(void *ctx, const ncp_nas_history_t *h);
/* Appends h (its seq is the next one of the volume; set in *h). */
int ncp_store_nas_history_add(ncp_store_t *st, ncp_nas_history_t *h, ncp_err_t *err);
int ncp_store_nas_history_list(ncp_store_t *st, ncp_arena_t *a, int64_t nas_no,
                               ncp_nas_history_cb cb, void *ctx, ncp_err_t *err);

#endif

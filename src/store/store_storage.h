/* store_storage.h: block storage and block storage snapshots.
 *
 * Additional disks (SVRBS) are rows of `blocks`; each server's boot disk
 * (BASIC) is read from its server row (number = servers.basic_storage_no),
 * so servers are created and terminated as before and their boot disks
 * appear in every list. Strings of results live in the caller's arena. */
#ifndef NCP_STORE_STORAGE_H
#define NCP_STORE_STORAGE_H
#include <stdbool.h>
#include <stdint.h>

#include "domain/model.h"
#include "store/store.h"
#include "util/arena.h"

typedef struct ncp_disk_filter {
    int64_t account_id;
    int64_t server_no;           /* 0: any */
    const int64_t *nos;          /* NULL: any */
    size_t n_nos;
    const char *name_substr;     /* case-insensitive, in blockStorageName */
    const char *attach_substr;   /* in "<server name> <device>" or "<server name>:<device>" */
    int basic;                   /* -1 both, 0 SVRBS only, 1 BASIC only */
    int status;                  /* -1 any */
    const char *disk_type, *detail;
    const int64_t *zones;        /* NULL: any (a region is its zones) */
    size_t n_zones;
    bool sort_by_name, descending;
    int64_t offset, limit;       /* limit 0: all */
} ncp_disk_filter_t;

typedef int (*ncp_disk_cb)(void *ctx, const ncp_disk_t *d);

/* Writes an additional disk (insert or replace). */
int ncp_store_disk_put(ncp_store_t *st, const ncp_disk_t *d, ncp_err_t *err);
/* Any disk of the account, BASIC ones included: 1/0/-1. */
int ncp_store_disk_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                       ncp_disk_t *out, ncp_err_t *err);
int ncp_store_disk_list(ncp_store_t *st, ncp_arena_t *a, const ncp_disk_filter_t *f,
                        int64_t *total_out, ncp_disk_cb cb, void *ctx, ncp_err_t *err);
/* Attachment: server 0 and device "" detach. */
int ncp_store_disk_set_server(ncp_store_t *st, int64_t no, int64_t server_no, const char *device,
                              ncp_err_t *err);
int ncp_store_disk_set_size(ncp_store_t *st, int64_t no, int64_t size, ncp_err_t *err);
/* Additional disks attached to (or attaching to) a server. */
int ncp_store_disk_count_on(ncp_store_t *st, int64_t server_no, int64_t *n_out, ncp_err_t *err);
/* The device names in use on a server ("/dev/xvdb" ...), arena array. */
int ncp_store_disk_devices(ncp_store_t *st, ncp_arena_t *a, int64_t server_no,
                           const char ***out, size_t *n_out, ncp_err_t *err);
/* 1 when an additional disk of the account has this name */
int ncp_store_disk_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                              ncp_err_t *err);
/* The additional disks of a server that is gone: removed, numbers retired. */
int ncp_store_disk_remove_on(ncp_store_t *st, int64_t server_no, ncp_err_t *err);
/* Sum of the sizes of the disks on a server, BASIC included, and their count. */
int ncp_store_disk_totals(ncp_store_t *st, int64_t server_no, int64_t *n_out, int64_t *bytes_out,
                          ncp_err_t *err);

/* ---- snapshots ------------------------------------------------------------ */

typedef struct ncp_snapshot_filter {
    int64_t account_id;
    const int64_t *nos;
    size_t n_nos;
    const int64_t *orig_nos;
    size_t n_orig_nos;
    const int64_t *zones;
    size_t n_zones;
    int64_t offset, limit;
} ncp_snapshot_filter_t;

typedef int (*ncp_snapshot_cb)(void *ctx, const ncp_snapshot_t *s);

int ncp_store_snapshot_put(ncp_store_t *st, const ncp_snapshot_t *s, ncp_err_t *err);
int ncp_store_snapshot_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                           ncp_snapshot_t *out, ncp_err_t *err);
int ncp_store_snapshot_list(ncp_store_t *st, ncp_arena_t *a, const ncp_snapshot_filter_t *f,
                            int64_t *total_out, ncp_snapshot_cb cb, void *ctx, ncp_err_t *err);
int ncp_store_snapshot_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                                  ncp_err_t *err);

#endif

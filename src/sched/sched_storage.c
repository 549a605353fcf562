/* sched_storage.c: what block storage transitions mean (rstate.c's paths):
 * a device name when a disk is attached, none when it is detached, the new
 * size after a resize, and the end of the server's disk work (SETUP) with
 * the last disk that settles. The transition's arg is the driver call's
 * ("DISK SERVER [BYTES]", "DISK BYTES" for a resize). */
#include "sched/sched_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/rstate.h"
#include "store/store_storage.h"

/* The server of a transition's arg ("DISK SERVER ..."), 0 when none; a
 * resize names no server: the disk's own (when attached) is the one. */
static int64_t server_of(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t)
{
    int64_t disk = 0, server = 0;
    if (t->kind == NCP_TR_DISK_RESIZE) {
        ncp_disk_t d;
        ncp_err_t e = {0};
        return ncp_store_disk_get(st, env->arena, t->account_id, t->no, &d, &e) == 1
                   ? d.server_no : 0;
    }
    if (!t->arg || sscanf(t->arg, "%" SCNd64 " %" SCNd64, &disk, &server) != 2)
        return 0;
    return server;
}

/* The first free device name of a server: /dev/xvdb ... /dev/xvdz (xvda is the boot disk). */
static int free_device(const ncp_sched_env_t *env, ncp_store_t *st, int64_t server_no,
                       const char **out, ncp_err_t *err)
{
    const char **used;
    size_t n;
    if (ncp_store_disk_devices(st, env->arena, server_no, &used, &n, err) < 0)
        return -1;
    for (char c = 'b'; c <= 'z'; c++) {
        char name[16];
        snprintf(name, sizeof(name), "/dev/xvd%c", c);
        bool taken = false;
        for (size_t i = 0; i < n && !taken; i++)
            taken = strcmp(used[i], name) == 0;
        if (!taken) {
            *out = ncp_arena_strdup(env->arena, name);
            return 0;
        }
    }
    ncp_err_internal(err, "server %" PRId64 " has no free device name", server_no);
    return -1;
}

static int disk_effect(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t, int fx,
                       ncp_err_t *err)
{
    int64_t server = server_of(env, st, t);
    const char *device;
    switch ((ncp_rfx_t)fx) {
    case NCP_FX_ATTACHED:
        if (free_device(env, st, server, &device, err) < 0 ||
            ncp_store_disk_set_server(st, t->no, server, device, err) < 0)
            return -1;
        return ncp_sched_linked_end(env, st, server, t->no, err);
    case NCP_FX_DETACHED:
        if (ncp_store_disk_set_server(st, t->no, 0, "", err) < 0)
            return -1;
        return ncp_sched_linked_end(env, st, server, t->no, err);
    case NCP_FX_RESIZED: {
        int64_t disk = 0, bytes = 0;
        if (!t->arg || sscanf(t->arg, "%" SCNd64 " %" SCNd64, &disk, &bytes) != 2 || bytes <= 0) {
            ncp_err_internal(err, "resize of %lld without a size", (long long)t->no);
            return -1;
        }
        if (ncp_store_disk_set_size(st, t->no, bytes, err) < 0)
            return -1;
        return server ? ncp_sched_linked_end(env, st, server, t->no, err) : 0;
    }
    default:
        return 0;
    }
}

static int disk_gone(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                     ncp_err_t *err)
{
    int64_t server = server_of(env, st, t);
    return server ? ncp_sched_linked_end(env, st, server, t->no, err) : 0;
}

static int disk_undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                     ncp_err_t *err)
{
    int64_t server = server_of(env, st, t);
    /* a refused attach leaves the disk detached, as it was */
    if (t->kind == NCP_TR_DISK_ATTACH && ncp_store_disk_set_server(st, t->no, 0, "", err) < 0)
        return -1;
    return server ? ncp_sched_linked_end(env, st, server, t->no, err) : 0;
}

static const ncp_res_hooks_t hooks = {disk_effect, disk_gone, disk_undo};

static int step(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t, ncp_err_t *err)
{
    return ncp_sched_res_step(env, st, t, &hooks, err);
}

static int undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                ncp_err_t *err)
{
    return ncp_sched_res_undo(env, st, t, &hooks, err);
}

const ncp_sched_kind_t ncp_sched_storage_kind = {
    .kind = NCP_KIND_STORAGE,
    .name = "block storage",
    .step = step,
    .undo = undo,
    .redrive = ncp_sched_res_redrive,
};

/* sched_int.h: shared by the files of sched/ only.
 *
 * The transition engine (sched.c) never says "server": every transition row
 * names its resource kind and number, and what a step, a refused claim or a
 * recovery means for that kind is a table of functions (one file per kind:
 * sched_server.c, ...). Adding a kind of resource with transitions is one
 * more table and one more row in kind_of() (sched.c). */
#ifndef NCP_SCHED_INT_H
#define NCP_SCHED_INT_H
#include "sched/sched.h"

typedef struct ncp_sched_env {
    const ncp_store_ops_t *so;
    ncp_arena_t *arena;
    int64_t now_ms, step_ms;
} ncp_sched_env_t;

typedef struct ncp_sched_kind {
    ncp_kind_t kind;
    const char *name;
    /* Applies the step of t that is due, in the pass's write transaction:
     * moves the resource, then puts t back with its next due time, or
     * deletes it at the end of its path. */
    int (*step)(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t, ncp_err_t *err);
    /* A claim the driver refused: the resource as it was before the claim, or
     * gone (numbers retired) when it was being created. t is deleted after. */
    int (*undo)(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                ncp_err_t *err);
    /* Recovery of an orphaned claim: asks the driver again, outside any
     * transaction (reads with st's own read transaction). 0 when it acted. */
    int (*redrive)(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_driver_t *drv,
                   const ncp_trans_t *t, ncp_err_t *err);
} ncp_sched_kind_t;

extern const ncp_sched_kind_t ncp_sched_server_kind;
extern const ncp_sched_kind_t ncp_sched_storage_kind;
extern const ncp_sched_kind_t ncp_sched_snapshot_kind;
extern const ncp_sched_kind_t ncp_sched_publicip_kind;
extern const ncp_sched_kind_t ncp_sched_nas_kind;
extern const ncp_sched_kind_t ncp_sched_image_kind;

/* ---- resources other than servers (sched_res.c) -----------------------------
 * One step, undo and redrive for every such kind, following the paths of
 * domain/rstate.c; what a step means beyond the resource's codes is the
 * kind's hooks (sched_<kind>.c). */
typedef struct ncp_res_hooks {
    /* after the resource took the step's codes (fx != NCP_FX_NONE) */
    int (*effect)(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t, int fx,
                  ncp_err_t *err);
    /* just before the resource goes (a GONE step, or a refused create) */
    int (*gone)(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                ncp_err_t *err);
    /* after a refused claim put the previous codes back (NULL: nothing more) */
    int (*undo)(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                ncp_err_t *err);
} ncp_res_hooks_t;

int ncp_sched_res_step(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t,
                       const ncp_res_hooks_t *h, ncp_err_t *err);
int ncp_sched_res_undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                       const ncp_res_hooks_t *h, ncp_err_t *err);
/* asks the driver again for the operation of t (its arg names the volumes) */
int ncp_sched_res_redrive(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_driver_t *drv,
                          const ncp_trans_t *t, ncp_err_t *err);

/* The server's linked work (ncp_sched_disk_work / ncp_sched_image_copy):
 * ends it when no transition of its disks (images) other than `except` is
 * pending. */
int ncp_sched_linked_end(const ncp_sched_env_t *env, ncp_store_t *st, int64_t server_no,
                         int64_t except, ncp_err_t *err);

/* ---- hooks of sched_server.c into issue 11's resources (sched_res.c) -------- */
/* *busy when t is a server's linked row whose work goes on */
int ncp_sched_server_linked(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                            bool *busy, ncp_err_t *err);
/* what a gone server takes with it: its additional disks, its rules, its place
 * in NAS access lists; a public IP it had is freed; NICs are detached */
int ncp_sched_server_cascade(const ncp_sched_env_t *env, ncp_store_t *st, int64_t server_no,
                             ncp_err_t *err);
/* recreate's first step: the pending image, name, user data and tags */
int ncp_sched_recreate_apply(const ncp_sched_env_t *env, ncp_store_t *st, ncp_server_t *s,
                             ncp_err_t *err);
/* The VPC platform's kinds (sched_vpc.c), or NULL. */
const ncp_sched_kind_t *ncp_sched_vpc_kind(ncp_kind_t k);

/* Puts t back due one step from now (a helper for step functions). */
int ncp_sched_next(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t,
                   ncp_err_t *err);

#endif

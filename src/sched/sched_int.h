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
/* The VPC platform's kinds (sched_vpc.c), or NULL. */
const ncp_sched_kind_t *ncp_sched_vpc_kind(ncp_kind_t k);

/* Puts t back due one step from now (a helper for step functions). */
int ncp_sched_next(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t,
                   ncp_err_t *err);

#endif

/* sched_snapshot.c: block storage snapshots (rstate.c's paths): nothing
 * beyond their codes; a refused create takes the snapshot away. */
#include "sched/sched_int.h"

static const ncp_res_hooks_t hooks = {NULL, NULL, NULL};

static int step(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t, ncp_err_t *err)
{
    return ncp_sched_res_step(env, st, t, &hooks, err);
}

static int undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                ncp_err_t *err)
{
    return ncp_sched_res_undo(env, st, t, &hooks, err);
}

const ncp_sched_kind_t ncp_sched_snapshot_kind = {
    .kind = NCP_KIND_SNAPSHOT,
    .name = "snapshot",
    .step = step,
    .undo = undo,
    .redrive = ncp_sched_res_redrive,
};

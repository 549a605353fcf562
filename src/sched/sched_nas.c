/* sched_nas.c: NAS volumes (rstate.c's paths): the new size at the end of
 * a resize (the transition's arg is the size in bytes). NAS volumes live on
 * storage servers, not on the hypervisor: no driver call, no claim. */
#include "sched/sched_int.h"

#include <inttypes.h>
#include <stdio.h>

#include "domain/rstate.h"
#include "store/store_nas.h"

static int nas_effect(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t, int fx,
                      ncp_err_t *err)
{
    (void)env;
    if (fx != NCP_FX_RESIZED)
        return 0;
    int64_t bytes = 0;
    if (!t->arg || sscanf(t->arg, "%" SCNd64, &bytes) != 1 || bytes <= 0) {
        ncp_err_internal(err, "NAS resize of %lld without a size", (long long)t->no);
        return -1;
    }
    return ncp_store_nas_set_size(st, t->no, bytes, err);
}

static const ncp_res_hooks_t hooks = {nas_effect, NULL, NULL};

static int step(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t, ncp_err_t *err)
{
    return ncp_sched_res_step(env, st, t, &hooks, err);
}

static int undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                ncp_err_t *err)
{
    return ncp_sched_res_undo(env, st, t, &hooks, err);
}

static int redrive(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_driver_t *drv,
                   const ncp_trans_t *t, ncp_err_t *err)
{
    (void)env;
    (void)st;
    (void)drv;
    (void)t;
    (void)err;
    return 0; /* never claimed */
}

const ncp_sched_kind_t ncp_sched_nas_kind = {
    .kind = NCP_KIND_NAS,
    .name = "NAS volume",
    .step = step,
    .undo = undo,
    .redrive = redrive,
};

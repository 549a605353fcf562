/* sched_server.c: what transitions mean for a server (state.c's paths). */
#include "sched/sched_int.h"

#include "domain/catalog.h"
#include "domain/state.h"
#include "util/log.h"

/* Retires a server that is gone: its row, and its numbers for good. */
static int server_gone(const ncp_sched_env_t *env, ncp_store_t *st, int64_t no,
                       int64_t account_id, int64_t basic_storage_no, ncp_err_t *err)
{
    const ncp_store_ops_t *so = env->so;
    ncp_instance_t in = {no, NCP_KIND_SERVER, account_id, true};
    ncp_instance_t disk = {basic_storage_no, NCP_KIND_STORAGE, account_id, true};
    if (ncp_sched_server_cascade(env, st, no, err) < 0 || /* issue 11: its attachments */
        so->server_delete(st, no, err) < 0 || so->instance_put(st, &in, err) < 0 ||
        (basic_storage_no && so->instance_put(st, &disk, err) < 0))
        return -1;
    return 0;
}

static int server_step(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t,
                       ncp_err_t *err)
{
    const ncp_store_ops_t *so = env->so;
    ncp_server_t s;
    int r = so->server_get(st, env->arena, t->account_id, t->no, &s, err);
    if (r < 0)
        return -1;
    if (r == 0) /* the server is gone: nothing left to do */
        return so->trans_delete(st, t->no, err);
    const ncp_path_t *p = ncp_state_path(t->kind);
    if (!p) {
        ncp_log_error("sched: server=%lld has unknown transition kind %d; clearing it",
                      (long long)t->no, (int)t->kind);
        if (so->server_set_state(st, s.no, s.status, NCP_OP_NULL, 0, err) < 0)
            return -1;
        return so->trans_delete(st, t->no, err);
    }
    bool linked_busy; /* issue 11: SETUP / COPY as long as disk work / a capture lasts */
    if (ncp_sched_server_linked(env, st, t, &linked_busy, err) < 0)
        return -1;
    if (linked_busy)
        return ncp_sched_next(env, st, t, err);
    if (t->kind == NCP_TR_STORAGE && --t->remaining > 0)
        return ncp_sched_next(env, st, t, err);
    const ncp_step_t *step = &p->steps[t->step < p->nsteps ? t->step : p->nsteps - 1];
    if (step->flags & NCP_STEP_GONE) {
        if (server_gone(env, st, s.no, s.account_id, s.basic_storage_no, err) < 0)
            return -1;
        return so->trans_delete(st, t->no, err);
    }
    ncp_status_t status = (step->flags & NCP_STEP_KEEP_STATUS) ? s.status : step->status;
    if (step->flags & NCP_STEP_APPLY_SPEC) {
        const ncp_product_t *pr = t->arg ? ncp_catalog_product(t->arg) : NULL;
        if (pr) {
            s.product_code = pr->code;
            s.cpu = pr->cpu;
            s.memory = pr->memory;
            s.disk_detail = pr->disk_detail;
            s.instance_type = pr->product_type;
            if (so->server_put(st, &s, err) < 0)
                return -1;
        }
    }
    if ((step->flags & NCP_STEP_APPLY_IMAGE) && ncp_sched_recreate_apply(env, st, &s, err) < 0)
        return -1;
    if (so->server_set_state(st, s.no, status, step->op,
                             (step->flags & NCP_STEP_UPTIME) ? env->now_ms : 0, err) < 0)
        return -1;
    t->step++;
    if (t->step >= p->nsteps || t->kind == NCP_TR_STORAGE)
        return so->trans_delete(st, t->no, err);
    return ncp_sched_next(env, st, t, err);
}

static int server_undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                       ncp_err_t *err)
{
    const ncp_store_ops_t *so = env->so;
    if (t->kind != NCP_TR_CREATE)
        return so->server_set_state(st, t->no, t->prev_status, t->prev_op, 0, err);
    /* the machine was never made: the server goes, its numbers stay retired */
    ncp_server_t s;
    int r = so->server_get(st, env->arena, t->account_id, t->no, &s, err);
    if (r < 0)
        return -1;
    return server_gone(env, st, t->no, t->account_id, r == 1 ? s.basic_storage_no : 0, err);
}

static int server_redrive(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_driver_t *drv,
                          const ncp_trans_t *t, ncp_err_t *err)
{
    const ncp_store_ops_t *so = env->so;
    ncp_server_t s;
    if (so->begin(st, false, err) < 0)
        return -1;
    int r = so->server_get(st, env->arena, t->account_id, t->no, &s, err);
    so->rollback(st);
    if (r <= 0) {
        if (r == 0)
            ncp_err_internal(err, "server %lld is gone", (long long)t->no);
        return -1;
    }
    int op = ncp_drv_op_of(t->kind);
    if (op < 0 || !drv) {
        ncp_err_internal(err, "no driver operation for transition %d", (int)t->kind);
        return -1;
    }
    return ncp_drv_call(drv, (ncp_drv_op_t)op, &s, t->arg, err);
}

const ncp_sched_kind_t ncp_sched_server_kind = {
    .kind = NCP_KIND_SERVER,
    .name = "server",
    .step = server_step,
    .undo = server_undo,
    .redrive = server_redrive,
};

/* sched_res.c: transitions of the resources other than servers, for every
 * such kind (domain/rstate.c has the paths, sched_<kind>.c the hooks), and
 * how they tie into servers: disk work and image capture keep the server
 * busy (SETUP / COPY) exactly as long as they last; a gone server takes its
 * attachments with it; a recreate applies its image at its first step. */
#include "sched/sched_int.h"

#include <stdlib.h>
#include <string.h>

#include "domain/catalog.h"
#include "domain/rstate.h"
#include "store/store_image.h"
#include "store/store_nas.h"
#include "store/store_net.h"
#include "store/store_res.h"
#include "store/store_storage.h"
#include "util/log.h"

/* ---- claim and start ------------------------------------------------------------ */

static int first_state(ncp_sched_res_t *r, ncp_tr_kind_t kind, const ncp_rpath_t **p_out,
                       ncp_err_t *err)
{
    const ncp_rpath_t *p = ncp_rstate_path(kind);
    if (!p || p->res != r->kind) {
        ncp_err_internal(err, "no path of transition %d for resource kind %d", (int)kind,
                         (int)r->kind);
        return -1;
    }
    if (!(p->first.flags & NCP_RSTEP_KEEP_STATUS))
        r->status = (int)p->first.status;
    r->op = (int)p->first.op;
    *p_out = p;
    return 0;
}

int ncp_sched_claim_res(const ncp_store_ops_t *so, ncp_store_t *st, ncp_sched_res_t *r,
                        ncp_tr_kind_t kind, const char *arg, const char *owner, ncp_err_t *err)
{
    ncp_trans_t t = {.no = r->no,
                     .res_kind = r->kind,
                     .account_id = r->account_id,
                     .kind = kind,
                     .due_ms = INT64_MAX, /* never due: waits for its confirmation */
                     .phase = NCP_PHASE_CLAIMED,
                     .prev_status = (ncp_status_t)r->status,
                     .prev_op = (ncp_op_t)r->op,
                     .arg = arg,
                     .owner = owner};
    const ncp_rpath_t *p;
    if (first_state(r, kind, &p, err) < 0 ||
        ncp_store_res_set_state(st, r->kind, r->no, r->status, r->op, err) < 0)
        return -1;
    return so->trans_put(st, &t, err);
}

int ncp_sched_start_res(const ncp_store_ops_t *so, ncp_store_t *st, ncp_sched_res_t *r,
                        ncp_tr_kind_t kind, const char *arg, int64_t now_ms, int64_t step_ms,
                        ncp_err_t *err)
{
    ncp_trans_t t = {.no = r->no,
                     .res_kind = r->kind,
                     .account_id = r->account_id,
                     .kind = kind,
                     .due_ms = now_ms + step_ms,
                     .wait_ms = step_ms,
                     .phase = NCP_PHASE_RUNNING,
                     .prev_status = (ncp_status_t)r->status,
                     .prev_op = (ncp_op_t)r->op,
                     .arg = arg};
    const ncp_rpath_t *p;
    if (first_state(r, kind, &p, err) < 0 ||
        ncp_store_res_set_state(st, r->kind, r->no, r->status, r->op, err) < 0)
        return -1;
    return so->trans_put(st, &t, err);
}

/* ---- step, undo, redrive ------------------------------------------------------- */

int ncp_sched_res_step(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t,
                       const ncp_res_hooks_t *h, ncp_err_t *err)
{
    const ncp_store_ops_t *so = env->so;
    int64_t account;
    int status, op;
    int r = ncp_store_res_state(st, t->res_kind, t->no, &account, &status, &op, err);
    if (r < 0)
        return -1;
    if (r == 0) /* gone already: nothing left to do */
        return so->trans_delete(st, t->no, err);
    const ncp_rpath_t *p = ncp_rstate_path(t->kind);
    if (!p || p->res != t->res_kind) {
        ncp_log_error("sched: instance=%lld (kind %d) has unknown transition kind %d; "
                      "clearing it",
                      (long long)t->no, (int)t->res_kind, (int)t->kind);
        if (ncp_store_res_set_state(st, t->res_kind, t->no, status, NCP_RO_NULL, err) < 0)
            return -1;
        return so->trans_delete(st, t->no, err);
    }
    const ncp_rstep_t *step = &p->steps[t->step < p->nsteps ? t->step : p->nsteps - 1];
    if (step->flags & NCP_RSTEP_GONE) {
        if ((h->gone && h->gone(env, st, t, err) < 0) ||
            ncp_store_res_remove(st, t->res_kind, t->no, account, err) < 0)
            return -1;
        return so->trans_delete(st, t->no, err);
    }
    int next_status = (step->flags & NCP_RSTEP_KEEP_STATUS) ? status : (int)step->status;
    if (ncp_store_res_set_state(st, t->res_kind, t->no, next_status, (int)step->op, err) < 0)
        return -1;
    t->step++;
    bool last = t->step >= p->nsteps;
    /* the row goes first, so that the step's effects see the resource settled */
    if (last && so->trans_delete(st, t->no, err) < 0)
        return -1;
    if (step->fx != NCP_FX_NONE && h->effect && h->effect(env, st, t, (int)step->fx, err) < 0)
        return -1;
    return last ? 0 : ncp_sched_next(env, st, t, err);
}

int ncp_sched_res_undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                       const ncp_res_hooks_t *h, ncp_err_t *err)
{
    const ncp_rpath_t *p = ncp_rstate_path(t->kind);
    if (p && p->creates) {
        /* never made: the resource goes, its number stays retired */
        int64_t account;
        int status, op;
        int r = ncp_store_res_state(st, t->res_kind, t->no, &account, &status, &op, err);
        if (r <= 0)
            return r;
        if (h->gone && h->gone(env, st, t, err) < 0)
            return -1;
        return ncp_store_res_remove(st, t->res_kind, t->no, account, err);
    }
    if (ncp_store_res_set_state(st, t->res_kind, t->no, (int)t->prev_status, (int)t->prev_op,
                                err) < 0)
        return -1;
    return h->undo ? h->undo(env, st, t, err) : 0;
}

int ncp_sched_res_redrive(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_driver_t *drv,
                          const ncp_trans_t *t, ncp_err_t *err)
{
    (void)env;
    (void)st;
    int op = ncp_drv_op_of(t->kind);
    if (op < 0 || !drv) {
        ncp_err_internal(err, "no driver operation for transition %d", (int)t->kind);
        return -1;
    }
    /* volume operations read their numbers from the arg the claim stored */
    return ncp_drv_call(drv, (ncp_drv_op_t)op, NULL, t->arg, err);
}

/* ---- the server's linked work ------------------------------------------------- */

/* Is t a server's row that lasts as long as its disks' (images') work? */
static bool linked_kind(const ncp_trans_t *t, bool *images)
{
    if (t->res_kind != NCP_KIND_SERVER)
        return false;
    if (t->kind == NCP_TR_IMAGE_COPY) {
        *images = true;
        return true;
    }
    if (t->kind == NCP_TR_STORAGE && t->arg && strcmp(t->arg, NCP_TR_ARG_DISKS) == 0) {
        *images = false;
        return true;
    }
    return false;
}

static int linked_count(ncp_store_t *st, bool images, int64_t server_no, int64_t except,
                        int64_t *n, ncp_err_t *err)
{
    return images ? ncp_store_res_images_busy(st, server_no, except, n, err)
                  : ncp_store_res_disks_busy(st, server_no, except, n, err);
}

int ncp_sched_server_linked(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                            bool *busy, ncp_err_t *err)
{
    (void)env;
    bool images;
    int64_t n = 0;
    *busy = false;
    if (!linked_kind(t, &images))
        return 0;
    if (linked_count(st, images, t->no, 0, &n, err) < 0)
        return -1;
    *busy = n > 0;
    return 0;
}

int ncp_sched_linked_end(const ncp_sched_env_t *env, ncp_store_t *st, int64_t server_no,
                         int64_t except, ncp_err_t *err)
{
    const ncp_store_ops_t *so = env->so;
    ncp_trans_t t;
    bool images;
    int r = so->trans_get(st, env->arena, server_no, &t, err);
    if (r <= 0)
        return r;
    if (!linked_kind(&t, &images))
        return 0;
    int64_t n = 0;
    if (linked_count(st, images, server_no, except, &n, err) < 0)
        return -1;
    if (n > 0)
        return 0;
    ncp_server_t s;
    r = so->server_get(st, env->arena, t.account_id, server_no, &s, err);
    if (r < 0 || (r == 1 && so->server_set_state(st, server_no, s.status, NCP_OP_NULL, 0, err) < 0))
        return -1;
    return so->trans_delete(st, server_no, err);
}

int ncp_sched_disk_work(const ncp_store_ops_t *so, ncp_store_t *st, ncp_arena_t *a,
                        ncp_server_t *s, int64_t now_ms, int64_t step_ms, ncp_err_t *err)
{
    ncp_trans_t t;
    bool images;
    int r = so->trans_get(st, a, s->no, &t, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        if (linked_kind(&t, &images) && !images)
            return 0; /* joins the disk work under way */
        ncp_err_internal(err, "server %lld is in transition %d", (long long)s->no, (int)t.kind);
        return -1;
    }
    return ncp_sched_transition_start(so, st, s, NCP_TR_STORAGE, 1, NCP_TR_ARG_DISKS, now_ms,
                                      step_ms, err);
}

int ncp_sched_image_copy(const ncp_store_ops_t *so, ncp_store_t *st, ncp_server_t *s,
                         int64_t now_ms, int64_t step_ms, ncp_err_t *err)
{
    return ncp_sched_transition_start(so, st, s, NCP_TR_IMAGE_COPY, 0, NULL, now_ms, step_ms,
                                      err);
}

/* ---- a gone server, a recreate ------------------------------------------------ */

int ncp_sched_server_cascade(const ncp_sched_env_t *env, ncp_store_t *st, int64_t server_no,
                             ncp_err_t *err)
{
    ncp_public_ip_t ip;
    ncp_recreate_t rc;
    int r = ncp_store_ip_of_server(st, env->arena, server_no, &ip, err);
    if (r < 0 || (r == 1 && env->so->trans_delete(st, ip.no, err) < 0))
        return -1;
    if (ncp_store_disk_remove_on(st, server_no, err) < 0 ||
        ncp_store_net_server_gone(st, server_no, err) < 0 ||
        ncp_store_nas_server_gone(st, server_no, err) < 0 ||
        ncp_store_recreate_get(st, env->arena, server_no, true, &rc, err) < 0)
        return -1;
    return 0;
}

/* Tags as the recreate row keeps them: "key\x1fvalue\x1e" per tag. */
static void parse_tags(ncp_arena_t *a, const char *text, ncp_tag_t **out, size_t *n_out)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\x1e';
    ncp_tag_t *v = ncp_arena_alloc(a, (n ? n : 1) * sizeof(*v));
    size_t k = 0;
    const char *p = text;
    while (k < n && *p) {
        const char *us = strchr(p, '\x1f'), *rs = strchr(p, '\x1e');
        if (!rs)
            break;
        if (!us || us > rs)
            us = rs;
        v[k].key = ncp_arena_strndup(a, p, (size_t)(us - p));
        v[k].value = us < rs ? ncp_arena_strndup(a, us + 1, (size_t)(rs - us - 1)) : "";
        k++;
        p = rs + 1;
    }
    *out = v;
    *n_out = k;
}

int ncp_sched_recreate_apply(const ncp_sched_env_t *env, ncp_store_t *st, ncp_server_t *s,
                             ncp_err_t *err)
{
    ncp_recreate_t rc;
    int r = ncp_store_recreate_get(st, env->arena, s->no, true, &rc, err);
    if (r <= 0)
        return r;
    const ncp_image_t *img = ncp_catalog_image(rc.image_code);
    if (img) {
        s->image_code = img->code;
        s->image_name = img->name;
        s->platform = img->platform;
    }
    if (rc.name[0])
        s->name = rc.name;
    s->user_data = rc.user_data;
    if (rc.tags)
        parse_tags(env->arena, rc.tags, &s->tags, &s->n_tags);
    return env->so->server_put(st, s, err);
}

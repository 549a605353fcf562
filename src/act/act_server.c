/* act_server.c: server instance actions (server-instance.md §4). */
#include <stdlib.h>
#include <string.h>

#include "act/act_int.h"
#include "domain/state.h"
#include "render/envelope.h"

/* stop / start / reboot / terminate share one shape (DECISIONS D2):
 * resolve every number, check every state, then act on each server; the
 * driver may fail some (22001) or all (1300). */
static int transition_many(ncp_ctx_t *ctx, ncp_tr_kind_t kind, ncp_drv_op_t op, ncp_err_t *err)
{
    ncp_server_t *v;
    size_t n;
    if (act_servers_resolve(ctx, "serverInstanceNoList", &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        ncp_trans_t t;
        bool storage = false;
        if (v[i].op != NCP_OP_NULL) {
            int r = ctx->so->trans_get(ctx->st, ctx->arena, v[i].no, &t, err);
            if (r < 0)
                return -1;
            storage = r == 1 && t.kind == NCP_TR_STORAGE;
        }
        if (ncp_state_check(kind, v[i].status, v[i].op, storage, err) < 0)
            return -1;
    }
    bool *ok = ncp_arena_alloc(ctx->arena, n * sizeof(bool));
    unsigned failed = 0;
    for (size_t i = 0; i < n; i++) {
        ncp_err_t derr;
        ncp_err_init(&derr);
        if (ncp_drv_call(&ctx->app->drv, op, &v[i], NULL, &derr) < 0) {
            failed++;
            continue;
        }
        if (ncp_sched_transition_start(ctx->so, ctx->st, &v[i], kind, 0, NULL, ctx->now_ms,
                                       ctx->app->step_ms, err) < 0)
            return -1;
        ok[i] = true;
    }
    if (failed == n) {
        ncp_err_internal(err, "driver failed for all %zu servers", n);
        return -1;
    }
    ncp_err_t partial;
    ncp_err_init(&partial);
    if (failed)
        ncp_err_set(&partial, NCP_E_PARTIAL, failed, (unsigned)n);
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, failed ? &partial : NULL);
    ncp_env_total_rows(ctx->em, (int64_t)(n - failed));
    ncp_emit_list_begin(ctx->em, "serverInstanceList", "serverInstance");
    for (size_t i = 0; i < n; i++)
        if (ok[i])
            act_emit_server(ctx, &v[i], false);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    ctx->kick = true;
    return 0;
}

int act_stopServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_STOP, NCP_DRV_STOP, err);
}

int act_startServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_START, NCP_DRV_START, err);
}

typedef struct list_ctx {
    ncp_ctx_t *ctx;
    int64_t total;
    bool started, with_user_data;
} list_ctx_t;

static void list_open(list_ctx_t *l)
{
    ncp_env_begin(l->ctx->em, l->ctx->act->name, l->ctx->request_id, NULL);
    ncp_env_total_rows(l->ctx->em, l->total);
    ncp_emit_list_begin(l->ctx->em, "serverInstanceList", "serverInstance");
    l->started = true;
}

static int list_row(void *p, const ncp_server_t *s)
{
    list_ctx_t *l = p;
    if (!l->started)
        list_open(l);
    act_emit_server(l->ctx, s, l->with_user_data);
    return 0;
}

static const char *const *strs(const ncp_arg_t *a)
{
    return (const char *const *)a->items;
}

int act_getServerInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_server_filter_t f = {.account_id = ctx->account_id, .status = -1};
    const ncp_arg_t *nos = ncp_arg(A, "serverInstanceNoList");
    if (nos->present) {
        int64_t *v = ncp_arena_alloc(ctx->arena, nos->n * sizeof(int64_t));
        for (size_t i = 0; i < nos->n; i++)
            v[i] = act_no(nos->items[i]);
        f.nos = v;
        f.n_nos = nos->n;
    }
    const ncp_arg_t *fname = ncp_arg(A, "searchFilterName");
    const ncp_arg_t *fval = ncp_arg(A, "searchFilterValue");
    if (fval->present && !fname->present) {
        ncp_err_set(err, NCP_E_REQUIRED, "searchFilterName");
        return -1;
    }
    if (fname->present && fval->present) {
        if (strcmp(fname->s, "ip") == 0)
            f.ip = fval->s;
        else
            f.name_substr = fval->s;
    }
    const ncp_arg_t *a = ncp_arg(A, "serverInstanceStatusCode");
    if (a->present)
        f.status = ncp_state_status_parse(a->s);
    a = ncp_arg(A, "regionNo");
    if (a->present)
        f.region_no = act_no(a->s);
    a = ncp_arg(A, "zoneNo");
    if (a->present)
        f.zone_no = act_no(a->s);
    a = ncp_arg(A, "baseBlockStorageDiskTypeCode");
    if (a->present)
        f.disk_type = a->s;
    a = ncp_arg(A, "baseBlockStorageDiskDetailTypeCode");
    if (a->present)
        f.disk_detail = a->s;
    a = ncp_arg(A, "serverInstanceTypeCodeList");
    f.types = strs(a);
    f.n_types = a->n;
    a = ncp_arg(A, "tagKeyList");
    f.tag_keys = strs(a);
    f.n_tag_keys = a->n;
    a = ncp_arg(A, "tagValueList");
    f.tag_values = strs(a);
    f.n_tag_values = a->n;
    a = ncp_arg(A, "sortedBy");
    f.sort_by_name = a->present && strcmp(a->s, "serverName") == 0;
    a = ncp_arg(A, "sortingOrder");
    f.descending = a->present && strcmp(a->s, "descending") == 0;
    int64_t page_size = ncp_arg(A, "pageSize")->i;
    int64_t page_no = ncp_arg(A, "pageNo")->i;
    if (page_size > 0) {
        f.limit = page_size;
        f.offset = (page_no > 1 ? page_no - 1 : 0) * page_size;
    }

    list_ctx_t l = {.ctx = ctx, .with_user_data = nos->present && nos->n == 1};
    if (ctx->so->server_list(ctx->st, ctx->arena, &f, &l.total, list_row, &l, err) < 0)
        return -1;
    if (!l.started)
        list_open(&l);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

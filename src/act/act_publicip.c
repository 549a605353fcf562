/* act_publicip.c: public IPs (network-storage.md §1, interactions.md P1-P11).
 *
 * An association is visible at once (the IP embeds its server, the server
 * shows the address) while the IP shows CREAT/USE "using" for a step;
 * a disassociation keeps both until its step releases the address. No
 * driver acts on addresses: these transitions start without a claim. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act/act_res.h"
#include "store/store_net.h"
#include "store/store_res.h"

/* Addresses handed out: 49.236.128.1 onwards, never two live IPs with one. */
static int new_address(ncp_ctx_t *ctx, const char **out, ncp_err_t *err)
{
    for (int tries = 0; tries < 10000; tries++) {
        int64_t k;
        if (ctx->so->counter_next(ctx->st, "public_ip", 0, &k, err) < 0)
            return -1;
        k %= 128 * 254;
        const char *ip = ncp_arena_printf(ctx->arena, "49.236.%d.%d", (int)(128 + k / 254),
                                          (int)(k % 254 + 1));
        int r = ncp_store_ip_taken(ctx->st, ip, err);
        if (r < 0)
            return -1;
        if (r == 0) {
            *out = ip;
            return 0;
        }
    }
    ncp_err_internal(err, "no free public IP address");
    return -1;
}

static int ip_resolve(ncp_ctx_t *ctx, const char *param, ncp_public_ip_t *out, ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, param);
    int64_t no;
    if (act_res_resolve(ctx, param, a->s, a->len, NCP_KIND_PUBLIC_IP, NCP_E_CONTRACT_NOT_FOUND, &no,
                        err) < 0)
        return -1;
    int r = ncp_store_ip_get(ctx->st, ctx->arena, ctx->account_id, no, out, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_CONTRACT_NOT_FOUND);
    return r == 1 ? 0 : -1;
}

/* P2-P5: may server s take a public IP of line `line` in zone `zone_no` (0: any)? */
static int target_ok(ncp_ctx_t *ctx, const ncp_server_t *s, const char *line, int64_t zone_no,
                     ncp_err_t *err)
{
    ncp_public_ip_t other;
    int r = ncp_store_ip_of_server(ctx->st, ctx->arena, s->no, &other, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        ncp_err_set(err, NCP_E_SERVER_HAS_PUBLIC_IP);
        return -1;
    }
    if (s->op != NCP_OP_NULL) {
        ncp_err_set(err, NCP_E_PUBLIC_IP_SERVER_BUSY);
        return -1;
    }
    const char *server_line;
    if (ncp_store_server_line_get(ctx->st, ctx->arena, s->no, &server_line, err) < 0)
        return -1;
    if (strcmp(server_line, line) != 0) {
        ncp_err_set(err, NCP_E_LINE_MISMATCH);
        return -1;
    }
    if (zone_no && s->zone_no != zone_no) { /* interactions.md Z1 */
        ncp_err_set(err, NCP_E_INVALID_PARAM, "serverInstanceNo");
        return -1;
    }
    return 0;
}

/* Binds ip to s: both show it from now on, the IP "using" for a step. */
static int bind_ip(ncp_ctx_t *ctx, ncp_public_ip_t *ip, const ncp_server_t *s, ncp_tr_kind_t kind,
                   ncp_err_t *err)
{
    ip->server_no = s->no;
    if (ncp_store_ip_set_server(ctx->st, ip->no, s->no, err) < 0 ||
        ncp_store_server_set_public_ip(ctx->st, s->no, ip->ip, err) < 0)
        return -1;
    ncp_sched_res_t r = {NCP_KIND_PUBLIC_IP, ip->no, ctx->account_id, ip->status, ip->op};
    if (ncp_sched_start_res(ctx->so, ctx->st, &r, kind, NULL, ctx->now_ms, ctx->app->step_ms,
                            err) < 0)
        return -1;
    ip->status = r.status;
    ip->op = r.op;
    ctx->kick = true;
    return 0;
}

static void answer_ips(ncp_ctx_t *ctx, const ncp_public_ip_t *v, size_t n)
{
    act_answer_begin(ctx, (int64_t)n, "publicIpInstanceList", "publicIpInstance");
    for (size_t i = 0; i < n; i++)
        act_emit_public_ip(ctx, &v[i]);
    act_answer_end(ctx);
}

int act_createPublicIpInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *desc = ncp_arg(A, "publicIpDescription");
    if (desc->present && desc->len > 1000) { /* bytes, as the error text says */
        ncp_err_set(err, NCP_E_DESCRIPTION_LENGTH);
        return -1;
    }
    const ncp_arg_t *no_a = ncp_arg(A, "serverInstanceNo");
    ncp_server_t s;
    bool with_server = no_a->present;
    if (with_server && act_server_resolve(ctx, no_a->s, no_a->len, &s, err) < 0)
        return -1;
    int64_t n_ips, n_servers;
    if (ncp_store_ip_count(ctx->st, ctx->account_id, &n_ips, err) < 0 ||
        ncp_store_server_count(ctx->st, ctx->account_id, &n_servers, err) < 0)
        return -1;
    if (n_ips >= n_servers) { /* P1 */
        ncp_err_set(err, NCP_E_PUBLIC_IP_LIMIT);
        return -1;
    }
    const ncp_arg_t *line_a = ncp_arg(A, "internetLineTypeCode");
    const char *line = line_a->present ? line_a->s : "PUBLC";
    const ncp_zone_t *zone;
    if (act_zone_param(ctx, with_server ? s.zone_no : 0, &zone, err) < 0 ||
        (with_server && target_ok(ctx, &s, line, zone->no, err) < 0))
        return -1;
    ncp_public_ip_t ip = {.account_id = ctx->account_id,
                          .description = desc->present ? desc->s : "",
                          .line = line,
                          .status = NCP_RS_CREAT,
                          .op = NCP_RO_NULL,
                          .zone_no = zone->no,
                          .create_ms = ctx->now_ms};
    if (new_address(ctx, &ip.ip, err) < 0 ||
        act_res_new_no(ctx, NCP_KIND_PUBLIC_IP, &ip.no, err) < 0 ||
        ncp_store_ip_put(ctx->st, &ip, err) < 0)
        return -1;
    if (with_server && bind_ip(ctx, &ip, &s, NCP_TR_IP_ASSOCIATE, err) < 0)
        return -1;
    answer_ips(ctx, &ip, 1);
    return 0;
}

int act_associatePublicIpWithServerInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_public_ip_t ip;
    ncp_server_t s;
    const ncp_arg_t *no_a = ncp_arg(&ctx->args, "serverInstanceNo");
    if (ip_resolve(ctx, "publicIpInstanceNo", &ip, err) < 0 ||
        act_server_resolve(ctx, no_a->s, no_a->len, &s, err) < 0)
        return -1;
    if (ip.server_no) {
        ncp_err_set(err, NCP_E_PUBLIC_IP_ASSOCIATED);
        return -1;
    }
    if (ip.op != NCP_RO_NULL) {
        ncp_err_set(err, NCP_E_OBJECT_BUSY);
        return -1;
    }
    if (target_ok(ctx, &s, ip.line, ip.zone_no, err) < 0 ||
        bind_ip(ctx, &ip, &s, NCP_TR_IP_ASSOCIATE, err) < 0)
        return -1;
    answer_ips(ctx, &ip, 1);
    return 0;
}

int act_disassociatePublicIpFromServerInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_public_ip_t ip;
    if (ip_resolve(ctx, "publicIpInstanceNo", &ip, err) < 0)
        return -1;
    if (!ip.server_no) {
        ncp_err_set(err, NCP_E_PUBLIC_IP_DISASSOCIATED);
        return -1;
    }
    if (ip.op != NCP_RO_NULL) {
        ncp_err_set(err, NCP_E_OBJECT_BUSY);
        return -1;
    }
    ncp_sched_res_t r = {NCP_KIND_PUBLIC_IP, ip.no, ctx->account_id, ip.status, ip.op};
    if (ncp_sched_start_res(ctx->so, ctx->st, &r, NCP_TR_IP_DISASSOCIATE, NULL, ctx->now_ms,
                            ctx->app->step_ms, err) < 0)
        return -1;
    ip.status = r.status;
    ip.op = r.op;
    ctx->kick = true;
    answer_ips(ctx, &ip, 1);
    return 0;
}

int act_replaceServerInstanceAssociatedWithPublicIp(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_public_ip_t ip;
    ncp_server_t s;
    const ncp_arg_t *no_a = ncp_arg(&ctx->args, "serverInstanceNo");
    if (ip_resolve(ctx, "publicIpInstanceNo", &ip, err) < 0 ||
        act_server_resolve(ctx, no_a->s, no_a->len, &s, err) < 0)
        return -1;
    if (!ip.server_no) {
        ncp_err_set(err, NCP_E_PUBLIC_IP_DISASSOCIATED);
        return -1;
    }
    if (ip.op != NCP_RO_NULL) {
        ncp_err_set(err, NCP_E_OBJECT_BUSY);
        return -1;
    }
    if (target_ok(ctx, &s, ip.line, ip.zone_no, err) < 0) /* its own server: 28100 */
        return -1;
    int64_t old = ip.server_no;
    if (ncp_store_server_set_public_ip(ctx->st, old, "", err) < 0 ||
        bind_ip(ctx, &ip, &s, NCP_TR_IP_REPLACE, err) < 0)
        return -1;
    answer_ips(ctx, &ip, 1);
    return 0;
}

int act_deletePublicIpInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    int64_t *nos;
    size_t n;
    if (act_res_resolve_list(ctx, "publicIpInstanceNoList", NCP_KIND_PUBLIC_IP,
                             NCP_E_CONTRACT_NOT_FOUND, &nos, &n, err) < 0)
        return -1;
    ncp_public_ip_t *v = ncp_arena_alloc(ctx->arena, (n ? n : 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        int r = ncp_store_ip_get(ctx->st, ctx->arena, ctx->account_id, nos[i], &v[i], err);
        if (r == 0)
            ncp_err_set(err, NCP_E_CONTRACT_NOT_FOUND);
        if (r != 1)
            return -1;
        if (v[i].server_no || v[i].op != NCP_RO_NULL) { /* P6: disassociate first */
            char no[24];
            snprintf(no, sizeof(no), "%" PRId64, v[i].no);
            ncp_err_set(err, NCP_E_TERMINATE_PUBLIC_IP, no);
            return -1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (ncp_store_res_remove(ctx->st, NCP_KIND_PUBLIC_IP, v[i].no, ctx->account_id, err) < 0)
            return -1;
        v[i].status = NCP_RS_TERMT;
        v[i].op = NCP_RO_NULL;
    }
    answer_ips(ctx, v, n);
    return 0;
}

/* ---- lists ---------------------------------------------------------------------------- */

static int ip_row(void *p, const ncp_public_ip_t *ip)
{
    act_rows_t *r = p;
    act_rows_open(r);
    act_emit_public_ip(r->ctx, ip);
    return 0;
}

int act_getPublicIpInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_ip_filter_t f = {.account_id = ctx->account_id, .associated = -1};
    /* the old Go SDK spells it IsAssociated (DECISIONS D10) */
    const ncp_arg_t *a = ncp_arg(A, "isAssociated");
    if (!a->present)
        a = ncp_arg(A, "IsAssociated");
    if (a->present)
        f.associated = a->b ? 1 : 0;
    a = ncp_arg(A, "publicIpInstanceNoList");
    f.nos = act_nos(ctx, a);
    f.n_nos = a->n;
    a = ncp_arg(A, "publicIpList");
    if (a->present) {
        f.ips = (const char *const *)a->items;
        f.n_ips = a->n;
    }
    const ncp_arg_t *fname = ncp_arg(A, "searchFilterName");
    const ncp_arg_t *fval = ncp_arg(A, "searchFilterValue");
    if (fval->present && fval->len) { /* an empty value is no filter (D10) */
        if (!fname->present) {
            ncp_err_set(err, NCP_E_REQUIRED, "searchFilterName");
            return -1;
        }
        if (strcmp(fname->s, "publicIp") == 0)
            f.ip_substr = fval->s;
        else
            f.server_name_substr = fval->s;
    }
    a = ncp_arg(A, "internetLineTypeCode");
    if (a->present)
        f.line = a->s;
    act_zone_filter(ctx, &f.zones, &f.n_zones);
    a = ncp_arg(A, "sortedBy");
    f.sort_by_ip = a->present && strcmp(a->s, "publicIp") == 0;
    a = ncp_arg(A, "sortingOrder");
    f.descending = a->present && strcmp(a->s, "descending") == 0;
    act_paging(ctx, &f.offset, &f.limit);
    act_rows_t r = {ctx, 0, false, "publicIpInstanceList", "publicIpInstance"};
    if (ncp_store_ip_list(ctx->st, ctx->arena, &f, &r.total, ip_row, &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

typedef struct targets {
    ncp_ctx_t *ctx;
    const char *line; /* NULL: any */
    ncp_server_t *v;
    size_t n, cap;
    ncp_err_t *err;
} targets_t;

static int target_row(void *p, const ncp_server_t *s)
{
    targets_t *t = p;
    ncp_public_ip_t ip;
    /* P5: not terminating, without an IP, on the requested line */
    if (s->op == NCP_OP_TERMT)
        return 0;
    int r = ncp_store_ip_of_server(t->ctx->st, t->ctx->arena, s->no, &ip, t->err);
    if (r != 0)
        return r < 0 ? -1 : 0;
    if (t->line) {
        const char *line;
        if (ncp_store_server_line_get(t->ctx->st, t->ctx->arena, s->no, &line, t->err) < 0)
            return -1;
        if (strcmp(line, t->line) != 0)
            return 0;
    }
    t->v = ncp_arena_grow(t->ctx->arena, t->v, t->n, &t->cap, sizeof(*t->v), 16);
    t->v[t->n++] = *s;
    return 0;
}

int act_getPublicIpTargetServerInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_server_filter_t f = {.account_id = ctx->account_id, .status = -1};
    const ncp_arg_t *a = ncp_arg(A, "regionNo");
    if (a->present)
        f.region_no = act_no(a->s);
    a = ncp_arg(A, "zoneNo");
    if (a->present)
        f.zone_no = act_no(a->s);
    a = ncp_arg(A, "internetLineTypeCode");
    targets_t t = {ctx, a->present ? a->s : NULL, NULL, 0, 0, err};
    int64_t total;
    if (ctx->so->server_list(ctx->st, ctx->arena, &f, &total, NULL, target_row, &t, err) < 0)
        return -1;
    act_respond_servers(ctx, NULL, t.v, NULL, t.n, (int64_t)t.n);
    return 0;
}

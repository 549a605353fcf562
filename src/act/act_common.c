/* act_common.c: pieces shared by handlers: the ServerInstance writer and
 * the all-or-nothing server list resolution of DECISIONS D2. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_int.h"
#include "render/envelope.h"
#include "domain/catalog.h"
#include "domain/state.h"
#include "util/clock.h"

int64_t act_no(const char *s)
{
    /* only called on text ncp_spec_is_no accepted: at most INT64_MAX */
    return strtoll(s, NULL, 10);
}

const int64_t *act_nos(ncp_ctx_t *ctx, const ncp_arg_t *a)
{
    if (!a->present)
        return NULL;
    int64_t *v = ncp_arena_alloc(ctx->arena, (a->n ? a->n : 1) * sizeof(int64_t));
    for (size_t i = 0; i < a->n; i++)
        v[i] = act_no(a->items[i]);
    return v;
}

void act_page(const ncp_args_t *A, int64_t *offset, int64_t *limit)
{
    int64_t size = ncp_arg(A, "pageSize")->i, no = ncp_arg(A, "pageNo")->i;
    *limit = size > 0 ? size : 0;
    *offset = size > 0 ? (no > 1 ? no - 1 : 0) * size : 0;
}

void act_emit_no(ncp_emit_t *e, const char *name, int64_t no)
{
    char b[24];
    snprintf(b, sizeof(b), "%" PRId64, no);
    ncp_emit_str(e, name, b);
}

static void emit_date(ncp_emit_t *e, const char *name, int64_t ms)
{
    char b[NCP_DATE_LEN];
    ncp_emit_str(e, name, ncp_clock_fmt(ms, b, sizeof(b)));
}

void act_emit_acg(ncp_emit_t *e, const ncp_acg_t *g)
{
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "accessControlGroupConfigurationNo", g->no);
    ncp_emit_str(e, "accessControlGroupName", g->name);
    ncp_emit_str(e, "accessControlGroupDescription", g->description);
    ncp_emit_bool(e, "isDefaultGroup", g->is_default); /* what the SDKs read (D9) */
    ncp_emit_bool(e, "isDefault", g->is_default);      /* what the seed shows */
    emit_date(e, "createDate", g->create_ms);
    ncp_emit_obj_end(e);
}

int act_password_seal(ncp_ctx_t *ctx, const char *plain, const char **hex_out, ncp_err_t *err)
{
    size_t n = strlen(plain);
    uint8_t *sealed = ncp_arena_alloc(ctx->arena, n + NCP_SEAL_OVERHEAD);
    char *hex = ncp_arena_alloc(ctx->arena, 2 * (n + NCP_SEAL_OVERHEAD) + 1);
    if (ncp_seal(ctx->app->master_key, plain, n, sealed) < 0) {
        ncp_err_internal(err, "cannot seal a root password");
        return -1;
    }
    ncp_hex(sealed, n + NCP_SEAL_OVERHEAD, hex);
    *hex_out = hex;
    return 0;
}

int act_password_open(ncp_ctx_t *ctx, const char *hex, const char **plain_out, ncp_err_t *err)
{
    size_t n = strlen(hex) / 2;
    uint8_t *sealed = ncp_arena_alloc(ctx->arena, n + 1);
    char *plain = ncp_arena_alloc(ctx->arena, n + 1);
    if (n <= NCP_SEAL_OVERHEAD || ncp_unhex(hex, sealed, n) < 0 ||
        ncp_unseal(ctx->app->master_key, sealed, n, plain) < 0) {
        ncp_err_internal(err, "cannot open the root password");
        return -1;
    }
    plain[n - NCP_SEAL_OVERHEAD] = '\0';
    *plain_out = plain;
    return 0;
}

/* What besides (number, version) decides a rendering. */
static uint32_t render_flags(ncp_fmt_t fmt, bool with_user_data, int depth)
{
    return (uint32_t)fmt | (with_user_data ? 2u : 0u) | (uint32_t)depth << 2;
}

bool act_server_probe(void *p, int64_t no, int64_t version)
{
    const ncp_ctx_t *ctx = *(ncp_ctx_t **)p; /* list contexts start with the ctx */
    /* list items sit under the root and the list: depth 2 */
    return (ctx->act->flags & NCP_A_READ) &&
           act_frag_has(no, version, render_flags(ctx->em->fmt, ctx->detail, 2));
}

void act_emit_server(ncp_ctx_t *ctx, const ncp_server_t *s, bool with_user_data)
{
    act_emit_server_as(ctx, "serverInstance", s, with_user_data);
}

void act_emit_server_as(ncp_ctx_t *ctx, const char *member, const ncp_server_t *s,
                        bool with_user_data)
{
    ncp_emit_t *e = ctx->em;
    uint32_t flags = render_flags(e->fmt, with_user_data, e->depth);
    /* Only read actions use the cache: their rows come straight from a
     * committed snapshot, where a (number, version) pair names one content.
     * A write handler renders state it has not committed yet. Cached XML
     * holds the element's name: only "serverInstance" renderings are kept,
     * and only list items (a cached JSON value carries no member name). */
    bool cacheable = s->version && (ctx->act->flags & NCP_A_READ) &&
                     strcmp(member, "serverInstance") == 0 && e->depth > 0 &&
                     e->st[e->depth - 1].item != NULL;
    if (cacheable && act_frag_get(s->no, s->version, flags, e))
        return;
    ncp_server_t full;
    if (s->stub) {
        /* the probe saw a rendering that has been replaced since: read the row */
        ncp_err_t err;
        ncp_err_init(&err);
        if (ctx->so->server_get(ctx->st, ctx->arena, s->account_id, s->no, &full, &err) != 1) {
            e->out->over = true; /* fail the request rather than emit a wrong object */
            return;
        }
        s = &full;
    }
    size_t start = ncp_emit_obj_begin(e, member);
    act_emit_no(e, "serverInstanceNo", s->no);
    ncp_emit_str(e, "serverName", s->name);
    ncp_emit_str(e, "serverDescription", s->description);
    ncp_emit_int(e, "cpuCount", s->cpu);
    ncp_emit_int(e, "memorySize", s->memory);
    ncp_emit_int(e, "baseBlockStorageSize", s->base_size);
    ncp_emit_code(e, "platformType", s->platform, ncp_catalog_platform_name(s->platform));
    ncp_emit_str(e, "loginKeyName", s->login_key);
    ncp_emit_bool(e, "isFeeChargingMonitoring", s->fee_monitoring);
    ncp_emit_str(e, "publicIp", s->public_ip);
    ncp_emit_str(e, "privateIp", s->private_ip);
    ncp_emit_str(e, "serverImageName", s->image_name);
    ncp_emit_code(e, "serverInstanceStatus", ncp_state_status_code(s->status),
                  ncp_state_status_code_name(s->status));
    ncp_emit_code(e, "serverInstanceOperation", ncp_state_op_code(s->op),
                  ncp_state_op_code_name(s->op));
    ncp_emit_str(e, "serverInstanceStatusName", ncp_state_label(s->status, s->op));
    emit_date(e, "createDate", s->create_ms);
    emit_date(e, "uptime", s->uptime_ms);
    ncp_emit_str(e, "serverImageProductCode", s->image_code);
    ncp_emit_str(e, "serverProductCode", s->product_code);
    ncp_emit_bool(e, "isProtectServerTermination", s->protect);
    ncp_emit_str(e, "portForwardingPublicIp", s->pf_public_ip);
    if (s->pf_ext_port) {
        ncp_emit_int(e, "portForwardingExternalPort", s->pf_ext_port);
        ncp_emit_int(e, "portForwardingInternalPort", s->pf_int_port);
    }
    /* a catalogue replaced by the operator may lack an old server's zone */
    const ncp_zone_t *z = ncp_catalog_zone(s->zone_no);
    ncp_zone_t unknown_z = {s->zone_no, "", "", "", 0};
    const ncp_region_t *r = z ? ncp_catalog_region(z->region_no) : NULL;
    ncp_region_t unknown_r = {z ? z->region_no : 0, "", ""};
    act_emit_zone(e, "zone", z ? z : &unknown_z);
    act_emit_region(e, "region", r ? r : &unknown_r);
    ncp_emit_code(e, "baseBlockStorageDiskType", s->disk_type,
                  ncp_catalog_disk_type_name(s->disk_type));
    ncp_emit_code(e, "baseBlockStorageDiskDetailType", s->disk_detail,
                  ncp_catalog_disk_detail_name(s->disk_detail));
    /* the old XML Go SDK reads this spelling (DECISIONS D10), the same content */
    ncp_emit_code(e, "baseBlockStroageDiskDetailType", s->disk_detail,
                  ncp_catalog_disk_detail_name(s->disk_detail));
    ncp_emit_code(e, "serverInstanceType", s->instance_type,
                  ncp_catalog_server_type_name(s->instance_type));
    ncp_emit_str(e, "userData", with_user_data ? s->user_data : "");
    ncp_emit_str(e, "initScriptNo", s->init_script_no);
    ncp_emit_list_begin(e, "accessControlGroupList", "accessControlGroup");
    for (size_t i = 0; i < s->n_acgs; i++)
        act_emit_acg(e, &s->acgs[i]);
    ncp_emit_list_end(e);
    ncp_emit_list_begin(e, "instanceTagList", "instanceTag");
    for (size_t i = 0; i < s->n_tags; i++) {
        ncp_emit_obj_begin(e, NULL);
        act_emit_no(e, "instanceNo", s->no);
        ncp_emit_code(e, "instanceType", "SVR", "Server");
        ncp_emit_str(e, "tagKey", s->tags[i].key);
        ncp_emit_str(e, "tagValue", s->tags[i].value);
        ncp_emit_obj_end(e);
    }
    ncp_emit_list_end(e);
    if (s->n_parts) {
        ncp_emit_list_begin(e, "blockDevicePartitionList", "blockDevicePartition");
        for (size_t i = 0; i < s->n_parts; i++) {
            ncp_emit_obj_begin(e, NULL);
            ncp_emit_str(e, "mountPoint", s->parts[i].mount_point);
            ncp_emit_str(e, "partitionSize", s->parts[i].size);
            ncp_emit_obj_end(e);
        }
        ncp_emit_list_end(e);
    }
    ncp_emit_obj_end(e);
    if (cacheable && !e->out->over)
        act_frag_put(s->no, s->version, flags, e->out->data + start, e->out->len - start);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int act_server_resolve(ncp_ctx_t *ctx, const char *text, size_t len, ncp_server_t *out,
                       ncp_err_t *err)
{
    if (!ncp_spec_is_no(text, len)) {
        ncp_err_set(err, NCP_E_BAD_INSTANCE_NO);
        return -1;
    }
    int64_t no = act_no(text);
    ncp_instance_t in;
    int r = ctx->so->instance_get(ctx->st, no, &in, err);
    if (r < 0)
        return -1;
    /* another account's number, whatever its kind, reads as unknown (D7), and
     * so does any number of the VPC platform (the classic API never sees them) */
    if (r == 0 || in.account_id != ctx->account_id || in.deleted || ncp_kind_is_vpc(in.kind)) {
        ncp_err_set(err, NCP_E_BAD_SERVER_NO);
        return -1;
    }
    if (in.kind != NCP_KIND_SERVER) {
        ncp_err_set(err, NCP_E_BAD_INSTANCE_NO);
        return -1;
    }
    r = ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id, no, out, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_BAD_SERVER_NO);
    return r == 1 ? 0 : -1;
}

int act_servers_resolve(ncp_ctx_t *ctx, const char *param, ncp_server_t **out, size_t *n_out,
                        ncp_err_t *err)
{
    const ncp_arg_t *arg = ncp_arg(&ctx->args, param);
    ncp_server_t *v = ncp_arena_alloc(ctx->arena, (arg->n ? arg->n : 1) * sizeof(*v));
    int64_t *seen = ncp_arena_alloc(ctx->arena, (arg->n ? arg->n : 1) * sizeof(int64_t));
    size_t n_seen = 0;
    for (size_t i = 0; i < arg->n; i++) {
        if (!ncp_spec_is_no(arg->items[i], arg->lens[i])) {
            ncp_err_set(err, NCP_E_BAD_INSTANCE_NO);
            return -1;
        }
        int64_t no = act_no(arg->items[i]);
        /* duplicate? seen[] is kept sorted for a binary search */
        if (n_seen && bsearch(&no, seen, n_seen, sizeof(int64_t), cmp_i64)) {
            char val[24];
            snprintf(val, sizeof(val), "%" PRId64, no);
            ncp_err_set(err, NCP_E_DUPLICATE, param, val);
            return -1;
        }
        size_t pos = n_seen;
        while (pos && seen[pos - 1] > no) {
            seen[pos] = seen[pos - 1];
            pos--;
        }
        seen[pos] = no;
        n_seen++;
        if (act_server_resolve(ctx, arg->items[i], arg->lens[i], &v[i], err) < 0)
            return -1;
    }
    *out = v;
    *n_out = arg->n;
    return 0;
}

void act_rows_open(act_rows_t *r)
{
    if (r->started)
        return;
    ncp_env_begin(r->ctx->em, r->ctx->act->name, r->ctx->request_id, NULL);
    ncp_env_total_rows(r->ctx->em, r->total);
    ncp_emit_list_begin(r->ctx->em, r->list, r->item);
    r->started = true;
}

void act_rows_close(act_rows_t *r)
{
    act_rows_open(r);
    ncp_emit_list_end(r->ctx->em);
    ncp_env_end(r->ctx->em);
}

int act_server_row(void *p, const ncp_server_t *s)
{
    act_rows_t *r = p;
    act_rows_open(r);
    act_emit_server(r->ctx, s, r->ctx->detail);
    return 0;
}

/* ---- claim, act, confirm ------------------------------------------------ */

/* The driver operation of a transition kind and whether the fault switch
 * fails its call on `no` (or, when not 0, on `also`). */
static int claim_op(ncp_ctx_t *ctx, ncp_tr_kind_t kind, int64_t no, int64_t also, int *op_out,
                    ncp_err_t *err)
{
    int op = ncp_drv_op_of(kind);
    if (op < 0) {
        ncp_err_internal(err, "transition %d has no driver operation", (int)kind);
        return -1;
    }
    /* the fault switch lives in the store, so that one set through any node
     * applies on every node; taken in the claim's own transaction */
    int faulted = ctx->so->fault_take(ctx->st, op, no, err);
    if (faulted == 0 && also)
        faulted = ctx->so->fault_take(ctx->st, op, also, err);
    *op_out = op;
    return faulted;
}

static void add_intent(ncp_ctx_t *ctx, const ncp_server_t *s, int op, const char *arg,
                       bool faulted, int64_t no)
{
    ctx->intents = ncp_arena_grow(ctx->arena, ctx->intents, ctx->n_intents, &ctx->cap_intents,
                                  sizeof(ncp_intent_t), 4);
    ncp_intent_t *in = &ctx->intents[ctx->n_intents++];
    memset(in, 0, sizeof(*in));
    if (s)
        in->server = *s;
    in->op = (ncp_drv_op_t)op;
    in->arg = arg;
    in->faulted = faulted;
    in->no = no;
}

int act_claim(ncp_ctx_t *ctx, ncp_server_t *s, ncp_tr_kind_t kind, const char *arg,
              ncp_err_t *err)
{
    int op;
    int faulted = claim_op(ctx, kind, s->no, 0, &op, err);
    if (faulted < 0 || ncp_sched_claim(ctx->so, ctx->st, s, kind, arg, ctx->app->node_id, err) < 0)
        return -1;
    add_intent(ctx, s, op, arg, faulted == 1, s->no);
    return 0;
}

int act_claim_res(ncp_ctx_t *ctx, ncp_sched_res_t *r, ncp_tr_kind_t kind, const char *arg,
                  const ncp_server_t *s, ncp_err_t *err)
{
    int op;
    int faulted = claim_op(ctx, kind, r->no, s ? s->no : 0, &op, err);
    if (faulted < 0 ||
        ncp_sched_claim_res(ctx->so, ctx->st, r, kind, arg, ctx->app->node_id, err) < 0)
        return -1;
    add_intent(ctx, s, op, arg, faulted == 1, r->no);
    return 0;
}

/* A server of either platform: a VPC server (s->vpc) has its own renderer. */
static void emit_any_server(ncp_ctx_t *ctx, const ncp_server_t *s)
{
    if (s->vpc)
        act_vserver_emit(ctx, s);
    else
        act_emit_server(ctx, s, false);
}

void act_respond_servers(ncp_ctx_t *ctx, const ncp_err_t *status, const ncp_server_t *v,
                         const bool *ok, size_t n, int64_t total)
{
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, status);
    ncp_env_total_rows(ctx->em, total);
    ncp_emit_list_begin(ctx->em, "serverInstanceList", "serverInstance");
    for (size_t i = 0; i < n; i++)
        if (!ok || ok[i])
            emit_any_server(ctx, &v[i]);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
}

int act_respond_driven(ncp_ctx_t *ctx, ncp_err_t *err)
{
    if (ctx->respond)
        return ctx->respond(ctx, err); /* resources other than servers */
    size_t n = ctx->n_intents;
    unsigned failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += !ctx->intents[i].ok;
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
        if (ctx->intents[i].ok)
            emit_any_server(ctx, &ctx->intents[i].server);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

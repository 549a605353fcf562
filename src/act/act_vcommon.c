/* act_vcommon.c: pieces shared by the VPC APIs' handlers (act_vint.h). */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_vint.h"
#include "domain/vnet.h"
#include "render/envelope.h"
#include "store/store_vpc.h"
#include "store/store_vserver.h"
#include "util/clock.h"

int actv_region(ncp_ctx_t *ctx, const ncp_vregion_t **out, ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_spec_param(ctx->act, "regionCode") ? ncp_arg(&ctx->args, "regionCode")
                                                                : NULL;
    *out = a && a->present ? ncp_vcatalog_region(a->s) : ncp_vcatalog_default_region();
    if (!*out) {
        ncp_err_set(err, NCP_E_V_INVALID, "regionCode");
        return -1;
    }
    return 0;
}

int actv_zone(ncp_ctx_t *ctx, const ncp_vregion_t *region, const char *code, const char *param,
              const ncp_vzone_t **out, ncp_err_t *err)
{
    (void)ctx;
    *out = ncp_vcatalog_zone(code);
    if (!*out || strcmp((*out)->region, region->code) != 0) {
        ncp_err_set(err, NCP_E_V_INVALID, param);
        return -1;
    }
    return 0;
}

bool actv_name_ok(const char *s, size_t len)
{
    if (len < 3 || len > 30 || s[0] < 'a' || s[0] > 'z' || s[len - 1] == '-')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* Milliseconds for generated names, never the same twice in the process. */
static uint64_t stamp(int64_t now_ms)
{
    static _Atomic uint64_t last;
    uint64_t prev = atomic_load(&last), next;
    do {
        next = (uint64_t)now_ms > prev ? (uint64_t)now_ms : prev + 1;
    } while (!atomic_compare_exchange_weak(&last, &prev, next));
    return next;
}

int actv_name(ncp_ctx_t *ctx, const char *param, const char *prefix, const char **out,
              ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, param);
    if (!a->present) {
        *out = ncp_arena_printf(ctx->arena, "%s%" PRIx64, prefix, stamp(ctx->now_ms));
        return 0;
    }
    if (!actv_name_ok(a->s, a->len)) {
        ncp_err_set(err, NCP_E_V_INVALID, param);
        return -1;
    }
    *out = a->s;
    return 0;
}

const char *actv_text(ncp_ctx_t *ctx, const char *param)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, param);
    return a->present ? a->s : "";
}

int actv_new_no(ncp_ctx_t *ctx, ncp_kind_t kind, int64_t *out, ncp_err_t *err)
{
    if (ctx->so->instance_next_no(ctx->st, out, err) < 0)
        return -1;
    ncp_instance_t in = {*out, kind, ctx->account_id, false};
    return ctx->so->instance_put(ctx->st, &in, err);
}

int actv_start(ncp_ctx_t *ctx, int vtr_kind, int64_t no, const char *arg, ncp_err_t *err)
{
    const ncp_vpath_t *p = ncp_vstate_path(vtr_kind);
    if (!p) {
        ncp_err_internal(err, "no VPC path %d", vtr_kind);
        return -1;
    }
    const char *status = p->first.status, *op;
    if (p->first.flags & NCP_VSTEP_KEEP_STATUS) {
        int r = ncp_store_v_state(ctx->st, ctx->arena, p->res_kind, no, &status, &op, err);
        if (r <= 0) {
            if (r == 0)
                ncp_err_internal(err, "instance %" PRId64 " is gone", no);
            return -1;
        }
    }
    if (ncp_store_v_set_state(ctx->st, p->res_kind, no, status, p->first.op, ctx->now_ms, err) < 0)
        return -1;
    int64_t step = ctx->app->step_ms;
    ncp_trans_t t = {.no = no,
                     .res_kind = p->res_kind,
                     .account_id = ctx->account_id,
                     .kind = (ncp_tr_kind_t)vtr_kind,
                     .due_ms = ctx->now_ms + step,
                     .wait_ms = step,
                     .phase = NCP_PHASE_RUNNING,
                     .owner = "",
                     .arg = arg};
    if (ctx->so->trans_put(ctx->st, &t, err) < 0)
        return -1;
    ctx->kick = true;
    return 0;
}

int actv_server_fields(ncp_ctx_t *ctx, ncp_server_t *s, ncp_err_t *err)
{
    ncp_vserver_t *v = ncp_arena_alloc(ctx->arena, sizeof(*v));
    int r = ncp_store_vserver_get(ctx->st, ctx->arena, s->no, v, err);
    if (r == 0)
        ncp_err_internal(err, "server %" PRId64 " has no VPC fields", s->no);
    if (r <= 0)
        return -1;
    s->vpc = v;
    return 0;
}

int actv_server(ncp_ctx_t *ctx, const char *text, size_t len, ncp_server_t *out,
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
    /* unknown, another account's, terminated or the classic platform's: unknown */
    if (r == 0 || in.account_id != ctx->account_id || in.deleted || !ncp_kind_is_vpc(in.kind)) {
        ncp_err_set(err, NCP_E_BAD_SERVER_NO);
        return -1;
    }
    if (in.kind != NCP_KIND_VSERVER) {
        ncp_err_set(err, NCP_E_BAD_INSTANCE_NO);
        return -1;
    }
    r = ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id, no, out, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_BAD_SERVER_NO);
    if (r != 1)
        return -1;
    return actv_server_fields(ctx, out, err);
}

void actv_list_begin(ncp_ctx_t *ctx, int64_t total, const char *list, const char *item)
{
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, total);
    ncp_emit_list_begin(ctx->em, list, item);
}

void actv_list_end(ncp_ctx_t *ctx)
{
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
}

void actv_page(ncp_ctx_t *ctx, size_t n, size_t *from, size_t *to)
{
    *from = 0;
    *to = n;
    if (!ncp_spec_param(ctx->act, "pageSize"))
        return;
    int64_t offset, limit;
    act_page(&ctx->args, &offset, &limit);
    if (limit <= 0)
        return;
    *from = (uint64_t)offset < n ? (size_t)offset : n;
    *to = (uint64_t)limit < n - *from ? *from + (size_t)limit : n;
}

bool actv_in_list(const ncp_arg_t *a, int64_t no)
{
    if (!a->present)
        return true;
    for (size_t i = 0; i < a->n; i++)
        if (act_no(a->items[i]) == no)
            return true;
    return false;
}

bool actv_in_strs(const ncp_arg_t *a, const char *s)
{
    if (!a->present)
        return true;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->items[i], s) == 0)
            return true;
    return false;
}

bool actv_arg_is(const ncp_arg_t *a, const char *have)
{
    return !a->present || strcmp(a->s, have) == 0;
}

int64_t actv_vpc_filter(ncp_ctx_t *ctx)
{
    const ncp_arg_t *v = ncp_arg(&ctx->args, "vpcNo");
    return v->present ? act_no(v->s) : 0;
}

/* ---- rendering ---------------------------------------------------------------- */

void actv_emit_date(ncp_emit_t *e, const char *name, int64_t ms)
{
    char b[NCP_DATE_LEN];
    ncp_emit_str(e, name, ncp_clock_fmt(ms, b, sizeof(b)));
}

void actv_emit_state(ncp_emit_t *e, const char *name, ncp_kind_t kind, const char *code)
{
    ncp_emit_code(e, name, code, ncp_vstate_code_name(kind, code));
}

void actv_emit_nos(ncp_emit_t *e, const char *list, const char *item, const int64_t *nos,
                   size_t n)
{
    ncp_emit_list_begin(e, list, item);
    for (size_t i = 0; i < n; i++)
        act_emit_no(e, NULL, nos[i]);
    ncp_emit_list_end(e);
}

void actv_emit_vpc(ncp_emit_t *e, const ncp_vpc_t *v)
{
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "vpcNo", v->no);
    ncp_emit_str(e, "vpcName", v->name);
    ncp_emit_str(e, "ipv4CidrBlock", v->cidr);
    actv_emit_state(e, "vpcStatus", NCP_KIND_VPC, v->status);
    ncp_emit_str(e, "regionCode", v->region);
    actv_emit_date(e, "createDate", v->create_ms);
    ncp_emit_obj_end(e);
}

static const char *subnet_type_name(const char *c)
{
    return strcmp(c, "PUBLIC") == 0 ? "Public" : "Private";
}

static const char *usage_name(const char *c)
{
    if (strcmp(c, "LOADB") == 0)
        return "LoadBalancer Only";
    if (strcmp(c, "NATGW") == 0)
        return "NAT Gateway Only";
    if (strcmp(c, "BM") == 0)
        return "BareMetal Only";
    return "General";
}

void actv_emit_subnet(ncp_emit_t *e, const ncp_vsubnet_t *s)
{
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "subnetNo", s->no);
    act_emit_no(e, "vpcNo", s->vpc_no);
    ncp_emit_str(e, "zoneCode", s->zone);
    ncp_emit_str(e, "subnetName", s->name);
    ncp_emit_str(e, "subnet", s->cidr);
    actv_emit_state(e, "subnetStatus", NCP_KIND_VSUBNET, s->status);
    actv_emit_date(e, "createDate", s->create_ms);
    ncp_emit_code(e, "subnetType", s->type, subnet_type_name(s->type));
    ncp_emit_code(e, "usageType", s->usage, usage_name(s->usage));
    act_emit_no(e, "networkAclNo", s->nacl_no);
    ncp_emit_obj_end(e);
}

void actv_emit_nacl(ncp_emit_t *e, const ncp_nacl_t *n)
{
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "networkAclNo", n->no);
    ncp_emit_str(e, "networkAclName", n->name);
    act_emit_no(e, "vpcNo", n->vpc_no);
    actv_emit_state(e, "networkAclStatus", NCP_KIND_NACL, n->status);
    ncp_emit_str(e, "networkAclDescription", n->description);
    actv_emit_date(e, "createDate", n->create_ms);
    ncp_emit_bool(e, "isDefault", n->is_default);
    ncp_emit_obj_end(e);
}

void actv_emit_acg(ncp_emit_t *e, const ncp_vacg_t *g)
{
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "accessControlGroupNo", g->no);
    ncp_emit_str(e, "accessControlGroupName", g->name);
    ncp_emit_bool(e, "isDefault", g->is_default);
    act_emit_no(e, "vpcNo", g->vpc_no);
    actv_emit_state(e, "accessControlGroupStatus", NCP_KIND_VACG, g->status);
    ncp_emit_str(e, "accessControlGroupDescription", g->description);
    ncp_emit_obj_end(e);
}

void actv_emit_nic(ncp_emit_t *e, const ncp_vnic_t *n)
{
    char dev[16] = "";
    if (n->device >= 0 && n->server_no)
        snprintf(dev, sizeof(dev), "eth%d", n->device);
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "networkInterfaceNo", n->no);
    ncp_emit_str(e, "networkInterfaceName", n->name);
    act_emit_no(e, "subnetNo", n->subnet_no);
    ncp_emit_bool(e, "deleteOnTermination", n->delete_on_termination);
    ncp_emit_bool(e, "isDefault", n->is_default);
    ncp_emit_str(e, "deviceName", dev);
    actv_emit_state(e, "networkInterfaceStatus", NCP_KIND_VNIC, n->status);
    if (n->server_no) {
        ncp_emit_code(e, "instanceType", "VSVR", "Server (VPC)");
        act_emit_no(e, "instanceNo", n->server_no);
    } else {
        ncp_emit_str(e, "instanceNo", "");
    }
    ncp_emit_str(e, "ip", n->ip);
    ncp_emit_str(e, "macAddress", n->mac);
    actv_emit_nos(e, "accessControlGroupNoList", "accessControlGroupNo", n->acgs, n->n_acgs);
    ncp_emit_str(e, "networkInterfaceDescription", n->description);
    ncp_emit_list_begin(e, "secondaryIpList", "secondaryIp");
    ncp_emit_list_end(e);
    ncp_emit_obj_end(e);
}

/* ---- addresses and ACG lists ----------------------------------------------------- */

int actv_subnet_ip(ncp_ctx_t *ctx, const ncp_vsubnet_t *sn, const char *want, const char *param,
                   const char **out, ncp_err_t *err)
{
    ncp_cidr_t c;
    char ip[16];
    if (ncp_cidr_parse(sn->cidr, &c) < 0) {
        ncp_err_internal(err, "subnet %" PRId64 " has a bad CIDR %s", sn->no, sn->cidr);
        return -1;
    }
    /* .0-.5 are the platform's (network, gateway, DNS, reserved), the last
     * address is the broadcast: interfaces take .6 onwards */
    uint32_t lo = ncp_cidr_first(&c) + 6, hi = ncp_cidr_last(&c) - 1;
    if (want) {
        uint32_t a;
        if (ncp_ip_parse(want, &a) < 0 || a < lo || a > hi) {
            ncp_err_set(err, NCP_E_V_INVALID, param);
            return -1;
        }
        int r = ncp_store_vnic_ip_taken(ctx->st, sn->no, ncp_ip_fmt(a, ip), err);
        if (r < 0)
            return -1;
        if (r == 1) {
            char why[96];
            snprintf(why, sizeof(why), "%s (%s is in use)", param, ip);
            ncp_err_set(err, NCP_E_V_INVALID, why);
            return -1;
        }
        *out = ncp_arena_strdup(ctx->arena, ip);
        return 0;
    }
    for (uint32_t a = lo; a <= hi && a >= lo; a++) {
        int r = ncp_store_vnic_ip_taken(ctx->st, sn->no, ncp_ip_fmt(a, ip), err);
        if (r < 0)
            return -1;
        if (r == 0) {
            *out = ncp_arena_strdup(ctx->arena, ip);
            return 0;
        }
    }
    char why[96];
    snprintf(why, sizeof(why), "subnetNo (no free IP address left in %s)", sn->cidr);
    ncp_err_set(err, NCP_E_V_INVALID, why);
    return -1;
}

const char *actv_mac(ncp_ctx_t *ctx, int64_t no)
{
    uint32_t x = (uint32_t)((uint64_t)no * 2654435761u);
    return ncp_arena_printf(ctx->arena, "F2:20:%02X:%02X:%02X:%02X", x >> 24, (x >> 16) & 255,
                            (x >> 8) & 255, x & 255);
}

int actv_acgs(ncp_ctx_t *ctx, const char *const *items, size_t n, int64_t vpc_no,
              const char *param, int64_t *out, ncp_err_t *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!ncp_spec_is_no(items[i], strlen(items[i]))) {
            ncp_err_set(err, NCP_E_V_INVALID, param);
            return -1;
        }
        out[i] = act_no(items[i]);
        for (size_t k = 0; k < i; k++)
            if (out[k] == out[i]) {
                char why[96];
                snprintf(why, sizeof(why), "%s. duplicated value : %" PRId64, param, out[i]);
                ncp_err_set(err, NCP_E_V_INVALID, why);
                return -1;
            }
        ncp_vacg_t g;
        int r = ncp_store_vacg_get(ctx->st, ctx->arena, ctx->account_id, out[i], &g, err);
        if (r < 0)
            return -1;
        if (r == 0 || g.vpc_no != vpc_no) {
            char why[96];
            snprintf(why, sizeof(why), "%s (%" PRId64 " is no ACG of VPC %" PRId64 ")", param,
                     out[i], vpc_no);
            ncp_err_set(err, NCP_E_V_INVALID, why);
            return -1;
        }
    }
    return 0;
}

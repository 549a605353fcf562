/* act_vacg.c: access control groups of the VPC API (spec/vpc/vserver.md §4).
 *
 * An ACG belongs to a VPC and is applied to network interfaces. Created
 * RUN and empty (the VPC's default ACG comes with its rules); every rule
 * change moves it SET -> RUN (one step), and a change while it is SET is
 * 1007009, which Terraform retries. Deleted at once (a poll must never see
 * TERMT: the provider waits RUN -> gone), refused for the default ACG, an
 * ACG on an interface, and one that another ACG's rule names. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "act/act_vint.h"
#include "domain/vnet.h"
#include "render/envelope.h"
#include "store/store_vpc.h"
#include "store/store_vserver.h"

static void answer_acg(ncp_ctx_t *ctx, const ncp_vacg_t *g)
{
    actv_list_begin(ctx, g ? 1 : 0, "accessControlGroupList", "accessControlGroup");
    if (g)
        actv_emit_acg(ctx->em, g);
    actv_list_end(ctx);
}

/* The caller's ACG; unknown: `code` (1100000 accessControlGroupNo, or 1007000). */
static int own_acg(ncp_ctx_t *ctx, ncp_err_code_t code, ncp_vacg_t *g, ncp_err_t *err)
{
    int r = ncp_store_vacg_get(ctx->st, ctx->arena, ctx->account_id,
                               act_no(ncp_arg(&ctx->args, "accessControlGroupNo")->s), g, err);
    if (r == 0) {
        if (code == NCP_E_V_INVALID)
            ncp_err_set(err, code, "accessControlGroupNo");
        else
            ncp_err_set(err, code);
    }
    return r == 1 ? 0 : -1;
}

/* vpcNo of the request must be the ACG's. */
static int same_vpc(ncp_ctx_t *ctx, const ncp_vacg_t *g, ncp_err_t *err)
{
    if (act_no(ncp_arg(&ctx->args, "vpcNo")->s) != g->vpc_no) {
        ncp_err_set(err, NCP_E_V_INVALID, "vpcNo");
        return -1;
    }
    return 0;
}

int act_vserver_createAccessControlGroup(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vpc_t vpc;
    int r = ncp_store_vpc_get(ctx->st, ctx->arena, ctx->account_id,
                              act_no(ncp_arg(&ctx->args, "vpcNo")->s), &vpc, err);
    if (r < 0)
        return -1;
    if (r == 0 || strcmp(vpc.status, "TERMTING") == 0) {
        ncp_err_set(err, NCP_E_V_INVALID, "vpcNo");
        return -1;
    }
    if (strcmp(vpc.status, "RUN") != 0) {
        ncp_err_set(err, NCP_E_V_VPC_BUSY);
        return -1;
    }
    ncp_vacg_t g = {.account_id = ctx->account_id, .vpc_no = vpc.no, .status = "RUN",
                    .create_ms = ctx->now_ms};
    if (actv_name(ctx, "accessControlGroupName", "acg-", &g.name, err) < 0)
        return -1;
    g.description = actv_text(ctx, "accessControlGroupDescription");
    if (strlen(g.description) > 1000) {
        ncp_err_set(err, NCP_E_V_INVALID, "accessControlGroupDescription");
        return -1;
    }
    if ((r = ncp_store_vacg_name_taken(ctx->st, vpc.no, g.name, err)) < 0)
        return -1;
    if (r == 1) {
        ncp_err_set(err, NCP_E_V_INVALID, "accessControlGroupName is duplicated.");
        return -1;
    }
    if (actv_new_no(ctx, NCP_KIND_VACG, &g.no, err) < 0 || ncp_store_vacg_put(ctx->st, &g, err) < 0)
        return -1;
    answer_acg(ctx, &g);
    return 0;
}

int act_vserver_getAccessControlGroupDetail(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vacg_t g;
    int r = ncp_store_vacg_get(ctx->st, ctx->arena, ctx->account_id,
                               act_no(ncp_arg(&ctx->args, "accessControlGroupNo")->s), &g, err);
    if (r < 0)
        return -1;
    answer_acg(ctx, r == 1 ? &g : NULL);
    return 0;
}

int act_vserver_getAccessControlGroupList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *name = ncp_arg(A, "accessControlGroupName");
    const ncp_arg_t *status = ncp_arg(A, "accessControlGroupStatusCode");
    const ncp_arg_t *nos = ncp_arg(A, "accessControlGroupNoList");
    ncp_vacg_t *v;
    size_t n, m = 0;
    if (ncp_store_vacg_list(ctx->st, ctx->arena, ctx->account_id,
                            actv_vpc_filter(ctx), &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (actv_in_list(nos, v[i].no) && actv_arg_is(name, v[i].name) &&
            actv_arg_is(status, v[i].status))
            v[m++] = v[i];
    size_t from, to;
    actv_page(ctx, m, &from, &to);
    actv_list_begin(ctx, (int64_t)m, "accessControlGroupList", "accessControlGroup");
    for (size_t i = from; i < to; i++)
        actv_emit_acg(ctx->em, &v[i]);
    actv_list_end(ctx);
    return 0;
}

int act_vserver_deleteAccessControlGroup(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vacg_t g;
    if (actv_region(ctx, &region, err) < 0 || own_acg(ctx, NCP_E_V_INVALID, &g, err) < 0 ||
        same_vpc(ctx, &g, err) < 0)
        return -1;
    if (g.is_default) {
        ncp_err_set(err, NCP_E_V_INVALID, "The default ACG cannot be deleted.");
        return -1;
    }
    if (strcmp(g.status, "RUN") != 0) {
        ncp_err_set(err, NCP_E_V_ACG_BUSY);
        return -1;
    }
    int64_t nics = 0, rules = 0;
    if (ncp_store_vacg_users(ctx->st, g.no, &nics, &rules, err) < 0)
        return -1;
    if (nics) {
        ncp_err_set(err, NCP_E_V_INVALID, "The ACG is in use by a network interface.");
        return -1;
    }
    if (rules) {
        ncp_err_set(err, NCP_E_V_INVALID, "The ACG is named by a rule of another ACG.");
        return -1;
    }
    if (ncp_store_vacg_delete(ctx->st, g.no, err) < 0)
        return -1;
    g.status = "TERMT";
    answer_acg(ctx, &g);
    return 0;
}

/* ---- rules ------------------------------------------------------------------------ */

static void emit_rule(ncp_emit_t *e, const ncp_vacg_rule_t *r)
{
    char lower[16];
    int number = atoi(r->protocol);
    const char *name = r->protocol;
    if (strcmp(r->protocol, "TCP") == 0)
        number = 6, name = "tcp";
    else if (strcmp(r->protocol, "UDP") == 0)
        number = 17, name = "udp";
    else if (strcmp(r->protocol, "ICMP") == 0)
        number = 1, name = "icmp";
    snprintf(lower, sizeof(lower), "%s", name);
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "accessControlGroupNo", r->acg_no);
    ncp_emit_obj_begin(e, "protocolType");
    ncp_emit_str(e, "code", r->protocol);
    ncp_emit_str(e, "codeName", lower);
    ncp_emit_int(e, "number", number);
    ncp_emit_obj_end(e);
    ncp_emit_str(e, "ipBlock", r->ip_block);
    if (r->peer_acg_no)
        act_emit_no(e, "accessControlGroupSequence", r->peer_acg_no);
    else
        ncp_emit_str(e, "accessControlGroupSequence", "");
    ncp_emit_str(e, "portRange", r->port_range);
    ncp_emit_code(e, "accessControlGroupRuleType", r->inbound ? "INBND" : "OTBND",
                  r->inbound ? "Inbound" : "Outbound");
    ncp_emit_str(e, "accessControlGroupRuleDescription", r->description);
    ncp_emit_obj_end(e);
}

/* The rules of an ACG (one direction: inbound 1 / 0, or both: -1). */
static int answer_rules(ncp_ctx_t *ctx, int64_t acg_no, int inbound, ncp_err_t *err)
{
    ncp_vacg_rule_t *v;
    size_t n, m = 0;
    if (ncp_store_vacg_rule_list(ctx->st, ctx->arena, acg_no, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (inbound < 0 || v[i].inbound == (inbound == 1))
            v[m++] = v[i];
    actv_list_begin(ctx, (int64_t)m, "accessControlGroupRuleList", "accessControlGroupRule");
    for (size_t i = 0; i < m; i++)
        emit_rule(ctx->em, &v[i]);
    actv_list_end(ctx);
    return 0;
}

int act_vserver_getAccessControlGroupRuleList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vacg_t g;
    if (actv_region(ctx, &region, err) < 0 || own_acg(ctx, NCP_E_V_ACG_NOT_FOUND, &g, err) < 0)
        return -1;
    const ncp_arg_t *t = ncp_arg(&ctx->args, "accessControlGroupRuleTypeCode");
    return answer_rules(ctx, g.no, t->present ? strcmp(t->s, "INBND") == 0 : -1, err);
}

/* 1100000 for field `field` of rule k of the request. */
static int bad_rule(size_t k, const char *field, ncp_err_t *err)
{
    char loc[96];
    snprintf(loc, sizeof(loc), "accessControlGroupRuleList.%zu.%s", k + 1, field);
    ncp_err_set(err, NCP_E_V_INVALID, loc);
    return -1;
}

/* A port range: "n" or "n-m", 1 <= n <= m <= 65535. */
static bool port_range_ok(const char *s)
{
    char *end;
    if (*s < '1' || *s > '9')
        return false;
    long a = strtol(s, &end, 10), b = a;
    if (*end == '-') {
        if (end[1] < '1' || end[1] > '9')
            return false;
        b = strtol(end + 1, &end, 10);
    }
    return *end == '\0' && a >= 1 && b <= 65535 && a <= b;
}

/* Rule k of the request, checked; add: also the description and exactly one
 * of ipBlock / accessControlGroupSequence. */
static int read_rule(ncp_ctx_t *ctx, const ncp_vacg_t *g, bool inbound, bool add, size_t k,
                     ncp_vacg_rule_t *r, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const char *L = "accessControlGroupRuleList";
    const char *proto = ncp_arg_field(A, L, k, "protocolTypeCode");
    const char *ip = ncp_arg_field(A, L, k, "ipBlock");
    const char *peer = ncp_arg_field(A, L, k, "accessControlGroupSequence");
    const char *port = ncp_arg_field(A, L, k, "portRange");
    const char *desc = add ? ncp_arg_field(A, L, k, "accessControlGroupRuleDescription") : NULL;
    memset(r, 0, sizeof(*r));
    r->acg_no = g->no;
    r->inbound = inbound;
    if (!proto) {
        char loc[96];
        snprintf(loc, sizeof(loc), "%s.%zu.protocolTypeCode", L, k + 1);
        ncp_err_set(err, NCP_E_REQUIRED, loc);
        return -1;
    }
    /* TCP, UDP, ICMP (any case) or an IP protocol number 1..254 */
    if (strcasecmp(proto, "TCP") == 0 || strcmp(proto, "6") == 0)
        r->protocol = "TCP";
    else if (strcasecmp(proto, "UDP") == 0 || strcmp(proto, "17") == 0)
        r->protocol = "UDP";
    else if (strcasecmp(proto, "ICMP") == 0 || strcmp(proto, "1") == 0)
        r->protocol = "ICMP";
    else {
        char *end;
        long v = strtol(proto, &end, 10);
        if (*proto < '1' || *proto > '9' || *end || v < 1 || v > 254)
            return bad_rule(k, "protocolTypeCode", err);
        r->protocol = ncp_arena_printf(ctx->arena, "%ld", v);
    }
    bool ported = strcmp(r->protocol, "TCP") == 0 || strcmp(r->protocol, "UDP") == 0;
    r->port_range = port ? port : "";
    if (ported ? !port || !port_range_ok(port) : port != NULL)
        return bad_rule(k, "portRange", err);
    r->ip_block = ip ? ip : "";
    if (ip) {
        ncp_cidr_t c;
        if (ncp_cidr_parse(ip, &c) < 0)
            return bad_rule(k, "ipBlock", err);
    }
    if (peer) {
        ncp_vacg_t pg;
        int res;
        if (!ncp_spec_is_no(peer, strlen(peer)))
            return bad_rule(k, "accessControlGroupSequence", err);
        r->peer_acg_no = act_no(peer);
        if ((res = ncp_store_vacg_get(ctx->st, ctx->arena, ctx->account_id, r->peer_acg_no, &pg,
                                      err)) < 0)
            return -1;
        if (res == 0 || pg.vpc_no != g->vpc_no)
            return bad_rule(k, "accessControlGroupSequence", err);
    }
    if (add && !ip == !peer)
        return bad_rule(k, ip ? "accessControlGroupSequence" : "ipBlock", err);
    r->description = desc ? desc : "";
    if (strlen(r->description) > 1000)
        return bad_rule(k, "accessControlGroupRuleDescription", err);
    return 0;
}

static bool same_rule(const ncp_vacg_rule_t *a, const ncp_vacg_rule_t *b)
{
    return a->inbound == b->inbound && strcmp(a->protocol, b->protocol) == 0 &&
           strcmp(a->ip_block, b->ip_block) == 0 && a->peer_acg_no == b->peer_acg_no &&
           strcmp(a->port_range, b->port_range) == 0;
}

static int change_rules(ncp_ctx_t *ctx, bool inbound, bool add, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vacg_t g;
    if (actv_region(ctx, &region, err) < 0 || own_acg(ctx, NCP_E_V_ACG_NOT_FOUND, &g, err) < 0 ||
        same_vpc(ctx, &g, err) < 0)
        return -1;
    if (strcmp(g.status, "RUN") != 0) {
        ncp_err_set(err, NCP_E_V_ACG_BUSY);
        return -1;
    }
    const ncp_arg_t *list = ncp_arg(&ctx->args, "accessControlGroupRuleList");
    ncp_vacg_rule_t *have;
    size_t n_have;
    if (ncp_store_vacg_rule_list(ctx->st, ctx->arena, g.no, &have, &n_have, err) < 0)
        return -1;
    ncp_vacg_rule_t *req = ncp_arena_alloc(ctx->arena, (list->n ? list->n : 1) * sizeof(*req));
    for (size_t k = 0; k < list->n; k++) {
        if (read_rule(ctx, &g, inbound, add, k, &req[k], err) < 0)
            return -1;
        if (!add)
            continue;
        bool dup = false;
        for (size_t i = 0; i < n_have; i++)
            dup |= same_rule(&have[i], &req[k]);
        for (size_t i = 0; i < k; i++)
            dup |= same_rule(&req[i], &req[k]);
        if (dup) {
            char why[96];
            snprintf(why, sizeof(why), "accessControlGroupRuleList.%zu (the rule exists)", k + 1);
            ncp_err_set(err, NCP_E_V_INVALID, why);
            return -1;
        }
    }
    for (size_t k = 0; k < list->n; k++) {
        if (add) {
            if (ncp_store_vacg_rule_add(ctx->st, &req[k], err) < 0)
                return -1;
            continue;
        }
        /* removing a rule that is not there is not an error: Terraform removes
         * exactly what it read */
        for (size_t i = 0; i < n_have; i++)
            if (have[i].no && same_rule(&have[i], &req[k])) {
                if (ncp_store_vacg_rule_delete(ctx->st, have[i].no, err) < 0)
                    return -1;
                have[i].no = 0;
            }
    }
    if (actv_start(ctx, NCP_VTR_ACG_SET, g.no, NULL, err) < 0)
        return -1;
    return answer_rules(ctx, g.no, -1, err);
}

int act_vserver_addAccessControlGroupInboundRule(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return change_rules(ctx, true, true, err);
}

int act_vserver_addAccessControlGroupOutboundRule(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return change_rules(ctx, false, true, err);
}

int act_vserver_removeAccessControlGroupInboundRule(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return change_rules(ctx, true, false, err);
}

int act_vserver_removeAccessControlGroupOutboundRule(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return change_rules(ctx, false, false, err);
}

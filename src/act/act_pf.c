/* act_pf.c: port forwarding (network-storage.md §2, interactions.md F1-F6,
 * DECISIONS D11): one configuration (one address) per account and zone,
 * made with the account's first server there; rules map an external port
 * of that address to port 22 (Linux) or 3389 (Windows) of one server, whose
 * portForwardingExternalPort / InternalPort show it. Rule changes are one
 * transaction each: the platform's 25033 (a change under way) never comes. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act/act_res.h"
#include "render/envelope.h"
#include "store/store_net.h"

static void emit_rule(ncp_ctx_t *ctx, const ncp_pf_config_t *c, const ncp_pf_rule_t *r)
{
    ncp_emit_t *e = ctx->em;
    ncp_emit_obj_begin(e, "portForwardingRule");
    act_emit_no(e, "portForwardingConfigurationNo", c->no);
    ncp_emit_str(e, "portForwardingPublicIp", c->ip);
    act_emit_zone_no(e, "zone", c->zone_no);
    ncp_emit_int(e, "portForwardingExternalPort", r->ext_port);
    ncp_emit_int(e, "portForwardingInternalPort", r->int_port);
    act_emit_server_no(ctx, "serverInstance", r->server_no);
    ncp_emit_obj_end(e);
}

/* ---- getPortForwardingRuleList --------------------------------------------------------- */

typedef struct rules {
    ncp_ctx_t *ctx;
    ncp_pf_rule_t *v;
    size_t n, cap;
} rules_t;

static int collect_rule(void *p, const ncp_pf_rule_t *r)
{
    rules_t *rs = p;
    rs->v = ncp_arena_grow(rs->ctx->arena, rs->v, rs->n, &rs->cap, sizeof(*rs->v), 8);
    rs->v[rs->n++] = *r;
    return 0;
}

int act_getPortForwardingRuleList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_zone_t *zone;
    if (act_zone_param(ctx, 0, &zone, err) < 0)
        return -1;
    ncp_pf_config_t c = {0};
    rules_t rs = {ctx, NULL, 0, 0};
    int r = ncp_store_pf_config_of_zone(ctx->st, ctx->arena, ctx->account_id, zone->no, &c, err);
    if (r < 0 || (r == 1 && ncp_store_pf_rule_list(ctx->st, ctx->arena, c.no, collect_rule, &rs,
                                                   err) < 0))
        return -1;
    ncp_emit_t *e = ctx->em;
    /* the configuration at the top as the 2017 API and the Python SDK read it, and
     * in each rule as the Go SDK v2 does (network-storage.md §2.1) */
    ncp_env_begin(e, ctx->act->name, ctx->request_id, NULL);
    if (r == 1)
        act_emit_no(e, "portForwardingConfigurationNo", c.no);
    else
        ncp_emit_str(e, "portForwardingConfigurationNo", "");
    ncp_emit_str(e, "portForwardingPublicIp", r == 1 ? c.ip : "");
    ncp_env_total_rows(e, (int64_t)rs.n);
    act_emit_zone_no(e, "zone", zone->no);
    ncp_emit_list_begin(e, "portForwardingRuleList", "portForwardingRule");
    for (size_t i = 0; i < rs.n; i++)
        emit_rule(ctx, &c, &rs.v[i]);
    ncp_emit_list_end(e);
    ncp_env_end(e);
    return 0;
}

/* ---- getPortForwardingConfigurationList ---------------------------------------------- */

typedef struct configs {
    ncp_ctx_t *ctx;
    ncp_pf_config_t *v;
    size_t n, cap;
} configs_t;

static int collect_config(void *p, const ncp_pf_config_t *c)
{
    configs_t *cs = p;
    cs->v = ncp_arena_grow(cs->ctx->arena, cs->v, cs->n, &cs->cap, sizeof(*cs->v), 4);
    cs->v[cs->n++] = *c;
    return 0;
}

int act_getPortForwardingConfigurationList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    configs_t cs = {ctx, NULL, 0, 0};
    if (ncp_store_pf_config_list(ctx->st, ctx->arena, ctx->account_id, collect_config, &cs,
                                 err) < 0)
        return -1;
    const int64_t *zones;
    size_t n_zones;
    act_zone_filter(ctx, &zones, &n_zones);
    const ncp_arg_t *servers = ncp_arg(A, "serverInstanceNoList");
    const ncp_arg_t *ips = ncp_arg(A, "portForwardingPublicIpList");
    /* the zones of the named servers (unknown numbers name none) */
    int64_t *server_zones = ncp_arena_alloc(ctx->arena, (servers->n ? servers->n : 1) *
                                                            sizeof(int64_t));
    for (size_t i = 0; i < servers->n; i++) {
        ncp_server_t s;
        int r = ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id,
                                    act_no(servers->items[i]), &s, err);
        if (r < 0)
            return -1;
        server_zones[i] = r == 1 ? s.zone_no : -1;
    }
    ncp_pf_config_t *keep = ncp_arena_alloc(ctx->arena, (cs.n ? cs.n : 1) * sizeof(*keep));
    size_t n = 0;
    for (size_t i = 0; i < cs.n; i++) {
        bool ok = true;
        if (zones) {
            ok = false;
            for (size_t k = 0; k < n_zones; k++)
                ok |= zones[k] == cs.v[i].zone_no;
        }
        if (ok && servers->present) {
            ok = false;
            for (size_t k = 0; k < servers->n; k++)
                ok |= server_zones[k] == cs.v[i].zone_no;
        }
        if (ok && ips->present) {
            ok = false;
            for (size_t k = 0; k < ips->n; k++)
                ok |= strcmp(ips->items[k], cs.v[i].ip) == 0;
        }
        if (ok)
            keep[n++] = cs.v[i];
    }
    ncp_emit_t *e = ctx->em;
    act_answer_begin(ctx, (int64_t)n, "portForwardingConfigurationList",
                     "portForwardingConfiguration");
    for (size_t i = 0; i < n; i++) {
        int64_t *nos;
        size_t m;
        if (ncp_store_pf_zone_servers(ctx->st, ctx->arena, ctx->account_id, keep[i].zone_no, &nos,
                                      &m, err) < 0)
            return -1;
        ncp_emit_obj_begin(e, NULL);
        act_emit_no(e, "portForwardingConfigurationNo", keep[i].no);
        ncp_emit_str(e, "portForwardingPublicIp", keep[i].ip);
        ncp_emit_list_begin(e, "serverInstanceNoList", "serverInstanceNo");
        for (size_t k = 0; k < m; k++)
            act_emit_no(e, NULL, nos[k]);
        ncp_emit_list_end(e);
        ncp_emit_obj_end(e);
    }
    act_answer_end(ctx);
    return 0;
}

/* ---- add / delete ------------------------------------------------------------------------- */

/* One rule of the request, checked: server, external port, internal port. */
static int rule_of_request(ncp_ctx_t *ctx, const ncp_pf_config_t *c, size_t i, ncp_pf_rule_t *out,
                           ncp_server_t *server_out, ncp_err_t *err)
{
    static const char list[] = "portForwardingRuleList";
    const ncp_args_t *A = &ctx->args;
    const char *no = ncp_arg_field(A, list, i, "serverInstanceNo");
    const char *ext = ncp_arg_field(A, list, i, "portForwardingExternalPort");
    const char *in = ncp_arg_field(A, list, i, "portForwardingInternalPort");
    const char *missing = !no ? "serverInstanceNo" : !ext ? "portForwardingExternalPort"
                                                   : !in  ? "portForwardingInternalPort"
                                                          : NULL;
    char loc[96];
    if (missing) {
        snprintf(loc, sizeof(loc), "%s.%zu.%s", list, i + 1, missing);
        ncp_err_set(err, NCP_E_REQUIRED, loc);
        return -1;
    }
    if (act_server_resolve(ctx, no, strlen(no), server_out, err) < 0)
        return -1;
    int64_t e = 0, p = 0;
    bool windows = strncmp(server_out->platform, "WND", 3) == 0;
    /* F2: external 1024-65534; internal 22 (Linux) or 3389 (Windows) */
    if (ncp_spec_parse_int(ext, strlen(ext), &e) < 0 || e < 1024 || e > 65534) {
        snprintf(loc, sizeof(loc), "%s.%zu.portForwardingExternalPort", list, i + 1);
        ncp_err_set(err, NCP_E_INVALID_PARAM, loc);
        return -1;
    }
    if (ncp_spec_parse_int(in, strlen(in), &p) < 0 || p != (windows ? 3389 : 22)) {
        snprintf(loc, sizeof(loc), "%s.%zu.portForwardingInternalPort", list, i + 1);
        ncp_err_set(err, NCP_E_INVALID_PARAM, loc);
        return -1;
    }
    if (server_out->zone_no != c->zone_no) { /* F4 */
        snprintf(loc, sizeof(loc), "%s.%zu.serverInstanceNo", list, i + 1);
        ncp_err_set(err, NCP_E_INVALID_PARAM, loc);
        return -1;
    }
    *out = (ncp_pf_rule_t){c->no, server_out->no, (int)e, (int)p};
    return 0;
}

static int config_resolve(ncp_ctx_t *ctx, ncp_pf_config_t *c, ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, "portForwardingConfigurationNo");
    int64_t no;
    if (act_res_resolve(ctx, "portForwardingConfigurationNo", a->s, a->len, NCP_KIND_PF_CONFIG,
                        NCP_E_BAD_INSTANCE_NUMBER, &no,
                        err) < 0)
        return -1;
    int r = ncp_store_pf_config_get(ctx->st, ctx->arena, ctx->account_id, no, c, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_BAD_INSTANCE_NUMBER);
    return r == 1 ? 0 : -1;
}

static void answer_rules(ncp_ctx_t *ctx, const ncp_pf_config_t *c, const ncp_pf_rule_t *v,
                         size_t n)
{
    act_answer_begin(ctx, (int64_t)n, "portForwardingRuleList", "portForwardingRule");
    for (size_t i = 0; i < n; i++)
        emit_rule(ctx, c, &v[i]);
    act_answer_end(ctx);
}

int act_addPortForwardingRules(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_pf_config_t c;
    if (config_resolve(ctx, &c, err) < 0)
        return -1;
    const ncp_arg_t *list = ncp_arg(&ctx->args, "portForwardingRuleList");
    ncp_pf_rule_t *v = ncp_arena_alloc(ctx->arena, list->n * sizeof(*v));
    for (size_t i = 0; i < list->n; i++) {
        ncp_server_t s;
        ncp_pf_rule_t old;
        char loc[96];
        if (rule_of_request(ctx, &c, i, &v[i], &s, err) < 0)
            return -1;
        /* F3: one rule per server, external ports unique in the configuration */
        int r = ncp_store_pf_rule_of_server(ctx->st, s.no, &old, err);
        bool twice = false;
        for (size_t k = 0; k < i; k++)
            twice |= v[k].server_no == v[i].server_no;
        if (r < 0)
            return -1;
        if (r == 1 || twice) {
            snprintf(loc, sizeof(loc), "portForwardingRuleList.%zu.serverInstanceNo", i + 1);
            ncp_err_set(err, NCP_E_INVALID_PARAM, loc);
            return -1;
        }
        if ((r = ncp_store_pf_rule_at(ctx->st, c.no, v[i].ext_port, &old, err)) < 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            r |= v[k].ext_port == v[i].ext_port;
        if (r) {
            ncp_err_set(err, NCP_E_PF_PORT_IN_USE);
            return -1;
        }
    }
    for (size_t i = 0; i < list->n; i++)
        if (ncp_store_pf_rule_put(ctx->st, &v[i], err) < 0 ||
            ncp_store_server_set_pf_ports(ctx->st, v[i].server_no, v[i].ext_port, v[i].int_port,
                                          err) < 0)
            return -1;
    answer_rules(ctx, &c, v, list->n);
    return 0;
}

int act_deletePortForwardingRules(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_pf_config_t c;
    if (config_resolve(ctx, &c, err) < 0)
        return -1;
    const ncp_arg_t *list = ncp_arg(&ctx->args, "portForwardingRuleList");
    ncp_pf_rule_t *v = ncp_arena_alloc(ctx->arena, list->n * sizeof(*v));
    for (size_t i = 0; i < list->n; i++) {
        ncp_server_t s;
        ncp_pf_rule_t old;
        if (rule_of_request(ctx, &c, i, &v[i], &s, err) < 0)
            return -1;
        int r = ncp_store_pf_rule_at(ctx->st, c.no, v[i].ext_port, &old, err);
        bool twice = false;
        for (size_t k = 0; k < i; k++)
            twice |= v[k].ext_port == v[i].ext_port;
        if (r < 0)
            return -1;
        if (r == 0 || twice || old.server_no != v[i].server_no || old.int_port != v[i].int_port) {
            ncp_err_set(err, NCP_E_PF_RULE_NOT_FOUND); /* all three fields must match */
            return -1;
        }
    }
    for (size_t i = 0; i < list->n; i++)
        if (ncp_store_pf_rule_delete(ctx->st, c.no, v[i].ext_port, err) < 0 ||
            ncp_store_server_set_pf_ports(ctx->st, v[i].server_no, 0, 0, err) < 0)
            return -1;
    answer_rules(ctx, &c, v, list->n);
    return 0;
}

/* act_vpc.c: the /vpc/v2 actions (spec/vpc/vpc.md): VPCs with their default
 * network ACL, ACG and route tables, subnets, network ACLs, route tables.
 *
 * Dependencies are enforced where the objects are deleted: a VPC keeps its
 * subnets, non-default network ACLs and ACGs and interfaces from going; a
 * subnet its interfaces (so its servers); a network ACL the subnets it is
 * applied to; a default object goes only with its VPC. Objects in
 * transition refuse new work: a VPC not yet RUN answers 1001015 (which
 * Terraform retries), one being deleted 1100000. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_vint.h"
#include "domain/vnet.h"
#include "render/envelope.h"
#include "store/store_vpc.h"
#include "store/store_vserver.h"

/* One-object answers in the list envelope of the action. */
static void answer_vpc(ncp_ctx_t *ctx, const ncp_vpc_t *v)
{
    actv_list_begin(ctx, v ? 1 : 0, "vpcList", "vpc");
    if (v)
        actv_emit_vpc(ctx->em, v);
    actv_list_end(ctx);
}

static void answer_subnet(ncp_ctx_t *ctx, const ncp_vsubnet_t *s)
{
    actv_list_begin(ctx, s ? 1 : 0, "subnetList", "subnet");
    if (s)
        actv_emit_subnet(ctx->em, s);
    actv_list_end(ctx);
}

static void answer_nacl(ncp_ctx_t *ctx, const ncp_nacl_t *n)
{
    actv_list_begin(ctx, n ? 1 : 0, "networkAclList", "networkAcl");
    if (n)
        actv_emit_nacl(ctx->em, n);
    actv_list_end(ctx);
}

/* "{param} is duplicated." */
static int duplicated(const char *param, ncp_err_t *err)
{
    char why[96];
    snprintf(why, sizeof(why), "%s is duplicated.", param);
    ncp_err_set(err, NCP_E_V_INVALID, why);
    return -1;
}

/* A description of at most 1000 bytes (the platform counts bytes). */
static int description(ncp_ctx_t *ctx, const char *param, const char **out, ncp_err_t *err)
{
    *out = actv_text(ctx, param);
    if (strlen(*out) > 1000) {
        ncp_err_set(err, NCP_E_V_INVALID, param);
        return -1;
    }
    return 0;
}

/* The caller's VPC named by `param`; unknown 1100000. want_run: it must be
 * RUN (INIT / CREATING: 1001015, TERMTING: 1100000). */
static int own_vpc(ncp_ctx_t *ctx, const char *param, bool want_run, ncp_vpc_t *v,
                   ncp_err_t *err)
{
    int r = ncp_store_vpc_get(ctx->st, ctx->arena, ctx->account_id,
                              act_no(ncp_arg(&ctx->args, param)->s), v, err);
    if (r < 0)
        return -1;
    if (r == 0) {
        ncp_err_set(err, NCP_E_V_INVALID, param);
        return -1;
    }
    if (want_run && strcmp(v->status, "RUN") != 0) {
        if (strcmp(v->status, "TERMTING") == 0) {
            char why[96];
            snprintf(why, sizeof(why), "%s (the VPC is being deleted)", param);
            ncp_err_set(err, NCP_E_V_INVALID, why);
        } else {
            ncp_err_set(err, NCP_E_V_VPC_BUSY);
        }
        return -1;
    }
    return 0;
}

/* "{param} (... is {status})": an object that is not RUN. */
static int not_run(const char *param, const char *what, const char *status, ncp_err_t *err)
{
    char why[128];
    snprintf(why, sizeof(why), "%s (the %s is %s, not RUN)", param, what, status);
    ncp_err_set(err, NCP_E_V_INVALID, why);
    return -1;
}

/* ---- VPC ----------------------------------------------------------------------- */

/* The default ACG's rules (PROPOSED, spec/vpc/vserver.md §4.4): SSH and RDP
 * in from anywhere, everything out. */
static const struct {
    bool inbound;
    const char *protocol, *port;
} default_rules[] = {
    {true, "TCP", "22"},         {true, "TCP", "3389"}, {false, "TCP", "1-65535"},
    {false, "UDP", "1-65535"},   {false, "ICMP", ""},
};

int act_vpc_createVpc(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *cidr_a = ncp_arg(&ctx->args, "ipv4CidrBlock");
    ncp_cidr_t c;
    if (ncp_cidr_parse(cidr_a->s, &c) < 0 || !ncp_cidr_aligned(&c) || c.prefix < 16 ||
        c.prefix > 28 || !ncp_cidr_private(&c)) {
        ncp_err_set(err, NCP_E_V_INVALID, "ipv4CidrBlock");
        return -1;
    }
    ncp_vpc_t v = {.account_id = ctx->account_id, .cidr = cidr_a->s, .region = region->code,
                   .status = "INIT", .create_ms = ctx->now_ms};
    if (actv_name(ctx, "vpcName", "vpc-", &v.name, err) < 0)
        return -1;
    int r = ncp_store_vpc_name_taken(ctx->st, ctx->account_id, v.name, err);
    if (r < 0)
        return -1;
    if (r == 1)
        return duplicated("vpcName", err);
    if (actv_new_no(ctx, NCP_KIND_VPC, &v.no, err) < 0 || ncp_store_vpc_put(ctx->st, &v, err) < 0)
        return -1;

    /* the default objects, ready when the VPC is (spec/vpc/vpc.md §0) */
    ncp_nacl_t nacl = {.account_id = ctx->account_id, .vpc_no = v.no, .status = "RUN",
                       .is_default = true, .create_ms = ctx->now_ms};
    nacl.name = ncp_arena_printf(ctx->arena, "%s-default-network-acl", v.name);
    nacl.description = ncp_arena_printf(ctx->arena, "VPC [%s] default Network ACL", v.name);
    ncp_vacg_t acg = {.account_id = ctx->account_id, .vpc_no = v.no, .status = "RUN",
                      .is_default = true, .create_ms = ctx->now_ms};
    acg.name = ncp_arena_printf(ctx->arena, "%s-default-acg", v.name);
    acg.description = ncp_arena_printf(ctx->arena, "VPC [%s] default ACG", v.name);
    if (actv_new_no(ctx, NCP_KIND_NACL, &nacl.no, err) < 0 ||
        ncp_store_nacl_put(ctx->st, &nacl, err) < 0 ||
        actv_new_no(ctx, NCP_KIND_VACG, &acg.no, err) < 0 ||
        ncp_store_vacg_put(ctx->st, &acg, err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(default_rules) / sizeof(default_rules[0]); i++) {
        ncp_vacg_rule_t rule = {.acg_no = acg.no, .inbound = default_rules[i].inbound,
                                .protocol = default_rules[i].protocol, .ip_block = "0.0.0.0/0",
                                .port_range = default_rules[i].port, .description = ""};
        if (ncp_store_vacg_rule_add(ctx->st, &rule, err) < 0)
            return -1;
    }
    static const char *const types[] = {"PUBLIC", "PRIVATE"};
    for (size_t i = 0; i < 2; i++) {
        ncp_route_table_t t = {.account_id = ctx->account_id, .vpc_no = v.no,
                               .description = "", .region = region->code, .subnet_type = types[i],
                               .status = "RUN", .is_default = true, .create_ms = ctx->now_ms};
        t.name = ncp_arena_printf(ctx->arena, "%s-default-%s-table", v.name,
                                  i == 0 ? "public" : "private");
        if (actv_new_no(ctx, NCP_KIND_ROUTE_TABLE, &t.no, err) < 0 ||
            ncp_store_route_table_put(ctx->st, &t, err) < 0)
            return -1;
    }
    if (actv_start(ctx, NCP_VTR_VPC_CREATE, v.no, NULL, err) < 0)
        return -1;
    answer_vpc(ctx, &v);
    return 0;
}

int act_vpc_getVpcDetail(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vpc_t v;
    int r = ncp_store_vpc_get(ctx->st, ctx->arena, ctx->account_id,
                              act_no(ncp_arg(&ctx->args, "vpcNo")->s), &v, err);
    if (r < 0)
        return -1;
    answer_vpc(ctx, r == 1 ? &v : NULL);
    return 0;
}

int act_vpc_getVpcList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *name = ncp_arg(A, "vpcName"), *status = ncp_arg(A, "vpcStatusCode");
    const ncp_arg_t *nos = ncp_arg(A, "vpcNoList");
    ncp_vpc_t *v;
    size_t n, m = 0;
    if (ncp_store_vpc_list(ctx->st, ctx->arena, ctx->account_id, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].region, region->code) == 0 && actv_in_list(nos, v[i].no) &&
            actv_arg_is(name, v[i].name) &&
            actv_arg_is(status, v[i].status))
            v[m++] = v[i];
    actv_list_begin(ctx, (int64_t)m, "vpcList", "vpc");
    for (size_t i = 0; i < m; i++)
        actv_emit_vpc(ctx->em, &v[i]);
    actv_list_end(ctx);
    return 0;
}

int act_vpc_deleteVpc(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vpc_t v;
    if (actv_region(ctx, &region, err) < 0 || own_vpc(ctx, "vpcNo", true, &v, err) < 0)
        return -1;
    ncp_vpc_deps_t d;
    if (ncp_store_vpc_deps(ctx->st, v.no, &d, err) < 0)
        return -1;
    if (d.subnets || d.nacls || d.acgs || d.nics) {
        ncp_err_set(err, NCP_E_V_INVALID, "VPC has dependent resources.");
        return -1;
    }
    if (actv_start(ctx, NCP_VTR_VPC_DELETE, v.no, NULL, err) < 0)
        return -1;
    v.status = "TERMTING";
    answer_vpc(ctx, &v);
    return 0;
}

/* ---- subnets ---------------------------------------------------------------------- */

int act_vpc_createSubnet(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    const ncp_vzone_t *zone;
    ncp_vpc_t vpc;
    if (actv_region(ctx, &region, err) < 0 ||
        actv_zone(ctx, region, ncp_arg(A, "zoneCode")->s, "zoneCode", &zone, err) < 0 ||
        own_vpc(ctx, "vpcNo", true, &vpc, err) < 0)
        return -1;
    ncp_cidr_t c, vc;
    const char *cidr = ncp_arg(A, "subnet")->s;
    if (ncp_cidr_parse(vpc.cidr, &vc) < 0 || ncp_cidr_parse(cidr, &c) < 0 ||
        !ncp_cidr_aligned(&c) || c.prefix < 16 || c.prefix > 28 || !ncp_cidr_private(&c) ||
        !ncp_cidr_contains(&vc, &c)) {
        ncp_err_set(err, NCP_E_V_INVALID, "subnet");
        return -1;
    }
    ncp_vsubnet_t *others;
    size_t n;
    if (ncp_store_vsubnet_list(ctx->st, ctx->arena, ctx->account_id, vpc.no, &others, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        ncp_cidr_t o;
        if (ncp_cidr_parse(others[i].cidr, &o) == 0 && ncp_cidr_overlap(&o, &c)) {
            ncp_err_set(err, NCP_E_V_SUBNET_OVERLAP);
            return -1;
        }
    }
    ncp_nacl_t nacl;
    int r = ncp_store_nacl_get(ctx->st, ctx->arena, ctx->account_id,
                               act_no(ncp_arg(A, "networkAclNo")->s), &nacl, err);
    if (r < 0)
        return -1;
    if (r == 0 || nacl.vpc_no != vpc.no || strcmp(nacl.status, "TERMTING") == 0) {
        ncp_err_set(err, NCP_E_V_INVALID, "networkAclNo");
        return -1;
    }
    const ncp_arg_t *usage = ncp_arg(A, "usageTypeCode");
    ncp_vsubnet_t s = {.account_id = ctx->account_id, .vpc_no = vpc.no, .zone = zone->code,
                      .cidr = cidr, .status = "CREATING",
                      .type = ncp_arg(A, "subnetTypeCode")->s,
                      .usage = usage->present ? usage->s : "GEN", .nacl_no = nacl.no,
                      .create_ms = ctx->now_ms};
    if (actv_name(ctx, "subnetName", "subnet-", &s.name, err) < 0)
        return -1;
    if ((r = ncp_store_vsubnet_name_taken(ctx->st, vpc.no, s.name, err)) < 0)
        return -1;
    if (r == 1)
        return duplicated("subnetName", err);
    /* associated with the VPC's default route table of its type */
    ncp_route_table_t *tables;
    if (ncp_store_route_table_list(ctx->st, ctx->arena, ctx->account_id, vpc.no, &tables, &n,
                                   err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (tables[i].is_default && strcmp(tables[i].subnet_type, s.type) == 0)
            s.route_table_no = tables[i].no;
    if (actv_new_no(ctx, NCP_KIND_VSUBNET, &s.no, err) < 0 ||
        ncp_store_vsubnet_put(ctx->st, &s, err) < 0 ||
        actv_start(ctx, NCP_VTR_SUBNET_CREATE, s.no, NULL, err) < 0)
        return -1;
    answer_subnet(ctx, &s);
    return 0;
}

int act_vpc_getSubnetDetail(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vsubnet_t s;
    int r = ncp_store_vsubnet_get(ctx->st, ctx->arena, ctx->account_id,
                                 act_no(ncp_arg(&ctx->args, "subnetNo")->s), &s, err);
    if (r < 0)
        return -1;
    answer_subnet(ctx, r == 1 ? &s : NULL);
    return 0;
}

int act_vpc_getSubnetList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *nacl = ncp_arg(A, "networkAclNo");
    ncp_vsubnet_t *v;
    size_t n, m = 0;
    if (ncp_store_vsubnet_list(ctx->st, ctx->arena, ctx->account_id,
                               actv_vpc_filter(ctx), &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (actv_in_list(ncp_arg(A, "subnetNoList"), v[i].no) &&
            (!nacl->present || act_no(nacl->s) == v[i].nacl_no) &&
            actv_arg_is(ncp_arg(A, "subnetName"), v[i].name) &&
            actv_arg_is(ncp_arg(A, "subnet"), v[i].cidr) &&
            actv_arg_is(ncp_arg(A, "subnetTypeCode"), v[i].type) &&
            actv_arg_is(ncp_arg(A, "usageTypeCode"), v[i].usage) &&
            actv_arg_is(ncp_arg(A, "subnetStatusCode"), v[i].status) &&
            actv_arg_is(ncp_arg(A, "zoneCode"), v[i].zone))
            v[m++] = v[i];
    size_t from, to;
    actv_page(ctx, m, &from, &to);
    actv_list_begin(ctx, (int64_t)m, "subnetList", "subnet");
    for (size_t i = from; i < to; i++)
        actv_emit_subnet(ctx->em, &v[i]);
    actv_list_end(ctx);
    return 0;
}

int act_vpc_deleteSubnet(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vsubnet_t s;
    int r = ncp_store_vsubnet_get(ctx->st, ctx->arena, ctx->account_id,
                                 act_no(ncp_arg(&ctx->args, "subnetNo")->s), &s, err);
    if (r < 0)
        return -1;
    if (r == 0) {
        ncp_err_set(err, NCP_E_V_INVALID, "subnetNo");
        return -1;
    }
    if (strcmp(s.status, "RUN") != 0)
        return not_run("subnetNo", "subnet", s.status, err);
    int64_t users = 0;
    if (ncp_store_vsubnet_users(ctx->st, s.no, &users, err) < 0)
        return -1;
    if (users) {
        ncp_err_set(err, NCP_E_V_INVALID, "Subnet has dependent resources.");
        return -1;
    }
    if (actv_start(ctx, NCP_VTR_SUBNET_DELETE, s.no, NULL, err) < 0)
        return -1;
    s.status = "TERMTING";
    answer_subnet(ctx, &s);
    return 0;
}

/* ---- network ACLs --------------------------------------------------------------------- */

static int own_nacl(ncp_ctx_t *ctx, ncp_nacl_t *n, ncp_err_t *err)
{
    int r = ncp_store_nacl_get(ctx->st, ctx->arena, ctx->account_id,
                               act_no(ncp_arg(&ctx->args, "networkAclNo")->s), n, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_V_INVALID, "networkAclNo");
    return r == 1 ? 0 : -1;
}

int act_vpc_createNetworkAcl(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vpc_t vpc;
    ncp_nacl_t n = {.account_id = ctx->account_id, .status = "INIT", .create_ms = ctx->now_ms};
    if (actv_region(ctx, &region, err) < 0 || own_vpc(ctx, "vpcNo", true, &vpc, err) < 0 ||
        actv_name(ctx, "networkAclName", "nacl-", &n.name, err) < 0 ||
        description(ctx, "networkAclDescription", &n.description, err) < 0)
        return -1;
    n.vpc_no = vpc.no;
    int r = ncp_store_nacl_name_taken(ctx->st, vpc.no, n.name, err);
    if (r < 0)
        return -1;
    if (r == 1)
        return duplicated("networkAclName", err);
    if (actv_new_no(ctx, NCP_KIND_NACL, &n.no, err) < 0 ||
        ncp_store_nacl_put(ctx->st, &n, err) < 0 ||
        actv_start(ctx, NCP_VTR_NACL_CREATE, n.no, NULL, err) < 0)
        return -1;
    answer_nacl(ctx, &n);
    return 0;
}

int act_vpc_getNetworkAclDetail(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_nacl_t n;
    int r = ncp_store_nacl_get(ctx->st, ctx->arena, ctx->account_id,
                               act_no(ncp_arg(&ctx->args, "networkAclNo")->s), &n, err);
    if (r < 0)
        return -1;
    answer_nacl(ctx, r == 1 ? &n : NULL);
    return 0;
}

int act_vpc_getNetworkAclList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *name = ncp_arg(A, "networkAclName");
    const ncp_arg_t *status = ncp_arg(A, "networkAclStatusCode");
    const ncp_arg_t *nos = ncp_arg(A, "networkAclNoList");
    ncp_nacl_t *v;
    size_t n, m = 0;
    if (ncp_store_nacl_list(ctx->st, ctx->arena, ctx->account_id,
                            actv_vpc_filter(ctx), &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (actv_in_list(nos, v[i].no) && actv_arg_is(name, v[i].name) &&
            actv_arg_is(status, v[i].status))
            v[m++] = v[i];
    size_t from, to;
    actv_page(ctx, m, &from, &to);
    actv_list_begin(ctx, (int64_t)m, "networkAclList", "networkAcl");
    for (size_t i = from; i < to; i++)
        actv_emit_nacl(ctx->em, &v[i]);
    actv_list_end(ctx);
    return 0;
}

int act_vpc_deleteNetworkAcl(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_nacl_t n;
    if (actv_region(ctx, &region, err) < 0 || own_nacl(ctx, &n, err) < 0)
        return -1;
    if (n.is_default) {
        ncp_err_set(err, NCP_E_V_INVALID, "The default network ACL cannot be deleted.");
        return -1;
    }
    int64_t users = 0;
    if (ncp_store_nacl_users(ctx->st, n.no, &users, err) < 0)
        return -1;
    if (users) {
        ncp_err_set(err, NCP_E_V_INVALID, "The network ACL is applied to a subnet.");
        return -1;
    }
    if (strcmp(n.status, "RUN") != 0)
        return not_run("networkAclNo", "network ACL", n.status, err);
    if (actv_start(ctx, NCP_VTR_NACL_DELETE, n.no, NULL, err) < 0)
        return -1;
    n.status = "TERMTING";
    answer_nacl(ctx, &n);
    return 0;
}

int act_vpc_setNetworkAclDescription(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_nacl_t n;
    if (actv_region(ctx, &region, err) < 0 || own_nacl(ctx, &n, err) < 0 ||
        description(ctx, "networkAclDescription", &n.description, err) < 0)
        return -1;
    if (strcmp(n.status, "TERMTING") == 0)
        return not_run("networkAclNo", "network ACL", n.status, err);
    if (ncp_store_nacl_put(ctx->st, &n, err) < 0)
        return -1;
    answer_nacl(ctx, &n);
    return 0;
}

int act_vpc_setSubnetNetworkAcl(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_nacl_t n;
    if (actv_region(ctx, &region, err) < 0 || own_nacl(ctx, &n, err) < 0)
        return -1;
    ncp_vsubnet_t s;
    int r = ncp_store_vsubnet_get(ctx->st, ctx->arena, ctx->account_id,
                                 act_no(ncp_arg(&ctx->args, "subnetNo")->s), &s, err);
    if (r < 0)
        return -1;
    if (r == 0) {
        ncp_err_set(err, NCP_E_V_INVALID, "subnetNo");
        return -1;
    }
    if (n.vpc_no != s.vpc_no) {
        ncp_err_set(err, NCP_E_V_INVALID, "networkAclNo (not a network ACL of the subnet's VPC)");
        return -1;
    }
    if (strcmp(s.status, "RUN") != 0)
        return not_run("subnetNo", "subnet", s.status, err);
    if (strcmp(n.status, "RUN") != 0)
        return not_run("networkAclNo", "network ACL", n.status, err);
    s.nacl_no = n.no;
    if (ncp_store_vsubnet_put(ctx->st, &s, err) < 0 ||
        actv_start(ctx, NCP_VTR_NACL_SET, n.no, NULL, err) < 0)
        return -1;
    n.status = "SET";
    answer_nacl(ctx, &n);
    return 0;
}

/* ---- route tables --------------------------------------------------------------------- */

int act_vpc_getRouteTableList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *name = ncp_arg(A, "routeTableName");
    const ncp_arg_t *type = ncp_arg(A, "supportedSubnetTypeCode");
    const ncp_arg_t *nos = ncp_arg(A, "routeTableNoList");
    ncp_route_table_t *v;
    size_t n, m = 0;
    if (ncp_store_route_table_list(ctx->st, ctx->arena, ctx->account_id,
                                   actv_vpc_filter(ctx), &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (actv_in_list(nos, v[i].no) && actv_arg_is(name, v[i].name) &&
            actv_arg_is(type, v[i].subnet_type))
            v[m++] = v[i];
    const ncp_arg_t *by = ncp_arg(A, "sortedBy"), *order = ncp_arg(A, "sortingOrder");
    bool by_name = by->present && strcmp(by->s, "routeTableName") == 0;
    bool desc = order->present && strcmp(order->s, "descending") == 0;
    for (size_t i = 1; i < m; i++) /* insertion sort: a handful of tables */
        for (size_t k = i; k > 0; k--) {
            int c = by_name ? strcmp(v[k - 1].name, v[k].name) : 0;
            if (!c)
                c = v[k - 1].no < v[k].no ? -1 : v[k - 1].no > v[k].no;
            if (desc ? c >= 0 : c <= 0)
                break;
            ncp_route_table_t t = v[k - 1];
            v[k - 1] = v[k];
            v[k] = t;
        }
    size_t from, to;
    actv_page(ctx, m, &from, &to);
    actv_list_begin(ctx, (int64_t)m, "routeTableList", "routeTable");
    for (size_t i = from; i < to; i++) {
        ncp_emit_t *e = ctx->em;
        const ncp_route_table_t *t = &v[i];
        ncp_emit_obj_begin(e, NULL);
        act_emit_no(e, "routeTableNo", t->no);
        ncp_emit_str(e, "routeTableName", t->name);
        ncp_emit_str(e, "regionCode", t->region);
        act_emit_no(e, "vpcNo", t->vpc_no);
        ncp_emit_code(e, "supportedSubnetType", t->subnet_type,
                      strcmp(t->subnet_type, "PUBLIC") == 0 ? "Public" : "Private");
        ncp_emit_bool(e, "isDefault", t->is_default);
        actv_emit_state(e, "routeTableStatus", NCP_KIND_ROUTE_TABLE, t->status);
        ncp_emit_str(e, "routeTableDescription", t->description);
        ncp_emit_obj_end(e);
    }
    actv_list_end(ctx);
    return 0;
}

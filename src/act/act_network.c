/* act_network.c: private subnets and network interfaces (network-storage.md
 * §6; classic, made for bare metal). Classic has no action that creates a
 * subnet: an account has the ones it was given (the seed fixture's account
 * has one per zone). A network interface takes an address of its subnet and
 * is attached to at most one server of the subnet's zone; its statusCode is
 * CREAT while detached and USED while attached. The create, delete, attach
 * and detach answers carry only the envelope (the SDKs' response models). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act/act_res.h"
#include "store/store_net.h"

/* ---- lists ------------------------------------------------------------------------------ */

static int subnet_row(void *p, const ncp_subnet_t *s)
{
    act_rows_t *r = p;
    ncp_emit_t *e = r->ctx->em;
    act_rows_open(r);
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "privateSubnetInstanceNo", s->no);
    ncp_emit_str(e, "subnet", s->subnet);
    ncp_emit_str(e, "privateSubnetDescription", s->description);
    act_emit_date(e, "createDate", s->create_ms);
    ncp_emit_code(e, "privateSubnetInstanceStatus", "RUN", "Private subnet run state");
    ncp_emit_code(e, "privateSubnetInstanceOperation", "NULL", "Private subnet NULL OP");
    ncp_emit_str(e, "privateSubnetInstanceStatusName", "run");
    act_emit_region_of_zone(e, "region", s->zone_no);
    act_emit_zone_no(e, "zone", s->zone_no);
    ncp_emit_obj_end(e);
    return 0;
}

int act_getPrivateSubnetInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const int64_t *zones;
    size_t n_zones;
    int64_t offset, limit;
    act_zone_filter(ctx, &zones, &n_zones);
    act_paging(ctx, &offset, &limit);
    act_rows_t r = {ctx, 0, false, "privateSubnetInstanceList", "privateSubnetInstance"};
    if (ncp_store_subnet_list(ctx->st, ctx->arena, ctx->account_id, zones, n_zones, offset, limit,
                              &r.total, subnet_row, &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

static int nic_row(void *p, const ncp_nic_t *n)
{
    act_rows_t *r = p;
    ncp_emit_t *e = r->ctx->em;
    act_rows_open(r);
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "networkInterfaceNo", n->no);
    ncp_emit_str(e, "networkInterfaceName", n->name);
    ncp_emit_str(e, "networkInterfaceIp", n->ip);
    ncp_emit_str(e, "networkInterfaceDescription", n->description);
    if (n->server_no)
        act_emit_no(e, "serverInstanceNo", n->server_no);
    else
        ncp_emit_str(e, "serverInstanceNo", "");
    ncp_emit_str(e, "statusCode", n->server_no ? "USED" : "CREAT"); /* a plain string (SDKs) */
    act_emit_region_of_zone(e, "region", n->zone_no);
    act_emit_zone_no(e, "zone", n->zone_no);
    ncp_emit_obj_end(e);
    return 0;
}

int act_getNetworkInterfaceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const int64_t *zones;
    size_t n_zones;
    int64_t offset, limit;
    act_zone_filter(ctx, &zones, &n_zones);
    act_paging(ctx, &offset, &limit);
    act_rows_t r = {ctx, 0, false, "networkInterfaceList", "networkInterface"};
    if (ncp_store_nic_list(ctx->st, ctx->arena, ctx->account_id, zones, n_zones, offset, limit,
                           &r.total, nic_row, &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

/* ---- interfaces -------------------------------------------------------------------------- */

static int parse_ipv4(const char *s, uint32_t *out)
{
    unsigned a, b, c, d;
    char tail;
    if (sscanf(s, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 ||
        c > 255 || d > 255)
        return -1;
    char canon[16];
    snprintf(canon, sizeof(canon), "%u.%u.%u.%u", a, b, c, d);
    if (strcmp(canon, s) != 0)
        return -1;
    *out = a << 24 | b << 16 | c << 8 | d;
    return 0;
}

/* An address of the subnet (a.b.c.d/n) other than its network and broadcast ones. */
static bool inside(const char *subnet, const char *ip)
{
    char net[32];
    unsigned bits;
    uint32_t base, addr;
    const char *slash = strchr(subnet, '/');
    if (!slash || (size_t)(slash - subnet) >= sizeof(net) || sscanf(slash + 1, "%u", &bits) != 1 ||
        bits < 8 || bits > 30)
        return false;
    memcpy(net, subnet, (size_t)(slash - subnet));
    net[slash - subnet] = '\0';
    if (parse_ipv4(net, &base) < 0 || parse_ipv4(ip, &addr) < 0)
        return false;
    uint32_t mask = bits ? ~(uint32_t)0 << (32 - bits) : 0;
    return (addr & mask) == (base & mask) && (addr & ~mask) != 0 && (addr & ~mask) != ~mask;
}

static int nic_resolve(ncp_ctx_t *ctx, ncp_nic_t *out, ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, "networkInterfaceNo");
    int64_t no;
    if (act_res_resolve(ctx, "networkInterfaceNo", a->s, a->len, NCP_KIND_NIC,
                        NCP_E_BAD_INSTANCE_NUMBER, &no, err) < 0)
        return -1;
    int r = ncp_store_nic_get(ctx->st, ctx->arena, ctx->account_id, no, out, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_BAD_INSTANCE_NUMBER);
    return r == 1 ? 0 : -1;
}

/* A server of the caller in the interface's zone. */
static int nic_server(ncp_ctx_t *ctx, const ncp_arg_t *a, int64_t zone_no, ncp_server_t *s,
                      ncp_err_t *err)
{
    if (act_server_resolve(ctx, a->s, a->len, s, err) < 0)
        return -1;
    if (s->zone_no != zone_no) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "serverInstanceNo");
        return -1;
    }
    return 0;
}

int act_createNetworkInterface(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *sub_a = ncp_arg(A, "privateSubnetInstanceNo");
    int64_t sub_no;
    ncp_subnet_t sub;
    if (act_res_resolve(ctx, "privateSubnetInstanceNo", sub_a->s, sub_a->len, NCP_KIND_SUBNET,
                        NCP_E_BAD_INSTANCE_NUMBER,
                        &sub_no, err) < 0)
        return -1;
    int r = ncp_store_subnet_get(ctx->st, ctx->arena, ctx->account_id, sub_no, &sub, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_BAD_INSTANCE_NUMBER);
    if (r != 1)
        return -1;
    const ncp_arg_t *zone_a = ncp_arg(A, "zoneNo");
    if (zone_a->present && act_no(zone_a->s) != sub.zone_no) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "zoneNo");
        return -1;
    }
    const char *name = ncp_arg(A, "networkInterfaceName")->s;
    const char *ip = ncp_arg(A, "networkInterfaceIp")->s;
    if ((r = ncp_store_nic_name_taken(ctx->st, ctx->account_id, name, err)) != 0) {
        if (r == 1)
            ncp_err_set(err, NCP_E_NAME_IN_USE);
        return -1;
    }
    if (!inside(sub.subnet, ip) || (r = ncp_store_nic_ip_taken(ctx->st, sub.no, ip, err)) != 0) {
        if (r >= 0)
            ncp_err_set(err, NCP_E_INVALID_PARAM, "networkInterfaceIp");
        return -1;
    }
    ncp_server_t s;
    const ncp_arg_t *server_a = ncp_arg(A, "serverInstanceNo");
    if (server_a->present && nic_server(ctx, server_a, sub.zone_no, &s, err) < 0)
        return -1;
    const ncp_arg_t *desc = ncp_arg(A, "networkInterfaceDescription");
    ncp_nic_t n = {.account_id = ctx->account_id,
                   .name = name,
                   .ip = ip,
                   .description = desc->present ? desc->s : "",
                   .subnet_no = sub.no,
                   .server_no = server_a->present ? s.no : 0,
                   .zone_no = sub.zone_no,
                   .create_ms = ctx->now_ms};
    if (act_res_new_no(ctx, NCP_KIND_NIC, &n.no, err) < 0 || ncp_store_nic_put(ctx->st, &n, err) < 0)
        return -1;
    act_answer_empty(ctx);
    return 0;
}

int act_deleteNetworkInterface(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nic_t n;
    if (nic_resolve(ctx, &n, err) < 0)
        return -1;
    if (n.server_no) { /* detach it first */
        ncp_err_set(err, NCP_E_OBJECT_BUSY);
        return -1;
    }
    if (ncp_store_nic_delete(ctx->st, n.no, ctx->account_id, err) < 0)
        return -1;
    act_answer_empty(ctx);
    return 0;
}

int act_attachNetworkInterface(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nic_t n;
    ncp_server_t s;
    if (nic_resolve(ctx, &n, err) < 0 ||
        nic_server(ctx, ncp_arg(&ctx->args, "serverInstanceNo"), n.zone_no, &s, err) < 0)
        return -1;
    if (n.server_no) { /* attached already (to this server or another) */
        ncp_err_set(err, NCP_E_OBJECT_BUSY);
        return -1;
    }
    n.server_no = s.no;
    if (ncp_store_nic_put(ctx->st, &n, err) < 0)
        return -1;
    act_answer_empty(ctx);
    return 0;
}

int act_detachNetworkInterface(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nic_t n;
    ncp_server_t s;
    const ncp_arg_t *a = ncp_arg(&ctx->args, "serverInstanceNo");
    if (nic_resolve(ctx, &n, err) < 0 || act_server_resolve(ctx, a->s, a->len, &s, err) < 0)
        return -1;
    if (n.server_no != s.no) { /* not attached to this server */
        ncp_err_set(err, NCP_E_INVALID_PARAM, "serverInstanceNo");
        return -1;
    }
    n.server_no = 0;
    if (ncp_store_nic_put(ctx->st, &n, err) < 0)
        return -1;
    act_answer_empty(ctx);
    return 0;
}

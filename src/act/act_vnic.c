/* act_vnic.c: network interfaces (spec/vpc/vserver.md §5).
 *
 * An interface lives in a subnet with 1 to 3 ACGs of its VPC and a private
 * IP of the subnet (the next free one from .6, or the one asked). Attached
 * to a server of the same VPC as eth1, eth2 (eth0 is the one made with the
 * server, which goes with it), it moves SET -> USED; detached UNSET ->
 * NOTUSED; an ACG change SET -> its status before. Attachment changes at
 * once; the status follows one step later. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_vint.h"
#include "store/store_vpc.h"
#include "store/store_vserver.h"

#define NICS_PER_SERVER 3 /* eth0 .. eth2 (networkInterfaceMaxCount) */

static void answer_nic(ncp_ctx_t *ctx, const ncp_vnic_t *n)
{
    actv_list_begin(ctx, n ? 1 : 0, "networkInterfaceList", "networkInterface");
    if (n)
        actv_emit_nic(ctx->em, n);
    actv_list_end(ctx);
}

static int own_nic(ncp_ctx_t *ctx, ncp_vnic_t *n, ncp_err_t *err)
{
    int r = ncp_store_vnic_get(ctx->st, ctx->arena, ctx->account_id,
                              act_no(ncp_arg(&ctx->args, "networkInterfaceNo")->s), n, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_V_INVALID, "networkInterfaceNo");
    return r == 1 ? 0 : -1;
}

static int nic_busy(const ncp_vnic_t *n, ncp_err_t *err)
{
    char why[96];
    snprintf(why, sizeof(why), "networkInterfaceNo (the network interface is %s)", n->status);
    ncp_err_set(err, NCP_E_V_INVALID, why);
    return -1;
}

/* The device index a new interface of server s takes (the lowest free,
 * eth1 up), or -1 when the server has its maximum (3). */
static int free_device(ncp_ctx_t *ctx, const ncp_server_t *s, ncp_err_t *err, int *out)
{
    ncp_vnic_t *v;
    size_t n;
    if (ncp_store_vnic_of_server(ctx->st, ctx->arena, s->no, &v, &n, err) < 0)
        return -1;
    *out = -1;
    for (int d = 1; d < NICS_PER_SERVER && n < NICS_PER_SERVER; d++) {
        bool used = false;
        for (size_t i = 0; i < n; i++)
            used |= v[i].device == d;
        if (!used) {
            *out = d;
            break;
        }
    }
    return 0;
}

/* Attaches n to server s (the caller's VPC server): the checks shared by
 * createNetworkInterface and attachNetworkInterface. */
static int attach_to(ncp_ctx_t *ctx, const ncp_server_t *s, ncp_vnic_t *n, ncp_err_t *err)
{
    if (s->vpc->vpc_no != n->vpc_no) {
        ncp_err_set(err, NCP_E_V_INVALID, "serverInstanceNo (a server of another VPC)");
        return -1;
    }
    /* as block storage: RUN or NSTOP, the op NULL or the SETUP of a new server */
    if ((s->op != NCP_OP_NULL && s->op != NCP_OP_SETUP) ||
        (s->status != NCP_ST_RUN && s->status != NCP_ST_NSTOP)) {
        ncp_err_set(err, NCP_E_SERVER_BUSY);
        return -1;
    }
    int dev;
    if (free_device(ctx, s, err, &dev) < 0)
        return -1;
    if (dev < 0) {
        ncp_err_set(err, NCP_E_V_INVALID,
                    "serverInstanceNo (the server has 3 network interfaces already)");
        return -1;
    }
    n->server_no = s->no;
    n->device = dev;
    n->status = "SET";
    return 0;
}

int act_vserver_createNetworkInterface(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vpc_t vpc;
    int r = ncp_store_vpc_get(ctx->st, ctx->arena, ctx->account_id, act_no(ncp_arg(A, "vpcNo")->s),
                              &vpc, err);
    if (r < 0)
        return -1;
    if (r == 0 || strcmp(vpc.status, "RUN") != 0) {
        ncp_err_set(err, NCP_E_V_INVALID, "vpcNo");
        return -1;
    }
    ncp_vsubnet_t sn;
    if ((r = ncp_store_vsubnet_get(ctx->st, ctx->arena, ctx->account_id,
                                  act_no(ncp_arg(A, "subnetNo")->s), &sn, err)) < 0)
        return -1;
    if (r == 0 || sn.vpc_no != vpc.no || strcmp(sn.status, "RUN") != 0) {
        ncp_err_set(err, NCP_E_V_INVALID, "subnetNo");
        return -1;
    }
    if (ncp_arg(A, "secondaryIpList")->present || ncp_arg(A, "isBareMetal")->b) {
        ncp_err_set(err, NCP_E_V_INVALID, ncp_arg(A, "isBareMetal")->b
                                              ? "isBareMetal (not supported by this ncpd)"
                                              : "secondaryIpList (not supported by this ncpd)");
        return -1;
    }
    const ncp_arg_t *acg_a = ncp_arg(A, "accessControlGroupNoList");
    ncp_vnic_t n = {.account_id = ctx->account_id, .vpc_no = vpc.no, .subnet_no = sn.no,
                   .status = "NOTUSED", .device = -1, .create_ms = ctx->now_ms};
    n.n_acgs = acg_a->n;
    if (actv_acgs(ctx, (const char *const *)acg_a->items, acg_a->n, vpc.no,
                  "accessControlGroupNoList", n.acgs, err) < 0 ||
        actv_name(ctx, "networkInterfaceName", "nic-", &n.name, err) < 0)
        return -1;
    n.description = actv_text(ctx, "networkInterfaceDescription");
    if (strlen(n.description) > 1000) {
        ncp_err_set(err, NCP_E_V_INVALID, "networkInterfaceDescription");
        return -1;
    }
    const ncp_arg_t *ip = ncp_arg(A, "ip");
    if (actv_subnet_ip(ctx, &sn, ip->present ? ip->s : NULL, "ip", &n.ip, err) < 0)
        return -1;
    const ncp_arg_t *srv = ncp_arg(A, "serverInstanceNo");
    ncp_server_t s;
    if (srv->present && (actv_server(ctx, srv->s, srv->len, &s, err) < 0 ||
                         attach_to(ctx, &s, &n, err) < 0))
        return -1;
    if (actv_new_no(ctx, NCP_KIND_VNIC, &n.no, err) < 0)
        return -1;
    n.mac = actv_mac(ctx, n.no);
    if (ncp_store_vnic_put(ctx->st, &n, err) < 0 ||
        (srv->present && actv_start(ctx, NCP_VTR_NIC_ATTACH, n.no, NULL, err) < 0))
        return -1;
    answer_nic(ctx, &n);
    return 0;
}

int act_vserver_getNetworkInterfaceDetail(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vnic_t n;
    int r = ncp_store_vnic_get(ctx->st, ctx->arena, ctx->account_id,
                              act_no(ncp_arg(&ctx->args, "networkInterfaceNo")->s), &n, err);
    if (r < 0)
        return -1;
    answer_nic(ctx, r == 1 ? &n : NULL);
    return 0;
}

int act_vserver_deleteNetworkInterface(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vnic_t n;
    if (actv_region(ctx, &region, err) < 0 || own_nic(ctx, &n, err) < 0)
        return -1;
    if (n.server_no) {
        ncp_err_set(err, NCP_E_V_INVALID,
                    "networkInterfaceNo (the network interface is attached to a server)");
        return -1;
    }
    if (strcmp(n.status, "NOTUSED") != 0)
        return nic_busy(&n, err);
    if (ncp_store_vnic_delete(ctx->st, n.no, err) < 0)
        return -1;
    answer_nic(ctx, &n);
    return 0;
}

/* serverInstanceNo, networkInterfaceNo and subnetNo of attach / detach. */
static int attach_args(ncp_ctx_t *ctx, ncp_server_t *s, ncp_vnic_t *n, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    const ncp_arg_t *srv = ncp_arg(&ctx->args, "serverInstanceNo");
    if (actv_region(ctx, &region, err) < 0 || actv_server(ctx, srv->s, srv->len, s, err) < 0 ||
        own_nic(ctx, n, err) < 0)
        return -1;
    if (act_no(ncp_arg(&ctx->args, "subnetNo")->s) != n->subnet_no) {
        ncp_err_set(err, NCP_E_V_INVALID, "subnetNo");
        return -1;
    }
    return 0;
}

int act_vserver_attachNetworkInterface(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_server_t s;
    ncp_vnic_t n;
    if (attach_args(ctx, &s, &n, err) < 0)
        return -1;
    if (n.server_no || strcmp(n.status, "NOTUSED") != 0)
        return nic_busy(&n, err);
    if (attach_to(ctx, &s, &n, err) < 0 || ncp_store_vnic_put(ctx->st, &n, err) < 0 ||
        actv_start(ctx, NCP_VTR_NIC_ATTACH, n.no, NULL, err) < 0)
        return -1;
    answer_nic(ctx, &n);
    return 0;
}

int act_vserver_detachNetworkInterface(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_server_t s;
    ncp_vnic_t n;
    if (attach_args(ctx, &s, &n, err) < 0)
        return -1;
    if (n.server_no != s.no) {
        ncp_err_set(err, NCP_E_V_INVALID,
                    "networkInterfaceNo (not attached to that server)");
        return -1;
    }
    if (n.is_default || n.device == 0) {
        ncp_err_set(err, NCP_E_V_INVALID, "The default network interface cannot be detached.");
        return -1;
    }
    if (strcmp(n.status, "USED") != 0)
        return nic_busy(&n, err);
    if (s.op != NCP_OP_NULL && s.op != NCP_OP_SETUP) {
        ncp_err_set(err, NCP_E_SERVER_BUSY);
        return -1;
    }
    n.server_no = 0;
    n.device = -1;
    if (ncp_store_vnic_put(ctx->st, &n, err) < 0 ||
        actv_start(ctx, NCP_VTR_NIC_DETACH, n.no, NULL, err) < 0)
        return -1;
    n.status = "UNSET";
    answer_nic(ctx, &n);
    return 0;
}

static int change_acgs(ncp_ctx_t *ctx, bool add, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vnic_t n;
    if (actv_region(ctx, &region, err) < 0 || own_nic(ctx, &n, err) < 0)
        return -1;
    if (strcmp(n.status, "USED") != 0 && strcmp(n.status, "NOTUSED") != 0)
        return nic_busy(&n, err);
    const char *L = "accessControlGroupNoList";
    const ncp_arg_t *a = ncp_arg(&ctx->args, L);
    int64_t nos[NCP_NIC_MAX_ACGS];
    if (actv_acgs(ctx, (const char *const *)a->items, a->n, n.vpc_no, L, nos, err) < 0)
        return -1;
    const char *before = n.status;
    for (size_t i = 0; i < a->n; i++) {
        size_t at = n.n_acgs;
        for (size_t k = 0; k < n.n_acgs; k++)
            if (n.acgs[k] == nos[i])
                at = k;
        char why[128];
        if (add && at < n.n_acgs) {
            snprintf(why, sizeof(why), "%s (%" PRId64 " is on the network interface already)",
                     L, nos[i]);
            ncp_err_set(err, NCP_E_V_INVALID, why);
            return -1;
        }
        if (!add && at == n.n_acgs) {
            snprintf(why, sizeof(why), "%s (%" PRId64 " is not on the network interface)", L,
                     nos[i]);
            ncp_err_set(err, NCP_E_V_INVALID, why);
            return -1;
        }
        if (add) {
            if (n.n_acgs == NCP_NIC_MAX_ACGS) {
                ncp_err_set(err, NCP_E_V_INVALID,
                            "accessControlGroupNoList (at most 3 ACGs on a network interface)");
                return -1;
            }
            n.acgs[n.n_acgs++] = nos[i];
            continue;
        }
        if (n.n_acgs == 1) {
            ncp_err_set(err, NCP_E_V_NIC_ACG_MIN);
            return -1;
        }
        memmove(&n.acgs[at], &n.acgs[at + 1], (n.n_acgs - at - 1) * sizeof(int64_t));
        n.n_acgs--;
    }
    if (ncp_store_vnic_put(ctx->st, &n, err) < 0 ||
        actv_start(ctx, NCP_VTR_NIC_SET, n.no, before, err) < 0)
        return -1;
    n.status = "SET";
    answer_nic(ctx, &n);
    return 0;
}

int act_vserver_addNetworkInterfaceAccessControlGroup(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return change_acgs(ctx, true, err);
}

int act_vserver_removeNetworkInterfaceAccessControlGroup(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return change_acgs(ctx, false, err);
}

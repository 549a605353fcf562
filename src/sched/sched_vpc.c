/* sched_vpc.c: what transitions mean for the VPC platform's resources.
 *
 * Network objects, ACGs, interfaces, block storages and public IPs move
 * along the paths of domain/vstate.c; their transitions are written in
 * phase RUNNING by the action itself (no driver acts on them), so they are
 * never claimed, undone or re-driven. A VPC server is a server: its steps
 * are the server kind's (sched_server.c, state.c's paths, claim, act,
 * confirm), with two additions: a spec change takes the VPC catalogue's
 * spec, and once the server is gone (terminated, or a create the driver
 * refused) its VPC objects follow: interfaces made with it and its basic
 * storage go, other interfaces become NOTUSED, additional storages are
 * detached, a public IP is disassociated (spec/vpc/vserver.md §3.4). */
#include "sched/sched_int.h"

#include <string.h>

#include "domain/state.h"
#include "domain/vcatalog.h"
#include "domain/vstate.h"
#include "store/store_vpc.h"
#include "store/store_vserver.h"
#include "store/store_vstorage.h"
#include "util/log.h"

/* ---- network objects and the like ------------------------------------------------ */

static int vstep(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t, ncp_err_t *err)
{
    const ncp_store_ops_t *so = env->so;
    const ncp_vpath_t *p = ncp_vstate_path((int)t->kind);
    if (!p || p->res_kind != t->res_kind) {
        ncp_log_error("sched: instance=%lld has unknown VPC transition kind %d; clearing it",
                      (long long)t->no, (int)t->kind);
        return so->trans_delete(st, t->no, err);
    }
    const char *status, *op;
    int r = ncp_store_v_state(st, env->arena, t->res_kind, t->no, &status, &op, err);
    if (r < 0)
        return -1;
    if (r == 0) /* deleted meanwhile (with its server, its VPC): nothing left to do */
        return so->trans_delete(st, t->no, err);
    const ncp_vstep_t *step = &p->steps[t->step < p->nsteps ? t->step : p->nsteps - 1];
    if (step->flags & NCP_VSTEP_GONE) {
        if (ncp_store_v_gone(st, t->res_kind, t->no, err) < 0)
            return -1;
        return so->trans_delete(st, t->no, err);
    }
    if (step->flags & NCP_VSTEP_RESTORE)
        status = t->arg && *t->arg ? t->arg : status;
    else if (!(step->flags & NCP_VSTEP_KEEP_STATUS))
        status = step->status;
    if (ncp_store_v_set_state(st, t->res_kind, t->no, status, step->op, env->now_ms, err) < 0)
        return -1;
    t->step++;
    if (t->step >= p->nsteps)
        return so->trans_delete(st, t->no, err);
    return ncp_sched_next(env, st, t, err);
}

static int vundo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                 ncp_err_t *err)
{
    (void)env;
    (void)st;
    (void)t;
    (void)err;
    return 0; /* never claimed */
}

static int vredrive(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_driver_t *drv,
                    const ncp_trans_t *t, ncp_err_t *err)
{
    (void)env;
    (void)st;
    (void)drv;
    ncp_err_internal(err, "instance %lld: VPC transitions are never claimed", (long long)t->no);
    return -1;
}

#define VKIND(k, n) {k, n, vstep, vundo, vredrive}
static const ncp_sched_kind_t vkinds[] = {
    VKIND(NCP_KIND_VPC, "vpc"),
    VKIND(NCP_KIND_VSUBNET, "subnet"),
    VKIND(NCP_KIND_NACL, "networkAcl"),
    VKIND(NCP_KIND_VACG, "accessControlGroup"),
    VKIND(NCP_KIND_VNIC, "networkInterface"),
    VKIND(NCP_KIND_VSTORAGE, "blockStorage"),
    VKIND(NCP_KIND_VPUBLIC_IP, "publicIp"),
};

/* ---- VPC servers ------------------------------------------------------------------ */

/* A gone server's VPC objects (see the top of the file). */
static int vserver_cleanup(const ncp_sched_env_t *env, ncp_store_t *st, int64_t no,
                           int64_t account_id, ncp_err_t *err)
{
    ncp_arena_t *a = env->arena;
    ncp_vnic_t *nics;
    size_t n;
    if (ncp_store_vnic_of_server(st, a, no, &nics, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (nics[i].delete_on_termination) {
            if (ncp_store_vnic_delete(st, nics[i].no, err) < 0)
                return -1;
            continue;
        }
        nics[i].server_no = 0;
        nics[i].device = -1;
        nics[i].is_default = false;
        nics[i].status = "NOTUSED";
        if (ncp_store_v_trans_drop(st, nics[i].no, err) < 0 ||
            ncp_store_vnic_put(st, &nics[i], err) < 0)
            return -1;
    }
    ncp_vstorage_t *disks;
    if (ncp_store_vstorage_list(st, a, account_id, no, &disks, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (disks[i].server_no != no)
            continue;
        if (strcmp(disks[i].type, "BASIC") == 0) {
            if (ncp_store_vstorage_delete(st, disks[i].no, err) < 0)
                return -1;
            continue;
        }
        disks[i].server_no = 0;
        disks[i].device = "";
        disks[i].status = "CREAT";
        disks[i].op = "NULL";
        if (ncp_store_v_trans_drop(st, disks[i].no, err) < 0 ||
            ncp_store_vstorage_put(st, &disks[i], err) < 0)
            return -1;
    }
    ncp_vpip_t *ips;
    if (ncp_store_vpip_list(st, a, account_id, &ips, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (ips[i].server_no != no)
            continue;
        ips[i].server_no = 0;
        ips[i].status = "RUN";
        ips[i].op = "NULL";
        ips[i].modify_ms = env->now_ms;
        if (ncp_store_v_trans_drop(st, ips[i].no, err) < 0 ||
            ncp_store_vpip_put(st, &ips[i], err) < 0)
            return -1;
    }
    if (ncp_store_vserver_delete(st, no, err) < 0)
        return -1;
    return ncp_store_v_retire(st, no, NCP_KIND_VSERVER, err);
}

/* After a server step or undo: a server that is gone takes its VPC objects. */
static int vserver_after(const ncp_sched_env_t *env, ncp_store_t *st, int64_t no,
                         int64_t account_id, ncp_err_t *err)
{
    ncp_server_t s;
    int r = env->so->server_get(st, env->arena, account_id, no, &s, err);
    if (r != 0)
        return r < 0 ? -1 : 0;
    ncp_vserver_t v;
    r = ncp_store_vserver_get(st, env->arena, no, &v, err);
    if (r <= 0)
        return r;
    return vserver_cleanup(env, st, no, account_id, err);
}

/* A spec change of a VPC server takes the spec (code in t->arg) from the VPC
 * catalogue before the server step runs (the server step looks the code up
 * in the classic catalogue, where it is not). */
static int vserver_apply_spec(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                              ncp_err_t *err)
{
    const ncp_path_t *p = ncp_state_path(t->kind);
    if (!p || t->kind == NCP_TR_STORAGE || !t->arg)
        return 0;
    const ncp_step_t *step = &p->steps[t->step < p->nsteps ? t->step : p->nsteps - 1];
    const ncp_vspec_t *spec = ncp_vcatalog_spec_by_code(t->arg);
    if (!(step->flags & NCP_STEP_APPLY_SPEC) || !spec)
        return 0;
    ncp_server_t s;
    ncp_vserver_t v;
    int r = env->so->server_get(st, env->arena, t->account_id, t->no, &s, err);
    if (r <= 0)
        return r;
    if ((r = ncp_store_vserver_get(st, env->arena, t->no, &v, err)) <= 0)
        return r;
    s.product_code = spec->product_code;
    s.cpu = spec->cpu;
    s.memory = spec->memory;
    s.instance_type = spec->type;
    if (*spec->disk_detail)
        s.disk_detail = spec->disk_detail;
    v.spec_code = spec->code;
    if (env->so->server_put(st, &s, err) < 0)
        return -1;
    return ncp_store_vserver_put(st, t->no, t->account_id, &v, err);
}

static int vserver_step(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t,
                        ncp_err_t *err)
{
    int64_t no = t->no, account = t->account_id;
    if (vserver_apply_spec(env, st, t, err) < 0 ||
        ncp_sched_server_kind.step(env, st, t, err) < 0)
        return -1;
    return vserver_after(env, st, no, account, err);
}

static int vserver_undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                        ncp_err_t *err)
{
    if (ncp_sched_server_kind.undo(env, st, t, err) < 0)
        return -1;
    return vserver_after(env, st, t->no, t->account_id, err);
}

static int vserver_redrive(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_driver_t *drv,
                           const ncp_trans_t *t, ncp_err_t *err)
{
    return ncp_sched_server_kind.redrive(env, st, drv, t, err);
}

static const ncp_sched_kind_t vserver_kind = {
    .kind = NCP_KIND_VSERVER,
    .name = "vpcServer",
    .step = vserver_step,
    .undo = vserver_undo,
    .redrive = vserver_redrive,
};

const ncp_sched_kind_t *ncp_sched_vpc_kind(ncp_kind_t k)
{
    if (k == NCP_KIND_VSERVER)
        return &vserver_kind;
    for (size_t i = 0; i < sizeof(vkinds) / sizeof(vkinds[0]); i++)
        if (vkinds[i].kind == k)
            return &vkinds[i];
    return NULL;
}

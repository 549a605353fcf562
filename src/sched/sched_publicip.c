/* sched_publicip.c: public IPs (rstate.c's paths). Association and
 * replacement are visible at once (the server shows the address from the
 * request on, as Terraform waits for); a disassociation releases the
 * address at its end: the IP is free and the server's publicIp "". No
 * driver acts on addresses, so nothing is claimed or undone. */
#include "sched/sched_int.h"

#include <string.h>

#include "domain/rstate.h"
#include "store/store_net.h"

static int ip_effect(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t, int fx,
                     ncp_err_t *err)
{
    if (fx != NCP_FX_RELEASED)
        return 0;
    ncp_public_ip_t ip;
    int r = ncp_store_ip_get(st, env->arena, t->account_id, t->no, &ip, err);
    if (r <= 0 || !ip.server_no)
        return r;
    ncp_server_t s;
    r = env->so->server_get(st, env->arena, t->account_id, ip.server_no, &s, err);
    if (r < 0 ||
        (r == 1 && strcmp(s.public_ip, ip.ip) == 0 &&
         ncp_store_server_set_public_ip(st, ip.server_no, "", err) < 0))
        return -1;
    return ncp_store_ip_set_server(st, ip.no, 0, err);
}

static const ncp_res_hooks_t hooks = {ip_effect, NULL, NULL};

static int step(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t, ncp_err_t *err)
{
    return ncp_sched_res_step(env, st, t, &hooks, err);
}

static int undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                ncp_err_t *err)
{
    return ncp_sched_res_undo(env, st, t, &hooks, err);
}

static int redrive(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_driver_t *drv,
                   const ncp_trans_t *t, ncp_err_t *err)
{
    (void)env;
    (void)st;
    (void)drv;
    (void)t;
    (void)err;
    return 0; /* never claimed: nothing to ask a driver */
}

const ncp_sched_kind_t ncp_sched_publicip_kind = {
    .kind = NCP_KIND_PUBLIC_IP,
    .name = "public IP",
    .step = step,
    .undo = undo,
    .redrive = redrive,
};

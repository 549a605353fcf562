/* drv_sim.c: the built-in simulated hypervisor (libvirt test driver style).
 *
 * It keeps real state: the power state of every machine it has been asked
 * about, and refuses illegal operations (stopping a machine it knows is
 * off). The store remains the source of truth for what clients see; after
 * a restart the simulator learns machines again from the requests. A fault
 * table makes chosen operations fail, so partial failures (22001) and
 * driver errors (1300) are testable end to end. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "drv/drv.h"
#include "util/log.h"

typedef enum { P_UNKNOWN = 0, P_OFF, P_ON, P_GONE } power_t;

typedef struct fault {
    ncp_drv_op_t op;
    int64_t no;
    int times;
} fault_t;

typedef struct machine {
    int64_t no;
    power_t power;
} machine_t;

struct ncp_drv {
    pthread_mutex_t mu;
    fault_t *faults;
    size_t n_faults, cap_faults;
    machine_t *m;      /* open addressing, no == 0 free */
    size_t cap_m, n_m;
};

static ncp_drv_t *sim_open(const char *uri, ncp_err_t *err)
{
    (void)uri;
    (void)err;
    ncp_drv_t *d = calloc(1, sizeof(*d));
    if (!d)
        abort();
    pthread_mutex_init(&d->mu, NULL);
    d->cap_m = 1024;
    d->m = calloc(d->cap_m, sizeof(machine_t));
    if (!d->m)
        abort();
    return d;
}

static void sim_close(ncp_drv_t *d)
{
    if (!d)
        return;
    pthread_mutex_destroy(&d->mu);
    free(d->faults);
    free(d->m);
    free(d);
}

static machine_t *slot(ncp_drv_t *d, int64_t no)
{
    if ((d->n_m + 1) * 2 > d->cap_m) {
        size_t old = d->cap_m;
        machine_t *om = d->m;
        d->cap_m *= 2;
        d->m = calloc(d->cap_m, sizeof(machine_t));
        if (!d->m)
            abort();
        d->n_m = 0;
        for (size_t i = 0; i < old; i++)
            if (om[i].no) {
                machine_t *n = slot(d, om[i].no);
                n->power = om[i].power;
            }
        free(om);
    }
    size_t i = (size_t)((uint64_t)no * 0x9e3779b97f4a7c15ULL >> 20) & (d->cap_m - 1);
    while (d->m[i].no && d->m[i].no != no)
        i = (i + 1) & (d->cap_m - 1);
    if (!d->m[i].no) {
        d->m[i].no = no;
        d->m[i].power = P_UNKNOWN;
        d->n_m++;
    }
    return &d->m[i];
}

/* Consumes one matching fault; true when the operation must fail. */
static bool take_fault(ncp_drv_t *d, ncp_drv_op_t op, int64_t no)
{
    for (size_t i = 0; i < d->n_faults; i++) {
        fault_t *f = &d->faults[i];
        if (f->op == op && f->no == no && f->times > 0) {
            if (--f->times == 0)
                d->faults[i] = d->faults[--d->n_faults];
            return true;
        }
    }
    return false;
}

static int act(ncp_drv_t *d, ncp_drv_op_t op, const ncp_server_t *s, power_t need,
               power_t after, ncp_err_t *err)
{
    int ret = -1;
    pthread_mutex_lock(&d->mu);
    if (take_fault(d, op, s->no)) {
        ncp_err_internal(err, "sim: injected fault op=%d server=%lld", (int)op, (long long)s->no);
        goto cleanup;
    }
    machine_t *m = slot(d, s->no);
    if (m->power == P_GONE || (need != P_UNKNOWN && m->power != P_UNKNOWN && m->power != need)) {
        ncp_err_internal(err, "sim: machine %lld in wrong power state %d for op %d",
                         (long long)s->no, (int)m->power, (int)op);
        goto cleanup;
    }
    m->power = after;
    ret = 0;
cleanup:
    pthread_mutex_unlock(&d->mu);
    return ret;
}

static int sim_create(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_CREATE, s, P_UNKNOWN, P_ON, err);
}

static int sim_start(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_START, s, P_OFF, P_ON, err);
}

static int sim_stop(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_STOP, s, P_ON, P_OFF, err);
}

static int sim_reboot(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_REBOOT, s, P_ON, P_ON, err);
}

static int sim_terminate(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_TERMINATE, s, P_OFF, P_GONE, err);
}

static int sim_change_spec(ncp_drv_t *d, const ncp_server_t *s, const char *product,
                           ncp_err_t *err)
{
    (void)product;
    return act(d, NCP_DRV_CHANGE_SPEC, s, P_OFF, P_OFF, err);
}

static int sim_fault_set(ncp_drv_t *d, ncp_drv_op_t op, int64_t no, int times, ncp_err_t *err)
{
    (void)err;
    pthread_mutex_lock(&d->mu);
    if (d->n_faults == d->cap_faults) {
        d->cap_faults = d->cap_faults ? d->cap_faults * 2 : 8;
        d->faults = realloc(d->faults, d->cap_faults * sizeof(fault_t));
        if (!d->faults)
            abort();
    }
    d->faults[d->n_faults++] = (fault_t){op, no, times};
    pthread_mutex_unlock(&d->mu);
    return 0;
}

const ncp_drv_ops_t ncp_drv_sim_ops = {
    .abi = NCP_DRV_ABI,
    .name = "sim",
    .open = sim_open,
    .close = sim_close,
    .create = sim_create,
    .start = sim_start,
    .stop = sim_stop,
    .reboot = sim_reboot,
    .terminate = sim_terminate,
    .change_spec = sim_change_spec,
    .fault_set = sim_fault_set,
};

/* drv.c: registry and the "unsupported" wrapper. */
#include "drv/drv.h"

#include <string.h>

const ncp_drv_ops_t *ncp_drv_backend(const char *name)
{
    if (!name || strcmp(name, "sim") == 0)
        return &ncp_drv_sim_ops;
    if (strcmp(name, "libvirt") == 0)
        return &ncp_drv_libvirt_ops;
    return NULL;
}

unsigned ncp_drv_flags(const ncp_driver_t *drv)
{
    if (drv->ops->instance_flags)
        return drv->ops->instance_flags(drv->d);
    return drv->ops->flags;
}

int ncp_drv_op_of(ncp_tr_kind_t kind)
{
    switch (kind) {
    case NCP_TR_CREATE: return NCP_DRV_CREATE;
    case NCP_TR_STOP: return NCP_DRV_STOP;
    case NCP_TR_START: return NCP_DRV_START;
    case NCP_TR_REBOOT: return NCP_DRV_REBOOT;
    case NCP_TR_TERMINATE: return NCP_DRV_TERMINATE;
    case NCP_TR_CHANGE_SPEC: return NCP_DRV_CHANGE_SPEC;
    default: return -1;
    }
}

int ncp_drv_call(const ncp_driver_t *drv, ncp_drv_op_t op, const ncp_server_t *s,
                 const char *arg, ncp_err_t *err)
{
    const ncp_drv_ops_t *o = drv->ops;
    int (*fn)(ncp_drv_t *, const ncp_server_t *, ncp_err_t *) = NULL;
    switch (op) {
    case NCP_DRV_CREATE: fn = o->create; break;
    case NCP_DRV_START: fn = o->start; break;
    case NCP_DRV_STOP: fn = o->stop; break;
    case NCP_DRV_REBOOT: fn = o->reboot; break;
    case NCP_DRV_TERMINATE: fn = o->terminate; break;
    case NCP_DRV_CHANGE_SPEC:
        if (o->change_spec)
            return o->change_spec(drv->d, s, arg, err);
        break;
    case NCP_DRV__N: break;
    }
    if (!fn) {
        ncp_err_internal(err, "driver %s does not support operation %d", o->name, (int)op);
        return -1;
    }
    return fn(drv->d, s, err);
}

int ncp_drv_op_parse(const char *action)
{
    static const char *names[NCP_DRV__N] = {
        "createServerInstances", "startServerInstances",     "stopServerInstances",
        "rebootServerInstances", "terminateServerInstances", "changeServerInstanceSpec"};
    for (int i = 0; i < NCP_DRV__N; i++)
        if (strcmp(names[i], action) == 0)
            return i;
    return -1;
}

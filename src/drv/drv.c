/* drv.c: registry and the "unsupported" wrapper. */
#include "drv/drv.h"

#include <inttypes.h>
#include <stdio.h>
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
    case NCP_TR_RECREATE: return NCP_DRV_RECREATE;
    case NCP_TR_INTERRUPT: return NCP_DRV_INTERRUPT;
    case NCP_TR_DISK_CREATE: return NCP_DRV_DISK_CREATE;
    case NCP_TR_DISK_ATTACH: return NCP_DRV_DISK_ATTACH;
    case NCP_TR_DISK_DETACH: return NCP_DRV_DISK_DETACH;
    case NCP_TR_DISK_RESIZE: return NCP_DRV_DISK_RESIZE;
    case NCP_TR_DISK_DELETE:
    case NCP_TR_DISK_DETACH_DELETE: return NCP_DRV_DISK_DELETE;
    case NCP_TR_SNAP_CREATE: return NCP_DRV_DISK_SNAPSHOT;
    case NCP_TR_SNAP_DELETE: return NCP_DRV_SNAPSHOT_DELETE;
    case NCP_TR_IMAGE_CREATE: return NCP_DRV_IMAGE_CAPTURE;
    case NCP_TR_IMAGE_DELETE: return NCP_DRV_IMAGE_DELETE;
    default: return -1;
    }
}

/* The numbers of a volume operation's arg: up to three decimal numbers. */
static int nums(const char *arg, int64_t v[3], int need, ncp_err_t *err)
{
    int n = arg ? sscanf(arg, "%" SCNd64 " %" SCNd64 " %" SCNd64, &v[0], &v[1], &v[2]) : 0;
    if (n < need) {
        ncp_err_internal(err, "volume operation with a bad argument '%s'", arg ? arg : "");
        return -1;
    }
    return 0;
}

static int unsupported(const ncp_drv_ops_t *o, ncp_drv_op_t op, ncp_err_t *err)
{
    ncp_err_internal(err, "driver %s does not support operation %d", o->name, (int)op);
    return -1;
}

/* Volume operations: slots of ABI 2 and their issue-11 additions. */
static int call_volume(const ncp_driver_t *drv, ncp_drv_op_t op, const char *arg, ncp_err_t *err)
{
    const ncp_drv_ops_t *o = drv->ops;
    int64_t v[3] = {0, 0, 0};
    switch (op) {
    case NCP_DRV_DISK_CREATE:
        if (nums(arg, v, 3, err) < 0)
            return -1;
        if (!o->disk_create || !o->disk_attach)
            return unsupported(o, op, err);
        if (o->disk_create(drv->d, v[0], v[2], err) < 0)
            return -1;
        if (o->disk_attach(drv->d, v[1], v[0], err) < 0) {
            ncp_err_t ignored;
            ncp_err_init(&ignored);
            if (o->disk_delete)
                o->disk_delete(drv->d, v[0], &ignored); /* nothing is left behind */
            return -1;
        }
        return 0;
    case NCP_DRV_DISK_ATTACH:
    case NCP_DRV_DISK_DETACH: {
        if (nums(arg, v, 2, err) < 0)
            return -1;
        int (*fn)(ncp_drv_t *, int64_t, int64_t, ncp_err_t *) =
            op == NCP_DRV_DISK_ATTACH ? o->disk_attach : o->disk_detach;
        return fn ? fn(drv->d, v[1], v[0], err) : unsupported(o, op, err);
    }
    case NCP_DRV_DISK_DELETE:
        if (nums(arg, v, 1, err) < 0)
            return -1;
        if (!o->disk_delete || (v[1] && !o->disk_detach))
            return unsupported(o, op, err);
        if (v[1] && o->disk_detach(drv->d, v[1], v[0], err) < 0)
            return -1;
        return o->disk_delete(drv->d, v[0], err);
    case NCP_DRV_DISK_RESIZE:
        if (nums(arg, v, 2, err) < 0)
            return -1;
        return o->disk_resize ? o->disk_resize(drv->d, v[0], v[1], err) : unsupported(o, op, err);
    case NCP_DRV_DISK_SNAPSHOT:
    case NCP_DRV_IMAGE_CAPTURE:
        if (nums(arg, v, 2, err) < 0)
            return -1;
        return o->disk_snapshot ? o->disk_snapshot(drv->d, v[0], v[1], err)
                                : unsupported(o, op, err);
    case NCP_DRV_SNAPSHOT_DELETE:
    case NCP_DRV_IMAGE_DELETE:
        if (nums(arg, v, 1, err) < 0)
            return -1;
        return o->disk_delete ? o->disk_delete(drv->d, v[0], err) : unsupported(o, op, err);
    default:
        return unsupported(o, op, err);
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
    case NCP_DRV_INTERRUPT: fn = o->interrupt; break;
    case NCP_DRV_CHANGE_SPEC:
        if (o->change_spec)
            return o->change_spec(drv->d, s, arg, err);
        break;
    case NCP_DRV_RECREATE:
        if (o->recreate)
            return o->recreate(drv->d, s, arg, err);
        break;
    case NCP_DRV_DISK_CREATE:
    case NCP_DRV_DISK_ATTACH:
    case NCP_DRV_DISK_DETACH:
    case NCP_DRV_DISK_DELETE:
    case NCP_DRV_DISK_RESIZE:
    case NCP_DRV_DISK_SNAPSHOT:
    case NCP_DRV_SNAPSHOT_DELETE:
    case NCP_DRV_IMAGE_CAPTURE:
    case NCP_DRV_IMAGE_DELETE:
        return call_volume(drv, op, arg, err);
    case NCP_DRV__N: break;
    }
    if (!fn || !s)
        return unsupported(o, op, err);
    return fn(drv->d, s, err);
}

int ncp_drv_op_parse(const char *action)
{
    /* the action whose driver call each operation is (the fault switch's names) */
    static const char *names[NCP_DRV__N] = {
        [NCP_DRV_CREATE] = "createServerInstances",
        [NCP_DRV_START] = "startServerInstances",
        [NCP_DRV_STOP] = "stopServerInstances",
        [NCP_DRV_REBOOT] = "rebootServerInstances",
        [NCP_DRV_TERMINATE] = "terminateServerInstances",
        [NCP_DRV_CHANGE_SPEC] = "changeServerInstanceSpec",
        [NCP_DRV_DISK_CREATE] = "createBlockStorageInstance",
        [NCP_DRV_DISK_ATTACH] = "attachBlockStorageInstance",
        [NCP_DRV_DISK_DETACH] = "detachBlockStorageInstances",
        [NCP_DRV_DISK_DELETE] = "deleteBlockStorageInstances",
        [NCP_DRV_DISK_RESIZE] = "changeBlockStorageVolumeSize",
        [NCP_DRV_DISK_SNAPSHOT] = "createBlockStorageSnapshotInstance",
        [NCP_DRV_SNAPSHOT_DELETE] = "deleteBlockStorageSnapshotInstances",
        [NCP_DRV_IMAGE_CAPTURE] = "createMemberServerImage",
        [NCP_DRV_IMAGE_DELETE] = "deleteMemberServerImages",
        [NCP_DRV_RECREATE] = "recreateServerInstance",
        [NCP_DRV_INTERRUPT] = "interruptServerInstance",
    };
    for (int i = 0; i < NCP_DRV__N; i++)
        if (names[i] && strcmp(names[i], action) == 0)
            return i;
    return -1;
}

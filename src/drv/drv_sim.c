/* drv_sim.c: the built-in simulated hypervisor (libvirt test driver style).
 *
 * The machines' power states are the store's: the state machine has
 * already refused illegal operations before a driver is called, and the
 * simulator keeps no state of its own that a rolled-back transaction could
 * leave behind (flag NCP_DRV_F_TXN: its calls run inside the request's
 * transaction). What it adds is a fault table that makes chosen operations
 * fail, so that partial failures (22001) and driver errors (1300) are
 * testable end to end. Block storage volumes, snapshots and images are
 * store rows as well: their calls succeed (the fault switch, checked at the
 * claim, makes them fail).
 *
 * For tests of the path real drivers take (claim committed, driver called
 * outside any transaction, outcome committed next), it can be opened as an
 * "external" driver, optionally with every call taking some time. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drv/drv.h"
#include "util/log.h"

struct ncp_drv {
    bool external;
    long delay_ms;
};

static ncp_drv_t *sim_open(const char *uri, ncp_err_t *err)
{
    ncp_drv_t *d = calloc(1, sizeof(*d));
    if (!d)
        abort();
    for (const char *p = uri; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == 8 && strncmp(p, "external", 8) == 0) {
            d->external = true;
        } else if (n > 6 && strncmp(p, "delay=", 6) == 0) {
            d->delay_ms = strtol(p + 6, NULL, 10);
        } else if (n) {
            ncp_err_internal(err, "sim: unknown option %.*s", (int)n, p);
            free(d);
            return NULL;
        }
        p += n + (p[n] == ',');
    }
    return d;
}

static unsigned sim_flags(const ncp_drv_t *d)
{
    return d->external ? 0 : NCP_DRV_F_TXN;
}

static void sim_close(ncp_drv_t *d)
{
    free(d);
}

static int act(ncp_drv_t *d, ncp_drv_op_t op, const ncp_server_t *s, ncp_err_t *err)
{
    (void)op;
    (void)s;
    (void)err;
    if (d->delay_ms > 0) {
        struct timespec ts = {d->delay_ms / 1000, (d->delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int sim_create(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_CREATE, s, err);
}

static int sim_start(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_START, s, err);
}

static int sim_stop(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_STOP, s, err);
}

static int sim_reboot(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_REBOOT, s, err);
}

static int sim_terminate(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_TERMINATE, s, err);
}

static int sim_change_spec(ncp_drv_t *d, const ncp_server_t *s, const char *product,
                           ncp_err_t *err)
{
    (void)product;
    return act(d, NCP_DRV_CHANGE_SPEC, s, err);
}

static int sim_recreate(ncp_drv_t *d, const ncp_server_t *s, const char *image,
                        ncp_err_t *err)
{
    (void)image;
    return act(d, NCP_DRV_RECREATE, s, err);
}

static int sim_interrupt(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return act(d, NCP_DRV_INTERRUPT, s, err);
}

/* Volumes: the store keeps their state too; a call only takes its time. */
static int sim_disk_create(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err)
{
    (void)disk_no;
    (void)bytes;
    return act(d, NCP_DRV_DISK_CREATE, NULL, err);
}

static int sim_disk_attach(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err)
{
    (void)server_no;
    (void)disk_no;
    return act(d, NCP_DRV_DISK_ATTACH, NULL, err);
}

static int sim_disk_detach(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err)
{
    (void)server_no;
    (void)disk_no;
    return act(d, NCP_DRV_DISK_DETACH, NULL, err);
}

static int sim_disk_delete(ncp_drv_t *d, int64_t disk_no, ncp_err_t *err)
{
    (void)disk_no;
    return act(d, NCP_DRV_DISK_DELETE, NULL, err);
}

static int sim_disk_resize(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err)
{
    (void)disk_no;
    (void)bytes;
    return act(d, NCP_DRV_DISK_RESIZE, NULL, err);
}

static int sim_disk_snapshot(ncp_drv_t *d, int64_t disk_no, int64_t copy_no, ncp_err_t *err)
{
    (void)disk_no;
    (void)copy_no;
    return act(d, NCP_DRV_DISK_SNAPSHOT, NULL, err);
}

const ncp_drv_ops_t ncp_drv_sim_ops = {
    .abi = NCP_DRV_ABI,
    .name = "sim",
    .flags = NCP_DRV_F_TXN,
    .open = sim_open,
    .instance_flags = sim_flags,
    .close = sim_close,
    .create = sim_create,
    .start = sim_start,
    .stop = sim_stop,
    .reboot = sim_reboot,
    .terminate = sim_terminate,
    .change_spec = sim_change_spec,
    .disk_create = sim_disk_create,
    .disk_attach = sim_disk_attach,
    .disk_detach = sim_disk_detach,
    .disk_delete = sim_disk_delete,
    .disk_resize = sim_disk_resize,
    .disk_snapshot = sim_disk_snapshot,
    .recreate = sim_recreate,
    .interrupt = sim_interrupt,
};

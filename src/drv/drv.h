/* drv.h: the hypervisor driver vtable (libvirt virHypervisorDriver style).
 *
 * A driver starts operations on machines; the scheduler completes the
 * timed transitions the store records. Each driver fills only the slots it
 * implements; a NULL slot means "unsupported" and the wrappers below turn
 * it into an error. Drivers never touch the store. Thread-safe: handlers
 * call a driver from several threads at once. */
#ifndef NCP_DRV_H
#define NCP_DRV_H
#include <stdint.h>

#include "domain/model.h"
#include "util/err.h"

#define NCP_DRV_ABI 1

typedef struct ncp_drv ncp_drv_t;

typedef enum ncp_drv_op {
    NCP_DRV_CREATE,
    NCP_DRV_START,
    NCP_DRV_STOP,
    NCP_DRV_REBOOT,
    NCP_DRV_TERMINATE,
    NCP_DRV_CHANGE_SPEC,
    NCP_DRV__N
} ncp_drv_op_t;

/* Driver flags. */
#define NCP_DRV_F_TXN 0x1u /* the driver keeps no state of its own beyond the store's
                            * (the simulator): its calls may run inside the request's
                            * transaction, so claim, act and confirm share one commit.
                            * Without it, a call happens only after the claim is
                            * committed, and its outcome is recorded in a second commit
                            * (act/dispatch.c, sched/sched.c). */

typedef struct ncp_drv_ops {
    int abi;
    const char *name;
    unsigned flags;
    /* uri: driver-specific (sim: NULL, or "external" and/or "delay=MS", comma-separated:
     * behave like a driver with state of its own, each call taking MS milliseconds;
     * for tests of the claim, act, confirm path) */
    ncp_drv_t *(*open)(const char *uri, ncp_err_t *err);
    /* flags of this instance (NCP_DRV_F_*); NULL: the ops' flags */
    unsigned (*instance_flags)(const ncp_drv_t *d);
    void (*close)(ncp_drv_t *d);
    int (*create)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*start)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*stop)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*reboot)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*terminate)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*change_spec)(ncp_drv_t *d, const ncp_server_t *s, const char *product, ncp_err_t *err);
} ncp_drv_ops_t;

/* A driver instance: its ops and its private state. */
typedef struct ncp_driver {
    const ncp_drv_ops_t *ops;
    ncp_drv_t *d;
} ncp_driver_t;

extern const ncp_drv_ops_t ncp_drv_sim_ops;

const ncp_drv_ops_t *ncp_drv_backend(const char *name);
/* Flags of an opened driver. */
unsigned ncp_drv_flags(const ncp_driver_t *drv);
/* The driver operation that carries out a transition kind, or -1 (storage work). */
int ncp_drv_op_of(ncp_tr_kind_t kind);
/* Calls the slot of `op`, or reports "unsupported" (1300) when it is NULL. */
int ncp_drv_call(const ncp_driver_t *drv, ncp_drv_op_t op, const ncp_server_t *s,
                 const char *arg, ncp_err_t *err);
int ncp_drv_op_parse(const char *action); /* action name -> op, -1 if none */

#endif

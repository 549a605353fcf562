/* hv.h: servers on a real hypervisor (a driver of drv.h's ABI 2 that
 * reports power through its sink: libvirt).
 *
 * Two pieces, one object:
 *   - the machine adapter: the driver the dispatcher and the scheduler call
 *     (ncp_hv_driver()). Its ABI-1 slots are carried out by the real
 *     driver: create builds the full machine description (spec, boot source
 *     of the catalogue, user data, the login key's public key from the
 *     store, the root password opened with the master key) for create_vm,
 *     change_spec becomes set_spec; the ABI-2 slots pass through. It keeps
 *     no store transaction open while the hypervisor works.
 *   - the completion engine: the real driver's power reports (and the
 *     outcome of our own calls) complete the transitions, instead of the
 *     simulator's timers. A confirmed transition waits (phase
 *     NCP_PHASE_WAIT) until the hypervisor shows its end:
 *       create  -> CREAT/START at the confirmation, RUN once it runs
 *       start   -> RUN when it runs
 *       stop    -> NSTOP when the machine is off (the driver forces it off
 *                  after its stop timeout; after a restart of ncpd, a stop
 *                  still waiting on a running machine is pressed again)
 *       reboot  -> RUN when it has restarted
 *       terminate, changeSpec -> complete at the confirmation (the call
 *                  returns when the machine is gone / its spec changed)
 *     and servers without a transition follow their machine: one that went
 *     off by itself becomes NSTOP, one started outside ncpd RUN, one whose
 *     machine disappeared FSTOP (and back when it reappears).
 *
 * Threads: the sink only records the report and queues the server (no
 * store, no lock of the driver's taken). The engine's thread reconciles
 * every server with the driver's list() at start, then applies queued
 * reports as group-commit jobs; driver calls of its own (a stop pressed
 * again) happen on that thread, never on the committer's. The confirm hook
 * (sched.h) runs in the confirming transaction and queues the server too.
 * Reconnections of the driver report every machine again, which reconciles
 * them the same way. */
#ifndef NCP_HV_H
#define NCP_HV_H
#include <stdint.h>

#include "drv/drv.h"
#include "store/commit.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/err.h"

typedef struct ncp_hv ncp_hv_t;

typedef struct ncp_hv_conf {
    const ncp_store_ops_t *so;
    const char *db;                       /* the engine opens its own connection */
    const uint8_t *master_key;            /* NCP_MASTER_KEY_LEN bytes: root passwords */
    const ncp_drv_ops_t *ops;             /* the real driver (ABI 2, open_opts) */
    ncp_drv_opts_t opts;                  /* its options; the sink is set here */
} ncp_hv_conf_t;

/* Opens the store connection and the real driver (its reports are queued
 * from then on) and installs the confirm hook. NULL with err set. */
ncp_hv_t *ncp_hv_new(const ncp_hv_conf_t *c, ncp_err_t *err);
/* The driver for ncp_app_t.drv and the scheduler (valid until ncp_hv_free). */
ncp_driver_t ncp_hv_driver(ncp_hv_t *h);
/* Starts the engine: reconciliation of every server, then the reports.
 * Call after the scheduler has recovered its claims. */
int ncp_hv_start(ncp_hv_t *h, ncp_committer_t *committer, ncp_err_t *err);
/* Stops the engine (before the committer is freed), closes the driver.
 * NULL-safe. */
void ncp_hv_free(ncp_hv_t *h);

#endif

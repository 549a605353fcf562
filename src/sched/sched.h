/* sched.h: persisted timed transitions (DECISIONS D5).
 *
 * A transition is a row in the store, written in the same transaction as
 * the state change that starts it, so a restart resumes it. One scheduler
 * thread, with its own store connection, applies due steps in write
 * transactions and sleeps until the next due time or a kick. */
#ifndef NCP_SCHED_H
#define NCP_SCHED_H
#include <stdbool.h>
#include <stdint.h>

#include "drv/drv.h"
#include "store/commit.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

typedef struct ncp_sched ncp_sched_t;

/* Starts transition `kind` on server s inside the caller's write
 * transaction: s shows the path's first state at once (s is updated), and
 * the first step is due at now + step_ms. `remaining` is for storage work.
 * For transitions that need no driver call (storage work). */
int ncp_sched_transition_start(const ncp_store_ops_t *so, ncp_store_t *st, ncp_server_t *s,
                               ncp_tr_kind_t kind, int remaining, const char *arg,
                               int64_t now_ms, int64_t step_ms, ncp_err_t *err);

/* Claim, act, confirm (STYLE.md §6.3). A claim puts s in the first state
 * of `kind`'s path inside the caller's write transaction (s is updated) and
 * records a transition row in phase CLAIMED that is never due and remembers
 * the state before. Once the driver has acted, ncp_sched_confirm() in a
 * later (or, for NCP_DRV_F_TXN drivers, the same) transaction either starts
 * the steps (ok) or undoes the claim (!ok): the previous state comes back,
 * and a claimed create disappears with its numbers retired. */
int ncp_sched_claim(const ncp_store_ops_t *so, ncp_store_t *st, ncp_server_t *s,
                    ncp_tr_kind_t kind, const char *arg, const char *owner, ncp_err_t *err);
int ncp_sched_confirm(const ncp_store_ops_t *so, ncp_store_t *st, ncp_arena_t *a, int64_t no,
                      bool ok, int64_t now_ms, int64_t step_ms, ncp_err_t *err);

/* Completion by a real hypervisor (sched/hv.h). A hook set here runs first
 * in the transaction that records a driver's outcome. ok: it decides what
 * the transition does next: 1 when it took the row over (it now waits for
 * the hypervisor's power reports, phase NCP_PHASE_WAIT, or is complete),
 * 0 for the timed steps. !ok: it returns 0 and the claim is undone as
 * usual. -1 on error. Set once before requests are served (process-wide:
 * one driver per process); NULL: every transition is timed. */
typedef int (*ncp_sched_confirm_hook_fn)(void *ctx, const ncp_store_ops_t *so, ncp_store_t *st,
                                         ncp_arena_t *a, ncp_trans_t *t, bool ok,
                                         int64_t now_ms, ncp_err_t *err);
void ncp_sched_set_confirm_hook(ncp_sched_confirm_hook_fn fn, void *ctx);

/* Opens its own connection to the database (for reads); clamps due times
 * to now + their wait so a restart with a shorter step, or a clock set back
 * while ncpd was down, does not wait for the old time. With a committer,
 * steps are applied as group-commit jobs (one writer for the whole
 * daemon); without, in its own transactions. `drv` completes claims left
 * by requests that died between their claim and its confirmation.
 *
 * On a database shared by several nodes, one scheduler at a time applies
 * steps: it holds a lease in the store, renewed in the same transaction as
 * the steps it applies (so no step is ever applied twice), that another
 * node takes over when it is not renewed for NCP_SCHED_LEASE_MS. */
#define NCP_SCHED_LEASE_MS 1200
ncp_sched_t *ncp_sched_new(const ncp_store_ops_t *so, const char *uri, int64_t step_ms,
                           ncp_committer_t *committer, const ncp_driver_t *drv,
                           const char *node_id, ncp_err_t *err);
/* Recovers the claims found in the store (their requests are gone: the
 * driver is asked again, then the outcome recorded), then starts the thread.
 * Call before requests are served. */
int ncp_sched_start(ncp_sched_t *s);
void ncp_sched_kick(ncp_sched_t *s);
void ncp_sched_free(ncp_sched_t *s); /* stops the thread; NULL-safe */
/* Applies every step due at now_ms (one pass); returns the number applied. */
int ncp_sched_run_due(ncp_sched_t *s, int64_t now_ms, ncp_err_t *err);
/* Claims recovered by ncp_sched_start (for the start-up log and tests). */
int ncp_sched_recovered(const ncp_sched_t *s);

#endif

/* sched.h: persisted timed transitions (DECISIONS D5).
 *
 * A transition is a row in the store, written in the same transaction as
 * the state change that starts it, so a restart resumes it. One scheduler
 * thread, with its own store connection, applies due steps in write
 * transactions and sleeps until the next due time or a kick. */
#ifndef NCP_SCHED_H
#define NCP_SCHED_H
#include <stdint.h>

#include "drv/drv.h"
#include "store/commit.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

typedef struct ncp_sched ncp_sched_t;

/* Starts transition `kind` on server s inside the caller's write
 * transaction: s shows the path's first state at once (s is updated), and
 * the first step is due at now + step_ms. `remaining` is for storage work. */
int ncp_sched_transition_start(const ncp_store_ops_t *so, ncp_store_t *st, ncp_server_t *s,
                               ncp_tr_kind_t kind, int remaining, const char *arg,
                               int64_t now_ms, int64_t step_ms, ncp_err_t *err);

/* Opens its own connection to db_path (for reads); clamps due times to
 * now + step_ms so a restart with a shorter step does not wait for the old
 * one. With a committer, steps are applied as group-commit jobs (one
 * writer for the whole daemon); without, in its own transactions. */
ncp_sched_t *ncp_sched_new(const ncp_store_ops_t *so, const char *db_path, int64_t step_ms,
                           ncp_committer_t *committer, ncp_err_t *err);
int ncp_sched_start(ncp_sched_t *s);
void ncp_sched_kick(ncp_sched_t *s);
void ncp_sched_free(ncp_sched_t *s); /* stops the thread; NULL-safe */
/* Applies every step due at now_ms (one pass); returns the number applied. */
int ncp_sched_run_due(ncp_sched_t *s, int64_t now_ms, ncp_err_t *err);

#endif

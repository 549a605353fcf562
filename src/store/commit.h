/* commit.h: group commit over any store backend.
 *
 * Every write of the daemon (requests and scheduler steps alike) runs on
 * one committer thread, inside a shared write transaction, each job in its
 * own savepoint; one COMMIT, one fsync, then makes the whole batch durable
 * before any of its callers returns. Concurrent writers share the cost of
 * the flush, never wait on each other's locks, and no answer leaves before
 * its commit. */
#ifndef NCP_COMMIT_H
#define NCP_COMMIT_H

#include "store/store.h"

typedef struct ncp_committer ncp_committer_t;

/* A job: runs inside the batch's transaction with the committer's
 * connection. Returning -1 (with err set) undoes just this job. */
typedef int (*ncp_commit_fn)(void *arg, ncp_store_t *st, ncp_err_t *err);

ncp_committer_t *ncp_commit_new(const ncp_store_ops_t *so, const char *db_path, ncp_err_t *err);
int ncp_commit_start(ncp_committer_t *c);
/* Drains the queue, stops the thread, closes the connection. NULL-safe. */
void ncp_commit_free(ncp_committer_t *c);
/* Runs fn(arg, st) in the next batch and returns after that batch's commit:
 * 0, or -1 with err set and nothing of the job kept. */
int ncp_commit_run(ncp_committer_t *c, ncp_commit_fn fn, void *arg, ncp_err_t *err);

#endif

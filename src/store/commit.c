/* commit.c: see commit.h. */
#include "store/commit.h"

#include <pthread.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/metrics.h"

#define BATCH_MAX 256

typedef struct job {
    ncp_commit_fn fn;
    void *arg;
    ncp_err_t *err;
    int rc;
    bool done;
    struct job *next;
} job_t;

struct ncp_committer {
    const ncp_store_ops_t *so;
    ncp_store_t *st;
    pthread_t thread;
    bool running, stopping;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    job_t *head, *tail;
};

/* A commit whose outcome is unknown (the COMMIT failed: with SQLite the
 * WAL may already hold the batch's commit frame, which recovery treats as
 * committed) must never be answered as a failure, nor as a success: the
 * process stops before any answer of the batch leaves. Clients see a
 * dropped connection (outcome unknown, as for any network failure), and
 * recovery at the next start decides, as PostgreSQL does when an fsync
 * fails. The same for a rollback that fails. */
static void die_undecided(const char *what, const ncp_err_t *err)
{
    ncp_log_error("fatal: %s failed (%s); the outcome of this group commit is unknown: "
                  "stopping before any of its answers is sent; the next start recovers "
                  "the database and decides",
                  what, err->detail[0] ? err->detail : err->msg);
    abort();
}

/* Runs one batch in one transaction; sets every job's rc and err. */
static void run_batch(ncp_committer_t *c, job_t *jobs)
{
    const ncp_store_ops_t *so = c->so;
    ncp_err_t berr;
    ncp_err_init(&berr);
    if (so->begin(c->st, true, &berr) < 0) {
        ncp_metrics_add(NCP_M_STORE_ERR_COMMIT, 1); /* metrics hook */
        for (job_t *j = jobs; j; j = j->next) {
            *j->err = berr; /* a database that is down answers 503, anything else 1300 */
            j->rc = -1;
        }
        return;
    }
    for (job_t *j = jobs; j; j = j->next) {
        if (so->savepoint(c->st, j->err) < 0) {
            j->rc = -1;
            continue;
        }
        j->rc = j->fn(j->arg, c->st, j->err);
        if (j->rc < 0) {
            if (so->savepoint_rollback(c->st, &berr) < 0)
                goto fail_all; /* cannot undo this job: drop the whole batch */
        } else if (so->savepoint_release(c->st, &berr) < 0) {
            goto fail_all;
        }
    }
    if (so->commit(c->st, &berr) == 0)
        return;
    if (berr.code != NCP_E_GW_UNAVAILABLE)
        die_undecided("commit", &berr);
    /* PostgreSQL went away during COMMIT: the outcome is unknown here, but
     * the database decides it durably on its own; every job of the batch is
     * answered as a gateway's "unavailable" (503), never as a failure, and
     * the node serves on when the database is back. */
    ncp_log_warn("event=commit_unknown detail=%s jobs_answered=503", berr.detail);
    for (job_t *j = jobs; j; j = j->next) {
        ncp_err_init(j->err);
        *j->err = berr;
        j->rc = -1;
    }
    return;
fail_all:
    /* a savepoint could not be released or undone: nothing of the batch is
     * committed yet, so undoing it all is a definite failure for every job */
    ncp_metrics_add(NCP_M_STORE_ERR_COMMIT, 1); /* metrics hook */
    if (so->rollback(c->st) < 0 && berr.code != NCP_E_GW_UNAVAILABLE)
        die_undecided("rollback", &berr);
    for (job_t *j = jobs; j; j = j->next) {
        if (j->rc == 0 || !j->err->is_set) {
            ncp_err_init(j->err);
            if (berr.code == NCP_E_GW_UNAVAILABLE)
                *j->err = berr;
            else
                ncp_err_internal(j->err, "batch commit failed: %s", berr.detail);
        }
        j->rc = -1;
    }
}

static void *loop(void *arg)
{
    ncp_committer_t *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->head && !c->stopping)
            pthread_cond_wait(&c->work, &c->mu);
        if (!c->head)
            break; /* stopping with an empty queue */
        job_t *batch = c->head, *last = c->head;
        int n = 1;
        for (; n < BATCH_MAX && last->next; n++)
            last = last->next;
        c->head = last->next;
        if (!c->head)
            c->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&c->mu);

        int64_t m0 = ncp_metrics_now_us(); /* metrics hook */
        run_batch(c, batch);
        ncp_metrics_commit(n, m0); /* metrics hook */

        pthread_mutex_lock(&c->mu);
        for (job_t *j = batch; j; j = j->next)
            j->done = true;
        pthread_cond_broadcast(&c->done);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

ncp_committer_t *ncp_commit_new(const ncp_store_ops_t *so, const char *db_path, ncp_err_t *err)
{
    ncp_committer_t *c = calloc(1, sizeof(*c));
    if (!c)
        abort();
    c->so = so;
    c->st = so->open(db_path, err);
    if (!c->st) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->work, NULL);
    pthread_cond_init(&c->done, NULL);
    return c;
}

int ncp_commit_start(ncp_committer_t *c)
{
    if (pthread_create(&c->thread, NULL, loop, c) != 0)
        return -1;
    c->running = true;
    return 0;
}

void ncp_commit_free(ncp_committer_t *c)
{
    if (!c)
        return;
    if (c->running) {
        pthread_mutex_lock(&c->mu);
        c->stopping = true;
        pthread_cond_signal(&c->work);
        pthread_mutex_unlock(&c->mu);
        pthread_join(c->thread, NULL);
    }
    c->so->close(c->st);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->work);
    pthread_cond_destroy(&c->done);
    free(c);
}

int ncp_commit_run(ncp_committer_t *c, ncp_commit_fn fn, void *arg, ncp_err_t *err)
{
    job_t j = {.fn = fn, .arg = arg, .err = err};
    pthread_mutex_lock(&c->mu);
    if (c->stopping) {
        pthread_mutex_unlock(&c->mu);
        ncp_err_internal(err, "shutting down");
        return -1;
    }
    if (c->tail)
        c->tail->next = &j;
    else
        c->head = &j;
    c->tail = &j;
    pthread_cond_signal(&c->work);
    while (!j.done)
        pthread_cond_wait(&c->done, &c->mu);
    pthread_mutex_unlock(&c->mu);
    return j.rc;
}

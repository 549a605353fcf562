/* sched.c: see sched.h. */
#include "sched/sched.h"
#include "sched/sched_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/state.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/metrics.h"

struct ncp_sched {
    const ncp_store_ops_t *so;
    ncp_store_t *st;
    ncp_committer_t *committer;
    const ncp_driver_t *drv;
    int64_t step_ms;
    pthread_t thread;
    bool running, stopping, kicked;
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* waits on CLOCK_MONOTONIC: a wall-clock step never stretches it */
    ncp_arena_t *arena;
    int64_t wall_mono_ms;   /* wall clock minus monotonic clock at the last pass */
    int64_t clamp_mono_ms;  /* monotonic time of the last clamp */
    int recovered;
    const char *node_id;
    bool shared;            /* several nodes: steps only while holding the lease */
    bool leader;            /* held the lease at the last pass */
    bool failing;           /* the last pass failed (logged once) */
};

/* A never-due time for claimed rows (they wait for their confirmation). */
#define NEVER_MS INT64_MAX

/* sched/hv.h's completion by the hypervisor (set before any thread runs) */
static ncp_sched_confirm_hook_fn confirm_hook;
static void *confirm_hook_ctx;

void ncp_sched_set_confirm_hook(ncp_sched_confirm_hook_fn fn, void *ctx)
{
    confirm_hook = fn;
    confirm_hook_ctx = ctx;
}

int ncp_sched_transition_start(const ncp_store_ops_t *so, ncp_store_t *st, ncp_server_t *s,
                               ncp_tr_kind_t kind, int remaining, const char *arg,
                               int64_t now_ms, int64_t step_ms, ncp_err_t *err)
{
    const ncp_path_t *p = ncp_state_path(kind);
    if (!p) {
        ncp_err_internal(err, "no path for transition %d", (int)kind);
        return -1;
    }
    if (!(p->first.flags & NCP_STEP_KEEP_STATUS))
        s->status = p->first.status;
    ncp_status_t prev_status = s->status;
    ncp_op_t prev_op = s->op;
    s->op = p->first.op;
    if (so->server_set_state(st, s->no, s->status, s->op, 0, err) < 0)
        return -1;
    ncp_trans_t t = {.no = s->no,
                     .res_kind = s->vpc ? NCP_KIND_VSERVER : NCP_KIND_SERVER,
                     .account_id = s->account_id,
                     .kind = kind,
                     .step = 0,
                     .remaining = remaining,
                     .due_ms = now_ms + step_ms,
                     .wait_ms = step_ms,
                     .phase = NCP_PHASE_RUNNING,
                     .prev_status = prev_status,
                     .prev_op = prev_op,
                     .arg = arg};
    return so->trans_put(st, &t, err);
}

int ncp_sched_claim(const ncp_store_ops_t *so, ncp_store_t *st, ncp_server_t *s,
                    ncp_tr_kind_t kind, const char *arg, const char *owner, ncp_err_t *err)
{
    const ncp_path_t *p = ncp_state_path(kind);
    if (!p) {
        ncp_err_internal(err, "no path for transition %d", (int)kind);
        return -1;
    }
    ncp_trans_t t = {.no = s->no,
                     .res_kind = s->vpc ? NCP_KIND_VSERVER : NCP_KIND_SERVER,
                     .account_id = s->account_id,
                     .kind = kind,
                     .due_ms = NEVER_MS,
                     .phase = NCP_PHASE_CLAIMED,
                     .prev_status = s->status,
                     .prev_op = s->op,
                     .arg = arg,
                     .owner = owner};
    if (!(p->first.flags & NCP_STEP_KEEP_STATUS))
        s->status = p->first.status;
    s->op = p->first.op;
    if (so->server_set_state(st, s->no, s->status, s->op, 0, err) < 0)
        return -1;
    return so->trans_put(st, &t, err);
}

/* The table of a resource kind, or NULL. */
static const ncp_sched_kind_t *kind_of(ncp_kind_t k)
{
    switch (k) {
    case NCP_KIND_SERVER: return &ncp_sched_server_kind;
    case NCP_KIND_STORAGE: return &ncp_sched_storage_kind;         /* issue 11 */
    case NCP_KIND_SNAPSHOT: return &ncp_sched_snapshot_kind;
    case NCP_KIND_PUBLIC_IP: return &ncp_sched_publicip_kind;
    case NCP_KIND_NAS: return &ncp_sched_nas_kind;
    case NCP_KIND_MEMBER_IMAGE: return &ncp_sched_image_kind;
    default: return ncp_sched_vpc_kind(k); /* sched_vpc.c: the VPC platform's kinds */
    }
}

int ncp_sched_next(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t, ncp_err_t *err)
{
    t->due_ms = env->now_ms + env->step_ms;
    t->wait_ms = env->step_ms;
    return env->so->trans_put(st, t, err);
}

int ncp_sched_confirm(const ncp_store_ops_t *so, ncp_store_t *st, ncp_arena_t *a, int64_t no,
                      bool ok, int64_t now_ms, int64_t step_ms, ncp_err_t *err)
{
    ncp_trans_t t;
    int r = so->trans_get(st, a, no, &t, err);
    if (r < 0)
        return -1;
    const ncp_sched_kind_t *k = r == 1 ? kind_of(t.res_kind) : NULL;
    if (r == 0 || t.phase != NCP_PHASE_CLAIMED || !k) {
        ncp_err_internal(err, "instance %lld has no claimed transition to confirm",
                         (long long)no);
        return -1;
    }
    ncp_sched_env_t env = {so, a, now_ms, step_ms};
    int taken = confirm_hook ? confirm_hook(confirm_hook_ctx, so, st, a, &t, ok, now_ms, err) : 0;
    if (taken != 0)
        return taken < 0 ? -1 : 0;
    if (ok) {
        t.phase = NCP_PHASE_RUNNING;
        return ncp_sched_next(&env, st, &t, err);
    }
    if (k->undo(&env, st, &t, err) < 0)
        return -1;
    return so->trans_delete(st, no, err);
}

/* Applies the next step of t with connection db. */
static int apply(ncp_sched_t *sc, ncp_store_t *db, ncp_trans_t *t, int64_t now, ncp_err_t *err)
{
    const ncp_sched_kind_t *k = kind_of(t->res_kind);
    if (!k) {
        ncp_log_error("sched: instance=%lld has a transition of unknown resource kind %d; "
                      "clearing it",
                      (long long)t->no, (int)t->res_kind);
        return sc->so->trans_delete(db, t->no, err);
    }
    ncp_sched_env_t env = {sc->so, sc->arena, now, sc->step_ms};
    return k->step(&env, db, t, err);
}

typedef struct pass {
    ncp_sched_t *sc;
    int64_t now;
    bool clamp;
    int applied, clamped;
} pass_t;

/* One pass inside the caller's write transaction. */
static int apply_due(void *arg, ncp_store_t *st, ncp_err_t *err)
{
    enum { BATCH = 128 };
    pass_t *p = arg;
    ncp_trans_t due[BATCH];
    size_t n = 0;
    p->applied = 0;
    ncp_arena_reset(p->sc->arena);
    if (p->sc->shared) {
        int r = p->sc->so->lease_take(st, p->sc->node_id, NCP_SCHED_LEASE_MS, err);
        if (r < 0)
            return -1;
        if (r == 0 && p->sc->leader)
            ncp_log_notice("event=sched_lease_lost node=%s", p->sc->node_id);
        if (r == 1 && !p->sc->leader)
            ncp_log_notice("event=sched_lease_taken node=%s", p->sc->node_id);
        p->sc->leader = r == 1;
        if (r == 0)
            return 0; /* another node applies the steps */
    }
    if (p->clamp && (p->clamped = p->sc->so->trans_clamp(st, p->now, INT64_MAX, err)) < 0)
        return -1;
    if (p->sc->so->trans_due(st, p->sc->arena, p->now, BATCH, due, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (apply(p->sc, st, &due[i], p->now, err) < 0)
            return -1;
        p->applied++;
    }
    return 0;
}

/* Due times are wall-clock (they survive restarts and are shared with other
 * processes), so a clock step must not stall them: whenever the wall clock
 * moved against the monotonic one since the last pass, and at least once a
 * second (another writer's clock may differ), every due time is clamped to
 * now + its own wait. */
static bool clamp_needed(ncp_sched_t *sc, int64_t now)
{
    int64_t mono = ncp_clock_mono_ms(), delta = now - mono;
    int64_t jump = delta - sc->wall_mono_ms;
    bool need = jump > 50 || jump < -50 || mono - sc->clamp_mono_ms >= 1000;
    sc->wall_mono_ms = delta;
    if (need)
        sc->clamp_mono_ms = mono;
    return need;
}

static int write_unit(ncp_sched_t *sc, ncp_commit_fn fn, void *arg, ncp_err_t *err);

int ncp_sched_run_due(ncp_sched_t *sc, int64_t now, ncp_err_t *err)
{
    pass_t p = {sc, now, clamp_needed(sc, now), 0, 0};
    if (write_unit(sc, apply_due, &p, err) < 0)
        return -1;
    if (p.clamped > 0)
        ncp_log_info("sched: clock moved: %d due times brought back within their wait",
                     p.clamped);
    return p.applied + p.clamped; /* clamped rows may be due now: look again */
}

/* The database's housekeeping (SQLite: the log moved into the file) runs here, on the
 * scheduler's own connection, at most this often: never inside a request's commit. */
#define NCP_SCHED_MAINTAIN_MS 250

static void maintain(ncp_sched_t *sc, int64_t *last_ms)
{
    int64_t mono = ncp_clock_mono_ms();
    if (mono - *last_ms < NCP_SCHED_MAINTAIN_MS)
        return;
    *last_ms = mono;
    ncp_err_t err;
    ncp_err_init(&err);
    if (sc->so->maintain && sc->so->maintain(sc->st, &err) < 0)
        ncp_log_warn("sched: database housekeeping failed: %s",
                     err.detail[0] ? err.detail : err.msg);
}

static void *loop(void *arg)
{
    ncp_sched_t *sc = arg;
    int64_t last_maint_ms = 0;
    pthread_mutex_lock(&sc->mu);
    while (!sc->stopping) {
        sc->kicked = false;
        pthread_mutex_unlock(&sc->mu);

        ncp_err_t err;
        ncp_err_init(&err);
        int64_t now = ncp_clock_now_ms();
        int n = ncp_sched_run_due(sc, now, &err);
        ncp_metrics_sched_pass(n); /* metrics hook */
        /* a shared database: the lease is renewed (or watched) three times per period */
        int64_t cap_ms = sc->shared ? NCP_SCHED_LEASE_MS / 3 : NCP_SCHED_MAINTAIN_MS;
        int64_t wait_ms = cap_ms;
        maintain(sc, &last_maint_ms);
        if (n < 0) {
            /* once per outage, not ten times a second */
            if (!sc->failing)
                ncp_log_error("sched: pass failed: %s (retrying every 100 ms)",
                              err.detail[0] ? err.detail : err.msg);
            sc->failing = true;
            wait_ms = 100;
        } else if (sc->failing) {
            ncp_log_notice("event=sched_recovered");
            sc->failing = false;
        }
        if (n > 0) {
            wait_ms = 0; /* more may be due */
        } else if (n == 0) {
            int64_t next = 0;
            ncp_err_init(&err);
            if (sc->leader || !sc->shared) {
                if (sc->so->trans_next_due(sc->st, &next, &err) == 1) {
                    wait_ms = next - ncp_clock_now_ms();
                    if (wait_ms > cap_ms)
                        wait_ms = cap_ms;
                }
            }
        }

        pthread_mutex_lock(&sc->mu);
        if (wait_ms <= 0 || sc->kicked || sc->stopping)
            continue;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += wait_ms / 1000;
        ts.tv_nsec += (wait_ms % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        while (!sc->kicked && !sc->stopping) {
            if (pthread_cond_timedwait(&sc->cv, &sc->mu, &ts) == ETIMEDOUT)
                break;
        }
    }
    pthread_mutex_unlock(&sc->mu);
    return NULL;
}

ncp_sched_t *ncp_sched_new(const ncp_store_ops_t *so, const char *uri, int64_t step_ms,
                           ncp_committer_t *committer, const ncp_driver_t *drv,
                           const char *node_id, ncp_err_t *err)
{
    ncp_sched_t *sc = calloc(1, sizeof(*sc));
    if (!sc)
        abort();
    sc->so = so;
    sc->committer = committer;
    sc->drv = drv;
    sc->step_ms = step_ms;
    sc->node_id = node_id ? node_id : "local";
    sc->st = so->open(uri, err);
    if (!sc->st) {
        free(sc);
        return NULL;
    }
    sc->shared = so->shared(sc->st);
    sc->arena = ncp_arena_new(64 * 1024);
    pthread_mutex_init(&sc->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sc->cv, &ca);
    pthread_condattr_destroy(&ca);
    sc->clamp_mono_ms = ncp_clock_mono_ms();
    sc->wall_mono_ms = ncp_clock_now_ms() - sc->clamp_mono_ms;
    /* due times written with a longer step, or before the clock was set back */
    if (so->begin(sc->st, true, err) < 0 ||
        so->trans_clamp(sc->st, ncp_clock_now_ms(), step_ms, err) < 0 ||
        so->commit(sc->st, err) < 0) {
        so->rollback(sc->st);
        ncp_sched_free(sc);
        return NULL;
    }
    return sc;
}

/* Runs fn(arg, st) as one write unit (group commit when there is a committer). */
static int write_unit(ncp_sched_t *sc, ncp_commit_fn fn, void *arg, ncp_err_t *err)
{
    if (sc->committer)
        return ncp_commit_run(sc->committer, fn, arg, err);
    if (sc->so->begin(sc->st, true, err) < 0)
        return -1;
    if (fn(arg, sc->st, err) < 0 || sc->so->commit(sc->st, err) < 0) {
        sc->so->rollback(sc->st);
        return -1;
    }
    return 0;
}

typedef struct confirm_job {
    ncp_sched_t *sc;
    int64_t no;
    bool ok;
} confirm_job_t;

static int confirm_one(void *arg, ncp_store_t *st, ncp_err_t *err)
{
    confirm_job_t *j = arg;
    return ncp_sched_confirm(j->sc->so, st, j->sc->arena, j->no, j->ok, ncp_clock_now_ms(),
                             j->sc->step_ms, err);
}

/* Claims whose requests died (kill -9 between claim and confirmation): the
 * operation was asked for, so it is carried out: the driver is asked again
 * (drivers treat a repeated request as done), and the outcome recorded as
 * the request would have. Runs before any request is served, so every
 * claimed row found is an orphan. */
static int recover_claims(ncp_sched_t *sc, ncp_err_t *err)
{
    enum { BATCH = 64 };
    for (;;) {
        ncp_trans_t rows[BATCH];
        size_t n = 0;
        ncp_arena_reset(sc->arena);
        if (sc->so->begin(sc->st, false, err) < 0)
            return -1;
        /* one node alone on its database: every claim is its own */
        int r = sc->so->trans_claimed(sc->st, sc->arena, sc->shared ? sc->node_id : NULL, BATCH,
                                      rows, &n, err);
        sc->so->rollback(sc->st);
        if (r < 0)
            return -1;
        if (n == 0)
            return 0;
        for (size_t i = 0; i < n; i++) {
            ncp_err_t derr;
            ncp_err_init(&derr);
            const ncp_sched_kind_t *k = kind_of(rows[i].res_kind);
            ncp_sched_env_t env = {sc->so, sc->arena, ncp_clock_now_ms(), sc->step_ms};
            bool ok = k && k->redrive(&env, sc->st, sc->drv, &rows[i], &derr) == 0;
            ncp_log_info("sched: recovered the claimed transition kind=%d of %s=%lld: %s%s",
                         (int)rows[i].kind, k ? k->name : "instance", (long long)rows[i].no,
                         ok ? "carried out" : "undone ", ok ? "" : derr.detail);
            confirm_job_t j = {sc, rows[i].no, ok};
            if (write_unit(sc, confirm_one, &j, err) < 0)
                return -1;
            sc->recovered++;
        }
    }
}

int ncp_sched_start(ncp_sched_t *sc)
{
    ncp_err_t err;
    ncp_err_init(&err);
    if (recover_claims(sc, &err) < 0) {
        ncp_log_error("sched: cannot recover claimed transitions: %s",
                      err.detail[0] ? err.detail : err.msg);
        return -1;
    }
    if (pthread_create(&sc->thread, NULL, loop, sc) != 0)
        return -1;
    sc->running = true;
    return 0;
}

int ncp_sched_recovered(const ncp_sched_t *sc)
{
    return sc->recovered;
}

void ncp_sched_kick(ncp_sched_t *sc)
{
    if (!sc)
        return;
    pthread_mutex_lock(&sc->mu);
    sc->kicked = true;
    pthread_cond_signal(&sc->cv);
    pthread_mutex_unlock(&sc->mu);
}

void ncp_sched_free(ncp_sched_t *sc)
{
    if (!sc)
        return;
    if (sc->running) {
        pthread_mutex_lock(&sc->mu);
        sc->stopping = true;
        pthread_cond_signal(&sc->cv);
        pthread_mutex_unlock(&sc->mu);
        pthread_join(sc->thread, NULL);
    }
    sc->so->close(sc->st);
    ncp_arena_free(sc->arena);
    pthread_mutex_destroy(&sc->mu);
    pthread_cond_destroy(&sc->cv);
    free(sc);
}


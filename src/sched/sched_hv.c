/* sched_hv.c: the completion engine of sched/hv.h (the machine adapter is
 * sched_hv_drv.c; their shared state and locks: hv_int.h).
 *
 * What the engine knows of each machine (mach_t) is the newest of: the
 * driver's power reports, the driver's listing at start-up, and the
 * outcome of our own calls (a create or start that returned has a running
 * machine, a terminate that returned a gone one). Every change queues the
 * server; the engine's thread applies what it means to the store as
 * group-commit jobs (resolve_one), reading that knowledge under h->mu but
 * never calling the driver there: the calls it needs (a stop pressed
 * again after a restart) are made on its own thread once the job is
 * committed. */
#include "sched/hv_int.h"
#include "sched/sched_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/rstate.h"
#include "domain/state.h"
#include "store/store_hv.h"
#include "util/clock.h"
#include "util/log.h"

#define BATCH 256          /* servers per job */
#define RETRY_MS 1000      /* a failed press or job is tried again this much later */
#define NEVER_MS INT64_MAX

const char *ncp_hv_power_name(ncp_drv_power_t p)
{
    return p == NCP_DRV_POWER_ON ? "on" : p == NCP_DRV_POWER_OFF ? "off"
                                      : p == NCP_DRV_POWER_GONE ? "gone" : "unknown";
}

static const char *kind_name(ncp_tr_kind_t k)
{
    switch (k) {
    case NCP_TR_CREATE: return "create";
    case NCP_TR_STOP: return "stop";
    case NCP_TR_START: return "start";
    case NCP_TR_REBOOT: return "reboot";
    case NCP_TR_TERMINATE: return "terminate";
    case NCP_TR_CHANGE_SPEC: return "changeSpec";
    default: return "transition";
    }
}

/* ---- what is known of the machines (h->mu held) --------------------------- */

static mach_t *mach_get(ncp_hv_t *h, int64_t no, bool add)
{
    size_t lo = 0, hi = h->n_m;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (h->m[mid].no < no)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < h->n_m && h->m[lo].no == no)
        return &h->m[lo];
    if (!add)
        return NULL;
    if (h->n_m == h->cap_m) {
        h->cap_m = h->cap_m ? h->cap_m * 2 : 64;
        h->m = realloc(h->m, h->cap_m * sizeof(mach_t));
        if (!h->m)
            abort();
    }
    memmove(h->m + lo + 1, h->m + lo, (h->n_m - lo) * sizeof(mach_t));
    h->m[lo] = (mach_t){.no = no};
    h->n_m++;
    return &h->m[lo];
}

static void enqueue(ncp_hv_t *h, mach_t *m)
{
    if (m->queued)
        return;
    if (h->n_q == h->cap_q) {
        h->cap_q = h->cap_q ? h->cap_q * 2 : 64;
        h->q = realloc(h->q, h->cap_q * sizeof(int64_t));
        if (!h->q)
            abort();
    }
    h->q[h->n_q++] = m->no;
    m->queued = true;
    pthread_cond_signal(&h->cv);
}

static void set_power(ncp_hv_t *h, mach_t *m, ncp_drv_power_t p)
{
    m->power = p;
    m->seq = ++h->seq;
}

/* The real driver's sink: record, queue, return. */
static void on_power(void *ctx, int64_t no, ncp_drv_power_t p)
{
    ncp_hv_t *h = ctx;
    pthread_mutex_lock(&h->mu);
    mach_t *m = mach_get(h, no, true);
    set_power(h, m, p);
    if (p == NCP_DRV_POWER_ON)
        m->starts++;
    enqueue(h, m);
    pthread_mutex_unlock(&h->mu);
}

/* list()'s callback at start-up: the power of a machine that exists. */
static void on_listed(void *ctx, int64_t no, ncp_drv_power_t p)
{
    ncp_hv_t *h = ctx;
    pthread_mutex_lock(&h->mu);
    mach_t *m = mach_get(h, no, true);
    set_power(h, m, p);
    enqueue(h, m);
    pthread_mutex_unlock(&h->mu);
}

/* Before our own call: a start, create or reboot completes with a (re)start
 * reported after this point; a stop's timeout now runs in the driver. */
void ncp_hv_note_asked(ncp_hv_t *h, int64_t no, bool stop)
{
    pthread_mutex_lock(&h->mu);
    mach_t *m = mach_get(h, no, true);
    if (stop) {
        m->pressed = true;
    } else {
        m->mark = m->starts;
        m->marked = true;
    }
    pthread_mutex_unlock(&h->mu);
}

/* Our own call returned: the machine is `p` now (create_vm and start return
 * once it runs, terminate once it is gone), unless a report that came after
 * the call was asked already says what it is (reports are newer than a
 * power known from before the call, which may still be on its way). */
void ncp_hv_note_done(ncp_hv_t *h, int64_t no, ncp_drv_power_t p)
{
    pthread_mutex_lock(&h->mu);
    mach_t *m = mach_get(h, no, true);
    if (p != NCP_DRV_POWER_ON || !m->marked || m->starts == m->mark)
        set_power(h, m, p);
    pthread_mutex_unlock(&h->mu);
}

static void press_later(ncp_hv_t *h, int64_t no, int64_t delay_ms)
{
    for (size_t i = 0; i < h->n_pr; i++)
        if (h->pr[i].no == no)
            return;
    if (h->n_pr == h->cap_pr) {
        h->cap_pr = h->cap_pr ? h->cap_pr * 2 : 16;
        h->pr = realloc(h->pr, h->cap_pr * sizeof(press_t));
        if (!h->pr)
            abort();
    }
    h->pr[h->n_pr++] = (press_t){no, ncp_clock_mono_ms() + delay_ms};
    pthread_cond_signal(&h->cv);
}

/* ---- transitions: confirmation and completion ------------------------------ */

/* A machine of ours: a classic or a VPC server (both are rows of servers). */
static bool is_server(ncp_kind_t k)
{
    return k == NCP_KIND_SERVER || k == NCP_KIND_VSERVER;
}

/* Applies steps of t with its kind's table k until `upto` have been applied,
 * or until a step makes no progress (the object was gone: the row is deleted). */
static int run_steps(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t,
                     const ncp_sched_kind_t *k, int upto, ncp_err_t *err)
{
    while (t->step < upto) {
        int before = t->step;
        if (k->step(env, st, t, err) < 0)
            return -1;
        if (t->step == before)
            break;
    }
    return 0;
}

/* Applies steps of a server's t (phase WAIT) until `upto` have been applied or
 * the path ends (the row is then gone). */
static int apply_steps(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t, int upto,
                       ncp_err_t *err)
{
    const ncp_path_t *p = ncp_state_path(t->kind);
    int end = p ? p->nsteps : 1;
    /* a VPC server's steps are a server's plus its VPC objects (sched_vpc.c) */
    const ncp_sched_kind_t *k = t->res_kind == NCP_KIND_VSERVER
                                    ? ncp_sched_vpc_kind(NCP_KIND_VSERVER)
                                    : &ncp_sched_server_kind;
    return run_steps(env, st, t, k, upto < end ? upto : end, err);
}

/* Block storage work the hypervisor confirmed: its calls (volume created and
 * attached, detached, deleted, resized) return once the work is done, so the
 * whole path is applied in the confirming transaction; the server's SETUP
 * ends with it when no other disk work of it is left (sched_res.c). */
static int disk_done(const ncp_store_ops_t *so, ncp_store_t *st, ncp_arena_t *a,
                     ncp_trans_t *t, int64_t now_ms, ncp_err_t *err)
{
    ncp_sched_env_t env = {so, a, now_ms, 0};
    const ncp_rpath_t *p = ncp_rstate_path(t->kind);
    int end = p ? p->nsteps : 1;
    t->phase = NCP_PHASE_RUNNING;
    t->due_ms = now_ms;
    t->wait_ms = 0;
    if (run_steps(&env, st, t, &ncp_sched_storage_kind, end, err) < 0)
        return -1;
    ncp_log_info("event=hv_done storage=%" PRId64 " call=\"%s\"", t->no, t->arg ? t->arg : "");
    return 1;
}

/* sched.h's confirm hook: the driver carried out a claim (ok), or refused it. */
static int on_confirm(void *ctx, const ncp_store_ops_t *so, ncp_store_t *st, ncp_arena_t *a,
                      ncp_trans_t *t, bool ok, int64_t now_ms, ncp_err_t *err)
{
    ncp_hv_t *h = ctx;
    if (t->res_kind == NCP_KIND_STORAGE && ok)
        return disk_done(so, st, a, t, now_ms, err);
    if (!is_server(t->res_kind) || t->kind == NCP_TR_STORAGE)
        return 0; /* timed */
    if (!ok) {
        /* undone: reports that came during the claim were set aside; the
         * server is looked at again once the undo is committed */
        pthread_mutex_lock(&h->mu);
        enqueue(h, mach_get(h, t->no, true));
        pthread_mutex_unlock(&h->mu);
        return 0;
    }
    ncp_sched_env_t env = {so, a, now_ms, 0};
    t->phase = NCP_PHASE_WAIT;
    t->due_ms = NEVER_MS;
    t->wait_ms = 0;
    t->step = 0;
    int upto = 0;
    switch (t->kind) {
    case NCP_TR_TERMINATE:
    case NCP_TR_CHANGE_SPEC:
        upto = INT32_MAX; /* the call returned once it was done */
        break;
    case NCP_TR_CREATE:
        upto = 2; /* defined and started: CREAT/START, RUN once it runs */
        break;
    default:
        break;
    }
    if (upto ? apply_steps(&env, st, t, upto, err) < 0 : so->trans_put(st, t, err) < 0)
        return -1;
    if (upto == INT32_MAX)
        ncp_log_info("event=hv_done server=%" PRId64 " op=%s", t->no, kind_name(t->kind));
    pthread_mutex_lock(&h->mu);
    enqueue(h, mach_get(h, t->no, true)); /* its job runs after this one */
    pthread_mutex_unlock(&h->mu);
    return 1;
}

typedef struct job {
    ncp_hv_t *h;
    const int64_t *nos;
    size_t n;
    int64_t press[BATCH]; /* stops to press again once committed */
    size_t n_press;
} job_t;

/* A server without a transition follows its machine. */
static int drift(ncp_hv_t *h, ncp_store_t *st, const ncp_server_t *s, ncp_drv_power_t p,
                 int64_t now, ncp_err_t *err)
{
    if (s->op != NCP_OP_NULL)
        return 0;
    int to = -1;
    const char *why = "";
    switch (s->status) {
    case NCP_ST_RUN:
        if (p == NCP_DRV_POWER_OFF) {
            to = NCP_ST_NSTOP;
            why = "the machine went off by itself or outside ncpd";
        }
        break;
    case NCP_ST_NSTOP:
        if (p == NCP_DRV_POWER_ON) {
            to = NCP_ST_RUN;
            why = "the machine was started outside ncpd";
        }
        break;
    case NCP_ST_FSTOP:
        if (p == NCP_DRV_POWER_ON || p == NCP_DRV_POWER_OFF) {
            to = p == NCP_DRV_POWER_ON ? NCP_ST_RUN : NCP_ST_NSTOP;
            why = "its machine is back";
        }
        break;
    default:
        break;
    }
    if (p == NCP_DRV_POWER_GONE && (s->status == NCP_ST_RUN || s->status == NCP_ST_NSTOP)) {
        to = NCP_ST_FSTOP;
        why = "its machine is gone (undefined outside ncpd, or another hypervisor)";
    }
    if (to < 0)
        return 0;
    if (h->so->server_set_state(st, s->no, (ncp_status_t)to, NCP_OP_NULL,
                                to == NCP_ST_RUN ? now : 0, err) < 0)
        return -1;
    ncp_log(to == NCP_ST_FSTOP ? NCP_LOG_WARN : NCP_LOG_NOTICE,
            "event=hv_drift server=%" PRId64 " from=%s to=%s power=%s detail=%s", s->no,
            ncp_state_status_code(s->status), ncp_state_status_code((ncp_status_t)to),
            ncp_hv_power_name(p), why);
    return 0;
}

static int resolve_one(job_t *j, ncp_store_t *st, int64_t no, int64_t now, ncp_err_t *err)
{
    ncp_hv_t *h = j->h;
    const ncp_store_ops_t *so = h->so;
    pthread_mutex_lock(&h->mu);
    mach_t *m = mach_get(h, no, false);
    mach_t k = m ? *m : (mach_t){.no = no};
    pthread_mutex_unlock(&h->mu);
    if (!k.power)
        return 0; /* nothing known yet */
    ncp_instance_t in;
    int r = so->instance_get(st, no, &in, err);
    if (r < 0)
        return -1;
    if (r == 0 || !is_server(in.kind) || in.deleted) {
        if (k.power != NCP_DRV_POWER_GONE && !k.stray_said) {
            ncp_log_warn("event=hv_stray machine=ncpd-%" PRId64 " power=%s detail=no server of "
                         "that number; left alone", no, ncp_hv_power_name(k.power));
            pthread_mutex_lock(&h->mu);
            if ((m = mach_get(h, no, false)))
                m->stray_said = true;
            pthread_mutex_unlock(&h->mu);
        }
        return 0;
    }
    ncp_server_t s;
    if ((r = so->server_get(st, h->arena, in.account_id, no, &s, err)) <= 0)
        return r;
    ncp_trans_t t;
    if ((r = so->trans_get(st, h->arena, no, &t, err)) < 0)
        return -1;
    if (r == 1) {
        if (t.phase != NCP_PHASE_WAIT)
            return 0; /* claimed (its request decides) or timed */
        bool done = true;
        switch (t.kind) {
        case NCP_TR_STOP:
            done = k.power != NCP_DRV_POWER_ON;
            if (!done && !k.pressed && j->n_press < BATCH)
                j->press[j->n_press++] = no; /* asked before a restart of ncpd */
            break;
        case NCP_TR_REBOOT:
            /* restarted since asked; or off; or asked before a restart of ncpd */
            done = !k.marked || k.starts > k.mark || k.power != NCP_DRV_POWER_ON;
            break;
        default:
            break; /* create, start: the call returned with it running */
        }
        if (!done)
            return 0;
        ncp_sched_env_t env = {so, h->arena, now, 0};
        if (apply_steps(&env, st, &t, INT32_MAX, err) < 0)
            return -1;
        ncp_log_info("event=hv_done server=%" PRId64 " op=%s power=%s", no, kind_name(t.kind),
                     ncp_hv_power_name(k.power));
        if ((r = so->server_get(st, h->arena, in.account_id, no, &s, err)) <= 0)
            return r;
    }
    return drift(h, st, &s, k.power, now, err);
}

static int resolve_batch(void *arg, ncp_store_t *st, ncp_err_t *err)
{
    job_t *j = arg;
    j->n_press = 0;
    ncp_arena_reset(j->h->arena);
    int64_t now = ncp_clock_now_ms();
    for (size_t i = 0; i < j->n; i++)
        if (resolve_one(j, st, j->nos[i], now, err) < 0)
            return -1;
    return 0;
}

/* ---- the engine's thread ------------------------------------------------- */

static void wait_ms(ncp_hv_t *h, int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&h->cv, &h->mu, &ts);
}

/* Every server of the store with the driver's machines: listed ones with
 * their power, the others gone (unless a report came meanwhile). */
static int reconcile_start(ncp_hv_t *h)
{
    ncp_err_t err;
    ncp_err_init(&err);
    pthread_mutex_lock(&h->mu);
    uint64_t seq0 = h->seq;
    pthread_mutex_unlock(&h->mu);
    int machines = h->ops->list(h->d, on_listed, h, &err);
    if (machines < 0) {
        if (!h->list_failing)
            ncp_log_warn("hv: cannot list the machines to reconcile (%s); retrying",
                         err.detail[0] ? err.detail : err.msg);
        h->list_failing = true;
        return -1;
    }
    int64_t nos[BATCH], after = 0, total = 0, gone = 0;
    for (;;) {
        size_t n = 0;
        pthread_mutex_lock(&h->st_mu);
        int r = h->so->begin(h->st, false, &err);
        if (r == 0) {
            r = ncp_store_hv_servers(h->st, after, BATCH, nos, &n, &err);
            h->so->rollback(h->st);
        }
        pthread_mutex_unlock(&h->st_mu);
        if (r < 0) {
            ncp_log_warn("hv: cannot read the servers to reconcile (%s); retrying",
                         err.detail[0] ? err.detail : err.msg);
            return -1;
        }
        pthread_mutex_lock(&h->mu);
        for (size_t i = 0; i < n; i++) {
            mach_t *m = mach_get(h, nos[i], true);
            if (m->seq <= seq0) { /* not listed, no report since: no machine */
                set_power(h, m, NCP_DRV_POWER_GONE);
                gone++;
            }
            enqueue(h, m);
        }
        pthread_mutex_unlock(&h->mu);
        total += (int64_t)n;
        if (n < BATCH)
            break;
        after = nos[n - 1];
    }
    ncp_log_info("hv: reconciling %" PRId64 " servers with %d machines (%" PRId64
                 " servers without one)",
                 total, machines, gone);
    h->list_failing = false;
    pthread_mutex_lock(&h->mu);
    h->reconciled = total;
    pthread_mutex_unlock(&h->mu);
    return 0;
}

/* A stop asked before a restart of ncpd, its machine still running: the
 * button again (the driver's stop timeout starts over). */
static void press(ncp_hv_t *h, int64_t no)
{
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_server_t s;
    memset(&s, 0, sizeof(s));
    s.no = no;
    ncp_hv_note_asked(h, no, true);
    if (h->ops->stop(h->d, &s, &err) == 0) {
        ncp_log_notice("event=hv_press server=%" PRId64 " detail=a stop asked before ncpd "
                       "restarted: power button pressed again", no);
        return;
    }
    pthread_mutex_lock(&h->mu);
    mach_t *m = mach_get(h, no, false);
    bool on = m && m->power == NCP_DRV_POWER_ON;
    if (on)
        press_later(h, no, RETRY_MS);
    pthread_mutex_unlock(&h->mu);
    if (on)
        ncp_log_warn("hv: server=%" PRId64 " detail=cannot press the power button again (%s); "
                     "retrying", no, err.detail);
}

static void *engine_main(void *arg)
{
    ncp_hv_t *h = arg;
    job_t *j = calloc(1, sizeof(*j));
    int64_t *batch = malloc(BATCH * sizeof(int64_t));
    if (!j || !batch)
        abort();
    j->h = h;
    pthread_mutex_lock(&h->mu);
    while (!h->stopping) {
        if (h->reconciled < 0) {
            pthread_mutex_unlock(&h->mu);
            int r = reconcile_start(h);
            pthread_mutex_lock(&h->mu);
            if (r < 0 && !h->stopping)
                wait_ms(h, RETRY_MS);
            continue;
        }
        int64_t now = ncp_clock_mono_ms(), next = now + 1000;
        size_t due = h->n_pr;
        for (size_t i = 0; i < h->n_pr; i++) {
            if (h->pr[i].due_ms <= now) {
                due = i;
                break;
            }
            if (h->pr[i].due_ms < next)
                next = h->pr[i].due_ms;
        }
        if (due < h->n_pr) {
            int64_t no = h->pr[due].no;
            h->pr[due] = h->pr[--h->n_pr];
            pthread_mutex_unlock(&h->mu);
            press(h, no);
            pthread_mutex_lock(&h->mu);
            continue;
        }
        if (h->n_q == 0) {
            wait_ms(h, next - now);
            continue;
        }
        size_t n = h->n_q < BATCH ? h->n_q : BATCH;
        memcpy(batch, h->q, n * sizeof(int64_t));
        memmove(h->q, h->q + n, (h->n_q - n) * sizeof(int64_t));
        h->n_q -= n;
        for (size_t i = 0; i < n; i++) {
            mach_t *m = mach_get(h, batch[i], false);
            if (m)
                m->queued = false;
        }
        pthread_mutex_unlock(&h->mu);

        ncp_err_t err;
        ncp_err_init(&err);
        j->nos = batch;
        j->n = n;
        int rc = ncp_commit_run(h->committer, resolve_batch, j, &err);
        pthread_mutex_lock(&h->mu);
        if (rc < 0) {
            if (!h->failing)
                ncp_log_error("hv: cannot record the machines' state (%s); retrying",
                              err.detail[0] ? err.detail : err.msg);
            h->failing = true;
            for (size_t i = 0; i < n; i++)
                enqueue(h, mach_get(h, batch[i], true));
            if (!h->stopping)
                wait_ms(h, RETRY_MS / 5);
            continue;
        }
        if (h->failing)
            ncp_log_notice("event=hv_recovered");
        h->failing = false;
        for (size_t i = 0; i < j->n_press; i++)
            press_later(h, j->press[i], 0);
    }
    pthread_mutex_unlock(&h->mu);
    free(batch);
    free(j);
    return NULL;
}

/* ---- life cycle ------------------------------------------------------------ */

ncp_hv_t *ncp_hv_new(const ncp_hv_conf_t *c, ncp_err_t *err)
{
    ncp_hv_t *h = calloc(1, sizeof(*h));
    if (!h)
        abort();
    h->self.h = h;
    h->so = c->so;
    h->ops = c->ops;
    h->reconciled = -1;
    memcpy(h->master_key, c->master_key, NCP_MASTER_KEY_LEN);
    pthread_mutex_init(&h->mu, NULL);
    pthread_mutex_init(&h->st_mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&h->cv, &ca);
    pthread_condattr_destroy(&ca);
    h->arena = ncp_arena_new(64 * 1024);
    if (!h->ops || h->ops->abi < 2 || !h->ops->open_opts || !h->ops->create_vm ||
        !h->ops->set_spec || !h->ops->list) {
        ncp_err_internal(err, "hv: driver %s cannot run real machines",
                         h->ops ? h->ops->name : "(none)");
        goto fail;
    }
    h->st = h->so->open(c->db, err);
    if (!h->st)
        goto fail;
    ncp_drv_opts_t o = c->opts;
    o.sink = (ncp_drv_sink_t){h, on_power};
    h->d = h->ops->open_opts(&o, err);
    if (!h->d)
        goto fail;
    ncp_sched_set_confirm_hook(on_confirm, h);
    return h;
fail:
    ncp_hv_free(h);
    return NULL;
}

ncp_driver_t ncp_hv_driver(ncp_hv_t *h)
{
    return (ncp_driver_t){&ncp_hv_adapter_ops, &h->self};
}

int ncp_hv_start(ncp_hv_t *h, ncp_committer_t *committer, ncp_err_t *err)
{
    h->committer = committer;
    int rc = pthread_create(&h->thread, NULL, engine_main, h);
    if (rc != 0) {
        ncp_err_internal(err, "hv: engine thread: %s", strerror(rc));
        return -1;
    }
    h->started = true;
    return 0;
}

void ncp_hv_free(ncp_hv_t *h)
{
    if (!h)
        return;
    if (h->started) {
        pthread_mutex_lock(&h->mu);
        h->stopping = true;
        pthread_cond_signal(&h->cv);
        pthread_mutex_unlock(&h->mu);
        pthread_join(h->thread, NULL);
    }
    ncp_sched_set_confirm_hook(NULL, NULL);
    if (h->d)
        h->ops->close(h->d); /* no report after this */
    if (h->st)
        h->so->close(h->st);
    ncp_arena_free(h->arena);
    pthread_mutex_destroy(&h->mu);
    pthread_mutex_destroy(&h->st_mu);
    pthread_cond_destroy(&h->cv);
    memset(h->master_key, 0, sizeof(h->master_key));
    free(h->m);
    free(h->q);
    free(h->pr);
    free(h);
}

/* drv_libvirt.c: machines on a libvirt hypervisor (QEMU/KVM or TCG; the
 * unit tests use libvirt's own test:///default). This file: the
 * connection, its events, the worker, open/close, listing, the ops table.
 *
 * One domain per server, named ncpd-<serverInstanceNo>, its account and
 * number in <metadata> (namespace urn:x-ncpd:server:1); the operations on
 * machines are in drv_libvirt_vm.c, block storage in drv_libvirt_disk.c,
 * files and texts in drv_libvirt_files.c.
 *
 * Threads and locks:
 *   - libvirt's default event loop runs in one thread of this file,
 *     shared by every open driver (started by the first open, stopped by
 *     the last close). Lifecycle and reboot events and the connection's
 *     close callback run there; their opaque is the driver's registry id,
 *     never a pointer, so a late event after close() finds nothing.
 *   - each driver has a worker thread: it reconnects after the connection
 *     is lost (then reconciles through the sink) and enforces the stop
 *     timeout.
 *   - d->mu guards the connection pointer, the machines seen and the
 *     deadlines; it is never held during a libvirt call. A call takes a
 *     reference on the connection under d->mu, then works without it.
 *   - d->report_mu serialises every call of the sink (and of list()'s
 *     callback), so that a report is never overtaken by an older one: each
 *     machine seen keeps the sequence number of its last event, and a
 *     listing (reconcile, list()) never reports a power older than that.
 * Calls are synchronous libvirt RPCs (seconds at most; qemu-img and
 * genisoimage run as child processes). A lost connection makes calls fail
 * at once with a message naming the URI while the worker reconnects. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>

#include "drv/drv.h"
#include "drv/drv_libvirt_int.h"
#include "util/log.h"

#define DEFAULT_URI "qemu:///system"
#define KEEPALIVE_INTERVAL_S 2
#define KEEPALIVE_COUNT 3
#define RECONNECT_MIN_MS 100
#define RECONNECT_MAX_MS 2000


typedef struct deadline {
    int64_t no;
    lv_dl_kind_t kind;
    int64_t due_ms; /* monotonic */
} deadline_t;

typedef struct mach {
    int64_t no;
    uint64_t seq;          /* d->seq of its last event, 0: none */
    ncp_drv_power_t power; /* last known, 0: not known yet */
} mach_t;

struct ncp_drv {
    intptr_t id;              /* registry id: the opaque of libvirt callbacks */
    atomic_int refs;          /* the opener's and the worker's */
    char *uri, *vm_dir, *dom_type;
    int stop_timeout_s;
    ncp_drv_sink_t sink;
    int cb_busy;              /* g_reg_mu: callbacks running on this driver */

    pthread_mutex_t mu;
    pthread_cond_t cv;        /* CLOCK_MONOTONIC */
    virConnectPtr conn;       /* NULL while disconnected */
    int cb_life, cb_reboot;   /* event callback ids on conn */
    bool lost;                /* the connection closed under us */
    int lost_reason;
    bool closing;
    bool worker_started;
    pthread_t worker;
    pthread_mutex_t report_mu; /* taken before mu, never the other way */
    mach_t *known;            /* machines seen, sorted by number (GONE ones too) */
    size_t n_known, cap_known;
    uint64_t seq;             /* events seen */
    deadline_t *dl;
    size_t n_dl, cap_dl;
};

static void drv_unref(ncp_drv_t *d);

/* ---- process-wide: libvirt init, the event loop, the registry --------- */

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_init_rc = -1;
static pthread_mutex_t g_loop_mu = PTHREAD_MUTEX_INITIALIZER; /* never taken by the loop */
static int g_loop_refs;
static pthread_t g_loop;
static atomic_bool g_loop_quit;
static pthread_mutex_t g_reg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_reg_cv = PTHREAD_COND_INITIALIZER;
static ncp_drv_t **g_reg;
static size_t g_n_reg, g_cap_reg;
static intptr_t g_next_id = 1;

static void quiet_errors(void *ud, virErrorPtr e)
{
    (void)ud;
    (void)e; /* reported by the caller, with context */
}

static void global_init(void)
{
    if (virInitialize() < 0)
        return;
    virSetErrorFunc(NULL, quiet_errors);
    xmlInitParser();
    if (virEventRegisterDefaultImpl() < 0)
        return;
    g_init_rc = 0;
}

static void *loop_main(void *arg)
{
    (void)arg;
    while (!atomic_load(&g_loop_quit))
        if (virEventRunDefaultImpl() < 0) {
            ncp_log_error("libvirt: event loop: %s", virGetLastErrorMessage());
            struct timespec ts = {0, 100 * 1000000};
            nanosleep(&ts, NULL);
        }
    return NULL;
}

static void wake_once(int timer, void *opaque)
{
    (void)opaque;
    virEventRemoveTimeout(timer);
}

static int loop_ref(ncp_err_t *err)
{
    int ret = 0;
    pthread_mutex_lock(&g_loop_mu);
    if (g_loop_refs == 0) {
        atomic_store(&g_loop_quit, false);
        int rc = pthread_create(&g_loop, NULL, loop_main, NULL);
        if (rc != 0) {
            ncp_err_internal(err, "libvirt: event loop thread: %s", strerror(rc));
            ret = -1;
        }
    }
    if (ret == 0)
        g_loop_refs++;
    pthread_mutex_unlock(&g_loop_mu);
    return ret;
}

static void loop_unref(void)
{
    pthread_mutex_lock(&g_loop_mu);
    if (--g_loop_refs == 0) {
        atomic_store(&g_loop_quit, true);
        virEventAddTimeout(0, wake_once, NULL, NULL); /* wakes the poll */
        pthread_join(g_loop, NULL);
    }
    pthread_mutex_unlock(&g_loop_mu);
}

static void reg_add(ncp_drv_t *d)
{
    pthread_mutex_lock(&g_reg_mu);
    if (g_n_reg == g_cap_reg) {
        g_cap_reg = g_cap_reg ? g_cap_reg * 2 : 4;
        g_reg = realloc(g_reg, g_cap_reg * sizeof(*g_reg));
        if (!g_reg)
            abort();
    }
    d->id = g_next_id++;
    g_reg[g_n_reg++] = d;
    pthread_mutex_unlock(&g_reg_mu);
}

/* The driver of a callback's opaque, marked busy; NULL once it closed. */
static ncp_drv_t *reg_enter(void *opaque)
{
    ncp_drv_t *d = NULL;
    pthread_mutex_lock(&g_reg_mu);
    for (size_t i = 0; i < g_n_reg; i++)
        if (g_reg[i]->id == (intptr_t)opaque) {
            d = g_reg[i];
            d->cb_busy++;
            break;
        }
    pthread_mutex_unlock(&g_reg_mu);
    return d;
}

static void reg_leave(ncp_drv_t *d)
{
    pthread_mutex_lock(&g_reg_mu);
    d->cb_busy--;
    pthread_cond_broadcast(&g_reg_cv);
    pthread_mutex_unlock(&g_reg_mu);
}

/* After this, no callback runs on d. */
static void reg_remove(ncp_drv_t *d)
{
    pthread_mutex_lock(&g_reg_mu);
    for (size_t i = 0; i < g_n_reg; i++)
        if (g_reg[i] == d) {
            g_reg[i] = g_reg[--g_n_reg];
            break;
        }
    while (d->cb_busy > 0)
        pthread_cond_wait(&g_reg_cv, &g_reg_mu);
    if (g_n_reg == 0) {
        free(g_reg);
        g_reg = NULL;
        g_cap_reg = 0;
    }
    pthread_mutex_unlock(&g_reg_mu);
}

/* ---- small helpers ------------------------------------------------------ */

int64_t lv_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cv_wait_ms(ncp_drv_t *d, int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(&d->cv, &d->mu, &ts);
}

const char *lv_lverr(void)
{
    const char *m = virGetLastErrorMessage();
    return m ? m : "unknown libvirt error";
}

int lv_lverr_code(void)
{
    virErrorPtr e = virGetLastError();
    return e ? e->code : VIR_ERR_OK;
}

void lv_fail(ncp_err_t *err, const char *what, int64_t no)
{
    ncp_err_internal(err, "libvirt: %s " LV_DOM_PREFIX "%" PRId64 ": %s", what, no, lv_lverr());
}

static const char *power_name(ncp_drv_power_t p)
{
    return p == NCP_DRV_POWER_ON ? "on" : p == NCP_DRV_POWER_OFF ? "off" : "gone";
}

/* known: sorted by number; d->mu held. */
static mach_t *known_get(ncp_drv_t *d, int64_t no, bool add)
{
    size_t lo = 0, hi = d->n_known;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->known[mid].no < no)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < d->n_known && d->known[lo].no == no)
        return &d->known[lo];
    if (!add)
        return NULL;
    if (d->n_known == d->cap_known) {
        d->cap_known = d->cap_known ? d->cap_known * 2 : 64;
        d->known = realloc(d->known, d->cap_known * sizeof(mach_t));
        if (!d->known)
            abort();
    }
    memmove(d->known + lo + 1, d->known + lo, (d->n_known - lo) * sizeof(mach_t));
    d->known[lo] = (mach_t){no, 0, 0};
    d->n_known++;
    return &d->known[lo];
}

/* A machine our own call created or removed (its event follows). */
void lv_known_set(ncp_drv_t *d, int64_t no, ncp_drv_power_t p)
{
    pthread_mutex_lock(&d->mu);
    known_get(d, no, true)->power = p;
    pthread_mutex_unlock(&d->mu);
}

/* deadlines; d->mu held. kind < 0: every kind. */
static void dl_clear(ncp_drv_t *d, int64_t no, int kind)
{
    for (size_t i = 0; i < d->n_dl;)
        if (d->dl[i].no == no && (kind < 0 || (int)d->dl[i].kind == kind))
            d->dl[i] = d->dl[--d->n_dl];
        else
            i++;
}

static void dl_push(ncp_drv_t *d, deadline_t dl)
{
    if (d->n_dl == d->cap_dl) {
        d->cap_dl = d->cap_dl ? d->cap_dl * 2 : 16;
        d->dl = realloc(d->dl, d->cap_dl * sizeof(deadline_t));
        if (!d->dl)
            abort();
    }
    d->dl[d->n_dl++] = dl;
    pthread_cond_broadcast(&d->cv);
}

static void dl_set(ncp_drv_t *d, int64_t no, lv_dl_kind_t kind)
{
    if (d->stop_timeout_s <= 0)
        return;
    dl_clear(d, no, -1);
    dl_push(d, (deadline_t){no, kind, lv_mono_ms() + (int64_t)d->stop_timeout_s * 1000});
}

const char *lv_vm_dir(const ncp_drv_t *d)
{
    return d->vm_dir;
}

const char *lv_dom_type(const ncp_drv_t *d)
{
    return d->dom_type;
}

void lv_deadline_set(ncp_drv_t *d, int64_t no, lv_dl_kind_t kind)
{
    pthread_mutex_lock(&d->mu);
    dl_set(d, no, kind);
    pthread_mutex_unlock(&d->mu);
}

void lv_deadline_clear(ncp_drv_t *d, int64_t no)
{
    pthread_mutex_lock(&d->mu);
    dl_clear(d, no, -1);
    pthread_mutex_unlock(&d->mu);
}

/* ---- events ---------------------------------------------------------- */

static void report(void *opaque, int64_t no, ncp_drv_power_t p, bool rebooted)
{
    ncp_drv_t *d = reg_enter(opaque);
    if (!d)
        return;
    pthread_mutex_lock(&d->report_mu);
    pthread_mutex_lock(&d->mu);
    mach_t *m = known_get(d, no, true);
    m->seq = ++d->seq;
    m->power = p;
    if (p != NCP_DRV_POWER_ON)
        dl_clear(d, no, -1);
    else if (rebooted)
        dl_clear(d, no, LV_DL_REBOOT);
    pthread_mutex_unlock(&d->mu);
    ncp_log_debug("libvirt: event server=%" PRId64 " power=%s%s", no, power_name(p),
                  rebooted ? " (rebooted)" : "");
    if (d->sink.power)
        d->sink.power(d->sink.ctx, no, p);
    pthread_mutex_unlock(&d->report_mu);
    reg_leave(d);
}

static int on_lifecycle(virConnectPtr c, virDomainPtr dom, int event, int detail, void *opaque)
{
    (void)c;
    (void)detail;
    int64_t no = lv_dom_no(virDomainGetName(dom));
    if (no <= 0)
        return 0;
    switch (event) {
    case VIR_DOMAIN_EVENT_STARTED: report(opaque, no, NCP_DRV_POWER_ON, false); break;
    case VIR_DOMAIN_EVENT_STOPPED: report(opaque, no, NCP_DRV_POWER_OFF, false); break;
    case VIR_DOMAIN_EVENT_UNDEFINED: report(opaque, no, NCP_DRV_POWER_GONE, false); break;
    default: break; /* defined, paused, resumed, shutting down: power unchanged */
    }
    return 0;
}

static void on_reboot(virConnectPtr c, virDomainPtr dom, void *opaque)
{
    (void)c;
    int64_t no = lv_dom_no(virDomainGetName(dom));
    if (no > 0)
        report(opaque, no, NCP_DRV_POWER_ON, true);
}

/* libvirt's test driver restarts a machine on reboot at once and emits no
 * event for it: the restart is reported from the event loop, as an event
 * would be (never from the thread of the call, drv.h's sink rule). */
typedef struct restart {
    intptr_t id;
    int64_t no;
} restart_t;

static void restart_fire(int timer, void *opaque)
{
    restart_t *r = opaque;
    virEventRemoveTimeout(timer);
    report((void *)r->id, r->no, NCP_DRV_POWER_ON, true);
}

void lv_report_restart(ncp_drv_t *d, int64_t no)
{
    restart_t *r = malloc(sizeof(*r));
    if (!r)
        abort();
    *r = (restart_t){d->id, no};
    if (virEventAddTimeout(0, restart_fire, r, free) < 0)
        free(r);
}

static void on_close(virConnectPtr c, int reason, void *opaque)
{
    ncp_drv_t *d = reg_enter(opaque);
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    /* conn NULL: closed before the worker published it; treat it as ours */
    if (c == d->conn || !d->conn) {
        d->lost = true;
        d->lost_reason = reason;
        pthread_cond_broadcast(&d->cv);
    }
    pthread_mutex_unlock(&d->mu);
    reg_leave(d);
}

/* ---- the connection ------------------------------------------------------ */

static void drop_conn(virConnectPtr c, int cb_life, int cb_reboot)
{
    if (!c)
        return;
    if (cb_life >= 0)
        virConnectDomainEventDeregisterAny(c, cb_life);
    if (cb_reboot >= 0)
        virConnectDomainEventDeregisterAny(c, cb_reboot);
    virConnectUnregisterCloseCallback(c, on_close);
    virConnectClose(c);
    virResetLastError();
}

static virConnectPtr connect_once(ncp_drv_t *d, int *cb_life, int *cb_reboot, ncp_err_t *err)
{
    *cb_life = *cb_reboot = -1;
    virConnectPtr c = virConnectOpen(d->uri);
    if (!c) {
        ncp_err_internal(err, "libvirt: cannot connect to %s: %s", d->uri, lv_lverr());
        return NULL;
    }
    /* Keepalive finds a daemon that hangs; a dead one closes the socket. */
    if (virConnectSetKeepAlive(c, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT) < 0)
        virResetLastError();
    void *opaque = (void *)d->id;
    if (virConnectRegisterCloseCallback(c, on_close, opaque, NULL) < 0)
        goto fail;
    *cb_life = virConnectDomainEventRegisterAny(c, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                                opaque, NULL);
    if (*cb_life < 0)
        goto fail;
    *cb_reboot = virConnectDomainEventRegisterAny(c, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                                  VIR_DOMAIN_EVENT_CALLBACK(on_reboot), opaque,
                                                  NULL);
    if (*cb_reboot < 0)
        goto fail;
    return c;
fail:
    ncp_err_internal(err, "libvirt: registering callbacks on %s: %s", d->uri, lv_lverr());
    drop_conn(c, *cb_life, *cb_reboot);
    *cb_life = *cb_reboot = -1;
    return NULL;
}

/* A reference on the current connection (virConnectClose() it), or NULL
 * with a clear error while there is none. */
virConnectPtr lv_conn_get(ncp_drv_t *d, ncp_err_t *err)
{
    pthread_mutex_lock(&d->mu);
    virConnectPtr c = d->conn;
    if (c)
        virConnectRef(c);
    pthread_mutex_unlock(&d->mu);
    if (!c)
        ncp_err_internal(err, "libvirt: not connected to %s (libvirtd down or restarting); "
                              "reconnecting", d->uri);
    return c;
}

typedef struct seen {
    int64_t no;
    ncp_drv_power_t power;
} seen_t;

/* Every machine of ours with its power; caller frees *out. */
static int list_all(virConnectPtr c, seen_t **out, ncp_err_t *err)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(c, &doms, 0);
    if (n < 0) {
        ncp_err_internal(err, "libvirt: listing domains: %s", lv_lverr());
        return -1;
    }
    seen_t *v = calloc((size_t)n + 1, sizeof(seen_t));
    if (!v)
        abort();
    int k = 0;
    for (int i = 0; i < n; i++) {
        int64_t no = lv_dom_no(virDomainGetName(doms[i]));
        if (no > 0) {
            int active = virDomainIsActive(doms[i]);
            if (active >= 0)
                v[k++] = (seen_t){no, active ? NCP_DRV_POWER_ON : NCP_DRV_POWER_OFF};
        }
        virDomainFree(doms[i]);
    }
    free(doms);
    *out = v;
    return k;
}

/* A listing made when d->seq was seq0, merged with the events seen since:
 * for each listed machine the newest power (machines undefined since are
 * left out); with `gone`, also GONE for machines seen before that are
 * neither listed nor changed since. Updates the machines seen. d->mu held;
 * returns the count in *out (caller frees). */
static size_t merge(ncp_drv_t *d, const seen_t *v, int n, uint64_t seq0, bool gone,
                    seen_t **out)
{
    seen_t *r = malloc(((size_t)n + d->n_known + 1) * sizeof(seen_t));
    if (!r)
        abort();
    size_t k = 0;
    for (int j = 0; j < n; j++) {
        mach_t *m = known_get(d, v[j].no, true);
        if (m->seq <= seq0)
            m->power = v[j].power;
        if (m->power != NCP_DRV_POWER_GONE)
            r[k++] = (seen_t){m->no, m->power};
    }
    if (gone)
        for (size_t i = 0; i < d->n_known; i++) {
            mach_t *m = &d->known[i];
            bool listed = false;
            for (int j = 0; j < n && !listed; j++)
                listed = v[j].no == m->no;
            if (!listed && m->seq <= seq0 && m->power != NCP_DRV_POWER_GONE) {
                m->power = NCP_DRV_POWER_GONE;
                dl_clear(d, m->no, -1);
                r[k++] = (seen_t){m->no, NCP_DRV_POWER_GONE};
            }
        }
    *out = r;
    return k;
}

/* After a reconnection: every machine's power through the sink, GONE for
 * the ones seen before that are missing now. */
static void reconcile(ncp_drv_t *d)
{
    ncp_err_t err;
    ncp_err_init(&err);
    seen_t *v = NULL, *r = NULL;
    pthread_mutex_lock(&d->mu);
    uint64_t seq0 = d->seq;
    pthread_mutex_unlock(&d->mu);
    virConnectPtr c = lv_conn_get(d, &err);
    int n = c ? list_all(c, &v, &err) : -1;
    if (c)
        virConnectClose(c);
    if (n < 0) {
        ncp_log_warn("libvirt: reconcile failed: %s", err.detail);
        return;
    }
    pthread_mutex_lock(&d->report_mu);
    pthread_mutex_lock(&d->mu);
    size_t k = merge(d, v, n, seq0, true, &r);
    if (d->closing)
        k = 0;
    pthread_mutex_unlock(&d->mu);
    size_t n_gone = 0;
    for (size_t i = 0; i < k; i++) {
        n_gone += r[i].power == NCP_DRV_POWER_GONE;
        if (d->sink.power)
            d->sink.power(d->sink.ctx, r[i].no, r[i].power);
    }
    pthread_mutex_unlock(&d->report_mu);
    ncp_log_info("libvirt: reconciled %zu machines (%zu gone) with %s", k - n_gone, n_gone,
                 d->uri);
    free(v);
    free(r);
}

static const char *close_reason(int r)
{
    switch (r) {
    case VIR_CONNECT_CLOSE_REASON_ERROR: return "I/O error";
    case VIR_CONNECT_CLOSE_REASON_EOF: return "end of file";
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE: return "keepalive timeout";
    case VIR_CONNECT_CLOSE_REASON_CLIENT: return "closed by client";
    default: return "unknown reason";
    }
}

/* d->mu held on entry and exit. */
static void reconnect(ncp_drv_t *d)
{
    virConnectPtr old = d->conn;
    int old_life = d->cb_life, old_reboot = d->cb_reboot;
    int reason = d->lost_reason;
    d->conn = NULL;
    d->cb_life = d->cb_reboot = -1;
    d->lost = false;
    pthread_mutex_unlock(&d->mu);
    ncp_log_warn("libvirt: connection to %s lost (%s); reconnecting", d->uri,
                 close_reason(reason));
    drop_conn(old, old_life, old_reboot);
    int64_t delay = RECONNECT_MIN_MS, since = lv_mono_ms();
    bool said = false;
    for (;;) {
        ncp_err_t err;
        ncp_err_init(&err);
        int life, reb;
        virConnectPtr c = connect_once(d, &life, &reb, &err);
        pthread_mutex_lock(&d->mu);
        if (d->closing) {
            pthread_mutex_unlock(&d->mu);
            drop_conn(c, life, reb);
            pthread_mutex_lock(&d->mu);
            return;
        }
        if (c) {
            d->conn = c;
            d->cb_life = life;
            d->cb_reboot = reb;
            pthread_mutex_unlock(&d->mu);
            ncp_log_info("libvirt: reconnected to %s after %" PRId64 " ms", d->uri,
                         lv_mono_ms() - since);
            reconcile(d);
            pthread_mutex_lock(&d->mu);
            return;
        }
        if (!said) {
            ncp_log_warn("%s; retrying", err.detail);
            said = true;
        }
        cv_wait_ms(d, delay);
        if (d->closing)
            return;
        pthread_mutex_unlock(&d->mu);
        delay = delay * 2 > RECONNECT_MAX_MS ? RECONNECT_MAX_MS : delay * 2;
    }
}

/* A stop (reboot) timeout expired: force the machine off (reset it) if it
 * still runs. When libvirt cannot tell (connection lost meanwhile), the
 * deadline comes back a second later; while the worker reconnects it
 * waits, and runs right after the reconnection. */
static void enforce(ncp_drv_t *d, deadline_t dl)
{
    ncp_err_t err;
    ncp_err_init(&err);
    char name[32];
    bool retry = false;
    snprintf(name, sizeof(name), LV_DOM_PREFIX "%" PRId64, dl.no);
    virDomainPtr dom = NULL;
    virConnectPtr c = lv_conn_get(d, &err);
    if (!c) {
        retry = true;
        goto cleanup;
    }
    dom = virDomainLookupByName(c, name);
    int active = dom ? virDomainIsActive(dom) : 0;
    if ((!dom && lv_lverr_code() != VIR_ERR_NO_DOMAIN) || active < 0) {
        snprintf(err.detail, sizeof(err.detail), "%s", lv_lverr());
        retry = true;
        goto cleanup;
    }
    if (active == 1) {
        int rc;
        if (dl.kind == LV_DL_STOP) {
            ncp_log_warn("libvirt: %s still running %d s after the power button; forcing it off",
                         name, d->stop_timeout_s);
            rc = virDomainDestroy(dom);
        } else {
            ncp_log_warn("libvirt: %s did not reboot within %d s of the power button; "
                         "resetting it", name, d->stop_timeout_s);
            rc = virDomainReset(dom, 0);
        }
        if (rc < 0 && (dl.kind == LV_DL_REBOOT || virDomainIsActive(dom) != 0)) {
            snprintf(err.detail, sizeof(err.detail), "%s", lv_lverr());
            retry = true;
        }
    }
cleanup:
    if (retry) {
        ncp_log_warn("libvirt: cannot enforce the stop timeout of %s yet (%s); retrying in 1 s",
                     name, err.detail);
        pthread_mutex_lock(&d->mu);
        bool other = false;
        for (size_t i = 0; i < d->n_dl && !other; i++)
            other = d->dl[i].no == dl.no;
        if (!other) {
            dl.due_ms = lv_mono_ms() + 1000;
            dl_push(d, dl);
        }
        pthread_mutex_unlock(&d->mu);
    }
    if (dom)
        virDomainFree(dom);
    if (c)
        virConnectClose(c);
}

static void *worker_main(void *arg)
{
    ncp_drv_t *d = arg;
    pthread_mutex_lock(&d->mu);
    while (!d->closing) {
        if (d->lost) {
            reconnect(d);
            continue;
        }
        int64_t now = lv_mono_ms(), next = now + 1000;
        size_t due = d->n_dl;
        for (size_t i = 0; i < d->n_dl; i++) {
            if (d->dl[i].due_ms <= now) {
                due = i;
                break;
            }
            if (d->dl[i].due_ms < next)
                next = d->dl[i].due_ms;
        }
        if (due < d->n_dl) {
            deadline_t dl = d->dl[due];
            d->dl[due] = d->dl[--d->n_dl];
            pthread_mutex_unlock(&d->mu);
            enforce(d, dl);
            pthread_mutex_lock(&d->mu);
            continue;
        }
        cv_wait_ms(d, next - now);
    }
    pthread_mutex_unlock(&d->mu);
    drv_unref(d);
    return NULL;
}

/* ---- open / close ------------------------------------------------------- */

static void drv_unref(ncp_drv_t *d)
{
    if (atomic_fetch_sub(&d->refs, 1) != 1)
        return;
    pthread_mutex_destroy(&d->mu);
    pthread_mutex_destroy(&d->report_mu);
    pthread_cond_destroy(&d->cv);
    free(d->uri);
    free(d->vm_dir);
    free(d->dom_type);
    free(d->known);
    free(d->dl);
    free(d);
}

/* Stops the worker (a worker stuck in a call to a hung libvirtd is left
 * behind after CLOSE_WAIT_MS: it finishes, and frees d, when the call
 * returns), then drops the callbacks and the connection. No sink call
 * happens after this returns. */
#define CLOSE_WAIT_MS 5000
static void lv_close(ncp_drv_t *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    d->closing = true;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
    /* a reconcile under way finishes its reports; later ones see closing */
    pthread_mutex_lock(&d->report_mu);
    pthread_mutex_unlock(&d->report_mu);
    if (d->worker_started) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += CLOSE_WAIT_MS / 1000;
        if (pthread_timedjoin_np(d->worker, NULL, &until) != 0) {
            ncp_log_warn("libvirt: %s does not answer; closing without waiting for it", d->uri);
            pthread_detach(d->worker);
        }
    }
    if (d->id)
        reg_remove(d);
    pthread_mutex_lock(&d->mu);
    virConnectPtr c = d->conn;
    int life = d->cb_life, reb = d->cb_reboot;
    d->conn = NULL;
    pthread_mutex_unlock(&d->mu);
    drop_conn(c, life, reb);
    if (d->id)
        loop_unref();
    drv_unref(d);
}

static char *pick_type(ncp_drv_t *d, const char *want, ncp_err_t *err)
{
    if (want && *want) {
        if (strcmp(want, "kvm") && strcmp(want, "qemu") && strcmp(want, "test")) {
            ncp_err_internal(err, "libvirt: domain type %s is not kvm, qemu or test", want);
            return NULL;
        }
        return strdup(want);
    }
    const char *t = virConnectGetType(d->conn);
    if (t && strcasecmp(t, "TEST") == 0)
        return strdup("test");
    char *caps = virConnectGetDomainCapabilities(d->conn, NULL, NULL, NULL, "kvm", 0);
    virResetLastError();
    char why[96];
    const char *type = lv_pick_domain_type(caps, why, sizeof(why));
    free(caps);
    ncp_log_info("libvirt: domain type %s (%s)", type, why);
    return strdup(type);
}

static ncp_drv_t *lv_open_opts(const ncp_drv_opts_t *o, ncp_err_t *err)
{
    ncp_drv_t *d = NULL;
    char abs[PATH_MAX];
    pthread_once(&g_once, global_init);
    if (g_init_rc < 0) {
        ncp_err_internal(err, "libvirt: cannot initialise the library or its event loop");
        return NULL;
    }
    if (!o || !o->vm_dir || !o->vm_dir[0]) {
        ncp_err_internal(err, "libvirt: no vm directory given");
        return NULL;
    }
    if (lv_mkdir_p(o->vm_dir, err) < 0)
        return NULL;
    if (!realpath(o->vm_dir, abs)) {
        ncp_err_internal(err, "libvirt: vm directory %s: %s", o->vm_dir, strerror(errno));
        return NULL;
    }
    if (strlen(abs) > PATH_MAX - LV_PATH_SLACK) {
        ncp_err_internal(err, "libvirt: vm directory path too long");
        return NULL;
    }
    d = calloc(1, sizeof(*d));
    if (!d)
        abort();
    atomic_init(&d->refs, 1);
    pthread_mutex_init(&d->mu, NULL);
    pthread_mutex_init(&d->report_mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&d->cv, &ca);
    pthread_condattr_destroy(&ca);
    d->cb_life = d->cb_reboot = -1;
    d->uri = strdup(o->uri && o->uri[0] ? o->uri : DEFAULT_URI);
    d->vm_dir = strdup(abs);
    d->stop_timeout_s = o->stop_timeout_s > 0 ? o->stop_timeout_s : 0;
    d->sink = o->sink;
    if (!d->uri || !d->vm_dir)
        abort();
    if (loop_ref(err) < 0)
        goto fail;
    reg_add(d);
    d->conn = connect_once(d, &d->cb_life, &d->cb_reboot, err);
    if (!d->conn)
        goto fail;
    if (!(d->dom_type = pick_type(d, o->domain_type, err)))
        goto fail;
    seen_t *v = NULL, *r = NULL;
    int n = list_all(d->conn, &v, err);
    if (n < 0)
        goto fail;
    pthread_mutex_lock(&d->mu);
    merge(d, v, n, 0, false, &r);
    pthread_mutex_unlock(&d->mu);
    free(v);
    free(r);
    atomic_fetch_add(&d->refs, 1);
    int rc = pthread_create(&d->worker, NULL, worker_main, d);
    if (rc != 0) {
        atomic_fetch_sub(&d->refs, 1);
        ncp_err_internal(err, "libvirt: worker thread: %s", strerror(rc));
        goto fail;
    }
    d->worker_started = true;
    ncp_log_info("libvirt: connected to %s, domain type %s, %d machines, vm dir %s", d->uri,
                 d->dom_type, n, d->vm_dir);
    return d;
fail:
    lv_close(d);
    return NULL;
}

static ncp_drv_t *lv_open(const char *uri, ncp_err_t *err)
{
    (void)uri;
    ncp_err_internal(err, "libvirt: the driver needs open_opts (vm directory, sink)");
    return NULL;
}

static int lv_list(ncp_drv_t *d, ncp_drv_list_cb cb, void *ctx, ncp_err_t *err)
{
    seen_t *v = NULL, *r = NULL;
    pthread_mutex_lock(&d->mu);
    uint64_t seq0 = d->seq;
    pthread_mutex_unlock(&d->mu);
    virConnectPtr c = lv_conn_get(d, err);
    if (!c)
        return -1;
    int n = list_all(c, &v, err);
    virConnectClose(c);
    if (n < 0)
        return -1;
    pthread_mutex_lock(&d->report_mu);
    pthread_mutex_lock(&d->mu);
    size_t k = merge(d, v, n, seq0, false, &r);
    pthread_mutex_unlock(&d->mu);
    for (size_t i = 0; i < k; i++)
        cb(ctx, r[i].no, r[i].power);
    pthread_mutex_unlock(&d->report_mu);
    free(v);
    free(r);
    return (int)k;
}

/* The domain of server `no` on c, or NULL with err set (*missing tells
 * that libvirt has no such domain). */
virDomainPtr lv_dom_get(virConnectPtr c, int64_t no, bool *missing, ncp_err_t *err)
{
    char name[32];
    snprintf(name, sizeof(name), LV_DOM_PREFIX "%" PRId64, no);
    if (missing)
        *missing = false;
    virDomainPtr dom = virDomainLookupByName(c, name);
    if (!dom) {
        if (lv_lverr_code() == VIR_ERR_NO_DOMAIN) {
            if (missing)
                *missing = true;
            ncp_err_internal(err, "libvirt: no machine %s", name);
        } else {
            ncp_err_internal(err, "libvirt: looking up %s: %s", name, lv_lverr());
        }
    }
    return dom;
}

const ncp_drv_ops_t ncp_drv_libvirt_ops = {
    .abi = NCP_DRV_ABI,
    .name = "libvirt",
    .open = lv_open,
    .close = lv_close,
    .create = NULL, /* create_vm */
    .start = lv_start,
    .stop = lv_stop,
    .reboot = lv_reboot,
    .terminate = lv_terminate,
    .change_spec = NULL, /* set_spec */
    .open_opts = lv_open_opts,
    .create_vm = lv_create_vm,
    .force_off = lv_force_off,
    .set_spec = lv_set_spec,
    .state = lv_state,
    .list = lv_list,
    .disk_create = lv_disk_create,
    .disk_attach = lv_disk_attach,
    .disk_detach = lv_disk_detach,
    .disk_delete = lv_disk_delete,
    .disk_resize = lv_disk_resize,
};

/* metrics.c: see metrics.h.
 *
 * Layout: one slot per action (plus one for requests that named no
 * action), each with a counter per error code and a latency histogram;
 * one batch-size and one commit-latency histogram; the simple series of
 * NCP_METRICS_SIMPLE. Histograms store per-bucket counts; the exposition
 * makes them cumulative. Action names map to slots through a small
 * open-addressing table keyed by the name's address (no string compare on
 * the request path). Everything is written with relaxed atomics: a scrape
 * may see a request counted in one series and not yet in another, which
 * Prometheus tolerates. */
#include "util/metrics.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef _Atomic uint64_t ctr_t;

/* Latency bucket bounds in microseconds (0.5 ms .. 10 s). */
static const int64_t lat_le_us[] = {500,    1000,   2500,   5000,    10000,   25000,   50000,
                                    100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000};
#define N_LAT (sizeof(lat_le_us) / sizeof(lat_le_us[0]))
static const int64_t batch_le[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
#define N_BATCH (sizeof(batch_le) / sizeof(batch_le[0]))

typedef struct hist {
    ctr_t bucket[N_LAT + 1]; /* last: above every bound */
    ctr_t sum;               /* microseconds (or jobs) */
    ctr_t count;
} hist_t;

typedef struct slot {
    const char *name; /* NULL: requests that named no action */
    ctr_t codes[NCP_E__COUNT];
    hist_t lat;
} slot_t;

typedef struct gauge_cb {
    const char *family, *help;
    ncp_metrics_gauge_fn fn;
    void *arg;
} gauge_cb_t;

static struct {
    atomic_bool ready;
    slot_t *slots; /* n_actions + 1 */
    size_t n_slots;
    const char **keys; /* hash: action name pointer -> slot index in vals */
    size_t *vals, mask;
    hist_t batch, commit;
    _Atomic int64_t simple[NCP_M__COUNT];
    char version[64], features[64];
    gauge_cb_t gauges[8];
    atomic_size_t n_gauges;
} reg;

static const struct {
    const char *family, *labels, *kind, *help;
} simple_rows[] = {
#define NCP_METRIC_ROW(id, fam, labels, kind, help) {fam, labels, #kind, help},
    NCP_METRICS_SIMPLE(NCP_METRIC_ROW)
#undef NCP_METRIC_ROW
};

static size_t hash_ptr(const void *p, size_t mask)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & mask;
}

void ncp_metrics_init(const char *const *actions, size_t n_actions, const char *version,
                      const char *features)
{
    if (atomic_load(&reg.ready))
        return;
    reg.n_slots = n_actions + 1;
    reg.slots = calloc(reg.n_slots, sizeof(slot_t));
    size_t cap = 16;
    while (cap < 4 * n_actions)
        cap *= 2;
    reg.keys = calloc(cap, sizeof(*reg.keys));
    reg.vals = calloc(cap, sizeof(*reg.vals));
    if (!reg.slots || !reg.keys || !reg.vals)
        abort();
    reg.mask = cap - 1;
    for (size_t i = 0; i < n_actions; i++) {
        reg.slots[i].name = actions[i];
        size_t h = hash_ptr(actions[i], reg.mask);
        while (reg.keys[h])
            h = (h + 1) & reg.mask;
        reg.keys[h] = actions[i];
        reg.vals[h] = i;
    }
    snprintf(reg.version, sizeof(reg.version), "%s", version ? version : "");
    snprintf(reg.features, sizeof(reg.features), "%s", features ? features : "");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    atomic_store_explicit(&reg.simple[NCP_M_START_TIME], (int64_t)ts.tv_sec,
                          memory_order_relaxed);
    atomic_store(&reg.ready, true);
}

void ncp_metrics_add(ncp_metric_t m, int64_t delta)
{
    atomic_fetch_add_explicit(&reg.simple[m], delta, memory_order_relaxed);
}

void ncp_metrics_set(ncp_metric_t m, int64_t value)
{
    atomic_store_explicit(&reg.simple[m], value, memory_order_relaxed);
}

int64_t ncp_metrics_get(ncp_metric_t m)
{
    return atomic_load_explicit(&reg.simple[m], memory_order_relaxed);
}

int64_t ncp_metrics_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void hist_observe(hist_t *h, const int64_t *le, size_t n, int64_t v)
{
    size_t b = 0;
    while (b < n && v > le[b])
        b++;
    atomic_fetch_add_explicit(&h->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum, (uint64_t)(v < 0 ? 0 : v), memory_order_relaxed);
    atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
}

void ncp_metrics_request(const char *action, ncp_err_code_t code, int64_t start_us)
{
    if (!atomic_load_explicit(&reg.ready, memory_order_acquire))
        return;
    size_t slot = reg.n_slots - 1;
    if (action) {
        size_t h = hash_ptr(action, reg.mask);
        while (reg.keys[h] && reg.keys[h] != action)
            h = (h + 1) & reg.mask;
        if (reg.keys[h])
            slot = reg.vals[h];
    }
    slot_t *s = &reg.slots[slot];
    if ((unsigned)code >= NCP_E__COUNT)
        code = NCP_E_INTERNAL;
    atomic_fetch_add_explicit(&s->codes[code], 1, memory_order_relaxed);
    hist_observe(&s->lat, lat_le_us, N_LAT, ncp_metrics_now_us() - start_us);
    if (code == NCP_E_INTERNAL)
        ncp_metrics_add(NCP_M_STORE_ERR_REQUEST, 1);
}

void ncp_metrics_commit(int jobs, int64_t start_us)
{
    if (!atomic_load_explicit(&reg.ready, memory_order_acquire))
        return;
    hist_observe(&reg.batch, batch_le, N_BATCH, jobs);
    hist_observe(&reg.commit, lat_le_us, N_LAT, ncp_metrics_now_us() - start_us);
}

void ncp_metrics_conn(int delta)
{
    ncp_metrics_add(NCP_M_CONNS_OPEN, delta);
    if (delta > 0)
        ncp_metrics_add(NCP_M_CONNS_TOTAL, delta);
}

void ncp_metrics_sched_pass(int applied)
{
    ncp_metrics_add(NCP_M_SCHED_PASSES, 1);
    if (applied < 0)
        ncp_metrics_add(NCP_M_STORE_ERR_SCHED, 1);
    else
        ncp_metrics_add(NCP_M_TRANS_APPLIED, applied);
}

void ncp_metrics_gauge(const char *family, const char *help, ncp_metrics_gauge_fn fn, void *arg)
{
    size_t n = atomic_load(&reg.n_gauges);
    if (n >= sizeof(reg.gauges) / sizeof(reg.gauges[0]))
        abort(); /* a wiring bug */
    reg.gauges[n] = (gauge_cb_t){family, help, fn, arg};
    atomic_store(&reg.n_gauges, n + 1);
}

/* ---- exposition ------------------------------------------------------------- */

static uint64_t ld(ctr_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

static void head(ncp_buf_t *out, const char *family, const char *kind, const char *help)
{
    ncp_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", family, help, family, kind);
}

/* Label value: \, " and newlines escaped (names come from our tables). */
static void label_value(ncp_buf_t *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            ncp_buf_printf(out, "\\%c", *s);
        else if (*s == '\n')
            ncp_buf_puts(out, "\\n");
        else
            ncp_buf_printf(out, "%c", *s);
    }
}

static void hist_render(ncp_buf_t *out, const char *family, const char *label, hist_t *h,
                        const int64_t *le, size_t n, double scale)
{
    uint64_t cum = 0;
    const char *sep = label[0] ? "," : "";
    for (size_t b = 0; b <= n; b++) {
        cum += ld(&h->bucket[b]);
        if (b < n)
            ncp_buf_printf(out, "%s_bucket{%s%sle=\"%g\"} %llu\n", family, label, sep,
                           (double)le[b] / scale, (unsigned long long)cum);
        else
            ncp_buf_printf(out, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", family, label, sep,
                           (unsigned long long)cum);
    }
    ncp_buf_printf(out, "%s_sum%s%s%s %.6f\n", family, label[0] ? "{" : "", label,
                   label[0] ? "}" : "", (double)ld(&h->sum) / scale);
    /* count as the +Inf bucket: the two must agree even under concurrent updates */
    ncp_buf_printf(out, "%s_count%s%s%s %llu\n", family, label[0] ? "{" : "", label,
                   label[0] ? "}" : "", (unsigned long long)cum);
}

static const char *slot_name(const slot_t *s)
{
    return s->name ? s->name : "none";
}

void ncp_metrics_render(ncp_buf_t *out)
{
    head(out, "ncpd_build_info", "gauge", "version and features of this ncpd build (always 1)");
    ncp_buf_puts(out, "ncpd_build_info{version=\"");
    label_value(out, reg.version);
    ncp_buf_puts(out, "\",features=\"");
    label_value(out, reg.features);
    ncp_buf_puts(out, "\"} 1\n");

    head(out, "ncpd_requests_total", "counter",
         "API requests answered, by action and returnCode (gateway errors: their errorCode)");
    for (size_t i = 0; i < reg.n_slots; i++) {
        slot_t *s = &reg.slots[i];
        for (int c = 0; c < NCP_E__COUNT; c++) {
            const char *rc = ncp_err_return_code((ncp_err_code_t)c);
            bool first = true; /* sum the ids sharing this returnCode, once */
            for (int k = 0; k < c && first; k++)
                first = strcmp(ncp_err_return_code((ncp_err_code_t)k), rc) != 0;
            if (!first)
                continue;
            uint64_t n = 0;
            for (int k = c; k < NCP_E__COUNT; k++)
                if (strcmp(ncp_err_return_code((ncp_err_code_t)k), rc) == 0)
                    n += ld(&s->codes[k]);
            if (n)
                ncp_buf_printf(out, "ncpd_requests_total{action=\"%s\",return_code=\"%s\"} %llu\n",
                               slot_name(s), rc, (unsigned long long)n);
        }
    }

    head(out, "ncpd_request_duration_seconds", "histogram",
         "time from the parsed request to its answer, by action");
    for (size_t i = 0; i < reg.n_slots; i++) {
        slot_t *s = &reg.slots[i];
        if (!ld(&s->lat.count))
            continue;
        char label[128];
        snprintf(label, sizeof(label), "action=\"%s\"", slot_name(s));
        hist_render(out, "ncpd_request_duration_seconds", label, &s->lat, lat_le_us, N_LAT, 1e6);
    }

    head(out, "ncpd_commit_batch_size", "histogram",
         "jobs (writes of requests and scheduler passes) per group-commit transaction");
    hist_render(out, "ncpd_commit_batch_size", "", &reg.batch, batch_le, N_BATCH, 1);
    head(out, "ncpd_commit_duration_seconds", "histogram",
         "time of one group-commit batch, from BEGIN to the end of COMMIT (fsync included)");
    hist_render(out, "ncpd_commit_duration_seconds", "", &reg.commit, lat_le_us, N_LAT, 1e6);

    size_t ng = atomic_load(&reg.n_gauges);
    for (size_t i = 0; i < ng; i++) {
        gauge_cb_t *g = &reg.gauges[i];
        int64_t v = g->fn(g->arg);
        if (v < 0)
            continue;
        head(out, g->family, "gauge", g->help);
        ncp_buf_printf(out, "%s %lld\n", g->family, (long long)v);
    }

    for (size_t i = 0; i < NCP_M__COUNT; i++) {
        if (i == NCP_M_TLS_NOT_AFTER && !ncp_metrics_get(NCP_M_TLS_NOT_AFTER))
            continue; /* no certificate: no expiry */
        if (simple_rows[i].help[0])
            head(out, simple_rows[i].family, simple_rows[i].kind, simple_rows[i].help);
        ncp_buf_printf(out, "%s%s%s%s %lld\n", simple_rows[i].family,
                       simple_rows[i].labels[0] ? "{" : "", simple_rows[i].labels,
                       simple_rows[i].labels[0] ? "}" : "",
                       (long long)ncp_metrics_get((ncp_metric_t)i));
    }
}

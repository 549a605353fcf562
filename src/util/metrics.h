/* metrics.h: the process's metrics registry, rendered in the Prometheus
 * text exposition format (version 0.0.4).
 *
 * Every series is a relaxed atomic integer in static memory: the hooks on
 * the request, commit and scheduler paths take no lock and allocate
 * nothing (an atomic add or two, plus a clock read per request). Labels
 * have fixed, small sets of values (action names of the table, returnCodes
 * of errors.def, fixed bucket bounds): never an account, key or address.
 *
 * The hooks in other modules are one line each and safe to call before
 * ncp_metrics_init() (and in processes that never call it: unit tests,
 * fuzzers, `ncpd account`): they then do nothing. */
#ifndef NCP_METRICS_H
#define NCP_METRICS_H
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Plain counters and gauges (X-macro: id, family, labels, kind, help). */
#define NCP_METRICS_SIMPLE(X)                                                                     \
    X(CONNS_OPEN, "ncpd_connections_open", "", gauge,                                             \
      "HTTP connections open on the API listener")                                                \
    X(CONNS_TOTAL, "ncpd_connections_total", "", counter,                                         \
      "HTTP connections accepted on the API listener")                                            \
    X(TRANS_APPLIED, "ncpd_transitions_applied_total", "", counter,                               \
      "timed transition steps applied by the scheduler")                                          \
    X(SCHED_PASSES, "ncpd_scheduler_passes_total", "", counter,                                   \
      "scheduler passes over due transitions")                                                    \
    X(STORE_ERR_COMMIT, "ncpd_store_errors_total", "op=\"commit\"", counter,                      \
      "store failures: group-commit batches that could not commit (op=commit), failed "          \
      "scheduler passes (op=scheduler), requests answered 1300 (op=request)")                     \
    X(STORE_ERR_SCHED, "ncpd_store_errors_total", "op=\"scheduler\"", counter, "")                \
    X(STORE_ERR_REQUEST, "ncpd_store_errors_total", "op=\"request\"", counter, "")                \
    X(ANSWER_CACHE_HITS, "ncpd_answer_cache_hits_total", "", counter,                             \
      "polled reads answered from the per-thread answer cache (no commit since computed)")        \
    X(TLS_RELOAD_OK, "ncpd_tls_reloads_total", "result=\"ok\"", counter,                          \
      "certificate reloads (SIGHUP) by result")                                                   \
    X(TLS_RELOAD_ERR, "ncpd_tls_reloads_total", "result=\"error\"", counter, "")                  \
    X(TLS_NOT_AFTER, "ncpd_tls_certificate_expiry_timestamp_seconds", "", gauge,                  \
      "notAfter of the certificate served to new connections (Unix time)")                        \
    X(START_TIME, "process_start_time_seconds", "", gauge,                                        \
      "start time of the process since the Unix epoch in seconds")

typedef enum ncp_metric {
#define NCP_METRIC_ENUM(id, fam, labels, kind, help) NCP_M_##id,
    NCP_METRICS_SIMPLE(NCP_METRIC_ENUM)
#undef NCP_METRIC_ENUM
    NCP_M__COUNT
} ncp_metric_t;

/* Sets up the per-action series for these action names (pointers are kept
 * and matched by identity: pass the action table's own strings) and the
 * build information. Call once, before the threads start. */
void ncp_metrics_init(const char *const *actions, size_t n_actions, const char *version,
                      const char *features);

void ncp_metrics_add(ncp_metric_t m, int64_t delta);
void ncp_metrics_set(ncp_metric_t m, int64_t value);
int64_t ncp_metrics_get(ncp_metric_t m);

/* Monotonic microseconds, the start stamp of the timed hooks below. */
int64_t ncp_metrics_now_us(void);

/* One API request answered: its action (a table name pointer, NULL when no
 * action was routed), its error code (NCP_E_OK on success) and its start. */
void ncp_metrics_request(const char *action, ncp_err_code_t code, int64_t start_us);
/* One group-commit batch: its number of jobs and its start (begin to commit). */
void ncp_metrics_commit(int jobs, int64_t start_us);
/* A connection opened (+1) or closed (-1) on the API listener. */
void ncp_metrics_conn(int delta);
/* One scheduler pass: its result (steps applied, or < 0 when it failed). */
void ncp_metrics_sched_pass(int applied);

/* A gauge computed when scraped (e.g. rows counted in the store); returns
 * < 0 when unknown (the series is then left out). At most 8. */
typedef int64_t (*ncp_metrics_gauge_fn)(void *arg);
void ncp_metrics_gauge(const char *family, const char *help, ncp_metrics_gauge_fn fn, void *arg);

/* The whole exposition into out. */
void ncp_metrics_render(ncp_buf_t *out);
#define NCP_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

#endif

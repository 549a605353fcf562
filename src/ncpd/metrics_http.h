/* metrics_http.h: GET /_ncpd/metrics, on the API listener (default) or
 * only on its own plain-HTTP listener (--metrics-listen). Unauthenticated:
 * the series carry no account, key or address. */
#ifndef NCPD_METRICS_HTTP_H
#define NCPD_METRICS_HTTP_H
#include <microhttpd.h>
#include <stdbool.h>

#include "ncpd/conf.h"
#include "util/err.h"

/* Starts the dedicated listener when c asks for one; else arranges for the
 * API listener to answer the metrics path. */
int ncpd_metrics_http_start(const ncpd_conf_t *c, ncp_err_t *err);
/* Port of the dedicated listener (0 when there is none). */
int ncpd_metrics_http_port(void);
void ncpd_metrics_http_stop(void);

/* For the API listener: true when this request is a metrics scrape it must
 * answer (GET or HEAD of /_ncpd/metrics, metrics not moved elsewhere). */
bool ncpd_metrics_http_match(const char *url, const char *method);
/* Queues the exposition as the answer. */
enum MHD_Result ncpd_metrics_http_answer(struct MHD_Connection *c);

#endif

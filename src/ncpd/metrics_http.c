/* metrics_http.c: see metrics_http.h. */
#include "ncpd/metrics_http.h"

#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/metrics.h"

#define PATH "/_ncpd/metrics"

static struct MHD_Daemon *own;   /* the dedicated listener, if any */
static int own_port;
static atomic_bool on_api = true; /* the API listener answers the path */

bool ncpd_metrics_http_match(const char *url, const char *method)
{
    return atomic_load_explicit(&on_api, memory_order_relaxed) && strcmp(url, PATH) == 0 &&
           (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
}

enum MHD_Result ncpd_metrics_http_answer(struct MHD_Connection *c)
{
    ncp_buf_t b;
    ncp_buf_init(&b, 16u << 20);
    ncp_metrics_render(&b);
    size_t len;
    char *data = ncp_buf_take(&b, &len);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, NCP_METRICS_CONTENT_TYPE);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
                                        MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* The dedicated listener: the metrics path, a health check, 404 else. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls;
    (void)version;
    (void)upload_data;
    static int started;
    if (!*con_cls) { /* first call: answer on the next one (keeps keep-alive) */
        *con_cls = &started;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    bool read = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (read && strcmp(url, PATH) == 0)
        return ncpd_metrics_http_answer(c);
    if (read && strcmp(url, "/_ncpd/health") == 0)
        return send_text(c, MHD_HTTP_OK, "{\"status\": \"ok\"}");
    return send_text(c, MHD_HTTP_NOT_FOUND, "not found: this listener serves " PATH "\n");
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    ncp_log_debug("mhd_metrics: %s", line);
}

int ncpd_metrics_http_start(const ncpd_conf_t *c, ncp_err_t *err)
{
    if (!c->metrics_host[0]) {
        atomic_store(&on_api, true);
        return 0;
    }
    atomic_store(&on_api, false);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    char port[16];
    snprintf(port, sizeof(port), "%d", c->metrics_port);
    if (getaddrinfo(c->metrics_host, port, &hints, &ai) != 0 || !ai) {
        ncp_err_internal(err, "cannot parse metrics-listen address %s:%d (use a numeric IP)",
                         c->metrics_host, c->metrics_port);
        return -1;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    own = MHD_start_daemon(flags, (uint16_t)c->metrics_port, NULL, NULL, on_request, NULL,
                           MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL, MHD_OPTION_SOCK_ADDR,
                           ai->ai_addr, MHD_OPTION_CONNECTION_LIMIT, 64u,
                           MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!own) {
        ncp_err_internal(err, "cannot listen on %s:%d for metrics", c->metrics_host,
                         c->metrics_port);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(own, MHD_DAEMON_INFO_BIND_PORT);
    own_port = info ? info->port : c->metrics_port;
    return 0;
}

int ncpd_metrics_http_port(void)
{
    return own ? own_port : 0;
}

void ncpd_metrics_http_stop(void)
{
    if (own)
        MHD_stop_daemon(own);
    own = NULL;
}

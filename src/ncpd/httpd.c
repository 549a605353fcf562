/* httpd.c: libmicrohttpd in epoll mode with a thread pool.
 *
 * Each request gets a small record from the URI-log callback holding the
 * raw request-target (needed verbatim for signatures). The body is
 * accumulated up to max_body; the response is queued on the final call of
 * the access handler, after the body is consumed (queuing on the first
 * call makes MHD close keep-alive connections, see STYLE.md §5). Each
 * worker thread has its own store connection and arena.
 *
 * Limits that hold slow or greedy clients off (MHD's own timeout is an idle
 * timeout, reset by every byte, so a client sending one byte a second would
 * keep its connection forever): a watchdog closes any connection that has
 * not sent a complete request within --timeout seconds of connecting or of
 * its previous answer, and connections beyond --max-conns are closed at
 * once instead of waiting in the listen queue. */
#include "ncpd/httpd.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <sys/socket.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "ncpd/metrics_http.h"
#include "ncpd/tls.h"
#include "render/envelope.h"
#include "util/log.h"
#include "util/metrics.h"

/* One accepted connection, as the watchdog sees it. */
typedef struct conn {
    struct conn *prev, *next;
    int fd;
    int64_t since_ms;  /* accepted, or its previous request answered */
    bool busy;         /* a request is being answered */
    bool closing;      /* shut down by the watchdog or the connection limit */
} conn_t;

struct ncpd_httpd {
    struct MHD_Daemon *d;
    const ncp_app_t *app;
    const ncpd_conf_t *c;
    ncpd_console_t *console; /* NULL: no /console */
    atomic_int inflight;
    atomic_size_t body_bytes; /* memory held by request bodies being received */
    atomic_int deferred;      /* requests finishing on their own threads */
    pthread_mutex_t mu;
    ncp_store_t **stores; /* one per worker thread, closed at stop */
    ncp_arena_t **arenas;
    size_t n_stores, cap_stores;
    int port;
    pthread_mutex_t conns_mu; /* guards the list and every conn_t in it */
    conn_t conns;             /* list head */
    unsigned n_conns, n_closing;
    pthread_t watchdog;
    bool watchdog_running, stopping;
    pthread_cond_t watchdog_cv;
};

typedef struct deferred_job deferred_job_t;
struct req;
static enum MHD_Result defer(ncpd_httpd_t *h, struct MHD_Connection *c, struct req *r,
                             const ncp_response_t *resp, const ncpd_http_out_t *hdrs);
static enum MHD_Result answer_deferred(struct req *r, struct MHD_Connection *c);

typedef struct req {
    char *uri;
    deferred_job_t *job;  /* finishing off this thread; answered when done */
    ncp_buf_t body;
    size_t counted;  /* bytes of body memory counted in body_bytes */
    bool started, too_large, too_busy;
    bool processing; /* answered by dispatch, response not yet sent */
} req_t;

static _Thread_local ncp_store_t *tl_store;
static _Thread_local ncp_arena_t *tl_arena;
static _Thread_local size_t tl_slot; /* index of this thread's store and arena */

static ncp_store_t *thread_store(ncpd_httpd_t *h, ncp_err_t *err)
{
    if (tl_store)
        return tl_store;
    tl_store = h->app->so->open(h->c->db, err);
    if (!tl_store)
        return NULL;
    tl_arena = ncp_arena_new(64 * 1024);
    pthread_mutex_lock(&h->mu);
    if (h->n_stores == h->cap_stores) {
        h->cap_stores = h->cap_stores ? h->cap_stores * 2 : 8;
        h->stores = realloc(h->stores, h->cap_stores * sizeof(*h->stores));
        h->arenas = realloc(h->arenas, h->cap_stores * sizeof(*h->arenas));
        if (!h->stores || !h->arenas)
            abort();
    }
    tl_slot = h->n_stores;
    h->stores[h->n_stores] = tl_store;
    h->arenas[h->n_stores++] = tl_arena;
    pthread_mutex_unlock(&h->mu);
    return tl_store;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* True when the peer has closed an idle connection (EOF waiting to be read). */
static bool peer_closed(int fd)
{
    char b;
    return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* At the limit, connections whose clients have already gone but whose EOF
 * MHD has not read yet must not count: shut them down first. Called with
 * conns_mu held. */
static void reap_dead(ncpd_httpd_t *h)
{
    for (conn_t *k = h->conns.next; k != &h->conns; k = k->next)
        if (!k->busy && !k->closing && k->fd >= 0 && peer_closed(k->fd)) {
            k->closing = true;
            h->n_closing++;
            shutdown(k->fd, SHUT_RDWR);
        }
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    ncpd_httpd_t *h = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        conn_t *k = calloc(1, sizeof(*k));
        if (!k)
            abort();
        k->fd = ci ? ci->connect_fd : -1;
        k->since_ms = now_ms();
        pthread_mutex_lock(&h->conns_mu);
        k->next = h->conns.next;
        k->prev = &h->conns;
        h->conns.next->prev = k;
        h->conns.next = k;
        if (++h->n_conns > h->c->max_conns)
            reap_dead(h);
        if (h->n_conns - h->n_closing > h->c->max_conns && k->fd >= 0) {
            /* over the limit: closed now rather than left in the listen queue */
            k->closing = true;
            h->n_closing++;
            shutdown(k->fd, SHUT_RDWR);
        }
        pthread_mutex_unlock(&h->conns_mu);
        *socket_context = k;
        ncp_metrics_conn(1); /* metrics hook */
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        conn_t *k = *socket_context;
        pthread_mutex_lock(&h->conns_mu);
        k->prev->next = k->next;
        k->next->prev = k->prev;
        h->n_conns--;
        if (k->closing)
            h->n_closing--;
        pthread_mutex_unlock(&h->conns_mu);
        free(k);
        *socket_context = NULL;
        ncp_metrics_conn(-1); /* metrics hook */
    }
}

static conn_t *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void conn_mark(ncpd_httpd_t *h, struct MHD_Connection *c, bool busy)
{
    conn_t *k = conn_of(c);
    if (!k)
        return;
    pthread_mutex_lock(&h->conns_mu);
    k->busy = busy;
    if (!busy)
        k->since_ms = now_ms();
    pthread_mutex_unlock(&h->conns_mu);
}

/* Closes connections that have had --timeout seconds to send a request.
 * Holding conns_mu makes shutdown() safe: MHD announces a close (and takes
 * the same lock) before it releases the descriptor. */
static void *watchdog(void *arg)
{
    ncpd_httpd_t *h = arg;
    int64_t limit = (int64_t)h->c->conn_timeout_s * 1000;
    pthread_mutex_lock(&h->conns_mu);
    while (!h->stopping) {
        int64_t now = now_ms();
        for (conn_t *k = h->conns.next; k != &h->conns; k = k->next)
            if (!k->busy && !k->closing && k->fd >= 0 && now - k->since_ms > limit) {
                k->closing = true;
                h->n_closing++;
                shutdown(k->fd, SHUT_RDWR);
            }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&h->watchdog_cv, &h->conns_mu, &ts);
    }
    pthread_mutex_unlock(&h->conns_mu);
    return NULL;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)c;
    ncpd_httpd_t *h = cls;
    req_t *r = calloc(1, sizeof(*r));
    if (!r)
        abort();
    r->uri = strdup(uri ? uri : "/");
    if (!r->uri)
        abort();
    ncp_buf_init(&r->body, h->c->max_body);
    return r;
}

static void conn_mark(ncpd_httpd_t *h, struct MHD_Connection *c, bool busy);

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    ncpd_httpd_t *h = cls;
    conn_mark(h, c, false);
    req_t *r = *con_cls;
    if (!r)
        return;
    if (r->processing)
        atomic_fetch_sub(&h->inflight, 1);
    atomic_fetch_sub(&h->body_bytes, r->counted);
    free(r->uri);
    ncp_buf_release(&r->body);
    free(r);
    *con_cls = NULL;
}

/* Frees a response body that held a secret (NCP_A_SECRET) once MHD has sent it. */
static void wipe_free(void *cls)
{
    char *data = cls;
    explicit_bzero(data, strlen(data));
    free(data);
}

/* Queues b (taken) with its content type and, when hdrs is not NULL, the
 * console's extra headers; a sensitive body is wiped once sent. */
static enum MHD_Result send_body(struct MHD_Connection *c, int status, const char *ctype,
                                 ncp_buf_t *b, bool sensitive, const ncpd_http_out_t *hdrs)
{
    size_t len;
    char *data = ncp_buf_take(b, &len);
    struct MHD_Response *resp =
        sensitive ? MHD_create_response_from_buffer_with_free_callback_cls(len, data, wipe_free,
                                                                           data)
                  : MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    if (ctype)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    for (size_t i = 0; hdrs && i < hdrs->n_headers; i++)
        MHD_add_response_header(resp, hdrs->h_name[i], hdrs->h_value[i]);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_buf(struct MHD_Connection *c, int status, const char *ctype,
                                ncp_buf_t *b)
{
    return send_body(c, status, ctype, b, false, NULL);
}

static enum MHD_Result send_gw(struct MHD_Connection *c, ncp_err_code_t code, const char *details)
{
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_err_set_gw(&err, code, "%s", details);
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    int status = ncp_env_error(&b, NCP_FMT_JSON, &err);
    enum MHD_Result r = send_buf(c, status, ncp_env_content_type(NCP_FMT_JSON), &b);
    ncp_buf_release(&b);
    return r;
}

static bool is_form(const char *ct)
{
    if (!ct || !*ct)
        return true;
    while (*ct == ' ')
        ct++;
    static const char form[] = "application/x-www-form-urlencoded";
    size_t n = sizeof(form) - 1;
    return strncasecmp(ct, form, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* /console: static files, sessions and the API bridge (ncpd/console.c). */
static enum MHD_Result serve_console(ncpd_httpd_t *h, struct MHD_Connection *c,
                                     const char *method, req_t *r, ncp_store_t *st)
{
    ncpd_http_in_t in = {
        .method = method,
        .uri = r->uri,
        .body = r->body.data,
        .body_len = r->body.len,
        .body_is_form = is_form(header(c, "Content-Type")),
        .h_host = header(c, "Host"),
        .h_origin = header(c, "Origin"),
        .h_sec_fetch_site = header(c, "Sec-Fetch-Site"),
        .h_cookie = header(c, "Cookie"),
        .h_csrf = header(c, NCPD_CONSOLE_CSRF_HEADER),
        .h_if_none_match = header(c, "If-None-Match"),
    };
    ncpd_http_out_t out = {0};
    ncp_buf_init(&out.body, 64 * 1024 * 1024);
    ncpd_console_handle(h->console, st, tl_arena, &in, &out);
    if (out.deferred) {
        ncp_buf_release(&out.body);
        ncp_response_t d = {.deferred = out.deferred, .sensitive = out.sensitive};
        return defer(h, c, r, &d, &out);
    }
    if (out.sensitive) {
        enum MHD_Result ret = send_body(c, out.status, out.content_type, &out.body, true, &out);
        ncp_buf_release(&out.body);
        ncp_arena_wipe(tl_arena);
        return ret;
    }
    struct MHD_Response *resp;
    if (out.static_body) {
        resp = MHD_create_response_from_buffer(out.static_len, (void *)out.static_body,
                                               MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len;
        char *data = ncp_buf_take(&out.body, &len);
        resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (!resp)
            free(data);
    }
    ncp_buf_release(&out.body);
    if (!resp)
        return MHD_NO;
    if (out.content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, out.content_type);
    for (size_t i = 0; i < out.n_headers; i++)
        MHD_add_response_header(resp, out.h_name[i], out.h_value[i]);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)out.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)url;
    (void)version;
    ncpd_httpd_t *h = cls;
    req_t *r = *con_cls;
    if (!r)
        return MHD_NO;
    if (!r->started) {
        r->started = true;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;
        if (n > h->c->max_body) {
            r->too_large = true;
            return send_gw(c, NCP_E_GW_TOO_LARGE, "The request body is larger than the limit.");
        }
        if (n && atomic_load(&h->body_bytes) + n > h->c->max_body_total) {
            r->too_busy = true;
            return send_gw(c, NCP_E_GW_UNAVAILABLE,
                           "Too many request bodies are being received; try again.");
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* Bodies being received share one memory budget (--max-body-total),
         * so that many large uploads at once cannot exhaust memory. */
        if (!r->too_large && !r->too_busy) {
            size_t cap = r->body.cap;
            if (ncp_buf_append(&r->body, upload_data, *upload_data_size) < 0)
                r->too_large = true;
            size_t grown = r->body.cap - cap;
            if (grown) {
                r->counted += grown;
                if (atomic_fetch_add(&h->body_bytes, grown) + grown > h->c->max_body_total) {
                    r->too_busy = true;
                    atomic_fetch_sub(&h->body_bytes, r->counted);
                    r->counted = 0;
                    ncp_buf_release(&r->body);
                }
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->too_large)
        return send_gw(c, NCP_E_GW_TOO_LARGE, "The request body is larger than the limit.");
    if (r->too_busy)
        return send_gw(c, NCP_E_GW_UNAVAILABLE,
                       "Too many request bodies are being received; try again.");
    if (r->job)
        return answer_deferred(r, c);

    if (ncpd_metrics_http_match(url, method)) /* GET /_ncpd/metrics */
        return ncpd_metrics_http_answer(c);
    r->processing = true;
    atomic_fetch_add(&h->inflight, 1);
    conn_mark(h, c, true);
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_store_t *st = thread_store(h, &err);
    if (!st) {
        ncp_log_error("cannot open the store: %s", err.detail);
        return send_gw(c, NCP_E_GW_UNAVAILABLE, "The store is unavailable.");
    }
    ncp_arena_reset(tl_arena);
    if (h->console && ncpd_console_owns(r->uri))
        return serve_console(h, c, method, r, st);
    ncp_request_t req = {
        .method = method,
        .raw_uri = r->uri,
        .body = r->body.data,
        .body_len = r->body.len,
        .body_is_form =
            is_form(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type")),
        .h_timestamp = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-ncp-apigw-timestamp"),
        .h_access_key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-ncp-iam-access-key"),
        .h_sig_v2 = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-ncp-apigw-signature-v2"),
        .h_sig_v1 = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-ncp-apigw-signature-v1"),
        .h_admin_token = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-ncpd-admin-token"),
    };
    ncp_response_t resp = {0};
    ncp_buf_init(&resp.body, 64 * 1024 * 1024);
    ncp_dispatch(h->app, st, tl_arena, &req, &resp);
    if (resp.deferred) {
        ncp_buf_release(&resp.body);
        return defer(h, c, r, &resp, NULL);
    }
    enum MHD_Result ret = send_body(c, resp.status, resp.content_type, &resp.body,
                                    resp.sensitive, NULL);
    ncp_buf_release(&resp.body);
    if (resp.sensitive)
        ncp_arena_wipe(tl_arena); /* private keys and passwords decoded for the answer */
    return ret;
}

/* ---- deferred requests ----------------------------------------------------
 * A request whose driver must act after its claims were committed finishes
 * on a thread of its own while its connection is suspended: a hypervisor
 * call that takes seconds never holds up the other connections of this
 * worker thread. The request's arena goes with it; the worker thread takes
 * a new one. */

struct deferred_job {
    ncpd_httpd_t *h;
    struct MHD_Connection *c;
    ncp_arena_t *arena;
    void *deferred;
    ncp_response_t resp;
    ncpd_http_out_t hdrs; /* extra headers of a console answer */
};

static void *run_deferred(void *arg)
{
    deferred_job_t *j = arg;
    ncpd_httpd_t *h = j->h;
    ncp_buf_init(&j->resp.body, 64 * 1024 * 1024);
    ncp_dispatch_finish(j->deferred, &j->resp);
    /* from here on j belongs to the connection's thread again */
    pthread_mutex_lock(&h->mu);
    MHD_resume_connection(j->c);
    pthread_mutex_unlock(&h->mu);
    atomic_fetch_sub(&h->deferred, 1);
    return NULL;
}

static enum MHD_Result defer(ncpd_httpd_t *h, struct MHD_Connection *c, req_t *r,
                             const ncp_response_t *resp, const ncpd_http_out_t *hdrs)
{
    deferred_job_t *j = calloc(1, sizeof(*j));
    if (!j)
        abort();
    j->h = h;
    j->c = c;
    j->arena = tl_arena;
    j->deferred = resp->deferred;
    j->resp.sensitive = resp->sensitive;
    if (hdrs) /* header texts live in the arena that goes with the job, or are static */
        for (size_t i = 0; i < hdrs->n_headers; i++) {
            j->hdrs.h_name[i] = hdrs->h_name[i];
            j->hdrs.h_value[i] = hdrs->h_value[i];
            j->hdrs.n_headers++;
        }
    tl_arena = ncp_arena_new(64 * 1024);
    pthread_mutex_lock(&h->mu);
    h->arenas[tl_slot] = tl_arena;
    pthread_mutex_unlock(&h->mu);
    r->job = j;
    atomic_fetch_add(&h->deferred, 1);
    MHD_suspend_connection(c);
    pthread_attr_t attr;
    pthread_t t;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, run_deferred, j) != 0)
        run_deferred(j); /* no thread: finish here */
    pthread_attr_destroy(&attr);
    return MHD_YES;
}

/* The connection of a finished deferred request is back: its answer goes out. */
static enum MHD_Result answer_deferred(req_t *r, struct MHD_Connection *c)
{
    deferred_job_t *j = r->job;
    r->job = NULL;
    enum MHD_Result ret = send_body(c, j->resp.status, j->resp.content_type, &j->resp.body,
                                    j->resp.sensitive, &j->hdrs);
    ncp_buf_release(&j->resp.body);
    if (j->resp.sensitive)
        ncp_arena_wipe(j->arena);
    ncp_arena_free(j->arena);
    free(j);
    return ret;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = '\0';
    ncp_log_debug("mhd: %s", line);
}

ncpd_httpd_t *ncpd_httpd_start(const ncp_app_t *app, const ncpd_conf_t *c,
                               ncpd_console_t *console, ncp_err_t *err)
{
    ncpd_httpd_t *h = calloc(1, sizeof(*h));
    if (!h)
        abort();
    h->app = app;
    h->c = c;
    h->console = console;
    pthread_mutex_init(&h->mu, NULL);
    pthread_mutex_init(&h->conns_mu, NULL);
    pthread_cond_init(&h->watchdog_cv, NULL);
    h->conns.next = h->conns.prev = &h->conns;

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    char port[16];
    snprintf(port, sizeof(port), "%d", c->port);
    if (getaddrinfo(c->host, port, &hints, &ai) != 0 || !ai) {
        ncp_err_internal(err, "cannot parse listen address %s:%d (use a numeric IP)", c->host,
                         c->port);
        free(h);
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO |
                     MHD_USE_ERROR_LOG | MHD_USE_SUPPRESS_DATE_NO_CLOCK;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    flags |= ncpd_tls_mhd_flags(); /* HTTPS when --tls-cert is set */
    h->d = MHD_start_daemon(
        flags, (uint16_t)c->port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)c->max_conns + 64 /* we close the extra ones ourselves */, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->conn_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)c->max_header, MHD_OPTION_URI_LOG_CALLBACK,
        on_uri, h, MHD_OPTION_NOTIFY_COMPLETED, on_done, h, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, h, MHD_OPTION_EXTERNAL_LOGGER,
        on_mhd_log, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_ARRAY, ncpd_tls_mhd_options(), MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!h->d) {
        ncp_err_internal(err, "cannot listen on %s:%d", c->host, c->port);
        pthread_mutex_destroy(&h->mu);
        free(h);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : c->port;
    if (pthread_create(&h->watchdog, NULL, watchdog, h) == 0)
        h->watchdog_running = true;
    return h;
}

int ncpd_httpd_port(const ncpd_httpd_t *h)
{
    return h->port;
}

void ncpd_httpd_stop(ncpd_httpd_t *h)
{
    if (!h)
        return;
    MHD_quiesce_daemon(h->d);
    /* let requests that were answered finish sending (at most 10 s);
     * requests still being uploaded are dropped */
    for (int i = 0; i < 1000 && atomic_load(&h->inflight) > 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* suspended connections must be resumed before MHD stops */
    for (int i = 0; i < 6000 && atomic_load(&h->deferred) > 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (h->watchdog_running) {
        pthread_mutex_lock(&h->conns_mu);
        h->stopping = true;
        pthread_cond_signal(&h->watchdog_cv);
        pthread_mutex_unlock(&h->conns_mu);
        pthread_join(h->watchdog, NULL);
    }
    MHD_stop_daemon(h->d);
    for (size_t i = 0; i < h->n_stores; i++) {
        h->app->so->close(h->stores[i]);
        ncp_arena_free(h->arenas[i]);
    }
    free(h->stores);
    free(h->arenas);
    pthread_mutex_destroy(&h->mu);
    pthread_mutex_destroy(&h->conns_mu);
    pthread_cond_destroy(&h->watchdog_cv);
    free(h);
}

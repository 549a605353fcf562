/* console.c: see console.h.
 *
 * Order of checks for /console/api/ (each refusal is a gateway-style JSON
 * error, like the signed API's, and every answer is Cache-Control:
 * no-store):
 *   1. cross-site: Sec-Fetch-Site other than same-origin, or an Origin that
 *      is not this server's own (scheme://Host), gets 403 whatever else it
 *      carries; requests without both headers (curl, scripts) go on;
 *   2. the session cookie must name a live session (401), whose access key
 *      is still enabled (401: disabling a key ends its sessions);
 *   3. anything but a GET must carry the session's CSRF token (403);
 *   4. an API call then goes to ncp_dispatch() as the session's account.
 * SameSite=Strict already keeps the cookie off cross-site requests in
 * browsers; the checks above also hold for browsers that ignore it. */
#include "ncpd/console.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ncpd/console_assets.h"
#include "ncpd/session.h"
#include "proto/form.h"
#include "render/envelope.h"
#include "util/crypto.h"
#include "util/log.h"

#define API_PREFIX "/console/api"

struct ncpd_console {
    const ncp_app_t *app;
    ncpd_sessions_t *sessions;
    bool tls;
    int64_t idle_ms;
    char (*etags)[24]; /* one per asset: "\"<16 hex>\"" */
};

ncpd_console_t *ncpd_console_new(const ncp_app_t *app, const ncpd_console_conf_t *conf,
                                 ncp_err_t *err)
{
    ncpd_session_conf_t sc = {.idle_ms = conf->idle_ms,
                              .max_age_ms = conf->max_age_ms,
                              .max_sessions = conf->max_sessions,
                              .now_ms = conf->now_ms};
    ncpd_sessions_t *s = ncpd_sessions_new(&ncpd_session_memory_ops, &sc, app->master_key);
    if (!s) {
        ncp_err_internal(err, "bad console session settings");
        return NULL;
    }
    ncpd_console_t *c = calloc(1, sizeof(*c));
    if (!c)
        abort();
    c->app = app;
    c->sessions = s;
    c->tls = conf->tls;
    c->idle_ms = conf->idle_ms;
    c->etags = calloc(ncpd_console_n_assets ? ncpd_console_n_assets : 1, sizeof(*c->etags));
    if (!c->etags)
        abort();
    for (size_t i = 0; i < ncpd_console_n_assets; i++) {
        uint8_t d[32];
        char hex[17];
        ncp_sha256(ncpd_console_assets[i].data, ncpd_console_assets[i].len, d);
        ncp_hex(d, 8, hex);
        snprintf(c->etags[i], sizeof(c->etags[i]), "\"%.16s\"", hex);
    }
    return c;
}

void ncpd_console_free(ncpd_console_t *c)
{
    if (!c)
        return;
    ncpd_sessions_free(c->sessions);
    free(c->etags);
    free(c);
}

bool ncpd_console_owns(const char *uri)
{
    return strncmp(uri, "/console", 8) == 0 &&
           (uri[8] == '\0' || uri[8] == '/' || uri[8] == '?');
}

void ncpd_console_cookie(char *out, size_t cap, const char *id, bool tls)
{
    snprintf(out, cap, "%s=%s; Path=/console/; %sHttpOnly; SameSite=Strict%s",
             NCPD_CONSOLE_COOKIE, id ? id : "", id ? "" : "Max-Age=0; ", tls ? "; Secure" : "");
}

/* ---- helpers ----------------------------------------------------------------- */

static void add_header(ncpd_http_out_t *out, const char *name, const char *value)
{
    if (out->n_headers < NCPD_HTTP_MAX_HEADERS) {
        out->h_name[out->n_headers] = name;
        out->h_value[out->n_headers++] = value;
    }
}

static void set_cookie(ncpd_console_t *c, ncp_arena_t *a, ncpd_http_out_t *out, const char *id)
{
    char v[256];
    ncpd_console_cookie(v, sizeof(v), id, c->tls);
    add_header(out, "Set-Cookie", ncp_arena_strdup(a, v));
}

/* A gateway-style error ({"error": {...}}), as the signed API answers. */
static void gw_error(ncpd_http_out_t *out, ncp_err_code_t code, const char *details)
{
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_err_set_gw(&err, code, "%s", details);
    ncp_buf_clear(&out->body);
    out->status = ncp_env_error(&out->body, NCP_FMT_JSON, &err);
    out->content_type = ncp_env_content_type(NCP_FMT_JSON);
}

static void json_str(ncp_buf_t *b, const char *s)
{
    ncp_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            ncp_buf_putc(b, '\\');
            ncp_buf_putc(b, (char)*p);
        } else if (*p < 0x20 || *p == 0x7f) {
            ncp_buf_printf(b, "\\u%04x", *p);
        } else {
            ncp_buf_putc(b, (char)*p);
        }
    }
    ncp_buf_putc(b, '"');
}

/* Printable copy of client text for a log line. */
static const char *loggable(ncp_arena_t *a, const char *s)
{
    char tmp[96];
    ncp_err_sanitize(tmp, sizeof(tmp), s ? s : "");
    return ncp_arena_strdup(a, tmp);
}

/* The session id from a Cookie header, or NULL. */
static const char *cookie_id(ncp_arena_t *a, const char *h)
{
    static const char name[] = NCPD_CONSOLE_COOKIE "=";
    size_t nl = sizeof(name) - 1;
    for (const char *p = h; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        size_t len = strcspn(p, ";");
        if (len > nl && strncmp(p, name, nl) == 0) {
            size_t vl = len - nl;
            while (vl && (p[nl + vl - 1] == ' ' || p[nl + vl - 1] == '\t'))
                vl--;
            return ncp_arena_strndup(a, p + nl, vl);
        }
        p += len;
    }
    return NULL;
}

/* Whether a browser says the request comes from this server's own pages. */
static bool same_origin(const ncpd_console_t *c, ncp_arena_t *a, const ncpd_http_in_t *in)
{
    if (in->h_sec_fetch_site && strcmp(in->h_sec_fetch_site, "same-origin") != 0)
        return false;
    if (in->h_origin) {
        if (!in->h_host || !*in->h_host)
            return false;
        const char *want = ncp_arena_printf(a, "%s://%s", c->tls ? "https" : "http", in->h_host);
        if (strcasecmp(in->h_origin, want) != 0)
            return false;
    }
    return true;
}

/* One form field (the last of that name), NULL when absent or holding NUL. */
static const char *form_get(const ncp_kvs_t *kvs, const char *name)
{
    const char *v = NULL;
    size_t n = strlen(name);
    for (size_t i = 0; i < kvs->n; i++) {
        const ncp_kv_t *kv = &kvs->v[i];
        if (kv->name_len == n && memcmp(kv->name, name, n) == 0)
            v = memchr(kv->val, '\0', kv->val_len) ? NULL : kv->val;
    }
    return v;
}

static void session_json(ncpd_console_t *c, ncpd_http_out_t *out, const ncp_key_t *key,
                         const char *csrf)
{
    ncp_buf_clear(&out->body);
    ncp_buf_puts(&out->body, "{\"accessKey\": ");
    json_str(&out->body, key->access_key);
    ncp_buf_puts(&out->body, ", \"accountName\": ");
    json_str(&out->body, key->account_name ? key->account_name : "");
    ncp_buf_puts(&out->body, ", \"csrfToken\": ");
    json_str(&out->body, csrf);
    ncp_buf_printf(&out->body, ", \"idleTimeoutSeconds\": %" PRId64 "}", c->idle_ms / 1000);
    out->status = 200;
    out->content_type = ncp_env_content_type(NCP_FMT_JSON);
}

/* The request's live session: 1 (id, account and key filled), or 0 with
 * the refusal written (401; the cookie is cleared). */
static int current(ncpd_console_t *c, ncp_store_t *st, ncp_arena_t *a, const ncpd_http_in_t *in,
                   ncpd_http_out_t *out, const char **id_out, int64_t *account_out,
                   ncp_key_t *key_out)
{
    const char *id = cookie_id(a, in->h_cookie);
    char ak[NCPD_SESSION_AK_MAX];
    if (!id || ncpd_session_lookup(c->sessions, id, account_out, ak) != 1) {
        gw_error(out, NCP_E_GW_AUTH, "No console session (signed out or expired): sign in.");
        if (id)
            set_cookie(c, a, out, NULL);
        return 0;
    }
    ncp_err_t err;
    ncp_err_init(&err);
    int r = c->app->so->key_get(st, ak, a, key_out, &err);
    if (r < 0) {
        ncp_log_error("console: key_get: %s", err.detail);
        gw_error(out, NCP_E_GW_UNAVAILABLE, "The store is unavailable.");
        return 0;
    }
    if (r == 0 || key_out->disabled || key_out->account_id != *account_out) {
        ncpd_session_destroy(c->sessions, id);
        gw_error(out, NCP_E_GW_AUTH, "The access key of this session is disabled: sign in again.");
        set_cookie(c, a, out, NULL);
        return 0;
    }
    *id_out = id;
    return 1;
}

/* ---- /console/api/session ------------------------------------------------------ */

static void sign_in(ncpd_console_t *c, ncp_store_t *st, ncp_arena_t *a, const ncpd_http_in_t *in,
                    ncpd_http_out_t *out)
{
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_kvs_t kvs = {0};
    if (!in->body_is_form ||
        ncp_form_parse(a, in->body ? in->body : "", in->body_len, NCP_SRC_BODY, &kvs, &err) < 0) {
        gw_error(out, NCP_E_GW_BAD_REQUEST,
                 "Expected a form (application/x-www-form-urlencoded) with accessKey and "
                 "secretKey.");
        return;
    }
    const char *ak = form_get(&kvs, "accessKey"), *sk = form_get(&kvs, "secretKey");
    bool ok = false;
    ncp_key_t key = {0};
    if (ak && *ak && strlen(ak) < NCPD_SESSION_AK_MAX && sk && *sk && strlen(sk) <= 256) {
        int r = c->app->so->key_get(st, ak, a, &key, &err);
        if (r < 0) {
            ncp_log_error("console: key_get: %s", err.detail);
            gw_error(out, NCP_E_GW_UNAVAILABLE, "The store is unavailable.");
            return;
        }
        if (r == 1 && !key.disabled && key.secret_sealed_len > NCP_SEAL_OVERHEAD &&
            key.secret_sealed_len <= 256 + NCP_SEAL_OVERHEAD) {
            char secret[257];
            size_t slen = key.secret_sealed_len - NCP_SEAL_OVERHEAD;
            if (ncp_unseal(c->app->master_key, key.secret_sealed, key.secret_sealed_len,
                           secret) == 0) {
                secret[slen] = '\0';
                ok = ncp_ct_streq(secret, sk);
            } else {
                ncp_log_error("console: cannot unseal the secret of %s (wrong master key?)",
                              key.access_key);
            }
            memset(secret, 0, sizeof(secret));
        }
    }
    if (c->app->log_requests)
        ncp_log_info("console=signin access_key=%s status=%d", loggable(a, ak), ok ? 200 : 401);
    if (!ok) {
        gw_error(out, NCP_E_GW_AUTH, "Invalid authentication information.");
        return;
    }
    char id[NCPD_SESSION_ID_LEN + 1], csrf[NCPD_SESSION_CSRF_LEN + 1];
    if (ncpd_session_create(c->sessions, key.account_id, key.access_key, id, csrf) < 0) {
        gw_error(out, NCP_E_GW_UNEXPECTED, "Cannot open a session.");
        return;
    }
    set_cookie(c, a, out, id);
    session_json(c, out, &key, csrf);
}

static void session_ep(ncpd_console_t *c, ncp_store_t *st, ncp_arena_t *a,
                       const ncpd_http_in_t *in, ncpd_http_out_t *out)
{
    if (strcmp(in->method, "POST") == 0) {
        sign_in(c, st, a, in, out);
        return;
    }
    bool is_get = strcmp(in->method, "GET") == 0, is_delete = strcmp(in->method, "DELETE") == 0;
    if (!is_get && !is_delete) {
        gw_error(out, NCP_E_GW_NOT_FOUND, "Not Found.");
        return;
    }
    const char *id;
    int64_t account;
    ncp_key_t key;
    if (!current(c, st, a, in, out, &id, &account, &key))
        return;
    if (is_get) {
        char csrf[NCPD_SESSION_CSRF_LEN + 1];
        ncpd_session_csrf(c->sessions, id, csrf);
        session_json(c, out, &key, csrf);
        return;
    }
    if (!ncpd_session_csrf_ok(c->sessions, id, in->h_csrf)) {
        gw_error(out, NCP_E_GW_DENIED, "Missing or invalid " NCPD_CONSOLE_CSRF_HEADER ".");
        return;
    }
    ncpd_session_destroy(c->sessions, id);
    if (c->app->log_requests)
        ncp_log_info("console=signout account=%" PRId64 " status=200", account);
    set_cookie(c, a, out, NULL);
    ncp_buf_clear(&out->body);
    ncp_buf_puts(&out->body, "{\"signedOut\": true}");
    out->status = 200;
    out->content_type = ncp_env_content_type(NCP_FMT_JSON);
}

/* ---- /console/api/{server,vserver,vpc}/v2/ACTION ----------------------------------- */

static void api_call(ncpd_console_t *c, ncp_store_t *st, ncp_arena_t *a, const ncpd_http_in_t *in,
                     ncpd_http_out_t *out)
{
    if (strcmp(in->method, "POST") != 0) {
        gw_error(out, NCP_E_GW_BAD_REQUEST, "Console API calls are POST requests.");
        return;
    }
    const char *id;
    int64_t account;
    ncp_key_t key;
    if (!current(c, st, a, in, out, &id, &account, &key))
        return;
    if (!ncpd_session_csrf_ok(c->sessions, id, in->h_csrf)) {
        gw_error(out, NCP_E_GW_DENIED, "Missing or invalid " NCPD_CONSOLE_CSRF_HEADER ".");
        return;
    }
    ncp_request_t req = {
        .method = "POST",
        .raw_uri = in->uri + strlen(API_PREFIX), /* "/server/v2/ACTION?...", "/vpc/v2/..." */
        .body = in->body,
        .body_len = in->body_len,
        .body_is_form = in->body_is_form,
        .preauth_account = account,
    };
    ncp_response_t resp = {.body = out->body};
    ncp_dispatch(c->app, st, a, &req, &resp);
    out->body = resp.body;
    out->status = resp.status;
    out->content_type = resp.content_type;
    out->deferred = resp.deferred;
    out->sensitive = resp.sensitive;
}

/* ---- static files ----------------------------------------------------------------- */

static const char *content_type_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".json", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static void not_found(ncpd_http_out_t *out)
{
    ncp_buf_clear(&out->body);
    ncp_buf_puts(&out->body, "Not found\n");
    out->status = 404;
    out->content_type = "text/plain; charset=utf-8";
}

static void asset(ncpd_console_t *c, const ncpd_http_in_t *in, ncpd_http_out_t *out,
                  const char *name)
{
    if (!*name)
        name = "index.html";
    size_t i = 0;
    while (i < ncpd_console_n_assets && strcmp(ncpd_console_assets[i].name, name) != 0)
        i++;
    if (i == ncpd_console_n_assets) {
        not_found(out);
        return;
    }
    if (strcmp(in->method, "GET") != 0 && strcmp(in->method, "HEAD") != 0) {
        ncp_buf_clear(&out->body);
        ncp_buf_puts(&out->body, "Method not allowed\n");
        out->status = 405;
        out->content_type = "text/plain; charset=utf-8";
        add_header(out, "Allow", "GET, HEAD");
        return;
    }
    const char *type = content_type_of(name);
    add_header(out, "Cache-Control", "no-cache");
    add_header(out, "ETag", c->etags[i]);
    if (strncmp(type, "text/html", 9) == 0) {
        add_header(out, "Content-Security-Policy",
                   "default-src 'none'; script-src 'self'; style-src 'self'; "
                   "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                   "frame-ancestors 'none'; base-uri 'none'");
        add_header(out, "X-Frame-Options", "DENY");
    }
    out->content_type = type;
    if (in->h_if_none_match && strstr(in->h_if_none_match, c->etags[i])) {
        out->status = 304;
        return;
    }
    out->status = 200;
    out->static_body = ncpd_console_assets[i].data;
    out->static_len = ncpd_console_assets[i].len;
}

/* ---- entry ------------------------------------------------------------------------ */

void ncpd_console_handle(ncpd_console_t *c, ncp_store_t *st, ncp_arena_t *a,
                         const ncpd_http_in_t *in, ncpd_http_out_t *out)
{
    const char *path = ncp_arena_strndup(a, in->uri, strcspn(in->uri, "?"));
    add_header(out, "X-Content-Type-Options", "nosniff");
    add_header(out, "Referrer-Policy", "no-referrer");
    if (strcmp(path, "/console") == 0) {
        ncp_buf_clear(&out->body);
        out->status = 301;
        out->content_type = "text/plain; charset=utf-8";
        add_header(out, "Location", "/console/");
        return;
    }
    if (strncmp(path, API_PREFIX "/", sizeof(API_PREFIX)) != 0) {
        asset(c, in, out, path + sizeof("/console/") - 1);
        return;
    }
    add_header(out, "Cache-Control", "no-store");
    if (!same_origin(c, a, in)) {
        if (c->app->log_requests)
            ncp_log_info("console=refused path=%s origin=%s sec_fetch_site=%s status=403",
                         loggable(a, path), loggable(a, in->h_origin),
                         loggable(a, in->h_sec_fetch_site));
        gw_error(out, NCP_E_GW_DENIED, "Cross-site requests to the console are refused.");
        return;
    }
    const char *rest = path + sizeof(API_PREFIX) - 1;
    if (strcmp(rest, "/session") == 0)
        session_ep(c, st, a, in, out);
    else if (strncmp(rest, "/server/v2/", 11) == 0 || strncmp(rest, "/vserver/v2/", 12) == 0 ||
             strncmp(rest, "/vpc/v2/", 8) == 0)
        api_call(c, st, a, in, out); /* the classic API, or the VPC platform's two */
    else
        gw_error(out, NCP_E_GW_NOT_FOUND, "Not Found.");
}

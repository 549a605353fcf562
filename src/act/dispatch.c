/* dispatch.c: the request pipeline (see act.h). The one place that routes,
 * authenticates, validates, opens and closes transactions, renders errors
 * and logs; handlers do none of that. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "act/act_int.h"
#include "domain/state.h"
#include "proto/auth.h"
#include "proto/form.h"
#include "render/envelope.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/metrics.h"
#include "util/rand.h"

typedef struct binding {
    const char *name;
    ncp_handler_fn fn; /* NULL: an NCP_UNSUPPORTED row */
} binding_t;

/* One array per action table, parallel to it (row i binds action i). */
#define NCP_PARAM(n, t, fl, mi, ma, en, h)
#define NCP_END(n)
#define NCP_UNSUPPORTED(n, h) {#n, NULL},
#define NCP_ACTION(n, fl, h) {#n, act_##n},
static const binding_t handlers[] = {
#include "spec/actions.def"
};
#undef NCP_ACTION
#define NCP_ACTION(n, fl, h) {#n, act_vserver_##n},
static const binding_t vserver_handlers[] = {
#include "spec/vserver.def"
};
#undef NCP_ACTION
#define NCP_ACTION(n, fl, h) {#n, act_vpc_##n},
static const binding_t vpc_handlers[] = {
#include "spec/vpc.def"
};
#undef NCP_ACTION
#undef NCP_PARAM
#undef NCP_END
#undef NCP_UNSUPPORTED

static const struct {
    const binding_t *v;
    size_t n;
} bindings[NCP_API__N] = {
    [NCP_API_SERVER] = {handlers, sizeof(handlers) / sizeof(handlers[0])},
    [NCP_API_VSERVER] = {vserver_handlers, sizeof(vserver_handlers) / sizeof(vserver_handlers[0])},
    [NCP_API_VPC] = {vpc_handlers, sizeof(vpc_handlers) / sizeof(vpc_handlers[0])},
};

/* Preparation steps of the actions flagged NCP_A_PREP. */
static const struct {
    ncp_api_id_t api;
    const char *name;
    ncp_handler_fn fn;
} preps[] = {
    {NCP_API_SERVER, "createLoginKey", act_prep_createLoginKey},
    {NCP_API_VSERVER, "createLoginKey", act_prep_vserver_createLoginKey},
};

static ncp_handler_fn prep_of(const ncp_action_t *act)
{
    for (size_t i = 0; i < sizeof(preps) / sizeof(preps[0]); i++)
        if (preps[i].api == act->api && strcmp(preps[i].name, act->name) == 0)
            return preps[i].fn;
    return NULL;
}

/* The handler of an action of any table (NULL for NCP_UNSUPPORTED rows). */
static ncp_handler_fn handler_of(const ncp_action_t *act)
{
    const ncp_api_t *api = ncp_spec_api(act->api);
    size_t i = (size_t)(act - api->actions);
    return i < bindings[act->api].n ? bindings[act->api].v[i].fn : NULL;
}

ncp_handler_fn ncp_act_handler(const char *action)
{
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if (strcmp(handlers[i].name, action) == 0)
            return handlers[i].fn;
    return NULL;
}

int ncp_act_check_table(void)
{
    if (ncp_spec_check_table() < 0)
        return -1;
    for (int k = 0; k < NCP_API__N; k++) {
        const ncp_api_t *api = ncp_spec_api((ncp_api_id_t)k);
        if (api->n != bindings[k].n)
            return -1;
        for (size_t i = 0; i < api->n; i++) {
            const ncp_action_t *a = &api->actions[i];
            bool unsupported = (a->flags & NCP_A_UNSUPPORTED) != 0;
            if (strcmp(a->name, bindings[k].v[i].name) != 0 || a->api != (ncp_api_id_t)k ||
                unsupported != !bindings[k].v[i].fn || !(a->flags & NCP_A_PREP) != !prep_of(a))
                return -1;
        }
    }
    return 0;
}

/* ---- routing ------------------------------------------------------------ */

typedef enum { R_NONE, R_ACTION, R_HEALTH, R_FAULTS } route_t;

/* Collapses repeated slashes and drops one trailing slash (protocol.md §1,
 * DECISIONS D9: the Go SDK may request //server/v2/x). */
static char *normalize_path(ncp_arena_t *a, const char *raw_uri)
{
    size_t n = strcspn(raw_uri, "?");
    char *p = ncp_arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (raw_uri[i] == '/' && o && p[o - 1] == '/')
            continue;
        p[o++] = raw_uri[i];
    }
    if (o > 1 && p[o - 1] == '/')
        o--;
    p[o] = '\0';
    return p;
}

/* The action of a path of one of the APIs (/server/v2/, /vserver/v2/,
 * /vpc/v2/: spec.h), looked up in that API's own table. */
static route_t route(const char *path, const ncp_action_t **act_out)
{
    if (strcmp(path, "/_ncpd/health") == 0)
        return R_HEALTH;
    if (strcmp(path, "/_ncpd/faults") == 0)
        return R_FAULTS;
    for (int k = 0; k < NCP_API__N; k++) {
        const ncp_api_t *api = ncp_spec_api((ncp_api_id_t)k);
        size_t pl = strlen(api->path);
        if (strncmp(path, api->path, pl) != 0)
            continue;
        const char *name = path + pl;
        if (strchr(name, '/'))
            return R_NONE;
        *act_out = ncp_spec_api_find(api, name, strlen(name));
        return *act_out ? R_ACTION : R_NONE;
    }
    return R_NONE;
}

/* ---- helpers ------------------------------------------------------------ */

/* The VPC APIs answer every error of an action with a responseError body,
 * never the gateway's {"error": ...}: the Terraform provider parses error
 * bodies inside its retry loops with unchecked type assertions and panics
 * on anything else (spec/vpc/README.md §1.5). Failed signatures stay the
 * gateway's (they are answered before any API, as on the platform); an
 * undecodable request is an invalid parameter, a database outage 503/1300. */
static void vpc_error_body(ncp_err_t *err)
{
    ncp_err_t e;
    ncp_err_init(&e);
    if (err->code == NCP_E_INVALID_PARAM) { /* a NUL in responseFormatType: classic 910 */
        ncp_err_set(&e, NCP_E_V_INVALID, "responseFormatType");
        *err = e;
        return;
    }
    if (ncp_err_kind(err->code) != NCP_ERR_GW || err->code == NCP_E_GW_AUTH)
        return;
    if (err->code == NCP_E_GW_UNAVAILABLE)
        ncp_err_set(&e, NCP_E_V_UNAVAILABLE);
    else if (err->code == NCP_E_GW_BAD_REQUEST)
        ncp_err_set(&e, NCP_E_V_INVALID, "request (undecodable bytes)");
    else
        ncp_err_set(&e, NCP_E_V_INVALID, "request");
    memcpy(e.detail, err->detail, sizeof(e.detail));
    *err = e;
}

static void respond_error(ncp_response_t *resp, ncp_fmt_t fmt, const ncp_err_t *err)
{
    ncp_buf_clear(&resp->body);
    resp->status = ncp_env_error(&resp->body, fmt, err);
    resp->content_type = ncp_err_kind(err->code) == NCP_ERR_GW ? ncp_env_content_type(NCP_FMT_JSON)
                                                               : ncp_env_content_type(fmt);
}

static int parse_params(ncp_arena_t *a, const ncp_request_t *req, ncp_kvs_t *kvs,
                        ncp_err_t *err)
{
    const char *q = strchr(req->raw_uri, '?');
    if (q && ncp_form_parse(a, q + 1, strlen(q + 1), NCP_SRC_QUERY, kvs, err) < 0)
        return -1;
    if (req->body_len && req->body_is_form &&
        ncp_form_parse(a, req->body, req->body_len, NCP_SRC_BODY, kvs, err) < 0)
        return -1;
    return 0;
}

/* responseFormatType: json or xml in any case; other text means XML
 * (protocol.md §2.3), but a NUL byte is garbage and refused (910). */
static int response_format(const ncp_kvs_t *kvs, ncp_fmt_t *fmt, ncp_err_t *err)
{
    *fmt = NCP_FMT_XML;
    for (size_t i = 0; i < kvs->n; i++) {
        const ncp_kv_t *kv = &kvs->v[i];
        if (kv->name_len != 18 || memcmp(kv->name, "responseFormatType", 18) != 0)
            continue;
        if (memchr(kv->val, '\0', kv->val_len)) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, "responseFormatType");
            return -1;
        }
        *fmt = (kv->val_len == 4 && strncasecmp(kv->val, "json", 4) == 0) ? NCP_FMT_JSON
                                                                          : NCP_FMT_XML;
    }
    return 0;
}

/* Before parsing: JSON when the raw query or body asks for it in the very
 * form SDKs write (`responseFormatType=json`), so that an answer to a
 * request that turns out undecodable is still in the client's format (the
 * VPC APIs answer those with a responseError body). */
static ncp_fmt_t sniff_format(const ncp_request_t *req)
{
    static const char key[] = "responseFormatType=json";
    const char *q = strchr(req->raw_uri, '?');
    if (q && strcasestr(q, key))
        return NCP_FMT_JSON;
    if (req->body_len && req->body_is_form && memmem(req->body, req->body_len, key, sizeof(key) - 1))
        return NCP_FMT_JSON;
    return NCP_FMT_XML;
}

/* Unsealed secrets, per thread, keyed by the sealed bytes themselves: a
 * changed or rotated secret has different sealed bytes, so it can never be
 * served stale; disabled keys are still read from the store every time. */
typedef struct secret_slot {
    size_t sealed_len;
    uint8_t sealed[256 + NCP_SEAL_OVERHEAD];
    char secret[257];
} secret_slot_t;

static _Thread_local secret_slot_t secret_cache[4];
static _Thread_local unsigned secret_next;

static int unseal_secret(const ncp_app_t *app, const ncp_key_t *key, char secret[257])
{
    for (size_t i = 0; i < 4; i++) {
        secret_slot_t *sl = &secret_cache[i];
        if (sl->sealed_len == key->secret_sealed_len &&
            memcmp(sl->sealed, key->secret_sealed, sl->sealed_len) == 0) {
            memcpy(secret, sl->secret, sizeof(sl->secret));
            return 0;
        }
    }
    size_t slen = key->secret_sealed_len - NCP_SEAL_OVERHEAD;
    if (ncp_unseal(app->master_key, key->secret_sealed, key->secret_sealed_len, secret) < 0)
        return -1;
    secret[slen] = '\0';
    secret_slot_t *sl = &secret_cache[secret_next++ % 4];
    sl->sealed_len = key->secret_sealed_len;
    memcpy(sl->sealed, key->secret_sealed, key->secret_sealed_len);
    memcpy(sl->secret, secret, sizeof(sl->secret));
    return 0;
}

/* The request's signature (v2, else v1) under `secret`. */
static bool signature_ok(const char *secret, const ncp_request_t *req)
{
    bool ok = false;
    if (req->h_sig_v2 && *req->h_sig_v2)
        ok = ncp_auth_verify(secret, req->method, req->raw_uri, req->h_timestamp,
                             req->h_access_key, req->h_sig_v2);
    if (!ok && req->h_sig_v1 && *req->h_sig_v1)
        ok = ncp_auth_verify(secret, req->method, req->raw_uri, req->h_timestamp,
                             req->h_access_key, req->h_sig_v1);
    return ok;
}

/* Authenticates the request; fills the account on success, and the unsealed secret
 * when secret_out is not NULL. Gateway 401. */
static int authenticate(const ncp_app_t *app, ncp_store_t *st, ncp_arena_t *a,
                        const ncp_request_t *req, int64_t now, int64_t *account_out,
                        char *secret_out, ncp_err_t *err)
{
    if (!req->h_timestamp || !*req->h_timestamp) {
        ncp_err_set_gw(err, NCP_E_GW_AUTH, "Required header is missing: x-ncp-apigw-timestamp");
        return -1;
    }
    if (!req->h_access_key || !*req->h_access_key) {
        ncp_err_set_gw(err, NCP_E_GW_AUTH, "Required header is missing: x-ncp-iam-access-key");
        return -1;
    }
    const char *sig = req->h_sig_v2 && *req->h_sig_v2 ? req->h_sig_v2 : req->h_sig_v1;
    if (!sig || !*sig) {
        ncp_err_set_gw(err, NCP_E_GW_AUTH,
                       "Required header is missing: x-ncp-apigw-signature-v2");
        return -1;
    }
    if (ncp_auth_check_timestamp(req->h_timestamp, now, NCP_AUTH_SKEW_MS, err) < 0)
        return -1;
    ncp_key_t key;
    int r = app->so->key_get(st, req->h_access_key, a, &key, err);
    if (r < 0)
        return -1;
    if (r == 0 || key.disabled) {
        ncp_err_set_gw(err, NCP_E_GW_AUTH, "Invalid authentication information.");
        return -1;
    }
    if (key.secret_sealed_len <= NCP_SEAL_OVERHEAD || key.secret_sealed_len > 256 + NCP_SEAL_OVERHEAD) {
        ncp_err_internal(err, "sealed secret of %s has a bad length", key.access_key);
        return -1;
    }
    char secret[257];
    if (unseal_secret(app, &key, secret) < 0) {
        ncp_err_internal(err, "cannot unseal the secret of %s (wrong master key?)",
                         key.access_key);
        return -1;
    }
    bool ok = signature_ok(secret, req);
    if (ok && secret_out)
        memcpy(secret_out, secret, sizeof(secret));
    explicit_bzero(secret, sizeof(secret));
    if (!ok) {
        ncp_err_set_gw(err, NCP_E_GW_AUTH, "Signature is invalid.");
        return -1;
    }
    *account_out = key.account_id;
    return 0;
}

/* A polled read answered from this thread's answer cache (respcache.c) when the
 * database has seen no commit since the answer was computed: the timestamp and the
 * signature are checked as on the slow path; anything else (no entry, an old
 * token, a bad signature, an old timestamp) goes the slow way, which also gives
 * the errors. */
static bool answer_cached(const ncp_request_t *req, const uint8_t token[NCP_STORE_TOKEN_LEN],
                          int64_t now, const char *request_id, ncp_response_t *resp,
                          int64_t *account_out)
{
    if (!req->h_timestamp || !req->h_access_key)
        return false;
    ncp_err_t err;
    ncp_err_init(&err);
    if (ncp_auth_check_timestamp(req->h_timestamp, now, NCP_AUTH_SKEW_MS, &err) < 0)
        return false;
    const act_rc_entry_t *e = act_rc_find(req, token);
    if (!e || !signature_ok(act_rc_secret(e), req))
        return false;
    if (act_rc_answer(e, request_id, &resp->body) < 0) {
        ncp_buf_clear(&resp->body);
        return false;
    }
    resp->status = 200;
    resp->content_type = ncp_env_content_type(act_rc_fmt(e));
    *account_out = act_rc_account(e);
    return true;
}

/* ---- admin endpoints ---------------------------------------------------- */

static const char *kv_get(const ncp_kvs_t *kvs, const char *name)
{
    const char *v = NULL;
    size_t n = strlen(name);
    for (size_t i = 0; i < kvs->n; i++)
        if (kvs->v[i].name_len == n && memcmp(kvs->v[i].name, name, n) == 0)
            v = kvs->v[i].val;
    return v;
}

typedef struct storage_job {
    const ncp_app_t *app;
    ncp_arena_t *a;
    int64_t no;
    int times;
    int op;       /* driver fault: the operation; storage work: -1 */
} storage_job_t;

/* Records a driver fault in the store (every node sees it). */
static int fault_set(void *arg, ncp_store_t *st, ncp_err_t *err)
{
    storage_job_t *j = arg;
    return j->app->so->fault_set(st, j->op, j->no, j->times, err);
}

/* Puts a server into storage work (operation SETUP) for `times` steps. */
static int storage_busy(void *arg, ncp_store_t *st, ncp_err_t *err)
{
    storage_job_t *j = arg;
    const ncp_store_ops_t *so = j->app->so;
    ncp_instance_t in;
    ncp_server_t s;
    int r = so->instance_get(st, j->no, &in, err);
    if (r == 1 && in.kind == NCP_KIND_SERVER && !in.deleted)
        r = so->server_get(st, j->a, in.account_id, j->no, &s, err);
    else if (r == 1)
        r = 0;
    if (r == 0)
        ncp_err_set_gw(err, NCP_E_GW_BAD_REQUEST, "No such server.");
    if (r <= 0)
        return -1;
    if (ncp_state_check(NCP_TR_STORAGE, s.status, s.op, false, err) < 0)
        return -1;
    return ncp_sched_transition_start(so, st, &s, NCP_TR_STORAGE, j->times, NULL,
                                      ncp_clock_now_ms(), j->app->step_ms, err);
}

static int run_write(const ncp_app_t *app, ncp_store_t *st, ncp_commit_fn fn, void *arg,
                     ncp_err_t *err);

/* POST /_ncpd/faults: action, serverInstanceNo, times. */
static int faults(const ncp_app_t *app, ncp_store_t *st, ncp_arena_t *a,
                  const ncp_request_t *req, ncp_buf_t *out, ncp_err_t *err)
{
    ncp_kvs_t kvs = {0};
    if (parse_params(a, req, &kvs, err) < 0)
        return -1;
    const char *action = kv_get(&kvs, "action");
    const char *nos = kv_get(&kvs, "serverInstanceNo");
    const char *times_s = kv_get(&kvs, "times");
    int64_t times = 1;
    if (!action || !nos || !ncp_spec_is_no(nos, strlen(nos)) ||
        (times_s && (ncp_spec_parse_int(times_s, strlen(times_s), &times) < 0 || times < 1 ||
                     times > 1000000))) {
        ncp_err_set_gw(err, NCP_E_GW_BAD_REQUEST,
                       "Expected form fields action, serverInstanceNo and optional times >= 1.");
        return -1;
    }
    int64_t no = act_no(nos);
    bool storage = strcmp(action, "storageBusy") == 0;
    storage_job_t job = {app, a, no, (int)times, storage ? -1 : ncp_drv_op_parse(action)};
    if (!storage && job.op < 0) {
        ncp_err_set_gw(err, NCP_E_GW_BAD_REQUEST, "Unknown fault action.");
        return -1;
    }
    if (run_write(app, st, storage ? storage_busy : fault_set, &job, err) < 0)
        return -1;
    if (storage)
        ncp_sched_kick(app->sched);
    ncp_buf_printf(out, "{\"ok\": true, \"action\": \"%s\", \"serverInstanceNo\": \"%" PRId64
                        "\", \"times\": %" PRId64 "}",
                   strcmp(action, "storageBusy") == 0 ? "storageBusy" : action, no, times);
    return 0;
}

/* ---- the pipeline ------------------------------------------------------- */

typedef struct handler_job {
    ncp_ctx_t *ctx;
    ncp_handler_fn fn;
} handler_job_t;

/* Carries out the intents of ctx through the driver (ok per intent). */
static void drive(ncp_ctx_t *ctx)
{
    for (size_t i = 0; i < ctx->n_intents; i++) {
        ncp_intent_t *in = &ctx->intents[i];
        ncp_err_t derr;
        ncp_err_init(&derr);
        if (in->faulted)
            ncp_err_internal(&derr, "fault switch: op=%d server=%" PRId64, (int)in->op,
                             in->server.no);
        in->ok = !in->faulted &&
                 ncp_drv_call(&ctx->app->drv, in->op, &in->server, in->arg, &derr) == 0;
        if (!in->ok)
            ncp_log_info("request_id=%s driver refused op=%d server=%" PRId64 ": %s",
                         ctx->request_id, (int)in->op, in->server.no, derr.detail);
    }
}

/* Records the driver's outcome of every intent: steps start, or the claim is undone. */
static int confirm_all(void *arg, ncp_store_t *st, ncp_err_t *err)
{
    ncp_ctx_t *ctx = arg;
    int64_t now = ncp_clock_now_ms();
    for (size_t i = 0; i < ctx->n_intents; i++)
        if (ncp_sched_confirm(ctx->so, st, ctx->arena, ctx->intents[i].no,
                              ctx->intents[i].ok, now, ctx->app->step_ms, err) < 0)
            return -1;
    ctx->kick = true;
    return 0;
}

/* A handler as a group-commit job: it runs on the committer's connection.
 * A driver whose state is the store's (NCP_DRV_F_TXN) acts inside it. */
static int run_handler(void *arg, ncp_store_t *st, ncp_err_t *err)
{
    handler_job_t *j = arg;
    ncp_ctx_t *ctx = j->ctx;
    ctx->st = st;
    ctx->kick = false;
    ctx->n_intents = 0;
    ctx->respond = NULL;
    if (j->fn(ctx, err) < 0)
        return -1;
    if (ctx->n_intents && (ncp_drv_flags(&ctx->app->drv) & NCP_DRV_F_TXN)) {
        drive(ctx);
        if (confirm_all(ctx, st, err) < 0)
            return -1;
    }
    if (ctx->em->out->over) {
        ncp_err_internal(err, "response larger than the cap");
        return -1;
    }
    return 0;
}

/* Runs fn as one write unit: a group-commit job, or its own transaction. */
static int run_write(const ncp_app_t *app, ncp_store_t *st, ncp_commit_fn fn, void *arg,
                     ncp_err_t *err)
{
    if (app->committer)
        return ncp_commit_run(app->committer, fn, arg, err);
    if (app->so->begin(st, true, err) < 0)
        return -1;
    if (fn(arg, st, err) < 0) {
        app->so->rollback(st);
        return -1;
    }
    return app->so->commit(st, err);
}

/* After the claims are committed: a driver with state of its own acts now,
 * outside any transaction, and the outcome is committed next (claim, act,
 * confirm). A failure to record it leaves claims only start-up recovery
 * completes: the process stops rather than answer. */
static int act_after_commit(const ncp_app_t *app, ncp_ctx_t *ctx, ncp_err_t *err)
{
    if (!ctx->n_intents || (ncp_drv_flags(&app->drv) & NCP_DRV_F_TXN))
        return 0;
    drive(ctx);
    ncp_store_t *st = ctx->st;
    if (run_write(app, st, confirm_all, ctx, err) < 0) {
        ncp_log_error("fatal: request_id=%s cannot record the outcome of its driver calls (%s): "
                      "stopping; the next start completes the claimed transitions",
                      ctx->request_id, err->detail[0] ? err->detail : err->msg);
        abort();
    }
    return 0;
}

/* A request whose driver calls are still to be made (see act.h). */
typedef struct deferred {
    ncp_ctx_t ctx;
    char request_id[37];
    ncp_fmt_t fmt;
    int64_t t0;
} deferred_t;

void ncp_dispatch_finish(void *deferred, ncp_response_t *resp)
{
    deferred_t *d = deferred;
    ncp_ctx_t *ctx = &d->ctx;
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_emit_t em;
    ncp_emit_init(&em, d->fmt, &resp->body);
    ctx->em = &em;
    if (act_after_commit(ctx->app, ctx, &err) < 0 || act_respond_driven(ctx, &err) < 0) {
        respond_error(resp, d->fmt, &err);
        ncp_log(err.code == NCP_E_INTERNAL ? NCP_LOG_ERROR : NCP_LOG_INFO,
                "request_id=%s action=%s status=%d code=%s ms=%" PRId64 "%s%s", d->request_id,
                ctx->act->name, resp->status, ncp_err_return_code(err.code),
                ncp_clock_mono_ms() - d->t0, err.detail[0] ? " detail=" : "", err.detail);
    } else {
        resp->status = 200;
        resp->content_type = ncp_env_content_type(d->fmt);
        if (ctx->app->log_requests)
            ncp_log_info("request_id=%s action=%s account=%" PRId64 " status=200 ms=%" PRId64,
                         d->request_id, ctx->act->name, ctx->account_id,
                         ncp_clock_mono_ms() - d->t0);
    }
    if (ctx->kick)
        ncp_sched_kick(ctx->app->sched);
}

void ncp_dispatch(const ncp_app_t *app, ncp_store_t *st, ncp_arena_t *a,
                  const ncp_request_t *req, ncp_response_t *resp)
{
    int64_t m0 = ncp_metrics_now_us(); /* metrics hook */
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_fmt_t fmt = NCP_FMT_XML;
    int64_t t0 = ncp_clock_mono_ms();
    int64_t now = ncp_clock_now_ms();
    const ncp_action_t *act = NULL;
    char request_id[37];
    ncp_rand_uuid(request_id);
    bool is_get = strcmp(req->method, "GET") == 0, is_post = strcmp(req->method, "POST") == 0;
    bool reading = false; /* a read transaction is open on st */

    const char *path = normalize_path(a, req->raw_uri);
    route_t r = route(path, &act);
    if (r == R_HEALTH && (is_get || strcmp(req->method, "HEAD") == 0)) {
        resp->status = 200;
        resp->content_type = ncp_env_content_type(NCP_FMT_JSON);
        ncp_buf_puts(&resp->body, "{\"status\": \"ok\"}");
        return;
    }
    if (r == R_FAULTS && app->admin_token && is_post) {
        if (!req->h_admin_token || !ncp_ct_streq(req->h_admin_token, app->admin_token)) {
            ncp_err_set_gw(&err, NCP_E_GW_DENIED, "Invalid or missing x-ncpd-admin-token.");
            goto fail;
        }
        if (faults(app, st, a, req, &resp->body, &err) < 0)
            goto fail;
        resp->status = 200;
        resp->content_type = ncp_env_content_type(NCP_FMT_JSON);
        return;
    }
    if (r != R_ACTION || (!is_get && !is_post)) {
        ncp_err_set_gw(&err, NCP_E_GW_NOT_FOUND, "Not Found.");
        goto fail;
    }

    ncp_ctx_t ctx = {.app = app, .arena = a, .so = app->so, .st = st, .now_ms = now,
                     .request_id = request_id, .act = act};
    bool write = (act->flags & NCP_A_WRITE) != 0;
    /* the change token before the read transaction (respcache.c) */
    uint8_t token[NCP_STORE_TOKEN_LEN], token2[NCP_STORE_TOKEN_LEN];
    char secret[257] = "";
    bool cache = !write && req->preauth_account <= 0 && act_rc_cacheable(act) &&
                 app->so->change_token && app->so->change_token(st, token) == 1;
    if (cache && answer_cached(req, token, now, request_id, resp, &ctx.account_id)) {
        if (app->log_requests)
            ncp_log_info("request_id=%s action=%s account=%" PRId64 " status=200 ms=%" PRId64
                         " cached=1",
                         request_id, act->name, ctx.account_id, ncp_clock_mono_ms() - t0);
        ncp_metrics_add(NCP_M_ANSWER_CACHE_HITS, 1);
        ncp_metrics_request(act->name, NCP_E_OK, m0); /* metrics hook */
        return;
    }
    /* A read action runs in one read transaction from the key look-up to its
     * answer: one snapshot, and one pair of the WAL's lock calls, not two. */
    if (!write) {
        if (app->so->begin(st, false, &err) < 0)
            goto fail;
        reading = true;
    }
    if (req->preauth_account > 0)
        ctx.account_id = req->preauth_account; /* console session (ncpd/console.c) */
    else if (!(act->flags & NCP_A_NOAUTH) &&
             authenticate(app, st, a, req, now, &ctx.account_id, cache ? secret : NULL,
                          &err) < 0)
        goto fail;

    ncp_kvs_t kvs = {0};
    fmt = sniff_format(req); /* the format of an error of a request that does not parse */
    if (parse_params(a, req, &kvs, &err) < 0)
        goto fail;
    if (response_format(&kvs, &fmt, &err) < 0)
        goto fail;
    if (act->flags & NCP_A_UNSUPPORTED) {
        ncp_err_set(&err, NCP_E_V_UNSUPPORTED, act->name);
        goto fail;
    }
    if (ncp_spec_validate(act, &kvs, a, &ctx.args, &err) < 0)
        goto fail;

    resp->sensitive = (act->flags & NCP_A_SECRET) != 0;
    ncp_emit_t em;
    ncp_emit_init(&em, fmt, &resp->body);
    ctx.em = &em;
    ncp_handler_fn fn = handler_of(act);
    if ((act->flags & NCP_A_PREP) && prep_of(act)(&ctx, &err) < 0)
        goto fail;
    if (write) {
        /* group commit: answered only after the batch's commit */
        handler_job_t job = {&ctx, fn};
        if (run_write(app, st, run_handler, &job, &err) < 0)
            goto fail;
        ctx.st = st;
        if (ctx.n_intents && app->can_defer &&
            !(ncp_drv_flags(&app->drv) & NCP_DRV_F_TXN)) {
            deferred_t *d = ncp_arena_alloc(a, sizeof(*d));
            d->ctx = ctx;
            memcpy(d->request_id, request_id, sizeof(request_id));
            d->ctx.request_id = d->request_id;
            d->ctx.st = NULL; /* the caller's connection stays with the caller */
            d->fmt = fmt;
            d->t0 = t0;
            resp->deferred = d;
            return;
        }
        if (act_after_commit(app, &ctx, &err) < 0)
            goto fail;
        if (ctx.n_intents && act_respond_driven(&ctx, &err) < 0)
            goto fail;
        if (ctx.kick)
            ncp_sched_kick(app->sched);
    } else {
        if (fn(&ctx, &err) < 0)
            goto fail;
        reading = false;
        app->so->commit(st, &err);
        if (resp->body.over) {
            ncp_err_internal(&err, "response larger than the cap");
            goto fail;
        }
        /* the same token after the transaction: it saw the state the token names */
        if (cache && app->so->change_token(st, token2) == 1 &&
            memcmp(token, token2, sizeof(token)) == 0)
            act_rc_put(req, token, ctx.account_id, secret, fmt, resp->body.data,
                       resp->body.len, request_id);
    }
    resp->status = 200;
    resp->content_type = ncp_env_content_type(fmt);
    explicit_bzero(secret, sizeof(secret));
    if (app->log_requests)
        ncp_log_info("request_id=%s action=%s account=%" PRId64 " status=200 ms=%" PRId64,
                     request_id, act->name, ctx.account_id, ncp_clock_mono_ms() - t0);
    ncp_metrics_request(act->name, NCP_E_OK, m0); /* metrics hook */
    return;

fail:
    explicit_bzero(secret, sizeof(secret));
    if (reading)
        app->so->rollback(st);
    if (act && act->api != NCP_API_SERVER)
        vpc_error_body(&err);
    respond_error(resp, fmt, &err);
    ncp_metrics_request(act ? act->name : NULL, err.code, m0); /* metrics hook */
    if (err.code == NCP_E_INTERNAL || app->log_requests)
        ncp_log(err.code == NCP_E_INTERNAL ? NCP_LOG_ERROR : NCP_LOG_INFO,
                "request_id=%s action=%s status=%d code=%s ms=%" PRId64 "%s%s", request_id,
                act ? act->name : "-", resp->status, ncp_err_return_code(err.code),
                ncp_clock_mono_ms() - t0, err.detail[0] ? " detail=" : "", err.detail);
}

/* act.h: request dispatch and the handlers' context.
 *
 * ncp_dispatch() is the whole pipeline of one request after HTTP framing:
 * route -> authenticate -> parse -> validate against the action table ->
 * transaction -> handler -> render -> log. Handlers (act_<actionName>) get
 * typed, validated arguments and write the response through the emitter. */
#ifndef NCP_ACT_H
#define NCP_ACT_H
#include <stdbool.h>
#include <stdint.h>

#include "drv/drv.h"
#include "render/emit.h"
#include "sched/sched.h"
#include "store/commit.h"
#include "spec/spec.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/err.h"

/* Long-lived, shared by all requests (read-only after start-up). */
typedef struct ncp_app {
    const ncp_store_ops_t *so;
    ncp_driver_t drv;
    ncp_sched_t *sched;
    ncp_committer_t *committer; /* group commit for writes; NULL: each in its own txn */
    int64_t step_ms;
    uint8_t master_key[NCP_MASTER_KEY_LEN];
    const char *admin_token;  /* NULL: the admin endpoints do not exist */
    bool log_requests;
    /* the caller of ncp_dispatch can finish a request later, off its thread
     * (ncp_response_t.deferred): slow driver calls then never hold it up */
    bool can_defer;
    const char *node_id;      /* this node's name (owner of its claims, scheduler lease) */
} ncp_app_t;

/* One HTTP request, as the HTTP layer received it. */
typedef struct ncp_request {
    const char *method;
    const char *raw_uri;      /* request-target exactly as on the request line */
    const char *body;
    size_t body_len;
    bool body_is_form;        /* Content-Type absent or x-www-form-urlencoded */
    const char *h_timestamp, *h_access_key, *h_sig_v2, *h_sig_v1, *h_admin_token;
    /* > 0: the HTTP layer has already authenticated this account (a console
     * session whose cookie, CSRF token and origin it checked); dispatch then
     * skips the signature check and runs everything else as for a signed
     * request. Never set from anything a client sends. */
    int64_t preauth_account;
} ncp_request_t;

typedef struct ncp_response {
    int status;
    bool sensitive;           /* holds a secret: wipe the body and the arena once sent */
    const char *content_type;
    ncp_buf_t body;           /* owned by the caller, initialised by it */
    /* set (with app->can_defer) when the request's claims are committed and a
     * driver with state of its own must still act: the caller runs
     * ncp_dispatch_finish() on another thread, where slow hypervisor calls
     * stall nobody, and keeps the arena alive until then */
    void *deferred;
} ncp_response_t;

/* A driver call a handler asked for, on a server it has claimed
 * (ncp_sched_claim): the dispatcher calls the driver (inside the request's
 * transaction for NCP_DRV_F_TXN drivers, after its commit otherwise),
 * records the outcome, then answers with the servers that started. */
typedef struct ncp_intent {
    ncp_server_t server; /* as claimed: what the answer shows (a volume operation: the
                          * server it concerns, or only its number) */
    ncp_drv_op_t op;
    const char *arg;
    bool faulted;        /* the fault switch makes this call fail (consumed at the claim) */
    bool ok;
    int64_t no;          /* the claimed instance: the server, or the resource (act_claim_res) */
} ncp_intent_t;

/* The handler's view of a request. */
typedef struct ncp_ctx {
    const ncp_app_t *app;
    ncp_arena_t *arena;
    const ncp_store_ops_t *so;
    ncp_store_t *st;
    int64_t account_id;
    int64_t now_ms;
    const char *request_id;
    const ncp_action_t *act;
    ncp_args_t args;
    ncp_emit_t *em;
    bool kick;                /* a transition was started: wake the scheduler */
    void *prep;               /* result of the action's preparation step, if any */
    bool detail;              /* server lists render userData (one server named) */
    ncp_intent_t *intents;    /* driver calls to make (act_claim) */
    size_t n_intents, cap_intents;
    /* the answer once the driver has acted, when it is not a serverInstanceList
     * (act_respond_driven calls it; resources of issue 11) */
    int (*respond)(struct ncp_ctx *ctx, ncp_err_t *err);
    void *respond_arg;
} ncp_ctx_t;

typedef int (*ncp_handler_fn)(ncp_ctx_t *ctx, ncp_err_t *err);

/* Handles one request with the calling thread's store connection `st`. */
void ncp_dispatch(const ncp_app_t *app, ncp_store_t *st, ncp_arena_t *a,
                  const ncp_request_t *req, ncp_response_t *resp);
/* Finishes a deferred request (resp->deferred of a previous ncp_dispatch):
 * the driver acts, the outcome is committed, the answer written to `resp`
 * (a fresh response). Uses no store connection of the caller's. */
void ncp_dispatch_finish(void *deferred, ncp_response_t *resp);

/* Handler lookup (for tests and the table check). */
ncp_handler_fn ncp_act_handler(const char *action);
int ncp_act_check_table(void);

#endif

/* act_int.h: shared between the handler files of act/ only. */
#ifndef NCP_ACT_INT_H
#define NCP_ACT_INT_H
#include "act/act.h"
#include "domain/catalog.h"

#define NCP_PARAM(n, t, fl, mi, ma, en, h)
#define NCP_END(n)
#define NCP_UNSUPPORTED(n, h)
#define NCP_ACTION(n, fl, h) int act_##n(ncp_ctx_t *ctx, ncp_err_t *err);
#include "spec/actions.def"
#undef NCP_ACTION
/* the VPC APIs (act_v*.c): act_vserver_<name>, act_vpc_<name> */
#define NCP_ACTION(n, fl, h) int act_vserver_##n(ncp_ctx_t *ctx, ncp_err_t *err);
#include "spec/vserver.def"
#undef NCP_ACTION
#define NCP_ACTION(n, fl, h) int act_vpc_##n(ncp_ctx_t *ctx, ncp_err_t *err);
#include "spec/vpc.def"
#undef NCP_ACTION
#undef NCP_PARAM
#undef NCP_END
#undef NCP_UNSUPPORTED

/* Rendered-object cache (fragcache.c): replays a ServerInstance rendered
 * earlier for the same (number, version, flags); flags encode format,
 * detail and depth. */
bool act_frag_get(int64_t no, int64_t version, uint32_t flags, ncp_emit_t *e);
bool act_frag_has(int64_t no, int64_t version, uint32_t flags);
/* Store probe for server lists emitted at the top level of a response
 * (userData per ctx->detail). Its argument is the list callback's context,
 * whose first member must be the ncp_ctx_t pointer. */
bool act_server_probe(void *ctx, int64_t no, int64_t version);
void act_frag_put(int64_t no, int64_t version, uint32_t flags, const char *text, size_t len);

/* Answer cache of polled reads (respcache.c), per thread, tagged with the store's
 * change token. act_rc_find gives the entry of this request (same method, access
 * key, request-target and body) only when its token is `token`; act_rc_put keeps an
 * answer computed in one read transaction that began after `token` was read and
 * ended before it was read again, unchanged; act_rc_answer writes the entry with
 * another requestId. */
typedef struct act_rc_entry act_rc_entry_t;
bool act_rc_cacheable(const ncp_action_t *act);
const act_rc_entry_t *act_rc_find(const ncp_request_t *req,
                                  const uint8_t token[NCP_STORE_TOKEN_LEN]);
void act_rc_put(const ncp_request_t *req, const uint8_t token[NCP_STORE_TOKEN_LEN],
                int64_t account_id, const char *secret, ncp_fmt_t fmt, const char *body,
                size_t len, const char *request_id);
int act_rc_answer(const act_rc_entry_t *e, const char *request_id, ncp_buf_t *out);
const char *act_rc_secret(const act_rc_entry_t *e);
int64_t act_rc_account(const act_rc_entry_t *e);
ncp_fmt_t act_rc_fmt(const act_rc_entry_t *e);

/* Preparation steps (NCP_A_PREP): run before the transaction, result in ctx->prep. */
int act_prep_createLoginKey(ncp_ctx_t *ctx, ncp_err_t *err);
int act_prep_vserver_createLoginKey(ncp_ctx_t *ctx, ncp_err_t *err);

/* One VPC ServerInstance (act_vserver.c; spec/vpc/vserver.md §1.1): the
 * renderer of VPC servers wherever a server list is answered (s->vpc set). */
void act_vserver_emit(ncp_ctx_t *ctx, const ncp_server_t *s);

/* A number shown as a string (every ...No of the API). */
void act_emit_no(ncp_emit_t *e, const char *name, int64_t no);

/* A list answer written row by row: the envelope and totalRows go out with
 * the first row (totalRows must be known by then), or at close when empty.
 * List callbacks take an act_rows_t; its first member is the ncp_ctx_t. */
typedef struct act_rows {
    ncp_ctx_t *ctx;
    int64_t total;
    bool started;
    const char *list, *item;
} act_rows_t;

void act_rows_open(act_rows_t *r);
void act_rows_close(act_rows_t *r);
/* Row callback for server lists (userData per ctx->detail). */
int act_server_row(void *p, const ncp_server_t *s);

/* Writes one ServerInstance (server-instance.md §1.1, in the seed's order). */
void act_emit_server(ncp_ctx_t *ctx, const ncp_server_t *s, bool with_user_data);
/* The same as the object member `member` (serverInstanceAssociatedWithPublicIp ...). */
void act_emit_server_as(ncp_ctx_t *ctx, const char *member, const ncp_server_t *s,
                        bool with_user_data);

/* Resolves a serverInstanceNoList in list order (DECISIONS D2 step 1):
 * malformed or non-server number 24109, duplicate 910, unknown / foreign /
 * terminated 24120. Fills out[0..n) with the caller's servers. */
int act_servers_resolve(ncp_ctx_t *ctx, const char *param, ncp_server_t **out, size_t *n_out,
                        ncp_err_t *err);

void act_emit_zone(ncp_emit_t *e, const char *name, const ncp_zone_t *z);
void act_emit_region(ncp_emit_t *e, const char *name, const ncp_region_t *r);

/* Claims transition `kind` on s (s then shows the claimed state) and queues
 * the driver call that carries it out (ncp_intent_t). The handler writes no
 * answer: the dispatcher answers once the driver has acted (act_respond_driven). */
int act_claim(ncp_ctx_t *ctx, ncp_server_t *s, ncp_tr_kind_t kind, const char *arg,
              ncp_err_t *err);
/* act_claim for any kind of resource (sched.h, domain/rstate.h): r moves to
 * the path's first state; the driver call's server is s (NULL: none, a
 * volume operation reads its numbers from arg). The fault switch fails the
 * call when it is armed for the resource's number or the server's. */
int act_claim_res(ncp_ctx_t *ctx, ncp_sched_res_t *r, ncp_tr_kind_t kind, const char *arg,
                  const ncp_server_t *s, ncp_err_t *err);
/* The answer to a request whose intents the driver has carried out
 * (DECISIONS D2): all failed is 1300, some failed is HTTP 200 / 22001
 * listing the servers that did start, none is success. */
int act_respond_driven(ncp_ctx_t *ctx, ncp_err_t *err);
/* One serverInstanceList answer of n servers (those with ok[i], or all when
 * ok is NULL), with totalRows = total and status `status` (NULL: success). */
void act_respond_servers(ncp_ctx_t *ctx, const ncp_err_t *status, const ncp_server_t *v,
                         const bool *ok, size_t n, int64_t total);

/* Resolves one server number parameter like act_servers_resolve. */
int act_server_resolve(ncp_ctx_t *ctx, const char *text, size_t len, ncp_server_t *out,
                       ncp_err_t *err);

/* One AccessControlGroup element (shared by servers and the ACG list). */
void act_emit_acg(ncp_emit_t *e, const ncp_acg_t *g);

/* Root passwords are stored sealed under the master key (hex text). */
int act_password_seal(ncp_ctx_t *ctx, const char *plain, const char **hex_out, ncp_err_t *err);
int act_password_open(ncp_ctx_t *ctx, const char *hex, const char **plain_out, ncp_err_t *err);

/* The numbers of a validated NCP_T_LIST_NO argument (arena array), or NULL
 * when it is absent. */
const int64_t *act_nos(ncp_ctx_t *ctx, const ncp_arg_t *a);
/* pageNo (1-based, 0 = first) and pageSize (0 = all) as offset and limit. */
void act_page(const ncp_args_t *A, int64_t *offset, int64_t *limit);

/* Parses an instance number validated by the spec layer. */
int64_t act_no(const char *s);

#endif

/* act_res.h: what the handler files of the classic resources (issue 11:
 * act_storage.c, act_publicip.c, act_pf.c, act_nas.c, act_image.c,
 * act_tags.c, act_network.c, act_server_more.c) share. Internal to act/. */
#ifndef NCP_ACT_RES_H
#define NCP_ACT_RES_H
#include "act/act_int.h"
#include "domain/rstate.h"

/* ---- output ------------------------------------------------------------------ */

void act_emit_date(ncp_emit_t *e, const char *name, int64_t ms);
/* "zone" / "region" objects of a zone number (empty values when the
 * catalogue no longer has it) */
void act_emit_zone_no(ncp_emit_t *e, const char *name, int64_t zone_no);
void act_emit_region_of_zone(ncp_emit_t *e, const char *name, int64_t zone_no);
/* status / operation CommonCodes of a resource of `kind` */
void act_emit_rstatus(ncp_emit_t *e, const char *name, ncp_kind_t kind, int status);
void act_emit_rop(ncp_emit_t *e, const char *name, ncp_kind_t kind, int op);
/* A number given as the literal text of a JSON number / XML value ("0.0"). */
void act_emit_num(ncp_emit_t *e, const char *name, const char *literal);
/* An object member with no content: <name/> in XML, {} in JSON. */
void act_emit_empty_obj(ncp_emit_t *e, const char *name);
/* The server `no` of the caller as an embedded ServerInstance (empty object
 * when it is gone). */
void act_emit_server_no(ncp_ctx_t *ctx, const char *name, int64_t no);

/* A list answer: envelope, totalRows, the list (streamed by act_rows_t). */
void act_answer_begin(ncp_ctx_t *ctx, int64_t total, const char *list, const char *item);
void act_answer_end(ncp_ctx_t *ctx);
/* An answer with no payload (createNetworkInterface ...). */
void act_answer_empty(ncp_ctx_t *ctx);

/* ---- parameters ------------------------------------------------------------------- */

/* Zones a list's regionNo / zoneNo name: NULL (and 0) when neither is
 * given; an unknown region or zone matches nothing (an empty array). */
void act_zone_filter(ncp_ctx_t *ctx, const int64_t **zones, size_t *n);
/* The zone of a create: zoneNo (or `dflt` when not 0, or the first zone of
 * regionNo / the catalogue). Unknown zone or region, or a zone outside the
 * region: 910 for that parameter. */
int act_zone_param(ncp_ctx_t *ctx, int64_t dflt, const ncp_zone_t **out, ncp_err_t *err);
/* pageNo / pageSize of lists that have them */
void act_paging(ncp_ctx_t *ctx, int64_t *offset, int64_t *limit);

/* A number of an instance of `kind` owned by the caller: a malformed one is
 * 910 for `param` (as every parameter but server numbers, docs/compat.md);
 * unknown, another account's, retired or of another kind are all `code`. */
int act_res_resolve(ncp_ctx_t *ctx, const char *param, const char *text, size_t len,
                    ncp_kind_t kind, ncp_err_code_t code, int64_t *no_out, ncp_err_t *err);
/* Every item of the list parameter `param` the same way, in list order; a
 * repeated number is 910 (duplicated value). */
int act_res_resolve_list(ncp_ctx_t *ctx, const char *param, ncp_kind_t kind,
                         ncp_err_code_t code, int64_t **nos_out, size_t *n_out, ncp_err_t *err);
/* A new instance number registered as `kind` of the caller. */
int act_res_new_no(ncp_ctx_t *ctx, ncp_kind_t kind, int64_t *no_out, ncp_err_t *err);
/* "prefix" + creation time in hex milliseconds, never twice in the process
 * (default names: bst..., snap..., img...). */
const char *act_default_name(ncp_ctx_t *ctx, const char *prefix);

/* ---- driven answers ------------------------------------------------------------- */

/* The answer of a request whose resources were claimed (act_claim_res),
 * given once the driver has acted: the rows of the intents that went
 * through, in order (all failed: 1300; some: 200 / 22001). */
typedef struct act_driven {
    const char *list, *item;
    const void *rows;   /* n rows, parallel to ctx->intents */
    size_t row_size;
    void (*emit)(ncp_ctx_t *ctx, const void *row);
} act_driven_t;

/* Sets the request's answer to `d` (copied into the arena). */
void act_respond_rows(ncp_ctx_t *ctx, const act_driven_t *d);

/* ---- models shared by families ----------------------------------------------------- */

void act_emit_disk(ncp_ctx_t *ctx, const ncp_disk_t *d);
void act_emit_public_ip(ncp_ctx_t *ctx, const ncp_public_ip_t *ip);
void act_emit_nas(ncp_ctx_t *ctx, const ncp_nas_t *v);
/* The codeName of a day-of-week code (MON: Monday), "" for none. */
const char *act_day_name(const char *code);
void act_emit_image(ncp_ctx_t *ctx, const ncp_member_image_t *m);

/* The port-forwarding configuration of the account in a zone (DECISIONS
 * D11), made when missing: its address (the seed account's in KR-2 is
 * 106.10.51.90). Used by createServerInstances. */
int act_pf_config_of_zone(ncp_ctx_t *ctx, int64_t zone_no, ncp_pf_config_t *out, ncp_err_t *err);

/* A member server image the caller may create servers from (its own or
 * shared with it, ready), as the catalogue image it was captured from, with
 * its boot disk's size; 10712 otherwise (interactions.md M3). */
int act_member_image_as_image(ncp_ctx_t *ctx, const char *text, size_t len, ncp_image_t *out,
                              ncp_err_t *err);

/* The caller's login ID (its account's name): what images are shared with. */
int act_login_id(ncp_ctx_t *ctx, const char **out, ncp_err_t *err);

/* Interactions with servers (interactions.md): 24073 when a public IP is
 * associated with s (terminate, P7). */
int act_server_public_ip_check(ncp_ctx_t *ctx, const ncp_server_t *s, ncp_err_t *err);

#endif

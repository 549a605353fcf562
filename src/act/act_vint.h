/* act_vint.h: shared by the handler files of the VPC APIs (act_v*.c):
 * act_vcommon.c (regions, names, numbers, transitions, answers),
 * act_vpc.c (/vpc/v2), act_vserver.c (servers, keys, init scripts, root
 * passwords), act_vacg.c (ACGs), act_vnic.c (network interfaces),
 * act_vstorage.c (block storage, public IPs), act_vcatalog.c (catalogue).
 *
 * Every look-up is scoped to the caller's account and to the VPC platform:
 * another account's numbers, and the classic platform's, read exactly like
 * unknown ones. Unknown numbers are `1100000 Parameter is invalid. {name}`
 * in actions and an empty list in get...Detail (spec/vpc/README.md §1.3). */
#ifndef NCP_ACT_VINT_H
#define NCP_ACT_VINT_H
#include "act/act_int.h"
#include "domain/vcatalog.h"
#include "domain/vpc_model.h"
#include "domain/vstate.h"

/* regionCode of the request (absent: the first region); unknown: 1100000. */
int actv_region(ncp_ctx_t *ctx, const ncp_vregion_t **out, ncp_err_t *err);
/* A zone of the region by code; unknown or another region's: 1100000 `param`. */
int actv_zone(ncp_ctx_t *ctx, const ncp_vregion_t *region, const char *code, const char *param,
              const ncp_vzone_t **out, ncp_err_t *err);

/* Names of VPC objects: 3..30 lower-case letters, digits and '-', starting
 * with a letter and ending with a letter or digit (DOC-createVpc). */
bool actv_name_ok(const char *s, size_t len);
/* A name argument: the value, or `prefix` + hex milliseconds when absent;
 * a bad one is 1100000 `param`. */
int actv_name(ncp_ctx_t *ctx, const char *param, const char *prefix, const char **out,
              ncp_err_t *err);
/* An optional text argument, "" when absent. */
const char *actv_text(ncp_ctx_t *ctx, const char *param);

/* A new instance number of `kind`, registered to the caller. */
int actv_new_no(ncp_ctx_t *ctx, ncp_kind_t kind, int64_t *out, ncp_err_t *err);

/* Starts path `vtr_kind` (vstate.h) on object `no`: it shows the path's
 * first state at once, the scheduler does the rest. `arg`: the status a
 * RESTORE step goes back to. */
int actv_start(ncp_ctx_t *ctx, int vtr_kind, int64_t no, const char *arg, ncp_err_t *err);

/* The caller's VPC server by number (serverInstanceNo text): malformed
 * 24109, unknown / another account's / classic / terminated 24120. out->vpc
 * points to its VPC fields. */
int actv_server(ncp_ctx_t *ctx, const char *text, size_t len, ncp_server_t *out,
                ncp_err_t *err);
/* Loads the VPC fields of a server read with so->server_get (sets s->vpc). */
int actv_server_fields(ncp_ctx_t *ctx, ncp_server_t *s, ncp_err_t *err);

/* List answers: the envelope with totalRows, then items; actv_list_end closes.
 * `list`/`item`: the JSON list name and the XML item element. */
void actv_list_begin(ncp_ctx_t *ctx, int64_t total, const char *list, const char *item);
void actv_list_end(ncp_ctx_t *ctx);
/* pageNo/pageSize of the request applied to n matches: [*from, *to). */
void actv_page(ncp_ctx_t *ctx, size_t n, size_t *from, size_t *to);
/* true when `no` is among the numbers of a NCP_T_LIST_NO argument (or it is absent). */
bool actv_in_list(const ncp_arg_t *a, int64_t no);
/* true when the string equals one item of a list argument (or it is absent). */
bool actv_in_strs(const ncp_arg_t *a, const char *s);
/* true when a string argument is absent or exactly `have` (an equality filter). */
bool actv_arg_is(const ncp_arg_t *a, const char *have);
/* vpcNo of a list request, or 0 (every VPC) when it is absent. */
int64_t actv_vpc_filter(ncp_ctx_t *ctx);

/* Rendering helpers. */
void actv_emit_date(ncp_emit_t *e, const char *name, int64_t ms);
void actv_emit_state(ncp_emit_t *e, const char *name, ncp_kind_t kind, const char *code);
void actv_emit_nos(ncp_emit_t *e, const char *list, const char *item, const int64_t *nos,
                   size_t n);

/* Renderers of the models (field order of the Go SDK v2 structs). */
void actv_emit_vpc(ncp_emit_t *e, const ncp_vpc_t *v);
void actv_emit_subnet(ncp_emit_t *e, const ncp_vsubnet_t *s);
void actv_emit_nacl(ncp_emit_t *e, const ncp_nacl_t *n);
void actv_emit_acg(ncp_emit_t *e, const ncp_vacg_t *g);
void actv_emit_nic(ncp_emit_t *e, const ncp_vnic_t *n);
void actv_emit_storage(ncp_emit_t *e, const ncp_vstorage_t *b);

/* The next free private IP of a subnet (from .6, as the doc examples show),
 * or `want` when given and free; taken / outside: 1100000 `param`. */
int actv_subnet_ip(ncp_ctx_t *ctx, const ncp_vsubnet_t *sn, const char *want, const char *param,
                   const char **out, ncp_err_t *err);
/* A MAC address for interface `no` (F2:20:... locally administered). */
const char *actv_mac(ncp_ctx_t *ctx, int64_t no);

/* ACG numbers of an argument: each an ACG of the caller in VPC vpc_no, no
 * duplicates; else 1100000 `param`. */
int actv_acgs(ncp_ctx_t *ctx, const char *const *items, size_t n, int64_t vpc_no,
              const char *param, int64_t *out, ncp_err_t *err);

/* Block storage made with a VPC server: its basic disk (act_vstorage.c). */
int actv_storage_basic(ncp_ctx_t *ctx, const ncp_server_t *s, const ncp_vimage_t *img,
                       const ncp_vspec_t *spec, const char *region, const char *zone,
                       bool encrypted, ncp_err_t *err);
/* A new public IP associated with a server (createServerInstances with
 * associateWithPublicIp, createPublicIpInstance). */
int actv_public_ip_new(ncp_ctx_t *ctx, int64_t server_no, const char *description,
                       ncp_vpip_t *out, ncp_err_t *err);

#endif

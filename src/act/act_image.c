/* act_image.c: member server images (images-tags.md §1, interactions.md
 * M1-M5): capture, list, delete, sharing between accounts of this ncpd,
 * and what servers are created from.
 *
 * A capture is claimed (the driver copies the boot disk) and the server
 * shows operation COPY "copying" until it ends, so that it is not stopped
 * or terminated under it. A login ID is the name of an account of this
 * ncpd (`ncpd account create NAME`); an image shared with it is listed
 * for that account and servers can be created from it, nothing more. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act/act_res.h"
#include "domain/catalog.h"
#include "store/store_image.h"

/* The images the caller may use: its own, and (login_id) those shared with it. */
static int image_get(ncp_ctx_t *ctx, int64_t no, bool shared_too, ncp_member_image_t *out,
                     bool *owned, ncp_err_t *err)
{
    const char *me = NULL;
    if (shared_too && act_login_id(ctx, &me, err) < 0)
        return -1;
    return ncp_store_image_get(ctx->st, ctx->arena, ctx->account_id, me, no, out, owned, err);
}

int act_member_image_as_image(ncp_ctx_t *ctx, const char *text, size_t len, ncp_image_t *out,
                              ncp_err_t *err)
{
    ncp_member_image_t m;
    bool owned;
    int r = ncp_spec_is_no(text, len) ? image_get(ctx, act_no(text), true, &m, &owned, err) : 0;
    if (r < 0)
        return -1;
    /* M3: an image of the caller or shared with it, and ready */
    if (r == 0 || m.status != NCP_RS_CREAT || m.op != NCP_RO_NULL) {
        ncp_err_set(err, NCP_E_PRODUCT_NOT_FOUND);
        return -1;
    }
    const ncp_image_t *orig = ncp_catalog_image(m.image_code);
    memset(out, 0, sizeof(*out));
    out->code = m.image_code;
    out->name = m.image_name;
    out->description = m.description;
    out->os_info = m.os_info;
    out->product_type = orig ? orig->product_type
                             : strncmp(m.platform, "WND", 3) == 0 ? "WINNT" : "LINUX";
    out->platform = m.platform;
    out->base_size = m.base_size;
    out->detail_type = orig ? orig->detail_type : "";
    return 0;
}

static void emit_image_row(ncp_ctx_t *ctx, const void *row)
{
    act_emit_image(ctx, row);
}

static void respond_images(ncp_ctx_t *ctx, const ncp_member_image_t *v)
{
    act_driven_t d = {"memberServerImageList", "memberServerImage", v, sizeof(*v),
                      emit_image_row};
    act_respond_rows(ctx, &d);
}

int act_createMemberServerImage(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *no_a = ncp_arg(A, "serverInstanceNo");
    ncp_server_t s;
    if (act_server_resolve(ctx, no_a->s, no_a->len, &s, err) < 0)
        return -1;
    if (s.op == NCP_OP_COPY) { /* M2: one capture at a time */
        ncp_err_set(err, NCP_E_IMAGE_IN_PROGRESS);
        return -1;
    }
    if ((s.status != NCP_ST_RUN && s.status != NCP_ST_NSTOP) || s.op != NCP_OP_NULL) { /* M1 */
        ncp_err_set(err, NCP_E_IMAGE_SERVER_STATE);
        return -1;
    }
    const ncp_arg_t *name_a = ncp_arg(A, "memberServerImageName");
    const char *name = name_a->present ? name_a->s : act_default_name(ctx, "img");
    int r = ncp_store_image_name_taken(ctx->st, ctx->account_id, name, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        ncp_err_set(err, NCP_E_NAME_IN_USE);
        return -1;
    }
    const ncp_image_t *img = ncp_catalog_image(s.image_code);
    const ncp_arg_t *desc = ncp_arg(A, "memberServerImageDescription");
    ncp_member_image_t *m = ncp_arena_alloc(ctx->arena, sizeof(*m));
    m->account_id = ctx->account_id;
    m->name = name;
    m->description = desc->present ? desc->s : "";
    m->server_no = s.no;
    m->server_name = s.name;
    m->product_code = s.product_code;
    m->disk_type = s.disk_type;
    m->image_code = s.image_code;
    m->image_name = s.image_name;
    m->os_info = img ? img->os_info : s.image_name;
    m->platform = s.platform;
    m->base_size = s.base_size;
    m->status = NCP_RS_INIT;
    m->op = NCP_RO_CREAT;
    m->zone_no = s.zone_no;
    m->create_ms = ctx->now_ms;
    if (act_res_new_no(ctx, NCP_KIND_MEMBER_IMAGE, &m->no, err) < 0 ||
        ncp_store_image_put(ctx->st, m, err) < 0 ||
        ncp_sched_image_copy(ctx->so, ctx->st, &s, ctx->now_ms, ctx->app->step_ms, err) < 0)
        return -1;
    ncp_sched_res_t res = {NCP_KIND_MEMBER_IMAGE, m->no, ctx->account_id, m->status, m->op};
    const char *arg = ncp_arena_printf(ctx->arena, "%" PRId64 " %" PRId64, s.basic_storage_no,
                                       m->no);
    if (act_claim_res(ctx, &res, NCP_TR_IMAGE_CREATE, arg, &s, err) < 0)
        return -1;
    ctx->kick = true;
    respond_images(ctx, m);
    return 0;
}

/* An image the caller owns; unknown, another account's and shared-with-me are
 * all answered alike. */
static int own_image(ncp_ctx_t *ctx, const char *param, const char *text, size_t len,
                     ncp_member_image_t *out, ncp_err_t *err)
{
    int64_t no;
    if (act_res_resolve(ctx, param, text, len, NCP_KIND_MEMBER_IMAGE, NCP_E_BAD_INSTANCE_NUMBER, &no,
                        err) < 0)
        return -1;
    int r = image_get(ctx, no, false, out, NULL, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_BAD_INSTANCE_NUMBER);
    return r == 1 ? 0 : -1;
}

int act_deleteMemberServerImages(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, "memberServerImageNoList");
    int64_t *nos;
    size_t n;
    if (act_res_resolve_list(ctx, "memberServerImageNoList", NCP_KIND_MEMBER_IMAGE,
                             NCP_E_BAD_INSTANCE_NUMBER, &nos, &n, err) < 0)
        return -1;
    ncp_member_image_t *v = ncp_arena_alloc(ctx->arena, (n ? n : 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        if (own_image(ctx, "memberServerImageNoList", a->items[i], a->lens[i], &v[i], err) < 0)
            return -1;
        if (v[i].status == NCP_RS_INIT) { /* M4: still being captured */
            ncp_err_set(err, NCP_E_IMAGE_IN_PROGRESS);
            return -1;
        }
        if (v[i].op != NCP_RO_NULL) {
            ncp_err_set(err, NCP_E_OBJECT_BUSY);
            return -1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        ncp_sched_res_t res = {NCP_KIND_MEMBER_IMAGE, v[i].no, ctx->account_id, v[i].status,
                               v[i].op};
        const char *arg = ncp_arena_printf(ctx->arena, "%" PRId64, v[i].no);
        if (act_claim_res(ctx, &res, NCP_TR_IMAGE_DELETE, arg, NULL, err) < 0)
            return -1;
        v[i].status = res.status;
        v[i].op = res.op;
    }
    ctx->kick = true;
    respond_images(ctx, v);
    return 0;
}

/* ---- sharing ------------------------------------------------------------------------------ */

typedef enum { SHARE_ADD, SHARE_REMOVE, SHARE_SET } share_op_t;

static int share(ncp_ctx_t *ctx, share_op_t op, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *no_a = ncp_arg(A, "memberServerImageNo");
    ncp_member_image_t m;
    if (own_image(ctx, "memberServerImageNo", no_a->s, no_a->len, &m, err) < 0)
        return -1;
    if (m.status != NCP_RS_CREAT || m.op != NCP_RO_NULL) {
        ncp_err_set(err, NCP_E_OBJECT_BUSY);
        return -1;
    }
    const ncp_arg_t *ids = ncp_arg(A, "targetLoginIdList");
    for (size_t i = 0; i < ids->n; i++) {
        if (ids->lens[i] < 1 || ids->lens[i] > 100) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, "targetLoginIdList");
            return -1;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(ids->items[k], ids->items[i]) == 0) {
                char safe[128];
                ncp_err_sanitize(safe, sizeof(safe), ids->items[i]);
                ncp_err_set(err, NCP_E_DUPLICATE, "targetLoginIdList", safe);
                return -1;
            }
    }
    size_t cap = m.n_shares + ids->n + 1, n = 0;
    const char **v = ncp_arena_alloc(ctx->arena, cap * sizeof(char *));
    if (op != SHARE_SET)
        for (size_t i = 0; i < m.n_shares; i++) {
            bool removed = false;
            for (size_t k = 0; op == SHARE_REMOVE && k < ids->n; k++)
                removed |= strcmp(ids->items[k], m.shares[i]) == 0;
            if (!removed)
                v[n++] = m.shares[i];
        }
    if (op != SHARE_REMOVE)
        for (size_t k = 0; k < ids->n; k++) {
            bool there = false;
            for (size_t i = 0; i < n; i++)
                there |= strcmp(v[i], ids->items[k]) == 0;
            if (!there)
                v[n++] = ids->items[k];
        }
    m.shares = v;
    m.n_shares = n;
    if (ncp_store_image_put(ctx->st, &m, err) < 0)
        return -1;
    act_answer_begin(ctx, 1, "memberServerImageList", "memberServerImage");
    act_emit_image(ctx, &m);
    act_answer_end(ctx);
    return 0;
}

int act_addMemberServerImageSharingPermission(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return share(ctx, SHARE_ADD, err);
}

int act_removeMemberServerImageSharingPermission(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return share(ctx, SHARE_REMOVE, err);
}

int act_setMemberServerImageSharingPermission(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return share(ctx, SHARE_SET, err); /* M5: no list, no shares */
}

/* ---- list ------------------------------------------------------------------------------ */

static int image_row(void *p, const ncp_member_image_t *m)
{
    act_rows_t *r = p;
    act_rows_open(r);
    act_emit_image(r->ctx, m);
    return 0;
}

int act_getMemberServerImageList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_image_filter_t f = {.account_id = ctx->account_id};
    if (act_login_id(ctx, &f.login_id, err) < 0)
        return -1;
    const ncp_arg_t *a = ncp_arg(A, "memberServerImageNoList");
    f.nos = act_nos(ctx, a);
    f.n_nos = a->n;
    a = ncp_arg(A, "platformTypeCodeList");
    if (a->present) {
        f.platforms = (const char *const *)a->items;
        f.n_platforms = a->n;
    }
    act_zone_filter(ctx, &f.zones, &f.n_zones);
    a = ncp_arg(A, "sortedBy");
    f.sort_by_name = a->present && strcmp(a->s, "memberServerImageName") == 0;
    a = ncp_arg(A, "sortingOrder");
    f.descending = a->present && strcmp(a->s, "descending") == 0;
    act_paging(ctx, &f.offset, &f.limit);
    act_rows_t r = {ctx, 0, false, "memberServerImageList", "memberServerImage"};
    if (ncp_store_image_list(ctx->st, ctx->arena, &f, &r.total, image_row, &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

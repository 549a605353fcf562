/* act_storage.c: block storage and block storage snapshots
 * (network-storage.md §3, §4; interactions.md S1-S14).
 *
 * Every disk operation is claimed (act_claim_res) and carried out by the
 * driver; while a disk of a server is created, attached, detached or
 * resized, the server shows operation SETUP (sched_res.c), so that its own
 * actions answer 25014 until the disk settles. Checks come first, in
 * request order; a failing request changes nothing. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act/act_res.h"
#include "domain/catalog.h"
#include "domain/state.h"
#include "store/store_storage.h"

#define GiB ((int64_t)1073741824)
#define LINUX_MAX_DISKS 16   /* boot disk included (interactions.md S3) */
#define WINDOWS_MAX_DISKS 14

/* ---- checks -------------------------------------------------------------------------- */

/* S5: disk work needs a server that is RUN or NSTOP with no operation, or
 * already in disk work (several disks of one server may be in work). */
static int disk_work_allowed(ncp_ctx_t *ctx, const ncp_server_t *s, ncp_err_t *err)
{
    if (s->status == NCP_ST_RUN || s->status == NCP_ST_NSTOP) {
        if (s->op == NCP_OP_NULL)
            return 0;
        ncp_trans_t t;
        int r = s->op == NCP_OP_SETUP ? ctx->so->trans_get(ctx->st, ctx->arena, s->no, &t, err)
                                      : 0;
        if (r < 0)
            return -1;
        if (r == 1 && t.kind == NCP_TR_STORAGE && t.arg && strcmp(t.arg, NCP_TR_ARG_DISKS) == 0)
            return 0;
    }
    ncp_err_set(err, NCP_E_OBJECT_BUSY);
    return -1;
}

/* S2, S3: a server that may take one more additional disk. */
static int room_for_disk(ncp_ctx_t *ctx, const ncp_server_t *s, ncp_err_t *err)
{
    if (strcmp(s->instance_type, "MICRO") == 0) {
        ncp_err_set(err, NCP_E_MICRO_STORAGE);
        return -1;
    }
    int64_t n;
    if (ncp_store_disk_count_on(ctx->st, s->no, &n, err) < 0)
        return -1;
    bool windows = strncmp(s->platform, "WND", 3) == 0;
    int max = windows ? WINDOWS_MAX_DISKS : LINUX_MAX_DISKS;
    if (n + 1 >= max) {
        ncp_err_set(err, windows ? NCP_E_WINDOWS_STORAGES : NCP_E_LINUX_STORAGES, max);
        return -1;
    }
    return 0;
}

/* A disk of the caller by number: unknown, foreign or not a disk is `code`. */
static int disk_resolve(ncp_ctx_t *ctx, const char *param, ncp_err_code_t code, ncp_disk_t *out,
                        ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, param);
    int64_t no;
    if (act_res_resolve(ctx, param, a->s, a->len, NCP_KIND_STORAGE, code, &no, err) < 0)
        return -1;
    int r = ncp_store_disk_get(ctx->st, ctx->arena, ctx->account_id, no, out, err);
    if (r == 0)
        ncp_err_set(err, code);
    return r == 1 ? 0 : -1;
}

/* S10: the boot disk is the server's own. */
static int not_basic(const ncp_disk_t *d, const char *param, ncp_err_t *err)
{
    if (d->basic) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, param);
        return -1;
    }
    return 0;
}

static int server_of_disk(ncp_ctx_t *ctx, const ncp_disk_t *d, ncp_server_t *s, ncp_err_t *err)
{
    int r = ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id, d->server_no, s, err);
    if (r == 0)
        ncp_err_internal(err, "disk %" PRId64 " is on server %" PRId64 " that has no row", d->no,
                         d->server_no);
    return r == 1 ? 0 : -1;
}

static void emit_disk_row(ncp_ctx_t *ctx, const void *row)
{
    act_emit_disk(ctx, row);
}

static void respond_disks(ncp_ctx_t *ctx, const ncp_disk_t *v)
{
    act_driven_t d = {"blockStorageInstanceList", "blockStorageInstance", v, sizeof(*v),
                      emit_disk_row};
    act_respond_rows(ctx, &d);
}

/* Claims `kind` on disk d (d shows the first state), the server's side too. */
static int claim_disk(ncp_ctx_t *ctx, ncp_disk_t *d, ncp_server_t *s, ncp_tr_kind_t kind,
                      const char *arg, ncp_err_t *err)
{
    if (s && ncp_sched_disk_work(ctx->so, ctx->st, ctx->arena, s, ctx->now_ms, ctx->app->step_ms,
                                 err) < 0)
        return -1;
    ncp_sched_res_t r = {NCP_KIND_STORAGE, d->no, ctx->account_id, d->status, d->op};
    if (act_claim_res(ctx, &r, kind, arg, s, err) < 0)
        return -1;
    d->status = r.status;
    d->op = r.op;
    ctx->kick = true;
    return 0;
}

/* ---- actions -------------------------------------------------------------------------- */

int act_createBlockStorageInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *no_a = ncp_arg(A, "serverInstanceNo");
    ncp_server_t s;
    if (act_server_resolve(ctx, no_a->s, no_a->len, &s, err) < 0)
        return -1;
    int64_t gb = ncp_arg(A, "blockStorageSize")->i;
    if (gb % 10) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "blockStorageSize");
        return -1;
    }
    const ncp_arg_t *name_a = ncp_arg(A, "blockStorageName");
    const char *name = name_a->present ? name_a->s : act_default_name(ctx, "bst");
    int r = ncp_store_disk_name_taken(ctx->st, ctx->account_id, name, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        ncp_err_set(err, NCP_E_NAME_IN_USE);
        return -1;
    }
    if (room_for_disk(ctx, &s, err) < 0 || disk_work_allowed(ctx, &s, err) < 0)
        return -1;
    const ncp_arg_t *detail_a = ncp_arg(A, "diskDetailTypeCode");
    const ncp_arg_t *desc_a = ncp_arg(A, "blockStorageDescription");
    ncp_disk_t *d = ncp_arena_alloc(ctx->arena, sizeof(*d));
    d->account_id = ctx->account_id;
    d->server_no = s.no;
    d->server_name = s.name;
    d->name = name;
    d->description = desc_a->present ? desc_a->s : "";
    d->size = gb * GiB;
    d->device = "";
    d->detail = detail_a->present ? detail_a->s : "HDD";
    d->disk_type = "NET";
    d->status = NCP_RS_INIT;
    d->op = NCP_RO_NULL;
    d->zone_no = s.zone_no;
    d->create_ms = ctx->now_ms;
    if (act_res_new_no(ctx, NCP_KIND_STORAGE, &d->no, err) < 0 ||
        ncp_store_disk_put(ctx->st, d, err) < 0)
        return -1;
    const char *arg =
        ncp_arena_printf(ctx->arena, "%" PRId64 " %" PRId64 " %" PRId64, d->no, s.no, d->size);
    if (claim_disk(ctx, d, &s, NCP_TR_DISK_CREATE, arg, err) < 0)
        return -1;
    respond_disks(ctx, d);
    return 0;
}

int act_attachBlockStorageInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *no_a = ncp_arg(A, "serverInstanceNo");
    ncp_server_t s;
    ncp_disk_t *d = ncp_arena_alloc(ctx->arena, sizeof(*d));
    if (act_server_resolve(ctx, no_a->s, no_a->len, &s, err) < 0 ||
        disk_resolve(ctx, "blockStorageInstanceNo", NCP_E_BAD_STORAGE_NO, d, err) < 0 ||
        not_basic(d, "blockStorageInstanceNo", err) < 0)
        return -1;
    if (d->status != NCP_RS_CREAT || d->op != NCP_RO_NULL) {
        ncp_err_set(err, NCP_E_OBJECT_BUSY); /* attached already, or in a transition */
        return -1;
    }
    if (d->zone_no != s.zone_no) { /* interactions.md Z1 */
        ncp_err_set(err, NCP_E_INVALID_PARAM, "serverInstanceNo");
        return -1;
    }
    if (room_for_disk(ctx, &s, err) < 0 || disk_work_allowed(ctx, &s, err) < 0)
        return -1;
    d->server_no = s.no;
    d->server_name = s.name;
    if (ncp_store_disk_set_server(ctx->st, d->no, s.no, "", err) < 0)
        return -1;
    const char *arg = ncp_arena_printf(ctx->arena, "%" PRId64 " %" PRId64, d->no, s.no);
    if (claim_disk(ctx, d, &s, NCP_TR_DISK_ATTACH, arg, err) < 0)
        return -1;
    respond_disks(ctx, d);
    return 0;
}

/* detach (and delete, for attached disks): the disks and, per disk, its server */
typedef struct disk_batch {
    ncp_disk_t *disks;
    ncp_server_t *servers; /* of attached disks (no == 0 otherwise) */
    size_t n;
} disk_batch_t;

static int resolve_batch(ncp_ctx_t *ctx, ncp_err_code_t code, disk_batch_t *b, ncp_err_t *err)
{
    int64_t *nos;
    if (act_res_resolve_list(ctx, "blockStorageInstanceNoList", NCP_KIND_STORAGE, code, &nos,
                             &b->n, err) < 0)
        return -1;
    b->disks = ncp_arena_alloc(ctx->arena, (b->n ? b->n : 1) * sizeof(ncp_disk_t));
    b->servers = ncp_arena_alloc(ctx->arena, (b->n ? b->n : 1) * sizeof(ncp_server_t));
    for (size_t i = 0; i < b->n; i++) {
        int r = ncp_store_disk_get(ctx->st, ctx->arena, ctx->account_id, nos[i], &b->disks[i],
                                   err);
        if (r == 0)
            ncp_err_set(err, code);
        if (r != 1 || not_basic(&b->disks[i], "blockStorageInstanceNoList", err) < 0)
            return -1;
        memset(&b->servers[i], 0, sizeof(ncp_server_t));
    }
    return 0;
}

/* The server of attached disk i, checked for disk work (it may already be in
 * the batch: its state then includes the claims made before). */
static int batch_server(ncp_ctx_t *ctx, disk_batch_t *b, size_t i, ncp_err_t *err)
{
    for (size_t k = 0; k < i; k++)
        if (b->servers[k].no == b->disks[i].server_no) {
            b->servers[i] = b->servers[k];
            return 0;
        }
    return server_of_disk(ctx, &b->disks[i], &b->servers[i], err) < 0 ||
                   disk_work_allowed(ctx, &b->servers[i], err) < 0
               ? -1
               : 0;
}

int act_detachBlockStorageInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    disk_batch_t b;
    if (resolve_batch(ctx, NCP_E_BAD_INSTANCE_NUMBER, &b, err) < 0)
        return -1;
    for (size_t i = 0; i < b.n; i++) {
        if (b.disks[i].status != NCP_RS_ATTAC || b.disks[i].op != NCP_RO_NULL) {
            ncp_err_set(err, NCP_E_OBJECT_BUSY); /* detached already, or in a transition */
            return -1;
        }
        if (batch_server(ctx, &b, i, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < b.n; i++) {
        const char *arg = ncp_arena_printf(ctx->arena, "%" PRId64 " %" PRId64, b.disks[i].no,
                                           b.disks[i].server_no);
        if (claim_disk(ctx, &b.disks[i], &b.servers[i], NCP_TR_DISK_DETACH, arg, err) < 0)
            return -1;
    }
    respond_disks(ctx, b.disks);
    return 0;
}

int act_deleteBlockStorageInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    disk_batch_t b;
    if (resolve_batch(ctx, NCP_E_BAD_STORAGE_NO, &b, err) < 0)
        return -1;
    for (size_t i = 0; i < b.n; i++) {
        const ncp_disk_t *d = &b.disks[i];
        if (d->status == NCP_RS_ATTAC && d->op == NCP_RO_DETAC) {
            ncp_err_set(err, NCP_E_STORAGE_DETACHING); /* S9: Terraform retries */
            return -1;
        }
        bool attached = d->status == NCP_RS_ATTAC && d->op == NCP_RO_NULL;
        if (!attached && !(d->status == NCP_RS_CREAT && d->op == NCP_RO_NULL)) {
            ncp_err_set(err, NCP_E_OBJECT_BUSY);
            return -1;
        }
        if (attached && batch_server(ctx, &b, i, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < b.n; i++) {
        ncp_disk_t *d = &b.disks[i];
        bool attached = d->status == NCP_RS_ATTAC;
        const char *arg = ncp_arena_printf(ctx->arena, "%" PRId64 " %" PRId64, d->no,
                                           attached ? d->server_no : 0);
        if (claim_disk(ctx, d, attached ? &b.servers[i] : NULL,
                       attached ? NCP_TR_DISK_DETACH_DELETE : NCP_TR_DISK_DELETE, arg, err) < 0)
            return -1;
    }
    respond_disks(ctx, b.disks);
    return 0;
}

int act_changeBlockStorageVolumeSize(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_disk_t *d = ncp_arena_alloc(ctx->arena, sizeof(*d));
    if (disk_resolve(ctx, "blockStorageInstanceNo", NCP_E_BAD_STORAGE_NO, d, err) < 0 ||
        not_basic(d, "blockStorageInstanceNo", err) < 0)
        return -1;
    int64_t gb = ncp_arg(A, "blockStorageSize")->i;
    if (gb % 10 || gb * GiB <= d->size) { /* S11: grows only, in steps of 10 GB */
        ncp_err_set(err, NCP_E_INVALID_PARAM, "blockStorageSize");
        return -1;
    }
    if (d->op != NCP_RO_NULL || (d->status != NCP_RS_CREAT && d->status != NCP_RS_ATTAC)) {
        ncp_err_set(err, NCP_E_OBJECT_BUSY);
        return -1;
    }
    ncp_server_t s;
    bool attached = d->status == NCP_RS_ATTAC;
    if (attached) { /* S12: only while its server is stopped */
        if (server_of_disk(ctx, d, &s, err) < 0)
            return -1;
        if (s.status != NCP_ST_NSTOP) {
            ncp_err_set(err, NCP_E_OBJECT_BUSY);
            return -1;
        }
        if (disk_work_allowed(ctx, &s, err) < 0)
            return -1;
    }
    const char *arg = ncp_arena_printf(ctx->arena, "%" PRId64 " %" PRId64, d->no, gb * GiB);
    if (claim_disk(ctx, d, attached ? &s : NULL, NCP_TR_DISK_RESIZE, arg, err) < 0)
        return -1;
    respond_disks(ctx, d);
    return 0;
}

/* ---- lists ------------------------------------------------------------------------------ */

static int disk_row(void *p, const ncp_disk_t *d)
{
    act_rows_t *r = p;
    act_rows_open(r);
    act_emit_disk(r->ctx, d);
    return 0;
}

int act_getBlockStorageInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_disk_filter_t f = {.account_id = ctx->account_id, .basic = -1, .status = -1};
    const ncp_arg_t *a = ncp_arg(A, "serverInstanceNo");
    if (a->present)
        f.server_no = act_no(a->s);
    a = ncp_arg(A, "blockStorageInstanceNoList");
    f.nos = act_nos(ctx, a);
    f.n_nos = a->n;
    const ncp_arg_t *fname = ncp_arg(A, "searchFilterName");
    const ncp_arg_t *fval = ncp_arg(A, "searchFilterValue");
    /* an empty value is no filter: the old Go SDK always sends one (DECISIONS D10) */
    if (fval->present && fval->len) {
        if (!fname->present) {
            ncp_err_set(err, NCP_E_REQUIRED, "searchFilterName");
            return -1;
        }
        if (strcmp(fname->s, "blockStorageName") == 0)
            f.name_substr = fval->s;
        else
            f.attach_substr = fval->s;
    }
    a = ncp_arg(A, "blockStorageTypeCodeList");
    if (a->present) {
        bool basic = false, svrbs = false;
        for (size_t i = 0; i < a->n; i++) {
            basic |= strcmp(a->items[i], "BASIC") == 0;
            svrbs |= strcmp(a->items[i], "SVRBS") == 0;
        }
        f.basic = basic && svrbs ? -1 : basic ? 1 : 0;
    }
    a = ncp_arg(A, "blockStorageInstanceStatusCode");
    if (a->present) {
        int st = ncp_rstate_status_parse(a->s);
        f.status = st >= 0 ? st : 99; /* NAVAI, DT_FL: never shown here */
    }
    a = ncp_arg(A, "diskTypeCode");
    if (a->present)
        f.disk_type = a->s;
    a = ncp_arg(A, "diskDetailTypeCode");
    if (a->present)
        f.detail = a->s;
    act_zone_filter(ctx, &f.zones, &f.n_zones);
    a = ncp_arg(A, "sortedBy");
    f.sort_by_name = a->present && strcmp(a->s, "blockStorageName") == 0;
    a = ncp_arg(A, "sortingOrder");
    f.descending = a->present && strcmp(a->s, "descending") == 0;
    act_paging(ctx, &f.offset, &f.limit);
    act_rows_t r = {ctx, 0, false, "blockStorageInstanceList", "blockStorageInstance"};
    if (ncp_store_disk_list(ctx->st, ctx->arena, &f, &r.total, disk_row, &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

/* ---- snapshots ------------------------------------------------------------------------ */

static void emit_snapshot(ncp_ctx_t *ctx, const ncp_snapshot_t *v)
{
    ncp_emit_t *e = ctx->em;
    ncp_emit_obj_begin(e, "blockStorageSnapshotInstance");
    act_emit_no(e, "blockStorageSnapshotInstanceNo", v->no);
    ncp_emit_str(e, "blockStorageSnapshotName", v->name);
    ncp_emit_int(e, "blockStorageSnapshotVolumeSize", v->size);
    act_emit_no(e, "originalBlockStorageInstanceNo", v->orig_no);
    ncp_emit_str(e, "originalBlockStorageName", v->orig_name);
    act_emit_rstatus(e, "blockStorageSnapshotInstanceStatus", NCP_KIND_SNAPSHOT, v->status);
    act_emit_rop(e, "blockStorageSnapshotInstanceOperation", NCP_KIND_SNAPSHOT, v->op);
    ncp_emit_str(e, "blockStorageSnapshotInstanceStatusName",
                 ncp_rstate_label(NCP_KIND_SNAPSHOT, (ncp_rstatus_t)v->status,
                                  (ncp_rop_t)v->op));
    act_emit_date(e, "createDate", v->create_ms);
    ncp_emit_str(e, "blockStorageSnapshotInstanceDescription", v->description);
    ncp_emit_str(e, "serverImageProductCode", v->image_code);
    ncp_emit_str(e, "osInformation", v->os_info);
    ncp_emit_obj_end(e);
}

static void emit_snapshot_row(ncp_ctx_t *ctx, const void *row)
{
    emit_snapshot(ctx, row);
}

static void respond_snapshots(ncp_ctx_t *ctx, const ncp_snapshot_t *v)
{
    /* the documented XML item is <blockStorageSnapshot> (network-storage.md §4.2) */
    act_driven_t d = {"blockStorageSnapshotInstanceList", "blockStorageSnapshot", v, sizeof(*v),
                      emit_snapshot_row};
    act_respond_rows(ctx, &d);
}

int act_createBlockStorageSnapshotInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_disk_t d;
    if (disk_resolve(ctx, "blockStorageInstanceNo", NCP_E_BAD_STORAGE_NO, &d, err) < 0)
        return -1;
    if (d.op != NCP_RO_NULL || d.status == NCP_RS_INIT) { /* S14 */
        ncp_err_set(err, NCP_E_OBJECT_BUSY);
        return -1;
    }
    const ncp_arg_t *name_a = ncp_arg(A, "blockStorageSnapshotName");
    const char *name = name_a->present ? name_a->s : act_default_name(ctx, "snap");
    int r = ncp_store_snapshot_name_taken(ctx->st, ctx->account_id, name, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        ncp_err_set(err, NCP_E_NAME_IN_USE);
        return -1;
    }
    ncp_server_t s;
    bool on_server = d.server_no != 0;
    if (on_server && server_of_disk(ctx, &d, &s, err) < 0)
        return -1;
    const ncp_image_t *img = on_server ? ncp_catalog_image(s.image_code) : NULL;
    const ncp_arg_t *desc_a = ncp_arg(A, "blockStorageSnapshotDescription");
    ncp_snapshot_t *v = ncp_arena_alloc(ctx->arena, sizeof(*v));
    v->account_id = ctx->account_id;
    v->name = name;
    v->description = desc_a->present ? desc_a->s : "";
    v->size = d.size;
    v->orig_no = d.no;
    v->orig_name = d.name;
    v->image_code = on_server ? s.image_code : "";
    v->os_info = img ? img->os_info : "";
    v->status = NCP_RS_INIT;
    v->op = NCP_RO_NULL;
    v->zone_no = d.zone_no;
    v->create_ms = ctx->now_ms;
    if (act_res_new_no(ctx, NCP_KIND_SNAPSHOT, &v->no, err) < 0 ||
        ncp_store_snapshot_put(ctx->st, v, err) < 0)
        return -1;
    ncp_sched_res_t res = {NCP_KIND_SNAPSHOT, v->no, ctx->account_id, v->status, v->op};
    const char *arg = ncp_arena_printf(ctx->arena, "%" PRId64 " %" PRId64, d.no, v->no);
    if (act_claim_res(ctx, &res, NCP_TR_SNAP_CREATE, arg, on_server ? &s : NULL, err) < 0)
        return -1;
    v->status = res.status;
    v->op = res.op;
    ctx->kick = true;
    respond_snapshots(ctx, v);
    return 0;
}

int act_deleteBlockStorageSnapshotInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    int64_t *nos;
    size_t n;
    if (act_res_resolve_list(ctx, "blockStorageSnapshotInstanceNoList", NCP_KIND_SNAPSHOT,
                             NCP_E_BAD_SNAPSHOT_NO, &nos, &n, err) < 0)
        return -1;
    ncp_snapshot_t *v = ncp_arena_alloc(ctx->arena, (n ? n : 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        int r = ncp_store_snapshot_get(ctx->st, ctx->arena, ctx->account_id, nos[i], &v[i], err);
        if (r == 0)
            ncp_err_set(err, NCP_E_BAD_SNAPSHOT_NO);
        if (r != 1)
            return -1;
        if (v[i].status != NCP_RS_CREAT || v[i].op != NCP_RO_NULL) {
            ncp_err_set(err, NCP_E_OBJECT_BUSY);
            return -1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        ncp_sched_res_t res = {NCP_KIND_SNAPSHOT, v[i].no, ctx->account_id, v[i].status,
                               v[i].op};
        const char *arg = ncp_arena_printf(ctx->arena, "%" PRId64, v[i].no);
        if (act_claim_res(ctx, &res, NCP_TR_SNAP_DELETE, arg, NULL, err) < 0)
            return -1;
        v[i].status = res.status;
        v[i].op = res.op;
    }
    ctx->kick = true;
    respond_snapshots(ctx, v);
    return 0;
}

static int snapshot_row(void *p, const ncp_snapshot_t *v)
{
    act_rows_t *r = p;
    act_rows_open(r);
    emit_snapshot(r->ctx, v);
    return 0;
}

int act_getBlockStorageSnapshotInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_snapshot_filter_t f = {.account_id = ctx->account_id};
    const ncp_arg_t *a = ncp_arg(A, "blockStorageSnapshotInstanceNoList");
    f.nos = act_nos(ctx, a);
    f.n_nos = a->n;
    a = ncp_arg(A, "originalBlockStorageInstanceNoList");
    f.orig_nos = act_nos(ctx, a);
    f.n_orig_nos = a->n;
    act_zone_filter(ctx, &f.zones, &f.n_zones);
    act_paging(ctx, &f.offset, &f.limit);
    act_rows_t r = {ctx, 0, false, "blockStorageSnapshotInstanceList", "blockStorageSnapshot"};
    if (ncp_store_snapshot_list(ctx->st, ctx->arena, &f, &r.total, snapshot_row, &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

/* act_vstorage.c: block storage (spec/vpc/vserver.md §9) and public IPs
 * (§8) of the VPC API, on their own tables (store_vstorage.c).
 *
 * Block storage: a server's basic disk comes with it (INIT/NULL
 * "initialized", then ATTAC/NULL "attached" before the server is RUN) and
 * goes with it; additional disks are made attached to a server (XEN, or
 * any server) or detached in a zone (KVM), attached and detached (never
 * the basic one), grown, protected and deleted (attached ones too: the
 * provider deletes without detaching). Every transition is one step, so
 * the provider's pollers (first poll after 2 s) only see the states they
 * accept. Public IPs: free or associated with a server of a public subnet,
 * one per server; associating and disassociating pass through RUN/SET. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_vint.h"
#include "domain/catalog.h"
#include "render/envelope.h"
#include "store/store_vpc.h"
#include "store/store_vserver.h"
#include "store/store_vstorage.h"

#define GiB 1073741824LL
#define BASIC_PRODUCT "SPBSTBSTBS000005"
#define ADDITIONAL_PRODUCT "SPBSTBSTAD000006"
#define MAX_DISKS 16 /* per server, the basic one included (blockStorageMaxCount) */

/* ---- block storage ------------------------------------------------------------------- */

static bool is_kvm_volume(const char *t)
{
    return t[0] == 'F' || t[0] == 'C'; /* FB1 CB1 FB2 CB2 */
}

/* SSD / HDD of a volume type: flash blocks are SSD, common blocks HDD. */
static const char *detail_of(const char *volume_type)
{
    return volume_type[0] == 'F' || strcmp(volume_type, "SSD") == 0 ? "SSD" : "HDD";
}

void actv_emit_storage(ncp_emit_t *e, const ncp_vstorage_t *b)
{
    bool basic = strcmp(b->type, "BASIC") == 0;
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "blockStorageInstanceNo", b->no);
    if (b->server_no)
        act_emit_no(e, "serverInstanceNo", b->server_no);
    else
        ncp_emit_str(e, "serverInstanceNo", "");
    ncp_emit_str(e, "blockStorageName", b->name);
    ncp_emit_code(e, "blockStorageType", b->type, basic ? "Basic BS" : "Server BS");
    ncp_emit_int(e, "blockStorageSize", b->size);
    ncp_emit_str(e, "deviceName", b->device);
    ncp_emit_str(e, "blockStorageProductCode", b->product_code);
    ncp_emit_code(e, "blockStorageInstanceStatus", b->status,
                  ncp_vstate_code_name(NCP_KIND_VSTORAGE, b->status));
    ncp_emit_code(e, "blockStorageInstanceOperation", b->op,
                  ncp_vstate_op_name(NCP_KIND_VSTORAGE, b->op));
    ncp_emit_str(e, "blockStorageInstanceStatusName", ncp_vstate_storage_label(b->status, b->op));
    actv_emit_date(e, "createDate", b->create_ms);
    ncp_emit_str(e, "blockStorageDescription", b->description);
    ncp_emit_code(e, "blockStorageDiskType", "NET", "Network Storage");
    ncp_emit_code(e, "blockStorageDiskDetailType", b->disk_detail, b->disk_detail);
    ncp_emit_int(e, "maxIopsThroughput", b->max_iops);
    ncp_emit_bool(e, "isEncryptedVolume", b->encrypted);
    ncp_emit_str(e, "zoneCode", b->zone);
    ncp_emit_str(e, "regionCode", b->region);
    ncp_emit_bool(e, "isReturnProtection", b->return_protection);
    ncp_emit_code(e, "blockStorageVolumeType", b->volume_type, b->volume_type);
    ncp_emit_code(e, "hypervisorType", b->hypervisor, b->hypervisor);
    ncp_emit_int(e, "throughput", 0);
    ncp_emit_int(e, "iops", b->max_iops);
    ncp_emit_obj_end(e);
}

static void answer_storages(ncp_ctx_t *ctx, const ncp_vstorage_t *v, size_t n)
{
    actv_list_begin(ctx, (int64_t)n, "blockStorageInstanceList", "blockStorageInstance");
    for (size_t i = 0; i < n; i++)
        actv_emit_storage(ctx->em, &v[i]);
    actv_list_end(ctx);
}

/* The device a new disk of server `no` takes: /dev/xvdb, /dev/xvdc ... */
static int next_device(ncp_ctx_t *ctx, int64_t server_no, const char **out, ncp_err_t *err)
{
    ncp_vstorage_t *v;
    size_t n;
    if (ncp_store_vstorage_list(ctx->st, ctx->arena, ctx->account_id, server_no, &v, &n, err) < 0)
        return -1;
    for (char c = 'b'; c < 'b' + MAX_DISKS - 1; c++) {
        char dev[16];
        snprintf(dev, sizeof(dev), "/dev/xvd%c", c);
        bool used = false;
        for (size_t i = 0; i < n; i++)
            used |= v[i].server_no == server_no && strcmp(v[i].device, dev) == 0;
        if (!used) {
            *out = ncp_arena_strdup(ctx->arena, dev);
            return 0;
        }
    }
    ncp_err_set(err, NCP_E_V_INVALID, "serverInstanceNo (the server has 16 block storages)");
    return -1;
}

static int64_t iops_of(const char *volume_type)
{
    return strcmp(detail_of(volume_type), "SSD") == 0 ? 4000 : 100;
}

int actv_storage_basic(ncp_ctx_t *ctx, const ncp_server_t *s, const ncp_vimage_t *img,
                       const ncp_vspec_t *spec, const char *region, const char *zone,
                       bool encrypted, ncp_err_t *err)
{
    bool xen = strcmp(img->hypervisor, "XEN") == 0;
    ncp_vstorage_t b = {.account_id = ctx->account_id, .server_no = s->no, .name = s->name,
                        .type = "BASIC", .size = img->base_size, .device = "/dev/xvda",
                        .product_code = BASIC_PRODUCT, .status = "INIT", .op = "NULL",
                        .hypervisor = img->hypervisor, .zone = zone, .region = region,
                        .encrypted = encrypted, .create_ms = ctx->now_ms};
    b.description = ncp_arena_printf(ctx->arena, "%s's basic storage", s->name);
    b.volume_type = xen && *spec->disk_detail ? spec->disk_detail : img->volume_type;
    b.disk_detail = detail_of(b.volume_type);
    b.max_iops = iops_of(b.volume_type);
    if (actv_new_no(ctx, NCP_KIND_VSTORAGE, &b.no, err) < 0 ||
        ncp_store_vstorage_put(ctx->st, &b, err) < 0)
        return -1;
    return actv_start(ctx, NCP_VTR_BS_CREATE, b.no, NULL, err);
}

static bool storage_name_ok(const char *s, size_t len)
{
    if (len < 3 || len > 30 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

/* A server that can take or give up a disk now: RUN or NSTOP, no operation
 * but the setting up a new server ends with (the provider attaches disks to a
 * server it has seen RUN, its op may still be SETUP). */
static int server_idle(const ncp_server_t *s, ncp_err_t *err)
{
    if ((s->op != NCP_OP_NULL && s->op != NCP_OP_SETUP) ||
        (s->status != NCP_ST_RUN && s->status != NCP_ST_NSTOP)) {
        ncp_err_set(err, NCP_E_SERVER_BUSY);
        return -1;
    }
    return 0;
}

int act_vserver_createBlockStorageInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    if (ncp_arg(A, "blockStorageSnapshotInstanceNo")->present) {
        ncp_err_set(err, NCP_E_V_INVALID,
                    "blockStorageSnapshotInstanceNo (no snapshot exists: not supported by this "
                    "ncpd)");
        return -1;
    }
    ncp_vstorage_t b = {.account_id = ctx->account_id, .type = "SVRBS", .device = "",
                        .product_code = ADDITIONAL_PRODUCT, .status = "INIT", .op = "NULL",
                        .region = region->code, .create_ms = ctx->now_ms};
    const ncp_arg_t *name = ncp_arg(A, "blockStorageName");
    if (name->present) {
        if (!storage_name_ok(name->s, name->len)) {
            ncp_err_set(err, NCP_E_V_INVALID, "blockStorageName");
            return -1;
        }
        b.name = name->s;
    } else if (actv_name(ctx, "blockStorageName", "bs-", &b.name, err) < 0) {
        return -1;
    }
    b.description = actv_text(ctx, "blockStorageDescription");
    if (strlen(b.description) > 1000) {
        ncp_err_set(err, NCP_E_V_INVALID, "blockStorageDescription");
        return -1;
    }
    b.return_protection = ncp_arg(A, "isReturnProtection")->b;
    const ncp_arg_t *srv = ncp_arg(A, "serverInstanceNo"), *zone = ncp_arg(A, "zoneCode");
    const ncp_arg_t *vt = ncp_arg(A, "blockStorageVolumeTypeCode");
    const ncp_arg_t *dd = ncp_arg(A, "blockStorageDiskDetailTypeCode");
    ncp_server_t s;
    if (srv->present) {
        if (actv_server(ctx, srv->s, srv->len, &s, err) < 0 || server_idle(&s, err) < 0)
            return -1;
        if (!actv_arg_is(zone, s.vpc->zone)) {
            ncp_err_set(err, NCP_E_V_INVALID, "zoneCode (not the server's zone)");
            return -1;
        }
        b.zone = s.vpc->zone;
        b.hypervisor = s.vpc->hypervisor;
        b.server_no = s.no;
        if (next_device(ctx, s.no, &b.device, err) < 0)
            return -1;
    } else {
        const ncp_vzone_t *z;
        if (zone->present) {
            if (actv_zone(ctx, region, zone->s, "zoneCode", &z, err) < 0)
                return -1;
        } else {
            z = NULL;
            for (size_t i = 0; !z && i < ncp_vcatalog()->n_zones; i++)
                if (strcmp(ncp_vcatalog()->zones[i].region, region->code) == 0)
                    z = &ncp_vcatalog()->zones[i];
            if (!z) {
                ncp_err_set(err, NCP_E_V_INVALID, "zoneCode");
                return -1;
            }
        }
        b.zone = z->code;
        /* a detached volume: KVM, unless its type is XEN's */
        b.hypervisor = vt->present && !is_kvm_volume(vt->s) ? "XEN" : "KVM";
    }
    bool xen = strcmp(b.hypervisor, "XEN") == 0;
    if (vt->present && xen == is_kvm_volume(vt->s)) {
        ncp_err_set(err, NCP_E_V_INVALID, "blockStorageVolumeTypeCode");
        return -1;
    }
    if (vt->present)
        b.volume_type = vt->s;
    else if (xen)
        b.volume_type = dd->present ? dd->s : "SSD";
    else
        b.volume_type = dd->present && strcmp(dd->s, "SSD") == 0 ? "FB1" : "CB1";
    b.disk_detail = detail_of(b.volume_type);
    b.max_iops = iops_of(b.volume_type);
    int64_t gib = ncp_arg(A, "blockStorageSize")->i;
    if (xen && gib > 2000) {
        ncp_err_set(err, NCP_E_V_INVALID, "blockStorageSize");
        return -1;
    }
    b.size = gib * GiB;
    if (actv_new_no(ctx, NCP_KIND_VSTORAGE, &b.no, err) < 0 ||
        ncp_store_vstorage_put(ctx->st, &b, err) < 0 ||
        actv_start(ctx, srv->present ? NCP_VTR_BS_CREATE : NCP_VTR_BS_CREATE_FREE, b.no, NULL,
                   err) < 0)
        return -1;
    answer_storages(ctx, &b, 1);
    return 0;
}

static int own_storage(ncp_ctx_t *ctx, const char *text, const char *param, ncp_vstorage_t *b,
                       ncp_err_t *err)
{
    int r = ncp_store_vstorage_get(ctx->st, ctx->arena, ctx->account_id, act_no(text), b, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_V_INVALID, param);
    return r == 1 ? 0 : -1;
}

static int storage_refused(const char *param, const char *why, ncp_err_t *err)
{
    char msg[160];
    snprintf(msg, sizeof(msg), "%s (%s)", param, why);
    ncp_err_set(err, NCP_E_V_INVALID, msg);
    return -1;
}

int act_vserver_getBlockStorageInstanceDetail(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vstorage_t b;
    int r = ncp_store_vstorage_get(ctx->st, ctx->arena, ctx->account_id,
                                   act_no(ncp_arg(&ctx->args, "blockStorageInstanceNo")->s), &b,
                                   err);
    if (r < 0)
        return -1;
    answer_storages(ctx, &b, (size_t)r);
    return 0;
}

int act_vserver_getBlockStorageInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *srv = ncp_arg(A, "serverInstanceNo");
    int64_t server_no = 0;
    if (srv->present) {
        if (!ncp_spec_is_no(srv->s, srv->len)) {
            ncp_err_set(err, NCP_E_BAD_INSTANCE_NO);
            return -1;
        }
        server_no = act_no(srv->s);
    }
    ncp_vstorage_t *v;
    size_t n, m = 0;
    if (ncp_store_vstorage_list(ctx->st, ctx->arena, ctx->account_id, server_no, &v, &n, err) < 0)
        return -1;
    const ncp_arg_t *types = ncp_arg(A, "blockStorageTypeCodeList");
    const ncp_arg_t *zone = ncp_arg(A, "zoneCode"), *status = ncp_arg(A, "blockStorageInstanceStatusCode");
    const ncp_arg_t *size = ncp_arg(A, "blockStorageSize"), *nos = ncp_arg(A, "blockStorageInstanceNoList");
    const ncp_arg_t *name = ncp_arg(A, "blockStorageName"), *sname = ncp_arg(A, "serverName");
    const ncp_arg_t *dev = ncp_arg(A, "connectionInfo"), *dt = ncp_arg(A, "blockStorageDiskTypeCode");
    const ncp_arg_t *dd = ncp_arg(A, "blockStorageDiskDetailTypeCode");
    const ncp_arg_t *vts = ncp_arg(A, "blockStorageVolumeTypeCodeList");
    const ncp_arg_t *hvs = ncp_arg(A, "hypervisorTypeCodeList");
    for (size_t i = 0; i < n; i++) {
        const ncp_vstorage_t *b = &v[i];
        if ((server_no && b->server_no != server_no) || !actv_in_strs(types, b->type) ||
            !actv_arg_is(zone, b->zone) ||
            !actv_arg_is(status, b->status) ||
            (size->present && b->size != size->i * GiB) || !actv_in_list(nos, b->no) ||
            !actv_arg_is(name, b->name) ||
            !actv_arg_is(dev, b->device) ||
            !actv_arg_is(dt, "NET") ||
            !actv_arg_is(dd, b->disk_detail) ||
            !actv_in_strs(vts, b->volume_type) || !actv_in_strs(hvs, b->hypervisor))
            continue;
        if (sname->present) {
            ncp_server_t s;
            int r = b->server_no ? ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id,
                                                       b->server_no, &s, err)
                                 : 0;
            if (r < 0)
                return -1;
            if (r == 0 || strcmp(s.name, sname->s) != 0)
                continue;
        }
        v[m++] = *b;
    }
    size_t from, to;
    actv_page(ctx, m, &from, &to);
    actv_list_begin(ctx, (int64_t)m, "blockStorageInstanceList", "blockStorageInstance");
    for (size_t i = from; i < to; i++)
        actv_emit_storage(ctx->em, &v[i]);
    actv_list_end(ctx);
    return 0;
}

int act_vserver_attachBlockStorageInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    const ncp_arg_t *srv = ncp_arg(&ctx->args, "serverInstanceNo");
    ncp_server_t s;
    ncp_vstorage_t b;
    const char *P = "blockStorageInstanceNo";
    if (actv_region(ctx, &region, err) < 0 || actv_server(ctx, srv->s, srv->len, &s, err) < 0 ||
        own_storage(ctx, ncp_arg(&ctx->args, P)->s, P, &b, err) < 0)
        return -1;
    if (b.server_no || strcmp(b.status, "CREAT") != 0 || strcmp(b.op, "NULL") != 0)
        return storage_refused(P, "the block storage is not detached", err);
    if (strcmp(b.zone, s.vpc->zone) != 0)
        return storage_refused(P, "the block storage is in another zone", err);
    if (strcmp(b.hypervisor, s.vpc->hypervisor) != 0)
        return storage_refused(P, "the block storage is for another hypervisor", err);
    if (server_idle(&s, err) < 0 || next_device(ctx, s.no, &b.device, err) < 0)
        return -1;
    b.server_no = s.no;
    if (ncp_store_vstorage_put(ctx->st, &b, err) < 0 ||
        actv_start(ctx, NCP_VTR_BS_ATTACH, b.no, NULL, err) < 0)
        return -1;
    b.status = "INIT";
    b.op = "ATTAC";
    answer_storages(ctx, &b, 1);
    return 0;
}

/* The block storages of blockStorageInstanceNoList, each the caller's,
 * additional (not basic), no duplicates. */
static int storages_of_list(ncp_ctx_t *ctx, ncp_vstorage_t **out, size_t *n_out, ncp_err_t *err)
{
    const char *P = "blockStorageInstanceNoList";
    const ncp_arg_t *a = ncp_arg(&ctx->args, P);
    ncp_vstorage_t *v = ncp_arena_alloc(ctx->arena, a->n * sizeof(*v));
    for (size_t i = 0; i < a->n; i++) {
        if (own_storage(ctx, a->items[i], P, &v[i], err) < 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            if (v[k].no == v[i].no)
                return storage_refused(P, "duplicated", err);
        if (strcmp(v[i].type, "BASIC") == 0)
            return storage_refused(P, "a basic storage goes only with its server", err);
    }
    *out = v;
    *n_out = a->n;
    return 0;
}

int act_vserver_detachBlockStorageInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vstorage_t *v;
    size_t n;
    if (actv_region(ctx, &region, err) < 0 || storages_of_list(ctx, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].server_no || strcmp(v[i].status, "ATTAC") != 0 || strcmp(v[i].op, "NULL") != 0)
            return storage_refused("blockStorageInstanceNoList", "not attached", err);
        ncp_server_t s;
        int r = ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id, v[i].server_no, &s, err);
        if (r < 0 || (r == 1 && server_idle(&s, err) < 0))
            return -1;
    }
    for (size_t i = 0; i < n; i++) {
        v[i].server_no = 0;
        v[i].device = "";
        if (ncp_store_vstorage_put(ctx->st, &v[i], err) < 0 ||
            actv_start(ctx, NCP_VTR_BS_DETACH, v[i].no, NULL, err) < 0)
            return -1;
        v[i].status = "ATTAC";
        v[i].op = "DETAC";
    }
    answer_storages(ctx, v, n);
    return 0;
}

int act_vserver_deleteBlockStorageInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vstorage_t *v;
    size_t n;
    if (actv_region(ctx, &region, err) < 0 || storages_of_list(ctx, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (v[i].return_protection)
            return storage_refused("blockStorageInstanceNoList", "return protection is on", err);
        if (strcmp(v[i].op, "CHNG") == 0)
            return storage_refused("blockStorageInstanceNoList", "the volume is being resized",
                                   err);
    }
    /* an attached volume is detached and deleted at once (the provider deletes
     * without detaching and waits for it to be gone) */
    for (size_t i = 0; i < n; i++) {
        if (ncp_store_vstorage_delete(ctx->st, v[i].no, err) < 0)
            return -1;
        v[i].op = "TERMT";
    }
    answer_storages(ctx, v, n);
    return 0;
}

static int change_size(ncp_ctx_t *ctx, bool xen_action, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vstorage_t b;
    const char *P = "blockStorageInstanceNo";
    if (actv_region(ctx, &region, err) < 0 ||
        own_storage(ctx, ncp_arg(&ctx->args, P)->s, P, &b, err) < 0)
        return -1;
    bool xen = strcmp(b.hypervisor, "XEN") == 0;
    if (xen != xen_action)
        return storage_refused(P, xen ? "a XEN volume: changeBlockStorageVolumeSize"
                                      : "not a XEN volume: changeBlockStorageInstance",
                               err);
    if (strcmp(b.type, "BASIC") == 0)
        return storage_refused(P, "a basic storage keeps its size", err);
    if (strcmp(b.op, "NULL") != 0 || strcmp(b.status, "INIT") == 0)
        return storage_refused(P, "the volume is in an operation", err);
    int64_t gib = ncp_arg(&ctx->args, "blockStorageSize")->i;
    if (gib * GiB <= b.size || (xen && gib > 2000)) {
        ncp_err_set(err, NCP_E_V_INVALID, "blockStorageSize (a volume only grows)");
        return -1;
    }
    b.size = gib * GiB;
    if (ncp_store_vstorage_put(ctx->st, &b, err) < 0 ||
        actv_start(ctx, NCP_VTR_BS_CHANGE, b.no, NULL, err) < 0)
        return -1;
    b.op = "CHNG";
    answer_storages(ctx, &b, 1);
    return 0;
}

int act_vserver_changeBlockStorageVolumeSize(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return change_size(ctx, true, err);
}

int act_vserver_changeBlockStorageInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return change_size(ctx, false, err);
}

int act_vserver_setBlockStorageReturnProtection(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vstorage_t b;
    const char *P = "blockStorageInstanceNo";
    if (actv_region(ctx, &region, err) < 0 ||
        own_storage(ctx, ncp_arg(&ctx->args, P)->s, P, &b, err) < 0)
        return -1;
    b.return_protection = ncp_arg(&ctx->args, "isReturnProtection")->b;
    if (ncp_store_vstorage_put(ctx->st, &b, err) < 0)
        return -1;
    answer_storages(ctx, &b, 1);
    return 0;
}

/* ---- public IPs ------------------------------------------------------------------------- */

static void emit_pip(ncp_ctx_t *ctx, const ncp_vpip_t *p, const ncp_server_t *s)
{
    ncp_emit_t *e = ctx->em;
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "publicIpInstanceNo", p->no);
    ncp_emit_str(e, "publicIp", p->ip);
    ncp_emit_str(e, "publicIpDescription", p->description);
    actv_emit_date(e, "createDate", p->create_ms);
    ncp_emit_str(e, "publicIpInstanceStatusName", ncp_vstate_pip_label(p->status, p->op));
    actv_emit_state(e, "publicIpInstanceStatus", NCP_KIND_VPUBLIC_IP, p->status);
    if (s) {
        act_emit_no(e, "serverInstanceNo", s->no);
        ncp_emit_str(e, "serverName", s->name);
        ncp_emit_str(e, "privateIp", s->private_ip);
    } else {
        ncp_emit_str(e, "serverInstanceNo", "");
        ncp_emit_str(e, "serverName", "");
        ncp_emit_str(e, "privateIp", "");
    }
    actv_emit_date(e, "lastModifyDate", p->modify_ms);
    ncp_emit_code(e, "publicIpInstanceOperation", p->op,
                  ncp_vstate_op_name(NCP_KIND_VPUBLIC_IP, p->op));
    ncp_emit_obj_end(e);
}

/* The server a public IP is associated with (NULL when free). */
static int pip_server(ncp_ctx_t *ctx, const ncp_vpip_t *p, ncp_server_t *s, ncp_server_t **out,
                      ncp_err_t *err)
{
    *out = NULL;
    if (!p->server_no)
        return 0;
    int r = ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id, p->server_no, s, err);
    if (r < 0)
        return -1;
    *out = r == 1 ? s : NULL;
    return 0;
}

static int answer_pip(ncp_ctx_t *ctx, const ncp_vpip_t *p, ncp_err_t *err)
{
    ncp_server_t s, *sp;
    if (pip_server(ctx, p, &s, &sp, err) < 0)
        return -1;
    actv_list_begin(ctx, 1, "publicIpInstanceList", "publicIpInstance");
    emit_pip(ctx, p, sp);
    actv_list_end(ctx);
    return 0;
}

int actv_public_ip_new(ncp_ctx_t *ctx, int64_t server_no, const char *description,
                       ncp_vpip_t *out, ncp_err_t *err)
{
    ncp_vpip_t p = {.account_id = ctx->account_id, .description = description,
                    .status = "INIT", .op = "CREAT", .server_no = server_no,
                    .create_ms = ctx->now_ms, .modify_ms = ctx->now_ms};
    char ip[32];
    for (int tries = 0;; tries++) {
        int64_t k;
        if (tries >= 1000 || ctx->so->counter_next(ctx->st, "vpc_public_ip", 0, &k, err) < 0) {
            if (!err->is_set)
                ncp_err_internal(err, "no free public IP address");
            return -1;
        }
        k %= 128 * 254;
        snprintf(ip, sizeof(ip), "223.130.%d.%d", (int)(128 + k / 254), (int)(k % 254 + 1));
        int r = ncp_store_vpip_ip_taken(ctx->st, ip, err);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
    }
    p.ip = ncp_arena_strdup(ctx->arena, ip);
    if (actv_new_no(ctx, NCP_KIND_VPUBLIC_IP, &p.no, err) < 0 ||
        ncp_store_vpip_put(ctx->st, &p, err) < 0 ||
        actv_start(ctx, NCP_VTR_PIP_CREATE, p.no, NULL, err) < 0)
        return -1;
    *out = p;
    return 0;
}

/* A server that may take a public IP: in a public subnet, without one. */
static int server_takes_ip(ncp_ctx_t *ctx, const ncp_server_t *s, ncp_err_t *err)
{
    ncp_vsubnet_t sn;
    int r = ncp_store_vsubnet_get(ctx->st, ctx->arena, ctx->account_id, s->vpc->subnet_no, &sn, err);
    if (r < 0)
        return -1;
    if (r == 0 || strcmp(sn.type, "PUBLIC") != 0)
        return storage_refused("serverInstanceNo", "the server is in a private subnet", err);
    if (s->vpc->public_ip_no)
        return storage_refused("serverInstanceNo", "the server has a public IP already", err);
    return 0;
}

int act_vserver_createPublicIpInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const char *desc = actv_text(ctx, "publicIpDescription");
    if (strlen(desc) > 1000) {
        ncp_err_set(err, NCP_E_V_INVALID, "publicIpDescription");
        return -1;
    }
    const ncp_arg_t *srv = ncp_arg(&ctx->args, "serverInstanceNo");
    ncp_server_t s;
    if (srv->present && (actv_server(ctx, srv->s, srv->len, &s, err) < 0 ||
                         server_takes_ip(ctx, &s, err) < 0))
        return -1;
    ncp_vpip_t p;
    if (actv_public_ip_new(ctx, srv->present ? s.no : 0, desc, &p, err) < 0)
        return -1;
    return answer_pip(ctx, &p, err);
}

int act_vserver_getPublicIpInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vpip_t *v;
    size_t n, m = 0;
    if (ncp_store_vpip_list(ctx->st, ctx->arena, ctx->account_id, &v, &n, err) < 0)
        return -1;
    const ncp_arg_t *nos = ncp_arg(A, "publicIpInstanceNoList"), *ip = ncp_arg(A, "publicIp");
    const ncp_arg_t *pip = ncp_arg(A, "privateIp"), *assoc = ncp_arg(A, "isAssociated");
    const ncp_arg_t *sname = ncp_arg(A, "serverName");
    const ncp_arg_t *status = ncp_arg(A, "publicIpInstanceStatusCode"), *vpc = ncp_arg(A, "vpcNo");
    ncp_server_t *servers = ncp_arena_alloc(ctx->arena, (n ? n : 1) * sizeof(*servers));
    ncp_server_t **sp = ncp_arena_alloc(ctx->arena, (n ? n : 1) * sizeof(*sp));
    for (size_t i = 0; i < n; i++) {
        ncp_server_t *s;
        if (pip_server(ctx, &v[i], &servers[m], &s, err) < 0)
            return -1;
        if (s && vpc->present && actv_server_fields(ctx, s, err) < 0)
            return -1;
        if (!actv_in_list(nos, v[i].no) || !actv_arg_is(ip, v[i].ip) ||
            (pip->present && (!s || strcmp(pip->s, s->private_ip) != 0)) ||
            (assoc->present && assoc->b != (s != NULL)) ||
            (sname->present && (!s || strcmp(sname->s, s->name) != 0)) ||
            !actv_arg_is(status, v[i].status) ||
            (vpc->present && (!s || s->vpc->vpc_no != act_no(vpc->s))))
            continue;
        sp[m] = s;
        v[m++] = v[i];
    }
    size_t from, to;
    actv_page(ctx, m, &from, &to);
    actv_list_begin(ctx, (int64_t)m, "publicIpInstanceList", "publicIpInstance");
    for (size_t i = from; i < to; i++)
        emit_pip(ctx, &v[i], sp[i]);
    actv_list_end(ctx);
    return 0;
}

static int own_pip(ncp_ctx_t *ctx, ncp_vpip_t *p, ncp_err_t *err)
{
    int r = ncp_store_vpip_get(ctx->st, ctx->arena, ctx->account_id,
                               act_no(ncp_arg(&ctx->args, "publicIpInstanceNo")->s), p, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_V_INVALID, "publicIpInstanceNo");
    if (r != 1)
        return -1;
    if (strcmp(p->op, "NULL") != 0) { /* being created or (dis)associated: retried by clients */
        ncp_err_set(err, NCP_E_V_PUBLIC_IP_BUSY);
        return -1;
    }
    return 0;
}

int act_vserver_associatePublicIpWithServerInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    const ncp_arg_t *srv = ncp_arg(&ctx->args, "serverInstanceNo");
    ncp_vpip_t p;
    ncp_server_t s;
    if (actv_region(ctx, &region, err) < 0 || own_pip(ctx, &p, err) < 0 ||
        actv_server(ctx, srv->s, srv->len, &s, err) < 0)
        return -1;
    if (p.server_no)
        return storage_refused("publicIpInstanceNo", "associated with a server already", err);
    if (server_takes_ip(ctx, &s, err) < 0)
        return -1;
    p.server_no = s.no;
    p.modify_ms = ctx->now_ms;
    if (ncp_store_vpip_put(ctx->st, &p, err) < 0 ||
        actv_start(ctx, NCP_VTR_PIP_SET, p.no, NULL, err) < 0)
        return -1;
    p.status = "RUN";
    p.op = "SET";
    return answer_pip(ctx, &p, err);
}

int act_vserver_disassociatePublicIpFromServerInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *pa = ncp_arg(&ctx->args, "publicIpInstanceNo");
    const ncp_arg_t *srv = ncp_arg(&ctx->args, "serverInstanceNo");
    ncp_vpip_t p;
    ncp_server_t s;
    if (srv->present && actv_server(ctx, srv->s, srv->len, &s, err) < 0)
        return -1;
    if (!pa->present) {
        if (!srv->present) {
            ncp_err_set(err, NCP_E_REQUIRED, "publicIpInstanceNo");
            return -1;
        }
        if (!s.vpc->public_ip_no)
            return storage_refused("serverInstanceNo", "the server has no public IP", err);
        if (ncp_store_vpip_get(ctx->st, ctx->arena, ctx->account_id, s.vpc->public_ip_no, &p,
                               err) != 1)
            return -1;
        if (strcmp(p.op, "NULL") != 0) {
            ncp_err_set(err, NCP_E_V_PUBLIC_IP_BUSY);
            return -1;
        }
    } else if (own_pip(ctx, &p, err) < 0) {
        return -1;
    }
    if (!p.server_no)
        return storage_refused("publicIpInstanceNo", "not associated", err);
    if (srv->present && p.server_no != s.no)
        return storage_refused("serverInstanceNo", "not the server of the public IP", err);
    p.server_no = 0;
    p.modify_ms = ctx->now_ms;
    if (ncp_store_vpip_put(ctx->st, &p, err) < 0 ||
        actv_start(ctx, NCP_VTR_PIP_SET, p.no, NULL, err) < 0)
        return -1;
    p.status = "RUN";
    p.op = "SET";
    actv_list_begin(ctx, 1, "publicIpInstanceList", "publicIpInstance");
    emit_pip(ctx, &p, NULL);
    actv_list_end(ctx);
    return 0;
}

int act_vserver_deletePublicIpInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vpip_t p;
    if (actv_region(ctx, &region, err) < 0 || own_pip(ctx, &p, err) < 0)
        return -1;
    if (p.server_no)
        return storage_refused("publicIpInstanceNo", "associated with a server", err);
    if (ncp_store_vpip_delete(ctx->st, p.no, err) < 0)
        return -1;
    p.op = "TERMT";
    actv_list_begin(ctx, 1, "publicIpInstanceList", "publicIpInstance");
    emit_pip(ctx, &p, NULL);
    actv_list_end(ctx);
    return 0;
}

/* act_res.c: see act_res.h. */
#include "act/act_res.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog.h"
#include "render/envelope.h"
#include "store/store_image.h"
#include "store/store_net.h"
#include "util/clock.h"

/* ---- output ------------------------------------------------------------------------ */

void act_emit_date(ncp_emit_t *e, const char *name, int64_t ms)
{
    char b[NCP_DATE_LEN];
    ncp_emit_str(e, name, ncp_clock_fmt(ms, b, sizeof(b)));
}

void act_emit_zone_no(ncp_emit_t *e, const char *name, int64_t zone_no)
{
    const ncp_zone_t *z = ncp_catalog_zone(zone_no);
    ncp_zone_t unknown = {zone_no, "", "", "", 0};
    act_emit_zone(e, name, z ? z : &unknown);
}

void act_emit_region_of_zone(ncp_emit_t *e, const char *name, int64_t zone_no)
{
    const ncp_zone_t *z = ncp_catalog_zone(zone_no);
    const ncp_region_t *r = z ? ncp_catalog_region(z->region_no) : NULL;
    ncp_region_t unknown = {z ? z->region_no : 0, "", ""};
    act_emit_region(e, name, r ? r : &unknown);
}

void act_emit_rstatus(ncp_emit_t *e, const char *name, ncp_kind_t kind, int status)
{
    ncp_emit_code(e, name, ncp_rstate_status_code((ncp_rstatus_t)status),
                  ncp_rstate_status_name(kind, (ncp_rstatus_t)status));
}

void act_emit_rop(ncp_emit_t *e, const char *name, ncp_kind_t kind, int op)
{
    ncp_emit_code(e, name, ncp_rstate_op_code((ncp_rop_t)op),
                  ncp_rstate_op_name(kind, (ncp_rop_t)op));
}

void act_emit_num(ncp_emit_t *e, const char *name, const char *literal)
{
    ncp_emit_num(e, name, literal);
}

void act_emit_empty_obj(ncp_emit_t *e, const char *name)
{
    if (e->fmt == NCP_FMT_XML) {
        /* an empty list writes <name/> in XML, which is what the platform shows */
        ncp_emit_list_begin(e, name, "x");
        ncp_emit_list_end(e);
        return;
    }
    ncp_emit_obj_begin(e, name);
    ncp_emit_obj_end(e);
}

void act_emit_server_no(ncp_ctx_t *ctx, const char *name, int64_t no)
{
    ncp_server_t s;
    ncp_err_t err;
    ncp_err_init(&err);
    int r = no ? ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id, no, &s, &err) : 0;
    if (r < 0)
        ctx->em->out->over = true; /* fail the request rather than emit a wrong object */
    if (r == 1)
        act_emit_server_as(ctx, name, &s, false);
    else
        act_emit_empty_obj(ctx->em, name);
}

void act_answer_begin(ncp_ctx_t *ctx, int64_t total, const char *list, const char *item)
{
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, total);
    ncp_emit_list_begin(ctx->em, list, item);
}

void act_answer_end(ncp_ctx_t *ctx)
{
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
}

void act_answer_empty(ncp_ctx_t *ctx)
{
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_end(ctx->em);
}

/* ---- parameters --------------------------------------------------------------------- */

void act_zone_filter(ncp_ctx_t *ctx, const int64_t **zones, size_t *n)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *z = ncp_spec_param(A->act, "zoneNo") ? ncp_arg(A, "zoneNo") : NULL;
    const ncp_arg_t *r = ncp_spec_param(A->act, "regionNo") ? ncp_arg(A, "regionNo") : NULL;
    *zones = NULL;
    *n = 0;
    if (!(z && z->present) && !(r && r->present))
        return;
    const ncp_catalog_t *c = ncp_catalog();
    int64_t *v = ncp_arena_alloc(ctx->arena, (c->n_zones + 1) * sizeof(int64_t));
    size_t k = 0;
    for (size_t i = 0; i < c->n_zones; i++) {
        if (z && z->present && c->zones[i].no != act_no(z->s))
            continue;
        if (r && r->present && c->zones[i].region_no != act_no(r->s))
            continue;
        v[k++] = c->zones[i].no;
    }
    *zones = v;
    *n = k;
}

int act_zone_param(ncp_ctx_t *ctx, int64_t dflt, const ncp_zone_t **out, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *z = ncp_arg(A, "zoneNo");
    const ncp_arg_t *r = ncp_arg(A, "regionNo");
    const ncp_region_t *region = NULL;
    if (r->present && !(region = ncp_catalog_region(act_no(r->s)))) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "regionNo");
        return -1;
    }
    const ncp_zone_t *zone = NULL;
    if (z->present) {
        zone = ncp_catalog_zone(act_no(z->s));
    } else if (dflt) {
        zone = ncp_catalog_zone(dflt);
    } else if (region) {
        const ncp_catalog_t *c = ncp_catalog();
        for (size_t i = 0; i < c->n_zones && !zone; i++)
            if (c->zones[i].region_no == region->no)
                zone = &c->zones[i];
    } else {
        zone = ncp_catalog_default_zone();
    }
    if (!zone || (region && zone->region_no != region->no)) {
        ncp_err_set(err, z->present || !region ? NCP_E_INVALID_PARAM : NCP_E_NO_ZONE,
                    z->present ? "zoneNo" : "regionNo");
        return -1;
    }
    *out = zone;
    return 0;
}

void act_paging(ncp_ctx_t *ctx, int64_t *offset, int64_t *limit)
{
    act_page(&ctx->args, offset, limit);
}

int act_res_resolve(ncp_ctx_t *ctx, const char *param, const char *text, size_t len,
                    ncp_kind_t kind, ncp_err_code_t code, int64_t *no_out, ncp_err_t *err)
{
    if (!ncp_spec_is_no(text, len)) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, param);
        return -1;
    }
    int64_t no = act_no(text);
    ncp_instance_t in;
    int r = ctx->so->instance_get(ctx->st, no, &in, err);
    if (r < 0)
        return -1;
    /* another account's number reads as unknown, whatever its kind (D7) */
    if (r == 0 || in.account_id != ctx->account_id || in.deleted || in.kind != kind) {
        ncp_err_set(err, code);
        return -1;
    }
    *no_out = no;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int act_res_resolve_list(ncp_ctx_t *ctx, const char *param, ncp_kind_t kind,
                         ncp_err_code_t code, int64_t **nos_out, size_t *n_out, ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, param);
    int64_t *v = ncp_arena_alloc(ctx->arena, (a->n ? a->n : 1) * sizeof(int64_t));
    int64_t *seen = ncp_arena_alloc(ctx->arena, (a->n ? a->n : 1) * sizeof(int64_t));
    for (size_t i = 0; i < a->n; i++) {
        if (act_res_resolve(ctx, param, a->items[i], a->lens[i], kind, code, &v[i], err) < 0)
            return -1;
        if (i && bsearch(&v[i], seen, i, sizeof(int64_t), cmp_i64)) {
            char val[24];
            snprintf(val, sizeof(val), "%" PRId64, v[i]);
            ncp_err_set(err, NCP_E_DUPLICATE, param, val);
            return -1;
        }
        size_t pos = i;
        while (pos && seen[pos - 1] > v[i]) {
            seen[pos] = seen[pos - 1];
            pos--;
        }
        seen[pos] = v[i];
    }
    *nos_out = v;
    *n_out = a->n;
    return 0;
}

int act_res_new_no(ncp_ctx_t *ctx, ncp_kind_t kind, int64_t *no_out, ncp_err_t *err)
{
    if (ctx->so->instance_next_no(ctx->st, no_out, err) < 0)
        return -1;
    ncp_instance_t in = {*no_out, kind, ctx->account_id, false};
    return ctx->so->instance_put(ctx->st, &in, err);
}

const char *act_default_name(ncp_ctx_t *ctx, const char *prefix)
{
    static _Atomic uint64_t last;
    uint64_t prev = atomic_load(&last), next;
    do {
        next = (uint64_t)ctx->now_ms > prev ? (uint64_t)ctx->now_ms : prev + 1;
    } while (!atomic_compare_exchange_weak(&last, &prev, next));
    return ncp_arena_printf(ctx->arena, "%s%" PRIx64, prefix, next);
}

/* ---- driven answers ----------------------------------------------------------------- */

static int respond_rows(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const act_driven_t *d = ctx->respond_arg;
    size_t n = ctx->n_intents;
    unsigned failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += !ctx->intents[i].ok;
    if (failed == n) {
        ncp_err_internal(err, "driver failed for all %zu resources", n);
        return -1;
    }
    ncp_err_t partial;
    ncp_err_init(&partial);
    if (failed)
        ncp_err_set(&partial, NCP_E_PARTIAL, failed, (unsigned)n);
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, failed ? &partial : NULL);
    ncp_env_total_rows(ctx->em, (int64_t)(n - failed));
    ncp_emit_list_begin(ctx->em, d->list, d->item);
    for (size_t i = 0; i < n; i++)
        if (ctx->intents[i].ok)
            d->emit(ctx, (const char *)d->rows + i * d->row_size);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

void act_respond_rows(ncp_ctx_t *ctx, const act_driven_t *d)
{
    act_driven_t *copy = ncp_arena_alloc(ctx->arena, sizeof(*copy));
    *copy = *d;
    ctx->respond = respond_rows;
    ctx->respond_arg = copy;
}

/* ---- models ------------------------------------------------------------------------- */

static const char *disk_product(const ncp_disk_t *d)
{
    if (d->basic)
        return "SPBSTBSTBS000001";
    return strcmp(d->detail, "SSD") == 0 ? "SPBSTBSTAD000006" : "SPBSTBSTAD000002";
}

void act_emit_disk(ncp_ctx_t *ctx, const ncp_disk_t *d)
{
    ncp_emit_t *e = ctx->em;
    ncp_emit_obj_begin(e, "blockStorageInstance");
    act_emit_no(e, "blockStorageInstanceNo", d->no);
    if (d->server_no)
        act_emit_no(e, "serverInstanceNo", d->server_no);
    else
        ncp_emit_str(e, "serverInstanceNo", "");
    ncp_emit_str(e, "serverName", d->server_name);
    ncp_emit_code(e, "blockStorageType", d->basic ? "BASIC" : "SVRBS",
                  d->basic ? "Basic BS" : "Server BS");
    ncp_emit_str(e, "blockStorageName", d->name);
    ncp_emit_int(e, "blockStorageSize", d->size);
    ncp_emit_str(e, "deviceName", d->device);
    if (d->image_no)
        act_emit_no(e, "memberServerImageNo", d->image_no);
    else
        ncp_emit_str(e, "memberServerImageNo", "");
    ncp_emit_str(e, "blockStorageProductCode", disk_product(d));
    act_emit_rstatus(e, "blockStorageInstanceStatus", NCP_KIND_STORAGE, d->status);
    act_emit_rop(e, "blockStorageInstanceOperation", NCP_KIND_STORAGE, d->op);
    ncp_emit_str(e, "blockStorageInstanceStatusName",
                 ncp_rstate_label(NCP_KIND_STORAGE, (ncp_rstatus_t)d->status,
                                  (ncp_rop_t)d->op));
    act_emit_date(e, "createDate", d->create_ms);
    ncp_emit_str(e, "blockStorageInstanceDescription", d->description);
    ncp_emit_code(e, "diskType", d->disk_type, ncp_catalog_disk_type_name(d->disk_type));
    ncp_emit_code(e, "diskDetailType", d->detail, ncp_catalog_disk_detail_name(d->detail));
    ncp_emit_int(e, "maxIopsThroughput", strcmp(d->detail, "SSD") == 0 ? 4000 : 100);
    act_emit_region_of_zone(e, "region", d->zone_no);
    act_emit_zone_no(e, "zone", d->zone_no);
    ncp_emit_obj_end(e);
}

void act_emit_public_ip(ncp_ctx_t *ctx, const ncp_public_ip_t *ip)
{
    ncp_emit_t *e = ctx->em;
    ncp_emit_obj_begin(e, "publicIpInstance");
    act_emit_no(e, "publicIpInstanceNo", ip->no);
    ncp_emit_str(e, "publicIp", ip->ip);
    ncp_emit_str(e, "publicIpDescription", ip->description);
    act_emit_date(e, "createDate", ip->create_ms);
    ncp_emit_code(e, "internetLineType", ip->line, ip->line);
    ncp_emit_str(e, "publicIpInstanceStatusName",
                 ncp_rstate_label(NCP_KIND_PUBLIC_IP, (ncp_rstatus_t)ip->status,
                                  (ncp_rop_t)ip->op));
    act_emit_rstatus(e, "publicIpInstanceStatus", NCP_KIND_PUBLIC_IP, ip->status);
    act_emit_rop(e, "publicIpInstanceOperation", NCP_KIND_PUBLIC_IP, ip->op);
    ncp_emit_code(e, "publicIpKindType", "GEN", "General");
    act_emit_server_no(ctx, "serverInstanceAssociatedWithPublicIp", ip->server_no);
    act_emit_region_of_zone(e, "region", ip->zone_no);
    act_emit_zone_no(e, "zone", ip->zone_no);
    ncp_emit_obj_end(e);
}

#define GiB ((int64_t)1073741824)

/* The NAS servers' address of a zone (mountInformation). */
static const char *nas_host(ncp_ctx_t *ctx, int64_t zone_no)
{
    return ncp_arena_printf(ctx->arena, "10.250.%d.74", (int)(50 + zone_no % 200));
}

const char *act_day_name(const char *code)
{
    static const char *const days[][2] = {{"MON", "Monday"},   {"TUE", "Tuesday"},
                                          {"WED", "Wednesday"}, {"THU", "Thursday"},
                                          {"FRI", "Friday"},   {"SAT", "Saturday"},
                                          {"SUN", "Sunday"}};
    for (size_t i = 0; i < 7; i++)
        if (strcmp(days[i][0], code) == 0)
            return days[i][1];
    return "";
}

void act_emit_nas(ncp_ctx_t *ctx, const ncp_nas_t *v)
{
    ncp_emit_t *e = ctx->em;
    int64_t snap = v->size / 100 * v->snap_ratio;
    ncp_emit_obj_begin(e, "nasVolumeInstance");
    act_emit_no(e, "nasVolumeInstanceNo", v->no);
    act_emit_rstatus(e, "nasVolumeInstanceStatus", NCP_KIND_NAS, v->status);
    act_emit_rop(e, "nasVolumeInstanceOperation", NCP_KIND_NAS, v->op);
    ncp_emit_str(e, "nasVolumeInstanceStatusName",
                 ncp_rstate_label(NCP_KIND_NAS, (ncp_rstatus_t)v->status, (ncp_rop_t)v->op));
    act_emit_date(e, "createDate", v->create_ms);
    ncp_emit_str(e, "nasVolumeInstanceDescription", v->description);
    bool cifs = strcmp(v->protocol, "CIFS") == 0;
    ncp_emit_str(e, "mountInformation",
                 ncp_arena_printf(ctx->arena, cifs ? "\\\\%s\\%s" : "%s:/%s",
                                  nas_host(ctx, v->zone_no), v->name));
    ncp_emit_code(e, "volumeAllotmentProtocolType", v->protocol, v->protocol);
    ncp_emit_str(e, "volumeName", v->name);
    ncp_emit_int(e, "volumeTotalSize", v->size + snap);
    ncp_emit_int(e, "volumeSize", v->size);
    ncp_emit_int(e, "volumeUseSize", 0);
    act_emit_num(e, "volumeUseRatio", "0.0");
    act_emit_num(e, "snapshotVolumeConfigurationRatio",
                 ncp_arena_printf(ctx->arena, "%d.0", v->snap_ratio));
    bool weekly = v->snap_ratio > 0 && v->snap_day[0];
    ncp_emit_code(e, "snapshotVolumeConfigPeriodType",
                  v->snap_ratio > 0 ? (weekly ? "WEEK" : "DAY") : "",
                  v->snap_ratio > 0 ? (weekly ? "Weekly" : "Daily") : "");
    ncp_emit_code(e, "snapshotVolumeConfigDayOfWeekType", weekly ? v->snap_day : "",
                  weekly ? act_day_name(v->snap_day) : "");
    ncp_emit_int(e, "snapshotVolumeConfigTime", v->snap_time >= 0 ? v->snap_time : 0);
    ncp_emit_int(e, "snapshotVolumeSize", snap);
    ncp_emit_int(e, "snapshotVolumeUseSize", 0);
    act_emit_num(e, "snapshotVolumeUseRatio", "0.0");
    ncp_emit_bool(e, "isSnapshotConfiguration", v->snap_ratio > 0);
    ncp_emit_bool(e, "isEventConfiguration", v->event);
    act_emit_region_of_zone(e, "region", v->zone_no);
    act_emit_zone_no(e, "zone", v->zone_no);
    ncp_emit_bool(e, "isReturnProtection", v->protect);
    ncp_emit_list_begin(e, "nasVolumeInstanceCustomIpList", "nasVolumeInstanceCustomIp");
    for (size_t i = 0; i < v->n_acl; i++)
        if (!v->acl[i].server_no) {
            ncp_emit_obj_begin(e, NULL);
            ncp_emit_str(e, "customIp", v->acl[i].custom_ip);
            ncp_emit_obj_end(e);
        }
    ncp_emit_list_end(e);
    ncp_emit_list_begin(e, "nasVolumeServerInstanceList", "serverInstance");
    for (size_t i = 0; i < v->n_acl; i++)
        if (v->acl[i].server_no) {
            ncp_server_t s;
            ncp_err_t err;
            ncp_err_init(&err);
            int r = ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id, v->acl[i].server_no,
                                        &s, &err);
            if (r < 0)
                e->out->over = true;
            if (r == 1)
                act_emit_server(ctx, &s, false);
        }
    ncp_emit_list_end(e);
    ncp_emit_obj_end(e);
}

void act_emit_image(ncp_ctx_t *ctx, const ncp_member_image_t *m)
{
    ncp_emit_t *e = ctx->em;
    bool owned = m->account_id == ctx->account_id;
    ncp_emit_obj_begin(e, "memberServerImage");
    act_emit_no(e, "memberServerImageNo", m->no);
    ncp_emit_str(e, "memberServerImageName", m->name);
    ncp_emit_str(e, "memberServerImageDescription", m->description);
    act_emit_no(e, "originalServerInstanceNo", m->server_no);
    ncp_emit_str(e, "originalServerProductCode", m->product_code);
    ncp_emit_str(e, "originalServerName", m->server_name);
    ncp_emit_code(e, "originalBaseBlockStorageDiskType", m->disk_type,
                  ncp_catalog_disk_type_name(m->disk_type));
    ncp_emit_str(e, "originalServerImageProductCode", m->image_code);
    ncp_emit_str(e, "originalOsInformation", m->os_info);
    ncp_emit_str(e, "originalServerImageName", m->image_name);
    ncp_emit_str(e, "memberServerImageStatusName",
                 ncp_rstate_label(NCP_KIND_MEMBER_IMAGE, (ncp_rstatus_t)m->status,
                                  (ncp_rop_t)m->op));
    act_emit_rstatus(e, "memberServerImageStatus", NCP_KIND_MEMBER_IMAGE, m->status);
    act_emit_rop(e, "memberServerImageOperation", NCP_KIND_MEMBER_IMAGE, m->op);
    ncp_emit_code(e, "memberServerImagePlatformType", m->platform,
                  ncp_catalog_platform_name(m->platform));
    act_emit_region_of_zone(e, "region", m->zone_no);
    act_emit_zone_no(e, "zone", m->zone_no);
    act_emit_date(e, "createDate", m->create_ms);
    ncp_emit_int(e, "memberServerImageBlockStorageTotalRows", m->n_disks);
    ncp_emit_int(e, "memberServerImageBlockStorageTotalSize", m->total_size);
    bool shared = m->n_shares > 0;
    ncp_emit_code(e, "shareStatus", shared ? "SHARE" : "NULL",
                  shared ? "NSI Share State" : "NSI Share NULL State");
    /* the owner sees every login ID; an account it is shared with sees only itself */
    ncp_emit_list_begin(e, "sharedLoginIdList", "sharedLoginId");
    const char *me = NULL;
    ncp_err_t err;
    ncp_err_init(&err);
    if (!owned && act_login_id(ctx, &me, &err) < 0)
        e->out->over = true;
    for (size_t i = 0; i < m->n_shares; i++)
        if (owned || (me && strcmp(me, m->shares[i]) == 0))
            ncp_emit_str(e, NULL, m->shares[i]);
    ncp_emit_list_end(e);
    ncp_emit_obj_end(e);
}

/* ---- interactions ---------------------------------------------------------------------- */

/* Port-forwarding addresses: 106.10.52.1 onwards (the seed's 106.10.51.90 and
 * 106.10.51.91 stay out of the way), never two configurations with one. */
static int new_pf_ip(ncp_ctx_t *ctx, const char **out, ncp_err_t *err)
{
    for (int tries = 0; tries < 10000; tries++) {
        int64_t k;
        if (ctx->so->counter_next(ctx->st, "pf_ip", 0, &k, err) < 0)
            return -1;
        k %= 150 * 254;
        const char *ip = ncp_arena_printf(ctx->arena, "106.10.%d.%d", (int)(52 + k / 254),
                                          (int)(k % 254 + 1));
        int r = ncp_store_ip_taken(ctx->st, ip, err);
        if (r < 0)
            return -1;
        if (r == 0) {
            *out = ip;
            return 0;
        }
    }
    ncp_err_internal(err, "no free port-forwarding address");
    return -1;
}

int act_pf_config_of_zone(ncp_ctx_t *ctx, int64_t zone_no, ncp_pf_config_t *out, ncp_err_t *err)
{
    int r = ncp_store_pf_config_of_zone(ctx->st, ctx->arena, ctx->account_id, zone_no, out, err);
    if (r != 0)
        return r < 0 ? -1 : 0;
    /* a database older than the configurations: the address its servers show */
    const char *ip;
    if (ncp_store_pf_legacy_ip(ctx->st, ctx->arena, ctx->account_id, zone_no, &ip, err) < 0)
        return -1;
    if (ip[0] && (r = ncp_store_ip_taken(ctx->st, ip, err)) != 0) {
        if (r < 0)
            return -1;
        ip = "";
    }
    if (!ip[0] && new_pf_ip(ctx, &ip, err) < 0)
        return -1;
    out->account_id = ctx->account_id;
    out->zone_no = zone_no;
    out->ip = ip;
    if (act_res_new_no(ctx, NCP_KIND_PF_CONFIG, &out->no, err) < 0)
        return -1;
    return ncp_store_pf_config_put(ctx->st, out, err);
}

int act_login_id(ncp_ctx_t *ctx, const char **out, ncp_err_t *err)
{
    int r = ncp_store_account_name(ctx->st, ctx->arena, ctx->account_id, out, err);
    if (r == 0)
        ncp_err_internal(err, "account %" PRId64 " has no row", ctx->account_id);
    return r == 1 ? 0 : -1;
}

int act_server_public_ip_check(ncp_ctx_t *ctx, const ncp_server_t *s, ncp_err_t *err)
{
    ncp_public_ip_t ip;
    int r = ncp_store_ip_of_server(ctx->st, ctx->arena, s->no, &ip, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        char no[24];
        snprintf(no, sizeof(no), "%" PRId64, ip.no);
        ncp_err_set(err, NCP_E_TERMINATE_PUBLIC_IP, no);
        return -1;
    }
    return 0;
}

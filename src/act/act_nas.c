/* act_nas.c: NAS volumes (network-storage.md §5, interactions.md N1-N5).
 *
 * A volume is created INIT/CREAT "creating" and ready a step later
 * (CREAT/NULL); a resize shows CHNG for a step; a delete CREAT/TERMT, then
 * it is gone. NAS volumes live on storage servers, not on the hypervisor:
 * no driver call. Its access control list names the caller's servers or
 * private IPs; a terminated server leaves every list. Usage is not
 * simulated (0 bytes used), so nothing is ever smaller than the used size. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "act/act_res.h"
#include "render/envelope.h"
#include "store/store_nas.h"
#include "util/clock.h"

#define GiB ((int64_t)1073741824)

/* ---- checks ------------------------------------------------------------------------------ */

static bool alnum_only(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/* An IPv4 address in 10/8, 172.16/12 or 192.168/16. */
static bool private_ip(const char *s)
{
    unsigned a, b, c, d;
    char tail;
    if (sscanf(s, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 ||
        c > 255 || d > 255)
        return false;
    char canon[16];
    snprintf(canon, sizeof(canon), "%u.%u.%u.%u", a, b, c, d);
    if (strcmp(canon, s) != 0)
        return false;
    return a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168);
}

static int nas_resolve(ncp_ctx_t *ctx, ncp_nas_t *out, ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, "nasVolumeInstanceNo");
    int64_t no;
    if (act_res_resolve(ctx, "nasVolumeInstanceNo", a->s, a->len, NCP_KIND_NAS,
                        NCP_E_BAD_INSTANCE_NUMBER, &no, err) < 0)
        return -1;
    int r = ncp_store_nas_get(ctx->st, ctx->arena, ctx->account_id, no, out, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_BAD_INSTANCE_NUMBER);
    return r == 1 ? 0 : -1;
}

/* A volume that exists and is not being deleted (ACL and snapshot settings);
 * `idle`: and in no other transition either. */
static int nas_usable(const ncp_nas_t *v, bool idle, ncp_err_t *err)
{
    if (v->status != NCP_RS_CREAT || v->op == NCP_RO_TERMT || (idle && v->op != NCP_RO_NULL)) {
        ncp_err_set(err, NCP_E_OBJECT_BUSY);
        return -1;
    }
    return 0;
}

/* ---- access control lists ------------------------------------------------------------ */

typedef struct acl {
    ncp_nas_acl_t *v;
    size_t n, cap;
} acl_t;

static int acl_has(const acl_t *l, int64_t server_no, const char *ip)
{
    for (size_t i = 0; i < l->n; i++)
        if (server_no ? l->v[i].server_no == server_no
                      : (!l->v[i].server_no && strcmp(l->v[i].custom_ip, ip) == 0))
            return 1;
    return 0;
}

/* Adds one entry (server number text or IP), checked: `bad_server` for a
 * number that is not a server of the caller (N1), 910 for a bad IP or a
 * repeated entry. */
static int acl_add(ncp_ctx_t *ctx, acl_t *l, const char *server, const char *ip, bool write,
                   const char *loc, ncp_err_code_t bad_server, ncp_err_t *err)
{
    ncp_nas_acl_t e = {0, "", write};
    if (server) {
        ncp_server_t s;
        ncp_err_t ignored;
        ncp_err_init(&ignored);
        if (act_server_resolve(ctx, server, strlen(server), &s, &ignored) < 0) {
            if (ignored.code == NCP_E_INTERNAL) {
                *err = ignored;
                return -1;
            }
            ncp_err_set(err, bad_server);
            return -1;
        }
        e.server_no = s.no;
    } else {
        if (!private_ip(ip)) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, loc);
            return -1;
        }
        e.custom_ip = ip;
    }
    if (acl_has(l, e.server_no, e.custom_ip)) {
        ncp_err_set(err, NCP_E_DUPLICATE, loc, server ? server : ip);
        return -1;
    }
    l->v = ncp_arena_grow(ctx->arena, l->v, l->n, &l->cap, sizeof(*l->v), 8);
    l->v[l->n++] = e;
    return 0;
}

/* The entries of a request: accessControlRuleList.N.{serverInstanceNo,
 * customIp, writeAccess} (Go SDK), serverInstanceNoList.N / customIpList.N
 * (Python SDK, old Go SDK), appended to l. */
static int acl_of_request(ncp_ctx_t *ctx, acl_t *l, ncp_err_code_t bad_server, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    static const char rules[] = "accessControlRuleList";
    const ncp_arg_t *r = ncp_arg(A, rules);
    char loc[96];
    for (size_t i = 0; i < r->n; i++) {
        const char *server = ncp_arg_field(A, rules, i, "serverInstanceNo");
        const char *ip = ncp_arg_field(A, rules, i, "customIp");
        const char *w = ncp_arg_field(A, rules, i, "writeAccess");
        bool write = true;
        snprintf(loc, sizeof(loc), "%s.%zu", rules, i + 1);
        if (!server == !ip || (w && ncp_spec_parse_bool(w, strlen(w), &write) < 0)) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, loc); /* exactly one of server or IP */
            return -1;
        }
        if (acl_add(ctx, l, server, ip, write, loc, bad_server, err) < 0)
            return -1;
    }
    const ncp_arg_t *servers = ncp_arg(A, "serverInstanceNoList");
    for (size_t i = 0; i < servers->n; i++)
        if (acl_add(ctx, l, servers->items[i], NULL, true, "serverInstanceNoList", bad_server,
                    err) < 0)
            return -1;
    const ncp_arg_t *ips = ncp_arg(A, "customIpList");
    for (size_t i = 0; i < ips->n; i++)
        if (acl_add(ctx, l, NULL, ips->items[i], true, "customIpList", bad_server, err) < 0)
            return -1;
    return 0;
}

static void answer_volume(ncp_ctx_t *ctx, const ncp_nas_t *v)
{
    act_answer_begin(ctx, 1, "nasVolumeInstanceList", "nasVolumeInstance");
    act_emit_nas(ctx, v);
    act_answer_end(ctx);
}

/* Starts `kind` on v (v shows its first state). */
static int start(ncp_ctx_t *ctx, ncp_nas_t *v, ncp_tr_kind_t kind, const char *arg,
                 ncp_err_t *err)
{
    ncp_sched_res_t r = {NCP_KIND_NAS, v->no, ctx->account_id, v->status, v->op};
    if (ncp_sched_start_res(ctx->so, ctx->st, &r, kind, arg, ctx->now_ms, ctx->app->step_ms,
                            err) < 0)
        return -1;
    v->status = r.status;
    v->op = r.op;
    ctx->kick = true;
    return 0;
}

/* ---- volumes ---------------------------------------------------------------------------- */

int act_createNasVolumeInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *name_a = ncp_arg(A, "volumeName");
    if (!alnum_only(name_a->s)) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "volumeName");
        return -1;
    }
    int64_t gb = ncp_arg(A, "volumeSize")->i;
    if (gb % 100) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "volumeSize");
        return -1;
    }
    const char *protocol = ncp_arg(A, "volumeAllotmentProtocolTypeCode")->s;
    const ncp_arg_t *user = ncp_arg(A, "cifsUserName"), *pw = ncp_arg(A, "cifsUserPassword");
    bool cifs = strcmp(protocol, "CIFS") == 0;
    if (cifs) { /* N2 */
        if (!user->present || !pw->present) {
            ncp_err_set(err, NCP_E_REQUIRED, user->present ? "cifsUserPassword" : "cifsUserName");
            return -1;
        }
        if (user->len < 6 || user->len > 19 || !alnum_only(user->s)) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, "cifsUserName");
            return -1;
        }
        int kinds[3] = {0, 0, 0};
        for (size_t i = 0; i < pw->len; i++) {
            char c = pw->s[i];
            kinds[(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? 0
                  : (c >= '0' && c <= '9')                         ? 1
                                                                   : 2] = 1;
        }
        if (pw->len < 8 || pw->len > 14 || kinds[0] + kinds[1] + kinds[2] < 2) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, "cifsUserPassword");
            return -1;
        }
    }
    const ncp_zone_t *zone;
    acl_t acl = {0};
    if (act_zone_param(ctx, 0, &zone, err) < 0 ||
        acl_of_request(ctx, &acl, NCP_E_NFS_SERVER_INVALID, err) < 0)
        return -1;
    /* N5: the account's prefix makes names unique across accounts */
    const char *name =
        ncp_arena_printf(ctx->arena, "n%06" PRId64 "_%s", ctx->account_id, name_a->s);
    int r = ncp_store_nas_name_taken(ctx->st, name, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        ncp_err_set(err, NCP_E_NAME_IN_USE);
        return -1;
    }
    const ncp_arg_t *desc = ncp_arg(A, "nasVolumeDescription");
    ncp_nas_t v = {.account_id = ctx->account_id,
                   .name = name,
                   .description = desc->present ? desc->s : "",
                   .protocol = protocol,
                   .cifs_user = cifs ? user->s : "",
                   .size = gb * GiB,
                   .snap_day = "",
                   .snap_time = -1,
                   .protect = ncp_arg(A, "isReturnProtection")->b,
                   .status = NCP_RS_INIT,
                   .op = NCP_RO_CREAT,
                   .zone_no = zone->no,
                   .create_ms = ctx->now_ms,
                   .acl = acl.v,
                   .n_acl = acl.n};
    if (act_res_new_no(ctx, NCP_KIND_NAS, &v.no, err) < 0 || ncp_store_nas_put(ctx->st, &v, err) < 0 ||
        start(ctx, &v, NCP_TR_NAS_CREATE, NULL, err) < 0)
        return -1;
    answer_volume(ctx, &v);
    return 0;
}

int act_deleteNasVolumeInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    if (nas_resolve(ctx, &v, err) < 0)
        return -1;
    if (v.protect) { /* N4 */
        ncp_err_set(err, NCP_E_NAS_PROTECTED);
        return -1;
    }
    if (nas_usable(&v, true, err) < 0 || start(ctx, &v, NCP_TR_NAS_DELETE, NULL, err) < 0)
        return -1;
    answer_volume(ctx, &v);
    return 0;
}

int act_changeNasVolumeSize(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    if (nas_resolve(ctx, &v, err) < 0)
        return -1;
    int64_t gb = ncp_arg(&ctx->args, "volumeSize")->i;
    if (gb % 100 || gb * GiB == v.size) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "volumeSize");
        return -1;
    }
    const char *arg = ncp_arena_printf(ctx->arena, "%" PRId64, gb * GiB);
    if (nas_usable(&v, true, err) < 0 || start(ctx, &v, NCP_TR_NAS_RESIZE, arg, err) < 0)
        return -1;
    answer_volume(ctx, &v);
    return 0;
}

int act_setNasVolumeReturnProtection(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    if (nas_resolve(ctx, &v, err) < 0)
        return -1;
    v.protect = ncp_arg(&ctx->args, "isReturnProtection")->b;
    if (ncp_store_nas_put(ctx->st, &v, err) < 0)
        return -1;
    answer_volume(ctx, &v);
    return 0;
}

/* set, add and remove: the new list written whole */
static int write_acl(ncp_ctx_t *ctx, ncp_nas_t *v, acl_t *acl, ncp_err_t *err)
{
    v->acl = acl->v;
    v->n_acl = acl->n;
    if (ncp_store_nas_put(ctx->st, v, err) < 0)
        return -1;
    answer_volume(ctx, v);
    return 0;
}

int act_setNasVolumeAccessControl(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    acl_t acl = {0};
    if (nas_resolve(ctx, &v, err) < 0 || nas_usable(&v, false, err) < 0 ||
        acl_of_request(ctx, &acl, NCP_E_BAD_INSTANCE_NUMBER, err) < 0)
        return -1;
    return write_acl(ctx, &v, &acl, err);
}

int act_addNasVolumeAccessControl(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    if (nas_resolve(ctx, &v, err) < 0 || nas_usable(&v, false, err) < 0)
        return -1;
    acl_t acl = {0};
    for (size_t i = 0; i < v.n_acl; i++) {
        acl.v = ncp_arena_grow(ctx->arena, acl.v, acl.n, &acl.cap, sizeof(*acl.v), 8);
        acl.v[acl.n++] = v.acl[i];
    }
    if (acl_of_request(ctx, &acl, NCP_E_BAD_INSTANCE_NUMBER, err) < 0)
        return -1;
    return write_acl(ctx, &v, &acl, err);
}

int act_removeNasVolumeAccessControl(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    if (nas_resolve(ctx, &v, err) < 0 || nas_usable(&v, false, err) < 0)
        return -1;
    acl_t gone = {0}, keep = {0};
    if (acl_of_request(ctx, &gone, NCP_E_BAD_INSTANCE_NUMBER, err) < 0)
        return -1;
    for (size_t i = 0; i < v.n_acl; i++)
        if (!acl_has(&gone, v.acl[i].server_no, v.acl[i].custom_ip)) {
            keep.v = ncp_arena_grow(ctx->arena, keep.v, keep.n, &keep.cap, sizeof(*keep.v), 8);
            keep.v[keep.n++] = v.acl[i];
        }
    return write_acl(ctx, &v, &keep, err);
}

int act_getNasVolumeAccessControlRuleList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    if (nas_resolve(ctx, &v, err) < 0)
        return -1;
    ncp_emit_t *e = ctx->em;
    act_answer_begin(ctx, (int64_t)v.n_acl, "nasVolumeAccessControlRuleList",
                     "nasVolumeAccessControlRule");
    for (size_t i = 0; i < v.n_acl; i++) {
        ncp_emit_obj_begin(e, NULL);
        if (v.acl[i].server_no)
            act_emit_no(e, "serverInstanceNo", v.acl[i].server_no);
        else
            ncp_emit_str(e, "serverInstanceNo", "");
        ncp_emit_str(e, "customIp", v.acl[i].custom_ip);
        ncp_emit_bool(e, "readAccess", true);
        ncp_emit_bool(e, "writeAccess", v.acl[i].write);
        ncp_emit_obj_end(e);
    }
    act_answer_end(ctx);
    return 0;
}

typedef struct volumes {
    ncp_ctx_t *ctx;
    ncp_nas_t *v;
    size_t n, cap;
} volumes_t;

static int collect_volume(void *p, const ncp_nas_t *v)
{
    volumes_t *vs = p;
    vs->v = ncp_arena_grow(vs->ctx->arena, vs->v, vs->n, &vs->cap, sizeof(*vs->v), 8);
    vs->v[vs->n++] = *v;
    return 0;
}

int act_getNasVolumeInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_nas_filter_t f = {.account_id = ctx->account_id, .event = -1, .snapshot = -1};
    const ncp_arg_t *a = ncp_arg(A, "nasVolumeInstanceNoList");
    f.nos = act_nos(ctx, a);
    f.n_nos = a->n;
    a = ncp_arg(A, "volumeAllotmentProtocolTypeCode");
    if (a->present)
        f.protocol = a->s;
    a = ncp_arg(A, "isEventConfiguration");
    if (a->present)
        f.event = a->b;
    a = ncp_arg(A, "isSnapshotConfiguration");
    if (a->present)
        f.snapshot = a->b;
    act_zone_filter(ctx, &f.zones, &f.n_zones);
    volumes_t vs = {ctx, NULL, 0, 0};
    int64_t total;
    if (ncp_store_nas_list(ctx->st, ctx->arena, &f, &total, collect_volume, &vs, err) < 0)
        return -1;
    act_answer_begin(ctx, (int64_t)vs.n, "nasVolumeInstanceList", "nasVolumeInstance");
    for (size_t i = 0; i < vs.n; i++)
        act_emit_nas(ctx, &vs.v[i]);
    act_answer_end(ctx);
    return 0;
}

/* ---- snapshots -------------------------------------------------------------------------- */

static void emit_snapshot(ncp_emit_t *e, const ncp_nas_snapshot_t *s)
{
    ncp_emit_obj_begin(e, NULL);
    ncp_emit_str(e, "nasVolumeSnapshotName", s->name);
    act_emit_date(e, "createDate", s->create_ms);
    ncp_emit_int(e, "snapshotSize", s->size);
    ncp_emit_bool(e, "isBusy", false);
    ncp_emit_obj_end(e);
}

static void answer_snapshot(ncp_ctx_t *ctx, const ncp_nas_snapshot_t *s)
{
    act_answer_begin(ctx, 1, "nasVolumeSnapshotList", "nasVolumeSnapshot");
    emit_snapshot(ctx->em, s);
    act_answer_end(ctx);
}

int act_createNasVolumeSnapshot(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    if (nas_resolve(ctx, &v, err) < 0 || nas_usable(&v, true, err) < 0)
        return -1;
    /* snap + the time (yyyyMMddHHmmss), a suffix when one is taken that second */
    char date[NCP_DATE_LEN], digits[16];
    size_t k = 0;
    ncp_clock_fmt(ctx->now_ms, date, sizeof(date));
    for (const char *p = date; *p && *p != '+' && k < 14; p++)
        if (*p >= '0' && *p <= '9')
            digits[k++] = *p;
    digits[k] = '\0';
    ncp_nas_snapshot_t s = {v.no, NULL, ctx->now_ms, 0};
    for (int i = 1;; i++) {
        s.name = i == 1 ? ncp_arena_printf(ctx->arena, "snap%s", digits)
                        : ncp_arena_printf(ctx->arena, "snap%s_%d", digits, i);
        ncp_nas_snapshot_t old;
        int r = ncp_store_nas_snapshot_get(ctx->st, ctx->arena, v.no, s.name, &old, err);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
    }
    if (ncp_store_nas_snapshot_put(ctx->st, &s, err) < 0)
        return -1;
    answer_snapshot(ctx, &s);
    return 0;
}

static int snapshot_of_request(ncp_ctx_t *ctx, const ncp_nas_t *v, ncp_nas_snapshot_t *s,
                               ncp_err_t *err)
{
    const ncp_arg_t *name = ncp_arg(&ctx->args, "nasVolumeSnapshotName");
    int r = ncp_store_nas_snapshot_get(ctx->st, ctx->arena, v->no, name->s, s, err);
    if (r == 0)
        ncp_err_set(err, NCP_E_INVALID_PARAM, "nasVolumeSnapshotName");
    return r == 1 ? 0 : -1;
}

int act_deleteNasVolumeSnapshot(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    ncp_nas_snapshot_t s;
    if (nas_resolve(ctx, &v, err) < 0 || snapshot_of_request(ctx, &v, &s, err) < 0 ||
        ncp_store_nas_snapshot_delete(ctx->st, v.no, s.name, err) < 0)
        return -1;
    answer_snapshot(ctx, &s);
    return 0;
}

int act_restoreNasVolumeWithSnapshot(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    ncp_nas_snapshot_t s;
    if (nas_resolve(ctx, &v, err) < 0 || snapshot_of_request(ctx, &v, &s, err) < 0 ||
        nas_usable(&v, true, err) < 0)
        return -1;
    answer_snapshot(ctx, &s); /* the data is the snapshot's from now on (none is simulated) */
    return 0;
}

typedef struct snaps {
    ncp_ctx_t *ctx;
    ncp_nas_snapshot_t *v;
    size_t n, cap;
} snaps_t;

static int collect_snapshot(void *p, const ncp_nas_snapshot_t *s)
{
    snaps_t *ss = p;
    ss->v = ncp_arena_grow(ss->ctx->arena, ss->v, ss->n, &ss->cap, sizeof(*ss->v), 8);
    ss->v[ss->n++] = *s;
    return 0;
}

int act_getNasVolumeSnapshotList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    snaps_t ss = {ctx, NULL, 0, 0};
    if (nas_resolve(ctx, &v, err) < 0 ||
        ncp_store_nas_snapshot_list(ctx->st, ctx->arena, v.no, collect_snapshot, &ss, err) < 0)
        return -1;
    act_answer_begin(ctx, (int64_t)ss.n, "nasVolumeSnapshotList", "nasVolumeSnapshot");
    for (size_t i = 0; i < ss.n; i++)
        emit_snapshot(ctx->em, &ss.v[i]);
    act_answer_end(ctx);
    return 0;
}

int act_changeNasVolumeSnapshotConfiguration(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_nas_t v;
    if (nas_resolve(ctx, &v, err) < 0 || nas_usable(&v, true, err) < 0)
        return -1;
    const ncp_arg_t *day = ncp_arg(A, "snapshotVolumeConfigDayOfWeekTypeCode");
    const ncp_arg_t *time_a = ncp_arg(A, "snapshotVolumeConfigTime");
    v.snap_ratio = (int)ncp_arg(A, "snapshotVolumeConfigurationRatio")->i;
    v.snap_day = day->present ? day->s : "";
    v.snap_time = time_a->present ? (int)time_a->i : -1;
    ncp_nas_history_t h = {v.no, 0, v.snap_ratio, v.snap_day, v.snap_time, ctx->now_ms};
    if (ncp_store_nas_put(ctx->st, &v, err) < 0 || ncp_store_nas_history_add(ctx->st, &h, err) < 0)
        return -1;
    answer_volume(ctx, &v);
    return 0;
}

typedef struct hist {
    ncp_ctx_t *ctx;
    ncp_nas_history_t *v;
    size_t n, cap;
} hist_t;

static int collect_history(void *p, const ncp_nas_history_t *h)
{
    hist_t *hs = p;
    hs->v = ncp_arena_grow(hs->ctx->arena, hs->v, hs->n, &hs->cap, sizeof(*hs->v), 8);
    hs->v[hs->n++] = *h;
    return 0;
}

int act_getNasVolumeSnapshotConfigurationHistoryList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_nas_t v;
    hist_t hs = {ctx, NULL, 0, 0};
    if (nas_resolve(ctx, &v, err) < 0 ||
        ncp_store_nas_history_list(ctx->st, ctx->arena, v.no, collect_history, &hs, err) < 0)
        return -1;
    ncp_emit_t *e = ctx->em;
    act_answer_begin(ctx, (int64_t)hs.n, "nasVolumeSnapshotConfigurationHistoryList",
                     "nasVolumeSnapshotConfigurationHistory");
    for (size_t i = 0; i < hs.n; i++) {
        const ncp_nas_history_t *h = &hs.v[i];
        bool weekly = h->ratio > 0 && h->day[0];
        ncp_emit_obj_begin(e, NULL);
        act_emit_no(e, "nasVolumeInstanceNo", h->nas_no);
        act_emit_no(e, "historySequenceNo", h->seq);
        ncp_emit_code(e, "historyType", "CHNG", "Snapshot configuration change");
        ncp_emit_str(e, "ip", "");
        act_emit_date(e, "registerDate", h->register_ms);
        act_emit_num(e, "snapshotVolumeConfigurationRatio",
                     ncp_arena_printf(ctx->arena, "%d.0", h->ratio));
        ncp_emit_code(e, "snapshotVolumeConfigPeriodType",
                      h->ratio > 0 ? (weekly ? "WEEK" : "DAY") : "",
                      h->ratio > 0 ? (weekly ? "Weekly" : "Daily") : "");
        ncp_emit_code(e, "snapshotVolumeConfigDayOfWeekType", weekly ? h->day : "",
                      weekly ? act_day_name(h->day) : "");
        ncp_emit_int(e, "snapshotVolumeConfigTime", h->time >= 0 ? h->time : 0);
        ncp_emit_obj_end(e);
    }
    act_answer_end(ctx);
    return 0;
}

/* ---- rating ------------------------------------------------------------------------------ */

/* yyyyMMddHHmm as minutes since the epoch of a calendar without zones */
static int parse_minute(const char *s, int64_t *out)
{
    struct tm tm = {0};
    int y, mo, d, h, mi;
    char tail;
    if (strlen(s) != 12 || strspn(s, "0123456789") != 12 ||
        sscanf(s, "%4d%2d%2d%2d%2d%c", &y, &mo, &d, &h, &mi, &tail) != 5)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    time_t t = timegm(&tm);
    struct tm back;
    if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mon != mo - 1 || back.tm_mday != d ||
        back.tm_hour != h || back.tm_min != mi || y < 1970)
        return -1;
    *out = (int64_t)t / 60;
    return 0;
}

/* NasVolumeInstanceRating after ratingTime: the volume's, then its snapshot area's */
static const char *const rating_fields[2][10] = {
    {"volumeSize", "volumeUseSize", "volumeUseRatio", "averageVolumeSize",
     "averageVolumeUseSize", "averageVolumeUseRatio", "maxVolumeUseSize", "maxVolumeUseRatio",
     "minVolumeUseSize", "minVolumeUseRatio"},
    {"snapshotVolumeSize", "snapshotVolumeUseSize", "snapshotVolumeUseRatio",
     "snapshotAverageVolumeSize", "snapshotAverageVolumeUseSize", "snapshotAverageVolumeUseRatio",
     "snapshotMaxVolumeUseSize", "snapshotMaxVolumeUseRatio", "snapshotMinVolumeUseSize",
     "snapshotMinVolumeUseRatio"},
};

int act_getNasVolumeInstanceRatingList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_nas_t v;
    if (nas_resolve(ctx, &v, err) < 0)
        return -1;
    int64_t from, to;
    if (parse_minute(ncp_arg(A, "startTime")->s, &from) < 0) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "startTime");
        return -1;
    }
    if (parse_minute(ncp_arg(A, "endTime")->s, &to) < 0 || to < from) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "endTime");
        return -1;
    }
    const char *iv = ncp_arg(A, "interval")->s;
    int64_t step = strcmp(iv, "5m") == 0    ? 5
                   : strcmp(iv, "30m") == 0 ? 30
                   : strcmp(iv, "2h") == 0  ? 120
                                            : 1440;
    int64_t n = (to - from) / step + 1;
    if (n > 1000) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "interval");
        return -1;
    }
    int64_t snap = v.size / 100 * v.snap_ratio;
    ncp_emit_t *e = ctx->em;
    act_answer_begin(ctx, n, "nasVolumeInstanceRatingList", "nasVolumeInstanceRating");
    for (int64_t i = 0; i < n; i++) {
        time_t t = (time_t)((from + i * step) * 60);
        struct tm tm;
        char when[16];
        gmtime_r(&t, &tm);
        strftime(when, sizeof(when), "%Y%m%d%H%M", &tm);
        ncp_emit_obj_begin(e, NULL);
        ncp_emit_str(e, "ratingTime", when);
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 10; j++) {
                if (j == 0 || j == 3) /* the size, and its average */
                    ncp_emit_int(e, rating_fields[k][j], k ? snap : v.size);
                else if (j == 2 || j == 5 || j == 7 || j == 9) /* ratios */
                    act_emit_num(e, rating_fields[k][j], "0.0");
                else
                    ncp_emit_int(e, rating_fields[k][j], 0);
            }
        ncp_emit_obj_end(e);
    }
    act_answer_end(ctx);
    return 0;
}

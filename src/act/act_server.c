/* act_server.c: server instance actions (server-instance.md §4). */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_int.h"
#include "domain/state.h"
#include "render/envelope.h"
#include "util/crypto.h"
#include "util/rand.h"
#include "util/utf8.h"

/* Storage work pending on s? (25014 is told apart from other transitions) */
static int storage_busy(ncp_ctx_t *ctx, const ncp_server_t *s, bool *out, ncp_err_t *err)
{
    *out = false;
    if (s->op == NCP_OP_NULL)
        return 0;
    ncp_trans_t t;
    int r = ctx->so->trans_get(ctx->st, ctx->arena, s->no, &t, err);
    if (r < 0)
        return -1;
    *out = r == 1 && t.kind == NCP_TR_STORAGE;
    return 0;
}

/* stop / start / reboot / terminate share one shape (DECISIONS D2):
 * resolve every number, check every state, then act on each server; the
 * driver may fail some (22001) or all (1300). */
static int transition_many(ncp_ctx_t *ctx, ncp_tr_kind_t kind, ncp_err_t *err)
{
    ncp_server_t *v;
    size_t n;
    if (act_servers_resolve(ctx, "serverInstanceNoList", &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        bool storage;
        if (storage_busy(ctx, &v[i], &storage, err) < 0 ||
            ncp_state_check(kind, v[i].status, v[i].op, storage, err) < 0)
            return -1;
        if (kind == NCP_TR_TERMINATE && v[i].protect) {
            ncp_err_set(err, NCP_E_TERMINATE_PROTECTED);
            return -1;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (act_claim(ctx, &v[i], kind, NULL, err) < 0)
            return -1;
    return 0;
}

int act_stopServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_STOP, err);
}

int act_startServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_START, err);
}

int act_rebootServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_REBOOT, err);
}

int act_terminateServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_TERMINATE, err);
}

int act_changeServerInstanceSpec(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_arg_t *no = ncp_arg(&ctx->args, "serverInstanceNo");
    const ncp_arg_t *code = ncp_arg(&ctx->args, "serverProductCode");
    ncp_server_t s;
    if (act_server_resolve(ctx, no->s, no->len, &s, err) < 0)
        return -1;
    const ncp_product_t *p = ncp_catalog_product(code->s);
    const ncp_image_t *img = ncp_catalog_image(s.image_code);
    if (!p || (img ? !ncp_catalog_fits(img, p) : p->base_size != s.base_size)) {
        ncp_err_set(err, NCP_E_PRODUCT_NOT_FOUND);
        return -1;
    }
    if (strcmp(p->code, s.product_code) == 0) {
        ncp_err_set(err, NCP_E_SAME_SPEC);
        return -1;
    }
    bool storage;
    if (storage_busy(ctx, &s, &storage, err) < 0 ||
        ncp_state_check(NCP_TR_CHANGE_SPEC, s.status, s.op, storage, err) < 0)
        return -1;
    return act_claim(ctx, &s, NCP_TR_CHANGE_SPEC, p->code, err);
}

int act_setProtectServerTermination(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_arg_t *no = ncp_arg(&ctx->args, "serverInstanceNo");
    ncp_server_t s;
    if (act_server_resolve(ctx, no->s, no->len, &s, err) < 0)
        return -1;
    s.protect = ncp_arg(&ctx->args, "isProtectServerTermination")->b;
    if (ctx->so->server_put(ctx->st, &s, err) < 0)
        return -1;
    act_respond_servers(ctx, NULL, &s, NULL, 1, 1);
    return 0;
}

/* ---- createServerInstances ---------------------------------------------- */

/* Server names: lower-case letters, digits and '-', starting with a letter
 * and not ending with '-' (server-instance.md §4.2, length by the table). */
static bool server_name_ok(const char *s, size_t len)
{
    if (!len || s[0] < 'a' || s[0] > 'z' || s[len - 1] == '-')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* Generated names are "s" + hex milliseconds, like the seed's s1669aa4e78c.
 * The stamp never repeats within the process (at most one name per
 * millisecond, running ahead of the clock under bursts), so a busy create
 * loop does not probe its way through names already taken. */
static uint64_t name_stamp(int64_t now_ms)
{
    static _Atomic uint64_t last;
    uint64_t prev = atomic_load(&last), next;
    do {
        next = (uint64_t)now_ms > prev ? (uint64_t)now_ms : prev + 1;
    } while (!atomic_compare_exchange_weak(&last, &prev, next));
    return next;
}

/* A private IP of the zone that no live server uses: 10.(39+zone).x.y. */
static int allocate_ip(ncp_ctx_t *ctx, int64_t zone_no, const char **out, ncp_err_t *err)
{
    char counter[32], ip[32];
    snprintf(counter, sizeof(counter), "private_ip.%" PRId64, zone_no);
    for (int tries = 0; tries < 1000; tries++) {
        int64_t k;
        if (ctx->so->counter_next(ctx->st, counter, 10, &k, err) < 0)
            return -1;
        k %= 254 * 256;
        snprintf(ip, sizeof(ip), "10.%d.%d.%d", (int)((39 + zone_no) % 256), (int)(k / 254),
                 (int)(k % 254 + 1));
        int r = ctx->so->private_ip_taken(ctx->st, zone_no, ip, err);
        if (r < 0)
            return -1;
        if (r == 0) {
            *out = ncp_arena_strdup(ctx->arena, ip);
            return 0;
        }
    }
    ncp_err_internal(err, "no free private IP in zone %" PRId64, zone_no);
    return -1;
}

/* userData arrives Base64-encoded; store the script text when it decodes to
 * UTF-8 (the docs echo plain text back), else keep what was sent. */
static const char *decode_user_data(ncp_ctx_t *ctx, const ncp_arg_t *a)
{
    if (!a->present)
        return "";
    uint8_t *out = ncp_arena_alloc(ctx->arena, a->len + 1);
    long n = ncp_b64_decode(a->s, a->len, out, a->len);
    if (n < 0 || memchr(out, '\0', (size_t)n) || !ncp_utf8_valid((const char *)out, (size_t)n))
        return a->s;
    out[n] = '\0';
    return (const char *)out;
}

static int first_acg(void *p, const ncp_acg_t *g)
{
    ncp_acg_t *out = p;
    if (!out->no)
        *out = *g;
    return 0;
}

static int newest_key(void *p, const ncp_login_key_t *k)
{
    ncp_login_key_t *out = p;
    if (!out->name)
        *out = *k;
    return 0;
}

int act_createServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *img_a = ncp_arg(A, "serverImageProductCode");
    if (!img_a->present && !ncp_arg(A, "memberServerImageNo")->present) {
        ncp_err_set(err, NCP_E_REQUIRED, "serverImageProductCode or memberServerImageNo");
        return -1;
    }
    const ncp_image_t *img = img_a->present ? ncp_catalog_image(img_a->s) : NULL;
    if (!img || ncp_arg(A, "memberServerImageNo")->present) {
        /* any memberServerImageNo too: no member images exist yet */
        ncp_err_set(err, NCP_E_PRODUCT_NOT_FOUND);
        return -1;
    }
    if ((ncp_drv_flags(&ctx->app->drv) & NCP_DRV_F_BOOT) && !ncp_catalog_image_boot(img)) {
        ncp_err_set(err, NCP_E_NO_BOOT_SOURCE, img->code);
        return -1;
    }
    const ncp_arg_t *prod_a = ncp_arg(A, "serverProductCode");
    const ncp_product_t *prod =
        prod_a->present ? ncp_catalog_product(prod_a->s) : ncp_catalog_default_product(img);
    if (!prod || !ncp_catalog_fits(img, prod)) {
        ncp_err_set(err, NCP_E_PRODUCT_NOT_FOUND);
        return -1;
    }

    /* names */
    const ncp_arg_t *name_a = ncp_arg(A, "serverName");
    if (name_a->present && !server_name_ok(name_a->s, name_a->len)) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "serverName");
        return -1;
    }
    int64_t count = ncp_arg(A, "serverCreateCount")->present ? ncp_arg(A, "serverCreateCount")->i : 1;
    const ncp_arg_t *start_a = ncp_arg(A, "serverCreateStartNo");
    int64_t start_no = start_a->present ? start_a->i : 1;
    if (count + start_no > 1000) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "serverCreateStartNo");
        return -1;
    }
    const char **names = ncp_arena_alloc(ctx->arena, (size_t)count * sizeof(char *));
    for (int64_t i = 0; i < count; i++) {
        for (;;) {
            if (!name_a->present)
                names[i] = ncp_arena_printf(ctx->arena, "s%" PRIx64, name_stamp(ctx->now_ms));
            else if (count == 1)
                names[i] = name_a->s;
            else
                names[i] = ncp_arena_printf(ctx->arena, "%s-%03" PRId64, name_a->s, start_no + i);
            int r = ctx->so->server_name_taken(ctx->st, ctx->account_id, names[i], err);
            if (r < 0)
                return -1;
            if (r == 0)
                break;
            if (name_a->present) {
                ncp_err_set(err, NCP_E_NAME_IN_USE);
                return -1;
            }
        }
    }

    /* zone */
    const ncp_zone_t *zone = ncp_catalog_default_zone();
    const ncp_arg_t *zone_a = ncp_arg(A, "zoneNo");
    if (zone_a->present)
        zone = ncp_catalog_zone(act_no(zone_a->s));
    if (!zone) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "zoneNo");
        return -1;
    }

    /* login key */
    ncp_login_key_t key = {0};
    const ncp_arg_t *key_a = ncp_arg(A, "loginKeyName");
    int64_t total;
    int r = key_a->present
                ? ctx->so->login_key_get(ctx->st, ctx->arena, ctx->account_id, key_a->s, &key, err)
                : ctx->so->login_key_list(ctx->st, ctx->arena, ctx->account_id, NULL, 0, 1,
                                          &total, newest_key, &key, err);
    if (r < 0)
        return -1;
    if (!key.name) {
        ncp_err_set(err, NCP_E_KEY_NOT_FOUND);
        return -1;
    }

    /* access control groups */
    const ncp_arg_t *acg_a = ncp_arg(A, "accessControlGroupConfigurationNoList");
    size_t n_acgs = acg_a->present ? acg_a->n : 1;
    ncp_acg_t *acgs = ncp_arena_alloc(ctx->arena, n_acgs * sizeof(ncp_acg_t));
    if (acg_a->present) {
        for (size_t i = 0; i < acg_a->n; i++) {
            int64_t no = act_no(acg_a->items[i]);
            for (size_t k = 0; k < i; k++)
                if (acgs[k].no == no) {
                    ncp_err_set(err, NCP_E_DUPLICATE, "accessControlGroupConfigurationNoList",
                                acg_a->items[i]);
                    return -1;
                }
            r = ctx->so->acg_get(ctx->st, ctx->arena, no, &acgs[i], err);
            if (r < 0)
                return -1;
            if (r == 0 || acgs[i].account_id != ctx->account_id) {
                ncp_err_set(err, NCP_E_ACG_NOT_OWNED, acg_a->items[i]);
                return -1;
            }
        }
    } else {
        ncp_acg_filter_t f = {.account_id = ctx->account_id, .is_default = 1};
        if (ctx->so->acg_list(ctx->st, ctx->arena, &f, &total, first_acg, &acgs[0], err) < 0)
            return -1;
        if (!acgs[0].no)
            n_acgs = 0;
    }

    /* init script, tags, partitions */
    const ncp_arg_t *script_a = ncp_arg(A, "initScriptNo");
    if (script_a->present && script_a->len) {
        const ncp_catalog_t *c = ncp_catalog();
        bool found = false;
        for (size_t i = 0; i < c->n_scripts; i++)
            found |= strcmp(c->scripts[i].no, script_a->s) == 0;
        if (!found) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, "initScriptNo");
            return -1;
        }
    }
    const ncp_arg_t *tags_a = ncp_arg(A, "instanceTagList");
    ncp_tag_t *tags = ncp_arena_alloc(ctx->arena, (tags_a->n ? tags_a->n : 1) * sizeof(ncp_tag_t));
    for (size_t i = 0; i < tags_a->n; i++) {
        tags[i].key = ncp_arg_field(A, "instanceTagList", i, "tagKey");
        tags[i].value = ncp_arg_field(A, "instanceTagList", i, "tagValue");
        if (!tags[i].key || !*tags[i].key || strlen(tags[i].key) > 255 ||
            (tags[i].value && strlen(tags[i].value) > 255)) {
            char loc[64];
            snprintf(loc, sizeof(loc), "instanceTagList.%zu.tagKey", i + 1);
            ncp_err_set(err, tags[i].key ? NCP_E_INVALID_PARAM : NCP_E_REQUIRED, loc);
            return -1;
        }
        if (!tags[i].value)
            tags[i].value = "";
    }
    const ncp_arg_t *parts_a = ncp_arg(A, "blockDevicePartitionList");
    ncp_partition_t *parts =
        ncp_arena_alloc(ctx->arena, (parts_a->n ? parts_a->n : 1) * sizeof(ncp_partition_t));
    for (size_t i = 0; i < parts_a->n; i++) {
        parts[i].mount_point = ncp_arg_field(A, "blockDevicePartitionList", i, "mountPoint");
        parts[i].size = ncp_arg_field(A, "blockDevicePartitionList", i, "partitionSize");
        if (!parts[i].mount_point || !parts[i].size) {
            char loc[64];
            snprintf(loc, sizeof(loc), "blockDevicePartitionList.%zu.%s", i + 1,
                     parts[i].mount_point ? "partitionSize" : "mountPoint");
            ncp_err_set(err, NCP_E_REQUIRED, loc);
            return -1;
        }
    }
    const ncp_arg_t *desc_a = ncp_arg(A, "serverDescription");
    const char *user_data = decode_user_data(ctx, ncp_arg(A, "userData"));

    /* everything is valid: create (one transaction, all or nothing) */
    ncp_server_t *v = ncp_arena_alloc(ctx->arena, (size_t)count * sizeof(ncp_server_t));
    for (int64_t i = 0; i < count; i++) {
        ncp_server_t *s = &v[i];
        char pw[13];
        static const char pw_chars[] =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#*+-";
        ncp_rand_string(pw, 12, pw_chars);
        s->account_id = ctx->account_id;
        if (ctx->so->instance_next_no(ctx->st, &s->no, err) < 0 ||
            ctx->so->instance_next_no(ctx->st, &s->basic_storage_no, err) < 0 ||
            allocate_ip(ctx, zone->no, &s->private_ip, err) < 0 ||
            act_password_seal(ctx, pw, &s->root_password, err) < 0)
            return -1;
        s->name = names[i];
        s->description = desc_a->present ? desc_a->s : "";
        s->cpu = prod->cpu;
        s->memory = prod->memory;
        s->base_size = img->base_size;
        s->platform = img->platform;
        s->login_key = key.name;
        s->public_ip = "";
        s->image_name = img->name;
        s->image_code = img->code;
        s->product_code = prod->code;
        s->status = NCP_ST_INIT;
        s->op = NCP_OP_NULL;
        s->create_ms = s->uptime_ms = ctx->now_ms;
        s->protect = ncp_arg(A, "isProtectServerTermination")->b;
        s->pf_public_ip = ncp_arena_printf(ctx->arena, "106.10.%d.%d",
                                           (int)(50 + ctx->account_id / 250 % 200),
                                           (int)(ctx->account_id % 250 + 1));
        s->zone_no = zone->no;
        s->disk_type = prod->disk_type;
        s->disk_detail = prod->disk_detail;
        s->instance_type = prod->product_type;
        s->user_data = user_data;
        s->init_script_no = script_a->present ? script_a->s : "";
        s->acgs = acgs;
        s->n_acgs = n_acgs;
        s->tags = tags;
        s->n_tags = tags_a->n;
        s->parts = parts;
        s->n_parts = parts_a->n;
        ncp_instance_t in = {s->no, NCP_KIND_SERVER, ctx->account_id, false};
        ncp_instance_t disk = {s->basic_storage_no, NCP_KIND_STORAGE, ctx->account_id, false};
        if (ctx->so->server_put(ctx->st, s, err) < 0 ||
            ctx->so->instance_put(ctx->st, &in, err) < 0 ||
            ctx->so->instance_put(ctx->st, &disk, err) < 0 ||
            act_claim(ctx, s, NCP_TR_CREATE, NULL, err) < 0)
            return -1;
    }
    return 0;
}

static const char *const *strs(const ncp_arg_t *a)
{
    return (const char *const *)a->items;
}

int act_getServerInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_server_filter_t f = {.account_id = ctx->account_id, .status = -1};
    const ncp_arg_t *nos = ncp_arg(A, "serverInstanceNoList");
    f.nos = act_nos(ctx, nos);
    f.n_nos = nos->n;
    const ncp_arg_t *fname = ncp_arg(A, "searchFilterName");
    const ncp_arg_t *fval = ncp_arg(A, "searchFilterValue");
    if (fval->present && !fname->present) {
        ncp_err_set(err, NCP_E_REQUIRED, "searchFilterName");
        return -1;
    }
    if (fname->present && fval->present) {
        if (strcmp(fname->s, "ip") == 0)
            f.ip = fval->s;
        else
            f.name_substr = fval->s;
    }
    const ncp_arg_t *a = ncp_arg(A, "serverInstanceStatusCode");
    if (a->present)
        f.status = ncp_state_status_parse(a->s);
    a = ncp_arg(A, "regionNo");
    if (a->present)
        f.region_no = act_no(a->s);
    a = ncp_arg(A, "zoneNo");
    if (a->present)
        f.zone_no = act_no(a->s);
    a = ncp_arg(A, "baseBlockStorageDiskTypeCode");
    if (a->present)
        f.disk_type = a->s;
    a = ncp_arg(A, "baseBlockStorageDiskDetailTypeCode");
    if (a->present)
        f.disk_detail = a->s;
    a = ncp_arg(A, "serverInstanceTypeCodeList");
    f.types = strs(a);
    f.n_types = a->n;
    a = ncp_arg(A, "tagKeyList");
    f.tag_keys = strs(a);
    f.n_tag_keys = a->n;
    a = ncp_arg(A, "tagValueList");
    f.tag_values = strs(a);
    f.n_tag_values = a->n;
    a = ncp_arg(A, "sortedBy");
    f.sort_by_name = a->present && strcmp(a->s, "serverName") == 0;
    a = ncp_arg(A, "sortingOrder");
    f.descending = a->present && strcmp(a->s, "descending") == 0;
    act_page(A, &f.offset, &f.limit);

    /* userData is shown when exactly one server is named (a detail look-up) */
    ctx->detail = nos->present && nos->n == 1;
    act_rows_t r = {ctx, 0, false, "serverInstanceList", "serverInstance"};
    if (ctx->so->server_list(ctx->st, ctx->arena, &f, &r.total, act_server_probe, act_server_row,
                             &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

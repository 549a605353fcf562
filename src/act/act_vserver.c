/* act_vserver.c: VPC servers (spec/vpc/vserver.md §1-§3), root passwords
 * (§3.7), login keys (§7) and init scripts (§6).
 *
 * A VPC server is a server of the one engine: a servers row (flagged as
 * the VPC platform's, never listed by the classic API), the state machine
 * of state.c and the claim, act, confirm driver path (act_claim), plus its
 * VPC fields (subnet, interfaces, spec code, image number, hypervisor).
 * Its interfaces, basic storage and public IP are objects of their own
 * (act_vnic.c, act_vstorage.c) that follow it when it is created and gone.
 * Error codes of the server actions are the classic ones (24109, 24120,
 * 25041, 28005, 25022, 25023, 10300, 10406, 10503), the spec's proposal for
 * VPC; catalogue errors are the VPC platform's (10712 with its two spaces,
 * 1401). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_vint.h"
#include "domain/catalog.h"
#include "domain/state.h"
#include "render/envelope.h"
#include "store/store_hv.h"
#include "store/store_vpc.h"
#include "store/store_vserver.h"
#include "store/store_vstorage.h"
#include "util/crypto.h"
#include "util/rand.h"

/* ---- rendering ---------------------------------------------------------------------- */

void act_vserver_emit(ncp_ctx_t *ctx, const ncp_server_t *s)
{
    ncp_emit_t *e = ctx->em;
    const ncp_vserver_t *v = s->vpc;
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "serverInstanceNo", s->no);
    ncp_emit_str(e, "serverName", s->name);
    ncp_emit_str(e, "serverDescription", s->description);
    ncp_emit_int(e, "cpuCount", s->cpu);
    ncp_emit_int(e, "memorySize", s->memory);
    ncp_emit_code(e, "platformType", s->platform, ncp_catalog_platform_name(s->platform));
    ncp_emit_str(e, "loginKeyName", s->login_key);
    if (v->public_ip_no)
        act_emit_no(e, "publicIpInstanceNo", v->public_ip_no);
    else
        ncp_emit_str(e, "publicIpInstanceNo", "");
    ncp_emit_str(e, "publicIp", v->public_ip);
    ncp_emit_code(e, "serverInstanceStatus", ncp_state_status_code(s->status),
                  ncp_state_status_code_name(s->status));
    ncp_emit_code(e, "serverInstanceOperation", ncp_state_op_code(s->op),
                  ncp_state_op_code_name(s->op));
    ncp_emit_str(e, "serverInstanceStatusName", ncp_state_label(s->status, s->op));
    actv_emit_date(e, "createDate", s->create_ms);
    actv_emit_date(e, "uptime", s->uptime_ms);
    ncp_emit_str(e, "serverImageProductCode", s->image_code);
    ncp_emit_str(e, "serverProductCode", s->product_code);
    ncp_emit_bool(e, "isProtectServerTermination", s->protect);
    ncp_emit_str(e, "zoneCode", v->zone);
    ncp_emit_str(e, "regionCode", v->region);
    act_emit_no(e, "vpcNo", v->vpc_no);
    act_emit_no(e, "subnetNo", v->subnet_no);
    actv_emit_nos(e, "networkInterfaceNoList", "networkInterfaceNo", v->nics, v->n_nics);
    ncp_emit_str(e, "initScriptNo", s->init_script_no);
    ncp_emit_code(e, "serverInstanceType", s->instance_type,
                  ncp_vcatalog_type_name(s->instance_type));
    ncp_emit_code(e, "baseBlockStorageDiskType", "NET", "Network Storage");
    if (strcmp(v->hypervisor, "XEN") == 0 && *s->disk_detail) /* absent on KVM (BLOG1) */
        ncp_emit_code(e, "baseBlockStorageDiskDetailType", s->disk_detail,
                      ncp_catalog_disk_detail_name(s->disk_detail));
    ncp_emit_str(e, "placementGroupNo", "");
    ncp_emit_str(e, "placementGroupName", "");
    ncp_emit_str(e, "memberServerImageInstanceNo", "");
    if (s->n_parts) {
        ncp_emit_list_begin(e, "blockDevicePartitionList", "blockDevicePartition");
        for (size_t i = 0; i < s->n_parts; i++) {
            ncp_emit_obj_begin(e, NULL);
            ncp_emit_str(e, "mountPoint", s->parts[i].mount_point);
            ncp_emit_str(e, "partitionSize", s->parts[i].size);
            ncp_emit_obj_end(e);
        }
        ncp_emit_list_end(e);
    }
    ncp_emit_code(e, "hypervisorType", v->hypervisor, v->hypervisor);
    ncp_emit_str(e, "serverImageNo", v->image_no);
    ncp_emit_str(e, "serverSpecCode", v->spec_code);
    ncp_emit_obj_end(e);
}

/* ---- servers ---------------------------------------------------------------------------- */

int act_vserver_getServerInstanceDetail(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *a = ncp_arg(&ctx->args, "serverInstanceNo");
    if (!ncp_spec_is_no(a->s, a->len)) {
        ncp_err_set(err, NCP_E_BAD_INSTANCE_NO);
        return -1;
    }
    /* unknown, terminated, another account's or another kind: an empty list,
     * which the provider's readers and waiters take as "gone" */
    ncp_instance_t in;
    ncp_server_t s;
    int r = ctx->so->instance_get(ctx->st, act_no(a->s), &in, err);
    if (r < 0)
        return -1;
    bool found = r == 1 && in.account_id == ctx->account_id && !in.deleted &&
                 in.kind == NCP_KIND_VSERVER;
    if (found) {
        r = ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id, in.no, &s, err);
        if (r < 0 || (r == 1 && actv_server_fields(ctx, &s, err) < 0))
            return -1;
        found = r == 1;
    }
    act_respond_servers(ctx, NULL, &s, NULL, found ? 1 : 0, found ? 1 : 0);
    return 0;
}

/* getServerInstanceList's filters (vserver.md §3.2; the classic semantics): a
 * case-insensitive substring of the name, an exact private or public IP. */
static bool vserver_matches(const ncp_args_t *A, const ncp_server_t *s)
{
    const ncp_arg_t *name = ncp_arg(A, "serverName"), *ip = ncp_arg(A, "ip");
    const ncp_arg_t *st = ncp_arg(A, "serverInstanceStatusCode");
    const ncp_arg_t *dt = ncp_arg(A, "baseBlockStorageDiskTypeCode");
    const ncp_arg_t *dd = ncp_arg(A, "baseBlockStorageDiskDetailTypeCode");
    const ncp_vserver_t *v = s->vpc;
    if (!actv_in_list(ncp_arg(A, "serverInstanceNoList"), s->no) ||
        ncp_arg(A, "placementGroupNoList")->present || /* no placement groups exist */
        !actv_in_strs(ncp_arg(A, "hypervisorTypeCodeList"), v->hypervisor) ||
        !actv_arg_is(st, ncp_state_status_code(s->status)) ||
        !actv_arg_is(dt, s->disk_type) ||
        !actv_arg_is(dd, s->disk_detail) ||
        (ip->present && strcmp(ip->s, s->private_ip ? s->private_ip : "") != 0 &&
         strcmp(ip->s, v->public_ip ? v->public_ip : "") != 0))
        return false;
    return !name->present || strcasestr(s->name, name->s) != NULL;
}

static int by_name(const void *a, const void *b)
{
    const ncp_server_t *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->no > y->no) - (x->no < y->no);
}

int act_vserver_getServerInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    int64_t *nos;
    size_t n, m = 0;
    if (ncp_store_vserver_nos(ctx->st, ctx->arena, ctx->account_id,
                              actv_vpc_filter(ctx), &nos, &n, err) < 0)
        return -1;
    ncp_server_t *v = ncp_arena_alloc(ctx->arena, (n ? n : 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        int r = ctx->so->server_get(ctx->st, ctx->arena, ctx->account_id, nos[i], &v[m], err);
        if (r < 0 || (r == 1 && actv_server_fields(ctx, &v[m], err) < 0))
            return -1;
        if (r == 1 && strcmp(v[m].vpc->region, region->code) == 0 && vserver_matches(A, &v[m]))
            m++;
    }
    const ncp_arg_t *sorted = ncp_arg(A, "sortedBy"), *order = ncp_arg(A, "sortingOrder");
    if (sorted->present && strcmp(sorted->s, "serverName") == 0)
        qsort(v, m, sizeof(*v), by_name);
    if (order->present && strcmp(order->s, "descending") == 0)
        for (size_t i = 0; i < m / 2; i++) {
            ncp_server_t t = v[i];
            v[i] = v[m - 1 - i];
            v[m - 1 - i] = t;
        }
    size_t from, to;
    actv_page(ctx, m, &from, &to);
    act_respond_servers(ctx, NULL, v + from, NULL, to - from, (int64_t)m);
    return 0;
}

/* serverInstanceNoList in list order (DECISIONS D2): malformed or another
 * kind of the caller's 24109, duplicate 1100000, unknown 24120. */
static int resolve_list(ncp_ctx_t *ctx, ncp_server_t **out, size_t *n_out, ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, "serverInstanceNoList");
    ncp_server_t *v = ncp_arena_alloc(ctx->arena, (a->n ? a->n : 1) * sizeof(*v));
    for (size_t i = 0; i < a->n; i++) {
        if (actv_server(ctx, a->items[i], a->lens[i], &v[i], err) < 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            if (v[k].no == v[i].no) {
                char why[96];
                snprintf(why, sizeof(why), "serverInstanceNoList. duplicated value : %" PRId64,
                         v[i].no);
                ncp_err_set(err, NCP_E_V_INVALID, why);
                return -1;
            }
    }
    *out = v;
    *n_out = a->n;
    return 0;
}

static int transition_many(ncp_ctx_t *ctx, ncp_tr_kind_t kind, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_server_t *v;
    size_t n;
    if (actv_region(ctx, &region, err) < 0 || resolve_list(ctx, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (ncp_state_check(kind, v[i].status, v[i].op, false, err) < 0)
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

int act_vserver_stopServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_STOP, err);
}

int act_vserver_startServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_START, err);
}

int act_vserver_rebootServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_REBOOT, err);
}

int act_vserver_terminateServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    return transition_many(ctx, NCP_TR_TERMINATE, err);
}

/* The spec named by serverProductCode and / or serverSpecCode (they must
 * agree), or NULL when neither is given; unknown or not for the image: 1401. */
static int spec_of(ncp_ctx_t *ctx, const ncp_vimage_t *img, const ncp_vspec_t **out,
                   ncp_err_t *err)
{
    const ncp_arg_t *pc = ncp_arg(&ctx->args, "serverProductCode");
    const ncp_arg_t *sc = ncp_arg(&ctx->args, "serverSpecCode");
    const ncp_vspec_t *a = pc->present ? ncp_vcatalog_spec_by_product(pc->s) : NULL;
    const ncp_vspec_t *b = sc->present ? ncp_vcatalog_spec_by_code(sc->s) : NULL;
    *out = a ? a : b;
    if ((pc->present && !a) || (sc->present && !b) || (a && b && a != b) ||
        (*out && img && !ncp_vcatalog_fits(img, *out))) {
        ncp_err_set(err, NCP_E_V_SPEC_NOT_FOUND);
        return -1;
    }
    return 0;
}

int act_vserver_changeServerInstanceSpec(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    const ncp_arg_t *no = ncp_arg(&ctx->args, "serverInstanceNo");
    ncp_server_t s;
    if (actv_region(ctx, &region, err) < 0 || actv_server(ctx, no->s, no->len, &s, err) < 0)
        return -1;
    const ncp_vspec_t *spec;
    if (spec_of(ctx, ncp_vcatalog_image_by_no(s.vpc->image_no), &spec, err) < 0)
        return -1;
    if (!spec) {
        ncp_err_set(err, NCP_E_REQUIRED, "serverProductCode or serverSpecCode");
        return -1;
    }
    if (strcmp(spec->code, s.vpc->spec_code) == 0) {
        ncp_err_set(err, NCP_E_SAME_SPEC);
        return -1;
    }
    if (ncp_state_check(NCP_TR_CHANGE_SPEC, s.status, s.op, false, err) < 0)
        return -1;
    return act_claim(ctx, &s, NCP_TR_CHANGE_SPEC, spec->code, err);
}

int act_vserver_setProtectServerTermination(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    const ncp_arg_t *no = ncp_arg(&ctx->args, "serverInstanceNo");
    ncp_server_t s;
    if (actv_region(ctx, &region, err) < 0 || actv_server(ctx, no->s, no->len, &s, err) < 0)
        return -1;
    s.protect = ncp_arg(&ctx->args, "isProtectServerTermination")->b;
    if (ctx->so->server_put(ctx->st, &s, err) < 0)
        return -1;
    act_respond_servers(ctx, NULL, &s, NULL, 1, 1);
    return 0;
}

/* ---- createServerInstances ---------------------------------------------------------- */

/* One item of networkInterfaceList, checked. */
typedef struct nic_req {
    int order;
    ncp_vnic_t existing;  /* .no != 0: an existing NOTUSED interface */
    ncp_vsubnet_t subnet; /* the subnet of a new one */
    const char *ip;      /* asked for a new one, or NULL */
    int64_t acgs[NCP_NIC_MAX_ACGS];
    size_t n_acgs;
} nic_req_t;

static int nic_field_error(size_t k, const char *field, bool missing, const char *why,
                           ncp_err_t *err)
{
    char loc[160];
    snprintf(loc, sizeof(loc), "networkInterfaceList.%zu.%s%s%s", k + 1, field, why ? " " : "",
             why ? why : "");
    ncp_err_set(err, missing ? NCP_E_REQUIRED : NCP_E_V_INVALID, loc);
    return -1;
}

static int read_nics(ncp_ctx_t *ctx, const ncp_vpc_t *vpc, const ncp_vsubnet_t *subnet,
                     int64_t count, nic_req_t **out, size_t *n_out, ncp_err_t *err)
{
    const char *L = "networkInterfaceList";
    const ncp_arg_t *list = ncp_arg(&ctx->args, L);
    nic_req_t *v = ncp_arena_alloc(ctx->arena, list->n * sizeof(*v));
    bool have0 = false;
    for (size_t k = 0; k < list->n; k++) {
        nic_req_t *q = &v[k];
        const char *order = ncp_arg_field(&ctx->args, L, k, "networkInterfaceOrder");
        const char *nic = ncp_arg_field(&ctx->args, L, k, "networkInterfaceNo");
        const char *sub = ncp_arg_field(&ctx->args, L, k, "subnetNo");
        const char *ip = ncp_arg_field(&ctx->args, L, k, "ip");
        const char *acgs = ncp_arg_field(&ctx->args, L, k, "accessControlGroupNoList");
        if (!order)
            return nic_field_error(k, "networkInterfaceOrder", true, NULL, err);
        if (strlen(order) != 1 || order[0] < '0' || order[0] > '2')
            return nic_field_error(k, "networkInterfaceOrder", false, NULL, err);
        q->order = order[0] - '0';
        for (size_t i = 0; i < k; i++)
            if (v[i].order == q->order)
                return nic_field_error(k, "networkInterfaceOrder", false, "(duplicated)", err);
        have0 |= q->order == 0;
        if (nic) {
            int r;
            if (!ncp_spec_is_no(nic, strlen(nic)))
                return nic_field_error(k, "networkInterfaceNo", false, NULL, err);
            if ((r = ncp_store_vnic_get(ctx->st, ctx->arena, ctx->account_id, act_no(nic),
                                       &q->existing, err)) < 0)
                return -1;
            if (r == 0 || q->existing.vpc_no != vpc->no)
                return nic_field_error(k, "networkInterfaceNo", false, NULL, err);
            if (q->existing.server_no || strcmp(q->existing.status, "NOTUSED") != 0)
                return nic_field_error(k, "networkInterfaceNo", false, "(in use)", err);
            if (count > 1)
                return nic_field_error(k, "networkInterfaceNo", false,
                                       "(one interface, several servers)", err);
            if ((sub && act_no(sub) != q->existing.subnet_no) ||
                (q->order == 0 && q->existing.subnet_no != subnet->no))
                return nic_field_error(k, "subnetNo", false, NULL, err);
            for (size_t i = 0; i < k; i++)
                if (v[i].existing.no == q->existing.no)
                    return nic_field_error(k, "networkInterfaceNo", false, "(duplicated)", err);
            continue;
        }
        /* a new interface: its subnet (eth0: the server's), its ACGs */
        q->subnet = *subnet;
        if (sub) {
            int r;
            if (!ncp_spec_is_no(sub, strlen(sub)))
                return nic_field_error(k, "subnetNo", false, NULL, err);
            if ((r = ncp_store_vsubnet_get(ctx->st, ctx->arena, ctx->account_id, act_no(sub),
                                          &q->subnet, err)) < 0)
                return -1;
            if (r == 0 || q->subnet.vpc_no != vpc->no || strcmp(q->subnet.status, "RUN") != 0 ||
                (q->order == 0 && q->subnet.no != subnet->no))
                return nic_field_error(k, "subnetNo", false, NULL, err);
        }
        if (!acgs || !*acgs)
            return nic_field_error(k, "accessControlGroupNoList", true, NULL, err);
        const char *items[NCP_NIC_MAX_ACGS + 1];
        size_t n = 0;
        char *copy = ncp_arena_strdup(ctx->arena, acgs), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (n == NCP_NIC_MAX_ACGS)
                return nic_field_error(k, "accessControlGroupNoList", false,
                                       "(at most 3 ACGs)", err);
            items[n++] = t;
        }
        char loc[96];
        snprintf(loc, sizeof(loc), "%s.%zu.accessControlGroupNoList", L, k + 1);
        if (actv_acgs(ctx, items, n, vpc->no, loc, q->acgs, err) < 0)
            return -1;
        q->n_acgs = n;
        if (ip && count > 1)
            return nic_field_error(k, "ip", false, "(one address, several servers)", err);
        q->ip = ip;
    }
    if (!have0) {
        ncp_err_set(err, NCP_E_REQUIRED, "networkInterfaceList.N.networkInterfaceOrder 0");
        return -1;
    }
    *out = v;
    *n_out = list->n;
    return 0;
}

static int newest_key(void *p, const ncp_login_key_t *k)
{
    ncp_login_key_t *out = p;
    if (!out->name)
        *out = *k;
    return 0;
}

/* The classic catalogue's zone number of a zone code (the servers row keeps
 * one; 0 when the classic catalogue has no such zone). */
static int64_t classic_zone_no(const char *code)
{
    const ncp_catalog_t *c = ncp_catalog();
    for (size_t i = 0; i < c->n_zones; i++)
        if (strcmp(c->zones[i].code, code) == 0)
            return c->zones[i].no;
    return 0;
}

int act_vserver_createServerInstances(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;

    /* image and spec */
    const ncp_arg_t *img_code = ncp_arg(A, "serverImageProductCode");
    const ncp_arg_t *img_no = ncp_arg(A, "serverImageNo");
    const ncp_arg_t *member = ncp_arg(A, "memberServerImageInstanceNo");
    if (!img_code->present && !img_no->present && !member->present) {
        ncp_err_set(err, NCP_E_REQUIRED, "serverImageProductCode or memberServerImageInstanceNo");
        return -1;
    }
    const ncp_vimage_t *img = img_code->present ? ncp_vcatalog_image_by_code(img_code->s) : NULL;
    const ncp_vimage_t *by_no = img_no->present ? ncp_vcatalog_image_by_no(img_no->s) : NULL;
    if (member->present || (img_code->present && !img) || (img_no->present && !by_no) ||
        (img && by_no && img != by_no)) {
        ncp_err_set(err, NCP_E_V_PRODUCT_NOT_FOUND); /* no member images exist */
        return -1;
    }
    img = img ? img : by_no;
    if ((ncp_drv_flags(&ctx->app->drv) & NCP_DRV_F_BOOT) && !ncp_vcatalog_image_boot(img)) {
        /* a driver of real machines (--driver libvirt): only images whose catalogue
         * entry has a boot source can boot (the built-in VPC catalogue has none) */
        ncp_err_set(err, NCP_E_NO_BOOT_SOURCE, img->product_code);
        return -1;
    }
    const ncp_vspec_t *spec;
    if (spec_of(ctx, img, &spec, err) < 0)
        return -1;
    if (!spec && !(spec = ncp_vcatalog_default_spec(img))) {
        ncp_err_set(err, NCP_E_V_SPEC_NOT_FOUND);
        return -1;
    }

    /* network */
    ncp_vpc_t vpc;
    int r = ncp_store_vpc_get(ctx->st, ctx->arena, ctx->account_id, act_no(ncp_arg(A, "vpcNo")->s),
                              &vpc, err);
    if (r < 0)
        return -1;
    if (r == 0 || strcmp(vpc.status, "TERMTING") == 0) {
        ncp_err_set(err, NCP_E_V_INVALID, "vpcNo");
        return -1;
    }
    if (strcmp(vpc.status, "RUN") != 0) {
        ncp_err_set(err, NCP_E_V_VPC_BUSY);
        return -1;
    }
    ncp_vsubnet_t subnet;
    if ((r = ncp_store_vsubnet_get(ctx->st, ctx->arena, ctx->account_id,
                                  act_no(ncp_arg(A, "subnetNo")->s), &subnet, err)) < 0)
        return -1;
    if (r == 0 || subnet.vpc_no != vpc.no || strcmp(subnet.status, "RUN") != 0 ||
        (strcmp(subnet.usage, "GEN") != 0 && strcmp(subnet.usage, "BM") != 0)) {
        ncp_err_set(err, NCP_E_V_INVALID, "subnetNo");
        return -1;
    }
    bool with_ip = ncp_arg(A, "associateWithPublicIp")->b;
    if (with_ip && strcmp(subnet.type, "PUBLIC") != 0) {
        ncp_err_set(err, NCP_E_V_INVALID, "associateWithPublicIp (the subnet is private)");
        return -1;
    }
    static const char *const refused[][2] = {
        {"placementGroupNo", "placementGroupNo (no placement group exists)"},
        {"fabricClusterPoolNo", "fabricClusterPoolNo (no fabric cluster exists)"},
        {"blockStorageMappingList", "blockStorageMappingList (not supported by this ncpd)"},
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        if (ncp_arg(A, refused[i][0])->present) {
            ncp_err_set(err, NCP_E_V_INVALID, refused[i][1]);
            return -1;
        }

    /* names */
    const ncp_arg_t *name_a = ncp_arg(A, "serverName");
    if (name_a->present && !actv_name_ok(name_a->s, name_a->len)) {
        ncp_err_set(err, NCP_E_V_INVALID, "serverName");
        return -1;
    }
    int64_t count = ncp_arg(A, "serverCreateCount")->present ? ncp_arg(A, "serverCreateCount")->i : 1;
    const ncp_arg_t *start_a = ncp_arg(A, "serverCreateStartNo");
    int64_t start_no = start_a->present ? start_a->i : 1;
    if (count + start_no > 1000) {
        ncp_err_set(err, NCP_E_V_INVALID, "serverCreateStartNo");
        return -1;
    }
    const char **names = ncp_arena_alloc(ctx->arena, (size_t)count * sizeof(char *));
    for (int64_t i = 0; i < count; i++) {
        for (;;) {
            if (!name_a->present)
                actv_name(ctx, "serverName", "vs", &names[i], err);
            else if (count == 1)
                names[i] = name_a->s;
            else
                names[i] = ncp_arena_printf(ctx->arena, "%s-%03" PRId64, name_a->s, start_no + i);
            if ((r = ncp_store_vserver_name_taken(ctx->st, ctx->account_id, names[i], err)) < 0)
                return -1;
            if (r == 0)
                break;
            if (name_a->present) {
                ncp_err_set(err, NCP_E_NAME_IN_USE);
                return -1;
            }
        }
    }

    /* login key (shared with the classic API, as on the platform) */
    ncp_login_key_t key = {0};
    const ncp_arg_t *key_a = ncp_arg(A, "loginKeyName");
    int64_t total;
    r = key_a->present
            ? ctx->so->login_key_get(ctx->st, ctx->arena, ctx->account_id, key_a->s, &key, err)
            : ctx->so->login_key_list(ctx->st, ctx->arena, ctx->account_id, NULL, 0, 1, &total,
                                      newest_key, &key, err);
    if (r < 0)
        return -1;
    if (!key.name) {
        ncp_err_set(err, NCP_E_KEY_NOT_FOUND);
        return -1;
    }

    /* init script, description, partitions */
    const ncp_arg_t *script_a = ncp_arg(A, "initScriptNo");
    if (script_a->present) {
        ncp_vscript_t sc;
        if ((r = ncp_store_vscript_get(ctx->st, ctx->arena, ctx->account_id, act_no(script_a->s),
                                       &sc, err)) < 0)
            return -1;
        if (r == 0) {
            ncp_err_set(err, NCP_E_V_INVALID, "initScriptNo");
            return -1;
        }
    }
    const char *desc = actv_text(ctx, "serverDescription");
    if (strlen(desc) > 1000) {
        ncp_err_set(err, NCP_E_V_INVALID, "serverDescription");
        return -1;
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
    nic_req_t *nreq;
    size_t n_nreq;
    if (read_nics(ctx, &vpc, &subnet, count, &nreq, &n_nreq, err) < 0)
        return -1;
    bool encrypted = ncp_arg(A, "isEncryptedBaseBlockStorageVolume")->b;

    /* everything is valid: create (one transaction, all or nothing) */
    for (int64_t i = 0; i < count; i++) {
        ncp_server_t s = {0};
        ncp_vserver_t *vs = ncp_arena_alloc(ctx->arena, sizeof(*vs));
        char pw[13];
        static const char pw_chars[] =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#*+-";
        ncp_rand_string(pw, 12, pw_chars);
        s.account_id = ctx->account_id;
        if (actv_new_no(ctx, NCP_KIND_VSERVER, &s.no, err) < 0 ||
            act_password_seal(ctx, pw, &s.root_password, err) < 0)
            return -1;
        s.name = names[i];
        s.description = desc;
        s.cpu = spec->cpu;
        s.memory = spec->memory;
        s.base_size = img->base_size;
        s.platform = img->platform;
        s.login_key = key.name;
        s.public_ip = "";
        s.image_name = img->name;
        s.image_code = img->product_code;
        s.product_code = spec->product_code;
        s.status = NCP_ST_INIT;
        s.op = NCP_OP_NULL;
        s.create_ms = s.uptime_ms = ctx->now_ms;
        s.protect = ncp_arg(A, "isProtectServerTermination")->b;
        s.pf_public_ip = "";
        s.zone_no = classic_zone_no(subnet.zone);
        s.disk_type = "NET";
        s.disk_detail = spec->disk_detail;
        s.instance_type = spec->type;
        s.user_data = "";
        s.init_script_no = script_a->present ? ncp_arena_printf(ctx->arena, "%" PRId64,
                                                                act_no(script_a->s))
                                             : "";
        s.parts = parts;
        s.n_parts = parts_a->n;
        vs->vpc_no = vpc.no;
        vs->subnet_no = subnet.no;
        vs->region = region->code;
        vs->zone = subnet.zone;
        vs->spec_code = spec->code;
        vs->image_no = img->no;
        vs->hypervisor = img->hypervisor;
        vs->encrypted = encrypted;
        vs->public_ip = "";
        int64_t *nics = ncp_arena_alloc(ctx->arena, (n_nreq + 1) * sizeof(int64_t));
        /* interfaces: eth0 first, then by order */
        for (int order = 0; order <= 2; order++)
            for (size_t k = 0; k < n_nreq; k++) {
                if (nreq[k].order != order)
                    continue;
                ncp_vnic_t n = nreq[k].existing;
                if (!n.no) {
                    n = (ncp_vnic_t){.account_id = ctx->account_id, .vpc_no = vpc.no,
                                    .subnet_no = nreq[k].subnet.no, .description = "",
                                    .delete_on_termination = order == 0,
                                    .n_acgs = nreq[k].n_acgs, .create_ms = ctx->now_ms};
                    memcpy(n.acgs, nreq[k].acgs, sizeof(n.acgs));
                    if (actv_new_no(ctx, NCP_KIND_VNIC, &n.no, err) < 0 ||
                        actv_subnet_ip(ctx, &nreq[k].subnet, nreq[k].ip,
                                       "networkInterfaceList.N.ip", &n.ip, err) < 0)
                        return -1;
                    n.name = ncp_arena_printf(ctx->arena, "nic-%" PRIx64, (uint64_t)n.no);
                    n.mac = actv_mac(ctx, n.no);
                }
                n.server_no = s.no;
                n.device = order;
                n.is_default = order == 0;
                n.status = "SET";
                if (order == 0)
                    s.private_ip = n.ip;
                if (ncp_store_vnic_put(ctx->st, &n, err) < 0 ||
                    actv_start(ctx, NCP_VTR_NIC_ATTACH, n.no, NULL, err) < 0)
                    return -1;
                nics[vs->n_nics++] = n.no;
            }
        vs->nics = nics;
        if (ctx->so->server_put(ctx->st, &s, err) < 0 ||
            ncp_store_vserver_put(ctx->st, s.no, ctx->account_id, vs, err) < 0 ||
            actv_storage_basic(ctx, &s, img, spec, region->code, subnet.zone, encrypted, err) < 0)
            return -1;
        if (with_ip) {
            ncp_vpip_t ip;
            if (actv_public_ip_new(ctx, s.no, "", &ip, err) < 0)
                return -1;
            vs->public_ip_no = ip.no;
            vs->public_ip = ip.ip;
        }
        s.vpc = vs;
        if (act_claim(ctx, &s, NCP_TR_CREATE, NULL, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- root passwords ------------------------------------------------------------------ */

int act_vserver_getRootPassword(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    const ncp_arg_t *no = ncp_arg(&ctx->args, "serverInstanceNo");
    const ncp_arg_t *pem = ncp_arg(&ctx->args, "privateKey");
    ncp_server_t s;
    if (actv_region(ctx, &region, err) < 0 || actv_server(ctx, no->s, no->len, &s, err) < 0)
        return -1;
    char fp[NCP_FINGERPRINT_LEN];
    ncp_login_key_t k;
    if (ncp_private_key_fingerprint(pem->s, pem->len, fp) < 0) {
        ncp_err_set(err, NCP_E_BAD_PRIVATE_KEY);
        return -1;
    }
    int r = ctx->so->login_key_get(ctx->st, ctx->arena, ctx->account_id, s.login_key, &k, err);
    if (r < 0)
        return -1;
    if (r == 0 || strcmp(k.fingerprint, fp) != 0) {
        ncp_err_set(err, NCP_E_BAD_PRIVATE_KEY);
        return -1;
    }
    const char *pw;
    if (act_password_open(ctx, s.root_password, &pw, err) < 0)
        return -1;
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, 1);
    ncp_emit_str(ctx->em, "rootPassword", pw);
    ncp_env_end(ctx->em);
    return 0;
}

/* ---- login keys ------------------------------------------------------------------------ */

typedef struct new_key {
    char *pem, *pub; /* in the request arena; the private key is wiped when it ends */
    size_t len;
    char fp[NCP_FINGERPRINT_LEN];
} new_key_t;

static void wipe_key(void *p)
{
    new_key_t *k = p;
    memset(k->pem, 0, k->len);
}

/* RSA key generation takes tens of milliseconds: before the transaction. */
int act_prep_vserver_createLoginKey(ncp_ctx_t *ctx, ncp_err_t *err)
{
    char *pem = NULL, *pub = NULL;
    new_key_t *k = ncp_arena_alloc(ctx->arena, sizeof(*k));
    if (ncp_rsa_new_pub(&pem, &pub, k->fp) < 0) {
        ncp_err_internal(err, "RSA key generation failed");
        return -1;
    }
    k->len = strlen(pem);
    k->pem = ncp_arena_strndup(ctx->arena, pem, k->len);
    k->pub = ncp_arena_strdup(ctx->arena, pub);
    memset(pem, 0, k->len);
    free(pem);
    free(pub);
    ncp_arena_on_cleanup(ctx->arena, wipe_key, k);
    ctx->prep = k;
    return 0;
}

int act_vserver_createLoginKey(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    const new_key_t *nk = ctx->prep;
    const char *name;
    if (actv_region(ctx, &region, err) < 0 || actv_name(ctx, "keyName", "k", &name, err) < 0)
        return -1;
    ncp_login_key_t k;
    int r = ctx->so->login_key_get(ctx->st, ctx->arena, ctx->account_id, name, &k, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        ncp_err_set(err, NCP_E_KEY_NAME_EXISTS);
        return -1;
    }
    k = (ncp_login_key_t){ctx->account_id, name, nk->fp, ctx->now_ms};
    if (ctx->so->login_key_put(ctx->st, &k, err) < 0 ||
        ncp_store_hv_pubkey_set(ctx->st, ctx->account_id, name, nk->pub, err) < 0)
        return -1;
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, 1);
    ncp_emit_str(ctx->em, "keyName", name);
    ncp_emit_str(ctx->em, "privateKey", nk->pem);
    ncp_env_end(ctx->em);
    return 0;
}

typedef struct key_rows {
    ncp_ctx_t *ctx;
    ncp_login_key_t *v;
    size_t n, cap;
} key_rows_t;

static int key_row(void *p, const ncp_login_key_t *k)
{
    key_rows_t *r = p;
    r->v = ncp_arena_grow(r->ctx->arena, r->v, r->n, &r->cap, sizeof(*r->v), 8);
    r->v[r->n++] = *k;
    return 0;
}

int act_vserver_getLoginKeyList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *name = ncp_arg(&ctx->args, "keyName");
    int64_t offset, limit, total = 0;
    act_page(&ctx->args, &offset, &limit);
    key_rows_t rows = {ctx, NULL, 0, 0};
    if (ctx->so->login_key_list(ctx->st, ctx->arena, ctx->account_id,
                                name->present ? name->s : NULL, offset, limit, &total, key_row,
                                &rows, err) < 0)
        return -1;
    const char **pubs = ncp_arena_alloc(ctx->arena, (rows.n ? rows.n : 1) * sizeof(char *));
    for (size_t i = 0; i < rows.n; i++)
        if (ncp_store_hv_pubkey_get(ctx->st, ctx->arena, ctx->account_id, rows.v[i].name,
                                    &pubs[i], err) < 0)
            return -1;
    actv_list_begin(ctx, total, "loginKeyList", "loginKey");
    for (size_t i = 0; i < rows.n; i++) {
        ncp_emit_obj_begin(ctx->em, NULL);
        ncp_emit_str(ctx->em, "keyName", rows.v[i].name);
        ncp_emit_str(ctx->em, "fingerprint", rows.v[i].fingerprint);
        ncp_emit_str(ctx->em, "publicKey", pubs[i]);
        actv_emit_date(ctx->em, "createDate", rows.v[i].create_ms);
        ncp_emit_obj_end(ctx->em);
    }
    actv_list_end(ctx);
    return 0;
}

int act_vserver_deleteLoginKeys(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *a = ncp_arg(&ctx->args, "keyNameList");
    for (size_t i = 0; i < a->n; i++) {
        ncp_login_key_t k;
        int r = ctx->so->login_key_get(ctx->st, ctx->arena, ctx->account_id, a->items[i], &k, err);
        if (r < 0)
            return -1;
        if (r == 0) {
            ncp_err_set(err, NCP_E_KEY_NOT_FOUND);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->items[j], a->items[i]) == 0) {
                char why[96];
                snprintf(why, sizeof(why), "keyNameList. duplicated value : %.40s", a->items[i]);
                ncp_err_set(err, NCP_E_V_INVALID, why);
                return -1;
            }
        /* a key a live server (of either platform) uses stays: its root password
         * is read with it */
        int64_t users = 0;
        if (ctx->so->login_key_users(ctx->st, ctx->account_id, a->items[i], &users, err) < 0)
            return -1;
        if (users > 0) {
            ncp_err_set(err, NCP_E_KEY_IN_USE, a->items[i], (unsigned)users);
            return -1;
        }
    }
    for (size_t i = 0; i < a->n; i++)
        if (ctx->so->login_key_delete(ctx->st, ctx->account_id, a->items[i], err) < 0)
            return -1;
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, (int64_t)a->n);
    ncp_env_end(ctx->em);
    return 0;
}

/* ---- init scripts ----------------------------------------------------------------------- */

static void emit_script(ncp_emit_t *e, const ncp_vscript_t *s)
{
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "initScriptNo", s->no);
    ncp_emit_str(e, "initScriptName", s->name);
    actv_emit_date(e, "createDate", s->create_ms);
    ncp_emit_str(e, "initScriptDescription", s->description);
    ncp_emit_str(e, "initScriptContent", s->content);
    ncp_emit_code(e, "osType", s->os_type, ncp_vcatalog_os_name(s->os_type));
    ncp_emit_obj_end(e);
}

int act_vserver_createInitScript(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    ncp_vscript_t s = {.account_id = ctx->account_id, .create_ms = ctx->now_ms};
    if (actv_region(ctx, &region, err) < 0 ||
        actv_name(ctx, "initScriptName", "init-", &s.name, err) < 0)
        return -1;
    s.content = ncp_arg(&ctx->args, "initScriptContent")->s;
    s.description = actv_text(ctx, "initScriptDescription");
    const ncp_arg_t *os = ncp_arg(&ctx->args, "osTypeCode");
    s.os_type = os->present ? os->s : "LNX";
    if (strlen(s.description) > 1000) {
        ncp_err_set(err, NCP_E_V_INVALID, "initScriptDescription");
        return -1;
    }
    int r = ncp_store_vscript_name_taken(ctx->st, ctx->account_id, s.name, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        ncp_err_set(err, NCP_E_V_INVALID, "initScriptName is duplicated.");
        return -1;
    }
    if (actv_new_no(ctx, NCP_KIND_INIT_SCRIPT, &s.no, err) < 0 ||
        ncp_store_vscript_put(ctx->st, &s, err) < 0)
        return -1;
    actv_list_begin(ctx, 1, "initScriptList", "initScript");
    emit_script(ctx->em, &s);
    actv_list_end(ctx);
    return 0;
}

int act_vserver_getInitScriptDetail(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    ncp_vscript_t s;
    int r = ncp_store_vscript_get(ctx->st, ctx->arena, ctx->account_id,
                                  act_no(ncp_arg(&ctx->args, "initScriptNo")->s), &s, err);
    if (r < 0)
        return -1;
    actv_list_begin(ctx, r, "initScriptList", "initScript");
    if (r == 1)
        emit_script(ctx->em, &s);
    actv_list_end(ctx);
    return 0;
}

int act_vserver_deleteInitScripts(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_arg_t *a = ncp_arg(&ctx->args, "initScriptNoList");
    ncp_vscript_t *v = ncp_arena_alloc(ctx->arena, a->n * sizeof(*v));
    for (size_t i = 0; i < a->n; i++) {
        int r = ncp_store_vscript_get(ctx->st, ctx->arena, ctx->account_id, act_no(a->items[i]),
                                      &v[i], err);
        if (r < 0)
            return -1;
        for (size_t k = 0; r == 1 && k < i; k++)
            r = v[k].no == v[i].no ? 0 : 1;
        if (r == 0) {
            ncp_err_set(err, NCP_E_V_INVALID, "initScriptNoList");
            return -1;
        }
    }
    for (size_t i = 0; i < a->n; i++)
        if (ncp_store_vscript_delete(ctx->st, v[i].no, err) < 0)
            return -1;
    actv_list_begin(ctx, (int64_t)a->n, "initScriptList", "initScript");
    for (size_t i = 0; i < a->n; i++)
        emit_script(ctx->em, &v[i]);
    actv_list_end(ctx);
    return 0;
}

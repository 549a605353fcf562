/* act_vcatalog.c: the VPC API's read-only catalogue actions (spec/vpc/
 * vserver.md §12): regions and zones by code, the product catalogue of
 * images and server specs (getServerImageProductList / getServerProductList)
 * and the new one (getServerImageList / getServerSpecList). They read the
 * VPC catalogue (domain/vcatalog.c), not the store. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act/act_vint.h"
#include "domain/catalog.h"
#include "render/envelope.h"

#define GiB 1073741824LL

int act_vserver_getRegionList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    (void)err;
    const ncp_vcatalog_t *c = ncp_vcatalog();
    actv_list_begin(ctx, (int64_t)c->n_regions, "regionList", "region");
    for (size_t i = 0; i < c->n_regions; i++) {
        ncp_emit_obj_begin(ctx->em, NULL);
        ncp_emit_str(ctx->em, "regionCode", c->regions[i].code);
        ncp_emit_str(ctx->em, "regionName", c->regions[i].name);
        ncp_emit_obj_end(ctx->em);
    }
    actv_list_end(ctx);
    return 0;
}

int act_vserver_getZoneList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_vcatalog_t *c = ncp_vcatalog();
    int64_t n = 0;
    for (size_t i = 0; i < c->n_zones; i++)
        n += strcmp(c->zones[i].region, region->code) == 0;
    actv_list_begin(ctx, n, "zoneList", "zone");
    for (size_t i = 0; i < c->n_zones; i++) {
        const ncp_vzone_t *z = &c->zones[i];
        if (strcmp(z->region, region->code) != 0)
            continue;
        ncp_emit_obj_begin(ctx->em, NULL);
        ncp_emit_str(ctx->em, "zoneName", z->name);
        ncp_emit_str(ctx->em, "zoneCode", z->code);
        ncp_emit_str(ctx->em, "regionCode", z->region);
        ncp_emit_str(ctx->em, "zoneDescription", z->description);
        ncp_emit_obj_end(ctx->em);
    }
    actv_list_end(ctx);
    return 0;
}

/* zoneCode, when the action has it and it is given, must be a zone of the region. */
static int check_zone(ncp_ctx_t *ctx, const ncp_vregion_t *region, ncp_err_t *err)
{
    const ncp_arg_t *z = ncp_arg(&ctx->args, "zoneCode");
    const ncp_vzone_t *zone;
    return z->present ? actv_zone(ctx, region, z->s, "zoneCode", &zone, err) : 0;
}

/* ---- the product catalogue ---------------------------------------------------------- */

/* productList comes before totalRows in these two answers (Go SDK structs). */
static void products_begin(ncp_ctx_t *ctx)
{
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_emit_list_begin(ctx->em, "productList", "product");
}

static void products_end(ncp_ctx_t *ctx, int64_t total)
{
    ncp_emit_list_end(ctx->em);
    ncp_env_total_rows(ctx->em, total);
    ncp_env_end(ctx->em);
}

static void emit_image_product(ncp_emit_t *e, const ncp_vimage_t *m)
{
    bool win = strcmp(m->os_category, "WINDOWS") == 0;
    ncp_emit_obj_begin(e, NULL);
    ncp_emit_str(e, "productCode", m->product_code);
    ncp_emit_str(e, "productName", m->name);
    ncp_emit_code(e, "productType", win ? "WINNT" : "LINUX", win ? "Windows NT" : "Linux");
    ncp_emit_str(e, "productDescription", m->description);
    ncp_emit_code(e, "infraResourceType", "SW", "Software");
    ncp_emit_int(e, "cpuCount", 0);
    ncp_emit_int(e, "memorySize", 0);
    ncp_emit_int(e, "baseBlockStorageSize", m->base_size);
    ncp_emit_code(e, "platformType", m->platform, ncp_catalog_platform_name(m->platform));
    ncp_emit_str(e, "osInformation", m->os_info);
    ncp_emit_str(e, "dbKindCode", "");
    ncp_emit_int(e, "addBlockStorageSize", 0);
    ncp_emit_str(e, "generationCode", m->generation);
    ncp_emit_obj_end(e);
}

static bool image_product_matches(const ncp_args_t *A, const ncp_vimage_t *m)
{
    const ncp_arg_t *a = ncp_arg(A, "productCode");
    if (!actv_arg_is(a, m->product_code))
        return false;
    a = ncp_arg(A, "exclusionProductCode");
    if (a->present && strcmp(a->s, m->product_code) == 0)
        return false;
    if (!actv_in_strs(ncp_arg(A, "platformTypeCodeList"), m->platform))
        return false;
    a = ncp_arg(A, "blockStorageSize");
    if (a->present && m->base_size != a->i * GiB)
        return false;
    /* no bare-metal image exists: infraResourceDetailTypeCode=BM lists none */
    return !ncp_arg(A, "infraResourceDetailTypeCode")->present;
}

int act_vserver_getServerImageProductList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_vcatalog_t *c = ncp_vcatalog();
    int64_t n = 0;
    products_begin(ctx);
    for (size_t i = 0; i < c->n_images; i++)
        if (image_product_matches(&ctx->args, &c->images[i])) {
            emit_image_product(ctx->em, &c->images[i]);
            n++;
        }
    products_end(ctx, n);
    return 0;
}

int act_vserver_getServerProductList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    if (ncp_arg(A, "memberServerImageInstanceNo")->present) {
        ncp_err_set(err, NCP_E_V_PRODUCT_NOT_FOUND); /* no member server images exist */
        return -1;
    }
    const ncp_arg_t *img_a = ncp_arg(A, "serverImageProductCode");
    if (!img_a->present) {
        ncp_err_set(err, NCP_E_REQUIRED, "serverImageProductCode");
        return -1;
    }
    const ncp_vimage_t *img = ncp_vcatalog_image_by_code(img_a->s);
    if (!img) {
        ncp_err_set(err, NCP_E_V_PRODUCT_NOT_FOUND);
        return -1;
    }
    if (check_zone(ctx, region, err) < 0)
        return -1;
    const ncp_arg_t *code = ncp_arg(A, "productCode"), *excl = ncp_arg(A, "exclusionProductCode");
    const ncp_arg_t *gen = ncp_arg(A, "generationCode");
    const ncp_vcatalog_t *c = ncp_vcatalog();
    int64_t n = 0;
    products_begin(ctx);
    for (size_t i = 0; i < c->n_specs; i++) {
        const ncp_vspec_t *s = &c->specs[i];
        if (!ncp_vcatalog_fits(img, s) || (code->present && strcmp(code->s, s->product_code)) ||
            (excl->present && !strcmp(excl->s, s->product_code)) ||
            (gen->present && strcmp(gen->s, s->generation)))
            continue;
        ncp_emit_t *e = ctx->em;
        ncp_emit_obj_begin(e, NULL);
        ncp_emit_str(e, "productCode", s->product_code);
        ncp_emit_str(e, "productName", s->name);
        ncp_emit_code(e, "productType", s->type, ncp_vcatalog_type_name(s->type));
        ncp_emit_str(e, "productDescription", s->description);
        ncp_emit_code(e, "infraResourceType", "VSVR", "Server (VPC)");
        ncp_emit_int(e, "cpuCount", s->cpu);
        ncp_emit_int(e, "memorySize", s->memory);
        ncp_emit_int(e, "baseBlockStorageSize", s->base_size ? s->base_size : img->base_size);
        ncp_emit_code(e, "diskType", "NET", "Network Storage");
        ncp_emit_str(e, "dbKindCode", "");
        ncp_emit_int(e, "addBlockStorageSize", 0);
        ncp_emit_str(e, "generationCode", s->generation);
        ncp_emit_obj_end(e);
        n++;
    }
    products_end(ctx, n);
    return 0;
}

/* ---- the image and spec catalogue ---------------------------------------------------- */

/* hypervisorTypeCodeList (v1.6.30) or hypervisorCodeList (v1.6.26): both spellings. */
static bool hypervisor_ok(const ncp_args_t *A, const char *h)
{
    return actv_in_strs(ncp_arg(A, "hypervisorTypeCodeList"), h) &&
           actv_in_strs(ncp_arg(A, "hypervisorCodeList"), h);
}

int act_vserver_getServerImageList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0)
        return -1;
    const ncp_vcatalog_t *c = ncp_vcatalog();
    const ncp_vimage_t **v = ncp_arena_alloc(ctx->arena, (c->n_images + 1) * sizeof(*v));
    const ncp_arg_t *name = ncp_arg(A, "serverImageName"), *st = ncp_arg(A, "serverImageStatusCode");
    const ncp_arg_t *cat = ncp_arg(A, "platformCategoryCodeList");
    size_t m = 0;
    for (size_t i = 0; i < c->n_images; i++) {
        const ncp_vimage_t *img = &c->images[i];
        if (!actv_arg_is(name, img->name) ||
            !actv_arg_is(st, "CREAT") ||
            !actv_in_list(ncp_arg(A, "serverImageNoList"), act_no(img->no)) ||
            !hypervisor_ok(A, img->hypervisor) ||
            !actv_in_strs(ncp_arg(A, "serverImageTypeCodeList"), "NCP") ||
            !actv_in_strs(ncp_arg(A, "osTypeCodeList"), img->os_type) ||
            cat->present) /* the catalogue's images have no platform category */
            continue;
        v[m++] = img;
    }
    const ncp_arg_t *by = ncp_arg(A, "sortedBy"), *order = ncp_arg(A, "sortingOrder");
    bool by_name = by->present && strcmp(by->s, "serverImageName") == 0;
    bool desc = order->present && strcmp(order->s, "descending") == 0;
    for (size_t i = 1; i < m; i++)
        for (size_t k = i; k > 0; k--) {
            int cmp = by_name ? strcmp(v[k - 1]->name, v[k]->name) : 0;
            if (!cmp) {
                int64_t a = act_no(v[k - 1]->no), b = act_no(v[k]->no);
                cmp = a < b ? -1 : a > b;
            }
            if (desc ? cmp >= 0 : cmp <= 0)
                break;
            const ncp_vimage_t *t = v[k - 1];
            v[k - 1] = v[k];
            v[k] = t;
        }
    size_t from, to;
    actv_page(ctx, m, &from, &to);
    actv_list_begin(ctx, (int64_t)m, "serverImageList", "serverImage");
    for (size_t i = from; i < to; i++) {
        ncp_emit_t *e = ctx->em;
        const ncp_vimage_t *img = v[i];
        ncp_emit_obj_begin(e, NULL);
        ncp_emit_str(e, "serverImageNo", img->no);
        ncp_emit_str(e, "serverImageName", img->name);
        ncp_emit_str(e, "serverImageDescription", img->description);
        ncp_emit_str(e, "serverImageProductCode", img->product_code);
        ncp_emit_code(e, "serverImageType", "NCP", "NCP Image");
        ncp_emit_code(e, "hypervisorType", img->hypervisor, img->hypervisor);
        ncp_emit_code(e, "cpuArchitectureType", "X86_64", "x86 64bit");
        ncp_emit_code(e, "osCategoryType", img->os_category, img->os_category);
        ncp_emit_code(e, "osType", img->os_type, img->os_type);
        ncp_emit_code(e, "serverImageStatus", "CREAT", "Created");
        ncp_emit_code(e, "serverImageOperation", "NULL", "Null");
        ncp_emit_str(e, "serverImageStatusName", "created");
        ncp_emit_str(e, "createDate", img->create_date);
        ncp_emit_code(e, "shareStatus", "NULL", "NULL");
        ncp_emit_list_begin(e, "sharedLoginIdList", "sharedLoginId");
        ncp_emit_list_end(e);
        ncp_emit_list_begin(e, "blockStorageMappingList", "blockStorageMapping");
        ncp_emit_obj_begin(e, NULL);
        ncp_emit_int(e, "order", 0);
        ncp_emit_int(e, "blockStorageSnapshotInstanceNo", img->snapshot_no);
        ncp_emit_str(e, "blockStorageSnapshotName", img->name);
        ncp_emit_int(e, "blockStorageSize", img->base_size);
        ncp_emit_str(e, "blockStorageName", "");
        ncp_emit_code(e, "blockStorageVolumeType", img->volume_type, img->volume_type);
        ncp_emit_int(e, "iops", 0);
        ncp_emit_int(e, "throughput", 0);
        ncp_emit_bool(e, "isEncryptedVolume", false);
        ncp_emit_obj_end(e);
        ncp_emit_list_end(e);
        ncp_emit_obj_end(e);
    }
    actv_list_end(ctx);
    return 0;
}

int act_vserver_getServerSpecList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_vregion_t *region;
    if (actv_region(ctx, &region, err) < 0 || check_zone(ctx, region, err) < 0)
        return -1;
    const ncp_arg_t *img_a = ncp_arg(A, "serverImageNo");
    const ncp_vimage_t *img = img_a->present ? ncp_vcatalog_image_by_no(img_a->s) : NULL;
    const ncp_vcatalog_t *c = ncp_vcatalog();
    const ncp_vspec_t **v = ncp_arena_alloc(ctx->arena, (c->n_specs + 1) * sizeof(*v));
    size_t m = 0;
    for (size_t i = 0; i < c->n_specs; i++) {
        const ncp_vspec_t *s = &c->specs[i];
        if ((img_a->present && !ncp_vcatalog_fits(img, s)) ||
            !actv_in_strs(ncp_arg(A, "serverSpecCodeList"), s->code) ||
            !hypervisor_ok(A, s->hypervisor))
            continue;
        v[m++] = s;
    }
    actv_list_begin(ctx, (int64_t)m, "serverSpecList", "serverSpec");
    for (size_t i = 0; i < m; i++) {
        ncp_emit_t *e = ctx->em;
        const ncp_vspec_t *s = v[i];
        ncp_emit_obj_begin(e, NULL);
        ncp_emit_str(e, "serverSpecCode", s->code);
        ncp_emit_str(e, "generationCode", s->generation);
        ncp_emit_int(e, "cpuCount", s->cpu);
        ncp_emit_int(e, "memorySize", s->memory);
        ncp_emit_code(e, "hypervisorType", s->hypervisor, s->hypervisor);
        ncp_emit_code(e, "cpuArchitectureType", "X86_64", "x86 64bit");
        ncp_emit_int(e, "blockStorageMaxCount", s->bs_max_count);
        ncp_emit_int(e, "blockStorageMaxIops", s->bs_max_iops);
        ncp_emit_int(e, "blockStorageMaxThroughput", s->bs_max_throughput);
        ncp_emit_int(e, "networkPerformance", s->network_performance);
        ncp_emit_int(e, "networkInterfaceMaxCount", s->nic_max_count);
        ncp_emit_str(e, "serverProductCode", s->product_code);
        ncp_emit_str(e, "serverSpecDescription", s->description);
        ncp_emit_int(e, "gpuCount", 0);
        ncp_emit_int(e, "serverSpecNo", s->spec_no);
        ncp_emit_obj_end(e);
    }
    actv_list_end(ctx);
    return 0;
}

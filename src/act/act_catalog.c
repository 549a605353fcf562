/* act_catalog.c: read-only catalogue actions (catalog.md): regions, zones,
 * server images, server specs, RAID types, init scripts. They read the
 * catalogue (domain/catalog.c), not the store. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act/act_int.h"
#include "act/act_res.h"
#include "domain/catalog.h"
#include "render/envelope.h"

void act_emit_zone(ncp_emit_t *e, const char *name, const ncp_zone_t *z)
{
    ncp_emit_obj_begin(e, name);
    act_emit_no(e, "zoneNo", z->no);
    ncp_emit_str(e, "zoneName", z->name);
    ncp_emit_str(e, "zoneCode", z->code);
    ncp_emit_str(e, "zoneDescription", z->description);
    act_emit_no(e, "regionNo", z->region_no);
    ncp_emit_obj_end(e);
}

void act_emit_region(ncp_emit_t *e, const char *name, const ncp_region_t *r)
{
    ncp_emit_obj_begin(e, name);
    act_emit_no(e, "regionNo", r->no);
    ncp_emit_str(e, "regionCode", r->code);
    ncp_emit_str(e, "regionName", r->name);
    ncp_emit_obj_end(e);
}

/* Checks an optional regionNo / zoneNo argument against the catalogue. */
static int check_place(ncp_ctx_t *ctx, int64_t *region_out, int64_t *zone_out, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    *region_out = *zone_out = 0;
    if (ncp_spec_param(A->act, "regionNo") && ncp_arg(A, "regionNo")->present) {
        *region_out = act_no(ncp_arg(A, "regionNo")->s);
        if (!ncp_catalog_region(*region_out)) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, "regionNo");
            return -1;
        }
    }
    if (ncp_spec_param(A->act, "zoneNo") && ncp_arg(A, "zoneNo")->present) {
        *zone_out = act_no(ncp_arg(A, "zoneNo")->s);
        const ncp_zone_t *z = ncp_catalog_zone(*zone_out);
        if (!z || (*region_out && z->region_no != *region_out)) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, "zoneNo");
            return -1;
        }
    }
    return 0;
}

int act_getRegionList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_catalog_t *c = ncp_catalog();
    int64_t region, zone;
    if (check_place(ctx, &region, &zone, err) < 0)
        return -1;
    int64_t n = 0;
    for (size_t i = 0; i < c->n_regions; i++)
        n += !region || c->regions[i].no == region;
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, n);
    ncp_emit_list_begin(ctx->em, "regionList", "region");
    for (size_t i = 0; i < c->n_regions; i++)
        if (!region || c->regions[i].no == region)
            act_emit_region(ctx->em, NULL, &c->regions[i]);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

int act_getZoneList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_catalog_t *c = ncp_catalog();
    int64_t region, zone;
    if (check_place(ctx, &region, &zone, err) < 0)
        return -1;
    /* no totalRows: neither the documented example nor the SDK models have it */
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_emit_list_begin(ctx->em, "zoneList", "zone");
    for (size_t i = 0; i < c->n_zones; i++)
        if (!region || c->zones[i].region_no == region)
            act_emit_zone(ctx->em, NULL, &c->zones[i]);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

static void emit_image(ncp_emit_t *e, const ncp_image_t *m)
{
    ncp_emit_obj_begin(e, NULL);
    ncp_emit_str(e, "productCode", m->code);
    ncp_emit_str(e, "productName", m->name);
    ncp_emit_code(e, "productType", m->product_type, ncp_catalog_image_type_name(m->product_type));
    ncp_emit_str(e, "productDescription", m->description);
    ncp_emit_code(e, "infraResourceType", "SW", "Software");
    if (m->detail_type && *m->detail_type)
        ncp_emit_code(e, "infraResourceDetailType", m->detail_type,
                      ncp_catalog_server_type_name(m->detail_type));
    ncp_emit_int(e, "cpuCount", 0);
    ncp_emit_int(e, "memorySize", 0);
    ncp_emit_int(e, "baseBlockStorageSize", m->base_size);
    ncp_emit_code(e, "platformType", m->platform, ncp_catalog_platform_name(m->platform));
    ncp_emit_str(e, "osInformation", m->os_info);
    ncp_emit_str(e, "dbKindCode", "");
    ncp_emit_int(e, "addBlockStorageSize", 0);
    ncp_emit_int(e, "addBlockStroageSize", 0); /* the classic API's own spelling */
    ncp_emit_str(e, "generationCode", "");
    ncp_emit_obj_end(e);
}

static void emit_spec(ncp_emit_t *e, const ncp_product_t *p)
{
    ncp_emit_obj_begin(e, NULL);
    ncp_emit_str(e, "productCode", p->code);
    ncp_emit_str(e, "productName", p->name);
    ncp_emit_code(e, "productType", p->product_type,
                  ncp_catalog_server_type_name(p->product_type));
    ncp_emit_str(e, "productDescription", p->description);
    ncp_emit_code(e, "infraResourceType", "SVR", "Server");
    ncp_emit_int(e, "cpuCount", p->cpu);
    ncp_emit_int(e, "memorySize", p->memory);
    ncp_emit_int(e, "baseBlockStorageSize", p->base_size);
    ncp_emit_code(e, "diskType", p->disk_type, ncp_catalog_disk_type_name(p->disk_type));
    ncp_emit_str(e, "dbKindCode", "");
    ncp_emit_int(e, "addBlockStorageSize", p->add_size);
    ncp_emit_int(e, "addBlockStroageSize", p->add_size);
    ncp_emit_str(e, "generationCode", p->generation);
    ncp_emit_obj_end(e);
}

static bool image_matches(const ncp_args_t *A, const ncp_image_t *m)
{
    const ncp_arg_t *a = ncp_arg(A, "productCode");
    if (a->present && strcmp(a->s, m->code) != 0)
        return false;
    a = ncp_arg(A, "exclusionProductCode");
    if (a->present && strcmp(a->s, m->code) == 0)
        return false;
    a = ncp_arg(A, "platformTypeCodeList");
    if (a->present) {
        bool any = false;
        for (size_t i = 0; i < a->n; i++)
            any |= strcmp(a->items[i], m->platform) == 0;
        if (!any)
            return false;
    }
    a = ncp_arg(A, "blockStorageSize");
    if (a->present && m->base_size != a->i * 1073741824LL)
        return false;
    a = ncp_arg(A, "infraResourceDetailTypeCode");
    const char *want = a->present ? a->s : "";
    return strcmp(want, m->detail_type ? m->detail_type : "") == 0;
}

int act_getServerImageProductList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_catalog_t *c = ncp_catalog();
    int64_t region, zone;
    if (check_place(ctx, &region, &zone, err) < 0)
        return -1;
    const ncp_arg_t *bs = ncp_arg(&ctx->args, "blockStorageSize");
    if (bs->present && bs->i != 50 && bs->i != 100) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "blockStorageSize");
        return -1;
    }
    int64_t n = 0;
    for (size_t i = 0; i < c->n_images; i++)
        n += image_matches(&ctx->args, &c->images[i]);
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, n);
    ncp_emit_list_begin(ctx->em, "productList", "product");
    for (size_t i = 0; i < c->n_images; i++)
        if (image_matches(&ctx->args, &c->images[i]))
            emit_image(ctx->em, &c->images[i]);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

static bool spec_matches(const ncp_args_t *A, const ncp_image_t *img, const ncp_product_t *p)
{
    if (!ncp_catalog_fits(img, p))
        return false;
    const ncp_arg_t *a = ncp_arg(A, "productCode");
    if (a->present && strcmp(a->s, p->code) != 0)
        return false;
    a = ncp_arg(A, "exclusionProductCode");
    if (a->present && strcmp(a->s, p->code) == 0)
        return false;
    a = ncp_arg(A, "generationCode");
    if (a->present && strcmp(a->s, p->generation) != 0)
        return false;
    return true;
}

int act_getServerProductList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_catalog_t *c = ncp_catalog();
    const ncp_args_t *A = &ctx->args;
    int64_t region, zone;
    const ncp_arg_t *img_arg = ncp_arg(A, "serverImageProductCode");
    const ncp_arg_t *member_arg = ncp_arg(A, "memberServerImageNo");
    ncp_image_t member; /* issue 11: the image a member image was captured from */
    if (!img_arg->present && !member_arg->present) {
        ncp_err_set(err, NCP_E_REQUIRED, "serverImageProductCode");
        return -1;
    }
    if (check_place(ctx, &region, &zone, err) < 0)
        return -1;
    const ncp_image_t *img = img_arg->present ? ncp_catalog_image(img_arg->s) : NULL;
    if (member_arg->present) {
        if (act_member_image_as_image(ctx, member_arg->s, member_arg->len, &member, err) < 0)
            return -1;
        img = &member;
    }
    if (!img) {
        ncp_err_set(err, NCP_E_PRODUCT_NOT_FOUND);
        return -1;
    }
    int64_t n = 0;
    for (size_t i = 0; i < c->n_products; i++)
        n += spec_matches(A, img, &c->products[i]);
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, n);
    ncp_emit_list_begin(ctx->em, "productList", "product");
    for (size_t i = 0; i < c->n_products; i++)
        if (spec_matches(A, img, &c->products[i]))
            emit_spec(ctx->em, &c->products[i]);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

int act_getRaidList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    (void)err;
    const ncp_catalog_t *c = ncp_catalog();
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, (int64_t)c->n_raids);
    ncp_emit_list_begin(ctx->em, "raidList", "raid");
    for (size_t i = 0; i < c->n_raids; i++) {
        ncp_emit_obj_begin(ctx->em, NULL);
        ncp_emit_str(ctx->em, "raidTypeName", c->raids[i].type_name);
        ncp_emit_str(ctx->em, "raidName", c->raids[i].name);
        ncp_emit_obj_end(ctx->em);
    }
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

int act_getInitScriptList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    (void)err;
    const ncp_catalog_t *c = ncp_catalog();
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, (int64_t)c->n_scripts);
    ncp_emit_list_begin(ctx->em, "initScriptList", "initScript");
    for (size_t i = 0; i < c->n_scripts; i++) {
        const ncp_init_script_t *s = &c->scripts[i];
        ncp_emit_obj_begin(ctx->em, NULL);
        ncp_emit_str(ctx->em, "initScriptNo", s->no);
        ncp_emit_str(ctx->em, "initScriptName", s->name);
        ncp_emit_str(ctx->em, "createDate", s->create_date);
        ncp_emit_str(ctx->em, "initScriptDescription", s->description);
        ncp_emit_str(ctx->em, "initScriptContent", s->content);
        ncp_emit_code(ctx->em, "osType", s->os_type,
                      strcmp(s->os_type, "WND") == 0 ? "Windows" : "Linux");
        ncp_emit_obj_end(ctx->em);
    }
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

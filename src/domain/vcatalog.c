/* vcatalog.c: the built-in VPC catalogue and its JSON form (vcatalog.h).
 *
 * Image and spec codes are the ones public sources show (spec/vpc/
 * vserver.md §1.2): KVM ubuntu-22.04-base 23214590 with c2-g3; XEN CentOS
 * 7.8 16187001 and Ubuntu 20.04 1700975 with c2-g2-s50; the provider's
 * acceptance-test image SW.VSVR.OS.LNX64.ROCKY.0810.B050 with the products
 * SVR.VSVR.STAND.C002.M008.NET.HDD.B050.G002 and ...C004.M016..., and the
 * spec s2-g3. The other numbers and names follow the same patterns
 * (PROPOSED, docs/compat.md). */
#include "domain/vcatalog.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define GiB 1073741824LL
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const ncp_vregion_t regions[] = {{"KR", "Korea"}};

/* KR-2 first, as in the documented getZoneList example */
static const ncp_vzone_t zones[] = {
    {"KR-2", "KR-2", "평촌 zone", "KR"},
    {"KR-1", "KR-1", "가산 zone", "KR"},
};

static const ncp_vimage_t images[] = {
    {"16187001", "centos-7.8-64", "CentOS 7.8 (64-bit)", "SW.VSVR.OS.LNX64.CNTOS.0708.B050",
     "CentOS 7.8 (64-bit)", "LNX64", "LINUX", "CENTOS", "XEN", "G2", 50 * GiB, "SSD", 16187002,
     "2020-07-24T10:00:00+0900", {0}},
    {"1700975", "ubuntu-20.04", "Ubuntu Server 20.04 (64-bit)",
     "SW.VSVR.OS.LNX64.UBNTU.SVR2004.B050", "Ubuntu Server 20.04 (64-bit)", "UBS64", "LINUX",
     "UBUNTU", "XEN", "G2", 50 * GiB, "SSD", 1700976, "2021-03-11T10:00:00+0900", {0}},
    {"19187427", "rocky-8.10", "Rocky Linux 8.10 (64-bit)", "SW.VSVR.OS.LNX64.ROCKY.0810.B050",
     "Rocky Linux 8.10 (64-bit)", "LNX64", "LINUX", "ROCKY", "XEN", "G2", 50 * GiB, "SSD",
     19187428, "2024-08-01T10:00:00+0900", {0}},
    {"23214590", "ubuntu-22.04-base", "Ubuntu Server 22.04 (64-bit)",
     "SW.VSVR.OS.LNX64.UBNTU.SVR22.G003", "Ubuntu Server 22.04 (64-bit)", "UBS64", "LINUX",
     "UBUNTU", "KVM", "G3", 10 * GiB, "CB1", 23214591, "2023-06-29T10:00:00+0900", {0}},
    {"25495367", "rocky-8.10-base", "Rocky Linux 8.10 (64-bit)",
     "SW.VSVR.OS.LNX64.ROCKY.0810.G003", "Rocky Linux 8.10 (64-bit)", "LNX64", "LINUX", "ROCKY",
     "KVM", "G3", 10 * GiB, "CB1", 25495368, "2024-08-01T10:00:00+0900", {0}},
};

static const ncp_vspec_t specs[] = {
    {"c2-g2-s50", "SVR.VSVR.HICPU.C002.M004.NET.SSD.B050.G002",
     "vCPU 2EA, Memory 4GB, [SSD]Disk 50GB", "vCPU 2EA, Memory 4GB, [SSD]Disk 50GB", "HICPU",
     "XEN", "G2", 2, 4 * GiB, "SSD", 50 * GiB, 1001, 1000000000, 16, 4000, 160, 3},
    {"c2-g2-h50", "SVR.VSVR.HICPU.C002.M004.NET.HDD.B050.G002",
     "vCPU 2EA, Memory 4GB, Disk 50GB", "vCPU 2EA, Memory 4GB, Disk 50GB", "HICPU", "XEN", "G2",
     2, 4 * GiB, "HDD", 50 * GiB, 1002, 1000000000, 16, 4000, 160, 3},
    {"s2-g2-s50", "SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002",
     "vCPU 2EA, Memory 8GB, [SSD]Disk 50GB", "vCPU 2EA, Memory 8GB, [SSD]Disk 50GB", "STAND",
     "XEN", "G2", 2, 8 * GiB, "SSD", 50 * GiB, 1003, 1000000000, 16, 4000, 160, 3},
    {"s2-g2-h50", "SVR.VSVR.STAND.C002.M008.NET.HDD.B050.G002",
     "vCPU 2EA, Memory 8GB, Disk 50GB", "vCPU 2EA, Memory 8GB, Disk 50GB", "STAND", "XEN", "G2",
     2, 8 * GiB, "HDD", 50 * GiB, 1004, 1000000000, 16, 4000, 160, 3},
    {"s4-g2-h50", "SVR.VSVR.STAND.C004.M016.NET.HDD.B050.G002",
     "vCPU 4EA, Memory 16GB, Disk 50GB", "vCPU 4EA, Memory 16GB, Disk 50GB", "STAND", "XEN",
     "G2", 4, 16 * GiB, "HDD", 50 * GiB, 1005, 2000000000, 16, 4000, 160, 3},
    {"m4-g2-s50", "SVR.VSVR.HIMEM.C004.M032.NET.SSD.B050.G002",
     "vCPU 4EA, Memory 32GB, [SSD]Disk 50GB", "vCPU 4EA, Memory 32GB, [SSD]Disk 50GB", "HIMEM",
     "XEN", "G2", 4, 32 * GiB, "SSD", 50 * GiB, 1006, 2000000000, 16, 4000, 160, 3},
    {"c2-g3", "SVR.VSVR.HICPU.C002.M004.G003", "vCPU 2EA, Memory 4GB",
     "vCPU 2EA, Memory 4GB", "HICPU", "KVM", "G3", 2, 4 * GiB, "", 0, 2001, 2000000000, 16,
     10000, 250, 3},
    {"c4-g3", "SVR.VSVR.HICPU.C004.M008.G003", "vCPU 4EA, Memory 8GB",
     "vCPU 4EA, Memory 8GB", "HICPU", "KVM", "G3", 4, 8 * GiB, "", 0, 2002, 4000000000, 16,
     10000, 250, 3},
    {"s2-g3", "SVR.VSVR.STAND.C002.M008.G003", "vCPU 2EA, Memory 8GB",
     "vCPU 2EA, Memory 8GB", "STAND", "KVM", "G3", 2, 8 * GiB, "", 0, 2003, 2000000000, 16,
     10000, 250, 3},
    {"s4-g3", "SVR.VSVR.STAND.C004.M016.G003", "vCPU 4EA, Memory 16GB",
     "vCPU 4EA, Memory 16GB", "STAND", "KVM", "G3", 4, 16 * GiB, "", 0, 2004, 4000000000, 16,
     10000, 250, 3},
    {"m2-g3", "SVR.VSVR.HIMEM.C002.M016.G003", "vCPU 2EA, Memory 16GB",
     "vCPU 2EA, Memory 16GB", "HIMEM", "KVM", "G3", 2, 16 * GiB, "", 0, 2005, 2000000000, 16,
     10000, 250, 3},
};

static const ncp_vcatalog_t builtin = {regions, N(regions), zones, N(zones),
                                       images,  N(images),  specs, N(specs)};
static const ncp_vcatalog_t *current = &builtin;

const ncp_vcatalog_t *ncp_vcatalog(void)
{
    return current;
}

const ncp_vregion_t *ncp_vcatalog_region(const char *code)
{
    for (size_t i = 0; i < current->n_regions; i++)
        if (strcmp(current->regions[i].code, code) == 0)
            return &current->regions[i];
    return NULL;
}

const ncp_vregion_t *ncp_vcatalog_default_region(void)
{
    return current->n_regions ? &current->regions[0] : NULL;
}

const ncp_vzone_t *ncp_vcatalog_zone(const char *code)
{
    for (size_t i = 0; i < current->n_zones; i++)
        if (strcmp(current->zones[i].code, code) == 0)
            return &current->zones[i];
    return NULL;
}

const ncp_vimage_t *ncp_vcatalog_image_by_no(const char *no)
{
    for (size_t i = 0; i < current->n_images; i++)
        if (strcmp(current->images[i].no, no) == 0)
            return &current->images[i];
    return NULL;
}

const ncp_vimage_t *ncp_vcatalog_image_by_code(const char *code)
{
    for (size_t i = 0; i < current->n_images; i++)
        if (strcmp(current->images[i].product_code, code) == 0)
            return &current->images[i];
    return NULL;
}

const ncp_boot_t *ncp_vcatalog_image_boot(const ncp_vimage_t *img)
{
    return img && (img->boot.disk || img->boot.kernel) ? &img->boot : NULL;
}

const ncp_vspec_t *ncp_vcatalog_spec_by_code(const char *code)
{
    for (size_t i = 0; i < current->n_specs; i++)
        if (strcmp(current->specs[i].code, code) == 0)
            return &current->specs[i];
    return NULL;
}

const ncp_vspec_t *ncp_vcatalog_spec_by_product(const char *code)
{
    for (size_t i = 0; i < current->n_specs; i++)
        if (strcmp(current->specs[i].product_code, code) == 0)
            return &current->specs[i];
    return NULL;
}

bool ncp_vcatalog_fits(const ncp_vimage_t *img, const ncp_vspec_t *s)
{
    if (!img || !s || strcmp(img->hypervisor, s->hypervisor) != 0 ||
        strcmp(img->generation, s->generation) != 0)
        return false;
    return s->base_size == 0 || s->base_size == img->base_size;
}

const ncp_vspec_t *ncp_vcatalog_default_spec(const ncp_vimage_t *img)
{
    const ncp_vspec_t *best = NULL;
    for (size_t i = 0; i < current->n_specs; i++) {
        const ncp_vspec_t *s = &current->specs[i];
        if (!ncp_vcatalog_fits(img, s))
            continue;
        if (!best || s->memory < best->memory ||
            (s->memory == best->memory &&
             (s->cpu < best->cpu || (s->cpu == best->cpu && strcmp(s->code, best->code) < 0))))
            best = s;
    }
    return best;
}

const char *ncp_vcatalog_type_name(const char *t)
{
    static const struct {
        const char *code, *name;
    } names[] = {{"HICPU", "High CPU"},     {"CPU", "CPU-Intensive"}, {"STAND", "Standard"},
                 {"HIMEM", "High Memory"},  {"GPU", "GPU"},           {"BM", "BareMetal"},
                 {"MICRO", "Micro Server"}, {"COMPT", "Compact Server"}};
    for (size_t i = 0; i < N(names); i++)
        if (strcmp(names[i].code, t) == 0)
            return names[i].name;
    return t;
}

const char *ncp_vcatalog_os_name(const char *os)
{
    return strcmp(os, "LNX") == 0 ? "LINUX" : strcmp(os, "WND") == 0 ? "WINDOWS" : os;
}

/* ---- JSON ------------------------------------------------------------------ */

static const char *jstr(json_t *o, const char *k, const char *def, bool *ok)
{
    json_t *v = json_object_get(o, k);
    if (!v && def)
        return def;
    if (!json_is_string(v)) {
        *ok = false;
        return "";
    }
    char *s = strdup(json_string_value(v));
    if (!s)
        abort();
    return s;
}

static int64_t jint(json_t *o, const char *k, int64_t def, bool *ok)
{
    json_t *v = json_object_get(o, k);
    if (!v)
        return def;
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v)) {
        char *end;
        long long x = strtoll(json_string_value(v), &end, 10);
        if (*end == '\0' && end != json_string_value(v))
            return x;
    }
    *ok = false;
    return 0;
}

static void *array_of(json_t *root, const char *k, size_t elem, size_t *n, bool *ok)
{
    json_t *a = json_object_get(root, k);
    *n = json_is_array(a) ? json_array_size(a) : 0;
    if (!json_is_array(a))
        *ok = false;
    void *v = calloc(*n ? *n : 1, elem);
    if (!v)
        abort();
    return v;
}

int ncp_vcatalog_load_json(json_t *vpc, const char *path, ncp_err_t *err)
{
    bool ok = json_is_object(vpc);
    ncp_vcatalog_t *c = calloc(1, sizeof(*c));
    if (!c)
        abort();
    size_t i;
    json_t *o;
    ncp_vregion_t *rg = array_of(vpc, "regions", sizeof(*rg), &c->n_regions, &ok);
    json_array_foreach(json_object_get(vpc, "regions"), i, o) {
        rg[i].code = jstr(o, "regionCode", NULL, &ok);
        rg[i].name = jstr(o, "regionName", NULL, &ok);
    }
    ncp_vzone_t *zn = array_of(vpc, "zones", sizeof(*zn), &c->n_zones, &ok);
    json_array_foreach(json_object_get(vpc, "zones"), i, o) {
        zn[i].code = jstr(o, "zoneCode", NULL, &ok);
        zn[i].name = jstr(o, "zoneName", zn[i].code, &ok);
        zn[i].description = jstr(o, "zoneDescription", "", &ok);
        zn[i].region = jstr(o, "regionCode", NULL, &ok);
    }
    ncp_vimage_t *im = array_of(vpc, "images", sizeof(*im), &c->n_images, &ok);
    json_array_foreach(json_object_get(vpc, "images"), i, o) {
        const char *why = json_is_object(o) ? ncp_catalog_boot_parse(o, &im[i].boot) : NULL;
        if (why) {
            const char *code = json_string_value(json_object_get(o, "serverImageProductCode"));
            ncp_err_internal(err, "catalog %s: \"vpc\" image %zu (%s): %s", path, i + 1,
                             code ? code : "?", why);
            return -1; /* the partial tables are leaked on purpose: start-up fails */
        }
        im[i].no = jstr(o, "serverImageNo", NULL, &ok);
        im[i].name = jstr(o, "serverImageName", NULL, &ok);
        im[i].description = jstr(o, "serverImageDescription", "", &ok);
        im[i].product_code = jstr(o, "serverImageProductCode", NULL, &ok);
        im[i].os_info = jstr(o, "osInformation", "", &ok);
        im[i].platform = jstr(o, "platformType", NULL, &ok);
        im[i].os_category = jstr(o, "osCategoryType", "LINUX", &ok);
        im[i].os_type = jstr(o, "osType", NULL, &ok);
        im[i].hypervisor = jstr(o, "hypervisorType", NULL, &ok);
        im[i].generation = jstr(o, "generationCode", NULL, &ok);
        im[i].base_size = jint(o, "baseBlockStorageSize", -1, &ok);
        im[i].volume_type = jstr(o, "blockStorageVolumeType", "SSD", &ok);
        im[i].snapshot_no = jint(o, "blockStorageSnapshotInstanceNo", 0, &ok);
        im[i].create_date = jstr(o, "createDate", "", &ok);
        ok = ok && im[i].base_size > 0;
    }
    ncp_vspec_t *sp = array_of(vpc, "specs", sizeof(*sp), &c->n_specs, &ok);
    json_array_foreach(json_object_get(vpc, "specs"), i, o) {
        sp[i].code = jstr(o, "serverSpecCode", NULL, &ok);
        sp[i].product_code = jstr(o, "serverProductCode", NULL, &ok);
        sp[i].name = jstr(o, "productName", sp[i].code, &ok);
        sp[i].description = jstr(o, "serverSpecDescription", "", &ok);
        sp[i].type = jstr(o, "serverInstanceType", NULL, &ok);
        sp[i].hypervisor = jstr(o, "hypervisorType", NULL, &ok);
        sp[i].generation = jstr(o, "generationCode", NULL, &ok);
        sp[i].cpu = (int)jint(o, "cpuCount", -1, &ok);
        sp[i].memory = jint(o, "memorySize", -1, &ok);
        sp[i].disk_detail = jstr(o, "baseBlockStorageDiskDetailType", "", &ok);
        sp[i].base_size = jint(o, "baseBlockStorageSize", 0, &ok);
        sp[i].spec_no = jint(o, "serverSpecNo", (int64_t)i + 1, &ok);
        sp[i].network_performance = jint(o, "networkPerformance", 1000000000, &ok);
        sp[i].bs_max_count = (int)jint(o, "blockStorageMaxCount", 16, &ok);
        sp[i].bs_max_iops = (int)jint(o, "blockStorageMaxIops", 4000, &ok);
        sp[i].bs_max_throughput = (int)jint(o, "blockStorageMaxThroughput", 160, &ok);
        sp[i].nic_max_count = (int)jint(o, "networkInterfaceMaxCount", 3, &ok);
        ok = ok && sp[i].cpu > 0 && sp[i].memory > 0;
    }
    c->regions = rg;
    c->zones = zn;
    c->images = im;
    c->specs = sp;
    for (i = 0; ok && i < c->n_zones; i++) {
        bool found = false;
        for (size_t k = 0; k < c->n_regions; k++)
            found |= strcmp(c->regions[k].code, c->zones[i].region) == 0;
        ok = found;
    }
    if (!ok || !c->n_regions || !c->n_zones || !c->n_images || !c->n_specs) {
        ncp_err_internal(err, "catalog %s: \"vpc\": missing or mistyped fields (need regions, "
                              "zones with a known regionCode, images and specs)", path);
        return -1; /* the partial tables are leaked on purpose: start-up fails */
    }
    current = c;
    return 0;
}

json_t *ncp_vcatalog_dump_json(void)
{
    const ncp_vcatalog_t *c = current;
    json_t *root = json_object(), *a = json_array();
    for (size_t i = 0; i < c->n_regions; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "regionCode", c->regions[i].code,
                                           "regionName", c->regions[i].name));
    json_object_set_new(root, "regions", a);
    a = json_array();
    for (size_t i = 0; i < c->n_zones; i++) {
        const ncp_vzone_t *z = &c->zones[i];
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "zoneCode", z->code, "zoneName",
                                           z->name, "zoneDescription", z->description,
                                           "regionCode", z->region));
    }
    json_object_set_new(root, "zones", a);
    a = json_array();
    for (size_t i = 0; i < c->n_images; i++) {
        const ncp_vimage_t *m = &c->images[i];
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "serverImageNo", m->no,
                              "serverImageName", m->name, "serverImageDescription",
                              m->description, "serverImageProductCode", m->product_code,
                              "osInformation", m->os_info, "platformType", m->platform,
                              "osCategoryType", m->os_category);
        json_object_set_new(o, "osType", json_string(m->os_type));
        json_object_set_new(o, "hypervisorType", json_string(m->hypervisor));
        json_object_set_new(o, "generationCode", json_string(m->generation));
        json_object_set_new(o, "baseBlockStorageSize", json_integer(m->base_size));
        json_object_set_new(o, "blockStorageVolumeType", json_string(m->volume_type));
        json_object_set_new(o, "blockStorageSnapshotInstanceNo", json_integer(m->snapshot_no));
        json_object_set_new(o, "createDate", json_string(m->create_date));
        const ncp_boot_t *b = ncp_vcatalog_image_boot(m);
        if (b)
            json_object_set_new(o, "boot", ncp_catalog_boot_json(b));
        json_array_append_new(a, o);
    }
    json_object_set_new(root, "images", a);
    a = json_array();
    for (size_t i = 0; i < c->n_specs; i++) {
        const ncp_vspec_t *s = &c->specs[i];
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "serverSpecCode", s->code,
                              "serverProductCode", s->product_code, "productName", s->name,
                              "serverSpecDescription", s->description, "serverInstanceType",
                              s->type, "hypervisorType", s->hypervisor, "generationCode",
                              s->generation);
        json_object_set_new(o, "cpuCount", json_integer(s->cpu));
        json_object_set_new(o, "memorySize", json_integer(s->memory));
        json_object_set_new(o, "baseBlockStorageDiskDetailType", json_string(s->disk_detail));
        json_object_set_new(o, "baseBlockStorageSize", json_integer(s->base_size));
        json_object_set_new(o, "serverSpecNo", json_integer(s->spec_no));
        json_object_set_new(o, "networkPerformance", json_integer(s->network_performance));
        json_object_set_new(o, "blockStorageMaxCount", json_integer(s->bs_max_count));
        json_object_set_new(o, "blockStorageMaxIops", json_integer(s->bs_max_iops));
        json_object_set_new(o, "blockStorageMaxThroughput", json_integer(s->bs_max_throughput));
        json_object_set_new(o, "networkInterfaceMaxCount", json_integer(s->nic_max_count));
        json_array_append_new(a, o);
    }
    json_object_set_new(root, "specs", a);
    return root;
}

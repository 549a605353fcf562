/* catalog.c: the built-in catalogue (values from catalog.md and the seed)
 * and the JSON file format that replaces it. */
#include "domain/catalog.h"

#include <jansson.h>

#include "domain/vcatalog.h"
#include <stdlib.h>
#include <string.h>

#define GiB 1073741824LL

static const ncp_region_t regions[] = {
    {1, "KR", "Korea"},
    {8, "JPN", "Japan(New)"},
};

/* KR-2 first, as in the documented getZoneList example */
static const ncp_zone_t zones[] = {
    {3, "KR-2", "KR-2", "평촌 zone", 1},
    {2, "KR-1", "KR-1", "가산 zone", 1},
    {10, "JPN-1", "JPN-1", "JPN-1 zone", 8},
};

static const ncp_image_t images[] = {
    {"SPSW0LINUX000046", "centos-7.3-64", "CentOS 7.3 (64-bit)", "CentOS 7.3 (64-bit)", "LINUX",
     "LNX64", 50 * GiB, ""},
    {"SPSW0LINUX000045", "centos-7.2-64", "CentOS 7.2(64bit)", "CentOS 7.2 (64-bit)", "LINUX",
     "LNX64", 50 * GiB, ""},
    {"SPSW0LINUX000044", "centos-6.6-64", "CentOS 6.6(64bit)", "CentOS 6.6 (64-bit)", "LINUX",
     "LNX64", 50 * GiB, ""},
    {"SPSW0LINUX000031", "centos-6.3-64", "CentOS 6.3(64bit)", "CentOS 6.3 (64-bit)", "LINUX",
     "LNX64", 50 * GiB, ""},
    {"SPSW0LINUX000032", "centos-6.3-32", "CentOS 6.3(32bit)", "CentOS 6.3 (32-bit)", "LINUX",
     "LNX32", 50 * GiB, ""},
    {"SPSW0LINUX000029", "ubuntu-16.04-64-server", "Ubuntu Server 16.04 (64-bit)",
     "Ubuntu Server 16.04 (64-bit)", "LINUX", "UBS64", 50 * GiB, ""},
    {"SPSW0LINUX000028", "ubuntu-14.04-64-server", "Ubuntu Server 14.04 (64-bit)",
     "Ubuntu Server 14.04 (64-bit)", "LINUX", "UBS64", 50 * GiB, ""},
    {"SPSW0LINUX000066", "tensorflow-centos-7.3-64", "TensorFlow CentOS 7.3 (64-bit)",
     "CentOS 7.3 (64-bit)", "LINUX", "LNX64", 50 * GiB, ""},
    {"SPSW0WINNT000016", "win-2016-64", "Windows Server 2016 (64-bit)",
     "Windows Server 2016 (64-bit)", "WINNT", "WND64", 50 * GiB, ""},
    {"SPSW0WINNT000015", "win-2012-64-R2", "Windows Server 2012 R2 (64-bit)",
     "Windows Server 2012 R2 (64-bit)", "WINNT", "WND64", 50 * GiB, ""},
};

static const ncp_product_t products[] = {
    {"SPSVRSTAND000056", "vCPU 1EA, Memory 1GB, Disk 50GB", "vCPU 1EA, Memory 1GB, Disk 50GB",
     "MICRO", 1, 1 * GiB, 50 * GiB, "NET", "HDD", "G1", 0},
    {"SPSVRSTAND000003", "vCPU 1EA, Memory 2GB, Disk 50GB", "vCPU 1개, 메모리 2GB, 디스크 50GB",
     "COMPT", 1, 2 * GiB, 50 * GiB, "NET", "HDD", "G1", 0},
    {"SPSVRSSD00000001", "vCPU 1EA, Memory 2GB, [SSD]Disk 50GB",
     "vCPU 1개, 메모리 2GB, [SSD]디스크 50GB", "COMPT", 1, 2 * GiB, 50 * GiB, "NET", "SSD", "G1",
     0},
    {"SPSVRSTAND000049", "vCPU 2EA, Memory 2GB, Disk 50GB", "vCPU 2EA, Memory 2GB, Disk 50GB",
     "COMPT", 2, 2 * GiB, 50 * GiB, "NET", "HDD", "G1", 0},
    {"SPSVRSTAND000004", "vCPU 2EA, Memory 4GB, Disk 50GB", "vCPU 2개, 메모리 4GB, 디스크 50GB",
     "STAND", 2, 4 * GiB, 50 * GiB, "NET", "HDD", "G1", 0},
    {"SPSVRSSD00000003", "vCPU 2EA, Memory 4GB, [SSD]Disk 50GB",
     "vCPU 2개, 메모리 4GB, [SSD]디스크 50GB", "STAND", 2, 4 * GiB, 50 * GiB, "NET", "SSD", "G1",
     0},
    {"SPSVRSTAND000024", "vCPU 2EA, Memory 8GB, Disk 50GB", "vCPU 2개, 메모리 8GB, 디스크 50GB",
     "STAND", 2, 8 * GiB, 50 * GiB, "NET", "HDD", "G1", 0},
    {"SPSVRSTAND000005", "vCPU 4EA, Memory 8GB, Disk 50GB", "vCPU 4개, 메모리 8GB, 디스크 50GB",
     "STAND", 4, 8 * GiB, 50 * GiB, "NET", "HDD", "G1", 0},
    {"SPSVRSTAND000006", "vCPU 8EA, Memory 16GB, Disk 50GB", "vCPU 8개, 메모리 16GB, 디스크 50GB",
     "STAND", 8, 16 * GiB, 50 * GiB, "NET", "HDD", "G1", 0},
    {"SPSVRSSD00000016", "vCPU 16EA, Memory 32GB, [SSD]Disk 50GB",
     "vCPU 16개, 메모리 32GB, [SSD]디스크 50GB", "STAND", 16, 32 * GiB, 50 * GiB, "NET", "SSD",
     "G1", 0},
    {"SPSVRSTAND000059", "vCPU 8EA, Memory 64GB, Disk 50GB", "vCPU 8EA, Memory 64GB, Disk 50GB",
     "HIMEM", 8, 64 * GiB, 50 * GiB, "NET", "HDD", "G1", 0},
};

static const ncp_raid_t raids[] = {{"5", "RAID 5"}, {"1", "RAID 1+0"}};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const ncp_catalog_t builtin = {regions, N(regions), zones, N(zones), images, N(images),
                                      products, N(products), raids, N(raids), NULL, 0};
static const ncp_catalog_t *current = &builtin;
/* boot sources of current->images, by index; NULL: none at all */
static const ncp_boot_t *current_boots;

const ncp_catalog_t *ncp_catalog(void)
{
    return current;
}

const ncp_boot_t *ncp_catalog_image_boot(const ncp_image_t *img)
{
    if (!current_boots || img < current->images || img >= current->images + current->n_images)
        return NULL;
    const ncp_boot_t *b = &current_boots[img - current->images];
    return b->disk || b->kernel ? b : NULL;
}

const ncp_region_t *ncp_catalog_region(int64_t no)
{
    for (size_t i = 0; i < current->n_regions; i++)
        if (current->regions[i].no == no)
            return &current->regions[i];
    return NULL;
}

const ncp_zone_t *ncp_catalog_zone(int64_t no)
{
    for (size_t i = 0; i < current->n_zones; i++)
        if (current->zones[i].no == no)
            return &current->zones[i];
    return NULL;
}

const ncp_image_t *ncp_catalog_image(const char *code)
{
    for (size_t i = 0; i < current->n_images; i++)
        if (strcmp(current->images[i].code, code) == 0)
            return &current->images[i];
    return NULL;
}

const ncp_product_t *ncp_catalog_product(const char *code)
{
    for (size_t i = 0; i < current->n_products; i++)
        if (strcmp(current->products[i].code, code) == 0)
            return &current->products[i];
    return NULL;
}

bool ncp_catalog_fits(const ncp_image_t *img, const ncp_product_t *p)
{
    if (!img || !p || img->base_size != p->base_size)
        return false;
    if (strcmp(img->product_type, "WINNT") == 0 && strcmp(p->product_type, "MICRO") == 0)
        return false;
    return true;
}

static bool smaller(const ncp_product_t *a, const ncp_product_t *b)
{
    if (a->memory != b->memory)
        return a->memory < b->memory;
    if (a->cpu != b->cpu)
        return a->cpu < b->cpu;
    if (a->base_size != b->base_size)
        return a->base_size < b->base_size;
    return strcmp(a->disk_type, "NET") == 0 && strcmp(b->disk_type, "NET") != 0;
}

const ncp_product_t *ncp_catalog_default_product(const ncp_image_t *img)
{
    const ncp_product_t *best = NULL;
    for (size_t i = 0; i < current->n_products; i++) {
        const ncp_product_t *p = &current->products[i];
        if (ncp_catalog_fits(img, p) && (!best || smaller(p, best)))
            best = p;
    }
    return best;
}

const ncp_zone_t *ncp_catalog_default_zone(void)
{
    return current->n_zones ? &current->zones[0] : NULL;
}

/* ---- code names --------------------------------------------------------- */

typedef struct code_name {
    const char *code, *name;
} code_name_t;

static const char *lookup(const code_name_t *t, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].code, code) == 0)
            return t[i].name;
    return code;
}

static const code_name_t platforms[] = {
    {"LNX32", "Linux 32 Bit"},   {"LNX64", "Linux 64 Bit"},
    {"WND32", "Windows 32 Bit"}, {"WND64", "Windows 64 Bit"},
    {"UBD64", "Ubuntu Desktop 64 Bit"}, {"UBS64", "Ubuntu Server 64 Bit"},
};
static const code_name_t disk_types[] = {{"NET", "Network Storage"}, {"LOCAL", "Local storage"}};
static const code_name_t disk_details[] = {{"HDD", "HDD"}, {"SSD", "SSD"}};
static const code_name_t server_types[] = {
    {"MICRO", "Micro Server"}, {"COMPT", "Compact Server"}, {"STAND", "Standard"},
    {"HIMEM", "High Memory"},  {"GPU", "GPU"},              {"VDS", "VDS Server"},
    {"LDISK", "Local Disk Server"}, {"BM", "BareMetal"},
};
static const code_name_t image_types[] = {{"LINUX", "Linux"}, {"WINNT", "Windows NT"}};

const char *ncp_catalog_platform_name(const char *code)
{
    return lookup(platforms, N(platforms), code);
}

const char *ncp_catalog_disk_type_name(const char *code)
{
    return lookup(disk_types, N(disk_types), code);
}

const char *ncp_catalog_disk_detail_name(const char *code)
{
    return lookup(disk_details, N(disk_details), code);
}

const char *ncp_catalog_server_type_name(const char *code)
{
    return lookup(server_types, N(server_types), code);
}

const char *ncp_catalog_image_type_name(const char *code)
{
    return lookup(image_types, N(image_types), code);
}

/* ---- JSON file ---------------------------------------------------------- */

static const char *jstr(json_t *o, const char *k, bool *ok)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_string(v)) {
        *ok = false;
        return "";
    }
    char *s = strdup(json_string_value(v));
    if (!s)
        abort();
    return s;
}

static const char *jstr_opt(json_t *o, const char *k, const char *def)
{
    bool ok = true;
    return json_object_get(o, k) ? jstr(o, k, &ok) : def;
}

static int64_t jint(json_t *o, const char *k, bool *ok)
{
    json_t *v = json_object_get(o, k);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v)) { /* numbers that the API shows as strings */
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
    if (!a) {
        *n = 0;
        return NULL;
    }
    if (!json_is_array(a)) {
        *ok = false;
        *n = 0;
        return NULL;
    }
    *n = json_array_size(a);
    void *v = calloc(*n ? *n : 1, elem);
    if (!v)
        abort();
    return v;
}

const char *ncp_catalog_boot_parse(json_t *o, ncp_boot_t *b)
{
    json_t *v = json_object_get(o, "boot");
    if (!v)
        return NULL;
    if (!json_is_object(v))
        return "\"boot\" is not an object";
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x) {
        if (strcmp(key, "disk") && strcmp(key, "kernel") && strcmp(key, "initrd") &&
            strcmp(key, "cmdline"))
            return "\"boot\" takes only disk, or kernel with initrd and cmdline";
        if (!json_is_string(x) || !json_string_length(x))
            return "\"boot\" values must be non-empty strings";
    }
    b->disk = jstr_opt(v, "disk", NULL);
    b->kernel = jstr_opt(v, "kernel", NULL);
    b->initrd = jstr_opt(v, "initrd", NULL);
    b->cmdline = jstr_opt(v, "cmdline", NULL);
    if (!b->disk == !b->kernel)
        return "\"boot\" needs exactly one of disk (a base qcow2) or kernel";
    if (b->disk && (b->initrd || b->cmdline))
        return "\"boot\": initrd and cmdline go with kernel, not with disk";
    const char *paths[] = {b->disk, b->kernel, b->initrd};
    for (size_t i = 0; i < 3; i++)
        if (paths[i] && paths[i][0] != '/')
            return "\"boot\" paths must be absolute";
    return NULL;
}

json_t *ncp_catalog_boot_json(const ncp_boot_t *b)
{
    json_t *bo = json_object();
    const char *k[] = {"disk", "kernel", "initrd", "cmdline"};
    const char *v[] = {b->disk, b->kernel, b->initrd, b->cmdline};
    for (size_t j = 0; j < 4; j++)
        if (v[j])
            json_object_set_new(bo, k[j], json_string(v[j]));
    return bo;
}

int ncp_catalog_load_file(const char *path, ncp_err_t *err)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root || !json_is_object(root)) {
        ncp_err_internal(err, "catalog %s: %s (line %d)", path, root ? "not an object" : jerr.text,
                         jerr.line);
        json_decref(root);
        return -1;
    }
    bool ok = true;
    ncp_catalog_t *c = calloc(1, sizeof(*c));
    if (!c)
        abort();
    size_t i;
    json_t *o;
    ncp_region_t *rg = array_of(root, "regions", sizeof(*rg), &c->n_regions, &ok);
    json_array_foreach(json_object_get(root, "regions"), i, o) {
        rg[i].no = jint(o, "regionNo", &ok);
        rg[i].code = jstr(o, "regionCode", &ok);
        rg[i].name = jstr(o, "regionName", &ok);
    }
    ncp_zone_t *zn = array_of(root, "zones", sizeof(*zn), &c->n_zones, &ok);
    json_array_foreach(json_object_get(root, "zones"), i, o) {
        zn[i].no = jint(o, "zoneNo", &ok);
        zn[i].name = jstr(o, "zoneName", &ok);
        zn[i].code = jstr_opt(o, "zoneCode", zn[i].name);
        zn[i].description = jstr_opt(o, "zoneDescription", "");
        zn[i].region_no = jint(o, "regionNo", &ok);
    }
    ncp_image_t *im = array_of(root, "images", sizeof(*im), &c->n_images, &ok);
    ncp_boot_t *bt = calloc(c->n_images ? c->n_images : 1, sizeof(*bt));
    if (!bt)
        abort();
    json_array_foreach(json_object_get(root, "images"), i, o) {
        const char *why = json_is_object(o) ? ncp_catalog_boot_parse(o, &bt[i]) : NULL;
        if (why) {
            ncp_err_internal(err, "catalog %s: image %zu (%s): %s", path, i + 1,
                             json_string_value(json_object_get(o, "productCode"))
                                 ? json_string_value(json_object_get(o, "productCode"))
                                 : "?",
                             why);
            json_decref(root);
            return -1; /* the partial tables are leaked on purpose: start-up fails */
        }
        im[i].code = jstr(o, "productCode", &ok);
        im[i].name = jstr(o, "productName", &ok);
        im[i].description = jstr_opt(o, "productDescription", "");
        im[i].os_info = jstr_opt(o, "osInformation", "");
        im[i].product_type = jstr(o, "productType", &ok);
        im[i].platform = jstr(o, "platformType", &ok);
        im[i].base_size = jint(o, "baseBlockStorageSize", &ok);
        im[i].detail_type = jstr_opt(o, "infraResourceDetailType", "");
    }
    ncp_product_t *pr = array_of(root, "products", sizeof(*pr), &c->n_products, &ok);
    json_array_foreach(json_object_get(root, "products"), i, o) {
        pr[i].code = jstr(o, "productCode", &ok);
        pr[i].name = jstr(o, "productName", &ok);
        pr[i].description = jstr_opt(o, "productDescription", "");
        pr[i].product_type = jstr(o, "productType", &ok);
        pr[i].cpu = (int)jint(o, "cpuCount", &ok);
        pr[i].memory = jint(o, "memorySize", &ok);
        pr[i].base_size = jint(o, "baseBlockStorageSize", &ok);
        pr[i].disk_type = jstr_opt(o, "diskType", "NET");
        pr[i].disk_detail = jstr_opt(o, "diskDetailType", "HDD");
        pr[i].generation = jstr_opt(o, "generationCode", "G1");
        bool ok2 = true;
        pr[i].add_size = jint(o, "addBlockStorageSize", &ok2);
    }
    ncp_raid_t *ra = array_of(root, "raids", sizeof(*ra), &c->n_raids, &ok);
    json_array_foreach(json_object_get(root, "raids"), i, o) {
        ra[i].type_name = jstr(o, "raidTypeName", &ok);
        ra[i].name = jstr(o, "raidName", &ok);
    }
    ncp_init_script_t *sc = array_of(root, "initScripts", sizeof(*sc), &c->n_scripts, &ok);
    json_array_foreach(json_object_get(root, "initScripts"), i, o) {
        sc[i].no = jstr(o, "initScriptNo", &ok);
        sc[i].name = jstr(o, "initScriptName", &ok);
        sc[i].create_date = jstr_opt(o, "createDate", "");
        sc[i].description = jstr_opt(o, "initScriptDescription", "");
        sc[i].content = jstr_opt(o, "initScriptContent", "");
        sc[i].os_type = jstr_opt(o, "osType", "LNX");
    }
    /* the VPC platform's part, when the file has one (else the built-in one stays) */
    json_t *vpc = json_object_get(root, "vpc");
    if (ok && vpc && ncp_vcatalog_load_json(vpc, path, err) < 0) {
        json_decref(root);
        return -1;
    }
    json_decref(root);
    c->regions = rg;
    c->zones = zn;
    c->images = im;
    c->products = pr;
    c->raids = ra;
    c->scripts = sc;
    for (i = 0; ok && i < c->n_zones; i++) {
        bool found = false;
        for (size_t k = 0; k < c->n_regions; k++)
            found |= c->regions[k].no == c->zones[i].region_no;
        ok = found;
    }
    if (!ok || !c->n_zones || !c->n_images || !c->n_products) {
        ncp_err_internal(err, "catalog %s: missing or mistyped fields (need regions, zones with "
                              "known regionNo, images and products)", path);
        return -1; /* the partial tables are leaked on purpose: start-up fails */
    }
    current = c;
    current_boots = bt;
    return 0;
}

int ncp_catalog_dump(FILE *out)
{
    const ncp_catalog_t *c = current;
    json_t *root = json_object(), *a;
    a = json_array();
    for (size_t i = 0; i < c->n_regions; i++)
        json_array_append_new(a, json_pack("{s:I,s:s,s:s}", "regionNo", (json_int_t)c->regions[i].no,
                                           "regionCode", c->regions[i].code, "regionName",
                                           c->regions[i].name));
    json_object_set_new(root, "regions", a);
    a = json_array();
    for (size_t i = 0; i < c->n_zones; i++) {
        const ncp_zone_t *z = &c->zones[i];
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:I}", "zoneNo", (json_int_t)z->no,
                                           "zoneName", z->name, "zoneCode", z->code,
                                           "zoneDescription", z->description, "regionNo",
                                           (json_int_t)z->region_no));
    }
    json_object_set_new(root, "zones", a);
    a = json_array();
    for (size_t i = 0; i < c->n_images; i++) {
        const ncp_image_t *m = &c->images[i];
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "productCode", m->code,
                         "productName", m->name, "productDescription", m->description,
                         "osInformation", m->os_info, "productType", m->product_type,
                         "platformType", m->platform, "baseBlockStorageSize",
                         (json_int_t)m->base_size, "infraResourceDetailType", m->detail_type));
        const ncp_boot_t *b = ncp_catalog_image_boot(m);
        if (b)
            json_object_set_new(json_array_get(a, i), "boot", ncp_catalog_boot_json(b));
    }
    json_object_set_new(root, "images", a);
    a = json_array();
    for (size_t i = 0; i < c->n_products; i++) {
        const ncp_product_t *p = &c->products[i];
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:s,s:s,s:s,s:I}", "productCode", p->code,
                         "productName", p->name, "productDescription", p->description,
                         "productType", p->product_type, "cpuCount", p->cpu, "memorySize",
                         (json_int_t)p->memory, "baseBlockStorageSize", (json_int_t)p->base_size,
                         "diskType", p->disk_type, "diskDetailType", p->disk_detail,
                         "generationCode", p->generation, "addBlockStorageSize",
                         (json_int_t)p->add_size));
    }
    json_object_set_new(root, "products", a);
    a = json_array();
    for (size_t i = 0; i < c->n_raids; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "raidTypeName", c->raids[i].type_name,
                                           "raidName", c->raids[i].name));
    json_object_set_new(root, "raids", a);
    a = json_array();
    for (size_t i = 0; i < c->n_scripts; i++) {
        const ncp_init_script_t *s = &c->scripts[i];
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "initScriptNo", s->no, "initScriptName",
                         s->name, "createDate", s->create_date, "initScriptDescription",
                         s->description, "initScriptContent", s->content, "osType", s->os_type));
    }
    json_object_set_new(root, "initScripts", a);
    json_object_set_new(root, "vpc", ncp_vcatalog_dump_json());
    int r = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
    return r;
}

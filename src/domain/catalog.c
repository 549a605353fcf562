/* catalog.c: the built-in catalogue (values from catalog.md and the seed). */
#include "domain/catalog.h"

#include <string.h>

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

#define GiB 1073741824LL
static const ncp_image_t images[] = {
    {"SPSW0LINUX000046", "centos-7.3-64", "CentOS 7.3 (64-bit)", "CentOS 7.3 (64-bit)", "LINUX",
     "LNX64", 50 * GiB},
    {"SPSW0LINUX000045", "centos-7.2-64", "CentOS 7.2(64bit)", "CentOS 7.2 (64-bit)", "LINUX",
     "LNX64", 50 * GiB},
    {"SPSW0LINUX000044", "centos-6.6-64", "CentOS 6.6(64bit)", "CentOS 6.6 (64-bit)", "LINUX",
     "LNX64", 50 * GiB},
    {"SPSW0LINUX000032", "centos-6.3-32", "CentOS 6.3(32bit)", "CentOS 6.3 (32-bit)", "LINUX",
     "LNX32", 50 * GiB},
    {"SPSW0LINUX000029", "ubuntu-16.04-64-server", "Ubuntu Server 16.04 (64-bit)",
     "Ubuntu Server 16.04 (64-bit)", "LINUX", "UBS64", 50 * GiB},
    {"SPSW0LINUX000066", "tensorflow-centos-7.3-64", "TensorFlow CentOS 7.3 (64-bit)",
     "CentOS 7.3 (64-bit)", "LINUX", "LNX64", 50 * GiB},
    {"SPSW0WINNT000016", "win-2016-64", "Windows Server 2016 (64-bit)",
     "Windows Server 2016 (64-bit)", "WINNT", "WND64", 50 * GiB},
};

static const ncp_product_t products[] = {
    {"SPSVRSTAND000056", "vCPU 1EA, Memory 1GB, Disk 50GB", "vCPU 1EA, Memory 1GB, Disk 50GB",
     "MICRO", 1, 1 * GiB, 50 * GiB, "NET", "HDD", "G1"},
    {"SPSVRSTAND000003", "vCPU 1EA, Memory 2GB, Disk 50GB", "vCPU 1개, 메모리 2GB, 디스크 50GB",
     "COMPT", 1, 2 * GiB, 50 * GiB, "NET", "HDD", "G1"},
    {"SPSVRSTAND000049", "vCPU 2EA, Memory 2GB, Disk 50GB", "vCPU 2EA, Memory 2GB, Disk 50GB",
     "COMPT", 2, 2 * GiB, 50 * GiB, "NET", "HDD", "G1"},
    {"SPSVRSTAND000004", "vCPU 2EA, Memory 4GB, Disk 50GB", "vCPU 2개, 메모리 4GB, 디스크 50GB",
     "STAND", 2, 4 * GiB, 50 * GiB, "NET", "HDD", "G1"},
    {"SPSVRSTAND000024", "vCPU 2EA, Memory 8GB, Disk 50GB", "vCPU 2개, 메모리 8GB, 디스크 50GB",
     "STAND", 2, 8 * GiB, 50 * GiB, "NET", "HDD", "G1"},
    {"SPSVRSTAND000005", "vCPU 4EA, Memory 8GB, Disk 50GB", "vCPU 4개, 메모리 8GB, 디스크 50GB",
     "STAND", 4, 8 * GiB, 50 * GiB, "NET", "HDD", "G1"},
    {"SPSVRSSD00000003", "vCPU 2EA, Memory 4GB, [SSD]Disk 50GB",
     "vCPU 2개, 메모리 4GB, [SSD]디스크 50GB", "STAND", 2, 4 * GiB, 50 * GiB, "NET", "SSD", "G1"},
    {"SPSVRSTAND000059", "vCPU 8EA, Memory 64GB, Disk 50GB", "vCPU 8EA, Memory 64GB, Disk 50GB",
     "HIMEM", 8, 64 * GiB, 50 * GiB, "NET", "HDD", "G1"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const ncp_region_t *ncp_catalog_region(int64_t no)
{
    for (size_t i = 0; i < N(regions); i++)
        if (regions[i].no == no)
            return &regions[i];
    return NULL;
}

const ncp_zone_t *ncp_catalog_zone(int64_t no)
{
    for (size_t i = 0; i < N(zones); i++)
        if (zones[i].no == no)
            return &zones[i];
    return NULL;
}

const ncp_image_t *ncp_catalog_image(const char *code)
{
    for (size_t i = 0; i < N(images); i++)
        if (strcmp(images[i].code, code) == 0)
            return &images[i];
    return NULL;
}

const ncp_product_t *ncp_catalog_product(const char *code)
{
    for (size_t i = 0; i < N(products); i++)
        if (strcmp(products[i].code, code) == 0)
            return &products[i];
    return NULL;
}

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

/* catalog.h: regions, zones, server images and server specs (catalog.md §7).
 *
 * The catalogue is data: the built-in tables in catalog.c hold the spec's
 * realistic values, including every value the seed shows. */
#ifndef NCP_CATALOG_H
#define NCP_CATALOG_H
#include <stddef.h>
#include <stdint.h>

typedef struct ncp_region {
    int64_t no;
    const char *code, *name;
} ncp_region_t;

typedef struct ncp_zone {
    int64_t no;
    const char *name, *code, *description;
    int64_t region_no;
} ncp_zone_t;

typedef struct ncp_image {
    const char *code, *name, *description, *os_info;
    const char *product_type; /* LINUX / WINNT */
    const char *platform;     /* LNX64, ... */
    int64_t base_size;
} ncp_image_t;

typedef struct ncp_product {
    const char *code, *name, *description;
    const char *product_type; /* MICRO / COMPT / STAND / HIMEM ... = serverInstanceType */
    int cpu;
    int64_t memory, base_size;
    const char *disk_type;    /* NET / LOCAL */
    const char *disk_detail;  /* HDD / SSD */
    const char *generation;
} ncp_product_t;

const ncp_region_t *ncp_catalog_region(int64_t no);
const ncp_zone_t *ncp_catalog_zone(int64_t no);
const ncp_image_t *ncp_catalog_image(const char *code);
const ncp_product_t *ncp_catalog_product(const char *code);

const char *ncp_catalog_platform_name(const char *code);
const char *ncp_catalog_disk_type_name(const char *code);
const char *ncp_catalog_disk_detail_name(const char *code);
const char *ncp_catalog_server_type_name(const char *code);

#endif

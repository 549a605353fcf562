/* catalog.h: regions, zones, server images, server specs, RAID types and
 * init scripts (catalog.md §7).
 *
 * The catalogue is data: built-in tables (catalog.c) hold the spec's
 * realistic values, including every value the seed shows; an operator can
 * replace the whole of it with a JSON file of the same shape (--catalog,
 * `ncpd catalog dump` prints the built-in one). It is read-only once ncpd
 * serves requests, so readers need no lock. */
#ifndef NCP_CATALOG_H
#define NCP_CATALOG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/err.h"

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
    const char *detail_type;  /* infraResourceDetailType: "" or "BM" */
} ncp_image_t;

typedef struct ncp_product {
    const char *code, *name, *description;
    const char *product_type; /* MICRO / COMPT / STAND / HIMEM ... = serverInstanceType */
    int cpu;
    int64_t memory, base_size;
    const char *disk_type;    /* NET / LOCAL */
    const char *disk_detail;  /* HDD / SSD */
    const char *generation;
    int64_t add_size;         /* addBlockStorageSize */
} ncp_product_t;

typedef struct ncp_raid {
    const char *type_name, *name;
} ncp_raid_t;

typedef struct ncp_init_script {
    const char *no, *name, *create_date, *description, *content, *os_type;
} ncp_init_script_t;

typedef struct ncp_catalog {
    const ncp_region_t *regions;
    size_t n_regions;
    const ncp_zone_t *zones;
    size_t n_zones;
    const ncp_image_t *images;
    size_t n_images;
    const ncp_product_t *products;
    size_t n_products;
    const ncp_raid_t *raids;
    size_t n_raids;
    const ncp_init_script_t *scripts;
    size_t n_scripts;
} ncp_catalog_t;

/* What a real machine of an image boots (the "boot" object of a catalogue
 * file's image; the libvirt driver needs one, the simulator none): either a
 * base disk image (`disk`: each server gets a qcow2 overlay on it) or a
 * kernel (`kernel`, optional `initrd` and `cmdline`: direct kernel boot with
 * an empty root disk). Paths are absolute. */
typedef struct ncp_boot {
    const char *disk, *kernel, *initrd, *cmdline; /* NULL when absent */
} ncp_boot_t;

const ncp_catalog_t *ncp_catalog(void);
/* Replaces the catalogue with the JSON file at path (before serving). */
int ncp_catalog_load_file(const char *path, ncp_err_t *err);
/* Writes the current catalogue as JSON (the file format of --catalog). */
int ncp_catalog_dump(FILE *out);

const ncp_region_t *ncp_catalog_region(int64_t no);
const ncp_zone_t *ncp_catalog_zone(int64_t no);
const ncp_image_t *ncp_catalog_image(const char *code);
const ncp_product_t *ncp_catalog_product(const char *code);
/* The boot source of an image of the current catalogue, or NULL (the
 * built-in catalogue has none). */
const ncp_boot_t *ncp_catalog_image_boot(const ncp_image_t *img);
/* A spec fits an image when the base storage sizes match and it is not a
 * MICRO spec for a Windows image (catalog.md §7.4). */
bool ncp_catalog_fits(const ncp_image_t *img, const ncp_product_t *p);
/* The smallest fitting spec: memory, CPU, base storage, NET before LOCAL. */
const ncp_product_t *ncp_catalog_default_product(const ncp_image_t *img);
/* The first zone of the first region: where servers go by default. */
const ncp_zone_t *ncp_catalog_default_zone(void);

const char *ncp_catalog_platform_name(const char *code);
const char *ncp_catalog_disk_type_name(const char *code);
const char *ncp_catalog_disk_detail_name(const char *code);
const char *ncp_catalog_server_type_name(const char *code);
const char *ncp_catalog_image_type_name(const char *code);

#endif

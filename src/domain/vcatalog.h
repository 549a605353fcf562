/* vcatalog.h: the VPC platform's catalogue: regions and zones by code,
 * server images (XEN generation 2 and KVM generation 3) and server specs
 * (spec/vpc/vserver.md §1.2, §12).
 *
 * Data, like the classic catalogue (catalog.h): built-in tables hold the
 * codes the sources show (BLOG1, BLOG2, SAMPLE3, the provider's acceptance
 * tests); a --catalog JSON file replaces them when it has a "vpc" object
 * (`ncpd catalog dump` prints it with the classic part). Read-only once
 * ncpd serves requests. */
#ifndef NCP_VCATALOG_H
#define NCP_VCATALOG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/catalog.h"
#include "util/err.h"

struct json_t;

typedef struct ncp_vregion {
    const char *code, *name;
} ncp_vregion_t;

typedef struct ncp_vzone {
    const char *code, *name, *description, *region;
} ncp_vzone_t;

typedef struct ncp_vimage {
    const char *no;           /* serverImageNo */
    const char *name;         /* serverImageName, e.g. ubuntu-22.04-base */
    const char *description;
    const char *product_code; /* serverImageProductCode */
    const char *os_info;      /* osInformation */
    const char *platform;     /* platformType: LNX64, UBS64, WND64 */
    const char *os_category;  /* LINUX / WINDOWS */
    const char *os_type;      /* UBUNTU, ROCKY, CENTOS, WINDOWS */
    const char *hypervisor;   /* XEN / KVM */
    const char *generation;   /* G2 (XEN) / G3 (KVM): the specs it takes */
    int64_t base_size;        /* basic storage, bytes */
    const char *volume_type;  /* basic storage volume type (SSD, HDD, CB1 ...) */
    int64_t snapshot_no;      /* blockStorageMapping's snapshot number */
    const char *create_date;
    ncp_boot_t boot;          /* --driver libvirt: what a machine of it boots (catalog.h);
                               * all NULL: none (the built-in catalogue's images) */
} ncp_vimage_t;

typedef struct ncp_vspec {
    const char *code;         /* serverSpecCode, e.g. c2-g3 */
    const char *product_code; /* serverProductCode */
    const char *name;         /* productName */
    const char *description;
    const char *type;         /* serverInstanceType: HICPU, CPU, STAND, HIMEM */
    const char *hypervisor;   /* XEN / KVM */
    const char *generation;   /* G2 / G3 */
    int cpu;
    int64_t memory;           /* bytes */
    const char *disk_detail;  /* XEN: SSD / HDD of the basic storage; KVM: "" */
    int64_t base_size;        /* XEN: the image base size it fits; KVM: 0 (any) */
    int64_t spec_no;
    int64_t network_performance;
    int bs_max_count, bs_max_iops, bs_max_throughput, nic_max_count;
} ncp_vspec_t;

typedef struct ncp_vcatalog {
    const ncp_vregion_t *regions;
    size_t n_regions;
    const ncp_vzone_t *zones;
    size_t n_zones;
    const ncp_vimage_t *images;
    size_t n_images;
    const ncp_vspec_t *specs;
    size_t n_specs;
} ncp_vcatalog_t;

const ncp_vcatalog_t *ncp_vcatalog(void);
/* Replaces the VPC catalogue with the "vpc" object of a --catalog file. */
int ncp_vcatalog_load_json(struct json_t *vpc, const char *path, ncp_err_t *err);
/* The current VPC catalogue as that object (new reference). */
struct json_t *ncp_vcatalog_dump_json(void);

const ncp_vregion_t *ncp_vcatalog_region(const char *code); /* NULL: unknown */
const ncp_vregion_t *ncp_vcatalog_default_region(void);
const ncp_vzone_t *ncp_vcatalog_zone(const char *code);
const ncp_vimage_t *ncp_vcatalog_image_by_no(const char *no);
const ncp_vimage_t *ncp_vcatalog_image_by_code(const char *product_code);
const ncp_vspec_t *ncp_vcatalog_spec_by_code(const char *code);
const ncp_vspec_t *ncp_vcatalog_spec_by_product(const char *product_code);
/* A spec fits an image: same hypervisor and generation, and for XEN the
 * same base storage size. */
bool ncp_vcatalog_fits(const ncp_vimage_t *img, const ncp_vspec_t *s);
/* The smallest fitting spec (memory, then CPU, then code). */
const ncp_vspec_t *ncp_vcatalog_default_spec(const ncp_vimage_t *img);

/* The boot source of a VPC image, or NULL (the built-in catalogue has none;
 * a --catalog file's "vpc" images may carry "boot" as the classic ones do). */
const ncp_boot_t *ncp_vcatalog_image_boot(const ncp_vimage_t *img);

/* Shared with catalog.c: an image object's "boot" member into b (NULL when
 * it is fine or absent, else what is wrong), and b as a JSON object (new
 * reference) for `ncpd catalog dump`. */
const char *ncp_catalog_boot_parse(struct json_t *image, ncp_boot_t *b);
struct json_t *ncp_catalog_boot_json(const ncp_boot_t *b);

/* codeNames */
const char *ncp_vcatalog_type_name(const char *server_type);
const char *ncp_vcatalog_os_name(const char *os_type);

#endif

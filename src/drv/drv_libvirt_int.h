/* drv_libvirt_int.h: the pieces of the libvirt driver shared by its files:
 *   drv_libvirt.c        connection, events, worker, open/close, listing
 *   drv_libvirt_vm.c     machines (create, power, terminate, spec, state)
 *   drv_libvirt_disk.c   block storage volumes
 *   drv_libvirt_files.c  files, external tools, domain XML (no libvirt calls) */
#ifndef NCP_DRV_LIBVIRT_INT_H
#define NCP_DRV_LIBVIRT_INT_H
#include <stdbool.h>
#include <stdint.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "drv/drv.h"

/* ---- drv_libvirt.c ------------------------------------------------------ */

typedef enum { LV_DL_STOP, LV_DL_REBOOT } lv_dl_kind_t;

const char *lv_vm_dir(const ncp_drv_t *d);   /* absolute */
const char *lv_dom_type(const ncp_drv_t *d); /* kvm, qemu or test */
/* A reference on the current connection (virConnectClose() it), or NULL
 * with a clear error while the driver is disconnected. */
virConnectPtr lv_conn_get(ncp_drv_t *d, ncp_err_t *err);
/* Domain ncpd-<no>, or NULL with err set; *missing: libvirt has none. */
virDomainPtr lv_dom_get(virConnectPtr c, int64_t no, bool *missing, ncp_err_t *err);
void lv_fail(ncp_err_t *err, const char *what, int64_t no); /* err from libvirt's last error */
const char *lv_lverr(void);
int lv_lverr_code(void);
int64_t lv_mono_ms(void);
/* What our own call did to a machine (its event follows). */
void lv_known_set(ncp_drv_t *d, int64_t no, ncp_drv_power_t p);
/* Stop timeout: force off (reboot: reset) if still running by then. */
void lv_deadline_set(ncp_drv_t *d, int64_t no, lv_dl_kind_t kind);
void lv_deadline_clear(ncp_drv_t *d, int64_t no);
/* Reports a restart of `no` (ON) from the event loop (test:/// emits none). */
void lv_report_restart(ncp_drv_t *d, int64_t no);

/* ---- drv_libvirt_vm.c, drv_libvirt_disk.c: the ops -------------------------- */

int lv_create_vm(ncp_drv_t *d, const ncp_drv_vm_t *vm, ncp_err_t *err);
int lv_start(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
int lv_stop(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
int lv_reboot(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
int lv_force_off(ncp_drv_t *d, int64_t no, ncp_err_t *err);
int lv_terminate(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
int lv_set_spec(ncp_drv_t *d, int64_t no, int cpus, int64_t memory, ncp_err_t *err);
int lv_state(ncp_drv_t *d, int64_t no, ncp_drv_power_t *out, ncp_err_t *err);
int lv_disk_create(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err);
int lv_disk_attach(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err);
int lv_disk_detach(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err);
int lv_disk_delete(ncp_drv_t *d, int64_t disk_no, ncp_err_t *err);
int lv_disk_resize(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err);

/* ---- drv_libvirt_files.c -------------------------------------------------- */

#define LV_DOM_PREFIX "ncpd-"
#define LV_META_NS "urn:x-ncpd:server:1"
#define LV_EMPTY_ROOT_BYTES (10LL << 30)
#define LV_MAX_VOLUMES 24 /* vdc..vdz */
#define LV_PATH_SLACK 64 /* "/<no>/seed/meta-data" and the like fit in it */

/* "ncpd-<no>" -> no, or 0 when the name is not one of ours. */
int64_t lv_dom_no(const char *name);

/* Files. Paths are <vm_dir>/<no>/...; `out` has PATH_MAX bytes. */
void lv_path(char *out, const char *vm_dir, int64_t no, const char *file);
int lv_mkdir_p(const char *path, ncp_err_t *err);
int lv_rm_rf(const char *path, ncp_err_t *err); /* absent is fine */
bool lv_exists(const char *path);

/* Runs argv[0] (PATH lookup) with stdout/stderr captured; its output
 * becomes the error detail when it fails. */
int lv_run(const char *const argv[], ncp_err_t *err);

/* The machine's root disk and NoCloud seed in `dir` (root.qcow2, seed.iso).
 * Text files holding the password never outlive the call. */
int lv_make_root(const char *dir, const ncp_drv_vm_t *vm, ncp_err_t *err);
int lv_make_seed(const char *dir, const ncp_drv_vm_t *vm, ncp_err_t *err);
/* meta-data and user-data texts (exposed for the unit tests). */
char *lv_meta_data(const ncp_drv_vm_t *vm);
char *lv_user_data(const ncp_drv_vm_t *vm);

/* Domain XML of a new machine whose files are in `dir`. Caller frees. */
char *lv_domain_xml(const char *dom_type, const char *dir, const ncp_drv_vm_t *vm);
/* Disk element of a block storage volume at `target` (vdX). */
char *lv_disk_xml(const char *path, const char *target, int64_t disk_no);

/* Disks of a domain XML: whether `path` is attached (and where), and the
 * first free virtio target name from vdc on. */
typedef struct lv_disk_scan {
    bool found;
    char target[16];      /* target of `path` when found */
    char free_target[16]; /* "" when none is left */
} lv_disk_scan_t;
int lv_scan_disks(const char *dom_xml, const char *path, lv_disk_scan_t *out, ncp_err_t *err);
/* Numbers of the block storage volumes attached in `dom_xml` (disks whose
 * serial is ncpd-<no>, as lv_disk_xml writes them): how many, at most cap,
 * or -1. */
int lv_volume_nos(const char *dom_xml, int64_t *out, int cap, ncp_err_t *err);
/* A copy of `dom_xml` with `disk_xml` appended to its devices, or (when
 * disk_xml is NULL) with the disk of `path` removed. Caller frees. */
char *lv_edit_disks(const char *dom_xml, const char *disk_xml, const char *path, ncp_err_t *err);
/* "kvm" when the domain capabilities for kvm (from
 * virConnectGetDomainCapabilities) show a usable KVM, else "qemu". */
const char *lv_pick_domain_type(const char *kvm_caps_xml, char *why, size_t why_cap);

#endif

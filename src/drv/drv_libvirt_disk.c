/* drv_libvirt_disk.c: block storage volumes of the libvirt driver, files
 * <vm-dir>/<storageNo>/volume.qcow2 made by qemu-img, attached as virtio
 * disks (serial ncpd-<storageNo>): live on a running machine (hot plug;
 * detach waits until the guest let go), through the persistent definition
 * on a stopped one. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drv/drv_libvirt_int.h"

#define DETACH_WAIT_MS 20000 /* the guest releases a hot-unplugged disk */

int lv_disk_create(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err)
{
    char dir[PATH_MAX], path[PATH_MAX], size[32];
    if (disk_no <= 0 || bytes <= 0) {
        ncp_err_internal(err, "libvirt: disk %" PRId64 ": invalid size or number", disk_no);
        return -1;
    }
    lv_path(dir, lv_vm_dir(d), disk_no, NULL);
    lv_path(path, lv_vm_dir(d), disk_no, "volume.qcow2");
    if (lv_exists(path)) {
        ncp_err_internal(err, "libvirt: disk %" PRId64 " already exists", disk_no);
        return -1;
    }
    if (lv_mkdir_p(dir, err) < 0)
        return -1;
    snprintf(size, sizeof(size), "%" PRId64, bytes);
    const char *argv[] = {"qemu-img", "create", "-q", "-f", "qcow2", path, size, NULL};
    if (lv_run(argv, err) < 0) {
        ncp_err_t e;
        ncp_err_init(&e);
        lv_rm_rf(dir, &e);
        return -1;
    }
    return 0;
}

int lv_disk_delete(ncp_drv_t *d, int64_t disk_no, ncp_err_t *err)
{
    char dir[PATH_MAX];
    lv_path(dir, lv_vm_dir(d), disk_no, NULL);
    return lv_rm_rf(dir, err);
}

int lv_disk_resize(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err)
{
    char path[PATH_MAX], size[32];
    lv_path(path, lv_vm_dir(d), disk_no, "volume.qcow2");
    if (!lv_exists(path)) {
        ncp_err_internal(err, "libvirt: no disk %" PRId64, disk_no);
        return -1;
    }
    snprintf(size, sizeof(size), "%" PRId64, bytes);
    /* qemu-img refuses to shrink without --shrink, and to touch an image
     * a running QEMU holds (image locking). */
    const char *argv[] = {"qemu-img", "resize", "-q", "-f", "qcow2", path, size, NULL};
    return lv_run(argv, err);
}

/* The domain's XML (live, or persistent with `inactive`) scanned for path. */
static int scan(virDomainPtr dom, bool inactive, const char *path, lv_disk_scan_t *out,
                int64_t no, ncp_err_t *err)
{
    char *xml = virDomainGetXMLDesc(dom, inactive ? VIR_DOMAIN_XML_INACTIVE : 0);
    if (!xml) {
        lv_fail(err, "reading the XML of", no);
        return -1;
    }
    int rc = lv_scan_disks(xml, path, out, err);
    free(xml);
    return rc;
}

/* Stopped machine: rewrite its persistent definition (adds disk_xml, or
 * removes path when disk_xml is NULL). */
static int redefine(virConnectPtr c, virDomainPtr dom, const char *disk_xml, const char *path,
                    int64_t no, ncp_err_t *err)
{
    char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
    if (!xml) {
        lv_fail(err, "reading the XML of", no);
        return -1;
    }
    char *nxml = lv_edit_disks(xml, disk_xml, path, err);
    free(xml);
    if (!nxml)
        return -1;
    virDomainPtr nd = virDomainDefineXML(c, nxml);
    free(nxml);
    if (!nd) {
        lv_fail(err, "redefining", no);
        return -1;
    }
    virDomainFree(nd);
    return 0;
}

int lv_disk_attach(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err)
{
    int ret = -1;
    char path[PATH_MAX];
    char *dxml = NULL;
    lv_disk_scan_t sc;
    lv_path(path, lv_vm_dir(d), disk_no, "volume.qcow2");
    if (!lv_exists(path)) {
        ncp_err_internal(err, "libvirt: no disk %" PRId64, disk_no);
        return -1;
    }
    virConnectPtr c = lv_conn_get(d, err);
    if (!c)
        return -1;
    virDomainPtr dom = lv_dom_get(c, server_no, NULL, err);
    if (!dom)
        goto cleanup;
    int active = virDomainIsActive(dom);
    if (active < 0) {
        lv_fail(err, "reading the state of", server_no);
        goto cleanup;
    }
    if (scan(dom, !active, path, &sc, server_no, err) < 0)
        goto cleanup;
    if (sc.found) {
        ncp_err_internal(err, "libvirt: disk %" PRId64 " is already attached to " LV_DOM_PREFIX
                              "%" PRId64, disk_no, server_no);
        goto cleanup;
    }
    if (!sc.free_target[0]) {
        ncp_err_internal(err, "libvirt: " LV_DOM_PREFIX "%" PRId64 " has no free disk slot",
                         server_no);
        goto cleanup;
    }
    dxml = lv_disk_xml(path, sc.free_target, disk_no);
    if (active) {
        if (virDomainAttachDeviceFlags(dom, dxml,
                                       VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG) < 0) {
            lv_fail(err, "attaching a disk to", server_no);
            goto cleanup;
        }
    } else if (redefine(c, dom, dxml, path, server_no, err) < 0) {
        goto cleanup;
    }
    ret = 0;
cleanup:
    free(dxml);
    if (dom)
        virDomainFree(dom);
    virConnectClose(c);
    return ret;
}

int lv_disk_detach(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err)
{
    int ret = -1;
    char path[PATH_MAX];
    char *dxml = NULL;
    lv_disk_scan_t live, cfg;
    lv_path(path, lv_vm_dir(d), disk_no, "volume.qcow2");
    virConnectPtr c = lv_conn_get(d, err);
    if (!c)
        return -1;
    virDomainPtr dom = lv_dom_get(c, server_no, NULL, err);
    if (!dom)
        goto cleanup;
    int active = virDomainIsActive(dom);
    if (active < 0) {
        lv_fail(err, "reading the state of", server_no);
        goto cleanup;
    }
    if (scan(dom, true, path, &cfg, server_no, err) < 0)
        goto cleanup;
    if (!active) {
        if (!cfg.found) {
            ncp_err_internal(err, "libvirt: disk %" PRId64 " is not attached to " LV_DOM_PREFIX
                                  "%" PRId64, disk_no, server_no);
            goto cleanup;
        }
        ret = redefine(c, dom, NULL, path, server_no, err);
        goto cleanup;
    }
    if (scan(dom, false, path, &live, server_no, err) < 0)
        goto cleanup;
    if (!live.found && !cfg.found) {
        ncp_err_internal(err, "libvirt: disk %" PRId64 " is not attached to " LV_DOM_PREFIX
                              "%" PRId64, disk_no, server_no);
        goto cleanup;
    }
    if (live.found) {
        dxml = lv_disk_xml(path, live.target, disk_no);
        unsigned flags = VIR_DOMAIN_AFFECT_LIVE | (cfg.found ? VIR_DOMAIN_AFFECT_CONFIG : 0);
        if (virDomainDetachDeviceFlags(dom, dxml, flags) < 0) {
            lv_fail(err, "detaching a disk from", server_no);
            goto cleanup;
        }
        /* Hot unplug completes when the guest lets go of the device. */
        int64_t until = lv_mono_ms() + DETACH_WAIT_MS;
        for (;;) {
            if (scan(dom, false, path, &live, server_no, err) < 0)
                goto cleanup;
            if (!live.found)
                break;
            if (lv_mono_ms() > until) {
                ncp_err_internal(err, "libvirt: the guest of " LV_DOM_PREFIX "%" PRId64
                                      " did not release disk %" PRId64 " within %d s",
                                 server_no, disk_no, DETACH_WAIT_MS / 1000);
                goto cleanup;
            }
            struct timespec ts = {0, 100 * 1000000};
            nanosleep(&ts, NULL);
        }
    } else if (redefine(c, dom, NULL, path, server_no, err) < 0) {
        goto cleanup;
    }
    ret = 0;
cleanup:
    free(dxml);
    if (dom)
        virDomainFree(dom);
    virConnectClose(c);
    return ret;
}

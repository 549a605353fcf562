/* drv_libvirt_vm.c: the machines of the libvirt driver: create (files,
 * definition, start), the power operations, terminate, spec changes and
 * power state. Each call takes a reference on the driver's connection and
 * holds no lock while libvirt works (drv_libvirt.c says why). Completion of
 * stop and reboot comes through the sink; the stop timeout is the
 * worker's (lv_deadline_set). */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drv/drv_libvirt_int.h"

static int check_vm(const ncp_drv_vm_t *vm, ncp_err_t *err)
{
    const char *bad = NULL;
    if (vm->no <= 0)
        bad = "server number";
    else if (!vm->name || !vm->name[0] || strlen(vm->name) > 255)
        bad = "name";
    else if (vm->cpus < 1 || vm->cpus > 255)
        bad = "vCPU count";
    else if (vm->memory < (16LL << 20))
        bad = "memory";
    else if (!vm->boot.disk == !vm->boot.kernel)
        bad = "boot source (a base disk or a kernel, exactly one)";
    else if (vm->ssh_key && strpbrk(vm->ssh_key, "\r\n"))
        bad = "login key (one line)";
    if (bad)
        ncp_err_internal(err, "libvirt: create " LV_DOM_PREFIX "%" PRId64 ": invalid %s",
                         vm->no, bad);
    return bad ? -1 : 0;
}

int lv_create_vm(ncp_drv_t *d, const ncp_drv_vm_t *vm, ncp_err_t *err)
{
    int ret = -1;
    char dir[PATH_MAX];
    char *xml = NULL;
    bool made_dir = false, missing;
    virDomainPtr dom = NULL;
    if (check_vm(vm, err) < 0)
        return -1;
    virConnectPtr c = lv_conn_get(d, err);
    if (!c)
        return -1;
    ncp_err_t probe;
    ncp_err_init(&probe);
    if ((dom = lv_dom_get(c, vm->no, &missing, &probe))) {
        ncp_err_internal(err, "libvirt: machine " LV_DOM_PREFIX "%" PRId64 " already exists",
                         vm->no);
        goto cleanup;
    }
    if (!missing) {
        *err = probe;
        goto cleanup;
    }
    lv_path(dir, lv_vm_dir(d), vm->no, NULL);
    made_dir = true;
    if (lv_rm_rf(dir, err) < 0 || lv_mkdir_p(dir, err) < 0)
        goto cleanup;
    if (lv_make_root(dir, vm, err) < 0 || lv_make_seed(dir, vm, err) < 0)
        goto cleanup;
    xml = lv_domain_xml(lv_dom_type(d), dir, vm);
    if (!xml) {
        ncp_err_internal(err, "libvirt: domain XML too large");
        goto cleanup;
    }
    if (!(dom = virDomainDefineXML(c, xml))) {
        lv_fail(err, "defining", vm->no);
        goto cleanup;
    }
    lv_known_set(d, vm->no, NCP_DRV_POWER_OFF);
    if (virDomainCreate(dom) < 0) {
        lv_fail(err, "starting", vm->no);
        virDomainUndefine(dom);
        lv_known_set(d, vm->no, NCP_DRV_POWER_GONE);
        goto cleanup;
    }
    ret = 0;
cleanup:
    if (ret < 0 && made_dir) {
        ncp_err_t e;
        ncp_err_init(&e);
        lv_rm_rf(dir, &e);
    }
    if (dom)
        virDomainFree(dom);
    virConnectClose(c);
    free(xml);
    return ret;
}

typedef enum { OP_START, OP_STOP, OP_REBOOT, OP_FORCE_OFF } power_op_t;

static int power_op(ncp_drv_t *d, int64_t no, power_op_t op, ncp_err_t *err)
{
    int ret = -1;
    virConnectPtr c = lv_conn_get(d, err);
    if (!c)
        return -1;
    virDomainPtr dom = lv_dom_get(c, no, NULL, err);
    if (!dom)
        goto cleanup;
    switch (op) {
    case OP_START:
        lv_deadline_clear(d, no);
        if (virDomainCreate(dom) < 0) {
            lv_fail(err, "starting", no);
            goto cleanup;
        }
        break;
    case OP_STOP:
        /* The ACPI power button; drivers without that mode (test:///)
         * refuse the flag and take their default. */
        if (virDomainShutdownFlags(dom, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN) < 0 &&
            (lv_lverr_code() != VIR_ERR_INVALID_ARG || virDomainShutdownFlags(dom, 0) < 0)) {
            lv_fail(err, "stopping", no);
            goto cleanup;
        }
        lv_deadline_set(d, no, LV_DL_STOP);
        break;
    case OP_REBOOT:
        if (virDomainReboot(dom, VIR_DOMAIN_REBOOT_ACPI_POWER_BTN) < 0 &&
            (lv_lverr_code() != VIR_ERR_INVALID_ARG || virDomainReboot(dom, 0) < 0)) {
            lv_fail(err, "rebooting", no);
            goto cleanup;
        }
        if (strcmp(lv_dom_type(d), "test") == 0)
            lv_report_restart(d, no); /* restarted already, without an event */
        else
            lv_deadline_set(d, no, LV_DL_REBOOT);
        break;
    case OP_FORCE_OFF:
        lv_deadline_clear(d, no);
        if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0 &&
            virDomainIsActive(dom) != 0) {
            lv_fail(err, "forcing off", no);
            goto cleanup;
        }
        break;
    }
    ret = 0;
cleanup:
    if (dom)
        virDomainFree(dom);
    virConnectClose(c);
    return ret;
}

int lv_start(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return power_op(d, s->no, OP_START, err);
}

int lv_stop(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return power_op(d, s->no, OP_STOP, err);
}

int lv_reboot(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    return power_op(d, s->no, OP_REBOOT, err);
}

int lv_force_off(ncp_drv_t *d, int64_t no, ncp_err_t *err)
{
    return power_op(d, no, OP_FORCE_OFF, err);
}

/* Destroys (when running) and undefines the domain, removes its files.
 * A machine already gone only has its files removed. */
int lv_terminate(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    int ret = -1;
    bool missing;
    char dir[PATH_MAX];
    ncp_err_t probe;
    ncp_err_init(&probe);
    virConnectPtr c = lv_conn_get(d, err);
    if (!c)
        return -1;
    virDomainPtr dom = lv_dom_get(c, s->no, &missing, &probe);
    if (!dom && !missing) {
        *err = probe;
        goto cleanup;
    }
    /* its block storage volumes go with it (the store drops the disks
     * attached to a terminated server) */
    int64_t vols[2 * LV_MAX_VOLUMES];
    int n_vols = 0;
    for (int inactive = 0; dom && inactive < 2; inactive++) {
        char *xml = virDomainGetXMLDesc(dom, inactive ? VIR_DOMAIN_XML_INACTIVE : 0);
        int k = xml ? lv_volume_nos(xml, vols + n_vols, LV_MAX_VOLUMES, err) : -1;
        free(xml);
        if (k < 0) {
            if (!xml)
                lv_fail(err, "reading the XML of", s->no);
            goto cleanup;
        }
        n_vols += k;
    }
    if (dom) {
        if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0 &&
            virDomainIsActive(dom) != 0) {
            lv_fail(err, "destroying", s->no);
            goto cleanup;
        }
        if (virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                            VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) < 0 &&
            (lv_lverr_code() != VIR_ERR_INVALID_ARG || virDomainUndefine(dom) < 0)) {
            lv_fail(err, "undefining", s->no);
            goto cleanup;
        }
    }
    lv_known_set(d, s->no, NCP_DRV_POWER_GONE);
    lv_deadline_clear(d, s->no);
    lv_path(dir, lv_vm_dir(d), s->no, NULL);
    if (lv_rm_rf(dir, err) < 0)
        goto cleanup;
    for (int i = 0; i < n_vols; i++)
        if (vols[i] != s->no && lv_disk_delete(d, vols[i], err) < 0)
            goto cleanup;
    ret = 0;
cleanup:
    if (dom)
        virDomainFree(dom);
    virConnectClose(c);
    return ret;
}

int lv_set_spec(ncp_drv_t *d, int64_t no, int cpus, int64_t memory, ncp_err_t *err)
{
    int ret = -1;
    if (cpus < 1 || cpus > 255 || memory < (16LL << 20)) {
        ncp_err_internal(err, "libvirt: spec of " LV_DOM_PREFIX "%" PRId64 ": invalid %s", no,
                         cpus < 1 || cpus > 255 ? "vCPU count" : "memory");
        return -1;
    }
    virConnectPtr c = lv_conn_get(d, err);
    if (!c)
        return -1;
    virDomainPtr dom = lv_dom_get(c, no, NULL, err);
    if (!dom)
        goto cleanup;
    if (virDomainIsActive(dom) != 0) {
        ncp_err_internal(err, "libvirt: spec of " LV_DOM_PREFIX "%" PRId64
                              ": the machine is running", no);
        goto cleanup;
    }
    const unsigned cfg = VIR_DOMAIN_AFFECT_CONFIG;
    int max_v = virDomainGetVcpusFlags(dom, cfg | VIR_DOMAIN_VCPU_MAXIMUM);
    unsigned long max_m = virDomainGetMaxMemory(dom);
    unsigned long kib = (unsigned long)((memory + 1023) / 1024);
    if (max_v < 0 || max_m == 0) {
        lv_fail(err, "reading the spec of", no);
        goto cleanup;
    }
    /* The maximum first when growing, the current value first when shrinking. */
    bool v_ok = cpus > max_v
                    ? virDomainSetVcpusFlags(dom, (unsigned)cpus, cfg | VIR_DOMAIN_VCPU_MAXIMUM) == 0 &&
                          virDomainSetVcpusFlags(dom, (unsigned)cpus, cfg) == 0
                    : virDomainSetVcpusFlags(dom, (unsigned)cpus, cfg) == 0 &&
                          virDomainSetVcpusFlags(dom, (unsigned)cpus, cfg | VIR_DOMAIN_VCPU_MAXIMUM) == 0;
    if (!v_ok) {
        lv_fail(err, "setting the vCPUs of", no);
        goto cleanup;
    }
    bool m_ok = kib > max_m
                    ? virDomainSetMemoryFlags(dom, kib, cfg | VIR_DOMAIN_MEM_MAXIMUM) == 0 &&
                          virDomainSetMemoryFlags(dom, kib, cfg) == 0
                    : virDomainSetMemoryFlags(dom, kib, cfg) == 0 &&
                          virDomainSetMemoryFlags(dom, kib, cfg | VIR_DOMAIN_MEM_MAXIMUM) == 0;
    if (!m_ok) {
        lv_fail(err, "setting the memory of", no);
        goto cleanup;
    }
    ret = 0;
cleanup:
    if (dom)
        virDomainFree(dom);
    virConnectClose(c);
    return ret;
}

int lv_state(ncp_drv_t *d, int64_t no, ncp_drv_power_t *out, ncp_err_t *err)
{
    int ret = -1;
    bool missing;
    virConnectPtr c = lv_conn_get(d, err);
    if (!c)
        return -1;
    ncp_err_t probe;
    ncp_err_init(&probe);
    virDomainPtr dom = lv_dom_get(c, no, &missing, &probe);
    if (!dom) {
        if (!missing)
            *err = probe;
        else {
            *out = NCP_DRV_POWER_GONE;
            ret = 0;
        }
        goto cleanup;
    }
    int active = virDomainIsActive(dom);
    if (active < 0) {
        lv_fail(err, "reading the state of", no);
        goto cleanup;
    }
    *out = active ? NCP_DRV_POWER_ON : NCP_DRV_POWER_OFF;
    ret = 0;
cleanup:
    if (dom)
        virDomainFree(dom);
    virConnectClose(c);
    return ret;
}

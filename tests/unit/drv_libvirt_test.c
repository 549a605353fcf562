/* drv_libvirt_test.c: the libvirt driver (src/drv/drv_libvirt*.c) against
 * libvirt's own in-process test:///default hypervisor: the whole mapping
 * of operations to domains, files and power reports, plus the texts it
 * writes (seed, domain XML). The same driver against a real libvirtd and a
 * booting guest: tests/vm/ (make test-libvirt). */
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>

#include "drv/drv.h"
#include "drv/drv_libvirt_int.h"
#include "util/log.h"

/* ---- a sink that records ------------------------------------------------ */

typedef struct rec {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct {
        int64_t no;
        ncp_drv_power_t p;
    } ev[4096];
    size_t n;
} rec_t;

static rec_t R = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, {{0, 0}}, 0};

static void rec_power(void *ctx, int64_t no, ncp_drv_power_t p)
{
    rec_t *r = ctx;
    pthread_mutex_lock(&r->mu);
    if (r->n < sizeof(r->ev) / sizeof(r->ev[0])) {
        r->ev[r->n].no = no;
        r->ev[r->n].p = p;
        r->n++;
    }
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static size_t rec_mark(void)
{
    pthread_mutex_lock(&R.mu);
    size_t n = R.n;
    pthread_mutex_unlock(&R.mu);
    return n;
}

/* Whether (no, p) is reported at or after index `from`, within 5 s. */
static bool rec_wait(size_t from, int64_t no, ncp_drv_power_t p)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    bool hit = false;
    pthread_mutex_lock(&R.mu);
    for (;;) {
        for (size_t i = from; i < R.n && !hit; i++)
            hit = R.ev[i].no == no && R.ev[i].p == p;
        if (hit || pthread_cond_timedwait(&R.cv, &R.mu, &until) != 0)
            break;
    }
    for (size_t i = from; i < R.n && !hit; i++)
        hit = R.ev[i].no == no && R.ev[i].p == p;
    pthread_mutex_unlock(&R.mu);
    return hit;
}

/* ---- fixture ---------------------------------------------------------- */

static const ncp_drv_ops_t *O = &ncp_drv_libvirt_ops;
static ncp_drv_t *D;
static char VMDIR[64];
static char KERNEL[128], BASE[128];
static virConnectPtr OTHER; /* "someone with virsh": a second connection */

static int setup(void **state)
{
    (void)state;
    ncp_log_set_level(NCP_LOG_WARN);
    snprintf(VMDIR, sizeof(VMDIR), "/tmp/ncpd-drvtest-XXXXXX");
    if (!mkdtemp(VMDIR))
        return -1;
    snprintf(KERNEL, sizeof(KERNEL), "%s/vmlinuz", VMDIR);
    FILE *f = fopen(KERNEL, "w");
    if (!f)
        return -1;
    fputs("not a kernel\n", f);
    fclose(f);
    snprintf(BASE, sizeof(BASE), "%s/base.qcow2", VMDIR);
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "qemu-img create -q -f qcow2 '%s' 1G", BASE);
    if (system(cmd) != 0)
        return -1;
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_drv_opts_t o = {
        .uri = "test:///default",
        .vm_dir = VMDIR,
        .stop_timeout_s = 0,
        .sink = {&R, rec_power},
    };
    D = O->open_opts(&o, &err);
    if (!D) {
        fprintf(stderr, "open: %s\n", err.detail);
        return -1;
    }
    OTHER = virConnectOpen("test:///default");
    return OTHER ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    O->close(D);
    virConnectClose(OTHER);
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", VMDIR);
    return system(cmd) == 0 ? 0 : -1;
}

static ncp_drv_vm_t vm_kernel(int64_t no, const char *name)
{
    ncp_drv_vm_t vm = {
        .no = no,
        .account_id = 77,
        .name = name,
        .cpus = 2,
        .memory = 256LL << 20,
        .user_data = "#!/bin/sh\necho hello\n",
        .boot = {.kernel = KERNEL, .cmdline = "console=ttyS0"},
    };
    return vm;
}

static ncp_server_t srv(int64_t no)
{
    ncp_server_t s;
    memset(&s, 0, sizeof(s));
    s.no = no;
    return s;
}

static bool file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    return memmem(buf, n, needle, strlen(needle)) != NULL;
}

static bool path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static char *other_xml(int64_t no, bool inactive)
{
    char name[32];
    snprintf(name, sizeof(name), "ncpd-%" PRId64, no);
    virDomainPtr dom = virDomainLookupByName(OTHER, name);
    if (!dom)
        return NULL;
    char *x = virDomainGetXMLDesc(dom, inactive ? VIR_DOMAIN_XML_INACTIVE : 0);
    virDomainFree(dom);
    return x;
}

static ncp_drv_power_t state_of(int64_t no)
{
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_drv_power_t p = 0;
    assert_int_equal(O->state(D, no, &p, &err), 0);
    return p;
}

#define OK(call)                                                                           \
    do {                                                                                   \
        ncp_err_t err_;                                                                    \
        ncp_err_init(&err_);                                                               \
        int rc_ = (call);                                                                  \
        if (rc_ < 0)                                                                       \
            fail_msg("%s: %s", #call, err_.detail);                                        \
    } while (0)
#define E (&err_)

/* The call fails, and its detail contains `text`. */
#define FAILS(call, text)                                                                  \
    do {                                                                                   \
        ncp_err_t err_;                                                                    \
        ncp_err_init(&err_);                                                               \
        assert_true((call) < 0);                                                           \
        assert_int_equal(err_.code, NCP_E_INTERNAL);                                       \
        if (!strstr(err_.detail, (text)))                                                  \
            fail_msg("%s: detail \"%s\" lacks \"%s\"", #call, err_.detail, (text));        \
    } while (0)

/* ---- texts ---------------------------------------------------------------- */

static void test_dom_no(void **state)
{
    (void)state;
    assert_int_equal(lv_dom_no("ncpd-1021003"), 1021003);
    assert_int_equal(lv_dom_no("ncpd-0"), 0);
    assert_int_equal(lv_dom_no("ncpd-012"), 0);
    assert_int_equal(lv_dom_no("ncpd-12a"), 0);
    assert_int_equal(lv_dom_no("ncpd-"), 0);
    assert_int_equal(lv_dom_no("test"), 0);
    assert_int_equal(lv_dom_no("ncpd-1234567890123456789"), 0);
    assert_int_equal(lv_dom_no(NULL), 0);
}

static void test_seed_texts(void **state)
{
    (void)state;
    ncp_drv_vm_t vm = vm_kernel(5, "web-1");
    char *md = lv_meta_data(&vm), *ud = lv_user_data(&vm);
    assert_string_equal(md, "instance-id: ncpd-5\nlocal-hostname: \"web-1\"\n");
    assert_string_equal(ud, "#!/bin/sh\necho hello\n"); /* verbatim without key/password */
    free(md);
    free(ud);

    vm.ssh_key = "ssh-ed25519 AAAAC3Nza key\"quoted";
    vm.root_password = "pa\"ss\\word";
    md = lv_meta_data(&vm);
    ud = lv_user_data(&vm);
    assert_non_null(strstr(md, "public-keys:\n  - \"ssh-ed25519 AAAAC3Nza key\\\"quoted\"\n"));
    assert_non_null(strstr(ud, "Content-Type: multipart/mixed; boundary=\"==ncpd-"));
    assert_non_null(strstr(ud, "#cloud-config\ndisable_root: false\nssh_pwauth: true\n"));
    assert_non_null(strstr(ud, "    - name: root\n      type: text\n"
                               "      password: \"pa\\\"ss\\\\word\"\n"));
    assert_non_null(strstr(ud, "Content-Type: text/plain; charset=\"utf-8\""));
    assert_non_null(strstr(ud, "\n\n#!/bin/sh\necho hello\n\n--==ncpd-"));
    assert_non_null(strstr(ud, "==--\n"));
    free(md);
    free(ud);

    vm.root_password = NULL; /* key only: root may log in with it */
    vm.user_data = NULL;
    ud = lv_user_data(&vm);
    assert_non_null(strstr(ud, "disable_root: false\n"));
    assert_null(strstr(ud, "chpasswd"));
    assert_null(strstr(ud, "text/plain"));
    free(ud);
}

static void test_domain_xml(void **state)
{
    (void)state;
    ncp_drv_vm_t vm = vm_kernel(42, "a<b&c");
    vm.boot.initrd = "/i/initrd.gz";
    char *x = lv_domain_xml("qemu", "/vm/42", &vm);
    assert_non_null(strstr(x, "<domain type='qemu'>"));
    assert_non_null(strstr(x, "<name>ncpd-42</name>"));
    assert_non_null(strstr(x, "<title>a&lt;b&amp;c</title>"));
    assert_non_null(strstr(x, "<ncpd:server xmlns:ncpd='urn:x-ncpd:server:1'>"));
    assert_non_null(strstr(x, "<ncpd:account>77</ncpd:account>"));
    assert_non_null(strstr(x, "<memory unit='KiB'>262144</memory>"));
    assert_non_null(strstr(x, "<vcpu>2</vcpu>"));
    assert_non_null(strstr(x, "machine='pc'"));
    assert_non_null(strstr(x, "<initrd>/i/initrd.gz</initrd>"));
    assert_non_null(strstr(x, "<cmdline>console=ttyS0</cmdline>"));
    assert_non_null(strstr(x, "<source file='/vm/42/seed.iso'/>"));
    assert_non_null(strstr(x, "<target dev='vdb' bus='virtio'/>\n      <readonly/>"));
    assert_non_null(strstr(x, "<source path='/vm/42/console.log' append='on'/>"));
    assert_non_null(strstr(x, "<acpi/>"));
    free(x);
    vm.boot.kernel = NULL;
    vm.boot.disk = "/base.qcow2";
    x = lv_domain_xml("test", "/vm/42", &vm);
    assert_null(strstr(x, "<kernel>"));
    assert_null(strstr(x, "machine="));
    free(x);
}

static void test_disk_xml_edit(void **state)
{
    (void)state;
    const char *dom = "<domain><name>x</name><devices>"
                      "<disk type='file'><source file='/a'/><target dev='vda'/></disk>"
                      "<disk type='file'><source file='/b'/><target dev='vdb'/></disk>"
                      "<disk type='file'><source file='/c'/><target dev='vdd'/></disk>"
                      "</devices></domain>";
    ncp_err_t err;
    ncp_err_init(&err);
    lv_disk_scan_t sc;
    assert_int_equal(lv_scan_disks(dom, "/c", &sc, &err), 0);
    assert_true(sc.found);
    assert_string_equal(sc.target, "vdd");
    assert_string_equal(sc.free_target, "vdc");
    assert_int_equal(lv_scan_disks(dom, "/z", &sc, &err), 0);
    assert_false(sc.found);

    char *dx = lv_disk_xml("/z", "vdc", 900);
    assert_non_null(strstr(dx, "<serial>ncpd-900</serial>"));
    char *added = lv_edit_disks(dom, dx, NULL, &err);
    assert_non_null(added);
    assert_int_equal(lv_scan_disks(added, "/z", &sc, &err), 0);
    assert_true(sc.found);
    assert_string_equal(sc.target, "vdc");
    assert_string_equal(sc.free_target, "vde");
    char *removed = lv_edit_disks(added, NULL, "/b", &err);
    assert_non_null(removed);
    assert_int_equal(lv_scan_disks(removed, "/b", &sc, &err), 0);
    assert_false(sc.found);
    assert_string_equal(sc.free_target, "vde"); /* vda, vdb: root disk and seed */
    assert_null(lv_edit_disks(removed, NULL, "/b", &err));
    assert_non_null(strstr(err.detail, "not in the domain XML"));
    /* the volumes a terminate deletes: disks with serial ncpd-<no> only */
    int64_t vols[4];
    assert_int_equal(lv_volume_nos(dom, vols, 4, &err), 0);
    char *dx7 = lv_disk_xml("/y", "vde", 7);
    char *two = lv_edit_disks(added, dx7, NULL, &err);
    free(dx7);
    assert_non_null(two);
    assert_int_equal(lv_volume_nos(two, vols, 4, &err), 2);
    assert_int_equal(vols[0], 900);
    assert_int_equal(vols[1], 7);
    assert_int_equal(lv_volume_nos(two, vols, 1, &err), 1); /* at most cap */
    assert_int_equal(lv_volume_nos("<domain", vols, 4, &err), -1);
    free(two);
    free(dx);
    free(added);
    free(removed);
}

static void test_pick_domain_type(void **state)
{
    (void)state;
    char why[96];
    assert_string_equal(lv_pick_domain_type(NULL, why, sizeof(why)), "qemu");
    const char *stub = "<domainCapabilities><domain>kvm</domain><cpu>"
                       "<mode name='host-passthrough' supported='yes'/>"
                       "<mode name='host-model' supported='yes'><model>EPYC</model>"
                       "<feature policy='require' name='x2apic'/>"
                       "<feature policy='disable' name='pni'/>"
                       "</mode></cpu></domainCapabilities>";
    assert_string_equal(lv_pick_domain_type(stub, why, sizeof(why)), "qemu");
    assert_non_null(strstr(why, "pni"));
    const char *real = "<domainCapabilities><domain>kvm</domain><cpu>"
                       "<mode name='host-model' supported='yes'><model>EPYC</model>"
                       "<feature policy='require' name='x2apic'/>"
                       "<feature policy='disable' name='svm'/>"
                       "</mode></cpu></domainCapabilities>";
    assert_string_equal(lv_pick_domain_type(real, why, sizeof(why)), "kvm");
}

/* ---- the mapping on test:/// ---------------------------------------------- */

static void test_create_files_and_domain(void **state)
{
    (void)state;
    size_t m = rec_mark();
    ncp_drv_vm_t vm = vm_kernel(1001, "srv-one");
    vm.ssh_key = "ssh-ed25519 AAAAkey root@host";
    vm.root_password = "S3cret!pw";
    OK(O->create_vm(D, &vm, E));
    assert_true(rec_wait(m, 1001, NCP_DRV_POWER_ON));
    assert_int_equal(state_of(1001), NCP_DRV_POWER_ON);

    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/1001/root.qcow2", VMDIR);
    assert_true(file_has(p, "QFI\xfb"));
    snprintf(p, sizeof(p), "%s/1001/seed.iso", VMDIR);
    assert_true(file_has(p, "CIDATA") || file_has(p, "cidata"));
    assert_true(file_has(p, "local-hostname: \"srv-one\""));
    assert_true(file_has(p, "instance-id: ncpd-1001"));
    assert_true(file_has(p, "ssh-ed25519 AAAAkey root@host"));
    assert_true(file_has(p, "password: \"S3cret!pw\""));
    assert_true(file_has(p, "echo hello"));
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(p, sizeof(p), "%s/1001/seed", VMDIR); /* plaintext texts removed */
    assert_false(path_exists(p));

    char *x = other_xml(1001, false);
    assert_non_null(x);
    assert_non_null(strstr(x, "<ncpd:account>77</ncpd:account>"));
    assert_non_null(strstr(x, "<ncpd:no>1001</ncpd:no>"));
    assert_non_null(strstr(x, "<vcpu placement='static'>2</vcpu>"));
    assert_non_null(strstr(x, "<memory unit='KiB'>262144</memory>"));
    assert_non_null(strstr(x, "/1001/console.log"));
    free(x);

    /* same number again: refused, the first machine untouched */
    FAILS(O->create_vm(D, &vm, E), "already exists");
    snprintf(p, sizeof(p), "%s/1001/root.qcow2", VMDIR);
    assert_true(path_exists(p));
}

static void test_create_overlay_and_refusals(void **state)
{
    (void)state;
    ncp_drv_vm_t vm = vm_kernel(1002, "srv-two");
    vm.boot.kernel = NULL;
    vm.boot.cmdline = NULL;
    vm.boot.disk = BASE;
    vm.root_bytes = 2LL << 30;
    OK(O->create_vm(D, &vm, E));
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/1002/root.qcow2", VMDIR);
    assert_true(file_has(p, BASE)); /* the overlay names its backing file */

    ncp_drv_vm_t bad = vm_kernel(1003, "srv-bad");
    bad.boot.disk = BASE; /* both boot sources */
    FAILS(O->create_vm(D, &bad, E), "boot source");
    bad = vm_kernel(1003, "srv-bad");
    bad.boot.kernel = NULL;
    bad.boot.disk = "/nonexistent/base.qcow2";
    FAILS(O->create_vm(D, &bad, E), "base image /nonexistent/base.qcow2");
    bad = vm_kernel(1003, "srv-bad");
    bad.ssh_key = "ssh-rsa AAA\nsecond line";
    FAILS(O->create_vm(D, &bad, E), "login key");
    snprintf(p, sizeof(p), "%s/1003", VMDIR);
    assert_false(path_exists(p)); /* nothing left behind */
    assert_int_equal(state_of(1003), NCP_DRV_POWER_GONE);
}

static void test_power_cycle(void **state)
{
    (void)state;
    ncp_server_t s = srv(1001);
    size_t m = rec_mark();
    OK(O->stop(D, &s, E));
    assert_true(rec_wait(m, 1001, NCP_DRV_POWER_OFF));
    assert_int_equal(state_of(1001), NCP_DRV_POWER_OFF);
    FAILS(O->stop(D, &s, E), "stopping ncpd-1001");
    FAILS(O->reboot(D, &s, E), "rebooting ncpd-1001");

    m = rec_mark();
    OK(O->start(D, &s, E));
    assert_true(rec_wait(m, 1001, NCP_DRV_POWER_ON));
    FAILS(O->start(D, &s, E), "starting ncpd-1001");
    m = rec_mark();
    OK(O->reboot(D, &s, E));
    assert_int_equal(state_of(1001), NCP_DRV_POWER_ON);
    /* test:/// restarts at once without an event: the driver reports it */
    assert_true(rec_wait(m, 1001, NCP_DRV_POWER_ON));

    m = rec_mark();
    OK(O->force_off(D, 1001, E));
    assert_true(rec_wait(m, 1001, NCP_DRV_POWER_OFF));
    OK(O->force_off(D, 1001, E)); /* already off: fine */
    ncp_server_t none = srv(999999);
    FAILS(O->start(D, &none, E), "no machine ncpd-999999");
}

static void test_set_spec(void **state)
{
    (void)state;
    /* 1001 is off (test_power_cycle) */
    OK(O->set_spec(D, 1001, 4, 1LL << 30, E));
    char *x = other_xml(1001, true);
    assert_non_null(strstr(x, "<vcpu placement='static'>4</vcpu>"));
    assert_non_null(strstr(x, "<memory unit='KiB'>1048576</memory>"));
    assert_non_null(strstr(x, "<currentMemory unit='KiB'>1048576</currentMemory>"));
    free(x);
    OK(O->set_spec(D, 1001, 1, 128LL << 20, E)); /* shrinking too */
    x = other_xml(1001, true);
    assert_non_null(strstr(x, "<vcpu placement='static'>1</vcpu>"));
    assert_non_null(strstr(x, "<memory unit='KiB'>131072</memory>"));
    free(x);
    FAILS(O->set_spec(D, 1001, 0, 1LL << 30, E), "vCPU count");
    FAILS(O->set_spec(D, 1002, 2, 1LL << 30, E), "running"); /* 1002 runs */
    FAILS(O->set_spec(D, 999999, 2, 1LL << 30, E), "no machine");
}

static void test_outside_changes_reported(void **state)
{
    (void)state;
    /* someone else starts and stops our machine: the sink hears it */
    virDomainPtr dom = virDomainLookupByName(OTHER, "ncpd-1001");
    assert_non_null(dom);
    size_t m = rec_mark();
    assert_int_equal(virDomainCreate(dom), 0);
    assert_true(rec_wait(m, 1001, NCP_DRV_POWER_ON));
    m = rec_mark();
    assert_int_equal(virDomainShutdown(dom), 0);
    assert_true(rec_wait(m, 1001, NCP_DRV_POWER_OFF));
    virDomainFree(dom);
    /* and domains that are not ours are not reported */
    dom = virDomainLookupByName(OTHER, "test");
    assert_non_null(dom);
    m = rec_mark();
    assert_int_equal(virDomainDestroy(dom), 0);
    assert_int_equal(virDomainCreate(dom), 0);
    virDomainFree(dom);
    struct timespec ts = {0, 200 * 1000000};
    nanosleep(&ts, NULL);
    assert_int_equal(rec_mark(), m);
}

typedef struct listed {
    int64_t no[64];
    ncp_drv_power_t p[64];
    int n;
} listed_t;

static void list_cb(void *ctx, int64_t no, ncp_drv_power_t p)
{
    listed_t *l = ctx;
    if (l->n < 64) {
        l->no[l->n] = no;
        l->p[l->n] = p;
        l->n++;
    }
}

static void test_list(void **state)
{
    (void)state;
    listed_t l = {{0}, {0}, 0};
    ncp_err_t err;
    ncp_err_init(&err);
    int n = O->list(D, list_cb, &l, &err);
    assert_int_equal(n, l.n);
    bool one = false, two = false;
    for (int i = 0; i < l.n; i++) {
        assert_true(l.no[i] > 0); /* never the test driver's own "test" */
        if (l.no[i] == 1001) {
            one = true;
            assert_int_equal(l.p[i], NCP_DRV_POWER_OFF);
        }
        if (l.no[i] == 1002) {
            two = true;
            assert_int_equal(l.p[i], NCP_DRV_POWER_ON);
        }
    }
    assert_true(one && two);
}

static uint64_t qcow2_size(const char *path)
{
    unsigned char h[32];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(h, 1, sizeof(h), f);
    fclose(f);
    if (n < 32)
        return 0;
    uint64_t v = 0;
    for (int i = 24; i < 32; i++)
        v = v << 8 | h[i];
    return v;
}

static void test_disks(void **state)
{
    (void)state;
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/2001/volume.qcow2", VMDIR);
    OK(O->disk_create(D, 2001, 1LL << 30, E));
    assert_int_equal(qcow2_size(p), 1ULL << 30);
    FAILS(O->disk_create(D, 2001, 1LL << 30, E), "already exists");
    FAILS(O->disk_create(D, 2002, 0, E), "invalid size");

    /* stopped machine: its persistent definition changes */
    OK(O->disk_attach(D, 1001, 2001, E));
    char *x = other_xml(1001, true);
    assert_non_null(strstr(x, p));
    assert_non_null(strstr(x, "<target dev='vdc' bus='virtio'/>"));
    assert_non_null(strstr(x, "<serial>ncpd-2001</serial>"));
    free(x);
    FAILS(O->disk_attach(D, 1001, 2001, E), "already attached");
    FAILS(O->disk_attach(D, 1001, 2999, E), "no disk 2999");
    OK(O->disk_create(D, 2002, 1LL << 20, E));
    OK(O->disk_attach(D, 1001, 2002, E));
    x = other_xml(1001, true);
    assert_non_null(strstr(x, "<serial>ncpd-2002</serial>"));
    assert_non_null(strstr(x, "<target dev='vdd' bus='virtio'/>"));
    free(x);

    /* a stopped machine with its disks starts */
    ncp_server_t s = srv(1001);
    OK(O->start(D, &s, E));
    /* test:/// has no live hotplug: the failure is reported, not hidden */
    FAILS(O->disk_detach(D, 1001, 2001, E), "detaching a disk from ncpd-1001");
    OK(O->force_off(D, 1001, E));

    OK(O->disk_detach(D, 1001, 2001, E));
    x = other_xml(1001, true);
    assert_null(strstr(x, "<serial>ncpd-2001</serial>"));
    assert_non_null(strstr(x, "<serial>ncpd-2002</serial>"));
    free(x);
    FAILS(O->disk_detach(D, 1001, 2001, E), "not attached");

    OK(O->disk_resize(D, 2001, 3LL << 30, E));
    assert_int_equal(qcow2_size(p), 3ULL << 30);
    FAILS(O->disk_resize(D, 2001, 1LL << 30, E), "qemu-img failed"); /* no shrinking */
    FAILS(O->disk_resize(D, 2999, 1LL << 30, E), "no disk 2999");
    OK(O->disk_delete(D, 2001, E));
    snprintf(p, sizeof(p), "%s/2001", VMDIR);
    assert_false(path_exists(p));
    OK(O->disk_delete(D, 2001, E)); /* gone already: fine */
}

static void test_terminate(void **state)
{
    (void)state;
    char p[PATH_MAX];
    size_t m = rec_mark();
    ncp_server_t s = srv(1002); /* running: destroyed, then undefined */
    OK(O->terminate(D, &s, E));
    assert_true(rec_wait(m, 1002, NCP_DRV_POWER_GONE));
    assert_int_equal(state_of(1002), NCP_DRV_POWER_GONE);
    snprintf(p, sizeof(p), "%s/1002", VMDIR);
    assert_false(path_exists(p));
    OK(O->terminate(D, &s, E)); /* gone already: fine */

    /* a terminated machine's attached volumes go with it (2002 on 1001; the store
     * drops the disks attached to a terminated server) */
    snprintf(p, sizeof(p), "%s/2002/volume.qcow2", VMDIR);
    assert_true(path_exists(p));
    s = srv(1001);
    OK(O->terminate(D, &s, E));
    assert_false(path_exists(p));
    snprintf(p, sizeof(p), "%s/2002", VMDIR);
    assert_false(path_exists(p));
    OK(O->disk_delete(D, 2002, E)); /* gone already: fine */
    assert_null(other_xml(1001, true));
}

/* Many request threads at once, each walking its own machines. */
typedef struct walker {
    int64_t base;
    int failures;
    char detail[256];
} walker_t;

static void *walk(void *arg)
{
    walker_t *w = arg;
    for (int i = 0; i < 4; i++) {
        int64_t no = w->base + i;
        char name[32];
        snprintf(name, sizeof(name), "par-%" PRId64, no);
        ncp_drv_vm_t vm = vm_kernel(no, name);
        ncp_server_t s = srv(no);
        ncp_err_t err;
        ncp_err_init(&err);
        ncp_drv_power_t p;
        if (O->create_vm(D, &vm, &err) < 0 || O->stop(D, &s, &err) < 0 ||
            O->set_spec(D, no, 3, 512LL << 20, &err) < 0 || O->start(D, &s, &err) < 0 ||
            O->state(D, no, &p, &err) < 0 || p != NCP_DRV_POWER_ON ||
            O->force_off(D, no, &err) < 0 || O->terminate(D, &s, &err) < 0) {
            w->failures++;
            snprintf(w->detail, sizeof(w->detail), "%s", err.detail);
        }
    }
    return NULL;
}

static void test_concurrent_walks(void **state)
{
    (void)state;
    enum { N = 8 };
    pthread_t t[N];
    walker_t w[N];
    for (int i = 0; i < N; i++) {
        w[i] = (walker_t){5000 + i * 10, 0, ""};
        assert_int_equal(pthread_create(&t[i], NULL, walk, &w[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        if (w[i].failures)
            fail_msg("walker %d: %s", i, w[i].detail);
    }
    for (int i = 0; i < N; i++) {
        char p[PATH_MAX];
        snprintf(p, sizeof(p), "%s/%d", VMDIR, 5000 + i * 10);
        assert_false(path_exists(p));
    }
}

static void test_unreachable_and_options(void **state)
{
    (void)state;
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_drv_opts_t o = {.uri = "qemu:///system?socket=/nonexistent/libvirt-sock",
                        .vm_dir = VMDIR};
    assert_null(O->open_opts(&o, &err));
    assert_non_null(strstr(err.detail, "cannot connect to qemu:///system?socket=/nonexistent"));
    ncp_err_init(&err);
    o.uri = "test:///default";
    o.domain_type = "xen";
    assert_null(O->open_opts(&o, &err));
    assert_non_null(strstr(err.detail, "domain type xen"));
    ncp_err_init(&err);
    o.domain_type = NULL;
    o.vm_dir = NULL;
    assert_null(O->open_opts(&o, &err));
    assert_non_null(strstr(err.detail, "no vm directory"));
    ncp_err_init(&err);
    assert_null(O->open("test:///default", &err));
    assert_non_null(strstr(err.detail, "needs open_opts"));
    /* the ABI 1 wrapper reports what this driver leaves to the ABI 2 slots */
    ncp_driver_t drv = {O, D};
    ncp_server_t s = srv(1);
    ncp_err_init(&err);
    assert_int_equal(ncp_drv_call(&drv, NCP_DRV_CHANGE_SPEC, &s, "SPEC", &err), -1);
    assert_non_null(strstr(err.detail, "does not support"));
    assert_ptr_equal(ncp_drv_backend("libvirt"), &ncp_drv_libvirt_ops);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dom_no),
        cmocka_unit_test(test_seed_texts),
        cmocka_unit_test(test_domain_xml),
        cmocka_unit_test(test_disk_xml_edit),
        cmocka_unit_test(test_pick_domain_type),
        cmocka_unit_test(test_create_files_and_domain),
        cmocka_unit_test(test_create_overlay_and_refusals),
        cmocka_unit_test(test_power_cycle),
        cmocka_unit_test(test_set_spec),
        cmocka_unit_test(test_outside_changes_reported),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_disks),
        cmocka_unit_test(test_terminate),
        cmocka_unit_test(test_concurrent_walks),
        cmocka_unit_test(test_unreachable_and_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* drv_libvirt_vm_test.c: the libvirt driver against a real libvirtd (QEMU,
 * TCG here) and the tiny guest of tests/vm/build-guest.sh, whose init
 * reports on its serial console what it sees. Run by tests/vm/run.sh
 * (make test-libvirt), which builds the guest, starts a private libvirtd
 * and passes:
 *   NCPD_VM_URI           the daemon's URI
 *   NCPD_VM_GUEST         folder with vmlinuz, initrd.gz, cmdline
 *   NCPD_VM_DIR           the driver's vm directory (empty)
 *   NCPD_VM_LIBVIRTD      command: "<cmd> kill|start <dir>" kills/restarts the daemon
 *   NCPD_VM_LIBVIRTD_DIR  its folder
 * The tests run in order and share machines; each prints what it measured. */
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

#include "drv/drv.h"
#include "util/log.h"

#define GUEST_WAIT_MS 120000 /* a boot under TCG on a loaded 2-core machine */
#define STOP_TIMEOUT_S 15    /* the driver's forced-off delay in these tests */

static const ncp_drv_ops_t *O = &ncp_drv_libvirt_ops;
static ncp_drv_t *D;
static const char *URI, *VMDIR, *LIBVIRTD, *LIBVIRTD_DIR;
static char KERNEL[PATH_MAX], INITRD[PATH_MAX], CMDLINE[512];

/* ---- the sink ------------------------------------------------------------- */

typedef struct ev {
    int64_t no;
    ncp_drv_power_t p;
    int64_t at_ms;
} ev_t;

static pthread_mutex_t MU = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t CV = PTHREAD_COND_INITIALIZER;
static ev_t EV[4096];
static size_t NEV;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sink(void *ctx, int64_t no, ncp_drv_power_t p)
{
    (void)ctx;
    pthread_mutex_lock(&MU);
    if (NEV < sizeof(EV) / sizeof(EV[0]))
        EV[NEV++] = (ev_t){no, p, now_ms()};
    pthread_cond_broadcast(&CV);
    pthread_mutex_unlock(&MU);
}

static size_t mark(void)
{
    pthread_mutex_lock(&MU);
    size_t n = NEV;
    pthread_mutex_unlock(&MU);
    return n;
}

/* Time (monotonic ms) of the first report (no, p) at or after `from`, or -1. */
static int64_t wait_ev(size_t from, int64_t no, ncp_drv_power_t p, int64_t wait_ms)
{
    int64_t until = now_ms() + wait_ms, at = -1;
    pthread_mutex_lock(&MU);
    for (;;) {
        for (size_t i = from; i < NEV && at < 0; i++)
            if (EV[i].no == no && EV[i].p == p)
                at = EV[i].at_ms;
        if (at >= 0 || now_ms() >= until)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&CV, &MU, &ts);
    }
    pthread_mutex_unlock(&MU);
    return at;
}

/* ---- the guest's console ------------------------------------------------ */

static char *console(int64_t no)
{
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/%" PRId64 "/console.log", VMDIR, no);
    FILE *f = fopen(p, "rb");
    if (!f)
        return strdup("");
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Waits until the console holds `n` lines containing `text`; returns the
 * monotonic time it saw it, or fails the test. */
static int64_t wait_console(int64_t no, const char *text, int n)
{
    int64_t until = now_ms() + GUEST_WAIT_MS;
    for (;;) {
        char *c = console(no);
        int k = count(c, text);
        free(c);
        if (k >= n)
            return now_ms();
        if (now_ms() > until) {
            c = console(no);
            fprintf(stderr, "---- console of %" PRId64 " ----\n%s\n----\n", no, c);
            free(c);
            fail_msg("server %" PRId64 ": console never showed \"%s\" %d times", no, text, n);
        }
        usleep(50 * 1000);
    }
}

/* The value after the last "ncpd-guest: <key>=" in the console. */
static char *last_value(int64_t no, const char *key)
{
    char *c = console(no), pat[64], *last = NULL;
    snprintf(pat, sizeof(pat), "ncpd-guest: %s=", key);
    for (char *p = c; (p = strstr(p, pat)); p += strlen(pat))
        last = p + strlen(pat);
    char *v = NULL;
    if (last)
        v = strndup(last, strcspn(last, "\r\n"));
    free(c);
    return v ? v : strdup("");
}

static bool path_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* ---- helpers ---------------------------------------------------------- */

#define OK(call)                                                                           \
    do {                                                                                   \
        ncp_err_t err_;                                                                    \
        ncp_err_init(&err_);                                                               \
        if ((call) < 0)                                                                    \
            fail_msg("%s: %s", #call, err_.detail);                                        \
    } while (0)
#define E (&err_)

static ncp_server_t srv(int64_t no)
{
    ncp_server_t s;
    memset(&s, 0, sizeof(s));
    s.no = no;
    return s;
}

static ncp_drv_vm_t guest(int64_t no, const char *name, const char *user_data)
{
    ncp_drv_vm_t vm = {
        .no = no,
        .account_id = 9,
        .name = name,
        .cpus = 1,
        .memory = 256LL << 20,
        .root_bytes = 1LL << 30,
        .user_data = user_data,
        .boot = {.kernel = KERNEL, .initrd = INITRD, .cmdline = CMDLINE},
    };
    return vm;
}

static ncp_drv_power_t power(int64_t no)
{
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_drv_power_t p = 0;
    if (O->state(D, no, &p, &err) < 0)
        fail_msg("state %" PRId64 ": %s", no, err.detail);
    return p;
}

static void daemon_ctl(const char *what)
{
    char cmd[PATH_MAX * 2];
    snprintf(cmd, sizeof(cmd), "%s %s '%s' >/dev/null", LIBVIRTD, what, LIBVIRTD_DIR);
    if (system(cmd) != 0)
        fail_msg("%s failed", cmd);
}

static void report(const char *what, int64_t ms)
{
    printf("[ MEASURE  ] %s: %.2f s\n", what, (double)ms / 1000.0);
    fflush(stdout);
}

/* ---- fixture ---------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    ncp_log_set_level(NCP_LOG_INFO);
    URI = getenv("NCPD_VM_URI");
    VMDIR = getenv("NCPD_VM_DIR");
    LIBVIRTD = getenv("NCPD_VM_LIBVIRTD");
    LIBVIRTD_DIR = getenv("NCPD_VM_LIBVIRTD_DIR");
    const char *g = getenv("NCPD_VM_GUEST");
    if (!URI || !VMDIR || !LIBVIRTD || !LIBVIRTD_DIR || !g) {
        fprintf(stderr, "run through tests/vm/run.sh (make test-libvirt)\n");
        return -1;
    }
    snprintf(KERNEL, sizeof(KERNEL), "%s/vmlinuz", g);
    snprintf(INITRD, sizeof(INITRD), "%s/initrd.gz", g);
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/cmdline", g);
    FILE *f = fopen(p, "r");
    if (!f || !fgets(CMDLINE, sizeof(CMDLINE), f))
        return -1;
    fclose(f);
    CMDLINE[strcspn(CMDLINE, "\n")] = '\0';
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_drv_opts_t o = {
        .uri = URI,
        .vm_dir = VMDIR,
        .domain_type = NULL, /* probe: TCG here, /dev/kvm is a stub */
        .stop_timeout_s = STOP_TIMEOUT_S,
        .sink = {NULL, sink},
    };
    int64_t t0 = now_ms();
    D = O->open_opts(&o, &err);
    if (!D) {
        fprintf(stderr, "open: %s\n", err.detail);
        return -1;
    }
    report("open (connect, probe, list)", now_ms() - t0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    O->close(D);
    return 0;
}

/* ---- the walk ----------------------------------------------------------- */

enum { A = 101, DISK = 901, SELF = 102, DEAF = 103, KEEP = 104, DOWN = 105, HUNG = 106 };

static void test_create_boots_with_seed(void **state)
{
    (void)state;
    ncp_drv_vm_t vm = guest(A, "walk-a", "#!/bin/sh\necho user-data-marker-7f3a\n");
    vm.ssh_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyKeyKey walk@test";
    vm.root_password = "Root-Pw-42";
    size_t m = mark();
    int64_t t0 = now_ms();
    OK(O->create_vm(D, &vm, E));
    int64_t t_call = now_ms();
    assert_true(wait_ev(m, A, NCP_DRV_POWER_ON, 10000) >= 0);
    int64_t t_ready = wait_console(A, "ncpd-guest: ready", 1);
    report("create_vm call", t_call - t0);
    report("create to guest init ready", t_ready - t0);
    assert_int_equal(power(A), NCP_DRV_POWER_ON);

    char *c = console(A);
    assert_non_null(strstr(c, "ncpd-guest: hostname=walk-a"));
    assert_non_null(strstr(c, "ncpd-guest: instance-id=ncpd-101"));
    assert_non_null(strstr(c, "echo user-data-marker-7f3a"));
    /* meta-data's public-keys and user-data's cloud-config, as cloud-init takes them */
    assert_non_null(strstr(c, "  - \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyKeyKey walk@test\""));
    assert_non_null(strstr(c, "disable_root: false"));
    assert_non_null(strstr(c, "password: \"Root-Pw-42\""));
    assert_non_null(strstr(c, "ncpd-guest: cpus=1"));
    free(c);
    char *disks = last_value(A, "disks");
    assert_non_null(strstr(disks, "vda:1073741824:")); /* root disk as asked */
    assert_non_null(strstr(disks, "vdb:"));            /* the seed */
    free(disks);
}

static void test_stop_is_the_power_button(void **state)
{
    (void)state;
    ncp_server_t s = srv(A);
    size_t m = mark();
    int64_t t0 = now_ms();
    OK(O->stop(D, &s, E));
    int64_t t_call = now_ms();
    assert_true(t_call - t0 < 2000); /* returns at once */
    int64_t t_off = wait_ev(m, A, NCP_DRV_POWER_OFF, 60000);
    assert_true(t_off >= 0);
    report("stop to shut off (sink OFF)", t_off - t0);
    assert_true(t_off - t0 < STOP_TIMEOUT_S * 1000); /* the guest did it, not the timeout */
    wait_console(A, "ncpd-guest: power button pressed", 1);
    assert_int_equal(power(A), NCP_DRV_POWER_OFF);
}

static void test_start_and_reboot(void **state)
{
    (void)state;
    ncp_server_t s = srv(A);
    size_t m = mark();
    int64_t t0 = now_ms();
    OK(O->start(D, &s, E));
    assert_true(wait_ev(m, A, NCP_DRV_POWER_ON, 10000) >= 0);
    report("start to guest init ready", wait_console(A, "ncpd-guest: ready", 2) - t0);

    m = mark();
    t0 = now_ms();
    OK(O->reboot(D, &s, E));
    /* ACPI: the guest powers off, libvirt restarts it; reported as ON */
    int64_t t_on = wait_ev(m, A, NCP_DRV_POWER_ON, 60000);
    assert_true(t_on >= 0);
    report("reboot to sink ON", t_on - t0);
    wait_console(A, "ncpd-guest: power button pressed", 2);
    report("reboot to guest init ready", wait_console(A, "ncpd-guest: ready", 3) - t0);
    assert_int_equal(power(A), NCP_DRV_POWER_ON);
}

static void test_change_spec_then_start(void **state)
{
    (void)state;
    ncp_server_t s = srv(A);
    size_t m = mark();
    OK(O->stop(D, &s, E));
    assert_true(wait_ev(m, A, NCP_DRV_POWER_OFF, 60000) >= 0);
    OK(O->set_spec(D, A, 2, 384LL << 20, E));
    m = mark();
    OK(O->start(D, &s, E));
    assert_true(wait_ev(m, A, NCP_DRV_POWER_ON, 10000) >= 0);
    wait_console(A, "ncpd-guest: ready", 4);
    char *cpus = last_value(A, "cpus"), *mem = last_value(A, "mem-kb");
    assert_string_equal(cpus, "2");
    assert_true(atol(mem) > 300 * 1024); /* 384 MiB less the kernel's share */
    printf("[ GUEST    ] after change_spec: cpus=%s mem-kb=%s\n", cpus, mem);
    free(cpus);
    free(mem);
}

static void test_disk_hotplug(void **state)
{
    (void)state;
    OK(O->disk_create(D, DISK, 64LL << 20, E));
    int64_t t0 = now_ms();
    OK(O->disk_attach(D, A, DISK, E));
    wait_console(A, "vdc:67108864:ncpd-901", 1);
    report("attach to guest lists the disk", now_ms() - t0);

    t0 = now_ms();
    OK(O->disk_detach(D, A, DISK, E));
    report("detach (guest released the disk)", now_ms() - t0);
    char *disks = NULL;
    int64_t until = now_ms() + 10000;
    for (;;) { /* the guest polls its disks every second */
        free(disks);
        disks = last_value(A, "disks");
        if (!strstr(disks, "ncpd-901") || now_ms() > until)
            break;
        usleep(100 * 1000);
    }
    assert_null(strstr(disks, "ncpd-901"));
    free(disks);

    OK(O->disk_resize(D, DISK, 128LL << 20, E));
    OK(O->disk_attach(D, A, DISK, E));
    wait_console(A, "vdc:134217728:ncpd-901", 1); /* the new size */
    /* a running QEMU holds the image: no resize while attached */
    ncp_err_t err;
    ncp_err_init(&err);
    assert_true(O->disk_resize(D, DISK, 256LL << 20, &err) < 0);
}

static void test_terminate_leaves_nothing(void **state)
{
    (void)state;
    ncp_server_t s = srv(A);
    size_t m = mark();
    OK(O->terminate(D, &s, E)); /* running, with a disk attached */
    assert_true(wait_ev(m, A, NCP_DRV_POWER_GONE, 10000) >= 0);
    assert_int_equal(power(A), NCP_DRV_POWER_GONE);
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/%d", VMDIR, A);
    assert_false(path_exists(p));
    snprintf(p, sizeof(p), "%s/%d", VMDIR, DISK);
    assert_false(path_exists(p)); /* its attached volume went with it */
    OK(O->disk_delete(D, DISK, E)); /* gone already: fine */
}

static void test_guest_powers_itself_off(void **state)
{
    (void)state;
    ncp_drv_vm_t vm = guest(SELF, "walk-self", "#ncpd-guest poweroff-after=1\n");
    size_t m = mark();
    OK(O->create_vm(D, &vm, E));
    assert_true(wait_ev(m, SELF, NCP_DRV_POWER_ON, 10000) >= 0);
    assert_true(wait_ev(m, SELF, NCP_DRV_POWER_OFF, GUEST_WAIT_MS) >= 0);
    wait_console(SELF, "ncpd-guest: powering off by itself", 1);
    assert_int_equal(power(SELF), NCP_DRV_POWER_OFF);
}

static void test_deaf_guest_forced_off(void **state)
{
    (void)state;
    ncp_drv_vm_t vm = guest(DEAF, "walk-deaf", "#ncpd-guest ignore-power-button\n");
    OK(O->create_vm(D, &vm, E));
    wait_console(DEAF, "ncpd-guest: ready", 1);
    ncp_server_t s = srv(DEAF);
    /* reboot: the button is ignored, so the machine is reset after the timeout */
    size_t m = mark();
    int64_t t0 = now_ms();
    OK(O->reboot(D, &s, E));
    int64_t t_on = wait_ev(m, DEAF, NCP_DRV_POWER_ON, (STOP_TIMEOUT_S + 30) * 1000);
    assert_true(t_on >= 0);
    report("deaf guest: reboot to reset (sink ON)", t_on - t0);
    assert_true(t_on - t0 >= STOP_TIMEOUT_S * 1000 - 100);
    wait_console(DEAF, "ncpd-guest: ready", 2); /* it booted again */
    m = mark();
    t0 = now_ms();
    OK(O->stop(D, &s, E));
    int64_t t_off = wait_ev(m, DEAF, NCP_DRV_POWER_OFF, (STOP_TIMEOUT_S + 30) * 1000);
    assert_true(t_off >= 0);
    report("deaf guest: stop to forced off", t_off - t0);
    assert_true(t_off - t0 >= STOP_TIMEOUT_S * 1000 - 100);
    char *c = console(DEAF);
    assert_null(strstr(c, "power button pressed"));
    free(c);
}

static void test_libvirtd_restart_reconciles(void **state)
{
    (void)state;
    /* KEEP runs through the outage; DOWN powers itself off during it; the
     * stop timeout of DEAF (which ignores the button) expires during it */
    ncp_drv_vm_t keep = guest(KEEP, "walk-keep", NULL);
    ncp_drv_vm_t down = guest(DOWN, "walk-down", "#ncpd-guest poweroff-after=6\n");
    ncp_server_t deaf = srv(DEAF);
    OK(O->create_vm(D, &keep, E));
    OK(O->start(D, &deaf, E));
    wait_console(DEAF, "ncpd-guest: ready", 3);
    OK(O->create_vm(D, &down, E));
    wait_console(DOWN, "ncpd-guest: ready", 1);

    OK(O->stop(D, &deaf, E));
    int64_t t_deaf = now_ms();
    daemon_ctl("kill");
    int64_t t_kill = now_ms();
    /* calls fail promptly with a clear message */
    ncp_drv_power_t p;
    ncp_err_t err;
    for (int i = 0; i < 3; i++) {
        ncp_err_init(&err);
        int64_t t0 = now_ms();
        assert_true(O->state(D, KEEP, &p, &err) < 0);
        assert_true(now_ms() - t0 < 1000);
        usleep(300 * 1000);
    }
    printf("[ OUTAGE   ] call while libvirtd is down: %s\n", err.detail);
    assert_non_null(strstr(err.detail, "not connected to"));
    ncp_err_init(&err);
    ncp_server_t s = srv(KEEP);
    assert_true(O->stop(D, &s, &err) < 0);
    assert_non_null(strstr(err.detail, URI));

    wait_console(DOWN, "ncpd-guest: powering off by itself", 1); /* while nobody watches */
    /* and an operator removes the (stopped) SELF's definition meanwhile */
    char def[PATH_MAX];
    snprintf(def, sizeof(def), "%s/libvirtd/etc/qemu/ncpd-%d.xml", LIBVIRTD_DIR, SELF);
    assert_int_equal(unlink(def), 0);
    int64_t due = t_deaf + STOP_TIMEOUT_S * 1000 + 1500;
    if (now_ms() < due)
        usleep((useconds_t)(due - now_ms()) * 1000);
    size_t m = mark();
    int64_t t0 = now_ms();
    daemon_ctl("start");
    int64_t t_up = now_ms();
    int64_t t_keep = wait_ev(m, KEEP, NCP_DRV_POWER_ON, 30000);
    int64_t t_down = wait_ev(m, DOWN, NCP_DRV_POWER_OFF, 30000);
    assert_true(t_keep >= 0);
    assert_true(t_down >= 0);
    report("libvirtd restart", t_up - t0);
    report("libvirtd answering to reconciled", (t_keep > t_down ? t_keep : t_down) - t_up);
    report("outage, kill to reconciled", (t_keep > t_down ? t_keep : t_down) - t_kill);
    /* every other machine is reported too: SELF gone; DEAF still on, then
     * forced off: its stop timeout passed while the daemon was away */
    assert_true(wait_ev(m, SELF, NCP_DRV_POWER_GONE, 1000) >= 0);
    assert_int_equal(power(SELF), NCP_DRV_POWER_GONE);
    int64_t t_deaf_on = wait_ev(m, DEAF, NCP_DRV_POWER_ON, 1000);
    assert_true(t_deaf_on >= 0);
    int64_t t_deaf_off = wait_ev(m, DEAF, NCP_DRV_POWER_OFF, 10000);
    assert_true(t_deaf_off >= t_deaf_on);
    report("stop timeout passed during the outage: reconnect to forced off",
           t_deaf_off - t_deaf_on);

    assert_int_equal(power(KEEP), NCP_DRV_POWER_ON);
    assert_int_equal(power(DOWN), NCP_DRV_POWER_OFF);
    /* and the walk goes on over the new connection */
    m = mark();
    OK(O->stop(D, &s, E));
    assert_true(wait_ev(m, KEEP, NCP_DRV_POWER_OFF, 60000) >= 0);
    for (int64_t no = SELF; no <= DOWN; no++) {
        ncp_server_t t = srv(no);
        OK(O->terminate(D, &t, E));
        assert_int_equal(power(no), NCP_DRV_POWER_GONE);
    }
}

/* libvirtd hangs (SIGSTOP) just before a stop timeout expires: the
 * driver's keepalive gives up on the connection, calls then fail instead
 * of hanging, the forced off is retried and done once the daemon answers;
 * a driver closed meanwhile (its worker stuck reconnecting) still closes. */
static void test_hung_libvirtd(void **state)
{
    (void)state;
    ncp_drv_vm_t vm = guest(HUNG, "walk-hung", "#ncpd-guest ignore-power-button\n");
    OK(O->create_vm(D, &vm, E));
    wait_console(HUNG, "ncpd-guest: ready", 1);
    ncp_server_t s = srv(HUNG);
    ncp_drv_opts_t o2 = {.uri = URI, .vm_dir = VMDIR};
    ncp_drv_t *d2;
    {
        ncp_err_t err2;
        ncp_err_init(&err2);
        d2 = O->open_opts(&o2, &err2);
        if (!d2)
            fail_msg("second driver: %s", err2.detail);
    }
    size_t m = mark();
    OK(O->stop(D, &s, E));
    int64_t t0 = now_ms();
    usleep((useconds_t)(STOP_TIMEOUT_S * 1000 - 2000) * 1000);
    daemon_ctl("pause");
    int64_t t_pause = now_ms();
    ncp_drv_power_t p;
    ncp_err_t err;
    ncp_err_init(&err);
    assert_true(O->state(D, HUNG, &p, &err) < 0); /* blocks until keepalive gives up */
    int64_t t_fail = now_ms();
    report("hung libvirtd: a call fails after", t_fail - t_pause);
    printf("[ HUNG     ] %s\n", err.detail);
    assert_true(t_fail - t_pause < 20000);
    ncp_err_init(&err);
    int64_t t1 = now_ms();
    assert_true(O->state(D, HUNG, &p, &err) < 0); /* and then at once */
    assert_true(now_ms() - t1 < 1000);
    printf("[ HUNG     ] then: %s\n", err.detail);
    assert_true(wait_ev(m, HUNG, NCP_DRV_POWER_OFF, 0) < 0); /* not forced off yet */
    usleep(1000 * 1000); /* d2 lost its connection too, and tries to reconnect */
    int64_t t_close = now_ms();
    O->close(d2);
    report("hung libvirtd: close of a driver reconnecting", now_ms() - t_close);
    assert_true(now_ms() - t_close < 8000);

    daemon_ctl("resume");
    int64_t t_resume = now_ms();
    int64_t t_off = wait_ev(m, HUNG, NCP_DRV_POWER_OFF, 30000);
    assert_true(t_off >= 0);
    assert_true(t_off - t0 >= STOP_TIMEOUT_S * 1000);
    report("hung libvirtd: resume to forced off", t_off - t_resume);
    assert_int_equal(power(HUNG), NCP_DRV_POWER_OFF);
    OK(O->terminate(D, &s, E));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_boots_with_seed),
        cmocka_unit_test(test_stop_is_the_power_button),
        cmocka_unit_test(test_start_and_reboot),
        cmocka_unit_test(test_change_spec_then_start),
        cmocka_unit_test(test_disk_hotplug),
        cmocka_unit_test(test_terminate_leaves_nothing),
        cmocka_unit_test(test_guest_powers_itself_off),
        cmocka_unit_test(test_deaf_guest_forced_off),
        cmocka_unit_test(test_libvirtd_restart_reconciles),
        cmocka_unit_test(test_hung_libvirtd),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

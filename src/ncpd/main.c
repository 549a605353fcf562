/* main.c: ncpd's composition root: configuration, logs, metrics, store,
 * driver, scheduler, TLS, HTTP; signals and readiness; the subcommands.
 *
 * Signals (taken by sigwait in the main thread; every thread blocks them):
 *   SIGTERM, SIGINT  stop: quiesce the listener, finish answered requests,
 *                    stop the scheduler and the committer, exit 0
 *   SIGHUP           reload the TLS certificate and key (new handshakes get
 *                    them; open connections are untouched); a failed reload
 *                    keeps the old ones and is logged
 * Exit codes: 0 stopped by a signal (or --help, --version), 1 start-up
 * failure (store, master key, listener, TLS files), 2 bad configuration. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "act/act.h"
#include "domain/catalog.h"
#include "ncpd/account.h"
#include "ncpd/conf.h"
#include "store/db.h"
#include "ncpd/console.h"
#include "ncpd/httpd.h"
#include "ncpd/metrics_http.h"
#include "ncpd/notify.h"
#include "ncpd/tls.h"
#include "sched/hv.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/metrics.h"

/* Creates the parent directory of the database when it is missing. */
static void ensure_parent(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return;
    *slash = '\0';
    mkdir(dir, 0755);
}

/* The folder of the machines' files: --vm-dir, or vm beside the SQLite
 * database (conf.c refuses a PostgreSQL database without --vm-dir). */
static void vm_dir_of(const ncpd_conf_t *c, char *out, size_t cap)
{
    if (c->vm_dir) {
        snprintf(out, cap, "%s", c->vm_dir);
        return;
    }
    const char *slash = strrchr(c->db, '/');
    if (!slash)
        snprintf(out, cap, "vm");
    else
        snprintf(out, cap, "%.*s/vm", (int)(slash - c->db), c->db);
}

/* ncpd_transitions_pending, counted in the store when scraped, on a
 * connection of its own (scrapes may come from several threads). */
typedef struct pending {
    pthread_mutex_t mu;
    const ncp_store_ops_t *so;
    ncp_store_t *st;
    const char *db;
} pending_t;

static int64_t pending_count(void *arg)
{
    pending_t *p = arg;
    int64_t n = -1;
    ncp_err_t err;
    ncp_err_init(&err);
    pthread_mutex_lock(&p->mu);
    if (!p->st && p->so->trans_count)
        p->st = p->so->open(p->db, &err);
    if (p->st && p->so->trans_count(p->st, &n, &err) < 0)
        n = -1;
    pthread_mutex_unlock(&p->mu);
    return n;
}

static void register_metrics(pending_t *p, bool tls)
{
    size_t n;
    const ncp_action_t *acts = ncp_spec_actions(&n);
    const char **names = calloc(n ? n : 1, sizeof(*names));
    if (!names)
        abort();
    for (size_t i = 0; i < n; i++)
        names[i] = acts[i].name;
    ncp_metrics_init(names, n, ncpd_version(), tls ? "tls" : "");
    free(names); /* the registry keeps the name pointers, not the array */
    ncp_metrics_gauge("ncpd_transitions_pending",
                      "timed transitions waiting in the store for their next step",
                      pending_count, p);
}

/* Memory stays flat under load (bench/soak.py). glibc gives every thread that
 * meets a locked arena a new one, up to 8 per core; with dozens of HTTP workers
 * allocating and freeing connection pools, free memory scattered over those
 * arenas grew RSS by 5.4 MiB in ten minutes after the first (soak at 64
 * connections); two arenas, a fixed mmap threshold and a periodic trim bound it.
 * MALLOC_ARENA_MAX / MALLOC_MMAP_THRESHOLD_ in the environment still win. */
#define TRIM_EVERY_S 30

static void malloc_setup(void)
{
#ifdef __GLIBC__
    if (!getenv("MALLOC_ARENA_MAX"))
        mallopt(M_ARENA_MAX, 2);
    /* a fixed threshold: glibc otherwise raises it each time a large block is
     * freed, and later answers' buffers then fragment the heap instead of being
     * mapped and unmapped (soak: 0.83 MiB in five minutes -> none) */
    if (!getenv("MALLOC_MMAP_THRESHOLD_"))
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

static void malloc_release(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* Runs until SIGTERM/SIGINT; SIGHUP reloads the certificate; between signals the
 * main thread gives free heap pages back to the system every TRIM_EVERY_S. */
static int wait_for_stop(sigset_t *sigs, bool tls)
{
    for (;;) {
        struct timespec every = {TRIM_EVERY_S, 0};
        int sig = sigtimedwait(sigs, NULL, &every);
        if (sig < 0) {
            malloc_release();
            continue;
        }
        if (sig != SIGHUP)
            return sig;
        if (!tls) {
            ncp_log_notice("event=reload signal=SIGHUP result=nothing_to_reload");
            continue;
        }
        ncpd_notify("RELOADING=1");
        ncp_err_t err;
        ncp_err_init(&err);
        if (ncpd_tls_reload(&err) == 0)
            ncp_log_notice("event=tls_reload result=ok not_after=%lld",
                           (long long)ncpd_tls_not_after());
        else
            ncp_log_error("event=tls_reload result=error kept=previous detail=%s", err.detail);
        ncpd_notify("READY=1");
    }
}

static int run(ncpd_conf_t *c)
{
    /* signals are taken by sigwait() below; every thread inherits the mask */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    malloc_setup(); /* before the first thread */

    int ret = 1;
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_app_t app = {0};
    ncp_store_t *st = NULL;
    ncpd_httpd_t *h = NULL;
    bool tls = c->tls_cert != NULL;
    pending_t pending = {.mu = PTHREAD_MUTEX_INITIALIZER, .db = c->db};
    ncpd_console_t *console = NULL;
    ncp_hv_t *hv = NULL; /* --driver libvirt: real machines (sched/hv.h) */
    char vm_dir[4096] = "";

    if (ncp_act_check_table() < 0) {
        ncp_err_internal(&err, "the action table is not sorted or handlers are missing");
        goto cleanup;
    }
    if (!ncp_db_is_pg(c->db))
        ensure_parent(c->db);
    char node_id[300];
    if (c->node_id) {
        snprintf(node_id, sizeof(node_id), "%s", c->node_id);
    } else {
        char host[256] = "localhost";
        gethostname(host, sizeof(host) - 1);
        snprintf(node_id, sizeof(node_id), "%s:%d", host, c->port);
    }
    app.node_id = node_id;
    app.so = &ncp_store_ops;
    pending.so = app.so;
    app.step_ms = c->sim_step_ms;
    app.admin_token = c->admin_token;
    app.log_requests = c->log_requests;
    app.can_defer = true; /* httpd.c finishes deferred requests on threads of their own */
    register_metrics(&pending, tls);
    if (ncpd_master_key_load(c, app.master_key, &err) < 0)
        goto cleanup;
    st = app.so->open(c->db, &err);
    if (!st || ncpd_master_key_verify(app.so, st, app.master_key, &err) < 0 ||
        ncpd_bootstrap(app.so, st, app.master_key, c, &err) < 0)
        goto cleanup;
    if (strcmp(c->driver, "libvirt") == 0) {
        vm_dir_of(c, vm_dir, sizeof(vm_dir));
        ncp_hv_conf_t hc = {.so = app.so,
                            .db = c->db,
                            .master_key = app.master_key,
                            .ops = ncp_drv_backend("libvirt"),
                            .opts = {.uri = c->libvirt_uri,
                                     .vm_dir = vm_dir,
                                     .domain_type = c->libvirt_domain_type,
                                     .stop_timeout_s = (int)c->stop_timeout_s}};
        if (!(hv = ncp_hv_new(&hc, &err)))
            goto cleanup;
        app.drv = ncp_hv_driver(hv);
    } else {
        app.drv.ops = ncp_drv_backend("sim");
        app.drv.d = app.drv.ops->open(c->sim_options, &err);
        if (!app.drv.d)
            goto cleanup;
    }
    app.committer = ncp_commit_new(app.so, c->db, &err);
    if (!app.committer || ncp_commit_start(app.committer) < 0)
        goto cleanup;
    app.sched = ncp_sched_new(app.so, c->db, c->sim_step_ms, app.committer, &app.drv,
                              app.node_id, &err);
    if (!app.sched || ncp_sched_start(app.sched) < 0)
        goto cleanup;
    if (ncp_sched_recovered(app.sched))
        printf("ncpd: completed %d transitions claimed before the last stop\n",
               ncp_sched_recovered(app.sched));
    if (hv && ncp_hv_start(hv, app.committer, &err) < 0)
        goto cleanup;
    if (tls && ncpd_tls_open(c->tls_cert, c->tls_key, &err) < 0)
        goto cleanup;
    if (ncpd_metrics_http_start(c, &err) < 0)
        goto cleanup;
    ncpd_console_conf_t cc = {.idle_ms = (int64_t)c->console_idle_s * 1000,
                              .max_age_ms = 12 * 3600 * 1000,
                              .max_sessions = 10000,
                              .tls = tls};
    console = ncpd_console_new(&app, &cc, &err);
    if (!console)
        goto cleanup;
    h = ncpd_httpd_start(&app, c, console, &err);
    if (!h)
        goto cleanup;
    const char *scheme = tls ? "https" : "http";
    char shown_db[4200];
    ncpd_db_display(c->db, shown_db, sizeof(shown_db));
    int port = ncpd_httpd_port(h);
    if (hv)
        printf("ncpd: listening on %s://%s:%d (database %s, driver libvirt %s, vm dir %s)\n",
               scheme, c->host, port, shown_db, c->libvirt_uri, vm_dir);
    else
        printf("ncpd: listening on %s://%s:%d (database %s, driver sim, step %lld ms)\n",
               scheme, c->host, port, shown_db, (long long)c->sim_step_ms);
    printf("ncpd: try: NCLOUD_API_GW=%s://%s:%d\n", scheme, c->host, port);
    printf("ncpd: console: %s://%s:%d/console/ (sign in with an access key and secret key)\n",
           scheme, c->host, port);
    if (ncpd_metrics_http_port())
        printf("ncpd: metrics on http://%s:%d/_ncpd/metrics\n", c->metrics_host,
               ncpd_metrics_http_port());
    fflush(stdout);
    ncp_log_notice("event=start version=%s listen=%s:%d tls=%s db=%s config=%s metrics_port=%d "
                   "pid=%ld driver=%s",
                   ncpd_version(), c->host, port, tls ? "on" : "off", shown_db,
                   c->config ? c->config : "none", ncpd_metrics_http_port(), (long)getpid(),
                   c->driver);
    /* the store is open and migrated, the listener accepts: ready */
    ncpd_notify("READY=1");

    int sig = wait_for_stop(&sigs, tls);
    ncpd_notify("STOPPING=1");
    ncp_log_notice("event=stop signal=%s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    ret = 0;
cleanup:
    if (ret != 0)
        ncp_log_error("event=start_failed detail=%s", err.detail[0] ? err.detail : err.msg);
    ncpd_httpd_stop(h);
    ncpd_metrics_http_stop();
    ncpd_console_free(console);
    ncp_sched_free(app.sched);
    ncp_hv_free(hv); /* its engine commits: before the committer goes */
    ncp_commit_free(app.committer);
    if (!hv && app.drv.d)
        app.drv.ops->close(app.drv.d);
    if (app.so) {
        app.so->close(st);
        app.so->close(pending.st);
    }
    ncpd_tls_close();
    if (ret == 0)
        ncp_log_notice("event=stopped");
    return ret;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "account") == 0)
        return ncpd_account_main(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "config") == 0)
        return ncpd_conf_main(argc, argv);

    bool dump = argc >= 3 && strcmp(argv[1], "catalog") == 0 && strcmp(argv[2], "dump") == 0;
    ncpd_conf_t c;
    int r = ncpd_conf_load(&c, argc, argv, dump ? 3 : 1);
    int ret = r > 0 ? 0 : 2;
    if (r != 0)
        goto cleanup;
    ncp_log_set_json(strcmp(c.log_format, "json") == 0);
    ncp_log_set_level_name(c.log_level);
    ncp_err_t cerr;
    ncp_err_init(&cerr);
    if (c.catalog && ncp_catalog_load_file(c.catalog, &cerr) < 0) {
        ncp_log_error("event=start_failed detail=%s", cerr.detail);
        ret = 1;
        goto cleanup;
    }
    if (dump) {
        ret = ncp_catalog_dump(stdout) == 0 ? 0 : 1;
        goto cleanup;
    }
    ncp_clock_set_offset_min(c.date_offset_min);
    setvbuf(stdout, NULL, _IOLBF, 0);
    ret = run(&c);
cleanup:
    ncpd_conf_release(&c);
    return ret;
}

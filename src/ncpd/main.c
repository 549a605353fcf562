/* main.c: ncpd's composition root: configuration, store, driver,
 * scheduler, HTTP; signals; the account subcommands. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "act/act.h"
#include "domain/catalog.h"
#include "ncpd/account.h"
#include "ncpd/conf.h"
#include "ncpd/console.h"
#include "ncpd/httpd.h"
#include "util/clock.h"
#include "util/log.h"

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

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "account") == 0)
        return ncpd_account_main(argc, argv);

    bool dump = argc >= 3 && strcmp(argv[1], "catalog") == 0 && strcmp(argv[2], "dump") == 0;
    ncpd_conf_t c;
    int r = ncpd_conf_load(&c, argc, argv, dump ? 3 : 1);
    if (r != 0)
        return r > 0 ? 0 : 2;
    ncp_err_t cerr;
    ncp_err_init(&cerr);
    if (c.catalog && ncp_catalog_load_file(c.catalog, &cerr) < 0) {
        fprintf(stderr, "ncpd: %s\n", cerr.detail);
        return 1;
    }
    if (dump)
        return ncp_catalog_dump(stdout) == 0 ? 0 : 1;
    ncp_clock_set_offset_min(c.date_offset_min);
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* signals are taken by sigwait() below; every thread inherits the mask */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    int ret = 1;
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_app_t app = {0};
    ncp_store_t *st = NULL;
    ncpd_httpd_t *h = NULL;
    ncpd_console_t *console = NULL;

    if (ncp_act_check_table() < 0) {
        fprintf(stderr, "ncpd: the action table is not sorted or handlers are missing\n");
        return 1;
    }
    ensure_parent(c.db);
    app.so = ncp_store_backend("sqlite");
    app.step_ms = c.sim_step_ms;
    app.admin_token = c.admin_token;
    app.log_requests = c.log_requests;
    if (ncpd_master_key_load(c.db, c.master_key, app.master_key, &err) < 0)
        goto cleanup;
    st = app.so->open(c.db, &err);
    if (!st || ncpd_master_key_verify(app.so, st, app.master_key, &err) < 0 ||
        ncpd_bootstrap(app.so, st, app.master_key, &c, &err) < 0)
        goto cleanup;
    app.drv.ops = ncp_drv_backend("sim");
    app.drv.d = app.drv.ops->open(NULL, &err);
    if (!app.drv.d)
        goto cleanup;
    app.committer = ncp_commit_new(app.so, c.db, &err);
    if (!app.committer || ncp_commit_start(app.committer) < 0)
        goto cleanup;
    app.sched = ncp_sched_new(app.so, c.db, c.sim_step_ms, app.committer, &err);
    if (!app.sched || ncp_sched_start(app.sched) < 0)
        goto cleanup;
    ncpd_console_conf_t cc = {.idle_ms = (int64_t)c.console_idle_s * 1000,
                              .max_age_ms = 12 * 3600 * 1000,
                              .max_sessions = 10000,
                              .tls = false /* true once the listener serves TLS */};
    console = ncpd_console_new(&app, &cc, &err);
    if (!console)
        goto cleanup;
    h = ncpd_httpd_start(&app, &c, console, &err);
    if (!h)
        goto cleanup;
    printf("ncpd: listening on http://%s:%d (database %s, driver sim, step %lld ms)\n", c.host,
           ncpd_httpd_port(h), c.db, (long long)c.sim_step_ms);
    printf("ncpd: try: NCLOUD_API_GW=http://%s:%d\n", c.host, ncpd_httpd_port(h));
    printf("ncpd: console: http://%s:%d/console/ (sign in with an access key and secret key)\n",
           c.host, ncpd_httpd_port(h));
    fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    ncp_log_info("signal=%d shutting down", sig);
    ret = 0;
cleanup:
    if (ret != 0)
        fprintf(stderr, "ncpd: %s\n", err.detail[0] ? err.detail : err.msg);
    ncpd_httpd_stop(h);
    ncpd_console_free(console);
    ncp_sched_free(app.sched);
    ncp_commit_free(app.committer);
    if (app.drv.d)
        app.drv.ops->close(app.drv.d);
    if (app.so)
        app.so->close(st);
    return ret;
}

/* conf.h: ncpd configuration, from ONE option table (conf.c).
 *
 * Every option is one row of the table: its name (the long flag and the
 * configuration-file key), its environment variable, type, default,
 * bounds, help text and whether it is a secret. The table drives the
 * command line, the environment, the configuration file, `ncpd config
 * show`, the usage text and the option sections of the man page (`ncpd
 * config options --format roff`, run at build time). Adding an option is
 * one row plus its field in ncpd_conf_t.
 *
 * Precedence: flags > environment > configuration file > defaults. The
 * file is --config FILE (or NCPD_CONFIG); without either, the compiled-in
 * default (NCPD_DEFAULT_CONFIG: /etc/ncpd/ncpd.conf in installed builds,
 * none in the build tree), read only when it exists. */
#ifndef NCPD_CONF_H
#define NCPD_CONF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NCPD_CONF_MAX_OPTS 64

typedef struct ncpd_conf {
    char host[256];
    int port;
    const char *config;         /* configuration file read, NULL: none */
    const char *db;
    int64_t sim_step_ms;
    const char *fixture;        /* "seed" or "none" */
    const char *catalog;        /* JSON catalogue replacing the built-in one, or NULL */
    const char *sim_options;    /* simulator options (drv_sim.c): "external", "delay=MS" */
    const char *driver;         /* "sim" or "libvirt" */
    const char *libvirt_uri;    /* --driver libvirt: the connection */
    const char *vm_dir;         /* --driver libvirt: machines' files; NULL: beside the database */
    const char *libvirt_domain_type; /* "qemu", "kvm"; NULL: probe */
    unsigned stop_timeout_s;    /* power button to forced off */
    size_t max_body;            /* bytes; larger bodies get 413 */
    size_t max_body_total;      /* bytes of all bodies being received at once; beyond: 503 */
    unsigned threads;           /* HTTP worker threads */
    unsigned max_conns;         /* simultaneous connections */
    unsigned conn_timeout_s;    /* seconds a connection has to send a (next) request */
    size_t max_header;          /* per-connection header memory (not an option) */
    int date_offset_min;        /* offset of rendered dates from UTC (default +540, KST) */
    unsigned console_idle_s;    /* a console session ends after this long unused */
    bool log_requests;
    const char *log_format;     /* "kv" or "json" */
    const char *log_level;      /* "debug", "info", "warn", "error" */
    const char *tls_cert, *tls_key; /* PEM files; both or neither */
    bool has_metrics_listen;    /* metrics only on their own listener */
    char metrics_host[256];
    int metrics_port;
    const char *admin_token;
    const char *access_key, *secret_key, *master_key;
    const char *master_key_file; /* the master key's file (PostgreSQL needs this or master_key) */
    const char *node_id;        /* this node's name among several on one database */

    /* where each option's value came from (ncpd config show) */
    unsigned char src[NCPD_CONF_MAX_OPTS];
    const char *src_file;
    int src_line[NCPD_CONF_MAX_OPTS];
    char **owned;               /* strings the fields above point into */
    size_t n_owned;
} ncpd_conf_t;

/* The --db value as it may be shown or logged: a PostgreSQL URI's password
 * (user:PASSWORD@, password=...) replaced by ***. */
const char *ncpd_db_display(const char *db, char *out, size_t n);

/* Fills c from the defaults, the configuration file, the environment and
 * argv[first..argc), in that order of increasing precedence. Returns 0;
 * 1 when --help or --version was answered (exit 0); -1 after printing one
 * line that names the source (file:line, variable or flag) and the reason
 * (exit 2). Release with ncpd_conf_release() in every case. */
int ncpd_conf_load(ncpd_conf_t *c, int argc, char **argv, int first);
void ncpd_conf_release(ncpd_conf_t *c);

/* Short usage (subcommands, pointer to --help) on `out`. */
void ncpd_conf_usage(FILE *out);

/* `ncpd config check FILE | show [flags] | options [--format F]`; returns
 * the exit code. */
int ncpd_conf_main(int argc, char **argv);

/* Writes the effective configuration as a configuration file (secrets
 * masked, sources as comments). */
void ncpd_conf_show(const ncpd_conf_t *c, FILE *out);

/* The version string ("0.1.0"; the Debian package's version in packages). */
const char *ncpd_version(void);

#endif

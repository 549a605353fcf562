/* conf.h: ncpd configuration: defaults, then environment, then flags. */
#ifndef NCPD_CONF_H
#define NCPD_CONF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ncpd_conf {
    char host[256];
    int port;
    const char *db;
    int64_t sim_step_ms;
    const char *fixture;        /* NULL or "seed" */
    const char *catalog;        /* JSON catalogue replacing the built-in one */
    size_t max_body;            /* bytes; larger bodies get 413 */
    unsigned threads;           /* HTTP worker threads */
    unsigned max_conns;         /* simultaneous connections */
    unsigned conn_timeout_s;    /* seconds a connection has to send a (next) request */
    size_t max_header;          /* per-connection header memory */
    int date_offset_min;        /* offset of rendered dates from UTC (default +540, KST) */
    unsigned console_idle_s;    /* a console session ends after this long unused */
    bool log_requests;
    const char *admin_token;
    const char *access_key, *secret_key, *master_key;
} ncpd_conf_t;

/* Fills c from env and argv[first..argc). Prints usage and returns -1 on a
 * bad flag or value; 1 when --help was asked. */
int ncpd_conf_load(ncpd_conf_t *c, int argc, char **argv, int first);
/* The global flags (--db) accepted by the account subcommands too. */
void ncpd_conf_usage(void);

#endif

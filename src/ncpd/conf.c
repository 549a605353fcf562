/* conf.c: see conf.h. */
#include "ncpd/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ncpd_conf_usage(void)
{
    fprintf(stderr,
            "usage: ncpd [--listen HOST:PORT] [--db PATH] [--sim-step-ms N] [--fixture seed]\n"
            "            [--catalog FILE.json] [--max-body BYTES] [--threads N] [--max-conns N]\n"
            "            [--timeout S] [--date-offset MINUTES] [--console-idle S] [--log-requests]\n"
            "       ncpd catalog dump [--catalog FILE.json]\n"
            "       ncpd account create NAME [--db PATH]\n"
            "       ncpd account list [--db PATH]\n"
            "       ncpd account disable-key ACCESS_KEY [--db PATH]\n"
            "environment: NCPD_LISTEN NCPD_DB NCPD_SIM_STEP_MS NCPD_FIXTURE NCPD_CATALOG NCPD_MAX_BODY\n"
            "  NCPD_THREADS NCPD_MAX_CONNS NCPD_TIMEOUT NCPD_DATE_OFFSET NCPD_CONSOLE_IDLE\n"
            "  NCPD_LOG_REQUESTS\n"
            "  NCPD_ACCESS_KEY NCPD_SECRET_KEY NCPD_MASTER_KEY NCPD_ADMIN_TOKEN\n");
}

static int parse_listen(ncpd_conf_t *c, const char *v)
{
    const char *colon = strrchr(v, ':');
    if (!colon || colon == v || (size_t)(colon - v) >= sizeof(c->host))
        return -1;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || colon[1] == '\0')
        return -1;
    const char *h = v;
    size_t hl = (size_t)(colon - v);
    if (h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    memcpy(c->host, h, hl);
    c->host[hl] = '\0';
    c->port = (int)port;
    return 0;
}

static int parse_u64(const char *v, uint64_t max, uint64_t *out)
{
    char *end;
    if (!v || !*v || *v == '-')
        return -1;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end || x > max)
        return -1;
    *out = x;
    return 0;
}

static int set(ncpd_conf_t *c, const char *key, const char *v)
{
    uint64_t x;
    if (strcmp(key, "listen") == 0)
        return parse_listen(c, v);
    if (strcmp(key, "db") == 0) {
        if (!*v)
            return -1;
        c->db = v;
        return 0;
    }
    if (strcmp(key, "sim-step-ms") == 0) {
        if (parse_u64(v, 86400000ULL, &x) < 0)
            return -1;
        c->sim_step_ms = (int64_t)x;
        return 0;
    }
    if (strcmp(key, "fixture") == 0) {
        if (strcmp(v, "seed") != 0 && strcmp(v, "none") != 0 && *v)
            return -1;
        c->fixture = strcmp(v, "seed") == 0 ? "seed" : NULL;
        return 0;
    }
    if (strcmp(key, "catalog") == 0) {
        if (!*v)
            return -1;
        c->catalog = v;
        return 0;
    }
    if (strcmp(key, "date-offset") == 0) {
        char *end;
        long m = strtol(v, &end, 10);
        if (!*v || *end || m < -720 || m > 840)
            return -1;
        c->date_offset_min = (int)m;
        return 0;
    }
    if (strcmp(key, "max-body") == 0) {
        if (parse_u64(v, 1ULL << 30, &x) < 0 || x < 64)
            return -1;
        c->max_body = (size_t)x;
        return 0;
    }
    if (strcmp(key, "threads") == 0) {
        if (parse_u64(v, 256, &x) < 0 || x < 1)
            return -1;
        c->threads = (unsigned)x;
        return 0;
    }
    if (strcmp(key, "max-conns") == 0) {
        if (parse_u64(v, 100000, &x) < 0 || x < 1)
            return -1;
        c->max_conns = (unsigned)x;
        return 0;
    }
    if (strcmp(key, "console-idle") == 0) {
        if (parse_u64(v, 86400, &x) < 0 || x < 1)
            return -1;
        c->console_idle_s = (unsigned)x;
        return 0;
    }
    if (strcmp(key, "timeout") == 0) {
        if (parse_u64(v, 86400, &x) < 0 || x < 1)
            return -1;
        c->conn_timeout_s = (unsigned)x;
        return 0;
    }
    return -1;
}

int ncpd_conf_load(ncpd_conf_t *c, int argc, char **argv, int first)
{
    memset(c, 0, sizeof(*c));
    strcpy(c->host, "127.0.0.1");
    c->port = 8080;
    c->db = "./var/ncpd.db";
    c->sim_step_ms = 1000;
    c->max_body = 1024 * 1024;
    c->threads = 32; /* blocked writers wait for their batch: more threads, bigger batches */
    c->max_conns = 1024;
    c->conn_timeout_s = 15;
    c->max_header = 32 * 1024;
    c->date_offset_min = 540;
    c->console_idle_s = 1800;

    static const struct {
        const char *env, *key;
    } envs[] = {{"NCPD_LISTEN", "listen"},       {"NCPD_DB", "db"},
                {"NCPD_SIM_STEP_MS", "sim-step-ms"}, {"NCPD_FIXTURE", "fixture"}, {"NCPD_CATALOG", "catalog"},
                {"NCPD_DATE_OFFSET", "date-offset"},
                {"NCPD_MAX_BODY", "max-body"},   {"NCPD_THREADS", "threads"},
                {"NCPD_MAX_CONNS", "max-conns"}, {"NCPD_TIMEOUT", "timeout"},
                {"NCPD_CONSOLE_IDLE", "console-idle"}};
    for (size_t i = 0; i < sizeof(envs) / sizeof(envs[0]); i++) {
        const char *v = getenv(envs[i].env);
        if (v && *v && set(c, envs[i].key, v) < 0) {
            fprintf(stderr, "ncpd: bad value for %s: %s\n", envs[i].env, v);
            return -1;
        }
    }
    const char *lr = getenv("NCPD_LOG_REQUESTS");
    c->log_requests = lr && *lr && strcmp(lr, "0") != 0;
    c->admin_token = getenv("NCPD_ADMIN_TOKEN");
    if (c->admin_token && !*c->admin_token)
        c->admin_token = NULL;
    c->access_key = getenv("NCPD_ACCESS_KEY");
    c->secret_key = getenv("NCPD_SECRET_KEY");
    c->master_key = getenv("NCPD_MASTER_KEY");

    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            ncpd_conf_usage();
            return 1;
        }
        if (strcmp(a, "--log-requests") == 0) {
            c->log_requests = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "ncpd: unexpected argument: %s\n", a);
            ncpd_conf_usage();
            return -1;
        }
        const char *key = a + 2, *v = NULL;
        char kbuf[64];
        const char *eq = strchr(key, '=');
        if (eq) {
            size_t kl = (size_t)(eq - key);
            if (kl >= sizeof(kbuf))
                kl = sizeof(kbuf) - 1;
            memcpy(kbuf, key, kl);
            kbuf[kl] = '\0';
            key = kbuf;
            v = eq + 1;
        } else if (i + 1 < argc) {
            v = argv[++i];
        } else {
            fprintf(stderr, "ncpd: %s needs a value\n", a);
            return -1;
        }
        if (set(c, key, v) < 0) {
            fprintf(stderr, "ncpd: bad option or value: --%s %s\n", key, v);
            ncpd_conf_usage();
            return -1;
        }
    }
    return 0;
}

/* conf.c: the option table and everything it drives (see conf.h).
 *
 * Sources are applied in increasing precedence: defaults, then the
 * configuration file, then the environment, then the flags; the first bad
 * value stops the load with one line naming where it came from (FILE:LINE,
 * NCPD_X or --x) and why. Secrets (SECRET rows) are never taken from the
 * command line, where every user of the machine can read them in ps, and
 * are masked by `config show`. */
#include "ncpd/conf.h"
#include "store/db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NCPD_VERSION
#define NCPD_VERSION "0.0.0"
#endif
#ifndef NCPD_DEFAULT_CONFIG
#define NCPD_DEFAULT_CONFIG ""
#endif

#define FILE_MAX (1u << 20)
#define LINE_MAX_LEN 4096

typedef enum {
    T_STR,  /* text, 1..max bytes */
    T_PATH, /* a file name */
    T_UINT, /* decimal integer in [min, max] */
    T_INT,  /* signed decimal integer in [min, max] */
    T_BOOL, /* true/false, yes/no, on/off, 1/0 */
    T_ENUM, /* one of enums ("a|b") */
    T_ADDR, /* HOST:PORT, numeric host, [v6]:port */
} type_t;

/* row flags */
#define F_SECRET 0x1u  /* masked by config show; environment or file only */
#define F_NOFILE 0x2u  /* not a configuration-file key */
#define F_EXISTS 0x4u  /* a file that must be readable */

/* sources, as recorded in c->src */
enum { S_DEFAULT, S_FILE, S_ENV, S_FLAG };

typedef struct opt {
    const char *name;  /* long flag and file key */
    const char *env;   /* environment variable */
    type_t type;
    const char *arg;   /* metavariable in the usage */
    const char *def;   /* default as text; NULL: unset */
    int64_t min, max;  /* INT/UINT bounds; STR/PATH: maximum length (0: none) */
    const char *enums; /* ENUM values, '|'-separated */
    unsigned flags;
    size_t off, size;  /* the field; ADDR: host (char[256]) ... */
    size_t off2;       /* ... and port (int) */
    const char *help;
} opt_t;

#define FIELD(f) offsetof(ncpd_conf_t, f), sizeof(((ncpd_conf_t *)0)->f)

/* THE table. Order = order of the usage text, `config show` and the man page. */
static const opt_t opts[] = {
    {"config", "NCPD_CONFIG", T_PATH, "FILE", NULL, 0, 4095, NULL, F_NOFILE, FIELD(config), 0,
     "configuration file of `key = value` lines (keys are these option names); default "
     "/etc/ncpd/ncpd.conf in installed builds when it exists, none in the build tree"},
    {"listen", "NCPD_LISTEN", T_ADDR, "HOST:PORT", "127.0.0.1:8080", 0, 0, NULL, 0, FIELD(host),
     offsetof(ncpd_conf_t, port),
     "address of the API listener: a numeric IPv4 or [IPv6] address and a port; port 0 picks "
     "a free one"},
    {"db", "NCPD_DB", T_PATH, "PATH", "./var/ncpd.db", 0, 4000, NULL, 0, FIELD(db), 0,
     "the database: a SQLite file (WAL, fsync on commit; its parent directory is created "
     "when missing) or a PostgreSQL URI, postgresql://USER@HOST/DB or "
     "postgresql://USER@/DB?host=/run/postgresql (several nodes may share it)"},
    {"sim-step-ms", "NCPD_SIM_STEP_MS", T_UINT, "N", "1000", 0, 86400000, NULL, 0,
     FIELD(sim_step_ms), 0,
     "duration of each simulated transition step in milliseconds; 0: as soon as the "
     "scheduler sees it"},
    {"fixture", "NCPD_FIXTURE", T_ENUM, "seed|none", "none", 0, 0, "seed|none", 0,
     FIELD(fixture), 0,
     "on an empty database, load the seed's server 1021003 and servers 1021004-1021006"},
    {"sim-options", "NCPD_SIM_OPTIONS", T_STR, "OPTS", NULL, 0, 200, NULL, 0, FIELD(sim_options),
     0,
     "test knobs of the simulated hypervisor, comma-separated: `external` (behave like a "
     "driver with state of its own: claim, act, confirm) and `delay=MS` (each driver call "
     "takes MS milliseconds)"},
    {"driver", "NCPD_DRIVER", T_ENUM, "sim|libvirt", "sim", 0, 0, "sim|libvirt", 0, FIELD(driver),
     0,
     "the hypervisor: the built-in simulator, or real QEMU/KVM machines through libvirt (see "
     "the README's real machines section)"},
    {"libvirt-uri", "NCPD_LIBVIRT_URI", T_STR, "URI", "qemu:///system", 0, 1000, NULL, 0,
     FIELD(libvirt_uri), 0,
     "libvirt connection of --driver libvirt (test:///default: libvirt's in-process test "
     "hypervisor)"},
    {"vm-dir", "NCPD_VM_DIR", T_PATH, "DIR", NULL, 0, 3900, NULL, 0, FIELD(vm_dir), 0,
     "--driver libvirt: folder of each server's disks, seed image and console log "
     "(DIR/serverInstanceNo/); unset: the folder vm beside a SQLite database (./var/vm for "
     "./var/ncpd.db), required with a PostgreSQL database (it has no folder)"},
    {"libvirt-domain-type", "NCPD_LIBVIRT_DOMAIN_TYPE", T_ENUM, "qemu|kvm", NULL, 0, 0,
     "qemu|kvm", 0, FIELD(libvirt_domain_type), 0,
     "--driver libvirt: kvm (hardware virtualisation) or qemu (TCG emulation); unset: kvm "
     "only when the host can really run KVM guests, else qemu"},
    {"stop-timeout", "NCPD_STOP_TIMEOUT", T_UINT, "S", "300", 1, 86400, NULL, 0,
     FIELD(stop_timeout_s), 0,
     "--driver libvirt: seconds a machine has to shut down after the ACPI power button "
     "(stop) or to restart (reboot) before it is forced off (reset); logged when it happens"},
    {"catalog", "NCPD_CATALOG", T_PATH, "FILE.json", NULL, 0, 4095, NULL, F_EXISTS,
     FIELD(catalog), 0, "JSON catalogue (regions, zones, images, products) replacing the built-in one"},
    {"max-body", "NCPD_MAX_BODY", T_UINT, "BYTES", "1048576", 64, 1 << 30, NULL, 0,
     FIELD(max_body), 0, "largest request body; larger ones get a 413 gateway error"},
    {"max-body-total", "NCPD_MAX_BODY_TOTAL", T_UINT, "BYTES", "67108864", 64, 1LL << 40, NULL,
     0, FIELD(max_body_total), 0,
     "memory all request bodies being received may hold at once (at least --max-body); "
     "beyond it a 503 gateway error"},
    {"threads", "NCPD_THREADS", T_UINT, "N", "32", 1, 256, NULL, 0, FIELD(threads), 0,
     "HTTP worker threads (a writer waits for its group commit: more threads make bigger "
     "batches)"},
    {"max-conns", "NCPD_MAX_CONNS", T_UINT, "N", "1024", 1, 100000, NULL, 0, FIELD(max_conns),
     0, "simultaneous connections; extra ones are closed at once"},
    {"console-idle", "NCPD_CONSOLE_IDLE", T_UINT, "S", "1800", 1, 86400, NULL, 0,
     FIELD(console_idle_s), 0,
     "seconds a web console session may stay idle before it ends (sessions also end 12 hours "
     "after sign-in)"},
    {"timeout", "NCPD_TIMEOUT", T_UINT, "S", "15", 1, 86400, NULL, 0, FIELD(conn_timeout_s), 0,
     "seconds a connection has to send a complete request after connecting or after its "
     "previous answer; slower (slow-loris) or idle connections are closed"},
    {"date-offset", "NCPD_DATE_OFFSET", T_INT, "MIN", "540", -720, 840, NULL, 0,
     FIELD(date_offset_min), 0,
     "offset of rendered dates from UTC in minutes (540: +0900, Asia/Seoul, as the platform)"},
    {"tls-cert", "NCPD_TLS_CERT", T_PATH, "FILE", NULL, 0, 4095, NULL, F_EXISTS,
     FIELD(tls_cert), 0,
     "PEM certificate chain: serve HTTPS (TLS 1.2 and 1.3) instead of HTTP; needs tls-key; "
     "reloaded on SIGHUP"},
    {"tls-key", "NCPD_TLS_KEY", T_PATH, "FILE", NULL, 0, 4095, NULL, F_EXISTS, FIELD(tls_key),
     0, "PEM private key of tls-cert; reloaded on SIGHUP"},
    {"metrics-listen", "NCPD_METRICS_LISTEN", T_ADDR, "HOST:PORT", NULL, 0, 0, NULL, 0,
     FIELD(metrics_host), offsetof(ncpd_conf_t, metrics_port),
     "serve GET /_ncpd/metrics (Prometheus text format, plain HTTP) only on this address; "
     "unset: on the API listener"},
    {"log-requests", "NCPD_LOG_REQUESTS", T_BOOL, "", "false", 0, 0, NULL, 0,
     FIELD(log_requests), 0, "one log line per request"},
    {"log-format", "NCPD_LOG_FORMAT", T_ENUM, "kv|json", "kv", 0, 0, "kv|json", 0,
     FIELD(log_format), 0,
     "log lines on stderr as key=value text or as one JSON object per line"},
    {"log-level", "NCPD_LOG_LEVEL", T_ENUM, "LEVEL", "info", 0, 0, "debug|info|warn|error", 0,
     FIELD(log_level), 0, "least severe level logged: debug, info, warn or error"},
    {"access-key", "NCPD_ACCESS_KEY", T_STR, "KEY", NULL, 0, 63, NULL, F_SECRET,
     FIELD(access_key), 0,
     "access key of the bootstrap account (empty database only); generated when unset"},
    {"secret-key", "NCPD_SECRET_KEY", T_STR, "KEY", NULL, 0, 63, NULL, F_SECRET,
     FIELD(secret_key), 0,
     "secret key of the bootstrap account (empty database only); generated when unset"},
    {"master-key", "NCPD_MASTER_KEY", T_STR, "KEY", NULL, 0, 4095, NULL, F_SECRET,
     FIELD(master_key), 0,
     "key that seals API secrets in the database (64 hex digits, or any text, hashed); unset: "
     "the file named like the database plus .key, created on first use"},
    {"master-key-file", "NCPD_MASTER_KEY_FILE", T_PATH, "PATH", NULL, 0, 4095, NULL, 0,
     FIELD(master_key_file), 0,
     "file holding the master key (64 hex digits), created (0600) when missing; with a "
     "PostgreSQL database the key must come from here or from master-key, and every node "
     "needs the same key"},
    {"node-id", "NCPD_NODE_ID", T_STR, "NAME", NULL, 0, 200, NULL, 0, FIELD(node_id), 0,
     "this node's name among several sharing one PostgreSQL database (the scheduler's lease, "
     "the owner of claimed transitions); unset: HOSTNAME:PORT of the listener"},
    {"admin-token", "NCPD_ADMIN_TOKEN", T_STR, "TOKEN", NULL, 0, 4095, NULL, F_SECRET,
     FIELD(admin_token), 0, "enables POST /_ncpd/faults (test fault switch) for this token"},
};
#define N_OPTS (sizeof(opts) / sizeof(opts[0]))
_Static_assert(N_OPTS <= NCPD_CONF_MAX_OPTS, "raise NCPD_CONF_MAX_OPTS");
_Static_assert(sizeof(size_t) == sizeof(uint64_t), "size_t fields are stored as uint64_t");

const char *ncpd_version(void)
{
    return NCPD_VERSION;
}

/* ---- values ------------------------------------------------------------- */

static const char *own(ncpd_conf_t *c, const char *s, size_t n)
{
    char *d = strndup(s, n);
    char **o = realloc(c->owned, (c->n_owned + 1) * sizeof(*o));
    if (!d || !o)
        abort();
    c->owned = o;
    c->owned[c->n_owned++] = d;
    return d;
}

static int parse_addr(const char *v, char host[256], int *port, char *why, size_t wn)
{
    const char *colon = strrchr(v, ':');
    char *end;
    if (!colon || colon == v || colon[1] == '\0') {
        snprintf(why, wn, "expected HOST:PORT, e.g. 127.0.0.1:8080");
        return -1;
    }
    long p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535 || colon[1] == '-' || colon[1] == '+') {
        snprintf(why, wn, "the port must be a number 0..65535");
        return -1;
    }
    const char *h = v;
    size_t hl = (size_t)(colon - v);
    if (h[0] == '[') {
        if (hl < 3 || h[hl - 1] != ']') {
            snprintf(why, wn, "expected [IPv6]:PORT");
            return -1;
        }
        h++;
        hl -= 2;
    }
    if (hl >= 256) {
        snprintf(why, wn, "the host is too long");
        return -1;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    *port = (int)p;
    return 0;
}

static int parse_bool(const char *v, bool *out)
{
    static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

/* Parses v for row o and stores it in c. -1 with the reason in why. */
static int opt_set(ncpd_conf_t *c, const opt_t *o, const char *v, char *why, size_t wn)
{
    char *field = (char *)c + o->off;
    size_t vl = strlen(v);
    if (vl == 0) {
        snprintf(why, wn, "empty value (leave the option out to keep its default)");
        return -1;
    }
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f) {
            snprintf(why, wn, "control characters are not allowed");
            return -1;
        }
    switch (o->type) {
    case T_STR:
    case T_PATH: {
        if (o->max && (int64_t)vl > o->max) {
            snprintf(why, wn, "longer than %lld bytes", (long long)o->max);
            return -1;
        }
        if ((o->flags & F_EXISTS) && access(v, R_OK) != 0) {
            snprintf(why, wn, "cannot read %s: %s", v, strerror(errno));
            return -1;
        }
        const char *s = own(c, v, vl);
        memcpy(field, &s, sizeof(s));
        return 0;
    }
    case T_UINT:
    case T_INT: {
        char *end;
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (*end || errno || (o->type == T_UINT && (v[0] == '-' || v[0] == '+'))) {
            snprintf(why, wn, "'%s' is not %s", v,
                     o->type == T_UINT ? "a non-negative integer" : "an integer");
            return -1;
        }
        if (x < o->min || x > o->max) {
            snprintf(why, wn, "%lld is out of range (%lld..%lld)", x, (long long)o->min,
                     (long long)o->max);
            return -1;
        }
        if (o->size == sizeof(int32_t)) {
            int32_t y = (int32_t)x;
            memcpy(field, &y, sizeof(y));
        } else {
            int64_t y = (int64_t)x;
            memcpy(field, &y, sizeof(y));
        }
        return 0;
    }
    case T_BOOL: {
        bool b;
        if (parse_bool(v, &b) < 0) {
            snprintf(why, wn, "'%s' is not a boolean (true/false, yes/no, on/off, 1/0)", v);
            return -1;
        }
        memcpy(field, &b, sizeof(b));
        return 0;
    }
    case T_ENUM: {
        const char *e = o->enums;
        while (*e) {
            size_t n = strcspn(e, "|");
            if (n == vl && strncasecmp(e, v, n) == 0) {
                const char *s = own(c, e, n);
                memcpy(field, &s, sizeof(s));
                return 0;
            }
            e += n + (e[n] == '|');
        }
        snprintf(why, wn, "'%s' is not one of %s", v, o->enums);
        return -1;
    }
    case T_ADDR:
        return parse_addr(v, field, (int *)((char *)c + o->off2), why, wn);
    }
    return -1;
}

/* The value of row o as text (for config show and the usage); "" when unset. */
static void opt_text(const ncpd_conf_t *c, const opt_t *o, char *out, size_t n)
{
    const char *field = (const char *)c + o->off;
    out[0] = '\0';
    switch (o->type) {
    case T_STR:
    case T_PATH:
    case T_ENUM: {
        const char *s;
        memcpy(&s, field, sizeof(s));
        snprintf(out, n, "%s", s ? s : "");
        break;
    }
    case T_UINT:
    case T_INT:
        if (o->size == sizeof(int32_t)) {
            int32_t y;
            memcpy(&y, field, sizeof(y));
            if (o->type == T_UINT)
                snprintf(out, n, "%u", (unsigned)y);
            else
                snprintf(out, n, "%d", (int)y);
        } else {
            int64_t y;
            memcpy(&y, field, sizeof(y));
            snprintf(out, n, "%lld", (long long)y);
        }
        break;
    case T_BOOL: {
        bool b;
        memcpy(&b, field, sizeof(b));
        snprintf(out, n, "%s", b ? "true" : "false");
        break;
    }
    case T_ADDR: {
        int port;
        memcpy(&port, (const char *)c + o->off2, sizeof(port));
        if (field[0])
            snprintf(out, n, strchr(field, ':') ? "[%s]:%d" : "%s:%d", field, port);
        break;
    }
    }
}

static const opt_t *opt_find(const char *name, size_t n)
{
    char key[64];
    if (n == 0 || n >= sizeof(key))
        return NULL;
    for (size_t i = 0; i < n; i++) /* file keys may be snake_case (STYLE.md) */
        key[i] = name[i] == '_' ? '-' : name[i];
    key[n] = '\0';
    for (size_t i = 0; i < N_OPTS; i++)
        if (strcmp(opts[i].name, key) == 0)
            return &opts[i];
    return NULL;
}

/* The option name closest to `word` (edit distance), for "did you mean". */
static const char *closest(const char *word, size_t wl)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    if (wl > 63)
        wl = 63;
    for (size_t i = 0; i < N_OPTS; i++) {
        const char *s = opts[i].name;
        size_t sl = strlen(s), prev[64], cur[64];
        for (size_t j = 0; j <= sl; j++)
            prev[j] = j;
        for (size_t k = 1; k <= wl; k++) {
            cur[0] = k;
            for (size_t j = 1; j <= sl; j++) {
                char a = word[k - 1] == '_' ? '-' : word[k - 1];
                size_t d = prev[j - 1] + (a != s[j - 1]);
                if (prev[j] + 1 < d)
                    d = prev[j] + 1;
                if (cur[j - 1] + 1 < d)
                    d = cur[j - 1] + 1;
                cur[j] = d;
            }
            memcpy(prev, cur, (sl + 1) * sizeof(size_t));
        }
        if (prev[sl] < best_d) {
            best_d = prev[sl];
            best = s;
        }
    }
    return best_d <= 3 ? best : NULL;
}

static void set_src(ncpd_conf_t *c, const opt_t *o, int src, int line)
{
    size_t i = (size_t)(o - opts);
    c->src[i] = (unsigned char)src;
    c->src_line[i] = line;
}

/* ---- the configuration file --------------------------------------------- */

/* Reads and applies `path`. Errors: "path:line: reason" on stderr, -1. */
static int file_apply(ncpd_conf_t *c, const char *path)
{
    int ret = -1;
    char *data = NULL;
    int first_line[N_OPTS] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ncpd: %s: cannot read the configuration file: %s\n", path,
                strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "ncpd: %s: not a regular file\n", path);
        goto cleanup;
    }
    data = malloc(FILE_MAX + 1);
    if (!data)
        abort();
    size_t len = fread(data, 1, FILE_MAX + 1, f);
    if (ferror(f)) {
        fprintf(stderr, "ncpd: %s: cannot read the configuration file: %s\n", path,
                strerror(errno));
        goto cleanup;
    }
    if (len > FILE_MAX) {
        fprintf(stderr, "ncpd: %s: larger than %u bytes\n", path, FILE_MAX);
        goto cleanup;
    }
    data[len] = '\0';
    bool has_secret = false;
    int line = 0;
    size_t pos = 0;
    while (pos < len) {
        line++;
        char *l = data + pos;
        size_t ll = strcspn(l, "\n");
        if (memchr(l, '\0', ll) || (pos + ll < len && l[ll] == '\0')) {
            fprintf(stderr, "ncpd: %s:%d: the line holds a NUL byte\n", path, line);
            goto cleanup;
        }
        pos += ll + 1;
        if (ll > LINE_MAX_LEN) {
            fprintf(stderr, "ncpd: %s:%d: line longer than %d bytes\n", path, line,
                    LINE_MAX_LEN);
            goto cleanup;
        }
        l[ll] = '\0';
        if (ll && l[ll - 1] == '\r')
            l[--ll] = '\0';
        char *s = l;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            fprintf(stderr, "ncpd: %s:%d: expected 'key = value', got '%.60s'\n", path, line,
                    s);
            goto cleanup;
        }
        char *ke = eq;
        while (ke > s && (ke[-1] == ' ' || ke[-1] == '\t'))
            ke--;
        size_t kl = (size_t)(ke - s);
        if (kl == 0) {
            fprintf(stderr, "ncpd: %s:%d: no key before '='\n", path, line);
            goto cleanup;
        }
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t vl = strlen(v);
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            v[--vl] = '\0';
        if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
            v[vl - 1] = '\0';
            v++;
        }
        const opt_t *o = opt_find(s, kl);
        if (!o) {
            const char *near = closest(s, kl);
            fprintf(stderr, "ncpd: %s:%d: unknown key '%.*s'%s%s%s\n", path, line,
                    (int)(kl > 64 ? 64 : kl), s, near ? "; did you mean '" : "",
                    near ? near : "", near ? "'?" : "");
            goto cleanup;
        }
        if (o->flags & F_NOFILE) {
            fprintf(stderr, "ncpd: %s:%d: %s cannot be set in a configuration file\n", path,
                    line, o->name);
            goto cleanup;
        }
        size_t i = (size_t)(o - opts);
        if (first_line[i]) {
            fprintf(stderr, "ncpd: %s:%d: %s is set twice (first on line %d)\n", path, line,
                    o->name, first_line[i]);
            goto cleanup;
        }
        first_line[i] = line;
        char why[300];
        if (opt_set(c, o, v, why, sizeof(why)) < 0) {
            fprintf(stderr, "ncpd: %s:%d: %s: %s\n", path, line, o->name, why);
            goto cleanup;
        }
        set_src(c, o, S_FILE, line);
        has_secret |= (o->flags & F_SECRET) != 0;
    }
    if (has_secret && (sb.st_mode & 0007))
        fprintf(stderr, "ncpd: warning: %s holds secrets and is readable by every user "
                        "(chmod o-rwx it)\n", path);
    c->src_file = own(c, path, strlen(path));
    ret = 0;
cleanup:
    free(data);
    fclose(f);
    return ret;
}

/* ---- the command line --------------------------------------------------- */

typedef struct flag {
    const opt_t *o;
    const char *v;
} flag_t;

void ncpd_conf_usage(FILE *out)
{
    fprintf(out,
            "usage: ncpd [OPTIONS]                        run the daemon\n"
            "       ncpd config check FILE                validate a configuration file\n"
            "       ncpd config show [OPTIONS]            print the effective configuration\n"
            "       ncpd config options [--format text|roff|markdown]\n"
            "       ncpd account create NAME [OPTIONS]    new account and key pair\n"
            "       ncpd account list [OPTIONS]\n"
            "       ncpd account disable-key ACCESS_KEY [OPTIONS]\n"
            "       ncpd catalog dump [--catalog FILE.json]\n"
            "       ncpd --version | --help\n");
}

/* The option list: flag, environment variable, default, help. */
static void options_text(FILE *out)
{
    fputs("options (--flag VALUE or --flag=VALUE; environment variable; default):\n", out);
    for (size_t i = 0; i < N_OPTS; i++) {
        const opt_t *o = &opts[i];
        char flag[64];
        if (o->flags & F_SECRET)
            snprintf(flag, sizeof(flag), "(file) %s", o->name);
        else
            snprintf(flag, sizeof(flag), "--%s%s%s", o->name, o->arg[0] ? " " : "", o->arg);
        fprintf(out, "  %-28s %-20s %s\n      %s\n", flag, o->env, o->def ? o->def : "unset",
                o->help);
    }
    fputs("Secrets (access-key, secret-key, master-key, admin-token) come from the "
          "environment\nor the configuration file, never from the command line.\n",
          out);
}

static void help(void)
{
    ncpd_conf_usage(stdout);
    putchar('\n');
    options_text(stdout);
    puts("\nSee ncpd(8).");
}

/* Collects argv[first..argc) into flags (not applied yet). */
static int flags_parse(int argc, char **argv, int first, flag_t *flags, size_t *n_flags)
{
    *n_flags = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help();
            return 1;
        }
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("ncpd %s\n", ncpd_version());
            return 1;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "ncpd: unexpected argument '%s' (ncpd --help)\n", a);
            return -1;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t nl = eq ? (size_t)(eq - name) : strlen(name);
        const opt_t *o = NULL;
        for (size_t k = 0; k < N_OPTS && !o; k++)
            if (strlen(opts[k].name) == nl && strncmp(opts[k].name, name, nl) == 0)
                o = &opts[k];
        if (!o) {
            const char *near = closest(name, nl);
            fprintf(stderr, "ncpd: unknown option --%.*s%s%s%s (ncpd --help)\n",
                    (int)(nl > 64 ? 64 : nl), name, near ? "; did you mean --" : "",
                    near ? near : "", near ? "?" : "");
            return -1;
        }
        if (o->flags & F_SECRET) {
            fprintf(stderr,
                    "ncpd: --%s: secrets are not taken on the command line (every user sees "
                    "them in ps); set %s or put %s in the configuration file\n",
                    o->name, o->env, o->name);
            return -1;
        }
        const char *v;
        if (eq)
            v = eq + 1;
        else if (o->type == T_BOOL)
            v = "true";
        else if (i + 1 < argc)
            v = argv[++i];
        else {
            fprintf(stderr, "ncpd: --%s needs a value (%s)\n", o->name, o->arg);
            return -1;
        }
        flags[(*n_flags)++] = (flag_t){o, v};
    }
    return 0;
}

/* Checks between options, once every source is applied; `file`: the file
 * checked alone (config check), named in the message. */
static int cross_check(const ncpd_conf_t *c, const char *file)
{
    const char *f = file ? file : "", *sep = file ? ": " : "";
    if (!c->tls_cert != !c->tls_key) {
        fprintf(stderr, "ncpd: %s%s%s is set but %s is not: HTTPS needs both\n", f, sep,
                c->tls_cert ? "tls-cert" : "tls-key", c->tls_cert ? "tls-key" : "tls-cert");
        return -1;
    }
    if (c->max_body_total < c->max_body) {
        fprintf(stderr, "ncpd: %s%smax-body-total (%zu) is smaller than max-body (%zu)\n", f, sep,
                c->max_body_total, c->max_body);
        return -1;
    }
    if (strcmp(c->driver, "libvirt") == 0 && !c->vm_dir && ncp_db_is_pg(c->db)) {
        fprintf(stderr, "ncpd: %s%s--driver libvirt with a PostgreSQL database needs vm-dir: "
                        "there is no folder beside the database for the machines' files\n",
                f, sep);
        return -1;
    }
    if (c->metrics_host[0] && c->metrics_port && c->metrics_port == c->port) {
        fprintf(stderr, "ncpd: %s%smetrics-listen and listen use the same port %d\n", f, sep,
                c->port);
        return -1;
    }
    return 0;
}

static void defaults(ncpd_conf_t *c)
{
    memset(c, 0, sizeof(*c));
    c->max_header = 32 * 1024;
    for (size_t i = 0; i < N_OPTS; i++) {
        char why[256];
        if (opts[i].def && opt_set(c, &opts[i], opts[i].def, why, sizeof(why)) < 0) {
            fprintf(stderr, "ncpd: bad default of %s: %s\n", opts[i].name, why);
            abort(); /* a table bug, caught by every test run */
        }
    }
}

/* Loads defaults + file, then env and flags unless file_only. */
static int load(ncpd_conf_t *c, int argc, char **argv, int first, const char *file,
                bool file_only)
{
    int ret = -1;
    flag_t *flags = calloc((size_t)(argc > first ? argc - first : 0) + 1, sizeof(*flags));
    size_t n_flags = 0;
    char why[300];
    if (!flags)
        abort();
    defaults(c);
    if (!file_only) {
        int r = flags_parse(argc, argv, first, flags, &n_flags);
        if (r != 0) {
            ret = r;
            goto cleanup;
        }
    }
    /* which file: --config, NCPD_CONFIG, the installed default when it exists */
    const char *path = file;
    int src = S_FLAG;
    for (size_t i = 0; !file && i < n_flags; i++) /* the last --config wins, as for flags */
        if (flags[i].o == &opts[0])
            path = flags[i].v;
    if (!path && !file_only && getenv("NCPD_CONFIG") && *getenv("NCPD_CONFIG")) {
        path = getenv("NCPD_CONFIG");
        src = S_ENV;
    }
    if (!path && !file_only && NCPD_DEFAULT_CONFIG[0] && access(NCPD_DEFAULT_CONFIG, F_OK) == 0) {
        path = NCPD_DEFAULT_CONFIG;
        src = S_DEFAULT;
    }
    if (path) {
        if (!*path) {
            fprintf(stderr, "ncpd: --config: empty file name\n");
            goto cleanup;
        }
        if (file_apply(c, path) < 0)
            goto cleanup;
        c->config = c->src_file;
        set_src(c, &opts[0], src, 0);
    }
    if (file_only) {
        ret = cross_check(c, path);
        goto cleanup;
    }
    for (size_t i = 0; i < N_OPTS; i++) {
        const opt_t *o = &opts[i];
        const char *v = getenv(o->env);
        if (!v || !*v || o == &opts[0]) /* empty: unset */
            continue;
        if (opt_set(c, o, v, why, sizeof(why)) < 0) {
            fprintf(stderr, "ncpd: %s: %s\n", o->env, why);
            goto cleanup;
        }
        set_src(c, o, S_ENV, 0);
    }
    for (size_t i = 0; i < n_flags; i++) {
        if (flags[i].o == &opts[0])
            continue;
        if (opt_set(c, flags[i].o, flags[i].v, why, sizeof(why)) < 0) {
            fprintf(stderr, "ncpd: --%s: %s\n", flags[i].o->name, why);
            goto cleanup;
        }
        set_src(c, flags[i].o, S_FLAG, 0);
    }
    ret = cross_check(c, NULL);
cleanup:
    free(flags);
    return ret;
}

int ncpd_conf_load(ncpd_conf_t *c, int argc, char **argv, int first)
{
    return load(c, argc, argv, first, NULL, false);
}

void ncpd_conf_release(ncpd_conf_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_owned; i++)
        free(c->owned[i]);
    free(c->owned);
    c->owned = NULL;
    c->n_owned = 0;
}

const char *ncpd_db_display(const char *db, char *out, size_t n)
{
    snprintf(out, n, "%s", db ? db : "");
    if (!db || (strncmp(db, "postgresql://", 13) != 0 && strncmp(db, "postgres://", 11) != 0))
        return out;
    char *auth = strstr(out, "://") + 3, *at = strchr(auth, '@'), *slash = strchr(auth, '/');
    char *colon = strchr(auth, ':');
    if (at && colon && colon < at && (!slash || at < slash)) { /* user:password@ */
        size_t tail = strlen(at);
        if ((size_t)(colon + 1 - out) + 3 + tail < n) {
            memmove(colon + 4, at, tail + 1);
            memcpy(colon + 1, "***", 3);
        }
    }
    for (char *p = strstr(out, "password="); p; p = strstr(p + 1, "password=")) {
        char *v = p + 9, *e = v + strcspn(v, "&");
        size_t tail = strlen(e);
        if ((size_t)(v - out) + 3 + tail < n) {
            memmove(v + 3, e, tail + 1);
            memcpy(v, "***", 3);
        }
    }
    return out;
}

/* ---- config show / options ---------------------------------------------- */

void ncpd_conf_show(const ncpd_conf_t *c, FILE *out)
{
    fprintf(out, "# ncpd %s: effective configuration (flags > environment > file > defaults)\n",
            ncpd_version());
    for (size_t i = 0; i < N_OPTS; i++) {
        const opt_t *o = &opts[i];
        char v[4200], from[4200];
        opt_text(c, o, v, sizeof(v));
        switch (c->src[i]) {
        case S_FILE:
            snprintf(from, sizeof(from), "%s:%d", c->src_file, c->src_line[i]);
            break;
        case S_ENV:
            snprintf(from, sizeof(from), "%s", o->env);
            break;
        case S_FLAG:
            snprintf(from, sizeof(from), "--%s", o->name);
            break;
        default:
            snprintf(from, sizeof(from), "default");
        }
        if (o == &opts[0]) {
            fprintf(out, "# config: %s (%s)\n", v[0] ? v : "none", from);
        } else if (!v[0]) {
            fprintf(out, "# %s = (unset)\n", o->name);
        } else if (o->flags & F_SECRET) {
            fprintf(out, "# %s = ******** (secret, from %s)\n", o->name, from);
        } else { /* no trailing comments in the format: the source goes above */
            char shown[4200];
            fprintf(out, "# from %s\n%s = %s\n", from, o->name,
                    strcmp(o->name, "db") == 0 ? ncpd_db_display(v, shown, sizeof(shown)) : v);
        }
    }
}

/* roff text: backslashes and dashes escaped, no line starting with a dot. */
static void roff(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

static void options_roff(FILE *out)
{
    fputs(".SH OPTIONS\n"
          "Every option is a flag (\\fB\\-\\-name value\\fR or \\fB\\-\\-name=value\\fR), an "
          "environment variable and a configuration file key (\\fIname\\fR \\fB=\\fR "
          "\\fIvalue\\fR); flags override the environment, which overrides the file, which "
          "overrides the defaults.\n"
          "Boolean flags given without a value mean \\fBtrue\\fR.\n",
          out);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            fputs(".SS Secrets\n"
                  "These are read from the environment or the configuration file only, never "
                  "from the command line, and are masked by \\fBncpd config show\\fR.\n",
                  out);
        for (size_t i = 0; i < N_OPTS; i++) {
            const opt_t *o = &opts[i];
            if (!(o->flags & F_SECRET) != (pass == 0))
                continue;
            fputs(".TP\n", out);
            if (pass == 0) {
                fputs("\\fB\\-\\-", out);
                roff(out, o->name);
                fputs("\\fR", out);
                if (o->arg[0]) {
                    fputs(" \\fI", out);
                    roff(out, o->arg);
                    fputs("\\fR", out);
                }
            } else {
                fputs("\\fB", out);
                roff(out, o->name);
                fputs("\\fR", out);
            }
            fputs("\n", out);
            roff(out, o->help);
            fputs(".\nEnvironment: \\fB", out);
            roff(out, o->env);
            fputs("\\fR", out);
            if (o->def) {
                fputs("; default: \\fB", out);
                roff(out, o->def);
                fputs("\\fR", out);
            }
            fputs(".\n", out);
        }
    }
    fputs(".SH ENVIRONMENT\n", out);
    for (size_t i = 0; i < N_OPTS; i++) {
        fputs(".TP\n.B ", out);
        roff(out, opts[i].env);
        fputs("\nSame as \\fB", out);
        roff(out, opts[i].name);
        fputs("\\fR (see \\fBOPTIONS\\fR); an empty value counts as unset.\n", out);
    }
}

/* Markdown table text: '|' escaped. */
static void md(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', out);
        fputc(*s, out);
    }
}

static void options_markdown(FILE *out)
{
    fputs("| flag / file key | env | default | |\n|---|---|---|---|\n", out);
    for (size_t i = 0; i < N_OPTS; i++) {
        const opt_t *o = &opts[i];
        bool secret = (o->flags & F_SECRET) != 0;
        fprintf(out, "| `%s", secret ? "" : "--");
        md(out, o->name);
        if (o->arg[0] && !secret) {
            fputc(' ', out);
            md(out, o->arg);
        }
        fprintf(out, "` | `%s` | %s%s%s | ", o->env, o->def ? "`" : "", o->def ? o->def : "unset",
                o->def ? "`" : "");
        md(out, o->help);
        fputs(" |\n", out);
    }
}

int ncpd_conf_main(int argc, char **argv)
{
    /* argv: ncpd config SUB ... */
    const char *sub = argc >= 3 ? argv[2] : "";
    if (strcmp(sub, "check") == 0) {
        if (argc != 4) {
            fprintf(stderr, "usage: ncpd config check FILE\n");
            return 2;
        }
        ncpd_conf_t c;
        int r = load(&c, 0, NULL, 0, argv[3], true);
        ncpd_conf_release(&c);
        if (r < 0)
            return 2;
        printf("%s: ok\n", argv[3]);
        return 0;
    }
    if (strcmp(sub, "show") == 0) {
        ncpd_conf_t c;
        int r = ncpd_conf_load(&c, argc, argv, 3);
        if (r == 0)
            ncpd_conf_show(&c, stdout);
        ncpd_conf_release(&c);
        return r < 0 ? 2 : 0;
    }
    if (strcmp(sub, "options") == 0) {
        const char *fmt = "text";
        if (argc == 5 && strcmp(argv[3], "--format") == 0)
            fmt = argv[4];
        else if (argc == 4 && strncmp(argv[3], "--format=", 9) == 0)
            fmt = argv[3] + 9;
        else if (argc != 3)
            fmt = "";
        if (strcmp(fmt, "text") == 0)
            options_text(stdout);
        else if (strcmp(fmt, "roff") == 0)
            options_roff(stdout);
        else if (strcmp(fmt, "markdown") == 0)
            options_markdown(stdout);
        else {
            fprintf(stderr, "usage: ncpd config options [--format text|roff|markdown]\n");
            return 2;
        }
        return 0;
    }
    ncpd_conf_usage(stderr);
    return 2;
}

/* account.c: see account.h. */
#include "ncpd/account.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/fixture.h"
#include "store/store_seed.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"

#define CHECK_TEXT "ncpd master key check"

/* Reads a complete key file: 64 hex digits and a newline. 1 when the file
 * exists and is good, 0 when it does not exist, -1 otherwise. */
static int key_file_read(const char *path, uint8_t out[NCP_MASTER_KEY_LEN], ncp_err_t *err)
{
    char hex[2 * NCP_MASTER_KEY_LEN + 2] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        ncp_err_internal(err, "cannot read master key file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0 && (sb.st_mode & 077))
        fprintf(stderr, "ncpd: warning: %s is readable by others (chmod 600 it)\n", path);
    ssize_t n = read(fd, hex, sizeof(hex) - 1);
    close(fd);
    while (n > 0 && (hex[n - 1] == '\n' || hex[n - 1] == '\r'))
        hex[--n] = '\0';
    if (n != 2 * NCP_MASTER_KEY_LEN || ncp_unhex(hex, out, NCP_MASTER_KEY_LEN) < 0) {
        ncp_err_internal(err, "master key file %s is malformed", path);
        return -1;
    }
    return 1;
}

/* fsync of the directory holding `path`, so that a new name in it survives
 * a power loss. */
static int fsync_dir_of(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

int ncpd_master_key_load(const ncpd_conf_t *c, uint8_t out[NCP_MASTER_KEY_LEN], ncp_err_t *err)
{
    const char *env_key = c->master_key;
    if (env_key && *env_key) {
        if (ncp_unhex(env_key, out, NCP_MASTER_KEY_LEN) < 0)
            ncp_sha256(env_key, strlen(env_key), out);
        return 0;
    }
    char path[4096], tmp[4200];
    if (c->master_key_file) {
        snprintf(path, sizeof(path), "%s", c->master_key_file);
    } else if (ncp_db_is_pg(c->db)) {
        ncp_err_internal(err, "a PostgreSQL database needs the master key from NCPD_MASTER_KEY"
                              " or --master-key-file PATH (the same on every node): there is no"
                              " folder beside the database to keep a key file in");
        return -1;
    } else {
        snprintf(path, sizeof(path), "%s.key", c->db);
    }
    int r = key_file_read(path, out, err);
    if (r != 0)
        return r < 0 ? -1 : 0;
    /* A new key appears atomically and durably: written and fsynced under a
     * private name, then linked into place (link fails when another process
     * got there first: then its complete key is used), then the directory
     * is fsynced. A reader never sees a partial file. */
    uint8_t key[NCP_MASTER_KEY_LEN];
    char hex[2 * NCP_MASTER_KEY_LEN + 2];
    ncp_rand_bytes(key, NCP_MASTER_KEY_LEN);
    ncp_hex(key, NCP_MASTER_KEY_LEN, hex);
    hex[2 * NCP_MASTER_KEY_LEN] = '\n';
    char rnd[17];
    ncp_rand_string(rnd, 16, "abcdefghijklmnopqrstuvwxyz0123456789");
    snprintf(tmp, sizeof(tmp), "%s.%ld.%s.tmp", path, (long)getpid(), rnd);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        ncp_err_internal(err, "cannot create master key file %s: %s", tmp, strerror(errno));
        return -1;
    }
    ssize_t w = write(fd, hex, 2 * NCP_MASTER_KEY_LEN + 1);
    bool written = w == 2 * NCP_MASTER_KEY_LEN + 1 && fsync(fd) == 0;
    close(fd);
    if (!written) {
        unlink(tmp);
        ncp_err_internal(err, "cannot write master key file %s", tmp);
        return -1;
    }
    int lr = link(tmp, path), lerrno = errno;
    unlink(tmp);
    memset(hex, 0, sizeof(hex));
    if (lr < 0 && lerrno != EEXIST) {
        ncp_err_internal(err, "cannot create master key file %s: %s", path, strerror(lerrno));
        return -1;
    }
    if (fsync_dir_of(path) < 0) {
        ncp_err_internal(err, "cannot fsync the folder of %s: %s", path, strerror(errno));
        return -1;
    }
    if (lr < 0) /* another process won: its file is complete */
        return key_file_read(path, out, err) == 1 ? 0 : -1;
    memcpy(out, key, NCP_MASTER_KEY_LEN);
    memset(key, 0, sizeof(key));
    ncp_log_notice("event=master_key_created file=%s", path);
    return 0;
}

int ncpd_master_key_verify(const ncp_store_ops_t *so, ncp_store_t *st,
                           const uint8_t key[NCP_MASTER_KEY_LEN], ncp_err_t *err)
{
    int ret = -1;
    ncp_arena_t *a = ncp_arena_new(1024);
    const char *val = NULL;
    if (so->begin(st, true, err) < 0)
        goto cleanup;
    int r = so->meta_get(st, "master_key_check", a, &val, err);
    if (r < 0)
        goto rollback;
    if (r == 1) {
        uint8_t sealed[128], plain[128];
        size_t n = strlen(val) / 2;
        if (n > sizeof(sealed) || ncp_unhex(val, sealed, n) < 0 || n <= NCP_SEAL_OVERHEAD ||
            ncp_unseal(key, sealed, n, plain) < 0) {
            ncp_err_internal(err, "the master key does not match this database");
            goto rollback;
        }
    } else {
        uint8_t sealed[sizeof(CHECK_TEXT) + NCP_SEAL_OVERHEAD];
        char hex[2 * sizeof(sealed) + 1];
        if (ncp_seal(key, CHECK_TEXT, sizeof(CHECK_TEXT), sealed) < 0)
            goto rollback;
        ncp_hex(sealed, sizeof(sealed), hex);
        if (so->meta_set(st, "master_key_check", hex, err) < 0)
            goto rollback;
    }
    if (so->commit(st, err) < 0)
        goto cleanup;
    ret = 0;
    goto cleanup;
rollback:
    so->rollback(st);
cleanup:
    ncp_arena_free(a);
    return ret;
}

static const char AK_CHARS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
static const char SK_CHARS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

int ncpd_account_create(const ncp_store_ops_t *so, ncp_store_t *st,
                        const uint8_t key[NCP_MASTER_KEY_LEN], const char *name,
                        const char *access_key, const char *secret_key, int64_t acg_no,
                        int64_t acg_create_ms, char ak_out[64], char sk_out[64],
                        int64_t *id_out, ncp_err_t *err)
{
    if (access_key) {
        if (strlen(access_key) == 0 || strlen(access_key) > 63) {
            ncp_err_internal(err, "access key must be 1..63 characters");
            return -1;
        }
        snprintf(ak_out, 64, "%s", access_key);
    } else {
        ncp_rand_string(ak_out, 20, AK_CHARS);
    }
    if (secret_key) {
        if (strlen(secret_key) == 0 || strlen(secret_key) > 63) {
            ncp_err_internal(err, "secret key must be 1..63 characters");
            return -1;
        }
        snprintf(sk_out, 64, "%s", secret_key);
    } else {
        ncp_rand_string(sk_out, 40, SK_CHARS);
    }
    int64_t now = ncp_clock_now_ms();
    if (so->account_add(st, name, now, id_out, err) < 0)
        return -1;
    uint8_t sealed[64 + NCP_SEAL_OVERHEAD];
    size_t sl = strlen(sk_out);
    if (ncp_seal(key, sk_out, sl, sealed) < 0) {
        ncp_err_internal(err, "cannot seal the secret");
        return -1;
    }
    ncp_key_t k = {.access_key = ak_out,
                   .account_id = *id_out,
                   .secret_sealed = sealed,
                   .secret_sealed_len = sl + NCP_SEAL_OVERHEAD,
                   .create_ms = now};
    if (so->key_add(st, &k, err) < 0)
        return -1;
    if (!acg_no && so->instance_next_no(st, &acg_no, err) < 0)
        return -1;
    ncp_acg_t acg = {acg_no, *id_out, "ncloud-default-acg", "Default AccessControlGroup", true,
                     acg_create_ms ? acg_create_ms : now};
    ncp_instance_t in = {acg_no, NCP_KIND_ACG, *id_out, false};
    if (so->acg_put(st, &acg, err) < 0 || so->instance_put(st, &in, err) < 0)
        return -1;
    /* default rules (login-key-acg.md §2.4): SSH, RDP and HTTP from anywhere */
    static const char *ports[] = {"22", "3389", "80"};
    for (size_t i = 0; i < 3; i++) {
        ncp_acg_rule_t rule = {0, acg_no, "TCP", "0.0.0.0/0", 0, "", ports[i], ""};
        if (so->counter_next(st, "acg_rule", 140892, &rule.no, err) < 0 ||
            so->acg_rule_put(st, &rule, err) < 0)
            return -1;
    }
    return 0;
}

static int load_fixture(const ncp_store_ops_t *so, ncp_store_t *st,
                        const uint8_t key[NCP_MASTER_KEY_LEN], int64_t account, ncp_err_t *err)
{
    const ncp_fixture_t *f = ncp_fixture_seed();
    for (size_t i = 0; i < f->n_keys; i++) {
        ncp_login_key_t k = f->keys[i];
        k.account_id = account;
        if (so->login_key_put(st, &k, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < f->n_servers; i++) {
        ncp_server_t s = f->servers[i];
        s.account_id = account;
        /* a root password nobody can read: the fixture's key has no private half */
        char pw[13], hex[2 * (12 + NCP_SEAL_OVERHEAD) + 1];
        uint8_t sealed[12 + NCP_SEAL_OVERHEAD];
        ncp_rand_string(pw, 12, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789");
        if (ncp_seal(key, pw, 12, sealed) < 0)
            return -1;
        ncp_hex(sealed, sizeof(sealed), hex);
        s.root_password = hex;
        ncp_acg_t *acgs = calloc(s.n_acgs ? s.n_acgs : 1, sizeof(ncp_acg_t));
        if (!acgs)
            abort();
        for (size_t k = 0; k < s.n_acgs; k++) {
            acgs[k] = s.acgs[k];
            acgs[k].account_id = account;
        }
        s.acgs = acgs;
        ncp_instance_t in = {s.no, NCP_KIND_SERVER, account, false};
        ncp_instance_t disk = {s.basic_storage_no, NCP_KIND_STORAGE, account, false};
        int r = (so->server_put(st, &s, err) < 0 || so->instance_put(st, &in, err) < 0 ||
                 so->instance_put(st, &disk, err) < 0)
                    ? -1
                    : 0;
        free(acgs);
        if (r < 0)
            return -1;
    }
    if (ncp_store_seed_extras(st, f, account, err) < 0) /* issue 11: IPs, port forwarding */
        return -1;
    return so->instance_seq_at_least(st, f->next_no, err);
}

/* True when stdout is the systemd journal (JOURNAL_STREAM names its device
 * and inode): what is printed there is kept and shipped like a log. */
static bool stdout_is_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat sb;
    return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDOUT_FILENO, &sb) == 0 &&
           (unsigned long long)sb.st_dev == dev && (unsigned long long)sb.st_ino == ino;
}

/* Generated bootstrap credentials, shown once: on stdout, or (stdout being
 * the journal, where a secret must not go) in the 0600 file <db>.credentials. */
static int show_credentials(const ncpd_conf_t *c, const char *ak, const char *sk,
                            ncp_err_t *err)
{
    /* beside the SQLite file; for PostgreSQL beside the master key file, else
     * in the working folder (the unit's state directory) */
    const char *db = !ncp_db_is_pg(c->db)      ? c->db
                     : c->master_key_file      ? c->master_key_file
                                               : "ncpd-bootstrap";
    if (!stdout_is_journal()) {
        printf("ncpd: created the bootstrap account; its credentials (shown once):\n"
               "  access_key=%s\n  secret_key=%s\n",
               ak, sk);
        return 0;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s.credentials", db);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        ncp_err_internal(err, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "# ncpd bootstrap account (delete this file once the keys are stored elsewhere)\n"
               "access_key=%s\nsecret_key=%s\n", ak, sk);
    if (fclose(f) != 0) {
        ncp_err_internal(err, "cannot write %s", path);
        return -1;
    }
    printf("ncpd: created the bootstrap account (access key %s); its secret key is in %s\n", ak,
           path);
    ncp_log_notice("event=credentials_written file=%s", path);
    return 0;
}

int ncpd_bootstrap(const ncp_store_ops_t *so, ncp_store_t *st,
                   const uint8_t key[NCP_MASTER_KEY_LEN], const ncpd_conf_t *c, ncp_err_t *err)
{
    /* Once per database, under the write lock: a daemon started at the same
     * moment as another one, or as `ncpd account create`, never creates a
     * second bootstrap account nor misses its own. */
    ncp_arena_t *a = ncp_arena_new(256);
    const char *done = NULL;
    if (so->begin(st, true, err) < 0) {
        ncp_arena_free(a);
        return -1;
    }
    int r = so->meta_get(st, "bootstrapped", a, &done, err);
    ncp_arena_free(a);
    if (r < 0)
        goto rollback;
    if (r == 1) {
        so->rollback(st);
        return 0;
    }
    char ak[64], sk[64];
    int64_t id;
    const ncp_fixture_t *f = ncp_fixture_seed();
    bool seed = c->fixture && strcmp(c->fixture, "seed") == 0;
    if (seed && so->instance_seq_at_least(st, f->next_no, err) < 0)
        goto rollback;
    if (ncpd_account_create(so, st, key, "default", c->access_key, c->secret_key,
                            seed ? f->acgs[0].no : 0, seed ? f->acgs[0].create_ms : 0, ak, sk,
                            &id, err) < 0)
        goto rollback;
    if (seed && load_fixture(so, st, key, id, err) < 0)
        goto rollback;
    if (so->meta_set(st, "bootstrapped", "1", err) < 0)
        goto rollback;
    if (so->commit(st, err) < 0)
        return -1;
    ncp_log_notice("event=account_created account_id=%" PRId64 " name=default access_key=%s "
                   "bootstrap=1",
                   id, ak);
    if (!c->secret_key) {
        if (show_credentials(c, ak, sk, err) < 0)
            return -1;
    } else {
        printf("ncpd: created the bootstrap account with access key %s\n", ak);
    }
    if (seed)
        printf("ncpd: loaded the seed fixture (servers 1021003-1021006)\n");
    fflush(stdout);
    return 0;
rollback:
    so->rollback(st);
    return -1;
}

/* ---- `ncpd account ...` ------------------------------------------------- */

typedef struct list_out {
    int n;
} list_out_t;

static int print_key(void *p, const ncp_key_t *k)
{
    list_out_t *o = p;
    char date[NCP_DATE_LEN];
    if (o->n++ == 0)
        printf("%-8s %-20s %-24s %-9s %s\n", "ACCOUNT", "NAME", "ACCESS_KEY", "STATE",
               "CREATED");
    printf("%-8" PRId64 " %-20s %-24s %-9s %s\n", k->account_id, k->account_name,
           k->access_key, k->disabled ? "disabled" : "active",
           ncp_clock_fmt(k->create_ms, date, sizeof(date)));
    return 0;
}

int ncpd_account_main(int argc, char **argv)
{
    /* argv: ncpd account SUB [ARG] [flags] */
    if (argc < 3) {
        ncpd_conf_usage(stderr);
        return 2;
    }
    const char *sub = argv[2];
    const char *arg = NULL;
    int first = 3;
    if (strcmp(sub, "create") == 0 || strcmp(sub, "disable-key") == 0) {
        if (argc < 4 || argv[3][0] == '-') {
            ncpd_conf_usage(stderr);
            return 2;
        }
        arg = argv[3];
        first = 4;
    } else if (strcmp(sub, "list") != 0) {
        ncpd_conf_usage(stderr);
        return 2;
    }
    ncpd_conf_t c;
    int r = ncpd_conf_load(&c, argc, argv, first);
    if (r != 0) {
        ncpd_conf_release(&c);
        return r > 0 ? 0 : 2;
    }
    ncp_log_set_json(strcmp(c.log_format, "json") == 0);

    int ret = 1;
    ncp_err_t err;
    ncp_err_init(&err);
    const ncp_store_ops_t *so = &ncp_store_ops;
    uint8_t key[NCP_MASTER_KEY_LEN];
    ncp_arena_t *a = ncp_arena_new(4096);
    ncp_store_t *st = NULL;
    if (ncpd_master_key_load(&c, key, &err) < 0)
        goto cleanup;
    st = so->open(c.db, &err);
    if (!st || ncpd_master_key_verify(so, st, key, &err) < 0)
        goto cleanup;

    if (strcmp(sub, "create") == 0) {
        size_t nl = strlen(arg);
        if (nl < 1 || nl > 64) {
            fprintf(stderr, "ncpd: account name must be 1..64 characters\n");
            ret = 2;
            goto cleanup;
        }
        char ak[64], sk[64];
        int64_t id;
        if (so->begin(st, true, &err) < 0)
            goto cleanup;
        if (ncpd_account_create(so, st, key, arg, NULL, NULL, 0, 0, ak, sk, &id, &err) < 0 ||
            so->commit(st, &err) < 0) {
            so->rollback(st);
            if (strstr(err.detail, "UNIQUE") || strstr(err.detail, "unique"))
                snprintf(err.detail, sizeof(err.detail), "account %s already exists", arg);
            goto cleanup;
        }
        ncp_log_notice("event=account_created account_id=%" PRId64 " name=\"%s\" access_key=%s",
                       id, arg, ak);
        printf("account_id=%" PRId64 "\nname=%s\naccess_key=%s\nsecret_key=%s\n", id, arg, ak,
               sk);
        ret = 0;
    } else if (strcmp(sub, "list") == 0) {
        list_out_t o = {0};
        if (so->key_list(st, a, print_key, &o, &err) < 0)
            goto cleanup;
        ret = 0;
    } else {
        if (so->begin(st, true, &err) < 0)
            goto cleanup;
        int d = so->key_set_disabled(st, arg, true, &err);
        if (d < 0 || so->commit(st, &err) < 0) {
            so->rollback(st);
            goto cleanup;
        }
        if (d == 0) {
            fprintf(stderr, "ncpd: no such access key: %s\n", arg);
            goto cleanup;
        }
        ncp_log_notice("event=key_disabled access_key=%s", arg);
        printf("disabled %s\n", arg);
        ret = 0;
    }
cleanup:
    if (ret == 1 && (err.detail[0] || err.is_set))
        fprintf(stderr, "ncpd: %s\n", err.detail[0] ? err.detail : err.msg);
    so->close(st);
    ncp_arena_free(a);
    ncpd_conf_release(&c);
    return ret;
}

/* store_sqlite.c: the SQLite backend of store.h.
 *
 * One connection per ncp_store_t. WAL mode with synchronous=FULL: a commit
 * is on disk (fsync of the WAL) before commit() returns, so an answered
 * mutation survives kill -9 and power loss. Writers take the write lock at
 * begin (BEGIN IMMEDIATE): check-then-act inside one write transaction is
 * atomic across connections, which is what makes "two concurrent stops:
 * exactly one wins" hold. Statements are prepared once per connection. */
#include "store/store.h"

#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/log.h"

/* ---- schema ------------------------------------------------------------- */

static const char *const migrations[] = {
    /* 1 */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  create_ms INTEGER NOT NULL);"
    "CREATE TABLE api_keys(access_key TEXT PRIMARY KEY, account_id INTEGER NOT NULL,"
    "  secret BLOB NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, create_ms INTEGER NOT NULL);"
    "CREATE TABLE seq(name TEXT PRIMARY KEY, next INTEGER NOT NULL);"
    "INSERT INTO seq VALUES('instance', 1030000);"
    "CREATE TABLE instances(no INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
    "  account_id INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE acgs(no INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, name TEXT NOT NULL,"
    "  description TEXT NOT NULL, is_default INTEGER NOT NULL, create_ms INTEGER NOT NULL);"
    "CREATE TABLE servers(no INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
    "  name TEXT NOT NULL, description TEXT NOT NULL, cpu INTEGER NOT NULL,"
    "  memory INTEGER NOT NULL, base_size INTEGER NOT NULL, platform TEXT NOT NULL,"
    "  login_key TEXT NOT NULL, fee_monitoring INTEGER NOT NULL, public_ip TEXT NOT NULL,"
    "  private_ip TEXT NOT NULL, image_name TEXT NOT NULL, image_code TEXT NOT NULL,"
    "  product_code TEXT NOT NULL, status INTEGER NOT NULL, op INTEGER NOT NULL,"
    "  create_ms INTEGER NOT NULL, uptime_ms INTEGER NOT NULL, protect INTEGER NOT NULL,"
    "  pf_public_ip TEXT NOT NULL, pf_ext_port INTEGER NOT NULL, pf_int_port INTEGER NOT NULL,"
    "  zone_no INTEGER NOT NULL, region_no INTEGER NOT NULL, disk_type TEXT NOT NULL,"
    "  disk_detail TEXT NOT NULL, instance_type TEXT NOT NULL, user_data TEXT NOT NULL,"
    "  init_script_no TEXT NOT NULL, basic_storage_no INTEGER NOT NULL);"
    "CREATE INDEX servers_by_account ON servers(account_id, no);"
    "CREATE INDEX servers_by_name ON servers(account_id, name);"
    "CREATE TABLE server_acgs(server_no INTEGER NOT NULL, ord INTEGER NOT NULL,"
    "  acg_no INTEGER NOT NULL, PRIMARY KEY(server_no, ord)) WITHOUT ROWID;"
    "CREATE TABLE server_tags(server_no INTEGER NOT NULL, ord INTEGER NOT NULL,"
    "  key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(server_no, ord)) WITHOUT ROWID;"
    "CREATE TABLE server_parts(server_no INTEGER NOT NULL, ord INTEGER NOT NULL,"
    "  mount_point TEXT NOT NULL, size TEXT NOT NULL, PRIMARY KEY(server_no, ord)) WITHOUT ROWID;"
    "CREATE TABLE transitions(server_no INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL, step INTEGER NOT NULL, remaining INTEGER NOT NULL,"
    "  due_ms INTEGER NOT NULL, arg TEXT);"
    "CREATE INDEX transitions_by_due ON transitions(due_ms);",
    /* 2: login keys, ACG rules, root passwords */
    "CREATE TABLE login_keys(account_id INTEGER NOT NULL, name TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL, create_ms INTEGER NOT NULL, seq INTEGER NOT NULL,"
    "  PRIMARY KEY(account_id, name)) WITHOUT ROWID;"
    "CREATE TABLE acg_rules(no INTEGER PRIMARY KEY, acg_no INTEGER NOT NULL,"
    "  protocol TEXT NOT NULL, source_ip TEXT NOT NULL, source_acg_no INTEGER NOT NULL,"
    "  port TEXT NOT NULL, description TEXT NOT NULL);"
    "CREATE INDEX acg_rules_by_acg ON acg_rules(acg_no, no);"
    "CREATE TABLE counters(name TEXT PRIMARY KEY, next INTEGER NOT NULL) WITHOUT ROWID;"
    "ALTER TABLE servers ADD COLUMN root_pw TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX servers_by_key ON servers(account_id, login_key);"
    "CREATE INDEX servers_by_ip ON servers(zone_no, private_ip);"
    "CREATE INDEX server_acgs_by_acg ON server_acgs(acg_no, server_no);",
    /* 3: list reads without child queries: ACG numbers and child counts on the row */
    "ALTER TABLE servers ADD COLUMN acg_nos TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE servers ADD COLUMN n_tags INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE servers ADD COLUMN n_parts INTEGER NOT NULL DEFAULT 0;"
    "UPDATE servers SET acg_nos = coalesce((SELECT group_concat(acg_no, ',') FROM"
    "  (SELECT acg_no FROM server_acgs x WHERE x.server_no = servers.no ORDER BY ord)), ''),"
    "  n_tags = (SELECT count(*) FROM server_tags t WHERE t.server_no = servers.no),"
    "  n_parts = (SELECT count(*) FROM server_parts p WHERE p.server_no = servers.no);",
    /* 4: a version per server row, bumped by every change (rendering cache key) */
    "ALTER TABLE servers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;",
    /* 5: bootstrap done once per database (a flag, not "no account yet") */
    "INSERT INTO meta(key, value) SELECT 'bootstrapped', '1'"
    "  WHERE EXISTS (SELECT 1 FROM accounts);",
    /* 6: claim, act, confirm; due times clamped to their own wait */
    "ALTER TABLE transitions ADD COLUMN wait_ms INTEGER NOT NULL DEFAULT 1000;"
    "ALTER TABLE transitions ADD COLUMN phase INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE transitions ADD COLUMN prev_status INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE transitions ADD COLUMN prev_op INTEGER NOT NULL DEFAULT 0;",
};

/* ---- prepared statements ------------------------------------------------ */

#define SERVER_COLS                                                                          \
    "s.no, s.account_id, s.name, s.description, s.cpu, s.memory, s.base_size, s.platform,"  \
    " s.login_key, s.fee_monitoring, s.public_ip, s.private_ip, s.image_name, s.image_code," \
    " s.product_code, s.status, s.op, s.create_ms, s.uptime_ms, s.protect, s.pf_public_ip,"  \
    " s.pf_ext_port, s.pf_int_port, s.zone_no, s.disk_type, s.disk_detail, s.instance_type," \
    " s.user_data, s.init_script_no, s.basic_storage_no, s.root_pw, s.acg_nos, s.n_tags,"  \
    " s.n_parts, s.version"

#define TRANS_COLS                                                                           \
    "server_no, account_id, kind, step, remaining, due_ms, arg, wait_ms, phase, prev_status," \
    " prev_op"

enum {
    Q_META_GET, Q_META_SET, Q_ACCOUNT_ADD, Q_ACCOUNT_COUNT, Q_KEY_ADD, Q_KEY_GET, Q_KEY_LIST,
    Q_KEY_DISABLE, Q_SEQ_NEXT, Q_SEQ_RAISE, Q_INST_GET, Q_INST_PUT, Q_ACG_PUT, Q_SERVER_GET,
    Q_SERVER_TAGS, Q_SERVER_PARTS, Q_SERVER_PUT, Q_SERVER_DEL_ACGS,
    Q_SERVER_DEL_TAGS, Q_SERVER_DEL_PARTS, Q_SERVER_ADD_ACG, Q_SERVER_ADD_TAG,
    Q_SERVER_ADD_PART, Q_SERVER_STATE, Q_SERVER_DELETE, Q_TRANS_PUT, Q_TRANS_GET,
    Q_TRANS_DELETE, Q_TRANS_DUE, Q_TRANS_NEXT, Q_TRANS_CLAMP, Q_TRANS_CLAIMED, Q_COUNTER_INIT, Q_COUNTER_NEXT,
    Q_ACG_GET, Q_RULE_PUT, Q_RULE_LIST, Q_KEY2_PUT, Q_KEY2_GET, Q_KEY2_DELETE, Q_KEY2_USERS,
    Q_NAME_TAKEN, Q_IP_TAKEN, Q_BEGIN, Q_BEGIN_WRITE, Q_COMMIT, Q_ROLLBACK, Q_SP, Q_SP_RELEASE,
    Q_SP_ROLLBACK, Q__N
};

static const char *const sql[Q__N] = {
    [Q_META_GET] = "SELECT value FROM meta WHERE key=?1",
    [Q_META_SET] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
    [Q_ACCOUNT_ADD] = "INSERT INTO accounts(name, create_ms) VALUES(?1, ?2)",
    [Q_ACCOUNT_COUNT] = "SELECT count(*) FROM accounts",
    [Q_KEY_ADD] = "INSERT INTO api_keys(access_key, account_id, secret, disabled, create_ms)"
                  " VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_KEY_GET] = "SELECT k.access_key, k.account_id, a.name, k.disabled, k.secret, k.create_ms"
                  " FROM api_keys k JOIN accounts a ON a.id = k.account_id"
                  " WHERE k.access_key=?1",
    [Q_KEY_LIST] = "SELECT k.access_key, k.account_id, a.name, k.disabled, k.secret,"
                   " k.create_ms FROM api_keys k JOIN accounts a ON a.id = k.account_id"
                   " ORDER BY k.account_id, k.create_ms",
    [Q_KEY_DISABLE] = "UPDATE api_keys SET disabled=?2 WHERE access_key=?1",
    [Q_SEQ_NEXT] = "UPDATE seq SET next = next + 1 WHERE name='instance' RETURNING next - 1",
    [Q_SEQ_RAISE] = "UPDATE seq SET next = max(next, ?1) WHERE name='instance'",
    [Q_INST_GET] = "SELECT kind, account_id, deleted FROM instances WHERE no=?1",
    [Q_INST_PUT] = "INSERT OR REPLACE INTO instances(no, kind, account_id, deleted)"
                   " VALUES(?1, ?2, ?3, ?4)",
    [Q_ACG_PUT] = "INSERT OR REPLACE INTO acgs(no, account_id, name, description, is_default,"
                  " create_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_SERVER_GET] = "SELECT " SERVER_COLS " FROM servers s WHERE s.no=?1 AND s.account_id=?2",
    [Q_SERVER_TAGS] = "SELECT key, value FROM server_tags WHERE server_no=?1 ORDER BY ord",
    [Q_SERVER_PARTS] = "SELECT mount_point, size FROM server_parts WHERE server_no=?1"
                       " ORDER BY ord",
    [Q_SERVER_PUT] =
        "INSERT OR REPLACE INTO servers(no, account_id, name, description, cpu, memory,"
        " base_size, platform, login_key, fee_monitoring, public_ip, private_ip, image_name,"
        " image_code, product_code, status, op, create_ms, uptime_ms, protect, pf_public_ip,"
        " pf_ext_port, pf_int_port, zone_no, region_no, disk_type, disk_detail, instance_type,"
        " user_data, init_script_no, basic_storage_no, root_pw, acg_nos, n_tags, n_parts,"
        " version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
        " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33,"
        " ?34, ?35, coalesce((SELECT version FROM servers WHERE no=?1), 0) + 1)",
    [Q_SERVER_DEL_ACGS] = "DELETE FROM server_acgs WHERE server_no=?1",
    [Q_SERVER_DEL_TAGS] = "DELETE FROM server_tags WHERE server_no=?1",
    [Q_SERVER_DEL_PARTS] = "DELETE FROM server_parts WHERE server_no=?1",
    [Q_SERVER_ADD_ACG] = "INSERT INTO server_acgs(server_no, ord, acg_no) VALUES(?1, ?2, ?3)",
    [Q_SERVER_ADD_TAG] = "INSERT INTO server_tags(server_no, ord, key, value)"
                         " VALUES(?1, ?2, ?3, ?4)",
    [Q_SERVER_ADD_PART] = "INSERT INTO server_parts(server_no, ord, mount_point, size)"
                          " VALUES(?1, ?2, ?3, ?4)",
    [Q_SERVER_STATE] = "UPDATE servers SET status=?2, op=?3, version = version + 1,"
                       " uptime_ms = CASE WHEN ?4 > 0 THEN ?4 ELSE uptime_ms END WHERE no=?1",
    [Q_SERVER_DELETE] = "DELETE FROM servers WHERE no=?1",
    [Q_TRANS_PUT] = "INSERT OR REPLACE INTO transitions(server_no, account_id, kind, step,"
                    " remaining, due_ms, arg, wait_ms, phase, prev_status, prev_op)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [Q_TRANS_GET] = "SELECT " TRANS_COLS " FROM transitions WHERE server_no=?1",
    [Q_TRANS_DELETE] = "DELETE FROM transitions WHERE server_no=?1",
    [Q_TRANS_DUE] = "SELECT " TRANS_COLS " FROM transitions WHERE due_ms <= ?1 AND phase = 1"
                    " ORDER BY due_ms, server_no LIMIT ?2",
    [Q_TRANS_NEXT] = "SELECT min(due_ms) FROM transitions WHERE phase = 1",
    [Q_TRANS_CLAMP] = "UPDATE transitions SET wait_ms = min(wait_ms, ?2),"
                      " due_ms = ?1 + min(wait_ms, ?2)"
                      " WHERE phase = 1 AND due_ms > ?1 + min(wait_ms, ?2)",
    [Q_TRANS_CLAIMED] = "SELECT " TRANS_COLS " FROM transitions WHERE phase = 0"
                        " ORDER BY server_no LIMIT ?1",
    [Q_COUNTER_INIT] = "INSERT OR IGNORE INTO counters(name, next) VALUES(?1, ?2)",
    [Q_COUNTER_NEXT] = "UPDATE counters SET next = next + 1 WHERE name=?1 RETURNING next - 1",
    [Q_ACG_GET] = "SELECT no, account_id, name, description, is_default, create_ms FROM acgs"
                  " WHERE no=?1",
    [Q_RULE_PUT] = "INSERT OR REPLACE INTO acg_rules(no, acg_no, protocol, source_ip,"
                   " source_acg_no, port, description) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_RULE_LIST] = "SELECT r.no, r.acg_no, r.protocol, r.source_ip, r.source_acg_no,"
                    " coalesce(g.name, ''), r.port, r.description FROM acg_rules r"
                    " LEFT JOIN acgs g ON g.no = r.source_acg_no WHERE r.acg_no=?1 ORDER BY r.no",
    [Q_KEY2_PUT] = "INSERT INTO login_keys(account_id, name, fingerprint, create_ms, seq)"
                   " VALUES(?1, ?2, ?3, ?4, (SELECT coalesce(max(seq), 0) + 1 FROM login_keys))",
    [Q_KEY2_GET] = "SELECT account_id, name, fingerprint, create_ms FROM login_keys"
                   " WHERE account_id=?1 AND name=?2",
    [Q_KEY2_DELETE] = "DELETE FROM login_keys WHERE account_id=?1 AND name=?2",
    [Q_KEY2_USERS] = "SELECT count(*) FROM servers WHERE account_id=?1 AND login_key=?2",
    [Q_NAME_TAKEN] = "SELECT 1 FROM servers WHERE account_id=?1 AND name=?2 LIMIT 1",
    [Q_IP_TAKEN] = "SELECT 1 FROM servers WHERE zone_no=?1 AND private_ip=?2 LIMIT 1",
    [Q_BEGIN] = "BEGIN",
    [Q_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_SP] = "SAVEPOINT req",
    [Q_SP_RELEASE] = "RELEASE req",
    [Q_SP_ROLLBACK] = "ROLLBACK TO req",
};

/* ACG rows never change once created (classic has no ACG edit actions), so
 * each connection keeps the ones it has read: server reads need no join. */
typedef struct acg_slot {
    int64_t no;
    ncp_acg_t g; /* strings owned by the cache */
} acg_slot_t;

#define DYN_CACHE 16

struct ncp_store {
    sqlite3 *db;
    sqlite3_stmt *q[Q__N];
    bool in_txn;
    acg_slot_t *acgs;          /* open addressing on no; no == 0 is free */
    size_t cap_acgs, n_acgs;
    struct {
        char *sql;
        sqlite3_stmt *s;
    } dyn[DYN_CACHE];          /* prepared dynamic statements (list filters) */
    unsigned dyn_next;
};

static int fail(ncp_store_t *st, ncp_err_t *err, const char *what)
{
    ncp_err_internal(err, "sqlite %s: %s", what, sqlite3_errmsg(st->db));
    return -1;
}

static sqlite3_stmt *stmt(ncp_store_t *st, int id, ncp_err_t *err)
{
    if (!st->q[id]) {
        if (sqlite3_prepare_v3(st->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st->q[id],
                               NULL) != SQLITE_OK) {
            fail(st, err, "prepare");
            return NULL;
        }
    } else {
        sqlite3_reset(st->q[id]);
        sqlite3_clear_bindings(st->q[id]);
    }
    return st->q[id];
}

/* Runs s, retrying while another connection holds a lock for at most 10 s:
 * on a new database, switching to WAL needs an exclusive lock and SQLite
 * answers SQLITE_BUSY at once, without its busy handler, when another
 * process opens the same new file at the same moment. */
static int exec_patient(ncp_store_t *st, const char *s, ncp_err_t *err)
{
    for (int i = 0;; i++) {
        int rc = sqlite3_exec(st->db, s, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
            ncp_err_internal(err, "sqlite exec %s: %s", s, sqlite3_errmsg(st->db));
            return -1;
        }
        if (i >= 1000) {
            ncp_err_internal(err, "sqlite exec %s: %s (for 10 s)", s, sqlite3_errmsg(st->db));
            return -1;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static int exec(ncp_store_t *st, const char *s, ncp_err_t *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, s, NULL, NULL, &msg) != SQLITE_OK) {
        ncp_err_internal(err, "sqlite exec: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Runs a statement that returns no rows. */
static int run(ncp_store_t *st, sqlite3_stmt *s, ncp_err_t *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return fail(st, err, "step");
    return 0;
}

static const char *col_str(ncp_arena_t *a, sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    int n = sqlite3_column_bytes(s, i);
    return ncp_arena_strndup(a, t ? (const char *)t : "", (size_t)n);
}

static void bind_str(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

/* ---- open / close / transactions ---------------------------------------- */

static void acg_cache_free(ncp_store_t *st)
{
    for (size_t i = 0; i < st->cap_acgs; i++)
        if (st->acgs[i].no) {
            free((char *)st->acgs[i].g.name);
            free((char *)st->acgs[i].g.description);
        }
    free(st->acgs);
    st->acgs = NULL;
    st->cap_acgs = st->n_acgs = 0;
}

static void sq_close(ncp_store_t *st)
{
    if (!st)
        return;
    acg_cache_free(st);
    for (int i = 0; i < DYN_CACHE; i++) {
        sqlite3_finalize(st->dyn[i].s);
        free(st->dyn[i].sql);
    }
    for (int i = 0; i < Q__N; i++)
        sqlite3_finalize(st->q[i]);
    sqlite3_close_v2(st->db);
    free(st);
}

static int migrate(ncp_store_t *st, ncp_err_t *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return fail(st, err, "user_version");
    int version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    int target = (int)(sizeof(migrations) / sizeof(migrations[0]));
    if (version >= target)
        return 0;
    if (exec_patient(st, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    /* re-read under the write lock: another process may have migrated */
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        goto rollback;
    version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    for (int v = version; v < target; v++) {
        if (exec(st, migrations[v], err) < 0)
            goto rollback;
    }
    char pv[64];
    snprintf(pv, sizeof(pv), "PRAGMA user_version=%d", target);
    if (exec(st, pv, err) < 0 || exec(st, "COMMIT", err) < 0)
        goto rollback;
    if (version < target) /* always logged: operators must see schema changes */
        ncp_log_notice("event=migrate schema_from=%d schema_to=%d", version, target);
    return 0;
rollback:
    ncp_err_internal(err, "migration failed: %s", sqlite3_errmsg(st->db));
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* Connections are never shared between threads, so SQLite's own mutexes
 * and its global memory statistics (one global lock) are pure overhead. */
static void configure_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static ncp_store_t *sq_open(const char *path, ncp_err_t *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_once);
    ncp_store_t *st = calloc(1, sizeof(*st));
    if (!st)
        abort();
    /* The database holds user data and sealed secrets: a new file is
     * created 0600 (SQLite gives its -wal and -shm files the same mode).
     * O_EXCL: never open (and close) an existing database here, since
     * closing any descriptor of a file drops the process's POSIX locks on it,
     * including those of SQLite connections of other threads. */
    if (strcmp(path, ":memory:") != 0) {
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        ncp_err_internal(err, "cannot open database %s: %s", path,
                         st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sq_close(st);
        return NULL;
    }
    sqlite3_busy_timeout(st->db, 10000);
    sqlite3_extended_result_codes(st->db, 1);
    if (exec_patient(st, "PRAGMA journal_mode=WAL", err) < 0 ||
        exec(st, "PRAGMA synchronous=FULL", err) < 0 ||
        exec(st, "PRAGMA foreign_keys=OFF", err) < 0 ||
        exec(st, "PRAGMA temp_store=MEMORY", err) < 0 || migrate(st, err) < 0) {
        sq_close(st);
        return NULL;
    }
    return st;
}

static int sq_begin(ncp_store_t *st, bool write, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, write ? Q_BEGIN_WRITE : Q_BEGIN, err);
    if (!s || run(st, s, err) < 0)
        return -1;
    st->in_txn = true;
    return 0;
}

/* A failed COMMIT leaves an unknown outcome (the WAL may hold the commit
 * frame): the caller must not answer it as a failure (commit.c). The
 * connection is rolled back so that it can be used again. */
static int sq_commit(ncp_store_t *st, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_COMMIT, err);
    if (!s || run(st, s, err) < 0) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        st->in_txn = false;
        return -1;
    }
    st->in_txn = false;
    return 0;
}

static int sq_rollback(ncp_store_t *st)
{
    int ret = 0;
    if (st->in_txn) {
        ncp_err_t err;
        ncp_err_init(&err);
        sqlite3_stmt *s = stmt(st, Q_ROLLBACK, &err);
        if (!s || run(st, s, &err) < 0)
            ret = sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ||
                          sqlite3_get_autocommit(st->db)
                      ? 0
                      : -1;
    }
    st->in_txn = false;
    return ret;
}

static int sq_savepoint(ncp_store_t *st, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_SP, err);
    return s ? run(st, s, err) : -1;
}

static int sq_savepoint_release(ncp_store_t *st, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_SP_RELEASE, err);
    return s ? run(st, s, err) : -1;
}

static int sq_savepoint_rollback(ncp_store_t *st, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_SP_ROLLBACK, err);
    if (!s || run(st, s, err) < 0)
        return -1;
    return sq_savepoint_release(st, err);
}

/* A prepared statement for dynamic SQL text, from the connection's cache.
 * The caller resets it after use and never finalizes it. */
static sqlite3_stmt *dyn_prepare(ncp_store_t *st, const char *q, ncp_err_t *err)
{
    for (int i = 0; i < DYN_CACHE; i++)
        if (st->dyn[i].sql && strcmp(st->dyn[i].sql, q) == 0) {
            sqlite3_reset(st->dyn[i].s);
            sqlite3_clear_bindings(st->dyn[i].s);
            return st->dyn[i].s;
        }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(st->db, q, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        fail(st, err, "prepare");
        return NULL;
    }
    unsigned i = st->dyn_next++ % DYN_CACHE;
    sqlite3_finalize(st->dyn[i].s);
    free(st->dyn[i].sql);
    st->dyn[i].sql = strdup(q);
    if (!st->dyn[i].sql)
        abort();
    st->dyn[i].s = s;
    return s;
}

/* ---- meta, accounts, keys ----------------------------------------------- */

static int sq_meta_get(ncp_store_t *st, const char *key, ncp_arena_t *a, const char **val_out,
                       ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_META_GET, err);
    if (!s)
        return -1;
    bind_str(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *val_out = col_str(a, s, 0);
        sqlite3_reset(s);
        return 1;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, err, "meta_get");
}

static int sq_meta_set(ncp_store_t *st, const char *key, const char *val, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_META_SET, err);
    if (!s)
        return -1;
    bind_str(s, 1, key);
    bind_str(s, 2, val);
    return run(st, s, err);
}

static int sq_account_add(ncp_store_t *st, const char *name, int64_t now_ms, int64_t *id_out,
                          ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_ACCOUNT_ADD, err);
    if (!s)
        return -1;
    bind_str(s, 1, name);
    sqlite3_bind_int64(s, 2, now_ms);
    if (run(st, s, err) < 0)
        return -1;
    *id_out = sqlite3_last_insert_rowid(st->db);
    return 0;
}

static int sq_account_count(ncp_store_t *st, int64_t *n_out, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_ACCOUNT_COUNT, err);
    if (!s)
        return -1;
    if (sqlite3_step(s) != SQLITE_ROW)
        return fail(st, err, "account_count");
    *n_out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return 0;
}

static int sq_key_add(ncp_store_t *st, const ncp_key_t *k, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_KEY_ADD, err);
    if (!s)
        return -1;
    bind_str(s, 1, k->access_key);
    sqlite3_bind_int64(s, 2, k->account_id);
    sqlite3_bind_blob(s, 3, k->secret_sealed, (int)k->secret_sealed_len, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, k->disabled);
    sqlite3_bind_int64(s, 5, k->create_ms);
    return run(st, s, err);
}

static void read_key(ncp_arena_t *a, sqlite3_stmt *s, ncp_key_t *k)
{
    k->access_key = col_str(a, s, 0);
    k->account_id = sqlite3_column_int64(s, 1);
    k->account_name = col_str(a, s, 2);
    k->disabled = sqlite3_column_int(s, 3) != 0;
    int n = sqlite3_column_bytes(s, 4);
    uint8_t *b = ncp_arena_alloc(a, (size_t)n + 1);
    if (n)
        memcpy(b, sqlite3_column_blob(s, 4), (size_t)n);
    k->secret_sealed = b;
    k->secret_sealed_len = (size_t)n;
    k->create_ms = sqlite3_column_int64(s, 5);
}

static int sq_key_get(ncp_store_t *st, const char *access_key, ncp_arena_t *a, ncp_key_t *out,
                      ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_KEY_GET, err);
    if (!s)
        return -1;
    bind_str(s, 1, access_key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_key(a, s, out);
        sqlite3_reset(s);
        return 1;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, err, "key_get");
}

static int sq_key_list(ncp_store_t *st, ncp_arena_t *a, ncp_key_cb cb, void *ctx,
                       ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_KEY_LIST, err);
    if (!s)
        return -1;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ncp_key_t k;
        read_key(a, s, &k);
        if (cb(ctx, &k) < 0) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, err, "key_list");
}

static int sq_key_set_disabled(ncp_store_t *st, const char *access_key, bool disabled,
                               ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_KEY_DISABLE, err);
    if (!s)
        return -1;
    bind_str(s, 1, access_key);
    sqlite3_bind_int(s, 2, disabled);
    if (run(st, s, err) < 0)
        return -1;
    return sqlite3_changes(st->db) > 0 ? 1 : 0;
}

/* ---- instances and ACGs ------------------------------------------------- */

static int sq_instance_next_no(ncp_store_t *st, int64_t *no_out, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_SEQ_NEXT, err);
    if (!s)
        return -1;
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return fail(st, err, "seq");
    }
    *no_out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return 0;
}

static int sq_instance_seq_at_least(ncp_store_t *st, int64_t next, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_SEQ_RAISE, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, next);
    return run(st, s, err);
}

static int sq_instance_get(ncp_store_t *st, int64_t no, ncp_instance_t *out, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_INST_GET, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, no);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->no = no;
        out->kind = (ncp_kind_t)sqlite3_column_int(s, 0);
        out->account_id = sqlite3_column_int64(s, 1);
        out->deleted = sqlite3_column_int(s, 2) != 0;
        sqlite3_reset(s);
        return 1;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, err, "instance_get");
}

static int sq_instance_put(ncp_store_t *st, const ncp_instance_t *in, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_INST_PUT, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, in->no);
    sqlite3_bind_int(s, 2, (int)in->kind);
    sqlite3_bind_int64(s, 3, in->account_id);
    sqlite3_bind_int(s, 4, in->deleted);
    return run(st, s, err);
}

static void acg_cache_put(ncp_store_t *st, const ncp_acg_t *g);

static int sq_acg_put(ncp_store_t *st, const ncp_acg_t *g, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_ACG_PUT, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, g->no);
    sqlite3_bind_int64(s, 2, g->account_id);
    bind_str(s, 3, g->name);
    bind_str(s, 4, g->description);
    sqlite3_bind_int(s, 5, g->is_default);
    sqlite3_bind_int64(s, 6, g->create_ms);
    if (run(st, s, err) < 0)
        return -1;
    acg_cache_put(st, g);
    return 0;
}

/* ---- servers ------------------------------------------------------------ */

typedef struct row_extra {
    const char *acg_nos; /* "39995,40001" in order */
    int n_tags, n_parts;
} row_extra_t;

static void read_server(ncp_arena_t *a, sqlite3_stmt *s, ncp_server_t *v, row_extra_t *x)
{
    memset(v, 0, sizeof(*v));
    int i = 0;
    v->no = sqlite3_column_int64(s, i++);
    v->account_id = sqlite3_column_int64(s, i++);
    v->name = col_str(a, s, i++);
    v->description = col_str(a, s, i++);
    v->cpu = sqlite3_column_int(s, i++);
    v->memory = sqlite3_column_int64(s, i++);
    v->base_size = sqlite3_column_int64(s, i++);
    v->platform = col_str(a, s, i++);
    v->login_key = col_str(a, s, i++);
    v->fee_monitoring = sqlite3_column_int(s, i++) != 0;
    v->public_ip = col_str(a, s, i++);
    v->private_ip = col_str(a, s, i++);
    v->image_name = col_str(a, s, i++);
    v->image_code = col_str(a, s, i++);
    v->product_code = col_str(a, s, i++);
    v->status = (ncp_status_t)sqlite3_column_int(s, i++);
    v->op = (ncp_op_t)sqlite3_column_int(s, i++);
    v->create_ms = sqlite3_column_int64(s, i++);
    v->uptime_ms = sqlite3_column_int64(s, i++);
    v->protect = sqlite3_column_int(s, i++) != 0;
    v->pf_public_ip = col_str(a, s, i++);
    v->pf_ext_port = sqlite3_column_int(s, i++);
    v->pf_int_port = sqlite3_column_int(s, i++);
    v->zone_no = sqlite3_column_int64(s, i++);
    v->disk_type = col_str(a, s, i++);
    v->disk_detail = col_str(a, s, i++);
    v->instance_type = col_str(a, s, i++);
    v->user_data = col_str(a, s, i++);
    v->init_script_no = col_str(a, s, i++);
    v->basic_storage_no = sqlite3_column_int64(s, i++);
    v->root_password = col_str(a, s, i++);
    x->acg_nos = col_str(a, s, i++);
    x->n_tags = sqlite3_column_int(s, i++);
    x->n_parts = sqlite3_column_int(s, i++);
    v->version = sqlite3_column_int64(s, i++);
}

static acg_slot_t *acg_slot(ncp_store_t *st, int64_t no)
{
    if (!st->cap_acgs)
        return NULL;
    size_t m = st->cap_acgs - 1;
    size_t i = (size_t)((uint64_t)no * 0x9e3779b97f4a7c15ULL >> 17) & m;
    while (st->acgs[i].no && st->acgs[i].no != no)
        i = (i + 1) & m;
    return &st->acgs[i];
}

static void acg_cache_put(ncp_store_t *st, const ncp_acg_t *g)
{
    if ((st->n_acgs + 1) * 2 > st->cap_acgs) {
        acg_slot_t *old = st->acgs;
        size_t old_cap = st->cap_acgs;
        st->cap_acgs = old_cap ? old_cap * 2 : 64;
        st->acgs = calloc(st->cap_acgs, sizeof(acg_slot_t));
        if (!st->acgs)
            abort();
        st->n_acgs = 0;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].no) {
                *acg_slot(st, old[i].no) = old[i];
                st->n_acgs++;
            }
        free(old);
    }
    acg_slot_t *sl = acg_slot(st, g->no);
    if (sl->no) {
        free((char *)sl->g.name);
        free((char *)sl->g.description);
    } else {
        st->n_acgs++;
    }
    sl->no = g->no;
    sl->g = *g;
    sl->g.name = strdup(g->name);
    sl->g.description = strdup(g->description);
    if (!sl->g.name || !sl->g.description)
        abort();
}

static int sq_acg_get(ncp_store_t *st, ncp_arena_t *a, int64_t no, ncp_acg_t *out,
                      ncp_err_t *err);

/* Loads the ACG, tag and partition lists of v. */
static int read_children(ncp_store_t *st, ncp_arena_t *a, ncp_server_t *v, const row_extra_t *x,
                         ncp_err_t *err)
{
    size_t n = 0;
    for (const char *p = x->acg_nos; *p; p++)
        n += *p == ',';
    n += *x->acg_nos ? 1 : 0;
    if (n) {
        v->acgs = ncp_arena_alloc(a, n * sizeof(ncp_acg_t));
        const char *p = x->acg_nos;
        for (size_t k = 0; k < n; k++) {
            int64_t no = strtoll(p, (char **)&p, 10);
            if (*p == ',')
                p++;
            acg_slot_t *sl = acg_slot(st, no);
            if (sl && sl->no == no) {
                v->acgs[v->n_acgs++] = sl->g;
                continue;
            }
            int r = sq_acg_get(st, a, no, &v->acgs[v->n_acgs], err);
            if (r < 0)
                return -1;
            if (r == 1)
                acg_cache_put(st, &v->acgs[v->n_acgs++]);
        }
    }
    int rc;
    sqlite3_stmt *s;
    if (x->n_tags > 0) {
        s = stmt(st, Q_SERVER_TAGS, err);
        if (!s)
            return -1;
        sqlite3_bind_int64(s, 1, v->no);
        v->tags = ncp_arena_alloc(a, (size_t)x->n_tags * sizeof(ncp_tag_t));
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && v->n_tags < (size_t)x->n_tags) {
            v->tags[v->n_tags].key = col_str(a, s, 0);
            v->tags[v->n_tags++].value = col_str(a, s, 1);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            return fail(st, err, "server_tags");
    }
    if (x->n_parts > 0) {
        s = stmt(st, Q_SERVER_PARTS, err);
        if (!s)
            return -1;
        sqlite3_bind_int64(s, 1, v->no);
        v->parts = ncp_arena_alloc(a, (size_t)x->n_parts * sizeof(ncp_partition_t));
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && v->n_parts < (size_t)x->n_parts) {
            v->parts[v->n_parts].mount_point = col_str(a, s, 0);
            v->parts[v->n_parts++].size = col_str(a, s, 1);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            return fail(st, err, "server_parts");
    }
    return 0;
}

static int sq_server_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                         ncp_server_t *out, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_SERVER_GET, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, no);
    sqlite3_bind_int64(s, 2, account_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? 0 : fail(st, err, "server_get");
    }
    row_extra_t x;
    read_server(a, s, out, &x);
    sqlite3_reset(s);
    return read_children(st, a, out, &x, err) < 0 ? -1 : 1;
}

static int64_t region_of(int64_t zone_no);

static int sq_server_put(ncp_store_t *st, const ncp_server_t *v, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_SERVER_PUT, err);
    if (!s)
        return -1;
    int i = 1;
    sqlite3_bind_int64(s, i++, v->no);
    sqlite3_bind_int64(s, i++, v->account_id);
    bind_str(s, i++, v->name);
    bind_str(s, i++, v->description);
    sqlite3_bind_int(s, i++, v->cpu);
    sqlite3_bind_int64(s, i++, v->memory);
    sqlite3_bind_int64(s, i++, v->base_size);
    bind_str(s, i++, v->platform);
    bind_str(s, i++, v->login_key);
    sqlite3_bind_int(s, i++, v->fee_monitoring);
    bind_str(s, i++, v->public_ip);
    bind_str(s, i++, v->private_ip);
    bind_str(s, i++, v->image_name);
    bind_str(s, i++, v->image_code);
    bind_str(s, i++, v->product_code);
    sqlite3_bind_int(s, i++, (int)v->status);
    sqlite3_bind_int(s, i++, (int)v->op);
    sqlite3_bind_int64(s, i++, v->create_ms);
    sqlite3_bind_int64(s, i++, v->uptime_ms);
    sqlite3_bind_int(s, i++, v->protect);
    bind_str(s, i++, v->pf_public_ip);
    sqlite3_bind_int(s, i++, v->pf_ext_port);
    sqlite3_bind_int(s, i++, v->pf_int_port);
    sqlite3_bind_int64(s, i++, v->zone_no);
    sqlite3_bind_int64(s, i++, region_of(v->zone_no));
    bind_str(s, i++, v->disk_type);
    bind_str(s, i++, v->disk_detail);
    bind_str(s, i++, v->instance_type);
    bind_str(s, i++, v->user_data);
    bind_str(s, i++, v->init_script_no);
    sqlite3_bind_int64(s, i++, v->basic_storage_no);
    bind_str(s, i++, v->root_password);
    char acg_nos[21 * 8];
    size_t o = 0;
    acg_nos[0] = '\0';
    for (size_t k = 0; k < v->n_acgs && o + 22 < sizeof(acg_nos); k++)
        o += (size_t)snprintf(acg_nos + o, sizeof(acg_nos) - o, "%s%" PRId64, k ? "," : "",
                              v->acgs[k].no);
    sqlite3_bind_text(s, i++, acg_nos, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, i++, (int)v->n_tags);
    sqlite3_bind_int(s, i++, (int)v->n_parts);
    if (run(st, s, err) < 0)
        return -1;

    static const int dels[] = {Q_SERVER_DEL_ACGS, Q_SERVER_DEL_TAGS, Q_SERVER_DEL_PARTS};
    for (size_t k = 0; k < 3; k++) {
        sqlite3_stmt *d = stmt(st, dels[k], err);
        if (!d)
            return -1;
        sqlite3_bind_int64(d, 1, v->no);
        if (run(st, d, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < v->n_acgs; k++) {
        sqlite3_stmt *q = stmt(st, Q_SERVER_ADD_ACG, err);
        if (!q)
            return -1;
        sqlite3_bind_int64(q, 1, v->no);
        sqlite3_bind_int64(q, 2, (int64_t)k);
        sqlite3_bind_int64(q, 3, v->acgs[k].no);
        if (run(st, q, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < v->n_tags; k++) {
        sqlite3_stmt *q = stmt(st, Q_SERVER_ADD_TAG, err);
        if (!q)
            return -1;
        sqlite3_bind_int64(q, 1, v->no);
        sqlite3_bind_int64(q, 2, (int64_t)k);
        bind_str(q, 3, v->tags[k].key);
        bind_str(q, 4, v->tags[k].value);
        if (run(st, q, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < v->n_parts; k++) {
        sqlite3_stmt *q = stmt(st, Q_SERVER_ADD_PART, err);
        if (!q)
            return -1;
        sqlite3_bind_int64(q, 1, v->no);
        sqlite3_bind_int64(q, 2, (int64_t)k);
        bind_str(q, 3, v->parts[k].mount_point);
        bind_str(q, 4, v->parts[k].size);
        if (run(st, q, err) < 0)
            return -1;
    }
    return 0;
}

static int sq_server_set_state(ncp_store_t *st, int64_t no, ncp_status_t status, ncp_op_t op,
                               int64_t uptime_ms, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_SERVER_STATE, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, no);
    sqlite3_bind_int(s, 2, (int)status);
    sqlite3_bind_int(s, 3, (int)op);
    sqlite3_bind_int64(s, 4, uptime_ms);
    return run(st, s, err);
}

static int sq_server_delete(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    static const int qs[] = {Q_SERVER_DELETE, Q_SERVER_DEL_ACGS, Q_SERVER_DEL_TAGS,
                             Q_SERVER_DEL_PARTS};
    for (size_t k = 0; k < 4; k++) {
        sqlite3_stmt *s = stmt(st, qs[k], err);
        if (!s)
            return -1;
        sqlite3_bind_int64(s, 1, no);
        if (run(st, s, err) < 0)
            return -1;
    }
    return 0;
}

/* Builds " WHERE ..." for f; binds are numbered in the order they are added. */
typedef struct bind {
    bool is_str;
    int64_t i;
    const char *s;
} bind_t;

typedef struct binds {
    int n, cap;
    bind_t v[];
} binds_t;

/* Room for every bind a filter can produce. */
static binds_t *binds_new(const ncp_server_filter_t *f)
{
    size_t cap = 16 + (f ? f->n_nos + f->n_types + f->n_tag_keys + f->n_tag_values : 16);
    binds_t *b = calloc(1, sizeof(*b) + cap * sizeof(bind_t));
    if (!b)
        abort();
    b->cap = (int)cap;
    return b;
}

static void add_int(binds_t *b, int64_t v)
{
    if (b->n < b->cap)
        b->v[b->n++] = (bind_t){false, v, NULL};
}

static void add_str(binds_t *b, const char *v)
{
    if (b->n < b->cap)
        b->v[b->n++] = (bind_t){true, 0, v};
}

/* The account (or the numbers) always narrow a list most: the other
 * conditions are written `+s.col` so that SQLite never prefers an index of
 * another column (zone_no leads the IP index) and scans every account. */
static void where(ncp_buf_t *w, binds_t *b, const ncp_server_filter_t *f)
{
    ncp_buf_puts(w, " WHERE s.account_id=?");
    add_int(b, f->account_id);
    if (f->nos) {
        ncp_buf_puts(w, " AND s.no IN (");
        for (size_t i = 0; i < f->n_nos; i++) {
            ncp_buf_puts(w, i ? ",?" : "?");
            add_int(b, f->nos[i]);
        }
        ncp_buf_puts(w, ")");
    }
    if (f->name_substr) {
        ncp_buf_puts(w, " AND instr(lower(s.name), lower(?)) > 0");
        add_str(b, f->name_substr);
    }
    if (f->ip) {
        ncp_buf_puts(w, " AND (+s.private_ip=? OR +s.public_ip=?)");
        add_str(b, f->ip);
        add_str(b, f->ip);
    }
    if (f->status >= 0) {
        ncp_buf_puts(w, " AND +s.status=?");
        add_int(b, f->status);
    }
    if (f->region_no) {
        ncp_buf_puts(w, " AND +s.region_no=?");
        add_int(b, f->region_no);
    }
    if (f->zone_no) {
        ncp_buf_puts(w, " AND +s.zone_no=?");
        add_int(b, f->zone_no);
    }
    if (f->disk_type) {
        ncp_buf_puts(w, " AND +s.disk_type=?");
        add_str(b, f->disk_type);
    }
    if (f->disk_detail) {
        ncp_buf_puts(w, " AND +s.disk_detail=?");
        add_str(b, f->disk_detail);
    }
    if (f->n_types) {
        ncp_buf_puts(w, " AND +s.instance_type IN (");
        for (size_t i = 0; i < f->n_types; i++) {
            ncp_buf_puts(w, i ? ",?" : "?");
            add_str(b, f->types[i]);
        }
        ncp_buf_puts(w, ")");
    }
    if (f->acg_no) {
        ncp_buf_puts(w, " AND EXISTS(SELECT 1 FROM server_acgs x WHERE x.server_no=s.no"
                        " AND x.acg_no=?)");
        add_int(b, f->acg_no);
    }
    if (f->n_tag_keys) {
        ncp_buf_puts(w, " AND EXISTS(SELECT 1 FROM server_tags t WHERE t.server_no=s.no"
                        " AND t.key IN (");
        for (size_t i = 0; i < f->n_tag_keys; i++) {
            ncp_buf_puts(w, i ? ",?" : "?");
            add_str(b, f->tag_keys[i]);
        }
        ncp_buf_puts(w, "))");
    }
    if (f->n_tag_values) {
        ncp_buf_puts(w, " AND EXISTS(SELECT 1 FROM server_tags t WHERE t.server_no=s.no"
                        " AND t.value IN (");
        for (size_t i = 0; i < f->n_tag_values; i++) {
            ncp_buf_puts(w, i ? ",?" : "?");
            add_str(b, f->tag_values[i]);
        }
        ncp_buf_puts(w, "))");
    }
}

static void bind_all(sqlite3_stmt *s, const binds_t *b)
{
    for (int i = 0; i < b->n; i++) {
        if (b->v[i].is_str)
            sqlite3_bind_text(s, i + 1, b->v[i].s, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(s, i + 1, b->v[i].i);
    }
}

static int sq_server_list(ncp_store_t *st, ncp_arena_t *a, const ncp_server_filter_t *f,
                          int64_t *total_out, ncp_server_probe probe, ncp_server_cb cb, void *ctx,
                          ncp_err_t *err)
{
    int ret = -1;
    binds_t *b = binds_new(f);
    ncp_buf_t q;
    ncp_buf_init(&q, 0);
    sqlite3_stmt *s = NULL;

    if (f->limit > 0) { /* paged: count the matches first; else count the rows */
        ncp_buf_puts(&q, "SELECT count(*) FROM servers s");
        where(&q, b, f);
        if (!(s = dyn_prepare(st, q.data, err)))
            goto cleanup;
        bind_all(s, b);
        if (sqlite3_step(s) != SQLITE_ROW) {
            fail(st, err, "list count");
            goto cleanup;
        }
        *total_out = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        s = NULL;
        ncp_buf_clear(&q);
        b->n = 0;
    }
    /* first the numbers and versions, then each row that must be read */
    ncp_buf_puts(&q, "SELECT s.no, s.version FROM servers s");
    where(&q, b, f);
    const char *dir = f->descending ? "DESC" : "ASC";
    if (f->sort_by_name)
        ncp_buf_printf(&q, " ORDER BY s.name %s, s.no %s", dir, dir);
    else
        ncp_buf_printf(&q, " ORDER BY s.no %s", dir);
    if (f->limit > 0) {
        ncp_buf_puts(&q, " LIMIT ? OFFSET ?");
        add_int(b, f->limit);
        add_int(b, f->offset);
    }
    if (!(s = dyn_prepare(st, q.data, err)))
        goto cleanup;
    bind_all(s, b);
    size_t n = 0, cap = 0;
    int64_t *nos = NULL, *versions = NULL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            int64_t *nn = ncp_arena_alloc(a, ncap * sizeof(int64_t));
            int64_t *nv = ncp_arena_alloc(a, ncap * sizeof(int64_t));
            if (n) {
                memcpy(nn, nos, n * sizeof(int64_t));
                memcpy(nv, versions, n * sizeof(int64_t));
            }
            nos = nn;
            versions = nv;
            cap = ncap;
        }
        nos[n] = sqlite3_column_int64(s, 0);
        versions[n++] = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    s = NULL;
    if (rc != SQLITE_DONE) {
        fail(st, err, "list step");
        goto cleanup;
    }
    if (f->limit <= 0)
        *total_out = (int64_t)n;
    for (size_t i = 0; i < n; i++) {
        ncp_server_t v;
        if (probe && probe(ctx, nos[i], versions[i])) {
            memset(&v, 0, sizeof(v));
            v.no = nos[i];
            v.account_id = f->account_id;
            v.version = versions[i];
            v.stub = true;
        } else {
            int r = sq_server_get(st, a, f->account_id, nos[i], &v, err);
            if (r < 0)
                goto cleanup;
            if (r == 0)
                continue; /* cannot happen inside one read transaction */
        }
        if (cb(ctx, &v) < 0)
            goto cleanup;
    }
    ret = 0;
cleanup:
    if (s)
        sqlite3_reset(s);
    ncp_buf_release(&q);
    free(b);
    return ret;
}

/* ---- transitions -------------------------------------------------------- */

static void read_trans(ncp_arena_t *a, sqlite3_stmt *s, ncp_trans_t *t)
{
    t->server_no = sqlite3_column_int64(s, 0);
    t->account_id = sqlite3_column_int64(s, 1);
    t->kind = (ncp_tr_kind_t)sqlite3_column_int(s, 2);
    t->step = sqlite3_column_int(s, 3);
    t->remaining = sqlite3_column_int(s, 4);
    t->due_ms = sqlite3_column_int64(s, 5);
    t->arg = sqlite3_column_type(s, 6) == SQLITE_NULL ? NULL : col_str(a, s, 6);
    t->wait_ms = sqlite3_column_int64(s, 7);
    t->phase = (ncp_phase_t)sqlite3_column_int(s, 8);
    t->prev_status = (ncp_status_t)sqlite3_column_int(s, 9);
    t->prev_op = (ncp_op_t)sqlite3_column_int(s, 10);
}

static int sq_trans_put(ncp_store_t *st, const ncp_trans_t *t, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_TRANS_PUT, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, t->server_no);
    sqlite3_bind_int64(s, 2, t->account_id);
    sqlite3_bind_int(s, 3, (int)t->kind);
    sqlite3_bind_int(s, 4, t->step);
    sqlite3_bind_int(s, 5, t->remaining);
    sqlite3_bind_int64(s, 6, t->due_ms);
    if (t->arg)
        bind_str(s, 7, t->arg);
    sqlite3_bind_int64(s, 8, t->wait_ms);
    sqlite3_bind_int(s, 9, (int)t->phase);
    sqlite3_bind_int(s, 10, (int)t->prev_status);
    sqlite3_bind_int(s, 11, (int)t->prev_op);
    return run(st, s, err);
}

static int sq_trans_get(ncp_store_t *st, ncp_arena_t *a, int64_t server_no, ncp_trans_t *out,
                        ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_TRANS_GET, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, server_no);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_trans(a, s, out);
        sqlite3_reset(s);
        return 1;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, err, "trans_get");
}

static int sq_trans_delete(ncp_store_t *st, int64_t server_no, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_TRANS_DELETE, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, server_no);
    return run(st, s, err);
}

static int trans_rows(ncp_store_t *st, int q, ncp_arena_t *a, const int64_t *binds, int nb,
                      size_t max, ncp_trans_t *out, size_t *n_out, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, q, err);
    if (!s)
        return -1;
    for (int i = 0; i < nb; i++)
        sqlite3_bind_int64(s, i + 1, binds[i]);
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < max)
        read_trans(a, s, &out[n++]);
    sqlite3_reset(s);
    *n_out = n;
    return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : fail(st, err, "trans_rows");
}

static int sq_trans_due(ncp_store_t *st, ncp_arena_t *a, int64_t now_ms, size_t max,
                        ncp_trans_t *out, size_t *n_out, ncp_err_t *err)
{
    int64_t b[2] = {now_ms, (int64_t)max};
    return trans_rows(st, Q_TRANS_DUE, a, b, 2, max, out, n_out, err);
}

static int sq_trans_claimed(ncp_store_t *st, ncp_arena_t *a, size_t max, ncp_trans_t *out,
                            size_t *n_out, ncp_err_t *err)
{
    int64_t b[1] = {(int64_t)max};
    return trans_rows(st, Q_TRANS_CLAIMED, a, b, 1, max, out, n_out, err);
}

static int sq_trans_next_due(ncp_store_t *st, int64_t *due_out, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_TRANS_NEXT, err);
    if (!s)
        return -1;
    int rc = sqlite3_step(s);
    int ret = 0;
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        *due_out = sqlite3_column_int64(s, 0);
        ret = 1;
    } else if (rc != SQLITE_ROW) {
        ret = fail(st, err, "trans_next");
    }
    sqlite3_reset(s);
    return ret;
}

static int sq_trans_clamp(ncp_store_t *st, int64_t now_ms, int64_t max_wait_ms, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_TRANS_CLAMP, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, now_ms);
    sqlite3_bind_int64(s, 2, max_wait_ms);
    if (run(st, s, err) < 0)
        return -1;
    return sqlite3_changes(st->db);
}

static int sq_trans_count(ncp_store_t *st, int64_t *n_out, ncp_err_t *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM transitions", -1, &s, NULL) != SQLITE_OK)
        return fail(st, err, "trans_count");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n_out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : fail(st, err, "trans_count");
}

/* ---- counters, ACGs, login keys ----------------------------------------- */

static int sq_counter_next(ncp_store_t *st, const char *name, int64_t start, int64_t *out,
                           ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_COUNTER_INIT, err);
    if (!s)
        return -1;
    bind_str(s, 1, name);
    sqlite3_bind_int64(s, 2, start);
    if (run(st, s, err) < 0)
        return -1;
    s = stmt(st, Q_COUNTER_NEXT, err);
    if (!s)
        return -1;
    bind_str(s, 1, name);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return fail(st, err, "counter");
    }
    *out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return 0;
}

static void read_acg(ncp_arena_t *a, sqlite3_stmt *s, ncp_acg_t *g)
{
    g->no = sqlite3_column_int64(s, 0);
    g->account_id = sqlite3_column_int64(s, 1);
    g->name = col_str(a, s, 2);
    g->description = col_str(a, s, 3);
    g->is_default = sqlite3_column_int(s, 4) != 0;
    g->create_ms = sqlite3_column_int64(s, 5);
}

static int sq_acg_get(ncp_store_t *st, ncp_arena_t *a, int64_t no, ncp_acg_t *out,
                      ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_ACG_GET, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, no);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_acg(a, s, out);
        sqlite3_reset(s);
        return 1;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, err, "acg_get");
}

static int sq_acg_list(ncp_store_t *st, ncp_arena_t *a, const ncp_acg_filter_t *f,
                       int64_t *total_out, ncp_acg_cb cb, void *ctx, ncp_err_t *err)
{
    int ret = -1;
    ncp_server_filter_t sizing = {.n_nos = f->n_nos};
    binds_t *b = binds_new(&sizing);
    ncp_buf_t w, q;
    ncp_buf_init(&w, 0);
    ncp_buf_init(&q, 0);
    sqlite3_stmt *s = NULL;
    ncp_buf_puts(&w, " WHERE account_id=?");
    add_int(b, f->account_id);
    if (f->nos) {
        ncp_buf_puts(&w, " AND no IN (");
        for (size_t i = 0; i < f->n_nos; i++) {
            ncp_buf_puts(&w, i ? ",?" : "?");
            add_int(b, f->nos[i]);
        }
        ncp_buf_puts(&w, ")");
    }
    if (f->is_default >= 0) {
        ncp_buf_puts(&w, " AND is_default=?");
        add_int(b, f->is_default);
    }
    if (f->name) {
        ncp_buf_puts(&w, " AND name=?");
        add_str(b, f->name);
    }
    ncp_buf_printf(&q, "SELECT count(*) FROM acgs%s", w.data);
    if (sqlite3_prepare_v2(st->db, q.data, (int)q.len, &s, NULL) != SQLITE_OK) {
        fail(st, err, "acg count");
        goto cleanup;
    }
    bind_all(s, b);
    if (sqlite3_step(s) != SQLITE_ROW) {
        fail(st, err, "acg count");
        goto cleanup;
    }
    *total_out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    ncp_buf_clear(&q);
    ncp_buf_printf(&q,
                   "SELECT no, account_id, name, description, is_default, create_ms FROM acgs%s"
                   " ORDER BY no",
                   w.data);
    if (f->limit > 0) {
        ncp_buf_puts(&q, " LIMIT ? OFFSET ?");
        add_int(b, f->limit);
        add_int(b, f->offset);
    }
    if (sqlite3_prepare_v2(st->db, q.data, (int)q.len, &s, NULL) != SQLITE_OK) {
        fail(st, err, "acg list");
        goto cleanup;
    }
    bind_all(s, b);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ncp_acg_t g;
        read_acg(a, s, &g);
        if (cb(ctx, &g) < 0)
            goto cleanup;
    }
    if (rc != SQLITE_DONE) {
        fail(st, err, "acg list");
        goto cleanup;
    }
    ret = 0;
cleanup:
    sqlite3_finalize(s);
    ncp_buf_release(&w);
    ncp_buf_release(&q);
    free(b);
    return ret;
}

static int sq_acg_rule_put(ncp_store_t *st, const ncp_acg_rule_t *r, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_RULE_PUT, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, r->no);
    sqlite3_bind_int64(s, 2, r->acg_no);
    bind_str(s, 3, r->protocol);
    bind_str(s, 4, r->source_ip);
    sqlite3_bind_int64(s, 5, r->source_acg_no);
    bind_str(s, 6, r->port);
    bind_str(s, 7, r->description);
    return run(st, s, err);
}

static int sq_acg_rule_list(ncp_store_t *st, ncp_arena_t *a, int64_t acg_no, ncp_acg_rule_cb cb,
                            void *ctx, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_RULE_LIST, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, acg_no);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ncp_acg_rule_t r = {.no = sqlite3_column_int64(s, 0),
                            .acg_no = sqlite3_column_int64(s, 1),
                            .protocol = col_str(a, s, 2),
                            .source_ip = col_str(a, s, 3),
                            .source_acg_no = sqlite3_column_int64(s, 4),
                            .source_acg_name = col_str(a, s, 5),
                            .port = col_str(a, s, 6),
                            .description = col_str(a, s, 7)};
        if (cb(ctx, &r) < 0) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, err, "rule list");
}

static int sq_login_key_put(ncp_store_t *st, const ncp_login_key_t *k, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_KEY2_PUT, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, k->account_id);
    bind_str(s, 2, k->name);
    bind_str(s, 3, k->fingerprint);
    sqlite3_bind_int64(s, 4, k->create_ms);
    return run(st, s, err);
}

static int sq_login_key_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                            const char *name, ncp_login_key_t *out, ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_KEY2_GET, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, account_id);
    bind_str(s, 2, name);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->account_id = sqlite3_column_int64(s, 0);
        out->name = col_str(a, s, 1);
        out->fingerprint = col_str(a, s, 2);
        out->create_ms = sqlite3_column_int64(s, 3);
        sqlite3_reset(s);
        return 1;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, err, "login_key_get");
}

static int sq_login_key_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                             const char *name, int64_t offset, int64_t limit, int64_t *total_out,
                             ncp_login_key_cb cb, void *ctx, ncp_err_t *err)
{
    int ret = -1;
    sqlite3_stmt *s = NULL;
    const char *where = name ? " WHERE account_id=?1 AND name=?2" : " WHERE account_id=?1";
    char q[512];
    snprintf(q, sizeof(q), "SELECT count(*) FROM login_keys%s", where);
    if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) != SQLITE_OK)
        return fail(st, err, "key count");
    sqlite3_bind_int64(s, 1, account_id);
    if (name)
        bind_str(s, 2, name);
    if (sqlite3_step(s) != SQLITE_ROW) {
        fail(st, err, "key count");
        goto cleanup;
    }
    *total_out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    snprintf(q, sizeof(q),
             "SELECT account_id, name, fingerprint, create_ms FROM login_keys%s"
             " ORDER BY create_ms DESC, seq DESC LIMIT ?3 OFFSET ?4",
             where);
    if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) != SQLITE_OK) {
        fail(st, err, "key list");
        goto cleanup;
    }
    sqlite3_bind_int64(s, 1, account_id);
    if (name)
        bind_str(s, 2, name);
    sqlite3_bind_int64(s, 3, limit > 0 ? limit : -1);
    sqlite3_bind_int64(s, 4, offset);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ncp_login_key_t k = {.account_id = sqlite3_column_int64(s, 0),
                             .name = col_str(a, s, 1),
                             .fingerprint = col_str(a, s, 2),
                             .create_ms = sqlite3_column_int64(s, 3)};
        if (cb(ctx, &k) < 0)
            goto cleanup;
    }
    if (rc != SQLITE_DONE) {
        fail(st, err, "key list");
        goto cleanup;
    }
    ret = 0;
cleanup:
    sqlite3_finalize(s);
    return ret;
}

static int sq_login_key_delete(ncp_store_t *st, int64_t account_id, const char *name,
                               ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, Q_KEY2_DELETE, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, account_id);
    bind_str(s, 2, name);
    return run(st, s, err);
}

static int count1(ncp_store_t *st, int q, int64_t a1, const char *a2, int64_t *out,
                  ncp_err_t *err)
{
    sqlite3_stmt *s = stmt(st, q, err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, a1);
    bind_str(s, 2, a2);
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : fail(st, err, "count");
}

static int sq_login_key_users(ncp_store_t *st, int64_t account_id, const char *name,
                              int64_t *n_out, ncp_err_t *err)
{
    return count1(st, Q_KEY2_USERS, account_id, name, n_out, err);
}

static int sq_server_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                                ncp_err_t *err)
{
    int64_t n;
    if (count1(st, Q_NAME_TAKEN, account_id, name, &n, err) < 0)
        return -1;
    return n ? 1 : 0;
}

static int sq_private_ip_taken(ncp_store_t *st, int64_t zone_no, const char *ip, ncp_err_t *err)
{
    int64_t n;
    if (count1(st, Q_IP_TAKEN, zone_no, ip, &n, err) < 0)
        return -1;
    return n ? 1 : 0;
}

/* The region is kept in its own column so region filters use no catalogue
 * join; it follows from the zone (domain/catalog.c). */
#include "domain/catalog.h"
static int64_t region_of(int64_t zone_no)
{
    const ncp_zone_t *z = ncp_catalog_zone(zone_no);
    return z ? z->region_no : 0;
}

const ncp_store_ops_t ncp_store_sqlite_ops = {
    .abi = NCP_STORE_ABI,
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .savepoint = sq_savepoint,
    .savepoint_release = sq_savepoint_release,
    .savepoint_rollback = sq_savepoint_rollback,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
    .account_add = sq_account_add,
    .account_count = sq_account_count,
    .key_add = sq_key_add,
    .key_get = sq_key_get,
    .key_list = sq_key_list,
    .key_set_disabled = sq_key_set_disabled,
    .instance_next_no = sq_instance_next_no,
    .instance_seq_at_least = sq_instance_seq_at_least,
    .instance_get = sq_instance_get,
    .instance_put = sq_instance_put,
    .counter_next = sq_counter_next,
    .acg_put = sq_acg_put,
    .acg_get = sq_acg_get,
    .acg_list = sq_acg_list,
    .acg_rule_put = sq_acg_rule_put,
    .acg_rule_list = sq_acg_rule_list,
    .login_key_put = sq_login_key_put,
    .login_key_get = sq_login_key_get,
    .login_key_list = sq_login_key_list,
    .login_key_delete = sq_login_key_delete,
    .login_key_users = sq_login_key_users,
    .server_name_taken = sq_server_name_taken,
    .private_ip_taken = sq_private_ip_taken,
    .server_get = sq_server_get,
    .server_put = sq_server_put,
    .server_set_state = sq_server_set_state,
    .server_delete = sq_server_delete,
    .server_list = sq_server_list,
    .trans_put = sq_trans_put,
    .trans_get = sq_trans_get,
    .trans_delete = sq_trans_delete,
    .trans_due = sq_trans_due,
    .trans_next_due = sq_trans_next_due,
    .trans_count = sq_trans_count,
    .trans_clamp = sq_trans_clamp,
    .trans_claimed = sq_trans_claimed,
};

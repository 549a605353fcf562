/* db_sqlite.c: the SQLite backend of db.h.
 *
 * WAL mode with synchronous=FULL: a commit is on disk (fsync of the WAL)
 * before commit() returns. Writers take the write lock at begin (BEGIN
 * IMMEDIATE), so check-then-act inside one write transaction is atomic
 * across connections and processes. Connections are never shared between
 * threads, so SQLite runs without its own mutexes. A new database file is
 * created 0600: it holds user data and sealed secrets. */
#include "store/db.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TX_BEGIN, TX_BEGIN_WRITE, TX_COMMIT, TX_ROLLBACK, TX__N };
static const char *const tx_sql[TX__N] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};

struct ncp_db {
    sqlite3 *db;
    sqlite3_stmt *tx[TX__N]; /* prepared once: a transaction costs no parsing */
    bool in_txn;
    /* the WAL-index header in SQLite's own mapping of the -shm file (change_token) */
    const volatile uint8_t *shm;
    bool shm_none;
};

/* Runs transaction statement k; SQLITE_OK or the error code. */
static int tx(ncp_db_t *db, int k)
{
    if (!db->tx[k] && sqlite3_prepare_v3(db->db, tx_sql[k], -1, SQLITE_PREPARE_PERSISTENT,
                                         &db->tx[k], NULL) != SQLITE_OK)
        return sqlite3_errcode(db->db);
    int rc = sqlite3_step(db->tx[k]);
    sqlite3_reset(db->tx[k]);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

struct ncp_db_stmt {
    sqlite3_stmt *s;
    sqlite3 *db;
    int64_t changes;
};

static int fail(ncp_db_t *db, ncp_err_t *err, const char *what)
{
    ncp_err_internal(err, "sqlite %s: %s", what, sqlite3_errmsg(db->db));
    return -1;
}

/* Runs sql, retrying while another connection holds a lock, for at most
 * 10 s: on a new database, switching to WAL needs an exclusive lock and
 * SQLite answers SQLITE_BUSY at once, without its busy handler, when another
 * process opens the same new file at the same moment. */
static int exec_patient(ncp_db_t *db, const char *sql, ncp_err_t *err)
{
    for (int i = 0;; i++) {
        int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
            ncp_err_internal(err, "sqlite exec %s: %s", sql, sqlite3_errmsg(db->db));
            return -1;
        }
        if (i >= 1000) {
            ncp_err_internal(err, "sqlite exec %s: %s (for 10 s)", sql, sqlite3_errmsg(db->db));
            return -1;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static void configure_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void sq_close(ncp_db_t *db)
{
    if (!db)
        return;
    for (int k = 0; k < TX__N; k++)
        sqlite3_finalize(db->tx[k]);
    sqlite3_close_v2(db->db);
    free(db);
}

static ncp_db_t *sq_open(const char *path, ncp_err_t *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_once);
    ncp_db_t *db = calloc(1, sizeof(*db));
    if (!db)
        abort();
    /* O_EXCL: never open (and close) an existing database here, since
     * closing any descriptor of a file drops the process's POSIX locks on
     * it, including those of SQLite connections of other threads. SQLite
     * gives the -wal and -shm files the database's mode. */
    if (strcmp(path, ":memory:") != 0) {
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db->db, flags, NULL) != SQLITE_OK) {
        ncp_err_internal(err, "cannot open database %s: %s", path,
                         db->db ? sqlite3_errmsg(db->db) : "out of memory");
        sq_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db->db, 10000);
    sqlite3_extended_result_codes(db->db, 1);
    if (exec_patient(db, "PRAGMA journal_mode=WAL", err) < 0 ||
        exec_patient(db, "PRAGMA synchronous=FULL", err) < 0 ||
        exec_patient(db, "PRAGMA wal_autocheckpoint=0", err) < 0 ||
        exec_patient(db, "PRAGMA foreign_keys=OFF", err) < 0 ||
        exec_patient(db, "PRAGMA temp_store=MEMORY", err) < 0) {
        sq_close(db);
        return NULL;
    }
    return db;
}

static unsigned sq_generation(const ncp_db_t *db)
{
    (void)db;
    return 0;
}

static int sq_exec(ncp_db_t *db, const char *sql, ncp_err_t *err)
{
    char *t = ncp_db_translate(NCP_DIALECT_SQLITE, sql);
    char *msg = NULL;
    int rc = sqlite3_exec(db->db, t, NULL, NULL, &msg);
    free(t);
    if (rc != SQLITE_OK) {
        ncp_err_internal(err, "sqlite exec: %s", msg ? msg : sqlite3_errmsg(db->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int sq_begin(ncp_db_t *db, bool write, ncp_err_t *err)
{
    int rc = tx(db, write ? TX_BEGIN_WRITE : TX_BEGIN);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) != SQLITE_BUSY)
            return fail(db, err, "begin");
        if (exec_patient(db, tx_sql[write ? TX_BEGIN_WRITE : TX_BEGIN], err) < 0)
            return -1;
    }
    db->in_txn = true;
    return 0;
}

/* A failed COMMIT leaves an unknown outcome (the WAL may hold the commit
 * frame): the caller must not answer it as a failure (commit.c). The
 * connection is rolled back so that it can be used again. */
static int sq_commit(ncp_db_t *db, ncp_err_t *err)
{
    int rc = tx(db, TX_COMMIT);
    db->in_txn = false;
    if (rc != SQLITE_OK) {
        fail(db, err, "commit");
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

static int sq_rollback(ncp_db_t *db)
{
    int ret = 0;
    if (db->in_txn && tx(db, TX_ROLLBACK) != SQLITE_OK &&
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK &&
        !sqlite3_get_autocommit(db->db))
        ret = -1;
    db->in_txn = false;
    return ret;
}

static ncp_db_stmt_t *sq_prepare(ncp_db_t *db, const char *sql, ncp_err_t *err)
{
    char *t = ncp_db_translate(NCP_DIALECT_SQLITE, sql);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v3(db->db, t, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
    free(t);
    if (rc != SQLITE_OK) {
        fail(db, err, "prepare");
        return NULL;
    }
    ncp_db_stmt_t *st = calloc(1, sizeof(*st));
    if (!st)
        abort();
    st->s = s;
    st->db = db->db;
    return st;
}

static void sq_finalize(ncp_db_stmt_t *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->s);
    free(s);
}

static void sq_bind_int(ncp_db_stmt_t *s, int i, int64_t v)
{
    sqlite3_bind_int64(s->s, i, v);
}

static void sq_bind_text(ncp_db_stmt_t *s, int i, const char *v, size_t len)
{
    sqlite3_bind_text(s->s, i, v ? v : "", v ? (int)len : 0, SQLITE_STATIC);
}

static void sq_bind_blob(ncp_db_stmt_t *s, int i, const void *v, size_t len)
{
    sqlite3_bind_blob(s->s, i, v, (int)len, SQLITE_STATIC);
}

static void sq_bind_null(ncp_db_stmt_t *s, int i)
{
    sqlite3_bind_null(s->s, i);
}

static int sq_step(ncp_db_stmt_t *s, ncp_err_t *err)
{
    int rc = sqlite3_step(s->s);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE) {
        s->changes = sqlite3_changes(s->db);
        return 0;
    }
    ncp_err_internal(err, "sqlite step: %s", sqlite3_errmsg(s->db));
    return -1;
}

static int64_t sq_col_int(ncp_db_stmt_t *s, int i)
{
    return sqlite3_column_int64(s->s, i);
}

static const char *sq_col_text(ncp_db_stmt_t *s, int i, size_t *len)
{
    const unsigned char *t = sqlite3_column_text(s->s, i);
    if (len)
        *len = t ? (size_t)sqlite3_column_bytes(s->s, i) : 0;
    return t ? (const char *)t : "";
}

static const void *sq_col_blob(ncp_db_stmt_t *s, int i, size_t *len)
{
    const void *b = sqlite3_column_blob(s->s, i);
    *len = b ? (size_t)sqlite3_column_bytes(s->s, i) : 0;
    return b ? b : "";
}

static bool sq_col_null(ncp_db_stmt_t *s, int i)
{
    return sqlite3_column_type(s->s, i) == SQLITE_NULL;
}

static void sq_reset(ncp_db_stmt_t *s)
{
    sqlite3_reset(s->s);
    sqlite3_clear_bindings(s->s);
}

static int64_t sq_changes(ncp_db_stmt_t *s)
{
    return s->changes;
}

static int sq_checkpoint(ncp_db_t *db, ncp_err_t *err)
{
    int n_log = 0, n_done = 0;
    int rc = sqlite3_wal_checkpoint_v2(db->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &n_log, &n_done);
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
        return fail(db, err, "checkpoint");
    return 0;
}

/* The change token is the WAL-index header (https://sqlite.org/walformat.html, 2.1):
 * 48 bytes that every commit of every connection rewrites (iChange, mxFrame, the
 * frame checksums), kept twice at the start of the -shm file. A writer stores copy 2,
 * then copy 1; like SQLite's own readers we read copy 1, then copy 2, and trust them
 * only when they agree and are initialised. The mapping is SQLite's own (xShmMap of
 * region 0, which stays mapped while the connection is open), never one of ours. */
#define WAL_HDR 48
#define WAL_REGION 32768

static int sq_change_token(ncp_db_t *db, uint8_t out[NCP_DB_TOKEN_LEN])
{
    _Static_assert(NCP_DB_TOKEN_LEN == WAL_HDR, "token is the WAL-index header");
    if (!db->shm) {
        sqlite3_file *f = NULL;
        if (db->shm_none)
            return 0;
        if (sqlite3_file_control(db->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK ||
            !f || !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap) {
            db->shm_none = true;
            return 0;
        }
        volatile void *p = NULL;
        if (f->pMethods->xShmMap(f, 0, WAL_REGION, 0, &p) != SQLITE_OK || !p)
            return 0; /* not mapped yet: the connection has not read in WAL mode */
        db->shm = p;
    }
    uint8_t a[WAL_HDR], b[WAL_HDR];
    /* acquire loads: no load of copy 2 moves before those of copy 1 (plain loads on
     * x86; atomics rather than a fence, which ThreadSanitizer cannot follow) */
    for (int i = 0; i < WAL_HDR; i++)
        a[i] = __atomic_load_n(&db->shm[i], __ATOMIC_ACQUIRE);
    for (int i = 0; i < WAL_HDR; i++)
        b[i] = __atomic_load_n(&db->shm[WAL_HDR + i], __ATOMIC_RELAXED);
    if (memcmp(a, b, WAL_HDR) != 0 || a[12] == 0 /* isInit */)
        return 0; /* a writer is between the two copies */
    memcpy(out, a, WAL_HDR);
    return 1;
}

static int sq_schema_version(ncp_db_t *db, int *out, ncp_err_t *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return fail(db, err, "user_version");
    *out = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return 0;
}

static int sq_set_schema_version(ncp_db_t *db, int v, ncp_err_t *err)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v);
    return sqlite3_exec(db->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(db, err, sql);
}

const ncp_db_ops_t ncp_db_sqlite_ops = {
    .name = "sqlite",
    .dialect = NCP_DIALECT_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .generation = sq_generation,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_null = sq_col_null,
    .reset = sq_reset,
    .changes = sq_changes,
    .checkpoint = sq_checkpoint,
    .change_token = sq_change_token,
    .schema_version = sq_schema_version,
    .set_schema_version = sq_set_schema_version,
};

/* db_pg.c: the PostgreSQL backend of db.h (libpq).
 *
 * One libpq connection per ncp_db_t. Statements are server-side prepared
 * statements ("n1", "n2", ...) made on first use in each connection
 * generation; parameters and results travel as text. Rows come one at a
 * time (single-row mode), so a long list never sits whole in memory.
 *
 * Writers serialise on one transaction-level advisory lock taken by
 * begin(write): every write transaction of every node runs alone, as on
 * SQLite, so check-then-act is atomic across nodes and group commits keep
 * their meaning. Reads run in REPEATABLE READ snapshots.
 *
 * A lost connection (PostgreSQL restarted, network gone) turns every call
 * into the gateway's 503 at once; the next begin() reconnects (within the
 * connect timeout), re-applies the session settings and starts a new
 * statement generation. */
#include "store/db.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/crypto.h"
#include "util/log.h"

/* pg_advisory_xact_lock key of ncpd's write lock: "ncpd" in ASCII */
#define WRITE_LOCK_KEY "1852010596"

struct ncp_db {
    PGconn *conn;
    bool broken;       /* the server went away: reconnect before the next use */
    unsigned gen;      /* bumped by every reconnect */
    unsigned next_id;  /* names of prepared statements */
    bool in_txn;
};

typedef struct param {
    char *buf;         /* owned copy of the value, NUL-terminated */
    size_t cap;
    bool set;
} param_t;

struct ncp_db_stmt {
    ncp_db_t *db;
    char *sql;         /* translated */
    char name[16];
    unsigned gen;      /* generation it was prepared in; 0: not yet */
    int nparams;
    param_t *params;
    const char **vals;
    PGresult *row;     /* the current row (single-row mode) */
    bool running, done;
    bool retried;      /* run again once after a reconnect */
    int64_t changes;
};

static void set_unavailable(ncp_err_t *err, const char *what, const char *why)
{
    ncp_err_set_gw(err, NCP_E_GW_UNAVAILABLE, "The database is unavailable. Please try again.");
    if (err)
        snprintf(err->detail, sizeof(err->detail), "postgresql %s: %s", what, why);
}

/* Reports a failure: a lost connection is 503 (and the connection is
 * rebuilt at the next begin), anything else internal. */
/* True when the server is going away or cannot serve: connection errors
 * (SQLSTATE class 08), operator intervention (57P01 admin shutdown, 57P02
 * crash shutdown, 57P03 cannot connect now), a FATAL error, or a connection
 * libpq already knows is dead. */
static bool unavailable(const ncp_db_t *db, const PGresult *r)
{
    if (PQstatus(db->conn) != CONNECTION_OK)
        return true;
    if (!r)
        return true; /* the call failed before any answer: the connection */
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
    /* an error made by libpq itself (no SQLSTATE), e.g. "server closed the
     * connection unexpectedly", is about the connection too */
    return !state || strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
           (sev && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0));
}

/* Reports a failure: a lost connection is 503 (and the connection is
 * rebuilt at the next begin), anything else internal. `what` is short. */
static int fail(ncp_db_t *db, ncp_err_t *err, const char *what, const PGresult *r)
{
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn);
    char line[200];
    snprintf(line, sizeof(line), "%s", msg && *msg ? msg : "unknown error");
    line[strcspn(line, "\n")] = '\0';
    if (unavailable(db, r)) {
        db->broken = true;
        set_unavailable(err, what, line);
    } else {
        ncp_err_internal(err, "postgresql %s: %s", what, line);
    }
    return -1;
}

static int simple(ncp_db_t *db, const char *sql, ncp_err_t *err)
{
    PGresult *r = PQexec(db->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    char what[48];
    snprintf(what, sizeof(what), "exec %.40s", sql);
    int ret = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : fail(db, err, what, r);
    PQclear(r);
    return ret;
}

static int session_setup(ncp_db_t *db, ncp_err_t *err)
{
    return simple(db,
                  "SET client_min_messages = warning; SET synchronous_commit = on;"
                  " SET TIME ZONE 'UTC'",
                  err);
}

static void pg_close(ncp_db_t *db)
{
    if (!db)
        return;
    PQfinish(db->conn);
    free(db);
}

static ncp_db_t *pg_open(const char *uri, ncp_err_t *err)
{
    ncp_db_t *db = calloc(1, sizeof(*db));
    if (!db)
        abort();
    /* defaults first: what the URI says wins (expand_dbname) */
    const char *keys[] = {"connect_timeout", "keepalives_idle", "keepalives_interval",
                          "keepalives_count", "application_name", "dbname", NULL};
    const char *vals[] = {"3", "10", "3", "3", "ncpd", uri, NULL};
    db->conn = PQconnectdbParams(keys, vals, 1);
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        char line[200];
        snprintf(line, sizeof(line), "%s",
                 db->conn ? PQerrorMessage(db->conn) : "out of memory");
        line[strcspn(line, "\n")] = '\0';
        ncp_err_internal(err, "cannot connect to PostgreSQL: %s", line);
        pg_close(db);
        return NULL;
    }
    if (session_setup(db, err) < 0) {
        pg_close(db);
        return NULL;
    }
    db->gen = 1;
    return db;
}

static unsigned pg_generation(const ncp_db_t *db)
{
    return db->gen;
}

/* Makes the connection usable again after a loss. */
static int reconnect(ncp_db_t *db, ncp_err_t *err)
{
    if (PQstatus(db->conn) == CONNECTION_OK && !db->broken)
        return 0;
    PQreset(db->conn);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        char line[200];
        snprintf(line, sizeof(line), "%s", PQerrorMessage(db->conn));
        line[strcspn(line, "\n")] = '\0';
        set_unavailable(err, "reconnect", line);
        return -1;
    }
    db->gen++;
    db->in_txn = false;
    db->broken = false;
    ncp_log_info("postgresql: reconnected");
    return session_setup(db, err);
}

static int pg_begin(ncp_db_t *db, bool write, ncp_err_t *err)
{
    const char *sql = write ? "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    if (reconnect(db, err) < 0)
        return -1;
    for (int attempt = 0;; attempt++) {
        ncp_err_t e;
        ncp_err_init(&e);
        if (simple(db, sql, &e) == 0)
            break;
        /* a connection that died while idle (PostgreSQL restarted) is noticed
         * only now: reconnect once and start again, nothing was done yet */
        if (attempt == 0 && (db->broken || PQstatus(db->conn) != CONNECTION_OK) &&
            reconnect(db, err) == 0)
            continue;
        PQclear(PQexec(db->conn, "ROLLBACK"));
        if (err && !err->is_set)
            *err = e;
        return -1;
    }
    db->in_txn = true;
    return 0;
}

/* COMMIT of a transaction that had a failed statement answers ROLLBACK:
 * that is a failure too. A connection lost during COMMIT leaves the
 * outcome unknown: reported as 503, never as a definite failure. */
static int pg_commit(ncp_db_t *db, ncp_err_t *err)
{
    PGresult *r = PQexec(db->conn, "COMMIT");
    int ret = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        ret = fail(db, err, "commit", r);
    else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
        ret = (ncp_err_internal(err, "postgresql commit: the transaction was rolled back"), -1);
    PQclear(r);
    db->in_txn = false;
    return ret;
}

static int pg_rollback(ncp_db_t *db)
{
    int ret = 0;
    if (db->in_txn) {
        PGresult *r = PQexec(db->conn, "ROLLBACK");
        /* a lost connection has rolled back on the server's side */
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQstatus(db->conn) == CONNECTION_OK)
            ret = -1;
        PQclear(r);
    }
    db->in_txn = false;
    return ret;
}

static int pg_exec(ncp_db_t *db, const char *sql, ncp_err_t *err)
{
    char *t = ncp_db_translate(NCP_DIALECT_PG, sql);
    int ret = simple(db, t, err);
    free(t);
    return ret;
}

static int count_params(const char *sql)
{
    int n = 0;
    for (const char *p = sql; (p = strchr(p, '$'));) {
        int k = (int)strtol(p + 1, (char **)&p, 10);
        if (k > n)
            n = k;
    }
    return n;
}

static ncp_db_stmt_t *pg_prepare(ncp_db_t *db, const char *sql, ncp_err_t *err)
{
    (void)err;
    ncp_db_stmt_t *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    s->db = db;
    s->sql = ncp_db_translate(NCP_DIALECT_PG, sql);
    snprintf(s->name, sizeof(s->name), "n%u", ++db->next_id);
    s->nparams = count_params(s->sql);
    s->params = calloc((size_t)s->nparams + 1, sizeof(param_t));
    s->vals = calloc((size_t)s->nparams + 1, sizeof(char *));
    if (!s->params || !s->vals)
        abort();
    return s;
}

/* Reads and drops what is left of a run. */
static void drain(ncp_db_stmt_t *s)
{
    PQclear(s->row);
    s->row = NULL;
    if (s->running) {
        PGresult *r;
        while ((r = PQgetResult(s->db->conn)))
            PQclear(r);
    }
    s->running = false;
    s->done = false;
}

static void pg_finalize(ncp_db_stmt_t *s)
{
    if (!s)
        return;
    drain(s);
    for (int i = 0; i < s->nparams; i++)
        free(s->params[i].buf);
    free(s->params);
    free(s->vals);
    free(s->sql);
    free(s);
}

static char *param_buf(ncp_db_stmt_t *s, int i, size_t need)
{
    if (i < 1 || i > s->nparams)
        return NULL;
    param_t *p = &s->params[i - 1];
    if (p->cap < need + 1) {
        p->cap = need + 1 < 32 ? 32 : need + 1;
        free(p->buf);
        p->buf = malloc(p->cap);
        if (!p->buf)
            abort();
    }
    p->set = true;
    return p->buf;
}

static void pg_bind_int(ncp_db_stmt_t *s, int i, int64_t v)
{
    char *b = param_buf(s, i, 24);
    if (b)
        snprintf(b, 24, "%lld", (long long)v);
}

static void pg_bind_text(ncp_db_stmt_t *s, int i, const char *v, size_t len)
{
    if (!v)
        len = 0;
    char *b = param_buf(s, i, len);
    if (b) {
        if (len)
            memcpy(b, v, len);
        b[len] = '\0';
    }
}

static void pg_bind_blob(ncp_db_stmt_t *s, int i, const void *v, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *b = param_buf(s, i, 2 + 2 * len);
    if (!b)
        return;
    const unsigned char *p = v;
    b[0] = '\\';
    b[1] = 'x';
    for (size_t k = 0; k < len; k++) {
        b[2 + 2 * k] = hex[p[k] >> 4];
        b[3 + 2 * k] = hex[p[k] & 15];
    }
    b[2 + 2 * len] = '\0';
}

static void pg_bind_null(ncp_db_stmt_t *s, int i)
{
    if (i >= 1 && i <= s->nparams)
        s->params[i - 1].set = false;
}

static int pg_step(ncp_db_stmt_t *s, ncp_err_t *err);

/* A statement outside any transaction (only reads run so) that met a
 * connection which died while idle: once more on a new connection. */
static int retry_once(ncp_db_stmt_t *s, ncp_err_t *err)
{
    s->db->broken = true;
    s->retried = true;
    int ret = reconnect(s->db, err) < 0 ? -1 : pg_step(s, err);
    s->retried = false;
    return ret;
}

static int pg_step(ncp_db_stmt_t *s, ncp_err_t *err)
{
    ncp_db_t *db = s->db;
    if (s->done)
        return 0;
    PQclear(s->row);
    s->row = NULL;
    if (!s->running) {
        /* outside a transaction (a key look-up), a connection known to be
         * dead is rebuilt here; inside one it is begin()'s to do */
        if (!db->in_txn && (db->broken || PQstatus(db->conn) != CONNECTION_OK) &&
            reconnect(db, err) < 0)
            return -1;
        if (PQstatus(db->conn) != CONNECTION_OK)
            return fail(db, err, "step", NULL);
        if (s->gen != db->gen) {
            PGresult *r = PQprepare(db->conn, s->name, s->sql, s->nparams, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                bool retry = !db->in_txn && unavailable(db, r) && !s->retried;
                if (!retry) {
                    fail(db, err, "prepare", r);
                    ncp_log_error("postgresql: cannot prepare: %s", s->sql);
                }
                PQclear(r);
                return retry ? retry_once(s, err) : -1;
            }
            PQclear(r);
            s->gen = db->gen;
        }
        for (int i = 0; i < s->nparams; i++)
            s->vals[i] = s->params[i].set ? s->params[i].buf : NULL;
        if (!PQsendQueryPrepared(db->conn, s->name, s->nparams, s->vals, NULL, NULL, 0) ||
            !PQsetSingleRowMode(db->conn)) {
            return fail(db, err, "send", NULL);
        }
        s->running = true;
        s->changes = 0;
    }
    PGresult *r = PQgetResult(db->conn);
    switch (PQresultStatus(r)) {
    case PGRES_SINGLE_TUPLE:
        s->row = r;
        return 1;
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK: {
        const char *n = PQcmdTuples(r);
        s->changes = n && *n ? strtoll(n, NULL, 10) : 0;
        PQclear(r);
        drain(s);
        s->done = true;
        return 0;
    }
    default: {
        /* a statement outside any transaction (only reads run so) that met a
         * connection which died while idle: once more on a new connection */
        if (!db->in_txn && unavailable(db, r) && !s->retried) {
            PQclear(r);
            drain(s);
            return retry_once(s, err);
        }
        int ret = fail(db, err, "step", r);
        PQclear(r);
        drain(s);
        return ret;
    }
    }
}

static int64_t pg_col_int(ncp_db_stmt_t *s, int i)
{
    if (!s->row || PQgetisnull(s->row, 0, i))
        return 0;
    return strtoll(PQgetvalue(s->row, 0, i), NULL, 10);
}

static const char *pg_col_text(ncp_db_stmt_t *s, int i, size_t *len)
{
    if (!s->row || PQgetisnull(s->row, 0, i)) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = (size_t)PQgetlength(s->row, 0, i);
    return PQgetvalue(s->row, 0, i);
}

/* bytea arrives as text "\x..."; decoded in place (the result owns it) */
static const void *pg_col_blob(ncp_db_stmt_t *s, int i, size_t *len)
{
    *len = 0;
    if (!s->row || PQgetisnull(s->row, 0, i))
        return "";
    char *v = PQgetvalue(s->row, 0, i);
    size_t n = (size_t)PQgetlength(s->row, 0, i);
    if (n < 2 || v[0] != '\\' || v[1] != 'x')
        return "";
    size_t o = 0;
    for (size_t k = 2; k + 1 < n; k += 2) {
        int hi = ncp_hex_digit(v[k]), lo = ncp_hex_digit(v[k + 1]);
        if (hi < 0 || lo < 0)
            break;
        v[o++] = (char)(hi << 4 | lo);
    }
    *len = o;
    return v;
}

static bool pg_col_null(ncp_db_stmt_t *s, int i)
{
    return !s->row || PQgetisnull(s->row, 0, i);
}

static void pg_reset(ncp_db_stmt_t *s)
{
    drain(s);
    for (int i = 0; i < s->nparams; i++)
        s->params[i].set = false;
}

static int64_t pg_changes(ncp_db_stmt_t *s)
{
    return s->changes;
}

static int pg_schema_version(ncp_db_t *db, int *out, ncp_err_t *err)
{
    *out = 0;
    /* pg_tables, not to_regclass(): a name looked up before another node
     * created the table stays "not found" in this backend's catalog cache for
     * the rest of the transaction, while pg_tables is read with the
     * statement's own snapshot */
    PGresult *r = PQexec(db->conn, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE"
                                   " schemaname = current_schema() AND tablename = 'ncpd_schema')");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fail(db, err, "schema version", r);
        PQclear(r);
        return -1;
    }
    bool exists = PQntuples(r) > 0 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!exists)
        return 0; /* an empty database */
    r = PQexec(db->conn, "SELECT version FROM ncpd_schema");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fail(db, err, "schema version", r);
        PQclear(r);
        return -1;
    }
    if (PQntuples(r) > 0)
        *out = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

static int pg_set_schema_version(ncp_db_t *db, int v, ncp_err_t *err)
{
    char sql[160];
    snprintf(sql, sizeof(sql),
             "CREATE TABLE IF NOT EXISTS ncpd_schema(version BIGINT NOT NULL);"
             " DELETE FROM ncpd_schema; INSERT INTO ncpd_schema VALUES(%d)",
             v);
    return simple(db, sql, err);
}

const ncp_db_ops_t ncp_db_pg_ops = {
    .name = "postgresql",
    .dialect = NCP_DIALECT_PG,
    .open = pg_open,
    .close = pg_close,
    .generation = pg_generation,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_null = pg_col_null,
    .reset = pg_reset,
    .changes = pg_changes,
    .schema_version = pg_schema_version,
    .set_schema_version = pg_set_schema_version,
};

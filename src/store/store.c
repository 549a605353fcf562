/* store.c: the typed operations of store.h, written once for every backend.
 *
 * The SQL below is the one dialect of db.h (numbered placeholders, tokens in
 * braces); the backend (db_sqlite.c, db_pg.c) translates and runs it.
 * Statements are prepared once per connection. A statement is always run to
 * its end (or reset) before the next one starts, as PostgreSQL's protocol
 * needs: list operations read their rows first and call back after.
 *
 * The backend is chosen by the --db value: a postgresql:// URI or a SQLite
 * file path. */
#include "store/store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog.h"
#include "util/buf.h"

/* ---- statements ---------------------------------------------------------- */

#define SERVER_COLS                                                                          \
    "s.no, s.account_id, s.name, s.description, s.cpu, s.memory, s.base_size, s.platform,"  \
    " s.login_key, s.fee_monitoring, s.public_ip, s.private_ip, s.image_name, s.image_code," \
    " s.product_code, s.status, s.op, s.create_ms, s.uptime_ms, s.protect, s.pf_public_ip,"  \
    " s.pf_ext_port, s.pf_int_port, s.zone_no, s.disk_type, s.disk_detail, s.instance_type," \
    " s.user_data, s.init_script_no, s.basic_storage_no, s.root_pw, s.acg_nos, s.n_tags,"  \
    " s.n_parts, s.version"

#define SERVER_SET(c) c " = excluded." c

#define TRANS_COLS                                                                           \
    "no, account_id, kind, step, remaining, due_ms, arg, wait_ms, phase, prev_status,"       \
    " prev_op, owner, res_kind"

static const char *const sql[Q__N] = {
    [Q_META_GET] = "SELECT value FROM meta WHERE key=?1",
    [Q_META_SET] = "INSERT INTO meta(key, value) VALUES(?1, ?2)"
                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [Q_ACCOUNT_ADD] = "INSERT INTO accounts(name, create_ms) VALUES(?1, ?2) RETURNING id",
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
    [Q_SEQ_RAISE] = "UPDATE seq SET next = CASE WHEN next < ?1 THEN ?1 ELSE next END"
                    " WHERE name='instance'",
    [Q_INST_GET] = "SELECT kind, account_id, deleted FROM instances WHERE no=?1",
    [Q_INST_PUT] = "INSERT INTO instances(no, kind, account_id, deleted) VALUES(?1, ?2, ?3, ?4)"
                   " ON CONFLICT(no) DO UPDATE SET kind = excluded.kind,"
                   " account_id = excluded.account_id, deleted = excluded.deleted",
    [Q_ACG_PUT] = "INSERT INTO acgs(no, account_id, name, description, is_default, create_ms)"
                  " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(no) DO UPDATE SET"
                  " account_id = excluded.account_id, name = excluded.name,"
                  " description = excluded.description, is_default = excluded.is_default,"
                  " create_ms = excluded.create_ms",
    [Q_SERVER_GET] = "SELECT " SERVER_COLS " FROM servers s WHERE s.no=?1 AND s.account_id=?2",
    [Q_SERVER_TAGS] = "SELECT key, value FROM server_tags WHERE server_no=?1 ORDER BY ord",
    [Q_SERVER_PARTS] = "SELECT mount_point, size FROM server_parts WHERE server_no=?1"
                       " ORDER BY ord",
    [Q_SERVER_PUT] =
        "INSERT INTO servers(no, account_id, name, description, cpu, memory,"
        " base_size, platform, login_key, fee_monitoring, public_ip, private_ip, image_name,"
        " image_code, product_code, status, op, create_ms, uptime_ms, protect, pf_public_ip,"
        " pf_ext_port, pf_int_port, zone_no, region_no, disk_type, disk_detail, instance_type,"
        " user_data, init_script_no, basic_storage_no, root_pw, acg_nos, n_tags, n_parts,"
        " version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
        " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33,"
        " ?34, ?35, 1) ON CONFLICT(no) DO UPDATE SET " SERVER_SET("account_id") ","
        SERVER_SET("name") "," SERVER_SET("description") "," SERVER_SET("cpu") ","
        SERVER_SET("memory") "," SERVER_SET("base_size") "," SERVER_SET("platform") ","
        SERVER_SET("login_key") "," SERVER_SET("fee_monitoring") "," SERVER_SET("public_ip") ","
        SERVER_SET("private_ip") "," SERVER_SET("image_name") "," SERVER_SET("image_code") ","
        SERVER_SET("product_code") "," SERVER_SET("status") "," SERVER_SET("op") ","
        SERVER_SET("create_ms") "," SERVER_SET("uptime_ms") "," SERVER_SET("protect") ","
        SERVER_SET("pf_public_ip") "," SERVER_SET("pf_ext_port") "," SERVER_SET("pf_int_port") ","
        SERVER_SET("zone_no") "," SERVER_SET("region_no") "," SERVER_SET("disk_type") ","
        SERVER_SET("disk_detail") "," SERVER_SET("instance_type") "," SERVER_SET("user_data") ","
        SERVER_SET("init_script_no") "," SERVER_SET("basic_storage_no") ","
        SERVER_SET("root_pw") "," SERVER_SET("acg_nos") "," SERVER_SET("n_tags") ","
        SERVER_SET("n_parts") ", version = servers.version + 1",
    [Q_SERVER_DEL_ACGS] = "DELETE FROM server_acgs WHERE server_no=?1",
    [Q_SERVER_DEL_TAGS] = "DELETE FROM server_tags WHERE server_no=?1",
    [Q_SERVER_DEL_PARTS] = "DELETE FROM server_parts WHERE server_no=?1",
    [Q_SERVER_ADD_ACG] = "INSERT INTO server_acgs(server_no, ord, acg_no) VALUES(?1, ?2, ?3)",
    [Q_SERVER_ADD_TAG] = "INSERT INTO server_tags(server_no, ord, key, value)"
                         " VALUES(?1, ?2, ?3, ?4)",
    [Q_SERVER_ADD_PART] = "INSERT INTO server_parts(server_no, ord, mount_point, size)"
                          " VALUES(?1, ?2, ?3, ?4)",
    [Q_SERVER_STATE] = "UPDATE servers SET status=?2, op=?3, version = version + 1,"
                       " uptime_ms = CASE WHEN CAST(?4 AS BIGINT) > 0 THEN CAST(?4 AS BIGINT)"
                       " ELSE uptime_ms END WHERE no=?1",
    [Q_SERVER_DELETE] = "DELETE FROM servers WHERE no=?1",
    [Q_TRANS_PUT] = "INSERT INTO transitions(" TRANS_COLS ")"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                    " ON CONFLICT(no) DO UPDATE SET account_id = excluded.account_id,"
                    " kind = excluded.kind, step = excluded.step, remaining = excluded.remaining,"
                    " due_ms = excluded.due_ms, arg = excluded.arg, wait_ms = excluded.wait_ms,"
                    " phase = excluded.phase, prev_status = excluded.prev_status,"
                    " prev_op = excluded.prev_op, owner = excluded.owner,"
                    " res_kind = excluded.res_kind",
    [Q_TRANS_GET] = "SELECT " TRANS_COLS " FROM transitions WHERE no=?1",
    [Q_TRANS_DELETE] = "DELETE FROM transitions WHERE no=?1",
    [Q_TRANS_DUE] = "SELECT " TRANS_COLS " FROM transitions WHERE due_ms <= ?1 AND phase = 1"
                    " ORDER BY due_ms, no LIMIT ?2",
    [Q_TRANS_NEXT] = "SELECT min(due_ms) FROM transitions WHERE phase = 1",
    [Q_TRANS_CLAMP] = "UPDATE transitions SET"
                      " wait_ms = CASE WHEN wait_ms < ?2 THEN wait_ms ELSE ?2 END,"
                      " due_ms = ?1 + CASE WHEN wait_ms < ?2 THEN wait_ms ELSE ?2 END"
                      " WHERE phase = 1 AND due_ms > ?1 + CASE WHEN wait_ms < ?2 THEN wait_ms"
                      " ELSE ?2 END",
    [Q_TRANS_CLAIMED] = "SELECT " TRANS_COLS " FROM transitions WHERE phase = 0"
                        " AND (?2 = '' OR owner = ?2)"
                        " ORDER BY no LIMIT ?1",
    [Q_COUNTER_INIT] = "INSERT INTO counters(name, next) VALUES(?1, ?2)"
                       " ON CONFLICT(name) DO NOTHING",
    [Q_COUNTER_NEXT] = "UPDATE counters SET next = next + 1 WHERE name=?1 RETURNING next - 1",
    [Q_ACG_GET] = "SELECT no, account_id, name, description, is_default, create_ms FROM acgs"
                  " WHERE no=?1",
    [Q_RULE_PUT] = "INSERT INTO acg_rules(no, acg_no, protocol, source_ip, source_acg_no, port,"
                   " description) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(no) DO UPDATE SET"
                   " acg_no = excluded.acg_no, protocol = excluded.protocol,"
                   " source_ip = excluded.source_ip, source_acg_no = excluded.source_acg_no,"
                   " port = excluded.port, description = excluded.description",
    [Q_RULE_LIST] = "SELECT r.no, r.acg_no, r.protocol, r.source_ip, r.source_acg_no,"
                    " coalesce(g.name, ''), r.port, r.description FROM acg_rules r"
                    " LEFT JOIN acgs g ON g.no = r.source_acg_no WHERE r.acg_no=?1 ORDER BY r.no",
    [Q_KEY2_PUT] = "INSERT INTO login_keys(account_id, name, fingerprint, create_ms, seq)"
                   " VALUES(?1, ?2, ?3, ?4, (SELECT coalesce(max(seq), 0) + 1 FROM login_keys))",
    [Q_KEY2_GET] = "SELECT account_id, name, fingerprint, create_ms FROM login_keys"
                   " WHERE account_id=?1 AND name=?2",
    [Q_KEY2_DELETE] = "DELETE FROM login_keys WHERE account_id=?1 AND name=?2",
    [Q_KEY2_USERS] = "SELECT count(*) FROM servers WHERE account_id=?1 AND login_key=?2",
    [Q_NAME_TAKEN] = "SELECT 1 FROM servers WHERE account_id=?1 AND name=?2 AND vpc = 0 LIMIT 1",
    [Q_IP_TAKEN] = "SELECT 1 FROM servers WHERE zone_no=?1 AND private_ip=?2 LIMIT 1",
    [Q_SP] = "SAVEPOINT req",
    [Q_SP_RELEASE] = "RELEASE SAVEPOINT req",
    [Q_SP_ROLLBACK] = "ROLLBACK TO SAVEPOINT req",
    [Q_FAULT_SET] = "INSERT INTO faults(op, no, times) VALUES(?1, ?2, ?3)"
                    " ON CONFLICT(op, no) DO UPDATE SET times = faults.times + excluded.times",
    [Q_FAULT_TAKE] = "UPDATE faults SET times = times - 1 WHERE op=?1 AND no=?2 AND times > 0"
                     " RETURNING times",
    [Q_FAULT_CLEAN] = "DELETE FROM faults WHERE op=?1 AND no=?2 AND times <= 0",
    [Q_TRANS_COUNT] = "SELECT count(*) FROM transitions",
    [Q_SERVER_KEY] = "SELECT account_id, zone_no, status, vpc FROM servers WHERE no=?1",
    [Q_COUNT_ADJ] = "INSERT INTO server_counts(account_id, zone_no, status, n)"
                    " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(account_id, zone_no, status)"
                    " DO UPDATE SET n = server_counts.n + excluded.n",
    [Q_LEASE_TAKE] = "UPDATE sched_lease SET node=?1, until_ms = {NOW_MS} + ?2"
                     " WHERE id = 1 AND (node = ?1 OR until_ms < {NOW_MS}) RETURNING node",
};

/* ---- helpers (store_int.h) ------------------------------------------------- */

static ncp_db_stmt_t *stmt(ncp_store_t *st, int id, ncp_err_t *err)
{
    if (!st->q[id]) {
        st->q[id] = st->o->prepare(st->db, sql[id], err);
        return st->q[id];
    }
    st->o->reset(st->q[id]);
    return st->q[id];
}

ncp_db_stmt_t *ncp_st_stmt(ncp_store_t *st, const char *text, ncp_err_t *err)
{
    /* open addressing on the address of the caller's static SQL text */
    if ((st->n_named + 1) * 2 > st->cap_named) {
        size_t old_cap = st->cap_named;
        struct named *old = st->named;
        st->cap_named = old_cap ? old_cap * 2 : 64;
        st->named = calloc(st->cap_named, sizeof(*st->named));
        if (!st->named)
            abort();
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].sql) {
                size_t j = ((uintptr_t)old[i].sql >> 4) & (st->cap_named - 1);
                while (st->named[j].sql)
                    j = (j + 1) & (st->cap_named - 1);
                st->named[j] = old[i];
            }
        free(old);
    }
    size_t i = ((uintptr_t)text >> 4) & (st->cap_named - 1);
    while (st->named[i].sql && st->named[i].sql != text)
        i = (i + 1) & (st->cap_named - 1);
    if (st->named[i].sql) {
        st->o->reset(st->named[i].s);
        return st->named[i].s;
    }
    ncp_db_stmt_t *s = st->o->prepare(st->db, text, err);
    if (!s)
        return NULL;
    st->named[i].sql = text;
    st->named[i].s = s;
    st->n_named++;
    return s;
}

void ncp_st_bind_int(ncp_store_t *st, ncp_db_stmt_t *s, int i, int64_t v)
{
    st->o->bind_int(s, i, v);
}

void ncp_st_bind_str(ncp_store_t *st, ncp_db_stmt_t *s, int i, const char *v)
{
    st->o->bind_text(s, i, v ? v : "", v ? strlen(v) : 0);
}

int64_t ncp_st_col_int(ncp_store_t *st, ncp_db_stmt_t *s, int i)
{
    return st->o->col_int(s, i);
}

const char *ncp_st_col_str(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, int i)
{
    size_t n;
    const char *t = st->o->col_text(s, i, &n);
    return ncp_arena_strndup(a, t, n);
}

int ncp_st_run(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err)
{
    int r;
    while ((r = st->o->step(s, err)) == 1)
        ;
    st->o->reset(s);
    return r;
}

int ncp_st_first_row(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err)
{
    int r = st->o->step(s, err);
    if (r != 1)
        st->o->reset(s);
    return r;
}

void ncp_st_done(ncp_store_t *st, ncp_db_stmt_t *s)
{
    st->o->reset(s);
}

int ncp_st_one_int(ncp_store_t *st, ncp_db_stmt_t *s, int64_t *out, const char *what,
                   ncp_err_t *err)
{
    int r = ncp_st_first_row(st, s, err);
    if (r == 0) {
        ncp_err_internal(err, "%s: no row", what);
        return -1;
    }
    if (r < 0)
        return -1;
    *out = ncp_st_col_int(st, s, 0);
    return ncp_st_run(st, s, err);
}

int ncp_st_step(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err)
{
    return st->o->step(s, err);
}

void ncp_st_read_int(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    (void)a;
    *(int64_t *)row = ncp_st_col_int(st, s, 0);
}

void ncp_st_read_str(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    *(const char **)row = ncp_st_col_str(st, a, s, 0);
}

int ncp_st_rows(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, ncp_st_reader rd,
                size_t row_size, void **rows_out, size_t *n_out, ncp_err_t *err)
{
    char *rows = NULL;
    size_t n = 0, cap = 0;
    int r;
    while ((r = st->o->step(s, err)) == 1) {
        rows = ncp_arena_grow(a, rows, n, &cap, row_size, 8);
        rd(st, a, s, rows + n++ * row_size);
    }
    st->o->reset(s);
    *rows_out = rows;
    *n_out = n;
    return r < 0 ? -1 : 0;
}

/* `text` prepared (cached) with its one or two numbers bound */
static ncp_db_stmt_t *stmt_bound(ncp_store_t *st, const char *text, int n_params, int64_t p1,
                                 int64_t p2, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, text, err);
    if (!s)
        return NULL;
    st->o->bind_int(s, 1, p1);
    if (n_params == 2)
        st->o->bind_int(s, 2, p2);
    return s;
}

int ncp_st_get(ncp_store_t *st, ncp_arena_t *a, const char *text, int n_params, int64_t p1,
               int64_t p2, ncp_st_reader rd, void *out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt_bound(st, text, n_params, p1, p2, err);
    if (!s)
        return -1;
    int r = ncp_st_first_row(st, s, err);
    if (r != 1)
        return r;
    rd(st, a, s, out);
    st->o->reset(s);
    return 1;
}

int ncp_st_list(ncp_store_t *st, ncp_arena_t *a, const char *text, int n_params, int64_t p1,
                int64_t p2, ncp_st_reader rd, size_t row_size, void **rows_out, size_t *n_out,
                ncp_err_t *err)
{
    *rows_out = NULL;
    *n_out = 0;
    ncp_db_stmt_t *s = stmt_bound(st, text, n_params, p1, p2, err);
    if (!s)
        return -1;
    return ncp_st_rows(st, a, s, rd, row_size, rows_out, n_out, err);
}

/* ---- open / close / transactions ----------------------------------------- */

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

static void st_close(ncp_store_t *st)
{
    if (!st)
        return;
    acg_cache_free(st);
    for (int i = 0; i < DYN_CACHE; i++) {
        st->o->finalize(st->dyn[i].s);
        free(st->dyn[i].sql);
    }
    for (int i = 0; i < Q__N; i++)
        st->o->finalize(st->q[i]);
    for (size_t i = 0; i < st->cap_named; i++)
        st->o->finalize(st->named[i].s);
    free(st->named);
    st->o->close(st->db);
    free(st);
}

static ncp_store_t *st_open(const char *uri, ncp_err_t *err)
{
    ncp_store_t *st = calloc(1, sizeof(*st));
    if (!st)
        abort();
    st->o = ncp_db_backend_for(uri);
    st->db = st->o->open(uri, err);
    if (!st->db || ncp_schema_migrate(st, err) < 0) {
        st_close(st);
        return NULL;
    }
    return st;
}

static int st_begin(ncp_store_t *st, bool write, ncp_err_t *err)
{
    return st->o->begin(st->db, write, err);
}

static int st_commit(ncp_store_t *st, ncp_err_t *err)
{
    return st->o->commit(st->db, err);
}

static int st_rollback(ncp_store_t *st)
{
    return st->o->rollback(st->db);
}

static int st_savepoint(ncp_store_t *st, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_SP, err);
    return s ? run(st, s, err) : -1;
}

static int st_savepoint_release(ncp_store_t *st, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_SP_RELEASE, err);
    return s ? run(st, s, err) : -1;
}

static int st_savepoint_rollback(ncp_store_t *st, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_SP_ROLLBACK, err);
    if (!s || run(st, s, err) < 0)
        return -1;
    return st_savepoint_release(st, err);
}

/* A prepared statement for dynamic SQL text, from the connection's cache.
 * The caller resets it after use and never finalizes it. */
static ncp_db_stmt_t *dyn_prepare(ncp_store_t *st, const char *q, ncp_err_t *err)
{
    for (int i = 0; i < DYN_CACHE; i++)
        if (st->dyn[i].sql && strcmp(st->dyn[i].sql, q) == 0) {
            st->o->reset(st->dyn[i].s);
            return st->dyn[i].s;
        }
    ncp_db_stmt_t *s = st->o->prepare(st->db, q, err);
    if (!s)
        return NULL;
    unsigned i = st->dyn_next++ % DYN_CACHE;
    st->o->finalize(st->dyn[i].s);
    free(st->dyn[i].sql);
    st->dyn[i].sql = strdup(q);
    if (!st->dyn[i].sql)
        abort();
    st->dyn[i].s = s;
    return s;
}

ncp_db_stmt_t *ncp_st_dyn(ncp_store_t *st, const char *text, ncp_err_t *err)
{
    return dyn_prepare(st, text, err);
}

/* ---- meta, accounts, keys ------------------------------------------------ */

static int st_meta_get(ncp_store_t *st, const char *key, ncp_arena_t *a, const char **val_out,
                       ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_META_GET, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, key);
    int r = first_row(st, s, err);
    if (r == 1) {
        *val_out = col_str(st, a, s, 0);
        done(st, s);
    }
    return r;
}

static int st_meta_set(ncp_store_t *st, const char *key, const char *val, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_META_SET, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, key);
    bind_str(st, s, 2, val);
    return run(st, s, err);
}

static int st_account_add(ncp_store_t *st, const char *name, int64_t now_ms, int64_t *id_out,
                          ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_ACCOUNT_ADD, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, name);
    bind_int(st, s, 2, now_ms);
    int r = first_row(st, s, err);
    if (r != 1)
        return r == 0 ? (ncp_err_internal(err, "account_add: no id"), -1) : -1;
    *id_out = col_int(st, s, 0);
    return run(st, s, err);
}

static int st_account_count(ncp_store_t *st, int64_t *n_out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_ACCOUNT_COUNT, err);
    if (!s)
        return -1;
    int r = first_row(st, s, err);
    if (r != 1)
        return r == 0 ? (ncp_err_internal(err, "account_count: no row"), -1) : -1;
    *n_out = col_int(st, s, 0);
    done(st, s);
    return 0;
}

static int st_key_add(ncp_store_t *st, const ncp_key_t *k, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_KEY_ADD, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, k->access_key);
    bind_int(st, s, 2, k->account_id);
    st->o->bind_blob(s, 3, k->secret_sealed, k->secret_sealed_len);
    bind_int(st, s, 4, k->disabled);
    bind_int(st, s, 5, k->create_ms);
    return run(st, s, err);
}

static void read_key(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, ncp_key_t *k)
{
    k->access_key = col_str(st, a, s, 0);
    k->account_id = col_int(st, s, 1);
    k->account_name = col_str(st, a, s, 2);
    k->disabled = col_int(st, s, 3) != 0;
    size_t n;
    const void *blob = st->o->col_blob(s, 4, &n);
    uint8_t *b = ncp_arena_alloc(a, n + 1);
    if (n)
        memcpy(b, blob, n);
    k->secret_sealed = b;
    k->secret_sealed_len = n;
    k->create_ms = col_int(st, s, 5);
}

static int st_key_get(ncp_store_t *st, const char *access_key, ncp_arena_t *a, ncp_key_t *out,
                      ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_KEY_GET, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, access_key);
    int r = first_row(st, s, err);
    if (r == 1) {
        read_key(st, a, s, out);
        done(st, s);
    }
    return r;
}

static int st_key_list(ncp_store_t *st, ncp_arena_t *a, ncp_key_cb cb, void *ctx,
                       ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_KEY_LIST, err);
    if (!s)
        return -1;
    ncp_key_t *v = NULL;
    size_t n = 0, cap = 0;
    int r;
    while ((r = st->o->step(s, err)) == 1) {
        v = ncp_arena_grow(a, v, n, &cap, sizeof(*v), 16);
        read_key(st, a, s, &v[n++]);
    }
    done(st, s);
    if (r < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

static int st_key_set_disabled(ncp_store_t *st, const char *access_key, bool disabled,
                               ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_KEY_DISABLE, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, access_key);
    bind_int(st, s, 2, disabled);
    int r;
    while ((r = st->o->step(s, err)) == 1)
        ;
    int64_t changed = st->o->changes(s);
    done(st, s);
    if (r < 0)
        return -1;
    return changed > 0 ? 1 : 0;
}

/* ---- instances and ACGs -------------------------------------------------- */

static int st_instance_next_no(ncp_store_t *st, int64_t *no_out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_SEQ_NEXT, err);
    return s ? one_int(st, s, no_out, "seq", err) : -1;
}

static int st_instance_seq_at_least(ncp_store_t *st, int64_t next, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_SEQ_RAISE, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, next);
    return run(st, s, err);
}

static int st_instance_get(ncp_store_t *st, int64_t no, ncp_instance_t *out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_INST_GET, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    int r = first_row(st, s, err);
    if (r == 1) {
        out->no = no;
        out->kind = (ncp_kind_t)col_int(st, s, 0);
        out->account_id = col_int(st, s, 1);
        out->deleted = col_int(st, s, 2) != 0;
        done(st, s);
    }
    return r;
}

static int st_instance_put(ncp_store_t *st, const ncp_instance_t *in, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_INST_PUT, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, in->no);
    bind_int(st, s, 2, (int)in->kind);
    bind_int(st, s, 3, in->account_id);
    bind_int(st, s, 4, in->deleted);
    return run(st, s, err);
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

static int st_acg_put(ncp_store_t *st, const ncp_acg_t *g, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_ACG_PUT, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, g->no);
    bind_int(st, s, 2, g->account_id);
    bind_str(st, s, 3, g->name);
    bind_str(st, s, 4, g->description);
    bind_int(st, s, 5, g->is_default);
    bind_int(st, s, 6, g->create_ms);
    if (run(st, s, err) < 0)
        return -1;
    acg_cache_put(st, g);
    return 0;
}

static void read_acg(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, ncp_acg_t *g)
{
    g->no = col_int(st, s, 0);
    g->account_id = col_int(st, s, 1);
    g->name = col_str(st, a, s, 2);
    g->description = col_str(st, a, s, 3);
    g->is_default = col_int(st, s, 4) != 0;
    g->create_ms = col_int(st, s, 5);
}

static int st_acg_get(ncp_store_t *st, ncp_arena_t *a, int64_t no, ncp_acg_t *out,
                      ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_ACG_GET, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    int r = first_row(st, s, err);
    if (r == 1) {
        read_acg(st, a, s, out);
        done(st, s);
    }
    return r;
}

/* ---- servers ------------------------------------------------------------- */

typedef struct row_extra {
    const char *acg_nos; /* "39995,40001" in order */
    int n_tags, n_parts;
} row_extra_t;

static void read_server(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, ncp_server_t *v,
                        row_extra_t *x)
{
    memset(v, 0, sizeof(*v));
    int i = 0;
    v->no = col_int(st, s, i++);
    v->account_id = col_int(st, s, i++);
    v->name = col_str(st, a, s, i++);
    v->description = col_str(st, a, s, i++);
    v->cpu = (int)col_int(st, s, i++);
    v->memory = col_int(st, s, i++);
    v->base_size = col_int(st, s, i++);
    v->platform = col_str(st, a, s, i++);
    v->login_key = col_str(st, a, s, i++);
    v->fee_monitoring = col_int(st, s, i++) != 0;
    v->public_ip = col_str(st, a, s, i++);
    v->private_ip = col_str(st, a, s, i++);
    v->image_name = col_str(st, a, s, i++);
    v->image_code = col_str(st, a, s, i++);
    v->product_code = col_str(st, a, s, i++);
    v->status = (ncp_status_t)col_int(st, s, i++);
    v->op = (ncp_op_t)col_int(st, s, i++);
    v->create_ms = col_int(st, s, i++);
    v->uptime_ms = col_int(st, s, i++);
    v->protect = col_int(st, s, i++) != 0;
    v->pf_public_ip = col_str(st, a, s, i++);
    v->pf_ext_port = (int)col_int(st, s, i++);
    v->pf_int_port = (int)col_int(st, s, i++);
    v->zone_no = col_int(st, s, i++);
    v->disk_type = col_str(st, a, s, i++);
    v->disk_detail = col_str(st, a, s, i++);
    v->instance_type = col_str(st, a, s, i++);
    v->user_data = col_str(st, a, s, i++);
    v->init_script_no = col_str(st, a, s, i++);
    v->basic_storage_no = col_int(st, s, i++);
    v->root_password = col_str(st, a, s, i++);
    x->acg_nos = col_str(st, a, s, i++);
    x->n_tags = (int)col_int(st, s, i++);
    x->n_parts = (int)col_int(st, s, i++);
    v->version = col_int(st, s, i++);
}

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
            int r = st_acg_get(st, a, no, &v->acgs[v->n_acgs], err);
            if (r < 0)
                return -1;
            if (r == 1)
                acg_cache_put(st, &v->acgs[v->n_acgs++]);
        }
    }
    int r = 0;
    ncp_db_stmt_t *s;
    if (x->n_tags > 0) {
        if (!(s = stmt(st, Q_SERVER_TAGS, err)))
            return -1;
        bind_int(st, s, 1, v->no);
        v->tags = ncp_arena_alloc(a, (size_t)x->n_tags * sizeof(ncp_tag_t));
        while ((r = st->o->step(s, err)) == 1 && v->n_tags < (size_t)x->n_tags) {
            v->tags[v->n_tags].key = col_str(st, a, s, 0);
            v->tags[v->n_tags++].value = col_str(st, a, s, 1);
        }
        done(st, s);
        if (r < 0)
            return -1;
    }
    if (x->n_parts > 0) {
        if (!(s = stmt(st, Q_SERVER_PARTS, err)))
            return -1;
        bind_int(st, s, 1, v->no);
        v->parts = ncp_arena_alloc(a, (size_t)x->n_parts * sizeof(ncp_partition_t));
        while ((r = st->o->step(s, err)) == 1 && v->n_parts < (size_t)x->n_parts) {
            v->parts[v->n_parts].mount_point = col_str(st, a, s, 0);
            v->parts[v->n_parts++].size = col_str(st, a, s, 1);
        }
        done(st, s);
        if (r < 0)
            return -1;
    }
    return 0;
}

static int st_server_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                         ncp_server_t *out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_SERVER_GET, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, account_id);
    int r = first_row(st, s, err);
    if (r != 1)
        return r;
    row_extra_t x;
    read_server(st, a, s, out, &x);
    done(st, s);
    return read_children(st, a, out, &x, err) < 0 ? -1 : 1;
}

/* The region is kept in its own column so region filters use no catalogue
 * join; it follows from the zone (domain/catalog.c). */
static int64_t region_of(int64_t zone_no)
{
    const ncp_zone_t *z = ncp_catalog_zone(zone_no);
    return z ? z->region_no : 0;
}

/* ---- maintained server counts ---------------------------------------------
 * server_counts holds how many servers each (account, zone, status) has, so
 * that totalRows of a list filtered by nothing but zone, region or status is
 * exact without counting rows (a million servers in one account). Every
 * write of a server's account, zone or status goes through here. The counts
 * are the classic API's: a VPC server (servers.vpc = 1, issue 12) is in none
 * of them (ncp_st_server_mark_vpc takes it out when it is flagged). */

typedef struct count_key {
    int64_t account_id, zone_no;
    int status;
    bool vpc; /* not counted */
} count_key_t;

/* 1 with the server's current key, 0 when there is no such row. */
static int count_key_of(ncp_store_t *st, int64_t no, count_key_t *k, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_SERVER_KEY, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    int r = first_row(st, s, err);
    if (r == 1) {
        k->account_id = col_int(st, s, 0);
        k->zone_no = col_int(st, s, 1);
        k->status = (int)col_int(st, s, 2);
        k->vpc = col_int(st, s, 3) != 0;
        done(st, s);
    }
    return r;
}

static int count_adj(ncp_store_t *st, const count_key_t *k, int delta, ncp_err_t *err)
{
    if (k->vpc)
        return 0;
    ncp_db_stmt_t *s = stmt(st, Q_COUNT_ADJ, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, k->account_id);
    bind_int(st, s, 2, k->zone_no);
    bind_int(st, s, 3, k->status);
    bind_int(st, s, 4, delta);
    return run(st, s, err);
}

/* The server moved from key `was` (had: it existed) to `now` (gone: deleted). */
static int count_move(ncp_store_t *st, bool had, const count_key_t *was, bool gone,
                      const count_key_t *now, ncp_err_t *err)
{
    bool same = had && !gone && was->account_id == now->account_id &&
                was->zone_no == now->zone_no && was->status == now->status;
    if (same)
        return 0;
    if (had && count_adj(st, was, -1, err) < 0)
        return -1;
    return gone ? 0 : count_adj(st, now, +1, err);
}

static int st_server_put(ncp_store_t *st, const ncp_server_t *v, ncp_err_t *err)
{
    count_key_t was, now = {v->account_id, v->zone_no, (int)v->status, false};
    int had = count_key_of(st, v->no, &was, err);
    if (had < 0)
        return -1;
    now.vpc = had == 1 && was.vpc; /* the row keeps its flag (Q_SERVER_PUT leaves vpc) */
    ncp_db_stmt_t *s = stmt(st, Q_SERVER_PUT, err);
    if (!s)
        return -1;
    int i = 1;
    bind_int(st, s, i++, v->no);
    bind_int(st, s, i++, v->account_id);
    bind_str(st, s, i++, v->name);
    bind_str(st, s, i++, v->description);
    bind_int(st, s, i++, v->cpu);
    bind_int(st, s, i++, v->memory);
    bind_int(st, s, i++, v->base_size);
    bind_str(st, s, i++, v->platform);
    bind_str(st, s, i++, v->login_key);
    bind_int(st, s, i++, v->fee_monitoring);
    bind_str(st, s, i++, v->public_ip);
    bind_str(st, s, i++, v->private_ip);
    bind_str(st, s, i++, v->image_name);
    bind_str(st, s, i++, v->image_code);
    bind_str(st, s, i++, v->product_code);
    bind_int(st, s, i++, (int)v->status);
    bind_int(st, s, i++, (int)v->op);
    bind_int(st, s, i++, v->create_ms);
    bind_int(st, s, i++, v->uptime_ms);
    bind_int(st, s, i++, v->protect);
    bind_str(st, s, i++, v->pf_public_ip);
    bind_int(st, s, i++, v->pf_ext_port);
    bind_int(st, s, i++, v->pf_int_port);
    bind_int(st, s, i++, v->zone_no);
    bind_int(st, s, i++, region_of(v->zone_no));
    bind_str(st, s, i++, v->disk_type);
    bind_str(st, s, i++, v->disk_detail);
    bind_str(st, s, i++, v->instance_type);
    bind_str(st, s, i++, v->user_data);
    bind_str(st, s, i++, v->init_script_no);
    bind_int(st, s, i++, v->basic_storage_no);
    bind_str(st, s, i++, v->root_password);
    char acg_nos[21 * 8];
    size_t o = 0;
    acg_nos[0] = '\0';
    for (size_t k = 0; k < v->n_acgs && o + 22 < sizeof(acg_nos); k++)
        o += (size_t)snprintf(acg_nos + o, sizeof(acg_nos) - o, "%s%" PRId64, k ? "," : "",
                              v->acgs[k].no);
    bind_str(st, s, i++, acg_nos);
    bind_int(st, s, i++, (int)v->n_tags);
    bind_int(st, s, i++, (int)v->n_parts);
    if (run(st, s, err) < 0 || count_move(st, had == 1, &was, false, &now, err) < 0)
        return -1;

    static const int dels[] = {Q_SERVER_DEL_ACGS, Q_SERVER_DEL_TAGS, Q_SERVER_DEL_PARTS};
    for (size_t k = 0; k < 3; k++) {
        ncp_db_stmt_t *d = stmt(st, dels[k], err);
        if (!d)
            return -1;
        bind_int(st, d, 1, v->no);
        if (run(st, d, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < v->n_acgs; k++) {
        ncp_db_stmt_t *q = stmt(st, Q_SERVER_ADD_ACG, err);
        if (!q)
            return -1;
        bind_int(st, q, 1, v->no);
        bind_int(st, q, 2, (int64_t)k);
        bind_int(st, q, 3, v->acgs[k].no);
        if (run(st, q, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < v->n_tags; k++) {
        ncp_db_stmt_t *q = stmt(st, Q_SERVER_ADD_TAG, err);
        if (!q)
            return -1;
        bind_int(st, q, 1, v->no);
        bind_int(st, q, 2, (int64_t)k);
        bind_str(st, q, 3, v->tags[k].key);
        bind_str(st, q, 4, v->tags[k].value);
        if (run(st, q, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < v->n_parts; k++) {
        ncp_db_stmt_t *q = stmt(st, Q_SERVER_ADD_PART, err);
        if (!q)
            return -1;
        bind_int(st, q, 1, v->no);
        bind_int(st, q, 2, (int64_t)k);
        bind_str(st, q, 3, v->parts[k].mount_point);
        bind_str(st, q, 4, v->parts[k].size);
        if (run(st, q, err) < 0)
            return -1;
    }
    return 0;
}

/* Flags server `no` as a VPC server (issue 12, store_vserver.c): out of the
 * classic counts. Nothing when it is one already or there is no such row. */
int ncp_st_server_mark_vpc(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    static const char mark_sql[] =
        "UPDATE servers SET vpc = 1, version = version + 1 WHERE no=?1";
    count_key_t was;
    int had = count_key_of(st, no, &was, err);
    if (had <= 0 || was.vpc)
        return had < 0 ? -1 : 0;
    if (count_adj(st, &was, -1, err) < 0)
        return -1;
    ncp_db_stmt_t *s = ncp_st_stmt(st, mark_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    return run(st, s, err);
}

static int st_server_set_state(ncp_store_t *st, int64_t no, ncp_status_t status, ncp_op_t op,
                               int64_t uptime_ms, ncp_err_t *err)
{
    count_key_t was;
    int had = count_key_of(st, no, &was, err);
    if (had < 0)
        return -1;
    count_key_t now = was;
    now.status = (int)status;
    if (had == 1 && count_move(st, true, &was, false, &now, err) < 0)
        return -1;
    ncp_db_stmt_t *s = stmt(st, Q_SERVER_STATE, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, (int)status);
    bind_int(st, s, 3, (int)op);
    bind_int(st, s, 4, uptime_ms);
    return run(st, s, err);
}

static int st_server_delete(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    count_key_t was;
    int had = count_key_of(st, no, &was, err);
    if (had < 0 || (had == 1 && count_move(st, true, &was, true, &was, err) < 0))
        return -1;
    static const int qs[] = {Q_SERVER_DELETE, Q_SERVER_DEL_ACGS, Q_SERVER_DEL_TAGS,
                             Q_SERVER_DEL_PARTS};
    for (size_t k = 0; k < 4; k++) {
        ncp_db_stmt_t *s = stmt(st, qs[k], err);
        if (!s)
            return -1;
        bind_int(st, s, 1, no);
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
static binds_t *binds_new(size_t n_lists)
{
    size_t cap = 16 + n_lists;
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

static void bind_all(ncp_store_t *st, ncp_db_stmt_t *s, const binds_t *b)
{
    for (int i = 0; i < b->n; i++) {
        if (b->v[i].is_str)
            bind_str(st, s, i + 1, b->v[i].s);
        else
            bind_int(st, s, i + 1, b->v[i].i);
    }
}

static void in_list(ncp_buf_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ncp_buf_puts(w, i ? ",?" : "?");
    ncp_buf_puts(w, ")");
}

/* The account (or the numbers) always narrow a list most: the other
 * conditions are written `{NOIDX}s.col` so that SQLite never prefers an
 * index of another column (zone_no leads the IP index) and scans every
 * account. */
static void where(ncp_buf_t *w, binds_t *b, const ncp_server_filter_t *f)
{
    ncp_buf_puts(w, " WHERE s.account_id=? AND {NOIDX}s.vpc = 0"); /* VPC servers: store_vserver.c */
    add_int(b, f->account_id);
    if (f->nos) {
        ncp_buf_puts(w, " AND s.no IN (");
        in_list(w, f->n_nos);
        for (size_t i = 0; i < f->n_nos; i++)
            add_int(b, f->nos[i]);
    }
    if (f->name_substr) {
        ncp_buf_puts(w, " AND {INSTR}(lower(s.name), lower(?)) > 0");
        add_str(b, f->name_substr);
    }
    if (f->ip) {
        ncp_buf_puts(w, " AND ({NOIDX}s.private_ip=? OR {NOIDX}s.public_ip=?)");
        add_str(b, f->ip);
        add_str(b, f->ip);
    }
    if (f->status >= 0) { /* servers_by_status(account_id, status, no) */
        ncp_buf_puts(w, " AND s.status=?");
        add_int(b, f->status);
    }
    if (f->region_no) {
        ncp_buf_puts(w, " AND {NOIDX}s.region_no=?");
        add_int(b, f->region_no);
    }
    if (f->zone_no) { /* servers_by_zone(account_id, zone_no, no) */
        ncp_buf_puts(w, " AND s.zone_no=?");
        add_int(b, f->zone_no);
    }
    if (f->disk_type) {
        ncp_buf_puts(w, " AND {NOIDX}s.disk_type=?");
        add_str(b, f->disk_type);
    }
    if (f->disk_detail) {
        ncp_buf_puts(w, " AND {NOIDX}s.disk_detail=?");
        add_str(b, f->disk_detail);
    }
    if (f->n_types) {
        ncp_buf_puts(w, " AND {NOIDX}s.instance_type IN (");
        in_list(w, f->n_types);
        for (size_t i = 0; i < f->n_types; i++)
            add_str(b, f->types[i]);
    }
    if (f->acg_no) {
        ncp_buf_puts(w, " AND EXISTS(SELECT 1 FROM server_acgs x WHERE x.server_no=s.no"
                        " AND x.acg_no=?)");
        add_int(b, f->acg_no);
    }
    if (f->n_tag_keys && f->n_tag_values) {
        /* both lists: one tag of the server has such a key and such a value (issue 11) */
        ncp_buf_puts(w, " AND EXISTS(SELECT 1 FROM server_tags t WHERE t.server_no=s.no"
                        " AND t.key IN (");
        in_list(w, f->n_tag_keys);
        for (size_t i = 0; i < f->n_tag_keys; i++)
            add_str(b, f->tag_keys[i]);
        ncp_buf_puts(w, " AND t.value IN (");
        in_list(w, f->n_tag_values);
        ncp_buf_puts(w, ")");
        for (size_t i = 0; i < f->n_tag_values; i++)
            add_str(b, f->tag_values[i]);
    } else if (f->n_tag_keys) {
        ncp_buf_puts(w, " AND EXISTS(SELECT 1 FROM server_tags t WHERE t.server_no=s.no"
                        " AND t.key IN (");
        in_list(w, f->n_tag_keys);
        ncp_buf_puts(w, ")");
        for (size_t i = 0; i < f->n_tag_keys; i++)
            add_str(b, f->tag_keys[i]);
    } else if (f->n_tag_values) {
        ncp_buf_puts(w, " AND EXISTS(SELECT 1 FROM server_tags t WHERE t.server_no=s.no"
                        " AND t.value IN (");
        in_list(w, f->n_tag_values);
        ncp_buf_puts(w, ")");
        for (size_t i = 0; i < f->n_tag_values; i++)
            add_str(b, f->tag_values[i]);
    }
}

/* True when the maintained counts answer totalRows of f: an account with at
 * most a zone, a region and a status. */
static bool counted_filter(const ncp_server_filter_t *f)
{
    return !f->nos && !f->name_substr && !f->ip && !f->disk_type && !f->disk_detail &&
           !f->n_types && !f->acg_no && !f->n_tag_keys && !f->n_tag_values;
}

static void counts_where(ncp_buf_t *q, binds_t *b, const ncp_server_filter_t *f)
{
    ncp_buf_puts(q, "SELECT coalesce(sum(n), 0) FROM server_counts WHERE account_id=?");
    add_int(b, f->account_id);
    if (f->zone_no) {
        ncp_buf_puts(q, " AND zone_no=?");
        add_int(b, f->zone_no);
    }
    if (f->region_no) { /* the zones of the region (catalogue) */
        const ncp_catalog_t *c = ncp_catalog();
        ncp_buf_puts(q, " AND zone_no IN (0");
        for (size_t i = 0; i < c->n_zones; i++)
            if (c->zones[i].region_no == f->region_no) {
                ncp_buf_puts(q, ",?");
                add_int(b, c->zones[i].no);
            }
        ncp_buf_puts(q, ")");
    }
    if (f->status >= 0) {
        ncp_buf_puts(q, " AND status=?");
        add_int(b, f->status);
    }
}

/* One count(*) of dynamic SQL q with binds b. */
static int dyn_count(ncp_store_t *st, const char *q, const binds_t *b, int64_t *out,
                     ncp_err_t *err)
{
    ncp_db_stmt_t *s = dyn_prepare(st, q, err);
    if (!s)
        return -1;
    bind_all(st, s, b);
    return one_int(st, s, out, "count", err);
}

static int st_server_list(ncp_store_t *st, ncp_arena_t *a, const ncp_server_filter_t *f,
                          int64_t *total_out, ncp_server_probe probe, ncp_server_cb cb, void *ctx,
                          ncp_err_t *err)
{
    int ret = -1;
    binds_t *b = binds_new(f->n_nos + f->n_types + f->n_tag_keys + f->n_tag_values);
    ncp_buf_t q;
    ncp_buf_init(&q, 0);

    if (f->limit > 0) { /* paged: count the matches first; else count the rows */
        if (counted_filter(f)) {
            counts_where(&q, b, f);
        } else {
            ncp_buf_puts(&q, "SELECT count(*) FROM servers s");
            where(&q, b, f);
        }
        if (dyn_count(st, q.data, b, total_out, err) < 0)
            goto cleanup;
        ncp_buf_clear(&q);
        b->n = 0;
    }
    /* first the numbers and versions, then each row that must be read */
    ncp_buf_puts(&q, "SELECT s.no, s.version FROM servers s");
    where(&q, b, f);
    const char *dir = f->descending ? "DESC" : "ASC";
    if (f->sort_by_name)
        ncp_buf_printf(&q, " ORDER BY s.name{C} %s, s.no %s", dir, dir);
    else
        ncp_buf_printf(&q, " ORDER BY s.no %s", dir);
    if (f->limit > 0) {
        ncp_buf_puts(&q, " LIMIT ? OFFSET ?");
        add_int(b, f->limit);
        add_int(b, f->offset);
    }
    ncp_db_stmt_t *s = dyn_prepare(st, q.data, err);
    if (!s)
        goto cleanup;
    bind_all(st, s, b);
    size_t n = 0, cap = 0;
    int64_t *nos = NULL, *versions = NULL;
    int r;
    while ((r = st->o->step(s, err)) == 1) {
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
        nos[n] = col_int(st, s, 0);
        versions[n++] = col_int(st, s, 1);
    }
    done(st, s);
    if (r < 0)
        goto cleanup;
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
            int g = st_server_get(st, a, f->account_id, nos[i], &v, err);
            if (g < 0)
                goto cleanup;
            if (g == 0)
                continue; /* cannot happen inside one read transaction */
        }
        if (cb(ctx, &v) < 0)
            goto cleanup;
    }
    ret = 0;
cleanup:
    ncp_buf_release(&q);
    free(b);
    return ret;
}

/* ---- transitions --------------------------------------------------------- */

static void read_trans(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, ncp_trans_t *t)
{
    t->no = col_int(st, s, 0);
    t->account_id = col_int(st, s, 1);
    t->kind = (ncp_tr_kind_t)col_int(st, s, 2);
    t->step = (int)col_int(st, s, 3);
    t->remaining = (int)col_int(st, s, 4);
    t->due_ms = col_int(st, s, 5);
    t->arg = st->o->col_null(s, 6) ? NULL : col_str(st, a, s, 6);
    t->wait_ms = col_int(st, s, 7);
    t->phase = (ncp_phase_t)col_int(st, s, 8);
    t->prev_status = (ncp_status_t)col_int(st, s, 9);
    t->prev_op = (ncp_op_t)col_int(st, s, 10);
    t->owner = col_str(st, a, s, 11);
    t->res_kind = (ncp_kind_t)col_int(st, s, 12);
}

static int st_trans_put(ncp_store_t *st, const ncp_trans_t *t, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_TRANS_PUT, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, t->no);
    bind_int(st, s, 2, t->account_id);
    bind_int(st, s, 3, (int)t->kind);
    bind_int(st, s, 4, t->step);
    bind_int(st, s, 5, t->remaining);
    bind_int(st, s, 6, t->due_ms);
    if (t->arg)
        bind_str(st, s, 7, t->arg);
    else
        st->o->bind_null(s, 7);
    bind_int(st, s, 8, t->wait_ms);
    bind_int(st, s, 9, (int)t->phase);
    bind_int(st, s, 10, (int)t->prev_status);
    bind_int(st, s, 11, (int)t->prev_op);
    bind_str(st, s, 12, t->owner ? t->owner : "");
    bind_int(st, s, 13, t->res_kind ? (int)t->res_kind : (int)NCP_KIND_SERVER);
    return run(st, s, err);
}

static int st_trans_get(ncp_store_t *st, ncp_arena_t *a, int64_t no, ncp_trans_t *out,
                        ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_TRANS_GET, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    int r = first_row(st, s, err);
    if (r == 1) {
        read_trans(st, a, s, out);
        done(st, s);
    }
    return r;
}

static int st_trans_delete(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_TRANS_DELETE, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    return run(st, s, err);
}

static int trans_rows(ncp_store_t *st, ncp_db_stmt_t *s, ncp_arena_t *a, size_t max,
                      ncp_trans_t *out, size_t *n_out, ncp_err_t *err)
{
    size_t n = 0;
    int r;
    while ((r = st->o->step(s, err)) == 1 && n < max)
        read_trans(st, a, s, &out[n++]);
    done(st, s);
    *n_out = n;
    return r < 0 ? -1 : 0;
}

static int st_trans_due(ncp_store_t *st, ncp_arena_t *a, int64_t now_ms, size_t max,
                        ncp_trans_t *out, size_t *n_out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_TRANS_DUE, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, now_ms);
    bind_int(st, s, 2, (int64_t)max);
    return trans_rows(st, s, a, max, out, n_out, err);
}

static int st_trans_claimed(ncp_store_t *st, ncp_arena_t *a, const char *owner, size_t max,
                            ncp_trans_t *out, size_t *n_out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_TRANS_CLAIMED, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, (int64_t)max);
    bind_str(st, s, 2, owner ? owner : "");
    return trans_rows(st, s, a, max, out, n_out, err);
}

static int st_trans_next_due(ncp_store_t *st, int64_t *due_out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_TRANS_NEXT, err);
    if (!s)
        return -1;
    int r = first_row(st, s, err);
    if (r != 1)
        return r;
    bool none = st->o->col_null(s, 0);
    *due_out = col_int(st, s, 0);
    done(st, s);
    return none ? 0 : 1;
}

static int st_trans_clamp(ncp_store_t *st, int64_t now_ms, int64_t max_wait_ms, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_TRANS_CLAMP, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, now_ms);
    bind_int(st, s, 2, max_wait_ms);
    int r;
    while ((r = st->o->step(s, err)) == 1)
        ;
    int64_t changed = st->o->changes(s);
    done(st, s);
    return r < 0 ? -1 : (int)changed;
}

/* ---- counters, ACGs, login keys ------------------------------------------ */

static int st_counter_next(ncp_store_t *st, const char *name, int64_t start, int64_t *out,
                           ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_COUNTER_INIT, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, name);
    bind_int(st, s, 2, start);
    if (run(st, s, err) < 0)
        return -1;
    if (!(s = stmt(st, Q_COUNTER_NEXT, err)))
        return -1;
    bind_str(st, s, 1, name);
    return one_int(st, s, out, "counter", err);
}

static int st_acg_list(ncp_store_t *st, ncp_arena_t *a, const ncp_acg_filter_t *f,
                       int64_t *total_out, ncp_acg_cb cb, void *ctx, ncp_err_t *err)
{
    int ret = -1;
    binds_t *b = binds_new(f->n_nos);
    ncp_buf_t w, q;
    ncp_buf_init(&w, 0);
    ncp_buf_init(&q, 0);
    ncp_buf_puts(&w, " WHERE account_id=?");
    add_int(b, f->account_id);
    if (f->nos) {
        ncp_buf_puts(&w, " AND no IN (");
        in_list(&w, f->n_nos);
        for (size_t i = 0; i < f->n_nos; i++)
            add_int(b, f->nos[i]);
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
    if (dyn_count(st, q.data, b, total_out, err) < 0)
        goto cleanup;
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
    ncp_db_stmt_t *s = dyn_prepare(st, q.data, err);
    if (!s)
        goto cleanup;
    bind_all(st, s, b);
    ncp_acg_t *v = NULL;
    size_t n = 0, cap = 0;
    int r;
    while ((r = st->o->step(s, err)) == 1) {
        v = ncp_arena_grow(a, v, n, &cap, sizeof(*v), 16);
        read_acg(st, a, s, &v[n++]);
    }
    done(st, s);
    if (r < 0)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            goto cleanup;
    ret = 0;
cleanup:
    ncp_buf_release(&w);
    ncp_buf_release(&q);
    free(b);
    return ret;
}

static int st_acg_rule_put(ncp_store_t *st, const ncp_acg_rule_t *r, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_RULE_PUT, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, r->no);
    bind_int(st, s, 2, r->acg_no);
    bind_str(st, s, 3, r->protocol);
    bind_str(st, s, 4, r->source_ip);
    bind_int(st, s, 5, r->source_acg_no);
    bind_str(st, s, 6, r->port);
    bind_str(st, s, 7, r->description);
    return run(st, s, err);
}

static int st_acg_rule_list(ncp_store_t *st, ncp_arena_t *a, int64_t acg_no, ncp_acg_rule_cb cb,
                            void *ctx, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_RULE_LIST, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, acg_no);
    ncp_acg_rule_t *v = NULL;
    size_t n = 0, cap = 0;
    int r;
    while ((r = st->o->step(s, err)) == 1) {
        v = ncp_arena_grow(a, v, n, &cap, sizeof(*v), 8);
        v[n++] = (ncp_acg_rule_t){.no = col_int(st, s, 0),
                                  .acg_no = col_int(st, s, 1),
                                  .protocol = col_str(st, a, s, 2),
                                  .source_ip = col_str(st, a, s, 3),
                                  .source_acg_no = col_int(st, s, 4),
                                  .source_acg_name = col_str(st, a, s, 5),
                                  .port = col_str(st, a, s, 6),
                                  .description = col_str(st, a, s, 7)};
    }
    done(st, s);
    if (r < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

static int st_login_key_put(ncp_store_t *st, const ncp_login_key_t *k, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_KEY2_PUT, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, k->account_id);
    bind_str(st, s, 2, k->name);
    bind_str(st, s, 3, k->fingerprint);
    bind_int(st, s, 4, k->create_ms);
    return run(st, s, err);
}

static int st_login_key_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                            const char *name, ncp_login_key_t *out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_KEY2_GET, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    bind_str(st, s, 2, name);
    int r = first_row(st, s, err);
    if (r == 1) {
        out->account_id = col_int(st, s, 0);
        out->name = col_str(st, a, s, 1);
        out->fingerprint = col_str(st, a, s, 2);
        out->create_ms = col_int(st, s, 3);
        done(st, s);
    }
    return r;
}

static int st_login_key_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                             const char *name, int64_t offset, int64_t limit, int64_t *total_out,
                             ncp_login_key_cb cb, void *ctx, ncp_err_t *err)
{
    const char *where = name ? " WHERE account_id=?1 AND name=?2" : " WHERE account_id=?1";
    char q[512];
    binds_t *b = binds_new(0);
    add_int(b, account_id);
    if (name)
        add_str(b, name);
    snprintf(q, sizeof(q), "SELECT count(*) FROM login_keys%s", where);
    int ret = -1;
    if (dyn_count(st, q, b, total_out, err) < 0)
        goto cleanup;
    snprintf(q, sizeof(q),
             "SELECT account_id, name, fingerprint, create_ms FROM login_keys%s"
             " ORDER BY create_ms DESC, seq DESC LIMIT ?%d OFFSET ?%d",
             where, name ? 3 : 2, name ? 4 : 3);
    add_int(b, limit > 0 ? limit : INT64_MAX);
    add_int(b, offset);
    ncp_db_stmt_t *s = dyn_prepare(st, q, err);
    if (!s)
        goto cleanup;
    bind_all(st, s, b);
    ncp_login_key_t *v = NULL;
    size_t n = 0, cap = 0;
    int r;
    while ((r = st->o->step(s, err)) == 1) {
        v = ncp_arena_grow(a, v, n, &cap, sizeof(*v), 8);
        v[n++] = (ncp_login_key_t){.account_id = col_int(st, s, 0),
                                   .name = col_str(st, a, s, 1),
                                   .fingerprint = col_str(st, a, s, 2),
                                   .create_ms = col_int(st, s, 3)};
    }
    done(st, s);
    if (r < 0)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            goto cleanup;
    ret = 0;
cleanup:
    free(b);
    return ret;
}

static int st_login_key_delete(ncp_store_t *st, int64_t account_id, const char *name,
                               ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_KEY2_DELETE, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    bind_str(st, s, 2, name);
    return run(st, s, err);
}

/* First column of the first row of q(a1, a2), 0 when there is no row. */
static int count1(ncp_store_t *st, int q, int64_t a1, const char *a2, int64_t *out,
                  ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, a1);
    bind_str(st, s, 2, a2);
    int r = first_row(st, s, err);
    *out = r == 1 ? col_int(st, s, 0) : 0;
    if (r == 1)
        done(st, s);
    return r < 0 ? -1 : 0;
}

static int st_login_key_users(ncp_store_t *st, int64_t account_id, const char *name,
                              int64_t *n_out, ncp_err_t *err)
{
    return count1(st, Q_KEY2_USERS, account_id, name, n_out, err);
}

static int st_server_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                                ncp_err_t *err)
{
    int64_t n;
    if (count1(st, Q_NAME_TAKEN, account_id, name, &n, err) < 0)
        return -1;
    return n ? 1 : 0;
}

static int st_private_ip_taken(ncp_store_t *st, int64_t zone_no, const char *ip, ncp_err_t *err)
{
    int64_t n;
    if (count1(st, Q_IP_TAKEN, zone_no, ip, &n, err) < 0)
        return -1;
    return n ? 1 : 0;
}

/* ---- several nodes: the fault switch, the scheduler's lease --------------- */

static int st_fault_set(ncp_store_t *st, int op, int64_t no, int times, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_FAULT_SET, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, op);
    bind_int(st, s, 2, no);
    bind_int(st, s, 3, times);
    return run(st, s, err);
}

static int st_fault_take(ncp_store_t *st, int op, int64_t no, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_FAULT_TAKE, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, op);
    bind_int(st, s, 2, no);
    int r = first_row(st, s, err);
    if (r != 1)
        return r;
    int64_t left = col_int(st, s, 0);
    if (run(st, s, err) < 0)
        return -1;
    if (left <= 0) {
        if (!(s = stmt(st, Q_FAULT_CLEAN, err)))
            return -1;
        bind_int(st, s, 1, op);
        bind_int(st, s, 2, no);
        if (run(st, s, err) < 0)
            return -1;
    }
    return 1;
}

static int st_lease_take(ncp_store_t *st, const char *node, int64_t lease_ms, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_LEASE_TAKE, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, node);
    bind_int(st, s, 2, lease_ms);
    int r = first_row(st, s, err);
    if (r == 1 && run(st, s, err) < 0)
        return -1;
    return r;
}

static bool st_shared(const ncp_store_t *st)
{
    return st->o->dialect == NCP_DIALECT_PG;
}

static int st_maintain(ncp_store_t *st, ncp_err_t *err)
{
    return st->o->checkpoint ? st->o->checkpoint(st->db, err) : 0;
}

static int st_change_token(ncp_store_t *st, uint8_t out[NCP_STORE_TOKEN_LEN])
{
    _Static_assert(NCP_STORE_TOKEN_LEN == NCP_DB_TOKEN_LEN, "one token size");
    return st->o->change_token ? st->o->change_token(st->db, out) : 0;
}

static int st_trans_count(ncp_store_t *st, int64_t *n_out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = stmt(st, Q_TRANS_COUNT, err);
    return s ? one_int(st, s, n_out, "trans_count", err) : -1;
}

const ncp_store_ops_t *ncp_store_backend(const char *name)
{
    return !name || strcmp(name, "sqlite") == 0 || strcmp(name, "store") == 0 ? &ncp_store_ops
                                                                               : NULL;
}

const ncp_store_ops_t ncp_store_ops = {
    .abi = NCP_STORE_ABI,
    .name = "store",
    .open = st_open,
    .close = st_close,
    .shared = st_shared,
    .begin = st_begin,
    .commit = st_commit,
    .rollback = st_rollback,
    .savepoint = st_savepoint,
    .savepoint_release = st_savepoint_release,
    .savepoint_rollback = st_savepoint_rollback,
    .meta_get = st_meta_get,
    .meta_set = st_meta_set,
    .account_add = st_account_add,
    .account_count = st_account_count,
    .key_add = st_key_add,
    .key_get = st_key_get,
    .key_list = st_key_list,
    .key_set_disabled = st_key_set_disabled,
    .instance_next_no = st_instance_next_no,
    .instance_seq_at_least = st_instance_seq_at_least,
    .instance_get = st_instance_get,
    .instance_put = st_instance_put,
    .counter_next = st_counter_next,
    .acg_put = st_acg_put,
    .acg_get = st_acg_get,
    .acg_list = st_acg_list,
    .acg_rule_put = st_acg_rule_put,
    .acg_rule_list = st_acg_rule_list,
    .login_key_put = st_login_key_put,
    .login_key_get = st_login_key_get,
    .login_key_list = st_login_key_list,
    .login_key_delete = st_login_key_delete,
    .login_key_users = st_login_key_users,
    .server_name_taken = st_server_name_taken,
    .private_ip_taken = st_private_ip_taken,
    .server_get = st_server_get,
    .server_put = st_server_put,
    .server_set_state = st_server_set_state,
    .server_delete = st_server_delete,
    .server_list = st_server_list,
    .trans_put = st_trans_put,
    .trans_get = st_trans_get,
    .trans_delete = st_trans_delete,
    .trans_due = st_trans_due,
    .trans_next_due = st_trans_next_due,
    .trans_clamp = st_trans_clamp,
    .trans_claimed = st_trans_claimed,
    .fault_set = st_fault_set,
    .fault_take = st_fault_take,
    .lease_take = st_lease_take,
    .trans_count = st_trans_count,
    .maintain = st_maintain,
    .change_token = st_change_token,
};

/* store_int.h: shared by the files of store/ only. */
#ifndef NCP_STORE_INT_H
#define NCP_STORE_INT_H
#include "store/db.h"
#include "store/store.h"
#include "util/log.h"

/* ACG rows never change once created (classic has no ACG edit actions), so
 * each connection keeps the ones it has read: server reads need no join. */
typedef struct acg_slot {
    int64_t no;
    ncp_acg_t g; /* strings owned by the cache */
} acg_slot_t;

#define DYN_CACHE 16

/* Statements of store.c, prepared once per connection (see sql[] there). */
enum {
    Q_META_GET, Q_META_SET, Q_ACCOUNT_ADD, Q_ACCOUNT_COUNT, Q_KEY_ADD, Q_KEY_GET, Q_KEY_LIST,
    Q_KEY_DISABLE, Q_SEQ_NEXT, Q_SEQ_RAISE, Q_INST_GET, Q_INST_PUT, Q_ACG_PUT, Q_SERVER_GET,
    Q_SERVER_TAGS, Q_SERVER_PARTS, Q_SERVER_PUT, Q_SERVER_DEL_ACGS,
    Q_SERVER_DEL_TAGS, Q_SERVER_DEL_PARTS, Q_SERVER_ADD_ACG, Q_SERVER_ADD_TAG,
    Q_SERVER_ADD_PART, Q_SERVER_STATE, Q_SERVER_DELETE, Q_TRANS_PUT, Q_TRANS_GET,
    Q_TRANS_DELETE, Q_TRANS_DUE, Q_TRANS_NEXT, Q_TRANS_CLAMP, Q_TRANS_CLAIMED, Q_COUNTER_INIT,
    Q_COUNTER_NEXT, Q_ACG_GET, Q_RULE_PUT, Q_RULE_LIST, Q_KEY2_PUT, Q_KEY2_GET, Q_KEY2_DELETE,
    Q_KEY2_USERS, Q_NAME_TAKEN, Q_IP_TAKEN, Q_SP, Q_SP_RELEASE, Q_SP_ROLLBACK, Q_FAULT_SET,
    Q_FAULT_TAKE, Q_FAULT_CLEAN, Q_LEASE_TAKE, Q_TRANS_COUNT, Q_SERVER_KEY, Q_COUNT_ADJ, Q__N
};

struct ncp_store {
    const ncp_db_ops_t *o;
    ncp_db_t *db;
    unsigned gen;              /* db generation the statement caches belong to */
    ncp_db_stmt_t *q[Q__N];
    acg_slot_t *acgs;          /* open addressing on no; no == 0 is free */
    size_t cap_acgs, n_acgs;
    struct {
        char *sql;
        ncp_db_stmt_t *s;
    } dyn[DYN_CACHE];          /* prepared dynamic statements (list filters) */
    unsigned dyn_next;
    struct named {
        const char *sql;       /* a static SQL text of a store file, by address */
        ncp_db_stmt_t *s;
    } *named;                  /* statements of ncp_st_stmt() */
    size_t cap_named, n_named;
};

/* ---- helpers for the files of store/ (one family of resources per file) ----
 * A statement is a static SQL text in the dialect of db.h, prepared once per
 * connection on first use (cached by the text's address) and reset when
 * taken again. Every statement is run to its end, or reset, before the next
 * one starts (PostgreSQL's protocol): list operations read their rows
 * first and call back after. */
ncp_db_stmt_t *ncp_st_stmt(ncp_store_t *st, const char *sql, ncp_err_t *err);
void ncp_st_bind_int(ncp_store_t *st, ncp_db_stmt_t *s, int i, int64_t v);
void ncp_st_bind_str(ncp_store_t *st, ncp_db_stmt_t *s, int i, const char *v); /* NULL: "" */
int64_t ncp_st_col_int(ncp_store_t *st, ncp_db_stmt_t *s, int i);
const char *ncp_st_col_str(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, int i);
/* 1 a row (read it, then ncp_st_done), 0 none, -1 error */
int ncp_st_step(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err);
int ncp_st_first_row(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err); /* resets unless 1 */
void ncp_st_done(ncp_store_t *st, ncp_db_stmt_t *s);
int ncp_st_run(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err);      /* to its end */
/* A statement for dynamic SQL text (list filters), from the connection's cache
 * of recent texts; reset it after use, never finalize it. */
ncp_db_stmt_t *ncp_st_dyn(ncp_store_t *st, const char *sql, ncp_err_t *err);
/* the first column of the one row s returns (RETURNING, count) */
int ncp_st_one_int(ncp_store_t *st, ncp_db_stmt_t *s, int64_t *out, const char *what,
                   ncp_err_t *err);

/* ---- reading rows into the arena ----
 * A reader fills one row of the caller's type (`row`, cast inside) from the
 * current row of s; its strings go to the arena. Readers of column 0 alone:
 * ncp_st_read_int (row is an int64_t), ncp_st_read_str (a const char *). */
typedef void (*ncp_st_reader)(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row);
void ncp_st_read_int(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row);
void ncp_st_read_str(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row);
/* Runs s (binds set) to its end: every row read by rd into an arena array of
 * elements of row_size bytes, in the statement's order. *rows_out and *n_out
 * are set even on error (the rows read before it). 0, or -1. */
int ncp_st_rows(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, ncp_st_reader rd,
                size_t row_size, void **rows_out, size_t *n_out, ncp_err_t *err);
/* The static statement `sql` with ?1 bound to p1 and, when n_params is 2, ?2
 * to p2 (p2 is ignored otherwise: a statement refuses a parameter it does
 * not have). ncp_st_get reads its first row with rd into out: 1, 0 when
 * there is none, -1 on error. ncp_st_list reads all of them as ncp_st_rows. */
int ncp_st_get(ncp_store_t *st, ncp_arena_t *a, const char *sql, int n_params, int64_t p1,
               int64_t p2, ncp_st_reader rd, void *out, ncp_err_t *err);
int ncp_st_list(ncp_store_t *st, ncp_arena_t *a, const char *sql, int n_params, int64_t p1,
                int64_t p2, ncp_st_reader rd, size_t row_size, void **rows_out, size_t *n_out,
                ncp_err_t *err);

/* store.c: flags a server row as a VPC server (issue 12), out of server_counts */
int ncp_st_server_mark_vpc(ncp_store_t *st, int64_t no, ncp_err_t *err);

/* schema.c */
int ncp_schema_migrate(ncp_store_t *st, ncp_err_t *err);
int ncp_schema_version_known(void);

/* Short names for the store's own files. */
static inline void bind_int(ncp_store_t *st, ncp_db_stmt_t *s, int i, int64_t v)
{
    ncp_st_bind_int(st, s, i, v);
}
static inline void bind_str(ncp_store_t *st, ncp_db_stmt_t *s, int i, const char *v)
{
    ncp_st_bind_str(st, s, i, v);
}
static inline int64_t col_int(ncp_store_t *st, ncp_db_stmt_t *s, int i)
{
    return ncp_st_col_int(st, s, i);
}
static inline const char *col_str(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, int i)
{
    return ncp_st_col_str(st, a, s, i);
}
static inline int run(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err)
{
    return ncp_st_run(st, s, err);
}
static inline int first_row(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err)
{
    return ncp_st_first_row(st, s, err);
}
static inline void done(ncp_store_t *st, ncp_db_stmt_t *s)
{
    ncp_st_done(st, s);
}
static inline int one_int(ncp_store_t *st, ncp_db_stmt_t *s, int64_t *out, const char *what,
                          ncp_err_t *err)
{
    return ncp_st_one_int(st, s, out, what, err);
}

#endif

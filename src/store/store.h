/* store.h: the persistence interface (sqlite3_vfs style: versioned, named).
 *
 * A ncp_store_t is one connection, used by one thread at a time; every
 * thread that needs the store opens its own. Writes happen between
 * begin(write=true) and commit(); an answered mutation has been committed
 * (and fsynced) before the answer leaves.
 *
 * Return convention: 0/-1, or 1/0/-1 for look-ups where absence is normal.
 * Strings in results live in the caller's arena. The operations are written
 * once (store.c, schema.c) over a thin database layer (db.h) with two
 * backends: SQLite (a file path, WAL) and PostgreSQL (a postgresql:// URI,
 * shared by several nodes). */
#ifndef NCP_STORE_H
#define NCP_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/model.h"
#include "util/arena.h"
#include "util/err.h"

#define NCP_STORE_ABI 1
#define NCP_STORE_TOKEN_LEN 48

typedef struct ncp_store ncp_store_t;

typedef struct ncp_key {
    const char *access_key;
    int64_t account_id;
    const char *account_name;
    bool disabled;
    const uint8_t *secret_sealed;
    size_t secret_sealed_len;
    int64_t create_ms;
} ncp_key_t;

typedef struct ncp_server_filter {
    int64_t account_id;
    const int64_t *nos;          /* only these numbers (NULL: all) */
    size_t n_nos;
    const char *name_substr;     /* case-insensitive substring of the name */
    const char *ip;              /* exact private or public IP */
    int status;                  /* ncp_status_t, or -1 for any */
    int64_t region_no, zone_no;  /* 0 = any */
    const char *disk_type, *disk_detail;
    const char *const *types;    /* serverInstanceType codes */
    size_t n_types;
    const char *const *tag_keys;
    size_t n_tag_keys;
    const char *const *tag_values;
    size_t n_tag_values;
    int64_t acg_no;              /* servers in this ACG (0 = any) */
    bool sort_by_name, descending;
    int64_t offset, limit;       /* limit 0 = all */
} ncp_server_filter_t;

typedef struct ncp_acg_filter {
    int64_t account_id;
    const int64_t *nos;
    size_t n_nos;
    int is_default;              /* -1 any, 0, 1 */
    const char *name;            /* exact */
    int64_t offset, limit;
} ncp_acg_filter_t;

typedef int (*ncp_server_cb)(void *ctx, const ncp_server_t *s);
/* Asked before a listed row is read in full: true when the caller can
 * render server `no` at `version` without it; the row callback then gets a
 * stub (ncp_server_t.stub). Lets polling clients skip row decoding. */
typedef bool (*ncp_server_probe)(void *ctx, int64_t no, int64_t version);
typedef int (*ncp_key_cb)(void *ctx, const ncp_key_t *k);
typedef int (*ncp_acg_cb)(void *ctx, const ncp_acg_t *g);
typedef int (*ncp_acg_rule_cb)(void *ctx, const ncp_acg_rule_t *r);
typedef int (*ncp_login_key_cb)(void *ctx, const ncp_login_key_t *k);

typedef struct ncp_store_ops {
    int abi;
    const char *name;
    /* uri: a SQLite file path or a postgresql:// (postgres://) URI; migrates */
    ncp_store_t *(*open)(const char *uri, ncp_err_t *err);
    void (*close)(ncp_store_t *st);
    /* true when other processes may write the same database at any time
     * (PostgreSQL: several nodes); false for SQLite (one node) */
    bool (*shared)(const ncp_store_t *st);

    int (*begin)(ncp_store_t *st, bool write, ncp_err_t *err);
    int (*commit)(ncp_store_t *st, ncp_err_t *err);
    int (*rollback)(ncp_store_t *st); /* -1: the transaction could not be undone */
    /* nested unit inside a write transaction (group commit: one per request) */
    int (*savepoint)(ncp_store_t *st, ncp_err_t *err);
    int (*savepoint_release)(ncp_store_t *st, ncp_err_t *err);
    int (*savepoint_rollback)(ncp_store_t *st, ncp_err_t *err); /* also releases */

    int (*meta_get)(ncp_store_t *st, const char *key, ncp_arena_t *a, const char **val_out,
                    ncp_err_t *err);
    int (*meta_set)(ncp_store_t *st, const char *key, const char *val, ncp_err_t *err);

    int (*account_add)(ncp_store_t *st, const char *name, int64_t now_ms, int64_t *id_out,
                       ncp_err_t *err);
    int (*account_count)(ncp_store_t *st, int64_t *n_out, ncp_err_t *err);
    int (*key_add)(ncp_store_t *st, const ncp_key_t *k, ncp_err_t *err);
    int (*key_get)(ncp_store_t *st, const char *access_key, ncp_arena_t *a, ncp_key_t *out,
                   ncp_err_t *err);
    int (*key_list)(ncp_store_t *st, ncp_arena_t *a, ncp_key_cb cb, void *ctx, ncp_err_t *err);
    int (*key_set_disabled)(ncp_store_t *st, const char *access_key, bool disabled,
                            ncp_err_t *err);

    int (*instance_next_no)(ncp_store_t *st, int64_t *no_out, ncp_err_t *err);
    int (*instance_seq_at_least)(ncp_store_t *st, int64_t next, ncp_err_t *err);
    int (*instance_get)(ncp_store_t *st, int64_t no, ncp_instance_t *out, ncp_err_t *err);
    int (*instance_put)(ncp_store_t *st, const ncp_instance_t *in, ncp_err_t *err);

    /* a named counter: returns `start` the first time, then one more each call */
    int (*counter_next)(ncp_store_t *st, const char *name, int64_t start, int64_t *out,
                        ncp_err_t *err);

    int (*acg_put)(ncp_store_t *st, const ncp_acg_t *acg, ncp_err_t *err);
    int (*acg_get)(ncp_store_t *st, ncp_arena_t *a, int64_t no, ncp_acg_t *out, ncp_err_t *err);
    int (*acg_list)(ncp_store_t *st, ncp_arena_t *a, const ncp_acg_filter_t *f,
                    int64_t *total_out, ncp_acg_cb cb, void *ctx, ncp_err_t *err);
    int (*acg_rule_put)(ncp_store_t *st, const ncp_acg_rule_t *r, ncp_err_t *err);
    int (*acg_rule_list)(ncp_store_t *st, ncp_arena_t *a, int64_t acg_no, ncp_acg_rule_cb cb,
                         void *ctx, ncp_err_t *err);

    int (*login_key_put)(ncp_store_t *st, const ncp_login_key_t *k, ncp_err_t *err);
    int (*login_key_get)(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, const char *name,
                         ncp_login_key_t *out, ncp_err_t *err);
    /* newest first; name NULL = all */
    int (*login_key_list)(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, const char *name,
                          int64_t offset, int64_t limit, int64_t *total_out,
                          ncp_login_key_cb cb, void *ctx, ncp_err_t *err);
    int (*login_key_delete)(ncp_store_t *st, int64_t account_id, const char *name,
                            ncp_err_t *err);
    int (*login_key_users)(ncp_store_t *st, int64_t account_id, const char *name, int64_t *n_out,
                           ncp_err_t *err);

    /* 1 when a live server of the account has this name */
    int (*server_name_taken)(ncp_store_t *st, int64_t account_id, const char *name,
                             ncp_err_t *err);
    /* 1 when a live server in the zone has this private IP */
    int (*private_ip_taken)(ncp_store_t *st, int64_t zone_no, const char *ip, ncp_err_t *err);

    int (*server_get)(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                      ncp_server_t *out, ncp_err_t *err);
    int (*server_put)(ncp_store_t *st, const ncp_server_t *s, ncp_err_t *err);
    int (*server_set_state)(ncp_store_t *st, int64_t no, ncp_status_t status, ncp_op_t op,
                            int64_t uptime_ms, ncp_err_t *err); /* uptime 0: unchanged */
    int (*server_delete)(ncp_store_t *st, int64_t no, ncp_err_t *err);
    /* probe may be NULL */
    int (*server_list)(ncp_store_t *st, ncp_arena_t *a, const ncp_server_filter_t *f,
                       int64_t *total_out, ncp_server_probe probe, ncp_server_cb cb, void *ctx,
                       ncp_err_t *err);

    int (*trans_put)(ncp_store_t *st, const ncp_trans_t *t, ncp_err_t *err);
    int (*trans_get)(ncp_store_t *st, ncp_arena_t *a, int64_t no, ncp_trans_t *out,
                     ncp_err_t *err);
    int (*trans_delete)(ncp_store_t *st, int64_t no, ncp_err_t *err);
    /* running rows due at now_ms, earliest first */
    int (*trans_due)(ncp_store_t *st, ncp_arena_t *a, int64_t now_ms, size_t max,
                     ncp_trans_t *out, size_t *n_out, ncp_err_t *err);
    int (*trans_next_due)(ncp_store_t *st, int64_t *due_out, ncp_err_t *err);
    /* every running row due later than now_ms + w, w = min(its wait_ms, max_wait_ms), is
     * due at now_ms + w (and waits w from now on); returns how many moved */
    int (*trans_clamp)(ncp_store_t *st, int64_t now_ms, int64_t max_wait_ms, ncp_err_t *err);
    /* rows in phase NCP_PHASE_CLAIMED claimed by node `owner` */
    int (*trans_claimed)(ncp_store_t *st, ncp_arena_t *a, const char *owner, size_t max,
                         ncp_trans_t *out, size_t *n_out, ncp_err_t *err);
    /* Housekeeping of the database file, off the write path: moves the SQLite log into
     * the database (a commit never pays for a checkpoint). Call now and then from a
     * thread that does not write; a no-op on PostgreSQL. */
    int (*maintain)(ncp_store_t *st, ncp_err_t *err);
    /* A token that changes with every commit to the database by anyone, read without a
     * transaction: 1 and `out` filled, 0 when there is none (PostgreSQL, or a writer
     * is publishing a commit right now). Two equal tokens, read before a read
     * transaction began and after it ended, mean it saw the state the token names. */
    int (*change_token)(ncp_store_t *st, uint8_t out[NCP_STORE_TOKEN_LEN]);
    /* Number of pending transitions (for the metrics); may be NULL. */
    int (*trans_count)(ncp_store_t *st, int64_t *n_out, ncp_err_t *err);

    /* The fault switch (/_ncpd/faults), shared by every node: make the next
     * `times` driver calls of operation `op` on instance `no` fail.
     * fault_take consumes one: 1 when the call must fail. */
    int (*fault_set)(ncp_store_t *st, int op, int64_t no, int times, ncp_err_t *err);
    int (*fault_take)(ncp_store_t *st, int op, int64_t no, ncp_err_t *err);
    /* The scheduler's lease (one node applies timed transitions at a time):
     * 1 when `node` holds it for lease_ms more (taken or renewed), 0 when
     * another node does. In a write transaction; times by the database. */
    int (*lease_take)(ncp_store_t *st, const char *node, int64_t lease_ms, ncp_err_t *err);
} ncp_store_ops_t;

extern const ncp_store_ops_t ncp_store_ops;

/* The store (one implementation; the backend follows the URI), or NULL for
 * an unknown name. */
const ncp_store_ops_t *ncp_store_backend(const char *name);

#endif

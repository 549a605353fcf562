/* store_storage.c: see store_storage.h.
 *
 * Every read of disks goes through one derived table: the account's
 * additional disks (with the name of the server they are on) and, from the
 * servers, the boot disks: named after their server, /dev/xvda, in step with
 * their server (INIT while it is created, CREAT/ATTAC while it boots, then
 * ATTAC/NULL). Lists read their rows first and call back after (db.h). */
#include "store/store_storage.h"

#include <string.h>

#include "domain/rstate.h"
#include "store/store_q.h"

#define DISK_COLS                                                                            \
    "d.no, d.account_id, d.server_no, d.server_name, d.basic, d.name, d.description, d.size," \
    " d.device, d.detail, d.disk_type, d.status, d.op, d.zone_no, d.create_ms, d.image_no"

/* The account's disks; ?1 is the account. */
#define DISKS_OF_ACCOUNT                                                                     \
    "(SELECT b.no, b.account_id, b.server_no, coalesce(s.name, '') AS server_name,"         \
    " 0 AS basic, b.name, b.description, b.size, b.device, b.detail, b.disk_type, b.status," \
    " b.op, b.zone_no, b.create_ms, b.image_no FROM blocks b"                               \
    " LEFT JOIN servers s ON s.no = b.server_no WHERE b.account_id = ?1"                     \
    " UNION ALL SELECT s.basic_storage_no, s.account_id, s.no, s.name, 1, s.name,"           \
    " s.name || '''s basic storage', s.base_size, '/dev/xvda', s.disk_detail, s.disk_type,"  \
    " CASE s.status WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE 2 END,"                               \
    " CASE s.status WHEN 1 THEN 2 ELSE 0 END, s.zone_no, s.create_ms, 0"                    \
    " FROM servers s WHERE s.account_id = ?1 AND s.vpc = 0) d" /* VPC: store_vstorage.c */

static void read_disk(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_disk_t *d = row;
    memset(d, 0, sizeof(*d));
    int i = 0;
    d->no = col_int(st, s, i++);
    d->account_id = col_int(st, s, i++);
    d->server_no = col_int(st, s, i++);
    d->server_name = col_str(st, a, s, i++);
    d->basic = col_int(st, s, i++) != 0;
    d->name = col_str(st, a, s, i++);
    d->description = col_str(st, a, s, i++);
    d->size = col_int(st, s, i++);
    d->device = col_str(st, a, s, i++);
    d->detail = col_str(st, a, s, i++);
    d->disk_type = col_str(st, a, s, i++);
    d->status = (int)col_int(st, s, i++);
    d->op = (int)col_int(st, s, i++);
    d->zone_no = col_int(st, s, i++);
    d->create_ms = col_int(st, s, i++);
    d->image_no = col_int(st, s, i++);
    if (!d->server_no)
        d->server_name = "";
}

int ncp_store_disk_put(ncp_store_t *st, const ncp_disk_t *d, ncp_err_t *err)
{
    static const char q[] =
        "INSERT INTO blocks(no, account_id, server_no, name, description, size, device, detail,"
        " disk_type, status, op, zone_no, create_ms, image_no) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
        " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT(no) DO UPDATE SET"
        " account_id = excluded.account_id, server_no = excluded.server_no,"
        " name = excluded.name, description = excluded.description, size = excluded.size,"
        " device = excluded.device, detail = excluded.detail, disk_type = excluded.disk_type,"
        " status = excluded.status, op = excluded.op, zone_no = excluded.zone_no,"
        " create_ms = excluded.create_ms, image_no = excluded.image_no";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    int i = 1;
    bind_int(st, s, i++, d->no);
    bind_int(st, s, i++, d->account_id);
    bind_int(st, s, i++, d->server_no);
    bind_str(st, s, i++, d->name);
    bind_str(st, s, i++, d->description);
    bind_int(st, s, i++, d->size);
    bind_str(st, s, i++, d->device);
    bind_str(st, s, i++, d->detail);
    bind_str(st, s, i++, d->disk_type);
    bind_int(st, s, i++, d->status);
    bind_int(st, s, i++, d->op);
    bind_int(st, s, i++, d->zone_no);
    bind_int(st, s, i++, d->create_ms);
    bind_int(st, s, i++, d->image_no);
    return run(st, s, err);
}

int ncp_store_disk_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                       ncp_disk_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT " DISK_COLS " FROM " DISKS_OF_ACCOUNT " WHERE d.no = ?2";
    return ncp_st_get(st, a, q, 2, account_id, no, read_disk, out, err);
}

static void disk_where(ncp_q_t *q, const void *filter)
{
    const ncp_disk_filter_t *f = filter;
    ncp_q_int(q, " FROM " DISKS_OF_ACCOUNT " WHERE 1=1", f->account_id);
    if (f->server_no)
        ncp_q_int(q, " AND d.server_no = ?", f->server_no);
    if (f->nos)
        ncp_q_in_ints(q, "d.no", f->nos, f->n_nos);
    if (f->name_substr)
        ncp_q_str(q, " AND {INSTR}(lower(d.name), lower(?)) > 0", f->name_substr);
    if (f->attach_substr) {
        ncp_q_str(q, " AND d.server_no <> 0 AND ({INSTR}(lower(d.server_name || ' ' || d.device),"
                     " lower(?)) > 0",
                  f->attach_substr);
        ncp_q_str(q, " OR {INSTR}(lower(d.server_name || ':' || d.device), lower(?)) > 0)",
                  f->attach_substr);
    }
    if (f->basic >= 0)
        ncp_q_int(q, " AND d.basic = ?", f->basic);
    if (f->status >= 0)
        ncp_q_int(q, " AND d.status = ?", f->status);
    if (f->disk_type)
        ncp_q_str(q, " AND d.disk_type = ?", f->disk_type);
    if (f->detail)
        ncp_q_str(q, " AND d.detail = ?", f->detail);
    if (f->zones)
        ncp_q_in_ints(q, "d.zone_no", f->zones, f->n_zones);
}

int ncp_store_disk_list(ncp_store_t *st, ncp_arena_t *a, const ncp_disk_filter_t *f,
                        int64_t *total_out, ncp_disk_cb cb, void *ctx, ncp_err_t *err)
{
    static const char *const order[2][2] = NCP_Q_ORDERS("d.name", "d.no");
    void *rows;
    size_t n;
    /* unpaged, the total is the number of rows: no count(*) */
    if (ncp_q_page(st, a, DISK_COLS, disk_where, f, order[f->sort_by_name][f->descending],
                   f->offset, f->limit, f->limit > 0 ? total_out : NULL, read_disk,
                   sizeof(ncp_disk_t), &rows, &n, err) < 0)
        return -1;
    if (f->limit <= 0)
        *total_out = (int64_t)n;
    const ncp_disk_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

int ncp_store_disk_set_server(ncp_store_t *st, int64_t no, int64_t server_no, const char *device,
                              ncp_err_t *err)
{
    static const char q[] = "UPDATE blocks SET server_no=?2, device=?3 WHERE no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, server_no);
    bind_str(st, s, 3, device);
    return run(st, s, err);
}

int ncp_store_disk_set_size(ncp_store_t *st, int64_t no, int64_t size, ncp_err_t *err)
{
    static const char q[] = "UPDATE blocks SET size=?2 WHERE no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, size);
    return run(st, s, err);
}

int ncp_store_disk_count_on(ncp_store_t *st, int64_t server_no, int64_t *n_out, ncp_err_t *err)
{
    static const char q[] = "SELECT count(*) FROM blocks WHERE server_no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    return one_int(st, s, n_out, "disks on server", err);
}

int ncp_store_disk_devices(ncp_store_t *st, ncp_arena_t *a, int64_t server_no,
                           const char ***out, size_t *n_out, ncp_err_t *err)
{
    static const char q[] = "SELECT device FROM blocks WHERE server_no=?1 AND device <> ''";
    void *rows;
    int r = ncp_st_list(st, a, q, 1, server_no, 0, ncp_st_read_str, sizeof(**out), &rows, n_out,
                        err);
    *out = rows;
    return r;
}

int ncp_store_disk_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                              ncp_err_t *err)
{
    static const char q[] = "SELECT 1 FROM blocks WHERE account_id=?1 AND name=?2 LIMIT 1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    bind_str(st, s, 2, name);
    int r = first_row(st, s, err);
    if (r == 1)
        done(st, s);
    return r;
}

int ncp_store_disk_remove_on(ncp_store_t *st, int64_t server_no, ncp_err_t *err)
{
    static const char retire[] =
        "UPDATE instances SET deleted = 1 WHERE no IN (SELECT no FROM blocks WHERE server_no=?1)";
    static const char del[] = "DELETE FROM blocks WHERE server_no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, retire, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    if (run(st, s, err) < 0 || !(s = ncp_st_stmt(st, del, err)))
        return -1;
    bind_int(st, s, 1, server_no);
    return run(st, s, err);
}

int ncp_store_disk_totals(ncp_store_t *st, int64_t server_no, int64_t *n_out, int64_t *bytes_out,
                          ncp_err_t *err)
{
    static const char q[] = "SELECT count(*), coalesce(sum(size), 0) FROM blocks WHERE"
                            " server_no=?1 AND status = 2";
    static const char base[] = "SELECT base_size FROM servers WHERE no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    int r = first_row(st, s, err);
    if (r != 1) {
        if (r == 0)
            ncp_err_internal(err, "disk totals: no row");
        return -1;
    }
    *n_out = col_int(st, s, 0);
    *bytes_out = col_int(st, s, 1);
    done(st, s);
    if (!(s = ncp_st_stmt(st, base, err)))
        return -1;
    bind_int(st, s, 1, server_no);
    if ((r = first_row(st, s, err)) < 0)
        return -1;
    if (r == 1) {
        *n_out += 1;
        *bytes_out += col_int(st, s, 0);
        done(st, s);
    }
    return 0;
}

/* ---- snapshots -------------------------------------------------------------- */

#define SNAP_COLS                                                                            \
    "no, account_id, name, description, size, orig_no, orig_name, image_code, os_info,"     \
    " status, op, zone_no, create_ms"

static void read_snapshot(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_snapshot_t *v = row;
    memset(v, 0, sizeof(*v));
    int i = 0;
    v->no = col_int(st, s, i++);
    v->account_id = col_int(st, s, i++);
    v->name = col_str(st, a, s, i++);
    v->description = col_str(st, a, s, i++);
    v->size = col_int(st, s, i++);
    v->orig_no = col_int(st, s, i++);
    v->orig_name = col_str(st, a, s, i++);
    v->image_code = col_str(st, a, s, i++);
    v->os_info = col_str(st, a, s, i++);
    v->status = (int)col_int(st, s, i++);
    v->op = (int)col_int(st, s, i++);
    v->zone_no = col_int(st, s, i++);
    v->create_ms = col_int(st, s, i++);
}

int ncp_store_snapshot_put(ncp_store_t *st, const ncp_snapshot_t *v, ncp_err_t *err)
{
    static const char q[] =
        "INSERT INTO block_snapshots(" SNAP_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
        " ?10, ?11, ?12, ?13) ON CONFLICT(no) DO UPDATE SET name = excluded.name,"
        " description = excluded.description, size = excluded.size, status = excluded.status,"
        " op = excluded.op";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    int i = 1;
    bind_int(st, s, i++, v->no);
    bind_int(st, s, i++, v->account_id);
    bind_str(st, s, i++, v->name);
    bind_str(st, s, i++, v->description);
    bind_int(st, s, i++, v->size);
    bind_int(st, s, i++, v->orig_no);
    bind_str(st, s, i++, v->orig_name);
    bind_str(st, s, i++, v->image_code);
    bind_str(st, s, i++, v->os_info);
    bind_int(st, s, i++, v->status);
    bind_int(st, s, i++, v->op);
    bind_int(st, s, i++, v->zone_no);
    bind_int(st, s, i++, v->create_ms);
    return run(st, s, err);
}

int ncp_store_snapshot_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                           ncp_snapshot_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT " SNAP_COLS " FROM block_snapshots WHERE no=?1"
                            " AND account_id=?2";
    return ncp_st_get(st, a, q, 2, no, account_id, read_snapshot, out, err);
}

static void snap_where(ncp_q_t *q, const void *filter)
{
    const ncp_snapshot_filter_t *f = filter;
    ncp_q_int(q, " FROM block_snapshots WHERE account_id = ?", f->account_id);
    if (f->nos)
        ncp_q_in_ints(q, "no", f->nos, f->n_nos);
    if (f->orig_nos)
        ncp_q_in_ints(q, "orig_no", f->orig_nos, f->n_orig_nos);
    if (f->zones)
        ncp_q_in_ints(q, "zone_no", f->zones, f->n_zones);
}

int ncp_store_snapshot_list(ncp_store_t *st, ncp_arena_t *a, const ncp_snapshot_filter_t *f,
                            int64_t *total_out, ncp_snapshot_cb cb, void *ctx, ncp_err_t *err)
{
    void *rows;
    size_t n;
    if (ncp_q_page(st, a, SNAP_COLS, snap_where, f, " ORDER BY no", f->offset, f->limit,
                   total_out, read_snapshot, sizeof(ncp_snapshot_t), &rows, &n, err) < 0)
        return -1;
    const ncp_snapshot_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

int ncp_store_snapshot_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                                  ncp_err_t *err)
{
    static const char q[] = "SELECT 1 FROM block_snapshots WHERE account_id=?1 AND name=?2"
                            " LIMIT 1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    bind_str(st, s, 2, name);
    int r = first_row(st, s, err);
    if (r == 1)
        done(st, s);
    return r;
}

/* store_nas.c: see store_nas.h. */
#include "store/store_nas.h"

#include <string.h>

#include "store/store_q.h"

#define NAS_COLS                                                                             \
    "no, account_id, name, description, protocol, cifs_user, size, snap_ratio, snap_day,"   \
    " snap_hour, is_event, protect, status, op, zone_no, create_ms"

static void read_nas(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_nas_t *v = row;
    memset(v, 0, sizeof(*v));
    int i = 0;
    v->no = col_int(st, s, i++);
    v->account_id = col_int(st, s, i++);
    v->name = col_str(st, a, s, i++);
    v->description = col_str(st, a, s, i++);
    v->protocol = col_str(st, a, s, i++);
    v->cifs_user = col_str(st, a, s, i++);
    v->size = col_int(st, s, i++);
    v->snap_ratio = (int)col_int(st, s, i++);
    v->snap_day = col_str(st, a, s, i++);
    v->snap_time = (int)col_int(st, s, i++);
    v->event = col_int(st, s, i++) != 0;
    v->protect = col_int(st, s, i++) != 0;
    v->status = (int)col_int(st, s, i++);
    v->op = (int)col_int(st, s, i++);
    v->zone_no = col_int(st, s, i++);
    v->create_ms = col_int(st, s, i++);
}

static void read_acl_entry(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_nas_acl_t *e = row;
    e->server_no = col_int(st, s, 0);
    e->custom_ip = col_str(st, a, s, 1);
    e->write = col_int(st, s, 2) != 0;
}

static int read_acl(ncp_store_t *st, ncp_arena_t *a, ncp_nas_t *v, ncp_err_t *err)
{
    static const char q[] = "SELECT server_no, custom_ip, write_access FROM nas_acl"
                            " WHERE nas_no=?1 ORDER BY ord";
    void *rows;
    int r = ncp_st_list(st, a, q, 1, v->no, 0, read_acl_entry, sizeof(*v->acl), &rows,
                        &v->n_acl, err);
    v->acl = rows;
    return r;
}

int ncp_store_nas_put(ncp_store_t *st, const ncp_nas_t *v, ncp_err_t *err)
{
    static const char q[] =
        "INSERT INTO nas_volumes(" NAS_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT(no) DO UPDATE SET"
        " description = excluded.description, size = excluded.size,"
        " snap_ratio = excluded.snap_ratio, snap_day = excluded.snap_day,"
        " snap_hour = excluded.snap_hour, is_event = excluded.is_event,"
        " protect = excluded.protect, status = excluded.status, op = excluded.op";
    static const char del[] = "DELETE FROM nas_acl WHERE nas_no=?1";
    static const char add[] = "INSERT INTO nas_acl(nas_no, ord, server_no, custom_ip,"
                              " write_access) VALUES(?1, ?2, ?3, ?4, ?5)";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    int i = 1;
    bind_int(st, s, i++, v->no);
    bind_int(st, s, i++, v->account_id);
    bind_str(st, s, i++, v->name);
    bind_str(st, s, i++, v->description);
    bind_str(st, s, i++, v->protocol);
    bind_str(st, s, i++, v->cifs_user);
    bind_int(st, s, i++, v->size);
    bind_int(st, s, i++, v->snap_ratio);
    bind_str(st, s, i++, v->snap_day);
    bind_int(st, s, i++, v->snap_time);
    bind_int(st, s, i++, v->event);
    bind_int(st, s, i++, v->protect);
    bind_int(st, s, i++, v->status);
    bind_int(st, s, i++, v->op);
    bind_int(st, s, i++, v->zone_no);
    bind_int(st, s, i++, v->create_ms);
    if (run(st, s, err) < 0 || !(s = ncp_st_stmt(st, del, err)))
        return -1;
    bind_int(st, s, 1, v->no);
    if (run(st, s, err) < 0)
        return -1;
    for (size_t k = 0; k < v->n_acl; k++) {
        if (!(s = ncp_st_stmt(st, add, err)))
            return -1;
        bind_int(st, s, 1, v->no);
        bind_int(st, s, 2, (int64_t)k);
        bind_int(st, s, 3, v->acl[k].server_no);
        bind_str(st, s, 4, v->acl[k].custom_ip ? v->acl[k].custom_ip : "");
        bind_int(st, s, 5, v->acl[k].write);
        if (run(st, s, err) < 0)
            return -1;
    }
    return 0;
}

int ncp_store_nas_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                      ncp_nas_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT " NAS_COLS " FROM nas_volumes WHERE no=?1 AND account_id=?2";
    int r = ncp_st_get(st, a, q, 2, no, account_id, read_nas, out, err);
    if (r != 1)
        return r;
    return read_acl(st, a, out, err) < 0 ? -1 : 1;
}

static void nas_where(ncp_q_t *q, const void *filter)
{
    const ncp_nas_filter_t *f = filter;
    ncp_q_int(q, " FROM nas_volumes WHERE account_id = ?", f->account_id);
    if (f->nos)
        ncp_q_in_ints(q, "no", f->nos, f->n_nos);
    if (f->protocol)
        ncp_q_str(q, " AND protocol = ?", f->protocol);
    if (f->event >= 0)
        ncp_q_int(q, " AND is_event = ?", f->event);
    if (f->snapshot == 1)
        ncp_q_sql(q, " AND snap_ratio > 0");
    else if (f->snapshot == 0)
        ncp_q_sql(q, " AND snap_ratio = 0");
    if (f->zones)
        ncp_q_in_ints(q, "zone_no", f->zones, f->n_zones);
}

int ncp_store_nas_list(ncp_store_t *st, ncp_arena_t *a, const ncp_nas_filter_t *f,
                       int64_t *total_out, ncp_nas_cb cb, void *ctx, ncp_err_t *err)
{
    void *rows;
    size_t n;
    /* one page of every row: the total is their number */
    if (ncp_q_page(st, a, NAS_COLS, nas_where, f, " ORDER BY no", 0, 0, NULL, read_nas,
                   sizeof(ncp_nas_t), &rows, &n, err) < 0)
        return -1;
    *total_out = (int64_t)n;
    ncp_nas_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (read_acl(st, a, &v[i], err) < 0 || cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

int ncp_store_nas_name_taken(ncp_store_t *st, const char *name, ncp_err_t *err)
{
    static const char q[] = "SELECT 1 FROM nas_volumes WHERE name=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, name);
    int r = first_row(st, s, err);
    if (r == 1)
        done(st, s);
    return r;
}

int ncp_store_nas_set_size(ncp_store_t *st, int64_t no, int64_t size, ncp_err_t *err)
{
    static const char q[] = "UPDATE nas_volumes SET size=?2 WHERE no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, size);
    return run(st, s, err);
}

int ncp_store_nas_server_gone(ncp_store_t *st, int64_t server_no, ncp_err_t *err)
{
    static const char q[] = "DELETE FROM nas_acl WHERE server_no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    return run(st, s, err);
}

/* ---- snapshots ------------------------------------------------------------------ */

static void read_snapshot(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_nas_snapshot_t *v = row;
    v->nas_no = col_int(st, s, 0);
    v->name = col_str(st, a, s, 1);
    v->create_ms = col_int(st, s, 2);
    v->size = col_int(st, s, 3);
}

int ncp_store_nas_snapshot_put(ncp_store_t *st, const ncp_nas_snapshot_t *v, ncp_err_t *err)
{
    static const char q[] = "INSERT INTO nas_snapshots(nas_no, name, create_ms, size)"
                            " VALUES(?1, ?2, ?3, ?4)";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v->nas_no);
    bind_str(st, s, 2, v->name);
    bind_int(st, s, 3, v->create_ms);
    bind_int(st, s, 4, v->size);
    return run(st, s, err);
}

int ncp_store_nas_snapshot_get(ncp_store_t *st, ncp_arena_t *a, int64_t nas_no, const char *name,
                               ncp_nas_snapshot_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT nas_no, name, create_ms, size FROM nas_snapshots"
                            " WHERE nas_no=?1 AND name=?2";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, nas_no);
    bind_str(st, s, 2, name);
    int r = first_row(st, s, err);
    if (r != 1)
        return r;
    read_snapshot(st, a, s, out);
    done(st, s);
    return 1;
}

int ncp_store_nas_snapshot_delete(ncp_store_t *st, int64_t nas_no, const char *name,
                                  ncp_err_t *err)
{
    static const char q[] = "DELETE FROM nas_snapshots WHERE nas_no=?1 AND name=?2";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, nas_no);
    bind_str(st, s, 2, name);
    return run(st, s, err);
}

int ncp_store_nas_snapshot_list(ncp_store_t *st, ncp_arena_t *a, int64_t nas_no,
                                ncp_nas_snapshot_cb cb, void *ctx, ncp_err_t *err)
{
    static const char q[] = "SELECT nas_no, name, create_ms, size FROM nas_snapshots"
                            " WHERE nas_no=?1 ORDER BY create_ms, name{C}";
    void *rows;
    size_t n;
    if (ncp_st_list(st, a, q, 1, nas_no, 0, read_snapshot, sizeof(ncp_nas_snapshot_t), &rows, &n,
                    err) < 0)
        return -1;
    const ncp_nas_snapshot_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

/* ---- snapshot configuration history ------------------------------------------- */

int ncp_store_nas_history_add(ncp_store_t *st, ncp_nas_history_t *h, ncp_err_t *err)
{
    static const char next[] = "SELECT coalesce(max(seq), 0) + 1 FROM nas_history WHERE nas_no=?1";
    static const char q[] = "INSERT INTO nas_history(nas_no, seq, ratio, day_code, snap_hour,"
                            " register_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
    ncp_db_stmt_t *s = ncp_st_stmt(st, next, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, h->nas_no);
    if (one_int(st, s, &h->seq, "history seq", err) < 0 || !(s = ncp_st_stmt(st, q, err)))
        return -1;
    bind_int(st, s, 1, h->nas_no);
    bind_int(st, s, 2, h->seq);
    bind_int(st, s, 3, h->ratio);
    bind_str(st, s, 4, h->day);
    bind_int(st, s, 5, h->time);
    bind_int(st, s, 6, h->register_ms);
    return run(st, s, err);
}

static void read_history(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_nas_history_t *h = row;
    h->nas_no = col_int(st, s, 0);
    h->seq = col_int(st, s, 1);
    h->ratio = (int)col_int(st, s, 2);
    h->day = col_str(st, a, s, 3);
    h->time = (int)col_int(st, s, 4);
    h->register_ms = col_int(st, s, 5);
}

int ncp_store_nas_history_list(ncp_store_t *st, ncp_arena_t *a, int64_t nas_no,
                               ncp_nas_history_cb cb, void *ctx, ncp_err_t *err)
{
    static const char q[] = "SELECT nas_no, seq, ratio, day_code, snap_hour, register_ms"
                            " FROM nas_history WHERE nas_no=?1 ORDER BY seq";
    void *rows;
    size_t n;
    if (ncp_st_list(st, a, q, 1, nas_no, 0, read_history, sizeof(ncp_nas_history_t), &rows, &n,
                    err) < 0)
        return -1;
    const ncp_nas_history_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

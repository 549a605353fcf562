/* store_image.c: see store_image.h. */
#include "store/store_image.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_q.h"

#define IMAGE_COLS                                                                           \
    "m.no, m.account_id, m.name, m.description, m.server_no, m.server_name, m.product_code," \
    " m.disk_type, m.image_code, m.image_name, m.os_info, m.platform, m.base_size, m.status," \
    " m.op, m.zone_no, m.create_ms, m.n_disks, m.total_size"

static void read_image(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_member_image_t *v = row;
    memset(v, 0, sizeof(*v));
    int i = 0;
    v->no = col_int(st, s, i++);
    v->account_id = col_int(st, s, i++);
    v->name = col_str(st, a, s, i++);
    v->description = col_str(st, a, s, i++);
    v->server_no = col_int(st, s, i++);
    v->server_name = col_str(st, a, s, i++);
    v->product_code = col_str(st, a, s, i++);
    v->disk_type = col_str(st, a, s, i++);
    v->image_code = col_str(st, a, s, i++);
    v->image_name = col_str(st, a, s, i++);
    v->os_info = col_str(st, a, s, i++);
    v->platform = col_str(st, a, s, i++);
    v->base_size = col_int(st, s, i++);
    v->status = (int)col_int(st, s, i++);
    v->op = (int)col_int(st, s, i++);
    v->zone_no = col_int(st, s, i++);
    v->create_ms = col_int(st, s, i++);
    v->n_disks = (int)col_int(st, s, i++);
    v->total_size = col_int(st, s, i++);
}

static int read_shares(ncp_store_t *st, ncp_arena_t *a, ncp_member_image_t *v, ncp_err_t *err)
{
    static const char q[] = "SELECT login_id FROM member_image_shares WHERE image_no=?1"
                            " ORDER BY ord";
    void *rows;
    int r = ncp_st_list(st, a, q, 1, v->no, 0, ncp_st_read_str, sizeof(*v->shares), &rows,
                        &v->n_shares, err);
    v->shares = rows;
    return r;
}

int ncp_store_image_put(ncp_store_t *st, const ncp_member_image_t *v, ncp_err_t *err)
{
    static const char q[] =
        "INSERT INTO member_images(no, account_id, name, description, server_no, server_name,"
        " product_code, disk_type, image_code, image_name, os_info, platform, base_size, status,"
        " op, zone_no, create_ms, n_disks, total_size) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
        " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) ON CONFLICT(no) DO UPDATE SET"
        " status = excluded.status, op = excluded.op, n_disks = excluded.n_disks,"
        " total_size = excluded.total_size";
    static const char del[] = "DELETE FROM member_image_shares WHERE image_no=?1";
    static const char add[] = "INSERT INTO member_image_shares(image_no, login_id, ord)"
                              " VALUES(?1, ?2, ?3)";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    int i = 1;
    bind_int(st, s, i++, v->no);
    bind_int(st, s, i++, v->account_id);
    bind_str(st, s, i++, v->name);
    bind_str(st, s, i++, v->description);
    bind_int(st, s, i++, v->server_no);
    bind_str(st, s, i++, v->server_name);
    bind_str(st, s, i++, v->product_code);
    bind_str(st, s, i++, v->disk_type);
    bind_str(st, s, i++, v->image_code);
    bind_str(st, s, i++, v->image_name);
    bind_str(st, s, i++, v->os_info);
    bind_str(st, s, i++, v->platform);
    bind_int(st, s, i++, v->base_size);
    bind_int(st, s, i++, v->status);
    bind_int(st, s, i++, v->op);
    bind_int(st, s, i++, v->zone_no);
    bind_int(st, s, i++, v->create_ms);
    bind_int(st, s, i++, v->n_disks);
    bind_int(st, s, i++, v->total_size);
    if (run(st, s, err) < 0 || !(s = ncp_st_stmt(st, del, err)))
        return -1;
    bind_int(st, s, 1, v->no);
    if (run(st, s, err) < 0)
        return -1;
    for (size_t k = 0; k < v->n_shares; k++) {
        if (!(s = ncp_st_stmt(st, add, err)))
            return -1;
        bind_int(st, s, 1, v->no);
        bind_str(st, s, 2, v->shares[k]);
        bind_int(st, s, 3, (int64_t)k);
        if (run(st, s, err) < 0)
            return -1;
    }
    return 0;
}

int ncp_store_image_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                        const char *login_id, int64_t no, ncp_member_image_t *out, bool *owned,
                        ncp_err_t *err)
{
    static const char q[] =
        "SELECT " IMAGE_COLS " FROM member_images m WHERE m.no=?1 AND (m.account_id=?2 OR"
        " (?3 <> '' AND EXISTS(SELECT 1 FROM member_image_shares x WHERE x.image_no = m.no"
        " AND x.login_id = ?3)))";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, account_id);
    bind_str(st, s, 3, login_id ? login_id : "");
    int r = first_row(st, s, err);
    if (r != 1)
        return r;
    read_image(st, a, s, out);
    done(st, s);
    if (owned)
        *owned = out->account_id == account_id;
    return read_shares(st, a, out, err) < 0 ? -1 : 1;
}

static void image_where(ncp_q_t *q, const void *filter)
{
    const ncp_image_filter_t *f = filter;
    ncp_q_int(q, " FROM member_images m WHERE (m.account_id = ?", f->account_id);
    if (f->login_id)
        ncp_q_str(q, " OR EXISTS(SELECT 1 FROM member_image_shares x WHERE x.image_no = m.no"
                     " AND x.login_id = ?)",
                  f->login_id);
    ncp_q_sql(q, ")");
    if (f->nos)
        ncp_q_in_ints(q, "m.no", f->nos, f->n_nos);
    if (f->platforms)
        ncp_q_in_strs(q, "m.platform", f->platforms, f->n_platforms);
    if (f->zones)
        ncp_q_in_ints(q, "m.zone_no", f->zones, f->n_zones);
}

int ncp_store_image_list(ncp_store_t *st, ncp_arena_t *a, const ncp_image_filter_t *f,
                         int64_t *total_out, ncp_image_cb cb, void *ctx, ncp_err_t *err)
{
    static const char *const order[2][2] = NCP_Q_ORDERS("m.name", "m.no");
    void *rows;
    size_t n;
    if (ncp_q_page(st, a, IMAGE_COLS, image_where, f, order[f->sort_by_name][f->descending],
                   f->offset, f->limit, total_out, read_image, sizeof(ncp_member_image_t), &rows,
                   &n, err) < 0)
        return -1;
    ncp_member_image_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (read_shares(st, a, &v[i], err) < 0 || cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

int ncp_store_image_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                               ncp_err_t *err)
{
    static const char q[] = "SELECT 1 FROM member_images WHERE account_id=?1 AND name=?2";
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

int ncp_store_image_set_totals(ncp_store_t *st, int64_t no, int n_disks, int64_t bytes,
                               ncp_err_t *err)
{
    static const char q[] = "UPDATE member_images SET n_disks=?2, total_size=?3 WHERE no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, n_disks);
    bind_int(st, s, 3, bytes);
    return run(st, s, err);
}

int ncp_store_account_name(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                           const char **name_out, ncp_err_t *err)
{
    static const char q[] = "SELECT name FROM accounts WHERE id=?1";
    return ncp_st_get(st, a, q, 1, account_id, 0, ncp_st_read_str, name_out, err);
}

/* ---- recreate --------------------------------------------------------------------- */

int ncp_store_recreate_put(ncp_store_t *st, const ncp_recreate_t *r, ncp_err_t *err)
{
    static const char q[] =
        "INSERT INTO server_recreates(server_no, image_code, name, user_data, tags)"
        " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(server_no) DO UPDATE SET"
        " image_code = excluded.image_code, name = excluded.name,"
        " user_data = excluded.user_data, tags = excluded.tags";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, r->server_no);
    bind_str(st, s, 2, r->image_code);
    bind_str(st, s, 3, r->name);
    bind_str(st, s, 4, r->user_data);
    /* "=" + tags when they are replaced, "" when they are kept */
    char *t = NULL;
    if (r->tags) {
        size_t n = strlen(r->tags);
        t = calloc(n + 2, 1);
        if (!t)
            abort();
        t[0] = '=';
        memcpy(t + 1, r->tags, n);
    }
    bind_str(st, s, 5, t ? t : "");
    int ret = run(st, s, err);
    free(t);
    return ret;
}

static void read_recreate(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_recreate_t *out = row;
    out->server_no = col_int(st, s, 0);
    out->image_code = col_str(st, a, s, 1);
    out->name = col_str(st, a, s, 2);
    out->user_data = col_str(st, a, s, 3);
    const char *t = col_str(st, a, s, 4);
    out->tags = t[0] == '=' ? t + 1 : NULL;
}

int ncp_store_recreate_get(ncp_store_t *st, ncp_arena_t *a, int64_t server_no, bool take,
                           ncp_recreate_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT server_no, image_code, name, user_data, tags"
                            " FROM server_recreates WHERE server_no=?1";
    static const char del[] = "DELETE FROM server_recreates WHERE server_no=?1";
    int r = ncp_st_get(st, a, q, 1, server_no, 0, read_recreate, out, err);
    if (r != 1)
        return r;
    if (take) {
        ncp_db_stmt_t *s = ncp_st_stmt(st, del, err);
        if (!s)
            return -1;
        bind_int(st, s, 1, server_no);
        if (run(st, s, err) < 0)
            return -1;
    }
    return 1;
}

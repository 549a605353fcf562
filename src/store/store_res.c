/* store_res.c: see store_res.h. One statement per kind and verb: the table
 * names are data here, never built from input. */
#include "store/store_res.h"

#include "domain/rstate.h"
#include "store/store_int.h"

enum { K_DISK, K_SNAP, K_IP, K_NAS, K_IMAGE, K__N };

static int index_of(ncp_kind_t kind)
{
    switch (kind) {
    case NCP_KIND_STORAGE: return K_DISK;
    case NCP_KIND_SNAPSHOT: return K_SNAP;
    case NCP_KIND_PUBLIC_IP: return K_IP;
    case NCP_KIND_NAS: return K_NAS;
    case NCP_KIND_MEMBER_IMAGE: return K_IMAGE;
    default: return -1;
    }
}

static const char *const get_sql[K__N] = {
    "SELECT account_id, status, op FROM blocks WHERE no=?1",
    "SELECT account_id, status, op FROM block_snapshots WHERE no=?1",
    "SELECT account_id, status, op FROM public_ips WHERE no=?1",
    "SELECT account_id, status, op FROM nas_volumes WHERE no=?1",
    "SELECT account_id, status, op FROM member_images WHERE no=?1",
};
static const char *const set_sql[K__N] = {
    "UPDATE blocks SET status=?2, op=?3 WHERE no=?1",
    "UPDATE block_snapshots SET status=?2, op=?3 WHERE no=?1",
    "UPDATE public_ips SET status=?2, op=?3 WHERE no=?1",
    "UPDATE nas_volumes SET status=?2, op=?3 WHERE no=?1",
    "UPDATE member_images SET status=?2, op=?3 WHERE no=?1",
};
/* the row and its children, NULL-terminated per kind */
static const char *const del_sql[K__N][4] = {
    {"DELETE FROM blocks WHERE no=?1", NULL},
    {"DELETE FROM block_snapshots WHERE no=?1", NULL},
    {"DELETE FROM public_ips WHERE no=?1", NULL},
    {"DELETE FROM nas_volumes WHERE no=?1", "DELETE FROM nas_acl WHERE nas_no=?1",
     "DELETE FROM nas_snapshots WHERE nas_no=?1", "DELETE FROM nas_history WHERE nas_no=?1"},
    {"DELETE FROM member_images WHERE no=?1",
     "DELETE FROM member_image_shares WHERE image_no=?1", NULL},
};

static int bad_kind(ncp_kind_t kind, ncp_err_t *err)
{
    ncp_err_internal(err, "no resource table for kind %d", (int)kind);
    return -1;
}

int ncp_store_res_state(ncp_store_t *st, ncp_kind_t kind, int64_t no, int64_t *account_out,
                        int *status_out, int *op_out, ncp_err_t *err)
{
    int k = index_of(kind);
    if (k < 0)
        return bad_kind(kind, err);
    ncp_db_stmt_t *s = ncp_st_stmt(st, get_sql[k], err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    int r = first_row(st, s, err);
    if (r != 1)
        return r;
    if (account_out)
        *account_out = col_int(st, s, 0);
    *status_out = (int)col_int(st, s, 1);
    *op_out = (int)col_int(st, s, 2);
    done(st, s);
    return 1;
}

int ncp_store_res_set_state(ncp_store_t *st, ncp_kind_t kind, int64_t no, int status, int op,
                            ncp_err_t *err)
{
    int k = index_of(kind);
    if (k < 0)
        return bad_kind(kind, err);
    ncp_db_stmt_t *s = ncp_st_stmt(st, set_sql[k], err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, status);
    bind_int(st, s, 3, op);
    return run(st, s, err);
}

int ncp_store_res_remove(ncp_store_t *st, ncp_kind_t kind, int64_t no, int64_t account_id,
                         ncp_err_t *err)
{
    int k = index_of(kind);
    if (k < 0)
        return bad_kind(kind, err);
    for (int i = 0; i < 4 && del_sql[k][i]; i++) {
        ncp_db_stmt_t *s = ncp_st_stmt(st, del_sql[k][i], err);
        if (!s)
            return -1;
        bind_int(st, s, 1, no);
        if (run(st, s, err) < 0)
            return -1;
    }
    ncp_instance_t in = {no, kind, account_id, true};
    return ncp_store_ops.instance_put(st, &in, err);
}

int ncp_store_res_disks_busy(ncp_store_t *st, int64_t server_no, int64_t except, int64_t *n_out,
                             ncp_err_t *err)
{
    static const char q[] = "SELECT count(*) FROM transitions t JOIN blocks b ON b.no = t.no"
                            " WHERE t.res_kind = 2 AND b.server_no = ?1 AND b.no <> ?2";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    bind_int(st, s, 2, except);
    return one_int(st, s, n_out, "busy disks", err);
}

int ncp_store_res_images_busy(ncp_store_t *st, int64_t server_no, int64_t except,
                              int64_t *n_out, ncp_err_t *err)
{
    static const char q[] = "SELECT count(*) FROM member_images WHERE server_no = ?1"
                            " AND status = 0 AND no <> ?2";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    bind_int(st, s, 2, except);
    return one_int(st, s, n_out, "busy images", err);
}

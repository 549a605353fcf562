/* store_vstorage.c: VPC block storages and public IPs (store_vstorage.h). */
#include "store/store_vstorage.h"

#include <string.h>

#include "store/store_int.h"
#include "store/store_vpc.h"

static int exec1(ncp_store_t *st, const char *sql, int64_t v, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v);
    return run(st, s, err);
}

/* ---- block storage ------------------------------------------------------------- */

#define BS_COLS                                                                              \
    "no, account_id, server_no, name, description, storage_type, size_bytes, device,"       \
    " product_code, status, op, disk_detail, volume_type, hypervisor, zone, region, max_iops," \
    " encrypted, return_protection, create_ms"

static const char bs_put_sql[] =
    "INSERT INTO vstorages(" BS_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) ON CONFLICT(no) DO UPDATE SET"
    " server_no = excluded.server_no, name = excluded.name,"
    " description = excluded.description, size_bytes = excluded.size_bytes,"
    " device = excluded.device, status = excluded.status, op = excluded.op,"
    " max_iops = excluded.max_iops, return_protection = excluded.return_protection";
static const char bs_get_sql[] =
    "SELECT " BS_COLS " FROM vstorages WHERE no=?1 AND account_id=?2";
static const char bs_list_sql[] =
    "SELECT " BS_COLS " FROM vstorages WHERE account_id=?1 AND (?2 = 0 OR server_no=?2)"
    " ORDER BY no";
static const char bs_del_sql[] = "DELETE FROM vstorages WHERE no=?1";

int ncp_store_vstorage_put(ncp_store_t *st, const ncp_vstorage_t *b, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, bs_put_sql, err);
    if (!s)
        return -1;
    int i = 1;
    bind_int(st, s, i++, b->no);
    bind_int(st, s, i++, b->account_id);
    bind_int(st, s, i++, b->server_no);
    bind_str(st, s, i++, b->name);
    bind_str(st, s, i++, b->description);
    bind_str(st, s, i++, b->type);
    bind_int(st, s, i++, b->size);
    bind_str(st, s, i++, b->device);
    bind_str(st, s, i++, b->product_code);
    bind_str(st, s, i++, b->status);
    bind_str(st, s, i++, b->op);
    bind_str(st, s, i++, b->disk_detail);
    bind_str(st, s, i++, b->volume_type);
    bind_str(st, s, i++, b->hypervisor);
    bind_str(st, s, i++, b->zone);
    bind_str(st, s, i++, b->region);
    bind_int(st, s, i++, b->max_iops);
    bind_int(st, s, i++, b->encrypted);
    bind_int(st, s, i++, b->return_protection);
    bind_int(st, s, i++, b->create_ms);
    return run(st, s, err);
}

static void read_bs(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_vstorage_t *b = row;
    int i = 0;
    b->no = col_int(st, s, i++);
    b->account_id = col_int(st, s, i++);
    b->server_no = col_int(st, s, i++);
    b->name = col_str(st, a, s, i++);
    b->description = col_str(st, a, s, i++);
    b->type = col_str(st, a, s, i++);
    b->size = col_int(st, s, i++);
    b->device = col_str(st, a, s, i++);
    b->product_code = col_str(st, a, s, i++);
    b->status = col_str(st, a, s, i++);
    b->op = col_str(st, a, s, i++);
    b->disk_detail = col_str(st, a, s, i++);
    b->volume_type = col_str(st, a, s, i++);
    b->hypervisor = col_str(st, a, s, i++);
    b->zone = col_str(st, a, s, i++);
    b->region = col_str(st, a, s, i++);
    b->max_iops = col_int(st, s, i++);
    b->encrypted = col_int(st, s, i++) != 0;
    b->return_protection = col_int(st, s, i++) != 0;
    b->create_ms = col_int(st, s, i++);
}

int ncp_store_vstorage_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                           ncp_vstorage_t *out, ncp_err_t *err)
{
    return ncp_st_get(st, a, bs_get_sql, 2, no, account_id, read_bs, out, err);
}

int ncp_store_vstorage_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                            int64_t server_no, ncp_vstorage_t **out, size_t *n_out,
                            ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, bs_list_sql, 2, account_id, server_no, read_bs, sizeof(**out),
                        &rows, n_out, err);
    *out = rows;
    return r;
}

int ncp_store_vstorage_delete(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    if (exec1(st, bs_del_sql, no, err) < 0 || ncp_store_v_trans_drop(st, no, err) < 0)
        return -1;
    return ncp_store_v_retire(st, no, NCP_KIND_VSTORAGE, err);
}

/* ---- public IPs -------------------------------------------------------------------- */

#define PIP_COLS "no, account_id, ip, description, status, op, server_no, create_ms, modify_ms"

static const char pip_put_sql[] =
    "INSERT INTO vpublic_ips(" PIP_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT(no) DO UPDATE SET description = excluded.description,"
    " status = excluded.status, op = excluded.op, server_no = excluded.server_no,"
    " modify_ms = excluded.modify_ms";
static const char pip_get_sql[] =
    "SELECT " PIP_COLS " FROM vpublic_ips WHERE no=?1 AND account_id=?2";
static const char pip_list_sql[] =
    "SELECT " PIP_COLS " FROM vpublic_ips WHERE account_id=?1 ORDER BY no";
static const char pip_ip_sql[] = "SELECT count(*) FROM vpublic_ips WHERE ip=?1";
static const char pip_del_sql[] = "DELETE FROM vpublic_ips WHERE no=?1";

int ncp_store_vpip_put(ncp_store_t *st, const ncp_vpip_t *p, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, pip_put_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, p->no);
    bind_int(st, s, 2, p->account_id);
    bind_str(st, s, 3, p->ip);
    bind_str(st, s, 4, p->description);
    bind_str(st, s, 5, p->status);
    bind_str(st, s, 6, p->op);
    bind_int(st, s, 7, p->server_no);
    bind_int(st, s, 8, p->create_ms);
    bind_int(st, s, 9, p->modify_ms);
    return run(st, s, err);
}

static void read_pip(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_vpip_t *p = row;
    p->no = col_int(st, s, 0);
    p->account_id = col_int(st, s, 1);
    p->ip = col_str(st, a, s, 2);
    p->description = col_str(st, a, s, 3);
    p->status = col_str(st, a, s, 4);
    p->op = col_str(st, a, s, 5);
    p->server_no = col_int(st, s, 6);
    p->create_ms = col_int(st, s, 7);
    p->modify_ms = col_int(st, s, 8);
}

int ncp_store_vpip_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                       ncp_vpip_t *out, ncp_err_t *err)
{
    return ncp_st_get(st, a, pip_get_sql, 2, no, account_id, read_pip, out, err);
}

int ncp_store_vpip_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, ncp_vpip_t **out,
                        size_t *n_out, ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, pip_list_sql, 1, account_id, 0, read_pip, sizeof(**out), &rows,
                        n_out, err);
    *out = rows;
    return r;
}

int ncp_store_vpip_ip_taken(ncp_store_t *st, const char *ip, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, pip_ip_sql, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, ip);
    int64_t n = 0;
    if (one_int(st, s, &n, "count", err) < 0)
        return -1;
    return n > 0;
}

int ncp_store_vpip_delete(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    if (exec1(st, pip_del_sql, no, err) < 0 || ncp_store_v_trans_drop(st, no, err) < 0)
        return -1;
    return ncp_store_v_retire(st, no, NCP_KIND_VPUBLIC_IP, err);
}

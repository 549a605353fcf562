/* store_vpc.c: VPCs, subnets, network ACLs and route tables (store_vpc.h),
 * written once over db.h like store.c. Every statement is a static SQL
 * text prepared once per connection (ncp_st_stmt) and run to its end
 * before the next starts; lists read their rows into the arena first. */
#include "store/store_vpc.h"

#include <string.h>

#include "store/store_int.h"

/* ---- VPCs ------------------------------------------------------------------ */

static const char vpc_put_sql[] =
    "INSERT INTO vpcs(no, account_id, name, cidr, region, status, create_ms)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(no) DO UPDATE SET"
    " name = excluded.name, cidr = excluded.cidr, region = excluded.region,"
    " status = excluded.status";
static const char vpc_get_sql[] =
    "SELECT no, account_id, name, cidr, region, status, create_ms FROM vpcs"
    " WHERE no=?1 AND account_id=?2";
static const char vpc_list_sql[] =
    "SELECT no, account_id, name, cidr, region, status, create_ms FROM vpcs"
    " WHERE account_id=?1 ORDER BY no";
static const char vpc_name_sql[] =
    "SELECT count(*) FROM vpcs WHERE account_id=?1 AND name=?2";
static const char vpc_deps_sql[] =
    "SELECT (SELECT count(*) FROM subnets WHERE vpc_no=?1),"
    " (SELECT count(*) FROM nacls WHERE vpc_no=?1 AND is_default = 0),"
    " (SELECT count(*) FROM vacgs WHERE vpc_no=?1 AND is_default = 0),"
    " (SELECT count(*) FROM vnics WHERE vpc_no=?1)";

int ncp_store_vpc_put(ncp_store_t *st, const ncp_vpc_t *v, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, vpc_put_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v->no);
    bind_int(st, s, 2, v->account_id);
    bind_str(st, s, 3, v->name);
    bind_str(st, s, 4, v->cidr);
    bind_str(st, s, 5, v->region);
    bind_str(st, s, 6, v->status);
    bind_int(st, s, 7, v->create_ms);
    return run(st, s, err);
}

static void read_vpc(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_vpc_t *out = row;
    out->no = col_int(st, s, 0);
    out->account_id = col_int(st, s, 1);
    out->name = col_str(st, a, s, 2);
    out->cidr = col_str(st, a, s, 3);
    out->region = col_str(st, a, s, 4);
    out->status = col_str(st, a, s, 5);
    out->create_ms = col_int(st, s, 6);
}

int ncp_store_vpc_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                      ncp_vpc_t *out, ncp_err_t *err)
{
    return ncp_st_get(st, a, vpc_get_sql, 2, no, account_id, read_vpc, out, err);
}

int ncp_store_vpc_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, ncp_vpc_t **out,
                       size_t *n_out, ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, vpc_list_sql, 1, account_id, 0, read_vpc, sizeof(**out), &rows,
                        n_out, err);
    *out = rows;
    return r;
}

/* 1 when the count(*) of s (binds set) is positive. */
static int any_row(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err)
{
    int64_t n = 0;
    if (one_int(st, s, &n, "count", err) < 0)
        return -1;
    return n > 0;
}

int ncp_store_vpc_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                             ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, vpc_name_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    bind_str(st, s, 2, name);
    return any_row(st, s, err);
}

int ncp_store_vpc_deps(ncp_store_t *st, int64_t vpc_no, ncp_vpc_deps_t *out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, vpc_deps_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, vpc_no);
    int r = first_row(st, s, err);
    if (r == 0)
        ncp_err_internal(err, "vpc deps: no row");
    if (r != 1)
        return -1;
    out->subnets = col_int(st, s, 0);
    out->nacls = col_int(st, s, 1);
    out->acgs = col_int(st, s, 2);
    out->nics = col_int(st, s, 3);
    done(st, s);
    return 0;
}

/* ---- subnets --------------------------------------------------------------- */

#define SUBNET_COLS                                                                          \
    "no, account_id, vpc_no, zone, name, cidr, status, subnet_type, usage_type, nacl_no,"   \
    " route_table_no, create_ms"

static const char subnet_put_sql[] =
    "INSERT INTO subnets(" SUBNET_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12) ON CONFLICT(no) DO UPDATE SET name = excluded.name, status = excluded.status,"
    " nacl_no = excluded.nacl_no, route_table_no = excluded.route_table_no";
static const char subnet_get_sql[] =
    "SELECT " SUBNET_COLS " FROM subnets WHERE no=?1 AND account_id=?2";
static const char subnet_list_sql[] =
    "SELECT " SUBNET_COLS " FROM subnets WHERE account_id=?1 AND (?2 = 0 OR vpc_no=?2)"
    " ORDER BY no";
static const char subnet_name_sql[] = "SELECT count(*) FROM subnets WHERE vpc_no=?1 AND name=?2";
static const char subnet_users_sql[] = "SELECT count(*) FROM vnics WHERE subnet_no=?1";

int ncp_store_vsubnet_put(ncp_store_t *st, const ncp_vsubnet_t *v, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, subnet_put_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v->no);
    bind_int(st, s, 2, v->account_id);
    bind_int(st, s, 3, v->vpc_no);
    bind_str(st, s, 4, v->zone);
    bind_str(st, s, 5, v->name);
    bind_str(st, s, 6, v->cidr);
    bind_str(st, s, 7, v->status);
    bind_str(st, s, 8, v->type);
    bind_str(st, s, 9, v->usage);
    bind_int(st, s, 10, v->nacl_no);
    bind_int(st, s, 11, v->route_table_no);
    bind_int(st, s, 12, v->create_ms);
    return run(st, s, err);
}

static void read_subnet(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_vsubnet_t *v = row;
    v->no = col_int(st, s, 0);
    v->account_id = col_int(st, s, 1);
    v->vpc_no = col_int(st, s, 2);
    v->zone = col_str(st, a, s, 3);
    v->name = col_str(st, a, s, 4);
    v->cidr = col_str(st, a, s, 5);
    v->status = col_str(st, a, s, 6);
    v->type = col_str(st, a, s, 7);
    v->usage = col_str(st, a, s, 8);
    v->nacl_no = col_int(st, s, 9);
    v->route_table_no = col_int(st, s, 10);
    v->create_ms = col_int(st, s, 11);
}

int ncp_store_vsubnet_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                         ncp_vsubnet_t *out, ncp_err_t *err)
{
    return ncp_st_get(st, a, subnet_get_sql, 2, no, account_id, read_subnet, out, err);
}

int ncp_store_vsubnet_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t vpc_no,
                          ncp_vsubnet_t **out, size_t *n_out, ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, subnet_list_sql, 2, account_id, vpc_no, read_subnet,
                        sizeof(**out), &rows, n_out, err);
    *out = rows;
    return r;
}

int ncp_store_vsubnet_name_taken(ncp_store_t *st, int64_t vpc_no, const char *name,
                                ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, subnet_name_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, vpc_no);
    bind_str(st, s, 2, name);
    return any_row(st, s, err);
}

int ncp_store_vsubnet_users(ncp_store_t *st, int64_t subnet_no, int64_t *n_out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, subnet_users_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, subnet_no);
    return one_int(st, s, n_out, "subnet users", err);
}

/* ---- network ACLs ---------------------------------------------------------- */

#define NACL_COLS "no, account_id, vpc_no, name, description, status, is_default, create_ms"

static const char nacl_put_sql[] =
    "INSERT INTO nacls(" NACL_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT(no) DO UPDATE SET name = excluded.name, description = excluded.description,"
    " status = excluded.status";
static const char nacl_get_sql[] = "SELECT " NACL_COLS " FROM nacls WHERE no=?1 AND account_id=?2";
static const char nacl_list_sql[] =
    "SELECT " NACL_COLS " FROM nacls WHERE account_id=?1 AND (?2 = 0 OR vpc_no=?2) ORDER BY no";
static const char nacl_name_sql[] = "SELECT count(*) FROM nacls WHERE vpc_no=?1 AND name=?2";
static const char nacl_users_sql[] = "SELECT count(*) FROM subnets WHERE nacl_no=?1";

int ncp_store_nacl_put(ncp_store_t *st, const ncp_nacl_t *v, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, nacl_put_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v->no);
    bind_int(st, s, 2, v->account_id);
    bind_int(st, s, 3, v->vpc_no);
    bind_str(st, s, 4, v->name);
    bind_str(st, s, 5, v->description);
    bind_str(st, s, 6, v->status);
    bind_int(st, s, 7, v->is_default);
    bind_int(st, s, 8, v->create_ms);
    return run(st, s, err);
}

static void read_nacl(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_nacl_t *v = row;
    v->no = col_int(st, s, 0);
    v->account_id = col_int(st, s, 1);
    v->vpc_no = col_int(st, s, 2);
    v->name = col_str(st, a, s, 3);
    v->description = col_str(st, a, s, 4);
    v->status = col_str(st, a, s, 5);
    v->is_default = col_int(st, s, 6) != 0;
    v->create_ms = col_int(st, s, 7);
}

int ncp_store_nacl_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                       ncp_nacl_t *out, ncp_err_t *err)
{
    return ncp_st_get(st, a, nacl_get_sql, 2, no, account_id, read_nacl, out, err);
}

int ncp_store_nacl_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t vpc_no,
                        ncp_nacl_t **out, size_t *n_out, ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, nacl_list_sql, 2, account_id, vpc_no, read_nacl, sizeof(**out),
                        &rows, n_out, err);
    *out = rows;
    return r;
}

int ncp_store_nacl_name_taken(ncp_store_t *st, int64_t vpc_no, const char *name,
                              ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, nacl_name_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, vpc_no);
    bind_str(st, s, 2, name);
    return any_row(st, s, err);
}

int ncp_store_nacl_users(ncp_store_t *st, int64_t nacl_no, int64_t *n_out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, nacl_users_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, nacl_no);
    return one_int(st, s, n_out, "nacl users", err);
}

/* ---- route tables ---------------------------------------------------------- */

#define RT_COLS                                                                              \
    "no, account_id, vpc_no, name, description, region, subnet_type, status, is_default,"   \
    " create_ms"

static const char rt_put_sql[] =
    "INSERT INTO route_tables(" RT_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT(no) DO UPDATE SET name = excluded.name, description = excluded.description,"
    " status = excluded.status";
static const char rt_list_sql[] =
    "SELECT " RT_COLS " FROM route_tables WHERE account_id=?1 AND (?2 = 0 OR vpc_no=?2)"
    " ORDER BY no";

int ncp_store_route_table_put(ncp_store_t *st, const ncp_route_table_t *v, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, rt_put_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v->no);
    bind_int(st, s, 2, v->account_id);
    bind_int(st, s, 3, v->vpc_no);
    bind_str(st, s, 4, v->name);
    bind_str(st, s, 5, v->description);
    bind_str(st, s, 6, v->region);
    bind_str(st, s, 7, v->subnet_type);
    bind_str(st, s, 8, v->status);
    bind_int(st, s, 9, v->is_default);
    bind_int(st, s, 10, v->create_ms);
    return run(st, s, err);
}

static void read_rt(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_route_table_t *t = row;
    t->no = col_int(st, s, 0);
    t->account_id = col_int(st, s, 1);
    t->vpc_no = col_int(st, s, 2);
    t->name = col_str(st, a, s, 3);
    t->description = col_str(st, a, s, 4);
    t->region = col_str(st, a, s, 5);
    t->subnet_type = col_str(st, a, s, 6);
    t->status = col_str(st, a, s, 7);
    t->is_default = col_int(st, s, 8) != 0;
    t->create_ms = col_int(st, s, 9);
}

int ncp_store_route_table_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                               int64_t vpc_no, ncp_route_table_t **out, size_t *n_out,
                               ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, rt_list_sql, 2, account_id, vpc_no, read_rt, sizeof(**out),
                        &rows, n_out, err);
    *out = rows;
    return r;
}

/* ---- every VPC kind --------------------------------------------------------- */

/* State columns per kind: status, and op ('' where the family has none). */
static const char *state_sql(ncp_kind_t kind)
{
    static const char vpc[] = "SELECT status, '' FROM vpcs WHERE no=?1";
    static const char subnet[] = "SELECT status, '' FROM subnets WHERE no=?1";
    static const char nacl[] = "SELECT status, '' FROM nacls WHERE no=?1";
    static const char acg[] = "SELECT status, '' FROM vacgs WHERE no=?1";
    static const char nic[] = "SELECT status, '' FROM vnics WHERE no=?1";
    static const char bs[] = "SELECT status, op FROM vstorages WHERE no=?1";
    static const char pip[] = "SELECT status, op FROM vpublic_ips WHERE no=?1";
    switch (kind) {
    case NCP_KIND_VPC: return vpc;
    case NCP_KIND_VSUBNET: return subnet;
    case NCP_KIND_NACL: return nacl;
    case NCP_KIND_VACG: return acg;
    case NCP_KIND_VNIC: return nic;
    case NCP_KIND_VSTORAGE: return bs;
    case NCP_KIND_VPUBLIC_IP: return pip;
    default: return NULL;
    }
}

static const char *set_state_sql(ncp_kind_t kind)
{
    static const char vpc[] = "UPDATE vpcs SET status=?2 WHERE no=?1";
    static const char subnet[] = "UPDATE subnets SET status=?2 WHERE no=?1";
    static const char nacl[] = "UPDATE nacls SET status=?2 WHERE no=?1";
    static const char acg[] = "UPDATE vacgs SET status=?2 WHERE no=?1";
    static const char nic[] = "UPDATE vnics SET status=?2 WHERE no=?1";
    static const char bs[] = "UPDATE vstorages SET status=?2, op=?3 WHERE no=?1";
    static const char pip[] =
        "UPDATE vpublic_ips SET status=?2, op=?3, modify_ms=?4 WHERE no=?1";
    switch (kind) {
    case NCP_KIND_VPC: return vpc;
    case NCP_KIND_VSUBNET: return subnet;
    case NCP_KIND_NACL: return nacl;
    case NCP_KIND_VACG: return acg;
    case NCP_KIND_VNIC: return nic;
    case NCP_KIND_VSTORAGE: return bs;
    case NCP_KIND_VPUBLIC_IP: return pip;
    default: return NULL;
    }
}

int ncp_store_v_state(ncp_store_t *st, ncp_arena_t *a, ncp_kind_t kind, int64_t no,
                      const char **status_out, const char **op_out, ncp_err_t *err)
{
    const char *q = state_sql(kind);
    if (!q) {
        ncp_err_internal(err, "no state of kind %d", (int)kind);
        return -1;
    }
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    int r = first_row(st, s, err);
    if (r != 1)
        return r;
    *status_out = col_str(st, a, s, 0);
    *op_out = col_str(st, a, s, 1);
    done(st, s);
    return 1;
}

int ncp_store_v_set_state(ncp_store_t *st, ncp_kind_t kind, int64_t no, const char *status,
                          const char *op, int64_t now_ms, ncp_err_t *err)
{
    const char *q = set_state_sql(kind);
    if (!q) {
        ncp_err_internal(err, "no state of kind %d", (int)kind);
        return -1;
    }
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_str(st, s, 2, status);
    if (kind == NCP_KIND_VSTORAGE || kind == NCP_KIND_VPUBLIC_IP)
        bind_str(st, s, 3, op ? op : "NULL");
    if (kind == NCP_KIND_VPUBLIC_IP)
        bind_int(st, s, 4, now_ms);
    return run(st, s, err);
}

static const char retire_sql[] =
    "INSERT INTO instances(no, kind, account_id, deleted) VALUES(?1, ?2, 0, 1)"
    " ON CONFLICT(no) DO UPDATE SET kind = excluded.kind, deleted = 1";
static const char trans_drop_sql[] = "DELETE FROM transitions WHERE no=?1";

int ncp_store_v_retire(ncp_store_t *st, int64_t no, ncp_kind_t kind, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, retire_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, (int)kind);
    return run(st, s, err);
}

int ncp_store_v_trans_drop(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, trans_drop_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    return run(st, s, err);
}

/* Runs `sql` (one ?1 bind) to its end. */
static int exec1(ncp_store_t *st, const char *sql, int64_t v, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v);
    return run(st, s, err);
}

/* Numbers of `sql`'s rows (one ?1 bind), first column. */
static int nos_of(ncp_store_t *st, ncp_arena_t *a, const char *sql, int64_t v, int64_t **out,
                  size_t *n_out, ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, sql, 1, v, 0, ncp_st_read_int, sizeof(**out), &rows, n_out, err);
    *out = rows;
    return r;
}

/* Removes every row of `list_sql`'s numbers with `del_sql` and retires them. */
static int gone_all(ncp_store_t *st, ncp_arena_t *a, const char *list_sql, const char *del_sql,
                    int64_t vpc_no, ncp_kind_t kind, ncp_err_t *err)
{
    int64_t *nos;
    size_t n;
    if (nos_of(st, a, list_sql, vpc_no, &nos, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (exec1(st, del_sql, nos[i], err) < 0 || ncp_store_v_trans_drop(st, nos[i], err) < 0 ||
            ncp_store_v_retire(st, nos[i], kind, err) < 0)
            return -1;
    return 0;
}

int ncp_store_v_gone(ncp_store_t *st, ncp_kind_t kind, int64_t no, ncp_err_t *err)
{
    static const char del_vpc[] = "DELETE FROM vpcs WHERE no=?1";
    static const char del_subnet[] = "DELETE FROM subnets WHERE no=?1";
    static const char del_nacl[] = "DELETE FROM nacls WHERE no=?1";
    static const char nacls_of[] = "SELECT no FROM nacls WHERE vpc_no=?1";
    static const char acgs_of[] = "SELECT no FROM vacgs WHERE vpc_no=?1";
    static const char del_acg[] = "DELETE FROM vacgs WHERE no=?1";
    static const char del_rules[] = "DELETE FROM vacg_rules WHERE acg_no=?1";
    static const char rts_of[] = "SELECT no FROM route_tables WHERE vpc_no=?1";
    static const char del_rt[] = "DELETE FROM route_tables WHERE no=?1";
    int ret = -1;
    ncp_arena_t *a = ncp_arena_new(4096);
    switch (kind) {
    case NCP_KIND_VPC: {
        /* its default objects (the only ones deleteVpc leaves) go with it */
        int64_t *acgs;
        size_t n;
        if (nos_of(st, a, acgs_of, no, &acgs, &n, err) < 0)
            goto cleanup;
        for (size_t i = 0; i < n; i++)
            if (exec1(st, del_rules, acgs[i], err) < 0)
                goto cleanup;
        if (gone_all(st, a, acgs_of, del_acg, no, NCP_KIND_VACG, err) < 0 ||
            gone_all(st, a, nacls_of, del_nacl, no, NCP_KIND_NACL, err) < 0 ||
            gone_all(st, a, rts_of, del_rt, no, NCP_KIND_ROUTE_TABLE, err) < 0 ||
            exec1(st, del_vpc, no, err) < 0)
            goto cleanup;
        break;
    }
    case NCP_KIND_VSUBNET:
        if (exec1(st, del_subnet, no, err) < 0)
            goto cleanup;
        break;
    case NCP_KIND_NACL:
        if (exec1(st, del_nacl, no, err) < 0)
            goto cleanup;
        break;
    default:
        ncp_err_internal(err, "no removal of kind %d", (int)kind);
        goto cleanup;
    }
    if (ncp_store_v_trans_drop(st, no, err) < 0 || ncp_store_v_retire(st, no, kind, err) < 0)
        goto cleanup;
    ret = 0;
cleanup:
    ncp_arena_free(a);
    return ret;
}

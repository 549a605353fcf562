/* store_net.c: see store_net.h. */
#include "store/store_net.h"

#include <string.h>

#include "store/store_q.h"

/* A statement that takes one number and returns nothing. */
static int run1(ncp_store_t *st, const char *sql, int64_t v, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v);
    return run(st, s, err);
}

/* 1 when the statement (binds set) returns a row, which it then drops */
static int exists(ncp_store_t *st, ncp_db_stmt_t *s, ncp_err_t *err)
{
    int r = first_row(st, s, err);
    if (r == 1)
        done(st, s);
    return r;
}

/* ---- public IPs ---------------------------------------------------------------- */

#define IP_COLS                                                                              \
    "p.no, p.account_id, p.ip, p.description, p.inet_line, p.server_no, p.status, p.op,"   \
    " p.zone_no, p.create_ms"

static void read_ip(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_public_ip_t *v = row;
    memset(v, 0, sizeof(*v));
    int i = 0;
    v->no = col_int(st, s, i++);
    v->account_id = col_int(st, s, i++);
    v->ip = col_str(st, a, s, i++);
    v->description = col_str(st, a, s, i++);
    v->line = col_str(st, a, s, i++);
    v->server_no = col_int(st, s, i++);
    v->status = (int)col_int(st, s, i++);
    v->op = (int)col_int(st, s, i++);
    v->zone_no = col_int(st, s, i++);
    v->create_ms = col_int(st, s, i++);
}

int ncp_store_ip_put(ncp_store_t *st, const ncp_public_ip_t *v, ncp_err_t *err)
{
    static const char q[] =
        "INSERT INTO public_ips(no, account_id, ip, description, inet_line, server_no, status,"
        " op, zone_no, create_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        " ON CONFLICT(no) DO UPDATE SET description = excluded.description,"
        " server_no = excluded.server_no, status = excluded.status, op = excluded.op";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    int i = 1;
    bind_int(st, s, i++, v->no);
    bind_int(st, s, i++, v->account_id);
    bind_str(st, s, i++, v->ip);
    bind_str(st, s, i++, v->description);
    bind_str(st, s, i++, v->line);
    bind_int(st, s, i++, v->server_no);
    bind_int(st, s, i++, v->status);
    bind_int(st, s, i++, v->op);
    bind_int(st, s, i++, v->zone_no);
    bind_int(st, s, i++, v->create_ms);
    return run(st, s, err);
}

int ncp_store_ip_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                     ncp_public_ip_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT " IP_COLS " FROM public_ips p WHERE p.no=?1"
                            " AND p.account_id=?2";
    return ncp_st_get(st, a, q, 2, no, account_id, read_ip, out, err);
}

int ncp_store_ip_of_server(ncp_store_t *st, ncp_arena_t *a, int64_t server_no,
                           ncp_public_ip_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT " IP_COLS " FROM public_ips p WHERE p.server_no=?1"
                            " ORDER BY p.no LIMIT 1";
    return ncp_st_get(st, a, q, 1, server_no, 0, read_ip, out, err);
}

static void ip_where(ncp_q_t *q, const void *filter)
{
    const ncp_ip_filter_t *f = filter;
    ncp_q_int(q, " FROM public_ips p LEFT JOIN servers s ON s.no = p.server_no"
                 " WHERE p.account_id = ?",
              f->account_id);
    if (f->associated == 0)
        ncp_q_sql(q, " AND p.server_no = 0");
    else if (f->associated == 1)
        ncp_q_sql(q, " AND p.server_no <> 0");
    if (f->nos)
        ncp_q_in_ints(q, "p.no", f->nos, f->n_nos);
    if (f->ips)
        ncp_q_in_strs(q, "p.ip", f->ips, f->n_ips);
    if (f->ip_substr)
        ncp_q_str(q, " AND {INSTR}(p.ip, ?) > 0", f->ip_substr);
    if (f->server_name_substr)
        ncp_q_str(q, " AND {INSTR}(lower(coalesce(s.name, '')), lower(?)) > 0",
                  f->server_name_substr);
    if (f->line)
        ncp_q_str(q, " AND p.inet_line = ?", f->line);
    if (f->zones)
        ncp_q_in_ints(q, "p.zone_no", f->zones, f->n_zones);
}

int ncp_store_ip_list(ncp_store_t *st, ncp_arena_t *a, const ncp_ip_filter_t *f,
                      int64_t *total_out, ncp_public_ip_cb cb, void *ctx, ncp_err_t *err)
{
    /* by address: text order (a.b.c.d as four numbers is not needed) */
    static const char *const order[2][2] = NCP_Q_ORDERS("p.ip", "p.no");
    void *rows;
    size_t n;
    if (ncp_q_page(st, a, IP_COLS, ip_where, f, order[f->sort_by_ip][f->descending], f->offset,
                   f->limit, total_out, read_ip, sizeof(ncp_public_ip_t), &rows, &n, err) < 0)
        return -1;
    const ncp_public_ip_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

int ncp_store_ip_set_server(ncp_store_t *st, int64_t no, int64_t server_no, ncp_err_t *err)
{
    static const char q[] = "UPDATE public_ips SET server_no=?2 WHERE no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, server_no);
    return run(st, s, err);
}

int ncp_store_ip_taken(ncp_store_t *st, const char *ip, ncp_err_t *err)
{
    static const char q[] = "SELECT 1 FROM public_ips WHERE ip=?1 UNION ALL"
                            " SELECT 1 FROM pf_configs WHERE ip=?1 LIMIT 1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_str(st, s, 1, ip);
    return exists(st, s, err);
}

int ncp_store_ip_count(ncp_store_t *st, int64_t account_id, int64_t *n_out, ncp_err_t *err)
{
    static const char q[] = "SELECT count(*) FROM public_ips WHERE account_id=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    return one_int(st, s, n_out, "public IPs", err);
}

/* ---- servers' own fields ------------------------------------------------------ */

int ncp_store_server_set_public_ip(ncp_store_t *st, int64_t server_no, const char *ip,
                                   ncp_err_t *err)
{
    static const char q[] = "UPDATE servers SET public_ip=?2, version = version + 1"
                            " WHERE no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    bind_str(st, s, 2, ip);
    return run(st, s, err);
}

int ncp_store_server_set_pf_ports(ncp_store_t *st, int64_t server_no, int ext_port,
                                  int int_port, ncp_err_t *err)
{
    static const char q[] = "UPDATE servers SET pf_ext_port=?2, pf_int_port=?3,"
                            " version = version + 1 WHERE no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    bind_int(st, s, 2, ext_port);
    bind_int(st, s, 3, int_port);
    return run(st, s, err);
}

int ncp_store_server_count(ncp_store_t *st, int64_t account_id, int64_t *n_out, ncp_err_t *err)
{
    /* the maintained counts (issue 14): no scan of an account's servers */
    static const char q[] = "SELECT coalesce(sum(n), 0) FROM server_counts WHERE account_id=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    return one_int(st, s, n_out, "servers", err);
}

int ncp_store_server_line_get(ncp_store_t *st, ncp_arena_t *a, int64_t server_no,
                              const char **line_out, ncp_err_t *err)
{
    static const char q[] = "SELECT inet_line FROM server_extras WHERE server_no=?1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    int r = first_row(st, s, err);
    if (r < 0)
        return -1;
    *line_out = "PUBLC";
    if (r == 1) {
        *line_out = col_str(st, a, s, 0);
        done(st, s);
    }
    return 0;
}

int ncp_store_server_line_put(ncp_store_t *st, int64_t server_no, const char *line,
                              ncp_err_t *err)
{
    static const char q[] = "INSERT INTO server_extras(server_no, inet_line) VALUES(?1, ?2)"
                            " ON CONFLICT(server_no) DO UPDATE SET inet_line = excluded.inet_line";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, server_no);
    bind_str(st, s, 2, line);
    return run(st, s, err);
}

int ncp_store_net_server_gone(ncp_store_t *st, int64_t server_no, ncp_err_t *err)
{
    static const char rules[] = "DELETE FROM pf_rules WHERE server_no=?1";
    static const char nics[] = "UPDATE nics SET server_no = 0 WHERE server_no=?1";
    static const char extras[] = "DELETE FROM server_extras WHERE server_no=?1";
    static const char ips[] = "UPDATE public_ips SET server_no = 0, status = 1, op = 0"
                              " WHERE server_no=?1";
    if (run1(st, rules, server_no, err) < 0 || run1(st, nics, server_no, err) < 0 ||
        run1(st, extras, server_no, err) < 0 || run1(st, ips, server_no, err) < 0)
        return -1;
    return 0;
}

/* ---- port forwarding ------------------------------------------------------------ */

static void read_config(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_pf_config_t *c = row;
    c->no = col_int(st, s, 0);
    c->account_id = col_int(st, s, 1);
    c->zone_no = col_int(st, s, 2);
    c->ip = col_str(st, a, s, 3);
}

int ncp_store_pf_config_put(ncp_store_t *st, const ncp_pf_config_t *c, ncp_err_t *err)
{
    static const char q[] = "INSERT INTO pf_configs(no, account_id, zone_no, ip)"
                            " VALUES(?1, ?2, ?3, ?4)";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, c->no);
    bind_int(st, s, 2, c->account_id);
    bind_int(st, s, 3, c->zone_no);
    bind_str(st, s, 4, c->ip);
    return run(st, s, err);
}

int ncp_store_pf_config_of_zone(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                                int64_t zone_no, ncp_pf_config_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT no, account_id, zone_no, ip FROM pf_configs"
                            " WHERE account_id=?1 AND zone_no=?2";
    return ncp_st_get(st, a, q, 2, account_id, zone_no, read_config, out, err);
}

int ncp_store_pf_config_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                            ncp_pf_config_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT no, account_id, zone_no, ip FROM pf_configs"
                            " WHERE account_id=?1 AND no=?2";
    return ncp_st_get(st, a, q, 2, account_id, no, read_config, out, err);
}

int ncp_store_pf_config_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                             ncp_pf_config_cb cb, void *ctx, ncp_err_t *err)
{
    static const char q[] = "SELECT no, account_id, zone_no, ip FROM pf_configs"
                            " WHERE account_id=?1 ORDER BY no";
    void *rows;
    size_t n;
    if (ncp_st_list(st, a, q, 1, account_id, 0, read_config, sizeof(ncp_pf_config_t), &rows, &n,
                    err) < 0)
        return -1;
    const ncp_pf_config_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

int ncp_store_pf_legacy_ip(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t zone_no,
                           const char **ip_out, ncp_err_t *err)
{
    static const char q[] = "SELECT pf_public_ip FROM servers WHERE account_id=?1 AND"
                            " zone_no=?2 AND vpc = 0 AND pf_public_ip <> '' ORDER BY no LIMIT 1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    bind_int(st, s, 2, zone_no);
    int r = first_row(st, s, err);
    if (r < 0)
        return -1;
    *ip_out = "";
    if (r == 1) {
        *ip_out = col_str(st, a, s, 0);
        done(st, s);
    }
    return 0;
}

int ncp_store_pf_zone_servers(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                              int64_t zone_no, int64_t **out, size_t *n_out, ncp_err_t *err)
{
    static const char q[] = "SELECT no FROM servers WHERE account_id=?1 AND zone_no=?2"
                            " AND vpc = 0 ORDER BY no";
    void *rows;
    int r = ncp_st_list(st, a, q, 2, account_id, zone_no, ncp_st_read_int, sizeof(**out), &rows,
                        n_out, err);
    *out = rows;
    return r;
}

static void read_rule(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    (void)a;
    ncp_pf_rule_t *r = row;
    r->config_no = col_int(st, s, 0);
    r->ext_port = (int)col_int(st, s, 1);
    r->server_no = col_int(st, s, 2);
    r->int_port = (int)col_int(st, s, 3);
}

int ncp_store_pf_rule_list(ncp_store_t *st, ncp_arena_t *a, int64_t config_no, ncp_pf_rule_cb cb,
                           void *ctx, ncp_err_t *err)
{
    static const char q[] = "SELECT config_no, ext_port, server_no, int_port FROM pf_rules"
                            " WHERE config_no=?1 ORDER BY ext_port";
    void *rows;
    size_t n;
    if (ncp_st_list(st, a, q, 1, config_no, 0, read_rule, sizeof(ncp_pf_rule_t), &rows, &n,
                    err) < 0)
        return -1;
    const ncp_pf_rule_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

int ncp_store_pf_rule_put(ncp_store_t *st, const ncp_pf_rule_t *r, ncp_err_t *err)
{
    static const char q[] = "INSERT INTO pf_rules(config_no, ext_port, server_no, int_port)"
                            " VALUES(?1, ?2, ?3, ?4)";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, r->config_no);
    bind_int(st, s, 2, r->ext_port);
    bind_int(st, s, 3, r->server_no);
    bind_int(st, s, 4, r->int_port);
    return run(st, s, err);
}

int ncp_store_pf_rule_delete(ncp_store_t *st, int64_t config_no, int ext_port, ncp_err_t *err)
{
    static const char q[] = "DELETE FROM pf_rules WHERE config_no=?1 AND ext_port=?2";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, config_no);
    bind_int(st, s, 2, ext_port);
    return run(st, s, err);
}

int ncp_store_pf_rule_of_server(ncp_store_t *st, int64_t server_no, ncp_pf_rule_t *out,
                                ncp_err_t *err)
{
    static const char q[] = "SELECT config_no, ext_port, server_no, int_port FROM pf_rules"
                            " WHERE server_no=?1";
    return ncp_st_get(st, NULL, q, 1, server_no, 0, read_rule, out, err);
}

int ncp_store_pf_rule_at(ncp_store_t *st, int64_t config_no, int ext_port, ncp_pf_rule_t *out,
                         ncp_err_t *err)
{
    static const char q[] = "SELECT config_no, ext_port, server_no, int_port FROM pf_rules"
                            " WHERE config_no=?1 AND ext_port=?2";
    return ncp_st_get(st, NULL, q, 2, config_no, ext_port, read_rule, out, err);
}

/* ---- private subnets and network interfaces ------------------------------------- */

static void read_subnet(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_subnet_t *v = row;
    v->no = col_int(st, s, 0);
    v->account_id = col_int(st, s, 1);
    v->subnet = col_str(st, a, s, 2);
    v->description = col_str(st, a, s, 3);
    v->zone_no = col_int(st, s, 4);
    v->create_ms = col_int(st, s, 5);
}

int ncp_store_subnet_put(ncp_store_t *st, const ncp_subnet_t *v, ncp_err_t *err)
{
    static const char q[] = "INSERT INTO private_subnets(no, account_id, subnet, description,"
                            " zone_no, create_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v->no);
    bind_int(st, s, 2, v->account_id);
    bind_str(st, s, 3, v->subnet);
    bind_str(st, s, 4, v->description);
    bind_int(st, s, 5, v->zone_no);
    bind_int(st, s, 6, v->create_ms);
    return run(st, s, err);
}

int ncp_store_subnet_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                         ncp_subnet_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT no, account_id, subnet, description, zone_no, create_ms"
                            " FROM private_subnets WHERE no=?1 AND account_id=?2";
    return ncp_st_get(st, a, q, 2, no, account_id, read_subnet, out, err);
}

/* The filter of the paged lists of one account's rows of `table` in `zones`
 * (all zones when NULL). */
typedef struct zoned {
    const char *table;
    int64_t account_id;
    const int64_t *zones;
    size_t n_zones;
} zoned_t;

static void zoned_where(ncp_q_t *q, const void *filter)
{
    const zoned_t *f = filter;
    ncp_buf_printf(&q->sql, " FROM %s", f->table);
    ncp_q_int(q, " WHERE account_id = ?", f->account_id);
    if (f->zones)
        ncp_q_in_ints(q, "zone_no", f->zones, f->n_zones);
}

int ncp_store_subnet_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                          const int64_t *zones, size_t n_zones, int64_t offset, int64_t limit,
                          int64_t *total_out, ncp_subnet_cb cb, void *ctx, ncp_err_t *err)
{
    zoned_t f = {"private_subnets", account_id, zones, n_zones};
    void *rows;
    size_t n;
    if (ncp_q_page(st, a, "no, account_id, subnet, description, zone_no, create_ms",
                   zoned_where, &f, " ORDER BY no", offset, limit, total_out, read_subnet,
                   sizeof(ncp_subnet_t), &rows, &n, err) < 0)
        return -1;
    const ncp_subnet_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

#define NIC_COLS "no, account_id, name, ip, description, subnet_no, server_no, zone_no, create_ms"

static void read_nic(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_nic_t *v = row;
    v->no = col_int(st, s, 0);
    v->account_id = col_int(st, s, 1);
    v->name = col_str(st, a, s, 2);
    v->ip = col_str(st, a, s, 3);
    v->description = col_str(st, a, s, 4);
    v->subnet_no = col_int(st, s, 5);
    v->server_no = col_int(st, s, 6);
    v->zone_no = col_int(st, s, 7);
    v->create_ms = col_int(st, s, 8);
}

int ncp_store_nic_put(ncp_store_t *st, const ncp_nic_t *v, ncp_err_t *err)
{
    static const char q[] = "INSERT INTO nics(" NIC_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                            " ?8, ?9) ON CONFLICT(no) DO UPDATE SET server_no = excluded.server_no";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v->no);
    bind_int(st, s, 2, v->account_id);
    bind_str(st, s, 3, v->name);
    bind_str(st, s, 4, v->ip);
    bind_str(st, s, 5, v->description);
    bind_int(st, s, 6, v->subnet_no);
    bind_int(st, s, 7, v->server_no);
    bind_int(st, s, 8, v->zone_no);
    bind_int(st, s, 9, v->create_ms);
    return run(st, s, err);
}

int ncp_store_nic_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                      ncp_nic_t *out, ncp_err_t *err)
{
    static const char q[] = "SELECT " NIC_COLS " FROM nics WHERE no=?1 AND account_id=?2";
    return ncp_st_get(st, a, q, 2, no, account_id, read_nic, out, err);
}

int ncp_store_nic_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                       const int64_t *zones, size_t n_zones, int64_t offset, int64_t limit,
                       int64_t *total_out, ncp_nic_cb cb, void *ctx, ncp_err_t *err)
{
    zoned_t f = {"nics", account_id, zones, n_zones};
    void *rows;
    size_t n;
    if (ncp_q_page(st, a, NIC_COLS, zoned_where, &f, " ORDER BY no", offset, limit, total_out,
                   read_nic, sizeof(ncp_nic_t), &rows, &n, err) < 0)
        return -1;
    const ncp_nic_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

int ncp_store_nic_delete(ncp_store_t *st, int64_t no, int64_t account_id, ncp_err_t *err)
{
    static const char q[] = "DELETE FROM nics WHERE no=?1";
    if (run1(st, q, no, err) < 0)
        return -1;
    ncp_instance_t in = {no, NCP_KIND_NIC, account_id, true};
    return ncp_store_ops.instance_put(st, &in, err);
}

int ncp_store_nic_ip_taken(ncp_store_t *st, int64_t subnet_no, const char *ip, ncp_err_t *err)
{
    static const char q[] = "SELECT 1 FROM nics WHERE subnet_no=?1 AND ip=?2 LIMIT 1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, subnet_no);
    bind_str(st, s, 2, ip);
    return exists(st, s, err);
}

int ncp_store_nic_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                             ncp_err_t *err)
{
    static const char q[] = "SELECT 1 FROM nics WHERE account_id=?1 AND name=?2 LIMIT 1";
    ncp_db_stmt_t *s = ncp_st_stmt(st, q, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    bind_str(st, s, 2, name);
    return exists(st, s, err);
}

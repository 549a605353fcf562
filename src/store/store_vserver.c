/* store_vserver.c: VPC servers' own fields, ACGs and rules, network
 * interfaces, init scripts and login keys' public keys (store_vserver.h). */
#include "store/store_vserver.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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

static int count_of(ncp_store_t *st, const char *sql, int64_t v, const char *sv, int64_t *out,
                    ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v);
    if (sv)
        bind_str(st, s, 2, sv);
    return one_int(st, s, out, "count", err);
}

static int taken(ncp_store_t *st, const char *sql, int64_t v, const char *sv, ncp_err_t *err)
{
    int64_t n = 0;
    if (count_of(st, sql, v, sv, &n, err) < 0)
        return -1;
    return n > 0;
}

/* ---- servers -------------------------------------------------------------------- */

static const char vserver_put_sql[] =
    "INSERT INTO vservers(no, account_id, vpc_no, subnet_no, region, zone, spec_code, image_no,"
    " hypervisor, encrypted) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT(no) DO UPDATE SET vpc_no = excluded.vpc_no, subnet_no = excluded.subnet_no,"
    " region = excluded.region, zone = excluded.zone, spec_code = excluded.spec_code,"
    " image_no = excluded.image_no, hypervisor = excluded.hypervisor,"
    " encrypted = excluded.encrypted";
static const char vserver_get_sql[] =
    "SELECT vpc_no, subnet_no, region, zone, spec_code, image_no, hypervisor, encrypted"
    " FROM vservers WHERE no=?1";
static const char vserver_nics_sql[] =
    "SELECT no FROM vnics WHERE server_no=?1 ORDER BY device, no";
static const char vserver_pip_sql[] =
    "SELECT no, ip FROM vpublic_ips WHERE server_no=?1 ORDER BY no LIMIT 1";
static const char vserver_del_sql[] = "DELETE FROM vservers WHERE no=?1";
static const char vserver_name_sql[] =
    "SELECT count(*) FROM servers WHERE account_id=?1 AND vpc = 1 AND name=?2";
static const char vserver_nos_sql[] =
    "SELECT v.no FROM vservers v JOIN servers s ON s.no = v.no"
    " WHERE v.account_id=?1 AND (?2 = 0 OR v.vpc_no=?2) ORDER BY v.no";

int ncp_store_vserver_put(ncp_store_t *st, int64_t no, int64_t account_id,
                          const ncp_vserver_t *v, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, vserver_put_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, account_id);
    bind_int(st, s, 3, v->vpc_no);
    bind_int(st, s, 4, v->subnet_no);
    bind_str(st, s, 5, v->region);
    bind_str(st, s, 6, v->zone);
    bind_str(st, s, 7, v->spec_code);
    bind_str(st, s, 8, v->image_no);
    bind_str(st, s, 9, v->hypervisor);
    bind_int(st, s, 10, v->encrypted);
    if (run(st, s, err) < 0)
        return -1;
    return ncp_st_server_mark_vpc(st, no, err); /* out of the classic counts */
}

static void read_vserver(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_vserver_t *out = row;
    out->vpc_no = col_int(st, s, 0);
    out->subnet_no = col_int(st, s, 1);
    out->region = col_str(st, a, s, 2);
    out->zone = col_str(st, a, s, 3);
    out->spec_code = col_str(st, a, s, 4);
    out->image_no = col_str(st, a, s, 5);
    out->hypervisor = col_str(st, a, s, 6);
    out->encrypted = col_int(st, s, 7) != 0;
}

int ncp_store_vserver_get(ncp_store_t *st, ncp_arena_t *a, int64_t no, ncp_vserver_t *out,
                          ncp_err_t *err)
{
    memset(out, 0, sizeof(*out));
    int r = ncp_st_get(st, a, vserver_get_sql, 1, no, 0, read_vserver, out, err);
    if (r != 1)
        return r;

    void *nics;
    size_t n;
    if (ncp_st_list(st, a, vserver_nics_sql, 1, no, 0, ncp_st_read_int, sizeof(int64_t), &nics,
                    &n, err) < 0)
        return -1;
    out->nics = nics;
    out->n_nics = n;

    ncp_db_stmt_t *s = ncp_st_stmt(st, vserver_pip_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, no);
    out->public_ip = "";
    r = first_row(st, s, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        out->public_ip_no = col_int(st, s, 0);
        out->public_ip = col_str(st, a, s, 1);
        done(st, s);
    }
    return 1;
}

int ncp_store_vserver_delete(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    return exec1(st, vserver_del_sql, no, err);
}

int ncp_store_vserver_nos(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t vpc_no,
                          int64_t **out, size_t *n_out, ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, vserver_nos_sql, 2, account_id, vpc_no, ncp_st_read_int,
                        sizeof(**out), &rows, n_out, err);
    *out = rows;
    return r;
}

int ncp_store_vserver_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                                 ncp_err_t *err)
{
    return taken(st, vserver_name_sql, account_id, name, err);
}

/* ---- access control groups ----------------------------------------------------- */

#define ACG_COLS "no, account_id, vpc_no, name, description, status, is_default, create_ms"

static const char acg_put_sql[] =
    "INSERT INTO vacgs(" ACG_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT(no) DO UPDATE SET name = excluded.name, description = excluded.description,"
    " status = excluded.status";
static const char acg_get_sql[] = "SELECT " ACG_COLS " FROM vacgs WHERE no=?1 AND account_id=?2";
static const char acg_list_sql[] =
    "SELECT " ACG_COLS " FROM vacgs WHERE account_id=?1 AND (?2 = 0 OR vpc_no=?2) ORDER BY no";
static const char acg_name_sql[] = "SELECT count(*) FROM vacgs WHERE vpc_no=?1 AND name=?2";
static const char acg_nic_users_sql[] = "SELECT count(*) FROM vnic_acgs WHERE acg_no=?1";
static const char acg_rule_users_sql[] =
    "SELECT count(*) FROM vacg_rules WHERE peer_acg_no=?1 AND acg_no <> ?1";
static const char acg_del_sql[] = "DELETE FROM vacgs WHERE no=?1";
static const char acg_del_rules_sql[] = "DELETE FROM vacg_rules WHERE acg_no=?1";

int ncp_store_vacg_put(ncp_store_t *st, const ncp_vacg_t *g, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, acg_put_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, g->no);
    bind_int(st, s, 2, g->account_id);
    bind_int(st, s, 3, g->vpc_no);
    bind_str(st, s, 4, g->name);
    bind_str(st, s, 5, g->description);
    bind_str(st, s, 6, g->status);
    bind_int(st, s, 7, g->is_default);
    bind_int(st, s, 8, g->create_ms);
    return run(st, s, err);
}

static void read_acg(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_vacg_t *g = row;
    g->no = col_int(st, s, 0);
    g->account_id = col_int(st, s, 1);
    g->vpc_no = col_int(st, s, 2);
    g->name = col_str(st, a, s, 3);
    g->description = col_str(st, a, s, 4);
    g->status = col_str(st, a, s, 5);
    g->is_default = col_int(st, s, 6) != 0;
    g->create_ms = col_int(st, s, 7);
}

int ncp_store_vacg_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                       ncp_vacg_t *out, ncp_err_t *err)
{
    return ncp_st_get(st, a, acg_get_sql, 2, no, account_id, read_acg, out, err);
}

int ncp_store_vacg_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t vpc_no,
                        ncp_vacg_t **out, size_t *n_out, ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, acg_list_sql, 2, account_id, vpc_no, read_acg, sizeof(**out),
                        &rows, n_out, err);
    *out = rows;
    return r;
}

int ncp_store_vacg_name_taken(ncp_store_t *st, int64_t vpc_no, const char *name,
                              ncp_err_t *err)
{
    return taken(st, acg_name_sql, vpc_no, name, err);
}

int ncp_store_vacg_users(ncp_store_t *st, int64_t acg_no, int64_t *nics_out,
                         int64_t *rules_out, ncp_err_t *err)
{
    if (count_of(st, acg_nic_users_sql, acg_no, NULL, nics_out, err) < 0)
        return -1;
    return count_of(st, acg_rule_users_sql, acg_no, NULL, rules_out, err);
}

int ncp_store_vacg_delete(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    if (exec1(st, acg_del_rules_sql, no, err) < 0 || exec1(st, acg_del_sql, no, err) < 0 ||
        ncp_store_v_trans_drop(st, no, err) < 0)
        return -1;
    return ncp_store_v_retire(st, no, NCP_KIND_VACG, err);
}

static const char rule_seq_init_sql[] =
    "INSERT INTO counters(name, next) VALUES('vacg_rule', 1) ON CONFLICT(name) DO NOTHING";
static const char rule_seq_next_sql[] =
    "UPDATE counters SET next = next + 1 WHERE name='vacg_rule' RETURNING next - 1";
static const char rule_put_sql[] =
    "INSERT INTO vacg_rules(no, acg_no, inbound, protocol, ip_block, peer_acg_no, port_range,"
    " description) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char rule_list_sql[] =
    "SELECT no, acg_no, inbound, protocol, ip_block, peer_acg_no, port_range, description"
    " FROM vacg_rules WHERE acg_no=?1 ORDER BY no";
static const char rule_del_sql[] = "DELETE FROM vacg_rules WHERE no=?1";

int ncp_store_vacg_rule_add(ncp_store_t *st, const ncp_vacg_rule_t *r, ncp_err_t *err)
{
    int64_t no = r->no;
    ncp_db_stmt_t *s;
    if (!no) {
        if (!(s = ncp_st_stmt(st, rule_seq_init_sql, err)) || run(st, s, err) < 0 ||
            !(s = ncp_st_stmt(st, rule_seq_next_sql, err)) ||
            one_int(st, s, &no, "rule seq", err) < 0)
            return -1;
    }
    if (!(s = ncp_st_stmt(st, rule_put_sql, err)))
        return -1;
    bind_int(st, s, 1, no);
    bind_int(st, s, 2, r->acg_no);
    bind_int(st, s, 3, r->inbound);
    bind_str(st, s, 4, r->protocol);
    bind_str(st, s, 5, r->ip_block);
    bind_int(st, s, 6, r->peer_acg_no);
    bind_str(st, s, 7, r->port_range);
    bind_str(st, s, 8, r->description);
    return run(st, s, err);
}

static void read_rule(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_vacg_rule_t *x = row;
    x->no = col_int(st, s, 0);
    x->acg_no = col_int(st, s, 1);
    x->inbound = col_int(st, s, 2) != 0;
    x->protocol = col_str(st, a, s, 3);
    x->ip_block = col_str(st, a, s, 4);
    x->peer_acg_no = col_int(st, s, 5);
    x->port_range = col_str(st, a, s, 6);
    x->description = col_str(st, a, s, 7);
}

int ncp_store_vacg_rule_list(ncp_store_t *st, ncp_arena_t *a, int64_t acg_no,
                             ncp_vacg_rule_t **out, size_t *n_out, ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, rule_list_sql, 1, acg_no, 0, read_rule, sizeof(**out), &rows,
                        n_out, err);
    *out = rows;
    return r;
}

int ncp_store_vacg_rule_delete(ncp_store_t *st, int64_t rule_no, ncp_err_t *err)
{
    return exec1(st, rule_del_sql, rule_no, err);
}

/* ---- network interfaces ------------------------------------------------------------ */

#define NIC_COLS                                                                             \
    "no, account_id, vpc_no, subnet_no, name, description, ip, mac, status, server_no,"     \
    " device, is_default, delete_on_term, acg_nos, create_ms"

static const char nic_put_sql[] =
    "INSERT INTO vnics(" NIC_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
    " ?13, ?14, ?15) ON CONFLICT(no) DO UPDATE SET name = excluded.name,"
    " description = excluded.description, status = excluded.status,"
    " server_no = excluded.server_no, device = excluded.device,"
    " is_default = excluded.is_default, delete_on_term = excluded.delete_on_term,"
    " acg_nos = excluded.acg_nos";
static const char nic_get_sql[] = "SELECT " NIC_COLS " FROM vnics WHERE no=?1 AND account_id=?2";
static const char nic_server_sql[] =
    "SELECT " NIC_COLS " FROM vnics WHERE server_no=?1 ORDER BY device, no";
static const char nic_ip_sql[] = "SELECT count(*) FROM vnics WHERE subnet_no=?1 AND ip=?2";
static const char nic_del_sql[] = "DELETE FROM vnics WHERE no=?1";
static const char nic_del_acgs_sql[] = "DELETE FROM vnic_acgs WHERE nic_no=?1";
static const char nic_add_acg_sql[] =
    "INSERT INTO vnic_acgs(nic_no, ord, acg_no) VALUES(?1, ?2, ?3)";

int ncp_store_vnic_put(ncp_store_t *st, const ncp_vnic_t *v, ncp_err_t *err)
{
    char acgs[NCP_NIC_MAX_ACGS * 21];
    size_t o = 0;
    acgs[0] = '\0';
    for (size_t k = 0; k < v->n_acgs && k < NCP_NIC_MAX_ACGS; k++)
        o += (size_t)snprintf(acgs + o, sizeof(acgs) - o, "%s%" PRId64, k ? "," : "",
                              v->acgs[k]);
    ncp_db_stmt_t *s = ncp_st_stmt(st, nic_put_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v->no);
    bind_int(st, s, 2, v->account_id);
    bind_int(st, s, 3, v->vpc_no);
    bind_int(st, s, 4, v->subnet_no);
    bind_str(st, s, 5, v->name);
    bind_str(st, s, 6, v->description);
    bind_str(st, s, 7, v->ip);
    bind_str(st, s, 8, v->mac);
    bind_str(st, s, 9, v->status);
    bind_int(st, s, 10, v->server_no);
    bind_int(st, s, 11, v->device);
    bind_int(st, s, 12, v->is_default);
    bind_int(st, s, 13, v->delete_on_termination);
    bind_str(st, s, 14, acgs);
    bind_int(st, s, 15, v->create_ms);
    if (run(st, s, err) < 0 || exec1(st, nic_del_acgs_sql, v->no, err) < 0)
        return -1;
    for (size_t k = 0; k < v->n_acgs && k < NCP_NIC_MAX_ACGS; k++) {
        if (!(s = ncp_st_stmt(st, nic_add_acg_sql, err)))
            return -1;
        bind_int(st, s, 1, v->no);
        bind_int(st, s, 2, (int64_t)k);
        bind_int(st, s, 3, v->acgs[k]);
        if (run(st, s, err) < 0)
            return -1;
    }
    return 0;
}

static void read_nic(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_vnic_t *v = row;
    memset(v, 0, sizeof(*v));
    v->no = col_int(st, s, 0);
    v->account_id = col_int(st, s, 1);
    v->vpc_no = col_int(st, s, 2);
    v->subnet_no = col_int(st, s, 3);
    v->name = col_str(st, a, s, 4);
    v->description = col_str(st, a, s, 5);
    v->ip = col_str(st, a, s, 6);
    v->mac = col_str(st, a, s, 7);
    v->status = col_str(st, a, s, 8);
    v->server_no = col_int(st, s, 9);
    v->device = (int)col_int(st, s, 10);
    v->is_default = col_int(st, s, 11) != 0;
    v->delete_on_termination = col_int(st, s, 12) != 0;
    const char *p = col_str(st, a, s, 13);
    while (*p && v->n_acgs < NCP_NIC_MAX_ACGS) {
        v->acgs[v->n_acgs++] = strtoll(p, (char **)&p, 10);
        if (*p == ',')
            p++;
        else
            break;
    }
    v->create_ms = col_int(st, s, 14);
}

int ncp_store_vnic_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                      ncp_vnic_t *out, ncp_err_t *err)
{
    return ncp_st_get(st, a, nic_get_sql, 2, no, account_id, read_nic, out, err);
}

int ncp_store_vnic_of_server(ncp_store_t *st, ncp_arena_t *a, int64_t server_no,
                            ncp_vnic_t **out, size_t *n_out, ncp_err_t *err)
{
    void *rows;
    int r = ncp_st_list(st, a, nic_server_sql, 1, server_no, 0, read_nic, sizeof(**out), &rows,
                        n_out, err);
    *out = rows;
    return r;
}

int ncp_store_vnic_ip_taken(ncp_store_t *st, int64_t subnet_no, const char *ip, ncp_err_t *err)
{
    return taken(st, nic_ip_sql, subnet_no, ip, err);
}

int ncp_store_vnic_delete(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    if (exec1(st, nic_del_acgs_sql, no, err) < 0 || exec1(st, nic_del_sql, no, err) < 0 ||
        ncp_store_v_trans_drop(st, no, err) < 0)
        return -1;
    return ncp_store_v_retire(st, no, NCP_KIND_VNIC, err);
}

/* ---- init scripts ------------------------------------------------------------------- */

static const char script_put_sql[] =
    "INSERT INTO init_scripts(no, account_id, name, description, content, os_type, create_ms)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char script_get_sql[] =
    "SELECT no, account_id, name, description, content, os_type, create_ms FROM init_scripts"
    " WHERE no=?1 AND account_id=?2";
static const char script_name_sql[] =
    "SELECT count(*) FROM init_scripts WHERE account_id=?1 AND name=?2";
static const char script_del_sql[] = "DELETE FROM init_scripts WHERE no=?1";

int ncp_store_vscript_put(ncp_store_t *st, const ncp_vscript_t *v, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, script_put_sql, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, v->no);
    bind_int(st, s, 2, v->account_id);
    bind_str(st, s, 3, v->name);
    bind_str(st, s, 4, v->description);
    bind_str(st, s, 5, v->content);
    bind_str(st, s, 6, v->os_type);
    bind_int(st, s, 7, v->create_ms);
    return run(st, s, err);
}

static void read_script(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_vscript_t *out = row;
    out->no = col_int(st, s, 0);
    out->account_id = col_int(st, s, 1);
    out->name = col_str(st, a, s, 2);
    out->description = col_str(st, a, s, 3);
    out->content = col_str(st, a, s, 4);
    out->os_type = col_str(st, a, s, 5);
    out->create_ms = col_int(st, s, 6);
}

int ncp_store_vscript_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                          ncp_vscript_t *out, ncp_err_t *err)
{
    return ncp_st_get(st, a, script_get_sql, 2, no, account_id, read_script, out, err);
}

int ncp_store_vscript_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                                 ncp_err_t *err)
{
    return taken(st, script_name_sql, account_id, name, err);
}

int ncp_store_vscript_delete(ncp_store_t *st, int64_t no, ncp_err_t *err)
{
    if (exec1(st, script_del_sql, no, err) < 0)
        return -1;
    return ncp_store_v_retire(st, no, NCP_KIND_INIT_SCRIPT, err);
}

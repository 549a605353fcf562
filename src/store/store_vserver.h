/* store_vserver.h: the VPC compute API's objects in the store: VPC servers'
 * own fields, access control groups and their rules, network interfaces,
 * init scripts, public keys of login keys (store_vserver.c).
 *
 * Conventions of store.h and store_vpc.h. A VPC server is a servers row
 * (store.h's server_get/server_put, the state machine, the drivers) flagged
 * vpc = 1, which the classic API never lists, plus a vservers row. */
#ifndef NCP_STORE_VSERVER_H
#define NCP_STORE_VSERVER_H
#include "domain/vpc_model.h"
#include "store/store.h"

/* ---- servers ----------------------------------------------------------------- */

/* Writes the VPC fields of server `no` (its servers row exists) and flags the
 * row as a VPC server. v->nics and the public IP are not stored here. */
int ncp_store_vserver_put(ncp_store_t *st, int64_t no, int64_t account_id,
                          const ncp_vserver_t *v, ncp_err_t *err);
/* The VPC fields of server `no`, with its interfaces (eth0 first) and its
 * public IP: 1, or 0 when it has none (not a VPC server). */
int ncp_store_vserver_get(ncp_store_t *st, ncp_arena_t *a, int64_t no, ncp_vserver_t *out,
                          ncp_err_t *err);
int ncp_store_vserver_delete(ncp_store_t *st, int64_t no, ncp_err_t *err);
/* The numbers of the account's VPC servers (of one VPC when vpc_no != 0), in
 * number order, in an arena array. */
int ncp_store_vserver_nos(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t vpc_no,
                          int64_t **out, size_t *n_out, ncp_err_t *err);
/* 1 when a live VPC server of the account has this name */
int ncp_store_vserver_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                                 ncp_err_t *err);

/* ---- access control groups ---------------------------------------------------- */

int ncp_store_vacg_put(ncp_store_t *st, const ncp_vacg_t *g, ncp_err_t *err);
int ncp_store_vacg_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                       ncp_vacg_t *out, ncp_err_t *err);
int ncp_store_vacg_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t vpc_no,
                        ncp_vacg_t **out, size_t *n_out, ncp_err_t *err);
int ncp_store_vacg_name_taken(ncp_store_t *st, int64_t vpc_no, const char *name,
                              ncp_err_t *err);
/* Network interfaces that carry the ACG; rules of other ACGs that name it. */
int ncp_store_vacg_users(ncp_store_t *st, int64_t acg_no, int64_t *nics_out,
                         int64_t *rules_out, ncp_err_t *err);
/* Removes the ACG and its rules and retires its number. */
int ncp_store_vacg_delete(ncp_store_t *st, int64_t no, ncp_err_t *err);

/* r->no 0: a new rule (numbered by the store) */
int ncp_store_vacg_rule_add(ncp_store_t *st, const ncp_vacg_rule_t *r, ncp_err_t *err);
int ncp_store_vacg_rule_list(ncp_store_t *st, ncp_arena_t *a, int64_t acg_no,
                             ncp_vacg_rule_t **out, size_t *n_out, ncp_err_t *err);
int ncp_store_vacg_rule_delete(ncp_store_t *st, int64_t rule_no, ncp_err_t *err);

/* ---- network interfaces --------------------------------------------------------- */

int ncp_store_vnic_put(ncp_store_t *st, const ncp_vnic_t *n, ncp_err_t *err);
int ncp_store_vnic_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                      ncp_vnic_t *out, ncp_err_t *err);
/* the interfaces attached to a server, by device (eth0 first) */
int ncp_store_vnic_of_server(ncp_store_t *st, ncp_arena_t *a, int64_t server_no,
                            ncp_vnic_t **out, size_t *n_out, ncp_err_t *err);
/* 1 when an interface of the subnet has this IP */
int ncp_store_vnic_ip_taken(ncp_store_t *st, int64_t subnet_no, const char *ip, ncp_err_t *err);
/* Removes the interface and retires its number. */
int ncp_store_vnic_delete(ncp_store_t *st, int64_t no, ncp_err_t *err);

/* ---- init scripts ------------------------------------------------------------------ */

int ncp_store_vscript_put(ncp_store_t *st, const ncp_vscript_t *s, ncp_err_t *err);
int ncp_store_vscript_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                          ncp_vscript_t *out, ncp_err_t *err);
int ncp_store_vscript_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                                 ncp_err_t *err);
int ncp_store_vscript_delete(ncp_store_t *st, int64_t no, ncp_err_t *err);

#endif

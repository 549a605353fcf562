/* store_vpc.h: the VPC platform's network objects in the store: VPCs,
 * subnets, network ACLs, route tables (store_vpc.c), and the state columns
 * of every VPC kind for the transition engine (sched/sched_vpc.c).
 *
 * Conventions of store.h: 0/-1, or 1/0/-1 for look-ups; strings in the
 * caller's arena. Get functions take the account: another account's
 * number reads as absent. List functions return every row of the account
 * (narrowed by the VPC when vpc_no != 0), in number order, in an arena
 * array; handlers filter and page (an account holds few of these). */
#ifndef NCP_STORE_VPC_H
#define NCP_STORE_VPC_H
#include "domain/vpc_model.h"
#include "store/store.h"

int ncp_store_vpc_put(ncp_store_t *st, const ncp_vpc_t *v, ncp_err_t *err);
int ncp_store_vpc_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                      ncp_vpc_t *out, ncp_err_t *err);
int ncp_store_vpc_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, ncp_vpc_t **out,
                       size_t *n_out, ncp_err_t *err);
/* 1 when a VPC of the account has this name */
int ncp_store_vpc_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                             ncp_err_t *err);
/* What still lives in a VPC besides its default objects. */
typedef struct ncp_vpc_deps {
    int64_t subnets, nacls, acgs, nics;
} ncp_vpc_deps_t;
int ncp_store_vpc_deps(ncp_store_t *st, int64_t vpc_no, ncp_vpc_deps_t *out, ncp_err_t *err);

int ncp_store_vsubnet_put(ncp_store_t *st, const ncp_vsubnet_t *s, ncp_err_t *err);
int ncp_store_vsubnet_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                         ncp_vsubnet_t *out, ncp_err_t *err);
int ncp_store_vsubnet_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t vpc_no,
                          ncp_vsubnet_t **out, size_t *n_out, ncp_err_t *err);
/* 1 when a subnet of the VPC has this name */
int ncp_store_vsubnet_name_taken(ncp_store_t *st, int64_t vpc_no, const char *name,
                                ncp_err_t *err);
/* network interfaces (so servers too) in the subnet */
int ncp_store_vsubnet_users(ncp_store_t *st, int64_t subnet_no, int64_t *n_out, ncp_err_t *err);

int ncp_store_nacl_put(ncp_store_t *st, const ncp_nacl_t *n, ncp_err_t *err);
int ncp_store_nacl_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                       ncp_nacl_t *out, ncp_err_t *err);
int ncp_store_nacl_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t vpc_no,
                        ncp_nacl_t **out, size_t *n_out, ncp_err_t *err);
int ncp_store_nacl_name_taken(ncp_store_t *st, int64_t vpc_no, const char *name,
                              ncp_err_t *err);
/* subnets the network ACL is applied to */
int ncp_store_nacl_users(ncp_store_t *st, int64_t nacl_no, int64_t *n_out, ncp_err_t *err);

int ncp_store_route_table_put(ncp_store_t *st, const ncp_route_table_t *t, ncp_err_t *err);
int ncp_store_route_table_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                               int64_t vpc_no, ncp_route_table_t **out, size_t *n_out,
                               ncp_err_t *err);

/* ---- every VPC kind (the transition engine, deletions) ---------------------- */

/* Status (and operation, "" for families without one) of object `no` of
 * kind `kind`: 1, or 0 when it is gone. */
int ncp_store_v_state(ncp_store_t *st, ncp_arena_t *a, ncp_kind_t kind, int64_t no,
                      const char **status_out, const char **op_out, ncp_err_t *err);
/* op NULL: unchanged (or none); now_ms: public IPs' lastModifyDate */
int ncp_store_v_set_state(ncp_store_t *st, ncp_kind_t kind, int64_t no, const char *status,
                          const char *op, int64_t now_ms, ncp_err_t *err);
/* Removes an object whose deletion completes (VPC: with its default network
 * ACL, ACG and its rules, and route tables; subnet; network ACL): its rows,
 * its pending transition, and its number retired. */
int ncp_store_v_gone(ncp_store_t *st, ncp_kind_t kind, int64_t no, ncp_err_t *err);
/* The instance row of a number: deleted (numbers are never reused). */
int ncp_store_v_retire(ncp_store_t *st, int64_t no, ncp_kind_t kind, ncp_err_t *err);
/* Drops the pending transition of a number, if any. */
int ncp_store_v_trans_drop(ncp_store_t *st, int64_t no, ncp_err_t *err);

#endif

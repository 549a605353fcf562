/* store_vstorage.h: the VPC platform's block storages and public IPs in the
 * store (store_vstorage.c). Tables of their own (vstorages, vpublic_ips):
 * the classic platform's block storage and public IPs (issue 11) keep
 * theirs; both are numbered from the one instance sequence, so a later
 * merge of the two families can move rows without renumbering. */
#ifndef NCP_STORE_VSTORAGE_H
#define NCP_STORE_VSTORAGE_H
#include "domain/vpc_model.h"
#include "store/store.h"

int ncp_store_vstorage_put(ncp_store_t *st, const ncp_vstorage_t *b, ncp_err_t *err);
int ncp_store_vstorage_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                           ncp_vstorage_t *out, ncp_err_t *err);
/* every block storage of the account (server_no 0), or of one server, by number */
int ncp_store_vstorage_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                            int64_t server_no, ncp_vstorage_t **out, size_t *n_out,
                            ncp_err_t *err);
/* Removes the block storage and retires its number. */
int ncp_store_vstorage_delete(ncp_store_t *st, int64_t no, ncp_err_t *err);

int ncp_store_vpip_put(ncp_store_t *st, const ncp_vpip_t *p, ncp_err_t *err);
int ncp_store_vpip_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                       ncp_vpip_t *out, ncp_err_t *err);
int ncp_store_vpip_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, ncp_vpip_t **out,
                        size_t *n_out, ncp_err_t *err);
/* 1 when any account's public IP has this address */
int ncp_store_vpip_ip_taken(ncp_store_t *st, const char *ip, ncp_err_t *err);
int ncp_store_vpip_delete(ncp_store_t *st, int64_t no, ncp_err_t *err);

#endif

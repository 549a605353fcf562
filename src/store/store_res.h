/* store_res.h: the state of any classic resource other than servers, by its
 * kind (block storage, snapshots, public IPs, NAS volumes, member images):
 * what the transition engine (sched/) needs without knowing the families.
 * Status and operation are codes of domain/rstate.h. */
#ifndef NCP_STORE_RES_H
#define NCP_STORE_RES_H
#include <stdint.h>

#include "domain/model.h"
#include "store/store.h"

/* 1 with its account, status and operation; 0 when there is no such row */
int ncp_store_res_state(ncp_store_t *st, ncp_kind_t kind, int64_t no, int64_t *account_out,
                        int *status_out, int *op_out, ncp_err_t *err);
int ncp_store_res_set_state(ncp_store_t *st, ncp_kind_t kind, int64_t no, int status, int op,
                            ncp_err_t *err);
/* Removes the resource (its row and what hangs on it) and retires its number. */
int ncp_store_res_remove(ncp_store_t *st, ncp_kind_t kind, int64_t no, int64_t account_id,
                         ncp_err_t *err);
/* Block storage of server_no with a pending transition, other than `except`. */
int ncp_store_res_disks_busy(ncp_store_t *st, int64_t server_no, int64_t except, int64_t *n_out,
                             ncp_err_t *err);
/* Member images of server_no being captured (status INIT), other than `except`. */
int ncp_store_res_images_busy(ncp_store_t *st, int64_t server_no, int64_t except,
                              int64_t *n_out, ncp_err_t *err);

#endif

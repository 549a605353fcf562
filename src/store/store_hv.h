/* store_hv.h: what servers on a real hypervisor need from the store
 * (sched/hv.h): the public half of each login key, which goes into the
 * machines' NoCloud seeds, and the number of every server, for the
 * reconciliation with the hypervisor at start-up.
 *
 * Plain functions over one connection (store.h's rules: one thread at a
 * time; reads inside the caller's transaction, or in autocommit). */
#ifndef NCP_STORE_HV_H
#define NCP_STORE_HV_H
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* The OpenSSH public key line of login key `name` (createLoginKey makes it,
 * importLoginKey receives it). The key row must exist. */
int ncp_store_hv_pubkey_set(ncp_store_t *st, int64_t account_id, const char *name,
                            const char *pub, ncp_err_t *err);
/* 1 with *out (arena; "" for keys made before public keys were kept), 0 when
 * there is no such key, -1 on error. */
int ncp_store_hv_pubkey_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                            const char *name, const char **out, ncp_err_t *err);
/* Up to `max` server numbers greater than `after`, ascending, into out;
 * their count in *n_out (fewer than max: the last page). */
int ncp_store_hv_servers(ncp_store_t *st, int64_t after, size_t max, int64_t *out,
                         size_t *n_out, ncp_err_t *err);

#endif

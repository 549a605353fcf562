/* store_seed.h: the parts of the seed fixture that issue 11 added (public
 * IPs, port-forwarding configurations, private subnets), written for an
 * account with their instance numbers. */
#ifndef NCP_STORE_SEED_H
#define NCP_STORE_SEED_H
#include <stdint.h>

#include "domain/fixture.h"
#include "store/store.h"

int ncp_store_seed_extras(ncp_store_t *st, const ncp_fixture_t *f, int64_t account_id,
                          ncp_err_t *err);

#endif

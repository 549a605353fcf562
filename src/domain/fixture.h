/* fixture.h: the seed fixture (DECISIONS D8): the seed's server 1021003 and
 * a few more running and stopped servers, as data for the store to insert;
 * account_id 0 in every row stands for the bootstrap account. */
#ifndef NCP_FIXTURE_H
#define NCP_FIXTURE_H
#include <stddef.h>

#include "domain/model.h"

typedef struct ncp_fixture {
    const ncp_acg_t *acgs;      /* account_id 0 = the bootstrap account */
    size_t n_acgs;
    const ncp_server_t *servers;
    size_t n_servers;
    const ncp_login_key_t *keys;
    size_t n_keys;
    int64_t next_no;            /* first free instance number after the fixture */
    /* issue 11: the seed server's public IP, the account's port-forwarding
     * configurations (DECISIONS D11: 106.10.51.90 in KR-2) and private subnets */
    const ncp_public_ip_t *public_ips;
    size_t n_public_ips;
    const ncp_pf_config_t *pf_configs;
    size_t n_pf_configs;
    const ncp_subnet_t *subnets;
    size_t n_subnets;
} ncp_fixture_t;

const ncp_fixture_t *ncp_fixture_seed(void);

#endif

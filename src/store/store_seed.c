/* store_seed.c: see store_seed.h. */
#include "store/store_seed.h"

#include "store/store_net.h"

int ncp_store_seed_extras(ncp_store_t *st, const ncp_fixture_t *f, int64_t account_id,
                          ncp_err_t *err)
{
    const ncp_store_ops_t *so = &ncp_store_ops;
    for (size_t i = 0; i < f->n_public_ips; i++) {
        ncp_public_ip_t ip = f->public_ips[i];
        ip.account_id = account_id;
        ncp_instance_t in = {ip.no, NCP_KIND_PUBLIC_IP, account_id, false};
        if (ncp_store_ip_put(st, &ip, err) < 0 || so->instance_put(st, &in, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < f->n_pf_configs; i++) {
        ncp_pf_config_t c = f->pf_configs[i];
        c.account_id = account_id;
        ncp_instance_t in = {c.no, NCP_KIND_PF_CONFIG, account_id, false};
        if (ncp_store_pf_config_put(st, &c, err) < 0 || so->instance_put(st, &in, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < f->n_subnets; i++) {
        ncp_subnet_t s = f->subnets[i];
        s.account_id = account_id;
        ncp_instance_t in = {s.no, NCP_KIND_SUBNET, account_id, false};
        if (ncp_store_subnet_put(st, &s, err) < 0 || so->instance_put(st, &in, err) < 0)
            return -1;
    }
    return 0;
}

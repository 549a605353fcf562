/* store_net.h: public IPs, port forwarding, private subnets, network
 * interfaces, and the server fields that follow them (publicIp, the port
 * forwarding ports, the internet line). Every change of a server field bumps
 * the server's version (its rendering cache key). */
#ifndef NCP_STORE_NET_H
#define NCP_STORE_NET_H
#include <stdbool.h>
#include <stdint.h>

#include "domain/model.h"
#include "store/store.h"
#include "util/arena.h"

/* ---- public IPs ------------------------------------------------------------ */

typedef struct ncp_ip_filter {
    int64_t account_id;
    int associated;            /* -1 any, 0 free, 1 associated */
    const int64_t *nos;
    size_t n_nos;
    const char *const *ips;
    size_t n_ips;
    const char *ip_substr;          /* in the address */
    const char *server_name_substr; /* in the associated server's name */
    const char *line;               /* PUBLC / GLBL, NULL any */
    const int64_t *zones;
    size_t n_zones;
    bool sort_by_ip, descending;
    int64_t offset, limit;
} ncp_ip_filter_t;

typedef int (*ncp_public_ip_cb)(void *ctx, const ncp_public_ip_t *ip);

int ncp_store_ip_put(ncp_store_t *st, const ncp_public_ip_t *ip, ncp_err_t *err);
int ncp_store_ip_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                     ncp_public_ip_t *out, ncp_err_t *err);
/* the IP associated (or being associated) with a server: 1/0/-1 */
int ncp_store_ip_of_server(ncp_store_t *st, ncp_arena_t *a, int64_t server_no,
                           ncp_public_ip_t *out, ncp_err_t *err);
int ncp_store_ip_list(ncp_store_t *st, ncp_arena_t *a, const ncp_ip_filter_t *f,
                      int64_t *total_out, ncp_public_ip_cb cb, void *ctx, ncp_err_t *err);
int ncp_store_ip_set_server(ncp_store_t *st, int64_t no, int64_t server_no, ncp_err_t *err);
/* 1 when some public IP or port-forwarding address is `ip` */
int ncp_store_ip_taken(ncp_store_t *st, const char *ip, ncp_err_t *err);
int ncp_store_ip_count(ncp_store_t *st, int64_t account_id, int64_t *n_out, ncp_err_t *err);

/* ---- servers' own fields ------------------------------------------------------- */

int ncp_store_server_set_public_ip(ncp_store_t *st, int64_t server_no, const char *ip,
                                   ncp_err_t *err);
int ncp_store_server_set_pf_ports(ncp_store_t *st, int64_t server_no, int ext_port,
                                  int int_port, ncp_err_t *err);
int ncp_store_server_count(ncp_store_t *st, int64_t account_id, int64_t *n_out, ncp_err_t *err);
/* PUBLC unless createServerInstances asked for another line */
int ncp_store_server_line_get(ncp_store_t *st, ncp_arena_t *a, int64_t server_no,
                              const char **line_out, ncp_err_t *err);
int ncp_store_server_line_put(ncp_store_t *st, int64_t server_no, const char *line,
                              ncp_err_t *err);
/* What a gone server leaves in this family: its rules, NICs detached, extras. */
int ncp_store_net_server_gone(ncp_store_t *st, int64_t server_no, ncp_err_t *err);

/* ---- port forwarding -------------------------------------------------------------- */

typedef int (*ncp_pf_config_cb)(void *ctx, const ncp_pf_config_t *c);
typedef int (*ncp_pf_rule_cb)(void *ctx, const ncp_pf_rule_t *r);

int ncp_store_pf_config_put(ncp_store_t *st, const ncp_pf_config_t *c, ncp_err_t *err);
/* the account's configuration in a zone: 1/0/-1 */
int ncp_store_pf_config_of_zone(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                                int64_t zone_no, ncp_pf_config_t *out, ncp_err_t *err);
int ncp_store_pf_config_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                            ncp_pf_config_t *out, ncp_err_t *err);
int ncp_store_pf_config_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                             ncp_pf_config_cb cb, void *ctx, ncp_err_t *err);
/* The pf address of some server of the account in the zone ("" when none):
 * what a database older than the configurations shows (adopted). */
int ncp_store_pf_legacy_ip(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t zone_no,
                           const char **ip_out, ncp_err_t *err);
/* The account's live servers of a zone, by number (serverInstanceNoList). */
int ncp_store_pf_zone_servers(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                              int64_t zone_no, int64_t **out, size_t *n_out, ncp_err_t *err);
int ncp_store_pf_rule_list(ncp_store_t *st, ncp_arena_t *a, int64_t config_no, ncp_pf_rule_cb cb,
                           void *ctx, ncp_err_t *err);
int ncp_store_pf_rule_put(ncp_store_t *st, const ncp_pf_rule_t *r, ncp_err_t *err);
int ncp_store_pf_rule_delete(ncp_store_t *st, int64_t config_no, int ext_port, ncp_err_t *err);
/* the rule of a server / at an external port: 1/0/-1 */
int ncp_store_pf_rule_of_server(ncp_store_t *st, int64_t server_no, ncp_pf_rule_t *out,
                                ncp_err_t *err);
int ncp_store_pf_rule_at(ncp_store_t *st, int64_t config_no, int ext_port, ncp_pf_rule_t *out,
                         ncp_err_t *err);

/* ---- private subnets and network interfaces -------------------------------------- */

typedef int (*ncp_subnet_cb)(void *ctx, const ncp_subnet_t *s);
typedef int (*ncp_nic_cb)(void *ctx, const ncp_nic_t *n);

int ncp_store_subnet_put(ncp_store_t *st, const ncp_subnet_t *s, ncp_err_t *err);
int ncp_store_subnet_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                         ncp_subnet_t *out, ncp_err_t *err);
int ncp_store_subnet_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                          const int64_t *zones, size_t n_zones, int64_t offset, int64_t limit,
                          int64_t *total_out, ncp_subnet_cb cb, void *ctx, ncp_err_t *err);
int ncp_store_nic_put(ncp_store_t *st, const ncp_nic_t *n, ncp_err_t *err);
int ncp_store_nic_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id, int64_t no,
                      ncp_nic_t *out, ncp_err_t *err);
int ncp_store_nic_list(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                       const int64_t *zones, size_t n_zones, int64_t offset, int64_t limit,
                       int64_t *total_out, ncp_nic_cb cb, void *ctx, ncp_err_t *err);
int ncp_store_nic_delete(ncp_store_t *st, int64_t no, int64_t account_id, ncp_err_t *err);
/* 1 when a NIC of the subnet has this address, or a NIC of the account this name */
int ncp_store_nic_ip_taken(ncp_store_t *st, int64_t subnet_no, const char *ip, ncp_err_t *err);
int ncp_store_nic_name_taken(ncp_store_t *st, int64_t account_id, const char *name,
                             ncp_err_t *err);

#endif

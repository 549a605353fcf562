/* vnet.h: IPv4 addresses and CIDR blocks of VPC networks (vnet.c).
 *
 * Parsing is strict (dotted decimal, no leading zeros, no spaces): what the
 * platform accepts as ipv4CidrBlock / subnet / ip, and what ncpd echoes. */
#ifndef NCP_VNET_H
#define NCP_VNET_H
#include <stdbool.h>
#include <stdint.h>

typedef struct ncp_cidr {
    uint32_t addr; /* host order */
    int prefix;    /* 0..32 */
} ncp_cidr_t;

/* "a.b.c.d" -> addr; -1 when malformed. */
int ncp_ip_parse(const char *s, uint32_t *out);
/* addr -> "a.b.c.d" (out: 16 bytes). */
char *ncp_ip_fmt(uint32_t addr, char out[16]);
/* "a.b.c.d/n" -> cidr; -1 when malformed. */
int ncp_cidr_parse(const char *s, ncp_cidr_t *out);
/* No host bit set (10.0.0.0/16, not 10.0.0.1/16). */
bool ncp_cidr_aligned(const ncp_cidr_t *c);
/* Entirely inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918). */
bool ncp_cidr_private(const ncp_cidr_t *c);
bool ncp_cidr_contains(const ncp_cidr_t *outer, const ncp_cidr_t *inner);
bool ncp_cidr_has_ip(const ncp_cidr_t *c, uint32_t ip);
bool ncp_cidr_overlap(const ncp_cidr_t *a, const ncp_cidr_t *b);
/* Number of the first and last address of the block. */
uint32_t ncp_cidr_first(const ncp_cidr_t *c);
uint32_t ncp_cidr_last(const ncp_cidr_t *c);

#endif

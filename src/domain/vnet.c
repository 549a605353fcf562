/* vnet.c: see vnet.h. */
#include "domain/vnet.h"

#include <stdio.h>
#include <string.h>

/* A decimal 0..max without leading zeros, ending at *end; -1 otherwise. */
static long dec(const char *s, const char **end, long max)
{
    if (*s < '0' || *s > '9')
        return -1;
    if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
        return -1;
    long v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
        if (v > max)
            return -1;
    }
    *end = s;
    return v;
}

static int ip_at(const char *s, const char **end, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        long o = dec(s, &s, 255);
        if (o < 0 || (i < 3 && *s++ != '.'))
            return -1;
        v = v << 8 | (uint32_t)o;
    }
    *end = s;
    *out = v;
    return 0;
}

int ncp_ip_parse(const char *s, uint32_t *out)
{
    const char *end;
    if (!s || ip_at(s, &end, out) < 0 || *end)
        return -1;
    return 0;
}

char *ncp_ip_fmt(uint32_t a, char out[16])
{
    snprintf(out, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    return out;
}

int ncp_cidr_parse(const char *s, ncp_cidr_t *out)
{
    const char *end;
    if (!s || ip_at(s, &end, &out->addr) < 0 || *end != '/')
        return -1;
    long p = dec(end + 1, &end, 32);
    if (p < 0 || *end)
        return -1;
    out->prefix = (int)p;
    return 0;
}

static uint32_t mask(int prefix)
{
    return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
}

bool ncp_cidr_aligned(const ncp_cidr_t *c)
{
    return (c->addr & ~mask(c->prefix)) == 0;
}

uint32_t ncp_cidr_first(const ncp_cidr_t *c)
{
    return c->addr & mask(c->prefix);
}

uint32_t ncp_cidr_last(const ncp_cidr_t *c)
{
    return ncp_cidr_first(c) | ~mask(c->prefix);
}

bool ncp_cidr_contains(const ncp_cidr_t *outer, const ncp_cidr_t *inner)
{
    return inner->prefix >= outer->prefix &&
           (inner->addr & mask(outer->prefix)) == (outer->addr & mask(outer->prefix));
}

bool ncp_cidr_has_ip(const ncp_cidr_t *c, uint32_t ip)
{
    return (ip & mask(c->prefix)) == (c->addr & mask(c->prefix));
}

bool ncp_cidr_overlap(const ncp_cidr_t *a, const ncp_cidr_t *b)
{
    int p = a->prefix < b->prefix ? a->prefix : b->prefix;
    return (a->addr & mask(p)) == (b->addr & mask(p));
}

bool ncp_cidr_private(const ncp_cidr_t *c)
{
    static const ncp_cidr_t rfc1918[] = {
        {0x0a000000u, 8}, {0xac100000u, 12}, {0xc0a80000u, 16}};
    for (size_t i = 0; i < sizeof(rfc1918) / sizeof(rfc1918[0]); i++)
        if (ncp_cidr_contains(&rfc1918[i], c))
            return true;
    return false;
}

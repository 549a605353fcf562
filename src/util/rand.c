/* rand.c: request ids come from a per-thread generator seeded by the kernel,
 * so the hot path never makes a system call; secrets always use getrandom. */
#include "util/rand.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void ncp_rand_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n) {
        ssize_t r = getrandom(p, n, 0);
        if (r <= 0)
            abort();
        p += r;
        n -= (size_t)r;
    }
}

static _Thread_local uint64_t rs[2];

static uint64_t next(void)
{
    if (!rs[0] && !rs[1])
        ncp_rand_bytes(rs, sizeof(rs));
    uint64_t s1 = rs[0];
    const uint64_t s0 = rs[1];
    rs[0] = s0;
    s1 ^= s1 << 23;
    rs[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return rs[1] + s0;
}

void ncp_rand_uuid(char out[37])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t a = next(), b = next();
    unsigned char u[16];
    memcpy(u, &a, 8);
    memcpy(u + 8, &b, 8);
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
    int j = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[j++] = '-';
        out[j++] = hex[u[i] >> 4];
        out[j++] = hex[u[i] & 15];
    }
    out[j] = '\0';
}

void ncp_rand_string(char *out, size_t n, const char *alphabet)
{
    size_t k = strlen(alphabet);
    unsigned char r[64];
    size_t i = 0;
    while (i < n) {
        ncp_rand_bytes(r, sizeof(r));
        for (size_t j = 0; j < sizeof(r) && i < n; j++) {
            /* rejection sampling keeps the distribution uniform */
            if (r[j] >= 256 - (256 % k))
                continue;
            out[i++] = alphabet[r[j] % k];
        }
    }
    out[n] = '\0';
}

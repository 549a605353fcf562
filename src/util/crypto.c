/* crypto.c: see crypto.h. */
#include "util/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <string.h>

#include "util/rand.h"

void ncp_hmac_sha256_b64(const void *key, size_t key_len, const void *msg, size_t msg_len,
                         char out[45])
{
    unsigned char mac[32];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), key, (int)key_len, msg, msg_len, mac, &mac_len);
    EVP_EncodeBlock((unsigned char *)out, mac, (int)mac_len);
}

void ncp_sha256(const void *data, size_t len, uint8_t out[32])
{
    SHA256(data, len, out);
}

bool ncp_ct_streq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return false;
    return CRYPTO_memcmp(a, b, la) == 0;
}

int ncp_seal(const uint8_t key[NCP_MASTER_KEY_LEN], const void *plain, size_t len, uint8_t *out)
{
    int ret = -1, n = 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c)
        return -1;
    ncp_rand_bytes(out, 12);
    if (EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, out) != 1)
        goto cleanup;
    if (EVP_EncryptUpdate(c, out + 12, &n, plain, (int)len) != 1)
        goto cleanup;
    int m = 0;
    if (EVP_EncryptFinal_ex(c, out + 12 + n, &m) != 1)
        goto cleanup;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out + 12 + len) != 1)
        goto cleanup;
    ret = 0;
cleanup:
    EVP_CIPHER_CTX_free(c);
    return ret;
}

int ncp_unseal(const uint8_t key[NCP_MASTER_KEY_LEN], const uint8_t *sealed, size_t sealed_len,
               void *out)
{
    if (sealed_len < NCP_SEAL_OVERHEAD)
        return -1;
    size_t len = sealed_len - NCP_SEAL_OVERHEAD;
    int ret = -1, n = 0, m = 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c)
        return -1;
    if (EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, sealed) != 1)
        goto cleanup;
    if (EVP_DecryptUpdate(c, out, &n, sealed + 12, (int)len) != 1)
        goto cleanup;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, (void *)(sealed + 12 + len)) != 1)
        goto cleanup;
    if (EVP_DecryptFinal_ex(c, (unsigned char *)out + n, &m) != 1)
        goto cleanup;
    ret = 0;
cleanup:
    EVP_CIPHER_CTX_free(c);
    return ret;
}

void ncp_hex(const void *data, size_t len, char *out)
{
    static const char h[] = "0123456789abcdef";
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = h[p[i] >> 4];
        out[2 * i + 1] = h[p[i] & 15];
    }
    out[2 * len] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ncp_unhex(const char *hex, void *out, size_t out_len)
{
    uint8_t *p = out;
    if (strlen(hex) != 2 * out_len)
        return -1;
    for (size_t i = 0; i < out_len; i++) {
        int a = hexval(hex[2 * i]), b = hexval(hex[2 * i + 1]);
        if (a < 0 || b < 0)
            return -1;
        p[i] = (uint8_t)(a << 4 | b);
    }
    return 0;
}

size_t ncp_b64_encode(const void *data, size_t len, char *out)
{
    return (size_t)EVP_EncodeBlock((unsigned char *)out, data, (int)len);
}

long ncp_b64_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
    static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (len % 4)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        uint32_t v = 0;
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            char c = in[i + k];
            if (c == '=' && i + 4 == len && k >= 2) {
                pad++;
                v <<= 6;
                continue;
            }
            if (pad)
                return -1;
            const char *p = c ? strchr(tbl, c) : NULL;
            if (!p)
                return -1;
            v = v << 6 | (uint32_t)(p - tbl);
        }
        uint8_t b[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
        for (int k = 0; k < 3 - pad; k++) {
            if (o >= cap)
                return -1;
            out[o++] = b[k];
        }
    }
    return (long)o;
}

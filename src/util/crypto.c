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

int ncp_hex_digit(char c)
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
        int a = ncp_hex_digit(hex[2 * i]), b = ncp_hex_digit(hex[2 * i + 1]);
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

/* ---- login keys --------------------------------------------------------- */

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdlib.h>

#include "util/buf.h"

static void put_u32(ncp_buf_t *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    ncp_buf_append(b, x, 4);
}

static void put_mpint(ncp_buf_t *b, const BIGNUM *bn)
{
    int n = BN_num_bytes(bn);
    unsigned char *tmp = malloc((size_t)n + 1);
    if (!tmp)
        abort();
    tmp[0] = 0;
    BN_bn2bin(bn, tmp + 1);
    int lead = (n > 0 && (tmp[1] & 0x80)) ? 1 : 0; /* keep it positive */
    put_u32(b, (uint32_t)(n + lead));
    ncp_buf_append(b, tmp + 1 - lead, (size_t)(n + lead));
    free(tmp);
}

static void md5_fingerprint(const void *blob, size_t len, char out[NCP_FINGERPRINT_LEN])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int ml = 0;
    EVP_Digest(blob, len, md, &ml, EVP_md5(), NULL);
    static const char h[] = "0123456789abcdef";
    size_t o = 0;
    for (unsigned i = 0; i < ml && i < 16; i++) {
        if (i)
            out[o++] = ':';
        out[o++] = h[md[i] >> 4];
        out[o++] = h[md[i] & 15];
    }
    out[o] = '\0';
}

/* OpenSSH wire form of an RSA public key: string "ssh-rsa", mpint e, mpint n;
 * its MD5 fingerprint, and (pub_out != NULL) its OpenSSH line "ssh-rsa BASE64"
 * (caller frees). */
static int rsa_public(EVP_PKEY *pk, char fp[NCP_FINGERPRINT_LEN], char **pub_out)
{
    BIGNUM *n = NULL, *e = NULL;
    if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA ||
        !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) ||
        !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e)) {
        BN_free(n);
        BN_free(e);
        return -1;
    }
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    put_u32(&b, 7);
    ncp_buf_append(&b, "ssh-rsa", 7);
    put_mpint(&b, e);
    put_mpint(&b, n);
    md5_fingerprint(b.data, b.len, fp);
    if (pub_out) {
        char *line = malloc(8 + 4 * ((b.len + 2) / 3) + 1);
        if (!line)
            abort();
        memcpy(line, "ssh-rsa ", 8);
        ncp_b64_encode(b.data, b.len, line + 8);
        *pub_out = line;
    }
    ncp_buf_release(&b);
    BN_free(n);
    BN_free(e);
    return 0;
}

int ncp_rsa_new(char **pem_out, char fp_out[NCP_FINGERPRINT_LEN])
{
    return ncp_rsa_new_pub(pem_out, NULL, fp_out);
}

int ncp_rsa_new_pub(char **pem_out, char **pub_out, char fp_out[NCP_FINGERPRINT_LEN])
{
    int ret = -1;
    EVP_PKEY *pk = EVP_RSA_gen(2048);
    OSSL_ENCODER_CTX *ec = NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    if (!pk)
        return -1;
    ec = OSSL_ENCODER_CTX_new_for_pkey(pk, EVP_PKEY_KEYPAIR, "PEM", "type-specific", NULL);
    if (!ec || !OSSL_ENCODER_to_data(ec, &data, &len))
        goto cleanup;
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    *pem_out = malloc(len + 1);
    if (!*pem_out)
        abort();
    memcpy(*pem_out, data, len);
    (*pem_out)[len] = '\0';
    ret = rsa_public(pk, fp_out, pub_out);
    if (ret < 0) {
        OPENSSL_cleanse(*pem_out, len);
        free(*pem_out);
        *pem_out = NULL;
    }
cleanup:
    if (data)
        OPENSSL_clear_free(data, len);
    OSSL_ENCODER_CTX_free(ec);
    EVP_PKEY_free(pk);
    return ret;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ncp_ssh_pubkey_fingerprint(const char *line, size_t len, char fp_out[NCP_FINGERPRINT_LEN])
{
    /* "type base64 [comment]" */
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t t0 = i;
    while (i < len && line[i] != ' ' && line[i] != '\t')
        i++;
    size_t tl = i - t0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t b0 = i;
    while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\n' && line[i] != '\r')
        i++;
    size_t bl = i - b0;
    if (tl < 5 || tl > 64 || strncmp(line + t0, "ssh-", 4) != 0 || bl < 16 || bl > 16384)
        return -1;
    uint8_t *blob = malloc(bl);
    if (!blob)
        abort();
    long n = ncp_b64_decode(line + b0, bl, blob, bl);
    int ret = -1;
    /* the blob must start with the same type string, then the key material */
    if (n < 4 + (long)tl + 4 || get_u32(blob) != tl || memcmp(blob + 4, line + t0, tl) != 0)
        goto cleanup;
    if (tl == 7 && memcmp(line + t0, "ssh-rsa", 7) == 0) {
        /* e and n must both be there */
        size_t off = 4 + tl;
        for (int k = 0; k < 2; k++) {
            if (off + 4 > (size_t)n)
                goto cleanup;
            uint32_t l = get_u32(blob + off);
            if (l == 0 || off + 4 + l > (size_t)n)
                goto cleanup;
            off += 4 + l;
        }
        if (off != (size_t)n)
            goto cleanup;
    }
    md5_fingerprint(blob, (size_t)n, fp_out);
    ret = 0;
cleanup:
    free(blob);
    return ret;
}

int ncp_private_key_fingerprint(const char *pem, size_t len, char fp_out[NCP_FINGERPRINT_LEN])
{
    char *text = malloc(len + 2);
    if (!text)
        abort();
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (pem[i] == '\\' && i + 1 < len && pem[i + 1] == 'n') {
            text[o++] = '\n';
            i++;
        } else if (pem[i] != '\r') {
            text[o++] = pem[i];
        }
    }
    text[o++] = '\n';
    text[o] = '\0';
    int ret = -1;
    BIO *bio = BIO_new_mem_buf(text, (int)o);
    EVP_PKEY *pk = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"") : NULL;
    if (pk)
        ret = rsa_public(pk, fp_out, NULL);
    EVP_PKEY_free(pk);
    BIO_free(bio);
    free(text);
    return ret;
}

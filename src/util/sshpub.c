/* sshpub.c: see sshpub.h. The OpenSSH wire form of an RSA public key is
 * string "ssh-rsa", mpint e, mpint n (RFC 4253 §6.6), base64 after "ssh-rsa ". */
#include "util/sshpub.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/crypto.h"

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

int ncp_ssh_public_of_pem(const char *pem, size_t len, char **line_out)
{
    int ret = -1;
    *line_out = NULL;
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    EVP_PKEY *pk = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"") : NULL;
    BIGNUM *n = NULL, *e = NULL;
    if (!pk || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA ||
        !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) ||
        !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e))
        goto cleanup;
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    put_u32(&b, 7);
    ncp_buf_append(&b, "ssh-rsa", 7);
    put_mpint(&b, e);
    put_mpint(&b, n);
    char *line = malloc(8 + 4 * ((b.len + 2) / 3) + 1);
    if (!line)
        abort();
    memcpy(line, "ssh-rsa ", 8);
    ncp_b64_encode(b.data, b.len, line + 8);
    ncp_buf_release(&b);
    *line_out = line;
    ret = 0;
cleanup:
    BN_free(n);
    BN_free(e);
    EVP_PKEY_free(pk);
    BIO_free(bio);
    return ret;
}

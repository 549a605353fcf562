/* crypto.h: the few primitives ncpd needs, on top of OpenSSL's libcrypto.
 *
 * Secrets at rest are sealed with AES-256-GCM under a 32-byte master key
 * that never enters the database (see DEVELOPERS/issue: a stolen database
 * file reveals no secret). Sealed form: 12-byte nonce | ciphertext | 16-byte tag. */
#ifndef NCP_CRYPTO_H
#define NCP_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NCP_MASTER_KEY_LEN 32
#define NCP_SEAL_OVERHEAD (12 + 16)

/* Base64 of HMAC-SHA256(key, msg) into out (>= 45 bytes). */
void ncp_hmac_sha256_b64(const void *key, size_t key_len, const void *msg, size_t msg_len,
                         char out[45]);
void ncp_sha256(const void *data, size_t len, uint8_t out[32]);
/* Constant-time equality of two NUL-terminated strings. */
bool ncp_ct_streq(const char *a, const char *b);
/* out must hold len + NCP_SEAL_OVERHEAD bytes. */
int ncp_seal(const uint8_t key[NCP_MASTER_KEY_LEN], const void *plain, size_t len, uint8_t *out);
/* out must hold sealed_len - NCP_SEAL_OVERHEAD bytes; -1 when tampered or wrong key. */
int ncp_unseal(const uint8_t key[NCP_MASTER_KEY_LEN], const uint8_t *sealed, size_t sealed_len,
               void *out);
void ncp_hex(const void *data, size_t len, char *out); /* out: 2*len+1 */
int ncp_unhex(const char *hex, void *out, size_t out_len); /* exact length, -1 on error */
int ncp_hex_digit(char c); /* 0..15, or -1 when c is not a hex digit (either case) */
/* Standard base64 (with padding); out needs 4*ceil(len/3)+1. Returns length. */
size_t ncp_b64_encode(const void *data, size_t len, char *out);
/* Decodes standard base64 (whitespace not allowed); -1 on error. */
long ncp_b64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

#endif

/* ---- login keys (RSA, OpenSSH fingerprints) ----------------------------- */

#define NCP_FINGERPRINT_LEN 48 /* "aa:bb:..:pp" (47) + NUL */

/* A new RSA 2048 key: PKCS#1 PEM private key (caller frees *pem_out) and
 * the MD5 fingerprint of its OpenSSH public key blob. */
int ncp_rsa_new(char **pem_out, char fp_out[NCP_FINGERPRINT_LEN]);
/* The same, plus its OpenSSH public key line "ssh-rsa BASE64" in *pub_out
 * (NULL: not wanted; caller frees), for the machines it opens. */
int ncp_rsa_new_pub(char **pem_out, char **pub_out, char fp_out[NCP_FINGERPRINT_LEN]);
/* Fingerprint of an OpenSSH public key line ("ssh-rsa AAAA... comment"). */
int ncp_ssh_pubkey_fingerprint(const char *line, size_t len, char fp_out[NCP_FINGERPRINT_LEN]);
/* Fingerprint of the public half of a PEM private key; literal "\n"
 * sequences are taken as line breaks (getRootPassword clients send them). */
int ncp_private_key_fingerprint(const char *pem, size_t len, char fp_out[NCP_FINGERPRINT_LEN]);

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
/* Standard base64 (with padding); out needs 4*ceil(len/3)+1. Returns length. */
size_t ncp_b64_encode(const void *data, size_t len, char *out);
/* Decodes standard base64 (whitespace not allowed); -1 on error. */
long ncp_b64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

#endif

/* rand.h: random bytes (kernel CSPRNG) and UUID v4 request ids. */
#ifndef NCP_RAND_H
#define NCP_RAND_H
#include <stddef.h>

void ncp_rand_bytes(void *buf, size_t n);          /* aborts if the kernel refuses */
void ncp_rand_uuid(char out[37]);                  /* lower-case UUID v4 text */
/* n random characters from `alphabet` into out, NUL-terminated (out has n+1). */
void ncp_rand_string(char *out, size_t n, const char *alphabet);

#endif

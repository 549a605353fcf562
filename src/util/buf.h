/* buf.h: growable byte buffer with a hard cap (curl dynbuf style).
 *
 * Appends past `max` fail with -1 and set `over`; the buffer keeps what it
 * had. The content is always NUL-terminated (not counted in len). */
#ifndef NCP_BUF_H
#define NCP_BUF_H
#include <stdbool.h>
#include <stddef.h>

typedef struct ncp_buf {
    char *data;
    size_t len, cap, max;
    bool over;
} ncp_buf_t;

void ncp_buf_init(ncp_buf_t *b, size_t max);
void ncp_buf_release(ncp_buf_t *b);              /* NULL-safe, reusable after */
void ncp_buf_clear(ncp_buf_t *b);                /* len = 0, keeps memory */
int ncp_buf_append(ncp_buf_t *b, const void *p, size_t n);
int ncp_buf_puts(ncp_buf_t *b, const char *s);
int ncp_buf_putc(ncp_buf_t *b, char c);
int ncp_buf_printf(ncp_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ncp_buf_truncate(ncp_buf_t *b, size_t len);
char *ncp_buf_take(ncp_buf_t *b, size_t *len_out); /* caller frees; buffer emptied */

#endif

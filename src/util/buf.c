/* buf.c: see buf.h. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ncp_buf_init(ncp_buf_t *b, size_t max)
{
    memset(b, 0, sizeof(*b));
    b->max = max ? max : (size_t)-1 / 2;
}

void ncp_buf_release(ncp_buf_t *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->over = false;
}

void ncp_buf_clear(ncp_buf_t *b)
{
    b->len = 0;
    b->over = false;
    if (b->data)
        b->data[0] = '\0';
}

static int grow(ncp_buf_t *b, size_t need)
{
    if (need > b->max) {
        b->over = true;
        return -1;
    }
    if (need + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        abort();
    b->data = p;
    b->cap = cap;
    return 0;
}

int ncp_buf_append(ncp_buf_t *b, const void *p, size_t n)
{
    if (grow(b, b->len + n) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int ncp_buf_puts(ncp_buf_t *b, const char *s)
{
    return ncp_buf_append(b, s, strlen(s));
}

int ncp_buf_putc(ncp_buf_t *b, char c)
{
    if (b->len + 2 <= b->cap && b->len < b->max) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return ncp_buf_append(b, &c, 1);
}

int ncp_buf_printf(ncp_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof(tmp))
        return ncp_buf_append(b, tmp, (size_t)n);
    if (grow(b, b->len + (size_t)n) < 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void ncp_buf_truncate(ncp_buf_t *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *ncp_buf_take(ncp_buf_t *b, size_t *len_out)
{
    if (!b->data)
        grow(b, 0);
    char *p = b->data;
    if (len_out)
        *len_out = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

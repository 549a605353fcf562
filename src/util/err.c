/* err.c: table lookups over errors.def and message formatting. */
#include "util/err.h"

#include <stdarg.h>
#include "util/utf8.h"
#include <stdio.h>
#include <string.h>

typedef struct row {
    ncp_err_kind_t kind;
    int http;
    const char *code;
    const char *msg;
} row_t;

static const row_t rows[] = {
#define NCP_ERR(id, kind, http, code, msg) {NCP_ERR_##kind, http, code, msg},
#include "util/errors.def"
#undef NCP_ERR
};

/* Truncation may cut a UTF-8 sequence: drop an incomplete tail. */
static void utf8_trim(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80 && n - i < 3)
        i--;
    if (i > 0 && (unsigned char)s[i - 1] >= 0xc0 &&
        ncp_utf8_seq((const unsigned char *)s + i - 1, n - i + 1) != n - i + 1)
        s[i - 1] = '\0';
}

void ncp_err_init(ncp_err_t *err)
{
    memset(err, 0, sizeof(*err));
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void ncp_err_set(ncp_err_t *err, ncp_err_code_t code, ...)
{
    if (!err || err->is_set)
        return;
    err->is_set = true;
    err->code = code;
    va_list ap;
    va_start(ap, code);
    vsnprintf(err->msg, sizeof(err->msg), rows[code].msg, ap);
    va_end(ap);
    utf8_trim(err->msg);
}
#pragma GCC diagnostic pop

void ncp_err_set_gw(ncp_err_t *err, ncp_err_code_t code, const char *fmt, ...)
{
    if (!err || err->is_set)
        return;
    err->is_set = true;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    utf8_trim(err->msg);
}

void ncp_err_internal(ncp_err_t *err, const char *fmt, ...)
{
    if (!err || err->is_set)
        return;
    ncp_err_set(err, NCP_E_INTERNAL);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
    va_end(ap);
}

int ncp_err_http(ncp_err_code_t code)
{
    return rows[code].http;
}

const char *ncp_err_return_code(ncp_err_code_t code)
{
    return rows[code].code;
}

const char *ncp_err_gw_message(ncp_err_code_t code)
{
    return rows[code].msg;
}

ncp_err_kind_t ncp_err_kind(ncp_err_code_t code)
{
    return rows[code].kind;
}

void ncp_err_sanitize(char *dst, size_t cap, const char *src)
{
    size_t j = 0;
    if (!cap)
        return;
    for (size_t i = 0; src[i] && j + 1 < cap && i < 128; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    dst[j] = '\0';
    utf8_trim(dst);
    /* Terraform splits error text on "Body: "; never let input recreate it. */
    for (char *p = dst; (p = strstr(p, "Body: ")) != NULL; p += 5)
        p[4] = '_';
}

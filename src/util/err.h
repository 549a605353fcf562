/* err.h: the one error record (libvirt style: set once where detected).
 *
 * Functions return 0/-1 (or pointer/NULL) and fill the last parameter
 * `ncp_err_t *err`. The first ncp_err_set() wins; later calls are ignored,
 * so a low layer's precise error is never overwritten by a vaguer one. */
#ifndef NCP_ERR_H
#define NCP_ERR_H
#include <stdbool.h>
#include <stddef.h>

typedef enum ncp_err_code {
#define NCP_ERR(id, kind, http, code, msg) NCP_E_##id,
#include "util/errors.def"
#undef NCP_ERR
    NCP_E__COUNT
} ncp_err_code_t;

typedef enum { NCP_ERR_API, NCP_ERR_GW } ncp_err_kind_t;

typedef struct ncp_err {
    ncp_err_code_t code;
    bool is_set;
    char msg[512];     /* client-visible message (returnMessage / gateway details) */
    char detail[256];  /* internal detail for the log only */
} ncp_err_t;

void ncp_err_init(ncp_err_t *err);
/* Sets code and formats the row's message with the arguments. */
void ncp_err_set(ncp_err_t *err, ncp_err_code_t code, ...);
/* For gateway errors: `details` text instead of the row's message. */
void ncp_err_set_gw(ncp_err_t *err, ncp_err_code_t code, const char *details_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Internal failure: 1300 to the client, `fmt` to the log. */
void ncp_err_internal(ncp_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int ncp_err_http(ncp_err_code_t code);
const char *ncp_err_return_code(ncp_err_code_t code);
const char *ncp_err_gw_message(ncp_err_code_t code);
ncp_err_kind_t ncp_err_kind(ncp_err_code_t code);
/* Makes user-provided text safe to echo in a message (see DECISIONS D9). */
void ncp_err_sanitize(char *dst, size_t cap, const char *src);

#endif

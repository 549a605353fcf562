/* envelope.h: the NCP wrappers around every answer. Only this file writes
 * requestId, returnCode, returnMessage and totalRows, and the error bodies. */
#ifndef NCP_ENVELOPE_H
#define NCP_ENVELOPE_H
#include <stdint.h>

#include "render/emit.h"
#include "util/err.h"

/* Opens `{action}Response` with requestId/returnCode/returnMessage. `status`
 * is NULL for plain success, or a set error of HTTP 200 (22001). */
void ncp_env_begin(ncp_emit_t *e, const char *action, const char *request_id,
                   const ncp_err_t *status);
void ncp_env_total_rows(ncp_emit_t *e, int64_t total);
void ncp_env_end(ncp_emit_t *e);
/* The whole body of an error: `responseError` in `fmt` for API errors,
 * gateway JSON `{"error": ...}` for gateway errors. Returns the HTTP status. */
int ncp_env_error(ncp_buf_t *out, ncp_fmt_t fmt, const ncp_err_t *err);
const char *ncp_env_content_type(ncp_fmt_t fmt);

#endif

/* envelope.c: see envelope.h. */
#include "render/envelope.h"

#include <string.h>

static char *action_response(char *buf, size_t cap, const char *action)
{
    size_t n = strlen(action);
    if (n + 9 > cap)
        n = cap - 9;
    memcpy(buf, action, n);
    memcpy(buf + n, "Response", 9);
    return buf;
}

void ncp_env_begin(ncp_emit_t *e, const char *action, const char *request_id,
                   const ncp_err_t *status)
{
    char root[128];
    ncp_emit_root_begin(e, action_response(root, sizeof(root), action));
    ncp_emit_str(e, "requestId", request_id);
    ncp_emit_str(e, "returnCode", status ? ncp_err_return_code(status->code) : "0");
    ncp_emit_str(e, "returnMessage", status ? status->msg : "success");
}

void ncp_env_total_rows(ncp_emit_t *e, int64_t total)
{
    ncp_emit_int(e, "totalRows", total);
}

void ncp_env_end(ncp_emit_t *e)
{
    ncp_emit_root_end(e);
}

int ncp_env_error(ncp_buf_t *out, ncp_fmt_t fmt, const ncp_err_t *err)
{
    ncp_emit_t e;
    if (ncp_err_kind(err->code) == NCP_ERR_GW) {
        ncp_emit_init(&e, NCP_FMT_JSON, out);
        ncp_emit_root_begin(&e, "error");
        ncp_emit_str(&e, "errorCode", ncp_err_return_code(err->code));
        ncp_emit_str(&e, "message", ncp_err_gw_message(err->code));
        ncp_emit_str(&e, "details", err->msg);
        ncp_emit_root_end(&e);
    } else {
        ncp_emit_init(&e, fmt, out);
        ncp_emit_root_begin(&e, "responseError");
        ncp_emit_str(&e, "returnCode", ncp_err_return_code(err->code));
        ncp_emit_str(&e, "returnMessage", err->msg);
        ncp_emit_root_end(&e);
    }
    return ncp_err_http(err->code);
}

const char *ncp_env_content_type(ncp_fmt_t fmt)
{
    return fmt == NCP_FMT_JSON ? "application/json;charset=UTF-8"
                               : "application/xml;charset=UTF-8";
}

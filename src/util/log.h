/* log.h: log lines on stderr, one write(2) per line.
 *
 * Callers write `key=value` pairs (values with spaces in double quotes, or
 * a last `detail=` / `msg=` / `error=` that takes the rest of the line);
 * free words become the message. Two formats: the key=value text itself
 * (default) or one JSON object per line (ncp_log_set_json) with ts, level,
 * msg and every pair as a member (integers as numbers), for log shippers.
 * Never pass a secret: logs are copied to places secrets must not go. */
#ifndef NCP_LOG_H
#define NCP_LOG_H
#include <stdbool.h>
#include <stddef.h>

/* NOTICE lines (start-up, shutdown, migrations, key and certificate
 * changes) are written whatever the level. */
typedef enum {
    NCP_LOG_DEBUG,
    NCP_LOG_INFO,
    NCP_LOG_WARN,
    NCP_LOG_ERROR,
    NCP_LOG_NOTICE
} ncp_log_level_t;

void ncp_log_set_level(ncp_log_level_t lvl);
/* "debug", "info", "warn", "error": 0; -1 for other names. */
int ncp_log_set_level_name(const char *name);
void ncp_log_set_json(bool json);
void ncp_log(ncp_log_level_t lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes the line `text` (already formatted key=value text) at lvl; used by
 * ncp_log and by tests of the JSON conversion. */
void ncp_log_line(ncp_log_level_t lvl, const char *text);
/* The JSON object of one line (without the newline) into out; returns its
 * length (truncated objects stay valid JSON). */
size_t ncp_log_json(char *out, size_t cap, const char *ts, const char *level, const char *text);

#define ncp_log_info(...) ncp_log(NCP_LOG_INFO, __VA_ARGS__)
#define ncp_log_warn(...) ncp_log(NCP_LOG_WARN, __VA_ARGS__)
#define ncp_log_error(...) ncp_log(NCP_LOG_ERROR, __VA_ARGS__)
#define ncp_log_debug(...) ncp_log(NCP_LOG_DEBUG, __VA_ARGS__)
#define ncp_log_notice(...) ncp_log(NCP_LOG_NOTICE, __VA_ARGS__)

#endif

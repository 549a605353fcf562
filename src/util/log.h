/* log.h: key=value lines on stderr, one write(2) per line. */
#ifndef NCP_LOG_H
#define NCP_LOG_H

typedef enum { NCP_LOG_DEBUG, NCP_LOG_INFO, NCP_LOG_WARN, NCP_LOG_ERROR } ncp_log_level_t;

void ncp_log_set_level(ncp_log_level_t lvl);
void ncp_log(ncp_log_level_t lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ncp_log_info(...) ncp_log(NCP_LOG_INFO, __VA_ARGS__)
#define ncp_log_warn(...) ncp_log(NCP_LOG_WARN, __VA_ARGS__)
#define ncp_log_error(...) ncp_log(NCP_LOG_ERROR, __VA_ARGS__)
#define ncp_log_debug(...) ncp_log(NCP_LOG_DEBUG, __VA_ARGS__)

#endif

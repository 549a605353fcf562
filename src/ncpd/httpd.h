/* httpd.h: the HTTP listener (libmicrohttpd) in front of ncp_dispatch()
 * and, under /console, of the web console (ncpd/console.h). */
#ifndef NCPD_HTTPD_H
#define NCPD_HTTPD_H

#include "act/act.h"
#include "ncpd/conf.h"
#include "ncpd/console.h"

typedef struct ncpd_httpd ncpd_httpd_t;

/* console may be NULL (no /console). */
ncpd_httpd_t *ncpd_httpd_start(const ncp_app_t *app, const ncpd_conf_t *c,
                               ncpd_console_t *console, ncp_err_t *err);
/* The port actually bound (useful with port 0). */
int ncpd_httpd_port(const ncpd_httpd_t *h);
/* Stops accepting, waits for in-flight requests (bounded), then closes. */
void ncpd_httpd_stop(ncpd_httpd_t *h);

#endif

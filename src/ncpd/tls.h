/* tls.h: HTTPS credentials for the listener (GnuTLS through libmicrohttpd).
 *
 * The certificate and key are served through MHD's certificate callback,
 * which hands GnuTLS the current credentials at every handshake. A reload
 * (SIGHUP) loads and checks the files, then swaps the current credentials
 * atomically: connections already established keep their session, new
 * handshakes get the new certificate, and a failed reload keeps serving
 * the old one. Superseded credentials stay allocated until ncpd_tls_close
 * (a handshake may still be using them; reloads are rare and small).
 * Protocols: TLS 1.2 and TLS 1.3 only. */
#ifndef NCPD_TLS_H
#define NCPD_TLS_H
#include <microhttpd.h>
#include <stdint.h>

#include "util/err.h"

/* Loads cert (PEM chain) and key (PEM); checks that they belong together. */
int ncpd_tls_open(const char *cert_path, const char *key_path, ncp_err_t *err);
/* Loads the same files again; on failure the current credentials stay. */
int ncpd_tls_reload(ncp_err_t *err);
/* Frees every generation; the listener must be stopped. NULL-safe state. */
void ncpd_tls_close(void);

/* MHD flags and options for the listener: MHD_USE_TLS and the callback
 * when ncpd_tls_open succeeded, nothing (0, an empty array) otherwise. */
unsigned ncpd_tls_mhd_flags(void);
struct MHD_OptionItem *ncpd_tls_mhd_options(void);

/* notAfter of the current certificate (Unix seconds), 0 without TLS. */
int64_t ncpd_tls_not_after(void);

#endif

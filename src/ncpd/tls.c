/* tls.c: see tls.h. */
#include "ncpd/tls.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "util/metrics.h"

#define CHAIN_MAX 16
/* TLS 1.2 and 1.3 only, GnuTLS's default ciphers otherwise */
#define PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

typedef struct gen {
    struct gen *older;
    gnutls_pcert_st pcerts[CHAIN_MAX];
    unsigned n;
    gnutls_privkey_t key;
    int64_t not_after;
} gen_t;

static _Atomic(gen_t *) current;
static gen_t *newest; /* every generation, newest first (main thread only) */
static char *cert_file, *key_file;
static struct MHD_OptionItem mhd_opts[3];

static void gen_free(gen_t *g)
{
    for (unsigned i = 0; i < g->n; i++)
        gnutls_pcert_deinit(&g->pcerts[i]);
    if (g->key)
        gnutls_privkey_deinit(g->key);
    free(g);
}

/* Key id of a public key (SHA-256), for the pair check. */
static int key_id(gnutls_pubkey_t pk, unsigned char out[64], size_t *n)
{
    *n = 64;
    return gnutls_pubkey_get_key_id(pk, GNUTLS_KEYID_USE_SHA256, out, n);
}

static gen_t *gen_load(const char *cert, const char *key, ncp_err_t *err)
{
    gen_t *g = calloc(1, sizeof(*g));
    gnutls_datum_t cd = {NULL, 0}, kd = {NULL, 0};
    gnutls_pubkey_t pk = NULL;
    gnutls_x509_crt_t crt = NULL;
    int r;
    if (!g)
        abort();
    if ((r = gnutls_load_file(cert, &cd)) < 0) {
        ncp_err_internal(err, "cannot read the TLS certificate %s: %s", cert, gnutls_strerror(r));
        goto fail;
    }
    g->n = CHAIN_MAX;
    if ((r = gnutls_pcert_list_import_x509_raw(g->pcerts, &g->n, &cd, GNUTLS_X509_FMT_PEM,
                                               GNUTLS_X509_CRT_LIST_SORT)) < 0) {
        g->n = 0;
        ncp_err_internal(err, "%s holds no usable PEM certificate: %s", cert, gnutls_strerror(r));
        goto fail;
    }
    if ((r = gnutls_load_file(key, &kd)) < 0) {
        ncp_err_internal(err, "cannot read the TLS key %s: %s", key, gnutls_strerror(r));
        goto fail;
    }
    if ((r = gnutls_privkey_init(&g->key)) < 0 ||
        (r = gnutls_privkey_import_x509_raw(g->key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
        ncp_err_internal(err, "%s holds no usable PEM private key: %s", key, gnutls_strerror(r));
        goto fail;
    }
    unsigned char a[64], b[64];
    size_t an, bn;
    if (gnutls_pubkey_init(&pk) < 0 || gnutls_pubkey_import_privkey(pk, g->key, 0, 0) < 0 ||
        key_id(pk, a, &an) < 0 || key_id(g->pcerts[0].pubkey, b, &bn) < 0 || an != bn ||
        memcmp(a, b, an) != 0) {
        ncp_err_internal(err, "the TLS key %s does not belong to the certificate %s", key, cert);
        goto fail;
    }
    if (gnutls_x509_crt_init(&crt) == 0 &&
        gnutls_x509_crt_import(crt, &g->pcerts[0].cert, GNUTLS_X509_FMT_DER) == 0)
        g->not_after = (int64_t)gnutls_x509_crt_get_expiration_time(crt);
    if (g->not_after && g->not_after < (int64_t)time(NULL))
        ncp_log_warn("event=tls_expired cert=%s not_after=%lld", cert, (long long)g->not_after);
    goto done;
fail:
    gen_free(g);
    g = NULL;
done:
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (pk)
        gnutls_pubkey_deinit(pk);
    if (kd.data) {
        gnutls_memset(kd.data, 0, kd.size);
        gnutls_free(kd.data);
    }
    gnutls_free(cd.data);
    return g;
}

/* MHD's certificate callback, on the worker threads, at every handshake. */
static int retrieve(gnutls_session_t s, const gnutls_datum_t *req_ca_rdn, int nreqs,
                    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *pkey)
{
    (void)s;
    (void)req_ca_rdn;
    (void)nreqs;
    (void)pk_algos;
    (void)pk_algos_length;
    gen_t *g = atomic_load_explicit(&current, memory_order_acquire);
    if (!g)
        return -1;
    *pcert = g->pcerts;
    *pcert_length = g->n;
    *pkey = g->key;
    return 0;
}

static void install(gen_t *g)
{
    g->older = newest;
    newest = g;
    atomic_store_explicit(&current, g, memory_order_release);
    ncp_metrics_set(NCP_M_TLS_NOT_AFTER, g->not_after);
}

int ncpd_tls_open(const char *cert_path, const char *key_path, ncp_err_t *err)
{
    gen_t *g = gen_load(cert_path, key_path, err);
    if (!g)
        return -1;
    cert_file = strdup(cert_path);
    key_file = strdup(key_path);
    if (!cert_file || !key_file)
        abort();
    install(g);
    return 0;
}

int ncpd_tls_reload(ncp_err_t *err)
{
    if (!newest)
        return 0;
    gen_t *g = gen_load(cert_file, key_file, err);
    if (!g) {
        ncp_metrics_add(NCP_M_TLS_RELOAD_ERR, 1);
        return -1;
    }
    install(g);
    ncp_metrics_add(NCP_M_TLS_RELOAD_OK, 1);
    return 0;
}

void ncpd_tls_close(void)
{
    atomic_store(&current, NULL);
    while (newest) {
        gen_t *g = newest;
        newest = g->older;
        gen_free(g);
    }
    free(cert_file);
    free(key_file);
    cert_file = key_file = NULL;
}

unsigned ncpd_tls_mhd_flags(void)
{
    return newest ? MHD_USE_TLS : 0;
}

struct MHD_OptionItem *ncpd_tls_mhd_options(void)
{
    size_t n = 0;
    if (newest) {
        mhd_opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_CERT_CALLBACK, 0,
                                                (void *)(uintptr_t)&retrieve};
        mhd_opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
                                                (void *)(uintptr_t)PRIORITIES};
    }
    mhd_opts[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    return mhd_opts;
}

int64_t ncpd_tls_not_after(void)
{
    gen_t *g = atomic_load(&current);
    return g ? g->not_after : 0;
}

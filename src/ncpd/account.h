/* account.h: accounts, API keys, the master key and the first start-up. */
#ifndef NCPD_ACCOUNT_H
#define NCPD_ACCOUNT_H
#include <stdint.h>

#include "ncpd/conf.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/err.h"

/* The master key: master-key (NCPD_MASTER_KEY: 64 hex digits, or any text,
 * hashed), else the file master-key-file, else the 0600 file "<db>.key"
 * beside a SQLite database; a file is created on first use. A PostgreSQL
 * database has no "beside": it needs one of the first two, else an error
 * that says so. */
int ncpd_master_key_load(const ncpd_conf_t *c, uint8_t out[NCP_MASTER_KEY_LEN], ncp_err_t *err);
/* Records a check value on first use; afterwards refuses a different key. */
int ncpd_master_key_verify(const ncp_store_ops_t *so, ncp_store_t *st,
                           const uint8_t key[NCP_MASTER_KEY_LEN], ncp_err_t *err);

/* Creates an account with one key pair and its default ACG, inside the
 * caller's write transaction. NULL keys are generated. acg_no 0: allocate. */
int ncpd_account_create(const ncp_store_ops_t *so, ncp_store_t *st,
                        const uint8_t key[NCP_MASTER_KEY_LEN], const char *name,
                        const char *access_key, const char *secret_key, int64_t acg_no,
                        int64_t acg_create_ms, char ak_out[64], char sk_out[64],
                        int64_t *id_out, ncp_err_t *err);

/* First start on an empty database: the bootstrap account (keys from the
 * environment or generated and printed once) and the fixture, if asked. */
int ncpd_bootstrap(const ncp_store_ops_t *so, ncp_store_t *st,
                   const uint8_t key[NCP_MASTER_KEY_LEN], const ncpd_conf_t *c, ncp_err_t *err);

/* `ncpd account create|list|disable-key ...`; returns the exit code. */
int ncpd_account_main(int argc, char **argv);

#endif

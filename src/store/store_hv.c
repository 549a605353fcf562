/* store_hv.c: see store_hv.h. */
#include "store/store_hv.h"

#include "store/store_int.h"

static const char Q_PUB_SET[] =
    "UPDATE login_keys SET public_key = ?3 WHERE account_id = ?1 AND name = ?2";
static const char Q_PUB_GET[] =
    "SELECT public_key FROM login_keys WHERE account_id = ?1 AND name = ?2";
static const char Q_SERVERS[] = "SELECT no FROM servers WHERE no > ?1 ORDER BY no LIMIT ?2";

int ncp_store_hv_pubkey_set(ncp_store_t *st, int64_t account_id, const char *name,
                            const char *pub, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, Q_PUB_SET, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    bind_str(st, s, 2, name);
    bind_str(st, s, 3, pub);
    return run(st, s, err);
}

int ncp_store_hv_pubkey_get(ncp_store_t *st, ncp_arena_t *a, int64_t account_id,
                            const char *name, const char **out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_st_stmt(st, Q_PUB_GET, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, account_id);
    bind_str(st, s, 2, name);
    int r = first_row(st, s, err);
    if (r == 1) {
        *out = col_str(st, a, s, 0);
        done(st, s);
    }
    return r;
}

int ncp_store_hv_servers(ncp_store_t *st, int64_t after, size_t max, int64_t *out,
                         size_t *n_out, ncp_err_t *err)
{
    *n_out = 0;
    ncp_db_stmt_t *s = ncp_st_stmt(st, Q_SERVERS, err);
    if (!s)
        return -1;
    bind_int(st, s, 1, after);
    bind_int(st, s, 2, (int64_t)max);
    for (;;) {
        int r = ncp_st_step(st, s, err);
        if (r <= 0) {
            done(st, s);
            return r;
        }
        if (*n_out < max)
            out[(*n_out)++] = col_int(st, s, 0);
    }
}

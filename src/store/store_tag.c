/* store_tag.c: see store_tag.h. */
#include "store/store_tag.h"

#include "store/store_q.h"

static void tag_where(ncp_q_t *q, const ncp_tag_filter_t *f)
{
    ncp_q_int(q, " FROM server_tags t JOIN servers s ON s.no = t.server_no"
              " WHERE s.vpc = 0 AND s.account_id = ?",
              f->account_id);
    if (f->nos)
        ncp_q_in_ints(q, "t.server_no", f->nos, f->n_nos);
    if (f->keys)
        ncp_q_in_strs(q, "t.key", f->keys, f->n_keys);
    if (f->values)
        ncp_q_in_strs(q, "t.value", f->values, f->n_values);
}

int ncp_store_tag_list(ncp_store_t *st, ncp_arena_t *a, const ncp_tag_filter_t *f,
                       int64_t *total_out, ncp_tag_cb cb, void *ctx, ncp_err_t *err)
{
    int ret = -1;
    ncp_q_t q;
    ncp_q_init(&q);
    ncp_q_sql(&q, "SELECT count(*)");
    tag_where(&q, f);
    if (ncp_q_count(st, &q, total_out, err) < 0)
        goto cleanup;
    ncp_q_clear(&q);
    ncp_q_sql(&q, "SELECT t.server_no, t.key, t.value");
    tag_where(&q, f);
    ncp_q_sql(&q, " ORDER BY t.server_no, t.ord");
    if (f->limit > 0) {
        ncp_q_int(&q, " LIMIT ?", f->limit);
        ncp_q_int(&q, " OFFSET ?", f->offset);
    }
    ncp_db_stmt_t *s = ncp_q_prepare(st, &q, err);
    if (!s)
        goto cleanup;
    size_t n = 0, cap = 0;
    ncp_tag_row_t *rows = NULL;
    int r;
    while ((r = ncp_st_step(st, s, err)) == 1) {
        rows = ncp_arena_grow(a, rows, n, &cap, sizeof(*rows), 16);
        rows[n].server_no = col_int(st, s, 0);
        rows[n].key = col_str(st, a, s, 1);
        rows[n++].value = col_str(st, a, s, 2);
    }
    done(st, s);
    if (r < 0)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &rows[i]) < 0)
            goto cleanup;
    ret = 0;
cleanup:
    ncp_q_release(&q);
    return ret;
}

/* store_tag.c: see store_tag.h. */
#include "store/store_tag.h"

#include "store/store_q.h"

static void tag_where(ncp_q_t *q, const void *filter)
{
    const ncp_tag_filter_t *f = filter;
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

static void read_tag(ncp_store_t *st, ncp_arena_t *a, ncp_db_stmt_t *s, void *row)
{
    ncp_tag_row_t *t = row;
    t->server_no = col_int(st, s, 0);
    t->key = col_str(st, a, s, 1);
    t->value = col_str(st, a, s, 2);
}

int ncp_store_tag_list(ncp_store_t *st, ncp_arena_t *a, const ncp_tag_filter_t *f,
                       int64_t *total_out, ncp_tag_cb cb, void *ctx, ncp_err_t *err)
{
    void *rows;
    size_t n;
    if (ncp_q_page(st, a, "t.server_no, t.key, t.value", tag_where, f,
                   " ORDER BY t.server_no, t.ord", f->offset, f->limit, total_out, read_tag,
                   sizeof(ncp_tag_row_t), &rows, &n, err) < 0)
        return -1;
    const ncp_tag_row_t *v = rows;
    for (size_t i = 0; i < n; i++)
        if (cb(ctx, &v[i]) < 0)
            return -1;
    return 0;
}

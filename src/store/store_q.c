/* store_q.c: see store_q.h. */
#include "store/store_q.h"

#include <stdlib.h>
#include <string.h>

void ncp_q_init(ncp_q_t *q)
{
    memset(q, 0, sizeof(*q));
    ncp_buf_init(&q->sql, 0);
}

void ncp_q_release(ncp_q_t *q)
{
    ncp_buf_release(&q->sql);
    free(q->b);
    q->b = NULL;
    q->n = 0;
}

void ncp_q_clear(ncp_q_t *q)
{
    ncp_buf_clear(&q->sql);
    q->n = 0;
    q->over = false;
}

void ncp_q_sql(ncp_q_t *q, const char *text)
{
    ncp_buf_puts(&q->sql, text);
}

static ncp_q_bind_t *push(ncp_q_t *q)
{
    if (q->n >= NCP_Q_MAX_BINDS) {
        q->over = true;
        return NULL;
    }
    if (!q->b) {
        q->b = calloc(NCP_Q_MAX_BINDS, sizeof(ncp_q_bind_t));
        if (!q->b)
            abort();
    }
    return &q->b[q->n++];
}

void ncp_q_int(ncp_q_t *q, const char *text, int64_t v)
{
    ncp_buf_puts(&q->sql, text);
    ncp_q_bind_t *b = push(q);
    if (b)
        *b = (ncp_q_bind_t){false, v, NULL};
}

void ncp_q_str(ncp_q_t *q, const char *text, const char *v)
{
    ncp_buf_puts(&q->sql, text);
    ncp_q_bind_t *b = push(q);
    if (b)
        *b = (ncp_q_bind_t){true, 0, v};
}

void ncp_q_in_ints(ncp_q_t *q, const char *col, const int64_t *v, size_t n)
{
    ncp_buf_printf(&q->sql, " AND %s IN (", col);
    for (size_t i = 0; i < n; i++)
        ncp_q_int(q, i ? ",?" : "?", v[i]);
    ncp_buf_puts(&q->sql, n ? ")" : "NULL)");
}

void ncp_q_in_strs(ncp_q_t *q, const char *col, const char *const *v, size_t n)
{
    ncp_buf_printf(&q->sql, " AND %s IN (", col);
    for (size_t i = 0; i < n; i++)
        ncp_q_str(q, i ? ",?" : "?", v[i]);
    ncp_buf_puts(&q->sql, n ? ")" : "NULL)");
}

ncp_db_stmt_t *ncp_q_prepare(ncp_store_t *st, ncp_q_t *q, ncp_err_t *err)
{
    if (q->over || q->sql.over) {
        ncp_err_internal(err, "list query too large");
        return NULL;
    }
    ncp_db_stmt_t *s = ncp_st_dyn(st, q->sql.data, err);
    if (!s)
        return NULL;
    for (int i = 0; i < q->n; i++) {
        if (q->b[i].is_str)
            bind_str(st, s, i + 1, q->b[i].s);
        else
            bind_int(st, s, i + 1, q->b[i].i);
    }
    return s;
}

int ncp_q_count(ncp_store_t *st, ncp_q_t *q, int64_t *out, ncp_err_t *err)
{
    ncp_db_stmt_t *s = ncp_q_prepare(st, q, err);
    return s ? one_int(st, s, out, "count", err) : -1;
}

int ncp_q_page(ncp_store_t *st, ncp_arena_t *a, const char *cols, ncp_q_where_fn where,
               const void *filter, const char *order, int64_t offset, int64_t limit,
               int64_t *total_out, ncp_st_reader rd, size_t row_size, void **rows_out,
               size_t *n_out, ncp_err_t *err)
{
    int ret = -1;
    *rows_out = NULL;
    *n_out = 0;
    ncp_q_t q;
    ncp_q_init(&q);
    if (total_out) {
        ncp_q_sql(&q, "SELECT count(*)");
        where(&q, filter);
        if (ncp_q_count(st, &q, total_out, err) < 0)
            goto cleanup;
        ncp_q_clear(&q);
    }
    ncp_q_sql(&q, "SELECT ");
    ncp_q_sql(&q, cols);
    where(&q, filter);
    ncp_q_sql(&q, order);
    if (limit > 0) {
        ncp_q_int(&q, " LIMIT ?", limit);
        ncp_q_int(&q, " OFFSET ?", offset);
    }
    ncp_db_stmt_t *s = ncp_q_prepare(st, &q, err);
    if (s)
        ret = ncp_st_rows(st, a, s, rd, row_size, rows_out, n_out, err);
cleanup:
    ncp_q_release(&q);
    return ret;
}

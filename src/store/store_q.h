/* store_q.h: dynamic SQL for the list filters of the store's family files
 * (store_storage.c, store_net.c, ...): text and binds built together, so a
 * placeholder is never written without its value. Internal to store/. */
#ifndef NCP_STORE_Q_H
#define NCP_STORE_Q_H
#include "store/store_int.h"

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

#define NCP_Q_MAX_BINDS 1200

typedef struct ncp_q_bind {
    bool is_str;
    int64_t i;
    const char *s;
} ncp_q_bind_t;

typedef struct ncp_q {
    ncp_buf_t sql;
    ncp_q_bind_t *b;
    int n;
    bool over; /* more binds than NCP_Q_MAX_BINDS: refused at prepare */
} ncp_q_t;

void ncp_q_init(ncp_q_t *q);
void ncp_q_release(ncp_q_t *q);
void ncp_q_clear(ncp_q_t *q); /* empty text, no binds */
void ncp_q_sql(ncp_q_t *q, const char *text);
/* `text` with its one `?` bound to v */
void ncp_q_int(ncp_q_t *q, const char *text, int64_t v);
void ncp_q_str(ncp_q_t *q, const char *text, const char *v);
/* " AND col IN (?, ...)" for n values */
void ncp_q_in_ints(ncp_q_t *q, const char *col, const int64_t *v, size_t n);
void ncp_q_in_strs(ncp_q_t *q, const char *col, const char *const *v, size_t n);
/* the prepared statement with every bind set */
ncp_db_stmt_t *ncp_q_prepare(ncp_store_t *st, ncp_q_t *q, ncp_err_t *err);
/* count(*) of the query text as it is */
int ncp_q_count(ncp_store_t *st, ncp_q_t *q, int64_t *out, ncp_err_t *err);

/* The constant ORDER BY texts of a list sorted by `key` (collated, then `no`)
 * or by `no` alone, as order[by key][descending]. */
#define NCP_Q_ORDERS(key, no)                                                                \
    {                                                                                        \
        {" ORDER BY " no " ASC", " ORDER BY " no " DESC"},                                   \
        {" ORDER BY " key "{C} ASC, " no " ASC", " ORDER BY " key "{C} DESC, " no " DESC"},  \
    }

/* Appends a list's " FROM ... WHERE ..." for `filter` (a filter struct of the
 * caller's type, cast inside) with its binds. */
typedef void (*ncp_q_where_fn)(ncp_q_t *q, const void *filter);
/* One page of a filtered list: "SELECT <cols>" + where + `order` (a constant
 * " ORDER BY ..." text) + " LIMIT ? OFFSET ?" when limit > 0, its rows read by
 * rd into an arena array as ncp_st_rows (0, or -1). When total_out is not
 * NULL, first the count(*) of the whole filtered list, unpaged, into it. */
int ncp_q_page(ncp_store_t *st, ncp_arena_t *a, const char *cols, ncp_q_where_fn where,
               const void *filter, const char *order, int64_t offset, int64_t limit,
               int64_t *total_out, ncp_st_reader rd, size_t row_size, void **rows_out,
               size_t *n_out, ncp_err_t *err);

#endif

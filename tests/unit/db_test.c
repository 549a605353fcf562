/* db_test.c: the dialect translation of the store's SQL (store/db.c), and one
 * store written once running on SQLite (PostgreSQL: make test-pg). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/db.h"
#include "store/store.h"

static void expect(ncp_dialect_t d, const char *in, const char *want)
{
    char *out = ncp_db_translate(d, in);
    assert_string_equal(out, want);
    free(out);
}

static void test_translate_placeholders(void **state)
{
    (void)state;
    expect(NCP_DIALECT_SQLITE, "SELECT a FROM t WHERE x=?1 AND y=?2", "SELECT a FROM t WHERE x=?1 AND y=?2");
    expect(NCP_DIALECT_PG, "SELECT a FROM t WHERE x=?1 AND y=?12", "SELECT a FROM t WHERE x=$1 AND y=$12");
    /* bare ? are numbered after the highest number seen so far */
    expect(NCP_DIALECT_PG, "WHERE a=? AND b IN (?,?)", "WHERE a=$1 AND b IN ($2,$3)");
    expect(NCP_DIALECT_SQLITE, "WHERE a=? AND b IN (?,?)", "WHERE a=?1 AND b IN (?2,?3)");
    /* literals are copied as they are, '' included */
    expect(NCP_DIALECT_PG, "SELECT 'a?b{C}', 'it''s ?' WHERE x=?1",
           "SELECT 'a?b{C}', 'it''s ?' WHERE x=$1");
}

static void test_translate_tokens(void **state)
{
    (void)state;
    expect(NCP_DIALECT_SQLITE, "AND {NOIDX}s.zone_no=? ORDER BY s.name{C}",
           "AND +s.zone_no=?1 ORDER BY s.name");
    expect(NCP_DIALECT_PG, "AND {NOIDX}s.zone_no=? ORDER BY s.name{C}",
           "AND s.zone_no=$1 ORDER BY s.name COLLATE \"C\"");
    expect(NCP_DIALECT_SQLITE, "CREATE TABLE t(no {ID}, b {BLOB}) {NOROWID}",
           "CREATE TABLE t(no INTEGER PRIMARY KEY, b BLOB) WITHOUT ROWID");
    expect(NCP_DIALECT_PG, "CREATE TABLE t(no {ID}, b {BLOB}) {NOROWID}",
           "CREATE TABLE t(no BIGINT PRIMARY KEY, b BYTEA) ");
    expect(NCP_DIALECT_PG, "x {UNKNOWN} y", "x {UNKNOWN} y"); /* not a token: copied */
}

static void test_backend_for(void **state)
{
    (void)state;
    assert_ptr_equal(ncp_db_backend_for("postgresql://u@/db?host=/tmp"), &ncp_db_pg_ops);
    assert_ptr_equal(ncp_db_backend_for("postgres://u@h/db"), &ncp_db_pg_ops);
    assert_ptr_equal(ncp_db_backend_for("./var/ncpd.db"), &ncp_db_sqlite_ops);
    assert_ptr_equal(ncp_db_backend_for("postgresql.db"), &ncp_db_sqlite_ops);
}

/* The store on a fresh SQLite file: migrated to the newest schema, and the
 * typed operations work (a sequence, a counter, the fault switch, the lease). */
static void test_store_on_sqlite(void **state)
{
    (void)state;
    char dir[] = "/tmp/ncpd-db-test-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.db", dir);
    ncp_err_t err;
    ncp_err_init(&err);
    const ncp_store_ops_t *so = &ncp_store_ops;
    ncp_store_t *st = so->open(path, &err);
    assert_non_null(st);
    assert_false(so->shared(st));
    assert_int_equal(so->begin(st, true, &err), 0);
    int64_t a = 0, b = 0;
    assert_int_equal(so->instance_next_no(st, &a, &err), 0);
    assert_int_equal(so->instance_next_no(st, &b, &err), 0);
    assert_int_equal(b, a + 1);
    assert_int_equal(so->counter_next(st, "x", 10, &a, &err), 0);
    assert_int_equal(a, 10);
    assert_int_equal(so->fault_set(st, 2, 77, 2, &err), 0);
    assert_int_equal(so->fault_take(st, 2, 77, &err), 1);
    assert_int_equal(so->fault_take(st, 2, 78, &err), 0);
    assert_int_equal(so->fault_take(st, 2, 77, &err), 1);
    assert_int_equal(so->fault_take(st, 2, 77, &err), 0);
    assert_int_equal(so->lease_take(st, "n1", 1000, &err), 1);
    assert_int_equal(so->lease_take(st, "n2", 1000, &err), 0);
    assert_int_equal(so->lease_take(st, "n1", 1000, &err), 1);
    assert_int_equal(so->commit(st, &err), 0);
    so->close(st);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_translate_placeholders),
        cmocka_unit_test(test_translate_tokens),
        cmocka_unit_test(test_backend_for),
        cmocka_unit_test(test_store_on_sqlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

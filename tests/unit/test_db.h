/* test_db.h — where a unit test's node store lives: a SQLite file in the
 * test's folder, or, with MUSTER_TEST_DB_URI set to a postgres://.../ prefix
 * (tests/run-pg), a database on that server named after the folder, with its
 * key file in the folder (MUSTER_KEY_DIR). Include after <cmocka.h>. */
#ifndef MUSTER_TEST_DB_H
#define MUSTER_TEST_DB_H

#include "core/node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The --db of store name for the test folder dir (made by mkdtemp, its
 * random suffix after the last '-'). */
static inline void test_db_path(const char *dir, const char *name, char *out, size_t cap)
{
    const char *uri = getenv("MUSTER_TEST_DB_URI");
    if (uri && *uri)
        snprintf(out, cap, "%s%s_%s", uri, name, strrchr(dir, '-') + 1);
    else
        snprintf(out, cap, "%s/%s.db", dir, name);
}

/* Makes a new test folder in dir (cap bytes) and the --db of a fresh store
 * "n" for it in db; on PostgreSQL, key files go to the folder. */
static inline void test_db_fresh(char *dir, size_t cap, char *db, size_t dbcap)
{
    snprintf(dir, cap, "/tmp/muster-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
    const char *uri = getenv("MUSTER_TEST_DB_URI");
    if (uri && *uri)
        setenv("MUSTER_KEY_DIR", dir, 1);
    test_db_path(dir, "n", db, dbcap);
}

/* test_db_fresh, then a Korean node made in that store and opened into *n:
 * the fixture most unit tests start from. */
static inline void test_node_fresh(char *dir, size_t cap, char *db, size_t dbcap, struct node **n)
{
    test_db_fresh(dir, cap, db, dbcap);
    struct muster_err err;
    assert_int_equal(node_init(db, "KOR", &err), 0);
    assert_int_equal(node_open(db, n, &err), 0);
}

#endif

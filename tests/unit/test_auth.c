/* test_auth.c — accounts: Argon2id passwords, tokens, slowing and lockout,
 * logout, disabled accounts, expiry; on SQLite, or on PostgreSQL with
 * MUSTER_TEST_DB_URI (tests/run-pg). */
#include "core/auth.h"
#include "core/node.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

struct fixture {
    char dir[64], db[512];
    struct node *n;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/muster-auth-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    /* MUSTER_TEST_DB_URI (a postgres://.../ prefix, tests/run-pg): a new
     * database on that server, its key file in the folder */
    const char *uri = getenv("MUSTER_TEST_DB_URI");
    if (uri && *uri) {
        snprintf(f->db, sizeof f->db, "%sn_%s", uri, strrchr(f->dir, '-') + 1);
        setenv("MUSTER_KEY_DIR", f->dir, 1);
    } else {
        snprintf(f->db, sizeof f->db, "%s/n.db", f->dir);
    }
    struct muster_err err;
    assert_int_equal(node_init(f->db, "KOR", &err), 0);
    assert_int_equal(node_open(f->db, &f->n, &err), 0);
    assert_int_equal(auth_user_add(f->n, "test", "kim.field", "correct horse battery", "KOR",
                                   "field", "pt_a,pt_b", &err),
                     0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    node_close(f->n);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    unsetenv("MUSTER_NOW");
    return 0;
}

static void test_login_and_session(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    char token[65];
    int64_t expires, delay;
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &delay, &err),
        0);
    assert_int_equal(strlen(token), 64);
    struct principal w;
    assert_int_equal(auth_session(f->n->st, token, &w, &err), 0);
    assert_string_equal(w.user, "kim.field");
    assert_string_equal(w.nation, "KOR");
    assert_int_equal(w.role, ROLE_FIELD);
    assert_int_equal(w.npoints, 2);
    assert_string_equal(w.points[1], "pt_b");
    /* a different token of the right shape is refused */
    char forged[65];
    memcpy(forged, token, 65);
    forged[0] = forged[0] == 'a' ? 'b' : 'a';
    assert_int_equal(auth_session(f->n->st, forged, &w, &err), MUSTER_EDENIED);
    assert_int_equal(auth_logout(f->n->st, token, &err), 0);
    assert_int_equal(auth_session(f->n->st, token, &w, &err), MUSTER_EDENIED);
}

static void test_wrong_password_slows_then_locks(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    char token[65];
    int64_t expires, delay;
    int64_t last_delay = 0;
    for (int i = 1; i <= AUTH_LOCK_AFTER; i++) {
        assert_int_equal(auth_login(f->n->st, "kim.field", "wrong", token, &expires, &delay, &err),
                         MUSTER_EDENIED);
        if (i >= 3)
            assert_true(delay >= last_delay && delay > 0);
        else
            assert_int_equal(delay, 0);
        last_delay = delay;
    }
    /* locked: even the right password is refused, with the reason */
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &delay, &err),
        MUSTER_EDENIED);
    assert_non_null(strstr(err.msg, "locked"));
    /* 16 minutes later the lock is over */
    char later[32];
    time_t t = time(NULL) + 16 * 60;
    strftime(later, sizeof later, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    setenv("MUSTER_NOW", later, 1);
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &delay, &err),
        0);
}

static void test_unknown_user_looks_like_wrong_password(void **state)
{
    struct fixture *f = *state;
    struct muster_err err, err2;
    char token[65];
    int64_t expires, delay;
    assert_int_equal(auth_login(f->n->st, "nobody", "x", token, &expires, &delay, &err),
                     MUSTER_EDENIED);
    assert_int_equal(auth_login(f->n->st, "kim.field", "x", token, &expires, &delay, &err2),
                     MUSTER_EDENIED);
    assert_string_equal(err.msg, err2.msg);
}

static void test_disabled_and_expired(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    char token[65];
    int64_t expires, delay;
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &delay, &err),
        0);
    /* 13 hours later the session is over */
    char later[32];
    time_t t = time(NULL) + 13 * 3600;
    strftime(later, sizeof later, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    setenv("MUSTER_NOW", later, 1);
    struct principal w;
    assert_int_equal(auth_session(f->n->st, token, &w, &err), MUSTER_EDENIED);
    unsetenv("MUSTER_NOW");
    assert_int_equal(auth_session(f->n->st, token, &w, &err), 0);
    assert_int_equal(auth_user_disable(f->n, "test", "kim.field", &err), 0);
    assert_int_equal(auth_session(f->n->st, token, &w, &err), MUSTER_EDENIED);
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &delay, &err),
        MUSTER_EDENIED);
}

/* The session cache answers without the store, forgets a token logged out
 * through it at once, never outlives the session, and sees a revocation
 * made elsewhere (a disabled account) within AUTH_CACHE_MS. */
static void test_session_cache(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    char token[65], other[65];
    int64_t expires, delay;
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &delay, &err),
        0);
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", other, &expires, &delay, &err),
        0);
    struct auth_cache *c = auth_cache_new();
    assert_non_null(c);
    struct principal w;
    assert_int_equal(auth_session_cached(c, f->n->st, token, &w, &err), 0);
    assert_string_equal(w.user, "kim.field");
    assert_int_equal(w.npoints, 2);
    assert_int_equal(auth_session_cached(c, f->n->st, other, &w, &err), 0);
    /* a malformed or unknown token is never cached */
    assert_int_equal(auth_session_cached(c, f->n->st, "short", &w, &err), MUSTER_EDENIED);
    char forged[65];
    memcpy(forged, token, 65);
    forged[0] = forged[0] == 'a' ? 'b' : 'a';
    assert_int_equal(auth_session_cached(c, f->n->st, forged, &w, &err), MUSTER_EDENIED);
    /* logout through the cache: refused at once */
    assert_int_equal(auth_cache_logout(c, f->n->st, token, &err), 0);
    assert_int_equal(auth_session_cached(c, f->n->st, token, &w, &err), MUSTER_EDENIED);
    /* the session's expiry bounds the entry */
    char later[32];
    time_t t = time(NULL) + 13 * 3600;
    strftime(later, sizeof later, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    setenv("MUSTER_NOW", later, 1);
    assert_int_equal(auth_session_cached(c, f->n->st, other, &w, &err), MUSTER_EDENIED);
    unsetenv("MUSTER_NOW");
    assert_int_equal(auth_session_cached(c, f->n->st, other, &w, &err), 0);
    /* disabled behind the cache's back: seen once the entry is stale */
    assert_int_equal(auth_user_disable(f->n, "test", "kim.field", &err), 0);
    struct timespec wait = {AUTH_CACHE_MS / 1000, (AUTH_CACHE_MS % 1000) * 1000000L + 50000000L};
    nanosleep(&wait, NULL);
    assert_int_equal(auth_session_cached(c, f->n->st, other, &w, &err), MUSTER_EDENIED);
    auth_cache_free(c);
}

static void test_bad_accounts_refused(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    assert_int_equal(auth_user_add(f->n, "t", "x", "long enough pw", "KOR", "officer", NULL, &err),
                     MUSTER_EINVAL);
    assert_int_equal(auth_user_add(f->n, "t", "lee", "short", "KOR", "officer", NULL, &err),
                     MUSTER_EINVAL);
    assert_int_equal(
        auth_user_add(f->n, "t", "lee", "long enough pw", "Korea", "officer", NULL, &err),
        MUSTER_EINVAL);
    assert_int_equal(auth_user_add(f->n, "t", "lee", "long enough pw", "KOR", "king", NULL, &err),
                     MUSTER_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_login_and_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_password_slows_then_locks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_user_looks_like_wrong_password, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_disabled_and_expired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_accounts_refused, setup, teardown),
    };
    return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}

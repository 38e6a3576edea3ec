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

#include "test_db.h"

struct fixture {
    char dir[64], db[512];
    struct node *n;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_node_fresh(f->dir, sizeof f->dir, f->db, sizeof f->db, &f->n);
    struct muster_err err;
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
    int64_t expires;
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &err), 0);
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
    int64_t expires;
    for (int i = 1; i <= AUTH_LOCK_AFTER; i++)
        assert_int_equal(auth_login(f->n->st, "kim.field", "wrong", token, &expires, &err),
                         MUSTER_EDENIED);
    /* locked: even the right password is refused, with the reason */
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &err),
        MUSTER_EDENIED);
    assert_non_null(strstr(err.msg, "locked"));
    /* 16 minutes later the lock is over */
    char later[32];
    time_t t = time(NULL) + 16 * 60;
    strftime(later, sizeof later, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    setenv("MUSTER_NOW", later, 1);
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &err), 0);
}

/* Runs n failed tries of name through a throttle as the server does, each
 * as soon as the throttle allows; returns the waits asked, in ms, and the
 * last reason. */
static void throttled(struct fixture *f, struct auth_throttle *t, const char *name, int n,
                      int64_t waits[], struct muster_err *last)
{
    char token[65];
    int64_t expires, now = 1000000, retry;
    for (int i = 0; i < n; i++) {
        waits[i] = 0;
        if (auth_throttle_check(t, name, now, &retry, last)) {
            assert_true(retry > 0);
            waits[i] = retry;
            /* too early: refused again until the wait is over */
            assert_int_equal(auth_throttle_check(t, name, now + retry - 1, &retry, last),
                             MUSTER_EDENIED);
            now += waits[i];
            assert_int_equal(auth_throttle_check(t, name, now, &retry, last), 0);
        }
        assert_int_equal(auth_login(f->n->st, name, "wrong", token, &expires, last),
                         MUSTER_EDENIED);
        assert_string_equal(last->msg, "wrong user name or password");
        auth_throttle_result(t, name, false, now);
    }
    assert_int_equal(auth_throttle_check(t, name, now, &retry, last), MUSTER_EDENIED);
    assert_true(retry > 0);
}

static void test_unknown_user_looks_like_wrong_password(void **state)
{
    struct fixture *f = *state;
    struct muster_err err, err2;
    char token[65];
    int64_t expires;
    assert_int_equal(auth_login(f->n->st, "nobody", "x", token, &expires, &err), MUSTER_EDENIED);
    assert_int_equal(auth_login(f->n->st, "kim.field", "x", token, &expires, &err2),
                     MUSTER_EDENIED);
    assert_string_equal(err.msg, err2.msg);
    /* the same waits, from the same failure on, and the same lock */
    struct auth_throttle *t = auth_throttle_new();
    int64_t known[AUTH_LOCK_AFTER], unknown[AUTH_LOCK_AFTER];
    throttled(f, t, "kim.field", AUTH_LOCK_AFTER - 1, known, &err);
    throttled(f, t, "nobody.here", AUTH_LOCK_AFTER - 1, unknown, &err2);
    assert_memory_equal(known, unknown, sizeof(int64_t) * (AUTH_LOCK_AFTER - 1));
    assert_int_equal(known[0], 0);
    assert_int_equal(known[1], 0);
    assert_int_equal(known[2], 0);
    assert_true(known[3] > 0 && known[4] > known[3]);
    char a[256], b[256];
    int64_t retry, now = 10000000;
    assert_int_equal(auth_throttle_check(t, "kim.field", now, &retry, &err), 0);
    auth_throttle_result(t, "kim.field", false, now);
    assert_int_equal(auth_throttle_check(t, "nobody.here", now, &retry, &err2), 0);
    auth_throttle_result(t, "nobody.here", false, now);
    assert_int_equal(auth_throttle_check(t, "kim.field", now + 1, &retry, &err), MUSTER_EDENIED);
    assert_int_equal(retry, 0);
    snprintf(a, sizeof a, "%s", err.msg);
    assert_int_equal(auth_throttle_check(t, "nobody.here", now + 1, &retry, &err2), MUSTER_EDENIED);
    snprintf(b, sizeof b, "%s", err2.msg);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "locked"));
    /* a success forgets the failures */
    auth_throttle_result(t, "nobody.here", true, now);
    assert_int_equal(auth_throttle_check(t, "nobody.here", now + 1, &retry, &err2), 0);
    auth_throttle_free(t);
}

static void test_disabled_and_expired(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    char token[65];
    int64_t expires;
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &err), 0);
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
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &err),
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
    int64_t expires;
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", token, &expires, &err), 0);
    assert_int_equal(
        auth_login(f->n->st, "kim.field", "correct horse battery", other, &expires, &err), 0);
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

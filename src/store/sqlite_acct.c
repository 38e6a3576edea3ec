/* sqlite_acct.c — user accounts and login sessions of this node. They are
 * node-local (never replicated) and not projections: a rebuild keeps them. */
#include "store/sqlite_int.h"

#include <string.h>

#define USER_COLS "name, nation, role, points, pw_hash, disabled, failed, locked_until, created_ms"

static int sq_user_put(struct store *s, const struct store_user *u, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "INSERT OR REPLACE INTO users (" USER_COLS
                                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sq_bind_text(st, 1, u->name);
    sq_bind_text(st, 2, u->nation);
    sq_bind_text(st, 3, u->role);
    sq_bind_text(st, 4, u->points);
    sq_bind_text(st, 5, u->pw_hash);
    sqlite3_bind_int(st, 6, u->disabled);
    sqlite3_bind_int64(st, 7, u->failed);
    sqlite3_bind_int64(st, 8, u->locked_until);
    sqlite3_bind_int64(st, 9, u->created_ms);
    return sq_exec_done(sq(s), st, err, "user_put");
}

static void read_user(sqlite3_stmt *st, struct store_user *u, struct arena *a)
{
    u->name = sq_col_text(st, 0, a);
    u->nation = sq_col_text(st, 1, a);
    u->role = sq_col_text(st, 2, a);
    u->points = sq_col_text(st, 3, a);
    u->pw_hash = sq_col_text(st, 4, a);
    u->disabled = sqlite3_column_int(st, 5) != 0;
    u->failed = sqlite3_column_int64(st, 6);
    u->locked_until = sqlite3_column_int64(st, 7);
    u->created_ms = sqlite3_column_int64(st, 8);
}

static int sq_user_get(struct store *s, const char *name, struct store_user *u, struct arena *a,
                       struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " USER_COLS " FROM users WHERE name = ?");
    if (!st)
        return sq_error(sq(s), err, "user_get");
    sq_bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_user(st, u, a);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return err_set(err, MUSTER_ENOTFOUND, "no user %s", name);
    return sq_error(sq(s), err, "user_get");
}

static int sq_user_list(struct store *s, struct store_user **out, size_t *n, struct arena *a,
                        struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " USER_COLS " FROM users ORDER BY name");
    if (!st)
        return sq_error(sq(s), err, "user_list");
    size_t cap = 16;
    *out = arena_alloc(a, cap * sizeof **out);
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            struct store_user *bigger = arena_alloc(a, 2 * cap * sizeof **out);
            memcpy(bigger, *out, cap * sizeof **out);
            *out = bigger;
            cap *= 2;
        }
        read_user(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return 0;
}

static int sq_user_login_result(struct store *s, const char *name, int64_t failed,
                                int64_t locked_until, struct muster_err *err)
{
    sqlite3_stmt *st =
        sq_stmt(sq(s), "UPDATE users SET failed = ?, locked_until = ? WHERE name = ?");
    sqlite3_bind_int64(st, 1, failed);
    sqlite3_bind_int64(st, 2, locked_until);
    sq_bind_text(st, 3, name);
    return sq_exec_done(sq(s), st, err, "user_login_result");
}

static int sq_session_put(struct store *s, const struct store_session *ss, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "INSERT INTO sessions (token_hash, user, expires_ms,"
                                      " revoked) VALUES (?, ?, ?, ?)");
    sq_bind_text(st, 1, ss->token_hash);
    sq_bind_text(st, 2, ss->user);
    sqlite3_bind_int64(st, 3, ss->expires_ms);
    sqlite3_bind_int(st, 4, ss->revoked);
    return sq_exec_done(sq(s), st, err, "session_put");
}

static int sq_session_get(struct store *s, const char *token_hash, struct store_session *ss,
                          struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT token_hash, user, expires_ms, revoked FROM sessions"
                                      " WHERE token_hash = ?");
    if (!st)
        return sq_error(sq(s), err, "session_get");
    sq_bind_text(st, 1, token_hash);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ss->token_hash = sq_col_text(st, 0, a);
        ss->user = sq_col_text(st, 1, a);
        ss->expires_ms = sqlite3_column_int64(st, 2);
        ss->revoked = sqlite3_column_int(st, 3) != 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return err_set(err, MUSTER_ENOTFOUND, "no such session");
    return sq_error(sq(s), err, "session_get");
}

static int sq_session_revoke(struct store *s, const char *token_hash, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "UPDATE sessions SET revoked = 1 WHERE token_hash = ?");
    sq_bind_text(st, 1, token_hash);
    return sq_exec_done(sq(s), st, err, "session_revoke");
}

void sq_acct_ops(struct store_ops *o)
{
    o->user_put = sq_user_put;
    o->user_get = sq_user_get;
    o->user_list = sq_user_list;
    o->user_login_result = sq_user_login_result;
    o->session_put = sq_session_put;
    o->session_get = sq_session_get;
    o->session_revoke = sq_session_revoke;
}

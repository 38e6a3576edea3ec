/* pg_acct.c — user accounts and login sessions of this node in the
 * PostgreSQL store. Node-local and not projections: a rebuild keeps them. */
#include "store/pg_int.h"

#include <string.h>

#define USER_COLS "name, nation, role, points, pw_hash, disabled, failed, locked_until, created_ms"

static int pg_user_put(struct store *s, const struct store_user *u, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, u->name);
    pg_p_text(&p, u->nation);
    pg_p_text(&p, u->role);
    pg_p_text(&p, u->points);
    pg_p_text(&p, u->pw_hash);
    pg_p_i64(&p, u->disabled ? 1 : 0);
    pg_p_i64(&p, u->failed);
    pg_p_i64(&p, u->locked_until);
    pg_p_i64(&p, u->created_ms);
    return pg_exec_done(pg(s),
                        "INSERT INTO users (" USER_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7,"
                        " $8, $9) ON CONFLICT (name) DO UPDATE SET nation = excluded.nation,"
                        " role = excluded.role, points = excluded.points,"
                        " pw_hash = excluded.pw_hash, disabled = excluded.disabled,"
                        " failed = excluded.failed, locked_until = excluded.locked_until,"
                        " created_ms = excluded.created_ms",
                        &p, NULL, err, "user_put");
}

static void read_user(const PGresult *r, int i, struct store_user *u, struct arena *a)
{
    u->name = pg_col_text(r, i, 0, a);
    u->nation = pg_col_text(r, i, 1, a);
    u->role = pg_col_text(r, i, 2, a);
    u->points = pg_col_text(r, i, 3, a);
    u->pw_hash = pg_col_text(r, i, 4, a);
    u->disabled = pg_col_i64(r, i, 5) != 0;
    u->failed = pg_col_i64(r, i, 6);
    u->locked_until = pg_col_i64(r, i, 7);
    u->created_ms = pg_col_i64(r, i, 8);
}

static int pg_user_get(struct store *s, const char *name, struct store_user *u, struct arena *a,
                       struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, name);
    PGresult *r = pg_run(pg(s), "SELECT " USER_COLS " FROM users WHERE name = $1", &p, 0);
    int rc = pg_check(pg(s), r, err, "user_get");
    if (rc == 0 && PQntuples(r) == 1)
        read_user(r, 0, u, a);
    else if (rc == 0)
        rc = err_set(err, MUSTER_ENOTFOUND, "no user %s", name);
    PQclear(r);
    return rc;
}

static int pg_user_list(struct store *s, struct store_user **out, size_t *n, struct arena *a,
                        struct muster_err *err)
{
    PGresult *r = pg_run(pg(s), "SELECT " USER_COLS " FROM users ORDER BY name", NULL, 0);
    int rc = pg_check(pg(s), r, err, "user_list");
    *n = 0;
    /* never NULL, as in the SQLite store */
    size_t rows = rc ? 0 : (size_t)PQntuples(r);
    *out = arena_alloc(a, (rows ? rows : 1) * sizeof **out);
    for (size_t i = 0; i < rows; i++) {
        memset(&(*out)[i], 0, sizeof **out);
        read_user(r, (int)i, &(*out)[(*n)++], a);
    }
    PQclear(r);
    return rc;
}

static int pg_user_login_result(struct store *s, const char *name, int64_t failed,
                                int64_t locked_until, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_i64(&p, failed);
    pg_p_i64(&p, locked_until);
    pg_p_text(&p, name);
    return pg_exec_done(pg(s), "UPDATE users SET failed = $1, locked_until = $2 WHERE name = $3",
                        &p, NULL, err, "user_login_result");
}

static int pg_session_put(struct store *s, const struct store_session *ss, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, ss->token_hash);
    pg_p_text(&p, ss->user);
    pg_p_i64(&p, ss->expires_ms);
    pg_p_i64(&p, ss->revoked ? 1 : 0);
    /* a duplicate is reported without aborting the caller's transaction */
    int64_t changed = 0;
    int rc = pg_exec_done(pg(s),
                          "INSERT INTO sessions (token_hash, \"user\", expires_ms, revoked)"
                          " VALUES ($1, $2, $3, $4) ON CONFLICT (token_hash) DO NOTHING",
                          &p, &changed, err, "session_put");
    if (rc == 0 && changed == 0)
        return err_set(err, MUSTER_ECONFLICT, "session_put: the session already exists");
    return rc;
}

static int pg_session_get(struct store *s, const char *token_hash, struct store_session *ss,
                          struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, token_hash);
    PGresult *r = pg_run(pg(s),
                         "SELECT token_hash, \"user\", expires_ms, revoked FROM sessions"
                         " WHERE token_hash = $1",
                         &p, 0);
    int rc = pg_check(pg(s), r, err, "session_get");
    if (rc == 0 && PQntuples(r) == 1) {
        ss->token_hash = pg_col_text(r, 0, 0, a);
        ss->user = pg_col_text(r, 0, 1, a);
        ss->expires_ms = pg_col_i64(r, 0, 2);
        ss->revoked = pg_col_i64(r, 0, 3) != 0;
    } else if (rc == 0) {
        rc = err_set(err, MUSTER_ENOTFOUND, "no such session");
    }
    PQclear(r);
    return rc;
}

static int pg_session_revoke(struct store *s, const char *token_hash, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, token_hash);
    return pg_exec_done(pg(s), "UPDATE sessions SET revoked = 1 WHERE token_hash = $1", &p, NULL,
                        err, "session_revoke");
}

void pg_acct_ops(struct store_ops *o)
{
    o->user_put = pg_user_put;
    o->user_get = pg_user_get;
    o->user_list = pg_user_list;
    o->user_login_result = pg_user_login_result;
    o->session_put = pg_session_put;
    o->session_get = pg_session_get;
    o->session_revoke = pg_session_revoke;
}

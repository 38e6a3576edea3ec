/* sqlite_audit.c — the read audit of the SQLite store: rows appended in the
 * caller's transaction (the server's group commit), read back per person. */
#include "store/sqlite_int.h"

#include <string.h>

#define AUDIT_COLS "id, time_ms, actor, nation, role, route, purpose, person, view"

static int sq_read_audit_put(struct store *s, const struct store_read *rows, size_t n,
                             struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    for (size_t i = 0; i < n; i++) {
        const struct store_read *r = &rows[i];
        sqlite3_stmt *st = sq_stmt(ss, "INSERT INTO read_audit (time_ms, actor, nation, role,"
                                       " route, purpose, person, view)"
                                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        if (!st)
            return sq_error(ss, err, "read_audit_put");
        sqlite3_bind_int64(st, 1, r->time_ms);
        const char *text[] = {r->actor,   r->nation, r->role, r->route,
                              r->purpose, r->person, r->view};
        for (int k = 0; k < 7; k++)
            sq_bind_text(st, k + 2, text[k]);
        int rc = sq_exec_done(ss, st, err, "read_audit_put");
        if (rc)
            return rc;
    }
    return 0;
}

static int sq_read_audit_list(struct store *s, const char *person, int64_t limit,
                              struct store_read **out, size_t *n, struct arena *a,
                              struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " AUDIT_COLS " FROM read_audit WHERE person = ?"
                                      " ORDER BY id LIMIT ?");
    if (!st)
        return sq_error(sq(s), err, "read_audit_list");
    sq_bind_text(st, 1, person);
    sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            struct store_read *bigger = arena_alloc(a, ncap * sizeof *bigger);
            if (*n)
                memcpy(bigger, *out, *n * sizeof *bigger);
            *out = bigger;
            cap = ncap;
        }
        struct store_read *r = &(*out)[(*n)++];
        r->id = sqlite3_column_int64(st, 0);
        r->time_ms = sqlite3_column_int64(st, 1);
        const char **text[] = {&r->actor,   &r->nation, &r->role, &r->route,
                               &r->purpose, &r->person, &r->view};
        for (int k = 0; k < 7; k++)
            *text[k] = sq_col_text(st, k + 2, a);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_error(sq(s), err, "read_audit_list");
    return 0;
}

void sq_audit_ops(struct store_ops *o)
{
    o->read_audit_put = sq_read_audit_put;
    o->read_audit_list = sq_read_audit_list;
}

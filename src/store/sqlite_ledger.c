/* sqlite_ledger.c — the reciprocity ledger's projection in the SQLite store:
 * carriages (who carried which nationality on which leg, never who) and the
 * versions of each nation's fare policy. */
#include "store/sqlite_int.h"

#include <string.h>

#define CARRIAGE_COLS                                                                              \
    "id, operation, leg, carrier, nationality, slot, boarded_ms, departed_ms, fare"

static int sq_carriage_put(struct store *s, const struct store_carriage *c, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "INSERT OR REPLACE INTO carriages (" CARRIAGE_COLS
                                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const char *text[] = {c->id, c->operation, c->leg, c->carrier, c->nationality, c->slot};
    for (int i = 0; i < 6; i++)
        sq_bind_text(st, i + 1, text[i]);
    sqlite3_bind_int64(st, 7, c->boarded_ms);
    if (c->departed_ms)
        sqlite3_bind_int64(st, 8, c->departed_ms);
    else
        sqlite3_bind_null(st, 8);
    sq_bind_text(st, 9, c->fare);
    return sq_exec_done(sq(s), st, err, "carriage_put");
}

static int sq_carriage_get(struct store *s, const char *id, struct store_carriage *c,
                           struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " CARRIAGE_COLS " FROM carriages WHERE id = ?");
    if (!st)
        return sq_error(sq(s), err, "carriage_get");
    sq_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char **text[] = {&c->id,      &c->operation,   &c->leg,
                               &c->carrier, &c->nationality, &c->slot};
        for (int i = 0; i < 6; i++)
            *text[i] = sq_col_text(st, i, a);
        c->boarded_ms = sqlite3_column_int64(st, 6);
        c->departed_ms = sqlite3_column_int64(st, 7);
        c->fare = sq_col_text(st, 8, a);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return err_set(err, MUSTER_ENOTFOUND, "no carriage %s", id);
    return sq_error(sq(s), err, "carriage_get");
}

static int sq_carriage_delete(struct store *s, const char *id, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "DELETE FROM carriages WHERE id = ?");
    sq_bind_text(st, 1, id);
    return sq_exec_done(sq(s), st, err, "carriage_delete");
}

static int sq_carriage_sums(struct store *s, const char *operation, struct store_carriage_sum **out,
                            size_t *n, struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(
        sq(s), "SELECT operation, leg, carrier, nationality, fare,"
               " sum(departed_ms IS NULL), sum(departed_ms IS NOT NULL), sum(slot = 'stretcher')"
               " FROM carriages WHERE ?1 IS NULL OR operation = ?1"
               " GROUP BY operation, leg, carrier, nationality, fare"
               " ORDER BY operation, leg, carrier, nationality, fare");
    if (!st)
        return sq_error(sq(s), err, "carriage_sums");
    sq_bind_text(st, 1, operation);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct store_carriage_sum *bigger = arena_alloc(a, ncap * sizeof *bigger);
            if (*n)
                memcpy(bigger, *out, *n * sizeof *bigger);
            *out = bigger;
            cap = ncap;
        }
        struct store_carriage_sum *c = &(*out)[(*n)++];
        c->operation = sq_col_text(st, 0, a);
        c->leg = sq_col_text(st, 1, a);
        c->carrier = sq_col_text(st, 2, a);
        c->nationality = sq_col_text(st, 3, a);
        c->fare = sq_col_text(st, 4, a);
        c->boarded = sqlite3_column_int64(st, 5);
        c->departed = sqlite3_column_int64(st, 6);
        c->stretchers = sqlite3_column_int64(st, 7);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(sq(s), err, "carriage_sums");
}

static int sq_fare_put(struct store *s, const struct store_fare *f, struct muster_err *err)
{
    sqlite3_stmt *st =
        sq_stmt(sq(s), "INSERT OR REPLACE INTO fare_policies (id, operation, nation, effective_ms,"
                       " set_ms, policy) VALUES (?, ?, ?, ?, ?, ?)");
    sq_bind_text(st, 1, f->id);
    sq_bind_text(st, 2, f->operation);
    sq_bind_text(st, 3, f->nation);
    sqlite3_bind_int64(st, 4, f->effective_ms);
    sqlite3_bind_int64(st, 5, f->set_ms);
    sq_bind_text(st, 6, f->policy);
    return sq_exec_done(sq(s), st, err, "fare_put");
}

static int sq_fare_at(struct store *s, const char *operation, const char *nation, int64_t at_ms,
                      struct store_fare *f, struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(
        sq(s), "SELECT id, operation, nation, effective_ms, set_ms, policy FROM fare_policies"
               " WHERE operation = ? AND nation = ? AND effective_ms <= ?"
               " ORDER BY effective_ms DESC, set_ms DESC, id DESC LIMIT 1");
    if (!st)
        return sq_error(sq(s), err, "fare_at");
    sq_bind_text(st, 1, operation);
    sq_bind_text(st, 2, nation);
    sqlite3_bind_int64(st, 3, at_ms);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        f->id = sq_col_text(st, 0, a);
        f->operation = sq_col_text(st, 1, a);
        f->nation = sq_col_text(st, 2, a);
        f->effective_ms = sqlite3_column_int64(st, 3);
        f->set_ms = sqlite3_column_int64(st, 4);
        f->policy = sq_col_text(st, 5, a);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return err_set(err, MUSTER_ENOTFOUND, "no fare policy of %s", nation);
    return sq_error(sq(s), err, "fare_at");
}

void sq_ledger_ops(struct store_ops *o)
{
    o->carriage_put = sq_carriage_put;
    o->carriage_get = sq_carriage_get;
    o->carriage_delete = sq_carriage_delete;
    o->carriage_sums = sq_carriage_sums;
    o->fare_put = sq_fare_put;
    o->fare_at = sq_fare_at;
}

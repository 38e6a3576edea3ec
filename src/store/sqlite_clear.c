/* sqlite_clear.c — the clearances projection: pre-clearance decisions. */
#include "store/sqlite_int.h"

#include <string.h>

#define CLEAR_COLS                                                                                 \
    "id, leg, person, nation, decision, basis, surname, given_names, birth_date, nationality,"     \
    " doc_number, reasons, hits, original, override_by, override_reason, decided_ms"

static int sq_clearance_put(struct store *s, const struct store_clearance *c,
                            struct muster_err *err)
{
    sqlite3_stmt *st =
        sq_stmt(sq(s), "INSERT OR REPLACE INTO clearances (" CLEAR_COLS
                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const char *text[] = {c->id,         c->leg,         c->person,      c->nation,
                          c->decision,   c->basis,       c->surname,     c->given_names,
                          c->birth_date, c->nationality, c->doc_number,  c->reasons,
                          c->hits,       c->original,    c->override_by, c->override_reason};
    for (int i = 0; i < 16; i++)
        sq_bind_text(st, i + 1, text[i]);
    sqlite3_bind_int64(st, 17, c->decided_ms);
    return sq_exec_done(sq(s), st, err, "clearance_put");
}

static void read_clearance(sqlite3_stmt *st, struct store_clearance *c, struct arena *a)
{
    const char **text[] = {&c->id,         &c->leg,         &c->person,      &c->nation,
                           &c->decision,   &c->basis,       &c->surname,     &c->given_names,
                           &c->birth_date, &c->nationality, &c->doc_number,  &c->reasons,
                           &c->hits,       &c->original,    &c->override_by, &c->override_reason};
    for (int i = 0; i < 16; i++)
        *text[i] = sq_col_text(st, i, a);
    c->decided_ms = sqlite3_column_int64(st, 16);
}

static int sq_clearance_get(struct store *s, const char *id, struct store_clearance *c,
                            struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " CLEAR_COLS " FROM clearances WHERE id = ?");
    if (!st)
        return sq_error(sq(s), err, "clearance_get");
    sq_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_clearance(st, c, a);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return err_set(err, MUSTER_ENOTFOUND, "no clearance %s", id);
    return sq_error(sq(s), err, "clearance_get");
}

static int sq_clearance_list(struct store *s, const char *leg, const char *nation,
                             struct store_clearance **out, size_t *n, struct arena *a,
                             struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " CLEAR_COLS " FROM clearances WHERE leg = ?"
                                      " AND nation = ? ORDER BY surname, given_names, id");
    if (!st)
        return sq_error(sq(s), err, "clearance_list");
    sq_bind_text(st, 1, leg);
    sq_bind_text(st, 2, nation);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            struct store_clearance *bigger = arena_alloc(a, ncap * sizeof *bigger);
            if (*n)
                memcpy(bigger, *out, *n * sizeof *bigger);
            *out = bigger;
            cap = ncap;
        }
        read_clearance(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return 0;
}

static int sq_clearance_of_person(struct store *s, const char *person, struct store_clearance **out,
                                  size_t *n, struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " CLEAR_COLS " FROM clearances WHERE person = ?"
                                      " ORDER BY decided_ms, id");
    if (!st)
        return sq_error(sq(s), err, "clearance_of_person");
    sq_bind_text(st, 1, person);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct store_clearance *bigger = arena_alloc(a, ncap * sizeof *bigger);
            if (*n)
                memcpy(bigger, *out, *n * sizeof *bigger);
            *out = bigger;
            cap = ncap;
        }
        read_clearance(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return 0;
}

void sq_clear_ops(struct store_ops *o)
{
    o->clearance_of_person = sq_clearance_of_person;
    o->clearance_put = sq_clearance_put;
    o->clearance_get = sq_clearance_get;
    o->clearance_list = sq_clearance_list;
}

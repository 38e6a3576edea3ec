/* pg_clear.c — the clearances projection of the PostgreSQL store:
 * pre-clearance decisions, as sqlite_clear.c keeps them. */
#include "store/pg_int.h"

#include <string.h>

#define CLEAR_COLS                                                                                 \
    "id, leg, person, nation, decision, basis, surname, given_names, birth_date, nationality,"     \
    " doc_number, reasons, hits, original, override_by, override_reason, decided_ms"

static int pg_clearance_put(struct store *s, const struct store_clearance *c,
                            struct muster_err *err)
{
    struct pg_params p = {0};
    const char *text[] = {c->id,         c->leg,         c->person,      c->nation,
                          c->decision,   c->basis,       c->surname,     c->given_names,
                          c->birth_date, c->nationality, c->doc_number,  c->reasons,
                          c->hits,       c->original,    c->override_by, c->override_reason};
    for (int i = 0; i < 16; i++)
        pg_p_text(&p, text[i]);
    pg_p_i64(&p, c->decided_ms);
    return pg_exec_done(
        pg(s),
        "INSERT INTO clearances (" CLEAR_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
        " $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT (id) DO UPDATE SET"
        " leg = excluded.leg, person = excluded.person, nation = excluded.nation,"
        " decision = excluded.decision, basis = excluded.basis, surname = excluded.surname,"
        " given_names = excluded.given_names, birth_date = excluded.birth_date,"
        " nationality = excluded.nationality, doc_number = excluded.doc_number,"
        " reasons = excluded.reasons, hits = excluded.hits, original = excluded.original,"
        " override_by = excluded.override_by, override_reason = excluded.override_reason,"
        " decided_ms = excluded.decided_ms",
        &p, NULL, err, "clearance_put");
}

static void read_clearance(const PGresult *r, int row, struct store_clearance *c, struct arena *a)
{
    const char **text[] = {&c->id,         &c->leg,         &c->person,      &c->nation,
                           &c->decision,   &c->basis,       &c->surname,     &c->given_names,
                           &c->birth_date, &c->nationality, &c->doc_number,  &c->reasons,
                           &c->hits,       &c->original,    &c->override_by, &c->override_reason};
    for (int i = 0; i < 16; i++)
        *text[i] = pg_col_text(r, row, i, a);
    c->decided_ms = pg_col_i64(r, row, 16);
}

static int pg_clearance_get(struct store *s, const char *id, struct store_clearance *c,
                            struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, id);
    PGresult *r = pg_run(pg(s), "SELECT " CLEAR_COLS " FROM clearances WHERE id = $1", &p, 0);
    int rc = pg_check(pg(s), r, err, "clearance_get");
    if (rc == 0 && PQntuples(r) == 1)
        read_clearance(r, 0, c, a);
    else if (rc == 0)
        rc = err_set(err, MUSTER_ENOTFOUND, "no clearance %s", id);
    PQclear(r);
    return rc;
}

static int pg_clearance_list(struct store *s, const char *leg, const char *nation,
                             struct store_clearance **out, size_t *n, struct arena *a,
                             struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, leg);
    pg_p_text(&p, nation);
    PGresult *r = pg_run(pg(s),
                         "SELECT " CLEAR_COLS " FROM clearances WHERE leg = $1 AND nation = $2"
                         " ORDER BY surname, given_names, id",
                         &p, 0);
    int rc = pg_check(pg(s), r, err, "clearance_list");
    *n = 0;
    *out = NULL;
    if (rc == 0 && PQntuples(r) > 0) {
        *n = (size_t)PQntuples(r);
        *out = arena_alloc(a, *n * sizeof **out);
        for (size_t i = 0; i < *n; i++) {
            memset(&(*out)[i], 0, sizeof **out);
            read_clearance(r, (int)i, &(*out)[i], a);
        }
    }
    PQclear(r);
    return rc;
}

static int pg_clearance_of_person(struct store *s, const char *person, struct store_clearance **out,
                                  size_t *n, struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, person);
    PGresult *r = pg_run(pg(s),
                         "SELECT " CLEAR_COLS " FROM clearances WHERE person = $1"
                         " ORDER BY decided_ms, id",
                         &p, 0);
    int rc = pg_check(pg(s), r, err, "clearance_of_person");
    *n = 0;
    *out = NULL;
    if (rc == 0 && PQntuples(r) > 0) {
        *n = (size_t)PQntuples(r);
        *out = arena_alloc(a, *n * sizeof **out);
        for (size_t i = 0; i < *n; i++) {
            memset(&(*out)[i], 0, sizeof **out);
            read_clearance(r, (int)i, &(*out)[i], a);
        }
    }
    PQclear(r);
    return rc;
}

void pg_clear_ops(struct store_ops *o)
{
    o->clearance_of_person = pg_clearance_of_person;
    o->clearance_put = pg_clearance_put;
    o->clearance_get = pg_clearance_get;
    o->clearance_list = pg_clearance_list;
}

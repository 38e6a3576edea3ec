/* pg_ledger.c — the reciprocity ledger's projection in the PostgreSQL store,
 * as sqlite_ledger.c keeps it: carriages and versioned fare policies. */
#include "store/pg_int.h"

#include <string.h>

#define CARRIAGE_COLS                                                                              \
    "id, operation, leg, carrier, nationality, slot, boarded_ms, departed_ms, fare"

static int pg_carriage_put(struct store *s, const struct store_carriage *c, struct muster_err *err)
{
    struct pg_params p = {0};
    const char *text[] = {c->id, c->operation, c->leg, c->carrier, c->nationality, c->slot};
    for (int i = 0; i < 6; i++)
        pg_p_text(&p, text[i]);
    pg_p_i64(&p, c->boarded_ms);
    if (c->departed_ms)
        pg_p_i64(&p, c->departed_ms);
    else
        pg_p_text(&p, NULL);
    pg_p_text(&p, c->fare);
    return pg_exec_done(pg(s),
                        "INSERT INTO carriages (" CARRIAGE_COLS ") VALUES ($1, $2, $3, $4, $5,"
                        " $6, $7, $8, $9) ON CONFLICT (id) DO UPDATE SET"
                        " operation = excluded.operation, leg = excluded.leg,"
                        " carrier = excluded.carrier, nationality = excluded.nationality,"
                        " slot = excluded.slot, boarded_ms = excluded.boarded_ms,"
                        " departed_ms = excluded.departed_ms, fare = excluded.fare",
                        &p, NULL, err, "carriage_put");
}

static int pg_carriage_get(struct store *s, const char *id, struct store_carriage *c,
                           struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, id);
    PGresult *r = pg_run(pg(s), "SELECT " CARRIAGE_COLS " FROM carriages WHERE id = $1", &p, 0);
    int rc = pg_check(pg(s), r, err, "carriage_get");
    if (rc == 0 && PQntuples(r) == 1) {
        const char **text[] = {&c->id,      &c->operation,   &c->leg,
                               &c->carrier, &c->nationality, &c->slot};
        for (int i = 0; i < 6; i++)
            *text[i] = pg_col_text(r, 0, i, a);
        c->boarded_ms = pg_col_i64(r, 0, 6);
        c->departed_ms = pg_col_i64(r, 0, 7);
        c->fare = pg_col_text(r, 0, 8, a);
    } else if (rc == 0) {
        rc = err_set(err, MUSTER_ENOTFOUND, "no carriage %s", id);
    }
    PQclear(r);
    return rc;
}

static int pg_carriage_delete(struct store *s, const char *id, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, id);
    return pg_exec_done(pg(s), "DELETE FROM carriages WHERE id = $1", &p, NULL, err,
                        "carriage_delete");
}

static int pg_carriage_sums(struct store *s, const char *operation, struct store_carriage_sum **out,
                            size_t *n, struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, operation);
    PGresult *r = pg_run(
        pg(s),
        "SELECT operation, leg, carrier, nationality, fare,"
        " count(*) FILTER (WHERE departed_ms IS NULL), count(*) FILTER (WHERE departed_ms IS NOT"
        " NULL), count(*) FILTER (WHERE slot = 'stretcher')"
        " FROM carriages WHERE $1::text IS NULL OR operation = $1"
        " GROUP BY operation, leg, carrier, nationality, fare"
        " ORDER BY operation, leg, carrier, nationality, fare NULLS FIRST",
        &p, 0);
    int rc = pg_check(pg(s), r, err, "carriage_sums");
    *n = 0;
    *out = NULL;
    int rows = rc == 0 ? PQntuples(r) : 0;
    if (rows > 0)
        *out = arena_alloc(a, (size_t)rows * sizeof **out);
    for (int i = 0; i < rows; i++) {
        struct store_carriage_sum *c = &(*out)[(*n)++];
        c->operation = pg_col_text(r, i, 0, a);
        c->leg = pg_col_text(r, i, 1, a);
        c->carrier = pg_col_text(r, i, 2, a);
        c->nationality = pg_col_text(r, i, 3, a);
        c->fare = pg_col_text(r, i, 4, a);
        c->boarded = pg_col_i64(r, i, 5);
        c->departed = pg_col_i64(r, i, 6);
        c->stretchers = pg_col_i64(r, i, 7);
    }
    PQclear(r);
    return rc;
}

static int pg_fare_put(struct store *s, const struct store_fare *f, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, f->id);
    pg_p_text(&p, f->operation);
    pg_p_text(&p, f->nation);
    pg_p_i64(&p, f->effective_ms);
    pg_p_i64(&p, f->set_ms);
    pg_p_text(&p, f->policy);
    return pg_exec_done(pg(s),
                        "INSERT INTO fare_policies (id, operation, nation, effective_ms, set_ms,"
                        " policy) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET"
                        " operation = excluded.operation, nation = excluded.nation,"
                        " effective_ms = excluded.effective_ms, set_ms = excluded.set_ms,"
                        " policy = excluded.policy",
                        &p, NULL, err, "fare_put");
}

static int pg_fare_at(struct store *s, const char *operation, const char *nation, int64_t at_ms,
                      struct store_fare *f, struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, operation);
    pg_p_text(&p, nation);
    pg_p_i64(&p, at_ms);
    PGresult *r =
        pg_run(pg(s),
               "SELECT id, operation, nation, effective_ms, set_ms, policy FROM fare_policies"
               " WHERE operation = $1 AND nation = $2 AND effective_ms <= $3"
               " ORDER BY effective_ms DESC, set_ms DESC, id DESC LIMIT 1",
               &p, 0);
    int rc = pg_check(pg(s), r, err, "fare_at");
    if (rc == 0 && PQntuples(r) == 1) {
        f->id = pg_col_text(r, 0, 0, a);
        f->operation = pg_col_text(r, 0, 1, a);
        f->nation = pg_col_text(r, 0, 2, a);
        f->effective_ms = pg_col_i64(r, 0, 3);
        f->set_ms = pg_col_i64(r, 0, 4);
        f->policy = pg_col_text(r, 0, 5, a);
    } else if (rc == 0) {
        rc = err_set(err, MUSTER_ENOTFOUND, "no fare policy of %s", nation);
    }
    PQclear(r);
    return rc;
}

void pg_ledger_ops(struct store_ops *o)
{
    o->carriage_put = pg_carriage_put;
    o->carriage_get = pg_carriage_get;
    o->carriage_delete = pg_carriage_delete;
    o->carriage_sums = pg_carriage_sums;
    o->fare_put = pg_fare_put;
    o->fare_at = pg_fare_at;
}

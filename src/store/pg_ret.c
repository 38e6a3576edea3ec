/* pg_ret.c — the retention projection of the PostgreSQL store, as
 * sqlite_ret.c keeps it. */
#include "store/pg_int.h"

#include <string.h>

#define RET_COLS "id, nation, registry_days, partner_days, clearance_days, closed_ms, updated_ms"

/* Days < 0 and closed_ms 0 are stored as NULL: "not set". */
static void p_opt(struct pg_params *p, int64_t v, int64_t unset_below)
{
    if (v < unset_below)
        pg_p_text(p, NULL);
    else
        pg_p_i64(p, v);
}

static int64_t col_opt(const PGresult *r, int row, int col, int64_t unset)
{
    return PQgetisnull(r, row, col) ? unset : pg_col_i64(r, row, col);
}

static int pg_retention_put(struct store *s, const struct store_retention *rt,
                            struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, rt->id);
    pg_p_text(&p, rt->nation);
    p_opt(&p, rt->registry_days, 0);
    p_opt(&p, rt->partner_days, 0);
    p_opt(&p, rt->clearance_days, 0);
    p_opt(&p, rt->closed_ms, 1);
    pg_p_i64(&p, rt->updated_ms);
    return pg_exec_done(pg(s),
                        "INSERT INTO retention (" RET_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
                        " ON CONFLICT (id) DO UPDATE SET nation = excluded.nation,"
                        " registry_days = excluded.registry_days,"
                        " partner_days = excluded.partner_days,"
                        " clearance_days = excluded.clearance_days,"
                        " closed_ms = excluded.closed_ms, updated_ms = excluded.updated_ms",
                        &p, NULL, err, "retention_put");
}

static void read_retention(const PGresult *r, int row, struct store_retention *rt, struct arena *a)
{
    rt->id = pg_col_text(r, row, 0, a);
    rt->nation = pg_col_text(r, row, 1, a);
    rt->registry_days = col_opt(r, row, 2, -1);
    rt->partner_days = col_opt(r, row, 3, -1);
    rt->clearance_days = col_opt(r, row, 4, -1);
    rt->closed_ms = col_opt(r, row, 5, 0);
    rt->updated_ms = pg_col_i64(r, row, 6);
}

static int pg_retention_get(struct store *s, const char *id, struct store_retention *rt,
                            struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, id);
    PGresult *r = pg_run(pg(s), "SELECT " RET_COLS " FROM retention WHERE id = $1", &p, 0);
    int rc = pg_check(pg(s), r, err, "retention_get");
    if (rc == 0 && PQntuples(r) == 1)
        read_retention(r, 0, rt, a);
    else if (rc == 0)
        rc = err_set(err, MUSTER_ENOTFOUND, "no retention set for operation %s", id);
    PQclear(r);
    return rc;
}

static int pg_retention_list(struct store *s, struct store_retention **out, size_t *n,
                             struct arena *a, struct muster_err *err)
{
    PGresult *r = pg_run(pg(s),
                         "SELECT " RET_COLS " FROM retention WHERE closed_ms IS NOT NULL"
                         " ORDER BY id",
                         NULL, 0);
    int rc = pg_check(pg(s), r, err, "retention_list");
    *n = 0;
    *out = NULL;
    if (rc == 0 && PQntuples(r) > 0) {
        *n = (size_t)PQntuples(r);
        *out = arena_alloc(a, *n * sizeof **out);
        for (size_t i = 0; i < *n; i++)
            read_retention(r, (int)i, &(*out)[i], a);
    }
    PQclear(r);
    return rc;
}

static const char *const subjects_registry =
    "SELECT id FROM persons WHERE operation = $1 AND nation = $2 ORDER BY id";
static const char *const subjects_partner =
    "SELECT id FROM persons WHERE operation = $1 AND nation <> $2 ORDER BY id";
static const char *const subjects_clearance =
    "SELECT c.id FROM clearances c JOIN legs l ON l.id = c.leg WHERE l.operation = $1"
    " AND $2::text IS NOT NULL ORDER BY c.id";
static const char *const purge_registry =
    "DELETE FROM persons WHERE operation = $1 AND nation = $2";
static const char *const purge_partner =
    "DELETE FROM persons WHERE operation = $1 AND nation <> $2";
static const char *const purge_clearance =
    "DELETE FROM clearances WHERE leg IN (SELECT id FROM legs WHERE operation = $1)"
    " AND $2::text IS NOT NULL";

static const char *by_class(const char *cls, const char *reg, const char *par, const char *clr)
{
    if (strcmp(cls, "registry") == 0)
        return reg;
    if (strcmp(cls, "partner") == 0)
        return par;
    if (strcmp(cls, "clearance") == 0)
        return clr;
    return NULL;
}

static int pg_retention_subjects(struct store *s, const char *operation, const char *cls,
                                 const char *nation, const char ***ids, size_t *n, struct arena *a,
                                 struct muster_err *err)
{
    const char *sql = by_class(cls, subjects_registry, subjects_partner, subjects_clearance);
    if (!sql)
        return err_set(err, MUSTER_EINVAL, "no data class '%s'", cls);
    struct pg_params p = {0};
    pg_p_text(&p, operation);
    pg_p_text(&p, nation);
    PGresult *r = pg_run(pg(s), sql, &p, 0);
    int rc = pg_check(pg(s), r, err, "retention_subjects");
    *n = 0;
    *ids = NULL;
    if (rc == 0 && PQntuples(r) > 0) {
        *n = (size_t)PQntuples(r);
        *ids = arena_alloc(a, *n * sizeof **ids);
        for (size_t i = 0; i < *n; i++)
            (*ids)[i] = pg_col_text(r, (int)i, 0, a);
    }
    PQclear(r);
    return rc;
}

static int pg_retention_purge(struct store *s, const char *operation, const char *cls,
                              const char *nation, int64_t *gone, struct muster_err *err)
{
    const char *sql = by_class(cls, purge_registry, purge_partner, purge_clearance);
    if (!sql)
        return err_set(err, MUSTER_EINVAL, "no data class '%s'", cls);
    struct pg_params p = {0};
    pg_p_text(&p, operation);
    pg_p_text(&p, nation);
    *gone = 0;
    return pg_exec_done(pg(s), sql, &p, gone, err, "retention_purge");
}

void pg_ret_ops(struct store_ops *o)
{
    o->retention_put = pg_retention_put;
    o->retention_get = pg_retention_get;
    o->retention_list = pg_retention_list;
    o->retention_subjects = pg_retention_subjects;
    o->retention_purge = pg_retention_purge;
}

/* pg_proj.c — the projection tables of the PostgreSQL store: written only
 * by core/project.c (through store.h), read by everything that queries.
 * Queries mirror sqlite_proj.c; text columns use the "C" collation so that
 * orders and LIKE match SQLite's. */
#include "store/pg_int.h"

#include <math.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char *const pg_projection_tables[];
extern const size_t pg_projection_tables_count;

#define LEG_COLS                                                                                   \
    "id, operation, operator, kind, vehicle, seats, stretchers, point, departs, destination,"      \
    " destination_country, carries, status, arrives"
#define POINT_COLS "id, operation, name, kind, lat, lon, capacity"
#define OP_COLS    "id, nation, name, host_country, area, status, partners, created_ms"

/* Grows an arena array by doubling; returns the (maybe moved) array. */
static void *grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *bigger = arena_alloc(a, ncap * size);
    if (n)
        memcpy(bigger, arr, n * size);
    *cap = ncap;
    return bigger;
}

static int pg_proj_clear(struct store *s, struct muster_err *err)
{
    int rc = pg_flush(pg(s), err);
    if (rc)
        return rc;
    for (size_t i = 0; i < pg_projection_tables_count; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DELETE FROM %s", pg_projection_tables[i]);
        PGresult *r = PQexec(pg(s)->conn, sql);
        rc = pg_check(pg(s), r, err, "proj_clear");
        PQclear(r);
        if (rc)
            return rc;
    }
    return 0;
}

/* The SQLite type code of a column (1 integer, 2 real, 3 text, 4 blob). */
static uint8_t sqlite_type(Oid type)
{
    switch (type) {
    case 20:
    case 21:
    case 23: /* int8, int2, int4 */
        return SQLITE_INTEGER;
    case 700:
    case 701: /* float4, float8 */
        return SQLITE_FLOAT;
    case 17: /* bytea */
        return SQLITE_BLOB;
    default:
        return SQLITE_TEXT;
    }
}

/* Feeds one row to the hash as sqlite_proj.c does: each column as SQLite
 * type byte, length, bytes of its text form. Reals are printed as SQLite
 * prints them ("%!.15g") so that both stores give the same digest. */
static void digest_row(crypto_generichash_state *h, const PGresult *r)
{
    int n = PQnfields(r);
    for (int i = 0; i < n; i++) {
        uint8_t type = PQgetisnull(r, 0, i) ? SQLITE_NULL : sqlite_type(PQftype(r, i));
        const char *t = PQgetvalue(r, 0, i);
        char real[64];
        if (type == SQLITE_FLOAT) {
            sqlite3_snprintf(sizeof real, real, "%!.15g", strtod(t, NULL));
            t = real;
        }
        uint32_t len = type == SQLITE_NULL ? 0 : (uint32_t)strlen(t);
        crypto_generichash_update(h, &type, 1);
        crypto_generichash_update(h, (const uint8_t *)&len, 4);
        if (type != SQLITE_NULL)
            crypto_generichash_update(h, (const uint8_t *)t, len);
    }
}

/* Streams one table into the hash, row by row. */
static int digest_table(struct pg_store *ps, crypto_generichash_state *h, const char *table,
                        struct muster_err *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY id", table);
    crypto_generichash_update(h, (const uint8_t *)sql, strlen(sql));
    if (!PQsendQuery(ps->conn, sql) || !PQsetSingleRowMode(ps->conn))
        return pg_check(ps, NULL, err, "proj_digest");
    int rc = 0;
    PGresult *r;
    while ((r = PQgetResult(ps->conn)) != NULL) {
        if (PQresultStatus(r) == PGRES_SINGLE_TUPLE)
            digest_row(h, r);
        else if (rc == 0)
            rc = pg_check(ps, r, err, "proj_digest");
        PQclear(r);
    }
    return rc;
}

static int pg_proj_digest(struct store *s, uint8_t out[32], struct muster_err *err)
{
    int rc = pg_flush(pg(s), err);
    if (rc)
        return rc;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    for (size_t i = 0; i < pg_projection_tables_count; i++) {
        rc = digest_table(pg(s), &h, pg_projection_tables[i], err);
        if (rc)
            return rc;
    }
    crypto_generichash_final(&h, out, 32);
    return 0;
}

/* Runs a one-row lookup by id; read fills the record from row 0. */
static int get_one(struct pg_store *ps, const char *sql, const char *id, const char *what,
                   void (*read)(const PGresult *, int, void *, struct arena *), void *rec,
                   struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, id);
    PGresult *r = pg_run(ps, sql, &p, 0);
    int rc = pg_check(ps, r, err, what);
    if (rc == 0 && PQntuples(r) == 1)
        read(r, 0, rec, a);
    else if (rc == 0)
        rc = err_set(err, MUSTER_ENOTFOUND, "no %s %s", what, id);
    PQclear(r);
    return rc;
}

/* Runs a list query; read fills each element of an arena array. */
static int get_list(struct pg_store *ps, const char *sql, const struct pg_params *p,
                    const char *what, void (*read)(const PGresult *, int, void *, struct arena *),
                    size_t size, void **out, size_t *n, struct arena *a, struct muster_err *err)
{
    PGresult *r = pg_run(ps, sql, p, 0);
    int rc = pg_check(ps, r, err, what);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
        *out = grow(a, *out, *n, &cap, size);
        read(r, i, (char *)*out + size * (*n)++, a);
    }
    PQclear(r);
    return rc;
}

/* --- operations ---------------------------------------------------------- */

static int pg_operation_put(struct store *s, const struct store_operation *o,
                            struct muster_err *err)
{
    struct pg_params p = {0};
    const char *text[] = {o->id,   o->nation, o->name,    o->host_country,
                          o->area, o->status, o->partners};
    for (int i = 0; i < 7; i++)
        pg_p_text(&p, text[i]);
    pg_p_i64(&p, o->created_ms);
    return pg_exec_done(pg(s),
                        "INSERT INTO operations (" OP_COLS ") VALUES ($1, $2, $3, $4, $5, $6,"
                        " $7, $8) ON CONFLICT (id) DO UPDATE SET nation = excluded.nation,"
                        " name = excluded.name, host_country = excluded.host_country,"
                        " area = excluded.area, status = excluded.status,"
                        " partners = excluded.partners, created_ms = excluded.created_ms",
                        &p, NULL, err, "operation_put");
}

static void rd_operation(const PGresult *r, int i, void *rec, struct arena *a)
{
    struct store_operation *o = rec;
    o->id = pg_col_text(r, i, 0, a);
    o->nation = pg_col_text(r, i, 1, a);
    o->name = pg_col_text(r, i, 2, a);
    o->host_country = pg_col_text(r, i, 3, a);
    o->area = pg_col_text(r, i, 4, a);
    o->status = pg_col_text(r, i, 5, a);
    o->partners = pg_col_text(r, i, 6, a);
    o->created_ms = pg_col_i64(r, i, 7);
}

static int pg_operation_get(struct store *s, const char *id, struct store_operation *o,
                            struct arena *a, struct muster_err *err)
{
    return get_one(pg(s), "SELECT " OP_COLS " FROM operations WHERE id = $1", id, "operation",
                   rd_operation, o, a, err);
}

static int pg_operation_list(struct store *s, struct store_operation **out, size_t *n,
                             struct arena *a, struct muster_err *err)
{
    return get_list(pg(s), "SELECT " OP_COLS " FROM operations ORDER BY created_ms, id", NULL,
                    "operation_list", rd_operation, sizeof **out, (void **)out, n, a, err);
}

/* --- assembly points ----------------------------------------------------- */

static int pg_point_put(struct store *s, const struct store_point *pt, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, pt->id);
    pg_p_text(&p, pt->operation);
    pg_p_text(&p, pt->name);
    pg_p_text(&p, pt->kind);
    pg_p_real(&p, pt->lat);
    pg_p_real(&p, pt->lon);
    pg_p_i64(&p, pt->capacity);
    return pg_exec_done(pg(s),
                        "INSERT INTO assembly_points (" POINT_COLS ") VALUES ($1, $2, $3, $4,"
                        " $5, $6, $7) ON CONFLICT (id) DO UPDATE SET"
                        " operation = excluded.operation, name = excluded.name,"
                        " kind = excluded.kind, lat = excluded.lat, lon = excluded.lon,"
                        " capacity = excluded.capacity",
                        &p, NULL, err, "point_put");
}

static void rd_point(const PGresult *r, int i, void *rec, struct arena *a)
{
    struct store_point *p = rec;
    p->id = pg_col_text(r, i, 0, a);
    p->operation = pg_col_text(r, i, 1, a);
    p->name = pg_col_text(r, i, 2, a);
    p->kind = pg_col_text(r, i, 3, a);
    p->lat = pg_col_real(r, i, 4);
    p->lon = pg_col_real(r, i, 5);
    p->capacity = pg_col_i64(r, i, 6);
}

static int pg_point_get(struct store *s, const char *id, struct store_point *p, struct arena *a,
                        struct muster_err *err)
{
    return get_one(pg(s), "SELECT " POINT_COLS " FROM assembly_points WHERE id = $1", id,
                   "assembly point", rd_point, p, a, err);
}

static int pg_point_list(struct store *s, const char *operation, struct store_point **out,
                         size_t *n, struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, operation);
    return get_list(pg(s),
                    "SELECT " POINT_COLS " FROM assembly_points WHERE operation = $1 ORDER BY id",
                    &p, "point_list", rd_point, sizeof **out, (void **)out, n, a, err);
}

/* --- legs ---------------------------------------------------------------- */

static int pg_leg_put(struct store *s, const struct store_leg *l, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, l->id);
    pg_p_text(&p, l->operation);
    pg_p_text(&p, l->operator_nation);
    pg_p_text(&p, l->kind);
    pg_p_text(&p, l->vehicle);
    pg_p_i64(&p, l->seats);
    pg_p_i64(&p, l->stretchers);
    pg_p_text(&p, l->point);
    pg_p_i64(&p, l->departs);
    pg_p_text(&p, l->destination);
    pg_p_text(&p, l->destination_country);
    pg_p_text(&p, l->carries);
    pg_p_text(&p, l->status);
    if (l->arrives)
        pg_p_i64(&p, l->arrives);
    else
        pg_p_text(&p, NULL);
    return pg_exec_done(pg(s),
                        "INSERT INTO legs (" LEG_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
                        " $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO UPDATE SET"
                        " operation = excluded.operation, operator = excluded.operator,"
                        " kind = excluded.kind, vehicle = excluded.vehicle,"
                        " seats = excluded.seats, stretchers = excluded.stretchers,"
                        " point = excluded.point, departs = excluded.departs,"
                        " destination = excluded.destination,"
                        " destination_country = excluded.destination_country,"
                        " carries = excluded.carries, status = excluded.status,"
                        " arrives = excluded.arrives",
                        &p, NULL, err, "leg_put");
}

static void rd_leg(const PGresult *r, int i, void *rec, struct arena *a)
{
    struct store_leg *l = rec;
    l->id = pg_col_text(r, i, 0, a);
    l->operation = pg_col_text(r, i, 1, a);
    l->operator_nation = pg_col_text(r, i, 2, a);
    l->kind = pg_col_text(r, i, 3, a);
    l->vehicle = pg_col_text(r, i, 4, a);
    l->seats = pg_col_i64(r, i, 5);
    l->stretchers = pg_col_i64(r, i, 6);
    l->point = pg_col_text(r, i, 7, a);
    l->departs = pg_col_i64(r, i, 8);
    l->destination = pg_col_text(r, i, 9, a);
    l->destination_country = pg_col_text(r, i, 10, a);
    l->carries = pg_col_text(r, i, 11, a);
    l->status = pg_col_text(r, i, 12, a);
    l->arrives = pg_col_i64(r, i, 13);
}

static int pg_leg_get(struct store *s, const char *id, struct store_leg *l, struct arena *a,
                      struct muster_err *err)
{
    return get_one(pg(s), "SELECT " LEG_COLS " FROM legs WHERE id = $1", id, "leg", rd_leg, l, a,
                   err);
}

static int pg_leg_list(struct store *s, const char *operation, struct store_leg **out, size_t *n,
                       struct arena *a, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, operation);
    return get_list(pg(s),
                    "SELECT " LEG_COLS " FROM legs WHERE operation = $1 ORDER BY departs, id", &p,
                    "leg_list", rd_leg, sizeof **out, (void **)out, n, a, err);
}

static int pg_leg_load(struct store *s, const char *leg, int64_t *seats, int64_t *stretchers,
                       struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, leg);
    PGresult *r = pg_run(
        pg(s),
        "SELECT count(*) FILTER (WHERE (needs & 1) = 0), count(*) FILTER (WHERE (needs & 1) = 1)"
        " FROM persons WHERE leg = $1 AND status IN ('allocated', 'notified', 'confirmed',"
        " 'checked_in', 'boarded', 'departed')",
        &p, 0);
    int rc = pg_check(pg(s), r, err, "leg_load");
    *seats = *stretchers = 0;
    if (rc == 0 && PQntuples(r) == 1) {
        *seats = pg_col_i64(r, 0, 0);
        *stretchers = pg_col_i64(r, 0, 1);
    }
    PQclear(r);
    return rc;
}

/* --- households ---------------------------------------------------------- */

static int pg_household_put(struct store *s, const struct store_household *h,
                            struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    if (pg_copy_ok(ps)) {
        pg_copy_str(ps, PGC_HOUSEHOLDS, h->id);
        pg_copy_str(ps, PGC_HOUSEHOLDS, h->operation);
        pg_copy_str(ps, PGC_HOUSEHOLDS, h->nation);
        pg_copy_i64(ps, PGC_HOUSEHOLDS, h->size);
        return pg_copy_row(ps, PGC_HOUSEHOLDS, err);
    }
    struct pg_params p = {0};
    pg_p_text(&p, h->id);
    pg_p_text(&p, h->operation);
    pg_p_text(&p, h->nation);
    pg_p_i64(&p, h->size);
    return pg_exec_done(ps,
                        "INSERT INTO households (" PG_HOUSEHOLD_COLS ") VALUES ($1, $2, $3, $4)"
                        " ON CONFLICT (id) DO UPDATE SET" PG_HOUSEHOLD_SET,
                        &p, NULL, err, "household_put");
}

static void rd_household(const PGresult *r, int i, void *rec, struct arena *a)
{
    struct store_household *h = rec;
    h->id = pg_col_text(r, i, 0, a);
    h->operation = pg_col_text(r, i, 1, a);
    h->nation = pg_col_text(r, i, 2, a);
    h->size = pg_col_i64(r, i, 3);
}

static int pg_household_get(struct store *s, const char *id, struct store_household *h,
                            struct arena *a, struct muster_err *err)
{
    return get_one(pg(s), "SELECT id, operation, nation, size FROM households WHERE id = $1", id,
                   "household", rd_household, h, a, err);
}

static int pg_point_delete(struct store *s, const char *id, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, id);
    return pg_exec_done(pg(s), "DELETE FROM assembly_points WHERE id = $1", &p, NULL, err,
                        "point_delete");
}

static int pg_household_list(struct store *s, const char *operation, const char *nation,
                             struct store_household **out, size_t *n, struct arena *a,
                             struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, operation);
    pg_p_text(&p, nation);
    return get_list(pg(s),
                    "SELECT id, operation, nation, size FROM households"
                    " WHERE operation = $1 AND nation = $2 ORDER BY id",
                    &p, "household_list", rd_household, sizeof **out, (void **)out, n, a, err);
}

static int pg_household_delete(struct store *s, const char *id, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, id);
    return pg_exec_done(pg(s), "DELETE FROM households WHERE id = $1", &p, NULL, err,
                        "household_delete");
}

void pg_proj_ops(struct store_ops *o)
{
    o->household_delete = pg_household_delete;
    o->point_delete = pg_point_delete;
    o->household_list = pg_household_list;
    o->proj_clear = pg_proj_clear;
    o->proj_digest = pg_proj_digest;
    o->operation_put = pg_operation_put;
    o->operation_get = pg_operation_get;
    o->operation_list = pg_operation_list;
    o->point_put = pg_point_put;
    o->point_get = pg_point_get;
    o->point_list = pg_point_list;
    o->leg_put = pg_leg_put;
    o->leg_get = pg_leg_get;
    o->leg_list = pg_leg_list;
    o->leg_load = pg_leg_load;
    o->household_put = pg_household_put;
    o->household_get = pg_household_get;
    pg_person_ops(o);
    pg_clear_ops(o);
    pg_ret_ops(o);
}

/* pg_person.c — the persons projection of the PostgreSQL store: writes,
 * lookups, search and counts, as sqlite_proj.c does them. */
#include "store/pg_int.h"

#include <math.h>
#include <string.h>

#define PERSON_COLS PG_PERSON_COLS

/* Buffers a person for COPY. */
static int copy_person(struct pg_store *ps, const struct store_person *pp, const char *const *text,
                       struct muster_err *err)
{
    enum pg_copy_table t = PGC_PERSONS;
    for (int i = 0; i < 17; i++)
        pg_copy_str(ps, t, text[i]);
    pg_copy_real(ps, t, pp->lat);
    pg_copy_real(ps, t, pp->lon);
    pg_copy_i64(ps, t, pp->needs);
    pg_copy_str(ps, t, pp->priority);
    pg_copy_str(ps, t, pp->priority_override);
    pg_copy_i64(ps, t, pp->consent ? 1 : 0);
    pg_copy_str(ps, t, pp->status);
    pg_copy_str(ps, t, pp->leg);
    pg_copy_i64(ps, t, pp->updated_ms);
    return pg_copy_row(ps, t, err);
}

static int pg_person_put(struct store *s, const struct store_person *pp, struct muster_err *err)
{
    struct pg_params p = {0};
    const char *text[] = {pp->id,          pp->household,  pp->operation,   pp->nation,
                          pp->nationality, pp->surname,    pp->given_names, pp->native_name,
                          pp->sex,         pp->birth_date, pp->doc_type,    pp->doc_number,
                          pp->doc_state,   pp->doc_expiry, pp->phone,       pp->email,
                          pp->address};
    if (pg_copy_ok(pg(s)))
        return copy_person(pg(s), pp, text, err);
    for (int i = 0; i < 17; i++)
        pg_p_text(&p, text[i]);
    pg_p_real(&p, pp->lat);
    pg_p_real(&p, pp->lon);
    pg_p_i64(&p, pp->needs);
    pg_p_text(&p, pp->priority);
    pg_p_text(&p, pp->priority_override);
    pg_p_i64(&p, pp->consent ? 1 : 0);
    pg_p_text(&p, pp->status);
    pg_p_text(&p, pp->leg);
    pg_p_i64(&p, pp->updated_ms);
    return pg_exec_done(
        pg(s),
        "INSERT INTO persons (" PERSON_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
        " $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)"
        " ON CONFLICT (id) DO UPDATE SET" PG_PERSON_SET,
        &p, NULL, err, "person_put");
}

static void read_person(const PGresult *r, int i, struct store_person *p, struct arena *a)
{
    const char **text[] = {&p->id,          &p->household,  &p->operation,   &p->nation,
                           &p->nationality, &p->surname,    &p->given_names, &p->native_name,
                           &p->sex,         &p->birth_date, &p->doc_type,    &p->doc_number,
                           &p->doc_state,   &p->doc_expiry, &p->phone,       &p->email,
                           &p->address};
    for (int c = 0; c < 17; c++)
        *text[c] = pg_col_text(r, i, c, a);
    p->lat = pg_col_real(r, i, 17);
    p->lon = pg_col_real(r, i, 18);
    p->needs = pg_col_i64(r, i, 19);
    p->priority = pg_col_text(r, i, 20, a);
    p->priority_override = pg_col_text(r, i, 21, a);
    p->consent = pg_col_i64(r, i, 22) != 0;
    p->status = pg_col_text(r, i, 23, a);
    p->leg = pg_col_text(r, i, 24, a);
    p->updated_ms = pg_col_i64(r, i, 25);
}

/* Reads every row of r into an arena array. */
static void read_persons(const PGresult *r, struct store_person **out, size_t *n, struct arena *a)
{
    *n = (size_t)PQntuples(r);
    *out = *n ? arena_alloc(a, *n * sizeof **out) : NULL;
    for (size_t i = 0; i < *n; i++) {
        memset(&(*out)[i], 0, sizeof **out);
        read_person(r, (int)i, &(*out)[i], a);
    }
}

static int pg_person_get(struct store *s, const char *id, struct store_person *p, struct arena *a,
                         struct muster_err *err)
{
    struct pg_params pp = {0};
    pg_p_text(&pp, id);
    PGresult *r = pg_run(pg(s), "SELECT " PERSON_COLS " FROM persons WHERE id = $1", &pp, 0);
    int rc = pg_check(pg(s), r, err, "person");
    if (rc == 0 && PQntuples(r) == 1)
        read_person(r, 0, p, a);
    else if (rc == 0)
        rc = err_set(err, MUSTER_ENOTFOUND, "no person %s", id);
    PQclear(r);
    return rc;
}

static int pg_person_set_status(struct store *s, const char *id, const char *status,
                                const char *leg, int64_t updated_ms, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, status);
    pg_p_text(&p, leg);
    pg_p_i64(&p, updated_ms);
    pg_p_text(&p, id);
    int64_t changed = 0;
    int rc = pg_exec_done(pg(s),
                          "UPDATE persons SET status = $1, leg = $2, updated_ms = $3"
                          " WHERE id = $4",
                          &p, &changed, err, "person_set_status");
    if (rc == 0 && changed == 0)
        return err_set(err, MUSTER_ENOTFOUND, "no person %s", id);
    return rc;
}

static int pg_person_delete(struct store *s, const char *id, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, id);
    return pg_exec_done(pg(s), "DELETE FROM persons WHERE id = $1", &p, NULL, err, "person_delete");
}

/* The filters every search applies (a NULL parameter disables its
 * condition); the leading condition of each statement below is a plain
 * equality, so that even a generic plan uses that index. ILIKE under the
 * "C" collation folds ASCII only, and ESCAPE '' makes \ an ordinary
 * character: SQLite's LIKE. */
#define PERSON_FILTERS                                                                             \
    " AND ($1::text IS NULL OR operation = $1::text)"                                              \
    " AND ($2::text IS NULL OR household = $2::text)"                                              \
    " AND ($3::text IS NULL OR leg = $3::text)"                                                    \
    " AND ($4::text IS NULL OR doc_number = $4::text)"                                             \
    " AND ($5::text IS NULL OR surname ILIKE $5::text || '%' ESCAPE ''"                            \
    "   OR given_names ILIKE $5::text || '%' ESCAPE ''"                                            \
    "   OR (surname || ' ' || given_names) ILIKE $5::text || '%' ESCAPE ''"                        \
    "   OR doc_number ILIKE $5::text || '%' ESCAPE ''"                                             \
    "   OR replace(replace(replace(phone, ' ', ''), '-', ''), '+', '') ILIKE '%'"                  \
    "      || replace(replace(replace($5::text, ' ', ''), '-', ''), '+', '') || '%' ESCAPE ''"     \
    "   OR native_name ILIKE '%' || coalesce($8::text, $5::text) || '%' ESCAPE '')"                \
    " ORDER BY surname, given_names, id LIMIT $6::bigint OFFSET $7::bigint"

static const char *const find_by_doc =
    "SELECT " PERSON_COLS " FROM persons WHERE doc_number = $4::text" PERSON_FILTERS;
static const char *const find_by_household =
    "SELECT " PERSON_COLS " FROM persons WHERE household = $2::text" PERSON_FILTERS;
static const char *const find_by_leg =
    "SELECT " PERSON_COLS " FROM persons WHERE leg = $3::text" PERSON_FILTERS;
static const char *const find_by_operation =
    "SELECT " PERSON_COLS " FROM persons WHERE operation = $1::text" PERSON_FILTERS;
static const char *const find_any = "SELECT " PERSON_COLS " FROM persons WHERE true" PERSON_FILTERS;

static const char *or_null(const char *s)
{
    return s && *s ? s : NULL;
}

static int pg_person_find(struct store *s, const struct store_person_query *q,
                          struct store_person **out, size_t *n, struct arena *a,
                          struct muster_err *err)
{
    const char *sql = or_null(q->doc_number)  ? find_by_doc
                      : or_null(q->household) ? find_by_household
                      : or_null(q->leg)       ? find_by_leg
                      : or_null(q->operation) ? find_by_operation
                                              : find_any;
    struct pg_params p = {0};
    pg_p_text(&p, or_null(q->operation));
    pg_p_text(&p, or_null(q->household));
    pg_p_text(&p, or_null(q->leg));
    pg_p_text(&p, or_null(q->doc_number));
    pg_p_text(&p, or_null(q->text));
    pg_p_i64(&p, q->limit > 0 ? q->limit : 100);
    pg_p_i64(&p, q->offset > 0 ? q->offset : 0);
    pg_p_text(&p, or_null(q->text) ? or_null(q->native) : NULL);
    *n = 0;
    *out = NULL;
    PGresult *r = pg_run(pg(s), sql, &p, 0);
    int rc = pg_check(pg(s), r, err, "person_find");
    if (rc == 0)
        read_persons(r, out, n, a);
    PQclear(r);
    return rc;
}

static int pg_person_born(struct store *s, const char *operation, const char *birth_date,
                          struct store_person **out, size_t *n, struct arena *a,
                          struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, operation);
    pg_p_text(&p, birth_date);
    *n = 0;
    *out = NULL;
    PGresult *r = pg_run(pg(s),
                         "SELECT " PERSON_COLS " FROM persons"
                         " WHERE operation = $1 AND birth_date = $2 ORDER BY id",
                         &p, 0);
    int rc = pg_check(pg(s), r, err, "person_born");
    if (rc == 0)
        read_persons(r, out, n, a);
    PQclear(r);
    return rc;
}

static int pg_person_counts(struct store *s, const char *operation, const char *by,
                            struct store_count **out, size_t *n, struct arena *a,
                            struct muster_err *err)
{
    const char *sql;
    if (strcmp(by, "status") == 0)
        sql = "SELECT status, count(*) FROM persons WHERE operation = $1"
              " GROUP BY 1 ORDER BY 2 DESC, 1";
    else if (strcmp(by, "nationality") == 0)
        sql = "SELECT nationality, count(*) FROM persons WHERE operation = $1"
              " GROUP BY 1 ORDER BY 2 DESC, 1";
    else if (strcmp(by, "priority") == 0)
        sql = "SELECT priority, count(*) FROM persons WHERE operation = $1"
              " GROUP BY 1 ORDER BY 2 DESC, 1";
    else
        return err_set(err, MUSTER_EINVAL, "cannot count persons by '%s'", by);
    struct pg_params p = {0};
    pg_p_text(&p, operation);
    PGresult *r = pg_run(pg(s), sql, &p, 0);
    int rc = pg_check(pg(s), r, err, "person_counts");
    *n = 0;
    *out = NULL;
    if (rc == 0 && PQntuples(r) > 0) {
        *n = (size_t)PQntuples(r);
        *out = arena_alloc(a, *n * sizeof **out);
        for (size_t i = 0; i < *n; i++) {
            (*out)[i].key = pg_col_text(r, (int)i, 0, a);
            (*out)[i].n = pg_col_i64(r, (int)i, 1);
        }
    }
    PQclear(r);
    return rc;
}

void pg_person_ops(struct store_ops *o)
{
    o->person_put = pg_person_put;
    o->person_get = pg_person_get;
    o->person_set_status = pg_person_set_status;
    o->person_find = pg_person_find;
    o->person_born = pg_person_born;
    o->person_delete = pg_person_delete;
    o->person_counts = pg_person_counts;
}

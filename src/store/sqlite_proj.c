/* sqlite_proj.c — the projection tables of the SQLite store: written only
 * by core/project.c (through store.h), read by everything that queries. */
#include "store/sqlite_int.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char *const sqlite_projection_tables[];
extern const size_t sqlite_projection_tables_count;

#define PERSON_COLS                                                                                \
    "id, household, operation, nation, nationality, surname, given_names, native_name, sex,"       \
    " birth_date, doc_type, doc_number, doc_state, doc_expiry, phone, email, address, lat, lon,"   \
    " needs, priority, priority_override, consent, status, leg, updated_ms"
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

static int sq_proj_clear(struct store *s, struct muster_err *err)
{
    for (size_t i = 0; i < sqlite_projection_tables_count; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DELETE FROM %s", sqlite_projection_tables[i]);
        if (sqlite3_exec(sq(s)->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            return sq_error(sq(s), err, "proj_clear");
    }
    return 0;
}

/* Feeds one row to the hash: each column as type byte, length, bytes. */
static void digest_row(crypto_generichash_state *h, sqlite3_stmt *st)
{
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        uint8_t type = (uint8_t)sqlite3_column_type(st, i);
        const unsigned char *t = sqlite3_column_text(st, i);
        uint32_t len = (uint32_t)sqlite3_column_bytes(st, i);
        crypto_generichash_update(h, &type, 1);
        crypto_generichash_update(h, (const uint8_t *)&len, 4);
        if (t)
            crypto_generichash_update(h, t, len);
    }
}

static int sq_proj_digest(struct store *s, uint8_t out[32], struct muster_err *err)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    for (size_t i = 0; i < sqlite_projection_tables_count; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY id", sqlite_projection_tables[i]);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(sq(s)->db, sql, -1, &st, NULL) != SQLITE_OK)
            return sq_error(sq(s), err, "proj_digest");
        crypto_generichash_update(&h, (const uint8_t *)sql, strlen(sql));
        while (sqlite3_step(st) == SQLITE_ROW)
            digest_row(&h, st);
        sqlite3_finalize(st);
    }
    crypto_generichash_final(&h, out, 32);
    return 0;
}

/* --- operations ---------------------------------------------------------- */

static int sq_operation_put(struct store *s, const struct store_operation *o,
                            struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "INSERT OR REPLACE INTO operations (" OP_COLS
                                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    const char *text[] = {o->id,   o->nation, o->name,    o->host_country,
                          o->area, o->status, o->partners};
    for (int i = 0; i < 7; i++)
        sq_bind_text(st, i + 1, text[i]);
    sqlite3_bind_int64(st, 8, o->created_ms);
    return sq_exec_done(sq(s), st, err, "operation_put");
}

static void read_operation(sqlite3_stmt *st, struct store_operation *o, struct arena *a)
{
    o->id = sq_col_text(st, 0, a);
    o->nation = sq_col_text(st, 1, a);
    o->name = sq_col_text(st, 2, a);
    o->host_country = sq_col_text(st, 3, a);
    o->area = sq_col_text(st, 4, a);
    o->status = sq_col_text(st, 5, a);
    o->partners = sq_col_text(st, 6, a);
    o->created_ms = sqlite3_column_int64(st, 7);
}

static void rd_operation(sqlite3_stmt *st, void *rec, struct arena *a)
{
    read_operation(st, rec, a);
}

/* Runs a one-row lookup by id; read fills the record. */
static int get_one(struct sqlite_store *ss, sqlite3_stmt *st, const char *id, const char *what,
                   void (*read)(sqlite3_stmt *, void *, struct arena *), void *rec, struct arena *a,
                   struct muster_err *err)
{
    if (!st)
        return sq_error(ss, err, what);
    sq_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read(st, rec, a);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return err_set(err, MUSTER_ENOTFOUND, "no %s %s", what, id);
    return sq_error(ss, err, what);
}

static int sq_operation_get(struct store *s, const char *id, struct store_operation *o,
                            struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " OP_COLS " FROM operations WHERE id = ?");
    return get_one(sq(s), st, id, "operation", rd_operation, o, a, err);
}

static int sq_operation_list(struct store *s, struct store_operation **out, size_t *n,
                             struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " OP_COLS " FROM operations ORDER BY created_ms");
    if (!st)
        return sq_error(sq(s), err, "operation_list");
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        read_operation(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return 0;
}

/* --- assembly points ----------------------------------------------------- */

static int sq_point_put(struct store *s, const struct store_point *p, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "INSERT OR REPLACE INTO assembly_points (" POINT_COLS
                                      ") VALUES (?, ?, ?, ?, ?, ?, ?)");
    sq_bind_text(st, 1, p->id);
    sq_bind_text(st, 2, p->operation);
    sq_bind_text(st, 3, p->name);
    sq_bind_text(st, 4, p->kind);
    sqlite3_bind_double(st, 5, p->lat);
    sqlite3_bind_double(st, 6, p->lon);
    sqlite3_bind_int64(st, 7, p->capacity);
    return sq_exec_done(sq(s), st, err, "point_put");
}

static void read_point(sqlite3_stmt *st, struct store_point *p, struct arena *a)
{
    p->id = sq_col_text(st, 0, a);
    p->operation = sq_col_text(st, 1, a);
    p->name = sq_col_text(st, 2, a);
    p->kind = sq_col_text(st, 3, a);
    p->lat = sqlite3_column_double(st, 4);
    p->lon = sqlite3_column_double(st, 5);
    p->capacity = sqlite3_column_int64(st, 6);
}

static void rd_point(sqlite3_stmt *st, void *rec, struct arena *a)
{
    read_point(st, rec, a);
}

static int sq_point_get(struct store *s, const char *id, struct store_point *p, struct arena *a,
                        struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " POINT_COLS " FROM assembly_points WHERE id = ?");
    return get_one(sq(s), st, id, "assembly point", rd_point, p, a, err);
}

static int sq_point_list(struct store *s, const char *operation, struct store_point **out,
                         size_t *n, struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " POINT_COLS
                                      " FROM assembly_points WHERE operation = ? ORDER BY id");
    if (!st)
        return sq_error(sq(s), err, "point_list");
    sq_bind_text(st, 1, operation);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        read_point(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return 0;
}

/* --- legs ---------------------------------------------------------------- */

static int sq_leg_put(struct store *s, const struct store_leg *l, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "INSERT OR REPLACE INTO legs (" LEG_COLS
                                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sq_bind_text(st, 1, l->id);
    sq_bind_text(st, 2, l->operation);
    sq_bind_text(st, 3, l->operator_nation);
    sq_bind_text(st, 4, l->kind);
    sq_bind_text(st, 5, l->vehicle);
    sqlite3_bind_int64(st, 6, l->seats);
    sqlite3_bind_int64(st, 7, l->stretchers);
    sq_bind_text(st, 8, l->point);
    sqlite3_bind_int64(st, 9, l->departs);
    sq_bind_text(st, 10, l->destination);
    sq_bind_text(st, 11, l->destination_country);
    sq_bind_text(st, 12, l->carries);
    sq_bind_text(st, 13, l->status);
    if (l->arrives)
        sqlite3_bind_int64(st, 14, l->arrives);
    else
        sqlite3_bind_null(st, 14);
    return sq_exec_done(sq(s), st, err, "leg_put");
}

static void read_leg(sqlite3_stmt *st, struct store_leg *l, struct arena *a)
{
    l->id = sq_col_text(st, 0, a);
    l->operation = sq_col_text(st, 1, a);
    l->operator_nation = sq_col_text(st, 2, a);
    l->kind = sq_col_text(st, 3, a);
    l->vehicle = sq_col_text(st, 4, a);
    l->seats = sqlite3_column_int64(st, 5);
    l->stretchers = sqlite3_column_int64(st, 6);
    l->point = sq_col_text(st, 7, a);
    l->departs = sqlite3_column_int64(st, 8);
    l->destination = sq_col_text(st, 9, a);
    l->destination_country = sq_col_text(st, 10, a);
    l->carries = sq_col_text(st, 11, a);
    l->status = sq_col_text(st, 12, a);
    l->arrives = sqlite3_column_int64(st, 13);
}

static void rd_leg(sqlite3_stmt *st, void *rec, struct arena *a)
{
    read_leg(st, rec, a);
}

static int sq_leg_get(struct store *s, const char *id, struct store_leg *l, struct arena *a,
                      struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " LEG_COLS " FROM legs WHERE id = ?");
    return get_one(sq(s), st, id, "leg", rd_leg, l, a, err);
}

static int sq_leg_list(struct store *s, const char *operation, struct store_leg **out, size_t *n,
                       struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st =
        sq_stmt(sq(s), "SELECT " LEG_COLS " FROM legs WHERE operation = ? ORDER BY departs, id");
    if (!st)
        return sq_error(sq(s), err, "leg_list");
    sq_bind_text(st, 1, operation);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        read_leg(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return 0;
}

static int sq_leg_load(struct store *s, const char *leg, int64_t *seats, int64_t *stretchers,
                       struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(
        sq(s), "SELECT coalesce(sum((needs & 1) = 0), 0), coalesce(sum((needs & 1) = 1), 0)"
               " FROM persons WHERE leg = ? AND status IN ('allocated', 'notified', 'confirmed',"
               " 'checked_in', 'boarded', 'departed')");
    if (!st)
        return sq_error(sq(s), err, "leg_load");
    sq_bind_text(st, 1, leg);
    *seats = *stretchers = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *seats = sqlite3_column_int64(st, 0);
        *stretchers = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return 0;
}

/* --- households and persons ---------------------------------------------- */

static int sq_household_put(struct store *s, const struct store_household *h,
                            struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(
        sq(s),
        "INSERT OR REPLACE INTO households (id, operation, nation, size) VALUES (?, ?, ?, ?)");
    sq_bind_text(st, 1, h->id);
    sq_bind_text(st, 2, h->operation);
    sq_bind_text(st, 3, h->nation);
    sqlite3_bind_int64(st, 4, h->size);
    return sq_exec_done(sq(s), st, err, "household_put");
}

static void read_household(sqlite3_stmt *st, struct store_household *h, struct arena *a)
{
    h->id = sq_col_text(st, 0, a);
    h->operation = sq_col_text(st, 1, a);
    h->nation = sq_col_text(st, 2, a);
    h->size = sqlite3_column_int64(st, 3);
}

static void rd_household(sqlite3_stmt *st, void *rec, struct arena *a)
{
    read_household(st, rec, a);
}

static int sq_household_get(struct store *s, const char *id, struct store_household *h,
                            struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st =
        sq_stmt(sq(s), "SELECT id, operation, nation, size FROM households WHERE id = ?");
    return get_one(sq(s), st, id, "household", rd_household, h, a, err);
}

static int sq_person_put(struct store *s, const struct store_person *p, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "INSERT OR REPLACE INTO persons (" PERSON_COLS
                                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                      " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const char *text[] = {
        p->id,          p->household,   p->operation, p->nation,     p->nationality, p->surname,
        p->given_names, p->native_name, p->sex,       p->birth_date, p->doc_type,    p->doc_number,
        p->doc_state,   p->doc_expiry,  p->phone,     p->email,      p->address};
    for (int i = 0; i < 17; i++)
        sq_bind_text(st, i + 1, text[i]);
    sq_bind_real(st, 18, p->lat);
    sq_bind_real(st, 19, p->lon);
    sqlite3_bind_int64(st, 20, p->needs);
    sq_bind_text(st, 21, p->priority);
    sq_bind_text(st, 22, p->priority_override);
    sqlite3_bind_int(st, 23, p->consent);
    sq_bind_text(st, 24, p->status);
    sq_bind_text(st, 25, p->leg);
    sqlite3_bind_int64(st, 26, p->updated_ms);
    return sq_exec_done(sq(s), st, err, "person_put");
}

static void read_person(sqlite3_stmt *st, struct store_person *p, struct arena *a)
{
    const char **text[] = {&p->id,          &p->household,  &p->operation,   &p->nation,
                           &p->nationality, &p->surname,    &p->given_names, &p->native_name,
                           &p->sex,         &p->birth_date, &p->doc_type,    &p->doc_number,
                           &p->doc_state,   &p->doc_expiry, &p->phone,       &p->email,
                           &p->address};
    for (int i = 0; i < 17; i++)
        *text[i] = sq_col_text(st, i, a);
    p->lat = sqlite3_column_type(st, 17) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 17);
    p->lon = sqlite3_column_type(st, 18) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 18);
    p->needs = sqlite3_column_int64(st, 19);
    p->priority = sq_col_text(st, 20, a);
    p->priority_override = sq_col_text(st, 21, a);
    p->consent = sqlite3_column_int(st, 22) != 0;
    p->status = sq_col_text(st, 23, a);
    p->leg = sq_col_text(st, 24, a);
    p->updated_ms = sqlite3_column_int64(st, 25);
}

static void rd_person(sqlite3_stmt *st, void *rec, struct arena *a)
{
    read_person(st, rec, a);
}

static int sq_person_get(struct store *s, const char *id, struct store_person *p, struct arena *a,
                         struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " PERSON_COLS " FROM persons WHERE id = ?");
    return get_one(sq(s), st, id, "person", rd_person, p, a, err);
}

static int sq_person_set_status(struct store *s, const char *id, const char *status,
                                const char *leg, int64_t updated_ms, struct muster_err *err)
{
    /* a leg in the SET list rewrites the row's entry in persons_leg even
     * when it stays the same: one more random page for the WAL per
     * check-in, so it is left out then */
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT leg IS ? FROM persons WHERE id = ?");
    sq_bind_text(st, 1, leg);
    sq_bind_text(st, 2, id);
    bool same_leg = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    if (st)
        sqlite3_reset(st);
    if (same_leg) {
        st = sq_stmt(sq(s), "UPDATE persons SET status = ?, updated_ms = ? WHERE id = ?");
        sq_bind_text(st, 1, status);
        sqlite3_bind_int64(st, 2, updated_ms);
        sq_bind_text(st, 3, id);
    } else {
        st = sq_stmt(sq(s), "UPDATE persons SET status = ?, leg = ?, updated_ms = ? WHERE id = ?");
        sq_bind_text(st, 1, status);
        sq_bind_text(st, 2, leg);
        sqlite3_bind_int64(st, 3, updated_ms);
        sq_bind_text(st, 4, id);
    }
    int rc = sq_exec_done(sq(s), st, err, "person_set_status");
    if (rc == 0 && sqlite3_changes(sq(s)->db) == 0)
        return err_set(err, MUSTER_ENOTFOUND, "no person %s", id);
    return rc;
}

static int sq_person_delete(struct store *s, const char *id, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "DELETE FROM persons WHERE id = ?");
    sq_bind_text(st, 1, id);
    return sq_exec_done(sq(s), st, err, "person_delete");
}

/* The filters every person query applies; the leading condition of each
 * statement below is a plain equality, so that SQLite uses its index. */
#define PERSON_FILTERS                                                                             \
    " AND (?1 IS NULL OR operation = ?1) AND (?2 IS NULL OR household = ?2)"                       \
    " AND (?3 IS NULL OR leg = ?3) AND (?4 IS NULL OR doc_number = ?4)"                            \
    " AND (?5 IS NULL OR surname LIKE ?5 || '%' OR given_names LIKE ?5 || '%'"                     \
    "   OR (surname || ' ' || given_names) LIKE ?5 || '%'"                                         \
    "   OR doc_number LIKE ?5 || '%'"                                                              \
    "   OR replace(replace(replace(phone, ' ', ''), '-', ''), '+', '')"                            \
    "   LIKE '%' || replace(replace(replace(?5, ' ', ''), '-', ''), '+', '') || '%'"               \
    "   OR native_name LIKE '%' || coalesce(?8, ?5) || '%')"                                       \
    " ORDER BY surname, given_names, id LIMIT ?6 OFFSET ?7"

static const char *const find_by_doc =
    "SELECT " PERSON_COLS " FROM persons WHERE doc_number = ?4" PERSON_FILTERS;
static const char *const find_by_household =
    "SELECT " PERSON_COLS " FROM persons WHERE household = ?2" PERSON_FILTERS;
static const char *const find_by_leg =
    "SELECT " PERSON_COLS " FROM persons WHERE leg = ?3" PERSON_FILTERS;
static const char *const find_by_operation =
    "SELECT " PERSON_COLS " FROM persons WHERE operation = ?1" PERSON_FILTERS;
static const char *const find_any = "SELECT " PERSON_COLS " FROM persons WHERE 1" PERSON_FILTERS;

static bool set(const char *s)
{
    return s && *s;
}

static int sq_person_find(struct store *s, const struct store_person_query *q,
                          struct store_person **out, size_t *n, struct arena *a,
                          struct muster_err *err)
{
    const char *sql = set(q->doc_number)  ? find_by_doc
                      : set(q->household) ? find_by_household
                      : set(q->leg)       ? find_by_leg
                      : set(q->operation) ? find_by_operation
                                          : find_any;
    sqlite3_stmt *st = sq_stmt(sq(s), sql);
    if (!st)
        return sq_error(sq(s), err, "person_find");
    sq_bind_text(st, 1, set(q->operation) ? q->operation : NULL);
    sq_bind_text(st, 2, set(q->household) ? q->household : NULL);
    sq_bind_text(st, 3, set(q->leg) ? q->leg : NULL);
    sq_bind_text(st, 4, set(q->doc_number) ? q->doc_number : NULL);
    sq_bind_text(st, 5, set(q->text) ? q->text : NULL);
    sqlite3_bind_int64(st, 6, q->limit > 0 ? q->limit : 100);
    sqlite3_bind_int64(st, 7, q->offset > 0 ? q->offset : 0);
    sq_bind_text(st, 8, set(q->text) && set(q->native) ? q->native : NULL);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        read_person(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(sq(s), err, "person_find");
}

static int sq_person_born(struct store *s, const char *operation, const char *birth_date,
                          struct store_person **out, size_t *n, struct arena *a,
                          struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " PERSON_COLS " FROM persons"
                                      " WHERE operation = ? AND birth_date = ? ORDER BY id");
    if (!st)
        return sq_error(sq(s), err, "person_born");
    sq_bind_text(st, 1, operation);
    sq_bind_text(st, 2, birth_date);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        read_person(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(sq(s), err, "person_born");
}

static int sq_person_counts(struct store *s, const char *operation, const char *by,
                            struct store_count **out, size_t *n, struct arena *a,
                            struct muster_err *err)
{
    const char *sql;
    if (strcmp(by, "status") == 0)
        sql = "SELECT status, count(*) FROM persons WHERE operation = ? GROUP BY 1 ORDER BY 2 DESC";
    else if (strcmp(by, "nationality") == 0)
        sql = "SELECT nationality, count(*) FROM persons WHERE operation = ? GROUP BY 1 ORDER BY 2 "
              "DESC";
    else if (strcmp(by, "priority") == 0)
        sql =
            "SELECT priority, count(*) FROM persons WHERE operation = ? GROUP BY 1 ORDER BY 2 DESC";
    else
        return err_set(err, MUSTER_EINVAL, "cannot count persons by '%s'", by);
    sqlite3_stmt *st = sq_stmt(sq(s), sql);
    if (!st)
        return sq_error(sq(s), err, "person_counts");
    sq_bind_text(st, 1, operation);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        (*out)[*n].key = sq_col_text(st, 0, a);
        (*out)[*n].n = sqlite3_column_int64(st, 1);
        (*n)++;
    }
    sqlite3_reset(st);
    return 0;
}

static int sq_point_delete(struct store *s, const char *id, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "DELETE FROM assembly_points WHERE id = ?");
    sq_bind_text(st, 1, id);
    return sq_exec_done(sq(s), st, err, "point_delete");
}

static int sq_household_list(struct store *s, const char *operation, const char *nation,
                             struct store_household **out, size_t *n, struct arena *a,
                             struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT id, operation, nation, size FROM households"
                                      " WHERE operation = ? AND nation = ? ORDER BY id");
    if (!st)
        return sq_error(sq(s), err, "household_list");
    sq_bind_text(st, 1, operation);
    sq_bind_text(st, 2, nation);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = grow(a, *out, *n, &cap, sizeof **out);
        read_household(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(sq(s), err, "household_list");
}

static int sq_household_delete(struct store *s, const char *id, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "DELETE FROM households WHERE id = ?");
    sq_bind_text(st, 1, id);
    return sq_exec_done(sq(s), st, err, "household_delete");
}

void sq_proj_ops(struct store_ops *o)
{
    o->household_delete = sq_household_delete;
    o->point_delete = sq_point_delete;
    o->household_list = sq_household_list;
    o->proj_clear = sq_proj_clear;
    o->proj_digest = sq_proj_digest;
    o->operation_put = sq_operation_put;
    o->operation_get = sq_operation_get;
    o->operation_list = sq_operation_list;
    o->point_put = sq_point_put;
    o->point_get = sq_point_get;
    o->point_list = sq_point_list;
    o->leg_put = sq_leg_put;
    o->leg_get = sq_leg_get;
    o->leg_list = sq_leg_list;
    o->leg_load = sq_leg_load;
    o->household_put = sq_household_put;
    o->household_get = sq_household_get;
    o->person_put = sq_person_put;
    o->person_get = sq_person_get;
    o->person_set_status = sq_person_set_status;
    o->person_delete = sq_person_delete;
    o->person_find = sq_person_find;
    o->person_born = sq_person_born;
    o->person_counts = sq_person_counts;
}

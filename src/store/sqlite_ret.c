/* sqlite_ret.c — the retention projection of the SQLite store: the periods
 * per data class of each operation, and the rows each class covers. */
#include "store/sqlite_int.h"

#include <string.h>

#define RET_COLS "id, nation, registry_days, partner_days, clearance_days, closed_ms, updated_ms"

/* Days < 0 and closed_ms 0 are stored as NULL: "not set". */
static void bind_opt(sqlite3_stmt *st, int i, int64_t v, int64_t unset_below)
{
    if (v < unset_below)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, v);
}

static int64_t col_opt(sqlite3_stmt *st, int i, int64_t unset)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? unset : sqlite3_column_int64(st, i);
}

static int sq_retention_put(struct store *s, const struct store_retention *r,
                            struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "INSERT OR REPLACE INTO retention (" RET_COLS
                                      ") VALUES (?, ?, ?, ?, ?, ?, ?)");
    sq_bind_text(st, 1, r->id);
    sq_bind_text(st, 2, r->nation);
    bind_opt(st, 3, r->registry_days, 0);
    bind_opt(st, 4, r->partner_days, 0);
    bind_opt(st, 5, r->clearance_days, 0);
    bind_opt(st, 6, r->closed_ms, 1);
    sqlite3_bind_int64(st, 7, r->updated_ms);
    return sq_exec_done(sq(s), st, err, "retention_put");
}

static void read_retention(sqlite3_stmt *st, struct store_retention *r, struct arena *a)
{
    r->id = sq_col_text(st, 0, a);
    r->nation = sq_col_text(st, 1, a);
    r->registry_days = col_opt(st, 2, -1);
    r->partner_days = col_opt(st, 3, -1);
    r->clearance_days = col_opt(st, 4, -1);
    r->closed_ms = col_opt(st, 5, 0);
    r->updated_ms = sqlite3_column_int64(st, 6);
}

static int sq_retention_get(struct store *s, const char *id, struct store_retention *r,
                            struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " RET_COLS " FROM retention WHERE id = ?");
    if (!st)
        return sq_error(sq(s), err, "retention_get");
    sq_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_retention(st, r, a);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return err_set(err, MUSTER_ENOTFOUND, "no retention set for operation %s", id);
    return sq_error(sq(s), err, "retention_get");
}

static int sq_retention_list(struct store *s, struct store_retention **out, size_t *n,
                             struct arena *a, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT " RET_COLS " FROM retention"
                                      " WHERE closed_ms IS NOT NULL ORDER BY id");
    if (!st)
        return sq_error(sq(s), err, "retention_list");
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct store_retention *bigger = arena_alloc(a, ncap * sizeof *bigger);
            if (*n)
                memcpy(bigger, *out, *n * sizeof *bigger);
            *out = bigger;
            cap = ncap;
        }
        read_retention(st, &(*out)[(*n)++], a);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(sq(s), err, "retention_list");
}

static const char *const subjects_registry =
    "SELECT id FROM persons WHERE operation = ?1 AND nation = ?2 ORDER BY id";
static const char *const subjects_partner =
    "SELECT id FROM persons WHERE operation = ?1 AND nation <> ?2 ORDER BY id";
static const char *const subjects_clearance =
    "SELECT c.id FROM clearances c JOIN legs l ON l.id = c.leg WHERE l.operation = ?1"
    " AND ?2 IS NOT NULL ORDER BY c.id";
static const char *const purge_registry =
    "DELETE FROM persons WHERE operation = ?1 AND nation = ?2";
static const char *const purge_partner =
    "DELETE FROM persons WHERE operation = ?1 AND nation <> ?2";
static const char *const purge_clearance =
    "DELETE FROM clearances WHERE leg IN (SELECT id FROM legs WHERE operation = ?1)"
    " AND ?2 IS NOT NULL";

/* The statement of class cls from a triple of (registry, partner,
 * clearance); NULL for an unknown class. */
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

static int sq_retention_subjects(struct store *s, const char *operation, const char *cls,
                                 const char *nation, const char ***ids, size_t *n, struct arena *a,
                                 struct muster_err *err)
{
    const char *sql = by_class(cls, subjects_registry, subjects_partner, subjects_clearance);
    if (!sql)
        return err_set(err, MUSTER_EINVAL, "no data class '%s'", cls);
    sqlite3_stmt *st = sq_stmt(sq(s), sql);
    if (!st)
        return sq_error(sq(s), err, "retention_subjects");
    sq_bind_text(st, 1, operation);
    sq_bind_text(st, 2, nation);
    size_t cap = 0;
    *n = 0;
    *ids = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            const char **bigger = arena_alloc(a, ncap * sizeof *bigger);
            if (*n)
                memcpy(bigger, *ids, *n * sizeof *bigger);
            *ids = bigger;
            cap = ncap;
        }
        (*ids)[(*n)++] = sq_col_text(st, 0, a);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(sq(s), err, "retention_subjects");
}

static int sq_retention_purge(struct store *s, const char *operation, const char *cls,
                              const char *nation, int64_t *gone, struct muster_err *err)
{
    const char *sql = by_class(cls, purge_registry, purge_partner, purge_clearance);
    if (!sql)
        return err_set(err, MUSTER_EINVAL, "no data class '%s'", cls);
    sqlite3_stmt *st = sq_stmt(sq(s), sql);
    sq_bind_text(st, 1, operation);
    sq_bind_text(st, 2, nation);
    int rc = sq_exec_done(sq(s), st, err, "retention_purge");
    *gone = rc ? 0 : sqlite3_changes(sq(s)->db);
    return rc;
}

void sq_ret_ops(struct store_ops *o)
{
    o->retention_put = sq_retention_put;
    o->retention_get = sq_retention_get;
    o->retention_list = sq_retention_list;
    o->retention_subjects = sq_retention_subjects;
    o->retention_purge = sq_retention_purge;
}

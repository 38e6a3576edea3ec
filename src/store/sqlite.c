/* sqlite.c — the embedded store: one SQLite file per node.
 *
 * WAL journal with synchronous=FULL, so that a commit that returned is on disk
 * and survives kill -9 or power loss; secure_delete so that a destroyed
 * person key is overwritten, not left in a free page. Statements are
 * prepared once and cached. One handle is used by one thread at a time. */
#include "store/store.h"

#include <math.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char *const sqlite_migrations[];
extern const size_t sqlite_migrations_count;
extern const char *const sqlite_projection_tables[];
extern const size_t sqlite_projection_tables_count;

enum stmt_id {
    S_META_GET, S_META_PUT, S_NODE_PUT, S_NODE_KEY, S_EV_APPEND, S_EV_HEAD, S_EV_LAMPORT,
    S_KEY_PUT, S_KEY_GET, S_KEY_DEL, S_OP_PUT, S_POINT_PUT, S_LEG_PUT, S_HH_PUT, S_PERSON_PUT,
    S_PERSON_GET, S_PERSON_STATUS, S_OP_GET, S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
    [S_META_GET] = "SELECT value FROM meta WHERE key = ?",
    [S_META_PUT] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
    [S_NODE_PUT] = "INSERT OR REPLACE INTO nodes (origin, nation, pubkey) VALUES (?, ?, ?)",
    [S_NODE_KEY] = "SELECT pubkey FROM nodes WHERE origin = ?",
    [S_EV_APPEND] = "INSERT INTO events (origin, seq, lamport, time_ms, actor, nation, type, body,"
                    " prev, hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_EV_HEAD] = "SELECT seq, hash FROM events WHERE origin = ? ORDER BY seq DESC LIMIT 1",
    [S_EV_LAMPORT] = "SELECT max(lamport) FROM events",
    [S_KEY_PUT] = "INSERT OR REPLACE INTO person_keys (subject, wrapped) VALUES (?, ?)",
    [S_KEY_GET] = "SELECT wrapped FROM person_keys WHERE subject = ?",
    [S_KEY_DEL] = "DELETE FROM person_keys WHERE subject = ?",
    [S_OP_PUT] = "INSERT OR REPLACE INTO operations (id, nation, name, host_country, area, status,"
                 " partners, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_POINT_PUT] = "INSERT OR REPLACE INTO assembly_points (id, operation, name, kind, lat, lon,"
                    " capacity) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [S_LEG_PUT] = "INSERT OR REPLACE INTO legs (id, operation, operator, kind, vehicle, seats,"
                  " stretchers, point, departs, destination, carries, status)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_HH_PUT] = "INSERT OR REPLACE INTO households (id, operation, nation, size) VALUES (?, ?, ?, ?)",
    [S_PERSON_PUT] =
        "INSERT OR REPLACE INTO persons (id, household, operation, nation, nationality, surname,"
        " given_names, native_name, sex, birth_date, doc_type, doc_number, doc_state, doc_expiry,"
        " phone, email, address, lat, lon, needs, priority, priority_override, consent, status,"
        " leg, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?)",
    [S_PERSON_GET] =
        "SELECT id, household, operation, nation, nationality, surname, given_names, native_name,"
        " sex, birth_date, doc_type, doc_number, doc_state, doc_expiry, phone, email, address, lat,"
        " lon, needs, priority, priority_override, consent, status, leg, updated_ms"
        " FROM persons WHERE id = ?",
    [S_PERSON_STATUS] = "UPDATE persons SET status = ?, leg = ?, updated_ms = ? WHERE id = ?",
    [S_OP_GET] = "SELECT id, nation, name, host_country, area, status, partners, created_ms"
                 " FROM operations WHERE id = ?",
};

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    sqlite3_stmt *stmt[S_COUNT];
};

static struct sqlite_store *S(struct store *s)
{
    return (struct sqlite_store *)s;
}

static int db_error(struct sqlite_store *ss, struct muster_err *err, const char *what)
{
    return err_set(err, MUSTER_EIO, "%s: %s", what, sqlite3_errmsg(ss->db));
}

/* Returns the cached statement, reset and with bindings cleared. */
static sqlite3_stmt *stmt(struct sqlite_store *ss, enum stmt_id id)
{
    sqlite3_stmt *st = ss->stmt[id];
    if (!st) {
        if (sqlite3_prepare_v3(ss->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
            SQLITE_OK)
            return NULL;
        ss->stmt[id] = st;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static const char *col_text(sqlite3_stmt *st, int i, struct arena *a)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

/* Runs a statement that returns no rows. */
static int exec_done(struct sqlite_store *ss, sqlite3_stmt *st, struct muster_err *err,
                     const char *what)
{
    if (!st)
        return db_error(ss, err, what);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT)
            return err_set(err, MUSTER_ECONFLICT, "%s: %s", what, sqlite3_errmsg(ss->db));
        return db_error(ss, err, what);
    }
    return 0;
}

static int sq_begin(struct store *s, struct muster_err *err)
{
    if (sqlite3_exec(S(s)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(S(s), err, "begin");
    return 0;
}

static int sq_commit(struct store *s, struct muster_err *err)
{
    if (sqlite3_exec(S(s)->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = db_error(S(s), err, "commit");
        sqlite3_exec(S(s)->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return 0;
}

static void sq_rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(S(s)->db))
        sqlite3_exec(S(s)->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_meta_get(struct store *s, const char *key, char *out, size_t cap,
                       struct muster_err *err)
{
    struct sqlite_store *ss = S(s);
    sqlite3_stmt *st = stmt(ss, S_META_GET);
    bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return err_set(err, MUSTER_ENOTFOUND, "no setting '%s'", key);
    return db_error(ss, err, "meta_get");
}

static int sq_meta_put(struct store *s, const char *key, const char *value, struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_META_PUT);
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return exec_done(S(s), st, err, "meta_put");
}

static int sq_node_put(struct store *s, const char *origin, const char *nation,
                       const uint8_t pk[32], struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_NODE_PUT);
    bind_text(st, 1, origin);
    bind_text(st, 2, nation);
    sqlite3_bind_blob(st, 3, pk, 32, SQLITE_STATIC);
    return exec_done(S(s), st, err, "node_put");
}

/* Copies a blob column of exactly n bytes into out; -1 if the size differs. */
static int col_blob(sqlite3_stmt *st, int i, uint8_t *out, size_t n)
{
    if ((size_t)sqlite3_column_bytes(st, i) != n)
        return -1;
    memcpy(out, sqlite3_column_blob(st, i), n);
    return 0;
}

static int sq_node_key(struct store *s, const char *origin, uint8_t pk[32], struct muster_err *err)
{
    struct sqlite_store *ss = S(s);
    sqlite3_stmt *st = stmt(ss, S_NODE_KEY);
    bind_text(st, 1, origin);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW && col_blob(st, 0, pk, 32) == 0)
        ret = 0;
    else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        ret = err_set(err, MUSTER_ENOTFOUND, "no public key for node %s", origin);
    else
        ret = db_error(ss, err, "node_key");
    sqlite3_reset(st);
    return ret;
}

static int sq_event_append(struct store *s, struct store_event *ev, struct muster_err *err)
{
    struct sqlite_store *ss = S(s);
    sqlite3_stmt *st = stmt(ss, S_EV_APPEND);
    if (!st)
        return db_error(ss, err, "event_append");
    bind_text(st, 1, ev->origin);
    sqlite3_bind_int64(st, 2, ev->seq);
    sqlite3_bind_int64(st, 3, ev->lamport);
    sqlite3_bind_int64(st, 4, ev->time_ms);
    bind_text(st, 5, ev->actor);
    bind_text(st, 6, ev->nation);
    bind_text(st, 7, ev->type);
    sqlite3_bind_blob(st, 8, ev->body, (int)ev->body_len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 9, ev->prev, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, ev->hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 11, ev->sig, 64, SQLITE_STATIC);
    int rc = exec_done(ss, st, err, "event_append");
    if (rc == 0)
        ev->id = sqlite3_last_insert_rowid(ss->db);
    return rc;
}

static int sq_event_head(struct store *s, const char *origin, struct store_head *head,
                         struct muster_err *err)
{
    struct sqlite_store *ss = S(s);
    memset(head, 0, sizeof *head);
    sqlite3_stmt *st = stmt(ss, S_EV_HEAD);
    bind_text(st, 1, origin);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        head->seq = sqlite3_column_int64(st, 0);
        col_blob(st, 1, head->hash, 32);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(ss, err, "event_head");
    st = stmt(ss, S_EV_LAMPORT);
    if (sqlite3_step(st) == SQLITE_ROW)
        head->lamport = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return 0;
}

static int sq_event_scan(struct store *s, int64_t after,
                         int (*fn)(void *ctx, const struct store_event *ev), void *ctx,
                         struct muster_err *err)
{
    struct sqlite_store *ss = S(s);
    sqlite3_stmt *st;
    const char *sql = "SELECT id, origin, seq, lamport, time_ms, actor, nation, type, body, prev,"
                      " hash, sig FROM events WHERE id > ? ORDER BY id";
    if (sqlite3_prepare_v2(ss->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(ss, err, "event_scan");
    sqlite3_bind_int64(st, 1, after);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_event ev = {0};
        ev.id = sqlite3_column_int64(st, 0);
        snprintf(ev.origin, sizeof ev.origin, "%s", (const char *)sqlite3_column_text(st, 1));
        ev.seq = sqlite3_column_int64(st, 2);
        ev.lamport = sqlite3_column_int64(st, 3);
        ev.time_ms = sqlite3_column_int64(st, 4);
        ev.actor = (const char *)sqlite3_column_text(st, 5);
        snprintf(ev.nation, sizeof ev.nation, "%s", (const char *)sqlite3_column_text(st, 6));
        ev.type = (const char *)sqlite3_column_text(st, 7);
        ev.body = sqlite3_column_blob(st, 8);
        ev.body_len = (size_t)sqlite3_column_bytes(st, 8);
        if (!ev.body)
            ev.body = "";
        /* a damaged row (wrong sizes) is handed on zeroed, so verify names it */
        col_blob(st, 9, ev.prev, 32);
        col_blob(st, 10, ev.hash, 32);
        col_blob(st, 11, ev.sig, 64);
        ret = fn(ctx, &ev);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = db_error(ss, err, "event_scan");
    sqlite3_finalize(st);
    return ret;
}

static int64_t sq_table_count(struct store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(S(s)->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int64_t sq_event_count(struct store *s)
{
    return sq_table_count(s, "events");
}

static int sq_key_put(struct store *s, const char *subject, const uint8_t *wrapped, size_t n,
                      struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_KEY_PUT);
    bind_text(st, 1, subject);
    sqlite3_bind_blob(st, 2, wrapped, (int)n, SQLITE_STATIC);
    return exec_done(S(s), st, err, "key_put");
}

static int sq_key_get(struct store *s, const char *subject, uint8_t *out, size_t cap, size_t *n,
                      struct muster_err *err)
{
    struct sqlite_store *ss = S(s);
    sqlite3_stmt *st = stmt(ss, S_KEY_GET);
    bind_text(st, 1, subject);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        if (len > cap)
            ret = err_set(err, MUSTER_ECRYPTO, "key of %s has a bad size", subject);
        else {
            memcpy(out, sqlite3_column_blob(st, 0), len);
            *n = len;
        }
    } else if (rc == SQLITE_DONE) {
        ret = err_set(err, MUSTER_ENOTFOUND, "no key for %s (destroyed or never made)", subject);
    } else {
        ret = db_error(ss, err, "key_get");
    }
    sqlite3_reset(st);
    return ret;
}

static int sq_key_destroy(struct store *s, const char *subject, struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_KEY_DEL);
    bind_text(st, 1, subject);
    return exec_done(S(s), st, err, "key_destroy");
}

static int sq_proj_clear(struct store *s, struct muster_err *err)
{
    for (size_t i = 0; i < sqlite_projection_tables_count; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DELETE FROM %s", sqlite_projection_tables[i]);
        if (sqlite3_exec(S(s)->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            return db_error(S(s), err, "proj_clear");
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
        if (sqlite3_prepare_v2(S(s)->db, sql, -1, &st, NULL) != SQLITE_OK)
            return db_error(S(s), err, "proj_digest");
        crypto_generichash_update(&h, (const uint8_t *)sql, strlen(sql));
        while (sqlite3_step(st) == SQLITE_ROW)
            digest_row(&h, st);
        sqlite3_finalize(st);
    }
    crypto_generichash_final(&h, out, 32);
    return 0;
}

static int sq_operation_put(struct store *s, const struct store_operation *o,
                            struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_OP_PUT);
    bind_text(st, 1, o->id);
    bind_text(st, 2, o->nation);
    bind_text(st, 3, o->name);
    bind_text(st, 4, o->host_country);
    bind_text(st, 5, o->area);
    bind_text(st, 6, o->status);
    bind_text(st, 7, o->partners);
    sqlite3_bind_int64(st, 8, o->created_ms);
    return exec_done(S(s), st, err, "operation_put");
}

static int sq_point_put(struct store *s, const struct store_point *p, struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_POINT_PUT);
    bind_text(st, 1, p->id);
    bind_text(st, 2, p->operation);
    bind_text(st, 3, p->name);
    bind_text(st, 4, p->kind);
    sqlite3_bind_double(st, 5, p->lat);
    sqlite3_bind_double(st, 6, p->lon);
    sqlite3_bind_int64(st, 7, p->capacity);
    return exec_done(S(s), st, err, "point_put");
}

static int sq_leg_put(struct store *s, const struct store_leg *l, struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_LEG_PUT);
    bind_text(st, 1, l->id);
    bind_text(st, 2, l->operation);
    bind_text(st, 3, l->operator_nation);
    bind_text(st, 4, l->kind);
    bind_text(st, 5, l->vehicle);
    sqlite3_bind_int64(st, 6, l->seats);
    sqlite3_bind_int64(st, 7, l->stretchers);
    bind_text(st, 8, l->point);
    sqlite3_bind_int64(st, 9, l->departs);
    bind_text(st, 10, l->destination);
    bind_text(st, 11, l->carries);
    bind_text(st, 12, l->status);
    return exec_done(S(s), st, err, "leg_put");
}

static int sq_household_put(struct store *s, const struct store_household *h,
                            struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_HH_PUT);
    bind_text(st, 1, h->id);
    bind_text(st, 2, h->operation);
    bind_text(st, 3, h->nation);
    sqlite3_bind_int64(st, 4, h->size);
    return exec_done(S(s), st, err, "household_put");
}

static int sq_person_put(struct store *s, const struct store_person *p, struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_PERSON_PUT);
    const char *text[] = {p->id,         p->household,   p->operation, p->nation,
                          p->nationality, p->surname,    p->given_names, p->native_name,
                          p->sex,        p->birth_date,  p->doc_type,  p->doc_number,
                          p->doc_state,  p->doc_expiry,  p->phone,     p->email,
                          p->address};
    for (int i = 0; i < 17; i++)
        bind_text(st, i + 1, text[i]);
    bind_real(st, 18, p->lat);
    bind_real(st, 19, p->lon);
    sqlite3_bind_int64(st, 20, p->needs);
    bind_text(st, 21, p->priority);
    bind_text(st, 22, p->priority_override);
    sqlite3_bind_int(st, 23, p->consent);
    bind_text(st, 24, p->status);
    bind_text(st, 25, p->leg);
    sqlite3_bind_int64(st, 26, p->updated_ms);
    return exec_done(S(s), st, err, "person_put");
}

static int sq_person_get(struct store *s, const char *id, struct store_person *p, struct arena *a,
                         struct muster_err *err)
{
    struct sqlite_store *ss = S(s);
    sqlite3_stmt *st = stmt(ss, S_PERSON_GET);
    bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            return err_set(err, MUSTER_ENOTFOUND, "no person %s", id);
        return db_error(ss, err, "person_get");
    }
    const char **text[] = {&p->id,         &p->household,  &p->operation,  &p->nation,
                           &p->nationality, &p->surname,   &p->given_names, &p->native_name,
                           &p->sex,        &p->birth_date, &p->doc_type,   &p->doc_number,
                           &p->doc_state,  &p->doc_expiry, &p->phone,      &p->email,
                           &p->address};
    for (int i = 0; i < 17; i++)
        *text[i] = col_text(st, i, a);
    p->lat = sqlite3_column_type(st, 17) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 17);
    p->lon = sqlite3_column_type(st, 18) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 18);
    p->needs = sqlite3_column_int64(st, 19);
    p->priority = col_text(st, 20, a);
    p->priority_override = col_text(st, 21, a);
    p->consent = sqlite3_column_int(st, 22) != 0;
    p->status = col_text(st, 23, a);
    p->leg = col_text(st, 24, a);
    p->updated_ms = sqlite3_column_int64(st, 25);
    sqlite3_reset(st);
    return 0;
}

static int sq_person_set_status(struct store *s, const char *id, const char *status,
                                const char *leg, int64_t updated_ms, struct muster_err *err)
{
    sqlite3_stmt *st = stmt(S(s), S_PERSON_STATUS);
    bind_text(st, 1, status);
    bind_text(st, 2, leg);
    sqlite3_bind_int64(st, 3, updated_ms);
    bind_text(st, 4, id);
    int rc = exec_done(S(s), st, err, "person_set_status");
    if (rc == 0 && sqlite3_changes(S(s)->db) == 0)
        return err_set(err, MUSTER_ENOTFOUND, "no person %s", id);
    return rc;
}

static int sq_operation_get(struct store *s, const char *id, struct store_operation *o,
                            struct arena *a, struct muster_err *err)
{
    struct sqlite_store *ss = S(s);
    sqlite3_stmt *st = stmt(ss, S_OP_GET);
    bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            return err_set(err, MUSTER_ENOTFOUND, "no operation %s", id);
        return db_error(ss, err, "operation_get");
    }
    o->id = col_text(st, 0, a);
    o->nation = col_text(st, 1, a);
    o->name = col_text(st, 2, a);
    o->host_country = col_text(st, 3, a);
    o->area = col_text(st, 4, a);
    o->status = col_text(st, 5, a);
    o->partners = col_text(st, 6, a);
    o->created_ms = sqlite3_column_int64(st, 7);
    sqlite3_reset(st);
    return 0;
}

static int sq_person_counts(struct store *s, const char *operation, const char *by,
                            struct store_count **out, size_t *n, struct arena *a,
                            struct muster_err *err)
{
    if (strcmp(by, "status") != 0 && strcmp(by, "nationality") != 0 &&
        strcmp(by, "priority") != 0)
        return err_set(err, MUSTER_EINVAL, "cannot count persons by '%s'", by);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT %s, count(*) FROM persons WHERE operation = ? GROUP BY 1 ORDER BY 2 DESC",
             by);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(S(s)->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(S(s), err, "person_counts");
    bind_text(st, 1, operation);
    size_t cap = 16;
    *out = arena_alloc(a, cap * sizeof **out);
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            struct store_count *bigger = arena_alloc(a, 2 * cap * sizeof **out);
            memcpy(bigger, *out, cap * sizeof **out);
            *out = bigger;
            cap *= 2;
        }
        (*out)[*n].key = col_text(st, 0, a);
        (*out)[*n].n = sqlite3_column_int64(st, 1);
        (*n)++;
    }
    sqlite3_finalize(st);
    return 0;
}

static int64_t sq_size_bytes(struct store *s)
{
    sqlite3_stmt *st;
    int64_t n = -1;
    const char *sql = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
    if (sqlite3_prepare_v2(S(s)->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void sq_close(struct store *s)
{
    struct sqlite_store *ss = S(s);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(ss->stmt[i]);
    sqlite3_close(ss->db);
    free(ss);
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .meta_get = sq_meta_get,
    .meta_put = sq_meta_put,
    .node_put = sq_node_put,
    .node_key = sq_node_key,
    .event_append = sq_event_append,
    .event_head = sq_event_head,
    .event_scan = sq_event_scan,
    .event_count = sq_event_count,
    .key_put = sq_key_put,
    .key_get = sq_key_get,
    .key_destroy = sq_key_destroy,
    .proj_clear = sq_proj_clear,
    .proj_digest = sq_proj_digest,
    .operation_put = sq_operation_put,
    .point_put = sq_point_put,
    .leg_put = sq_leg_put,
    .household_put = sq_household_put,
    .person_put = sq_person_put,
    .person_get = sq_person_get,
    .person_set_status = sq_person_set_status,
    .operation_get = sq_operation_get,
    .person_counts = sq_person_counts,
    .table_count = sq_table_count,
    .size_bytes = sq_size_bytes,
};

/* Brings the schema to the latest version, one migration per transaction. */
static int migrate(struct sqlite_store *ss, struct muster_err *err)
{
    sqlite3_stmt *st;
    int version = 0;
    if (sqlite3_prepare_v2(ss->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return db_error(ss, err, "read schema version");
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if ((size_t)version > sqlite_migrations_count)
        return err_set(err, MUSTER_EINVAL,
                       "database schema version %d is newer than this muster (%zu)", version,
                       sqlite_migrations_count);
    for (size_t v = (size_t)version; v < sqlite_migrations_count; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %zu", v + 1);
        if (sqlite3_exec(ss->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(ss->db, sqlite_migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(ss->db, bump, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(ss->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            int rc = db_error(ss, err, "schema migration");
            sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return 0;
}

int store_sqlite_open(const char *path, bool create, struct store **out, struct muster_err *err)
{
    struct sqlite_store *ss = calloc(1, sizeof *ss);
    ss->base.ops = &sqlite_ops;
    snprintf(ss->base.path, sizeof ss->base.path, "%s", path);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &ss->db, flags, NULL) != SQLITE_OK) {
        err_set(err, MUSTER_EIO, "cannot open database %s: %s", path,
                ss->db ? sqlite3_errmsg(ss->db) : "out of memory");
        sqlite3_close(ss->db);
        free(ss);
        return MUSTER_EIO;
    }
    sqlite3_busy_timeout(ss->db, 10000);
    const char *pragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                          "PRAGMA secure_delete = ON; PRAGMA cache_size = -65536;"
                          "PRAGMA temp_store = MEMORY;";
    int rc = 0;
    if (sqlite3_exec(ss->db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
        rc = db_error(ss, err, "cannot set up database");
    else
        rc = migrate(ss, err);
    if (rc) {
        sq_close(&ss->base);
        return rc;
    }
    *out = &ss->base;
    return 0;
}

int store_open(const char *uri, bool create, struct store **out, struct muster_err *err)
{
    if (strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0)
        return err_set(err, MUSTER_EINVAL, "the PostgreSQL store is not built yet");
    return store_sqlite_open(uri, create, out, err);
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

/* sqlite.c — the embedded store: one SQLite file per node.
 *
 * WAL journal with synchronous=FULL, so that a commit that returned is on disk
 * and survives kill -9 or power loss; secure_delete so that a destroyed
 * person key is overwritten, not left in a free page. Statements are
 * prepared once and cached. One handle is used by one thread at a time.
 * This file: opening, migrations, transactions, node settings, the log and
 * person keys. Projections: sqlite_proj.c; accounts: sqlite_acct.c. */
#include "store/sqlite_int.h"
#include "util/buf.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const char *const sqlite_migrations[];
extern const size_t sqlite_migrations_count;

sqlite3_stmt *sq_stmt(struct sqlite_store *ss, const char *sql)
{
    int i;
    for (i = 0; i < SQ_CACHE && ss->cache[i].sql; i++) {
        if (ss->cache[i].sql == sql) {
            sqlite3_stmt *st = ss->cache[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(ss->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    if (i < SQ_CACHE) {
        ss->cache[i].sql = sql;
        ss->cache[i].st = st;
    }
    /* a full cache cannot happen with the fixed set of statements; if it
     * did, the statement would leak, so fail loudly in tests */
    return i < SQ_CACHE ? st : (sqlite3_finalize(st), NULL);
}

int sq_error(struct sqlite_store *ss, struct muster_err *err, const char *what)
{
    return err_set(err, MUSTER_EIO, "%s: %s", what, sqlite3_errmsg(ss->db));
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

int sq_exec_done(struct sqlite_store *ss, sqlite3_stmt *st, struct muster_err *err,
                 const char *what)
{
    if (!st)
        return sq_error(ss, err, what);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT)
            return err_set(err, MUSTER_ECONFLICT, "%s: %s", what, sqlite3_errmsg(ss->db));
        return sq_error(ss, err, what);
    }
    return 0;
}

int sq_col_blob(sqlite3_stmt *st, int i, uint8_t *out, size_t n)
{
    if ((size_t)sqlite3_column_bytes(st, i) != n)
        return -1;
    memcpy(out, sqlite3_column_blob(st, i), n);
    return 0;
}

/* --- bulk loads ------------------------------------------------------------
 *
 * Each person row of an import also goes into the secondary indexes of
 * persons. Three of them take the rows at positions spread over the whole
 * index (documents, names, birth dates): most of an insert's cost. When the
 * load is at least as big as the table, those are dropped inside the transaction
 * and made again at the end (bulk_end, or the commit) from the CREATE INDEX
 * text SQLite keeps, by one sort each. The others stay: their keys arrive
 * in order (household ids sort by creation time, see reg_new_id; an
 * import's people share one operation, status and no leg), so each row
 * lands at the same end of the index, and building them again would cost
 * a scan of the table and a sort each (1,000,000 rows: 2.9 s more). */

static int64_t sq_table_count(struct store *s, const char *table);

static int sq_bulk_begin(struct store *s, int64_t rows, struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    if (ss->bulk_indexes || rows < sq_table_count(s, "persons"))
        return 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ss->db,
                           "SELECT name, sql FROM sqlite_schema WHERE type = 'index'"
                           " AND tbl_name = 'persons' AND sql IS NOT NULL"
                           " AND name IN ('persons_birth', 'persons_doc', 'persons_name')"
                           " ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_error(ss, err, "bulk_begin");
    struct buf create = {0}, drop = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        buf_printf(&drop, "DROP INDEX \"%s\";", (const char *)sqlite3_column_text(st, 0));
        buf_printf(&create, "%s;", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    int rc = 0;
    if (drop.len && sqlite3_exec(ss->db, drop.data, NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_error(ss, err, "bulk_begin");
    buf_free(&drop);
    if (rc || !create.len) {
        buf_free(&create);
        return rc;
    }
    ss->bulk_indexes = create.data;
    return 0;
}

static int sq_bulk_end(struct store *s, struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    if (!ss->bulk_indexes)
        return 0;
    /* the sorter may use a second thread for each index */
    sqlite3_exec(ss->db, "PRAGMA threads = 2", NULL, NULL, NULL);
    int rc = 0;
    if (sqlite3_exec(ss->db, ss->bulk_indexes, NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_error(ss, err, "bulk_end");
    sqlite3_exec(ss->db, "PRAGMA threads = 0", NULL, NULL, NULL);
    free(ss->bulk_indexes);
    ss->bulk_indexes = NULL;
    return rc;
}

/* A WAL holds each page a transaction writes until a checkpoint copies it
 * into the database: an import of 1,000,000 people wrote 1.3 GB twice and
 * spent 5 s of its 28 in that copy. With the database to itself (SQLite
 * leaves WAL mode only when no other connection has it open) the import
 * runs in rollback-journal mode instead: new pages go straight into the
 * database file, the journal keeps the old content of the pages it
 * changes, and synchronous = FULL syncs both before the commit returns. A
 * kill -9 leaves a hot journal, which the next open rolls back before it
 * sets WAL mode again; a server starting meanwhile waits for the lock. */
static bool sq_bulk_mode(struct store *s, bool on)
{
    struct sqlite_store *ss = sq(s);
    if (!sqlite3_get_autocommit(ss->db) || ss->rollback_journal == on)
        return ss->rollback_journal;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ss->db,
                           on ? "PRAGMA journal_mode = DELETE" : "PRAGMA journal_mode = WAL", -1,
                           &st, NULL) != SQLITE_OK)
        return ss->rollback_journal;
    /* another connection: no waiting, the load runs in WAL mode beside it */
    sqlite3_busy_timeout(ss->db, on ? 0 : 10000);
    const char *mode = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        mode = (const char *)sqlite3_column_text(st, 0);
    ss->rollback_journal = mode && strcmp(mode, "delete") == 0;
    sqlite3_finalize(st);
    sqlite3_busy_timeout(ss->db, 10000);
    return ss->rollback_journal;
}

/* --- transactions -------------------------------------------------------- */

/* Runs a transaction-control statement, prepared once (a group commit runs
 * a savepoint and a release per write: parsing them each time showed). */
static int sq_control(struct sqlite_store *ss, const char *sql)
{
    sqlite3_stmt *st = sq_stmt(ss, sql);
    if (!st)
        return SQLITE_ERROR;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void sq_read_end(struct store *s)
{
    struct sqlite_store *ss = sq(s);
    if (!ss->reading)
        return;
    ss->reading = false;
    if (!sqlite3_get_autocommit(ss->db) && sq_control(ss, "COMMIT") != SQLITE_OK)
        sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
}

static void sq_read_begin(struct store *s)
{
    struct sqlite_store *ss = sq(s);
    if (ss->reading || !sqlite3_get_autocommit(ss->db))
        return;
    /* deferred: the read transaction starts with the first statement */
    ss->reading = sq_control(ss, "BEGIN") == SQLITE_OK;
}

static int sq_begin(struct store *s, struct muster_err *err)
{
    sq_read_end(s); /* a write starts from the newest state, never a snapshot */
    if (sq_control(sq(s), "BEGIN IMMEDIATE") != SQLITE_OK)
        return sq_error(sq(s), err, "begin");
    return 0;
}

static int sq_commit(struct store *s, struct muster_err *err)
{
    if (sq_bulk_end(s, err)) { /* a bulk load's indexes are part of its transaction */
        sqlite3_exec(sq(s)->db, "ROLLBACK", NULL, NULL, NULL);
        return err->code;
    }
    if (sq_control(sq(s), "COMMIT") != SQLITE_OK) {
        int rc = sq_error(sq(s), err, "commit");
        sqlite3_exec(sq(s)->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return 0;
}

static void sq_rollback(struct store *s)
{
    free(sq(s)->bulk_indexes); /* the rollback brings the indexes back */
    sq(s)->bulk_indexes = NULL;
    if (!sqlite3_get_autocommit(sq(s)->db))
        sqlite3_exec(sq(s)->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_savepoint(struct store *s, struct muster_err *err)
{
    if (sq_control(sq(s), "SAVEPOINT req") != SQLITE_OK)
        return sq_error(sq(s), err, "savepoint");
    return 0;
}

static int sq_release(struct store *s, struct muster_err *err)
{
    if (sq_control(sq(s), "RELEASE req") != SQLITE_OK)
        return sq_error(sq(s), err, "release");
    return 0;
}

static void sq_rollback_to(struct store *s)
{
    sqlite3_exec(sq(s)->db, "ROLLBACK TO req; RELEASE req", NULL, NULL, NULL);
}

static int sq_set_durable(struct store *s, bool full, struct muster_err *err)
{
    const char *sql = full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
    if (sqlite3_exec(sq(s)->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_error(sq(s), err, "set_durable");
    return 0;
}

/* --- settings and node keys ---------------------------------------------- */

static int sq_meta_get(struct store *s, const char *key, char *out, size_t cap,
                       struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    sqlite3_stmt *st = sq_stmt(ss, "SELECT value FROM meta WHERE key = ?");
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return err_set(err, MUSTER_ENOTFOUND, "no setting '%s'", key);
    return sq_error(ss, err, "meta_get");
}

static int sq_meta_put(struct store *s, const char *key, const char *value, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    sq_bind_text(st, 1, key);
    sq_bind_text(st, 2, value);
    return sq_exec_done(sq(s), st, err, "meta_put");
}

static int sq_node_put(struct store *s, const char *origin, const char *nation,
                       const uint8_t pk[32], struct muster_err *err)
{
    sqlite3_stmt *st =
        sq_stmt(sq(s), "INSERT OR REPLACE INTO nodes (origin, nation, pubkey) VALUES (?, ?, ?)");
    sq_bind_text(st, 1, origin);
    sq_bind_text(st, 2, nation);
    sqlite3_bind_blob(st, 3, pk, 32, SQLITE_STATIC);
    return sq_exec_done(sq(s), st, err, "node_put");
}

static int sq_node_key(struct store *s, const char *origin, uint8_t pk[32], struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    sqlite3_stmt *st = sq_stmt(ss, "SELECT pubkey FROM nodes WHERE origin = ?");
    sq_bind_text(st, 1, origin);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW && sq_col_blob(st, 0, pk, 32) == 0)
        ret = 0;
    else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        ret = err_set(err, MUSTER_ENOTFOUND, "no public key for node %s", origin);
    else
        ret = sq_error(ss, err, "node_key");
    sqlite3_reset(st);
    return ret;
}

static int sq_node_scan(struct store *s,
                        int (*fn)(void *ctx, const char *origin, const char *nation,
                                  const uint8_t pk[32]),
                        void *ctx, struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    sqlite3_stmt *st = sq_stmt(ss, "SELECT origin, nation, pubkey FROM nodes ORDER BY origin");
    if (!st)
        return sq_error(ss, err, "node_scan");
    int rc, ret = 0;
    while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t pk[32];
        if (sq_col_blob(st, 2, pk, 32) != 0) {
            ret = err_set(err, MUSTER_EIO, "a public key in nodes has a bad size");
            break;
        }
        ret = fn(ctx, (const char *)sqlite3_column_text(st, 0),
                 (const char *)sqlite3_column_text(st, 1), pk);
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = sq_error(ss, err, "node_scan");
    sqlite3_reset(st);
    return ret;
}

/* --- the log ------------------------------------------------------------- */

static int sq_event_append(struct store *s, struct store_event *ev, struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    sqlite3_stmt *st =
        sq_stmt(ss, "INSERT INTO events (origin, seq, lamport, time_ms, actor, nation, type, body,"
                    " prev, hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return sq_error(ss, err, "event_append");
    sq_bind_text(st, 1, ev->origin);
    sqlite3_bind_int64(st, 2, ev->seq);
    sqlite3_bind_int64(st, 3, ev->lamport);
    sqlite3_bind_int64(st, 4, ev->time_ms);
    sq_bind_text(st, 5, ev->actor);
    sq_bind_text(st, 6, ev->nation);
    sq_bind_text(st, 7, ev->type);
    sqlite3_bind_blob(st, 8, ev->body, (int)ev->body_len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 9, ev->prev, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, ev->hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 11, ev->sig, 64, SQLITE_STATIC);
    int rc = sq_exec_done(ss, st, err, "event_append");
    if (rc == 0)
        ev->id = sqlite3_last_insert_rowid(ss->db);
    return rc;
}

static int sq_event_head(struct store *s, const char *origin, struct store_head *head,
                         struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    memset(head, 0, sizeof *head);
    sqlite3_stmt *st =
        sq_stmt(ss, "SELECT seq, hash FROM events WHERE origin = ? ORDER BY seq DESC LIMIT 1");
    sq_bind_text(st, 1, origin);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        head->seq = sqlite3_column_int64(st, 0);
        sq_col_blob(st, 1, head->hash, 32);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_error(ss, err, "event_head");
    st = sq_stmt(ss, "SELECT max(lamport) FROM events");
    if (sqlite3_step(st) == SQLITE_ROW)
        head->lamport = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return 0;
}

static int sq_event_scan(struct store *s, int64_t after,
                         int (*fn)(void *ctx, const struct store_event *ev), void *ctx,
                         struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    sqlite3_stmt *st;
    const char *sql = "SELECT id, origin, seq, lamport, time_ms, actor, nation, type, body, prev,"
                      " hash, sig FROM events WHERE id > ? ORDER BY id";
    if (sqlite3_prepare_v2(ss->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_error(ss, err, "event_scan");
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
        if (!ev.actor)
            ev.actor = "";
        if (!ev.type)
            ev.type = "";
        /* a damaged row (wrong sizes) is handed on zeroed, so verify names it */
        sq_col_blob(st, 9, ev.prev, 32);
        sq_col_blob(st, 10, ev.hash, 32);
        sq_col_blob(st, 11, ev.sig, 64);
        ret = fn(ctx, &ev);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(ss, err, "event_scan");
    sqlite3_finalize(st);
    return ret;
}

static int64_t sq_table_count(struct store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(sq(s)->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int64_t sq_event_count(struct store *s)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "SELECT max(id) FROM events");
    int64_t n = 0;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return n;
}

/* --- person keys --------------------------------------------------------- */

static int sq_key_put(struct store *s, const char *subject, const uint8_t *wrapped, size_t n,
                      struct muster_err *err)
{
    sqlite3_stmt *st =
        sq_stmt(sq(s), "INSERT OR REPLACE INTO person_keys (subject, wrapped) VALUES (?, ?)");
    sq_bind_text(st, 1, subject);
    sqlite3_bind_blob(st, 2, wrapped, (int)n, SQLITE_STATIC);
    return sq_exec_done(sq(s), st, err, "key_put");
}

static int sq_key_get(struct store *s, const char *subject, uint8_t *out, size_t cap, size_t *n,
                      struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    sqlite3_stmt *st = sq_stmt(ss, "SELECT wrapped FROM person_keys WHERE subject = ?");
    sq_bind_text(st, 1, subject);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        if (len > cap) {
            ret = err_set(err, MUSTER_ECRYPTO, "key of %s has a bad size", subject);
        } else {
            memcpy(out, sqlite3_column_blob(st, 0), len);
            *n = len;
        }
    } else if (rc == SQLITE_DONE) {
        ret = err_set(err, MUSTER_ENOTFOUND, "no key for %s (destroyed or never made)", subject);
    } else {
        ret = sq_error(ss, err, "key_get");
    }
    sqlite3_reset(st);
    return ret;
}

static int sq_key_destroy(struct store *s, const char *subject, struct muster_err *err)
{
    sqlite3_stmt *st = sq_stmt(sq(s), "DELETE FROM person_keys WHERE subject = ?");
    sq_bind_text(st, 1, subject);
    return sq_exec_done(sq(s), st, err, "key_destroy");
}

static int sq_key_scan(struct store *s,
                       int (*fn)(void *ctx, const char *subject, const uint8_t *wrapped, size_t n),
                       void *ctx, struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    sqlite3_stmt *st = sq_stmt(ss, "SELECT subject, wrapped FROM person_keys ORDER BY subject");
    if (!st)
        return sq_error(ss, err, "key_scan");
    int rc, ret = 0;
    while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ret = fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(st, 1),
                 (size_t)sqlite3_column_bytes(st, 1));
    if (ret == 0 && rc != SQLITE_DONE)
        ret = sq_error(ss, err, "key_scan");
    sqlite3_reset(st);
    return ret;
}

static int64_t sq_size_bytes(struct store *s)
{
    sqlite3_stmt *st = sq_stmt(
        sq(s), "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
    int64_t n = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return n;
}

static void sq_close(struct store *s)
{
    struct sqlite_store *ss = sq(s);
    free(ss->bulk_indexes);
    if (ss->wal_fd >= 0)
        close(ss->wal_fd);
    for (int i = 0; i < SQ_CACHE && ss->cache[i].sql; i++)
        sqlite3_finalize(ss->cache[i].st);
    sqlite3_close(ss->db);
    free(ss);
}

static struct store_ops sqlite_ops;
static pthread_once_t sqlite_ops_once = PTHREAD_ONCE_INIT;

static void fill_ops(void)
{
    /* before the first open: SQLite's allocation statistics take one global
     * mutex per malloc, which every reader thread of the server contends on */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    struct store_ops *o = &sqlite_ops;
    o->name = "sqlite";
    o->close = sq_close;
    o->begin = sq_begin;
    o->commit = sq_commit;
    o->rollback = sq_rollback;
    o->savepoint = sq_savepoint;
    o->release = sq_release;
    o->rollback_to = sq_rollback_to;
    o->set_durable = sq_set_durable;
    o->bulk_begin = sq_bulk_begin;
    o->bulk_end = sq_bulk_end;
    o->bulk_mode = sq_bulk_mode;
    o->read_begin = sq_read_begin;
    o->read_end = sq_read_end;
    o->meta_get = sq_meta_get;
    o->meta_put = sq_meta_put;
    o->node_put = sq_node_put;
    o->node_key = sq_node_key;
    o->node_scan = sq_node_scan;
    o->event_append = sq_event_append;
    o->event_head = sq_event_head;
    o->event_scan = sq_event_scan;
    o->event_count = sq_event_count;
    o->key_put = sq_key_put;
    o->key_get = sq_key_get;
    o->key_destroy = sq_key_destroy;
    o->key_scan = sq_key_scan;
    o->table_count = sq_table_count;
    o->size_bytes = sq_size_bytes;
    sq_proj_ops(o);
    sq_acct_ops(o);
    sq_clear_ops(o);
    sq_ret_ops(o);
    sq_audit_ops(o);
    sq_sync_ops(o);
    sq_ledger_ops(o);
}

/* Brings the schema to the latest version, one migration per transaction. */
static int migrate(struct sqlite_store *ss, struct muster_err *err)
{
    sqlite3_stmt *st;
    int version = 0;
    if (sqlite3_prepare_v2(ss->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return sq_error(ss, err, "read schema version");
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
            int rc = sq_error(ss, err, "schema migration");
            sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return 0;
}

int store_sqlite_open(const char *path, bool create, struct store **out, struct muster_err *err)
{
    pthread_once(&sqlite_ops_once, fill_ops);
    struct sqlite_store *ss = calloc(1, sizeof *ss);
    ss->base.ops = &sqlite_ops;
    ss->wal_fd = -1;
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
    const char *pragmas =
        "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
        "PRAGMA secure_delete = ON; PRAGMA cache_size = -65536;"
        "PRAGMA temp_store = MEMORY;";
    int rc = 0;
    if (sqlite3_exec(ss->db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_error(ss, err, "cannot set up database");
    else
        rc = migrate(ss, err);
    if (rc) {
        sq_close(&ss->base);
        return rc;
    }
    *out = &ss->base;
    return 0;
}

/* pg.c — the headquarters store: one PostgreSQL database per node, shared
 * by several `muster serve` processes.
 *
 * Writers of one database are serialised by a transaction-level advisory
 * lock taken in begin() (PG_WRITER_LOCK): like SQLite's BEGIN IMMEDIATE, one
 * write transaction at a time, so each origin's chain is appended by one
 * writer at a time and event ids (max(id) + 1, no sequence) increase in
 * commit order without gaps. synchronous_commit is forced on, so a commit
 * that returned is on the server's disk (and on synchronous standbys when
 * the server is set up so). Statements are prepared once per connection.
 * One handle is used by one thread at a time.
 * This file: statements and columns, transactions, node settings, the log
 * and person keys. Connecting and migrations: pg_open.c. Projections: pg_proj.c; accounts:
 * pg_acct.c. */
#include "store/pg_int.h"

#include <endian.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the advisory lock key of muster writers: "must" in ASCII */
#define PG_WRITER_LOCK "1836413812"
#define SCAN_BATCH     2000

/* --- parameters, statements and columns ---------------------------------- */

void pg_p_text(struct pg_params *p, const char *s)
{
    p->v[p->n] = s;
    p->len[p->n] = 0;
    p->fmt[p->n] = 0;
    p->n++;
}

void pg_p_i64(struct pg_params *p, int64_t v)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%" PRId64, v);
    pg_p_text(p, p->num[p->n]);
}

void pg_p_real(struct pg_params *p, double v)
{
    if (isnan(v)) {
        pg_p_text(p, NULL);
        return;
    }
    snprintf(p->num[p->n], sizeof p->num[0], "%.17g", v);
    pg_p_text(p, p->num[p->n]);
}

void pg_p_blob(struct pg_params *p, const void *b, size_t n)
{
    p->v[p->n] = b ? b : "";
    p->len[p->n] = (int)n;
    p->fmt[p->n] = 1;
    p->n++;
}

PGresult *pg_run(struct pg_store *ps, const char *sql, const struct pg_params *p, int binary)
{
    if (pg_flush(ps, &ps->deferred))
        return NULL;
    int i;
    char name[16];
    for (i = 0; i < ps->nprep; i++)
        if (ps->prepared[i] == sql)
            break;
    snprintf(name, sizeof name, "m%d", i);
    if (i == ps->nprep) {
        if (i == PG_CACHE)
            return NULL; /* cannot happen with the fixed set of statements */
        PGresult *r = PQprepare(ps->conn, name, sql, p ? p->n : 0, NULL);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok)
            return NULL;
        ps->prepared[ps->nprep++] = sql;
    }
    if (!p)
        return PQexecPrepared(ps->conn, name, 0, NULL, NULL, NULL, binary);
    return PQexecPrepared(ps->conn, name, p->n, p->v, p->len, p->fmt, binary);
}

/* The error of r (or of the connection) as one line in line[cap]. */
static const char *pg_msg(struct pg_store *ps, PGresult *r, char *line, size_t cap)
{
    const char *m = r ? PQresultErrorMessage(r) : "";
    if (!m || !*m)
        m = PQerrorMessage(ps->conn);
    snprintf(line, cap, "%s", m);
    line[strcspn(line, "\n")] = '\0';
    return line;
}

int pg_check(struct pg_store *ps, PGresult *r, struct muster_err *err, const char *what)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_SINGLE_TUPLE)
        return 0;
    if (!r && ps->deferred.code)
        return err_set(err, ps->deferred.code, "%s: %s", what, ps->deferred.msg);
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    char line[200];
    pg_msg(ps, r, line, sizeof line);
    if (state && strcmp(state, "23505") == 0)
        return err_set(err, MUSTER_ECONFLICT, "%s: %s", what, line);
    return err_set(err, MUSTER_EIO, "%s: %s", what, line);
}

int pg_exec_done(struct pg_store *ps, const char *sql, const struct pg_params *p, int64_t *changed,
                 struct muster_err *err, const char *what)
{
    PGresult *r = pg_run(ps, sql, p, 0);
    int rc = pg_check(ps, r, err, what);
    if (rc == 0 && changed)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return rc;
}

const char *pg_col_text(const PGresult *r, int row, int col, struct arena *a)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    return arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

int64_t pg_col_i64(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    const char *v = PQgetvalue(r, row, col);
    if (PQfformat(r, col) == 0)
        return strtoll(v, NULL, 10);
    if (PQgetlength(r, row, col) == 8) {
        uint64_t x;
        memcpy(&x, v, 8);
        return (int64_t)be64toh(x);
    }
    if (PQgetlength(r, row, col) == 4) {
        uint32_t x;
        memcpy(&x, v, 4);
        return (int32_t)be32toh(x);
    }
    return 0;
}

double pg_col_real(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return NAN;
    const char *v = PQgetvalue(r, row, col);
    if (PQfformat(r, col) == 0)
        return strtod(v, NULL);
    uint64_t x;
    double d;
    memcpy(&x, v, 8);
    x = be64toh(x);
    memcpy(&d, &x, 8);
    return d;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int pg_col_blob(const PGresult *r, int row, int col, uint8_t *out, size_t n)
{
    if (PQgetisnull(r, row, col))
        return -1;
    const char *v = PQgetvalue(r, row, col);
    size_t len = (size_t)PQgetlength(r, row, col);
    if (PQfformat(r, col) == 1) {
        if (len != n)
            return -1;
        memcpy(out, v, n);
        return 0;
    }
    /* text format: \x followed by hex */
    if (len != 2 + 2 * n || v[0] != '\\' || v[1] != 'x')
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int pg_command(struct pg_store *ps, const char *sql, struct muster_err *err, const char *what)
{
    int rc = pg_flush(ps, err);
    if (rc)
        return rc;
    PGresult *r = PQexec(ps->conn, sql);
    rc = pg_check(ps, r, err, what);
    PQclear(r);
    return rc;
}

/* --- transactions -------------------------------------------------------- */

static int pg_begin(struct store *s, struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    if (PQstatus(ps->conn) != CONNECTION_OK) {
        /* the server restarted or failed over: start afresh */
        PQreset(ps->conn);
        ps->nprep = 0;
        if (PQstatus(ps->conn) != CONNECTION_OK)
            return pg_check(ps, NULL, err, "begin");
        int rc = pg_command(ps, PG_SESSION, err, "begin: set up the connection again");
        if (rc)
            return rc;
        pg_copy_stage(ps, err);
    }
    pg_copy_discard(ps);
    err_clear(&ps->deferred);
    ps->depth = 0;
    ps->nheads = 0;
    /* a lazy commit is asked for inside its own transaction: the session
     * stays synchronous_commit = on, so no later commit can inherit it */
    int rc = pg_command(ps,
                        ps->lazy ? "BEGIN; SET LOCAL synchronous_commit = off;"
                                   " SELECT pg_advisory_xact_lock(" PG_WRITER_LOCK ")"
                                 : "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITER_LOCK ")",
                        err, "begin");
    if (rc && PQtransactionStatus(ps->conn) != PQTRANS_IDLE)
        PQclear(PQexec(ps->conn, "ROLLBACK"));
    ps->in_tx = rc == 0;
    return rc;
}

static int pg_set_durable(struct store *s, bool full, struct muster_err *err)
{
    (void)err;
    pg(s)->lazy = !full; /* taken by the next begin, for its transaction only */
    return 0;
}

static int pg_commit(struct store *s, struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    ps->in_tx = false;
    ps->depth = 0;
    ps->nheads = 0;
    int rc = pg_flush(ps, err);
    if (rc) {
        PQclear(PQexec(ps->conn, "ROLLBACK"));
        return rc;
    }
    PGresult *r = PQexec(ps->conn, "COMMIT");
    rc = pg_check(ps, r, err, "commit");
    /* COMMIT of a failed transaction "succeeds" as ROLLBACK */
    if (rc == 0 && strcmp(PQcmdStatus(r), "COMMIT") != 0)
        rc = err_set(err, MUSTER_EIO, "commit: the transaction had failed and was rolled back");
    PQclear(r);
    if (rc && PQtransactionStatus(ps->conn) != PQTRANS_IDLE)
        PQclear(PQexec(ps->conn, "ROLLBACK"));
    return rc;
}

static void pg_rollback(struct store *s)
{
    pg_copy_discard(pg(s));
    pg(s)->in_tx = false;
    pg(s)->depth = 0;
    pg(s)->nheads = 0;
    if (PQtransactionStatus(pg(s)->conn) != PQTRANS_IDLE)
        PQclear(PQexec(pg(s)->conn, "ROLLBACK"));
}

/* Inside savepoints nothing is buffered (pg_copy_ok): the buffers are
 * sent before a savepoint, so rolling back to it never needs to drop rows. */
static int pg_savepoint(struct store *s, struct muster_err *err)
{
    int rc = pg_command(pg(s), "SAVEPOINT req", err, "savepoint");
    pg(s)->nheads = 0;
    if (rc == 0)
        pg(s)->depth++;
    return rc;
}

static int pg_release(struct store *s, struct muster_err *err)
{
    if (pg(s)->depth > 0)
        pg(s)->depth--;
    return pg_command(pg(s), "RELEASE SAVEPOINT req", err, "release");
}

static void pg_rollback_to(struct store *s)
{
    if (pg(s)->depth > 0)
        pg(s)->depth--;
    pg_copy_discard(pg(s));
    PQclear(PQexec(pg(s)->conn, "ROLLBACK TO SAVEPOINT req; RELEASE SAVEPOINT req"));
}

/* --- settings and node keys ---------------------------------------------- */

static int pg_meta_get(struct store *s, const char *key, char *out, size_t cap,
                       struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    struct pg_params p = {0};
    pg_p_text(&p, key);
    PGresult *r = pg_run(ps, "SELECT value FROM meta WHERE key = $1", &p, 0);
    int rc = pg_check(ps, r, err, "meta_get");
    if (rc == 0 && PQntuples(r) == 1)
        snprintf(out, cap, "%s", PQgetvalue(r, 0, 0));
    else if (rc == 0)
        rc = err_set(err, MUSTER_ENOTFOUND, "no setting '%s'", key);
    PQclear(r);
    return rc;
}

static int pg_meta_put(struct store *s, const char *key, const char *value, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, key);
    pg_p_text(&p, value);
    return pg_exec_done(pg(s),
                        "INSERT INTO meta (key, value) VALUES ($1, $2)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        &p, NULL, err, "meta_put");
}

static int pg_node_put(struct store *s, const char *origin, const char *nation,
                       const uint8_t pk[32], struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, origin);
    pg_p_text(&p, nation);
    pg_p_blob(&p, pk, 32);
    return pg_exec_done(pg(s),
                        "INSERT INTO nodes (origin, nation, pubkey) VALUES ($1, $2, $3)"
                        " ON CONFLICT (origin) DO UPDATE SET nation = excluded.nation,"
                        " pubkey = excluded.pubkey",
                        &p, NULL, err, "node_put");
}

static int pg_node_key(struct store *s, const char *origin, uint8_t pk[32], struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    struct pg_params p = {0};
    pg_p_text(&p, origin);
    PGresult *r = pg_run(ps, "SELECT pubkey FROM nodes WHERE origin = $1", &p, 1);
    int rc = pg_check(ps, r, err, "node_key");
    if (rc == 0 && (PQntuples(r) != 1 || pg_col_blob(r, 0, 0, pk, 32) != 0))
        rc = err_set(err, MUSTER_ENOTFOUND, "no public key for node %s", origin);
    PQclear(r);
    return rc;
}

static int pg_node_scan(struct store *s,
                        int (*fn)(void *ctx, const char *origin, const char *nation,
                                  const uint8_t pk[32]),
                        void *ctx, struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    PGresult *r = pg_run(ps, "SELECT origin, nation, pubkey FROM nodes ORDER BY origin", NULL, 1);
    int rc = pg_check(ps, r, err, "node_scan");
    for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
        uint8_t pk[32];
        if (pg_col_blob(r, i, 2, pk, 32) != 0)
            rc = err_set(err, MUSTER_EIO, "a public key in nodes has a bad size");
        else
            rc = fn(ctx, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), pk);
    }
    PQclear(r);
    return rc;
}

/* --- the log ------------------------------------------------------------- */

/* Finds (reading it the first time) the highest seq of origin in the log
 * and the buffers: *slot is its index in ps->heads, or -1 when too many
 * origins are being written at once. */
static int known_head(struct pg_store *ps, const char *origin, int *slot, struct muster_err *err)
{
    *slot = -1;
    for (int i = 0; i < ps->nheads; i++)
        if (strcmp(ps->heads[i].origin, origin) == 0) {
            *slot = i;
            return 0;
        }
    if (ps->nheads == (int)(sizeof ps->heads / sizeof ps->heads[0]))
        return 0;
    struct pg_params p = {0};
    pg_p_text(&p, origin);
    PGresult *r = pg_run(ps, "SELECT coalesce(max(seq), 0) FROM events WHERE origin = $1", &p, 0);
    int rc = pg_check(ps, r, err, "event_append");
    int i = ps->nheads;
    if (rc == 0) {
        snprintf(ps->heads[i].origin, sizeof ps->heads[i].origin, "%s", origin);
        ps->heads[i].seq = pg_col_i64(r, 0, 0);
        ps->nheads++;
        *slot = i;
    }
    PQclear(r);
    return rc;
}

/* Buffers an event for COPY; its id is counted here (the writers' lock
 * is held, so nobody else appends meanwhile). A seq above the origin's
 * highest cannot be a duplicate; anything else goes the single-row way
 * (*done false), which reports a duplicate at once. */
static int copy_event(struct pg_store *ps, struct store_event *ev, bool *done,
                      struct muster_err *err)
{
    *done = false;
    int slot;
    int rc = known_head(ps, ev->origin, &slot, err);
    if (rc || slot < 0 || ev->seq <= ps->heads[slot].seq)
        return rc;
    *done = true;
    if (ps->next_id == 0) {
        PGresult *r = pg_run(ps, "SELECT coalesce(max(id), 0) FROM events", NULL, 0);
        rc = pg_check(ps, r, err, "event_append");
        if (rc == 0)
            ps->next_id = pg_col_i64(r, 0, 0);
        PQclear(r);
        if (rc)
            return rc;
    }
    ev->id = ++ps->next_id;
    enum pg_copy_table t = PGC_EVENTS;
    pg_copy_i64(ps, t, ev->id);
    pg_copy_str(ps, t, ev->origin);
    pg_copy_i64(ps, t, ev->seq);
    pg_copy_i64(ps, t, ev->lamport);
    pg_copy_i64(ps, t, ev->time_ms);
    pg_copy_str(ps, t, ev->actor);
    pg_copy_str(ps, t, ev->nation);
    pg_copy_str(ps, t, ev->type);
    pg_copy_blob(ps, t, ev->body, ev->body_len);
    pg_copy_blob(ps, t, ev->prev, 32);
    pg_copy_blob(ps, t, ev->hash, 32);
    pg_copy_blob(ps, t, ev->sig, 64);
    /* keep next_id across a size-triggered flush: nobody else appends */
    int64_t id = ps->next_id;
    ps->heads[slot].seq = ev->seq;
    rc = pg_copy_row(ps, t, err);
    if (rc == 0)
        ps->next_id = id;
    return rc;
}

static int pg_event_append(struct store *s, struct store_event *ev, struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    if (pg_copy_ok(ps)) {
        bool done;
        int rc = copy_event(ps, ev, &done, err);
        if (rc || done)
            return rc;
    }
    ps->nheads = 0; /* the known heads may change below */
    struct pg_params p = {0};
    pg_p_text(&p, ev->origin);
    pg_p_i64(&p, ev->seq);
    pg_p_i64(&p, ev->lamport);
    pg_p_i64(&p, ev->time_ms);
    pg_p_text(&p, ev->actor);
    pg_p_text(&p, ev->nation);
    pg_p_text(&p, ev->type);
    pg_p_blob(&p, ev->body, ev->body_len);
    pg_p_blob(&p, ev->prev, 32);
    pg_p_blob(&p, ev->hash, 32);
    pg_p_blob(&p, ev->sig, 64);
    /* a duplicate (origin, seq) is reported without aborting the
     * transaction, as SQLite does; the id is free because writers hold the
     * advisory lock (a writer without it would hit the primary key) */
    PGresult *r =
        pg_run(ps,
               "INSERT INTO events (" PG_EVENT_COLS
               ") SELECT coalesce(max(id), 0) + 1, $1::text, $2::bigint, $3::bigint,"
               " $4::bigint, $5::text, $6::text, $7::text, $8::bytea, $9::bytea, $10::bytea,"
               " $11::bytea FROM events ON CONFLICT (origin, seq) DO NOTHING RETURNING id",
               &p, 0);
    int rc = pg_check(ps, r, err, "event_append");
    if (rc == 0 && PQntuples(r) == 1)
        ev->id = pg_col_i64(r, 0, 0);
    else if (rc == 0)
        rc = err_set(err, MUSTER_ECONFLICT,
                     "event_append: event %" PRId64 " of %s is already in the log", ev->seq,
                     ev->origin);
    PQclear(r);
    return rc;
}

static int pg_event_head(struct store *s, const char *origin, struct store_head *head,
                         struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    memset(head, 0, sizeof *head);
    struct pg_params p = {0};
    pg_p_text(&p, origin);
    PGresult *r = pg_run(ps,
                         "SELECT e.seq, e.hash, (SELECT coalesce(max(lamport), 0) FROM events)"
                         " FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT seq, hash FROM events"
                         " WHERE origin = $1 ORDER BY seq DESC LIMIT 1) e ON true",
                         &p, 1);
    int rc = pg_check(ps, r, err, "event_head");
    if (rc == 0 && PQntuples(r) == 1) {
        if (!PQgetisnull(r, 0, 0)) {
            head->seq = pg_col_i64(r, 0, 0);
            pg_col_blob(r, 0, 1, head->hash, 32);
        }
        head->lamport = pg_col_i64(r, 0, 2);
    }
    PQclear(r);
    return rc;
}

/* Hands the rows of one batch to fn; *last gets the last id seen. */
static int scan_batch(PGresult *r, int64_t *last, int (*fn)(void *, const struct store_event *),
                      void *ctx)
{
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        struct store_event ev = {0};
        ev.id = pg_col_i64(r, i, 0);
        snprintf(ev.origin, sizeof ev.origin, "%s", PQgetvalue(r, i, 1));
        ev.seq = pg_col_i64(r, i, 2);
        ev.lamport = pg_col_i64(r, i, 3);
        ev.time_ms = pg_col_i64(r, i, 4);
        ev.actor = PQgetvalue(r, i, 5);
        snprintf(ev.nation, sizeof ev.nation, "%s", PQgetvalue(r, i, 6));
        ev.type = PQgetvalue(r, i, 7);
        /* binary BYTEA: raw bytes, and libpq adds a terminating zero */
        ev.body = PQgetvalue(r, i, 8);
        ev.body_len = (size_t)PQgetlength(r, i, 8);
        /* a damaged row (wrong sizes) is handed on zeroed, so verify names it */
        pg_col_blob(r, i, 9, ev.prev, 32);
        pg_col_blob(r, i, 10, ev.hash, 32);
        pg_col_blob(r, i, 11, ev.sig, 64);
        *last = ev.id;
        int ret = fn(ctx, &ev);
        if (ret)
            return ret;
    }
    return 0;
}

static int pg_event_scan(struct store *s, int64_t after,
                         int (*fn)(void *ctx, const struct store_event *ev), void *ctx,
                         struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    /* batches by id, so that fn may use the store between them */
    for (;;) {
        struct pg_params p = {0};
        pg_p_i64(&p, after);
        pg_p_i64(&p, SCAN_BATCH);
        PGresult *r = pg_run(ps,
                             "SELECT id, origin, seq, lamport, time_ms, actor, nation, type, body,"
                             " prev, hash, sig FROM events WHERE id > $1 ORDER BY id LIMIT $2",
                             &p, 1);
        int rc = pg_check(ps, r, err, "event_scan");
        int rows = rc ? 0 : PQntuples(r);
        if (rc == 0)
            rc = scan_batch(r, &after, fn, ctx);
        PQclear(r);
        if (rc || rows < SCAN_BATCH)
            return rc;
    }
}

static int64_t pg_event_count(struct store *s)
{
    PGresult *r = pg_run(pg(s), "SELECT coalesce(max(id), 0) FROM events", NULL, 0);
    int64_t n = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        n = pg_col_i64(r, 0, 0);
    PQclear(r);
    return n;
}

static int64_t pg_table_count(struct store *s, const char *table)
{
    struct pg_store *ps = pg(s);
    char *id = PQescapeIdentifier(ps->conn, table, strlen(table));
    if (!id)
        return -1;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", id);
    PQfreemem(id);
    PGresult *r = pg_flush(ps, &ps->deferred) ? NULL : PQexec(ps->conn, sql);
    int64_t n = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        n = pg_col_i64(r, 0, 0);
    PQclear(r);
    return n;
}

/* --- person keys --------------------------------------------------------- */

static int pg_key_put(struct store *s, const char *subject, const uint8_t *wrapped, size_t n,
                      struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    if (pg_copy_ok(ps)) {
        pg_copy_str(ps, PGC_KEYS, subject);
        pg_copy_blob(ps, PGC_KEYS, wrapped, n);
        pg_copy_key(ps, subject, wrapped, n);
        return pg_copy_row(ps, PGC_KEYS, err);
    }
    struct pg_params p = {0};
    pg_p_text(&p, subject);
    pg_p_blob(&p, wrapped, n);
    return pg_exec_done(pg(s),
                        "INSERT INTO person_keys (" PG_KEY_COLS ") VALUES ($1, $2)"
                        " ON CONFLICT (subject) DO UPDATE SET" PG_KEY_SET,
                        &p, NULL, err, "key_put");
}

static int pg_key_get(struct store *s, const char *subject, uint8_t *out, size_t cap, size_t *n,
                      struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    size_t blen;
    const uint8_t *buffered = pg_copy_key_find(ps, subject, &blen);
    if (buffered) {
        if (blen > cap)
            return err_set(err, MUSTER_ECRYPTO, "key of %s has a bad size", subject);
        memcpy(out, buffered, blen);
        *n = blen;
        return 0;
    }
    struct pg_params p = {0};
    pg_p_text(&p, subject);
    PGresult *r = pg_run(ps, "SELECT wrapped FROM person_keys WHERE subject = $1", &p, 1);
    int rc = pg_check(ps, r, err, "key_get");
    if (rc == 0 && PQntuples(r) == 1) {
        size_t len = (size_t)PQgetlength(r, 0, 0);
        if (len > cap) {
            rc = err_set(err, MUSTER_ECRYPTO, "key of %s has a bad size", subject);
        } else {
            memcpy(out, PQgetvalue(r, 0, 0), len);
            *n = len;
        }
    } else if (rc == 0) {
        rc = err_set(err, MUSTER_ENOTFOUND, "no key for %s (destroyed or never made)", subject);
    }
    PQclear(r);
    return rc;
}

static int pg_key_destroy(struct store *s, const char *subject, struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, subject);
    return pg_exec_done(pg(s), "DELETE FROM person_keys WHERE subject = $1", &p, NULL, err,
                        "key_destroy");
}

/* One result for every key: export reads them once, at ~100 bytes a key. */
static int pg_key_scan(struct store *s,
                       int (*fn)(void *ctx, const char *subject, const uint8_t *wrapped, size_t n),
                       void *ctx, struct muster_err *err)
{
    struct pg_store *ps = pg(s);
    PGresult *r = pg_run(ps, "SELECT subject, wrapped FROM person_keys ORDER BY subject", NULL, 1);
    int rc = pg_check(ps, r, err, "key_scan");
    for (int i = 0; rc == 0 && i < PQntuples(r); i++)
        rc = fn(ctx, PQgetvalue(r, i, 0), (const uint8_t *)PQgetvalue(r, i, 1),
                (size_t)PQgetlength(r, i, 1));
    PQclear(r);
    return rc;
}

static int64_t pg_size_bytes(struct store *s)
{
    PGresult *r = pg_run(pg(s), "SELECT pg_database_size(current_database())", NULL, 0);
    int64_t n = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        n = pg_col_i64(r, 0, 0);
    PQclear(r);
    return n;
}

static void pg_close(struct store *s)
{
    struct pg_store *ps = pg(s);
    PQfinish(ps->conn);
    for (int i = 0; i < PGC_N; i++)
        buf_free(&ps->copy[i]);
    buf_free(&ps->keydata);
    free(ps->keyslots);
    free(ps);
}

static struct store_ops pg_ops;
static pthread_once_t pg_ops_once = PTHREAD_ONCE_INIT;

static void fill_ops(void)
{
    struct store_ops *o = &pg_ops;
    o->name = "postgresql";
    o->close = pg_close;
    o->begin = pg_begin;
    o->commit = pg_commit;
    o->rollback = pg_rollback;
    o->savepoint = pg_savepoint;
    o->release = pg_release;
    o->rollback_to = pg_rollback_to;
    o->set_durable = pg_set_durable;
    o->meta_get = pg_meta_get;
    o->meta_put = pg_meta_put;
    o->node_put = pg_node_put;
    o->node_key = pg_node_key;
    o->node_scan = pg_node_scan;
    o->event_append = pg_event_append;
    o->event_head = pg_event_head;
    o->event_scan = pg_event_scan;
    o->event_count = pg_event_count;
    o->key_put = pg_key_put;
    o->key_get = pg_key_get;
    o->key_destroy = pg_key_destroy;
    o->key_scan = pg_key_scan;
    o->table_count = pg_table_count;
    o->size_bytes = pg_size_bytes;
    pg_proj_ops(o);
    pg_acct_ops(o);
    pg_audit_ops(o);
    pg_ledger_ops(o);
}

const struct store_ops *pg_store_ops(void)
{
    pthread_once(&pg_ops_once, fill_ops);
    return &pg_ops;
}

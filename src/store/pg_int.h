/* pg_int.h — what the PostgreSQL store's files share (not for use above
 * src/store/). pg.c: statements, transactions, the log, keys; pg_open.c:
 * connecting and migrations;
 * pg_proj.c: projections; pg_person.c: persons; pg_clear.c: clearances;
 * pg_copy.c: bulk writes; pg_acct.c: accounts and sessions. */
#ifndef MUSTER_STORE_PG_INT_H
#define MUSTER_STORE_PG_INT_H

#include "store/store.h"
#include "util/buf.h"

#include <postgresql/libpq-fe.h>

#define PG_CACHE     96
#define PG_MAXPARAMS 32

/* Tables whose writes may be sent in bulk with COPY (pg_copy.c). */
enum pg_copy_table { PGC_EVENTS, PGC_KEYS, PGC_HOUSEHOLDS, PGC_PERSONS, PGC_N };

struct pg_store {
    struct store base;
    PGconn *conn;
    int nprep; /* statements prepared on this connection */
    const char *prepared[PG_CACHE];
    bool in_tx;      /* between begin and commit/rollback */
    bool lazy;       /* set_durable(false): the next transactions commit
                      * with SET LOCAL synchronous_commit = off */
    int depth;       /* open savepoints */
    bool staged;     /* the COPY staging tables exist on this connection */
    int64_t next_id; /* last event id handed out while buffering; 0: unknown */
    struct {
        char origin[33];
        int64_t seq; /* highest seq of origin in the log and the buffer */
    } heads[16];     /* known while buffering, to report duplicates at once */
    int nheads;
    struct buf copy[PGC_N]; /* rows waiting for COPY, in COPY text format */
    /* the person keys waiting in copy[PGC_KEYS], so that key_get can answer
     * without sending them (pii_seal reads the key it just made): an
     * open-addressing table of offsets into keydata */
    uint32_t *keyslots; /* offset + 1; 0 is empty */
    size_t keycap, nkeys;
    struct buf keydata; /* per key: subject, NUL, 1-byte length, wrapped bytes */
    bool mid_row[PGC_N];
    struct muster_err deferred; /* why the last flush failed */
};

/* Columns and upsert clauses shared by the single-row and COPY paths. */
#define PG_EVENT_COLS                                                                              \
    "id, origin, seq, lamport, time_ms, actor, nation, type, body, prev, hash, sig"
#define PG_PERSON_COLS                                                                             \
    "id, household, operation, nation, nationality, surname, given_names, native_name, sex,"       \
    " birth_date, doc_type, doc_number, doc_state, doc_expiry, phone, email, address, lat, lon,"   \
    " needs, priority, priority_override, consent, status, leg, updated_ms"
#define PG_PERSON_SET                                                                              \
    " household = excluded.household, operation = excluded.operation,"                             \
    " nation = excluded.nation, nationality = excluded.nationality,"                               \
    " surname = excluded.surname, given_names = excluded.given_names,"                             \
    " native_name = excluded.native_name, sex = excluded.sex,"                                     \
    " birth_date = excluded.birth_date, doc_type = excluded.doc_type,"                             \
    " doc_number = excluded.doc_number, doc_state = excluded.doc_state,"                           \
    " doc_expiry = excluded.doc_expiry, phone = excluded.phone, email = excluded.email,"           \
    " address = excluded.address, lat = excluded.lat, lon = excluded.lon,"                         \
    " needs = excluded.needs, priority = excluded.priority,"                                       \
    " priority_override = excluded.priority_override, consent = excluded.consent,"                 \
    " status = excluded.status, leg = excluded.leg, updated_ms = excluded.updated_ms"
#define PG_HOUSEHOLD_COLS "id, operation, nation, size"
#define PG_HOUSEHOLD_SET                                                                           \
    " operation = excluded.operation, nation = excluded.nation, size = excluded.size"
#define PG_KEY_COLS "subject, wrapped"
#define PG_KEY_SET  " wrapped = excluded.wrapped"

static inline struct pg_store *pg(struct store *s)
{
    return (struct pg_store *)s;
}

/* Parameters of one statement; numbers are sent as text, blobs as binary. */
/* Every connection's settings, at connect and after a reconnect: commits
 * wait for the disk (and synchronous standbys) whatever the server's
 * default; a lazy commit asks otherwise for its own transaction only. */
#define PG_SESSION                                                                                 \
    "SET synchronous_commit = on; SET client_encoding = 'UTF8';"                                   \
    " SET extra_float_digits = 1; SET lock_timeout = '30s';"                                       \
    " SET client_min_messages = warning"

struct pg_params {
    int n;
    const char *v[PG_MAXPARAMS];
    int len[PG_MAXPARAMS];
    int fmt[PG_MAXPARAMS];
    char num[PG_MAXPARAMS][32];
};

/* Appends a text parameter (NULL for SQL NULL). s is borrowed. */
void pg_p_text(struct pg_params *p, const char *s);
void pg_p_i64(struct pg_params *p, int64_t v);
/* A double; NAN is sent as SQL NULL. */
void pg_p_real(struct pg_params *p, double v);
/* A BYTEA parameter of n bytes (binary format); b is borrowed. */
void pg_p_blob(struct pg_params *p, const void *b, size_t n);

/* Runs the statement sql (a string literal: prepared once per connection,
 * cached by address) with parameters p (may be NULL); binary asks for
 * binary-format results. Returns the result (PQclear it), or NULL when the
 * statement cannot be prepared (the connection's error says why). */
PGresult *pg_run(struct pg_store *ps, const char *sql, const struct pg_params *p, int binary);
/* Runs a command without parameters outside the statement cache (after
 * sending buffered rows); 0 or the error. */
int pg_command(struct pg_store *ps, const char *sql, struct muster_err *err, const char *what);
/* The operations of the PostgreSQL store (filled once). */
const struct store_ops *pg_store_ops(void);
/* Maps a result's status: 0 for success, MUSTER_ECONFLICT for a unique
 * violation, MUSTER_EIO otherwise (err set). r may be NULL. Does not clear. */
int pg_check(struct pg_store *ps, PGresult *r, struct muster_err *err, const char *what);
/* Runs a statement that returns no rows; *changed (may be NULL) receives
 * the number of rows it touched. */
int pg_exec_done(struct pg_store *ps, const char *sql, const struct pg_params *p, int64_t *changed,
                 struct muster_err *err, const char *what);
/* A copy of a text column in the arena (NULL for SQL NULL). */
const char *pg_col_text(const PGresult *r, int row, int col, struct arena *a);
/* An integer column in either result format (0 for NULL). */
int64_t pg_col_i64(const PGresult *r, int row, int col);
/* A float8 column in either result format (NAN for NULL). */
double pg_col_real(const PGresult *r, int row, int col);
/* Copies a BYTEA column of exactly n bytes (either format); -1 when its size
 * differs. */
int pg_col_blob(const PGresult *r, int row, int col, uint8_t *out, size_t n);

/* True when a write may wait in a COPY buffer: inside a transaction and
 * outside savepoints (so a failure is still the whole transaction's). */
bool pg_copy_ok(const struct pg_store *ps);
/* Append one field of the row being built for table t (NULL: SQL NULL). */
void pg_copy_text(struct pg_store *ps, enum pg_copy_table t, const char *s, size_t n);
void pg_copy_str(struct pg_store *ps, enum pg_copy_table t, const char *s);
void pg_copy_i64(struct pg_store *ps, enum pg_copy_table t, int64_t v);
void pg_copy_real(struct pg_store *ps, enum pg_copy_table t, double v);
void pg_copy_blob(struct pg_store *ps, enum pg_copy_table t, const void *b, size_t n);
/* Ends the row; sends every buffer when they have grown large. */
int pg_copy_row(struct pg_store *ps, enum pg_copy_table t, struct muster_err *err);
/* Sends every buffered row (COPY, then an upsert from the staging tables
 * where rows may replace others). Called before any other statement, so
 * statements run in the order they were asked for. On failure the buffers
 * are emptied and the transaction has failed. */
int pg_flush(struct pg_store *ps, struct muster_err *err);
/* Remembers a buffered person key (pg_copy_row must follow). */
void pg_copy_key(struct pg_store *ps, const char *subject, const uint8_t *wrapped, size_t n);
/* A buffered person key: its bytes and length, or NULL when not buffered. */
const uint8_t *pg_copy_key_find(const struct pg_store *ps, const char *subject, size_t *n);
/* Forgets buffered rows (rollback). */
void pg_copy_discard(struct pg_store *ps);
/* Creates this connection's temporary staging tables (outside a transaction). */
int pg_copy_stage(struct pg_store *ps, struct muster_err *err);

/* Fills the projection and account entries of ops (pg_proj.c, pg_person.c,
 * pg_acct.c). */
void pg_proj_ops(struct store_ops *ops);
void pg_person_ops(struct store_ops *ops);
void pg_clear_ops(struct store_ops *ops);
void pg_ret_ops(struct store_ops *ops);
void pg_acct_ops(struct store_ops *ops);
void pg_audit_ops(struct store_ops *ops);  /* pg_audit.c: the read audit */
void pg_ledger_ops(struct store_ops *ops); /* pg_ledger.c: the ledger */

#endif

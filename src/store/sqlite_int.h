/* sqlite_int.h — what the SQLite store's files share (not for use above
 * src/store/). sqlite.c: opening, migrations, transactions, the log, keys;
 * sqlite_proj.c: projections; sqlite_acct.c: accounts and sessions; sqlite_clear.c: clearances;
 * sqlite_audit.c: the read audit. */
#ifndef MUSTER_STORE_SQLITE_INT_H
#define MUSTER_STORE_SQLITE_INT_H

#include "store/store.h"

#include <sqlite3.h>

#define SQ_CACHE 96

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    int nsavepoints;
    char *bulk_indexes;    /* between bulk_begin and bulk_end: the CREATE INDEX
                              statements of the indexes set aside, or NULL */
    bool reading;          /* a read snapshot is open (read_begin) */
    bool rollback_journal; /* bulk_mode: out of WAL mode for a bulk load */
    int wal_fd;            /* sync(): the WAL, opened to be flushed; -1 until then */
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[SQ_CACHE];
};

static inline struct sqlite_store *sq(struct store *s)
{
    return (struct sqlite_store *)s;
}

/* The prepared statement for sql (a string literal: cached by address),
 * reset with its bindings cleared; NULL if it does not prepare. */
sqlite3_stmt *sq_stmt(struct sqlite_store *ss, const char *sql);
/* Sets err to the connection's last error and returns MUSTER_EIO. */
int sq_error(struct sqlite_store *ss, struct muster_err *err, const char *what);
/* Steps a statement that returns no rows; maps constraint errors to
 * MUSTER_ECONFLICT. */
int sq_exec_done(struct sqlite_store *ss, sqlite3_stmt *st, struct muster_err *err,
                 const char *what);
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
void sq_bind_real(sqlite3_stmt *st, int i, double v);
/* A copy of a text column in the arena (NULL for SQL NULL). */
const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a);
/* Copies a blob column of exactly n bytes; -1 when its size differs. */
int sq_col_blob(sqlite3_stmt *st, int i, uint8_t *out, size_t n);

/* Fills the projection and account entries of ops (sqlite_proj.c, sqlite_acct.c). */
void sq_proj_ops(struct store_ops *ops);
void sq_acct_ops(struct store_ops *ops);
void sq_clear_ops(struct store_ops *ops);
void sq_ret_ops(struct store_ops *ops);
void sq_audit_ops(struct store_ops *ops);  /* sqlite_audit.c */
void sq_sync_ops(struct store_ops *ops);   /* sqlite_sync.c */
void sq_ledger_ops(struct store_ops *ops); /* sqlite_ledger.c: the ledger */

#endif

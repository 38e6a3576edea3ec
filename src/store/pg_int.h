/* pg_int.h — what the PostgreSQL store's files share (not for use above
 * src/store/). pg.c: connecting, migrations, transactions, the log, keys;
 * pg_proj.c: projections; pg_person.c: persons; pg_acct.c: accounts and sessions. */
#ifndef MUSTER_STORE_PG_INT_H
#define MUSTER_STORE_PG_INT_H

#include "store/store.h"

#include <postgresql/libpq-fe.h>

#define PG_CACHE 96
#define PG_MAXPARAMS 32

struct pg_store {
    struct store base;
    PGconn *conn;
    int nprep; /* statements prepared on this connection */
    const char *prepared[PG_CACHE];
};

static inline struct pg_store *pg(struct store *s)
{
    return (struct pg_store *)s;
}

/* Parameters of one statement; numbers are sent as text, blobs as binary. */
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
/* Maps a result's status: 0 for success, MUSTER_ECONFLICT for a unique
 * violation, MUSTER_EIO otherwise (err set). r may be NULL. Does not clear. */
int pg_check(struct pg_store *ps, PGresult *r, struct muster_err *err, const char *what);
/* Runs a statement that returns no rows; *changed (may be NULL) receives
 * the number of rows it touched. */
int pg_exec_done(struct pg_store *ps, const char *sql, const struct pg_params *p,
                 int64_t *changed, struct muster_err *err, const char *what);
/* A copy of a text column in the arena (NULL for SQL NULL). */
const char *pg_col_text(const PGresult *r, int row, int col, struct arena *a);
/* An integer column in either result format (0 for NULL). */
int64_t pg_col_i64(const PGresult *r, int row, int col);
/* A float8 column in either result format (NAN for NULL). */
double pg_col_real(const PGresult *r, int row, int col);
/* Copies a BYTEA column of exactly n bytes (either format); -1 when its size
 * differs. */
int pg_col_blob(const PGresult *r, int row, int col, uint8_t *out, size_t n);

/* Fills the projection and account entries of ops (pg_proj.c, pg_person.c,
 * pg_acct.c). */
void pg_proj_ops(struct store_ops *ops);
void pg_person_ops(struct store_ops *ops);
void pg_acct_ops(struct store_ops *ops);

#endif

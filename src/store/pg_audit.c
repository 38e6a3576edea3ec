/* pg_audit.c — the read audit of the PostgreSQL store, as sqlite_audit.c
 * keeps it: rows appended in the caller's transaction, read per person. */
#include "store/pg_int.h"
#include "util/buf.h"

#include <string.h>

#define AUDIT_COLS "id, time_ms, actor, nation, role, route, purpose, person, view"

/* Appends s to a PostgreSQL array literal as one element (NULL unquoted). */
static void array_elem(struct buf *b, const char *s)
{
    buf_putc(b, b->len ? ',' : '{');
    if (!s) {
        buf_puts(b, "NULL");
        return;
    }
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

/* Every row in one statement (one round trip, however many people an answer
 * showed): the columns go as eight arrays, unnested in the rows' order. */
static int pg_read_audit_put(struct store *s, const struct store_read *rows, size_t n,
                             struct muster_err *err)
{
    if (n == 0)
        return 0;
    struct buf col[8] = {{0}};
    for (size_t i = 0; i < n; i++) {
        const struct store_read *r = &rows[i];
        buf_printf(&col[0], "%c%lld", i ? ',' : '{', (long long)r->time_ms);
        const char *text[] = {r->actor,   r->nation, r->role, r->route,
                              r->purpose, r->person, r->view};
        for (int k = 0; k < 7; k++)
            array_elem(&col[k + 1], text[k]);
    }
    struct pg_params p = {0};
    for (int k = 0; k < 8; k++) {
        buf_putc(&col[k], '}');
        pg_p_text(&p, buf_str(&col[k]));
    }
    int rc =
        pg_exec_done(pg(s),
                     "INSERT INTO read_audit (time_ms, actor, nation, role, route, purpose,"
                     " person, view) SELECT t, a, n, r, ro, pu, pe, v FROM unnest($1::bigint[],"
                     " $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],"
                     " $8::text[]) WITH ORDINALITY AS u(t, a, n, r, ro, pu, pe, v, o) ORDER BY o",
                     &p, NULL, err, "read_audit_put");
    for (int k = 0; k < 8; k++)
        buf_free(&col[k]);
    return rc;
}

static int pg_read_audit_list(struct store *s, const char *person, int64_t limit,
                              struct store_read **out, size_t *n, struct arena *a,
                              struct muster_err *err)
{
    struct pg_params p = {0};
    pg_p_text(&p, person);
    pg_p_i64(&p, limit > 0 ? limit : INT64_MAX);
    PGresult *r = pg_run(pg(s),
                         "SELECT " AUDIT_COLS " FROM read_audit WHERE person = $1"
                         " ORDER BY id LIMIT $2",
                         &p, 0);
    int rc = pg_check(pg(s), r, err, "read_audit_list");
    *n = 0;
    *out = NULL;
    if (rc == 0 && PQntuples(r) > 0) {
        *n = (size_t)PQntuples(r);
        *out = arena_alloc(a, *n * sizeof **out);
        for (int i = 0; i < (int)*n; i++) {
            struct store_read *row = &(*out)[i];
            row->id = pg_col_i64(r, i, 0);
            row->time_ms = pg_col_i64(r, i, 1);
            const char **text[] = {&row->actor,   &row->nation, &row->role, &row->route,
                                   &row->purpose, &row->person, &row->view};
            for (int k = 0; k < 7; k++)
                *text[k] = pg_col_text(r, i, k + 2, a);
        }
    }
    PQclear(r);
    return rc;
}

void pg_audit_ops(struct store_ops *o)
{
    o->read_audit_put = pg_read_audit_put;
    o->read_audit_list = pg_read_audit_list;
}

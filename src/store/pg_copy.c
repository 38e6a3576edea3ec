/* pg_copy.c — bulk writes for the PostgreSQL store.
 *
 * An import or a rebuild writes hundreds of thousands of rows in one
 * transaction; one round trip per row would take minutes. Inside a
 * transaction (outside savepoints) event_append, key_put, household_put and
 * person_put therefore only append their row to a buffer in COPY text
 * format. The buffers are sent before any other statement runs, at commit,
 * and whenever they pass FLUSH_BYTES: events straight into the log; the
 * others straight into their table too when none of them is there yet,
 * else into a temporary staging table and from there upserted (the last
 * row of an id wins, as the single-row INSERT ... ON CONFLICT would). */
#include "store/pg_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_BYTES (4u << 20)

static const struct {
    const char *direct; /* COPY into the table itself */
    const char *copy;   /* COPY into the staging table */
    const char *merge;  /* NULL: events are only ever added */
    const char *empty;
} tables[PGC_N] = {
    [PGC_EVENTS] = {"COPY events (" PG_EVENT_COLS ") FROM STDIN", NULL, NULL, NULL},
    [PGC_KEYS] = {"COPY person_keys (" PG_KEY_COLS ") FROM STDIN",
                  "COPY stage_person_keys (" PG_KEY_COLS ") FROM STDIN",
                  "INSERT INTO person_keys (" PG_KEY_COLS
                  ") SELECT DISTINCT ON (subject) " PG_KEY_COLS
                  " FROM stage_person_keys ORDER BY subject, ord DESC"
                  " ON CONFLICT (subject) DO UPDATE SET" PG_KEY_SET,
                  "TRUNCATE stage_person_keys"},
    [PGC_HOUSEHOLDS] = {"COPY households (" PG_HOUSEHOLD_COLS ") FROM STDIN",
                        "COPY stage_households (" PG_HOUSEHOLD_COLS ") FROM STDIN",
                        "INSERT INTO households (" PG_HOUSEHOLD_COLS
                        ") SELECT DISTINCT ON (id) " PG_HOUSEHOLD_COLS
                        " FROM stage_households ORDER BY id, ord DESC"
                        " ON CONFLICT (id) DO UPDATE SET" PG_HOUSEHOLD_SET,
                        "TRUNCATE stage_households"},
    [PGC_PERSONS] = {"COPY persons (" PG_PERSON_COLS ") FROM STDIN",
                     "COPY stage_persons (" PG_PERSON_COLS ") FROM STDIN",
                     "INSERT INTO persons (" PG_PERSON_COLS
                     ") SELECT DISTINCT ON (id) " PG_PERSON_COLS
                     " FROM stage_persons ORDER BY id, ord DESC"
                     " ON CONFLICT (id) DO UPDATE SET" PG_PERSON_SET,
                     "TRUNCATE stage_persons"},
};

int pg_copy_stage(struct pg_store *ps, struct muster_err *err)
{
    const char *sql = "CREATE TEMP TABLE IF NOT EXISTS stage_person_keys (LIKE person_keys,"
                      "  ord BIGINT GENERATED ALWAYS AS IDENTITY) ON COMMIT DELETE ROWS;"
                      "CREATE TEMP TABLE IF NOT EXISTS stage_households (LIKE households,"
                      "  ord BIGINT GENERATED ALWAYS AS IDENTITY) ON COMMIT DELETE ROWS;"
                      "CREATE TEMP TABLE IF NOT EXISTS stage_persons (LIKE persons,"
                      "  ord BIGINT GENERATED ALWAYS AS IDENTITY) ON COMMIT DELETE ROWS";
    PGresult *r = PQexec(ps->conn, sql);
    int rc = pg_check(ps, r, err, "staging tables");
    PQclear(r);
    ps->staged = rc == 0;
    return rc;
}

bool pg_copy_ok(const struct pg_store *ps)
{
    return ps->in_tx && ps->depth == 0 && ps->staged;
}

static void field_start(struct pg_store *ps, enum pg_copy_table t)
{
    if (ps->mid_row[t])
        buf_putc(&ps->copy[t], '\t');
    ps->mid_row[t] = true;
}

void pg_copy_text(struct pg_store *ps, enum pg_copy_table t, const char *s, size_t n)
{
    field_start(ps, t);
    struct buf *b = &ps->copy[t];
    if (!s) {
        buf_puts(b, "\\N");
        return;
    }
    buf_reserve(b, n + 8);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\')
            buf_puts(b, "\\\\");
        else if (c == '\t')
            buf_puts(b, "\\t");
        else if (c == '\n')
            buf_puts(b, "\\n");
        else if (c == '\r')
            buf_puts(b, "\\r");
        else
            buf_putc(b, c);
    }
}

void pg_copy_str(struct pg_store *ps, enum pg_copy_table t, const char *s)
{
    pg_copy_text(ps, t, s, s ? strlen(s) : 0);
}

void pg_copy_i64(struct pg_store *ps, enum pg_copy_table t, int64_t v)
{
    field_start(ps, t);
    buf_printf(&ps->copy[t], "%" PRId64, v);
}

void pg_copy_real(struct pg_store *ps, enum pg_copy_table t, double v)
{
    field_start(ps, t);
    if (isnan(v))
        buf_puts(&ps->copy[t], "\\N");
    else
        buf_printf(&ps->copy[t], "%.17g", v);
}

void pg_copy_blob(struct pg_store *ps, enum pg_copy_table t, const void *b, size_t n)
{
    field_start(ps, t);
    /* bytea's text form \x..., its backslash escaped for COPY */
    buf_puts(&ps->copy[t], "\\\\x");
    buf_hex(&ps->copy[t], b, n);
}

int pg_copy_row(struct pg_store *ps, enum pg_copy_table t, struct muster_err *err)
{
    buf_putc(&ps->copy[t], '\n');
    ps->mid_row[t] = false;
    size_t total = 0;
    for (int i = 0; i < PGC_N; i++)
        total += ps->copy[i].len;
    return total >= FLUSH_BYTES ? pg_flush(ps, err) : 0;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211u;
    return h;
}

static const char *key_at(const struct pg_store *ps, uint32_t slot)
{
    return ps->keydata.data + (slot - 1);
}

/* Puts offset off (of a record in keydata) in the table. */
static void key_insert(struct pg_store *ps, uint32_t off)
{
    size_t mask = ps->keycap - 1, i = hash_str(ps->keydata.data + off) & mask;
    while (ps->keyslots[i] && strcmp(key_at(ps, ps->keyslots[i]), ps->keydata.data + off) != 0)
        i = (i + 1) & mask;
    if (!ps->keyslots[i])
        ps->nkeys++;
    ps->keyslots[i] = off + 1;
}

void pg_copy_key(struct pg_store *ps, const char *subject, const uint8_t *wrapped, size_t n)
{
    if (n > 255 || ps->keydata.len + strlen(subject) + n + 2 >= UINT32_MAX)
        return; /* not remembered: key_get then sends the buffers first */
    if (2 * (ps->nkeys + 1) > ps->keycap) {
        size_t old = ps->keycap;
        uint32_t *slots = ps->keyslots;
        ps->keycap = old ? 2 * old : 1024;
        ps->keyslots = calloc(ps->keycap, sizeof *ps->keyslots);
        if (!ps->keyslots)
            abort();
        ps->nkeys = 0;
        for (size_t i = 0; i < old; i++)
            if (slots[i])
                key_insert(ps, slots[i] - 1);
        free(slots);
    }
    uint32_t off = (uint32_t)ps->keydata.len;
    buf_add(&ps->keydata, subject, strlen(subject) + 1);
    buf_putc(&ps->keydata, (char)n);
    buf_add(&ps->keydata, wrapped, n);
    key_insert(ps, off);
}

const uint8_t *pg_copy_key_find(const struct pg_store *ps, const char *subject, size_t *n)
{
    if (!ps->nkeys)
        return NULL;
    size_t mask = ps->keycap - 1, i = hash_str(subject) & mask;
    for (; ps->keyslots[i]; i = (i + 1) & mask) {
        const char *k = key_at(ps, ps->keyslots[i]);
        if (strcmp(k, subject) == 0) {
            const uint8_t *rec = (const uint8_t *)k + strlen(k) + 1;
            *n = rec[0];
            return rec + 1;
        }
    }
    return NULL;
}

void pg_copy_discard(struct pg_store *ps)
{
    if (ps->nkeys)
        memset(ps->keyslots, 0, ps->keycap * sizeof *ps->keyslots);
    ps->nkeys = 0;
    buf_reset(&ps->keydata);
    for (int i = 0; i < PGC_N; i++) {
        buf_reset(&ps->copy[i]);
        ps->mid_row[i] = false;
    }
    ps->next_id = 0;
}

/* Runs a command that must succeed. */
static int exec_ok(struct pg_store *ps, const char *sql, struct muster_err *err)
{
    PGresult *r = PQexec(ps->conn, sql);
    int rc = pg_check(ps, r, err, "bulk write");
    PQclear(r);
    return rc;
}

/* COPYs buffer t with the command sql. */
static int copy_rows(struct pg_store *ps, const char *sql, enum pg_copy_table t,
                     struct muster_err *err)
{
    PGresult *r = PQexec(ps->conn, sql);
    bool in = PQresultStatus(r) == PGRES_COPY_IN;
    int rc = in ? 0 : pg_check(ps, r, err, "bulk write");
    PQclear(r);
    if (rc)
        return rc;
    bool sent = PQputCopyData(ps->conn, ps->copy[t].data, (int)ps->copy[t].len) == 1;
    PQputCopyEnd(ps->conn, sent ? NULL : "cannot send the rows");
    while ((r = PQgetResult(ps->conn)) != NULL) {
        if (rc == 0)
            rc = pg_check(ps, r, err, "bulk write");
        PQclear(r);
    }
    return rc;
}

/* Sends buffer t. Rows that may replace others are first tried straight
 * into their table (an import only adds rows); when one of them is already
 * there, that attempt is undone and they go through the staging table. */
static int flush_one(struct pg_store *ps, enum pg_copy_table t, struct muster_err *err)
{
    if (!tables[t].merge)
        return copy_rows(ps, tables[t].direct, t, err);
    int rc = exec_ok(ps, "SAVEPOINT muster_copy", err);
    if (rc)
        return rc;
    struct muster_err direct;
    rc = copy_rows(ps, tables[t].direct, t, &direct);
    if (rc == 0)
        return exec_ok(ps, "RELEASE SAVEPOINT muster_copy", err);
    if (rc != MUSTER_ECONFLICT) {
        if (err)
            *err = direct;
        return rc;
    }
    rc = exec_ok(ps, "ROLLBACK TO SAVEPOINT muster_copy; RELEASE SAVEPOINT muster_copy", err);
    if (rc == 0)
        rc = copy_rows(ps, tables[t].copy, t, err);
    if (rc == 0)
        rc = exec_ok(ps, tables[t].merge, err);
    if (rc == 0)
        rc = exec_ok(ps, tables[t].empty, err);
    return rc;
}

int pg_flush(struct pg_store *ps, struct muster_err *err)
{
    int rc = 0;
    for (int t = 0; t < PGC_N && rc == 0; t++)
        if (ps->copy[t].len)
            rc = flush_one(ps, (enum pg_copy_table)t, err);
    pg_copy_discard(ps);
    return rc;
}

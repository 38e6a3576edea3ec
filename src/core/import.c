/* import.c — see import.h. */
#include "core/import.h"

#include "core/events.h"
#include "core/registry.h"
#include "util/csv.h"
#include "util/jcanon.h"
#include "util/timeutil.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum col {
    C_HOUSEHOLD,
    C_SURNAME,
    C_GIVEN,
    C_NATIVE,
    C_NATIONALITY,
    C_SEX,
    C_BIRTH,
    C_DOC_TYPE,
    C_DOC_NUMBER,
    C_DOC_STATE,
    C_DOC_EXPIRY,
    C_PHONE,
    C_EMAIL,
    C_LAT,
    C_LON,
    C_ADDRESS,
    C_NEEDS,
    C_PRIORITY,
    C_CONSENT,
    C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "household",  "surname",    "given_names", "native_name", "nationality",
    "sex",        "birth_date", "doc_type",    "doc_number",  "doc_issuing_state",
    "doc_expiry", "phone",      "email",       "lat",         "lon",
    "address",    "needs",      "priority",    "consent",
};

static const enum col required[] = {C_HOUSEHOLD, C_SURNAME, C_GIVEN, C_NATIONALITY};

struct row {
    const char *household;
    int line;
    struct reg_person p;
};

static void problem(struct imp_report *r, int line, const char *fmt, const char *detail)
{
    if (r->nproblems % 64 == 0) {
        struct imp_problem *bigger = arena_alloc(&r->arena, (r->nproblems + 64) * sizeof *bigger);
        if (r->nproblems)
            memcpy(bigger, r->problems, r->nproblems * sizeof *bigger);
        r->problems = bigger;
    }
    char msg[300];
    snprintf(msg, sizeof msg, fmt, detail);
    r->problems[r->nproblems].line = line;
    r->problems[r->nproblems].reason = arena_strdup(&r->arena, msg);
    r->nproblems++;
}

/* Maps header names to columns; returns -1 (with problems) on a bad header. */
static int read_header(char **f, int nf, int map[C_COUNT], struct imp_report *r)
{
    for (int c = 0; c < C_COUNT; c++)
        map[c] = -1;
    int bad = 0;
    for (int i = 0; i < nf; i++) {
        int found = -1;
        for (int c = 0; c < C_COUNT; c++)
            if (strcmp(f[i], col_names[c]) == 0)
                found = c;
        if (found < 0) {
            problem(r, 1, "unknown column '%s' (docs/import.md lists the columns)", f[i]);
            bad = 1;
        } else if (map[found] >= 0) {
            problem(r, 1, "column '%s' appears twice", f[i]);
            bad = 1;
        } else {
            map[found] = i;
        }
    }
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (map[required[i]] < 0) {
            problem(r, 1, "required column '%s' is missing", col_names[required[i]]);
            bad = 1;
        }
    return bad ? -1 : 0;
}

static const char *field(char **f, int nf, const int map[C_COUNT], enum col c)
{
    int i = map[c];
    return i >= 0 && i < nf && f[i][0] ? f[i] : NULL;
}

static int parse_coord(const char *s, double *out)
{
    if (!s) {
        *out = NAN;
        return 0;
    }
    char *end;
    *out = strtod(s, &end);
    return *end == '\0' && end != s ? 0 : -1;
}

/* Reads one data row into row; problems go to the report. */
static void read_row(char **f, int nf, const int map[C_COUNT], int line, int64_t today,
                     struct row *row, struct imp_report *r)
{
    struct reg_person *p = &row->p;
    row->line = line;
    for (int c = 0; c < C_COUNT; c++)
        if (map[c] >= 0 && map[c] < nf && !jcanon_utf8(f[map[c]], strlen(f[map[c]]))) {
            problem(r, line, "column '%s' is not valid UTF-8", col_names[c]);
            return;
        }
    row->household = field(f, nf, map, C_HOUSEHOLD);
    p->surname = field(f, nf, map, C_SURNAME);
    p->given_names = field(f, nf, map, C_GIVEN);
    if (!p->given_names)
        p->given_names = "";
    p->native_name = field(f, nf, map, C_NATIVE);
    p->nationality = field(f, nf, map, C_NATIONALITY);
    p->sex = field(f, nf, map, C_SEX);
    p->birth_date = field(f, nf, map, C_BIRTH);
    p->doc_type = field(f, nf, map, C_DOC_TYPE);
    p->doc_number = field(f, nf, map, C_DOC_NUMBER);
    p->doc_state = field(f, nf, map, C_DOC_STATE);
    p->doc_expiry = field(f, nf, map, C_DOC_EXPIRY);
    p->phone = field(f, nf, map, C_PHONE);
    p->email = field(f, nf, map, C_EMAIL);
    p->address = field(f, nf, map, C_ADDRESS);
    p->priority_override = field(f, nf, map, C_PRIORITY);
    const char *consent = field(f, nf, map, C_CONSENT);
    if (!row->household) {
        problem(r, line, "%s", "household is empty");
        return;
    }
    if (parse_coord(field(f, nf, map, C_LAT), &p->lat) ||
        parse_coord(field(f, nf, map, C_LON), &p->lon)) {
        problem(r, line, "%s", "lat/lon must be decimal degrees");
        return;
    }
    p->needs = reg_parse_needs(field(f, nf, map, C_NEEDS));
    if (p->needs < 0) {
        problem(r, line, "needs '%s' must be stretcher, assisted, pregnant or unaccompanied_minor",
                field(f, nf, map, C_NEEDS));
        return;
    }
    if (!consent || strcmp(consent, "yes") == 0 || strcmp(consent, "true") == 0 ||
        strcmp(consent, "1") == 0) {
        p->consent = consent != NULL;
    } else if (strcmp(consent, "no") == 0 || strcmp(consent, "false") == 0 ||
               strcmp(consent, "0") == 0) {
        p->consent = false;
    } else {
        problem(r, line, "consent '%s' must be yes or no", consent);
        return;
    }
    struct muster_err e;
    if (reg_validate(p, today, &e))
        problem(r, line, "%s", e.msg);
}

static int cmp_problems(const void *a, const void *b)
{
    return ((const struct imp_problem *)a)->line - ((const struct imp_problem *)b)->line;
}

static int cmp_rows(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int c = strcmp(x->household, y->household);
    return c ? c : x->line - y->line;
}

static int cmp_docs(const void *a, const void *b)
{
    const struct row *const *x = a, *const *y = b;
    int c = strcmp((*x)->p.doc_number, (*y)->p.doc_number);
    return c ? c : (*x)->line - (*y)->line;
}

/* Reports document numbers that appear on more than one row. */
static void check_duplicate_docs(struct row *rows, int64_t n, struct imp_report *r)
{
    struct row **byd = malloc((size_t)(n ? n : 1) * sizeof *byd);
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (rows[i].p.doc_number)
            byd[m++] = &rows[i];
    qsort(byd, (size_t)m, sizeof *byd, cmp_docs);
    for (int64_t i = 1; i < m; i++)
        if (strcmp(byd[i]->p.doc_number, byd[i - 1]->p.doc_number) == 0) {
            char msg[120];
            snprintf(msg, sizeof msg, "document number %s is already on line %d",
                     byd[i]->p.doc_number, byd[i - 1]->line);
            problem(r, byd[i]->line, "%s", msg);
        }
    free(byd);
}

/* --- writing ---------------------------------------------------------------
 *
 * Worker threads build households a chunk at a time (ids, data keys, sealed
 * fields, body text), link the chunk's events into the chain in chunk order
 * (cheap: a hash each) and sign them (the dearest step); this thread writes
 * the chunks in order, inside the one transaction, as they become ready. A
 * failure anywhere stops every thread and rolls the whole file back. */

#define CHECK_EVERY 16384 /* rows checked between progress reports */
#define CHUNK       256   /* households per unit of work */
#define MAX_WORKERS 8
#define RING        (2 * MAX_WORKERS + 1)

/* A written chunk is freed by the worker that claims its slot next: the
 * writer thread is the pipeline's bottleneck, and the trees were allocated
 * on a worker's malloc arena. */
enum chunk_state { CH_FREE, CH_CLAIMED, CH_READY, CH_WRITTEN };

struct chunk {
    enum chunk_state state;
    int64_t index;
    size_t count;
    struct reg_built built[CHUNK];
    struct store_event ev[CHUNK];
    int rc;
    struct muster_err err;
};

struct writer {
    struct node *n;
    const char *actor, *nation, *operation;
    const struct row *rows;
    const int64_t *start; /* household h is rows [start[h], start[h + 1]) */
    int64_t nhh, nchunks, today;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t claimed, linked, written; /* chunks so far, each in order */
    struct ev_chain chain;            /* the head after the last linked chunk */
    bool stop;                        /* a failure: every thread winds down */
    int rc;                           /* the first worker's failure */
    struct muster_err err;            /* and its reason */
    struct chunk *ring;               /* chunk k in ring[k % RING] */
};

static void build_chunk(struct writer *w, struct chunk *c)
{
    int64_t first = c->index * CHUNK, n = w->nhh - first < CHUNK ? w->nhh - first : CHUNK;
    struct reg_person people[64], *many = NULL;
    size_t done = 0;
    for (; done < (size_t)n; done++) {
        int64_t from = w->start[first + (int64_t)done], to = w->start[first + (int64_t)done + 1];
        struct reg_person *p = people;
        if (to - from > 64)
            p = many = realloc(many, (size_t)(to - from) * sizeof *many);
        for (int64_t k = from; k < to; k++)
            p[k - from] = w->rows[k].p;
        c->rc = reg_build_household(w->n, w->operation, p, (int)(to - from), w->today,
                                    &c->built[done], &c->err);
        if (c->rc)
            break;
        ev_prepare_text(w->n, w->actor, w->nation, "household.registered", c->built[done].body,
                        c->built[done].body_len, &c->ev[done]);
        c->built[done].body = NULL; /* the event's now */
    }
    c->count = done;
    free(many);
}

static void free_chunk(struct chunk *c)
{
    for (size_t i = 0; i < c->count; i++) {
        reg_built_free(&c->built[i]);
        free((char *)c->ev[i].body);
        c->ev[i].body = NULL;
    }
    c->count = 0;
    c->rc = 0;
}

static void *worker(void *arg)
{
    struct writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->stop && w->claimed < w->nchunks && w->ring[w->claimed % RING].state != CH_FREE &&
               w->ring[w->claimed % RING].state != CH_WRITTEN)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->stop || w->claimed >= w->nchunks)
            break;
        struct chunk *c = &w->ring[w->claimed % RING];
        bool written = c->state == CH_WRITTEN;
        c->state = CH_CLAIMED;
        c->index = w->claimed++;
        pthread_mutex_unlock(&w->mu);

        if (written)
            free_chunk(c);
        build_chunk(w, c);

        pthread_mutex_lock(&w->mu);
        while (!w->stop && w->linked != c->index)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->stop && !c->rc)
            for (size_t i = 0; i < c->count; i++)
                ev_link(&w->chain, &c->ev[i]);
        w->linked++;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);

        if (!c->rc)
            for (size_t i = 0; i < c->count; i++)
                ev_sign(w->n, &c->ev[i]);

        pthread_mutex_lock(&w->mu);
        c->state = CH_READY;
        if (c->rc && !w->rc) {
            w->rc = c->rc;
            w->err = c->err;
        }
        if (c->rc)
            w->stop = true;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static int write_chunk(struct writer *w, struct chunk *c, struct imp_report *r,
                       struct muster_err *err)
{
    int rc = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (!rc)
            rc = reg_put_household(w->n, &c->built[i], &c->ev[i], err);
        else
            free((char *)c->ev[i].body);
        c->ev[i].body = NULL;
        if (!rc)
            r->households++;
    }
    return rc;
}

static int worker_count(int64_t nchunks)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t k = cores < 1 ? 1 : cores > MAX_WORKERS ? MAX_WORKERS : cores;
    return (int)(k < nchunks ? k : nchunks);
}

static int write_households(struct node *n, const char *actor, const char *nation,
                            const char *operation, struct row *rows, int64_t nrows,
                            imp_progress_fn progress, void *ctx, struct imp_report *r,
                            struct muster_err *err)
{
    qsort(rows, (size_t)nrows, sizeof *rows, cmp_rows);
    int64_t *start = malloc(sizeof *start * (size_t)(nrows + 1)), nhh = 0;
    for (int64_t i = 0; i < nrows; i++)
        if (i == 0 || strcmp(rows[i].household, rows[i - 1].household) != 0)
            start[nhh++] = i;
    start[nhh] = nrows;
    struct writer w = {
        .n = n,
        .actor = actor,
        .nation = nation,
        .operation = operation,
        .rows = rows,
        .start = start,
        .nhh = nhh,
        .nchunks = (nhh + CHUNK - 1) / CHUNK,
        .today = time_now(),
        .ring = calloc(RING, sizeof(struct chunk)),
    };
    const struct store_ops *ops = n->st->ops;
    double t0 = time_mono();
    bool bulk_mode = ops->bulk_mode && ops->bulk_mode(n->st, true);
    r->written_once = bulk_mode;
    int rc = ev_begin(n, err);
    if (!rc && ops->bulk_begin)
        rc = ops->bulk_begin(n->st, nrows, err);
    if (rc) {
        if (n->in_tx)
            ev_rollback(n);
        if (bulk_mode)
            ops->bulk_mode(n->st, false);
        free(w.ring);
        free(start);
        return rc;
    }
    ev_chain_start(n, &w.chain);
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    int nworkers = worker_count(w.nchunks);
    pthread_t tids[MAX_WORKERS];
    for (int i = 0; i < nworkers; i++)
        pthread_create(&tids[i], NULL, worker, &w);
    for (int64_t k = 0; k < w.nchunks && !rc; k++) {
        struct chunk *c = &w.ring[k % RING];
        pthread_mutex_lock(&w.mu);
        while (!(c->state == CH_READY && c->index == k))
            pthread_cond_wait(&w.cv, &w.mu);
        /* a worker's failure, in this chunk or a later one (which leaves this
         * one unlinked), fails the file */
        rc = w.rc;
        if (rc)
            *err = w.err;
        pthread_mutex_unlock(&w.mu);
        if (!rc)
            rc = write_chunk(&w, c, r, err);
        pthread_mutex_lock(&w.mu);
        c->state = CH_WRITTEN;
        w.written++;
        if (rc)
            w.stop = true;
        pthread_cond_broadcast(&w.cv);
        pthread_mutex_unlock(&w.mu);
        int64_t next = (k + 1) * CHUNK < nhh ? (k + 1) * CHUNK : nhh;
        if (progress && !rc)
            progress(ctx, "writing", start[next], nrows);
    }
    for (int i = 0; i < nworkers; i++)
        pthread_join(tids[i], NULL);
    for (int i = 0; i < RING; i++)
        if (w.ring[i].state != CH_FREE)
            free_chunk(&w.ring[i]);
    pthread_cond_destroy(&w.cv);
    pthread_mutex_destroy(&w.mu);
    free(w.ring);
    free(start);
    double t1 = time_mono();
    r->write_s = t1 - t0;
    if (!rc && ops->bulk_end)
        rc = ops->bulk_end(n->st, err);
    double t2 = time_mono();
    r->index_s = t2 - t1;
    if (rc)
        ev_rollback(n);
    else
        rc = ev_commit(n, err);
    if (bulk_mode)
        ops->bulk_mode(n->st, false);
    r->commit_s = time_mono() - t2;
    return rc;
}

int imp_registrants(struct node *n, const char *actor, const char *nation, const char *operation,
                    const char *text, size_t len, imp_progress_fn progress, void *ctx,
                    struct imp_report *r, struct muster_err *err)
{
    memset(r, 0, sizeof *r);
    double t0 = time_mono();
    struct arena scratch = {0};
    struct store_operation op;
    int rc = n->st->ops->operation_get(n->st, operation, &op, &scratch, err);
    arena_free(&scratch);
    if (rc)
        return rc;
    struct csv c;
    csv_init(&c, text, len);
    char *f[C_COUNT + 8];
    int map[C_COUNT];
    int nf = csv_next(&c, f, C_COUNT + 8, &r->arena);
    if (nf <= 0) {
        problem(r, 1, "%s", "the file is empty or has no header row");
        return err_set(err, MUSTER_EINVAL, "rejected: no header row");
    }
    if (nf > C_COUNT + 8 || read_header(f, nf, map, r))
        return err_set(err, MUSTER_EINVAL, "rejected: bad header row");
    int64_t cap = 1024, nrows = 0, today = time_now();
    struct row *rows = malloc((size_t)cap * sizeof *rows);
    int got;
    while ((got = csv_next(&c, f, C_COUNT + 8, &r->arena)) != 0) {
        if (got < 0) {
            problem(r, c.line, "%s", "a quoted field is not closed");
            break;
        }
        if (got != nf) {
            char msg[64];
            snprintf(msg, sizeof msg, "%d fields where the header has %d", got, nf);
            problem(r, c.line, "%s", msg);
            continue;
        }
        if (nrows == cap) {
            cap *= 2;
            rows = realloc(rows, (size_t)cap * sizeof *rows);
        }
        memset(&rows[nrows], 0, sizeof rows[nrows]);
        read_row(f, nf, map, c.line, today, &rows[nrows], r);
        nrows++;
        if (progress && nrows % CHECK_EVERY == 0)
            progress(ctx, "checking", c.p - text, (int64_t)len);
    }
    r->rows = nrows;
    check_duplicate_docs(rows, nrows, r);
    if (r->nproblems) {
        free(rows);
        qsort(r->problems, r->nproblems, sizeof *r->problems, cmp_problems);
        return err_set(err, MUSTER_EINVAL, "rejected: %zu bad row(s), nothing was imported",
                       r->nproblems);
    }
    if (nrows == 0) {
        free(rows);
        problem(r, 1, "%s", "the file has no rows");
        return err_set(err, MUSTER_EINVAL, "rejected: no rows");
    }
    r->check_s = time_mono() - t0;
    rc = write_households(n, actor, nation, operation, rows, nrows, progress, ctx, r, err);
    free(rows);
    return rc;
}

void imp_report_free(struct imp_report *r)
{
    arena_free(&r->arena);
}

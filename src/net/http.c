/* http.c — see http.h: the daemon, routing, the read-connection pool, the
 * group-commit writer, metrics and static files. */
#include "net/http.h"
#include "net/slow.h"

#include "core/events.h"
#include "net/jobs.h"
#include "util/timeutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_READERS 32
#define MAX_BATCH   1024
#define NSTATUS     16
#define NBUCKETS    12

static const int status_codes[NSTATUS] = {200, 201, 204, 400, 401, 403, 404, 405,
                                          409, 413, 422, 429, 500, 503, 202, 0};
static const double buckets[NBUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

struct metrics {
    uint64_t requests[64][NSTATUS]; /* by route index (63 = no route) and status */
    uint64_t latency[NBUCKETS + 1];
    double latency_sum; /* guarded by lock */
    uint64_t latency_count;
    uint64_t batches, batched_writes, syncs;
    pthread_mutex_t lock;
};

struct server {
    struct server_options opt;
    struct MHD_Daemon *daemon;
    struct node *writer; /* used only by the writer thread */
    char nation[4];
    int port;
    /* read connections */
    struct store *readers[MAX_READERS];
    int nreaders, free_readers[MAX_READERS], nfree;
    pthread_mutex_t rlock;
    pthread_cond_t rcond;
    /* the write queue */
    struct http_wjob *queue[MAX_BATCH * 4];
    int qlen;
    bool stopping;
    pthread_t writer_thread;
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    int inflight;
    int fresh;     /* connections accepted that have not begun a request */
    bool draining; /* stopping: new requests are answered 503 */
    struct metrics m;
    struct jobs jobs;
    struct clearance_set *clear;
    struct auth_cache *sessions;  /* tokens resolved lately (core/auth.h) */
    struct auth_throttle *logins; /* failed logins by name (core/auth.h) */
    struct slow_pool *slow;       /* password checks, off the pool threads */
    /* flushing away from the writer, when the store can (store.h: sync):
     * writes the writer committed, waiting for the next flush */
    struct store *sync_st, *ckpt_st; /* handles of the syncer, the checkpointer */
    pthread_t sync_thread, ckpt_thread;
    struct http_wjob **unsynced;
    size_t nunsynced, capunsynced;
    double audit_unsynced; /* time_mono() of the first read-audit commit not flushed */
    bool sync_stop, sync_failed;
    struct muster_err sync_err; /* why the first flush that failed failed */
    uint64_t commits;           /* by the writer, for the checkpointer */
    pthread_mutex_t slock;
    pthread_cond_t scond, ccond;
};

struct clearance_set *http_clearance(struct server *s)
{
    return s->clear;
}

struct jobs *http_jobs(struct server *s)
{
    return &s->jobs;
}

struct auth_cache *http_sessions(struct server *s)
{
    return s->sessions;
}

struct auth_throttle *http_logins(struct server *s)
{
    return s->logins;
}

const char *http_db(const struct server *s)
{
    return s->opt.db;
}

/* --- read connections ---------------------------------------------------- */

static struct store *reader_get(struct server *s)
{
    pthread_mutex_lock(&s->rlock);
    while (s->nfree == 0)
        pthread_cond_wait(&s->rcond, &s->rlock);
    struct store *st = s->readers[s->free_readers[--s->nfree]];
    pthread_mutex_unlock(&s->rlock);
    /* one read transaction for all the request's reads, until reader_put */
    if (st->ops->read_begin)
        st->ops->read_begin(st);
    return st;
}

static void reader_put(struct server *s, struct store *st)
{
    if (st->ops->read_end)
        st->ops->read_end(st);
    pthread_mutex_lock(&s->rlock);
    for (int i = 0; i < s->nreaders; i++)
        if (s->readers[i] == st)
            s->free_readers[s->nfree++] = i;
    pthread_cond_signal(&s->rcond);
    pthread_mutex_unlock(&s->rlock);
}

/* --- the writer ---------------------------------------------------------- */

/* The longest a read-audit row waits in the OS before it is flushed. */
#define AUDIT_SYNC_MS 100

static int write_reads(struct node *n, void *arg, struct muster_err *err);

/* Makes every commit so far durable: one full commit of a small setting
 * (a full commit flushes the whole WAL, the lazy commits before it too). */
static void flush_lazy(struct server *s, bool *lazy)
{
    struct node *w = s->writer;
    struct muster_err err;
    if (*lazy && w->st->ops->set_durable(w->st, true, &err) == 0)
        *lazy = false;
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)time_now_ms());
    if (ev_begin(w, &err) == 0) {
        if (w->st->ops->meta_put(w->st, "read_audit_synced_ms", now, &err) == 0)
            ev_commit(w, &err);
        else
            ev_rollback(w);
    }
}

/* Waits for queued writes; false when there are none because the server
 * stops or because a lazy commit is due to be flushed (*flush set). */
static bool writer_wait(struct server *s, double unsynced, bool *flush)
{
    *flush = false;
    while (s->qlen == 0 && !s->stopping) {
        if (!unsynced) {
            pthread_cond_wait(&s->qcond, &s->qlock);
            continue;
        }
        double left = AUDIT_SYNC_MS / 1000.0 - (time_mono() - unsynced);
        if (left <= 0) {
            *flush = true;
            return false;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long ns = ts.tv_nsec + (long)(left * 1e9);
        ts.tv_sec += ns / 1000000000L;
        ts.tv_nsec = ns % 1000000000L;
        pthread_cond_timedwait(&s->qcond, &s->qlock, &ts);
    }
    *flush = s->qlen == 0 && unsynced;
    return s->qlen > 0;
}

/* --- flushing away from the writer --------------------------------------
 *
 * When the store can (SQLite), the writer's commits are written but not
 * flushed and it goes straight on with the next batch; the syncer flushes
 * everything committed so far with one fdatasync and only then answers the
 * writes of those batches, and the checkpointer copies the WAL into the
 * database. The writer never waits for the disk, and a write is answered
 * only once it is on disk, as before. A read-audit row is answered at its
 * commit and flushed within AUDIT_SYNC_MS (docs/privacy.md). */

/* After the writer's commit (rc): answers now or hands to the syncer. */
static void committed(struct server *s, struct http_wjob **batch, int n, int rc,
                      const struct muster_err *err)
{
    pthread_mutex_lock(&s->slock);
    bool failed = s->sync_failed;
    for (int i = 0; i < n; i++) {
        struct http_wjob *j = batch[i];
        if (rc) { /* the commit failed: nothing of the batch is on disk */
            j->rc = rc;
            j->err = *err;
        } else if (j->fn == write_reads) { /* lazy: answered now, flushed soon */
            if (!s->audit_unsynced)
                s->audit_unsynced = time_mono();
            continue;
        } else if (failed) { /* a flush failed: nothing is known to be on disk */
            j->rc = MUSTER_EIO;
            j->err = s->sync_err;
        } else {
            if (s->nunsynced == s->capunsynced) {
                s->capunsynced = s->capunsynced ? s->capunsynced * 2 : 256;
                s->unsynced = realloc(s->unsynced, s->capunsynced * sizeof *s->unsynced);
                if (!s->unsynced)
                    abort();
            }
            s->unsynced[s->nunsynced++] = j;
            batch[i] = NULL; /* the syncer answers it */
        }
    }
    if (rc == 0)
        s->commits++;
    pthread_cond_signal(&s->scond);
    pthread_mutex_unlock(&s->slock);
    for (int i = 0; i < n; i++)
        if (batch[i])
            batch[i]->done(batch[i]);
}

/* Waits until there is something to flush; false once stopped and done. */
static bool syncer_wait(struct server *s)
{
    for (;;) {
        if (s->nunsynced)
            return true;
        if (s->audit_unsynced) {
            double left = AUDIT_SYNC_MS / 1000.0 - (time_mono() - s->audit_unsynced);
            if (left <= 0 || s->sync_stop)
                return true;
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            long ns = ts.tv_nsec + (long)(left * 1e9);
            ts.tv_sec += ns / 1000000000L;
            ts.tv_nsec = ns % 1000000000L;
            pthread_cond_timedwait(&s->scond, &s->slock, &ts);
        } else if (s->sync_stop) {
            return false;
        } else {
            pthread_cond_wait(&s->scond, &s->slock);
        }
    }
}

static void *syncer_main(void *arg)
{
    struct server *s = arg;
    struct http_wjob **spare = NULL; /* the list not in use, swapped each round */
    size_t sparecap = 0;
    pthread_mutex_lock(&s->slock);
    while (syncer_wait(s)) {
        /* everything committed so far: one flush covers it all */
        struct http_wjob **taken = s->unsynced;
        size_t n = s->nunsynced, takencap = s->capunsynced;
        s->unsynced = spare;
        s->capunsynced = sparecap;
        s->nunsynced = 0;
        s->audit_unsynced = 0;
        bool failed = s->sync_failed;
        pthread_mutex_unlock(&s->slock);
        struct muster_err err = {0};
        int rc = failed ? MUSTER_EIO : s->sync_st->ops->sync(s->sync_st, &err);
        __atomic_add_fetch(&s->m.syncs, 1, __ATOMIC_RELAXED);
        pthread_mutex_lock(&s->slock);
        if (rc && !s->sync_failed) { /* sticky: a failed flush may have lost pages */
            s->sync_failed = true;
            s->sync_err = err;
        }
        err = s->sync_err;
        pthread_mutex_unlock(&s->slock);
        for (size_t i = 0; i < n; i++) {
            if (rc) {
                taken[i]->rc = MUSTER_EIO;
                taken[i]->err = err;
            }
            taken[i]->done(taken[i]);
        }
        spare = taken;
        sparecap = takencap;
        pthread_mutex_lock(&s->slock);
    }
    pthread_mutex_unlock(&s->slock);
    free(spare);
    return NULL;
}

/* Copies the WAL into the database every CKPT_MS while the writer writes. */
#define CKPT_MS 50

static void *ckpt_main(void *arg)
{
    struct server *s = arg;
    uint64_t done = 0;
    pthread_mutex_lock(&s->slock);
    while (!s->sync_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long ns = ts.tv_nsec + CKPT_MS * 1000000L;
        ts.tv_sec += ns / 1000000000L;
        ts.tv_nsec = ns % 1000000000L;
        pthread_cond_timedwait(&s->ccond, &s->slock, &ts);
        if (s->sync_stop || s->commits == done)
            continue;
        done = s->commits;
        pthread_mutex_unlock(&s->slock);
        struct muster_err err;
        s->ckpt_st->ops->checkpoint(s->ckpt_st, &err); /* retried next time */
        pthread_mutex_lock(&s->slock);
    }
    pthread_mutex_unlock(&s->slock);
    return NULL;
}

static void *writer_main(void *arg)
{
    struct server *s = arg;
    struct http_wjob *batch[MAX_BATCH];
    bool lazy = false;   /* the writer's commits are not flushed at once */
    double unsynced = 0; /* time_mono() of the first commit not yet flushed */
    for (;;) {
        pthread_mutex_lock(&s->qlock);
        bool flush;
        if (!writer_wait(s, unsynced, &flush)) {
            bool stop = s->stopping && s->qlen == 0;
            pthread_mutex_unlock(&s->qlock);
            if (flush) {
                flush_lazy(s, &lazy);
                unsynced = 0;
            }
            if (stop)
                return NULL;
            continue;
        }
        int n = s->qlen < MAX_BATCH ? s->qlen : MAX_BATCH;
        memcpy(batch, s->queue, (size_t)n * sizeof *batch);
        memmove(s->queue, s->queue + n, (size_t)(s->qlen - n) * sizeof *batch);
        s->qlen -= n;
        pthread_mutex_unlock(&s->qlock);

        struct node *w = s->writer;
        struct muster_err err = {0};
        /* a batch of read-audit rows only is committed lazily (flushed
         * within AUDIT_SYNC_MS, or by the next write); any other write
         * makes the whole batch wait for the disk */
        bool audit_only = true;
        for (int i = 0; i < n; i++)
            audit_only = audit_only && batch[i]->fn == write_reads;
        int rc = 0;
        if (!s->sync_st) { /* else the syncer flushes: committed() below */
            if (audit_only != lazy && w->st->ops->set_durable(w->st, !audit_only, &err) == 0)
                lazy = audit_only;
            else if (lazy && !audit_only) /* a 201 must never rest on a lazy commit */
                rc = err.code ? err.code : MUSTER_EIO;
        }
        if (rc == 0)
            rc = ev_begin(w, &err);
        for (int i = 0; i < n && rc == 0; i++) {
            struct http_wjob *j = batch[i];
            struct store_head saved = w->head;
            err_clear(&j->err);
            j->rc = w->st->ops->savepoint(w->st, &j->err);
            if (j->rc == 0)
                j->rc = j->fn(w, j->arg, &j->err);
            if (j->rc) {
                w->st->ops->rollback_to(w->st);
                w->head = saved;
                if (w->pii_cache)
                    json_object_clear(w->pii_cache);
            } else {
                w->st->ops->release(w->st, &j->err);
            }
        }
        if (rc == 0)
            rc = ev_commit(w, &err);
        else
            ev_rollback(w);
        if (rc == 0 && lazy && !unsynced)
            unsynced = time_mono();
        else if (rc == 0 && !lazy)
            unsynced = 0; /* a full commit flushed everything before it */
        __atomic_add_fetch(&s->m.batches, 1, __ATOMIC_RELAXED);
        __atomic_add_fetch(&s->m.batched_writes, (uint64_t)n, __ATOMIC_RELAXED);
        if (s->sync_st) {
            committed(s, batch, n, rc, &err);
            continue;
        }
        if (rc == 0 && !lazy)
            __atomic_add_fetch(&s->m.syncs, 1, __ATOMIC_RELAXED);
        for (int i = 0; i < n; i++) {
            struct http_wjob *j = batch[i];
            if (rc) { /* the commit failed: nothing of the batch is on disk */
                j->rc = rc;
                j->err = err;
            }
            j->done(j);
        }
    }
}

int http_submit(struct server *s, struct http_wjob *j)
{
    pthread_mutex_lock(&s->qlock);
    if (s->stopping || s->qlen == (int)(sizeof s->queue / sizeof s->queue[0])) {
        pthread_mutex_unlock(&s->qlock);
        return -1;
    }
    s->queue[s->qlen++] = j;
    pthread_cond_signal(&s->qcond);
    pthread_mutex_unlock(&s->qlock);
    return 0;
}

/* The writer is done with a request's write: wake its connection. */
static void request_written(struct http_wjob *j)
{
    struct request *r = j->ctx;
    __atomic_store_n(&r->written, true, __ATOMIC_RELEASE);
    MHD_resume_connection(r->conn);
}

/* A request's write, then the read-audit rows its handler recorded before
 * it (the answer it will send), in the same savepoint: the answer then
 * needs no second commit for them. */
static int write_with_reads(struct node *n, void *arg, struct muster_err *err)
{
    struct request *r = arg;
    int rc = r->write_fn(n, r->write_arg, err);
    if (rc == 0 && r->nreads > 0) {
        rc = write_reads(n, r, err);
        if (rc == 0)
            r->nwritten = r->nreads;
    }
    return rc;
}

int http_write(struct request *r, http_write_fn fn, void *arg, http_after_fn after)
{
    r->wjob = (struct http_wjob){.fn = fn, .arg = arg, .done = request_written, .ctx = r};
    if (r->nreads > 0) {
        r->write_fn = fn;
        r->wjob.fn = write_with_reads;
        r->wjob.arg = r;
    }
    r->write_arg = arg;
    r->after = after;
    /* suspend before the writer can possibly resume: a resume that came
     * first would be lost and the connection would hang */
    MHD_suspend_connection(r->conn);
    r->waiting = true;
    if (http_submit(r->srv, &r->wjob)) {
        r->waiting = false;
        MHD_resume_connection(r->conn);
        http_error(r, 503, "busy", "the server is shutting down or overloaded; retry");
        return -1;
    }
    return 0;
}

int http_offload(struct request *r, http_write_fn fn, void *arg, http_after_fn after)
{
    r->wjob = (struct http_wjob){.fn = fn, .arg = arg, .done = request_written, .ctx = r};
    r->write_arg = arg;
    r->after = after;
    MHD_suspend_connection(r->conn); /* before the job can possibly resume it */
    r->waiting = true;
    if (slow_submit(r->srv->slow, &r->wjob)) {
        r->waiting = false;
        MHD_resume_connection(r->conn);
        r->retry_after = 1;
        http_error(r, 503, "busy", "too many requests are waiting for a password check; retry");
        return -1;
    }
    return 0;
}

/* --- the read audit ------------------------------------------------------ */

struct http_read {
    const char *purpose, *person, *view;
};

void http_read(struct request *r, const char *purpose, const char *person, const char *view)
{
    if (!person || !*person)
        return;
    if (r->nreads == r->capreads) {
        size_t cap = r->capreads ? r->capreads * 2 : 16;
        struct http_read *bigger = arena_alloc(&r->arena, cap * sizeof *bigger);
        if (r->nreads)
            memcpy(bigger, r->reads, r->nreads * sizeof *bigger);
        r->reads = bigger;
        r->capreads = cap;
    }
    if (!r->read_ms)
        r->read_ms = time_now_ms();
    r->reads[r->nreads++] = (struct http_read){purpose, person, view};
}

static int cmp_read(const void *a, const void *b)
{
    const struct http_read *x = a, *y = b;
    int c = strcmp(x->person, y->person);
    if (!c)
        c = strcmp(x->purpose, y->purpose);
    return c ? c : strcmp(x->view, y->view);
}

/* On the writer thread: one row per person (and purpose) of the answer
 * that is not written yet (reads[nwritten..]), sorted in place. The
 * request is suspended meanwhile, so its memory is not touched elsewhere. */
static int write_reads(struct node *n, void *arg, struct muster_err *err)
{
    struct request *r = arg;
    size_t from = r->nwritten;
    qsort(r->reads + from, r->nreads - from, sizeof *r->reads, cmp_read);
    struct store_read *rows = calloc(r->nreads - from, sizeof *rows);
    if (!rows)
        return err_set(err, MUSTER_ENOMEM, "read audit: out of memory");
    char route[200];
    snprintf(route, sizeof route, "%s %s", r->route->method, r->route->pattern);
    size_t k = 0;
    for (size_t i = from; i < r->nreads; i++) {
        if (i > from && cmp_read(&r->reads[i - 1], &r->reads[i]) == 0)
            continue;
        rows[k++] = (struct store_read){0,
                                        r->read_ms,
                                        r->who.user,
                                        r->who.nation,
                                        auth_role_name(r->who.role),
                                        route,
                                        r->reads[i].purpose,
                                        r->reads[i].person,
                                        r->reads[i].view};
    }
    int rc = n->st->ops->read_audit_put(n->st, rows, k, err);
    free(rows);
    return rc;
}

/* --- answers ------------------------------------------------------------- */

static int add_to_buf(const char *text, size_t n, void *b)
{
    buf_add(b, text, n);
    return 0;
}

void http_json(struct request *r, int status, json_t *body)
{
    r->status = status;
    r->content_type = "application/json";
    buf_reset(&r->out);
    /* straight into the answer: no text to allocate and copy again */
    if (body && json_dump_callback(body, add_to_buf, &r->out, JSON_COMPACT | JSON_ENCODE_ANY))
        buf_reset(&r->out);
    json_decref(body);
}

struct buf *http_json_text(struct request *r, int status)
{
    r->status = status;
    r->content_type = "application/json";
    buf_reset(&r->out);
    return &r->out;
}

void http_error(struct request *r, int status, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    http_json(r, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg));
}

void http_fail(struct request *r, const struct muster_err *err)
{
    switch (err->code) {
    case MUSTER_EINVAL:
        http_error(r, 400, "invalid", "%s", err->msg);
        break;
    case MUSTER_ENOTFOUND:
        http_error(r, 404, "not_found", "%s", err->msg);
        break;
    case MUSTER_ECONFLICT:
        http_error(r, 409, "conflict", "%s", err->msg);
        break;
    case MUSTER_EDENIED:
        http_error(r, 403, "forbidden", "%s", err->msg);
        break;
    default:
        http_error(r, 500, "internal", "%s", err->msg[0] ? err->msg : "internal error");
    }
}

void http_bytes(struct request *r, int status, const char *type, const char *data, size_t len,
                const char *filename)
{
    r->status = status;
    r->content_type = type;
    buf_reset(&r->out);
    buf_add(&r->out, data, len);
    if (filename)
        snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", filename);
}

json_t *http_body(struct request *r, const char *const *allowed)
{
    if (r->body_too_large) {
        http_error(r, 413, "too_large", "the request body is over %zu bytes", r->srv->opt.max_body);
        return NULL;
    }
    json_error_t jerr;
    json_t *o =
        json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!o) {
        http_error(r, 400, "bad_json", "the body is not JSON: %s (line %d, column %d)", jerr.text,
                   jerr.line, jerr.column);
        return NULL;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        http_error(r, 400, "bad_json", "the body must be a JSON object");
        return NULL;
    }
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, k) == 0;
        if (!ok) {
            http_error(r, 400, "unknown_field", "unknown field '%s'", k);
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

bool http_nested(struct request *r, json_t *o, const char *key, const char *const *allowed)
{
    json_t *n = json_object_get(o, key);
    if (!n || json_is_null(n))
        return true;
    if (!json_is_object(n)) {
        http_error(r, 400, "invalid", "%s must be an object", key);
        return false;
    }
    const char *k;
    json_t *v;
    json_object_foreach(n, k, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, k) == 0;
        if (!ok) {
            http_error(r, 400, "unknown_field", "unknown field '%s.%s'", key, k);
            return false;
        }
    }
    return true;
}

bool http_no_body(struct request *r)
{
    if (r->body.len == 0)
        return true;
    http_error(r, 400, "unexpected_body", "%s %s takes no request body; send none", r->method,
               r->route ? r->route->pattern : r->url);
    return false;
}

const char *http_query(struct request *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_node_nation(const struct server *s)
{
    return s->nation;
}

int http_port(const struct server *s)
{
    return s->port;
}

/* --- routing ------------------------------------------------------------- */

/* Matches path against pattern, filling params; true on a match. */
static bool match(const char *pattern, const char *path, struct request *r, struct arena *a)
{
    int np = 0;
    const char *p = pattern, *u = path;
    while (*p && *u) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            size_t len = strcspn(u, "/");
            if (!pe || len == 0 || np >= 6)
                return false;
            r->params[np++] = arena_strndup(a, u, len);
            p = pe + 1;
            u += len;
        } else if (*p++ != *u++) {
            return false;
        }
    }
    if (*p || *u)
        return false;
    r->nparams = np;
    return true;
}

const char *http_bearer(struct request *r)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    if (h && strncmp(h, "Bearer ", 7) == 0)
        return h + 7;
    return NULL;
}

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
    };
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i][0]) == 0)
            return types[i][1];
    return "application/octet-stream";
}

/* Serves a file of the web UI; false when there is none. */
static bool serve_static(struct request *r)
{
    const char *root = r->srv->opt.web_root;
    if (!root || strcmp(r->method, "GET") != 0 || strstr(r->url, ".."))
        return false;
    char path[1200];
    snprintf(path, sizeof path, "%s%s", root, strcmp(r->url, "/") == 0 ? "/index.html" : r->url);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    buf_reset(&r->out);
    buf_reserve(&r->out, (size_t)sb.st_size);
    size_t got = fread(r->out.data, 1, (size_t)sb.st_size, f);
    fclose(f);
    r->out.len = got;
    r->status = 200;
    r->content_type = mime_of(path);
    return true;
}

static void dispatch(struct request *r)
{
    struct server *s = r->srv;
    const char *q = strchr(r->url, '?');
    char *path = arena_strndup(&r->arena, r->url, q ? (size_t)(q - r->url) : strlen(r->url));
    bool path_seen = false;
    for (int i = 0; i < http_nroutes; i++) {
        const struct route *rt = &http_routes[i];
        if (!match(rt->pattern, path, r, &r->arena))
            continue;
        path_seen = true;
        if (strcmp(rt->method, r->method) != 0)
            continue;
        r->route = rt;
        r->route_index = i;
        if (r->body_too_large) { /* every route, whether it reads a body or not */
            http_error(r, 413, "too_large", "the request body is over %zu bytes", s->opt.max_body);
            return;
        }
        r->st = reader_get(s);
        if (rt->auth == AUTH_REQUIRED) {
            struct muster_err err;
            if (auth_session_cached(s->sessions, r->st, http_bearer(r), &r->who, &err)) {
                http_error(r, 401, "unauthorized", "%s", err.msg);
                return;
            }
        }
        rt->handler(r);
        return;
    }
    r->route_index = 63;
    if (path_seen) {
        http_error(r, 405, "method_not_allowed", "%s is not allowed on %s", r->method, path);
        return;
    }
    if (strncmp(path, "/api/", 5) != 0 && serve_static(r))
        return;
    http_error(r, 404, "not_found", "no route %s %s", r->method, path);
}

/* --- metrics ------------------------------------------------------------- */

static int status_index(int status)
{
    for (int i = 0; i < NSTATUS - 1; i++)
        if (status_codes[i] == status)
            return i;
    return NSTATUS - 1;
}

static void record(struct server *s, struct request *r)
{
    double secs = time_mono() - r->started;
    int ri = r->route_index >= 0 && r->route_index < 64 ? r->route_index : 63;
    __atomic_add_fetch(&s->m.requests[ri][status_index(r->status)], 1, __ATOMIC_RELAXED);
    int b = 0;
    while (b < NBUCKETS && secs > buckets[b])
        b++;
    __atomic_add_fetch(&s->m.latency[b], 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&s->m.lock);
    s->m.latency_sum += secs;
    s->m.latency_count++;
    pthread_mutex_unlock(&s->m.lock);
}

/* Writes the Prometheus text exposition of the metrics into out. */
void http_metrics_text(struct server *s, struct store *st, struct buf *out)
{
    buf_puts(out, "# HELP muster_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE muster_http_requests_total counter\n");
    for (int i = 0; i < 64; i++)
        for (int k = 0; k < NSTATUS; k++) {
            uint64_t v = __atomic_load_n(&s->m.requests[i][k], __ATOMIC_RELAXED);
            if (!v)
                continue;
            const char *route = i < http_nroutes ? http_routes[i].pattern : "none";
            const char *method = i < http_nroutes ? http_routes[i].method : "";
            buf_printf(out,
                       "muster_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} "
                       "%llu\n",
                       method, route, status_codes[k], (unsigned long long)v);
        }
    buf_puts(out, "# HELP muster_http_request_seconds Request latency.\n"
                  "# TYPE muster_http_request_seconds histogram\n");
    uint64_t cum = 0;
    for (int b = 0; b <= NBUCKETS; b++) {
        cum += __atomic_load_n(&s->m.latency[b], __ATOMIC_RELAXED);
        if (b < NBUCKETS)
            buf_printf(out, "muster_http_request_seconds_bucket{le=\"%g\"} %llu\n", buckets[b],
                       (unsigned long long)cum);
        else
            buf_printf(out, "muster_http_request_seconds_bucket{le=\"+Inf\"} %llu\n",
                       (unsigned long long)cum);
    }
    pthread_mutex_lock(&s->m.lock);
    buf_printf(out,
               "muster_http_request_seconds_sum %.6f\nmuster_http_request_seconds_count %llu\n",
               s->m.latency_sum, (unsigned long long)s->m.latency_count);
    pthread_mutex_unlock(&s->m.lock);
    buf_printf(out,
               "# HELP muster_events_total Events in the log.\n# TYPE muster_events_total gauge\n"
               "muster_events_total %lld\n",
               (long long)st->ops->event_count(st));
    buf_printf(out,
               "# HELP muster_write_batches_total Group commits.\n"
               "# TYPE muster_write_batches_total counter\nmuster_write_batches_total %llu\n"
               "# HELP muster_writes_total Writes committed in those group commits.\n"
               "# TYPE muster_writes_total counter\nmuster_writes_total %llu\n"
               "# HELP muster_write_syncs_total Flushes of the writes to disk.\n"
               "# TYPE muster_write_syncs_total counter\nmuster_write_syncs_total %llu\n",
               (unsigned long long)__atomic_load_n(&s->m.batches, __ATOMIC_RELAXED),
               (unsigned long long)__atomic_load_n(&s->m.batched_writes, __ATOMIC_RELAXED),
               (unsigned long long)__atomic_load_n(&s->m.syncs, __ATOMIC_RELAXED));
    buf_printf(out,
               "# HELP muster_database_bytes Size of the database.\n"
               "# TYPE muster_database_bytes gauge\nmuster_database_bytes %lld\n",
               (long long)st->ops->size_bytes(st));
}

/* --- libmicrohttpd callbacks --------------------------------------------- */

static enum MHD_Result respond(struct request *r, struct MHD_Connection *conn)
{
    /* the answer is built: give the read connection back now, not when the
     * bytes are sent (a pool thread may answer many resumed requests first) */
    if (r->st) {
        reader_put(r->srv, r->st);
        r->st = NULL;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->out.len, r->out.data ? r->out.data : (void *)"", MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type : "text/plain");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->closing)
        MHD_add_response_header(resp, "Connection", "close");
    if (r->retry_after > 0) {
        char secs[24];
        snprintf(secs, sizeof secs, "%d", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", secs);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    record(r->srv, r);
    return ret;
}

/* Sends the answer, first writing its read-audit rows when it carries
 * personal data: the connection waits (suspended) for their commit. */
static enum MHD_Result finish(struct request *r, struct MHD_Connection *conn)
{
    /* rows already written with the request's write need no second commit */
    size_t k = r->nwritten;
    for (size_t i = r->nwritten; r->phase != 3 && i < r->nreads; i++)
        if (!r->nwritten ||
            !bsearch(&r->reads[i], r->reads, r->nwritten, sizeof *r->reads, cmp_read))
            r->reads[k++] = r->reads[i];
    if (r->phase != 3)
        r->nreads = k;
    if (r->nreads == r->nwritten || r->phase == 3)
        return respond(r, conn);
    if (r->st) {
        reader_put(r->srv, r->st);
        r->st = NULL;
    }
    r->phase = 3;
    r->written = false;
    r->wjob = (struct http_wjob){.fn = write_reads, .arg = r, .done = request_written, .ctx = r};
    MHD_suspend_connection(conn);
    r->waiting = true;
    if (http_submit(r->srv, &r->wjob)) {
        MHD_resume_connection(conn);
        r->waiting = false;
        http_error(r, 503, "busy", "the read could not be recorded in the read audit; retry");
        return respond(r, conn);
    }
    return MHD_YES;
}

/* A connection is fresh from its accept until its first request begins: one
 * accepted just before the stop quiesces has its request on the way, and
 * the stop waits for it (http_stop). Its socket context is a flag of its
 * own, set here and cleared by conn_begun; the pool thread that owns the
 * connection is the only one to touch it. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **sctx,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *s = cls;
    (void)conn;
    bool *fresh = *sctx;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        fresh = malloc(sizeof *fresh);
        if (!fresh)
            return; /* not counted: the stop will not wait for it */
        *fresh = true;
        *sctx = fresh;
        __atomic_add_fetch(&s->fresh, 1, __ATOMIC_SEQ_CST);
        return;
    }
    if (fresh && *fresh)
        __atomic_sub_fetch(&s->fresh, 1, __ATOMIC_SEQ_CST);
    free(fresh);
    *sctx = NULL;
}

static void conn_begun(struct server *s, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    bool *fresh = ci ? ci->socket_context : NULL;
    if (fresh && *fresh) {
        *fresh = false;
        __atomic_sub_fetch(&s->fresh, 1, __ATOMIC_SEQ_CST);
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **ctx)
{
    struct server *s = cls;
    struct request *r = *ctx;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->srv = s;
        r->url = url;
        r->method = method;
        r->conn = conn;
        r->status = 500;
        r->started = time_mono();
        r->route_index = 63;
        __atomic_add_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
        conn_begun(s, conn); /* after inflight: the stop never sees both at 0 */
        *ctx = r;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (r->body.len + *upload_data_size > s->opt.max_body)
            r->body_too_large = true;
        else
            buf_add(&r->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->phase == 0 && __atomic_load_n(&s->draining, __ATOMIC_ACQUIRE)) {
        /* stopping: a request that came after SIGTERM gets a whole answer
         * too, and its connection is closed */
        r->phase = 1;
        r->retry_after = 1;
        r->closing = true;
        http_error(r, 503, "stopping", "the server is stopping; retry in a moment");
        return respond(r, conn);
    }
    if (r->phase == 0) {
        r->phase = 1;
        dispatch(r);
        if (r->waiting) {
            /* suspended inside http_write; a suspended request must not hold
             * a read connection: the pool thread that resumes it could be
             * waiting for one */
            if (r->st)
                reader_put(s, r->st);
            r->st = NULL;
            return MHD_YES;
        }
        return finish(r, conn);
    }
    if (r->waiting && __atomic_load_n(&r->written, __ATOMIC_ACQUIRE) && r->phase == 1) {
        r->phase = 2;
        if (r->wjob.rc) /* the write and its read-audit rows were undone */
            r->nreads = r->nwritten = 0;
        r->st = reader_get(s);
        r->after(r, r->wjob.rc, &r->wjob.err);
        return finish(r, conn);
    }
    if (r->waiting && __atomic_load_n(&r->written, __ATOMIC_ACQUIRE) && r->phase == 3) {
        r->waiting = false;
        if (r->wjob.rc) /* no audit row, no personal data */
            http_error(r, 503, "audit_failed",
                       "the read could not be recorded in the read audit (%s); nothing was sent",
                       r->wjob.err.msg);
        return respond(r, conn);
    }
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **ctx,
                         enum MHD_RequestTerminationCode code)
{
    struct server *s = cls;
    struct request *r = *ctx;
    if (!r)
        return;
    if (r->st)
        reader_put(s, r->st);
    buf_free(&r->body);
    buf_free(&r->out);
    arena_free(&r->arena);
    free(r);
    *ctx = NULL;
    __atomic_sub_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
}

/* --- start and stop ------------------------------------------------------ */

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct muster_err *err)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon - listen >= (long)sizeof host)
        return err_set(err, MUSTER_EINVAL, "--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return err_set(err, MUSTER_EINVAL, "--listen '%s' is not an IPv4 HOST:PORT", listen);
    return 0;
}

/* Reads a PEM file into a malloc'd string; NULL on failure. */
static char *read_pem(const char *path)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return NULL;
    struct buf b = {0};
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, got);
    fclose(f);
    return b.data;
}

int http_start(const struct server_options *o, struct server **out, struct muster_err *err)
{
    struct server *s = calloc(1, sizeof *s);
    s->opt = *o;
    if (!s->opt.max_body)
        s->opt.max_body = 1 << 20;
    int threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    pthread_mutex_init(&s->rlock, NULL);
    pthread_cond_init(&s->rcond, NULL);
    pthread_mutex_init(&s->qlock, NULL);
    pthread_cond_init(&s->qcond, NULL);
    pthread_mutex_init(&s->m.lock, NULL);
    pthread_mutex_init(&s->slock, NULL);
    pthread_cond_init(&s->scond, NULL);
    pthread_cond_init(&s->ccond, NULL);
    jobs_init(&s->jobs);
    s->sessions = auth_cache_new();
    s->logins = auth_throttle_new();
    struct sockaddr_in sa;
    int rc = parse_listen(o->listen, &sa, err);
    if (!rc)
        rc = api_clearance_load(o->clearance_dir, &s->clear, err);
    if (!rc)
        rc = node_open(o->db, &s->writer, err);
    if (rc) {
        auth_cache_free(s->sessions);
        auth_throttle_free(s->logins);
        free(s);
        return rc;
    }
    rc = slow_start(o->db, threads, &s->slow, err);
    if (rc) {
        node_close(s->writer);
        api_clearance_free(s->clear);
        auth_cache_free(s->sessions);
        auth_throttle_free(s->logins);
        free(s);
        return rc;
    }
    memcpy(s->nation, s->writer->nation, 4);
    s->nreaders = threads * 2 + 2 < MAX_READERS ? threads * 2 + 2 : MAX_READERS;
    for (int i = 0; i < s->nreaders && !rc; i++) {
        rc = store_open(o->db, false, &s->readers[i], err);
        s->free_readers[s->nfree++] = i;
    }
    if (rc) {
        http_stop(s);
        return rc;
    }
    /* flushing and checkpoints on threads of their own, when the store can */
    if (s->writer->st->ops->sync) {
        rc = store_open(o->db, false, &s->sync_st, err);
        if (!rc)
            rc = store_open(o->db, false, &s->ckpt_st, err);
        if (!rc)
            rc = s->writer->st->ops->defer_sync(s->writer->st, err);
        if (rc) {
            http_stop(s);
            return rc;
        }
        pthread_create(&s->sync_thread, NULL, syncer_main, s);
        pthread_create(&s->ckpt_thread, NULL, ckpt_main, s);
    }
    pthread_create(&s->writer_thread, NULL, writer_main, s);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    char *cert = NULL, *key = NULL;
    if (o->tls_cert || o->tls_key) {
        cert = read_pem(o->tls_cert);
        key = read_pem(o->tls_key);
        if (!cert || !key) {
            free(cert);
            free(key);
            http_stop(s);
            return err_set(err, MUSTER_EINVAL, "cannot read --tls-cert and --tls-key");
        }
        flags |= MHD_USE_TLS;
    }
    struct MHD_OptionItem tls[] = {
        {cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
        {key ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, key},
        {MHD_OPTION_END, 0, NULL},
    };
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)60, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
    free(cert);
    free(key);
    if (!s->daemon) {
        http_stop(s);
        return err_set(err, MUSTER_EIO, "cannot listen on %s: %s", o->listen, strerror(errno));
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : ntohs(sa.sin_port);
    *out = s;
    return 0;
}

void http_stop(struct server *s)
{
    if (!s)
        return;
    /* In-flight requests finish (up to 30 s) and a running plan records its
     * result; meanwhile new requests are answered 503 rather than left in
     * the listen queue, to be cut when it closes. Connections stop being
     * accepted once no request has been in flight for 200 ms; then every
     * connection already accepted gets its request answered (503) before
     * the close, unless it sends none for 2 s. */
    MHD_socket listen_fd = MHD_INVALID_SOCKET;
    if (s->daemon)
        __atomic_store_n(&s->draining, true, __ATOMIC_RELEASE);
    jobs_shutdown(&s->jobs, 60);
    if (s->daemon) {
        int quiet = 0;
        for (int i = 0; i < 3000 && quiet < 20; i++) {
            usleep(10000);
            quiet = __atomic_load_n(&s->inflight, __ATOMIC_SEQ_CST) > 0 ? 0 : quiet + 1;
        }
        listen_fd = MHD_quiesce_daemon(s->daemon);
        /* refuse new connections now rather than queue them until the
         * close; the descriptor stays open until MHD_stop_daemon */
        if (listen_fd != MHD_INVALID_SOCKET)
            shutdown(listen_fd, SHUT_RDWR);
        /* a connection accepted just before the quiesce may not have sent
         * its request yet: wait until each has begun one and none is in
         * flight (a connection idle after its answers is not waited for) */
        for (int i = 0; i < 200; i++) {
            if (__atomic_load_n(&s->fresh, __ATOMIC_SEQ_CST) == 0 &&
                __atomic_load_n(&s->inflight, __ATOMIC_SEQ_CST) == 0)
                break;
            usleep(10000);
        }
    }
    slow_stop(s->slow); /* its jobs' requests are in flight: done by now */
    s->slow = NULL;
    pthread_mutex_lock(&s->qlock);
    s->stopping = true;
    pthread_cond_signal(&s->qcond);
    pthread_mutex_unlock(&s->qlock);
    if (s->writer_thread)
        pthread_join(s->writer_thread, NULL);
    pthread_mutex_lock(&s->slock);
    s->sync_stop = true; /* the syncer flushes what is left first */
    pthread_cond_broadcast(&s->scond);
    pthread_cond_broadcast(&s->ccond);
    pthread_mutex_unlock(&s->slock);
    if (s->sync_thread)
        pthread_join(s->sync_thread, NULL);
    if (s->ckpt_thread)
        pthread_join(s->ckpt_thread, NULL);
    if (s->sync_st)
        store_close(s->sync_st);
    if (s->ckpt_st)
        store_close(s->ckpt_st);
    free(s->unsynced);
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    if (listen_fd != MHD_INVALID_SOCKET) /* the quiesced socket is ours to close */
        close(listen_fd);
    for (int i = 0; i < s->nreaders; i++)
        store_close(s->readers[i]);
    node_close(s->writer);
    api_clearance_free(s->clear);
    auth_cache_free(s->sessions);
    auth_throttle_free(s->logins);
    free(s);
}

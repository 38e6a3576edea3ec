/* events.c — see events.h. */
#include "core/events.h"

#include "core/project.h"
#include "util/jcanon.h"
#include "util/timeutil.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char domain_tag[] = "muster-event-v1";

static void put_u32(crypto_generichash_state *h, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    crypto_generichash_update(h, b, 4);
}

static void put_i64(crypto_generichash_state *h, int64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
    crypto_generichash_update(h, b, 8);
}

static void put_bytes(crypto_generichash_state *h, const void *p, size_t n)
{
    put_u32(h, (uint32_t)n);
    crypto_generichash_update(h, p, n);
}

void ev_hash(const struct store_event *ev, uint8_t out[32])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, (const uint8_t *)domain_tag, sizeof domain_tag);
    put_bytes(&h, ev->origin, strlen(ev->origin));
    put_i64(&h, ev->seq);
    put_i64(&h, ev->lamport);
    put_i64(&h, ev->time_ms);
    put_bytes(&h, ev->actor, strlen(ev->actor));
    put_bytes(&h, ev->nation, strlen(ev->nation));
    put_bytes(&h, ev->type, strlen(ev->type));
    put_bytes(&h, ev->body, ev->body_len);
    crypto_generichash_update(&h, ev->prev, 32);
    crypto_generichash_final(&h, out, 32);
}

static int64_t event_time_ms(void)
{
    /* MUSTER_NOW moves the clock for tests (retention, expiry) */
    return getenv("MUSTER_NOW") ? time_now() * 1000 : time_now_ms();
}

static void reload_head(struct node *n)
{
    struct muster_err ignored;
    n->st->ops->event_head(n->st, n->origin, &n->head, &ignored);
}

int ev_begin(struct node *n, struct muster_err *err)
{
    int rc = n->st->ops->begin(n->st, err);
    if (rc == 0) {
        n->in_tx = true;
        /* another process may have written this node's chain since our last
         * transaction (several servers over one PostgreSQL database) */
        reload_head(n);
    }
    return rc;
}

int ev_commit(struct node *n, struct muster_err *err)
{
    n->in_tx = false;
    int rc = n->st->ops->commit(n->st, err);
    if (rc)
        reload_head(n);
    return rc;
}

void ev_rollback(struct node *n)
{
    n->in_tx = false;
    if (n->pii_cache)
        json_object_clear(n->pii_cache);
    n->st->ops->rollback(n->st);
    reload_head(n);
}

void ev_chain_start(const struct node *n, struct ev_chain *c)
{
    c->seq = n->head.seq;
    c->lamport = n->head.lamport;
    memcpy(c->hash, n->head.hash, 32);
}

int ev_prepare(const struct node *n, const char *actor, const char *nation, const char *type,
               json_t *body, struct store_event *ev, struct muster_err *err)
{
    memset(ev, 0, sizeof *ev);
    size_t len = 0;
    char *text = jcanon_dumps(body, &len);
    if (!text)
        return err_set(err, MUSTER_EINVAL, "cannot serialise the body of a %s event", type);
    ev_prepare_text(n, actor, nation, type, text, len, ev);
    return 0;
}

void ev_link(struct ev_chain *c, struct store_event *ev)
{
    ev->seq = c->seq + 1;
    ev->lamport = c->lamport + 1;
    ev->time_ms = event_time_ms();
    memcpy(ev->prev, c->hash, 32);
    ev_hash(ev, ev->hash);
    c->seq = ev->seq;
    c->lamport = ev->lamport;
    memcpy(c->hash, ev->hash, 32);
}

void ev_sign(const struct node *n, struct store_event *ev)
{
    crypto_sign_detached(ev->sig, NULL, ev->hash, 32, n->sk);
}

int ev_seal(const struct node *n, struct ev_chain *c, const char *actor, const char *nation,
            const char *type, json_t *body, struct store_event *ev, struct muster_err *err)
{
    int rc = ev_prepare(n, actor, nation, type, body, ev, err);
    if (rc)
        return rc;
    ev_link(c, ev);
    ev_sign(n, ev);
    return 0;
}

void ev_prepare_text(const struct node *n, const char *actor, const char *nation, const char *type,
                     char *text, size_t len, struct store_event *ev)
{
    memset(ev, 0, sizeof *ev);
    memcpy(ev->origin, n->origin, sizeof ev->origin);
    ev->actor = actor;
    snprintf(ev->nation, sizeof ev->nation, "%s", nation ? nation : n->nation);
    ev->type = type;
    ev->body = text;
    ev->body_len = len;
}

static int append(struct node *n, struct store_event *ev, json_t *body, ev_project_fn project,
                  void *ctx, struct muster_err *err)
{
    int rc = 0;
    if (!n->in_tx)
        rc = err_set(err, MUSTER_EINVAL, "ev_append outside a transaction");
    else if (ev->seq != n->head.seq + 1 || memcmp(ev->prev, n->head.hash, 32) != 0)
        rc = err_set(err, MUSTER_EINVAL, "event %lld does not follow the head of the chain",
                     (long long)ev->seq);
    if (!rc)
        rc = n->st->ops->event_append(n->st, ev, err);
    if (!rc)
        rc = project ? project(n, ev, ctx, err) : proj_apply(n, ev, body, err);
    free((char *)ev->body);
    ev->body = NULL;
    if (n->pii_cache)
        json_object_clear(n->pii_cache);
    if (rc)
        return rc;
    n->head.seq = ev->seq;
    n->head.lamport = ev->lamport;
    memcpy(n->head.hash, ev->hash, 32);
    n->appended++;
    return 0;
}

int ev_append_sealed(struct node *n, struct store_event *ev, json_t *body, struct muster_err *err)
{
    return append(n, ev, body, NULL, NULL, err);
}

int ev_append_projected(struct node *n, struct store_event *ev, ev_project_fn project, void *ctx,
                        struct muster_err *err)
{
    return append(n, ev, NULL, project, ctx, err);
}

int ev_append(struct node *n, const char *actor, const char *nation, const char *type, json_t *body,
              struct muster_err *err)
{
    if (!n->in_tx)
        return err_set(err, MUSTER_EINVAL, "ev_append outside a transaction");
    struct ev_chain c;
    struct store_event ev;
    ev_chain_start(n, &c);
    int rc = ev_seal(n, &c, actor, nation, type, body, &ev, err);
    if (rc) {
        if (n->pii_cache)
            json_object_clear(n->pii_cache);
        return rc;
    }
    return ev_append_sealed(n, &ev, body, err);
}

int ev_write(struct node *n, const char *actor, const char *nation, const char *type, json_t *body,
             struct muster_err *err)
{
    int rc = ev_begin(n, err);
    if (rc)
        return rc;
    rc = ev_append(n, actor, nation, type, body, err);
    if (rc) {
        ev_rollback(n);
        return rc;
    }
    return ev_commit(n, err);
}

/* --- verify -------------------------------------------------------------- */

struct chain {
    char origin[33];
    int64_t seq;
    uint8_t hash[32];
    uint8_t pk[32];
};

struct sigjob {
    int64_t id, seq;
    int chain;
    uint8_t hash[32], sig[64], pk[32]; /* the key is copied: chains may grow meanwhile */
};

#define VERIFY_BATCH       8192
#define VERIFY_MAX_THREADS 16

struct sigrange {
    const struct sigjob *jobs;
    size_t from, to;
    size_t first_bad; /* index of the first bad job, or to */
};

/* The scan hashes and links events on the calling thread while the
 * signatures of the previous batch are checked by the worker threads. */
struct verify_state {
    struct store *st;
    struct ev_verify_result *res;
    struct chain *chains;
    size_t nchains, capchains;
    struct sigjob *jobs[2]; /* the batch being filled, and the one in flight */
    int cur;
    size_t njobs;
    int threads;
    bool pending;
    struct sigrange ranges[VERIFY_MAX_THREADS];
    pthread_t tids[VERIFY_MAX_THREADS];
    struct muster_err *err;
    muster_progress_fn progress;
    void *progress_ctx;
    int64_t total;
};

static void *check_sigs(void *arg)
{
    struct sigrange *r = arg;
    r->first_bad = r->to;
    for (size_t i = r->from; i < r->to; i++) {
        const struct sigjob *j = &r->jobs[i];
        if (crypto_sign_verify_detached(j->sig, j->hash, 32, j->pk) != 0) {
            r->first_bad = i;
            break;
        }
    }
    return NULL;
}

static void fail(struct verify_state *vs, int64_t id, const char *origin, int64_t seq,
                 const char *reason)
{
    if (vs->res->bad_id)
        return;
    vs->res->bad_id = id;
    snprintf(vs->res->bad_origin, sizeof vs->res->bad_origin, "%s", origin);
    vs->res->bad_seq = seq;
    snprintf(vs->res->reason, sizeof vs->res->reason, "%s", reason);
}

/* Waits for the batch in flight; returns non-zero when a signature in it
 * is bad (recorded unless an earlier event failed already). */
static int collect_sigs(struct verify_state *vs)
{
    if (!vs->pending)
        return 0;
    vs->pending = false;
    int t = vs->threads, bad = 0;
    for (int i = 0; i < t; i++)
        pthread_join(vs->tids[i], NULL);
    for (int i = 0; i < t && !bad; i++) {
        struct sigrange *r = &vs->ranges[i];
        if (r->first_bad < r->to) {
            const struct sigjob *j = &r->jobs[r->first_bad];
            /* a hash failure found later in the scan may come after it */
            if (!vs->res->bad_id || j->id < vs->res->bad_id) {
                vs->res->bad_id = 0;
                fail(vs, j->id, vs->chains[j->chain].origin, j->seq,
                     "signature does not verify with the origin node's key");
            }
            bad = 1;
        }
    }
    return bad;
}

/* Hands the filled batch to the workers (after the previous one is done)
 * and starts filling the other buffer; non-zero when a bad signature was
 * found in the previous batch. */
static int start_sigs(struct verify_state *vs)
{
    int bad = collect_sigs(vs);
    if (bad || vs->njobs == 0)
        return bad;
    int t = vs->threads;
    size_t n = vs->njobs, per = (n + (size_t)t - 1) / (size_t)t;
    for (int i = 0; i < t; i++) {
        struct sigrange *r = &vs->ranges[i];
        r->jobs = vs->jobs[vs->cur];
        r->from = (size_t)i * per < n ? (size_t)i * per : n;
        r->to = r->from + per < n ? r->from + per : n;
        pthread_create(&vs->tids[i], NULL, check_sigs, r);
    }
    vs->pending = true;
    vs->cur = 1 - vs->cur;
    vs->njobs = 0;
    return 0;
}

static int find_chain(struct verify_state *vs, const char *origin)
{
    for (size_t i = 0; i < vs->nchains; i++)
        if (strcmp(vs->chains[i].origin, origin) == 0)
            return (int)i;
    struct muster_err e;
    uint8_t pk[32];
    if (vs->st->ops->node_key(vs->st, origin, pk, &e) != 0)
        return -1;
    if (vs->nchains == vs->capchains) {
        vs->capchains = vs->capchains ? vs->capchains * 2 : 8;
        vs->chains = realloc(vs->chains, vs->capchains * sizeof *vs->chains);
    }
    struct chain *c = &vs->chains[vs->nchains];
    memset(c, 0, sizeof *c);
    snprintf(c->origin, sizeof c->origin, "%s", origin);
    memcpy(c->pk, pk, 32);
    vs->res->origins++;
    return (int)vs->nchains++;
}

static int verify_one(void *ctx, const struct store_event *ev)
{
    struct verify_state *vs = ctx;
    vs->res->events++;
    int ci = find_chain(vs, ev->origin);
    if (ci < 0) {
        fail(vs, ev->id, ev->origin, ev->seq, "no public key is known for its origin node");
        return 1;
    }
    struct chain *c = &vs->chains[ci];
    if (ev->seq != c->seq + 1) {
        fail(vs, ev->id, ev->origin, ev->seq, "sequence does not follow the previous event");
        return 1;
    }
    if (sodium_memcmp(ev->prev, c->hash, 32) != 0) {
        fail(vs, ev->id, ev->origin, ev->seq, "previous hash does not match the chain");
        return 1;
    }
    uint8_t h[32];
    ev_hash(ev, h);
    if (sodium_memcmp(h, ev->hash, 32) != 0) {
        fail(vs, ev->id, ev->origin, ev->seq, "content does not match its hash (edited)");
        return 1;
    }
    c->seq = ev->seq;
    memcpy(c->hash, h, 32);
    struct sigjob *j = &vs->jobs[vs->cur][vs->njobs++];
    j->id = ev->id;
    j->seq = ev->seq;
    j->chain = ci;
    memcpy(j->hash, h, 32);
    memcpy(j->sig, ev->sig, 64);
    memcpy(j->pk, c->pk, 32);
    if (vs->njobs < VERIFY_BATCH)
        return 0;
    if (vs->progress)
        vs->progress(vs->progress_ctx, "verifying", vs->res->events, vs->total);
    return start_sigs(vs);
}

int ev_verify(struct store *st, int threads, struct ev_verify_result *res, struct muster_err *err)
{
    return ev_verify_progress(st, threads, NULL, NULL, res, err);
}

int ev_verify_progress(struct store *st, int threads, muster_progress_fn progress, void *ctx,
                       struct ev_verify_result *res, struct muster_err *err)
{
    memset(res, 0, sizeof *res);
    struct verify_state vs = {.st = st, .res = res, .err = err};
    vs.progress = progress;
    vs.progress_ctx = ctx;
    vs.total = progress ? st->ops->event_count(st) : 0;
    vs.threads = threads < 1 ? 1 : threads > VERIFY_MAX_THREADS ? VERIFY_MAX_THREADS : threads;
    vs.jobs[0] = malloc(VERIFY_BATCH * sizeof *vs.jobs[0]);
    vs.jobs[1] = malloc(VERIFY_BATCH * sizeof *vs.jobs[1]);
    int rc = st->ops->event_scan(st, 0, verify_one, &vs, err);
    /* signatures queued before a chain failure are checked too */
    if (rc >= 0)
        start_sigs(&vs);
    collect_sigs(&vs);
    free(vs.jobs[0]);
    free(vs.jobs[1]);
    free(vs.chains);
    if (rc < 0)
        return rc;
    if (res->bad_id)
        return err_set(err, MUSTER_ECRYPTO, "event %lld (origin %s, seq %lld): %s",
                       (long long)res->bad_id, res->bad_origin, (long long)res->bad_seq,
                       res->reason);
    return 0;
}

/* --- rebuild ------------------------------------------------------------- */

struct rebuild_state {
    struct node *n;
    struct muster_err *err;
    muster_progress_fn progress;
    void *ctx;
    int64_t done, total;
};

static int rebuild_one(void *ctx, const struct store_event *ev)
{
    struct rebuild_state *rs = ctx;
    json_error_t jerr;
    json_t *body = json_loadb(ev->body, ev->body_len, 0, &jerr);
    if (!body)
        return err_set(rs->err, MUSTER_EINVAL, "event %lld has a body that is not JSON: %s",
                       (long long)ev->id, jerr.text);
    int rc = proj_apply(rs->n, ev, body, rs->err);
    json_decref(body);
    if (rs->progress && ++rs->done % 1024 == 0)
        rs->progress(rs->ctx, "rebuilding", rs->done, rs->total);
    return rc;
}

int ev_rebuild(struct node *n, struct muster_err *err)
{
    return ev_rebuild_progress(n, NULL, NULL, err);
}

/* Inside ev_begin: clears the projections and replays the log. */
static int rebuild_in_tx(struct node *n, muster_progress_fn progress, void *ctx,
                         struct muster_err *err)
{
    int rc = n->st->ops->proj_clear(n->st, err);
    struct rebuild_state rs = {n, err, progress, ctx, 0, 0};
    if (progress)
        rs.total = n->st->ops->event_count(n->st);
    if (!rc)
        rc = n->st->ops->event_scan(n->st, 0, rebuild_one, &rs, err);
    return rc < 0 ? rc : rc ? err->code : 0;
}

int ev_rebuild_progress(struct node *n, muster_progress_fn progress, void *ctx,
                        struct muster_err *err)
{
    int rc = ev_begin(n, err);
    if (rc)
        return rc;
    rc = rebuild_in_tx(n, progress, ctx, err);
    if (rc) {
        ev_rollback(n);
        return rc;
    }
    return ev_commit(n, err);
}

static bool rebuild_asked(struct node *n)
{
    char why[64];
    struct muster_err ignored;
    return n->st->ops->meta_get(n->st, "rebuild", why, sizeof why, &ignored) == 0 && why[0];
}

int ev_rebuild_if_asked(struct node *n, struct muster_err *err)
{
    if (!rebuild_asked(n))
        return 0;
    int rc = ev_begin(n, err);
    if (rc)
        return rc;
    if (rebuild_asked(n)) { /* again under the lock: another may have done it */
        rc = rebuild_in_tx(n, NULL, NULL, err);
        if (!rc)
            rc = n->st->ops->meta_put(n->st, "rebuild", "", err);
    }
    if (rc) {
        ev_rollback(n);
        return rc;
    }
    return ev_commit(n, err);
}

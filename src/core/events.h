/* events.h — the signed, hash-chained event log: every write in muster.
 *
 * An event is (origin node, origin sequence, Lamport clock, time, actor,
 * nation, type, JSON body, previous hash, hash, signature). The hash is
 * BLAKE2b-256 over a canonical encoding (see ev_hash) that includes the
 * previous event's hash of the same origin, so each origin's events form one
 * chain; the signature is Ed25519 over the hash by the origin node's key.
 * Personal fields inside bodies are ciphertext (core/pii.h): the chain covers
 * the ciphertext, so it stays verifiable after a person's key is destroyed.
 *
 * The projections (the tables queries read) are updated by ev_append in the
 * same transaction as the event itself (core/project.c). */
#ifndef MUSTER_CORE_EVENTS_H
#define MUSTER_CORE_EVENTS_H

#include "core/node.h"
#include "store/store.h"
#include "util/err.h"
#include "util/progress.h"

#include <jansson.h>
#include <stdint.h>

/* Starts a write transaction on the node. Any number of ev_append calls may
 * follow (a batch), then ev_commit or ev_rollback. */
int ev_begin(struct node *n, struct muster_err *err);
/* Commits; when it returns 0 every appended event is durable. On failure the
 * batch is rolled back and the node's head restored. */
int ev_commit(struct node *n, struct muster_err *err);
/* Abandons the batch and restores the node's head. */
void ev_rollback(struct node *n);

/* Appends one event (inside ev_begin/ev_commit) and applies it to the
 * projections. nation is the nation on whose behalf it is written (NULL: the
 * node's own; a headquarters node may host partners' desks). body is serialised canonically (sorted
 * keys, compact); the caller keeps ownership of body. Returns 0 or a negative status; on failure
 * the caller must ev_rollback. */
int ev_append(struct node *n, const char *actor, const char *nation, const char *type, json_t *body,
              struct muster_err *err);
/* Bulk appends split ev_append in two, so that bodies are serialised,
 * hashed and signed on worker threads while one thread writes: ev_chain_start
 * takes the node's head (after ev_begin), ev_seal fills in one event after
 * another in chain order without touching the store (any thread, one chain
 * per writer), and ev_append_sealed writes and projects them in the same
 * order inside the transaction. ev_append is exactly these three steps. */
struct ev_chain {
    int64_t seq, lamport;
    uint8_t hash[32];
};
void ev_chain_start(const struct node *n, struct ev_chain *c);
/* Makes *ev the next event of chain c; ev->body is malloc'd and freed by
 * ev_append_sealed. actor and type must outlive the event. */
int ev_seal(const struct node *n, struct ev_chain *c, const char *actor, const char *nation,
            const char *type, json_t *body, struct store_event *ev, struct muster_err *err);
/* ev_seal in its three steps, for writers that serialise and sign on
 * several threads: prepare (the body's text; any thread), link (sequence,
 * clock, time, previous hash and hash; one event after another in chain
 * order), sign (any thread, once linked). */
int ev_prepare(const struct node *n, const char *actor, const char *nation, const char *type,
               json_t *body, struct store_event *ev, struct muster_err *err);
/* ev_prepare for a body already in canonical text (util/jcanon.h): the
 * event takes text, which must be malloc'd. */
void ev_prepare_text(const struct node *n, const char *actor, const char *nation, const char *type,
                     char *text, size_t len, struct store_event *ev);
void ev_link(struct ev_chain *c, struct store_event *ev);
void ev_sign(const struct node *n, struct store_event *ev);
/* Writes ev (made by ev_seal on the node's head) and applies it to the
 * projections; frees ev->body. An event that does not follow the head fails.
 * On failure the caller must ev_rollback. */
int ev_append_sealed(struct node *n, struct store_event *ev, json_t *body, struct muster_err *err);
/* ev_append_sealed for a writer that projects the event itself (an import,
 * from the rows it built): project(n, ev, ctx, err) runs in place of the
 * projection of the body, after the event is written, and must write the
 * rows proj_apply would (the rebuild tests compare them). */
typedef int (*ev_project_fn)(struct node *n, const struct store_event *ev, void *ctx,
                             struct muster_err *err);
int ev_append_projected(struct node *n, struct store_event *ev, ev_project_fn project, void *ctx,
                        struct muster_err *err);

/* ev_begin + ev_append + ev_commit. */
int ev_write(struct node *n, const char *actor, const char *nation, const char *type, json_t *body,
             struct muster_err *err);

/* Computes the canonical hash of ev (every field but id, hash and sig). */
void ev_hash(const struct store_event *ev, uint8_t out[32]);

/* What verify found. bad_id is 0 when the log is sound. */
struct ev_verify_result {
    int64_t events;  /* events checked */
    int64_t origins; /* distinct origin chains */
    int64_t bad_id;  /* first bad event's id in this log */
    char bad_origin[33];
    int64_t bad_seq;
    char reason[160];
};

/* Re-hashes every chain and checks every signature. Returns 0 when the log
 * is sound, MUSTER_ECRYPTO when an event is bad (res says which and why), or
 * another negative status when the store could not be read. threads > 1
 * checks signatures in parallel. */
int ev_verify(struct store *st, int threads, struct ev_verify_result *res, struct muster_err *err);

/* ev_verify reporting progress (stage "verifying", events checked out of
 * the log's last id) to progress(ctx, ...), which may be NULL. */
int ev_verify_progress(struct store *st, int threads, muster_progress_fn progress, void *ctx,
                       struct ev_verify_result *res, struct muster_err *err);

/* Clears every projection and replays the whole log into them, in one
 * transaction. */
int ev_rebuild(struct node *n, struct muster_err *err);

/* ev_rebuild reporting progress (stage "rebuilding", events replayed out of
 * the log's last id) to progress(ctx, ...), which may be NULL. */
int ev_rebuild_progress(struct node *n, muster_progress_fn progress, void *ctx,
                        struct muster_err *err);

/* A schema migration that adds a projection the log already has facts for
 * asks for a rebuild (meta "rebuild" names why, e.g. "ledger"): this does
 * it once, under the writers' lock, and clears the request, so that of
 * several servers opening one store the first rebuilds and the others find
 * it done. 0 with nothing to do. node_open calls it. */
int ev_rebuild_if_asked(struct node *n, struct muster_err *err);

#endif

/* erasure.h — signed erasure notices: how a peer learns to shred its copy.
 *
 * An erasure on request (core/privacy.h) and the retention job
 * (core/retention.h) each append an erasure.notice event: the ids of the
 * people shredded and the reason class ("request" or "retention"), never
 * their data. Like every event it is hashed and signed by this node's
 * Ed25519 key. Nodes have no network link to each other, so a notice
 * travels as a file (as a partner copy does, core/share.h): erasure_export writes this node's
 * notices, and erasure_apply on a peer checks each one's hash and signature against the peer's
 * nodes table (a node learns another's key with erasure_trust), destroys the local keys of the
 * people named, drops their projection rows and records one erasure.applied event. Applying the
 * same notice twice changes nothing. */
#ifndef MUSTER_CORE_ERASURE_H
#define MUSTER_CORE_ERASURE_H

#include "core/node.h"
#include "util/err.h"

#include <jansson.h>
#include <stdint.h>

/* Appends one erasure.notice (inside ev_begin/ev_commit) naming persons (a
 * JSON array of person ids) with reason "request" or "retention";
 * operation may be NULL. nation NULL: the node's. */
int erasure_notice(struct node *n, const char *actor, const char *nation, json_t *persons,
                   const char *reason, const char *operation, struct muster_err *err);

/* This node's erasure notices with origin sequence > after_seq, as a new
 * object {"origin", "nation", "notices": [event, ...]}; each event has every
 * field verify hashes (binary fields in hex, body as its exact text). */
int erasure_export(struct node *n, int64_t after_seq, json_t **out, struct muster_err *err);

/* Applies an exported file (inside ev_begin/ev_commit). Every notice is
 * checked first: one that is not an erasure.notice, whose origin is this
 * node or not in the nodes table, or whose hash or signature is wrong
 * rejects the whole file (MUSTER_ECRYPTO, MUSTER_ENOTFOUND, MUSTER_EINVAL)
 * and nothing changes. *summary (may be NULL) gets {applied, skipped,
 * keys_destroyed}. */
int erasure_apply(struct node *n, const char *actor, json_t *file, json_t **summary,
                  struct muster_err *err);

/* An event as it travels to a peer: every field verify hashes (binary
 * fields in hex, body as its exact text). */
json_t *erasure_event_json(const struct store_event *ev);
/* Reads exported event e into ev (strings borrowed from e) and checks that
 * it is of type, written by another node this one trusts (nodes table), and
 * that its hash and signature hold; what names it in errors ("notice 3"). */
int erasure_event_check(struct node *n, json_t *e, const char *type, const char *what,
                        struct store_event *ev, struct muster_err *err);

/* This node's identity for a peer: {"origin", "nation", "pubkey" (hex)}. */
json_t *erasure_identity(struct node *n);
/* Records a peer's public key in the nodes table (inside ev_begin/
 * ev_commit), with one node.trusted event; MUSTER_EINVAL on a malformed
 * origin, nation or key, MUSTER_ECONFLICT when origin is this node or is
 * known with another key; the same key again changes nothing. */
int erasure_trust(struct node *n, const char *actor, const char *origin, const char *nation,
                  const char *pubkey_hex, struct muster_err *err);

#endif

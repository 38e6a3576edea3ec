/* share.h — a partner node's copy of the people it may see, with their keys.
 *
 * Node A gives node B (a node A trusts: erasure_trust) what B's nation may
 * see of one operation, by the scoping rule (core/access.h) with B's nation
 * as the caller: its own people in full, partners' people in the partner
 * view while B carries or admits them, nobody else. Each person's fields
 * travel sealed with that person's own data key, and the key travels sealed
 * to B alone (crypto_box_seal to the X25519 form of B's Ed25519 key), so the
 * bundle is useless to anyone else. With the people go the operation, the
 * points and legs B may see, and the operation's partner retention (the
 * days after the close and the close itself, once it happened), so that B's
 * retention job shreds B's copy on time.
 *
 * A's log records a share.sent event (signed like every event) naming who
 * went to which node and the BLAKE2b hash of the bundle's payload; the keys
 * themselves are never in any log. People who went to B before and may no
 * longer be seen by it (their leg changed, they declined) are named as
 * withdrawn, and B shreds them. B checks A's signature and the payload
 * hash, unseals every key before it writes anything, stores the keys under
 * its own key-encryption key and appends one share.received event, whose
 * projection holds the copy; erasure notices from A (core/erasure.h) then
 * destroy B's keys of the people A erased. docs/privacy.md, "Partner copies". */
#ifndef MUSTER_CORE_SHARE_H
#define MUSTER_CORE_SHARE_H

#include "core/node.h"
#include "util/err.h"
#include "util/progress.h"

#include <jansson.h>

/* Builds the bundle for node to_origin of operation (inside ev_begin/
 * ev_commit: appends share.sent and one read-audit row per person sent,
 * actor "node:<to_origin>"). *bundle is a new object; *summary (may be
 * NULL) {"persons", "full", "partner", "withdrawn"}. MUSTER_ENOTFOUND when
 * to_origin is not trusted here or the operation does not exist. */
int share_export(struct node *n, const char *actor, const char *to_origin, const char *operation,
                 json_t **bundle, json_t **summary, struct muster_err *err);

/* share_export reporting progress (stage "sealing": people of the operation
 * looked at, out of all of them) to progress(ctx, ...), which may be NULL. */
int share_export_progress(struct node *n, const char *actor, const char *to_origin,
                          const char *operation, muster_progress_fn progress, void *ctx,
                          json_t **bundle, json_t **summary, struct muster_err *err);

/* Applies a bundle made for this node (inside ev_begin/ev_commit). Every
 * check comes before any write: the event is a share.sent of a trusted node
 * addressed to this one, the payload matches its hash, every key unseals
 * and every person's fields authenticate; otherwise MUSTER_EINVAL,
 * MUSTER_ENOTFOUND or MUSTER_ECRYPTO and nothing changes. A bundle applied
 * before, or older than one applied for the same operation, changes
 * nothing ("skipped"). Partners' people (registered by another nation)
 * whose copy's retention ended by now_ms are not stored, and shredded if
 * held. *summary (may be NULL): {"applied", "skipped", "persons" (stored),
 * "withdrawn", "expired" (not stored), "retention_end" (ms, or null while
 * the operation is open)}. */
int share_apply(struct node *n, const char *actor, json_t *bundle, int64_t now_ms, json_t **summary,
                struct muster_err *err);

#endif

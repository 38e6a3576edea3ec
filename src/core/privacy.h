/* privacy.h — erasure of a person by crypto-shredding.
 *
 * Erasing a person destroys their data key on this node: every sealed field
 * of theirs in every event becomes unreadable, the projection row goes, and
 * the hash chain, which covers only ciphertext, still verifies. One
 * person.erased event records that it happened, by whom and why (the reason
 * is kept in clear: write why, never who), and one erasure.notice (reason
 * class "request") tells the peers that hold a copy (core/erasure.h).
 * Retention is core/retention.h; the read audit is still to come
 * (docs/privacy.md). */
#ifndef MUSTER_CORE_PRIVACY_H
#define MUSTER_CORE_PRIVACY_H

#include "core/node.h"
#include "util/err.h"

/* Erases person id (inside ev_begin/ev_commit). MUSTER_ENOTFOUND when there
 * is no such person (or they were erased already); MUSTER_EINVAL without a
 * reason. */
int privacy_erase(struct node *n, const char *actor, const char *id, const char *reason,
                  struct muster_err *err);

#endif

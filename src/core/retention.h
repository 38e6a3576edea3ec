/* retention.h — how long an operation's personal data stays, per data
 * class, and the daily job that shreds what is past it.
 *
 * The nation running an operation sets a period in days for each class
 * (one operation.retention event):
 *   registry  — people this node's nation registered (its own registry, kept
 *               as that nation's law says);
 *   partner   — people another nation registered: copies this node holds for
 *               a partner;
 *   clearance — pre-clearance decisions on the operation's legs.
 * Every period runs from the moment the operation closes (operation.updated
 * to status closed). A class without a period is kept. ret_run destroys the
 * data keys of everything past its end (crypto-shredding, as an erasure),
 * purges the projection rows, and records one retention.run event (counts
 * and classes, never the data) plus a signed erasure.notice naming the
 * shredded people, for the peers that hold copies (core/erasure.h). */
#ifndef MUSTER_CORE_RETENTION_H
#define MUSTER_CORE_RETENTION_H

#include "core/node.h"
#include "store/store.h"
#include "util/err.h"
#include "util/progress.h"

#include <jansson.h>
#include <stdint.h>

/* The data classes, in order: "registry", "partner", "clearance". */
extern const char *const ret_classes[3];

/* Sets periods of operation id (inside ev_begin/ev_commit): periods is an
 * object of registry_days, partner_days, clearance_days, each a whole number
 * of days (0 to 36500) or null (kept); classes it leaves out keep their
 * current period. nation is the caller's: only the nation running the
 * operation sets them (MUSTER_EDENIED). One operation.retention event. */
int ret_set(struct node *n, const char *actor, const char *nation, const char *id, json_t *periods,
            struct muster_err *err);

/* The retention of operation id as JSON: the periods, closed_at and, per
 * class with a period, the end (ISO-8601) once the operation closed. A new
 * reference; NULL with err when there is no such operation. */
json_t *ret_json(struct node *n, const char *id, struct muster_err *err);
/* The same from a store handle (the server's read connections). */
json_t *ret_json_store(struct store *st, const char *id, struct muster_err *err);

/* Runs the retention job at now_ms (inside ev_begin/ev_commit): every class
 * of every closed operation whose end is at or before now_ms loses its keys
 * and projection rows. Appends one retention.run event (when any closed
 * operation has a period: a node without retention work records nothing)
 * and, when people were shredded, erasure.notice events naming them (one
 * per operation and class, split every 10,000 people). *summary (may
 * be NULL) gets a new JSON object: now, purged [{operation, class, count}],
 * persons, clearances. A second run at the same time finds nothing. */
int ret_run(struct node *n, const char *actor, int64_t now_ms, json_t **summary,
            struct muster_err *err);

/* ret_run reporting progress (stage "shredding": keys destroyed of the
 * class being shredded) to progress(ctx, ...), which may be NULL. */
int ret_run_progress(struct node *n, const char *actor, int64_t now_ms, muster_progress_fn progress,
                     void *ctx, json_t **summary, struct muster_err *err);

#endif

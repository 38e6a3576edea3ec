/* clearance.h — pre-clearance decisions as events.
 *
 * The arrival country's immigration screens a leg's passengers (the
 * screening itself is src/screen/, a pure library); each passenger's answer
 * is one clearance.decided event. The names, document, reasons and watchlist
 * hits are sealed with a key of that decision (core/pii.h), so they can be
 * erased like any personal data. An officer may override a "refer" with a
 * recorded reason: one clearance.overridden event. */
#ifndef MUSTER_CORE_CLEARANCE_H
#define MUSTER_CORE_CLEARANCE_H

#include "core/node.h"
#include "screen/screen.h"
#include "travel/paxlst.h"
#include "util/buf.h"
#include "util/err.h"

/* The travel document of a PAXLST person: a passport when there is one,
 * else the first document that is not a visa (NULL: none). */
const struct paxlst_document *clearance_travel_doc(const struct paxlst_person *x);

/* Maps a PAXLST person of message m onto the screener's passenger. leg
 * (cap >= 64) receives the leg key (carrier + number of the first leg, or
 * the message's common access reference); p->leg_id points into it. */
void clearance_passenger_from_paxlst(const struct paxlst_message *m, const struct paxlst_person *x,
                                     char *leg, size_t cap, struct screen_passenger *p);

/* Appends the CUSRES answer to an interchange ic: one answer per person
 * (people[i] with results[i]), reasons as upper-case codes; msg is the
 * message whose leg and transaction are answered (NULL: none). */
int clearance_cusres(const struct paxlst_interchange *ic, const struct paxlst_message *msg,
                     const struct paxlst_person *const *people, const struct screen_result *results,
                     size_t n, struct buf *out, struct muster_err *err);

/* Records one decision (inside ev_begin/ev_commit); out_id gets its id.
 * person may be NULL (a passenger not in this registry); wl may be NULL. */
int clearance_record(struct node *n, const char *actor, const char *nation, const char *leg,
                     const char *person, const struct screen_passenger *p,
                     const struct screen_result *r, const struct screen_watchlist *wl,
                     char out_id[static 33], struct muster_err *err);

/* Overrides a "refer" decision to "cleared" or "not_cleared" with a reason
 * (inside a transaction). MUSTER_ECONFLICT when the decision is not an open
 * refer; MUSTER_EINVAL for a bad target or an empty reason. */
int clearance_override(struct node *n, const char *actor, const char *id, const char *to,
                       const char *reason, struct muster_err *err);

#endif

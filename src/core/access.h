/* access.h — the scoping rule: who may see which person, which fields, and
 * do what. Every endpoint asks here; no handler decides by itself.
 *
 * The rule (docs/access.md):
 *   - A nation sees its own people in full: those it registered and its own
 *     nationals.
 *   - A partner nation sees a person only while that person is allocated to
 *     a leg the partner operates (allocated .. departed), or is arriving in
 *     the partner's country (allocated .. arrived, and the clearance
 *     decision after it), and then only the fields needed to carry or admit
 *     them: name, sex, birth date, nationality, document, needs, priority,
 *     household link, status and leg. Never contact details or location.
 *   - A person who did not consent to sharing is never shown to a carrying
 *     partner (the planner offers them only their own nation's legs); the
 *     arrival country's immigration still sees what advance passenger
 *     information would give it.
 *   - Roles limit what a user may do: admin (everything for their nation,
 *     accounts), officer (registry and operations), field (check-in at their
 *     assembly points), immigration (clearance of arrivals into their
 *     country), liaison (read-only partner view). */
#ifndef MUSTER_CORE_ACCESS_H
#define MUSTER_CORE_ACCESS_H

#include "core/auth.h"
#include "store/store.h"

#include <stdbool.h>

enum access_view {
    VIEW_NONE = 0,    /* the person does not exist for this caller */
    VIEW_PARTNER = 1, /* the fields needed to carry or admit */
    VIEW_FULL = 2,
};

enum access_action {
    ACT_READ_REGISTRY,    /* search and read people */
    ACT_WRITE_REGISTRY,   /* register, edit, change status */
    ACT_READ_OPERATIONS,  /* operations, points, legs, ledger, forecast */
    ACT_WRITE_OPERATIONS, /* create operations, points, legs; plan */
    ACT_CHECKIN,          /* check in and walk-ins at an assembly point */
    ACT_BOARD,            /* board, depart, arrive */
    ACT_CLEARANCE,        /* pre-clearance decisions */
    ACT_MANIFEST,         /* download manifests */
    ACT_AUDIT,            /* read the audit feed */
    ACT_READ_AUDIT,       /* who read a person's data (supervisors: admin only) */
    ACT_PERSON_COPY,      /* export everything held about a person (their copy) */
    ACT_MANAGE_USERS,
};

/* How much of person p the caller sees. leg is p's allocated leg (NULL when
 * p has none or it is unknown). */
enum access_view access_person(const struct principal *who, const struct store_person *p,
                               const struct store_leg *leg);

/* Clears the fields of p that view does not allow (VIEW_NONE clears all). */
void access_redact(enum access_view view, struct store_person *p);

/* Whether an event about a person enters that person's history as the
 * caller sees it (GET /persons/{id}/history). view is the caller's view of
 * the person (access_person), type the event type, nation the nation the
 * event was written for. A full view sees every registry event; a partner
 * view only the status changes (status and leg are what it may see);
 * clearance decisions only by the nation that made them. *actor is set to
 * whether the event's actor (a user of that nation) may be shown. */
bool access_history_event(const struct principal *who, enum access_view view, const char *type,
                          const char *nation, bool *actor);

/* True when the caller's role allows the action at all. */
bool access_may(const struct principal *who, enum access_action act);

/* True when a field officer is assigned to the point (other roles: true). */
bool access_at_point(const struct principal *who, const char *point);

/* True when the caller may see a leg: its operation is theirs or the leg
 * is operated by, carries, or flies to their nation. */
bool access_leg(const struct principal *who, const struct store_leg *leg,
                const struct store_operation *op);

/* True when the caller may see a row of the reciprocity ledger: its nation
 * is the carrier or the nationality carried. */
bool access_ledger_row(const struct principal *who, const char *carrier, const char *nationality);

#endif

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
#include "util/err.h"

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

/* True when a field officer is assigned to the point (other roles: true;
 * a field officer and a NULL point: false). */
bool access_at_point(const struct principal *who, const char *point);

/* True when the caller's nation takes part in operation o: it runs it or is
 * one of its partners. An operation the caller does not take part in does
 * not exist for them (404), nor anything under it. Taking part is enough to
 * read the operation (ACT_READ_OPERATIONS), to register the nation's own
 * households in it (ACT_WRITE_REGISTRY) and to offer the nation's own legs
 * and set its own fare policy (ACT_WRITE_OPERATIONS). */
bool access_operation_view(const struct principal *who, const struct store_operation *o);

/* Whether the caller may change operation o itself: edit it, add or edit
 * its assembly points, set its retention, plan it. 0 when the role may
 * (ACT_WRITE_OPERATIONS) and the caller's nation runs it; MUSTER_EDENIED
 * (the role, or a partner) or MUSTER_ENOTFOUND (not taking part), with
 * err set, otherwise. */
int access_operation_manage(const struct principal *who, const struct store_operation *o,
                            struct muster_err *err);

/* Whether the caller may see planning job results of operation o (GET, accept
 * or discard /jobs/{job}): those who may plan it (access_operation_manage).
 * A plan lists every nation's households. */
int access_job_view(const struct principal *who, const struct store_operation *o,
                    struct muster_err *err);

/* True when the caller may see a leg: its operation is theirs or the leg
 * is operated by, carries, or flies to their nation. */
bool access_leg(const struct principal *who, const struct store_leg *leg,
                const struct store_operation *op);

/* True when the caller may see a row of the reciprocity ledger: its nation
 * is the carrier or the nationality carried. */
bool access_ledger_row(const struct principal *who, const char *carrier, const char *nationality);

/* Whether the caller may cancel a leg: the role may (ACT_WRITE_OPERATIONS)
 * and the caller's nation operates the leg. MUSTER_EDENIED for the role,
 * MUSTER_ENOTFOUND for anybody else's leg. */
int access_leg_manage(const struct principal *who, const struct store_leg *leg,
                      struct muster_err *err);

/* Whether the caller may screen and list the clearance of a leg: the role
 * may (ACT_CLEARANCE) and the leg arrives in the caller's country.
 * MUSTER_EDENIED for the role, MUSTER_ENOTFOUND otherwise. */
int access_clearance_leg(const struct principal *who, const struct store_leg *leg,
                         struct muster_err *err);

/* True when the caller may see (and override) a clearance decision made
 * for nation: its own nation's decisions only. */
bool access_clearance_decision(const struct principal *who, const char *nation);

/* Whether the caller may edit, move to another household or erase person p
 * (as loaded through the scoping rule): the role may (ACT_WRITE_REGISTRY)
 * and the caller's nation registered p. MUSTER_EDENIED otherwise. */
int access_person_edit(const struct principal *who, const struct store_person *p,
                       struct muster_err *err);

/* Whether the caller may delete household h (DELETE /households/{id}): the
 * role may (ACT_WRITE_REGISTRY), else MUSTER_EDENIED, and the caller's nation
 * registered h; another nation's household is MUSTER_ENOTFOUND, as if none. */
int access_household_edit(const struct principal *who, const struct store_household *h,
                          struct muster_err *err);

/* Whether the caller may export person p's copy (GET /persons/{id}/copy):
 * the role may (ACT_PERSON_COPY) and the caller's nation registered p. */
int access_person_copy(const struct principal *who, const struct store_person *p,
                       struct muster_err *err);

/* Whether the caller may read who saw person p, whom it sees in view v:
 * the role may (ACT_READ_AUDIT) and v is VIEW_FULL. */
int access_person_reads(const struct principal *who, enum access_view v,
                        const struct store_person *p, struct muster_err *err);

/* The action a status change to status to needs: ACT_BOARD for boarded and
 * departed, ACT_CLEARANCE for arrived, cleared and refused_entry,
 * ACT_WRITE_REGISTRY for the rest (allocations, notices, check-in by hand,
 * declines, no-shows, back to registered). */
enum access_action access_status_action(const char *to);

/* Whether the caller may move person p (as stored or as loaded, with leg
 * their current leg or NULL) to status to. The role must allow
 * access_status_action(to), and the caller must see p (else
 * MUSTER_ENOTFOUND); then, by kind of change (MUSTER_EDENIED otherwise):
 *   - board (boarded, departed): p is on a leg; the caller's nation is p's
 *     own (full view) or operates the leg; a field officer must be assigned
 *     to the leg's assembly point;
 *   - admit (arrived, cleared, refused_entry): p is on a leg arriving in
 *     the caller's country; for arrived, the caller's nation may also be
 *     p's own (full view);
 *   - registry (the rest): the caller sees p in full.
 * Whether the leg given with an allocation fits p (operation, consent,
 * nationalities, seats) is the registry's rule: reg_set_status_checked. */
int access_status_change(const struct principal *who, const struct store_person *p,
                         const struct store_leg *leg, const char *to, struct muster_err *err);

/* True when an event written for nation enters the caller's audit feed
 * (GET /events; the role must allow ACT_AUDIT): the caller's nation's own
 * events only. */
bool access_event_visible(const struct principal *who, const char *nation);

#endif

/* registry.h — people and households: the rules of the registry.
 *
 * A household is the people who must travel together (it may mix
 * nationalities). A person carries passport-style identity, contact,
 * location, needs, a priority class and a status. Registering a household is
 * one event (household.registered) whose members' personal fields are sealed
 * with each member's own key (core/pii.h); status changes are person.status
 * events, accepted only along the allowed transitions. */
#ifndef MUSTER_CORE_REGISTRY_H
#define MUSTER_CORE_REGISTRY_H

#include "core/node.h"
#include "core/pii.h"
#include "store/store.h"
#include "util/err.h"

#include <stdbool.h>
#include <stdint.h>

enum reg_need {
    NEED_STRETCHER = 1,
    NEED_ASSISTED = 2,
    NEED_PREGNANT = 4,
    NEED_UNACCOMPANIED_MINOR = 8,
};

/* A person as given to the registry; every string is borrowed and may be
 * NULL or "" when unknown, except nationality, surname and given_names
 * (given_names may be "" for people with one name). */
struct reg_person {
    const char *nationality;           /* ISO 3166-1 alpha-3 as in the MRZ (D for Germany too) */
    const char *surname, *given_names; /* Latin, as in the passport */
    const char *native_name;           /* UTF-8, optional */
    const char *sex;                   /* M, F or X */
    const char *birth_date;            /* YYYY-MM-DD */
    const char *doc_type;              /* P passport, I identity card, E emergency document */
    const char *doc_number, *doc_state, *doc_expiry;
    const char *phone, *email, *address;
    double lat, lon;               /* NAN when unknown */
    int needs;                     /* enum reg_need bits */
    const char *priority_override; /* critical|vulnerable|standard or NULL */
    bool consent;                  /* may be shared with partner nations */
};

/* Checks one person; err names the first bad field. today is a Unix time. */
int reg_validate(const struct reg_person *p, int64_t today, struct muster_err *err);

/* The priority class from needs and age on the given day: "critical" for a
 * stretcher case; "vulnerable" for assisted, pregnant, unaccompanied minors,
 * children under 5 and people 75 or older; "standard" otherwise. */
const char *reg_priority(int needs, const char *birth_date, int64_t today);

/* Parses "stretcher;assisted;pregnant;unaccompanied_minor" (any order, ';' or
 * ',' separated, "" = none) into bits; returns -1 on an unknown need. */
int reg_parse_needs(const char *s);

/* Registers a household of count people in an operation for a registering
 * nation (NULL: the node's), inside ev_begin/ev_commit. Every person is
 * validated first. Fills out_household (33 bytes) if not NULL. */
int reg_register_household(struct node *n, const char *actor, const char *nation,
                           const char *operation, const struct reg_person *people, int count,
                           char out_household[static 33], struct muster_err *err);

/* The same as registered on the day today (Unix seconds): ages, and so the
 * priority classes, are counted to that day (the scenario generator's
 * registrations happen on a day derived from its --start, not the clock). */
int reg_register_household_at(struct node *n, const char *actor, const char *nation,
                              const char *operation, const struct reg_person *people, int count,
                              int64_t today, char out_household[static 33], struct muster_err *err);

/* reg_register_household in two steps, for bulk imports: the build makes
 * ids, data keys, sealed fields, the event body (canonical text, written
 * directly: an import's cost was mostly jansson's allocations) and the rows
 * of the projection, without the store (any thread); the put stores the
 * keys, appends the event and writes those rows inside the transaction.
 * The rows point into people's strings, which must outlive the put. */
struct reg_built_member {
    char id[33];
    uint8_t wrapped[PII_WRAPPED];
    struct store_person row; /* the projection's row, in clear */
};
struct reg_built {
    char id[33];
    const char *operation;
    int count;
    struct reg_built_member *members;
    char *body; /* the household.registered body: canonical JSON, malloc'd */
    size_t body_len;
};
/* Validates and builds a household of count people (today: time_now()).
 * On failure nothing is left to free. */
int reg_build_household(const struct node *n, const char *operation,
                        const struct reg_person *people, int count, int64_t today,
                        struct reg_built *out, struct muster_err *err);
/* Stores b's keys, appends ev (whose body is b's, taken by ev_prepare_text)
 * and writes b's rows; frees ev->body in every case. */
int reg_put_household(struct node *n, struct reg_built *b, struct store_event *ev,
                      struct muster_err *err);
/* The sealed fields of p as canonical JSON text (malloc'd, *len set), as
 * reg_fields_json would give them through util/jcanon.h; NULL when a field
 * is not valid UTF-8. reg_fields_json: the same as a JSON object. */
char *reg_fields_text(const struct reg_person *p, int64_t today, size_t *len);
json_t *reg_fields_json(const struct reg_person *p, int64_t today);
void reg_built_free(struct reg_built *b);

/* Replaces the personal fields of person id with p (a whole person: the
 * caller merges the changes into the current fields first) and its consent:
 * one person.updated event, sealed like a registration. The household,
 * status and leg do not change. */
int reg_update_person(struct node *n, const char *actor, const char *id, const struct reg_person *p,
                      struct muster_err *err);

/* Moves person id into household to (an existing household of the same
 * operation and registering nation), or into a new household of their own
 * when to is NULL; out_household gets the household. One person.moved
 * event. Only people not yet on a leg move. */
int reg_move_person(struct node *n, const char *actor, const char *id, const char *to,
                    char out_household[static 33], struct muster_err *err);

/* Deletes household id when nobody is in it any more (everyone moved out or
 * was erased): one household.deleted event. MUSTER_ECONFLICT, with the
 * reason, while people are in it. */
int reg_delete_household(struct node *n, const char *actor, const char *id, struct muster_err *err);

/* The person statuses, in pipeline order, then the side exits. */
extern const char *const reg_statuses[];
/* True when a person may move from status from to status to. */
bool reg_transition_allowed(const char *from, const char *to);
/* Moves a person to status to (with leg for allocations; NULL keeps the
 * current leg, "" clears it; reason optional), checking the transition
 * against the current status. One event. */
int reg_set_status(struct node *n, const char *actor, const char *person, const char *to,
                   const char *leg, const char *reason, struct muster_err *err);
/* reg_set_status for a person whose row the caller read in this
 * transaction (now), saving the store a second read. */
int reg_set_status_of(struct node *n, const char *actor, const struct store_person *now,
                      const char *to, const char *leg, const char *reason, struct muster_err *err);
/* reg_set_status for a change made by hand (the API's status changes; the
 * planner checks its own plan as a whole). A leg given (not NULL, not "")
 * must exist and be of the person's operation (MUSTER_EINVAL), and for a
 * status that holds a seat (allocated .. departed) not be cancelled, carry
 * the person's nationality and, when the person did not consent to
 * sharing, be operated by the nation that registered them
 * (MUSTER_ECONFLICT). When the person takes a seat on a leg they did not
 * hold one on, a seat must be free (a stretcher slot for a stretcher
 * case), counted by the store's leg_load inside the write transaction:
 * writers are serialised, so two changes cannot take the same last seat. */
int reg_set_status_checked(struct node *n, const char *actor, const char *person, const char *to,
                           const char *leg, const char *reason, struct muster_err *err);

/* Makes a new id: "<prefix>_" (prefix up to 4 chars) + 10 base32 chars of the
 * current time in ms + 16 random base32 chars, so ids sort by creation. */
void reg_new_id(const char *prefix, char out[static 33]);

#endif

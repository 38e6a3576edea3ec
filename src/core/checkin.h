/* checkin.h — who is this passport, and may they check in here?
 *
 * A field officer's desk reads the MRZ (or types a document number). The
 * person is found by exact document number first, then (a new or renewed
 * passport) by name and birth date from the MRZ: the names are compared in
 * their MRZ form (case, separators, accents; a name the MRZ cut at the end
 * of its field still matches), and several matches are "ambiguous" rather
 * than a guess. A person the caller may not see is "not found". The
 * answer is a decision with a reason a person can act on: the document is
 * unreadable or expired, the person is not allocated, or allocated to a leg
 * that leaves from another assembly point, or already checked in. */
#ifndef MUSTER_CORE_CHECKIN_H
#define MUSTER_CORE_CHECKIN_H

#include "core/access.h"
#include "core/node.h"
#include "store/store.h"
#include "travel/mrz.h"
#include "util/arena.h"
#include "util/err.h"

#include <stdbool.h>

enum checkin_outcome {
    CHECKIN_OK,
    CHECKIN_BAD_DOCUMENT,  /* the MRZ does not read or a check digit fails */
    CHECKIN_NOT_FOUND,     /* nobody the caller may see carries this document */
    CHECKIN_EXPIRED,       /* the travel document has expired */
    CHECKIN_NOT_ALLOCATED, /* registered but without a seat yet */
    CHECKIN_WRONG_POINT,   /* allocated to a leg leaving from another point */
    CHECKIN_ALREADY,       /* already checked in (or further) */
    CHECKIN_NOT_ELIGIBLE,  /* declined, refused entry, ... */
    CHECKIN_AMBIGUOUS,     /* a new document, and several people have its name and birth date */
};

struct checkin_result {
    enum checkin_outcome outcome;
    char reason[300];
    struct store_person person; /* when found (strings in the arena) */
    enum access_view view;
    struct store_leg leg; /* when allocated */
    bool has_leg;
    struct mrz_doc doc; /* when an MRZ was given */
    bool has_doc;
};

/* The name of an outcome, e.g. "wrong_point". */
const char *checkin_outcome_name(enum checkin_outcome o);

/* Decides a check-in at point for the text a scanner typed (mrz, may be
 * NULL) or a document number (may be NULL). today is Unix time. Returns 0
 * with res filled (res->outcome says the decision), or a negative status
 * when the store failed. */
int checkin_decide(struct store *st, const struct principal *who, const char *operation,
                   const char *point, const char *mrz, const char *doc_number, int64_t today,
                   struct arena *a, struct checkin_result *res, struct muster_err *err);

/* Writes the check-in res decided (outcome CHECKIN_OK) inside the caller's
 * write transaction, after reading the person again: when their status or
 * leg is no longer what the decision saw (a plan ran, another desk checked
 * them in), nothing is written and MUSTER_ECONFLICT says what changed. Either
 * way *now is the person as they are after the call (strings in a); now->id
 * is NULL when they could not be read back. Returns 0 or a negative status. */
int checkin_record(struct node *n, const char *actor, const struct checkin_result *res,
                   struct store_person *now, struct arena *a, struct muster_err *err);

#endif

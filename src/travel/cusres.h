/* cusres.h — UN/EDIFACT CUSRES: the arrival country's answer per passenger
 * to a PAXLST in an interactive API exchange (pre-clearance).
 *
 * The pre-clearance screener parses an incoming PAXLST (paxlst_parse), decides
 * per person, fills a struct cusres_response and calls cusres_build(); the
 * carrier side reads it back with cusres_parse(). Layout written and read
 * (modelled on the U.S. CBP interactive API CUSRES; the status codes and the
 * identification segments inside ERP are muster's choice, documented in
 * docs/paxlst.md, not taken from a guide that was read):
 *
 *   UNA UNB [UNG]
 *   UNH+<ref>+CUSRES:D:<rel>:UN:IATA  BGM+962  [RFF+TN:<PAXLST transaction>]
 *   [TDT+20+<flight>+++<carrier> LOC+125 DTM+189 LOC+87 DTM+232]
 *   per person:  ERP+2  [RFF+ABO:<passenger ref>]  [RFF+AVF:<reservation>]
 *                [NAD+FL|FM+++<surname>:<given names>]  [DOC+<type>+<number>]
 *                ERC+<status>  {FTX+AAP+++<reason>:<reason>:...}   (5 reasons per FTX)
 *   UNT [UNE] UNZ
 *
 * Status codes (ERC 9321): "0Z" cleared, "2Z" refer to an officer on arrival,
 * "1Z" not cleared. Reason codes are free tokens chosen by the screener
 * (e.g. "WATCHLIST", "DOC_EXPIRED"); they must not be empty. */
#ifndef MUSTER_TRAVEL_CUSRES_H
#define MUSTER_TRAVEL_CUSRES_H

#include "travel/edifact.h"
#include "travel/paxlst.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

enum cusres_status {
    CUSRES_CLEARED = 0,     /* ERC+0Z: fast lane on arrival */
    CUSRES_REFER = 1,       /* ERC+2Z: see an officer on arrival */
    CUSRES_NOT_CLEARED = 2, /* ERC+1Z: not admitted as things stand */
};

/* The answer about one person. */
struct cusres_answer {
    const char *passenger_ref;   /* RFF+ABO, as in the PAXLST (preferred key) */
    const char *reservation_ref; /* RFF+AVF */
    enum paxlst_role role;       /* NAD+FL or NAD+FM (written only with a surname) */
    const char *surname;         /* NAD C080 1 (optional; helps when no reference) */
    const char *given_names;     /* NAD C080 2 */
    const char *document_type;   /* DOC 1001 */
    const char *document_number; /* DOC 1004 */
    enum cusres_status status;   /* ERC */
    const char **reasons;        /* FTX+AAP components, in order */
    size_t nreasons;
    unsigned segment; /* parse: the ERP's segment number */
};

/* One response. Build: filled by the caller, strings stay the caller's.
 * Parse: zero it first; everything then lives in `arena` (cusres_free). */
struct cusres_response {
    const char *sender, *recipient;  /* UNB (required to build) */
    const char *control_ref;         /* UNB 0020 (required, 1-14 characters) */
    struct paxlst_datetime prepared; /* UNB date/time (required, 2000-2099) */
    const char *message_ref;         /* UNH 0062, default "1" */
    const char *transaction_ref;     /* RFF+TN: the answered PAXLST's transaction or
                                        interchange reference */
    struct paxlst_leg leg;           /* the flight answered; carrier NULL and number
                                        NULL = no TDT group */
    struct cusres_answer *answers;
    size_t nanswers;
    /* parse only */
    struct edi_diag *diags;
    size_t ndiags, nerrors;
    struct arena arena;
};

/* Appends the response as an interchange to out (release D:15B, with UNG).
 * Returns 0, or MUSTER_EINVAL with err set (a required field missing, an
 * empty reason); out is then unchanged. */
int cusres_build(const struct cusres_response *r, struct buf *out, struct muster_err *err);

/* Parses an interchange holding one or more CUSRES messages; the header and
 * the leg come from the first, the answers from all. Returns 0 when it could
 * be read (check nerrors), or MUSTER_EINVAL when unusable. The caller calls
 * cusres_free(out) in both cases. */
int cusres_parse(const char *data, size_t len, struct cusres_response *out, struct muster_err *err);

/* Starts the answer to a parsed PAXLST: *r (zeroed by the caller) gets the
 * sender and recipient swapped, control_ref, prepared (both given), the
 * transaction reference (RFF+TN, else the interchange's control reference),
 * the first leg, and one answer per person of every PAXLST message (passenger
 * reference, reservation, role, names, first document), status CUSRES_CLEARED
 * and no reasons: the screener then sets status and reasons. Everything is
 * copied into r->arena (cusres_free releases it), so ic may be freed first.
 * Returns 0, or MUSTER_EINVAL when ic has no person. */
int cusres_prepare(const struct paxlst_interchange *ic, const char *control_ref,
                   struct paxlst_datetime prepared, struct cusres_response *r,
                   struct muster_err *err);

/* Releases what cusres_parse or cusres_prepare allocated; out is zeroed. */
void cusres_free(struct cusres_response *r);

/* "cleared", "refer" or "not_cleared". */
const char *cusres_status_name(enum cusres_status s);

/* Appends the response as one line of JSON:
 * {"interchange":{...},"message_ref":..,"transaction_ref":..,"flight":{...}|null,
 *  "answers":[{"passenger_ref":..,"status":"cleared",...,"reasons":[...]}],"warnings":[...]} */
void cusres_to_json(const struct cusres_response *r, struct buf *out);

#endif

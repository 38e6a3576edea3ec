/* paxlst.h — UN/EDIFACT PAXLST passenger and crew lists (Advance Passenger
 * Information, WCO/IATA/ICAO PAXLST Implementation Guide, air and sea mode).
 *
 * Two directions over the same structures:
 *  - paxlst_parse() reads any conforming interchange (syntax 3 or 4, with or
 *    without UNA/UNG, releases D02B..D15B) into a struct paxlst_interchange.
 *    Every string and array it hands out lives in the interchange's arena
 *    (one per parse; the strings are cut out of one copy of the input kept
 *    there, paxlst_parse_inplace() cuts them out of the caller's buffer
 *    instead); paxlst_free() releases all of it at once. Strings are
 *    NUL-terminated, release characters removed; a field the message does not
 *    carry is NULL (a string) or has year 0 (a date). Problems, and segments
 *    the reader does not use (agency-specific additions such as MEA, GEI,
 *    FTX), become diagnostics in `diags`; parsing goes on past them.
 *  - paxlst_build() writes one leg's manifest, filled by the caller (the
 *    server fills it from its own data; the strings stay the caller's), as a
 *    complete interchange: UNA, UNB, UNG, one or more UNH..UNT messages
 *    (passenger list BGM+745, crew list BGM+250, each split into parts of at
 *    most max_per_message people), UNE, UNZ.
 * paxlst_to_json() gives the JSON that `muster paxlst parse` prints, and
 * paxlst_from_json() reads it back (what `muster paxlst build` does, then
 * paxlst_write()). docs/paxlst.md maps every field to its segment. No global
 * state: any number of parses and builds may run at once in different threads.
 *
 * Segment layout written and read (air guide; sea mode uses TDT mode "1"):
 *   UNH  BGM  [RFF+TN]  [NAD+MS COM]  {TDT LOC DTM LOC DTM}
 *   {NAD+FL|FM|DDU|DDT  ATT DTM+329 LOC* EMP NAT RFF*  {DOC DTM+36 DTM+182 LOC+91}}
 *   CNT  UNT */
#ifndef MUSTER_TRAVEL_PAXLST_H
#define MUSTER_TRAVEL_PAXLST_H

#include "travel/edifact.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>

/* A calendar date; year == 0 means "not given". */
struct paxlst_date {
    int year, month, day;
};

/* A local date and time at a port (EDIFACT carries no zone); year == 0 means
 * "not given"; has_time false means only the date is known. */
struct paxlst_datetime {
    int year, month, day, hour, minute;
    bool has_time;
};

enum paxlst_role {
    PAXLST_PASSENGER = 0, /* NAD+FL (NAD+DDU when in transit) */
    PAXLST_CREW = 1,      /* NAD+FM (NAD+DDT when in transit) */
};

/* A travel document: DOC group (DOC, DTM+36, DTM+182, LOC+91). */
struct paxlst_document {
    const char *type;          /* DOC 1001: "P" passport, "V" visa, "I" "A" "C" identity
                                  cards, "AC" crew certificate, "IP" passport card, "T"
                                  refugee travel document, "F" other approved document */
    const char *number;        /* DOC 1004 */
    const char *issuing_state; /* LOC+91, ISO 3166 / ICAO 3-letter code */
    struct paxlst_date expiry; /* DTM+36 */
    struct paxlst_date issued; /* DTM+182 */
};

/* A postal address: NAD elements 5-9 (C059 street, 3164 city, C819 region,
 * 3251 postcode, 3207 country). */
struct paxlst_address {
    const char *street, *city, *region, *postcode, *country;
};

/* One person: NAD group 4 with its documents. Strings are bytes (UTF-8 is
 * written under UNOW); no length limit is applied (most guides allow an..35
 * per name component): a receiver's limits are the caller's to apply. */
struct paxlst_person {
    enum paxlst_role role;
    bool in_transit;               /* NAD+DDU / NAD+DDT */
    const char *surname;           /* NAD C080 component 1 (required) */
    const char *given_names;       /* read: C080 components 2 and 3 joined by one space;
                                      written whole as component 2 */
    const char *sex;               /* ATT+2: "M", "F", "X" or "U" */
    struct paxlst_date birth_date; /* DTM+329 */
    const char *nationality;       /* NAT+2, 3-letter code */
    const char *birth_place;       /* LOC+180 C517 location name */
    const char *birth_country;     /* LOC+180 C517 location code (3-letter country) */
    const char *residence_country; /* LOC+174 */
    struct paxlst_address address;
    const char *clearance_place; /* LOC+22: first port of arrival / clearance */
    const char *embarkation;     /* LOC+178 */
    const char *debarkation;     /* LOC+179 */
    const char *reservation_ref; /* RFF+AVF (PNR locator) */
    const char *passenger_ref;   /* RFF+ABO (unique passenger reference; CUSRES answers
                                    name it) */
    const char *seat;            /* RFF+SEA */
    const char *crew_function;   /* EMP+1 C948 code: CR1 cockpit, CR2 cabin, ... */
    struct paxlst_document *documents;
    size_t ndocuments;
    unsigned segment; /* parse: the NAD's segment number; build: ignored */
    size_t offset;    /* parse: the NAD's byte offset; build: ignored */
};

/* One transport leg: TDT group 2 with its LOC/DTM group 3. */
struct paxlst_leg {
    const char *carrier;              /* TDT C040 3127 (airline or ship operator code) */
    const char *number;               /* flight or voyage number. Written: after the carrier
                                         code in TDT 8028 when it starts with a digit
                                         (KE + 9051 = KE9051), else as it is. Read: 8028
                                         without the carrier prefix when a digit follows it;
                                         without C040, "OK688" gives carrier OK, number 688 */
    const char *transport_mode;       /* TDT C220 8067: "4" air, "1" sea, NULL not given */
    const char *departure_place;      /* LOC+125 (LOC+92 on progressive legs) */
    struct paxlst_datetime departure; /* DTM+189 */
    const char *arrival_place;        /* LOC+87 (LOC+92 on progressive legs) */
    struct paxlst_datetime arrival;   /* DTM+232 */
    bool progressive;                 /* places written as LOC+92 */
};

/* The reporting party: NAD+MS and its COM. */
struct paxlst_party {
    const char *name;  /* NAD C080, components joined by a space */
    const char *id;    /* NAD C082 party identifier */
    const char *phone; /* COM ...:TE */
    const char *fax;   /* COM ...:FX */
    const char *email; /* COM ...:EM */
};

/* One UNH..UNT message. */
struct paxlst_message {
    const char *message_ref;       /* UNH 0062 */
    const char *release;           /* UNH S009 version:release, e.g. "D:15B" */
    const char *common_access_ref; /* UNH 0068 (often flight/date/time) */
    int part;                      /* UNH S010 0070 part number, 0 when not split */
    char part_flag;                /* S010 0073: 'C' first part, 'F' final part, 0 */
    const char *document_code;     /* BGM 1001: "745" passenger list, "250" crew list */
    const char *document_id;       /* BGM 1004 */
    const char *transaction_ref;   /* RFF+TN */
    struct paxlst_party reporting;
    struct paxlst_leg *legs;
    size_t nlegs;
    struct paxlst_person *people;
    size_t npeople;
    long declared_passengers; /* CNT+42, -1 when absent */
    long declared_crew;       /* CNT+41, -1 when absent */
    unsigned segment;         /* parse: the UNH's segment number */
    size_t offset;            /* parse: the UNH's byte offset */
    unsigned cnt_segment;     /* parse: the CNT's segment number, 0 when none */
    size_t cnt_offset;        /* parse: the CNT's byte offset */
};

/* A parsed interchange. Zero it before paxlst_parse/paxlst_from_json. */
struct paxlst_interchange {
    const char *syntax_id;           /* UNB S001 0001, e.g. "UNOA" */
    int syntax_version;              /* UNB S001 0002: 3 or 4 */
    const char *sender;              /* UNB S002 0004 */
    const char *recipient;           /* UNB S003 0010 */
    struct paxlst_datetime prepared; /* UNB S004 */
    const char *control_ref;         /* UNB 0020 */
    const char *application_ref;     /* UNB 0026 (e.g. "APIS") */
    struct paxlst_message *messages;
    size_t nmessages;
    struct edi_diag *diags; /* every problem, in input order */
    size_t ndiags;
    size_t nerrors;     /* diagnostics of severity EDI_ERROR */
    size_t ndropped;    /* diagnostics beyond EDI_MAX_DIAGS, not kept */
    struct arena arena; /* owns every pointer above */
};

/* Parses data[0..len) (the bytes need not be NUL-terminated and must stay
 * alive only during the call: the parse works on one copy of them kept in the
 * arena, and every string of *out points into that copy). Returns 0 when the input could be read as
 * EDIFACT (check out->nerrors for conformance), or MUSTER_EINVAL when it is
 * unusable (err says why; out may still hold diagnostics). Either way the
 * caller calls paxlst_free(out). Messages of another type (UNH not PAXLST)
 * are skipped with a diagnostic. */
int paxlst_parse(const char *data, size_t len, struct paxlst_interchange *out,
                 struct muster_err *err);

/* The zero-copy form of paxlst_parse: data (len bytes plus one more byte
 * after them, e.g. the NUL that cli_read_file adds) is read and cut in place,
 * and the strings of *out point into it, so data must stay alive and
 * unchanged until paxlst_free(out); its bytes are changed by the parse. The
 * arena then holds only the arrays. Same results otherwise. */
int paxlst_parse_inplace(char *data, size_t len, struct paxlst_interchange *out,
                         struct muster_err *err);

/* Releases everything a parse (or paxlst_from_json) allocated; out is zeroed. */
void paxlst_free(struct paxlst_interchange *ic);

/* One leg's manifest as the server fills it for paxlst_build(). Strings and
 * arrays belong to the caller and are only read. */
struct paxlst_manifest {
    const char *sender;              /* UNB/UNG sender (required, an..35) */
    const char *recipient;           /* UNB/UNG recipient (required, an..35) */
    const char *control_ref;         /* UNB 0020 (required, an..14, unique per sender) */
    struct paxlst_datetime prepared; /* UNB date/time of preparation (required) */
    const char *transaction_ref;     /* RFF+TN, optional */
    struct paxlst_party reporting;   /* NAD+MS, optional (name or id) */
    const struct paxlst_leg *legs;   /* at least one */
    size_t nlegs;
    const struct paxlst_person *people; /* passengers and crew, any order */
    size_t npeople;
};

struct paxlst_build_options {
    const char *release;    /* UNH/UNG release, default "15B" (written "D:15B") */
    size_t max_per_message; /* people per message before splitting, default 500 */
    bool no_group;          /* leave out UNG/UNE */
};

/* Appends the manifest as an interchange to out: passengers in BGM+745
 * messages, crew in BGM+250 messages, each list split into parts
 * (UNH S010 01:C, 02, ..., NN:F) when longer than max_per_message, every part
 * repeating the header and legs and carrying the list's total in CNT. The
 * repertoire in UNB is the smallest that holds the data: UNOA (upper case),
 * UNOB (printable ASCII) or UNOW (UTF-8). opt may be NULL. Returns 0, or
 * MUSTER_EINVAL with err set (a required field missing); out is then
 * unchanged. */
int paxlst_build(const struct paxlst_manifest *m, const struct paxlst_build_options *opt,
                 struct buf *out, struct muster_err *err);

/* Appends exactly the messages of ic (their refs, parts and counts as given;
 * a CNT of -1 is replaced by the message's own count) as an interchange to
 * out. What `muster paxlst build` uses after paxlst_from_json. */
int paxlst_write(const struct paxlst_interchange *ic, const struct paxlst_build_options *opt,
                 struct buf *out, struct muster_err *err);

/* Appends the JSON documented in docs/paxlst.md (one line, no newline) to out. */
void paxlst_to_json(const struct paxlst_interchange *ic, struct buf *out);

/* Appends the diagnostics as comma-separated JSON objects (the items of
 * "warnings": code, severity, segment, tag, element, component, offset, message). */
void paxlst_diags_to_json(const struct edi_diag *d, size_t n, struct buf *out);

/* Reads that JSON into *out (zeroed by the caller; strings in out->arena).
 * Returns 0, or MUSTER_EINVAL with err naming the bad field. The caller calls
 * paxlst_free(out) in both cases. */
int paxlst_from_json(const char *json, size_t len, struct paxlst_interchange *out,
                     struct muster_err *err);

/* The two-digit-year rule the reader uses: the full year of a YYMMDD date of
 * birth, given the reference year (departure or preparation): 20yy unless
 * that is after the reference year, else 19yy. */
int paxlst_birth_century(int yy, int ref_year);

#endif

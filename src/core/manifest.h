/* manifest.h — one leg's passenger manifest as CSV, PDF and UN/EDIFACT PAXLST.
 *
 * The server (or a command) fills a struct manifest from its own data and
 * asks for one of three renderings; this module does no database access, no
 * HTTP and no file I/O (the PDF's optional CJK font is the one exception: it
 * is read from the path the caller names). Every string in the input is
 * borrowed UTF-8 and only read; the output is appended to a caller-owned
 * struct buf.
 *
 *  - manifest_csv():    RFC 4180 text, a header row and one row per passenger
 *                       (columns in docs/manifests.md).
 *  - manifest_pdf():    A4 landscape for the crew (libharu): the leg header on
 *                       every page, a numbered passenger table, "page i of n",
 *                       and at the end the seats used/free and the totals by
 *                       priority, by need and by nationality.
 *  - manifest_paxlst(): an advance passenger information interchange built
 *                       with travel/paxlst.h, one NAD group per passenger.
 *
 * Passengers are written in the order given (the caller sorts; keeping a
 * household's members together is the caller's choice). */
#ifndef MUSTER_CORE_MANIFEST_H
#define MUSTER_CORE_MANIFEST_H

#include "util/buf.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The needs bits (the same values as enum reg_need in core/registry.h). */
enum manifest_need {
    MANIFEST_NEED_STRETCHER = 1, /* travels on a stretcher slot, not a seat */
    MANIFEST_NEED_ASSISTED = 2,
    MANIFEST_NEED_PREGNANT = 4,
    MANIFEST_NEED_UNACCOMPANIED_MINOR = 8,
    MANIFEST_NEED_ALL = 15,
};

/* One passenger. Every string may be NULL or "" (unknown) except surname.
 * sex is "M", "F" or "X"; dates are "YYYY-MM-DD"; nationality and doc_state
 * are ICAO 3-letter codes; priority is "critical", "vulnerable" or
 * "standard" (NULL counts as "standard"); needs holds enum manifest_need
 * bits. native_name is the name in its own script (e.g. 山田 太郎). */
struct manifest_passenger {
    const char *person_id, *household, *surname, *given_names, *native_name, *sex, *birth_date,
        *nationality, *doc_type, *doc_number, *doc_state, *doc_expiry, *priority, *status;
    int needs;
};

/* One leg. leg_id and kind ("aircraft", "ship" or "bus") are required, and
 * departs (Unix seconds, > 0); arrives may be 0 (unknown). flight_number may
 * be NULL: manifest_flight_number() derives one. point_code and
 * destination_code are the place codes PAXLST carries (IATA or UN/LOCODE);
 * when NULL the names are used. seats and stretchers are the leg's capacity
 * for this sortie (>= 0). generated_by / generated_at (Unix seconds) say who
 * produced the manifest and when; manifest_paxlst() requires generated_at. */
struct manifest {
    const char *leg_id, *operation_name, *operator_nation, *kind, *vehicle, *flight_number,
        *point_name, *point_code, *destination, *destination_code, *destination_country;
    int64_t departs, arrives;
    int64_t seats, stretchers;
    const struct manifest_passenger *pax;
    size_t npax;
    const char *generated_by;
    int64_t generated_at;
};

/* Checks a manifest before any rendering: returns 0, or MUSTER_EINVAL with
 * err naming the first bad field (for a passenger: its index and person_id).
 * Every function below calls it first. */
int manifest_check(const struct manifest *m, struct muster_err *err);

/* Writes the flight (or voyage, or bus) number into out (cap >= 24): the
 * caller's flight_number when set, else "<operator_nation><NNNN>" where NNNN
 * are four digits taken from a hash of leg_id (e.g. "KOR4821"; "EVAC" stands
 * in for a missing operator nation). Deterministic for a given leg. */
void manifest_flight_number(const struct manifest *m, char *out, size_t cap);

/* Seats and stretcher slots in use: a passenger with the stretcher need
 * takes a stretcher slot, every other passenger a seat (the planner's rule). */
struct manifest_load {
    int64_t seats_used, seats_free, stretchers_used, stretchers_free; /* free < 0: over */
};
void manifest_load(const struct manifest *m, struct manifest_load *out);

/* Appends the manifest as RFC 4180 CSV to out: CRLF line ends, a header
 * row, one row per passenger; a field is quoted when it holds a comma, a
 * quote, CR or LF (quotes doubled). A text field that starts with = + - @
 * or a tab is prefixed with an apostrophe so that a spreadsheet does not run
 * it as a formula. Returns 0, or MUSTER_EINVAL (out unchanged). */
int manifest_csv(const struct manifest *m, struct buf *out, struct muster_err *err);

/* How the PDF is made. A zeroed struct (or NULL) gives the defaults. */
struct manifest_pdf_options {
    bool uncompressed;    /* leave page streams uncompressed (tests read the text) */
    const char *cjk_font; /* a TrueType file (.ttf, or the first font of a .ttc)
                            with CJK glyphs, for the native name column; NULL:
                            MUSTER_CJK_FONT from the environment, else the first
                            of the known Debian paths that exists (see
                            docs/manifests.md); "": none. It is read (and its
                            used glyphs embedded) only when a native name is
                            not CP1252 text. A name the font cannot show (or
                            with no font) is left blank and counted in a note
                            under the totals. */
};

/* Rows of the passenger table on each page. */
#define MANIFEST_PDF_ROWS_PER_PAGE 34

/* The number of pages manifest_pdf() writes for m (valid input). */
int manifest_pdf_pages(const struct manifest *m);

/* Appends the PDF (A4 landscape) to out: on every page the leg header
 * (operation, leg, flight, vehicle, from/to with UTC times, generated
 * by/at) and "page i of n"; the passenger table (row number, SURNAME, Given
 * names, native name, sex, birth date, nationality, document type/number/
 * state/expiry, priority, needs, household as "H1 (3)": numbered by first
 * appearance, with its members aboard) with MANIFEST_PDF_ROWS_PER_PAGE rows a
 * page; then the totals: seats and stretcher slots used/free, by priority,
 * by need, by nationality (on the last table page when they fit, else on
 * one more page). Latin text uses the built-in Helvetica with CP1252;
 * characters outside it print as '?' (native names: see cjk_font above).
 * Safe to call from several threads at once. Returns 0, MUSTER_EINVAL (bad
 * input) or MUSTER_EIO (libharu failed; err has its code); out is unchanged
 * on error. manifest_pdf() is manifest_pdf_with(m, NULL, ...). */
int manifest_pdf(const struct manifest *m, struct buf *out, struct muster_err *err);
int manifest_pdf_with(const struct manifest *m, const struct manifest_pdf_options *opt,
                      struct buf *out, struct muster_err *err);

/* Appends a PAXLST interchange (travel/paxlst.h paxlst_build) to out, from
 * sender to recipient (UNB/UNG ids, required): one leg (TDT mode 4 air, 1
 * sea, 3 road; carrier and number split from the flight number at its first
 * space, else carrier = operator nation), departure LOC+125 point_code (or
 * point_name) at departs, arrival LOC+87 destination_code (or destination)
 * at arrives (times in UTC), and one NAD+FL group per passenger: name, sex,
 * birth date, nationality, embarkation and debarkation, RFF+ABO person_id,
 * RFF+AVF household, and a DOC group when doc_number is set (type default
 * "P"). Control reference and preparation time come from generated_at and
 * leg_id. Returns 0, or MUSTER_EINVAL (out unchanged). */
int manifest_paxlst(const struct manifest *m, const char *sender, const char *recipient,
                    struct buf *out, struct muster_err *err);

#endif

/* screen.h — pre-clearance screening: the manual.
 *
 * The arrival country's immigration screens each passenger of a manifest
 * before the aircraft or ship lands. This library (pure: no I/O, no
 * database) does three things:
 *
 *  1. watchlist matching robust to how Korean and Japanese names are
 *     romanised (Lee/Yi/Rhee/I, Park/Bak, Jeong/Jung/Chung, Ohno/Ono/Oono,
 *     Shinichi/Sinichi, Yuko/Yuuko/Yūko, Seo-yeon/Seo Yeon, names swapped,
 *     a middle name missing, birth dates exact, day/month swapped or year
 *     only); each hit carries a score and an explanation;
 *  2. the rules table the immigration service edits (visa-exempt
 *     nationalities, humanitarian entry for partner evacuees, minimum
 *     validity on arrival, documents accepted when a passport was lost);
 *  3. document checks and the per-passenger decision cleared / refer /
 *     not_cleared with its reasons.
 *
 * The passenger struct is this library's own, so that callers map whatever
 * they parsed (PAXLST, CSV, the registry) onto it. docs/screening.md
 * describes the CSV, the rules JSON and the scoring for the people who edit
 * them. */
#ifndef MUSTER_SCREEN_SCREEN_H
#define MUSTER_SCREEN_SCREEN_H

#include "util/err.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- dates and passengers ------------------------------------------------ */

/* A civil date in which any part may be unknown (0): {1985,0,0} is "1985". */
struct screen_date {
    int y; /* 0 unknown */
    int m; /* 0 unknown, else 1..12 */
    int d; /* 0 unknown, else 1..31 */
};

/* Parses "YYYY", "YYYY-MM", "YYYY-MM-DD" (unknown parts as 00 or XX) or ""
 * (all unknown) into out; returns 0, or -1 when the text is not such a date
 * or names an impossible day. */
int screen_date_parse(const char *s, struct screen_date *out);

enum screen_doc_type {
    SCREEN_DOC_NONE = 0,  /* no travel document declared */
    SCREEN_DOC_PASSPORT,  /* PAXLST DOC P */
    SCREEN_DOC_ID_CARD,   /* national identity card: PAXLST A, C, I */
    SCREEN_DOC_EMERGENCY, /* emergency travel document / laissez-passer: PAXLST F */
    SCREEN_DOC_REFUGEE,   /* refugee travel document: PAXLST T */
    SCREEN_DOC_OTHER,     /* anything else */
    SCREEN_DOC_TYPE_COUNT
};

/* The name of a document type as used in the rules JSON ("passport",
 * "id_card", "emergency", "refugee", "other", "none"); static storage. */
const char *screen_doc_type_name(enum screen_doc_type t);
/* The document type named s (see above), or -1. */
int screen_doc_type_parse(const char *s);

/* One passenger to screen. Strings are UTF-8, owned by the caller, and may
 * be NULL (= unknown); the library never keeps a pointer past the call. */
struct screen_passenger {
    const char *surname;      /* family name as on the document */
    const char *given_names;  /* all given and middle names, any separators */
    struct screen_date birth; /* unknown parts allowed */
    char sex;                 /* 'M', 'F', 'X' or 0 */
    char nationality[4];      /* ICAO/ISO alpha-3, "" unknown */
    enum screen_doc_type doc_type;
    const char *doc_number;
    char doc_issuer[4]; /* issuing state, "" unknown */
    struct screen_date doc_expiry;
    int doc_check_digit;        /* '0'..'9' when the number came with an ICAO
                                   check digit (from an MRZ), else 0 */
    const char *leg_id;         /* the transport leg the passenger is on */
    struct screen_date arrival; /* arrival date of the leg; unknown parts =
                                   use the batch arrival date */
};

/* ---- names ----------------------------------------------------------------- */

/* Writes into out (cap bytes, NUL-terminated, truncated to fit) the name s
 * folded to upper-case ASCII words separated by single spaces: diacritics
 * dropped (Ä -> AE as in ICAO Doc 9303, ū -> U), apostrophes and hyphens
 * removed (Shin'ichi = SHINICHI, Seo-yeon = SEOYEON: one name), other
 * punctuation becomes a space, Hangul romanised (Revised Romanisation).
 * Returns the length written. */
size_t screen_name_fold(const char *s, char *out, size_t cap);

/* Flags of screen_name_key. */
enum {
    SCREEN_KEY_ALT_OO = 1,    /* read "OO" as a Korean U (Yoo = Yu), not a Japanese long O */
    SCREEN_KEY_SURNAME = 2,   /* a surname: the Korean initial R/L drops (Rhee = Lee = I) */
    SCREEN_KEY_JAPANESE = 4,  /* a Japanese name: OH before Y is a long O (Kohyama =
                                 Koyama); elsewhere an H before Y stays (Dohyun) */
    SCREEN_KEY_STRICT_JA = 8, /* keep apart what no Japanese romanisation confuses but
                                 Korean ones do: G/K, B/P, CH (TI)/J (ZI) (Nagai is
                                 not Nakai, Chiaki is not Jiaki) */
};

/* Writes into out the romanisation key of one folded word (A-Z only; other
 * bytes are skipped): a spelling in which the usual Korean and Japanese
 * romanisation variants coincide (surnames LEE, YI, RHEE, I -> "I"; PARK,
 * PAK, BAK -> "PAK"; OHNO, ONO, OONO -> "ONO"). flags: SCREEN_KEY_*.
 * Returns the length written. */
size_t screen_name_key(const char *word, size_t n, unsigned flags, char *out, size_t cap);

/* ---- watchlist ------------------------------------------------------------- */

struct screen_watchlist;

/* One watchlist entry, as read from the CSV (strings owned by the list). */
struct screen_entry {
    const char *id;
    const char *surname;
    const char *given_names;
    struct screen_date birth;
    const char *nationality; /* "" unknown */
    const char *reason;
    char sex; /* 'M', 'F', 'X' (unspecified) or 0 unknown: the optional sex column */
};

/* Builds the watchlist and its match index from CSV text in memory (len
 * bytes; see docs/screening.md: a header naming the columns surname,
 * given_names, birth_date, nationality, reason, id and optionally sex, or
 * the first six in that order without a header). On success *out is set (free it with
 * screen_watchlist_free) and 0 returned; on bad input a negative status and
 * err names the line. */
int screen_watchlist_load(const char *csv, size_t len, struct screen_watchlist **out,
                          struct muster_err *err);
/* Number of entries. */
size_t screen_watchlist_size(const struct screen_watchlist *wl);
/* Fills *out with entry i (< size); the strings stay owned by wl. */
void screen_watchlist_entry(const struct screen_watchlist *wl, size_t i, struct screen_entry *out);
/* Frees the list and everything it owns (NULL is fine). */
void screen_watchlist_free(struct screen_watchlist *wl);

/* ---- matching -------------------------------------------------------------- */

/* Why a hit matched: bits in screen_hit.flags. */
enum {
    SCREEN_WHY_SURNAME_VARIANT = 1 << 0, /* surname equal only after romanisation */
    SCREEN_WHY_GIVEN_VARIANT = 1 << 1,   /* given names equal only after romanisation */
    SCREEN_WHY_GIVEN_SPACING = 1 << 2,   /* given names split differently (Seo-yeon/Seo Yeon) */
    SCREEN_WHY_SWAPPED = 1 << 3,         /* family and given names swapped */
    SCREEN_WHY_MIDDLE_MISSING = 1 << 4,  /* a middle name missing on one side */
    SCREEN_WHY_BIRTH_EXACT = 1 << 5,
    SCREEN_WHY_BIRTH_SWAPPED = 1 << 6, /* day and month swapped */
    SCREEN_WHY_BIRTH_MONTH = 1 << 7,   /* year and month agree, a day unknown */
    SCREEN_WHY_BIRTH_YEAR = 1 << 8,    /* year agrees, the rest unknown on a side */
    SCREEN_WHY_BIRTH_UNKNOWN = 1 << 9, /* no birth year on one side */
    SCREEN_WHY_NAT_SAME = 1 << 10,
    SCREEN_WHY_NAT_DIFFERS = 1 << 11,
    SCREEN_WHY_SEX_SAME = 1 << 12,    /* both sexes known (M or F) and equal */
    SCREEN_WHY_SEX_DIFFERS = 1 << 13, /* M on one side, F on the other: SCREEN_SEX_CONFLICT off */
    SCREEN_WHY_JA_SPELLING = 1 << 14, /* both JPN, and the names differ in G/K, B/P or CH/J:
                                         SCREEN_JA_SPELLING_CONFLICT off */
};

/* Points a hit loses when the passenger's sex (M/F) contradicts the entry's:
 * a name with an exact birth date stays a hit (a clerical slip), a name with
 * only the year agreeing does not. */
#define SCREEN_SEX_CONFLICT 25

/* Points a hit loses when passenger and entry are both of nationality JPN
 * and their names meet only through a Korean equivalence (G/K, B/P, CH/J):
 * Nagai and Nakai are two names in every Japanese romanisation. Sized like
 * SCREEN_SEX_CONFLICT, so that an exact birth date still refers. */
#define SCREEN_JA_SPELLING_CONFLICT 25

/* One watchlist hit for a passenger. */
struct screen_hit {
    uint32_t entry; /* index into the watchlist */
    int score;      /* 0..100, see docs/screening.md */
    unsigned flags; /* SCREEN_WHY_* */
    char why[320];  /* the explanation an officer reads */
};

/* The default score at or above which a candidate is a hit. */
#define SCREEN_DEFAULT_THRESHOLD 60

/* Screens one passenger against wl: writes up to max hits with score >=
 * threshold into hits, best first, and returns how many were found (which
 * may exceed max: only the best max are written). Never fails. It only
 * reads wl, so several threads may screen against one list at once. */
int screen_match(const struct screen_watchlist *wl, const struct screen_passenger *p, int threshold,
                 struct screen_hit *hits, int max);

/* ---- rules ------------------------------------------------------------------ */

#define SCREEN_MAX_CODES 256

/* The arrival country's rules table (docs/screening.md shows the JSON). */
struct screen_rules {
    char country[4];                       /* the arrival country (its citizens enter) */
    char visa_exempt[SCREEN_MAX_CODES][4]; /* nationalities exempt from visas */
    int n_visa_exempt;
    char humanitarian[SCREEN_MAX_CODES][4]; /* partner nations whose evacuees get
                                               humanitarian entry */
    int n_humanitarian;
    int min_validity_days;              /* document validity left on arrival */
    int humanitarian_min_validity_days; /* the same for humanitarian entry */
    unsigned lost_passport_docs;        /* bit (1 << doc type) per accepted substitute */
    int match_threshold;                /* watchlist hit threshold, 0..100 */
};

/* Fills r with the defaults: no country, no exemptions, 0 days validity, no
 * substitute documents, threshold SCREEN_DEFAULT_THRESHOLD. */
void screen_rules_default(struct screen_rules *r);

/* Parses the rules JSON text (len bytes) into r; returns 0, or a negative
 * status with err naming the bad field. */
int screen_rules_parse(const char *json, size_t len, struct screen_rules *r,
                       struct muster_err *err);

/* ---- decisions -------------------------------------------------------------- */

enum screen_decision {
    SCREEN_CLEARED = 0,
    SCREEN_REFER = 1,
    SCREEN_NOT_CLEARED = 2,
};

/* "cleared", "refer" or "not_cleared" (static storage). */
const char *screen_decision_name(enum screen_decision d);

/* The legal basis on which the passenger may enter, or none. */
enum screen_basis {
    SCREEN_BASIS_NONE = 0,
    SCREEN_BASIS_CITIZEN,
    SCREEN_BASIS_VISA_EXEMPT,
    SCREEN_BASIS_HUMANITARIAN,
};

/* "none", "citizen", "visa_exempt" or "humanitarian" (static storage). */
const char *screen_basis_name(enum screen_basis b);

#define SCREEN_MAX_REASONS 8
#define SCREEN_MAX_HITS    3

/* One reason for a decision: a stable code for machines and a sentence. */
struct screen_reason {
    enum screen_decision severity;
    char code[32]; /* e.g. "doc_expired", "watchlist", "duplicate_doc" */
    char text[200];
};

/* The answer for one passenger. */
struct screen_result {
    enum screen_decision decision;
    enum screen_basis basis;
    int n_reasons;
    struct screen_reason reasons[SCREEN_MAX_REASONS];
    int n_hits; /* hits written (<= SCREEN_MAX_HITS) */
    struct screen_hit hits[SCREEN_MAX_HITS];
    bool overridden; /* an officer replaced a refer */
    enum screen_decision original;
    char override_officer[64];
    char override_reason[200];
};

/* Screens n passengers of one batch (a manifest, or several legs at once):
 * document checks (type accepted, number structure and check digit, expiry
 * and minimum validity against the arrival date, a number seen twice on one
 * leg or on two legs of the batch), entry basis from the rules, and the
 * watchlist (wl may be NULL: no screening, no watchlist reason). arrival is
 * the date used for passengers whose own arrival date is unknown. Fills
 * results[0..n). Returns 0, or MUSTER_EINVAL when a passenger has no full
 * arrival date and neither has the batch (err names the passenger). */
int screen_batch(const struct screen_rules *rules, const struct screen_watchlist *wl,
                 const struct screen_passenger *pax, size_t n, struct screen_date arrival,
                 struct screen_result *results, struct muster_err *err);

/* Records an officer's override of a refer: the decision becomes to
 * (cleared or not_cleared) and the officer and reason are kept in r.
 * Returns 0, or MUSTER_ECONFLICT when r is not a refer (or was already
 * overridden), MUSTER_EINVAL when the officer or the reason is empty or to
 * is refer. */
int screen_override(struct screen_result *r, enum screen_decision to, const char *officer,
                    const char *reason, struct muster_err *err);

/* The ICAO Doc 9303 check digit (7-3-1 weights) of s, as '0'..'9', or -1
 * when s holds a character other than 0-9, A-Z and '<'. */
int screen_icao_check_digit(const char *s);

/* Returns a new JSON object for one passenger's result (decision, basis,
 * reasons, hits with the matched entry, override); the caller json_decref's
 * it. wl may be NULL when no hits are present. */
json_t *screen_result_json(const struct screen_passenger *p, const struct screen_result *r,
                           const struct screen_watchlist *wl);

#endif

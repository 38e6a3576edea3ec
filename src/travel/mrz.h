/* mrz.h — the machine-readable zone of travel documents (ICAO Doc 9303):
 * read, validate, suggest OCR repairs, and write.
 *
 * Formats: TD1 (ID card, 3 lines of 30), TD2 (2 x 36), TD3 (passport,
 * 2 x 44), MRV-A (visa, 2 x 44) and MRV-B (visa, 2 x 36). A pure library:
 * no I/O, no allocation on the parse path, no global state.
 *
 * Reading, the usual way:
 *
 *     struct mrz_doc doc;
 *     struct muster_err err;
 *     if (mrz_parse(text, len, &doc, &err) < 0)
 *         ... not an MRZ at all: err.msg names the line and column ...
 *     else if (!doc.valid)
 *         ... read, but a check failed: doc.errors[], doc.suggestion ...
 *     struct buf out = {0};
 *     mrz_json(&doc, &out);      // the JSON object the CLI and the API print
 *
 * Field positions, the check-digit rule, the century rule for dates and the
 * JSON are described in docs/mrz.md. */
#ifndef MUSTER_TRAVEL_MRZ_H
#define MUSTER_TRAVEL_MRZ_H

#include "util/buf.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mrz_format {
    MRZ_FORMAT_NONE = 0, /* the text had no recognisable MRZ shape */
    MRZ_TD1,             /* 3 x 30: identity cards */
    MRZ_TD2,             /* 2 x 36: identity cards (and some passports) */
    MRZ_TD3,             /* 2 x 44: passports */
    MRZ_MRVA,            /* 2 x 44, document code V: visas */
    MRZ_MRVB,            /* 2 x 36, document code V: visas */
};

/* Verdict of one check digit. */
enum mrz_check {
    MRZ_CHECK_NONE = 0, /* the format has no such check digit (JSON null) */
    MRZ_CHECK_OK,
    MRZ_CHECK_FAIL,
};

/* Which string a TD1/TD2 long document number's check digit verified over
 * (real documents disagree; both are accepted, see docs/mrz.md). */
enum mrz_long_rule {
    MRZ_LONG_NONE = 0,       /* the number is not a long (over 9 characters) one */
    MRZ_LONG_WITHOUT_FILLER, /* over the number alone (ICAO Part 11 example) */
    MRZ_LONG_WITH_FILLER,    /* only with the '<' at the check-digit position */
    MRZ_LONG_BOTH,           /* the two give the same digit */
    MRZ_LONG_NEITHER,        /* the check failed */
};

/* A date as printed (YYMMDD) and as understood. A part printed "<<" is
 * unknown (0); year is the full year with the century chosen by the rule in
 * docs/mrz.md (birth: the latest date not after today; expiry: within 50
 * years of today). */
struct mrz_date {
    char raw[7];       /* the 6 characters as printed, NUL-terminated */
    int16_t year;      /* 0 when unknown or unreadable */
    int8_t month, day; /* 0 when unknown or unreadable */
    bool readable;     /* each part is two digits or "<<", and it is a calendar date */
};

/* What went wrong or looks odd, with where (1-based line and column of the
 * MRZ as read; 0 when it concerns the whole document). The text to show is
 * made by mrz_issue_text(). */
enum mrz_issue_code {
    /* warnings: the document can still be valid */
    MRZ_W_LOWER_CASE = 1, /* lower-case letters were read as upper case */
    MRZ_W_SPACES,         /* spaces around a line were removed */
    MRZ_W_CRLF,           /* carriage returns (Windows line ends) were removed */
    MRZ_W_ONE_LINE,       /* the lines came as one concatenated line */
    MRZ_W_DOCUMENT_CODE,  /* an unusual document code for the format (e.g. I in 2 x 44) */
    MRZ_W_UNKNOWN_STATE,  /* issuing state not on the ICAO code list */
    MRZ_W_UNKNOWN_NATIONALITY,
    MRZ_W_NAME_TRUNCATED, /* the name fills its field: it may have been cut */
    MRZ_W_BIRTH_UNKNOWN,  /* parts of the birth date are printed "<<" (unknown) */
    MRZ_W_NO_EXPIRY,      /* the expiry date is all fillers */
    MRZ_W_NON_ICAO,       /* looks like a national layout (e.g. French ID card) */
    /* errors: the document is not valid */
    MRZ_E_EMPTY = 64,      /* no text */
    MRZ_E_LINE_COUNT,      /* not 2 or 3 lines */
    MRZ_E_LINE_LENGTH,     /* a line of the wrong length */
    MRZ_E_CHARACTER,       /* a character outside A-Z 0-9 < */
    MRZ_E_DOCUMENT_CODE,   /* document code not possible for the format */
    MRZ_E_CODE_CHARACTER,  /* a digit in a state/nationality code */
    MRZ_E_NAME_CHARACTER,  /* a digit in the name field */
    MRZ_E_DOCUMENT_NUMBER, /* the document number is empty or its overflow is malformed */
    MRZ_E_CHECK_DOCUMENT_NUMBER,
    MRZ_E_CHECK_BIRTH_DATE,
    MRZ_E_CHECK_EXPIRY_DATE,
    MRZ_E_CHECK_OPTIONAL_DATA,
    MRZ_E_CHECK_COMPOSITE,
    MRZ_E_BIRTH_DATE,  /* not a readable calendar date */
    MRZ_E_EXPIRY_DATE, /* not a readable calendar date (unknown parts not allowed) */
    MRZ_E_SEX,         /* not M, F, X or < */
};

struct mrz_issue {
    uint16_t code; /* enum mrz_issue_code */
    uint8_t line;  /* 1-based; 0 = the document */
    uint8_t col;   /* 1-based; 0 = the line */
    int16_t a, b;  /* check digits: the digit read and the one computed (as
                      characters); lengths: found and expected; else 0 */
    char text[24]; /* the value concerned (printable ASCII), or "" */
};

#define MRZ_MAX_ISSUES  12
#define MRZ_MAX_CHANGES 16
#define MRZ_TEXT_MAX    136 /* room for any MRZ as text, lines joined by '\n', NUL */

/* One OCR repair in a suggestion (1-based line and column). */
struct mrz_change {
    uint8_t line, col;
    char from, to;
};

/* Everything read from one document. Strings are NUL-terminated, upper case,
 * fillers at the end removed; a field the format lacks is "" and reported as
 * null in JSON (see the has_* flags). */
struct mrz_doc {
    enum mrz_format format;
    bool valid;               /* structure right and every check the format defines passed */
    char document_code[3];    /* "P", "PO", "ID", "I", "V", ... (a '<' second char dropped) */
    char issuing_state[4];    /* "UTO", "D" (Germany), "GBD", ... */
    char surname[40];         /* primary identifier, '<' read as space */
    char given_names[40];     /* secondary identifier, '<' read as space */
    bool name_truncated;      /* the name fills its field to the last position */
    char document_number[24]; /* TD1/TD2 long numbers joined from the overflow */
    enum mrz_long_rule long_rule;
    char nationality[4];
    struct mrz_date birth_date, expiry_date;
    char sex;                 /* 'M', 'F' or 'X' (printed '<' or 'X'); '?' when unreadable */
    char optional_data[17];   /* TD3 personal number, TD1 optional data 1 (after any
                                 long-number overflow), TD2/MRV optional data */
    char optional_data_2[12]; /* TD1 line 2 optional data; "" elsewhere */
    bool has_optional_data_2; /* TD1 */
    enum mrz_check check_document_number, check_birth_date, check_expiry_date, check_optional_data,
        check_composite;
    uint8_t nlines, line_len;   /* shape as read */
    uint8_t nwarnings, nerrors; /* entries used in warnings[] and errors[] */
    bool has_suggestion;        /* suggestion[] and changes[] hold an OCR repair */
    uint8_t nchanges;
    char lines[3][45]; /* the MRZ as read (upper-cased, trimmed), NUL-terminated */
    struct mrz_issue warnings[MRZ_MAX_ISSUES];
    struct mrz_issue errors[MRZ_MAX_ISSUES];
    /* An OCR repair: when checks fail and swapping look-alike characters
     * (O/0, I/1, B/8, S/5, Z/2, G/6) — letters in digit positions, digits in
     * letter positions, and exactly one swap in a mixed field — makes the whole
     * document valid, the repaired lines. Never applied to the fields above. */
    char suggestion[3][45];
    struct mrz_change changes[MRZ_MAX_CHANGES];
};

/* Reads one document: its 2 or 3 lines separated by '\n' (or "\r\n", or
 * '\r'), or the lines concatenated into one. Blank lines, spaces around a
 * line, lower case and Windows line ends are tolerated and reported as
 * warnings. The century of each date is chosen relative to today (the clock,
 * or MUSTER_NOW; see time_now()).
 * Returns 0 when the text has the shape of an MRZ: every field of doc is
 * filled and doc->valid says whether every check passed; when it did not,
 * err (if not NULL) holds the first error in words. Returns MUSTER_EINVAL when
 * the text is not an MRZ (wrong line count or length, a character outside
 * A-Z 0-9 <): err names the line and column, doc->errors holds it too and
 * doc->format is what the shape suggested (or MRZ_FORMAT_NONE).
 * doc is caller-owned; nothing is allocated. */
int mrz_parse(const char *text, size_t len, struct mrz_doc *doc, struct muster_err *err);

/* As mrz_parse, with today given as days since 1970-01-01 (for tests,
 * benchmarks and callers that read the clock once: mrz_parse reads it, and
 * the environment, on every call). Safe to call from many threads at once
 * with a doc each; a doc is about 1.3 KB and may live on the stack. */
int mrz_parse_at(const char *text, size_t len, int64_t today, struct mrz_doc *doc,
                 struct muster_err *err);

/* Appends to out the JSON object of doc (one line, no newline): format, valid,
 * every field (null where the format has none), checks, warnings, errors,
 * suggestion. Its keys are listed in docs/mrz.md. */
void mrz_json(const struct mrz_doc *doc, struct buf *out);

/* Writes the sentence a person reads for an issue into out (always
 * NUL-terminated); returns out. */
const char *mrz_issue_text(const struct mrz_issue *issue, char *out, size_t n);

/* The ICAO check digit (weights 7, 3, 1; '<' = 0, A = 10 ... Z = 35) of n
 * characters: 0-9, or -1 when a character is outside A-Z 0-9 <. */
int mrz_check_digit(const char *s, size_t n);

/* True when code (1 to 3 letters, without fillers) is on the ICAO list of
 * states and organisations (ISO 3166-1 alpha-3 plus Doc 9303's own codes such
 * as D, GBD, UNO, XXA, EUE and the specimen state UTO). */
bool mrz_known_code(const char *code);

/* The format's name: "TD1", "TD2", "TD3", "MRVA", "MRVB" (or NULL for NONE). */
const char *mrz_format_name(enum mrz_format f);

/* Document data to write as an MRZ. Text is UTF-8; names are transliterated
 * (Doc 9303 Part 3: Ä -> AE, ß -> SS, É -> E, Cyrillic ...) and truncated to
 * the field by the Doc 9303 rule. NULL means empty. */
struct mrz_person {
    const char *document_code;   /* "P", "PO", "I", "ID", "V", "VB"...; NULL: P, I or V */
    const char *issuing_state;   /* 1-3 letters ("D" for Germany) */
    const char *surname;         /* primary identifier */
    const char *given_names;     /* secondary identifier (may be empty) */
    const char *document_number; /* up to 9 characters; TD1 up to 22, TD2 up to 15 */
    const char *nationality;
    const char *birth_date;      /* "YYYY-MM-DD" or "YYMMDD" ("<<" for an unknown part) */
    char sex;                    /* 'M', 'F', 'X' or '<' (X is written as '<') */
    const char *expiry_date;     /* "YYYY-MM-DD" or "YYMMDD" */
    const char *optional_data;   /* personal number (TD3) / optional data */
    const char *optional_data_2; /* TD1 line 2 only */
};

/* Writes the MRZ of p in format f into out (cap >= MRZ_TEXT_MAX is always
 * enough): the lines joined by '\n', no final newline, every check digit
 * computed. Sets *truncated (if not NULL) when the name had to be shortened.
 * Returns 0, or MUSTER_EINVAL with the reason in err (a field too long for
 * the format, a character that cannot be transliterated, a bad date...). */
int mrz_make(const struct mrz_person *p, enum mrz_format f, char *out, size_t cap, bool *truncated,
             struct muster_err *err);

/* Builds the name field of width n (Doc 9303: primary, "<<", secondary
 * components joined by '<', fillers; when too long, components are shortened
 * from the last one of the secondary identifier backwards, then of the
 * primary, each down to its initial). out gets n characters and a NUL.
 * Returns 1 when the name was shortened, 0 when it fitted, MUSTER_EINVAL
 * when a character cannot be transliterated or the name holds a digit. */
int mrz_name_field(const char *surname, const char *given_names, size_t n, char *out,
                   struct muster_err *err);

#endif

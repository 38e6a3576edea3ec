/* edifact.h — UN/EDIFACT syntax (ISO 9735, syntax versions 3 and 4).
 *
 * Three parts, used by paxlst.c and cusres.c and usable for any message:
 *  - a zero-copy reader: edi_reader_init() reads the UNA service string
 *    advice (or takes the defaults :+.? '), edi_next() cuts the input into
 *    segments; a segment's values point into the caller's buffer, and only a
 *    value that holds a release character needs edi_unescape()/edi_strdup();
 *  - an envelope checker: edi_env_feed() follows UNB/UNZ, UNG/UNE and UNH/UNT
 *    and checks their counts and control references;
 *  - a writer: edi_w_*() appends segments to a struct buf, escaping every
 *    service character and dropping trailing empty elements and components.
 *
 * Positions in diagnostics: "segment N" counts every segment of the input
 * from 1 (UNA excluded); "element E" counts the data elements after the tag
 * from 1; "component C" counts from 1; "byte B" is the 0-based offset in the
 * input of the element named, else of the segment's first byte. The functions
 * here never print. */
#ifndef MUSTER_TRAVEL_EDIFACT_H
#define MUSTER_TRAVEL_EDIFACT_H

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The service characters. rep == 0 means "no repetition separator" (syntax 3,
 * or a UNA that declares a space there, as most real interchanges do). */
struct edi_chars {
    char comp;    /* component data element separator, default ':' */
    char elem;    /* data element separator, default '+' */
    char decimal; /* decimal mark, default '.' (data, never special) */
    char release; /* release character, default '?' */
    char rep;     /* repetition separator: '*' in syntax 4 without UNA, else 0 */
    char term;    /* segment terminator, default '\'' */
};

/* The defaults of ISO 9735 when there is no UNA (syntax 3: no repetition). */
extern const struct edi_chars edi_default_chars;

/* --- diagnostics ------------------------------------------------------------ */

enum edi_severity { EDI_WARNING = 1, EDI_ERROR = 2 };

enum edi_code {
    EDI_BAD_UNA = 1,             /* corrupt service string advice (fatal) */
    EDI_UNTERMINATED,            /* input ends inside a segment */
    EDI_DANGLING_RELEASE,        /* release character as the last byte */
    EDI_BAD_TAG,                 /* a tag that is not 1-3 upper-case letters/digits */
    EDI_TOO_BIG,                 /* more components than the reader holds (fatal) */
    EDI_CHARSET,                 /* a byte outside the declared repertoire (UNOA/UNOB) */
    EDI_MISSING_UNB,             /* data before any UNB */
    EDI_DUPLICATE_UNB,           /* a second UNB before UNZ */
    EDI_MISSING_UNZ,             /* input ends inside the interchange */
    EDI_CONTROL_REF_MISMATCH,    /* UNZ 0020 differs from UNB 0020 */
    EDI_UNZ_COUNT_MISMATCH,      /* UNZ 0036 differs from messages (or groups) seen */
    EDI_MISSING_UNE,             /* UNG without UNE */
    EDI_ORPHAN_UNE,              /* UNE without UNG */
    EDI_GROUP_REF_MISMATCH,      /* UNE 0048 differs from UNG 0048 */
    EDI_UNE_COUNT_MISMATCH,      /* UNE 0060 differs from messages in the group */
    EDI_MISSING_UNT,             /* UNH (or envelope trailer) before UNT */
    EDI_ORPHAN_UNT,              /* UNT without UNH */
    EDI_MESSAGE_REF_MISMATCH,    /* UNT 0062 differs from UNH 0062 */
    EDI_UNT_COUNT_MISMATCH,      /* UNT 0074 differs from segments UNH..UNT */
    EDI_SEGMENT_OUTSIDE_MESSAGE, /* a data segment outside UNH..UNT */
    EDI_AFTER_UNZ,               /* segments after the interchange trailer */
    EDI_BAD_NUMBER,              /* a count that is not a number */
    EDI_MIXED_GROUPS,            /* messages both inside and outside UNG..UNE */
    EDI_MESSAGE,                 /* a rule of the message (PAXLST, CUSRES), see msg */
    EDI_UNUSED,                  /* a segment the message reader does not use */
};

/* One problem found in the input. */
struct edi_diag {
    enum edi_code code;
    enum edi_severity severity;
    unsigned segment;   /* 1-based segment number, 0 when not tied to one */
    char tag[4];        /* that segment's tag ("" when none) */
    unsigned element;   /* 1-based element after the tag, 0 = the whole segment */
    unsigned component; /* 1-based component, 0 = the whole element */
    size_t offset;      /* byte offset of the element named, else of the segment */
    char msg[200];      /* one line for a person, without the position */
};

/* A growable list of diagnostics (malloc'd; free with edi_diags_free). At most
 * EDI_MAX_DIAGS are kept; `dropped` counts the rest. */
#define EDI_MAX_DIAGS 1000
struct edi_diags {
    struct edi_diag *v;
    size_t n, cap;
    size_t dropped;
    size_t errors; /* how many have severity EDI_ERROR (kept or dropped) */
};

/* Appends a diagnostic (printf-style msg). */
void edi_diag_add(struct edi_diags *d, enum edi_code code, enum edi_severity sev, unsigned segment,
                  const char *tag, unsigned element, unsigned component, size_t offset,
                  const char *fmt, ...) __attribute__((format(printf, 9, 10)));
/* Frees the list; it is empty and reusable afterwards. */
void edi_diags_free(struct edi_diags *d);
/* The snake_case name of a code ("unt_count_mismatch"), static storage. */
const char *edi_code_name(enum edi_code code);
/* Writes "segment 12 (UNT), element 1, byte 345: <msg>" into out (NUL-ended). */
void edi_diag_format(const struct edi_diag *dg, char *out, size_t cap);

/* --- reading ---------------------------------------------------------------- */

/* A value inside the input: p/len are the raw bytes (not NUL-terminated).
 * `rel` is the release character when the raw bytes hold one (the text is
 * then edi_unescape()'s output, not the raw bytes), else 0. */
struct edi_value {
    const char *p;
    uint32_t len;
    char rel;
};

/* At most this many components in one segment (elements and repetitions
 * never outnumber them); a longer segment makes the input unusable. */
#define EDI_MAX_COMPS 512

/* One segment as cut by edi_next(). Element 0 is the first data element after
 * the tag. Everything points into the reader's input. */
struct edi_segment {
    char tag[4];     /* NUL-terminated, "" when the tag is empty */
    unsigned index;  /* 1-based segment number in the input */
    size_t offset;   /* byte offset of the segment's first byte */
    const char *raw; /* the segment's bytes, terminator excluded */
    size_t raw_len;
    bool terminated;  /* false for a last segment cut off by the end of input */
    long charset_bad; /* offset in raw of the first byte outside the repertoire, or -1 */
    unsigned nelem;   /* data elements after the tag */
    /* internal layout: element e has repetitions [erep[e], erep[e+1]); repetition r
     * has components [rcomp[r], rcomp[r+1]). Index 0 is the tag. */
    uint16_t erep[EDI_MAX_COMPS + 2];
    uint16_t rcomp[EDI_MAX_COMPS + 2];
    struct edi_value comp[EDI_MAX_COMPS];
};

/* Reads segments out of a buffer the caller keeps alive and unchanged. */
struct edi_reader {
    const char *data;
    size_t len, pos;
    struct edi_chars chars;
    bool had_una;
    bool rep_from_una;      /* the UNA fixed the repetition separator */
    int syntax_version;     /* from UNB S001 (0 until seen) */
    char charset[5];        /* syntax identifier from UNB S001 ("UNOA"), "" until seen */
    unsigned nseg;          /* segments read so far */
    unsigned char cls[256]; /* byte classes, internal */
};

/* Starts reading data[0..len). `chars` (or NULL for the defaults) applies when
 * the input has no UNA; a UNA in the data overrides it. Returns 0, or
 * MUSTER_EINVAL with err set for a corrupt UNA (shorter than 9 bytes, or
 * service characters that are letters, control or non-ASCII bytes, or not
 * distinct). */
int edi_reader_init(struct edi_reader *r, const char *data, size_t len,
                    const struct edi_chars *chars, struct muster_err *err);

/* Cuts the next segment into *s. Returns 1 with a segment, 0 at the end of the
 * input, or MUSTER_EINVAL (a diagnostic is added to d) when the rest of the
 * input cannot be read (too many elements). Problems that still leave a segment
 * (unterminated, bad tag, dangling release) are added to d and the segment is
 * returned. Blanks, CR and LF between segments are skipped. When the segment
 * is a UNB, the reader takes the syntax version and repertoire from it. */
int edi_next(struct edi_reader *r, struct edi_segment *s, struct edi_diags *d);

/* The number of repetitions of element e (0 when absent; at least 1 when present). */
static inline unsigned edi_nrep(const struct edi_segment *s, unsigned e)
{
    return e < s->nelem ? (unsigned)(s->erep[e + 2] - s->erep[e + 1]) : 0;
}

/* The number of components of repetition rep of element e (0 when absent). */
static inline unsigned edi_ncomp(const struct edi_segment *s, unsigned e, unsigned rep)
{
    if (rep >= edi_nrep(s, e))
        return 0;
    unsigned r = s->erep[e + 1] + rep;
    return (unsigned)(s->rcomp[r + 1] - s->rcomp[r]);
}

/* Component c of repetition rep of element e; an empty value when absent. */
static inline struct edi_value edi_get_rep(const struct edi_segment *s, unsigned e, unsigned rep,
                                           unsigned c)
{
    if (c >= edi_ncomp(s, e, rep)) {
        struct edi_value none = {"", 0, 0};
        return none;
    }
    return s->comp[s->rcomp[s->erep[e + 1] + rep] + c];
}

/* Component c of the first repetition of element e; an empty value when absent. */
static inline struct edi_value edi_get(const struct edi_segment *s, unsigned e, unsigned c)
{
    return edi_get_rep(s, e, 0, c);
}

/* The byte offset in the input of component c of element e (both 0-based),
 * or the segment's offset when that component is absent or empty. */
static inline size_t edi_offset_of(const struct edi_segment *s, unsigned e, unsigned c)
{
    struct edi_value v = edi_get(s, e, c);
    if (!v.len || v.p < s->raw || v.p > s->raw + s->raw_len)
        return s->offset;
    return s->offset + (size_t)(v.p - s->raw);
}

/* edi_eq for a value that holds release characters. */
bool edi_eq_escaped(struct edi_value v, const char *t);

/* True when the value's text equals the C string t. (A byte loop rather than
 * memcmp: t is mostly a short literal, and the compiler unrolls the loop.) */
static inline bool edi_eq(struct edi_value v, const char *t)
{
    if (v.rel)
        return edi_eq_escaped(v, t);
    size_t n = strlen(t);
    if (v.len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (v.p[i] != t[i])
            return false;
    return true;
}

/* Writes the value's text (release characters removed) NUL-terminated to
 * out, which must hold v.len + 1 bytes; returns the text's length. */
size_t edi_unescape(struct edi_value v, char *out);
/* The value's text as a NUL-terminated string owned by the arena. */
char *edi_strdup(struct arena *a, struct edi_value v);
/* Parses a value of 1-9 digits; returns 0 and *out, or -1. */
int edi_number(struct edi_value v, long *out);

/* --- envelopes ---------------------------------------------------------------- */

/* What a segment is to the envelope. */
enum edi_event {
    EDI_EV_UNB = 1, /* interchange header */
    EDI_EV_UNG,     /* group header */
    EDI_EV_UNH,     /* message header: a message begins */
    EDI_EV_BODY,    /* a segment inside a message */
    EDI_EV_UNT,     /* message trailer: the message ends */
    EDI_EV_UNE,     /* group trailer */
    EDI_EV_UNZ,     /* interchange trailer */
    EDI_EV_STRAY,   /* a data segment outside any message (diagnosed) */
    EDI_EV_SERVICE, /* another service segment (UNA excluded), ignored */
};

/* Follows the envelopes of one input. Zero it (or edi_env_init) to start. */
struct edi_envelope {
    bool in_ic, in_group, in_msg, ended;
    bool seen_unb, any_group, any_loose_msg;
    char ic_ref[36], group_ref[36], msg_ref[36]; /* control references (first 35 bytes) */
    unsigned msg_first_seg;                      /* segment number of the open UNH */
    unsigned ic_msgs, ic_groups, group_msgs, msg_segs;
    unsigned messages; /* messages begun in the whole input */
};

/* Resets the checker. */
void edi_env_init(struct edi_envelope *e);
/* edi_env_feed for everything but a data segment inside a message. */
enum edi_event edi_env_feed_slow(struct edi_envelope *e, const struct edi_reader *r,
                                 const struct edi_segment *s, struct edi_diags *d);

/* Feeds the next segment; adds envelope problems to d; returns its event. */
static inline enum edi_event edi_env_feed(struct edi_envelope *e, const struct edi_reader *r,
                                          const struct edi_segment *s, struct edi_diags *d)
{
    if (s->tag[0] != 'U' && e->in_msg) { /* the common case: a data segment of a message */
        e->msg_segs++;
        return EDI_EV_BODY;
    }
    return edi_env_feed_slow(e, r, s, d);
}
/* Checks what the end of input leaves open (UNT, UNE, UNZ missing). */
void edi_env_finish(struct edi_envelope *e, const struct edi_reader *r, struct edi_diags *d);

/* Checks a whole input: tokenising, envelopes, repertoire. Returns 0 when it
 * could be read to the end (look at d->errors for its validity), or
 * MUSTER_EINVAL when it is unusable (err says why; d holds what was found). */
int edi_check(const char *data, size_t len, struct edi_diags *d, struct muster_err *err);

/* --- writing ---------------------------------------------------------------- */

/* Byte classes of the writer: needs a release character; outside UNOA
 * (level A); outside UNOB (printable ASCII). */
#define EDI_W_ESC   1u
#define EDI_W_NOT_A 2u
#define EDI_W_NOT_B 4u

/* Appends segments to a buffer. */
struct edi_writer {
    struct buf *out;
    struct edi_chars chars;
    unsigned char cls[256]; /* per byte: EDI_W_ESC | EDI_W_NOT_A | EDI_W_NOT_B */
    unsigned seen;          /* EDI_W_NOT_A / EDI_W_NOT_B when such bytes were written */
    char pending[256];      /* separators not yet written (trailing empties are dropped) */
    size_t npending;
    unsigned count; /* segments ended since the last edi_w_mark */
    bool in_seg;
};

/* Starts a writer on out with the given characters (NULL: defaults). With
 * una, writes the service string advice first ("UNA:+.? '"). A repetition
 * separator of 0 is written as a space in the UNA. The writer also escapes
 * '*' so that a syntax-4 reader that assumes '*' repeats still reads the data. */
void edi_w_init(struct edi_writer *w, struct buf *out, const struct edi_chars *chars, bool una);
/* Begins a segment with the given tag. */
void edi_w_seg(struct edi_writer *w, const char *tag);
/* Begins the next data element, whose first component is v (NULL = empty). */
void edi_w_elem(struct edi_writer *w, const char *v);
/* Adds the next component v (NULL = empty) to the current element. */
void edi_w_comp(struct edi_writer *w, const char *v);
/* Begins the next repetition of the current element with first component v.
 * Meaningful only when the writer's characters have a repetition separator
 * (syntax 4); without one it writes '*', which the UNA does not declare. */
void edi_w_rep(struct edi_writer *w, const char *v);
/* Like edi_w_elem / edi_w_comp with printf-style text (never escaped specially). */
void edi_w_elemf(struct edi_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void edi_w_compf(struct edi_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Ends the segment: writes the terminator, drops trailing empty parts. */
void edi_w_end(struct edi_writer *w);
/* Restarts the segment count (call before writing UNH). */
void edi_w_mark(struct edi_writer *w);
/* The smallest repertoire that holds every value written so far: "UNOA",
 * "UNOB" or "UNOW" (UTF-8). */
const char *edi_w_charset(const struct edi_writer *w);

#endif

/* mrz.c — reading an MRZ: the text is cut into lines and checked against the
 * alphabet (mrz_parse_at), then every field is decoded and every check digit
 * verified from a table of field positions per format (mrz_decode).
 * Nothing here allocates: the whole result lives in the caller's mrz_doc. */
#include "travel/mrz.h"
#include "travel/mrz_internal.h"
#include "util/timeutil.h"

#include <stddef.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct pos {
    uint8_t line, col; /* 0-based */
};

struct seg {
    uint8_t line, col, n;
};

/* Where each field is (Doc 9303 Parts 4-7). */
struct layout {
    struct pos state, name, doc, nat, birth, sex, expiry, opt, opt2, comp;
    uint8_t name_n, opt_n, opt2_n, nseg;
    bool opt_check, composite;
    struct seg seg[4]; /* what the composite check digit covers */
};

static const struct layout layouts[] = {
    [MRZ_TD1] = {.state = {0, 2},
                 .name = {2, 0},
                 .doc = {0, 5},
                 .nat = {1, 15},
                 .birth = {1, 0},
                 .sex = {1, 7},
                 .expiry = {1, 8},
                 .opt = {0, 15},
                 .opt2 = {1, 18},
                 .comp = {1, 29},
                 .name_n = 30,
                 .opt_n = 15,
                 .opt2_n = 11,
                 .nseg = 4,
                 .composite = true,
                 .seg = {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}}},
    [MRZ_TD2] = {.state = {0, 2},
                 .name = {0, 5},
                 .doc = {1, 0},
                 .nat = {1, 10},
                 .birth = {1, 13},
                 .sex = {1, 20},
                 .expiry = {1, 21},
                 .opt = {1, 28},
                 .comp = {1, 35},
                 .name_n = 31,
                 .opt_n = 7,
                 .nseg = 3,
                 .composite = true,
                 .seg = {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}}},
    [MRZ_TD3] = {.state = {0, 2},
                 .name = {0, 5},
                 .doc = {1, 0},
                 .nat = {1, 10},
                 .birth = {1, 13},
                 .sex = {1, 20},
                 .expiry = {1, 21},
                 .opt = {1, 28},
                 .comp = {1, 43},
                 .name_n = 39,
                 .opt_n = 14,
                 .nseg = 3,
                 .opt_check = true,
                 .composite = true,
                 .seg = {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}}},
    [MRZ_MRVA] = {.state = {0, 2},
                  .name = {0, 5},
                  .doc = {1, 0},
                  .nat = {1, 10},
                  .birth = {1, 13},
                  .sex = {1, 20},
                  .expiry = {1, 21},
                  .opt = {1, 28},
                  .name_n = 39,
                  .opt_n = 16},
    [MRZ_MRVB] = {.state = {0, 2},
                  .name = {0, 5},
                  .doc = {1, 0},
                  .nat = {1, 10},
                  .birth = {1, 13},
                  .sex = {1, 20},
                  .expiry = {1, 21},
                  .opt = {1, 28},
                  .name_n = 31,
                  .opt_n = 8},
};

/* Character classes of the input: 0 MRZ alphabet, 1 lower case, 2 other. */
/* clang-format off */
static const unsigned char cclass[256] = {
#define R2 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
    R2, R2, R2, /* 0x00-0x2f */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 2, 2, 2, /* 0-9 : ; < = > ? */
    2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* @ A-O */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, /* P-Z [ \ ] ^ _ */
    2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* ` a-o */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, /* p-z { | } ~ DEL */
    R2, R2, R2, R2, R2, R2, R2, R2,                 /* 0x80-0xff */
#undef R2
};
/* clang-format on */

struct mrz_issue *mrz_issue_add(struct mrz_doc *doc, int code, int line, int col, const char *text,
                                size_t textlen)
{
    bool error = code >= MRZ_E_EMPTY;
    uint8_t *n = error ? &doc->nerrors : &doc->nwarnings;
    if (*n >= MRZ_MAX_ISSUES)
        return NULL;
    struct mrz_issue *is = (error ? doc->errors : doc->warnings) + (*n)++;
    is->code = (uint16_t)code;
    is->line = (uint8_t)line;
    is->col = (uint8_t)col;
    is->a = is->b = 0;
    if (textlen > sizeof is->text - 1)
        textlen = sizeof is->text - 1;
    if (text)
        memcpy(is->text, text, textlen);
    is->text[text ? textlen : 0] = '\0';
    return is;
}

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool is_letter(char c)
{
    return c >= 'A' && c <= 'Z';
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* High bit of each byte of x (bytes < 0x80) that lies in [lo, hi]. */
static inline uint64_t in_range(uint64_t x, unsigned lo, unsigned hi)
{
    return (x + ONES * (0x80 - lo)) & ~(x + ONES * (0x7f - hi)) & HIGH;
}

static inline uint64_t load8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Bytes of x that are not in A-Z 0-9 < (high bit set per such byte). */
static inline uint64_t not_mrz8(uint64_t x)
{
    uint64_t y = x & ~HIGH;
    uint64_t ok = in_range(y, '0', '9') | in_range(y, 'A', 'Z') | in_range(y, '<', '<');
    return (~ok & HIGH) | (x & HIGH);
}

/* Bytes of x that are not in A-Z or '<'. */
static inline uint64_t not_name8(uint64_t x)
{
    uint64_t y = x & ~HIGH;
    return (~(in_range(y, 'A', 'Z') | in_range(y, '<', '<')) & HIGH) | (x & HIGH);
}

#ifdef __SSE2__
/* Bytes of the 16 at p that are not in A-Z 0-9 < (a bit per byte). */
static inline unsigned not_mrz16(const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    __m128i dig = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    __m128i let = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
                                _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
    __m128i fil = _mm_cmpeq_epi8(x, _mm_set1_epi8('<'));
    return ~(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(dig, let), fil)) & 0xffff;
}
#endif

#ifdef __SSE2__
/* 7-3-1 weights from each phase, and a byte mask of the first n lanes. */
/* clang-format off */
static const int16_t wtab[3][16] = {
    {7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7},
    {3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3},
    {1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1},
};
/* clang-format on */
static const unsigned char lanes[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* Weighted sum of n <= 16 checked characters at p; reads 16 bytes, so p
 * must lie in doc->lines with room after it (the struct has it). */
static inline unsigned wsum16(const char *p, size_t n, unsigned phase)
{
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    __m128i v = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    v = _mm_sub_epi8(v, _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('@')), _mm_set1_epi8(7)));
    v = _mm_andnot_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('<')), v);
    v = _mm_and_si128(v, _mm_loadu_si128((const __m128i *)(lanes + 16 - n)));
    __m128i z = _mm_setzero_si128();
    __m128i w0 = _mm_loadu_si128((const __m128i *)wtab[phase]);
    __m128i w1 = _mm_loadu_si128((const __m128i *)(wtab[phase] + 8));
    __m128i sum = _mm_add_epi32(_mm_madd_epi16(_mm_unpacklo_epi8(v, z), w0),
                                _mm_madd_epi16(_mm_unpackhi_epi8(v, z), w1));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0x4E));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0xB1));
    return (unsigned)_mm_cvtsi128_si32(sum);
}
#endif

/* mrz_weighted_sum for characters inside doc->lines. */
static inline unsigned line_sum(const char *p, size_t n, unsigned phase)
{
#ifdef __SSE2__
    unsigned sum = 0;
    while (n > 16) {
        sum += wsum16(p, 16, phase);
        p += 16, n -= 16, phase = (phase + 16) % 3;
    }
    return sum + wsum16(p, n, phase);
#else
    return mrz_weighted_sum(p, n, phase);
#endif
}

/* True when n bytes at p are all in A-Z 0-9 < (the last block overlaps
 * when n is not a multiple of the block). */
static bool all_mrz(const unsigned char *p, size_t n)
{
    uint64_t bad = 0;
    size_t i = 0;
#ifdef __SSE2__
    if (n >= 16) {
        for (; i + 16 <= n; i += 16)
            bad |= not_mrz16(p + i);
        if (i < n)
            bad |= not_mrz16(p + n - 16);
        return bad == 0;
    }
#endif
    if (n < 8) {
        for (; i < n; i++)
            bad |= cclass[p[i]];
        return bad == 0;
    }
    for (; i + 8 <= n; i += 8)
        bad |= not_mrz8(load8(p + i));
    if (i < n)
        bad |= not_mrz8(load8(p + n - 8));
    return bad == 0;
}

/* True when n bytes at p are all in A-Z or '<'. */
static bool all_name(const unsigned char *p, size_t n)
{
    uint64_t bad = 0;
    size_t i = 0;
    if (n < 8) {
        for (; i < n; i++)
            bad |= !((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '<');
        return bad == 0;
    }
    for (; i + 8 <= n; i += 8)
        bad |= not_name8(load8(p + i));
    if (i < n)
        bad |= not_name8(load8(p + n - 8));
    return bad == 0;
}

static bool all_filler(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        if (load8((const unsigned char *)s + i) != ONES * '<')
            return false;
    for (; i < n; i++)
        if (s[i] != '<')
            return false;
    return true;
}

/* Copies n characters without the fillers at the end. */
static void copy_trim(char *out, const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == '<')
        n--;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Verifies the check digit cd of field s[0..n); an all-filler field may have
 * '<' (or 0) as its digit. On failure adds the error at (line, col). */
static enum mrz_check check_field(struct mrz_doc *doc, const char *s, size_t n, char cd, int code,
                                  int line, int col)
{
    unsigned want = line_sum(s, n, 0) % 10;
    if (is_digit(cd) ? (unsigned)(cd - '0') == want : (cd == '<' && all_filler(s, n)))
        return MRZ_CHECK_OK;
    struct mrz_issue *is = mrz_issue_add(doc, code, line, col, s, n);
    if (is) {
        is->a = cd;
        is->b = (int16_t)('0' + want);
    }
    return MRZ_CHECK_FAIL;
}

/* State or nationality: letters with '<' fillers. */
static void decode_code3(struct mrz_doc *doc, const char *s, struct pos at, int warn, char *out)
{
    for (int i = 0; i < 3; i++) {
        if (!is_letter(s[i]) && s[i] != '<') {
            mrz_issue_add(doc, MRZ_E_CODE_CHARACTER, at.line + 1, at.col + i + 1, s, 3);
            copy_trim(out, s, 3);
            return;
        }
    }
    copy_trim(out, s, 3);
    if (!mrz_known_code3(s))
        mrz_issue_add(doc, warn, at.line + 1, at.col + 1, out, strlen(out));
}

static void decode_document_code(struct mrz_doc *doc)
{
    const char *l = doc->lines[0];
    char c0 = l[0], c1 = l[1];
    doc->document_code[0] = c0;
    doc->document_code[1] = c1 == '<' ? '\0' : c1;
    doc->document_code[2] = '\0';
    bool ok, usual;
    switch (doc->format) {
    case MRZ_TD1:
        ok = usual = c0 == 'I' || c0 == 'A' || c0 == 'C';
        break;
    case MRZ_TD2:
        usual = c0 == 'I' || c0 == 'A' || c0 == 'C';
        ok = usual || c0 == 'P';
        break;
    case MRZ_TD3:
        usual = c0 == 'P';
        ok = usual || c0 == 'I' || c0 == 'A' || c0 == 'C';
        break;
    default: /* visas: V by definition */
        ok = usual = true;
    }
    if (is_digit(c1))
        ok = false;
    if (!ok)
        mrz_issue_add(doc, MRZ_E_DOCUMENT_CODE, 1, 1, l, 2);
    else if (!usual)
        mrz_issue_add(doc, MRZ_W_DOCUMENT_CODE, 1, 1, doc->document_code,
                      strlen(doc->document_code));
}

/* Copies a name part, '<' -> ' ', runs of spaces collapsed, no space at
 * either end. */
static void name_part(char *out, const char *s, size_t n)
{
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '<') {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = false;
        out[o++] = s[i];
    }
    out[o] = '\0';
}

/* The first "<<" in s[0..n), or NULL. */
static const char *find_double_filler(const char *s, size_t n)
{
    const char *end = s + n, *p = s;
    while (p + 1 < end) {
        const char *q = memchr(p, '<', (size_t)(end - p - 1));
        if (!q)
            return NULL;
        if (q[1] == '<')
            return q;
        p = q + 2;
    }
    return NULL;
}

/* A name part without inner "<<" and with only fillers after it: '<' -> ' '. */
static bool name_part_fast(char *out, const char *s, size_t n)
{
    const char *e = find_double_filler(s, n);
    size_t len = e ? (size_t)(e - s) : n;
    if (e && !all_filler(e, n - len))
        return false;
    if (len && s[len - 1] == '<')
        len--;
    if (len && s[0] == '<')
        return false;
    for (size_t i = 0; i < len; i++)
        out[i] = s[i] == '<' ? ' ' : s[i];
    out[len] = '\0';
    return true;
}

static void decode_name(struct mrz_doc *doc, const struct layout *L)
{
    const char *f = doc->lines[L->name.line] + L->name.col;
    size_t n = L->name_n;
    if (!all_name((const unsigned char *)f, n)) {
        for (size_t i = 0; i < n; i++) {
            if (!is_letter(f[i]) && f[i] != '<') {
                mrz_issue_add(doc, MRZ_E_NAME_CHARACTER, L->name.line + 1,
                              (int)(L->name.col + i + 1), f + i, 1);
                break;
            }
        }
    }
    const char *sep = find_double_filler(f, n);
    if (sep) {
        size_t pl = (size_t)(sep - f), rest = n - pl - 2;
        if (!name_part_fast(doc->surname, f, pl))
            name_part(doc->surname, f, pl);
        if (!name_part_fast(doc->given_names, sep + 2, rest))
            name_part(doc->given_names, sep + 2, rest);
    } else {
        name_part(doc->surname, f, n);
        doc->given_names[0] = '\0';
    }
    if (f[n - 1] != '<') {
        doc->name_truncated = true;
        mrz_issue_add(doc, MRZ_W_NAME_TRUNCATED, L->name.line + 1, (int)(L->name.col + n), NULL, 0);
    }
}

/* TD1/TD2 long document number: the check-digit place holds '<' and the
 * rest of the number, then its check digit, open the optional data field.
 * Returns the characters of the optional field used (number, digit and the
 * '<' after them). */
static size_t decode_long_number(struct mrz_doc *doc, const struct layout *L, const char *d)
{
    const char *o = doc->lines[L->opt.line] + L->opt.col;
    size_t e = 0;
    while (e < L->opt_n && o[e] != '<')
        e++;
    memcpy(doc->document_number, d, 9);
    memcpy(doc->document_number + 9, o, e - 1);
    doc->document_number[9 + e - 1] = '\0';
    char cd = o[e - 1];
    unsigned s9 = line_sum(d, 9, 0);
    unsigned without = (s9 + line_sum(o, e - 1, 0)) % 10;
    unsigned with = (s9 + line_sum(o, e - 1, 1)) % 10;
    bool ok_without = is_digit(cd) && (unsigned)(cd - '0') == without;
    bool ok_with = is_digit(cd) && (unsigned)(cd - '0') == with;
    doc->long_rule = ok_without && ok_with ? MRZ_LONG_BOTH
                     : ok_without          ? MRZ_LONG_WITHOUT_FILLER
                     : ok_with             ? MRZ_LONG_WITH_FILLER
                                           : MRZ_LONG_NEITHER;
    doc->check_document_number = ok_with || ok_without ? MRZ_CHECK_OK : MRZ_CHECK_FAIL;
    if (!(ok_with || ok_without)) {
        struct mrz_issue *is =
            mrz_issue_add(doc, MRZ_E_CHECK_DOCUMENT_NUMBER, L->opt.line + 1, (int)(L->opt.col + e),
                          doc->document_number, strlen(doc->document_number));
        if (is) {
            is->a = cd;
            is->b = (int16_t)('0' + without);
        }
    }
    return e < L->opt_n ? e + 1 : e;
}

static void decode_number_and_optional(struct mrz_doc *doc, const struct layout *L)
{
    const char *d = doc->lines[L->doc.line] + L->doc.col;
    const char *o = doc->lines[L->opt.line] + L->opt.col;
    size_t used = 0;
    bool overflow =
        (doc->format == MRZ_TD1 || doc->format == MRZ_TD2) && d[9] == '<' && o[0] != '<';
    if (overflow) {
        used = decode_long_number(doc, L, d);
    } else {
        copy_trim(doc->document_number, d, 9);
        if (doc->document_number[0] == '\0')
            mrz_issue_add(doc, MRZ_E_DOCUMENT_NUMBER, L->doc.line + 1, L->doc.col + 1, NULL, 0);
        doc->check_document_number = check_field(doc, d, 9, d[9], MRZ_E_CHECK_DOCUMENT_NUMBER,
                                                 L->doc.line + 1, L->doc.col + 10);
    }
    copy_trim(doc->optional_data, o + used, L->opt_n - used);
    if (L->opt_check)
        doc->check_optional_data =
            check_field(doc, o, L->opt_n, o[L->opt_n], MRZ_E_CHECK_OPTIONAL_DATA, L->opt.line + 1,
                        L->opt.col + L->opt_n + 1);
    if (L->opt2_n) {
        doc->has_optional_data_2 = true;
        copy_trim(doc->optional_data_2, doc->lines[L->opt2.line] + L->opt2.col, L->opt2_n);
    }
}

/* A two-character date part: its value, -1 for "<<" (unknown), -2 unreadable. */
static int date_part(const char *s)
{
    if (is_digit(s[0]) && is_digit(s[1]))
        return (s[0] - '0') * 10 + (s[1] - '0');
    if (s[0] == '<' && s[1] == '<')
        return -1;
    return -2;
}

struct today {
    int64_t days;
    int y, m, d;
};

/* Decodes a YYMMDD date. Birth: unknown parts allowed, the century makes it
 * the latest date not after today. Expiry: the year within [today - 50,
 * today + 49]; all fillers is "no expiry" (a warning); other unknown parts
 * are errors. */
static void decode_date(struct mrz_doc *doc, const char *s, struct pos at, bool birth,
                        const struct today *t, struct mrz_date *out)
{
    memcpy(out->raw, s, 6);
    out->raw[6] = '\0';
    int yy = date_part(s), mm = date_part(s + 2), dd = date_part(s + 4);
    int bad = birth ? MRZ_E_BIRTH_DATE : MRZ_E_EXPIRY_DATE;
    if (!birth && yy == -1 && mm == -1 && dd == -1) {
        mrz_issue_add(doc, MRZ_W_NO_EXPIRY, at.line + 1, at.col + 1, NULL, 0);
        return;
    }
    if (yy == -2 || mm == -2 || dd == -2 || (!birth && (yy < 0 || mm < 0 || dd < 0))) {
        mrz_issue_add(doc, bad, at.line + 1, at.col + 1, s, 6);
        return;
    }
    int y = 0;
    if (yy >= 0) {
        if (birth) {
            y = 2000 + yy;
            if (y > t->y || (y == t->y && (mm > t->m || (mm == t->m && dd > t->d))))
                y -= 100;
        } else {
            y = 2000 + yy;
            while (y > t->y + 49)
                y -= 100;
            while (y < t->y - 50)
                y += 100;
        }
    }
    bool ok =
        mm < 0 ? dd <= 31 : (dd < 0 ? mm >= 1 && mm <= 12 : time_valid_date(y ? y : 2000, mm, dd));
    if (mm < 0 && dd == 0)
        ok = false;
    if (!ok) {
        mrz_issue_add(doc, bad, at.line + 1, at.col + 1, s, 6);
        return;
    }
    if (yy < 0 || mm < 0 || dd < 0)
        mrz_issue_add(doc, MRZ_W_BIRTH_UNKNOWN, at.line + 1, at.col + 1, s, 6);
    out->year = (int16_t)y;
    out->month = (int8_t)(mm < 0 ? 0 : mm);
    out->day = (int8_t)(dd < 0 ? 0 : dd);
    out->readable = true;
}

static void decode_dates_and_sex(struct mrz_doc *doc, const struct layout *L, const struct today *t)
{
    const char *b = doc->lines[L->birth.line] + L->birth.col;
    const char *e = doc->lines[L->expiry.line] + L->expiry.col;
    decode_date(doc, b, L->birth, true, t, &doc->birth_date);
    doc->check_birth_date =
        check_field(doc, b, 6, b[6], MRZ_E_CHECK_BIRTH_DATE, L->birth.line + 1, L->birth.col + 7);
    char s = doc->lines[L->sex.line][L->sex.col];
    if (s == 'M' || s == 'F') {
        doc->sex = s;
    } else if (s == '<' || s == 'X') {
        doc->sex = 'X';
    } else {
        doc->sex = '?';
        mrz_issue_add(doc, MRZ_E_SEX, L->sex.line + 1, L->sex.col + 1, &s, 1);
    }
    decode_date(doc, e, L->expiry, false, t, &doc->expiry_date);
    doc->check_expiry_date = check_field(doc, e, 6, e[6], MRZ_E_CHECK_EXPIRY_DATE,
                                         L->expiry.line + 1, L->expiry.col + 7);
}

static void decode_composite(struct mrz_doc *doc, const struct layout *L)
{
    unsigned sum = 0, phase = 0;
    for (int i = 0; i < L->nseg; i++) {
        const struct seg *g = &L->seg[i];
        sum += line_sum(doc->lines[g->line] + g->col, g->n, phase);
        phase = (phase + g->n) % 3;
    }
    char cd = doc->lines[L->comp.line][L->comp.col];
    unsigned want = sum % 10;
    if (is_digit(cd) && (unsigned)(cd - '0') == want) {
        doc->check_composite = MRZ_CHECK_OK;
        return;
    }
    doc->check_composite = MRZ_CHECK_FAIL;
    struct mrz_issue *is =
        mrz_issue_add(doc, MRZ_E_CHECK_COMPOSITE, L->comp.line + 1, L->comp.col + 1, NULL, 0);
    if (is) {
        is->a = cd;
        is->b = (int16_t)('0' + want);
    }
}

void mrz_decode(struct mrz_doc *doc, int64_t today, bool ocr)
{
    const struct layout *L = &layouts[doc->format];
    struct today t = {.days = today};
    time_civil_from_days(today, &t.y, &t.m, &t.d);
    decode_document_code(doc);
    decode_code3(doc, doc->lines[L->state.line] + L->state.col, L->state, MRZ_W_UNKNOWN_STATE,
                 doc->issuing_state);
    decode_name(doc, L);
    decode_number_and_optional(doc, L);
    decode_code3(doc, doc->lines[L->nat.line] + L->nat.col, L->nat, MRZ_W_UNKNOWN_NATIONALITY,
                 doc->nationality);
    decode_dates_and_sex(doc, L, &t);
    if (L->composite)
        decode_composite(doc, L);
    doc->valid = doc->nerrors == 0;
    if (!doc->valid && doc->format == MRZ_TD2 && memcmp(doc->lines[0], "IDFRA", 5) == 0)
        mrz_issue_add(doc, MRZ_W_NON_ICAO, 0, 0, "IDFRA", 5);
    if (!doc->valid && ocr)
        mrz_suggest(doc, today);
}

/* --- from text to lines ------------------------------------------------------ */

struct span {
    const char *p;
    size_t n;
};

/* Cuts text into non-blank lines (at most 4 kept, *count counts them all),
 * trimming spaces and tabs around each; notes CRs and trimmed spaces. */
static int split_lines(struct mrz_doc *doc, const char *text, size_t len, struct span *sp,
                       int *count)
{
    const char *p = text, *end = text + len;
    bool cr = false, spaces = false;
    int n = 0, spaced_line = 0;
    while (p < end) {
        const char *le = memchr(p, '\n', (size_t)(end - p));
        if (!le)
            le = end;
        const char *c = memchr(p, '\r', (size_t)(le - p));
        const char *next = le + 1;
        if (c) { /* "\r\n", or a lone '\r' used as the separator */
            cr = true;
            next = c + 1 == le ? le + 1 : c + 1;
            le = c;
        }
        const char *a = p, *b = le;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (a != p || b != le) {
            spaces = true;
            if (!spaced_line && b > a)
                spaced_line = n + 1;
        }
        if (b > a) {
            if (n < 4)
                sp[n] = (struct span){a, (size_t)(b - a)};
            n++;
        }
        p = next;
    }
    *count = n;
    if (cr)
        mrz_issue_add(doc, MRZ_W_CRLF, 0, 0, NULL, 0);
    if (spaces && spaced_line)
        mrz_issue_add(doc, MRZ_W_SPACES, spaced_line, 0, NULL, 0);
    return n;
}

static void length_error(struct mrz_doc *doc, int line, size_t got, int want)
{
    struct mrz_issue *is = mrz_issue_add(doc, MRZ_E_LINE_LENGTH, line, 0, NULL, 0);
    if (is) {
        is->a = (int16_t)(got > 9999 ? 9999 : got);
        is->b = (int16_t)want;
    }
}

/* Decides the format from the lines' count and lengths; a single line of
 * 90, 72 or 88 characters is cut into 3 or 2 lines. Returns false (with an
 * error) when the shape is not an MRZ's. */
static bool shape(struct mrz_doc *doc, struct span *sp, int *n)
{
    if (*n == 1 && (sp[0].n == 90 || sp[0].n == 72 || sp[0].n == 88)) {
        size_t w = sp[0].n == 90 ? 30 : sp[0].n / 2;
        const char *p = sp[0].p;
        *n = (int)(sp[0].n / w);
        for (int i = 0; i < *n; i++)
            sp[i] = (struct span){p + i * w, w};
        mrz_issue_add(doc, MRZ_W_ONE_LINE, 0, 0, NULL, 0);
    }
    if (*n == 0) {
        mrz_issue_add(doc, MRZ_E_EMPTY, 0, 0, NULL, 0);
        return false;
    }
    if (*n == 1 || *n > 3) {
        struct mrz_issue *is = mrz_issue_add(doc, MRZ_E_LINE_COUNT, 0, 0, NULL, 0);
        if (is) {
            is->a = (int16_t)(*n > 9999 ? 9999 : *n);
            is->b = (int16_t)(*n == 1 ? (sp[0].n > 9999 ? 9999 : sp[0].n) : 0);
        }
        return false;
    }
    size_t w = *n == 3 ? 30 : sp[0].n;
    if (*n == 2 && w != 36 && w != 44)
        w = sp[1].n == 36 || sp[1].n == 44 ? sp[1].n : 0;
    for (int i = 0; i < *n; i++) {
        if (sp[i].n != w || w == 0) {
            length_error(doc, i + 1, sp[i].n, (int)w);
            return false;
        }
    }
    doc->nlines = (uint8_t)*n;
    doc->line_len = (uint8_t)w;
    bool visa = sp[0].p[0] == 'V' || sp[0].p[0] == 'v';
    doc->format = w == 30   ? MRZ_TD1
                  : w == 36 ? (visa ? MRZ_MRVB : MRZ_TD2)
                            : (visa ? MRZ_MRVA : MRZ_TD3);
    return true;
}

/* Copies the lines into doc->lines, upper-casing; false on a character
 * outside the alphabet (each one is reported). */
static bool copy_lines(struct mrz_doc *doc, const struct span *sp)
{
    unsigned bad = 0, lower = 0;
    for (int i = 0; i < doc->nlines; i++) {
        char *out = doc->lines[i];
        const unsigned char *in = (const unsigned char *)sp[i].p;
        memcpy(out, in, sp[i].n);
        out[sp[i].n] = '\0';
        if (all_mrz(in, sp[i].n))
            continue;
        for (size_t j = 0; j < sp[i].n; j++) {
            unsigned k = cclass[in[j]];
            if (k == 1) {
                out[j] = (char)(in[j] - 'a' + 'A');
                lower = 1;
            } else if (k == 2) {
                char t[12];
                size_t tl = 3;
                if (in[j] >= 0x20 && in[j] < 0x7f) {
                    t[0] = '\'', t[1] = (char)in[j], t[2] = '\'';
                } else {
                    static const char hex[] = "0123456789ABCDEF";
                    memcpy(t, "byte 0x", 7);
                    t[7] = hex[in[j] >> 4], t[8] = hex[in[j] & 15];
                    tl = 9;
                }
                mrz_issue_add(doc, MRZ_E_CHARACTER, i + 1, (int)j + 1, t, tl);
                bad = 1;
            }
        }
    }
    if (lower)
        mrz_issue_add(doc, MRZ_W_LOWER_CASE, 0, 0, NULL, 0);
    return !bad;
}

/* The common case without scanning for line ends: 2 lines of 44 or 36, or
 * 3 of 30, separated by single '\n' (one more may end the text), every
 * character in the alphabet. Anything else takes the general path. */
static bool fast_shape(struct mrz_doc *doc, const char *text, size_t len)
{
    size_t w;
    int n;
    if (len && text[len - 1] == '\n')
        len--;
    if (len == 89 || len == 73) {
        n = 2, w = (len - 1) / 2;
    } else if (len == 92) {
        n = 3, w = 30;
    } else {
        return false;
    }
    for (int i = 0; i < n; i++) {
        const char *p = text + i * (w + 1);
        if ((i + 1 < n && p[w] != '\n') || !all_mrz((const unsigned char *)p, w))
            return false;
    }
    for (int i = 0; i < n; i++) {
        memcpy(doc->lines[i], text + i * (w + 1), w);
        doc->lines[i][w] = '\0';
    }
    doc->nlines = (uint8_t)n;
    doc->line_len = (uint8_t)w;
    bool visa = text[0] == 'V';
    doc->format = w == 30   ? MRZ_TD1
                  : w == 36 ? (visa ? MRZ_MRVB : MRZ_TD2)
                            : (visa ? MRZ_MRVA : MRZ_TD3);
    return true;
}

static void set_err(const struct mrz_doc *doc, struct muster_err *err)
{
    if (!err)
        return;
    if (doc->nerrors == 0) {
        err_clear(err);
        return;
    }
    err->code = MUSTER_EINVAL;
    mrz_issue_text(&doc->errors[0], err->msg, sizeof err->msg);
}

int mrz_parse_at(const char *text, size_t len, int64_t today, struct mrz_doc *doc,
                 struct muster_err *err)
{
    memset(doc, 0, offsetof(struct mrz_doc, lines));
    if (text && fast_shape(doc, text, len)) {
        mrz_decode(doc, today, true);
        set_err(doc, err);
        return 0;
    }
    struct span sp[4];
    int n;
    split_lines(doc, text ? text : "", text ? len : 0, sp, &n);
    if (!shape(doc, sp, &n) || !copy_lines(doc, sp)) {
        set_err(doc, err);
        return MUSTER_EINVAL;
    }
    mrz_decode(doc, today, true);
    set_err(doc, err);
    return 0;
}

int mrz_parse(const char *text, size_t len, struct mrz_doc *doc, struct muster_err *err)
{
    int64_t now = time_now();
    int64_t days = now >= 0 ? now / 86400 : -((-now + 86399) / 86400);
    return mrz_parse_at(text, len, days, doc, err);
}

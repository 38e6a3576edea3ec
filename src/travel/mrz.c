/* mrz.c — decoding an MRZ whose lines are in place (mrz_input.c puts them
 * there): every field is decoded and every check digit verified from a table
 * of field positions per format (mrz_decode). Nothing here allocates: the
 * whole result lives in the caller's mrz_doc. */
#include "travel/mrz.h"
#include "travel/mrz_internal.h"
#include "util/timeutil.h"

#include <stddef.h>
#include <string.h>

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

/* Copies n characters without the fillers at the end. */
static void copy_trim(char *out, const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == '<')
        n--;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* copy_trim for n <= 16 into out of 17 bytes or more, from doc->lines (a
 * fixed 16-byte copy: no call, no loop). */
static void copy_trim16(char *out, const char *s, size_t n)
{
    memcpy(out, s, 16);
    while (n > 0 && s[n - 1] == '<')
        n--;
    out[n] = '\0';
}

/* Verifies the check digit cd of field s[0..n); an all-filler field may have
 * '<' (or 0) as its digit. On failure adds the error at (line, col). */
static enum mrz_check check_field(struct mrz_doc *doc, const char *s, size_t n, char cd, int code,
                                  int line, int col)
{
    unsigned want = mrz_line_sum(s, n, 0) % 10;
    if (is_digit(cd) ? (unsigned)(cd - '0') == want : (cd == '<' && mrz_all_filler(s, n)))
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
    /* the usual case: three letters, or a letter and fillers, on the list */
    unsigned a = (unsigned)(s[0] - 'A'), b = (unsigned)(s[1] - 'A'), c = (unsigned)(s[2] - 'A');
    b = s[1] == '<' ? 26 : b;
    c = s[2] == '<' ? 26 : c;
    if (a < 26 && b < 27 && c < 27 && ((mrz_known[a][b] >> c) & 1)) {
        out[0] = s[0];
        out[1] = b == 26 ? '\0' : s[1];
        out[2] = c == 26 ? '\0' : s[2];
        out[3] = '\0';
        return;
    }
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

/* Bit i set when s[i] is '<', for i < n <= 48 (s lies in doc->lines, which
 * has room for the 48 bytes read). */
static uint64_t filler_mask(const char *s, size_t n)
{
    uint64_t m = 0;
#ifdef __SSE2__
    __m128i f = _mm_set1_epi8('<');
    for (size_t i = 0; i < n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, f)) << i;
    }
#else
    for (size_t i = 0; i < n; i++)
        m |= (uint64_t)(s[i] == '<') << i;
#endif
    return n >= 64 ? m : m & ((1ull << n) - 1);
}

/* Copies len name characters with '<' read as ' ' into out (40 bytes). */
static void name_copy(char *out, const char *s, size_t len)
{
    size_t i = 0;
#ifdef __SSE2__
    /* sixteen at a time while out has room for the store */
    for (; i < len && i + 16 <= 40 - 1; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i f = _mm_cmpeq_epi8(x, _mm_set1_epi8('<'));
        x = _mm_or_si128(_mm_andnot_si128(f, x), _mm_and_si128(f, _mm_set1_epi8(' ')));
        _mm_storeu_si128((__m128i *)(out + i), x);
    }
#endif
    for (; i < len; i++)
        out[i] = s[i] == '<' ? ' ' : s[i];
    out[len] = '\0';
}

/* Reads a name part of n characters whose filler bits are m: when it is the
 * plain shape (components joined by single '<', then only fillers) it is
 * copied directly, else name_part collapses whatever it holds. */
static void name_read(char *out, const char *s, size_t n, uint64_t m)
{
    uint64_t pairs = m & (m >> 1);
    size_t len = pairs ? (size_t)__builtin_ctzll(pairs) : n;
    uint64_t rest = n >= 64 ? ~0ull : (1ull << n) - 1;
    bool plain = (m & 1) == 0 && (m >> len) == (rest >> len);
    if (plain && len && s[len - 1] == '<')
        len--;
    if (plain)
        name_copy(out, s, len);
    else
        name_part(out, s, n);
}

static void decode_name(struct mrz_doc *doc, const struct layout *L)
{
    const char *f = doc->lines[L->name.line] + L->name.col;
    size_t n = L->name_n;
    if (!mrz_all_name((const unsigned char *)f, n)) {
        for (size_t i = 0; i < n; i++) {
            if (!is_letter(f[i]) && f[i] != '<') {
                mrz_issue_add(doc, MRZ_E_NAME_CHARACTER, L->name.line + 1,
                              (int)(L->name.col + i + 1), f + i, 1);
                break;
            }
        }
    }
    uint64_t m = filler_mask(f, n), pairs = m & (m >> 1);
    if (pairs) {
        size_t pl = (size_t)__builtin_ctzll(pairs);
        name_read(doc->surname, f, pl, m & ((1ull << pl) - 1));
        name_read(doc->given_names, f + pl + 2, n - pl - 2, m >> (pl + 2));
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
    unsigned s9 = mrz_line_sum(d, 9, 0);
    unsigned without = (s9 + mrz_line_sum(o, e - 1, 0)) % 10;
    unsigned with = (s9 + mrz_line_sum(o, e - 1, 1)) % 10;
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
        copy_trim16(doc->document_number, d, 9);
        if (doc->document_number[0] == '\0')
            mrz_issue_add(doc, MRZ_E_DOCUMENT_NUMBER, L->doc.line + 1, L->doc.col + 1, NULL, 0);
        doc->check_document_number = check_field(doc, d, 9, d[9], MRZ_E_CHECK_DOCUMENT_NUMBER,
                                                 L->doc.line + 1, L->doc.col + 10);
    }
    copy_trim16(doc->optional_data, o + used, L->opt_n - used);
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

/* The usual case: six digits, a calendar date, and no warning to give.
 * Returns false to let decode_date handle (and report) everything else. */
static bool date_fast(const char *s, bool birth, const struct today *t, struct mrz_date *out)
{
    static const int8_t mdays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < 6; i++)
        if (!is_digit(s[i]))
            return false;
    int yy = (s[0] - '0') * 10 + (s[1] - '0');
    int mm = (s[2] - '0') * 10 + (s[3] - '0');
    int dd = (s[4] - '0') * 10 + (s[5] - '0');
    if (mm < 1 || mm > 12 || dd < 1 || dd > mdays[mm])
        return false;
    int y = 2000 + yy;
    if (birth) {
        if (y > t->y || (y == t->y && (mm > t->m || (mm == t->m && dd > t->d))))
            y -= 100;
    } else {
        while (y > t->y + 49)
            y -= 100;
        while (y < t->y - 50)
            y += 100;
    }
    if (mm == 2 && dd == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    out->year = (int16_t)y;
    out->month = (int8_t)mm;
    out->day = (int8_t)dd;
    out->readable = true;
    return true;
}

/* Decodes a YYMMDD date. Birth: unknown parts allowed, the century makes it
 * the latest date not after today. Expiry: the year within [today - 50,
 * today + 49]; all fillers is "no expiry" (a warning); other unknown parts
 * are errors. */
static void decode_date(struct mrz_doc *doc, const char *s, struct pos at, bool birth,
                        const struct today *t, struct mrz_date *out)
{
    memcpy(out->raw, s, 6);
    out->raw[6] = '\0';
    if (date_fast(s, birth, t, out))
        return;
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
        sum += mrz_line_sum(doc->lines[g->line] + g->col, g->n, phase);
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

/* Today's civil date: time_civil_from_days in 32-bit arithmetic for the
 * days of 1970-2517, which is all a reader will meet. */
static void civil(int64_t days, struct today *t)
{
    if (days < 0 || days > 200000) {
        time_civil_from_days(days, &t->y, &t->m, &t->d);
        return;
    }
    uint32_t z = (uint32_t)days + 719468u;
    uint32_t era = z / 146097u, doe = z - era * 146097u;
    uint32_t yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    uint32_t doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    uint32_t mp = (5u * doy + 2u) / 153u;
    t->d = (int)(doy - (153u * mp + 2u) / 5u + 1u);
    t->m = (int)(mp < 10 ? mp + 3 : mp - 9);
    t->y = (int)(yoe + era * 400u) + (t->m <= 2);
}

void mrz_decode(struct mrz_doc *doc, int64_t today, bool ocr)
{
    const struct layout *L = &layouts[doc->format];
    struct today t = {.days = today};
    civil(today, &t);
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

/* mrz.c — decoding an MRZ whose lines are in place (mrz_input.c puts them
 * there): every field is decoded and every check digit verified.
 *
 * One pass over the lines (scan_lines) classifies each character into bit
 * masks (digit, filler) and turns the lines that carry check digits into
 * 16-bit values; a check digit is then a few multiply-adds against the
 * format's weight table, and a field reads its masks instead of looping over
 * its characters. Each field has a short path for the usual document and a
 * separate cold function that works out and reports anything else, so the
 * rules live in one place. The decoder is instantiated once per format
 * (decode_as), so the positions of the layout are constants. Nothing here
 * allocates: the whole result lives in the caller's mrz_doc. */
#include "travel/mrz.h"
#include "travel/mrz_internal.h"
#include "util/timeutil.h"

#include <stddef.h>
#include <string.h>

#define COLD   __attribute__((cold, noinline))
#define INLINE static inline __attribute__((always_inline))

struct pos {
    uint8_t line, col; /* 0-based */
};

/* Where each field is (Doc 9303 Parts 4-7). */
struct layout {
    struct pos state, name, doc, nat, birth, sex, expiry, opt, opt2, comp;
    uint8_t nlines, width, name_n, opt_n, opt2_n;
    bool opt_check, composite;
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
                 .nlines = 3,
                 .width = 30,
                 .name_n = 30,
                 .opt_n = 15,
                 .opt2_n = 11,
                 .composite = true},
    [MRZ_TD2] = {.state = {0, 2},
                 .name = {0, 5},
                 .doc = {1, 0},
                 .nat = {1, 10},
                 .birth = {1, 13},
                 .sex = {1, 20},
                 .expiry = {1, 21},
                 .opt = {1, 28},
                 .comp = {1, 35},
                 .nlines = 2,
                 .width = 36,
                 .name_n = 31,
                 .opt_n = 7,
                 .composite = true},
    [MRZ_TD3] = {.state = {0, 2},
                 .name = {0, 5},
                 .doc = {1, 0},
                 .nat = {1, 10},
                 .birth = {1, 13},
                 .sex = {1, 20},
                 .expiry = {1, 21},
                 .opt = {1, 28},
                 .comp = {1, 43},
                 .nlines = 2,
                 .width = 44,
                 .name_n = 39,
                 .opt_n = 14,
                 .opt_check = true,
                 .composite = true},
    [MRZ_MRVA] = {.state = {0, 2},
                  .name = {0, 5},
                  .doc = {1, 0},
                  .nat = {1, 10},
                  .birth = {1, 13},
                  .sex = {1, 20},
                  .expiry = {1, 21},
                  .opt = {1, 28},
                  .nlines = 2,
                  .width = 44,
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
                  .nlines = 2,
                  .width = 36,
                  .name_n = 31,
                  .opt_n = 8},
};

/* The weight of each position of a line in each check digit: 7-3-1 from the
 * field's start (from the running phase for each segment of the composite),
 * 0 elsewhere. TD1 has its number on line 1 and its composite over lines 1
 * and 2 (comp[0], comp[1]); the other formats have every check on line 2
 * (comp[1]). These are the positions of docs/mrz.md "Check digits". */
#define WT(p, s, n, ph)                                                                            \
    ((p) >= (s) && (p) < (s) + (n) ? (((p) - (s) + (ph)) % 3 == 0   ? 7                            \
                                      : ((p) - (s) + (ph)) % 3 == 1 ? 3                            \
                                                                    : 1)                           \
                                   : 0)
#define WT3(p, s1, n1, h1, s2, n2, h2, s3, n3, h3)                                                 \
    (WT(p, s1, n1, h1) + WT(p, s2, n2, h2) + WT(p, s3, n3, h3))
#define R8(F, b, ...)                                                                              \
    F((b) + 0, __VA_ARGS__), F((b) + 1, __VA_ARGS__), F((b) + 2, __VA_ARGS__),                     \
        F((b) + 3, __VA_ARGS__), F((b) + 4, __VA_ARGS__), F((b) + 5, __VA_ARGS__),                 \
        F((b) + 6, __VA_ARGS__), F((b) + 7, __VA_ARGS__)
#define R48(F, ...)                                                                                \
    {                                                                                              \
        R8(F, 0, __VA_ARGS__), R8(F, 8, __VA_ARGS__), R8(F, 16, __VA_ARGS__),                      \
            R8(F, 24, __VA_ARGS__), R8(F, 32, __VA_ARGS__), R8(F, 40, __VA_ARGS__)                 \
    }

struct weights {
    _Alignas(16) int16_t doc[48];
    int16_t birth[48], expiry[48], opt[48], comp[2][48];
};

static const struct weights weights[] = {
    [MRZ_TD1] = {.doc = R48(WT, 5, 9, 0),
                 .birth = R48(WT, 0, 6, 0),
                 .expiry = R48(WT, 8, 6, 0),
                 .comp = {R48(WT, 5, 25, 0), R48(WT3, 0, 7, 1, 8, 7, 2, 18, 11, 0)}},
    [MRZ_TD2] = {.doc = R48(WT, 0, 9, 0),
                 .birth = R48(WT, 13, 6, 0),
                 .expiry = R48(WT, 21, 6, 0),
                 .comp = {{0}, R48(WT3, 0, 10, 0, 13, 7, 1, 21, 14, 2)}},
    [MRZ_TD3] = {.doc = R48(WT, 0, 9, 0),
                 .birth = R48(WT, 13, 6, 0),
                 .expiry = R48(WT, 21, 6, 0),
                 .opt = R48(WT, 28, 14, 0),
                 .comp = {{0}, R48(WT3, 0, 10, 0, 13, 7, 1, 21, 22, 2)}},
    [MRZ_MRVA] = {.doc = R48(WT, 0, 9, 0), .birth = R48(WT, 13, 6, 0), .expiry = R48(WT, 21, 6, 0)},
    [MRZ_MRVB] = {.doc = R48(WT, 0, 9, 0), .birth = R48(WT, 13, 6, 0), .expiry = R48(WT, 21, 6, 0)},
};

/* What scan_lines learns from the lines in one pass. */
struct scan {
    uint64_t dig[3], fil[3]; /* bit c: lines[l][c] is a digit, a filler */
    bool bad;                /* a character outside A-Z 0-9 < */
#ifdef __SSE2__
    __m128i val[2][6]; /* check-digit values (A = 10, '<' = 0) of lines 1 and 2, 8 per vector */
#endif
};

/* Reads the nl lines of width w once. The loads of 16 bytes may reach past
 * a line (into the next, or the rest of doc): those bits are masked off and
 * their values weigh 0. */
INLINE void scan_lines(const struct mrz_doc *doc, enum mrz_format f, struct scan *sc)
{
    const int nl = layouts[f].nlines, w = layouts[f].width;
    const uint64_t wm = (1ull << w) - 1;
    bool bad = false;
    for (int l = 0; l < nl; l++) {
        const char *line = doc->lines[l];
        uint64_t dig = 0, fil = 0, ok = 0;
#ifdef __SSE2__
        bool vals = f == MRZ_TD1 ? l < 2 : l == 1;
        for (int k = 0; k * 16 < w; k++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(line + 16 * k));
            __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
            __m128i a = _mm_sub_epi8(x, _mm_set1_epi8('A'));
            __m128i isd = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
            __m128i isl = _mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(25)), a);
            __m128i isf = _mm_cmpeq_epi8(x, _mm_set1_epi8('<'));
            __m128i any = _mm_or_si128(_mm_or_si128(isd, isl), isf);
            dig |= (uint64_t)(unsigned)_mm_movemask_epi8(isd) << (16 * k);
            fil |= (uint64_t)(unsigned)_mm_movemask_epi8(isf) << (16 * k);
            ok |= (uint64_t)(unsigned)_mm_movemask_epi8(any) << (16 * k);
            if (vals) {
                __m128i v = _mm_sub_epi8(d, _mm_and_si128(isl, _mm_set1_epi8(7)));
                v = _mm_andnot_si128(isf, v);
                sc->val[l & 1][2 * k] = _mm_unpacklo_epi8(v, _mm_setzero_si128());
                sc->val[l & 1][2 * k + 1] = _mm_unpackhi_epi8(v, _mm_setzero_si128());
            }
        }
#else
        for (int c = 0; c < w; c++) {
            unsigned char ch = (unsigned char)line[c];
            dig |= (uint64_t)(ch >= '0' && ch <= '9') << c;
            fil |= (uint64_t)(ch == '<') << c;
            ok |= (uint64_t)(mrz_cclass[ch] == 0) << c;
        }
#endif
        sc->dig[l] = dig & wm;
        sc->fil[l] = fil & wm;
        bad |= (ok & wm) != wm;
    }
    sc->bad = bad;
}

/* Weighted sum of the positions [from, to) of line l (0-based) with the
 * weights w of that line. */
INLINE unsigned wsum(const struct scan *sc, const struct mrz_doc *doc, int l, const int16_t *w,
                     int from, int to)
{
#ifdef __SSE2__
    const __m128i *v = sc->val[l & 1];
    __m128i acc = _mm_setzero_si128();
    for (int j = from / 8; j * 8 < to; j++)
        acc =
            _mm_add_epi32(acc, _mm_madd_epi16(v[j], _mm_load_si128((const __m128i *)(w + 8 * j))));
    acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0x4E));
    acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0xB1));
    return (unsigned)_mm_cvtsi128_si32(acc);
#else
    unsigned sum = 0;
    for (int p = from; p < to; p++)
        sum += (unsigned)w[p] * mrz_value[(unsigned char)doc->lines[l][p]];
    return sum;
#endif
}

/* n bits of x from bit at. */
INLINE uint64_t bits(uint64_t x, unsigned at, unsigned n)
{
    return (x >> at) & ((1ull << n) - 1);
}

/* Length of a field of n characters without its fillers at the end, from
 * its filler bits. */
INLINE size_t trimmed(uint64_t fil, unsigned n)
{
    uint64_t chars = ~fil & ((1ull << n) - 1);
    return chars ? (size_t)(64 - __builtin_clzll(chars)) : 0;
}

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

/* A failed check digit: the error, with the digit read and the one due. */
COLD static void check_failed(struct mrz_doc *doc, const char *s, size_t n, char cd, unsigned want,
                              int code, int line, int col)
{
    struct mrz_issue *is = mrz_issue_add(doc, code, line, col, s, n);
    if (is) {
        is->a = cd;
        is->b = (int16_t)('0' + want);
    }
}

/* The verdict on check digit cd of field s[0..n) whose sum mod 10 is want;
 * an all-filler field may have '<' (or 0) as its digit. On failure adds the
 * error at (line, col). */
INLINE enum mrz_check check_field(struct mrz_doc *doc, const char *s, size_t n, char cd,
                                  unsigned want, bool all_filler, int code, int line, int col)
{
    if (is_digit(cd) ? (unsigned)(cd - '0') == want : (cd == '<' && all_filler))
        return MRZ_CHECK_OK;
    check_failed(doc, s, n, cd, want, code, line, col);
    return MRZ_CHECK_FAIL;
}

/* State or nationality not in the usual shape: a digit, or not on the list. */
COLD static void code3_other(struct mrz_doc *doc, const char *s, struct pos at, int warn, char *out)
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

/* State or nationality: letters with '<' fillers. */
INLINE void decode_code3(struct mrz_doc *doc, const char *s, struct pos at, int warn, char *out)
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
    code3_other(doc, s, at, warn, out);
}

INLINE void decode_document_code(struct mrz_doc *doc, enum mrz_format f)
{
    const char *l = doc->lines[0];
    char c0 = l[0], c1 = l[1];
    doc->document_code[0] = c0;
    doc->document_code[1] = c1 == '<' ? '\0' : c1;
    doc->document_code[2] = '\0';
    bool ok, usual;
    switch (f) {
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

/* Copies len <= 39 name characters with '<' read as ' ' into out (40
 * bytes; what follows the NUL is unspecified). Reads 40 bytes at s, which
 * lies in doc->lines. */
INLINE void name_copy(char *out, const char *s, size_t len)
{
#ifdef __SSE2__
    const __m128i f = _mm_set1_epi8('<'), sp = _mm_set1_epi8(' ' ^ '<');
    for (int i = 0; i < 32; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        x = _mm_xor_si128(x, _mm_and_si128(_mm_cmpeq_epi8(x, f), sp));
        _mm_storeu_si128((__m128i *)(out + i), x);
    }
    __m128i x = _mm_loadl_epi64((const __m128i *)(s + 32));
    x = _mm_xor_si128(x, _mm_and_si128(_mm_cmpeq_epi8(x, f), sp));
    _mm_storel_epi64((__m128i *)(out + 32), x);
#else
    for (size_t i = 0; i < len; i++)
        out[i] = s[i] == '<' ? ' ' : s[i];
#endif
    out[len] = '\0';
}

/* Reads a name part of n characters whose filler bits are m: when it is the
 * plain shape (components joined by single '<', then only fillers) it is
 * copied directly, else name_part collapses whatever it holds. */
INLINE void name_read(char *out, const char *s, size_t n, uint64_t m)
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

/* A digit in the name: the error names the first. */
COLD static void name_character(struct mrz_doc *doc, const struct layout *L, const char *f,
                                size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_letter(f[i]) && f[i] != '<') {
            mrz_issue_add(doc, MRZ_E_NAME_CHARACTER, L->name.line + 1, (int)(L->name.col + i + 1),
                          f + i, 1);
            break;
        }
    }
}

INLINE void decode_name(struct mrz_doc *doc, const struct layout *L, const struct scan *sc)
{
    const char *f = doc->lines[L->name.line] + L->name.col;
    size_t n = L->name_n;
    if (bits(sc->dig[L->name.line], L->name.col, n))
        name_character(doc, L, f, n);
    uint64_t m = bits(sc->fil[L->name.line], L->name.col, n), pairs = m & (m >> 1);
    if (pairs) {
        size_t pl = (size_t)__builtin_ctzll(pairs);
        name_read(doc->surname, f, pl, m & ((1ull << pl) - 1));
        name_read(doc->given_names, f + pl + 2, n - pl - 2, m >> (pl + 2));
    } else {
        name_part(doc->surname, f, n);
        doc->given_names[0] = '\0';
    }
    if (!((m >> (n - 1)) & 1)) {
        doc->name_truncated = true;
        mrz_issue_add(doc, MRZ_W_NAME_TRUNCATED, L->name.line + 1, (int)(L->name.col + n), NULL, 0);
    }
}

/* TD1/TD2 long document number: the check-digit place holds '<' and the
 * rest of the number, then its check digit, open the optional data field.
 * Returns the characters of the optional field used (number, digit and the
 * '<' after them). */
COLD static size_t decode_long_number(struct mrz_doc *doc, const struct layout *L, const char *d)
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
    if (!(ok_with || ok_without))
        check_failed(doc, doc->document_number, strlen(doc->document_number), cd, without,
                     MRZ_E_CHECK_DOCUMENT_NUMBER, L->opt.line + 1, (int)(L->opt.col + e));
    return e < L->opt_n ? e + 1 : e;
}

INLINE void decode_number_and_optional(struct mrz_doc *doc, const struct layout *L,
                                       const struct weights *W, const struct scan *sc,
                                       enum mrz_format f)
{
    const char *d = doc->lines[L->doc.line] + L->doc.col;
    const char *o = doc->lines[L->opt.line] + L->opt.col;
    uint64_t dfil = bits(sc->fil[L->doc.line], L->doc.col, 10); /* the number and its digit */
    size_t used = 0;
    bool overflow = (f == MRZ_TD1 || f == MRZ_TD2) && (dfil >> 9) && o[0] != '<';
    if (overflow) {
        used = decode_long_number(doc, L, d);
    } else {
        size_t len = trimmed(dfil, 9);
        memcpy(doc->document_number, d, 16);
        doc->document_number[len] = '\0';
        if (len == 0)
            mrz_issue_add(doc, MRZ_E_DOCUMENT_NUMBER, L->doc.line + 1, L->doc.col + 1, NULL, 0);
        unsigned want = wsum(sc, doc, L->doc.line, W->doc, L->doc.col, L->doc.col + 9) % 10;
        doc->check_document_number =
            check_field(doc, d, 9, d[9], want, (dfil & 0x1ff) == 0x1ff, MRZ_E_CHECK_DOCUMENT_NUMBER,
                        L->doc.line + 1, L->doc.col + 10);
    }
    uint64_t ofil = bits(sc->fil[L->opt.line], L->opt.col, L->opt_n);
    memcpy(doc->optional_data, o + used, 16);
    doc->optional_data[trimmed(ofil >> used, L->opt_n - used)] = '\0';
    if (L->opt_check) {
        unsigned want = wsum(sc, doc, L->opt.line, W->opt, L->opt.col, L->opt.col + L->opt_n) % 10;
        doc->check_optional_data =
            check_field(doc, o, L->opt_n, o[L->opt_n], want, ofil == (1ull << L->opt_n) - 1,
                        MRZ_E_CHECK_OPTIONAL_DATA, L->opt.line + 1, L->opt.col + L->opt_n + 1);
    }
    if (L->opt2_n) {
        doc->has_optional_data_2 = true;
        memcpy(doc->optional_data_2, doc->lines[L->opt2.line] + L->opt2.col, L->opt2_n);
        doc->optional_data_2[trimmed(bits(sc->fil[L->opt2.line], L->opt2.col, L->opt2_n),
                                     L->opt2_n)] = '\0';
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

/* Any date but six digits of a calendar date: unknown parts (birth), no
 * expiry, unreadable dates; each reported. */
COLD static void decode_date_other(struct mrz_doc *doc, const char *s, struct pos at, bool birth,
                                   const struct mrz_today *t, struct mrz_date *out)
{
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

/* Decodes a YYMMDD date whose digit bits are dig. Birth: unknown parts
 * allowed, the century makes it the latest date not after today. Expiry:
 * the year within [today - 50, today + 49]; all fillers is "no expiry" (a
 * warning); other unknown parts are errors. Six digits of a calendar date
 * are read here, anything else by decode_date_other. */
INLINE void decode_date(struct mrz_doc *doc, const char *s, uint64_t dig, struct pos at, bool birth,
                        const struct mrz_today *t, struct mrz_date *out)
{
    static const int8_t mdays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    memcpy(out->raw, s, 6);
    out->raw[6] = '\0';
    if (dig == 0x3f) {
        int yy = s[0] * 10 + s[1] - 11 * '0';
        int mm = s[2] * 10 + s[3] - 11 * '0';
        int dd = s[4] * 10 + s[5] - 11 * '0';
        if (mm >= 1 && mm <= 12 && dd >= 1 && dd <= mdays[mm]) {
            int y;
            if (birth) {
                y = 2000 + yy;
                if (y > t->y || (y == t->y && mm * 100 + dd > t->mmdd))
                    y -= 100;
            } else {
                int k = yy + t->exp_up;
                y = t->exp_lo + (k >= 100 ? k - 100 : k);
            }
            if (!(mm == 2 && dd == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))) {
                out->year = (int16_t)y;
                out->month = (int8_t)mm;
                out->day = (int8_t)dd;
                out->readable = true;
                return;
            }
        }
    }
    decode_date_other(doc, s, at, birth, t, out);
}

COLD static void sex_other(struct mrz_doc *doc, const struct layout *L, char s)
{
    doc->sex = '?';
    mrz_issue_add(doc, MRZ_E_SEX, L->sex.line + 1, L->sex.col + 1, &s, 1);
}

INLINE void decode_dates_and_sex(struct mrz_doc *doc, const struct layout *L,
                                 const struct weights *W, const struct scan *sc,
                                 const struct mrz_today *t)
{
    const struct pos B = L->birth, E = L->expiry;
    const char *b = doc->lines[B.line] + B.col;
    const char *e = doc->lines[E.line] + E.col;
    decode_date(doc, b, bits(sc->dig[B.line], B.col, 6), B, true, t, &doc->birth_date);
    doc->check_birth_date = check_field(
        doc, b, 6, b[6], wsum(sc, doc, B.line, W->birth, B.col, B.col + 6) % 10,
        bits(sc->fil[B.line], B.col, 6) == 0x3f, MRZ_E_CHECK_BIRTH_DATE, B.line + 1, B.col + 7);
    char s = doc->lines[L->sex.line][L->sex.col];
    if (s == 'M' || s == 'F')
        doc->sex = s;
    else if (s == '<' || s == 'X')
        doc->sex = 'X';
    else
        sex_other(doc, L, s);
    decode_date(doc, e, bits(sc->dig[E.line], E.col, 6), E, false, t, &doc->expiry_date);
    doc->check_expiry_date = check_field(
        doc, e, 6, e[6], wsum(sc, doc, E.line, W->expiry, E.col, E.col + 6) % 10,
        bits(sc->fil[E.line], E.col, 6) == 0x3f, MRZ_E_CHECK_EXPIRY_DATE, E.line + 1, E.col + 7);
}

INLINE void decode_composite(struct mrz_doc *doc, const struct layout *L, const struct weights *W,
                             const struct scan *sc, enum mrz_format f)
{
    unsigned sum = wsum(sc, doc, 1, W->comp[1], 0, L->comp.col);
    if (f == MRZ_TD1)
        sum += wsum(sc, doc, 0, W->comp[0], 0, 30);
    char cd = doc->lines[L->comp.line][L->comp.col];
    unsigned want = sum % 10;
    if (is_digit(cd) && (unsigned)(cd - '0') == want) {
        doc->check_composite = MRZ_CHECK_OK;
        return;
    }
    doc->check_composite = MRZ_CHECK_FAIL;
    check_failed(doc, NULL, 0, cd, want, MRZ_E_CHECK_COMPOSITE, L->comp.line + 1, L->comp.col + 1);
}

/* Today's civil date. For the days of 1970-2517, which is all a reader will
 * meet, by Neri and Schneider's Euclidean affine functions ("Euclidean
 * affine functions and their application to calendar algorithms", 2022):
 * a few multiplications instead of time_civil_from_days' divisions, the
 * same results (checked by the unit test over the whole range). */
static void civil(int64_t days, struct mrz_today *t)
{
    if (days < 0 || days > 200000) {
        time_civil_from_days(days, &t->y, &t->m, &t->d);
        return;
    }
    uint32_t n = (uint32_t)days + 719468u; /* days since 0000-03-01 */
    uint32_t n1 = 4u * n + 3u, c = n1 / 146097u, nc = n1 % 146097u / 4u;
    uint64_t p2 = 2939745ull * (4u * nc + 3u);
    uint32_t z = (uint32_t)(p2 >> 32), ny = (uint32_t)p2 / 2939745u / 4u;
    uint32_t n3 = 2141u * ny + 197913u, m = n3 >> 16, d = (n3 & 0xffff) / 2141u;
    bool jan_feb = ny >= 306;
    t->y = (int)(100u * c + z) + jan_feb;
    t->m = (int)(jan_feb ? m - 12 : m);
    t->d = (int)d + 1;
}

void mrz_today_set(struct mrz_today *t, int64_t days)
{
    t->days = days;
    civil(days, t);
    t->mmdd = t->m * 100 + t->d;
    /* the one year with YY's last two digits in [y - 50, y + 49] is
     * exp_lo + (YY + exp_up) % 100, exp_up being (2000 - exp_lo) mod 100 */
    int64_t lo = (int64_t)t->y - 50;
    t->exp_lo = (int)lo;
    if (t->y >= 1970 && t->y <= 3000)
        t->exp_up = (int)((uint32_t)(3050 - t->y) % 100u);
    else
        t->exp_up = (int)(((2000 - lo) % 100 + 100) % 100);
}

INLINE bool decode_as(struct mrz_doc *doc, const struct mrz_today *t, bool ocr, bool check_alphabet,
                      enum mrz_format f)
{
    const struct layout *L = &layouts[f];
    const struct weights *W = &weights[f];
    struct scan sc;
    scan_lines(doc, f, &sc);
    if (check_alphabet && sc.bad)
        return false;
    decode_document_code(doc, f);
    decode_code3(doc, doc->lines[L->state.line] + L->state.col, L->state, MRZ_W_UNKNOWN_STATE,
                 doc->issuing_state);
    decode_name(doc, L, &sc);
    decode_number_and_optional(doc, L, W, &sc, f);
    decode_code3(doc, doc->lines[L->nat.line] + L->nat.col, L->nat, MRZ_W_UNKNOWN_NATIONALITY,
                 doc->nationality);
    decode_dates_and_sex(doc, L, W, &sc, t);
    if (L->composite)
        decode_composite(doc, L, W, &sc, f);
    doc->valid = doc->nerrors == 0;
    if (!doc->valid && f == MRZ_TD2 && memcmp(doc->lines[0], "IDFRA", 5) == 0)
        mrz_issue_add(doc, MRZ_W_NON_ICAO, 0, 0, "IDFRA", 5);
    if (!doc->valid && ocr)
        mrz_suggest(doc, t);
    return true;
}

bool mrz_decode(struct mrz_doc *doc, const struct mrz_today *t, bool ocr, bool check_alphabet)
{
    switch (doc->format) {
    case MRZ_TD1:
        return decode_as(doc, t, ocr, check_alphabet, MRZ_TD1);
    case MRZ_TD2:
        return decode_as(doc, t, ocr, check_alphabet, MRZ_TD2);
    case MRZ_TD3:
        return decode_as(doc, t, ocr, check_alphabet, MRZ_TD3);
    case MRZ_MRVA:
        return decode_as(doc, t, ocr, check_alphabet, MRZ_MRVA);
    case MRZ_MRVB:
        return decode_as(doc, t, ocr, check_alphabet, MRZ_MRVB);
    default:
        return false;
    }
}

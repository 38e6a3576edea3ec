/* mrz_internal.h — what the mrz_*.c files share; not part of the API. */
#ifndef MUSTER_TRAVEL_MRZ_INTERNAL_H
#define MUSTER_TRAVEL_MRZ_INTERNAL_H

#include "travel/mrz.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

extern const unsigned char mrz_value[256];
/* The code list as a bitmap: mrz_known[first][second] bit third (A-Z = 0-25,
 * '<' = 26), for the parser's fast path (mrz_codes.c). */
extern const uint32_t mrz_known[26][27];
/* Input byte classes: 0 MRZ alphabet, 1 lower case, 2 anything else. */
extern const unsigned char mrz_cclass[256];

/* Weighted sum (7-3-1 from phase) of n checked characters. */
unsigned mrz_weighted_sum(const char *s, size_t n, unsigned phase);
/* True when the 3 characters (fillers included, "D<<") are a known code. */
bool mrz_known_code3(const char *code3);
/* The code list as "AAA BBB ..." and the number of codes in it. */
const char *mrz_codes_list(size_t *n);

/* Today as the century rule needs it, worked out once per parse. */
struct mrz_today {
    int64_t days;
    int y, m, d;
    int mmdd;           /* m * 100 + d */
    int exp_lo, exp_up; /* expiry year of YY: exp_lo + (YY + exp_up) % 100 */
};
void mrz_today_set(struct mrz_today *t, int64_t days);

/* Validates doc->lines (already shaped: nlines, line_len, format) and fills
 * every field, check and issue; ocr also searches for a suggestion. With
 * check_alphabet, first verifies that every character is in A-Z 0-9 < and
 * returns false, leaving the fields alone, when one is not (the lines of
 * the other callers are known to be). */
bool mrz_decode(struct mrz_doc *doc, const struct mrz_today *t, bool ocr, bool check_alphabet);
/* Searches an OCR repair for an invalid decoded doc (mrz_ocr.c). */
void mrz_suggest(struct mrz_doc *doc, const struct mrz_today *t);
/* Appends an issue (a warning when code < MRZ_E_EMPTY, else an error) and
 * returns it, or NULL when its list is full. text may be NULL. */
struct mrz_issue *mrz_issue_add(struct mrz_doc *doc, int code, int line, int col, const char *text,
                                size_t textlen);

/* --- scanning helpers shared by mrz.c and mrz_input.c --------------------- */

#define MRZ_ONES 0x0101010101010101ull
#define MRZ_HIGH 0x8080808080808080ull

/* High bit of each byte of x (bytes < 0x80) that lies in [lo, hi]. */
static inline uint64_t mrz_in_range(uint64_t x, unsigned lo, unsigned hi)
{
    return (x + MRZ_ONES * (0x80 - lo)) & ~(x + MRZ_ONES * (0x7f - hi)) & MRZ_HIGH;
}

static inline uint64_t mrz_load8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Bytes of x that are not in A-Z 0-9 < (high bit set per such byte). */
static inline uint64_t mrz_not_mrz8(uint64_t x)
{
    uint64_t y = x & ~MRZ_HIGH;
    uint64_t ok = mrz_in_range(y, '0', '9') | mrz_in_range(y, 'A', 'Z') | mrz_in_range(y, '<', '<');
    return (~ok & MRZ_HIGH) | (x & MRZ_HIGH);
}

/* Bytes of x that are not in A-Z or '<'. */
static inline uint64_t mrz_not_name8(uint64_t x)
{
    uint64_t y = x & ~MRZ_HIGH;
    return (~(mrz_in_range(y, 'A', 'Z') | mrz_in_range(y, '<', '<')) & MRZ_HIGH) | (x & MRZ_HIGH);
}

#ifdef __SSE2__
/* Bytes of the 16 at p that are not in A-Z 0-9 < (a bit per byte). */
static inline unsigned mrz_not_mrz16(const unsigned char *p)
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
static const int16_t mrz_wtab[3][16] = {
    {7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7},
    {3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3},
    {1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1},
};
/* clang-format on */
static const unsigned char mrz_lanes[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* Weighted sum of n <= 16 checked characters at p; reads 16 bytes, so p
 * must lie in doc->lines with room after it (the struct has it). */
static inline unsigned mrz_wsum16(const char *p, size_t n, unsigned phase)
{
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    __m128i v = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    v = _mm_sub_epi8(v, _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('@')), _mm_set1_epi8(7)));
    v = _mm_andnot_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('<')), v);
    v = _mm_and_si128(v, _mm_loadu_si128((const __m128i *)(mrz_lanes + 16 - n)));
    __m128i z = _mm_setzero_si128();
    __m128i w0 = _mm_loadu_si128((const __m128i *)mrz_wtab[phase]);
    __m128i w1 = _mm_loadu_si128((const __m128i *)(mrz_wtab[phase] + 8));
    __m128i sum = _mm_add_epi32(_mm_madd_epi16(_mm_unpacklo_epi8(v, z), w0),
                                _mm_madd_epi16(_mm_unpackhi_epi8(v, z), w1));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0x4E));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0xB1));
    return (unsigned)_mm_cvtsi128_si32(sum);
}
#endif

/* mrz_weighted_sum for characters inside doc->lines (SSE2 reads 16 bytes:
 * only for fields of doc->lines, which have room after them). */
static inline unsigned mrz_line_sum(const char *p, size_t n, unsigned phase)
{
#ifdef __SSE2__
    unsigned sum = 0;
    while (n > 16) {
        sum += mrz_wsum16(p, 16, phase);
        p += 16, n -= 16, phase = (phase + 16) % 3;
    }
    return sum + mrz_wsum16(p, n, phase);
#else
    return mrz_weighted_sum(p, n, phase);
#endif
}

/* True when n bytes at p are all in A-Z 0-9 < (the last block overlaps
 * when n is not a multiple of the block). */
static inline bool mrz_all_mrz(const unsigned char *p, size_t n)
{
    uint64_t bad = 0;
    size_t i = 0;
#ifdef __SSE2__
    if (n >= 16) {
        for (; i + 16 <= n; i += 16)
            bad |= mrz_not_mrz16(p + i);
        if (i < n)
            bad |= mrz_not_mrz16(p + n - 16);
        return bad == 0;
    }
#endif
    if (n < 8) {
        for (; i < n; i++)
            bad |= mrz_cclass[p[i]];
        return bad == 0;
    }
    for (; i + 8 <= n; i += 8)
        bad |= mrz_not_mrz8(mrz_load8(p + i));
    if (i < n)
        bad |= mrz_not_mrz8(mrz_load8(p + n - 8));
    return bad == 0;
}

/* True when n bytes at p are all in A-Z or '<'. */
static inline bool mrz_all_name(const unsigned char *p, size_t n)
{
    uint64_t bad = 0;
    size_t i = 0;
    if (n < 8) {
        for (; i < n; i++)
            bad |= !((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '<');
        return bad == 0;
    }
    for (; i + 8 <= n; i += 8)
        bad |= mrz_not_name8(mrz_load8(p + i));
    if (i < n)
        bad |= mrz_not_name8(mrz_load8(p + n - 8));
    return bad == 0;
}

static inline bool mrz_all_filler(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        if (mrz_load8((const unsigned char *)s + i) != MRZ_ONES * '<')
            return false;
    for (; i < n; i++)
        if (s[i] != '<')
            return false;
    return true;
}

#endif

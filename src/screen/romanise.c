/* romanise.c — name folding and romanisation keys for watchlist matching.
 *
 * Folding turns any UTF-8 name into upper-case ASCII words (the alphabet of
 * an MRZ). The key then collapses the spellings that differ only by
 * romanisation system: Revised Romanisation, McCune-Reischauer and popular
 * Korean spellings; Hepburn, Kunrei and passport Japanese spellings. Two
 * words with the same key are "the same name written differently"; the
 * matcher (match.c) builds its index on keys and explains the differences
 * from the folded forms. */
#include "screen/screen.h"

#include <stdint.h>
#include <string.h>

/* U+0100..U+017F to one letter ('1' = IJ, '2' = OE). */
static const char latin_ext_a[] = "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII11JJKKK"
                                  "LLLLLLLLLLNNNNNNNNNOOOOOO22RRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUU"
                                  "WWYYYZZZZZZS";

/* U+00C0..U+00FF (upper and lower share one table of 32). */
static const char *const latin1[32] = {
    "A", "A", "A", "A", "AE", "AA", "AE", "C", "E",  "E", "E", "E", "I",  "I", "I",  "I",
    "D", "N", "O", "O", "O",  "O",  "OE", "",  "OE", "U", "U", "U", "UE", "Y", "TH", "SS",
};

/* Hangul jamo in Revised Romanisation: initials, vowels, finals. */
static const char *const hangul_l[19] = {"G",  "KK", "N", "D",  "TT", "R", "M", "B", "PP", "S",
                                         "SS", "",   "J", "JJ", "CH", "K", "T", "P", "H"};
static const char *const hangul_v[21] = {"A",  "AE", "YA", "YAE", "EO", "E",  "YEO",
                                         "YE", "O",  "WA", "WAE", "OE", "YO", "U",
                                         "WO", "WE", "WI", "YU",  "EU", "UI", "I"};
static const char *const hangul_t[28] = {"",  "K",  "K", "K", "N", "N", "N", "T", "L", "K",
                                         "M", "L",  "L", "L", "P", "L", "M", "P", "P", "T",
                                         "T", "NG", "T", "T", "K", "T", "P", "T"};

/* Decodes one UTF-8 code point at s (n bytes left); returns its length
 * (at least 1; invalid bytes decode as U+FFFD). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return len;
}

/* Appends the ASCII letters for cp to out at *o; a 0 return means cp is a
 * separator, 1 that it was consumed (letters or nothing, e.g. apostrophes). */
static int fold_cp(uint32_t cp, char *tmp)
{
    tmp[0] = '\0';
    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z')
            cp -= 32;
        if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
            tmp[0] = (char)cp;
            tmp[1] = '\0';
            return 1;
        }
        return cp == '\'' || cp == '`' || cp == '-' ? 1 : 0; /* Seo-yeon = Seoyeon */
    }
    if (cp == 0xB4 || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x02BB ||
        cp == 0x2010 || cp == 0x2011)
        return 1; /* apostrophes and hyphens join: Shin'ichi = Shinichi */
    if (cp >= 0xC0 && cp <= 0xFF) {
        strcpy(tmp, latin1[(cp - 0xC0) & 31]);
        if (cp == 0xFF)
            strcpy(tmp, "Y");
        return tmp[0] ? 1 : 0;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        char c = latin_ext_a[cp - 0x100];
        strcpy(tmp, c == '1' ? "IJ" : c == '2' ? "OE" : (char[]){c, 0});
        return 1;
    }
    if (cp >= 0xAC00 && cp <= 0xD7A3) {
        uint32_t s = cp - 0xAC00;
        strcpy(tmp, hangul_l[s / 588]);
        strcat(tmp, hangul_v[(s % 588) / 28]);
        strcat(tmp, hangul_t[s % 28]);
        return 1;
    }
    return 0;
}

size_t screen_name_fold(const char *s, char *out, size_t cap)
{
    size_t o = 0, n = s ? strlen(s) : 0;
    bool gap = false;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        char tmp[16];
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) { /* the usual case, fast */
            if (o + 2 + (gap ? 1 : 0) > cap)
                break;
            if (gap)
                out[o++] = ' ';
            gap = false;
            out[o++] = (char)(c & ~0x20);
            i++;
            continue;
        }
        i += utf8_next((const unsigned char *)s + i, n - i, &cp);
        if (!fold_cp(cp, tmp)) {
            gap = o > 0;
            continue;
        }
        size_t tl = strlen(tmp);
        if (tl == 0)
            continue;
        if (o + tl + (gap ? 1 : 0) + 1 > cap)
            break;
        if (gap)
            out[o++] = ' ';
        gap = false;
        memcpy(out + o, tmp, tl);
        o += tl;
    }
    out[o] = '\0';
    return o;
}

static bool is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* Where the key of a surname starts: Korean initial R/L/RH drop (Rhee,
 * Lee, Lim, Ryu -> Ee, Ee, Im, Yu), and YI -> I. Given names keep theirs
 * (Ryota is not Yota). */
static size_t key_start(const char *w, size_t n)
{
    size_t i = 0;
    if (n >= 3 && w[0] == 'R' && w[1] == 'H' && is_vowel(w[2]))
        i = 2;
    else if (n >= 2 && (w[0] == 'R' || w[0] == 'L') && (is_vowel(w[1]) || w[1] == 'Y'))
        i = 1;
    if (n - i >= 2 && w[i] == 'Y' && w[i + 1] == 'I')
        i++;
    return i;
}

/* The key letter for the vowel at w[i]; *adv gets how many bytes it used. */
static char key_vowel(const char *w, size_t i, size_t n, bool alt, size_t *adv)
{
    char c = w[i], nx = i + 1 < n ? w[i + 1] : 0;
    *adv = 1;
    switch (c) {
    case 'E':
        if (nx == 'O') { /* Korean eo: Jeong = Jung, Seong = Sung */
            *adv = 2;
            return 'U';
        }
        if (nx == 'E') { /* Lee -> I */
            *adv = 2;
            return 'I';
        }
        return 'E';
    case 'O':
        if (alt && nx == 'O') { /* the Korean reading: Yoo = Yu */
            *adv = 2;
            return 'U';
        }
        if (nx == 'U' && i + 3 < n && w[i + 2] == 'N' && w[i + 3] == 'G') {
            *adv = 2; /* Korean popular "Young" = Yeong */
            return 'U';
        }
        while (i + *adv < n && (w[i + *adv] == 'O' || w[i + *adv] == 'U'))
            (*adv)++; /* a long O: Oono = Ono, Satou = Sato, Ooue = Oue */
        return 'O';
    default: /* AA, II, UU: long vowels */
        if (nx == c)
            *adv = 2;
        return c;
    }
}

/* The key letter for the consonant at w[i] (0 = drop it); see key_vowel. */
static char key_consonant(const char *w, size_t i, size_t n, char prev, unsigned flags, size_t *adv)
{
    char c = w[i], nx = i + 1 < n ? w[i + 1] : 0;
    bool nx_vowel = is_vowel(nx) || nx == 'Y';
    *adv = 1;
    switch (c) {
    case 'S':
        if (nx == 'H')
            *adv = 2; /* Shinichi = Sinichi */
        return 'S';
    case 'C':
        if (nx == 'H') { /* Chung = Jung, Chiaki = Tiaki via TI below */
            *adv = 2;
            return flags & SCREEN_KEY_STRICT_JA ? 'C' : 'J';
        }
        return 'K';
    case 'T':
        if (nx == 'S') { /* Tsuyoshi = Tuyosi */
            *adv = 2;
            return 'T';
        }
        return nx == 'I' ? (flags & SCREEN_KEY_STRICT_JA ? 'C' : 'J') : 'T';
    case 'D':
        if (nx == 'Z') {
            *adv = 2;
            return 'J';
        }
        return nx == 'I' ? 'J' : 'T';
    case 'Z':
    case 'J':
        return 'J';
    case 'G':
        return flags & SCREEN_KEY_STRICT_JA ? 'G' : 'K';
    case 'K':
    case 'Q':
        return 'K'; /* Kim = Gim, Kang = Gang */
    case 'B':
    case 'V':
        return flags & SCREEN_KEY_STRICT_JA ? 'B' : 'P';
    case 'P':
        return 'P'; /* Park = Bak */
    case 'F':
        return 'H'; /* Fujita = Hujita */
    case 'L':
        return 'R';
    case 'R': /* Park = Pak: an R after a vowel and before a consonant is silent */
        return is_vowel(prev) && !nx_vowel ? 0 : 'R';
    case 'H': /* Ohno = Ono, Oh = O; Kh, Th, Ph -> K, T, P (but Minho keeps it) */
        if (is_vowel(prev) &&
            (!nx_vowel || (nx == 'Y' && prev == 'O' && (flags & SCREEN_KEY_JAPANESE))))
            return 0;
        return prev == 'K' || prev == 'T' || prev == 'P' ? 0 : 'H';
    case 'M':
        return nx == 'B' || nx == 'P' ? 'N' : 'M'; /* Namba = Nanba */
    case 'Y':
        return prev == 'J' || prev == 'S' ? 0 : 'Y'; /* Sya = Sha, Zyu = Ju */
    default:
        return c >= 'A' && c <= 'Z' ? c : 0;
    }
}

size_t screen_name_key(const char *w, size_t n, unsigned flags, char *out, size_t cap)
{
    size_t o = 0;
    bool alt = flags & SCREEN_KEY_ALT_OO;
    if (cap == 0)
        return 0;
    for (size_t i = flags & SCREEN_KEY_SURNAME ? key_start(w, n) : 0; i < n;) {
        char c = w[i], e;
        size_t adv;
        char prev = o ? out[o - 1] : 0;
        if (c < 'A' || c > 'Z') {
            i++;
            continue;
        }
        if (is_vowel(c))
            e = key_vowel(w, i, n, alt, &adv);
        else
            e = key_consonant(w, i, n, prev, flags, &adv);
        if (e == 'E' && prev == 'O')
            e = 'I'; /* Choe = Choi (after the long vowels: Koue = Koe = Koi) */
        i += adv;
        if (e && e != prev && o + 1 < cap)
            out[o++] = e;
    }
    out[o] = '\0';
    return o;
}

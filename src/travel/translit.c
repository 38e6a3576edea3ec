/* translit.c — see translit.h. The tables are indexed by code point within
 * each Unicode block; a NULL entry has no transliteration. */
#include "travel/translit.h"

#include <string.h>

/* U+00C0 - U+00FF (Latin-1 letters). */
/* clang-format off */
static const char *const latin1[64] = {
    "A",  "A", "A", "A", "AE", "AA", "AE", "C",  "E", "E", "E", "E", "I",  "I",  "I",  "I",
    "D",  "N", "O", "O", "O",  "O",  "OE", "<",  "OE", "U", "U", "U", "UE", "Y",  "TH", "SS",
    "A",  "A", "A", "A", "AE", "AA", "AE", "C",  "E", "E", "E", "E", "I",  "I",  "I",  "I",
    "D",  "N", "O", "O", "O",  "O",  "OE", "<",  "OE", "U", "U", "U", "UE", "Y",  "TH", "Y",
};
/* clang-format on */

/* U+0100 - U+017F (Latin Extended-A), upper and lower case alternate. */
/* clang-format off */
static const char *const latin_ext_a[128] = {
    "A",  "A",  "A",  "A",  "A",  "A",  "C",  "C",  "C", "C", "C", "C", "C", "C", "D", "D", /* 100 */
    "D",  "D",  "E",  "E",  "E",  "E",  "E",  "E",  "E", "E", "E", "E", "G", "G", "G", "G", /* 110 */
    "G",  "G",  "G",  "G",  "H",  "H",  "H",  "H",  "I", "I", "I", "I", "I", "I", "I", "I", /* 120 */
    "I",  "I",  "IJ", "IJ", "J",  "J",  "K",  "K",  "K", "L", "L", "L", "L", "L", "L", "L", /* 130 */
    "L",  "L",  "L",  "N",  "N",  "N",  "N",  "N",  "N", "N", "N", "N", "O", "O", "O", "O", /* 140 */
    "O",  "O",  "OE", "OE", "R",  "R",  "R",  "R",  "R", "R", "S", "S", "S", "S", "S", "S", /* 150 */
    "S",  "S",  "T",  "T",  "T",  "T",  "T",  "T",  "U", "U", "U", "U", "U", "U", "U", "U", /* 160 */
    "U",  "U",  "U",  "U",  "W",  "W",  "Y",  "Y",  "Y", "Z", "Z", "Z", "Z", "Z", "Z", "S", /* 170 */
};
/* clang-format on */

/* U+0400 - U+045F (Cyrillic): upper case 0400-042F, lower case 0430-045F. */
/* clang-format off */
static const char *const cyr_upper[48] = {
    /* 0400 Ѐ Ё Ђ Ѓ Є Ѕ І Ї Ј Љ Њ Ћ Ќ Ѝ Ў Џ */
    "E", "E", "D", "G", "IE", "DZ", "I", "I", "J", "LJ", "NJ", NULL, NULL, "I", NULL, "DZ",
    /* 0410 А Б В Г Д Е Ж З И Й К Л М Н О П */
    "A", "B", "V", "G", "D", "E", "ZH", "Z", "I", "I", "K", "L", "M", "N", "O", "P",
    /* 0420 Р С Т У Ф Х Ц Ч Ш Щ Ъ Ы Ь Э Ю Я */
    "R", "S", "T", "U", "F", "KH", "TS", "CH", "SH", "SHCH", "IE", "Y", "", "E", "IU", "IA",
};
/* clang-format on */

/* Arabic letters confirmed by public vectors (ICAO Arabic table). */
static const struct {
    unsigned cp;
    const char *s;
} arabic[] = {
    {0x0627, "A"}, {0x0628, "B"}, {0x062D, "XH"}, {0x062F, "D"}, {0x0631, "R"},
    {0x0639, "E"}, {0x0644, "L"}, {0x0645, "M"},  {0x0648, "W"}, {0x064A, "Y"},
};

static const char *const letters[26] = {"A", "B", "C", "D", "E", "F", "G", "H", "I",
                                        "J", "K", "L", "M", "N", "O", "P", "Q", "R",
                                        "S", "T", "U", "V", "W", "X", "Y", "Z"};
static const char *const digits[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

static const char *ascii(unsigned cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return letters[cp - 'A'];
    if (cp >= 'a' && cp <= 'z')
        return letters[cp - 'a'];
    if (cp >= '0' && cp <= '9')
        return digits[cp - '0'];
    if (cp == '\'' || cp == '`')
        return "";
    return "<";
}

const char *translit_codepoint(unsigned cp)
{
    if (cp < 0x80)
        return ascii(cp);
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0];
    if (cp >= 0x100 && cp <= 0x17F)
        return latin_ext_a[cp - 0x100];
    if (cp >= 0x400 && cp <= 0x42F)
        return cyr_upper[cp - 0x400];
    if (cp >= 0x430 && cp <= 0x44F)
        return cyr_upper[cp - 0x430 + 16];
    if (cp >= 0x450 && cp <= 0x45F)
        return cyr_upper[cp - 0x450];
    switch (cp) {
    case 0xA0: /* no-break space */
    case 0xAD: /* soft hyphen */
    case 0xB7: /* middle dot */
        return "<";
    case 0xB4:   /* acute accent */
    case 0x2BC:  /* modifier apostrophe */
    case 0x2018: /* quotation marks used as apostrophes */
    case 0x2019:
        return "";
    case 0x218: /* Ș ș (Romanian comma below) */
    case 0x219:
        return "S";
    case 0x21A: /* Ț ț */
    case 0x21B:
        return "T";
    case 0x490: /* Ґ ґ */
    case 0x491:
        return "G";
    case 0x1E9E: /* capital sharp s */
        return "SS";
    }
    if (cp >= 0x2010 && cp <= 0x2015) /* hyphens and dashes */
        return "<";
    for (size_t i = 0; i < sizeof arabic / sizeof arabic[0]; i++)
        if (arabic[i].cp == cp)
            return arabic[i].s;
    return NULL;
}

/* Decodes one UTF-8 sequence at s (n bytes left); returns its length, or 0
 * when it is malformed (overlong, surrogate, truncated, beyond U+10FFFF). */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

int translit_mrz(const char *utf8, size_t len, char *out, size_t cap, struct muster_err *err)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t pos = 0, total = 0;
    while (pos < len) {
        unsigned cp;
        size_t n = utf8_decode(s + pos, len - pos, &cp);
        if (n == 0)
            return err_set(err, MUSTER_EINVAL, "invalid UTF-8 at byte %zu", pos);
        const char *t = translit_codepoint(cp);
        if (!t)
            return err_set(err, MUSTER_EINVAL, "no MRZ transliteration for U+%04X at byte %zu", cp,
                           pos);
        for (; *t; t++, total++)
            if (cap > 0 && total < cap - 1)
                out[total] = *t;
        pos += n;
    }
    if (cap > 0)
        out[total < cap - 1 ? total : cap - 1] = '\0';
    return total > 0x7fffffff ? 0x7fffffff : (int)total;
}

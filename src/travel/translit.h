/* translit.h — UTF-8 text to the MRZ alphabet (A-Z, 0-9, '<'), after the
 * transliteration tables of ICAO Doc 9303 Part 3 section 6.
 *
 * Latin letters with diacritics lose them (É -> E, Ł -> L, Ñ -> N), except
 * the ones the table spells out: Ä Æ -> AE, Å -> AA, Ö Ø Œ -> OE, Ü -> UE,
 * ß ẞ -> SS, Þ -> TH, Ĳ -> IJ. Cyrillic follows the Russian table of Doc 9303
 * with the Ukrainian and Serbian/Macedonian letters (Ж -> ZH, Щ -> SHCH,
 * Ю -> IU, Я -> IA; Ь is dropped). Arabic is covered only for the letters
 * confirmed by public vectors (see docs/mrz.md). Apostrophes are dropped;
 * any other ASCII character that is not a letter or digit becomes '<'. */
#ifndef MUSTER_TRAVEL_TRANSLIT_H
#define MUSTER_TRAVEL_TRANSLIT_H

#include "util/err.h"

#include <stddef.h>

/* Transliterates len bytes of UTF-8 into out (upper case A-Z, digits kept,
 * separators as '<'); out is always NUL-terminated and gets at most cap - 1
 * characters (the rest is cut). Returns the number of characters the whole
 * text transliterates to (which may exceed cap - 1), or MUSTER_EINVAL with
 * err set on invalid UTF-8 or a character with no transliteration (the
 * message names it as U+XXXX and its byte offset). */
int translit_mrz(const char *utf8, size_t len, char *out, size_t cap, struct muster_err *err);

/* The transliteration of one Unicode code point: a static string of A-Z
 * (maybe empty, for a letter that is dropped, like an apostrophe or Ь), "<"
 * for a separator, or NULL when the tables have none. */
const char *translit_codepoint(unsigned cp);

#endif

/* mrz_internal.h — what the mrz_*.c files share; not part of the API. */
#ifndef MUSTER_TRAVEL_MRZ_INTERNAL_H
#define MUSTER_TRAVEL_MRZ_INTERNAL_H

#include "travel/mrz.h"

#include <stdbool.h>
#include <stddef.h>

extern const unsigned char mrz_value[256];

/* Weighted sum (7-3-1 from phase) of n checked characters. */
unsigned mrz_weighted_sum(const char *s, size_t n, unsigned phase);
/* True when the 3 characters (fillers included, "D<<") are a known code. */
bool mrz_known_code3(const char *code3);
/* The code list as "AAA BBB ..." and the number of codes in it. */
const char *mrz_codes_list(size_t *n);

/* Validates doc->lines (already shaped: nlines, line_len, format) and fills
 * every field, check and issue; ocr != 0 also searches for a suggestion. */
void mrz_decode(struct mrz_doc *doc, int64_t today, bool ocr);
/* Searches an OCR repair for an invalid decoded doc (mrz_ocr.c). */
void mrz_suggest(struct mrz_doc *doc, int64_t today);
/* Appends an issue (a warning when code < MRZ_E_EMPTY, else an error) and
 * returns it, or NULL when its list is full. text may be NULL. */
struct mrz_issue *mrz_issue_add(struct mrz_doc *doc, int code, int line, int col, const char *text,
                                size_t textlen);

#endif

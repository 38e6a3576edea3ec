/* copy_pdf.h — the person's copy (GET /persons/{id}/copy) as a readable
 * PDF: the same JSON document, laid out as headed sections of lines. */
#ifndef MUSTER_CORE_COPY_PDF_H
#define MUSTER_CORE_COPY_PDF_H

#include "util/buf.h"
#include "util/err.h"

#include <jansson.h>

/* Appends a PDF of copy (the JSON object net/api_privacy.c builds: person,
 * household, history, clearances, partner_visibility, received_by_partners,
 * reads, notes) to out. Text outside CP1252 (native names in Hangul or
 * kanji) is shown as '?'; the JSON copy holds it exactly. Returns 0, or
 * MUSTER_EIO when libharu fails (out unchanged). */
int copy_pdf(json_t *copy, struct buf *out, struct muster_err *err);

#endif

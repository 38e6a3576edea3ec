/* manifest_pdf_int.h — the drawing context shared by manifest_pdf.c (layout)
 * and manifest_pdf_text.c (libharu plumbing: document, fonts, text). */
#ifndef MUSTER_CORE_MANIFEST_PDF_INT_H
#define MUSTER_CORE_MANIFEST_PDF_INT_H

#include "core/manifest_int.h"

#include <hpdf.h>

struct mf_pdf {
    const struct manifest *m;
    const struct manifest_pdf_options *opt;
    HPDF_Doc pdf;
    HPDF_Page page;
    HPDF_Font font, bold; /* Helvetica, WinAnsiEncoding */
    HPDF_Font cjk;        /* an embedded TrueType font, UTF-8; NULL when none */
    HPDF_FontDef cjk_def;
    HPDF_STATUS error, detail; /* the first libharu error */
    bool reading;              /* end-of-stream while reading out is not an error */
    char flight[64];
    int npages, page_no;
    struct mf_totals totals;
    struct manifest_load load;
    size_t native_dropped; /* native names that could not be printed */
};

/* Creates the document (compression, info, fonts; the CJK font only when
 * some native name needs it). Returns 0 or MUSTER_EIO/ENOMEM (c freed). */
int mf_pdf_open(struct mf_pdf *c, struct muster_err *err);

/* Saves the document, appends its bytes to out and frees it. Returns 0, or
 * MUSTER_EIO when libharu reported an error at any point (out unchanged). */
int mf_pdf_finish(struct mf_pdf *c, struct buf *out, struct muster_err *err);

/* Draws printf-style UTF-8 text (shown in CP1252) at x, y; right-aligned at
 * x when right is 1. */
void mf_pdf_text(struct mf_pdf *c, HPDF_Font font, float size, float x, float y, int right,
                 const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Draws UTF-8 text cut (with "...") to fit width. */
void mf_pdf_cell(struct mf_pdf *c, HPDF_Font font, float size, float x, float y, float width,
                 const char *utf8);

/* Draws a native name: in Helvetica when it is CP1252 text, else in the CJK
 * font when there is one and it has every glyph, else not at all (counted in
 * c->native_dropped). */
void mf_pdf_native(struct mf_pdf *c, float x, float y, float width, const char *utf8);

#endif

/* manifest_pdf_int.h — the drawing context shared by manifest_pdf.c (layout)
 * and manifest_pdf_text.c (libharu plumbing: document, fonts, text). */
#ifndef MUSTER_CORE_MANIFEST_PDF_INT_H
#define MUSTER_CORE_MANIFEST_PDF_INT_H

#include "core/manifest_int.h"

#include <hpdf.h>
#include <stdio.h>

struct mf_pdf {
    const struct manifest *m;
    const struct manifest_pdf_options *opt;
    HPDF_Doc pdf;
    HPDF_Page page;
    HPDF_Font font, bold; /* Helvetica, WinAnsiEncoding */
    HPDF_Font cjk;        /* an embedded TrueType font, UTF-8; NULL when none */
    HPDF_FontDef cjk_def;
    FILE *cjk_file;            /* the same font, read to find composite glyphs' parts */
    HPDF_STATUS error, detail; /* the first libharu error */
    bool reading;              /* end-of-stream while reading out is not an error */
    char flight[64];
    int npages, page_no;
    struct mf_totals totals;
    struct manifest_load load;
    size_t native_dropped;  /* native names that could not be printed */
    size_t *household_no;   /* per passenger: H1, H2, ... by first appearance; 0 none */
    size_t *household_size; /* per passenger: members of the household aboard */
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

/* Decodes one UTF-8 character (input already checked, but maybe cut short
 * by a printf width: a broken sequence gives U+FFFD); returns its length. */
size_t mf_utf8_next(const char *s, unsigned *cp);

/* Marks the glyphs of utf8 in the CJK font as used, with every part of a
 * composite glyph, nested ones included (libharu 2.3.0 reads glyph ids
 * above 32767 as negative and does not follow nested composites, so Hangul
 * syllables and some ideographs lost their parts in the subset). */
void mf_pdf_mark_glyphs(struct mf_pdf *c, const char *utf8);

#endif

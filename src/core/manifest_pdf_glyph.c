/* manifest_pdf_glyph.c — makes sure the embedded CJK font subset holds every
 * part of the composite glyphs a native name uses.
 *
 * libharu embeds a TrueType font with only the glyphs marked used. For a
 * composite glyph (one built from other glyphs: most Hangul syllables in
 * WenQuanYi Micro Hei, accented letters such as ễ, some ideographs) it marks
 * the parts, but reads their ids as signed 16-bit numbers (so ids above
 * 32767 are skipped) and does not follow parts that are composites
 * themselves; the PDF then shows 김 as nothing and 郎 as 良. This file walks
 * the glyf table itself and marks every part, nested ones included. */
#include "core/manifest_pdf_int.h"

#include <hpdf_fontdef.h>

enum {
    ARG_1_AND_2_ARE_WORDS = 0x1,
    WE_HAVE_A_SCALE = 0x8,
    MORE_COMPONENTS = 0x20,
    WE_HAVE_AN_X_AND_Y_SCALE = 0x40,
    WE_HAVE_A_TWO_BY_TWO = 0x80,
    MAX_DEPTH = 8,
};

static int read16(FILE *f, unsigned *v)
{
    int a = fgetc(f), b = fgetc(f);
    if (a == EOF || b == EOF)
        return -1;
    *v = (unsigned)a << 8 | (unsigned)b;
    return 0;
}

static void mark(struct mf_pdf *c, HPDF_TTFontDefAttr a, unsigned gid, int depth)
{
    if (gid >= a->num_glyphs || depth > MAX_DEPTH)
        return;
    a->glyph_tbl.flgs[gid] = 1;
    long off = (long)a->glyph_tbl.offsets[gid];
    long len = (long)a->glyph_tbl.offsets[gid + 1] - off;
    if (a->header.index_to_loc_format == 0) {
        off *= 2;
        len *= 2;
    }
    unsigned contours, flags, part;
    if (len < 10 || fseek(c->cjk_file, (long)a->glyph_tbl.base_offset + off, SEEK_SET) != 0 ||
        read16(c->cjk_file, &contours) != 0 || contours < 0x8000) /* not negative: simple */
        return;
    long at = (long)a->glyph_tbl.base_offset + off + 10; /* after the bounding box */
    do {
        if (fseek(c->cjk_file, at, SEEK_SET) != 0 || read16(c->cjk_file, &flags) != 0 ||
            read16(c->cjk_file, &part) != 0)
            return;
        at += 4 + ((flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
        at += (flags & WE_HAVE_A_SCALE)            ? 2
              : (flags & WE_HAVE_AN_X_AND_Y_SCALE) ? 4
              : (flags & WE_HAVE_A_TWO_BY_TWO)     ? 8
                                                   : 0;
        mark(c, a, part, depth + 1); /* even if marked: its own parts may not be */
    } while (flags & MORE_COMPONENTS);
}

void mf_pdf_mark_glyphs(struct mf_pdf *c, const char *utf8)
{
    if (!c->cjk_def || !c->cjk_file)
        return;
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)c->cjk_def->attr;
    if (!a || !a->glyph_tbl.flgs || !a->glyph_tbl.offsets)
        return;
    while (*utf8) {
        unsigned cp;
        utf8 += mf_utf8_next(utf8, &cp);
        if (cp <= 0xffff)
            mark(c, a, HPDF_TTFontDef_GetGlyphid(c->cjk_def, (HPDF_UINT16)cp), 0);
    }
}

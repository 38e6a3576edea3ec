/* manifest_pdf_text.c — the libharu side of the PDF manifest: the document
 * and its fonts, UTF-8 to CP1252 for the built-in Helvetica, text cut to a
 * column, native names through an embedded TrueType CJK font when one is
 * installed, and reading the finished document out into a buffer. */
#include "core/manifest_pdf_int.h"

#include "util/timeutil.h"

#include <hpdf_fontdef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fonts tried, in order, when the caller names none (Debian packages). WenQuanYi
 * Micro Hei has kana, Hangul, the CJK ideographs, Latin (Vietnamese too),
 * Greek and Cyrillic; Droid Sans Fallback lacks Hangul. */
static const char *const cjk_paths[] = {
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",            /* fonts-wqy-microhei */
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", /* fonts-droid-fallback */
};

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    struct mf_pdf *c = data;
    if (c->reading && error == HPDF_STREAM_EOF)
        return;
    if (!c->error) {
        c->error = error;
        c->detail = detail;
    }
}

size_t mf_utf8_next(const char *s, unsigned *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
    unsigned v = p[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) { /* cut short (e.g. by a printf width): never past NUL */
            *cp = 0xfffd;
            return i;
        }
        v = v << 6 | (p[i] & 0x3f);
    }
    *cp = v;
    return n;
}

/* The CP1252 byte of a code point, or 0 when it has none. */
static unsigned char cp1252_of(unsigned cp)
{
    static const unsigned short hi[32] = {
        0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017d, 0,      0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
        0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178,
    };
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff))
        return (unsigned char)cp;
    for (int i = 0; i < 32; i++)
        if (hi[i] && hi[i] == cp)
            return (unsigned char)(0x80 + i);
    return 0;
}

/* UTF-8 to CP1252 into out (cap bytes); '?' for what CP1252 lacks. Returns
 * the number of characters replaced. */
static size_t to_cp1252(const char *s, char *out, size_t cap)
{
    size_t n = 0, bad = 0;
    while (*s && n + 1 < cap) {
        unsigned cp;
        s += mf_utf8_next(s, &cp);
        unsigned char b = cp1252_of(cp);
        bad += !b;
        out[n++] = b ? (char)b : '?';
    }
    out[n] = '\0';
    return bad;
}

static float width_of(HPDF_Font font, float size, const char *s, size_t len)
{
    HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
    return (float)tw.width * size / 1000.0f;
}

static void show(struct mf_pdf *c, HPDF_Font font, float size, float x, float y, const char *s)
{
    HPDF_Page_BeginText(c->page);
    HPDF_Page_SetFontAndSize(c->page, font, size);
    HPDF_Page_TextOut(c->page, x, y, s);
    HPDF_Page_EndText(c->page);
}

void mf_pdf_text(struct mf_pdf *c, HPDF_Font font, float size, float x, float y, int right,
                 const char *fmt, ...)
{
    char utf8[512], text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(utf8, sizeof utf8, fmt, ap);
    va_end(ap);
    to_cp1252(utf8, text, sizeof text);
    if (right)
        x -= width_of(font, size, text, strlen(text));
    show(c, font, size, x, y, text);
}

void mf_pdf_cell(struct mf_pdf *c, HPDF_Font font, float size, float x, float y, float width,
                 const char *utf8)
{
    char text[256];
    to_cp1252(utf8, text, sizeof text - 4);
    size_t len = strlen(text);
    float room = width - 3;
    if (len && width_of(font, size, text, len) > room) {
        float dots = width_of(font, size, "...", 3);
        while (len && width_of(font, size, text, len) + dots > room)
            len--;
        memcpy(text + len, "...", 4);
    }
    if (*text)
        show(c, font, size, x, y, text);
}

/* True when s is CP1252 text throughout. */
static bool latin(const char *s)
{
    while (*s) {
        unsigned cp;
        s += mf_utf8_next(s, &cp);
        if (!cp1252_of(cp))
            return false;
    }
    return true;
}

/* True when the CJK font has a glyph for every character of s. */
static bool cjk_covers(const struct mf_pdf *c, const char *s)
{
    while (*s) {
        unsigned cp;
        s += mf_utf8_next(s, &cp);
        if (cp > 0xffff || (cp != ' ' && !HPDF_TTFontDef_GetGlyphid(c->cjk_def, (HPDF_UINT16)cp)))
            return false;
    }
    return true;
}

void mf_pdf_native(struct mf_pdf *c, float x, float y, float width, const char *utf8)
{
    if (!utf8 || !*utf8)
        return;
    if (latin(utf8)) {
        mf_pdf_cell(c, c->font, 8, x, y, width, utf8);
        return;
    }
    if (!c->cjk || !cjk_covers(c, utf8)) {
        c->native_dropped++;
        return;
    }
    mf_pdf_mark_glyphs(c, utf8);
    char text[256];
    size_t len = 0;
    float w = 0, room = width - 3;
    while (utf8[len] && len + 4 < sizeof text) { /* whole characters that fit */
        unsigned cp;
        size_t n = mf_utf8_next(utf8 + len, &cp);
        w += (float)HPDF_Font_GetUnicodeWidth(c->cjk, (HPDF_UNICODE)cp) * 8.0f / 1000.0f;
        if (w > room)
            break;
        len += n;
    }
    memcpy(text, utf8, len);
    text[len] = '\0';
    show(c, c->cjk, 8, x, y, text);
}

/* The CJK font file to use, or NULL. */
static const char *cjk_path(const struct manifest_pdf_options *opt)
{
    if (opt->cjk_font)
        return *opt->cjk_font ? opt->cjk_font : NULL;
    const char *env = getenv("MUSTER_CJK_FONT");
    if (env)
        return *env ? env : NULL;
    for (size_t i = 0; i < sizeof cjk_paths / sizeof cjk_paths[0]; i++)
        if (access(cjk_paths[i], R_OK) == 0)
            return cjk_paths[i];
    return NULL;
}

/* Loads the CJK font when some native name is not CP1252 text. A font that
 * cannot be loaded leaves c->cjk NULL (the names are then counted dropped). */
static void load_cjk(struct mf_pdf *c)
{
    bool needed = false;
    for (size_t i = 0; !needed && i < c->m->npax; i++)
        needed = c->m->pax[i].native_name && !latin(c->m->pax[i].native_name);
    const char *path = needed ? cjk_path(c->opt) : NULL;
    if (!path || access(path, R_OK) != 0)
        return;
    size_t n = strlen(path);
    bool ttc = n > 4 && (strcmp(path + n - 4, ".ttc") == 0 || strcmp(path + n - 4, ".TTC") == 0);
    const char *name = ttc ? HPDF_LoadTTFontFromFile2(c->pdf, path, 0, HPDF_TRUE)
                           : HPDF_LoadTTFontFromFile(c->pdf, path, HPDF_TRUE);
    if (name && HPDF_UseUTFEncodings(c->pdf) == HPDF_OK) {
        c->cjk_def = HPDF_GetFontDef(c->pdf, name);
        c->cjk = HPDF_GetFont(c->pdf, name, "UTF-8");
        c->cjk_file = fopen(path, "rb");
    }
    if (!c->cjk || !c->cjk_def || !c->cjk_file || c->error) {
        if (c->cjk_file)
            fclose(c->cjk_file);
        c->cjk_file = NULL;
        c->cjk = NULL;
        c->error = c->detail = 0;
        HPDF_ResetError(c->pdf);
    }
}

static void set_info(struct mf_pdf *c)
{
    char title[160], text[160];
    snprintf(title, sizeof title, "Passenger manifest %s, leg %s", c->flight, c->m->leg_id);
    to_cp1252(title, text, sizeof text);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_TITLE, text);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_CREATOR, "muster");
    if (c->m->generated_at <= 0)
        return;
    HPDF_Date d = {0};
    int64_t t = c->m->generated_at;
    time_civil_from_days(t / 86400, &d.year, &d.month, &d.day);
    d.hour = (HPDF_INT)(t % 86400 / 3600);
    d.minutes = (HPDF_INT)(t % 3600 / 60);
    d.seconds = (HPDF_INT)(t % 60);
    d.ind = 'Z';
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d);
}

int mf_pdf_open(struct mf_pdf *c, struct muster_err *err)
{
    c->pdf = HPDF_New(on_error, c);
    if (!c->pdf)
        return err_set(err, MUSTER_ENOMEM, "manifest %s: libharu could not start a document",
                       c->m->leg_id);
    manifest_flight_number(c->m, c->flight, sizeof c->flight);
    HPDF_SetCompressionMode(c->pdf, c->opt->uncompressed ? HPDF_COMP_NONE : HPDF_COMP_ALL);
    set_info(c);
    c->font = HPDF_GetFont(c->pdf, "Helvetica", "WinAnsiEncoding");
    c->bold = HPDF_GetFont(c->pdf, "Helvetica-Bold", "WinAnsiEncoding");
    load_cjk(c);
    if (c->error || !c->font || !c->bold) {
        int rc = err_set(err, MUSTER_EIO, "manifest %s: libharu error 0x%04X (detail %u)",
                         c->m->leg_id, (unsigned)c->error, (unsigned)c->detail);
        HPDF_Free(c->pdf);
        c->pdf = NULL;
        if (c->cjk_file)
            fclose(c->cjk_file);
        c->cjk_file = NULL;
        return rc;
    }
    return 0;
}

int mf_pdf_finish(struct mf_pdf *c, struct buf *out, struct muster_err *err)
{
    if (!c->error)
        HPDF_SaveToStream(c->pdf);
    size_t start = out->len;
    if (!c->error) {
        c->reading = true;
        HPDF_ResetStream(c->pdf);
        for (;;) {
            HPDF_BYTE chunk[16384];
            HPDF_UINT32 n = sizeof chunk;
            HPDF_STATUS st = HPDF_ReadFromStream(c->pdf, chunk, &n);
            buf_add(out, chunk, n);
            if (st != HPDF_OK || n == 0)
                break;
        }
    }
    int rc = 0;
    if (c->error) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
        rc = err_set(err, MUSTER_EIO, "manifest %s: libharu error 0x%04X (detail %u)", c->m->leg_id,
                     (unsigned)c->error, (unsigned)c->detail);
    }
    HPDF_Free(c->pdf);
    c->pdf = NULL;
    if (c->cjk_file)
        fclose(c->cjk_file);
    c->cjk_file = NULL;
    return rc;
}

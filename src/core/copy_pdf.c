/* copy_pdf.c — see copy_pdf.h. Uses the manifest PDF's text plumbing
 * (manifest_pdf_text.c: CP1252 text, cut cells); the layout is a simple
 * flow of headed sections on A4 pages. */
#include "core/copy_pdf.h"

#include "core/manifest_pdf_int.h"

#include <stdio.h>
#include <string.h>

#define PAGE_W   595.0f
#define PAGE_H   842.0f
#define MARGIN   40.0f
#define LINE_H   11.0f
#define WRAP     118 /* characters per line at 8 pt */
#define BODY_TOP (PAGE_H - MARGIN - 30)

struct flow {
    struct mf_pdf c;
    float y;
    int page_no;
    const char *person;
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

static void new_page(struct flow *f)
{
    f->c.page = HPDF_AddPage(f->c.pdf);
    HPDF_Page_SetSize(f->c.page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    f->page_no++;
    mf_pdf_text(&f->c, f->c.bold, 10, MARGIN, PAGE_H - MARGIN, 0,
                "What muster holds about person %s", f->person);
    mf_pdf_text(&f->c, f->c.font, 8, PAGE_W - MARGIN, MARGIN - 14, 1, "page %d", f->page_no);
    f->y = BODY_TOP;
}

static void line(struct flow *f, HPDF_Font font, float size, float indent, const char *text)
{
    if (f->y < MARGIN + LINE_H)
        new_page(f);
    mf_pdf_cell(&f->c, font, size, MARGIN + indent, f->y, PAGE_W - 2 * MARGIN - indent, text);
    f->y -= LINE_H;
}

/* Draws text over as many lines as it needs, broken at spaces. */
static void wrapped(struct flow *f, float indent, const char *text)
{
    size_t len = strlen(text);
    while (len > WRAP) {
        size_t cut = WRAP;
        while (cut > WRAP / 2 && text[cut] != ' ')
            cut--;
        if (text[cut] != ' ')
            cut = WRAP;
        while (cut && (text[cut - 1] & 0xC0) == 0x80 && (text[cut] & 0xC0) == 0x80)
            cut--; /* not inside a UTF-8 sequence */
        char part[WRAP + 1];
        memcpy(part, text, cut);
        part[cut] = '\0';
        line(f, f->c.font, 8, indent, part);
        text += cut;
        len -= cut;
        while (*text == ' ') {
            text++;
            len--;
        }
        indent = indent < 12 ? 12 : indent;
    }
    if (len)
        line(f, f->c.font, 8, indent, text);
}

/* One value as text: strings as they are, objects and arrays as compact JSON. */
static void value_text(json_t *v, struct buf *b)
{
    if (json_is_string(v)) {
        buf_puts(b, json_string_value(v));
    } else if (json_is_null(v) || !v) {
        buf_puts(b, "-");
    } else {
        char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (t)
            buf_puts(b, t);
        free(t);
    }
}

/* An object as "key: value, key: value". */
static void object_text(json_t *o, struct buf *b)
{
    const char *k;
    json_t *v;
    bool first = true;
    json_object_foreach(o, k, v)
    {
        buf_printf(b, "%s%s: ", first ? "" : ", ", k);
        value_text(v, b);
        first = false;
    }
}

static void section(struct flow *f, const char *title, json_t *v)
{
    if (f->y < MARGIN + 4 * LINE_H)
        new_page(f);
    f->y -= 4;
    line(f, f->c.bold, 10, 0, title);
    struct buf b = {0};
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            buf_reset(&b);
            buf_printf(&b, "%s: ", k);
            value_text(x, &b);
            wrapped(f, 8, b.data);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        if (json_array_size(v) == 0)
            line(f, f->c.font, 8, 8, "(none)");
        json_array_foreach(v, i, x)
        {
            buf_reset(&b);
            buf_printf(&b, "%zu. ", i + 1);
            if (json_is_object(x))
                object_text(x, &b);
            else
                value_text(x, &b);
            wrapped(f, 8, b.data);
        }
    } else {
        value_text(v, &b);
        wrapped(f, 8, b.data);
    }
    buf_free(&b);
}

int copy_pdf(json_t *copy, struct buf *out, struct muster_err *err)
{
    static const char *const parts[][2] = {
        {"person", "The record"},
        {"household", "Household"},
        {"history", "History (from the event log)"},
        {"clearances", "Pre-clearance decisions about this person"},
        {"partner_visibility", "Partner nations that could see this person (derived)"},
        {"received_by_partners", "What partner accounts were sent (read audit)"},
        {"reads", "Every recorded read of this person's data"},
        {"notes", "Notes"},
    };
    struct flow f = {0};
    json_t *person = json_object_get(copy, "person");
    f.person = json_string_value(json_object_get(person, "id"));
    if (!f.person)
        return err_set(err, MUSTER_EINVAL, "person copy: no person id");
    f.c.pdf = HPDF_New(on_error, &f.c);
    if (!f.c.pdf)
        return err_set(err, MUSTER_ENOMEM, "person copy: libharu could not start a document");
    HPDF_SetCompressionMode(f.c.pdf, HPDF_COMP_ALL);
    HPDF_SetInfoAttr(f.c.pdf, HPDF_INFO_TITLE, "Personal data held by muster");
    HPDF_SetInfoAttr(f.c.pdf, HPDF_INFO_CREATOR, "muster");
    f.c.font = HPDF_GetFont(f.c.pdf, "Helvetica", "WinAnsiEncoding");
    f.c.bold = HPDF_GetFont(f.c.pdf, "Helvetica-Bold", "WinAnsiEncoding");
    if (!f.c.error && f.c.font && f.c.bold) {
        new_page(&f);
        char head[160];
        snprintf(head, sizeof head, "Generated %s by %s (%s)",
                 json_string_value(json_object_get(copy, "generated")),
                 json_string_value(json_object_get(copy, "generated_by")),
                 json_string_value(json_object_get(copy, "nation")));
        line(&f, f.c.font, 8, 0, head);
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
            section(&f, parts[i][1], json_object_get(copy, parts[i][0]));
    }
    if (!f.c.error)
        HPDF_SaveToStream(f.c.pdf);
    size_t start = out->len;
    if (!f.c.error) {
        f.c.reading = true;
        HPDF_ResetStream(f.c.pdf);
        for (;;) {
            HPDF_BYTE chunk[16384];
            HPDF_UINT32 n = sizeof chunk;
            HPDF_STATUS st = HPDF_ReadFromStream(f.c.pdf, chunk, &n);
            buf_add(out, chunk, n);
            if (st != HPDF_OK || n == 0)
                break;
        }
    }
    int rc = 0;
    if (f.c.error) {
        out->len = start;
        rc = err_set(err, MUSTER_EIO, "person copy: libharu error 0x%04X (detail %u)",
                     (unsigned)f.c.error, (unsigned)f.c.detail);
    }
    HPDF_Free(f.c.pdf);
    return rc;
}

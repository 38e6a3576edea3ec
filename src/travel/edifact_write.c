/* edifact_write.c — the EDIFACT writer: segments into a struct buf, every
 * service character released, trailing empty elements and components dropped.
 *
 * Separators are not written at once: an empty value only adds its separator
 * to `pending`, which is written before the next non-empty value and thrown
 * away at the end of the segment (or of the element, for components). */
#include "travel/edifact.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void edi_w_init(struct edi_writer *w, struct buf *out, const struct edi_chars *chars, bool una)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->chars = chars ? *chars : edi_default_chars;
    const struct edi_chars *c = &w->chars;
    for (int k = 0; k < 256; k++) {
        bool a = (k >= 'A' && k <= 'Z') || (k >= '0' && k <= '9') ||
                 (k && strchr(" .,-()/='+:?!\"%&*;<>", k));
        w->cls[k] =
            (unsigned char)((a ? 0 : EDI_W_NOT_A) | (k >= 0x20 && k < 0x7f ? 0 : EDI_W_NOT_B));
    }
    w->cls[(unsigned char)c->comp] |= EDI_W_ESC;
    w->cls[(unsigned char)c->elem] |= EDI_W_ESC;
    w->cls[(unsigned char)c->release] |= EDI_W_ESC;
    w->cls[(unsigned char)c->term] |= EDI_W_ESC;
    w->cls['*'] |= EDI_W_ESC;
    if (c->rep)
        w->cls[(unsigned char)c->rep] |= EDI_W_ESC;
    if (una) {
        char u[10] = {'U',     'N',        'A',        c->comp,
                      c->elem, c->decimal, c->release, c->rep ? c->rep : ' ',
                      c->term, 0};
        buf_add(out, u, 9);
    }
}

static void flush_pending(struct edi_writer *w)
{
    if (w->npending) {
        buf_add(w->out, w->pending, w->npending);
        w->npending = 0;
    }
}

static void add_pending(struct edi_writer *w, char sep)
{
    if (w->npending == sizeof w->pending)
        flush_pending(w);
    w->pending[w->npending++] = sep;
}

/* Drops the trailing component separators of an element that ends empty. */
static void drop_trailing_comps(struct edi_writer *w)
{
    while (w->npending && w->pending[w->npending - 1] == w->chars.comp)
        w->npending--;
}

/* Appends v with a release character before every service character, straight
 * into the buffer (room for the worst case, every byte released, is made first). */
static void put_escaped(struct edi_writer *w, const char *v)
{
    const unsigned char *p = (const unsigned char *)v;
    size_t n = strlen(v);
    struct buf *b = w->out;
    buf_reserve(b, 2 * n);
    char *o = b->data + b->len;
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned k = w->cls[p[i]];
        if (k & EDI_W_ESC)
            *o++ = w->chars.release;
        else
            seen |= k;
        *o++ = (char)p[i];
    }
    w->seen |= seen;
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

static void put_value(struct edi_writer *w, const char *v)
{
    if (!v || !*v)
        return;
    flush_pending(w);
    put_escaped(w, v);
}

void edi_w_seg(struct edi_writer *w, const char *tag)
{
    if (w->in_seg)
        edi_w_end(w);
    w->npending = 0;
    buf_puts(w->out, tag);
    w->in_seg = true;
}

void edi_w_elem(struct edi_writer *w, const char *v)
{
    drop_trailing_comps(w);
    add_pending(w, w->chars.elem);
    put_value(w, v);
}

void edi_w_comp(struct edi_writer *w, const char *v)
{
    add_pending(w, w->chars.comp);
    put_value(w, v);
}

void edi_w_rep(struct edi_writer *w, const char *v)
{
    drop_trailing_comps(w);
    add_pending(w, w->chars.rep ? w->chars.rep : '*');
    put_value(w, v);
}

static void vformat(char *tmp, size_t cap, const char *fmt, va_list ap)
{
    int n = vsnprintf(tmp, cap, fmt, ap);
    if (n < 0)
        tmp[0] = '\0';
}

void edi_w_elemf(struct edi_writer *w, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vformat(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    edi_w_elem(w, tmp);
}

void edi_w_compf(struct edi_writer *w, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vformat(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    edi_w_comp(w, tmp);
}

void edi_w_end(struct edi_writer *w)
{
    if (!w->in_seg)
        return;
    w->npending = 0;
    buf_putc(w->out, w->chars.term);
    w->count++;
    w->in_seg = false;
}

void edi_w_mark(struct edi_writer *w)
{
    w->count = 0;
}

const char *edi_w_charset(const struct edi_writer *w)
{
    if (w->seen & EDI_W_NOT_B)
        return "UNOW";
    return (w->seen & EDI_W_NOT_A) ? "UNOB" : "UNOA";
}

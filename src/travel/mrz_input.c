/* mrz_input.c — from the text a scanner typed to MRZ lines: line ends,
 * spaces and case tolerated (and reported), the shape recognised, every
 * character checked against the alphabet; then mrz_decode (mrz.c). */
#include "travel/mrz.h"
#include "travel/mrz_internal.h"
#include "util/timeutil.h"

#include <stddef.h>
#include <string.h>

struct span {
    const char *p;
    size_t n;
};

/* Cuts text into non-blank lines (at most 4 kept, *count counts them all),
 * trimming spaces and tabs around each; notes CRs and trimmed spaces. */
static int split_lines(struct mrz_doc *doc, const char *text, size_t len, struct span *sp,
                       int *count)
{
    const char *p = text, *end = text + len;
    bool cr = false, spaces = false;
    int n = 0, spaced_line = 0;
    while (p < end) {
        const char *le = memchr(p, '\n', (size_t)(end - p));
        if (!le)
            le = end;
        const char *c = memchr(p, '\r', (size_t)(le - p));
        const char *next = le + 1;
        if (c) { /* "\r\n", or a lone '\r' used as the separator */
            cr = true;
            next = c + 1 == le ? le + 1 : c + 1;
            le = c;
        }
        const char *a = p, *b = le;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (a != p || b != le) {
            spaces = true;
            if (!spaced_line && b > a)
                spaced_line = n + 1;
        }
        if (b > a) {
            if (n < 4)
                sp[n] = (struct span){a, (size_t)(b - a)};
            n++;
        }
        p = next;
    }
    *count = n;
    if (cr)
        mrz_issue_add(doc, MRZ_W_CRLF, 0, 0, NULL, 0);
    if (spaces && spaced_line)
        mrz_issue_add(doc, MRZ_W_SPACES, spaced_line, 0, NULL, 0);
    return n;
}

static void length_error(struct mrz_doc *doc, int line, size_t got, int want)
{
    struct mrz_issue *is = mrz_issue_add(doc, MRZ_E_LINE_LENGTH, line, 0, NULL, 0);
    if (is) {
        is->a = (int16_t)(got > 9999 ? 9999 : got);
        is->b = (int16_t)want;
    }
}

/* Decides the format from the lines' count and lengths; a single line of
 * 90, 72 or 88 characters is cut into 3 or 2 lines. Returns false (with an
 * error) when the shape is not an MRZ's. */
static bool shape(struct mrz_doc *doc, struct span *sp, int *n)
{
    if (*n == 1 && (sp[0].n == 90 || sp[0].n == 72 || sp[0].n == 88)) {
        size_t w = sp[0].n == 90 ? 30 : sp[0].n / 2;
        const char *p = sp[0].p;
        *n = (int)(sp[0].n / w);
        for (int i = 0; i < *n; i++)
            sp[i] = (struct span){p + i * w, w};
        mrz_issue_add(doc, MRZ_W_ONE_LINE, 0, 0, NULL, 0);
    }
    if (*n == 0) {
        mrz_issue_add(doc, MRZ_E_EMPTY, 0, 0, NULL, 0);
        return false;
    }
    if (*n == 1 || *n > 3) {
        struct mrz_issue *is = mrz_issue_add(doc, MRZ_E_LINE_COUNT, 0, 0, NULL, 0);
        if (is) {
            is->a = (int16_t)(*n > 9999 ? 9999 : *n);
            is->b = (int16_t)(*n == 1 ? (sp[0].n > 9999 ? 9999 : sp[0].n) : 0);
        }
        return false;
    }
    size_t w = *n == 3 ? 30 : sp[0].n;
    if (*n == 2 && w != 36 && w != 44)
        w = sp[1].n == 36 || sp[1].n == 44 ? sp[1].n : 0;
    for (int i = 0; i < *n; i++) {
        if (sp[i].n != w || w == 0) {
            length_error(doc, i + 1, sp[i].n, (int)w);
            return false;
        }
    }
    doc->nlines = (uint8_t)*n;
    doc->line_len = (uint8_t)w;
    bool visa = sp[0].p[0] == 'V' || sp[0].p[0] == 'v';
    doc->format = w == 30   ? MRZ_TD1
                  : w == 36 ? (visa ? MRZ_MRVB : MRZ_TD2)
                            : (visa ? MRZ_MRVA : MRZ_TD3);
    return true;
}

/* Copies the lines into doc->lines, upper-casing; false on a character
 * outside the alphabet (each one is reported). */
static bool copy_lines(struct mrz_doc *doc, const struct span *sp)
{
    unsigned bad = 0, lower = 0;
    for (int i = 0; i < doc->nlines; i++) {
        char *out = doc->lines[i];
        const unsigned char *in = (const unsigned char *)sp[i].p;
        memcpy(out, in, sp[i].n);
        out[sp[i].n] = '\0';
        if (mrz_all_mrz(in, sp[i].n))
            continue;
        for (size_t j = 0; j < sp[i].n; j++) {
            unsigned k = mrz_cclass[in[j]];
            if (k == 1) {
                out[j] = (char)(in[j] - 'a' + 'A');
                lower = 1;
            } else if (k == 2) {
                char t[12];
                size_t tl = 3;
                if (in[j] >= 0x20 && in[j] < 0x7f) {
                    t[0] = '\'', t[1] = (char)in[j], t[2] = '\'';
                } else {
                    static const char hex[] = "0123456789ABCDEF";
                    memcpy(t, "byte 0x", 7);
                    t[7] = hex[in[j] >> 4], t[8] = hex[in[j] & 15];
                    tl = 9;
                }
                mrz_issue_add(doc, MRZ_E_CHARACTER, i + 1, (int)j + 1, t, tl);
                bad = 1;
            }
        }
    }
    if (lower)
        mrz_issue_add(doc, MRZ_W_LOWER_CASE, 0, 0, NULL, 0);
    return !bad;
}

/* The common case without scanning for line ends: 2 lines of 44 or 36, or
 * 3 of 30, separated by single '\n' (one more may end the text), every
 * character in the alphabet (mrz_decode checks that as it reads them).
 * Returns false, with doc as it was but for doc->lines, for anything else:
 * the general path takes it. */
static bool fast_parse(struct mrz_doc *doc, const char *text, size_t len, const struct mrz_today *t)
{
    size_t w;
    int n;
    if (len && text[len - 1] == '\n')
        len--;
    if (len == 89 || len == 73) {
        n = 2, w = (len - 1) / 2;
    } else if (len == 92) {
        n = 3, w = 30;
    } else {
        return false;
    }
    if (text[w] != '\n' || (n == 3 && text[2 * w + 1] != '\n'))
        return false;
    /* fixed-size copies: no call, no loop */
    if (n == 3) {
        memcpy(doc->lines[0], text, 30);
        memcpy(doc->lines[1], text + 31, 30);
        memcpy(doc->lines[2], text + 62, 30);
    } else if (w == 44) {
        memcpy(doc->lines[0], text, 44);
        memcpy(doc->lines[1], text + 45, 44);
    } else {
        memcpy(doc->lines[0], text, 36);
        memcpy(doc->lines[1], text + 37, 36);
    }
    for (int i = 0; i < n; i++)
        doc->lines[i][w] = '\0';
    bool visa = text[0] == 'V';
    doc->format = w == 30   ? MRZ_TD1
                  : w == 36 ? (visa ? MRZ_MRVB : MRZ_TD2)
                            : (visa ? MRZ_MRVA : MRZ_TD3);
    doc->nlines = (uint8_t)n;
    doc->line_len = (uint8_t)w;
    if (mrz_decode(doc, t, true, true))
        return true;
    doc->format = MRZ_FORMAT_NONE;
    doc->nlines = doc->line_len = 0;
    return false;
}

static void set_err(const struct mrz_doc *doc, struct muster_err *err)
{
    if (!err)
        return;
    if (doc->nerrors == 0) {
        err_clear(err);
        return;
    }
    err->code = MUSTER_EINVAL;
    mrz_issue_text(&doc->errors[0], err->msg, sizeof err->msg);
}

int mrz_parse_at(const char *text, size_t len, int64_t today, struct mrz_doc *doc,
                 struct muster_err *err)
{
    struct mrz_today t;
    mrz_today_set(&t, today);
    memset(doc, 0, offsetof(struct mrz_doc, lines));
    if (text && fast_parse(doc, text, len, &t)) {
        set_err(doc, err);
        return 0;
    }
    struct span sp[4];
    int n;
    split_lines(doc, text ? text : "", text ? len : 0, sp, &n);
    if (!shape(doc, sp, &n) || !copy_lines(doc, sp)) {
        set_err(doc, err);
        return MUSTER_EINVAL;
    }
    mrz_decode(doc, &t, true, false);
    set_err(doc, err);
    return 0;
}

int mrz_parse(const char *text, size_t len, struct mrz_doc *doc, struct muster_err *err)
{
    int64_t now = time_now();
    int64_t days = now >= 0 ? now / 86400 : -((-now + 86399) / 86400);
    return mrz_parse_at(text, len, days, doc, err);
}

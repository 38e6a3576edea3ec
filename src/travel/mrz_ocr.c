/* mrz_ocr.c — OCR repair suggestions. Readers confuse O/0, I/1, B/8, S/5,
 * Z/2 and G/6. A letter where only digits may stand (dates, check digits) or
 * a digit where only letters may stand (codes, names, sex) is swapped for its
 * look-alike; then, if checks still fail, exactly one swap in a field where
 * both may stand (document number, optional data) is searched for. When the
 * result is a valid document it becomes doc->suggestion; it is never applied
 * to the fields. */
#include "travel/mrz.h"
#include "travel/mrz_internal.h"

#include <string.h>

enum { CL_OTHER = 0, CL_NUM, CL_ALPHA, CL_ALNUM };

static const char pairs[][2] = {{'O', '0'}, {'I', '1'}, {'B', '8'},
                                {'S', '5'}, {'Z', '2'}, {'G', '6'}};

static char look_alike(char c)
{
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (pairs[i][0] == c)
            return pairs[i][1];
        if (pairs[i][1] == c)
            return pairs[i][0];
    }
    return 0;
}

static void mark(unsigned char cls[3][44], int line, int col, int n, unsigned char c)
{
    for (int i = 0; i < n; i++)
        cls[line][col + i] = c;
}

/* Character class of each position of the format. */
static void classes(enum mrz_format f, unsigned char cls[3][44])
{
    memset(cls, CL_OTHER, 3 * 44);
    if (f == MRZ_TD1) {
        mark(cls, 0, 0, 5, CL_ALPHA);
        mark(cls, 0, 5, 9, CL_ALNUM);
        mark(cls, 0, 14, 1, CL_NUM);
        mark(cls, 0, 15, 15, CL_ALNUM);
        mark(cls, 1, 0, 7, CL_NUM);
        mark(cls, 1, 7, 1, CL_ALPHA);
        mark(cls, 1, 8, 7, CL_NUM);
        mark(cls, 1, 15, 3, CL_ALPHA);
        mark(cls, 1, 18, 11, CL_ALNUM);
        mark(cls, 1, 29, 1, CL_NUM);
        mark(cls, 2, 0, 30, CL_ALPHA);
        return;
    }
    int w = f == MRZ_TD3 || f == MRZ_MRVA ? 44 : 36;
    mark(cls, 0, 0, w, CL_ALPHA);
    mark(cls, 1, 0, 9, CL_ALNUM);
    mark(cls, 1, 9, 1, CL_NUM);
    mark(cls, 1, 10, 3, CL_ALPHA);
    mark(cls, 1, 13, 7, CL_NUM);
    mark(cls, 1, 20, 1, CL_ALPHA);
    mark(cls, 1, 21, 7, CL_NUM);
    mark(cls, 1, 28, w - 28, CL_ALNUM);
    if (f == MRZ_TD3)
        mark(cls, 1, 42, 2, CL_NUM);
    if (f == MRZ_TD2)
        mark(cls, 1, 35, 1, CL_NUM);
}

static bool try_lines(const struct mrz_doc *doc, char lines[3][45], const struct mrz_today *today,
                      struct mrz_doc *w)
{
    memset(w, 0, offsetof(struct mrz_doc, lines));
    w->format = doc->format;
    w->nlines = doc->nlines;
    w->line_len = doc->line_len;
    memcpy(w->lines, lines, sizeof w->lines);
    mrz_decode(w, today, false, false);
    return w->valid;
}

static void add_change(struct mrz_doc *doc, int line, int col, char from, char to)
{
    if (doc->nchanges < MRZ_MAX_CHANGES)
        doc->changes[doc->nchanges++] =
            (struct mrz_change){(uint8_t)(line + 1), (uint8_t)(col + 1), from, to};
}

void mrz_suggest(struct mrz_doc *doc, const struct mrz_today *today)
{
    unsigned char cls[3][44];
    char lines[3][45];
    struct mrz_doc w;
    classes(doc->format, cls);
    memcpy(lines, doc->lines, sizeof lines);
    doc->nchanges = 0;
    for (int l = 0; l < doc->nlines; l++) {
        for (int c = 0; c < doc->line_len; c++) {
            char ch = lines[l][c], to = look_alike(ch);
            bool fix = to && ((cls[l][c] == CL_NUM && ch >= 'A' && ch <= 'Z') ||
                              (cls[l][c] == CL_ALPHA && ch >= '0' && ch <= '9'));
            if (fix) {
                lines[l][c] = to;
                add_change(doc, l, c, ch, to);
            }
        }
    }
    if (try_lines(doc, lines, today, &w)) {
        if (doc->nchanges == 0)
            return;
        doc->has_suggestion = true;
        memcpy(doc->suggestion, lines, sizeof lines);
        return;
    }
    int found = 0, fl = 0, fc = 0;
    for (int l = 0; l < doc->nlines && found < 2; l++) {
        for (int c = 0; c < doc->line_len && found < 2; c++) {
            char ch = lines[l][c], to = look_alike(ch);
            if (cls[l][c] != CL_ALNUM || !to)
                continue;
            lines[l][c] = to;
            if (try_lines(doc, lines, today, &w)) {
                found++;
                fl = l, fc = c;
            }
            lines[l][c] = ch;
        }
    }
    if (found != 1) {
        doc->nchanges = 0;
        return;
    }
    add_change(doc, fl, fc, lines[fl][fc], look_alike(lines[fl][fc]));
    lines[fl][fc] = look_alike(lines[fl][fc]);
    doc->has_suggestion = true;
    memcpy(doc->suggestion, lines, sizeof lines);
}

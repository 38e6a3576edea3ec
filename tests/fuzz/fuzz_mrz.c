/* fuzz_mrz.c — libFuzzer target for the MRZ reader and writer. The input is
 * read as MRZ text; whatever it is, parsing must not crash or read out of
 * bounds, the JSON must be made, a valid document must read the same from
 * its own lines, and a suggestion must itself be valid. The input is also
 * transliterated and, cut at '|', used as the fields of a document to write,
 * which must then read back valid. */
#include "travel/mrz.h"
#include "travel/translit.h"
#include "util/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TODAY 20786 /* 2026-11-29 */

static void check_reread(const struct mrz_doc *d)
{
    char text[MRZ_TEXT_MAX];
    struct mrz_doc again;
    size_t n = 0;
    for (int i = 0; i < d->nlines; i++) {
        size_t l = strlen(d->lines[i]);
        memcpy(text + n, d->lines[i], l);
        n += l;
        text[n++] = '\n';
    }
    if (mrz_parse_at(text, n, TODAY, &again, NULL) != 0 || !again.valid ||
        strcmp(again.document_number, d->document_number) != 0 ||
        strcmp(again.surname, d->surname) != 0)
        abort();
}

static void check_suggestion(const struct mrz_doc *d)
{
    char text[MRZ_TEXT_MAX];
    struct mrz_doc s;
    size_t n = 0;
    for (int i = 0; i < d->nlines; i++) {
        size_t l = strlen(d->suggestion[i]);
        memcpy(text + n, d->suggestion[i], l);
        n += l;
        text[n++] = '\n';
    }
    if (mrz_parse_at(text, n, TODAY, &s, NULL) != 0 || !s.valid)
        abort();
}

/* Splits a copy of the input at '|' into up to 12 fields and writes them. */
static void fuzz_make(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    char *f[12] = {0};
    int n = 0;
    for (char *p = s; n < 12 && p;) {
        f[n++] = p;
        p = strchr(p, '|');
        if (p)
            *p++ = '\0';
    }
    struct mrz_person p = {f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7] ? f[7][0] : 'M',
                           f[8], f[9], f[10]};
    char out[MRZ_TEXT_MAX];
    bool cut;
    enum mrz_format fmt = (enum mrz_format)(1 + (size % 5));
    if (mrz_make(&p, fmt, out, sizeof out, &cut, NULL) == 0) {
        struct mrz_doc d;
        if (mrz_parse_at(out, strlen(out), TODAY, &d, NULL) != 0 || d.format != fmt)
            abort();
        /* what was written passes every check digit */
        if (d.check_document_number == MRZ_CHECK_FAIL || d.check_birth_date == MRZ_CHECK_FAIL ||
            d.check_expiry_date == MRZ_CHECK_FAIL || d.check_optional_data == MRZ_CHECK_FAIL ||
            d.check_composite == MRZ_CHECK_FAIL)
            abort();
    }
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mrz_doc d;
    struct muster_err err;
    int rc = mrz_parse_at((const char *)data, size, TODAY, &d, &err);
    struct buf b = {0};
    mrz_json(&d, &b);
    buf_free(&b);
    if (rc == 0 && d.valid)
        check_reread(&d);
    if (rc == 0 && d.has_suggestion)
        check_suggestion(&d);
    char t[64];
    translit_mrz((const char *)data, size, t, sizeof t, NULL);
    fuzz_make(data, size);
    return 0;
}

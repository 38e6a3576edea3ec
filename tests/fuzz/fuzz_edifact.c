/* fuzz_edifact.c — libFuzzer target for the EDIFACT syntax layer: the whole
 * checker (reader + envelopes), every value read back and unescaped, and the
 * writer re-encoding each segment, which must read back to the same values. */
#include "travel/edifact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void reencode_one(const struct edi_segment *s, const struct edi_chars *ch)
{
    struct buf b = {0};
    struct edi_writer w;
    edi_w_init(&w, &b, ch, false);
    char *tmp = malloc(s->raw_len + 2);
    edi_w_seg(&w, s->tag);
    for (unsigned e = 0; e < s->nelem; e++) {
        edi_unescape(edi_get(s, e, 0), tmp);
        edi_w_elem(&w, tmp);
        for (unsigned c = 1; c < edi_ncomp(s, e, 0); c++) {
            edi_unescape(edi_get(s, e, c), tmp);
            edi_w_comp(&w, tmp);
        }
    }
    edi_w_end(&w);
    struct edi_reader r;
    if (edi_reader_init(&r, b.data, b.len, ch, NULL) == 0) {
        struct edi_segment *t = malloc(sizeof *t);
        char *tmp2 = malloc(b.len + 2);
        if (edi_next(&r, t, NULL) == 1) {
            for (unsigned e = 0; e < s->nelem; e++) {
                for (unsigned c = 0; c < edi_ncomp(s, e, 0); c++) {
                    size_t n1 = edi_unescape(edi_get(s, e, c), tmp);
                    size_t n2 = edi_unescape(edi_get(t, e, c), tmp2);
                    if (memchr(tmp, 0, n1))
                        continue; /* a NUL ends the writer's C string */
                    if (n1 != n2 || memcmp(tmp, tmp2, n1) != 0)
                        abort(); /* the writer lost or changed a value */
                }
            }
        }
        free(tmp2);
        free(t);
    }
    free(tmp);
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct edi_diags d = {0};
    struct muster_err err;
    edi_check((const char *)data, size, &d, &err);
    for (size_t i = 0; i < d.n; i++) {
        char line[400];
        edi_diag_format(&d.v[i], line, sizeof line);
    }
    edi_diags_free(&d);

    struct edi_reader r;
    if (edi_reader_init(&r, (const char *)data, size, NULL, &err) != 0)
        return 0;
    struct edi_segment *s = malloc(sizeof *s);
    struct arena a = {0};
    int n = 0;
    while (edi_next(&r, s, NULL) == 1 && n++ < 200) {
        for (unsigned e = 0; e < s->nelem; e++)
            for (unsigned rep = 0; rep < edi_nrep(s, e); rep++)
                for (unsigned c = 0; c < edi_ncomp(s, e, rep); c++)
                    edi_strdup(&a, edi_get_rep(s, e, rep, c));
        if (s->tag[0] && !r.chars.rep &&
            strcmp(s->tag, "UNA") != 0) /* a UNA tag would be read back as the advice */
            reencode_one(s, &r.chars);
    }
    arena_free(&a);
    free(s);
    return 0;
}

/* fuzz_paxlst.c — libFuzzer target for the PAXLST and CUSRES readers: parse,
 * print as JSON, read that JSON back, write it as EDIFACT and parse that; and
 * the same bytes through the CUSRES reader. No crash, no sanitizer report, the
 * JSON printed is valid JSON, and what was read can be written and read again. */
#include "travel/cusres.h"
#include "travel/paxlst.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The JSON the library prints must be valid JSON, whatever the input bytes. */
static void must_be_json(const struct buf *j)
{
    json_t *v = json_loadb(j->data, j->len, 0, NULL);
    if (!v)
        abort();
    json_decref(v);
}

static void rewrite(struct paxlst_interchange *ic)
{
    struct buf j = {0}, out = {0};
    paxlst_to_json(ic, &j);
    must_be_json(&j);
    if (!ic->nmessages) {
        buf_free(&j);
        return;
    }
    struct paxlst_interchange back = {0}, again = {0};
    struct muster_err err;
    if (paxlst_from_json(j.data, j.len, &back, &err) == 0) {
        if (!back.sender || !back.recipient || !back.control_ref || strlen(back.control_ref) > 14 ||
            back.prepared.year < 2000 || back.prepared.year > 2099) {
            back.sender = "S";
            back.recipient = "R";
            back.control_ref = "1";
            back.prepared = (struct paxlst_datetime){2026, 1, 1, 0, 0, true};
        }
        if (paxlst_write(&back, NULL, &out, &err) == 0) {
            if (paxlst_parse(out.data, out.len, &again, &err) != 0)
                abort(); /* what we write, we must read */
        }
    }
    paxlst_free(&back);
    paxlst_free(&again);
    buf_free(&j);
    buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct paxlst_interchange ic = {0};
    struct muster_err err;
    if (paxlst_parse((const char *)data, size, &ic, &err) == 0)
        rewrite(&ic);
    paxlst_free(&ic);
    struct cusres_response r = {0};
    if (cusres_parse((const char *)data, size, &r, &err) == 0) {
        struct buf b = {0};
        cusres_to_json(&r, &b);
        must_be_json(&b);
        buf_free(&b);
    }
    cusres_free(&r);
    return 0;
}

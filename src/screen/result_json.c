/* result_json.c — one passenger's screening answer as JSON, the shape the
 * CLI prints and the server returns (docs/screening.md). */
#include "screen/screen.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *date_json(struct screen_date d)
{
    char s[16];
    if (!d.y)
        return json_null();
    if (d.m && d.d)
        snprintf(s, sizeof s, "%04d-%02d-%02d", d.y % 10000, d.m % 100, d.d % 100);
    else if (d.m)
        snprintf(s, sizeof s, "%04d-%02d", d.y % 10000, d.m % 100);
    else
        snprintf(s, sizeof s, "%04d", d.y % 10000);
    return json_string(s);
}

/* A JSON string of s; bytes that are not UTF-8 (a manifest or a list may
 * hold anything, and reasons are cut at a byte count) become '?'. */
static json_t *str_safe(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (!c)
        return json_string("?");
    for (size_t i = 0; i < n;) {
        size_t k = 1;
        unsigned char b = (unsigned char)s[i];
        size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (size_t x = 1; ok && x < len; x++)
            ok = ((unsigned char)s[i + x] & 0xC0) == 0x80;
        if (ok && len > 1) { /* no overlong forms, surrogates or beyond U+10FFFF */
            static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
            uint32_t cp = b & (0x7F >> len);
            for (size_t x = 1; x < len; x++)
                cp = (cp << 6) | ((unsigned char)s[i + x] & 0x3F);
            ok = cp >= min[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (ok) {
            memcpy(c + i, s + i, len);
            k = len;
        }
        if (!ok) {
            c[i] = '?';
            k = 1;
        }
        i += k;
    }
    c[n] = '\0';
    j = json_string(c);
    free(c);
    return j ? j : json_string("?");
}

static json_t *str_or_null(const char *s)
{
    return s && s[0] ? str_safe(s) : json_null();
}

static json_t *hits_json(const struct screen_result *r, const struct screen_watchlist *wl)
{
    json_t *a = json_array();
    for (int i = 0; wl && i < r->n_hits; i++) {
        struct screen_entry e;
        screen_watchlist_entry(wl, r->hits[i].entry, &e);
        json_array_append_new(
            a, json_pack("{s:o,s:i,s:o,s:{s:o,s:o,s:o,s:o,s:o,s:o}}", "entry_id", str_or_null(e.id),
                         "score", r->hits[i].score, "why", str_safe(r->hits[i].why), "entry",
                         "surname", str_or_null(e.surname), "given_names",
                         str_or_null(e.given_names), "birth_date", date_json(e.birth), "sex",
                         e.sex ? json_stringn(&e.sex, 1) : json_null(), "nationality",
                         str_or_null(e.nationality), "reason", str_or_null(e.reason)));
    }
    return a;
}

json_t *screen_result_json(const struct screen_passenger *p, const struct screen_result *r,
                           const struct screen_watchlist *wl)
{
    json_t *reasons = json_array();
    for (int i = 0; i < r->n_reasons; i++)
        json_array_append_new(reasons,
                              json_pack("{s:o,s:s,s:o}", "code", str_safe(r->reasons[i].code),
                                        "severity", screen_decision_name(r->reasons[i].severity),
                                        "text", str_safe(r->reasons[i].text)));
    char sex[2] = {p->sex, 0};
    json_t *o =
        json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:{s:s,s:o,s:o,s:o},s:s,s:s,s:o,s:o}", "leg",
                  str_or_null(p->leg_id), "surname", str_or_null(p->surname), "given_names",
                  str_or_null(p->given_names), "birth_date", date_json(p->birth), "sex",
                  str_or_null(sex), "nationality", str_or_null(p->nationality), "document", "type",
                  screen_doc_type_name(p->doc_type), "number", str_or_null(p->doc_number), "issuer",
                  str_or_null(p->doc_issuer), "expiry", date_json(p->doc_expiry), "decision",
                  screen_decision_name(r->decision), "basis", screen_basis_name(r->basis),
                  "reasons", reasons, "hits", hits_json(r, wl));
    if (o && r->overridden)
        json_object_set_new(o, "override",
                            json_pack("{s:s,s:o,s:o}", "from", screen_decision_name(r->original),
                                      "officer", str_safe(r->override_officer), "reason",
                                      str_safe(r->override_reason)));
    return o;
}

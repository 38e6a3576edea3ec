/* manifest_csv.c — a leg's manifest as RFC 4180 CSV (columns in
 * docs/manifests.md): what a liaison opens in a spreadsheet or feeds to
 * another system. */
#include "core/manifest_int.h"

#include <stdio.h>
#include <string.h>

static const char *const columns[] = {
    "leg_id",      "flight",      "row",        "person_id",  "household",   "surname",
    "given_names", "native_name", "sex",        "birth_date", "nationality", "doc_type",
    "doc_number",  "doc_state",   "doc_expiry", "priority",   "needs",       "status",
};

/* One field: quoted when it must be; a leading formula character defused. */
static void field(struct buf *out, const char *s, bool last)
{
    s = mf_s(s);
    bool formula = strchr("=+-@\t", s[0]) != NULL && s[0] != '\0';
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        buf_putc(out, '"');
    if (formula)
        buf_putc(out, '\'');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(out, '"');
        buf_putc(out, *s);
    }
    if (quote)
        buf_putc(out, '"');
    buf_puts(out, last ? "\r\n" : ",");
}

static void row(struct buf *out, const struct manifest *m, const char *flight, size_t i)
{
    const struct manifest_passenger *p = &m->pax[i];
    char num[24];
    snprintf(num, sizeof num, "%zu", i + 1);
    struct buf needs = {0};
    mf_needs_text(p->needs, ";", &needs);
    const char *v[] = {
        m->leg_id,
        flight,
        num,
        p->person_id,
        p->household,
        p->surname,
        p->given_names,
        p->native_name,
        p->sex,
        p->birth_date,
        p->nationality,
        p->doc_type,
        p->doc_number,
        p->doc_state,
        p->doc_expiry,
        mf_priority_names[mf_priority_index(p)],
        buf_str(&needs),
        p->status,
    };
    size_t n = sizeof v / sizeof v[0];
    for (size_t k = 0; k < n; k++)
        field(out, v[k], k + 1 == n);
    buf_free(&needs);
}

int manifest_csv(const struct manifest *m, struct buf *out, struct muster_err *err)
{
    int rc = manifest_check(m, err);
    if (rc)
        return rc;
    char flight[64];
    manifest_flight_number(m, flight, sizeof flight);
    size_t n = sizeof columns / sizeof columns[0];
    for (size_t k = 0; k < n; k++)
        field(out, columns[k], k + 1 == n);
    for (size_t i = 0; i < m->npax; i++)
        row(out, m, flight, i);
    return 0;
}

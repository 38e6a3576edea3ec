/* manifest.c — checking a leg's manifest before it is rendered, and the
 * figures every rendering shares: the derived flight number, seats in use,
 * totals by priority, need and nationality. The renderings are in
 * manifest_csv.c, manifest_pdf.c and manifest_paxlst.c. */
#include "core/manifest_int.h"

#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mf_priority_names[MF_NPRIORITY] = {"critical", "vulnerable", "standard"};
const char *const mf_need_names[4] = {"stretcher", "assisted", "pregnant", "unaccompanied_minor"};

/* True when s is well-formed UTF-8 without control characters. */
static bool clean_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t n = c < 0x80             ? 0
                   : (c & 0xe0) == 0xc0 ? 1
                   : (c & 0xf0) == 0xe0 ? 2
                   : (c & 0xf8) == 0xf0 ? 3
                                        : 9;
        if (n == 9 || (n == 1 && c < 0xc2) || c < 0x20 || c == 0x7f)
            return false;
        for (size_t i = 1; i <= n; i++)
            if ((p[i] & 0xc0) != 0x80)
                return false;
        p += n + 1;
    }
    return true;
}

static bool valid_date(const char *s)
{
    int y, mo, d;
    return strlen(s) == 10 && time_parse_date(s, &y, &mo, &d) == 0;
}

/* 1 to 3 upper-case letters (ICAO codes; "D" is Germany). */
static bool valid_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return true;
}

int mf_priority_index(const struct manifest_passenger *p)
{
    for (int i = 0; i < MF_NPRIORITY; i++)
        if (p->priority && strcmp(p->priority, mf_priority_names[i]) == 0)
            return i;
    return MF_STANDARD;
}

static int check_strings(const struct manifest_passenger *p, size_t i, struct muster_err *err)
{
    const char *f[] = {p->person_id, p->household,  p->surname,     p->given_names, p->native_name,
                       p->sex,       p->birth_date, p->nationality, p->doc_type,    p->doc_number,
                       p->doc_state, p->doc_expiry, p->priority,    p->status};
    const char *names[] = {"person_id", "household",  "surname",     "given_names", "native_name",
                           "sex",       "birth_date", "nationality", "doc_type",    "doc_number",
                           "doc_state", "doc_expiry", "priority",    "status"};
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
        if (f[k] && !clean_text(f[k]))
            return err_set(err, MUSTER_EINVAL,
                           "passenger %zu (%s): %s is not valid UTF-8 text (or has a control "
                           "character)",
                           i + 1, mf_s(p->person_id), names[k]);
    return 0;
}

static int check_passenger(const struct manifest_passenger *p, size_t i, struct muster_err *err)
{
    int rc = check_strings(p, i, err);
    if (rc)
        return rc;
    const char *id = mf_s(p->person_id);
    const char *bad = NULL;
    if (!mf_has(p->surname))
        bad = "surname is required";
    else if (mf_has(p->sex) && strcmp(p->sex, "M") && strcmp(p->sex, "F") && strcmp(p->sex, "X"))
        bad = "sex must be M, F or X";
    else if (mf_has(p->birth_date) && !valid_date(p->birth_date))
        bad = "birth_date must be a date YYYY-MM-DD";
    else if (mf_has(p->doc_expiry) && !valid_date(p->doc_expiry))
        bad = "doc_expiry must be a date YYYY-MM-DD";
    else if (mf_has(p->nationality) && !valid_code(p->nationality))
        bad = "nationality must be a 3-letter code";
    else if (mf_has(p->doc_state) && !valid_code(p->doc_state))
        bad = "doc_state must be a 3-letter code";
    else if (mf_has(p->priority) && strcmp(p->priority, "critical") &&
             strcmp(p->priority, "vulnerable") && strcmp(p->priority, "standard"))
        bad = "priority must be critical, vulnerable or standard";
    else if (p->needs < 0 || p->needs > MANIFEST_NEED_ALL)
        bad = "needs has unknown bits (allowed: 1 stretcher, 2 assisted, 4 pregnant, 8 "
              "unaccompanied minor)";
    if (bad)
        return err_set(err, MUSTER_EINVAL, "passenger %zu (%s): %s", i + 1, id, bad);
    return 0;
}

static int check_leg(const struct manifest *m, struct muster_err *err)
{
    if (!mf_has(m->leg_id))
        return err_set(err, MUSTER_EINVAL, "manifest: leg_id is required");
    const char *f[] = {
        m->leg_id,      m->operation_name,   m->operator_nation,     m->kind,
        m->vehicle,     m->flight_number,    m->point_name,          m->point_code,
        m->destination, m->destination_code, m->destination_country, m->generated_by};
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
        if (f[k] && !clean_text(f[k]))
            return err_set(err, MUSTER_EINVAL,
                           "manifest %s: a leg field is not valid UTF-8 text (or has a control "
                           "character)",
                           m->leg_id);
    if (!mf_has(m->kind) ||
        (strcmp(m->kind, "aircraft") && strcmp(m->kind, "ship") && strcmp(m->kind, "bus")))
        return err_set(err, MUSTER_EINVAL, "manifest %s: kind must be aircraft, ship or bus",
                       m->leg_id);
    if (m->departs <= 0)
        return err_set(err, MUSTER_EINVAL, "manifest %s: departs is required (Unix seconds)",
                       m->leg_id);
    if (m->arrives < 0 || (m->arrives && m->arrives < m->departs))
        return err_set(err, MUSTER_EINVAL,
                       "manifest %s: arrives must be 0 (unknown) or not before departs", m->leg_id);
    if (m->seats < 0 || m->stretchers < 0)
        return err_set(err, MUSTER_EINVAL,
                       "manifest %s: seats and stretchers must be >= 0 (got %lld and %lld)",
                       m->leg_id, (long long)m->seats, (long long)m->stretchers);
    if (m->generated_at < 0)
        return err_set(err, MUSTER_EINVAL, "manifest %s: generated_at must be >= 0", m->leg_id);
    if (m->npax && !m->pax)
        return err_set(err, MUSTER_EINVAL, "manifest %s: npax is %zu but pax is NULL", m->leg_id,
                       m->npax);
    return 0;
}

int manifest_check(const struct manifest *m, struct muster_err *err)
{
    if (!m)
        return err_set(err, MUSTER_EINVAL, "manifest: no manifest given");
    int rc = check_leg(m, err);
    for (size_t i = 0; !rc && i < m->npax; i++)
        rc = check_passenger(&m->pax[i], i, err);
    return rc;
}

void manifest_flight_number(const struct manifest *m, char *out, size_t cap)
{
    if (mf_has(m->flight_number)) {
        snprintf(out, cap, "%s", m->flight_number);
        return;
    }
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *s = mf_s(m->leg_id); *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    snprintf(out, cap, "%.8s%04u", mf_has(m->operator_nation) ? m->operator_nation : "EVAC",
             (unsigned)(h % 10000));
}

void manifest_load(const struct manifest *m, struct manifest_load *out)
{
    int64_t str = 0;
    for (size_t i = 0; i < m->npax; i++)
        str += (m->pax[i].needs & MANIFEST_NEED_STRETCHER) != 0;
    out->stretchers_used = str;
    out->seats_used = (int64_t)m->npax - str;
    out->seats_free = m->seats - out->seats_used;
    out->stretchers_free = m->stretchers - str;
}

void mf_needs_text(int needs, const char *sep, struct buf *out)
{
    bool first = true;
    for (int b = 0; b < 4; b++) {
        if (!(needs & (1 << b)))
            continue;
        if (!first)
            buf_puts(out, sep);
        buf_puts(out, mf_need_names[b]);
        first = false;
    }
}

static int cmp_nat(const void *a, const void *b)
{
    const struct mf_nat_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->nationality, y->nationality);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void mf_totals(const struct manifest *m, struct mf_totals *t)
{
    memset(t, 0, sizeof *t);
    if (!m->npax)
        return;
    const char **codes = malloc(m->npax * sizeof *codes);
    t->nat = malloc(m->npax * sizeof *t->nat);
    if (!codes || !t->nat)
        abort(); /* out of memory is fatal in muster */
    for (size_t i = 0; i < m->npax; i++) {
        const struct manifest_passenger *p = &m->pax[i];
        t->priority[mf_priority_index(p)]++;
        for (int b = 0; b < 4; b++)
            t->needs[b] += (p->needs >> b) & 1;
        codes[i] = mf_s(p->nationality);
    }
    qsort(codes, m->npax, sizeof *codes, cmp_str);
    for (size_t i = 0; i < m->npax; i++) {
        if (t->nnat && strcmp(t->nat[t->nnat - 1].nationality, codes[i]) == 0) {
            t->nat[t->nnat - 1].count++;
            continue;
        }
        t->nat[t->nnat++] = (struct mf_nat_count){codes[i], 1};
    }
    free(codes);
    qsort(t->nat, t->nnat, sizeof *t->nat, cmp_nat);
}

void mf_totals_free(struct mf_totals *t)
{
    free(t->nat);
    memset(t, 0, sizeof *t);
}

/* decide.c — the answer per passenger: document checks, the entry basis
 * from the rules table, duplicates across the batch, the watchlist, and the
 * decision cleared / refer / not_cleared with every reason that led to it.
 *
 * The decision is the most severe of the reasons. A reason of severity
 * "cleared" is a note (for instance: entered on an emergency travel
 * document accepted for a lost passport). */
#include "screen/screen.h"
#include "util/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *screen_decision_name(enum screen_decision d)
{
    return d == SCREEN_CLEARED ? "cleared" : d == SCREEN_REFER ? "refer" : "not_cleared";
}

const char *screen_basis_name(enum screen_basis b)
{
    static const char *const names[] = {"none", "citizen", "visa_exempt", "humanitarian"};
    return (unsigned)b < 4 ? names[b] : "none";
}

static void add_reason(struct screen_result *r, enum screen_decision sev, const char *code,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_reason(struct screen_result *r, enum screen_decision sev, const char *code,
                       const char *fmt, ...)
{
    if (sev > r->decision)
        r->decision = sev;
    if (r->n_reasons == SCREEN_MAX_REASONS)
        return; /* the decision still counts it */
    struct screen_reason *x = &r->reasons[r->n_reasons++];
    va_list ap;
    x->severity = sev;
    snprintf(x->code, sizeof x->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(x->text, sizeof x->text, fmt, ap);
    va_end(ap);
}

int screen_icao_check_digit(const char *s)
{
    static const int w[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; s[i]; i++) {
        int v;
        char c = s[i];
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else if (c == '<')
            v = 0;
        else
            return -1;
        sum += v * w[i % 3];
    }
    return '0' + sum % 10;
}

static bool has_code(const char codes[][4], int n, const char *c)
{
    for (int i = 0; i < n; i++)
        if (strncmp(codes[i], c, 3) == 0)
            return true;
    return false;
}

/* Writes the document number in upper case without blanks; returns its
 * length, or -1 when it holds something other than letters and digits. */
static int doc_norm(const char *s, char out[32])
{
    int n = 0;
    for (; s && *s; s++) {
        char c = *s;
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'a' && c <= 'z')
            c -= 32;
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) || n >= 31)
            return -1;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

static enum screen_basis entry_basis(const struct screen_rules *rules, const char *nat)
{
    if (!nat[0])
        return SCREEN_BASIS_NONE;
    if (strncmp(nat, rules->country, 3) == 0)
        return SCREEN_BASIS_CITIZEN;
    if (has_code((const char(*)[4])rules->humanitarian, rules->n_humanitarian, nat))
        return SCREEN_BASIS_HUMANITARIAN;
    if (has_code((const char(*)[4])rules->visa_exempt, rules->n_visa_exempt, nat))
        return SCREEN_BASIS_VISA_EXEMPT;
    return SCREEN_BASIS_NONE;
}

static void check_basis(const struct screen_rules *rules, const struct screen_passenger *p,
                        struct screen_result *r)
{
    r->basis = entry_basis(rules, p->nationality);
    if (!p->nationality[0])
        add_reason(r, SCREEN_REFER, "nationality_unknown", "nationality not declared");
    else if (r->basis == SCREEN_BASIS_NONE)
        add_reason(r, SCREEN_REFER, "visa_required",
                   "nationality %.3s is neither visa-exempt nor a partner with humanitarian entry",
                   p->nationality);
}

static void check_number(const struct screen_passenger *p, struct screen_result *r)
{
    char num[32], padded[40];
    int n = doc_norm(p->doc_number, num);
    if (n < 5 || n > 20) {
        add_reason(r, SCREEN_REFER, "doc_number_malformed",
                   "document number '%.40s' is not 5 to 20 letters and digits",
                   p->doc_number ? p->doc_number : "");
        return;
    }
    if (!p->doc_check_digit)
        return;
    snprintf(padded, sizeof padded, "%-9s", num);
    for (char *c = padded; *c; c++)
        if (*c == ' ')
            *c = '<';
    if (screen_icao_check_digit(padded) != p->doc_check_digit)
        add_reason(r, SCREEN_REFER, "doc_check_digit",
                   "document number %s: check digit %c does not verify (expected %c)", num,
                   p->doc_check_digit, screen_icao_check_digit(padded));
}

static void check_expiry(const struct screen_rules *rules, const struct screen_passenger *p,
                         struct screen_date arr, struct screen_result *r)
{
    struct screen_date x = p->doc_expiry;
    const char *doc = screen_doc_type_name(p->doc_type);
    if (!x.y || !x.m || !x.d) {
        add_reason(r, SCREEN_REFER, "doc_expiry_unknown", "%s expiry date not declared", doc);
        return;
    }
    int64_t left = time_days_from_civil(x.y, x.m, x.d) - time_days_from_civil(arr.y, arr.m, arr.d);
    int need = r->basis == SCREEN_BASIS_CITIZEN        ? 0
               : r->basis == SCREEN_BASIS_HUMANITARIAN ? rules->humanitarian_min_validity_days
                                                       : rules->min_validity_days;
    if (left < 0)
        add_reason(r, r->basis == SCREEN_BASIS_CITIZEN ? SCREEN_REFER : SCREEN_NOT_CLEARED,
                   "doc_expired", "%s expired on %04d-%02d-%02d, before arrival on %04d-%02d-%02d",
                   doc, x.y % 10000, x.m % 100, x.d % 100, arr.y % 10000, arr.m % 100, arr.d % 100);
    else if (left < need)
        add_reason(r, SCREEN_REFER, "doc_validity_short",
                   "%s valid %lld days after arrival; the rules ask %d", doc, (long long)left,
                   need);
}

static void check_document(const struct screen_rules *rules, const struct screen_passenger *p,
                           struct screen_date arr, struct screen_result *r)
{
    if (p->doc_type == SCREEN_DOC_NONE || !p->doc_number || !p->doc_number[0]) {
        add_reason(r, SCREEN_NOT_CLEARED, "no_document", "no travel document declared");
        return;
    }
    if (p->doc_type != SCREEN_DOC_PASSPORT) {
        if (!((unsigned)p->doc_type < SCREEN_DOC_TYPE_COUNT &&
              (rules->lost_passport_docs & (1u << p->doc_type)))) {
            add_reason(r, SCREEN_NOT_CLEARED, "doc_not_accepted",
                       "%s is not accepted in place of a passport",
                       screen_doc_type_name(p->doc_type));
            return;
        }
        add_reason(r, SCREEN_CLEARED, "substitute_document",
                   "%s accepted in place of a lost passport", screen_doc_type_name(p->doc_type));
    }
    check_number(p, r);
    check_expiry(rules, p, arr, r);
}

static void check_watchlist(const struct screen_rules *rules, const struct screen_watchlist *wl,
                            const struct screen_passenger *p, struct screen_result *r)
{
    r->n_hits = 0;
    if (!wl)
        return;
    int found = screen_match(wl, p, rules->match_threshold, r->hits, SCREEN_MAX_HITS);
    r->n_hits = found < SCREEN_MAX_HITS ? found : SCREEN_MAX_HITS;
    for (int i = 0; i < r->n_hits; i++) {
        struct screen_entry e;
        screen_watchlist_entry(wl, r->hits[i].entry, &e);
        add_reason(r, SCREEN_REFER, "watchlist",
                   "possible match with watchlist entry %.40s (score %d): %.80s", e.id,
                   r->hits[i].score, e.reason);
    }
}

/* Duplicate document numbers: sorts the batch by number and refers every
 * passenger whose number (same issuer, or an unknown one) appears again. */
struct docref {
    char num[32];
    size_t i;
};

static int docref_cmp(const void *a, const void *b)
{
    const struct docref *x = a, *y = b;
    int c = strcmp(x->num, y->num);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static bool same_issuer(const struct screen_passenger *a, const struct screen_passenger *b)
{
    return !a->doc_issuer[0] || !b->doc_issuer[0] || strncmp(a->doc_issuer, b->doc_issuer, 3) == 0;
}

static bool same_leg(const struct screen_passenger *a, const struct screen_passenger *b)
{
    return strcmp(a->leg_id ? a->leg_id : "", b->leg_id ? b->leg_id : "") == 0;
}

static void flag_duplicate(const struct screen_passenger *pax, size_t i, size_t j,
                           struct screen_result *r)
{
    if (same_leg(&pax[i], &pax[j]))
        add_reason(r, SCREEN_REFER, "duplicate_doc",
                   "document number %.32s also declared by passenger %zu on the same leg",
                   pax[i].doc_number, j + 1);
    else
        add_reason(r, SCREEN_REFER, "duplicate_doc",
                   "document number %.32s also declared by passenger %zu on leg %.40s",
                   pax[i].doc_number, j + 1, pax[j].leg_id ? pax[j].leg_id : "?");
}

static int check_duplicates(const struct screen_passenger *pax, size_t n,
                            struct screen_result *results, struct muster_err *err)
{
    struct docref *d = malloc((n ? n : 1) * sizeof *d);
    size_t m = 0;
    if (!d)
        return err_set(err, MUSTER_ENOMEM, "screening: out of memory");
    for (size_t i = 0; i < n; i++)
        if (pax[i].doc_type != SCREEN_DOC_NONE && doc_norm(pax[i].doc_number, d[m].num) > 0)
            d[m++].i = i;
    qsort(d, m, sizeof *d, docref_cmp);
    for (size_t a = 0; a < m;) {
        size_t b = a + 1;
        while (b < m && strcmp(d[a].num, d[b].num) == 0)
            b++;
        for (size_t x = a; x < b; x++)
            for (size_t y = a; y < b; y++) /* the first other holder is named */
                if (x != y && same_issuer(&pax[d[x].i], &pax[d[y].i])) {
                    flag_duplicate(pax, d[x].i, d[y].i, &results[d[x].i]);
                    break;
                }
        a = b;
    }
    free(d);
    return 0;
}

int screen_batch(const struct screen_rules *rules, const struct screen_watchlist *wl,
                 const struct screen_passenger *pax, size_t n, struct screen_date arrival,
                 struct screen_result *results, struct muster_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct screen_passenger *p = &pax[i];
        struct screen_result *r = &results[i];
        struct screen_date arr =
            p->arrival.y && p->arrival.m && p->arrival.d ? p->arrival : arrival;
        memset(r, 0, sizeof *r);
        if (!arr.y || !arr.m || !arr.d)
            return err_set(err, MUSTER_EINVAL,
                           "passenger %zu: no arrival date (give one for the batch)", i + 1);
        check_basis(rules, p, r);
        check_document(rules, p, arr, r);
        check_watchlist(rules, wl, p, r);
    }
    return check_duplicates(pax, n, results, err);
}

int screen_override(struct screen_result *r, enum screen_decision to, const char *officer,
                    const char *reason, struct muster_err *err)
{
    if (r->decision != SCREEN_REFER || r->overridden)
        return err_set(err, MUSTER_ECONFLICT, "only a refer can be overridden (this is %s%s)",
                       screen_decision_name(r->decision), r->overridden ? ", overridden" : "");
    if (to == SCREEN_REFER || (to != SCREEN_CLEARED && to != SCREEN_NOT_CLEARED))
        return err_set(err, MUSTER_EINVAL, "an override decides: cleared or not_cleared");
    if (!officer || !officer[0] || !reason || !reason[0])
        return err_set(err, MUSTER_EINVAL, "an override needs the officer and a reason");
    r->original = r->decision;
    r->decision = to;
    r->overridden = true;
    snprintf(r->override_officer, sizeof r->override_officer, "%s", officer);
    snprintf(r->override_reason, sizeof r->override_reason, "%s", reason);
    return 0;
}

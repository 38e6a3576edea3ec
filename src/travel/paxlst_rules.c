/* paxlst_rules.c — the checks a PAXLST message gets after parsing: code
 * values and formats of each person, and the CNT control totals. They are
 * diagnostics (mostly warnings: real border-agency traffic breaks them, e.g.
 * the guide's own example 5.1 declares CNT+42:160 for one passenger). */
#include "travel/paxlst_int.h"
#include "util/timeutil.h"

#include <string.h>

static const char *const doc_types[] = {"P", "V", "A", "C", "I", "AC", "IP", "T", "F"};
static const char *const list_codes[] = {"745", "250", "266", "336", "655"};

static bool one_of(const char *s, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, v[i]) == 0)
            return true;
    return false;
}

/* A date that is given but not a real calendar date. */
static bool unreal(struct paxlst_date t)
{
    return t.year && !time_valid_date(t.year, t.month, t.day);
}

static bool upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool upper3(const char *s)
{
    return upper(s[0]) && upper(s[1]) && upper(s[2]) && !s[3];
}

#define PDIAG(sev, ...)                                                                            \
    edi_diag_add(d, EDI_MESSAGE, sev, p->segment, "NAD", 0, 0, p->offset, __VA_ARGS__)

static void check_person(const struct paxlst_person *p, struct edi_diags *d)
{
    const char *who = p->surname ? p->surname : "?";
    if (p->sex && strcmp(p->sex, "M") && strcmp(p->sex, "F") && strcmp(p->sex, "X") &&
        strcmp(p->sex, "U"))
        PDIAG(EDI_WARNING, "%s: sex '%s' is not M, F, X or U", who, p->sex);
    if (p->nationality && !upper3(p->nationality))
        PDIAG(EDI_WARNING, "%s: nationality '%s' is not a 3-letter code", who, p->nationality);
    if (unreal(p->birth_date))
        PDIAG(EDI_WARNING, "%s: date of birth %04d-%02d-%02d is not a real date", who,
              p->birth_date.year, p->birth_date.month, p->birth_date.day);
    if (!p->ndocuments)
        PDIAG(EDI_WARNING, "%s: no travel document (DOC)", who);
    for (size_t i = 0; i < p->ndocuments; i++) {
        const struct paxlst_document *doc = &p->documents[i];
        if (doc->issuing_state && !upper3(doc->issuing_state))
            PDIAG(EDI_WARNING, "%s: document issuing state '%s' is not a 3-letter code", who,
                  doc->issuing_state);
        if (!doc->type || !one_of(doc->type, doc_types, sizeof doc_types / sizeof *doc_types))
            PDIAG(EDI_WARNING, "%s: document type '%s' is not P, V, A, C, I, AC, IP, T or F", who,
                  doc->type ? doc->type : "");
        if (unreal(doc->expiry) || unreal(doc->issued))
            PDIAG(EDI_WARNING, "%s: a date of document %s is not a real date", who,
                  doc->number ? doc->number : "?");
    }
}

#define MDIAG(sev, ...)                                                                            \
    edi_diag_add(d, EDI_MESSAGE, sev, m->segment, "UNH", 0, 0, m->offset, __VA_ARGS__)

/* The message header and legs: list code, places and times of each leg. */
static void check_header(const struct paxlst_message *m, struct edi_diags *d)
{
    const char *ref = m->message_ref ? m->message_ref : "";
    const char *code = m->document_code;
    if (code && !one_of(code, list_codes, sizeof list_codes / sizeof *list_codes))
        MDIAG(EDI_WARNING,
              "message '%s': BGM code '%s' is not a PAXLST list (745, 250, 266, "
              "336, 655)",
              ref, code);
    for (size_t i = 0; i < m->nlegs; i++) {
        const struct paxlst_leg *l = &m->legs[i];
        if (!l->departure_place || !l->arrival_place)
            MDIAG(EDI_WARNING, "message '%s', leg %zu: departure or arrival place missing", ref,
                  i + 1);
        if (!l->departure.year || !l->arrival.year)
            MDIAG(EDI_WARNING, "message '%s', leg %zu: departure or arrival time missing", ref,
                  i + 1);
        struct paxlst_date dd = {l->departure.year, l->departure.month, l->departure.day};
        struct paxlst_date ad = {l->arrival.year, l->arrival.month, l->arrival.day};
        if (unreal(dd) || unreal(ad))
            MDIAG(EDI_WARNING, "message '%s', leg %zu: a flight date is not a real date", ref,
                  i + 1);
    }
}

void paxlst_check_message(const struct paxlst_message *m, struct edi_diags *d)
{
    size_t pax = 0, crew = 0;
    bool crew_list = m->document_code && strcmp(m->document_code, "250") == 0;
    bool pax_list = m->document_code && strcmp(m->document_code, "745") == 0;
    check_header(m, d);
    for (size_t i = 0; i < m->npeople; i++) {
        const struct paxlst_person *p = &m->people[i];
        check_person(p, d);
        if ((p->role == PAXLST_CREW && pax_list) || (p->role == PAXLST_PASSENGER && crew_list))
            PDIAG(EDI_WARNING, "%s: a %s in a %s list", p->surname ? p->surname : "?",
                  p->role == PAXLST_CREW ? "crew member" : "passenger",
                  crew_list ? "crew" : "passenger");
        if (m->people[i].role == PAXLST_CREW)
            crew++;
        else
            pax++;
    }
    bool split = m->part > 0 || m->part_flag;
    if (split && !(m->part == 1 && m->part_flag == 'F'))
        return; /* parts carry the total of the whole list */
    unsigned seg = m->cnt_segment ? m->cnt_segment : m->segment;
    const char *tag = m->cnt_segment ? "CNT" : "UNH";
    size_t off = m->cnt_segment ? m->cnt_offset : m->offset;
    if (m->declared_passengers >= 0 && (size_t)m->declared_passengers != pax)
        edi_diag_add(d, EDI_MESSAGE, EDI_WARNING, seg, tag, 0, 0, off,
                     "message '%s': CNT+42 declares %ld passengers, the list has %zu",
                     m->message_ref ? m->message_ref : "", m->declared_passengers, pax);
    if (m->declared_crew >= 0 && (size_t)m->declared_crew != crew)
        edi_diag_add(d, EDI_MESSAGE, EDI_WARNING, seg, tag, 0, 0, off,
                     "message '%s': CNT+41 declares %ld crew, the list has %zu",
                     m->message_ref ? m->message_ref : "", m->declared_crew, crew);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum_up(char c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z');
}

void paxlst_split_flight(struct arena *a, const char *id, const char **carrier, const char **number)
{
    *carrier = NULL;
    *number = id;
    size_t n = strlen(id), k = 0;
    /* IATA designator: two characters, not both digits; ICAO: three letters */
    if (n >= 3 && is_alnum_up(id[0]) && is_alnum_up(id[1]) &&
        !(is_digit(id[0]) && is_digit(id[1])) && is_digit(id[2]))
        k = 2;
    else if (n >= 4 && !is_digit(id[0]) && !is_digit(id[1]) && !is_digit(id[2]) &&
             is_alnum_up(id[0]) && is_alnum_up(id[1]) && is_alnum_up(id[2]) && is_digit(id[3]))
        k = 3;
    if (!k)
        return;
    for (size_t i = k; i < n; i++)
        if (!is_digit(id[i]) && !(i == n - 1 && id[i] >= 'A' && id[i] <= 'Z'))
            return;
    *carrier = arena_strndup(a, id, k);
    *number = id + k;
}

/* paxlst_rules.c — the checks a PAXLST message gets after parsing: code
 * values and formats of each person, and the CNT control totals. They are
 * diagnostics (mostly warnings: real border-agency traffic breaks them, e.g.
 * the guide's own example 5.1 declares CNT+42:160 for one passenger). */
#include "travel/paxlst_int.h"

#include <string.h>

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
    for (size_t i = 0; i < p->ndocuments; i++) {
        const struct paxlst_document *doc = &p->documents[i];
        if (doc->issuing_state && !upper3(doc->issuing_state))
            PDIAG(EDI_WARNING, "%s: document issuing state '%s' is not a 3-letter code", who,
                  doc->issuing_state);
    }
}

void paxlst_check_message(const struct paxlst_message *m, struct edi_diags *d)
{
    size_t pax = 0, crew = 0;
    for (size_t i = 0; i < m->npeople; i++) {
        check_person(&m->people[i], d);
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

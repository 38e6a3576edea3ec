/* paxlst_write.c — writing PAXLST interchanges: paxlst_write() for messages
 * given one by one, paxlst_build() for a leg's manifest (split by role and
 * into parts). Dates use the short forms of the air guide (YYMMDD,
 * YYMMDDHHMM:201) unless the reader's century rule would misread them; then
 * the four-digit-year forms (CCYYMMDD:102, CCYYMMDDHHMM:203) are written. */
#include "travel/paxlst.h"
#include "travel/paxlst_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wctx {
    struct edi_writer w;
    const char *release; /* "15B" */
    int ref_year;        /* for the DOB century rule, as the reader computes it */
};

/* Writes n as exactly `width` decimal digits (zero-padded) at o; returns o + width. */
static char *digits(char *o, int n, int width)
{
    if (n < 0)
        n = -n;
    for (int i = width - 1; i >= 0; i--) {
        o[i] = (char)('0' + n % 10);
        n /= 10;
    }
    return o + width;
}

/* "YYMMDD" or "CCYYMMDD" (four), then "HHMM" when with_time; NUL-terminated. */
static void date_text(char out[16], int y, int m, int d, bool four, bool with_time, int h, int mi)
{
    char *o = digits(out, four ? y % 10000 : y % 100, four ? 4 : 2);
    o = digits(o, m % 100, 2);
    o = digits(o, d % 100, 2);
    if (with_time) {
        o = digits(o, h % 100, 2);
        o = digits(o, mi % 100, 2);
    }
    *o = '\0';
}

static void w_seg2(struct edi_writer *w, const char *tag, const char *a, const char *b)
{
    edi_w_seg(w, tag);
    edi_w_elem(w, a);
    edi_w_elem(w, b);
    edi_w_end(w);
}

static void w_loc(struct edi_writer *w, const char *q, const char *place)
{
    if (place && *place)
        w_seg2(w, "LOC", q, place);
}

static void w_rff(struct edi_writer *w, const char *q, const char *v)
{
    if (!v || !*v)
        return;
    edi_w_seg(w, "RFF");
    edi_w_elem(w, q);
    edi_w_comp(w, v);
    edi_w_end(w);
}

static void w_date(struct edi_writer *w, const char *q, struct paxlst_date d, bool short_ok)
{
    if (!d.year)
        return;
    char v[16];
    date_text(v, d.year, d.month, d.day, !short_ok, false, 0, 0);
    edi_w_seg(w, "DTM");
    edi_w_elem(w, q);
    edi_w_comp(w, v);
    if (!short_ok)
        edi_w_comp(w, "102");
    edi_w_end(w);
}

static void w_flight_time(struct edi_writer *w, const char *q, struct paxlst_datetime t)
{
    if (!t.year)
        return;
    bool yy = t.year >= 2000 && t.year <= 2099;
    char v[16];
    date_text(v, t.year, t.month, t.day, !yy, t.has_time, t.hour, t.minute);
    edi_w_seg(w, "DTM");
    edi_w_elem(w, q);
    edi_w_comp(w, v);
    edi_w_comp(w, t.has_time ? (yy ? "201" : "203") : (yy ? "101" : "102"));
    edi_w_end(w);
}

void paxlst_w_leg(struct edi_writer *w, const struct paxlst_leg *l)
{
    /* a bare number (starting with a digit) follows the carrier code: ZZ + 123 = ZZ123 */
    char id[96];
    bool bare = l->number && l->number[0] >= '0' && l->number[0] <= '9';
    snprintf(id, sizeof id, "%.40s%.50s", bare && l->carrier ? l->carrier : "",
             l->number ? l->number : "");
    edi_w_seg(w, "TDT");
    edi_w_elem(w, "20");
    edi_w_elem(w, id);
    edi_w_elem(w, l->transport_mode);
    edi_w_elem(w, NULL);
    edi_w_elem(w, l->carrier);
    edi_w_end(w);
    w_loc(w, l->progressive ? "92" : "125", l->departure_place);
    w_flight_time(w, "189", l->departure);
    w_loc(w, l->progressive ? "92" : "87", l->arrival_place);
    w_flight_time(w, "232", l->arrival);
}

static void w_document(struct edi_writer *w, const struct paxlst_document *d)
{
    w_seg2(w, "DOC", d->type, d->number);
    bool exp_short = d->expiry.year >= 1970 && d->expiry.year <= 2069;
    bool iss_short = d->issued.year >= 1970 && d->issued.year <= 2069;
    w_date(w, "36", d->expiry, exp_short);
    w_date(w, "182", d->issued, iss_short);
    w_loc(w, "91", d->issuing_state);
}

static void w_name_address(struct edi_writer *w, const struct paxlst_person *p)
{
    const char *q =
        p->role == PAXLST_CREW ? (p->in_transit ? "DDT" : "FM") : (p->in_transit ? "DDU" : "FL");
    edi_w_seg(w, "NAD");
    edi_w_elem(w, q);
    edi_w_elem(w, NULL);
    edi_w_elem(w, NULL);
    edi_w_elem(w, p->surname);
    edi_w_comp(w, p->given_names);
    edi_w_elem(w, p->address.street);
    edi_w_elem(w, p->address.city);
    edi_w_elem(w, NULL);
    edi_w_comp(w, NULL);
    edi_w_comp(w, NULL);
    edi_w_comp(w, p->address.region);
    edi_w_elem(w, p->address.postcode);
    edi_w_elem(w, p->address.country);
    edi_w_end(w);
}

static void w_person(struct wctx *c, const struct paxlst_person *p)
{
    struct edi_writer *w = &c->w;
    w_name_address(w, p);
    if (p->sex && *p->sex) {
        edi_w_seg(w, "ATT");
        edi_w_elem(w, "2");
        edi_w_elem(w, NULL);
        edi_w_elem(w, p->sex);
        edi_w_end(w);
    }
    int y = p->birth_date.year;
    bool dob_short = y >= 1900 && y <= 2099 && paxlst_birth_century(y % 100, c->ref_year) == y;
    w_date(w, "329", p->birth_date, dob_short);
    w_loc(w, "22", p->clearance_place);
    w_loc(w, "174", p->residence_country);
    w_loc(w, "178", p->embarkation);
    w_loc(w, "179", p->debarkation);
    if ((p->birth_place && *p->birth_place) || (p->birth_country && *p->birth_country)) {
        edi_w_seg(w, "LOC");
        edi_w_elem(w, "180");
        edi_w_elem(w, p->birth_country);
        edi_w_comp(w, NULL);
        edi_w_comp(w, NULL);
        edi_w_comp(w, p->birth_place);
        edi_w_end(w);
    }
    if (p->crew_function && *p->crew_function) {
        edi_w_seg(w, "EMP");
        edi_w_elem(w, "1");
        edi_w_elem(w, p->crew_function);
        edi_w_comp(w, "110");
        edi_w_comp(w, "111");
        edi_w_end(w);
    }
    if (p->nationality && *p->nationality)
        w_seg2(w, "NAT", "2", p->nationality);
    w_rff(w, "AVF", p->reservation_ref);
    w_rff(w, "ABO", p->passenger_ref);
    w_rff(w, "SEA", p->seat);
    for (size_t i = 0; i < p->ndocuments; i++)
        w_document(w, &p->documents[i]);
}

/* --- messages and the interchange ------------------------------------------------------ */

static void w_party(struct edi_writer *w, const struct paxlst_party *p)
{
    if ((p->name && *p->name) || (p->id && *p->id)) {
        edi_w_seg(w, "NAD");
        edi_w_elem(w, "MS");
        edi_w_elem(w, p->id);
        edi_w_elem(w, NULL);
        edi_w_elem(w, p->name);
        edi_w_end(w);
    }
    if ((p->phone && *p->phone) || (p->fax && *p->fax) || (p->email && *p->email)) {
        edi_w_seg(w, "COM");
        const char *v[3] = {p->phone, p->fax, p->email}, *q[3] = {"TE", "FX", "EM"};
        for (int i = 0; i < 3; i++) {
            if (v[i] && *v[i]) {
                edi_w_elem(w, v[i]);
                edi_w_comp(w, q[i]);
            }
        }
        edi_w_end(w);
    }
}

static void w_unh(struct wctx *c, const struct paxlst_message *m, const char *ref)
{
    struct edi_writer *w = &c->w;
    edi_w_mark(w);
    edi_w_seg(w, "UNH");
    edi_w_elem(w, ref);
    edi_w_elem(w, "PAXLST");
    const char *rel = m->release && strncmp(m->release, "D:", 2) == 0 && m->release[2]
                          ? m->release + 2
                          : c->release;
    edi_w_comp(w, "D");
    edi_w_comp(w, rel);
    edi_w_comp(w, "UN");
    edi_w_comp(w, "IATA");
    edi_w_elem(w, m->common_access_ref);
    if (m->part || m->part_flag) {
        edi_w_elemf(w, "%02d", m->part > 0 ? m->part : 1);
        if (m->part_flag)
            edi_w_compf(w, "%c", m->part_flag);
    }
    edi_w_end(w);
}

/* Writes UNH..UNT for m with the given people (pointers, in order). */
static void w_message(struct wctx *c, const struct paxlst_message *m, const char *ref,
                      const struct paxlst_person *const *people, size_t n)
{
    struct edi_writer *w = &c->w;
    w_unh(c, m, ref);
    w_seg2(w, "BGM", m->document_code ? m->document_code : "745", m->document_id);
    w_rff(w, "TN", m->transaction_ref);
    w_party(w, &m->reporting);
    for (size_t i = 0; i < m->nlegs; i++)
        paxlst_w_leg(w, &m->legs[i]);
    size_t pax = 0, crew = 0;
    for (size_t i = 0; i < n; i++) {
        w_person(c, people[i]);
        if (people[i]->role == PAXLST_CREW)
            crew++;
        else
            pax++;
    }
    bool crew_list = m->document_code && strcmp(m->document_code, "250") == 0;
    edi_w_seg(w, "CNT");
    if (m->declared_passengers >= 0 || (m->declared_crew < 0 && !crew_list)) {
        edi_w_elem(w, "42");
        edi_w_compf(w, "%ld", m->declared_passengers >= 0 ? m->declared_passengers : (long)pax);
    }
    if (m->declared_crew >= 0 || (m->declared_passengers < 0 && crew_list)) {
        edi_w_elem(w, "41");
        edi_w_compf(w, "%ld", m->declared_crew >= 0 ? m->declared_crew : (long)crew);
    }
    edi_w_end(w);
    edi_w_seg(w, "UNT");
    edi_w_elemf(w, "%u", w->count + 1);
    edi_w_elem(w, ref);
    edi_w_end(w);
}

static int check_header(const struct paxlst_interchange *ic, struct muster_err *err)
{
    if (!ic->sender || !*ic->sender || !ic->recipient || !*ic->recipient)
        return err_set(err, MUSTER_EINVAL, "sender and recipient are required");
    if (!ic->control_ref || !*ic->control_ref || strlen(ic->control_ref) > 14)
        return err_set(err, MUSTER_EINVAL, "control_ref is required (1 to 14 characters)");
    if (ic->prepared.year < 2000 || ic->prepared.year > 2099)
        return err_set(err, MUSTER_EINVAL, "prepared date is required (years 2000-2099)");
    return 0;
}

static int check_message(const struct paxlst_message *m, size_t idx, struct muster_err *err)
{
    if (!m->nlegs)
        return err_set(err, MUSTER_EINVAL, "message %zu: at least one leg is required", idx + 1);
    for (size_t i = 0; i < m->npeople; i++)
        if (!m->people[i].surname || !*m->people[i].surname)
            return err_set(err, MUSTER_EINVAL, "message %zu, person %zu: surname is required",
                           idx + 1, i + 1);
    return 0;
}

void paxlst_w_unb_time(struct edi_writer *w, struct paxlst_datetime t)
{
    edi_w_elemf(w, "%02d%02d%02d", t.year % 100, t.month, t.day);
    edi_w_compf(w, "%02d%02d", t.has_time ? t.hour : 0, t.has_time ? t.minute : 0);
}

/* UNA, UNB (charset patched at the end), UNG. Returns the offset of the charset. */
static size_t w_open(struct wctx *c, const struct paxlst_interchange *ic, bool group)
{
    struct edi_writer *w = &c->w;
    edi_w_seg(w, "UNB");
    size_t at = w->out->len + 1;
    edi_w_elem(w, "UNOA");
    edi_w_comp(w, "4");
    edi_w_elem(w, ic->sender);
    edi_w_elem(w, ic->recipient);
    paxlst_w_unb_time(w, ic->prepared);
    edi_w_elem(w, ic->control_ref);
    edi_w_elem(w, NULL);
    edi_w_elem(w, ic->application_ref);
    edi_w_end(w);
    if (group) {
        edi_w_seg(w, "UNG");
        edi_w_elem(w, "PAXLST");
        edi_w_elem(w, ic->sender);
        edi_w_elem(w, ic->recipient);
        paxlst_w_unb_time(w, ic->prepared);
        edi_w_elem(w, ic->control_ref);
        edi_w_elem(w, "UN");
        edi_w_elem(w, "D");
        edi_w_comp(w, c->release);
        edi_w_end(w);
    }
    return at;
}

static void w_close(struct wctx *c, const struct paxlst_interchange *ic, bool group, size_t nmsg,
                    size_t charset_at)
{
    struct edi_writer *w = &c->w;
    if (group) {
        edi_w_seg(w, "UNE");
        edi_w_elemf(w, "%zu", nmsg);
        edi_w_elem(w, ic->control_ref);
        edi_w_end(w);
    }
    edi_w_seg(w, "UNZ");
    edi_w_elemf(w, "%zu", group ? (size_t)1 : nmsg);
    edi_w_elem(w, ic->control_ref);
    edi_w_end(w);
    memcpy(w->out->data + charset_at, edi_w_charset(w), 4);
}

static int msg_ref_year(const struct paxlst_interchange *ic, const struct paxlst_message *m)
{
    if (m->nlegs && m->legs[0].departure.year)
        return m->legs[0].departure.year;
    return ic->prepared.year ? ic->prepared.year : 2030;
}

static void start(struct wctx *c, struct buf *out, const struct paxlst_build_options *opt)
{
    edi_w_init(&c->w, out, NULL, true);
    c->release = opt && opt->release ? opt->release : "15B";
}

/* Writes one list split into parts of at most max people; every part carries
 * the list's total in CNT. Message refs run on from *nmsg. */
static void w_split(struct wctx *c, struct paxlst_message *m, const struct paxlst_person *const *pp,
                    size_t n, size_t max, size_t *nmsg)
{
    size_t parts = n ? (n + max - 1) / max : 1;
    bool crew = m->document_code && strcmp(m->document_code, "250") == 0;
    if (m->declared_passengers < 0 && m->declared_crew < 0) {
        m->declared_passengers = crew ? -1 : (long)n;
        m->declared_crew = crew ? (long)n : -1;
    }
    for (size_t k = 0; k < parts; k++) {
        m->part = parts > 1 ? (int)k + 1 : 0;
        m->part_flag = parts == 1 ? 0 : k == 0 ? 'C' : k == parts - 1 ? 'F' : 0;
        char ref[24];
        snprintf(ref, sizeof ref, "%zu", ++*nmsg);
        size_t from = k * max, cnt = n - from < max ? n - from : max;
        w_message(c, m, ref, pp + from, cnt);
    }
}

int paxlst_write(const struct paxlst_interchange *ic, const struct paxlst_build_options *opt,
                 struct buf *out, struct muster_err *err)
{
    int rc = check_header(ic, err);
    for (size_t i = 0; !rc && i < ic->nmessages; i++)
        rc = check_message(&ic->messages[i], i, err);
    if (rc)
        return rc;
    if (!ic->nmessages)
        return err_set(err, MUSTER_EINVAL, "no messages to write");
    struct wctx c;
    start(&c, out, opt);
    bool group = !(opt && opt->no_group);
    size_t at = w_open(&c, ic, group), nmsg = 0;
    size_t max = opt ? opt->max_per_message : 0;
    for (size_t i = 0; i < ic->nmessages; i++) {
        const struct paxlst_message *m = &ic->messages[i];
        const struct paxlst_person **pp = malloc((m->npeople + 1) * sizeof *pp);
        if (!pp)
            abort();
        for (size_t k = 0; k < m->npeople; k++)
            pp[k] = &m->people[k];
        c.ref_year = msg_ref_year(ic, m);
        if (max && m->npeople > max && !m->part && !m->part_flag) {
            struct paxlst_message copy = *m;
            w_split(&c, &copy, pp, m->npeople, max, &nmsg);
        } else {
            char ref[24];
            snprintf(ref, sizeof ref, "%zu", ++nmsg);
            w_message(&c, m, max || !m->message_ref ? ref : m->message_ref, pp, m->npeople);
        }
        free(pp);
    }
    w_close(&c, ic, group, nmsg, at);
    return 0;
}

int paxlst_build(const struct paxlst_manifest *mf, const struct paxlst_build_options *opt,
                 struct buf *out, struct muster_err *err)
{
    struct paxlst_interchange ic = {.sender = mf->sender,
                                    .recipient = mf->recipient,
                                    .control_ref = mf->control_ref,
                                    .prepared = mf->prepared};
    struct paxlst_message m = {.transaction_ref = mf->transaction_ref,
                               .reporting = mf->reporting,
                               .legs = (struct paxlst_leg *)mf->legs,
                               .nlegs = mf->nlegs,
                               .people = (struct paxlst_person *)mf->people,
                               .npeople = mf->npeople};
    int rc = check_header(&ic, err);
    if (!rc)
        rc = check_message(&m, 0, err);
    if (rc)
        return rc;
    const struct paxlst_person **pax = malloc((mf->npeople + 1) * sizeof *pax);
    const struct paxlst_person **crew = malloc((mf->npeople + 1) * sizeof *crew);
    if (!pax || !crew)
        abort();
    size_t np = 0, nc = 0;
    for (size_t i = 0; i < mf->npeople; i++) {
        if (mf->people[i].role == PAXLST_CREW)
            crew[nc++] = &mf->people[i];
        else
            pax[np++] = &mf->people[i];
    }
    const struct paxlst_leg *l = &mf->legs[0];
    char car[96] = "";
    if (l->departure.year)
        snprintf(car, sizeof car, "%.40s%.40s/%02d%02d%02d/%02d%02d", l->carrier ? l->carrier : "",
                 l->number ? l->number : "", l->departure.year % 100, l->departure.month,
                 l->departure.day, l->departure.hour, l->departure.minute);
    m.common_access_ref = car[0] ? car : NULL;
    struct wctx c;
    start(&c, out, opt);
    c.ref_year = msg_ref_year(&ic, &m);
    size_t max = opt && opt->max_per_message ? opt->max_per_message : 500, nmsg = 0;
    bool group = !(opt && opt->no_group);
    size_t at = w_open(&c, &ic, group);
    if (np || !nc) {
        m.document_code = "745";
        m.declared_passengers = m.declared_crew = -1;
        w_split(&c, &m, pax, np, max, &nmsg);
    }
    if (nc) {
        m.document_code = "250";
        m.declared_passengers = m.declared_crew = -1;
        w_split(&c, &m, crew, nc, max, &nmsg);
    }
    w_close(&c, &ic, group, nmsg, at);
    free(pax);
    free(crew);
    return 0;
}

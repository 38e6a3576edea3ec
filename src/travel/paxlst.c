/* paxlst.c — reading PAXLST interchanges into struct paxlst_interchange.
 *
 * One pass: the EDIFACT reader cuts segments, the envelope checker follows
 * UNB..UNZ, and a small state machine per message places each segment: the
 * header (BGM, RFF, NAD+MS, COM), the legs (TDT, LOC, DTM), the people (NAD,
 * ATT, DTM, LOC, NAT, RFF, EMP) and their documents (DOC, DTM, LOC+91).
 * Segments it does not place are counted per tag and reported once per
 * message. Strings are cut out of the input buffer in place (see str()). */
#include "travel/paxlst.h"
#include "travel/paxlst_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T3(a, b, c) ((unsigned)(a) << 16 | (unsigned)(b) << 8 | (unsigned)(c))

/* The tag as a number; tag[] is NUL-padded to 4 bytes by the reader. */
static unsigned tagcode(const char *t)
{
    return T3(t[0], t[1], t[2]);
}

int paxlst_birth_century(int yy, int ref_year)
{
    return 2000 + yy > ref_year ? 1900 + yy : 2000 + yy;
}

/* --- parse state ----------------------------------------------------------------- */

struct unused {
    char tag[4];
    unsigned count, first;
    size_t offset;
};

struct pstate {
    struct paxlst_interchange *ic;
    const char *base; /* the input being read */
    char *copy;       /* where values are cut out: the input itself (inplace) or its
                         copy in the arena; copy[i] corresponds to base[i] */
    struct edi_diags *d;
    const struct edi_reader *r;
    struct paxlst_message *m; /* the open PAXLST message, or NULL */
    size_t cap_msgs, cap_legs;
    size_t cap_people, people_hint; /* the people array starts as large as the
                                       previous message's list */
    /* documents of the open person grow here (malloc'd, reused) and are
     * copied into the arena, exactly sized, when the person closes */
    struct paxlst_document *dbuf;
    size_t dcap;
    long person, doc; /* indexes of the open person / document, -1 none */
    bool skipping;    /* inside a message of another type */
    unsigned msg_rffs;
    struct unused unused[16];
    unsigned nunused;
};

/* Grows an arena array to hold n + 1 items (the old copy stays in the arena). */
static void *grow(struct arena *a, void *old, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return old;
    size_t nc = *cap ? *cap * 2 : 4;
    void *p = arena_alloc(a, nc * size);
    if (old)
        memcpy(p, old, n * size);
    *cap = nc;
    return p;
}

/* Grows a malloc'd array to hold n + 1 items. */
static void *scratch(void *p, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return p;
    size_t nc = *cap ? *cap * 2 : 64;
    p = realloc(p, nc * size);
    if (!p)
        abort();
    *cap = nc;
    return p;
}

/* Closes the open person: its documents move into the arena. */
static void finish_person(struct pstate *st)
{
    if (st->m && st->person >= 0) {
        struct paxlst_person *p = &st->m->people[st->person];
        if (p->ndocuments) {
            struct paxlst_document *d = arena_alloc(&st->ic->arena, p->ndocuments * sizeof *d);
            memcpy(d, p->documents, p->ndocuments * sizeof *d);
            p->documents = d;
        }
    }
    st->person = st->doc = -1;
}

/* A value as a C string, cut out of the buffer in place: the separator after
 * a value becomes its NUL, and a value with release characters is unescaped
 * where it lies (the text is never longer than the raw bytes). No allocation
 * per field. Each value is cut once, after its segment has been read whole. */
static const char *str(struct pstate *st, struct edi_value v)
{
    if (!v.len)
        return NULL;
    char *p = st->copy + (v.p - st->base);
    if (v.rel)
        edi_unescape(v, p);
    else
        p[v.len] = '\0';
    return p;
}

/* A problem of segment s at element el, component co (1-based; 0 = whole). */
#define MSGDIAGC(sev, el, co, ...)                                                                 \
    edi_diag_add(st->d, EDI_MESSAGE, sev, s->index, s->tag, el, co,                                \
                 (el) ? edi_offset_of(s, (el)-1u, (co) ? (co)-1u : 0) : s->offset, __VA_ARGS__)
#define MSGDIAG(sev, el, ...) MSGDIAGC(sev, el, 0, __VA_ARGS__)

static void note_unused(struct pstate *st, const struct edi_segment *s)
{
    for (unsigned i = 0; i < st->nunused; i++) {
        if (strcmp(st->unused[i].tag, s->tag) == 0) {
            st->unused[i].count++;
            return;
        }
    }
    if (st->nunused == sizeof st->unused / sizeof st->unused[0])
        return;
    struct unused *u = &st->unused[st->nunused++];
    memcpy(u->tag, s->tag, 4);
    u->count = 1;
    u->first = s->index;
    u->offset = s->offset;
}

static void report_unused(struct pstate *st)
{
    for (unsigned i = 0; i < st->nunused; i++) {
        struct unused *u = &st->unused[i];
        edi_diag_add(st->d, EDI_UNUSED, EDI_WARNING, u->first, u->tag, 0, 0, u->offset,
                     "%u %s segment%s not used by the PAXLST reader (first here)", u->count, u->tag,
                     u->count == 1 ? "" : "s");
    }
    st->nunused = 0;
}

/* --- dates --------------------------------------------------------------------- */

static int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* The full year of a two-digit year by the given rule. */
static int full_year(int yy, int ref_year, enum paxlst_century cent)
{
    if (cent == CENT_BIRTH)
        return paxlst_birth_century(yy, ref_year);
    if (cent == CENT_EXPIRY)
        return yy < 70 ? 2000 + yy : 1900 + yy;
    return 2000 + yy;
}

int paxlst_read_dtm(const struct edi_segment *s, int ref_year, enum paxlst_century cent,
                    struct paxlst_datetime *out)
{
    struct edi_value v = edi_get(s, 0, 1), f = edi_get(s, 0, 2);
    if (v.len == 6 && !f.len && !v.rel) { /* the common YYMMDD: dates of birth, expiry */
        int yy = digits(v.p, 2), mo = digits(v.p + 2, 2), d = digits(v.p + 4, 2);
        if (yy < 0 || mo < 1 || mo > 12 || d < 1 || d > 31)
            return -1;
        *out = (struct paxlst_datetime){full_year(yy, ref_year, cent), mo, d, 0, 0, false};
        return 0;
    }
    while (v.len && v.p[0] == ' ')
        v.p++, v.len--;
    while (v.len && v.p[v.len - 1] == ' ')
        v.len--;
    if (v.rel || v.len > 12)
        return -1;
    long fmt = 0;
    if (f.len && edi_number(f, &fmt) != 0)
        return -1;
    int n = (int)v.len, y, i = 0;
    bool four = fmt == 102 || fmt == 203 || (!fmt && (n == 8 || n == 12));
    if (fmt && fmt != 101 && fmt != 102 && fmt != 201 && fmt != 203)
        return -1;
    if (n != (four ? 8 : 6) && n != (four ? 12 : 10))
        return -1;
    if (four) {
        y = digits(v.p, 4);
        i = 4;
    } else {
        int yy = digits(v.p, 2);
        i = 2;
        if (yy < 0)
            return -1;
        y = full_year(yy, ref_year, cent);
    }
    int mo = digits(v.p + i, 2), d = digits(v.p + i + 2, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    memset(out, 0, sizeof *out);
    out->year = y;
    out->month = mo;
    out->day = d;
    if (n == i + 8) {
        int h = digits(v.p + i + 4, 2), mi = digits(v.p + i + 6, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59)
            return -1;
        out->hour = h;
        out->minute = mi;
        out->has_time = true;
    }
    return 0;
}

static int ref_year(struct pstate *st)
{
    struct paxlst_message *m = st->m;
    if (m->nlegs && m->legs[0].departure.year)
        return m->legs[0].departure.year;
    if (st->ic->prepared.year)
        return st->ic->prepared.year;
    return 2030;
}

static void take_date(struct pstate *st, const struct edi_segment *s, enum paxlst_century c,
                      struct paxlst_date *out)
{
    struct paxlst_datetime t;
    if (edi_get(s, 0, 1).len == 0) {
        MSGDIAGC(EDI_WARNING, 1, 2, "DTM without a date value");
        return;
    }
    if (paxlst_read_dtm(s, ref_year(st), c, &t) != 0) {
        MSGDIAGC(EDI_WARNING, 1, 2, "date not understood");
        return;
    }
    out->year = t.year;
    out->month = t.month;
    out->day = t.day;
}

/* --- header, legs ------------------------------------------------------------------ */

static void take_unb(struct pstate *st, const struct edi_segment *s)
{
    struct paxlst_interchange *ic = st->ic;
    ic->syntax_id = str(st, edi_get(s, 0, 0));
    ic->syntax_version = st->r->syntax_version;
    ic->sender = str(st, edi_get(s, 1, 0));
    ic->recipient = str(st, edi_get(s, 2, 0));
    ic->control_ref = str(st, edi_get(s, 4, 0));
    ic->application_ref = str(st, edi_get(s, 6, 0));
    if (paxlst_read_unb_time(s, &ic->prepared) != 0)
        MSGDIAG(EDI_WARNING, 4, "UNB date of preparation not understood");
}

int paxlst_read_unb_time(const struct edi_segment *s, struct paxlst_datetime *out)
{
    struct edi_value dv = edi_get(s, 3, 0), tv = edi_get(s, 3, 1);
    memset(out, 0, sizeof *out);
    if (!dv.len)
        return 0;
    int yy = dv.len == 6 ? digits(dv.p, 2) : -1;
    int mo = yy >= 0 ? digits(dv.p + 2, 2) : -1, dd = yy >= 0 ? digits(dv.p + 4, 2) : -1;
    if (yy < 0 || mo < 1 || mo > 12 || dd < 1 || dd > 31)
        return -1;
    *out = (struct paxlst_datetime){2000 + yy, mo, dd, 0, 0, false};
    int h = tv.len == 4 ? digits(tv.p, 2) : -1, mi = tv.len == 4 ? digits(tv.p + 2, 2) : -1;
    if (h >= 0 && h < 24 && mi >= 0 && mi < 60) {
        out->hour = h;
        out->minute = mi;
        out->has_time = true;
    }
    return 0;
}

static void begin_message(struct pstate *st, const struct edi_segment *s)
{
    struct paxlst_interchange *ic = st->ic;
    st->m = NULL;
    st->skipping = false;
    if (!edi_eq(edi_get(s, 1, 0), "PAXLST")) {
        char type[16];
        struct edi_value t = edi_get(s, 1, 0);
        snprintf(type, sizeof type, "%.*s", t.len > 12 ? 12 : (int)t.len, t.p);
        MSGDIAG(EDI_WARNING, 2, "message type '%s' is not PAXLST; message skipped", type);
        st->skipping = true;
        return;
    }
    ic->messages =
        grow(&ic->arena, ic->messages, ic->nmessages, &st->cap_msgs, sizeof *ic->messages);
    struct paxlst_message *m = &ic->messages[ic->nmessages++];
    st->m = m;
    st->cap_legs = st->cap_people = 0;
    st->person = st->doc = -1;
    st->msg_rffs = 0;
    m->declared_passengers = m->declared_crew = -1;
    m->segment = s->index;
    m->offset = s->offset;
    m->message_ref = str(st, edi_get(s, 0, 0));
    struct edi_value ver = edi_get(s, 1, 1), rel = edi_get(s, 1, 2);
    if (ver.len || rel.len) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.*s:%.*s", ver.len > 8 ? 8 : (int)ver.len, ver.p,
                 rel.len > 8 ? 8 : (int)rel.len, rel.p);
        m->release = arena_strdup(&ic->arena, tmp);
    }
    m->common_access_ref = str(st, edi_get(s, 2, 0));
    long part;
    struct edi_value pv = edi_get(s, 3, 0), fv = edi_get(s, 3, 1);
    if (pv.len && edi_number(pv, &part) == 0)
        m->part = (int)part;
    else if (pv.len)
        MSGDIAGC(EDI_WARNING, 4, 1, "UNH part number is not a number");
    if (fv.len == 1 && (fv.p[0] == 'C' || fv.p[0] == 'F'))
        m->part_flag = fv.p[0];
    else if (fv.len)
        MSGDIAGC(EDI_WARNING, 4, 2, "UNH first/last indicator is neither C nor F");
}

static void end_message(struct pstate *st, const struct edi_segment *s)
{
    finish_person(st);
    struct paxlst_message *m = st->m;
    if (m)
        st->people_hint = m->npeople;
    if (m) {
        if (!m->document_code)
            edi_diag_add(st->d, EDI_MESSAGE, EDI_ERROR, m->segment, "UNH", 0, 0, m->offset,
                         "message '%s' has no BGM", m->message_ref ? m->message_ref : "");
        if (!m->nlegs)
            edi_diag_add(st->d, EDI_MESSAGE, EDI_ERROR, m->segment, "UNH", 0, 0, m->offset,
                         "message '%s' has no TDT transport leg",
                         m->message_ref ? m->message_ref : "");
        paxlst_check_message(m, st->d);
    }
    report_unused(st);
    st->m = NULL;
    st->skipping = false;
}

static void take_com(struct pstate *st, const struct edi_segment *s, struct paxlst_party *p)
{
    for (unsigned e = 0; e < s->nelem; e++) {
        struct edi_value q = edi_get(s, e, 1);
        const char *v = str(st, edi_get(s, e, 0));
        if (edi_eq(q, "TE"))
            p->phone = v;
        else if (edi_eq(q, "FX"))
            p->fax = v;
        else if (edi_eq(q, "EM"))
            p->email = v;
    }
}

/* Joins the non-empty components of element e with single spaces. */
static const char *joined(struct pstate *st, const struct edi_segment *s, unsigned e)
{
    unsigned n = edi_ncomp(s, e, 0);
    if (n <= 1)
        return str(st, edi_get(s, e, 0));
    size_t total = 0;
    for (unsigned c = 0; c < n; c++)
        total += edi_get(s, e, c).len + 1;
    char *out = arena_alloc(&st->ic->arena, total + 1), *p = out;
    for (unsigned c = 0; c < n; c++) {
        struct edi_value v = edi_get(s, e, c);
        if (!v.len)
            continue;
        if (p != out)
            *p++ = ' ';
        p += edi_unescape(v, p);
    }
    *p = '\0';
    return p == out ? NULL : out;
}

static void take_tdt(struct pstate *st, const struct edi_segment *s)
{
    struct paxlst_message *m = st->m;
    m->legs = grow(&st->ic->arena, m->legs, m->nlegs, &st->cap_legs, sizeof *m->legs);
    struct paxlst_leg *l = &m->legs[m->nlegs++];
    finish_person(st);
    paxlst_take_tdt(&st->ic->arena, s, l);
}

void paxlst_take_tdt(struct arena *a, const struct edi_segment *s, struct paxlst_leg *l)
{
    struct edi_value c = edi_get(s, 4, 0), mode = edi_get(s, 2, 0), idv = edi_get(s, 1, 0);
    l->carrier = c.len ? edi_strdup(a, c) : NULL;
    l->transport_mode = mode.len ? edi_strdup(a, mode) : NULL;
    if (!idv.len)
        return;
    const char *id = edi_strdup(a, idv);
    l->number = id;
    size_t cl = l->carrier ? strlen(l->carrier) : 0;
    if (cl && strncmp(id, l->carrier, cl) == 0 && id[cl] >= '0' && id[cl] <= '9')
        l->number = id + cl;
    else if (!cl)
        paxlst_split_flight(a, id, &l->carrier, &l->number);
}

static void take_leg_loc(struct pstate *st, const struct edi_segment *s, struct edi_value q)
{
    struct paxlst_leg *l = &st->m->legs[st->m->nlegs - 1];
    const char *place = str(st, edi_get(s, 1, 0));
    if (edi_eq(q, "125")) {
        l->departure_place = place;
    } else if (edi_eq(q, "87")) {
        l->arrival_place = place;
    } else if (edi_eq(q, "92")) {
        l->progressive = true;
        if (!l->departure_place)
            l->departure_place = place;
        else
            l->arrival_place = place;
    } else {
        note_unused(st, s);
    }
}

static void take_leg_dtm(struct pstate *st, const struct edi_segment *s, struct edi_value q)
{
    struct paxlst_leg *l = &st->m->legs[st->m->nlegs - 1];
    struct paxlst_datetime *t = edi_eq(q, "189")   ? &l->departure
                                : edi_eq(q, "232") ? &l->arrival
                                                   : NULL;
    if (!t) {
        note_unused(st, s);
        return;
    }
    if (paxlst_read_dtm(s, 0, CENT_FLIGHT, t) != 0)
        MSGDIAGC(EDI_WARNING, 1, 2, "flight date/time not understood");
}

/* --- people and documents ------------------------------------------------------------ */

static struct paxlst_person *cur_person(struct pstate *st)
{
    return st->person >= 0 ? &st->m->people[st->person] : NULL;
}

static void take_nad(struct pstate *st, const struct edi_segment *s)
{
    struct paxlst_message *m = st->m;
    struct edi_value q = edi_get(s, 0, 0);
    if (edi_eq(q, "MS")) {
        m->reporting.id = str(st, edi_get(s, 1, 0));
        m->reporting.name = joined(st, s, 3);
        finish_person(st);
        return;
    }
    bool fl = edi_eq(q, "FL"), fm = edi_eq(q, "FM"), ddu = edi_eq(q, "DDU"), ddt = edi_eq(q, "DDT");
    finish_person(st);
    if (!fl && !fm && !ddu && !ddt) {
        note_unused(st, s);
        return;
    }
    if (m->npeople == st->cap_people) {
        size_t hint = st->people_hint > 16 ? st->people_hint : 16;
        size_t cap = st->cap_people ? st->cap_people * 2 : hint;
        struct paxlst_person *np = arena_alloc(&st->ic->arena, cap * sizeof *np);
        if (m->npeople)
            memcpy(np, m->people, m->npeople * sizeof *np);
        m->people = np;
        st->cap_people = cap;
    }
    st->person = (long)m->npeople++;
    st->doc = -1;
    struct paxlst_person *p = &m->people[st->person]; /* zeroed by the arena */
    p->role = (fm || ddt) ? PAXLST_CREW : PAXLST_PASSENGER;
    p->in_transit = ddu || ddt;
    p->segment = s->index;
    p->offset = s->offset;
    p->surname = str(st, edi_get(s, 3, 0));
    struct edi_value g1 = edi_get(s, 3, 1), g2 = edi_get(s, 3, 2);
    if (g1.len && g2.len && !g1.rel && !g2.rel && g2.p == g1.p + g1.len + 1) {
        char *g = st->copy + (g1.p - st->base); /* "JOHN:DONALD" -> "JOHN DONALD" */
        g[g1.len] = ' ';
        g[g1.len + 1 + g2.len] = '\0';
        p->given_names = g;
    } else if (g1.len && g2.len) {
        char *g = arena_alloc(&st->ic->arena, g1.len + g2.len + 2);
        size_t n = edi_unescape(g1, g);
        g[n] = ' ';
        edi_unescape(g2, g + n + 1);
        p->given_names = g;
    } else {
        p->given_names = str(st, g1.len ? g1 : g2);
    }
    if (!p->surname)
        MSGDIAGC(EDI_ERROR, 4, 1, "person without a surname");
    p->address.street = joined(st, s, 4);
    p->address.city = str(st, edi_get(s, 5, 0));
    struct edi_value rc = edi_get(s, 6, 3);
    p->address.region = str(st, rc.len ? rc : edi_get(s, 6, 0));
    p->address.postcode = str(st, edi_get(s, 7, 0));
    p->address.country = str(st, edi_get(s, 8, 0));
}

static struct paxlst_document *cur_doc(struct pstate *st)
{
    struct paxlst_person *p = cur_person(st);
    return p && st->doc >= 0 ? &p->documents[st->doc] : NULL;
}

static void take_doc(struct pstate *st, const struct edi_segment *s)
{
    struct paxlst_person *p = cur_person(st);
    p->documents = st->dbuf = scratch(st->dbuf, p->ndocuments, &st->dcap, sizeof *p->documents);
    st->doc = (long)p->ndocuments++;
    struct paxlst_document *d = &p->documents[st->doc];
    memset(d, 0, sizeof *d);
    d->type = str(st, edi_get(s, 0, 0));
    d->number = str(st, edi_get(s, 1, 0));
    if (!d->number)
        MSGDIAG(EDI_WARNING, 2, "travel document without a number");
}

static void take_person_loc(struct pstate *st, const struct edi_segment *s, struct edi_value q)
{
    struct paxlst_person *p = cur_person(st);
    struct paxlst_document *d = cur_doc(st);
    const char *v = str(st, edi_get(s, 1, 0));
    if (edi_eq(q, "91") && d) {
        d->issuing_state = v;
    } else if (edi_eq(q, "22")) {
        p->clearance_place = v;
    } else if (edi_eq(q, "174")) {
        p->residence_country = v;
    } else if (edi_eq(q, "178")) {
        p->embarkation = v;
    } else if (edi_eq(q, "179")) {
        p->debarkation = v;
    } else if (edi_eq(q, "180")) {
        p->birth_country = v;
        p->birth_place = str(st, edi_get(s, 1, 3));
    } else {
        note_unused(st, s);
    }
}

static void take_person_dtm(struct pstate *st, const struct edi_segment *s, struct edi_value q)
{
    struct paxlst_person *p = cur_person(st);
    struct paxlst_document *d = cur_doc(st);
    if (edi_eq(q, "329"))
        take_date(st, s, CENT_BIRTH, &p->birth_date);
    else if (edi_eq(q, "36") && d)
        take_date(st, s, CENT_EXPIRY, &d->expiry);
    else if (edi_eq(q, "182") && d)
        take_date(st, s, CENT_EXPIRY, &d->issued);
    else
        note_unused(st, s);
}

static void take_person_rff(struct pstate *st, const struct edi_segment *s, struct edi_value q)
{
    struct paxlst_person *p = cur_person(st);
    const char *v = str(st, edi_get(s, 0, 1));
    if (edi_eq(q, "AVF"))
        p->reservation_ref = v;
    else if (edi_eq(q, "ABO"))
        p->passenger_ref = v;
    else if (edi_eq(q, "SEA"))
        p->seat = v;
    else
        note_unused(st, s);
}

/* A segment after the first NAD of a person. Returns false when not placed. */
static bool take_person_segment(struct pstate *st, const struct edi_segment *s, unsigned tc)
{
    struct paxlst_person *p = cur_person(st);
    struct edi_value q = edi_get(s, 0, 0);
    switch (tc) {
    case T3('A', 'T', 'T'):
        if (!edi_eq(q, "2"))
            return false;
        p->sex = str(st, edi_get(s, 2, 0));
        return true;
    case T3('D', 'T', 'M'):
        take_person_dtm(st, s, q);
        return true;
    case T3('L', 'O', 'C'):
        take_person_loc(st, s, q);
        return true;
    case T3('R', 'F', 'F'):
        take_person_rff(st, s, q);
        return true;
    case T3('D', 'O', 'C'):
        take_doc(st, s);
        return true;
    case T3('N', 'A', 'T'):
        p->nationality = str(st, edi_get(s, 1, 0));
        return true;
    case T3('E', 'M', 'P'):
        p->crew_function = str(st, edi_get(s, 1, 0));
        return true;
    default:
        return false;
    }
}

/* A segment before the first person: header or legs. */
static bool take_header_segment(struct pstate *st, const struct edi_segment *s, unsigned tc)
{
    struct paxlst_message *m = st->m;
    struct edi_value q = edi_get(s, 0, 0);
    switch (tc) {
    case T3('B', 'G', 'M'):
        m->document_code = str(st, q);
        m->document_id = str(st, edi_get(s, 1, 0));
        return true;
    case T3('R', 'F', 'F'):
        if (m->nlegs)
            return false;
        st->msg_rffs++;
        if (st->msg_rffs == 2 && m->release && strcmp(m->release, "D:03B") == 0)
            MSGDIAG(EDI_ERROR, 0,
                    "RFF occurs twice at message level; the D03B directory "
                    "allows it once");
        if (edi_eq(q, "TN"))
            m->transaction_ref = str(st, edi_get(s, 0, 1));
        return edi_eq(q, "TN");
    case T3('C', 'O', 'M'):
        if (m->nlegs)
            return false;
        take_com(st, s, &m->reporting);
        return true;
    case T3('T', 'D', 'T'):
        take_tdt(st, s);
        return true;
    case T3('L', 'O', 'C'):
        if (!m->nlegs)
            return false;
        take_leg_loc(st, s, q);
        return true;
    case T3('D', 'T', 'M'):
        if (!m->nlegs)
            return false;
        take_leg_dtm(st, s, q);
        return true;
    default:
        return false;
    }
}

static void take_body(struct pstate *st, const struct edi_segment *s)
{
    struct paxlst_message *m = st->m;
    unsigned tc = tagcode(s->tag);
    if (tc == T3('N', 'A', 'D')) {
        take_nad(st, s);
        return;
    }
    if (tc == T3('C', 'N', 'T')) {
        long n;
        m->cnt_segment = s->index;
        m->cnt_offset = s->offset;
        for (unsigned e = 0; e < s->nelem; e++) {
            struct edi_value q = edi_get(s, e, 0), v = edi_get(s, e, 1);
            if (edi_number(v, &n) != 0) {
                MSGDIAGC(EDI_WARNING, e + 1, 2, "CNT value is not a number");
                continue;
            }
            if (edi_eq(q, "42"))
                m->declared_passengers = n;
            else if (edi_eq(q, "41"))
                m->declared_crew = n;
        }
        finish_person(st);
        return;
    }
    bool placed = st->person >= 0 ? take_person_segment(st, s, tc) : take_header_segment(st, s, tc);
    if (!placed)
        note_unused(st, s);
}

/* --- the whole interchange ------------------------------------------------------------ */

static void dispatch(struct pstate *st, enum edi_event ev, const struct edi_segment *s)
{
    switch (ev) {
    case EDI_EV_UNB:
        take_unb(st, s);
        break;
    case EDI_EV_UNH:
        if (st->m)
            end_message(st, s);
        begin_message(st, s);
        break;
    case EDI_EV_BODY:
        if (st->m)
            take_body(st, s);
        break;
    case EDI_EV_UNT:
    case EDI_EV_UNE:
    case EDI_EV_UNZ:
    case EDI_EV_UNG:
        if (st->m || st->skipping)
            end_message(st, s);
        break;
    default:
        break;
    }
}

struct diag_key {
    size_t offset, index;
};

static int by_offset(const void *a, const void *b)
{
    const struct diag_key *x = a, *y = b;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Moves the diagnostics into the arena in input order (by byte offset; those
 * found at the same place keep the order they were found in). */
static void keep_diags(struct paxlst_interchange *ic, struct edi_diags *d)
{
    if (d->n) {
        struct diag_key *k = malloc(d->n * sizeof *k);
        if (!k)
            abort();
        for (size_t i = 0; i < d->n; i++)
            k[i] = (struct diag_key){d->v[i].offset, i};
        qsort(k, d->n, sizeof *k, by_offset);
        ic->diags = arena_alloc(&ic->arena, d->n * sizeof *ic->diags);
        for (size_t i = 0; i < d->n; i++)
            ic->diags[i] = d->v[k[i].index];
        free(k);
    }
    ic->ndiags = d->n;
    ic->nerrors = d->errors;
    ic->ndropped = d->dropped;
    edi_diags_free(d);
}

static int parse(char *data, size_t len, struct paxlst_interchange *out, struct muster_err *err)
{
    struct edi_diags d = {0};
    struct edi_reader r;
    int rc = edi_reader_init(&r, data, len, NULL, err);
    if (rc) {
        edi_diag_add(&d, EDI_BAD_UNA, EDI_ERROR, 0, "UNA", 0, 0, 0, "%s", err ? err->msg : "");
        keep_diags(out, &d);
        return rc;
    }
    struct edi_segment *s = malloc(sizeof *s);
    if (!s)
        abort();
    struct edi_envelope env;
    edi_env_init(&env);
    struct pstate st = {
        .ic = out, .d = &d, .r = &r, .person = -1, .doc = -1, .base = data, .copy = data};
    for (;;) {
        rc = edi_next(&r, s, &d);
        if (rc <= 0)
            break;
        if (s->index == 1 && !s->tag[0]) {
            rc = MUSTER_EINVAL; /* not EDIFACT at all */
            break;
        }
        if (s->charset_bad >= 0)
            edi_diag_add(&d, EDI_CHARSET, EDI_WARNING, s->index, s->tag, 0, 0,
                         s->offset + (size_t)s->charset_bad,
                         "byte 0x%02x is outside the %s repertoire",
                         (unsigned char)s->raw[s->charset_bad], r.charset);
        dispatch(&st, edi_env_feed(&env, &r, s, &d), s);
    }
    if (st.m || st.skipping)
        end_message(&st, s);
    free(s);
    free(st.dbuf);
    edi_env_finish(&env, &r, &d);
    unsigned nseg = r.nseg;
    keep_diags(out, &d);
    if (rc < 0 && nseg == 1)
        return err_set(err, MUSTER_EINVAL, "the input does not start with an EDIFACT segment");
    if (rc < 0)
        return err_set(err, MUSTER_EINVAL, "the input cannot be read past segment %u", nseg);
    if (nseg == 0)
        return err_set(err, MUSTER_EINVAL, "no EDIFACT segments in the input");
    return 0;
}

int paxlst_parse(const char *data, size_t len, struct paxlst_interchange *out,
                 struct muster_err *err)
{
    char *copy = arena_alloc(&out->arena, len + 1);
    if (len)
        memcpy(copy, data, len);
    return parse(copy, len, out, err);
}

int paxlst_parse_inplace(char *data, size_t len, struct paxlst_interchange *out,
                         struct muster_err *err)
{
    return parse(data, len, out, err);
}

void paxlst_free(struct paxlst_interchange *ic)
{
    arena_free(&ic->arena);
    memset(ic, 0, sizeof *ic);
}

/* cusres.c — building and reading CUSRES responses (see cusres.h). */
#include "travel/cusres.h"
#include "travel/paxlst_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_code[] = {"0Z", "2Z", "1Z"};
static const char *const status_name[] = {"cleared", "refer", "not_cleared"};

const char *cusres_status_name(enum cusres_status s)
{
    return (unsigned)s <= CUSRES_NOT_CLEARED ? status_name[s] : "unknown";
}

/* --- building ------------------------------------------------------------------------ */

static bool set(const char *s)
{
    return s && *s;
}

static int check(const struct cusres_response *r, struct muster_err *err)
{
    if (!set(r->sender) || !set(r->recipient))
        return err_set(err, MUSTER_EINVAL, "sender and recipient are required");
    if (!set(r->control_ref) || strlen(r->control_ref) > 14)
        return err_set(err, MUSTER_EINVAL, "control_ref is required (1 to 14 characters)");
    if (r->prepared.year < 2000 || r->prepared.year > 2099)
        return err_set(err, MUSTER_EINVAL, "prepared date is required (years 2000-2099)");
    for (size_t i = 0; i < r->nanswers; i++) {
        const struct cusres_answer *a = &r->answers[i];
        if ((unsigned)a->status > CUSRES_NOT_CLEARED)
            return err_set(err, MUSTER_EINVAL, "answer %zu: unknown status", i + 1);
        if (!set(a->passenger_ref) && !set(a->surname) && !set(a->document_number))
            return err_set(err, MUSTER_EINVAL,
                           "answer %zu: needs a passenger reference, a "
                           "surname or a document number",
                           i + 1);
        for (size_t k = 0; k < a->nreasons; k++)
            if (!set(a->reasons[k]))
                return err_set(err, MUSTER_EINVAL, "answer %zu: reason %zu is empty", i + 1, k + 1);
    }
    return 0;
}

static void w_answer(struct edi_writer *w, const struct cusres_answer *a)
{
    edi_w_seg(w, "ERP");
    edi_w_elem(w, "2");
    edi_w_end(w);
    const char *q[2] = {"ABO", "AVF"}, *v[2] = {a->passenger_ref, a->reservation_ref};
    for (int i = 0; i < 2; i++) {
        if (!set(v[i]))
            continue;
        edi_w_seg(w, "RFF");
        edi_w_elem(w, q[i]);
        edi_w_comp(w, v[i]);
        edi_w_end(w);
    }
    if (set(a->surname)) {
        edi_w_seg(w, "NAD");
        edi_w_elem(w, a->role == PAXLST_CREW ? "FM" : "FL");
        edi_w_elem(w, NULL);
        edi_w_elem(w, NULL);
        edi_w_elem(w, a->surname);
        edi_w_comp(w, a->given_names);
        edi_w_end(w);
    }
    if (set(a->document_number)) {
        edi_w_seg(w, "DOC");
        edi_w_elem(w, a->document_type);
        edi_w_elem(w, a->document_number);
        edi_w_end(w);
    }
    edi_w_seg(w, "ERC");
    edi_w_elem(w, status_code[a->status]);
    edi_w_end(w);
    for (size_t k = 0; k < a->nreasons; k += 5) {
        edi_w_seg(w, "FTX");
        edi_w_elem(w, "AAP");
        edi_w_elem(w, NULL);
        edi_w_elem(w, NULL);
        edi_w_elem(w, a->reasons[k]);
        for (size_t j = k + 1; j < a->nreasons && j < k + 5; j++)
            edi_w_comp(w, a->reasons[j]);
        edi_w_end(w);
    }
}

static void w_envelope_start(struct edi_writer *w, const struct cusres_response *r)
{
    edi_w_seg(w, "UNB");
    edi_w_elem(w, "UNOA");
    edi_w_comp(w, "4");
    edi_w_elem(w, r->sender);
    edi_w_elem(w, r->recipient);
    paxlst_w_unb_time(w, r->prepared);
    edi_w_elem(w, r->control_ref);
    edi_w_seg(w, "UNG");
    edi_w_elem(w, "CUSRES");
    edi_w_elem(w, r->sender);
    edi_w_elem(w, r->recipient);
    paxlst_w_unb_time(w, r->prepared);
    edi_w_elem(w, r->control_ref);
    edi_w_elem(w, "UN");
    edi_w_elem(w, "D");
    edi_w_comp(w, "15B");
    edi_w_end(w);
}

int cusres_build(const struct cusres_response *r, struct buf *out, struct muster_err *err)
{
    int rc = check(r, err);
    if (rc)
        return rc;
    struct edi_writer w;
    edi_w_init(&w, out, NULL, true);
    size_t at = out->len + 4; /* "UNB+" */
    w_envelope_start(&w, r);
    const char *ref = set(r->message_ref) ? r->message_ref : "1";
    edi_w_mark(&w);
    edi_w_seg(&w, "UNH");
    edi_w_elem(&w, ref);
    edi_w_elem(&w, "CUSRES");
    edi_w_comp(&w, "D");
    edi_w_comp(&w, "15B");
    edi_w_comp(&w, "UN");
    edi_w_comp(&w, "IATA");
    edi_w_seg(&w, "BGM");
    edi_w_elem(&w, "962");
    edi_w_end(&w);
    if (set(r->transaction_ref)) {
        edi_w_seg(&w, "RFF");
        edi_w_elem(&w, "TN");
        edi_w_comp(&w, r->transaction_ref);
        edi_w_end(&w);
    }
    if (set(r->leg.carrier) || set(r->leg.number))
        paxlst_w_leg(&w, &r->leg);
    for (size_t i = 0; i < r->nanswers; i++)
        w_answer(&w, &r->answers[i]);
    edi_w_seg(&w, "UNT");
    edi_w_elemf(&w, "%u", w.count + 1);
    edi_w_elem(&w, ref);
    edi_w_seg(&w, "UNE");
    edi_w_elem(&w, "1");
    edi_w_elem(&w, r->control_ref);
    edi_w_seg(&w, "UNZ");
    edi_w_elem(&w, "1");
    edi_w_elem(&w, r->control_ref);
    edi_w_end(&w);
    memcpy(out->data + at, edi_w_charset(&w), 4);
    return 0;
}

/* --- reading ------------------------------------------------------------------------- */

struct cstate {
    struct cusres_response *r;
    struct edi_diags *d;
    bool in_cusres, seen_msg;
    size_t cap, cap_reasons;
    long cur; /* open answer, -1 none */
};

static const char *cstr(struct cstate *st, struct edi_value v)
{
    return v.len ? edi_strdup(&st->r->arena, v) : NULL;
}

static struct cusres_answer *answer(struct cstate *st)
{
    return st->cur >= 0 ? &st->r->answers[st->cur] : NULL;
}

static void new_answer(struct cstate *st, const struct edi_segment *s)
{
    struct cusres_response *r = st->r;
    if (r->nanswers == st->cap) {
        size_t nc = st->cap ? st->cap * 2 : 8;
        struct cusres_answer *v = arena_alloc(&r->arena, nc * sizeof *v);
        if (r->nanswers)
            memcpy(v, r->answers, r->nanswers * sizeof *v);
        r->answers = v;
        st->cap = nc;
    }
    st->cur = (long)r->nanswers++;
    st->cap_reasons = 0;
    r->answers[st->cur].segment = s->index;
    r->answers[st->cur].status = CUSRES_REFER;
}

static void add_reason(struct cstate *st, struct cusres_answer *a, struct edi_value v)
{
    if (!v.len)
        return;
    if (a->nreasons == st->cap_reasons) {
        size_t nc = st->cap_reasons ? st->cap_reasons * 2 : 4;
        const char **p = arena_alloc(&st->r->arena, nc * sizeof *p);
        if (a->nreasons)
            memcpy(p, a->reasons, a->nreasons * sizeof *p);
        a->reasons = p;
        st->cap_reasons = nc;
    }
    a->reasons[a->nreasons++] = cstr(st, v);
}

#define CDIAG(sev, el, ...)                                                                        \
    edi_diag_add(st->d, EDI_MESSAGE, sev, s->index, s->tag, el, 0,                                 \
                 (el) ? edi_offset_of(s, (el)-1u, 0) : s->offset, __VA_ARGS__)

static void take_erc(struct cstate *st, const struct edi_segment *s, struct cusres_answer *a)
{
    struct edi_value c = edi_get(s, 0, 0);
    for (int k = 0; k < 3; k++) {
        if (edi_eq(c, status_code[k])) {
            a->status = (enum cusres_status)k;
            return;
        }
    }
    CDIAG(EDI_ERROR, 1, "ERC status is not 0Z, 1Z or 2Z; read as refer");
}

static void take_in_answer(struct cstate *st, const struct edi_segment *s, struct cusres_answer *a)
{
    struct edi_value q = edi_get(s, 0, 0);
    if (strcmp(s->tag, "RFF") == 0 && edi_eq(q, "ABO")) {
        a->passenger_ref = cstr(st, edi_get(s, 0, 1));
    } else if (strcmp(s->tag, "RFF") == 0 && edi_eq(q, "AVF")) {
        a->reservation_ref = cstr(st, edi_get(s, 0, 1));
    } else if (strcmp(s->tag, "NAD") == 0) {
        a->role = edi_eq(q, "FM") ? PAXLST_CREW : PAXLST_PASSENGER;
        a->surname = cstr(st, edi_get(s, 3, 0));
        a->given_names = cstr(st, edi_get(s, 3, 1));
    } else if (strcmp(s->tag, "DOC") == 0) {
        a->document_type = cstr(st, q);
        a->document_number = cstr(st, edi_get(s, 1, 0));
    } else if (strcmp(s->tag, "ERC") == 0) {
        take_erc(st, s, a);
    } else if (strcmp(s->tag, "FTX") == 0 && edi_eq(q, "AAP")) {
        for (unsigned c = 0; c < edi_ncomp(s, 3, 0); c++)
            add_reason(st, a, edi_get(s, 3, c));
    } else {
        edi_diag_add(st->d, EDI_UNUSED, EDI_WARNING, s->index, s->tag, 0, 0, s->offset,
                     "segment not used by the CUSRES reader");
    }
}

static void take_header(struct cstate *st, const struct edi_segment *s)
{
    struct cusres_response *r = st->r;
    const char *t = s->tag;
    if (strcmp(t, "TDT") == 0) {
        paxlst_take_tdt(&r->arena, s, &r->leg);
        return;
    }
    struct edi_value q = edi_get(s, 0, 0);
    if (strcmp(t, "RFF") == 0 && edi_eq(q, "TN")) {
        r->transaction_ref = cstr(st, edi_get(s, 0, 1));
    } else if (strcmp(t, "LOC") == 0 && (edi_eq(q, "125") || edi_eq(q, "87") || edi_eq(q, "92"))) {
        const char *place = cstr(st, edi_get(s, 1, 0));
        if (edi_eq(q, "92"))
            r->leg.progressive = true; /* first LOC+92 departure, second arrival */
        if (edi_eq(q, "125") || (edi_eq(q, "92") && !r->leg.departure_place))
            r->leg.departure_place = place;
        else
            r->leg.arrival_place = place;
    } else if (strcmp(t, "DTM") == 0 && (edi_eq(q, "189") || edi_eq(q, "232"))) {
        struct paxlst_datetime *p = edi_eq(q, "189") ? &r->leg.departure : &r->leg.arrival;
        if (paxlst_read_dtm(s, 0, CENT_FLIGHT, p) != 0)
            CDIAG(EDI_WARNING, 1, "flight date/time not understood");
    } else if (strcmp(t, "BGM") != 0) {
        edi_diag_add(st->d, EDI_UNUSED, EDI_WARNING, s->index, s->tag, 0, 0, s->offset,
                     "segment not used by the CUSRES reader");
    }
}

static void take_segment(struct cstate *st, enum edi_event ev, const struct edi_segment *s)
{
    struct cusres_response *r = st->r;
    if (ev == EDI_EV_UNB) {
        r->sender = cstr(st, edi_get(s, 1, 0));
        r->recipient = cstr(st, edi_get(s, 2, 0));
        r->control_ref = cstr(st, edi_get(s, 4, 0));
        if (paxlst_read_unb_time(s, &r->prepared) != 0)
            CDIAG(EDI_WARNING, 4, "UNB date of preparation not understood");
    } else if (ev == EDI_EV_UNH) {
        st->in_cusres = edi_eq(edi_get(s, 1, 0), "CUSRES");
        st->cur = -1;
        if (!st->in_cusres)
            CDIAG(EDI_WARNING, 2, "message is not a CUSRES; skipped");
        else if (!st->seen_msg)
            r->message_ref = cstr(st, edi_get(s, 0, 0));
        st->seen_msg = st->seen_msg || st->in_cusres;
    } else if (ev == EDI_EV_BODY && st->in_cusres) {
        if (strcmp(s->tag, "ERP") == 0)
            new_answer(st, s);
        else if (answer(st))
            take_in_answer(st, s, answer(st));
        else
            take_header(st, s);
    } else if (ev == EDI_EV_UNT) {
        st->in_cusres = false;
    }
}

int cusres_parse(const char *data, size_t len, struct cusres_response *out, struct muster_err *err)
{
    struct edi_diags d = {0};
    struct edi_reader rd;
    int rc = edi_reader_init(&rd, data, len, NULL, err);
    struct edi_segment *s = malloc(sizeof *s);
    if (!s)
        abort();
    struct edi_envelope env;
    edi_env_init(&env);
    struct cstate st = {.r = out, .d = &d, .cur = -1};
    while (rc == 0) {
        int got = edi_next(&rd, s, &d);
        if (got < 0)
            rc = err_set(err, MUSTER_EINVAL, "the input cannot be read past segment %u", rd.nseg);
        if (got <= 0)
            break;
        take_segment(&st, edi_env_feed(&env, &rd, s, &d), s);
    }
    free(s);
    if (rc == 0) {
        edi_env_finish(&env, &rd, &d);
        if (!st.seen_msg)
            rc = err_set(err, MUSTER_EINVAL, "no CUSRES message in the input");
    }
    if (d.n) {
        out->diags = arena_alloc(&out->arena, d.n * sizeof *out->diags);
        memcpy(out->diags, d.v, d.n * sizeof *out->diags);
    }
    out->ndiags = d.n;
    out->nerrors = d.errors;
    edi_diags_free(&d);
    return rc;
}

void cusres_free(struct cusres_response *r)
{
    arena_free(&r->arena);
    memset(r, 0, sizeof *r);
}

/* --- JSON -------------------------------------------------------------------------------- */

static void jkey(struct buf *b, const char *k, const char *v)
{
    buf_printf(b, "\"%s\":", k);
    paxlst_json_str(b, v);
}

static void json_answer(struct buf *b, const struct cusres_answer *a)
{
    buf_putc(b, '{');
    jkey(b, "passenger_ref", a->passenger_ref);
    buf_putc(b, ',');
    jkey(b, "reservation_ref", a->reservation_ref);
    buf_printf(b, ",\"role\":\"%s\",", a->role == PAXLST_CREW ? "crew" : "passenger");
    jkey(b, "surname", a->surname);
    buf_putc(b, ',');
    jkey(b, "given_names", a->given_names);
    buf_putc(b, ',');
    jkey(b, "document_type", a->document_type);
    buf_putc(b, ',');
    jkey(b, "document_number", a->document_number);
    buf_printf(b, ",\"status\":\"%s\",\"reasons\":[", cusres_status_name(a->status));
    for (size_t k = 0; k < a->nreasons; k++) {
        if (k)
            buf_putc(b, ',');
        paxlst_json_str(b, a->reasons[k]);
    }
    buf_puts(b, "]}");
}

void cusres_to_json(const struct cusres_response *r, struct buf *b)
{
    buf_puts(b, "{\"interchange\":{");
    jkey(b, "sender", r->sender);
    buf_putc(b, ',');
    jkey(b, "recipient", r->recipient);
    buf_putc(b, ',');
    jkey(b, "control_ref", r->control_ref);
    buf_puts(b, ",\"prepared\":");
    paxlst_json_time(b, r->prepared);
    buf_puts(b, "},");
    jkey(b, "message_ref", r->message_ref);
    buf_putc(b, ',');
    jkey(b, "transaction_ref", r->transaction_ref);
    buf_puts(b, ",\"flight\":");
    if (r->leg.carrier || r->leg.number)
        paxlst_json_leg(b, &r->leg);
    else
        buf_puts(b, "null");
    buf_puts(b, ",\"answers\":[");
    for (size_t i = 0; i < r->nanswers; i++) {
        if (i)
            buf_putc(b, ',');
        json_answer(b, &r->answers[i]);
    }
    buf_puts(b, "],\"warnings\":[");
    for (size_t i = 0; i < r->ndiags; i++) {
        if (i)
            buf_putc(b, ',');
        paxlst_json_diag(b, &r->diags[i]);
    }
    buf_puts(b, "]}");
}

/* --- answering a PAXLST -------------------------------------------------------------------- */

static const char *dup(struct arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

static void copy_leg(struct arena *a, const struct paxlst_leg *from, struct paxlst_leg *to)
{
    *to = *from;
    to->carrier = dup(a, from->carrier);
    to->number = dup(a, from->number);
    to->transport_mode = dup(a, from->transport_mode);
    to->departure_place = dup(a, from->departure_place);
    to->arrival_place = dup(a, from->arrival_place);
}

int cusres_prepare(const struct paxlst_interchange *ic, const char *control_ref,
                   struct paxlst_datetime prepared, struct cusres_response *r,
                   struct muster_err *err)
{
    struct arena *a = &r->arena;
    size_t n = 0;
    for (size_t i = 0; i < ic->nmessages; i++)
        n += ic->messages[i].npeople;
    if (!n)
        return err_set(err, MUSTER_EINVAL, "the PAXLST lists nobody to answer for");
    r->sender = dup(a, ic->recipient);
    r->recipient = dup(a, ic->sender);
    r->control_ref = dup(a, control_ref);
    r->prepared = prepared;
    const struct paxlst_message *m0 = &ic->messages[0];
    r->transaction_ref = dup(a, m0->transaction_ref ? m0->transaction_ref : ic->control_ref);
    if (m0->nlegs)
        copy_leg(a, &m0->legs[0], &r->leg);
    r->answers = arena_alloc(a, n * sizeof *r->answers);
    for (size_t i = 0; i < ic->nmessages; i++) {
        const struct paxlst_message *m = &ic->messages[i];
        for (size_t k = 0; k < m->npeople; k++) {
            const struct paxlst_person *p = &m->people[k];
            struct cusres_answer *ans = &r->answers[r->nanswers++];
            ans->passenger_ref = dup(a, p->passenger_ref);
            ans->reservation_ref = dup(a, p->reservation_ref);
            ans->role = p->role;
            ans->surname = dup(a, p->surname);
            ans->given_names = dup(a, p->given_names);
            if (p->ndocuments) {
                ans->document_type = dup(a, p->documents[0].type);
                ans->document_number = dup(a, p->documents[0].number);
            }
            ans->status = CUSRES_CLEARED;
        }
    }
    return 0;
}

/* paxlst_json.c — struct paxlst_interchange to JSON (docs/paxlst.md) and
 * back. Output is written by hand into a struct buf (one line, keys in a
 * fixed order, so the CLI and the server print the same bytes); input goes
 * through jansson. Optional fields are left out when empty; the fields the
 * issue names are always present (null when unknown). */
#include "travel/paxlst.h"
#include "travel/paxlst_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* --- writing ------------------------------------------------------------------------ */

/* The length of the valid UTF-8 sequence at p (1-4), or 0 when it is not one. */
static int utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    int n = c >= 0xc2 && c <= 0xdf   ? 2
            : c >= 0xe0 && c <= 0xef ? 3
            : c >= 0xf0 && c <= 0xf4 ? 4
                                     : 0;
    if (!n)
        return 0;
    unsigned lo = 0x80, hi = 0xbf; /* the second byte's range; no overlongs, no surrogates */
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return n;
}

/* A JSON string. Bytes that are not UTF-8 (a Latin-1 name under UNOC, say)
 * are read as Latin-1, so the output is always valid JSON. */
void paxlst_json_str(struct buf *b, const char *s)
{
    if (!s) {
        buf_puts(b, "null");
        return;
    }
    buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0, i = 0;
    while (p[i]) {
        if (p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' && p[i] != '\\') {
            run++;
            i++;
            continue;
        }
        int n = p[i] >= 0x80 ? utf8_len(p + i) : 0;
        if (n) {
            run += (size_t)n;
            i += (size_t)n;
            continue;
        }
        buf_add(b, p + i - run, run);
        run = 0;
        if (p[i] == '"' || p[i] == '\\')
            buf_printf(b, "\\%c", p[i]);
        else
            buf_printf(b, "\\u%04x", p[i]);
        i++;
    }
    buf_add(b, p + i - run, run);
    buf_putc(b, '"');
}

static void key(struct buf *b, bool *first, const char *k)
{
    if (!*first)
        buf_putc(b, ',');
    *first = false;
    buf_printf(b, "\"%s\":", k);
}

static void kstr(struct buf *b, bool *first, const char *k, const char *v)
{
    key(b, first, k);
    paxlst_json_str(b, v);
}

/* Optional string: left out when NULL. */
static void ostr(struct buf *b, bool *first, const char *k, const char *v)
{
    if (v)
        kstr(b, first, k, v);
}

static void kdate(struct buf *b, bool *first, const char *k, struct paxlst_date d)
{
    key(b, first, k);
    if (d.year)
        buf_printf(b, "\"%04d-%02d-%02d\"", d.year, d.month, d.day);
    else
        buf_puts(b, "null");
}

void paxlst_json_time(struct buf *b, struct paxlst_datetime t)
{
    if (!t.year)
        buf_puts(b, "null");
    else if (t.has_time)
        buf_printf(b, "\"%04d-%02d-%02dT%02d:%02d\"", t.year, t.month, t.day, t.hour, t.minute);
    else
        buf_printf(b, "\"%04d-%02d-%02d\"", t.year, t.month, t.day);
}

void paxlst_json_leg(struct buf *b, const struct paxlst_leg *l)
{
    bool f = true;
    buf_putc(b, '{');
    kstr(b, &f, "carrier", l->carrier);
    kstr(b, &f, "number", l->number);
    ostr(b, &f, "transport_mode", l->transport_mode);
    key(b, &f, "departure");
    buf_puts(b, "{\"place\":");
    paxlst_json_str(b, l->departure_place);
    buf_puts(b, ",\"time\":");
    paxlst_json_time(b, l->departure);
    buf_puts(b, "},\"arrival\":{\"place\":");
    paxlst_json_str(b, l->arrival_place);
    buf_puts(b, ",\"time\":");
    paxlst_json_time(b, l->arrival);
    buf_putc(b, '}');
    if (l->progressive)
        buf_puts(b, ",\"progressive\":true");
    buf_putc(b, '}');
}

static void put_document(struct buf *b, const struct paxlst_document *d)
{
    bool f = true;
    buf_putc(b, '{');
    kstr(b, &f, "type", d->type);
    kstr(b, &f, "number", d->number);
    kstr(b, &f, "issuing_state", d->issuing_state);
    kdate(b, &f, "expiry_date", d->expiry);
    if (d->issued.year)
        kdate(b, &f, "issue_date", d->issued);
    buf_putc(b, '}');
}

static void put_address(struct buf *b, bool *f, const struct paxlst_address *a)
{
    if (!a->street && !a->city && !a->region && !a->postcode && !a->country)
        return;
    key(b, f, "address");
    bool g = true;
    buf_putc(b, '{');
    ostr(b, &g, "street", a->street);
    ostr(b, &g, "city", a->city);
    ostr(b, &g, "region", a->region);
    ostr(b, &g, "postcode", a->postcode);
    ostr(b, &g, "country", a->country);
    buf_putc(b, '}');
}

static void put_person(struct buf *b, const struct paxlst_person *p)
{
    bool f = true;
    buf_putc(b, '{');
    kstr(b, &f, "role", p->role == PAXLST_CREW ? "crew" : "passenger");
    if (p->in_transit)
        buf_puts(b, ",\"in_transit\":true");
    kstr(b, &f, "surname", p->surname);
    kstr(b, &f, "given_names", p->given_names);
    kstr(b, &f, "sex", p->sex);
    kdate(b, &f, "birth_date", p->birth_date);
    kstr(b, &f, "nationality", p->nationality);
    key(b, &f, "documents");
    buf_putc(b, '[');
    for (size_t i = 0; i < p->ndocuments; i++) {
        if (i)
            buf_putc(b, ',');
        put_document(b, &p->documents[i]);
    }
    buf_putc(b, ']');
    ostr(b, &f, "birth_place", p->birth_place);
    ostr(b, &f, "birth_country", p->birth_country);
    ostr(b, &f, "residence_country", p->residence_country);
    put_address(b, &f, &p->address);
    ostr(b, &f, "clearance_place", p->clearance_place);
    ostr(b, &f, "embarkation", p->embarkation);
    ostr(b, &f, "debarkation", p->debarkation);
    ostr(b, &f, "reservation_ref", p->reservation_ref);
    ostr(b, &f, "passenger_ref", p->passenger_ref);
    ostr(b, &f, "seat", p->seat);
    ostr(b, &f, "crew_function", p->crew_function);
    buf_putc(b, '}');
}

static void put_party(struct buf *b, bool *f, const struct paxlst_party *p)
{
    if (!p->name && !p->id && !p->phone && !p->fax && !p->email)
        return;
    key(b, f, "reporting_party");
    bool g = true;
    buf_putc(b, '{');
    ostr(b, &g, "name", p->name);
    ostr(b, &g, "id", p->id);
    ostr(b, &g, "phone", p->phone);
    ostr(b, &g, "fax", p->fax);
    ostr(b, &g, "email", p->email);
    buf_putc(b, '}');
}

static void put_message(struct buf *b, const struct paxlst_message *m)
{
    bool f = true;
    buf_putc(b, '{');
    kstr(b, &f, "message_ref", m->message_ref);
    ostr(b, &f, "release", m->release);
    const char *list = !m->document_code                      ? NULL
                       : strcmp(m->document_code, "745") == 0 ? "passenger"
                       : strcmp(m->document_code, "250") == 0 ? "crew"
                                                              : m->document_code;
    ostr(b, &f, "list", list);
    ostr(b, &f, "document_id", m->document_id);
    ostr(b, &f, "common_access_ref", m->common_access_ref);
    if (m->part)
        buf_printf(b, ",\"part\":%d", m->part);
    if (m->part_flag)
        buf_printf(b, ",\"part_flag\":\"%c\"", m->part_flag);
    ostr(b, &f, "transaction_ref", m->transaction_ref);
    put_party(b, &f, &m->reporting);
    key(b, &f, "flight");
    if (m->nlegs)
        paxlst_json_leg(b, &m->legs[0]);
    else
        buf_puts(b, "null");
    if (m->nlegs > 1) {
        key(b, &f, "legs");
        buf_putc(b, '[');
        for (size_t i = 0; i < m->nlegs; i++) {
            if (i)
                buf_putc(b, ',');
            paxlst_json_leg(b, &m->legs[i]);
        }
        buf_putc(b, ']');
    }
    key(b, &f, "passengers");
    buf_putc(b, '[');
    for (size_t i = 0; i < m->npeople; i++) {
        if (i)
            buf_putc(b, ',');
        put_person(b, &m->people[i]);
    }
    buf_putc(b, ']');
    if (m->declared_passengers >= 0 || m->declared_crew >= 0) {
        key(b, &f, "declared");
        buf_putc(b, '{');
        if (m->declared_passengers >= 0)
            buf_printf(b, "\"passengers\":%ld", m->declared_passengers);
        if (m->declared_crew >= 0)
            buf_printf(b, "%s\"crew\":%ld", m->declared_passengers >= 0 ? "," : "",
                       m->declared_crew);
        buf_putc(b, '}');
    }
    buf_putc(b, '}');
}

void paxlst_json_diag(struct buf *b, const struct edi_diag *g)
{
    bool f = true;
    buf_putc(b, '{');
    kstr(b, &f, "code", edi_code_name(g->code));
    kstr(b, &f, "severity", g->severity == EDI_ERROR ? "error" : "warning");
    if (g->segment)
        buf_printf(b, ",\"segment\":%u", g->segment);
    if (g->tag[0])
        kstr(b, &f, "tag", g->tag);
    if (g->element)
        buf_printf(b, ",\"element\":%u", g->element);
    if (g->component)
        buf_printf(b, ",\"component\":%u", g->component);
    buf_printf(b, ",\"offset\":%zu", g->offset);
    kstr(b, &f, "message", g->msg);
    buf_putc(b, '}');
}

void paxlst_to_json(const struct paxlst_interchange *ic, struct buf *b)
{
    bool f = true;
    buf_puts(b, "{\"interchange\":{");
    kstr(b, &f, "sender", ic->sender);
    kstr(b, &f, "recipient", ic->recipient);
    kstr(b, &f, "control_ref", ic->control_ref);
    key(b, &f, "prepared");
    paxlst_json_time(b, ic->prepared);
    if (ic->syntax_id) {
        char syn[48];
        snprintf(syn, sizeof syn, "%.30s:%d", ic->syntax_id, ic->syntax_version);
        kstr(b, &f, "syntax", syn);
    }
    ostr(b, &f, "application_ref", ic->application_ref);
    buf_puts(b, "},\"messages\":[");
    for (size_t i = 0; i < ic->nmessages; i++) {
        if (i)
            buf_putc(b, ',');
        put_message(b, &ic->messages[i]);
    }
    buf_puts(b, "],\"warnings\":[");
    paxlst_diags_to_json(ic->diags, ic->ndiags, b);
    buf_puts(b, "]}");
}

void paxlst_diags_to_json(const struct edi_diag *d, size_t n, struct buf *b)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        paxlst_json_diag(b, &d[i]);
    }
}

/* --- reading ------------------------------------------------------------------------ */

struct jin {
    struct arena *a;
    struct muster_err *err;
    char path[96];
};

static int jfail(struct jin *j, const char *k, const char *what)
{
    return err_set(j->err, MUSTER_EINVAL, "%s%s%s: %s", j->path, j->path[0] ? "." : "", k, what);
}

/* Copies an optional string member; a non-string non-null value is an error. */
static int get_str(struct jin *j, json_t *o, const char *k, const char **out)
{
    json_t *v = json_object_get(o, k);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return jfail(j, k, "must be a string");
    const char *s = json_string_value(v);
    *out = *s ? arena_strndup(j->a, s, json_string_length(v)) : NULL;
    return 0;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM". */
static int get_time(struct jin *j, json_t *o, const char *k, struct paxlst_datetime *t)
{
    json_t *v = json_object_get(o, k);
    memset(t, 0, sizeof *t);
    if (!v || json_is_null(v))
        return 0;
    const char *s = json_string_value(v);
    int n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%n", &t->year, &t->month, &t->day, &n) != 3)
        return jfail(j, k, "must be \"YYYY-MM-DD\" or \"YYYY-MM-DDTHH:MM\"");
    if (s[n] == 'T') {
        int m = 0;
        if (sscanf(s + n, "T%2d:%2d%n", &t->hour, &t->minute, &m) != 2 || s[n + m])
            return jfail(j, k, "time must be \"YYYY-MM-DDTHH:MM\"");
        t->has_time = true;
    } else if (s[n]) {
        return jfail(j, k, "trailing characters after the date");
    }
    if (t->year < 1 || t->year > 9999 || t->month < 1 || t->month > 12 || t->day < 1 ||
        t->day > 31 || t->hour > 23 || t->minute > 59)
        return jfail(j, k, "not a real date");
    return 0;
}

static int get_date(struct jin *j, json_t *o, const char *k, struct paxlst_date *d)
{
    struct paxlst_datetime t;
    int rc = get_time(j, o, k, &t);
    if (rc)
        return rc;
    if (t.has_time)
        return jfail(j, k, "must be a date without time");
    *d = (struct paxlst_date){t.year, t.month, t.day};
    return 0;
}

static int get_leg(struct jin *j, json_t *o, struct paxlst_leg *l)
{
    json_t *dep = json_object_get(o, "departure"), *arr = json_object_get(o, "arrival");
    json_t *prog = json_object_get(o, "progressive");
    l->progressive = json_is_true(prog);
    int rc = get_str(j, o, "carrier", &l->carrier) || get_str(j, o, "number", &l->number) ||
             get_str(j, o, "transport_mode", &l->transport_mode) ||
             get_str(j, dep, "place", &l->departure_place) ||
             get_time(j, dep, "time", &l->departure) ||
             get_str(j, arr, "place", &l->arrival_place) || get_time(j, arr, "time", &l->arrival);
    return rc ? MUSTER_EINVAL : 0;
}

static int get_person(struct jin *j, json_t *o, struct paxlst_person *p)
{
    const char *role;
    if (get_str(j, o, "role", &role))
        return MUSTER_EINVAL;
    if (role && strcmp(role, "crew") == 0)
        p->role = PAXLST_CREW;
    else if (role && strcmp(role, "passenger") != 0)
        return jfail(j, "role", "must be \"passenger\" or \"crew\"");
    p->in_transit = json_is_true(json_object_get(o, "in_transit"));
    json_t *ad = json_object_get(o, "address");
    int rc =
        get_str(j, o, "surname", &p->surname) || get_str(j, o, "given_names", &p->given_names) ||
        get_str(j, o, "sex", &p->sex) || get_date(j, o, "birth_date", &p->birth_date) ||
        get_str(j, o, "nationality", &p->nationality) ||
        get_str(j, o, "birth_place", &p->birth_place) ||
        get_str(j, o, "birth_country", &p->birth_country) ||
        get_str(j, o, "residence_country", &p->residence_country) ||
        get_str(j, ad, "street", &p->address.street) || get_str(j, ad, "city", &p->address.city) ||
        get_str(j, ad, "region", &p->address.region) ||
        get_str(j, ad, "postcode", &p->address.postcode) ||
        get_str(j, ad, "country", &p->address.country) ||
        get_str(j, o, "clearance_place", &p->clearance_place) ||
        get_str(j, o, "embarkation", &p->embarkation) ||
        get_str(j, o, "debarkation", &p->debarkation) ||
        get_str(j, o, "reservation_ref", &p->reservation_ref) ||
        get_str(j, o, "passenger_ref", &p->passenger_ref) || get_str(j, o, "seat", &p->seat) ||
        get_str(j, o, "crew_function", &p->crew_function);
    if (rc)
        return MUSTER_EINVAL;
    if (!p->surname)
        return jfail(j, "surname", "is required");
    json_t *docs = json_object_get(o, "documents");
    if (docs && !json_is_array(docs) && !json_is_null(docs))
        return jfail(j, "documents", "must be an array");
    p->ndocuments = json_array_size(docs);
    p->documents = arena_alloc(j->a, (p->ndocuments + 1) * sizeof *p->documents);
    for (size_t i = 0; i < p->ndocuments; i++) {
        json_t *d = json_array_get(docs, i);
        struct paxlst_document *doc = &p->documents[i];
        if (get_str(j, d, "type", &doc->type) || get_str(j, d, "number", &doc->number) ||
            get_str(j, d, "issuing_state", &doc->issuing_state) ||
            get_date(j, d, "expiry_date", &doc->expiry) ||
            get_date(j, d, "issue_date", &doc->issued))
            return MUSTER_EINVAL;
    }
    return 0;
}

static long get_count(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

static int get_message(struct jin *j, json_t *o, struct paxlst_message *m)
{
    const char *list, *flag;
    json_t *rp = json_object_get(o, "reporting_party");
    if (get_str(j, o, "message_ref", &m->message_ref) || get_str(j, o, "release", &m->release) ||
        get_str(j, o, "list", &list) || get_str(j, o, "document_id", &m->document_id) ||
        get_str(j, o, "common_access_ref", &m->common_access_ref) ||
        get_str(j, o, "part_flag", &flag) ||
        get_str(j, o, "transaction_ref", &m->transaction_ref) ||
        get_str(j, rp, "name", &m->reporting.name) || get_str(j, rp, "id", &m->reporting.id) ||
        get_str(j, rp, "phone", &m->reporting.phone) || get_str(j, rp, "fax", &m->reporting.fax) ||
        get_str(j, rp, "email", &m->reporting.email))
        return MUSTER_EINVAL;
    m->document_code = !list || strcmp(list, "passenger") == 0 ? "745"
                       : strcmp(list, "crew") == 0             ? "250"
                                                               : list;
    m->part = (int)(get_count(o, "part") > 0 ? get_count(o, "part") : 0);
    if (flag && (strlen(flag) != 1 || (flag[0] != 'C' && flag[0] != 'F')))
        return jfail(j, "part_flag", "must be \"C\" or \"F\"");
    m->part_flag = flag ? flag[0] : 0;
    json_t *decl = json_object_get(o, "declared");
    m->declared_passengers = get_count(decl, "passengers");
    m->declared_crew = get_count(decl, "crew");
    json_t *legs = json_object_get(o, "legs"), *flight = json_object_get(o, "flight");
    if (!json_is_array(legs) || json_array_size(legs) == 0) {
        if (!json_is_object(flight))
            return jfail(j, "flight", "is required");
        legs = NULL;
    }
    m->nlegs = legs ? json_array_size(legs) : 1;
    m->legs = arena_alloc(j->a, m->nlegs * sizeof *m->legs);
    for (size_t i = 0; i < m->nlegs; i++)
        if (get_leg(j, legs ? json_array_get(legs, i) : flight, &m->legs[i]))
            return MUSTER_EINVAL;
    json_t *pax = json_object_get(o, "passengers");
    if (!json_is_array(pax))
        return jfail(j, "passengers", "must be an array");
    m->npeople = json_array_size(pax);
    m->people = arena_alloc(j->a, (m->npeople + 1) * sizeof *m->people);
    size_t base = strlen(j->path);
    for (size_t i = 0; i < m->npeople; i++) {
        snprintf(j->path + base, sizeof j->path - base, ".passengers[%zu]", i);
        if (get_person(j, json_array_get(pax, i), &m->people[i]))
            return MUSTER_EINVAL;
    }
    j->path[base] = '\0';
    return 0;
}

int paxlst_from_json(const char *json, size_t len, struct paxlst_interchange *out,
                     struct muster_err *err)
{
    json_error_t je;
    json_t *root = json_loadb(json, len, 0, &je);
    if (!root)
        return err_set(err, MUSTER_EINVAL, "JSON line %d: %s", je.line, je.text);
    struct jin j = {.a = &out->arena, .err = err};
    int rc = MUSTER_EINVAL;
    json_t *ic = json_object_get(root, "interchange"), *msgs = json_object_get(root, "messages");
    if (!json_is_object(ic)) {
        jfail(&j, "interchange", "is required (an object)");
        goto done;
    }
    snprintf(j.path, sizeof j.path, "interchange");
    if (get_str(&j, ic, "sender", &out->sender) || get_str(&j, ic, "recipient", &out->recipient) ||
        get_str(&j, ic, "control_ref", &out->control_ref) ||
        get_time(&j, ic, "prepared", &out->prepared) ||
        get_str(&j, ic, "application_ref", &out->application_ref))
        goto done;
    j.path[0] = '\0';
    if (!json_is_array(msgs) || json_array_size(msgs) == 0) {
        jfail(&j, "messages", "must be a non-empty array");
        goto done;
    }
    out->nmessages = json_array_size(msgs);
    out->messages = arena_alloc(&out->arena, out->nmessages * sizeof *out->messages);
    for (size_t i = 0; i < out->nmessages; i++) {
        snprintf(j.path, sizeof j.path, "messages[%zu]", i);
        if (get_message(&j, json_array_get(msgs, i), &out->messages[i]))
            goto done;
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

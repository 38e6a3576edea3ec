/* registry.c — see registry.h. */
#include "core/registry.h"

#include "core/events.h"
#include "core/pii.h"
#include "travel/mrz.h"
#include "util/timeutil.h"
#include "util/geo.h"
#include "util/jcanon.h"
#include "util/randpool.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ids sort by creation time (like ULIDs): 10 base32 characters of
 * milliseconds, then 16 random ones (80 bits). New rows land at the end of
 * the indexes instead of on random pages, which makes imports fast. */
void reg_new_id(const char *prefix, char out[static 33])
{
    static const char b32[] = "0123456789abcdefghjkmnpqrstvwxyz"; /* Crockford */
    uint8_t r[16];
    rand_bytes(r, sizeof r);
    uint64_t ms = (uint64_t)time_now_ms();
    int n = snprintf(out, 33, "%.4s_", prefix);
    for (int i = 9; i >= 0; i--)
        out[n + i] = b32[(ms >> (5 * (9 - i))) & 31];
    n += 10;
    for (int i = 0; i < 16 && n < 32; i++)
        out[n++] = b32[r[i] & 31];
    out[n] = '\0';
}

static bool empty(const char *s)
{
    return !s || !*s;
}

/* A nationality or issuing state as a passport prints it: an ISO 3166-1
 * alpha-3 code or one of Doc 9303's own (D, GBD, UNO, UNA, UNK, XXA, XXB,
 * XXC, XXX, EUE, ...), upper case. ZZZ and made-up codes are refused. */
static bool is_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]))
            return false;
    return mrz_known_code(s);
}

/* Latin letters with spaces, hyphens and apostrophes, as printed in passports. */
static bool is_latin_name(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!isalpha((unsigned char)*p) && *p != ' ' && *p != '-' && *p != '\'')
            return false;
    return true;
}

static bool is_doc_number(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 20)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int64_t date_days(const char *s)
{
    int y, m, d;
    if (time_parse_date(s, &y, &m, &d))
        return INT64_MIN;
    return time_days_from_civil(y, m, d);
}

int reg_validate(const struct reg_person *p, int64_t today, struct muster_err *err)
{
    if (empty(p->nationality) || !is_code(p->nationality))
        return err_set(err, MUSTER_EINVAL,
                       "nationality '%s' is not a known country code (ISO 3166-1 alpha-3 or "
                       "ICAO Doc 9303)",
                       p->nationality ? p->nationality : "");
    if (empty(p->surname) || !is_latin_name(p->surname))
        return err_set(err, MUSTER_EINVAL, "surname '%s' must be Latin letters as in the passport",
                       p->surname ? p->surname : "");
    if (p->given_names && !is_latin_name(p->given_names))
        return err_set(err, MUSTER_EINVAL, "given names '%s' must be Latin letters",
                       p->given_names);
    if (!empty(p->sex) && strcmp(p->sex, "M") && strcmp(p->sex, "F") && strcmp(p->sex, "X"))
        return err_set(err, MUSTER_EINVAL, "sex '%s' must be M, F or X", p->sex);
    int64_t now_days = today / 86400;
    if (!empty(p->birth_date)) {
        int64_t d = date_days(p->birth_date);
        if (d == INT64_MIN)
            return err_set(err, MUSTER_EINVAL, "birth date '%s' is not a YYYY-MM-DD date",
                           p->birth_date);
        if (d > now_days)
            return err_set(err, MUSTER_EINVAL, "birth date %s is in the future", p->birth_date);
    }
    if (!empty(p->doc_type) && strcmp(p->doc_type, "P") && strcmp(p->doc_type, "I") &&
        strcmp(p->doc_type, "E"))
        return err_set(err, MUSTER_EINVAL, "document type '%s' must be P, I or E", p->doc_type);
    if (!empty(p->doc_number) && !is_doc_number(p->doc_number))
        return err_set(err, MUSTER_EINVAL,
                       "document number '%s' must be 1-20 upper-case letters and digits",
                       p->doc_number);
    if (!empty(p->doc_state) && !is_code(p->doc_state))
        return err_set(err, MUSTER_EINVAL,
                       "issuing state '%s' is not a known country code (ISO 3166-1 alpha-3 "
                       "or ICAO Doc 9303)",
                       p->doc_state);
    if (!empty(p->doc_expiry) && date_days(p->doc_expiry) == INT64_MIN)
        return err_set(err, MUSTER_EINVAL, "document expiry '%s' is not a YYYY-MM-DD date",
                       p->doc_expiry);
    if (!empty(p->email) && !strchr(p->email, '@'))
        return err_set(err, MUSTER_EINVAL, "e-mail '%s' has no @", p->email);
    if (isnan(p->lat) != isnan(p->lon) || (!isnan(p->lat) && !geo_valid(p->lat, p->lon)))
        return err_set(err, MUSTER_EINVAL, "location must be a latitude and a longitude");
    if (p->needs < 0 || p->needs > 15)
        return err_set(err, MUSTER_EINVAL, "unknown needs");
    if (p->priority_override && strcmp(p->priority_override, "critical") &&
        strcmp(p->priority_override, "vulnerable") && strcmp(p->priority_override, "standard"))
        return err_set(err, MUSTER_EINVAL, "priority '%s' must be critical, vulnerable or standard",
                       p->priority_override);
    return 0;
}

static int age_years(const char *birth_date, int64_t today)
{
    int y, m, d, ty, tm, td;
    if (!birth_date || time_parse_date(birth_date, &y, &m, &d))
        return -1;
    time_civil_from_days(today / 86400, &ty, &tm, &td);
    int age = ty - y;
    if (tm < m || (tm == m && td < d))
        age--;
    return age;
}

const char *reg_priority(int needs, const char *birth_date, int64_t today)
{
    if (needs & NEED_STRETCHER)
        return "critical";
    int age = age_years(birth_date, today);
    if (needs & (NEED_ASSISTED | NEED_PREGNANT | NEED_UNACCOMPANIED_MINOR) ||
        (age >= 0 && age < 5) || age >= 75)
        return "vulnerable";
    return "standard";
}

int reg_parse_needs(const char *s)
{
    static const struct {
        const char *name;
        int bit;
    } names[] = {{"stretcher", NEED_STRETCHER},
                 {"assisted", NEED_ASSISTED},
                 {"pregnant", NEED_PREGNANT},
                 {"unaccompanied_minor", NEED_UNACCOMPANIED_MINOR}};
    int bits = 0;
    while (s && *s) {
        size_t len = strcspn(s, ";,");
        while (len && s[len - 1] == ' ')
            len--;
        if (len) {
            int found = -1;
            for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
                if (strlen(names[i].name) == len && strncmp(s, names[i].name, len) == 0)
                    found = names[i].bit;
            if (found < 0)
                return -1;
            bits |= found;
        }
        s += strcspn(s, ";,");
        while (*s == ';' || *s == ',' || *s == ' ')
            s++;
    }
    return bits;
}

static void set_str(json_t *o, const char *key, const char *v)
{
    if (!empty(v))
        json_object_set_new(o, key, json_string(v));
}

/* The personal fields of p, as sealed in the log. */
json_t *reg_fields_json(const struct reg_person *p, int64_t today)
{
    json_t *f = json_object();
    set_str(f, "surname", p->surname);
    set_str(f, "given_names", p->given_names ? p->given_names : "");
    set_str(f, "native_name", p->native_name);
    set_str(f, "sex", p->sex);
    set_str(f, "birth_date", p->birth_date);
    if (!empty(p->doc_number)) {
        json_t *doc = json_object();
        set_str(doc, "type", empty(p->doc_type) ? "P" : p->doc_type);
        set_str(doc, "number", p->doc_number);
        set_str(doc, "issuing_state", empty(p->doc_state) ? p->nationality : p->doc_state);
        set_str(doc, "expiry", p->doc_expiry);
        json_object_set_new(f, "doc", doc);
    }
    set_str(f, "phone", p->phone);
    set_str(f, "email", p->email);
    set_str(f, "address", p->address);
    if (!isnan(p->lat)) {
        json_object_set_new(f, "lat", json_real(p->lat));
        json_object_set_new(f, "lon", json_real(p->lon));
    }
    json_object_set_new(f, "needs", json_integer(p->needs));
    const char *pri = reg_priority(p->needs, p->birth_date, today);
    json_object_set_new(f, "priority",
                        json_string(p->priority_override ? p->priority_override : pri));
    set_str(f, "priority_override", p->priority_override);
    return f;
}

/* --- the same fields as canonical text, without a json_t --------------------
 *
 * The keys of reg_fields_json in byte order (jcanon sorts them so):
 * address, birth_date, doc {expiry, issuing_state, number, type}, email,
 * given_names, lat, lon, native_name, needs, phone, priority,
 * priority_override, sex, surname. tests/unit/test_registry.c compares the
 * two texts over generated people. */

struct ctext {
    struct buf *b;
    bool first, bad;
};

static void ckey(struct ctext *t, const char *key)
{
    if (!t->first)
        buf_putc(t->b, ',');
    t->first = false;
    jcanon_string(t->b, key, strlen(key));
    buf_putc(t->b, ':');
}

static void cstr(struct ctext *t, const char *key, const char *v)
{
    if (empty(v))
        return;
    ckey(t, key);
    if (jcanon_string(t->b, v, strlen(v)))
        t->bad = true;
}

static int fields_text(const struct reg_person *p, int64_t today, struct buf *b)
{
    struct ctext t = {.b = b, .first = true};
    buf_putc(b, '{');
    cstr(&t, "address", p->address);
    cstr(&t, "birth_date", p->birth_date);
    if (!empty(p->doc_number)) {
        ckey(&t, "doc");
        struct ctext d = {.b = b, .first = true};
        buf_putc(b, '{');
        cstr(&d, "expiry", p->doc_expiry);
        cstr(&d, "issuing_state", empty(p->doc_state) ? p->nationality : p->doc_state);
        cstr(&d, "number", p->doc_number);
        cstr(&d, "type", empty(p->doc_type) ? "P" : p->doc_type);
        buf_putc(b, '}');
        t.bad |= d.bad;
    }
    cstr(&t, "email", p->email);
    cstr(&t, "given_names", p->given_names);
    if (!isnan(p->lat)) {
        ckey(&t, "lat");
        jcanon_real(b, p->lat);
        ckey(&t, "lon");
        jcanon_real(b, p->lon);
    }
    cstr(&t, "native_name", p->native_name);
    ckey(&t, "needs");
    jcanon_integer(b, p->needs);
    cstr(&t, "phone", p->phone);
    const char *pri =
        p->priority_override ? p->priority_override : reg_priority(p->needs, p->birth_date, today);
    ckey(&t, "priority");
    if (jcanon_string(b, pri, strlen(pri)))
        t.bad = true;
    cstr(&t, "priority_override", p->priority_override);
    cstr(&t, "sex", p->sex);
    cstr(&t, "surname", p->surname);
    buf_putc(b, '}');
    return t.bad ? -1 : 0;
}

char *reg_fields_text(const struct reg_person *p, int64_t today, size_t *len)
{
    struct buf b = {0};
    if (fields_text(p, today, &b)) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

static const char *or_null(const char *s)
{
    return empty(s) ? NULL : s;
}

/* The projection's row of p, as fill_person (core/project.c) reads it back
 * from reg_fields_json: an empty field is absent, so NULL. */
static void fill_row(struct store_person *r, const struct reg_person *p, const char *id,
                     const char *household, const char *operation, int64_t today)
{
    memset(r, 0, sizeof *r);
    r->id = id;
    r->household = household;
    r->operation = operation;
    r->nationality = p->nationality;
    r->consent = p->consent;
    r->status = "registered";
    r->surname = or_null(p->surname);
    r->given_names = or_null(p->given_names);
    r->native_name = or_null(p->native_name);
    r->sex = or_null(p->sex);
    r->birth_date = or_null(p->birth_date);
    if (!empty(p->doc_number)) {
        r->doc_type = empty(p->doc_type) ? "P" : p->doc_type;
        r->doc_number = p->doc_number;
        r->doc_state = or_null(empty(p->doc_state) ? p->nationality : p->doc_state);
        r->doc_expiry = or_null(p->doc_expiry);
    }
    r->phone = or_null(p->phone);
    r->email = or_null(p->email);
    r->address = or_null(p->address);
    r->lat = isnan(p->lat) ? NAN : p->lat;
    r->lon = isnan(p->lat) ? NAN : p->lon;
    r->needs = p->needs;
    r->priority =
        p->priority_override ? p->priority_override : reg_priority(p->needs, p->birth_date, today);
    r->priority_override = or_null(p->priority_override);
}

int reg_build_household(const struct node *n, const char *operation,
                        const struct reg_person *people, int count, int64_t today,
                        struct reg_built *out, struct muster_err *err)
{
    memset(out, 0, sizeof *out);
    if (count < 1)
        return err_set(err, MUSTER_EINVAL, "a household needs at least one person");
    reg_new_id("hh", out->id);
    out->operation = operation;
    out->members = calloc((size_t)count, sizeof *out->members);
    struct buf body = {0}, plain = {0};
    buf_reserve(&body, 64 + (size_t)count * 640);
    buf_add(&body, "{\"id\":", 6);
    jcanon_string(&body, out->id, strlen(out->id));
    buf_add(&body, ",\"members\":[", 12);
    int rc = 0;
    for (int i = 0; i < count && !rc; i++) {
        const struct reg_person *p = &people[i];
        struct reg_built_member *m = &out->members[i];
        rc = reg_validate(p, today, err);
        if (rc)
            break;
        out->count++;
        reg_new_id("per", m->id);
        plain.len = 0;
        if (fields_text(p, today, &plain)) {
            rc = err_set(err, MUSTER_EINVAL, "the fields of %s %s are not valid UTF-8", p->surname,
                         p->given_names ? p->given_names : "");
            break;
        }
        uint8_t key[32];
        pii_make_key(n, m->id, key, m->wrapped);
        buf_add(&body, i ? ",{\"consent\":" : "{\"consent\":", i ? 12 : 11);
        buf_puts(&body, p->consent ? "true" : "false");
        buf_add(&body, ",\"id\":", 6);
        jcanon_string(&body, m->id, strlen(m->id));
        buf_add(&body, ",\"nationality\":", 15);
        jcanon_string(&body, p->nationality, strlen(p->nationality));
        buf_add(&body, ",\"pii\":\"", 8); /* base64 needs no escaping */
        pii_seal_text(m->id, key, plain.data, plain.len, &body);
        sodium_memzero(key, sizeof key);
        buf_add(&body, "\",\"status\":\"registered\"}", 24);
        fill_row(&m->row, p, m->id, out->id, operation, today);
    }
    buf_add(&body, "],\"operation\":", 14);
    if (!rc && jcanon_string(&body, operation, strlen(operation)))
        rc = err_set(err, MUSTER_EINVAL, "the operation id is not valid UTF-8");
    buf_putc(&body, '}');
    if (plain.data)
        sodium_memzero(plain.data, plain.cap);
    buf_free(&plain);
    out->body = body.data;
    out->body_len = body.len;
    if (rc)
        reg_built_free(out);
    return rc;
}

/* ev_append_projected's projection of a household.registered event built
 * here: what apply_household (core/project.c) writes from the body. */
static int project_household(struct node *n, const struct store_event *ev, void *ctx,
                             struct muster_err *err)
{
    struct reg_built *b = ctx;
    struct store_household h = {
        .id = b->id,
        .operation = b->operation,
        .nation = ev->nation,
        .size = b->count,
    };
    int rc = n->st->ops->household_put(n->st, &h, err);
    for (int i = 0; i < b->count && !rc; i++) {
        struct store_person *r = &b->members[i].row;
        r->nation = ev->nation;
        r->updated_ms = ev->time_ms;
        rc = n->st->ops->person_put(n->st, r, err);
    }
    return rc;
}

int reg_put_household(struct node *n, struct reg_built *b, struct store_event *ev,
                      struct muster_err *err)
{
    int rc = 0;
    for (int i = 0; i < b->count && !rc; i++)
        rc = pii_put_key(n, b->members[i].id, b->members[i].wrapped, NULL, err);
    if (!rc)
        return ev_append_projected(n, ev, project_household, b, err);
    free((char *)ev->body);
    ev->body = NULL;
    return rc;
}

void reg_built_free(struct reg_built *b)
{
    free(b->members);
    free(b->body);
    memset(b, 0, sizeof *b);
}

int reg_register_household(struct node *n, const char *actor, const char *nation,
                           const char *operation, const struct reg_person *people, int count,
                           char out_household[static 33], struct muster_err *err)
{
    return reg_register_household_at(n, actor, nation, operation, people, count, time_now(),
                                     out_household, err);
}

int reg_register_household_at(struct node *n, const char *actor, const char *nation,
                              const char *operation, const struct reg_person *people, int count,
                              int64_t today, char out_household[static 33], struct muster_err *err)
{
    if (!n->in_tx)
        return err_set(err, MUSTER_EINVAL, "reg_register_household outside a transaction");
    struct reg_built b;
    int rc = reg_build_household(n, operation, people, count, today, &b, err);
    if (rc)
        return rc;
    struct ev_chain c;
    struct store_event ev;
    ev_chain_start(n, &c);
    ev_prepare_text(n, actor, nation, "household.registered", b.body, b.body_len, &ev);
    b.body = NULL; /* the event's now */
    ev_link(&c, &ev);
    ev_sign(n, &ev);
    rc = reg_put_household(n, &b, &ev, err);
    if (!rc && out_household)
        memcpy(out_household, b.id, 33);
    reg_built_free(&b);
    return rc;
}

int reg_update_person(struct node *n, const char *actor, const char *id, const struct reg_person *p,
                      struct muster_err *err)
{
    struct arena a = {0};
    struct store_person cur;
    int rc = n->st->ops->person_get(n->st, id, &cur, &a, err);
    if (!rc && strcmp(cur.nationality, p->nationality) != 0)
        rc = err_set(err, MUSTER_EINVAL,
                     "the nationality of a registered person does not change "
                     "(register them again)");
    int64_t today = time_now();
    if (!rc)
        rc = reg_validate(p, today, err);
    char *sealed = NULL;
    if (!rc) {
        json_t *f = reg_fields_json(p, today);
        rc = pii_seal(n, id, f, &sealed, err);
        json_decref(f);
    }
    if (!rc) {
        json_t *body = json_pack("{s:s, s:b, s:s}", "id", id, "consent", p->consent, "pii", sealed);
        rc = ev_append(n, actor, cur.nation, "person.updated", body, err);
        json_decref(body);
    }
    free(sealed);
    arena_free(&a);
    return rc;
}

int reg_move_person(struct node *n, const char *actor, const char *id, const char *to,
                    char out_household[static 33], struct muster_err *err)
{
    struct arena a = {0};
    struct store_person p;
    struct store_household h;
    int rc = n->st->ops->person_get(n->st, id, &p, &a, err);
    if (!rc && strcmp(p.status, "registered") != 0)
        rc = err_set(err, MUSTER_ECONFLICT,
                     "%s is %s: only people not yet on a leg change household", id, p.status);
    if (!rc && to) {
        rc = n->st->ops->household_get(n->st, to, &h, &a, err);
        if (!rc && (strcmp(h.operation, p.operation) != 0 || strcmp(h.nation, p.nation) != 0))
            rc = err_set(err, MUSTER_EINVAL, "household %s is not one of %s's in this operation",
                         to, p.nation);
        if (!rc && strcmp(to, p.household) == 0)
            rc = err_set(err, MUSTER_ECONFLICT, "%s is in household %s already", id, to);
    }
    char hid[33];
    if (!rc) {
        if (to)
            snprintf(hid, sizeof hid, "%s", to);
        else
            reg_new_id("hh", hid);
        json_t *body = json_pack("{s:s, s:s, s:s}", "id", id, "from", p.household, "to", hid);
        rc = ev_append(n, actor, p.nation, "person.moved", body, err);
        json_decref(body);
    }
    if (!rc)
        memcpy(out_household, hid, 33);
    arena_free(&a);
    return rc;
}

const char *const reg_statuses[] = {
    "registered", "allocated", "notified", "confirmed", "checked_in",    "boarded", "departed",
    "arrived",    "cleared",   "declined", "no_show",   "refused_entry", NULL,
};

static const struct {
    const char *from, *to;
} transitions[] = {
    {"registered", "allocated"},  {"registered", "checked_in"}, {"registered", "declined"},
    {"allocated", "allocated"},   {"allocated", "notified"},    {"allocated", "registered"},
    {"allocated", "checked_in"},  {"allocated", "declined"},    {"notified", "confirmed"},
    {"notified", "allocated"},    {"notified", "registered"},   {"notified", "checked_in"},
    {"notified", "declined"},     {"notified", "no_show"},      {"confirmed", "checked_in"},
    {"confirmed", "allocated"},   {"confirmed", "declined"},    {"confirmed", "no_show"},
    {"checked_in", "boarded"},    {"checked_in", "allocated"},  {"checked_in", "no_show"},
    {"checked_in", "checked_in"}, {"confirmed", "registered"},  {"boarded", "departed"},
    {"boarded", "checked_in"},    {"departed", "arrived"},      {"arrived", "cleared"},
    {"arrived", "refused_entry"}, {"no_show", "registered"},    {"no_show", "checked_in"},
    {"declined", "registered"},
};

bool reg_transition_allowed(const char *from, const char *to)
{
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (strcmp(transitions[i].from, from) == 0 && strcmp(transitions[i].to, to) == 0)
            return true;
    return false;
}

/* Boarding and departure say in the clear what the reciprocity ledger
 * keeps of them (docs/events.md): the operation, the carrier, the
 * nationality carried and the slot, never who, so that a rebuild finds them
 * after the person is erased. */
static int add_carriage(struct node *n, const struct store_person *p, const char *leg, json_t *body,
                        struct arena *a, struct muster_err *err)
{
    struct store_leg l;
    int rc = n->st->ops->leg_get(n->st, leg, &l, a, err);
    if (rc)
        return rc;
    json_object_set_new(body, "carriage",
                        json_pack("{s:s, s:s, s:s, s:s}", "operation", l.operation, "carrier",
                                  l.operator_nation, "nationality", p->nationality, "slot",
                                  (p->needs & NEED_STRETCHER) ? "stretcher" : "seat"));
    return 0;
}

/* The statuses in which a person holds a seat on their leg (as the store's
 * leg_load counts them). */
static bool holds_seat(const char *status)
{
    static const char *const seated[] = {"allocated",  "notified", "confirmed",
                                         "checked_in", "boarded",  "departed"};
    for (size_t i = 0; i < sizeof seated / sizeof seated[0]; i++)
        if (status && strcmp(status, seated[i]) == 0)
            return true;
    return false;
}

static bool carried(const char *list, const char *code)
{
    char quoted[16];
    snprintf(quoted, sizeof quoted, "\"%s\"", code ? code : "");
    return list && strstr(list, quoted) != NULL;
}

/* The leg given by hand with a change of p to status to: it exists, is of
 * p's operation and not cancelled, carries p's nationality and, when p did
 * not consent to sharing, is operated by the nation that registered p. */
static int check_given_leg(const struct store_person *p, const char *to, const struct store_leg *l,
                           struct muster_err *err)
{
    if (strcmp(l->operation, p->operation) != 0)
        return err_set(err, MUSTER_EINVAL, "leg %s is not of %s's operation", l->id, p->id);
    if (!holds_seat(to))
        return 0;
    if (strcmp(l->status, "cancelled") == 0)
        return err_set(err, MUSTER_ECONFLICT, "leg %s is cancelled", l->id);
    if (!carried(l->carries, p->nationality))
        return err_set(err, MUSTER_ECONFLICT, "leg %s does not carry %s nationals", l->id,
                       p->nationality);
    if (!p->consent && strcmp(l->operator_nation, p->nation) != 0)
        return err_set(err, MUSTER_ECONFLICT,
                       "%s did not consent to sharing: only %s's own legs carry them", p->id,
                       p->nation);
    return 0;
}

/* Whether moving p to status to on leg (NULL keeps theirs, "" clears it)
 * by hand is allowed: the leg given fits p (check_given_leg), and a seat
 * (a stretcher slot for a stretcher case) is free when p takes one they did
 * not hold. Runs in the write transaction: writers are serialised, so two
 * allocations cannot both take the last seat. */
static int check_by_hand(struct node *n, const struct store_person *p, const char *to,
                         const char *leg, struct arena *a, struct muster_err *err)
{
    const char *on = leg == NULL ? p->leg : leg;
    if (empty(on) || strcmp(to, "registered") == 0)
        return 0;
    bool held = holds_seat(p->status) && !empty(p->leg) && strcmp(p->leg, on) == 0;
    if (!leg && (held || !holds_seat(to)))
        return 0;
    struct store_leg l;
    if (n->st->ops->leg_get(n->st, on, &l, a, err))
        return err_set(err, MUSTER_EINVAL, "no leg %s", on);
    int rc = leg ? check_given_leg(p, to, &l, err) : 0;
    if (rc || held || !holds_seat(to))
        return rc;
    int64_t seats = 0, stretchers = 0;
    rc = n->st->ops->leg_load(n->st, on, &seats, &stretchers, err);
    if (rc)
        return rc;
    if (p->needs & NEED_STRETCHER)
        return stretchers >= l.stretchers
                   ? err_set(err, MUSTER_ECONFLICT,
                             "leg %s has no stretcher slot free (%lld of %lld taken)", on,
                             (long long)stretchers, (long long)l.stretchers)
                   : 0;
    return seats >= l.seats
               ? err_set(err, MUSTER_ECONFLICT, "leg %s has no seat free (%lld of %lld taken)", on,
                         (long long)seats, (long long)l.seats)
               : 0;
}

/* set_status on the person's row p as it is now (read in this
 * transaction). */
static int set_status_of(struct node *n, const char *actor, const struct store_person *row,
                         const char *to, const char *leg, const char *reason, bool by_hand,
                         struct muster_err *err)
{
    struct arena a = {0};
    struct store_person p = *row;
    const char *person = p.id;
    int rc = 0;
    if (!reg_transition_allowed(p.status, to))
        rc = err_set(err, MUSTER_ECONFLICT, "%s cannot go from %s to %s", person, p.status, to);
    if (!rc && strcmp(to, "allocated") == 0 && empty(leg))
        rc = err_set(err, MUSTER_EINVAL, "an allocation needs a leg");
    if (!rc && by_hand)
        rc = check_by_hand(n, &p, to, leg, &a, err);
    if (!rc) {
        json_t *body = json_pack("{s:s, s:s, s:s}", "id", person, "from", p.status, "to", to);
        /* leg NULL keeps the current one; "" clears it */
        const char *keep_leg = leg == NULL ? p.leg : (*leg ? leg : NULL);
        if (!empty(keep_leg) && strcmp(to, "registered") != 0)
            json_object_set_new(body, "leg", json_string(keep_leg));
        if (!empty(keep_leg) && (!strcmp(to, "boarded") || !strcmp(to, "departed")))
            rc = add_carriage(n, &p, keep_leg, body, &a, err);
        if (!rc && !empty(reason)) { /* free text may be personal: sealed like the rest */
            json_t *f = json_pack("{s:s}", "reason", reason);
            char *sealed = NULL;
            rc = pii_seal(n, person, f, &sealed, err);
            json_decref(f);
            if (!rc)
                json_object_set_new(body, "pii", json_string(sealed));
            free(sealed);
        }
        if (!rc)
            rc = ev_append(n, actor, p.nation, "person.status", body, err);
        json_decref(body);
    }
    arena_free(&a);
    return rc;
}

static int set_status(struct node *n, const char *actor, const char *person, const char *to,
                      const char *leg, const char *reason, bool by_hand, struct muster_err *err)
{
    struct arena a = {0};
    struct store_person p;
    int rc = n->st->ops->person_get(n->st, person, &p, &a, err);
    if (!rc)
        rc = set_status_of(n, actor, &p, to, leg, reason, by_hand, err);
    arena_free(&a);
    return rc;
}

int reg_set_status_of(struct node *n, const char *actor, const struct store_person *now,
                      const char *to, const char *leg, const char *reason, struct muster_err *err)
{
    return set_status_of(n, actor, now, to, leg, reason, false, err);
}

int reg_set_status(struct node *n, const char *actor, const char *person, const char *to,
                   const char *leg, const char *reason, struct muster_err *err)
{
    return set_status(n, actor, person, to, leg, reason, false, err);
}

int reg_set_status_checked(struct node *n, const char *actor, const char *person, const char *to,
                           const char *leg, const char *reason, struct muster_err *err)
{
    return set_status(n, actor, person, to, leg, reason, true, err);
}

int reg_delete_household(struct node *n, const char *actor, const char *id, struct muster_err *err)
{
    struct arena a = {0};
    struct store_household h;
    struct store_person *ps;
    size_t np = 0;
    int rc = n->st->ops->household_get(n->st, id, &h, &a, err);
    struct store_person_query q = {.household = id, .limit = 1000};
    if (!rc)
        rc = n->st->ops->person_find(n->st, &q, &ps, &np, &a, err);
    if (!rc && np > 0)
        rc = err_set(err, MUSTER_ECONFLICT,
                     "%zu %s in household %s: move them to another household first", np,
                     np == 1 ? "person is" : "people are", id);
    if (!rc) {
        json_t *body = json_pack("{s:s, s:s}", "id", id, "operation", h.operation);
        rc = ev_append(n, actor, h.nation, "household.deleted", body, err);
        json_decref(body);
    }
    arena_free(&a);
    return rc;
}

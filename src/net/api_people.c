/* api_people.c — the registry: search, read, register households, change
 * a person's status. Every answer goes through the scoping rule. */
#include "net/api.h"

#include "core/privacy.h"
#include "core/registry.h"
#include "travel/translit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Upper case without accents ("Müller" -> "MUELLER"); Hangul and kanji are
 * kept as typed, for the native-name search. */
static const char *normalise_query(struct request *r, const char *q)
{
    char out[256];
    struct muster_err err;
    if (translit_mrz(q, strlen(q), out, sizeof out, &err) < 0)
        return q;
    for (char *p = out; *p; p++)
        if (*p == '<')
            *p = ' ';
    return arena_strdup(&r->arena, out);
}

void api_persons_search(struct request *r)
{
    struct store_operation o;
    if (!api_may(r, ACT_READ_REGISTRY) || api_load_operation(r, r->params[0], &o))
        return;
    const char *q = http_query(r, "q"), *lim = http_query(r, "limit"),
               *off = http_query(r, "offset");
    struct store_person_query query = {
        .operation = o.id,
        .text = q && *q ? normalise_query(r, q) : NULL,
        .native = q && *q ? q : NULL,
        .doc_number = http_query(r, "document"),
        .limit = lim ? atoll(lim) : 50,
        .offset = off ? atoll(off) : 0,
    };
    if (query.limit < 1 || query.limit > 1000) {
        http_error(r, 400, "invalid", "limit must be between 1 and 1000");
        return;
    }
    json_t *a = api_scoped_persons(r, &query, NULL, "search");
    if (a)
        http_json(r, 200, json_pack("{s:o}", "persons", a));
}

void api_person_get(struct request *r)
{
    struct store_person p;
    if (!api_may(r, ACT_READ_REGISTRY))
        return;
    enum access_view v = api_load_person(r, r->params[0], &p, NULL);
    if (v == VIEW_NONE)
        return;
    api_read(r, "person", p.id, v);
    api_person_text(http_json_text(r, 200), &p, v);
}

/* --- status changes ------------------------------------------------------ */

struct status_job {
    json_t *body;
    const char *person, *to, *leg, *reason, *actor;
};

static int write_status(struct node *n, void *arg, struct muster_err *err)
{
    struct status_job *j = arg;
    return reg_set_status_checked(n, j->actor, j->person, j->to, j->leg, j->reason, err);
}

static void after_status(struct request *r, int rc, const struct muster_err *err)
{
    struct status_job *j = r->write_arg;
    if (rc) {
        json_decref(j->body);
        http_fail(r, err);
        return;
    }
    /* j->to lives in the body: answer before letting it go */
    http_json(r, 201, json_pack("{s:s, s:s}", "id", j->person, "status", j->to));
    json_decref(j->body);
}

void api_person_status(struct request *r)
{
    static const char *const fields[] = {"to", "leg", "reason", NULL};
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    const char *to = jstr(b, "to");
    struct store_person p;
    struct store_leg leg;
    struct muster_err err;
    if (!api_may(r, access_status_action(to))) {
        json_decref(b);
        return;
    }
    enum access_view v = api_load_person(r, r->params[0], &p, &leg);
    if (v == VIEW_NONE ||
        !api_allowed(r, access_status_change(&r->who, &p, leg.id ? &leg : NULL, to, &err), &err)) {
        json_decref(b);
        return;
    }
    if (!to) {
        json_decref(b);
        http_error(r, 400, "invalid", "to is required (the new status)");
        return;
    }
    struct status_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct status_job){
        b, p.id, to, jstr(b, "leg"), jstr(b, "reason"), arena_strdup(&r->arena, r->who.user)};
    http_write(r, write_status, j, after_status);
}

/* --- households ---------------------------------------------------------- */

struct household_job {
    json_t *body;
    const char *nation, *operation, *actor;
    struct reg_person people[16];
    int count;
    char id[33];
};

static int write_household(struct node *n, void *arg, struct muster_err *err)
{
    struct household_job *j = arg;
    return reg_register_household(n, j->actor, j->nation, j->operation, j->people, j->count, j->id,
                                  err);
}

static void after_household(struct request *r, int rc, const struct muster_err *err)
{
    struct household_job *j = r->write_arg;
    json_decref(j->body);
    if (rc) {
        http_fail(r, err);
        return;
    }
    http_json(r, 201, json_pack("{s:s, s:i}", "id", j->id, "members", j->count));
}

/* The keys of a person's "document" and "location" objects. */
static const char *const doc_fields[] = {"type", "number", "issuing_state", "expiry", NULL};
static const char *const loc_fields[] = {"lat", "lon", NULL};

/* Reads one member object into p; answers 400 and returns -1 on bad input. */
int api_read_member(struct request *r, json_t *m, struct reg_person *p)
{
    static const char *const fields[] = {
        "surname",           "given_names", "native_name", "nationality", "sex",      "birth_date",
        "document",          "phone",       "email",       "address",     "location", "needs",
        "priority_override", "consent",     NULL};
    const char *k;
    json_t *v;
    if (!json_is_object(m)) {
        http_error(r, 400, "invalid", "each member must be an object");
        return -1;
    }
    json_object_foreach(m, k, v)
    {
        bool ok = false;
        for (const char *const *f = fields; *f && !ok; f++)
            ok = strcmp(*f, k) == 0;
        if (!ok) {
            http_error(r, 400, "unknown_field", "unknown member field '%s'", k);
            return -1;
        }
    }
    if (!http_nested(r, m, "document", doc_fields) || !http_nested(r, m, "location", loc_fields))
        return -1;
    memset(p, 0, sizeof *p);
    p->surname = jstr(m, "surname");
    p->given_names = jstr(m, "given_names") ? jstr(m, "given_names") : "";
    p->native_name = jstr(m, "native_name");
    p->nationality = jstr(m, "nationality");
    p->sex = jstr(m, "sex");
    p->birth_date = jstr(m, "birth_date");
    json_t *doc = json_object_get(m, "document");
    p->doc_type = jstr(doc, "type");
    p->doc_number = jstr(doc, "number");
    p->doc_state = jstr(doc, "issuing_state");
    p->doc_expiry = jstr(doc, "expiry");
    p->phone = jstr(m, "phone");
    p->email = jstr(m, "email");
    p->address = jstr(m, "address");
    json_t *loc = json_object_get(m, "location");
    p->lat = json_is_number(json_object_get(loc, "lat"))
                 ? json_number_value(json_object_get(loc, "lat"))
                 : NAN;
    p->lon = json_is_number(json_object_get(loc, "lon"))
                 ? json_number_value(json_object_get(loc, "lon"))
                 : NAN;
    json_t *needs = json_object_get(m, "needs");
    size_t i;
    json_array_foreach(needs, i, v)
    {
        int bit = reg_parse_needs(json_string_value(v) ? json_string_value(v) : "?");
        if (bit < 0) {
            http_error(r, 400, "invalid", "unknown need '%s'",
                       json_string_value(v) ? json_string_value(v) : "?");
            return -1;
        }
        p->needs |= bit;
    }
    p->priority_override = jstr(m, "priority_override");
    p->consent = json_is_true(json_object_get(m, "consent"));
    if (!p->surname || !p->nationality) {
        http_error(r, 400, "invalid", "surname and nationality are required");
        return -1;
    }
    return 0;
}

void api_household_create(struct request *r)
{
    static const char *const fields[] = {"members", NULL};
    struct store_operation o;
    if (!api_may(r, ACT_WRITE_REGISTRY) || api_load_operation(r, r->params[0], &o))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    json_t *members = json_object_get(b, "members");
    if (!json_is_array(members) || json_array_size(members) < 1 || json_array_size(members) > 16) {
        json_decref(b);
        http_error(r, 400, "invalid", "members must be an array of 1 to 16 people");
        return;
    }
    struct household_job *j = arena_alloc(&r->arena, sizeof *j);
    j->body = b;
    j->nation = r->who.nation;
    j->operation = o.id;
    j->actor = arena_strdup(&r->arena, r->who.user);
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        if (api_read_member(r, m, &j->people[j->count++])) {
            json_decref(b);
            return;
        }
    }
    http_write(r, write_household, j, after_household);
}

void api_household_get(struct request *r)
{
    if (!api_may(r, ACT_READ_REGISTRY))
        return;
    struct store_person_query q = {.household = r->params[0], .limit = 100};
    json_t *a = api_scoped_persons(r, &q, NULL, "household");
    if (!a)
        return;
    if (json_array_size(a) == 0) {
        json_decref(a);
        http_error(r, 404, "not_found", "no household %s", r->params[0]);
        return;
    }
    http_json(r, 200, json_pack("{s:s, s:o}", "id", r->params[0], "members", a));
}

/* --- erasure ------------------------------------------------------------- */

static int write_erase(struct node *n, void *arg, struct muster_err *err)
{
    struct status_job *j = arg;
    return privacy_erase(n, j->actor, j->person, j->reason, err);
}

static void after_erase(struct request *r, int rc, const struct muster_err *err)
{
    struct status_job *j = r->write_arg;
    json_decref(j->body);
    if (rc) {
        http_fail(r, err);
        return;
    }
    http_json(r, 201, json_pack("{s:s, s:b}", "id", j->person, "erased", 1));
}

void api_person_erase(struct request *r)
{
    static const char *const fields[] = {"reason", NULL};
    if (!api_may(r, ACT_WRITE_REGISTRY))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    struct store_person p;
    struct muster_err err;
    enum access_view v = api_load_person(r, r->params[0], &p, NULL);
    if (v == VIEW_NONE || !api_allowed(r, access_person_edit(&r->who, &p, &err), &err)) {
        json_decref(b);
        return;
    }
    struct status_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct status_job){b,
                             p.id,
                             NULL,
                             NULL,
                             json_string_value(json_object_get(b, "reason")),
                             arena_strdup(&r->arena, r->who.user)};
    http_write(r, write_erase, j, after_erase);
}

/* --- editing ------------------------------------------------------------- */

struct update_job {
    json_t *body;
    const char *actor, *id;
    struct reg_person p;
};

static int write_update(struct node *n, void *arg, struct muster_err *err)
{
    struct update_job *j = arg;
    return reg_update_person(n, j->actor, j->id, &j->p, err);
}

static void after_update(struct request *r, int rc, const struct muster_err *err)
{
    struct update_job *j = r->write_arg;
    json_decref(j->body);
    if (rc) {
        http_fail(r, err);
        return;
    }
    struct store_person p;
    enum access_view v = api_load_person(r, j->id, &p, NULL);
    if (v == VIEW_NONE)
        return;
    api_read(r, "edit", p.id, v);
    http_json(r, 200, api_person_json(&p, v));
}

/* The text of key k in b when present (NULL for JSON null), else keep. */
static const char *pick(json_t *b, const char *k, const char *keep)
{
    json_t *v = json_object_get(b, k);
    return v ? json_string_value(v) : keep;
}

void api_person_update(struct request *r)
{
    static const char *const fields[] = {
        "surname",           "given_names", "native_name", "nationality", "sex",      "birth_date",
        "document",          "phone",       "email",       "address",     "location", "needs",
        "priority_override", "consent",     NULL};
    if (!api_may(r, ACT_WRITE_REGISTRY))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    if (!http_nested(r, b, "document", doc_fields) || !http_nested(r, b, "location", loc_fields)) {
        json_decref(b);
        return;
    }
    struct store_person c;
    struct muster_err err;
    enum access_view v = api_load_person(r, r->params[0], &c, NULL);
    if (v == VIEW_NONE || !api_allowed(r, access_person_edit(&r->who, &c, &err), &err)) {
        json_decref(b);
        return;
    }
    struct update_job *j = arena_alloc(&r->arena, sizeof *j);
    j->body = b;
    j->actor = arena_strdup(&r->arena, r->who.user);
    j->id = c.id;
    struct reg_person *p = &j->p;
    p->nationality = pick(b, "nationality", c.nationality);
    p->surname = pick(b, "surname", c.surname);
    p->given_names = pick(b, "given_names", c.given_names);
    p->native_name = pick(b, "native_name", c.native_name);
    p->sex = pick(b, "sex", c.sex);
    p->birth_date = pick(b, "birth_date", c.birth_date);
    json_t *doc = json_object_get(b, "document");
    p->doc_type = doc ? json_string_value(json_object_get(doc, "type")) : c.doc_type;
    p->doc_number = doc ? json_string_value(json_object_get(doc, "number")) : c.doc_number;
    p->doc_state = doc ? json_string_value(json_object_get(doc, "issuing_state")) : c.doc_state;
    p->doc_expiry = doc ? json_string_value(json_object_get(doc, "expiry")) : c.doc_expiry;
    p->phone = pick(b, "phone", c.phone);
    p->email = pick(b, "email", c.email);
    p->address = pick(b, "address", c.address);
    json_t *loc = json_object_get(b, "location");
    p->lat = loc ? (json_is_number(json_object_get(loc, "lat"))
                        ? json_number_value(json_object_get(loc, "lat"))
                        : NAN)
                 : c.lat;
    p->lon = loc ? (json_is_number(json_object_get(loc, "lon"))
                        ? json_number_value(json_object_get(loc, "lon"))
                        : NAN)
                 : c.lon;
    p->needs = (int)c.needs;
    json_t *needs = json_object_get(b, "needs");
    if (needs) {
        p->needs = 0;
        size_t i;
        json_t *n;
        json_array_foreach(needs, i, n)
        {
            int bit = reg_parse_needs(json_string_value(n) ? json_string_value(n) : "?");
            if (bit < 0) {
                json_decref(b);
                http_error(r, 400, "invalid", "unknown need in needs");
                return;
            }
            p->needs |= bit;
        }
    }
    p->priority_override = pick(b, "priority_override", c.priority_override);
    json_t *consent = json_object_get(b, "consent");
    p->consent = consent ? json_is_true(consent) : c.consent;
    if (!p->surname || !p->nationality) {
        json_decref(b);
        http_error(r, 400, "invalid", "surname and nationality cannot be removed");
        return;
    }
    http_write(r, write_update, j, after_update);
}

/* --- moving between households ------------------------------------------- */

struct move_job {
    json_t *body;
    const char *actor, *id, *to;
    char household[33];
};

static int write_move(struct node *n, void *arg, struct muster_err *err)
{
    struct move_job *j = arg;
    return reg_move_person(n, j->actor, j->id, j->to, j->household, err);
}

static void after_move(struct request *r, int rc, const struct muster_err *err)
{
    struct move_job *j = r->write_arg;
    json_decref(j->body);
    if (rc) {
        http_fail(r, err);
        return;
    }
    http_json(r, 201, json_pack("{s:s, s:s}", "id", j->id, "household", j->household));
}

void api_person_move(struct request *r)
{
    static const char *const fields[] = {"household", NULL};
    if (!api_may(r, ACT_WRITE_REGISTRY))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    json_t *to = json_object_get(b, "household");
    if (!to || (!json_is_null(to) && !json_is_string(to))) {
        json_decref(b);
        http_error(r, 400, "invalid", "household must be a household id, or null for a new one");
        return;
    }
    struct store_person p;
    struct muster_err err;
    enum access_view v = api_load_person(r, r->params[0], &p, NULL);
    if (v == VIEW_NONE || !api_allowed(r, access_person_edit(&r->who, &p, &err), &err)) {
        json_decref(b);
        return;
    }
    struct move_job *j = arena_alloc(&r->arena, sizeof *j);
    j->body = b;
    j->actor = arena_strdup(&r->arena, r->who.user);
    j->id = p.id;
    j->to = json_string_value(to);
    http_write(r, write_move, j, after_move);
}

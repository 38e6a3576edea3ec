/* api_common.c — see api.h. */
#include "net/api.h"

#include "util/timeutil.h"

#include <math.h>
#include <string.h>

static void set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

json_t *api_needs_json(int64_t needs)
{
    static const char *const names[] = {"stretcher", "assisted", "pregnant", "unaccompanied_minor"};
    json_t *a = json_array();
    for (int i = 0; i < 4; i++)
        if (needs & (1 << i))
            json_array_append_new(a, json_string(names[i]));
    return a;
}

json_t *api_person_json(const struct store_person *p, enum access_view view)
{
    json_t *o = json_object();
    set_str(o, "id", p->id);
    set_str(o, "household", p->household);
    set_str(o, "operation", p->operation);
    set_str(o, "nation", p->nation);
    set_str(o, "nationality", p->nationality);
    set_str(o, "surname", p->surname);
    set_str(o, "given_names", p->given_names);
    set_str(o, "sex", p->sex);
    set_str(o, "birth_date", p->birth_date);
    json_t *doc = json_null();
    if (p->doc_number)
        doc = json_pack("{s:s?, s:s, s:s?, s:s?}", "type", p->doc_type, "number", p->doc_number,
                        "issuing_state", p->doc_state, "expiry", p->doc_expiry);
    json_object_set_new(o, "document", doc);
    json_object_set_new(o, "needs", api_needs_json(p->needs));
    set_str(o, "priority", p->priority);
    set_str(o, "status", p->status);
    set_str(o, "leg", p->leg);
    json_object_set_new(o, "view", json_string(view == VIEW_FULL ? "full" : "partner"));
    if (view == VIEW_FULL) {
        set_str(o, "native_name", p->native_name);
        set_str(o, "phone", p->phone);
        set_str(o, "email", p->email);
        set_str(o, "address", p->address);
        json_object_set_new(o, "location",
                            isnan(p->lat) ? json_null()
                                          : json_pack("{s:f, s:f}", "lat", p->lat, "lon", p->lon));
        set_str(o, "priority_override", p->priority_override);
        json_object_set_new(o, "consent", json_boolean(p->consent));
    }
    return o;
}

json_t *api_leg_json(const struct store_leg *l)
{
    char departs[21], arrives[21];
    time_format_iso(l->departs, departs);
    if (l->arrives)
        time_format_iso(l->arrives, arrives);
    json_t *carries = json_loads(l->carries ? l->carries : "[]", 0, NULL);
    return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I, s:I, s:s, s:s, s:s?, s:s, s:s?, s:o, s:s}",
                     "id", l->id, "operation", l->operation, "operator", l->operator_nation, "kind",
                     l->kind, "vehicle", l->vehicle, "seats", (json_int_t)l->seats, "stretchers",
                     (json_int_t)l->stretchers, "point", l->point, "departs", departs, "arrives",
                     l->arrives ? arrives : NULL, "destination", l->destination,
                     "destination_country", l->destination_country, "carries",
                     carries ? carries : json_array(), "status", l->status);
}

json_t *api_point_json(const struct store_point *p)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:I}", "id", p->id, "operation", p->operation,
                     "name", p->name, "kind", p->kind, "lat", p->lat, "lon", p->lon, "capacity",
                     (json_int_t)p->capacity);
}

json_t *api_operation_json(const struct store_operation *o)
{
    json_t *area = json_loads(o->area ? o->area : "[]", 0, NULL);
    json_t *partners = json_loads(o->partners ? o->partners : "[]", 0, NULL);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", o->id, "nation", o->nation,
                     "name", o->name, "host_country", o->host_country, "status", o->status, "area",
                     area ? area : json_array(), "partners", partners ? partners : json_array());
}

bool api_allowed(struct request *r, int rc, const struct muster_err *err)
{
    if (rc == 0)
        return true;
    http_fail(r, err);
    return false;
}

bool api_may(struct request *r, enum access_action act)
{
    if (access_may(&r->who, act))
        return true;
    http_error(r, 403, "forbidden", "the %s role may not do this", auth_role_name(r->who.role));
    return false;
}

enum access_view api_view_of(struct request *r, const struct store_person *p)
{
    struct store_leg leg;
    struct muster_err err;
    bool has_leg = p->leg && r->st->ops->leg_get(r->st, p->leg, &leg, &r->arena, &err) == 0;
    return access_person(&r->who, p, has_leg ? &leg : NULL);
}

enum access_view api_load_person(struct request *r, const char *id, struct store_person *p,
                                 struct store_leg *leg)
{
    struct muster_err err;
    struct store_leg l;
    if (r->st->ops->person_get(r->st, id, p, &r->arena, &err) != 0) {
        http_error(r, 404, "not_found", "no person %s", id);
        return VIEW_NONE;
    }
    bool has_leg = p->leg && r->st->ops->leg_get(r->st, p->leg, &l, &r->arena, &err) == 0;
    enum access_view v = access_person(&r->who, p, has_leg ? &l : NULL);
    if (v == VIEW_NONE) {
        http_error(r, 404, "not_found", "no person %s", id);
        return VIEW_NONE;
    }
    access_redact(v, p);
    if (leg) {
        if (has_leg)
            *leg = l;
        else
            memset(leg, 0, sizeof *leg);
    }
    return v;
}

void api_read(struct request *r, const char *purpose, const char *person, enum access_view v)
{
    http_read(r, purpose, person, v == VIEW_FULL ? "full" : "partner");
}

json_t *api_scoped_persons(struct request *r, const struct store_person_query *q,
                           const struct store_leg *leg, const char *purpose)
{
    struct store_person *ps;
    size_t n;
    struct muster_err err;
    if (r->st->ops->person_find(r->st, q, &ps, &n, &r->arena, &err)) {
        http_fail(r, &err);
        return NULL;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        enum access_view v = leg ? access_person(&r->who, &ps[i], leg) : api_view_of(r, &ps[i]);
        if (v == VIEW_NONE)
            continue;
        access_redact(v, &ps[i]);
        api_read(r, purpose, ps[i].id, v);
        json_array_append_new(a, api_person_json(&ps[i], v));
    }
    return a;
}

void api_count(json_t *counts, const char *key)
{
    json_t *cur = json_object_get(counts, key ? key : "?");
    json_object_set_new(counts, key ? key : "?",
                        json_integer(cur ? json_integer_value(cur) + 1 : 1));
}

json_t *api_leg_load_json(struct request *r, const struct store_leg *l)
{
    json_t *j = api_leg_json(l);
    int64_t seats = 0, stretchers = 0;
    struct muster_err err;
    r->st->ops->leg_load(r->st, l->id, &seats, &stretchers, &err);
    json_object_set_new(j, "seats_taken", json_integer(seats));
    json_object_set_new(j, "stretchers_taken", json_integer(stretchers));
    return j;
}

int api_load_point(struct request *r, struct store_point *p, struct store_operation *o)
{
    struct muster_err err;
    if (r->st->ops->point_get(r->st, r->params[0], p, &r->arena, &err)) {
        http_error(r, 404, "not_found", "no assembly point %s", r->params[0]);
        return -1;
    }
    return api_load_operation(r, p->operation, o);
}

int api_load_leg_to_manage(struct request *r, struct store_leg *l)
{
    struct muster_err err;
    if (!api_may(r, ACT_WRITE_OPERATIONS))
        return -1;
    if (r->st->ops->leg_get(r->st, r->params[0], l, &r->arena, &err)) {
        http_error(r, 404, "not_found", "no leg %s", r->params[0]);
        return -1;
    }
    return api_allowed(r, access_leg_manage(&r->who, l, &err), &err) ? 0 : -1;
}

int api_load_operation(struct request *r, const char *id, struct store_operation *o)
{
    struct muster_err err;
    if (r->st->ops->operation_get(r->st, id, o, &r->arena, &err) != 0 ||
        !access_operation_view(&r->who, o)) {
        http_error(r, 404, "not_found", "no operation %s", id);
        return -1;
    }
    return 0;
}

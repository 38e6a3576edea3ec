/* api_ops.c — operations, assembly points and legs. */
#include "net/api.h"

#include "core/operation.h"
#include "util/timeutil.h"

#include <math.h>
#include <string.h>

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

void api_operations_list(struct request *r)
{
    if (!api_may(r, ACT_READ_OPERATIONS))
        return;
    struct store_operation *ops;
    size_t n;
    struct muster_err err;
    if (r->st->ops->operation_list(r->st, &ops, &n, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        if (access_operation_view(&r->who, &ops[i]))
            json_array_append_new(a, api_operation_json(&ops[i]));
    http_json(r, 200, json_pack("{s:o}", "operations", a));
}

void api_operation_get(struct request *r)
{
    struct store_operation o;
    if (!api_may(r, ACT_READ_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    http_json(r, 200, api_operation_json(&o));
}

struct op_job {
    json_t *body;
    const char *nation, *actor;
    char id[33];
    /* parsed inputs */
    double lat[64], lon[64];
    const char *partners[16];
    size_t narea, npartners;
    struct op_point point;
    struct op_leg leg;
    const char *carries[16];
};

static int write_operation(struct node *n, void *arg, struct muster_err *err)
{
    struct op_job *j = arg;
    struct op_operation o = {
        j->nation,   jstr(j->body, "name"), jstr(j->body, "host_country"), j->lat, j->lon, j->narea,
        j->partners, j->npartners};
    return op_create(n, j->actor, &o, j->id, err);
}

static void created(struct request *r, int rc, const struct muster_err *err, struct op_job *j,
                    const char *kind)
{
    json_decref(j->body);
    if (rc) {
        http_fail(r, err);
        return;
    }
    http_json(r, 201, json_pack("{s:s, s:s}", "id", j->id, "kind", kind));
}

static void after_operation(struct request *r, int rc, const struct muster_err *err)
{
    created(r, rc, err, r->write_arg, "operation");
}

void api_operation_create(struct request *r)
{
    static const char *const fields[] = {"name", "host_country", "area", "partners", NULL};
    if (!api_may(r, ACT_WRITE_OPERATIONS))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    struct op_job *j = arena_alloc(&r->arena, sizeof *j);
    j->body = b;
    j->nation = r->who.nation;
    j->actor = arena_strdup(&r->arena, r->who.user);
    json_t *area = json_object_get(b, "area"), *v;
    size_t i;
    if (area && (!json_is_array(area) || json_array_size(area) > 64)) {
        json_decref(b);
        http_error(r, 400, "invalid", "area must be an array of up to 64 [lat, lon] pairs");
        return;
    }
    json_array_foreach(area, i, v)
    {
        j->lat[i] = json_number_value(json_array_get(v, 0));
        j->lon[i] = json_number_value(json_array_get(v, 1));
        if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_number(json_array_get(v, 0)) ||
            !json_is_number(json_array_get(v, 1))) {
            json_decref(b);
            http_error(r, 400, "invalid", "area vertex %zu must be [lat, lon]", i);
            return;
        }
        j->narea++;
    }
    json_t *partners = json_object_get(b, "partners");
    json_array_foreach(partners, i, v)
    {
        if (i >= 16 || !json_is_string(v)) {
            json_decref(b);
            http_error(r, 400, "invalid", "partners must be up to 16 nation codes");
            return;
        }
        j->partners[j->npartners++] = json_string_value(v);
    }
    if (!jstr(b, "name") || !jstr(b, "host_country")) {
        json_decref(b);
        http_error(r, 400, "invalid", "name and host_country are required strings");
        return;
    }
    http_write(r, write_operation, j, after_operation);
}

void api_operation_summary(struct request *r)
{
    struct store_operation o;
    if (!api_may(r, ACT_READ_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    struct muster_err err;
    /* counts are of the caller's own people only: a partner's figures are
     * theirs to share */
    struct store_person_query q = {.operation = o.id, .limit = 10000000};
    struct store_person *ps;
    size_t n;
    if (r->st->ops->person_find(r->st, &q, &ps, &n, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    json_t *status = json_object(), *nat = json_object(), *pri = json_object();
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (access_person(&r->who, &ps[i], NULL) != VIEW_FULL)
            continue;
        total++;
        api_count(status, ps[i].status);
        api_count(nat, ps[i].nationality);
        api_count(pri, ps[i].priority);
    }
    http_json(r, 200,
              json_pack("{s:s, s:I, s:o, s:o, s:o}", "operation", o.id, "people", (json_int_t)total,
                        "by_status", status, "by_nationality", nat, "by_priority", pri));
}

void api_points_list(struct request *r)
{
    struct store_operation o;
    if (!api_may(r, ACT_READ_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    struct store_point *ps;
    size_t n;
    struct muster_err err;
    if (r->st->ops->point_list(r->st, o.id, &ps, &n, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, api_point_json(&ps[i]));
    http_json(r, 200, json_pack("{s:o}", "points", a));
}

static int write_point(struct node *n, void *arg, struct muster_err *err)
{
    struct op_job *j = arg;
    return op_add_point(n, j->actor, &j->point, j->id, err);
}

static void after_point(struct request *r, int rc, const struct muster_err *err)
{
    created(r, rc, err, r->write_arg, "point");
}

void api_point_create(struct request *r)
{
    static const char *const fields[] = {"name", "kind", "lat", "lon", "capacity", NULL};
    struct store_operation o;
    struct muster_err err;
    if (!api_may(r, ACT_WRITE_OPERATIONS) || api_load_operation(r, r->params[0], &o) ||
        !api_allowed(r, access_operation_manage(&r->who, &o, &err), &err))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    struct op_job *j = arena_alloc(&r->arena, sizeof *j);
    j->body = b;
    j->actor = arena_strdup(&r->arena, r->who.user);
    json_t *lat = json_object_get(b, "lat"), *lon = json_object_get(b, "lon");
    j->point = (struct op_point){o.id,
                                 jstr(b, "name"),
                                 jstr(b, "kind"),
                                 json_is_number(lat) ? json_number_value(lat) : NAN,
                                 json_is_number(lon) ? json_number_value(lon) : NAN,
                                 (int64_t)json_integer_value(json_object_get(b, "capacity"))};
    http_write(r, write_point, j, after_point);
}

void api_legs_list(struct request *r)
{
    struct store_operation o;
    if (!api_may(r, ACT_READ_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    struct store_leg *ls;
    size_t n;
    struct muster_err err;
    if (r->st->ops->leg_list(r->st, o.id, &ls, &n, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!access_leg(&r->who, &ls[i], &o))
            continue;
        json_array_append_new(a, api_leg_load_json(r, &ls[i]));
    }
    http_json(r, 200, json_pack("{s:o}", "legs", a));
}

static int write_leg(struct node *n, void *arg, struct muster_err *err)
{
    struct op_job *j = arg;
    return op_add_leg(n, j->actor, &j->leg, j->id, err);
}

static void after_leg(struct request *r, int rc, const struct muster_err *err)
{
    created(r, rc, err, r->write_arg, "leg");
}

void api_leg_create(struct request *r)
{
    static const char *const fields[] = {"kind",    "vehicle", "seats",       "stretchers",
                                         "point",   "departs", "destination", "destination_country",
                                         "carries", "arrives", NULL};
    struct store_operation o;
    if (!api_may(r, ACT_WRITE_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    struct op_job *j = arena_alloc(&r->arena, sizeof *j);
    j->body = b;
    j->actor = arena_strdup(&r->arena, r->who.user);
    int64_t departs = 0;
    if (!jstr(b, "departs") || time_parse_iso(jstr(b, "departs"), &departs)) {
        json_decref(b);
        http_error(r, 400, "invalid", "departs must be an ISO-8601 time");
        return;
    }
    int64_t arrives = 0;
    if (json_object_get(b, "arrives") &&
        (!jstr(b, "arrives") || time_parse_iso(jstr(b, "arrives"), &arrives))) {
        json_decref(b);
        http_error(r, 400, "invalid", "arrives must be an ISO-8601 time");
        return;
    }
    struct muster_err err;
    struct store_point p;
    if (!jstr(b, "point") || r->st->ops->point_get(r->st, jstr(b, "point"), &p, &r->arena, &err) ||
        strcmp(p.operation, o.id) != 0) {
        json_decref(b);
        http_error(r, 400, "invalid", "point must be an assembly point of this operation");
        return;
    }
    json_t *carries = json_object_get(b, "carries"), *v;
    size_t i, nc = 0;
    json_array_foreach(carries, i, v)
    {
        if (nc < 16 && json_is_string(v))
            j->carries[nc++] = json_string_value(v);
    }
    j->leg = (struct op_leg){o.id,
                             r->who.nation, /* a nation offers its own legs */
                             jstr(b, "kind"),
                             jstr(b, "vehicle"),
                             (int64_t)json_integer_value(json_object_get(b, "seats")),
                             (int64_t)json_integer_value(json_object_get(b, "stretchers")),
                             p.id,
                             departs,
                             jstr(b, "destination"),
                             jstr(b, "destination_country"),
                             j->carries,
                             nc,
                             arrives};
    http_write(r, write_leg, j, after_leg);
}

void api_leg_get(struct request *r)
{
    struct store_leg l;
    struct store_operation o;
    struct muster_err err;
    if (!api_may(r, ACT_READ_OPERATIONS))
        return;
    if (r->st->ops->leg_get(r->st, r->params[0], &l, &r->arena, &err) ||
        r->st->ops->operation_get(r->st, l.operation, &o, &r->arena, &err) ||
        !access_leg(&r->who, &l, &o)) {
        http_error(r, 404, "not_found", "no leg %s", r->params[0]);
        return;
    }
    http_json(r, 200, api_leg_load_json(r, &l));
}

void api_leg_passengers(struct request *r)
{
    struct store_leg l;
    struct store_operation o;
    struct muster_err err;
    if (!api_may(r, ACT_READ_REGISTRY))
        return;
    if (r->st->ops->leg_get(r->st, r->params[0], &l, &r->arena, &err) ||
        r->st->ops->operation_get(r->st, l.operation, &o, &r->arena, &err) ||
        !access_leg(&r->who, &l, &o)) {
        http_error(r, 404, "not_found", "no leg %s", r->params[0]);
        return;
    }
    struct store_person_query q = {.leg = l.id, .limit = 100000};
    json_t *a = api_scoped_persons(r, &q, &l, "passengers");
    if (a)
        http_json(r, 200, json_pack("{s:s, s:o}", "leg", l.id, "passengers", a));
}

struct cancel_job {
    json_t *body;
    const char *actor, *leg;
};

static int write_cancel(struct node *n, void *arg, struct muster_err *err)
{
    struct cancel_job *j = arg;
    return op_cancel_leg(n, j->actor, j->leg, json_string_value(json_object_get(j->body, "reason")),
                         err);
}

static void after_cancel(struct request *r, int rc, const struct muster_err *err)
{
    struct cancel_job *j = r->write_arg;
    json_decref(j->body);
    if (rc) {
        http_fail(r, err);
        return;
    }
    struct store_leg l;
    struct muster_err e;
    if (r->st->ops->leg_get(r->st, j->leg, &l, &r->arena, &e)) {
        http_fail(r, &e);
        return;
    }
    http_json(r, 201, api_leg_json(&l));
}

void api_leg_cancel(struct request *r)
{
    static const char *const fields[] = {"reason", NULL};
    struct store_leg l;
    if (api_load_leg_to_manage(r, &l))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    struct cancel_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct cancel_job){b, arena_strdup(&r->arena, r->who.user), l.id};
    http_write(r, write_cancel, j, after_cancel);
}

/* --- editing operations and points -------------------------------------- */

struct edit_job {
    json_t *body;
    const char *actor, *id;
    int (*fn)(struct node *n, const char *actor, const char *id, json_t *changes,
              struct muster_err *err);
};

static int write_edit(struct node *n, void *arg, struct muster_err *err)
{
    struct edit_job *j = arg;
    return j->fn(n, j->actor, j->id, j->body, err);
}

static void after_edit_operation(struct request *r, int rc, const struct muster_err *err)
{
    struct edit_job *j = r->write_arg;
    json_decref(j->body);
    struct store_operation o;
    struct muster_err e;
    if (rc)
        http_fail(r, err);
    else if (r->st->ops->operation_get(r->st, j->id, &o, &r->arena, &e))
        http_fail(r, &e);
    else
        http_json(r, 200, api_operation_json(&o));
}

void api_operation_update(struct request *r)
{
    static const char *const fields[] = {"name", "status", "partners", NULL};
    struct store_operation o;
    struct muster_err err;
    if (!api_may(r, ACT_WRITE_OPERATIONS) || api_load_operation(r, r->params[0], &o) ||
        !api_allowed(r, access_operation_manage(&r->who, &o, &err), &err))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    struct edit_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct edit_job){b, arena_strdup(&r->arena, r->who.user), o.id, op_update};
    http_write(r, write_edit, j, after_edit_operation);
}

static void after_edit_point(struct request *r, int rc, const struct muster_err *err)
{
    struct edit_job *j = r->write_arg;
    json_decref(j->body);
    struct store_point p;
    struct muster_err e;
    if (rc)
        http_fail(r, err);
    else if (r->st->ops->point_get(r->st, j->id, &p, &r->arena, &e))
        http_fail(r, &e);
    else
        http_json(r, 200, api_point_json(&p));
}

void api_point_update(struct request *r)
{
    static const char *const fields[] = {"name", "kind", "lat", "lon", "capacity", NULL};
    if (!api_may(r, ACT_WRITE_OPERATIONS))
        return;
    struct store_point p;
    struct store_operation o;
    struct muster_err err;
    if (api_load_point(r, &p, &o) ||
        !api_allowed(r, access_operation_manage(&r->who, &o, &err), &err))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    struct edit_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct edit_job){b, arena_strdup(&r->arena, r->who.user), p.id, op_update_point};
    http_write(r, write_edit, j, after_edit_point);
}

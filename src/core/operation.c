/* operation.c — see operation.h. */
#include "core/operation.h"

#include "core/events.h"
#include "core/registry.h"
#include "util/geo.h"
#include "util/timeutil.h"

#include <ctype.h>
#include <string.h>

static bool is_nation(const char *s)
{
    if (!s || strlen(s) != 3)
        return false;
    for (int i = 0; i < 3; i++)
        if (!isupper((unsigned char)s[i]))
            return false;
    return true;
}

static bool one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

static int operation_exists(struct node *n, const char *id, struct muster_err *err)
{
    struct arena a = {0};
    struct store_operation o;
    int rc = n->st->ops->operation_get(n->st, id ? id : "", &o, &a, err);
    arena_free(&a);
    return rc;
}

int op_create(struct node *n, const char *actor, const struct op_operation *o,
              char out_id[static 33], struct muster_err *err)
{
    if (!o->name || !*o->name)
        return err_set(err, MUSTER_EINVAL, "an operation needs a name");
    if (!is_nation(o->host_country))
        return err_set(err, MUSTER_EINVAL, "host country must be an ISO alpha-3 code");
    if (o->area_n > 0 && o->area_n < 3)
        return err_set(err, MUSTER_EINVAL, "the crisis area needs at least 3 vertices");
    json_t *area = json_array(), *partners = json_array();
    for (size_t i = 0; i < o->area_n; i++) {
        if (!geo_valid(o->area_lat[i], o->area_lon[i])) {
            json_decref(area);
            json_decref(partners);
            return err_set(err, MUSTER_EINVAL, "crisis area vertex %zu is not a coordinate", i);
        }
        json_array_append_new(area, json_pack("[f,f]", o->area_lat[i], o->area_lon[i]));
    }
    for (size_t i = 0; i < o->npartners; i++) {
        if (!is_nation(o->partners[i])) {
            json_decref(area);
            json_decref(partners);
            return err_set(err, MUSTER_EINVAL, "partner '%s' is not an ISO alpha-3 code",
                           o->partners[i]);
        }
        json_array_append_new(partners, json_string(o->partners[i]));
    }
    reg_new_id("op", out_id);
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "id", out_id, "name", o->name, "host_country",
                  o->host_country, "area", area, "partners", partners, "status", "active");
    int rc = ev_append(n, actor, o->nation, "operation.created", body, err);
    json_decref(body);
    return rc;
}

int op_add_point(struct node *n, const char *actor, const struct op_point *p,
                 char out_id[static 33], struct muster_err *err)
{
    static const char *const kinds[] = {"airport", "port", "embassy", "other", NULL};
    if (!p->name || !*p->name)
        return err_set(err, MUSTER_EINVAL, "an assembly point needs a name");
    if (!one_of(p->kind, kinds))
        return err_set(err, MUSTER_EINVAL, "point kind must be airport, port, embassy or other");
    if (!geo_valid(p->lat, p->lon))
        return err_set(err, MUSTER_EINVAL, "point location is not a coordinate");
    if (p->capacity < 0)
        return err_set(err, MUSTER_EINVAL, "point capacity cannot be negative");
    int rc = operation_exists(n, p->operation, err);
    if (rc)
        return rc;
    reg_new_id("pt", out_id);
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:I}", "id", out_id, "operation",
                             p->operation, "name", p->name, "kind", p->kind, "lat", p->lat, "lon",
                             p->lon, "capacity", (json_int_t)p->capacity);
    rc = ev_append(n, actor, NULL, "point.created", body, err);
    json_decref(body);
    return rc;
}

int op_add_leg(struct node *n, const char *actor, const struct op_leg *l, char out_id[static 33],
               struct muster_err *err)
{
    static const char *const kinds[] = {"aircraft", "ship", "bus", NULL};
    if (!is_nation(l->operator_nation))
        return err_set(err, MUSTER_EINVAL, "leg operator must be an ISO alpha-3 code");
    if (!one_of(l->kind, kinds))
        return err_set(err, MUSTER_EINVAL, "leg kind must be aircraft, ship or bus");
    if (l->seats < 0 || l->stretchers < 0 || l->seats + l->stretchers == 0)
        return err_set(err, MUSTER_EINVAL, "a leg needs seats or stretcher slots");
    if (!l->point || !*l->point || !l->destination || !*l->destination)
        return err_set(err, MUSTER_EINVAL, "a leg needs an assembly point and a destination");
    if (!is_nation(l->destination_country))
        return err_set(err, MUSTER_EINVAL, "a leg needs its destination country (alpha-3)");
    if (l->ncarries == 0)
        return err_set(err, MUSTER_EINVAL, "a leg must carry at least one nationality");
    if (l->arrives && l->arrives <= l->departs)
        return err_set(err, MUSTER_EINVAL, "a leg arrives after it departs");
    json_t *carries = json_array();
    for (size_t i = 0; i < l->ncarries; i++) {
        if (!is_nation(l->carries[i]) && strcmp(l->carries[i], "D") != 0) {
            json_decref(carries);
            return err_set(err, MUSTER_EINVAL, "'%s' is not a nationality code", l->carries[i]);
        }
        json_array_append_new(carries, json_string(l->carries[i]));
    }
    int rc = operation_exists(n, l->operation, err);
    if (rc) {
        json_decref(carries);
        return rc;
    }
    char departs[21];
    time_format_iso(l->departs, departs);
    reg_new_id("leg", out_id);
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:s}", "id", out_id,
                  "operation", l->operation, "operator", l->operator_nation, "kind", l->kind,
                  "vehicle", l->vehicle ? l->vehicle : "", "seats", (json_int_t)l->seats,
                  "stretchers", (json_int_t)l->stretchers, "point", l->point, "departs", departs,
                  "destination", l->destination, "destination_country", l->destination_country,
                  "carries", carries, "status", "scheduled");
    if (l->arrives) {
        char arrives[21];
        time_format_iso(l->arrives, arrives);
        json_object_set_new(body, "arrives", json_string(arrives));
    }
    rc = ev_append(n, actor, l->operator_nation, "leg.created", body, err);
    json_decref(body);
    return rc;
}

int op_cancel_leg(struct node *n, const char *actor, const char *leg, const char *reason,
                  struct muster_err *err)
{
    if (!reason || !*reason)
        return err_set(err, MUSTER_EINVAL, "a cancellation needs a reason");
    struct arena a = {0};
    struct store_leg l;
    int rc = n->st->ops->leg_get(n->st, leg, &l, &a, err);
    if (!rc && strcmp(l.status, "cancelled") == 0)
        rc = err_set(err, MUSTER_ECONFLICT, "leg %s is cancelled already", leg);
    if (!rc) {
        json_t *body = json_pack("{s:s, s:s}", "id", leg, "reason", reason);
        rc = ev_append(n, actor, l.operator_nation, "leg.cancelled", body, err);
        json_decref(body);
    }
    arena_free(&a);
    return rc;
}

int op_update(struct node *n, const char *actor, const char *id, json_t *changes,
              struct muster_err *err)
{
    static const char *const statuses[] = {"active", "closed", NULL};
    struct arena a = {0};
    struct store_operation o;
    int rc = n->st->ops->operation_get(n->st, id, &o, &a, err);
    const char *name = json_string_value(json_object_get(changes, "name"));
    const char *status = json_string_value(json_object_get(changes, "status"));
    if (!rc && json_object_get(changes, "name") && (!name || !*name))
        rc = err_set(err, MUSTER_EINVAL, "an operation needs a name");
    if (!rc && json_object_get(changes, "status") && !one_of(status, statuses))
        rc = err_set(err, MUSTER_EINVAL, "status must be active or closed");
    json_t *partners = json_object_get(changes, "partners"), *v;
    size_t i;
    json_array_foreach(partners, i, v)
    {
        if (!rc && !is_nation(json_string_value(v)))
            rc = err_set(err, MUSTER_EINVAL, "partner %zu is not an ISO alpha-3 code", i);
    }
    if (!rc && partners && !json_is_array(partners))
        rc = err_set(err, MUSTER_EINVAL, "partners must be an array of nation codes");
    if (!rc) {
        json_t *body = json_deep_copy(changes);
        json_object_set_new(body, "id", json_string(id));
        rc = ev_append(n, actor, o.nation, "operation.updated", body, err);
        json_decref(body);
    }
    arena_free(&a);
    return rc;
}

int op_update_point(struct node *n, const char *actor, const char *id, json_t *changes,
                    struct muster_err *err)
{
    static const char *const kinds[] = {"airport", "port", "embassy", "other", NULL};
    struct arena a = {0};
    struct store_point p;
    int rc = n->st->ops->point_get(n->st, id, &p, &a, err);
    json_t *lat = json_object_get(changes, "lat"), *lon = json_object_get(changes, "lon");
    json_t *cap = json_object_get(changes, "capacity");
    const char *name = json_string_value(json_object_get(changes, "name"));
    const char *kind = json_string_value(json_object_get(changes, "kind"));
    if (!rc && json_object_get(changes, "name") && (!name || !*name))
        rc = err_set(err, MUSTER_EINVAL, "an assembly point needs a name");
    if (!rc && json_object_get(changes, "kind") && !one_of(kind, kinds))
        rc = err_set(err, MUSTER_EINVAL, "point kind must be airport, port, embassy or other");
    if (!rc && (lat || lon) &&
        !(json_is_number(lat) && json_is_number(lon) &&
          geo_valid(json_number_value(lat), json_number_value(lon))))
        rc = err_set(err, MUSTER_EINVAL, "a new location needs both lat and lon");
    if (!rc && cap && (!json_is_integer(cap) || json_integer_value(cap) < 0))
        rc = err_set(err, MUSTER_EINVAL, "capacity must be a whole number >= 0");
    if (!rc) {
        json_t *body = json_deep_copy(changes);
        json_object_set_new(body, "id", json_string(id));
        rc = ev_append(n, actor, NULL, "point.updated", body, err);
        json_decref(body);
    }
    arena_free(&a);
    return rc;
}

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

/* --- changing legs, deleting points -------------------------------------- */

/* changes[key] as Unix seconds into *out: an ISO-8601 time (null allowed
 * when nullable, as 0); false when it is neither. */
static bool time_change(json_t *changes, const char *key, bool nullable, int64_t *out)
{
    json_t *v = json_object_get(changes, key);
    if (!v)
        return true;
    if (json_is_null(v) && nullable) {
        *out = 0;
        return true;
    }
    return json_is_string(v) && time_parse_iso(json_string_value(v), out) == 0;
}

static bool count_change(json_t *changes, const char *key, int64_t *out)
{
    json_t *v = json_object_get(changes, key);
    if (!v)
        return true;
    *out = json_integer_value(v);
    return json_is_integer(v) && *out >= 0;
}

/* A nationality of someone on leg l that carries no longer has (NULL: none). */
static const char *stranded_nationality(struct node *n, const struct store_leg *l, json_t *carries,
                                        struct arena *a)
{
    struct store_person_query q = {.leg = l->id, .limit = 1000000};
    struct store_person *ps;
    size_t np;
    struct muster_err ignored;
    if (n->st->ops->person_find(n->st, &q, &ps, &np, a, &ignored))
        return NULL;
    for (size_t i = 0; i < np; i++) {
        static const char *const on[] = {"allocated", "notified", "confirmed", "checked_in",
                                         "boarded",   "departed", NULL};
        bool carried = false;
        size_t k;
        json_t *c;
        json_array_foreach(carries, k, c)
        {
            carried = carried || (json_is_string(c) && ps[i].nationality &&
                                  strcmp(json_string_value(c), ps[i].nationality) == 0);
        }
        if (!carried && one_of(ps[i].status, on))
            return ps[i].nationality;
    }
    return NULL;
}

/* Checks changes against leg l and rewrites its times as ISO-8601 UTC. */
static int check_leg(struct node *n, const struct store_leg *l, json_t *changes, struct arena *a,
                     struct muster_err *err)
{
    int64_t departs = l->departs, arrives = l->arrives, seats = l->seats, str = l->stretchers;
    if (!time_change(changes, "departs", false, &departs) ||
        !time_change(changes, "arrives", true, &arrives))
        return err_set(err, MUSTER_EINVAL, "departs and arrives must be ISO-8601 times");
    if (arrives && arrives <= departs)
        return err_set(err, MUSTER_EINVAL, "a leg arrives after it departs");
    if (!count_change(changes, "seats", &seats) || !count_change(changes, "stretchers", &str) ||
        seats + str == 0)
        return err_set(err, MUSTER_EINVAL,
                       "seats and stretchers are whole numbers >= 0, not both 0");
    json_t *v = json_object_get(changes, "vehicle"),
           *dest = json_object_get(changes, "destination");
    if ((v && !json_is_string(v)) || (dest && (!json_is_string(dest) || !*json_string_value(dest))))
        return err_set(err, MUSTER_EINVAL, "vehicle and destination are strings");
    json_t *pt = json_object_get(changes, "point");
    struct store_point p;
    if (pt &&
        (!json_is_string(pt) || n->st->ops->point_get(n->st, json_string_value(pt), &p, a, err) ||
         strcmp(p.operation, l->operation) != 0))
        return err_set(err, MUSTER_EINVAL,
                       "point must be an assembly point of the leg's operation");
    json_t *carries = json_object_get(changes, "carries"), *c;
    size_t i;
    if (carries && (!json_is_array(carries) || json_array_size(carries) == 0))
        return err_set(err, MUSTER_EINVAL, "a leg must carry at least one nationality");
    json_array_foreach(carries, i, c)
    {
        if (!is_nation(json_string_value(c)))
            return err_set(err, MUSTER_EINVAL, "carries %zu is not a nationality code", i);
    }
    int64_t seats_taken = 0, str_taken = 0;
    int rc = n->st->ops->leg_load(n->st, l->id, &seats_taken, &str_taken, err);
    if (rc)
        return rc;
    if (seats < seats_taken || str < str_taken)
        return err_set(err, MUSTER_ECONFLICT,
                       "%lld seats and %lld stretcher slots are taken on leg %s: move those "
                       "people first (plan again) before making it smaller",
                       (long long)seats_taken, (long long)str_taken, l->id);
    const char *left = carries ? stranded_nationality(n, l, carries, a) : NULL;
    if (left)
        return err_set(err, MUSTER_ECONFLICT,
                       "people of nationality %s are on leg %s: move them first (plan again)", left,
                       l->id);
    char iso[21];
    if (json_object_get(changes, "departs")) {
        time_format_iso(departs, iso);
        json_object_set_new(changes, "departs", json_string(iso));
    }
    if (json_object_get(changes, "arrives") && arrives) {
        time_format_iso(arrives, iso);
        json_object_set_new(changes, "arrives", json_string(iso));
    }
    return 0;
}

int op_update_leg(struct node *n, const char *actor, const char *id, json_t *changes,
                  struct muster_err *err)
{
    struct arena a = {0};
    struct store_leg l;
    json_t *body = json_deep_copy(changes);
    int rc = n->st->ops->leg_get(n->st, id, &l, &a, err);
    if (!rc && strcmp(l.status, "cancelled") == 0)
        rc = err_set(err, MUSTER_ECONFLICT, "leg %s is cancelled", id);
    if (!rc)
        rc = check_leg(n, &l, body, &a, err);
    if (!rc) {
        json_object_set_new(body, "id", json_string(id));
        rc = ev_append(n, actor, l.operator_nation, "leg.updated", body, err);
    }
    json_decref(body);
    arena_free(&a);
    return rc;
}

/* True when a field officer of this node is assigned to point id. */
static bool point_has_officer(struct node *n, const char *id, struct arena *a)
{
    struct store_user *us;
    size_t nu;
    struct muster_err ignored;
    if (!n->st->ops->user_list || n->st->ops->user_list(n->st, &us, &nu, a, &ignored))
        return false;
    for (size_t i = 0; i < nu; i++)
        if (!us[i].disabled && us[i].points && strstr(us[i].points, id))
            return true;
    return false;
}

int op_delete_point(struct node *n, const char *actor, const char *id, struct muster_err *err)
{
    struct arena a = {0};
    struct store_point p;
    struct store_leg *legs;
    size_t nl = 0;
    int rc = n->st->ops->point_get(n->st, id, &p, &a, err);
    if (!rc)
        rc = n->st->ops->leg_list(n->st, p.operation, &legs, &nl, &a, err);
    for (size_t i = 0; !rc && i < nl; i++)
        if (strcmp(legs[i].point, id) == 0)
            rc = err_set(err, MUSTER_ECONFLICT,
                         "leg %s leaves from %s (even cancelled, it is part of the record): "
                         "change the leg's point first",
                         legs[i].id, p.name);
    if (!rc && point_has_officer(n, id, &a))
        rc = err_set(err, MUSTER_ECONFLICT,
                     "field officers are assigned to %s: assign them elsewhere first", p.name);
    if (!rc) {
        json_t *body = json_pack("{s:s, s:s}", "id", id, "operation", p.operation);
        rc = ev_append(n, actor, NULL, "point.deleted", body, err);
        json_decref(body);
    }
    arena_free(&a);
    return rc;
}

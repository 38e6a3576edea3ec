/* json_read.c — the instance JSON (docs/plan.md) into a plan_instance.
 * Parsing only: the caller reads the file. Every rejection names the field. */
#include "plan/internal.h"

#include "util/timeutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* An id may be a string or an integer; integers are kept as their text. */
static const char *get_id(json_t *o, const char *key, char tmp[32], bool *numeric)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v) && json_string_length(v) > 0)
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(tmp, 32, "%lld", (long long)json_integer_value(v));
        *numeric = true;
        return tmp;
    }
    return NULL;
}

static int get_num(json_t *o, const char *key, double *out, bool required)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return required ? -1 : 1;
    if (!json_is_number(v))
        return -1;
    *out = json_number_value(v);
    return isfinite(*out) ? 0 : -1;
}

static int get_int(json_t *o, const char *key, int *out, int lo, int hi)
{
    double d = 0;
    int rc = get_num(o, key, &d, false);
    if (rc != 0)
        return rc;
    if (d != floor(d) || d < lo || d > hi)
        return -1;
    *out = (int)d;
    return 0;
}

static int get_time(json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? time_parse_iso(json_string_value(v), out) : -1;
}

static int read_settings(struct plan_instance *in, json_t *s, struct muster_err *err)
{
    if (!s || json_is_null(s))
        return 0;
    if (!json_is_object(s))
        return err_set(err, MUSTER_EINVAL, "settings: not an object");
    struct plan_settings *st = &in->settings;
    if (get_num(s, "road_kmh", &st->road_kmh, false) < 0 || st->road_kmh <= 0)
        return err_set(err, MUSTER_EINVAL, "settings.road_kmh: a positive number");
    if (get_num(s, "reach_km", &st->reach_km, false) < 0 || st->reach_km < 0)
        return err_set(err, MUSTER_EINVAL, "settings.reach_km: a number >= 0");
    if (get_int(s, "checkin_minutes", &st->checkin_minutes, 0, 100000) < 0)
        return err_set(err, MUSTER_EINVAL, "settings.checkin_minutes: an integer >= 0");
    if (get_num(s, "move_threshold", &st->move_threshold, false) < 0)
        return err_set(err, MUSTER_EINVAL, "settings.move_threshold: a number");
    json_t *w = json_object_get(s, "weights");
    if (w && !json_is_null(w)) {
        static const char *const names[] = {"critical", "vulnerable", "standard"};
        if (!json_is_object(w))
            return err_set(err, MUSTER_EINVAL, "settings.weights: not an object");
        for (int i = 0; i < PLAN_NPRIORITY; i++)
            if (get_int(w, names[i], &st->weights[i], 0, 1000000) < 0)
                return err_set(err, MUSTER_EINVAL, "settings.weights.%s: an integer >= 0",
                               names[i]);
    }
    return 0;
}

static int read_points(struct plan_instance *in, json_t *arr, struct idmap *ids,
                       struct muster_err *err)
{
    size_t i;
    json_t *p;
    if (!json_is_array(arr))
        return err_set(err, MUSTER_EINVAL, "points: an array is required");
    json_array_foreach(arr, i, p)
    {
        char tmp[32];
        const char *id = json_is_object(p) ? get_id(p, "id", tmp, &in->ids_numeric) : NULL;
        double lat, lon;
        if (!id || get_num(p, "lat", &lat, true) || get_num(p, "lon", &lon, true))
            return err_set(err, MUSTER_EINVAL, "points[%zu]: needs id, lat and lon", i);
        if (idmap_get(ids, id) >= 0)
            return err_set(err, MUSTER_EINVAL, "points[%zu]: duplicate id %s", i, id);
        int k = plan_add_point(in, id, lat, lon, err);
        if (k < 0)
            return k;
        idmap_put(ids, in->points[k].id, k);
    }
    return 0;
}

static int read_leg(struct plan_instance *in, json_t *o, size_t i, const struct idmap *points,
                    struct muster_err *err)
{
    char tmp[32], ptmp[32];
    const char *id = json_is_object(o) ? get_id(o, "id", tmp, &in->ids_numeric) : NULL;
    if (!id)
        return err_set(err, MUSTER_EINVAL, "legs[%zu]: needs an id", i);
    const char *pid = get_id(o, "point", ptmp, &in->ids_numeric);
    int point = pid ? idmap_get(points, pid) : -1;
    if (point < 0)
        return err_set(err, MUSTER_EINVAL, "leg %s: unknown point", id);
    int64_t departs;
    if (get_time(o, "departs", &departs) < 0)
        return err_set(err, MUSTER_EINVAL, "leg %s: departs must be ISO-8601", id);
    int seats = 0, stretchers = 0;
    if (get_int(o, "seats", &seats, 0, 1000000) != 0 ||
        get_int(o, "stretchers", &stretchers, 0, 1000000) < 0)
        return err_set(err, MUSTER_EINVAL, "leg %s: seats (and stretchers) must be integers >= 0",
                       id);
    json_t *c = json_object_get(o, "carries"), *v;
    if (!json_is_array(c) || json_array_size(c) > PLAN_MAX_NATIONALITIES)
        return err_set(err, MUSTER_EINVAL, "leg %s: carries must be an array of codes", id);
    const char *codes[PLAN_MAX_NATIONALITIES];
    size_t k;
    json_array_foreach(c, k, v)
    {
        if (!json_is_string(v))
            return err_set(err, MUSTER_EINVAL, "leg %s: carries[%zu] is not a code", id, k);
        codes[k] = json_string_value(v);
    }
    json_t *cancelled = json_object_get(o, "cancelled");
    if (cancelled && !json_is_boolean(cancelled) && !json_is_null(cancelled))
        return err_set(err, MUSTER_EINVAL, "leg %s: cancelled must be true or false", id);
    return plan_add_leg(in, id, point, departs, seats, stretchers, codes, (int)json_array_size(c),
                        json_is_true(cancelled), err);
}

static int read_members(struct plan_instance *in, int h, json_t *arr, const char *hid,
                        struct muster_err *err)
{
    static const char *const prio[] = {"critical", "vulnerable", "standard"};
    size_t i;
    json_t *mb;
    if (!json_is_array(arr))
        return err_set(err, MUSTER_EINVAL, "household %s: members must be an array", hid);
    json_array_foreach(arr, i, mb)
    {
        char tmp[32];
        const char *id = json_is_object(mb) ? get_id(mb, "id", tmp, &in->ids_numeric) : NULL;
        json_t *nat = id ? json_object_get(mb, "nationality") : NULL;
        if (!id || !json_is_string(nat))
            return err_set(err, MUSTER_EINVAL, "household %s: member %zu needs id and nationality",
                           hid, i);
        json_t *p = json_object_get(mb, "priority");
        int priority = PLAN_STANDARD;
        if (p && !json_is_null(p)) {
            priority = -1;
            for (int k = 0; k < PLAN_NPRIORITY; k++)
                if (json_is_string(p) && strcmp(json_string_value(p), prio[k]) == 0)
                    priority = k;
            if (priority < 0)
                return err_set(err, MUSTER_EINVAL,
                               "member %s: priority must be critical, vulnerable or standard", id);
        }
        json_t *s = json_object_get(mb, "stretcher");
        if (s && !json_is_boolean(s) && !json_is_null(s))
            return err_set(err, MUSTER_EINVAL, "member %s: stretcher must be true or false", id);
        int rc = plan_add_member(in, h, id, json_string_value(nat), priority, json_is_true(s), err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int read_current(struct plan_instance *in, int h, json_t *cur, const struct idmap *legs,
                        struct muster_err *err)
{
    const char *hid = in->households[h].id;
    if (!cur || json_is_null(cur))
        return 0;
    char tmp[32];
    const char *lid = json_is_object(cur) ? get_id(cur, "leg", tmp, &in->ids_numeric) : NULL;
    int leg = lid ? idmap_get(legs, lid) : -1;
    if (leg < 0)
        return err_set(err, MUSTER_EINVAL, "household %s: current.leg is not a known leg", hid);
    json_t *st = json_object_get(cur, "state");
    const char *s = json_is_string(st) ? json_string_value(st) : "";
    int state = strcmp(s, "pinned") == 0     ? PLAN_PINNED
                : strcmp(s, "notified") == 0 ? PLAN_NOTIFIED
                                             : -1;
    if (state < 0)
        return err_set(err, MUSTER_EINVAL, "household %s: current.state must be pinned or notified",
                       hid);
    return plan_set_current(in, h, leg, state, err);
}

static int read_household(struct plan_instance *in, json_t *o, size_t i, struct idmap *ids,
                          const struct idmap *legs, struct muster_err *err)
{
    char tmp[32];
    const char *id = json_is_object(o) ? get_id(o, "id", tmp, &in->ids_numeric) : NULL;
    double lat, lon, reach = -1;
    int64_t ready;
    if (!id || get_num(o, "lat", &lat, true) || get_num(o, "lon", &lon, true))
        return err_set(err, MUSTER_EINVAL, "households[%zu]: needs id, lat and lon", i);
    if (get_time(o, "ready", &ready) < 0)
        return err_set(err, MUSTER_EINVAL, "household %s: ready must be ISO-8601", id);
    if (get_num(o, "reach_km", &reach, false) < 0 || (reach < 0 && reach != -1))
        return err_set(err, MUSTER_EINVAL, "household %s: reach_km must be null or >= 0", id);
    if (idmap_get(ids, id) >= 0)
        return err_set(err, MUSTER_EINVAL, "households[%zu]: duplicate id %s", i, id);
    int h = plan_add_household(in, id, lat, lon, ready, reach, err);
    if (h < 0)
        return h;
    idmap_put(ids, in->households[h].id, h);
    int rc = read_members(in, h, json_object_get(o, "members"), id, err);
    if (rc == 0)
        rc = read_current(in, h, json_object_get(o, "current"), legs, err);
    return rc;
}

static int read_all(struct plan_instance *in, json_t *root, struct muster_err *err)
{
    struct idmap points = {0}, legs = {0}, hh = {0};
    int rc = read_settings(in, json_object_get(root, "settings"), err);
    if (rc == 0)
        rc = read_points(in, json_object_get(root, "points"), &points, err);
    json_t *arr = json_object_get(root, "legs"), *v;
    size_t i;
    if (rc == 0 && !json_is_array(arr))
        rc = err_set(err, MUSTER_EINVAL, "legs: an array is required");
    if (rc == 0)
        json_array_foreach(arr, i, v)
        {
            int k = read_leg(in, v, i, &points, err);
            if (k >= 0 && idmap_get(&legs, in->legs[k].id) >= 0)
                k = err_set(err, MUSTER_EINVAL, "legs[%zu]: duplicate id %s", i, in->legs[k].id);
            if (k < 0) {
                rc = k;
                break;
            }
            idmap_put(&legs, in->legs[k].id, k);
        }
    arr = json_object_get(root, "households");
    if (rc == 0 && !json_is_array(arr))
        rc = err_set(err, MUSTER_EINVAL, "households: an array is required");
    if (rc == 0)
        json_array_foreach(arr, i, v)
        {
            rc = read_household(in, v, i, &hh, &legs, err);
            if (rc < 0)
                break;
        }
    idmap_free(&points);
    idmap_free(&legs);
    idmap_free(&hh);
    return rc;
}

int plan_instance_from_json(const char *text, size_t len, struct plan_instance **out,
                            struct muster_err *err)
{
    json_error_t je;
    *out = NULL;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return err_set(err, MUSTER_EINVAL, "instance JSON, line %d: %s", je.line, je.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return err_set(err, MUSTER_EINVAL, "instance JSON: the top level must be an object");
    }
    struct plan_instance *in = plan_instance_new();
    int rc = read_all(in, root, err);
    json_decref(root);
    if (rc < 0) {
        plan_instance_free(in);
        return rc;
    }
    *out = in;
    return 0;
}

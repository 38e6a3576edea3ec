/* instance.c — building a plan_instance in code: points, legs, households,
 * members, nationalities; the eligibility rule and the objective. */
#include "plan/internal.h"

#include "util/geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GROW(arr, n, cap)                                                                          \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 16;                                                          \
            (arr) = realloc((arr), (cap) * sizeof *(arr));                                         \
            if (!(arr))                                                                            \
                abort();                                                                           \
        }                                                                                          \
    } while (0)

struct plan_instance *plan_instance_new(void)
{
    struct plan_instance *in = calloc(1, sizeof *in);
    if (!in)
        abort();
    in->settings.road_kmh = 25;
    in->settings.reach_km = 150;
    in->settings.checkin_minutes = 120;
    in->settings.weights[PLAN_CRITICAL] = 8;
    in->settings.weights[PLAN_VULNERABLE] = 4;
    in->settings.weights[PLAN_STANDARD] = 1;
    in->settings.move_threshold = 0;
    return in;
}

void plan_instance_free(struct plan_instance *in)
{
    if (!in)
        return;
    free(in->points);
    free(in->legs);
    free(in->households);
    free(in->members);
    arena_free(&in->arena);
    free(in);
}

int plan_nationality(struct plan_instance *in, const char *code)
{
    for (int i = 0; i < in->n_nationalities; i++)
        if (strcmp(in->nationality[i], code) == 0)
            return i;
    if (in->n_nationalities == PLAN_MAX_NATIONALITIES)
        return MUSTER_EINVAL;
    in->nationality[in->n_nationalities] = arena_strdup(&in->arena, code);
    return in->n_nationalities++;
}

int plan_add_point(struct plan_instance *in, const char *id, double lat, double lon,
                   struct muster_err *err)
{
    if (!geo_valid(lat, lon))
        return err_set(err, MUSTER_EINVAL, "point %s: bad coordinate", id);
    GROW(in->points, in->n_points, in->cap_points);
    in->points[in->n_points] = (struct plan_point){arena_strdup(&in->arena, id), lat, lon};
    return (int)in->n_points++;
}

int plan_add_leg(struct plan_instance *in, const char *id, int point, int64_t departs, int seats,
                 int stretchers, const char *const *carries, int n_carries, bool cancelled,
                 struct muster_err *err)
{
    if (point < 0 || (size_t)point >= in->n_points)
        return err_set(err, MUSTER_EINVAL, "leg %s: unknown point", id);
    if (seats < 0 || stretchers < 0)
        return err_set(err, MUSTER_EINVAL, "leg %s: negative capacity", id);
    uint64_t mask = 0;
    for (int i = 0; i < n_carries; i++) {
        int k = plan_nationality(in, carries[i]);
        if (k < 0)
            return err_set(err, MUSTER_EINVAL, "leg %s: more than %d nationalities", id,
                           PLAN_MAX_NATIONALITIES);
        mask |= 1ULL << k;
    }
    GROW(in->legs, in->n_legs, in->cap_legs);
    in->legs[in->n_legs] = (struct plan_leg){
        arena_strdup(&in->arena, id), point, departs, seats, stretchers, mask, cancelled};
    return (int)in->n_legs++;
}

int plan_add_household(struct plan_instance *in, const char *id, double lat, double lon,
                       int64_t ready, double reach_km, struct muster_err *err)
{
    if (!geo_valid(lat, lon))
        return err_set(err, MUSTER_EINVAL, "household %s: bad coordinate", id);
    if (isnan(reach_km))
        return err_set(err, MUSTER_EINVAL, "household %s: bad reach_km", id);
    GROW(in->households, in->n_households, in->cap_households);
    in->households[in->n_households] =
        (struct plan_household){arena_strdup(&in->arena, id), lat, lon, ready,    reach_km,
                                (int)in->n_members,           0,   -1,  PLAN_NONE};
    return (int)in->n_households++;
}

int plan_add_member(struct plan_instance *in, int household, const char *id,
                    const char *nationality, int priority, bool stretcher, struct muster_err *err)
{
    if (household < 0 || (size_t)household + 1 != in->n_households)
        return err_set(err, MUSTER_EINVAL, "member %s: add members right after their household",
                       id);
    if (priority < 0 || priority >= PLAN_NPRIORITY)
        return err_set(err, MUSTER_EINVAL, "member %s: unknown priority", id);
    int k = plan_nationality(in, nationality);
    if (k < 0)
        return err_set(err, MUSTER_EINVAL, "member %s: more than %d nationalities", id,
                       PLAN_MAX_NATIONALITIES);
    GROW(in->members, in->n_members, in->cap_members);
    in->members[in->n_members] =
        (struct plan_member){arena_strdup(&in->arena, id), k, priority, stretcher};
    in->households[household].n_members++;
    return (int)in->n_members++;
}

int plan_set_current(struct plan_instance *in, int household, int leg, int state,
                     struct muster_err *err)
{
    if (household < 0 || (size_t)household >= in->n_households)
        return err_set(err, MUSTER_EINVAL, "current: unknown household");
    if (leg < 0 || (size_t)leg >= in->n_legs || (state != PLAN_PINNED && state != PLAN_NOTIFIED))
        return err_set(err, MUSTER_EINVAL, "household %s: bad current leg or state",
                       in->households[household].id);
    in->households[household].current_leg = leg;
    in->households[household].current_state = state;
    return 0;
}

int plan_cancel_leg(struct plan_instance *in, int leg, struct muster_err *err)
{
    if (leg < 0 || (size_t)leg >= in->n_legs)
        return err_set(err, MUSTER_EINVAL, "cancel: unknown leg");
    in->legs[leg].cancelled = true;
    return 0;
}

int plan_find_leg(const struct plan_instance *in, const char *id)
{
    for (size_t i = 0; i < in->n_legs; i++)
        if (strcmp(in->legs[i].id, id) == 0)
            return (int)i;
    return -1;
}

int plan_find_household(const struct plan_instance *in, const char *id)
{
    for (size_t i = 0; i < in->n_households; i++)
        if (strcmp(in->households[i].id, id) == 0)
            return (int)i;
    return -1;
}

double pm_earliest(const struct plan_instance *in, size_t h, size_t point)
{
    const struct plan_household *hh = &in->households[h];
    const struct plan_point *p = &in->points[point];
    double d = geo_km(hh->lat, hh->lon, p->lat, p->lon);
    double reach = hh->reach_km >= 0 ? hh->reach_km : in->settings.reach_km;
    if (d > reach)
        return INFINITY;
    return (double)hh->ready + d / in->settings.road_kmh * 3600.0 +
           in->settings.checkin_minutes * 60.0;
}

static uint64_t household_mask(const struct plan_instance *in, size_t h)
{
    const struct plan_household *hh = &in->households[h];
    uint64_t mask = 0;
    for (int i = 0; i < hh->n_members; i++)
        mask |= 1ULL << in->members[hh->first_member + i].nationality;
    return mask;
}

bool plan_eligible(const struct plan_instance *in, size_t h, size_t l)
{
    const struct plan_leg *leg = &in->legs[l];
    if (leg->cancelled || in->households[h].n_members == 0)
        return false;
    uint64_t mask = household_mask(in, h);
    if ((mask & ~leg->carries) != 0)
        return false;
    return pm_earliest(in, h, (size_t)leg->point) <= (double)leg->departs;
}

long plan_household_weight(const struct plan_instance *in, size_t h)
{
    const struct plan_household *hh = &in->households[h];
    long w = 0;
    for (int i = 0; i < hh->n_members; i++)
        w += in->settings.weights[in->members[hh->first_member + i].priority];
    return w;
}

int plan_household_stretchers(const struct plan_instance *in, size_t h)
{
    const struct plan_household *hh = &in->households[h];
    int n = 0;
    for (int i = 0; i < hh->n_members; i++)
        n += in->members[hh->first_member + i].stretcher;
    return n;
}

int plan_household_seats(const struct plan_instance *in, size_t h)
{
    return in->households[h].n_members - plan_household_stretchers(in, h);
}

void plan_objective(const struct plan_instance *in, const int *leg_of, long long *weighted,
                    double *person_hours, long long *people)
{
    long long w = 0, n = 0;
    double hours = 0;
    for (size_t h = 0; h < in->n_households; h++) {
        int l = leg_of[h];
        if (l < 0)
            continue;
        const struct plan_household *hh = &in->households[h];
        w += plan_household_weight(in, h);
        n += hh->n_members;
        hours += hh->n_members * (double)(in->legs[l].departs - hh->ready) / 3600.0;
    }
    *weighted = w;
    *person_hours = hours;
    if (people)
        *people = n;
}

const char *plan_reason_name(int reason)
{
    static const char *const names[] = {"assigned", "no_members", "nationality", "out_of_reach",
                                        "too_late", "too_large",  "capacity"};
    if (reason < 0 || reason > PLAN_CAPACITY)
        return "unknown";
    return names[reason];
}

/* --- idmap ---------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void idmap_put(struct idmap *m, const char *key, int val)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct idmap big = {calloc(m->cap ? m->cap * 2 : 64, sizeof(char *)), NULL,
                            m->cap ? m->cap * 2 : 64, 0};
        big.val = calloc(big.cap, sizeof(int));
        if (!big.key || !big.val)
            abort();
        for (size_t i = 0; i < m->cap; i++)
            if (m->key[i])
                idmap_put(&big, m->key[i], m->val[i]);
        idmap_free(m);
        *m = big;
    }
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->key[i] && strcmp(m->key[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    if (!m->key[i])
        m->n++;
    m->key[i] = key;
    m->val[i] = val;
}

int idmap_get(const struct idmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->key[i]) {
        if (strcmp(m->key[i], key) == 0)
            return m->val[i];
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

void idmap_free(struct idmap *m)
{
    free(m->key);
    free(m->val);
    *m = (struct idmap){0};
}

/* gen.c — a reproducible planner instance with realistic structure
 * (research/allocation.md §3 and §5.1):
 *
 *   - households in zones on a 400 x 250 km box, zone sizes Zipf-like, each
 *     zone notified at its own time (0-12 h) in waves of +0 / +3 / +6 h;
 *   - family sizes 1..8 (P = .35 .25 .17 .15 .05 .02 .007 .003), a main
 *     nationality per household (JPN/KOR, plus USA above 20 legs), 5 % of
 *     families with a member of another nationality;
 *   - priorities: 3 % critical (a quarter of them on a stretcher), children
 *     and elderly vulnerable, the rest standard; 5 % of households can only
 *     travel 50 km;
 *   - assembly points (every 4th a port), legs of real aircraft and ship
 *     capacities (KC-330 290, KC-767 200, C-2 120, C-130J-30 128, A400M 116,
 *     C-17 336, 777 charter 400; ships 750 and 1 400) spread over 3, 7 or 14
 *     days; 60 % open to every nation, the rest to their own nation only;
 *   - offered seats scaled so that seats = 0.7 x people (scarcity). */
#include "plan/plan.h"

#include "util/rng.h"
#include "util/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define BOX_LAT0 23.5
#define BOX_LON0 119.5
#define BOX_DLAT 2.25 /* ~250 km */
#define BOX_DLON 3.98 /* ~400 km at 24.6 N */

struct craft {
    const char *name;
    int seats, stretchers;
    double share;
};

static const struct craft aircraft[] = {
    {"KC-330", 290, 6, .20},      {"KC-767", 200, 2, .15}, {"C-2", 120, 6, .20},
    {"C-130J-30", 128, 8, .15},   {"A400M", 116, 6, .10},  {"C-17", 336, 12, .10},
    {"777 charter", 400, 0, .10},
};
static const struct craft ships[] = {{"ferry", 750, 20, .6}, {"charter vessel", 1400, 40, .4}};

static const char *const nations[] = {"JPN", "KOR", "USA"};

struct zone {
    double lat, lon;
    int64_t release;
};

static int family_size(struct rng *r)
{
    static const double p[] = {.35, .25, .17, .15, .05, .02, .007, .003};
    return 1 + rng_weighted(r, p, 8);
}

static void make_points(struct plan_instance *in, struct rng *r, int n)
{
    for (int i = 0; i < n; i++) {
        char id[48];
        snprintf(id, sizeof id, "P%02d", i + 1);
        plan_add_point(in, id, BOX_LAT0 + rng_unit(r) * BOX_DLAT, BOX_LON0 + rng_unit(r) * BOX_DLON,
                       NULL);
    }
}

static void make_members(struct plan_instance *in, struct rng *r, int h, size_t hi, int k_nat)
{
    static const double share3[] = {.6, .3, .1}, share2[] = {.7, .3};
    int size = family_size(r);
    int nat = rng_weighted(r, k_nat == 3 ? share3 : share2, k_nat);
    int other = size >= 2 && rng_unit(r) < .05 ? 1 + (int)rng_below(r, (uint64_t)size - 1) : -1;
    for (int k = 0; k < size; k++) {
        char id[48];
        snprintf(id, sizeof id, "H%06zu-%d", hi + 1, k + 1);
        int n = k == other ? (nat + 1 + (int)rng_below(r, (uint64_t)k_nat - 1)) % k_nat : nat;
        double u = rng_unit(r);
        int prio = PLAN_STANDARD;
        bool stretcher = false;
        if (u < .03) {
            prio = PLAN_CRITICAL;
            stretcher = rng_unit(r) < .25;
        } else if ((size >= 2 && k >= 1 && u < .23) || u < .13) {
            prio = PLAN_VULNERABLE; /* a child (families) or an elderly member */
        }
        plan_add_member(in, h, id, nations[n], prio, stretcher, NULL);
    }
}

static size_t make_households(struct plan_instance *in, struct rng *r, size_t n, int k_nat,
                              int64_t t0)
{
    size_t nz = 10 + n / 800, people = 0;
    struct zone *z = calloc(nz, sizeof *z);
    double *w = calloc(nz, sizeof *w);
    if (!z || !w)
        abort();
    for (size_t i = 0; i < nz; i++) {
        z[i].lat = BOX_LAT0 + rng_unit(r) * BOX_DLAT;
        z[i].lon = BOX_LON0 + rng_unit(r) * BOX_DLON;
        z[i].release = t0 + (int64_t)rng_below(r, 25) * 1800;
        w[i] = 1.0 / pow((double)(i + 1), 0.8);
    }
    /* cumulative weights: rng_weighted is linear, too slow for 1000 zones x 1 M */
    for (size_t i = 1; i < nz; i++)
        w[i] += w[i - 1];
    for (size_t i = 0; i < n; i++) {
        double u = rng_unit(r) * w[nz - 1];
        size_t lo = 0, hi = nz - 1;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (w[mid] >= u)
                hi = mid;
            else
                lo = mid + 1;
        }
        const struct zone *zz = &z[lo];
        double wave = rng_unit(r), lat = zz->lat + rng_normal(r) * 0.036,
               lon = zz->lon + rng_normal(r) * 0.04;
        lat = fmin(fmax(lat, -89), 89);
        int64_t ready = zz->release + (wave < .6 ? 0 : wave < .9 ? 3 : 6) * 3600;
        char id[48];
        snprintf(id, sizeof id, "H%06zu", i + 1);
        int h = plan_add_household(in, id, lat, lon, ready, rng_unit(r) < .05 ? 50 : -1, NULL);
        make_members(in, r, h, i, k_nat);
        people += (size_t)in->households[h].n_members;
    }
    free(z);
    free(w);
    return people;
}

static void make_legs(struct plan_instance *in, struct rng *r, const struct plan_gen_options *o,
                      int k_nat, int64_t t0, size_t people)
{
    size_t n = o->legs;
    int horizon = o->horizon_hours ? o->horizon_hours : n <= 20 ? 72 : n <= 1000 ? 168 : 336;
    double open = o->open_share > 0 ? o->open_share : 0.6;
    double ratio = o->seat_ratio > 0 ? o->seat_ratio : 0.7;
    int *craft = calloc(n + 1, sizeof *craft), *point = calloc(n + 1, sizeof *point);
    if (!craft || !point)
        abort();
    double raw = 0, aw[7], sw[2];
    for (int i = 0; i < 7; i++)
        aw[i] = aircraft[i].share;
    for (int i = 0; i < 2; i++)
        sw[i] = ships[i].share;
    for (size_t i = 0; i < n; i++) {
        point[i] = (int)rng_below(r, in->n_points);
        bool port = point[i] % 4 == 3;
        craft[i] = port ? 100 + rng_weighted(r, sw, 2) : rng_weighted(r, aw, 7);
        raw += port ? ships[craft[i] - 100].seats : aircraft[craft[i]].seats;
    }
    double f = raw > 0 ? ratio * (double)people / raw : 1;
    for (size_t i = 0; i < n; i++) {
        const struct craft *c = craft[i] >= 100 ? &ships[craft[i] - 100] : &aircraft[craft[i]];
        int64_t dep = t0 + 6 * 3600 + (int64_t)rng_below(r, (uint64_t)(horizon - 6) * 4) * 900;
        const char *carries[3];
        int nc = 0;
        if (rng_unit(r) < open) {
            for (int k = 0; k < k_nat; k++)
                carries[nc++] = nations[k];
        } else {
            static const double owner3[] = {.45, .4, .15}, owner2[] = {.5, .5};
            carries[nc++] = nations[rng_weighted(r, k_nat == 3 ? owner3 : owner2, k_nat)];
        }
        char id[48];
        snprintf(id, sizeof id, "L%05zu", i + 1);
        int seats = (int)lround(c->seats * f), str = (int)lround(c->stretchers * f);
        plan_add_leg(in, id, point[i], dep, seats > 0 ? seats : 1, str, carries, nc, false, NULL);
    }
    free(craft);
    free(point);
}

struct plan_instance *plan_generate(const struct plan_gen_options *o)
{
    struct plan_instance *in = plan_instance_new();
    struct rng r;
    rng_seed(&r, o->seed);
    int k_nat = o->legs <= 20 ? 2 : 3;
    int points = o->points > 0 ? o->points : 3 + (int)lround(sqrt((double)o->legs) / 2.5);
    int64_t t0 = time_days_from_civil(2026, 12, 1) * 86400;
    for (int k = 0; k < k_nat; k++)
        plan_nationality(in, nations[k]);
    make_points(in, &r, points);
    size_t people = make_households(in, &r, o->households, k_nat, t0);
    make_legs(in, &r, o, k_nat, t0, people);
    return in;
}

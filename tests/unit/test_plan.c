/* test_plan.c — the allocation engine: every constraint, priorities and the
 * lexicographic objective, pinned / notified / cancelled, infeasible inputs,
 * the bound against brute force, the exact mode, the checker. Small
 * instances only (the big runs live in bench/bench_plan.sh). */
#include "plan/internal.h"
#include "plan/plan.h"
#include "util/rng.h"
#include "util/timeutil.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define HOUR 3600
static int64_t t0(void)
{
    return time_days_from_civil(2026, 12, 1) * 86400;
}

/* Point P at (35.0, 139.0); legs depart t0 + hours. */
static struct plan_instance *base(void)
{
    struct plan_instance *in = plan_instance_new();
    assert_int_equal(plan_add_point(in, "P", 35.0, 139.0, NULL), 0);
    return in;
}

static int leg(struct plan_instance *in, const char *id, int hours, int seats, int str,
               const char *carries)
{
    const char *codes[4];
    int n = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", carries);
    for (char *tok = strtok(buf, ","); tok && n < 4; tok = strtok(NULL, ","))
        codes[n++] = tok;
    /* strtok's pointers die with buf: plan_add_leg copies them right away */
    return plan_add_leg(in, id, 0, t0() + hours * HOUR, seats, str, codes, n, false, NULL);
}

/* A household at distance ~km north of P, ready at t0, with members given as
 * "JPN:s,KOR:c*" (priority s/v/c, * = stretcher). */
static int household(struct plan_instance *in, const char *id, double km, const char *members)
{
    int h = plan_add_household(in, id, 35.0 + km / 111.19, 139.0, t0(), -1, NULL);
    assert_true(h >= 0);
    char buf[128];
    snprintf(buf, sizeof buf, "%s", members);
    int k = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char nat[4] = {tok[0], tok[1], tok[2], 0}, mid[48];
        int prio = tok[4] == 'c' ? PLAN_CRITICAL : tok[4] == 'v' ? PLAN_VULNERABLE : PLAN_STANDARD;
        snprintf(mid, sizeof mid, "%s-%d", id, ++k);
        assert_true(plan_add_member(in, h, mid, nat, prio, tok[5] == '*', NULL) >= 0);
    }
    return h;
}

static void solve(const struct plan_instance *in, bool exact, struct plan_result *r)
{
    struct plan_options o = PLAN_OPTIONS_DEFAULT;
    o.exact = exact;
    o.time_limit = 20;
    struct muster_err err = {0};
    assert_int_equal(plan_solve(in, &o, r, &err), 0);
}

/* The plan as output JSON must pass the independent checker. */
static void assert_checks(const struct plan_instance *in, const struct plan_result *r)
{
    struct buf out = {0}, report = {0};
    plan_result_to_json(in, r, &out);
    struct muster_err err = {0};
    int v = plan_check(in, out.data, out.len, &report, &err);
    if (v != 0)
        fprintf(stderr, "%s\n%s\n", err.msg, buf_str(&report));
    assert_int_equal(v, 0);
    buf_free(&out);
    buf_free(&report);
}

static void test_nationality(void **state)
{
    struct plan_instance *in = base();
    leg(in, "KOR-only", 10, 100, 0, "KOR");
    household(in, "jp", 1, "JPN:s");
    household(in, "kr", 1, "KOR:s");
    household(in, "mixed", 1, "KOR:s,JPN:s");
    struct plan_result r;
    solve(in, false, &r);
    assert_int_equal(r.leg_of[0], -1);
    assert_string_equal(plan_reason_name(r.reason[0]), "nationality");
    assert_int_equal(r.leg_of[1], 0);
    assert_int_equal(r.leg_of[2], -1); /* every member's nationality must be carried */
    assert_checks(in, &r);
    plan_result_free(&r);
    plan_instance_free(in);
}

static void test_reach(void **state)
{
    struct plan_instance *in = base();
    leg(in, "L", 100, 100, 0, "JPN");
    household(in, "near", 100, "JPN:s");
    household(in, "far", 200, "JPN:s");
    int own = household(in, "own-car", 200, "JPN:s");
    in->households[own].reach_km = 250;
    int walk = household(in, "on-foot", 20, "JPN:s");
    in->households[walk].reach_km = 10;
    struct plan_result r;
    solve(in, false, &r);
    assert_int_equal(r.leg_of[0], 0);
    assert_int_equal(r.leg_of[1], -1);
    assert_string_equal(plan_reason_name(r.reason[1]), "out_of_reach");
    assert_int_equal(r.leg_of[2], 0);
    assert_int_equal(r.leg_of[3], -1);
    plan_result_free(&r);
    plan_instance_free(in);
}

static void test_time_window(void **state)
{
    struct plan_instance *in = base();
    in->settings.road_kmh = 50;
    in->settings.checkin_minutes = 60;
    /* 100 km at 50 km/h = 2 h, + 1 h check-in: legs at t0+3h are the first reachable */
    leg(in, "early", 2, 100, 0, "JPN");
    leg(in, "exact", 3, 100, 0, "JPN");
    household(in, "h", 99.9, "JPN:s");
    household(in, "late", 140, "JPN:s");
    struct plan_result r;
    solve(in, false, &r);
    assert_int_equal(r.leg_of[0], 1);
    assert_false(plan_eligible(in, 0, 0));
    assert_true(plan_eligible(in, 0, 1));
    assert_int_equal(r.leg_of[1], -1);
    assert_string_equal(plan_reason_name(r.reason[1]), "too_late");
    plan_result_free(&r);
    plan_instance_free(in);
}

static void test_seats_and_priority(void **state)
{
    struct plan_instance *in = base();
    leg(in, "L", 10, 5, 0, "JPN");
    household(in, "std", 1, "JPN:s,JPN:s,JPN:s");
    household(in, "crit", 1, "JPN:c,JPN:s,JPN:s");
    household(in, "pair", 1, "JPN:s,JPN:s");
    struct plan_result r;
    solve(in, false, &r);
    assert_int_equal(r.leg_of[1], 0); /* the critical case goes first */
    assert_int_equal(r.leg_of[2], 0); /* and the pair fills the leg */
    assert_int_equal(r.leg_of[0], -1);
    assert_string_equal(plan_reason_name(r.reason[0]), "capacity");
    assert_int_equal(r.weighted_people, 10 + 2);
    assert_int_equal(r.people, 5);
    assert_true(r.bound >= r.weighted_people);
    assert_checks(in, &r);
    plan_result_free(&r);
    plan_instance_free(in);
}

static void test_stretchers(void **state)
{
    struct plan_instance *in = base();
    leg(in, "no-slots", 5, 50, 0, "JPN");
    leg(in, "slots", 10, 2, 1, "JPN");
    household(in, "h", 1, "JPN:c*,JPN:s,JPN:s"); /* 2 seats + 1 stretcher */
    household(in, "h2", 1, "JPN:c*");
    struct plan_result r;
    solve(in, false, &r);
    assert_int_equal(r.leg_of[0], 1);
    assert_int_equal(plan_household_seats(in, 0), 2);
    assert_int_equal(plan_household_stretchers(in, 0), 1);
    assert_int_equal(r.leg_of[1], -1); /* the only stretcher slot is taken */
    assert_checks(in, &r);
    plan_result_free(&r);
    plan_instance_free(in);
}

static void test_infeasible_inputs(void **state)
{
    struct plan_instance *in = base();
    leg(in, "small", 10, 3, 0, "JPN");
    household(in, "big", 1, "JPN:s,JPN:s,JPN:s,JPN:s");
    household(in, "stretcher", 1, "JPN:c*");
    plan_add_household(in, "empty", 35, 139, t0(), -1, NULL);
    household(in, "nobody-carries", 1, "USA:s");
    struct plan_result r;
    solve(in, false, &r);
    for (int h = 0; h < 4; h++)
        assert_int_equal(r.leg_of[h], -1);
    assert_string_equal(plan_reason_name(r.reason[0]), "too_large");
    assert_string_equal(plan_reason_name(r.reason[1]), "too_large");
    assert_string_equal(plan_reason_name(r.reason[2]), "no_members");
    assert_string_equal(plan_reason_name(r.reason[3]), "nationality");
    assert_int_equal(r.weighted_people, 0);
    assert_true(r.gap == 0);
    plan_result_free(&r);
    plan_instance_free(in);
    /* no legs at all, and an empty instance */
    in = base();
    household(in, "h", 1, "JPN:s");
    solve(in, true, &r);
    assert_int_equal(r.leg_of[0], -1);
    plan_result_free(&r);
    plan_instance_free(in);
    in = plan_instance_new();
    solve(in, false, &r);
    assert_int_equal(r.n_households, 0);
    plan_result_free(&r);
    plan_instance_free(in);
}

static void test_cancelled_leg(void **state)
{
    struct plan_instance *in = base();
    leg(in, "A", 10, 10, 0, "JPN");
    leg(in, "B", 20, 10, 0, "JPN");
    household(in, "h", 1, "JPN:s");
    assert_int_equal(plan_cancel_leg(in, 0, NULL), 0);
    struct plan_result r;
    solve(in, false, &r);
    assert_int_equal(r.leg_of[0], 1);
    assert_false(plan_eligible(in, 0, 0));
    plan_result_free(&r);
    plan_instance_free(in);
}

static void test_lexicographic_hours(void **state)
{
    struct plan_instance *in = base();
    leg(in, "late", 30, 10, 0, "JPN");
    leg(in, "early", 10, 3, 0, "JPN");
    household(in, "trio", 1, "JPN:s,JPN:s,JPN:s");
    household(in, "solo", 1, "JPN:s");
    struct plan_result f, e;
    solve(in, false, &f);
    solve(in, true, &e);
    /* same weighted people; the trio on the early leg saves the most hours */
    assert_int_equal(f.weighted_people, 4);
    assert_int_equal(f.leg_of[0], 1);
    assert_int_equal(e.leg_of[0], 1);
    assert_true(fabs(f.person_hours - (3 * 10.0 + 30.0)) < 1e-6);
    assert_true(fabs(e.person_hours - f.person_hours) < 1e-6);
    assert_true(e.proved_optimal);
    plan_result_free(&f);
    plan_result_free(&e);
    plan_instance_free(in);
}

/* The same weight for fewer hours: two pairs ready five hours later take
 * the seats of a family of four ready at t0 (hours 2*2*5 against 4*10).
 * refill_legs finds it from the greedy plan, and so does the fast mode. */
static void test_hours_later_ready(void **state)
{
    struct plan_instance *in = base();
    leg(in, "only", 10, 4, 0, "JPN");
    household(in, "four", 1, "JPN:s,JPN:s,JPN:s,JPN:s");
    household(in, "pair1", 1, "JPN:s,JPN:s");
    household(in, "pair2", 1, "JPN:s,JPN:s");
    in->households[1].ready += 5 * HOUR;
    in->households[2].ready += 5 * HOUR;
    struct pm_model m;
    struct muster_err err = {0};
    assert_int_equal(pm_build(&m, in, &err), 0);
    struct pm_sol s = {0};
    sol_init(&s, &m);
    sol_put(&s, &m, 0, 0);
    assert_true(refill_legs(&m, &s, NULL, 1000000) > 0);
    assert_int_equal(s.leg_of[0], -1);
    assert_int_equal(s.leg_of[1], 0);
    assert_int_equal(s.leg_of[2], 0);
    assert_int_equal(s.weighted, 4);
    sol_free(&s);
    pm_free(&m);
    struct plan_result f;
    solve(in, false, &f);
    assert_int_equal(f.weighted_people, 4);
    assert_true(fabs(f.person_hours - 20.0) < 1e-6);
    assert_checks(in, &f);
    plan_result_free(&f);
    plan_instance_free(in);
}

static void test_pinned(void **state)
{
    struct plan_instance *in = base();
    leg(in, "A", 10, 2, 0, "JPN");
    leg(in, "B", 20, 2, 0, "JPN");
    int lo = household(in, "low", 1, "JPN:s,JPN:s");
    household(in, "high", 1, "JPN:c,JPN:c");
    household(in, "mid", 1, "JPN:v,JPN:v");
    plan_set_current(in, lo, 0, PLAN_PINNED, NULL);
    struct plan_result r;
    solve(in, false, &r);
    assert_int_equal(r.leg_of[0], 0); /* pinned: kept although others weigh more */
    assert_int_equal(r.leg_of[1], 1);
    assert_int_equal(r.leg_of[2], -1);
    assert_int_equal(r.n_moved, 0);
    assert_checks(in, &r);
    plan_result_free(&r);
    /* the pinned leg is cancelled: the household is re-planned and listed */
    plan_cancel_leg(in, 0, NULL);
    solve(in, false, &r);
    assert_int_equal(r.leg_of[1], 1);
    assert_int_equal(r.n_moved, 1);
    assert_int_equal(r.moved[0].household, 0);
    assert_string_equal(r.moved[0].reason, "leg cancelled");
    assert_int_equal(r.moved[0].to_leg, -1);
    assert_checks(in, &r);
    plan_result_free(&r);
    plan_instance_free(in);
}

static void test_notified_threshold(void **state)
{
    struct plan_instance *in = base();
    leg(in, "A", 10, 2, 0, "JPN");
    int lo = household(in, "low", 1, "JPN:s,JPN:s");
    household(in, "high", 1, "JPN:c,JPN:c");
    plan_set_current(in, lo, 0, PLAN_NOTIFIED, NULL);
    in->settings.move_threshold = 100; /* gaining 14 is not enough */
    struct plan_result r;
    solve(in, false, &r);
    assert_int_equal(r.leg_of[0], 0);
    assert_int_equal(r.leg_of[1], -1);
    assert_int_equal(r.n_moved, 0);
    assert_true(r.bound >= 16);
    plan_result_free(&r);
    in->settings.move_threshold = 10; /* now it is */
    solve(in, false, &r);
    assert_int_equal(r.leg_of[0], -1);
    assert_int_equal(r.leg_of[1], 0);
    assert_int_equal(r.n_moved, 1);
    assert_int_equal(r.moved[0].from_leg, 0);
    assert_int_equal(r.moved[0].to_leg, -1);
    assert_checks(in, &r);
    plan_result_free(&r);
    plan_instance_free(in);
}

/* --- brute force on tiny random instances ------------------------------------ */

struct brute {
    const struct plan_instance *in;
    int *cur, *best, *seats, *str;
    long long best_w;
    double best_h;
};

static void brute_rec(struct brute *b, size_t h)
{
    const struct plan_instance *in = b->in;
    if (h == in->n_households) {
        long long w;
        double hours;
        plan_objective(in, b->cur, &w, &hours, NULL);
        if (w > b->best_w || (w == b->best_w && hours < b->best_h - 1e-9)) {
            b->best_w = w;
            b->best_h = hours;
            memcpy(b->best, b->cur, in->n_households * sizeof(int));
        }
        return;
    }
    b->cur[h] = -1;
    brute_rec(b, h + 1);
    int s = plan_household_seats(in, h), t = plan_household_stretchers(in, h);
    for (size_t l = 0; l < in->n_legs; l++) {
        if (!plan_eligible(in, h, l) || b->seats[l] < s || b->str[l] < t)
            continue;
        b->seats[l] -= s, b->str[l] -= t, b->cur[h] = (int)l;
        brute_rec(b, h + 1);
        b->seats[l] += s, b->str[l] += t, b->cur[h] = -1;
    }
}

static struct plan_instance *tiny(uint64_t seed)
{
    struct rng r;
    rng_seed(&r, seed);
    struct plan_instance *in = base();
    plan_add_point(in, "Q", 35.5, 139.5, NULL);
    int nl = 2 + (int)rng_below(&r, 2);
    for (int l = 0; l < nl; l++) {
        char id[24];
        snprintf(id, sizeof id, "L%d", l);
        const char *all[] = {"JPN", "KOR"}, *one[] = {rng_below(&r, 2) ? "JPN" : "KOR"};
        bool open = rng_unit(&r) < 0.6;
        plan_add_leg(in, id, (int)rng_below(&r, 2), t0() + (int64_t)(4 + rng_below(&r, 20)) * HOUR,
                     2 + (int)rng_below(&r, 5), (int)rng_below(&r, 2), open ? all : one,
                     open ? 2 : 1, false, NULL);
    }
    int nh = 5 + (int)rng_below(&r, 3);
    for (int h = 0; h < nh; h++) {
        char id[24];
        snprintf(id, sizeof id, "H%d", h);
        int k = plan_add_household(in, id, 35.0 + rng_unit(&r) * 0.8, 139.0 + rng_unit(&r) * 0.8,
                                   t0() + (int64_t)rng_below(&r, 6) * HOUR, -1, NULL);
        int size = 1 + (int)rng_below(&r, 3);
        const char *nat = rng_below(&r, 3) ? "JPN" : "KOR";
        for (int m = 0; m < size; m++) {
            char mid[40];
            snprintf(mid, sizeof mid, "H%d-%d", h, m);
            int p = (int)rng_below(&r, 3);
            plan_add_member(in, k, mid, nat, p, p == PLAN_CRITICAL && rng_below(&r, 2), NULL);
        }
    }
    return in;
}

static void test_brute_force(void **state)
{
    int fast_equal = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct plan_instance *in = tiny(seed);
        size_t nh = in->n_households, nl = in->n_legs;
        struct brute b = {in,
                          calloc(nh, sizeof(int)),
                          calloc(nh, sizeof(int)),
                          calloc(nl, sizeof(int)),
                          calloc(nl, sizeof(int)),
                          -1,
                          0};
        for (size_t l = 0; l < nl; l++)
            b.seats[l] = in->legs[l].seats, b.str[l] = in->legs[l].stretchers;
        brute_rec(&b, 0);
        struct plan_result f, e;
        solve(in, false, &f);
        solve(in, true, &e);
        assert_true(f.bound + 1e-9 >= (double)b.best_w); /* a true upper bound */
        assert_true(f.weighted_people <= b.best_w);
        assert_int_equal(e.weighted_people, b.best_w); /* the exact mode is exact */
        assert_true(fabs(e.person_hours - b.best_h) < 1e-6);
        assert_true(e.proved_optimal);
        fast_equal += f.weighted_people == b.best_w;
        assert_checks(in, &f);
        assert_checks(in, &e);
        plan_result_free(&f);
        plan_result_free(&e);
        free(b.cur), free(b.best), free(b.seats), free(b.str);
        plan_instance_free(in);
    }
    assert_true(fast_equal >= 38);
}

static void test_generated_small(void **state)
{
    for (uint64_t seed = 1; seed <= 3; seed++) {
        struct plan_gen_options go = {120, 6, seed, 0, 0, 0, 0};
        struct plan_instance *in = plan_generate(&go);
        assert_int_equal(in->n_households, 120);
        assert_int_equal(in->n_legs, 6);
        struct plan_result f;
        solve(in, false, &f);
        assert_true(f.bound >= f.weighted_people);
        assert_true(f.gap < 0.02);
        assert_true(f.weighted_people > 0);
        assert_checks(in, &f);
        plan_result_free(&f);
        plan_instance_free(in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nationality),
        cmocka_unit_test(test_reach),
        cmocka_unit_test(test_time_window),
        cmocka_unit_test(test_seats_and_priority),
        cmocka_unit_test(test_stretchers),
        cmocka_unit_test(test_infeasible_inputs),
        cmocka_unit_test(test_cancelled_leg),
        cmocka_unit_test(test_lexicographic_hours),
        cmocka_unit_test(test_pinned),
        cmocka_unit_test(test_notified_threshold),
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_generated_small),
        cmocka_unit_test(test_hours_later_ready),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

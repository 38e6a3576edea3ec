/* test_planning.c — recording a plan (core/planning.c) on a real node
 * (SQLite, or PostgreSQL with MUSTER_TEST_DB_URI, tests/run-pg): two plans built from the same
 * state, as two servers (or two jobs) would, may not overfill a leg when the second is recorded
 * after the first; people already aboard a leg keep their seats from the next plan. */
#include "core/events.h"
#include "core/node.h"
#include "core/planning.h"
#include "core/registry.h"
#include "core/scenario.h"
#include "util/timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_db.h"

struct fixture {
    char dir[64], db[512];
    struct node *n;
    char operation[33];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_node_fresh(f->dir, sizeof f->dir, f->db, sizeof f->db, &f->n);
    struct muster_err err;
    /* more people than seats: every leg ends up nearly full */
    struct scn_options o = {.seed = 3, .people = 3000, .start = (time_now() / 86400 + 1) * 86400};
    struct scn_result res;
    assert_int_equal(scn_generate(f->n, &o, &res, &err), 0);
    assert_true(res.people > res.seats);
    snprintf(f->operation, sizeof f->operation, "%s", res.operation);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    node_close(f->n);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static int record(struct node *n, struct planning *pl, const struct plan_result *res,
                  struct planning_summary *sum, struct muster_err *err)
{
    int rc = ev_begin(n, err);
    if (!rc)
        rc = planning_record(n, "test", pl, res, sum, err);
    if (rc) {
        ev_rollback(n);
        return rc;
    }
    return ev_commit(n, err);
}

static void test_second_plan_cannot_overfill(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    struct planning a, b;
    struct plan_result ra = {0}, rb = {0};
    struct plan_options o = PLAN_OPTIONS_DEFAULT;
    int64_t now = time_now();
    assert_int_equal(planning_build(f->n->st, f->operation, now, &a, &err), 0);
    assert_int_equal(planning_build(f->n->st, f->operation, now, &b, &err), 0);
    assert_int_equal(plan_solve(a.in, &o, &ra, &err), 0);
    assert_int_equal(plan_solve(b.in, &o, &rb, &err), 0);
    assert_int_equal(a.in->n_households, b.in->n_households);

    struct planning_summary sum;
    assert_int_equal(record(f->n, &a, &ra, &sum, &err), 0);
    assert_true(sum.allocated > 0);

    /* plan b puts every household plan a left out onto one leg: those
     * households did not change since b was built, so only the seat check
     * under the writer's lock can catch it */
    int target = -1;
    int64_t load = 0, spare = 0;
    for (size_t li = 0; li < b.in->n_legs && target < 0; li++) {
        int64_t s, t, add = 0;
        assert_int_equal(f->n->st->ops->leg_load(f->n->st, b.in->legs[li].id, &s, &t, &err), 0);
        for (size_t h = 0; h < b.in->n_households; h++)
            if (ra.leg_of[h] < 0)
                add += plan_household_seats(b.in, h);
        if (s + add > b.in->legs[li].seats) {
            target = (int)li;
            load = s;
            spare = b.in->legs[li].seats - s;
        }
    }
    assert_true(target >= 0);
    for (size_t h = 0; h < b.in->n_households; h++)
        rb.leg_of[h] = ra.leg_of[h] < 0 ? target : ra.leg_of[h];
    int64_t events = f->n->st->ops->event_count(f->n->st);
    assert_int_equal(record(f->n, &b, &rb, &sum, &err), MUSTER_ECONFLICT);
    assert_non_null(strstr(err.msg, "plan again"));
    /* rolled back: the leg holds what plan a gave it, no event was added */
    int64_t s, t;
    assert_int_equal(f->n->st->ops->leg_load(f->n->st, b.in->legs[target].id, &s, &t, &err), 0);
    assert_int_equal(s, load);
    assert_true(spare >= 0);
    assert_int_equal(f->n->st->ops->event_count(f->n->st), events);

    plan_result_free(&ra);
    plan_result_free(&rb);
    planning_free(&a);
    planning_free(&b);
}

/* Boards everyone a plan put on leg: checked in, then boarded. */
static int board_leg(struct node *n, const char *operation, const char *leg, struct muster_err *err)
{
    struct arena a = {0};
    struct store_person *ps;
    size_t np = 0;
    struct store_person_query q = {.operation = operation, .limit = 100000};
    int rc = n->st->ops->person_find(n->st, &q, &ps, &np, &a, err), boarded = 0;
    bool begun = false;
    if (!rc)
        rc = ev_begin(n, err);
    begun = rc == 0;
    for (size_t i = 0; i < np && !rc; i++) {
        if (!ps[i].leg || strcmp(ps[i].leg, leg) != 0 || strcmp(ps[i].status, "allocated") != 0)
            continue;
        rc = reg_set_status(n, "test", ps[i].id, "checked_in", NULL, NULL, err);
        if (!rc)
            rc = reg_set_status(n, "test", ps[i].id, "boarded", NULL, NULL, err);
        boarded++;
    }
    if (!rc)
        rc = ev_commit(n, err);
    else if (begun)
        ev_rollback(n);
    arena_free(&a);
    return rc ? rc : boarded;
}

static void test_aboard_keep_their_seats(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    struct planning a, c;
    struct plan_result ra = {0}, rc = {0};
    struct plan_options o = PLAN_OPTIONS_DEFAULT;
    int64_t now = time_now();
    assert_int_equal(planning_build(f->n->st, f->operation, now, &a, &err), 0);
    assert_int_equal(plan_solve(a.in, &o, &ra, &err), 0);
    struct planning_summary sum;
    assert_int_equal(record(f->n, &a, &ra, &sum, &err), 0);
    /* the fullest leg boards: its people leave the planner's hands */
    size_t full = 0;
    int64_t most = -1;
    for (size_t li = 0; li < a.in->n_legs; li++) {
        int64_t s, t;
        assert_int_equal(f->n->st->ops->leg_load(f->n->st, a.in->legs[li].id, &s, &t, &err), 0);
        if (s > most) {
            most = s;
            full = li;
        }
    }
    assert_true(most > 0);
    int boarded = board_leg(f->n, f->operation, a.in->legs[full].id, &err);
    if (boarded <= 0)
        print_message("board_leg: %d %s\n", boarded, err.msg);
    assert_true(boarded > 0);
    /* a new plan (more people than seats wait) must not give those seats
     * again: recording it succeeds and no leg is over its seats */
    assert_int_equal(planning_build(f->n->st, f->operation, now, &c, &err), 0);
    assert_int_equal(plan_solve(c.in, &o, &rc, &err), 0);
    assert_int_equal(record(f->n, &c, &rc, &sum, &err), 0);
    for (size_t li = 0; li < c.in->n_legs; li++) {
        struct store_leg l;
        struct arena ar = {0};
        int64_t s, t;
        assert_int_equal(f->n->st->ops->leg_get(f->n->st, c.in->legs[li].id, &l, &ar, &err), 0);
        assert_int_equal(f->n->st->ops->leg_load(f->n->st, l.id, &s, &t, &err), 0);
        assert_true(s <= l.seats);
        assert_true(t <= l.stretchers);
        arena_free(&ar);
    }
    plan_result_free(&ra);
    plan_result_free(&rc);
    planning_free(&a);
    planning_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_second_plan_cannot_overfill, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aboard_keep_their_seats, setup, teardown),
    };
    return cmocka_run_group_tests_name("planning", tests, NULL, NULL);
}

/* test_planning.c — recording a plan (core/planning.c) on a real node
 * (SQLite, or PostgreSQL with MUSTER_TEST_DB_URI, tests/run-pg): two plans built from the same
 * state, as two servers (or two jobs) would, may not overfill a leg when the second is recorded
 * after the first. */
#include "core/events.h"
#include "core/node.h"
#include "core/planning.h"
#include "core/scenario.h"
#include "util/timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

struct fixture {
    char dir[64], db[512];
    struct node *n;
    char operation[33];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/muster-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    /* MUSTER_TEST_DB_URI (a postgres://.../ prefix, tests/run-pg): a new
     * database on that server, its key file in the folder */
    const char *uri = getenv("MUSTER_TEST_DB_URI");
    if (uri && *uri) {
        snprintf(f->db, sizeof f->db, "%sn_%s", uri, strrchr(f->dir, '-') + 1);
        setenv("MUSTER_KEY_DIR", f->dir, 1);
    } else {
        snprintf(f->db, sizeof f->db, "%s/n.db", f->dir);
    }
    struct muster_err err;
    assert_int_equal(node_init(f->db, "KOR", &err), 0);
    assert_int_equal(node_open(f->db, &f->n, &err), 0);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_second_plan_cannot_overfill, setup, teardown),
    };
    return cmocka_run_group_tests_name("planning", tests, NULL, NULL);
}

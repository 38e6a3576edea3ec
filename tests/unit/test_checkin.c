/* test_checkin.c — the check-in desk's decision and its write
 * (core/checkin.c) on a real node (SQLite, or PostgreSQL with
 * MUSTER_TEST_DB_URI): a new passport finds its holder
 * by name and birth date in their MRZ form (case, hyphens, a name the MRZ
 * cut), several matches are ambiguous, and the write re-checks the decision
 * so that a plan recorded between the look-up and the write is not undone. */
#include "core/checkin.h"
#include "core/events.h"
#include "core/node.h"
#include "core/registry.h"
#include "core/scenario.h"
#include "util/timeutil.h"

#include <math.h>
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
    struct store_leg legs[2];
    struct arena a;
};

static const struct principal admin = {.user = "t", .nation = "KOR", .role = ROLE_ADMIN};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_node_fresh(f->dir, sizeof f->dir, f->db, sizeof f->db, &f->n);
    struct muster_err err;
    struct scn_options o = {.seed = 5, .people = 600, .start = (time_now() / 86400 + 1) * 86400};
    struct scn_result res;
    assert_int_equal(scn_generate(f->n, &o, &res, &err), 0);
    snprintf(f->operation, sizeof f->operation, "%s", res.operation);
    struct store_leg *legs;
    size_t n;
    assert_int_equal(f->n->st->ops->leg_list(f->n->st, f->operation, &legs, &n, &f->a, &err), 0);
    assert_true(n >= 2);
    f->legs[0] = legs[0];
    f->legs[1] = legs[1];
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    node_close(f->n);
    arena_free(&f->a);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* Registers one KOR person; returns their id (in the fixture's arena). */
static const char *enrol(struct fixture *f, const char *surname, const char *given,
                         const char *birth, const char *doc)
{
    struct reg_person p = {.nationality = "KOR",
                           .surname = surname,
                           .given_names = given,
                           .sex = "M",
                           .birth_date = birth,
                           .doc_type = "P",
                           .doc_number = doc,
                           .doc_state = "KOR",
                           .doc_expiry = "2035-01-01",
                           .lat = NAN,
                           .lon = NAN,
                           .consent = true};
    struct muster_err err;
    char hh[33];
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_register_household(f->n, "t", "KOR", f->operation, &p, 1, hh, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    struct store_person_query q = {.household = hh, .limit = 1};
    struct store_person *ps;
    size_t n;
    assert_int_equal(f->n->st->ops->person_find(f->n->st, &q, &ps, &n, &f->a, &err), 0);
    assert_int_equal(n, 1);
    return ps[0].id;
}

static void set_status(struct fixture *f, const char *id, const char *to, const char *leg)
{
    struct muster_err err;
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_set_status(f->n, "t", id, to, leg, NULL, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
}

/* The MRZ (TD3) of a passport with these fields. */
static void passport(const char *surname, const char *given, const char *birth, const char *doc,
                     char out[MRZ_TEXT_MAX])
{
    struct mrz_person p = {.issuing_state = "KOR",
                           .surname = surname,
                           .given_names = given,
                           .document_number = doc,
                           .nationality = "KOR",
                           .birth_date = birth,
                           .sex = 'M',
                           .expiry_date = "2034-01-01"};
    struct muster_err err;
    assert_int_equal(mrz_make(&p, MRZ_TD3, out, MRZ_TEXT_MAX, NULL, &err), 0);
}

static void decide(struct fixture *f, const char *mrz, const char *doc, struct checkin_result *r)
{
    struct muster_err err;
    assert_int_equal(
        checkin_decide(f->n->st, &admin, f->operation, NULL, mrz, doc, time_now(), &f->a, r, &err),
        0);
}

static void test_new_passport_by_name(void **state)
{
    struct fixture *f = *state;
    const char *kim = enrol(f, "Kim", "Min-jun", "1985-03-14", "M10000001");
    enrol(f, "KIM", "MIN SEO", "1985-03-14", "M10000002");
    const char *long_name = enrol(f, "VANDERBERGHE-OSTROWSKI", "ALEXANDRA MAGDALENA VICTORIA",
                                  "1979-11-02", "M10000003");
    char mrz[MRZ_TEXT_MAX];
    struct checkin_result r;
    passport("KIM", "MIN JUN", "1985-03-14", "R1", mrz);
    decide(f, mrz, NULL, &r);
    assert_int_not_equal(r.outcome, CHECKIN_NOT_FOUND);
    assert_string_equal(r.person.id, kim);
    /* the MRZ holds the name shortened to its 39 characters */
    passport("VANDERBERGHE-OSTROWSKI", "ALEXANDRA MAGDALENA VICTORIA", "1979-11-02", "R2", mrz);
    decide(f, mrz, NULL, &r);
    assert_true(r.doc.name_truncated);
    assert_int_not_equal(r.outcome, CHECKIN_NOT_FOUND);
    assert_string_equal(r.person.id, long_name);
    /* the right name on another birth date, another given name: nobody */
    passport("KIM", "MIN JUN", "1985-03-15", "R3", mrz);
    decide(f, mrz, NULL, &r);
    assert_int_equal(r.outcome, CHECKIN_NOT_FOUND);
    passport("KIM", "MIN", "1985-03-14", "R4", mrz);
    decide(f, mrz, NULL, &r);
    assert_int_equal(r.outcome, CHECKIN_NOT_FOUND);
}

static void test_same_name_and_birth_is_ambiguous(void **state)
{
    struct fixture *f = *state;
    enrol(f, "PARK", "JI HO", "1990-01-01", "M20000001");
    enrol(f, "PARK", "JI-HO", "1990-01-01", "M20000002");
    char mrz[MRZ_TEXT_MAX];
    struct checkin_result r;
    passport("PARK", "JI HO", "1990-01-01", "R5", mrz);
    decide(f, mrz, NULL, &r);
    assert_int_equal(r.outcome, CHECKIN_AMBIGUOUS);
    assert_null(r.person.id);
    assert_string_equal(checkin_outcome_name(r.outcome), "ambiguous");
    assert_null(strstr(r.reason, "PARK"));
    /* the document number still finds the one who carries it */
    decide(f, NULL, "M20000002", &r);
    assert_int_not_equal(r.outcome, CHECKIN_NOT_FOUND);
}

/* Decides a check-in of id on its leg's point, then lets `change` happen
 * before the write; returns the write's status, with the person after. */
static int race(struct fixture *f, const char *id, void (*change)(struct fixture *, const char *),
                struct store_person *now, struct muster_err *err)
{
    struct checkin_result r;
    struct store_person p;
    assert_int_equal(f->n->st->ops->person_get(f->n->st, id, &p, &f->a, err), 0);
    decide(f, NULL, p.doc_number, &r);
    assert_int_equal(r.outcome, CHECKIN_OK);
    if (change)
        change(f, id);
    assert_int_equal(ev_begin(f->n, err), 0);
    int rc = checkin_record(f->n, "t", &r, now, &f->a, err);
    if (rc) {
        ev_rollback(f->n);
        return rc;
    }
    assert_int_equal(ev_commit(f->n, err), 0);
    return 0;
}

static void unallocate(struct fixture *f, const char *id)
{
    set_status(f, id, "registered", "");
}

static void move(struct fixture *f, const char *id)
{
    set_status(f, id, "allocated", f->legs[1].id);
}

static void test_write_rechecks_the_decision(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    struct store_person now;
    const char *a = enrol(f, "LEE", "SEO YUN", "1992-02-02", "M30000001");
    set_status(f, a, "allocated", f->legs[0].id);
    assert_int_equal(race(f, a, NULL, &now, &err), 0);
    assert_string_equal(now.status, "checked_in");
    assert_string_equal(now.leg, f->legs[0].id);
    /* a plan took the seat away between the look-up and the write */
    const char *b = enrol(f, "LEE", "HA EUN", "1993-03-03", "M30000002");
    set_status(f, b, "allocated", f->legs[0].id);
    assert_int_equal(race(f, b, unallocate, &now, &err), MUSTER_ECONFLICT);
    assert_string_equal(now.status, "registered");
    assert_non_null(strstr(err.msg, "without a leg"));
    assert_int_equal(f->n->st->ops->person_get(f->n->st, b, &now, &f->a, &err), 0);
    assert_string_equal(now.status, "registered");
    /* a plan moved them to another leg: the answer names it */
    const char *c = enrol(f, "LEE", "JI WOO", "1994-04-04", "M30000003");
    set_status(f, c, "allocated", f->legs[0].id);
    assert_int_equal(race(f, c, move, &now, &err), MUSTER_ECONFLICT);
    assert_string_equal(now.status, "allocated");
    assert_string_equal(now.leg, f->legs[1].id);
    assert_non_null(strstr(err.msg, f->legs[1].id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_passport_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_name_and_birth_is_ambiguous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_rechecks_the_decision, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

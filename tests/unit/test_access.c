/* test_access.c — the scoping rule and the role table, case by case. */
#include "core/access.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static struct principal who(const char *nation, enum auth_role role)
{
    struct principal w = {0};
    strcpy(w.user, "u");
    strcpy(w.nation, nation);
    w.role = role;
    return w;
}

static struct store_person person(const char *nation, const char *nationality, const char *status,
                                  const char *leg, bool consent)
{
    struct store_person p = {.id = "per_1",
                             .nation = nation,
                             .nationality = nationality,
                             .status = status,
                             .leg = leg,
                             .consent = consent,
                             .phone = "+82 10",
                             .email = "a@example.kr",
                             .address = "x",
                             .native_name = "김",
                             .lat = 32.0,
                             .lon = 34.8};
    return p;
}

static struct store_leg leg(const char *operator_nation, const char *dest, const char *status)
{
    struct store_leg l = {.id = "leg_1",
                          .operator_nation = operator_nation,
                          .destination_country = dest,
                          .status = status,
                          .carries = "[\"KOR\",\"JPN\"]"};
    return l;
}

static void test_own_people_in_full(void **state)
{
    struct principal k = who("KOR", ROLE_OFFICER);
    struct store_person p = person("KOR", "KOR", "registered", NULL, false);
    assert_int_equal(access_person(&k, &p, NULL), VIEW_FULL);
    /* a Japanese national registered by Korea is Japan's own too */
    struct principal j = who("JPN", ROLE_OFFICER);
    struct store_person q = person("KOR", "JPN", "registered", NULL, false);
    assert_int_equal(access_person(&j, &q, NULL), VIEW_FULL);
    assert_int_equal(access_person(&k, &q, NULL), VIEW_FULL);
}

static void test_partner_only_while_carrying(void **state)
{
    struct principal j = who("JPN", ROLE_OFFICER);
    struct store_leg l = leg("JPN", "CYP", "scheduled");
    static const char *const carrying[] = {"allocated",  "notified", "confirmed",
                                           "checked_in", "boarded",  "departed"};
    for (size_t i = 0; i < 6; i++) {
        struct store_person p = person("KOR", "KOR", carrying[i], "leg_1", true);
        assert_int_equal(access_person(&j, &p, &l), VIEW_PARTNER);
    }
    static const char *const not_carrying[] = {"registered", "arrived", "cleared", "declined",
                                               "no_show"};
    for (size_t i = 0; i < 5; i++) {
        struct store_person p = person("KOR", "KOR", not_carrying[i], "leg_1", true);
        assert_int_equal(access_person(&j, &p, &l), VIEW_NONE);
    }
    /* no consent: never to a carrying partner */
    struct store_person p = person("KOR", "KOR", "allocated", "leg_1", false);
    assert_int_equal(access_person(&j, &p, &l), VIEW_NONE);
    /* a leg the partner does not operate */
    struct store_leg other = leg("KOR", "CYP", "scheduled");
    struct store_person q = person("KOR", "KOR", "allocated", "leg_1", true);
    assert_int_equal(access_person(&j, &q, &other), VIEW_NONE);
    /* a cancelled leg */
    struct store_leg cancelled = leg("JPN", "CYP", "cancelled");
    assert_int_equal(access_person(&j, &q, &cancelled), VIEW_NONE);
    /* the leg handed in must be the person's */
    struct store_person r = person("KOR", "KOR", "allocated", "leg_2", true);
    assert_int_equal(access_person(&j, &r, &l), VIEW_NONE);
}

static void test_arrival_country_sees_arrivals(void **state)
{
    struct principal j = who("JPN", ROLE_IMMIGRATION);
    struct store_leg l = leg("KOR", "JPN", "scheduled");
    struct store_person p = person("KOR", "KOR", "arrived", "leg_1", false);
    assert_int_equal(access_person(&j, &p, &l), VIEW_PARTNER); /* API data, consent or not */
    p.status = "cleared";
    assert_int_equal(access_person(&j, &p, &l), VIEW_PARTNER);
    p.status = "registered";
    assert_int_equal(access_person(&j, &p, &l), VIEW_NONE);
    struct principal f = who("FRA", ROLE_OFFICER);
    p.status = "arrived";
    assert_int_equal(access_person(&f, &p, &l), VIEW_NONE);
}

static void test_redaction(void **state)
{
    struct store_person p = person("KOR", "KOR", "allocated", "leg_1", true);
    access_redact(VIEW_PARTNER, &p);
    assert_null(p.phone);
    assert_null(p.email);
    assert_null(p.address);
    assert_null(p.native_name);
    assert_true(isnan(p.lat) && isnan(p.lon));
    assert_string_equal(p.nationality, "KOR");
    struct store_person q = person("KOR", "KOR", "allocated", "leg_1", true);
    access_redact(VIEW_NONE, &q);
    assert_null(q.id);
    assert_null(q.nationality);
    struct store_person full = person("KOR", "KOR", "allocated", "leg_1", true);
    access_redact(VIEW_FULL, &full);
    assert_string_equal(full.phone, "+82 10");
}

/* A ledger row is seen by the carrier and by the nation carried. */
static void test_ledger_rows(void **state)
{
    (void)state;
    struct principal j = who("JPN", ROLE_LIAISON), k = who("KOR", ROLE_OFFICER),
                     s = who("SGP", ROLE_OFFICER);
    assert_true(access_ledger_row(&j, "JPN", "KOR"));
    assert_true(access_ledger_row(&k, "JPN", "KOR"));
    assert_false(access_ledger_row(&j, "KOR", "KOR"));
    assert_false(access_ledger_row(&s, "JPN", "KOR"));
    assert_false(access_ledger_row(&s, NULL, NULL));
}

static void test_roles(void **state)
{
    struct principal a = who("KOR", ROLE_ADMIN), o = who("KOR", ROLE_OFFICER),
                     f = who("KOR", ROLE_FIELD), i = who("KOR", ROLE_IMMIGRATION),
                     l = who("KOR", ROLE_LIAISON);
    assert_true(access_may(&a, ACT_MANAGE_USERS));
    assert_false(access_may(&o, ACT_MANAGE_USERS));
    assert_true(access_may(&o, ACT_WRITE_REGISTRY));
    assert_false(access_may(&f, ACT_WRITE_REGISTRY));
    assert_true(access_may(&f, ACT_CHECKIN));
    assert_false(access_may(&i, ACT_CHECKIN));
    assert_true(access_may(&i, ACT_CLEARANCE));
    assert_false(access_may(&o, ACT_CLEARANCE));
    /* "who looked at this person?" is for supervisors only */
    assert_true(access_may(&a, ACT_READ_AUDIT));
    assert_false(access_may(&o, ACT_READ_AUDIT));
    assert_false(access_may(&f, ACT_READ_AUDIT));
    assert_false(access_may(&i, ACT_READ_AUDIT));
    /* the person's copy: officers and admins */
    assert_true(access_may(&a, ACT_PERSON_COPY));
    assert_true(access_may(&o, ACT_PERSON_COPY));
    assert_false(access_may(&f, ACT_PERSON_COPY));
    assert_false(access_may(&i, ACT_PERSON_COPY));
    for (int act = ACT_READ_REGISTRY; act <= ACT_MANAGE_USERS; act++) {
        bool read = act == ACT_READ_REGISTRY || act == ACT_READ_OPERATIONS || act == ACT_MANIFEST;
        assert_int_equal(access_may(&l, act), read);
    }
    strcpy(f.points[0], "pt_a");
    f.npoints = 1;
    assert_true(access_at_point(&f, "pt_a"));
    assert_false(access_at_point(&f, "pt_b"));
    assert_true(access_at_point(&o, "pt_b"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_people_in_full),
        cmocka_unit_test(test_partner_only_while_carrying),
        cmocka_unit_test(test_arrival_country_sees_arrivals),
        cmocka_unit_test(test_redaction),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_ledger_rows),
    };
    return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}

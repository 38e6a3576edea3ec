/* test_screen_rules.c — the rules table, document checks, duplicates, the
 * decision per passenger, overrides and the JSON answer. */
#include "screen/screen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static const char rules_json[] = "{\n"
                                 "  \"country\": \"JPN\",\n"
                                 "  \"_note\": \"edited by the immigration service\",\n"
                                 "  \"visa_exempt\": [\"USA\", \"GBR\", \"KOR\"],\n"
                                 "  \"humanitarian_entry\": {\"partners\": [\"KOR\", \"AUS\"],\n"
                                 "                         \"min_validity_days\": 0},\n"
                                 "  \"min_validity_days\": 90,\n"
                                 "  \"lost_passport_documents\": [\"emergency\", \"id_card\"],\n"
                                 "  \"match_threshold\": 60\n"
                                 "}\n";

static struct screen_rules rules;
static struct screen_date arrival = {2026, 12, 1};

static int setup(void **state)
{
    struct muster_err err;
    assert_int_equal(screen_rules_parse(rules_json, strlen(rules_json), &rules, &err), 0);
    return 0;
}

static struct screen_passenger person(const char *sur, const char *nat, const char *doc,
                                      const char *expiry)
{
    struct screen_passenger p = {.surname = sur,
                                 .given_names = "TARO",
                                 .doc_number = doc,
                                 .doc_type = SCREEN_DOC_PASSPORT,
                                 .leg_id = "KE701"};
    snprintf(p.nationality, sizeof p.nationality, "%s", nat);
    snprintf(p.doc_issuer, sizeof p.doc_issuer, "%s", nat);
    screen_date_parse("1980-01-01", &p.birth);
    assert_int_equal(screen_date_parse(expiry, &p.doc_expiry), 0);
    return p;
}

/* Screens one passenger (no watchlist) and returns the result. */
static struct screen_result one(struct screen_passenger p)
{
    struct screen_result r;
    struct muster_err err;
    assert_int_equal(screen_batch(&rules, NULL, &p, 1, arrival, &r, &err), 0);
    return r;
}

static bool has_reason(const struct screen_result *r, const char *code)
{
    for (int i = 0; i < r->n_reasons; i++)
        if (strcmp(r->reasons[i].code, code) == 0)
            return true;
    return false;
}

static void test_rules_parse(void **state)
{
    assert_string_equal(rules.country, "JPN");
    assert_int_equal(rules.n_visa_exempt, 3);
    assert_int_equal(rules.n_humanitarian, 2);
    assert_string_equal(rules.humanitarian[1], "AUS");
    assert_int_equal(rules.min_validity_days, 90);
    assert_int_equal(rules.lost_passport_docs,
                     (1u << SCREEN_DOC_EMERGENCY) | (1u << SCREEN_DOC_ID_CARD));
    struct screen_rules r;
    struct muster_err err;
    const char *bad[] = {
        "{\"country\":\"JPN\",\"visa_exmept\":[]}",
        "{\"country\":\"JAPAN\"}",
        "{\"visa_exempt\":[\"KOR\"]}",
        "{\"country\":\"JPN\",\"visa_exempt\":[\"K0R\"]}",
        "{\"country\":\"JPN\",\"min_validity_days\":-1}",
        "{\"country\":\"JPN\",\"lost_passport_documents\":[\"passport\"]}",
        "{\"country\":\"JPN\",\"humanitarian_entry\":{\"partner\":[]}}",
        "{\"country\":\"JPN\",\"match_threshold\":0}",
        "{\"country\":\"JPN\",\"country\":\"KOR\"}",
        "[1,2]",
        "{",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (screen_rules_parse(bad[i], strlen(bad[i]), &r, &err) != MUSTER_EINVAL)
            fail_msg("accepted bad rules %s", bad[i]);
        assert_true(strncmp(err.msg, "rules:", 6) == 0);
    }
    assert_int_equal(screen_rules_parse("{\"country\":\"kor\"}", 17, &r, &err), 0);
    assert_string_equal(r.country, "KOR");
    assert_int_equal(r.match_threshold, SCREEN_DEFAULT_THRESHOLD);
}

static void test_entry_basis(void **state)
{
    struct screen_result r = one(person("SATO", "JPN", "TK1234567", "2030-01-01"));
    assert_int_equal(r.decision, SCREEN_CLEARED);
    assert_int_equal(r.basis, SCREEN_BASIS_CITIZEN);
    assert_int_equal(r.n_reasons, 0);
    r = one(person("SMITH", "USA", "541234567", "2030-01-01"));
    assert_int_equal(r.decision, SCREEN_CLEARED);
    assert_int_equal(r.basis, SCREEN_BASIS_VISA_EXEMPT);
    r = one(person("KIM", "KOR", "M12345678", "2030-01-01"));
    assert_int_equal(r.basis, SCREEN_BASIS_HUMANITARIAN); /* partner beats visa-exempt */
    r = one(person("NGUYEN", "VNM", "C1234567", "2030-01-01"));
    assert_int_equal(r.decision, SCREEN_REFER);
    assert_int_equal(r.basis, SCREEN_BASIS_NONE);
    assert_true(has_reason(&r, "visa_required"));
    r = one(person("NGUYEN", "", "C1234567", "2030-01-01"));
    assert_true(has_reason(&r, "nationality_unknown"));
    assert_int_equal(r.decision, SCREEN_REFER);
}

static void test_expiry_and_validity(void **state)
{
    struct screen_result r = one(person("SMITH", "USA", "541234567", "2026-11-30"));
    assert_int_equal(r.decision, SCREEN_NOT_CLEARED);
    assert_true(has_reason(&r, "doc_expired"));
    assert_non_null(strstr(r.reasons[0].text, "2026-11-30"));
    /* expires on the arrival day: valid, but short */
    r = one(person("SMITH", "USA", "541234567", "2026-12-01"));
    assert_int_equal(r.decision, SCREEN_REFER);
    assert_true(has_reason(&r, "doc_validity_short"));
    r = one(person("SMITH", "USA", "541234567", "2027-03-01")); /* 90 days */
    assert_int_equal(r.decision, SCREEN_CLEARED);
    r = one(person("SMITH", "USA", "541234567", "2027-02-28")); /* 89 days */
    assert_int_equal(r.decision, SCREEN_REFER);
    /* humanitarian entry has its own minimum (0 days here) */
    r = one(person("KIM", "KOR", "M12345678", "2026-12-02"));
    assert_int_equal(r.decision, SCREEN_CLEARED);
    r = one(person("KIM", "KOR", "M12345678", "2026-11-02"));
    assert_int_equal(r.decision, SCREEN_NOT_CLEARED);
    /* a citizen with an expired passport is referred, not turned away */
    r = one(person("SATO", "JPN", "TK1234567", "2025-01-01"));
    assert_int_equal(r.decision, SCREEN_REFER);
    assert_true(has_reason(&r, "doc_expired"));
    /* unknown expiry */
    r = one(person("SMITH", "USA", "541234567", "2030"));
    assert_true(has_reason(&r, "doc_expiry_unknown"));
    /* the leg's own arrival date wins over the batch's */
    struct screen_passenger p = person("SMITH", "USA", "541234567", "2027-03-01");
    p.arrival = (struct screen_date){2027, 1, 1};
    struct screen_result res;
    struct muster_err err;
    assert_int_equal(screen_batch(&rules, NULL, &p, 1, arrival, &res, &err), 0);
    assert_true(has_reason(&res, "doc_validity_short"));
    assert_int_equal(screen_batch(&rules, NULL, &p, 1, (struct screen_date){0, 0, 0}, &res, &err),
                     0);
    p.arrival = (struct screen_date){0, 0, 0};
    assert_int_equal(
        screen_batch(&rules, NULL, &p, 1, (struct screen_date){2026, 0, 0}, &res, &err),
        MUSTER_EINVAL);
}

static void test_lost_passport_documents(void **state)
{
    struct screen_passenger p = person("KIM", "KOR", "ETD20261", "2026-12-10");
    p.doc_type = SCREEN_DOC_EMERGENCY;
    struct screen_result r = one(p);
    assert_int_equal(r.decision, SCREEN_CLEARED);
    assert_true(has_reason(&r, "substitute_document"));
    p.doc_type = SCREEN_DOC_ID_CARD;
    assert_int_equal(one(p).decision, SCREEN_CLEARED);
    p.doc_type = SCREEN_DOC_REFUGEE;
    r = one(p);
    assert_int_equal(r.decision, SCREEN_NOT_CLEARED);
    assert_true(has_reason(&r, "doc_not_accepted"));
    p.doc_type = SCREEN_DOC_NONE;
    r = one(p);
    assert_int_equal(r.decision, SCREEN_NOT_CLEARED);
    assert_true(has_reason(&r, "no_document"));
    p.doc_type = SCREEN_DOC_PASSPORT;
    p.doc_number = "";
    assert_true(has_reason((r = one(p), &r), "no_document"));
}

static void test_document_number(void **state)
{
    assert_int_equal(screen_icao_check_digit("L898902C<"), '3');
    assert_int_equal(screen_icao_check_digit("520727"), '3');
    assert_int_equal(screen_icao_check_digit("AB2134<<<"), '5');
    assert_int_equal(screen_icao_check_digit("D23145890734"), '9');
    assert_int_equal(screen_icao_check_digit("ab"), -1);
    struct screen_passenger p = person("ERIKSSON", "USA", "L898902C", "2030-01-01");
    p.doc_check_digit = '3';
    assert_int_equal(one(p).decision, SCREEN_CLEARED);
    p.doc_check_digit = '4';
    struct screen_result r = one(p);
    assert_int_equal(r.decision, SCREEN_REFER);
    assert_true(has_reason(&r, "doc_check_digit"));
    p.doc_check_digit = 0;
    p.doc_number = "L8$98902";
    assert_true(has_reason((r = one(p), &r), "doc_number_malformed"));
    p.doc_number = "X1";
    assert_true(has_reason((r = one(p), &r), "doc_number_malformed"));
    p.doc_number = "d231 4589 0734"; /* blanks and case are not structure */
    p.doc_check_digit = '9';
    assert_int_equal(one(p).decision, SCREEN_CLEARED);
}

static void test_duplicates(void **state)
{
    struct screen_passenger p[5] = {
        person("KIM", "KOR", "M12345678", "2030-01-01"),
        person("LEE", "KOR", "M 1234 5678", "2030-01-01"), /* same number, same leg */
        person("PARK", "KOR", "M99999999", "2030-01-01"),
        person("PARK", "KOR", "M99999999", "2030-01-01"),  /* ... on another leg */
        person("SMITH", "USA", "M99999999", "2030-01-01"), /* other issuer: not a duplicate */
    };
    p[3].leg_id = "JL5096";
    struct screen_result r[5];
    struct muster_err err;
    assert_int_equal(screen_batch(&rules, NULL, p, 5, arrival, r, &err), 0);
    assert_int_equal(r[0].decision, SCREEN_REFER);
    assert_true(has_reason(&r[0], "duplicate_doc"));
    assert_non_null(strstr(r[0].reasons[0].text, "same leg"));
    assert_true(has_reason(&r[1], "duplicate_doc"));
    assert_true(has_reason(&r[2], "duplicate_doc"));
    assert_non_null(strstr(r[2].reasons[0].text, "leg JL5096"));
    assert_true(has_reason(&r[3], "duplicate_doc"));
    assert_non_null(strstr(r[3].reasons[0].text, "leg KE701"));
    assert_false(has_reason(&r[4], "duplicate_doc"));
    assert_int_equal(r[4].decision, SCREEN_CLEARED);
}

static const char wl_csv[] = "surname,given_names,birth_date,nationality,reason,id\n"
                             "RHEE,MIN-JUN,1985-03-07,KOR,forged visa 2019,W-17\n";

static void test_watchlist_refer_and_override(void **state)
{
    struct screen_watchlist *wl;
    struct muster_err err;
    assert_int_equal(screen_watchlist_load(wl_csv, strlen(wl_csv), &wl, &err), 0);
    struct screen_passenger p[2] = {person("YI", "KOR", "M12345678", "2030-01-01"),
                                    person("YI", "KOR", "M12345679", "2030-01-01")};
    p[0].given_names = "Minjun";
    screen_date_parse("1985-07-03", &p[0].birth);
    struct screen_result r[2];
    assert_int_equal(screen_batch(&rules, wl, p, 2, arrival, r, &err), 0);
    assert_int_equal(r[0].decision, SCREEN_REFER);
    assert_int_equal(r[0].n_hits, 1);
    assert_true(has_reason(&r[0], "watchlist"));
    assert_non_null(strstr(r[0].reasons[0].text, "W-17"));
    assert_non_null(strstr(r[0].hits[0].why, "day and month swapped"));
    assert_int_equal(r[1].decision, SCREEN_CLEARED); /* Taro Yi is someone else */

    /* JSON answer */
    json_t *j = screen_result_json(&p[0], &r[0], wl);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "decision")), "refer");
    assert_string_equal(json_string_value(json_object_get(j, "basis")), "humanitarian");
    json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "entry_id")), "W-17");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(hit, "entry"), "birth_date")),
        "1985-03-07");
    json_decref(j);

    /* override: only a refer, only with officer and reason, only once */
    assert_int_equal(screen_override(&r[1], SCREEN_CLEARED, "officer 12", "ok", &err),
                     MUSTER_ECONFLICT);
    assert_int_equal(screen_override(&r[0], SCREEN_CLEARED, "officer 12", "", &err), MUSTER_EINVAL);
    assert_int_equal(screen_override(&r[0], SCREEN_REFER, "officer 12", "x", &err), MUSTER_EINVAL);
    assert_int_equal(screen_override(&r[0], SCREEN_CLEARED, "officer 12",
                                     "different person: fingerprints checked", &err),
                     0);
    assert_int_equal(r[0].decision, SCREEN_CLEARED);
    assert_int_equal(r[0].original, SCREEN_REFER);
    assert_int_equal(screen_override(&r[0], SCREEN_NOT_CLEARED, "officer 13", "x", &err),
                     MUSTER_ECONFLICT);
    j = screen_result_json(&p[0], &r[0], wl);
    json_t *ov = json_object_get(j, "override");
    assert_string_equal(json_string_value(json_object_get(ov, "from")), "refer");
    assert_string_equal(json_string_value(json_object_get(ov, "officer")), "officer 12");
    assert_string_equal(json_string_value(json_object_get(j, "decision")), "cleared");
    json_decref(j);
    screen_watchlist_free(wl);
}

static void test_json_invalid_utf8(void **state)
{
    struct screen_passenger p = person("\xc5", "KOR", "M12345678", "2030-01-01");
    p.given_names = "MIN\xed\xa0\x80JUN"; /* a surrogate */
    struct screen_result r = one(p);
    json_t *j = screen_result_json(&p, &r, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "surname")), "?");
    assert_string_equal(json_string_value(json_object_get(j, "given_names")), "MIN???JUN");
    json_decref(j);
}

static void test_doc_type_names(void **state)
{
    for (int t = 0; t < SCREEN_DOC_TYPE_COUNT; t++)
        assert_int_equal(screen_doc_type_parse(screen_doc_type_name(t)), t);
    assert_int_equal(screen_doc_type_parse("visa"), -1);
    assert_string_equal(screen_decision_name(SCREEN_NOT_CLEARED), "not_cleared");
    assert_string_equal(screen_basis_name(SCREEN_BASIS_VISA_EXEMPT), "visa_exempt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_parse),
        cmocka_unit_test(test_entry_basis),
        cmocka_unit_test(test_expiry_and_validity),
        cmocka_unit_test(test_lost_passport_documents),
        cmocka_unit_test(test_document_number),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_watchlist_refer_and_override),
        cmocka_unit_test(test_json_invalid_utf8),
        cmocka_unit_test(test_doc_type_names),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

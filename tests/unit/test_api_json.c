/* test_api_json.c — api_person_text writes the bytes that a compact dump
 * of api_person_json gives, for ordinary, empty and awkward people. */
#include "net/api.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static void same_text(const struct store_person *p)
{
    for (int v = 0; v < 2; v++) {
        enum access_view view = v ? VIEW_FULL : VIEW_PARTNER;
        json_t *o = api_person_json(p, view);
        char *want = json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY);
        json_decref(o);
        struct buf b = {0};
        api_person_text(&b, p, view);
        buf_add(&b, "", 1);
        assert_string_equal(b.data, want);
        free(want);
        buf_free(&b);
    }
}

static void test_ordinary(void **state)
{
    (void)state;
    struct store_person p = {.id = "p_1",
                             .household = "h_1",
                             .operation = "op_1",
                             .nation = "KOR",
                             .nationality = "KOR",
                             .surname = "KIM",
                             .given_names = "MIN JUN",
                             .sex = "M",
                             .birth_date = "1990-01-02",
                             .doc_type = "P",
                             .doc_number = "M12345678",
                             .doc_state = "KOR",
                             .doc_expiry = "2030-01-01",
                             .phone = "+82 10 1234",
                             .email = "a@b.kr",
                             .address = "Seoul",
                             .native_name = "김민준",
                             .lat = 37.5,
                             .lon = 127.0,
                             .needs = 5,
                             .priority = "high",
                             .priority_override = NULL,
                             .consent = true,
                             .status = "checked_in",
                             .leg = "leg_1"};
    same_text(&p);
    p.lat = 31.771959000000001;
    p.lon = -35.217018;
    p.needs = 15;
    p.consent = false;
    same_text(&p);
}

static void test_empty(void **state)
{
    (void)state;
    struct store_person p = {.id = "p_2", .lat = NAN, .lon = NAN};
    same_text(&p);
    p.doc_number = "X1";
    same_text(&p);
}

static void test_awkward_text(void **state)
{
    (void)state;
    struct store_person p = {.id = "p_3", .lat = 1e-7, .lon = 1e21};
    p.surname = "O\"BRIEN \\ / \b\f\n\r\t \x01\x1f\x7f end";
    p.given_names = "bad \xff utf-8";     /* jansson refuses it: left out */
    p.address = "\xed\xa0\x80 surrogate"; /* refused too */
    p.native_name = "\xf0\x9f\x98\x80 山田";
    p.doc_number = "N\xc3"; /* a cut sequence: no document */
    same_text(&p);
    p.lat = INFINITY; /* no location member */
    same_text(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordinary),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_awkward_text),
    };
    return cmocka_run_group_tests_name("api_json", tests, NULL, NULL);
}

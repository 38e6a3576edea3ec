/* test_util.c — buffers, arenas, time, geo and the PRNG. */
#include "util/arena.h"
#include "util/buf.h"
#include "util/geo.h"
#include "util/jcanon.h"
#include "util/rng.h"
#include "util/timeutil.h"

#include <math.h>
#include <sodium.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static void test_buf_grows_and_formats(void **state)
{
    struct buf b = {0};
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.data));
    assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
    buf_reset(&b);
    uint8_t bytes[] = {0x00, 0xab, 0xff};
    buf_hex(&b, bytes, 3);
    assert_string_equal(buf_str(&b), "00abff");
    buf_free(&b);
    assert_string_equal(buf_str(&b), "");
}

/* buf_base64 writes what libsodium's encoder writes, for every length
 * around the padding cases. */
static void test_buf_base64_matches_sodium(void **state)
{
    uint8_t bytes[300];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)(i * 37 + 11);
    for (size_t n = 0; n < sizeof bytes; n++) {
        char want[sizeof bytes * 2];
        sodium_bin2base64(want, sizeof want, bytes, n, sodium_base64_VARIANT_ORIGINAL);
        struct buf b = {0};
        buf_puts(&b, "x");
        buf_base64(&b, bytes, n);
        assert_string_equal(buf_str(&b) + 1, want);
        assert_int_equal(b.len, strlen(want) + 1);
        buf_free(&b);
    }
}

static void test_arena_strings(void **state)
{
    struct arena a = {0};
    char *s = arena_strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    void *big = arena_alloc(&a, 1 << 20);
    assert_non_null(big);
    assert_int_equal(((uintptr_t)arena_alloc(&a, 3)) % 16, 0);
    arena_free(&a);
}

/* Blocks double up to 4 MiB and the big ones sit on huge-page boundaries:
 * whatever the block, memory comes zeroed, aligned, and not shared. */
static void test_arena_growth(void **state)
{
    struct arena a = {0};
    unsigned char *prev = NULL;
    size_t total = 0;
    for (size_t i = 0; total < ((size_t)40 << 20); i++) {
        size_t n = 1 + (i * 7919) % 70000;
        unsigned char *p = arena_alloc(&a, n);
        assert_int_equal((uintptr_t)p % 16, 0);
        assert_true(p[0] == 0 && p[n / 2] == 0 && p[n - 1] == 0);
        memset(p, 0xa5, n);
        if (prev)
            assert_int_equal(prev[0], 0xa5); /* the next allocation did not overlap it */
        prev = p;
        total += n;
    }
    unsigned char *huge = arena_alloc(&a, (size_t)9 << 20);
    assert_true(huge[0] == 0 && huge[(9 << 20) - 1] == 0);
    arena_free(&a);
    assert_null(a.head);
}

static void test_time_roundtrip(void **state)
{
    int64_t t;
    assert_int_equal(time_parse_iso("2026-11-29T10:18:03Z", &t), 0);
    char out[21];
    time_format_iso(t, out);
    assert_string_equal(out, "2026-11-29T10:18:03Z");
    assert_int_equal(time_parse_iso("2026-11-29T19:18:03+09:00", &t), 0);
    time_format_iso(t, out);
    assert_string_equal(out, "2026-11-29T10:18:03Z");
    assert_int_equal(time_parse_iso("2026-02-30T00:00Z", &t), -1);
    assert_int_equal(time_parse_iso("2026-11-29T24:00Z", &t), -1);
    assert_int_equal(time_parse_iso("garbage", &t), -1);
    assert_true(time_valid_date(2024, 2, 29));
    assert_false(time_valid_date(2023, 2, 29));
    assert_false(time_valid_date(1900, 2, 29));
    for (int64_t d = -800000; d < 800000; d += 997) {
        int y, m, dd;
        time_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(time_days_from_civil(y, m, dd), d);
    }
}

static void test_geo(void **state)
{
    /* Tokyo Haneda to Seoul Gimpo: about 1,180 km */
    double km = geo_km(35.5494, 139.7798, 37.5583, 126.7906);
    assert_true(km > 1170 && km < 1190);
    double plat[] = {0, 0, 10, 10}, plon[] = {0, 10, 10, 0};
    assert_true(geo_in_polygon(5, 5, plat, plon, 4));
    assert_false(geo_in_polygon(15, 5, plat, plon, 4));
    assert_false(geo_valid(91, 0));
}

static void test_rng_reproducible(void **state)
{
    struct rng a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 100; i++)
        assert_int_equal(rng_next(&a), rng_next(&b));
    for (int i = 0; i < 10000; i++)
        assert_true(rng_below(&a, 7) < 7);
}

/* A random JSON value of the shapes event bodies have, and some they don't. */
static json_t *random_json(struct rng *r, int depth)
{
    static const char *const pieces[] = {"a", "\"", "\\",   "\n", "\x01",   "\x1f", "\x7f", "/",
                                         "é", "김", "佐藤", "\t", "\b\f\r", " ",    "Z9+/="};
    switch (depth > 3 ? rng_below(r, 4) : rng_below(r, 7)) {
    case 0:
        return json_integer((json_int_t)(rng_next(r) >> rng_below(r, 64)) *
                            (rng_below(r, 2) ? 1 : -1));
    case 1: {
        double v = (rng_unit(r) - 0.5) * pow(10, (double)rng_below(r, 40) - 20);
        return json_real(rng_below(r, 8) == 0 ? (double)(int64_t)v : v);
    }
    case 2:
        return rng_below(r, 3) == 0 ? json_null() : json_boolean(rng_below(r, 2));
    case 3: {
        char s[256] = "";
        size_t n = rng_below(r, 12);
        for (size_t i = 0; i < n; i++)
            strcat(s, pieces[rng_below(r, sizeof pieces / sizeof *pieces)]);
        return json_string(s);
    }
    case 4: {
        json_t *a = json_array();
        for (uint64_t i = rng_below(r, 5); i > 0; i--)
            json_array_append_new(a, random_json(r, depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (uint64_t i = rng_below(r, 20); i > 0; i--) {
            char k[16];
            snprintf(k, sizeof k, "%s%u", pieces[rng_below(r, 6)], (unsigned)rng_below(r, 100));
            json_object_set_new(o, k, random_json(r, depth + 1));
        }
        return o;
    }
    }
}

static void test_jcanon_is_jansson_canonical(void **state)
{
    struct rng r;
    rng_seed(&r, 42);
    for (int i = 0; i < 3000; i++) {
        json_t *v = random_json(&r, 0);
        char *want = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        size_t len = 0;
        char *got = jcanon_dumps(v, &len);
        assert_non_null(want);
        assert_non_null(got);
        assert_string_equal(got, want);
        assert_int_equal(len, strlen(want));
        free(want);
        free(got);
        json_decref(v);
    }
    /* every byte that needs care, at every offset of the 8-byte fast path */
    static const char special[] = {'"', '\\', '\n', 0x01, 0x1f, 0x7f, ' ', '~'};
    for (size_t k = 0; k < sizeof special; k++)
        for (size_t at = 0; at < 20; at++) {
            char text[21] = "abcdefghijklmnopqrst";
            text[at] = special[k];
            json_t *v = json_stringn(text, 20);
            char *want = json_dumps(v, JSON_ENCODE_ANY), *got = jcanon_dumps(v, NULL);
            assert_string_equal(got, want);
            free(want);
            free(got);
            json_decref(v);
        }
    json_t *utf8 = json_string("KIM \xea\xb9\x80\xeb\xaf\xbc\xec\xa7\x80 abcdefgh \xc3\xa9");
    char *want = json_dumps(utf8, JSON_ENCODE_ANY), *got = jcanon_dumps(utf8, NULL);
    assert_string_equal(got, want);
    free(want);
    free(got);
    json_decref(utf8);
    /* a string that is not UTF-8 fails as json_dumps fails */
    json_t *bad = json_stringn_nocheck("\xc3(", 2);
    assert_null(jcanon_dumps(bad, NULL));
    assert_null(json_dumps(bad, JSON_ENCODE_ANY));
    json_decref(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows_and_formats),
        cmocka_unit_test(test_buf_base64_matches_sodium),
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_arena_growth),
        cmocka_unit_test(test_time_roundtrip),
        cmocka_unit_test(test_geo),
        cmocka_unit_test(test_rng_reproducible),
        cmocka_unit_test(test_jcanon_is_jansson_canonical),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}

/* test_csv.c — util/csv.c, the RFC 4180 reader the registrant import uses:
 * quoting, embedded newlines, CRLF, the byte-order mark, bad quoting and
 * the line numbers every import problem is reported with. */
#include "util/csv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#define MAXF 8

/* Reads the next record of c into f; returns the field count. */
static int next(struct csv *c, char **f, struct arena *a)
{
    memset(f, 0, MAXF * sizeof *f);
    return csv_next(c, f, MAXF, a);
}

static void init(struct csv *c, const char *text)
{
    csv_init(c, text, strlen(text));
}

static void test_plain_records(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv c;
    char *f[MAXF];
    init(&c, "a,b,c\n1,2,3\n");
    assert_int_equal(next(&c, f, &a), 3);
    assert_int_equal(c.line, 1);
    assert_string_equal(f[0], "a");
    assert_string_equal(f[2], "c");
    assert_int_equal(next(&c, f, &a), 3);
    assert_int_equal(c.line, 2);
    assert_string_equal(f[1], "2");
    assert_int_equal(next(&c, f, &a), 0);
    assert_int_equal(next(&c, f, &a), 0); /* stays at the end */
    /* empty fields, a trailing comma, no final newline */
    init(&c, ",,\na,\nlast,x");
    assert_int_equal(next(&c, f, &a), 3);
    assert_string_equal(f[0], "");
    assert_string_equal(f[2], "");
    assert_int_equal(next(&c, f, &a), 2);
    assert_string_equal(f[1], "");
    assert_int_equal(next(&c, f, &a), 2);
    assert_string_equal(f[1], "x");
    assert_int_equal(next(&c, f, &a), 0);
    arena_free(&a);
}

static void test_quotes(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv c;
    char *f[MAXF];
    init(&c, "\"Dizengoff St, Tel Aviv\",\"say \"\"hi\"\"\",plain,\"\",\"\"\"\"\n");
    assert_int_equal(next(&c, f, &a), 5);
    assert_string_equal(f[0], "Dizengoff St, Tel Aviv");
    assert_string_equal(f[1], "say \"hi\"");
    assert_string_equal(f[2], "plain");
    assert_string_equal(f[3], "");
    assert_string_equal(f[4], "\"");
    /* a quote inside an unquoted field is data; text after a closing quote
     * is kept with the field */
    init(&c, "O\"BRIEN,\"ab\"cd,e\n");
    assert_int_equal(next(&c, f, &a), 3);
    assert_string_equal(f[0], "O\"BRIEN");
    assert_string_equal(f[1], "abcd");
    assert_string_equal(f[2], "e");
    /* a long quoted field grows its buffer */
    char big[3000];
    big[0] = '"';
    memset(big + 1, 'x', 2500);
    strcpy(big + 2501, "\",y\n");
    init(&c, big);
    assert_int_equal(next(&c, f, &a), 2);
    assert_int_equal(strlen(f[0]), 2500);
    assert_string_equal(f[1], "y");
    arena_free(&a);
}

static void test_embedded_newlines_and_line_numbers(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv c;
    char *f[MAXF];
    init(&c, "h,address,x\nh1,\"line one\nline two\nline three\",1\n\n\nh2,plain,2\n");
    assert_int_equal(next(&c, f, &a), 3);
    assert_int_equal(c.line, 1);
    assert_int_equal(next(&c, f, &a), 3);
    assert_int_equal(c.line, 2); /* where the record starts */
    assert_string_equal(f[1], "line one\nline two\nline three");
    assert_int_equal(next(&c, f, &a), 3); /* blank lines 5 and 6 skipped, still counted */
    assert_int_equal(c.line, 7);
    assert_string_equal(f[0], "h2");
    assert_int_equal(next(&c, f, &a), 0);
    arena_free(&a);
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv c;
    char *f[MAXF];
    init(&c, "\xEF\xBB\xBFhousehold,surname\r\nh1,\"KIM\r\nLEE\"\r\n\r\nh2,PARK\r\n");
    assert_int_equal(next(&c, f, &a), 2);
    assert_string_equal(f[0], "household"); /* the BOM is not part of the name */
    assert_string_equal(f[1], "surname");   /* no CR at the end */
    assert_int_equal(next(&c, f, &a), 2);
    assert_int_equal(c.line, 2);
    assert_string_equal(f[1], "KIM\r\nLEE"); /* inside quotes, data */
    assert_int_equal(next(&c, f, &a), 2);
    assert_int_equal(c.line, 5);
    assert_string_equal(f[1], "PARK");
    assert_int_equal(next(&c, f, &a), 0);
    /* a BOM alone, or a file of blank lines, has no record */
    init(&c, "\xEF\xBB\xBF");
    assert_int_equal(next(&c, f, &a), 0);
    init(&c, "\r\n\n\r\n");
    assert_int_equal(next(&c, f, &a), 0);
    /* old Mac line ends (CR alone) end records and count as lines */
    init(&c, "a,b\rc,d\r\re,f");
    assert_int_equal(next(&c, f, &a), 2);
    assert_int_equal(c.line, 1);
    assert_int_equal(next(&c, f, &a), 2);
    assert_int_equal(c.line, 2);
    assert_string_equal(f[0], "c");
    assert_int_equal(next(&c, f, &a), 2);
    assert_int_equal(c.line, 4);
    assert_string_equal(f[1], "f");
    arena_free(&a);
}

static void test_bad_quoting(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv c;
    char *f[MAXF];
    /* a quote that never closes: -1, at the line where the record began */
    init(&c, "a,b\nc,d\ne,\"never closed\nf,g\nh,i\n");
    assert_int_equal(next(&c, f, &a), 2);
    assert_int_equal(next(&c, f, &a), 2);
    assert_int_equal(next(&c, f, &a), -1);
    assert_int_equal(c.line, 3);
    init(&c, "\"");
    assert_int_equal(next(&c, f, &a), -1);
    assert_int_equal(c.line, 1);
    init(&c, "x,\"ab\"\"");
    assert_int_equal(next(&c, f, &a), -1);
    arena_free(&a);
}

static void test_more_fields_than_room(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv c;
    char *f[2] = {NULL, NULL};
    init(&c, "1,2,3,4,5\nnext\n");
    assert_int_equal(csv_next(&c, f, 2, &a), 5); /* counted, not stored */
    assert_string_equal(f[0], "1");
    assert_string_equal(f[1], "2");
    assert_int_equal(csv_next(&c, f, 2, &a), 1);
    assert_int_equal(c.line, 2);
    assert_string_equal(f[0], "next");
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_records),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_embedded_newlines_and_line_numbers),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_bad_quoting),
        cmocka_unit_test(test_more_fields_than_room),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}

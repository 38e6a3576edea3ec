/* test_copy_pdf.c — the person's copy as a PDF (core/copy_pdf.c): a real
 * document, more pages when the read audit is long, long and non-CP1252
 * text does not break it, and a copy without a person is refused. */
#include "core/copy_pdf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static json_t *copy_with_reads(int nreads)
{
    json_t *reads = json_array();
    for (int i = 0; i < nreads; i++)
        json_array_append_new(reads, json_pack("{s:i, s:s, s:s, s:s}", "id", i + 1, "actor",
                                               "kor.immigration", "nation", "KOR", "purpose",
                                               "manifest.paxlst"));
    char longer[600];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    for (size_t i = 40; i < sizeof longer - 1; i += 41)
        longer[i] = ' ';
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:[]}, s:[], s:[], s:[],"
                     " s:[], s:o, s:[s]}",
                     "generated", "2026-12-04T00:00:00Z", "generated_by", "jpn.officer", "nation",
                     "JPN", "person", "id", "per_1", "surname", "MÜLLER", "native_name", "김민지",
                     "address", longer, "household", "id", "hh_1", "other_members", "history",
                     "clearances", "partner_visibility", "received_by_partners", "reads", reads,
                     "notes", "derived");
}

static size_t count(const struct buf *b, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (size_t i = 0; i + len <= b->len; i++)
        if (memcmp(b->data + i, needle, len) == 0 && b->data[i + len] != 's')
            n++;
    return n;
}

static void test_document_and_pages(void **state)
{
    struct muster_err err;
    struct buf small = {0}, big = {0};
    json_t *c = copy_with_reads(3);
    assert_int_equal(copy_pdf(c, &small, &err), 0);
    json_decref(c);
    assert_true(small.len > 500);
    assert_memory_equal(small.data, "%PDF-", 5);
    assert_non_null(memmem(small.data, small.len, "%%EOF", 5));
    assert_int_equal(count(&small, "/Type /Page"), 1);
    c = copy_with_reads(300); /* 11 pt a line: several A4 pages */
    assert_int_equal(copy_pdf(c, &big, &err), 0);
    json_decref(c);
    assert_true(count(&big, "/Type /Page") >= 4);
    buf_free(&small);
    buf_free(&big);
}

static void test_refuses_a_copy_without_a_person(void **state)
{
    struct muster_err err;
    struct buf out = {0};
    json_t *c = json_pack("{s:{}}", "person");
    assert_int_equal(copy_pdf(c, &out, &err), MUSTER_EINVAL);
    assert_int_equal(out.len, 0);
    assert_non_null(strstr(err.msg, "person"));
    json_decref(c);
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_and_pages),
        cmocka_unit_test(test_refuses_a_copy_without_a_person),
    };
    return cmocka_run_group_tests_name("copy_pdf", tests, NULL, NULL);
}

/* test_translit.c — UTF-8 to the MRZ alphabet: the Doc 9303 Part 3 Latin
 * table (diacritics, ligatures), Cyrillic, separators and refusals. */
#include "travel/translit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static const char *tr(const char *s)
{
    static char out[256];
    static struct muster_err err;
    if (translit_mrz(s, strlen(s), out, sizeof out, &err) < 0)
        return err.msg;
    return out;
}

static void test_latin_table(void **state)
{
    struct {
        const char *in, *out;
    } t[] = {
        {"Ä", "AE"},
        {"ä", "AE"},
        {"Ö", "OE"},
        {"ö", "OE"},
        {"Ü", "UE"},
        {"ü", "UE"},
        {"Å", "AA"},
        {"å", "AA"},
        {"ß", "SS"},
        {"ẞ", "SS"},
        {"Æ", "AE"},
        {"æ", "AE"},
        {"Ø", "OE"},
        {"ø", "OE"},
        {"Ñ", "N"},
        {"ñ", "N"},
        {"Ç", "C"},
        {"ç", "C"},
        {"Þ", "TH"},
        {"þ", "TH"},
        {"Œ", "OE"},
        {"œ", "OE"},
        {"Ĳ", "IJ"},
        {"ĳ", "IJ"},
        {"É", "E"},
        {"è", "E"},
        {"Ł", "L"},
        {"ł", "L"},
        {"Ś", "S"},
        {"Ž", "Z"},
        {"Ő", "O"},
        {"Ű", "U"},
        {"Ș", "S"},
        {"ț", "T"},
        {"Đ", "D"},
        {"ð", "D"},
        {"ı", "I"},
        {"İ", "I"},
        {"Ÿ", "Y"},
        {"ÿ", "Y"},
        {"Ŋ", "N"},
        {"Ħ", "H"},
        {"Müller", "MUELLER"},
        {"Gößmann", "GOESSMANN"},
        {"Ærøskøbing", "AEROESKOEBING"},
        {"ÊrÌkS'ŝóN", "ERIKSSON"},
        {"D’Artagnan", "DARTAGNAN"},
        {"Ospelt-Beck", "OSPELT<BECK"},
        {"Anna María", "ANNA<MARIA"},
        {"Þórunn", "THORUNN"},
        {"Åsa Ødegård", "AASA<OEDEGAARD"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_string_equal(tr(t[i].in), t[i].out);
}

static void test_cyrillic_and_arabic(void **state)
{
    assert_string_equal(tr("ТКАЧЕНКО"), "TKACHENKO");
    assert_string_equal(tr("МАР'ЯНА"), "MARIANA");
    assert_string_equal(tr("Тест"), "TEST");
    assert_string_equal(tr("Жукова Щука Юлия"), "ZHUKOVA<SHCHUKA<IULIIA");
    assert_string_equal(tr("Ольга"), "OLGA");
    assert_string_equal(tr("Хрущёв"), "KHRUSHCHEV");
    assert_string_equal(tr("Їжак Ґанна Єва"), "IZHAK<GANNA<IEVA");
    assert_string_equal(tr("Љубица Његош Џон"), "LJUBITSA<NJEGOSH<DZON");
    assert_string_equal(tr("محمود"), "MXHMWD");
    assert_string_equal(tr("عبدالرحيم"), "EBDALRXHYM");
}

static void test_refusals_and_limits(void **state)
{
    char out[8];
    struct muster_err err;
    assert_int_equal(translit_mrz("東京", 6, out, sizeof out, &err), MUSTER_EINVAL);
    assert_non_null(strstr(err.msg, "U+6771"));
    assert_int_equal(translit_mrz("A\xc3", 2, out, sizeof out, &err), MUSTER_EINVAL);
    assert_non_null(strstr(err.msg, "invalid UTF-8"));
    assert_int_equal(translit_mrz("\xc0\xaf", 2, out, sizeof out, &err), MUSTER_EINVAL);
    assert_int_equal(translit_mrz("\xed\xa0\x80", 3, out, sizeof out, &err), MUSTER_EINVAL);
    /* the full length is returned even when out is too small */
    assert_int_equal(translit_mrz("Müllerstraße", strlen("Müllerstraße"), out, sizeof out, &err),
                     14);
    assert_string_equal(out, "MUELLER");
    assert_int_equal(translit_mrz("", 0, out, sizeof out, &err), 0);
    assert_string_equal(out, "");
    assert_string_equal(tr("*$()&/\\"), "<<<<<<<");
    assert_string_equal(tr("a1 b2"), "A1<B2");
    assert_null(translit_codepoint(0x4E00));
    assert_string_equal(translit_codepoint(0x2019), "");
    assert_string_equal(translit_codepoint(0x2014), "<");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin_table),
        cmocka_unit_test(test_cyrillic_and_arabic),
        cmocka_unit_test(test_refusals_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

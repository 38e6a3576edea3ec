/* test_screen.c — name folding, romanisation keys, the watchlist CSV and
 * matching: one test per variant class of the pre-clearance issue. */
#include "screen/screen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const char *fold(const char *s)
{
    static char out[128];
    screen_name_fold(s, out, sizeof out);
    return out;
}

static unsigned mode = SCREEN_KEY_SURNAME; /* the kind of name SAME compares */

/* The key of a whole folded name, spaces ignored (first reading of OO). */
static const char *key(const char *s)
{
    static char out[2][64];
    static int k;
    char f[128], j[128];
    size_t n = 0;
    screen_name_fold(s, f, sizeof f);
    for (char *p = f; *p; p++)
        if (*p != ' ')
            j[n++] = *p;
    j[n] = '\0';
    k ^= 1;
    screen_name_key(j, n, mode, out[k], sizeof out[k]);
    return out[k];
}

static void test_fold(void **state)
{
    assert_string_equal(fold("Yūko"), "YUKO");
    assert_string_equal(fold("Shin'ichi"), "SHINICHI");
    assert_string_equal(fold("Shin’ichi"), "SHINICHI");
    assert_string_equal(fold(" Seo-yeon "), "SEOYEON");
    assert_string_equal(fold("Seo yeon"), "SEO YEON");
    assert_string_equal(fold("seo  yeon"), "SEO YEON");
    assert_string_equal(fold("Müller-Lüdenscheidt"), "MUELLERLUEDENSCHEIDT");
    assert_string_equal(fold("O.Brien, Pat"), "O BRIEN PAT");
    assert_string_equal(fold("Łukasz Ōno"), "LUKASZ ONO");
    assert_string_equal(fold("김서연"), "GIMSEOYEON");
    assert_string_equal(fold("이"), "I");
    assert_string_equal(fold("박"), "BAK");
    assert_string_equal(fold("정"), "JEONG");
    assert_string_equal(fold(""), "");
    assert_string_equal(fold("\xff\xfe-"), "");
    char small[4];
    assert_int_equal(screen_name_fold("ABCDEFG", small, sizeof small), 3);
    assert_string_equal(small, "ABC");
}

/* True when some reading of a meets some reading of b (as the index does). */
static bool keys_meet(const char *a, const char *b)
{
    char ka[2][64], kb[2][64], fa[128], fb[128], ja[128], jb[128];
    size_t na = 0, nb = 0;
    screen_name_fold(a, fa, sizeof fa);
    screen_name_fold(b, fb, sizeof fb);
    for (char *p = fa; *p; p++)
        if (*p != ' ')
            ja[na++] = *p;
    for (char *p = fb; *p; p++)
        if (*p != ' ')
            jb[nb++] = *p;
    for (int alt = 0; alt < 2; alt++) {
        screen_name_key(ja, na, mode | (alt ? SCREEN_KEY_ALT_OO : 0), ka[alt], 64);
        screen_name_key(jb, nb, mode | (alt ? SCREEN_KEY_ALT_OO : 0), kb[alt], 64);
    }
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (strcmp(ka[i], kb[j]) == 0)
                return true;
    return false;
}

static void assert_same_key(const char *const *names, int n)
{
    for (int i = 1; i < n; i++)
        if (!keys_meet(names[0], names[i]))
            fail_msg("%s (%s) and %s (%s) should share a key", names[0], key(names[0]), names[i],
                     key(names[i]));
}

#define SAME(...)                                                                                  \
    do {                                                                                           \
        const char *v[] = {__VA_ARGS__};                                                           \
        assert_same_key(v, (int)(sizeof v / sizeof v[0]));                                         \
    } while (0)

static void test_korean_surnames(void **state)
{
    mode = SCREEN_KEY_SURNAME;
    SAME("Lee", "Yi", "Rhee", "I", "이", "LEE");
    SAME("Park", "Pak", "Bak", "박");
    SAME("Choi", "Choe", "최");
    SAME("Jeong", "Jung", "Chung", "정");
    SAME("Kang", "Gang", "강");
    SAME("Gim", "Kim", "김");
    SAME("Lim", "Im", "Rim", "임");
    SAME("Yoon", "Yun", "윤");
    SAME("Young", "Yeong", "영");
    SAME("Heo", "Huh", "허");
    /* and different names stay apart */
    assert_string_not_equal(key("Kim"), key("Kang"));
    assert_string_not_equal(key("Jeong"), key("Jang"));
    assert_string_not_equal(key("Park"), key("Pae"));
    assert_false(keys_meet("Lee", "Yoon"));
    mode = SCREEN_KEY_SURNAME;
    assert_false(keys_meet("Yuko", "Yoko"));
}

static void test_japanese_names(void **state)
{
    mode = SCREEN_KEY_SURNAME;
    SAME("Ohno", "Ono", "Oono", "Oh-no", "Ōno");
    SAME("Satou", "Sato", "Satoh", "Satō");
    SAME("Otsuka", "Ohtsuka", "Otuka");
    SAME("Oue", "Ooue", "Ōue");
    SAME("Oe", "Ooe", "Ōe");
    assert_false(keys_meet("Ono", "Uno"));
    assert_false(keys_meet("Sato", "Saito"));
    mode = 0;
    SAME("Shinichi", "Shin'ichi", "Sinichi", "Shin-ichi");
    SAME("Yuko", "Yuuko", "Yūko");
    SAME("Jun'ichi", "Junichi");
    SAME("Tsuyoshi", "Tuyosi");
    SAME("Chiaki", "Tiaki");
    SAME("Kenji", "Kenzi");
    SAME("Shouta", "Shota", "Syota");
    SAME("Shoue", "Shoe");
    SAME("Kouichi", "Koichi", "Kōichi");
    SAME("Fujita", "Hujita");
    SAME("Namba", "Nanba");
    assert_false(keys_meet("Yuko", "Yoko"));
    /* given names keep an initial R: Ryota is not Yota, Rin is not In */
    assert_false(keys_meet("Ryota", "Yota"));
    assert_false(keys_meet("Rinji", "Inji"));
}

static void test_given_spacing(void **state)
{
    mode = 0;
    SAME("Seo-yeon", "Seoyeon", "Seo Yeon", "서연");
    SAME("Min-jun", "Minjun", "Min Jun");
    SAME("Cheol", "Chul");
    /* a final L is a letter (Chul is not Joo), an H after N too (Minho) */
    assert_false(keys_meet("Chul", "Joo"));
    assert_false(keys_meet("Sol", "Soo"));
    assert_false(keys_meet("Wonhyeon", "Wonyeon"));
}

static void test_oo_second_reading(void **state)
{
    char a[64], b[64];
    screen_name_key("YOO", 3, SCREEN_KEY_ALT_OO, a, sizeof a);
    screen_name_key("YU", 2, 0, b, sizeof b);
    assert_string_equal(a, b);
    screen_name_key("OONO", 4, 0, a, sizeof a);
    screen_name_key("ONO", 3, 0, b, sizeof b);
    assert_string_equal(a, b);
}

static void test_date_parse(void **state)
{
    struct screen_date d;
    assert_int_equal(screen_date_parse("1985-03-07", &d), 0);
    assert_true(d.y == 1985 && d.m == 3 && d.d == 7);
    assert_int_equal(screen_date_parse("1985", &d), 0);
    assert_true(d.y == 1985 && d.m == 0 && d.d == 0);
    assert_int_equal(screen_date_parse("1985-XX-XX", &d), 0);
    assert_true(d.y == 1985 && d.m == 0);
    assert_int_equal(screen_date_parse("1985-04", &d), 0);
    assert_int_equal(d.m, 4);
    assert_int_equal(screen_date_parse("", &d), 0);
    assert_int_equal(d.y, 0);
    assert_int_equal(screen_date_parse("1985-02-30", &d), -1);
    assert_int_equal(screen_date_parse("1985-13-01", &d), -1);
    assert_int_equal(screen_date_parse("1985-00-05", &d), -1);
    assert_int_equal(screen_date_parse("85-03-07", &d), -1);
    assert_int_equal(screen_date_parse("1985/03/07", &d), -1);
}

static const char wl_csv[] = "id,surname,given_names,birth_date,nationality,reason\n"
                             "W1,LEE,MIN-JUN,1985-03-07,KOR,fraudulent documents 2019\n"
                             "W2,PARK,SEO YEON,1990-11-02,KOR,\"overstay, 2021\"\n"
                             "W3,OHNO,SHINICHI,1978,JPN,interpol notice\n"
                             "W4,JEONG,HO,1966-05-12,KOR,customs fraud\n"
                             "W5,SMITH,JOHN MICHAEL,1970-01-20,USA,test entry\n"
                             "W6,KIM,YUKO,1995-07-03,JPN,test entry\n"
                             "W7,김,서연,1988-02-14,KOR,hangul entry\n"
                             "W8,CHOI,,1960-01-01,KOR,no given names\n";

static struct screen_watchlist *load(void)
{
    struct screen_watchlist *wl;
    struct muster_err err;
    assert_int_equal(screen_watchlist_load(wl_csv, strlen(wl_csv), &wl, &err), 0);
    return wl;
}

static struct screen_passenger pax(const char *sur, const char *giv, const char *dob,
                                   const char *nat)
{
    struct screen_passenger p = {.surname = sur, .given_names = giv};
    assert_int_equal(screen_date_parse(dob, &p.birth), 0);
    snprintf(p.nationality, sizeof p.nationality, "%s", nat);
    return p;
}

/* Screens p and returns the best hit's entry id ("" if none). */
static const char *best(const struct screen_watchlist *wl, struct screen_passenger p,
                        struct screen_hit *h)
{
    static char id[32];
    struct screen_entry e;
    if (screen_match(wl, &p, SCREEN_DEFAULT_THRESHOLD, h, 1) == 0)
        return "";
    screen_watchlist_entry(wl, h->entry, &e);
    snprintf(id, sizeof id, "%s", e.id);
    return id;
}

static void test_watchlist_csv(void **state)
{
    struct screen_watchlist *wl = load();
    struct screen_entry e;
    assert_int_equal(screen_watchlist_size(wl), 8);
    screen_watchlist_entry(wl, 1, &e);
    assert_string_equal(e.id, "W2");
    assert_string_equal(e.reason, "overstay, 2021");
    assert_string_equal(e.given_names, "SEO YEON");
    assert_int_equal(e.birth.y, 1990);
    screen_watchlist_entry(wl, 2, &e);
    assert_int_equal(e.birth.m, 0);
    screen_watchlist_free(wl);

    struct muster_err err;
    const char *headless = "PARK,MIN,1980-01-01,kor,x,9\r\nKIM,A,,,,10\r\n";
    assert_int_equal(screen_watchlist_load(headless, strlen(headless), &wl, &err), 0);
    assert_int_equal(screen_watchlist_size(wl), 2);
    screen_watchlist_entry(wl, 0, &e);
    assert_string_equal(e.nationality, "KOR");
    assert_string_equal(e.id, "9");
    screen_watchlist_free(wl);

    const char *bad = "surname,given_names,birth_date\nA,B,1980\nC,D,19x0-01-01\n";
    assert_int_equal(screen_watchlist_load(bad, strlen(bad), &wl, &err), MUSTER_EINVAL);
    assert_non_null(strstr(err.msg, "line 3"));
    assert_null(wl);
    const char *quote = "surname\n\"OPEN\n";
    assert_int_equal(screen_watchlist_load(quote, strlen(quote), &wl, &err), MUSTER_EINVAL);
    const char *nat = "surname,nationality\nA,KOREA\n";
    assert_int_equal(screen_watchlist_load(nat, strlen(nat), &wl, &err), MUSTER_EINVAL);
    assert_int_equal(screen_watchlist_load("", 0, &wl, &err), 0);
    assert_int_equal(screen_watchlist_size(wl), 0);
    struct screen_passenger p = pax("LEE", "MINJUN", "", "");
    struct screen_hit h;
    assert_int_equal(screen_match(wl, &p, 60, &h, 1), 0);
    screen_watchlist_free(wl);
}

static void test_match_korean_variants(void **state)
{
    struct screen_watchlist *wl = load();
    struct screen_hit h;
    const char *lee[] = {"Lee", "Yi", "Rhee", "I", "이"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(best(wl, pax(lee[i], "Min-jun", "1985-03-07", "KOR"), &h), "W1");
        assert_int_equal(h.score, 100);
        if (i > 0) {
            assert_true(h.flags & SCREEN_WHY_SURNAME_VARIANT);
            assert_non_null(strstr(h.why, "romanisation variant"));
        }
    }
    assert_string_equal(best(wl, pax("Pak", "Seo-yeon", "1990-11-02", "KOR"), &h), "W2");
    assert_string_equal(best(wl, pax("Bak", "Seoyeon", "1990-11-02", "KOR"), &h), "W2");
    assert_true(h.flags & SCREEN_WHY_GIVEN_SPACING);
    assert_non_null(strstr(h.why, "written apart or together"));
    assert_string_equal(best(wl, pax("Chung", "Ho", "1966-05-12", "KOR"), &h), "W4");
    assert_string_equal(best(wl, pax("Jung", "Ho", "1966-05-12", ""), &h), "W4");
    /* the Hangul entry, met by its romanisations */
    assert_string_equal(best(wl, pax("Kim", "Seo-yeon", "1988-02-14", "KOR"), &h), "W7");
    assert_string_equal(best(wl, pax("Gim", "Seoyeon", "1988-02-14", "KOR"), &h), "W7");
    screen_watchlist_free(wl);
}

static void test_match_japanese_variants(void **state)
{
    struct screen_watchlist *wl = load();
    struct screen_hit h;
    const char *ohno[] = {"Ohno", "Ono", "Oono", "Oh-no", "Ōno"};
    const char *shin[] = {"Shinichi", "Shin'ichi", "Sinichi"};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 3; j++)
            assert_string_equal(best(wl, pax(ohno[i], shin[j], "1978-06-30", "JPN"), &h), "W3");
    assert_true(h.flags & SCREEN_WHY_BIRTH_YEAR);
    const char *yuko[] = {"Yuko", "Yuuko", "Yūko"};
    for (int i = 0; i < 3; i++)
        assert_string_equal(best(wl, pax("Kim", yuko[i], "1995-07-03", "JPN"), &h), "W6");
    assert_string_equal(best(wl, pax("Kim", "Yoko", "1995-07-03", "JPN"), &h), "");
    screen_watchlist_free(wl);
}

static void test_match_swapped(void **state)
{
    struct screen_watchlist *wl = load();
    struct screen_hit h;
    assert_string_equal(best(wl, pax("Min-jun", "Lee", "1985-03-07", "KOR"), &h), "W1");
    assert_true(h.flags & SCREEN_WHY_SWAPPED);
    assert_non_null(strstr(h.why, "swapped"));
    assert_int_equal(h.score, 95);
    assert_string_equal(best(wl, pax("Seo Yeon", "Park", "1990-11-02", "KOR"), &h), "W2");
    assert_string_equal(best(wl, pax("Shinichi", "Ono", "1978", "JPN"), &h), "W3");
    screen_watchlist_free(wl);
}

static void test_match_middle_name(void **state)
{
    struct screen_watchlist *wl = load();
    struct screen_hit h;
    assert_string_equal(best(wl, pax("Smith", "John", "1970-01-20", "USA"), &h), "W5");
    assert_true(h.flags & SCREEN_WHY_MIDDLE_MISSING);
    assert_int_equal(h.score, 90);
    assert_string_equal(best(wl, pax("Smith", "John Michael", "1970-01-20", "USA"), &h), "W5");
    assert_int_equal(h.score, 100);
    assert_string_equal(best(wl, pax("Smith", "John Peter", "1970-01-20", "USA"), &h), "");
    assert_string_equal(best(wl, pax("Smith", "Michael", "1970-01-20", "USA"), &h), "");
    assert_string_equal(best(wl, pax("John", "Smith", "1970-01-20", "USA"), &h), "W5");
    /* a Korean given name written in syllables is not a first and a middle name */
    assert_string_equal(best(wl, pax("Park", "Seo", "1990-11-02", "KOR"), &h), "");
    screen_watchlist_free(wl);
}

static void test_match_birth_dates(void **state)
{
    struct screen_watchlist *wl = load();
    struct screen_hit h;
    assert_string_equal(best(wl, pax("Lee", "Minjun", "1985-07-03", "KOR"), &h), "W1");
    assert_true(h.flags & SCREEN_WHY_BIRTH_SWAPPED);
    assert_non_null(strstr(h.why, "day and month swapped"));
    assert_string_equal(best(wl, pax("Lee", "Minjun", "1985", "KOR"), &h), "W1");
    assert_true(h.flags & SCREEN_WHY_BIRTH_YEAR);
    assert_string_equal(best(wl, pax("Lee", "Minjun", "1985-03", "KOR"), &h), "W1");
    assert_true(h.flags & SCREEN_WHY_BIRTH_MONTH);
    assert_string_equal(best(wl, pax("Lee", "Minjun", "", "KOR"), &h), "W1");
    assert_true(h.flags & SCREEN_WHY_BIRTH_UNKNOWN);
    /* contradictions rule the entry out */
    assert_string_equal(best(wl, pax("Lee", "Minjun", "1986-03-07", "KOR"), &h), "");
    assert_string_equal(best(wl, pax("Lee", "Minjun", "1985-04-09", "KOR"), &h), "");
    assert_string_equal(best(wl, pax("Lee", "Minjun", "1985-05", "KOR"), &h), "");
    screen_watchlist_free(wl);
}

static void test_match_scores_and_nationality(void **state)
{
    struct screen_watchlist *wl = load();
    struct screen_hit h;
    assert_string_equal(best(wl, pax("Lee", "Minjun", "1985-03-07", "JPN"), &h), "W1");
    assert_int_equal(h.score, 85);
    assert_true(h.flags & SCREEN_WHY_NAT_DIFFERS);
    /* a weak hit falls under the threshold when the nationality differs */
    assert_string_equal(best(wl, pax("Lee", "Minjun", "", "JPN"), &h), "");
    struct screen_passenger p = pax("Lee", "Minjun", "", "JPN");
    assert_int_equal(screen_match(wl, &p, 40, &h, 1), 1);
    assert_int_equal(h.score, 50);
    /* no given names on either side */
    assert_string_equal(best(wl, pax("Choe", "", "1960-01-01", "KOR"), &h), "W8");
    /* empty and NULL names never match */
    assert_string_equal(best(wl, pax("", "", "1985-03-07", "KOR"), &h), "");
    p = (struct screen_passenger){0};
    assert_int_equal(screen_match(wl, &p, 60, &h, 1), 0);
    screen_watchlist_free(wl);
}

static void test_match_oo_by_nationality(void **state)
{
    const char *csv = "surname,given_names,birth_date,nationality,id\n"
                      "JOO,MINSOO,1980-01-01,KOR,K1\n"
                      "OONO,YUKO,1980-01-01,JPN,J1\n"
                      "KOO,JIHOON,1980-01-01,,X1\n";
    struct screen_watchlist *wl;
    struct muster_err err;
    struct screen_hit h;
    assert_int_equal(screen_watchlist_load(csv, strlen(csv), &wl, &err), 0);
    /* a Korean Joo is Ju (not Jo, another name); Minsoo is Minsu */
    assert_string_equal(best(wl, pax("Ju", "Minsu", "1980-01-01", "KOR"), &h), "K1");
    assert_string_equal(best(wl, pax("Cho", "Minsoo", "1980-01-01", "KOR"), &h), "");
    assert_string_equal(best(wl, pax("Jo", "Minsoo", "1980-01-01", ""), &h), "");
    /* a Japanese Oono is Ono */
    assert_string_equal(best(wl, pax("Ono", "Yuuko", "1980-01-01", "JPN"), &h), "J1");
    assert_string_equal(best(wl, pax("Uno", "Yuko", "1980-01-01", "JPN"), &h), "");
    /* a Japanese OH before Y is a long O; a Korean H before Y is a letter */
    const char *csv2 = "surname,given_names,birth_date,nationality,id\n"
                       "KOYAMA,KOKI,1986-07-01,JPN,J2\n"
                       "KIM,DOYUN,1990-01-01,KOR,K2\n";
    struct screen_watchlist *wl2;
    assert_int_equal(screen_watchlist_load(csv2, strlen(csv2), &wl2, &err), 0);
    assert_string_equal(best(wl2, pax("Kohyama", "Koki", "1986-07-01", "JPN"), &h), "J2");
    assert_string_equal(best(wl2, pax("Kim", "Dohyun", "1990-01-01", "KOR"), &h), "");
    screen_watchlist_free(wl2);
    /* nationality unknown: both readings */
    assert_string_equal(best(wl, pax("Ku", "Jihun", "1980-01-01", "KOR"), &h), "X1");
    assert_string_equal(best(wl, pax("Ko", "Jihoon", "1980-01-01", "JPN"), &h), "X1");
    screen_watchlist_free(wl);
}

static void test_match_sex(void **state)
{
    const char *csv = "id,surname,given_names,birth_date,nationality,sex,reason\n"
                      "S1,KIM,MINJUN,1985-03-07,KOR,M,x\n"
                      "S2,KIM,HARIN,1990,KOR,female,x\n"
                      "S3,KIM,DOYUN,1991-04-05,KOR,X,x\n"
                      "S4,KIM,JIHO,1992,KOR,,x\n";
    struct screen_watchlist *wl;
    struct muster_err err;
    struct screen_hit h;
    struct screen_entry e;
    assert_int_equal(screen_watchlist_load(csv, strlen(csv), &wl, &err), 0);
    screen_watchlist_entry(wl, 1, &e);
    assert_int_equal(e.sex, 'F');
    screen_watchlist_entry(wl, 3, &e);
    assert_int_equal(e.sex, 0);
    struct screen_passenger p = pax("Gim", "Min-jun", "1985-03-07", "KOR");
    p.sex = 'M';
    assert_string_equal(best(wl, p, &h), "S1");
    assert_int_equal(h.score, 100);
    assert_true(h.flags & SCREEN_WHY_SEX_SAME);
    assert_non_null(strstr(h.why, "sex M"));
    /* a conflict costs SCREEN_SEX_CONFLICT: with the exact date still a hit */
    p.sex = 'F';
    assert_string_equal(best(wl, p, &h), "S1");
    assert_int_equal(h.score, 100 - SCREEN_SEX_CONFLICT);
    assert_true(h.flags & SCREEN_WHY_SEX_DIFFERS);
    assert_non_null(strstr(h.why, "sex F vs M (differs)"));
    /* with only the year agreeing it is not */
    p = pax("Kim", "Harin", "1990-06-01", "KOR");
    p.sex = 'F';
    assert_string_equal(best(wl, p, &h), "S2");
    assert_int_equal(h.score, 80);
    p.sex = 'M';
    assert_string_equal(best(wl, p, &h), "");
    /* X, U or unknown on either side: no conflict and no flag */
    p = pax("Kim", "Doyun", "1991-04-05", "KOR");
    p.sex = 'F';
    assert_string_equal(best(wl, p, &h), "S3");
    assert_int_equal(h.score, 100);
    assert_false(h.flags & (SCREEN_WHY_SEX_SAME | SCREEN_WHY_SEX_DIFFERS));
    p = pax("Kim", "Jiho", "1992-01-01", "KOR");
    p.sex = 'M';
    assert_string_equal(best(wl, p, &h), "S4");
    p = pax("Kim", "Harin", "1990-06-01", "KOR");
    p.sex = 'X';
    assert_string_equal(best(wl, p, &h), "S2");
    screen_watchlist_free(wl);
    /* a value that is not a sex rejects the file, naming the line */
    const char *bad = "surname,given_names,sex\nKIM,A,M\nLEE,B,W\n";
    assert_int_equal(screen_watchlist_load(bad, strlen(bad), &wl, &err), MUSTER_EINVAL);
    assert_non_null(strstr(err.msg, "line 3"));
    assert_non_null(strstr(err.msg, "sex 'W'"));
    assert_null(wl);
}

static void test_match_japanese_strict(void **state)
{
    const char *csv = "id,surname,given_names,birth_date,nationality\n"
                      "J1,NAKAI,CHIAKI,1980,JPN\n"
                      "J2,TSUKINAGA,MINA,1990-05-06,JPN\n"
                      "K1,GIM,BOMI,1985,KOR\n";
    struct screen_watchlist *wl;
    struct muster_err err;
    struct screen_hit h;
    assert_int_equal(screen_watchlist_load(csv, strlen(csv), &wl, &err), 0);
    /* Japanese romanisations of one name still meet in full */
    assert_string_equal(best(wl, pax("Nakai", "Tiaki", "1980-02-03", "JPN"), &h), "J1");
    assert_int_equal(h.score, 80);
    assert_false(h.flags & SCREEN_WHY_JA_SPELLING);
    /* Nagai is not Nakai, Jiaki is not Chiaki, when both sides are JPN */
    struct screen_passenger p = pax("Nagai", "Chiaki", "1980-02-03", "JPN");
    assert_string_equal(best(wl, p, &h), "");
    assert_int_equal(screen_match(wl, &p, 1, &h, 1), 1);
    assert_int_equal(h.score, 80 - SCREEN_JA_SPELLING_CONFLICT);
    assert_true(h.flags & SCREEN_WHY_JA_SPELLING);
    assert_string_equal(best(wl, pax("Nakai", "Jiaki", "1980-02-03", "JPN"), &h), "");
    /* with an exact birth date it still refers, and says why */
    assert_string_equal(best(wl, pax("Tsukinaka", "Mina", "1990-05-06", "JPN"), &h), "J2");
    assert_int_equal(h.score, 100 - SCREEN_JA_SPELLING_CONFLICT);
    assert_non_null(strstr(h.why, "G/K, B/P or CH/J differ"));
    /* elsewhere the Korean equivalences stand: Gim = Kim, Bomi = Pomi */
    assert_string_equal(best(wl, pax("Kim", "Pomi", "1985-01-01", "KOR"), &h), "K1");
    assert_string_equal(best(wl, pax("Nagai", "Chiaki", "1980-02-03", ""), &h), "J1");
    assert_string_equal(best(wl, pax("Nagai", "Chiaki", "1980-02-03", "USA"), &h), "J1");
    screen_watchlist_free(wl);
}

static void test_match_many_candidates(void **state)
{
    /* 2000 people with the same name: every one is considered, only the
     * right birth date hits, and the hit count is exact */
    char *csv = malloc(2000 * 48 + 64);
    size_t n = (size_t)sprintf(csv, "surname,given_names,birth_date,id\n");
    for (int i = 0; i < 2000; i++)
        n += (size_t)sprintf(csv + n, "KIM,MINJUN,%d-%02d-%02d,E%d\n", 1950 + i % 50, 1 + i % 12,
                             1 + i % 28, i);
    struct screen_watchlist *wl;
    struct muster_err err;
    assert_int_equal(screen_watchlist_load(csv, n, &wl, &err), 0);
    struct screen_hit h[4];
    struct screen_passenger p = pax("Gim", "Min-jun", "1999-02-22", "");
    int found = screen_match(wl, &p, 60, h, 4);
    assert_int_equal(found, 1); /* i = 49 */
    assert_int_equal(h[0].entry, 49);
    p = pax("Gim", "Min-jun", "1999", "");
    found = screen_match(wl, &p, 60, h, 4);
    assert_int_equal(found, 40);
    screen_watchlist_free(wl);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_korean_surnames),
        cmocka_unit_test(test_japanese_names),
        cmocka_unit_test(test_given_spacing),
        cmocka_unit_test(test_oo_second_reading),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_watchlist_csv),
        cmocka_unit_test(test_match_korean_variants),
        cmocka_unit_test(test_match_japanese_variants),
        cmocka_unit_test(test_match_swapped),
        cmocka_unit_test(test_match_middle_name),
        cmocka_unit_test(test_match_birth_dates),
        cmocka_unit_test(test_match_scores_and_nationality),
        cmocka_unit_test(test_match_oo_by_nationality),
        cmocka_unit_test(test_match_sex),
        cmocka_unit_test(test_match_japanese_strict),
        cmocka_unit_test(test_match_many_candidates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

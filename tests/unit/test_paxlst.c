/* test_paxlst.c — PAXLST and CUSRES: every sample of tests/vectors/paxlst-samples
 * read with its expected facts, samples written back and re-read, a property
 * test over generated manifests (names with released characters, splits,
 * crew, centuries), JSON both ways, builder errors and CUSRES both ways. */
#include "travel/cusres.h"
#include "travel/paxlst.h"
#include "util/rng.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* --- helpers ------------------------------------------------------------------------- */

static char *slurp(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "tests/vectors/paxlst-samples/%s", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)n + 1);
    *len = fread(d, 1, (size_t)n, f);
    d[*len] = 0;
    fclose(f);
    return d;
}

static void parse_sample(const char *name, struct paxlst_interchange *ic)
{
    size_t len;
    char *d = slurp(name, &len);
    struct muster_err err = {0};
    memset(ic, 0, sizeof *ic);
    assert_int_equal(paxlst_parse(d, len, ic, &err), 0);
    free(d);
}

static bool has_diag(const struct paxlst_interchange *ic, const char *code, const char *tag)
{
    for (size_t i = 0; i < ic->ndiags; i++)
        if (strcmp(edi_code_name(ic->diags[i].code), code) == 0 &&
            (!tag || strcmp(ic->diags[i].tag, tag) == 0))
            return true;
    return false;
}

static bool same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

#define assert_same(a, b)                                                                          \
    do {                                                                                           \
        if (!same(a, b))                                                                           \
            fail_msg("%s: '%s' != '%s'", #a, (a) ? (a) : "(null)", (b) ? (b) : "(null)");          \
    } while (0)

static void assert_date(struct paxlst_date d, int y, int m, int day)
{
    assert_int_equal(d.year, y);
    assert_int_equal(d.month, m);
    assert_int_equal(d.day, day);
}

/* What the builder's output may be warned about: people without documents
 * (the generators leave some out on purpose). Nothing else. */
static bool expected_warning(const struct edi_diag *g)
{
    return g->severity == EDI_WARNING && g->code == EDI_MESSAGE &&
           strstr(g->msg, "no travel document") != NULL;
}

static void assert_clean(const struct paxlst_interchange *ic)
{
    for (size_t i = 0; i < ic->ndiags; i++)
        if (!expected_warning(&ic->diags[i]))
            fail_msg("unexpected: %s", ic->diags[i].msg);
}

/* --- the samples ----------------------------------------------------------------------- */

static void test_wco_51_passenger(void **state)
{
    struct paxlst_interchange ic;
    parse_sample("wco-guide-example-5.1-passenger.edi", &ic);
    assert_int_equal(ic.nerrors, 0);
    assert_string_equal(ic.sender, "ZZAIRLINE");
    assert_string_equal(ic.control_ref, "000000001");
    assert_int_equal(ic.nmessages, 1);
    struct paxlst_message *m = &ic.messages[0];
    assert_string_equal(m->document_code, "745");
    assert_string_equal(m->transaction_ref, "1234567890");
    assert_string_equal(m->reporting.name, "DAVIDSON ROBERT");
    assert_string_equal(m->reporting.email, "DAVIDSONR.AT. IATA.ORG");
    assert_int_equal(m->nlegs, 1);
    assert_string_equal(m->legs[0].carrier, "ZZ");
    assert_string_equal(m->legs[0].number, "123");
    assert_string_equal(m->legs[0].departure_place, "SYD");
    assert_string_equal(m->legs[0].arrival_place, "HNL");
    assert_int_equal(m->legs[0].departure.hour, 9);
    assert_int_equal(m->legs[0].arrival.hour, 22); /* "DTM+232: 1306212200:201" */
    assert_int_equal(m->npeople, 1);
    struct paxlst_person *p = &m->people[0];
    assert_int_equal(p->role, PAXLST_PASSENGER);
    assert_string_equal(p->surname, "WILLIAMS");
    assert_string_equal(p->given_names, "JOHN DONALD");
    assert_string_equal(p->sex, "M");
    assert_date(p->birth_date, 1972, 9, 7);
    assert_string_equal(p->nationality, "GBR");
    assert_string_equal(p->address.region, "LINCS");
    assert_string_equal(p->address.country, "GBR");
    assert_string_equal(p->birth_place, "AMBER HILL GBR");
    assert_string_equal(p->residence_country, "GBR");
    assert_string_equal(p->clearance_place, "HNL");
    assert_string_equal(p->embarkation, "SYD");
    assert_string_equal(p->reservation_ref, "TYR123");
    assert_string_equal(p->passenger_ref, "ABC123");
    assert_int_equal(p->ndocuments, 1);
    assert_string_equal(p->documents[0].type, "P");
    assert_string_equal(p->documents[0].number, "MB140241");
    assert_string_equal(p->documents[0].issuing_state, "GBR");
    assert_date(p->documents[0].expiry, 2015, 12, 31);
    assert_int_equal(m->declared_passengers, 160);
    /* CNT+42:160 for one passenger, and the agency segments it does not use */
    assert_true(has_diag(&ic, "message_rule", "CNT"));
    assert_true(has_diag(&ic, "unused_segment", "MEA"));
    assert_true(has_diag(&ic, "unused_segment", "GEI"));
    assert_true(has_diag(&ic, "unused_segment", "FTX"));
    paxlst_free(&ic);
}

static void test_wco_52_crew(void **state)
{
    struct paxlst_interchange ic;
    parse_sample("wco-guide-example-5.2-crew.edi", &ic);
    assert_true(has_diag(&ic, "unt_count_mismatch", "UNT")); /* 20 declared, 21 counted */
    struct paxlst_message *m = &ic.messages[0];
    assert_string_equal(m->document_code, "250");
    assert_string_equal(m->reporting.id, "USD090746");
    assert_int_equal(m->npeople, 1);
    assert_int_equal(m->people[0].role, PAXLST_CREW);
    assert_string_equal(m->people[0].surname, "CLARK");
    assert_string_equal(m->people[0].address.street, " 2365 KAANAPALI HIGHWAY");
    assert_string_equal(m->people[0].address.postcode, " 96761");
    assert_int_equal(m->declared_crew, 8);
    paxlst_free(&ic);
}

static void test_wco_53_progressive(void **state)
{
    struct paxlst_interchange ic;
    parse_sample("wco-guide-example-5.3-progressive.edi", &ic);
    assert_int_equal(ic.nerrors, 0);
    struct paxlst_message *m = &ic.messages[0];
    assert_int_equal(m->nlegs, 2);
    assert_true(m->legs[0].progressive);
    assert_string_equal(m->legs[0].departure_place, "BCN");
    assert_string_equal(m->legs[0].arrival_place, "IAD");
    assert_string_equal(m->legs[1].departure_place, "IAD");
    assert_string_equal(m->legs[1].arrival_place, "SFO");
    assert_string_equal(m->legs[1].number, "ZX877"); /* not prefixed by its carrier XZ */
    assert_int_equal(m->npeople, 2);
    assert_string_equal(m->people[1].given_names, "SORINA MARIA");
    assert_string_equal(m->people[1].sex, "F");
    assert_string_equal(m->transaction_ref, "BART34567890");
    assert_int_equal(m->declared_passengers, 2);
    /* no CNT warning: the count matches */
    assert_false(has_diag(&ic, "message_rule", NULL));
    paxlst_free(&ic);
}

static void test_astra_fragments(void **state)
{
    struct paxlst_interchange ic;
    parse_sample("astra-apis-test1-unh-une.edi", &ic);
    /* generator output from UNH to UNE only: the envelope errors are reported */
    assert_true(has_diag(&ic, "missing_unb", NULL));
    assert_true(has_diag(&ic, "orphan_une", NULL));
    assert_false(has_diag(&ic, "unt_count_mismatch", NULL));
    struct paxlst_message *m = &ic.messages[0];
    assert_int_equal(m->part, 1);
    assert_int_equal(m->part_flag, 'F');
    assert_string_equal(m->common_access_ref, "OK688/071008/1310");
    assert_string_equal(m->legs[0].carrier, "OK");
    assert_string_equal(m->legs[0].number, "688");
    assert_int_equal(m->npeople, 3);
    assert_string_equal(m->people[0].documents[0].type, "I");
    assert_string_equal(m->people[0].given_names, "JAROSLAV VICTOROVICH");
    assert_date(m->people[1].documents[0].expiry, 2008, 9, 11);
    paxlst_free(&ic);

    parse_sample("astra-apis-test2-minimal.edi", &ic);
    m = &ic.messages[0];
    assert_null(m->legs[0].number);
    assert_string_equal(m->people[0].surname, "STRANSKY");
    assert_null(m->people[0].given_names);
    assert_int_equal(m->people[0].birth_date.year, 0); /* bare "DTM+329" */
    paxlst_free(&ic);
}

static void test_astra_multipart(void **state)
{
    const char *parts[] = {"astra-apis-test7-part1.edi", "astra-apis-test7-part2.edi",
                           "astra-apis-test7-part3.edi"};
    const int num[] = {1, 2, 3};
    const char flag[] = {'C', 0, 'F'};
    size_t total = 0;
    for (int i = 0; i < 3; i++) {
        struct paxlst_interchange ic;
        parse_sample(parts[i], &ic);
        struct paxlst_message *m = &ic.messages[0];
        assert_int_equal(m->part, num[i]);
        assert_int_equal(m->part_flag, flag[i]);
        assert_int_equal(m->declared_passengers, 5); /* the flight's total, in every part */
        assert_false(has_diag(&ic, "message_rule", NULL));
        total += m->npeople;
        paxlst_free(&ic);
    }
    assert_int_equal(total, 5);
}

static void test_smooks_d03b(void **state)
{
    struct paxlst_interchange ic;
    parse_sample("smooks-d03b-paxlst.edi", &ic);
    assert_int_equal(ic.nerrors, 0);
    assert_string_equal(ic.messages[0].release, "D:03B");
    assert_true(has_diag(&ic, "unused_segment", "NAD")); /* ACE land-border NAD+VW */
    paxlst_free(&ic);
    parse_sample("smooks-d03b-bad-paxlst.edi", &ic);
    assert_true(has_diag(&ic, "unt_count_mismatch", "UNT"));
    assert_true(has_diag(&ic, "message_rule", "RFF")); /* RFF twice in D03B */
    paxlst_free(&ic);
}

/* Each sample, written back with paxlst_write and read again, gives the same JSON
 * messages (envelope-less fragments get an envelope). */
static void test_samples_rewrite(void **state)
{
    const char *names[] = {"wco-guide-example-5.1-passenger.edi",
                           "wco-guide-example-5.2-crew.edi",
                           "wco-guide-example-5.3-progressive.edi",
                           "astra-apis-test1-unh-une.edi",
                           "astra-apis-test2-minimal.edi",
                           "astra-apis-test7-part1.edi",
                           "astra-apis-test7-part2.edi",
                           "astra-apis-test7-part3.edi"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct paxlst_interchange a, b = {0};
        parse_sample(names[i], &a);
        if (!a.sender) {
            a.sender = "X";
            a.recipient = "Y";
            a.control_ref = "1";
            a.prepared = (struct paxlst_datetime){2007, 10, 8, 9, 0, true};
        }
        struct buf out = {0}, ja = {0}, jb = {0};
        struct muster_err err = {0};
        assert_int_equal(paxlst_write(&a, NULL, &out, &err), 0);
        assert_int_equal(paxlst_parse(out.data, out.len, &b, &err), 0);
        assert_int_equal(b.nerrors, 0);
        a.ndiags = b.ndiags = 0;
        paxlst_to_json(&a, &ja);
        paxlst_to_json(&b, &jb);
        const char *ma = strstr(ja.data, "\"messages\""), *mb = strstr(jb.data, "\"messages\"");
        if (strcmp(ma, mb) != 0)
            fail_msg("%s:\n%s\n%s", names[i], ma, mb);
        buf_free(&out);
        buf_free(&ja);
        buf_free(&jb);
        paxlst_free(&a);
        paxlst_free(&b);
    }
}

/* The zero-copy parse gives the same JSON as the copying one, and leaves its
 * strings inside the caller's buffer. */
static void test_parse_inplace(void **state)
{
    const char *names[] = {"wco-guide-example-5.1-passenger.edi", "wco-guide-example-5.2-crew.edi",
                           "wco-guide-example-5.3-progressive.edi", "astra-apis-test1-unh-une.edi",
                           "smooks-d03b-bad-paxlst.edi"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        char *d = slurp(names[i], &len);
        struct paxlst_interchange a = {0}, b = {0};
        struct buf ja = {0}, jb = {0};
        assert_int_equal(paxlst_parse(d, len, &a, NULL), 0);
        assert_int_equal(paxlst_parse_inplace(d, len, &b, NULL), 0);
        paxlst_to_json(&a, &ja);
        paxlst_to_json(&b, &jb);
        assert_string_equal(ja.data, jb.data);
        if (b.nmessages && b.messages[0].npeople) {
            const char *sn = b.messages[0].people[0].surname;
            assert_true(sn >= d && sn < d + len);
        }
        buf_free(&ja);
        buf_free(&jb);
        paxlst_free(&a);
        paxlst_free(&b);
        free(d);
    }
    /* released characters are unescaped in place */
    char in[] = "UNB+UNOA:4+A+B+260101:0000+1'UNH+1+PAXLST:D:15B:UN:IATA'BGM+745'TDT+20+KE1+++KE'"
                "NAD+FL+++O?'NEIL?+SON:MARY?:ANN'UNT+5+1'UNZ+1+1'";
    struct paxlst_interchange c = {0};
    assert_int_equal(paxlst_parse_inplace(in, strlen(in), &c, NULL), 0);
    assert_int_equal(c.nerrors, 0);
    assert_string_equal(c.messages[0].people[0].surname, "O'NEIL+SON");
    assert_string_equal(c.messages[0].people[0].given_names, "MARY:ANN");
    paxlst_free(&c);
}

/* --- generated manifests ------------------------------------------------------------------ */

struct gen {
    struct rng r;
    struct arena a;
};

static const char *gen_text(struct gen *g, const char *alphabet, int minlen, int maxlen)
{
    int n = minlen + (int)rng_below(&g->r, (uint64_t)(maxlen - minlen + 1));
    char *s = arena_alloc(&g->a, (size_t)n + 1);
    size_t al = strlen(alphabet);
    for (int i = 0; i < n; i++)
        s[i] = alphabet[rng_below(&g->r, al)];
    /* no leading/trailing blanks in names: nothing in EDIFACT trims them, but a
     * given name that ends in a blank is indistinguishable from two components */
    if (n && s[0] == ' ')
        s[0] = 'A';
    if (n && s[n - 1] == ' ')
        s[n - 1] = 'Z';
    return n ? s : NULL;
}

static const char *maybe(struct gen *g, const char *alphabet, int minlen, int maxlen)
{
    return rng_below(&g->r, 3) ? gen_text(g, alphabet, minlen, maxlen) : NULL;
}

static const char NAMECH[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ '+:?*-.";
static const char UPPER[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char DIGIT[] = "0123456789";
static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

static struct paxlst_date gen_date(struct gen *g, int y0, int y1)
{
    struct paxlst_date d = {y0 + (int)rng_below(&g->r, (uint64_t)(y1 - y0 + 1)),
                            1 + (int)rng_below(&g->r, 12), 1 + (int)rng_below(&g->r, 28)};
    return d;
}

static void gen_person(struct gen *g, struct paxlst_person *p, int dep_year)
{
    memset(p, 0, sizeof *p);
    p->role = rng_below(&g->r, 5) == 0 ? PAXLST_CREW : PAXLST_PASSENGER;
    p->in_transit = rng_below(&g->r, 10) == 0;
    p->surname = gen_text(g, NAMECH, 1, 30);
    p->given_names = maybe(g, NAMECH, 1, 30);
    const char *sexes[] = {"M", "F", "X", "U"};
    p->sex = rng_below(&g->r, 6) ? sexes[rng_below(&g->r, 4)] : NULL;
    if (rng_below(&g->r, 8))
        p->birth_date = gen_date(g, dep_year - 105, dep_year);
    p->nationality = maybe(g, UPPER, 3, 3);
    p->birth_place = maybe(g, NAMECH, 1, 20);
    p->birth_country = maybe(g, UPPER, 3, 3);
    p->residence_country = maybe(g, UPPER, 3, 3);
    p->address.street = maybe(g, NAMECH, 1, 30);
    p->address.city = maybe(g, NAMECH, 1, 20);
    p->address.region = maybe(g, UPPER, 2, 10);
    p->address.postcode = maybe(g, ALNUM, 4, 8);
    p->address.country = maybe(g, UPPER, 3, 3);
    p->clearance_place = maybe(g, UPPER, 3, 3);
    p->embarkation = maybe(g, UPPER, 3, 3);
    p->debarkation = maybe(g, UPPER, 3, 3);
    p->reservation_ref = maybe(g, ALNUM, 5, 6);
    p->passenger_ref = maybe(g, ALNUM, 5, 12);
    p->seat = maybe(g, ALNUM, 2, 3);
    if (p->role == PAXLST_CREW)
        p->crew_function = maybe(g, "CR12345", 3, 3);
    p->ndocuments = rng_below(&g->r, 3);
    p->documents = arena_alloc(&g->a, (p->ndocuments + 1) * sizeof *p->documents);
    for (size_t i = 0; i < p->ndocuments; i++) {
        struct paxlst_document *d = &p->documents[i];
        const char *types[] = {"P", "V", "I", "AC", "IP"};
        d->type = types[rng_below(&g->r, 5)];
        d->number = gen_text(g, ALNUM, 6, 12);
        d->issuing_state = maybe(g, UPPER, 3, 3);
        if (rng_below(&g->r, 4))
            d->expiry = gen_date(g, 1960, 2080);
        if (rng_below(&g->r, 3) == 0)
            d->issued = gen_date(g, 1990, 2030);
    }
}

static struct paxlst_datetime gen_time(struct gen *g, int year)
{
    struct paxlst_date d = gen_date(g, year, year);
    struct paxlst_datetime t = {
        d.year, d.month, d.day, (int)rng_below(&g->r, 24), (int)rng_below(&g->r, 60), true};
    return t;
}

static void gen_manifest(struct gen *g, struct paxlst_manifest *m)
{
    memset(m, 0, sizeof *m);
    int year = 2000 + (int)rng_below(&g->r, 60);
    m->sender = gen_text(g, NAMECH, 1, 20);
    m->recipient = gen_text(g, NAMECH, 1, 20);
    m->control_ref = gen_text(g, ALNUM, 1, 14);
    m->prepared = gen_time(g, year);
    m->transaction_ref = maybe(g, ALNUM, 4, 14);
    m->reporting.name = maybe(g, NAMECH, 1, 30);
    m->reporting.id = maybe(g, ALNUM, 4, 10);
    m->reporting.phone = maybe(g, "0123456789 -+", 6, 15);
    m->reporting.email = maybe(g, "ABC.?:+'", 3, 15);
    m->nlegs = 1 + rng_below(&g->r, 3);
    struct paxlst_leg *legs = arena_alloc(&g->a, m->nlegs * sizeof *legs);
    for (size_t i = 0; i < m->nlegs; i++) {
        legs[i].carrier = gen_text(g, UPPER, 2, 3);
        legs[i].number = gen_text(g, DIGIT, 1, 4);
        legs[i].transport_mode = rng_below(&g->r, 2) ? "4" : NULL;
        legs[i].departure_place = gen_text(g, UPPER, 3, 3);
        legs[i].arrival_place = gen_text(g, UPPER, 3, 3);
        legs[i].departure = gen_time(g, year);
        legs[i].arrival = gen_time(g, year);
        legs[i].progressive = m->nlegs > 1;
    }
    m->legs = legs;
    m->npeople = rng_below(&g->r, 12);
    struct paxlst_person *people = arena_alloc(&g->a, (m->npeople + 1) * sizeof *people);
    for (size_t i = 0; i < m->npeople; i++)
        gen_person(g, &people[i], legs[0].departure.year);
    m->people = people;
}

static void same_date(struct paxlst_date a, struct paxlst_date b)
{
    assert_int_equal(a.year, b.year);
    assert_int_equal(a.month, b.month);
    assert_int_equal(a.day, b.day);
}

static void same_person(const struct paxlst_person *a, const struct paxlst_person *b)
{
    assert_int_equal(a->role, b->role);
    assert_int_equal(a->in_transit, b->in_transit);
    assert_same(a->surname, b->surname);
    assert_same(a->given_names, b->given_names);
    assert_same(a->sex, b->sex);
    same_date(a->birth_date, b->birth_date);
    assert_same(a->nationality, b->nationality);
    assert_same(a->birth_place, b->birth_place);
    assert_same(a->birth_country, b->birth_country);
    assert_same(a->residence_country, b->residence_country);
    assert_same(a->address.street, b->address.street);
    assert_same(a->address.city, b->address.city);
    assert_same(a->address.region, b->address.region);
    assert_same(a->address.postcode, b->address.postcode);
    assert_same(a->address.country, b->address.country);
    assert_same(a->clearance_place, b->clearance_place);
    assert_same(a->embarkation, b->embarkation);
    assert_same(a->debarkation, b->debarkation);
    assert_same(a->reservation_ref, b->reservation_ref);
    assert_same(a->passenger_ref, b->passenger_ref);
    assert_same(a->seat, b->seat);
    assert_same(a->crew_function, b->crew_function);
    assert_int_equal(a->ndocuments, b->ndocuments);
    for (size_t i = 0; i < a->ndocuments; i++) {
        assert_same(a->documents[i].type, b->documents[i].type);
        assert_same(a->documents[i].number, b->documents[i].number);
        assert_same(a->documents[i].issuing_state, b->documents[i].issuing_state);
        same_date(a->documents[i].expiry, b->documents[i].expiry);
        same_date(a->documents[i].issued, b->documents[i].issued);
    }
}

static void same_time(struct paxlst_datetime a, struct paxlst_datetime b)
{
    assert_int_equal(a.year, b.year);
    assert_int_equal(a.month, b.month);
    assert_int_equal(a.day, b.day);
    assert_int_equal(a.hour, b.hour);
    assert_int_equal(a.minute, b.minute);
    assert_int_equal(a.has_time, b.has_time);
}

/* Checks that every message of ic repeats the manifest's header and legs, and
 * that the people of the messages, list by list, are the manifest's. */
static void same_manifest(const struct paxlst_manifest *mf, const struct paxlst_interchange *ic,
                          size_t max)
{
    assert_same(ic->sender, mf->sender);
    assert_same(ic->recipient, mf->recipient);
    assert_same(ic->control_ref, mf->control_ref);
    same_time(ic->prepared, mf->prepared);
    size_t k[2] = {0, 0}; /* next person of each role */
    for (size_t i = 0; i < ic->nmessages; i++) {
        const struct paxlst_message *m = &ic->messages[i];
        assert_same(m->transaction_ref, mf->transaction_ref);
        assert_same(m->reporting.name, mf->reporting.name);
        assert_same(m->reporting.id, mf->reporting.id);
        assert_same(m->reporting.phone, mf->reporting.phone);
        assert_same(m->reporting.email, mf->reporting.email);
        assert_int_equal(m->nlegs, mf->nlegs);
        for (size_t l = 0; l < m->nlegs; l++) {
            assert_same(m->legs[l].carrier, mf->legs[l].carrier);
            assert_same(m->legs[l].number, mf->legs[l].number);
            assert_same(m->legs[l].transport_mode, mf->legs[l].transport_mode);
            assert_same(m->legs[l].departure_place, mf->legs[l].departure_place);
            assert_same(m->legs[l].arrival_place, mf->legs[l].arrival_place);
            same_time(m->legs[l].departure, mf->legs[l].departure);
            same_time(m->legs[l].arrival, mf->legs[l].arrival);
            assert_int_equal(m->legs[l].progressive, mf->legs[l].progressive);
        }
        assert_true(m->npeople <= max);
        enum paxlst_role role =
            strcmp(m->document_code, "250") == 0 ? PAXLST_CREW : PAXLST_PASSENGER;
        for (size_t p = 0; p < m->npeople; p++) {
            while (k[role] < mf->npeople && mf->people[k[role]].role != role)
                k[role]++;
            assert_true(k[role] < mf->npeople);
            same_person(&m->people[p], &mf->people[k[role]]);
            k[role]++;
        }
    }
    for (int role = 0; role < 2; role++) {
        while (k[role] < mf->npeople && mf->people[k[role]].role != (enum paxlst_role)role)
            k[role]++;
        assert_int_equal(k[role], mf->npeople);
    }
}

static void test_property_roundtrip(void **state)
{
    struct gen g = {0};
    rng_seed(&g.r, 20261129);
    for (int round = 0; round < 400; round++) {
        struct paxlst_manifest mf;
        gen_manifest(&g, &mf);
        struct paxlst_build_options opt = {.max_per_message = 1 + rng_below(&g.r, 5),
                                           .no_group = rng_below(&g.r, 2)};
        struct buf out = {0};
        struct muster_err err = {0};
        assert_int_equal(paxlst_build(&mf, &opt, &out, &err), 0);
        struct paxlst_interchange ic = {0};
        assert_int_equal(paxlst_parse(out.data, out.len, &ic, &err), 0);
        for (size_t i = 0; i < ic.ndiags; i++) {
            if (expected_warning(&ic.diags[i]))
                continue;
            char line[300];
            edi_diag_format(&ic.diags[i], line, sizeof line);
            fail_msg("round %d: %s\n%s", round, line, out.data);
        }
        same_manifest(&mf, &ic, opt.max_per_message);
        /* and through JSON: parse -> JSON -> structures -> bytes -> same JSON */
        struct buf j1 = {0}, j2 = {0}, out2 = {0};
        paxlst_to_json(&ic, &j1);
        struct paxlst_interchange back = {0}, again = {0};
        assert_int_equal(paxlst_from_json(j1.data, j1.len, &back, &err), 0);
        assert_int_equal(paxlst_write(&back, &opt, &out2, &err), 0);
        assert_int_equal(paxlst_parse(out2.data, out2.len, &again, &err), 0);
        paxlst_to_json(&again, &j2);
        assert_string_equal(j1.data, j2.data);
        paxlst_free(&back);
        paxlst_free(&again);
        paxlst_free(&ic);
        buf_free(&j1);
        buf_free(&j2);
        buf_free(&out2);
        buf_free(&out);
    }
    arena_free(&g.a);
}

/* --- building ------------------------------------------------------------------------------ */

static struct paxlst_leg demo_leg = {
    "KE", "9051", "4", "TLV", {2026, 11, 29, 14, 5, true}, "ICN", {2026, 11, 30, 6, 40, true},
    false};

static void demo_manifest(struct paxlst_manifest *m, struct paxlst_person *people, size_t n)
{
    memset(m, 0, sizeof *m);
    m->sender = "MOFAKR";
    m->recipient = "JPIMMIG";
    m->control_ref = "20261129001";
    m->prepared = (struct paxlst_datetime){2026, 11, 29, 9, 30, true};
    m->legs = &demo_leg;
    m->nlegs = 1;
    m->people = people;
    m->npeople = n;
}

static void test_build_split_parts(void **state)
{
    struct paxlst_person people[5] = {{0}};
    const char *names[] = {"O'NEIL", "SMITH+JONES", "KIM:LEE", "WHY?", "PARK"};
    for (int i = 0; i < 5; i++)
        people[i].surname = names[i];
    struct paxlst_manifest m;
    demo_manifest(&m, people, 5);
    struct paxlst_build_options opt = {.max_per_message = 2};
    struct buf out = {0};
    assert_int_equal(paxlst_build(&m, &opt, &out, NULL), 0);
    const char *s = out.data;
    assert_non_null(strstr(s, "UNA:+.? 'UNB+UNOA:4+MOFAKR+JPIMMIG+261129:0930+20261129001'"));
    assert_non_null(strstr(s, "UNH+1+PAXLST:D:15B:UN:IATA+KE9051/261129/1405+01:C'"));
    assert_non_null(strstr(s, "UNH+2+PAXLST:D:15B:UN:IATA+KE9051/261129/1405+02'"));
    assert_non_null(strstr(s, "UNH+3+PAXLST:D:15B:UN:IATA+KE9051/261129/1405+03:F'"));
    assert_non_null(strstr(s, "TDT+20+KE9051+4++KE'"));
    assert_non_null(strstr(s, "NAD+FL+++O?'NEIL'"));
    assert_non_null(strstr(s, "NAD+FL+++SMITH?+JONES'"));
    assert_non_null(strstr(s, "NAD+FL+++KIM?:LEE'"));
    assert_non_null(strstr(s, "NAD+FL+++WHY?"
                              "?'"));
    assert_non_null(strstr(s, "UNE+3+20261129001'UNZ+1+20261129001'"));
    struct paxlst_interchange ic = {0};
    assert_int_equal(paxlst_parse(out.data, out.len, &ic, NULL), 0);
    assert_clean(&ic);
    assert_int_equal(ic.nmessages, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(ic.messages[i].declared_passengers, 5);
    assert_string_equal(ic.messages[1].people[1].surname, "WHY?");
    paxlst_free(&ic);
    buf_free(&out);
}

static void test_build_crew_and_passengers(void **state)
{
    struct paxlst_person people[3] = {{0}};
    people[0].surname = "CAPTAIN";
    people[0].role = PAXLST_CREW;
    people[0].crew_function = "CR1";
    people[1].surname = "TRAVELLER";
    people[2].surname = "PURSER";
    people[2].role = PAXLST_CREW;
    people[2].in_transit = true;
    struct paxlst_manifest m;
    demo_manifest(&m, people, 3);
    struct buf out = {0};
    assert_int_equal(paxlst_build(&m, NULL, &out, NULL), 0);
    assert_non_null(strstr(out.data, "BGM+745'"));
    assert_non_null(strstr(out.data, "BGM+250'"));
    assert_non_null(strstr(out.data, "CNT+42:1'"));
    assert_non_null(strstr(out.data, "CNT+41:2'"));
    assert_non_null(strstr(out.data, "NAD+FM+++CAPTAIN'"));
    assert_non_null(strstr(out.data, "EMP+1+CR1:110:111'"));
    assert_non_null(strstr(out.data, "NAD+DDT+++PURSER'"));
    struct paxlst_interchange ic = {0};
    assert_int_equal(paxlst_parse(out.data, out.len, &ic, NULL), 0);
    assert_clean(&ic);
    assert_int_equal(ic.nmessages, 2);
    assert_int_equal(ic.messages[1].people[1].role, PAXLST_CREW);
    assert_true(ic.messages[1].people[1].in_transit);
    paxlst_free(&ic);
    buf_free(&out);
}

static void test_build_charset_and_centuries(void **state)
{
    struct paxlst_person p[2] = {{0}};
    p[0].surname = "Müller";                            /* UTF-8: UNOW */
    p[0].birth_date = (struct paxlst_date){1921, 3, 4}; /* 105 years: CCYYMMDD:102 */
    p[1].surname = "lee";
    p[1].birth_date = (struct paxlst_date){2025, 1, 2};
    struct paxlst_document doc = {"P", "M1234567", "KOR", {2081, 5, 6}, {0, 0, 0}};
    p[1].documents = &doc;
    p[1].ndocuments = 1;
    struct paxlst_manifest m;
    demo_manifest(&m, p, 2);
    struct buf out = {0};
    assert_int_equal(paxlst_build(&m, NULL, &out, NULL), 0);
    assert_non_null(strstr(out.data, "UNB+UNOW:4+"));
    assert_non_null(strstr(out.data, "DTM+329:19210304:102'"));
    assert_non_null(strstr(out.data, "DTM+329:250102'"));
    assert_non_null(strstr(out.data, "DTM+36:20810506:102'"));
    struct paxlst_interchange ic = {0};
    assert_int_equal(paxlst_parse(out.data, out.len, &ic, NULL), 0);
    assert_clean(&ic);
    assert_date(ic.messages[0].people[0].birth_date, 1921, 3, 4);
    assert_date(ic.messages[0].people[1].birth_date, 2025, 1, 2);
    assert_date(ic.messages[0].people[1].documents[0].expiry, 2081, 5, 6);
    assert_string_equal(ic.messages[0].people[0].surname, "Müller");
    paxlst_free(&ic);
    buf_reset(&out);
    p[0].surname = "lower";
    assert_int_equal(paxlst_build(&m, NULL, &out, NULL), 0);
    assert_non_null(strstr(out.data, "UNB+UNOB:4+"));
    buf_free(&out);
    assert_int_equal(paxlst_birth_century(30, 2026), 1930);
    assert_int_equal(paxlst_birth_century(26, 2026), 2026);
}

static void test_build_errors(void **state)
{
    struct paxlst_person p = {0};
    struct paxlst_manifest m;
    struct muster_err err;
    struct buf out = {0};
    demo_manifest(&m, &p, 1);
    assert_int_equal(paxlst_build(&m, NULL, &out, &err), MUSTER_EINVAL);
    assert_non_null(strstr(err.msg, "surname"));
    p.surname = "X";
    m.control_ref = "123456789012345";
    assert_int_equal(paxlst_build(&m, NULL, &out, &err), MUSTER_EINVAL);
    assert_non_null(strstr(err.msg, "control_ref"));
    demo_manifest(&m, &p, 1);
    m.nlegs = 0;
    assert_int_equal(paxlst_build(&m, NULL, &out, &err), MUSTER_EINVAL);
    demo_manifest(&m, &p, 1);
    m.sender = NULL;
    assert_int_equal(paxlst_build(&m, NULL, &out, &err), MUSTER_EINVAL);
    demo_manifest(&m, &p, 1);
    m.prepared.year = 0;
    assert_int_equal(paxlst_build(&m, NULL, &out, &err), MUSTER_EINVAL);
    assert_int_equal(out.len, 0);
    buf_free(&out);
}

static void test_unusable_input(void **state)
{
    struct paxlst_interchange ic = {0};
    struct muster_err err;
    assert_int_equal(paxlst_parse("", 0, &ic, &err), MUSTER_EINVAL);
    paxlst_free(&ic);
    assert_int_equal(paxlst_parse(NULL, 0, &ic, &err), MUSTER_EINVAL);
    paxlst_free(&ic);
    assert_int_equal(paxlst_parse("UNA0+01\xc3\x83'UNB+UNOA:3'", 17, &ic, &err), MUSTER_EINVAL);
    assert_true(ic.ndiags > 0);
    paxlst_free(&ic);
    /* not PAXLST: read, skipped, said */
    const char *other = "UNB+UNOA:3+A+B+250101:0000+1'UNH+1+PAORES:96:1:IA'UNT+2+1'UNZ+1+1'";
    assert_int_equal(paxlst_parse(other, strlen(other), &ic, &err), 0);
    assert_int_equal(ic.nmessages, 0);
    assert_true(has_diag(&ic, "message_rule", "UNH"));
    paxlst_free(&ic);
}

static void test_json_shape_and_errors(void **state)
{
    struct paxlst_interchange ic;
    parse_sample("wco-guide-example-5.1-passenger.edi", &ic);
    struct buf j = {0};
    paxlst_to_json(&ic, &j);
    assert_true(strncmp(j.data,
                        "{\"interchange\":{\"sender\":\"ZZAIRLINE\",\"recipient\":\"CUSTOMS\","
                        "\"control_ref\":\"000000001\",\"prepared\":\"2013-06-20T09:00\"",
                        70) == 0);
    assert_non_null(strstr(j.data,
                           "\"flight\":{\"carrier\":\"ZZ\",\"number\":\"123\",\"departure\":"
                           "{\"place\":\"SYD\",\"time\":\"2013-06-21T09:00\"}"));
    assert_non_null(strstr(j.data, "\"documents\":[{\"type\":\"P\",\"number\":\"MB140241\","
                                   "\"issuing_state\":\"GBR\",\"expiry_date\":\"2015-12-31\"}]"));
    assert_non_null(strstr(j.data, "\"warnings\":[{\"code\":"));
    paxlst_free(&ic);
    buf_free(&j);
    /* UTF-8 passes, Latin-1 (UNOC) bytes and control bytes are escaped: valid JSON */
    const char *names = "UNB+UNOC:3+A+B+260101:0000+1'UNH+1+PAXLST:D:15B:UN:IATA'BGM+745'"
                        "TDT+20+KE1+++KE'NAD+FL+++M\xfcLLER:\xc3\xa9MILE\x01'UNT+5+1'UNZ+1+1'";
    assert_int_equal(paxlst_parse(names, strlen(names), &ic, NULL), 0);
    paxlst_to_json(&ic, &j);
    assert_non_null(
        strstr(j.data, "\"surname\":\"M\\u00fcLLER\",\"given_names\":\"\xc3\xa9MILE\\u0001\""));
    struct paxlst_interchange back = {0};
    assert_int_equal(paxlst_from_json(j.data, j.len, &back, NULL), 0);
    assert_string_equal(back.messages[0].people[0].surname, "M\xc3\xbcLLER");
    paxlst_free(&back);
    paxlst_free(&ic);
    buf_free(&j);
    struct muster_err err;
    const char *bad[] = {
        "{",
        "{\"messages\":[]}",
        "{\"interchange\":{},\"messages\":[{\"flight\":{},\"passengers\":[{\"given_names\":\"A\"}]}"
        "]}",
        "{\"interchange\":{\"prepared\":\"2026-13-01\"},\"messages\":[]}",
        "{\"interchange\":{},\"messages\":[{\"flight\":{},\"passengers\":[{\"surname\":\"A\","
        "\"birth_date\":\"1990-01-01T10:00\"}]}]}",
    };
    const char *why[] = {"JSON", "interchange", "messages[0].passengers[0].surname",
                         "interchange.prepared", "birth_date"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct paxlst_interchange x = {0};
        assert_int_equal(paxlst_from_json(bad[i], strlen(bad[i]), &x, &err), MUSTER_EINVAL);
        if (!strstr(err.msg, why[i]))
            fail_msg("case %zu: %s", i, err.msg);
        paxlst_free(&x);
    }
}

/* The checks after parsing: codes, real dates, roles, missing documents. */
static void test_message_rules(void **state)
{
    const char *in =
        "UNB+UNOA:4+A+B+260101:0000+1'UNH+1+PAXLST:D:15B:UN:IATA'BGM+999'"
        "TDT+20+KE1+++KE'LOC+125+TLV'DTM+189:2602301000:201'"
        "NAD+FM+++KIM'ATT+2++Q'DTM+329:900230'NAT+2+kr'DOC+Z+123'DTM+36:300231'LOC+91+KOREA'"
        "NAD+FL+++LEE'UNT+14+1'UNZ+1+1'";
    struct paxlst_interchange ic = {0};
    assert_int_equal(paxlst_parse(in, strlen(in), &ic, NULL), 0);
    const char *want[] = {"BGM code '999'",
                          "arrival place missing",
                          "arrival time missing",
                          "flight date is not a real date",
                          "sex 'Q'",
                          "date of birth 1990-02-30",
                          "nationality 'kr'",
                          "document type 'Z'",
                          "issuing state 'KOREA'",
                          "a date of document 123",
                          "no travel document"};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        bool found = false;
        for (size_t i = 0; i < ic.ndiags; i++)
            found = found || strstr(ic.diags[i].msg, want[k]) != NULL;
        if (!found)
            fail_msg("no diagnostic '%s'", want[k]);
    }
    assert_int_equal(ic.nerrors, 0); /* all of these are warnings */
    paxlst_free(&ic);
    /* a crew member in a passenger list */
    const char *mixed = "UNB+UNOA:4+A+B+260101:0000+1'UNH+1+PAXLST:D:15B:UN:IATA'BGM+745'"
                        "TDT+20+KE1+++KE'NAD+FM+++KIM'UNT+5+1'UNZ+1+1'";
    assert_int_equal(paxlst_parse(mixed, strlen(mixed), &ic, NULL), 0);
    assert_true(has_diag(&ic, "message_rule", "NAD"));
    paxlst_free(&ic);
}

/* --- CUSRES ------------------------------------------------------------------------------- */

static void test_cusres_roundtrip(void **state)
{
    const char *reasons[] = {"WATCHLIST", "DOC_EXPIRED", "NAME?MISMATCH", "R4", "R5", "R6:X"};
    struct cusres_answer ans[3] = {
        {.passenger_ref = "KE9051001", .status = CUSRES_CLEARED},
        {.surname = "O'NEIL",
         .given_names = "MARY+ANN",
         .document_type = "P",
         .document_number = "M12345678",
         .status = CUSRES_REFER,
         .reasons = reasons,
         .nreasons = 6},
        {.passenger_ref = "KE9051003",
         .reservation_ref = "ABC123",
         .role = PAXLST_CREW,
         .surname = "KIM",
         .status = CUSRES_NOT_CLEARED,
         .reasons = reasons,
         .nreasons = 1},
    };
    struct cusres_response r = {.sender = "JPIMMIG",
                                .recipient = "MOFAKR",
                                .control_ref = "R1",
                                .prepared = {2026, 11, 29, 10, 0, true},
                                .transaction_ref = "20261129001",
                                .leg = demo_leg,
                                .answers = ans,
                                .nanswers = 3};
    struct buf out = {0};
    struct muster_err err = {0};
    assert_int_equal(cusres_build(&r, &out, &err), 0);
    assert_non_null(strstr(out.data, "UNH+1+CUSRES:D:15B:UN:IATA'BGM+962'RFF+TN:20261129001'"));
    assert_non_null(strstr(out.data, "ERC+0Z'"));
    assert_non_null(strstr(out.data, "FTX+AAP+++WATCHLIST:DOC_EXPIRED:NAME??MISMATCH:R4:R5'"
                                     "FTX+AAP+++R6?:X'"));
    struct edi_diags d = {0};
    assert_int_equal(edi_check(out.data, out.len, &d, NULL), 0);
    assert_int_equal(d.n, 0);
    edi_diags_free(&d);
    struct cusres_response back = {0};
    assert_int_equal(cusres_parse(out.data, out.len, &back, &err), 0);
    assert_int_equal(back.ndiags, 0);
    assert_string_equal(back.control_ref, "R1");
    assert_string_equal(back.transaction_ref, "20261129001");
    assert_string_equal(back.leg.carrier, "KE");
    assert_string_equal(back.leg.number, "9051");
    assert_int_equal(back.nanswers, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(back.answers[i].status, ans[i].status);
        assert_same(back.answers[i].passenger_ref, ans[i].passenger_ref);
        assert_same(back.answers[i].reservation_ref, ans[i].reservation_ref);
        assert_same(back.answers[i].surname, ans[i].surname);
        assert_same(back.answers[i].given_names, ans[i].given_names);
        assert_same(back.answers[i].document_number, ans[i].document_number);
        assert_int_equal(back.answers[i].nreasons, ans[i].nreasons);
        for (size_t k = 0; k < ans[i].nreasons; k++)
            assert_string_equal(back.answers[i].reasons[k], ans[i].reasons[k]);
    }
    assert_int_equal(back.answers[2].role, PAXLST_CREW);
    struct buf j = {0};
    cusres_to_json(&back, &j);
    assert_non_null(strstr(j.data, "\"status\":\"refer\",\"reasons\":[\"WATCHLIST\""));
    buf_free(&j);
    cusres_free(&back);
    /* a bad status code is an error, read as refer */
    char *bad = strdup(out.data);
    memcpy(strstr(bad, "ERC+0Z"), "ERC+9Q", 6);
    assert_int_equal(cusres_parse(bad, strlen(bad), &back, &err), 0);
    assert_int_equal(back.nerrors, 1);
    assert_int_equal(back.answers[0].status, CUSRES_REFER);
    cusres_free(&back);
    free(bad);
    /* builder refusals */
    ans[0].passenger_ref = NULL;
    assert_int_equal(cusres_build(&r, &out, &err), MUSTER_EINVAL);
    ans[0].passenger_ref = "X";
    const char *empty[] = {""};
    ans[0].reasons = empty;
    ans[0].nreasons = 1;
    assert_int_equal(cusres_build(&r, &out, &err), MUSTER_EINVAL);
    buf_free(&out);
    /* a PAXLST is not a CUSRES */
    size_t len;
    char *pax = slurp("wco-guide-example-5.1-passenger.edi", &len);
    assert_int_equal(cusres_parse(pax, len, &back, &err), MUSTER_EINVAL);
    cusres_free(&back);
    free(pax);
}

/* The screener's path: PAXLST in, answers prepared from it, CUSRES out and back. */
static void test_cusres_prepare(void **state)
{
    struct paxlst_interchange ic;
    parse_sample("wco-guide-example-5.3-progressive.edi", &ic);
    struct cusres_response r = {0};
    struct paxlst_datetime now = {2014, 7, 8, 7, 0, true};
    assert_int_equal(cusres_prepare(&ic, "ANS1", now, &r, NULL), 0);
    paxlst_free(&ic); /* the response owns its copies */
    assert_string_equal(r.sender, "CUSTOMS");
    assert_string_equal(r.recipient, "XYZAIRLINES");
    assert_string_equal(r.transaction_ref, "BART34567890");
    assert_int_equal(r.nanswers, 2);
    assert_string_equal(r.answers[1].passenger_ref, "XZ877002");
    assert_string_equal(r.answers[1].document_number, "TRQWE9980");
    const char *why[] = {"WATCHLIST"};
    r.answers[1].status = CUSRES_NOT_CLEARED;
    r.answers[1].reasons = why;
    r.answers[1].nreasons = 1;
    struct buf out = {0};
    assert_int_equal(cusres_build(&r, &out, NULL), 0);
    struct cusres_response back = {0};
    assert_int_equal(cusres_parse(out.data, out.len, &back, NULL), 0);
    assert_int_equal(back.ndiags, 0);
    assert_int_equal(back.answers[0].status, CUSRES_CLEARED);
    assert_int_equal(back.answers[1].status, CUSRES_NOT_CLEARED);
    assert_string_equal(back.answers[1].reasons[0], "WATCHLIST");
    assert_string_equal(back.leg.departure_place, "BCN");
    cusres_free(&back);
    cusres_free(&r);
    buf_free(&out);
    struct paxlst_interchange empty = {0};
    struct cusres_response r2 = {0};
    assert_int_equal(cusres_prepare(&empty, "X", now, &r2, NULL), MUSTER_EINVAL);
    cusres_free(&r2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wco_51_passenger),
        cmocka_unit_test(test_wco_52_crew),
        cmocka_unit_test(test_wco_53_progressive),
        cmocka_unit_test(test_astra_fragments),
        cmocka_unit_test(test_astra_multipart),
        cmocka_unit_test(test_smooks_d03b),
        cmocka_unit_test(test_samples_rewrite),
        cmocka_unit_test(test_parse_inplace),
        cmocka_unit_test(test_property_roundtrip),
        cmocka_unit_test(test_build_split_parts),
        cmocka_unit_test(test_build_crew_and_passengers),
        cmocka_unit_test(test_build_charset_and_centuries),
        cmocka_unit_test(test_build_errors),
        cmocka_unit_test(test_unusable_input),
        cmocka_unit_test(test_json_shape_and_errors),
        cmocka_unit_test(test_message_rules),
        cmocka_unit_test(test_cusres_roundtrip),
        cmocka_unit_test(test_cusres_prepare),
    };
    return cmocka_run_group_tests_name("paxlst", tests, NULL, NULL);
}

/* test_manifest.c — a leg's manifest as CSV (RFC 4180 quoting, read back by
 * a small CSV reader), PDF (structure, xref, page count for 0..1000
 * passengers, header, totals, page numbers, native names) and PAXLST (parsed
 * back into the same passengers), and the errors bad input gets. */
#include "core/manifest.h"
#include "travel/paxlst.h"
#include "util/arena.h"
#include "util/rng.h"
#include "util/timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* --- fixtures ----------------------------------------------------------------- */

static const char *const surnames[] = {"Yamada", "Kim",  "O'Brien, Jr",    "Nguyen", "Müller",
                                       "Park",   "Sato", "Dubois \"Max\"", "Lee",    "Tanaka"};
static const char *const given[] = {"Taro",   "Min-jun", "Anne Marie", "Van An",   "Jürgen",
                                    "Ji-woo", "Hanako",  "Jean+Paul",  "Seo-yeon", "Ken?ji:"};
static const char *const natives[] = {"山田 太郎", "김민준",    "", "Nguyễn Văn An", "Müller",
                                      "박지우",    "佐藤 花子", "", "이서연",        "田中 健二"};
static const char *const nats[] = {"JPN", "KOR", "IRL", "VNM", "D",
                                   "KOR", "JPN", "FRA", "KOR", "JPN"};
static const char *const prios[] = {"critical", "vulnerable", "standard", NULL};

struct fixture {
    struct arena a;
    struct manifest m;
    struct manifest_passenger *pax;
};

static const char *fmt(struct arena *a, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(struct arena *a, const char *f, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, f);
    vsnprintf(tmp, sizeof tmp, f, ap);
    va_end(ap);
    return arena_strdup(a, tmp);
}

static void make_pax(struct fixture *f, size_t i, struct rng *r)
{
    struct manifest_passenger *p = &f->pax[i];
    size_t k = i % 10;
    p->person_id = fmt(&f->a, "p%05zu", i);
    p->household = fmt(&f->a, "h%04zu", i / 3);
    p->surname = surnames[k];
    p->given_names = given[k];
    p->native_name = natives[k];
    p->sex = (const char *[]){"M", "F", "X"}[i % 3];
    int by = 1931 + (int)rng_below(r, 95);
    p->birth_date =
        fmt(&f->a, "%04d-%02d-%02d", by, 1 + (int)rng_below(r, 12), 1 + (int)rng_below(r, 28));
    p->nationality = nats[k];
    if (i % 7 != 6) { /* every seventh has no document */
        p->doc_type = i % 5 == 0 ? "I" : "P";
        p->doc_number = fmt(&f->a, "TK%07u", (unsigned)rng_below(r, 10000000));
        p->doc_state = nats[k];
        p->doc_expiry = fmt(&f->a, "20%02d-06-30", 27 + (int)(i % 10));
    }
    p->priority = prios[i % 4];
    p->needs = (int)(i % 16);
    p->status = "allocated";
}

static void make(struct fixture *f, size_t npax)
{
    memset(f, 0, sizeof *f);
    struct rng r;
    rng_seed(&r, 42 + npax);
    f->pax = npax ? arena_alloc(&f->a, npax * sizeof *f->pax) : NULL;
    for (size_t i = 0; i < npax; i++)
        make_pax(f, i, &r);
    int64_t dep;
    time_parse_iso("2026-11-29T14:30:00Z", &dep);
    f->m = (struct manifest){
        .leg_id = "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        .operation_name = "Operation Harbour Light",
        .operator_nation = "KOR",
        .kind = "aircraft",
        .vehicle = "KC-330",
        .flight_number = "ROKAF 5101",
        .point_name = "Ben Gurion Airport",
        .point_code = "TLV",
        .destination = "Seoul Incheon",
        .destination_code = "ICN",
        .destination_country = "KOR",
        .departs = dep,
        .arrives = dep + 12 * 3600,
        .seats = 300,
        .stretchers = 80,
        .pax = f->pax,
        .npax = npax,
        .generated_by = "officer.kim",
        .generated_at = dep - 7200,
    };
}

static void unmake(struct fixture *f)
{
    arena_free(&f->a);
}

/* --- CSV ---------------------------------------------------------------------- */

/* Reads one RFC 4180 record starting at *s into fields; returns the count. */
static size_t csv_record(const char **s, char fields[20][256])
{
    size_t n = 0;
    const char *p = *s;
    for (;;) {
        size_t len = 0;
        if (*p == '"') {
            p++;
            for (;;) {
                if (p[0] == '"' && p[1] == '"') {
                    fields[n][len++] = '"';
                    p += 2;
                } else if (p[0] == '"') {
                    p++;
                    break;
                } else {
                    fields[n][len++] = *p++;
                }
            }
        } else {
            while (*p && *p != ',' && *p != '\r')
                fields[n][len++] = *p++;
        }
        fields[n++][len] = '\0';
        if (*p == ',') {
            p++;
            continue;
        }
        assert_true(p[0] == '\r' && p[1] == '\n');
        *s = p + 2;
        return n;
    }
}

static void test_csv_quoting(void **state)
{
    struct fixture f;
    make(&f, 10);
    f.pax[0].given_names = "=HYPERLINK(\"x\")";
    struct buf out = {0};
    struct muster_err err;
    assert_int_equal(manifest_csv(&f.m, &out, &err), 0);
    const char *s = out.data;
    assert_true(strncmp(s,
                        "leg_id,flight,row,person_id,household,surname,given_names,native_name,"
                        "sex,birth_date,nationality,doc_type,doc_number,doc_state,doc_expiry,"
                        "priority,needs,status\r\n",
                        strlen("leg_id,flight,row,person_id")) == 0);
    assert_non_null(strstr(s, ",\"O'Brien, Jr\",Anne Marie,"));
    assert_non_null(strstr(s, ",\"Dubois \"\"Max\"\"\",Jean+Paul,"));
    assert_non_null(strstr(s, ",\"'=HYPERLINK(\"\"x\"\")\","));
    assert_non_null(strstr(s, ",山田 太郎,"));
    char fields[20][256];
    size_t n = csv_record(&s, fields);
    assert_int_equal(n, 18);
    assert_string_equal(fields[17], "status");
    for (size_t i = 0; i < 10; i++) {
        n = csv_record(&s, fields);
        assert_int_equal(n, 18);
        const struct manifest_passenger *p = &f.pax[i];
        assert_string_equal(fields[0], f.m.leg_id);
        assert_string_equal(fields[1], "ROKAF 5101");
        assert_int_equal(atoi(fields[2]), (int)i + 1);
        assert_string_equal(fields[3], p->person_id);
        assert_string_equal(fields[5], p->surname);
        if (i)
            assert_string_equal(fields[6], p->given_names);
        assert_string_equal(fields[7], p->native_name);
        assert_string_equal(fields[9], p->birth_date);
        assert_string_equal(fields[10], p->nationality);
        assert_string_equal(fields[12], p->doc_number ? p->doc_number : "");
        assert_string_equal(fields[15], p->priority ? p->priority : "standard");
    }
    assert_int_equal(*s, '\0');
    buf_free(&out);
    unmake(&f);
}

static void test_csv_needs_and_empty(void **state)
{
    struct fixture f;
    make(&f, 16);
    struct buf out = {0};
    struct muster_err err;
    assert_int_equal(manifest_csv(&f.m, &out, &err), 0);
    assert_non_null(
        strstr(out.data, ",stretcher;assisted;pregnant;unaccompanied_minor,allocated\r\n"));
    assert_non_null(strstr(out.data, ",assisted;unaccompanied_minor,allocated\r\n"));
    buf_free(&out);
    unmake(&f);
    make(&f, 0);
    assert_int_equal(manifest_csv(&f.m, &out, &err), 0);
    assert_ptr_equal(strchr(out.data, '\n') + 1, out.data + out.len); /* the header only */
    buf_free(&out);
    unmake(&f);
}

/* --- PDF ---------------------------------------------------------------------- */

/* Checks the PDF's skeleton: header, trailer, startxref pointing at the xref
 * table, every in-use xref entry pointing at "N 0 obj". Returns the /Count of
 * the page tree and the number of page objects (which must agree). */
static int pdf_pages(const struct buf *b)
{
    const char *d = b->data;
    assert_true(b->len > 200);
    assert_memory_equal(d, "%PDF-1.", 7);
    const char *tail = d + b->len - 6;
    assert_non_null(strstr(tail - 2, "%%EOF"));
    const char *sx = NULL;
    for (const char *p = d + b->len - 9; p > d; p--)
        if (memcmp(p, "startxref", 9) == 0) {
            sx = p;
            break;
        }
    assert_non_null(sx);
    long off = strtol(sx + 9, NULL, 10);
    assert_true(off > 0 && (size_t)off < b->len);
    assert_memory_equal(d + off, "xref", 4);
    const char *x = d + off + 5;
    long first = strtol(x, (char **)&x, 10), count = strtol(x, (char **)&x, 10);
    assert_int_equal(first, 0);
    while (*x == '\r' || *x == '\n' || *x == ' ')
        x++;
    for (long i = 0; i < count; i++, x += 20) {
        long o = strtol(x, NULL, 10);
        if (x[17] != 'n')
            continue;
        char want[32];
        snprintf(want, sizeof want, "%ld 0 obj", i);
        assert_true(o > 0 && (size_t)o < b->len);
        assert_memory_equal(d + o, want, strlen(want));
    }
    int pages = 0;
    for (const char *p = d; (p = memmem(p, b->len - (size_t)(p - d), "/Type /Page", 11)); p += 11)
        pages += p[11] != 's';
    const char *tree = memmem(d, b->len, "/Type /Pages", 12);
    assert_non_null(tree);
    const char *cnt = strstr(tree, "/Count ");
    assert_non_null(cnt);
    assert_int_equal(atoi(cnt + 7), pages);
    return pages;
}

static bool has(const struct buf *b, const char *s)
{
    return memmem(b->data, b->len, s, strlen(s)) != NULL;
}

static void pdf_of(struct fixture *f, bool uncompressed, const char *font, struct buf *out)
{
    struct manifest_pdf_options o = {.uncompressed = uncompressed, .cjk_font = font};
    struct muster_err err = {0};
    int rc = manifest_pdf_with(&f->m, &o, out, &err);
    if (rc)
        fail_msg("manifest_pdf: %s", err.msg);
}

static void test_pdf_page_counts(void **state)
{
    static const struct {
        size_t npax;
        int pages;
    } cases[] = {{0, 1}, {1, 1}, {26, 1}, {27, 2}, {34, 2}, {40, 2}, {68, 3}, {1000, 30}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct fixture f;
        make(&f, cases[k].npax);
        struct buf out = {0};
        pdf_of(&f, k % 2 == 0, "", &out);
        assert_int_equal(manifest_pdf_pages(&f.m), cases[k].pages);
        assert_int_equal(pdf_pages(&out), cases[k].pages);
        buf_free(&out);
        unmake(&f);
    }
}

static void test_pdf_header_and_totals(void **state)
{
    struct fixture f;
    make(&f, 40);
    struct buf out = {0};
    pdf_of(&f, true, "", &out);
    assert_true(has(&out, "(PASSENGER MANIFEST  ROKAF 5101) Tj"));
    assert_true(has(&out, "(Operation: Operation Harbour Light) Tj"));
    assert_true(
        has(&out, "(From: Ben Gurion Airport \\050TLV\\051   departs 2026-11-29 14:30 UTC) Tj"));
    assert_true(
        has(&out, "(To: Seoul Incheon \\050ICN, KOR\\051   arrives 2026-11-30 02:30 UTC) Tj"));
    assert_true(has(&out, "(page 1 of 2) Tj"));
    assert_true(has(&out, "(page 2 of 2) Tj"));
    assert_false(has(&out, "(page 3 of"));
    /* needs i % 16: stretcher on odd i (20 of 40) */
    assert_true(
        has(&out, "Seats used 20 of 300 \\050free 280\\051   Stretcher slots used 20 of 80"));
    assert_true(has(&out, "(Totals: 40 passengers) Tj"));
    assert_true(has(&out, "(By priority: critical 10, vulnerable 10, standard 20) Tj"));
    assert_true(has(&out, "(Totals by nationality) Tj"));
    assert_true(has(&out, "(KOR 12) Tj"));
    assert_true(has(&out, "(JPN 12) Tj"));
    assert_true(has(&out, "(D 4) Tj"));
    assert_true(has(&out, "(IRL 4) Tj"));
    assert_true(has(&out, "(O'BRIEN, JR, Anne Marie) Tj"));
    assert_true(has(&out, "(Generated 2026-11-29 12:30 UTC for officer.kim by muster"));
    /* Latin native names print; the others are counted in a note */
    assert_true(has(&out, "(M\\374ller) Tj") || has(&out, "(M\xfcller) Tj"));
    assert_true(has(&out, "(28 native name\\050s\\051 not printed: no font for their script"));
    buf_free(&out);
    unmake(&f);
}

static void test_pdf_households_numbered(void **state)
{
    struct fixture f;
    make(&f, 5);
    const char *hh[] = {"01J8ZB", "01J8ZA", "01J8ZB", NULL, "01J8ZA"};
    for (size_t i = 0; i < 5; i++)
        f.pax[i].household = hh[i];
    struct buf out = {0};
    pdf_of(&f, true, "", &out);
    /* numbered by first appearance, with the members aboard; none for NULL */
    const char *p1 = memmem(out.data, out.len, "(H1 \\0502\\051) Tj", 17);
    const char *p2 = memmem(out.data, out.len, "(H2 \\0502\\051) Tj", 17);
    assert_non_null(p1);
    assert_non_null(p2);
    assert_true(p1 < p2);
    assert_false(has(&out, "(H3"));
    assert_false(has(&out, "01J8Z"));
    buf_free(&out);
    unmake(&f);
}

static void test_pdf_long_fields(void **state)
{
    struct fixture f;
    make(&f, 3);
    char op[400] = "", name[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(op, "作戦"); /* 6 bytes: header widths cut it mid-character */
    for (int i = 0; i < 20; i++)
        strcat(name, i % 2 ? "hausenbergerdorff " : "Wolfeschlegelstein");
    f.m.operation_name = op;
    f.m.point_name = op;
    f.m.vehicle = op;
    f.pax[0].surname = name;
    f.pax[0].native_name = op;
    f.pax[1].given_names = name;
    struct buf out = {0};
    pdf_of(&f, true, "", &out);
    assert_int_equal(pdf_pages(&out), 1);
    const char *cell = memmem(out.data, out.len, "(WOLFESCHLEGELSTEIN", 19);
    assert_non_null(cell); /* cut to its column, with an ellipsis */
    assert_memory_equal(strchr(cell, ')') - 3, "...) Tj", 7);
    assert_true(strchr(cell, ')') - cell < 40);
    buf_free(&out);
    unmake(&f);
}

static void test_pdf_no_passengers(void **state)
{
    struct fixture f;
    make(&f, 0);
    f.m.flight_number = NULL;
    f.m.arrives = 0;
    f.m.point_code = "";
    f.m.destination_code = NULL;
    struct buf out = {0};
    pdf_of(&f, true, "", &out);
    assert_true(has(&out, "(From: Ben Gurion Airport   departs 2026-11-29 14:30 UTC) Tj"));
    assert_true(has(&out, "(To: Seoul Incheon \\050KOR\\051   arrives unknown) Tj"));
    char flight[32], want[64];
    manifest_flight_number(&f.m, flight, sizeof flight);
    snprintf(want, sizeof want, "(PASSENGER MANIFEST  %s) Tj", flight);
    assert_true(has(&out, want));
    assert_true(has(&out, "arrives unknown) Tj"));
    assert_true(has(&out, "(No passengers on this leg.) Tj"));
    assert_true(has(&out, "(Totals: 0 passengers) Tj"));
    assert_true(has(&out, "(page 1 of 1) Tj"));
    buf_free(&out);
    unmake(&f);
}

static void test_pdf_compressed_is_smaller(void **state)
{
    struct fixture f;
    make(&f, 200);
    struct buf plain = {0}, packed = {0};
    pdf_of(&f, true, "", &plain);
    pdf_of(&f, false, "", &packed);
    assert_int_equal(pdf_pages(&packed), manifest_pdf_pages(&f.m));
    assert_true(packed.len * 2 < plain.len);
    assert_true(has(&packed, "/FlateDecode"));
    buf_free(&plain);
    buf_free(&packed);
    unmake(&f);
}

#define WQY "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

static void test_pdf_cjk_font(void **state)
{
    if (access(WQY, R_OK) != 0)
        skip(); /* fonts-wqy-microhei not installed */
    struct fixture f;
    make(&f, 10);
    struct buf out = {0};
    pdf_of(&f, false, WQY, &out);
    /* the font is embedded, Type0 with Identity-H, and every native name
     * (kanji, Hangul, Vietnamese) is shown */
    assert_true(has(&out, "/FontFile2"));
    assert_true(has(&out, "/Type0"));
    assert_false(has(&out, "not printed"));
    assert_int_equal(pdf_pages(&out), 1);
    assert_true(out.len < 512 * 1024); /* about 310 KB: libharu keeps every glyph slot */
    buf_free(&out);
    unmake(&f);
}

static void test_pdf_font_missing_or_bad(void **state)
{
    struct fixture f;
    make(&f, 10);
    static const char *const fonts[] = {"/nonexistent/font.ttf", "tests/unit/test_manifest.c"};
    for (size_t k = 0; k < 2; k++) {
        struct buf out = {0};
        pdf_of(&f, true, fonts[k], &out);
        assert_int_equal(pdf_pages(&out), 1);
        assert_true(has(&out, "(7 native name\\050s\\051 not printed"));
        assert_false(has(&out, "/FontFile2"));
        buf_free(&out);
    }
    unmake(&f);
}

/* --- PAXLST ------------------------------------------------------------------- */

static void same_date(struct paxlst_date d, const char *s)
{
    if (!s || !*s) {
        assert_int_equal(d.year, 0);
        return;
    }
    int y, m, dd;
    assert_int_equal(time_parse_date(s, &y, &m, &dd), 0);
    assert_int_equal(d.year, y);
    assert_int_equal(d.month, m);
    assert_int_equal(d.day, dd);
}

static void same_person(const struct paxlst_person *q, const struct manifest_passenger *p)
{
    assert_int_equal(q->role, PAXLST_PASSENGER);
    assert_string_equal(q->surname, p->surname);
    assert_string_equal(q->given_names, p->given_names);
    assert_string_equal(q->sex, p->sex);
    same_date(q->birth_date, p->birth_date);
    assert_string_equal(q->nationality, p->nationality);
    assert_string_equal(q->passenger_ref, p->person_id);
    assert_string_equal(q->reservation_ref, p->household);
    assert_string_equal(q->embarkation, "TLV");
    assert_string_equal(q->debarkation, "ICN");
    if (!p->doc_number) {
        assert_int_equal(q->ndocuments, 0);
        return;
    }
    assert_int_equal(q->ndocuments, 1);
    assert_string_equal(q->documents[0].type, p->doc_type);
    assert_string_equal(q->documents[0].number, p->doc_number);
    assert_string_equal(q->documents[0].issuing_state, p->doc_state);
    same_date(q->documents[0].expiry, p->doc_expiry);
}

static void parse_back(const struct buf *b, struct paxlst_interchange *ic)
{
    memset(ic, 0, sizeof *ic);
    struct muster_err err = {0};
    int rc = paxlst_parse(b->data, b->len, ic, &err);
    if (rc)
        fail_msg("paxlst_parse: %s", err.msg);
    for (size_t i = 0; i < ic->ndiags && ic->nerrors; i++)
        print_message("diag: %s\n", ic->diags[i].msg);
    assert_int_equal(ic->nerrors, 0);
}

static void test_paxlst_roundtrip(void **state)
{
    struct fixture f;
    make(&f, 40);
    f.pax[3].birth_date = "1931-02-03"; /* the century rule must not misread these */
    f.pax[4].birth_date = "2025-12-31";
    struct buf out = {0};
    struct muster_err err;
    assert_int_equal(manifest_paxlst(&f.m, "MOFAKR", "JPNAPI", &out, &err), 0);
    struct paxlst_interchange ic;
    parse_back(&out, &ic);
    assert_string_equal(ic.sender, "MOFAKR");
    assert_string_equal(ic.recipient, "JPNAPI");
    assert_true(strlen(ic.control_ref) <= 14);
    assert_int_equal(ic.prepared.year, 2026);
    assert_int_equal(ic.prepared.hour, 12);
    assert_int_equal(ic.nmessages, 1);
    const struct paxlst_message *msg = &ic.messages[0];
    assert_string_equal(msg->document_code, "745");
    assert_string_equal(msg->transaction_ref, f.m.leg_id);
    assert_int_equal(msg->nlegs, 1);
    assert_string_equal(msg->legs[0].carrier, "ROKAF");
    assert_string_equal(msg->legs[0].number, "5101");
    assert_string_equal(msg->legs[0].transport_mode, "4");
    assert_string_equal(msg->legs[0].departure_place, "TLV");
    assert_string_equal(msg->legs[0].arrival_place, "ICN");
    assert_int_equal(msg->legs[0].departure.hour, 14);
    assert_int_equal(msg->legs[0].departure.minute, 30);
    assert_int_equal(msg->legs[0].arrival.day, 30);
    assert_int_equal(msg->declared_passengers, 40);
    assert_int_equal(msg->npeople, 40);
    for (size_t i = 0; i < 40; i++)
        same_person(&msg->people[i], &f.pax[i]);
    paxlst_free(&ic);
    buf_free(&out);
    unmake(&f);
}

static void test_paxlst_large_ship_and_derived_flight(void **state)
{
    struct fixture f;
    make(&f, 1000);
    f.m.kind = "ship";
    f.m.flight_number = NULL;
    f.m.point_code = NULL;
    f.m.point_name = "Haifa";
    char flight[32];
    manifest_flight_number(&f.m, flight, sizeof flight);
    struct buf out = {0};
    struct muster_err err;
    assert_int_equal(manifest_paxlst(&f.m, "MOFAKR", "JPNAPI", &out, &err), 0);
    struct paxlst_interchange ic;
    parse_back(&out, &ic);
    assert_int_equal(ic.nmessages, 2); /* split at 500 a message */
    size_t people = 0;
    for (size_t k = 0; k < ic.nmessages; k++) {
        const struct paxlst_message *msg = &ic.messages[k];
        assert_string_equal(msg->legs[0].transport_mode, "1");
        assert_string_equal(msg->legs[0].departure_place, "Haifa");
        assert_string_equal(msg->legs[0].carrier, "KOR");
        assert_string_equal(msg->legs[0].number, flight + 3); /* TDT+20+KOR1234 */
        for (size_t i = 0; i < msg->npeople; i++)
            assert_string_equal(msg->people[i].passenger_ref, f.pax[people + i].person_id);
        people += msg->npeople;
    }
    assert_int_equal(people, 1000);
    paxlst_free(&ic);
    buf_free(&out);
    unmake(&f);
}

/* --- random names through CSV and PAXLST --------------------------------------- */

/* A name of 1-4 words of letters and the characters that CSV, EDIFACT and
 * spreadsheets treat specially, some of them multi-byte. */
static const char *random_name(struct arena *a, struct rng *r)
{
    static const char *const bits[] = {"a", "Z", "'", "+", ":",  "?",  "*", ",", "\"", "=",
                                       "-", "@", "é", "ß", "김", "山", "ễ", "O", "x",  "."};
    char tmp[128] = "";
    int words = 1 + (int)rng_below(r, 4);
    for (int w = 0; w < words; w++) {
        if (w)
            strcat(tmp, " ");
        int len = 1 + (int)rng_below(r, 6);
        for (int i = 0; i < len; i++)
            strcat(tmp, bits[rng_below(r, sizeof bits / sizeof bits[0])]);
    }
    return arena_strdup(a, tmp);
}

static void test_random_names_roundtrip(void **state)
{
    struct fixture f;
    make(&f, 300);
    struct rng r;
    rng_seed(&r, 7);
    for (size_t i = 0; i < 300; i++) {
        f.pax[i].surname = random_name(&f.a, &r);
        f.pax[i].given_names = random_name(&f.a, &r);
        f.pax[i].native_name = random_name(&f.a, &r);
    }
    struct buf csv = {0}, edi = {0};
    assert_int_equal(manifest_csv(&f.m, &csv, NULL), 0);
    const char *s = csv.data;
    char fields[20][256];
    csv_record(&s, fields);
    for (size_t i = 0; i < 300; i++) {
        assert_int_equal(csv_record(&s, fields), 18);
        const char *want[] = {f.pax[i].surname, f.pax[i].given_names, f.pax[i].native_name};
        for (int k = 0; k < 3; k++) {
            const char *got = fields[5 + k];
            if (strchr("=+-@", want[k][0]))
                assert_int_equal(*got++, '\''); /* defused formula */
            assert_string_equal(got, want[k]);
        }
    }
    assert_int_equal(manifest_paxlst(&f.m, "MOFAKR", "JPNAPI", &edi, NULL), 0);
    struct paxlst_interchange ic;
    parse_back(&edi, &ic);
    assert_int_equal(ic.messages[0].npeople, 300);
    for (size_t i = 0; i < 300; i++)
        same_person(&ic.messages[0].people[i], &f.pax[i]);
    paxlst_free(&ic);
    buf_free(&csv);
    buf_free(&edi);
    unmake(&f);
}

/* --- figures and bad input ---------------------------------------------------- */

static void test_flight_number_and_load(void **state)
{
    struct fixture f;
    make(&f, 10);
    f.m.flight_number = NULL;
    char a[32], b[32];
    manifest_flight_number(&f.m, a, sizeof a);
    manifest_flight_number(&f.m, b, sizeof b);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 7);
    assert_memory_equal(a, "KOR", 3);
    f.m.operator_nation = NULL;
    manifest_flight_number(&f.m, a, sizeof a);
    assert_memory_equal(a, "EVAC", 4);
    struct manifest_load l;
    f.m.seats = 3;
    f.m.stretchers = 6;
    manifest_load(&f.m, &l); /* needs 0..9: stretcher on 1,3,5,7,9 */
    assert_int_equal(l.stretchers_used, 5);
    assert_int_equal(l.stretchers_free, 1);
    assert_int_equal(l.seats_used, 5);
    assert_int_equal(l.seats_free, -2);
    unmake(&f);
}

static void expect_bad(struct fixture *f, const char *word)
{
    struct buf out = {0};
    struct muster_err err = {0};
    assert_int_equal(manifest_csv(&f->m, &out, &err), MUSTER_EINVAL);
    if (!strstr(err.msg, word))
        fail_msg("error \"%s\" does not name \"%s\"", err.msg, word);
    assert_int_equal(manifest_pdf(&f->m, &out, &err), MUSTER_EINVAL);
    assert_int_equal(manifest_paxlst(&f->m, "A", "B", &out, &err), MUSTER_EINVAL);
    assert_int_equal(out.len, 0);
    buf_free(&out);
}

static void test_bad_input(void **state)
{
    struct fixture f;
    struct muster_err err = {0};
    struct buf out = {0};
    assert_int_equal(manifest_csv(NULL, &out, &err), MUSTER_EINVAL);
    assert_non_null(strstr(err.msg, "no manifest"));
#define BAD(change, word)                                                                          \
    do {                                                                                           \
        make(&f, 5);                                                                               \
        change;                                                                                    \
        expect_bad(&f, word);                                                                      \
        unmake(&f);                                                                                \
    } while (0)
    BAD(f.m.leg_id = NULL, "leg_id is required");
    BAD(f.m.leg_id = "", "leg_id is required");
    BAD(f.m.seats = -1, "seats and stretchers must be >= 0 (got -1 and 80)");
    BAD(f.m.stretchers = -4, "must be >= 0");
    BAD(f.m.kind = "train", "kind must be");
    BAD(f.m.departs = 0, "departs is required");
    BAD(f.m.arrives = f.m.departs - 1, "arrives");
    BAD(f.m.pax = NULL, "pax is NULL");
    BAD(f.pax[2].surname = "", "passenger 3 (p00002): surname is required");
    BAD(f.pax[1].sex = "male", "sex must be");
    BAD(f.pax[1].birth_date = "1990-02-30", "birth_date");
    BAD(f.pax[1].doc_expiry = "30/06/2030", "doc_expiry");
    BAD(f.pax[1].priority = "urgent", "priority");
    BAD(f.pax[1].needs = 16, "needs");
    BAD(f.pax[1].nationality = "Japan", "nationality");
    BAD(f.pax[4].given_names = "bad\xff", "given_names is not valid UTF-8");
    BAD(f.pax[4].surname = "two\nlines", "surname is not valid UTF-8");
    BAD(f.m.vehicle = "\xc0\x80", "not valid UTF-8");
#undef BAD
    make(&f, 5);
    assert_int_equal(manifest_paxlst(&f.m, NULL, "B", &out, &err), MUSTER_EINVAL);
    assert_non_null(strstr(err.msg, "sender and recipient"));
    f.m.generated_at = 0;
    assert_int_equal(manifest_paxlst(&f.m, "A", "B", &out, &err), MUSTER_EINVAL);
    assert_non_null(strstr(err.msg, "generated_at"));
    assert_int_equal(out.len, 0);
    unmake(&f);
}

/* Figures for docs/manifests.md, only when MUSTER_MANIFEST_BENCH is set:
 *   MUSTER_MANIFEST_BENCH=1 build/tests/test_manifest
 * prints the best of 5 runs of each rendering for 40 and 1000 passengers. */
static void test_figures(void **state)
{
    if (!getenv("MUSTER_MANIFEST_BENCH"))
        skip();
    static const char *const what[] = {"csv", "paxlst", "pdf latin", "pdf cjk"};
    static const size_t sizes[] = {40, 1000};
    for (size_t z = 0; z < 2; z++) {
        struct fixture f;
        make(&f, sizes[z]);
        for (int k = 0; k < 4; k++) {
            double best = 1e9;
            size_t len = 0;
            for (int r = 0; r < 5; r++) {
                struct buf out = {0};
                struct manifest_pdf_options o = {.cjk_font = k == 2 ? "" : WQY};
                double t = time_mono();
                int rc = k == 0   ? manifest_csv(&f.m, &out, NULL)
                         : k == 1 ? manifest_paxlst(&f.m, "MOFAKR", "JPNAPI", &out, NULL)
                                  : manifest_pdf_with(&f.m, &o, &out, NULL);
                t = time_mono() - t;
                assert_int_equal(rc, 0);
                best = t < best ? t : best;
                len = out.len;
                buf_free(&out);
            }
            print_message("%-10s %5zu passengers: %8.1f ms %9zu bytes\n", what[k], sizes[z],
                          best * 1000, len);
        }
        unmake(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_needs_and_empty),
        cmocka_unit_test(test_pdf_page_counts),
        cmocka_unit_test(test_pdf_header_and_totals),
        cmocka_unit_test(test_pdf_households_numbered),
        cmocka_unit_test(test_pdf_long_fields),
        cmocka_unit_test(test_pdf_no_passengers),
        cmocka_unit_test(test_pdf_compressed_is_smaller),
        cmocka_unit_test(test_pdf_cjk_font),
        cmocka_unit_test(test_pdf_font_missing_or_bad),
        cmocka_unit_test(test_paxlst_roundtrip),
        cmocka_unit_test(test_paxlst_large_ship_and_derived_flight),
        cmocka_unit_test(test_random_names_roundtrip),
        cmocka_unit_test(test_flight_number_and_load),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

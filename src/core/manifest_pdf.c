/* manifest_pdf.c — a leg's manifest as a printable PDF for the crew
 * (libharu, A4 landscape). Every page repeats the leg header and carries
 * "page i of n"; the passenger table runs MANIFEST_PDF_ROWS_PER_PAGE rows a
 * page; the totals close the last page (or take one more when they do not
 * fit). The page count is fixed before drawing (manifest_pdf_pages), so the
 * footer can say n on page 1.
 *
 * Latin text goes through Helvetica with WinAnsiEncoding (CP1252); native
 * names in other scripts need a TrueType CJK font (manifest_pdf_cjk.c). */
#include "core/manifest_int.h"
#include "core/manifest_pdf_int.h"

#include "util/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Page geometry in points: A4 landscape with 28 pt margins. */
#define PAGE_W       841.89f
#define PAGE_H       595.28f
#define MARGIN       28.0f
#define ROW_H        12.0f
#define TABLE_TOP    (PAGE_H - MARGIN - 78.0f) /* baseline of the column titles */
#define FOOTER_Y     (MARGIN - 8.0f)
#define NAT_PER_LINE 10

struct column {
    const char *title;
    float width;
};

static const struct column cols[] = {
    {"#", 24},
    {"Name (SURNAME, given names)", 158},
    {"Native name", 100},
    {"Sex", 22},
    {"Birth date", 52},
    {"Nat.", 28},
    {"Document (type number state expiry)", 146},
    {"Priority", 50},
    {"Needs", 140},
    {"Household", 66},
};
enum { NCOLS = sizeof cols / sizeof cols[0] };

/* Lines the totals block takes (a blank line before it included). */
static int totals_lines(size_t nnat)
{
    size_t nat_lines = nnat ? (nnat + NAT_PER_LINE - 1) / NAT_PER_LINE : 1;
    return 7 + (int)nat_lines;
}

static int pages_for(size_t npax, size_t nnat)
{
    size_t rows = npax ? npax : 1; /* "no passengers" takes a row */
    size_t table_pages = (rows + MANIFEST_PDF_ROWS_PER_PAGE - 1) / MANIFEST_PDF_ROWS_PER_PAGE;
    size_t last = rows - (table_pages - 1) * MANIFEST_PDF_ROWS_PER_PAGE;
    bool fits = last + (size_t)totals_lines(nnat) <= MANIFEST_PDF_ROWS_PER_PAGE;
    return (int)(table_pages + (fits ? 0 : 1));
}

int manifest_pdf_pages(const struct manifest *m)
{
    struct mf_totals t;
    mf_totals(m, &t);
    int n = pages_for(m->npax, t.nnat);
    mf_totals_free(&t);
    return n;
}

/* --- drawing -------------------------------------------------------------- */

static void fmt_time(int64_t t, char out[32])
{
    if (t <= 0) {
        snprintf(out, 32, "unknown");
        return;
    }
    char iso[21];
    time_format_iso(t, iso);
    snprintf(out, 32, "%.10s %.5s UTC", iso, iso + 11);
}

/* "name (code, country)" with the parts that are known, into out. */
static void place(const char *name, const char *code, const char *country, char out[160])
{
    const char *in[2] = {code, country};
    size_t n = (size_t)snprintf(out, 160, "%.80s", mf_has(name) ? name : "?");
    int k = 0;
    for (int i = 0; i < 2; i++)
        if (mf_has(in[i]))
            n += (size_t)snprintf(out + n, 160 - n, "%s%.12s", k++ ? ", " : " (", in[i]);
    if (k)
        snprintf(out + n, 160 - n, ")");
}

static void draw_header(struct mf_pdf *c)
{
    const struct manifest *m = c->m;
    char dep[32], arr[32], from[160], to[160];
    fmt_time(m->departs, dep);
    fmt_time(m->arrives, arr);
    place(m->point_name, m->point_code, NULL, from);
    place(m->destination, m->destination_code, m->destination_country, to);
    float y = PAGE_H - MARGIN - 14;
    mf_pdf_text(c, c->bold, 14, MARGIN, y, 0, "PASSENGER MANIFEST  %.40s", c->flight);
    mf_pdf_text(c, c->font, 9, PAGE_W - MARGIN, y, 1, "Operation: %.60s", mf_s(m->operation_name));
    y -= 16;
    mf_pdf_text(c, c->font, 9, MARGIN, y, 0, "Leg %.40s   Operator: %.12s   %s%s%.60s", m->leg_id,
                mf_has(m->operator_nation) ? m->operator_nation : "?", m->kind,
                mf_has(m->vehicle) ? " " : "", mf_s(m->vehicle));
    y -= 12;
    mf_pdf_text(c, c->font, 9, MARGIN, y, 0, "From: %s   departs %s", from, dep);
    y -= 12;
    mf_pdf_text(c, c->font, 9, MARGIN, y, 0, "To: %s   arrives %s", to, arr);
    y -= 12;
    mf_pdf_text(c, c->font, 9, MARGIN, y, 0,
                "Passengers: %zu   Seats used %lld of %lld (free %lld)   Stretcher slots used "
                "%lld of %lld (free %lld)",
                m->npax, (long long)c->load.seats_used, (long long)m->seats,
                (long long)c->load.seats_free, (long long)c->load.stretchers_used,
                (long long)m->stretchers, (long long)c->load.stretchers_free);
}

static void draw_footer(struct mf_pdf *c)
{
    char at[32];
    fmt_time(c->m->generated_at, at);
    mf_pdf_text(c, c->font, 7, MARGIN, FOOTER_Y, 0, "Generated %s%s%.60s by muster   Leg %.40s",
                c->m->generated_at > 0 ? at : "", mf_has(c->m->generated_by) ? " for " : "",
                mf_s(c->m->generated_by), c->m->leg_id);
    mf_pdf_text(c, c->font, 8, PAGE_W - MARGIN, FOOTER_Y, 1, "page %d of %d", c->page_no,
                c->npages);
}

static void new_page(struct mf_pdf *c)
{
    c->page = HPDF_AddPage(c->pdf);
    HPDF_Page_SetSize(c->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
    c->page_no++;
    draw_header(c);
    draw_footer(c);
}

static void table_head(struct mf_pdf *c, float y)
{
    float x = MARGIN;
    for (int k = 0; k < NCOLS; k++) {
        mf_pdf_cell(c, c->bold, 8, x, y, cols[k].width, cols[k].title);
        x += cols[k].width;
    }
    HPDF_Page_SetLineWidth(c->page, 0.6f);
    HPDF_Page_MoveTo(c->page, MARGIN, y - 3);
    HPDF_Page_LineTo(c->page, PAGE_W - MARGIN, y - 3);
    HPDF_Page_Stroke(c->page);
}

static void row_cells(const struct mf_pdf *c, size_t i, char v[NCOLS][160])
{
    const struct manifest_passenger *p = &c->m->pax[i];
    snprintf(v[0], 160, "%zu", i + 1);
    char sur[96];
    snprintf(sur, sizeof sur, "%s", p->surname);
    for (char *s = sur; *s; s++)
        *s = (char)toupper((unsigned char)*s);
    snprintf(v[1], 160, "%s%s%s", sur, p->given_names && *p->given_names ? ", " : "",
             mf_s(p->given_names));
    v[2][0] = '\0'; /* native name: drawn apart (its font may differ) */
    snprintf(v[3], 160, "%s", mf_s(p->sex));
    snprintf(v[4], 160, "%s", mf_s(p->birth_date));
    snprintf(v[5], 160, "%s", mf_s(p->nationality));
    if (p->doc_number && *p->doc_number)
        snprintf(v[6], 160, "%s %s %s%s%s", p->doc_type && *p->doc_type ? p->doc_type : "P",
                 p->doc_number, mf_s(p->doc_state), p->doc_expiry && *p->doc_expiry ? " exp " : "",
                 mf_s(p->doc_expiry));
    else
        snprintf(v[6], 160, "none");
    snprintf(v[7], 160, "%s", mf_priority_names[mf_priority_index(p)]);
    static const char *const short_needs[4] = {"stretcher", "assisted", "pregnant", "UM"};
    v[8][0] = '\0';
    for (int b = 0; b < 4; b++)
        if (p->needs & (1 << b))
            snprintf(v[8] + strlen(v[8]), 160 - strlen(v[8]), "%s%s", v[8][0] ? ", " : "",
                     short_needs[b]);
    if (c->household_no[i])
        snprintf(v[9], 160, "H%zu (%zu)", c->household_no[i], c->household_size[i]);
    else
        v[9][0] = '\0';
}

static void draw_row(struct mf_pdf *c, size_t i, float y)
{
    const struct manifest_passenger *p = &c->m->pax[i];
    if (i % 2) {
        HPDF_Page_SetGrayFill(c->page, 0.92f);
        HPDF_Page_Rectangle(c->page, MARGIN, y - 3, PAGE_W - 2 * MARGIN, ROW_H);
        HPDF_Page_Fill(c->page);
        HPDF_Page_SetGrayFill(c->page, 0);
    }
    char v[NCOLS][160];
    row_cells(c, i, v);
    bool critical = mf_priority_index(p) == MF_CRITICAL;
    float x = MARGIN;
    for (int k = 0; k < NCOLS; k++) {
        if (k == 2)
            mf_pdf_native(c, x, y, cols[k].width, p->native_name);
        else
            mf_pdf_cell(c, critical && k == 7 ? c->bold : c->font, 8, x, y, cols[k].width, v[k]);
        x += cols[k].width;
    }
}

static void draw_nationalities(struct mf_pdf *c, float y)
{
    const struct mf_totals *t = &c->totals;
    if (!t->nnat)
        mf_pdf_text(c, c->font, 8, MARGIN + 12, y, 0, "none");
    for (size_t i = 0; i < t->nnat; i++) {
        if (i && i % NAT_PER_LINE == 0)
            y -= ROW_H;
        float x = MARGIN + 12 + (float)(i % NAT_PER_LINE) * 74;
        const char *code = *t->nat[i].nationality ? t->nat[i].nationality : "unknown";
        mf_pdf_text(c, c->font, 8, x, y, 0, "%s %zu", code, t->nat[i].count);
    }
}

static void draw_totals(struct mf_pdf *c, float y)
{
    const struct mf_totals *t = &c->totals;
    const struct manifest_load *l = &c->load;
    y -= ROW_H; /* the blank line */
    mf_pdf_text(c, c->bold, 10, MARGIN, y, 0, "Totals: %zu passengers", c->m->npax);
    y -= ROW_H;
    mf_pdf_text(c, c->font, 8, MARGIN + 12, y, 0,
                "Seats: %lld used of %lld, %lld free.   Stretcher slots: %lld used of %lld, "
                "%lld free.",
                (long long)l->seats_used, (long long)c->m->seats, (long long)l->seats_free,
                (long long)l->stretchers_used, (long long)c->m->stretchers,
                (long long)l->stretchers_free);
    y -= ROW_H;
    mf_pdf_text(c, c->font, 8, MARGIN + 12, y, 0,
                "By priority: critical %zu, vulnerable %zu, standard %zu", t->priority[0],
                t->priority[1], t->priority[2]);
    y -= ROW_H;
    mf_pdf_text(c, c->font, 8, MARGIN + 12, y, 0,
                "By need: stretcher %zu, assisted %zu, pregnant %zu, unaccompanied minor (UM) %zu",
                t->needs[0], t->needs[1], t->needs[2], t->needs[3]);
    y -= ROW_H;
    mf_pdf_text(c, c->bold, 8, MARGIN + 12, y, 0, "Totals by nationality");
    y -= ROW_H;
    draw_nationalities(c, y);
    y -= ROW_H * (float)(t->nnat ? (t->nnat - 1) / NAT_PER_LINE + 1 : 1);
    if (c->native_dropped)
        mf_pdf_text(c, c->font, 7, MARGIN + 12, y, 0,
                    "%zu native name(s) not printed: no font for their script on this server "
                    "(the Latin names above are complete).",
                    c->native_dropped);
}

struct member {
    const char *household;
    size_t row;
};

static int cmp_member(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    int d = strcmp(x->household, y->household);
    return d ? d : (x->row > y->row) - (x->row < y->row);
}

struct run {
    size_t first, start, len; /* first row of the household; its place in members */
};

static int cmp_run(const void *a, const void *b)
{
    const struct run *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

/* Household ids are long and time-ordered (alike at the start), so the crew
 * sees H1, H2, ... numbered by first appearance on this manifest, with the
 * number of its members aboard; the CSV carries the ids. */
static void number_households(struct mf_pdf *c)
{
    size_t n = c->m->npax, k = 0, nruns = 0;
    struct member *mem = calloc(n + 1, sizeof *mem);
    struct run *runs = calloc(n + 1, sizeof *runs);
    c->household_no = calloc(n + 1, sizeof *c->household_no);
    c->household_size = calloc(n + 1, sizeof *c->household_size);
    if (!mem || !runs || !c->household_no || !c->household_size)
        abort(); /* out of memory is fatal in muster */
    for (size_t i = 0; i < n; i++)
        if (c->m->pax[i].household && *c->m->pax[i].household)
            mem[k++] = (struct member){c->m->pax[i].household, i};
    qsort(mem, k, sizeof *mem, cmp_member);
    for (size_t i = 0; i < k; i++) {
        if (i && strcmp(mem[i].household, mem[i - 1].household) == 0)
            runs[nruns - 1].len++;
        else
            runs[nruns++] = (struct run){mem[i].row, i, 1}; /* rows ascend within a run */
    }
    qsort(runs, nruns, sizeof *runs, cmp_run);
    for (size_t r = 0; r < nruns; r++)
        for (size_t j = 0; j < runs[r].len; j++) {
            c->household_no[mem[runs[r].start + j].row] = r + 1;
            c->household_size[mem[runs[r].start + j].row] = runs[r].len;
        }
    free(mem);
    free(runs);
}

/* Draws every page; returns nothing (libharu errors land in c->error). */
static void draw(struct mf_pdf *c)
{
    size_t rows = c->m->npax ? c->m->npax : 1;
    float y = TABLE_TOP;
    for (size_t i = 0; i < rows; i++) {
        if (i % MANIFEST_PDF_ROWS_PER_PAGE == 0) {
            new_page(c);
            table_head(c, TABLE_TOP);
            y = TABLE_TOP - ROW_H;
        }
        if (c->m->npax)
            draw_row(c, i, y);
        else
            mf_pdf_text(c, c->font, 9, MARGIN + 24, y, 0, "No passengers on this leg.");
        y -= ROW_H;
    }
    if (c->page_no < c->npages) {
        new_page(c);
        y = TABLE_TOP;
    }
    draw_totals(c, y);
}

int manifest_pdf_with(const struct manifest *m, const struct manifest_pdf_options *opt,
                      struct buf *out, struct muster_err *err)
{
    int rc = manifest_check(m, err);
    if (rc)
        return rc;
    struct manifest_pdf_options none = {0};
    struct mf_pdf c = {.m = m, .opt = opt ? opt : &none};
    rc = mf_pdf_open(&c, err);
    if (rc)
        return rc;
    mf_totals(m, &c.totals);
    manifest_load(m, &c.load);
    c.npages = pages_for(m->npax, c.totals.nnat);
    number_households(&c);
    draw(&c);
    rc = mf_pdf_finish(&c, out, err);
    mf_totals_free(&c.totals);
    free(c.household_no);
    free(c.household_size);
    return rc;
}

int manifest_pdf(const struct manifest *m, struct buf *out, struct muster_err *err)
{
    return manifest_pdf_with(m, NULL, out, err);
}

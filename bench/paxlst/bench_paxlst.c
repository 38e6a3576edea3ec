/* bench_paxlst.c — PAXLST figures: reading a large generated interchange
 * (the zero-copy EDIFACT reader with envelope checks, and the full PAXLST
 * parse into structures), and building manifests of 300 passengers.
 *
 * usage: bench_paxlst OUT.edi [BUILD_COUNT]
 * Writes the generated interchange to OUT.edi so that bench_node.cjs reads the
 * same bytes. Prints "name value unit" lines that bench_paxlst.sh reads. */
#include "travel/edifact.h"
#include "travel/paxlst.h"
#include "util/rng.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAX 300

static const char *const surnames[] = {
    "KIM",      "LEE",   "PARK", "CHOI",   "TANAKA",      "SATO",      "SUZUKI",   "O'BRIEN",
    "MARTINEZ", "COHEN", "LEVI", "NGUYEN", "SMITH-JONES", "AL HASSAN", "YAMAMOTO", "WATANABE"};
static const char *const givens[] = {"MIN JUN", "SEO YEON", "HIROSHI",    "YUKI", "DAVID", "SARAH",
                                     "JI HOON", "AKIRA",    "MARIA JOSE", "NOAM", "HANA"};
static const char *const nations[] = {"KOR", "JPN", "ISR", "USA", "GBR", "FRA", "VNM", "PHL"};

/* CPU time of this thread: the "one core" figure even when the machine is
 * shared with other work (wall time is printed next to it). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *pick(struct rng *r, const char *const *v, size_t n)
{
    return v[rng_below(r, n)];
}

static char *fmt(struct arena *a, const char *f, unsigned long n)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, f, n);
    return arena_strdup(a, tmp);
}

static void gen_people(struct rng *r, struct arena *a, struct paxlst_person *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].role = i < 12 ? PAXLST_CREW : PAXLST_PASSENGER;
        p[i].surname = pick(r, surnames, sizeof surnames / sizeof *surnames);
        p[i].given_names = pick(r, givens, sizeof givens / sizeof *givens);
        p[i].sex = rng_below(r, 2) ? "M" : "F";
        p[i].birth_date = (struct paxlst_date){
            1930 + (int)rng_below(r, 95), 1 + (int)rng_below(r, 12), 1 + (int)rng_below(r, 28)};
        p[i].nationality = pick(r, nations, sizeof nations / sizeof *nations);
        p[i].residence_country = p[i].nationality;
        p[i].embarkation = "TLV";
        p[i].debarkation = "ICN";
        p[i].passenger_ref = fmt(a, "EVAC%08lu", rng_below(r, 100000000));
        struct paxlst_document *d = arena_alloc(a, sizeof *d);
        d->type = "P";
        d->number = fmt(a, "M%08lu", rng_below(r, 100000000));
        d->issuing_state = p[i].nationality;
        d->expiry = (struct paxlst_date){2027 + (int)rng_below(r, 10), 1 + (int)rng_below(r, 12),
                                         1 + (int)rng_below(r, 28)};
        p[i].documents = d;
        p[i].ndocuments = 1;
    }
}

static struct paxlst_leg leg = {
    "KE", "9051", "4", "TLV", {2026, 11, 29, 14, 5, true}, "ICN", {2026, 11, 30, 6, 40, true},
    false};

/* One interchange of nmsg passenger lists of PAX people each. */
static void gen_interchange(struct rng *r, struct arena *a, size_t nmsg, struct buf *out)
{
    struct paxlst_interchange ic = {.sender = "MOFAKR",
                                    .recipient = "JPIMMIG",
                                    .control_ref = "BENCH1",
                                    .prepared = {2026, 11, 29, 9, 30, true}};
    ic.messages = arena_alloc(a, nmsg * sizeof *ic.messages);
    ic.nmessages = nmsg;
    for (size_t i = 0; i < nmsg; i++) {
        struct paxlst_message *m = &ic.messages[i];
        m->document_code = "745";
        m->legs = &leg;
        m->nlegs = 1;
        m->people = arena_alloc(a, PAX * sizeof *m->people);
        m->npeople = PAX;
        gen_people(r, a, m->people, PAX);
        for (size_t k = 0; k < PAX; k++)
            m->people[k].role = PAXLST_PASSENGER;
        m->declared_passengers = m->declared_crew = -1;
    }
    struct muster_err err;
    if (paxlst_write(&ic, NULL, out, &err) != 0) {
        fprintf(stderr, "bench_paxlst: %s\n", err.msg);
        exit(1);
    }
}

/* The syntax layer alone: segments cut, envelopes checked, nothing copied. */
static size_t tokenise(const char *d, size_t n, size_t *ncomp)
{
    struct edi_reader r;
    static struct edi_segment s;
    struct edi_envelope e;
    struct edi_diags dg = {0};
    edi_reader_init(&r, d, n, NULL, NULL);
    edi_env_init(&e);
    size_t segs = 0, comps = 0;
    while (edi_next(&r, &s, &dg) == 1) {
        edi_env_feed(&e, &r, &s, &dg);
        segs++;
        comps += s.rcomp[s.erep[s.nelem + 1]];
    }
    edi_env_finish(&e, &r, &dg);
    if (dg.n) {
        fprintf(stderr, "bench_paxlst: %zu diagnostics\n", dg.n);
        exit(1);
    }
    edi_diags_free(&dg);
    *ncomp = comps;
    return segs;
}

static double best_wall;

/* Best CPU time of several runs; best_wall gets the best wall time. */
static double best_of(int runs, double (*fn)(const struct buf *), const struct buf *b)
{
    double best = 1e9;
    best_wall = 1e9;
    for (int i = 0; i < runs; i++) {
        double w0 = time_mono(), c0 = cpu_now();
        fn(b);
        double c = cpu_now() - c0, w = time_mono() - w0;
        if (c < best)
            best = c;
        if (w < best_wall)
            best_wall = w;
    }
    return best;
}

static size_t g_segs, g_comps, g_people;

static double run_tokenise(const struct buf *b)
{
    g_segs = tokenise(b->data, b->len, &g_comps);
    return 0;
}

static double run_parse(const struct buf *b)
{
    struct paxlst_interchange ic = {0};
    struct muster_err err;
    int rc = paxlst_parse(b->data, b->len, &ic, &err);
    if (rc || ic.nerrors || ic.ndiags) {
        fprintf(stderr, "bench_paxlst: parse failed (%s, %zu diagnostics)\n", err.msg, ic.ndiags);
        exit(1);
    }
    g_people = 0;
    for (size_t i = 0; i < ic.nmessages; i++)
        g_people += ic.messages[i].npeople;
    paxlst_free(&ic);
    return 0;
}

/* The zero-copy form: the parse cuts the buffer in place (a fresh copy each
 * run, made outside the timed part). */
static double best_inplace(int runs, const struct buf *b, double *wall)
{
    char *work = malloc(b->len + 1);
    double best = 1e9;
    *wall = 1e9;
    for (int i = 0; i < runs; i++) {
        memcpy(work, b->data, b->len + 1);
        struct paxlst_interchange ic = {0};
        double w0 = time_mono(), c0 = cpu_now();
        int rc = paxlst_parse_inplace(work, b->len, &ic, NULL);
        double c = cpu_now() - c0, w = time_mono() - w0;
        if (rc || ic.ndiags)
            exit(1);
        paxlst_free(&ic);
        best = c < best ? c : best;
        *wall = w < *wall ? w : *wall;
    }
    free(work);
    return best;
}

static void bench_build(struct rng *r, long count)
{
    enum { DISTINCT = 32 };
    struct arena a = {0};
    struct paxlst_person *people[DISTINCT];
    for (int i = 0; i < DISTINCT; i++) {
        people[i] = arena_alloc(&a, PAX * sizeof **people);
        gen_people(r, &a, people[i], PAX);
    }
    struct paxlst_manifest m = {.sender = "MOFAKR",
                                .recipient = "JPIMMIG",
                                .prepared = {2026, 11, 29, 9, 30, true},
                                .legs = &leg,
                                .nlegs = 1,
                                .npeople = PAX};
    struct buf out = {0};
    size_t bytes = 0;
    char ref[24];
    double t0 = cpu_now(), w0 = time_mono();
    for (long i = 0; i < count; i++) {
        snprintf(ref, sizeof ref, "M%ld", i % 10000000);
        m.control_ref = ref;
        m.people = people[i % DISTINCT];
        buf_reset(&out);
        if (paxlst_build(&m, NULL, &out, NULL) != 0)
            exit(1);
        bytes += out.len;
    }
    double t = cpu_now() - t0, w = time_mono() - w0;
    printf("build_manifests %ld count\n", count);
    printf("build_seconds %.2f s\n", t);
    printf("build_seconds_wall %.2f s\n", w);
    printf("build_rate %.0f manifests/s\n", count / t);
    printf("build_throughput %.0f MB/s\n", bytes / t / 1e6);
    printf("build_bytes_per_manifest %zu bytes\n", bytes / (size_t)count);
    buf_free(&out);
    arena_free(&a);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_paxlst OUT.edi [BUILD_COUNT]\n");
        return 2;
    }
    long count = argc > 2 ? atol(argv[2]) : 100000;
    struct rng r;
    rng_seed(&r, 42);
    struct arena a = {0};
    struct buf big = {0};
    gen_interchange(&r, &a, 400, &big);
    FILE *f = fopen(argv[1], "wb");
    if (!f || fwrite(big.data, 1, big.len, f) != big.len || fclose(f) != 0) {
        fprintf(stderr, "bench_paxlst: cannot write %s\n", argv[1]);
        return 1;
    }
    double tt = best_of(10, run_tokenise, &big), tt_wall = best_wall;
    double tp = best_of(10, run_parse, &big), tp_wall = best_wall;
    double ti_wall, ti = best_inplace(10, &big, &ti_wall);
    printf("interchange_bytes %zu bytes\n", big.len);
    printf("interchange_segments %zu segments\n", g_segs);
    printf("interchange_components %zu components\n", g_comps);
    printf("interchange_people %zu people\n", g_people);
    printf("tokenise_throughput %.0f MB/s\n", big.len / tt / 1e6);
    printf("tokenise_throughput_wall %.0f MB/s\n", big.len / tt_wall / 1e6);
    printf("parse_throughput %.0f MB/s\n", big.len / tp / 1e6);
    printf("parse_throughput_wall %.0f MB/s\n", big.len / tp_wall / 1e6);
    printf("parse_inplace_throughput %.0f MB/s\n", big.len / ti / 1e6);
    printf("parse_inplace_throughput_wall %.0f MB/s\n", big.len / ti_wall / 1e6);
    bench_build(&r, count);
    buf_free(&big);
    arena_free(&a);
    return 0;
}

/* bench_mrz.c — MRZ parse+validate throughput, and the input for the
 * differential against the npm package mrz (bench/mrz/bench.mjs).
 *
 * usage: bench_mrz N OUTDIR VECTORS
 * Generates N TD3 and N TD1 documents (deterministic PRNG, written with
 * mrz_make), times mrz_parse_at over each set on one core (best of 3 runs),
 * (thread CPU time, best of 3 runs) and writes to OUTDIR: docs-td3.txt and docs-td1.txt (one
 * document per line, its MRZ lines joined by '|'), diff-in.txt (the differential set: generated
 * documents, the same with a check digit broken, an OCR look-alike swapped,
 * unknown birth-date parts, lower case, and every case of VECTORS) and
 * diff-ours.jsonl (our JSON for each line of diff-in.txt). */
#include "travel/mrz.h"
#include "util/buf.h"
#include "util/rng.h"
#include "util/timeutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Thread CPU seconds: the machine may be shared, and what is measured is
 * the work of one core, not the wait for it. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *const syl[] = {"KA",    "TO",   "MI",  "RA",   "SU",  "KI",   "NA",  "HA",  "YO",
                                  "RI",    "PARK", "KIM", "LEE",  "SON", "JUNG", "MÜL", "LER", "ÅS",
                                  "BJÖRN", "SEN",  "O",   "CHAN", "DRA", "PÉ",   "REZ", "ÇA"};
static const char *const states[] = {"JPN", "KOR", "USA", "GBR", "D",   "FRA", "PHL",
                                     "CHN", "AUS", "CAN", "UTO", "VNM", "THA"};

static void word(struct rng *r, char *out, int parts)
{
    out[0] = '\0';
    for (int i = 0; i < parts; i++)
        strcat(out, syl[rng_below(r, sizeof syl / sizeof syl[0])]);
}

static void alnum(struct rng *r, char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"[rng_below(r, 33)];
    out[n] = '\0';
}

static void date(int64_t day, char *out)
{
    int y, m, d;
    time_civil_from_days(day, &y, &m, &d);
    char t[32];
    snprintf(t, sizeof t, "%04d-%02d-%02d", y, m, d);
    memcpy(out, t, 11);
}

/* One generated document of format f into out (lines joined by '\n'). */
static void generate(struct rng *r, enum mrz_format f, int64_t today, char *out)
{
    char sur[80], g1[64], g2[64], given[130], num[24], opt[16], bd[11], ed[11];
    word(r, sur, 1 + (int)rng_below(r, 4));
    word(r, g1, 1 + (int)rng_below(r, 3));
    word(r, g2, (int)rng_below(r, 3));
    snprintf(given, sizeof given, "%s %s", g1, g2);
    int nl = f == MRZ_TD1 && rng_below(r, 10) == 0 ? 10 + (int)rng_below(r, 3)
                                                   : 8 + (int)rng_below(r, 2);
    alnum(r, num, nl);
    int ol = rng_below(r, 2) ? 0 : 1 + (int)rng_below(r, nl > 9 ? 3 : 12);
    alnum(r, opt, ol);
    date(today - 365 - (int64_t)rng_below(r, 32000), bd);
    date(today - 1800 + (int64_t)rng_below(r, 5400), ed);
    struct mrz_person p = {.issuing_state = states[rng_below(r, 13)],
                           .surname = sur,
                           .given_names = given,
                           .document_number = num,
                           .nationality = states[rng_below(r, 13)],
                           .birth_date = bd,
                           .sex = "MFX"[rng_below(r, 3)],
                           .expiry_date = ed,
                           .optional_data = opt};
    struct muster_err err;
    if (mrz_make(&p, f, out, MRZ_TEXT_MAX, NULL, &err) != 0) {
        fprintf(stderr, "bench_mrz: make: %s\n", err.msg);
        exit(1);
    }
}

struct set {
    char *text;  /* documents back to back */
    size_t *off; /* start of each document */
    size_t *len;
    size_t n;
};

static void make_set(struct set *s, size_t n, enum mrz_format f, uint64_t seed, int64_t today)
{
    struct rng r;
    rng_seed(&r, seed);
    s->text = malloc(n * 92);
    s->off = malloc(n * sizeof *s->off);
    s->len = malloc(n * sizeof *s->len);
    s->n = n;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        generate(&r, f, today, s->text + at);
        s->off[i] = at;
        s->len[i] = strlen(s->text + at);
        at += s->len[i];
    }
}

static double time_set(const struct set *s, int64_t today, size_t *valid)
{
    double best = 1e9;
    for (int run = 0; run < 3; run++) {
        struct mrz_doc d;
        size_t v = 0;
        double t0 = cpu_now();
        for (size_t i = 0; i < s->n; i++) {
            mrz_parse_at(s->text + s->off[i], s->len[i], today, &d, NULL);
            v += d.valid;
        }
        double t = cpu_now() - t0;
        best = t < best ? t : best;
        *valid = v;
    }
    return best;
}

static void write_set(const struct set *s, const char *path)
{
    FILE *f = fopen(path, "w");
    for (size_t i = 0; i < s->n; i++) {
        for (size_t k = 0; k < s->len[i]; k++) {
            char c = s->text[s->off[i] + k];
            fputc(c == '\n' ? '|' : c, f);
        }
        fputc('\n', f);
    }
    fclose(f);
}

/* Writes one differential document and our JSON for it. */
static void diff_doc(FILE *in, FILE *ours, const char *kind, const char *text, int64_t today)
{
    struct mrz_doc d;
    mrz_parse_at(text, strlen(text), today, &d, NULL);
    fprintf(in, "%s\t", kind);
    for (const char *c = text; *c; c++)
        fputc(*c == '\n' ? '|' : *c, in);
    fputc('\n', in);
    struct buf b = {0};
    mrz_json(&d, &b);
    fprintf(ours, "%s\n", b.data);
    buf_free(&b);
}

static void differential(const struct set *sets, const char *dir, const char *vectors,
                         int64_t today)
{
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/diff-in.txt", dir);
    snprintf(p2, sizeof p2, "%s/diff-ours.jsonl", dir);
    FILE *in = fopen(p1, "w"), *ours = fopen(p2, "w");
    struct rng r;
    rng_seed(&r, 77);
    static const char look[] = "O0I1B8S5Z2G6";
    for (int k = 0; k < 2; k++) {
        const struct set *s = &sets[k];
        size_t n = s->n < 5000 ? s->n : 5000;
        for (size_t i = 0; i < n; i++) {
            char t[MRZ_TEXT_MAX];
            memcpy(t, s->text + s->off[i], s->len[i]);
            t[s->len[i]] = '\0';
            diff_doc(in, ours, "generated", t, today);
            char m[MRZ_TEXT_MAX];
            /* a check digit broken: TD3 line 2 pos 10/20/28/43/44, TD1 15/37/45/61 */
            static const int td3cd[] = {54, 64, 72, 87, 88}, td1cd[] = {14, 37, 45, 60};
            strcpy(m, t);
            int pos = k == 0 ? td3cd[i % 5] : td1cd[i % 4];
            m[pos] = m[pos] == '<' ? '1' : (char)('0' + (m[pos] - '0' + 1) % 10);
            diff_doc(in, ours, "check_digit_broken", m, today);
            /* an OCR look-alike swapped somewhere */
            strcpy(m, t);
            for (int tries = 0; tries < 50; tries++) {
                size_t q = rng_below(&r, strlen(m));
                const char *c = strchr(look, m[q]);
                if (c && m[q]) {
                    m[q] = look[(c - look) ^ 1];
                    break;
                }
            }
            diff_doc(in, ours, "ocr_swap", m, today);
            if (i % 10 == 0) {
                strcpy(m, t);
                for (char *c = m; *c; c++)
                    if (*c >= 'A' && *c <= 'Z' && rng_below(&r, 4) == 0)
                        *c = (char)(*c - 'A' + 'a');
                diff_doc(in, ours, "lower_case", m, today);
            }
        }
    }
    /* unknown birth-date parts, written with correct check digits */
    for (int i = 0; i < 300; i++) {
        const char *bd[] = {"74<<<<", "7408<<", "<<<<<<"};
        struct mrz_person p = {.issuing_state = "D",
                               .surname = "Mustermann",
                               .given_names = "Erika",
                               .document_number = "C01X00T47",
                               .nationality = "D",
                               .birth_date = bd[i % 3],
                               .sex = 'F',
                               .expiry_date = "2031-10-31"};
        char t[MRZ_TEXT_MAX];
        mrz_make(&p, i % 2 ? MRZ_TD1 : MRZ_TD3, t, sizeof t, NULL, NULL);
        diff_doc(in, ours, "birth_unknown", t, today);
    }
    json_error_t je;
    FILE *v = fopen(vectors, "r");
    char line[16384];
    while (v && fgets(line, sizeof line, v)) {
        json_t *c = json_loads(line, 0, &je), *ls = json_object_get(c, "lines"), *x;
        char t[1024] = "";
        size_t i;
        json_array_foreach(ls, i, x)
        {
            if (i)
                strcat(t, "\n");
            strncat(t, json_string_value(x), 200);
        }
        char kind[200];
        snprintf(kind, sizeof kind, "vector:%s", json_string_value(json_object_get(c, "id")));
        diff_doc(in, ours, kind, t, today);
        json_decref(c);
    }
    if (v)
        fclose(v);
    fclose(in);
    fclose(ours);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_mrz N OUTDIR VECTORS\n");
        return 2;
    }
    size_t n = strtoul(argv[1], NULL, 10);
    int64_t today = time_days_from_civil(2026, 11, 29);
    struct set sets[2];
    const char *names[2] = {"TD3", "TD1"};
    make_set(&sets[0], n, MRZ_TD3, 1, today);
    make_set(&sets[1], n, MRZ_TD1, 2, today);
    for (int k = 0; k < 2; k++) {
        size_t valid;
        double t = time_set(&sets[k], today, &valid);
        printf("muster %s parse+validate: %zu docs in %.3f CPU s = %.2f M docs/s on one core "
               "(%zu valid)\n",
               names[k], n, t, n / t / 1e6, valid);
        printf("RATE_%s=%.0f\n", names[k], n / t);
        char path[512];
        snprintf(path, sizeof path, "%s/docs-%s.txt", argv[2], k ? "td1" : "td3");
        write_set(&sets[k], path);
    }
    differential(sets, argv[2], argv[3], today);
    for (int k = 0; k < 2; k++) {
        free(sets[k].text);
        free(sets[k].off);
        free(sets[k].len);
    }
    return 0;
}

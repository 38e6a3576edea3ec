/* bench_plan.c — the planner on a generated instance held in memory:
 * time, peak memory, objective, bound and gap; then, with --replan F, the
 * re-plan after cancelling a share F of the legs (30 % of the placed
 * households pinned, the rest notified). Prints one JSON object per step.
 *
 *   bench_plan HOUSEHOLDS LEGS SEED [--replan F] [--open-share F] [--threads N]
 *
 * Built and run by bench/bench_plan.sh against the muster library. */
#include "plan/plan.h"
#include "util/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static long peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static void print_result(const char *step, const struct plan_instance *in,
                         const struct plan_result *r, double cpu)
{
    printf("{\"step\":\"%s\",\"households\":%zu,\"people\":%zu,\"legs\":%zu,\"seconds\":%.3f,"
           "\"cpu_seconds\":%.3f,"
           "\"weighted_people\":%lld,\"bound\":%.0f,\"bound_method\":\"%s\",\"gap_pct\":%.4f,"
           "\"people_moved\":%lld,\"person_hours\":%.1f,\"households_moved\":%zu,"
           "\"peak_mib\":%ld}\n",
           step, in->n_households, in->n_members, in->n_legs, r->seconds, cpu, r->weighted_people,
           r->bound, r->bound_method, r->gap * 100, r->people, r->person_hours, r->n_moved,
           peak_mib());
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(
            stderr,
            "usage: bench_plan HOUSEHOLDS LEGS SEED [--replan F] [--open-share F] [--threads N]\n");
        return 2;
    }
    struct plan_gen_options go = {0};
    go.households = strtoul(argv[1], NULL, 10);
    go.legs = strtoul(argv[2], NULL, 10);
    go.seed = strtoull(argv[3], NULL, 10);
    double replan = 0;
    int threads = 1;
    for (int i = 4; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--replan") == 0)
            replan = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--open-share") == 0)
            go.open_share = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = atoi(argv[i + 1]);
    }
    double t = now();
    struct plan_instance *in = plan_generate(&go);
    printf("{\"step\":\"generate\",\"seconds\":%.3f}\n", now() - t);
    struct plan_options opt = PLAN_OPTIONS_DEFAULT;
    opt.threads = threads;
    struct plan_result r;
    struct muster_err err = {0};
    double c0 = cpu_seconds();
    if (plan_solve(in, &opt, &r, &err) < 0) {
        fprintf(stderr, "plan: %s\n", err.msg);
        return 1;
    }
    print_result("plan", in, &r, cpu_seconds() - c0);
    if (replan > 0) {
        struct rng g;
        rng_seed(&g, go.seed + 99);
        for (size_t h = 0; h < in->n_households; h++)
            if (r.leg_of[h] >= 0)
                plan_set_current(in, (int)h, r.leg_of[h],
                                 rng_unit(&g) < 0.3 ? PLAN_PINNED : PLAN_NOTIFIED, NULL);
        size_t cancelled = 0;
        for (size_t l = 0; l < in->n_legs; l++)
            if (rng_unit(&g) < replan) {
                plan_cancel_leg(in, (int)l, NULL);
                cancelled++;
            }
        plan_result_free(&r);
        c0 = cpu_seconds();
        if (plan_solve(in, &opt, &r, &err) < 0) {
            fprintf(stderr, "replan: %s\n", err.msg);
            return 1;
        }
        printf("{\"step\":\"cancel\",\"legs_cancelled\":%zu}\n", cancelled);
        print_result("replan", in, &r, cpu_seconds() - c0);
    }
    plan_result_free(&r);
    plan_instance_free(in);
    return 0;
}

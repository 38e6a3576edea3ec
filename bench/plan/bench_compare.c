/* bench_compare.c — the fast mode against the exact mode (GLPK) on random
 * small instances: how often the fast plan's weighted people equal the exact
 * plan's, the worst shortfall, and how often GLPK proved its optimum.
 *
 *   bench_compare COUNT [HOUSEHOLDS LEGS EXACT_SECONDS]   (default 500 10 10) */
#include "plan/plan.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    size_t hh = argc > 2 ? strtoul(argv[2], NULL, 10) : 500;
    size_t legs = argc > 3 ? strtoul(argv[3], NULL, 10) : 10;
    double limit = argc > 4 ? atof(argv[4]) : 10;
    int equal = 0, equal_hours = 0, proved = 0, at_bound = 0;
    double worst = 0, fast_s = 0, exact_s = 0;
    for (int s = 1; s <= n; s++) {
        struct plan_gen_options go = {hh, legs, (uint64_t)s, 0, 0, 0, 0};
        struct plan_instance *in = plan_generate(&go);
        struct plan_options o = PLAN_OPTIONS_DEFAULT;
        struct plan_result f, e;
        struct muster_err err = {0};
        if (plan_solve(in, &o, &f, &err) < 0)
            return fprintf(stderr, "seed %d: %s\n", s, err.msg), 1;
        o.exact = true;
        o.time_limit = limit;
        if (plan_solve(in, &o, &e, &err) < 0)
            return fprintf(stderr, "seed %d exact: %s\n", s, err.msg), 1;
        long long best =
            e.weighted_people > f.weighted_people ? e.weighted_people : f.weighted_people;
        equal += f.weighted_people == best;
        equal_hours += f.weighted_people == best && f.person_hours <= e.person_hours + 1e-6;
        proved += e.proved_optimal;
        at_bound += (double)f.weighted_people >= f.bound;
        double short_by = best ? 1.0 - (double)f.weighted_people / (double)best : 0;
        worst = short_by > worst ? short_by : worst;
        fast_s += f.seconds;
        exact_s += e.seconds;
        printf(
            "seed %3d  fast %lld / %.1f h (%.3f s)  exact %lld / %.1f h (%.2f s, %s)  bound %.0f\n",
            s, f.weighted_people, f.person_hours, f.seconds, e.weighted_people, e.person_hours,
            e.seconds, e.proved_optimal ? "proved" : "not proved", f.bound);
        plan_result_free(&f);
        plan_result_free(&e);
        plan_instance_free(in);
    }
    printf("{\"instances\":%d,\"households\":%zu,\"legs\":%zu,\"fast_equals_best\":%d,"
           "\"also_hours_no_worse\":%d,\"fast_at_bound\":%d,\"exact_proved\":%d,"
           "\"worst_shortfall_pct\":%.4f,\"fast_mean_s\":%.3f,\"exact_mean_s\":%.2f}\n",
           n, hh, legs, equal, equal_hours, at_bound, proved, worst * 100, fast_s / n, exact_s / n);
    return 0;
}

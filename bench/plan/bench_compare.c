/* bench_compare.c — the fast mode against the exact mode (GLPK) on random
 * small instances, lexicographically: weighted people first, then
 * person-hours. Both plans of each instance go through the independent
 * checker (plan_check, as `muster plan --check`) before they are counted.
 *
 *   bench_compare COUNT [HOUSEHOLDS LEGS EXACT_SECONDS]   (default 500 10 10)
 *
 * Counts: "equal" = the fast plan's weighted people are the best known and
 * its person-hours are no worse than the exact plan's; "within 0.1 %" = the
 * weighted people are the best known and the person-hours at most 0.1 %
 * above the exact plan's. */
#include "plan/plan.h"

#include <stdio.h>
#include <stdlib.h>

/* Runs the checker on r; returns its number of violations (or < 0). */
static int check(const struct plan_instance *in, const struct plan_result *r)
{
    struct buf json = {0}, report = {0};
    struct muster_err err = {0};
    plan_result_to_json(in, r, &json);
    int v = plan_check(in, json.data, json.len, &report, &err);
    if (v != 0)
        fprintf(stderr, "checker: %d violation(s)\n%s", v, report.len ? report.data : err.msg);
    buf_free(&json);
    buf_free(&report);
    return v;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    size_t hh = argc > 2 ? strtoul(argv[2], NULL, 10) : 500;
    size_t legs = argc > 3 ? strtoul(argv[3], NULL, 10) : 10;
    double limit = argc > 4 ? atof(argv[4]) : 10;
    int equal = 0, equal_hours = 0, within = 0, proved = 0, at_bound = 0, invalid = 0;
    double worst = 0, worst_hours = 0, fast_s = 0, fast_max = 0, exact_s = 0;
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
        int vf = check(in, &f), ve = check(in, &e);
        invalid += (vf != 0) + (ve != 0);
        long long best =
            e.weighted_people > f.weighted_people ? e.weighted_people : f.weighted_people;
        bool same_w = f.weighted_people == best && vf == 0;
        /* person-hours above the exact plan's, as a share (< 0: fewer) */
        double over = f.weighted_people > e.weighted_people ? -1
                      : e.person_hours > 0                  ? f.person_hours / e.person_hours - 1
                                                            : 0;
        equal += same_w;
        equal_hours += same_w && f.person_hours <= e.person_hours + 1e-6;
        within += same_w && f.person_hours > e.person_hours + 1e-6 && over <= 0.001;
        if (same_w && over > worst_hours)
            worst_hours = over;
        proved += e.proved_optimal;
        at_bound += (double)f.weighted_people >= f.bound;
        double short_by = best ? 1.0 - (double)f.weighted_people / (double)best : 0;
        worst = short_by > worst ? short_by : worst;
        fast_s += f.seconds;
        fast_max = f.seconds > fast_max ? f.seconds : fast_max;
        exact_s += e.seconds;
        printf("seed %3d  fast %lld / %.3f h (%.3f s)  exact %lld / %.3f h (%.2f s, %s)  bound "
               "%.0f  hours %+.4f %%%s\n",
               s, f.weighted_people, f.person_hours, f.seconds, e.weighted_people, e.person_hours,
               e.seconds, e.proved_optimal ? "proved" : "not proved", f.bound, over * 100,
               vf || ve ? "  INVALID" : "");
        fflush(stdout);
        plan_result_free(&f);
        plan_result_free(&e);
        plan_instance_free(in);
    }
    printf("{\"instances\":%d,\"households\":%zu,\"legs\":%zu,\"exact_seconds\":%g,"
           "\"fast_equals_best\":%d,\"lexicographically_equal\":%d,\"within_0.1pct\":%d,"
           "\"worst_hours_over_pct\":%.4f,\"fast_at_bound\":%d,\"exact_proved\":%d,"
           "\"checker_invalid\":%d,\"worst_shortfall_pct\":%.4f,\"fast_mean_s\":%.3f,"
           "\"fast_max_s\":%.3f,\"exact_mean_s\":%.2f}\n",
           n, hh, legs, limit, equal, equal_hours, within, worst_hours * 100, at_bound, proved,
           invalid, worst * 100, fast_s / n, fast_max, exact_s / n);
    return 0;
}

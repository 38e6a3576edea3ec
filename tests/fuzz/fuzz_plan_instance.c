/* fuzz_plan_instance.c — the planner's instance JSON reader: parse, write
 * back, parse again (same counts), compute the bound, run the plan
 * checker with the same bytes read as a plan, and on small instances plan
 * twice (1 and 2 threads): the same plan. Nothing may crash or leak. */
#include "plan/plan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct plan_instance *in = NULL;
    struct muster_err err = {0};
    if (plan_instance_from_json((const char *)data, size, &in, &err) != 0)
        return 0;
    struct buf b = {0};
    plan_instance_to_json(in, &b);
    struct plan_instance *again = NULL;
    if (plan_instance_from_json(b.data, b.len, &again, &err) != 0 ||
        again->n_households != in->n_households || again->n_legs != in->n_legs ||
        again->n_members != in->n_members)
        abort(); /* what we write we must read back */
    if (in->n_households <= 200 && in->n_legs <= 50) {
        double bound = plan_bound(in);
        if (bound < 0)
            abort();
        struct buf report = {0};
        plan_check(in, (const char *)data, size, &report, &err);
        buf_free(&report);
    }
    if (in->n_households <= 30 && in->n_legs <= 8) {
        /* the planner itself, re-planning included (current legs, cancelled
         * legs): twice, which must give the same plan */
        struct plan_options o = PLAN_OPTIONS_DEFAULT;
        struct plan_result r1, r2;
        if (plan_solve(in, &o, &r1, &err) == 0) {
            o.threads = 2;
            if (plan_solve(in, &o, &r2, &err) != 0 || r1.weighted_people != r2.weighted_people ||
                memcmp(r1.leg_of, r2.leg_of, in->n_households * sizeof *r1.leg_of) != 0)
                abort(); /* the same instance must give the same plan */
            plan_result_free(&r2);
            plan_result_free(&r1);
        }
    }
    plan_instance_free(again);
    plan_instance_free(in);
    buf_free(&b);
    return 0;
}

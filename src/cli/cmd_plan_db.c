/* cmd_plan_db.c — `muster plan OPERATION --db PATH`: plan an operation in
 * the database and record the allocations as events (core/planning.h).
 * Reached from cmd_plan.c when its first argument is not an option. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/events.h"
#include "core/planning.h"
#include "util/timeutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_progress(void *ctx, const char *stage, double fraction)
{
    struct progress *pg = ctx;
    pg->label = stage;
    progress_update(pg, (uint64_t)(fraction * 1000));
}

int cmd_plan_operation(int argc, char **argv)
{
    const char *op = argv[1], *db = cli_db_default();
    struct plan_options o = PLAN_OPTIONS_DEFAULT;
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"exact", no_argument, NULL, 'x'},
        {"time-limit", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'x')
            o.exact = true;
        else if (c == 't') {
            if (cli_real("plan", "--time-limit", optarg, 0, 1e9, &o.time_limit))
                return 2;
        } else if (c == 'j')
            json = 1;
        else
            return cli_fail("plan", 2, "unknown option %s (muster plan --help)", argv[optind - 1]);
    }
    if (!db)
        return cli_fail("plan", 2, "planning operation %s needs --db PATH (or MUSTER_DB)", op);
    struct muster_err err;
    struct node *n;
    if (node_open(db, &n, &err))
        return cli_fail("plan", 2, "%s", err.msg);
    struct planning pl;
    struct plan_result res = {0};
    struct planning_summary sum;
    struct progress pg;
    progress_begin(&pg, "planning", 1000);
    o.progress = on_progress;
    o.progress_ctx = &pg;
    int rc = planning_build(n->st, op, time_now(), &pl, &err);
    if (!rc)
        rc = plan_solve(pl.in, &o, &res, &err);
    progress_end(&pg);
    if (!rc) {
        rc = ev_begin(n, &err);
        if (!rc)
            rc = planning_record(n, "cli", &pl, &res, &sum, &err);
        if (rc)
            ev_rollback(n);
        else
            rc = ev_commit(n, &err);
    }
    if (!rc) {
        if (json)
            printf("{\"operation\":\"%s\",\"weighted_people\":%lld,\"bound\":%.1f,\"gap\":%.6f,"
                   "\"people\":%lld,\"households\":%zu,\"allocated\":%lld,\"released\":%lld,"
                   "\"unchanged\":%lld,\"skipped\":%lld,\"no_location\":%lld,\"seconds\":%.3f}\n",
                   op, res.weighted_people, res.bound, res.gap, res.people, res.n_households,
                   (long long)sum.allocated, (long long)sum.released, (long long)sum.unchanged,
                   (long long)sum.skipped, (long long)pl.no_location, res.seconds);
        else
            printf("planned %s: %lld people on legs (weighted %lld, bound %.0f, gap %.4f%%) in "
                   "%.2f s; %lld allocations recorded, %lld released\n",
                   op, res.people, res.weighted_people, res.bound, res.gap * 100, res.seconds,
                   (long long)sum.allocated, (long long)sum.released);
    }
    if (res.leg_of)
        plan_result_free(&res);
    planning_free(&pl);
    node_close(n);
    if (rc)
        return cli_fail("plan", err.code == MUSTER_ENOTFOUND || err.code == MUSTER_EINVAL ? 2 : 1,
                        "%s", err.msg);
    return 0;
}

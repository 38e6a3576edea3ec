/* cmd_plan.c — `muster plan --instance FILE`: plan an instance file, check a
 * plan against it, or export it as a MIP in CPLEX LP format. The engine is
 * src/plan (pure); this file reads and writes the files. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "plan/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: muster plan --instance FILE [--exact] [--time-limit S] [--threads N] [--summary]\n"
    "       muster plan --check --instance FILE --plan PLAN.json\n"
    "       muster plan --instance FILE --export-lp OUT.lp\n"
    "       muster plan OPERATION --db PATH   (plan an operation from the database)\n"
    "\n"
    "Assigns households to transport legs: priority-weighted people first, then the\n"
    "fewest person-hours of waiting. Prints the plan as JSON (docs/plan.md) with an\n"
    "upper bound and the gap to it.\n"
    "\n"
    "  --instance FILE   the instance JSON ('-' = stdin)\n"
    "  --exact           solve the MIP with GLPK (small instances; default time limit 60 s)\n"
    "  --time-limit S    seconds allowed to the exact mode\n"
    "  --threads N       re-planning builds its two candidate plans on 2 threads when\n"
    "                    N >= 2 (the plan is the same for every N)\n"
    "  --summary         print the objective, bound, gap and time only\n"
    "  --json            the output is JSON in every case (accepted)\n"
    "  --check           verify PLAN.json against the instance; exit 1 and name each\n"
    "                    violation when it breaks a constraint\n"
    "  --export-lp OUT   write the instance as a MIP in CPLEX LP format\n";

struct plan_args {
    const char *instance, *plan, *export_lp;
    bool exact, check, summary;
    double time_limit;
    int threads;
};

static int parse_args(int argc, char **argv, struct plan_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(s, "--exact") == 0)
            a->exact = true;
        else if (strcmp(s, "--check") == 0)
            a->check = true;
        else if (strcmp(s, "--summary") == 0)
            a->summary = true;
        else if (strcmp(s, "--json") == 0)
            continue;
        else if (!next)
            return cli_fail("plan", 2, "%s: missing value or unknown option (see --help)", s);
        else if (strcmp(s, "--instance") == 0)
            a->instance = argv[++i];
        else if (strcmp(s, "--plan") == 0)
            a->plan = argv[++i];
        else if (strcmp(s, "--export-lp") == 0)
            a->export_lp = argv[++i];
        else if (strcmp(s, "--time-limit") == 0) {
            if (cli_real("plan", s, argv[++i], 0, 1e9, &a->time_limit))
                return 2;
        } else if (strcmp(s, "--threads") == 0) {
            long long t;
            if (cli_int("plan", s, argv[++i], 1, 1024, &t))
                return 2;
            a->threads = (int)t;
        } else {
            return cli_fail("plan", 2, "unknown option %s (see --help)", s);
        }
    }
    if (!a->instance)
        return cli_fail("plan", 2, "--instance FILE (or OPERATION --db PATH) is required");
    if (a->check && !a->plan)
        return cli_fail("plan", 2, "--check needs --plan PLAN.json");
    return 0;
}

static int write_file(const char *path, const struct buf *b)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(b->data ? b->data : "", 1, b->len, f);
    int rc = n == b->len ? 0 : -1;
    if (f != stdout && fclose(f) != 0)
        rc = -1;
    return rc;
}

static void on_progress(void *ctx, const char *stage, double fraction)
{
    struct progress *p = ctx;
    p->label = stage;
    progress_update(p, (uint64_t)(fraction * 100));
}

static int run_check(const struct plan_instance *in, const char *path)
{
    size_t len;
    char *text = cli_read_file(path, &len);
    if (!text)
        return cli_fail("plan", 2, "%s: %s", path, strerror(errno));
    struct buf report = {0};
    struct muster_err err = {0};
    int n = plan_check(in, text, len, &report, &err);
    free(text);
    if (n < 0) {
        buf_free(&report);
        return cli_fail("plan", 2, "%s: %s", path, err.msg);
    }
    if (n > 0)
        fprintf(stderr, "%s", buf_str(&report));
    printf("{\"valid\":%s,\"violations\":%d}\n", n ? "false" : "true", n);
    buf_free(&report);
    return n ? 1 : 0;
}

static int run_plan(const struct plan_instance *in, const struct plan_args *a)
{
    struct plan_options opt = PLAN_OPTIONS_DEFAULT;
    struct progress bar;
    opt.exact = a->exact;
    opt.time_limit = a->time_limit > 0 ? a->time_limit : a->exact ? 60 : 0;
    opt.threads = a->threads;
    progress_begin(&bar, "planning", 100);
    opt.progress = on_progress;
    opt.progress_ctx = &bar;
    struct plan_result r;
    struct muster_err err = {0};
    int rc = plan_solve(in, &opt, &r, &err);
    progress_end(&bar);
    if (rc < 0)
        return cli_fail("plan", 1, "%s", err.msg);
    struct buf out = {0};
    if (a->summary)
        buf_printf(
            &out,
            "{\"objective\":{\"weighted_people\":%lld,\"person_hours\":%.3f,\"people\":%lld},"
            "\"bound\":{\"weighted_people\":%.0f,\"method\":\"%s\"},\"gap\":%.6g,"
            "\"method\":\"%s\",\"optimal\":%s,\"moved\":%zu,\"seconds\":%.3f}\n",
            r.weighted_people, r.person_hours, r.people, r.bound, r.bound_method, r.gap, r.method,
            r.proved_optimal ? "true" : "false", r.n_moved, r.seconds);
    else
        plan_result_to_json(in, &r, &out);
    int wrc = write_file("-", &out);
    buf_free(&out);
    plan_result_free(&r);
    return wrc == 0 ? 0 : cli_fail("plan", 1, "cannot write the plan");
}

int cmd_plan(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc > 1 && argv[1][0] != '-') /* muster plan OPERATION --db PATH */
        return cmd_plan_operation(argc, argv);
    struct plan_args a = {0};
    a.threads = 1;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;
    size_t len;
    char *text = cli_read_file(a.instance, &len);
    if (!text)
        return cli_fail("plan", 2, "%s: %s", a.instance, strerror(errno));
    struct plan_instance *in = NULL;
    struct muster_err err = {0};
    rc = plan_instance_from_json(text, len, &in, &err);
    free(text);
    if (rc < 0)
        return cli_fail("plan", 2, "%s: %s", a.instance, err.msg);
    if (a.check) {
        rc = run_check(in, a.plan);
    } else if (a.export_lp) {
        struct buf lp = {0};
        plan_export_lp(in, &lp);
        rc = write_file(a.export_lp, &lp) == 0
                 ? 0
                 : cli_fail("plan", 1, "%s: %s", a.export_lp, strerror(errno));
        buf_free(&lp);
    } else {
        rc = run_plan(in, &a);
    }
    plan_instance_free(in);
    return rc;
}

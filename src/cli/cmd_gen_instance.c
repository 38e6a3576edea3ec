/* cmd_gen_instance.c — `muster gen instance`: a reproducible planner
 * instance as JSON (the generator itself is src/plan/gen.c). */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "plan/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: muster gen instance --households N --legs M [--seed S] [--points P]\n"
    "                           [--open-share F] [--seat-ratio F] [--horizon-hours H] [--out "
    "FILE]\n"
    "                           [--json]\n"
    "\n"
    "Writes a planner instance (docs/plan.md) with clustered households, several\n"
    "assembly points, mixed nationalities and priorities, and legs of real aircraft\n"
    "and ship capacities spread over days; the same seed gives the same file.\n"
    "\n"
    "  --households N     number of households (about 2.3 people each)\n"
    "  --legs M           number of legs\n"
    "  --seed S           random seed (default 1)\n"
    "  --points P         assembly points (default 3 + sqrt(M)/2.5)\n"
    "  --open-share F     share of legs open to every nation (default 0.6)\n"
    "  --seat-ratio F     seats offered / people (default 0.7)\n"
    "  --horizon-hours H  departures spread over H hours (default 72/168/336 by size)\n"
    "  --out FILE         write there instead of stdout\n"
    "  --json             the instance is JSON already; with --out, print\n"
    "                     {\"out\",\"households\",\"legs\",\"seed\",\"bytes\"} once written\n";

static int number(const char *opt, const char *s, double lo, double hi, double *out)
{
    return cli_real("gen instance", opt, s, lo, hi, out);
}

/* A whole number option into *out (as a double, for the chain below). */
static int whole(const char *opt, const char *s, long long lo, long long hi, double *out)
{
    long long v;
    int rc = cli_int("gen instance", opt, s, lo, hi, &v);
    *out = (double)v;
    return rc;
}

static int parse(int argc, char **argv, struct plan_gen_options *o, const char **out, int *json)
{
    double v;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--json") == 0) {
            *json = 1;
            continue;
        }
        if (i + 1 >= argc)
            return cli_fail("gen instance", 2, "%s: missing value or unknown option", s);
        const char *val = argv[++i];
        int rc = 0;
        if (strcmp(s, "--households") == 0 && !(rc = whole(s, val, 1, 100000000, &v)))
            o->households = (size_t)v;
        else if (strcmp(s, "--legs") == 0 && !(rc = whole(s, val, 1, 10000000, &v)))
            o->legs = (size_t)v;
        else if (strcmp(s, "--seed") == 0)
            rc = cli_u64("gen instance", s, val, &o->seed);
        else if (strcmp(s, "--points") == 0 && !(rc = whole(s, val, 1, 10000, &v)))
            o->points = (int)v;
        else if (strcmp(s, "--open-share") == 0 && !(rc = number(s, val, 0, 1, &v)))
            o->open_share = v > 0 ? v : 1e-9;
        else if (strcmp(s, "--seat-ratio") == 0 && !(rc = number(s, val, 0.01, 100, &v)))
            o->seat_ratio = v;
        else if (strcmp(s, "--horizon-hours") == 0 && !(rc = whole(s, val, 7, 100000, &v)))
            o->horizon_hours = (int)v;
        else if (strcmp(s, "--out") == 0)
            *out = val;
        else if (!rc)
            return cli_fail("gen instance", 2, "unknown option %s (see --help)", s);
        if (rc)
            return rc;
    }
    if (o->households == 0 || o->legs == 0)
        return cli_fail("gen instance", 2, "--households N and --legs M are required (N, M > 0)");
    return 0;
}

int cmd_gen_instance(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    struct plan_gen_options o = {0};
    o.seed = 1;
    const char *out = "-";
    int json = 0;
    int rc = parse(argc, argv, &o, &out, &json);
    if (rc)
        return rc;
    struct plan_instance *in = plan_generate(&o);
    struct buf b = {0};
    plan_instance_to_json(in, &b);
    plan_instance_free(in);
    FILE *f = strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
    if (!f) {
        buf_free(&b);
        return cli_fail("gen instance", 1, "%s: %s", out, strerror(errno));
    }
    bool ok = fwrite(b.data, 1, b.len, f) == b.len;
    if (f != stdout)
        ok = fclose(f) == 0 && ok;
    if (ok && json && f != stdout)
        printf("{\"out\":\"%s\",\"households\":%zu,\"legs\":%zu,\"seed\":%llu,\"bytes\":%zu}\n",
               out, o.households, o.legs, (unsigned long long)o.seed, b.len);
    buf_free(&b);
    return ok ? 0 : cli_fail("gen instance", 1, "%s: write failed", out);
}

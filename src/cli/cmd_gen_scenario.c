/* cmd_gen_scenario.c — `muster gen scenario`: a generated operation. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/summary.h"
#include "core/node.h"
#include "core/scenario.h"
#include "store/store.h"
#include "util/timeutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char usage[] =
    "usage: muster gen scenario --db PATH [--seed N] [--people N] [--start YYYY-MM-DD]\n"
    "                           [--nation CODE] [--json]\n\n"
    "Writes a reproducible, realistic evacuation operation into the node at PATH\n"
    "(created with --nation, default KOR, if it does not exist): Japanese and\n"
    "Korean households around Tel Aviv's districts, real assembly points, and\n"
    "legs of real aircraft and ship capacities over three days from --start\n"
    "(default tomorrow, UTC, so that the legs have not left when it is planned).\n"
    "People are registered the day before --start: their ages, passport expiries\n"
    "and priority classes count from that day, never from the clock, so the same\n"
    "seed and start give the same people on any day (without --start, the start\n"
    "and so the people move with the date). Defaults: --seed 1 --people 10000.\n";

static void on_progress(void *ctx, int64_t done, int64_t total)
{
    struct progress *pg = ctx;
    pg->total = (uint64_t)total;
    progress_update(pg, (uint64_t)done);
}

/* Shared with `muster demo`. */
int gen_scenario_run(const char *db, const char *nation, struct scn_options *o, int json)
{
    struct muster_err err;
    if (!store_exists(db) && node_init(db, nation, &err))
        return cli_fail("gen", 2, "%s", err.msg);
    struct node *n;
    if (node_open(db, &n, &err))
        return cli_fail("gen", 2, "%s", err.msg);
    struct progress pg;
    progress_begin(&pg, "generating", (uint64_t)o->people);
    o->progress = on_progress;
    o->ctx = &pg;
    struct scn_result res;
    double t0 = time_mono();
    int rc = scn_generate(n, o, &res, &err);
    progress_end(&pg);
    if (rc) {
        node_close(n);
        return cli_fail("gen", 1, "%s", err.msg);
    }
    summary_print(n, &res, time_mono() - t0, json);
    node_close(n);
    return 0;
}

int cmd_gen_scenario(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = cli_db_default(), *nation = "KOR", *start = NULL;
    struct scn_options o = {.seed = 1, .people = 10000};
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"seed", required_argument, NULL, 's'},
        {"people", required_argument, NULL, 'p'},
        {"start", required_argument, NULL, 'S'},
        {"nation", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        long long num;
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 's':
            if (cli_u64("gen", "--seed", optarg, &o.seed))
                return 2;
            break;
        case 'p':
            if (cli_int("gen", "--people", optarg, 1, 100000000, &num))
                return 2;
            o.people = num;
            break;
        case 'S':
            start = optarg;
            break;
        case 'n':
            nation = optarg;
            break;
        case 'j':
            json = 1;
            break;
        default:
            return cli_fail("gen", 2, "unknown option %s (muster gen scenario --help)",
                            argv[optind - 1]);
        }
    }
    if (!db)
        return cli_fail("gen", 2, "--db (or MUSTER_DB) is required (muster gen scenario --help)");
    int y, m, d;
    if (start && time_parse_date(start, &y, &m, &d))
        return cli_fail("gen", 2, "--start '%s' is not a YYYY-MM-DD date", start);
    if (o.people < 1 || o.people > 5000000)
        return cli_fail("gen", 2, "--people must be between 1 and 5000000");
    /* a fixed default date would put every leg in the past once it has gone by */
    o.start = start ? time_days_from_civil(y, m, d) * 86400 : (time_now() / 86400 + 1) * 86400;
    return gen_scenario_run(db, nation, &o, json);
}

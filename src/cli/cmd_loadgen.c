/* cmd_loadgen.c — `muster loadgen`: appends synthetic events, for the
 * benchmarks (events per second) and the crash test (kill -9 mid-burst). */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/events.h"
#include "util/timeutil.h"

#include <getopt.h>
#include <limits.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "usage: muster loadgen --db PATH [--count N] [--batch B] [--run R] [--ack] [--json]\n\n"
    "Appends N synthetic events (type test.note, body {\"run\":R,\"i\":k}) to the\n"
    "node at PATH, B events per transaction (default 1), and reports events per\n"
    "second. With --ack it prints \"R k\" on stdout after each committed\n"
    "transaction (for the last event k in it), flushed: a line printed means the\n"
    "event is on disk. Projections ignore test.note.\n";

int cmd_loadgen(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = cli_db_default();
    long long count = 1000, batch = 1, run = 0;
    int ack = 0, json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"count", required_argument, NULL, 'c'},
        {"batch", required_argument, NULL, 'b'},
        {"run", required_argument, NULL, 'r'},
        {"ack", no_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'c':
            if (cli_int("loadgen", "--count", optarg, 1, LLONG_MAX, &count))
                return 2;
            break;
        case 'b':
            if (cli_int("loadgen", "--batch", optarg, 1, LLONG_MAX, &batch))
                return 2;
            break;
        case 'r':
            if (cli_int("loadgen", "--run", optarg, 0, LLONG_MAX, &run))
                return 2;
            break;
        case 'a':
            ack = 1;
            break;
        case 'j':
            json = 1;
            break;
        default:
            return cli_fail("loadgen", 2, "unknown option %s (muster loadgen --help)",
                            argv[optind - 1]);
        }
    }
    if (!db || count < 1 || batch < 1)
        return cli_fail("loadgen", 2,
                        "--db (or MUSTER_DB) is required; --count and --batch must be positive");
    struct muster_err err;
    struct node *n;
    if (node_open(db, &n, &err))
        return cli_fail("loadgen", 2, "%s", err.msg);
    double t0 = time_mono();
    int rc = 0;
    for (long long i = 0; i < count && !rc;) {
        rc = ev_begin(n, &err);
        long long end = i + batch < count ? i + batch : count;
        for (; i < end && !rc; i++) {
            json_t *body = json_pack("{s:I, s:I}", "run", (json_int_t)run, "i", (json_int_t)i);
            rc = ev_append(n, "loadgen", NULL, "test.note", body, &err);
            json_decref(body);
        }
        if (rc) {
            ev_rollback(n);
            break;
        }
        rc = ev_commit(n, &err);
        if (!rc && ack) {
            printf("%lld %lld\n", run, i - 1);
            fflush(stdout);
        }
    }
    double secs = time_mono() - t0;
    node_close(n);
    if (rc)
        return cli_fail("loadgen", 1, "%s", err.msg);
    if (json)
        printf("{\"events\":%lld,\"batch\":%lld,\"seconds\":%.3f,\"per_second\":%.0f}\n", count,
               batch, secs, count / secs);
    else if (!ack)
        printf("%lld events, %lld per transaction, in %.2f s: %.0f events/s\n", count, batch, secs,
               count / secs);
    return 0;
}

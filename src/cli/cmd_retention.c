/* cmd_retention.c — `muster retention set|show|run`: retention periods per
 * data class, and the job that shreds what is past them (core/retention.h). */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/events.h"
#include "core/retention.h"
#include "util/timeutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: muster retention set --db PATH --operation ID [--registry-days N]\n"
    "                            [--partner-days N] [--clearance-days N] [--json]\n"
    "       muster retention show --db PATH --operation ID\n"
    "       muster retention run --db PATH [--now ISO-8601] [--json]\n\n"
    "set: the retention periods of an operation, in days after it closes, per\n"
    "data class: registry (people this nation registered), partner (copies of\n"
    "people other nations registered), clearance (pre-clearance decisions).\n"
    "N is 0 to 36500, or 'keep' to keep the class. Only the nation running the\n"
    "operation sets them (one operation.retention event).\n"
    "show: the periods, when the operation closed and when each class ends.\n"
    "run: destroys the data keys and purges the projections of everything past\n"
    "its end (at --now, default the clock), records one retention.run event and\n"
    "an erasure.notice for peers; running again at the same time changes\n"
    "nothing. `muster serve` runs it on start and every 24 hours.\n";

static int parse_days(const char *s, json_t *periods, const char *key)
{
    if (strcmp(s, "keep") == 0) {
        json_object_set_new(periods, key, json_null());
        return 0;
    }
    long long d;
    if (!cli_parse_int(s, 0, 36500, &d))
        return -1;
    json_object_set_new(periods, key, json_integer(d));
    return 0;
}

/* The retention job, with a progress bar on a terminal while it shreds. */
static int run_job(struct node *n, int64_t now_ms, json_t **out, struct muster_err *err)
{
    struct progress pg;
    progress_begin(&pg, "shredding", 0);
    int rc = ret_run_progress(n, "cli", now_ms, progress_report, &pg, out, err);
    progress_end(&pg);
    return rc;
}

static void print_json(json_t *j)
{
    char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    puts(t);
    free(t);
}

int cmd_retention(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1], *db = cli_db_default(), *op = NULL, *now = NULL;
    if (strcmp(sub, "set") != 0 && strcmp(sub, "show") != 0 && strcmp(sub, "run") != 0)
        return cli_fail("retention", 2, "unknown subcommand '%s' (set, show or run)", sub);
    int json = 0, bad = 0;
    json_t *periods = json_object();
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"operation", required_argument, NULL, 'o'},
        {"registry-days", required_argument, NULL, 'r'},
        {"partner-days", required_argument, NULL, 'p'},
        {"clearance-days", required_argument, NULL, 'c'},
        {"now", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'o')
            op = optarg;
        else if (c == 'r' || c == 'p' || c == 'c')
            bad |= parse_days(optarg, periods,
                              c == 'r'   ? "registry_days"
                              : c == 'p' ? "partner_days"
                                         : "clearance_days");
        else if (c == 'n')
            now = optarg;
        else if (c == 'j')
            json = 1;
        else {
            json_decref(periods);
            return cli_fail("retention", 2, "unknown option %s (muster retention --help)",
                            argv[optind - 1]);
        }
    }
    int64_t now_ms = time_now() * 1000, t = 0;
    const char *problem = !db                              ? "--db (or MUSTER_DB) is required"
                          : strcmp(sub, "run") != 0 && !op ? "--operation is required"
                          : bad ? "days are a whole number from 0 to 36500 or 'keep'"
                          : now && time_parse_iso(now, &t) != 0 ? "--now is not an ISO-8601 time"
                          : !store_exists(db)                   ? "no database there"
                                                                : NULL;
    if (problem) {
        json_decref(periods);
        return cli_fail("retention", 2, "%s (muster retention --help)", problem);
    }
    if (now)
        now_ms = t * 1000;
    struct node *n;
    struct muster_err err;
    if (node_open(db, &n, &err)) {
        json_decref(periods);
        return cli_fail("retention", 2, "%s", err.msg);
    }
    json_t *out = NULL;
    int rc = 0;
    if (strcmp(sub, "show") == 0) {
        out = ret_json(n, op, &err);
        rc = out ? 0 : err.code;
    } else {
        rc = ev_begin(n, &err);
        if (!rc)
            rc = strcmp(sub, "set") == 0 ? ret_set(n, "cli", n->nation, op, periods, &err)
                                         : run_job(n, now_ms, &out, &err);
        if (!rc)
            rc = ev_commit(n, &err);
        else
            ev_rollback(n);
        if (!rc && !out)
            out = ret_json(n, op, &err);
    }
    node_close(n);
    json_decref(periods);
    if (rc)
        return cli_fail("retention", rc == MUSTER_EINVAL || rc == MUSTER_ENOTFOUND ? 2 : 1, "%s",
                        err.msg);
    if (json || strcmp(sub, "run") != 0) {
        print_json(out);
    } else {
        printf("retention run at %s: %lld people and %lld clearance decisions shredded\n",
               json_string_value(json_object_get(out, "now")),
               (long long)json_integer_value(json_object_get(out, "persons")),
               (long long)json_integer_value(json_object_get(out, "clearances")));
    }
    json_decref(out);
    return 0;
}

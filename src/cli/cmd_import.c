/* cmd_import.c — `muster import registrants FILE.csv`: all rows or none. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/import.h"
#include "core/node.h"
#include "travel/mrz.h"
#include "util/timeutil.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: muster import registrants FILE.csv --db PATH --nation CODE --operation ID [--json]\n\n"
    "Imports the registrants of nation CODE into operation ID from a CSV file\n"
    "whose columns are documented in docs/import.md. Every row is checked\n"
    "first: a file with any bad row is rejected whole, every bad row is listed\n"
    "with its line number and reason, and nothing is written.\n";

static int print_report(const struct imp_report *r, int rc, const char *msg, double secs, int json)
{
    if (json) {
        json_t *o =
            json_pack("{s:b, s:I, s:I, s:f}", "imported", rc == 0, "rows", (json_int_t)r->rows,
                      "households", (json_int_t)r->households, "seconds", secs);
        json_t *probs = json_array();
        for (size_t i = 0; i < r->nproblems; i++)
            json_array_append_new(probs, json_pack("{s:i, s:s}", "line", r->problems[i].line,
                                                   "reason", r->problems[i].reason));
        json_object_set_new(o, "problems", probs);
        json_object_set_new(o, "written_once", json_boolean(r->written_once));
        if (rc)
            json_object_set_new(o, "error", json_string(msg));
        char *s = json_dumps(o, JSON_COMPACT);
        puts(s);
        free(s);
        json_decref(o);
    } else if (rc == 0) {
        printf("imported %lld registrants in %lld households in %.2f s (checking %.1f s, writing "
               "%.1f s, indexes %.1f s, commit %.1f s%s)\n",
               (long long)r->rows, (long long)r->households, secs, r->check_s, r->write_s,
               r->index_s, r->commit_s,
               r->written_once ? "; pages written once, the database to itself" : "");
    } else {
        for (size_t i = 0; i < r->nproblems; i++)
            fprintf(stderr, "line %d: %s\n", r->problems[i].line, r->problems[i].reason);
    }
    return rc;
}

int cmd_import(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "registrants") != 0)
        return cli_fail("import", 2, "unknown kind '%s': only 'registrants' can be imported",
                        argv[1]);
    const char *db = cli_db_default(), *nation = NULL, *op = NULL, *file = NULL;
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"nation", required_argument, NULL, 'n'},
        {"operation", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'n')
            nation = optarg;
        else if (c == 'o')
            op = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_fail("import", 2, "unknown option %s (muster import --help)",
                            argv[optind - 1]);
    }
    if (optind < argc)
        file = argv[optind];
    if (!db || !nation || !op || !file)
        return cli_fail("import", 2, "FILE, --db, --nation and --operation are required");
    if (strlen(nation) != 3 || strspn(nation, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3 ||
        !mrz_known_code(nation))
        return cli_fail("import", 2,
                        "--nation '%s' is not a known ISO 3166-1 alpha-3 or ICAO code (e.g. KOR)",
                        nation);
    size_t len;
    char *text = cli_read_file(file, &len);
    if (!text)
        return cli_fail("import", 2, "cannot read %s: %s", file, strerror(errno));
    struct muster_err err;
    struct node *n;
    if (node_open(db, &n, &err)) {
        free(text);
        return cli_fail("import", 2, "%s", err.msg);
    }
    struct imp_report r;
    struct progress pg;
    progress_begin(&pg, "checking", 0);
    double t0 = time_mono();
    int rc = imp_registrants(n, "cli", nation, op, text, len, progress_report, &pg, &r, &err);
    progress_end(&pg);
    print_report(&r, rc, err.msg, time_mono() - t0, json);
    imp_report_free(&r);
    node_close(n);
    free(text);
    if (rc)
        return json ? 1 : cli_fail("import", 1, "%s", err.msg);
    return 0;
}

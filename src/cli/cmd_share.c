/* cmd_share.c — `muster share`: a partner node's copy of the people it may
 * see, carried as a file (core/share.h). */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/events.h"
#include "core/share.h"
#include "util/timeutil.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: muster share export --db PATH --to ORIGIN --operation ID [--out FILE] [--json]\n"
    "       muster share apply --db PATH FILE [--now ISO-8601] [--json]\n\n"
    "export: what the nation of node ORIGIN may see of the operation, by the\n"
    "scoping rule (its own people in full, partners' people while it carries or\n"
    "admits them), each person's fields sealed with their own key and that key\n"
    "sealed to ORIGIN alone, with the operation's partner retention; people sent\n"
    "before who may no longer be seen are named as withdrawn. ORIGIN must be\n"
    "trusted here (muster erasure-notice trust). Recorded as one share.sent event\n"
    "and one read-audit row per person before the file is written.\n"
    "apply: checks the sender's signature (it must be trusted here), the payload\n"
    "hash and every key, then stores the copy (one share.received event) and\n"
    "shreds the withdrawn; a bad bundle changes nothing; a bundle applied before,\n"
    "or older than one applied, is skipped. --now moves the clock that decides\n"
    "whether the copy's retention already ended (tests).\n"
    "--json: export's summary line becomes {\"persons\",\"full\",\"partner\",\n"
    "\"withdrawn\",\"to\",\"operation\"} (on stdout with --out, else on stderr\n"
    "after the bundle); apply prints its summary as JSON.\n";

static int write_json(const char *out, json_t *j, struct muster_err *err)
{
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f)
        return err_set(err, MUSTER_EIO, "cannot write %s: %s", out, strerror(errno));
    char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    int bad = fprintf(f, "%s\n", t) < 0;
    free(t);
    if (out && fclose(f) != 0)
        bad = 1;
    return bad ? err_set(err, MUSTER_EIO, "cannot write %s: %s", out ? out : "stdout",
                         strerror(errno))
               : 0;
}

static int do_export(struct node *n, const char *to, const char *op, const char *out, int json,
                     struct muster_err *err)
{
    json_t *bundle = NULL, *sum = NULL;
    struct progress pg;
    progress_begin(&pg, "sealing", 0);
    int rc = ev_begin(n, err);
    if (!rc)
        rc = share_export_progress(n, "cli", to, op, progress_report, &pg, &bundle, &sum, err);
    progress_end(&pg);
    if (!rc)
        rc = ev_commit(n, err); /* recorded and audited before anything leaves */
    else
        ev_rollback(n);
    if (!rc)
        rc = write_json(out, bundle, err);
    if (!rc && json) {
        json_object_set_new(sum, "to", json_string(to));
        json_object_set_new(sum, "operation", json_string(op));
        char *t = json_dumps(sum, JSON_COMPACT | JSON_SORT_KEYS);
        fprintf(out ? stdout : stderr, "%s\n", t);
        free(t);
    } else if (!rc)
        fprintf(out ? stdout : stderr,
                "shared %lld person(s) of %s with node %s (%lld in full, %lld partner view);"
                " %lld withdrawn\n",
                (long long)json_integer_value(json_object_get(sum, "persons")), op, to,
                (long long)json_integer_value(json_object_get(sum, "full")),
                (long long)json_integer_value(json_object_get(sum, "partner")),
                (long long)json_integer_value(json_object_get(sum, "withdrawn")));
    json_decref(bundle);
    json_decref(sum);
    return rc;
}

static int do_apply(struct node *n, const char *file, int64_t now, int json, struct muster_err *err)
{
    json_error_t jerr;
    json_t *doc = json_load_file(file, 0, &jerr), *sum = NULL;
    if (!doc)
        return err_set(err, MUSTER_EINVAL, "%s is not JSON: %s (line %d)", file, jerr.text,
                       jerr.line);
    int rc = ev_begin(n, err);
    if (!rc)
        rc = share_apply(n, "cli", doc, now, &sum, err);
    if (!rc)
        rc = ev_commit(n, err);
    else
        ev_rollback(n);
    json_decref(doc);
    if (!rc && json)
        rc = write_json(NULL, sum, err);
    else if (!rc && json_is_true(json_object_get(sum, "skipped")))
        printf("already applied (or older than a share applied): nothing changed\n");
    else if (!rc) {
        long long expired = (long long)json_integer_value(json_object_get(sum, "expired"));
        printf("%lld person(s) stored, %lld withdrawn",
               (long long)json_integer_value(json_object_get(sum, "persons")),
               (long long)json_integer_value(json_object_get(sum, "withdrawn")));
        if (expired)
            printf("; %lld partner copies not stored: their retention has ended", expired);
        printf("\n");
    }
    json_decref(sum);
    return rc;
}

int cmd_share(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "export") != 0 && strcmp(sub, "apply") != 0)
        return cli_fail("share", 2, "unknown subcommand '%s' (export or apply)", sub);
    const char *db = cli_db_default(), *out = NULL, *to = NULL, *op = NULL, *now_s = NULL;
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"out", required_argument, NULL, 'o'},
        {"to", required_argument, NULL, 't'},
        {"operation", required_argument, NULL, 'p'},
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
            out = optarg;
        else if (c == 't')
            to = optarg;
        else if (c == 'p')
            op = optarg;
        else if (c == 'n')
            now_s = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_fail("share", 2, "unknown option %s (muster share --help)",
                            argv[optind - 1]);
    }
    const char *file = optind < argc ? argv[optind] : NULL;
    if (!db)
        return cli_fail("share", 2, "--db (or MUSTER_DB) is required (muster share --help)");
    if (strcmp(sub, "export") == 0 && (!to || !op))
        return cli_fail("share", 2, "export needs --to ORIGIN and --operation ID");
    if (strcmp(sub, "apply") == 0 && !file)
        return cli_fail("share", 2, "apply needs the FILE of the share");
    int64_t now = time_now_ms(), t = 0;
    if (now_s) {
        if (time_parse_iso(now_s, &t) != 0)
            return cli_fail("share", 2, "--now %s is not an ISO-8601 time", now_s);
        now = t * 1000;
    }
    if (!store_exists(db))
        return cli_fail("share", 2, "no database at %s", STORE_SHOWN(db));
    struct node *n;
    struct muster_err err;
    if (node_open(db, &n, &err))
        return cli_fail("share", 2, "%s", err.msg);
    int rc = strcmp(sub, "export") == 0 ? do_export(n, to, op, out, json, &err)
                                        : do_apply(n, file, now, json, &err);
    node_close(n);
    if (rc)
        return cli_fail("share", rc == MUSTER_EINVAL ? 2 : 1, "%s", err.msg);
    return 0;
}

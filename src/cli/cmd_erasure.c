/* cmd_erasure.c — `muster erasure-notice`: carries signed erasure notices
 * between nodes as files while there is no federation (core/erasure.h). */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/erasure.h"
#include "core/events.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: muster erasure-notice export --db PATH [--after SEQ] [--out FILE]\n"
    "       muster erasure-notice apply --db PATH FILE [--json]\n"
    "       muster erasure-notice identity --db PATH\n"
    "       muster erasure-notice trust --db PATH --origin ID --nation NAT --pubkey HEX\n\n"
    "export: this node's erasure notices (signed erasure.notice events, written\n"
    "by erasures and the retention job) with origin sequence > SEQ, as JSON on\n"
    "stdout or into FILE.\n"
    "apply: checks every notice of FILE against the origin's public key in this\n"
    "node's nodes table, destroys the data keys of the people named, purges\n"
    "their rows and records erasure.applied; a bad notice rejects the whole\n"
    "file and changes nothing; a notice applied before is skipped.\n"
    "identity: this node's origin, nation and public key, for a peer's trust.\n"
    "trust: records a peer's public key (one node.trusted event).\n";

static void print_json(FILE *f, json_t *j)
{
    char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    fprintf(f, "%s\n", t);
    free(t);
}

/* Runs fn inside one transaction of the node. */
static int in_tx(struct node *n, int rc, struct muster_err *err)
{
    if (!rc)
        return ev_commit(n, err);
    ev_rollback(n);
    return rc;
}

static int run(struct node *n, const char *sub, const char *file, const char *out,
               const char *origin, const char *nation, const char *pubkey, long long after,
               int json, struct muster_err *err)
{
    json_t *res = NULL;
    int rc = 0;
    if (strcmp(sub, "identity") == 0) {
        res = erasure_identity(n);
    } else if (strcmp(sub, "export") == 0) {
        rc = erasure_export(n, after, &res, err);
    } else if (strcmp(sub, "trust") == 0) {
        rc = ev_begin(n, err);
        rc = in_tx(n, rc ? rc : erasure_trust(n, "cli", origin, nation, pubkey, err), err);
        if (!rc)
            res = json_pack("{s:s, s:s}", "trusted", origin, "nation", nation);
    } else {
        json_error_t jerr;
        json_t *doc = json_load_file(file, 0, &jerr);
        if (!doc)
            return err_set(err, MUSTER_EINVAL, "%s is not JSON: %s (line %d)", file, jerr.text,
                           jerr.line);
        rc = ev_begin(n, err);
        rc = in_tx(n, rc ? rc : erasure_apply(n, "cli", doc, &res, err), err);
        json_decref(doc);
        if (!rc && !json) {
            printf("%lld notice(s) applied, %lld already applied; %lld key(s) destroyed\n",
                   (long long)json_integer_value(json_object_get(res, "applied")),
                   (long long)json_integer_value(json_object_get(res, "skipped")),
                   (long long)json_integer_value(json_object_get(res, "keys_destroyed")));
            json_decref(res);
            return 0;
        }
    }
    if (rc)
        return rc;
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) {
        json_decref(res);
        return err_set(err, MUSTER_EIO, "cannot write %s: %s", out, strerror(errno));
    }
    print_json(f, res);
    if (out && fclose(f) != 0)
        rc = err_set(err, MUSTER_EIO, "cannot write %s: %s", out, strerror(errno));
    json_decref(res);
    return rc;
}

int cmd_erasure_notice(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "export") != 0 && strcmp(sub, "apply") != 0 && strcmp(sub, "identity") != 0 &&
        strcmp(sub, "trust") != 0)
        return cli_fail("erasure-notice", 2,
                        "unknown subcommand '%s' (export, apply, identity or trust)", sub);
    const char *db = cli_db_default(), *out = NULL, *origin = NULL, *nation = NULL, *pubkey = NULL;
    long long after = 0;
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"after", required_argument, NULL, 'a'},
        {"out", required_argument, NULL, 'o'},    {"origin", required_argument, NULL, 'g'},
        {"nation", required_argument, NULL, 'n'}, {"pubkey", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},         {0, 0, 0, 0},
    };
    int c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'a') {
            if (cli_int("erasure-notice", "--after", optarg, 0, LLONG_MAX, &after))
                return 2;
        } else if (c == 'o')
            out = optarg;
        else if (c == 'g')
            origin = optarg;
        else if (c == 'n')
            nation = optarg;
        else if (c == 'k')
            pubkey = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_fail("erasure-notice", 2, "unknown option %s (muster erasure-notice --help)",
                            argv[optind - 1]);
    }
    const char *file = optind < argc ? argv[optind] : NULL;
    if (!db)
        return cli_fail("erasure-notice", 2,
                        "--db (or MUSTER_DB) is required (muster erasure-notice --help)");
    if (strcmp(sub, "apply") == 0 && !file)
        return cli_fail("erasure-notice", 2, "apply needs the FILE of notices");
    if (strcmp(sub, "trust") == 0 && (!origin || !nation || !pubkey))
        return cli_fail("erasure-notice", 2, "trust needs --origin, --nation and --pubkey");
    if (!store_exists(db))
        return cli_fail("erasure-notice", 2, "no database at %s", STORE_SHOWN(db));
    struct node *n;
    struct muster_err err;
    if (node_open(db, &n, &err))
        return cli_fail("erasure-notice", 2, "%s", err.msg);
    int rc = run(n, sub, file, out, origin, nation, pubkey, after, json, &err);
    node_close(n);
    if (rc)
        return cli_fail("erasure-notice", rc == MUSTER_EINVAL ? 2 : 1, "%s", err.msg);
    return 0;
}

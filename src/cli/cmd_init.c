/* cmd_init.c — `muster init`: a new node (database + key file). */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/node.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: muster init --db PATH --nation CODE [--json]\n\n"
    "Creates a new muster node: the store at PATH, a SQLite file or a\n"
    "postgres:// URI (docs/deploy.md), and its secret key file: PATH.key, or\n"
    "$MUSTER_KEY_DIR/NAME.key for PostgreSQL (mode 0600; keep it with the\n"
    "database, back it up apart).\n"
    "CODE is the node's nation, ISO 3166-1 alpha-3 (e.g. KOR, JPN).\n";

int cmd_init(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = cli_db_default(), *nation = NULL;
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"nation", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'n')
            nation = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_fail("init", 2, "unknown option %s (muster init --help)", argv[optind - 1]);
    }
    if (!db || !nation)
        return cli_fail("init", 2, "--db and --nation are required (muster init --help)");
    struct muster_err err;
    if (node_init(db, nation, &err))
        return cli_fail("init", err.code == MUSTER_EINVAL ? 2 : 1, "%s", err.msg);
    struct node *n;
    if (node_open(db, &n, &err))
        return cli_fail("init", 1, "%s", err.msg);
    if (json)
        printf("{\"db\":\"%s\",\"origin\":\"%s\",\"nation\":\"%s\"}\n", STORE_SHOWN(db), n->origin,
               n->nation);
    else
        printf("created node %s (%s) at %s\n", n->origin, n->nation, STORE_SHOWN(db));
    node_close(n);
    return 0;
}

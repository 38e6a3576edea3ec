/* cmd_user.c — `muster user add|list|disable`: accounts of a node. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/auth.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: muster user add NAME --db PATH --nation CODE --role ROLE [--points ID,ID] [--json]\n"
    "       muster user list --db PATH [--json]\n"
    "       muster user disable NAME --db PATH [--json]\n\n"
    "ROLE is admin, officer, field, immigration or liaison; --points lists the\n"
    "assembly points of a field officer. `add` reads the password (at least 10\n"
    "characters) from the first line of standard input; it is stored as an\n"
    "Argon2id hash. Disabling ends every session of the user.\n"
    "--json: list prints an array of accounts; add and disable print\n"
    "{\"user\",\"nation\",\"role\",\"saved\"} and {\"user\",\"disabled\"}.\n";

static int read_password(char *out, size_t cap)
{
    if (!fgets(out, (int)cap, stdin))
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static int list_users(struct node *n, int json)
{
    struct arena a = {0};
    struct store_user *us;
    size_t nu;
    struct muster_err err;
    if (n->st->ops->user_list(n->st, &us, &nu, &a, &err)) {
        arena_free(&a);
        return cli_fail("user", 1, "%s", err.msg);
    }
    for (size_t i = 0; i < nu; i++) {
        if (json) {
            json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", us[i].name, "nation",
                                  us[i].nation, "role", us[i].role, "points",
                                  us[i].points ? us[i].points : "[]", "disabled", us[i].disabled);
            char *s = json_dumps(o, JSON_COMPACT);
            puts(s);
            free(s);
            json_decref(o);
        } else {
            printf("%-24s %s %-12s %s%s\n", us[i].name, us[i].nation, us[i].role,
                   us[i].points ? us[i].points : "[]", us[i].disabled ? " (disabled)" : "");
        }
    }
    arena_free(&a);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *what = argv[1], *db = cli_db_default(), *nation = NULL, *role = NULL,
               *points = NULL;
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"nation", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'}, {"points", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},       {0, 0, 0, 0},
    };
    int c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'n':
            nation = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'p':
            points = optarg;
            break;
        case 'j':
            json = 1;
            break;
        default:
            return cli_fail("user", 2, "unknown option %s (muster user --help)", argv[optind - 1]);
        }
    }
    const char *name = optind < argc ? argv[optind] : NULL;
    if (!db)
        return cli_fail("user", 2, "--db (or MUSTER_DB) is required");
    struct muster_err err;
    struct node *n;
    if (node_open(db, &n, &err))
        return cli_fail("user", 2, "%s", err.msg);
    int rc = 0;
    if (strcmp(what, "list") == 0) {
        rc = list_users(n, json);
    } else if (strcmp(what, "add") == 0) {
        char password[256];
        if (!name || !nation || !role)
            rc = cli_fail("user", 2, "add needs NAME, --nation and --role");
        else if (read_password(password, sizeof password))
            rc = cli_fail("user", 2, "no password on standard input");
        else if (auth_user_add(n, "cli", name, password, nation, role, points, &err))
            rc = cli_fail("user", err.code == MUSTER_EINVAL ? 2 : 1, "%s", err.msg);
        else if (json)
            printf("{\"user\":\"%s\",\"nation\":\"%s\",\"role\":\"%s\",\"saved\":true}\n", name,
                   nation, role);
        else
            printf("user %s (%s %s) saved\n", name, nation, role);
    } else if (strcmp(what, "disable") == 0) {
        if (!name)
            rc = cli_fail("user", 2, "disable needs NAME");
        else if (auth_user_disable(n, "cli", name, &err))
            rc = cli_fail("user", 1, "%s", err.msg);
        else if (json)
            printf("{\"user\":\"%s\",\"disabled\":true}\n", name);
        else
            printf("user %s disabled\n", name);
    } else {
        rc = cli_fail("user", 2, "unknown action '%s': add, list or disable", what);
    }
    node_close(n);
    return rc;
}

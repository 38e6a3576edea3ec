/* cmd_version.c — `muster version`: the version and the libraries linked. */
#include "cli/cli.h"
#include "cli/cmd.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int cmd_version(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: muster version [--json]\n\nPrints muster's version and the versions of "
             "the libraries it runs on.");
        return 0;
    }
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") != 0)
            return cli_fail("version", 2, "unknown option %s (muster version --help)", argv[i]);
        json = true;
    }
    if (json)
        printf("{\"muster\":\"0.1.0\",\"sqlite\":\"%s\",\"libsodium\":\"%s\"}\n",
               sqlite3_libversion(), sodium_version_string());
    else
        printf("muster 0.1.0 (SQLite %s, libsodium %s)\n", sqlite3_libversion(),
               sodium_version_string());
    return 0;
}

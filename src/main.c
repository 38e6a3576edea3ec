/* main.c — the muster command: dispatches argv[1] to a subcommand in src/cli/. */
#include "cli/cli.h"
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"demo", cmd_demo, "a fresh demo operation, summarised (make demo)"},
    {"init", cmd_init, "create a node: database and key file"},
    {"import", cmd_import, "import registrants from CSV (all rows or none)"},
    {"gen", cmd_gen, "generate a scenario or a planner instance"},
    {"plan", cmd_plan, "assign households to legs; check or export a plan"},
    {"serve", cmd_serve, "serve the HTTP API and the web UI"},
    {"user", cmd_user, "add, list or disable user accounts"},
    {"loadgen", cmd_loadgen, "append synthetic events (benchmarks, crash tests)"},
    {"export", cmd_export, "write a whole node as its event log (for import-log)"},
    {"import-log", cmd_import_log, "make a new store from an exported log (SQLite or PG)"},
    {"verify", cmd_verify, "re-hash the event log and check every signature"},
    {"person", cmd_person, "export a person's copy: everything held about them"},
    {"mrz", cmd_mrz, "read, check and write passport MRZs (ICAO 9303)"},
    {"paxlst", cmd_paxlst, "read, write and check PAXLST passenger lists (UN/EDIFACT)"},
    {"screen", cmd_screen, "pre-clear a PAXLST manifest: documents, rules, watchlist"},
    {"retention", cmd_retention, "retention periods per data class; the job that shreds"},
    {"erasure-notice", cmd_erasure_notice, "export and apply signed erasure notices"},
    {"share", cmd_share, "give a partner node its copy of an operation's people"},
    {"version", cmd_version, "print the version"},
};

static void usage(FILE *out)
{
    fputs("usage: muster <command> [options]   (muster <command> --help for more)\n"
          "--db PATH, wherever a command takes it, is a SQLite file or a postgres://\n"
          "URI (docs/deploy.md); left out, it is $MUSTER_DB (but not for demo, which\n"
          "replaces its database).\n\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "muster: unknown command '%s' (muster --help lists them)\n", argv[1]);
    return 2;
}

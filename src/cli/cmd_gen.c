/* cmd_gen.c — `muster gen <what>`: reproducible generators.
 *   gen scenario   a whole operation (registrants, points, legs) into a database
 *   gen instance   a planner instance as JSON (src/plan/gen.c) */
#include "cli/cli.h"
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>

struct generator {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct generator generators[] = {
    {"scenario", cmd_gen_scenario, "a generated operation with registrants, points and legs"},
    {"instance", cmd_gen_instance, "a planner instance as JSON (households, points, legs)"},
};

int cmd_gen(int argc, char **argv)
{
    size_t n = sizeof generators / sizeof generators[0];
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *out = argc < 2 ? stderr : stdout;
        for (size_t i = 0; i < n; i++)
            fprintf(out, "%s muster gen %s [options]\n",
                    i ? "      " : "usage:", generators[i].name);
        fprintf(out, "\n(muster gen <what> --help for more)\n\n");
        for (size_t i = 0; i < n; i++)
            fprintf(out, "  %-10s %s\n", generators[i].name, generators[i].summary);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[1], generators[i].name) == 0)
            return generators[i].run(argc - 1, argv + 1);
    return cli_fail("gen", 2, "unknown generator '%s' (muster gen --help lists them)", argv[1]);
}

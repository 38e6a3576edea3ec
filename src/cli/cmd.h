/* cmd.h — every subcommand of the muster command (one file each in src/cli/). */
#ifndef MUSTER_CLI_CMD_H
#define MUSTER_CLI_CMD_H

int cmd_version(int argc, char **argv);

#endif

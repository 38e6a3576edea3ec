/* cmd.h — every subcommand of the muster command (one file each in src/cli/). */
#ifndef MUSTER_CLI_CMD_H
#define MUSTER_CLI_CMD_H

int cmd_version(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_gen_scenario(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_loadgen(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_plan_operation(int argc, char **argv);
int cmd_gen_instance(int argc, char **argv);
int cmd_mrz(int argc, char **argv);
int cmd_paxlst(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import_log(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_erasure_notice(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_share(int argc, char **argv);

#endif

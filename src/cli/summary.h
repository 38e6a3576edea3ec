/* summary.h — the operation summary printed by `muster gen scenario` and
 * `muster demo`. */
#ifndef MUSTER_CLI_SUMMARY_H
#define MUSTER_CLI_SUMMARY_H

#include "core/node.h"
#include "core/scenario.h"

/* Prints the operation's figures as text (or one JSON object with json). */
void summary_print(struct node *n, const struct scn_result *res, double seconds, int json);

#endif

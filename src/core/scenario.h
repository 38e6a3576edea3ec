/* scenario.h — a reproducible, realistic evacuation operation for demos,
 * tests and benchmarks: Japanese and Korean households around Tel Aviv's
 * districts (with names in native script), real assembly points, and legs of
 * real aircraft and ship capacities from both nations. The same seed gives
 * the same people, households and legs (ids are random). No real person's
 * data: every name is drawn from common-name lists and combined at random. */
#ifndef MUSTER_CORE_SCENARIO_H
#define MUSTER_CORE_SCENARIO_H

#include "core/node.h"
#include "util/err.h"

#include <stdint.h>

struct scn_options {
    uint64_t seed;
    int64_t people; /* about this many registrants (whole households) */
    int64_t start;  /* Unix time of the first departure day, 00:00 UTC; people
                       are registered the day before (their ages and passport
                       dates count from it); 0: 2027-01-01 */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *ctx;
};

struct scn_result {
    char operation[33];
    int64_t people, households, points, legs, seats;
};

/* Writes a whole operation into the node in one transaction. */
int scn_generate(struct node *n, const struct scn_options *o, struct scn_result *res,
                 struct muster_err *err);

#endif

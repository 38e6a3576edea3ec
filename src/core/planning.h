/* planning.h — planning an operation from the registry: the bridge between
 * the projections and the pure planner (src/plan/).
 *
 * planning_build reads the operation's points, legs and people into a
 * planner instance: households travel whole; people who declined, did not
 * show or already left are not planned; a household's state follows its
 * members (confirmed or checked in: pinned; allocated or notified: moved
 * only for a real gain, so that plans stay stable). People who did not consent to
 * sharing are offered only their own nation's legs. planning_record then
 * writes the result as person.status events (allocations and releases) and
 * one plan.recorded event, skipping any household whose members changed
 * status since the build. */
#ifndef MUSTER_CORE_PLANNING_H
#define MUSTER_CORE_PLANNING_H

#include "core/node.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

struct planning_member {
    const char *id, *status, *leg;
};

struct planning {
    char operation[40];
    struct plan_instance *in;
    /* per household: its members as they were at build time */
    struct planning_member **members;
    int *nmembers;
    /* households left out of the instance, and why */
    int64_t no_location;
    struct arena arena;
};

struct planning_summary {
    int64_t allocated, released, unchanged, skipped;
};

/* Reads the operation into pl (free with planning_free). now is the time
 * households are ready from. */
int planning_build(struct store *st, const char *operation, int64_t now, struct planning *pl,
                   struct muster_err *err);
/* Writes the result (inside ev_begin/ev_commit, on the writer). */
int planning_record(struct node *n, const char *actor, struct planning *pl,
                    const struct plan_result *res, struct planning_summary *sum,
                    struct muster_err *err);
void planning_free(struct planning *pl);

#endif

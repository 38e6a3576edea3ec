/* project.h — events into projections: the one place that knows how each
 * event type changes the tables queries read. Called by ev_append (same
 * transaction) and by ev_rebuild (replay). Unknown event types are ignored,
 * so an older node can carry a newer node's events. */
#ifndef MUSTER_CORE_PROJECT_H
#define MUSTER_CORE_PROJECT_H

#include "core/node.h"
#include "store/store.h"

#include <jansson.h>

/* Applies one event whose parsed body is body. */
int proj_apply(struct node *n, const struct store_event *ev, json_t *body, struct muster_err *err);

#endif

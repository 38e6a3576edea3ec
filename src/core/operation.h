/* operation.h — an evacuation operation, its assembly points and the
 * transport legs partners offer. Each creation is one event. */
#ifndef MUSTER_CORE_OPERATION_H
#define MUSTER_CORE_OPERATION_H

#include "core/node.h"
#include "util/err.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct op_operation {
    const char *nation; /* the nation running it (NULL: the node's) */
    const char *name;
    const char *host_country;          /* ISO alpha-3 of the crisis country */
    const double *area_lat, *area_lon; /* crisis area polygon, area_n >= 3 vertices */
    size_t area_n;
    const char *const *partners; /* partner nations taking part */
    size_t npartners;
};

struct op_point {
    const char *operation, *name;
    const char *kind; /* airport | port | embassy | other */
    double lat, lon;
    int64_t capacity; /* people it can hold at once */
};

struct op_leg {
    const char *operation;
    const char *operator_nation; /* who flies or sails it */
    const char *kind;            /* aircraft | ship | bus */
    const char *vehicle;         /* e.g. "KC-330", free text */
    int64_t seats, stretchers;
    const char *point;               /* assembly point id it leaves from */
    int64_t departs;                 /* Unix seconds */
    const char *destination;         /* place, e.g. an IATA/ICAO code or city */
    const char *destination_country; /* ISO alpha-3 of the arrival country */
    const char *const *carries;      /* nationalities it may carry */
    size_t ncarries;
    int64_t arrives; /* Unix seconds it lands; 0 when not known */
};

/* Each creates one event (inside ev_begin/ev_commit) and writes the new id
 * (33 bytes) into out_id. Bad input gets MUSTER_EINVAL naming the field. */
int op_create(struct node *n, const char *actor, const struct op_operation *o,
              char out_id[static 33], struct muster_err *err);
int op_add_point(struct node *n, const char *actor, const struct op_point *p,
                 char out_id[static 33], struct muster_err *err);
int op_add_leg(struct node *n, const char *actor, const struct op_leg *l, char out_id[static 33],
               struct muster_err *err);

/* Cancels a leg (an airport closed, an aircraft withdrawn), with a reason:
 * one leg.cancelled event. Its people keep their status until the next plan
 * moves them (a pinned household moves only off a cancelled leg).
 * MUSTER_ECONFLICT when it is cancelled already. */
int op_cancel_leg(struct node *n, const char *actor, const char *leg, const char *reason,
                  struct muster_err *err);

/* Changes an operation: changes is a JSON object of name, status (active |
 * closed) and partners (one operation.updated event with the changes). */
int op_update(struct node *n, const char *actor, const char *id, json_t *changes,
              struct muster_err *err);
/* Changes an assembly point: name, kind, lat + lon, capacity (one
 * point.updated event). */
int op_update_point(struct node *n, const char *actor, const char *id, json_t *changes,
                    struct muster_err *err);

/* Changes a leg that is not cancelled: vehicle, seats, stretchers, point,
 * departs, arrives (null: not known), destination, carries (one leg.updated
 * event with the changes, times as ISO-8601 UTC). MUSTER_ECONFLICT, with
 * the reason, when the change would strand people already on it: fewer
 * seats or stretcher slots than are taken, or a nationality it carries no
 * longer. */
int op_update_leg(struct node *n, const char *actor, const char *id, json_t *changes,
                  struct muster_err *err);

/* Deletes an assembly point nothing depends on (one point.deleted event).
 * MUSTER_ECONFLICT, with the reason, when a leg leaves from it or a field
 * officer is assigned to it. */
int op_delete_point(struct node *n, const char *actor, const char *id, struct muster_err *err);

#endif

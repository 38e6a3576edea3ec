/* plan.h — the allocation engine: assign households to transport legs.
 *
 * A pure library (no I/O, no database). The problem, the objective and the
 * JSON formats are described in docs/plan.md; in short:
 *
 *   - a household travels whole on one leg or not at all;
 *   - it may take a leg when every member's nationality is carried by the leg,
 *     the assembly point is within reach, and ready + distance / road speed
 *     <= departure - check-in margin; a cancelled leg takes nobody;
 *   - seats used <= seats, stretcher cases use stretcher slots (no seat);
 *   - objective, lexicographic: maximise priority-weighted people moved, then
 *     minimise the person-hours between ready time and departure.
 *
 * Use from code:
 *
 *   struct plan_instance *in = plan_instance_new();
 *   int p = plan_add_point(in, "NRT", 35.77, 140.39);
 *   const char *jk[] = {"JPN", "KOR"};
 *   plan_add_leg(in, "KC330-1", p, departs, 290, 4, jk, 2, false);
 *   int h = plan_add_household(in, "h1", 35.6, 139.7, ready, -1);
 *   plan_add_member(in, h, "m1", "JPN", PLAN_STANDARD, false);
 *   struct plan_result r;
 *   struct plan_options o = PLAN_OPTIONS_DEFAULT;
 *   if (plan_solve(in, &o, &r, &err) == 0) { r.leg_of[h] ... plan_result_free(&r); }
 *   plan_instance_free(in);
 *
 * Every function that can fail returns 0 or a negative MUSTER_E* code and
 * fills a caller-owned struct muster_err. Out of memory aborts. */
#ifndef MUSTER_PLAN_PLAN_H
#define MUSTER_PLAN_PLAN_H

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLAN_MAX_NATIONALITIES 64

enum plan_priority {
    PLAN_CRITICAL = 0,
    PLAN_VULNERABLE = 1,
    PLAN_STANDARD = 2,
    PLAN_NPRIORITY = 3
};

/* Where a household stands in the plan it already has (re-planning). */
enum plan_state {
    PLAN_NONE = 0,   /* no current leg */
    PLAN_PINNED = 1, /* confirmed, checked in or boarded: never moved unless the leg is cancelled */
    PLAN_NOTIFIED =
        2, /* told, not confirmed: moved only when that gains more than move_threshold */
};

/* Why a household is left out (output "reason"). */
enum plan_reason {
    PLAN_ASSIGNED = 0,
    PLAN_NO_MEMBERS,   /* household has no members */
    PLAN_NATIONALITY,  /* no open leg carries every member's nationality */
    PLAN_OUT_OF_REACH, /* every such leg's assembly point is beyond reach */
    PLAN_TOO_LATE,     /* it cannot reach any such leg before check-in closes */
    PLAN_TOO_LARGE,    /* more people (or stretcher cases) than any eligible leg holds */
    PLAN_CAPACITY,     /* eligible, but the seats went to higher-priority households */
};

struct plan_settings {
    double road_kmh;             /* road speed to the assembly point (default 25) */
    double reach_km;             /* default maximum distance to the assembly point (default 150) */
    int checkin_minutes;         /* check-in closes this long before departure (default 120) */
    int weights[PLAN_NPRIORITY]; /* per class: critical 8, vulnerable 4, standard 1 */
    double move_threshold; /* weighted people a re-plan must gain to move notified households */
};

struct plan_point {
    const char *id;
    double lat, lon;
};

struct plan_leg {
    const char *id;
    int point;       /* index into points */
    int64_t departs; /* Unix seconds */
    int seats, stretchers;
    uint64_t carries; /* bit i = nationality i (plan_instance.nationality[i]) */
    bool cancelled;
};

struct plan_member {
    const char *id;
    int nationality; /* index into nationality[] */
    int priority;    /* enum plan_priority */
    bool stretcher;
};

struct plan_household {
    const char *id;
    double lat, lon;
    int64_t ready;               /* Unix seconds */
    double reach_km;             /* < 0: use settings.reach_km */
    int first_member, n_members; /* members[first_member ..] (added consecutively) */
    int current_leg;             /* -1 = none */
    int current_state;           /* enum plan_state */
};

/* An instance. Read the arrays freely; change them only through the
 * functions below (settings may be assigned directly). */
struct plan_instance {
    struct plan_settings settings;
    struct plan_point *points;
    struct plan_leg *legs;
    struct plan_household *households;
    struct plan_member *members;
    size_t n_points, n_legs, n_households, n_members;
    size_t cap_points, cap_legs, cap_households, cap_members;
    const char *nationality[PLAN_MAX_NATIONALITIES];
    int n_nationalities;
    bool ids_numeric;   /* ids were JSON numbers: written back as numbers */
    struct arena arena; /* ids and strings */
};

/* A new empty instance with default settings; free with plan_instance_free. */
struct plan_instance *plan_instance_new(void);
/* Frees an instance and every string it holds (NULL is fine). */
void plan_instance_free(struct plan_instance *in);

/* Each add function copies its strings and returns the new index (>= 0), or a
 * negative code with err filled (bad coordinate, unknown index, too many
 * nationalities, negative capacity, members added out of order). */
int plan_add_point(struct plan_instance *in, const char *id, double lat, double lon,
                   struct muster_err *err);
int plan_add_leg(struct plan_instance *in, const char *id, int point, int64_t departs, int seats,
                 int stretchers, const char *const *carries, int n_carries, bool cancelled,
                 struct muster_err *err);
/* reach_km < 0 means the instance default. */
int plan_add_household(struct plan_instance *in, const char *id, double lat, double lon,
                       int64_t ready, double reach_km, struct muster_err *err);
/* Members must be added right after their household (before the next one). */
int plan_add_member(struct plan_instance *in, int household, const char *id,
                    const char *nationality, int priority, bool stretcher, struct muster_err *err);
/* Records a household's current leg and state (PLAN_PINNED or PLAN_NOTIFIED). */
int plan_set_current(struct plan_instance *in, int household, int leg, int state,
                     struct muster_err *err);
/* Marks a leg cancelled: it then takes nobody, and households on it are
 * re-planned. */
int plan_cancel_leg(struct plan_instance *in, int leg, struct muster_err *err);
/* Returns the index of a nationality code, adding it if new; negative when
 * the table (64 codes) is full. */
int plan_nationality(struct plan_instance *in, const char *code);
/* Index lookups by id: -1 when absent (linear; for tools and tests). */
int plan_find_leg(const struct plan_instance *in, const char *id);
int plan_find_household(const struct plan_instance *in, const char *id);

/* True when household h may take leg l (nationality, reach, time, not
 * cancelled). Capacity is not considered. */
bool plan_eligible(const struct plan_instance *in, size_t h, size_t l);
/* Priority weight, seats and stretcher slots a household needs. */
long plan_household_weight(const struct plan_instance *in, size_t h);
int plan_household_seats(const struct plan_instance *in, size_t h);
int plan_household_stretchers(const struct plan_instance *in, size_t h);

/* A household that left its current leg, and why (re-planning output). */
struct plan_move {
    int household;
    int from_leg, to_leg; /* to_leg -1 = now unassigned */
    const char *reason;   /* static string */
};

struct plan_options {
    bool exact;        /* solve the MIP with GLPK (small instances) */
    double time_limit; /* seconds for the exact mode (0 = none); the fast mode
                          never reads the clock: same instance, same plan */
    int threads;       /* >= 2: re-planning builds its two candidate plans in parallel;
                          the plan does not depend on it */
    /* Called now and then with a stage name and a fraction done; may be NULL. */
    void (*progress)(void *ctx, const char *stage, double fraction);
    void *progress_ctx;
};

#define PLAN_OPTIONS_DEFAULT                                                                       \
    {                                                                                              \
        false, 0.0, 1, NULL, NULL                                                                  \
    }

struct plan_result {
    int *leg_of; /* per household: the leg index, or -1 */
    int *reason; /* per household: enum plan_reason */
    size_t n_households;
    long long weighted_people; /* the objective, first part */
    double person_hours;       /* the objective, second part */
    long long people;          /* people moved */
    double bound;              /* upper bound on weighted_people */
    const char *bound_method;  /* "lp-flow" or "mip" */
    double gap;                /* 1 - weighted_people / bound (0 when bound is 0) */
    bool proved_optimal;       /* exact mode proved the optimum */
    const char *method;        /* "fast" or "exact" */
    struct plan_move *moved;
    size_t n_moved;
    double seconds; /* wall time of plan_solve */
};

/* Plans the instance. On success fills *out (free with plan_result_free) and
 * returns 0. Infeasible households are reported in out->reason, never as an
 * error; an error is returned only for an unusable instance or a solver
 * failure in exact mode. */
int plan_solve(const struct plan_instance *in, const struct plan_options *opt,
               struct plan_result *out, struct muster_err *err);
/* Frees what plan_solve allocated in r. */
void plan_result_free(struct plan_result *r);

/* The LP upper bound on weighted people (min-cost-flow relaxation in which
 * households may split; stretcher cases are relaxed apart from their
 * family). Always >= the optimum. Returns the bound. */
double plan_bound(const struct plan_instance *in);

/* Static text for a reason code ("capacity", "nationality", ...). */
const char *plan_reason_name(int reason);

/* Recomputes the objective of an assignment (leg_of per household, -1 none)
 * without checking it. */
void plan_objective(const struct plan_instance *in, const int *leg_of, long long *weighted,
                    double *person_hours, long long *people);

/* --- JSON (see docs/plan.md) --------------------------------------------- */

/* Parses the instance JSON text. On success *out owns a new instance. */
int plan_instance_from_json(const char *text, size_t len, struct plan_instance **out,
                            struct muster_err *err);
/* Appends the instance as JSON to b. */
void plan_instance_to_json(const struct plan_instance *in, struct buf *b);
/* Appends the output JSON of a result to b. */
void plan_result_to_json(const struct plan_instance *in, const struct plan_result *r,
                         struct buf *b);
/* Appends the instance as a MIP in CPLEX LP format (maximise weighted people;
 * identical households are aggregated into general-integer columns). */
void plan_export_lp(const struct plan_instance *in, struct buf *b);

/* --- the independent checker ---------------------------------------------- */

/* Checks a plan (output JSON text) against the instance: every household at
 * most once, known open legs, eligibility, seats, stretchers, pinned
 * households kept, and the objective it states. Each violation is appended
 * to report as one line; returns the number of violations (0 = valid), or a
 * negative code when the plan cannot be parsed. */
int plan_check(const struct plan_instance *in, const char *plan_json, size_t len,
               struct buf *report, struct muster_err *err);

/* --- the instance generator ----------------------------------------------- */

struct plan_gen_options {
    size_t households, legs;
    uint64_t seed;
    int points;        /* 0 = chosen from the size */
    double open_share; /* share of legs open to every nation (default 0.6) */
    double seat_ratio; /* seats / people (default 0.7) */
    int horizon_hours; /* 0 = chosen from the size */
};

/* Generates a reproducible instance with clustered households, several
 * assembly points, mixed nationalities and priorities, and legs of real
 * aircraft and ship capacities spread over days. Returns a new instance. */
struct plan_instance *plan_generate(const struct plan_gen_options *opt);

#endif

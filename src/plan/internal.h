/* internal.h — what the files of src/plan share and nobody else sees: the
 * prepared model (eligibility as suffixes of per-point leg chains), the
 * working assignment, and a small string-id map. */
#ifndef MUSTER_PLAN_INTERNAL_H
#define MUSTER_PLAN_INTERNAL_H

#include "plan/plan.h"

/* The legs of one assembly point that carry every nationality of one mask
 * class, sorted by departure. A household that reaches the point in time for
 * position pos may take every leg from pos to the end. */
struct pm_chain {
    int point;
    int cls;
    int n;
    int *legs;        /* leg indices, by departure */
    int64_t *departs; /* departs[k] = legs[k]'s departure */
    int *suf_seats;   /* max seats over legs[k..] */
    int *suf_str;     /* max stretchers over legs[k..] */
};

struct pm_entry {
    int chain, pos;
};

struct pm_model {
    const struct plan_instance *in;
    size_t nh, nl;
    long *weight;      /* per household: priority-weighted people */
    long *weight_seat; /* weight of the members who take a seat */
    int *seats, *str;  /* seats and stretcher slots needed */
    int *cls;          /* mask class of the household (-1: no members) */
    int *reason;       /* PLAN_ASSIGNED when some leg fits, else why not */
    uint64_t *cls_mask;
    int n_cls;
    struct pm_chain *chains;
    int n_chains;
    size_t *ent_start; /* entries of h: ent[ent_start[h] .. ent_start[h+1]) */
    struct pm_entry *ent;
    bool *leg_closed; /* cancelled legs */
    int *chain_of;    /* [point * n_cls + cls]: chain index or -1 */
    int *legpos;      /* [leg * n_cls + cls]: position in its chain or -1 */
};

/* True when leg l is among h's eligible legs (model view of plan_eligible). */
bool pm_can_take(const struct pm_model *m, size_t h, int l);

/* Builds the model; returns 0 or a negative code. Free with pm_free. */
int pm_build(struct pm_model *m, const struct plan_instance *in, struct muster_err *err);
void pm_free(struct pm_model *m);
/* Seconds from ready to the latest departure that is still reachable:
 * the household can take a leg departing at t when t >= pm_earliest(..). */
double pm_earliest(const struct plan_instance *in, size_t h, size_t point);

/* The working assignment shared by the heuristics. */
struct pm_sol {
    int *leg_of;
    int *seats_left, *str_left;
    int **on_leg; /* households on each leg (unordered) */
    int *on_n, *on_cap;
    long long weighted;
    size_t nl;
};

void sol_init(struct pm_sol *s, const struct pm_model *m);
void sol_free(struct pm_sol *s);
void sol_copy(struct pm_sol *dst, const struct pm_sol *src, const struct pm_model *m);
bool sol_fits(const struct pm_sol *s, const struct pm_model *m, int h, int l);
void sol_put(struct pm_sol *s, const struct pm_model *m, int h, int l);
void sol_take(struct pm_sol *s, const struct pm_model *m, int h);

struct lp_guide;
/* The fast planner: LP-guided rounding, greedy fill and local improvement.
 * fixed[h] >= 0 forces household h onto that leg (pinned/kept). guide comes
 * from bound_flow with the same fixed (its amounts are used up); the search
 * stops early when the plan reaches target (the bound). best must
 * be zeroed; free it with sol_free. */
void heur_solve(const struct pm_model *m, const int *fixed, struct lp_guide *guide,
                long long target, struct pm_sol *best);

/* Every search below is bounded by a work budget (households and legs looked
 * at), never by the clock, so that a plan depends only on its instance and
 * options and not on the machine's load. */

/* Re-planning: the current plan is repaired (pinned households on fixed[],
 * notified ones kept on keep[] where they still fit), the households without
 * a seat are placed greedily, then improved by ejection chains in which
 * moving a kept household costs a move: a chain is made only when it gains
 * weighted people, and more than move_threshold when it moves a notified
 * household. When that leaves a gap, a plan made afresh is re-seated with
 * the fewest moves and taken if better (threads > 1: built on a second
 * thread meanwhile; the plan is the same). s must be zeroed; free with
 * sol_free. */
void heur_repair(const struct pm_model *m, const int *fixed, const int *keep, long long target,
                 double move_threshold, int threads, struct pm_sol *s);

/* Local improvement of s (improve.c): places households of order[0..n) that
 * are unplaced by ejecting cheaper ones, until nothing gains, the plan
 * reaches target (the bound) or about budget units of work are spent.
 * keep (may be NULL) names each household's current leg: ejecting a
 * household from it counts as a move, moves are avoided where the weight is
 * the same, and a chain that moves one must gain more than move_threshold.
 * Returns the work spent. */
long long local_improve(const struct pm_model *m, struct pm_sol *s, const int *fixed,
                        const int *keep, double move_threshold, const int *order, size_t n,
                        long long budget, long long target);
/* Swaps larger households onto earlier legs (person-hours), within budget. */
void swap_hours(const struct pm_model *m, struct pm_sol *s, const int *fixed, const int *keep,
                long long budget);
/* Moves households of order[0..n) to earlier legs with room (households on
 * their keep[] leg stay). */
void earlier_legs(const struct pm_model *m, struct pm_sol *s, const int *fixed, const int *keep,
                  const int *order, size_t n);

/* Person-hours (hours.c): chooses each leg's load again by a knapsack over
 * its households, those left out and those on other legs, in (weight, minus
 * hours) order, while that gains and within budget (knapsack cells).
 * Weighted people never drop. Returns the work spent. */
long long refill_legs(const struct pm_model *m, struct pm_sol *s, const int *fixed,
                      long long budget);

/* The LP bound on weighted people: a max-profit flow in which households may
 * split (and stretcher cases travel apart from their family), solved exactly
 * by greedy augmentation in order of profit per person (the reachable supply
 * vectors of a network form a polymatroid, so greedy is optimal). Households
 * with fixed[h] >= 0 are counted as placed and their capacity removed.
 * When guide is not NULL it receives, for every household without stretcher
 * cases, the legs the LP sends its group of households to: group
 * arc_of[h], and for group g, (leg[i], amount[i]) for i in start[g] ..
 * start[g+1]). Returns the bound. */
struct lp_guide {
    int n_groups;
    int *arc_of;
    size_t *start;
    int *leg;
    int64_t *amount;
};
double bound_flow(const struct pm_model *m, const int *fixed, struct lp_guide *guide);
void lp_guide_free(struct lp_guide *g);

/* An upper bound on weighted people from LP duality (dual.c): prices start
 * from plan (may be NULL) and improve by subgradient steps, at most
 * max_iter of them. Always valid; equal to the flow bound only at the dual
 * optimum. */
double bound_dual(const struct pm_model *m, const int *fixed, const struct pm_sol *plan,
                  int max_iter);
/* True when the exact flow bound would take too long (large instances). */
bool bound_flow_too_big(const struct pm_model *m);

/* The exact mode: GLPK MIP, lexicographic (stage 2, person-hours, only when
 * stage2). start (may be NULL) is a feasible assignment offered to the
 * solver; stage 1 stops as soon as it reaches lp_bound. The search is
 * bounded by time_limit seconds (0 = none; the exact mode) or, when
 * node_limit > 0, by branch-and-bound nodes per stage (the fast mode's
 * polish: deterministic, no proximity search since GLPK times that). Fills
 * leg_of and *mip_bound (an upper bound on weighted people); returns 0 or an
 * error. *optimal tells whether GLPK proved the stages it ran. */
int exact_solve(const struct pm_model *m, const int *fixed, const int *start, double time_limit,
                int node_limit, double lp_bound, bool stage2, int *leg_of, bool *optimal,
                double *mip_bound, struct muster_err *err);

/* A string -> int map (open addressing). */
struct idmap {
    const char **key;
    int *val;
    size_t cap, n;
};
void idmap_put(struct idmap *m, const char *key, int val);
int idmap_get(const struct idmap *m, const char *key); /* -1 when absent */
void idmap_free(struct idmap *m);

/* Monotonic seconds (declared here so that the library does not reach into cli). */
double pm_now(void);

#endif

/* solve.c — plan_solve: the bound, the fast or exact plan, and re-planning.
 *
 * Re-planning rule: a pinned household keeps its leg unless the leg is
 * cancelled. A notified household keeps its leg (if still open and
 * eligible) unless moving it is part of a change that gains more than
 * settings.move_threshold weighted people: the current plan is repaired
 * (households without a seat placed where there is room) and then improved
 * by ejection chains that count each move (heur_repair). Every household
 * whose leg changed is listed in moved[] with the reason.
 *
 * Nothing here reads the clock except to report seconds: every search has a
 * work or node budget, so the same instance gives the same plan. */
#include "plan/internal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Instances up to this size get a MIP polish in the fast mode, bounded by
 * branch-and-bound nodes per stage (a gap left / at the bound already), for
 * 500 households; fewer in proportion above. */
#define PLAN_POLISH_HOUSEHOLDS 1000
#define PLAN_POLISH_NODES      1000
#define PLAN_HOURS_NODES       200
#define PLAN_SWAP_WORK         30000000LL
#define PLAN_DUAL_ITERATIONS   400
#define PLAN_REFILL_WORK       200000000LL /* knapsack cells, small instances */

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

static void progress(const struct plan_options *opt, const char *stage, double f)
{
    if (opt && opt->progress)
        opt->progress(opt->progress_ctx, stage, f);
}

/* fixed[] for pinned households (and notified ones when keep_notified). */
static int *fixed_legs(const struct pm_model *m, bool keep_notified, bool *any_notified)
{
    const struct plan_instance *in = m->in;
    int *fixed = xcalloc(m->nh, sizeof *fixed);
    *any_notified = false;
    for (size_t h = 0; h < m->nh; h++) {
        const struct plan_household *hh = &in->households[h];
        fixed[h] = -1;
        int l = hh->current_leg;
        if (l < 0 || in->legs[l].cancelled || hh->n_members == 0)
            continue;
        if (hh->current_state == PLAN_PINNED)
            fixed[h] = l;
        else if (hh->current_state == PLAN_NOTIFIED && pm_can_take(m, h, l)) {
            *any_notified = true;
            if (keep_notified)
                fixed[h] = l;
        }
    }
    return fixed;
}

/* Repairs an overfull fixed leg cannot happen for pinned households by
 * design (they are kept whatever the capacity says); the plan states it. */
static double sol_hours(const struct pm_model *m, const struct pm_sol *s)
{
    double t = 0;
    for (size_t h = 0; h < m->nh; h++)
        if (s->leg_of[h] >= 0)
            t += (m->seats[h] + m->str[h]) *
                 (double)(m->in->legs[s->leg_of[h]].departs - m->in->households[h].ready);
    return t;
}

/* Person-hours without losing weighted people: moves to earlier legs,
 * pairwise swaps and (small instances) each leg's load chosen again, until
 * none gains. */
static void hours_polish(const struct pm_model *m, const int *fixed, struct pm_sol *s)
{
    int *all = xcalloc(m->nh, sizeof *all);
    for (size_t h = 0; h < m->nh; h++)
        all[h] = (int)h;
    long long refill = m->nh <= PLAN_POLISH_HOUSEHOLDS ? PLAN_REFILL_WORK : 0;
    for (int round = 0; round < 8; round++) {
        long long w = s->weighted;
        double hours = sol_hours(m, s);
        earlier_legs(m, s, fixed, NULL, all, m->nh);
        swap_hours(m, s, fixed, NULL, PLAN_SWAP_WORK);
        earlier_legs(m, s, fixed, NULL, all, m->nh);
        if (refill > 0)
            refill -= refill_legs(m, s, fixed, refill);
        if (s->weighted == w && sol_hours(m, s) >= hours)
            break;
    }
    free(all);
}

/* Runs the MIP from s; keeps its plan when better. Returns the solver status. */
static int mip_step(const struct pm_model *m, const int *fixed, struct pm_sol *s, double *bound,
                    bool *bound_mip, double seconds, int nodes, bool stage2, bool *optimal,
                    struct muster_err *err)
{
    int *leg_of = xcalloc(m->nh, sizeof *leg_of);
    double mip_bound = INFINITY;
    int rc = exact_solve(m, fixed, s->leg_of, seconds, nodes, *bound, stage2, leg_of, optimal,
                         &mip_bound, err);
    if (rc == 0) {
        struct pm_sol e = {0};
        sol_init(&e, m);
        for (size_t h = 0; h < m->nh; h++)
            if (leg_of[h] >= 0)
                sol_put(&e, m, (int)h, leg_of[h]);
        hours_polish(m, fixed, &e);
        bool take = e.weighted > s->weighted ||
                    (e.weighted == s->weighted && sol_hours(m, &e) <= sol_hours(m, s));
        struct pm_sol t = take ? *s : e;
        if (take)
            *s = e;
        sol_free(&t);
        if (mip_bound < *bound) {
            *bound = mip_bound;
            *bound_mip = true;
        }
    }
    free(leg_of);
    return rc;
}

/* The fast plan (bound, heuristic, and on small instances a short MIP
 * polish when a gap is left), or the exact one. */
static void plan_once(const struct pm_model *m, const int *fixed, const struct plan_options *opt,
                      struct pm_sol *s, double *bound, const char **bound_kind, bool *bound_mip,
                      bool *optimal, struct muster_err *err, int *status)
{
    *bound_mip = false;
    struct lp_guide g;
    memset(s, 0, sizeof *s);
    if (bound_flow_too_big(m)) {
        heur_solve(m, fixed, NULL, LLONG_MAX, s);
        progress(opt, "bound", 0.7);
        *bound = floor(bound_dual(m, fixed, s, PLAN_DUAL_ITERATIONS) + 1e-6);
        *bound_kind = "lagrangian";
    } else {
        *bound = floor(bound_flow(m, fixed, &g) + 1e-6); /* the objective is an integer */
        progress(opt, "planning", 0.4);
        heur_solve(m, fixed, &g, (long long)*bound, s);
        lp_guide_free(&g);
        *bound_kind = "lp-flow";
    }
    *optimal = false;
    *status = 0;
    if (opt && opt->exact) {
        progress(opt, "exact", 0.6);
        *status = mip_step(m, fixed, s, bound, bound_mip, opt->time_limit, 0, true, optimal, err);
    } else if (m->nh <= PLAN_POLISH_HOUSEHOLDS) {
        /* a gap left: GLPK searches; at the bound: a little for the hours */
        struct muster_err ignored;
        int nodes = (double)s->weighted < *bound ? PLAN_POLISH_NODES : PLAN_HOURS_NODES;
        /* a node costs about one LP over all households: the same work at every size */
        if (m->nh > 500)
            nodes = (int)((long long)nodes * 500 / (long long)m->nh);
        nodes = nodes < 2 ? 2 : nodes;
        mip_step(m, fixed, s, bound, bound_mip, 0, nodes, true, optimal, &ignored);
        hours_polish(m, fixed, s); /* when GLPK's plan was not taken */
    }
}

static const char *move_reason(const struct plan_instance *in, size_t h, int to)
{
    const struct plan_household *hh = &in->households[h];
    if (in->legs[hh->current_leg].cancelled)
        return "leg cancelled";
    if (hh->current_state == PLAN_PINNED)
        return "pinned";
    if (!plan_eligible(in, h, (size_t)hh->current_leg))
        return "no longer eligible for its leg";
    return to < 0 ? "seat given to higher priorities: gain above move_threshold"
                  : "re-plan gain above move_threshold";
}

static void fill_result(const struct pm_model *m, const struct pm_sol *s, struct plan_result *r)
{
    const struct plan_instance *in = m->in;
    r->n_households = m->nh;
    r->leg_of = xcalloc(m->nh, sizeof *r->leg_of);
    r->reason = xcalloc(m->nh, sizeof *r->reason);
    memcpy(r->leg_of, s->leg_of, m->nh * sizeof *r->leg_of);
    size_t cap = 0;
    for (size_t h = 0; h < m->nh; h++) {
        r->reason[h] = s->leg_of[h] >= 0               ? PLAN_ASSIGNED
                       : m->reason[h] != PLAN_ASSIGNED ? m->reason[h]
                                                       : PLAN_CAPACITY;
        int cur = in->households[h].current_leg;
        if (cur < 0 || cur == s->leg_of[h])
            continue;
        if (r->n_moved == cap) {
            cap = cap ? cap * 2 : 16;
            r->moved = realloc(r->moved, cap * sizeof *r->moved);
            if (!r->moved)
                abort();
        }
        r->moved[r->n_moved++] =
            (struct plan_move){(int)h, cur, s->leg_of[h], move_reason(in, h, s->leg_of[h])};
    }
    plan_objective(in, r->leg_of, &r->weighted_people, &r->person_hours, &r->people);
}

/* Re-planning with notified households: the repaired current plan. */
static void replan(const struct pm_model *m, const int *fixed, const int *keep, int threads,
                   struct pm_sol *s, double *bound, const char **bound_kind)
{
    bool big = bound_flow_too_big(m);
    *bound = big ? (double)LLONG_MAX : floor(bound_flow(m, fixed, NULL) + 1e-6);
    heur_repair(m, fixed, keep, (long long)*bound, m->in->settings.move_threshold, threads, s);
    if (big) {
        *bound = floor(bound_dual(m, fixed, s, PLAN_DUAL_ITERATIONS) + 1e-6);
        *bound_kind = "lagrangian";
    }
}

int plan_solve(const struct plan_instance *in, const struct plan_options *opt,
               struct plan_result *out, struct muster_err *err)
{
    double t0 = pm_now();
    memset(out, 0, sizeof *out);
    struct pm_model m;
    int rc = pm_build(&m, in, err);
    if (rc < 0)
        return rc;
    progress(opt, "eligibility", 0.2);
    bool any_notified = false, opt_a = false;
    int *keep = fixed_legs(&m, true, &any_notified);
    int *fixed = fixed_legs(&m, false, &any_notified);
    for (size_t h = 0; h < m.nh; h++)
        if (fixed[h] >= 0)
            keep[h] = -1; /* keep[]: notified households on a leg they may still take */
    struct pm_sol a = {0};
    double bound = 0;
    const char *bound_kind = "lp-flow";
    bool mip_a = false;
    if (!any_notified)
        plan_once(&m, fixed, opt, &a, &bound, &bound_kind, &mip_a, &opt_a, err, &rc);
    else
        replan(&m, fixed, keep, opt ? opt->threads : 1, &a, &bound, &bound_kind);
    if (rc == 0) {
        fill_result(&m, &a, out);
        out->bound = bound;
        out->bound_method = mip_a ? "mip" : bound_kind;
        out->proved_optimal = opt_a && !any_notified;
        if (out->proved_optimal) {
            out->bound = (double)out->weighted_people;
            out->bound_method = "mip";
        }
        out->method = any_notified ? "repair" : opt && opt->exact ? "exact" : "fast";
        out->gap = out->bound > 0 ? 1.0 - (double)out->weighted_people / out->bound : 0;
        if (out->gap < 0 && out->gap > -1e-9)
            out->gap = 0;
    }
    sol_free(&a);
    free(keep);
    free(fixed);
    pm_free(&m);
    out->seconds = pm_now() - t0;
    progress(opt, "done", 1.0);
    return rc;
}

void plan_result_free(struct plan_result *r)
{
    free(r->leg_of);
    free(r->reason);
    free(r->moved);
    memset(r, 0, sizeof *r);
}

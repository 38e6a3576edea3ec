/* improve.c — local improvement of a plan.
 *
 * Weighted people: an unplaced household takes a leg after the cheapest set
 * of households on that leg is ejected (a small 2-D knapsack over seats and
 * stretcher slots): an ejected household costs nothing when it can move to a
 * leg with spare room, else its weight; the move is made when the cost is
 * below the newcomer's weight. Person-hours: households move to earlier legs
 * with room. */
#include "plan/internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

/* Local search state: legs with spare seats, and a cache of where each
 * household could move (valid while no move has happened since). */
struct ls {
    int *slack, n_slack;
    int *reloc, *reloc_ver;
    int ver;
    const int *keep; /* current legs (re-planning) or NULL */
};

/* The cost of a chain: weighted people lost first, then moves of kept
 * households (a chain moves at most 64). */
#define MOVE_UNIT 1
#define LOST_UNIT (1L << 20)

static long eject_cost(const struct pm_model *m, const struct ls *ls, int g, int l, int to)
{
    long c = to >= 0 ? 0 : m->weight[g] * LOST_UNIT;
    if (ls->keep && ls->keep[g] == l)
        c += MOVE_UNIT;
    return c;
}

/* A leg with spare room for h other than avoid, or -1. */
static int relocate_target(const struct pm_model *m, const struct pm_sol *s, struct ls *ls, int h,
                           int avoid)
{
    if (ls->reloc_ver[h] == ls->ver && ls->reloc[h] != avoid)
        return ls->reloc[h];
    int found = -1;
    int home = ls->keep ? ls->keep[h] : -1;
    if (home >= 0 && home != avoid && sol_fits(s, m, h, home) && pm_can_take(m, (size_t)h, home))
        found = home;
    for (int i = 0; i < ls->n_slack && found < 0; i++) {
        int l = ls->slack[i];
        if (l != avoid && sol_fits(s, m, h, l) && pm_can_take(m, (size_t)h, l))
            found = l;
    }
    ls->reloc[h] = found;
    ls->reloc_ver[h] = ls->ver;
    return found;
}

#define DMAX 9 /* deficits handled: up to 8 seats and 8 stretcher slots */

/* Cheapest set of households on l that frees ds seats and dt stretchers:
 * a household costs 0 when it can move to another leg, else its weight.
 * Returns the cost (LONG_MAX when impossible) and marks the set in pick. */
static long eject_plan(const struct pm_model *m, const struct pm_sol *s, struct ls *ls,
                       const int *fixed, int l, int ds, int dt, bool *pick, int *move_to)
{
    int n = s->on_n[l];
    long *dp = malloc(((size_t)n + 1) * DMAX * DMAX * sizeof(long));
    if (!dp)
        abort();
    const long INF = 1L << 60;
    for (int i = 0; i < DMAX * DMAX; i++)
        dp[i] = INF;
    dp[0] = 0;
    for (int i = 0; i < n; i++) {
        int g = s->on_leg[l][i];
        long *prev = dp + (size_t)i * DMAX * DMAX, *cur = prev + DMAX * DMAX;
        memcpy(cur, prev, DMAX * DMAX * sizeof(long));
        move_to[i] = -1;
        if (fixed && fixed[g] >= 0)
            continue;
        move_to[i] = relocate_target(m, s, ls, g, l);
        long c = eject_cost(m, ls, g, l, move_to[i]);
        for (int a = 0; a < DMAX; a++)
            for (int b = 0; b < DMAX; b++) {
                if (prev[a * DMAX + b] >= INF)
                    continue;
                int na = a + m->seats[g] < DMAX - 1 ? a + m->seats[g] : DMAX - 1;
                int nb = b + m->str[g] < DMAX - 1 ? b + m->str[g] : DMAX - 1;
                if (prev[a * DMAX + b] + c < cur[na * DMAX + nb])
                    cur[na * DMAX + nb] = prev[a * DMAX + b] + c;
            }
    }
    /* best final state covering (ds, dt) */
    long best = INF;
    int ba = -1, bb = -1;
    const long *last = dp + (size_t)n * DMAX * DMAX;
    for (int a = ds; a < DMAX; a++)
        for (int b = dt; b < DMAX; b++)
            if (last[a * DMAX + b] < best) {
                best = last[a * DMAX + b];
                ba = a, bb = b;
            }
    for (int i = n - 1; i >= 0 && best < INF; i--) {
        const long *prev = dp + (size_t)i * DMAX * DMAX, *cur = prev + DMAX * DMAX;
        pick[i] = false;
        if (prev[ba * DMAX + bb] == cur[ba * DMAX + bb])
            continue; /* not taking household i reaches the same cost */
        int g = s->on_leg[l][i];
        long c = eject_cost(m, ls, g, l, move_to[i]);
        for (int a = 0; a < DMAX && !pick[i]; a++)
            for (int b = 0; b < DMAX && !pick[i]; b++) {
                int na = a + m->seats[g] < DMAX - 1 ? a + m->seats[g] : DMAX - 1;
                int nb = b + m->str[g] < DMAX - 1 ? b + m->str[g] : DMAX - 1;
                if (na == ba && nb == bb && prev[a * DMAX + b] < INF &&
                    prev[a * DMAX + b] + c == cur[ba * DMAX + bb] && !(fixed && fixed[g] >= 0)) {
                    pick[i] = true;
                    ba = a, bb = b;
                }
            }
    }
    free(dp);
    return best >= INF ? LONG_MAX : best;
}

/* Applies an ejection on l for u; undoes it and returns false when the
 * relocations no longer fit (two picked households wanted the same seats)
 * or the gain is not above min_gain. */
static bool eject_apply(const struct pm_model *m, struct pm_sol *s, struct ls *ls, int u, int l,
                        const bool *pick, const int *move_to, int n, double min_gain)
{
    int gs[64], to[64], k = 0;
    long lost = 0;
    for (int i = 0; i < n && k < 64; i++)
        if (pick[i])
            gs[k] = s->on_leg[l][i], to[k++] = move_to[i];
    for (int i = 0; i < k; i++)
        sol_take(s, m, gs[i]);
    for (int i = 0; i < k; i++) {
        if (to[i] >= 0 && sol_fits(s, m, gs[i], to[i])) {
            sol_put(s, m, gs[i], to[i]);
        } else {
            to[i] = -1;
            lost += m->weight[gs[i]];
        }
    }
    if (sol_fits(s, m, u, l) && (double)(m->weight[u] - lost) > min_gain) {
        sol_put(s, m, u, l);
        ls->ver++;
        return true;
    }
    for (int i = 0; i < k; i++) { /* undo */
        if (s->leg_of[gs[i]] >= 0)
            sol_take(s, m, gs[i]);
        sol_put(s, m, gs[i], l);
    }
    return false;
}

/* The cost of placing u on l after an ejection (LONG_MAX: impossible). */
static long place_cost(const struct pm_model *m, const struct pm_sol *s, struct ls *ls,
                       const int *fixed, int u, int l, bool *pick, int *move_to, long long *work)
{
    int ds = m->seats[u] - s->seats_left[l], dt = m->str[u] - s->str_left[l];
    ds = ds < 0 ? 0 : ds;
    dt = dt < 0 ? 0 : dt;
    if (ds >= DMAX - 1 || dt >= DMAX - 1 || s->on_n[l] > 4096)
        return LONG_MAX;
    *work += s->on_n[l];
    return eject_plan(m, s, ls, fixed, l, ds, dt, pick, move_to);
}

/* The gain a chain of this cost must exceed. */
static double min_gain_of(long cost, double move_threshold)
{
    return cost % LOST_UNIT ? (move_threshold > 0 ? move_threshold : 0) : 0;
}

/* Tries to place u, freeing room on one of its legs; returns true on a gain.
 * Without keep the first leg that gains is taken. With keep (re-planning)
 * u's own leg is tried first, then any leg with room, then the cheapest
 * ejection among the first few legs that allow one. Adds the work done
 * (households looked at) to *work. */
static bool improve_one(const struct pm_model *m, struct pm_sol *s, const int *fixed, int u,
                        struct ls *ls, double move_threshold, bool *pick, int *move_to,
                        long long *work)
{
    int home = ls->keep ? ls->keep[u] : -1;
    if (home >= 0 && pm_can_take(m, (size_t)u, home) && sol_fits(s, m, u, home)) {
        sol_put(s, m, u, home);
        ls->ver++;
        return true;
    }
    if (ls->keep)
        for (size_t e = m->ent_start[u]; e < m->ent_start[u + 1]; e++) {
            const struct pm_chain *ch = &m->chains[m->ent[e].chain];
            for (int k = m->ent[e].pos; k < ch->n; k++) {
                ++*work;
                if (sol_fits(s, m, u, ch->legs[k])) {
                    sol_put(s, m, u, ch->legs[k]);
                    ls->ver++;
                    return true;
                }
            }
        }
    long best = LONG_MAX;
    int best_l = -1, tried = 0;
    long worth = m->weight[u] * LOST_UNIT;
    for (size_t e = m->ent_start[u]; e < m->ent_start[u + 1] && best > 0; e++) {
        const struct pm_chain *ch = &m->chains[m->ent[e].chain];
        for (int k = m->ent[e].pos; k < ch->n && best > 0; k++) {
            int l = ch->legs[k];
            ++*work;
            if (!ls->keep && sol_fits(s, m, u, l)) {
                sol_put(s, m, u, l);
                ls->ver++;
                return true;
            }
            long cost = place_cost(m, s, ls, fixed, u, l, pick, move_to, work);
            if (cost >= worth ||
                (double)(worth - cost) / LOST_UNIT <= min_gain_of(cost, move_threshold))
                continue;
            if (!ls->keep)
                return eject_apply(m, s, ls, u, l, pick, move_to, s->on_n[l], 0);
            if (cost < best) {
                best = cost;
                best_l = l;
            }
            if (++tried >= 4)
                break;
        }
        if (tried >= 4)
            break;
    }
    if (best_l < 0)
        return false;
    place_cost(m, s, ls, fixed, u, best_l, pick, move_to, work); /* pick for best_l again */
    return eject_apply(m, s, ls, u, best_l, pick, move_to, s->on_n[best_l],
                       min_gain_of(best, move_threshold));
}

long long local_improve(const struct pm_model *m, struct pm_sol *s, const int *fixed,
                        const int *keep, double move_threshold, const int *order, size_t n,
                        long long budget, long long target)
{
    long long work = 0;
    struct ls ls = {xcalloc(m->nl, sizeof(int)), 0, xcalloc(m->nh, sizeof(int)),
                    xcalloc(m->nh, sizeof(int)), 1, keep};
    int max_on = 1;
    for (size_t l = 0; l < m->nl; l++)
        max_on = s->on_n[l] > max_on ? s->on_n[l] : max_on;
    bool *pick = xcalloc((size_t)max_on * 2 + 4096, sizeof(bool));
    int *move_to = xcalloc((size_t)max_on * 2 + 4096, sizeof(int));
    for (int pass = 0; pass < 8; pass++) {
        ls.n_slack = 0;
        for (size_t l = 0; l < m->nl; l++)
            if (!m->leg_closed[l] && s->seats_left[l] > 0)
                ls.slack[ls.n_slack++] = (int)l;
        ls.ver++;
        bool gained = false;
        for (size_t i = 0; i < n; i++) {
            int u = order[i];
            if (s->leg_of[u] >= 0)
                continue;
            if (s->weighted >= target || work > budget)
                goto out;
            if (improve_one(m, s, fixed, u, &ls, move_threshold, pick, move_to, &work))
                gained = true;
        }
        if (!gained)
            break;
    }
out:
    free(ls.slack), free(ls.reloc), free(ls.reloc_ver), free(pick), free(move_to);
    return work;
}

/* The earliest eligible leg of h with room departing before t, or -1. */
static int earlier_fit(const struct pm_model *m, const struct pm_sol *s, int h, int64_t t)
{
    int best = -1;
    for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++) {
        const struct pm_chain *ch = &m->chains[m->ent[e].chain];
        for (int k = m->ent[e].pos; k < ch->n && ch->departs[k] < t; k++)
            if (sol_fits(s, m, h, ch->legs[k])) {
                best = ch->legs[k];
                t = ch->departs[k];
                break;
            }
    }
    return best;
}

/* True when h must stay where it is: fixed, or on its current leg. */
static bool stays(const int *fixed, const int *keep, const struct pm_sol *s, int h)
{
    return (fixed && fixed[h] >= 0) || (keep && keep[h] >= 0 && keep[h] == s->leg_of[h]);
}

void earlier_legs(const struct pm_model *m, struct pm_sol *s, const int *fixed, const int *keep,
                  const int *order, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int h = order[i], l = s->leg_of[h];
        if (l < 0 || stays(fixed, keep, s, h))
            continue;
        int to = earlier_fit(m, s, h, m->in->legs[l].departs);
        if (to >= 0) {
            sol_take(s, m, h);
            sol_put(s, m, h, to);
        }
    }
}

/* Person-hours by pairwise swaps: a larger household on a later leg trades
 * places with a smaller one on an earlier leg when both may and the earlier
 * leg has room for the difference. Weighted people do not change. */
void swap_hours(const struct pm_model *m, struct pm_sol *s, const int *fixed, const int *keep,
                long long budget)
{
    const struct plan_leg *legs = m->in->legs;
    long long work = 0;
    for (int pass = 0; pass < 4; pass++) {
        bool any = false;
        for (size_t a = 0; a < m->nh; a++) {
            int la = s->leg_of[a];
            if (la < 0 || stays(fixed, keep, s, (int)a))
                continue;
            if (work > budget)
                return;
            work += (long long)m->nl;
            for (size_t lb = 0; lb < m->nl; lb++) {
                if (legs[lb].departs >= legs[la].departs || !pm_can_take(m, a, (int)lb))
                    continue;
                work += s->on_n[lb];
                for (int i = 0; i < s->on_n[lb]; i++) {
                    int b = s->on_leg[lb][i];
                    int ds = m->seats[a] - m->seats[b], dt = m->str[a] - m->str[b];
                    if (m->seats[a] + m->str[a] <= m->seats[b] + m->str[b] ||
                        stays(fixed, keep, s, b) || s->seats_left[lb] < ds ||
                        s->str_left[lb] < dt || s->seats_left[la] < -ds || s->str_left[la] < -dt ||
                        !pm_can_take(m, (size_t)b, la))
                        continue;
                    sol_take(s, m, (int)a);
                    sol_take(s, m, b);
                    sol_put(s, m, (int)a, (int)lb);
                    sol_put(s, m, b, la);
                    any = true;
                    break;
                }
                if (s->leg_of[a] != la)
                    break;
            }
        }
        if (!any)
            break;
    }
}

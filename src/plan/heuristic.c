/* heuristic.c — the fast planner.
 *
 * 1. LP-guided rounding: households in descending priority density take a
 *    leg the LP flow sends their group to, while the flow lasts.
 * 2. Greedy fill: the rest, in the same order, take the earliest eligible
 *    leg with room (skip pointers jump over full legs).
 * 3. Local improvement: an unplaced household makes room on a full leg by
 *    moving a smaller household to a leg with spare seats, or by displacing
 *    one of lower weight; repeated until nothing gains or the time is up.
 * 4. Person-hours: each household moves to an earlier eligible leg with room.
 * The same steps run once without the LP guide (plain greedy) and the better
 * plan is kept. */
#include "plan/internal.h"

#include "util/rng.h"

#include <stdlib.h>
#include <string.h>

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

static int by_density(const void *a, const void *b, void *ctx)
{
    int x = *(const int *)a, y = *(const int *)b;
    const struct pm_model *m = ctx;
    long nx = m->weight[x], ny = m->weight[y];
    long dx = m->seats[x] + m->str[x], dy = m->seats[y] + m->str[y];
    if (nx * dy != ny * dx)
        return nx * dy > ny * dx ? -1 : 1;
    if (dx != dy)
        return dx > dy ? -1 : 1;
    return x - y;
}

/* Households that may travel and are not fixed, by descending density. */
static int *travel_order(const struct pm_model *m, const int *fixed, size_t *n)
{
    int *order = xcalloc(m->nh, sizeof *order);
    size_t k = 0;
    for (size_t h = 0; h < m->nh; h++)
        if (m->reason[h] == PLAN_ASSIGNED && !(fixed && fixed[h] >= 0))
            order[k++] = (int)h;
    qsort_r(order, k, sizeof *order, by_density, (void *)m);
    *n = k;
    return order;
}

/* Skip pointers per chain slot, one set per seat need k = 1..SKIP_K: in set
 * k, a position whose leg has fewer than k seats left is jumped over (seats
 * only go down while the greedy runs, so a skipped leg stays skipped). */
#define SKIP_K 8

struct skips {
    int **next; /* next[(k - 1) * n_chains + chain] */
    int n_chains;
};

static int skip_find(int *next, int k)
{
    int r = k;
    while (next[r] != r)
        r = next[r];
    while (next[k] != r) {
        int t = next[k];
        next[k] = r;
        k = t;
    }
    return r;
}

/* The earliest eligible leg of h with room, or -1. */
static int earliest_fit(const struct pm_model *m, const struct pm_sol *s, struct skips *sk, int h,
                        int64_t before)
{
    int best = -1, need = m->seats[h] < SKIP_K ? m->seats[h] : SKIP_K;
    int64_t best_t = before;
    for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++) {
        const struct pm_chain *ch = &m->chains[m->ent[e].chain];
        int *next = sk && need > 0 ? sk->next[(need - 1) * sk->n_chains + m->ent[e].chain] : NULL;
        int k = next ? skip_find(next, m->ent[e].pos) : m->ent[e].pos;
        for (; k < ch->n && ch->departs[k] < best_t; k++) {
            int l = ch->legs[k];
            if (next && s->seats_left[l] < need) {
                next[k] = k + 1;
                k = skip_find(next, k) - 1;
                continue;
            }
            if (sol_fits(s, m, h, l)) {
                best = l;
                best_t = ch->departs[k];
                break;
            }
        }
    }
    return best;
}

/* Places each unplaced household of order on its preferred leg (pref, may
 * be NULL) when that still fits, else on the earliest eligible leg with room. */
static void greedy_fill(const struct pm_model *m, struct pm_sol *s, const int *order, size_t n,
                        const int *pref)
{
    size_t sets = (size_t)SKIP_K * (size_t)m->n_chains;
    struct skips sk = {xcalloc(sets, sizeof(int *)), m->n_chains};
    for (size_t i = 0; i < sets; i++) {
        int len = m->chains[i % (size_t)m->n_chains].n;
        sk.next[i] = xcalloc((size_t)len + 1, sizeof(int));
        for (int k = 0; k <= len; k++)
            sk.next[i][k] = k;
    }
    for (size_t i = 0; i < n; i++) {
        int h = order[i];
        if (s->leg_of[h] >= 0)
            continue;
        if (pref && pref[h] >= 0 && sol_fits(s, m, h, pref[h])) {
            sol_put(s, m, h, pref[h]);
            continue;
        }
        int l = earliest_fit(m, s, &sk, h, INT64_MAX);
        if (l >= 0)
            sol_put(s, m, h, l);
    }
    for (size_t i = 0; i < sets; i++)
        free(sk.next[i]);
    free(sk.next);
}

static void lp_round(const struct pm_model *m, struct pm_sol *s, const int *order, size_t n,
                     struct lp_guide *g)
{
    for (size_t i = 0; i < n; i++) {
        int h = order[i], a = g->arc_of[h];
        if (a < 0)
            continue;
        int best = -1;
        size_t best_i = 0;
        for (size_t j = g->start[a]; j < g->start[a + 1]; j++) {
            int l = g->leg[j];
            if (g->amount[j] < m->seats[h] || !sol_fits(s, m, h, l))
                continue;
            if (best < 0 || m->in->legs[l].departs < m->in->legs[best].departs) {
                best = l;
                best_i = j;
            }
        }
        if (best >= 0) {
            g->amount[best_i] -= m->seats[h];
            sol_put(s, m, h, best);
        }
    }
}

static double hours_of(const struct pm_model *m, const struct pm_sol *s)
{
    double t = 0;
    for (size_t h = 0; h < m->nh; h++)
        if (s->leg_of[h] >= 0)
            t += (m->seats[h] + m->str[h]) *
                 (double)(m->in->legs[s->leg_of[h]].departs - m->in->households[h].ready);
    return t;
}

static bool better(const struct pm_model *m, const struct pm_sol *a, const struct pm_sol *b)
{
    return a->weighted > b->weighted ||
           (a->weighted == b->weighted && hours_of(m, a) < hours_of(m, b));
}

static void run_once(const struct pm_model *m, const int *fixed, const int *order, size_t n,
                     struct lp_guide *g, double deadline, long long target, struct pm_sol *s)
{
    sol_init(s, m);
    for (size_t h = 0; fixed && h < m->nh; h++)
        if (fixed[h] >= 0)
            sol_put(s, m, (int)h, fixed[h]);
    if (g)
        lp_round(m, s, order, n, g);
    greedy_fill(m, s, order, n, NULL);
    local_improve(m, s, fixed, order, n, deadline, target);
}

/* An unplaced household that could travel, drawn from the first (densest)
 * few, or -1. */
static int pick_unplaced(const struct pm_model *m, const struct pm_sol *s, const int *order,
                         size_t n, struct rng *r)
{
    int cand[16], k = 0;
    for (size_t i = 0; i < n && k < 16; i++)
        if (s->leg_of[order[i]] < 0)
            cand[k++] = order[i];
    (void)m;
    return k ? cand[rng_below(r, (uint64_t)k)] : -1;
}

/* A random eligible leg of h (h has at least one entry). */
static int random_leg_of(const struct pm_model *m, int h, struct rng *r)
{
    size_t total = 0;
    for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++)
        total += (size_t)(m->chains[m->ent[e].chain].n - m->ent[e].pos);
    size_t pick = rng_below(r, total);
    for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++) {
        const struct pm_chain *ch = &m->chains[m->ent[e].chain];
        size_t len = (size_t)(ch->n - m->ent[e].pos);
        if (pick < len)
            return ch->legs[m->ent[e].pos + (int)pick];
        pick -= len;
    }
    return m->chains[m->ent[m->ent_start[h]].chain].legs[m->ent[m->ent_start[h]].pos];
}

/* Ruin and recreate: empty one to three random legs, refill them in a
 * slightly shuffled priority order, improve; keep the result when it is no
 * worse. Deterministic (fixed seed). */
static void lns(const struct pm_model *m, const int *fixed, const int *order, size_t n,
                struct pm_sol *best, double deadline, long long target)
{
    struct rng r;
    rng_seed(&r, 20261129);
    struct pm_sol cur = {0};
    int *perm = xcalloc(n, sizeof *perm), *open = xcalloc(m->nl, sizeof *open), n_open = 0;
    for (size_t l = 0; l < m->nl; l++)
        if (!m->leg_closed[l])
            open[n_open++] = (int)l;
    for (int iter = 0; n_open > 0 && pm_now() < deadline && best->weighted < target; iter++) {
        sol_copy(&cur, best, m);
        int first = -1;
        if (iter & 1)
            first = pick_unplaced(m, &cur, order, n, &r);
        int k = 1 + (int)rng_below(&r, 3);
        for (int j = 0; j < k; j++) {
            int l =
                first >= 0 ? random_leg_of(m, first, &r) : open[rng_below(&r, (uint64_t)n_open)];
            for (int i = cur.on_n[l] - 1; i >= 0; i--) {
                int h = cur.on_leg[l][i];
                if (!(fixed && fixed[h] >= 0))
                    sol_take(&cur, m, h);
            }
        }
        size_t np = 0;
        if (first >= 0)
            perm[np++] = first;
        for (size_t i = 0; i < n; i++)
            if (cur.leg_of[order[i]] < 0 && order[i] != first)
                perm[np++] = order[i];
        for (size_t i = first >= 0 ? 1 : 0; i + 1 < np; i++)
            if (rng_unit(&r) < 0.3) {
                int t = perm[i];
                perm[i] = perm[i + 1];
                perm[i + 1] = t;
            }
        greedy_fill(m, &cur, perm, np, NULL);
        local_improve(m, &cur, fixed, order, n, deadline, target);
        if (cur.weighted >= best->weighted) {
            struct pm_sol t = *best;
            *best = cur;
            cur = t;
        }
    }
    sol_free(&cur);
    free(perm);
    free(open);
}

void heur_solve(const struct pm_model *m, const int *fixed, struct lp_guide *g, long long target,
                struct pm_sol *best)
{
    double t0 = pm_now();
    double budget = 0.3 + 4e-6 * (double)m->nh;
    size_t n;
    int *order = travel_order(m, fixed, &n);
    run_once(m, fixed, order, n, NULL, t0 + budget / 2, target, best);
    if (g && best->weighted < target) {
        struct pm_sol other = {0};
        run_once(m, fixed, order, n, g, pm_now() + budget / 2, target, &other);
        if (better(m, &other, best)) {
            struct pm_sol t = *best;
            *best = other;
            other = t;
        }
        sol_free(&other);
    }
    double lns_budget = m->nh <= 20000 ? 0.1 : 0;
    if (lns_budget > 0 && best->weighted < target)
        lns(m, fixed, order, n, best, pm_now() + lns_budget, target);
    earlier_legs(m, best, fixed, order, n);
    if (m->nh <= 20000) {
        swap_hours(m, best, fixed, pm_now() + 0.1);
        earlier_legs(m, best, fixed, order, n);
    }
    free(order);
}

void heur_repair(const struct pm_model *m, const int *fixed, const int *pref, long long target,
                 double seconds, struct pm_sol *s)
{
    size_t n;
    int *order = travel_order(m, fixed, &n);
    sol_init(s, m);
    for (size_t h = 0; fixed && h < m->nh; h++)
        if (fixed[h] >= 0)
            sol_put(s, m, (int)h, fixed[h]);
    greedy_fill(m, s, order, n, pref);
    local_improve(m, s, fixed, order, n, pm_now() + seconds, target);
    /* a household pushed off its leg goes back when its seats came free */
    for (int pass = 0; pref && pass < 3; pass++) {
        bool moved = false;
        for (size_t i = 0; i < n; i++) {
            int h = order[i];
            if (pref[h] >= 0 && s->leg_of[h] >= 0 && s->leg_of[h] != pref[h] &&
                sol_fits(s, m, h, pref[h])) {
                sol_take(s, m, h);
                sol_put(s, m, h, pref[h]);
                moved = true;
            }
        }
        if (!moved)
            break;
    }
    free(order);
}

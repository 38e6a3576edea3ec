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

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Work budgets, in households and legs looked at (see local_improve): the
 * search never reads the clock, so a plan is the same on a busy machine. */
#define WORK_BASE                 1000000LL /* per improvement run, plus per household: */
#define WORK_PER_HOUSEHOLD        100LL
#define LNS_HOUSEHOLDS            20000 /* ruin and recreate up to this size */
#define LNS_ITERATIONS            400
#define LNS_WORK                  2000000LL /* in total over the iterations */
#define SWAP_WORK                 30000000LL
#define REPAIR_WORK_BASE          200000LL /* re-planning's move-counting search */
#define REPAIR_WORK_PER_HOUSEHOLD 20LL

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
                     struct lp_guide *g, long long budget, long long target, struct pm_sol *s)
{
    sol_init(s, m);
    for (size_t h = 0; fixed && h < m->nh; h++)
        if (fixed[h] >= 0)
            sol_put(s, m, (int)h, fixed[h]);
    if (g)
        lp_round(m, s, order, n, g);
    greedy_fill(m, s, order, n, NULL);
    local_improve(m, s, fixed, NULL, 0, order, n, budget, target);
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
                struct pm_sol *best, long long budget, long long target)
{
    long long work = 0;
    int iter = 0;
    struct rng r;
    rng_seed(&r, 20261129);
    struct pm_sol cur = {0};
    int *perm = xcalloc(n, sizeof *perm), *open = xcalloc(m->nl, sizeof *open), n_open = 0;
    for (size_t l = 0; l < m->nl; l++)
        if (!m->leg_closed[l])
            open[n_open++] = (int)l;
    for (; n_open > 0 && iter < LNS_ITERATIONS && work < budget && best->weighted < target;
         iter++) {
        work += (long long)(m->nh + m->nl);
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
        work += (long long)np;
        work += local_improve(m, &cur, fixed, NULL, 0, order, n, budget - work, target);
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
    long long budget = WORK_BASE + WORK_PER_HOUSEHOLD * (long long)m->nh;
    size_t n;
    int *order = travel_order(m, fixed, &n);
    run_once(m, fixed, order, n, NULL, budget, target, best);
    if (g && best->weighted < target) {
        struct pm_sol other = {0};
        run_once(m, fixed, order, n, g, budget, target, &other);
        if (better(m, &other, best)) {
            struct pm_sol t = *best;
            *best = other;
            other = t;
        }
        sol_free(&other);
    }
    if (m->nh <= LNS_HOUSEHOLDS && best->weighted < target)
        lns(m, fixed, order, n, best, LNS_WORK, target);
    earlier_legs(m, best, fixed, NULL, order, n);
    if (m->nh <= LNS_HOUSEHOLDS) {
        swap_hours(m, best, fixed, NULL, SWAP_WORK);
        earlier_legs(m, best, fixed, NULL, order, n);
    }
    free(order);
}

/* Households that left their current leg go back where that keeps the
 * weighted people: when the leg has room, or by trading places with a
 * household that is not at home there and can take the leg the returning
 * one leaves (or, when that one had no seat, gives up a seat it outweighs
 * no more than the returning one). Each trade brings one household home. */
static void go_home(const struct pm_model *m, struct pm_sol *s, const int *fixed, const int *keep,
                    const int *order, size_t n)
{
    for (int pass = 0; pass < 4; pass++) {
        bool moved = false;
        for (size_t i = 0; i < n; i++) {
            int h = order[i], home = keep[h], from = s->leg_of[h];
            if (home < 0 || from == home || !pm_can_take(m, (size_t)h, home))
                continue;
            if (sol_fits(s, m, h, home)) {
                sol_take(s, m, h);
                sol_put(s, m, h, home);
                moved = true;
                continue;
            }
            for (int j = 0; j < s->on_n[home]; j++) {
                int g = s->on_leg[home][j];
                if ((fixed && fixed[g] >= 0) || keep[g] == home)
                    continue;
                if (from < 0 ? m->weight[g] > m->weight[h] : !pm_can_take(m, (size_t)g, from))
                    continue;
                sol_take(s, m, h);
                sol_take(s, m, g);
                if (sol_fits(s, m, h, home) && (from < 0 || sol_fits(s, m, g, from))) {
                    sol_put(s, m, h, home);
                    if (from >= 0)
                        sol_put(s, m, g, from);
                    moved = true;
                    break;
                }
                sol_put(s, m, g, home); /* undo */
                if (from >= 0)
                    sol_put(s, m, h, from);
            }
        }
        if (!moved)
            break;
    }
}

/* Households whose current leg the plan changes (moves). */
static size_t moves_of(const struct pm_model *m, const struct pm_sol *s, const int *keep)
{
    size_t k = 0;
    for (size_t h = 0; h < m->nh; h++)
        k += keep[h] >= 0 && s->leg_of[h] != keep[h];
    return k;
}

/* The households that travel in b, seated with the fewest moves: each at home
 * where it fits, the others on b's leg or the earliest with room, then the
 * move-counting improvement for those left over. */
static void same_travellers(const struct pm_model *m, const int *fixed, const int *keep,
                            const int *order, size_t n, const struct pm_sol *b, long long target,
                            double move_threshold, struct pm_sol *s)
{
    sol_init(s, m);
    for (size_t h = 0; fixed && h < m->nh; h++)
        if (fixed[h] >= 0)
            sol_put(s, m, (int)h, fixed[h]);
    int *rest = xcalloc(n, sizeof *rest), *travel = xcalloc(n, sizeof *travel);
    size_t k = 0, nt = 0;
    for (size_t i = 0; i < n; i++) {
        int h = order[i];
        if (b->leg_of[h] < 0)
            continue;
        travel[nt++] = h;
        if (keep[h] >= 0 && pm_can_take(m, (size_t)h, keep[h]) && sol_fits(s, m, h, keep[h]))
            sol_put(s, m, h, keep[h]);
        else
            rest[k++] = h;
    }
    greedy_fill(m, s, rest, k, b->leg_of);
    long long budget = REPAIR_WORK_BASE + REPAIR_WORK_PER_HOUSEHOLD * (long long)m->nh;
    local_improve(m, s, fixed, keep, move_threshold, travel, nt, budget, target);
    if (s->weighted < b->weighted) /* the last few, moving others freely */
        local_improve(m, s, fixed, NULL, 0, travel, nt, budget, target);
    greedy_fill(m, s, order, n, NULL); /* seats still free go to whoever fits */
    if (s->weighted < b->weighted)
        local_improve(m, s, fixed, keep, move_threshold, order, n, budget, target);
    free(rest);
    free(travel);
    go_home(m, s, fixed, keep, order, n);
    earlier_legs(m, s, fixed, keep, order, n);
}

/* a is better than b for a re-plan: more weighted people by more than the
 * threshold (when a moves more), else as many with fewer moves. */
static bool better_replan(const struct pm_model *m, const struct pm_sol *a, const struct pm_sol *b,
                          const int *keep, double move_threshold)
{
    size_t ma = moves_of(m, a, keep), mb = moves_of(m, b, keep);
    if (a->weighted != b->weighted) {
        if (a->weighted > b->weighted)
            return ma <= mb || (double)(a->weighted - b->weighted) > move_threshold;
        return ma < mb && (double)(b->weighted - a->weighted) <= move_threshold;
    }
    return ma < mb;
}

static void take_if_better(const struct pm_model *m, struct pm_sol *best, struct pm_sol *cand,
                           const int *keep, double move_threshold)
{
    if (better_replan(m, cand, best, keep, move_threshold)) {
        struct pm_sol tmp = *best;
        *best = *cand;
        *cand = tmp;
    }
}

struct repair_job {
    const struct pm_model *m;
    const int *fixed, *keep, *order;
    size_t n;
    long long target;
    double move_threshold;
    struct pm_sol s;
};

/* R: the current plan repaired and improved move by move. */
static void *repair_current(void *arg)
{
    struct repair_job *j = arg;
    const struct pm_model *m = j->m;
    struct pm_sol *s = &j->s;
    sol_init(s, m);
    for (size_t h = 0; j->fixed && h < m->nh; h++)
        if (j->fixed[h] >= 0)
            sol_put(s, m, (int)h, j->fixed[h]);
    for (size_t i = 0; i < j->n; i++) {
        int h = j->order[i];
        if (j->keep[h] >= 0 && pm_can_take(m, (size_t)h, j->keep[h]) &&
            sol_fits(s, m, h, j->keep[h]))
            sol_put(s, m, h, j->keep[h]);
    }
    greedy_fill(m, s, j->order, j->n, NULL);
    long long budget = REPAIR_WORK_BASE + REPAIR_WORK_PER_HOUSEHOLD * (long long)m->nh;
    local_improve(m, s, j->fixed, j->keep, j->move_threshold, j->order, j->n, budget, j->target);
    go_home(m, s, j->fixed, j->keep, j->order, j->n);
    earlier_legs(m, s, j->fixed, j->keep, j->order, j->n);
    return NULL;
}

/* B: planned afresh (each household preferring its leg), then its
 * travellers seated with the fewest moves. */
static void *repair_afresh(void *arg)
{
    struct repair_job *j = arg;
    const struct pm_model *m = j->m;
    struct pm_sol b = {0};
    sol_init(&b, m);
    for (size_t h = 0; j->fixed && h < m->nh; h++)
        if (j->fixed[h] >= 0)
            sol_put(&b, m, (int)h, j->fixed[h]);
    greedy_fill(m, &b, j->order, j->n, j->keep);
    long long budget = WORK_BASE + WORK_PER_HOUSEHOLD * (long long)m->nh;
    local_improve(m, &b, j->fixed, NULL, 0, j->order, j->n, budget, j->target);
    go_home(m, &b, j->fixed, j->keep, j->order, j->n);
    earlier_legs(m, &b, j->fixed, j->keep, j->order, j->n);
    same_travellers(m, j->fixed, j->keep, j->order, j->n, &b, j->target, j->move_threshold, &j->s);
    take_if_better(m, &j->s, &b, j->keep, j->move_threshold);
    sol_free(&b);
    return NULL;
}

void heur_repair(const struct pm_model *m, const int *fixed, const int *keep, long long target,
                 double move_threshold, int threads, struct pm_sol *s)
{
    size_t n;
    int *order = travel_order(m, fixed, &n);
    struct repair_job r = {m, fixed, keep, order, n, target, move_threshold, {0}}, b = r;
    /* B is needed only when R leaves a gap; with a second thread it is built
     * alongside and dropped when R meets the target: the same plan either way */
    pthread_t tid;
    bool parallel = threads > 1 && pthread_create(&tid, NULL, repair_afresh, &b) == 0;
    repair_current(&r);
    if (parallel)
        pthread_join(tid, NULL);
    else if (r.s.weighted < target)
        repair_afresh(&b);
    if (r.s.weighted < target && b.s.leg_of)
        take_if_better(m, &r.s, &b.s, keep, move_threshold);
    *s = r.s;
    if (b.s.leg_of)
        sol_free(&b.s);
    free(order);
}

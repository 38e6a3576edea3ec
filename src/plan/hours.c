/* hours.c — person-hours on small instances: each leg's load chosen again
 * by a knapsack.
 *
 * Among plans with the same weighted people, the one with fewer
 * person-hours sends the households that wait least: for a full leg the
 * hours are the seats times the departure minus the ready times of those on
 * it, so a later-ready household of the same weight takes the seat of an
 * earlier-ready one, and several small households the seat of a large one.
 * Pairwise swaps cannot see these exchanges. For one leg l at a time, the
 * households on l, the households left out and those on later legs are the
 * items of a 0/1 knapsack over l's seats and stretcher slots, worth
 * (weight, minus hours) lexicographically: an unplaced household brings its
 * weight and its hours on l, one on another leg only the hours it saves. The
 * best load replaces l's: those dropped are left out, those taken in leave
 * their leg (whose seats the next knapsacks can fill). A load is changed
 * only when it gains, so weighted people never drop and the search ends. */
#include "plan/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

/* weight and hours in one integer: weight first (hours are seconds x people) */
#define WEIGHT_SHIFT 36
#define HOURS_MAX    (INT64_C(1) << WEIGHT_SHIFT)

static int64_t wait_of(const struct pm_model *m, int h, int l)
{
    return (int64_t)(m->seats[h] + m->str[h]) *
           (m->in->legs[l].departs - m->in->households[h].ready);
}

/* The value of h on l relative to where it is now (0 when it should not
 * come: it is fixed, or it would lose hours). */
static int64_t item_value(const struct pm_model *m, const struct pm_sol *s, const int *fixed, int h,
                          int l)
{
    int from = s->leg_of[h];
    if ((fixed && fixed[h] >= 0) || !pm_can_take(m, (size_t)h, l))
        return 0;
    if (from < 0 || from == l)
        return ((int64_t)m->weight[h] << WEIGHT_SHIFT) - wait_of(m, h, l);
    return wait_of(m, h, from) - wait_of(m, h, l);
}

struct knap {
    int *item;
    int64_t *val, *dp;
    uint8_t *take; /* take[i * states + state] */
    size_t cap_item, cap_val, cap_take, cap_dp;
};

static void *grow(void *p, size_t *cap, size_t want, size_t size)
{
    if (want <= *cap)
        return p;
    *cap = want * 2;
    free(p);
    return xcalloc(*cap, size);
}

/* Chooses leg l's load again; returns true when it gained. *work counts
 * knapsack cells. */
static bool refill_leg(const struct pm_model *m, struct pm_sol *s, const int *fixed, int l,
                       struct knap *k, long long *work)
{
    int cs = s->seats_left[l], ct = s->str_left[l];
    int64_t now = 0;
    for (int i = 0; i < s->on_n[l]; i++) {
        int h = s->on_leg[l][i];
        if (fixed && fixed[h] >= 0)
            continue;
        cs += m->seats[h];
        ct += m->str[h];
        now += item_value(m, s, fixed, h, l);
    }
    if (cs < 0 || ct < 0 || cs + ct == 0)
        return false;
    k->item = grow(k->item, &k->cap_item, m->nh, sizeof *k->item);
    k->val = grow(k->val, &k->cap_val, m->nh, sizeof *k->val);
    int n = 0;
    int64_t spread = 0;
    for (size_t h = 0; h < m->nh; h++) {
        int64_t v = item_value(m, s, fixed, (int)h, l);
        if (v <= 0 || m->seats[h] > cs || m->str[h] > ct)
            continue;
        k->item[n] = (int)h;
        k->val[n++] = v;
        int64_t w = wait_of(m, (int)h, l);
        spread += w < 0 ? -w : w;
        if (s->leg_of[h] >= 0 && s->leg_of[h] != l) {
            w = wait_of(m, (int)h, s->leg_of[h]);
            spread += w < 0 ? -w : w;
        }
    }
    if (spread >= HOURS_MAX) /* the weights would not dominate */
        return false;
    size_t states = (size_t)(cs + 1) * (size_t)(ct + 1);
    k->dp = grow(k->dp, &k->cap_dp, states, sizeof *k->dp);
    k->take = grow(k->take, &k->cap_take, states * (size_t)n, 1);
    memset(k->dp, 0, states * sizeof *k->dp);
    for (int i = 0; i < n; i++) {
        int h = k->item[i], a = m->seats[h], b = m->str[h];
        uint8_t *tk = k->take + (size_t)i * states;
        memset(tk, 0, states);
        for (int t = ct; t >= b; t--)
            for (int c = cs; c >= a; c--) {
                size_t st = (size_t)t * (size_t)(cs + 1) + (size_t)c;
                size_t from = st - (size_t)b * (size_t)(cs + 1) - (size_t)a;
                if (k->dp[from] + k->val[i] > k->dp[st]) {
                    k->dp[st] = k->dp[from] + k->val[i];
                    tk[st] = 1;
                }
            }
    }
    *work += (long long)states * n;
    size_t st = states - 1;
    if (k->dp[st] <= now)
        return false;
    for (int i = s->on_n[l] - 1; i >= 0; i--) {
        int h = s->on_leg[l][i];
        if (!(fixed && fixed[h] >= 0))
            sol_take(s, m, h);
    }
    for (int i = n - 1; i >= 0; i--) {
        if (!k->take[(size_t)i * states + st])
            continue;
        int h = k->item[i];
        st -= (size_t)m->str[h] * (size_t)(cs + 1) + (size_t)m->seats[h];
        sol_take(s, m, h);
        sol_put(s, m, h, l);
    }
    return true;
}

long long refill_legs(const struct pm_model *m, struct pm_sol *s, const int *fixed,
                      long long budget)
{
    struct knap k = {0};
    long long work = 0;
    for (int pass = 0; pass < 20 && work < budget; pass++) {
        bool any = false;
        for (size_t l = 0; l < m->nl && work < budget; l++)
            if (!m->leg_closed[l] && refill_leg(m, s, fixed, (int)l, &k, &work))
                any = true;
        if (!any)
            break;
    }
    free(k.item), free(k.val), free(k.dp), free(k.take);
    return work;
}

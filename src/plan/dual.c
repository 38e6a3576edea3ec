/* dual.c — an upper bound from LP duality, for instances too big for the
 * exact flow bound within the time budget.
 *
 * For any seat prices pi_l >= 0 and stretcher-slot prices sigma_l >= 0,
 *
 *   D = sum_l (seats_l pi_l + stretchers_l sigma_l)
 *     + sum_h seats_h   * max(0, p_h - min_{l eligible} pi_l)
 *     + sum_h stretch_h * max(0, q_h - min_{l eligible} sigma_l)
 *
 * (p_h, q_h = weight per seat / per stretcher case) is the objective of a
 * feasible solution of the dual of the flow LP in bound.c, hence an upper
 * bound on weighted people. Prices start from the plan (a full leg costs the
 * lowest density aboard) and are lowered by projected subgradient steps. */
#include "plan/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

struct dual {
    const struct pm_model *m;
    const int *fixed;
    double *price[2]; /* seats, stretchers */
    double *cap[2];
    double *grad[2];
    double *sufmin; /* per chain slot: min price over legs[k..] */
    int *sufarg;
    int *chain_base;
};

/* Minimum price over h's eligible legs for one commodity (leg index in *arg). */
static double min_price(const struct dual *d, size_t h, int *arg)
{
    double best = INFINITY;
    *arg = -1;
    for (size_t e = d->m->ent_start[h]; e < d->m->ent_start[h + 1]; e++) {
        int slot = d->chain_base[d->m->ent[e].chain] + d->m->ent[e].pos;
        if (d->sufmin[slot] < best) {
            best = d->sufmin[slot];
            *arg = d->sufarg[slot];
        }
    }
    return best;
}

static void suffix_minima(struct dual *d, int c)
{
    const struct pm_model *m = d->m;
    for (int ch = 0; ch < m->n_chains; ch++) {
        const struct pm_chain *k = &m->chains[ch];
        double best = INFINITY;
        int arg = -1;
        for (int i = k->n - 1; i >= 0; i--) {
            int l = k->legs[i];
            /* a leg without stretcher slots can never take a stretcher case */
            double p = c == 1 && m->in->legs[l].stretchers == 0 ? INFINITY : d->price[c][l];
            if (p <= best) {
                best = p;
                arg = l;
            }
            d->sufmin[d->chain_base[ch] + i] = best;
            d->sufarg[d->chain_base[ch] + i] = arg;
        }
    }
}

/* D at the current prices; fills the subgradient. */
static double evaluate(struct dual *d)
{
    const struct pm_model *m = d->m;
    double total = 0;
    for (int c = 0; c < 2; c++) {
        suffix_minima(d, c);
        for (size_t l = 0; l < m->nl; l++) {
            total += d->cap[c][l] * d->price[c][l];
            d->grad[c][l] = d->cap[c][l];
        }
        for (size_t h = 0; h < m->nh; h++) {
            if (m->reason[h] != PLAN_ASSIGNED || (d->fixed && d->fixed[h] >= 0))
                continue;
            int units = c ? m->str[h] : m->seats[h];
            if (!units)
                continue;
            double p = (double)(c ? m->weight[h] - m->weight_seat[h] : m->weight_seat[h]) / units;
            int arg;
            double mp = min_price(d, h, &arg);
            if (p > mp && arg >= 0) {
                total += units * (p - mp);
                d->grad[c][arg] -= units;
            } else if (arg < 0) {
                total += units * p; /* no leg for this commodity: the part counts in full */
            }
        }
    }
    return total;
}

/* A leg's starting price is the best profit per seat among the households
 * left out that could have taken it (the best rejected bid): with those
 * prices nobody left out adds to D, and a household aboard adds only what it
 * gains over the price of its leg. */
static void initial_prices(struct dual *d, const struct pm_sol *plan)
{
    const struct pm_model *m = d->m;
    for (int c = 0; c < 2; c++) {
        memset(d->price[c], 0, m->nl * sizeof(double));
        if (!plan)
            continue;
        memset(d->sufmin, 0, (size_t)d->chain_base[m->n_chains] * sizeof(double));
        for (size_t h = 0; h < m->nh; h++) {
            int units = c ? m->str[h] : m->seats[h];
            if (plan->leg_of[h] >= 0 || m->reason[h] != PLAN_ASSIGNED || !units)
                continue;
            double p = (double)(c ? m->weight[h] - m->weight_seat[h] : m->weight_seat[h]) / units;
            for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++) {
                double *slot = &d->sufmin[d->chain_base[m->ent[e].chain] + m->ent[e].pos];
                *slot = fmax(*slot, p);
            }
        }
        for (int ch = 0; ch < m->n_chains; ch++) {
            double run = 0;
            for (int i = 0; i < m->chains[ch].n; i++) {
                int l = m->chains[ch].legs[i];
                run = fmax(run, d->sufmin[d->chain_base[ch] + i]);
                d->price[c][l] = fmax(d->price[c][l], run);
            }
        }
    }
}

double bound_dual(const struct pm_model *m, const int *fixed, const struct pm_sol *plan,
                  int max_iter)
{
    struct dual d = {m, fixed, {0}, {0}, {0}, NULL, NULL, NULL};
    d.chain_base = xcalloc((size_t)m->n_chains + 1, sizeof(int));
    for (int c = 0; c < m->n_chains; c++)
        d.chain_base[c + 1] = d.chain_base[c] + m->chains[c].n;
    d.sufmin = xcalloc((size_t)d.chain_base[m->n_chains] + 1, sizeof(double));
    d.sufarg = xcalloc((size_t)d.chain_base[m->n_chains] + 1, sizeof(int));
    for (int c = 0; c < 2; c++) {
        d.price[c] = xcalloc(m->nl, sizeof(double));
        d.cap[c] = xcalloc(m->nl, sizeof(double));
        d.grad[c] = xcalloc(m->nl, sizeof(double));
        for (size_t l = 0; l < m->nl; l++)
            d.cap[c][l] = m->leg_closed[l] ? 0
                          : c              ? m->in->legs[l].stretchers
                                           : m->in->legs[l].seats;
    }
    double fixed_w = 0;
    for (size_t h = 0; fixed && h < m->nh; h++)
        if (fixed[h] >= 0) {
            fixed_w += (double)m->weight[h];
            d.cap[0][fixed[h]] -= m->seats[h];
            d.cap[1][fixed[h]] -= m->str[h];
        }
    for (int c = 0; c < 2; c++)
        for (size_t l = 0; l < m->nl; l++)
            d.cap[c][l] = fmax(d.cap[c][l], 0);
    initial_prices(&d, plan);
    double primal = plan ? (double)plan->weighted - fixed_w : 0;
    double cur = evaluate(&d), best = cur, lambda = 1.0;
    int stall = 0;
    for (int it = 0; it < max_iter; it++) {
        double norm = 0;
        for (int c = 0; c < 2; c++)
            for (size_t l = 0; l < m->nl; l++)
                norm += d.grad[c][l] * d.grad[c][l];
        if (norm == 0 || best - primal < 1e-6 * (primal + 1) || lambda < 1e-4)
            break;
        double step = lambda * fmax(cur - primal, 1e-9) / norm;
        for (int c = 0; c < 2; c++)
            for (size_t l = 0; l < m->nl; l++)
                d.price[c][l] = fmax(0, d.price[c][l] - step * d.grad[c][l]);
        cur = evaluate(&d);
        if (cur < best - 1e-9) {
            best = cur;
            stall = 0;
        } else if (++stall >= 5) {
            lambda /= 2;
            stall = 0;
        }
    }
    for (int c = 0; c < 2; c++)
        free(d.price[c]), free(d.cap[c]), free(d.grad[c]);
    free(d.sufmin), free(d.sufarg), free(d.chain_base);
    return best + fixed_w;
}

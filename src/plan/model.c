/* model.c — the prepared model every solver works on.
 *
 * Eligibility is never stored pair by pair (2 M people x 20 k legs would not
 * fit). Households are grouped by "mask class" (the set of nationalities
 * among their members); for each assembly point and class the legs that
 * carry the class form a chain sorted by departure, and a household's
 * eligible legs are, for each point within reach, the suffix of that chain
 * from the first leg it can still make. */
#include "plan/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

double pm_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int household_class(struct pm_model *m, uint64_t mask, size_t *cap)
{
    for (int i = m->n_cls - 1; i >= 0; i--)
        if (m->cls_mask[i] == mask)
            return i;
    if ((size_t)m->n_cls == *cap) {
        *cap *= 2;
        m->cls_mask = realloc(m->cls_mask, *cap * sizeof *m->cls_mask);
        if (!m->cls_mask)
            abort();
    }
    m->cls_mask[m->n_cls] = mask;
    return m->n_cls++;
}

static void household_facts(struct pm_model *m)
{
    const struct plan_instance *in = m->in;
    size_t cap = 8;
    m->cls_mask = xcalloc(cap, sizeof *m->cls_mask);
    for (size_t h = 0; h < m->nh; h++) {
        const struct plan_household *hh = &in->households[h];
        uint64_t mask = 0;
        for (int i = 0; i < hh->n_members; i++) {
            const struct plan_member *mb = &in->members[hh->first_member + i];
            long w = in->settings.weights[mb->priority];
            mask |= 1ULL << mb->nationality;
            m->weight[h] += w;
            if (mb->stretcher) {
                m->str[h]++;
            } else {
                m->seats[h]++;
                m->weight_seat[h] += w;
            }
        }
        m->cls[h] = hh->n_members ? household_class(m, mask, &cap) : -1;
    }
}

static int by_departure(const void *a, const void *b, void *ctx)
{
    const struct plan_instance *in = ctx;
    const struct plan_leg *x = &in->legs[*(const int *)a], *y = &in->legs[*(const int *)b];
    if (x->departs != y->departs)
        return x->departs < y->departs ? -1 : 1;
    return *(const int *)a - *(const int *)b;
}

/* Builds chains; chain_of[p * n_cls + c] = chain index or -1. */
static int *build_chains(struct pm_model *m)
{
    const struct plan_instance *in = m->in;
    size_t np = in->n_points;
    int *order = xcalloc(m->nl, sizeof *order), n_open = 0;
    for (size_t l = 0; l < m->nl; l++)
        if (!m->leg_closed[l])
            order[n_open++] = (int)l;
    qsort_r(order, (size_t)n_open, sizeof *order, by_departure, (void *)in);
    int *chain_of = xcalloc(np * (size_t)m->n_cls, sizeof *chain_of);
    m->chains = xcalloc(np * (size_t)m->n_cls, sizeof *m->chains);
    for (size_t p = 0; p < np; p++)
        for (int c = 0; c < m->n_cls; c++) {
            struct pm_chain ch = {(int)p, c, 0, NULL, NULL, NULL, NULL};
            for (int k = 0; k < n_open; k++) {
                const struct plan_leg *lg = &in->legs[order[k]];
                if ((size_t)lg->point == p && (m->cls_mask[c] & ~lg->carries) == 0)
                    ch.n++;
            }
            chain_of[p * (size_t)m->n_cls + (size_t)c] = ch.n ? m->n_chains : -1;
            if (!ch.n)
                continue;
            ch.legs = xcalloc((size_t)ch.n, sizeof(int));
            ch.departs = xcalloc((size_t)ch.n, sizeof(int64_t));
            ch.suf_seats = xcalloc((size_t)ch.n, sizeof(int));
            ch.suf_str = xcalloc((size_t)ch.n, sizeof(int));
            int j = 0;
            for (int k = 0; k < n_open; k++) {
                const struct plan_leg *lg = &in->legs[order[k]];
                if ((size_t)lg->point == p && (m->cls_mask[c] & ~lg->carries) == 0) {
                    ch.legs[j] = order[k];
                    ch.departs[j++] = lg->departs;
                }
            }
            for (int k = ch.n - 1; k >= 0; k--) {
                const struct plan_leg *lg = &in->legs[ch.legs[k]];
                int s = k + 1 < ch.n ? ch.suf_seats[k + 1] : 0;
                int t = k + 1 < ch.n ? ch.suf_str[k + 1] : 0;
                ch.suf_seats[k] = lg->seats > s ? lg->seats : s;
                ch.suf_str[k] = lg->stretchers > t ? lg->stretchers : t;
            }
            m->chains[m->n_chains++] = ch;
        }
    free(order);
    return chain_of;
}

static int first_at_or_after(const struct pm_chain *ch, double t)
{
    int lo = 0, hi = ch->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if ((double)ch->departs[mid] >= t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Whether some leg among h's entries holds both its seats and stretchers. */
static bool fits_somewhere(const struct pm_model *m, size_t h)
{
    for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++) {
        const struct pm_chain *ch = &m->chains[m->ent[e].chain];
        int k = m->ent[e].pos;
        if (ch->suf_seats[k] < m->seats[h] || ch->suf_str[k] < m->str[h])
            continue;
        if (m->str[h] == 0)
            return true;
        for (; k < ch->n; k++) {
            const struct plan_leg *lg = &m->in->legs[ch->legs[k]];
            if (lg->seats >= m->seats[h] && lg->stretchers >= m->str[h])
                return true;
        }
    }
    return false;
}

static void build_entries(struct pm_model *m, const int *chain_of)
{
    const struct plan_instance *in = m->in;
    size_t np = in->n_points, cap = m->nh * 4 + 16, n = 0;
    m->ent = xcalloc(cap, sizeof *m->ent);
    for (size_t h = 0; h < m->nh; h++) {
        m->ent_start[h] = n;
        if (m->cls[h] < 0) {
            m->reason[h] = PLAN_NO_MEMBERS;
            continue;
        }
        const struct plan_household *hh = &in->households[h];
        double reach = hh->reach_km >= 0 ? hh->reach_km : in->settings.reach_km;
        bool any_chain = false, any_reach = false;
        for (size_t p = 0; p < np; p++) {
            int c = chain_of[p * (size_t)m->n_cls + (size_t)m->cls[h]];
            if (c < 0)
                continue;
            any_chain = true;
            if (fabs(in->points[p].lat - hh->lat) * 111.0 > reach)
                continue; /* cheap pre-filter: one degree of latitude is >= 110.5 km */
            double t = pm_earliest(in, h, p);
            if (isinf(t))
                continue;
            any_reach = true;
            int pos = first_at_or_after(&m->chains[c], t);
            if (pos == m->chains[c].n)
                continue;
            if (n == cap) {
                cap *= 2;
                m->ent = realloc(m->ent, cap * sizeof *m->ent);
                if (!m->ent)
                    abort();
            }
            m->ent[n++] = (struct pm_entry){c, pos};
        }
        m->ent_start[h + 1] = n;
        if (!any_chain)
            m->reason[h] = PLAN_NATIONALITY;
        else if (!any_reach)
            m->reason[h] = PLAN_OUT_OF_REACH;
        else if (m->ent_start[h] == n)
            m->reason[h] = PLAN_TOO_LATE;
        else if (!fits_somewhere(m, h))
            m->reason[h] = PLAN_TOO_LARGE;
        else
            m->reason[h] = PLAN_ASSIGNED;
    }
    m->ent_start[m->nh] = n;
}

int pm_build(struct pm_model *m, const struct plan_instance *in, struct muster_err *err)
{
    memset(m, 0, sizeof *m);
    if (in->settings.road_kmh <= 0)
        return err_set(err, MUSTER_EINVAL, "settings.road_kmh must be positive");
    m->in = in;
    m->nh = in->n_households;
    m->nl = in->n_legs;
    m->weight = xcalloc(m->nh, sizeof *m->weight);
    m->weight_seat = xcalloc(m->nh, sizeof *m->weight_seat);
    m->seats = xcalloc(m->nh, sizeof *m->seats);
    m->str = xcalloc(m->nh, sizeof *m->str);
    m->cls = xcalloc(m->nh, sizeof *m->cls);
    m->reason = xcalloc(m->nh, sizeof *m->reason);
    m->ent_start = xcalloc(m->nh + 1, sizeof *m->ent_start);
    m->leg_closed = xcalloc(m->nl, sizeof *m->leg_closed);
    for (size_t l = 0; l < m->nl; l++)
        m->leg_closed[l] = in->legs[l].cancelled;
    household_facts(m);
    int *chain_of = build_chains(m);
    build_entries(m, chain_of);
    m->chain_of = chain_of;
    m->legpos = xcalloc(m->nl * (size_t)(m->n_cls ? m->n_cls : 1), sizeof(int));
    for (size_t i = 0; i < m->nl * (size_t)m->n_cls; i++)
        m->legpos[i] = -1;
    for (int c = 0; c < m->n_chains; c++)
        for (int k = 0; k < m->chains[c].n; k++)
            m->legpos[(size_t)m->chains[c].legs[k] * (size_t)m->n_cls + (size_t)m->chains[c].cls] =
                k;
    return 0;
}

void pm_free(struct pm_model *m)
{
    for (int c = 0; c < m->n_chains; c++) {
        free(m->chains[c].legs);
        free(m->chains[c].departs);
        free(m->chains[c].suf_seats);
        free(m->chains[c].suf_str);
    }
    free(m->chains);
    free(m->weight);
    free(m->weight_seat);
    free(m->seats);
    free(m->str);
    free(m->cls);
    free(m->cls_mask);
    free(m->reason);
    free(m->ent_start);
    free(m->ent);
    free(m->leg_closed);
    free(m->chain_of);
    free(m->legpos);
    memset(m, 0, sizeof *m);
}

bool pm_can_take(const struct pm_model *m, size_t h, int l)
{
    if (m->cls[h] < 0 || m->leg_closed[l])
        return false;
    size_t nc = (size_t)m->n_cls;
    int pos = m->legpos[(size_t)l * nc + (size_t)m->cls[h]];
    if (pos < 0)
        return false;
    int c = m->chain_of[(size_t)m->in->legs[l].point * nc + (size_t)m->cls[h]];
    for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++)
        if (m->ent[e].chain == c)
            return m->ent[e].pos <= pos;
    return false;
}

/* --- the working assignment ------------------------------------------------ */

void sol_init(struct pm_sol *s, const struct pm_model *m)
{
    s->leg_of = xcalloc(m->nh, sizeof *s->leg_of);
    for (size_t h = 0; h < m->nh; h++)
        s->leg_of[h] = -1;
    s->seats_left = xcalloc(m->nl, sizeof *s->seats_left);
    s->str_left = xcalloc(m->nl, sizeof *s->str_left);
    for (size_t l = 0; l < m->nl; l++) {
        s->seats_left[l] = m->in->legs[l].seats;
        s->str_left[l] = m->in->legs[l].stretchers;
    }
    s->on_leg = xcalloc(m->nl, sizeof *s->on_leg);
    s->on_n = xcalloc(m->nl, sizeof *s->on_n);
    s->on_cap = xcalloc(m->nl, sizeof *s->on_cap);
    s->weighted = 0;
    s->nl = m->nl;
}

void sol_free(struct pm_sol *s)
{
    if (s->on_leg)
        for (size_t l = 0; l < s->nl; l++)
            free(s->on_leg[l]);
    free(s->on_leg);
    free(s->leg_of);
    free(s->seats_left);
    free(s->str_left);
    free(s->on_n);
    free(s->on_cap);
    memset(s, 0, sizeof *s);
}

void sol_copy(struct pm_sol *dst, const struct pm_sol *src, const struct pm_model *m)
{
    sol_free(dst);
    sol_init(dst, m);
    for (size_t h = 0; h < m->nh; h++)
        if (src->leg_of[h] >= 0)
            sol_put(dst, m, (int)h, src->leg_of[h]);
}

bool sol_fits(const struct pm_sol *s, const struct pm_model *m, int h, int l)
{
    return s->seats_left[l] >= m->seats[h] && s->str_left[l] >= m->str[h];
}

void sol_put(struct pm_sol *s, const struct pm_model *m, int h, int l)
{
    s->leg_of[h] = l;
    s->seats_left[l] -= m->seats[h];
    s->str_left[l] -= m->str[h];
    s->weighted += m->weight[h];
    if (s->on_n[l] == s->on_cap[l]) {
        s->on_cap[l] = s->on_cap[l] ? s->on_cap[l] * 2 : 8;
        s->on_leg[l] = realloc(s->on_leg[l], (size_t)s->on_cap[l] * sizeof(int));
        if (!s->on_leg[l])
            abort();
    }
    s->on_leg[l][s->on_n[l]++] = h;
}

void sol_take(struct pm_sol *s, const struct pm_model *m, int h)
{
    int l = s->leg_of[h];
    if (l < 0)
        return;
    s->leg_of[h] = -1;
    s->seats_left[l] += m->seats[h];
    s->str_left[l] += m->str[h];
    s->weighted -= m->weight[h];
    for (int i = 0; i < s->on_n[l]; i++)
        if (s->on_leg[l][i] == h) {
            s->on_leg[l][i] = s->on_leg[l][--s->on_n[l]];
            break;
        }
}

/* exact.c — the MIP: GLPK for the exact mode, and the CPLEX LP export.
 *
 * Identical households (same eligible legs, seats, stretcher cases, weight
 * and, for the exact mode, ready time) are aggregated: one general-integer
 * column x[g,l] <= n_g per group and eligible leg, which is exact for both
 * objectives and far smaller than one binary per household and leg.
 *
 *   max  sum W_g x[g,l]                       (stage 1: weighted people)
 *   s.t. sum_l x[g,l] <= n_g                  (each household at most once)
 *        sum_g seats_g x[g,l] <= seats_l      (seats)
 *        sum_g str_g x[g,l] <= stretchers_l   (stretcher slots)
 *   stage 2: add sum W_g x >= W*, minimise sum x (seats+str)(dep_l - ready_g) */
#include "plan/internal.h"

#include <glpk.h>
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

struct agg {
    int n_groups;
    int *group_of; /* per household, -1 = not in the MIP */
    int *rep, *count;
    int n_cols;
    int *col_group, *col_leg;
    int *col_start; /* columns of group g: col_start[g] .. col_start[g+1] */
};

static uint64_t group_hash(const struct pm_model *m, size_t h, bool by_ready)
{
    uint64_t x = 1469598103934665603ULL;
    uint64_t f[4] = {(uint64_t)m->seats[h], (uint64_t)m->str[h], (uint64_t)m->weight[h],
                     by_ready ? (uint64_t)m->in->households[h].ready : 0};
    for (int i = 0; i < 4; i++)
        x = (x ^ f[i]) * 1099511628211ULL;
    for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++)
        x = (x ^ ((uint64_t)m->ent[e].chain << 32 | (uint32_t)m->ent[e].pos)) * 1099511628211ULL;
    return x;
}

static bool same_group(const struct pm_model *m, size_t a, size_t b, bool by_ready)
{
    size_t na = m->ent_start[a + 1] - m->ent_start[a], nb = m->ent_start[b + 1] - m->ent_start[b];
    return m->seats[a] == m->seats[b] && m->str[a] == m->str[b] && m->weight[a] == m->weight[b] &&
           (!by_ready || m->in->households[a].ready == m->in->households[b].ready) && na == nb &&
           memcmp(&m->ent[m->ent_start[a]], &m->ent[m->ent_start[b]], na * sizeof *m->ent) == 0;
}

static void aggregate(const struct pm_model *m, const int *fixed, bool by_ready, struct agg *a)
{
    memset(a, 0, sizeof *a);
    size_t cap = 64;
    while (cap < m->nh * 2)
        cap *= 2;
    int *table = xcalloc(cap, sizeof *table);
    a->group_of = xcalloc(m->nh, sizeof(int));
    a->rep = xcalloc(m->nh, sizeof(int));
    a->count = xcalloc(m->nh, sizeof(int));
    for (size_t h = 0; h < m->nh; h++) {
        a->group_of[h] = -1;
        if (m->reason[h] != PLAN_ASSIGNED || (fixed && fixed[h] >= 0))
            continue;
        size_t i = group_hash(m, h, by_ready) & (cap - 1);
        while (table[i] && !same_group(m, (size_t)a->rep[table[i] - 1], h, by_ready))
            i = (i + 1) & (cap - 1);
        if (!table[i]) {
            a->rep[a->n_groups] = (int)h;
            table[i] = ++a->n_groups;
        }
        a->group_of[h] = table[i] - 1;
        a->count[table[i] - 1]++;
    }
    free(table);
    size_t ccap = 1024;
    a->col_group = xcalloc(ccap, sizeof(int));
    a->col_leg = xcalloc(ccap, sizeof(int));
    a->col_start = xcalloc((size_t)a->n_groups + 1, sizeof(int));
    for (int g = 0; g < a->n_groups; g++) {
        a->col_start[g] = a->n_cols;
        size_t h = (size_t)a->rep[g];
        for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++) {
            const struct pm_chain *ch = &m->chains[m->ent[e].chain];
            for (int k = m->ent[e].pos; k < ch->n; k++) {
                const struct plan_leg *lg = &m->in->legs[ch->legs[k]];
                if (lg->seats < m->seats[h] || lg->stretchers < m->str[h])
                    continue;
                if ((size_t)a->n_cols == ccap) {
                    ccap *= 2;
                    a->col_group = realloc(a->col_group, ccap * sizeof(int));
                    a->col_leg = realloc(a->col_leg, ccap * sizeof(int));
                    if (!a->col_group || !a->col_leg)
                        abort();
                }
                a->col_group[a->n_cols] = g;
                a->col_leg[a->n_cols++] = ch->legs[k];
            }
        }
    }
    a->col_start[a->n_groups] = a->n_cols;
}

static void agg_free(struct agg *a)
{
    free(a->group_of);
    free(a->rep);
    free(a->count);
    free(a->col_group);
    free(a->col_leg);
    free(a->col_start);
}

/* Capacity left on each leg once the fixed households sit on it. */
static void capacity_left(const struct pm_model *m, const int *fixed, int *seats, int *str)
{
    for (size_t l = 0; l < m->nl; l++) {
        seats[l] = m->in->legs[l].seats;
        str[l] = m->in->legs[l].stretchers;
    }
    for (size_t h = 0; fixed && h < m->nh; h++)
        if (fixed[h] >= 0) {
            seats[fixed[h]] -= m->seats[h];
            str[fixed[h]] -= m->str[h];
        }
    for (size_t l = 0; l < m->nl; l++) {
        seats[l] = seats[l] < 0 ? 0 : seats[l];
        str[l] = str[l] < 0 ? 0 : str[l];
    }
}

/* --- GLPK ------------------------------------------------------------------ */

struct cb_data {
    double *start;  /* 1-based column values, or NULL */
    int node_limit; /* > 0: stop after this many branch-and-bound nodes */
    double best_bound;
    bool have_bound;
    bool stopped; /* stage 1 skipped: the start already reaches the LP bound */
};

static void callback(glp_tree *t, void *info)
{
    struct cb_data *d = info;
    int r = glp_ios_reason(t);
    if (r == GLP_IHEUR && d->start && glp_ios_curr_node(t) == 1)
        glp_ios_heur_sol(t, d->start);
    if (d->node_limit > 0 && r == GLP_ISELECT) {
        int active, alive, total;
        glp_ios_tree_size(t, &active, &alive, &total);
        if (total > d->node_limit)
            glp_ios_terminate(t);
    }
    int best = glp_ios_best_node(t);
    if (best) {
        d->best_bound = glp_ios_node_bound(t, best);
        d->have_bound = true;
    }
}

static glp_prob *build_mip(const struct pm_model *m, const struct agg *a, const int *seats,
                           const int *str)
{
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    int rows = a->n_groups + 2 * (int)m->nl;
    glp_add_rows(lp, rows);
    for (int g = 0; g < a->n_groups; g++)
        glp_set_row_bnds(lp, g + 1, GLP_UP, 0, a->count[g]);
    for (size_t l = 0; l < m->nl; l++) {
        glp_set_row_bnds(lp, a->n_groups + 1 + 2 * (int)l, GLP_UP, 0, seats[l]);
        glp_set_row_bnds(lp, a->n_groups + 2 + 2 * (int)l, GLP_UP, 0, str[l]);
    }
    if (a->n_cols)
        glp_add_cols(lp, a->n_cols);
    int *ia = xcalloc(3 * (size_t)a->n_cols + 1, sizeof(int));
    int *ja = xcalloc(3 * (size_t)a->n_cols + 1, sizeof(int));
    double *ar = xcalloc(3 * (size_t)a->n_cols + 1, sizeof(double));
    int nz = 0;
    for (int j = 0; j < a->n_cols; j++) {
        int g = a->col_group[j], l = a->col_leg[j], h = a->rep[g];
        glp_set_col_kind(lp, j + 1, GLP_IV);
        glp_set_col_bnds(lp, j + 1, GLP_DB, 0, a->count[g]);
        glp_set_obj_coef(lp, j + 1, (double)m->weight[h]);
        ++nz, ia[nz] = g + 1, ja[nz] = j + 1, ar[nz] = 1;
        ++nz, ia[nz] = a->n_groups + 1 + 2 * l, ja[nz] = j + 1, ar[nz] = m->seats[h];
        if (m->str[h])
            ++nz, ia[nz] = a->n_groups + 2 + 2 * l, ja[nz] = j + 1, ar[nz] = m->str[h];
    }
    glp_load_matrix(lp, nz, ia, ja, ar);
    free(ia), free(ja), free(ar);
    return lp;
}

static int run_mip(glp_prob *lp, struct cb_data *cb, double seconds, bool *optimal)
{
    glp_iocp p;
    glp_init_iocp(&p);
    p.msg_lev = GLP_MSG_OFF;
    p.presolve = GLP_ON;
    p.mir_cuts = GLP_ON;
    /* no cover cuts: GLPK 5.0's glp_cov_init aborts on an empty problem */
    p.gmi_cuts = GLP_ON;
    /* proximity search improves the heuristic's plan, but GLPK bounds it by
     * time only: the exact mode uses it, the node-limited polish does not */
    p.ps_heur = cb->node_limit > 0 ? GLP_OFF : GLP_ON;
    p.ps_tm_lim = seconds > 0 ? (int)(seconds * 500) + 1 : 60000;
    p.cb_func = callback;
    p.cb_info = cb;
    if (seconds > 0)
        p.tm_lim = seconds * 1000 > 1 ? (int)(seconds * 1000) : 1;
    int rc = glp_intopt(lp, &p);
    int st = glp_mip_status(lp);
    *optimal = rc == 0 && st == GLP_OPT;
    return st == GLP_OPT || st == GLP_FEAS ? 0 : -1;
}

/* Weighted people of column values x (1-based), or -1 when x breaks a row:
 * a guard on what GLPK hands back. */
static double feasible_weight(const struct pm_model *m, const struct agg *a, const int *seats,
                              const int *str, const double *x)
{
    long *used = xcalloc(2 * m->nl + 1, sizeof(long));
    double w = 0;
    bool ok = true;
    for (int g = 0; g < a->n_groups && ok; g++) {
        double n = 0;
        for (int j = a->col_start[g]; j < a->col_start[g + 1]; j++) {
            int h = a->rep[g], l = a->col_leg[j];
            if (x[j + 1] < 0)
                ok = false;
            n += x[j + 1];
            used[2 * l] += (long)x[j + 1] * m->seats[h];
            used[2 * l + 1] += (long)x[j + 1] * m->str[h];
            w += x[j + 1] * (double)m->weight[h];
        }
        ok = ok && n <= a->count[g];
    }
    for (size_t l = 0; l < m->nl && ok; l++)
        ok = used[2 * l] <= seats[l] && used[2 * l + 1] <= str[l];
    free(used);
    return ok ? w : -1;
}

/* Column values of an assignment (1-based). */
static double *start_values(const struct pm_model *m, const struct agg *a, const int *leg_of)
{
    double *x = xcalloc((size_t)a->n_cols + 1, sizeof(double));
    for (size_t h = 0; leg_of && h < m->nh; h++) {
        int g = a->group_of[h];
        if (g < 0 || leg_of[h] < 0)
            continue;
        for (int j = a->col_start[g]; j < a->col_start[g + 1]; j++)
            if (a->col_leg[j] == leg_of[h]) {
                x[j + 1] += 1;
                break;
            }
    }
    return x;
}

static void second_stage(const struct pm_model *m, const struct agg *a, glp_prob *lp, double wstar)
{
    int r = glp_add_rows(lp, 1);
    int *ind = xcalloc((size_t)a->n_cols + 1, sizeof(int));
    double *val = xcalloc((size_t)a->n_cols + 1, sizeof(double));
    for (int j = 0; j < a->n_cols; j++) {
        int h = a->rep[a->col_group[j]];
        ind[j + 1] = j + 1;
        val[j + 1] = (double)m->weight[h];
        double hours =
            (double)(m->in->legs[a->col_leg[j]].departs - m->in->households[h].ready) / 3600.0;
        glp_set_obj_coef(lp, j + 1, (m->seats[h] + m->str[h]) * hours);
    }
    glp_set_mat_row(lp, r, a->n_cols, ind, val);
    glp_set_row_bnds(lp, r, GLP_LO, wstar - 0.5, 0);
    glp_set_obj_dir(lp, GLP_MIN);
    free(ind), free(val);
}

int exact_solve(const struct pm_model *m, const int *fixed, const int *start, double time_limit,
                int node_limit, double lp_bound, bool stage2, int *leg_of, bool *optimal,
                double *mip_bound, struct muster_err *err)
{
    struct agg a;
    aggregate(m, fixed, true, &a);
    int *seats = xcalloc(m->nl, sizeof(int)), *str = xcalloc(m->nl, sizeof(int));
    capacity_left(m, fixed, seats, str);
    glp_term_out(GLP_OFF);
    glp_prob *lp = a.n_cols ? build_mip(m, &a, seats, str) : NULL; /* GLPK aborts on 0 rows */
    double t0 = pm_now();
    double fixed_w = 0;
    for (size_t h = 0; fixed && h < m->nh; h++)
        if (fixed[h] >= 0)
            fixed_w += (double)m->weight[h];
    struct cb_data cb = {start_values(m, &a, start), node_limit, 0, false, false};
    bool opt1 = false, opt2 = false;
    double w_start = 0;
    for (int j = 0; j < a.n_cols; j++)
        w_start += (double)m->weight[a.rep[a.col_group[j]]] * cb.start[j + 1];
    int rc = 0;
    if (a.n_cols && w_start >= floor(lp_bound + 1e-6) - fixed_w - 0.5) {
        opt1 = cb.stopped = true; /* the start meets the LP bound: optimal */
    } else if (a.n_cols) {
        rc = run_mip(lp, &cb, time_limit * (stage2 ? 0.8 : 1.0), &opt1);
    }
    if (rc == 0 && a.n_cols) {
        /* the incumbent: GLPK's columns (checked), or our start when stage 1
         * was skipped or GLPK's columns are no better */
        double w_read = -1;
        double *read = xcalloc((size_t)a.n_cols + 1, sizeof(double));
        if (!cb.stopped) {
            for (int j = 0; j < a.n_cols; j++)
                read[j + 1] = round(glp_mip_col_val(lp, j + 1));
            w_read = feasible_weight(m, &a, seats, str, read);
        }
        if (w_read >= w_start)
            memcpy(cb.start, read, ((size_t)a.n_cols + 1) * sizeof(double));
        free(read);
        double wstar = fmax(w_read, w_start);
        *mip_bound = (opt1            ? wstar
                      : cb.have_bound ? floor(cb.best_bound + 1e-6)
                                      : INFINITY) +
                     fixed_w;
        cb.have_bound = false;
        double *keep = xcalloc((size_t)a.n_cols + 1, sizeof(double));
        memcpy(keep, cb.start, ((size_t)a.n_cols + 1) * sizeof(double));
        opt2 = true;
        if (stage2) {
            second_stage(m, &a, lp, wstar);
            double left = time_limit > 0 ? time_limit - (pm_now() - t0) : 0;
            if (time_limit > 0 && left < 0.05)
                left = 0.05;
            if (run_mip(lp, &cb, left, &opt2) != 0)
                opt2 = false;
            int st = glp_mip_status(lp);
            double *read2 = xcalloc((size_t)a.n_cols + 1, sizeof(double));
            for (int j = 0; j < a.n_cols; j++)
                read2[j + 1] = round(glp_mip_col_val(lp, j + 1));
            if ((st == GLP_OPT || st == GLP_FEAS) &&
                feasible_weight(m, &a, seats, str, read2) >= wstar - 0.5)
                memcpy(keep, read2, ((size_t)a.n_cols + 1) * sizeof(double));
            else
                opt2 = false;
            free(read2);
        }
        /* hand households of each group to legs by the column counts */
        int *next = xcalloc((size_t)a.n_groups, sizeof(int));
        int *col_left = xcalloc((size_t)a.n_cols, sizeof(int));
        for (int j = 0; j < a.n_cols; j++)
            col_left[j] = (int)keep[j + 1];
        for (size_t h = 0; h < m->nh; h++) {
            leg_of[h] = fixed && fixed[h] >= 0 ? fixed[h] : -1;
            int g = a.group_of[h];
            if (g < 0)
                continue;
            for (int j = a.col_start[g] + next[g]; j < a.col_start[g + 1]; j++) {
                if (col_left[j] > 0) {
                    col_left[j]--;
                    leg_of[h] = a.col_leg[j];
                    next[g] = j - a.col_start[g];
                    break;
                }
            }
        }
        free(next), free(col_left), free(keep);
    } else if (rc == 0) {
        *mip_bound = fixed_w;
        opt1 = opt2 = true;
        for (size_t h = 0; h < m->nh; h++)
            leg_of[h] = fixed && fixed[h] >= 0 ? fixed[h] : -1;
    }
    *optimal = opt1 && opt2;
    free(cb.start);
    if (lp)
        glp_delete_prob(lp);
    free(seats), free(str);
    agg_free(&a);
    if (rc != 0)
        return err_set(err, MUSTER_EINVAL, "GLPK found no integer solution in the time limit");
    return 0;
}

/* --- CPLEX LP export -------------------------------------------------------- */

static void lp_terms(struct buf *b, int *on_line)
{
    if (++*on_line >= 8) {
        buf_puts(b, "\n   ");
        *on_line = 0;
    }
}

void plan_export_lp(const struct plan_instance *in, struct buf *b)
{
    struct pm_model m;
    if (pm_build(&m, in, NULL) < 0)
        return;
    int *fixed = xcalloc(m.nh, sizeof(int));
    for (size_t h = 0; h < m.nh; h++) {
        const struct plan_household *hh = &in->households[h];
        fixed[h] = hh->current_state == PLAN_PINNED && hh->current_leg >= 0 &&
                           !in->legs[hh->current_leg].cancelled
                       ? hh->current_leg
                       : -1;
    }
    struct agg a;
    aggregate(&m, fixed, false, &a);
    int *seats = xcalloc(m.nl, sizeof(int)), *str = xcalloc(m.nl, sizeof(int));
    capacity_left(&m, fixed, seats, str);
    buf_printf(b,
               "\\ muster plan: %zu households, %zu legs; %d groups, %d columns\n"
               "\\ maximise priority-weighted people (pinned households excluded)\n"
               "Maximize\n obj:",
               m.nh, m.nl, a.n_groups, a.n_cols);
    int on_line = 0;
    for (int j = 0; j < a.n_cols; j++) {
        buf_printf(b, " + %ld x%d", m.weight[a.rep[a.col_group[j]]], j);
        lp_terms(b, &on_line);
    }
    if (!a.n_cols)
        buf_puts(b, " 0 x0");
    buf_puts(b, "\nSubject To\n");
    /* one pass per row family; columns of a group are contiguous */
    for (int g = 0, j = 0; g < a.n_groups; g++) {
        buf_printf(b, " g%d:", g);
        on_line = 0;
        int first = j;
        for (; j < a.n_cols && a.col_group[j] == g; j++) {
            buf_printf(b, " + x%d", j);
            lp_terms(b, &on_line);
        }
        if (j == first)
            buf_puts(b, " 0 x0");
        buf_printf(b, " <= %d\n", a.count[g]);
    }
    int *head = xcalloc(m.nl, sizeof(int)), *nxt = xcalloc((size_t)a.n_cols + 1, sizeof(int));
    for (size_t l = 0; l < m.nl; l++)
        head[l] = -1;
    for (int j = a.n_cols - 1; j >= 0; j--) {
        nxt[j] = head[a.col_leg[j]];
        head[a.col_leg[j]] = j;
    }
    for (size_t l = 0; l < m.nl; l++) {
        if (head[l] < 0)
            continue;
        for (int s = 0; s < 2; s++) {
            bool any_term = false;
            for (int j = head[l]; j >= 0; j = nxt[j])
                any_term |= (s ? m.str : m.seats)[a.rep[a.col_group[j]]] > 0;
            if (!any_term)
                continue;
            buf_printf(b, " %s%zu:", s ? "t" : "s", l);
            on_line = 0;
            for (int j = head[l]; j >= 0; j = nxt[j]) {
                int c = (s ? m.str : m.seats)[a.rep[a.col_group[j]]];
                if (c > 0) {
                    buf_printf(b, " + %d x%d", c, j);
                    lp_terms(b, &on_line);
                }
            }
            buf_printf(b, " <= %d\n", s ? str[l] : seats[l]);
        }
    }
    buf_puts(b, "Bounds\n");
    for (int j = 0; j < a.n_cols; j++)
        buf_printf(b, " 0 <= x%d <= %d\n", j, a.count[a.col_group[j]]);
    if (!a.n_cols)
        buf_puts(b, " x0 = 0\n");
    buf_puts(b, "General\n");
    on_line = 0;
    for (int j = 0; j < a.n_cols; j++) {
        buf_printf(b, " x%d", j);
        lp_terms(b, &on_line);
    }
    if (!a.n_cols)
        buf_puts(b, " x0");
    buf_puts(b, "\nEnd\n");
    free(head), free(nxt), free(seats), free(str), free(fixed);
    agg_free(&a);
    pm_free(&m);
}

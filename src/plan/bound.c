/* bound.c — the LP upper bound as a flow.
 *
 * Relax "the household travels whole" to "people may split": the LP becomes
 * a transportation problem in people. The network (compact, as in
 * research/allocation.md §1.5):
 *
 *   S -> hub           one arc per (hub, profit per person), cap = people
 *   hub -> slot        the first slot the hub's households can make, per point
 *   slot_k -> slot_k+1 waiting for a later leg on the same chain
 *   slot_k -> leg      boarding
 *   leg -> T           cap = seats (stretcher legs: cap = stretcher slots)
 *
 * A hub is a set of households with the same entries (same eligible legs).
 * Stretcher cases flow in a second copy of the slot chains into the legs'
 * stretcher nodes, apart from their family: a further relaxation, still an
 * upper bound. Profits sit on source arcs only, so the reachable supply
 * vectors form a polymatroid and the greedy rule is exact: raise each source
 * arc as far as it goes, in descending profit, never lowering earlier ones.
 * Each raise is a max flow (Dinic). */
#include "plan/internal.h"

#include <stdlib.h>
#include <string.h>

#define INF_CAP ((int64_t)1 << 60)

struct net {
    int n, m, cap_m;
    int *head, *next, *to;
    int64_t *cap; /* residual; arc a's reverse is a ^ 1 */
    int *level, *iter, *queue;
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

static int net_arc(struct net *g, int u, int v, int64_t cap)
{
    if (g->m + 2 > g->cap_m) {
        g->cap_m = g->cap_m ? g->cap_m * 2 : 1024;
        g->next = realloc(g->next, (size_t)g->cap_m * sizeof(int));
        g->to = realloc(g->to, (size_t)g->cap_m * sizeof(int));
        g->cap = realloc(g->cap, (size_t)g->cap_m * sizeof(int64_t));
        if (!g->next || !g->to || !g->cap)
            abort();
    }
    int a = g->m;
    g->to[a] = v, g->cap[a] = cap, g->next[a] = g->head[u], g->head[u] = a;
    g->to[a + 1] = u, g->cap[a + 1] = 0, g->next[a + 1] = g->head[v], g->head[v] = a + 1;
    g->m += 2;
    return a;
}

static bool net_bfs(struct net *g, int s, int t)
{
    for (int i = 0; i < g->n; i++)
        g->level[i] = -1;
    int qh = 0, qt = 0;
    g->level[s] = 0;
    g->queue[qt++] = s;
    while (qh < qt) {
        int u = g->queue[qh++];
        if (g->level[t] >= 0 && g->level[u] >= g->level[t])
            break; /* nodes this deep cannot lie on a shortest path to t */
        for (int a = g->head[u]; a >= 0; a = g->next[a])
            if (g->cap[a] > 0 && g->level[g->to[a]] < 0) {
                g->level[g->to[a]] = g->level[u] + 1;
                g->queue[qt++] = g->to[a];
            }
    }
    return g->level[t] >= 0;
}

static int64_t net_dfs(struct net *g, int u, int t, int64_t f)
{
    if (u == t)
        return f;
    for (; g->iter[u] >= 0; g->iter[u] = g->next[g->iter[u]]) {
        int a = g->iter[u], v = g->to[a];
        if (g->cap[a] <= 0 || g->level[v] != g->level[u] + 1)
            continue;
        int64_t d = net_dfs(g, v, t, f < g->cap[a] ? f : g->cap[a]);
        if (d > 0) {
            g->cap[a] -= d;
            g->cap[a ^ 1] += d;
            return d;
        }
    }
    return 0;
}

static void net_maxflow(struct net *g, int s, int t)
{
    while (net_bfs(g, s, t)) {
        memcpy(g->iter, g->head, (size_t)g->n * sizeof(int));
        while (net_dfs(g, s, t, INF_CAP) > 0)
            ;
    }
}

/* A source arc before it is built: households of one hub and one profit. */
struct item {
    int hub;
    long num; /* profit per person = num / den */
    int den;
    int64_t units;
    int commodity; /* 0 seats, 1 stretchers */
    int group;     /* index after merging */
};

static int by_hub_profit(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->hub != y->hub)
        return x->hub < y->hub ? -1 : 1;
    long l = x->num * y->den, r = y->num * x->den;
    if (l != r)
        return l > r ? -1 : 1;
    return 0;
}

static uint64_t entries_hash(const struct pm_model *m, size_t h)
{
    uint64_t x = 1469598103934665603ULL;
    for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++) {
        x = (x ^ (uint64_t)m->ent[e].chain) * 1099511628211ULL;
        x = (x ^ (uint64_t)m->ent[e].pos) * 1099511628211ULL;
    }
    return x;
}

static bool same_entries(const struct pm_model *m, size_t a, size_t b)
{
    size_t na = m->ent_start[a + 1] - m->ent_start[a], nb = m->ent_start[b + 1] - m->ent_start[b];
    return na == nb &&
           memcmp(&m->ent[m->ent_start[a]], &m->ent[m->ent_start[b]], na * sizeof *m->ent) == 0;
}

/* hub_of[h] for every household that may travel; returns the hub count and
 * a representative household per hub in *rep. */
static int assign_hubs(const struct pm_model *m, const int *fixed, int *hub_of, int **rep)
{
    size_t cap = 64;
    while (cap < m->nh * 2)
        cap *= 2;
    int *table = xcalloc(cap, sizeof *table); /* hub + 1, 0 = empty */
    int n = 0, rcap = 64;
    *rep = xcalloc((size_t)rcap, sizeof **rep);
    for (size_t h = 0; h < m->nh; h++) {
        hub_of[h] = -1;
        if (m->reason[h] != PLAN_ASSIGNED || (fixed && fixed[h] >= 0))
            continue;
        size_t i = entries_hash(m, h) & (cap - 1);
        while (table[i] && !same_entries(m, (size_t)(*rep)[table[i] - 1], h))
            i = (i + 1) & (cap - 1);
        if (!table[i]) {
            if (n == rcap) {
                rcap *= 2;
                *rep = realloc(*rep, (size_t)rcap * sizeof **rep);
                if (!*rep)
                    abort();
            }
            (*rep)[n] = (int)h;
            table[i] = ++n;
        }
        hub_of[h] = table[i] - 1;
    }
    free(table);
    return n;
}

struct layout {
    int slot_seat, slot_str, leg_seat, leg_str, hub0;
    int *chain_base;
};

static void build_network(const struct pm_model *m, const int *fixed, struct net *g,
                          struct layout *lay, int n_hubs, const int *rep, bool stretchers)
{
    const struct plan_instance *in = m->in;
    lay->chain_base = xcalloc((size_t)m->n_chains + 1, sizeof(int));
    for (int c = 0; c < m->n_chains; c++)
        lay->chain_base[c + 1] = lay->chain_base[c] + m->chains[c].n;
    int n_slots = lay->chain_base[m->n_chains];
    lay->leg_seat = 2;
    lay->leg_str = lay->leg_seat + (int)m->nl;
    lay->slot_seat = lay->leg_str + (int)m->nl;
    lay->slot_str = lay->slot_seat + n_slots;
    lay->hub0 = lay->slot_str + (stretchers ? n_slots : 0);
    g->n = lay->hub0 + 2 * n_hubs;
    g->head = xcalloc((size_t)g->n, sizeof(int));
    for (int i = 0; i < g->n; i++)
        g->head[i] = -1;
    g->level = xcalloc((size_t)g->n, sizeof(int));
    g->iter = xcalloc((size_t)g->n, sizeof(int));
    g->queue = xcalloc((size_t)g->n, sizeof(int));
    int *seats = xcalloc(m->nl, sizeof(int)), *str = xcalloc(m->nl, sizeof(int));
    for (size_t l = 0; l < m->nl; l++) {
        seats[l] = in->legs[l].seats;
        str[l] = in->legs[l].stretchers;
    }
    for (size_t h = 0; fixed && h < m->nh; h++)
        if (fixed[h] >= 0) {
            seats[fixed[h]] -= m->seats[h];
            str[fixed[h]] -= m->str[h];
        }
    /* leg -> T first, so that the DFS meets the sink early */
    for (size_t l = 0; l < m->nl; l++) {
        if (m->leg_closed[l])
            continue;
        net_arc(g, lay->leg_seat + (int)l, 1, seats[l] > 0 ? seats[l] : 0);
        if (stretchers)
            net_arc(g, lay->leg_str + (int)l, 1, str[l] > 0 ? str[l] : 0);
    }
    free(seats);
    free(str);
    for (int c = 0; c < m->n_chains; c++)
        for (int k = m->chains[c].n - 1; k >= 0; k--)
            for (int s = 0; s < (stretchers ? 2 : 1); s++) {
                int base = (s ? lay->slot_str : lay->slot_seat) + lay->chain_base[c];
                if (k + 1 < m->chains[c].n)
                    net_arc(g, base + k, base + k + 1, INF_CAP);
                net_arc(g, base + k, (s ? lay->leg_str : lay->leg_seat) + m->chains[c].legs[k],
                        INF_CAP);
            }
    for (int hb = 0; hb < n_hubs; hb++) {
        size_t h = (size_t)rep[hb];
        for (size_t e = m->ent_start[h]; e < m->ent_start[h + 1]; e++) {
            int off = lay->chain_base[m->ent[e].chain] + m->ent[e].pos;
            net_arc(g, lay->hub0 + 2 * hb, lay->slot_seat + off, INF_CAP);
            if (stretchers)
                net_arc(g, lay->hub0 + 2 * hb + 1, lay->slot_str + off, INF_CAP);
        }
    }
}

static int by_profit(const void *a, const void *b)
{
    const struct item *x = *(const struct item *const *)a, *y = *(const struct item *const *)b;
    long l = x->num * y->den, r = y->num * x->den;
    return l > r ? -1 : l < r ? 1 : 0;
}

/* Collects and merges source items; returns their count. */
static int collect_items(const struct pm_model *m, const int *hub_of, struct item **out,
                         bool *stretchers)
{
    size_t n = 0;
    struct item *it = xcalloc(2 * m->nh, sizeof *it);
    *stretchers = false;
    for (size_t h = 0; h < m->nh; h++) {
        if (hub_of[h] < 0)
            continue;
        if (m->seats[h] > 0)
            it[n++] =
                (struct item){2 * hub_of[h], m->weight_seat[h], m->seats[h], m->seats[h], 0, 0};
        if (m->str[h] > 0) {
            it[n++] = (struct item){
                2 * hub_of[h] + 1, m->weight[h] - m->weight_seat[h], m->str[h], m->str[h], 1, 0};
            *stretchers = true;
        }
    }
    qsort(it, n, sizeof *it, by_hub_profit);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && by_hub_profit(&it[k - 1], &it[i]) == 0) {
            it[k - 1].units += it[i].units;
            continue;
        }
        it[k++] = it[i];
    }
    *out = it;
    return (int)k;
}

/* Finds the merged item of household h: binary search by (hub, profit). */
static int find_item(const struct item *it, int n, int hub, long num, int den)
{
    struct item key = {hub, num, den, 0, 0, 0};
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = by_hub_profit(&key, &it[mid]);
        if (c == 0)
            return mid;
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return -1;
}

static void decompose(const struct pm_model *m, struct net *g, const struct layout *lay,
                      const struct item *it, int n_items, const int *arc_of_item,
                      const int64_t *cap0, struct lp_guide *guide);

double bound_flow(const struct pm_model *m, const int *fixed, struct lp_guide *guide)
{
    int *hub_of = xcalloc(m->nh, sizeof(int)), *rep = NULL;
    int n_hubs = assign_hubs(m, fixed, hub_of, &rep);
    struct item *it = NULL;
    bool stretchers = false;
    int n_items = collect_items(m, hub_of, &it, &stretchers);
    struct net g = {0};
    struct layout lay = {0};
    build_network(m, fixed, &g, &lay, n_hubs, rep, stretchers);
    int *arc_of_item = xcalloc((size_t)n_items, sizeof(int));
    for (int i = 0; i < n_items; i++)
        arc_of_item[i] = net_arc(&g, 0, lay.hub0 + it[i].hub, 0);
    int64_t *cap0 = xcalloc((size_t)g.m, sizeof(int64_t));
    struct item **order = xcalloc((size_t)n_items, sizeof *order);
    for (int i = 0; i < n_items; i++)
        order[i] = &it[i];
    qsort(order, (size_t)n_items, sizeof *order, by_profit);
    double bound = 0;
    for (int i = 0; i < n_items;) {
        int j = i;
        while (j < n_items && by_profit(&order[i], &order[j]) == 0) {
            g.cap[arc_of_item[order[j] - it]] = order[j]->units;
            j++;
        }
        net_maxflow(&g, 0, 1);
        for (int k = i; k < j; k++) {
            int a = arc_of_item[order[k] - it];
            int64_t flow = order[k]->units - g.cap[a];
            g.cap[a] = 0; /* freeze: later profits may reroute, never lower it */
            cap0[a] = flow;
            bound += (double)flow * (double)order[k]->num / order[k]->den;
        }
        i = j;
    }
    double fixed_w = 0;
    for (size_t h = 0; fixed && h < m->nh; h++)
        if (fixed[h] >= 0)
            fixed_w += (double)m->weight[h];
    if (guide) {
        memset(guide, 0, sizeof *guide);
        guide->arc_of = xcalloc(m->nh, sizeof(int));
        for (size_t h = 0; h < m->nh; h++)
            guide->arc_of[h] =
                hub_of[h] >= 0 && m->str[h] == 0
                    ? find_item(it, n_items, 2 * hub_of[h], m->weight_seat[h], m->seats[h])
                    : -1;
        decompose(m, &g, &lay, it, n_items, arc_of_item, cap0, guide);
    }
    free(order);
    free(cap0);
    free(arc_of_item);
    free(it);
    free(rep);
    free(hub_of);
    free(lay.chain_base);
    free(g.head), free(g.next), free(g.to), free(g.cap);
    free(g.level), free(g.iter), free(g.queue);
    return bound + fixed_w;
}

/* Splits the flow of each seat source arc into paths and records which legs
 * they end on. The network is acyclic, so following positive flow from a hub
 * always reaches T. flow(a) = cap0-at-start - residual, tracked in rem[]. */
static void decompose(const struct pm_model *m, struct net *g, const struct layout *lay,
                      const struct item *it, int n_items, const int *arc_of_item,
                      const int64_t *src_flow, struct lp_guide *guide)
{
    /* remaining flow on every arc: the reverse residual of forward arcs */
    int64_t *rem = xcalloc((size_t)g->m, sizeof(int64_t));
    for (int a = 0; a < g->m; a += 2)
        rem[a] = g->cap[a + 1];
    size_t cap = 64, n = 0;
    guide->n_groups = n_items;
    guide->start = xcalloc((size_t)n_items + 1, sizeof(size_t));
    guide->leg = xcalloc(cap, sizeof(int));
    guide->amount = xcalloc(cap, sizeof(int64_t));
    memcpy(g->iter, g->head, (size_t)g->n * sizeof(int));
    int *path = xcalloc((size_t)g->n, sizeof(int));
    for (int i = 0; i < n_items; i++) {
        guide->start[i] = n;
        int64_t left = it[i].commodity == 0 ? src_flow[arc_of_item[i]] : 0;
        while (left > 0) {
            int u = lay->hub0 + it[i].hub, len = 0;
            int64_t f = left;
            while (u != 1) {
                while (g->iter[u] >= 0 && (g->iter[u] & 1 || rem[g->iter[u]] <= 0))
                    g->iter[u] = g->next[g->iter[u]];
                if (g->iter[u] < 0)
                    break; /* cannot happen with a valid flow */
                int a = g->iter[u];
                path[len++] = a;
                if (rem[a] < f)
                    f = rem[a];
                u = g->to[a];
            }
            if (u != 1)
                break;
            int leg = -1;
            for (int k = 0; k < len; k++) {
                rem[path[k]] -= f;
                if (g->to[path[k]] == 1)
                    leg = g->to[path[k] ^ 1] - lay->leg_seat;
            }
            left -= f;
            if (n == cap) {
                cap *= 2;
                guide->leg = realloc(guide->leg, cap * sizeof(int));
                guide->amount = realloc(guide->amount, cap * sizeof(int64_t));
                if (!guide->leg || !guide->amount)
                    abort();
            }
            if (n > guide->start[i] && guide->leg[n - 1] == leg) {
                guide->amount[n - 1] += f;
            } else {
                guide->leg[n] = leg;
                guide->amount[n++] = f;
            }
        }
    }
    guide->start[n_items] = n;
    free(path);
    free(rem);
    (void)m;
}

void lp_guide_free(struct lp_guide *g)
{
    free(g->arc_of);
    free(g->start);
    free(g->leg);
    free(g->amount);
    memset(g, 0, sizeof *g);
}

bool bound_flow_too_big(const struct pm_model *m)
{
    long slots = 0;
    for (int c = 0; c < m->n_chains; c++)
        slots += m->chains[c].n;
    return m->nh > 150000 || slots > 20000;
}

double plan_bound(const struct plan_instance *in)
{
    struct pm_model m;
    if (pm_build(&m, in, NULL) < 0)
        return 0;
    double b = bound_flow(&m, NULL, NULL);
    pm_free(&m);
    return b;
}

/* planning.c — see planning.h. */
#include "core/planning.h"

#include "core/events.h"
#include "core/registry.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Statuses the planner works with; the others are out of its hands. */
static bool plannable(const char *s)
{
    return is(s, "registered") || is(s, "allocated") || is(s, "notified") || is(s, "confirmed") ||
           is(s, "checked_in");
}

/* Statuses of people on board a leg: not the planner's to move, but in its
 * seats. */
static bool aboard(const char *s)
{
    return is(s, "boarded") || is(s, "departed");
}

static int priority_of(const char *p)
{
    return is(p, "critical")     ? PLAN_CRITICAL
           : is(p, "vulnerable") ? PLAN_VULNERABLE
                                 : PLAN_STANDARD;
}

/* The planner's nationality code of a member: its nationality, or for a
 * person who did not consent "NAT/REG", carried only by REG's own legs. */
static const char *member_code(struct arena *a, const struct store_person *p)
{
    if (p->consent)
        return p->nationality;
    char code[16];
    snprintf(code, sizeof code, "%s/%s", p->nationality, p->nation);
    return arena_strdup(a, code);
}

static int cmp_household(const void *x, const void *y)
{
    const struct store_person *a = x, *b = y;
    int c = strcmp(a->household, b->household);
    return c ? c : strcmp(a->id, b->id);
}

static int add_legs(struct store *st, struct planning *pl, struct store_leg *legs, size_t nlegs,
                    struct store_point *pts, size_t npts, struct store_person *ps, size_t nps,
                    struct muster_err *err)
{
    for (size_t i = 0; i < nlegs; i++) {
        int point = -1;
        for (size_t k = 0; k < npts; k++)
            if (is(pts[k].id, legs[i].point))
                point = (int)k;
        json_t *carries = json_loads(legs[i].carries ? legs[i].carries : "[]", 0, NULL);
        const char *codes[PLAN_MAX_NATIONALITIES];
        int nc = 0;
        size_t j;
        json_t *v;
        json_array_foreach(carries, j, v)
        {
            if (nc < PLAN_MAX_NATIONALITIES / 2)
                codes[nc++] = arena_strdup(&pl->arena, json_string_value(v));
        }
        /* own-nation-only codes of people without consent, for this operator */
        for (size_t k = 0; k < nps && nc < PLAN_MAX_NATIONALITIES - 1; k++) {
            if (ps[k].consent || !is(ps[k].nation, legs[i].operator_nation))
                continue;
            const char *code = member_code(&pl->arena, &ps[k]);
            bool carried = false, have = false;
            for (int c = 0; c < nc; c++) {
                carried |= is(codes[c], ps[k].nationality);
                have |= is(codes[c], code);
            }
            if (carried && !have)
                codes[nc++] = code;
        }
        json_decref(carries);
        /* people already aboard are out of the planner's hands but sit in
         * the leg's seats and stretcher slots: the plan gets what is left */
        int64_t seats = legs[i].seats, stretchers = legs[i].stretchers;
        for (size_t k = 0; k < nps; k++) {
            if (!is(ps[k].leg, legs[i].id) || !aboard(ps[k].status))
                continue;
            if (ps[k].needs & NEED_STRETCHER)
                stretchers--;
            else
                seats--;
        }
        int rc = plan_add_leg(pl->in, legs[i].id, point, legs[i].departs,
                              (int)(seats > 0 ? seats : 0), (int)(stretchers > 0 ? stretchers : 0),
                              codes, nc, is(legs[i].status, "cancelled"), err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int planning_build(struct store *st, const char *operation, int64_t now, struct planning *pl,
                   struct muster_err *err)
{
    memset(pl, 0, sizeof *pl);
    snprintf(pl->operation, sizeof pl->operation, "%s", operation);
    struct arena *a = &pl->arena;
    struct store_point *pts;
    struct store_leg *legs;
    struct store_person *ps;
    size_t npts, nlegs, nps;
    struct store_person_query q = {.operation = operation, .limit = INT64_MAX / 2};
    struct store_operation op;
    int rc = st->ops->operation_get(st, operation, &op, a, err);
    if (!rc)
        rc = st->ops->point_list(st, operation, &pts, &npts, a, err);
    if (!rc)
        rc = st->ops->leg_list(st, operation, &legs, &nlegs, a, err);
    if (!rc)
        rc = st->ops->person_find(st, &q, &ps, &nps, a, err);
    if (rc)
        return rc;
    pl->in = plan_instance_new();
    for (size_t i = 0; i < npts && !rc; i++)
        rc = plan_add_point(pl->in, pts[i].id, pts[i].lat, pts[i].lon, err) < 0 ? -1 : 0;
    if (!rc)
        rc = add_legs(st, pl, legs, nlegs, pts, npts, ps, nps, err);
    if (rc)
        return err->code ? err->code : MUSTER_EINVAL;
    qsort(ps, nps, sizeof *ps, cmp_household);
    pl->members = arena_alloc(a, (nps + 1) * sizeof *pl->members);
    pl->nmembers = arena_alloc(a, (nps + 1) * sizeof *pl->nmembers);
    for (size_t i = 0; i < nps;) {
        size_t j = i;
        while (j < nps && is(ps[j].household, ps[i].household))
            j++;
        /* the household's location and state from its plannable members */
        double lat = NAN, lon = NAN;
        int state = PLAN_NONE;
        const char *cur = NULL;
        size_t plan_n = 0;
        for (size_t k = i; k < j; k++) {
            if (!plannable(ps[k].status))
                continue;
            plan_n++;
            if (isnan(lat) && !isnan(ps[k].lat)) {
                lat = ps[k].lat;
                lon = ps[k].lon;
            }
            if (ps[k].leg && !is(ps[k].status, "registered")) {
                cur = ps[k].leg;
                /* allocated but not yet told counts as notified: a re-plan
                 * moves them only for a real gain, so plans stay stable */
                int s = is(ps[k].status, "notified") || is(ps[k].status, "allocated")
                            ? PLAN_NOTIFIED
                            : PLAN_PINNED;
                if (s == PLAN_PINNED || (s == PLAN_NOTIFIED && state == PLAN_NONE))
                    state = s;
            }
        }
        if (plan_n == 0) {
            i = j;
            continue;
        }
        if (isnan(lat)) {
            pl->no_location++;
            i = j;
            continue;
        }
        int h = plan_add_household(pl->in, ps[i].household, lat, lon, now, -1, err);
        if (h < 0)
            return h;
        pl->members[h] = arena_alloc(a, plan_n * sizeof **pl->members);
        for (size_t k = i; k < j; k++) {
            if (!plannable(ps[k].status))
                continue;
            rc = plan_add_member(pl->in, h, ps[k].id, member_code(a, &ps[k]),
                                 priority_of(ps[k].priority), (ps[k].needs & NEED_STRETCHER) != 0,
                                 err);
            if (rc < 0)
                return rc;
            pl->members[h][pl->nmembers[h]++] =
                (struct planning_member){ps[k].id, ps[k].status, ps[k].leg};
        }
        int li = cur ? plan_find_leg(pl->in, cur) : -1;
        if (li >= 0 && state != PLAN_NONE)
            plan_set_current(pl->in, h, li, state, err);
        i = j;
    }
    return 0;
}

/* Moves one member to status to (and leg); counts it. */
static int move_member(struct node *n, const char *actor, const struct planning_member *m,
                       const char *to, const char *leg, struct muster_err *err)
{
    return reg_set_status(n, actor, m->id, to, leg, NULL, err);
}

static bool leg_cancelled(const struct planning *pl, const char *leg)
{
    int li = plan_find_leg(pl->in, leg);
    return li >= 0 && pl->in->legs[li].cancelled;
}

/* True when every member still has the status and leg it had at build. */
static bool unchanged(struct node *n, const struct planning_member *ms, int nm)
{
    struct arena a = {0};
    bool same = true;
    for (int i = 0; i < nm && same; i++) {
        struct store_person p;
        struct muster_err e;
        same = n->st->ops->person_get(n->st, ms[i].id, &p, &a, &e) == 0 &&
               is(p.status, ms[i].status) && ((!p.leg && !ms[i].leg) || is(p.leg, ms[i].leg));
    }
    arena_free(&a);
    return same;
}

/* Seats taken on the legs this record fills, before and after. The plan
 * was built outside the writer's lock: another plan (another server's, or
 * another job's) may have filled a leg since. Households whose members
 * changed are skipped; one that did not change could still be put on a leg
 * the other plan filled, so each leg that gains people is checked at the
 * end, under the lock, and an overfilled leg rolls the whole record back. */
struct leg_fill {
    bool seen;
    int64_t seats, stretchers; /* taken before the first allocation onto it */
};

static int note_leg(struct node *n, struct leg_fill *f, const char *leg, struct muster_err *err)
{
    if (f->seen)
        return 0;
    f->seen = true;
    return n->st->ops->leg_load(n->st, leg, &f->seats, &f->stretchers, err);
}

static int check_fill(struct node *n, const struct planning *pl, const struct leg_fill *fill,
                      struct muster_err *err)
{
    for (size_t li = 0; li < pl->in->n_legs; li++) {
        if (!fill[li].seen)
            continue;
        const struct plan_leg *l = &pl->in->legs[li];
        int64_t s, t;
        int rc = n->st->ops->leg_load(n->st, l->id, &s, &t, err);
        if (rc)
            return rc;
        if ((s > l->seats && s > fill[li].seats) || (t > l->stretchers && t > fill[li].stretchers))
            return err_set(err, MUSTER_ECONFLICT,
                           "leg %s would hold %lld people in %d seats and %lld stretcher cases "
                           "in %d slots: the registry changed while planning (another plan "
                           "was recorded); plan again",
                           l->id, (long long)s, l->seats, (long long)t, l->stretchers);
    }
    return 0;
}

int planning_record(struct node *n, const char *actor, struct planning *pl,
                    const struct plan_result *res, struct planning_summary *sum,
                    struct muster_err *err)
{
    memset(sum, 0, sizeof *sum);
    int rc = 0;
    struct leg_fill *fill = calloc(pl->in->n_legs + 1, sizeof *fill);
    if (!fill)
        return err_set(err, MUSTER_ENOMEM, "out of memory");
    for (size_t h = 0; h < pl->in->n_households && !rc; h++) {
        const struct planning_member *ms = pl->members[h];
        int nm = pl->nmembers[h];
        int li = res->leg_of[h];
        const char *leg = li >= 0 ? pl->in->legs[li].id : NULL;
        if (!unchanged(n, ms, nm)) {
            sum->skipped++;
            continue;
        }
        for (int i = 0; i < nm && !rc; i++) {
            const struct planning_member *m = &ms[i];
            bool pinned = is(m->status, "confirmed") || is(m->status, "checked_in");
            if (leg && is(m->leg, leg) && !is(m->status, "registered")) {
                sum->unchanged++;
            } else if (leg && !pinned) {
                rc = note_leg(n, &fill[li], leg, err);
                if (!rc)
                    rc = move_member(n, actor, m, "allocated", leg, err);
                sum->allocated++;
            } else if (leg && pinned) {
                /* a pinned household moves only off a cancelled leg */
                rc = note_leg(n, &fill[li], leg, err);
                if (!rc)
                    rc = move_member(n, actor, m, "allocated", leg, err);
                sum->allocated++;
            } else if (!leg && !is(m->status, "registered") && !pinned) {
                rc = move_member(n, actor, m, "registered", NULL, err);
                sum->released++;
            } else if (!leg && pinned && m->leg && leg_cancelled(pl, m->leg)) {
                /* their leg is gone and no other takes them: a checked-in
                 * person waits at the point without a leg, a confirmed one
                 * goes back to the registry */
                rc = is(m->status, "checked_in")
                         ? move_member(n, actor, m, "checked_in", "", err)
                         : move_member(n, actor, m, "registered", NULL, err);
                sum->released++;
            } else {
                sum->unchanged++;
            }
        }
    }
    if (!rc)
        rc = check_fill(n, pl, fill, err);
    free(fill);
    if (rc)
        return rc;
    json_t *body = json_pack(
        "{s:s, s:I, s:f, s:f, s:s, s:f, s:I, s:I, s:I, s:I, s:f}", "operation", pl->operation,
        "weighted_people", (json_int_t)res->weighted_people, "bound", res->bound, "gap", res->gap,
        "method", res->method, "person_hours", res->person_hours, "allocated",
        (json_int_t)sum->allocated, "released", (json_int_t)sum->released, "unchanged",
        (json_int_t)sum->unchanged, "skipped", (json_int_t)sum->skipped, "seconds", res->seconds);
    rc = ev_append(n, actor, NULL, "plan.recorded", body, err);
    json_decref(body);
    return rc;
}

void planning_free(struct planning *pl)
{
    plan_instance_free(pl->in);
    arena_free(&pl->arena);
    pl->in = NULL;
}

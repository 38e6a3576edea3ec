/* check.c — the independent checker: reads a plan (output JSON) and checks
 * it against the instance with the plain definitions (plan_eligible, the
 * capacities as written), not with the solver's model. */
#include "plan/internal.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *id_text(json_t *v, char tmp[32])
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(tmp, 32, "%lld", (long long)json_integer_value(v));
        return tmp;
    }
    return NULL;
}

struct checker {
    const struct plan_instance *in;
    struct idmap hh, legs;
    int *leg_of;
    struct buf *report;
    int violations;
};

static void violation(struct checker *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void violation(struct checker *c, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    c->violations++;
    if (c->violations <= 1000)
        buf_printf(c->report, "%s\n", line);
    else if (c->violations == 1001)
        buf_puts(c->report, "... more violations not listed\n");
}

static void check_assignment(struct checker *c, json_t *a, size_t i)
{
    char t1[32], t2[32];
    const char *hid = json_is_object(a) ? id_text(json_object_get(a, "household"), t1) : NULL;
    const char *lid = json_is_object(a) ? id_text(json_object_get(a, "leg"), t2) : NULL;
    if (!hid || !lid) {
        violation(c, "assignments[%zu]: needs household and leg", i);
        return;
    }
    int h = idmap_get(&c->hh, hid), l = idmap_get(&c->legs, lid);
    if (h < 0) {
        violation(c, "assignments[%zu]: unknown household %s", i, hid);
        return;
    }
    if (l < 0) {
        violation(c, "household %s: unknown leg %s", hid, lid);
        return;
    }
    if (c->leg_of[h] >= 0) {
        violation(c, "household %s: assigned more than once", hid);
        return;
    }
    c->leg_of[h] = l;
    const struct plan_leg *leg = &c->in->legs[l];
    const struct plan_household *hh = &c->in->households[h];
    bool pinned_here = hh->current_state == PLAN_PINNED && hh->current_leg == l;
    if (leg->cancelled)
        violation(c, "household %s: leg %s is cancelled", hid, lid);
    else if (!pinned_here && !plan_eligible(c->in, (size_t)h, (size_t)l))
        violation(c, "household %s: not eligible for leg %s (nationality, reach or time)", hid,
                  lid);
}

static void check_capacity_and_pins(struct checker *c)
{
    const struct plan_instance *in = c->in;
    long *seats = calloc(in->n_legs + 1, sizeof(long)), *str = calloc(in->n_legs + 1, sizeof(long));
    if (!seats || !str)
        abort();
    for (size_t h = 0; h < in->n_households; h++) {
        const struct plan_household *hh = &in->households[h];
        int l = c->leg_of[h];
        if (l >= 0) {
            seats[l] += plan_household_seats(in, h);
            str[l] += plan_household_stretchers(in, h);
        }
        if (hh->current_state == PLAN_PINNED && hh->current_leg >= 0 &&
            !in->legs[hh->current_leg].cancelled && l != hh->current_leg)
            violation(c, "household %s: pinned to leg %s but moved", hh->id,
                      in->legs[hh->current_leg].id);
    }
    for (size_t l = 0; l < in->n_legs; l++) {
        if (seats[l] > in->legs[l].seats)
            violation(c, "leg %s: %ld seats used, %d available", in->legs[l].id, seats[l],
                      in->legs[l].seats);
        if (str[l] > in->legs[l].stretchers)
            violation(c, "leg %s: %ld stretcher slots used, %d available", in->legs[l].id, str[l],
                      in->legs[l].stretchers);
    }
    free(seats);
    free(str);
}

static void check_objective(struct checker *c, json_t *root)
{
    long long w, people;
    double hours;
    plan_objective(c->in, c->leg_of, &w, &hours, &people);
    json_t *obj = json_object_get(root, "objective");
    json_t *jw = json_object_get(obj, "weighted_people"),
           *jh = json_object_get(obj, "person_hours");
    if (jw && (!json_is_integer(jw) || json_integer_value(jw) != w))
        violation(c, "objective.weighted_people: plan states %s, recomputed %lld",
                  json_is_number(jw) ? "another value" : "a non-number", w);
    if (jh && (!json_is_number(jh) || fabs(json_number_value(jh) - hours) > 0.01 + 1e-9 * hours))
        violation(c, "objective.person_hours: plan states %.3f, recomputed %.3f",
                  json_is_number(jh) ? json_number_value(jh) : NAN, hours);
    json_t *jb = json_object_get(json_object_get(root, "bound"), "weighted_people");
    if (json_is_number(jb) && json_number_value(jb) + 1e-6 < (double)w)
        violation(c, "bound %.0f is below the objective %lld", json_number_value(jb), w);
}

int plan_check(const struct plan_instance *in, const char *plan_json, size_t len,
               struct buf *report, struct muster_err *err)
{
    json_error_t je;
    json_t *root = json_loadb(plan_json, len, 0, &je);
    if (!root)
        return err_set(err, MUSTER_EINVAL, "plan JSON, line %d: %s", je.line, je.text);
    json_t *arr = json_object_get(root, "assignments");
    if (!json_is_array(arr)) {
        json_decref(root);
        return err_set(err, MUSTER_EINVAL, "plan JSON: assignments must be an array");
    }
    struct checker c = {in, {0}, {0}, calloc(in->n_households + 1, sizeof(int)), report, 0};
    if (!c.leg_of)
        abort();
    for (size_t h = 0; h < in->n_households; h++) {
        idmap_put(&c.hh, in->households[h].id, (int)h);
        c.leg_of[h] = -1;
    }
    for (size_t l = 0; l < in->n_legs; l++)
        idmap_put(&c.legs, in->legs[l].id, (int)l);
    size_t i;
    json_t *a;
    json_array_foreach(arr, i, a) check_assignment(&c, a, i);
    check_capacity_and_pins(&c);
    check_objective(&c, root);
    idmap_free(&c.hh);
    idmap_free(&c.legs);
    free(c.leg_of);
    json_decref(root);
    return c.violations;
}

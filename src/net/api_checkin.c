/* api_checkin.c — the check-in desk: by MRZ or document number, and
 * walk-ins registered on the spot. A 201 means the check-in is on disk.
 * With "dry_run": true the same decision is made and shown (200, outcome
 * "ready") and nothing is written: the desk shows who it is, then one key
 * confirms. */
#include "net/api.h"

#include "core/checkin.h"
#include "core/registry.h"
#include "util/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int api_read_member(struct request *r, json_t *m, struct reg_person *p);

struct checkin_job {
    json_t *body;
    const char *actor, *point, *nation, *operation;
    struct checkin_result res;
    /* the household as the desk read it (views as the caller may see them) */
    struct store_person *members;
    enum access_view *views;
    size_t nmembers;
    /* the person as the check-in left them, read back by the writer */
    struct store_person after;
    bool has_after;
    bool changed;        /* the person moved since the look-up: nothing written */
    struct arena *arena; /* the request's */
    /* walk-ins */
    struct reg_person person;
    char household[33];
    bool walkin;
};

/* Reads the household members the caller may see into j, each recorded in
 * the read audit (the answer will show them). */
static void household_read(struct request *r, const char *household, struct checkin_job *j)
{
    struct store_person_query q = {.household = household, .limit = 50};
    struct store_person *ps;
    size_t n;
    struct muster_err err;
    j->nmembers = 0;
    if (r->st->ops->person_find(r->st, &q, &ps, &n, &r->arena, &err))
        return;
    j->members = ps;
    j->views = arena_alloc(&r->arena, (n ? n : 1) * sizeof *j->views);
    for (size_t i = 0; i < n; i++) {
        enum access_view v = api_view_of(r, &ps[i]);
        if (v == VIEW_NONE)
            continue;
        api_read(r, "checkin", ps[i].id, v);
        j->members[j->nmembers] = ps[i];
        j->views[j->nmembers++] = v;
    }
}

/* The household as the desk shows it: who is here, who is missing; the
 * member `now` (may be NULL) as it is after the check-in. */
static json_t *household_json_of(const struct checkin_job *j, const struct store_person *now)
{
    json_t *a = json_array();
    for (size_t i = 0; i < j->nmembers; i++) {
        const struct store_person *m = &j->members[i];
        if (now && !strcmp(m->id, now->id))
            m = now;
        bool here = !strcmp(m->status, "checked_in") || !strcmp(m->status, "boarded");
        json_array_append_new(a, json_pack("{s:s, s:s?, s:s?, s:s, s:b}", "id", m->id, "surname",
                                           m->surname, "given_names", m->given_names, "status",
                                           m->status, "here", here));
    }
    return a;
}

static json_t *household_json(struct request *r, const char *household)
{
    struct checkin_job j = {0};
    household_read(r, household, &j);
    return household_json_of(&j, NULL);
}

static json_t *leg_summary(const struct store_leg *l)
{
    json_t *j = api_leg_json(l);
    char gate[21];
    /* boarding closes an hour before departure */
    time_format_iso(l->departs - 3600, gate);
    json_object_set_new(j, "gate_closes", json_string(gate));
    return j;
}

/* Re-checks the decision inside the write (a plan or another desk may have
 * moved the person since the look-up) and checks in; the row as the write
 * left it is kept for the answer, which then needs no second read of the
 * database (the request is suspended, so its arena is the writer's
 * meanwhile). */
static int write_checkin(struct node *n, void *arg, struct muster_err *err)
{
    struct checkin_job *j = arg;
    memset(&j->after, 0, sizeof j->after);
    int rc = checkin_record(n, j->actor, &j->res, &j->after, j->arena, err);
    j->has_after = (rc == 0 || rc == MUSTER_ECONFLICT) && j->after.id;
    j->changed = rc == MUSTER_ECONFLICT && j->has_after;
    return rc;
}

/* The person as the check-in left them, in the view the caller now has. */
static enum access_view checked_in_person(struct request *r, struct checkin_job *j,
                                          struct store_person *p)
{
    if (!j->has_after)
        return api_load_person(r, j->res.person.id, p, NULL);
    *p = j->after;
    struct store_leg l;
    struct muster_err err;
    const struct store_leg *leg = NULL;
    if (p->leg && j->res.has_leg && !strcmp(p->leg, j->res.leg.id))
        leg = &j->res.leg;
    else if (p->leg && r->st->ops->leg_get(r->st, p->leg, &l, &r->arena, &err) == 0)
        leg = &l;
    enum access_view v = access_person(&r->who, p, leg);
    if (v == VIEW_NONE) {
        http_error(r, 404, "not_found", "no person %s", p->id);
        return VIEW_NONE;
    }
    access_redact(v, p);
    return v;
}

/* 409: the person is no longer as the look-up found them; the answer
 * shows them and their leg as they are now. */
static void changed_answer(struct request *r, struct checkin_job *j, const struct muster_err *err)
{
    struct store_person p;
    enum access_view v = checked_in_person(r, j, &p);
    if (v == VIEW_NONE)
        return;
    api_read(r, "checkin", p.id, v);
    json_t *e = json_pack("{s:{s:s, s:s}, s:o}", "error", "code", "changed", "message", err->msg,
                          "person", api_person_json(&p, v));
    struct store_leg l;
    struct muster_err le;
    bool has_leg = p.leg && r->st->ops->leg_get(r->st, p.leg, &l, &r->arena, &le) == 0;
    json_object_set_new(e, "leg", has_leg ? leg_summary(&l) : json_null());
    http_json(r, 409, e);
}

static void after_checkin(struct request *r, int rc, const struct muster_err *err)
{
    struct checkin_job *j = r->write_arg;
    json_decref(j->body);
    if (j->changed) {
        changed_answer(r, j, err);
        return;
    }
    if (rc) {
        http_fail(r, err);
        return;
    }
    struct store_person p;
    enum access_view v = checked_in_person(r, j, &p);
    if (v == VIEW_NONE)
        return;
    api_read(r, "checkin", p.id, v);
    /* the household as read before the write, whose audit rows went in
     * with it; the person as the write left them */
    json_t *out = json_pack("{s:s, s:o, s:o}", "outcome", "checked_in", "person",
                            api_person_json(&p, v), "household", household_json_of(j, &p));
    json_object_set_new(out, "leg", j->res.has_leg ? leg_summary(&j->res.leg) : json_null());
    http_json(r, 201, out);
}

static bool desk_allowed(struct request *r, const char *point)
{
    if (!api_may(r, ACT_CHECKIN))
        return false;
    if (!point) {
        http_error(r, 400, "invalid", "point (the assembly point of this desk) is required");
        return false;
    }
    if (!access_at_point(&r->who, point)) {
        http_error(r, 403, "forbidden", "you are not assigned to assembly point %s", point);
        return false;
    }
    return true;
}

void api_checkin(struct request *r)
{
    static const char *const fields[] = {"point", "mrz", "document_number", "dry_run", NULL};
    struct store_operation o;
    if (!api_may(r, ACT_CHECKIN) || api_load_operation(r, r->params[0], &o))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    const char *point = json_string_value(json_object_get(b, "point"));
    if (!desk_allowed(r, point)) {
        json_decref(b);
        return;
    }
    struct checkin_job *j = arena_alloc(&r->arena, sizeof *j);
    j->body = b;
    j->arena = &r->arena;
    j->actor = arena_strdup(&r->arena, r->who.user);
    struct muster_err err;
    if (checkin_decide(r->st, &r->who, o.id, point, json_string_value(json_object_get(b, "mrz")),
                       json_string_value(json_object_get(b, "document_number")), time_now(),
                       &r->arena, &j->res, &err)) {
        json_decref(b);
        http_fail(r, &err);
        return;
    }
    if (j->res.outcome != CHECKIN_OK) {
        int status = j->res.outcome == CHECKIN_NOT_FOUND ? 404 : 422;
        json_t *e = json_pack("{s:{s:s, s:s}}", "error", "code",
                              checkin_outcome_name(j->res.outcome), "message", j->res.reason);
        if (j->res.outcome != CHECKIN_NOT_FOUND && j->res.outcome != CHECKIN_BAD_DOCUMENT &&
            j->res.outcome != CHECKIN_AMBIGUOUS) {
            access_redact(j->res.view, &j->res.person);
            api_read(r, "checkin", j->res.person.id, j->res.view);
            json_object_set_new(e, "person", api_person_json(&j->res.person, j->res.view));
            json_object_set_new(e, "household", household_json(r, j->res.person.household));
            json_object_set_new(e, "leg", j->res.has_leg ? leg_summary(&j->res.leg) : json_null());
        }
        if (j->res.has_doc && j->res.doc.has_suggestion)
            json_object_set_new(e, "suggestion",
                                json_pack("[s,s,s]", j->res.doc.suggestion[0],
                                          j->res.doc.suggestion[1], j->res.doc.suggestion[2]));
        json_decref(b);
        http_json(r, status, e);
        return;
    }
    if (json_is_true(json_object_get(b, "dry_run"))) {
        json_decref(b);
        access_redact(j->res.view, &j->res.person);
        api_read(r, "checkin", j->res.person.id, j->res.view);
        json_t *out = json_pack("{s:s, s:o, s:o}", "outcome", "ready", "person",
                                api_person_json(&j->res.person, j->res.view), "household",
                                household_json(r, j->res.person.household));
        json_object_set_new(out, "leg", j->res.has_leg ? leg_summary(&j->res.leg) : json_null());
        http_json(r, 200, out);
        return;
    }
    /* the answer will carry the person and the household: their audit rows
     * go in with the check-in, so the 201 waits for one commit only */
    api_read(r, "checkin", j->res.person.id, j->res.view);
    household_read(r, j->res.person.household, j);
    http_write(r, write_checkin, j, after_checkin);
}

static int write_walkin(struct node *n, void *arg, struct muster_err *err)
{
    struct checkin_job *j = arg;
    int rc = reg_register_household(n, j->actor, j->nation, j->operation, &j->person, 1,
                                    j->household, err);
    if (rc)
        return rc;
    /* the new person is the household's only member */
    struct store_person_query q = {.household = j->household, .limit = 1};
    struct store_person *ps;
    size_t np;
    struct arena a = {0};
    rc = n->st->ops->person_find(n->st, &q, &ps, &np, &a, err);
    if (!rc && np == 1)
        rc = reg_set_status(n, j->actor, ps[0].id, "checked_in", NULL, "walk-in", err);
    arena_free(&a);
    return rc;
}

static void after_walkin(struct request *r, int rc, const struct muster_err *err)
{
    struct checkin_job *j = r->write_arg;
    json_decref(j->body);
    if (rc) {
        http_fail(r, err);
        return;
    }
    struct store_person_query q = {.household = j->household, .limit = 1};
    struct store_person *ps;
    size_t np;
    struct muster_err e;
    if (r->st->ops->person_find(r->st, &q, &ps, &np, &r->arena, &e) || np != 1) {
        http_error(r, 500, "internal", "the walk-in was written but cannot be read back");
        return;
    }
    api_read(r, "walkin", ps[0].id, VIEW_FULL);
    http_json(r, 201,
              json_pack("{s:s, s:o}", "outcome", "checked_in", "person",
                        api_person_json(&ps[0], VIEW_FULL)));
}

void api_walkin(struct request *r)
{
    static const char *const fields[] = {"point", "person", NULL};
    struct store_operation o;
    if (!api_may(r, ACT_CHECKIN) || api_load_operation(r, r->params[0], &o))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    const char *point = json_string_value(json_object_get(b, "point"));
    if (!desk_allowed(r, point)) {
        json_decref(b);
        return;
    }
    struct checkin_job *j = arena_alloc(&r->arena, sizeof *j);
    j->body = b;
    j->walkin = true;
    j->actor = arena_strdup(&r->arena, r->who.user);
    j->nation = r->who.nation;
    j->operation = o.id;
    j->point = point;
    if (api_read_member(r, json_object_get(b, "person"), &j->person)) {
        json_decref(b);
        return;
    }
    http_write(r, write_walkin, j, after_walkin);
}

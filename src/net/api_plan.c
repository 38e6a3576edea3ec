/* api_plan.c — planning an operation in the background, and its progress.
 *
 * POST /operations/{op}/plan starts a job and answers 202 at once; the job
 * reads the operation on its own connection, runs the planner (progress
 * visible at /jobs/{id}), then hands the recording of the allocations to
 * the writer, which skips any household that changed meanwhile.
 *
 * With {"propose": true} the job stops before recording: the plan and what
 * it would change wait in the job ("proposed") until an officer accepts it
 * (POST /jobs/{id}/accept: recorded then, under the accepting officer's
 * name, with the same checks) or discards it (DELETE /jobs/{id}). */
#include "net/api.h"

#include "core/planning.h"
#include "net/jobs.h"
#include "util/timeutil.h"

#include <pthread.h>
#include <string.h>

struct plan_run {
    struct server *srv;
    struct job *job;
    struct planning pl;
    struct plan_result res;
    struct planning_summary sum;
    struct http_wjob w;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool written, propose;
    char actor[64];
};

static void plan_run_free(void *arg)
{
    struct plan_run *pr = arg;
    if (pr->res.leg_of)
        plan_result_free(&pr->res);
    planning_free(&pr->pl);
    pthread_mutex_destroy(&pr->lock);
    pthread_cond_destroy(&pr->cond);
    free(pr);
}

static void on_progress(void *ctx, const char *stage, double fraction)
{
    struct plan_run *pr = ctx;
    jobs_update(http_jobs(pr->srv), pr->job, NULL, stage, fraction * 0.9);
}

static int write_plan(struct node *n, void *arg, struct muster_err *err)
{
    struct plan_run *pr = arg;
    return planning_record(n, pr->actor, &pr->pl, &pr->res, &pr->sum, err);
}

static void plan_written(struct http_wjob *w)
{
    struct plan_run *pr = w->ctx;
    pthread_mutex_lock(&pr->lock);
    pr->written = true;
    pthread_cond_signal(&pr->cond);
    pthread_mutex_unlock(&pr->lock);
}

/* What the plan changes against the registry as it was read: households
 * that get a leg, change leg or lose theirs (the first CHANGES_LISTED
 * listed, every one counted), and why where the planner says. */
#define CHANGES_LISTED 1000

/* A code for the planner's reason for a move (src/plan/solve.c), for the
 * UI's message files; the sentence itself goes along as "why". */
static const char *move_code(const char *why)
{
    static const struct {
        const char *prefix, *code;
    } codes[] = {{"leg cancelled", "leg_cancelled"},
                 {"pinned", "pinned"},
                 {"no longer eligible", "not_eligible"},
                 {"seat given to higher priorities", "gain"},
                 {"re-plan gain", "gain"}};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strncmp(why, codes[i].prefix, strlen(codes[i].prefix)) == 0)
            return codes[i].code;
    return "other";
}

static json_t *changes_json(const struct plan_run *pr)
{
    const struct plan_instance *in = pr->pl.in;
    const char **why = calloc(in->n_households + 1, sizeof *why);
    for (size_t k = 0; k < pr->res.n_moved && why; k++)
        why[pr->res.moved[k].household] = pr->res.moved[k].reason;
    json_t *list = json_array();
    json_int_t allocated = 0, moved = 0, released = 0, kept = 0;
    for (size_t h = 0; h < in->n_households; h++) {
        int from = in->households[h].current_leg, to = pr->res.leg_of[h];
        const char *change, *said = why ? why[h] : NULL;
        const char *reason = said ? move_code(said) : NULL;
        if (from == to) {
            kept += from >= 0;
            continue;
        }
        if (from < 0) {
            change = "allocated";
            allocated++;
        } else if (to < 0) {
            change = "released";
            released++;
            if (!reason)
                reason = plan_reason_name(pr->res.reason[h]);
        } else if (!reason) {
            change = "moved"; /* a better plan overall, nothing the planner names */
            moved++;
        } else {
            change = "moved";
            moved++;
        }
        if (json_array_size(list) < CHANGES_LISTED)
            json_array_append_new(list, json_pack("{s:s, s:i, s:s, s:s?, s:s?, s:s?, s:s?}",
                                                  "household", in->households[h].id, "people",
                                                  in->households[h].n_members, "change", change,
                                                  "from", from >= 0 ? in->legs[from].id : NULL,
                                                  "to", to >= 0 ? in->legs[to].id : NULL, "reason",
                                                  reason, "why", said));
    }
    free(why);
    json_int_t total = allocated + moved + released;
    return json_pack("{s:I, s:I, s:I, s:I, s:o, s:b}", "allocated", allocated, "moved", moved,
                     "released", released, "kept", kept, "households", list, "truncated",
                     total > (json_int_t)json_array_size(list));
}

static json_t *result_json(struct plan_run *pr, bool recorded)
{
    json_t *reasons = json_object();
    for (size_t h = 0; h < pr->res.n_households; h++) {
        if (pr->res.leg_of[h] >= 0)
            continue;
        const char *why = plan_reason_name(pr->res.reason[h]);
        api_count(reasons, why);
    }
    json_t *out = json_pack(
        "{s:{s:I, s:f, s:I}, s:{s:f, s:s}, s:f, s:s, s:I, s:o, s:I, s:I, s:I, s:I, "
        "s:I, s:f}",
        "objective", "weighted_people", (json_int_t)pr->res.weighted_people, "person_hours",
        pr->res.person_hours, "people", (json_int_t)pr->res.people, "bound", "weighted_people",
        pr->res.bound, "method", pr->res.bound_method, "gap", pr->res.gap, "method", pr->res.method,
        "households", (json_int_t)pr->res.n_households, "unassigned", reasons, "moved",
        (json_int_t)pr->res.n_moved, "allocated", (json_int_t)pr->sum.allocated, "released",
        (json_int_t)pr->sum.released, "unchanged", (json_int_t)pr->sum.unchanged, "skipped_changed",
        (json_int_t)pr->sum.skipped, "seconds", pr->res.seconds);
    json_object_set_new(out, "recorded", json_boolean(recorded));
    json_object_set_new(out, "changes", changes_json(pr));
    return out;
}

static void *plan_main(void *arg)
{
    struct plan_run *pr = arg;
    struct jobs *js = http_jobs(pr->srv);
    struct muster_err err = {0};
    struct store *st = NULL;
    const char *fail = NULL;
    jobs_update(js, pr->job, "running", "reading", 0.0);
    int rc = store_open(http_db(pr->srv), false, &st, &err);
    if (!rc)
        rc = planning_build(st, pr->job->operation, time_now(), &pr->pl, &err);
    store_close(st);
    struct plan_options o = PLAN_OPTIONS_DEFAULT;
    o.exact = pr->job->exact;
    o.time_limit = pr->job->time_limit;
    o.progress = on_progress;
    o.progress_ctx = pr;
    if (!rc)
        rc = plan_solve(pr->pl.in, &o, &pr->res, &err);
    if (!rc)
        jobs_supersede(js, pr->job->operation, pr->job);
    if (!rc && pr->propose) {
        jobs_propose(js, pr->job, result_json(pr, false), pr, plan_run_free);
        return NULL;
    }
    if (!rc) {
        jobs_update(js, pr->job, "recording", "recording", 0.95);
        pr->w = (struct http_wjob){.fn = write_plan, .arg = pr, .done = plan_written, .ctx = pr};
        if (http_submit(pr->srv, &pr->w)) {
            rc = err_set(&err, MUSTER_EIO, "the server is stopping; the plan was not recorded");
        } else {
            pthread_mutex_lock(&pr->lock);
            while (!pr->written)
                pthread_cond_wait(&pr->cond, &pr->lock);
            pthread_mutex_unlock(&pr->lock);
            rc = pr->w.rc;
            err = pr->w.err;
        }
    }
    if (rc)
        fail = err.msg[0] ? err.msg : "planning failed";
    jobs_finish(js, pr->job, rc ? NULL : result_json(pr, true), fail);
    plan_run_free(pr);
    return NULL;
}

void api_plan_start(struct request *r)
{
    static const char *const fields[] = {"exact", "time_limit", "propose", NULL};
    struct store_operation o;
    struct muster_err err;
    if (!api_may(r, ACT_WRITE_OPERATIONS) || api_load_operation(r, r->params[0], &o) ||
        !api_allowed(r, access_operation_manage(&r->who, &o, &err), &err))
        return;
    json_t *b = r->body.len ? http_body(r, fields) : json_object();
    if (!b)
        return;
    struct job *j = jobs_add(http_jobs(r->srv), "plan", r->who.nation);
    if (!j) {
        json_decref(b);
        http_error(r, 429, "busy", "too many jobs are running; retry when one finishes");
        return;
    }
    snprintf(j->operation, sizeof j->operation, "%s", o.id);
    snprintf(j->actor, sizeof j->actor, "user:%.58s", r->who.user);
    j->exact = json_is_true(json_object_get(b, "exact"));
    j->time_limit = json_number_value(json_object_get(b, "time_limit"));
    bool propose = json_is_true(json_object_get(b, "propose"));
    json_decref(b);
    struct plan_run *pr = calloc(1, sizeof *pr);
    pr->srv = r->srv;
    pr->job = j;
    pr->propose = propose;
    snprintf(pr->actor, sizeof pr->actor, "%s", j->actor);
    pthread_mutex_init(&pr->lock, NULL);
    pthread_cond_init(&pr->cond, NULL);
    pthread_t t;
    pthread_create(&t, NULL, plan_main, pr);
    pthread_detach(t);
    char url[80];
    snprintf(url, sizeof url, "/api/v1/jobs/%s", j->id);
    http_json(r, 202, json_pack("{s:s, s:s}", "job", j->id, "url", url));
}

/* The job as the caller may see it (access_job_view of its operation), or
 * NULL, answered 403 or 404. A job is its nation's: another's is not found. */
static json_t *job_seen(struct request *r)
{
    json_t *j = jobs_json(http_jobs(r->srv), r->params[0], r->who.nation);
    struct store_operation o;
    struct muster_err err;
    const char *op = json_string_value(json_object_get(j, "operation"));
    if (!j || !op) {
        json_decref(j);
        http_error(r, 404, "not_found", "no job %s", r->params[0]);
        return NULL;
    }
    if (api_load_operation(r, op, &o) ||
        !api_allowed(r, access_job_view(&r->who, &o, &err), &err)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

void api_job_get(struct request *r)
{
    json_t *j = job_seen(r);
    if (j)
        http_json(r, 200, j);
}

/* --- a proposed plan: accept or discard ------------------------------------ */

struct accept_job {
    struct plan_run *pr;
    struct job *job;
};

static int write_accepted(struct node *n, void *arg, struct muster_err *err)
{
    struct accept_job *a = arg;
    return write_plan(n, a->pr, err);
}

static void after_accept(struct request *r, int rc, const struct muster_err *err)
{
    struct accept_job *a = r->write_arg;
    struct jobs *js = http_jobs(r->srv);
    if (!rc)
        jobs_supersede(js, a->job->operation, a->job);
    jobs_finish(js, a->job, rc ? NULL : result_json(a->pr, true), rc ? err->msg : NULL);
    plan_run_free(a->pr);
    if (rc) {
        http_fail(r, err);
        return;
    }
    http_json(r, 200, jobs_json(js, r->params[0], r->who.nation));
}

static bool claim(struct request *r, struct job **j, struct plan_run **pr)
{
    void *p = NULL;
    const char *why = NULL;
    int st = jobs_claim(http_jobs(r->srv), r->params[0], r->who.nation, j, &p, &why);
    if (st) {
        http_error(r, st,
                   st == 404   ? "not_found"
                   : st == 410 ? "gone"
                               : "conflict",
                   "job %s: %s", r->params[0], why);
        return false;
    }
    *pr = p;
    return true;
}

void api_job_accept(struct request *r)
{
    if (!http_no_body(r))
        return;
    struct job *j;
    struct plan_run *pr;
    json_t *seen = api_may(r, ACT_WRITE_OPERATIONS) ? job_seen(r) : NULL;
    bool ok = seen != NULL;
    json_decref(seen);
    if (!ok || !claim(r, &j, &pr))
        return;
    /* the officer who accepts is the one who records */
    snprintf(pr->actor, sizeof pr->actor, "user:%.58s", r->who.user);
    jobs_update(http_jobs(r->srv), j, NULL, "recording", 0.95);
    struct accept_job *a = arena_alloc(&r->arena, sizeof *a);
    *a = (struct accept_job){pr, j};
    if (http_write(r, write_accepted, a, after_accept))
        jobs_propose(http_jobs(r->srv), j, NULL, pr, plan_run_free); /* still there to accept */
}

void api_job_discard(struct request *r)
{
    if (!http_no_body(r))
        return;
    struct job *j;
    struct plan_run *pr;
    json_t *seen = api_may(r, ACT_WRITE_OPERATIONS) ? job_seen(r) : NULL;
    bool ok = seen != NULL;
    json_decref(seen);
    if (!ok || !claim(r, &j, &pr))
        return;
    plan_run_free(pr);
    jobs_discard(http_jobs(r->srv), j);
    http_json(r, 200, jobs_json(http_jobs(r->srv), r->params[0], r->who.nation));
}

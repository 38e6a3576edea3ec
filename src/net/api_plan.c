/* api_plan.c — planning an operation in the background, and its progress.
 *
 * POST /operations/{op}/plan starts a job and answers 202 at once; the job
 * reads the operation on its own connection, runs the planner (progress
 * visible at /jobs/{id}), then hands the recording of the allocations to
 * the writer, which skips any household that changed meanwhile. */
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
    bool written;
};

static void on_progress(void *ctx, const char *stage, double fraction)
{
    struct plan_run *pr = ctx;
    jobs_update(http_jobs(pr->srv), pr->job, NULL, stage, fraction * 0.9);
}

static int write_plan(struct node *n, void *arg, struct muster_err *err)
{
    struct plan_run *pr = arg;
    return planning_record(n, pr->job->actor, &pr->pl, &pr->res, &pr->sum, err);
}

static void plan_written(struct http_wjob *w)
{
    struct plan_run *pr = w->ctx;
    pthread_mutex_lock(&pr->lock);
    pr->written = true;
    pthread_cond_signal(&pr->cond);
    pthread_mutex_unlock(&pr->lock);
}

static json_t *result_json(struct plan_run *pr)
{
    json_t *reasons = json_object();
    for (size_t h = 0; h < pr->res.n_households; h++) {
        if (pr->res.leg_of[h] >= 0)
            continue;
        const char *why = plan_reason_name(pr->res.reason[h]);
        api_count(reasons, why);
    }
    return json_pack(
        "{s:{s:I, s:f, s:I}, s:{s:f, s:s}, s:f, s:s, s:I, s:o, s:I, s:I, s:I, s:I, "
        "s:I, s:f}",
        "objective", "weighted_people", (json_int_t)pr->res.weighted_people, "person_hours",
        pr->res.person_hours, "people", (json_int_t)pr->res.people, "bound", "weighted_people",
        pr->res.bound, "method", pr->res.bound_method, "gap", pr->res.gap, "method", pr->res.method,
        "households", (json_int_t)pr->res.n_households, "unassigned", reasons, "moved",
        (json_int_t)pr->res.n_moved, "allocated", (json_int_t)pr->sum.allocated, "released",
        (json_int_t)pr->sum.released, "unchanged", (json_int_t)pr->sum.unchanged, "skipped_changed",
        (json_int_t)pr->sum.skipped, "seconds", pr->res.seconds);
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
    jobs_finish(js, pr->job, rc ? NULL : result_json(pr), fail);
    if (pr->res.leg_of)
        plan_result_free(&pr->res);
    planning_free(&pr->pl);
    pthread_mutex_destroy(&pr->lock);
    pthread_cond_destroy(&pr->cond);
    free(pr);
    return NULL;
}

void api_plan_start(struct request *r)
{
    static const char *const fields[] = {"exact", "time_limit", NULL};
    struct store_operation o;
    if (!api_may(r, ACT_WRITE_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    if (strcmp(o.nation, r->who.nation) != 0) {
        http_error(r, 403, "forbidden", "only %s, which runs this operation, plans it", o.nation);
        return;
    }
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
    json_decref(b);
    struct plan_run *pr = calloc(1, sizeof *pr);
    pr->srv = r->srv;
    pr->job = j;
    pthread_mutex_init(&pr->lock, NULL);
    pthread_cond_init(&pr->cond, NULL);
    pthread_t t;
    pthread_create(&t, NULL, plan_main, pr);
    pthread_detach(t);
    char url[80];
    snprintf(url, sizeof url, "/api/v1/jobs/%s", j->id);
    http_json(r, 202, json_pack("{s:s, s:s}", "job", j->id, "url", url));
}

void api_job_get(struct request *r)
{
    json_t *j = jobs_json(http_jobs(r->srv), r->params[0], r->who.nation);
    if (!j) {
        http_error(r, 404, "not_found", "no job %s", r->params[0]);
        return;
    }
    http_json(r, 200, j);
}

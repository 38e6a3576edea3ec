/* jobs.c — see jobs.h. */
#include "net/jobs.h"

#include "core/registry.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void jobs_init(struct jobs *js)
{
    memset(js, 0, sizeof *js);
    pthread_mutex_init(&js->lock, NULL);
    pthread_cond_init(&js->idle, NULL);
}

static void drop_proposal(struct job *j)
{
    if (j->proposal && j->proposal_free)
        j->proposal_free(j->proposal);
    j->proposal = NULL;
    j->proposal_free = NULL;
}

void jobs_shutdown(struct jobs *js, double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)seconds;
    pthread_mutex_lock(&js->lock);
    while (js->running > 0)
        if (pthread_cond_timedwait(&js->idle, &js->lock, &until) != 0)
            break;
    for (int i = 0; i < js->n; i++) {
        json_decref(js->items[i].result);
        js->items[i].result = NULL;
        drop_proposal(&js->items[i]);
    }
    pthread_mutex_unlock(&js->lock);
}

static bool finished(const struct job *j)
{
    return strcmp(j->state, "done") == 0 || strcmp(j->state, "failed") == 0 ||
           strcmp(j->state, "proposed") == 0 || strcmp(j->state, "discarded") == 0 ||
           strcmp(j->state, "expired") == 0 || strcmp(j->state, "superseded") == 0;
}

struct job *jobs_add(struct jobs *js, const char *kind, const char *nation)
{
    pthread_mutex_lock(&js->lock);
    struct job *j = NULL;
    if (js->n < JOBS_MAX) {
        j = &js->items[js->n++];
    } else {
        for (int k = 0; k < JOBS_MAX && !j; k++) {
            struct job *c = &js->items[(js->next + k) % JOBS_MAX];
            if (finished(c))
                j = c;
        }
        js->next = (js->next + 1) % JOBS_MAX;
    }
    if (j) {
        json_decref(j->result);
        drop_proposal(j);
        memset(j, 0, sizeof *j);
        reg_new_id("job", j->id);
        snprintf(j->kind, sizeof j->kind, "%s", kind);
        snprintf(j->nation, sizeof j->nation, "%s", nation);
        snprintf(j->state, sizeof j->state, "queued");
        js->running++;
    }
    pthread_mutex_unlock(&js->lock);
    return j;
}

json_t *jobs_json(struct jobs *js, const char *id, const char *nation)
{
    json_t *out = NULL;
    pthread_mutex_lock(&js->lock);
    for (int i = 0; i < js->n && !out; i++) {
        struct job *j = &js->items[i];
        if (strcmp(j->id, id) != 0 || strcmp(j->nation, nation) != 0)
            continue;
        out =
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:f}", "id", j->id, "kind", j->kind, "operation",
                      j->operation, "state", j->state, "stage", j->stage, "progress", j->progress);
        json_object_set(out, "result", j->result ? j->result : json_null());
        json_object_set_new(out, "error", j->error[0] ? json_string(j->error) : json_null());
    }
    pthread_mutex_unlock(&js->lock);
    return out;
}

void jobs_update(struct jobs *js, struct job *j, const char *state, const char *stage,
                 double progress)
{
    pthread_mutex_lock(&js->lock);
    if (state)
        snprintf(j->state, sizeof j->state, "%s", state);
    if (stage)
        snprintf(j->stage, sizeof j->stage, "%s", stage);
    j->progress = progress;
    pthread_mutex_unlock(&js->lock);
}

void jobs_finish(struct jobs *js, struct job *j, json_t *result, const char *error)
{
    pthread_mutex_lock(&js->lock);
    if (result != j->result) {
        json_decref(j->result);
        j->result = result;
    }
    snprintf(j->state, sizeof j->state, "%s", error ? "failed" : "done");
    snprintf(j->error, sizeof j->error, "%s", error ? error : "");
    j->progress = 1.0;
    js->running--;
    pthread_cond_broadcast(&js->idle);
    pthread_mutex_unlock(&js->lock);
}

void jobs_discard(struct jobs *js, struct job *j)
{
    pthread_mutex_lock(&js->lock);
    snprintf(j->state, sizeof j->state, "discarded");
    js->running--;
    pthread_cond_broadcast(&js->idle);
    pthread_mutex_unlock(&js->lock);
}

void jobs_propose(struct jobs *js, struct job *j, json_t *result, void *proposal,
                  void (*proposal_free)(void *))
{
    pthread_mutex_lock(&js->lock);
    if (result) {
        json_decref(j->result);
        j->result = result;
    }
    j->proposal = proposal;
    j->proposal_free = proposal_free;
    j->proposed_at = time_now();
    snprintf(j->state, sizeof j->state, "proposed");
    j->progress = 1.0;
    js->running--;
    pthread_cond_broadcast(&js->idle);
    pthread_mutex_unlock(&js->lock);
}

int jobs_claim(struct jobs *js, const char *id, const char *nation, struct job **jp,
               void **proposal, const char **why)
{
    int status = 404;
    *why = "no such job";
    pthread_mutex_lock(&js->lock);
    for (int i = 0; i < js->n; i++) {
        struct job *j = &js->items[i];
        if (strcmp(j->id, id) != 0 || strcmp(j->nation, nation) != 0)
            continue;
        if (strcmp(j->state, "proposed") != 0 || !j->proposal) {
            status = 409;
            *why = strcmp(j->state, "recording") == 0    ? "it is being recorded"
                   : strcmp(j->state, "done") == 0       ? "it was recorded already"
                   : strcmp(j->state, "superseded") == 0 ? "a newer plan replaced it"
                   : strcmp(j->state, "discarded") == 0  ? "it was discarded"
                                                         : "it proposes nothing to record";
        } else if (time_now() - j->proposed_at > JOBS_PROPOSAL_TTL) {
            drop_proposal(j);
            snprintf(j->state, sizeof j->state, "expired");
            status = 410;
            *why = "the proposal expired: plan again";
        } else {
            *jp = j;
            *proposal = j->proposal;
            j->proposal = NULL;
            j->proposal_free = NULL;
            snprintf(j->state, sizeof j->state, "recording");
            js->running++;
            status = 0;
        }
        break;
    }
    pthread_mutex_unlock(&js->lock);
    return status;
}

void jobs_supersede(struct jobs *js, const char *operation, const struct job *except)
{
    pthread_mutex_lock(&js->lock);
    for (int i = 0; i < js->n; i++) {
        struct job *j = &js->items[i];
        if (j == except || strcmp(j->operation, operation) != 0 ||
            strcmp(j->state, "proposed") != 0)
            continue;
        drop_proposal(j);
        snprintf(j->state, sizeof j->state, "superseded");
    }
    pthread_mutex_unlock(&js->lock);
}

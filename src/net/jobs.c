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
    }
    pthread_mutex_unlock(&js->lock);
}

static bool finished(const struct job *j)
{
    return strcmp(j->state, "done") == 0 || strcmp(j->state, "failed") == 0;
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
    j->result = result;
    snprintf(j->state, sizeof j->state, "%s", error ? "failed" : "done");
    snprintf(j->error, sizeof j->error, "%s", error ? error : "");
    j->progress = 1.0;
    js->running--;
    pthread_cond_broadcast(&js->idle);
    pthread_mutex_unlock(&js->lock);
}

/* jobs.h — background work of the server (planning an operation): a job
 * has an id, a state, a stage and a fraction done that clients poll at
 * /api/v1/jobs/{id}, and a result when done. Jobs are kept in memory (the
 * 64 most recent); what they write is in the event log. */
#ifndef MUSTER_NET_JOBS_H
#define MUSTER_NET_JOBS_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>

#define JOBS_MAX 64

struct job {
    char id[33];
    char nation[4]; /* only this nation's users see the job */
    char kind[16], operation[40], state[16], stage[32];
    double progress;
    json_t *result; /* when done */
    char error[300];
    /* inputs */
    bool exact;
    double time_limit;
    char actor[64];
};

struct jobs {
    pthread_mutex_t lock;
    pthread_cond_t idle;
    struct job items[JOBS_MAX];
    int n, next, running;
};

void jobs_init(struct jobs *js);
/* Waits (up to seconds) for running jobs to finish, then frees results. */
void jobs_shutdown(struct jobs *js, double seconds);
/* Takes a free slot (the oldest finished job makes room); NULL when every
 * slot runs. Fills the id. Called with no lock held; returns with none. */
struct job *jobs_add(struct jobs *js, const char *kind, const char *nation);
/* Copies the job's public state as JSON (NULL when unknown or another
 * nation's). */
json_t *jobs_json(struct jobs *js, const char *id, const char *nation);
/* Updates a job's stage/progress/state under the lock. */
void jobs_update(struct jobs *js, struct job *j, const char *state, const char *stage,
                 double progress);
/* Marks a job finished with a result (owned) or an error. */
void jobs_finish(struct jobs *js, struct job *j, json_t *result, const char *error);

#endif

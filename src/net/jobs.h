/* jobs.h — background work of the server (planning an operation): a job
 * has an id, a state, a stage and a fraction done that clients poll at
 * /api/v1/jobs/{id}, and a result when done. Jobs are kept in memory (the
 * 64 most recent); what they write is in the event log.
 *
 * A job may end by proposing something to write (a plan to look at before
 * it is recorded): state "proposed", the proposal held with the job until
 * someone claims it (to accept or discard it), it is older than
 * JOBS_PROPOSAL_TTL seconds, or its slot is reused. */
#ifndef MUSTER_NET_JOBS_H
#define MUSTER_NET_JOBS_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define JOBS_MAX          64
#define JOBS_PROPOSAL_TTL 3600

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
    /* what a proposed job waits to write (owned, freed with proposal_free) */
    void *proposal;
    void (*proposal_free)(void *);
    int64_t proposed_at;
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
/* Marks a job finished with a result (owned; replaces any earlier one) or
 * an error. */
void jobs_finish(struct jobs *js, struct job *j, json_t *result, const char *error);
/* Drops the proposals waiting for operation (but except's): a newer plan
 * of it was proposed or recorded; they turn "superseded". */
void jobs_supersede(struct jobs *js, const char *operation, const struct job *except);
/* Ends a claimed job whose proposal was discarded. */
void jobs_discard(struct jobs *js, struct job *j);
/* Ends a job as "proposed" with its result (owned; NULL keeps the one it
 * has: a claimed proposal given back) and what it proposes. */
void jobs_propose(struct jobs *js, struct job *j, json_t *result, void *proposal,
                  void (*proposal_free)(void *));
/* Takes the proposal of job id (seen by nation) to act on it: the job turns
 * "recording" and counts as running until jobs_finish. Returns 0 with *jp
 * and *proposal set (the caller owns the proposal), or an HTTP status with
 * *why: 404 unknown job, 409 nothing to accept (already recorded,
 * discarded, being recorded, or not a proposal), 410 expired. */
int jobs_claim(struct jobs *js, const char *id, const char *nation, struct job **jp,
               void **proposal, const char **why);

#endif

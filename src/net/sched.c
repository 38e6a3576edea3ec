/* sched.c — see sched.h. */
#include "net/sched.h"

#include "core/retention.h"
#include "util/timeutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct sched {
    struct server *srv;
    double interval;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop, written;
    struct http_wjob job;
};

static int write_run(struct node *n, void *arg, struct muster_err *err)
{
    json_t *summary = NULL;
    int rc = ret_run(n, "system", time_now() * 1000, &summary, err);
    if (!rc && json_integer_value(json_object_get(summary, "persons")) +
                       json_integer_value(json_object_get(summary, "clearances")) >
                   0)
        fprintf(stderr, "muster serve: retention shredded %lld people, %lld decisions\n",
                (long long)json_integer_value(json_object_get(summary, "persons")),
                (long long)json_integer_value(json_object_get(summary, "clearances")));
    json_decref(summary);
    return rc;
}

static void run_done(struct http_wjob *j)
{
    struct sched *sc = j->ctx;
    if (j->rc)
        fprintf(stderr, "muster serve: retention run failed: %s\n", j->err.msg);
    pthread_mutex_lock(&sc->lock);
    sc->written = true;
    pthread_cond_signal(&sc->wake);
    pthread_mutex_unlock(&sc->lock);
}

static void *sched_main(void *arg)
{
    struct sched *sc = arg;
    pthread_mutex_lock(&sc->lock);
    while (!sc->stop) {
        sc->written = false;
        sc->job = (struct http_wjob){.fn = write_run, .done = run_done, .ctx = sc};
        pthread_mutex_unlock(&sc->lock);
        int queued = http_submit(sc->srv, &sc->job) == 0;
        pthread_mutex_lock(&sc->lock);
        while (queued && !sc->written)
            pthread_cond_wait(&sc->wake, &sc->lock);
        if (!queued)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)sc->interval;
        while (!sc->stop && pthread_cond_timedwait(&sc->wake, &sc->lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&sc->lock);
    return NULL;
}

struct sched *sched_start(struct server *s, double interval)
{
    struct sched *sc = calloc(1, sizeof *sc);
    sc->srv = s;
    sc->interval = interval > 0 ? interval : 86400;
    pthread_mutex_init(&sc->lock, NULL);
    pthread_cond_init(&sc->wake, NULL);
    if (pthread_create(&sc->thread, NULL, sched_main, sc) != 0) {
        free(sc);
        return NULL;
    }
    return sc;
}

void sched_stop(struct sched *sc)
{
    if (!sc)
        return;
    pthread_mutex_lock(&sc->lock);
    sc->stop = true;
    pthread_cond_broadcast(&sc->wake);
    pthread_mutex_unlock(&sc->lock);
    pthread_join(sc->thread, NULL);
    pthread_mutex_destroy(&sc->lock);
    pthread_cond_destroy(&sc->wake);
    free(sc);
}

/* slow.c — see slow.h. */
#include "net/slow.h"

#include <pthread.h>
#include <stdlib.h>

#define SLOW_MAX_THREADS 8
#define SLOW_QUEUE       64 /* more waiting logins than this: 503, retry */

struct slow_pool {
    pthread_t threads[SLOW_MAX_THREADS];
    struct node *nodes[SLOW_MAX_THREADS];
    int nthreads;
    struct http_wjob *queue[SLOW_QUEUE];
    int head, len;
    bool stopping;
    pthread_mutex_t lock;
    pthread_cond_t cond;
};

struct slow_thread {
    struct slow_pool *p;
    struct node *n;
};

static void *slow_main(void *arg)
{
    struct slow_thread *t = arg;
    struct slow_pool *p = t->p;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (p->len == 0 && !p->stopping)
            pthread_cond_wait(&p->cond, &p->lock);
        if (p->len == 0) {
            pthread_mutex_unlock(&p->lock);
            break;
        }
        struct http_wjob *j = p->queue[p->head];
        p->head = (p->head + 1) % SLOW_QUEUE;
        p->len--;
        pthread_mutex_unlock(&p->lock);
        err_clear(&j->err);
        j->rc = j->fn(t->n, j->arg, &j->err);
        j->done(j);
    }
    free(t);
    return NULL;
}

int slow_start(const char *db, int threads, struct slow_pool **out, struct muster_err *err)
{
    struct slow_pool *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(err, MUSTER_ENOMEM, "out of memory");
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    threads = threads < 1 ? 1 : threads > SLOW_MAX_THREADS ? SLOW_MAX_THREADS : threads;
    int rc = 0;
    for (int i = 0; i < threads && !rc; i++) {
        rc = node_open(db, &p->nodes[i], err);
        struct slow_thread *t = rc ? NULL : malloc(sizeof *t);
        if (!rc && !t)
            rc = err_set(err, MUSTER_ENOMEM, "out of memory");
        if (rc) {
            if (p->nodes[i])
                node_close(p->nodes[i]);
            p->nodes[i] = NULL;
            break;
        }
        *t = (struct slow_thread){p, p->nodes[i]};
        pthread_create(&p->threads[i], NULL, slow_main, t);
        p->nthreads++;
    }
    if (rc) {
        slow_stop(p);
        return rc;
    }
    *out = p;
    return 0;
}

int slow_submit(struct slow_pool *p, struct http_wjob *j)
{
    pthread_mutex_lock(&p->lock);
    if (p->stopping || p->len == SLOW_QUEUE) {
        pthread_mutex_unlock(&p->lock);
        return -1;
    }
    p->queue[(p->head + p->len) % SLOW_QUEUE] = j;
    p->len++;
    pthread_cond_signal(&p->cond);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

void slow_stop(struct slow_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    for (int i = 0; i < p->nthreads; i++)
        node_close(p->nodes[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->cond);
    free(p);
}

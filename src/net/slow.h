/* slow.h — a few threads for CPU-heavy request work (the Argon2id check of
 * a login), so that libmicrohttpd's pool threads never spend half a second
 * on one request while others wait behind it on the same thread. A request
 * suspends, its job runs here with the pool's own database handle, and the
 * request resumes with the result, as a write does with the writer. */
#ifndef MUSTER_NET_SLOW_H
#define MUSTER_NET_SLOW_H

#include "net/http.h"

struct slow_pool;

/* Starts threads threads, each with its own node on db. */
int slow_start(const char *db, int threads, struct slow_pool **out, struct muster_err *err);
/* Queues j: j->fn runs on a pool thread with that thread's node, then
 * j->done. Returns -1 (nothing queued) when the queue is full or stopping. */
int slow_submit(struct slow_pool *p, struct http_wjob *j);
/* Runs what is queued, stops the threads and frees the pool. */
void slow_stop(struct slow_pool *p);

#endif

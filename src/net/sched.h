/* sched.h — the server's periodic work: the retention job
 * (core/retention.h) once on start and then every interval, written through
 * the writer thread like any request. Its clock is time_now() (MUSTER_NOW
 * moves it for tests). */
#ifndef MUSTER_NET_SCHED_H
#define MUSTER_NET_SCHED_H

#include "net/http.h"

struct sched;

/* Starts the scheduler thread of server s; interval in seconds (> 0).
 * Returns NULL when the thread cannot start. */
struct sched *sched_start(struct server *s, double interval);
/* Stops it (waits for a run in flight); call before http_stop. NULL is a
 * no-op. */
void sched_stop(struct sched *sc);

#endif

/* progress.h — how a long library call tells its caller how far it got.
 *
 * A library never prints (STYLE.md): it calls the caller's function now and
 * then with the stage it is in ("checking", "writing", ...), the units done
 * and the units in the stage (0 when not known). The command line draws a
 * bar from it on a terminal (cli/cli.h); a caller that does not care passes
 * NULL. */
#ifndef MUSTER_UTIL_PROGRESS_H
#define MUSTER_UTIL_PROGRESS_H

#include <stdint.h>

typedef void (*muster_progress_fn)(void *ctx, const char *stage, int64_t done, int64_t total);

#endif

/* import.h — registrants from a CSV file, all or nothing.
 *
 * The columns are documented in docs/import.md. Every row is checked before
 * anything is written; a file with any bad row is rejected whole and every
 * bad row is reported with its line number and reason. A good file is
 * written in one transaction: one household.registered event per household
 * (rows sharing the "household" key). */
#ifndef MUSTER_CORE_IMPORT_H
#define MUSTER_CORE_IMPORT_H

#include "core/node.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/progress.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct imp_problem {
    int line;
    const char *reason;
};

struct imp_report {
    int64_t rows, households;
    /* seconds spent reading and checking the file, building and writing the
     * households, building the indexes set aside (store bulk_end), and
     * committing (the fsync, and SQLite's checkpoint when the import went
     * through the WAL) */
    double check_s, write_s, index_s, commit_s;
    bool written_once;            /* the store wrote the pages once, having the database
                                     to itself (store bulk_mode; SQLite only) */
    struct imp_problem *problems; /* in the report's arena */
    size_t nproblems;             /* all of them, however many */
    struct arena arena;           /* freed by imp_report_free */
};

/* Called now and then: stage "checking" with bytes of the file read and its
 * size, then stage "writing" with rows written and the row count. */
typedef muster_progress_fn imp_progress_fn;

/* Imports registrants of nation into operation from CSV text. Returns 0 when
 * written, MUSTER_EINVAL when the file was rejected (report->problems say
 * why), or another status when the store failed (nothing written). */
int imp_registrants(struct node *n, const char *actor, const char *nation, const char *operation,
                    const char *csv, size_t len, imp_progress_fn progress, void *ctx,
                    struct imp_report *report, struct muster_err *err);
void imp_report_free(struct imp_report *r);

#endif

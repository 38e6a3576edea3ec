/* cli.h — what every subcommand shares: the one-line error, --help text,
 * reading a whole file, and a progress bar shown only on a terminal.
 *
 * A subcommand is `int cmd_<name>(int argc, char **argv)`, with argv[0] the
 * subcommand's name; it returns the process exit status (0 ok, 1 the input
 * was read but is invalid or the work failed, 2 unusable input or usage). */
#ifndef MUSTER_CLI_CLI_H
#define MUSTER_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Prints "muster <cmd>: <reason>" on stderr and returns status. */
int cli_fail(const char *cmd, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reads the whole file at path ("-" = stdin) into a malloc'd NUL-terminated
 * buffer; *len gets its size. Returns NULL (errno set) on failure. */
char *cli_read_file(const char *path, size_t *len);

/* Strict numbers for options: the whole of s must be the number, in
 * decimal, without spaces, a '+' or a suffix ("10x", "", " 5" and "abc"
 * are refused; so is anything outside lo..hi). The parse_ forms only
 * answer; the cli_ forms print "muster CMD: OPT wants ..., not 'S'" and
 * return 2 (the exit status) when s is refused, 0 otherwise. */
bool cli_parse_int(const char *s, long long lo, long long hi, long long *out);
bool cli_parse_real(const char *s, double lo, double hi, double *out);
int cli_int(const char *cmd, const char *opt, const char *s, long long lo, long long hi,
            long long *out);
int cli_u64(const char *cmd, const char *opt, const char *s, uint64_t *out);
int cli_real(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out);

/* The database a command works on when --db is not given: $MUSTER_DB, or
 * NULL when it is unset or empty (then --db is required). `muster demo`
 * does not use it: it replaces the database it is pointed at. */
const char *cli_db_default(void);

/* True when argv holds "--help" or "-h" (anywhere). */
bool cli_wants_help(int argc, char **argv);

/* A progress bar on stderr, drawn only when stderr is a terminal and the work
 * has run for more than a second. */
struct progress {
    const char *label;
    uint64_t total;
    double start, last_draw;
    bool tty, drawn;
};

void progress_begin(struct progress *p, const char *label, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
void progress_end(struct progress *p);

/* A muster_progress_fn (util/progress.h) drawing into the struct progress
 * at ctx: a new stage becomes the bar's label and total. */
void progress_report(void *ctx, const char *stage, int64_t done, int64_t total);

#endif

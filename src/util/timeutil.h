/* timeutil.h — instants as Unix seconds (int64), ISO-8601 text, civil dates.
 *
 * muster stores every instant in UTC. ISO-8601 input may carry a "Z" or a
 * numeric offset; output is always "YYYY-MM-DDTHH:MM:SSZ". */
#ifndef MUSTER_UTIL_TIMEUTIL_H
#define MUSTER_UTIL_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (no range checks). */
int64_t time_days_from_civil(int y, int m, int d);
/* The civil date of a day number. */
void time_civil_from_days(int64_t days, int *y, int *m, int *d);
/* True when y-m-d is a real calendar date (1 <= m <= 12, day within month). */
bool time_valid_date(int y, int m, int d);
/* Parses "YYYY-MM-DD" into y, m, d; returns 0 or -1 (also on an impossible date). */
int time_parse_date(const char *s, int *y, int *m, int *d);
/* Parses "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" (or a space for T; no zone
 * means UTC) into Unix seconds; returns 0 or -1. */
int time_parse_iso(const char *s, int64_t *out);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL) into out. */
void time_format_iso(int64_t t, char out[static 21]);
/* Writes "YYYY-MM-DD" (11 bytes with NUL) into out. */
void time_format_date(int64_t t, char out[static 11]);
/* The current time in Unix seconds; MUSTER_NOW (ISO-8601) in the environment
 * overrides it, so that tests can move the clock. */
int64_t time_now(void);
/* The current wall-clock time in milliseconds (not overridable). */
int64_t time_now_ms(void);
/* Monotonic seconds, for measuring durations. */
double time_mono(void);

#endif

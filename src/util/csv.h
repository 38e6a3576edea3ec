/* csv.h — an RFC 4180 reader over a buffer in memory.
 *
 * Fields may be quoted ("a, b" and "" for a quote inside); records end with
 * LF or CRLF (or a CR alone, counted as a line); a UTF-8 byte-order mark at
 * the start is skipped. Fields are
 * written into the caller's arena, so they outlive the reader. */
#ifndef MUSTER_UTIL_CSV_H
#define MUSTER_UTIL_CSV_H

#include "util/arena.h"

#include <stddef.h>

struct csv {
    const char *p, *end;
    int line;      /* line number where the current record starts (1-based) */
    int next_line; /* line number of the next record */
};

/* Starts reading len bytes at data. */
void csv_init(struct csv *c, const char *data, size_t len);
/* Reads the next record into fields[] (at most max; extra fields are counted
 * but dropped). Returns the number of fields, 0 at the end of input, or -1
 * on an unterminated quote (c->line says where it began). Blank lines are
 * skipped. */
int csv_next(struct csv *c, char **fields, int max, struct arena *a);

#endif

/* csv.c — see csv.h. */
#include "util/csv.h"

#include <string.h>

void csv_init(struct csv *c, const char *data, size_t len)
{
    c->p = data;
    c->end = data + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c->p += 3;
    c->line = 0;
    c->next_line = 1;
}

/* Reads one field starting at c->p; leaves c->p on the delimiter. */
static int read_field(struct csv *c, char **out, struct arena *a)
{
    const char *p = c->p;
    if (p < c->end && *p == '"') {
        /* quoted: copy with "" collapsed */
        size_t cap = 64, n = 0;
        char *buf = arena_alloc(a, cap);
        p++;
        for (;;) {
            if (p >= c->end)
                return -1;
            if (*p == '"') {
                if (p + 1 < c->end && p[1] == '"') {
                    p++;
                } else {
                    p++;
                    break;
                }
            }
            if (*p == '\n')
                c->next_line++;
            if (n + 1 >= cap) {
                char *bigger = arena_alloc(a, cap * 2);
                memcpy(bigger, buf, n);
                buf = bigger;
                cap *= 2;
            }
            buf[n++] = *p++;
        }
        buf[n] = '\0';
        /* anything between the closing quote and the delimiter is kept */
        const char *q = p;
        while (q < c->end && *q != ',' && *q != '\n' && *q != '\r')
            q++;
        if (q > p) {
            char *joined = arena_alloc(a, n + (size_t)(q - p) + 1);
            memcpy(joined, buf, n);
            memcpy(joined + n, p, (size_t)(q - p));
            buf = joined;
        }
        *out = buf;
        c->p = q;
        return 0;
    }
    const char *q = p;
    while (q < c->end && *q != ',' && *q != '\n' && *q != '\r')
        q++;
    *out = arena_strndup(a, p, (size_t)(q - p));
    c->p = q;
    return 0;
}

/* Steps over one line end at c->p: LF, CRLF or a CR alone (old Mac files),
 * each one line. */
static void end_line(struct csv *c)
{
    if (c->p < c->end && *c->p == '\r')
        c->p++;
    if (c->p < c->end && *c->p == '\n')
        c->p++;
    c->next_line++;
}

int csv_next(struct csv *c, char **fields, int max, struct arena *a)
{
    /* skip blank lines */
    while (c->p < c->end && (*c->p == '\n' || *c->p == '\r'))
        end_line(c);
    if (c->p >= c->end)
        return 0;
    c->line = c->next_line;
    int n = 0;
    for (;;) {
        char *f;
        if (read_field(c, &f, a))
            return -1;
        if (n < max)
            fields[n] = f;
        n++;
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        if (c->p < c->end)
            end_line(c);
        return n;
    }
}

/* cli.c — see cli.h. */
#include "cli/cli.h"

#include "util/timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_db_default(void)
{
    const char *db = getenv("MUSTER_DB");
    return db && *db ? db : NULL;
}

int cli_fail(const char *cmd, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "muster %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

char *cli_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *data = malloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            data = realloc(data, cap);
        }
        size_t got = fread(data + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        free(data);
        errno = EIO;
        return NULL;
    }
    data[n] = '\0';
    if (len)
        *len = n;
    return data;
}

bool cli_parse_int(const char *s, long long lo, long long hi, long long *out)
{
    const char *d = s[0] == '-' ? s + 1 : s;
    if (!isdigit((unsigned char)d[0]))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool cli_parse_real(const char *s, double lo, double hi, double *out)
{
    const char *d = s[0] == '-' ? s + 1 : s;
    if (!isdigit((unsigned char)d[0]) && !(d[0] == '.' && isdigit((unsigned char)d[1])))
        return false;
    if (strpbrk(s, "xXpP")) /* no hexadecimal floats */
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int cli_int(const char *cmd, const char *opt, const char *s, long long lo, long long hi,
            long long *out)
{
    if (cli_parse_int(s, lo, hi, out))
        return 0;
    return cli_fail(cmd, 2, "%s wants a whole number from %lld to %lld, not '%s'", opt, lo, hi, s);
}

int cli_u64(const char *cmd, const char *opt, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = isdigit((unsigned char)s[0]) ? strtoull(s, &end, 10) : 0;
    if (!isdigit((unsigned char)s[0]) || *end || errno)
        return cli_fail(cmd, 2, "%s wants a whole number from 0 to %llu, not '%s'", opt,
                        (unsigned long long)UINT64_MAX, s);
    *out = (uint64_t)v;
    return 0;
}

int cli_real(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out)
{
    if (cli_parse_real(s, lo, hi, out))
        return 0;
    return cli_fail(cmd, 2, "%s wants a number from %g to %g, not '%s'", opt, lo, hi, s);
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

void progress_begin(struct progress *p, const char *label, uint64_t total)
{
    p->label = label;
    p->total = total;
    p->start = p->last_draw = time_mono();
    p->tty = isatty(2);
    p->drawn = false;
}

void progress_update(struct progress *p, uint64_t done)
{
    if (!p->tty)
        return;
    double now = time_mono();
    if (now - p->start < 1.0 || now - p->last_draw < 0.1)
        return;
    p->last_draw = now;
    p->drawn = true;
    if (!p->total) { /* how much is left is not known: the count alone */
        fprintf(stderr, "\r%s %llu %.0fs", p->label, (unsigned long long)done, now - p->start);
        return;
    }
    int width = 30, fill = (int)(width * done / p->total);
    if (fill > width)
        fill = width;
    fprintf(stderr, "\r%s [%.*s%*s] %llu/%llu %.0fs", p->label, fill,
            "##############################", width - fill, "", (unsigned long long)done,
            (unsigned long long)p->total, now - p->start);
}

void progress_end(struct progress *p)
{
    if (p->tty && p->drawn)
        fprintf(stderr, "\r\033[K");
}

void progress_report(void *ctx, const char *stage, int64_t done, int64_t total)
{
    struct progress *p = ctx;
    if (stage && (!p->label || strcmp(stage, p->label) != 0)) {
        progress_end(p); /* the next stage's line may be shorter */
        p->label = stage;
    }
    p->total = total > 0 ? (uint64_t)total : 0;
    progress_update(p, done > 0 ? (uint64_t)done : 0);
}

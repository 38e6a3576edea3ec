/* timeutil.c — see timeutil.h. Civil-date arithmetic after H. Hinnant's
 * days_from_civil / civil_from_days. */
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t time_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void time_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool time_valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int time_parse_date(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
        return -1;
    return time_valid_date(*y, *m, *d) ? 0 : -1;
}

int time_parse_iso(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec = 0;
    char date[11];
    if (strlen(s) < 16)
        return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (time_parse_date(date, &y, &mo, &d))
        return -1;
    if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':')
        return -1;
    if (digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || h > 23 || mi > 59)
        return -1;
    const char *p = s + 16;
    if (*p == ':') {
        if (digits(p + 1, 2, &sec) || sec > 60)
            return -1;
        p += 3;
        if (*p == '.') { /* fractional seconds are accepted and dropped */
            p++;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    int64_t off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
            return -1;
        off = (oh * 60 + om) * 60;
        if (*p == '-')
            off = -off;
        p += 6;
    }
    if (*p != '\0')
        return -1;
    *out = time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return 0;
}

void time_format_iso(int64_t t, char out[static 21])
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t rem = t - days * 86400;
    int y, m, d;
    time_civil_from_days(days, &y, &m, &d);
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", y % 10000, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
    memcpy(out, tmp, 20);
    out[20] = '\0';
}

void time_format_date(int64_t t, char out[static 11])
{
    char iso[21];
    time_format_iso(t, iso);
    memcpy(out, iso, 10);
    out[10] = '\0';
}

int64_t time_now(void)
{
    const char *fake = getenv("MUSTER_NOW");
    int64_t t;
    if (fake && time_parse_iso(fake, &t) == 0)
        return t;
    return (int64_t)time(NULL);
}

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double time_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

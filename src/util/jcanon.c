/* jcanon.c — see jcanon.h. Mirrors jansson 2.14's dump.c for the flags
 * JSON_COMPACT | JSON_SORT_KEYS; tests/unit/test_util.c compares the two. */
#include "util/jcanon.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 2048 /* jansson's own parser limit */

/* The length of the valid UTF-8 sequence at s (1-4), or 0: no overlong
 * forms, no surrogates, nothing above U+10FFFF (jansson's utf8_check_*). */
static size_t utf8_len(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        n = 2;
        cp = c & 0x1F;
    } else if (c < 0xF0) {
        n = 3;
        cp = c & 0x0F;
    } else if (c < 0xF5) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* True when any of the 8 bytes of w is not copied as it is: below 0x20,
 * 0x80 or above, '"' or '\\' (the bit tricks of "Bit Twiddling Hacks":
 * exact for "any", which is all the caller asks). */
static bool needs_escape8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
    uint64_t below = (w - ones * 0x20) & ~w;
    uint64_t zero = ((quote - ones) & ~quote) | ((slash - ones) & ~slash);
    return ((below | zero) & high) || (w & high);
}

static uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static int dump_string(const char *str, size_t len, struct buf *b)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    buf_reserve(b, len + 2);
    buf_putc(b, '"');
    while (s < end) {
        const unsigned char *run = s;
        /* base64 and names: eight plain bytes at a time */
        while (end - s >= 8 && !needs_escape8(load8(s)))
            s += 8;
        while (s < end && *s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
            s++;
        if (s > run)
            buf_add(b, run, (size_t)(s - run));
        if (s == end)
            break;
        unsigned c = *s;
        if (c >= 0x80) {
            size_t n = utf8_len(s, (size_t)(end - s));
            if (n == 0)
                return -1;
            buf_add(b, s, n);
            s += n;
            continue;
        }
        s++;
        switch (c) {
        case '"':
            buf_add(b, "\\\"", 2);
            break;
        case '\\':
            buf_add(b, "\\\\", 2);
            break;
        case '\b':
            buf_add(b, "\\b", 2);
            break;
        case '\f':
            buf_add(b, "\\f", 2);
            break;
        case '\n':
            buf_add(b, "\\n", 2);
            break;
        case '\r':
            buf_add(b, "\\r", 2);
            break;
        case '\t':
            buf_add(b, "\\t", 2);
            break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_add(b, u, 6);
        }
        }
    }
    buf_putc(b, '"');
    return 0;
}

/* jansson's jsonp_dtostr with precision 17: "%.17g", a ".0" when the text
 * would read back as an integer, and no '+' or leading zeros in the
 * exponent. */
static void dump_real(double v, struct buf *b)
{
    char t[64];
    int n = snprintf(t, sizeof t, "%.17g", v);
    if (n < 0 || n >= (int)sizeof t - 3)
        n = (int)strlen(t);
    for (char *p = t; *p; p++)
        if (*p == ',') /* a locale's decimal comma */
            *p = '.';
    if (!strchr(t, '.') && !strchr(t, 'e')) {
        t[n++] = '.';
        t[n++] = '0';
        t[n] = '\0';
    }
    char *e = strchr(t, 'e');
    if (e) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start)
            memmove(start, end, strlen(end) + 1);
    }
    buf_puts(b, t);
}

static void dump_integer(json_int_t v, struct buf *b)
{
    char t[24];
    char *p = t + sizeof t;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    buf_add(b, p, (size_t)(t + sizeof t - p));
}

struct key {
    const char *s;
    size_t len;
    json_t *v;
};

static int cmp_keys(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int r = memcmp(x->s, y->s, n);
    if (r)
        return r;
    return x->len < y->len ? -1 : x->len > y->len;
}

static int dump(const json_t *v, struct buf *b, int depth)
{
    if (depth > MAX_DEPTH)
        return -1;
    switch (json_typeof(v)) {
    case JSON_NULL:
        buf_add(b, "null", 4);
        return 0;
    case JSON_TRUE:
        buf_add(b, "true", 4);
        return 0;
    case JSON_FALSE:
        buf_add(b, "false", 5);
        return 0;
    case JSON_INTEGER:
        dump_integer(json_integer_value(v), b);
        return 0;
    case JSON_REAL:
        dump_real(json_real_value(v), b);
        return 0;
    case JSON_STRING:
        return dump_string(json_string_value(v), json_string_length(v), b);
    case JSON_ARRAY: {
        buf_putc(b, '[');
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n; i++) {
            if (i)
                buf_putc(b, ',');
            if (dump(json_array_get(v, i), b, depth + 1))
                return -1;
        }
        buf_putc(b, ']');
        return 0;
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(v);
        struct key small[16], *keys = n <= 16 ? small : malloc(n * sizeof *keys);
        size_t k = 0;
        for (void *it = json_object_iter((json_t *)v); it && k < n;
             it = json_object_iter_next((json_t *)v, it)) {
            keys[k].s = json_object_iter_key(it);
            keys[k].len = json_object_iter_key_len(it);
            keys[k].v = json_object_iter_value(it);
            k++;
        }
        qsort(keys, k, sizeof *keys, cmp_keys);
        int rc = 0;
        buf_putc(b, '{');
        for (size_t i = 0; i < k && !rc; i++) {
            if (i)
                buf_putc(b, ',');
            rc = dump_string(keys[i].s, keys[i].len, b);
            buf_putc(b, ':');
            if (!rc)
                rc = dump(keys[i].v, b, depth + 1);
        }
        buf_putc(b, '}');
        if (keys != small)
            free(keys);
        return rc;
    }
    }
    return -1;
}

int jcanon_dump(const json_t *v, struct buf *b)
{
    return v ? dump(v, b, 0) : -1;
}

char *jcanon_dumps(const json_t *v, size_t *len)
{
    struct buf b = {0};
    if (jcanon_dump(v, &b)) {
        buf_free(&b);
        return NULL;
    }
    buf_putc(&b, '\0'); /* an empty buffer still owns its NUL */
    b.len--;
    if (len)
        *len = b.len;
    return b.data;
}

int jcanon_string(struct buf *b, const char *s, size_t len)
{
    return dump_string(s, len, b);
}

void jcanon_real(struct buf *b, double v)
{
    dump_real(v, b);
}

void jcanon_integer(struct buf *b, long long v)
{
    dump_integer((json_int_t)v, b);
}

bool jcanon_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        if (*p == 0)
            return false; /* json_string takes a C string */
        size_t n = utf8_len(p, (size_t)(end - p));
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

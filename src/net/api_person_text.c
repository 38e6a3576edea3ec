/* api_person_text.c — a person written straight as JSON text: the same
 * bytes as a compact dump of api_person_json(p, view), without building a
 * jansson object of twenty members for every answer (a person read is the
 * busiest answer of the API; the object cost more than the database).
 * tests/unit/test_api_json.c holds the two to the same output. */
#include "net/api.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* true when s is UTF-8 that jansson takes (it refuses the rest, and the
 * member is then left out of the object) */
static bool utf8_ok(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        int n = c < 0x80             ? 0
                : (c & 0xE0) == 0xC0 ? 1
                : (c & 0xF0) == 0xE0 ? 2
                : (c & 0xF8) == 0xF0 ? 3
                                     : -1;
        if (n < 0 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4))
            return false;
        unsigned v = n ? c & (0x3Fu >> n) : c;
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            v = (v << 6) | (s[i] & 0x3Fu);
        }
        if ((n == 2 && v < 0x800) || (n == 3 && (v < 0x10000 || v > 0x10FFFF)) ||
            (v >= 0xD800 && v <= 0xDFFF))
            return false;
        s += n + 1;
    }
    return true;
}

/* s as a JSON string, escaped as jansson escapes it */
static void put_string(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    buf_add(b, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_add(b, run, (size_t)(s - run));
        run = s + 1;
        char esc[7] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        buf_add(b, esc, n);
    }
    buf_add(b, run, (size_t)(s - run));
    buf_add(b, "\"", 1);
}

/* "key": followed by the separator jansson puts before every member */
static void put_key(struct buf *b, bool *first, const char *key)
{
    if (!*first)
        buf_add(b, ",", 1);
    *first = false;
    put_string(b, key);
    buf_add(b, ":", 1);
}

/* a member whose value is a string or null; left out like jansson leaves
 * out a string it refuses */
static void put_str(struct buf *b, bool *first, const char *key, const char *v)
{
    if (v && !utf8_ok((const unsigned char *)v))
        return;
    put_key(b, first, key);
    if (v)
        put_string(b, v);
    else
        buf_add(b, "null", 4);
}

/* a real as jansson writes it: %.17g, with ".0" when it looks whole */
static void put_real(struct buf *b, double v)
{
    char t[40];
    snprintf(t, sizeof t, "%.17g", v);
    for (char *c = t; *c; c++)
        if (*c == ',')
            *c = '.';
    if (!strpbrk(t, ".eE"))
        strcat(t, ".0");
    /* no '+' and no leading zeros in the exponent: 1e21, 1e-8 */
    char *e = strchr(t, 'e');
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        memmove(start, end, strlen(end) + 1);
    }
    buf_puts(b, t);
}

static bool str_ok(const char *v)
{
    return !v || utf8_ok((const unsigned char *)v);
}

void api_person_text(struct buf *b, const struct store_person *p, enum access_view view)
{
    static const char *const needs[] = {"stretcher", "assisted", "pregnant", "unaccompanied_minor"};
    bool first = true;
    buf_add(b, "{", 1);
    put_str(b, &first, "id", p->id);
    put_str(b, &first, "household", p->household);
    put_str(b, &first, "operation", p->operation);
    put_str(b, &first, "nation", p->nation);
    put_str(b, &first, "nationality", p->nationality);
    put_str(b, &first, "surname", p->surname);
    put_str(b, &first, "given_names", p->given_names);
    put_str(b, &first, "sex", p->sex);
    put_str(b, &first, "birth_date", p->birth_date);
    if (!p->doc_number) {
        put_key(b, &first, "document");
        buf_add(b, "null", 4);
    } else if (str_ok(p->doc_type) && str_ok(p->doc_number) && str_ok(p->doc_state) &&
               str_ok(p->doc_expiry)) {
        put_key(b, &first, "document");
        bool f = true;
        buf_add(b, "{", 1);
        put_str(b, &f, "type", p->doc_type);
        put_str(b, &f, "number", p->doc_number);
        put_str(b, &f, "issuing_state", p->doc_state);
        put_str(b, &f, "expiry", p->doc_expiry);
        buf_add(b, "}", 1);
    }
    put_key(b, &first, "needs");
    buf_add(b, "[", 1);
    bool f = true;
    for (int i = 0; i < 4; i++)
        if (p->needs & (1 << i)) {
            if (!f)
                buf_add(b, ",", 1);
            f = false;
            put_string(b, needs[i]);
        }
    buf_add(b, "]", 1);
    put_str(b, &first, "priority", p->priority);
    put_str(b, &first, "status", p->status);
    put_str(b, &first, "leg", p->leg);
    put_str(b, &first, "view", view == VIEW_FULL ? "full" : "partner");
    if (view == VIEW_FULL) {
        put_str(b, &first, "native_name", p->native_name);
        put_str(b, &first, "phone", p->phone);
        put_str(b, &first, "email", p->email);
        put_str(b, &first, "address", p->address);
        if (isnan(p->lat)) {
            put_key(b, &first, "location");
            buf_add(b, "null", 4);
        } else if (isfinite(p->lat) && isfinite(p->lon)) {
            put_key(b, &first, "location");
            buf_add(b, "{\"lat\":", 7);
            put_real(b, p->lat);
            buf_add(b, ",\"lon\":", 7);
            put_real(b, p->lon);
            buf_add(b, "}", 1);
        }
        put_str(b, &first, "priority_override", p->priority_override);
        put_key(b, &first, "consent");
        if (p->consent)
            buf_add(b, "true", 4);
        else
            buf_add(b, "false", 5);
    }
    buf_add(b, "}", 1);
}

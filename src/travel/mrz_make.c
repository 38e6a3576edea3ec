/* mrz_make.c — writing an MRZ from document data: names transliterated and
 * truncated by the Doc 9303 rule, fields padded with fillers, every check
 * digit computed. What mrz_make writes, mrz_parse reads back to the same
 * fields (a property test holds it to that). */
#include "travel/mrz.h"
#include "travel/mrz_internal.h"
#include "travel/translit.h"

#include <string.h>

#define MAX_PARTS 40

struct parts {
    char text[160];
    int start[MAX_PARTS], len[MAX_PARTS];
    int n;
};

/* Transliterates s and cuts it into components (runs of letters). */
static int components(const char *s, struct parts *p, struct muster_err *err)
{
    p->n = 0;
    if (!s)
        return 0;
    int n = translit_mrz(s, strlen(s), p->text, sizeof p->text, err);
    if (n < 0)
        return n;
    if (n >= (int)sizeof p->text)
        return err_set(err, MUSTER_EINVAL, "name too long (%d characters)", n);
    for (int i = 0; i < n; i++)
        if (p->text[i] >= '0' && p->text[i] <= '9')
            return err_set(err, MUSTER_EINVAL, "a digit in the name '%s'", s);
    for (int i = 0; i < n;) {
        if (p->text[i] == '<') {
            i++;
            continue;
        }
        if (p->n == MAX_PARTS)
            return err_set(err, MUSTER_EINVAL, "too many name components");
        int j = i;
        while (j < n && p->text[j] != '<')
            j++;
        p->start[p->n] = i;
        p->len[p->n++] = j - i;
        i = j;
    }
    return 0;
}

static int joined_len(const struct parts *p)
{
    int t = p->n ? p->n - 1 : 0;
    for (int i = 0; i < p->n; i++)
        t += p->len[i];
    return t;
}

/* Shortens components of p from the last backwards, each down to one
 * letter, by at most *over characters; decreases *over. */
static void shorten(struct parts *p, int *over)
{
    for (int i = p->n - 1; i >= 0 && *over > 0; i--) {
        int cut = p->len[i] - 1 < *over ? p->len[i] - 1 : *over;
        p->len[i] -= cut;
        *over -= cut;
    }
}

static size_t put_parts(const struct parts *p, char *out, size_t at, size_t n)
{
    for (int i = 0; i < p->n && at < n; i++) {
        if (i)
            out[at++] = '<';
        for (int k = 0; k < p->len[i] && at < n; k++)
            out[at++] = p->text[p->start[i] + k];
    }
    return at;
}

int mrz_name_field(const char *surname, const char *given_names, size_t n, char *out,
                   struct muster_err *err)
{
    struct parts pri, sec;
    int rc = components(surname, &pri, err);
    if (rc == 0)
        rc = components(given_names, &sec, err);
    if (rc < 0)
        return rc;
    int total = joined_len(&pri) + (sec.n ? 2 + joined_len(&sec) : 0);
    int over = total - (int)n;
    bool cut = over > 0;
    shorten(&sec, &over);
    shorten(&pri, &over);
    size_t at = put_parts(&pri, out, 0, n);
    if (sec.n) {
        for (int k = 0; k < 2 && at < n; k++)
            out[at++] = '<';
        at = put_parts(&sec, out, at, n);
    }
    memset(out + at, '<', n - at);
    out[n] = '\0';
    return cut ? 1 : 0;
}

/* Upper-cases an alphanumeric field into out (n characters, filler-padded);
 * spaces and hyphens become fillers. */
static int field(const char *what, const char *s, char *out, size_t n, struct muster_err *err)
{
    size_t len = s ? strlen(s) : 0;
    if (len > n)
        return err_set(err, MUSTER_EINVAL, "%s '%s' is longer than %zu characters", what, s, n);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (c == ' ' || c == '-')
            c = '<';
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'))
            return err_set(err, MUSTER_EINVAL, "%s '%s': character '%c' not allowed", what, s,
                           s[i]);
        out[i] = c;
    }
    memset(out + len, '<', n - len);
    return 0;
}

static int code3(const char *what, const char *s, char *out, struct muster_err *err)
{
    size_t len = s ? strlen(s) : 0;
    if (len == 0)
        return err_set(err, MUSTER_EINVAL, "%s is missing", what);
    int rc = field(what, s, out, 3, err);
    for (size_t i = 0; rc == 0 && i < len; i++)
        if (out[i] < 'A' || out[i] > 'Z')
            return err_set(err, MUSTER_EINVAL, "%s '%s' must be 1 to 3 letters", what, s);
    return rc;
}

/* "YYYY-MM-DD" or "YYMMDD" (digits or "<<" per part) into 6 characters. */
static int date6(const char *what, const char *s, char *out, struct muster_err *err)
{
    size_t len = s ? strlen(s) : 0;
    const char *p = s;
    char t[6];
    if (len == 10 && s[4] == '-' && s[7] == '-') {
        memcpy(t, s + 2, 2);
        memcpy(t + 2, s + 5, 2);
        memcpy(t + 4, s + 8, 2);
        p = t;
    } else if (len != 6) {
        return err_set(err, MUSTER_EINVAL, "%s '%s' is not YYYY-MM-DD or YYMMDD", what, s ? s : "");
    }
    for (int i = 0; i < 6; i += 2) {
        bool digits = p[i] >= '0' && p[i] <= '9' && p[i + 1] >= '0' && p[i + 1] <= '9';
        bool unknown = p[i] == '<' && p[i + 1] == '<';
        if (!digits && !unknown)
            return err_set(err, MUSTER_EINVAL, "%s '%s' is not a date", what, s);
    }
    memcpy(out, p, 6);
    return 0;
}

static bool all_fillers(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '<')
            return false;
    return true;
}

static char digit(const char *s, size_t n)
{
    return (char)('0' + mrz_weighted_sum(s, n, 0) % 10);
}

/* Document number into the 9 places (+ check) and, when longer (TD1/TD2),
 * its overflow and check digit at the start of the optional field opt (of
 * width optn). Returns the optional characters used, or a negative error. */
static int number(enum mrz_format f, const char *s, char *d, char *opt, size_t optn,
                  struct muster_err *err)
{
    size_t len = s ? strlen(s) : 0;
    if (len == 0)
        return err_set(err, MUSTER_EINVAL, "document number is missing");
    size_t max = f == MRZ_TD1 || f == MRZ_TD2 ? 9 + optn - 1 : 9;
    if (len > max)
        return err_set(err, MUSTER_EINVAL, "document number '%s' is longer than %zu characters", s,
                       max);
    char tmp[32];
    int rc = field("document number", s, tmp, len, err);
    if (rc < 0)
        return rc;
    if (len <= 9) {
        memcpy(d, tmp, len);
        memset(d + len, '<', 9 - len);
        d[9] = digit(d, 9);
        return 0;
    }
    if (memchr(tmp, '<', len))
        return err_set(err, MUSTER_EINVAL,
                       "a document number over 9 characters may not hold fillers or spaces");
    memcpy(d, tmp, 9);
    d[9] = '<';
    memcpy(opt, tmp + 9, len - 9);
    opt[len - 9] = digit(tmp, len); /* over the number without the filler */
    size_t used = len - 9 + 1;
    if (used < optn)
        opt[used++] = '<';
    return (int)used;
}

static void composite_into(const char *l, const int (*seg)[2], int nseg, char *cd)
{
    unsigned sum = 0, phase = 0;
    for (int i = 0; i < nseg; i++) {
        sum += mrz_weighted_sum(l + seg[i][0], (size_t)seg[i][1], phase);
        phase = (phase + (unsigned)seg[i][1]) % 3;
    }
    *cd = (char)('0' + sum % 10);
}

static int sex_char(char s, char *out, struct muster_err *err)
{
    if (s >= 'a' && s <= 'z')
        s = (char)(s - 'a' + 'A');
    if (s == 'M' || s == 'F')
        *out = s;
    else if (s == 'X' || s == '<' || s == '\0')
        *out = '<';
    else
        return err_set(err, MUSTER_EINVAL, "sex '%c' is not M, F or X", s);
    return 0;
}

static int doc_code(enum mrz_format f, const char *s, char *out, struct muster_err *err)
{
    const char *def = f == MRZ_TD3 ? "P" : f == MRZ_MRVA || f == MRZ_MRVB ? "V" : "I";
    if (!s || !*s)
        s = def;
    int rc = field("document code", s, out, 2, err);
    if (rc < 0)
        return rc;
    bool visa = f == MRZ_MRVA || f == MRZ_MRVB;
    if ((out[0] == 'V') != visa || out[0] < 'A' || out[0] > 'Z')
        return err_set(err, MUSTER_EINVAL, "document code '%s' does not fit the format", s);
    return 0;
}

/* Line 2 of TD2/TD3/MRV (w = 36 or 44) and line 1 (code, state, name). */
static int make_two_line(const struct mrz_person *p, enum mrz_format f, char l[2][45],
                         bool *truncated, struct muster_err *err)
{
    int w = f == MRZ_TD3 || f == MRZ_MRVA ? 44 : 36;
    int optn = f == MRZ_TD3 ? 14 : f == MRZ_MRVA ? 16 : f == MRZ_TD2 ? 7 : 8;
    char *a = l[0], *b = l[1];
    memset(a, '<', (size_t)w);
    memset(b, '<', (size_t)w);
    int rc = doc_code(f, p->document_code, a, err);
    if (rc == 0)
        rc = code3("issuing state", p->issuing_state, a + 2, err);
    if (rc < 0)
        return rc;
    rc = mrz_name_field(p->surname, p->given_names, (size_t)(w - 5), a + 5, err);
    if (rc < 0)
        return rc;
    *truncated = rc == 1;
    int used = number(f, p->document_number, b, b + 28, (size_t)optn, err);
    if (used < 0)
        return used;
    if ((rc = code3("nationality", p->nationality, b + 10, err)) < 0 ||
        (rc = date6("birth date", p->birth_date, b + 13, err)) < 0 ||
        (rc = sex_char(p->sex, b + 20, err)) < 0 ||
        (rc = date6("expiry date", p->expiry_date, b + 21, err)) < 0 ||
        (rc = field("optional data", p->optional_data, b + 28 + used, (size_t)(optn - used), err)) <
            0)
        return rc;
    b[19] = digit(b + 13, 6);
    b[27] = digit(b + 21, 6);
    if (f == MRZ_TD3) {
        b[42] = all_fillers(b + 28, 14) ? '<' : digit(b + 28, 14);
        static const int seg[3][2] = {{0, 10}, {13, 7}, {21, 22}};
        composite_into(b, seg, 3, b + 43);
    } else if (f == MRZ_TD2) {
        static const int seg[3][2] = {{0, 10}, {13, 7}, {21, 14}};
        composite_into(b, seg, 3, b + 35);
    }
    a[w] = b[w] = '\0';
    return 0;
}

static int make_td1(const struct mrz_person *p, char l[3][45], bool *truncated,
                    struct muster_err *err)
{
    char *a = l[0], *b = l[1], *c = l[2];
    memset(a, '<', 30);
    memset(b, '<', 30);
    int rc = doc_code(MRZ_TD1, p->document_code, a, err);
    if (rc == 0)
        rc = code3("issuing state", p->issuing_state, a + 2, err);
    if (rc < 0)
        return rc;
    int used = number(MRZ_TD1, p->document_number, a + 5, a + 15, 15, err);
    if (used < 0)
        return used;
    if ((rc = field("optional data", p->optional_data, a + 15 + used, (size_t)(15 - used), err)) <
            0 ||
        (rc = date6("birth date", p->birth_date, b, err)) < 0 ||
        (rc = sex_char(p->sex, b + 7, err)) < 0 ||
        (rc = date6("expiry date", p->expiry_date, b + 8, err)) < 0 ||
        (rc = code3("nationality", p->nationality, b + 15, err)) < 0 ||
        (rc = field("optional data 2", p->optional_data_2, b + 18, 11, err)) < 0)
        return rc;
    b[6] = digit(b, 6);
    b[14] = digit(b + 8, 6);
    unsigned sum = mrz_weighted_sum(a + 5, 25, 0) + mrz_weighted_sum(b, 7, 25 % 3) +
                   mrz_weighted_sum(b + 8, 7, 32 % 3) + mrz_weighted_sum(b + 18, 11, 39 % 3);
    b[29] = (char)('0' + sum % 10);
    rc = mrz_name_field(p->surname, p->given_names, 30, c, err);
    if (rc < 0)
        return rc;
    *truncated = rc == 1;
    a[30] = b[30] = '\0';
    return 0;
}

int mrz_make(const struct mrz_person *p, enum mrz_format f, char *out, size_t cap, bool *truncated,
             struct muster_err *err)
{
    char l[3][45];
    bool cut = false;
    int rc, n;
    if (f == MRZ_TD1) {
        rc = make_td1(p, l, &cut, err);
        n = 3;
    } else if (f >= MRZ_TD2 && f <= MRZ_MRVB) {
        rc = make_two_line(p, f, l, &cut, err);
        n = 2;
    } else {
        return err_set(err, MUSTER_EINVAL, "no such MRZ format");
    }
    if (rc < 0)
        return rc;
    size_t w = strlen(l[0]), need = (w + 1) * (size_t)n;
    if (cap < need)
        return err_set(err, MUSTER_EINVAL, "output buffer too small");
    for (int i = 0; i < n; i++) {
        memcpy(out + i * (w + 1), l[i], w);
        out[i * (w + 1) + w] = i + 1 < n ? '\n' : '\0';
    }
    if (truncated)
        *truncated = cut;
    err_clear(err);
    return 0;
}

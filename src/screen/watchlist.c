/* watchlist.c — the watchlist read from CSV text, and its key index.
 *
 * Every field lands once in one string pool (no allocation per entry), so a
 * list of a million entries costs the size of its CSV plus 28 bytes an
 * entry plus 16 bytes an index posting. The index is a hash table in CSR
 * form: postings grouped by the top bits of their key hash. */
#include "screen/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { COL_SURNAME, COL_GIVEN, COL_BIRTH, COL_NAT, COL_REASON, COL_ID, COL_SEX, COL_N };

/* Reads the digits s[0..n) into *v; an all-X part is unknown (0).
 * Returns -1 for anything else. */
static int date_part(const char *s, size_t n, bool may_be_unknown, int *v)
{
    size_t x = 0;
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == 'X' || s[i] == 'x')
            x++;
        else if (s[i] >= '0' && s[i] <= '9')
            *v = *v * 10 + (s[i] - '0');
        else
            return -1;
    }
    if (x == n && may_be_unknown)
        return 0;
    return x ? -1 : 0;
}

int screen_date_parse(const char *s, struct screen_date *out)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, m = 0, d = 0;
    size_t n = s ? strlen(s) : 0;
    memset(out, 0, sizeof *out);
    if (n == 0)
        return 0;
    if ((n != 4 && n != 7 && n != 10) || (n > 4 && s[4] != '-') || (n > 7 && s[7] != '-'))
        return -1;
    if (date_part(s, 4, false, &y) || (n > 4 && date_part(s + 5, 2, true, &m)) ||
        (n > 7 && date_part(s + 8, 2, true, &d)))
        return -1;
    if (y == 0 || m > 12 || (m == 0 && d != 0) || d > 31)
        return -1;
    if (d && m) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
            return -1;
    }
    out->y = y;
    out->m = m;
    out->d = d;
    return 0;
}

/* Copies the field at csv[*pos] into the pool (unquoting) and moves *pos
 * past it and its separator; *eol is set when the field ended the record.
 * Returns the pool offset, or -1 for an unterminated quote. */
static long field(struct screen_watchlist *wl, const char *csv, size_t len, size_t *pos, bool *eol,
                  bool keep)
{
    size_t i = *pos, start = wl->pool_len, o = wl->pool_len;
    if (i < len && csv[i] == '"') {
        for (i++;; i++) {
            if (i >= len)
                return -1;
            if (csv[i] == '"') {
                if (i + 1 < len && csv[i + 1] == '"')
                    i++;
                else {
                    i++;
                    break;
                }
            }
            if (keep)
                wl->pool[o++] = csv[i];
        }
        while (i < len && csv[i] != ',' && csv[i] != '\n')
            i++; /* junk after the closing quote is ignored */
    } else {
        for (; i < len && csv[i] != ',' && csv[i] != '\n'; i++)
            if (keep)
                wl->pool[o++] = csv[i];
        if (keep && o > start && wl->pool[o - 1] == '\r')
            o--;
    }
    *eol = i >= len || csv[i] == '\n';
    *pos = i < len ? i + 1 : i;
    if (!keep)
        return 0;
    while (o > start && (wl->pool[o - 1] == ' ' || wl->pool[o - 1] == '\r'))
        o--; /* trailing blanks */
    wl->pool[o++] = '\0';
    wl->pool_len = o;
    return (long)start;
}

/* Reads the header (if the first record names the columns) into map. */
static bool read_header(const char *csv, size_t len, int out[16])
{
    int map[16];
    static const char *const names[COL_N][4] = {{"surname", "family_name", "last_name", NULL},
                                                {"given_names", "given", "first_name", "forenames"},
                                                {"birth_date", "birth", "dob", "birth_year"},
                                                {"nationality", "nat", NULL, NULL},
                                                {"reason", NULL, NULL, NULL},
                                                {"id", "entry_id", NULL, NULL},
                                                {"sex", "gender", NULL, NULL}};
    size_t i = 0;
    bool named = false;
    for (int c = 0; c < 16; c++) {
        size_t s = i;
        while (i < len && csv[i] != ',' && csv[i] != '\n')
            i++;
        size_t e = i;
        while (e > s && (csv[e - 1] == '\r' || csv[e - 1] == ' '))
            e--;
        map[c] = -1;
        for (int k = 0; k < COL_N; k++)
            for (int a = 0; a < 4 && names[k][a]; a++)
                if (strlen(names[k][a]) == e - s && strncasecmp(csv + s, names[k][a], e - s) == 0) {
                    map[c] = k;
                    named = true;
                }
        if (i >= len || csv[i] == '\n') {
            for (int k = c + 1; k < 16; k++)
                map[k] = -1;
            break;
        }
        i++;
    }
    if (named)
        memcpy(out, map, sizeof map);
    return named;
}

/* The sex column: M, F, X (or U, unspecified) in any case, MALE, FEMALE or
 * empty, into *out ('M', 'F', 'X' or 0); -1 for anything else. */
static int parse_sex(const char *s, char *out)
{
    static const char *const words[] = {"M", "MALE", "F", "FEMALE", "X", "U", "<"};
    static const char code[] = {'M', 'M', 'F', 'F', 'X', 'X', 'X'};
    *out = 0;
    if (!s[0])
        return 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i]) == 0) {
            *out = code[i];
            return 0;
        }
    return -1;
}

static int add_entry(struct screen_watchlist *wl, const long off[COL_N], size_t line,
                     struct muster_err *err)
{
    char sex;
    struct wl_entry e;
    struct screen_date bd;
    char *nat = wl->pool + off[COL_NAT];
    if (!wl->pool[off[COL_SURNAME]] && !wl->pool[off[COL_GIVEN]])
        return err_set(err, MUSTER_EINVAL, "watchlist line %zu: no name", line);
    if (screen_date_parse(wl->pool + off[COL_BIRTH], &bd) != 0 || bd.y > 65535)
        return err_set(err, MUSTER_EINVAL,
                       "watchlist line %zu: birth date '%s' is not YYYY[-MM[-DD]]", line,
                       wl->pool + off[COL_BIRTH]);
    if (parse_sex(wl->pool + off[COL_SEX], &sex) != 0)
        return err_set(err, MUSTER_EINVAL, "watchlist line %zu: sex '%s' is not M, F or X", line,
                       wl->pool + off[COL_SEX]);
    for (char *p = nat; *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p -= 32;
        if (!((*p >= 'A' && *p <= 'Z') || *p == '<') || p - nat >= 3)
            return err_set(err, MUSTER_EINVAL,
                           "watchlist line %zu: nationality '%s' is not a 3-letter code", line,
                           nat);
    }
    if (wl->n == wl->cap) {
        size_t cap = wl->cap ? wl->cap * 2 : 1024;
        struct wl_entry *p = realloc(wl->entries, cap * sizeof *p);
        if (!p)
            return err_set(err, MUSTER_ENOMEM, "watchlist: out of memory");
        wl->entries = p;
        wl->cap = cap;
    }
    e.surname = (uint32_t)off[COL_SURNAME];
    e.given = (uint32_t)off[COL_GIVEN];
    e.reason = (uint32_t)off[COL_REASON];
    e.id = (uint32_t)off[COL_ID];
    e.nat = (uint32_t)off[COL_NAT];
    e.by = (uint16_t)bd.y;
    e.bm = (uint8_t)bd.m;
    e.bd = (uint8_t)bd.d;
    e.sex = sex;
    wl->entries[wl->n++] = e;
    return 0;
}

/* Reads every record after the header into entries. */
static int read_records(struct screen_watchlist *wl, const char *csv, size_t len, size_t pos,
                        const int map[16], size_t line, struct muster_err *err)
{
    while (pos < len) {
        long off[COL_N];
        bool eol = false;
        size_t start = pos;
        for (int k = 0; k < COL_N; k++)
            off[k] = 0; /* offset 0 holds "" */
        if (csv[pos] == '\n' || (csv[pos] == '\r' && pos + 1 < len && csv[pos + 1] == '\n')) {
            pos += csv[pos] == '\n' ? 1 : 2;
            line++;
            continue;
        }
        for (int c = 0; !eol; c++) {
            int col = c < 16 ? map[c] : -1;
            long o = field(wl, csv, len, &pos, &eol, col >= 0);
            if (o < 0)
                return err_set(err, MUSTER_EINVAL, "watchlist line %zu: unterminated quote", line);
            if (col >= 0)
                off[col] = o;
        }
        for (size_t i = start; i < pos; i++)
            line += csv[i] == '\n';
        int rc = add_entry(wl, off, line - 1, err);
        if (rc)
            return rc;
        if (wl->n >= UINT32_MAX - 1)
            return err_set(err, MUSTER_EINVAL, "watchlist: too many entries");
    }
    return 0;
}

int screen_watchlist_load(const char *csv, size_t len, struct screen_watchlist **out,
                          struct muster_err *err)
{
    /* without a header: the six columns of docs/screening.md (no sex) */
    int map[16] = {COL_SURNAME, COL_GIVEN, COL_BIRTH, COL_NAT, COL_REASON, COL_ID, -1, -1,
                   -1,          -1,        -1,        -1,      -1,         -1,     -1, -1};
    size_t pos = 0, line = 1;
    *out = NULL;
    if (len >= UINT32_MAX - 64)
        return err_set(err, MUSTER_EINVAL, "watchlist: larger than 4 GB");
    struct screen_watchlist *wl = calloc(1, sizeof *wl);
    if (!wl)
        return err_set(err, MUSTER_ENOMEM, "watchlist: out of memory");
    wl->pool_cap = len + 16;
    wl->pool = malloc(wl->pool_cap);
    if (!wl->pool) {
        free(wl);
        return err_set(err, MUSTER_ENOMEM, "watchlist: out of memory");
    }
    wl->pool[0] = '\0';
    wl->pool_len = 1;
    if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* byte order mark */
    if (read_header(csv + pos, len - pos, map)) {
        while (pos < len && csv[pos] != '\n')
            pos++;
        pos++;
        line++;
    }
    int rc = read_records(wl, csv, len, pos, map, line, err);
    if (rc == 0)
        rc = wl_index_build(wl);
    if (rc) {
        if (rc == MUSTER_ENOMEM)
            err_set(err, rc, "watchlist: out of memory");
        screen_watchlist_free(wl);
        return rc;
    }
    *out = wl;
    return 0;
}

size_t screen_watchlist_size(const struct screen_watchlist *wl)
{
    return wl ? wl->n : 0;
}

void screen_watchlist_entry(const struct screen_watchlist *wl, size_t i, struct screen_entry *out)
{
    const struct wl_entry *e = &wl->entries[i];
    out->id = wl->pool + e->id;
    out->surname = wl->pool + e->surname;
    out->given_names = wl->pool + e->given;
    out->reason = wl->pool + e->reason;
    out->nationality = wl->pool + e->nat;
    out->birth.y = e->by;
    out->birth.m = e->bm;
    out->birth.d = e->bd;
    out->sex = e->sex;
}

void screen_watchlist_free(struct screen_watchlist *wl)
{
    if (!wl)
        return;
    free(wl->pool);
    free(wl->entries);
    free(wl->posts);
    free(wl->bucket);
    free(wl);
}

/* Appends the keys of entry i to *tmp (growing it). */
static int index_entry(struct screen_watchlist *wl, uint32_t i, struct wl_post **tmp, size_t *cap)
{
    struct sname s;
    uint64_t h[16];
    const struct wl_entry *e = &wl->entries[i];
    sname_build(&s, wl->pool + e->surname, wl->pool + e->given, wl->pool + e->nat, false);
    int k = sname_keys(s.sur_key, s.n_sur, s.giv_key, s.n_giv, s.first_key, s.n_first, h, 16);
    if (wl->n_posts + (size_t)k > *cap) {
        size_t ncap = *cap ? *cap * 2 : 4096;
        struct wl_post *p = realloc(*tmp, ncap * sizeof *p);
        if (!p)
            return MUSTER_ENOMEM;
        *tmp = p;
        *cap = ncap;
    }
    for (int j = 0; j < k; j++)
        (*tmp)[wl->n_posts++] = (struct wl_post){h[j], i};
    return 0;
}

int wl_index_build(struct screen_watchlist *wl)
{
    struct wl_post *tmp = NULL;
    size_t cap = 0;
    wl->n_posts = 0;
    for (size_t i = 0; i < wl->n; i++)
        if (index_entry(wl, (uint32_t)i, &tmp, &cap)) {
            free(tmp);
            return MUSTER_ENOMEM;
        }
    unsigned bits = 4;
    while (bits < 31 && ((size_t)1 << bits) < wl->n_posts)
        bits++;
    size_t nb = (size_t)1 << bits;
    wl->bucket_bits = bits;
    wl->bucket = calloc(nb + 1, sizeof *wl->bucket);
    wl->posts = malloc((wl->n_posts ? wl->n_posts : 1) * sizeof *wl->posts);
    if (!wl->bucket || !wl->posts) {
        free(tmp);
        return MUSTER_ENOMEM;
    }
    for (size_t i = 0; i < wl->n_posts; i++)
        wl->bucket[(tmp[i].hash >> (64 - bits)) + 1]++;
    for (size_t b = 0; b < nb; b++)
        wl->bucket[b + 1] += wl->bucket[b];
    uint32_t *fill = malloc(nb * sizeof *fill);
    if (!fill) {
        free(tmp);
        return MUSTER_ENOMEM;
    }
    memcpy(fill, wl->bucket, nb * sizeof *fill);
    for (size_t i = 0; i < wl->n_posts; i++)
        wl->posts[fill[tmp[i].hash >> (64 - bits)]++] = tmp[i];
    free(fill);
    free(tmp);
    return 0;
}

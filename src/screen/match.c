/* match.c — one passenger against the watchlist: candidates from the key
 * index, then a score and an explanation for each.
 *
 * The index only proposes entries whose romanisation keys agree (as
 * written, or with family and given names exchanged). The score then
 * weighs how the names agree (exactly, after romanisation, with a middle
 * name missing, swapped), how the birth dates agree (exact, day and month
 * swapped, year and month, year only, unknown; a contradiction rules the
 * entry out), the nationality and, when both sides know it, the sex.
 * docs/screening.md has the table. */
#include "screen/internal.h"

#include <stdio.h>
#include <string.h>

enum given_rel { GIVEN_NONE, GIVEN_FULL, GIVEN_MIDDLE };

#define MAX_SEEN 512
#define MAX_KEEP 32

/* True when any key variant of a equals any of b. */
static bool keys_meet(char a[][SN_KEY], int na, char b[][SN_KEY], int nb)
{
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (strcmp(a[i], b[j]) == 0)
                return true;
    return false;
}

/* Compares folded texts ignoring spaces. */
static bool same_letters(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a != *b)
            return false;
        if (!*a)
            return true;
        a++;
        b++;
    }
}

/* Splits folded words into keys (both readings); returns the word count. */
static int word_keys(const char *s, char keys[][2][SN_KEY], int max)
{
    int n = 0;
    while (*s && n < max) {
        size_t w = strcspn(s, " ");
        screen_name_key(s, w, 0, keys[n][0], SN_KEY);
        screen_name_key(s, w, SCREEN_KEY_ALT_OO, keys[n][1], SN_KEY);
        n++;
        s += w;
        while (*s == ' ')
            s++;
    }
    return n;
}

static bool word_eq(char a[2][SN_KEY], char b[2][SN_KEY])
{
    return strcmp(a[0], b[0]) == 0 || strcmp(a[1], b[1]) == 0 || strcmp(a[0], b[1]) == 0 ||
           strcmp(a[1], b[0]) == 0;
}

/* A middle name missing: the shorter list of words is the longer one with
 * words left out, the first word kept. */
static bool middle_missing(const char *a, const char *b)
{
    char ka[8][2][SN_KEY], kb[8][2][SN_KEY];
    int na = word_keys(a, ka, 8), nb = word_keys(b, kb, 8);
    if (na == nb || na == 0 || nb == 0)
        return false;
    if (na > nb)
        return middle_missing(b, a);
    if (!word_eq(ka[0], kb[0]))
        return false;
    for (int i = 0; i < na; i++)
        if (strlen(ka[i][0]) < 3)
            return false; /* a syllable (Na, Seo) says too little to stand for Na Mun */
    int j = 1;
    for (int i = 1; i < na; i++) {
        while (j < nb && !word_eq(ka[i], kb[j]))
            j++;
        if (j == nb)
            return false;
        j++;
    }
    return true;
}

/* How the given names (folded text and joined keys) relate. */
static enum given_rel given_relation(const char *a, char ka[][SN_KEY], int na, const char *b,
                                     char kb[][SN_KEY], int nb)
{
    if (keys_meet(ka, na, kb, nb))
        return GIVEN_FULL;
    return middle_missing(a, b) ? GIVEN_MIDDLE : GIVEN_NONE;
}

/* Birth dates: the points they add, or -1 when they contradict. */
static int birth_points(struct screen_date a, struct screen_date b, unsigned *flag)
{
    if (!a.y || !b.y) {
        *flag = SCREEN_WHY_BIRTH_UNKNOWN;
        return 0;
    }
    if (a.y != b.y)
        return -1;
    if (a.m && b.m && a.d && b.d) {
        if (a.m == b.m && a.d == b.d) {
            *flag = SCREEN_WHY_BIRTH_EXACT;
            return 35;
        }
        *flag = SCREEN_WHY_BIRTH_SWAPPED;
        return a.m == b.d && a.d == b.m ? 25 : -1;
    }
    if (a.m && b.m) {
        *flag = a.m == b.m ? SCREEN_WHY_BIRTH_MONTH : SCREEN_WHY_BIRTH_YEAR;
        if (a.m == b.m)
            return 20;
        return (a.d && a.d == b.m) || (b.d && b.d == a.m) ? 15 : -1;
    }
    *flag = SCREEN_WHY_BIRTH_YEAR;
    return 15;
}

static void fmt_date(struct screen_date d, char out[16])
{
    if (d.y && d.m && d.d)
        snprintf(out, 16, "%04d-%02d-%02d", d.y % 10000, d.m % 100, d.d % 100);
    else if (d.y && d.m)
        snprintf(out, 16, "%04d-%02d", d.y % 10000, d.m % 100);
    else if (d.y)
        snprintf(out, 16, "%04d", d.y % 10000);
    else
        snprintf(out, 16, "unknown");
}

/* What one candidate needs while it is scored. */
struct cand {
    const struct sname *q;
    struct sname e;
    struct screen_date qb, eb;
    const char *qnat, *enat;
    char qsex, esex;
};

static void explain(const struct cand *c, bool swapped, enum given_rel rel, struct screen_hit *h)
{
    char qd[16], ed[16];
    const char *qs = swapped ? c->q->giv : c->q->sur, *qg = swapped ? c->q->sur : c->q->giv;
    size_t n = 0, cap = sizeof h->why;
    h->why[0] = '\0';
#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (n < cap)                                                                               \
            n += (size_t)snprintf(h->why + n, cap - n, __VA_ARGS__);                               \
    } while (0)
    if (h->flags & SCREEN_WHY_SURNAME_VARIANT)
        ADD("surname %s ~ %s (romanisation variant)", qs, c->e.sur);
    else
        ADD("surname %s", c->e.sur);
    if (rel == GIVEN_MIDDLE)
        ADD("; given names %s ~ %s (a middle name missing)", qg, c->e.giv);
    else if (h->flags & SCREEN_WHY_GIVEN_VARIANT)
        ADD("; given names %s ~ %s (romanisation variant)", qg, c->e.giv);
    else if (h->flags & SCREEN_WHY_GIVEN_SPACING)
        ADD("; given names %s ~ %s (written apart or together)", qg, c->e.giv);
    else
        ADD("; given names %s", c->e.giv);
    if (swapped)
        ADD("; family and given names swapped");
    fmt_date(c->qb, qd);
    fmt_date(c->eb, ed);
    if (h->flags & SCREEN_WHY_BIRTH_EXACT)
        ADD("; born %s", ed);
    else if (h->flags & SCREEN_WHY_BIRTH_SWAPPED)
        ADD("; born %s ~ %s (day and month swapped)", qd, ed);
    else if (h->flags & (SCREEN_WHY_BIRTH_MONTH | SCREEN_WHY_BIRTH_YEAR))
        ADD("; born %s ~ %s (%s agrees)", qd, ed,
            h->flags & SCREEN_WHY_BIRTH_MONTH ? "year and month" : "year");
    else
        ADD("; birth date unknown (%s / %s)", qd, ed);
    if (h->flags & SCREEN_WHY_NAT_SAME)
        ADD("; nationality %s", c->enat);
    else if (h->flags & SCREEN_WHY_NAT_DIFFERS)
        ADD("; nationality %s vs %s", c->qnat, c->enat);
    if (h->flags & SCREEN_WHY_JA_SPELLING)
        ADD("; G/K, B/P or CH/J differ (two names in Japanese)");
    if (h->flags & SCREEN_WHY_SEX_SAME)
        ADD("; sex %c", c->esex);
    else if (h->flags & SCREEN_WHY_SEX_DIFFERS)
        ADD("; sex %c vs %c (differs)", c->qsex, c->esex);
#undef ADD
}

/* Name part of the score for one alignment, or -1. */
static int name_points(const struct cand *c, bool swapped, enum given_rel *rel, unsigned *flags)
{
    const struct sname *q = c->q, *e = &c->e;
    const char *qs = swapped ? q->giv : q->sur, *qg = swapped ? q->sur : q->giv;
    if (!keys_meet(swapped ? (char(*)[SN_KEY])q->sw_sur_key : (char(*)[SN_KEY])q->sur_key,
                   swapped ? q->n_sw_sur : q->n_sur, (char(*)[SN_KEY])e->sur_key, e->n_sur))
        return -1;
    *rel = given_relation(
        qg, swapped ? (char(*)[SN_KEY])q->sw_giv_key : (char(*)[SN_KEY])q->giv_key,
        swapped ? q->n_sw_giv : q->n_giv, e->giv, (char(*)[SN_KEY])e->giv_key, e->n_giv);
    if (*rel == GIVEN_NONE)
        return -1;
    *flags = 0;
    if (!same_letters(qs, e->sur))
        *flags |= SCREEN_WHY_SURNAME_VARIANT;
    if (*rel == GIVEN_FULL && !same_letters(qg, e->giv))
        *flags |= SCREEN_WHY_GIVEN_VARIANT;
    else if (*rel == GIVEN_FULL && strcmp(qg, e->giv) != 0)
        *flags |= SCREEN_WHY_GIVEN_SPACING;
    if (*rel == GIVEN_MIDDLE)
        *flags |= SCREEN_WHY_MIDDLE_MISSING;
    if (swapped)
        *flags |= SCREEN_WHY_SWAPPED;
    return (*rel == GIVEN_FULL ? 60 : 50) - (swapped ? 5 : 0);
}

/* The strict Japanese key of folded words (spaces ignored). */
static void strict_ja_key(const char *text, unsigned flags, char out[SN_KEY])
{
    char joined[SN_TEXT];
    size_t j = 0;
    for (const char *p = text; *p && j + 1 < sizeof joined; p++)
        if (*p != ' ')
            joined[j++] = *p;
    joined[j] = '\0';
    screen_name_key(joined, j, flags | SCREEN_KEY_JAPANESE | SCREEN_KEY_STRICT_JA, out, SN_KEY);
}

/* True when two Japanese names (both JPN) that met in the index differ in
 * a letter no Japanese romanisation confuses (G/K, B/P, CH/J). */
static bool ja_spelling_differs(const struct cand *c, bool swapped, enum given_rel rel)
{
    char a[SN_KEY], b[SN_KEY];
    const char *qs = swapped ? c->q->giv : c->q->sur, *qg = swapped ? c->q->sur : c->q->giv;
    strict_ja_key(qs, SCREEN_KEY_SURNAME, a);
    strict_ja_key(c->e.sur, SCREEN_KEY_SURNAME, b);
    if (strcmp(a, b) != 0)
        return true;
    if (rel != GIVEN_FULL)
        return false;
    strict_ja_key(qg, 0, a);
    strict_ja_key(c->e.giv, 0, b);
    return strcmp(a, b) != 0;
}

/* 'M' or 'F' from a sex code in any case, else 0 (X, U, unknown). */
static char binary_sex(char s)
{
    return s == 'M' || s == 'm' ? 'M' : s == 'F' || s == 'f' ? 'F' : 0;
}

/* Scores entry i for the passenger; returns the score, or -1 when the
 * entry is ruled out. The explanation is written only for a hit. */
static int score_entry(const struct screen_watchlist *wl, uint32_t i, const struct sname *q,
                       const struct screen_passenger *p, int threshold, struct screen_hit *h)
{
    const struct wl_entry *we = &wl->entries[i];
    struct cand c = {.q = q, .qb = p->birth, .qnat = p->nationality};
    unsigned bflag = 0, nflags = 0;
    enum given_rel rel = GIVEN_NONE;
    c.eb = (struct screen_date){we->by, we->bm, we->bd};
    int bp = birth_points(c.qb, c.eb, &bflag);
    if (bp < 0)
        return -1;
    sname_build(&c.e, wl->pool + we->surname, wl->pool + we->given, wl->pool + we->nat, false);
    int np = name_points(&c, false, &rel, &nflags);
    bool swapped = false;
    if (np < 0) {
        np = name_points(&c, true, &rel, &nflags);
        swapped = true;
    }
    if (np < 0)
        return -1;
    c.enat = wl->pool + we->nat;
    int score = np + bp;
    unsigned flags = nflags | bflag;
    if (p->nationality[0] && c.enat[0]) {
        bool same = strncmp(p->nationality, c.enat, 3) == 0;
        score += same ? 5 : -10;
        flags |= same ? SCREEN_WHY_NAT_SAME : SCREEN_WHY_NAT_DIFFERS;
    }
    if (strncmp(p->nationality, "JPN", 3) == 0 && strncmp(c.enat, "JPN", 3) == 0 &&
        ja_spelling_differs(&c, swapped, rel)) {
        score -= SCREEN_JA_SPELLING_CONFLICT;
        flags |= SCREEN_WHY_JA_SPELLING;
    }
    c.qsex = binary_sex(p->sex);
    c.esex = binary_sex(we->sex);
    if (c.qsex && c.esex) {
        score -= c.qsex == c.esex ? 0 : SCREEN_SEX_CONFLICT;
        flags |= c.qsex == c.esex ? SCREEN_WHY_SEX_SAME : SCREEN_WHY_SEX_DIFFERS;
    }
    h->entry = i;
    h->score = score < 0 ? 0 : score > 100 ? 100 : score;
    h->flags = flags;
    if (h->score >= threshold)
        explain(&c, swapped, rel, h);
    return h->score;
}

/* Inserts h into keep (sorted by score, best first, at most MAX_KEEP). */
static int keep_hit(struct screen_hit *keep, int n, const struct screen_hit *h)
{
    int at = n < MAX_KEEP ? n : MAX_KEEP - 1;
    for (int i = 0; i < n; i++)
        if (keep[i].entry == h->entry)
            return n; /* seen beyond MAX_SEEN: the same entry again */
    if (n == MAX_KEEP && keep[at].score >= h->score)
        return n;
    while (at > 0 && keep[at - 1].score < h->score) {
        keep[at] = keep[at - 1];
        at--;
    }
    keep[at] = *h;
    return n < MAX_KEEP ? n + 1 : n;
}

int screen_match(const struct screen_watchlist *wl, const struct screen_passenger *p, int threshold,
                 struct screen_hit *hits, int max)
{
    struct sname q;
    uint64_t keys[32];
    uint32_t seen[MAX_SEEN];
    struct screen_hit keep[MAX_KEEP], h;
    int n_seen = 0, n_keep = 0, found = 0;
    if (!wl || wl->n == 0 || !p)
        return 0;
    sname_build(&q, p->surname, p->given_names, p->nationality, true);
    if (!q.sur[0] && !q.giv[0])
        return 0;
    int nk = sname_keys(q.sur_key, q.n_sur, q.giv_key, q.n_giv, q.first_key, q.n_first, keys, 16);
    if (q.sur[0] && q.giv[0])
        nk += sname_keys(q.sw_sur_key, q.n_sw_sur, q.sw_giv_key, q.n_sw_giv, q.sw_giv_key, 0,
                         keys + nk, 16);
    for (int k = 0; k < nk; k++) {
        uint64_t b = keys[k] >> (64 - wl->bucket_bits);
        for (uint32_t j = wl->bucket[b]; j < wl->bucket[b + 1]; j++) {
            const struct wl_post *post = &wl->posts[j];
            bool dup = false;
            unsigned bflag;
            if (post->hash != keys[k])
                continue;
            const struct wl_entry *we = &wl->entries[post->entry];
            if (birth_points(p->birth, (struct screen_date){we->by, we->bm, we->bd}, &bflag) < 0)
                continue; /* cheap: most namesakes are ruled out by the birth date */
            for (int s = 0; s < n_seen && !dup; s++)
                dup = seen[s] == post->entry;
            if (dup)
                continue;
            if (n_seen < MAX_SEEN)
                seen[n_seen++] = post->entry;
            if (score_entry(wl, post->entry, &q, p, threshold, &h) < threshold)
                continue;
            found++;
            n_keep = keep_hit(keep, n_keep, &h);
        }
    }
    for (int i = 0; i < n_keep && i < max; i++)
        hits[i] = keep[i];
    return found;
}

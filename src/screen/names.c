/* names.c — a person's name analysed into index keys.
 *
 * A name gives keys "surname|given names joined" and "surname|first given
 * name", so that a missing middle name and Seo-yeon / Seo Yeon / Seoyeon
 * still meet in the index; words holding "OO" give a second key for its
 * Korean reading unless the nationality says which reading applies. Swapped names are handled by
 * the query, which also asks with the parts exchanged (match.c). */
#include "screen/internal.h"

#include <string.h>

/* Which readings of "OO" a name gets: a Korean name (by nationality) only
 * the Korean one (Joo = Ju, not Jo), a Japanese name only the Japanese one
 * (Oono = Ono, and Kohyama = Koyama), any other both. */
enum oo_reading { OO_BOTH, OO_KOREAN, OO_JAPANESE };

static enum oo_reading oo_for(const char *nat)
{
    if (nat && (strncmp(nat, "KOR", 3) == 0 || strncmp(nat, "PRK", 3) == 0))
        return OO_KOREAN;
    if (nat && strncmp(nat, "JPN", 3) == 0)
        return OO_JAPANESE;
    return OO_BOTH;
}

/* Writes the key variants of text (folded words; spaces ignored) into
 * keys; returns how many (1 or 2). */
static int key_variants(const char *text, unsigned flags, enum oo_reading oo, char keys[][SN_KEY])
{
    char joined[SN_TEXT];
    size_t j = 0;
    for (const char *p = text; *p && j + 1 < sizeof joined; p++)
        if (*p != ' ')
            joined[j++] = *p;
    joined[j] = '\0';
    bool has_oo = strstr(joined, "OO") != NULL;
    if (oo == OO_JAPANESE)
        flags |= SCREEN_KEY_JAPANESE;
    screen_name_key(joined, j, flags | (has_oo && oo == OO_KOREAN ? SCREEN_KEY_ALT_OO : 0), keys[0],
                    SN_KEY);
    if (!has_oo || oo != OO_BOTH)
        return 1;
    screen_name_key(joined, j, flags | SCREEN_KEY_ALT_OO, keys[1], SN_KEY);
    return strcmp(keys[0], keys[1]) == 0 ? 1 : 2;
}

void sname_build(struct sname *s, const char *surname, const char *given, const char *nat,
                 bool swap)
{
    enum oo_reading oo = oo_for(nat);
    screen_name_fold(surname, s->sur, sizeof s->sur);
    screen_name_fold(given, s->giv, sizeof s->giv);
    s->n_giv_tok = 0;
    for (const char *p = s->giv; *p; p++)
        if (p == s->giv || p[-1] == ' ')
            s->n_giv_tok++;
    s->n_sur = key_variants(s->sur, SCREEN_KEY_SURNAME, oo, s->sur_key);
    s->n_giv = key_variants(s->giv, 0, oo, s->giv_key);
    if (s->n_giv_tok <= 1) { /* the first given name is all of them */
        memcpy(s->first_key, s->giv_key, sizeof s->first_key);
        s->n_first = s->n_giv;
    } else {
        char first[SN_TEXT];
        size_t f = strcspn(s->giv, " ");
        memcpy(first, s->giv, f);
        first[f] = '\0';
        s->n_first = key_variants(first, 0, oo, s->first_key);
    }
    s->n_sw_sur = s->n_sw_giv = 0;
    if (swap) {
        s->n_sw_sur = key_variants(s->giv, SCREEN_KEY_SURNAME, oo, s->sw_sur_key);
        s->n_sw_giv = key_variants(s->sur, 0, oo, s->sw_giv_key);
    }
}

uint64_t sname_hash(const char *sur_key, const char *giv_key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = sur_key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ '|') * 1099511628211ULL;
    for (const char *p = giv_key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    /* final mix so that the top bits (the bucket) are well spread */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static int add_unique(uint64_t *out, int n, int max, uint64_t h)
{
    for (int i = 0; i < n; i++)
        if (out[i] == h)
            return n;
    if (n < max)
        out[n++] = h;
    return n;
}

int sname_keys(char sur[][SN_KEY], int n_sur, char giv[][SN_KEY], int n_giv, char first[][SN_KEY],
               int n_first, uint64_t *out, int max)
{
    int n = 0;
    for (int i = 0; i < n_sur; i++) {
        for (int j = 0; j < n_giv; j++)
            n = add_unique(out, n, max, sname_hash(sur[i], giv[j]));
        for (int j = 0; j < n_first; j++)
            n = add_unique(out, n, max, sname_hash(sur[i], first[j]));
    }
    return n;
}

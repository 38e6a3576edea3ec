/* internal.h — what the files of src/screen share and callers do not see:
 * the watchlist layout, its key index, and a name analysed into keys. */
#ifndef MUSTER_SCREEN_INTERNAL_H
#define MUSTER_SCREEN_INTERNAL_H

#include "screen/screen.h"

#define SN_TEXT 128 /* folded name text */
#define SN_KEY  64  /* one key */
#define SN_VAR  2   /* key variants (the two readings of OO) */

/* A name analysed for matching: folded text and the keys of the joined
 * surname, the joined given names and the first given name. */
struct sname {
    char sur[SN_TEXT];
    char giv[SN_TEXT];
    int n_giv_tok;
    char sur_key[SN_VAR][SN_KEY];
    int n_sur;
    char giv_key[SN_VAR][SN_KEY];
    int n_giv;
    char first_key[SN_VAR][SN_KEY];
    int n_first;
    /* with family and given names exchanged (built when asked) */
    char sw_sur_key[SN_VAR][SN_KEY]; /* the given names read as a surname */
    int n_sw_sur;
    char sw_giv_key[SN_VAR][SN_KEY]; /* the surname read as given names */
    int n_sw_giv;
};

/* Analyses surname and given names (UTF-8, NULL = empty) of a person of
 * nationality nat ("" or NULL unknown) into s; the swapped keys too when
 * swap. */
void sname_build(struct sname *s, const char *surname, const char *given, const char *nat,
                 bool swap);
/* The 64-bit index hash of a surname key and a given-name key. */
uint64_t sname_hash(const char *sur_key, const char *giv_key);
/* Writes into out (at most max) the distinct index hashes of an alignment
 * whose surname keys are sur[0..n_sur), joined given-name keys giv and
 * first-given-name keys first; returns how many. */
int sname_keys(char sur[][SN_KEY], int n_sur, char giv[][SN_KEY], int n_giv, char first[][SN_KEY],
               int n_first, uint64_t *out, int max);

/* One entry: offsets into the string pool, the birth date packed. */
struct wl_entry {
    uint32_t id, surname, given, reason, nat;
    uint16_t by;
    uint8_t bm, bd;
    char sex; /* 'M', 'F', 'X' or 0 unknown */
};

/* One posting of the index: a key hash and the entry it came from. */
struct wl_post {
    uint64_t hash;
    uint32_t entry;
};

struct screen_watchlist {
    char *pool; /* every field, NUL-terminated */
    size_t pool_len, pool_cap;
    struct wl_entry *entries;
    size_t n, cap;
    struct wl_post *posts; /* grouped by bucket */
    uint32_t *bucket;      /* nb + 1 starts into posts */
    unsigned bucket_bits;
    size_t n_posts;
};

/* Builds the key index of wl (after the entries are loaded); returns 0 or
 * MUSTER_ENOMEM. */
int wl_index_build(struct screen_watchlist *wl);

#endif

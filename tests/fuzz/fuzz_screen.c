/* fuzz_screen.c — libFuzzer target for the screening input. The first byte
 * chooses what the rest is: a watchlist CSV (loaded, then screened against
 * fixed passengers), a rules table (JSON), or passenger fields cut at '\n'
 * (screened against a fixed list, decided, written as JSON). Whatever the
 * bytes, nothing may crash or read out of bounds; every hit must carry a
 * score in 0..100 and an explanation; a decision must be the most severe of
 * its reasons. */
#include "screen/screen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char fixed_csv[] = "surname,given_names,birth_date,nationality,reason,id,sex\n"
                                "LEE,MIN-JUN,1985-03-07,KOR,r1,W1,M\n"
                                "OHNO,SHINICHI,1978,JPN,r2,W2,\n"
                                "SMITH,JOHN MICHAEL,1970-01-20,,r3,W3,m\n"
                                "김,서연,1988-02-14,KOR,r4,W4,F\n";

static void check_hits(const struct screen_watchlist *wl, const struct screen_hit *h, int found,
                       int max)
{
    for (int i = 0; i < found && i < max; i++) {
        if (h[i].score < 0 || h[i].score > 100 || h[i].entry >= screen_watchlist_size(wl) ||
            !memchr(h[i].why, '\0', sizeof h[i].why) || h[i].why[0] == '\0')
            abort();
        if (i > 0 && h[i].score > h[i - 1].score)
            abort();
    }
}

static void check_result(const struct screen_result *r)
{
    enum screen_decision worst = SCREEN_CLEARED;
    for (int i = 0; i < r->n_reasons; i++)
        if (r->reasons[i].severity > worst)
            worst = r->reasons[i].severity;
    if (r->n_reasons < SCREEN_MAX_REASONS && worst != r->decision)
        abort();
}

static void fuzz_watchlist(const char *text, size_t len)
{
    struct screen_watchlist *wl;
    struct muster_err err;
    if (screen_watchlist_load(text, len, &wl, &err) != 0)
        return;
    static const char *const names[][2] = {
        {"Lee", "Minjun"}, {"Minjun", "Yi"}, {"A", "B"}, {"", "X"}, {"Ōno", "Shin'ichi"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct screen_hit h[4];
        struct screen_passenger p = {
            .surname = names[i][0], .given_names = names[i][1], .sex = "MFX\0"[i % 4]};
        p.birth = (struct screen_date){1985, 3, 7};
        check_hits(wl, h, screen_match(wl, &p, 1, h, 4), 4);
    }
    for (size_t i = 0; i < screen_watchlist_size(wl) && i < 64; i++) {
        struct screen_entry e;
        struct screen_hit h[2];
        screen_watchlist_entry(wl, i, &e);
        struct screen_passenger p = {
            .surname = e.surname, .given_names = e.given_names, .birth = e.birth, .sex = e.sex};
        if (e.sex && e.sex != 'M' && e.sex != 'F' && e.sex != 'X')
            abort(); /* the reader keeps only these */
        memcpy(p.nationality, e.nationality, strnlen(e.nationality, 3));
        check_hits(wl, h, screen_match(wl, &p, 1, h, 2), 2);
    }
    screen_watchlist_free(wl);
}

/* Cuts a copy of the input at '\n' into passenger fields (surname, given names,
 * birth date, nationality, document number, leg, expiry, then the check digit
 * and the sex as two letters) and screens it. */
static void fuzz_passenger(const char *text, size_t len)
{
    char *copy = malloc(len + 1), *f[8] = {0};
    memcpy(copy, text, len);
    copy[len] = '\0';
    int n = 0;
    for (char *p = copy; n < 8 && p;) {
        f[n++] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }
    struct screen_passenger p = {
        .surname = f[0], .given_names = f[1], .doc_number = f[4], .leg_id = f[5]};
    if (f[2])
        screen_date_parse(f[2], &p.birth);
    if (f[3])
        memcpy(p.nationality, f[3], strnlen(f[3], 3));
    if (f[6])
        screen_date_parse(f[6], &p.doc_expiry);
    p.doc_type = (enum screen_doc_type)(len % SCREEN_DOC_TYPE_COUNT);
    p.doc_check_digit = f[7] && f[7][0] ? f[7][0] : 0;
    p.sex = f[7] && f[7][0] && f[7][1] ? f[7][1] : 0;

    struct screen_watchlist *wl;
    struct muster_err err;
    if (screen_watchlist_load(fixed_csv, strlen(fixed_csv), &wl, &err) != 0)
        abort();
    struct screen_rules rules;
    screen_rules_default(&rules);
    memcpy(rules.country, "JPN", 4);
    rules.lost_passport_docs = 1u << SCREEN_DOC_EMERGENCY;
    struct screen_passenger two[2] = {p, p};
    two[1].leg_id = "other";
    struct screen_result r[2];
    if (screen_batch(&rules, wl, two, 2, (struct screen_date){2026, 12, 1}, r, &err) != 0)
        abort();
    for (int i = 0; i < 2; i++) {
        check_result(&r[i]);
        check_hits(wl, r[i].hits, r[i].n_hits, SCREEN_MAX_HITS);
        json_t *j = screen_result_json(&two[i], &r[i], wl);
        char *s = j ? json_dumps(j, 0) : NULL;
        if (!s)
            abort();
        free(s);
        json_decref(j);
    }
    char folded[64], key[64];
    size_t fl = screen_name_fold(copy, folded, sizeof folded);
    screen_name_key(folded, fl, SCREEN_KEY_SURNAME | SCREEN_KEY_ALT_OO, key, sizeof key);
    screen_watchlist_free(wl);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    struct muster_err err;
    switch (data[0] % 3) {
    case 0:
        fuzz_watchlist(text, len);
        break;
    case 1: {
        struct screen_rules r;
        if (screen_rules_parse(text, len, &r, &err) == 0 &&
            (r.n_visa_exempt > SCREEN_MAX_CODES || r.match_threshold < 1))
            abort();
        break;
    }
    default:
        fuzz_passenger(text, len);
    }
    return 0;
}

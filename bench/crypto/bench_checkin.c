/* bench_checkin.c — CPU per check-in at an assembly point, as the server's
 * handler does it (decide by document number, then the person.status event
 * in one transaction), and per walk-in (register a household of one, seal
 * its fields, check it in). bench/bench_crypto.sh builds it twice, with and
 * without -DMUSTER_BENCH_NO_AEAD (see core/pii.c), and prints the two side
 * by side: the difference is what encryption costs on this path.
 *
 * usage: bench_checkin DB DOCS N   (DOCS: "document point" lines)
 * Prints "scan <us>" and "walkin <us>": process CPU microseconds per
 * operation. Commits are not fsynced here (synchronous=NORMAL): the server
 * shares one fsync among many check-ins, and fsync is not CPU. */
#include "core/checkin.h"
#include "core/events.h"
#include "core/node.h"
#include "core/pii.h"
#include "core/registry.h"
#include "util/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int checkin_one(struct node *n, const struct principal *who, const char *op, const char *doc,
                       const char *point, int64_t today, int *ok)
{
    struct muster_err err;
    struct arena a = {0};
    struct checkin_result res;
    int rc = ev_begin(n, &err);
    if (!rc)
        rc = checkin_decide(n->st, who, op, point, NULL, doc, today, &a, &res, &err);
    if (!rc && res.outcome == CHECKIN_OK) {
        rc = reg_set_status(n, who->user, res.person.id, "checked_in", NULL, NULL, &err);
        *ok += !rc;
    }
    if (!rc)
        rc = ev_commit(n, &err);
    else
        ev_rollback(n);
    arena_free(&a);
    if (rc)
        fprintf(stderr, "check-in %s: %s\n", doc, err.msg);
    return rc;
}

static int walkin_one(struct node *n, const struct principal *who, const char *op, int i)
{
    char doc[24], household[33];
    snprintf(doc, sizeof doc, "W%08d", i);
    struct reg_person p = {
        .nationality = "KOR",
        .surname = "KIM",
        .given_names = "MINJI",
        .native_name = "김민지",
        .sex = "F",
        .birth_date = "1990-04-12",
        .doc_type = "P",
        .doc_number = doc,
        .doc_expiry = "2031-01-01",
        .phone = "+82 10-1234-5678",
        .lat = 32.1,
        .lon = 34.8,
    };
    struct muster_err err;
    int rc = ev_begin(n, &err);
    if (!rc)
        rc = reg_register_household(n, who->user, NULL, op, &p, 1, household, &err);
    struct store_person_query q = {.household = household, .limit = 1};
    struct store_person *ps = NULL;
    size_t np = 0;
    struct arena a = {0};
    if (!rc)
        rc = n->st->ops->person_find(n->st, &q, &ps, &np, &a, &err);
    if (!rc && np == 1)
        rc = reg_set_status(n, who->user, ps[0].id, "checked_in", NULL, "walk-in", &err);
    if (!rc)
        rc = ev_commit(n, &err);
    else
        ev_rollback(n);
    arena_free(&a);
    if (rc)
        fprintf(stderr, "walk-in: %s\n", err.msg);
    return rc;
}

/* The encryption work of one walk-in timed alone: a data key made and
 * wrapped, the person's fields sealed, the reason sealed. */
static double walkin_aead_us(const struct node *n, int k)
{
    json_t *fields =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:f, s:f, s:i, s:s}",
                  "surname", "KIM", "given_names", "MINJI", "native_name", "김민지", "sex", "F",
                  "birth_date", "1990-04-12", "doc", "type", "P", "number", "W00000001",
                  "issuing_state", "KOR", "expiry", "2031-01-01", "phone", "+82 10-1234-5678",
                  "lat", 32.1, "lon", 34.8, "needs", 0, "priority", "standard");
    json_t *reason = json_pack("{s:s}", "reason", "walk-in");
    struct muster_err err;
    char id[33];
    reg_new_id("per", id);
    double t0 = cpu_now();
    for (int i = 0; i < k; i++) {
        uint8_t key[32], wrapped[PII_WRAPPED];
        char *a = NULL, *b = NULL;
        pii_make_key(n, id, key, wrapped);
        pii_seal_with(id, key, fields, &a, &err);
        pii_seal_with(id, key, reason, &b, &err);
        free(a);
        free(b);
    }
    double us = (cpu_now() - t0) / k * 1e6;
    json_decref(fields);
    json_decref(reason);
    return us;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_checkin DB OPERATION DOCS N\n");
        return 2;
    }
    const char *op = argv[2];
    int want = atoi(argv[4]);
    struct muster_err err;
    struct node *n;
    if (node_open(argv[1], &n, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    n->st->ops->set_durable(n->st, false, &err);
    struct principal who = {.user = "bench", .nation = "KOR", .role = ROLE_ADMIN};
    FILE *f = fopen(argv[3], "r");
    char doc[64], point[64];
    int64_t today = time_now();
    int done = 0, ok = 0, rc = 0;
    double t0 = cpu_now();
    while (!rc && done < want && f && fscanf(f, "%63s %63s", doc, point) == 2) {
        rc = checkin_one(n, &who, op, doc, point, today, &ok);
        done++;
    }
    double scan = cpu_now() - t0;
    if (f)
        fclose(f);
    t0 = cpu_now();
    int walkins = 0;
    for (; !rc && walkins < want; walkins++)
        rc = walkin_one(n, &who, op, walkins);
    double walk = cpu_now() - t0;
    double aead = walkin_aead_us(n, 20 * want);
    node_close(n);
    if (rc || ok == 0)
        return 1;
    printf("scan %.1f %d\nwalkin %.1f %d\nwalkin_aead %.2f %d\n", scan / done * 1e6, ok,
           walk / walkins * 1e6, walkins, aead, 20 * want);
    return 0;
}

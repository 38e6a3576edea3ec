/* test_store.c — every operation of store.h through one backend: SQLite by
 * default, PostgreSQL when MUSTER_TEST_DB_URI is a postgres://.../ prefix
 * (tests/run-pg), each test on a fresh database. With PostgreSQL, a last
 * group also checks that both stores give the same projection digest and
 * that writers of one database are serialised. */
#include "store/store.h"

#include <math.h>
#include <postgresql/libpq-fe.h>
#include <sqlite3.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

struct fixture {
    char dir[64], db[512];
    struct store *st;
};

static const char *pg_prefix(void)
{
    const char *uri = getenv("MUSTER_TEST_DB_URI");
    return uri && *uri ? uri : NULL;
}

/* A fresh store: a file in a new folder, or a new database named after it. */
static void fresh_db(struct fixture *f, bool pg)
{
    snprintf(f->dir, sizeof f->dir, "/tmp/muster-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    if (pg)
        snprintf(f->db, sizeof f->db, "%ss_%s", pg_prefix(), strrchr(f->dir, '-') + 1);
    else
        snprintf(f->db, sizeof f->db, "%s/store.db", f->dir);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    fresh_db(f, pg_prefix() != NULL);
    struct muster_err err;
    assert_false(store_exists(f->db));
    assert_int_equal(store_open(f->db, true, &f->st, &err), 0);
    assert_true(store_exists(f->db));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static struct store_event event(const char *origin, int64_t seq, const char *body)
{
    struct store_event ev = {0};
    snprintf(ev.origin, sizeof ev.origin, "%s", origin);
    ev.seq = seq;
    ev.lamport = seq * 10;
    ev.time_ms = 1795000000000 + seq;
    ev.actor = "cli";
    snprintf(ev.nation, sizeof ev.nation, "KOR");
    ev.type = "test.note";
    ev.body = body;
    ev.body_len = strlen(body);
    memset(ev.prev, (int)seq - 1, 32);
    memset(ev.hash, (int)seq, 32);
    memset(ev.sig, 0xA0 + (int)seq, 64);
    return ev;
}

static const char *O1 = "0123456789abcdef0123456789abcdef";
static const char *O2 = "fedcba9876543210fedcba9876543210";

static void test_meta_nodes_and_keys(void **state)
{
    struct fixture *f = *state;
    const struct store_ops *o = f->st->ops;
    struct muster_err err;
    char v[64];
    assert_int_equal(o->meta_get(f->st, "origin", v, sizeof v, &err), MUSTER_ENOTFOUND);
    assert_int_equal(o->meta_put(f->st, "origin", "first", &err), 0);
    assert_int_equal(o->meta_put(f->st, "origin", "second", &err), 0);
    assert_int_equal(o->meta_get(f->st, "origin", v, sizeof v, &err), 0);
    assert_string_equal(v, "second");

    uint8_t pk[32], back[32];
    for (int i = 0; i < 32; i++)
        pk[i] = (uint8_t)(i * 7); /* has a zero byte and high bytes */
    assert_int_equal(o->node_key(f->st, O1, back, &err), MUSTER_ENOTFOUND);
    assert_int_equal(o->node_put(f->st, O1, "KOR", pk, &err), 0);
    assert_int_equal(o->node_key(f->st, O1, back, &err), 0);
    assert_memory_equal(pk, back, 32);

    uint8_t wrapped[72], out[80];
    size_t n = 0;
    for (int i = 0; i < 72; i++)
        wrapped[i] = (uint8_t)(255 - i);
    assert_int_equal(o->key_put(f->st, "per_1", wrapped, sizeof wrapped, &err), 0);
    assert_int_equal(o->key_get(f->st, "per_1", out, sizeof out, &n, &err), 0);
    assert_int_equal(n, 72);
    assert_memory_equal(out, wrapped, 72);
    assert_int_equal(o->key_get(f->st, "per_1", out, 10, &n, &err), MUSTER_ECRYPTO);
    assert_int_equal(o->key_destroy(f->st, "per_1", &err), 0);
    assert_int_equal(o->key_get(f->st, "per_1", out, sizeof out, &n, &err), MUSTER_ENOTFOUND);
    assert_true(o->size_bytes(f->st) > 0);
}

struct collect {
    int64_t ids[64];
    int n, stop_at;
    struct store *st; /* when set, the callback writes to the store */
};

static int collect(void *ctx, const struct store_event *ev)
{
    struct collect *c = ctx;
    c->ids[c->n++] = ev->id;
    assert_int_equal(ev->body_len, strlen(ev->body));
    assert_int_equal(ev->hash[0], (uint8_t)ev->seq);
    assert_int_equal(ev->sig[63], (uint8_t)(0xA0 + ev->seq));
    assert_string_equal(ev->type, "test.note");
    if (c->st) {
        struct muster_err err;
        char key[32];
        snprintf(key, sizeof key, "seen%lld", (long long)ev->id);
        assert_int_equal(c->st->ops->meta_put(c->st, key, ev->body, &err), 0);
    }
    return c->n == c->stop_at ? 7 : 0;
}

static void test_log_append_head_scan(void **state)
{
    struct fixture *f = *state;
    const struct store_ops *o = f->st->ops;
    struct muster_err err;
    struct store_head h;
    assert_int_equal(o->event_head(f->st, O1, &h, &err), 0);
    assert_int_equal(h.seq, 0);
    assert_int_equal(h.lamport, 0);
    assert_int_equal(o->event_count(f->st), 0);

    assert_int_equal(o->begin(f->st, &err), 0);
    for (int64_t i = 1; i <= 5; i++) {
        struct store_event ev = event(i % 2 ? O1 : O2, (i + 1) / 2, "{\"a\":\"\xed\x95\x9c\"}");
        assert_int_equal(o->event_append(f->st, &ev, &err), 0);
        assert_int_equal(ev.id, i);
    }
    /* a duplicate (origin, seq) is a conflict, and the transaction goes on */
    struct store_event dup = event(O1, 1, "{}");
    assert_int_equal(o->event_append(f->st, &dup, &err), MUSTER_ECONFLICT);
    struct store_event next = event(O1, 4, "{\"n\":4}");
    assert_int_equal(o->event_append(f->st, &next, &err), 0);
    assert_int_equal(next.id, 6);
    assert_int_equal(o->commit(f->st, &err), 0);

    assert_int_equal(o->event_head(f->st, O1, &h, &err), 0);
    assert_int_equal(h.seq, 4);
    assert_int_equal(h.lamport, 40);
    assert_int_equal(h.hash[31], 4);
    assert_int_equal(o->event_head(f->st, O2, &h, &err), 0);
    assert_int_equal(h.seq, 2);
    assert_int_equal(h.lamport, 40); /* the whole log's highest */
    assert_int_equal(o->event_count(f->st), 6);

    struct collect c = {.stop_at = -1};
    assert_int_equal(o->event_scan(f->st, 2, collect, &c, &err), 0);
    assert_int_equal(c.n, 4);
    assert_int_equal(c.ids[0], 3);
    assert_int_equal(c.ids[3], 6);
    struct collect stop = {.stop_at = 2};
    assert_int_equal(o->event_scan(f->st, 0, collect, &stop, &err), 7);
    assert_int_equal(stop.n, 2);
    /* the callback may use the store (as a rebuild does) */
    assert_int_equal(o->begin(f->st, &err), 0);
    struct collect w = {.stop_at = -1, .st = f->st};
    assert_int_equal(o->event_scan(f->st, 0, collect, &w, &err), 0);
    assert_int_equal(o->commit(f->st, &err), 0);
    char v[64];
    assert_int_equal(o->meta_get(f->st, "seen6", v, sizeof v, &err), 0);
    assert_string_equal(v, "{\"n\":4}");
}

static void test_transactions_and_savepoints(void **state)
{
    struct fixture *f = *state;
    const struct store_ops *o = f->st->ops;
    struct muster_err err;
    char v[64];
    assert_int_equal(o->begin(f->st, &err), 0);
    struct store_event ev = event(O1, 1, "{}");
    assert_int_equal(o->event_append(f->st, &ev, &err), 0);
    assert_int_equal(o->meta_put(f->st, "k", "gone", &err), 0);
    o->rollback(f->st);
    assert_int_equal(o->event_count(f->st), 0);
    assert_int_equal(o->meta_get(f->st, "k", v, sizeof v, &err), MUSTER_ENOTFOUND);
    o->rollback(f->st); /* harmless outside a transaction */

    assert_int_equal(o->begin(f->st, &err), 0);
    assert_int_equal(o->meta_put(f->st, "outer", "kept", &err), 0);
    assert_int_equal(o->savepoint(f->st, &err), 0);
    assert_int_equal(o->meta_put(f->st, "inner", "undone", &err), 0);
    o->rollback_to(f->st);
    assert_int_equal(o->savepoint(f->st, &err), 0);
    assert_int_equal(o->meta_put(f->st, "second", "released", &err), 0);
    assert_int_equal(o->release(f->st, &err), 0);
    /* ids stay gapless after a rolled back append */
    assert_int_equal(o->event_append(f->st, &ev, &err), 0);
    assert_int_equal(ev.id, 1);
    assert_int_equal(o->commit(f->st, &err), 0);
    assert_int_equal(o->meta_get(f->st, "outer", v, sizeof v, &err), 0);
    assert_int_equal(o->meta_get(f->st, "second", v, sizeof v, &err), 0);
    assert_int_equal(o->meta_get(f->st, "inner", v, sizeof v, &err), MUSTER_ENOTFOUND);
}

static struct store_person person(const char *id, const char *hh, const char *surname,
                                  const char *given, const char *doc, const char *phone)
{
    struct store_person p = {
        .id = id,
        .household = hh,
        .operation = "op_1",
        .nation = "KOR",
        .nationality = "KOR",
        .surname = surname,
        .given_names = given,
        .native_name = "\xea\xb9\x80\xeb\xaf\xbc\xec\xa7\x80",
        .sex = "F",
        .birth_date = "1984-03-02",
        .doc_type = "P",
        .doc_number = doc,
        .doc_state = "KOR",
        .doc_expiry = "2031-01-01",
        .phone = phone,
        .lat = 32.0055,
        .lon = 34.8854,
        .priority = "standard",
        .status = "registered",
        .consent = true,
        .updated_ms = 1795000000000,
    };
    return p;
}

/* Puts a small operation: one point, two legs, two households, four people. */
static void put_rows(struct store *st)
{
    const struct store_ops *o = st->ops;
    struct muster_err err;
    struct store_operation op = {"op_1",      "KOR",        "Test",
                                 "ISR",       "open",       "[[32.0,34.7],[32.2,34.9]]",
                                 "[\"JPN\"]", 1795000000000};
    assert_int_equal(o->operation_put(st, &op, &err), 0);
    struct store_point pt = {"pt_1", "op_1", "Ben Gurion", "airport", 32.0055, 34.0, 2000};
    assert_int_equal(o->point_put(st, &pt, &err), 0);
    struct store_leg l1 = {"leg_1", "op_1", "KOR",         "air",        "KC-330",
                           "pt_1",  "ICN",  "planned",     "KOR",        "[\"KOR\",\"JPN\"]",
                           300,     2,      1795100000000, 1795100039000};
    struct store_leg l2 = {"leg_0",   "op_1", "JPN",       "air", NULL, "pt_1",        "NRT",
                           "planned", NULL,   "[\"JPN\"]", 200,   0,    1795200000000, 0};
    assert_int_equal(o->leg_put(st, &l1, &err), 0);
    assert_int_equal(o->leg_put(st, &l2, &err), 0);
    struct store_household h1 = {"hh_1", "op_1", "KOR", 3}, h2 = {"hh_2", "op_1", "KOR", 1};
    assert_int_equal(o->household_put(st, &h1, &err), 0);
    assert_int_equal(o->household_put(st, &h2, &err), 0);
    struct store_person p[4] = {
        person("per_1", "hh_1", "KIM", "MIN JI", "M12345678", "+82 10-1234-5678"),
        person("per_2", "hh_1", "KIM", "SEO YEON", "M12345679", NULL),
        person("per_3", "hh_1", "LEE", "JI HO", "M99999999", "+82 10 9999 0000"),
        person("per_4", "hh_2", "PARK", "50%_OFF", "TK1234567", NULL),
    };
    p[1].lat = p[1].lon = NAN;
    p[1].native_name = NULL;
    p[2].needs = 1;
    p[2].priority = "critical";
    p[3].nationality = "JPN";
    p[3].consent = false;
    p[3].priority_override = "vulnerable";
    for (int i = 0; i < 4; i++)
        assert_int_equal(o->person_put(st, &p[i], &err), 0);
}

static void test_projection_rows(void **state)
{
    struct fixture *f = *state;
    const struct store_ops *o = f->st->ops;
    struct muster_err err;
    struct arena a = {0};
    put_rows(f->st);
    put_rows(f->st); /* a replayed put replaces */
    assert_int_equal(o->table_count(f->st, "persons"), 4);

    struct store_operation op;
    assert_int_equal(o->operation_get(f->st, "op_1", &op, &a, &err), 0);
    assert_string_equal(op.partners, "[\"JPN\"]");
    assert_int_equal(op.created_ms, 1795000000000);
    assert_int_equal(o->operation_get(f->st, "op_2", &op, &a, &err), MUSTER_ENOTFOUND);
    struct store_operation *ops;
    size_t n;
    assert_int_equal(o->operation_list(f->st, &ops, &n, &a, &err), 0);
    assert_int_equal(n, 1);

    struct store_point pt, *pts;
    assert_int_equal(o->point_get(f->st, "pt_1", &pt, &a, &err), 0);
    assert_true(pt.lat == 32.0055 && pt.lon == 34.0);
    assert_int_equal(o->point_list(f->st, "op_1", &pts, &n, &a, &err), 0);
    assert_int_equal(n, 1);

    struct store_leg l, *legs;
    assert_int_equal(o->leg_get(f->st, "leg_0", &l, &a, &err), 0);
    assert_null(l.vehicle);
    assert_null(l.destination_country);
    assert_int_equal(l.arrives, 0); /* not known: NULL, read as 0 */
    assert_int_equal(o->leg_list(f->st, "op_1", &legs, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(legs[0].id, "leg_1"); /* by departure */
    assert_string_equal(legs[0].vehicle, "KC-330");
    assert_int_equal(legs[0].arrives, 1795100039000);

    struct store_household h;
    assert_int_equal(o->household_get(f->st, "hh_1", &h, &a, &err), 0);
    assert_int_equal(h.size, 3);

    struct store_person p;
    assert_int_equal(o->person_get(f->st, "per_2", &p, &a, &err), 0);
    assert_true(isnan(p.lat) && isnan(p.lon));
    assert_null(p.native_name);
    assert_null(p.phone);
    assert_true(p.consent);
    assert_int_equal(o->person_get(f->st, "per_4", &p, &a, &err), 0);
    assert_false(p.consent);
    assert_string_equal(p.priority_override, "vulnerable");
    assert_true(p.lat == 32.0055);

    assert_int_equal(o->person_set_status(f->st, "per_1", "allocated", "leg_1", 5, &err), 0);
    assert_int_equal(o->person_set_status(f->st, "per_3", "checked_in", "leg_1", 6, &err), 0);
    assert_int_equal(o->person_set_status(f->st, "per_2", "cancelled", "leg_1", 7, &err), 0);
    assert_int_equal(o->person_set_status(f->st, "per_9", "allocated", "leg_1", 7, &err),
                     MUSTER_ENOTFOUND);
    int64_t seats, stretchers;
    assert_int_equal(o->leg_load(f->st, "leg_1", &seats, &stretchers, &err), 0);
    assert_int_equal(seats, 1);
    assert_int_equal(stretchers, 1);
    assert_int_equal(o->leg_load(f->st, "leg_0", &seats, &stretchers, &err), 0);
    assert_int_equal(seats + stretchers, 0);

    struct store_count *c;
    assert_int_equal(o->person_counts(f->st, "op_1", "nationality", &c, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].key, "KOR");
    assert_int_equal(c[0].n, 3);
    assert_int_equal(o->person_counts(f->st, "op_1", "status", &c, &n, &a, &err), 0);
    assert_int_equal(n, 4);
    assert_string_equal(c[0].key, "allocated"); /* ties in key order */
    assert_int_equal(o->person_counts(f->st, "op_1", "shoe size", &c, &n, &a, &err), MUSTER_EINVAL);

    assert_int_equal(o->proj_clear(f->st, &err), 0);
    assert_int_equal(o->table_count(f->st, "persons"), 0);
    assert_int_equal(o->table_count(f->st, "legs"), 0);
    arena_free(&a);
}

/* Runs a search and returns the ids found, joined by spaces. */
static const char *find(struct store *st, struct store_person_query q, struct arena *a)
{
    struct muster_err err;
    struct store_person *p;
    size_t n;
    assert_int_equal(st->ops->person_find(st, &q, &p, &n, a, &err), 0);
    char *out = arena_alloc(a, 8 * n + 1);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, " ");
        strcat(out, p[i].id);
    }
    return out;
}

static void test_person_find(void **state)
{
    struct fixture *f = *state;
    struct arena a = {0};
    put_rows(f->st);
    struct muster_err err;
    assert_int_equal(f->st->ops->person_set_status(f->st, "per_3", "allocated", "leg_1", 6, &err),
                     0);
    struct store *s = f->st;
    assert_string_equal(find(s, (struct store_person_query){.operation = "op_1"}, &a),
                        "per_1 per_2 per_3 per_4");
    assert_string_equal(find(s, (struct store_person_query){.text = "KIM"}, &a), "per_1 per_2");
    /* ASCII case folds, as SQLite's LIKE */
    assert_string_equal(find(s, (struct store_person_query){.text = "kim s"}, &a), "per_2");
    assert_string_equal(find(s, (struct store_person_query){.text = "JI"}, &a), "per_3");
    assert_string_equal(find(s, (struct store_person_query){.text = "M1234567"}, &a),
                        "per_1 per_2");
    assert_string_equal(find(s, (struct store_person_query){.text = "+8210 1234"}, &a), "per_1");
    /* part of the native name (UTF-8) */
    assert_string_equal(find(s, (struct store_person_query){.text = "\xeb\xaf\xbc"}, &a),
                        "per_1 per_3 per_4");
    /* % and _ are wildcards (no escape character) */
    assert_string_equal(find(s, (struct store_person_query){.text = "PA_K"}, &a), "per_4");
    assert_string_equal(find(s, (struct store_person_query){.text = "\\"}, &a), "");
    assert_string_equal(find(s, (struct store_person_query){.household = "hh_2"}, &a), "per_4");
    assert_string_equal(find(s, (struct store_person_query){.leg = "leg_1"}, &a), "per_3");
    assert_string_equal(find(s, (struct store_person_query){.doc_number = "M1234567"}, &a), "");
    assert_string_equal(find(s,
                             (struct store_person_query){
                                 .doc_number = "TK1234567", .operation = "op_1", .text = ""},
                             &a),
                        "per_4");
    assert_string_equal(
        find(s, (struct store_person_query){.operation = "op_1", .limit = 2, .offset = 1}, &a),
        "per_2 per_3");
    assert_string_equal(find(s, (struct store_person_query){.operation = "op_2"}, &a), "");
    arena_free(&a);
}

static void test_accounts_and_sessions(void **state)
{
    struct fixture *f = *state;
    const struct store_ops *o = f->st->ops;
    struct muster_err err;
    struct arena a = {0};
    struct store_user u = {"officer", "KOR", "field", "[\"pt_1\"]", "$argon2id$x",
                           false,     0,     0,       1795000000000};
    struct store_user admin = {"admin", "KOR", "admin", NULL, "$argon2id$y", true, 2, 9, 1};
    assert_int_equal(o->user_put(f->st, &u, &err), 0);
    assert_int_equal(o->user_put(f->st, &admin, &err), 0);
    assert_int_equal(o->user_login_result(f->st, "officer", 3, 1795000060000, &err), 0);
    struct store_user got, *list;
    size_t n;
    assert_int_equal(o->user_get(f->st, "officer", &got, &a, &err), 0);
    assert_int_equal(got.failed, 3);
    assert_int_equal(got.locked_until, 1795000060000);
    assert_string_equal(got.points, "[\"pt_1\"]");
    assert_int_equal(o->user_get(f->st, "nobody", &got, &a, &err), MUSTER_ENOTFOUND);
    assert_int_equal(o->user_list(f->st, &list, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "admin");
    assert_true(list[0].disabled);
    assert_null(list[0].points);

    struct store_session ss = {"abcd", "officer", 1795000900000, false}, back;
    assert_int_equal(o->session_put(f->st, &ss, &err), 0);
    assert_int_equal(o->session_put(f->st, &ss, &err), MUSTER_ECONFLICT);
    assert_int_equal(o->session_get(f->st, "abcd", &back, &a, &err), 0);
    assert_false(back.revoked);
    assert_string_equal(back.user, "officer");
    assert_int_equal(o->session_revoke(f->st, "abcd", &err), 0);
    assert_int_equal(o->session_get(f->st, "abcd", &back, &a, &err), 0);
    assert_true(back.revoked);
    assert_int_equal(o->session_get(f->st, "efgh", &back, &a, &err), MUSTER_ENOTFOUND);
    arena_free(&a);
}

static void test_clearances_and_erasure(void **state)
{
    struct fixture *f = *state;
    const struct store_ops *o = f->st->ops;
    struct muster_err err;
    struct arena a = {0};
    struct store_clearance c1 = {
        "clr_1",  "leg_1",      "per_1", "JPN",       "refer",      "watchlist", "KIM",
        "MIN JI", "1984-03-02", "KOR",   "M12345678", "[\"name\"]", "[]",        NULL,
        NULL,     NULL,         5};
    struct store_clearance c2 = c1;
    c2.id = "clr_2";
    c2.surname = "AHN";
    c2.decision = "cleared";
    assert_int_equal(o->clearance_put(f->st, &c1, &err), 0);
    assert_int_equal(o->clearance_put(f->st, &c2, &err), 0);
    c1.decision = "cleared";
    c1.original = "refer";
    c1.override_by = "officer";
    assert_int_equal(o->clearance_put(f->st, &c1, &err), 0);
    struct store_clearance got, *list;
    size_t n;
    assert_int_equal(o->clearance_get(f->st, "clr_1", &got, &a, &err), 0);
    assert_string_equal(got.original, "refer");
    assert_null(got.override_reason);
    assert_int_equal(got.decided_ms, 5);
    assert_int_equal(o->clearance_get(f->st, "clr_3", &got, &a, &err), MUSTER_ENOTFOUND);
    assert_int_equal(o->clearance_list(f->st, "leg_1", "JPN", &list, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].id, "clr_2");
    assert_int_equal(o->clearance_list(f->st, "leg_1", "KOR", &list, &n, &a, &err), 0);
    assert_int_equal(n, 0);

    put_rows(f->st);
    assert_int_equal(o->person_delete(f->st, "per_1", &err), 0);
    assert_int_equal(o->person_delete(f->st, "per_1", &err), 0);
    struct store_person p;
    assert_int_equal(o->person_get(f->st, "per_1", &p, &a, &err), MUSTER_ENOTFOUND);
    assert_int_equal(o->table_count(f->st, "persons"), 3);
    arena_free(&a);
}

/* Many writes in one transaction (PostgreSQL sends them with COPY): the
 * last write of a row wins, awkward bytes survive, reads in between see
 * the writes, a rollback forgets them, ids stay gapless. */
static void test_bulk_writes(void **state)
{
    struct fixture *f = *state;
    const struct store_ops *o = f->st->ops;
    struct muster_err err;
    struct arena a = {0};
    const char *odd = "tab\there\nnew line \\N back\\slash \r\xed\x95\x9c";
    uint8_t wrapped[72], out[72];
    size_t n;
    assert_int_equal(o->begin(f->st, &err), 0);
    for (int i = 0; i < 3000; i++) {
        char id[32], body[400];
        snprintf(id, sizeof id, "per_%05d", i);
        struct store_person p = person(id, "hh_1", "KIM", odd, "M1", NULL);
        p.address = i % 2 ? odd : NULL;
        p.lat = i % 3 ? 1.0 / (i + 1) : NAN;
        assert_int_equal(o->person_put(f->st, &p, &err), 0);
        p.given_names = "SECOND"; /* the same row again in the same batch */
        p.needs = i;
        assert_int_equal(o->person_put(f->st, &p, &err), 0);
        memset(wrapped, i & 0xff, sizeof wrapped);
        wrapped[0] = '\t';
        wrapped[1] = '\\';
        wrapped[2] = 0;
        assert_int_equal(o->key_put(f->st, id, wrapped, sizeof wrapped, &err), 0);
        /* a key read back at once (pii_seal does) */
        assert_int_equal(o->key_get(f->st, id, out, sizeof out, &n, &err), 0);
        assert_memory_equal(out, wrapped, sizeof wrapped);
        snprintf(body, sizeof body, "{\"i\":%d,\"pad\":\"%0300d\",\"odd\":\"\\t\\\\\"}", i, i);
        struct store_event ev = event(O1, i + 1, body);
        assert_int_equal(o->event_append(f->st, &ev, &err), 0);
        assert_int_equal(ev.id, i + 1);
        struct store_household h = {"hh_1", "op_1", "KOR", i};
        assert_int_equal(o->household_put(f->st, &h, &err), 0);
    }
    /* a duplicate is still reported at once */
    struct store_event dup = event(O1, 7, "{}");
    assert_int_equal(o->event_append(f->st, &dup, &err), MUSTER_ECONFLICT);
    /* reads and updates in the same transaction see the writes, in order */
    assert_int_equal(o->person_set_status(f->st, "per_00007", "allocated", "leg_1", 9, &err), 0);
    assert_int_equal(o->event_count(f->st), 3000);
    struct store_event more = event(O1, 3001, "{}");
    assert_int_equal(o->event_append(f->st, &more, &err), 0);
    assert_int_equal(more.id, 3001);
    assert_int_equal(o->commit(f->st, &err), 0);

    struct store_person p;
    assert_int_equal(o->person_get(f->st, "per_00007", &p, &a, &err), 0);
    assert_string_equal(p.given_names, "SECOND");
    assert_string_equal(p.address, odd);
    assert_string_equal(p.status, "allocated");
    assert_int_equal(p.needs, 7);
    assert_true(p.lat == 1.0 / 8);
    assert_int_equal(o->person_get(f->st, "per_00006", &p, &a, &err), 0);
    assert_null(p.address);
    assert_true(isnan(p.lat));
    assert_int_equal(o->table_count(f->st, "persons"), 3000);
    struct store_household h;
    assert_int_equal(o->household_get(f->st, "hh_1", &h, &a, &err), 0);
    assert_int_equal(h.size, 2999);
    assert_int_equal(o->key_get(f->st, "per_02999", out, sizeof out, &n, &err), 0);
    assert_int_equal(out[1], '\\');
    assert_int_equal(out[5], 2999 & 0xff);
    struct store_head hd;
    assert_int_equal(o->event_head(f->st, O1, &hd, &err), 0);
    assert_int_equal(hd.seq, 3001);

    /* rolled back: nothing of it stays */
    assert_int_equal(o->begin(f->st, &err), 0);
    struct store_person gone = person("per_gone", "hh_9", "X", "Y", "M2", NULL);
    assert_int_equal(o->person_put(f->st, &gone, &err), 0);
    assert_int_equal(o->key_put(f->st, "per_gone", wrapped, sizeof wrapped, &err), 0);
    struct store_event ev = event(O1, 3002, "{}");
    assert_int_equal(o->event_append(f->st, &ev, &err), 0);
    o->rollback(f->st);
    assert_int_equal(o->person_get(f->st, "per_gone", &p, &a, &err), MUSTER_ENOTFOUND);
    assert_int_equal(o->key_get(f->st, "per_gone", out, sizeof out, &n, &err), MUSTER_ENOTFOUND);
    assert_int_equal(o->event_count(f->st), 3001);
    struct collect c = {.stop_at = -1};
    assert_int_equal(o->event_scan(f->st, 2990, collect, &c, &err), 0);
    assert_int_equal(c.n, 11);
    arena_free(&a);
}

/* The persons' secondary indexes of SQLite, counted in its schema (-1 on
 * PostgreSQL, whose store sets nothing aside). */
static int persons_indexes(struct fixture *f)
{
    if (pg_prefix())
        return -1;
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                                        " AND tbl_name = 'persons' AND sql IS NOT NULL",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* A bulk load may set indexes aside; lookups stay right meanwhile, and the
 * commit or a rollback leaves every index in place. */
static void test_bulk_load_indexes(void **state)
{
    struct fixture *f = *state;
    const struct store_ops *o = f->st->ops;
    struct muster_err err;
    struct arena a = {0};
    int before = persons_indexes(f);
    assert_int_equal(o->begin(f->st, &err), 0);
    if (o->bulk_begin)
        assert_int_equal(o->bulk_begin(f->st, 2, &err), 0);
    struct store_person p1 = person("per_1", "hh_1", "KIM", "MINJI", "M1", NULL);
    struct store_person p2 = person("per_2", "hh_1", "LEE", "JIHO", "M2", NULL);
    assert_int_equal(o->person_put(f->st, &p1, &err), 0);
    assert_int_equal(o->person_put(f->st, &p2, &err), 0);
    assert_string_equal(find(f->st, (struct store_person_query){.text = "M2"}, &a), "per_2");
    if (o->bulk_end)
        assert_int_equal(o->bulk_end(f->st, &err), 0);
    assert_int_equal(o->commit(f->st, &err), 0);
    assert_int_equal(persons_indexes(f), before);
    assert_string_equal(find(f->st, (struct store_person_query){.text = "LEE"}, &a), "per_2");

    /* a bulk load that is rolled back, and one committed without bulk_end */
    assert_int_equal(o->begin(f->st, &err), 0);
    if (o->bulk_begin)
        assert_int_equal(o->bulk_begin(f->st, 100, &err), 0);
    o->rollback(f->st);
    assert_int_equal(persons_indexes(f), before);
    assert_int_equal(o->begin(f->st, &err), 0);
    if (o->bulk_begin)
        assert_int_equal(o->bulk_begin(f->st, 100, &err), 0);
    assert_int_equal(o->commit(f->st, &err), 0);
    assert_int_equal(persons_indexes(f), before);
    assert_string_equal(find(f->st, (struct store_person_query){.text = "KIM"}, &a), "per_1");
    arena_free(&a);
}

static void test_open_and_create(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    struct store *again;
    /* a second handle on the same store sees what the first committed */
    assert_int_equal(f->st->ops->meta_put(f->st, "origin", "x", &err), 0);
    assert_int_equal(store_open(f->db, false, &again, &err), 0);
    char v[8];
    assert_int_equal(again->ops->meta_get(again, "origin", v, sizeof v, &err), 0);
    store_close(again);
    if (pg_prefix()) {
        /* PostgreSQL: create refuses a database that holds a node, open
         * refuses one without the schema */
        assert_int_equal(store_open(f->db, true, &again, &err), MUSTER_ECONFLICT);
        char other[600];
        snprintf(other, sizeof other, "%snone_%s", pg_prefix(), strrchr(f->dir, '-') + 1);
        assert_false(store_exists(other));
        assert_int_equal(store_open(other, false, &again, &err), MUSTER_ENOTFOUND);
    }
}

/* store_destroy removes the node (the database's muster objects), a new
 * one can be made at the same place, and destroying nothing is no error. */
static void test_destroy_and_make_again(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    assert_int_equal(f->st->ops->meta_put(f->st, "origin", "x", &err), 0);
    struct store_event ev = event(O1, 1, "{}");
    assert_int_equal(f->st->ops->event_append(f->st, &ev, &err), 0);
    store_close(f->st);
    f->st = NULL;
    assert_true(store_exists(f->db));
    assert_int_equal(store_destroy(f->db, &err), 0);
    assert_false(store_exists(f->db));
    assert_int_equal(store_destroy(f->db, &err), 0);
    assert_int_equal(store_open(f->db, true, &f->st, &err), 0);
    char v[8];
    assert_int_equal(f->st->ops->meta_get(f->st, "origin", v, sizeof v, &err), MUSTER_ENOTFOUND);
    assert_int_equal(f->st->ops->event_count(f->st), 0);
}

/* Where a store's files go, and its URI as shown: never the password. */
static void test_sidecar_and_display(void **state)
{
    (void)state;
    char out[600];
    setenv("MUSTER_KEY_DIR", "/keys", 1);
    store_sidecar_path("/data/ops.db", ".key", out, sizeof out);
    assert_string_equal(out, "/data/ops.db.key");
    store_sidecar_path("postgres://kor:s3cret@db1.hq:5433/muster_kor?sslmode=require", ".key", out,
                       sizeof out);
    assert_string_equal(out, "/keys/muster_kor.key");
    /* after a failover the host differs, the files are the same */
    store_sidecar_path("postgresql://db2.hq/muster_kor", ".clearance", out, sizeof out);
    assert_string_equal(out, "/keys/muster_kor.clearance");
    store_sidecar_path("postgres://h/a%20b", ".key", out, sizeof out);
    assert_string_equal(out, "/keys/a_b.key");
    unsetenv("MUSTER_KEY_DIR");
    store_sidecar_path("postgres://h/kor", ".key", out, sizeof out);
    assert_string_equal(out, "./kor.key");
    assert_string_equal(store_display("demo/muster.db", out, sizeof out), "demo/muster.db");
    store_display("postgres://kor:s3cret@db1.hq:5433/muster_kor?sslmode=require", out, sizeof out);
    assert_string_equal(out, "postgres://kor@db1.hq:5433/muster_kor");
    store_display("postgresql://db1.hq/muster_kor?password=s3cret&user=kor", out, sizeof out);
    assert_null(strstr(out, "s3cret"));
    assert_string_equal(out, "postgres://kor@db1.hq/muster_kor");
    assert_null(strstr(STORE_SHOWN("postgres://u:s3cret@h/d"), "s3cret"));
}

/* --- schema migrations --------------------------------------------------- */

extern const char *const sqlite_migrations[];
extern const size_t sqlite_migrations_count;
extern const char *const pg_migrations[];
extern const size_t pg_migrations_count;

static size_t migrations_count(void)
{
    return pg_prefix() ? pg_migrations_count : sqlite_migrations_count;
}

/* Runs sql on the store at db (outside the store), asserting success. */
static void raw_sql(const char *db, const char *sql)
{
    if (pg_prefix()) {
        PGconn *c = PQconnectdb(db);
        assert_int_equal(PQstatus(c), CONNECTION_OK);
        PQclear(PQexec(c, "SET client_min_messages = warning"));
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
            fail_msg("%s: %s", sql, PQresultErrorMessage(r));
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *c;
        assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
        if (sqlite3_exec(c, sql, NULL, NULL, NULL) != SQLITE_OK)
            fail_msg("%s: %s", sql, sqlite3_errmsg(c));
        sqlite3_close(c);
    }
}

/* One number the store at db answers to sql. */
static int64_t raw_int(const char *db, const char *sql)
{
    int64_t v = -1;
    if (pg_prefix()) {
        PGconn *c = PQconnectdb(db);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            v = atoll(PQgetvalue(r, 0, 0));
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *c;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
        if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(c);
    }
    return v;
}

static int64_t schema_version(const char *db)
{
    return raw_int(db,
                   pg_prefix() ? "SELECT max(version) FROM muster_schema" : "PRAGMA user_version");
}

/* A store at db as schema version `version` left it, with a node and one
 * event written then: an empty database and the first migrations run by
 * hand, as an older muster did. */
static void make_old_store(struct fixture *f, size_t version)
{
    char sql[400];
    if (pg_prefix()) {
        char admin[600];
        snprintf(admin, sizeof admin, "%spostgres", pg_prefix());
        snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", strrchr(f->db, '/') + 1);
        raw_sql(admin, sql);
        raw_sql(f->db, "CREATE TABLE muster_schema (version INTEGER NOT NULL)");
    }
    for (size_t v = 0; v < version; v++)
        raw_sql(f->db, pg_prefix() ? pg_migrations[v] : sqlite_migrations[v]);
    if (pg_prefix())
        snprintf(sql, sizeof sql, "INSERT INTO muster_schema VALUES (%zu)", version);
    else
        snprintf(sql, sizeof sql, "PRAGMA user_version = %zu", version);
    raw_sql(f->db, sql);
    const char *blob = pg_prefix() ? "'\\x00'::bytea" : "x'00'";
    snprintf(sql, sizeof sql,
             "INSERT INTO meta VALUES ('origin', 'old'); INSERT INTO events VALUES (1, '%s', 1, 1,"
             " 1, 'cli', 'KOR', 'test.note', %s, %s, %s, %s)",
             O1, blob, blob, blob, blob);
    raw_sql(f->db, sql);
}

static int setup_empty(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    fresh_db(f, pg_prefix() != NULL);
    *state = f;
    return 0;
}

/* A store made by an older muster (schema version 1) is brought up to the
 * latest version when opened, keeping what it held. */
static void test_migrates_an_older_store(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    assert_true(migrations_count() > 1);
    make_old_store(f, 1);
    assert_int_equal(schema_version(f->db), 1);
    assert_int_equal(store_open(f->db, false, &f->st, &err), 0);
    assert_int_equal(schema_version(f->db), (int64_t)migrations_count());
    char v[8];
    assert_int_equal(f->st->ops->meta_get(f->st, "origin", v, sizeof v, &err), 0);
    assert_string_equal(v, "old");
    assert_int_equal(f->st->ops->event_count(f->st), 1);
    /* the tables of the later migrations are there and usable */
    uint8_t digest[32];
    assert_int_equal(f->st->ops->proj_digest(f->st, digest, &err), 0);
    struct store_retention ret = {.id = "op_1",
                                  .nation = "KOR",
                                  .registry_days = 30,
                                  .partner_days = -1,
                                  .clearance_days = -1,
                                  .updated_ms = 1};
    assert_int_equal(f->st->ops->begin(f->st, &err), 0);
    assert_int_equal(f->st->ops->retention_put(f->st, &ret, &err), 0);
    assert_int_equal(f->st->ops->commit(f->st, &err), 0);
    /* opening again migrates nothing more */
    store_close(f->st);
    assert_int_equal(store_open(f->db, false, &f->st, &err), 0);
    assert_int_equal(schema_version(f->db), (int64_t)migrations_count());
}

/* A store of a newer muster is refused with a clear reason and left as it
 * was: no migration runs, the version stays. */
static void test_refuses_a_newer_store(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    make_old_store(f, migrations_count());
    char sql[100];
    size_t newer = migrations_count() + 1;
    if (pg_prefix())
        snprintf(sql, sizeof sql, "UPDATE muster_schema SET version = %zu", newer);
    else
        snprintf(sql, sizeof sql, "PRAGMA journal_mode = WAL; PRAGMA user_version = %zu", newer);
    raw_sql(f->db, sql);
    const char *tables = pg_prefix() ? "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                                     : "SELECT count(*) FROM sqlite_master";
    int64_t before = raw_int(f->db, tables);
    FILE *fp = pg_prefix() ? NULL : fopen(f->db, "rb");
    static char was[1 << 20], now[1 << 20];
    size_t nwas = fp ? fread(was, 1, sizeof was, fp) : 0;
    if (fp)
        fclose(fp);
    for (int create = 0; create < 2; create++) {
        assert_int_equal(store_open(f->db, create, &f->st, &err), MUSTER_EINVAL);
        assert_null(f->st);
        char want[100];
        snprintf(want, sizeof want, "schema version %zu is newer than this muster (%zu)", newer,
                 migrations_count());
        assert_non_null(strstr(err.msg, want));
    }
    assert_int_equal(schema_version(f->db), (int64_t)newer);
    assert_int_equal(raw_int(f->db, tables), before);
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM events"), 1);
    if (!pg_prefix()) {
        fp = fopen(f->db, "rb");
        assert_non_null(fp);
        size_t nnow = fread(now, 1, sizeof now, fp);
        fclose(fp);
        assert_int_equal(nnow, nwas);
        assert_memory_equal(now, was, nwas);
    }
}

/* --- PostgreSQL only ---------------------------------------------------- */

static void test_digest_same_on_both_stores(void **state)
{
    (void)state;
    struct fixture fs = {0}, fp = {0};
    struct muster_err err;
    fresh_db(&fs, false);
    fresh_db(&fp, true);
    assert_int_equal(store_open(fs.db, true, &fs.st, &err), 0);
    assert_int_equal(store_open(fp.db, true, &fp.st, &err), 0);
    uint8_t ds[32], dp[32], empty[32];
    assert_int_equal(fs.st->ops->proj_digest(fs.st, empty, &err), 0);
    assert_int_equal(fp.st->ops->proj_digest(fp.st, dp, &err), 0);
    assert_memory_equal(empty, dp, 32);
    put_rows(fs.st);
    put_rows(fp.st);
    assert_int_equal(fs.st->ops->proj_digest(fs.st, ds, &err), 0);
    assert_int_equal(fp.st->ops->proj_digest(fp.st, dp, &err), 0);
    assert_memory_equal(ds, dp, 32);
    assert_memory_not_equal(ds, empty, 32);
    /* one changed field changes it */
    assert_int_equal(fp.st->ops->person_set_status(fp.st, "per_1", "allocated", NULL, 1, &err), 0);
    assert_int_equal(fp.st->ops->proj_digest(fp.st, dp, &err), 0);
    assert_memory_not_equal(ds, dp, 32);
    store_close(fs.st);
    store_close(fp.st);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", fs.dir, fp.dir);
    assert_int_equal(system(cmd), 0);
}

struct waiter {
    const char *db;
    double began; /* seconds */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *second_writer(void *arg)
{
    struct waiter *w = arg;
    struct store *st;
    struct muster_err err;
    if (store_open(w->db, false, &st, &err) != 0)
        return NULL;
    if (st->ops->begin(st, &err) == 0) {
        w->began = now_s();
        struct store_event ev = event(O2, 1, "{}");
        st->ops->event_append(st, &ev, &err);
        st->ops->commit(st, &err);
    }
    store_close(st);
    return NULL;
}

static void test_writers_are_serialised(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    assert_int_equal(f->st->ops->begin(f->st, &err), 0);
    struct store_event ev = event(O1, 1, "{}");
    assert_int_equal(f->st->ops->event_append(f->st, &ev, &err), 0);
    struct waiter w = {f->db, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, second_writer, &w), 0);
    usleep(300000);
    double committed = now_s();
    assert_int_equal(f->st->ops->commit(f->st, &err), 0);
    pthread_join(t, NULL);
    assert_true(w.began >= committed); /* the second writer waited for the first */
    assert_int_equal(f->st->ops->event_count(f->st), 2);
    struct store_head h;
    assert_int_equal(f->st->ops->event_head(f->st, O2, &h, &err), 0);
    assert_int_equal(h.seq, 1);
}

/* The read audit: rows appended in a transaction, listed per person in
 * order, gone with a rollback; clearance decisions listed per person. */
static void test_read_audit_and_person_clearances(void **state)
{
    struct fixture *f = *state;
    const struct store_ops *o = f->st->ops;
    struct muster_err err;
    struct arena a = {0};
    struct store_read rows[] = {
        {0, 1000, "kor.officer", "KOR", "officer", "GET /api/v1/persons/{person}", "person",
         "per_a", "full"},
        {0, 1001, "jpn.immigration", "JPN", "immigration", "GET /api/v1/legs/{leg}/manifest",
         "manifest.paxlst", "per_b", "partner"},
        {0, 1002, "jpn.immigration", "JPN", "immigration", "GET /api/v1/legs/{leg}/manifest",
         "manifest \"paxlst\" \\ {x},y NULL", "per_a", "partner"},
    };
    assert_int_equal(o->begin(f->st, &err), 0);
    assert_int_equal(o->read_audit_put(f->st, rows, 3, &err), 0);
    assert_int_equal(o->commit(f->st, &err), 0);
    struct store_read *got;
    size_t n;
    assert_int_equal(o->read_audit_list(f->st, "per_a", 0, &got, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    assert_true(got[0].id < got[1].id);
    assert_int_equal(got[0].time_ms, 1000);
    assert_string_equal(got[0].actor, "kor.officer");
    assert_string_equal(got[0].route, "GET /api/v1/persons/{person}");
    assert_string_equal(got[1].nation, "JPN");
    assert_string_equal(got[1].role, "immigration");
    /* quotes, a backslash, braces, a comma and NULL come back as they went */
    assert_string_equal(got[1].purpose, "manifest \"paxlst\" \\ {x},y NULL");
    assert_string_equal(got[1].person, "per_a");
    assert_string_equal(got[1].view, "partner");
    assert_int_equal(o->read_audit_list(f->st, "per_a", 1, &got, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].time_ms, 1000);
    assert_int_equal(o->read_audit_list(f->st, "per_none", 0, &got, &n, &a, &err), 0);
    assert_int_equal(n, 0);
    /* rows of a rolled-back transaction are not kept */
    assert_int_equal(o->begin(f->st, &err), 0);
    assert_int_equal(o->read_audit_put(f->st, rows + 1, 1, &err), 0);
    o->rollback(f->st);
    assert_int_equal(o->read_audit_list(f->st, "per_b", 0, &got, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(o->table_count(f->st, "read_audit"), 3);
    /* a lazy commit is a commit like any other, only not flushed at once */
    assert_int_equal(o->set_durable(f->st, false, &err), 0);
    assert_int_equal(o->begin(f->st, &err), 0);
    assert_int_equal(o->read_audit_put(f->st, rows + 1, 1, &err), 0);
    assert_int_equal(o->commit(f->st, &err), 0);
    assert_int_equal(o->set_durable(f->st, true, &err), 0);
    assert_int_equal(o->read_audit_list(f->st, "per_b", 0, &got, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(o->table_count(f->st, "read_audit"), 4);

    struct store_clearance c1 = {
        "clr_1",  "leg_1",      "per_a", "JPN",       "refer",      "watchlist", "KIM",
        "MIN JI", "1984-03-02", "KOR",   "M12345678", "[\"name\"]", "[]",        NULL,
        NULL,     NULL,         9};
    struct store_clearance c2 = c1, c3 = c1;
    c2.id = "clr_2";
    c2.decided_ms = 4;
    c3.id = "clr_3";
    c3.person = "per_b";
    assert_int_equal(o->clearance_put(f->st, &c1, &err), 0);
    assert_int_equal(o->clearance_put(f->st, &c2, &err), 0);
    assert_int_equal(o->clearance_put(f->st, &c3, &err), 0);
    struct store_clearance *cs;
    assert_int_equal(o->clearance_of_person(f->st, "per_a", &cs, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(cs[0].id, "clr_2"); /* oldest first */
    assert_string_equal(cs[1].id, "clr_1");
    assert_int_equal(o->clearance_of_person(f->st, "per_none", &cs, &n, &a, &err), 0);
    assert_int_equal(n, 0);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_meta_nodes_and_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_append_head_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions_and_savepoints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_projection_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accounts_and_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clearances_and_erasure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_load_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_and_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_and_make_again, setup, teardown),
        cmocka_unit_test(test_sidecar_and_display),
        cmocka_unit_test_setup_teardown(test_migrates_an_older_store, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_a_newer_store, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_read_audit_and_person_clearances, setup, teardown),
    };
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test(test_digest_same_on_both_stores),
        cmocka_unit_test_setup_teardown(test_writers_are_serialised, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("store", tests, NULL, NULL);
    if (pg_prefix())
        failed += cmocka_run_group_tests_name("store_pg", pg_tests, NULL, NULL);
    return failed;
}

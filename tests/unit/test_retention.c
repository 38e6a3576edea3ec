/* test_retention.c — retention per data class (core/retention.h) and
 * signed erasure notices between two nodes (core/erasure.h), on SQLite or,
 * with MUSTER_TEST_DB_URI (tests/run-pg), on PostgreSQL. */
#include "core/clearance.h"
#include "core/erasure.h"
#include "core/events.h"
#include "core/node.h"
#include "core/operation.h"
#include "core/privacy.h"
#include "core/registry.h"
#include "core/retention.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_db.h"

#define CLOSE_AT "2030-01-01T00:00:00Z"
#define CLOSE_MS 1893456000000LL
#define DAY      86400000LL

struct fixture {
    char dir[64], db[512], db2[512];
    struct node *n;
    char op[33], op2[33];
};

static void db_path(struct fixture *f, const char *name, char *out, size_t cap)
{
    test_db_path(f->dir, name, out, cap);
}

static void new_operation(struct node *n, char out[33])
{
    double lat[] = {32.0, 32.2, 32.2, 32.0}, lon[] = {34.7, 34.7, 34.9, 34.9};
    const char *partners[] = {"JPN"};
    struct op_operation o = {NULL, "Test evacuation", "ISR", lat, lon, 4, partners, 1};
    struct muster_err err;
    assert_int_equal(op_create(n, "test", &o, out, &err), 0);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/muster-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    if (getenv("MUSTER_TEST_DB_URI") && *getenv("MUSTER_TEST_DB_URI"))
        setenv("MUSTER_KEY_DIR", f->dir, 1);
    db_path(f, "a", f->db, sizeof f->db);
    db_path(f, "b", f->db2, sizeof f->db2);
    struct muster_err err;
    assert_int_equal(node_init(f->db, "KOR", &err), 0);
    assert_int_equal(node_open(f->db, &f->n, &err), 0);
    assert_int_equal(ev_begin(f->n, &err), 0);
    new_operation(f->n, f->op);
    new_operation(f->n, f->op2);
    assert_int_equal(ev_commit(f->n, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    node_close(f->n);
    unsetenv("MUSTER_NOW");
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* Registers one household of two on operation op for nation (NULL: the
 * node's); the members' ids go to ids. */
static void register_two(struct node *n, const char *op, const char *nation, const char *doc,
                         char ids[2][33])
{
    struct reg_person p[2] = {
        {.nationality = nation ? nation : "KOR",
         .surname = "HAN",
         .given_names = "SO RA",
         .doc_number = doc,
         .consent = true,
         .lat = NAN,
         .lon = NAN},
        {.nationality = nation ? nation : "KOR",
         .surname = "HAN",
         .given_names = "JI HO",
         .consent = true,
         .lat = NAN,
         .lon = NAN},
    };
    char hh[33];
    struct muster_err err;
    assert_int_equal(ev_begin(n, &err), 0);
    assert_int_equal(reg_register_household(n, "test", nation, op, p, 2, hh, &err), 0);
    assert_int_equal(ev_commit(n, &err), 0);
    struct store_person_query q = {.household = hh, .limit = 10};
    struct store_person *found;
    size_t nf;
    struct arena a = {0};
    assert_int_equal(n->st->ops->person_find(n->st, &q, &found, &nf, &a, &err), 0);
    assert_int_equal(nf, 2);
    for (size_t i = 0; i < 2; i++)
        snprintf(ids[i], 33, "%s", found[i].id);
    arena_free(&a);
}

/* One pre-clearance decision of JPN on a new leg of operation op. */
static void decide_one(struct node *n, const char *op, const char *person, char out[33])
{
    struct muster_err err;
    char point[33], leg[33];
    const char *carries[] = {"KOR", "JPN"};
    struct op_point pt = {op, "Ben Gurion", "airport", 32.0055, 34.8854, 2000};
    struct op_leg l = {op,         "JPN", "aircraft", "KC-767", 200, 4, NULL,
                       1893456000, "HND", "JPN",      carries,  2,   0};
    struct screen_passenger p = {
        .surname = "HAN", .given_names = "SO RA", .nationality = "KOR", .doc_number = "M10000001"};
    struct screen_result r = {0};
    assert_int_equal(ev_begin(n, &err), 0);
    assert_int_equal(op_add_point(n, "test", &pt, point, &err), 0);
    l.point = point;
    assert_int_equal(op_add_leg(n, "test", &l, leg, &err), 0);
    assert_int_equal(clearance_record(n, "test", "JPN", leg, person, &p, &r, NULL, out, &err), 0);
    assert_int_equal(ev_commit(n, &err), 0);
}

static bool has_decision(struct node *n, const char *id)
{
    struct arena a = {0};
    struct store_clearance c;
    struct muster_err err;
    bool yes = n->st->ops->clearance_get(n->st, id, &c, &a, &err) == 0;
    arena_free(&a);
    return yes;
}

static bool has_key(struct node *n, const char *id)
{
    uint8_t w[128];
    size_t len;
    struct muster_err err;
    return n->st->ops->key_get(n->st, id, w, sizeof w, &len, &err) == 0;
}

static bool has_row(struct node *n, const char *id)
{
    struct arena a = {0};
    struct store_person p;
    struct muster_err err;
    bool yes = n->st->ops->person_get(n->st, id, &p, &a, &err) == 0;
    arena_free(&a);
    return yes;
}

static int set_periods(struct node *n, const char *nation, const char *op, const char *json)
{
    struct muster_err err;
    json_error_t jerr;
    json_t *p = json_loads(json, 0, &jerr);
    assert_int_equal(ev_begin(n, &err), 0);
    int rc = ret_set(n, "test", nation, op, p, &err);
    if (rc)
        ev_rollback(n);
    else
        assert_int_equal(ev_commit(n, &err), 0);
    json_decref(p);
    return rc;
}

static json_t *run_at(struct node *n, int64_t now_ms)
{
    struct muster_err err;
    json_t *summary = NULL;
    assert_int_equal(ev_begin(n, &err), 0);
    assert_int_equal(ret_run(n, "test", now_ms, &summary, &err), 0);
    assert_int_equal(ev_commit(n, &err), 0);
    return summary;
}

static void test_bad_periods_change_nothing(void **state)
{
    struct fixture *f = *state;
    int64_t before = f->n->st->ops->event_count(f->n->st);
    assert_int_equal(set_periods(f->n, "KOR", f->op, "{}"), MUSTER_EINVAL);
    assert_int_equal(set_periods(f->n, "KOR", f->op, "{\"partner_days\": -1}"), MUSTER_EINVAL);
    assert_int_equal(set_periods(f->n, "KOR", f->op, "{\"partner_days\": 1.5}"), MUSTER_EINVAL);
    assert_int_equal(set_periods(f->n, "KOR", f->op, "{\"shelf\": 3}"), MUSTER_EINVAL);
    assert_int_equal(set_periods(f->n, "JPN", f->op, "{\"partner_days\": 3}"), MUSTER_EDENIED);
    assert_int_equal(set_periods(f->n, "KOR", "op_nope", "{\"partner_days\": 3}"),
                     MUSTER_ENOTFOUND);
    assert_int_equal(f->n->st->ops->event_count(f->n->st), before);
    /* a class left out keeps its period; null keeps the class */
    assert_int_equal(set_periods(f->n, "KOR", f->op, "{\"partner_days\": 3}"), 0);
    assert_int_equal(set_periods(f->n, "KOR", f->op, "{\"registry_days\": 9}"), 0);
    assert_int_equal(set_periods(f->n, "KOR", f->op, "{\"clearance_days\": null}"), 0);
    struct muster_err err;
    json_t *j = ret_json(f->n, f->op, &err);
    assert_int_equal(json_integer_value(json_object_get(j, "partner_days")), 3);
    assert_int_equal(json_integer_value(json_object_get(j, "registry_days")), 9);
    assert_true(json_is_null(json_object_get(j, "clearance_days")));
    assert_true(json_is_null(json_object_get(j, "closed_at")));
    json_decref(j);
}

static void test_run_shreds_past_the_end_only(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    char own[2][33], partner[2][33], other[2][33];
    register_two(f->n, f->op, NULL, "M10000001", own);
    register_two(f->n, f->op, "JPN", "TK1000001", partner);
    register_two(f->n, f->op2, "JPN", "TK1000002", other);
    char decision[33], decision2[33];
    decide_one(f->n, f->op, own[0], decision);
    decide_one(f->n, f->op2, other[0], decision2);
    assert_true(has_decision(f->n, decision) && has_key(f->n, decision));
    assert_int_equal(set_periods(f->n, "KOR", f->op,
                                 "{\"registry_days\": 10, \"partner_days\": 1,"
                                 " \"clearance_days\": 2}"),
                     0);
    assert_int_equal(
        set_periods(f->n, "KOR", f->op2, "{\"partner_days\": 0, \"clearance_days\": 0}"), 0);
    /* nothing is due while the operation is open */
    json_t *s = run_at(f->n, CLOSE_MS + 400 * DAY);
    assert_int_equal(json_integer_value(json_object_get(s, "persons")), 0);
    json_decref(s);
    setenv("MUSTER_NOW", CLOSE_AT, 1);
    json_t *close = json_pack("{s:s}", "status", "closed");
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(op_update(f->n, "test", f->op, close, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    json_decref(close);
    unsetenv("MUSTER_NOW");

    s = run_at(f->n, CLOSE_MS + DAY - 1);
    assert_int_equal(json_integer_value(json_object_get(s, "persons")), 0);
    json_decref(s);
    assert_true(has_key(f->n, partner[0]) && has_row(f->n, partner[1]));

    s = run_at(f->n, CLOSE_MS + DAY);
    assert_int_equal(json_integer_value(json_object_get(s, "persons")), 2);
    json_decref(s);
    for (int i = 0; i < 2; i++) {
        assert_false(has_key(f->n, partner[i]));
        assert_false(has_row(f->n, partner[i]));
        assert_true(has_key(f->n, own[i]) && has_row(f->n, own[i]));
        assert_true(has_key(f->n, other[i]) && has_row(f->n, other[i]));
    }
    /* the projections are what the log says: a rebuild gives the same rows */
    uint8_t before[32], after[32];
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, before, &err), 0);
    assert_int_equal(ev_rebuild(f->n, &err), 0);
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, after, &err), 0);
    assert_memory_equal(before, after, 32);
    assert_false(has_row(f->n, partner[0]));
    assert_true(has_row(f->n, own[0]));
    assert_true(has_decision(f->n, decision) && has_key(f->n, decision));

    s = run_at(f->n, CLOSE_MS + DAY); /* idempotent */
    assert_int_equal(json_integer_value(json_object_get(s, "persons")), 0);
    json_decref(s);
    s = run_at(f->n, CLOSE_MS + 2 * DAY);
    assert_int_equal(json_integer_value(json_object_get(s, "persons")), 0);
    assert_int_equal(json_integer_value(json_object_get(s, "clearances")), 1);
    json_decref(s);
    assert_false(has_decision(f->n, decision) || has_key(f->n, decision));
    assert_true(has_decision(f->n, decision2) && has_key(f->n, decision2));
    assert_true(has_key(f->n, own[0]) && has_row(f->n, own[0]));
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, before, &err), 0);
    assert_int_equal(ev_rebuild(f->n, &err), 0);
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, after, &err), 0);
    assert_memory_equal(before, after, 32);
    s = run_at(f->n, CLOSE_MS + 10 * DAY);
    assert_int_equal(json_integer_value(json_object_get(s, "persons")), 2);
    json_decref(s);
    assert_false(has_key(f->n, own[0]) || has_key(f->n, own[1]));
    assert_true(has_key(f->n, other[0]) && has_row(f->n, other[1]));
    struct ev_verify_result res;
    assert_int_equal(ev_verify(f->n->st, 2, &res, &err), 0);
}

static void test_notice_moves_between_nodes(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    char ids[2][33];
    register_two(f->n, f->op, NULL, "M20000001", ids);
    assert_int_equal(node_init(f->db2, "JPN", &err), 0);
    struct node *b;
    assert_int_equal(node_open(f->db2, &b, &err), 0);
    /* B's copies of both keys (simulated here; test_share covers muster share) */
    for (int i = 0; i < 2; i++) {
        uint8_t w[128];
        size_t len;
        assert_int_equal(f->n->st->ops->key_get(f->n->st, ids[i], w, sizeof w, &len, &err), 0);
        assert_int_equal(b->st->ops->begin(b->st, &err), 0);
        assert_int_equal(b->st->ops->key_put(b->st, ids[i], w, len, &err), 0);
        assert_int_equal(b->st->ops->commit(b->st, &err), 0);
    }
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(privacy_erase(f->n, "test", ids[0], "asked to", &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    json_t *file;
    assert_int_equal(erasure_export(f->n, 0, &file, &err), 0);
    assert_int_equal(json_array_size(json_object_get(file, "notices")), 1);

    /* unknown signer, then a forged body: refused, nothing changes */
    int64_t events = b->st->ops->event_count(b->st);
    assert_int_equal(ev_begin(b, &err), 0);
    assert_int_equal(erasure_apply(b, "test", file, NULL, &err), MUSTER_ENOTFOUND);
    ev_rollback(b);
    json_t *id = erasure_identity(f->n);
    assert_int_equal(ev_begin(b, &err), 0);
    assert_int_equal(erasure_trust(b, "test", json_string_value(json_object_get(id, "origin")),
                                   "KOR", json_string_value(json_object_get(id, "pubkey")), &err),
                     0);
    assert_int_equal(ev_commit(b, &err), 0);
    json_decref(id);
    json_t *forged = json_deep_copy(file);
    json_t *ev = json_array_get(json_object_get(forged, "notices"), 0);
    char *body = strdup(json_string_value(json_object_get(ev, "body")));
    memcpy(strstr(body, ids[0]), ids[1], strlen(ids[1]));
    json_object_set_new(ev, "body", json_string(body));
    free(body);
    events = b->st->ops->event_count(b->st);
    assert_int_equal(ev_begin(b, &err), 0);
    assert_int_equal(erasure_apply(b, "test", forged, NULL, &err), MUSTER_ECRYPTO);
    ev_rollback(b);
    json_decref(forged);
    assert_int_equal(b->st->ops->event_count(b->st), events);
    assert_true(has_key(b, ids[0]) && has_key(b, ids[1]));

    json_t *summary = NULL;
    assert_int_equal(ev_begin(b, &err), 0);
    assert_int_equal(erasure_apply(b, "test", file, &summary, &err), 0);
    assert_int_equal(ev_commit(b, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(summary, "keys_destroyed")), 1);
    json_decref(summary);
    assert_false(has_key(b, ids[0]));
    assert_true(has_key(b, ids[1]));
    assert_int_equal(ev_begin(b, &err), 0);
    assert_int_equal(erasure_apply(b, "test", file, &summary, &err), 0);
    assert_int_equal(ev_commit(b, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(summary, "skipped")), 1);
    json_decref(summary);
    struct ev_verify_result res;
    assert_int_equal(ev_verify(b->st, 2, &res, &err), 0);
    json_decref(file);
    node_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_periods_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_shreds_past_the_end_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notice_moves_between_nodes, setup, teardown),
    };
    return cmocka_run_group_tests_name("retention", tests, NULL, NULL);
}

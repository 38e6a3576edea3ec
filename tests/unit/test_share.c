/* test_share.c — partner copies between two nodes (core/share.h): what
 * goes is what the scoping rule allows, keys never enter either log, the
 * receiving node's copy is a projection of its own log (a rebuild gives
 * the same rows), and a broken bundle changes nothing. */
#include "core/erasure.h"
#include "core/events.h"
#include "core/node.h"
#include "core/operation.h"
#include "core/pii.h"
#include "core/registry.h"
#include "core/share.h"
#include "util/timeutil.h"

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

struct fixture {
    char dir[64], dba[512], dbb[512];
    struct node *a, *b;
    char op[33], point[33], leg[33];
    char carried[33], arriving_none[33], own[33];
};

static struct reg_person person(const char *nationality, const char *surname, const char *doc,
                                bool consent)
{
    struct reg_person p = {
        .nationality = nationality,
        .surname = surname,
        .given_names = "TEST",
        .sex = "F",
        .birth_date = "1984-03-02",
        .doc_type = "P",
        .doc_number = doc,
        .doc_state = nationality,
        .doc_expiry = "2031-01-01",
        .phone = "+82 10 5555 0101",
        .address = "12 Generated Street",
        .lat = 32.08,
        .lon = 34.78,
        .consent = consent,
    };
    return p;
}

static void db_path(struct fixture *f, const char *name, char *out, size_t cap)
{
    test_db_path(f->dir, name, out, cap);
}

static void trust(struct node *who, struct node *peer)
{
    struct muster_err err;
    json_t *id = erasure_identity(peer);
    assert_int_equal(ev_begin(who, &err), 0);
    assert_int_equal(erasure_trust(who, "test", json_string_value(json_object_get(id, "origin")),
                                   peer->nation, json_string_value(json_object_get(id, "pubkey")),
                                   &err),
                     0);
    assert_int_equal(ev_commit(who, &err), 0);
    json_decref(id);
}

static void one(struct fixture *f, struct reg_person p, char out[33])
{
    struct muster_err err;
    char hh[33];
    assert_int_equal(reg_register_household(f->a, "test", NULL, f->op, &p, 1, hh, &err), 0);
    struct store_person_query q = {.household = hh};
    struct store_person *ps;
    size_t n = 0;
    struct arena ar = {0};
    assert_int_equal(f->a->st->ops->person_find(f->a->st, &q, &ps, &n, &ar, &err), 0);
    assert_int_equal(n, 1);
    snprintf(out, 33, "%s", ps[0].id);
    arena_free(&ar);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/muster-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    if (getenv("MUSTER_TEST_DB_URI") && *getenv("MUSTER_TEST_DB_URI"))
        setenv("MUSTER_KEY_DIR", f->dir, 1);
    db_path(f, "a", f->dba, sizeof f->dba);
    db_path(f, "b", f->dbb, sizeof f->dbb);
    struct muster_err err;
    assert_int_equal(node_init(f->dba, "KOR", &err), 0);
    assert_int_equal(node_init(f->dbb, "JPN", &err), 0);
    assert_int_equal(node_open(f->dba, &f->a, &err), 0);
    assert_int_equal(node_open(f->dbb, &f->b, &err), 0);
    trust(f->a, f->b);
    trust(f->b, f->a);
    double lat[] = {32.0, 32.2, 32.2, 32.0}, lon[] = {34.7, 34.7, 34.9, 34.9};
    const char *partners[] = {"JPN"}, *carries[] = {"KOR", "JPN"};
    struct op_operation o = {NULL, "Test evacuation", "ISR", lat, lon, 4, partners, 1};
    assert_int_equal(ev_begin(f->a, &err), 0);
    assert_int_equal(op_create(f->a, "test", &o, f->op, &err), 0);
    struct op_point pt = {f->op, "Ben Gurion", "airport", 32.0055, 34.8854, 2000};
    assert_int_equal(op_add_point(f->a, "test", &pt, f->point, &err), 0);
    struct op_leg leg = {f->op,  "JPN", "aircraft", "KC-767", 200, 0, f->point, time_now() + 3600,
                         "RKSI", "KOR", carries,    2,        0};
    assert_int_equal(op_add_leg(f->a, "test", &leg, f->leg, &err), 0);
    /* a Korean who consented, on Japan's aircraft: partner view */
    one(f, person("KOR", "KIM", "M10000001", true), f->carried);
    assert_int_equal(reg_set_status(f->a, "test", f->carried, "allocated", f->leg, NULL, &err), 0);
    /* a Korean who did not consent, on the same aircraft: not shown */
    one(f, person("KOR", "LEE", "M10000002", false), f->arriving_none);
    assert_int_equal(
        reg_set_status(f->a, "test", f->arriving_none, "allocated", f->leg, NULL, &err), 0);
    /* a Japanese national registered by Korea's desk: Japan's own, in full */
    one(f, person("JPN", "SATO", "TK0000001", true), f->own);
    assert_int_equal(ev_commit(f->a, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    node_close(f->a);
    node_close(f->b);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static json_t *export(struct fixture *f)
{
    struct muster_err err;
    json_t *bundle = NULL, *sum = NULL;
    assert_int_equal(ev_begin(f->a, &err), 0);
    assert_int_equal(share_export(f->a, "test", f->b->origin, f->op, &bundle, &sum, &err), 0);
    assert_int_equal(ev_commit(f->a, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(sum, "full")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "partner")), 1);
    json_decref(sum);
    return bundle;
}

static int apply(struct fixture *f, json_t *bundle, struct muster_err *err)
{
    json_t *sum = NULL;
    int rc = ev_begin(f->b, err);
    if (!rc)
        rc = share_apply(f->b, "test", bundle, time_now_ms(), &sum, err);
    if (!rc)
        rc = ev_commit(f->b, err);
    else
        ev_rollback(f->b);
    json_decref(sum);
    return rc;
}

struct find_text {
    const char *needle;
    int found;
};

static int scan_for(void *ctx, const struct store_event *ev)
{
    struct find_text *x = ctx;
    if (memmem(ev->body, ev->body_len, x->needle, strlen(x->needle)))
        x->found++;
    return 0;
}

static void test_copy_is_what_the_rule_allows(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    json_t *bundle = export(f);
    assert_int_equal(apply(f, bundle, &err), 0);
    struct arena ar = {0};
    struct store_person p;
    struct store *b = f->b->st;
    assert_int_equal(b->ops->person_get(b, f->carried, &p, &ar, &err), 0);
    assert_string_equal(p.surname, "KIM");
    assert_string_equal(p.doc_number, "M10000001");
    assert_string_equal(p.leg, f->leg);
    assert_null(p.phone);
    assert_null(p.address);
    assert_true(p.lat != p.lat); /* NAN: no location */
    assert_int_equal(b->ops->person_get(b, f->own, &p, &ar, &err), 0);
    assert_string_equal(p.phone, "+82 10 5555 0101");
    assert_string_equal(p.nation, "KOR");
    assert_int_equal(b->ops->person_get(b, f->arriving_none, &p, &ar, &err), MUSTER_ENOTFOUND);
    struct store_leg l;
    assert_int_equal(b->ops->leg_get(b, f->leg, &l, &ar, &err), 0);
    assert_string_equal(l.operator_nation, "JPN");
    arena_free(&ar);
    /* no key in either log: the sealed keys of the bundle appear nowhere */
    json_t *payload = json_loads(json_string_value(json_object_get(bundle, "payload")), 0, NULL);
    json_t *persons = json_object_get(payload, "persons");
    assert_int_equal(json_array_size(persons), 2);
    size_t i;
    json_t *v;
    json_array_foreach(persons, i, v)
    {
        struct find_text x = {json_string_value(json_object_get(v, "key")), 0};
        assert_int_equal(f->a->st->ops->event_scan(f->a->st, 0, scan_for, &x, &err), 0);
        assert_int_equal(f->b->st->ops->event_scan(f->b->st, 0, scan_for, &x, &err), 0);
        assert_int_equal(x.found, 0);
    }
    json_decref(payload);
    json_decref(bundle);
    struct ev_verify_result res;
    assert_int_equal(ev_verify(b, 1, &res, &err), 0);
}

static void test_copy_rebuilds_from_the_log(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    json_t *bundle = export(f);
    assert_int_equal(apply(f, bundle, &err), 0);
    json_decref(bundle);
    uint8_t before[32], after[32];
    struct store *b = f->b->st;
    assert_int_equal(b->ops->proj_digest(b, before, &err), 0);
    assert_int_equal(ev_rebuild(f->b, &err), 0);
    assert_int_equal(b->ops->proj_digest(b, after, &err), 0);
    assert_memory_equal(before, after, 32);
    assert_int_equal(b->ops->table_count(b, "persons"), 2);
}

static void test_broken_bundle_changes_nothing(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    json_t *bundle = export(f);
    int64_t events = f->b->st->ops->event_count(f->b->st);
    /* payload edited after signing */
    json_t *bad = json_deep_copy(bundle);
    char *text = strdup(json_string_value(json_object_get(bad, "payload")));
    char *at = strstr(text, "allocated");
    assert_non_null(at);
    memcpy(at, "notified ", 9);
    json_object_set_new(bad, "payload", json_string(text));
    free(text);
    assert_int_equal(apply(f, bad, &err), MUSTER_ECRYPTO);
    json_decref(bad);
    /* not a bundle at all */
    bad = json_pack("{s:s}", "format", "muster-share/1");
    assert_int_equal(apply(f, bad, &err), MUSTER_EINVAL);
    json_decref(bad);
    assert_int_equal(f->b->st->ops->event_count(f->b->st), events);
    assert_int_equal(f->b->st->ops->table_count(f->b->st, "persons"), 0);
    /* the good one, twice: the second changes nothing */
    assert_int_equal(apply(f, bundle, &err), 0);
    events = f->b->st->ops->event_count(f->b->st);
    assert_int_equal(apply(f, bundle, &err), 0);
    assert_int_equal(f->b->st->ops->event_count(f->b->st), events);
    json_decref(bundle);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_copy_is_what_the_rule_allows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_rebuilds_from_the_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_bundle_changes_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

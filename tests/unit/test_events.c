/* test_events.c — the event log: append, chain, signatures, projections
 * rebuilt from the log alone, per-person keys and crypto-shredding. */
#include "core/events.h"
#include "core/node.h"
#include "core/operation.h"
#include "core/pii.h"
#include "core/privacy.h"
#include "core/registry.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_db.h"

struct fixture {
    char dir[64], db[512];
    struct node *n;
    char op[33], point[33];
};

static struct reg_person person(const char *surname, const char *given, const char *doc)
{
    struct reg_person p = {
        .nationality = "KOR",
        .surname = surname,
        .given_names = given,
        .sex = "F",
        .birth_date = "1984-03-02",
        .doc_type = "P",
        .doc_number = doc,
        .doc_state = "KOR",
        .doc_expiry = "2031-01-01",
        .phone = "+82 10 0000 0000",
        .lat = 32.08,
        .lon = 34.78,
        .consent = true,
    };
    return p;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_node_fresh(f->dir, sizeof f->dir, f->db, sizeof f->db, &f->n);
    struct muster_err err;
    double lat[] = {32.0, 32.2, 32.2, 32.0}, lon[] = {34.7, 34.7, 34.9, 34.9};
    const char *partners[] = {"JPN"};
    struct op_operation o = {NULL, "Test evacuation", "ISR", lat, lon, 4, partners, 1};
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(op_create(f->n, "test", &o, f->op, &err), 0);
    struct op_point pt = {f->op, "Ben Gurion", "airport", 32.0055, 34.8854, 2000};
    assert_int_equal(op_add_point(f->n, "test", &pt, f->point, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    node_close(f->n);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void test_key_file_is_private(void **state)
{
    struct fixture *f = *state;
    char path[200];
    node_key_path(f->db, path, sizeof path);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
}

static void test_chain_verifies_and_counts(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    struct reg_person people[2] = {person("KIM", "MIN JI", "M12345678"),
                                   person("KIM", "SEO YEON", "M12345679")};
    char hh[33];
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, people, 2, hh, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    struct ev_verify_result res;
    assert_int_equal(ev_verify(f->n->st, 2, &res, &err), 0);
    assert_int_equal(res.events, 4); /* node, operation, point, household */
    assert_int_equal(res.origins, 1);
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "persons"), 2);
}

static void test_rollback_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    int64_t before = f->n->st->ops->event_count(f->n->st);
    struct reg_person p = person("LEE", "JI HO", "M00000001");
    char hh[33];
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, &p, 1, hh, &err), 0);
    ev_rollback(f->n);
    assert_int_equal(f->n->st->ops->event_count(f->n->st), before);
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "persons"), 0);
    /* the chain continues cleanly after a rollback */
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, &p, 1, hh, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    struct ev_verify_result res;
    assert_int_equal(ev_verify(f->n->st, 1, &res, &err), 0);
}

static void test_rebuild_matches_projections(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    for (int i = 0; i < 50; i++) {
        char doc[16];
        snprintf(doc, sizeof doc, "M%08d", i);
        struct reg_person p = person("PARK", "JI WOO", doc);
        p.needs = i % 7 == 0 ? NEED_STRETCHER : 0;
        char hh[33];
        assert_int_equal(ev_begin(f->n, &err), 0);
        assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, &p, 1, hh, &err), 0);
        assert_int_equal(ev_commit(f->n, &err), 0);
    }
    uint8_t before[32], after[32];
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, before, &err), 0);
    assert_int_equal(ev_rebuild(f->n, &err), 0);
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, after, &err), 0);
    assert_memory_equal(before, after, 32);
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "persons"), 50);
}

static void test_status_transitions(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    struct reg_person p = person("CHOI", "YUNA", "M22222222");
    char hh[33];
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, &p, 1, hh, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    /* find the person id through the household's single member */
    struct arena a = {0};
    struct store_count *c;
    size_t nc;
    assert_int_equal(f->n->st->ops->person_counts(f->n->st, f->op, "status", &c, &nc, &a, &err), 0);
    assert_int_equal(nc, 1);
    assert_string_equal(c[0].key, "registered");
    arena_free(&a);
    assert_true(reg_transition_allowed("registered", "allocated"));
    assert_false(reg_transition_allowed("registered", "boarded"));
    assert_false(reg_transition_allowed("cleared", "registered"));
    assert_int_equal(reg_set_status(f->n, "test", "per_nobody", "allocated", "leg_x", NULL, &err),
                     MUSTER_ENOTFOUND);
}

struct find_member {
    char id[33];
    char sealed_prefix[16];
};

/* Picks the first member of the last household.registered event. */
static int find_member(void *ctx, const struct store_event *ev)
{
    struct find_member *fm = ctx;
    if (strcmp(ev->type, "household.registered") != 0)
        return 0;
    json_t *b = json_loadb(ev->body, ev->body_len, 0, NULL);
    json_t *m = json_array_get(json_object_get(b, "members"), 0);
    snprintf(fm->id, sizeof fm->id, "%s", json_string_value(json_object_get(m, "id")));
    snprintf(fm->sealed_prefix, sizeof fm->sealed_prefix, "%s",
             json_string_value(json_object_get(m, "pii")));
    /* no personal field is in the clear */
    assert_null(strstr(ev->body, "JEONG"));
    assert_null(strstr(ev->body, "M33333333"));
    json_decref(b);
    return 0;
}

static void test_shredded_person_leaves_projections(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    struct reg_person people[2] = {person("JEONG", "HA EUN", "M33333333"),
                                   person("JEONG", "DO YUN", "M33333334")};
    char hh[33];
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, people, 2, hh, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    struct find_member fm = {0};
    assert_int_equal(f->n->st->ops->event_scan(f->n->st, 0, find_member, &fm, &err), 0);
    assert_true(strncmp(fm.id, "per_", 4) == 0);
    struct arena a = {0};
    struct store_person sp;
    assert_int_equal(f->n->st->ops->person_get(f->n->st, fm.id, &sp, &a, &err), 0);
    assert_string_equal(sp.surname, "JEONG");
    arena_free(&a);

    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(pii_destroy(f->n, fm.id, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    assert_int_equal(ev_rebuild(f->n, &err), 0);
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "persons"), 1);
    assert_int_equal(f->n->st->ops->person_get(f->n->st, fm.id, &sp, &a, &err), MUSTER_ENOTFOUND);
    arena_free(&a);
    struct ev_verify_result res;
    assert_int_equal(ev_verify(f->n->st, 2, &res, &err), 0);
    json_t *dummy = json_object();
    char *sealed = NULL;
    assert_int_equal(pii_seal(f->n, fm.id, dummy, &sealed, &err), MUSTER_ENOTFOUND);
    json_decref(dummy);
}

static void test_update_survives_rebuild(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    struct reg_person people[2] = {person("JEONG", "HA EUN", "M33333333"),
                                   person("JEONG", "DO YUN", "M33333334")};
    char hh[33];
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, people, 2, hh, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    struct find_member fm = {0};
    assert_int_equal(f->n->st->ops->event_scan(f->n->st, 0, find_member, &fm, &err), 0);
    struct reg_person changed = people[0];
    changed.phone = "+82 10 1234 5678";
    changed.needs = NEED_STRETCHER;
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_update_person(f->n, "test", fm.id, &changed, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    struct arena a = {0};
    struct store_person sp;
    assert_int_equal(f->n->st->ops->person_get(f->n->st, fm.id, &sp, &a, &err), 0);
    assert_string_equal(sp.phone, "+82 10 1234 5678");
    assert_string_equal(sp.priority, "critical");
    assert_string_equal(sp.household, hh);
    arena_free(&a);
    uint8_t before[32], after[32];
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, before, &err), 0);
    assert_int_equal(ev_rebuild(f->n, &err), 0);
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, after, &err), 0);
    assert_memory_equal(before, after, 32);
    /* the nationality does not change through an edit */
    changed.nationality = "JPN";
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_update_person(f->n, "test", fm.id, &changed, &err), MUSTER_EINVAL);
    ev_rollback(f->n);
}

/* Collects the ids of the members of every household.registered event. */
static int member_ids(void *ctx, const struct store_event *ev)
{
    json_t *ids = ctx;
    if (strcmp(ev->type, "household.registered") != 0)
        return 0;
    json_t *b = json_loadb(ev->body, ev->body_len, 0, NULL), *m;
    size_t i;
    json_array_foreach(json_object_get(b, "members"), i, m)
    {
        json_array_append(ids, json_object_get(m, "id"));
    }
    json_decref(b);
    return 0;
}

/* The ledger's carriages come from the log: a rebuild gives the same rows
 * (and prices) after a fare change and an erasure, and the erased person's
 * carriage stays. */
static void test_carriages_survive_erasure_and_rebuild(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    const char *carries[] = {"KOR", "JPN"};
    struct op_leg l = {
        f->op, "JPN",   "aircraft", "KC-767",  200, 2, f->point, 1800000000, "Tokyo Haneda (RJTT)",
        "JPN", carries, 2,          1800050000};
    char leg[33], hh[33];
    struct reg_person people[3] = {person("KIM", "MIN JI", "M10000001"),
                                   person("KIM", "SEO YEON", "M10000002"),
                                   person("KIM", "DO YUN", "M10000003")};
    people[2].needs = NEED_STRETCHER;
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(op_add_leg(f->n, "test", &l, leg, &err), 0);
    assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, people, 3, hh, &err), 0);
    json_t *fare = json_pack("{s:s, s:s, s:{s:s, s:i, s:s}}", "operation", f->op, "nation", "JPN",
                             "policy", "kind", "flat_fee", "amount", 30000, "currency", "JPY");
    assert_int_equal(ev_append(f->n, "test", "JPN", "fare.policy", fare, &err), 0);
    json_decref(fare);
    /* a policy set now for later prices nothing carried before then */
    fare = json_pack("{s:s, s:s, s:{s:s, s:i, s:s}, s:s}", "operation", f->op, "nation", "JPN",
                     "policy", "kind", "flat_fee", "amount", 50000, "currency", "JPY", "effective",
                     "2099-01-01T00:00:00Z");
    assert_int_equal(ev_append(f->n, "test", "JPN", "fare.policy", fare, &err), 0);
    json_decref(fare);
    assert_int_equal(ev_commit(f->n, &err), 0);
    json_t *ids = json_array();
    assert_int_equal(f->n->st->ops->event_scan(f->n->st, 0, member_ids, ids, &err), 0);
    assert_int_equal(json_array_size(ids), 3);
    static const char *const path[] = {"allocated", "checked_in", "boarded", "departed"};
    for (size_t k = 0; k < 3; k++) {
        const char *id = json_string_value(json_array_get(ids, k));
        for (int s = 0; s < (k == 1 ? 3 : 4); s++) {
            assert_int_equal(ev_begin(f->n, &err), 0);
            if (reg_set_status(f->n, "test", id, path[s], leg, NULL, &err))
                fail_msg("%s -> %s: %s", id, path[s], err.msg);
            assert_int_equal(ev_commit(f->n, &err), 0);
        }
    }
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "carriages"), 3);
    /* a leg changed and a point added then deleted replay the same way */
    char pt2[33];
    struct op_point p2 = {f->op, "Jaffa gate", "port", 32.05, 34.75, 100};
    json_t *ch = json_pack("{s:s, s:s, s:i}", "vehicle", "KC-767 (2nd)", "arrives",
                           "2027-01-15T12:00:00Z", "seats", 150);
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(op_update_leg(f->n, "test", leg, ch, &err), 0);
    assert_int_equal(op_add_point(f->n, "test", &p2, pt2, &err), 0);
    assert_int_equal(op_delete_point(f->n, "test", pt2, &err), 0);
    assert_int_equal(op_delete_point(f->n, "test", f->point, &err), MUSTER_ECONFLICT);
    assert_int_equal(ev_commit(f->n, &err), 0);
    json_decref(ch);
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "assembly_points"), 1);
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(
        privacy_erase(f->n, "test", json_string_value(json_array_get(ids, 0)), "request", &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "persons"), 2);
    uint8_t before[32], after[32];
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, before, &err), 0);
    assert_int_equal(ev_rebuild(f->n, &err), 0);
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, after, &err), 0);
    assert_memory_equal(before, after, 32);
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "persons"), 2);
    struct arena a = {0};
    struct store_carriage_sum *cs;
    size_t n;
    assert_int_equal(f->n->st->ops->carriage_sums(f->n->st, f->op, &cs, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(cs[0].carrier, "JPN");
    assert_string_equal(cs[0].nationality, "KOR");
    assert_int_equal(cs[0].departed, 2);
    assert_int_equal(cs[0].boarded, 1);
    assert_int_equal(cs[0].stretchers, 1);
    assert_non_null(strstr(cs[0].fare, "30000"));
    struct store_leg sl;
    assert_int_equal(f->n->st->ops->leg_get(f->n->st, leg, &sl, &a, &err), 0);
    assert_int_equal(sl.arrives, 1800014400);
    assert_int_equal(sl.seats, 150);
    assert_string_equal(sl.vehicle, "KC-767 (2nd)");
    arena_free(&a);
    json_decref(ids);
}

static void test_bad_person_is_rejected(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    struct reg_person p = person("K1M", "X", "M1");
    char hh[33];
    int64_t before = f->n->st->ops->event_count(f->n->st);
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, &p, 1, hh, &err),
                     MUSTER_EINVAL);
    ev_rollback(f->n);
    assert_non_null(strstr(err.msg, "surname"));
    p = person("KIM", "X", "M1");
    p.birth_date = "2099-01-01";
    assert_int_equal(reg_validate(&p, 1790000000, &err), MUSTER_EINVAL);
    p.birth_date = "1990-02-30";
    assert_int_equal(reg_validate(&p, 1790000000, &err), MUSTER_EINVAL);
    assert_int_equal(f->n->st->ops->event_count(f->n->st), before);
}

static void test_priority_rules(void **state)
{
    int64_t today = 1795000000; /* 2026-11-18 */
    assert_string_equal(reg_priority(NEED_STRETCHER, "1990-01-01", today), "critical");
    assert_string_equal(reg_priority(NEED_PREGNANT, "1990-01-01", today), "vulnerable");
    assert_string_equal(reg_priority(0, "2024-01-01", today), "vulnerable");
    assert_string_equal(reg_priority(0, "1940-01-01", today), "vulnerable");
    assert_string_equal(reg_priority(0, "1990-01-01", today), "standard");
    assert_int_equal(reg_parse_needs("stretcher;pregnant"), NEED_STRETCHER | NEED_PREGNANT);
    assert_int_equal(reg_parse_needs(""), 0);
    assert_int_equal(reg_parse_needs("flying"), -1);
}

/* What a progress callback was told. */
struct progress_log {
    int calls;
    int64_t last, total;
    char stage[32];
    bool backwards;
};

static void record_progress(void *ctx, const char *stage, int64_t done, int64_t total)
{
    struct progress_log *l = ctx;
    if (done < l->last)
        l->backwards = true;
    l->calls++;
    l->last = done;
    l->total = total;
    snprintf(l->stage, sizeof l->stage, "%s", stage);
}

static void test_verify_and_rebuild_report_progress(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    assert_int_equal(ev_begin(f->n, &err), 0);
    json_t *body = json_pack("{s:i}", "tick", 1);
    for (int i = 0; i < 9000; i++) /* more than one verify batch (8192) */
        assert_int_equal(ev_append(f->n, "test", NULL, "test.tick", body, &err), 0);
    json_decref(body);
    assert_int_equal(ev_commit(f->n, &err), 0);
    int64_t total = f->n->st->ops->event_count(f->n->st);
    struct progress_log v = {0}, r = {0};
    struct ev_verify_result res;
    assert_int_equal(ev_verify_progress(f->n->st, 2, record_progress, &v, &res, &err), 0);
    assert_true(v.calls >= 1);
    assert_string_equal(v.stage, "verifying");
    assert_false(v.backwards);
    assert_int_equal(v.total, total);
    assert_true(v.last > 0 && v.last <= total);
    assert_int_equal(ev_rebuild_progress(f->n, record_progress, &r, &err), 0);
    assert_true(r.calls >= 8); /* every 1024 events */
    assert_string_equal(r.stage, "rebuilding");
    assert_false(r.backwards);
    assert_int_equal(r.total, total);
    assert_true(r.last <= total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_key_file_is_private, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_verifies_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_matches_projections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_transitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shredded_person_leaves_projections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_survives_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_person_is_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_carriages_survive_erasure_and_rebuild, setup,
                                        teardown),
        cmocka_unit_test(test_priority_rules),
        cmocka_unit_test_setup_teardown(test_verify_and_rebuild_report_progress, setup, teardown),
    };
    return cmocka_run_group_tests_name("events", tests, NULL, NULL);
}

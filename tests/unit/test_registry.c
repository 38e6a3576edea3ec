/* test_registry.c — people and their status: the whole happy path and the
 * side exits (declined, no_show, refused_entry) through reg_set_status,
 * every move the table forbids refused with a clear message and nothing
 * written, and the registration's direct writers (the canonical text of
 * the sealed fields, rows equal to the rows rebuilt from the log).
 * MUSTER_TEST_DB_URI (tests/run-pg) runs it on PostgreSQL. */
#include "core/events.h"
#include "core/node.h"
#include "core/operation.h"
#include "core/registry.h"
#include "util/jcanon.h"

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

struct fixture {
    char dir[64], db[512];
    struct node *n;
    char op[33], point[33], leg[33], leg2[33];
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

static void add_leg(struct fixture *f, const char *vehicle, char out[33])
{
    struct muster_err err;
    const char *carries[] = {"KOR", "JPN"};
    struct op_leg l = {.operation = f->op,
                       .operator_nation = "KOR",
                       .kind = "aircraft",
                       .vehicle = vehicle,
                       .seats = 300,
                       .stretchers = 4,
                       .point = f->point,
                       .departs = 1893456000,
                       .destination = "ICN",
                       .destination_country = "KOR",
                       .carries = carries,
                       .ncarries = 2};
    assert_int_equal(op_add_leg(f->n, "test", &l, out, &err), 0);
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
    add_leg(f, "KC-330", f->leg);
    add_leg(f, "C-130J", f->leg2);
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

/* Registers one person (document doc) and writes the id into id. */
static void register_one(struct fixture *f, const char *doc, char id[33])
{
    struct muster_err err;
    struct reg_person p = person("CHOI", "YUNA", doc);
    char hh[33];
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_register_household(f->n, "test", NULL, f->op, &p, 1, hh, &err), 0);
    assert_int_equal(ev_commit(f->n, &err), 0);
    struct arena a = {0};
    struct store_person *ps;
    size_t np;
    struct store_person_query q = {.operation = f->op, .household = hh, .limit = 10};
    assert_int_equal(f->n->st->ops->person_find(f->n->st, &q, &ps, &np, &a, &err), 0);
    assert_int_equal(np, 1);
    snprintf(id, 33, "%s", ps[0].id);
    arena_free(&a);
}

/* The person's status and leg as the projection has them. */
static void status_of(struct fixture *f, const char *id, char status[32], char leg[33])
{
    struct muster_err err;
    struct arena a = {0};
    struct store_person p;
    assert_int_equal(f->n->st->ops->person_get(f->n->st, id, &p, &a, &err), 0);
    snprintf(status, 32, "%s", p.status);
    snprintf(leg, 33, "%s", p.leg ? p.leg : "");
    arena_free(&a);
}

/* One allowed move: one person.status event, the projection follows. */
static void move(struct fixture *f, const char *id, const char *to, const char *leg)
{
    struct muster_err err;
    int64_t before = f->n->st->ops->event_count(f->n->st);
    assert_int_equal(ev_begin(f->n, &err), 0);
    int rc = reg_set_status(f->n, "test", id, to, leg, NULL, &err);
    if (rc)
        fail_msg("%s -> %s: %s", id, to, err.msg);
    assert_int_equal(ev_commit(f->n, &err), 0);
    char status[32], now_leg[33];
    status_of(f, id, status, now_leg);
    assert_string_equal(status, to);
    assert_int_equal(f->n->st->ops->event_count(f->n->st), before + 1);
}

/* A refused move: the status code and message, and nothing written even
 * when the caller commits afterwards. */
static void refused(struct fixture *f, const char *id, const char *to, const char *leg, int code,
                    const char *msg_part)
{
    struct muster_err err = {0};
    char status0[32], leg0[33], status1[32], leg1[33];
    status_of(f, id, status0, leg0);
    int64_t before = f->n->st->ops->event_count(f->n->st);
    assert_int_equal(ev_begin(f->n, &err), 0);
    int rc = reg_set_status(f->n, "test", id, to, leg, NULL, &err);
    if (rc != code)
        fail_msg("%s -> %s: got %d (%s), want %d", status0, to, rc, err.msg, code);
    if (!strstr(err.msg, msg_part))
        fail_msg("%s -> %s: message '%s' does not say '%s'", status0, to, err.msg, msg_part);
    assert_int_equal(ev_commit(f->n, &err), 0);
    status_of(f, id, status1, leg1);
    assert_string_equal(status1, status0);
    assert_string_equal(leg1, leg0);
    assert_int_equal(f->n->st->ops->event_count(f->n->st), before);
}

static const char *const happy[] = {"allocated", "notified", "confirmed", "checked_in",
                                    "boarded",   "departed", "arrived",   "cleared"};

static void test_happy_path(void **state)
{
    struct fixture *f = *state;
    char id[33], status[32], leg[33];
    register_one(f, "M10000001", id);
    status_of(f, id, status, leg);
    assert_string_equal(status, "registered");
    assert_string_equal(leg, "");
    for (size_t i = 0; i < sizeof happy / sizeof happy[0]; i++)
        move(f, id, happy[i], i == 0 ? f->leg : NULL);
    status_of(f, id, status, leg);
    assert_string_equal(leg, f->leg); /* kept from the allocation on */
    /* cleared is the end of the road */
    for (size_t i = 0; reg_statuses[i]; i++)
        refused(f, id, reg_statuses[i], f->leg, MUSTER_ECONFLICT, "cannot go from cleared");
}

static void test_declined(void **state)
{
    struct fixture *f = *state;
    char id[33], status[32], leg[33];
    register_one(f, "M10000002", id);
    move(f, id, "declined", NULL);
    refused(f, id, "allocated", f->leg, MUSTER_ECONFLICT, "cannot go from declined to allocated");
    refused(f, id, "checked_in", NULL, MUSTER_ECONFLICT, "cannot go from declined to checked_in");
    move(f, id, "registered", NULL); /* they changed their mind */
    move(f, id, "allocated", f->leg);
    move(f, id, "notified", NULL);
    move(f, id, "declined", NULL);
    status_of(f, id, status, leg);
    assert_string_equal(status, "declined");
}

static void test_no_show(void **state)
{
    struct fixture *f = *state;
    char id[33], status[32], leg[33];
    register_one(f, "M10000003", id);
    refused(f, id, "no_show", NULL, MUSTER_ECONFLICT, "cannot go from registered to no_show");
    move(f, id, "allocated", f->leg);
    refused(f, id, "no_show", NULL, MUSTER_ECONFLICT, "cannot go from allocated to no_show");
    move(f, id, "notified", NULL);
    move(f, id, "no_show", NULL);
    refused(f, id, "boarded", NULL, MUSTER_ECONFLICT, "cannot go from no_show to boarded");
    move(f, id, "checked_in", NULL);   /* came late, checked in at the desk */
    move(f, id, "allocated", f->leg2); /* moved to a later leg */
    status_of(f, id, status, leg);
    assert_string_equal(leg, f->leg2);
}

static void test_refused_entry(void **state)
{
    struct fixture *f = *state;
    char id[33];
    register_one(f, "M10000004", id);
    for (size_t i = 0; i < 7; i++) /* up to arrived */
        move(f, id, happy[i], i == 0 ? f->leg : NULL);
    move(f, id, "refused_entry", NULL);
    for (size_t i = 0; reg_statuses[i]; i++)
        refused(f, id, reg_statuses[i], NULL, MUSTER_ECONFLICT, "cannot go from refused_entry");
}

/* Every pair the table does not allow is refused from a person really in
 * the first status; the ones it allows are allowed. */
static void test_every_disallowed_move_is_refused(void **state)
{
    struct fixture *f = *state;
    /* how to reach each status from registered */
    static const char *const paths[][10] = {
        {"registered"},
        {"allocated"},
        {"allocated", "notified"},
        {"allocated", "notified", "confirmed"},
        {"allocated", "notified", "confirmed", "checked_in"},
        {"allocated", "notified", "confirmed", "checked_in", "boarded"},
        {"allocated", "notified", "confirmed", "checked_in", "boarded", "departed"},
        {"allocated", "notified", "confirmed", "checked_in", "boarded", "departed", "arrived"},
        {"allocated", "notified", "confirmed", "checked_in", "boarded", "departed", "arrived",
         "cleared"},
        {"declined"},
        {"allocated", "notified", "no_show"},
        {"allocated", "notified", "confirmed", "checked_in", "boarded", "departed", "arrived",
         "refused_entry"},
    };
    size_t nstatus = 0, refusals = 0;
    while (reg_statuses[nstatus])
        nstatus++;
    assert_int_equal(nstatus, sizeof paths / sizeof paths[0]);
    for (size_t s = 0; s < nstatus; s++) {
        char id[33], doc[16], status[32], leg[33];
        snprintf(doc, sizeof doc, "M2%07u", (unsigned)s % 1000000u);
        register_one(f, doc, id);
        for (size_t k = 0; k < 10 && paths[s][k] && strcmp(paths[s][k], "registered"); k++)
            move(f, id, paths[s][k], k == 0 ? f->leg : NULL);
        status_of(f, id, status, leg);
        assert_string_equal(status, reg_statuses[s]);
        for (size_t t = 0; t < nstatus; t++) {
            if (reg_transition_allowed(reg_statuses[s], reg_statuses[t]))
                continue;
            char want[96];
            snprintf(want, sizeof want, "%s cannot go from %s to %s", id, reg_statuses[s],
                     reg_statuses[t]);
            refused(f, id, reg_statuses[t], f->leg2, MUSTER_ECONFLICT, want);
            refusals++;
        }
    }
    assert_true(refusals > 100); /* 144 pairs, 31 allowed */
    /* a status that does not exist is never a move */
    char id[33];
    register_one(f, "M30000001", id);
    refused(f, id, "flying", NULL, MUSTER_ECONFLICT, "cannot go from registered to flying");
    refused(f, id, "", NULL, MUSTER_ECONFLICT, "cannot go from registered to ");
}

static void test_allocation_needs_a_leg(void **state)
{
    struct fixture *f = *state;
    char id[33];
    register_one(f, "M10000005", id);
    refused(f, id, "allocated", NULL, MUSTER_EINVAL, "an allocation needs a leg");
    refused(f, id, "allocated", "", MUSTER_EINVAL, "an allocation needs a leg");
    struct muster_err err;
    assert_int_equal(ev_begin(f->n, &err), 0);
    assert_int_equal(reg_set_status(f->n, "test", "per_nobody", "allocated", f->leg, NULL, &err),
                     MUSTER_ENOTFOUND);
    ev_rollback(f->n);
}

/* People with every optional field present or absent, for the import's
 * direct writers (core/registry.c): no document, a document without type or
 * issuing state, no location, native names in UTF-8, quotes, backslashes
 * and control characters in the address, empty given names, overrides. */
static struct reg_person varied(unsigned k, char doc[16])
{
    static const char *const natives[] = {NULL, "김민지", "佐藤 健二", "Ñoño \"q\"", ""};
    static const char *const addresses[] = {
        NULL, "Dizengoff St, Tel Aviv", "a \"quoted\" \\ path", "tab\there\nline", "", "\x01ctl"};
    static const char *const overrides[] = {NULL, "critical", "standard", ""};
    snprintf(doc, 16, "M%07u", k);
    struct reg_person p = person(k % 5 ? "PARK" : "O'BRIEN-LEE", k % 4 ? "JI WOO" : "", doc);
    p.nationality = k % 3 ? "KOR" : "JPN";
    p.native_name = natives[k % 5];
    p.address = addresses[k % 6];
    p.priority_override = overrides[k % 4];
    p.needs = (int)(k % 16);
    if (k % 7 == 0)
        p.doc_number = NULL;
    if (k % 2)
        p.doc_type = NULL;
    if (k % 3 == 1)
        p.doc_state = NULL;
    if (k % 5 == 2)
        p.doc_expiry = NULL;
    if (k % 6 == 3)
        p.lat = p.lon = NAN;
    else
        p.lat += (double)k / 7919.0;
    if (k % 8 == 5)
        p.sex = NULL;
    if (k % 9 == 4)
        p.birth_date = k % 2 ? "2024-01-01" : NULL;
    if (k % 4 == 1)
        p.phone = NULL;
    p.email = k % 3 ? NULL : "x@example.org";
    p.consent = k % 2;
    return p;
}

/* The import writes the sealed fields as text without a json_t: the same
 * bytes as the canonical text of reg_fields_json. */
static void test_fields_text_is_canonical(void **state)
{
    (void)state;
    for (unsigned k = 0; k < 720; k++) {
        char doc[16];
        struct reg_person p = varied(k, doc);
        int64_t today = 1764892800 + (int64_t)k * 86400;
        json_t *j = reg_fields_json(&p, today);
        size_t jlen = 0, tlen = 0;
        char *want = jcanon_dumps(j, &jlen), *got = reg_fields_text(&p, today, &tlen);
        assert_non_null(want);
        assert_non_null(got);
        assert_int_equal(tlen, jlen);
        assert_string_equal(got, want);
        free(want);
        free(got);
        json_decref(j);
    }
    struct reg_person bad = person("KIM", "MIN JI", "M1");
    bad.address = "\xff\xfe";
    size_t len;
    assert_null(reg_fields_text(&bad, 0, &len));
}

/* Households of varied people: the rows written at registration equal the
 * rows rebuilt from the log, and each body is canonical JSON. */
static void test_varied_rebuild_matches(void **state)
{
    struct fixture *f = *state;
    struct muster_err err;
    unsigned k = 0;
    assert_int_equal(ev_begin(f->n, &err), 0);
    for (int h = 0; h < 60; h++) {
        struct reg_person people[5];
        char docs[5][16];
        int size = 1 + h % 5;
        for (int i = 0; i < size; i++, k++) {
            people[i] = varied(k, docs[i]);
            if (people[i].priority_override && !*people[i].priority_override)
                people[i].priority_override = NULL; /* not a priority: refused */
        }
        char hh[33];
        int rc = reg_register_household(f->n, "test", NULL, f->op, people, size, hh, &err);
        if (rc)
            fail_msg("household %d: %s", h, err.msg);
    }
    assert_int_equal(ev_commit(f->n, &err), 0);
    uint8_t before[32], after[32];
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, before, &err), 0);
    assert_int_equal(ev_rebuild(f->n, &err), 0);
    assert_int_equal(f->n->st->ops->proj_digest(f->n->st, after, &err), 0);
    assert_memory_equal(before, after, 32);
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "persons"), (int64_t)k);
    assert_int_equal(f->n->st->ops->table_count(f->n->st, "households"), 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_happy_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declined, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_show, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_disallowed_move_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocation_needs_a_leg, setup, teardown),
        cmocka_unit_test(test_fields_text_is_canonical),
        cmocka_unit_test_setup_teardown(test_varied_rebuild_matches, setup, teardown),
    };
    return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}

/* project.c — see project.h. Event bodies are described in docs/events.md. */
#include "core/project.h"

#include "core/pii.h"
#include "util/timeutil.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int64_t integer(json_t *o, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(o, key));
}

/* Compact JSON text of o[key], malloc'd (NULL when absent). */
static char *dump(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

static int64_t parse_time(json_t *o, const char *key)
{
    int64_t t = 0;
    const char *s = str(o, key);
    if (s)
        time_parse_iso(s, &t);
    return t;
}

static int apply_operation(struct node *n, const struct store_event *ev, json_t *b,
                           struct muster_err *err)
{
    char *area = dump(b, "area"), *partners = dump(b, "partners");
    struct store_operation o = {
        .id = str(b, "id"),
        .nation = ev->nation,
        .name = str(b, "name"),
        .host_country = str(b, "host_country"),
        .status = str(b, "status"),
        .area = area,
        .partners = partners,
        .created_ms = ev->time_ms,
    };
    int rc = n->st->ops->operation_put(n->st, &o, err);
    free(area);
    free(partners);
    return rc;
}

static int apply_point(struct node *n, json_t *b, struct muster_err *err)
{
    struct store_point p = {
        .id = str(b, "id"),
        .operation = str(b, "operation"),
        .name = str(b, "name"),
        .kind = str(b, "kind"),
        .lat = num(b, "lat"),
        .lon = num(b, "lon"),
        .capacity = integer(b, "capacity"),
    };
    return n->st->ops->point_put(n->st, &p, err);
}

static int apply_leg(struct node *n, json_t *b, struct muster_err *err)
{
    char *carries = dump(b, "carries");
    struct store_leg l = {
        .id = str(b, "id"),
        .operation = str(b, "operation"),
        .operator_nation = str(b, "operator"),
        .kind = str(b, "kind"),
        .vehicle = str(b, "vehicle"),
        .point = str(b, "point"),
        .destination = str(b, "destination"),
        .status = str(b, "status"),
        .carries = carries,
        .destination_country = str(b, "destination_country"),
        .seats = integer(b, "seats"),
        .stretchers = integer(b, "stretchers"),
        .departs = parse_time(b, "departs"),
        .arrives = parse_time(b, "arrives"),
    };
    int rc = n->st->ops->leg_put(n->st, &l, err);
    free(carries);
    return rc;
}

/* The personal columns of sp from a person's opened fields. */
static void fill_person(struct store_person *sp, json_t *p)
{
    json_t *doc = json_object_get(p, "doc");
    sp->surname = str(p, "surname");
    sp->given_names = str(p, "given_names");
    sp->native_name = str(p, "native_name");
    sp->sex = str(p, "sex");
    sp->birth_date = str(p, "birth_date");
    sp->doc_type = str(doc, "type");
    sp->doc_number = str(doc, "number");
    sp->doc_state = str(doc, "issuing_state");
    sp->doc_expiry = str(doc, "expiry");
    sp->phone = str(p, "phone");
    sp->email = str(p, "email");
    sp->address = str(p, "address");
    sp->lat = num(p, "lat");
    sp->lon = num(p, "lon");
    sp->needs = integer(p, "needs");
    sp->priority = str(p, "priority");
    sp->priority_override = str(p, "priority_override");
}

/* One member of a household.registered body (or of a share.received one):
 * clear fields plus sealed PII. A member whose key is destroyed is left out
 * of the projections. nation: who registered them; status and leg from the
 * member when it has them. */
static int apply_member(struct node *n, const struct store_event *ev, const char *household,
                        const char *operation, const char *nation, json_t *m,
                        struct muster_err *err)
{
    const char *id = str(m, "id");
    struct muster_err perr;
    json_t *p = pii_open(n, id, str(m, "pii") ? str(m, "pii") : "", &perr);
    if (!p)
        return perr.code == MUSTER_ENOTFOUND ? 0 : err_set(err, perr.code, "%s", perr.msg);
    struct store_person sp = {
        .id = id,
        .household = household,
        .operation = operation,
        .nation = nation,
        .nationality = str(m, "nationality"),
        .consent = json_is_true(json_object_get(m, "consent")),
        .status = str(m, "status"),
        .leg = str(m, "leg"),
        .updated_ms = ev->time_ms,
    };
    fill_person(&sp, p);
    int rc = n->st->ops->person_put(n->st, &sp, err);
    json_decref(p);
    return rc;
}

static int apply_household(struct node *n, const struct store_event *ev, json_t *b,
                           struct muster_err *err)
{
    json_t *members = json_object_get(b, "members");
    struct store_household h = {
        .id = str(b, "id"),
        .operation = str(b, "operation"),
        .nation = ev->nation,
        .size = (int64_t)json_array_size(members),
    };
    int rc = n->st->ops->household_put(n->st, &h, err);
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        if (rc)
            break;
        rc = apply_member(n, ev, str(b, "id"), str(b, "operation"), ev->nation, m, err);
    }
    return rc;
}

/* person.updated: the sealed fields replace the personal columns; the
 * household, status and leg stay. */
static int apply_update(struct node *n, const struct store_event *ev, json_t *b,
                        struct muster_err *err)
{
    struct arena a = {0};
    struct store_person cur;
    int rc = n->st->ops->person_get(n->st, str(b, "id"), &cur, &a, err);
    if (rc) {
        arena_free(&a);
        return rc == MUSTER_ENOTFOUND ? 0 : rc; /* erased meanwhile */
    }
    struct muster_err perr;
    json_t *p = pii_open(n, cur.id, str(b, "pii") ? str(b, "pii") : "", &perr);
    if (!p) {
        arena_free(&a);
        return perr.code == MUSTER_ENOTFOUND ? 0 : err_set(err, perr.code, "%s", perr.msg);
    }
    struct store_person sp = cur;
    fill_person(&sp, p);
    sp.consent = json_is_true(json_object_get(b, "consent"));
    sp.updated_ms = ev->time_ms;
    rc = n->st->ops->person_put(n->st, &sp, err);
    json_decref(p);
    arena_free(&a);
    return rc;
}

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* A carriage's id: who it was is not kept, only that one person took one
 * place on one leg (hex BLAKE2b-128 of the person id and the leg). */
static void carriage_id(const char *person, const char *leg, char out[33])
{
    crypto_generichash_state h;
    uint8_t d[16];
    crypto_generichash_init(&h, (const uint8_t *)"muster-carriage", 15, sizeof d);
    crypto_generichash_update(&h, (const uint8_t *)person, strlen(person) + 1);
    crypto_generichash_update(&h, (const uint8_t *)leg, strlen(leg));
    crypto_generichash_final(&h, d, sizeof d);
    sodium_bin2hex(out, 33, d, sizeof d);
}

/* The facts of a new carriage: from the event (written since the ledger
 * keeps carriages), else from the person's and the leg's rows. */
static int carriage_facts(struct node *n, json_t *b, struct store_carriage *c, struct arena *a,
                          struct muster_err *err)
{
    json_t *f = json_object_get(b, "carriage");
    if (f) {
        c->operation = str(f, "operation");
        c->carrier = str(f, "carrier");
        c->nationality = str(f, "nationality");
        c->slot = str(f, "slot");
        return c->operation && c->carrier && c->nationality && c->slot ? 0 : MUSTER_ENOTFOUND;
    }
    struct store_person p;
    struct store_leg l;
    int rc = n->st->ops->person_get(n->st, str(b, "id"), &p, a, err);
    if (!rc)
        rc = n->st->ops->leg_get(n->st, c->leg, &l, a, err);
    if (rc)
        return rc;
    c->operation = l.operation;
    c->carrier = l.operator_nation;
    c->nationality = p.nationality;
    c->slot = (p.needs & 1) ? "stretcher" : "seat";
    return 0;
}

/* The ledger's side of a status change: boarding adds a carriage priced
 * by the carrier's fare policy in force then, departure dates it, leaving
 * the aircraft (boarded -> checked_in) removes it. */
static int apply_carriage(struct node *n, const struct store_event *ev, json_t *b,
                          struct muster_err *err)
{
    const char *to = str(b, "to"), *person = str(b, "id"), *leg = str(b, "leg");
    bool board = is(to, "boarded"), depart = is(to, "departed");
    bool offload = is(str(b, "from"), "boarded") && !depart;
    if (!(board || depart || offload) || !person || !leg || !n->st->ops->carriage_put)
        return 0;
    char id[33];
    carriage_id(person, leg, id);
    if (offload)
        return n->st->ops->carriage_delete(n->st, id, err);
    struct arena a = {0};
    struct store_carriage c;
    struct muster_err ignored;
    int rc = 0;
    if (depart && n->st->ops->carriage_get(n->st, id, &c, &a, &ignored) == 0) {
        c.departed_ms = ev->time_ms;
    } else {
        c = (struct store_carriage){.id = id, .leg = leg, .boarded_ms = ev->time_ms};
        c.departed_ms = depart ? ev->time_ms : 0;
        rc = carriage_facts(n, b, &c, &a, err);
        struct store_fare f;
        if (!rc &&
            n->st->ops->fare_at(n->st, c.operation, c.carrier, ev->time_ms, &f, &a, &ignored) == 0)
            c.fare = f.policy;
    }
    if (!rc)
        rc = n->st->ops->carriage_put(n->st, &c, err);
    arena_free(&a);
    return rc == MUSTER_ENOTFOUND ? 0 : rc; /* nothing known of it: not counted */
}

static int apply_status(struct node *n, const struct store_event *ev, json_t *b,
                        struct muster_err *err)
{
    int rc = n->st->ops->person_set_status(n->st, str(b, "id"), str(b, "to"), str(b, "leg"),
                                           ev->time_ms, err);
    if (rc && rc != MUSTER_ENOTFOUND) /* erased people have no row */
        return rc;
    return apply_carriage(n, ev, b, err);
}

/* fare.policy: one more version of a nation's policy, in force from its
 * "effective" time (the time it was set when absent). */
static int apply_fare(struct node *n, const struct store_event *ev, json_t *b,
                      struct muster_err *err)
{
    if (!n->st->ops->fare_put)
        return 0;
    char id[64];
    snprintf(id, sizeof id, "%s.%lld", ev->origin, (long long)ev->seq);
    int64_t effective = parse_time(b, "effective") * 1000;
    /* sorted keys: the same text live and replayed from the canonical body */
    json_t *pj = json_object_get(b, "policy");
    char *policy = pj ? json_dumps(pj, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    struct store_fare f = {
        .id = id,
        .operation = str(b, "operation"),
        .nation = str(b, "nation"),
        .effective_ms = effective > 0 ? effective : ev->time_ms,
        .set_ms = ev->time_ms,
        .policy = policy ? policy : "{}",
    };
    int rc = n->st->ops->fare_put(n->st, &f, err);
    free(policy);
    return rc;
}

static int apply_operation_update(struct node *n, json_t *b, struct muster_err *err)
{
    struct arena a = {0};
    struct store_operation o;
    int rc = n->st->ops->operation_get(n->st, str(b, "id"), &o, &a, err);
    char *partners = NULL;
    if (!rc) {
        if (json_object_get(b, "name"))
            o.name = str(b, "name");
        if (json_object_get(b, "status"))
            o.status = str(b, "status");
        if (json_object_get(b, "partners")) {
            partners = dump(b, "partners");
            o.partners = partners;
        }
        rc = n->st->ops->operation_put(n->st, &o, err);
    }
    free(partners);
    arena_free(&a);
    return rc;
}

static int apply_point_update(struct node *n, json_t *b, struct muster_err *err)
{
    struct arena a = {0};
    struct store_point p;
    int rc = n->st->ops->point_get(n->st, str(b, "id"), &p, &a, err);
    if (!rc) {
        if (json_object_get(b, "name"))
            p.name = str(b, "name");
        if (json_object_get(b, "kind"))
            p.kind = str(b, "kind");
        if (json_object_get(b, "lat")) {
            p.lat = num(b, "lat");
            p.lon = num(b, "lon");
        }
        if (json_object_get(b, "capacity"))
            p.capacity = integer(b, "capacity");
        rc = n->st->ops->point_put(n->st, &p, err);
    }
    arena_free(&a);
    return rc;
}

/* leg.updated: the fields that changed replace the row's. */
static int apply_leg_update(struct node *n, json_t *b, struct muster_err *err)
{
    struct arena a = {0};
    struct store_leg l;
    char *carries = NULL;
    int rc = n->st->ops->leg_get(n->st, str(b, "id"), &l, &a, err);
    if (!rc) {
        const char *text[] = {"vehicle", "point", "destination"};
        const char **field[] = {&l.vehicle, &l.point, &l.destination};
        for (int i = 0; i < 3; i++)
            if (json_object_get(b, text[i]))
                *field[i] = str(b, text[i]);
        if (json_object_get(b, "seats"))
            l.seats = integer(b, "seats");
        if (json_object_get(b, "stretchers"))
            l.stretchers = integer(b, "stretchers");
        if (json_object_get(b, "departs"))
            l.departs = parse_time(b, "departs");
        if (json_object_get(b, "arrives"))
            l.arrives = parse_time(b, "arrives");
        if (json_object_get(b, "carries")) {
            carries = dump(b, "carries");
            l.carries = carries;
        }
        rc = n->st->ops->leg_put(n->st, &l, err);
    }
    free(carries);
    arena_free(&a);
    return rc;
}

/* person.moved: a person joins another household (or a new one of their
 * own); both households' sizes follow. */
static int apply_person_moved(struct node *n, json_t *b, struct muster_err *err)
{
    struct arena a = {0};
    struct store_person p;
    int rc = n->st->ops->person_get(n->st, str(b, "id"), &p, &a, err);
    if (rc) {
        arena_free(&a);
        return rc == MUSTER_ENOTFOUND ? 0 : rc;
    }
    const char *from = p.household, *to = str(b, "to");
    p.household = to;
    rc = n->st->ops->person_put(n->st, &p, err);
    const char *ids[2] = {from, to};
    for (int i = 0; i < 2 && !rc; i++) {
        struct store_household h;
        if (n->st->ops->household_get(n->st, ids[i], &h, &a, err) == 0) {
            h.size += i == 0 ? -1 : 1;
            rc = n->st->ops->household_put(n->st, &h, err);
        } else if (i == 1) {
            struct store_household nh = {to, p.operation, p.nation, 1};
            rc = n->st->ops->household_put(n->st, &nh, err);
        }
    }
    arena_free(&a);
    return rc;
}

/* A decision's personal fields are sealed with the decision's own key; a
 * destroyed key leaves the decision without them. */
static int apply_clearance(struct node *n, const struct store_event *ev, json_t *b,
                           struct muster_err *err)
{
    if (!n->st->ops->clearance_put)
        return 0;
    struct muster_err perr;
    json_t *p = pii_open(n, str(b, "id"), str(b, "pii") ? str(b, "pii") : "", &perr);
    if (!p && perr.code != MUSTER_ENOTFOUND)
        return err_set(err, perr.code, "%s", perr.msg);
    char *reasons = p ? dump(p, "reasons") : NULL, *hits = p ? dump(p, "hits") : NULL;
    struct store_clearance c = {
        .id = str(b, "id"),
        .leg = str(b, "leg"),
        .person = str(b, "person"),
        .nation = str(b, "nation"),
        .decision = str(b, "decision"),
        .basis = str(b, "basis"),
        .surname = str(p, "surname"),
        .given_names = str(p, "given_names"),
        .birth_date = str(p, "birth_date"),
        .nationality = str(p, "nationality"),
        .doc_number = str(p, "doc_number"),
        .reasons = reasons,
        .hits = hits,
        .decided_ms = ev->time_ms,
    };
    int rc = n->st->ops->clearance_put(n->st, &c, err);
    free(reasons);
    free(hits);
    json_decref(p);
    return rc;
}

static int apply_override(struct node *n, json_t *b, struct muster_err *err)
{
    if (!n->st->ops->clearance_get)
        return 0;
    struct arena a = {0};
    struct store_clearance c;
    int rc = n->st->ops->clearance_get(n->st, str(b, "id"), &c, &a, err);
    if (rc) {
        arena_free(&a);
        return rc == MUSTER_ENOTFOUND ? 0 : rc;
    }
    struct muster_err perr;
    json_t *p = pii_open(n, str(b, "id"), str(b, "pii") ? str(b, "pii") : "", &perr);
    c.original = c.decision;
    c.decision = str(b, "to");
    c.override_by = str(b, "by");
    c.override_reason = str(p, "reason");
    rc = n->st->ops->clearance_put(n->st, &c, err);
    json_decref(p);
    arena_free(&a);
    return rc;
}

/* An operation's retention row: the periods its nation set, and when it
 * closed (the first close counts; reopening clears it). */
static int apply_retention(struct node *n, const struct store_event *ev, json_t *b, bool periods,
                           struct muster_err *err)
{
    static const char *const keys[] = {"registry_days", "partner_days", "clearance_days"};
    if (!n->st->ops->retention_put || (!periods && !json_object_get(b, "status")))
        return 0;
    struct arena a = {0};
    struct store_retention r = {
        .id = str(b, "id"), .registry_days = -1, .partner_days = -1, .clearance_days = -1};
    struct muster_err ignored;
    n->st->ops->retention_get(n->st, str(b, "id"), &r, &a, &ignored);
    r.updated_ms = ev->time_ms;
    if (periods) {
        r.nation = ev->nation;
        int64_t *days[] = {&r.registry_days, &r.partner_days, &r.clearance_days};
        for (int c = 0; c < 3; c++) {
            json_t *v = json_object_get(b, keys[c]);
            *days[c] = json_is_integer(v) ? json_integer_value(v) : -1;
        }
    } else if (strcmp(str(b, "status") ? str(b, "status") : "", "closed") == 0) {
        if (!r.closed_ms)
            r.closed_ms = ev->time_ms;
    } else {
        r.closed_ms = 0;
    }
    int rc = n->st->ops->retention_put(n->st, &r, err);
    arena_free(&a);
    return rc;
}

/* What the retention job shredded leaves the projections too (a rebuild
 * replays it at the same point of the log, so the same rows go). */
static int apply_retention_run(struct node *n, const struct store_event *ev, json_t *b,
                               struct muster_err *err)
{
    json_t *purged = json_object_get(b, "purged"), *e;
    size_t i;
    int rc = 0;
    json_array_foreach(purged, i, e)
    {
        int64_t gone = 0;
        if (!rc && str(e, "operation") && str(e, "class"))
            rc = n->st->ops->retention_purge(n->st, str(e, "operation"), str(e, "class"),
                                             ev->nation, &gone, err);
    }
    return rc;
}

/* A peer's erasure notice applied here: the rows go, and the notice is
 * remembered so that applying it again changes nothing. */
static int apply_erasure_applied(struct node *n, json_t *b, struct muster_err *err)
{
    json_t *persons = json_object_get(b, "persons"), *p;
    size_t i;
    int rc = 0;
    json_array_foreach(persons, i, p)
    {
        if (!rc && json_is_string(p))
            rc = n->st->ops->person_delete(n->st, json_string_value(p), err);
    }
    char key[96];
    snprintf(key, sizeof key, "erasure.%s.%lld", str(b, "origin") ? str(b, "origin") : "",
             (long long)json_integer_value(json_object_get(b, "seq")));
    if (!rc)
        rc = n->st->ops->meta_put(n->st, key, str(b, "hash") ? str(b, "hash") : "", err);
    return rc;
}

/* A partner node's share applied here (core/share.h): its operation (not
 * when it is this nation's own), the partner retention that the sender set
 * (so that the retention job shreds the copy on time), the points, legs,
 * households and people sent, minus the people withdrawn. */
static int apply_share(struct node *n, const struct store_event *ev, json_t *b,
                       struct muster_err *err)
{
    json_t *op = json_object_get(b, "operation"), *ret = json_object_get(b, "retention"), *v;
    const char *opid = str(op, "id");
    struct arena a = {0};
    struct store_operation cur;
    struct muster_err ignored;
    bool own = n->st->ops->operation_get(n->st, opid, &cur, &a, &ignored) == 0 &&
               strcmp(cur.nation, n->nation) == 0;
    arena_free(&a);
    int rc = 0;
    if (!own) {
        char *area = dump(op, "area"), *partners = dump(op, "partners");
        struct store_operation o = {
            .id = opid,
            .nation = str(op, "nation"),
            .name = str(op, "name"),
            .host_country = str(op, "host_country"),
            .status = str(op, "status"),
            .area = area,
            .partners = partners,
            .created_ms = ev->time_ms,
        };
        rc = n->st->ops->operation_put(n->st, &o, err);
        free(area);
        free(partners);
        json_t *days = json_object_get(ret, "partner_days");
        struct store_retention r = {
            .id = opid,
            .nation = str(op, "nation"),
            .registry_days = -1,
            .partner_days = json_is_integer(days) ? json_integer_value(days) : -1,
            .clearance_days = -1,
            .closed_ms = integer(ret, "closed_ms"),
            .updated_ms = ev->time_ms,
        };
        if (!rc && n->st->ops->retention_put)
            rc = n->st->ops->retention_put(n->st, &r, err);
    }
    size_t i;
    json_array_foreach(json_object_get(b, "points"), i, v)
    {
        if (!rc)
            rc = apply_point(n, v, err);
    }
    json_array_foreach(json_object_get(b, "legs"), i, v)
    {
        if (!rc)
            rc = apply_leg(n, v, err);
    }
    json_array_foreach(json_object_get(b, "households"), i, v)
    {
        struct store_household h = {str(v, "id"), opid, str(v, "nation"), integer(v, "size")};
        if (!rc)
            rc = n->st->ops->household_put(n->st, &h, err);
    }
    json_array_foreach(json_object_get(b, "persons"), i, v)
    {
        if (!rc)
            rc = apply_member(n, ev, str(v, "household"), opid, str(v, "nation"), v, err);
    }
    json_array_foreach(json_object_get(b, "withdrawn"), i, v)
    {
        if (!rc && json_is_string(v))
            rc = n->st->ops->person_delete(n->st, json_string_value(v), err);
    }
    char key[160], seq[24];
    snprintf(key, sizeof key, "share.%s.%lld", str(b, "from") ? str(b, "from") : "",
             (long long)integer(b, "seq"));
    if (!rc)
        rc = n->st->ops->meta_put(n->st, key, str(b, "hash") ? str(b, "hash") : "", err);
    snprintf(key, sizeof key, "share.%s.%s", str(b, "from") ? str(b, "from") : "",
             opid ? opid : "");
    snprintf(seq, sizeof seq, "%lld", (long long)integer(b, "seq"));
    if (!rc)
        rc = n->st->ops->meta_put(n->st, key, seq, err);
    return rc;
}

int proj_apply(struct node *n, const struct store_event *ev, json_t *body, struct muster_err *err)
{
    const char *t = ev->type;
    if (strcmp(t, "operation.created") == 0)
        return apply_operation(n, ev, body, err);
    if (strcmp(t, "point.created") == 0)
        return apply_point(n, body, err);
    if (strcmp(t, "leg.created") == 0)
        return apply_leg(n, body, err);
    if (strcmp(t, "household.registered") == 0)
        return apply_household(n, ev, body, err);
    if (strcmp(t, "person.status") == 0)
        return apply_status(n, ev, body, err);
    if (strcmp(t, "operation.updated") == 0) {
        int rc = apply_operation_update(n, body, err);
        return rc ? rc : apply_retention(n, ev, body, false, err);
    }
    if (strcmp(t, "operation.retention") == 0)
        return apply_retention(n, ev, body, true, err);
    if (strcmp(t, "retention.run") == 0)
        return apply_retention_run(n, ev, body, err);
    if (strcmp(t, "erasure.applied") == 0)
        return apply_erasure_applied(n, body, err);
    if (strcmp(t, "share.received") == 0)
        return apply_share(n, ev, body, err);
    if (strcmp(t, "point.updated") == 0)
        return apply_point_update(n, body, err);
    if (strcmp(t, "person.moved") == 0)
        return apply_person_moved(n, body, err);
    if (strcmp(t, "leg.updated") == 0)
        return apply_leg_update(n, body, err);
    if (strcmp(t, "household.deleted") == 0)
        return n->st->ops->household_delete(n->st, str(body, "id"), err);
    if (strcmp(t, "point.deleted") == 0)
        return n->st->ops->point_delete(n->st, str(body, "id"), err);
    if (strcmp(t, "leg.cancelled") == 0) {
        struct arena a = {0};
        struct store_leg l;
        int rc = n->st->ops->leg_get(n->st, str(body, "id"), &l, &a, err);
        if (!rc) {
            l.status = "cancelled";
            rc = n->st->ops->leg_put(n->st, &l, err);
        }
        arena_free(&a);
        return rc;
    }
    if (strcmp(t, "person.updated") == 0)
        return apply_update(n, ev, body, err);
    if (strcmp(t, "fare.policy") == 0)
        return apply_fare(n, ev, body, err);
    if (strcmp(t, "person.erased") == 0)
        return n->st->ops->person_delete ? n->st->ops->person_delete(n->st, str(body, "id"), err)
                                         : 0;
    if (strcmp(t, "clearance.decided") == 0)
        return apply_clearance(n, ev, body, err);
    if (strcmp(t, "clearance.overridden") == 0)
        return apply_override(n, body, err);
    return 0;
}

/* api_ledger.c — the reciprocity ledger and the arrivals forecast.
 *
 * Ledger: per operation (and overall, over every operation the caller's
 * nation takes part in), for each carrier nation and each nationality it
 * carried: the people planned (allocated .. confirmed) and checked in, from
 * the current registry, and the carriages, from the ledger's projection of
 * the log (core/project.c): boarded, and departed (carried). A carriage
 * holds no personal data, so erasing a person or purging an operation's
 * registry leaves the accounts whole. Each carriage is priced by the
 * carrier's fare policy in force when the person boarded (free, a flat fee
 * per person, or a promissory note per person, as the US DS-5528); a new
 * policy applies from its effective time on and never re-prices the past.
 * Policies are events (fare.policy); a nation sets only its own. A nation
 * sees the rows where it is the carrier or the nationality carried
 * (access_ledger_row).
 *
 * Arrivals forecast: for the caller's country, every leg arriving there
 * with its departure, and its people by nationality, priority and needs,
 * counted over the passengers the caller may see. */
#include "net/api.h"

#include "core/events.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *bucket_of(const char *status)
{
    if (!strcmp(status, "departed") || !strcmp(status, "arrived") || !strcmp(status, "cleared") ||
        !strcmp(status, "refused_entry"))
        return "carried";
    if (!strcmp(status, "checked_in") || !strcmp(status, "boarded"))
        return "at_point";
    if (!strcmp(status, "allocated") || !strcmp(status, "notified") || !strcmp(status, "confirmed"))
        return "planned";
    return NULL;
}

static void add(json_t *row, const char *key, json_int_t n)
{
    json_object_set_new(row, key, json_integer(json_integer_value(json_object_get(row, key)) + n));
}

/* The row carrier > nationality of rows, made when missing. */
static json_t *row_of(json_t *rows, const char *carrier, const char *nationality)
{
    char key[16];
    snprintf(key, sizeof key, "%s>%s", carrier, nationality);
    json_t *row = json_object_get(rows, key);
    if (!row) {
        row =
            json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:b, s:[]}", "carrier", carrier,
                      "nationality", nationality, "planned", 0, "at_point", 0, "carried", 0,
                      "stretchers", 0, "reciprocal", strcmp(carrier, nationality) != 0, "charges");
        json_object_set_new(rows, key, row);
    }
    return row;
}

/* People planned and checked in on the operation's legs (the current plan,
 * not the accounts: boarding makes a carriage). */
static int add_plan(struct request *r, const char *op, json_t *rows, struct muster_err *err)
{
    struct store_leg *legs;
    size_t nlegs;
    int rc = r->st->ops->leg_list(r->st, op, &legs, &nlegs, &r->arena, err);
    for (size_t i = 0; i < nlegs && !rc; i++) {
        struct store_person_query q = {.leg = legs[i].id, .limit = 1000000};
        struct store_person *ps;
        size_t n;
        rc = r->st->ops->person_find(r->st, &q, &ps, &n, &r->arena, err);
        for (size_t k = 0; k < n && !rc; k++) {
            const char *b = bucket_of(ps[k].status);
            if (!b || !strcmp(ps[k].status, "boarded") || !strcmp(b, "carried") ||
                !access_ledger_row(&r->who, legs[i].operator_nation, ps[k].nationality))
                continue;
            add(row_of(rows, legs[i].operator_nation, ps[k].nationality), b, 1);
        }
    }
    return rc;
}

/* Adds people x the policy's amount to the row's charge in that currency. */
static void charge(json_t *row, json_t *policy, json_int_t people)
{
    const char *kind = json_string_value(json_object_get(policy, "kind"));
    const char *cur = json_string_value(json_object_get(policy, "currency"));
    if (!kind || !strcmp(kind, "free") || !cur || people == 0)
        return;
    double amount = json_number_value(json_object_get(policy, "amount")) * (double)people;
    json_t *charges = json_object_get(row, "charges"), *c;
    size_t i;
    json_array_foreach(charges, i, c)
    {
        if (!strcmp(json_string_value(json_object_get(c, "as")), kind) &&
            !strcmp(json_string_value(json_object_get(c, "currency")), cur)) {
            json_object_set_new(
                c, "amount", json_real(json_number_value(json_object_get(c, "amount")) + amount));
            add(c, "people", people);
            return;
        }
    }
    json_array_append_new(charges, json_pack("{s:s, s:s, s:f, s:I}", "as", kind, "currency", cur,
                                             "amount", amount, "people", people));
}

/* Adds a carriage sum to the row's entry for its leg (the sortie). */
static void add_leg(json_t *row, const struct store_carriage_sum *cs)
{
    json_t *legs = json_object_get(row, "legs"), *l, *found = NULL;
    if (!legs) {
        legs = json_array();
        json_object_set_new(row, "legs", legs);
    }
    size_t i;
    json_array_foreach(legs, i, l)
    {
        if (!strcmp(json_string_value(json_object_get(l, "leg")), cs->leg))
            found = l;
    }
    if (!found) {
        found = json_pack("{s:s, s:i, s:i, s:i}", "leg", cs->leg, "at_point", 0, "carried", 0,
                          "stretchers", 0);
        json_array_append_new(legs, found);
    }
    add(found, "at_point", cs->boarded);
    add(found, "carried", cs->departed);
    add(found, "stretchers", cs->stretchers);
}

/* The carriages of one operation, priced; per_leg: each row also lists
 * its legs (sorties). */
static int add_carriages(struct request *r, const char *op, json_t *rows, bool per_leg,
                         struct muster_err *err)
{
    struct store_carriage_sum *cs;
    size_t n;
    int rc = r->st->ops->carriage_sums(r->st, op, &cs, &n, &r->arena, err);
    for (size_t i = 0; i < n && !rc; i++) {
        if (!access_ledger_row(&r->who, cs[i].carrier, cs[i].nationality))
            continue;
        json_t *row = row_of(rows, cs[i].carrier, cs[i].nationality);
        add(row, "at_point", cs[i].boarded);
        add(row, "carried", cs[i].departed);
        add(row, "stretchers", cs[i].stretchers);
        if (per_leg)
            add_leg(row, &cs[i]);
        json_t *policy = cs[i].fare ? json_loads(cs[i].fare, 0, NULL) : NULL;
        charge(row, policy, cs[i].boarded + cs[i].departed);
        json_decref(policy);
    }
    return rc;
}

/* The carrier's policy in force now (free when it set none). */
static json_t *policy_now(struct request *r, const char *op, const char *nation)
{
    struct store_fare f;
    struct muster_err err;
    json_t *p = NULL;
    if (r->st->ops->fare_at(r->st, op, nation, time_now_ms(), &f, &r->arena, &err) == 0)
        p = json_loads(f.policy, 0, NULL);
    return p ? p : json_pack("{s:s}", "kind", "free");
}

/* rows as an array; charge is the one charge when there is exactly one. */
static json_t *ledger_rows(struct request *r, const char *op, json_t *rows)
{
    json_t *out = json_array(), *row;
    const char *k;
    json_object_foreach(rows, k, row)
    {
        json_t *charges = json_object_get(row, "charges");
        json_object_set(row, "charge",
                        json_array_size(charges) == 1 ? json_array_get(charges, 0) : json_null());
        if (op)
            json_object_set_new(
                row, "policy",
                policy_now(r, op, json_string_value(json_object_get(row, "carrier"))));
        json_array_append(out, row);
    }
    return out;
}

void api_ledger(struct request *r)
{
    struct store_operation o;
    if (!api_may(r, ACT_READ_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    struct muster_err err;
    json_t *rows = json_object();
    if (add_plan(r, o.id, rows, &err) || add_carriages(r, o.id, rows, true, &err)) {
        json_decref(rows);
        http_fail(r, &err);
        return;
    }
    json_t *out = ledger_rows(r, o.id, rows);
    json_decref(rows);
    http_json(r, 200, json_pack("{s:s, s:o}", "operation", o.id, "ledger", out));
}

void api_ledger_all(struct request *r)
{
    if (!api_may(r, ACT_READ_OPERATIONS))
        return;
    struct store_operation *ops;
    size_t nops;
    struct muster_err err;
    if (r->st->ops->operation_list(r->st, &ops, &nops, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    json_t *rows = json_object(), *seen = json_array();
    int rc = 0;
    for (size_t i = 0; i < nops && !rc; i++) {
        if (strcmp(ops[i].nation, r->who.nation) != 0 &&
            !(ops[i].partners && strstr(ops[i].partners, r->who.nation)))
            continue; /* as api_load_operation */
        json_array_append_new(seen, json_string(ops[i].id));
        rc = add_plan(r, ops[i].id, rows, &err);
        if (!rc)
            rc = add_carriages(r, ops[i].id, rows, false, &err);
    }
    if (rc) {
        json_decref(rows);
        json_decref(seen);
        http_fail(r, &err);
        return;
    }
    json_t *out = ledger_rows(r, NULL, rows);
    json_decref(rows);
    http_json(r, 200, json_pack("{s:o, s:o}", "operations", seen, "ledger", out));
}

struct fare_job {
    json_t *body;
    const char *op, *nation, *actor;
    const char *effective; /* ISO time it takes effect; NULL: when written */
};

static int write_fare(struct node *n, void *arg, struct muster_err *err)
{
    struct fare_job *j = arg;
    json_t *ev = json_pack("{s:s, s:s, s:O, s:s?}", "operation", j->op, "nation", j->nation,
                           "policy", j->body, "effective", j->effective);
    int rc = ev_append(n, j->actor, j->nation, "fare.policy", ev, err);
    json_decref(ev);
    return rc;
}

static void after_fare(struct request *r, int rc, const struct muster_err *err)
{
    struct fare_job *j = r->write_arg;
    if (rc) {
        json_decref(j->body);
        http_fail(r, err);
        return;
    }
    json_t *out = json_pack("{s:s, s:s, s:O, s:s?}", "operation", j->op, "nation", j->nation,
                            "policy", j->body, "effective", j->effective);
    json_decref(j->body);
    http_json(r, 201, out);
}

void api_fare_policy(struct request *r)
{
    static const char *const fields[] = {"kind", "amount",         "currency",
                                         "note", "effective_from", NULL};
    struct store_operation o;
    if (!api_may(r, ACT_WRITE_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    const char *kind = json_string_value(json_object_get(b, "kind"));
    json_t *amount = json_object_get(b, "amount");
    const char *cur = json_string_value(json_object_get(b, "currency"));
    bool ok = kind && (!strcmp(kind, "free") ||
                       ((!strcmp(kind, "flat_fee") || !strcmp(kind, "promissory_note")) &&
                        json_is_number(amount) && json_number_value(amount) >= 0 && cur &&
                        strlen(cur) == 3));
    if (!ok) {
        json_decref(b);
        http_error(r, 400, "invalid",
                   "kind is free, flat_fee or promissory_note; a fee or note needs amount >= 0 "
                   "and a 3-letter currency");
        return;
    }
    /* a policy applies from now or later: what was carried before keeps
     * the price it had */
    json_t *from = json_object_get(b, "effective_from");
    int64_t at = 0;
    if (from && (!json_is_string(from) || time_parse_iso(json_string_value(from), &at) ||
                 at < time_now())) {
        json_decref(b);
        http_error(r, 400, "invalid",
                   "effective_from must be an ISO-8601 time not in the past: a policy cannot "
                   "re-price carriages already made");
        return;
    }
    struct fare_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct fare_job){b, o.id, r->who.nation, arena_strdup(&r->arena, r->who.user),
                           from ? arena_strdup(&r->arena, json_string_value(from)) : NULL};
    json_object_del(b, "effective_from");
    http_write(r, write_fare, j, after_fare);
}

/* The people on leg l the caller may see and who have not landed yet,
 * counted into the leg's JSON and into bucket (may be NULL). */
static int64_t count_aboard(struct request *r, const struct store_leg *l, json_t *leg,
                            json_t *bucket)
{
    static const char *const need_names[] = {"stretcher", "assisted", "pregnant",
                                             "unaccompanied_minor"};
    struct store_person_query q = {.leg = l->id, .limit = 1000000};
    struct store_person *ps;
    size_t n;
    struct muster_err err;
    if (r->st->ops->person_find(r->st, &q, &ps, &n, &r->arena, &err))
        n = 0;
    json_t *nat = json_object(), *pri = json_object(), *needs = json_object();
    for (int i = 0; i < 4; i++)
        json_object_set_new(needs, need_names[i], json_integer(0));
    int64_t people = 0;
    for (size_t k = 0; k < n; k++) {
        if (access_person(&r->who, &ps[k], l) == VIEW_NONE || !bucket_of(ps[k].status) ||
            !strcmp(ps[k].status, "arrived") || !strcmp(ps[k].status, "cleared") ||
            !strcmp(ps[k].status, "refused_entry"))
            continue;
        people++;
        api_count(nat, ps[k].nationality);
        api_count(pri, ps[k].priority);
        for (int i = 0; i < 4; i++)
            if (ps[k].needs & (1 << i))
                api_count(needs, need_names[i]);
    }
    json_object_set_new(leg, "people", json_integer(people));
    json_object_set_new(leg, "by_nationality", nat);
    json_object_set_new(leg, "by_priority", pri);
    json_object_set_new(leg, "needs", needs);
    if (bucket) {
        add(bucket, "people", people);
        const char *groups[] = {"by_nationality", "by_priority", "needs"};
        for (int g = 0; g < 3; g++) {
            json_t *into = json_object_get(bucket, groups[g]), *v;
            const char *key;
            json_object_foreach(json_object_get(leg, groups[g]), key, v)
            {
                add(into, key, json_integer_value(v));
            }
        }
        json_array_append_new(json_object_get(bucket, "legs"), json_string(l->id));
    }
    return people;
}

/* The bucket of the hour leg l lands in, at its destination, made when
 * missing ("unknown" when the leg has no arrival time). */
static json_t *bucket_for(json_t *dests, const struct store_leg *l)
{
    json_t *d = json_object_get(dests, l->destination);
    if (!d) {
        d = json_pack("{s:s, s:s?, s:{}}", "destination", l->destination, "country",
                      l->destination_country, "hours");
        json_object_set_new(dests, l->destination, d);
    }
    char hour[21] = "unknown";
    if (l->arrives)
        time_format_iso(l->arrives - l->arrives % 3600, hour);
    json_t *hours = json_object_get(d, "hours"), *b = json_object_get(hours, hour);
    if (!b) {
        b = json_pack("{s:s?, s:i, s:{}, s:{}, s:{s:i, s:i, s:i, s:i}, s:[]}", "hour",
                      l->arrives ? hour : NULL, "people", 0, "by_nationality", "by_priority",
                      "needs", "stretcher", 0, "assisted", 0, "pregnant", 0, "unaccompanied_minor",
                      0, "legs");
        json_object_set_new(hours, hour, b);
    }
    return b;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The destinations as an array, each with its buckets in arrival order
 * (ISO hours sort as text; "unknown" sorts after them). */
static json_t *destinations_array(struct request *r, json_t *dests)
{
    json_t *out = json_array(), *d, *b;
    const char *k, *h;
    json_object_foreach(dests, k, d)
    {
        json_t *hours = json_object_get(d, "hours"), *list = json_array();
        size_t n = 0;
        const char **keys = arena_alloc(&r->arena, (json_object_size(hours) + 1) * sizeof *keys);
        json_object_foreach(hours, h, b)
        {
            keys[n++] = h;
        }
        qsort(keys, n, sizeof *keys, by_text);
        for (size_t i = 0; i < n; i++)
            json_array_append(list, json_object_get(hours, keys[i]));
        json_array_append_new(out, json_pack("{s:O, s:O, s:o}", "destination",
                                             json_object_get(d, "destination"), "country",
                                             json_object_get(d, "country"), "buckets", list));
    }
    return out;
}

void api_arrivals(struct request *r)
{
    if (!api_may(r, ACT_READ_OPERATIONS))
        return;
    const char *want = http_query(r, "destination");
    struct store_operation *ops;
    size_t nops;
    struct muster_err err;
    if (r->st->ops->operation_list(r->st, &ops, &nops, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    json_t *out = json_array(), *dests = json_object();
    for (size_t i = 0; i < nops; i++) {
        struct store_leg *legs;
        size_t nlegs;
        if (r->st->ops->leg_list(r->st, ops[i].id, &legs, &nlegs, &r->arena, &err))
            continue;
        for (size_t l = 0; l < nlegs; l++) {
            if (!legs[l].destination_country ||
                strcmp(legs[l].destination_country, r->who.nation) != 0 ||
                !strcmp(legs[l].status, "cancelled"))
                continue;
            if (want && *want && !strstr(legs[l].destination, want))
                continue;
            json_t *leg = api_leg_json(&legs[l]);
            count_aboard(r, &legs[l], leg, bucket_for(dests, &legs[l]));
            json_array_append_new(out, leg);
        }
    }
    json_t *d = destinations_array(r, dests);
    json_decref(dests);
    http_json(
        r, 200,
        json_pack("{s:s, s:o, s:o}", "country", r->who.nation, "arrivals", out, "destinations", d));
}

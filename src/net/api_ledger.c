/* api_ledger.c — the reciprocity ledger and the arrivals forecast.
 *
 * Ledger: per operation, for each carrier nation and each nationality it
 * carried, the people planned (allocated .. confirmed), checked in or
 * boarded, and carried (departed, arrived, cleared), with what the
 * carrier's fare policy charges for them: free, a flat fee per person, or
 * a promissory note per person (as the US DS-5528). Policies are events
 * (fare.policy); a nation sets only its own.
 *
 * Arrivals forecast: for the caller's country, every leg arriving there
 * with its departure, and its people by nationality, priority and needs,
 * counted over the passengers the caller may see. */
#include "net/api.h"

#include "core/events.h"
#include "util/timeutil.h"

#include <stdio.h>
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

static json_t *policy_of(struct request *r, const char *op, const char *nation)
{
    char key[96], value[512];
    struct muster_err err;
    snprintf(key, sizeof key, "fare.%s.%s", op, nation);
    if (r->st->ops->meta_get(r->st, key, value, sizeof value, &err) == 0) {
        json_t *p = json_loads(value, 0, NULL);
        if (p)
            return p;
    }
    return json_pack("{s:s}", "kind", "free");
}

void api_ledger(struct request *r)
{
    struct store_operation o;
    if (!api_may(r, ACT_READ_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    struct store_leg *legs;
    size_t nlegs;
    struct muster_err err;
    if (r->st->ops->leg_list(r->st, o.id, &legs, &nlegs, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    /* carrier -> nationality -> bucket -> count; people counted regardless
     * of who asks: these are seat totals, not personal data */
    json_t *rows = json_object();
    for (size_t i = 0; i < nlegs; i++) {
        struct store_person_query q = {.leg = legs[i].id, .limit = 1000000};
        struct store_person *ps;
        size_t n;
        if (r->st->ops->person_find(r->st, &q, &ps, &n, &r->arena, &err))
            continue;
        for (size_t k = 0; k < n; k++) {
            const char *b = bucket_of(ps[k].status);
            if (!b)
                continue;
            char key[16];
            snprintf(key, sizeof key, "%s>%s", legs[i].operator_nation, ps[k].nationality);
            json_t *row = json_object_get(rows, key);
            if (!row) {
                row = json_pack("{s:s, s:s, s:i, s:i, s:i}", "carrier", legs[i].operator_nation,
                                "nationality", ps[k].nationality, "planned", 0, "at_point", 0,
                                "carried", 0);
                json_object_set_new(rows, key, row);
            }
            json_object_set_new(row, b,
                                json_integer(json_integer_value(json_object_get(row, b)) + 1));
        }
    }
    json_t *out = json_array();
    const char *k;
    json_t *row;
    json_object_foreach(rows, k, row)
    {
        const char *carrier = json_string_value(json_object_get(row, "carrier"));
        const char *nat = json_string_value(json_object_get(row, "nationality"));
        json_t *pol = policy_of(r, o.id, carrier);
        const char *kind = json_string_value(json_object_get(pol, "kind"));
        json_int_t people = json_integer_value(json_object_get(row, "carried")) +
                            json_integer_value(json_object_get(row, "at_point"));
        double amount = json_number_value(json_object_get(pol, "amount"));
        bool own = strcmp(carrier, nat) == 0;
        json_object_set_new(row, "reciprocal", json_boolean(!own));
        json_object_set(row, "policy", pol);
        json_object_set_new(
            row, "charge",
            kind && strcmp(kind, "free") != 0
                ? json_pack("{s:f, s:s?, s:s}", "amount", amount * (double)people, "currency",
                            json_string_value(json_object_get(pol, "currency")), "as", kind)
                : json_null());
        json_decref(pol);
        json_array_append(out, row);
    }
    json_decref(rows);
    http_json(r, 200, json_pack("{s:s, s:o}", "operation", o.id, "ledger", out));
}

struct fare_job {
    json_t *body;
    const char *op, *nation, *actor;
};

static int write_fare(struct node *n, void *arg, struct muster_err *err)
{
    struct fare_job *j = arg;
    json_t *ev =
        json_pack("{s:s, s:s, s:O}", "operation", j->op, "nation", j->nation, "policy", j->body);
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
    json_t *out =
        json_pack("{s:s, s:s, s:O}", "operation", j->op, "nation", j->nation, "policy", j->body);
    json_decref(j->body);
    http_json(r, 201, out);
}

void api_fare_policy(struct request *r)
{
    static const char *const fields[] = {"kind", "amount", "currency", "note", NULL};
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
    struct fare_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct fare_job){b, o.id, r->who.nation, arena_strdup(&r->arena, r->who.user)};
    http_write(r, write_fare, j, after_fare);
}

void api_arrivals(struct request *r)
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
    json_t *out = json_array();
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
            struct store_person_query q = {.leg = legs[l].id, .limit = 1000000};
            struct store_person *ps;
            size_t n;
            if (r->st->ops->person_find(r->st, &q, &ps, &n, &r->arena, &err))
                continue;
            json_t *nat = json_object(), *pri = json_object(), *needs = json_object();
            int64_t people = 0;
            for (size_t k = 0; k < n; k++) {
                if (access_person(&r->who, &ps[k], &legs[l]) == VIEW_NONE ||
                    !bucket_of(ps[k].status) || !strcmp(ps[k].status, "arrived") ||
                    !strcmp(ps[k].status, "cleared") || !strcmp(ps[k].status, "refused_entry"))
                    continue;
                people++;
                api_count(nat, ps[k].nationality);
                api_count(pri, ps[k].priority);
                json_t *nl = api_needs_json(ps[k].needs);
                size_t x;
                json_t *v;
                json_array_foreach(nl, x, v)
                {
                    api_count(needs, json_string_value(v));
                }
                json_decref(nl);
            }
            json_t *leg = api_leg_json(&legs[l]);
            json_object_set_new(leg, "people", json_integer(people));
            json_object_set_new(leg, "by_nationality", nat);
            json_object_set_new(leg, "by_priority", pri);
            json_object_set_new(leg, "needs", needs);
            json_array_append_new(out, leg);
        }
    }
    http_json(r, 200, json_pack("{s:s, s:o}", "country", r->who.nation, "arrivals", out));
}

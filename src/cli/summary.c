/* summary.c — see summary.h. */
#include "cli/summary.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static json_t *counts(struct node *n, const char *op, const char *by)
{
    struct arena a = {0};
    struct store_count *c;
    size_t nc = 0;
    struct muster_err err;
    json_t *o = json_object();
    if (n->st->ops->person_counts(n->st, op, by, &c, &nc, &a, &err) == 0)
        for (size_t i = 0; i < nc; i++)
            json_object_set_new(o, c[i].key ? c[i].key : "?", json_integer(c[i].n));
    arena_free(&a);
    return o;
}

static void print_counts(const char *title, json_t *o)
{
    printf("  %-14s", title);
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) printf(" %s %lld ", k, (long long)json_integer_value(v));
    printf("\n");
}

void summary_print(struct node *n, const struct scn_result *res, double seconds, int json)
{
    json_t *by_nat = counts(n, res->operation, "nationality");
    json_t *by_pri = counts(n, res->operation, "priority");
    json_t *by_status = counts(n, res->operation, "status");
    int64_t events = n->st->ops->event_count(n->st);
    if (json) {
        json_t *o = json_pack(
            "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:o, s:o, s:o}", "operation", res->operation,
            "people", (json_int_t)res->people, "households", (json_int_t)res->households, "points",
            (json_int_t)res->points, "legs", (json_int_t)res->legs, "seats", (json_int_t)res->seats,
            "events", (json_int_t)events, "seconds", seconds, "by_nationality", by_nat,
            "by_priority", by_pri, "by_status", by_status);
        char *s = json_dumps(o, JSON_COMPACT);
        puts(s);
        free(s);
        json_decref(o);
        return;
    }
    printf("operation %s: Joint evacuation, Israel (exercise)\n", res->operation);
    printf("  %-14s %lld people in %lld households\n", "registrants", (long long)res->people,
           (long long)res->households);
    print_counts("nationality", by_nat);
    print_counts("priority", by_pri);
    print_counts("status", by_status);
    printf("  %-14s %lld assembly points, %lld legs offering %lld seats\n", "transport",
           (long long)res->points, (long long)res->legs, (long long)res->seats);
    printf("  %-14s %lld signed events, written in %.2f s\n", "log", (long long)events, seconds);
    json_decref(by_nat);
    json_decref(by_pri);
    json_decref(by_status);
}

/* retention.c — see retention.h. */
#include "core/retention.h"

#include "core/erasure.h"
#include "core/events.h"
#include "core/pii.h"
#include "util/timeutil.h"

#include <stdbool.h>
#include <string.h>

#define DAY_MS     86400000LL
#define MAX_DAYS   36500
#define NCLASSES   3
#define NOTICE_MAX 10000 /* people named by one erasure.notice */

const char *const ret_classes[NCLASSES] = {"registry", "partner", "clearance"};

static const char *const day_keys[NCLASSES] = {"registry_days", "partner_days", "clearance_days"};

static int64_t *days_of(struct store_retention *r, int cls)
{
    return cls == 0 ? &r->registry_days : cls == 1 ? &r->partner_days : &r->clearance_days;
}

int ret_set(struct node *n, const char *actor, const char *nation, const char *id, json_t *periods,
            struct muster_err *err)
{
    if (!json_is_object(periods) || json_object_size(periods) == 0)
        return err_set(err, MUSTER_EINVAL,
                       "give registry_days, partner_days or clearance_days (days, or null)");
    const char *key;
    json_t *v;
    json_object_foreach(periods, key, v)
    {
        int known = 0;
        for (int c = 0; c < NCLASSES; c++)
            known |= strcmp(key, day_keys[c]) == 0;
        if (!known)
            return err_set(err, MUSTER_EINVAL,
                           "unknown field '%s' (registry_days, partner_days,"
                           " clearance_days)",
                           key);
        if (!json_is_null(v) &&
            (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > MAX_DAYS))
            return err_set(err, MUSTER_EINVAL,
                           "%s must be a whole number of days from 0 to %d, "
                           "or null",
                           key, MAX_DAYS);
    }
    struct arena a = {0};
    struct store_operation o;
    int rc = n->st->ops->operation_get(n->st, id, &o, &a, err);
    if (!rc && nation && strcmp(nation, o.nation) != 0)
        rc = err_set(err, MUSTER_EDENIED, "only %s, which runs operation %s, sets its retention",
                     o.nation, id);
    struct store_retention cur = {.registry_days = -1, .partner_days = -1, .clearance_days = -1};
    struct muster_err ignored;
    if (!rc)
        n->st->ops->retention_get(n->st, id, &cur, &a, &ignored);
    if (!rc) {
        json_t *body = json_pack("{s:s}", "id", id);
        for (int c = 0; c < NCLASSES; c++) {
            json_t *given = json_object_get(periods, day_keys[c]);
            int64_t d =
                given ? (json_is_null(given) ? -1 : json_integer_value(given)) : *days_of(&cur, c);
            json_object_set_new(body, day_keys[c], d < 0 ? json_null() : json_integer(d));
        }
        rc = ev_append(n, actor, o.nation, "operation.retention", body, err);
        json_decref(body);
    }
    arena_free(&a);
    return rc;
}

static json_t *iso_ms(int64_t ms)
{
    char t[21];
    time_format_iso(ms / 1000, t);
    return json_string(t);
}

json_t *ret_json_store(struct store *st, const char *id, struct muster_err *err)
{
    struct arena a = {0};
    struct store_operation o;
    if (st->ops->operation_get(st, id, &o, &a, err)) {
        arena_free(&a);
        return NULL;
    }
    struct store_retention r = {.registry_days = -1, .partner_days = -1, .clearance_days = -1};
    struct muster_err ignored;
    st->ops->retention_get(st, id, &r, &a, &ignored);
    json_t *out = json_pack("{s:s, s:s, s:o}", "operation", id, "nation", o.nation, "closed_at",
                            r.closed_ms ? iso_ms(r.closed_ms) : json_null());
    json_t *ends = json_object();
    for (int c = 0; c < NCLASSES; c++) {
        int64_t d = *days_of(&r, c);
        json_object_set_new(out, day_keys[c], d < 0 ? json_null() : json_integer(d));
        json_object_set_new(ends, ret_classes[c],
                            d >= 0 && r.closed_ms ? iso_ms(r.closed_ms + d * DAY_MS) : json_null());
    }
    json_object_set_new(out, "ends", ends);
    arena_free(&a);
    return out;
}

json_t *ret_json(struct node *n, const char *id, struct muster_err *err)
{
    return ret_json_store(n->st, id, err);
}

/* Shreds one class of one operation: destroys every key, notes the entry. */
struct shred_progress {
    muster_progress_fn fn;
    void *ctx;
};

static int shred_class(struct node *n, const struct store_retention *r, int cls, json_t *purged,
                       json_t *notices, int64_t *count, const struct shred_progress *pg,
                       struct muster_err *err)
{
    struct arena a = {0};
    const char **ids;
    size_t nids = 0;
    int rc = n->st->ops->retention_subjects(n->st, r->id, ret_classes[cls], n->nation, &ids, &nids,
                                            &a, err);
    for (size_t i = 0; !rc && i < nids; i++) {
        rc = pii_destroy(n, ids[i], err);
        if (pg->fn && (i + 1) % 1024 == 0)
            pg->fn(pg->ctx, "shredding", (int64_t)i + 1, (int64_t)nids);
    }
    if (!rc && nids) {
        json_array_append_new(purged, json_pack("{s:s, s:s, s:I}", "operation", r->id, "class",
                                                ret_classes[cls], "count", (json_int_t)nids));
        *count += (int64_t)nids;
        /* people: their copies on peers go too; one notice per NOTICE_MAX */
        for (size_t from = 0; cls != 2 && from < nids; from += NOTICE_MAX) {
            json_t *persons = json_array();
            for (size_t i = from; i < nids && i < from + NOTICE_MAX; i++)
                json_array_append_new(persons, json_string(ids[i]));
            json_array_append_new(notices,
                                  json_pack("{s:s, s:o}", "operation", r->id, "persons", persons));
        }
    }
    arena_free(&a);
    return rc;
}

int ret_run(struct node *n, const char *actor, int64_t now_ms, json_t **summary,
            struct muster_err *err)
{
    return ret_run_progress(n, actor, now_ms, NULL, NULL, summary, err);
}

int ret_run_progress(struct node *n, const char *actor, int64_t now_ms, muster_progress_fn progress,
                     void *ctx, json_t **summary, struct muster_err *err)
{
    struct shred_progress pg = {progress, ctx};
    struct arena a = {0};
    struct store_retention *rows;
    size_t nrows = 0;
    int rc = n->st->ops->retention_list(n->st, &rows, &nrows, &a, err);
    json_t *purged = json_array(), *notices = json_array();
    int64_t persons = 0, clearances = 0;
    bool considered = false;
    for (size_t i = 0; !rc && i < nrows; i++)
        for (int c = 0; !rc && c < NCLASSES; c++) {
            int64_t d = *days_of(&rows[i], c);
            considered |= d >= 0;
            if (d >= 0 && rows[i].closed_ms + d * DAY_MS <= now_ms)
                rc = shred_class(n, &rows[i], c, purged, notices, c == 2 ? &clearances : &persons,
                                 &pg, err);
        }
    json_t *body = NULL;
    if (!rc) { /* recorded when any closed operation has a period, even with nothing due */
        body = json_pack("{s:o, s:O, s:I, s:I}", "now", iso_ms(now_ms), "purged", purged, "persons",
                         (json_int_t)persons, "clearances", (json_int_t)clearances);
        if (considered)
            rc = ev_append(n, actor, NULL, "retention.run", body, err);
    }
    size_t k;
    json_t *nt;
    json_array_foreach(notices, k, nt)
    {
        if (!rc)
            rc = erasure_notice(n, actor, NULL, json_object_get(nt, "persons"), "retention",
                                json_string_value(json_object_get(nt, "operation")), err);
    }
    if (!rc && summary)
        *summary = json_incref(body);
    json_decref(body);
    json_decref(purged);
    json_decref(notices);
    arena_free(&a);
    return rc;
}

/* api_events.c — the audit feed: the caller's nation's events, newest
 * last, with sealed personal fields left out. */
#include "net/api.h"

#include "util/timeutil.h"

#include <stdlib.h>
#include <string.h>

struct feed {
    struct request *r;
    json_t *events;
    int64_t limit, last;
    const char *type;
};

/* Removes every "pii" member, at any depth. */
static void strip_pii(json_t *v)
{
    if (json_is_object(v)) {
        json_object_del(v, "pii");
        const char *k;
        json_t *c;
        json_object_foreach(v, k, c) strip_pii(c);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) strip_pii(c);
    }
}

static int add_event(void *ctx, const struct store_event *ev)
{
    struct feed *f = ctx;
    f->last = ev->id;
    if (!access_event_visible(&f->r->who, ev->nation) ||
        (f->type && strcmp(ev->type, f->type) != 0))
        return 0;
    json_t *body = json_loadb(ev->body, ev->body_len, 0, NULL);
    strip_pii(body);
    char when[21];
    time_format_iso(ev->time_ms / 1000, when);
    json_array_append_new(f->events,
                          json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)ev->id,
                                    "origin", ev->origin, "seq", (json_int_t)ev->seq, "time", when,
                                    "actor", ev->actor, "type", ev->type, "body",
                                    body ? body : json_null()));
    return (int64_t)json_array_size(f->events) >= f->limit;
}

void api_events(struct request *r)
{
    if (!api_may(r, ACT_AUDIT))
        return;
    const char *after = http_query(r, "after"), *limit = http_query(r, "limit");
    struct feed f = {r, json_array(), limit ? atoll(limit) : 100, 0, http_query(r, "type")};
    if (f.limit < 1 || f.limit > 1000) {
        json_decref(f.events);
        http_error(r, 400, "invalid", "limit must be between 1 and 1000");
        return;
    }
    struct muster_err err;
    int rc = r->st->ops->event_scan(r->st, after ? atoll(after) : 0, add_event, &f, &err);
    if (rc < 0) {
        json_decref(f.events);
        http_fail(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o, s:I}", "events", f.events, "next", (json_int_t)f.last));
}

/* api_history.c — one person's history from the event log: registration,
 * status changes, edits, household moves and clearance decisions, oldest
 * first, as GET /persons/{id}/history.
 *
 * The person is loaded through the scoping rule first (404 when the caller
 * may not see them); each event then passes access_history_event(). No
 * sealed field is opened: an entry carries the time, type, nation, actor
 * and the codes of the change (status from/to, leg, household, decision),
 * never names, documents or reasons.
 *
 * There is no index of events by person: the handler scans the log and
 * skips, before parsing, every event whose body does not name the person
 * (or one of their clearance decisions). */
#include "net/api.h"

#include "util/timeutil.h"

#include <string.h>

#define HISTORY_MAX 1000

struct history {
    struct request *r;
    enum access_view view;
    const char *id;
    json_t *events;
    json_t *clearances; /* ids of this person's clearance decisions */
};

static bool names(const struct store_event *ev, const char *id)
{
    size_t n = strlen(id);
    return n && memmem(ev->body, ev->body_len, id, n) != NULL;
}

static bool names_clearance(const struct history *h, const struct store_event *ev)
{
    const char *k;
    json_t *v;
    json_object_foreach(h->clearances, k, v)
    {
        if (names(ev, k))
            return true;
    }
    return false;
}

static void copy(json_t *to, const char *as, json_t *from, const char *k)
{
    json_t *v = json_object_get(from, k);
    if (json_is_string(v) || json_is_boolean(v))
        json_object_set(to, as, v);
}

/* The entry's codes from the body; false when the event is not about h->id
 * after all (the id only appeared inside another field). */
static bool fill(struct history *h, const char *type, json_t *b, json_t *e)
{
    const char *subject = json_string_value(json_object_get(b, "id"));
    if (strcmp(type, "household.registered") == 0) {
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(b, "members"), i, m)
        {
            const char *mid = json_string_value(json_object_get(m, "id"));
            if (mid && strcmp(mid, h->id) == 0) {
                copy(e, "to", m, "status");
                copy(e, "household", b, "id");
                return true;
            }
        }
        return false;
    }
    if (strcmp(type, "clearance.decided") == 0) {
        const char *p = json_string_value(json_object_get(b, "person"));
        if (!p || strcmp(p, h->id) != 0 || !subject)
            return false;
        json_object_set_new(h->clearances, subject, json_true());
        copy(e, "clearance", b, "id");
        copy(e, "leg", b, "leg");
        copy(e, "decision", b, "decision");
        copy(e, "basis", b, "basis");
        return true;
    }
    if (strcmp(type, "clearance.overridden") == 0) {
        if (!subject || !json_object_get(h->clearances, subject))
            return false;
        copy(e, "clearance", b, "id");
        copy(e, "decision", b, "to");
        json_object_set_new(e, "overridden", json_true());
        return true;
    }
    if (!subject || strcmp(subject, h->id) != 0)
        return false;
    if (strcmp(type, "person.status") == 0) {
        copy(e, "from", b, "from");
        copy(e, "to", b, "to");
        copy(e, "leg", b, "leg");
    } else if (strcmp(type, "person.moved") == 0) {
        copy(e, "from_household", b, "from");
        copy(e, "household", b, "to");
    } else if (strcmp(type, "person.updated") == 0) {
        copy(e, "consent", b, "consent");
    } else if (strcmp(type, "person.erased") != 0) {
        return false;
    }
    return true;
}

static int add_event(void *ctx, const struct store_event *ev)
{
    struct history *h = ctx;
    if (!names(ev, h->id) && !(strcmp(ev->type, "clearance.overridden") == 0 &&
                               json_object_size(h->clearances) && names_clearance(h, ev)))
        return 0;
    bool show_actor;
    if (!access_history_event(&h->r->who, h->view, ev->type, ev->nation, &show_actor))
        return 0;
    json_t *b = json_loadb(ev->body, ev->body_len, 0, NULL);
    if (!b)
        return 0;
    char when[21];
    time_format_iso(ev->time_ms / 1000, when);
    json_t *e = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)ev->id, "time", when, "type",
                          ev->type, "nation", ev->nation);
    json_object_set_new(e, "actor", show_actor ? json_string(ev->actor) : json_null());
    if (fill(h, ev->type, b, e))
        json_array_append(h->events, e);
    json_decref(e);
    json_decref(b);
    return json_array_size(h->events) >= HISTORY_MAX;
}

json_t *api_history_events(struct request *r, enum access_view v, const char *id, bool *truncated,
                           struct muster_err *err)
{
    struct history h = {r, v, id, json_array(), json_object()};
    int rc = r->st->ops->event_scan(r->st, 0, add_event, &h, err);
    json_decref(h.clearances);
    if (rc < 0) {
        json_decref(h.events);
        return NULL;
    }
    *truncated = json_array_size(h.events) >= HISTORY_MAX;
    return h.events;
}

void api_person_history(struct request *r)
{
    struct store_person p;
    if (!api_may(r, ACT_READ_REGISTRY))
        return;
    enum access_view v = api_load_person(r, r->params[0], &p, NULL);
    if (v == VIEW_NONE)
        return;
    struct muster_err err;
    bool truncated = false;
    json_t *events = api_history_events(r, v, p.id, &truncated, &err);
    if (!events) {
        http_fail(r, &err);
        return;
    }
    api_read(r, "history", p.id, v);
    http_json(r, 200,
              json_pack("{s:s, s:s, s:b, s:o}", "person", p.id, "view",
                        v == VIEW_FULL ? "full" : "partner", "truncated", truncated, "events",
                        events));
}

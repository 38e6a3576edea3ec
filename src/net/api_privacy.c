/* api_privacy.c — the read audit query ("who looked at this person?") and
 * the person's own copy of everything muster holds about them.
 *
 * GET /persons/{id}/reads is for supervisors (admin role) of the nation that
 * sees the person in full. GET /persons/{id}/copy (JSON, or ?format=pdf) is
 * for officers and admins of the nation that registered the person; the
 * export is itself recorded in the read audit. What partner nations could
 * see is derived from the status history and the scoping rule
 * (core/access.c); what they were actually sent on this node is in the read
 * audit (docs/privacy.md says which is which). */
#include "net/api.h"

#include "core/copy_pdf.h"
#include "util/timeutil.h"

#include <string.h>

#define READS_MAX 10000

static json_t *read_json(const struct store_read *rd)
{
    char when[21];
    time_format_iso(rd->time_ms / 1000, when);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)rd->id, "time",
                     when, "actor", rd->actor, "nation", rd->nation, "role", rd->role, "route",
                     rd->route, "purpose", rd->purpose, "view", rd->view);
}

/* The person's read-audit rows as a JSON array; NULL (err set) on failure. */
static json_t *reads_json(struct request *r, const char *id, bool *truncated,
                          struct muster_err *err)
{
    struct store_read *rows;
    size_t n;
    if (r->st->ops->read_audit_list(r->st, id, READS_MAX + 1, &rows, &n, &r->arena, err))
        return NULL;
    *truncated = n > READS_MAX;
    json_t *a = json_array();
    for (size_t i = 0; i < n && i < READS_MAX; i++)
        json_array_append_new(a, read_json(&rows[i]));
    return a;
}

void api_person_reads(struct request *r)
{
    struct store_person p;
    if (!api_may(r, ACT_READ_AUDIT))
        return;
    struct muster_err err;
    enum access_view v = api_load_person(r, r->params[0], &p, NULL);
    if (v == VIEW_NONE || !api_allowed(r, access_person_reads(&r->who, v, &p, &err), &err))
        return;
    bool truncated = false;
    json_t *a = reads_json(r, p.id, &truncated, &err);
    if (!a)
        http_fail(r, &err);
    else
        http_json(r, 200,
                  json_pack("{s:s, s:b, s:o}", "person", p.id, "truncated", truncated, "reads", a));
}

/* --- the person's copy --------------------------------------------------- */

static const char *const partner_fields[] = {"surname",     "given_names", "sex",   "birth_date",
                                             "nationality", "document",    "needs", "priority",
                                             "household",   "status",      "leg",   NULL};

static json_t *household_of(struct request *r, const struct store_person *p)
{
    struct store_household h;
    struct muster_err err;
    json_t *o = json_pack("{s:s}", "id", p->household);
    if (r->st->ops->household_get(r->st, p->household, &h, &r->arena, &err) == 0)
        json_object_set_new(o, "size", json_integer(h.size));
    /* the other members are their own people: only their ids are listed */
    struct store_person_query q = {.household = p->household, .limit = 100};
    struct store_person *ps;
    size_t n;
    json_t *ids = json_array();
    if (r->st->ops->person_find(r->st, &q, &ps, &n, &r->arena, &err) == 0)
        for (size_t i = 0; i < n; i++)
            if (strcmp(ps[i].id, p->id) != 0)
                json_array_append_new(ids, json_string(ps[i].id));
    json_object_set_new(o, "other_members", ids);
    return o;
}

static json_t *clearances_of(struct request *r, const char *id)
{
    struct store_clearance *cs;
    size_t n;
    struct muster_err err;
    json_t *a = json_array();
    if (r->st->ops->clearance_of_person(r->st, id, &cs, &n, &r->arena, &err))
        return a;
    for (size_t i = 0; i < n; i++) {
        const struct store_clearance *c = &cs[i];
        char when[21];
        time_format_iso(c->decided_ms / 1000, when);
        json_t *reasons = json_loads(c->reasons ? c->reasons : "[]", 0, NULL);
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s?, s:s?, s:{s:s?, s:s?, s:s?, "
                         "s:s?, s:s?}}",
                         "id", c->id, "leg", c->leg, "nation", c->nation, "decision", c->decision,
                         "basis", c->basis, "decided", when, "reasons",
                         reasons ? reasons : json_array(), "overridden_from", c->original,
                         "override_by", c->override_by, "as_received", "surname", c->surname,
                         "given_names", c->given_names, "birth_date", c->birth_date, "nationality",
                         c->nationality, "document", c->doc_number));
    }
    return a;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Opens or keeps the window of (nation, leg, basis) at time when; marks it
 * seen in this step. */
static void window_open(json_t *open, json_t *seen, const char *nation, const char *leg,
                        const char *basis, const char *when)
{
    char key[128];
    snprintf(key, sizeof key, "%s|%s|%s", nation, leg, basis);
    json_object_set_new(seen, key, json_true());
    if (json_object_get(open, key))
        return;
    json_t *fields = json_array();
    for (const char *const *f = partner_fields; *f; f++)
        json_array_append_new(fields, json_string(*f));
    json_object_set_new(open, key,
                        json_pack("{s:s, s:s, s:s, s:s, s:s, s:n, s:o}", "nation", nation, "leg",
                                  leg, "basis", basis, "view", "partner", "from", when, "until",
                                  "fields", fields));
}

/* Which partner nations could see the person, and when: replays the status
 * changes of the history through access_person() with each leg's operator
 * and arrival country as the caller. Consent and the leg's state are the
 * current ones (the log's consent changes are not replayed). */
static json_t *disclosures(struct request *r, const struct store_person *p, json_t *history)
{
    json_t *open = json_object(), *done = json_array();
    struct store_person at = *p;
    size_t i;
    json_t *e;
    json_array_foreach(history, i, e)
    {
        const char *to = json_string_value(json_object_get(e, "to"));
        const char *when = json_string_value(json_object_get(e, "time"));
        if (!to || !when)
            continue;
        at.status = to;
        at.leg = json_string_value(json_object_get(e, "leg"));
        json_t *seen = json_object();
        struct store_leg l;
        struct muster_err err;
        if (at.leg && r->st->ops->leg_get(r->st, at.leg, &l, &r->arena, &err) == 0) {
            const char *cand[2] = {l.operator_nation, l.destination_country};
            for (int k = 0; k < 2; k++) {
                if (!cand[k] || same(cand[k], p->nation) || same(cand[k], p->nationality))
                    continue;
                struct principal who = {.role = ROLE_OFFICER};
                snprintf(who.nation, sizeof who.nation, "%s", cand[k]);
                if (access_person(&who, &at, &l) != VIEW_PARTNER)
                    continue;
                window_open(open, seen, cand[k], l.id,
                            same(cand[k], l.destination_country) ? "arrival country"
                                                                 : "operator of the leg",
                            when);
            }
        }
        const char *key;
        json_t *w, *tmp;
        json_object_foreach_safe(open, tmp, key, w)
        {
            if (json_object_get(seen, key))
                continue;
            json_object_set_new(w, "until", json_string(when));
            json_array_append(done, w);
            json_object_del(open, key);
        }
        json_decref(seen);
    }
    const char *key;
    json_t *w;
    json_object_foreach(open, key, w)
    {
        json_array_append(done, w);
    }
    json_decref(open);
    return done;
}

/* The read-audit rows of partner nations: what they were actually sent. */
static json_t *received(const struct store_person *p, json_t *reads)
{
    json_t *a = json_array();
    size_t i;
    json_t *rd;
    json_array_foreach(reads, i, rd)
    {
        const char *nation = json_string_value(json_object_get(rd, "nation"));
        if (nation && !same(nation, p->nation) && !same(nation, p->nationality))
            json_array_append(a, rd);
    }
    return a;
}

/* Which partner nodes hold a copy: those this node sent the person to with
 * `muster share export` (read-audit rows of actor "node:<origin>"). */
static json_t *copies_note(json_t *reads, bool truncated)
{
    json_t *nodes = json_object(), *rd;
    size_t i;
    json_array_foreach(reads, i, rd)
    {
        const char *actor = json_string_value(json_object_get(rd, "actor"));
        if (actor && strncmp(actor, "node:", 5) == 0)
            json_object_set_new(nodes, actor + 5, json_true());
    }
    struct buf b = {0};
    buf_printf(&b, "received_by_partners lists what partner accounts and partner nodes were sent "
                   "by this node (read audit). ");
    if (json_object_size(nodes) == 0) {
        buf_printf(&b,
                   "No partner node was sent this person by a share (muster share export)%s, "
                   "so no other node holds a copy from this one",
                   truncated ? " in the reads listed" : "");
    } else {
        buf_printf(&b, "%sartner node(s) ", truncated ? "At least these p" : "P");
        const char *origin;
        json_t *v;
        size_t k = 0;
        json_object_foreach(nodes, origin, v) buf_printf(&b, "%s%s", k++ ? ", " : "", origin);
        buf_printf(&b, " hold a copy, sent by a share (muster share export); each keeps it until "
                       "this node's erasure notice reaches it or its retention ends");
    }
    buf_printf(&b, ". Shares and erasure notices travel as files: there is no live federation "
                   "between nodes");
    json_decref(nodes);
    json_t *note = json_string(buf_str(&b));
    buf_free(&b);
    return note;
}

static json_t *copy_json(struct request *r, const struct store_person *p, json_t *history,
                         bool history_truncated, json_t *reads, bool reads_truncated)
{
    char now[21];
    time_format_iso(time_now(), now);
    json_t *notes = json_pack(
        "[s, o, s, s]",
        "partner_visibility is derived: each status change of the history replayed through the "
        "scoping rule (docs/access.md) with the current consent and leg state",
        copies_note(reads, reads_truncated),
        "watchlist hits of clearance decisions are the deciding nation's screening data and are "
        "not included; other household members are listed by id only",
        "this export is itself recorded in the read audit after it is generated");
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:b, s:o}",
                     "generated", now, "generated_by", r->who.user[0] ? r->who.user : "cli",
                     "nation", r->who.nation, "person", api_person_json(p, VIEW_FULL), "household",
                     household_of(r, p), "history", history, "history_truncated", history_truncated,
                     "clearances", clearances_of(r, p->id), "partner_visibility",
                     disclosures(r, p, history), "received_by_partners", received(p, reads),
                     "reads", reads, "reads_truncated", reads_truncated, "notes", notes);
}

json_t *api_copy_json(struct request *r, const struct store_person *p, struct muster_err *err)
{
    bool htrunc = false, rtrunc = false;
    json_t *history = api_history_events(r, VIEW_FULL, p->id, &htrunc, err);
    if (!history)
        return NULL;
    json_t *reads = reads_json(r, p->id, &rtrunc, err);
    if (!reads) {
        json_decref(history);
        return NULL;
    }
    json_t *copy = copy_json(r, p, history, htrunc, reads, rtrunc);
    if (!copy)
        err_set(err, MUSTER_ENOMEM, "cannot build the copy of %s", p->id);
    return copy;
}

void api_person_copy(struct request *r)
{
    struct store_person p;
    if (!api_may(r, ACT_PERSON_COPY))
        return;
    const char *format = http_query(r, "format");
    if (format && strcmp(format, "json") && strcmp(format, "pdf")) {
        http_error(r, 400, "invalid", "format must be json or pdf");
        return;
    }
    bool pdf = format && strcmp(format, "pdf") == 0;
    struct muster_err err;
    enum access_view v = api_load_person(r, r->params[0], &p, NULL);
    if (v == VIEW_NONE || !api_allowed(r, access_person_copy(&r->who, &p, &err), &err))
        return;
    json_t *copy = api_copy_json(r, &p, &err);
    if (!copy) {
        http_fail(r, &err);
        return;
    }
    api_read(r, pdf ? "copy.pdf" : "copy", p.id, VIEW_FULL);
    if (!pdf) {
        http_json(r, 200, copy);
        return;
    }
    struct buf out = {0};
    int rc = copy_pdf(copy, &out, &err);
    json_decref(copy);
    if (rc) {
        buf_free(&out);
        http_fail(r, &err);
        return;
    }
    char file[96];
    snprintf(file, sizeof file, "copy-%s.pdf", p.id);
    http_bytes(r, 200, "application/pdf", out.data ? out.data : "", out.len, file);
    buf_free(&out);
}

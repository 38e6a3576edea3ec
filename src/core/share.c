/* share.c — see share.h. Bundle and event bodies: docs/events.md. */
#include "core/share.h"

#include "core/access.h"
#include "core/erasure.h"
#include "core/events.h"
#include "core/pii.h"
#include "util/buf.h"
#include "util/timeutil.h"

#include <math.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT "muster-share/1"
#define PAGE   1000
#define DAY_MS 86400000LL
#define BOXED  (32 + crypto_box_SEALBYTES)

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void set_str(json_t *o, const char *k, const char *v)
{
    if (v && *v)
        json_object_set_new(o, k, json_string(v));
}

/* A JSON text column as JSON (null when absent or not JSON). */
static json_t *parsed(const char *text)
{
    json_error_t jerr;
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, &jerr) : NULL;
    return v ? v : json_null();
}

static json_t *b64(const uint8_t *b, size_t n)
{
    struct buf out = {0};
    buf_base64(&out, b, n);
    json_t *s = json_string(out.data);
    free(out.data);
    return s;
}

/* The personal fields the view left in p, shaped as the registry seals
 * them (core/registry.c), so the receiving projection reads them alike. */
static json_t *fields_of(const struct store_person *p)
{
    json_t *f = json_object();
    set_str(f, "surname", p->surname);
    set_str(f, "given_names", p->given_names);
    set_str(f, "native_name", p->native_name);
    set_str(f, "sex", p->sex);
    set_str(f, "birth_date", p->birth_date);
    if (p->doc_number && *p->doc_number) {
        json_t *doc = json_object();
        set_str(doc, "type", p->doc_type);
        set_str(doc, "number", p->doc_number);
        set_str(doc, "issuing_state", p->doc_state);
        set_str(doc, "expiry", p->doc_expiry);
        json_object_set_new(f, "doc", doc);
    }
    set_str(f, "phone", p->phone);
    set_str(f, "email", p->email);
    set_str(f, "address", p->address);
    if (!isnan(p->lat) && !isnan(p->lon)) {
        json_object_set_new(f, "lat", json_real(p->lat));
        json_object_set_new(f, "lon", json_real(p->lon));
    }
    json_object_set_new(f, "needs", json_integer(p->needs));
    set_str(f, "priority", p->priority);
    set_str(f, "priority_override", p->priority_override);
    return f;
}

static json_t *operation_json(const struct store_operation *o)
{
    return json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:o, s:o}", "id", o->id, "nation", o->nation,
                     "name", o->name, "host_country", o->host_country, "status", o->status, "area",
                     parsed(o->area), "partners", parsed(o->partners));
}

static json_t *point_json(const struct store_point *p)
{
    return json_pack("{s:s, s:s, s:s?, s:s?, s:f, s:f, s:I}", "id", p->id, "operation",
                     p->operation, "name", p->name, "kind", p->kind, "lat", p->lat, "lon", p->lon,
                     "capacity", (json_int_t)p->capacity);
}

static json_t *leg_json(const struct store_leg *l)
{
    char departs[21], arrives[21];
    time_format_iso(l->departs, departs); /* seconds, as leg.created has them */
    time_format_iso(l->arrives, arrives);
    return json_pack(
        "{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:I, s:I, s:s, s:s*}", "id",
        l->id, "operation", l->operation, "operator", l->operator_nation, "kind", l->kind,
        "vehicle", l->vehicle, "point", l->point, "destination", l->destination,
        "destination_country", l->destination_country, "status", l->status, "carries",
        parsed(l->carries), "seats", (json_int_t)l->seats, "stretchers", (json_int_t)l->stretchers,
        "departs", departs, "arrives", l->arrives ? arrives : NULL);
}

struct peer {
    const char *origin;
    char nation[4];
    uint8_t pk[32];
    bool found;
};

static int find_peer(void *ctx, const char *origin, const char *nation, const uint8_t pk[32])
{
    struct peer *p = ctx;
    if (!is(origin, p->origin))
        return 0;
    snprintf(p->nation, sizeof p->nation, "%s", nation);
    memcpy(p->pk, pk, 32);
    p->found = true;
    return 1;
}

/* The people of this node's last share.sent to a node for an operation. */
struct last_share {
    const char *origin, *to, *operation;
    json_t *persons;
};

static int find_last(void *ctx, const struct store_event *ev)
{
    struct last_share *x = ctx;
    if (!is(ev->type, "share.sent") || !is(ev->origin, x->origin))
        return 0;
    json_error_t jerr;
    json_t *b = json_loadb(ev->body, ev->body_len, 0, &jerr);
    if (b && is(jstr(b, "to"), x->to) && is(jstr(b, "operation"), x->operation)) {
        json_decref(x->persons);
        x->persons = json_incref(json_object_get(b, "persons"));
    }
    json_decref(b);
    return 0;
}

/* One person as the peer may see them: clear routing fields, the fields
 * sealed with the person's key, and that key sealed to the peer. */
static int person_entry(struct node *n, struct store_person *p, enum access_view view,
                        const uint8_t xpk[32], json_t **out, struct muster_err *err)
{
    uint8_t key[32], boxed[BOXED];
    int rc = pii_key(n, p->id, key, err);
    if (rc)
        return rc;
    access_redact(view, p);
    json_t *fields = fields_of(p);
    char *sealed = NULL;
    rc = pii_seal_with(p->id, key, fields, &sealed, err);
    json_decref(fields);
    crypto_box_seal(boxed, key, 32, xpk);
    sodium_memzero(key, sizeof key);
    if (rc)
        return rc;
    *out = json_pack("{s:s, s:s?, s:s?, s:s?, s:b, s:s?, s:s?, s:s, s:s, s:o}", "id", p->id,
                     "household", p->household, "nation", p->nation, "nationality", p->nationality,
                     "consent", p->consent, "status", p->status, "leg", p->leg, "view",
                     view == VIEW_FULL ? "full" : "partner", "pii", sealed, "key",
                     b64(boxed, sizeof boxed));
    free(sealed);
    return 0;
}

/* Adds the people of one page; notes households and read-audit rows. */
static int export_page(struct node *n, const struct principal *who, struct store_person *ps,
                       size_t np, const struct store_leg *legs, size_t nlegs, const uint8_t xpk[32],
                       json_t *persons, json_t *ids, json_t *households, int64_t counts[2],
                       struct muster_err *err)
{
    struct store_read *rows = calloc(np ? np : 1, sizeof *rows);
    size_t nrows = 0;
    int rc = 0;
    int64_t now = time_now_ms();
    for (size_t i = 0; !rc && i < np; i++) {
        const struct store_leg *leg = NULL;
        for (size_t k = 0; ps[i].leg && k < nlegs; k++)
            if (is(legs[k].id, ps[i].leg))
                leg = &legs[k];
        enum access_view view = access_person(who, &ps[i], leg);
        if (view == VIEW_NONE)
            continue;
        json_t *entry = NULL;
        struct muster_err kerr;
        rc = person_entry(n, &ps[i], view, xpk, &entry, &kerr);
        if (rc == MUSTER_ENOTFOUND) { /* shredded meanwhile: nothing to send */
            rc = 0;
            continue;
        }
        if (rc) {
            err_set(err, kerr.code, "%s", kerr.msg);
            break;
        }
        json_array_append_new(persons, entry);
        json_array_append_new(ids, json_string(ps[i].id));
        counts[view == VIEW_FULL ? 0 : 1]++;
        if (ps[i].household) {
            json_t *h = json_object_get(households, ps[i].household);
            if (!h)
                json_object_set_new(households, ps[i].household,
                                    json_pack("{s:s, s:s?, s:I}", "id", ps[i].household, "nation",
                                              ps[i].nation, "size", (json_int_t)0));
            h = json_object_get(households, ps[i].household);
            json_object_set_new(h, "size",
                                json_integer(json_integer_value(json_object_get(h, "size")) + 1));
        }
        rows[nrows++] =
            (struct store_read){0,           now,      who->user,
                                who->nation, "node",   "muster share export",
                                "share",     ps[i].id, view == VIEW_FULL ? "full" : "partner"};
    }
    if (!rc && nrows)
        rc = n->st->ops->read_audit_put(n->st, rows, nrows, err);
    free(rows);
    return rc;
}

/* Who went before and may no longer be seen: in prev, not in now. */
static json_t *withdrawn_of(json_t *prev, json_t *now)
{
    json_t *set = json_object(), *out = json_array(), *v;
    size_t i;
    json_array_foreach(now, i, v) json_object_set(set, json_string_value(v), json_true());
    json_array_foreach(prev, i, v)
    {
        if (json_is_string(v) && !json_object_get(set, json_string_value(v)))
            json_array_append(out, v);
    }
    json_decref(set);
    return out;
}

static json_t *retention_json(struct node *n, const char *operation, struct arena *a)
{
    struct store_retention r = {.registry_days = -1, .partner_days = -1, .clearance_days = -1};
    struct muster_err ignored;
    n->st->ops->retention_get(n->st, operation, &r, a, &ignored);
    return json_pack("{s:o, s:o}", "partner_days",
                     r.partner_days >= 0 ? json_integer(r.partner_days) : json_null(), "closed_ms",
                     r.closed_ms ? json_integer(r.closed_ms) : json_null());
}

struct share_progress {
    muster_progress_fn fn;
    void *ctx;
    int64_t total; /* people of the operation, all nations */
};

static void count_people(struct node *n, const char *operation, struct share_progress *pg)
{
    struct arena a = {0};
    struct store_count *cs = NULL;
    size_t nc = 0;
    struct muster_err ignored;
    if (n->st->ops->person_counts(n->st, operation, "status", &cs, &nc, &a, &ignored) == 0)
        for (size_t i = 0; i < nc; i++)
            pg->total += cs[i].n;
    arena_free(&a);
}

static int collect(struct node *n, const struct principal *who, const struct store_operation *op,
                   const uint8_t xpk[32], json_t *payload, json_t *ids, int64_t counts[2],
                   struct share_progress *pg, struct arena *a, struct muster_err *err)
{
    struct store_leg *legs = NULL;
    struct store_point *points = NULL;
    size_t nlegs = 0, npoints = 0;
    int rc = n->st->ops->leg_list(n->st, op->id, &legs, &nlegs, a, err);
    if (!rc)
        rc = n->st->ops->point_list(n->st, op->id, &points, &npoints, a, err);
    if (rc)
        return rc;
    json_t *jlegs = json_array(), *jpoints = json_array(), *used = json_object();
    for (size_t i = 0; i < nlegs; i++)
        if (access_leg(who, &legs[i], op)) {
            json_array_append_new(jlegs, leg_json(&legs[i]));
            if (legs[i].point)
                json_object_set(used, legs[i].point, json_true());
        }
    for (size_t i = 0; i < npoints; i++)
        if (json_object_get(used, points[i].id))
            json_array_append_new(jpoints, point_json(&points[i]));
    json_decref(used);
    json_object_set_new(payload, "legs", jlegs);
    json_object_set_new(payload, "points", jpoints);
    json_t *persons = json_array(), *households = json_object();
    for (int64_t off = 0; !rc; off += PAGE) {
        struct arena pa = {0};
        struct store_person *ps = NULL;
        size_t np = 0;
        struct store_person_query q = {.operation = op->id, .limit = PAGE, .offset = off};
        rc = n->st->ops->person_find(n->st, &q, &ps, &np, &pa, err);
        if (!rc)
            rc = export_page(n, who, ps, np, legs, nlegs, xpk, persons, ids, households, counts,
                             err);
        arena_free(&pa);
        if (pg->fn && !rc)
            pg->fn(pg->ctx, "sealing", off + (int64_t)np, pg->total);
        if (np < PAGE)
            break;
    }
    json_t *hh = json_array(), *v;
    const char *k;
    json_object_foreach(households, k, v) json_array_append(hh, v);
    json_decref(households);
    json_object_set_new(payload, "persons", persons);
    json_object_set_new(payload, "households", hh);
    return rc;
}

int share_export(struct node *n, const char *actor, const char *to_origin, const char *operation,
                 json_t **bundle, json_t **summary, struct muster_err *err)
{
    return share_export_progress(n, actor, to_origin, operation, NULL, NULL, bundle, summary, err);
}

int share_export_progress(struct node *n, const char *actor, const char *to_origin,
                          const char *operation, muster_progress_fn progress, void *ctx,
                          json_t **bundle, json_t **summary, struct muster_err *err)
{
    struct share_progress pg = {progress, ctx, 0};
    struct peer peer = {.origin = to_origin};
    if (!to_origin || is(to_origin, n->origin))
        return err_set(err, MUSTER_EINVAL, "a share goes to another node, not this one");
    int rc = n->st->ops->node_scan(n->st, find_peer, &peer, err);
    if (rc < 0)
        return rc;
    if (!peer.found)
        return err_set(err, MUSTER_ENOTFOUND,
                       "node %s is not trusted here (muster erasure-notice trust)", to_origin);
    uint8_t xpk[32];
    if (crypto_sign_ed25519_pk_to_curve25519(xpk, peer.pk) != 0)
        return err_set(err, MUSTER_ECRYPTO, "the public key of node %s is not usable", to_origin);
    struct arena a = {0};
    struct store_operation op;
    rc = n->st->ops->operation_get(n->st, operation, &op, &a, err);
    if (rc) {
        arena_free(&a);
        return rc;
    }
    struct principal who = {.role = ROLE_LIAISON};
    snprintf(who.user, sizeof who.user, "node:%s", to_origin);
    snprintf(who.nation, sizeof who.nation, "%s", peer.nation);
    json_t *payload = json_pack("{s:o, s:o}", "operation", operation_json(&op), "retention",
                                retention_json(n, operation, &a));
    json_t *ids = json_array();
    int64_t counts[2] = {0, 0};
    if (progress)
        count_people(n, operation, &pg);
    rc = collect(n, &who, &op, xpk, payload, ids, counts, &pg, &a, err);
    struct last_share last = {n->origin, to_origin, operation, NULL};
    if (!rc)
        rc = n->st->ops->event_scan(n->st, 0, find_last, &last, err);
    json_t *withdrawn = withdrawn_of(last.persons, ids);
    json_decref(last.persons);
    json_object_set(payload, "withdrawn", withdrawn);
    char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    uint8_t h[32];
    char hash[65];
    crypto_generichash(h, 32, (const uint8_t *)text, strlen(text), NULL, 0);
    sodium_bin2hex(hash, sizeof hash, h, 32);
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:O, s:O, s:s, s:O}", "to", to_origin, "to_nation", peer.nation,
                  "operation", operation, "persons", ids, "withdrawn", withdrawn, "payload", hash,
                  "retention", json_object_get(payload, "retention"));
    struct ev_chain chain;
    struct store_event ev;
    json_t *sent = NULL;
    if (!rc) {
        ev_chain_start(n, &chain);
        rc = ev_seal(n, &chain, actor, NULL, "share.sent", body, &ev, err);
    }
    if (!rc) {
        sent = erasure_event_json(&ev);
        rc = ev_append_sealed(n, &ev, body, err);
    }
    if (!rc) {
        *bundle = json_pack("{s:s, s:o, s:s}", "format", FORMAT, "share", sent, "payload", text);
        sent = NULL;
        if (summary)
            *summary =
                json_pack("{s:I, s:I, s:I, s:I}", "persons", (json_int_t)(counts[0] + counts[1]),
                          "full", (json_int_t)counts[0], "partner", (json_int_t)counts[1],
                          "withdrawn", (json_int_t)json_array_size(withdrawn));
    }
    json_decref(sent);
    json_decref(body);
    free(text);
    json_decref(withdrawn);
    json_decref(ids);
    json_decref(payload);
    arena_free(&a);
    return rc;
}

/* --- applying ------------------------------------------------------------ */

/* Checks the payload's shape; each person needs id, pii and key. */
static int check_payload(json_t *p, struct muster_err *err)
{
    json_t *op = json_object_get(p, "operation"), *persons = json_object_get(p, "persons"), *v;
    if (!json_is_object(op) || !jstr(op, "id") || !jstr(op, "nation") ||
        strlen(jstr(op, "nation")) != 3 || !json_is_array(persons) ||
        !json_is_array(json_object_get(p, "legs")) ||
        !json_is_array(json_object_get(p, "points")) ||
        !json_is_array(json_object_get(p, "households")) ||
        !json_is_array(json_object_get(p, "withdrawn")) ||
        !json_is_object(json_object_get(p, "retention")))
        return err_set(err, MUSTER_EINVAL, "the share's payload is not a muster share");
    size_t i;
    json_array_foreach(persons, i, v)
    {
        if (!jstr(v, "id") || !jstr(v, "pii") || !jstr(v, "key"))
            return err_set(err, MUSTER_EINVAL, "person %zu of the share lacks id, pii or key", i);
    }
    json_array_foreach(json_object_get(p, "withdrawn"), i, v)
    {
        if (!json_is_string(v))
            return err_set(err, MUSTER_EINVAL, "withdrawn entry %zu is not a person id", i);
    }
    return 0;
}

/* Unseals every person's key and opens their fields; any failure rejects
 * the bundle. keys gets 32 bytes per person, fields one object each. */
static int unseal_all(struct node *n, json_t *persons, uint8_t *keys, json_t **fields,
                      struct muster_err *err)
{
    uint8_t xpk[32], xsk[32];
    if (crypto_sign_ed25519_pk_to_curve25519(xpk, n->pk) != 0 ||
        crypto_sign_ed25519_sk_to_curve25519(xsk, n->sk) != 0)
        return err_set(err, MUSTER_ECRYPTO, "this node's key has no X25519 form");
    int rc = 0;
    size_t i;
    json_t *v;
    json_array_foreach(persons, i, v)
    {
        const char *id = jstr(v, "id"), *k = jstr(v, "key");
        uint8_t boxed[BOXED];
        size_t len = 0;
        if (sodium_base642bin(boxed, sizeof boxed, k, strlen(k), NULL, &len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            len != BOXED || crypto_box_seal_open(keys + 32 * i, boxed, BOXED, xpk, xsk) != 0) {
            rc =
                err_set(err, MUSTER_ECRYPTO, "the key of person %s is not sealed to this node", id);
            break;
        }
        fields[i] = pii_open_with(id, keys + 32 * i, jstr(v, "pii"), err);
        if (!fields[i]) {
            rc = MUSTER_ECRYPTO;
            break;
        }
    }
    sodium_memzero(xsk, sizeof xsk);
    return rc;
}

static bool seen(struct node *n, const char *key, char *val, size_t cap)
{
    struct muster_err ignored;
    return n->st->ops->meta_get(n->st, key, val, cap, &ignored) == 0;
}

/* Stores the keys, destroys the withdrawn ones, appends share.received. */
static int store_copy(struct node *n, const char *actor, const struct store_event *ev,
                      json_t *payload, const uint8_t *keys, json_t **fields, bool expired,
                      int64_t *stored, int64_t *refused, struct muster_err *err)
{
    json_t *persons = json_object_get(payload, "persons"), *v;
    json_t *kept = json_array(), *gone = json_copy(json_object_get(payload, "withdrawn"));
    size_t i;
    int rc = 0;
    json_array_foreach(persons, i, v)
    {
        if (rc)
            break;
        if (expired && !is(jstr(v, "nation"), n->nation)) {
            /* a partner copy past its retention: never stored again (this
             * nation's own people follow its own registry period) */
            json_array_append(gone, json_object_get(v, "id"));
            (*refused)++;
            continue;
        }
        (*stored)++;
        uint8_t wrapped[PII_WRAPPED];
        pii_wrap(n, jstr(v, "id"), keys + 32 * i, wrapped);
        rc = pii_put_key(n, jstr(v, "id"), wrapped, fields[i], err);
        json_t *entry = json_deep_copy(v);
        json_object_del(entry, "key"); /* keys never enter the log */
        json_array_append_new(kept, entry);
    }
    json_array_foreach(gone, i, v)
    {
        if (!rc)
            rc = pii_destroy(n, json_string_value(v), err);
    }
    char hash[65];
    sodium_bin2hex(hash, sizeof hash, ev->hash, 32);
    json_t *body = json_pack(
        "{s:s, s:s, s:I, s:s, s:O, s:O, s:O, s:O, s:O, s:o, s:o}", "from", ev->origin,
        "from_nation", ev->nation, "seq", (json_int_t)ev->seq, "hash", hash, "operation",
        json_object_get(payload, "operation"), "retention", json_object_get(payload, "retention"),
        "points", json_object_get(payload, "points"), "legs", json_object_get(payload, "legs"),
        "households", json_object_get(payload, "households"), "persons", kept, "withdrawn", gone);
    if (!rc)
        rc = ev_append(n, actor, NULL, "share.received", body, err);
    json_decref(body);
    return rc;
}

static int64_t retention_end(json_t *ret)
{
    json_t *d = json_object_get(ret, "partner_days"), *c = json_object_get(ret, "closed_ms");
    if (!json_is_integer(d) || !json_is_integer(c))
        return 0;
    return json_integer_value(c) + json_integer_value(d) * DAY_MS;
}

int share_apply(struct node *n, const char *actor, json_t *bundle, int64_t now_ms, json_t **summary,
                struct muster_err *err)
{
    if (!json_is_object(bundle) || !is(jstr(bundle, "format"), FORMAT) || !jstr(bundle, "payload"))
        return err_set(err, MUSTER_EINVAL, "not a muster share bundle (format %s)", FORMAT);
    struct store_event ev;
    int rc = erasure_event_check(n, json_object_get(bundle, "share"), "share.sent", "the share",
                                 &ev, err);
    if (rc)
        return rc;
    json_error_t jerr;
    json_t *body = json_loadb(ev.body, ev.body_len, 0, &jerr), *payload = NULL;
    const char *text = jstr(bundle, "payload");
    uint8_t h[32], want[32];
    size_t got = 0;
    crypto_generichash(h, 32, (const uint8_t *)text, strlen(text), NULL, 0);
    const char *hx = jstr(body, "payload");
    if (!is(jstr(body, "to"), n->origin))
        rc = err_set(err, MUSTER_EINVAL, "this share is for node %s, not this node (%s)",
                     jstr(body, "to") ? jstr(body, "to") : "?", n->origin);
    else if (!hx || sodium_hex2bin(want, 32, hx, strlen(hx), NULL, &got, NULL) != 0 || got != 32 ||
             sodium_memcmp(h, want, 32) != 0)
        rc = err_set(err, MUSTER_ECRYPTO,
                     "the payload does not match the hash that the signed share names");
    else if (!(payload = json_loads(text, 0, &jerr)))
        rc = err_set(err, MUSTER_EINVAL, "the share's payload is not JSON: %s", jerr.text);
    else
        rc = check_payload(payload, err);
    json_t *persons = json_object_get(payload, "persons");
    size_t np = json_array_size(persons);
    uint8_t *keys = sodium_malloc(32 * (np ? np : 1));
    json_t **fields = calloc(np ? np : 1, sizeof *fields);
    if (!rc)
        rc = unseal_all(n, persons, keys, fields, err);
    char done_key[96], last_key[160], val[96];
    const char *opid = payload ? jstr(json_object_get(payload, "operation"), "id") : "";
    snprintf(done_key, sizeof done_key, "share.%s.%lld", ev.origin, (long long)ev.seq);
    snprintf(last_key, sizeof last_key, "share.%s.%s", ev.origin, opid ? opid : "");
    bool skip = !rc && (seen(n, done_key, val, sizeof val) ||
                        (seen(n, last_key, val, sizeof val) && atoll(val) > ev.seq));
    int64_t end = payload ? retention_end(json_object_get(payload, "retention")) : 0;
    bool expired = end && end <= now_ms;
    int64_t stored = 0, refused = 0;
    if (!rc && !skip)
        rc = store_copy(n, actor, &ev, payload, keys, fields, expired, &stored, &refused, err);
    if (!rc && summary)
        *summary =
            json_pack("{s:b, s:b, s:I, s:I, s:I, s:o}", "applied", !skip, "skipped", skip,
                      "persons", (json_int_t)stored, "withdrawn",
                      (json_int_t)json_array_size(json_object_get(payload, "withdrawn")), "expired",
                      (json_int_t)refused, "retention_end", end ? json_integer(end) : json_null());
    for (size_t i = 0; i < np; i++)
        json_decref(fields[i]);
    free(fields);
    sodium_free(keys);
    json_decref(payload);
    json_decref(body);
    return rc;
}

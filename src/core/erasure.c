/* erasure.c — see erasure.h. */
#include "core/erasure.h"

#include "core/events.h"
#include "core/pii.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int erasure_notice(struct node *n, const char *actor, const char *nation, json_t *persons,
                   const char *reason, const char *operation, struct muster_err *err)
{
    json_t *body = json_pack("{s:O, s:s}", "persons", persons, "reason", reason);
    if (operation)
        json_object_set_new(body, "operation", json_string(operation));
    int rc = ev_append(n, actor, nation, "erasure.notice", body, err);
    json_decref(body);
    return rc;
}

static json_t *hex(const uint8_t *b, size_t n)
{
    char out[129];
    sodium_bin2hex(out, sizeof out, b, n);
    return json_string(out);
}

struct export_ctx {
    const char *origin;
    int64_t after;
    json_t *notices;
};

json_t *erasure_event_json(const struct store_event *ev)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s%, s:o, s:o, s:o}", "origin",
                     ev->origin, "seq", (json_int_t)ev->seq, "lamport", (json_int_t)ev->lamport,
                     "time_ms", (json_int_t)ev->time_ms, "actor", ev->actor, "nation", ev->nation,
                     "type", ev->type, "body", ev->body, ev->body_len, "prev", hex(ev->prev, 32),
                     "hash", hex(ev->hash, 32), "sig", hex(ev->sig, 64));
}

static int export_one(void *arg, const struct store_event *ev)
{
    struct export_ctx *x = arg;
    if (strcmp(ev->type, "erasure.notice") != 0 || strcmp(ev->origin, x->origin) != 0 ||
        ev->seq <= x->after)
        return 0;
    json_array_append_new(x->notices, erasure_event_json(ev));
    return 0;
}

int erasure_export(struct node *n, int64_t after_seq, json_t **out, struct muster_err *err)
{
    struct export_ctx x = {n->origin, after_seq, json_array()};
    int rc = n->st->ops->event_scan(n->st, 0, export_one, &x, err);
    if (rc) {
        json_decref(x.notices);
        return rc;
    }
    *out = json_pack("{s:s, s:s, s:o}", "origin", n->origin, "nation", n->nation, "notices",
                     x.notices);
    return 0;
}

static int unhex(const char *s, uint8_t *out, size_t n)
{
    size_t got = 0;
    if (!s || strlen(s) != 2 * n || sodium_hex2bin(out, n, s, strlen(s), NULL, &got, NULL) != 0 ||
        got != n)
        return -1;
    return 0;
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

int erasure_event_check(struct node *n, json_t *e, const char *type, const char *what,
                        struct store_event *ev, struct muster_err *err)
{
    memset(ev, 0, sizeof *ev);
    const char *origin = jstr(e, "origin"), *nation = jstr(e, "nation");
    ev->actor = jstr(e, "actor");
    ev->type = jstr(e, "type");
    ev->body = jstr(e, "body");
    if (!origin || strlen(origin) != 32 || !nation || strlen(nation) != 3 || !ev->actor ||
        !ev->type || !ev->body || !json_is_integer(json_object_get(e, "seq")) ||
        !json_is_integer(json_object_get(e, "lamport")) ||
        !json_is_integer(json_object_get(e, "time_ms")) || unhex(jstr(e, "prev"), ev->prev, 32) ||
        unhex(jstr(e, "hash"), ev->hash, 32) || unhex(jstr(e, "sig"), ev->sig, 64))
        return err_set(err, MUSTER_EINVAL, "%s is not an exported event", what);
    if (strcmp(ev->type, type) != 0)
        return err_set(err, MUSTER_EINVAL, "%s is a %s event, not an %s", what, ev->type, type);
    memcpy(ev->origin, origin, 33);
    memcpy(ev->nation, nation, 4);
    ev->seq = json_integer_value(json_object_get(e, "seq"));
    ev->lamport = json_integer_value(json_object_get(e, "lamport"));
    ev->time_ms = json_integer_value(json_object_get(e, "time_ms"));
    ev->body_len = strlen(ev->body);
    if (strcmp(origin, n->origin) == 0)
        return err_set(err, MUSTER_EINVAL, "%s is this node's own", what);
    uint8_t pk[32], h[32];
    struct muster_err kerr;
    if (n->st->ops->node_key(n->st, origin, pk, &kerr))
        return err_set(err, MUSTER_ENOTFOUND,
                       "%s comes from node %s, which this node does not know "
                       "(muster erasure-notice trust)",
                       what, origin);
    ev_hash(ev, h);
    if (sodium_memcmp(h, ev->hash, 32) != 0)
        return err_set(err, MUSTER_ECRYPTO, "%s: its hash does not match its contents", what);
    if (crypto_sign_verify_detached(ev->sig, ev->hash, 32, pk) != 0)
        return err_set(err, MUSTER_ECRYPTO, "%s: the signature of node %s does not verify", what,
                       origin);
    return 0;
}

/* Reads and checks notice i of a file into ev (strings borrowed from e);
 * *body gets its parsed body. */
static int check_notice(struct node *n, json_t *e, size_t i, struct store_event *ev, json_t **body,
                        struct muster_err *err)
{
    char what[32];
    snprintf(what, sizeof what, "notice %zu", i);
    int rc = erasure_event_check(n, e, "erasure.notice", what, ev, err);
    if (rc)
        return rc;
    json_error_t jerr;
    *body = json_loads(ev->body, 0, &jerr);
    json_t *persons = json_object_get(*body, "persons"), *p;
    size_t k;
    int ok = json_is_array(persons) && jstr(*body, "reason");
    json_array_foreach(persons, k, p) ok &= json_is_string(p);
    if (!ok) {
        json_decref(*body);
        *body = NULL;
        return err_set(err, MUSTER_EINVAL, "notice %zu names no persons", i);
    }
    return 0;
}

static void applied_key(const struct store_event *ev, char *out, size_t cap)
{
    snprintf(out, cap, "erasure.%s.%lld", ev->origin, (long long)ev->seq);
}

/* Destroys the keys a checked notice names and records it. */
static int apply_notice(struct node *n, const char *actor, const struct store_event *ev,
                        json_t *body, int64_t *destroyed, struct muster_err *err)
{
    json_t *persons = json_object_get(body, "persons"), *p;
    size_t k;
    int rc = 0;
    json_array_foreach(persons, k, p)
    {
        uint8_t w[128];
        size_t len = 0;
        struct muster_err ignored;
        if (!rc &&
            n->st->ops->key_get(n->st, json_string_value(p), w, sizeof w, &len, &ignored) == 0)
            (*destroyed)++;
        if (!rc)
            rc = pii_destroy(n, json_string_value(p), err);
    }
    char hash[65];
    sodium_bin2hex(hash, sizeof hash, ev->hash, 32);
    json_t *rec =
        json_pack("{s:s, s:I, s:s, s:s, s:O}", "origin", ev->origin, "seq", (json_int_t)ev->seq,
                  "hash", hash, "reason", jstr(body, "reason"), "persons", persons);
    if (!rc)
        rc = ev_append(n, actor, NULL, "erasure.applied", rec, err);
    json_decref(rec);
    return rc;
}

int erasure_apply(struct node *n, const char *actor, json_t *file, json_t **summary,
                  struct muster_err *err)
{
    json_t *notices = json_object_get(file, "notices");
    if (!json_is_array(notices))
        return err_set(err, MUSTER_EINVAL, "not an erasure notice file (no \"notices\" array)");
    size_t count = json_array_size(notices);
    struct store_event *evs = calloc(count ? count : 1, sizeof *evs);
    json_t **bodies = calloc(count ? count : 1, sizeof *bodies);
    int rc = 0;
    for (size_t i = 0; !rc && i < count; i++)
        rc = check_notice(n, json_array_get(notices, i), i, &evs[i], &bodies[i], err);
    int64_t applied = 0, skipped = 0, destroyed = 0;
    for (size_t i = 0; !rc && i < count; i++) {
        char key[96], seen[80];
        struct muster_err ignored;
        applied_key(&evs[i], key, sizeof key);
        if (n->st->ops->meta_get(n->st, key, seen, sizeof seen, &ignored) == 0) {
            skipped++;
            continue;
        }
        rc = apply_notice(n, actor, &evs[i], bodies[i], &destroyed, err);
        applied++;
    }
    for (size_t i = 0; i < count; i++)
        json_decref(bodies[i]);
    free(bodies);
    free(evs);
    if (!rc && summary)
        *summary = json_pack("{s:I, s:I, s:I}", "applied", (json_int_t)applied, "skipped",
                             (json_int_t)skipped, "keys_destroyed", (json_int_t)destroyed);
    return rc;
}

json_t *erasure_identity(struct node *n)
{
    return json_pack("{s:s, s:s, s:o}", "origin", n->origin, "nation", n->nation, "pubkey",
                     hex(n->pk, 32));
}

int erasure_trust(struct node *n, const char *actor, const char *origin, const char *nation,
                  const char *pubkey_hex, struct muster_err *err)
{
    uint8_t pk[32];
    if (!origin || strlen(origin) != 32 || strspn(origin, "0123456789abcdef") != 32)
        return err_set(err, MUSTER_EINVAL, "origin must be a node id: 32 lower-case hex digits");
    if (!nation || strlen(nation) != 3 || strspn(nation, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
        return err_set(err, MUSTER_EINVAL, "nation must be an ISO alpha-3 code");
    if (unhex(pubkey_hex, pk, 32))
        return err_set(err, MUSTER_EINVAL, "pubkey must be 64 hex digits (an Ed25519 key)");
    if (strcmp(origin, n->origin) == 0)
        return err_set(err, MUSTER_ECONFLICT, "%s is this node", origin);
    uint8_t known[32];
    struct muster_err ignored;
    if (n->st->ops->node_key(n->st, origin, known, &ignored) == 0) {
        if (sodium_memcmp(known, pk, 32) != 0) /* its events here would no longer verify */
            return err_set(err, MUSTER_ECONFLICT, "node %s is known with another key", origin);
        return 0;
    }
    json_t *body =
        json_pack("{s:s, s:s, s:s}", "origin", origin, "nation", nation, "pubkey", pubkey_hex);
    int rc = n->st->ops->node_put(n->st, origin, nation, pk, err);
    if (!rc)
        rc = ev_append(n, actor, NULL, "node.trusted", body, err);
    json_decref(body);
    return rc;
}

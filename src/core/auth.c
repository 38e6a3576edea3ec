/* auth.c — see auth.h. */
#include "core/auth.h"

#include "core/events.h"
#include "util/timeutil.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[ROLE_COUNT] = {"admin", "officer", "field", "immigration",
                                                   "liaison"};

const char *auth_role_name(enum auth_role r)
{
    return r >= 0 && r < ROLE_COUNT ? role_names[r] : NULL;
}

int auth_role_parse(const char *s, enum auth_role *out)
{
    for (int i = 0; s && i < ROLE_COUNT; i++)
        if (strcmp(s, role_names[i]) == 0) {
            *out = (enum auth_role)i;
            return 0;
        }
    return -1;
}

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '_')
            return false;
    return true;
}

static void token_hash_raw(const char *token, uint8_t h[32])
{
    crypto_generichash(h, 32, (const uint8_t *)token, strlen(token), NULL, 0);
}

static void token_hash(const char *token, char out[65])
{
    uint8_t h[32];
    token_hash_raw(token, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* The points list as a JSON array text; -1 on a bad id. */
static json_t *points_array(const char *points)
{
    json_t *arr = json_array();
    while (points && *points) {
        size_t len = strcspn(points, ",");
        if (len == 0 || len > 32) {
            json_decref(arr);
            return NULL;
        }
        json_array_append_new(arr, json_stringn(points, len));
        points += len;
        if (*points == ',')
            points++;
    }
    return arr;
}

int auth_user_add(struct node *n, const char *actor, const char *name, const char *password,
                  const char *nation, const char *role, const char *points, struct muster_err *err)
{
    enum auth_role r;
    if (!name || !valid_name(name))
        return err_set(err, MUSTER_EINVAL, "user name must be 2-63 letters, digits, . - _");
    if (auth_role_parse(role, &r))
        return err_set(err, MUSTER_EINVAL,
                       "role must be admin, officer, field, immigration or liaison");
    if (!nation || strlen(nation) != 3 || !isupper((unsigned char)nation[0]) ||
        !isupper((unsigned char)nation[1]) || !isupper((unsigned char)nation[2]))
        return err_set(err, MUSTER_EINVAL, "nation must be an ISO alpha-3 code");
    if (!password || strlen(password) < 10)
        return err_set(err, MUSTER_EINVAL, "a password needs at least 10 characters");
    json_t *pts = points_array(points);
    if (!pts)
        return err_set(err, MUSTER_EINVAL, "points must be comma-separated assembly point ids");
    if (json_array_size(pts) > AUTH_MAX_POINTS) {
        json_decref(pts);
        return err_set(err, MUSTER_EINVAL, "at most %d assembly points per user", AUTH_MAX_POINTS);
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        json_decref(pts);
        return err_set(err, MUSTER_ENOMEM, "out of memory hashing the password");
    }
    char *ptext = json_dumps(pts, JSON_COMPACT);
    struct store_user u = {.name = name,
                           .nation = nation,
                           .role = role,
                           .points = ptext,
                           .pw_hash = hash,
                           .created_ms = time_now_ms()};
    json_t *body = json_pack("{s:s, s:s, s:s, s:o}", "name", name, "nation", nation, "role", role,
                             "points", pts);
    int rc = ev_begin(n, err);
    if (!rc)
        rc = n->st->ops->user_put(n->st, &u, err);
    if (!rc)
        rc = ev_append(n, actor, nation, "user.created", body, err);
    if (rc)
        ev_rollback(n);
    else
        rc = ev_commit(n, err);
    json_decref(body);
    free(ptext);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int auth_user_disable(struct node *n, const char *actor, const char *name, struct muster_err *err)
{
    struct arena a = {0};
    struct store_user u;
    int rc = ev_begin(n, err);
    if (!rc)
        rc = n->st->ops->user_get(n->st, name, &u, &a, err);
    if (!rc) {
        u.disabled = true;
        rc = n->st->ops->user_put(n->st, &u, err);
    }
    if (!rc) {
        json_t *body = json_pack("{s:s}", "name", name);
        rc = ev_append(n, actor, u.nation, "user.disabled", body, err);
        json_decref(body);
    }
    if (rc)
        ev_rollback(n);
    else
        rc = ev_commit(n, err);
    arena_free(&a);
    return rc;
}

static int64_t delay_for(int64_t failed)
{
    if (failed < 3)
        return 0;
    int64_t d = 250LL << (failed - 3 > 4 ? 4 : failed - 3);
    return d > 4000 ? 4000 : d;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* A hash of the cost of every account's, verified for unknown names. */
static void dummy_make(void)
{
    if (crypto_pwhash_str(dummy_hash, "muster-no-such-account", 22,
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

static int locked_error(int64_t wait_ms, struct muster_err *err)
{
    return err_set(err, MUSTER_EDENIED,
                   "account locked after repeated failed logins; try again in %lld minutes",
                   (long long)(wait_ms / 60000 + 1));
}

int auth_login(struct store *st, const char *name, const char *password, char token[65],
               int64_t *expires_ms, struct muster_err *err)
{
    struct arena a = {0};
    struct store_user u;
    int64_t now = time_now() * 1000;
    size_t plen = password ? strlen(password) : 0;
    int rc = st->ops->begin(st, err);
    if (rc)
        return rc;
    rc = st->ops->user_get(st, name ? name : "", &u, &a, err);
    if (rc == MUSTER_ENOTFOUND) {
        /* the same work and answer as a wrong password: who exists stays
         * unknown (auth_throttle gives both the same delays and lock) */
        pthread_once(&dummy_once, dummy_make);
        if (crypto_pwhash_str_verify(dummy_hash, password ? password : "", plen) == 0)
            dummy_hash[0] = '\0'; /* unreachable: nobody knows the dummy password */
        st->ops->rollback(st);
        arena_free(&a);
        return err_set(err, MUSTER_EDENIED, "wrong user name or password");
    }
    if (rc)
        goto fail;
    /* the password first: a disabled or locked account says so only after
     * the same work as any other attempt */
    bool right = password && crypto_pwhash_str_verify(u.pw_hash, password, plen) == 0;
    if (u.locked_until > now) {
        rc = locked_error(u.locked_until - now, err);
        goto fail;
    }
    if (!right) {
        int64_t failed = u.failed + 1;
        int64_t locked = failed >= AUTH_LOCK_AFTER ? now + AUTH_LOCK_MS : 0;
        st->ops->user_login_result(st, u.name, failed, locked, err);
        st->ops->commit(st, err);
        arena_free(&a);
        return err_set(err, MUSTER_EDENIED, "wrong user name or password");
    }
    if (u.disabled) {
        rc = err_set(err, MUSTER_EDENIED, "this account is disabled");
        goto fail;
    }
    uint8_t raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, 65, raw, sizeof raw);
    char th[65];
    token_hash(token, th);
    struct store_session s = {
        .token_hash = th, .user = u.name, .expires_ms = now + AUTH_SESSION_MS};
    rc = st->ops->user_login_result(st, u.name, 0, 0, err);
    if (!rc)
        rc = st->ops->session_put(st, &s, err);
    if (rc)
        goto fail;
    rc = st->ops->commit(st, err);
    *expires_ms = s.expires_ms;
    arena_free(&a);
    return rc;
fail:
    st->ops->rollback(st);
    arena_free(&a);
    return rc;
}

/* --- failed logins by name ------------------------------------------------ */

#define THROTTLE_SLOTS 4096
#define THROTTLE_PROBE 8

struct throttle_entry {
    char name[64]; /* "" when free */
    int64_t failed, next_ms, locked_until, last_ms;
};

struct auth_throttle {
    pthread_mutex_t lock;
    struct throttle_entry e[THROTTLE_SLOTS];
};

struct auth_throttle *auth_throttle_new(void)
{
    struct auth_throttle *t = calloc(1, sizeof *t);
    if (t)
        pthread_mutex_init(&t->lock, NULL);
    return t;
}

void auth_throttle_free(struct auth_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->lock);
    free(t);
}

/* The entry of name, or (create) a new one in place of a free, forgotten
 * or else the oldest entry of its probe run; NULL when absent. */
static struct throttle_entry *throttle_find(struct auth_throttle *t, const char *name, int64_t now,
                                            bool create)
{
    uint32_t h = 2166136261u;
    for (const char *c = name; *c && c - name < 63; c++)
        h = (h ^ (uint8_t)*c) * 16777619u;
    struct throttle_entry *victim = NULL;
    int64_t victim_age = INT64_MAX;
    for (int i = 0; i < THROTTLE_PROBE; i++) {
        struct throttle_entry *e = &t->e[(h + (uint32_t)i) % THROTTLE_SLOTS];
        if (e->name[0] && !strncmp(e->name, name, sizeof e->name - 1))
            return e;
        bool forgotten = !e->name[0] || (e->last_ms + AUTH_LOCK_MS < now && e->locked_until < now);
        int64_t age = forgotten ? INT64_MIN : e->last_ms;
        if (age < victim_age) {
            victim = e;
            victim_age = age;
        }
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof *victim);
    snprintf(victim->name, sizeof victim->name, "%s", name);
    return victim;
}

int auth_throttle_check(struct auth_throttle *t, const char *name, int64_t now_ms,
                        int64_t *retry_ms, struct muster_err *err)
{
    *retry_ms = 0;
    pthread_mutex_lock(&t->lock);
    struct throttle_entry *e = throttle_find(t, name ? name : "", now_ms, false);
    int rc = 0;
    if (e && e->locked_until > now_ms)
        rc = locked_error(e->locked_until - now_ms, err);
    else if (e && e->next_ms > now_ms) {
        *retry_ms = e->next_ms - now_ms;
        rc = err_set(err, MUSTER_EDENIED,
                     "too many failed logins for this account: wait %lld s before the next try",
                     (long long)((*retry_ms + 999) / 1000));
    }
    pthread_mutex_unlock(&t->lock);
    return rc;
}

void auth_throttle_result(struct auth_throttle *t, const char *name, bool ok, int64_t now_ms)
{
    pthread_mutex_lock(&t->lock);
    struct throttle_entry *e = throttle_find(t, name ? name : "", now_ms, !ok);
    if (e && ok)
        memset(e, 0, sizeof *e);
    else if (e) {
        e->failed++;
        e->last_ms = now_ms;
        e->next_ms = now_ms + delay_for(e->failed);
        e->locked_until = e->failed >= AUTH_LOCK_AFTER ? now_ms + AUTH_LOCK_MS : 0;
    }
    pthread_mutex_unlock(&t->lock);
}

/* auth_session, also giving the session's expiry. */
static int session_lookup(struct store *st, const char *token, struct principal *who,
                          int64_t *expires_ms, struct muster_err *err)
{
    if (!token || strlen(token) != 64)
        return err_set(err, MUSTER_EDENIED, "missing or malformed bearer token");
    char th[65];
    token_hash(token, th);
    struct arena a = {0};
    struct store_session s;
    struct store_user u;
    int rc = st->ops->session_get(st, th, &s, &a, err);
    if (rc == 0 && (s.revoked || s.expires_ms <= time_now() * 1000))
        rc = err_set(err, MUSTER_EDENIED, "session expired or logged out");
    if (rc == 0)
        rc = st->ops->user_get(st, s.user, &u, &a, err);
    if (rc == 0 && u.disabled)
        rc = err_set(err, MUSTER_EDENIED, "this account is disabled");
    if (rc == 0) {
        *expires_ms = s.expires_ms;
        memset(who, 0, sizeof *who);
        snprintf(who->user, sizeof who->user, "%s", u.name);
        snprintf(who->nation, sizeof who->nation, "%s", u.nation);
        if (auth_role_parse(u.role, &who->role))
            rc = err_set(err, MUSTER_EDENIED, "account has an unknown role");
        json_t *pts = json_loads(u.points ? u.points : "[]", 0, NULL);
        size_t i;
        json_t *v;
        json_array_foreach(pts, i, v)
        {
            if (who->npoints < AUTH_MAX_POINTS)
                snprintf(who->points[who->npoints++], 33, "%s", json_string_value(v));
        }
        json_decref(pts);
    } else if (rc == MUSTER_ENOTFOUND) {
        rc = err_set(err, MUSTER_EDENIED, "unknown session");
    }
    arena_free(&a);
    return rc;
}

int auth_session(struct store *st, const char *token, struct principal *who, struct muster_err *err)
{
    int64_t expires;
    return session_lookup(st, token, who, &expires, err);
}

int auth_logout(struct store *st, const char *token, struct muster_err *err)
{
    if (!token || strlen(token) != 64)
        return err_set(err, MUSTER_EDENIED, "missing or malformed bearer token");
    char th[65];
    token_hash(token, th);
    /* in a transaction: a write never runs inside a request's read snapshot */
    int rc = st->ops->begin(st, err);
    if (rc)
        return rc;
    rc = st->ops->session_revoke(st, th, err);
    if (rc) {
        st->ops->rollback(st);
        return rc;
    }
    return st->ops->commit(st, err);
}

/* --- the session cache --------------------------------------------------- */

#define CACHE_SLOTS 512 /* a power of two; a full slot is simply replaced */

struct cached_session {
    uint8_t hash[32];   /* BLAKE2b of the token; all zero: empty */
    double fresh_until; /* time_mono() until which the entry answers */
    int64_t expires_ms; /* the session's own expiry */
    struct principal who;
};

struct auth_cache {
    pthread_mutex_t lock;
    uint64_t logouts; /* a lookup that overlapped a logout is not kept */
    struct cached_session slot[CACHE_SLOTS];
};

struct auth_cache *auth_cache_new(void)
{
    struct auth_cache *c = calloc(1, sizeof *c);
    if (c)
        pthread_mutex_init(&c->lock, NULL);
    return c;
}

void auth_cache_free(struct auth_cache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    sodium_memzero(c, sizeof *c);
    free(c);
}

static struct cached_session *slot_of(struct auth_cache *c, const uint8_t h[32])
{
    uint32_t i;
    memcpy(&i, h, sizeof i);
    return &c->slot[i & (CACHE_SLOTS - 1)];
}

int auth_session_cached(struct auth_cache *c, struct store *st, const char *token,
                        struct principal *who, struct muster_err *err)
{
    if (!c || !token || strlen(token) != 64)
        return auth_session(st, token, who, err);
    uint8_t h[32];
    token_hash_raw(token, h);
    double now = time_mono();
    int64_t now_ms = time_now() * 1000;
    struct cached_session *e = slot_of(c, h);
    pthread_mutex_lock(&c->lock);
    bool hit = e->fresh_until > now && e->expires_ms > now_ms && sodium_memcmp(e->hash, h, 32) == 0;
    if (hit)
        *who = e->who;
    uint64_t logouts = c->logouts;
    pthread_mutex_unlock(&c->lock);
    if (hit)
        return 0;
    int64_t expires;
    int rc = session_lookup(st, token, who, &expires, err);
    pthread_mutex_lock(&c->lock);
    if (rc == 0 && c->logouts == logouts) {
        memcpy(e->hash, h, 32);
        e->fresh_until = now + AUTH_CACHE_MS / 1000.0;
        e->expires_ms = expires;
        e->who = *who;
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int auth_cache_logout(struct auth_cache *c, struct store *st, const char *token,
                      struct muster_err *err)
{
    /* revoke first: a lookup that starts after the entry is dropped must
     * find the session revoked in the store */
    int rc = auth_logout(st, token, err);
    if (c && token && strlen(token) == 64) {
        uint8_t h[32];
        token_hash_raw(token, h);
        struct cached_session *e = slot_of(c, h);
        pthread_mutex_lock(&c->lock);
        c->logouts++;
        if (sodium_memcmp(e->hash, h, 32) == 0)
            memset(e, 0, sizeof *e);
        pthread_mutex_unlock(&c->lock);
    }
    return rc;
}

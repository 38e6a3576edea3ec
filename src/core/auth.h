/* auth.h — accounts, passwords and sessions.
 *
 * A user belongs to one nation and has one role. Passwords are hashed with
 * Argon2id (libsodium crypto_pwhash_str). A login returns a random 256-bit
 * bearer token; only its BLAKE2b hash is stored, with an expiry (12 hours)
 * and a revocation flag. Failed logins are counted per name, known or not
 * (auth_throttle): from the third on, the next try must wait, and after ten
 * the name is locked for 15 minutes (a known account in the store too). */
#ifndef MUSTER_CORE_AUTH_H
#define MUSTER_CORE_AUTH_H

#include "core/node.h"
#include "store/store.h"
#include "util/err.h"

#include <stdbool.h>
#include <stdint.h>

enum auth_role { ROLE_ADMIN, ROLE_OFFICER, ROLE_FIELD, ROLE_IMMIGRATION, ROLE_LIAISON, ROLE_COUNT };

#define AUTH_MAX_POINTS 16
#define AUTH_SESSION_MS (12LL * 3600 * 1000)
#define AUTH_LOCK_AFTER 10
#define AUTH_LOCK_MS    (15LL * 60 * 1000)

/* Who is calling: resolved from a bearer token for every request. */
struct principal {
    char user[64];
    char nation[4];
    enum auth_role role;
    char points[AUTH_MAX_POINTS][33]; /* assembly points of a field officer */
    int npoints;
};

/* "admin", "officer", ... for a role; NULL for an invalid one. */
const char *auth_role_name(enum auth_role r);
/* Parses a role name; returns 0 or -1. */
int auth_role_parse(const char *s, enum auth_role *out);

/* Creates or replaces a user (one user.created event for the audit trail;
 * the password hash is kept only in the node's account table). points is a
 * comma-separated list of assembly point ids (field officers), or NULL. */
int auth_user_add(struct node *n, const char *actor, const char *name, const char *password,
                  const char *nation, const char *role, const char *points, struct muster_err *err);
/* Disables a user and so every session of theirs (one user.disabled event). */
int auth_user_disable(struct node *n, const char *actor, const char *name, struct muster_err *err);

/* Checks a password. On success writes a new token (64 hex chars + NUL)
 * and its expiry. On failure returns MUSTER_EDENIED with a reason that does
 * not say whether the user exists: an unknown name costs the same Argon2id
 * verification (against a dummy hash) and gets the same answer as a wrong
 * password; a locked or disabled account is told so only after the same
 * work. Writes to the store (counters, session). Never waits: delays are
 * auth_throttle's. */
int auth_login(struct store *st, const char *name, const char *password, char token[65],
               int64_t *expires_ms, struct muster_err *err);

/* A server's count of failed logins by name, for every name tried, known or
 * not, so that delays and locks cannot tell them apart: from the third
 * failure in a row a name must wait before its next try (250 ms doubling, up
 * to 4 s), and after AUTH_LOCK_AFTER it is locked for AUTH_LOCK_MS, as an
 * account is in the store. A try too early is refused at once, without
 * checking the password, so nothing ever sleeps. Bounded (4096 names; the
 * oldest are forgotten first); safe from several threads. */
struct auth_throttle;
/* A new, empty table; NULL when out of memory. */
struct auth_throttle *auth_throttle_new(void);
void auth_throttle_free(struct auth_throttle *t);
/* Before a login for name at now_ms: 0 when it may be tried now; else
 * MUSTER_EDENIED with the reason, and *retry_ms > 0 when the name is slowed
 * (the caller answers 429 with Retry-After) or 0 when it is locked. */
int auth_throttle_check(struct auth_throttle *t, const char *name, int64_t now_ms,
                        int64_t *retry_ms, struct muster_err *err);
/* After a login for name that was tried: ok forgets the name's failures;
 * a failure counts one more. */
void auth_throttle_result(struct auth_throttle *t, const char *name, bool ok, int64_t now_ms);

/* Resolves a bearer token into who; MUSTER_EDENIED when unknown, expired,
 * revoked or the user is disabled. */
int auth_session(struct store *st, const char *token, struct principal *who,
                 struct muster_err *err);
/* Revokes a token. */
int auth_logout(struct store *st, const char *token, struct muster_err *err);

/* A server's memory of sessions it resolved lately, so that a request does
 * not look its token up in the store each time: an entry answers for
 * AUTH_CACHE_MS after the lookup, never past the session's expiry, and a
 * logout through auth_cache_logout drops it at once. A revocation made
 * elsewhere (a user disabled from the command line, a logout on another
 * server over the same database) is seen within AUTH_CACHE_MS. Safe to use
 * from several threads. */
#define AUTH_CACHE_MS 1000
struct auth_cache;
/* A new, empty cache; NULL when out of memory. Free with auth_cache_free. */
struct auth_cache *auth_cache_new(void);
void auth_cache_free(struct auth_cache *c);
/* auth_session through the cache (c may be NULL: no cache). */
int auth_session_cached(struct auth_cache *c, struct store *st, const char *token,
                        struct principal *who, struct muster_err *err);
/* auth_logout that also forgets the token in the cache. */
int auth_cache_logout(struct auth_cache *c, struct store *st, const char *token,
                      struct muster_err *err);

#endif

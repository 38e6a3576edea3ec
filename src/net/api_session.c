/* api_session.c — health, metrics, login, logout, who am I. */
#include "net/api.h"

#include "util/timeutil.h"

void api_health(struct request *r)
{
    http_json(r, 200,
              json_pack("{s:s, s:I}", "status", "ok", "events",
                        (json_int_t)r->st->ops->event_count(r->st)));
}

void api_metrics(struct request *r)
{
    struct buf b = {0};
    http_metrics_text(r->srv, r->st, &b);
    http_bytes(r, 200, "text/plain; version=0.0.4", b.data ? b.data : "", b.len, NULL);
    buf_free(&b);
}

/* The actions of access.h by name, for "may" in /me: the web UI shows a page
 * only when the role allows what it does (the API still checks each call). */
static const struct {
    enum access_action act;
    const char *name;
} action_names[] = {
    {ACT_READ_REGISTRY, "read_registry"},
    {ACT_WRITE_REGISTRY, "write_registry"},
    {ACT_READ_OPERATIONS, "read_operations"},
    {ACT_WRITE_OPERATIONS, "write_operations"},
    {ACT_CHECKIN, "checkin"},
    {ACT_BOARD, "board"},
    {ACT_CLEARANCE, "clearance"},
    {ACT_MANIFEST, "manifest"},
    {ACT_AUDIT, "audit"},
    {ACT_MANAGE_USERS, "manage_users"},
};

static json_t *who_json(const struct principal *w)
{
    json_t *pts = json_array();
    for (int i = 0; i < w->npoints; i++)
        json_array_append_new(pts, json_string(w->points[i]));
    json_t *may = json_array();
    for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
        if (access_may(w, action_names[i].act))
            json_array_append_new(may, json_string(action_names[i].name));
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "name", w->user, "nation", w->nation, "role",
                     auth_role_name(w->role), "points", pts, "may", may);
}

struct login_job {
    json_t *body; /* user and password point into it */
    const char *user, *password;
    struct auth_throttle *throttle;
    char token[65];
    int64_t expires;
};

/* On a thread of the slow pool: the Argon2id check and its bookkeeping. */
static int check_password(struct node *n, void *arg, struct muster_err *err)
{
    struct login_job *j = arg;
    int rc = auth_login(n->st, j->user, j->password, j->token, &j->expires, err);
    /* the wait runs from the answer, not from the question */
    auth_throttle_result(j->throttle, j->user, rc == 0, time_now_ms());
    return rc;
}

static void after_login(struct request *r, int rc, const struct muster_err *err)
{
    struct login_job *j = r->write_arg;
    json_decref(j->body);
    if (rc == MUSTER_EDENIED) {
        http_error(r, 401, "unauthorized", "%s", err->msg);
        return;
    }
    if (rc) {
        http_fail(r, err);
        return;
    }
    struct principal who;
    struct muster_err e;
    if (auth_session(r->st, j->token, &who, &e)) {
        http_fail(r, &e);
        return;
    }
    http_json(r, 200,
              json_pack("{s:s, s:I, s:o}", "token", j->token, "expires_ms", (json_int_t)j->expires,
                        "user", who_json(&who)));
}

void api_login(struct request *r)
{
    static const char *const fields[] = {"user", "password", NULL};
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    const char *user = json_string_value(json_object_get(b, "user"));
    const char *password = json_string_value(json_object_get(b, "password"));
    if (!user || !password) {
        json_decref(b);
        http_error(r, 400, "invalid", "user and password are required strings");
        return;
    }
    /* a name tried too often waits, without holding a thread: the answer
     * comes at once and says when to try again */
    int64_t retry_ms;
    struct muster_err err;
    struct auth_throttle *t = http_logins(r->srv);
    if (auth_throttle_check(t, user, time_now_ms(), &retry_ms, &err)) {
        json_decref(b);
        r->retry_after = (int)((retry_ms + 999) / 1000);
        if (retry_ms > 0)
            http_error(r, 429, "too_many_requests", "%s", err.msg);
        else
            http_error(r, 401, "unauthorized", "%s", err.msg);
        return;
    }
    /* the Argon2id check runs off the server's pool threads */
    struct login_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct login_job){.body = b, .user = user, .password = password, .throttle = t};
    if (http_offload(r, check_password, j, after_login))
        json_decref(b);
}

void api_logout(struct request *r)
{
    if (!http_no_body(r))
        return;
    struct muster_err err;
    if (auth_cache_logout(http_sessions(r->srv), r->st, http_bearer(r), &err)) {
        http_fail(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:b}", "logged_out", 1));
}

void api_me(struct request *r)
{
    http_json(r, 200, who_json(&r->who));
}

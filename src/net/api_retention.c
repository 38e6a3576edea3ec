/* api_retention.c — /api/v1/operations/{operation}/retention: the retention
 * periods per data class of an operation (core/retention.h). */
#include "core/retention.h"
#include "net/api.h"

#include <string.h>

void api_retention_get(struct request *r)
{
    struct store_operation o;
    if (!api_may(r, ACT_READ_OPERATIONS) || api_load_operation(r, r->params[0], &o))
        return;
    struct muster_err err;
    json_t *out = ret_json_store(r->st, o.id, &err);
    if (!out)
        http_fail(r, &err);
    else
        http_json(r, 200, out);
}

struct retention_job {
    json_t *body;
    const char *op, *nation, *actor;
};

static int write_retention(struct node *n, void *arg, struct muster_err *err)
{
    struct retention_job *j = arg;
    return ret_set(n, j->actor, j->nation, j->op, j->body, err);
}

static void after_retention(struct request *r, int rc, const struct muster_err *err)
{
    struct retention_job *j = r->write_arg;
    json_decref(j->body);
    struct muster_err e;
    json_t *out = rc ? NULL : ret_json_store(r->st, j->op, &e);
    if (rc)
        http_fail(r, err);
    else if (!out)
        http_fail(r, &e);
    else
        http_json(r, 200, out);
}

void api_retention_put(struct request *r)
{
    static const char *const fields[] = {"registry_days", "partner_days", "clearance_days", NULL};
    struct store_operation o;
    struct muster_err err;
    if (!api_may(r, ACT_WRITE_OPERATIONS) || api_load_operation(r, r->params[0], &o) ||
        !api_allowed(r, access_operation_manage(&r->who, &o, &err), &err))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    struct retention_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct retention_job){b, o.id, r->who.nation, arena_strdup(&r->arena, r->who.user)};
    http_write(r, write_retention, j, after_retention);
}

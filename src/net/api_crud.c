/* api_crud.c — the reads, changes and deletes the other handlers lacked:
 * one assembly point, deleting one, changing a leg, an operation's
 * households. Each change is one event (core/operation.h); who may is
 * decided in core/access.c, as for every other handler. */
#include "net/api.h"

#include "core/operation.h"
#include "core/registry.h"

#include <string.h>

void api_point_get(struct request *r)
{
    struct store_point p;
    struct store_operation o;
    if (!api_may(r, ACT_READ_OPERATIONS) || api_load_point(r, &p, &o))
        return;
    http_json(r, 200, api_point_json(&p));
}

struct crud_job {
    json_t *body;
    const char *actor, *id;
};

static int write_point_delete(struct node *n, void *arg, struct muster_err *err)
{
    struct crud_job *j = arg;
    return op_delete_point(n, j->actor, j->id, err);
}

static void after_delete(struct request *r, int rc, const struct muster_err *err)
{
    struct crud_job *j = r->write_arg;
    if (rc)
        http_fail(r, err);
    else
        http_json(r, 200, json_pack("{s:s, s:b}", "id", j->id, "deleted", 1));
}

void api_point_delete(struct request *r)
{
    if (!api_may(r, ACT_WRITE_OPERATIONS))
        return;
    struct store_point p;
    struct store_operation o;
    struct muster_err err;
    if (api_load_point(r, &p, &o) ||
        !api_allowed(r, access_operation_manage(&r->who, &o, &err), &err))
        return;
    struct crud_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct crud_job){NULL, arena_strdup(&r->arena, r->who.user), p.id};
    http_write(r, write_point_delete, j, after_delete);
}

static int write_leg_update(struct node *n, void *arg, struct muster_err *err)
{
    struct crud_job *j = arg;
    return op_update_leg(n, j->actor, j->id, j->body, err);
}

static void after_leg_update(struct request *r, int rc, const struct muster_err *err)
{
    struct crud_job *j = r->write_arg;
    json_decref(j->body);
    struct store_leg l;
    struct muster_err e;
    if (rc)
        http_fail(r, err);
    else if (r->st->ops->leg_get(r->st, j->id, &l, &r->arena, &e))
        http_fail(r, &e);
    else
        http_json(r, 200, api_leg_load_json(r, &l));
}

void api_leg_update(struct request *r)
{
    static const char *const fields[] = {"vehicle", "seats",       "stretchers", "point", "departs",
                                         "arrives", "destination", "carries",    NULL};
    struct store_leg l;
    if (api_load_leg_to_manage(r, &l))
        return;
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    if (json_object_size(b) == 0) {
        json_decref(b);
        http_error(r, 400, "invalid", "nothing to change");
        return;
    }
    struct crud_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct crud_job){b, arena_strdup(&r->arena, r->who.user), l.id};
    http_write(r, write_leg_update, j, after_leg_update);
}

void api_households_list(struct request *r)
{
    struct store_operation o;
    if (!api_may(r, ACT_READ_REGISTRY) || api_load_operation(r, r->params[0], &o))
        return;
    struct store_household *hs;
    size_t n;
    struct muster_err err;
    /* a nation lists the households it registered; a partner reaches the
     * people it may see through their legs, never the registry */
    if (r->st->ops->household_list(r->st, o.id, r->who.nation, &hs, &n, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I}", "id", hs[i].id, "operation",
                                           hs[i].operation, "nation", hs[i].nation, "size",
                                           (json_int_t)hs[i].size));
    http_json(r, 200, json_pack("{s:s, s:o}", "operation", o.id, "households", a));
}

static int write_household_delete(struct node *n, void *arg, struct muster_err *err)
{
    struct crud_job *j = arg;
    return reg_delete_household(n, j->actor, j->id, err);
}

void api_household_delete(struct request *r)
{
    if (!api_may(r, ACT_WRITE_REGISTRY))
        return;
    struct store_household h;
    struct muster_err err;
    if (r->st->ops->household_get(r->st, r->params[0], &h, &r->arena, &err)) {
        http_error(r, 404, "not_found", "no household %s", r->params[0]);
        return;
    }
    if (!api_allowed(r, access_household_edit(&r->who, &h, &err), &err))
        return;
    struct crud_job *j = arena_alloc(&r->arena, sizeof *j);
    *j = (struct crud_job){NULL, arena_strdup(&r->arena, r->who.user), h.id};
    http_write(r, write_household_delete, j, after_delete);
}

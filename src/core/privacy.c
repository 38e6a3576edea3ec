/* privacy.c — see privacy.h. */
#include "core/privacy.h"

#include "core/erasure.h"
#include "core/events.h"
#include "core/pii.h"

#include <string.h>

int privacy_erase(struct node *n, const char *actor, const char *id, const char *reason,
                  struct muster_err *err)
{
    if (!reason || !*reason)
        return err_set(err, MUSTER_EINVAL, "an erasure needs a reason");
    struct arena a = {0};
    struct store_person p;
    int rc = n->st->ops->person_get(n->st, id, &p, &a, err);
    if (!rc) {
        json_t *body =
            json_pack("{s:s, s:s, s:s}", "id", id, "household", p.household, "reason", reason);
        rc = ev_append(n, actor, p.nation, "person.erased", body, err);
        json_decref(body);
    }
    if (!rc)
        rc = pii_destroy(n, id, err);
    if (!rc) { /* for the peers that hold a copy (core/erasure.h) */
        json_t *persons = json_pack("[s]", id);
        rc = erasure_notice(n, actor, p.nation, persons, "request", p.operation, err);
        json_decref(persons);
    }
    arena_free(&a);
    return rc;
}

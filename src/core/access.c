/* access.c — see access.h. */
#include "core/access.h"

#include <math.h>
#include <string.h>

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool status_in(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (is(s, *set))
            return true;
    return false;
}

static const char *const carrying[] = {"allocated", "notified", "confirmed", "checked_in",
                                       "boarded",   "departed", NULL};
static const char *const arriving[] = {"allocated",     "notified", "confirmed", "checked_in",
                                       "boarded",       "departed", "arrived",   "cleared",
                                       "refused_entry", NULL};

enum access_view access_person(const struct principal *who, const struct store_person *p,
                               const struct store_leg *leg)
{
    if (is(p->nation, who->nation) || is(p->nationality, who->nation))
        return VIEW_FULL;
    if (!leg || !is(p->leg, leg->id) || is(leg->status, "cancelled"))
        return VIEW_NONE;
    if (is(leg->destination_country, who->nation) && status_in(p->status, arriving))
        return VIEW_PARTNER;
    if (p->consent && is(leg->operator_nation, who->nation) && status_in(p->status, carrying))
        return VIEW_PARTNER;
    return VIEW_NONE;
}

void access_redact(enum access_view view, struct store_person *p)
{
    if (view == VIEW_FULL)
        return;
    if (view == VIEW_NONE) {
        memset(p, 0, sizeof *p);
        p->lat = p->lon = NAN;
        return;
    }
    p->phone = p->email = p->address = NULL;
    p->lat = p->lon = NAN;
    p->priority_override = NULL;
    p->native_name = NULL; /* not needed to carry or admit */
}

bool access_history_event(const struct principal *who, enum access_view view, const char *type,
                          const char *nation, bool *actor)
{
    *actor = is(nation, who->nation);
    if (view == VIEW_NONE)
        return false;
    if (strncmp(type, "clearance.", 10) == 0)
        return is(nation, who->nation);
    if (view == VIEW_PARTNER)
        return is(type, "person.status");
    return true;
}

bool access_may(const struct principal *who, enum access_action act)
{
    switch (who->role) {
    case ROLE_ADMIN:
        return true;
    case ROLE_OFFICER:
        return act != ACT_MANAGE_USERS && act != ACT_CLEARANCE && act != ACT_READ_AUDIT;
    case ROLE_FIELD:
        return act == ACT_READ_REGISTRY || act == ACT_READ_OPERATIONS || act == ACT_CHECKIN ||
               act == ACT_BOARD || act == ACT_MANIFEST;
    case ROLE_IMMIGRATION:
        return act == ACT_READ_REGISTRY || act == ACT_READ_OPERATIONS || act == ACT_CLEARANCE ||
               act == ACT_MANIFEST;
    case ROLE_LIAISON:
        return act == ACT_READ_REGISTRY || act == ACT_READ_OPERATIONS || act == ACT_MANIFEST;
    default:
        return false;
    }
}

bool access_at_point(const struct principal *who, const char *point)
{
    if (who->role != ROLE_FIELD)
        return true;
    for (int i = 0; i < who->npoints; i++)
        if (is(who->points[i], point))
            return true;
    return false;
}

bool access_leg(const struct principal *who, const struct store_leg *leg,
                const struct store_operation *op)
{
    if (op && (is(op->nation, who->nation) || (op->partners && strstr(op->partners, who->nation))))
        return true;
    return is(leg->operator_nation, who->nation) || is(leg->destination_country, who->nation) ||
           (leg->carries && strstr(leg->carries, who->nation));
}

bool access_ledger_row(const struct principal *who, const char *carrier, const char *nationality)
{
    return is(carrier, who->nation) || is(nationality, who->nation);
}

/* access.c — see access.h. */
#include "core/access.h"

#include <math.h>
#include <stdio.h>
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

/* True when the JSON array of codes list (["KOR","JPN"]) holds code. */
static bool listed(const char *list, const char *code)
{
    char quoted[8];
    if (!list || !code || strlen(code) > 4)
        return false;
    snprintf(quoted, sizeof quoted, "\"%s\"", code);
    return strstr(list, quoted) != NULL;
}

static int role_denied(const struct principal *who, struct muster_err *err)
{
    return err_set(err, MUSTER_EDENIED, "the %s role may not do this", auth_role_name(who->role));
}

bool access_operation_view(const struct principal *who, const struct store_operation *o)
{
    return is(o->nation, who->nation) || listed(o->partners, who->nation);
}

int access_operation_manage(const struct principal *who, const struct store_operation *o,
                            struct muster_err *err)
{
    if (!access_may(who, ACT_WRITE_OPERATIONS))
        return role_denied(who, err);
    if (!access_operation_view(who, o))
        return err_set(err, MUSTER_ENOTFOUND, "no operation %s", o->id);
    if (!is(o->nation, who->nation))
        return err_set(err, MUSTER_EDENIED, "only %s, which runs operation %s, changes or plans it",
                       o->nation, o->id);
    return 0;
}

int access_job_view(const struct principal *who, const struct store_operation *o,
                    struct muster_err *err)
{
    return access_operation_manage(who, o, err);
}

bool access_leg(const struct principal *who, const struct store_leg *leg,
                const struct store_operation *op)
{
    if (op && access_operation_view(who, op))
        return true;
    return is(leg->operator_nation, who->nation) || is(leg->destination_country, who->nation) ||
           listed(leg->carries, who->nation);
}

int access_leg_manage(const struct principal *who, const struct store_leg *leg,
                      struct muster_err *err)
{
    if (!access_may(who, ACT_WRITE_OPERATIONS))
        return role_denied(who, err);
    if (!is(leg->operator_nation, who->nation))
        return err_set(err, MUSTER_ENOTFOUND, "no leg %s operated by %s", leg->id, who->nation);
    return 0;
}

int access_clearance_leg(const struct principal *who, const struct store_leg *leg,
                         struct muster_err *err)
{
    if (!access_may(who, ACT_CLEARANCE))
        return role_denied(who, err);
    if (!is(leg->destination_country, who->nation))
        return err_set(err, MUSTER_ENOTFOUND, "no leg %s arriving in %s", leg->id, who->nation);
    return 0;
}

bool access_clearance_decision(const struct principal *who, const char *nation)
{
    return is(nation, who->nation);
}

int access_person_edit(const struct principal *who, const struct store_person *p,
                       struct muster_err *err)
{
    if (!access_may(who, ACT_WRITE_REGISTRY))
        return role_denied(who, err);
    if (!is(p->nation, who->nation))
        return err_set(err, MUSTER_EDENIED, "only %s, which registered %s, changes them", p->nation,
                       p->id);
    return 0;
}

int access_household_edit(const struct principal *who, const struct store_household *h,
                          struct muster_err *err)
{
    if (!access_may(who, ACT_WRITE_REGISTRY))
        return role_denied(who, err);
    if (!is(h->nation, who->nation))
        return err_set(err, MUSTER_ENOTFOUND, "no household %s", h->id);
    return 0;
}

int access_person_copy(const struct principal *who, const struct store_person *p,
                       struct muster_err *err)
{
    if (!access_may(who, ACT_PERSON_COPY))
        return role_denied(who, err);
    if (!is(p->nation, who->nation))
        return err_set(err, MUSTER_EDENIED, "only %s, which registered %s, exports their copy",
                       p->nation, p->id);
    return 0;
}

int access_person_reads(const struct principal *who, enum access_view v,
                        const struct store_person *p, struct muster_err *err)
{
    if (!access_may(who, ACT_READ_AUDIT))
        return role_denied(who, err);
    if (v != VIEW_FULL)
        return err_set(err, MUSTER_EDENIED, "only %s, which sees %s in full, reads who saw them",
                       p->nation, p->id);
    return 0;
}

enum access_action access_status_action(const char *to)
{
    static const char *const board[] = {"boarded", "departed", NULL};
    static const char *const admit[] = {"arrived", "cleared", "refused_entry", NULL};
    if (status_in(to, board))
        return ACT_BOARD;
    if (status_in(to, admit))
        return ACT_CLEARANCE;
    return ACT_WRITE_REGISTRY;
}

int access_status_change(const struct principal *who, const struct store_person *p,
                         const struct store_leg *leg, const char *to, struct muster_err *err)
{
    enum access_action act = access_status_action(to);
    if (!access_may(who, act))
        return role_denied(who, err);
    enum access_view v = access_person(who, p, leg);
    if (v == VIEW_NONE)
        return err_set(err, MUSTER_ENOTFOUND, "no person %s", p->id);
    if (act == ACT_WRITE_REGISTRY && v != VIEW_FULL)
        return err_set(err, MUSTER_EDENIED, "only %s may change %s's registration", p->nation,
                       p->id);
    if (act != ACT_WRITE_REGISTRY && (!leg || !is(p->leg, leg->id)))
        return err_set(err, MUSTER_EDENIED, "%s is on no leg", p->id);
    if (act == ACT_BOARD && v != VIEW_FULL && !is(leg->operator_nation, who->nation))
        return err_set(err, MUSTER_EDENIED, "only %s, which operates leg %s, boards it",
                       leg->operator_nation, leg->id);
    if (act == ACT_BOARD && !access_at_point(who, leg->point))
        return err_set(err, MUSTER_EDENIED, "you are not assigned to assembly point %s",
                       leg->point);
    if (act == ACT_CLEARANCE && !is(leg->destination_country, who->nation) &&
        !(is(to, "arrived") && v == VIEW_FULL))
        return err_set(err, MUSTER_EDENIED, "only %s admits the arrivals of leg %s",
                       leg->destination_country, leg->id);
    return 0;
}

bool access_event_visible(const struct principal *who, const char *nation)
{
    return is(nation, who->nation);
}

bool access_ledger_row(const struct principal *who, const char *carrier, const char *nationality)
{
    return is(carrier, who->nation) || is(nationality, who->nation);
}

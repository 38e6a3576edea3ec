/* clearance.c — see clearance.h. */
#include "core/clearance.h"

#include "core/events.h"
#include "core/pii.h"
#include "core/registry.h"
#include "travel/cusres.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *date_json(struct screen_date date)
{
    if (!date.y)
        return json_null();
    char s[48];
    if (date.m && date.d)
        snprintf(s, sizeof s, "%04d-%02d-%02d", date.y, date.m, date.d);
    else
        snprintf(s, sizeof s, "%04d", date.y);
    return json_string(s);
}

static json_t *sealed_fields(const struct screen_passenger *p, const struct screen_result *r,
                             const struct screen_watchlist *wl)
{
    json_t *reasons = json_array(), *hits = json_array();
    for (int i = 0; i < r->n_reasons; i++)
        json_array_append_new(reasons,
                              json_pack("{s:s, s:s, s:s}", "code", r->reasons[i].code, "severity",
                                        screen_decision_name(r->reasons[i].severity), "text",
                                        r->reasons[i].text));
    for (int i = 0; i < r->n_hits; i++) {
        struct screen_entry e;
        memset(&e, 0, sizeof e);
        if (wl)
            screen_watchlist_entry(wl, r->hits[i].entry, &e);
        json_array_append_new(hits, json_pack("{s:s?, s:i, s:s}", "entry", e.id, "score",
                                              r->hits[i].score, "why", r->hits[i].why));
    }
    return json_pack("{s:s?, s:s?, s:o, s:s, s:s?, s:o, s:o}", "surname", p->surname, "given_names",
                     p->given_names, "birth_date", date_json(p->birth), "nationality",
                     p->nationality, "doc_number", p->doc_number, "reasons", reasons, "hits", hits);
}

/* The screener's document type for a PAXLST DOC 1001 code. */
static enum screen_doc_type doc_type(const char *code)
{
    if (!code || !code[0])
        return SCREEN_DOC_OTHER;
    if (strcmp(code, "P") == 0)
        return SCREEN_DOC_PASSPORT;
    if (strcmp(code, "I") == 0 || strcmp(code, "A") == 0 || strcmp(code, "C") == 0 ||
        strcmp(code, "IP") == 0)
        return SCREEN_DOC_ID_CARD;
    if (strcmp(code, "F") == 0)
        return SCREEN_DOC_EMERGENCY;
    if (strcmp(code, "T") == 0)
        return SCREEN_DOC_REFUGEE;
    return SCREEN_DOC_OTHER;
}

const struct paxlst_document *clearance_travel_doc(const struct paxlst_person *x)
{
    const struct paxlst_document *best = NULL;
    for (size_t i = 0; i < x->ndocuments; i++) {
        const struct paxlst_document *d = &x->documents[i];
        if (d->type && strcmp(d->type, "P") == 0)
            return d;
        if (!best && !(d->type && strcmp(d->type, "V") == 0))
            best = d;
    }
    return best;
}

static struct screen_date sdate(int y, int m, int d)
{
    return (struct screen_date){y, y ? m : 0, y && m ? d : 0};
}

void clearance_passenger_from_paxlst(const struct paxlst_message *m, const struct paxlst_person *x,
                                     char *leg, size_t cap, struct screen_passenger *p)
{
    const struct paxlst_leg *first = m->nlegs ? &m->legs[0] : NULL;
    const struct paxlst_leg *last = m->nlegs ? &m->legs[m->nlegs - 1] : NULL;
    const struct paxlst_document *d = clearance_travel_doc(x);
    snprintf(leg, cap, "%s%s", first && first->carrier ? first->carrier : "",
             first && first->number ? first->number : "");
    memset(p, 0, sizeof *p);
    p->surname = x->surname;
    p->given_names = x->given_names;
    p->birth = sdate(x->birth_date.year, x->birth_date.month, x->birth_date.day);
    p->sex = x->sex && x->sex[0] ? x->sex[0] : 0;
    snprintf(p->nationality, sizeof p->nationality, "%s", x->nationality ? x->nationality : "");
    p->doc_type = d ? doc_type(d->type) : SCREEN_DOC_NONE;
    p->doc_number = d ? d->number : NULL;
    snprintf(p->doc_issuer, sizeof p->doc_issuer, "%s",
             d && d->issuing_state ? d->issuing_state : "");
    p->doc_expiry = d ? sdate(d->expiry.year, d->expiry.month, d->expiry.day) : sdate(0, 0, 0);
    p->leg_id = leg[0] ? leg : m->common_access_ref;
    if (last)
        p->arrival = sdate(last->arrival.year, last->arrival.month, last->arrival.day);
}

struct reason_codes {
    const char *p[SCREEN_MAX_REASONS];
    char text[SCREEN_MAX_REASONS][32];
};

int clearance_cusres(const struct paxlst_interchange *ic, const struct paxlst_message *msg,
                     const struct paxlst_person *const *people, const struct screen_result *results,
                     size_t n, struct buf *out, struct muster_err *err)
{
    struct cusres_answer *a = calloc(n ? n : 1, sizeof *a);
    struct reason_codes *c = calloc(n ? n : 1, sizeof *c);
    struct cusres_response resp = {0};
    char ctl[16];
    int64_t now = time_now();
    snprintf(ctl, sizeof ctl, "R%.13s", ic->control_ref ? ic->control_ref : "1");
    resp.sender = ic->recipient && ic->recipient[0] ? ic->recipient : "IMMIGRATION";
    resp.recipient = ic->sender && ic->sender[0] ? ic->sender : "CARRIER";
    resp.control_ref = ctl;
    time_civil_from_days(now / 86400, &resp.prepared.year, &resp.prepared.month,
                         &resp.prepared.day);
    resp.prepared.hour = (int)(now % 86400 / 3600);
    resp.prepared.minute = (int)(now % 3600 / 60);
    resp.prepared.has_time = true;
    resp.transaction_ref = msg && msg->transaction_ref ? msg->transaction_ref : ic->control_ref;
    if (msg && msg->nlegs)
        resp.leg = msg->legs[0];
    for (size_t i = 0; i < n; i++) {
        const struct paxlst_person *x = people[i];
        const struct paxlst_document *d = clearance_travel_doc(x);
        a[i] = (struct cusres_answer){.passenger_ref = x->passenger_ref,
                                      .reservation_ref = x->reservation_ref,
                                      .role = x->role,
                                      .surname = x->surname,
                                      .given_names = x->given_names,
                                      .document_type = d ? d->type : NULL,
                                      .document_number = d ? d->number : NULL,
                                      .status = (enum cusres_status)results[i].decision};
        for (int k = 0; k < results[i].n_reasons; k++) {
            char *t = c[i].text[a[i].nreasons];
            snprintf(t, 32, "%s", results[i].reasons[k].code);
            for (char *q = t; *q; q++)
                if (*q >= 'a' && *q <= 'z')
                    *q -= 32;
            c[i].p[a[i].nreasons++] = t;
        }
        a[i].reasons = c[i].p;
    }
    resp.answers = a;
    resp.nanswers = n;
    int rc = cusres_build(&resp, out, err);
    free(a);
    free(c);
    return rc;
}

int clearance_record(struct node *n, const char *actor, const char *nation, const char *leg,
                     const char *person, const struct screen_passenger *p,
                     const struct screen_result *r, const struct screen_watchlist *wl,
                     char out_id[static 33], struct muster_err *err)
{
    reg_new_id("clr", out_id);
    int rc = pii_new_key(n, out_id, err);
    char *sealed = NULL;
    if (!rc) {
        json_t *f = sealed_fields(p, r, wl);
        rc = pii_seal(n, out_id, f, &sealed, err);
        json_decref(f);
    }
    if (rc)
        return rc;
    json_t *body =
        json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:s}", "id", out_id, "leg", leg, "person",
                  person, "nation", nation, "decision", screen_decision_name(r->decision), "basis",
                  screen_basis_name(r->basis), "pii", sealed);
    free(sealed);
    rc = ev_append(n, actor, nation, "clearance.decided", body, err);
    json_decref(body);
    return rc;
}

int clearance_override(struct node *n, const char *actor, const char *id, const char *to,
                       const char *reason, struct muster_err *err)
{
    if (!to || (strcmp(to, "cleared") != 0 && strcmp(to, "not_cleared") != 0))
        return err_set(err, MUSTER_EINVAL, "an override goes to cleared or not_cleared");
    if (!reason || !*reason)
        return err_set(err, MUSTER_EINVAL, "an override needs a reason");
    if (!n->st->ops->clearance_get)
        return err_set(err, MUSTER_EINVAL, "this store keeps no clearances");
    struct arena a = {0};
    struct store_clearance c;
    int rc = n->st->ops->clearance_get(n->st, id, &c, &a, err);
    if (!rc && (strcmp(c.decision, "refer") != 0 || c.original))
        rc = err_set(err, MUSTER_ECONFLICT, "%s is %s%s: only an open refer can be overridden", id,
                     c.decision, c.original ? " (already overridden)" : "");
    char *sealed = NULL;
    if (!rc) {
        json_t *f = json_pack("{s:s}", "reason", reason);
        rc = pii_seal(n, id, f, &sealed, err);
        json_decref(f);
    }
    if (!rc) {
        json_t *body =
            json_pack("{s:s, s:s, s:s, s:s}", "id", id, "to", to, "by", actor, "pii", sealed);
        rc = ev_append(n, actor, c.nation, "clearance.overridden", body, err);
        json_decref(body);
    }
    free(sealed);
    arena_free(&a);
    return rc;
}

/* checkin.c — see checkin.h. */
#include "core/checkin.h"

#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

const char *checkin_outcome_name(enum checkin_outcome o)
{
    static const char *const names[] = {
        "ok",          "bad_document",       "not_found",   "expired", "not_allocated",
        "wrong_point", "already_checked_in", "not_eligible"};
    return o <= CHECKIN_NOT_ELIGIBLE ? names[o] : "unknown";
}

static int decide_outcome(int rc, struct checkin_result *res, enum checkin_outcome o,
                          const char *fmt, const char *a, const char *b)
{
    char tmp[1024];
    res->outcome = o;
    snprintf(tmp, sizeof tmp, fmt, a ? a : "", b ? b : "");
    snprintf(res->reason, sizeof res->reason, "%.299s", tmp);
    return rc;
}

/* Finds the person by exact document number, then by MRZ name and birth
 * date; only people the caller may see count. */
static int find_person(struct store *st, const struct principal *who, const char *operation,
                       const char *doc_number, const struct checkin_result *res, struct arena *a,
                       struct store_person *out, enum access_view *view, struct muster_err *err)
{
    struct store_person *ps;
    size_t n;
    struct store_person_query q = {.operation = operation, .doc_number = doc_number, .limit = 10};
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            if (!res->has_doc || !res->doc.surname[0])
                break;
            memset(&q, 0, sizeof q);
            q.operation = operation;
            q.text = res->doc.surname;
            q.limit = 500;
        }
        int rc = st->ops->person_find(st, &q, &ps, &n, a, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++) {
            if (pass == 1) {
                char birth[32] = "";
                if (res->doc.birth_date.readable && res->doc.birth_date.year)
                    snprintf(birth, sizeof birth, "%04d-%02d-%02d", res->doc.birth_date.year,
                             res->doc.birth_date.month, res->doc.birth_date.day);
                if (!ps[i].surname || strcmp(ps[i].surname, res->doc.surname) != 0 ||
                    !ps[i].given_names || strcmp(ps[i].given_names, res->doc.given_names) != 0 ||
                    !ps[i].birth_date || strcmp(ps[i].birth_date, birth) != 0)
                    continue;
            }
            struct store_leg leg;
            struct muster_err e;
            bool has_leg = ps[i].leg && st->ops->leg_get(st, ps[i].leg, &leg, a, &e) == 0;
            enum access_view v = access_person(who, &ps[i], has_leg ? &leg : NULL);
            if (v != VIEW_NONE) {
                *out = ps[i];
                *view = v;
                return 1;
            }
        }
    }
    return 0;
}

int checkin_decide(struct store *st, const struct principal *who, const char *operation,
                   const char *point, const char *mrz, const char *doc_number, int64_t today,
                   struct arena *a, struct checkin_result *res, struct muster_err *err)
{
    memset(res, 0, sizeof *res);
    if (mrz && *mrz) {
        struct muster_err merr;
        res->has_doc = true;
        int rc = mrz_parse_at(mrz, strlen(mrz), today / 86400, &res->doc, &merr);
        if (rc || !res->doc.valid)
            return decide_outcome(
                0, res, CHECKIN_BAD_DOCUMENT, "%s%s",
                rc ? merr.msg : (merr.msg[0] ? merr.msg : "check digit fails"),
                res->doc.has_suggestion ? " (a misread character may be the cause: rescan)" : "");
        doc_number = res->doc.document_number;
    }
    if (!doc_number || !*doc_number)
        return decide_outcome(0, res, CHECKIN_BAD_DOCUMENT, "%s%s",
                              "give the MRZ as scanned or a document number", NULL);
    int found = find_person(st, who, operation, doc_number, res, a, &res->person, &res->view, err);
    if (found < 0)
        return found;
    if (!found)
        return decide_outcome(0, res, CHECKIN_NOT_FOUND,
                              "nobody registered in this operation carries document %s%s",
                              doc_number, " (register a walk-in if they are eligible)");
    struct store_person *p = &res->person;
    char today_s[11];
    time_format_date(today, today_s);
    const char *expiry = p->doc_expiry;
    char mrz_expiry[32];
    if (res->has_doc && res->doc.expiry_date.readable && res->doc.expiry_date.year) {
        snprintf(mrz_expiry, sizeof mrz_expiry, "%04d-%02d-%02d", res->doc.expiry_date.year,
                 res->doc.expiry_date.month, res->doc.expiry_date.day);
        expiry = mrz_expiry;
    }
    if (expiry && strcmp(expiry, today_s) < 0)
        return decide_outcome(0, res, CHECKIN_EXPIRED, "the travel document expired on %s%s",
                              expiry, ": the consul must issue an emergency travel document first");
    if (p->leg) {
        struct muster_err e;
        res->has_leg = st->ops->leg_get(st, p->leg, &res->leg, a, &e) == 0;
    }
    const char *s = p->status;
    if (!strcmp(s, "checked_in") || !strcmp(s, "boarded") || !strcmp(s, "departed") ||
        !strcmp(s, "arrived") || !strcmp(s, "cleared"))
        return decide_outcome(0, res, CHECKIN_ALREADY, "already %s%s", s,
                              " (no second check-in is needed)");
    if (!strcmp(s, "declined") || !strcmp(s, "refused_entry"))
        return decide_outcome(0, res, CHECKIN_NOT_ELIGIBLE, "status is %s%s", s,
                              ": an officer must re-register the person first");
    if (!res->has_leg || !strcmp(s, "registered"))
        return decide_outcome(0, res, CHECKIN_NOT_ALLOCATED,
                              "registered but not allocated to a leg yet%s%s", "",
                              ": keep them at the point until the next plan");
    if (point && strcmp(res->leg.point, point) != 0) {
        char where[300], when[21];
        time_format_iso(res->leg.departs, when);
        struct store_point pt;
        struct muster_err e;
        const char *pname =
            st->ops->point_get(st, res->leg.point, &pt, a, &e) == 0 ? pt.name : res->leg.point;
        snprintf(where, sizeof where, "%s %s departing %s from %s (%s)",
                 res->leg.vehicle ? res->leg.vehicle : "", res->leg.id, when, pname,
                 res->leg.point);
        return decide_outcome(0, res, CHECKIN_WRONG_POINT, "allocated to %s%s", where,
                              ", not this one: send them there");
    }
    res->outcome = CHECKIN_OK;
    snprintf(res->reason, sizeof res->reason, "ok");
    return 0;
}

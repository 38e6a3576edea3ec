/* checkin.c — see checkin.h. */
#include "core/checkin.h"

#include "core/registry.h"
#include "travel/translit.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

const char *checkin_outcome_name(enum checkin_outcome o)
{
    static const char *const names[] = {
        "ok",          "bad_document",       "not_found",    "expired",  "not_allocated",
        "wrong_point", "already_checked_in", "not_eligible", "ambiguous"};
    return o <= CHECKIN_AMBIGUOUS ? names[o] : "unknown";
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

/* The view the caller has of p (VIEW_NONE: p is not theirs to find). */
static enum access_view view_of(struct store *st, const struct principal *who,
                                const struct store_person *p, struct arena *a)
{
    struct store_leg leg;
    struct muster_err e;
    bool has_leg = p->leg && st->ops->leg_get(st, p->leg, &leg, a, &e) == 0;
    return access_person(who, p, has_leg ? &leg : NULL);
}

/* The MRZ form of a name: each identifier transliterated as Doc 9303 does
 * (upper case, accents dropped or spelled out, apostrophes dropped), every
 * run of spaces, hyphens and other separators one '<', the identifiers
 * joined by "<<" (no "<<" without given names). False when a character has
 * no transliteration. */
static bool name_key(const char *surname, const char *given, char *out, size_t cap)
{
    const char *part[2] = {surname ? surname : "", given ? given : ""};
    size_t o = 0;
    for (int i = 0; i < 2; i++) {
        char t[256];
        struct muster_err e;
        if (translit_mrz(part[i], strlen(part[i]), t, sizeof t, &e) < 0)
            return false;
        const char *c = t + strspn(t, "<");
        if (i == 1 && *c && o + 3 < cap) {
            out[o++] = '<';
            out[o++] = '<';
        }
        for (; *c && o + 1 < cap; c++)
            if (*c != '<' || (c[1] != '<' && c[1] != '\0'))
                out[o++] = *c;
    }
    out[o] = '\0';
    return true;
}

/* Width of the name field of an MRZ format. */
static size_t name_width(enum mrz_format f)
{
    return f == MRZ_TD1 ? 30 : f == MRZ_TD2 || f == MRZ_MRVB ? 31 : 39;
}

/* Whether the registered name of p is the name the MRZ d holds: the same
 * MRZ form, or, when the document cut the name at the end of its field,
 * a name that begins with what the field holds or that Doc 9303's
 * shortening rule turns into it. */
static bool same_name(const struct mrz_doc *d, const struct store_person *p)
{
    char doc[128], reg[512];
    if (!name_key(d->surname, d->given_names, doc, sizeof doc) ||
        !name_key(p->surname, p->given_names, reg, sizeof reg))
        return false;
    if (!strcmp(doc, reg))
        return true;
    if (!d->name_truncated || !doc[0])
        return false;
    if (!strncmp(reg, doc, strlen(doc)))
        return true;
    char field[40], short_key[128];
    struct muster_err e;
    if (mrz_name_field(p->surname, p->given_names, name_width(d->format), field, &e) < 0)
        return false;
    char *given = strstr(field, "<<");
    if (given) {
        *given = '\0';
        given += 2;
    }
    for (char *c = field; *c; c++)
        *c = *c == '<' ? ' ' : *c;
    return name_key(field, given, short_key, sizeof short_key) && !strcmp(doc, short_key);
}

/* The first person of the operation carrying doc_number whom the caller may
 * see: 1 found, 0 not. */
static int find_by_document(struct store *st, const struct principal *who, const char *operation,
                            const char *doc_number, struct arena *a, struct store_person *out,
                            enum access_view *view, struct muster_err *err)
{
    struct store_person *ps;
    size_t n;
    struct store_person_query q = {.operation = operation, .doc_number = doc_number, .limit = 10};
    int rc = st->ops->person_find(st, &q, &ps, &n, a, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        enum access_view v = view_of(st, who, &ps[i], a);
        if (v != VIEW_NONE) {
            *out = ps[i];
            *view = v;
            return 1;
        }
    }
    return 0;
}

/* The people of the operation the caller may see with the MRZ's name and
 * birth date (every one born that day is compared, however common the
 * surname): returns how many, *out the first. */
static int find_by_name(struct store *st, const struct principal *who, const char *operation,
                        const struct mrz_doc *d, struct arena *a, struct store_person *out,
                        enum access_view *view, struct muster_err *err)
{
    if (!d->surname[0] || !d->birth_date.readable || !d->birth_date.year)
        return 0;
    char birth[32];
    snprintf(birth, sizeof birth, "%04d-%02d-%02d", d->birth_date.year, d->birth_date.month,
             d->birth_date.day);
    struct store_person *ps;
    size_t n;
    int rc = st->ops->person_born(st, operation, birth, &ps, &n, a, err);
    if (rc)
        return rc;
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (!same_name(d, &ps[i]))
            continue;
        enum access_view v = view_of(st, who, &ps[i], a);
        if (v == VIEW_NONE)
            continue;
        if (found++ == 0) {
            *out = ps[i];
            *view = v;
        }
    }
    return found;
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
    int found = find_by_document(st, who, operation, doc_number, a, &res->person, &res->view, err);
    if (found == 0 && res->has_doc)
        found = find_by_name(st, who, operation, &res->doc, a, &res->person, &res->view, err);
    if (found < 0)
        return found;
    if (found > 1) {
        memset(&res->person, 0, sizeof res->person);
        return decide_outcome(0, res, CHECKIN_AMBIGUOUS,
                              "document %s is not registered and several people have this name "
                              "and birth date%s",
                              doc_number, ": an officer must identify the person");
    }
    if (!found)
        return decide_outcome(0, res, CHECKIN_NOT_FOUND,
                              "nobody registered in this operation carries document %s%s",
                              doc_number,
                              res->has_doc ? " or has this name and birth date (register a walk-in "
                                             "if they are eligible)"
                                           : " (register a walk-in if they are eligible)");
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

/* Whether two nullable strings are equal. */
static bool same_str(const char *a, const char *b)
{
    return (!a || !*a) ? (!b || !*b) : (b && !strcmp(a, b));
}

int checkin_record(struct node *n, const char *actor, const struct checkin_result *res,
                   struct store_person *now, struct arena *a, struct muster_err *err)
{
    const struct store_person *was = &res->person;
    int rc = n->st->ops->person_get(n->st, was->id, now, a, err);
    if (rc)
        return rc;
    if (strcmp(now->status, was->status) != 0 || !same_str(now->leg, was->leg)) {
        if (!strcmp(now->status, "checked_in"))
            return err_set(err, MUSTER_ECONFLICT, "already checked in (by another desk meanwhile)");
        if (now->leg && *now->leg && strcmp(now->status, "registered") != 0)
            return err_set(err, MUSTER_ECONFLICT,
                           "a new plan changed the allocation since the look-up: now %s on leg %s, "
                           "scan again",
                           now->status, now->leg);
        return err_set(err, MUSTER_ECONFLICT,
                       "a new plan changed the allocation since the look-up: now %s without a "
                       "leg, keep them at the point",
                       now->status);
    }
    rc = reg_set_status_of(n, actor, now, "checked_in", NULL, NULL, err);
    struct muster_err e;
    if (rc == 0 && n->st->ops->person_get(n->st, was->id, now, a, &e) != 0)
        now->id = NULL;
    return rc;
}

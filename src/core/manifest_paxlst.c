/* manifest_paxlst.c — a leg's manifest as a UN/EDIFACT PAXLST interchange
 * (advance passenger information for the arrival country), built with
 * travel/paxlst.h: one leg, one NAD+FL group per passenger. */
#include "core/manifest_int.h"

#include "travel/paxlst.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct paxlst_date date_of(const char *s)
{
    struct paxlst_date d = {0};
    if (mf_has(s) && time_parse_date(s, &d.year, &d.month, &d.day) != 0)
        d = (struct paxlst_date){0};
    return d;
}

static struct paxlst_datetime datetime_of(int64_t t)
{
    struct paxlst_datetime d = {0};
    if (t <= 0)
        return d;
    time_civil_from_days(t / 86400, &d.year, &d.month, &d.day);
    d.hour = (int)(t % 86400 / 3600);
    d.minute = (int)(t % 3600 / 60);
    d.has_time = true;
    return d;
}

/* "ROKAF 5101" -> carrier "ROKAF", number "5101"; "KOR4821" -> carrier the
 * operator nation, number "KOR4821". carrier and number have cap bytes. */
static void split_flight(const struct manifest *m, char *carrier, char *number, size_t cap)
{
    char flight[64];
    manifest_flight_number(m, flight, sizeof flight);
    const char *sp = strchr(flight, ' ');
    if (sp) {
        snprintf(carrier, cap, "%.*s", (int)(sp - flight), flight);
        while (*sp == ' ')
            sp++;
        snprintf(number, cap, "%s", sp);
    } else {
        snprintf(carrier, cap, "%s", mf_s(m->operator_nation));
        snprintf(number, cap, "%s", flight);
    }
}

/* UNB control reference: base 36 of generated_at (7) and of a hash of the
 * leg id (6), after an 'M': 14 characters, unique per leg and second. */
static void control_ref(const struct manifest *m, char out[16])
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    uint64_t t = (uint64_t)m->generated_at;
    uint32_t h = 2166136261u;
    for (const char *s = m->leg_id; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    out[0] = 'M';
    for (int i = 7; i >= 1; i--, t /= 36)
        out[i] = digits[t % 36];
    for (int i = 13; i >= 8; i--, h /= 36)
        out[i] = digits[h % 36];
    out[14] = '\0';
}

static void person_of(const struct manifest_passenger *p, const struct paxlst_leg *leg,
                      struct paxlst_person *o, struct paxlst_document *doc)
{
    memset(o, 0, sizeof *o);
    o->role = PAXLST_PASSENGER;
    o->surname = p->surname;
    o->given_names = mf_has(p->given_names) ? p->given_names : NULL;
    o->sex = mf_has(p->sex) ? p->sex : NULL;
    o->birth_date = date_of(p->birth_date);
    o->nationality = mf_has(p->nationality) ? p->nationality : NULL;
    o->embarkation = leg->departure_place;
    o->debarkation = leg->arrival_place;
    o->passenger_ref = mf_has(p->person_id) ? p->person_id : NULL;
    o->reservation_ref = mf_has(p->household) ? p->household : NULL;
    if (!mf_has(p->doc_number))
        return;
    memset(doc, 0, sizeof *doc);
    doc->type = mf_has(p->doc_type) ? p->doc_type : "P";
    doc->number = p->doc_number;
    doc->issuing_state = mf_has(p->doc_state) ? p->doc_state : NULL;
    doc->expiry = date_of(p->doc_expiry);
    o->documents = doc;
    o->ndocuments = 1;
}

static const char *mode_of(const char *kind)
{
    return strcmp(kind, "ship") == 0 ? "1" : strcmp(kind, "bus") == 0 ? "3" : "4";
}

int manifest_paxlst(const struct manifest *m, const char *sender, const char *recipient,
                    struct buf *out, struct muster_err *err)
{
    int rc = manifest_check(m, err);
    if (rc)
        return rc;
    if (!mf_has(sender) || !mf_has(recipient))
        return err_set(err, MUSTER_EINVAL, "manifest %s: PAXLST sender and recipient are required",
                       m->leg_id);
    if (m->generated_at <= 0)
        return err_set(err, MUSTER_EINVAL,
                       "manifest %s: generated_at is required for PAXLST (preparation time)",
                       m->leg_id);
    char carrier[64], number[64], ref[16];
    split_flight(m, carrier, number, sizeof carrier);
    control_ref(m, ref);
    struct paxlst_leg leg = {
        .carrier = *carrier ? carrier : NULL,
        .number = number,
        .transport_mode = mode_of(m->kind),
        .departure_place = mf_has(m->point_code) ? m->point_code : m->point_name,
        .departure = datetime_of(m->departs),
        .arrival_place = mf_has(m->destination_code) ? m->destination_code : m->destination,
        .arrival = datetime_of(m->arrives),
    };
    size_t n = m->npax ? m->npax : 1;
    struct paxlst_person *people = calloc(n, sizeof *people);
    struct paxlst_document *docs = calloc(n, sizeof *docs);
    if (!people || !docs)
        abort(); /* out of memory is fatal in muster */
    for (size_t i = 0; i < m->npax; i++)
        person_of(&m->pax[i], &leg, &people[i], &docs[i]);
    struct paxlst_manifest pm = {
        .sender = sender,
        .recipient = recipient,
        .control_ref = ref,
        .prepared = datetime_of(m->generated_at),
        .transaction_ref = m->leg_id,
        .reporting = {.name = mf_has(m->generated_by) ? m->generated_by : NULL},
        .legs = &leg,
        .nlegs = 1,
        .people = people,
        .npeople = m->npax,
    };
    rc = paxlst_build(&pm, NULL, out, err);
    free(people);
    free(docs);
    return rc;
}

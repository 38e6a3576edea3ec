/* api_clearance.c — pre-clearance by the arrival country's immigration.
 *
 * The rules and watchlist of each arrival nation are files the immigration
 * service edits, read at start from --clearance-dir DIR: DIR/NAT.rules.json
 * and DIR/NAT.watchlist.csv (docs/screening.md). Watchlists never enter the
 * event log; decisions do (core/clearance.h). */
#include "net/api.h"

#include "core/clearance.h"
#include "screen/screen.h"
#include "util/timeutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLEAR_MAX 16

struct clearance_set {
    int n;
    struct {
        char nation[4];
        struct screen_rules rules;
        struct screen_watchlist *wl;
    } items[CLEAR_MAX];
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, got);
    fclose(f);
    *len = b.len;
    return b.data ? b.data : calloc(1, 1);
}

int api_clearance_load(const char *dir, struct clearance_set **out, struct muster_err *err)
{
    struct clearance_set *cs = calloc(1, sizeof *cs);
    *out = cs;
    if (!dir)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return err_set(err, MUSTER_EINVAL, "cannot read --clearance-dir %s", dir);
    struct dirent *e;
    int rc = 0;
    while (!rc && (e = readdir(d)) != NULL) {
        if (strlen(e->d_name) != 14 || strcmp(e->d_name + 3, ".rules.json") != 0 ||
            cs->n == CLEAR_MAX)
            continue;
        char path[1200];
        size_t len;
        snprintf(cs->items[cs->n].nation, 4, "%.3s", e->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *text = slurp(path, &len);
        screen_rules_default(&cs->items[cs->n].rules);
        if (!text || screen_rules_parse(text, len, &cs->items[cs->n].rules, err))
            rc = err->code ? err->code : err_set(err, MUSTER_EINVAL, "cannot read %s", path);
        free(text);
        snprintf(path, sizeof path, "%s/%.3s.watchlist.csv", dir, e->d_name);
        text = rc ? NULL : slurp(path, &len);
        if (text && screen_watchlist_load(text, len, &cs->items[cs->n].wl, err))
            rc = err->code;
        free(text);
        if (!rc)
            cs->n++;
    }
    closedir(d);
    return rc;
}

void api_clearance_free(struct clearance_set *cs)
{
    for (int i = 0; cs && i < cs->n; i++)
        screen_watchlist_free(cs->items[i].wl);
    free(cs);
}

static int find_config(struct request *r, const char *nation)
{
    struct clearance_set *cs = http_clearance(r->srv);
    for (int i = 0; cs && i < cs->n; i++)
        if (strcmp(cs->items[i].nation, nation) == 0)
            return i;
    return -1;
}

/* Loads the leg if the caller is the immigration of its arrival country. */
static int load_arrival_leg(struct request *r, struct store_leg *l)
{
    struct muster_err err;
    if (!api_may(r, ACT_CLEARANCE))
        return -1;
    if (r->st->ops->leg_get(r->st, r->params[0], l, &r->arena, &err)) {
        http_error(r, 404, "not_found", "no leg %s arriving in %s", r->params[0], r->who.nation);
        return -1;
    }
    return api_allowed(r, access_clearance_leg(&r->who, l, &err), &err) ? 0 : -1;
}

static void to_passenger(struct request *r, const struct store_person *p, const struct store_leg *l,
                         struct screen_passenger *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->surname = p->surname;
    sp->given_names = p->given_names;
    screen_date_parse(p->birth_date ? p->birth_date : "", &sp->birth);
    sp->sex = p->sex ? p->sex[0] : 0;
    snprintf(sp->nationality, sizeof sp->nationality, "%s", p->nationality ? p->nationality : "");
    int t = p->doc_type && strcmp(p->doc_type, "P") == 0   ? SCREEN_DOC_PASSPORT
            : p->doc_type && strcmp(p->doc_type, "I") == 0 ? SCREEN_DOC_ID_CARD
            : p->doc_type && strcmp(p->doc_type, "E") == 0 ? SCREEN_DOC_EMERGENCY
            : p->doc_number                                ? SCREEN_DOC_OTHER
                                                           : SCREEN_DOC_NONE;
    sp->doc_type = (enum screen_doc_type)t;
    sp->doc_number = p->doc_number;
    snprintf(sp->doc_issuer, sizeof sp->doc_issuer, "%s", p->doc_state ? p->doc_state : "");
    screen_date_parse(p->doc_expiry ? p->doc_expiry : "", &sp->doc_expiry);
    sp->leg_id = l->id;
    char day[11];
    time_format_date(l->departs, day);
    screen_date_parse(day, &sp->arrival);
}

struct clear_job {
    const char *actor, *nation, *leg;
    struct store_person *people;
    struct screen_passenger *pax;
    struct screen_result *res;
    const struct screen_watchlist *wl;
    size_t n;
    char (*ids)[33];
};

static int write_clearances(struct node *n, void *arg, struct muster_err *err)
{
    struct clear_job *j = arg;
    int rc = 0;
    for (size_t i = 0; i < j->n && !rc; i++)
        rc = clearance_record(n, j->actor, j->nation, j->leg, j->people[i].id, &j->pax[i],
                              &j->res[i], j->wl, j->ids[i], err);
    return rc;
}

static json_t *clearance_json(const struct store_clearance *c)
{
    json_t *reasons = json_loads(c->reasons ? c->reasons : "[]", 0, NULL);
    json_t *hits = json_loads(c->hits ? c->hits : "[]", 0, NULL);
    return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:s?, "
                     "s:s?, s:s?}",
                     "id", c->id, "leg", c->leg, "person", c->person, "decision", c->decision,
                     "basis", c->basis, "surname", c->surname, "given_names", c->given_names,
                     "birth_date", c->birth_date, "nationality", c->nationality, "document",
                     c->doc_number, "reasons", reasons ? reasons : json_array(), "hits",
                     hits ? hits : json_array(), "overridden_from", c->original, "override_by",
                     c->override_by, "override_reason", c->override_reason);
}

/* The leg's current decisions (latest per person wins in the list order). */
static void answer_list(struct request *r, const char *leg, int status)
{
    struct store_clearance *cs;
    size_t n;
    struct muster_err err;
    if (!r->st->ops->clearance_list ||
        r->st->ops->clearance_list(r->st, leg, r->who.nation, &cs, &n, &r->arena, &err)) {
        http_error(r, 500, "internal", "cannot read the decisions");
        return;
    }
    json_t *a = json_array();
    int counts[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        http_read(r, "clearance", cs[i].person, "clearance");
        json_array_append_new(a, clearance_json(&cs[i]));
        counts[strcmp(cs[i].decision, "cleared") == 0 ? 0
               : strcmp(cs[i].decision, "refer") == 0 ? 1
                                                      : 2]++;
    }
    http_json(r, status,
              json_pack("{s:s, s:{s:i, s:i, s:i}, s:o}", "leg", leg, "totals", "cleared", counts[0],
                        "refer", counts[1], "not_cleared", counts[2], "decisions", a));
}

static void after_clearances(struct request *r, int rc, const struct muster_err *err)
{
    struct clear_job *j = r->write_arg;
    if (rc) {
        http_fail(r, err);
        return;
    }
    answer_list(r, j->leg, 201);
}

void api_clearance_run(struct request *r)
{
    if (!http_no_body(r))
        return;
    struct store_leg l;
    if (load_arrival_leg(r, &l))
        return;
    int ci = find_config(r, r->who.nation);
    if (ci < 0) {
        http_error(r, 409, "no_rules", "no clearance rules are loaded for %s (--clearance-dir)",
                   r->who.nation);
        return;
    }
    struct clearance_set *cs = http_clearance(r->srv);
    struct store_person_query q = {.leg = l.id, .limit = 100000};
    struct store_person *ps;
    size_t n;
    struct muster_err err;
    if (r->st->ops->person_find(r->st, &q, &ps, &n, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    struct clear_job *j = arena_alloc(&r->arena, sizeof *j);
    j->actor = arena_strdup(&r->arena, r->who.user);
    j->nation = r->who.nation;
    j->leg = l.id;
    j->wl = cs->items[ci].wl;
    j->people = arena_alloc(&r->arena, (n + 1) * sizeof *j->people);
    j->pax = arena_alloc(&r->arena, (n + 1) * sizeof *j->pax);
    j->res = arena_alloc(&r->arena, (n + 1) * sizeof *j->res);
    j->ids = arena_alloc(&r->arena, (n + 1) * sizeof *j->ids);
    for (size_t i = 0; i < n; i++) {
        enum access_view v = access_person(&r->who, &ps[i], &l);
        if (v == VIEW_NONE)
            continue;
        access_redact(v, &ps[i]);
        j->people[j->n] = ps[i];
        to_passenger(r, &ps[i], &l, &j->pax[j->n]);
        j->n++;
    }
    struct screen_date arrival;
    char day[11];
    time_format_date(l.departs, day);
    screen_date_parse(day, &arrival);
    if (screen_batch(&cs->items[ci].rules, j->wl, j->pax, j->n, arrival, j->res, &err)) {
        http_fail(r, &err);
        return;
    }
    http_write(r, write_clearances, j, after_clearances);
}

void api_clearance_list(struct request *r)
{
    struct store_leg l;
    if (load_arrival_leg(r, &l))
        return;
    answer_list(r, l.id, 200);
}

struct override_job {
    json_t *body;
    const char *actor, *id;
};

static int write_override(struct node *n, void *arg, struct muster_err *err)
{
    struct override_job *j = arg;
    return clearance_override(n, j->actor, j->id, json_string_value(json_object_get(j->body, "to")),
                              json_string_value(json_object_get(j->body, "reason")), err);
}

static void after_override(struct request *r, int rc, const struct muster_err *err)
{
    struct override_job *j = r->write_arg;
    json_decref(j->body);
    if (rc) {
        http_fail(r, err);
        return;
    }
    struct store_clearance c;
    struct muster_err e;
    if (r->st->ops->clearance_get(r->st, j->id, &c, &r->arena, &e)) {
        http_fail(r, &e);
        return;
    }
    http_read(r, "clearance", c.person, "clearance");
    http_json(r, 201, clearance_json(&c));
}

void api_clearance_override(struct request *r)
{
    static const char *const fields[] = {"to", "reason", NULL};
    if (!api_may(r, ACT_CLEARANCE))
        return;
    struct store_clearance c;
    struct muster_err err;
    if (!r->st->ops->clearance_get ||
        r->st->ops->clearance_get(r->st, r->params[0], &c, &r->arena, &err) ||
        !access_clearance_decision(&r->who, c.nation)) {
        http_error(r, 404, "not_found", "no clearance %s", r->params[0]);
        return;
    }
    json_t *b = http_body(r, fields);
    if (!b)
        return;
    struct override_job *j = arena_alloc(&r->arena, sizeof *j);
    j->body = b;
    j->actor = arena_strdup(&r->arena, r->who.user);
    j->id = arena_strdup(&r->arena, c.id);
    http_write(r, write_override, j, after_override);
}

/* --- an uploaded PAXLST ---------------------------------------------------- */

struct upload_job {
    struct clear_job base;
    struct paxlst_interchange ic;
    const char **legs; /* per passenger: its leg key */
    const char **persons;
    const struct paxlst_person **people;
    bool cusres; /* answer as a CUSRES interchange */
};

static int write_upload(struct node *n, void *arg, struct muster_err *err)
{
    struct upload_job *u = arg;
    struct clear_job *j = &u->base;
    int rc = 0;
    for (size_t i = 0; i < j->n && !rc; i++)
        rc = clearance_record(n, j->actor, j->nation, u->legs[i], u->persons[i], &j->pax[i],
                              &j->res[i], j->wl, j->ids[i], err);
    return rc;
}

static void after_upload(struct request *r, int rc, const struct muster_err *err)
{
    struct upload_job *u = r->write_arg;
    if (rc) {
        paxlst_free(&u->ic);
        http_fail(r, err);
        return;
    }
    if (u->cusres) {
        struct buf out = {0};
        struct muster_err e;
        if (clearance_cusres(&u->ic, u->ic.nmessages ? &u->ic.messages[0] : NULL, u->people,
                             u->base.res, u->base.n, &out, &e))
            http_fail(r, &e);
        else
            http_bytes(r, 201, "application/edifact", out.data ? out.data : "", out.len,
                       "cusres.edi");
        buf_free(&out);
        paxlst_free(&u->ic);
        return;
    }
    json_t *a = json_array();
    int counts[3] = {0, 0, 0};
    for (size_t i = 0; i < u->base.n; i++) {
        struct store_clearance c;
        struct muster_err e;
        if (r->st->ops->clearance_get(r->st, u->base.ids[i], &c, &r->arena, &e) == 0) {
            http_read(r, "clearance", c.person, "clearance");
            json_t *o = clearance_json(&c);
            json_object_set_new(o, "passenger_ref",
                                u->persons[i] ? json_string(u->persons[i]) : json_null());
            json_array_append_new(a, o);
        }
        enum screen_decision d = u->base.res[i].decision;
        counts[d == SCREEN_CLEARED ? 0 : d == SCREEN_REFER ? 1 : 2]++;
    }
    paxlst_free(&u->ic);
    http_json(r, 201,
              json_pack("{s:{s:i, s:i, s:i}, s:o}", "totals", "cleared", counts[0], "refer",
                        counts[1], "not_cleared", counts[2], "decisions", a));
}

void api_clearance_upload(struct request *r)
{
    if (!api_may(r, ACT_CLEARANCE))
        return;
    if (r->body_too_large) {
        http_error(r, 413, "too_large", "the manifest is over the body limit");
        return;
    }
    int ci = find_config(r, r->who.nation);
    if (ci < 0) {
        http_error(r, 409, "no_rules", "no clearance rules are loaded for %s (--clearance-dir)",
                   r->who.nation);
        return;
    }
    struct clearance_set *cs = http_clearance(r->srv);
    struct upload_job *u = arena_alloc(&r->arena, sizeof *u);
    struct muster_err err;
    if (paxlst_parse(r->body.data ? r->body.data : "", r->body.len, &u->ic, &err) ||
        u->ic.nerrors) {
        if (!err.msg[0] && u->ic.nerrors)
            snprintf(err.msg, sizeof err.msg, "the PAXLST has %zu error(s)", u->ic.nerrors);
        paxlst_free(&u->ic);
        http_error(r, 400, "bad_paxlst", "%s", err.msg);
        return;
    }
    size_t total = 0;
    for (size_t m = 0; m < u->ic.nmessages; m++)
        total += u->ic.messages[m].npeople;
    struct clear_job *j = &u->base;
    j->actor = arena_strdup(&r->arena, r->who.user);
    j->nation = r->who.nation;
    j->wl = cs->items[ci].wl;
    j->pax = arena_alloc(&r->arena, (total + 1) * sizeof *j->pax);
    j->res = arena_alloc(&r->arena, (total + 1) * sizeof *j->res);
    j->ids = arena_alloc(&r->arena, (total + 1) * sizeof *j->ids);
    u->legs = arena_alloc(&r->arena, (total + 1) * sizeof *u->legs);
    u->persons = arena_alloc(&r->arena, (total + 1) * sizeof *u->persons);
    u->people = arena_alloc(&r->arena, (total + 1) * sizeof *u->people);
    const char *format = http_query(r, "format");
    u->cusres = format && strcmp(format, "cusres") == 0;
    for (size_t m = 0; m < u->ic.nmessages; m++) {
        const struct paxlst_message *msg = &u->ic.messages[m];
        for (size_t k = 0; k < msg->npeople; k++) {
            char *leg = arena_alloc(&r->arena, 64);
            clearance_passenger_from_paxlst(msg, &msg->people[k], leg, 64, &j->pax[j->n]);
            u->legs[j->n] = leg[0] ? leg : "paxlst";
            u->persons[j->n] = msg->people[k].passenger_ref;
            u->people[j->n] = &msg->people[k];
            j->n++;
        }
    }
    struct screen_date today;
    char day[11];
    time_format_date(time_now(), day);
    screen_date_parse(day, &today);
    if (screen_batch(&cs->items[ci].rules, j->wl, j->pax, j->n, today, j->res, &err)) {
        paxlst_free(&u->ic);
        http_fail(r, &err);
        return;
    }
    http_write(r, write_upload, u, after_upload);
}

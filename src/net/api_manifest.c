/* api_manifest.c — a leg's manifest as CSV, a crew PDF or PAXLST, holding
 * only the passengers the caller may see, in the view they may see. */
#include "net/api.h"

#include "core/manifest.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

static bool on_board_list(const char *s)
{
    static const char *const keep[] = {"allocated",  "notified", "confirmed",
                                       "checked_in", "boarded",  "departed",
                                       "arrived",    "cleared",  NULL};
    for (const char *const *k = keep; *k; k++)
        if (s && strcmp(s, *k) == 0)
            return true;
    return false;
}

void api_leg_manifest(struct request *r)
{
    if (!api_may(r, ACT_MANIFEST))
        return;
    const char *format = http_query(r, "format");
    if (!format)
        format = "csv";
    if (strcmp(format, "csv") && strcmp(format, "pdf") && strcmp(format, "paxlst")) {
        http_error(r, 400, "invalid", "format must be csv, pdf or paxlst");
        return;
    }
    struct store_leg l;
    struct store_operation o;
    struct store_point pt;
    struct muster_err err;
    if (r->st->ops->leg_get(r->st, r->params[0], &l, &r->arena, &err) ||
        r->st->ops->operation_get(r->st, l.operation, &o, &r->arena, &err) ||
        !access_leg(&r->who, &l, &o)) {
        http_error(r, 404, "not_found", "no leg %s", r->params[0]);
        return;
    }
    bool have_point = r->st->ops->point_get(r->st, l.point, &pt, &r->arena, &err) == 0;
    struct store_person_query q = {.leg = l.id, .limit = 100000};
    struct store_person *ps;
    size_t n;
    if (r->st->ops->person_find(r->st, &q, &ps, &n, &r->arena, &err)) {
        http_fail(r, &err);
        return;
    }
    struct manifest_passenger *pax = arena_alloc(&r->arena, (n + 1) * sizeof *pax);
    enum access_view *views = arena_alloc(&r->arena, (n + 1) * sizeof *views);
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        enum access_view v = access_person(&r->who, &ps[i], &l);
        if (v == VIEW_NONE || !on_board_list(ps[i].status))
            continue;
        access_redact(v, &ps[i]);
        struct store_person *p = &ps[i];
        views[np] = v;
        pax[np++] = (struct manifest_passenger){
            p->id,        p->household,  p->surname,     p->given_names, p->native_name,
            p->sex,       p->birth_date, p->nationality, p->doc_type,    p->doc_number,
            p->doc_state, p->doc_expiry, p->priority,    p->status,      (int)p->needs,
        };
    }
    char by[80];
    snprintf(by, sizeof by, "%.63s (%s)", r->who.user, r->who.nation);
    struct manifest m = {
        .leg_id = l.id,
        .operation_name = o.name,
        .operator_nation = l.operator_nation,
        .kind = l.kind,
        .vehicle = l.vehicle,
        .point_name = have_point ? pt.name : l.point,
        .destination = l.destination,
        .destination_country = l.destination_country,
        .departs = l.departs,
        .arrives = l.arrives,
        .seats = l.seats,
        .stretchers = l.stretchers,
        .pax = pax,
        .npax = np,
        .generated_by = by,
        .generated_at = time_now(),
    };
    struct buf out = {0};
    char file[96];
    int rc;
    if (strcmp(format, "csv") == 0) {
        rc = manifest_csv(&m, &out, &err);
        snprintf(file, sizeof file, "manifest-%s.csv", l.id);
    } else if (strcmp(format, "pdf") == 0) {
        rc = manifest_pdf(&m, &out, &err);
        snprintf(file, sizeof file, "manifest-%s.pdf", l.id);
    } else {
        char sender[16], recipient[16];
        snprintf(sender, sizeof sender, "MUSTER%s", r->who.nation);
        snprintf(recipient, sizeof recipient, "%sAPIS",
                 l.destination_country ? l.destination_country : "XXX");
        rc = manifest_paxlst(&m, sender, recipient, &out, &err);
        snprintf(file, sizeof file, "manifest-%s.edi", l.id);
    }
    if (rc) {
        buf_free(&out);
        http_fail(r, &err);
        return;
    }
    const char *type = strcmp(format, "csv") == 0   ? "text/csv; charset=utf-8"
                       : strcmp(format, "pdf") == 0 ? "application/pdf"
                                                    : "application/edifact";
    const char *purpose = strcmp(format, "csv") == 0   ? "manifest.csv"
                          : strcmp(format, "pdf") == 0 ? "manifest.pdf"
                                                       : "manifest.paxlst";
    for (size_t i = 0; i < np; i++)
        api_read(r, purpose, pax[i].person_id, views[i]);
    http_bytes(r, 200, type, out.data ? out.data : "", out.len, file);
    buf_free(&out);
}

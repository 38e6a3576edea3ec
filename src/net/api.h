/* api.h — what the /api/v1 handlers share: records as JSON, and loading a
 * person through the scoping rule (core/access.h). */
#ifndef MUSTER_NET_API_H
#define MUSTER_NET_API_H

#include "core/access.h"
#include "net/http.h"
#include "store/store.h"

#include <jansson.h>

json_t *api_person_json(const struct store_person *p, enum access_view view);
/* Appends the same person as JSON text (the bytes of a compact dump of
 * api_person_json), without building the object (api_person_text.c). */
void api_person_text(struct buf *b, const struct store_person *p, enum access_view view);
json_t *api_leg_json(const struct store_leg *l);
json_t *api_point_json(const struct store_point *p);
json_t *api_operation_json(const struct store_operation *o);
/* needs bits as ["stretcher", ...] */
json_t *api_needs_json(int64_t needs);

/* Loads person id as the caller may see it (redacted to the view). Answers
 * 404 itself and returns VIEW_NONE when the caller may not see the person:
 * another nation's person is indistinguishable from one that does not
 * exist. leg (may be NULL) receives the person's leg when they have one. */
enum access_view api_load_person(struct request *r, const char *id, struct store_person *p,
                                 struct store_leg *leg);
/* The view of an already loaded person (fetches the leg as needed). */
enum access_view api_view_of(struct request *r, const struct store_person *p);
/* The people a query finds, as the caller may see them (others are left
 * out), as a JSON array of api_person_json; NULL (answered 500) when the
 * store fails. leg, when not NULL, is the leg all of them are on. Each
 * person returned is recorded in the read audit under purpose. */
json_t *api_scoped_persons(struct request *r, const struct store_person_query *q,
                           const struct store_leg *leg, const char *purpose);
/* Records in the read audit that the answer carries person p in view v. */
void api_read(struct request *r, const char *purpose, const char *person, enum access_view v);
/* Adds one to counts[key] (key NULL counts as "?"). */
void api_count(json_t *counts, const char *key);
/* A leg as JSON with its seats and stretcher slots taken. */
json_t *api_leg_load_json(struct request *r, const struct store_leg *l);
/* Loads an operation the caller may work with; answers 404 otherwise. */
int api_load_operation(struct request *r, const char *id, struct store_operation *o);
/* Loads assembly point params[0] and its operation, which the caller may
 * work with; answers 404 and returns -1 otherwise. */
int api_load_point(struct request *r, struct store_point *p, struct store_operation *o);
/* Loads leg params[0] for a change by the nation that operates it (role
 * first, then access_leg_manage); answers 403/404 and returns -1 otherwise. */
int api_load_leg_to_manage(struct request *r, struct store_leg *l);
/* Answers 403 and returns false when the caller's role may not act. */
bool api_may(struct request *r, enum access_action act);
/* Answers the outcome rc of an access_* check (403 or 404, err's reason)
 * and returns false when it is not 0. */
bool api_allowed(struct request *r, int rc, const struct muster_err *err);

/* Handlers, by file. */
void api_health(struct request *r);
void api_metrics(struct request *r);
void api_login(struct request *r);
void api_logout(struct request *r);
void api_me(struct request *r);
void api_operations_list(struct request *r);
void api_operation_create(struct request *r);
void api_operation_get(struct request *r);
void api_operation_summary(struct request *r);
void api_points_list(struct request *r);
void api_point_create(struct request *r);
void api_legs_list(struct request *r);
void api_leg_create(struct request *r);
void api_leg_get(struct request *r);
void api_leg_cancel(struct request *r);
void api_leg_passengers(struct request *r);
void api_persons_search(struct request *r);
void api_person_get(struct request *r);
void api_person_status(struct request *r);
void api_person_erase(struct request *r);
void api_person_update(struct request *r);
void api_person_move(struct request *r);
void api_person_history(struct request *r);
void api_person_reads(struct request *r);
void api_person_copy(struct request *r);
/* The person's copy (api_privacy.c) of p, loaded in the full view, as the
 * caller r->who sees the rest: a JSON object, or NULL with err set. r needs
 * st, who and arena only, so the command line builds one too. */
json_t *api_copy_json(struct request *r, const struct store_person *p, struct muster_err *err);
/* A person's history from the log as the caller sees them (api_history.c):
 * a JSON array, oldest first; NULL with err set when the log cannot be read. */
json_t *api_history_events(struct request *r, enum access_view v, const char *id, bool *truncated,
                           struct muster_err *err);
void api_operation_update(struct request *r);
void api_point_update(struct request *r);
void api_household_create(struct request *r);
void api_household_get(struct request *r);
void api_checkin(struct request *r);
void api_walkin(struct request *r);
void api_events(struct request *r);
void api_plan_start(struct request *r);
void api_leg_manifest(struct request *r);
void api_clearance_run(struct request *r);
void api_clearance_upload(struct request *r);
void api_ledger(struct request *r);
void api_ledger_all(struct request *r);
/* api_crud.c */
void api_point_get(struct request *r);
void api_point_delete(struct request *r);
void api_leg_update(struct request *r);
void api_households_list(struct request *r);
void api_household_delete(struct request *r);
void api_fare_policy(struct request *r);
void api_retention_get(struct request *r);
void api_retention_put(struct request *r);
void api_arrivals(struct request *r);
void api_clearance_list(struct request *r);
void api_clearance_override(struct request *r);
void api_job_get(struct request *r);
void api_job_accept(struct request *r);
void api_job_discard(struct request *r);

/* The Prometheus text of the server's metrics (http.c). */
void http_metrics_text(struct server *s, struct store *st, struct buf *out);

#endif

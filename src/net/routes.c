/* routes.c — every route of the server, in one table. docs/openapi.yaml
 * documents each one; tests/integration/test_openapi.sh checks both ways. */
#include "net/api.h"

const struct route http_routes[] = {
    {"GET", "/healthz", api_health, AUTH_NONE},
    {"GET", "/metrics", api_metrics, AUTH_NONE},
    {"POST", "/api/v1/login", api_login, AUTH_NONE},
    {"POST", "/api/v1/logout", api_logout, AUTH_REQUIRED},
    {"GET", "/api/v1/me", api_me, AUTH_REQUIRED},
    {"GET", "/api/v1/operations", api_operations_list, AUTH_REQUIRED},
    {"POST", "/api/v1/operations", api_operation_create, AUTH_REQUIRED},
    {"GET", "/api/v1/operations/{operation}", api_operation_get, AUTH_REQUIRED},
    {"GET", "/api/v1/operations/{operation}/summary", api_operation_summary, AUTH_REQUIRED},
    {"GET", "/api/v1/operations/{operation}/points", api_points_list, AUTH_REQUIRED},
    {"POST", "/api/v1/operations/{operation}/points", api_point_create, AUTH_REQUIRED},
    {"GET", "/api/v1/operations/{operation}/legs", api_legs_list, AUTH_REQUIRED},
    {"POST", "/api/v1/operations/{operation}/legs", api_leg_create, AUTH_REQUIRED},
    {"GET", "/api/v1/operations/{operation}/persons", api_persons_search, AUTH_REQUIRED},
    {"POST", "/api/v1/operations/{operation}/households", api_household_create, AUTH_REQUIRED},
    {"POST", "/api/v1/operations/{operation}/checkins", api_checkin, AUTH_REQUIRED},
    {"POST", "/api/v1/operations/{operation}/walkins", api_walkin, AUTH_REQUIRED},
    {"POST", "/api/v1/operations/{operation}/plan", api_plan_start, AUTH_REQUIRED},
    {"GET", "/api/v1/operations/{operation}/ledger", api_ledger, AUTH_REQUIRED},
    {"PUT", "/api/v1/operations/{operation}/fare", api_fare_policy, AUTH_REQUIRED},
    {"GET", "/api/v1/arrivals", api_arrivals, AUTH_REQUIRED},
    {"GET", "/api/v1/jobs/{job}", api_job_get, AUTH_REQUIRED},
    {"GET", "/api/v1/legs/{leg}", api_leg_get, AUTH_REQUIRED},
    {"POST", "/api/v1/legs/{leg}/cancel", api_leg_cancel, AUTH_REQUIRED},
    {"GET", "/api/v1/legs/{leg}/passengers", api_leg_passengers, AUTH_REQUIRED},
    {"GET", "/api/v1/legs/{leg}/manifest", api_leg_manifest, AUTH_REQUIRED},
    {"POST", "/api/v1/legs/{leg}/clearance", api_clearance_run, AUTH_REQUIRED},
    {"GET", "/api/v1/legs/{leg}/clearance", api_clearance_list, AUTH_REQUIRED},
    {"POST", "/api/v1/clearances/{clearance}/override", api_clearance_override, AUTH_REQUIRED},
    {"POST", "/api/v1/clearance/manifests", api_clearance_upload, AUTH_REQUIRED},
    {"GET", "/api/v1/persons/{person}", api_person_get, AUTH_REQUIRED},
    {"PATCH", "/api/v1/persons/{person}", api_person_update, AUTH_REQUIRED},
    {"POST", "/api/v1/persons/{person}/status", api_person_status, AUTH_REQUIRED},
    {"POST", "/api/v1/persons/{person}/erase", api_person_erase, AUTH_REQUIRED},
    {"GET", "/api/v1/households/{household}", api_household_get, AUTH_REQUIRED},
    {"GET", "/api/v1/events", api_events, AUTH_REQUIRED},
};

const int http_nroutes = sizeof http_routes / sizeof http_routes[0];

#!/usr/bin/env bash
# Request bodies are checked, never ignored: a body over the limit is 413 on
# every route (plan, login, logout, check-in, clearance), whether the route
# reads one or not; an unknown key inside "document" or "location" is 400
# unknown_field naming its path; a route that takes no body refuses one.
# Nothing is written by a refused request.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 100 >/dev/null
start_server "$N"
off=$(login kor.officer muster-demo-2026)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
leg=$(tsql "$N" "SELECT id FROM legs LIMIT 1")
p=$(tsql "$N" "SELECT id FROM persons WHERE nation = 'KOR' LIMIT 1")
n_ev=$(tsql "$N" "SELECT count(*) FROM events")

# 1. over 1 MiB, on routes that read a body and on routes that take none
printf '{"exact":false,"pad":"%s"}' "$(head -c 1100000 /dev/zero | tr '\0' a)" > big.json
big() { # token method path
  curl -s -o resp -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" \
    --data-binary @big.json "$BASE$3"
}
for route in "POST /api/v1/operations/$op/plan" "POST /api/v1/login" "POST /api/v1/logout" \
  "POST /api/v1/operations/$op/checkins" "POST /api/v1/legs/$leg/clearance"; do
  code=$(big "$off" $route)
  [ "$code" = 413 ] && [ "$(jq -r .error.code resp)" = too_large ] ||
    { echo "$route with 1.1 MB: $code $(head -c 300 resp)"; exit 1; }
done
# the officer is still logged in: the oversized logout did nothing
[ "$(api "$off" GET /api/v1/me | cut -d' ' -f1)" = 200 ]

# 2. unknown keys inside document and location
m='{"surname":"YOON","given_names":"JI","nationality":"KOR","sex":"F","birth_date":"1990-01-01"'
out=$(api "$off" POST "/api/v1/operations/$op/households" \
  "{\"members\":[$m,\"document\":{\"type\":\"P\",\"number\":\"Y1\",\"colour\":\"red\"}}]}")
[ "${out%% *}" = 400 ] && [ "$(jq -r .error.code <<<"${out#* }")" = unknown_field ] &&
  grep -q "document.colour" <<<"$out" || { echo "document.colour: $out"; exit 1; }
out=$(api "$off" POST "/api/v1/operations/$op/households" \
  "{\"members\":[$m,\"location\":{\"lat\":1,\"lon\":2,\"alt\":3}}]}")
[ "${out%% *}" = 400 ] && grep -q "location.alt" <<<"$out" || { echo "location.alt: $out"; exit 1; }
out=$(api "$off" PATCH "/api/v1/persons/$p" '{"document":{"number":"Z1","valid":true}}')
[ "${out%% *}" = 400 ] && grep -q "document.valid" <<<"$out" || { echo "PATCH document.valid: $out"; exit 1; }
out=$(api "$off" PATCH "/api/v1/persons/$p" '{"location":"here"}')
[ "${out%% *}" = 400 ] || { echo "PATCH location as a string: $out"; exit 1; }
# the known keys still work
out=$(api "$off" POST "/api/v1/operations/$op/households" \
  "{\"members\":[$m,\"document\":{\"type\":\"P\",\"number\":\"Y2\",\"issuing_state\":\"KOR\",\"expiry\":\"2031-01-01\"},\"location\":{\"lat\":1,\"lon\":2}}]}")
[ "${out%% *}" = 201 ] || { echo "a good household: $out"; exit 1; }

# 3. a body on routes that take none
out=$(api "$off" POST /api/v1/logout '{"everywhere":true}')
[ "${out%% *}" = 400 ] && [ "$(jq -r .error.code <<<"${out#* }")" = unexpected_body ] ||
  { echo "logout with a body: $out"; exit 1; }
[ "$(api "$off" GET /api/v1/me | cut -d' ' -f1)" = 200 ] || { echo "logged out anyway"; exit 1; }
out=$(api "$off" POST /api/v1/jobs/nojob/accept '{"force":true}')
[ "${out%% *}" = 400 ] || { echo "accept with a body: $out"; exit 1; }
out=$(api "$off" POST "/api/v1/legs/$leg/clearance" '{"all":true}')
[ "${out%% *}" = 400 ] || { echo "clearance with a body: $out"; exit 1; }
# (one event: the good household; none from the refused plan, logout, ...)
sleep 1
[ "$(tsql "$N" "SELECT count(*) FROM events")" = $((n_ev + 1)) ] ||
  { echo "refused requests wrote events"; exit 1; }
# without a body they are what they were
[ "$(api "$off" POST /api/v1/logout | cut -d' ' -f1)" = 200 ]
echo ok

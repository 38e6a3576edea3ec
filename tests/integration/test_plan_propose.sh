#!/usr/bin/env bash
# A plan looked at before it is recorded: POST /plan {"propose":true} writes
# nothing and lists what would change; accepting it records exactly that
# under the accepting officer's name, once; a discarded or superseded
# proposal cannot be accepted; another nation, a liaison and an unknown job
# get their errors and change nothing. Runs on either store.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
fail() { echo "FAIL: $*"; exit 1; }
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
start_server "$N"
kor=$(login kor.officer muster-demo-2026); jpn=$(login jpn.officer muster-demo-2026)
liaison=$(login jpn.liaison muster-demo-2026)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
events() { tsql "$N" "SELECT count(*) FROM events"; }
allocated() { tsql "$N" "SELECT count(*) FROM persons WHERE status = 'allocated'"; }
propose() { api "$kor" POST "/api/v1/operations/$op/plan" '{"propose":true}' | cut -d' ' -f2- | jq -r .job; }

before=$(events)
job=$(propose)
res=$(wait_job "$kor" "$job")
[ "$(jq -r .state <<<"$res")" = proposed ] || fail "not proposed: $res"
[ "$(jq -r .result.recorded <<<"$res")" = false ] || fail "recorded flag: $res"
[ "$(events)" = "$before" ] || fail "a proposal wrote events"
[ "$(allocated)" = 0 ] || fail "a proposal allocated people"
n_alloc=$(jq .result.changes.allocated <<<"$res")
[ "$n_alloc" -gt 0 ] || fail "the proposal allocates nobody"
[ "$(jq -r .result.changes.truncated <<<"$res")" = false ] || fail "list truncated at this size"
[ "$(jq '[.result.changes.households[] | select(.change == "allocated")] | length' <<<"$res")" = "$n_alloc" ] \
  || fail "listed allocations differ from the count"
people=$(jq '[.result.changes.households[] | select(.change == "allocated") | .people] | add' <<<"$res")
jq -e '.result.changes.households[0] | .household and .to and (.from == null)' <<<"$res" >/dev/null \
  || fail "a change lacks its household or leg: $(jq -c '.result.changes.households[0]' <<<"$res")"

# nobody else may accept it; nothing changes
[ "$(api "$jpn" POST "/api/v1/jobs/$job/accept" '' | cut -d' ' -f1)" = 404 ] || fail "another nation reached the job"
[ "$(api "$liaison" POST "/api/v1/jobs/$job/accept" '' | cut -d' ' -f1)" = 403 ] || fail "a liaison accepted"
[ "$(api "$kor" POST "/api/v1/jobs/job_nope/accept" '' | cut -d' ' -f1)" = 404 ] || fail "unknown job"
[ "$(events)" = "$before" ] || fail "a refused accept wrote events"

# accepted: recorded as proposed, by the officer who accepted
out=$(api "$kor" POST "/api/v1/jobs/$job/accept" '')
[ "${out%% *}" = 200 ] || fail "accept: $out"
[ "$(jq -r .state <<<"${out#* }")" = done ] || fail "accepted job not done: $out"
[ "$(jq -r .result.recorded <<<"${out#* }")" = true ] || fail "accepted job not recorded"
[ "$(allocated)" = "$people" ] || fail "allocated $(allocated), the proposal listed $people"
[ "$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'plan.recorded' AND actor = 'user:kor.officer'")" = 1 ] \
  || fail "no plan.recorded by the accepting officer"
again=$(api "$kor" POST "/api/v1/jobs/$job/accept" '')
[ "${again%% *}" = 409 ] || fail "accepted twice: $again"
jq -e '.error.message | test("recorded already")' <<<"${again#* }" >/dev/null || fail "unclear: $again"

# discarded: nothing written, cannot be accepted after
after=$(events)
job2=$(propose); [ "$(wait_job "$kor" "$job2" | jq -r .state)" = proposed ]
[ "$(api "$liaison" DELETE "/api/v1/jobs/$job2" | cut -d' ' -f1)" = 403 ] || fail "a liaison discarded"
[ "$(api "$kor" DELETE "/api/v1/jobs/$job2" | cut -d' ' -f1)" = 200 ] || fail "discard refused"
st=$(api "$kor" GET "/api/v1/jobs/$job2" | cut -d' ' -f2- | jq -r .state)
[ "$st" = discarded ] || fail "discard left state $st"
[ "$(api "$kor" POST "/api/v1/jobs/$job2/accept" '' | cut -d' ' -f1)" = 409 ] || fail "accepted a discarded plan"
[ "$(events)" = "$after" ] || fail "a discarded proposal wrote events"

# superseded: a newer proposal replaces the older one
job3=$(propose); [ "$(wait_job "$kor" "$job3" | jq -r .state)" = proposed ]
job4=$(propose); [ "$(wait_job "$kor" "$job4" | jq -r .state)" = proposed ]
[ "$(api "$kor" GET "/api/v1/jobs/$job3" | cut -d' ' -f2- | jq -r .state)" = superseded ] || fail "older proposal kept"
[ "$(api "$kor" POST "/api/v1/jobs/$job3/accept" '' | cut -d' ' -f1)" = 409 ] || fail "accepted a superseded plan"
# the registry is planned already: the newer proposal changes nobody
res4=$(api "$kor" GET "/api/v1/jobs/$job4" | cut -d' ' -f2-)
[ "$(jq '.result.changes.allocated + .result.changes.moved + .result.changes.released' <<<"$res4")" = 0 ] \
  || fail "a second plan would change $(jq -c '.result.changes | del(.households)' <<<"$res4")"
[ "$(events)" = "$after" ] || fail "proposals wrote events"
stop_server
"$MUSTER" verify --db "$N" >/dev/null
echo ok

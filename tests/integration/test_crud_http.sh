#!/usr/bin/env bash
# The reads, changes and deletes the API lacked: GET and DELETE of an
# assembly point (refused with 409 and a reason while a leg leaves from it
# or a field officer is assigned to it), PATCH of a leg (refused with 409
# when it would strand people on it), an operation's households, and
# DELETE of a household (409 while people are in it).
# Each change is one event; bad input changes nothing.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 600 >/dev/null
start_server "$N"
PW=muster-demo-2026
kor=$(login kor.officer $PW); jpn=$(login jpn.officer $PW); lia=$(login jpn.liaison $PW)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
airport=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'airport' AND operation = '$op'")
events() { tsql "$N" "SELECT count(*) FROM events WHERE type = '$1'"; }
code() { cut -d' ' -f1; }
body() { cut -d' ' -f2-; }

# --- one assembly point
[ "$(api "$kor" GET "/api/v1/points/$airport" | body | jq -r .name)" = "Ben Gurion Airport" ]
[ "$(api "$jpn" GET "/api/v1/points/$airport" | code)" = 200 ] # a partner of the operation
[ "$(api "$kor" GET /api/v1/points/pt_nothing | code)" = 404 ]
# the airport has legs leaving from it: refused, and why
out=$(api "$kor" DELETE "/api/v1/points/$airport")
[ "$(code <<<"$out")" = 409 ] && body <<<"$out" | jq -e '.error.message | test("leaves from")' >/dev/null || { echo "$out"; exit 1; }
pt=$(api "$kor" POST "/api/v1/operations/$op/points" '{"name":"Jaffa Port gate","kind":"port","lat":32.05,"lon":34.75,"capacity":100}' | body | jq -r .id)
[ "$(api "$jpn" DELETE "/api/v1/points/$pt" | code)" = 403 ] # Japan does not run this operation
[ "$(api "$lia" DELETE "/api/v1/points/$pt" | code)" = 403 ] # nor may a liaison
# a field officer assigned to it: refused too
echo "field-officer-password" | "$MUSTER" user add kor.jaffa --db "$N" --nation KOR --role field --points "$pt" >/dev/null
out=$(api "$kor" DELETE "/api/v1/points/$pt")
[ "$(code <<<"$out")" = 409 ] && body <<<"$out" | jq -e '.error.message | test("field officers")' >/dev/null || { echo "$out"; exit 1; }
"$MUSTER" user disable kor.jaffa --db "$N" >/dev/null
[ "$(events point.deleted)" = 0 ]
[ "$(api "$kor" DELETE "/api/v1/points/$pt" | code)" = 200 ]
[ "$(events point.deleted)" = 1 ]
[ "$(api "$kor" GET "/api/v1/points/$pt" | code)" = 404 ]
[ "$(api "$kor" DELETE "/api/v1/points/$pt" | code)" = 404 ]
[ "$(api "$kor" GET "/api/v1/operations/$op/points" | body | jq --arg p "$pt" '[.points[] | select(.id == $p)] | length')" = 0 ]

# --- changing a leg
departs=$(date -u -d '+5 hours' +%Y-%m-%dT%H:00:00Z)
leg=$(api "$jpn" POST "/api/v1/operations/$op/legs" "{\"kind\":\"aircraft\",\"vehicle\":\"KC-767\",\"seats\":200,
  \"stretchers\":0,\"point\":\"$airport\",\"departs\":\"$departs\",\"destination\":\"Tokyo Haneda (RJTT)\",
  \"destination_country\":\"JPN\",\"carries\":[\"JPN\",\"KOR\"]}" | body | jq -r .id)
arrives=$(date -u -d "$departs + 870 minutes" +%Y-%m-%dT%H:%M:%SZ)
out=$(api "$jpn" PATCH "/api/v1/legs/$leg" "{\"vehicle\":\"KC-767 (2nd)\",\"arrives\":\"$arrives\",\"seats\":180}")
[ "$(code <<<"$out")" = 200 ] || { echo "$out"; exit 1; }
body <<<"$out" | jq -e --arg a "$arrives" '.vehicle == "KC-767 (2nd)" and .arrives == $a and .seats == 180 and .stretchers == 0' >/dev/null
[ "$(tsql "$N" "SELECT vehicle || ' ' || seats FROM legs WHERE id = '$leg'")" = "KC-767 (2nd) 180" ]
n=$(events leg.updated)
for bad in '{"arrives":"'"$departs"'"}' '{"seats":0}' '{"carries":[]}' '{"carries":["Korea"]}' \
  '{"point":"pt_nothing"}' '{"operator":"KOR"}' '{"departs":"tomorrow"}' '{}'; do
  [ "$(api "$jpn" PATCH "/api/v1/legs/$leg" "$bad" | code)" = 400 ] || { echo "accepted $bad"; exit 1; }
done
[ "$(api "$kor" PATCH "/api/v1/legs/$leg" '{"seats":10}' | code)" = 404 ] # Korea does not fly it
[ "$(events leg.updated)" = "$n" ]
# people on a leg are not stranded by a change
job=$(api "$kor" POST "/api/v1/operations/$op/plan" '' | body | jq -r .job)
[ "$(wait_job "$kor" "$job" | jq -r .state)" = done ]
read -r full oper nat < <(tsql "$N" "SELECT p.leg, l.operator, p.nationality FROM persons p JOIN legs l ON l.id = p.leg
  WHERE p.status = 'allocated' AND l.status <> 'cancelled' ORDER BY p.id LIMIT 1" | tr '|' ' ')
[ -n "$full" ] || { echo "nobody allocated"; exit 1; }
tok=$kor; [ "$oper" = JPN ] && tok=$jpn
other=KOR; [ "$nat" = KOR ] && other=JPN
out=$(api "$tok" PATCH "/api/v1/legs/$full" '{"seats":1,"stretchers":0}')
[ "$(code <<<"$out")" = 409 ] && body <<<"$out" | jq -e '.error.message | test("taken")' >/dev/null || { echo "$out"; exit 1; }
out=$(api "$tok" PATCH "/api/v1/legs/$full" "{\"carries\":[\"$other\"]}")
[ "$(code <<<"$out")" = 409 ] && body <<<"$out" | jq -e --arg n "$nat" '.error.message | test($n)' >/dev/null || { echo "$out"; exit 1; }
[ "$(events leg.updated)" = "$n" ]
# a cancelled leg does not change
[ "$(api "$jpn" POST "/api/v1/legs/$leg/cancel" '{"reason":"aircraft withdrawn"}' | code)" = 201 ]
[ "$(api "$jpn" PATCH "/api/v1/legs/$leg" '{"vehicle":"C-2"}' | code)" = 409 ]

# --- deleting a household: only once nobody is in it
read -r p hh < <(tsql "$N" "SELECT id, household FROM persons WHERE operation = '$op' AND nation = 'KOR'
  AND status = 'registered' AND household IN (SELECT id FROM households WHERE size > 1) ORDER BY id LIMIT 1" | tr '|' ' ')
[ -n "$p" ] || { echo "no registered Korean in a family"; exit 1; }
new=$(api "$kor" POST "/api/v1/persons/$p/household" '{"household":null}' | body | jq -r .household)
out=$(api "$kor" DELETE "/api/v1/households/$new")
[ "$(code <<<"$out")" = 409 ] && body <<<"$out" | jq -e '.error.message | test("1 person")' >/dev/null || { echo "$out"; exit 1; }
[ "$(api "$kor" DELETE "/api/v1/households/$hh" | code)" = 409 ]
[ "$(api "$kor" POST "/api/v1/persons/$p/household" "{\"household\":\"$hh\"}" | code)" = 201 ]
[ "$(api "$jpn" DELETE "/api/v1/households/$new" | code)" = 404 ] # not Japan's
[ "$(events household.deleted)" = 0 ]
[ "$(api "$kor" DELETE "/api/v1/households/$new" | code)" = 200 ]
[ "$(events household.deleted)" = 1 ]
[ "$(tsql "$N" "SELECT count(*) FROM households WHERE id = '$new'")" = 0 ]
[ "$(api "$kor" DELETE "/api/v1/households/$new" | code)" = 404 ]

# --- an operation's households: the caller's nation's own
for who in kor jpn; do
  nat=${who^^}; tok=${!who}
  out=$(api "$tok" GET "/api/v1/operations/$op/households" | body)
  [ "$(jq '.households | length' <<<"$out")" = "$(tsql "$N" "SELECT count(*) FROM households WHERE operation = '$op' AND nation = '${nat:0:3}'")" ] || { echo "$who: $out" | head -c 300; exit 1; }
  jq -e --arg n "${nat:0:3}" 'all(.households[]; .nation == $n and .size >= 1)' <<<"$out" >/dev/null
done
[ "$(api "$kor" GET /api/v1/operations/op_nothing/households | code)" = 404 ]
echo ok

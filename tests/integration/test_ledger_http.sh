#!/usr/bin/env bash
# The reciprocity ledger and the arrivals forecast: Japan flies Koreans on a
# KC-767 at a flat fee; once they depart the ledger counts them as carried
# by Japan with the fee due. The accounts come from the log: erasing a
# carried person keeps them, a new fare policy does not re-price earlier
# carriages, leaving the aircraft takes a carriage back; the overall ledger
# is the sum of the operations'; a nation sees only the rows where it
# carries or is carried. Japan's immigration sees the leg in its arrivals
# forecast with the Koreans on board. A store upgraded from before the
# ledger gets its carriages back from the log.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
"$MUSTER" gen scenario --db "$N" --people 300 --seed 7 >/dev/null
echo "sgp-officer-password" | "$MUSTER" user add sgp.officer --db "$N" --nation SGP --role officer >/dev/null
start_server "$N"
PW=muster-demo-2026
kor=$(login kor.officer $PW); jpn=$(login jpn.officer $PW); imm=$(login jpn.immigration $PW)
sgp=$(login sgp.officer sgp-officer-password)
op=$(tsql "$N" "SELECT id FROM operations ORDER BY created_ms, id LIMIT 1")
op2=$(tsql "$N" "SELECT id FROM operations ORDER BY created_ms, id LIMIT 1 OFFSET 1")
airport=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'airport' AND operation = '$op'")
departs=$(date -u -d '+5 hours' +%Y-%m-%dT%H:00:00Z)
arrives=$(date -u -d "$departs + 870 minutes" +%Y-%m-%dT%H:%M:%SZ)
legbody() { echo "{\"kind\":\"aircraft\",\"vehicle\":\"KC-767\",\"seats\":200,
  \"stretchers\":0,\"point\":\"$airport\",\"departs\":\"$departs\",\"arrives\":\"$1\",
  \"destination\":\"Tokyo Haneda (RJTT)\",\"destination_country\":\"JPN\",\"carries\":[\"JPN\",\"KOR\"]}"; }
# a leg cannot land before it leaves
[ "$(api "$jpn" POST "/api/v1/operations/$op/legs" "$(legbody "$departs")" | cut -d' ' -f1)" = 400 ]
out=$(api "$jpn" POST "/api/v1/operations/$op/legs" "$(legbody "$arrives")")
leg=$(jq -r .id <<<"${out#* }")
[ "$(api "$jpn" GET "/api/v1/legs/$leg" | cut -d' ' -f2- | jq -r .arrives)" = "$arrives" ]
[ "$(api "$jpn" PUT "/api/v1/operations/$op/fare" '{"kind":"flat_fee","amount":30000}' | cut -d' ' -f1)" = 400 ]
# a policy cannot start in the past: it would re-price what was carried
[ "$(api "$jpn" PUT "/api/v1/operations/$op/fare" '{"kind":"free","effective_from":"2020-01-01T00:00:00Z"}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$jpn" PUT "/api/v1/operations/$op/fare" '{"kind":"flat_fee","amount":30000,"currency":"JPY"}' | cut -d' ' -f1)" = 201 ]
job=$(api "$kor" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$kor" "$job" | jq -r .state)" = done ]
koreans=$(tsql "$N" "SELECT id FROM persons WHERE leg = '$leg' AND nationality = 'KOR' AND status = 'allocated' AND needs & 1 = 0 ORDER BY id LIMIT 4")
[ "$(wc -w <<<"$koreans")" = 4 ] || { echo "not 4 Koreans on the Japanese leg: $koreans"; exit 1; }
set -- $koreans; last=$4
ledger_row() { # TOKEN PATH CARRIER NATIONALITY
  api "$1" GET "$2" | cut -d' ' -f2- |
    jq -c --arg c "$3" --arg n "$4" '[.ledger[] | select(.carrier == $c and .nationality == $n)][0] // {}'
}
status() { # PERSON TO... (as $STOK, Korea's officer by default)
  local p=$1; shift
  for to in "$@"; do
    st=$(api "${STOK:-$kor}" POST "/api/v1/persons/$p/status" "{\"to\":\"$to\"}" | cut -d' ' -f1)
    [ "$st" = 201 ] || { echo "$p -> $to: $st"; exit 1; }
  done
}
before=$(ledger_row "$kor" "/api/v1/operations/$op/ledger" JPN KOR)
c0=$(jq '.carried // 0' <<<"$before"); a0=$(jq '.at_point // 0' <<<"$before")
[ "$(jq '.charge' <<<"$before")" = null ] || { echo "a charge before anyone boarded: $before"; exit 1; }
for p in $1 $2 $3; do status "$p" checked_in boarded departed; done
row=$(ledger_row "$kor" "/api/v1/operations/$op/ledger" JPN KOR)
[ "$(jq .carried <<<"$row")" = $((c0 + 3)) ] || { echo "ledger: $row"; exit 1; }
[ "$(jq .reciprocal <<<"$row")" = true ]
[ "$(jq .charge.amount <<<"$row")" = 90000 ] && [ "$(jq -r .charge.currency <<<"$row")" = JPY ] || { echo "charge: $row"; exit 1; }
[ "$(tsql "$N" "SELECT count(*) FROM carriages WHERE leg = '$leg' AND departed_ms IS NOT NULL")" = 3 ]
# Korea's own legs are free by default
api "$kor" GET "/api/v1/operations/$op/ledger" | cut -d' ' -f2- | jq -e '.ledger[] | select(.carrier == "KOR") | .charge == null' >/dev/null

# a new policy applies from now on: the three already carried keep ¥30,000
[ "$(api "$jpn" PUT "/api/v1/operations/$op/fare" '{"kind":"flat_fee","amount":50000,"currency":"JPY"}' | cut -d' ' -f1)" = 201 ]
row=$(ledger_row "$kor" "/api/v1/operations/$op/ledger" JPN KOR)
[ "$(jq .charge.amount <<<"$row")" = 90000 ] || { echo "re-priced: $row"; exit 1; }
[ "$(jq .policy.amount <<<"$row")" = 50000 ] || { echo "policy now: $row"; exit 1; }
# one announced for tomorrow changes nothing today
tomorrow=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
[ "$(api "$jpn" PUT "/api/v1/operations/$op/fare" "{\"kind\":\"free\",\"effective_from\":\"$tomorrow\"}" | cut -d' ' -f1)" = 201 ]
status "$last" checked_in boarded
row=$(ledger_row "$kor" "/api/v1/operations/$op/ledger" JPN KOR)
[ "$(jq .charge.amount <<<"$row")" = 140000 ] && [ "$(jq .charge.people <<<"$row")" = 4 ] || { echo "4th at ¥50,000: $row"; exit 1; }
[ "$(jq .at_point <<<"$row")" = $((a0 + 1)) ] || { echo "at_point: $row"; exit 1; }
[ "$(jq .policy.amount <<<"$row")" = 50000 ] || { echo "policy now: $row"; exit 1; }
# leaving the aircraft gives the seat back
status "$last" checked_in
row=$(ledger_row "$kor" "/api/v1/operations/$op/ledger" JPN KOR)
[ "$(jq .charge.amount <<<"$row")" = 90000 ] || { echo "offloaded: $row"; exit 1; }

# erasing a carried person keeps the accounts
[ "$(api "$kor" POST "/api/v1/persons/$1/erase" '{"reason":"request"}' | cut -d' ' -f1)" = 201 ]
[ "$(tsql "$N" "SELECT count(*) FROM persons WHERE id = '$1'")" = 0 ]
row=$(ledger_row "$kor" "/api/v1/operations/$op/ledger" JPN KOR)
[ "$(jq .carried <<<"$row")" = $((c0 + 3)) ] && [ "$(jq .charge.amount <<<"$row")" = 90000 ] || { echo "after erasure: $row"; exit 1; }
# per sortie: the KC-767 carried those three
[ "$(jq -c --arg l "$leg" '[.legs[] | select(.leg == $l) | .carried, .at_point]' <<<"$row")" = "[3,0]" ] || { echo "legs: $row"; exit 1; }
# no personal data in a carriage: neither the person's id nor a name
[ "$(tsql "$N" "SELECT count(*) FROM carriages WHERE id = '$1' OR leg = '$1'")" = 0 ]

# the second operation (one Japanese aircraft) carries two people too;
# overall = sum of operations
job=$(api "$kor" POST "/api/v1/operations/$op2/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$kor" "$job" | jq -r .state)" = done ]
for p in $(tsql "$N" "SELECT id FROM persons WHERE operation = '$op2' AND status = 'allocated' AND nationality = 'JPN' ORDER BY id LIMIT 2"); do
  STOK=$jpn status "$p" checked_in boarded departed
done
for who in "$kor" "$jpn"; do
  all=$(api "$who" GET /api/v1/ledger | cut -d' ' -f2-)
  [ "$(jq '.operations | length' <<<"$all")" = 2 ] || { echo "operations: $all"; exit 1; }
  [ "$(jq '[.ledger[] | select(has("legs"))] | length' <<<"$all")" = 0 ] # sorties per operation only
  sum=$( (api "$who" GET "/api/v1/operations/$op/ledger"; api "$who" GET "/api/v1/operations/$op2/ledger") | cut -d' ' -f2- |
    jq -s -c '[.[].ledger[]] | group_by(.carrier + ">" + .nationality) | map({k: (.[0].carrier + ">" + .[0].nationality),
      planned: (map(.planned) | add), at_point: (map(.at_point) | add), carried: (map(.carried) | add)}) | sort_by(.k)')
  got=$(jq -c '[.ledger[] | {k: (.carrier + ">" + .nationality), planned, at_point, carried}] | sort_by(.k)' <<<"$all")
  [ "$got" = "$sum" ] || { echo "overall $got != sum $sum"; exit 1; }
done
[ "$(api "$jpn" GET /api/v1/ledger | cut -d' ' -f2- | jq '[.ledger[].carried] | add')" = $((c0 + 5)) ] || { echo "overall for Japan"; exit 1; }
# Japan sees the rows it carries or is carried in, never Korea carrying Koreans
api "$jpn" GET /api/v1/ledger | cut -d' ' -f2- | jq -e '[.ledger[] | select(.carrier != "JPN" and .nationality != "JPN")] | length == 0' >/dev/null
api "$jpn" GET /api/v1/ledger | cut -d' ' -f2- | jq -e '[.ledger[] | select(.carrier == "JPN" and .nationality == "KOR")] | length == 1' >/dev/null
# a third nation, even as a partner of the operation, sees nothing
[ "$(api "$sgp" GET "/api/v1/operations/$op/ledger" | cut -d' ' -f1)" = 404 ]
[ "$(api "$kor" PATCH "/api/v1/operations/$op" '{"partners":["JPN","KOR","SGP"]}' | cut -d' ' -f1)" = 200 ]
[ "$(api "$sgp" GET "/api/v1/operations/$op/ledger" | cut -d' ' -f2- | jq '.ledger | length')" = 0 ]
out=$(api "$sgp" GET /api/v1/ledger | cut -d' ' -f2-)
[ "$(jq '.ledger | length' <<<"$out")" = 0 ] && [ "$(jq -r '.operations[0]' <<<"$out")" = "$op" ] || { echo "SGP: $out"; exit 1; }

# the arrivals forecast of Japan has the KC-767 with the Koreans aboard
out=$(api "$imm" GET /api/v1/arrivals)
arr=$(jq -c --arg l "$leg" '.arrivals[] | select(.id == $l)' <<<"${out#* }")
[ "$(jq -r '.by_nationality.KOR' <<<"$arr")" -ge 1 ] || { echo "arrivals: $arr"; exit 1; }
# per destination: Haneda, by the hour the leg lands, with needs and the legs
out=$(api "$imm" GET "/api/v1/arrivals?destination=RJTT" | cut -d' ' -f2-)
[ "$(jq -c '[.destinations[].destination] | unique' <<<"$out")" = '["Tokyo Haneda (RJTT)"]' ] || { echo "destinations: $out"; exit 1; }
hour=$(date -u -d "$arrives" +%Y-%m-%dT%H:00:00Z)
b=$(jq -c --arg h "$hour" '.destinations[0].buckets[] | select(.hour == $h)' <<<"$out")
jq -e --arg l "$leg" '(.legs | index($l)) != null and .by_nationality.KOR >= 1 and (.needs | has("stretcher") and has("unaccompanied_minor"))' <<<"$b" >/dev/null || { echo "bucket: $b"; exit 1; }
# buckets are in arrival order, and count the same people as the legs
jq -e '[.destinations[0].buckets[].hour | select(. != null)] | . == sort' <<<"$out" >/dev/null
[ "$(jq '[.destinations[].buckets[].people] | add' <<<"$out")" = "$(jq '[.arrivals[].people] | add' <<<"$out")" ]
[ "$(jq '[.arrivals[] | select(.destination | contains("RJTT") | not)] | length' <<<"$out")" = 0 ]
# the generator's legs land at realistic times: the KC-330 to Seoul after ~11 h
kimm=$(login kor.immigration $PW)
api "$kimm" GET "/api/v1/arrivals?destination=RKSM" | cut -d' ' -f2- | jq -e '[.arrivals[] |
  ((.arrives | fromdate) - (.departs | fromdate))] | length > 0 and all(. == 650 * 60)' >/dev/null || { echo "KC-330 block time"; exit 1; }
# Korea's immigration sees no leg arriving in Japan
[ "$(api "$kimm" GET /api/v1/arrivals | cut -d' ' -f2- | jq --arg l "$leg" '[.arrivals[] | select(.id == $l)] | length')" = 0 ]
[ "$(api "$kimm" GET "/api/v1/arrivals?destination=RJTT" | cut -d' ' -f2- | jq '.destinations | length')" = 0 ]

# the retention job shredding the closed operation's people keeps the accounts
[ "$(api "$kor" PATCH "/api/v1/operations/$op" '{"status":"closed"}' | cut -d' ' -f1)" = 200 ]
[ "$(api "$kor" PUT "/api/v1/operations/$op/retention" '{"registry_days":0,"partner_days":0}' | cut -d' ' -f1)" = 200 ]
closed=$(api "$kor" GET "/api/v1/operations/$op/retention" | cut -d' ' -f2- | jq -r .closed_at)
stop_server
"$MUSTER" retention run --db "$N" --now "$(date -u -d "$closed + 1 day" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
start_server "$N"
[ "$(tsql "$N" "SELECT count(*) FROM persons WHERE operation = '$op'")" = 0 ]
row=$(ledger_row "$kor" "/api/v1/operations/$op/ledger" JPN KOR)
[ "$(jq .carried <<<"$row")" = $((c0 + 3)) ] && [ "$(jq .charge.amount <<<"$row")" = 90000 ] || { echo "after retention: $row"; exit 1; }

# a store from before the ledger (schema 9, no carriages though people
# boarded): its upgrade asks for a rebuild, the first open replays the log
# and the ledger comes back as it was, shredded people included; later
# opens rebuild nothing
stop_server
carriages="SELECT operation, leg, carrier, nationality, slot, boarded_ms, departed_ms, fare FROM carriages ORDER BY id"
tsql "$N" "$carriages" > carriages.before
[ "$(wc -l < carriages.before)" -ge 5 ] || { echo "too few carriages to compare"; exit 1; }
tsql "$N" "DELETE FROM carriages"
tsql "$N" "PRAGMA user_version = 9" "UPDATE muster_schema SET version = 9"
"$MUSTER" user list --db "$N" >/dev/null
tsql "$N" "$carriages" > carriages.after
diff carriages.before carriages.after || { echo "the ledger was not rebuilt after the upgrade"; exit 1; }
[ "$(tsql "$N" "SELECT value FROM meta WHERE key = 'rebuild'")" = "" ] || { echo "the rebuild is still asked"; exit 1; }
[ "$(tsql "$N" "PRAGMA user_version" "SELECT max(version) FROM muster_schema")" -ge 10 ]
"$MUSTER" verify --db "$N" >/dev/null
echo ok

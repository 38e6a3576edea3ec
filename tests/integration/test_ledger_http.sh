#!/usr/bin/env bash
# The reciprocity ledger and the arrivals forecast: Japan flies Koreans on a
# KC-767 at a flat fee; once they depart the ledger counts them as carried
# by Japan with the fee due; Japan's immigration sees the leg in its
# arrivals forecast with the Koreans on board.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
start_server "$N"
PW=muster-demo-2026
kor=$(login kor.officer $PW); jpn=$(login jpn.officer $PW); imm=$(login jpn.immigration $PW)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
airport=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'airport'")
departs=$(date -u -d '+5 hours' +%Y-%m-%dT%H:%M:%SZ)
out=$(api "$jpn" POST "/api/v1/operations/$op/legs" "{\"kind\":\"aircraft\",\"vehicle\":\"KC-767\",\"seats\":200,
  \"stretchers\":0,\"point\":\"$airport\",\"departs\":\"$departs\",\"destination\":\"Tokyo Haneda (RJTT)\",
  \"destination_country\":\"JPN\",\"carries\":[\"JPN\",\"KOR\"]}")
leg=$(jq -r .id <<<"${out#* }")
[ "$(api "$jpn" PUT "/api/v1/operations/$op/fare" '{"kind":"flat_fee","amount":30000}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$jpn" PUT "/api/v1/operations/$op/fare" '{"kind":"flat_fee","amount":30000,"currency":"JPY"}' | cut -d' ' -f1)" = 201 ]
job=$(api "$kor" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$kor" "$job" | jq -r .state)" = done ]
koreans=$(tsql "$N" "SELECT id FROM persons WHERE leg = '$leg' AND nationality = 'KOR' AND status = 'allocated' LIMIT 3")
[ -n "$koreans" ] || { echo "no Korean on the Japanese leg"; exit 1; }
for p in $koreans; do
  for to in checked_in boarded departed; do
    st=$(api "$kor" POST "/api/v1/persons/$p/status" "{\"to\":\"$to\"}" | cut -d' ' -f1)
    [ "$st" = 201 ] || { echo "$p -> $to: $st"; exit 1; }
  done
done
n=$(wc -w <<<"$koreans")
out=$(api "$kor" GET "/api/v1/operations/$op/ledger")
row=$(jq -c '.ledger[] | select(.carrier == "JPN" and .nationality == "KOR")' <<<"${out#* }")
[ "$(jq .carried <<<"$row")" = "$n" ] || { echo "ledger: $row"; exit 1; }
[ "$(jq .reciprocal <<<"$row")" = true ]
[ "$(jq .charge.amount <<<"$row")" = "$((n * 30000))" ] && [ "$(jq -r .charge.currency <<<"$row")" = JPY ] || { echo "charge: $row"; exit 1; }
# Korea's own legs are free by default
jq -e '.ledger[] | select(.carrier == "KOR") | .charge == null' <<<"${out#* }" >/dev/null
# the arrivals forecast of Japan has the KC-767 with the Koreans aboard
out=$(api "$imm" GET /api/v1/arrivals)
arr=$(jq -c --arg l "$leg" '.arrivals[] | select(.id == $l)' <<<"${out#* }")
[ "$(jq -r '.by_nationality.KOR' <<<"$arr")" -ge "$n" ] || { echo "arrivals: $arr"; exit 1; }
# Korea's immigration sees no leg arriving in Japan
[ "$(api "$(login kor.immigration $PW)" GET /api/v1/arrivals | cut -d' ' -f2- | jq --arg l "$leg" '[.arrivals[] | select(.id == $l)] | length')" = 0 ]
echo ok

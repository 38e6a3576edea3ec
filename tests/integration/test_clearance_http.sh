#!/usr/bin/env bash
# Pre-clearance over HTTP: Japan's immigration screens a leg arriving in
# Japan against its rules and a watchlist; a listed passenger (written with
# another romanisation) is referred, the rest cleared; an officer overrides
# the refer with a reason; the decisions are events and the log verifies.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
mkdir clear
cat > clear/JPN.rules.json <<'JSON'
{"country": "JPN", "visa_exempt": ["KOR", "USA"], "humanitarian_entry": {"partners": ["KOR"],
 "min_validity_days": 0}, "min_validity_days": 0, "lost_passport_documents": ["emergency"],
 "match_threshold": 60}
JSON
# plan first without screening, then build the watchlist from a passenger
MUSTER_SERVE_ARGS="" start_server "$N"
off=$(login kor.officer muster-demo-2026)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
job=$(api "$off" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$off" "$job" | jq -r .state)" = done ]
stop_server
in30=$(date -u -d '+30 days' +%Y-%m-%d)
leg=$(tsql "$N" "SELECT l.id FROM legs l JOIN persons p ON p.leg = l.id WHERE l.destination_country = 'JPN'
  AND p.status = 'allocated' AND p.doc_expiry > '$in30' GROUP BY l.id HAVING count(*) > 5 LIMIT 1")
[ -n "$leg" ] || { echo "no leg to Japan"; exit 1; }
IFS='|' read -r pid sur giv birth nat < <(tsql "$N" "SELECT id, surname, given_names, birth_date, nationality
  FROM persons WHERE leg = '$leg' AND status = 'allocated' AND doc_expiry > '$in30' LIMIT 1")
# the listed name as another service romanised it: OHNO -> ONO, SHINICHI -> SHIN'ICHI, ...
listed=$(sed -e 's/^OHNO$/ONO/' -e 's/^ITO$/ITOH/' <<<"$sur")
printf 'surname,given_names,birth_date,nationality,reason,id\n%s,%s,%s,%s,test listing,WL-1\nNOBODY,NEVER,1900,XXX,x,WL-2\n' \
  "$listed" "${giv,,}" "${birth:0:4}" "$nat" > clear/JPN.watchlist.csv
"$MUSTER" serve --db "$N" --listen 127.0.0.1:0 --clearance-dir clear > serve.out 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q "^muster serving" serve.out && break; sleep 0.05; done
BASE="http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' serve.out | head -1)"
imm=$(login jpn.immigration muster-demo-2026); kimm=$(login kor.immigration muster-demo-2026)
liaison=$(login jpn.liaison muster-demo-2026)
out=$(api "$imm" POST "/api/v1/legs/$leg/clearance" '')
[ "${out%% *}" = 201 ] || { echo "clearance: $out"; exit 1; }
r=${out#* }
n=$(tsql "$N" "SELECT count(*) FROM persons WHERE leg = '$leg' AND status = 'allocated'")
[ "$(jq '.decisions | length' <<<"$r")" -ge 1 ]
[ "$(jq -r --arg p "$pid" '.decisions[] | select(.person == $p) | .decision' <<<"$r")" = refer ] || { echo "listed passenger not referred"; jq -c '.decisions[] | select(.person == "'$pid'")' <<<"$r"; exit 1; }
jq -e --arg p "$pid" '.decisions[] | select(.person == $p) | .hits[0].entry == "WL-1" and (.hits[0].why | length) > 0' <<<"$r" >/dev/null
[ "$(jq '.totals.cleared' <<<"$r")" -ge 1 ]
cid=$(jq -r --arg p "$pid" '.decisions[] | select(.person == $p) | .id' <<<"$r")
# only the arrival country's immigration: Korea's and a liaison are refused
[ "$(api "$kimm" POST "/api/v1/legs/$leg/clearance" '' | cut -d' ' -f1)" = 404 ]
[ "$(api "$liaison" POST "/api/v1/legs/$leg/clearance" '' | cut -d' ' -f1)" = 403 ]
[ "$(api "$kimm" POST "/api/v1/clearances/$cid/override" '{"to":"cleared","reason":"x"}' | cut -d' ' -f1)" = 404 ]
# an override needs a reason, then records it; a second one is refused
[ "$(api "$imm" POST "/api/v1/clearances/$cid/override" '{"to":"cleared","reason":""}' | cut -d' ' -f1)" = 400 ]
out=$(api "$imm" POST "/api/v1/clearances/$cid/override" '{"to":"cleared","reason":"not the listed person: different birth date on file"}')
[ "${out%% *}" = 201 ] && [ "$(jq -r .decision <<<"${out#* }")" = cleared ] && [ "$(jq -r .overridden_from <<<"${out#* }")" = refer ] || { echo "override: $out"; exit 1; }
[ "$(api "$imm" POST "/api/v1/clearances/$cid/override" '{"to":"not_cleared","reason":"again"}' | cut -d' ' -f1)" = 409 ]
out=$(api "$imm" GET "/api/v1/legs/$leg/clearance")
[ "$(jq -r --arg c "$cid" '.decisions[] | select(.id == $c) | .override_reason' <<<"${out#* }")" != null ]
# an uploaded PAXLST of the same leg (as a carrier would send it) is
# screened passenger by passenger; a broken one is refused whole
curl -s -o leg.edi -H "Authorization: Bearer $imm" "$BASE/api/v1/legs/$leg/manifest?format=paxlst"
npax=$("$MUSTER" paxlst parse leg.edi | jq '[.messages[].passengers[]] | length')
out=$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $imm" --data-binary @leg.edi "$BASE/api/v1/clearance/manifests")
[ "$(tail -1 <<<"$out")" = 201 ] || { echo "upload: $out"; exit 1; }
up=$(head -n -1 <<<"$out")
[ "$(jq '.decisions | length' <<<"$up")" = "$npax" ] || { echo "upload decided $(jq '.decisions | length' <<<"$up") of $npax"; exit 1; }
[ "$(jq -r --arg p "$pid" '.decisions[] | select(.passenger_ref == $p) | .decision' <<<"$up")" = refer ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $imm" --data-binary "UNH+1+PAXLST'" "$BASE/api/v1/clearance/manifests")" = 400 ]
# the same answer as CUSRES, which muster paxlst parses back
curl -s -o answer.edi -X POST -H "Authorization: Bearer $imm" --data-binary @leg.edi "$BASE/api/v1/clearance/manifests?format=cusres"
"$MUSTER" paxlst parse answer.edi > answer.json
grep -q '"refer"' answer.json || { echo "CUSRES has no refer"; head -c 400 answer.json; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $liaison" --data-binary @leg.edi "$BASE/api/v1/clearance/manifests")" = 403 ]
# the decisions are events, sealed, and the log verifies
[ "$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'clearance.decided'")" -ge 1 ]
[ "$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'clearance.decided' AND $(tbody) LIKE '%$sur%'")" = 0 ]
stop_server
"$MUSTER" verify --db "$N" >/dev/null
echo ok

#!/usr/bin/env bash
# The read audit over HTTP: every route that returns a person's personal
# data leaves one read_audit row per person (who, nation, role, route,
# purpose, view) that is on disk when the answer arrives; a 404 leaves none;
# only an admin of the person's nation asks "who looked at this person?"
# (officers and partners get 403); the table refuses UPDATE and DELETE even
# from sqlite3 or psql itself. The demo data comes from the fixed seed of muster demo.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
PW=muster-demo-2026
mkdir clear
cat > clear/KOR.rules.json <<'JSON'
{"country": "KOR", "visa_exempt": ["JPN", "USA"], "humanitarian_entry": {"partners": ["JPN"],
 "min_validity_days": 0}, "min_validity_days": 0, "lost_passport_documents": ["emergency"],
 "match_threshold": 60}
JSON
printf 'surname,given_names,birth_date,nationality,reason,id\nNOBODY,NEVER,1900,XXX,x,WL-1\n' > clear/KOR.watchlist.csv
# the demo has no Japanese supervisor: add one
echo "$PW" | "$MUSTER" user add jpn.admin --db "$N" --nation JPN --role admin >/dev/null
"$MUSTER" serve --db "$N" --listen 127.0.0.1:0 --clearance-dir clear > serve.out 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do grep -q "^muster serving" serve.out && break; sleep 0.1; done
BASE="http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' serve.out | head -1)"
admin=$(login jpn.admin $PW); off=$(login jpn.officer $PW); field=$(login jpn.field $PW)
kimm=$(login kor.immigration $PW); kadmin=$(login kor.admin $PW); koff=$(login kor.officer $PW)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
airport=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'airport'")
# a Japanese registered by Japan, allocated by Japan to a Korean leg from the
# airport to Korea that carries Japanese (chosen here, not by the planner,
# so that the test does not depend on what a plan makes of the demo)
leg=$(tsql "$N" "SELECT id FROM legs WHERE destination_country = 'KOR' AND operator = 'KOR'
  AND carries LIKE '%JPN%' AND point = (SELECT id FROM assembly_points WHERE kind = 'airport') ORDER BY id LIMIT 1")
[ -n "$leg" ] || { echo "no Korean leg to Korea carrying Japanese"; exit 1; }
IFS='|' read -r p hh doc sur < <(tsql "$N" "SELECT id, household, doc_number, surname FROM persons
  WHERE nation = 'JPN' AND nationality = 'JPN' AND status = 'registered' AND consent = 1 AND doc_number IS NOT NULL
  AND doc_expiry > '$(date -u -d '+30 days' +%Y-%m-%d)' ORDER BY id LIMIT 1") || true
[ -n "${p:-}" ] || { echo "no registered Japanese with a valid passport"; exit 1; }
out=$(api "$off" POST "/api/v1/persons/$p/status" "{\"to\":\"allocated\",\"leg\":\"$leg\"}")
[ "${out%% *}" = 201 ] || { echo "allocate: $out"; exit 1; }
# and a second one, so that lists hold more than one person
p2=$(tsql "$N" "SELECT id FROM persons WHERE nation = 'JPN' AND status = 'registered' AND consent = 1 AND id != '$p'
  ORDER BY id LIMIT 1")
[ "$(api "$off" POST "/api/v1/persons/$p2/status" "{\"to\":\"allocated\",\"leg\":\"$leg\"}" | cut -d' ' -f1)" = 201 ]
[ "$(tsql "$N" "SELECT count(*) FROM read_audit")" = 0 ] # status changes answer no personal data

rows() { # person [purpose]: rows of the read audit
  tsql "$N" "SELECT count(*) FROM read_audit WHERE person = '$1' ${2:+AND purpose = '$2'}"
}
# expect STATUS PURPOSE ACTOR VIEW -- TOKEN METHOD PATH [BODY]: the call answers
# STATUS and leaves exactly one more row for $p with that purpose, actor and view
expect() {
  local status=$1 purpose=$2 actor=$3 view=$4; shift 5
  local before out
  before=$(rows "$p" "$purpose")
  out=$(api "$@")
  [ "${out%% *}" = "$status" ] || { echo "$purpose: $out" | cut -c1-400; exit 1; }
  [ "$(rows "$p" "$purpose")" = $((before + 1)) ] || { echo "$purpose: no read_audit row for $p"; exit 1; }
  local last
  last=$(tsql "$N" "SELECT actor || '|' || view || '|' || route FROM read_audit
    WHERE person = '$p' AND purpose = '$purpose' ORDER BY id DESC LIMIT 1")
  [ "${last%%|*}" = "$actor" ] || { echo "$purpose: actor $last"; exit 1; }
  last=${last#*|}
  [ "${last%%|*}" = "$view" ] || { echo "$purpose: view $last"; exit 1; }
  [[ "${last#*|}" == "$2 /api/v1/"* ]] || { echo "$purpose: route $last"; exit 1; }
}

expect 200 person jpn.officer full -- "$off" GET "/api/v1/persons/$p"
expect 200 search jpn.officer full -- "$off" GET "/api/v1/operations/$op/persons?document=$doc"
expect 200 history jpn.officer full -- "$off" GET "/api/v1/persons/$p/history"
expect 200 household jpn.officer full -- "$off" GET "/api/v1/households/$hh"
expect 200 passengers jpn.officer full -- "$off" GET "/api/v1/legs/$leg/passengers"
for f in csv pdf paxlst; do
  expect 200 "manifest.$f" jpn.officer full -- "$off" GET "/api/v1/legs/$leg/manifest?format=$f"
done
expect 200 edit jpn.officer full -- "$off" PATCH "/api/v1/persons/$p" '{"phone":"+82 10-5555-0101"}'
# Korea, the arrival country, reads them in the partner view and screens the leg
expect 200 person kor.immigration partner -- "$kimm" GET "/api/v1/persons/$p"
expect 201 clearance kor.immigration clearance -- "$kimm" POST "/api/v1/legs/$leg/clearance" ''
expect 200 clearance kor.immigration clearance -- "$kimm" GET "/api/v1/legs/$leg/clearance"
[ "$(tsql "$N" "SELECT DISTINCT nation || role FROM read_audit WHERE actor = 'kor.immigration'")" = KORimmigration ]
# a search row for every person in the answer, not only the first
n=$(api "$off" GET "/api/v1/legs/$leg/passengers" | cut -d' ' -f2- | jq '(.passengers // []) | length')
[ "$n" -gt 1 ]
[ "$(tsql "$N" "SELECT count(DISTINCT person) FROM read_audit WHERE purpose = 'passengers'")" = "$n" ]
# the check-in desk: the answer shows the person (and their household)
body=$(jq -cn --arg pt "$airport" --arg d "$doc" '{point: $pt, document_number: $d}')
expect 201 checkin jpn.field full -- "$field" POST "/api/v1/operations/$op/checkins" "$body"
# again: refused with the person shown, so read again
expect 422 checkin jpn.field full -- "$field" POST "/api/v1/operations/$op/checkins" "$body"
# a walk-in: the answer carries the new person
out=$(api "$field" POST "/api/v1/operations/$op/walkins" \
  '{"point":"'"$airport"'","person":{"surname":"AUDITWALK","nationality":"JPN","consent":true}}')
[ "${out%% *}" = 201 ] || { echo "walkin: $out"; exit 1; }
w=$(jq -r .person.id <<<"${out#* }")
[ "$(rows "$w" walkin)" = 1 ]

# a refused read leaves no row
before=$(tsql "$N" "SELECT count(*) FROM read_audit")
[ "$(api "$off" GET "/api/v1/persons/per_nobody" | cut -d' ' -f1)" = 404 ]
[ "$(api "$off" GET "/api/v1/persons/per_nobody/history" | cut -d' ' -f1)" = 404 ]
[ "$(tsql "$N" "SELECT count(*) FROM read_audit")" = "$before" ]

# who looked at this person? an admin of Japan only
out=$(api "$admin" GET "/api/v1/persons/$p/reads")
[ "${out%% *}" = 200 ] || { echo "reads: $out"; exit 1; }
r=${out#* }
[ "$(jq '(.reads // []) | length' <<<"$r")" = "$(rows "$p")" ]
jq -e '(.reads // []) | any(.actor == "kor.immigration" and .nation == "KOR" and .view == "partner")' <<<"$r" >/dev/null
jq -e '(.reads // []) | all(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T"))' <<<"$r" >/dev/null
jq -e '[(.reads // [])[].id] == ([(.reads // [])[].id] | sort)' <<<"$r" >/dev/null
[ "$(api "$off" GET "/api/v1/persons/$p/reads" | cut -d' ' -f1)" = 403 ]
[ "$(api "$field" GET "/api/v1/persons/$p/reads" | cut -d' ' -f1)" = 403 ]
[ "$(api "$kimm" GET "/api/v1/persons/$p/reads" | cut -d' ' -f1)" = 403 ]
# Korea's admin sees them only in the partner view: not theirs to audit
[ "$(api "$kadmin" GET "/api/v1/persons/$p/reads" | cut -d' ' -f1)" = 403 ]
[ "$(api "$admin" GET "/api/v1/persons/per_nobody/reads" | cut -d' ' -f1)" = 404 ]
[ "$(api "" GET "/api/v1/persons/$p/reads" | cut -d' ' -f1)" = 401 ]
# asking who looked is not itself a read of the person's data
[ "$(rows "$p")" = "$(jq '(.reads // []) | length' <<<"$r")" ]

# append-only, even for someone with the file
total=$(tsql "$N" "SELECT count(*) FROM read_audit")
if tsql "$N" "UPDATE read_audit SET actor = 'nobody' WHERE person = '$p'" 2>err.txt; then
  echo "UPDATE of read_audit went through"; exit 1
fi
grep -q "append-only" err.txt
if tsql "$N" "DELETE FROM read_audit WHERE person = '$p'" 2>err.txt; then
  echo "DELETE of read_audit went through"; exit 1
fi
grep -q "append-only" err.txt
[ "$(tsql "$N" "SELECT count(*) FROM read_audit")" = "$total" ]
[ "$(tsql "$N" "SELECT count(*) FROM read_audit WHERE actor = 'nobody'")" = 0 ]
# a read answered just before muster is killed is still in the audit (its
# row was committed before the answer left; kill -9 loses no commit)
before=$(rows "$p" person)
[ "$(api "$off" GET "/api/v1/persons/$p" | cut -d' ' -f1)" = 200 ]
kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
[ "$(rows "$p" person)" = $((before + 1)) ]
"$MUSTER" verify --db "$N" >/dev/null
echo ok

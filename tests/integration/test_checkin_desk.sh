#!/usr/bin/env bash
# The check-in desk over HTTP: a passport MRZ as a scanner types it checks a
# person in (201, durable), and every way it cannot proceed gets its reason:
# already checked in, wrong assembly point, expired passport, not
# allocated, unreadable MRZ, unknown document, officer at another point,
# several people with the name and birth date of a new passport.
# A walk-in is registered and checked in on the spot.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
start_server "$N"
PW=muster-demo-2026
off=$(login kor.officer $PW); field=$(login kor.field $PW)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
airport=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'airport'")
port=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'port'")
job=$(api "$off" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$off" "$job" | jq -r .state)" = done ]
today=$(date -u +%Y-%m-%d)

# the MRZ of a person, as their passport would print it
mrz_of() {
  tsql "$N" "SELECT surname, given_names, nationality, doc_number, doc_state, birth_date, sex,
      doc_expiry FROM persons WHERE id = '$1'" |
    jq -cR 'split("|") | map(if . == "" then null else . end) | {surname: .[0], given_names: .[1],
      nationality: .[2], document_number: .[3], issuing_state: .[4], birth_date: .[5], sex: .[6],
      expiry_date: .[7], format: "TD3", document_code: "P"}' |
    jq -c --arg d "${2:-}" 'if $d != "" then .document_number = $d else . end' |
    "$MUSTER" mrz make | sed '/^$/d' | paste -sd'\n' -
}
at_point() { # status, point, expiry condition
  tsql "$N" "SELECT p.id FROM persons p JOIN legs l ON p.leg = l.id
    WHERE p.status = '$1' AND l.point = '$2' AND p.nation = 'KOR' AND p.doc_expiry $3 '$today'
    ORDER BY p.id LIMIT 1"
}
checkin() { # token body
  api "$1" POST "/api/v1/operations/$op/checkins" "$2"
}
body() { jq -cn --arg p "$1" --arg m "$2" '{point: $p, mrz: $m}'; }

# 1. a good passport at the right desk: first the desk's look-up (dry run:
# the same answer, nothing written), then the check-in
p=$(at_point allocated "$airport" '>')
[ -n "$p" ] || { echo "no allocated KOR person at the airport"; exit 1; }
n_ev=$(tsql "$N" "SELECT count(*) FROM events")
out=$(checkin "$field" "$(jq -c '. + {dry_run: true}' <<<"$(body "$airport" "$(mrz_of "$p")")")")
[ "${out%% *}" = 200 ] || { echo "dry run: $out"; exit 1; }
[ "$(jq -r .outcome <<<"${out#* }")" = ready ] && [ "$(jq -r .person.id <<<"${out#* }")" = "$p" ]
[ "$(jq -r .leg.gate_closes <<<"${out#* }")" != null ]
[ "$(tsql "$N" "SELECT status FROM persons WHERE id = '$p'")" = allocated ] || { echo "a dry run checked in"; exit 1; }
[ "$(tsql "$N" "SELECT count(*) FROM events")" = "$n_ev" ] || { echo "a dry run wrote events"; exit 1; }
out=$(checkin "$field" "$(body "$airport" "$(mrz_of "$p")")")
[ "${out%% *}" = 201 ] || { echo "check-in: $out"; exit 1; }
r=${out#* }
[ "$(jq -r .person.id <<<"$r")" = "$p" ] && [ "$(jq -r .person.status <<<"$r")" = checked_in ]
[ "$(jq -r .leg.id <<<"$r")" != null ] && [ "$(jq -r .leg.gate_closes <<<"$r")" != null ]
size=$(tsql "$N" "SELECT size FROM households WHERE id = (SELECT household FROM persons WHERE id = '$p')")
[ "$(jq '.household | length' <<<"$r")" = "$size" ]
[ "$(jq '[.household[] | select(.here)] | length' <<<"$r")" -ge 1 ]
[ "$(tsql "$N" "SELECT status FROM persons WHERE id = '$p'")" = checked_in ]

# 2. the same passport again
out=$(checkin "$field" "$(body "$airport" "$(mrz_of "$p")")")
[ "${out%% *}" = 422 ] && [ "$(jq -r .error.code <<<"${out#* }")" = already_checked_in ] || { echo "again: $out"; exit 1; }

# 3. allocated to a leg leaving from the port: the desk says where to go
q=$(at_point allocated "$port" '>')
if [ -n "$q" ]; then
  out=$(checkin "$off" "$(body "$airport" "$(mrz_of "$q")")")
  [ "${out%% *}" = 422 ] && [ "$(jq -r .error.code <<<"${out#* }")" = wrong_point ] || { echo "wrong point: $out"; exit 1; }
  grep -q "$port" <<<"$out" || { echo "the answer does not name the right point: $out"; exit 1; }
fi

# 4. an expired passport
e=$(at_point allocated "$airport" '<')
[ -n "$e" ] || { echo "no expired passport in the scenario"; exit 1; }
out=$(checkin "$field" "$(body "$airport" "$(mrz_of "$e")")")
[ "${out%% *}" = 422 ] && [ "$(jq -r .error.code <<<"${out#* }")" = expired ] || { echo "expired: $out"; exit 1; }
[ "$(tsql "$N" "SELECT status FROM persons WHERE id = '$e'")" = allocated ]

# 5. registered, not allocated
u=$(tsql "$N" "SELECT id FROM persons WHERE status = 'registered' AND nation = 'KOR' AND doc_expiry > '$today' LIMIT 1")
if [ -n "$u" ]; then
  out=$(checkin "$field" "$(body "$airport" "$(mrz_of "$u")")")
  [ "${out%% *}" = 422 ] && [ "$(jq -r .error.code <<<"${out#* }")" = not_allocated ] || { echo "unallocated: $out"; exit 1; }
fi

# 6. a misread check digit: unreadable, with nothing written
good=$(at_point allocated "$airport" '>')
m=$(mrz_of "$good")
line2=$(sed -n 2p <<<"$m"); c=${line2:9:1}; bad=$(( (c + 1) % 10 ))
broken="$(sed -n 1p <<<"$m")"$'\n'"${line2:0:9}$bad${line2:10}"
out=$(checkin "$field" "$(body "$airport" "$broken")")
[ "${out%% *}" = 422 ] && [ "$(jq -r .error.code <<<"${out#* }")" = bad_document ] || { echo "bad mrz: $out"; exit 1; }
[ "$(tsql "$N" "SELECT status FROM persons WHERE id = '$good'")" = allocated ]

# 7. a document nobody carries; 8. an officer at another point
out=$(checkin "$field" "{\"point\":\"$airport\",\"document_number\":\"ZZ0000000\"}")
[ "${out%% *}" = 404 ] || { echo "unknown doc: $out"; exit 1; }
out=$(checkin "$field" "$(body "$port" "$(mrz_of "$good")")")
[ "${out%% *}" = 403 ] || { echo "field at another point: $out"; exit 1; }
# by document number, the typed fallback
doc=$(tsql "$N" "SELECT doc_number FROM persons WHERE id = '$good'")
out=$(checkin "$field" "{\"point\":\"$airport\",\"document_number\":\"$doc\"}")
[ "${out%% *}" = 201 ] || { echo "by number: $out"; exit 1; }

# 9. a renewed passport (a number nobody carries) finds its holder by name and
# birth date, compared in their MRZ form, however common the surname: 600
# other KIMs (whose given names sort first, 20 born the same day) and the
# holder typed as "Kim" / "Min-jun"; two people with one name and birth
# date are ambiguous, and the answer names nobody
p2=$(at_point allocated "$airport" '>')
out=$(checkin "$field" "$(body "$airport" "$(mrz_of "$p2" R00000001)")")
[ "${out%% *}" = 201 ] && [ "$(jq -r .person.id <<<"${out#* }")" = "$p2" ] || { echo "new passport: $out"; exit 1; }
[ "$(tsql "$N" "SELECT status FROM persons WHERE id = '$p2'")" = checked_in ]
{
  echo household,surname,given_names,nationality,sex,birth_date,doc_number,doc_expiry
  for i in $(seq 1 600); do
    b=1985-03-$(printf %02d $(( i % 30 + 1 )))
    printf 'k%d,KIM,AAAA %s,KOR,M,%s,K%08d,2031-01-01\n' "$i" "$(printf '%03d' "$i" | tr 0-9 A-J)" "$b" "$i"
  done
  echo "t1,Kim,Min-jun,KOR,M,1985-03-14,K10000001,2031-01-01"
  echo "t2,PARK,JI HO,KOR,F,1990-01-01,K10000002,2031-01-01"
  echo "t3,PARK,JI HO,KOR,F,1990-01-01,K10000003,2031-01-01"
} > kims.csv
"$MUSTER" import registrants kims.csv --db "$N" --nation KOR --operation "$op" >/dev/null
[ "$(tsql "$N" "SELECT count(*) FROM persons WHERE upper(surname) = 'KIM'")" -gt 600 ]
kim=$(tsql "$N" "SELECT id FROM persons WHERE doc_number = 'K10000001'")
kim_mrz=$(jq -cn '{surname: "KIM", given_names: "MIN JUN", nationality: "KOR",
  document_number: "R00000002", issuing_state: "KOR", birth_date: "1985-03-14", sex: "M",
  expiry_date: "2031-06-01", format: "TD3", document_code: "P"}' | "$MUSTER" mrz make |
  sed '/^$/d' | paste -sd'\n' -)
out=$(checkin "$field" "$(body "$airport" "$kim_mrz")")
[ "$(jq -r .person.id <<<"${out#* }")" = "$kim" ] || { echo "KIM by name and birth date: $out"; exit 1; }
[ "$(jq -r .error.code <<<"${out#* }")" = not_allocated ] || { echo "KIM: $out"; exit 1; }
park_mrz=$(jq -cn '{surname: "PARK", given_names: "JI HO", nationality: "KOR",
  document_number: "R00000003", issuing_state: "KOR", birth_date: "1990-01-01", sex: "F",
  expiry_date: "2031-06-01", format: "TD3", document_code: "P"}' | "$MUSTER" mrz make |
  sed '/^$/d' | paste -sd'\n' -)
out=$(checkin "$field" "$(body "$airport" "$park_mrz")")
[ "${out%% *}" = 422 ] && [ "$(jq -r .error.code <<<"${out#* }")" = ambiguous ] || { echo "ambiguous: $out"; exit 1; }
[ "$(jq -r '.person // .household // .leg // "none"' <<<"${out#* }")" = none ] || { echo "ambiguous names someone: $out"; exit 1; }
! grep -q "PARK\|JI HO\|K1000000" <<<"$out" || { echo "ambiguous names someone: $out"; exit 1; }

# 10. a walk-in
w='{"point":"'$airport'","person":{"surname":"HAN","given_names":"SEOYUN","nationality":"KOR","sex":"F","birth_date":"1991-05-05","document":{"type":"P","number":"M99990001","expiry":"2031-01-01"},"consent":true}}'
out=$(api "$field" POST "/api/v1/operations/$op/walkins" "$w")
[ "${out%% *}" = 201 ] || { echo "walk-in: $out"; exit 1; }
[ "$(tsql "$N" "SELECT status FROM persons WHERE doc_number = 'M99990001'")" = checked_in ]
# unknown fields are refused, not ignored
out=$(api "$field" POST "/api/v1/operations/$op/walkins" '{"point":"'$airport'","person":{"surname":"X","nationality":"KOR","shoe":1}}')
[ "${out%% *}" = 400 ] || { echo "unknown field: $out"; exit 1; }
stop_server
"$MUSTER" verify --db "$N" >/dev/null
echo ok

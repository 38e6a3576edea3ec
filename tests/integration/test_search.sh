#!/usr/bin/env bash
# Searching people (GET /operations/{op}/persons?q=): by name prefix, in any
# case and with or without accents (the query is transliterated as an MRZ
# would be); by document number prefix; by phone number as stored, without
# its spaces, dashes or country-code '+', or by a part of it; by a part of
# the native name as typed (native names are not transliterated: "Müller"
# is found by "Mül", not by "Mul"; docs/openapi.yaml).
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 300 >/dev/null
start_server "$N"
off=$(login kor.officer muster-demo-2026)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
m='{"surname":"GOMEZ","given_names":"JOSE","native_name":"José Gómez Müller","nationality":"KOR",
  "sex":"M","birth_date":"1980-02-02","phone":"+82 10-5555-0199",
  "document":{"type":"P","number":"MQ7788123","expiry":"2031-01-01"}}'
out=$(api "$off" POST "/api/v1/operations/$op/households" "{\"members\":[$m]}")
[ "${out%% *}" = 201 ] || { echo "register: $out"; exit 1; }
id=$(tsql "$N" "SELECT id FROM persons WHERE doc_number = 'MQ7788123'")
ref=$(tsql "$N" "SELECT id FROM persons WHERE nation = 'KOR' AND native_name IS NOT NULL
  AND id <> '$id' ORDER BY id LIMIT 1")
native=$(tsql "$N" "SELECT native_name FROM persons WHERE id = '$ref'")

finds() { # who query...: every query finds who
  local who=$1 q; shift
  for q in "$@"; do
    local enc out
    enc=$(jq -rn --arg q "$q" '$q | @uri')
    out=$(api "$off" GET "/api/v1/operations/$op/persons?q=$enc&limit=1000")
    [ "${out%% *}" = 200 ] || { echo "q=$q: $out"; exit 1; }
    jq -e --arg id "$who" '[.persons[].id] | index($id) != null' <<<"${out#* }" >/dev/null ||
      { echo "q=$q does not find $who"; exit 1; }
  done
}
misses() { # who query
  local out
  out=$(api "$off" GET "/api/v1/operations/$op/persons?q=$(jq -rn --arg q "$2" '$q | @uri')&limit=1000")
  jq -e --arg id "$1" '[.persons[].id] | index($id) == null' <<<"${out#* }" >/dev/null ||
    { echo "q=$2 finds $1"; exit 1; }
}
# name prefixes, any case, accents or not
finds "$id" GOMEZ gom Gómez "gomez jo" "GÓMEZ JOSÉ" jos José
# document number prefix
finds "$id" MQ7788123 mq778
# phone: as stored, without spaces or '+', a local part
finds "$id" "+82 10-5555-0199" 821055550199 "10-5555-0199" 55550199 "5555 0199"
misses "$id" "10-5555-0198"
# native name: a part of it as typed (Hangul from the demo, Latin with accents)
finds "$ref" "${native:0:2}"
finds "$id" "Gómez Mü" "Müller"
# a name that is nobody's
misses "$id" GOMEZZ
echo ok

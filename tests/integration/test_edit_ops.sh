#!/usr/bin/env bash
# Editing what an operation is made of: the running nation renames and
# closes an operation and moves an assembly point; a registered person
# moves between households (sizes follow), never onto another nation's
# household and never once on a leg. Partners cannot edit.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 600 >/dev/null
start_server "$N"
kor=$(login kor.officer muster-demo-2026); jpn=$(login jpn.officer muster-demo-2026)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
pt=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'embassy' LIMIT 1")
out=$(api "$kor" PATCH "/api/v1/operations/$op" '{"name":"Joint evacuation, Israel (phase 2)"}')
[ "${out%% *}" = 200 ] && [ "$(jq -r .name <<<"${out#* }")" = "Joint evacuation, Israel (phase 2)" ] || { echo "$out"; exit 1; }
[ "$(api "$kor" PATCH "/api/v1/operations/$op" '{"status":"paused"}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$jpn" PATCH "/api/v1/operations/$op" '{"name":"x"}' | cut -d' ' -f1)" = 403 ]
out=$(api "$kor" PATCH "/api/v1/points/$pt" '{"capacity":900,"lat":32.0801,"lon":34.7811}')
[ "${out%% *}" = 200 ] && [ "$(jq .capacity <<<"${out#* }")" = 900 ] || { echo "$out"; exit 1; }
[ "$(api "$kor" PATCH "/api/v1/points/$pt" '{"lat":32.1}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$jpn" PATCH "/api/v1/points/$pt" '{"capacity":1}' | cut -d' ' -f1)" = 403 ]
[ "$(tsql "$N" "SELECT capacity FROM assembly_points WHERE id = '$pt'")" = 900 ]
# households: two Korean households, one person moves
read -r h1 h2 < <(tsql "$N" "SELECT a.id || ' ' || b.id FROM households a, households b WHERE a.nation = 'KOR'
  AND b.nation = 'KOR' AND a.id < b.id AND a.size > 1 LIMIT 1")
p=$(tsql "$N" "SELECT id FROM persons WHERE household = '$h1' LIMIT 1")
s1=$(tsql "$N" "SELECT size FROM households WHERE id = '$h1'"); s2=$(tsql "$N" "SELECT size FROM households WHERE id = '$h2'")
out=$(api "$kor" POST "/api/v1/persons/$p/household" "{\"household\":\"$h2\"}")
[ "${out%% *}" = 201 ] || { echo "move: $out"; exit 1; }
[ "$(tsql "$N" "SELECT household FROM persons WHERE id = '$p'")" = "$h2" ]
[ "$(tsql "$N" "SELECT size FROM households WHERE id = '$h1'")" = $((s1 - 1)) ]
[ "$(tsql "$N" "SELECT size FROM households WHERE id = '$h2'")" = $((s2 + 1)) ]
# to a household of their own
out=$(api "$kor" POST "/api/v1/persons/$p/household" '{"household":null}')
[ "${out%% *}" = 201 ] && [ "$(tsql "$N" "SELECT size FROM households WHERE id = '$(jq -r .household <<<"${out#* }")'")" = 1 ]
# not onto a Japanese household; not by Japan
hj=$(tsql "$N" "SELECT id FROM households WHERE nation = 'JPN' LIMIT 1")
[ "$(api "$kor" POST "/api/v1/persons/$p/household" "{\"household\":\"$hj\"}" | cut -d' ' -f1)" = 400 ]
[ "$(api "$jpn" POST "/api/v1/persons/$p/household" '{"household":null}' | cut -d' ' -f1)" = 404 ]
# once on a leg, people do not change household (a Japanese on a Japanese
# leg: the legs of a small demo are Japan's, carrying Japanese only)
q=$(tsql "$N" "SELECT id FROM persons WHERE status = 'registered' AND nation = 'JPN' AND nationality = 'JPN' LIMIT 1")
leg=$(tsql "$N" "SELECT id FROM legs WHERE operator = 'JPN' AND carries LIKE '%JPN%' LIMIT 1")
[ "$(api "$jpn" POST "/api/v1/persons/$q/status" "{\"to\":\"allocated\",\"leg\":\"$leg\"}" | cut -d' ' -f1)" = 201 ]
[ "$(api "$jpn" POST "/api/v1/persons/$q/household" '{"household":null}' | cut -d' ' -f1)" = 409 ]
stop_server
"$MUSTER" verify --db "$N" >/dev/null
echo ok

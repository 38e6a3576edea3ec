#!/usr/bin/env bash
# Erasure on request: the registering nation erases a person; their key is
# destroyed, the person is gone from every answer and projection, their
# sealed fields stay in the log as unreadable ciphertext, and the chain
# still verifies. Others cannot erase them; a reason is required.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 500 >/dev/null
start_server "$N"
kor=$(login kor.officer muster-demo-2026); jpn=$(login jpn.officer muster-demo-2026)
p=$(tsql "$N" "SELECT id FROM persons WHERE nation = 'KOR' AND nationality = 'KOR' LIMIT 1")
other=$(tsql "$N" "SELECT id FROM persons WHERE nation = 'KOR' AND id <> '$p' LIMIT 1")
[ "$(api "$kor" POST "/api/v1/persons/$p/erase" '{}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$jpn" POST "/api/v1/persons/$p/erase" '{"reason":"x"}' | cut -d' ' -f1)" = 404 ]
out=$(api "$kor" POST "/api/v1/persons/$p/erase" '{"reason":"request of the data subject"}')
[ "${out%% *}" = 201 ] || { echo "erase: $out"; exit 1; }
[ "$(api "$kor" GET "/api/v1/persons/$p" | cut -d' ' -f1)" = 404 ]
[ "$(api "$kor" POST "/api/v1/persons/$p/erase" '{"reason":"again"}' | cut -d' ' -f1)" = 404 ]
[ "$(api "$kor" GET "/api/v1/persons/$other" | cut -d' ' -f1)" = 200 ]
stop_server
[ "$(tsql "$N" "SELECT count(*) FROM persons WHERE id = '$p'")" = 0 ]
[ "$(tsql "$N" "SELECT count(*) FROM person_keys WHERE subject = '$p'")" = 0 ]
[ "$(tsql "$N" "SELECT count(*) FROM person_keys WHERE subject = '$other'")" = 1 ]
# the sealed blob is still in the log, and only that
[ "$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'household.registered' AND $(tbody) LIKE '%$p%'")" = 1 ]
[ "$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'person.erased'")" = 1 ]
"$MUSTER" verify --db "$N" >/dev/null
echo ok

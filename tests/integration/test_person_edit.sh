#!/usr/bin/env bash
# Editing a person over HTTP: the registering nation changes contact and
# needs (the priority follows), bad values are refused with nothing changed,
# a partner cannot edit, the new fields are sealed in the log; and the server
# also speaks TLS.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 400 >/dev/null
start_server "$N"
kor=$(login kor.officer muster-demo-2026); jpn=$(login jpn.officer muster-demo-2026)
p=$(tsql "$N" "SELECT id FROM persons WHERE nation = 'KOR' AND needs = 0 AND priority = 'standard' LIMIT 1")
out=$(api "$kor" PATCH "/api/v1/persons/$p" '{"phone":"+82 10-5555-0101","needs":["stretcher"],"email":null}')
[ "${out%% *}" = 200 ] || { echo "edit: $out"; exit 1; }
r=${out#* }
[ "$(jq -r .phone <<<"$r")" = "+82 10-5555-0101" ] && [ "$(jq -r .priority <<<"$r")" = critical ] && [ "$(jq -r .email <<<"$r")" = null ]
[ "$(jq -r '.needs[0]' <<<"$r")" = stretcher ]
before=$(tsql "$N" "SELECT birth_date FROM persons WHERE id = '$p'")
[ "$(api "$kor" PATCH "/api/v1/persons/$p" '{"birth_date":"2031-02-30"}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$kor" PATCH "/api/v1/persons/$p" '{"nationality":"JPN"}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$kor" PATCH "/api/v1/persons/$p" '{"shoe":1}' | cut -d' ' -f1)" = 400 ]
[ "$(tsql "$N" "SELECT birth_date FROM persons WHERE id = '$p'")" = "$before" ]
[ "$(api "$jpn" PATCH "/api/v1/persons/$p" '{"phone":"x"}' | cut -d' ' -f1)" = 404 ]
[ "$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'person.updated' AND $(tbody) LIKE '%5555%'")" = 0 ]
[ "$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'person.updated'")" = 1 ]
stop_server
"$MUSTER" verify --db "$N" >/dev/null
# TLS with a self-signed certificate
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=localhost 2>/dev/null
"$MUSTER" serve --db "$N" --listen 127.0.0.1:0 --tls-cert cert.pem --tls-key key.pem > tls.out 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q "^muster serving" tls.out && break; sleep 0.05; done
grep -q "https://" tls.out || { cat tls.out; exit 1; }
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' tls.out | head -1)
[ "$(curl -sk "https://127.0.0.1:$port/healthz" | jq -r .status)" = ok ]
# plain HTTP to the TLS port gets no answer
! curl -s -m 2 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 || { echo "plain HTTP answered on the TLS port"; exit 1; }
echo ok

#!/usr/bin/env bash
# Erasure notices between two nodes: Korea's node A erases a person whose
# copy Japan's node B holds; A's signed notice, exported as a file and
# applied on B, destroys B's copy of the key and the row, and B verifies.
# B only believes notices signed by a node it trusts, rejects a tampered
# file whole, and applies a notice once.
# Simulated (test_share.sh covers the real muster share path): B's copy is made by copying the person's
# row and wrapped key from A's database (sqlite3 ATTACH, or psql COPY on
# PostgreSQL; docs/privacy.md). Runs on either store.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
A=$(tdb a); B=$(tdb b)
fails() { if "$@"; then echo "should have failed: $*"; exit 1; fi; }
"$MUSTER" demo --no-serve --db "$A" --people 200 >/dev/null
"$MUSTER" init --db "$B" --nation JPN >/dev/null
p=$(tsql "$A" "SELECT id FROM persons WHERE nation = 'KOR' ORDER BY id LIMIT 1")
other=$(tsql "$A" "SELECT id FROM persons WHERE nation = 'KOR' ORDER BY id LIMIT 1 OFFSET 1")
tcopy_rows "$A" "$B" persons "id IN ('$p', '$other')"
tcopy_rows "$A" "$B" person_keys "subject IN ('$p', '$other')"
bq() { tsql "$B" "$1"; }
[ "$(bq "SELECT count(*) FROM person_keys")" = 2 ]

start_server "$A"
kor=$(login kor.officer muster-demo-2026)
[ "$(api "$kor" POST "/api/v1/persons/$p/erase" '{"reason":"request of the data subject"}' | cut -d' ' -f1)" = 201 ]
stop_server
"$MUSTER" erasure-notice export --db "$A" --out notices.json
[ "$(jq '.notices | length' notices.json)" = 1 ]
[ "$(jq -r '.notices[0].body | fromjson | [.reason, .persons[0]] | join(" ")' notices.json)" = "request $p" ]
# the free-text reason of the erasure stays on A
fails grep -q "data subject" notices.json
[ "$(tsql "$A" "SELECT count(*) FROM events WHERE type = 'erasure.notice'")" = 1 ]

events=$(bq "SELECT count(*) FROM events")
# B does not know A yet: the notice is refused, nothing changes
fails "$MUSTER" erasure-notice apply --db "$B" notices.json 2>err.txt
grep -q "does not know" err.txt
[ "$(bq "SELECT count(*) FROM person_keys")" = 2 ] && [ "$(bq "SELECT count(*) FROM events")" = "$events" ]
id=$("$MUSTER" erasure-notice identity --db "$A")
fails "$MUSTER" erasure-notice trust --db "$B" --origin "$(jq -r .origin <<<"$id")" --nation KOR \
  --pubkey 00ff 2>/dev/null
"$MUSTER" erasure-notice trust --db "$B" --origin "$(jq -r .origin <<<"$id")" \
  --nation "$(jq -r .nation <<<"$id")" --pubkey "$(jq -r .pubkey <<<"$id")" >/dev/null
# the same key again changes nothing; another key for a known node is refused
"$MUSTER" erasure-notice trust --db "$B" --origin "$(jq -r .origin <<<"$id")" \
  --nation "$(jq -r .nation <<<"$id")" --pubkey "$(jq -r .pubkey <<<"$id")" >/dev/null
fails "$MUSTER" erasure-notice trust --db "$B" --origin "$(jq -r .origin <<<"$id")" \
  --nation KOR --pubkey "$(printf '%064d' 7)" 2>/dev/null
[ "$(bq "SELECT count(*) FROM events WHERE type = 'node.trusted'")" = 1 ]
events=$(bq "SELECT count(*) FROM events")
# a notice edited to name someone else no longer matches A's signature
jq --arg p "$p" --arg o "$other" '.notices[0].body |= sub($p; $o)' notices.json > forged.json
fails "$MUSTER" erasure-notice apply --db "$B" forged.json 2>err.txt
grep -q "hash does not match" err.txt
# nor does one re-hashed by someone without A's key
h=$(jq -r .notices[0].hash notices.json); wrong=$(printf '%s' "$h" | tr '0-9a-f' '1-9a-f0')
jq --arg w "$wrong" '.notices[0].hash = $w' notices.json > forged2.json
fails "$MUSTER" erasure-notice apply --db "$B" forged2.json 2>/dev/null
fails "$MUSTER" erasure-notice apply --db "$A" notices.json 2>/dev/null # A's own
[ "$(bq "SELECT count(*) FROM person_keys")" = 2 ] && [ "$(bq "SELECT count(*) FROM events")" = "$events" ]

"$MUSTER" erasure-notice apply --db "$B" notices.json --json > applied.json
[ "$(jq -c '[.applied, .skipped, .keys_destroyed]' applied.json)" = "[1,0,1]" ]
[ "$(bq "SELECT count(*) FROM person_keys WHERE subject = '$p'")" = 0 ]
[ "$(bq "SELECT count(*) FROM persons WHERE id = '$p'")" = 0 ]
[ "$(bq "SELECT count(*) FROM person_keys WHERE subject = '$other'")" = 1 ]
[ "$(bq "SELECT count(*) FROM persons WHERE id = '$other'")" = 1 ]
[ "$(bq "SELECT count(*) FROM events WHERE type = 'erasure.applied'")" = 1 ]
"$MUSTER" verify --db "$B" >/dev/null
"$MUSTER" verify --db "$A" >/dev/null
# applied once: again is a no-op
"$MUSTER" erasure-notice apply --db "$B" notices.json --json > again.json
[ "$(jq -c '[.applied, .skipped]' again.json)" = "[0,1]" ]
[ "$(bq "SELECT count(*) FROM events WHERE type = 'erasure.applied'")" = 1 ]
# exports after a sequence number leave older notices out
seq=$(jq -r .notices[0].seq notices.json)
[ "$("$MUSTER" erasure-notice export --db "$A" --after "$seq" | jq '.notices | length')" = 0 ]
echo ok

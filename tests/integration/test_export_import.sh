#!/usr/bin/env bash
# muster export / muster import-log move a whole node between stores
# through its event log (issue 9). A SQLite node goes to store B (a
# PostgreSQL database under tests/run-pg, another SQLite file otherwise)
# and back to a SQLite file C: each side verifies, the personal fields read
# the same (the wrapped data keys moved with the events), the two exports
# are byte for byte the same, and the moved node goes on writing. A cut
# log, a wrong key file and an existing target are refused and leave
# nothing behind.
set -euo pipefail
. "$ROOT/tests/pg/lib.sh"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
tsetup "$d"
M=$MUSTER
[ -x "${MUSTER_ASAN:-}" ] && M=$MUSTER_ASAN
A=$d/a.db B=$(tdb moved) C=$d/c.db
"$MUSTER" demo --no-serve --db "$A" --people 300 >/dev/null
"$MUSTER" loadgen --db "$A" --count 20 --batch 5 >/dev/null

"$M" export --db "$A" > "$d/a.log" 2>"$d/a.err"
grep -q '^exported [0-9]* events' "$d/a.err"
[ "$(head -1 "$d/a.log" | jq -r .muster_log)" = 1 ]
[ "$(grep -c '^{"event"' "$d/a.log")" -eq "$(sqlite3 "$A" 'SELECT count(*) FROM events')" ]
[ "$(grep -c '^{"key"' "$d/a.log")" -eq "$(sqlite3 "$A" 'SELECT count(*) FROM person_keys')" ]
! grep -q "$(sed -n 's/^muster-node-key-v1 //p' "$A.key")" "$d/a.log" # no secret key

# refused: a cut log, a wrong key file, an existing target; nothing is left
head -n -2 "$d/a.log" > "$d/cut.log"
if "$M" import-log --db "$B" --key "$A.key" < "$d/cut.log" 2>"$d/err"; then exit 1; fi
grep -q 'damaged\|ends early' "$d/err"
"$MUSTER" init --db "$d/other.db" --nation KOR >/dev/null
if "$M" import-log --db "$B" --key "$d/other.db.key" < "$d/a.log" 2>"$d/err"; then exit 1; fi
grep -q 'does not belong' "$d/err"
if on_pg; then # the database stays, muster's tables are gone
  [ "$(tsql "$B" "" "SELECT to_regclass('muster_schema') IS NULL AND to_regclass('events') IS NULL")" = t ]
else
  tabsent "$B"
fi
[ ! -e "$(tkey "$B")" ]
if "$M" import-log --db "$A" --key "$A.key" < "$d/a.log" 2>"$d/err"; then exit 1; fi
grep -q 'already' "$d/err"

# A -> B -> C
"$M" import-log --db "$B" --key "$A.key" < "$d/a.log" > "$d/b.out"
grep -q '^imported node .* verified' "$d/b.out"
"$MUSTER" verify --db "$B" >/dev/null
"$M" export --db "$B" > "$d/b.log" 2>/dev/null
cmp "$d/a.log" "$d/b.log" || { echo "the export of B differs from that of A"; exit 1; }
"$M" import-log --db "$C" --key "$(tkey "$B")" --json < "$d/b.log" > "$d/c.json"
jq -e '.keys == 300 and .users == 8 and .chains == 1' "$d/c.json" >/dev/null
"$MUSTER" verify --db "$C" >/dev/null
q="SELECT id, status, coalesce(leg, ''), surname, given_names, doc_number FROM persons ORDER BY id"
sqlite3 "$A" "$q" > "$d/a.people"
tsql "$B" "$q" > "$d/b.people"
sqlite3 "$C" "$q" > "$d/c.people"
[ "$(wc -l < "$d/a.people")" -eq 300 ] && grep -q '|[A-Z][A-Z]*|' "$d/a.people"
cmp "$d/a.people" "$d/b.people" || { echo "the people of B differ from those of A"; exit 1; }
cmp "$d/a.people" "$d/c.people" || { echo "the people of C differ from those of A"; exit 1; }
# the moved node keeps its identity and writes on
[ "$(tsql "$B" "SELECT value FROM meta WHERE key = 'origin'")" = \
  "$(sqlite3 "$A" "SELECT value FROM meta WHERE key = 'origin'")" ]
"$MUSTER" loadgen --db "$B" --count 10 --batch 2 >/dev/null
"$MUSTER" verify --db "$B" >/dev/null
echo ok

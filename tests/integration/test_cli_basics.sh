#!/usr/bin/env bash
# Every subcommand answers --help; bad usage is one line on stderr and exit 2;
# gen scenario is reproducible; demo makes a verified database.
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
X=$(tdb x); A=$(tdb a); B=$(tdb b)
for c in demo init import gen verify loadgen version; do
  "$MUSTER" $c --help | grep -q "usage: muster $c" || { echo "$c --help"; exit 1; }
done
set +e; "$MUSTER" frobnicate 2>"$d/e"; rc=$?; set -e
[ $rc -eq 2 ] && [ "$(wc -l < "$d/e")" -eq 1 ]
set +e; "$MUSTER" init --db "$X" --nation Korea 2>"$d/e"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "alpha-3" "$d/e" && tabsent "$X"
"$MUSTER" init --db "$X" --nation KOR >/dev/null
[ "$(stat -c %a "$(tkey "$X")")" = 600 ]
set +e; "$MUSTER" init --db "$X" --nation KOR 2>/dev/null; rc=$?; set -e
[ $rc -ne 0 ]
# same seed, same people (ids are random, the people are not)
"$MUSTER" gen scenario --db "$A" --people 500 --seed 42 --start 2030-01-02 >/dev/null
"$MUSTER" gen scenario --db "$B" --people 500 --seed 42 --start 2030-01-02 >/dev/null
q="SELECT surname, given_names, birth_date, doc_number, nationality, needs FROM persons ORDER BY doc_number, birth_date"
[ "$(tsql "$A" "$q" | md5sum)" = "$(tsql "$B" "$q" | md5sum)" ]
[ "$(tsql "$A" "SELECT count(*) FROM persons")" = 500 ]
# both nations, native script, several household sizes, some needs
[ "$(tsql "$A" "SELECT count(DISTINCT nationality) FROM persons")" = 2 ]
[ "$(tsql "$A" "SELECT count(*) FROM persons WHERE native_name GLOB '*[가-힣]*'" \
    "SELECT count(*) FROM persons WHERE native_name ~ '[가-힣]'")" -gt 0 ]
[ "$(tsql "$A" "SELECT max(size) FROM households")" -ge 5 ]
# demo: without --db it makes its own SQLite file (demo/muster.db); on
# PostgreSQL it is given a database
if on_pg; then
  D=$(tdb demo)
  "$MUSTER" demo --db "$D" --people 2000 --no-serve > "$d/demo.out"
else
  D=$d/demo/muster.db
  (cd "$d" && "$MUSTER" demo --people 2000 --no-serve > demo.out)
fi
grep -q "registrants    2000 people" "$d/demo.out" && grep -q "verified" "$d/demo.out"
"$MUSTER" verify --db "$D" >/dev/null
echo ok

#!/usr/bin/env bash
# Every subcommand answers --help; bad usage is one line on stderr and exit 2;
# gen scenario is reproducible; demo makes a verified database.
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
for c in demo init import gen verify loadgen version; do
  "$MUSTER" $c --help | grep -q "usage: muster $c" || { echo "$c --help"; exit 1; }
done
set +e; "$MUSTER" frobnicate 2>"$d/e"; rc=$?; set -e
[ $rc -eq 2 ] && [ "$(wc -l < "$d/e")" -eq 1 ]
set +e; "$MUSTER" init --db "$d/x.db" --nation Korea 2>"$d/e"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "alpha-3" "$d/e" && [ ! -e "$d/x.db" ]
"$MUSTER" init --db "$d/x.db" --nation KOR >/dev/null
[ "$(stat -c %a "$d/x.db.key")" = 600 ]
set +e; "$MUSTER" init --db "$d/x.db" --nation KOR 2>/dev/null; rc=$?; set -e
[ $rc -ne 0 ]
# same seed, same people (ids are random, the people are not)
"$MUSTER" gen scenario --db "$d/a.db" --people 500 --seed 42 >/dev/null
"$MUSTER" gen scenario --db "$d/b.db" --people 500 --seed 42 >/dev/null
q="SELECT surname, given_names, birth_date, doc_number, nationality, needs FROM persons ORDER BY doc_number, birth_date"
[ "$(sqlite3 "$d/a.db" "$q" | md5sum)" = "$(sqlite3 "$d/b.db" "$q" | md5sum)" ]
[ "$(sqlite3 "$d/a.db" "SELECT count(*) FROM persons")" = 500 ]
# both nations, native script, several household sizes, some needs
[ "$(sqlite3 "$d/a.db" "SELECT count(DISTINCT nationality) FROM persons")" = 2 ]
[ "$(sqlite3 "$d/a.db" "SELECT count(*) FROM persons WHERE native_name GLOB '*[가-힣]*'")" -gt 0 ]
[ "$(sqlite3 "$d/a.db" "SELECT max(size) FROM households")" -ge 5 ]
# demo
(cd "$d" && "$MUSTER" demo --people 2000 --no-serve > demo.out)
grep -q "registrants    2000 people" "$d/demo.out" && grep -q "verified" "$d/demo.out"
"$MUSTER" verify --db "$d/demo/muster.db" >/dev/null
echo ok

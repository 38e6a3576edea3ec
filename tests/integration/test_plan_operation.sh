#!/usr/bin/env bash
# `muster plan OPERATION --db`: the allocations recorded in the registry keep
# every rule (seats, stretcher slots, families whole, nationalities carried,
# no consent -> own nation's legs only), a second run moves nobody, and the
# log verifies. Runs on either store.
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
A=$(tdb a)
op=$("$MUSTER" gen scenario --db "$A" --people 4000 --seed 3 --json | jq -r .operation)
out=$("$MUSTER" plan "$op" --db "$A" --json)
[ "$(jq .allocated <<<"$out")" -gt 2000 ] || { echo "$out"; exit 1; }
q() { tsql "$A" "$1"; }
# capacity: seats and stretcher slots
[ "$(q "SELECT count(*) FROM legs l WHERE (SELECT count(*) FROM persons p WHERE p.leg = l.id
      AND p.status = 'allocated' AND (p.needs & 1) = 0) > l.seats")" = 0 ]
[ "$(q "SELECT count(*) FROM legs l WHERE (SELECT count(*) FROM persons p WHERE p.leg = l.id
      AND p.status = 'allocated' AND (p.needs & 1) = 1) > l.stretchers")" = 0 ]
# families whole: no household split over legs or half allocated
[ "$(q "SELECT count(*) FROM (SELECT household FROM persons GROUP BY household
      HAVING count(DISTINCT coalesce(leg, '-')) > 1 OR count(DISTINCT status) > 1) AS split")" = 0 ]
# every allocated person's nationality is carried by the leg
[ "$(q "SELECT count(*) FROM persons p JOIN legs l ON p.leg = l.id WHERE p.status = 'allocated'
      AND l.carries NOT LIKE ('%\"' || p.nationality || '\"%')")" = 0 ]
# no consent: only the registering nation's own legs
[ "$(q "SELECT count(*) FROM persons p JOIN legs l ON p.leg = l.id WHERE p.status = 'allocated'
      AND p.consent = 0 AND l.operator <> p.nation")" = 0 ]
[ "$(q "SELECT count(*) FROM persons WHERE consent = 0 AND status = 'allocated'")" -gt 0 ]
# a second plan moves nobody
again=$("$MUSTER" plan "$op" --db "$A" --json)
[ "$(jq .allocated <<<"$again")" = 0 ] && [ "$(jq .released <<<"$again")" = 0 ] || { echo "$again"; exit 1; }
[ "$(q "SELECT count(*) FROM events WHERE type = 'plan.recorded'")" = 2 ]
"$MUSTER" verify --db "$A" >/dev/null
# an unknown operation is a one-line error, exit 2
set +e; "$MUSTER" plan op_nope --db "$A" 2>"$d/e"; rc=$?; set -e
[ $rc -eq 2 ] && [ "$(wc -l < "$d/e")" = 1 ]
echo ok

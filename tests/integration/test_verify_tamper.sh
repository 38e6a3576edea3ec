#!/usr/bin/env bash
# An event edited, removed or re-signed behind muster's back is caught by
# `muster verify`, which names the first bad event and exits 1.
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
A=$(tdb a); B=$(tdb b); C=$(tdb c); E=$(tdb e)
"$MUSTER" gen scenario --db "$A" --people 300 --seed 7 --json >/dev/null
"$MUSTER" verify --db "$A" >/dev/null
# --db left out: $MUSTER_DB; neither: a one-line error, exit 2
MUSTER_DB="$A" "$MUSTER" verify --json | jq -e '.ok and .events > 100' >/dev/null
set +e; out=$(MUSTER_DB= "$MUSTER" verify 2>&1); rc=$?; set -e
[ $rc -eq 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q MUSTER_DB <<<"$out" ||
  { echo "no --db, no MUSTER_DB: exit $rc: $out"; exit 1; }
tcopy "$A" "$B"; tcopy "$A" "$C"; tcopy "$A" "$E"

# 1. edit one event's body (a household registration)
tsql "$A" "UPDATE events SET body = CAST(replace(CAST(body AS TEXT), 'registered', 'allocated') AS BLOB) WHERE id = 12" \
  "UPDATE events SET body = convert_to(replace(convert_from(body, 'UTF8'), 'registered', 'allocated'), 'UTF8') WHERE id = 12"
if out=$(MUSTER_DB="$A" "$MUSTER" verify 2>&1); then echo "edited body not caught"; exit 1; fi
grep -q "event 12 " <<<"$out" || { echo "wrong event named: $out"; exit 1; }
grep -q "edited" <<<"$out" || { echo "reason missing: $out"; exit 1; }

# 2. remove an event from the middle of the chain
tsql "$B" "DELETE FROM events WHERE id = 20"
if out=$("$MUSTER" verify --db "$B" 2>&1); then echo "deletion not caught"; exit 1; fi
grep -q "event 21 " <<<"$out" || { echo "wrong event named: $out"; exit 1; }

# 3. edit the content and recompute nothing else: the JSON result names it
tsql "$C" "UPDATE events SET actor = 'intruder' WHERE id = 30"
out=$("$MUSTER" verify --db "$C" --json || true)
grep -q '"ok":false' <<<"$out" && grep -q '"id":30' <<<"$out" || { echo "json: $out"; exit 1; }

# 4. a signature swapped for another event's
tsql "$E" "UPDATE events SET sig = (SELECT sig FROM events WHERE id = 3) WHERE id = 40"
if out=$("$MUSTER" verify --db "$E" 2>&1); then echo "bad signature not caught"; exit 1; fi
grep -q "event 40 " <<<"$out" && grep -q "signature" <<<"$out" || { echo "sig: $out"; exit 1; }

# deep in a long log (signatures are checked in batches while the scan goes
# on): a bad signature is named even when a later event is edited too
L=$(tdb long)
"$MUSTER" init --db "$L" --nation KOR >/dev/null
"$MUSTER" loadgen --db "$L" --count 30000 --batch 5000 >/dev/null
tsql "$L" "UPDATE events SET sig = (SELECT sig FROM events WHERE id = 3) WHERE id = 20000"
tsql "$L" "UPDATE events SET actor = 'intruder' WHERE id = 25000"
if out=$("$MUSTER" verify --db "$L" 2>&1); then echo "long log: not caught"; exit 1; fi
grep -q "event 20000 " <<<"$out" && grep -q "signature" <<<"$out" || { echo "long log: $out"; exit 1; }

# a database that is not there is unusable input (exit 2)
set +e; "$MUSTER" verify --db "$(tdb none)" 2>/dev/null; rc=$?; set -e
[ $rc -eq 2 ] || { echo "missing db exit $rc"; exit 1; }
echo ok

#!/usr/bin/env bash
# An event edited, removed or re-signed behind muster's back is caught by
# `muster verify`, which names the first bad event and exits 1.
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
"$MUSTER" gen scenario --db "$d/a.db" --people 300 --seed 7 --json >/dev/null
"$MUSTER" verify --db "$d/a.db" >/dev/null
cp "$d/a.db" "$d/b.db"; cp "$d/a.db" "$d/c.db"; cp "$d/a.db" "$d/e.db"

# 1. edit one event's body (a household registration)
sqlite3 "$d/a.db" "UPDATE events SET body = CAST(replace(CAST(body AS TEXT), 'registered', 'allocated') AS BLOB) WHERE id = 12"
if out=$("$MUSTER" verify --db "$d/a.db" 2>&1); then echo "edited body not caught"; exit 1; fi
grep -q "event 12 " <<<"$out" || { echo "wrong event named: $out"; exit 1; }
grep -q "edited" <<<"$out" || { echo "reason missing: $out"; exit 1; }

# 2. remove an event from the middle of the chain
sqlite3 "$d/b.db" "DELETE FROM events WHERE id = 20"
if out=$("$MUSTER" verify --db "$d/b.db" 2>&1); then echo "deletion not caught"; exit 1; fi
grep -q "event 21 " <<<"$out" || { echo "wrong event named: $out"; exit 1; }

# 3. edit the content and recompute nothing else: the JSON result names it
sqlite3 "$d/c.db" "UPDATE events SET actor = 'intruder' WHERE id = 30"
out=$("$MUSTER" verify --db "$d/c.db" --json || true)
grep -q '"ok":false' <<<"$out" && grep -q '"id":30' <<<"$out" || { echo "json: $out"; exit 1; }

# 4. a signature swapped for another event's
sqlite3 "$d/e.db" "UPDATE events SET sig = (SELECT sig FROM events WHERE id = 3) WHERE id = 40"
if out=$("$MUSTER" verify --db "$d/e.db" 2>&1); then echo "bad signature not caught"; exit 1; fi
grep -q "event 40 " <<<"$out" && grep -q "signature" <<<"$out" || { echo "sig: $out"; exit 1; }

# a database that is not there is unusable input (exit 2)
set +e; "$MUSTER" verify --db "$d/none.db" 2>/dev/null; rc=$?; set -e
[ $rc -eq 2 ] || { echo "missing db exit $rc"; exit 1; }
echo ok

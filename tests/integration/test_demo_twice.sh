#!/usr/bin/env bash
# `muster demo` twice on one store (a SQLite file, or a PostgreSQL database
# with MUSTER_TEST_PG): the second run replaces the first demo, serves it
# (/healthz, a demo login) with its pre-clearance folder beside the store,
# and no output shows the database password. It never takes $MUSTER_DB.
set -euo pipefail
d=$(mktemp -d); pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
DB=$(tdb demo)
cd "$d"
"$MUSTER" demo --db "$DB" --people 300 --no-serve > "$d/one.out" 2>&1
grep -q 'verified' "$d/one.out"
before=$(tsql "$DB" "SELECT value FROM meta WHERE key = 'origin'")
"$MUSTER" demo --db "$DB" --people 300 --listen 127.0.0.1:0 > "$d/two.out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q '^serving on' "$d/two.out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$d/two.out"; exit 1; }
  sleep 0.1
done
port=$(sed -n 's/^serving on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$d/two.out")
[ -n "$port" ] || { cat "$d/two.out"; exit 1; }
curl -sf "http://127.0.0.1:$port/healthz" > /dev/null
tok=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/login" \
  -d '{"user":"kor.officer","password":"muster-demo-2026"}' | jq -r .token)
[ -n "$tok" ] && [ "$tok" != null ]
kill -TERM "$pid"; wait "$pid" || true; pid=""
# a new node, not the first one kept
after=$(tsql "$DB" "SELECT value FROM meta WHERE key = 'origin'")
[ -n "$after" ] && [ "$after" != "$before" ]
[ "$(tsql "$DB" "SELECT count(*) FROM users")" -eq 8 ]
# the clearance folder beside the store (its key file's folder on PostgreSQL)
key=$(tkey "$DB")
[ -f "${key%.key}.clearance/KOR.rules.json" ]
if on_pg; then
  pw=$(printf '%s' "$MUSTER_TEST_PG" | sed -n 's|^[a-z]*://[^:/@]*:\([^@]*\)@.*|\1|p')
  [ -n "$pw" ]
  if grep -F -- "$pw" "$d/one.out" "$d/two.out"; then echo "password shown"; exit 1; fi
  grep -q "into postgres://[^ ]*@[^ ]*/demo_" "$d/one.out"
fi
# demo replaces its database, so it never takes $MUSTER_DB: without --db it
# writes demo/muster.db and the node at MUSTER_DB is left as it was
MUSTER_DB="$DB" "$MUSTER" demo --people 300 --no-serve > "$d/three.out" 2>&1
[ "$(tsql "$DB" "SELECT value FROM meta WHERE key = 'origin'")" = "$after" ] ||
  { echo "demo replaced the node at MUSTER_DB"; exit 1; }
MUSTER_DB="$d/demo/muster.db" "$MUSTER" verify >/dev/null
echo ok

#!/usr/bin/env bash
# Failover to a streaming replica (issue 9). A primary and a synchronous
# standby (tests/pg/pgctl replica: pg_basebackup -R) of their own; a server
# on the primary takes check-ins, the primary crashes in the middle of them
# (immediate stop), the standby is promoted, a server is pointed at it, and:
#  - every check-in acknowledged (201) before the crash is there,
#  - the chain verifies (muster verify), and the node goes on writing on
#    the promoted server (a new check-in, verify again).
# Sources tests/pg/lib.sh so that tests/run-pg runs it; it needs the
# PostgreSQL binaries, not the shared server.
set -euo pipefail
. "$ROOT/tests/pg/lib.sh"
. "$ROOT/tests/integration/lib_server.sh"
on_pg || { echo "needs PostgreSQL (tests/run-pg sets MUSTER_TEST_PG)"; exit 1; }
pgctl=$ROOT/tests/pg/pgctl
d=$(mktemp -d /tmp/muster-failover.XXXXXX); chmod 711 "$d"
cleanup() {
  stop_server 2>/dev/null || true
  "$pgctl" stop "$d/standby" >/dev/null 2>&1 || true
  "$pgctl" stop "$d/primary" >/dev/null 2>&1 || true
  rm -rf "$d"
}
trap cleanup EXIT
export MUSTER_KEY_DIR=$d
primary=$("$pgctl" start "$d/primary")
standby=$("$pgctl" replica "$d/primary" "$d/standby")
# the same database name on both: the key file ($MUSTER_KEY_DIR/hq.key) follows
A=${primary%/*}/hq B=${standby%/*}/hq
"$MUSTER" demo --no-serve --db "$A" --people 1500 >/dev/null
start_server "$A"
tok=$(login kor.officer muster-demo-2026)
op=$(tsql "$A" "" "SELECT id FROM operations LIMIT 1")
job=$(api "$tok" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
wait_job "$tok" "$job" | jq -e '.state == "done"' >/dev/null

checkin_todo "$A" "ORDER BY p.id" > "$d/todo"
[ "$(wc -l < "$d/todo")" -ge 100 ] || { echo "too few people to check in: $(wc -l < "$d/todo")"; exit 1; }
head -1 "$d/todo" > "$d/after"; sed -i 1d "$d/todo"
export tok op BASE
checkin() { # DOC POINT: prints "BODY<TAB>CODE" in one write, so that the
  # lines of parallel clients do not mix (curl writes the body and the code
  # apart: a 201's code after another answer's body made that body its own)
  local answer
  answer=$(curl -s -m 20 -w '\t%{http_code}' -X POST -H "Authorization: Bearer $tok" \
    -d "{\"point\":\"$2\",\"document_number\":\"$1\"}" "$BASE/api/v1/operations/$op/checkins" || true)
  printf '%s\n' "$answer"
}
export -f checkin
xargs -P 4 -L 1 bash -c 'checkin "$@"' _ < "$d/todo" > "$d/out" &
load=$!
# crash the primary once a good part of the check-ins is acknowledged
for _ in $(seq 1 300); do
  [ "$(awk -F'\t' '$2 == 201' "$d/out" | wc -l)" -ge 40 ] && break
  sleep 0.1
done
"$pgctl" crash "$d/primary"
wait "$load" || true
stop_server
acked=$(awk -F'\t' '$2 == 201' "$d/out" | wc -l)
[ "$acked" -ge 40 ] || { echo "only $acked check-ins acknowledged before the crash"; exit 1; }
[ "$acked" -lt "$(wc -l < "$d/todo")" ] || { echo "the crash came after the load; nothing was in flight"; exit 1; }

"$pgctl" promote "$d/standby"
for _ in $(seq 1 100); do
  [ "$(psql -qAtX "$B" -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
  sleep 0.1
done
awk -F'\t' '$2 == 201 { print $1 }' "$d/out" | jq -r .person.id | sort -u > "$d/acked"
grep -qx null "$d/acked" && { echo "a 201 without a person: $(awk -F'\t' '$2 == 201' "$d/out" | grep -v '"person":{' | head -c 300)"; exit 1; }
tsql "$B" "" "SELECT id FROM persons WHERE status = 'checked_in'" | sort > "$d/stored"
missing=$(comm -23 "$d/acked" "$d/stored" | wc -l)
if [ "$missing" -ne 0 ]; then
  echo "$missing of $acked acknowledged check-ins are not on the promoted standby:"
  for id in $(comm -23 "$d/acked" "$d/stored" | head -5); do
    echo "  $id: '$(tsql "$B" "" "SELECT status || ' ' || updated_ms FROM persons WHERE id = '$id'")' on the standby;" \
      "answer: $(grep -F -- "$id" "$d/out" | cut -c1-300)"
  done
  exit 1
fi
"$MUSTER" verify --db "$B" >/dev/null

# the servers now point at the promoted standby: the session, the chain
# head and writes carry on there
start_server "$B"
read -r doc point < "$d/after"
code=$(checkin "$doc" "$point" | cut -f2)
[ "$code" = 201 ] || { echo "check-in on the promoted standby: $code"; exit 1; }
stop_server
"$MUSTER" verify --db "$B" >/dev/null
[ "$(tsql "$B" "" "SELECT count(*) = max(id) FROM events")" = t ] || { echo "event ids have gaps"; exit 1; }
echo "ok: $acked check-ins acknowledged before the crash, all on the promoted standby"

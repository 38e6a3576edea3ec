#!/usr/bin/env bash
# Three processes append to one PostgreSQL database at once (as three
# `muster serve` would): every acknowledged event is there, the node's chain
# is one unbroken chain, ids have no gaps. Needs core/events.c to re-read the
# chain head in ev_begin. Run by tests/run-pg (MUSTER_TEST_PG set).
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"; N=$(tdb writers)
"$MUSTER" init --db "$N" --nation KOR >/dev/null
pids=()
for w in 1 2 3; do
  "$MUSTER" loadgen --db "$N" --count 200 --batch $(( w * 2 - 1 )) --run "$w" --ack > "$d/ack.$w" 2>"$d/err.$w" &
  pids+=($!)
done
for i in 0 1 2; do
  wait "${pids[$i]}" || { echo "writer $((i + 1)) failed: $(cat "$d/err.$((i + 1))")"; exit 1; }
done
for w in 1 2 3; do
  acked=$(( $(grep -E "^$w [0-9]+$" "$d/ack.$w" | tail -1 | cut -d' ' -f2 || echo -1) + 1 ))
  have=$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'test.note' AND json_extract(CAST(body AS TEXT), '\$.run') = $w" \
    "SELECT count(*) FROM events WHERE type = 'test.note' AND (convert_from(body, 'UTF8')::json->>'run')::int = $w")
  [ "$acked" -eq 200 ] && [ "$have" -eq 200 ] || { echo "writer $w: acked $acked, stored $have"; exit 1; }
done
"$MUSTER" verify --db "$N" >/dev/null
[ "$(tsql "$N" "SELECT count(*) = max(id) AND max(id) = 601 FROM events" | tr 'tf' '10')" = 1 ] ||
  { echo "event ids have gaps or the count is wrong"; exit 1; }
echo ok

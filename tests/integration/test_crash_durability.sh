#!/usr/bin/env bash
# kill -9 a writer mid-burst, 20 times: every acknowledged event is on disk
# afterwards and the chain still verifies.
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"; N=$(tdb n)
"$MUSTER" init --db "$N" --nation JPN >/dev/null
for run in $(seq 1 20); do
  batch=$(( (run % 3) * 20 + 1 ))
  "$MUSTER" loadgen --db "$N" --count 1000000 --batch $batch --run $run --ack > "$d/ack.$run" &
  pid=$!
  sleep "0.$(( RANDOM % 4 + 1 ))$(( RANDOM % 10 ))"
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  # the last complete acknowledgement line of this run
  last=$(grep -E '^[0-9]+ [0-9]+$' "$d/ack.$run" | tail -1 | cut -d' ' -f2 || true)
  [ -n "$last" ] || continue
  have=$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'test.note' AND json_extract(CAST(body AS TEXT), '\$.run') = $run" \
    "SELECT count(*) FROM events WHERE type = 'test.note' AND (convert_from(body, 'UTF8')::json->>'run')::int = $run")
  if [ "$have" -lt $(( last + 1 )) ]; then
    echo "run $run: acknowledged event $last but only $have events on disk"; exit 1
  fi
done
"$MUSTER" verify --db "$N"
total=$(tsql "$N" "SELECT count(*) FROM events")
[ "$total" -gt 100 ] || { echo "too few events written ($total): the test did not exercise anything"; exit 1; }
echo ok

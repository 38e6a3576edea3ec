#!/usr/bin/env bash
# What the read audit costs (issue 10): reads of a person by id at 1 and 64
# concurrent clients, every answer's read_audit row committed before it is
# sent (lazily: flushed within 100 ms, docs/privacy.md), and how many
# audited reads share one commit of the writer.
# Compare with the "read a person by id" figure of bench_server.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export MUSTER=${BIN:-muster} ROOT=$PWD
case "$MUSTER" in /*) ;; *) MUSTER=$PWD/$MUSTER ;; esac # make exports BIN=muster
. tests/integration/lib_server.sh
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
secs=${BENCH_SECONDS:-5}
"$MUSTER" demo --no-serve --db "$d/n.db" --people ${BENCH_PEOPLE:-20000} >/dev/null
start_server "$d/n.db"
tok=$(login kor.officer muster-demo-2026)
sqlite3 "$d/n.db" "SELECT id FROM persons WHERE nation = 'KOR' LIMIT 5000" > "$d/ids"
metric() { curl -s "$BASE/metrics" | awk -v k="$1" '$1 == k {print $2}'; }
echo "read a person by id, each read audited before the answer is sent:"
for c in 64 1; do
  b0=$(metric muster_write_batches_total); w0=$(metric muster_writes_total)
  r0=$(sqlite3 "$d/n.db" "SELECT count(*) FROM read_audit" 2>/dev/null || echo 0)
  IDS="$d/ids" TOKEN=$tok LABEL="$c clients" wrk -t $(( c < 2 ? 1 : 2 )) -c $c -d ${secs}s \
    -s bench/server/read.lua "$BASE" | grep clients
  b1=$(metric muster_write_batches_total); w1=$(metric muster_writes_total)
  r1=$(sqlite3 "$d/n.db" "SELECT count(*) FROM read_audit" 2>/dev/null || echo 0)
  echo "  $((r1 - r0)) read_audit rows, $((w1 - w0)) audit writes in $((b1 - b0)) group commits" \
    "($(awk -v w=$((w1 - w0)) -v b=$((b1 - b0)) 'BEGIN {printf "%.1f", b ? w / b : 0}') per commit)"
done

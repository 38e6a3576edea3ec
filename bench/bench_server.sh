#!/usr/bin/env bash
# Server figures (issue 6), with wrk on loopback:
#  - check-ins per second with every 201 durable (group commit), p50/p99, at
#    1, 16 and 64 concurrent clients (aim: >= 3,000/s at 64 with p99 < 50 ms);
#  - a read endpoint (person by id) at 64 clients (aim: >= 20,000/s).
set -euo pipefail
cd "$(dirname "$0")/.."
export MUSTER=${BIN:-muster} ROOT=$PWD
case "$MUSTER" in /*) ;; *) MUSTER=$PWD/$MUSTER ;; esac # make exports BIN=muster
. tests/integration/lib_server.sh
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
secs=${BENCH_SECONDS:-5}
"$MUSTER" demo --no-serve --db "$d/n.db" --people 200000 >/dev/null
start_server "$d/n.db"
tok=$(login kor.officer muster-demo-2026)
op=$(sqlite3 "$d/n.db" "SELECT id FROM operations LIMIT 1")
job=$(api "$tok" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
wait_job "$tok" "$job" >/dev/null
today=$(date -u +%Y-%m-%d)
# people still to check in: allocated, with a valid passport
todo() {
  sqlite3 -separator ' ' "$d/n.db" "SELECT p.doc_number, l.point FROM persons p JOIN legs l ON p.leg = l.id
    WHERE p.status = 'allocated' AND p.doc_expiry > '$today' AND p.nation = 'KOR' ORDER BY random()" > "$d/docs"
}
todo
echo "check-ins per second, every 201 durable ($(wc -l < "$d/docs") people to check in; aim >= 3000/s at 64 clients, p99 < 50 ms):"
for c in 64 16 1; do
  todo
  DOCS="$d/docs" TOKEN=$tok THREADS=$(( c < 2 ? 1 : 2 )) CHECKIN_PATH="/api/v1/operations/$op/checkins" \
    LABEL="$c clients" wrk -t $(( c < 2 ? 1 : 2 )) -c $c -d ${secs}s -s bench/server/checkin.lua "$BASE" | grep clients
done
echo "  group commits: $(curl -s "$BASE/metrics" | awk '/^muster_write_batches_total/ {b=$2} /^muster_write_syncs_total/ {f=$2} /^muster_writes_total/ {w=$2} END {printf "%d writes in %d commits, %d fsyncs (%.1f writes per fsync)", w, b, f, (f ? w / f : 0)}')"
sqlite3 "$d/n.db" "SELECT id FROM persons WHERE nation = 'KOR' LIMIT 5000" > "$d/ids"
echo "read a person by id (aim >= 20000/s at 64 clients):"
IDS="$d/ids" TOKEN=$tok LABEL="64 clients" wrk -t 2 -c 64 -d ${secs}s -s bench/server/read.lua "$BASE" | grep clients

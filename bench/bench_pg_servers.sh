#!/usr/bin/env bash
# Headquarters figures (issue 9): check-ins per second (every 201 durable)
# and p99 at 64 clients, with one, two and three `muster serve` over one
# PostgreSQL 15 database (tests/pg/pgctl, loopback, synchronous_commit on),
# next to one server on a SQLite file, on the same machine. With k servers,
# k wrk processes run at once, 64/k connections each, each on its own
# people; the rate is their sum, the p99 the worst of theirs (a bound on the
# p99 of the whole). Every server, wrk and the database share the machine's
# cores: on a 2-core machine more servers cannot add CPU.
# BENCH_SECONDS (default 5) and BENCH_PEOPLE (default 20000) set the size.
set -euo pipefail
cd "$(dirname "$0")/.."
export MUSTER=${BIN:-muster} ROOT=$PWD
case "$MUSTER" in /*) ;; *) MUSTER=$PWD/$MUSTER ;; esac # make exports BIN=muster
. tests/integration/lib_server.sh
secs=${BENCH_SECONDS:-5} people=${BENCH_PEOPLE:-20000}
work=$(mktemp -d /tmp/muster-bench-hq.XXXXXX); chmod 711 "$work"
spids=()
stop_all() {
  for p in "${spids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  spids=()
}
trap 'stop_all; tests/pg/pgctl stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
uri=$(tests/pg/pgctl start "$work/pg")
export MUSTER_KEY_DIR=$work

sql() { # DB SQL
  case "$1" in postgres://*) psql -qAtX -F ' ' "$1" -c "$2" ;; *) sqlite3 -separator ' ' "$1" "$2" ;; esac
}

# run DB K LABEL: K servers on DB, 64 clients split among them
run() {
  local db=$1 k=$2 label=$3 bases=() i
  for i in $(seq 1 "$k"); do
    start_server "$db"
    spids+=("$SERVER_PID"); bases+=("$BASE")
  done
  local tok; tok=$(login kor.officer muster-demo-2026)
  local op; op=$(sql "$db" "SELECT id FROM operations LIMIT 1")
  sql "$db" "SELECT p.doc_number, l.point FROM persons p JOIN legs l ON p.leg = l.id
    WHERE p.status = 'allocated' AND p.doc_expiry > '$(date -u +%Y-%m-%d)' AND p.nation = 'KOR'" \
    > "$work/docs"
  rm -f "$work"/docs.* "$work"/wrk.*
  split -n "r/$k" -d "$work/docs" "$work/docs."
  i=0; local wpids=()
  for f in "$work"/docs.*; do
    DOCS=$f TOKEN=$tok THREADS=1 CHECKIN_PATH="/api/v1/operations/$op/checkins" LABEL=x \
      wrk -t 1 -c $(( 64 / k )) -d "${secs}s" -s bench/server/checkin.lua "${bases[$i]}" \
      > "$work/wrk.$i" &
    wpids+=($!); i=$(( i + 1 ))
  done
  wait "${wpids[@]}"
  stop_all
  cat "$work"/wrk.* | awk -v label="$label" '/check-ins\/s/ {
      rate += $2; for (f = 1; f <= NF; f++) if ($f == "p99" && $(f + 1) > p99) p99 = $(f + 1) }
    END { printf "  %-26s %6.0f check-ins/s  p99 %7.2f ms\n", label, rate, p99 }'
}

# a demo operation, planned: allocated people to check in
prepare() { # DB
  "$MUSTER" demo --no-serve --db "$1" --people "$people" >/dev/null
  start_server "$1"
  local tok; tok=$(login kor.officer muster-demo-2026)
  local op; op=$(sql "$1" "SELECT id FROM operations LIMIT 1")
  local job; job=$(api "$tok" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
  wait_job "$tok" "$job" >/dev/null
  stop_server
}

echo "check-ins per second at 64 clients, every 201 durable ($people people, ${secs} s a run, $(nproc) cores):"
prepare "$work/s.db"
run "$work/s.db" 1 "SQLite, 1 server"
for k in 1 2 3; do
  db=${uri%/*}/hq$k
  prepare "$db"
  run "$db" "$k" "PostgreSQL, $k server(s)"
done

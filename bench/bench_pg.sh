#!/usr/bin/env bash
# PostgreSQL figures (issue 9), on a throwaway PostgreSQL 15 server on
# loopback (tests/pg/pgctl; fsync and synchronous_commit on): events
# appended per second, and importing 1,000,000 registrants (aim: under
# 60 s; rows go to the server with COPY). bench_events.sh prints the same
# figures for SQLite. IMPORT_ROWS changes the number of registrants.
set -euo pipefail
cd "$(dirname "$0")/.."
M=${BIN:-muster}
case "$M" in /*) ;; *) M=$PWD/$M ;; esac # make exports BIN=muster: relative to the repo root
work=$(mktemp -d /tmp/muster-bench-pg.XXXXXX)
chmod 711 "$work"
trap 'tests/pg/pgctl stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
uri=$(tests/pg/pgctl start "$work/pg")
P=${uri%/*}
export MUSTER_KEY_DIR="$work"

"$M" init --db "$P/bench_events" --nation KOR >/dev/null
echo "events appended (PostgreSQL 15, synchronous_commit=on, every commit flushed):"
"$M" loadgen --db "$P/bench_events" --count 2000 --batch 1 | sed 's/^/  one per transaction: /'
"$M" loadgen --db "$P/bench_events" --count 200000 --batch 1000 | sed 's/^/  batched:             /'

n=${IMPORT_ROWS:-1000000}
awk -v n="$n" -f bench/gen_registrants_csv.awk > "$work/reg.csv"
op=$("$M" gen scenario --db "$P/bench_import" --people 1 --json |
  sed -n 's/.*"operation":"\([^"]*\)".*/\1/p')
/usr/bin/time -f "%e %M" -o "$work/time" "$M" import registrants "$work/reg.csv" \
  --db "$P/bench_import" --nation KOR --operation "$op" > "$work/import.out"
read -r secs kb < "$work/time"
printf "import %s registrants into PostgreSQL: %.1f s, client peak %.0f MiB   (aim: < 60 s)   [%s]\n" \
  "$n" "$secs" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$(cat "$work/import.out")"
/usr/bin/time -f "%e" -o "$work/time" "$M" verify --db "$P/bench_import" > "$work/verify.out"
printf "verify the imported log: %.1f s   [%s]\n" "$(cat "$work/time")" "$(cat "$work/verify.out")"

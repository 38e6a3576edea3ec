#!/usr/bin/env bash
# Foundation figures (issue 2): events appended per second (one per
# transaction and batched), importing 1,000,000 registrants (time and peak
# memory; aim: under 20 s and under 1 GiB), and `muster verify` over
# 1,000,000 events. Each figure is printed next to its aim. A small run:
# APPEND_ONE, APPEND_BATCHED, IMPORT_ROWS, VERIFY_EVENTS (VERIFY_THREADS,
# default nproc, as verify itself).
set -euo pipefail
cd "$(dirname "$0")/.."
M=${BIN:-muster}
case "$M" in /*) ;; *) M=$PWD/$M ;; esac # make exports BIN=muster: relative to the repo root
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
"$M" init --db "$d/e.db" --nation KOR >/dev/null
echo "events appended (SQLite WAL, synchronous=FULL, every commit fsynced):"
"$M" loadgen --db "$d/e.db" --count "${APPEND_ONE:-2000}" --batch 1 | sed 's/^/  one per transaction: /'
"$M" loadgen --db "$d/e.db" --count "${APPEND_BATCHED:-200000}" --batch 1000 | sed 's/^/  batched:             /'

n=${IMPORT_ROWS:-1000000}
awk -v n="$n" -f bench/gen_registrants_csv.awk > "$d/reg.csv"
op=$("$M" gen scenario --db "$d/i.db" --people 1 --json | sed -n 's/.*"operation":"\([^"]*\)".*/\1/p')
/usr/bin/time -f "%e %M %U %S" -o "$d/time" "$M" import registrants "$d/reg.csv" --db "$d/i.db" \
  --nation KOR --operation "$op" > "$d/import.out"
read -r secs kb user sys < "$d/time"
# CPU time too: on a shared machine it varies far less than wall time
printf "import %s registrants: %.1f s (CPU %.1f s), peak %.0f MiB   (aim: < 20 s, < 1024 MiB)   [%s]\n" \
  "$n" "$secs" "$(echo "$user + $sys" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$(cat "$d/import.out")"

want=${VERIFY_EVENTS:-1000000}
have=$(sqlite3 "$d/i.db" "SELECT count(*) FROM events")
if [ "$have" -lt "$want" ]; then
  "$M" loadgen --db "$d/i.db" --count $((want - have)) --batch 10000 >/dev/null
fi
threads=${VERIFY_THREADS:-$(nproc)}
/usr/bin/time -f "%e %M" -o "$d/time" "$M" verify --db "$d/i.db" --threads "$threads" > "$d/verify.out"
read -r secs kb < "$d/time"
printf "verify %s events: %.1f s, peak %.0f MiB (%s threads; libsodium Ed25519 verify is the cost)\n" \
  "$(sqlite3 "$d/i.db" "SELECT count(*) FROM events")" "$secs" "$(echo "$kb / 1024" | bc -l)" "$threads"

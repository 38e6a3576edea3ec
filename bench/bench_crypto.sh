#!/usr/bin/env bash
# Encryption cost figures (issue 10): importing registrants with per-person
# encryption as shipped vs the same import by a bench-only build whose AEAD
# is a copy (-DMUSTER_BENCH_NO_AEAD, core/pii.c: keys and nonces are zero,
# nothing is encrypted; the base64, the JSON and the SQL are the same), aim:
# no more than 20% slower with encryption; and the CPU per check-in and per
# walk-in by both builds (bench/crypto/bench_checkin.c). The second build
# lives in build/bench/crypto only and never holds real data.
# CRYPTO_ROWS (default 1,000,000), CRYPTO_RUNS (imports by each build,
# alternating; the fastest counts; default 1) and CRYPTO_CHECKINS (default
# 5,000; three runs by each build, the least CPU counts).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
make --no-print-directory -s B="$B" all >/dev/null
out="$B/bench/crypto"
mkdir -p "$out"
cf="-std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Wno-unused-parameter -Isrc"
libs="-lsqlite3 -lsodium -ljansson -lmicrohttpd -lglpk -lhpdf -lpq -lm -lpthread"
# shellcheck disable=SC2086
{
  cc $cf -DMUSTER_BENCH_NO_AEAD -c src/core/pii.c -o "$out/pii_noaead.o"
  cc $cf -o "$out/muster-noaead" "$B/obj/src/main.o" "$out/pii_noaead.o" "$B/libmuster.a" $libs
  cc $cf -o "$out/checkin" bench/crypto/bench_checkin.c "$B/libmuster.a" $libs
  cc $cf -o "$out/checkin-noaead" bench/crypto/bench_checkin.c "$out/pii_noaead.o" \
    "$B/libmuster.a" $libs
}
M=${BIN:-muster}
case "$M" in /*) ;; *) M=$PWD/$M ;; esac # make exports BIN=muster: relative to the repo root
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT

n=${CRYPTO_ROWS:-1000000}
awk -v n="$n" -f bench/gen_registrants_csv.awk > "$d/reg.csv"
import() { # BIN TAG -> "wall cpu"
  rm -f "$d/i.db" "$d/i.db.key"
  op=$("$M" gen scenario --db "$d/i.db" --people 1 --json | sed -n 's/.*"operation":"\([^"]*\)".*/\1/p')
  /usr/bin/time -f "%e %U %S" -o "$d/time" "$1" import registrants "$d/reg.csv" --db "$d/i.db" \
    --nation KOR --operation "$op" > /dev/null
  read -r secs user sys < "$d/time"
  echo "$secs $(echo "$user + $sys" | bc -l)"
}
w1=1e9 c1=1e9 w0=1e9 c0=1e9
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }
for _ in $(seq "${CRYPTO_RUNS:-1}"); do
  read -r w c < <(import "$M")
  w1=$(min "$w1" "$w") c1=$(min "$c1" "$c")
  read -r w c < <(import "$out/muster-noaead")
  w0=$(min "$w0" "$w") c0=$(min "$c0" "$c")
done
echo "import $n registrants (load $(cut -d' ' -f1 /proc/loadavg) at the end):"
awk -v w1="$w1" -v c1="$c1" -v w0="$w0" -v c0="$c0" 'BEGIN {
  printf "  with encryption    %6.1f s (CPU %5.1f s)\n", w1, c1
  printf "  without (bench-only build) %6.1f s (CPU %5.1f s)\n", w0, c0
  printf "  encryption costs %+.0f%% wall, %+.0f%% CPU   (aim: <= +20%%)\n",
    (w1 / w0 - 1) * 100, (c1 / c0 - 1) * 100 }'

k=${CRYPTO_CHECKINS:-5000}
"$M" demo --no-serve --db "$d/c.db" --people 20000 >/dev/null
op=$(sqlite3 "$d/c.db" "SELECT id FROM operations LIMIT 1")
"$M" plan "$op" --db "$d/c.db" >/dev/null
today=$(date -u +%Y-%m-%d)
sqlite3 -separator ' ' "$d/c.db" "SELECT p.doc_number, l.point FROM persons p JOIN legs l ON p.leg = l.id
  WHERE p.status = 'allocated' AND p.doc_expiry > '$today' AND p.nation = 'KOR' ORDER BY random()" \
  > "$d/docs"
for _ in 1 2 3; do
  for b in checkin checkin-noaead; do
    cp "$d/c.db" "$d/$b.db"
    cp "$d/c.db.key" "$d/$b.db.key"
    "$out/$b" "$d/$b.db" "$op" "$d/docs" "$k" >> "$d/$b.out"
  done
done
awk '{ if (!((FILENAME, $1) in v) || $2 < v[FILENAME, $1]) v[FILENAME, $1] = $2; n[FILENAME, $1] = $3 }
  END {
    a = ARGV[1]; b = ARGV[2]
    print "check-in path, CPU per operation (one transaction each, no fsync):"
    printf "  scan check-in: %.0f us with encryption, %.0f us without: %+.0f us (%+.0f%%), %d check-ins\n",
      v[a, "scan"], v[b, "scan"], v[a, "scan"] - v[b, "scan"], (v[a, "scan"] / v[b, "scan"] - 1) * 100, n[a, "scan"]
    printf "  walk-in:       %.0f us with encryption, %.0f us without: %+.0f us (%+.0f%%), %d walk-ins\n",
      v[a, "walkin"], v[b, "walkin"], v[a, "walkin"] - v[b, "walkin"],
      (v[a, "walkin"] / v[b, "walkin"] - 1) * 100, n[a, "walkin"]
    printf "  a walk-in'"'"'s encryption alone (key made and wrapped, fields and reason sealed): %.1f us, %.1f%% of the walk-in\n",
      v[a, "walkin_aead"], v[a, "walkin_aead"] / v[a, "walkin"] * 100
    print "  (a scan check-in reads the projection and appends person.status without a reason: no AEAD call)"
  }' "$d/checkin.out" "$d/checkin-noaead.out"

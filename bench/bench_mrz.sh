#!/usr/bin/env bash
# bench_mrz.sh — MRZ parse+validate throughput on generated TD3 and TD1
# documents (1,000,000 each by default; MRZ_BENCH_N to change), the same
# documents through the npm package mrz (cheminfo, the most used open-source
# MRZ parser), the ratio of speeds, and a field-by-field differential whose
# disagreements are explained in docs/mrz.md. Times are thread CPU time on
# one core. Prints figures; never fails the build.
set -eu
cd "$(dirname "$0")/.."
N=${MRZ_BENCH_N:-1000000}
NPM_N=${MRZ_BENCH_NPM_N:-$N}
B=${B:-build}
make --no-print-directory -s B="$B" "$B/libmuster.a"
out="$B/bench/mrz"
mkdir -p "$out"
cc -std=c17 -D_GNU_SOURCE -O2 -Isrc -o "$out/bench_mrz" bench/mrz/bench_mrz.c "$B/libmuster.a" \
  -ljansson -lm
"$out/bench_mrz" "$N" "$out" tests/vectors/mrz-cases.jsonl | tee "$out/muster.txt" | grep -v '^RATE_'
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "   (node/npm not found: no comparison with the npm package mrz)"
  exit 0
fi
if ! (cd bench/mrz && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  echo "   (npm ci failed in bench/mrz: no comparison with the npm package mrz)"
  exit 0
fi
node bench/mrz/bench.mjs "$out" "$NPM_N" > "$out/npm.txt"
grep '^npm mrz' "$out/npm.txt"
for f in TD3 TD1; do
  ours=$(sed -n "s/^RATE_$f=//p" "$out/muster.txt")
  theirs=$(sed -n "s/^RATE_$f=//p" "$out/npm.txt" | head -1)
  awk -v f="$f" -v a="$ours" -v b="$theirs" \
    'BEGIN { printf "ratio %s: muster is %.0f times the speed of npm mrz\n", f, a / b }'
done
sed -n '/^differential/,$p' "$out/npm.txt" | cut -c1-220

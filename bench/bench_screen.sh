#!/usr/bin/env bash
# The screening figure: 10,000 passengers against a watchlist of 1,000,000
# (recall, precision, index build and screening time) next to a naive
# all-pairs Jaro-Winkler on a sample. Compiles bench/screen/bench_screen.c
# against $B/libmuster.a (make bench builds it first).
set -eu
cd "$(dirname "$0")/.."
B=${B:-build}
out=$B/bench/bench_screen
mkdir -p "$(dirname "$out")"
if [ ! -e "$B/libmuster.a" ]; then
  echo "bench_screen: $B/libmuster.a missing (run make first)" >&2
  exit 1
fi
cc -std=c17 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Isrc -Ibench/screen \
  -o "$out" bench/screen/bench_screen.c "$B/libmuster.a" \
  -lsqlite3 -lsodium -ljansson -lmicrohttpd -lglpk -lhpdf -lpq -lm -lpthread
"$out"

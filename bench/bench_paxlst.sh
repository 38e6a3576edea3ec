#!/usr/bin/env bash
# The PAXLST figures: reading a large generated interchange (~19 MB, 400
# passenger lists of 300) with muster's zero-copy EDIFACT reader and its full
# PAXLST parse, building 100,000 manifests of 300 passengers, and the npm
# parsers `edifact` and `ts-edifact` cutting the same bytes into segments, with
# the ratio. Compiles bench/paxlst/bench_paxlst.c against $B/libmuster.a (make
# bench builds it first); installs the npm packages with `npm ci` from the
# committed package-lock.json. PAXLST_BUILD_N changes the manifest count.
set -eu
cd "$(dirname "$0")/.."
B=${B:-build}
out=$B/bench/bench_paxlst
mkdir -p "$(dirname "$out")"
if [ ! -e "$B/libmuster.a" ]; then
  echo "bench_paxlst: $B/libmuster.a missing (run make first)" >&2
  exit 1
fi
cc -std=c17 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Isrc \
  -o "$out" bench/paxlst/bench_paxlst.c "$B/libmuster.a" \
  -lsqlite3 -lsodium -ljansson -lmicrohttpd -lglpk -lhpdf -lpq -lm -lpthread
big=$B/bench/paxlst-big.edi
res=$B/bench/paxlst.txt
"$out" "$big" "${PAXLST_BUILD_N:-100000}" | tee "$res"
if command -v npm >/dev/null && command -v node >/dev/null; then
  if (cd bench/paxlst && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1); then
    node bench/paxlst/bench_node.cjs "$big" | tee -a "$res"
  else
    echo "   (npm ci failed: no comparison with the npm parsers)"
  fi
else
  echo "   (node/npm missing: no comparison with the npm parsers)"
fi
awk '{ v[$1] = $2 }
  END {
    if (v["tokenise_throughput"] == "") exit
    printf "   muster, per CPU second of one thread: reader %s MB/s, PAXLST parse %s MB/s, zero-copy in place %s MB/s (aim >= 300)\n",
      v["tokenise_throughput"], v["parse_throughput"], v["parse_inplace_throughput"]
    printf "   muster, wall clock: reader %s MB/s, parse %s MB/s, in place %s MB/s\n",
      v["tokenise_throughput_wall"], v["parse_throughput_wall"], v["parse_inplace_throughput_wall"]
    printf "   build: %s manifests of 300 in %s s CPU, %s s wall (%s manifests/s, %s MB/s per CPU second)\n",
      v["build_manifests"], v["build_seconds"], v["build_seconds_wall"], v["build_rate"], v["build_throughput"]
    split("edifact ts_edifact", peers, " ")
    for (i = 1; i <= 2; i++) {
      t = v[peers[i] "_throughput"]
      if (t == "" || t == 0) continue
      if (v[peers[i] "_segments"] != v["interchange_segments"])
        printf "   note: %s counted %s segments, muster %s\n", peers[i], v[peers[i] "_segments"], v["interchange_segments"]
      printf "   vs npm %s (wall clock, best of 3): %s MB/s -> muster reader x%.0f, full parse x%.0f (wall vs wall)\n",
        peers[i], t, v["tokenise_throughput_wall"] / t, v["parse_throughput_wall"] / t
    }
  }' "$res"

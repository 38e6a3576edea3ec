#!/usr/bin/env bash
# The planner's figures (docs/plan.md, issue 5):
#   1. three sizes in memory: time, peak memory, weighted people, bound, gap
#      small 1 000 people / 10 legs, medium 100 000 / 500, large 2 000 000 / 20 000;
#   2. re-planning the medium instance after cancelling 10 % of the legs;
#   3. the command end to end on the medium instance (JSON in, JSON out);
#   4. GLPK (glpsol) and COIN-OR CBC on the exported LP of the small and
#      medium instance, time-limited, against muster's time and objective;
#   5. fast against exact on 20 random small instances (500 households, 10 legs).
# Aims: medium < 2 s with gap < 0.1 %; large < 60 s and < 4 GiB; re-plan < 1 s.
# PLAN_BENCH_QUICK=1 skips the large instance.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}; BIN=${BIN:-muster}
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac # make exports BIN=muster: relative to the repo root
LIMIT=${PLAN_BENCH_SOLVER_SECONDS:-60}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
libs="-ljansson -lglpk -lm -lpthread"
for p in bench_plan bench_compare; do
  cc -O2 -Isrc -o "$work/$p" "bench/plan/$p.c" "$B/libmuster.a" $libs || { echo "cannot build $p"; exit 1; }
done
field() { grep -o "\"$1\":[^,}]*" | head -1 | cut -d: -f2 | tr -d '"'; }

echo "-- in memory (generated instance; time from instance to verified-shape plan)"
"$work/bench_plan" 430 10 1 | grep '"plan"'
"$work/bench_plan" 40000 500 1 --replan 0.1 | grep -E '"plan"|"replan"'
"$work/bench_plan" 40000 500 1 --replan 0.1 --threads 2 | grep -E '"replan"'
if [ "${PLAN_BENCH_QUICK:-0}" != 1 ]; then
  "$work/bench_plan" 870000 20000 1 | grep '"plan"'
fi

echo "-- the command on the medium instance (JSON parse + plan + JSON out)"
"$BIN" gen instance --households 40000 --legs 500 --seed 1 > "$work/medium.json"
"$BIN" gen instance --households 430 --legs 10 --seed 1 > "$work/small.json"
/usr/bin/time -f '{"step":"cli medium","wall_s":%e,"peak_kib":%M}' \
  "$BIN" plan --instance "$work/medium.json" > "$work/medium.plan" 2> "$work/time.txt"
tail -1 "$work/time.txt"
"$BIN" plan --check --instance "$work/medium.json" --plan "$work/medium.plan"

echo "-- GLPK and CBC on the exported LP (limit ${LIMIT}s each)"
for size in small medium; do
  "$BIN" plan --instance "$work/$size.json" --summary > "$work/$size.ours"
  ours=$(field weighted_people < "$work/$size.ours"); ours_s=$(field seconds < "$work/$size.ours")
  "$BIN" plan --instance "$work/$size.json" --export-lp "$work/$size.lp"
  t0=$(date +%s.%N)
  # --tmlim bounds the branch and bound only; timeout bounds the root LP too
  timeout $((LIMIT * 2)) glpsol --cpxlp "$work/$size.lp" --tmlim "$LIMIT" -o "$work/$size.glpk" \
    > "$work/$size.glpk.log" 2>&1
  g_s=$(echo "$(date +%s.%N) - $t0" | bc)
  g_obj=$(sed -n 's/^Objective: *obj = \([0-9.e+]*\).*/\1/p' "$work/$size.glpk" 2>/dev/null); g_obj=${g_obj:-none}
  g_st=$(sed -n 's/^Status: *//p' "$work/$size.glpk" 2>/dev/null | head -1); g_st=${g_st:-killed after $((LIMIT * 2))s}
  t0=$(date +%s.%N)
  timeout $((LIMIT * 2)) cbc "$work/$size.lp" sec "$LIMIT" solve quit > "$work/$size.cbc" 2>&1
  c_s=$(echo "$(date +%s.%N) - $t0" | bc)
  c_obj=$(sed -n 's/^Objective value: *\([0-9.]*\).*/\1/p' "$work/$size.cbc" | head -1); c_obj=${c_obj:-none}
  c_st=$(sed -n 's/^Result - //p' "$work/$size.cbc" | head -1); c_st=${c_st:-killed after $((LIMIT * 2))s}
  ratio() { [ "$1" = none ] && echo null || echo "scale=6; $1 / $ours" | bc; }
  lp_cols=$(head -1 "$work/$size.lp" | grep -o '[0-9]* columns')
  tratio() { echo "scale=1; $1 / $ours_s" | bc 2>/dev/null || echo null; }
  printf '{"size":"%s","lp":"%s","muster":{"weighted_people":%s,"seconds":%s},' "$size" "$lp_cols" "$ours" "$ours_s"
  printf '"glpk":{"objective":"%s","status":"%s","seconds":%.2f,"objective_ratio":%s,"time_ratio":%s},' \
    "$g_obj" "$g_st" "$g_s" "$(ratio "$g_obj")" "$(tratio "$g_s")"
  printf '"cbc":{"objective":"%s","status":"%s","seconds":%.2f,"objective_ratio":%s,"time_ratio":%s}}\n' \
    "$c_obj" "$c_st" "$c_s" "$(ratio "$c_obj")" "$(tratio "$c_s")"
done

echo "-- fast against exact (GLPK, 10 s each) on 20 small instances"
"$work/bench_compare" 20 500 10 10 | tail -1

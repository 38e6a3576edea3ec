#!/usr/bin/env bash
# muster plan / gen instance end to end: a reproducible instance, a plan the
# checker accepts, a tampered plan it rejects by name, the exact mode, the LP
# export read back by glpsol, re-planning after a cancelled leg, bad input.
# store: none (no --db; tests/run-pg does not run it again)
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
cd "$d"
fail() { echo "FAIL: $*"; exit 1; }

"$MUSTER" gen instance --households 300 --legs 8 --seed 7 --out a.json
"$MUSTER" gen instance --households 300 --legs 8 --seed 7 > b.json
cmp -s a.json b.json || fail "same seed, different instance"
"$MUSTER" gen instance --households 300 --legs 8 --seed 8 > c.json
cmp -s a.json c.json && fail "different seeds, same instance"

"$MUSTER" plan --instance a.json > plan.json
grep -q '"assignments":\[' plan.json || fail "no assignments"
grep -q '"bound":{"weighted_people":' plan.json || fail "no bound"
"$MUSTER" plan --check --instance a.json --plan plan.json | grep -q '"valid":true' \
  || fail "checker rejects the planner's own plan"

# tamper: every assignment onto the first leg -> seats and eligibility broken
first=$(grep -o '"leg":"L[0-9]*"' plan.json | head -1)
sed "s/\"leg\":\"L[0-9]*\"/$first/g" plan.json > bad.json
set +e
"$MUSTER" plan --check --instance a.json --plan bad.json > out 2> err; rc=$?
set -e
[ $rc -eq 1 ] || fail "checker exit $rc on a broken plan"
grep -q "seats used" err || fail "capacity violation not named"
grep -q '"valid":false' out || fail "no verdict"

# the exact mode on a tiny instance proves its optimum
"$MUSTER" gen instance --households 40 --legs 3 --seed 2 > tiny.json
"$MUSTER" plan --instance tiny.json --exact --time-limit 30 --summary > exact.json
grep -q '"optimal":true' exact.json || fail "exact mode did not prove a 40-household optimum"

# the LP export parses in GLPK and gives the same weighted people
"$MUSTER" plan --instance tiny.json --export-lp tiny.lp
grep -q '^Maximize' tiny.lp && grep -q '^General' tiny.lp || fail "LP export malformed"
if command -v glpsol >/dev/null; then
  glpsol --cpxlp tiny.lp --tmlim 30 -o tiny.out >/dev/null
  ours=$(grep -o '"weighted_people":[0-9]*' exact.json | head -1 | cut -d: -f2)
  theirs=$(sed -n 's/^Objective: *obj = \([0-9]*\).*/\1/p' tiny.out)
  [ "$ours" = "$theirs" ] || fail "glpsol objective $theirs, muster exact $ours"
fi

# re-plan: pin a household on a leg, cancel that leg
cat > replan.json <<'EOF'
{"settings":{"road_kmh":25,"reach_km":150,"checkin_minutes":120},
 "points":[{"id":"NRT","lat":35.77,"lon":140.39}],
 "legs":[{"id":"A","point":"NRT","departs":"2026-12-01T12:00:00Z","seats":10,"stretchers":0,"carries":["JPN"],"cancelled":true},
         {"id":"B","point":"NRT","departs":"2026-12-01T18:00:00Z","seats":10,"stretchers":0,"carries":["JPN"]}],
 "households":[{"id":"h1","lat":35.7,"lon":140.3,"ready":"2026-12-01T00:00:00Z",
   "members":[{"id":"m1","nationality":"JPN","priority":"standard"}],"current":{"leg":"A","state":"pinned"}}]}
EOF
"$MUSTER" plan --instance replan.json > rp.json
grep -q '{"household":"h1","leg":"B"}' rp.json || fail "cancelled pinned household not re-planned"
grep -q '"reason":"leg cancelled"' rp.json || fail "move not explained"

# bad input: one line, non-zero
set +e
"$MUSTER" plan --instance missing.json 2> err; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l < err)" -eq 1 ] || fail "missing file: rc $rc"
echo '{"points":[],"legs":[{"id":"x","point":"nowhere"}],"households":[]}' > broken.json
"$MUSTER" plan --instance broken.json 2> err; rc=$?
[ $rc -eq 2 ] && grep -q "unknown point" err || fail "bad instance: rc $rc"
"$MUSTER" plan --bogus 2> /dev/null; [ $? -eq 2 ] || fail "unknown option accepted"
"$MUSTER" gen instance --households 0 --legs 1 2> /dev/null; [ $? -eq 2 ] || fail "zero households accepted"
set -e
"$MUSTER" plan --help | grep -q -- '--export-lp' || fail "help"
"$MUSTER" gen instance --help | grep -q -- '--households' || fail "gen help"
echo ok

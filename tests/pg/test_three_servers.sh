#!/usr/bin/env bash
# Three `muster serve` over one PostgreSQL database (issue 9), on a demo with
# more people than seats:
#  1. two plans proposed from the same registry on two servers (a leg added
#     between the two builds makes them differ: identical plans cannot
#     conflict, the second only skips what the first moved); the first is
#     accepted, the second must be refused ("plan again") and record nothing;
#  2. check-ins go to all three servers while two plans run on two of them;
#     the job states are polled, and the test proves that each plan
#     overlapped acknowledged check-ins (a check-in sent before the plan was
#     last seen running and answered after it was first seen running; while
#     a plan records, under the writers' lock, check-ins wait for it).
# Then the servers are killed (SIGKILL) and every invariant is checked:
#  - every check-in acknowledged (201) by any server is there,
#  - no leg holds more people than it has seats (nor stretcher cases than
#    stretcher slots),
#  - the node's chain is one unbroken chain (muster verify), ids gapless,
#  - a plan.recorded event for each plan that finished, none for a refused one.
# Run by tests/run-pg (MUSTER_TEST_PG set); PostgreSQL only.
set -euo pipefail
. "$ROOT/tests/pg/lib.sh"
. "$ROOT/tests/integration/lib_server.sh"
on_pg || { echo "needs PostgreSQL (tests/run-pg sets MUSTER_TEST_PG)"; exit 1; }
d=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] && echo "kept $d" || rm -rf "$d"
}
trap cleanup EXIT
tsetup "$d"; N=$(tdb three)
"$MUSTER" demo --no-serve --db "$N" --people 4000 >/dev/null

bases=()
for s in 1 2 3; do
  start_server "$N"
  pids+=("$SERVER_PID"); bases+=("$BASE")
done
BASE=${bases[0]}
kor=$(login kor.officer muster-demo-2026)
adm=$(login kor.admin muster-demo-2026)
[ -n "$kor" ] && [ "$kor" != null ] || { echo "login failed"; exit 1; }
op=$(tsql "$N" "" "SELECT id FROM operations LIMIT 1")
airport=$(tsql "$N" "" "SELECT id FROM assembly_points WHERE kind = 'airport' LIMIT 1")
recorded() { tsql "$N" "" "SELECT count(*) FROM events WHERE type = 'plan.recorded'"; }

# plan_on SERVER TOKEN [BODY]: starts a plan there, prints the job id
plan_on() {
  local out; out=$(BASE=$1 api "$2" POST "/api/v1/operations/$op/plan" "${3:-}")
  case "$out" in "202 "*) jq -r .job <<<"${out#202 }" ;; *) echo "plan on $1: $out" >&2; return 1 ;; esac
}

# 1. two proposals from one registry state, on servers 1 and 2
ja=$(plan_on "${bases[0]}" "$kor" '{"propose":true}')
BASE=${bases[0]} wait_job "$kor" "$ja" > "$d/ja"
departs=$(date -u -d 'tomorrow 06:00' +%Y-%m-%dT%H:%M:%SZ)
out=$(BASE=${bases[2]} api "$kor" POST "/api/v1/operations/$op/legs" "{\"kind\":\"aircraft\",
  \"vehicle\":\"KC-330\",\"seats\":300,\"stretchers\":0,\"point\":\"$airport\",\"departs\":\"$departs\",
  \"destination\":\"Seoul Incheon (RKSI)\",\"destination_country\":\"KOR\",\"carries\":[\"JPN\",\"KOR\"]}")
[ "${out%% *}" = 201 ] || { echo "adding a leg: $out"; exit 1; }
jb=$(plan_on "${bases[1]}" "$kor" '{"propose":true}')
BASE=${bases[1]} wait_job "$kor" "$jb" > "$d/jb"
jq -e '.state == "proposed" and .result.unassigned.capacity > 0' "$d/ja" >/dev/null ||
  { echo "proposal A: $(head -c 300 "$d/ja")"; exit 1; }
jq -e '.state == "proposed"' "$d/jb" >/dev/null || { echo "proposal B: $(head -c 300 "$d/jb")"; exit 1; }
[ "$(jq .result.unassigned.capacity "$d/jb")" -lt "$(jq .result.unassigned.capacity "$d/ja")" ] ||
  { echo "the two proposals do not differ"; exit 1; }
[ "$(BASE=${bases[0]} api "$kor" POST "/api/v1/jobs/$ja/accept" | cut -d' ' -f1)" = 200 ]
events=$(tsql "$N" "" "SELECT count(*) FROM events")
out=$(BASE=${bases[1]} api "$kor" POST "/api/v1/jobs/$jb/accept")
[ "${out%% *}" = 409 ] && grep -q 'plan again' <<<"$out" ||
  { echo "the second proposal was not refused: $(head -c 300 <<<"$out")"; exit 1; }
[ "$(tsql "$N" "" "SELECT count(*) FROM events")" -eq "$events" ] ||
  { echo "the refused plan wrote events"; exit 1; }
[ "$(recorded)" -eq 1 ]

# 2. allocated KOR people with a valid passport: check them in, spread over
# the three servers (a session made on server 1 works on all: it is in the
# database)
checkin_todo "$N" "ORDER BY p.id LIMIT 300" > "$d/todo"
[ "$(wc -l < "$d/todo")" -ge 200 ] || { echo "too few people to check in: $(wc -l < "$d/todo")"; exit 1; }
awk -v b1="${bases[0]}" -v b2="${bases[1]}" -v b3="${bases[2]}" \
  '{ b = (NR % 3 == 0) ? b1 : (NR % 3 == 1) ? b2 : b3; print $1, $2, b }' "$d/todo" > "$d/work"
export op kor
checkin() { # DOC POINT BASE: prints "BODY<TAB>CODE<TAB>time sent<TAB>time answered"
  local sent answer
  sent=$(date +%s.%N)
  answer=$(curl -s -w '\t%{http_code}' -X POST -H "Authorization: Bearer $kor" \
    -d "{\"point\":\"$2\",\"document_number\":\"$1\"}" "$3/api/v1/operations/$op/checkins")
  printf '%s\t%s\t%s\n' "$answer" "$sent" "$(date +%s.%N)" # one write: lines do not mix
}
export -f checkin
xargs -P 9 -L 1 bash -c 'checkin "$@"' _ < "$d/work" > "$d/out" &
loader=$!
for _ in $(seq 1 400); do [ "$(wc -l < "$d/out")" -ge 20 ] && break; sleep 0.05; done

# two plans (servers 2 and 3) while the check-ins run on all three; their
# states polled from their submission on: "TIME JOB STATE" (a plan that is
# overtaken may fail before its first poll: its submission is its start)
poll() { # BASE TOKEN JOB
  local s st
  for _ in $(seq 1 3000); do
    s=$(curl -s -H "Authorization: Bearer $2" "$1/api/v1/jobs/$3")
    st=$(jq -r .state <<<"$s")
    echo "$(date +%s.%N) $3 $st" >> "$d/states"
    case "$st" in done|failed) printf '%s\n' "$s" > "$d/$3"; return 0 ;; esac
    sleep 0.02
  done
  return 1
}
t=$(date +%s.%N); job2=$(plan_on "${bases[1]}" "$kor"); echo "$t $job2 submitted" >> "$d/states"
poll "${bases[1]}" "$kor" "$job2" & p2=$!
t=$(date +%s.%N); job3=$(plan_on "${bases[2]}" "$adm"); echo "$t $job3 submitted" >> "$d/states"
poll "${bases[2]}" "$adm" "$job3" & p3=$!
wait "$p2"; wait "$p3"; wait "$loader"
for p in "${pids[@]}"; do kill -KILL "$p"; wait "$p" 2>/dev/null || true; done
pids=()

# each plan finished or was refused for having been overtaken; at least one
# finished
done_jobs=0
for j in "$job2" "$job3"; do
  if jq -e '.state == "done"' "$d/$j" >/dev/null; then
    done_jobs=$((done_jobs + 1))
  else
    jq -e '.state == "failed" and (.error | tostring | test("plan again"))' "$d/$j" >/dev/null ||
      { echo "plan $j: $(head -c 300 "$d/$j")"; exit 1; }
  fi
done
[ "$done_jobs" -ge 1 ] || { echo "no plan finished"; exit 1; }
# overlap: for each plan, acknowledged check-ins in flight while it ran
# (sent before it was last seen running, or before it ended when it was
# never seen running, and answered after it was submitted), and check-ins
# answered after it finished (so the load went on)
for j in "$job2" "$job3"; do
  read -r first last end < <(awk -v j="$j" '$2 == j && $3 ~ /^(submitted|queued|running|recording)$/ {
      if (f == "") f = $1; l = $1 } $2 == j && $3 ~ /^(done|failed)$/ && e == "" { e = $1 }
      END { if (l == f) l = e; print f, l, e }' "$d/states")
  [ -n "$first" ] && [ -n "$end" ] || { echo "plan $j was never seen running"; exit 1; }
  during=$(awk -F'\t' -v f="$first" -v l="$last" '$2 == 201 && $3 < l && $4 > f' "$d/out" | wc -l)
  after=$(awk -F'\t' -v e="$end" '$2 == 201 && $3 > e' "$d/out" | wc -l)
  [ "$during" -ge 1 ] && [ "$after" -ge 1 ] ||
    { echo "plan $j ($first..$last) overlapped $during check-ins, $after came after it"; exit 1; }
  echo "plan $j: $during acknowledged check-ins overlapped it, $after came after it"
done

total=$(wc -l < "$d/work")
acked=$(awk -F'\t' '$2 == 201' "$d/out" | wc -l)
bad=$(awk -F'\t' '$2 != 201 && $2 != 422' "$d/out" | head -3)
[ -z "$bad" ] || { echo "unexpected answers: $bad"; exit 1; }
# the plans may move a few households; nearly every check-in must succeed
[ "$acked" -ge $(( total * 9 / 10 )) ] || { echo "only $acked of $total check-ins acknowledged"; exit 1; }
awk -F'\t' '$2 == 201 { print $1 }' "$d/out" | jq -r .person.id | sort -u > "$d/acked"
tsql "$N" "" "SELECT id FROM persons WHERE status = 'checked_in' ORDER BY id" | sort > "$d/stored"
missing=$(comm -23 "$d/acked" "$d/stored" | wc -l)
[ "$missing" -eq 0 ] || { echo "$missing acknowledged check-ins are not checked in"; exit 1; }

over=$(tsql "$N" "" "SELECT l.id || ' seats ' || l.seats || ' has ' ||
    count(*) FILTER (WHERE (p.needs & 1) = 0) || ', stretchers ' || l.stretchers || ' has ' ||
    count(*) FILTER (WHERE (p.needs & 1) = 1)
  FROM legs l JOIN persons p ON p.leg = l.id
  WHERE p.status IN ('allocated', 'notified', 'confirmed', 'checked_in', 'boarded', 'departed')
  GROUP BY l.id, l.seats, l.stretchers
  HAVING count(*) FILTER (WHERE (p.needs & 1) = 0) > l.seats
      OR count(*) FILTER (WHERE (p.needs & 1) = 1) > l.stretchers")
[ -z "$over" ] || { echo "seats given twice: $over"; exit 1; }
[ "$(tsql "$N" "" "SELECT count(*) FROM persons WHERE status <> 'registered'")" -gt 3000 ] ||
  { echo "the plans allocated almost nobody"; exit 1; }

"$MUSTER" verify --db "$N" >/dev/null
[ "$(tsql "$N" "" "SELECT count(*) = max(id) FROM events")" = t ] ||
  { echo "event ids have gaps"; exit 1; }
[ "$(recorded)" -eq $((1 + done_jobs)) ] ||
  { echo "plan.recorded events: $(recorded), plans finished: $((1 + done_jobs))"; exit 1; }
echo "ok: $acked of $total check-ins acknowledged over three servers, a stale proposal refused, $done_jobs of two concurrent plans recorded, invariants hold"

#!/usr/bin/env bash
# kill -9 the server during a check-in load, 20 times: every check-in that
# was answered 201 is on disk after restart, and the log verifies.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 4000 >/dev/null
start_server "$N"
off=$(login kor.officer muster-demo-2026)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
job=$(api "$off" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$off" "$job" | jq -r .state)" = done ]
today=$(date -u +%Y-%m-%d)
# every allocated person with a valid passport, with their leg's point
tsql "$N" "SELECT p.doc_number || ' ' || l.point FROM persons p JOIN legs l ON p.leg = l.id
  WHERE p.status = 'allocated' AND p.doc_expiry > '$today' AND p.nation = 'KOR'" > todo
[ "$(wc -l < todo)" -gt 400 ] || { echo "too few people to check in"; exit 1; }
total_acked=0
for round in $(seq 1 20); do
  [ -n "${SERVER_PID:-}" ] || start_server "$N"
  tok=$(login kor.officer muster-demo-2026)
  # 16 at a time, each printing "code document" when answered
  head -n 40 todo | sed -n "1,40p" > batch; sed -i '1,40d' todo
  (xargs -P 16 -L 1 sh -c 'code=$(curl -s -o /dev/null -w "%{http_code}" -X POST \
      -H "Authorization: Bearer '"$tok"'" -d "{\"point\":\"$1\",\"document_number\":\"$0\"}" \
      '"$BASE"'/api/v1/operations/'"$op"'/checkins); echo "$code $0"' < batch > answers.$round 2>/dev/null) &
  loader=$!
  sleep "0.$(( RANDOM % 5 + 2 ))"
  kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  wait $loader 2>/dev/null || true
  for doc in $(awk '$1 == 201 { print $2 }' answers.$round); do
    st=$(tsql "$N" "SELECT status FROM persons WHERE doc_number = '$doc'")
    [ "$st" = checked_in ] || { echo "round $round: $doc acknowledged but $st on disk"; exit 1; }
    total_acked=$((total_acked + 1))
  done
done
"$MUSTER" verify --db "$N" >/dev/null
[ $total_acked -gt 0 ] || { echo "no check-in was acknowledged: the test exercised nothing"; exit 1; }
echo "ok ($total_acked acknowledged check-ins survived 20 kills)"

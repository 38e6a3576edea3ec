#!/usr/bin/env bash
# kill -9 the server during a check-in load, 20 times: each kill lands after
# 5 to 20 check-ins of the round were acknowledged, with the client (16 at a
# time) still sending; every check-in that was answered 201 is on disk after
# restart, and the log verifies.
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
checkin_todo "$N" > todo
per=80 # check-ins sent per round, 16 at a time
[ "$(wc -l < todo)" -ge $((20 * per)) ] || { echo "too few people to check in: $(wc -l < todo)"; exit 1; }
total_acked=0
for round in $(seq 1 20); do
  [ -n "${SERVER_PID:-}" ] || start_server "$N"
  tok=$(login kor.officer muster-demo-2026)
  # 16 at a time, each printing "code document" when answered
  head -n $per todo > batch; sed -i "1,${per}d" todo
  : > answers.$round
  (xargs -P 16 -L 1 sh -c 'code=$(curl -s -o /dev/null -w "%{http_code}" -X POST \
      -H "Authorization: Bearer '"$tok"'" -d "{\"point\":\"$1\",\"document_number\":\"$0\"}" \
      '"$BASE"'/api/v1/operations/'"$op"'/checkins); echo "$code $0"' < batch > answers.$round 2>/dev/null) &
  loader=$!
  # the kill lands mid-load: after 5 to 20 check-ins were acknowledged, with
  # the client still sending
  want=$(( RANDOM % 16 + 5 ))
  for _ in $(seq 1 1000); do
    [ "$(awk '$1 == 201' answers.$round | wc -l)" -ge $want ] && break
    kill -0 $loader 2>/dev/null || break
    sleep 0.01
  done
  acked_at_kill=$(awk '$1 == 201' answers.$round | wc -l)
  kill -0 $loader 2>/dev/null && running=1 || running=0
  kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  wait $loader 2>/dev/null || true
  [ "$acked_at_kill" -ge "$want" ] && [ "$running" = 1 ] ||
    { echo "round $round: the kill did not land mid-load ($acked_at_kill acknowledged, client running: $running)"; exit 1; }
  # the requests the kill cut got no status
  [ "$(awk '$1 == 201' answers.$round | wc -l)" -lt "$per" ] ||
    { echo "round $round: every check-in was answered: the kill came after the load"; exit 1; }
  for doc in $(awk '$1 == 201 { print $2 }' answers.$round); do
    st=$(tsql "$N" "SELECT status FROM persons WHERE doc_number = '$doc'")
    [ "$st" = checked_in ] || { echo "round $round: $doc acknowledged but $st on disk"; exit 1; }
    total_acked=$((total_acked + 1))
  done
done
"$MUSTER" verify --db "$N" >/dev/null
[ $total_acked -gt 0 ] || { echo "no check-in was acknowledged: the test exercised nothing"; exit 1; }
echo "ok ($total_acked acknowledged check-ins survived 20 kills)"

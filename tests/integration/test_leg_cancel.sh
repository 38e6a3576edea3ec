#!/usr/bin/env bash
# An airport closes: the operating nation cancels a leg with a reason, and
# the next plan moves everyone off it (onto other legs or back to waiting),
# checked-in people included. Another nation cannot cancel it.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
start_server "$N"
kor=$(login kor.officer muster-demo-2026); jpn=$(login jpn.officer muster-demo-2026)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
job=$(api "$kor" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$kor" "$job" | jq -r .state)" = done ]
leg=$(tsql "$N" "SELECT l.id FROM legs l JOIN persons p ON p.leg = l.id WHERE l.operator = 'KOR'
  AND p.status = 'allocated' GROUP BY l.id ORDER BY count(*) DESC LIMIT 1")
on=$(tsql "$N" "SELECT count(*) FROM persons WHERE leg = '$leg' AND status = 'allocated'")
[ "$on" -gt 0 ]
# one of them is already checked in (pinned)
doc=$(tsql "$N" "SELECT doc_number FROM persons WHERE leg = '$leg' AND status = 'allocated' AND nation = 'KOR' AND doc_expiry > '$(date -u +%Y-%m-%d)' LIMIT 1")
point=$(tsql "$N" "SELECT point FROM legs WHERE id = '$leg'")
[ "$(api "$kor" POST "/api/v1/operations/$op/checkins" "{\"point\":\"$point\",\"document_number\":\"$doc\"}" | cut -d' ' -f1)" = 201 ]
[ "$(api "$jpn" POST "/api/v1/legs/$leg/cancel" '{"reason":"x"}' | cut -d' ' -f1)" = 404 ]
[ "$(api "$kor" POST "/api/v1/legs/$leg/cancel" '{}' | cut -d' ' -f1)" = 400 ]
out=$(api "$kor" POST "/api/v1/legs/$leg/cancel" '{"reason":"Ben Gurion closed to military traffic"}')
[ "${out%% *}" = 201 ] && [ "$(jq -r .status <<<"${out#* }")" = cancelled ] || { echo "cancel: $out"; exit 1; }
[ "$(api "$kor" POST "/api/v1/legs/$leg/cancel" '{"reason":"again"}' | cut -d' ' -f1)" = 409 ]
job=$(api "$kor" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
res=$(wait_job "$kor" "$job")
[ "$(jq -r .state <<<"$res")" = done ] || { echo "$res"; exit 1; }
left=$(tsql "$N" "SELECT count(*) FROM persons WHERE leg = '$leg' AND status IN ('allocated','notified','confirmed','checked_in')")
[ "$left" = 0 ] || { echo "$left people still on the cancelled leg"; exit 1; }
stop_server
"$MUSTER" verify --db "$N" >/dev/null
echo ok

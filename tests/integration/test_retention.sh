#!/usr/bin/env bash
# Retention with a moved clock: KOR sets periods per data class on its
# operation and closes it. Before a class's end nothing goes; after it, that
# class's keys and rows are gone, the other class and another (open)
# operation's people are untouched, one retention.run records counts only,
# a second run changes nothing, the job inside `muster serve` shreds the
# next class on its own, and `muster verify` passes throughout.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
fails() { if "$@"; then echo "should have failed: $*"; exit 1; fi; }
"$MUSTER" demo --no-serve --db "$N" --people 300 >/dev/null
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
op2=$("$MUSTER" gen scenario --db "$N" --people 40 --json | jq -r .operation)
q() { tsql "$N" "$1"; }
keys_of() { # keys of persons of operation $1 registered by nation $2 (as the projection had them)
  q "SELECT count(*) FROM person_keys WHERE subject IN (SELECT subject FROM ids WHERE op = '$1' AND nation = '$2')"
}
q "CREATE TABLE ids AS SELECT id AS subject, operation AS op, nation FROM persons"
jpn_n=$(q "SELECT count(*) FROM ids WHERE op = '$op' AND nation = 'JPN'")
kor_n=$(q "SELECT count(*) FROM ids WHERE op = '$op' AND nation = 'KOR'")
op2_n=$(q "SELECT count(*) FROM ids WHERE op = '$op2'")
[ "$jpn_n" -gt 0 ] && [ "$kor_n" -gt 0 ] && [ "$op2_n" -gt 0 ]
jpn_p=$(q "SELECT subject FROM ids WHERE op = '$op' AND nation = 'JPN' LIMIT 1")

start_server "$N"
kor=$(login kor.officer muster-demo-2026); jpn=$(login jpn.officer muster-demo-2026)
field=$(login kor.field muster-demo-2026)
r=$(api "$kor" PUT "/api/v1/operations/$op/retention" '{"partner_days":30,"registry_days":365}')
[ "${r%% *}" = 200 ] || { echo "set: $r"; exit 1; }
[ "$(jq -r .partner_days <<<"${r#* }")" = 30 ] && [ "$(jq -r .clearance_days <<<"${r#* }")" = null ]
# bad input changes nothing
[ "$(api "$jpn" PUT "/api/v1/operations/$op/retention" '{"partner_days":1}' | cut -d' ' -f1)" = 403 ]
[ "$(api "$field" PUT "/api/v1/operations/$op/retention" '{"partner_days":1}' | cut -d' ' -f1)" = 403 ]
[ "$(api "$kor" PUT "/api/v1/operations/$op/retention" '{"partner_days":-1}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$kor" PUT "/api/v1/operations/$op/retention" '{"partner_days":"30"}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$kor" PUT "/api/v1/operations/$op/retention" '{"partner_days":36501}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$kor" PUT "/api/v1/operations/$op/retention" '{"shelf_life":3}' | cut -d' ' -f1)" = 400 ]
[ "$(api "$kor" PUT "/api/v1/operations/nope/retention" '{"partner_days":3}' | cut -d' ' -f1)" = 404 ]
r=$(api "$jpn" GET "/api/v1/operations/$op/retention")
[ "$(jq -r '[.registry_days, .partner_days, .closed_at] | join(",")' <<<"${r#* }")" = "365,30," ]
# the other operation has periods too, but stays open: nothing of it may go
[ "$(api "$kor" PUT "/api/v1/operations/$op2/retention" '{"partner_days":0,"registry_days":0}' | cut -d' ' -f1)" = 200 ]
[ "$(api "$kor" PATCH "/api/v1/operations/$op" '{"status":"closed"}' | cut -d' ' -f1)" = 200 ]
r=$(api "$kor" GET "/api/v1/operations/$op/retention" | cut -d' ' -f2-)
closed=$(jq -r .closed_at <<<"$r"); partner_end=$(jq -r .ends.partner <<<"$r")
[ "$closed" != null ] && [ "$(jq -r .ends.clearance <<<"$r")" = null ]
stop_server
at() { date -u -d "$closed + $1" +%Y-%m-%dT%H:%M:%SZ; }
[ "$partner_end" = "$(at '30 days')" ]

# the CLI refuses what it cannot do, and changes nothing
before=$(q "SELECT count(*) FROM events")
fails "$MUSTER" retention run --db "$N" --now yesterday 2>/dev/null
fails "$MUSTER" retention set --db "$N" --operation "$op" --partner-days -4 2>/dev/null
fails "$MUSTER" retention set --db "$N" --operation nope --partner-days 4 2>/dev/null
[ "$(q "SELECT count(*) FROM events")" = "$before" ]

# one day before the partner copies' end: nothing goes, the run is recorded
"$MUSTER" retention run --db "$N" --now "$(at '29 days')" --json > run0.json
[ "$(jq -r .persons run0.json)" = 0 ]
[ "$(keys_of "$op" JPN)" = "$jpn_n" ] && [ "$(keys_of "$op" KOR)" = "$kor_n" ]
[ "$(q "SELECT count(*) FROM events WHERE type = 'retention.run'")" = 1 ]

# a day after it: every partner copy of the closed operation goes, nothing else
"$MUSTER" retention run --db "$N" --now "$(at '31 days')" --json > run1.json
[ "$(jq -r .persons run1.json)" = "$jpn_n" ]
[ "$(jq -c '.purged[0] | [.operation, .class, .count]' run1.json)" = "[\"$op\",\"partner\",$jpn_n]" ]
[ "$(keys_of "$op" JPN)" = 0 ]
[ "$(q "SELECT count(*) FROM persons WHERE operation = '$op' AND nation = 'JPN'")" = 0 ]
[ "$(keys_of "$op" KOR)" = "$kor_n" ]
[ "$(q "SELECT count(*) FROM persons WHERE operation = '$op' AND nation = 'KOR'")" = "$kor_n" ]
[ "$(q "SELECT count(*) FROM person_keys WHERE subject IN (SELECT subject FROM ids WHERE op = '$op2')")" = "$op2_n" ]
[ "$(q "SELECT count(*) FROM persons WHERE operation = '$op2'")" = "$op2_n" ]
# the run names counts and classes, never a person; the notice for peers names them
[ "$(q "SELECT count(*) FROM events WHERE type = 'retention.run' AND $(tbody) LIKE '%per\\_%' ESCAPE '\\'")" = 0 ]
[ "$(q "SELECT count(*) FROM events WHERE type = 'erasure.notice' AND $(tbody) LIKE '%$jpn_p%'
  AND $(tbody) LIKE '%\"reason\":\"retention\"%'")" = 1 ]
"$MUSTER" verify --db "$N" >/dev/null

# again at the same time: nothing more goes
"$MUSTER" retention run --db "$N" --now "$(at '31 days')" --json > run2.json
[ "$(jq -r '.persons + .clearances' run2.json)" = 0 ] && [ "$(jq -r '.purged | length' run2.json)" = 0 ]
[ "$(keys_of "$op" KOR)" = "$kor_n" ]
[ "$(q "SELECT count(*) FROM events WHERE type = 'erasure.notice'")" = 1 ]

# muster serve runs the job on start: past the registry's end, KOR's own go
MUSTER_NOW=$(at '366 days') start_server "$N"
for _ in $(seq 1 100); do
  [ "$(q "SELECT count(*) FROM events WHERE type = 'retention.run'")" = 4 ] && break; sleep 0.05
done
stop_server
[ "$(q "SELECT count(*) FROM events WHERE type = 'retention.run'")" = 4 ]
[ "$(keys_of "$op" KOR)" = 0 ]
[ "$(q "SELECT count(*) FROM persons WHERE operation = '$op'")" = 0 ]
[ "$(q "SELECT count(*) FROM persons WHERE operation = '$op2'")" = "$op2_n" ]
[ "$(q "SELECT count(*) FROM person_keys WHERE subject IN (SELECT subject FROM ids WHERE op = '$op2')")" = "$op2_n" ]
[ "$(q "SELECT count(*) FROM households WHERE operation = '$op'")" -gt 0 ] # not personal: kept
"$MUSTER" retention show --db "$N" --operation "$op" | jq -e '.registry_days == 365' >/dev/null
"$MUSTER" verify --db "$N" >/dev/null
echo ok

#!/usr/bin/env bash
# A person's history over HTTP (GET /persons/{id}/history): the registering
# nation sees registration, allocation and an edit in log order with no
# personal data in clear; a carrying partner sees only the status changes,
# without the other nation's actors; a nation that may not see the person
# gets 404, like reading the person.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
start_server "$N"
PW=muster-demo-2026
kor=$(login kor.officer $PW); jpn=$(login jpn.officer $PW); liaison=$(login jpn.liaison $PW)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
job=$(api "$kor" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$kor" "$job" | jq -r .state)" = done ]
# a Korean on a Korean leg: invisible to Japan
IFS='|' read -r p sur doc < <(tsql "$N" "SELECT p.id, p.surname, p.doc_number FROM persons p JOIN legs l ON l.id = p.leg
  WHERE p.nation = 'KOR' AND p.nationality = 'KOR' AND l.operator = 'KOR' AND p.status = 'allocated'
  AND p.doc_number IS NOT NULL LIMIT 1")
[ -n "$p" ] || { echo "no allocated Korean"; exit 1; }
[ "$(api "$kor" PATCH "/api/v1/persons/$p" '{"phone":"+82 10-7777-0202"}' | cut -d' ' -f1)" = 200 ]
out=$(api "$kor" GET "/api/v1/persons/$p/history")
[ "${out%% *}" = 200 ] || { echo "history: $out"; exit 1; }
h=${out#* }
[ "$(jq -r .view <<<"$h")" = full ]
[ "$(jq -r '[.events[].type] | join(",")' <<<"$h")" = "household.registered,person.status,person.updated" ] ||
  { echo "types: $(jq -c '[.events[].type]' <<<"$h")"; exit 1; }
jq -e '.events[0].to == "registered" and .events[1].from == "registered" and .events[1].to == "allocated"
  and (.events[1].leg | length) > 0 and .events[2].actor == "kor.officer"' <<<"$h" >/dev/null || { echo "entries: $h"; exit 1; }
# ids rise and times are ISO-8601
jq -e '[.events[].id] == ([.events[].id] | sort) and all(.events[]; .time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T"))' <<<"$h" >/dev/null
# nothing personal in clear
! grep -q -e "$sur" -e "$doc" -e 7777 -e pii <<<"$h" || { echo "personal data in the history: $h"; exit 1; }
# Japan may not see this person: the same 404 as reading them
[ "$(api "$jpn" GET "/api/v1/persons/$p" | cut -d' ' -f1)" = 404 ]
[ "$(api "$jpn" GET "/api/v1/persons/$p/history" | cut -d' ' -f1)" = 404 ]
[ "$(api "$liaison" GET "/api/v1/persons/$p/history" | cut -d' ' -f1)" = 404 ]
[ "$(api "$kor" GET "/api/v1/persons/per_nobody/history" | cut -d' ' -f1)" = 404 ]
[ "$(api "" GET "/api/v1/persons/$p/history" | cut -d' ' -f1)" = 401 ]
# a consenting Japanese on a Korean leg: Korea carries them, so sees the status changes only
q=$(tsql "$N" "SELECT p.id FROM persons p JOIN legs l ON l.id = p.leg WHERE p.nation = 'JPN' AND p.nationality = 'JPN'
  AND l.operator = 'KOR' AND p.consent = 1 AND p.status = 'allocated' LIMIT 1")
if [ -n "$q" ]; then
  [ "$(api "$kor" GET "/api/v1/persons/$q" | cut -d' ' -f2- | jq -r .view)" = partner ]
  h=$(api "$kor" GET "/api/v1/persons/$q/history" | cut -d' ' -f2-)
  [ "$(jq -r .view <<<"$h")" = partner ]
  [ "$(jq -r '[.events[].type] | unique | join(",")' <<<"$h")" = person.status ] || { echo "partner: $h"; exit 1; }
  jq -e 'all(.events[]; .actor == null and .nation == "JPN")' <<<"$h" >/dev/null
  # Japan, the registering nation, has the whole history with its actors
  h=$(api "$jpn" GET "/api/v1/persons/$q/history" | cut -d' ' -f2-)
  [ "$(jq -r '.events[0].type' <<<"$h")" = household.registered ] && [ "$(jq -r '.events[0].actor' <<<"$h")" != null ]
else
  echo "note: no consenting Japanese on a Korean leg in this demo" >&2
fi
echo ok

#!/usr/bin/env bash
# Manifests per leg over HTTP: CSV rows, a PDF, and a PAXLST that muster
# paxlst parses back to the same passengers; a partner gets only the
# passengers it may see.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
start_server "$N"
off=$(login kor.officer muster-demo-2026); jpn=$(login jpn.officer muster-demo-2026)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
job=$(api "$off" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$off" "$job" | jq -r .state)" = done ]
leg=$(tsql "$N" "SELECT leg FROM persons WHERE leg IS NOT NULL AND status = 'allocated'
  GROUP BY leg HAVING count(*) > 20 AND sum(CASE WHEN nationality = 'JPN' THEN 1 ELSE 0 END) > 0 AND
  (SELECT operator FROM legs WHERE id = leg) = 'KOR' LIMIT 1")
[ -n "$leg" ] || { echo "no KOR leg carrying Japanese"; exit 1; }
n=$(tsql "$N" "SELECT count(*) FROM persons WHERE leg = '$leg' AND status = 'allocated'")
get() { curl -s -D headers -o "$3" -H "Authorization: Bearer $1" "$BASE/api/v1/legs/$leg/manifest?format=$2"; }
get "$off" csv m.csv
[ $(( $(wc -l < m.csv) - 1 )) -eq "$n" ] || { echo "csv has $(wc -l < m.csv) lines for $n passengers"; exit 1; }
grep -qi 'content-disposition: attachment; filename="manifest-' headers
get "$off" pdf m.pdf
[ "$(head -c 5 m.pdf)" = "%PDF-" ] && [ "$(wc -c < m.pdf)" -gt 2000 ]
get "$off" paxlst m.edi
"$MUSTER" paxlst parse m.edi > m.json
[ "$(jq '[.messages[].passengers[]] | length' m.json)" -eq "$n" ] || { echo "paxlst count"; exit 1; }
# the Japanese officer sees only the Japanese on this Korean leg
get "$jpn" csv j.csv
nj=$(tsql "$N" "SELECT count(*) FROM persons WHERE leg = '$leg' AND status = 'allocated' AND (nationality = 'JPN' OR nation = 'JPN')")
[ $(( $(wc -l < j.csv) - 1 )) -eq "$nj" ] || { echo "partner csv has $(wc -l < j.csv) lines, want $nj + 1"; exit 1; }
[ "$nj" -lt "$n" ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $off" "$BASE/api/v1/legs/$leg/manifest?format=xml")" = 400 ]
echo ok

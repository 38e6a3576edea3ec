#!/usr/bin/env bash
# The person's copy over HTTP (GET /persons/{id}/copy, JSON and PDF): the
# registering nation's officer gets the record, household, history,
# clearance decisions (without watchlist hits), which partner nation could
# see the person (derived) and what partner accounts were sent (read
# audit); the export is itself audited; other nations and roles get 403,
# unknown people 404, a bad format 400. Demo data from muster demo's fixed seed.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
PW=muster-demo-2026
mkdir clear
cat > clear/KOR.rules.json <<'JSON'
{"country": "KOR", "visa_exempt": ["JPN", "USA"], "humanitarian_entry": {"partners": ["JPN"],
 "min_validity_days": 0}, "min_validity_days": 0, "lost_passport_documents": ["emergency"],
 "match_threshold": 60}
JSON
printf 'surname,given_names,birth_date,nationality,reason,id\nNOBODY,NEVER,1900,XXX,x,WL-1\n' > clear/KOR.watchlist.csv
"$MUSTER" serve --db "$N" --listen 127.0.0.1:0 --clearance-dir clear > serve.out 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do grep -q "^muster serving" serve.out && break; sleep 0.1; done
BASE="http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' serve.out | head -1)"
off=$(login jpn.officer $PW); jfield=$(login jpn.field $PW); jimm=$(login jpn.immigration $PW)
koff=$(login kor.officer $PW); kadmin=$(login kor.admin $PW); kimm=$(login kor.immigration $PW)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
# a Japanese registered by Japan, allocated by Japan to a Korean leg from the
# airport to Korea that carries Japanese (chosen here, not by the planner,
# so that the test does not depend on what a plan makes of the demo)
leg=$(tsql "$N" "SELECT id FROM legs WHERE destination_country = 'KOR' AND operator = 'KOR'
  AND carries LIKE '%JPN%' AND point = (SELECT id FROM assembly_points WHERE kind = 'airport') ORDER BY id LIMIT 1")
[ -n "$leg" ] || { echo "no Korean leg to Korea carrying Japanese"; exit 1; }
IFS='|' read -r p hh doc sur < <(tsql "$N" "SELECT id, household, doc_number, surname FROM persons
  WHERE nation = 'JPN' AND nationality = 'JPN' AND status = 'registered' AND consent = 1 AND doc_number IS NOT NULL
  AND doc_expiry > '$(date -u -d '+30 days' +%Y-%m-%d)' ORDER BY id LIMIT 1") || true
[ -n "${p:-}" ] || { echo "no registered Japanese with a valid passport"; exit 1; }
out=$(api "$off" POST "/api/v1/persons/$p/status" "{\"to\":\"allocated\",\"leg\":\"$leg\"}")
[ "${out%% *}" = 201 ] || { echo "allocate: $out"; exit 1; }
# Korea, the arrival country, reads the person and decides on the leg
[ "$(api "$kimm" GET "/api/v1/persons/$p" | cut -d' ' -f1)" = 200 ]
[ "$(api "$kimm" POST "/api/v1/legs/$leg/clearance" '' | cut -d' ' -f1)" = 201 ]
before=$(tsql "$N" "SELECT count(*) FROM read_audit WHERE person = '$p'")

out=$(api "$off" GET "/api/v1/persons/$p/copy")
[ "${out%% *}" = 200 ] || { echo "copy: $out" | cut -c1-400; exit 1; }
c=${out#* }
jq -e --arg p "$p" --arg h "$hh" --arg s "$sur" '.person.id == $p and .person.view == "full"
  and .person.surname == $s and .household.id == $h and (.household.other_members | index($p)) == null
  and .generated_by == "jpn.officer"' <<<"$c" >/dev/null || { echo "record: $(jq -c '{person, household}' <<<"$c")"; exit 1; }
jq -e '(.history // []) | length >= 2 and .[0].type == "household.registered" and
  any(.[]; .type == "person.status" and .to == "allocated")' <<<"$c" >/dev/null || { echo "history: $(jq -c .history <<<"$c")"; exit 1; }
jq -e --arg l "$leg" '(.clearances // []) | length >= 1 and all(.[]; .nation == "KOR" and .leg == $l
  and (.decision | length) > 0 and has("hits") == false and (.as_received.surname | length) > 0)' <<<"$c" >/dev/null ||
  { echo "clearances: $(jq -c .clearances <<<"$c")"; exit 1; }
jq -e --arg l "$leg" '(.partner_visibility // []) | any(.nation == "KOR" and .leg == $l
  and .basis == "arrival country" and .until == null and (.fields | index("document")) != null
  and (.fields | index("phone")) == null)' <<<"$c" >/dev/null || { echo "visibility: $(jq -c .partner_visibility <<<"$c")"; exit 1; }
jq -e '(.received_by_partners // []) | length >= 2 and all(.[]; .nation == "KOR") and
  any(.[]; .actor == "kor.immigration" and .purpose == "person" and .view == "partner") and
  any(.[]; .purpose == "clearance")' <<<"$c" >/dev/null || { echo "received: $(jq -c .received_by_partners <<<"$c")"; exit 1; }
[ "$(jq '(.reads // []) | length' <<<"$c")" = "$before" ]
# the export is audited
[ "$(tsql "$N" "SELECT count(*) FROM read_audit WHERE person = '$p' AND purpose = 'copy' AND actor = 'jpn.officer'")" = 1 ]

# the PDF: a real document that names the person and the partner that saw them
curl -s -o copy.pdf -w '%{http_code} %{content_type}' -H "Authorization: Bearer $off" \
  "$BASE/api/v1/persons/$p/copy?format=pdf" > pdf.status
[ "$(cat pdf.status)" = "200 application/pdf" ] || { echo "pdf: $(cat pdf.status)"; exit 1; }
[ "$(head -c 5 copy.pdf)" = "%PDF-" ]
python3 - "$p" <<'PY'
import re, sys, zlib
data = open("copy.pdf", "rb").read()
text = b""
for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
    try:
        text += zlib.decompress(m.group(1))
    except zlib.error:
        pass
for want in (sys.argv[1].encode(), b"kor.immigration", b"arrival country", b"household.registered"):
    if want not in text:
        sys.exit("the PDF does not show %r" % want)
PY
[ "$(tsql "$N" "SELECT count(*) FROM read_audit WHERE person = '$p' AND purpose = 'copy.pdf'")" = 1 ]

# only the registering nation's officers and admins; nothing leaks otherwise
n=$(tsql "$N" "SELECT count(*) FROM read_audit")
[ "$(api "$koff" GET "/api/v1/persons/$p/copy" | cut -d' ' -f1)" = 403 ]   # partner view
[ "$(api "$kadmin" GET "/api/v1/persons/$p/copy" | cut -d' ' -f1)" = 403 ] # partner view
[ "$(api "$jfield" GET "/api/v1/persons/$p/copy" | cut -d' ' -f1)" = 403 ] # role
[ "$(api "$jimm" GET "/api/v1/persons/$p/copy" | cut -d' ' -f1)" = 403 ]   # role
[ "$(api "$off" GET "/api/v1/persons/per_nobody/copy" | cut -d' ' -f1)" = 404 ]
[ "$(api "$off" GET "/api/v1/persons/$p/copy?format=xml" | cut -d' ' -f1)" = 400 ]
[ "$(api "" GET "/api/v1/persons/$p/copy" | cut -d' ' -f1)" = 401 ]
[ "$(tsql "$N" "SELECT count(*) FROM read_audit")" = "$n" ]

# the command line: the same copy on the node of the registering nation
# (this demo node is Korea's), audited with actor "cli"; others refused
k=$(tsql "$N" "SELECT id FROM persons WHERE nation = 'KOR' ORDER BY id LIMIT 1")
"$MUSTER" person copy "$k" --db "$N" > k.json
jq -e --arg k "$k" '.person.id == $k and .person.view == "full" and .generated_by == "cli"
  and (.history | length) >= 1' k.json >/dev/null
"$MUSTER" person copy "$k" --db "$N" --pdf k.pdf
[ "$(head -c 5 k.pdf)" = "%PDF-" ]
[ "$(tsql "$N" "SELECT purpose FROM read_audit WHERE person = '$k' AND actor = 'cli'
  AND route = 'muster person copy' ORDER BY id" | paste -sd,)" = "copy,copy.pdf" ]
n=$(tsql "$N" "SELECT count(*) FROM read_audit")
if "$MUSTER" person copy "$p" --db "$N" > /dev/null 2>err.txt; then echo "Korea's node exported a Japanese copy"; exit 1; fi
grep -q "JPN registered" err.txt
if "$MUSTER" person copy per_nobody --db "$N" > /dev/null 2>&1; then echo "copy of nobody"; exit 1; fi
[ "$(tsql "$N" "SELECT count(*) FROM read_audit")" = "$n" ]
echo ok

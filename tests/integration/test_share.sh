#!/usr/bin/env bash
# Partner copies between two nodes (core/share.h, docs/privacy.md): Korea's
# node A gives Japan's node B what Japan may see of an operation. An
# independent oracle (the scoping rule restated in SQL over A's projections)
# says who that is; B gets exactly them, partner-view people without contact
# details or location, each key sealed to B alone. Then the life of the
# copy: applying twice, a tampered bundle, a bundle for another node and an
# untrusted sender change nothing; a person who declines is withdrawn and B
# shreds them; A's erasure notice shreds B's copy; A's partner retention
# travels with the copy and B's retention job shreds it on time; both logs
# verify throughout.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
. "$ROOT/tests/pg/lib.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
cd "$d"
tsetup "$d"
fails() { if "$@"; then echo "should have failed: $*"; exit 1; fi; }
A=$(tdb a); B=$(tdb b); C=$(tdb c)
"$MUSTER" demo --no-serve --db "$A" --people 1500 >/dev/null
"$MUSTER" init --db "$B" --nation JPN >/dev/null
"$MUSTER" init --db "$C" --nation JPN >/dev/null
echo "b-officer-password" | "$MUSTER" user add b.officer --db "$B" --nation JPN --role officer >/dev/null
op=$(tsql "$A" "SELECT id FROM operations LIMIT 1")
airport=$(tsql "$A" "SELECT id FROM assembly_points WHERE kind = 'airport'")

# Japan offers a KC-767 open to Koreans, so that Koreans sit on a Japanese leg
start_server "$A"
kor=$(login kor.officer muster-demo-2026); jpn=$(login jpn.officer muster-demo-2026)
departs=$(date -u -d '+5 hours' +%Y-%m-%dT%H:%M:%SZ)
out=$(api "$jpn" POST "/api/v1/operations/$op/legs" "{\"kind\":\"aircraft\",\"vehicle\":\"KC-767\",
  \"seats\":200,\"stretchers\":0,\"point\":\"$airport\",\"departs\":\"$departs\",\"destination\":\"Seoul Incheon (RKSI)\",
  \"destination_country\":\"KOR\",\"carries\":[\"JPN\",\"KOR\"]}")
[ "${out%% *}" = 201 ] || { echo "leg: $out"; exit 1; }
job=$(api "$kor" POST "/api/v1/operations/$op/plan" '{}' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$kor" "$job" | jq -r .state)" = done ]
stop_server

# the oracle: who Japan may see, in which view
full() { tsql "$A" "SELECT id FROM persons WHERE nation = 'JPN' OR nationality = 'JPN' ORDER BY id"; }
partner() {
  tsql "$A" "SELECT p.id FROM persons p JOIN legs l ON p.leg = l.id
    WHERE NOT (p.nation = 'JPN' OR p.nationality = 'JPN') AND l.status <> 'cancelled' AND (
      (l.destination_country = 'JPN' AND p.status IN ('allocated','notified','confirmed',
        'checked_in','boarded','departed','arrived','cleared','refused_entry'))
      OR (p.consent = 1 AND l.operator = 'JPN' AND p.status IN ('allocated','notified',
        'confirmed','checked_in','boarded','departed'))) ORDER BY p.id"
}
full | sort > full.ids; partner | sort > partner.ids
sort -u full.ids partner.ids > allowed.ids
[ -s full.ids ] && [ -s partner.ids ] || { echo "scenario has no people of both views"; exit 1; }
[ "$(tsql "$A" "SELECT count(*) FROM persons")" -gt "$(wc -l < allowed.ids)" ]
inlist() { sed "s/.*/'&'/" "$1" | paste -sd,; }

ia=$("$MUSTER" erasure-notice identity --db "$A"); ib=$("$MUSTER" erasure-notice identity --db "$B")
oa=$(jq -r .origin <<<"$ia"); ob=$(jq -r .origin <<<"$ib")
# A gives nothing to a node it does not trust
fails "$MUSTER" share export --db "$A" --to "$ob" --operation "$op" --out s0.json 2>err.txt
grep -q "not trusted" err.txt && [ ! -e s0.json ]
"$MUSTER" erasure-notice trust --db "$A" --origin "$ob" --nation JPN --pubkey "$(jq -r .pubkey <<<"$ib")" >/dev/null
fails "$MUSTER" share export --db "$A" --to "$ob" --operation nope --out s0.json 2>/dev/null

a_events=$(tsql "$A" "SELECT count(*) FROM events")
"$MUSTER" share export --db "$A" --to "$ob" --operation "$op" --out s1.json > out.txt
grep -q "shared $(wc -l < allowed.ids) person(s)" out.txt
jq -r '.share.body | fromjson | .persons[]' s1.json | sort > sent.ids
diff allowed.ids sent.ids
[ "$(tsql "$A" "SELECT count(*) FROM events")" = $((a_events + 1)) ]
[ "$(tsql "$A" "SELECT count(*) FROM events WHERE type = 'share.sent'")" = 1 ]
# one read-audit row per person sent, in the view they were sent
[ "$(tsql "$A" "SELECT count(*) FROM read_audit WHERE actor = 'node:$ob' AND nation = 'JPN' AND purpose = 'share'")" = "$(wc -l < allowed.ids)" ]
[ "$(tsql "$A" "SELECT count(*) FROM read_audit WHERE actor = 'node:$ob' AND view = 'partner'")" = "$(wc -l < partner.ids)" ]
# the person's copy on A names B's node among the partners that received them
pp=$(head -1 partner.ids)
[ "$("$MUSTER" person copy "$pp" --db "$A" | jq --arg a "node:$ob" '[.received_by_partners[] | select(.actor == $a and .purpose == "share")] | length')" = 1 ]
# ... and its notes say that node holds a copy; someone not shared has none
"$MUSTER" person copy "$pp" --db "$A" | jq -r '.notes[]' > notes.txt
grep -q "node(s) $ob hold a copy" notes.txt || { cat notes.txt; exit 1; }
fails grep -q "no other node holds a copy" notes.txt
np=$(tsql "$A" "SELECT id FROM persons WHERE nation = 'KOR' ORDER BY id" | grep -vxFf allowed.ids | sed -n 1p)
[ -n "$np" ]
"$MUSTER" person copy "$np" --db "$A" | jq -r '.notes[]' | grep -q "No partner node was sent this person"
# nothing personal in the clear: no surname of anyone sent appears in the file
sample=$(tsql "$A" "SELECT surname || ' ' || coalesce(doc_number, '') FROM persons WHERE id = '$(head -1 partner.ids)'")
fails grep -q "${sample#* }" s1.json
fails grep -q "\"surname\"" s1.json

# B does not know A yet: refused, nothing changes
fails "$MUSTER" share apply --db "$B" s1.json 2>err.txt
grep -q "does not know" err.txt
[ "$(tsql "$B" "SELECT count(*) FROM persons")" = 0 ]
"$MUSTER" erasure-notice trust --db "$B" --origin "$oa" --nation KOR --pubkey "$(jq -r .pubkey <<<"$ia")" >/dev/null
"$MUSTER" erasure-notice trust --db "$C" --origin "$oa" --nation KOR --pubkey "$(jq -r .pubkey <<<"$ia")" >/dev/null

# a tampered payload, a forged key and a bundle for another node change nothing
b_events=$(tsql "$B" "SELECT count(*) FROM events")
jq '.payload |= sub("allocated"; "boarded")' s1.json > bad1.json
fails "$MUSTER" share apply --db "$B" bad1.json 2>err.txt; grep -q "does not match" err.txt
jq '.share.body |= sub("\"to_nation\":\"JPN\""; "\"to_nation\":\"FRA\"")' s1.json > bad2.json
fails "$MUSTER" share apply --db "$B" bad2.json 2>err.txt; grep -q "hash" err.txt
fails "$MUSTER" share apply --db "$C" s1.json 2>err.txt; grep -q "is for node $ob" err.txt
echo '{"format":"muster-share/1"}' > bad3.json
fails "$MUSTER" share apply --db "$B" bad3.json 2>/dev/null
[ "$(tsql "$B" "SELECT count(*) FROM events")" = "$b_events" ]
[ "$(tsql "$B" "SELECT count(*) FROM person_keys")" = 0 ]

"$MUSTER" share apply --db "$B" s1.json | grep -q "$(wc -l < allowed.ids) person(s) stored"
tsql "$B" "SELECT id FROM persons ORDER BY id" | sort > b.ids
diff allowed.ids b.ids
[ "$(tsql "$B" "SELECT count(*) FROM person_keys")" = "$(wc -l < allowed.ids)" ]
# partner-view people: what is needed to carry or admit them, and no more
pl=$(inlist partner.ids)
[ "$(tsql "$B" "SELECT count(*) FROM persons WHERE id IN ($pl) AND (phone IS NOT NULL OR email IS NOT NULL
  OR address IS NOT NULL OR lat IS NOT NULL OR native_name IS NOT NULL)")" = 0 ]
cols="id, surname, given_names, sex, birth_date, doc_number, nationality, needs, status, leg, household"
[ "$(tsql "$A" "SELECT $cols FROM persons WHERE id IN ($pl) ORDER BY id")" = \
  "$(tsql "$B" "SELECT $cols FROM persons WHERE id IN ($pl) ORDER BY id")" ]
# Japan's own people in full, contact details included
fl=$(inlist full.ids)
[ "$(tsql "$A" "SELECT $cols, phone, email, address FROM persons WHERE id IN ($fl) ORDER BY id")" = \
  "$(tsql "$B" "SELECT $cols, phone, email, address FROM persons WHERE id IN ($fl) ORDER BY id")" ]
# the legs and points B may see came along; Korea's own legs did not
[ "$(tsql "$B" "SELECT count(*) FROM legs WHERE operator = 'JPN' OR destination_country = 'JPN'")" = \
  "$(tsql "$A" "SELECT count(*) FROM legs WHERE operator = 'JPN' OR destination_country = 'JPN'")" ]
"$MUSTER" verify --db "$B" >/dev/null && "$MUSTER" verify --db "$A" >/dev/null
# applying again changes nothing
b_events=$(tsql "$B" "SELECT count(*) FROM events")
"$MUSTER" share apply --db "$B" s1.json | grep -q "already applied"
[ "$(tsql "$B" "SELECT count(*) FROM events")" = "$b_events" ]

# B's officers read the copy through B's own server, by the same rule
start_server "$B"
bt=$(login b.officer b-officer-password)
r=$(api "$bt" GET "/api/v1/persons/$pp")
[ "${r%% *}" = 200 ] && [ "$(jq -r .surname <<<"${r#* }")" = "$(tsql "$A" "SELECT surname FROM persons WHERE id = '$pp'")" ]
[ "$(jq -r '.phone // "none"' <<<"${r#* }")" = none ]
stop_server

# the partner-view person declines: the next share withdraws them, B shreds
start_server "$A"
kor=$(login kor.officer muster-demo-2026)
[ "$(api "$kor" POST "/api/v1/persons/$pp/status" '{"to":"declined"}' | cut -d' ' -f1)" = 201 ]
stop_server
"$MUSTER" share export --db "$A" --to "$ob" --operation "$op" --out s2.json | grep -q " 1 withdrawn"
[ "$(jq -r '.share.body | fromjson | .withdrawn | join(",")' s2.json)" = "$pp" ]
"$MUSTER" share apply --db "$B" s2.json >/dev/null
[ "$(tsql "$B" "SELECT count(*) FROM persons WHERE id = '$pp'")" = 0 ]
[ "$(tsql "$B" "SELECT count(*) FROM person_keys WHERE subject = '$pp'")" = 0 ]
# the older bundle, applied after the newer one, changes nothing
"$MUSTER" share apply --db "$B" s1.json | grep -q "already applied"
[ "$(tsql "$B" "SELECT count(*) FROM persons WHERE id = '$pp'")" = 0 ]
# a Japanese national is erased on A at their request: A's erasure notice
# shreds B's copy
pf=$(tsql "$A" "SELECT id FROM persons WHERE nation = 'JPN' ORDER BY id LIMIT 1")
start_server "$A"
jpn=$(login jpn.officer muster-demo-2026)
[ "$(api "$jpn" POST "/api/v1/persons/$pf/erase" '{"reason":"request of the data subject"}' | cut -d' ' -f1)" = 201 ]
stop_server
[ "$(tsql "$B" "SELECT count(*) FROM person_keys WHERE subject = '$pf'")" = 1 ]
"$MUSTER" erasure-notice export --db "$A" --out notices.json
"$MUSTER" erasure-notice apply --db "$B" notices.json >/dev/null
[ "$(tsql "$B" "SELECT count(*) FROM person_keys WHERE subject = '$pf'")" = 0 ]
[ "$(tsql "$B" "SELECT count(*) FROM persons WHERE id = '$pf'")" = 0 ]
"$MUSTER" verify --db "$B" >/dev/null

# retention travels with the copy: A keeps partner copies 30 days after the
# close; after the close a new share tells B, and B's job shreds on time
"$MUSTER" retention set --db "$A" --operation "$op" --partner-days 30 >/dev/null
start_server "$A"
kor=$(login kor.officer muster-demo-2026)
[ "$(api "$kor" PATCH "/api/v1/operations/$op" '{"status":"closed"}' | cut -d' ' -f1)" = 200 ]
closed=$(api "$kor" GET "/api/v1/operations/$op/retention" | cut -d' ' -f2- | jq -r .closed_at)
stop_server
"$MUSTER" share export --db "$A" --to "$ob" --operation "$op" --out s3.json >/dev/null
"$MUSTER" share apply --db "$B" s3.json >/dev/null
[ "$(tsql "$B" "SELECT partner_days FROM retention WHERE id = '$op'")" = 30 ]
at() { date -u -d "$closed + $1" +%Y-%m-%dT%H:%M:%SZ; }
# Korea's people on B are B's partner copies; Japan's registered people are
# B's own registry, which Korea's period does not touch
copies=$(tsql "$B" "SELECT count(*) FROM persons WHERE nation <> 'JPN'")
own=$(tsql "$B" "SELECT count(*) FROM persons WHERE nation = 'JPN'")
[ "$copies" -gt 0 ] && [ "$own" -gt 0 ]
"$MUSTER" retention run --db "$B" --now "$(at '29 days')" --json > run0.json
[ "$(jq -r .persons run0.json)" = 0 ]
"$MUSTER" retention run --db "$B" --now "$(at '31 days')" --json > run1.json
[ "$(jq -r .persons run1.json)" = "$copies" ]
[ "$(tsql "$B" "SELECT count(*) FROM persons WHERE nation <> 'JPN'")" = 0 ]
[ "$(tsql "$B" "SELECT count(*) FROM persons WHERE nation = 'JPN'")" = "$own" ]
[ "$(tsql "$B" "SELECT count(*) FROM person_keys")" = "$own" ]
# past the copy's end, the same share stores nobody again
"$MUSTER" share export --db "$A" --to "$ob" --operation "$op" --out s4.json >/dev/null
"$MUSTER" share apply --db "$B" --now "$(at '31 days')" s4.json | grep -q "not stored: their retention has ended"
[ "$(tsql "$B" "SELECT count(*) FROM persons WHERE nation <> 'JPN'")" = 0 ]
"$MUSTER" verify --db "$A" >/dev/null && "$MUSTER" verify --db "$B" >/dev/null
echo ok

#!/usr/bin/env bash
# The scoping matrix: every route x every role x own / partner / unrelated
# nation. An independent oracle (the rule restated in SQL over the
# projections) says which people each nation may see, and in which view;
# every answer of the server is checked against it: no person id outside
# the allowed set, no contact detail or location of a partner-view person,
# 404 for a person the caller may not see, 403 for a role that may not act.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 1500 >/dev/null
echo "fra-officer-password" | "$MUSTER" user add fra.officer --db "$N" --nation FRA --role officer >/dev/null
start_server "$N"
PW=muster-demo-2026
declare -A TOK NAT
for u in kor.admin kor.officer kor.field kor.immigration jpn.officer jpn.field jpn.immigration jpn.liaison; do
  TOK[$u]=$(login $u $PW); NAT[$u]=${u%%.*}; NAT[$u]=${NAT[$u]^^}
  [ ${#TOK[$u]} -eq 64 ] || { echo "login $u failed"; exit 1; }
done
TOK[fra.officer]=$(login fra.officer fra-officer-password); NAT[fra.officer]=FRA
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
airport=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'airport'")

# Japan offers an early KC-767 to Haneda open to Koreans too; then plan, so
# that people sit on legs of both nations
departs=$(date -u -d '+5 hours' +%Y-%m-%dT%H:%M:%SZ)
out=$(api "${TOK[jpn.officer]}" POST "/api/v1/operations/$op/legs" "{\"kind\":\"aircraft\",\"vehicle\":\"KC-767\",
  \"seats\":200,\"stretchers\":0,\"point\":\"$airport\",\"departs\":\"$departs\",\"destination\":\"Tokyo Haneda (RJTT)\",
  \"destination_country\":\"JPN\",\"carries\":[\"JPN\",\"KOR\"]}")
[ "${out%% *}" = 201 ] || { echo "leg: $out"; exit 1; }
job=$(api "${TOK[kor.officer]}" POST "/api/v1/operations/$op/plan" '{}' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "${TOK[kor.officer]}" "$job" | jq -r .state)" = done ]
[ "$(tsql "$N" "SELECT count(*) FROM persons WHERE status = 'allocated'")" -gt 1000 ]

# the oracle
full() { tsql "$N" "SELECT id FROM persons WHERE nation = '$1' OR nationality = '$1'"; }
partner() {
  tsql "$N" "SELECT p.id FROM persons p JOIN legs l ON p.leg = l.id
    WHERE NOT (p.nation = '$1' OR p.nationality = '$1') AND l.status <> 'cancelled' AND (
      (l.destination_country = '$1' AND p.status IN ('allocated','notified','confirmed',
        'checked_in','boarded','departed','arrived','cleared','refused_entry'))
      OR (p.consent = 1 AND l.operator = '$1' AND p.status IN ('allocated','notified',
        'confirmed','checked_in','boarded','departed')))"
}
for n in KOR JPN FRA; do
  full $n | sort > full.$n; partner $n | sort > partner.$n
  sort -u full.$n partner.$n > allowed.$n
  # contact details that must never reach a partner view
  if [ -s partner.$n ]; then
    tsql "$N" "SELECT phone FROM persons WHERE phone IS NOT NULL AND id IN ($(sed "s/.*/'&'/" partner.$n | paste -sd,))" > secret.$n
    tsql "$N" "SELECT email FROM persons WHERE email IS NOT NULL AND id IN ($(sed "s/.*/'&'/" partner.$n | paste -sd,))" >> secret.$n
  else : > secret.$n; fi
done
[ -s partner.JPN ] && [ -s partner.KOR ] || { echo "scenario has no partner-visible people"; exit 1; }
[ ! -s allowed.FRA ] || { echo "FRA should see nobody"; exit 1; }

# a sample of people of every kind, their households, every leg
sample=$( (head -2 full.KOR; head -2 full.JPN; head -2 partner.KOR; head -2 partner.JPN;
  tsql "$N" "SELECT id FROM persons WHERE status = 'registered' LIMIT 2";
  tsql "$N" "SELECT p.id FROM persons p JOIN legs l ON p.leg = l.id WHERE l.operator = 'KOR' AND l.destination_country <> 'JPN' AND p.nationality = 'KOR' LIMIT 2") | sort -u)
households=$(for p in $sample; do tsql "$N" "SELECT household FROM persons WHERE id = '$p'"; done | sort -u)
legs=$(tsql "$N" "SELECT id FROM legs")

fail=0; calls=0
# call USER METHOD PATH BODY: one request; its answer goes to calls/N and a
# line "N NATION USER METHOD PATH STATUS" to calls/index, checked all at once below
# (a few processes per call, not a dozen: the matrix is thousands of calls)
mkdir calls
call() {
  local args=(-s -o "calls/$((calls + 1))" -w '%{http_code}' -X "$2")
  [ "$1" != - ] && args+=(-H "Authorization: Bearer ${TOK[$1]}")
  [ -n "$4" ] && args+=(-d "$4")
  calls=$((calls + 1))
  st=$(curl "${args[@]}" "$BASE$3")
  echo "$calls ${NAT[$1]:--} $1 $2 $3 $st" >> calls/index
}

while read -r method pattern; do
  case "$pattern" in /api/v1/logout|/api/v1/login|*/plan) continue ;; esac
  values=("-")
  case "$pattern" in
    *"{person}"*) values=($sample) ;;
    *"{household}"*) values=($households) ;;
    *"{leg}"*) values=($legs) ;;
    *"{job}"*) values=("$job") ;;
  esac
  for v in "${values[@]}"; do
    path=${pattern//\{operation\}/$op}; path=${path//\{person\}/$v}; path=${path//\{household\}/$v}
    path=${path//\{leg\}/$v}; path=${path//\{job\}/$v}
    [[ $pattern == */persons ]] && path="$path?limit=1000"
    body='{}'; [ "$method" = GET ] && body=''
    # unauthenticated: 401 for every protected route
    if [[ $pattern == /api/* ]]; then
      call - "$method" "$path" "$body"; [ "$st" = 401 ] || { echo "no 401: $method $path"; fail=1; }
    fi
    for u in "${!TOK[@]}"; do
      call "$u" "$method" "$path" "$body"
      if [[ $method == GET && $pattern == /api/v1/persons/{person} ]]; then
        if grep -qx "$v" allowed.${NAT[$u]}; then want=200; else want=404; fi
        [ "$st" = $want ] || { echo "GET person $v as $u: $st, want $want: $(cat calls/$calls)"; fail=1; }
        if grep -qx "$v" partner.${NAT[$u]}; then
          [ "$(jq -r .view calls/$calls)" = partner ] || { echo "view of $v for $u not partner"; fail=1; }
        fi
      fi
    done
  done
done < <("$MUSTER" serve --routes)

# every answer against the oracle: no 5xx; no person id outside the caller's
# allowed set (ids the caller named in the path are echoed in errors: not a
# leak); no contact detail of a partner-view person
awk '$2 != "-" && $6 ~ /^5/ { print "5xx: " $0; bad = 1 } END { exit bad }' calls/index || fail=1
(cd calls && grep -Ho 'per_[0-9a-z]\{26\}' [0-9]* || true) > ids.found
awk 'FILENAME ~ /^allowed\./ { split(FILENAME, f, "."); ok[f[2] " " $1] = 1; next }
  FILENAME == "calls/index" { nat[$1] = $2; who[$1] = $3; path[$1] = $4 " " $5; next }
  { split($0, a, ":"); n = a[1]; id = a[2]
    if (nat[n] == "-" || index(path[n], id) || ok[nat[n] " " id] || seen[n " " id]++) next
    print "LEAK to " who[n] " via " path[n] ": " id; bad = 1 }
  END { exit bad }' allowed.KOR allowed.JPN allowed.FRA calls/index ids.found || fail=1
for n in KOR JPN FRA; do
  [ -s secret.$n ] || continue
  files=$(awk -v n=$n '$2 == n { print "calls/" $1 }' calls/index)
  leaked=$(grep -slFf secret.$n $files || true)
  for f in $leaked; do echo "CONTACT LEAK to $(awk -v i="${f#calls/}" '$1 == i { print $3, "via", $4, $5 }' calls/index)"; fail=1; done
done

# roles: who may act at all
for u in jpn.liaison kor.immigration kor.field; do
  st=$(api "${TOK[$u]}" POST /api/v1/operations '{"name":"x","host_country":"ISR"}' | cut -d' ' -f1)
  [ "$st" = 403 ] || { echo "$u created an operation ($st)"; fail=1; }
done
for u in jpn.liaison jpn.immigration; do
  st=$(api "${TOK[$u]}" POST "/api/v1/operations/$op/checkins" "{\"point\":\"$airport\",\"document_number\":\"X1\"}" | cut -d' ' -f1)
  [ "$st" = 403 ] || { echo "$u checked someone in ($st)"; fail=1; }
done
st=$(api "${TOK[fra.officer]}" GET "/api/v1/operations/$op" | cut -d' ' -f1)
[ "$st" = 404 ] || { echo "unrelated nation sees the operation ($st)"; fail=1; }
[ "$(api "${TOK[fra.officer]}" GET /api/v1/operations | cut -d' ' -f2- | jq '.operations | length')" = 0 ]
p=$(head -1 partner.JPN)
st=$(api "${TOK[jpn.officer]}" POST "/api/v1/persons/$p/status" '{"to":"declined"}' | cut -d' ' -f1)
[ "$st" = 403 ] || { echo "a partner changed another nation's registration ($st)"; fail=1; }
st=$(api "${TOK[fra.officer]}" POST "/api/v1/persons/$p/status" '{"to":"declined"}' | cut -d' ' -f1)
[ "$st" = 404 ] || { echo "an unrelated nation reached a person ($st)"; fail=1; }
# summaries count only the caller's own people
n_own=$(wc -l < full.JPN)
got=$(api "${TOK[jpn.officer]}" GET "/api/v1/operations/$op/summary" | cut -d' ' -f2- | jq .people)
[ "$got" = "$n_own" ] || { echo "JPN summary counts $got people, own are $n_own"; fail=1; }
# logout revokes the token
api "${TOK[jpn.liaison]}" POST /api/v1/logout '' >/dev/null
[ "$(api "${TOK[jpn.liaison]}" GET /api/v1/me | cut -d' ' -f1)" = 401 ] || { echo "token alive after logout"; fail=1; }
# the accounts from the command line beside the running server (either
# store): listed, one disabled, and its session ends on the server (which
# remembers a resolved token for a second, docs/access.md)
"$MUSTER" user list --db "$N" --json > users.json
jq -se 'map(select(.name == "fra.officer" and .nation == "FRA" and .role == "officer"
  and .disabled == false)) | length == 1' users.json >/dev/null || { echo "user list: $(cat users.json)"; fail=1; }
[ "$(wc -l < users.json)" -eq $(( ${#TOK[@]} )) ] || { echo "user list has $(wc -l < users.json) accounts"; fail=1; }
"$MUSTER" user disable fra.officer --db "$N" >/dev/null
"$MUSTER" user list --db "$N" | grep -q '^fra\.officer .*(disabled)$' || { echo "not listed as disabled"; fail=1; }
sleep 1.1
[ "$(api "${TOK[fra.officer]}" GET /api/v1/me | cut -d' ' -f1)" = 401 ] || { echo "session alive after disable"; fail=1; }
[ "$(login fra.officer fra-officer-password)" = null ] || { echo "a disabled account logged in"; fail=1; }
echo "$calls checked calls"
[ $fail -eq 0 ]
echo ok

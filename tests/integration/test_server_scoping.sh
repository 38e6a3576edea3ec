#!/usr/bin/env bash
# The scoping matrix: every route of `muster serve --routes` x every role
# (admin, officer, field, immigration, liaison) x the own nation (KOR, which
# runs the operation), a partner (JPN) and an unrelated nation (FRA), with
# real ids and valid bodies, so that a 403 or 404 against a 2xx means the
# rule and nothing else. The expected status of each call comes from an
# oracle written here (want_*), which restates docs/access.md; who may see
# which person comes from the scoping rule restated in SQL over the
# projections. Any status that differs, any person id outside what the
# caller's nation may see, and any contact detail, address, location or
# native name of a person seen in the partner view fails the test.
#
# The calls go through one curl process per batch (a config file of
# requests), in order. Writes that change state act on fresh objects made
# for each call that should succeed (people brought to the right status,
# legs, proposed plans, clearance decisions); a call that should be refused
# uses a shared one. Reads run before writes; recording a plan and logging
# out come last.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
PW=muster-demo-2026
t0=$(date +%s); phase() { echo "[$(($(date +%s) - t0)) s] $*"; }
"$MUSTER" demo --no-serve --db "$N" --people 800 >/dev/null
phase demo
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
airport=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'airport'")
port=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'port'")
embassy=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'embassy' ORDER BY id LIMIT 1")

# every nation has every role; field officers work at the airport desk
adduser() { echo "$PW" | "$MUSTER" user add "$1" --db "$N" --nation "$2" --role "$3" ${4:+--points "$4"} >/dev/null; }
adduser kor.liaison KOR liaison; adduser jpn.admin JPN admin
adduser fra.admin FRA admin; adduser fra.officer FRA officer; adduser fra.field FRA field "$airport"
adduser fra.immigration FRA immigration; adduser fra.liaison FRA liaison
USERS=()
for n in kor jpn fra; do for r in admin officer field immigration liaison; do USERS+=("$n.$r"); done; done

# clearance rules for every nation; Korea's watchlist names the WATCHLISTED
mkdir clear
for n in KOR JPN FRA; do
  printf '{"country": "%s", "visa_exempt": ["KOR", "JPN"], "humanitarian_entry": {"partners": ["KOR", "JPN"],
 "min_validity_days": 0}, "min_validity_days": 0, "lost_passport_documents": ["emergency"], "match_threshold": 60}\n' $n > clear/$n.rules.json
  printf 'surname,given_names,birth_date,nationality,reason,id\nWATCHLISTED,ONE,1970,KOR,test listing,WL-1\n' > clear/$n.watchlist.csv
done
"$MUSTER" serve --db "$N" --listen 127.0.0.1:0 --clearance-dir clear > serve.out 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do grep -q "^muster serving" serve.out && break; sleep 0.1; done
BASE="http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' serve.out | head -1)"

declare -A TOK NAT ROLE
for u in "${USERS[@]}"; do
  TOK[$u]=$(login $u $PW)
  NAT[$u]=${u%%.*}; NAT[$u]=${NAT[$u]^^}; ROLE[$u]=${u#*.}
  [ ${#TOK[$u]} -eq 64 ] || { echo "login $u failed"; exit 1; }
done

fail=0
# setup calls: must succeed
must() { local want=$1; shift; out=$(api "${TOK[$1]}" "${@:2}"); [ "${out%% *}" = "$want" ] || { echo "setup $*: $out"; exit 1; }; }
departs=$(date -u -d '+5 hours' +%Y-%m-%dT%H:%M:%SZ)
legbody() { echo "{\"kind\":\"aircraft\",\"vehicle\":\"test\",\"seats\":$4,\"stretchers\":$5,\"point\":\"$1\",
  \"departs\":\"${DEPARTS:-$departs}\",\"destination\":\"somewhere\",\"destination_country\":\"$2\",\"carries\":$3}"; }
# mkleg USER POINT DEST CARRIES SEATS STRETCHERS [OPERATION]: prints the new leg
mkleg() { must 201 "$1" POST "/api/v1/operations/${7:-$op}/legs" "$(legbody "$2" "$3" "$4" "$5" "$6")"; jq -r .id <<<"${out#* }"; }

# Japan offers a KC-767 to Haneda open to Koreans, then Korea plans, so that
# people sit on legs of both nations
mkleg jpn.officer "$airport" JPN '["JPN","KOR"]' 200 0 >/dev/null
must 202 kor.officer POST "/api/v1/operations/$op/plan" '{}'
job=$(jq -r .job <<<"${out#* }")
[ "$(wait_job "${TOK[kor.officer]}" "$job" | jq -r .state)" = done ]

# legs for the fixtures, empty after the plan, gone an hour ago: a plan
# keeps off them, so the fixtures decide alone who sits on them
export DEPARTS=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
LF_JPN=$(mkleg jpn.admin "$airport" JPN '["JPN","KOR"]' 100 2)   # Japan's, from the airport to Japan
LF_PORT=$(mkleg kor.admin "$port" KOR '["KOR","JPN"]' 100 2)     # Korea's, from the port
LF_KJ=$(mkleg kor.admin "$airport" JPN '["KOR"]' 50 0)           # Korea's, arriving in Japan
LF_FULL=$(mkleg kor.admin "$airport" KOR '["KOR"]' 1 0)          # one seat, no stretcher slot
LF_RACE=$(mkleg kor.admin "$airport" KOR '["KOR"]' 1 0)
LF_CXL=$(mkleg kor.admin "$airport" KOR '["KOR"]' 10 0)
must 201 kor.admin POST "/api/v1/legs/$LF_CXL/cancel" '{"reason":"closed"}'
LJ_ONLY=$(mkleg jpn.admin "$airport" JPN '["JPN"]' 10 0)        # carries Japanese only
must 201 kor.admin POST /api/v1/operations '{"name":"Other","host_country":"LBN"}'
op2=$(jq -r .id <<<"${out#* }")
must 201 kor.admin POST "/api/v1/operations/$op2/points" '{"name":"Beirut","kind":"airport","lat":33.82,"lon":35.49,"capacity":100}'
LO2=$(mkleg kor.admin "$(jq -r .id <<<"${out#* }")" KOR '["KOR"]' 10 0 "$op2")
unset DEPARTS

# fixture people, registered by Korea (nationality KOR): KIND + letters as
# surname. member SURNAME CONSENT NEEDS BIRTHDATE
echo 1000000 > doc.seq
member() { # (a counter in a file: members are made in subshells too)
  local seq_doc; seq_doc=$(($(cat doc.seq) + 1)); echo $seq_doc > doc.seq
  echo "{\"surname\":\"$1\",\"given_names\":\"ONE\",\"native_name\":\"비밀$1\",\"nationality\":\"${NATL:-KOR}\",\"sex\":\"F\",
   \"birth_date\":\"${4:-1980-05-05}\",\"document\":{\"type\":\"P\",\"number\":\"FX$seq_doc\",\"issuing_state\":\"${NATL:-KOR}\",
   \"expiry\":\"2031-06-30\"},\"phone\":\"+82-10-7$seq_doc\",\"email\":\"secret$seq_doc@example.kr\",
   \"address\":\"$seq_doc Secret-ro, Seoul\",\"location\":{\"lat\":32.0$seq_doc,\"lon\":34.7$seq_doc},
   \"needs\":$3,\"consent\":$2}"
}
letters() { local i=$1; printf "\\x$(printf %x $((65 + i / 26)))\\x$(printf %x $((65 + i % 26)))"; }
# household USER KIND COUNT CONSENT NEEDS [BIRTHDATE]: registers COUNT people
household() {
  local ms=() i
  for ((i = 0; i < $3; i++)); do ms+=("$(member "FX$2$(letters $i)" "$4" "$5" "${6:-}")"); done
  must 201 "$1" POST "/api/v1/operations/$op/households" "{\"members\":[$(IFS=,; echo "${ms[*]}")]}"
}
kind() { tsql "$N" "SELECT id FROM persons WHERE surname LIKE 'FX$1%' ORDER BY surname"; }
household kor.admin R 16 true '[]'; household kor.admin Q 6 true '[]'
household kor.admin CP 3 true '[]'; household kor.admin CA 7 true '[]'
household kor.admin D 5 true '[]'; household kor.admin A 3 true '[]'
household kor.admin L 1 true '[]'; household kor.admin NC 2 false '[]'
household kor.admin S 1 true '["stretcher"]'
household kor.admin W 3 true '[]' 1970-01-01
NATL=JPN household jpn.admin J 2 true '[]' # Japanese, registered by Japan
for k in R Q CP CA D A L NC S J; do mapfile -t "P_$k" < <(kind $k); done
# the W people carry the listed surname (registered under FXW.., renamed)
for p in $(kind W); do must 200 kor.admin PATCH "/api/v1/persons/$p" '{"surname":"WATCHLISTED"}'; done
mapfile -t P_W < <(tsql "$N" "SELECT id FROM persons WHERE surname = 'WATCHLISTED' ORDER BY id")
st() { must 201 kor.admin POST "/api/v1/persons/$1/status" "{\"to\":\"$2\"${3:+,\"leg\":\"$3\"}}"; }
for p in "${P_CP[@]}"; do st $p allocated $LF_PORT; st $p checked_in; done
for p in "${P_W[@]}"; do st $p allocated $LF_PORT; done
for p in "${P_CA[@]}" "${P_L[@]}" "${P_D[@]}" "${P_A[@]}"; do st $p allocated $LF_JPN; done
for p in "${P_CA[@]}" "${P_D[@]}" "${P_A[@]}"; do st $p checked_in; done
for p in "${P_D[@]}" "${P_A[@]}"; do st $p boarded; st $p departed; done
for p in "${P_A[@]}"; do st $p arrived; done
st "${P_NC[1]}" allocated $LF_KJ # arriving in Japan without consent to share
must 201 jpn.admin POST "/api/v1/persons/${P_J[0]}/status" "{\"to\":\"allocated\",\"leg\":\"$LF_PORT\"}" # on a Korean leg
must 200 kor.admin GET "/api/v1/legs/$LF_PORT/manifest?format=paxlst"
curl -s -o paxlst.edi -H "Authorization: Bearer ${TOK[kor.admin]}" "$BASE/api/v1/legs/$LF_PORT/manifest?format=paxlst"
grep -q PAXLST paxlst.edi

# --- the oracle of people: who sees whom, as of now (TAG) -------------------
oracle() {
  local n
  for n in KOR JPN FRA; do
    tsql "$N" "SELECT id FROM persons WHERE nation = '$n' OR nationality = '$n'" | sort > full.$n.$1
    tsql "$N" "SELECT p.id FROM persons p JOIN legs l ON p.leg = l.id
      WHERE NOT (p.nation = '$n' OR p.nationality = '$n') AND l.status <> 'cancelled' AND (
        (l.destination_country = '$n' AND p.status IN ('allocated','notified','confirmed',
          'checked_in','boarded','departed','arrived','cleared','refused_entry'))
        OR (p.consent = 1 AND l.operator = '$n' AND p.status IN ('allocated','notified',
          'confirmed','checked_in','boarded','departed')))" | sort > partner.$n.$1
    sort -u full.$n.$1 partner.$n.$1 > allowed.$n.$1
  done
}
phase setup done
oracle 0
for n in KOR JPN FRA; do cp full.$n.0 full.$n; cp partner.$n.0 partner.$n; cp allowed.$n.0 allowed.$n; done
[ -s partner.JPN ] && [ -s partner.KOR ] || { echo "scenario has no partner-visible people"; exit 1; }
[ ! -s allowed.FRA ] || { echo "FRA should see nobody"; exit 1; }
declare -A PNAT PSTATUS PSEX
person_facts() { local id nat status sex; while IFS='|' read -r id nat status sex; do PNAT[$id]=$nat; PSTATUS[$id]=$status; PSEX[$id]=$sex; done < <(tsql "$N" "SELECT id, nation, status, sex FROM persons WHERE id IN ($(sed "s/.*/'&'/" | paste -sd,))"); }
declare -A LOP LDEST LCARRIES LPOINT
while IFS='|' read -r id o dest c pt; do LOP[$id]=$o; LDEST[$id]=$dest; LCARRIES[$id]=$c; LPOINT[$id]=$pt; done < <(tsql "$N" "SELECT id, operator, destination_country, carries, point FROM legs")

# people of every kind, their households, the legs of the operation
sample=$( (grep -vxFf <(kind "") full.KOR | head -2; head -2 full.JPN; head -2 partner.KOR; head -2 partner.JPN
  tsql "$N" "SELECT id FROM persons WHERE status = 'registered' AND surname NOT LIKE 'FX%' LIMIT 2"
  echo "${P_L[0]}"; echo "${P_NC[1]}"; echo "${P_J[0]}"; echo "${P_D[0]}"; echo "${P_A[0]}"; echo "${P_CP[0]}") | sort -u)
person_facts < <(echo "$sample"; kind "")
households=$(for p in $sample; do tsql "$N" "SELECT household FROM persons WHERE id = '$p'"; done | sort -u)
legs=$(tsql "$N" "SELECT id FROM legs WHERE operation = '$op' AND id NOT IN ('$LF_FULL', '$LF_RACE', '$LF_CXL')")

# --- the oracle of statuses: docs/access.md restated ------------------------
# may ROLE ACTION: the role table
may() {
  case "$2" in read) return 0 ;; esac
  case "$1:$2" in
    admin:*) return 0 ;;
    officer:write_ops|officer:write_reg|officer:checkin|officer:board|officer:audit|officer:copy) return 0 ;;
    field:checkin|field:board) return 0 ;;
    immigration:clearance) return 0 ;;
  esac
  return 1
}
part() { [ "$1" = KOR ] || [ "$1" = JPN ]; }   # takes part in the operation (runs it or partners it)
runs() { [ "$1" = KOR ]; }
sees() { grep -qx "$2" allowed.$1; }
full() { grep -qx "$2" full.$1; }
leg_seen() { part "$1" || [ "${LOP[$2]}" = "$1" ] || [ "${LDEST[$2]}" = "$1" ] || [[ ${LCARRIES[$2]} == *\"$1\"* ]]; }
# want_op ACTION OK_STATUS: a route under the operation
want_op() { may $R $1 || { echo 403; return; }; part $n || { echo 404; return; }; echo $2; }
want_manage() { may $R write_ops || { echo 403; return; }; part $n || { echo 404; return; }; runs $n || { echo 403; return; }; echo $1; }
# want_person RULE PERSON
want_person() {
  local rule=$1 p=$2
  case $rule in
    get|history) sees $n $p && echo 200 || echo 404; return ;;
    patch|erase|move) may $R write_reg || { echo 403; return; } ;;
    reads) may $R read_audit || { echo 403; return; } ;;
    copy) may $R copy || { echo 403; return; } ;;
  esac
  sees $n $p || { echo 404; return; }
  case $rule in
    reads) full $n $p && echo 200 || echo 403 ;;
    copy|patch) [ "${PNAT[$p]}" = $n ] && echo 200 || echo 403 ;;
    erase) [ "${PNAT[$p]}" = $n ] && echo 201 || echo 403 ;;
    move) [ "${PNAT[$p]}" = $n ] || { echo 403; return; }; [ "${PSTATUS[$p]}" = registered ] && echo 201 || echo 409 ;;
  esac
}
# want_status TO PERSON LEG: a status change (LEG: the person's leg)
want_status() {
  local to=$1 p=$2 l=$3 act=write_reg
  case $to in boarded|departed) act=board ;; arrived|cleared|refused_entry) act=clearance ;; esac
  may $R $act || { echo 403; return; }
  sees $n $p || { echo 404; return; }
  case $act in
    write_reg) full $n $p && echo 201 || echo 403 ;;
    board) { full $n $p || [ "${LOP[$l]}" = $n ]; } || { echo 403; return; }
      [ $R != field ] || [ "${LPOINT[$l]}" = "$airport" ] || { echo 403; return; }
      echo 201 ;;
    clearance) { [ "${LDEST[$l]}" = $n ] || { [ $to = arrived ] && full $n $p; }; } && echo 201 || echo 403 ;;
  esac
}

# --- the calls --------------------------------------------------------------
# q USER METHOD PATH BODY WANT: queues one call (BODY '' none, @FILE a file);
# its answer goes to calls/N, "N NATION USER METHOD PATH WANT" to calls/index
mkdir calls; : > calls/index; : > calls/got; : > calls/cfg; ncall=0
q() {
  ncall=$((ncall + 1))
  local f=calls/$ncall tok=${TOK[$1]:-}
  {
    [ -s calls/cfg ] && echo next
    printf 'globoff\nurl = "%s%s"\nrequest = "%s"\noutput = "%s"\nwrite-out = "%s %%{http_code}\\n"\n' "$BASE" "$3" "$2" "$f" "$ncall"
    [ "$1" = - ] || printf 'header = "Authorization: Bearer %s"\n' "$tok"
    if [[ $4 == @* ]]; then printf 'data-binary = "%s"\n' "$4"; cp "${4#@}" $f.body
    elif [ -n "$4" ]; then printf '%s' "$4" > $f.body; printf 'data-binary = "@%s.body"\n' $f; fi
  } >> calls/cfg
  echo "$ncall ${NAT[$1]:--} $1 $2 $3 $5" >> calls/index
}
flush() { [ -s calls/cfg ] || return 0; curl -s -K calls/cfg >> calls/got || true; : > calls/cfg; }

# take KIND: the next fresh object of pool P_KIND in TAKEN (index 0 is the
# shared one)
declare -A NEXT
take() { local k=$1 i=${NEXT[$1]:-1}; NEXT[$1]=$((i + 1)); local -n pool=P_$k; [ $i -lt ${#pool[@]} ] || { echo "pool $k is empty"; exit 1; }; TAKEN=${pool[$i]}; }
base() { local -n pool=P_$1; echo "${pool[0]}"; }

route_get() { # METHOD PATTERN: the reads
  local pattern=$2 v path values=(-)
  case "$pattern" in
    *"{person}"*) values=($sample) ;; *"{household}"*) values=($households) ;;
    *"{leg}"*) values=($legs) ;; *"{job}"*) values=("$job") ;;
    *"{point}"*) values=("$airport" "$embassy") ;;
  esac
  for v in "${values[@]}"; do
    path=${pattern//\{operation\}/$op}; path=${path//\{person\}/$v}; path=${path//\{household\}/$v}
    path=${path//\{leg\}/$v}; path=${path//\{job\}/$v}; path=${path//\{point\}/$v}
    [[ $pattern == */persons ]] && path="$path?limit=1000"
    if [[ $pattern == *"{household}"* ]]; then tsql "$N" "SELECT id FROM persons WHERE household = '$v'" | sort > members; fi
    [[ $pattern == /api/v1/events ]] && path="$path?limit=1000"
    if [[ $pattern == /api/* ]]; then q - GET "$path" '' 401; fi
    for u in "${USERS[@]}"; do
      n=${NAT[$u]}; R=${ROLE[$u]}
      case "$pattern" in
        /healthz|/metrics|/api/v1/me|/api/v1/operations|/api/v1/arrivals|/api/v1/ledger) w=200 ;;
        /api/v1/points/*) w=$(want_op read 200) ;;
        /api/v1/operations/*) w=$(want_op read 200) ;;
        /api/v1/jobs/*) if ! runs $n; then w=404; elif may $R write_ops; then w=200; else w=403; fi ;;
        /api/v1/legs/*/clearance) if ! may $R clearance; then w=403; elif [ "${LDEST[$v]}" = $n ]; then w=200; else w=404; fi ;;
        /api/v1/legs/*) leg_seen $n $v && w=200 || w=404 ;;
        /api/v1/persons/*/reads) w=$(want_person reads $v) ;;
        /api/v1/persons/*/copy) w=$(want_person copy $v) ;;
        /api/v1/persons/*) w=$(want_person get $v) ;;
        /api/v1/households/*) w=404; if comm -12 members allowed.$n | grep -q .; then w=200; fi ;;
        /api/v1/events) may $R audit && w=200 || w=403 ;;
        *) echo "no oracle for GET $pattern"; exit 1 ;;
      esac
      q $u GET "$path" '' $w
      case "$pattern" in # the other formats
        */manifest) q $u GET "$path?format=pdf" '' $w; q $u GET "$path?format=paxlst" '' $w ;;
        */copy) if [ "$v" = "${P_L[0]}" ]; then q $u GET "$path?format=pdf" '' $w; fi ;;
      esac
    done
  done
}

phase oracle done
routes=$("$MUSTER" serve --routes)
while read -r method pattern; do
  if [ "$method" = GET ]; then route_get GET "$pattern"; fi
done <<<"$routes"
flush

phase reads done
# the writes, route by route
in_op() { echo "${1//\{operation\}/$op}"; }
walkin() { echo "{\"point\":\"$airport\",\"person\":$(member "FXWALK" true '[]')}"; }
AL_DOC=$(tsql "$N" "SELECT doc_number FROM persons WHERE id = '${P_L[0]}'")
w_simple() { # METHOD PATTERN: the writes with no object to consume
  local m=$1 p=$2 path b w
  path=$(in_op "$p")
  if [[ $p == /api/* ]] && [ "$p" != /api/v1/login ]; then q - $m "$path" '' 401; fi
  for u in "${USERS[@]}"; do
    n=${NAT[$u]}; R=${ROLE[$u]}; b='{}'
    case "$m $p" in
      "POST /api/v1/login") b="{\"user\":\"$u\",\"password\":\"$PW\"}"; w=200 ;;
      "POST /api/v1/operations") b='{"name":"Another","host_country":"ISR","partners":["JPN"]}'
        may $R write_ops && w=201 || w=403 ;;
      "PATCH /api/v1/operations/{operation}") b='{"name":"Joint evacuation"}'; w=$(want_manage 200) ;;
      "POST /api/v1/operations/{operation}/points") b='{"name":"Gate","kind":"other","lat":32.0,"lon":34.8,"capacity":50}'; w=$(want_manage 201) ;;
      "POST /api/v1/operations/{operation}/legs") b=$(legbody "$airport" "$n" "[\"$n\"]" 10 0 | tr -d '\n'); w=$(want_op write_ops 201) ;;
      "POST /api/v1/operations/{operation}/households") b="{\"members\":[$(member FXNEW true '[]')]}"; w=$(want_op write_reg 201) ;;
      "POST /api/v1/operations/{operation}/checkins") b="{\"point\":\"$airport\",\"document_number\":\"$AL_DOC\",\"dry_run\":true}"
        w=$(want_op checkin 200); [ $w != 200 ] || sees $n ${P_L[0]} || w=404 ;;
      "POST /api/v1/operations/{operation}/walkins") b=$(walkin); w=$(want_op checkin 201) ;;
      "POST /api/v1/operations/{operation}/plan") b='{"propose":true}'; w=$(want_manage 202) ;;
      "PUT /api/v1/operations/{operation}/fare") b='{"kind":"free"}'; w=$(want_op write_ops 201) ;;
      "PUT /api/v1/operations/{operation}/retention") b='{"partner_days":30}'; w=$(want_manage 200) ;;
      "PATCH /api/v1/points/{point}") path=/api/v1/points/$embassy; b='{"capacity":777}'; w=$(want_manage 200) ;;
      # a point legs leave from: the nation that runs the operation is told
      # why not (409), the rest that they may not
      "DELETE /api/v1/points/{point}") path=/api/v1/points/$airport; w=$(want_manage 409) ;;
      "PATCH /api/v1/legs/{leg}")
        for l in $LF_PORT $LF_JPN; do
          if ! may $R write_ops; then w=403; elif [ "${LOP[$l]}" = $n ]; then w=200; else w=404; fi
          q $u PATCH /api/v1/legs/$l '{"vehicle":"test aircraft"}' $w
        done; continue ;;
      # a household with people in it: its nation is told why not (409)
      "DELETE /api/v1/households/{household}")
        path=/api/v1/households/$(tsql "$N" "SELECT household FROM persons WHERE id = '${P_R[0]}'")
        if ! may $R write_reg; then w=403; elif [ $n = KOR ]; then w=409; else w=404; fi ;;
      "POST /api/v1/legs/{leg}/clearance")
        for l in $LF_PORT $LF_JPN $LF_KJ; do
          if ! may $R clearance; then w=403; elif [ "${LDEST[$l]}" = $n ]; then w=201; else w=404; fi
          q $u POST /api/v1/legs/$l/clearance '' $w
        done; continue ;;
      "POST /api/v1/clearance/manifests") may $R clearance && w=201 || w=403; q $u POST "$path" @paxlst.edi $w; continue ;;
      "PATCH /api/v1/persons/{person}" | "POST /api/v1/persons/{person}/household")
        for v in $sample; do
          if [[ $p == *household ]]; then b='{"household":null}'; w=$(want_person move $v)
          else b="{\"sex\":\"${PSEX[$v]}\"}"; w=$(want_person patch $v); fi
          q $u $m "${p//\{person\}/$v}" "$b" $w
        done; continue ;;
      *) return 1 ;;
    esac
    q $u $m "$path" "$b" $w
  done
}
# consume METHOD PATH_WITH_X BODY KIND WANTFN...: a write that uses up its
# object: refused callers first on the shared one, then a fresh one each
consume() {
  local m=$1 p=$2 b=$3 k=$4 o w pass; shift 4
  q - $m "${p//X/$(base $k)}" '' 401
  for pass in refused allowed; do
    for u in "${USERS[@]}"; do
      n=${NAT[$u]}; R=${ROLE[$u]}; o=$(base $k)
      w=$("$@" $o)
      case "$pass:$w" in refused:2*|allowed:[34]*) continue ;; esac
      if [ $pass = allowed ]; then take $k; o=$TAKEN; fi
      q $u $m "${p//X/$o}" "$b" $w
    done
  done
}
ws_leg() { want_status "$TO" "$1" "$LEG"; }
status_case() { K=$1 TO=$2 LEG=$3; consume POST /api/v1/persons/X/status "{\"to\":\"$2\"${4:+,\"leg\":\"$4\"}}" $1 ws_leg; }
want_cancel() { may $R write_ops || { echo 403; return; }; [ "${LOP[$1]}" = $n ] && echo 201 || echo 404; }

while read -r method pattern; do
  [ "$method" = GET ] && continue
  case "$pattern" in
    /api/v1/logout|/api/v1/jobs/*|/api/v1/clearances/*) continue ;; # below
    /api/v1/persons/{person}/status)
      status_case R declined ""
      status_case R allocated "" $LF_PORT
      status_case CP boarded $LF_PORT
      status_case CA boarded $LF_JPN
      status_case D arrived $LF_JPN
      status_case A cleared $LF_JPN ;;
    /api/v1/persons/{person}/erase) consume POST /api/v1/persons/X/erase '{"reason":"asked"}' R want_person erase ;;
    /api/v1/legs/{leg}/cancel)
      for nat in KOR JPN; do
        lower=${nat,,}
        P_LC=("$(mkleg $lower.admin "$airport" $nat "[\"$nat\"]" 5 0)" "$(mkleg $lower.admin "$airport" $nat "[\"$nat\"]" 5 0)" "$(mkleg $lower.admin "$airport" $nat "[\"$nat\"]" 5 0)")
        for l in "${P_LC[@]}"; do LOP[$l]=$nat; done
        NEXT[LC]=1; consume POST /api/v1/legs/X/cancel '{"reason":"closed"}' LC want_cancel
      done ;;
    *) w_simple "$method" "$pattern" || { echo "no oracle for $method $pattern"; exit 1; } ;;
  esac
done <<<"$routes"
flush

phase writes done
# clearance overrides: the open refers of the WATCHLISTED on the port leg
out=$(api "${TOK[kor.immigration]}" GET "/api/v1/legs/$LF_PORT/clearance")
mapfile -t P_CL < <(jq -r '[.decisions[] | select(.decision == "refer")] | unique_by(.person) | .[].id' <<<"${out#* }")
[ ${#P_CL[@]} -ge 3 ] || { echo "no refer decisions to override: ${out:0:300}"; exit 1; }
want_override() { may $R clearance || { echo 403; return; }; [ $n = KOR ] && echo 201 || echo 404; }
consume POST /api/v1/clearances/X/override '{"to":"cleared","reason":"checked by hand"}' CL want_override
flush

# --- a leg given by hand (allocation) ---------------------------------------
alloc() { api "${TOK[kor.officer]}" POST "/api/v1/persons/$1/status" "{\"to\":\"allocated\",\"leg\":\"$2\"}" | cut -d' ' -f1; }
check() { [ "$1" = "$2" ] || { echo "allocation $3: $1, want $2"; fail=1; }; }
take R; check "$(alloc "$TAKEN" $LF_CXL)" 409 "onto a cancelled leg"
take R; check "$(alloc "$TAKEN" $LJ_ONLY)" 409 "onto a leg that does not carry the nationality"
check "$(alloc "${P_NC[0]}" $LF_JPN)" 409 "of a person without consent onto a partner's leg"
check "$(alloc "${P_S[0]}" $LF_FULL)" 409 "of a stretcher case onto a leg with no stretcher slot"
take R; check "$(alloc "$TAKEN" leg_nothing)" 400 "onto no leg"
take R; check "$(alloc "$TAKEN" $LO2)" 400 "onto a leg of another operation"
take R; check "$(alloc "$TAKEN" $LF_FULL)" 201 "onto the last seat"
take R; check "$(alloc "$TAKEN" $LF_FULL)" 409 "onto a full leg"
check "$(alloc "${P_NC[0]}" $LF_PORT)" 201 "of a person without consent onto their own nation's leg"
# six at once onto one seat: one gets it
racers=()
for p in "${P_Q[@]}"; do
  curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer ${TOK[kor.officer]}" \
    -d "{\"to\":\"allocated\",\"leg\":\"$LF_RACE\"}" "$BASE/api/v1/persons/$p/status" > race.$p &
  racers+=($!)
done
wait "${racers[@]}" # (not the server)
check "$(cat race.* | sort | uniq -c | awk '$2 == 201 { print $1 }')" 1 "of six people at once onto one seat (201s)"
check "$(tsql "$N" "SELECT count(*) FROM persons WHERE leg = '$LF_RACE' AND status = 'allocated'")" 1 "of six people at once (people on the leg)"

# proposed plans: discard, then accept (last: it records a plan)
propose() { must 202 kor.officer POST "/api/v1/operations/$op/plan" '{"propose":true}'; local j; j=$(jq -r .job <<<"${out#* }")
  [ "$(wait_job "${TOK[kor.officer]}" "$j" | jq -r .state)" = proposed ] || { echo "no proposal"; exit 1; }; echo "$j"; }
want_job() { may $R write_ops || { echo 403; return; }; runs $n && echo 200 || echo 404; }
# (the matrix's own proposals first end, or a later one supersedes ours)
for c in $(awk '$5 ~ /\/plan$/ && $6 == 202 { print $1 }' calls/index); do
  for _ in $(seq 1 600); do
    case "$(api "${TOK[kor.officer]}" GET "/api/v1/jobs/$(jq -r .job calls/$c)" | cut -d' ' -f2- | jq -r .state)" in
      queued|running|recording) sleep 0.1 ;; *) break ;;
    esac
  done
done
for act in discard accept; do
  P_JOB=("$(propose)"); first=1; m=DELETE; p=/api/v1/jobs/X; [ $act = accept ] && { m=POST; p=/api/v1/jobs/X/accept; }
  q - $m "${p//X/${P_JOB[0]}}" '' 401
  for pass in refused allowed; do
    for u in "${USERS[@]}"; do
      n=${NAT[$u]}; R=${ROLE[$u]}; w=$(want_job); o=${P_JOB[-1]}
      case "$pass:$w" in refused:2*|allowed:[34]*) continue ;; esac
      if [ $pass = allowed ] && [ $first = 0 ]; then flush; P_JOB+=("$(propose)"); o=${P_JOB[-1]}; fi
      [ $pass = allowed ] && first=0
      q $u $m "${p//X/$o}" '' $w
    done
  done
  flush
done

phase jobs done
# logout, then the token is refused
q - POST /api/v1/logout '' 401
for u in "${USERS[@]}"; do q $u POST /api/v1/logout '' 200; q $u GET /api/v1/me '' 401; done
flush

phase calls done
# --- every answer against the oracles ---------------------------------------
awk 'NR == FNR { got[$1] = $2; next } got[$1] != $6 { print $1, $3, $4, $5, got[$1], $6 }' calls/got calls/index > mismatches
if [ -s mismatches ]; then
  head -60 mismatches | while read -r c who m path got want; do
    echo "MISMATCH $who $m $path: got $got, want $want: $(head -c 160 calls/$c 2>/dev/null | tr -d '\n')"
  done
  echo "$(wc -l < mismatches) of $ncall calls answered other than the rule says"; fail=1
fi

# people: the oracle now, after the writes; a person seen before or after
# may appear (walk-ins and new households are the caller's own)
oracle 1
for n in KOR JPN FRA; do sort -u allowed.$n.0 allowed.$n.1 > allowed.$n; sort -u partner.$n.0 partner.$n.1 > partner.$n; done
# no person id outside the caller's allowed set (ids the caller named in the
# path or sent in the body are echoed: not a leak)
(cd calls && grep -Ho 'per_[0-9a-z]\{26\}' $(ls | grep -E '^[0-9]+$') || true) > ids.found
(cd calls && grep -Ho 'per_[0-9a-z]\{26\}' *.body || true) | sed 's/\.body:/:/' > ids.sent
awk 'FILENAME ~ /^allowed\./ { split(FILENAME, f, "."); ok[f[2] " " $1] = 1; next }
  FILENAME == "calls/index" { nat[$1] = $2; who[$1] = $3; path[$1] = $4 " " $5; next }
  FILENAME == "ids.sent" { split($0, a, ":"); sent[a[1] " " a[2]] = 1; next }
  { split($0, a, ":"); c = a[1]; id = a[2]
    if (nat[c] == "-" || index(path[c], id) || sent[c " " id] || ok[nat[c] " " id] || seen[c " " id]++) next
    print "LEAK to " who[c] " via " path[c] ": " id; bad = 1 }
  END { exit bad }' allowed.KOR allowed.JPN allowed.FRA calls/index ids.sent ids.found || fail=1
# no contact detail, address, location or native name of a person a nation
# sees in the partner view, in any answer to that nation
for n in KOR JPN FRA; do
  [ -s partner.$n ] || continue
  ids=$(sed "s/.*/'&'/" partner.$n | paste -sd,)
  tsql "$N" "SELECT phone FROM persons WHERE phone <> '' AND id IN ($ids)
    UNION SELECT email FROM persons WHERE email <> '' AND id IN ($ids)
    UNION SELECT address FROM persons WHERE address <> '' AND id IN ($ids)
    UNION SELECT native_name FROM persons WHERE native_name <> '' AND id IN ($ids)" > secret.all
  # (a street or a city another person shares, whom the nation sees in
  # full, or a place name of the operation, is not a leak)
  tsql "$N" "SELECT coalesce(phone, '') || '|' || coalesce(email, '') || '|' || coalesce(address, '') || '|' || coalesce(native_name, '') FROM persons
    WHERE nation = '$n' OR nationality = '$n'
    UNION SELECT name FROM assembly_points UNION SELECT destination FROM legs UNION SELECT name FROM operations" > known.$n
  awk 'NR == FNR { known[NR] = $0; k = NR; next }
    { for (i = 1; i <= k; i++) if (index(known[i], $0)) next; print }' known.$n secret.all > secret.$n
  [ -s secret.$n ] || continue
  files=$(awk -v n=$n '$2 == n { print "calls/" $1 }' calls/index)
  for f in $(grep -slFf secret.$n $files || true); do
    echo "CONTACT LEAK to $(awk -v i="${f#calls/}" '$1 == i { print $3, "via", $4, $5 }' calls/index): $(grep -oFf secret.$n $f | head -1)"; fail=1
  done
done
grep -q '비밀FXD' secret.JPN || { echo "the native names of partner-view people were not checked"; fail=1; }
# and, structurally, no person object in the partner view carries them
json=$(awk '$5 !~ /manifest|format=|metrics/ { print $1 }' calls/index)
[ -n "$json" ] && (cd calls && jq -r '[.. | objects | select(.view? == "partner") | select(has("phone") or has("email")
  or has("address") or has("location") or has("native_name") or has("consent"))] | length as $k
  | select($k > 0) | input_filename' $json) > partner.fields ||
  { echo "an answer is not JSON: $(cd calls && for f in $json; do jq empty $f 2>/dev/null || echo "calls/$f ($(awk -v c=$f '$1 == c' index))"; done)"; fail=1; }
[ ! -s partner.fields ] || { echo "partner views with personal fields in calls/$(head -1 partner.fields)"; fail=1; }

# person views: a partner-view person reads as such
pv=$(awk 'FILENAME ~ /^partner\./ { split(FILENAME, f, "."); if (f[3] == "0") part[f[2] " " $1] = 1; next }
  $2 != "-" && $4 == "GET" && $5 ~ /^\/api\/v1\/persons\/per_[0-9a-z]*$/ && $6 == 200 {
    n = split($5, s, "/"); if (part[$2 " " s[n]]) print "calls/" $1 }' partner.KOR.0 partner.JPN.0 partner.FRA.0 calls/index)
[ -n "$pv" ] || { echo "no partner view read"; fail=1; }
[ -z "$(jq -r 'select(.view != "partner") | input_filename' $pv)" ] || { echo "a partner-view person read in full"; fail=1; }

# the accounts from the command line beside the running server (either
# store): listed, one disabled, and its session ends on the server (which
# remembers a resolved token for a second, docs/access.md)
"$MUSTER" user list --db "$N" --json > users.json
jq -se 'map(select(.name == "fra.officer" and .nation == "FRA" and .role == "officer"
  and .disabled == false)) | length == 1' users.json >/dev/null || { echo "user list: $(cat users.json)"; fail=1; }
[ "$(wc -l < users.json)" -eq ${#USERS[@]} ] || { echo "user list has $(wc -l < users.json) accounts"; fail=1; }
FRA_TOK=$(login fra.officer $PW)
[ "$(api "$FRA_TOK" GET /api/v1/me | cut -d' ' -f1)" = 200 ] || { echo "fra.officer cannot read /me"; fail=1; }
"$MUSTER" user disable fra.officer --db "$N" >/dev/null
"$MUSTER" user list --db "$N" | grep -q '^fra\.officer .*(disabled)$' || { echo "not listed as disabled"; fail=1; }
sleep 1.1
[ "$(api "$FRA_TOK" GET /api/v1/me | cut -d' ' -f1)" = 401 ] || { echo "session alive after disable"; fail=1; }
[ "$(login fra.officer $PW)" = null ] || { echo "a disabled account logged in"; fail=1; }

phase checks done
stop_server
"$MUSTER" verify --db "$N" >/dev/null
echo "$ncall checked calls"
[ $fail -eq 0 ]
echo ok

#!/usr/bin/env bash
# Every subcommand answers --help and --json; bad usage is one line on stderr
# and exit 2; gen scenario is reproducible; demo makes a verified database.
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
X=$(tdb x); A=$(tdb a); B=$(tdb b)
set +e; "$MUSTER" frobnicate 2>"$d/e"; rc=$?; set -e
[ $rc -eq 2 ] && [ "$(wc -l < "$d/e")" -eq 1 ]
set +e; "$MUSTER" init --db "$X" --nation Korea 2>"$d/e"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "alpha-3" "$d/e" && tabsent "$X"
"$MUSTER" init --db "$X" --nation KOR >/dev/null
[ "$(stat -c %a "$(tkey "$X")")" = 600 ]
set +e; "$MUSTER" init --db "$X" --nation KOR 2>/dev/null; rc=$?; set -e
[ $rc -ne 0 ]
# numbers are whole: "10x", "", "abc", " 5" and "+5" are refused in one line,
# exit 2, before anything is written
bad_number() { # ARGS...: must fail with exit 2, one line, naming the option
  set +e; "$MUSTER" "$@" </dev/null >/dev/null 2>"$d/e"; local rc=$?; set -e
  [ $rc -eq 2 ] && [ "$(wc -l < "$d/e")" -eq 1 ] && grep -q "wants a" "$d/e" ||
    { echo "muster $*: exit $rc: $(cat "$d/e")"; exit 1; }
}
G=$(tdb g)
bad_number gen scenario --db "$G" --seed ""
bad_number gen scenario --db "$G" --seed -1
bad_number gen scenario --db "$G" --people 10x
bad_number gen scenario --db "$G" --people " 5"
bad_number demo --db "$G" --people 10x --no-serve
tabsent "$G"
bad_number verify --db "$X" --threads abc
bad_number loadgen --db "$X" --count 5x
bad_number loadgen --db "$X" --batch +5
bad_number gen instance --households "" --legs 3
bad_number gen instance --households 20 --legs 3 --seed 1.5
bad_number plan --instance /dev/null --threads 2x
bad_number plan --instance /dev/null --time-limit 0x10
bad_number serve --db "$X" --threads many
bad_number serve --db "$X" --retention-every 1d
bad_number paxlst build /dev/null --max-per-message " 5"
bad_number erasure-notice export --db "$X" --after 1e3
set +e; "$MUSTER" retention set --db "$X" --operation op_x --partner-days +5 2>"$d/e"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "whole number" "$d/e" || { echo "retention +5: $rc $(cat "$d/e")"; exit 1; }

# same seed, same people (ids are random, the people are not)
"$MUSTER" gen scenario --db "$A" --people 500 --seed 42 --start 2030-01-02 >/dev/null
"$MUSTER" gen scenario --db "$B" --people 500 --seed 42 --start 2030-01-02 >/dev/null
q="SELECT surname, given_names, birth_date, doc_number, nationality, needs FROM persons ORDER BY doc_number, birth_date"
[ "$(tsql "$A" "$q" | md5sum)" = "$(tsql "$B" "$q" | md5sum)" ]
[ "$(tsql "$A" "SELECT count(*) FROM persons")" = 500 ]
# ... on any day: "today" comes from --start, not the clock (MUSTER_NOW moves
# the clock ten years); the legs too
C=$(tdb c)
MUSTER_NOW=2041-06-30T12:00:00Z "$MUSTER" gen scenario --db "$C" --people 500 --seed 42 \
  --start 2030-01-02 >/dev/null
q="SELECT surname, given_names, native_name, sex, birth_date, doc_type, doc_number, doc_state,
  doc_expiry, phone, email, address, lat, lon, needs, priority, nationality
  FROM persons ORDER BY doc_number, birth_date"
tsql "$A" "$q" > "$d/a.rows"; tsql "$C" "$q" > "$d/c.rows"
[ "$(wc -l < "$d/a.rows")" = 500 ] || { echo "people query: $(head -3 "$d/a.rows")"; exit 1; }
cmp -s "$d/a.rows" "$d/c.rows" || { echo "gen scenario depends on the clock"; exit 1; }
ql="SELECT kind, vehicle, seats, departs FROM legs ORDER BY departs, vehicle, seats"
[ -n "$(tsql "$A" "$ql")" ] && [ "$(tsql "$A" "$ql")" = "$(tsql "$C" "$ql")" ]
[ "$(tsql "$A" "SELECT count(*) FROM persons WHERE priority = 'vulnerable'")" -gt 0 ]
# both nations, native script, several household sizes, some needs
[ "$(tsql "$A" "SELECT count(DISTINCT nationality) FROM persons")" = 2 ]
[ "$(tsql "$A" "SELECT count(*) FROM persons WHERE native_name GLOB '*[가-힣]*'" \
    "SELECT count(*) FROM persons WHERE native_name ~ '[가-힣]'")" -gt 0 ]
[ "$(tsql "$A" "SELECT max(size) FROM households")" -ge 5 ]
# demo: without --db it makes its own SQLite file (demo/muster.db); on
# PostgreSQL it is given a database
if on_pg; then
  D=$(tdb demo)
  "$MUSTER" demo --db "$D" --people 2000 --no-serve > "$d/demo.out"
else
  D=$d/demo/muster.db
  (cd "$d" && "$MUSTER" demo --people 2000 --no-serve > demo.out)
fi
grep -q "registrants    2000 people" "$d/demo.out" && grep -q "verified" "$d/demo.out"
"$MUSTER" verify --db "$D" >/dev/null

# Every command `muster --help` lists, and every subcommand its --help shows
# ("usage: muster C SUB ..." lines), answers --help, rejects a bad option in
# one line with exit 2, and has a --json case below: a new command or
# subcommand without one fails this test.
pairs=()
for c in $("$MUSTER" --help | awk '/^  [a-z]/ {print $1}'); do
  subs=$("$MUSTER" "$c" --help | sed -nE "s/^(usage:| +) muster $c ([a-z][a-z-]*)( .*)?$/\2/p" | sort -u)
  if [ -z "$subs" ]; then pairs+=("$c"); else for s in $subs; do pairs+=("$c $s"); done; fi
done
[ ${#pairs[@]} -ge 30 ] || { echo "only ${#pairs[@]} commands found: ${pairs[*]}"; exit 1; }
mkdir -p "$d/cwd"
for p in "${pairs[@]}"; do
  # shellcheck disable=SC2086
  (cd "$d/cwd" && "$MUSTER" $p --help) > "$d/h" || { echo "$p --help failed"; exit 1; }
  grep -q "muster ${p%% *}" "$d/h" || { echo "$p --help: no usage"; exit 1; }
  set +e
  # shellcheck disable=SC2086
  (cd "$d/cwd" && "$MUSTER" $p --no-such-option </dev/null) >/dev/null 2>"$d/e"; rc=$?
  set -e
  [ $rc -eq 2 ] && [ "$(wc -l < "$d/e")" -eq 1 ] || { echo "$p bad option: exit $rc: $(cat "$d/e")"; exit 1; }
done

# the fixtures the --json cases use: node A (KOR) with an operation, node J (JPN)
op=$(tsql "$A" "SELECT id FROM operations LIMIT 1")
J=$(tdb j)
pid=$(tsql "$A" "SELECT id FROM persons WHERE nation = 'KOR' LIMIT 1")
awk -v n=5 -f "$ROOT/bench/gen_registrants_csv.awk" > "$d/reg.csv"
mrz_in='{"format":"TD3","issuing_state":"KOR","surname":"KIM","given_names":"MIN JI","document_number":"M12345678","nationality":"KOR","birth_date":"1984-03-02","sex":"F","expiry_date":"2031-01-15"}'
edi=$ROOT/tests/vectors/paxlst-samples/wco-guide-example-5.1-passenger.edi
printf '{"country":"JPN","visa_exempt":["KOR"],"min_validity_days":90}\n' > "$d/rules.json"
printf 'id,surname,given_names,birth_date,nationality,reason\nW-1,RHEE,MIN-JUN,1985-03-07,KOR,test\n' > "$d/wl.csv"
id_of() { "$MUSTER" erasure-notice identity --db "$1" --json; }

# json_case PAIR: runs PAIR with --json; what it prints on stdout must be JSON
json_case() {
  case "$1" in
  demo) "$MUSTER" demo --db "$(tdb jdemo)" --people 300 --no-serve --json ;;
  init) "$MUSTER" init --db "$J" --nation JPN --json ;;
  "import registrants")
    "$MUSTER" import registrants "$d/reg.csv" --db "$A" --nation KOR --operation "$op" --json ;;
  "gen scenario") "$MUSTER" gen scenario --db "$(tdb jgen)" --people 30 --seed 3 --json ;;
  "gen instance")
    "$MUSTER" gen instance --households 20 --legs 3 --seed 7 --points 2 --seat-ratio 0.8 --json \
      > "$d/inst.json" && cat "$d/inst.json"
    "$MUSTER" gen instance --households 20 --legs 3 --out "$d/inst2.json" --json ;;
  plan) # numbers given as they should be are taken, whatever the parser
    "$MUSTER" plan "$op" --db "$A" --time-limit 5 --json > /dev/null || return 1
    "$MUSTER" plan --instance "$d/inst.json" --summary --threads 2 --time-limit 1.5 --json ;;
  serve)
    "$MUSTER" serve --db "$A" --listen 127.0.0.1:0 --json > "$d/serve.out" 2>/dev/null &
    local spid=$!
    for _ in $(seq 1 100); do [ -s "$d/serve.out" ] && break; sleep 0.05; done
    kill -TERM $spid; wait $spid || true
    jq -e --arg pid $spid '.serving and (.port > 0) and (.pid == ($pid | tonumber))
      and (.url | startswith("http://127.0.0.1:"))' "$d/serve.out" >/dev/null || return 1
    cat "$d/serve.out" ;;
  "user add") echo 'a long password' |
    "$MUSTER" user add jsontest --db "$A" --nation KOR --role officer --json ;;
  "user list") "$MUSTER" user list --db "$A" --json ;;
  "user disable") "$MUSTER" user disable jsontest --db "$A" --json ;;
  loadgen) "$MUSTER" loadgen --db "$A" --count 4 --batch 2 --json ;;
  export)
    "$MUSTER" export --db "$A" --json 2> "$d/exp.err" > /dev/null
    jq -e '.events > 0' "$d/exp.err" > /dev/null || return 1
    "$MUSTER" export --db "$A" --out "$d/a.log" --json ;;
  import-log) "$MUSTER" import-log --db "$(tdb jlog)" --key "$(tkey "$A")" --in "$d/a.log" --json ;;
  verify) "$MUSTER" verify --db "$A" --threads 1 --json ;;
  "person copy") "$MUSTER" person copy "$pid" --db "$A" --json ;;
  "mrz make") echo "$mrz_in" | "$MUSTER" mrz make --json ;;
  "mrz parse") echo "$mrz_in" | "$MUSTER" mrz make | "$MUSTER" mrz parse --json ;;
  "paxlst parse") "$MUSTER" paxlst parse "$edi" --json ;;
  "paxlst check") "$MUSTER" paxlst check "$edi" --json || true ;;
  "paxlst build")
    "$MUSTER" paxlst parse "$edi" > "$d/pax.json"
    "$MUSTER" paxlst build "$d/pax.json" --json | jq -e '.edifact | startswith("UN")' >/dev/null || return 1
    "$MUSTER" paxlst build "$d/pax.json" -o "$d/pax.edi" --json ;;
  screen) "$MUSTER" screen "$edi" --watchlist "$d/wl.csv" --rules "$d/rules.json" --json || true ;;
  "retention set") "$MUSTER" retention set --db "$A" --operation "$op" --partner-days 30 --json ;;
  "retention show") "$MUSTER" retention show --db "$A" --operation "$op" --json ;;
  "retention run") "$MUSTER" retention run --db "$A" --json ;;
  "erasure-notice identity") id_of "$A" ;;
  "erasure-notice export") "$MUSTER" erasure-notice export --db "$A" --after 0 --json ;;
  "erasure-notice trust")
    "$MUSTER" erasure-notice trust --db "$J" --origin "$(id_of "$A" | jq -r .origin)" \
      --nation KOR --pubkey "$(id_of "$A" | jq -r .pubkey)" --json ;;
  "erasure-notice apply")
    "$MUSTER" erasure-notice export --db "$A" --out "$d/notices.json"
    "$MUSTER" erasure-notice apply --db "$J" "$d/notices.json" --json ;;
  "share export")
    "$MUSTER" erasure-notice trust --db "$A" --origin "$(id_of "$J" | jq -r .origin)" \
      --nation JPN --pubkey "$(id_of "$J" | jq -r .pubkey)" >/dev/null
    "$MUSTER" share export --db "$A" --to "$(id_of "$J" | jq -r .origin)" --operation "$op" \
      --out "$d/share.json" --json ;;
  "share apply") "$MUSTER" share apply --db "$J" "$d/share.json" --json ;;
  version) "$MUSTER" version --json ;;
  *) echo "no --json case for 'muster $1' in test_cli_basics.sh" >&2; return 1 ;;
  esac
}
# in an order where each case finds what the ones before it made
order=(init demo "gen scenario" "gen instance" plan "import registrants" "user add" "user list"
  "user disable" loadgen export import-log verify "person copy" "mrz make" "mrz parse"
  "paxlst parse" "paxlst check" "paxlst build" screen "retention set" "retention show"
  "retention run" "erasure-notice identity" "erasure-notice export" "erasure-notice trust"
  "erasure-notice apply" "share export" "share apply" serve version)
for p in "${pairs[@]}"; do
  printf '%s\n' "${order[@]}" | grep -qxF "$p" || { json_case "$p"; exit 1; }
done
for p in "${order[@]}"; do
  json_case "$p" > "$d/j" 2> "$d/je" || { echo "$p --json failed: $(cat "$d/je")"; exit 1; }
  [ -s "$d/j" ] && jq -e . "$d/j" > /dev/null 2>&1 || { echo "$p --json is not JSON: $(head -c 300 "$d/j")"; exit 1; }
done
echo ok

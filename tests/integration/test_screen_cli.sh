#!/usr/bin/env bash
# test_screen_cli.sh — `muster screen` end to end: a PAXLST manifest for a
# flight into Japan screened against a watchlist and a rules table; text,
# JSON and CUSRES answers; exit statuses.
# store: none (no --db; tests/run-pg does not run it again)
set -eu
M=${MUSTER:-./muster}
ROOT=${ROOT:-.}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
status() { set +e; "$@" >"$T/out" 2>"$T/err"; echo $?; set -e; }

[ "$(status "$M" screen --help)" = 0 ] || fail "--help"
grep -q "muster screen FILE.edi --watchlist" "$T/out" || fail "--help text"

cat >"$T/body" <<'EOF'
UNH+1+PAXLST:D:05B:UN:IATA'
BGM+745'
RFF+TN:KE0701'
NAD+MS+++KOREAN AIR'
TDT+20+KE701+++KE'
LOC+125+TLV'
DTM+189:2612010900:201'
LOC+87+NRT'
DTM+232:2612012200:201'
NAD+FL+++YI:MINJUN'
ATT+2++M'
DTM+329:850703'
NAT+2+KOR'
RFF+ABO:P1'
DOC+P+M12345678'
DTM+36:300101'
LOC+91+KOR'
NAD+FL+++SATO:TARO'
ATT+2++M'
DTM+329:700101'
NAT+2+JPN'
RFF+ABO:P2'
DOC+P+TK1234567'
DTM+36:301231'
LOC+91+JPN'
NAD+FL+++SMITH:JOHN'
ATT+2++M'
DTM+329:700120'
NAT+2+USA'
RFF+ABO:P3'
DOC+P+541234567'
DTM+36:251001'
LOC+91+USA'
NAD+FL+++KIM:SEO YEON'
ATT+2++F'
DTM+329:900211'
NAT+2+KOR'
RFF+ABO:P4'
DOC+F+ETD20261'
DTM+36:261210'
LOC+91+KOR'
NAD+FL+++PARK:JIHOON'
ATT+2++M'
DTM+329:880808'
NAT+2+KOR'
RFF+ABO:P5'
DOC+P+M12345678'
DTM+36:310101'
LOC+91+KOR'
CNT+42:5'
EOF
n=$(($(wc -l <"$T/body") + 1))
{ echo "UNA:+.? '"; echo "UNB+UNOA:4+KE+JPNIMM+261130:0900+REF001'"
  echo "UNG+PAXLST+KE+JPNIMM+261130:0900+1+UN+D:05B'"; cat "$T/body"
  echo "UNT+$n+1'"; echo "UNE+1+1'"; echo "UNZ+1+REF001'"; } >"$T/m.edi"
cat >"$T/rules.json" <<'EOF'
{"country": "JPN", "visa_exempt": ["USA", "KOR"],
 "humanitarian_entry": {"partners": ["KOR"], "min_validity_days": 0},
 "min_validity_days": 90, "lost_passport_documents": ["emergency", "id_card"]}
EOF
cat >"$T/wl.csv" <<'EOF'
id,surname,given_names,birth_date,nationality,reason
W-17,RHEE,MIN-JUN,1985-03-07,KOR,forged visa 2019
W-18,OHNO,SHINICHI,1978,JPN,notice
EOF

# text: one line per person, the watchlist hit explained, a summary
[ "$(status "$M" screen "$T/m.edi" --watchlist "$T/wl.csv" --rules "$T/rules.json")" = 0 ] \
  || fail "screen text: $(cat "$T/err")"
grep -q '^refer .*YI MINJUN .*watchlist entry W-17' "$T/out" || fail "Yi = Rhee refer"
grep -q 'day and month swapped' "$T/out" || fail "explanation"
grep -q '^cleared .*SATO TARO' "$T/out" || fail "citizen cleared"
grep -q '^not_cleared .*SMITH JOHN .*expired on 2025-10-01' "$T/out" || fail "expired"
grep -q '^cleared .*KIM SEO YEON .*emergency accepted' "$T/out" || fail "emergency document"
grep -q '^refer .*PARK JIHOON .*also declared by passenger 1' "$T/out" || fail "duplicate"
grep -q '^5 people: 2 cleared, 2 refer, 1 not cleared' "$T/out" || fail "summary"

# JSON
[ "$(status "$M" screen "$T/m.edi" --watchlist "$T/wl.csv" --rules "$T/rules.json" --json)" = 0 ] \
  || fail "screen --json"
python3 - "$T/out" <<'EOF' || fail "JSON answer"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"] == {"people": 5, "cleared": 2, "refer": 2, "not_cleared": 1}, d["summary"]
p = d["passengers"][0]
assert p["decision"] == "refer" and p["passenger_ref"] == "P1" and p["basis"] == "humanitarian"
assert p["hits"][0]["entry_id"] == "W-17" and p["hits"][0]["score"] == 90
assert [r["code"] for r in p["reasons"]] == ["watchlist", "duplicate_doc"]
assert d["passengers"][2]["reasons"][0]["code"] == "doc_expired"
EOF

# CUSRES, read back by the PAXLST tool
[ "$(status "$M" screen "$T/m.edi" --watchlist "$T/wl.csv" --rules "$T/rules.json" \
      --cusres "$T/answer.edi")" = 0 ] || fail "screen --cusres"
grep -q "ERC+2Z'FTX+AAP+++WATCHLIST:DUPLICATE_DOC'" "$T/answer.edi" || fail "CUSRES refer"
[ "$(status "$M" paxlst parse "$T/answer.edi")" = 0 ] || fail "CUSRES reads back"
grep -q '"passenger_ref":"P3".*"status":"not_cleared"' "$T/out" || fail "CUSRES not_cleared"

# --arrival-date overrides the leg's: in 2031 Park's passport has expired too
[ "$(status "$M" screen "$T/m.edi" --watchlist "$T/wl.csv" --rules "$T/rules.json" \
      --arrival-date 2031-06-01)" = 0 ] || fail "--arrival-date"
grep -q '^not_cleared .*PARK JIHOON' "$T/out" || fail "--arrival-date applied"

# bad input: one line, exit 2
[ "$(status "$M" screen "$T/m.edi" --watchlist "$T/wl.csv")" = 2 ] || fail "no rules"
printf '{"country":"JPN","visa_exmept":[]}' >"$T/bad.json"
[ "$(status "$M" screen "$T/m.edi" --watchlist "$T/wl.csv" --rules "$T/bad.json")" = 2 ] \
  || fail "bad rules"
grep -q 'unknown key "visa_exmept"' "$T/err" || fail "bad rules message"
[ "$(wc -l <"$T/err")" = 1 ] || fail "one line"
printf 'id,surname,birth_date\n1,KIM,1985-13-01\n' >"$T/bad.csv"
[ "$(status "$M" screen "$T/m.edi" --watchlist "$T/bad.csv" --rules "$T/rules.json")" = 2 ] \
  || fail "bad watchlist"
grep -q 'line 2' "$T/err" || fail "bad watchlist line"
printf 'not edifact\n' >"$T/junk"
[ "$(status "$M" screen "$T/junk" --watchlist "$T/wl.csv" --rules "$T/rules.json")" = 2 ] \
  || fail "junk manifest"
[ "$(status "$M" screen "$T/m.edi" --watchlist "$T/wl.csv" --rules "$T/rules.json" \
      --arrival-date 2026-13-01)" = 2 ] || fail "bad arrival date"
echo "ok"

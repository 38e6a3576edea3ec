#!/usr/bin/env bash
# Importing registrants: a good file is written whole; a file with bad rows
# is rejected whole, every bad row named with its line, nothing written.
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"; N=$(tdb n)
op=$("$MUSTER" gen scenario --db "$N" --people 5 --json | sed -n 's/.*"operation":"\([^"]*\)".*/\1/p')
[ -n "$op" ]
cat > "$d/good.csv" <<'CSV'
household,surname,given_names,native_name,nationality,sex,birth_date,doc_type,doc_number,doc_issuing_state,doc_expiry,phone,email,lat,lon,address,needs,priority,consent
h1,KIM,MINJI,김민지,KOR,F,1988-04-02,P,M11112222,KOR,2031-05-01,+82 10-0000-0001,minji@example.kr,32.08,34.78,"Dizengoff St, Tel Aviv",,,yes
h1,KIM,DOYUN,김도윤,KOR,M,2019-09-09,P,M11112223,KOR,2029-01-01,,,32.08,34.78,"Dizengoff St, Tel Aviv",,,yes
h1,SATO,KENJI,佐藤 健二,JPN,M,1985-01-01,P,TK1234567,JPN,2030-01-01,,,32.08,34.78,"Dizengoff St, Tel Aviv",assisted,,yes
h2,O'BRIEN-PARK,"ANNA MARIE",,KOR,F,1950-02-02,P,M22223333,KOR,2028-01-01,,,32.1,34.8,,stretcher,,no
CSV
before=$(tsql "$N" "SELECT count(*) FROM events")
out=$("$MUSTER" import registrants "$d/good.csv" --db "$N" --nation KOR --operation "$op" --json) || { echo "$out"; exit 1; }
grep -q '"rows":4' <<<"$out" && grep -q '"households":2' <<<"$out" || { echo "$out"; exit 1; }
after=$(tsql "$N" "SELECT count(*) FROM events")
[ $((after - before)) -eq 2 ] || { echo "expected 2 household events, got $((after - before))"; exit 1; }
[ "$(tsql "$N" "SELECT priority FROM persons WHERE doc_number = 'M22223333'")" = critical ]
[ "$(tsql "$N" "SELECT count(DISTINCT household) FROM persons WHERE doc_number IN ('M11112222','TK1234567')")" = 1 ]
# personal fields are not in the log in clear
[ "$(tsql "$N" "SELECT count(*) FROM events WHERE CAST(body AS TEXT) LIKE '%M11112222%'" \
  "SELECT count(*) FROM events WHERE convert_from(body, 'UTF8') LIKE '%M11112222%'")" = 0 ]

cat > "$d/bad.csv" <<'CSV'
household,surname,given_names,nationality,sex,birth_date,doc_number,lat,lon,needs
h1,LEE,JIHO,KOR,M,1990-01-01,M90000001,32.0,34.8,
h1,LEE,SEOYEON,KOR,F,1990-02-30,M90000002,32.0,34.8,
h2,PARK,JIWOO,KOREA,F,1991-01-01,M90000003,32.0,34.8,
h3,CHOI,YUNA,KOR,F,1992-01-01,M90000001,32.0,34.8,
h4,JANG,MINSU,KOR,M,1993-01-01,M90000004,32.0,north,
h5,HAN,SUJIN,KOR,F,1994-01-01,M90000005,32.0,34.8,flying
h6,YOO,MINSEO,KOR,F
CSV
before=$(tsql "$N" "SELECT count(*) FROM events")
set +e; err=$("$MUSTER" import registrants "$d/bad.csv" --db "$N" --nation KOR --operation "$op" 2>&1); rc=$?; set -e
[ $rc -eq 1 ] || { echo "bad file exit $rc"; exit 1; }
for line in 3 4 5 6 7 8; do
  grep -q "^line $line:" <<<"$err" || { echo "line $line not reported: $err"; exit 1; }
done
grep -q "^line 2:" <<<"$err" && { echo "good line 2 reported: $err"; exit 1; }
grep -q "already on line 2" <<<"$err" || { echo "duplicate doc not named: $err"; exit 1; }
[ "$(tsql "$N" "SELECT count(*) FROM events")" = "$before" ] || { echo "bad file wrote events"; exit 1; }

# bytes that are not UTF-8 (a Latin-1 export) name the row and the column
printf 'household,surname,given_names,native_name,nationality,address\nh1,KIM,A,,KOR,ok\nh2,LEE,B,\xc7\xd1,KOR,\nh3,PARK,C,,KOR,Caf\xe9\n' > "$d/latin1.csv"
set +e; err=$("$MUSTER" import registrants "$d/latin1.csv" --db "$N" --nation KOR --operation "$op" 2>&1); rc=$?; set -e
[ $rc -eq 1 ] || { echo "latin-1 file exit $rc"; exit 1; }
grep -q "^line 3: column 'native_name' is not valid UTF-8" <<<"$err" &&
  grep -q "^line 4: column 'address' is not valid UTF-8" <<<"$err" || { echo "latin-1: $err"; exit 1; }
[ "$(tsql "$N" "SELECT count(*) FROM events")" = "$before" ] || { echo "latin-1 file wrote events"; exit 1; }

# unknown column, unknown operation, missing file
printf 'household,surname,given_names,nationality,shoe_size\nh,KIM,A,KOR,42\n' > "$d/col.csv"
set +e
"$MUSTER" import registrants "$d/col.csv" --db "$N" --nation KOR --operation "$op" 2>"$d/e1"; rc1=$?
"$MUSTER" import registrants "$d/good.csv" --db "$N" --nation KOR --operation op_nope 2>"$d/e2"; rc2=$?
"$MUSTER" import registrants "$d/none.csv" --db "$N" --nation KOR --operation "$op" 2>"$d/e3"; rc3=$?
set -e
[ $rc1 -eq 1 ] && grep -q "unknown column 'shoe_size'" "$d/e1" || { cat "$d/e1"; exit 1; }
[ $rc2 -ne 0 ] && grep -q "no operation op_nope" "$d/e2" || { cat "$d/e2"; exit 1; }
[ $rc3 -eq 2 ] && [ "$(wc -l < "$d/e3")" -eq 1 ] || { cat "$d/e3"; exit 1; }
"$MUSTER" verify --db "$N" >/dev/null

# --nation must be a known code, whole: KOREA is not cut to KOR, ZZZ is not a
# country; nationality and issuing state are known codes too (Doc 9303's D,
# XXA stateless, UNO etc. are), ZZZ and QQQ are not
before=$(tsql "$N" "SELECT count(*) FROM events")
for nat in KOREA ZZZ kor KO; do
  set +e; "$MUSTER" import registrants "$d/good.csv" --db "$N" --nation "$nat" --operation "$op" \
    2>"$d/e"; rc=$?; set -e
  [ $rc -eq 2 ] && [ "$(wc -l < "$d/e")" -eq 1 ] && grep -q "not a known" "$d/e" ||
    { echo "--nation $nat: exit $rc: $(cat "$d/e")"; exit 1; }
done
cat > "$d/codes.csv" <<'CSV'
household,surname,given_names,nationality,doc_number,doc_issuing_state
h1,MUELLER,ANNA,D,C01X00T47,D
h2,NOBODY,ALEX,XXA,X1234567,UNO
h3,FAKE,ONE,ZZZ,Z1234567,KOR
h4,FAKE,TWO,KOR,Z1234568,QQQ
CSV
set +e; err=$("$MUSTER" import registrants "$d/codes.csv" --db "$N" --nation KOR --operation "$op" 2>&1); rc=$?; set -e
[ $rc -eq 1 ] || { echo "codes file exit $rc: $err"; exit 1; }
grep -q "^line 4: nationality 'ZZZ' is not a known country code" <<<"$err" &&
  grep -q "^line 5: issuing state 'QQQ' is not a known country code" <<<"$err" ||
  { echo "unknown codes: $err"; exit 1; }
grep -qE "^line (2|3):" <<<"$err" && { echo "D, XXA or UNO refused: $err"; exit 1; }
head -3 "$d/codes.csv" > "$d/codes-ok.csv"
"$MUSTER" import registrants "$d/codes-ok.csv" --db "$N" --nation KOR --operation "$op" >/dev/null
[ "$(tsql "$N" "SELECT count(*) FROM persons WHERE nationality IN ('D', 'XXA')")" = 2 ]
[ "$(tsql "$N" "SELECT count(*) FROM events")" = $((before + 2)) ]

# A file of many chunks: worker threads build and sign while one writes, in
# chain order; every row lands once, with its own key, and the chain verifies.
awk -v n=5000 -f "$ROOT/bench/gen_registrants_csv.awk" > "$d/many.csv"
p0=$(tsql "$N" "SELECT count(*) FROM persons")
k0=$(tsql "$N" "SELECT count(*) FROM person_keys")
"$MUSTER" import registrants "$d/many.csv" --db "$N" --nation KOR --operation "$op" >/dev/null
[ "$(tsql "$N" "SELECT count(*) FROM persons")" = $((p0 + 5000)) ]
[ "$(tsql "$N" "SELECT count(*) FROM person_keys")" = $((k0 + 5000)) ]
want=$(tail -n +2 "$d/many.csv" | cut -d, -f1 | sort -u | wc -l)
[ "$(tsql "$N" "SELECT count(*) FROM events WHERE type = 'household.registered'
                AND body LIKE '%M0000%'" \
          "SELECT count(*) FROM events WHERE type = 'household.registered'
                AND convert_from(body, 'UTF8') LIKE '%M0000%'")" = 0 ] # sealed
[ "$(tsql "$N" "SELECT count(DISTINCT household) FROM persons WHERE doc_number LIKE 'M0%'")" = "$want" ]
[ "$(tsql "$N" "SELECT count(DISTINCT doc_number) FROM persons WHERE doc_number LIKE 'M0%'")" = 5000 ]
"$MUSTER" verify --db "$N" >/dev/null
# kill -9 in the middle of a big import: all of it or none is kept, the
# persons' indexes a big import sets aside are all there, the chain verifies.
# On SQLite an import with the database to itself writes in rollback-journal
# mode: the kill lands while the journal is there (the transaction is
# writing), the next open rolls it back and puts WAL mode back. On
# PostgreSQL the kill lands once the import's transaction has written (it
# has a transaction id in pg_stat_activity and is COPYing: the staging
# tables' CREATE at open has an id of its own, already committed), and that
# transaction must end aborted.
awk -v n=60000 -f "$ROOT/bench/gen_registrants_csv.awk" > "$d/big.csv"
idx="SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'persons'"
i0=$(tsql "$N" "$idx" "SELECT count(*) FROM pg_indexes WHERE tablename = 'persons'")
p0=$(tsql "$N" "SELECT count(*) FROM persons")
"$MUSTER" import registrants "$d/big.csv" --db "$N" --nation KOR --operation "$op" >/dev/null &
pid=$!
if on_pg; then
  xid=""
  for _ in $(seq 400); do
    xid=$(tsql "$N" "" "SELECT backend_xid FROM pg_stat_activity
      WHERE datname = current_database() AND backend_type = 'client backend'
        AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL
        AND query LIKE 'COPY %'" | head -1)
    [ -n "$xid" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$xid" ] || { echo "the import never had a writing transaction open"; exit 1; }
else
  for _ in $(seq 200); do [ -e "$N-journal" ] && break; sleep 0.05; done
  [ -e "$N-journal" ] || { echo "the import never wrote a rollback journal"; exit 1; }
  sleep 0.3
fi
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if on_pg; then
  # the throwaway cluster is in xid epoch 0: the xid is its xid8
  for _ in $(seq 200); do
    st=$(tsql "$N" "" "SELECT pg_xact_status('$xid'::xid8)")
    [ "$st" != "in progress" ] && break
    sleep 0.05
  done
  [ "$st" = aborted ] || { echo "the import's transaction $xid is '$st' after the kill"; exit 1; }
else
  [ -e "$N-journal" ] || { echo "the import ended before the kill"; exit 1; }
  "$MUSTER" verify --db "$N" >/dev/null
  [ "$(sqlite3 "$N" "PRAGMA journal_mode")" = wal ] || { echo "WAL mode not restored"; exit 1; }
  [ ! -e "$N-journal" ] || { echo "the hot journal is still there"; exit 1; }
fi
p1=$(tsql "$N" "SELECT count(*) FROM persons")
[ "$p1" = "$p0" ] || { echo "kill -9 kept $((p1 - p0)) rows"; exit 1; }
[ "$(tsql "$N" "$idx" "SELECT count(*) FROM pg_indexes WHERE tablename = 'persons'")" = "$i0" ]
"$MUSTER" verify --db "$N" >/dev/null

# The same file again, whole; on SQLite, first with another connection
# holding a read open (the import waits for nobody and writes through the
# WAL beside it), then alone (pages written once).
awk -v n=3000 -f "$ROOT/bench/gen_registrants_csv.awk" | sed 's/,M0/,R0/' > "$d/small.csv"
if ! on_pg; then
  { echo "BEGIN; SELECT count(*) FROM persons;"; sleep 4; echo "COMMIT;"; } | sqlite3 "$N" >/dev/null &
  reader=$!
  sleep 0.5
  out=$("$MUSTER" import registrants "$d/small.csv" --db "$N" --nation KOR --operation "$op" --json)
  wait "$reader"
  jq -e '.imported and .rows == 3000 and .written_once == false' <<<"$out" >/dev/null ||
    { echo "beside a reader: $out"; exit 1; }
  [ "$(sqlite3 "$N" "PRAGMA journal_mode")" = wal ]
  sed -i 's/,R0/,S0/' "$d/small.csv"
else
  pg_skip "an import beside an open SQLite reader, through the WAL"
fi
out=$("$MUSTER" import registrants "$d/small.csv" --db "$N" --nation KOR --operation "$op" --json)
if on_pg; then want=false; else want=true; fi
jq -e --argjson w "$want" '.imported and .rows == 3000 and .written_once == $w' <<<"$out" >/dev/null ||
  { echo "alone: $out"; exit 1; }
if on_pg; then
  pg_skip "WAL mode is back after an import written once (a SQLite journal mode)"
  added=3000
else
  [ "$(sqlite3 "$N" "PRAGMA journal_mode")" = wal ]
  added=6000
fi
[ "$(tsql "$N" "SELECT count(*) FROM persons")" = $((p1 + added)) ]
"$MUSTER" verify --db "$N" >/dev/null
echo ok

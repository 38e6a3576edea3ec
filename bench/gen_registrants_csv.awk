# Writes N generated registrants as CSV (docs/import.md columns), in
# households of 1-5 people. Usage: awk -v n=1000000 -f gen_registrants_csv.awk
BEGIN {
  srand(7)
  split("KIM LEE PARK CHOI JUNG KANG CHO YOON JANG LIM HAN OH SEO SHIN KWON", sn, " ")
  split("MINJUN SEOYEON DOYUN HAEUN JIHO MINSEO JIWOO SUJIN YEJUN EUNJI", gn, " ")
  print "household,surname,given_names,nationality,sex,birth_date,doc_type,doc_number,doc_issuing_state,doc_expiry,phone,lat,lon,needs,consent"
  i = 0; h = 0
  while (i < n) {
    h++; size = 1 + int(rand() * 5); s = sn[1 + int(rand() * 15)]
    lat = 32.0 + rand() * 0.2; lon = 34.7 + rand() * 0.2
    for (k = 0; k < size && i < n; k++) {
      i++
      printf "h%d,%s,%s,KOR,%s,%04d-%02d-%02d,P,M%08d,KOR,2030-%02d-%02d,+82 10-%04d-%04d,%.5f,%.5f,%s,yes\n", \
        h, s, gn[1 + int(rand() * 10)], (rand() < 0.5 ? "F" : "M"), 1940 + int(rand() * 80), \
        1 + int(rand() * 12), 1 + int(rand() * 28), i, 1 + int(rand() * 12), 1 + int(rand() * 28), \
        int(rand() * 10000), int(rand() * 10000), lat, lon, (rand() < 0.01 ? "stretcher" : "")
    }
  }
}

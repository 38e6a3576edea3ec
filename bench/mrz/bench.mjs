// bench.mjs — the npm package `mrz` (cheminfo) on the documents bench_mrz.c
// wrote: its parse throughput, and a field-by-field differential against
// muster's JSON for the differential set.
//
// usage: node bench.mjs DIR [MAXDOCS]
// Prints RATE_TD3=/RATE_TD1= lines (documents per second, one core) and a
// table of disagreements by field and by kind of document, with examples.
import { parse } from 'mrz';
import { readFileSync } from 'node:fs';
import { cpuUsage } from 'node:process';

const dir = process.argv[2];
const max = Number(process.argv[3] || Infinity);

function cpuSeconds() {
  const u = cpuUsage();
  return (u.user + u.system) / 1e6;
}

for (const fmt of ['td3', 'td1']) {
  const docs = readFileSync(`${dir}/docs-${fmt}.txt`, 'utf8')
    .split('\n')
    .filter((l) => l)
    .slice(0, max)
    .map((l) => l.split('|'));
  let best = Infinity;
  let valid = 0;
  for (let run = 0; run < 1; run++) {
    valid = 0;
    const t0 = cpuSeconds();
    for (const lines of docs) {
      if (parse(lines).valid) valid++;
    }
    best = Math.min(best, cpuSeconds() - t0);
  }
  const rate = docs.length / best;
  console.log(
    `npm mrz ${fmt.toUpperCase()} parse: ${docs.length} docs in ${best.toFixed(3)} CPU s = ` +
      `${(rate / 1e6).toFixed(3)} M docs/s (${valid} valid)`,
  );
  console.log(`RATE_${fmt.toUpperCase()}=${rate.toFixed(0)}`);
}

// --- differential ----------------------------------------------------------
const inputs = readFileSync(`${dir}/diff-in.txt`, 'utf8').split('\n').filter((l) => l);
const ours = readFileSync(`${dir}/diff-ours.jsonl`, 'utf8').split('\n').filter((l) => l);
const sexes = { male: 'M', female: 'F', nonspecified: 'X', unspecified: 'X' };
const norm = (v) => (v === null || v === undefined ? null : String(v).replace(/ /g, '<'));

function theirs(lines) {
  let r;
  try {
    r = parse(lines);
  } catch (e) {
    return { error: String(e.message || e) };
  }
  const f = r.fields;
  const check = (name) => {
    const d = r.details.find((x) => x.field === name);
    return d ? d.valid : null;
  };
  const why = r.details.find((x) => !x.valid);
  return {
    why: why ? `${why.field}: ${String(why.error || '').replace(/[0-9A-Z<]{3,}|: .*$/g, '…')}` : '',
    format: r.format,
    valid: r.valid,
    document_code: f.documentCode ?? null,
    issuing_state: f.issuingState ?? null,
    surname: f.lastName ?? null,
    given_names: f.firstName ?? null,
    document_number: f.documentNumber ?? null,
    nationality: f.nationality ?? null,
    birth_date_raw: f.birthDate ?? null,
    sex: f.sex ? sexes[f.sex] ?? f.sex : null,
    expiry_date_raw: f.expirationDate ?? null,
    optional_data: f.personalNumber ?? f.optional1 ?? null,
    optional_data_2: f.optional2 ?? null,
    'checks.document_number': check('documentNumberCheckDigit'),
    'checks.birth_date': check('birthDateCheckDigit'),
    'checks.expiry_date': check('expirationDateCheckDigit'),
    'checks.optional_data': check('personalNumberCheckDigit'),
    'checks.composite': check('compositeCheckDigit'),
  };
}

function mine(j) {
  const o = JSON.parse(j);
  return {
    format: o.format,
    valid: o.valid,
    document_code: o.document_code,
    issuing_state: o.issuing_state,
    surname: o.surname,
    given_names: o.given_names,
    document_number: o.document_number,
    nationality: o.nationality,
    birth_date_raw: o.birth_date_raw,
    sex: o.sex,
    expiry_date_raw: o.expiry_date_raw,
    optional_data: o.optional_data,
    optional_data_2: o.optional_data_2,
    'checks.document_number': o.checks.document_number,
    'checks.birth_date': o.checks.birth_date,
    'checks.expiry_date': o.checks.expiry_date,
    'checks.optional_data': o.checks.optional_data,
    'checks.composite': o.checks.composite,
  };
}

const tally = new Map(); // "field | kind" -> {n, examples}
const nulls = new Map(); // fields npm leaves null where muster reports what it read
let compared = 0;
let threw = 0;
function note(map, key, example) {
  const t = map.get(key) || { n: 0, ex: [] };
  t.n++;
  if (t.ex.length < (key.includes("| vector") ? 20 : 2)) t.ex.push(example);
  map.set(key, t);
}
for (let i = 0; i < inputs.length; i++) {
  const [kind0, text] = inputs[i].split('\t');
  const kind = kind0.startsWith('vector:') ? 'vector' : kind0;
  const lines = text.split('|');
  const a = mine(ours[i]);
  const b = theirs(lines);
  compared++;
  if (b.error) {
    threw++;
    note(tally, `(npm mrz throws) | ${kind}`, `${kind0}: ${text} -> ${b.error.slice(0, 80)}`);
    continue;
  }
  for (const k of Object.keys(a)) {
    let x = a[k];
    let y = b[k];
    if (a.format === null && k !== 'valid') continue; // not an MRZ for us: only the verdict
    if (k.startsWith('checks.') && (x === null || y === null)) continue;
    if (typeof x === 'string' && (y === null || y === undefined)) {
      if (x !== '') note(nulls, `${k} | ${kind}`, `${kind0}: muster=${JSON.stringify(x)}`);
      continue;
    }
    if (typeof x === 'string' || typeof y === 'string') {
      x = norm(x) ?? '';
      y = norm(y) ?? '';
    }
    if (x === y) continue;
    const key = k === 'valid' ? `valid | ${kind} | npm: ${b.why}` : `${k} | ${kind}`;
    note(tally, key, `${kind0}: ${text}  muster=${JSON.stringify(a[k])} npm=${JSON.stringify(b[k])}`);
  }
}
console.log(`differential: ${compared} documents, npm mrz threw on ${threw}`);
console.log('disagreements (count | field | kind of document [| npm reason]):');
const rows = [...tally.entries()].sort((p, q) => q[1].n - p[1].n);
if (rows.length === 0) console.log('  none');
for (const [key, t] of rows) {
  console.log(`  ${String(t.n).padStart(6)}  ${key}`);
  for (const e of t.ex) console.log(`          e.g. ${e}`);
}
console.log('fields npm mrz leaves null (rejected) where muster reports the characters read:');
for (const [key, t] of [...nulls.entries()].sort((p, q) => q[1].n - p[1].n))
  console.log(`  ${String(t.n).padStart(6)}  ${key}`);

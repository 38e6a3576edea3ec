// bench_node.cjs — the npm EDIFACT parsers `edifact` (node-edifact) and
// `ts-edifact` on the interchange bench_paxlst wrote: each cuts it into
// segments, elements and components through its streaming parser (the level
// of muster's tokeniser); best of 3 runs. Prints "name value unit" lines.
'use strict';
const fs = require('fs');
const path = require('path');
const nm = path.join(__dirname, 'node_modules');
const EdiParser = require(path.join(nm, 'edifact/parser.js'));
const EdiValidator = require(path.join(nm, 'edifact/validator.js'));
// ts-edifact's index.js needs htmlparser2, which the package does not declare;
// the parser itself does not, so load it directly.
const { Parser: TsParser } = require(path.join(nm, 'ts-edifact/lib/parser.js'));
const { Configuration } = require(path.join(nm, 'ts-edifact/lib/configuration.js'));
const { NullValidator } = require(path.join(nm, 'ts-edifact/lib/validator.js'));

const file = process.argv[2];
const doc = fs.readFileSync(file, 'latin1');
const bytes = fs.statSync(file).size;

function runEdifact() {
  const p = new EdiParser(new EdiValidator());
  let segs = 0, comps = 0;
  p.on('opensegment', () => { segs++; });
  p.on('component', () => { comps++; });
  p.write(doc);
  p.end();
  return [segs, comps];
}

function runTsEdifact() {
  const p = new TsParser(new Configuration({ validator: new NullValidator() }));
  let segs = 0, comps = 0;
  p.onOpenSegment = () => { segs++; };
  p.onComponent = () => { comps++; };
  p.write(doc);
  p.end();
  return [segs, comps];
}

for (const [name, fn] of [['edifact', runEdifact], ['ts_edifact', runTsEdifact]]) {
  let best = Infinity, counts;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    counts = fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (s < best) best = s;
  }
  console.log(`${name}_segments ${counts[0]} segments`);
  console.log(`${name}_throughput ${(bytes / best / 1e6).toFixed(1)} MB/s`);
}

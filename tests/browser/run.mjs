// run.mjs — browser tests of the muster web UI: playwright-core drives
// Debian's chromium (headless) against a live `muster serve` over a demo
// database. Run by tests/run-browser, which sets BASE, DB (a SQLite file or a
// PostgreSQL URI), MUSTER, ARTIFACTS and KIND ("browser", or "browser-pg").
// Prints one "ok|FAIL KIND NAME" line per test and writes "KIND NAME passed
// failed" lines to $RESULTS. Screenshots of every page go to $ARTIFACTS.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { png8 } from './png8.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

const BASE = process.env.BASE;
const DB = process.env.DB;
const MUSTER = process.env.MUSTER;
const ART = process.env.ARTIFACTS || join(here, 'artifacts');
const RESULTS = process.env.RESULTS;
const KIND = process.env.KIND || 'browser';
const SHOTS = process.env.README_SHOTS; // when set, README screenshots are written there too
const PASSWORD = 'muster-demo-2026';
mkdirSync(ART, { recursive: true });

// --- helpers ---------------------------------------------------------------
// Rows of a query (written to run on both stores) as arrays of strings.
function sql(q) {
  const out = /^postgres(ql)?:/.test(DB)
    ? execFileSync('psql', ['-qAtX', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-c', q], { encoding: 'utf8' })
    : execFileSync('sqlite3', ['-separator', '\t', DB, q], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

// The UTC date in `days` days as YYYY-MM-DD (SQLite's date('now', ...)).
const day = (days = 0) => new Date(Date.now() + days * 86400e3).toISOString().slice(0, 10);

// The MRZ lines of a person's passport (muster mrz make), as a reader types them.
function mrzOf(p) {
  const rec = { format: 'TD3', document_code: 'P', issuing_state: p.state, surname: p.surname, given_names: p.given,
    document_number: p.doc, nationality: p.nationality, birth_date: p.birth, sex: p.sex || 'X', expiry_date: p.expiry };
  const out = execFileSync(MUSTER, ['mrz', 'make', '--json'], { input: JSON.stringify(rec) + '\n', encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n')[0]).lines;
}

const PCOLS = 'p.id, p.household, p.surname, p.given_names, p.nationality, p.birth_date, p.sex, p.doc_number, p.doc_state, p.doc_expiry';
function person(row) {
  const [id, household, surname, given, nationality, birth, sex, doc, state, expiry] = row;
  return { id, household, surname, given, nationality, birth, sex, doc, state, expiry };
}

const README = ['login', 'dashboard', 'dashboard-ja', 'registry', 'person', 'person-edit', 'plan', 'desk-checked-in', 'desk-wrong-point',
  'desk-expired', 'manifests', 'clearance', 'clearance-ja', 'ledger', 'audit'];

// A screenshot as a small palette PNG for the README (pixels read back in the browser).
async function smallPng(ctx, png) {
  const p = await ctx.newPage();
  const { w, h, data } = await p.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    let s = '';
    for (let i = 0; i < px.length; i += 8192) s += String.fromCharCode.apply(null, px.subarray(i, i + 8192));
    return { w: c.width, h: c.height, data: btoa(s) };
  }, png.toString('base64'));
  await p.close();
  return png8(Buffer.from(data, 'base64'), w, h);
}

async function shot(page, name) {
  await labelled(page, name);
  const png = await page.screenshot({ path: join(ART, `${name}.png`) });
  if (SHOTS && README.includes(name)) writeFileSync(join(SHOTS, `${name}.png`), await smallPng(page.context(), png));
}

// Waits until the registry shows the answer to the search for q (not an earlier page).
async function shownFor(page, q) {
  await page.waitForFunction((q) => {
    const el = document.querySelector('[data-testid=results], [data-testid=no-results]');
    return el && el.dataset.q === q;
  }, q);
}

async function login(ctx, user, { password = PASSWORD } = {}) {
  const page = await ctx.newPage();
  await page.goto(BASE + '/');
  await page.evaluate(() => localStorage.setItem('muster.lang', 'en'));
  await page.reload();
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.top');
  return page;
}

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((h) => location.hash === h, hash);
}

async function noHorizontalScroll(page, what) {
  const [sw, w] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(sw <= w + 1, `${what}: page is ${sw}px wide in a ${w}px window`);
}

// Every form control has a label and every button a name (basic accessibility).
async function labelled(page, what) {
  const bad = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.closest('label')) out.push(el.outerHTML.slice(0, 80));
    }
    for (const b of document.querySelectorAll('button, a[href]')) {
      if (!(b.textContent.trim() || b.getAttribute('aria-label') || b.title)) out.push(b.outerHTML.slice(0, 80));
    }
    return out;
  });
  assert.deepEqual(bad, [], `${what}: controls without a label`);
}

async function typeMrz(page, lines) {
  const box = page.locator('#desk-mrz');
  await box.focus();
  for (const l of lines) {
    await page.keyboard.type(l);
    await page.keyboard.press('Enter');
  }
}

async function deskOutcome(page) {
  const out = page.locator('[data-testid=desk-outcome]');
  await out.waitFor();
  return out;
}

// A token for user straight from the API (to fetch what a partner would send).
async function tokenOf(user) {
  const r = await fetch(`${BASE}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password: PASSWORD }) });
  assert.equal(r.status, 200, `login ${user}`);
  return (await r.json()).token;
}

// The calls the page's own token makes (the API as the logged-in user sees it).
async function apiIn(page, path, init = {}) {
  return page.evaluate(async ([path, init]) => {
    const r = await fetch('/api/v1' + path, { ...init, headers: { ...(init.headers || {}), Authorization: 'Bearer ' + sessionStorage.getItem('muster.token') } });
    const text = await r.text();
    let body = null;
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: r.status, body };
  }, [path, init]);
}

// The navigation links the header shows.
async function navLinks(page) {
  return page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')));
}

// --- tests ------------------------------------------------------------------
const tests = [];
const test = (name, fn) => tests.push({ name, fn });

const op = () => sql('select id from operations limit 1')[0][0];
const pointId = (kind) => sql(`select id from assembly_points where kind='${kind}' limit 1`)[0][0];

test('message files: every string in en, ja and ko', async () => {
  const dir = join(here, '../../web');
  const tables = Object.fromEntries(['en', 'ja', 'ko'].map((l) => [l, JSON.parse(readFileSync(join(dir, 'messages', l + '.json'), 'utf8'))]));
  for (const l of ['ja', 'ko']) {
    assert.deepEqual(Object.keys(tables[l]).sort(), Object.keys(tables.en).sort(), `${l}.json has the keys of en.json`);
    for (const [k, v] of Object.entries(tables[l])) assert.ok(v.trim() !== '', `${l}.json ${k} is empty`);
  }
  // every literal key the sources look up exists (t('x.y') and tc('x', ...) prefixes)
  const src = ['app.js', 'html.js', 'api.js', ...readdirSync(join(dir, 'src/pages')).map((f) => 'pages/' + f)]
    .map((f) => readFileSync(join(dir, 'src', f), 'utf8')).join('\n');
  const keys = [...src.matchAll(/\bt\('([a-z_]+\.[a-z_.]+)'/g)].map((m) => m[1]);
  assert.ok(keys.length > 100, `found ${keys.length} keys`);
  const missing = [...new Set(keys)].filter((k) => !(k in tables.en));
  assert.deepEqual(missing, [], 'keys used in web/src but not in en.json');
  const prefixes = [...new Set([...src.matchAll(/\btc\('([a-z_.]+)'/g)].map((m) => m[1]))];
  for (const p of prefixes) assert.ok(Object.keys(tables.en).some((k) => k.startsWith(p + '.')), `no ${p}.* messages`);
});

test('login', async (ctx) => {
  const page = await ctx.newPage();
  await page.goto(BASE + '/');
  await page.evaluate(() => localStorage.setItem('muster.lang', 'en'));
  await page.reload();
  await page.waitForSelector('#login-user');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'login-user', 'the user field has focus');
  await shot(page, 'login');
  // focus order: user, password, the button
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'login-password');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.type), 'submit');
  await page.fill('#login-user', 'kor.officer');
  await page.fill('#login-password', 'wrong-password-1');
  await page.click('button[type=submit]');
  await page.locator('.error[role=alert]').waitFor();
  await page.fill('#login-password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.top');
  assert.match(await page.textContent('header .who'), /kor\.officer/);
  // the language switch: every string comes from the message files
  await page.selectOption('header select[aria-label]', 'ja');
  await page.waitForFunction(() => document.documentElement.lang === 'ja');
  assert.match(await page.textContent('header nav'), /ダッシュボード/);
  await page.waitForTimeout(500);
  await shot(page, 'dashboard-ja');
  await page.selectOption('header select[aria-label]', 'ko');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  assert.match(await page.textContent('header nav'), /대시보드/);
  await page.selectOption('header select[aria-label]', 'en');
  await page.click('header button.linkish');
  await page.waitForSelector('#login-user');
});

test('liaison cannot reach a Korean person who is not allocated to it', async (ctx) => {
  // before any plan, every Korean is only registered: invisible to Japan
  const p = person(sql(`select ${PCOLS} from persons p where p.nation='KOR' and p.nationality='KOR' and p.status='registered' and p.doc_number is not null limit 1`)[0]);
  const page = await login(ctx, 'jpn.liaison');
  await go(page, '#/registry');
  await page.fill('#reg-q', p.surname);
  await page.press('#reg-q', 'Enter');
  await shownFor(page, p.surname);
  const text = await page.textContent('main');
  assert.ok(!text.includes(p.doc), 'the search does not list the Korean person');
  await shot(page, 'registry-liaison');
  // typing the person's URL
  await page.goto(`${BASE}/#/person/${p.id}`);
  await page.locator('[data-testid=not-found]').waitFor();
  const body = await page.textContent('body');
  assert.ok(!body.includes(p.doc) && !body.includes(p.given), 'nothing of the person shows');
  await shot(page, 'person-liaison-404');
  // and the household URL gives no members either
  const status = await page.evaluate(async (id) => {
    const r = await fetch(`/api/v1/persons/${id}`, { headers: { Authorization: 'Bearer ' + sessionStorage.getItem('muster.token') } });
    return r.status;
  }, p.id);
  assert.equal(status, 404);
});

test('dashboard', async (ctx) => {
  const page = await login(ctx, 'kor.officer');
  await page.waitForFunction(() => document.querySelectorAll('.bars li').length > 0);
  await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-testid=people-total]').textContent));
  // the basemap, the crisis area and the density layer are drawn
  await page.waitForFunction(() => document.querySelectorAll('.leaflet-overlay-pane path, .leaflet-overlay-pane canvas').length > 0);
  await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-testid=density-count]').textContent));
  const legs = sql(`select count(*) from legs`)[0][0];
  assert.equal(String(await page.locator('.bars li').count()), legs);
  await page.waitForTimeout(800);
  await shot(page, 'dashboard');
  await noHorizontalScroll(page, 'dashboard at 1366');
});

test('dashboard left before its basemap arrives: no script error', async (ctx) => {
  // the field's links are slow: the basemap may land after the officer has
  // moved on, and drawing it into the removed map used to throw
  const page = await login(ctx, 'kor.officer');
  let held = 0;
  await page.route('**/vendor/world.json', async (route) => {
    held++;
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.reload();
  await page.waitForSelector('.map');
  await go(page, '#/registry');
  await page.waitForSelector('#reg-q');
  await page.waitForTimeout(2500);
  assert.equal(held, 1, 'the dashboard asked for the basemap while it was held back');
});

test('registry and person', async (ctx) => {
  const p = person(sql(`select ${PCOLS} from persons p join households h on h.id=p.household where p.nation='KOR' and (select count(*) from persons q where q.household=p.household) >= 2 limit 1`)[0]);
  const page = await login(ctx, 'kor.officer');
  await go(page, '#/registry');
  await page.fill('#reg-q', p.doc);
  await page.press('#reg-q', 'Enter');
  // the table shows the searched document before the click (rows re-render under the pointer otherwise)
  await shownFor(page, p.doc);
  await page.locator(`[data-testid=results] a[href="#/person/${p.id}"]`).click();
  await page.locator('[data-testid=person-name]').waitFor();
  assert.match(await page.textContent('[data-testid=person-name]'), new RegExp(p.surname));
  await page.waitForFunction(() => document.querySelectorAll('.household li').length >= 2);
  await shot(page, 'person');
  await go(page, '#/registry');
  await page.waitForSelector('[data-testid=results]');
  await shot(page, 'registry');
});

test('plan', async (ctx) => {
  const page = await login(ctx, 'kor.officer');
  await go(page, '#/plan');
  const before = Number(sql(`select count(*) from events`)[0][0]);
  await page.click('[data-testid=run-plan]');
  // a proposal first: what would change, nothing recorded yet
  await page.locator('[data-testid=plan-state][data-state=proposed]').waitFor({ timeout: 60000 });
  const gets = Number((await page.textContent('[data-testid=ch-allocated]')).replace(/\D/g, ''));
  assert.ok(gets > 0, 'the proposal gives households a leg');
  const rows = await page.locator('[data-testid=plan-change-list] tbody tr[data-change=allocated]').count();
  assert.equal(rows, Math.min(gets, 200), 'each household getting a leg is listed (the first 200 shown)');
  assert.match(await page.textContent('[data-testid=plan-gap]'), /%/);
  assert.equal(Number(sql(`select count(*) from persons where status='allocated'`)[0][0]), 0, 'a proposal records nothing');
  assert.equal(Number(sql(`select count(*) from events`)[0][0]), before, 'a proposal appends no event');
  await shot(page, 'plan-proposed');
  // accepted: recorded under the officer's name
  await page.click('[data-testid=accept-plan]');
  await page.locator('[data-testid=plan-recorded]').waitFor({ timeout: 60000 });
  const allocated = Number((await page.textContent('[data-testid=plan-allocated]')).replace(/\D/g, ''));
  assert.ok(allocated > 0, 'the plan allocated people');
  const inDb = Number(sql(`select count(*) from persons where status='allocated'`)[0][0]);
  assert.equal(inDb, allocated, `the allocations shown are those recorded (${inDb} in the database)`);
  assert.equal(sql(`select actor from events where type='plan.recorded'`)[0][0], 'user:kor.officer');
  assert.equal(await page.locator('[data-testid=accept-plan]').count(), 0, 'nothing left to accept');
  await shot(page, 'plan');
});

test('check-in desk by MRZ', async (ctx) => {
  const bgn = pointId('airport');
  // a Korean household of 2+ allocated to a leg from the airport, valid passports
  const hh = sql(`select p.household from persons p join legs l on l.id=p.leg where p.nation='KOR' and l.point='${bgn}'
    and p.status='allocated' and p.doc_number is not null and p.doc_expiry > '${day(1)}'
    group by p.household having count(*) >= 2 and count(*) = (select count(*) from persons q where q.household=p.household) limit 1`)[0][0];
  const members = sql(`select ${PCOLS} from persons p where p.household='${hh}' order by p.id`).map(person);
  const page = await login(ctx, 'kor.field');
  await go(page, '#/desk');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'desk-mrz');
  await page.waitForFunction((id) => document.querySelector('#desk-point').value === id, bgn);

  // the scan looks the passport up: who it is, nothing written yet
  await typeMrz(page, mrzOf(members[0]));
  let out = await deskOutcome(page);
  await page.waitForFunction(() => document.querySelector('[data-testid=desk-outcome]').dataset.code !== undefined);
  assert.equal(await out.getAttribute('data-code'), 'ready');
  assert.match(await page.textContent('[data-testid=desk-who]'), new RegExp(members[0].surname));
  assert.equal(sql(`select status from persons where id='${members[0].id}'`)[0][0], 'allocated', 'the look-up writes nothing');
  await shot(page, 'desk-ready');
  // one key confirms
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=desk-outcome]').dataset.code === 'checked_in');
  assert.match(await page.textContent('[data-testid=desk-who]'), new RegExp(members[0].surname));
  assert.match(await page.textContent('[data-testid=desk-leg]'), /Gate closes/);
  assert.equal(await page.locator('[data-testid=member].here').count(), 1);
  assert.equal(await page.locator('[data-testid=member].missing').count(), members.length - 1);
  await shot(page, 'desk-checked-in');
  assert.equal(sql(`select status from persons where id='${members[0].id}'`)[0][0], 'checked_in');

  // the second member: the household now shows two here; focus came back
  await page.waitForFunction(() => document.activeElement.id === 'desk-mrz');
  await typeMrz(page, mrzOf(members[1]));
  await page.waitForFunction((s) => document.querySelector('[data-testid=desk-who]')?.textContent.includes(s), members[1].given);
  await page.waitForFunction(() => document.querySelector('[data-testid=desk-outcome]').dataset.code === 'ready');
  // the button confirms too (touch screens)
  await page.click('[data-testid=desk-confirm]');
  await page.waitForFunction(() => document.querySelector('[data-testid=desk-outcome]').dataset.code === 'checked_in');
  assert.equal(await page.locator('[data-testid=member].here').count(), 2);

  // the first again: already checked in
  await typeMrz(page, mrzOf(members[0]));
  await page.waitForFunction(() => document.querySelector('[data-testid=desk-outcome]').dataset.code === 'already_checked_in');

  // someone allocated to a leg from the port, at the airport desk
  const port = person(sql(`select ${PCOLS} from persons p join legs l on l.id=p.leg where p.nation='KOR' and l.point='${pointId('port')}'
    and p.status='allocated' and p.doc_number is not null and p.doc_expiry > '${day(1)}' limit 1`)[0]);
  await typeMrz(page, mrzOf(port));
  await page.waitForFunction(() => document.querySelector('[data-testid=desk-outcome]').dataset.code === 'wrong_point');
  assert.match(await page.textContent('[data-testid=desk-outcome]'), /Wrong assembly point/);
  assert.match(await page.textContent('[data-testid=desk-who]'), new RegExp(port.surname));
  assert.match(await page.textContent('[data-testid=desk-goto]'), /Port/, 'the desk names the right assembly point');
  await shot(page, 'desk-wrong-point');
  assert.equal(sql(`select status from persons where id='${port.id}'`)[0][0], 'allocated');

  // an expired passport
  const old = person(sql(`select ${PCOLS} from persons p where p.nation='KOR' and p.doc_number is not null and p.doc_expiry < '${day()}' limit 1`)[0]);
  await typeMrz(page, mrzOf(old));
  await page.waitForFunction(() => document.querySelector('[data-testid=desk-outcome]').dataset.code === 'expired');
  assert.match(await page.textContent('[data-testid=desk-outcome]'), /Passport expired/);
  await shot(page, 'desk-expired');

  // a misread line: the check digits fail
  const bad = mrzOf(members[0]);
  bad[1] = bad[1].slice(0, 5) + (bad[1][5] === '1' ? '2' : '1') + bad[1].slice(6);
  await typeMrz(page, bad);
  await page.waitForFunction(() => document.querySelector('[data-testid=desk-outcome]').dataset.code === 'bad_document');

  // Escape clears; the walk-in form by keyboard (Alt+W)
  await page.keyboard.press('Escape');
  await page.keyboard.press('Alt+w');
  await page.locator('#wi-surname').waitFor();
  await page.fill('#wi-surname', 'WALKER');
  await page.fill('#wi-given_names', 'MINJI');
  await page.fill('#wi-nationality', 'KOR');
  await page.fill('#wi-birth_date', '1990-05-04');
  await page.fill('#wi-number', 'M99887766');
  await page.fill('#wi-expiry', '2031-01-01');
  await shot(page, 'desk-walkin');
  await page.press('#wi-expiry', 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=desk-outcome]')?.dataset.code === 'checked_in'
    && document.querySelector('[data-testid=desk-who]').textContent.includes('WALKER'));
  assert.equal(sql(`select status from persons where doc_number='M99887766'`)[0][0], 'checked_in');
});

test('desk at tablet size', async (ctx) => {
  const page = await login(ctx, 'kor.field');
  for (const [w, h] of [[800, 1280], [1280, 800]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const p of ['#/desk', '#/dashboard', '#/manifests', '#/registry', '#/ledger', '#/plan', '#/audit']) {
      await go(page, p);
      await page.waitForTimeout(300);
      await noHorizontalScroll(page, `${p} at ${w}×${h}`);
    }
  }
  await page.setViewportSize({ width: 800, height: 1280 });
  await go(page, '#/desk');
  await shot(page, 'desk-tablet');
});

test('liaison after the plan: a Korean on a Korean leg stays out of reach', async (ctx) => {
  // (the demo's Japanese legs carry only Japanese nationals, so Japan has no
  // partner view of any Korean here: every allocated Korean must stay hidden)
  const onKor = person(sql(`select ${PCOLS} from persons p join legs l on l.id=p.leg where p.nation='KOR' and p.nationality='KOR'
    and l.operator='KOR' and l.destination_country='KOR' and p.status='allocated' limit 1`)[0]);
  const page = await login(ctx, 'jpn.liaison');
  await page.goto(`${BASE}/#/person/${onKor.id}`);
  await page.locator('[data-testid=not-found]').waitFor();
  assert.ok(!(await page.textContent('body')).includes(onKor.doc));
  await go(page, '#/registry');
  await page.fill('#reg-q', onKor.doc);
  await page.press('#reg-q', 'Enter');
  await shownFor(page, onKor.doc);
  await page.locator('[data-testid=no-results]').waitFor();
});

test('manifests: CSV, PDF and PAXLST downloads', async (ctx) => {
  const page = await login(ctx, 'kor.officer');
  await go(page, '#/manifests');
  const leg = sql(`select l.id from legs l where l.operator='KOR' and exists (select 1 from persons p where p.leg=l.id and p.nation='KOR') limit 1`)[0][0];
  const pax = person(sql(`select ${PCOLS} from persons p where p.leg='${leg}' and p.nation='KOR' limit 1`)[0]);
  const row = page.locator(`tr[data-leg="${leg}"]`);
  await row.waitFor();
  await shot(page, 'manifests');
  const get = async (fmt) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), row.locator(`button[data-format=${fmt}]`).click()]);
    const path = join(ART, `manifest-${fmt}-${dl.suggestedFilename()}`);
    await dl.saveAs(path);
    return readFileSync(path);
  };
  const csv = (await get('csv')).toString('utf8');
  assert.ok(csv.split('\n').length > 2, 'the CSV has rows');
  assert.ok(csv.includes(pax.doc) && csv.includes(pax.surname), 'the CSV lists a passenger of the leg');
  const pdf = await get('pdf');
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 1000, 'the PDF is not empty');
  const edi = (await get('paxlst')).toString('latin1');
  assert.match(edi, /^(UNA|UNB)/);
  assert.match(edi, /PAXLST/);
  assert.ok(edi.includes(pax.doc), 'the PAXLST carries a passenger document');
});

test('person: edit the registration, see it in the history', async (ctx) => {
  // a Korean registered by Korea, on a leg by now (the history has the allocation)
  const p = person(sql(`select ${PCOLS} from persons p where p.nation='KOR' and p.nationality='KOR' and p.status='allocated'
    and p.doc_number is not null order by p.id limit 1 offset 3`)[0]);
  const page = await login(ctx, 'kor.officer');
  await go(page, `#/person/${p.id}`);
  await page.locator('[data-testid=history] tbody tr').first().waitFor();
  const before = await apiIn(page, `/persons/${p.id}/history`);
  assert.equal(before.status, 200);
  const n0 = before.body.events.length;
  assert.equal(await page.locator('[data-testid=history] tbody tr').count(), n0, 'one row an event');
  assert.equal(await page.locator('[data-testid=history] tr[data-type="person.status"]').count(),
    before.body.events.filter((e) => e.type === 'person.status').length);
  assert.match(await page.textContent('[data-testid=history]'), /allocated/, 'the allocation shows in the history');

  // keyboard only: the Edit button opens the form with focus on its first field
  await page.locator('[data-testid=edit]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ed-surname');
  // a bad document number: the API's reason shows, nothing changes
  await page.fill('#ed-doc_number', 'm12-x');
  await page.press('#ed-doc_number', 'Enter');
  await page.locator('[data-testid=edit-form] .error[role=alert]').waitFor();
  assert.match(await page.textContent('[data-testid=edit-form] .error'), /document number/);
  const still = await apiIn(page, `/persons/${p.id}`);
  assert.equal(still.body.document.number, p.doc, 'the rejected edit changed nothing');
  assert.equal((await apiIn(page, `/persons/${p.id}/history`)).body.events.length, n0);

  await page.fill('#ed-doc_number', p.doc);
  await page.fill('#ed-phone', '+82 10 5555 0101');
  await page.fill('#ed-address', '12 Ha-Yarkon St, Tel Aviv');
  await page.check('#ed-need-assisted');
  await shot(page, 'person-edit');
  await page.press('#ed-phone', 'Enter');
  await page.locator('[data-testid=saved]').waitFor();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=history]')?.dataset.n) === n, n0 + 1);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'edit', 'focus is back on Edit');
  assert.match(await page.textContent('[data-testid=person-fields]'), /\+82 10 5555 0101/);
  assert.equal(await page.locator('[data-testid=history] tr[data-type="person.updated"]').count(), 1);
  assert.match(await page.textContent('[data-testid=history] tr[data-type="person.updated"]'), /kor\.officer/);

  // after a reload the edit is still there, from the server
  await page.reload();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=history]')?.dataset.n) === n, n0 + 1);
  const text = await page.textContent('[data-testid=person-fields]');
  assert.match(text, /\+82 10 5555 0101/);
  assert.match(text, /12 Ha-Yarkon St/);
  assert.match(text, /assistance/);
  assert.equal(sql(`select count(*) from events where type='person.updated'`)[0][0], '1', 'one person.updated event');
  await shot(page, 'person-history');

  // Escape closes the form and sends nothing
  await page.click('[data-testid=edit]');
  await page.fill('#ed-phone', '+82 10 0000 0000');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=edit-form]').waitFor({ state: 'detached' });
  assert.equal((await apiIn(page, `/persons/${p.id}`)).body.phone, '+82 10 5555 0101');

  // a Japanese national on a Korean leg: Korea's partner view, no Edit (the API would refuse)
  const jp = sql(`select p.id from persons p join legs l on l.id=p.leg where p.nation='JPN' and l.operator='KOR' and p.status='allocated' limit 1`)[0][0];
  await go(page, `#/person/${jp}`);
  await page.locator('.tag.view-partner').waitFor();
  assert.equal(await page.locator('[data-testid=edit]').count(), 0);
  assert.equal((await apiIn(page, `/persons/${jp}`, { method: 'PATCH', body: '{"phone":"1"}', headers: { 'Content-Type': 'application/json' } })).status, 403);
  // immigration reads the registry but may not edit it
  const ip = await login(ctx, 'kor.immigration');
  await go(ip, `#/person/${p.id}`);
  await ip.locator('[data-testid=history]').waitFor();
  assert.equal(await ip.locator('[data-testid=edit]').count(), 0);
});

test('ledger: rows from the server, a fare policy set, nothing already carried re-priced', async (ctx) => {
  const page = await login(ctx, 'kor.officer');
  await go(page, '#/ledger');
  const row = page.locator('[data-testid=ledger] tr[data-carrier=KOR][data-nationality=KOR]');
  await row.waitFor();
  const count = (statuses) => Number(sql(`select count(*) from persons p join legs l on l.id=p.leg where l.operator='KOR'
    and p.nationality='KOR' and p.status in (${statuses.map((x) => `'${x}'`).join(',')})`)[0][0]);
  const planned = count(['allocated', 'notified', 'confirmed']);
  const atPoint = count(['checked_in', 'boarded']);
  const carried = count(['departed', 'arrived', 'cleared', 'refused_entry']);
  const cell = async (k) => Number((await row.locator(`[data-k=${k}]`).textContent()).replace(/\D/g, ''));
  assert.ok(planned > 0 && atPoint > 0, 'the plan and the desk left people planned and at the point');
  assert.equal(await cell('planned'), planned);
  assert.equal(await cell('at_point'), atPoint);
  assert.equal(await cell('carried'), carried);
  assert.match(await row.textContent(), /free seats/);
  // Japanese carried by Korea is reciprocal
  const recip = page.locator('[data-testid=ledger] tr[data-carrier=KOR][data-nationality=JPN]');
  assert.match(await recip.textContent(), /partner's citizens/);

  // Korea's fare policy: a flat fee from now on; the seats already given
  // keep the price they had (free), nothing is re-priced
  await page.selectOption('#fare-kind', 'flat_fee');
  await page.fill('#fare-amount', '120');
  await page.fill('#fare-currency', 'usd');
  await page.fill('#fare-note', 'MOU 2024, art. 3');
  await page.press('#fare-note', 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=ledger]').dataset.saved === '1');
  assert.equal((await row.locator('[data-k=charge]').textContent()).trim(), '—');
  assert.equal(sql(`select count(*) from events where type='fare.policy'`)[0][0], '1');
  await page.reload();
  await row.waitFor();
  assert.match(await row.textContent(), /flat fee/);
  assert.match(await row.textContent(), /MOU 2024/);
  await shot(page, 'ledger');
  await noHorizontalScroll(page, 'ledger at 1366');

  // a liaison reads the ledger (seat totals) but sets no policy
  const lp = await login(ctx, 'jpn.liaison');
  assert.ok((await navLinks(lp)).includes('#/ledger'));
  await go(lp, '#/ledger');
  await lp.locator('[data-testid=ledger] tbody tr').first().waitFor();
  assert.equal(await lp.locator('[data-testid=fare-form]').count(), 0);
});

// A passenger of the leg listed on the watchlist run-browser wrote: the
// nationals whose document number ends in 0, as WL-<document number>.
function listedOn(leg) {
  const [doc, surname] = sql(`select p.doc_number, p.surname from persons p where p.leg='${leg}'
    and p.nationality='KOR' and p.doc_number like '%0' order by p.doc_number limit 1`)[0];
  return { entry: 'WL-' + doc, doc, surname };
}

test('clearance: pre-clear a leg, override a refer, still there after a reload', async (ctx) => {
  const leg = sql(`select id from legs where destination_country='KOR' and status != 'cancelled' order by departs limit 1`)[0][0];
  const listed = listedOn(leg);
  const page = await login(ctx, 'kor.immigration');
  const nav = await navLinks(page);
  assert.ok(nav.includes('#/clearance'), 'immigration has the Clearance page');
  for (const p of ['#/plan', '#/desk', '#/audit']) assert.ok(!nav.includes(p), `immigration has no ${p}`);
  await go(page, '#/clearance');
  const arr = page.locator(`[data-testid=arrivals] tr[data-leg="${leg}"]`);
  await arr.waitFor();
  await arr.locator('[data-action=run]').click();
  const dec = page.locator(`[data-testid=decisions][data-leg="${leg}"]`);
  await dec.waitFor({ timeout: 30000 });
  const onLeg = Number(sql(`select count(*) from persons where leg='${leg}'`)[0][0]);
  assert.equal(await dec.locator('tbody tr').count(), onLeg, 'one decision a passenger');
  const refers = Number(sql(`select count(*) from clearances where leg='${leg}' and decision='refer'`)[0][0]);
  assert.ok(refers > 0);
  assert.equal(Number((await dec.locator('[data-testid=totals] [data-k=refer]').textContent()).replace(/\D/g, '')), refers);
  // the listed passenger: refer, the watchlist reason and the matched entry
  const tr = dec.locator(`tr[data-document="${listed.doc}"]`);
  assert.equal(await tr.getAttribute('data-decision'), 'refer');
  assert.match(await tr.textContent(), /watchlist match/);
  assert.match(await tr.locator('[data-testid=hits]').textContent(), new RegExp(listed.entry + '\\b'));
  await shot(page, 'clearance');
  await noHorizontalScroll(page, 'clearance at 1366');

  // override by keyboard: the button, the decision, a reason, Enter
  await tr.locator('[data-testid=override-open]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id.startsWith('ov-to-'));
  await page.keyboard.press('Tab');
  await page.keyboard.type('Identity confirmed by video call with the embassy');
  await page.keyboard.press('Enter');
  await tr.locator('[data-testid=override]').waitFor();
  assert.equal(await tr.getAttribute('data-decision'), 'cleared');
  await page.waitForFunction(() => document.activeElement && document.activeElement.dataset.testid === 'override');
  const id = await tr.getAttribute('data-clearance');
  const [decision, original, by, reason] = sql(`select decision, original, override_by, override_reason from clearances where id='${id}'`)[0];
  assert.deepEqual([decision, original, by, reason], ['cleared', 'refer', 'kor.immigration', 'Identity confirmed by video call with the embassy']);
  assert.equal(sql(`select count(*) from events where type='clearance.overridden'`)[0][0], '1');

  // the URL names the leg: a reload shows the recorded decisions and the override
  await page.reload();
  const again = page.locator(`[data-testid=decisions][data-leg="${leg}"] tr[data-clearance="${id}"]`);
  await again.locator('[data-testid=override]').waitFor();
  assert.equal(await again.getAttribute('data-decision'), 'cleared');
  assert.match(await again.textContent(), /Was refer; overridden by kor\.immigration/);
  assert.match(await again.textContent(), /video call with the embassy/);
  assert.equal(await again.locator('[data-testid=override-open]').count(), 0, 'an override is final');

  // in Japanese: every label from the message file
  await page.selectOption('header select[aria-label]', 'ja');
  await page.waitForFunction(() => document.documentElement.lang === 'ja');
  assert.match(await page.textContent('main h1'), /事前審査/);
  assert.match(await again.textContent(), /許可/);
  await shot(page, 'clearance-ja');
  await page.selectOption('header select[aria-label]', 'en');
  await page.setViewportSize({ width: 800, height: 1280 });
  await page.waitForTimeout(200);
  await noHorizontalScroll(page, 'clearance at 800');
  await page.setViewportSize({ width: 1366, height: 768 });
});

test('clearance: an uploaded PAXLST is screened', async (ctx) => {
  const leg = sql(`select id from legs where destination_country='KOR' and status != 'cancelled' order by departs limit 1`)[0][0];
  const listed = listedOn(leg);
  // the carrier's PAXLST of the leg, as Korea's officer downloads it
  const tok = await tokenOf('kor.officer');
  const res = await fetch(`${BASE}/api/v1/legs/${leg}/manifest?format=paxlst`, { headers: { Authorization: 'Bearer ' + tok } });
  assert.equal(res.status, 200);
  const file = join(ART, 'incoming.edi');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const before = Number(sql(`select count(*) from events where type='clearance.decided'`)[0][0]);
  const page = await login(ctx, 'kor.immigration');
  await go(page, '#/clearance');
  await page.setInputFiles('#clr-file', file);
  await page.click('[data-testid=upload]');
  const dec = page.locator('[data-testid=decisions][data-leg=""]');
  await dec.waitFor({ timeout: 30000 });
  assert.match(await dec.locator('h2').textContent(), /incoming\.edi/);
  const rows = await dec.locator('tbody tr').count();
  assert.ok(rows > 0);
  assert.equal(Number(sql(`select count(*) from events where type='clearance.decided'`)[0][0]), before + rows, 'each answer recorded');
  const tr = dec.locator(`tr[data-document="${listed.doc}"]`);
  assert.equal(await tr.getAttribute('data-decision'), 'refer');
  assert.match(await tr.locator('[data-testid=hits]').textContent(), new RegExp(listed.entry + '\\b'));
  await shot(page, 'clearance-upload');
  // not a PAXLST: the API's reason, nothing recorded
  const junk = join(ART, 'junk.edi');
  writeFileSync(junk, 'hello\n');
  await page.setInputFiles('#clr-file', junk);
  await page.click('[data-testid=upload]');
  await page.locator('main > .error[role=alert]').waitFor();
  assert.match(await page.textContent('main > .error'), /bad_paxlst/);
  assert.equal(Number(sql(`select count(*) from events where type='clearance.decided'`)[0][0]), before + rows);
});

test('clearance: a second pre-clearance of a leg replaces the first', async (ctx) => {
  const leg = sql(`select id from legs where destination_country='KOR' and status != 'cancelled' order by departs limit 1`)[0][0];
  const onLeg = Number(sql(`select count(*) from persons where leg='${leg}'`)[0][0]);
  const page = await login(ctx, 'kor.immigration');
  await go(page, `#/clearance/${leg}`);
  const dec = page.locator(`[data-testid=decisions][data-leg="${leg}"]`);
  await dec.locator('tbody tr').first().waitFor();
  const recorded = Number(sql(`select count(*) from clearances where leg='${leg}'`)[0][0]);
  await page.locator(`[data-testid=arrivals] tr[data-leg="${leg}"] [data-action=run]`).click();
  // keyed to the answer: the note counts the first round's decisions as replaced
  await page.waitForFunction((n) => (document.querySelector('[data-testid=replaced]')?.textContent || '').replace(/\D/g, '') === String(n), recorded);
  assert.equal(Number(sql(`select count(*) from clearances where leg='${leg}'`)[0][0]), recorded + onLeg, 'the second round is recorded too');
  assert.equal(await dec.locator('tbody tr').count(), onLeg, 'one row a passenger: the latest decision');
});

test('pages by role: a role without the right does not see the page', async (ctx) => {
  const cases = [
    ['kor.officer', ['#/dashboard', '#/registry', '#/plan', '#/manifests', '#/ledger', '#/audit'], ['#/clearance']],
    ['kor.field', ['#/dashboard', '#/registry', '#/desk', '#/manifests', '#/ledger'], ['#/plan', '#/clearance', '#/audit']],
    ['kor.immigration', ['#/dashboard', '#/registry', '#/manifests', '#/clearance', '#/ledger'], ['#/plan', '#/desk', '#/audit']],
    ['jpn.liaison', ['#/dashboard', '#/registry', '#/manifests', '#/ledger'], ['#/plan', '#/desk', '#/clearance', '#/audit']],
  ];
  for (const [user, shown, hidden] of cases) {
    const page = await login(ctx, user);
    const nav = await navLinks(page);
    // the navigation follows what /me says the role may do
    const me = await apiIn(page, '/me');
    assert.ok(Array.isArray(me.body.may), '/me lists what the role may do');
    if (user === 'kor.immigration') assert.deepEqual(me.body.may, ['read_registry', 'read_operations', 'clearance', 'manifest']);
    for (const p of shown) assert.ok(nav.includes(p), `${user} sees ${p}`);
    for (const p of hidden) {
      assert.ok(!nav.includes(p), `${user} has no link to ${p}`);
      await go(page, p); // typing the URL
      await page.locator('[data-testid=not-allowed]').waitFor();
    }
    await page.close();
  }
  // and the API refuses the same (the page is not the guard)
  const page = await login(ctx, 'kor.officer');
  const leg = sql(`select id from legs where destination_country='KOR' limit 1`)[0][0];
  assert.equal((await apiIn(page, `/legs/${leg}/clearance`)).status, 403);
});

test('audit feed', async (ctx) => {
  const page = await login(ctx, 'kor.officer');
  await go(page, '#/audit');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=audit] tbody tr').length > 0);
  // the newest first: the last thing written (the uploaded PAXLST's decisions)
  const newest = sql(`select id, type from events where nation='KOR' order by id desc limit 1`)[0];
  assert.equal(await page.textContent('[data-testid=audit] tbody tr:first-child td.num'), newest[0]);
  assert.equal(await page.getAttribute('[data-testid=audit] tbody tr:first-child', 'data-type'), newest[1]);
  await shot(page, 'audit');
  // by type: the one fare policy the ledger test set, and the override, with who did them
  for (const [type, actor] of [['fare.policy', 'kor.officer'], ['clearance.overridden', 'kor.immigration']]) {
    await page.fill('#audit-type', type);
    await page.press('#audit-type', 'Enter');
    await page.waitForFunction((ty) => document.querySelector('[data-testid=audit]')?.dataset.type === ty, type);
    const rows = page.locator('[data-testid=audit] tbody tr');
    assert.equal(await rows.count(), 1, `one ${type} event`);
    assert.equal(await rows.first().getAttribute('data-type'), type);
    assert.match(await rows.first().textContent(), new RegExp(actor.replace('.', '\\.')));
  }
  await page.locator('[data-testid=audit] tbody tr button').first().click();
  assert.match(await page.textContent('pre.body'), /"id": "clr_/);
  assert.ok(!(await page.textContent('pre.body')).includes('"pii"'), 'sealed fields are not in the feed');
  // a liaison may not read the audit feed: no link, and the URL says so
  const lp = await login(ctx, 'jpn.liaison');
  assert.ok(!(await navLinks(lp)).includes('#/audit'));
  await go(lp, '#/audit');
  await lp.locator('[data-testid=not-allowed]').waitFor();
  assert.equal((await apiIn(lp, '/events?limit=1')).status, 403);
});

// (these two come last: the second hub's leg is a KOR event, and the audit
// feed test above expects its newest KOR event to be a pre-clearance)
test('arrivals by hour: each hub and hour as the API counts them, a filter once there are two hubs', async (ctx) => {
  const page = await login(ctx, 'kor.immigration');
  await go(page, '#/clearance');
  const sec = page.locator('[data-testid=arrivals-hours]');
  const check = async () => {
    const { body } = await apiIn(page, '/arrivals');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=arrivals-hub]').length === n, body.destinations.length);
    for (const d of body.destinations) {
      const hub = sec.locator(`[data-testid=arrivals-hub][data-destination="${d.destination}"]`);
      assert.equal(await hub.locator('tbody tr').count(), d.buckets.length, `${d.destination}: one row an hour`);
      for (const b of d.buckets) {
        const tr = hub.locator(`tbody tr[data-hour="${b.hour || ''}"]`);
        assert.equal(Number((await tr.locator('[data-k=people]').textContent()).replace(/\D/g, '')), b.people, `${d.destination} ${b.hour}`);
        // the bucket is the sum of its legs (as the arrivals list counts them)
        assert.equal(b.legs.reduce((s, id) => s + body.arrivals.find((l) => l.id === id).people, 0), b.people);
        const nat = await tr.locator('[data-k=by_nationality]').textContent();
        for (const [k, n] of Object.entries(b.by_nationality)) if (n > 0) assert.ok(nat.includes(`${k} ${n.toLocaleString('en')}`), `${k} ${n} in "${nat}"`);
        for (const [k, n] of Object.entries(b.needs)) {
          assert.equal(await tr.locator(`[data-need=${k}]`).count(), n > 0 ? 1 : 0, `need ${k}`);
          if (n > 0) assert.match(await tr.locator(`[data-need=${k}]`).textContent(), new RegExp(`\\b${n}$`));
        }
        assert.deepEqual(await tr.locator('[data-k=legs] li').evaluateAll((ls) => ls.map((l) => l.dataset.leg)), b.legs);
        if (b.hour) assert.match(await tr.locator('time').textContent(), new RegExp(`${Number(b.hour.slice(11, 13)) % 12 || 12}:00.*UTC`));
      }
    }
    return body;
  };
  const first = await check();
  const landing = first.destinations.flatMap((d) => d.buckets).reduce((s, b) => s + b.people, 0);
  assert.ok(landing > 0, 'the plan put people on legs to Korea');
  assert.equal(landing, Number(sql(`select count(*) from persons p join legs l on l.id=p.leg where l.destination_country='KOR'
    and l.status != 'cancelled' and p.status in ('allocated','notified','confirmed','checked_in','boarded','departed')`)[0][0]), 'everyone on the way to Korea');
  assert.equal(await page.locator('#arr-dest').count(), first.destinations.length > 1 ? 1 : 0, 'a filter only for several hubs');
  // a second Korean hub: the filter shows one of them
  const tok = await tokenOf('kor.officer');
  const departs = new Date(Date.now() + 3 * 86400e3);
  const res = await fetch(`${BASE}/api/v1/operations/${op()}/legs`, { method: 'POST', headers: { Authorization: 'Bearer ' + tok, 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'aircraft', vehicle: 'KC-330 GIMHAE', seats: 20, point: pointId('airport'), departs: departs.toISOString(),
      arrives: new Date(departs.getTime() + 11 * 3600e3).toISOString(), destination: 'Gimhae (RKPK)', destination_country: 'KOR', carries: ['KOR', 'JPN'] }) });
  assert.equal(res.status, 201, await res.text());
  await page.reload();
  await page.locator('#arr-dest').waitFor();
  const second = await check();
  assert.equal(second.destinations.length, first.destinations.length + 1);
  await page.selectOption('#arr-dest', 'Gimhae (RKPK)');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=arrivals-hub]').length === 1);
  const hub = sec.locator('[data-testid=arrivals-hub]');
  assert.equal(await hub.getAttribute('data-destination'), 'Gimhae (RKPK)');
  assert.match(await hub.textContent(), /KC-330 GIMHAE/);
  await sec.scrollIntoViewIfNeeded();
  await shot(page, 'clearance-by-hour');
  await page.setViewportSize({ width: 800, height: 1280 });
  await page.selectOption('#arr-dest', '');
  await page.waitForTimeout(200);
  await noHorizontalScroll(page, 'arrivals by hour at 800');
  await page.setViewportSize({ width: 1366, height: 768 });
});

test('arrivals by hour: an officer has them on the dashboard, field staff do not', async (ctx) => {
  const page = await login(ctx, 'kor.officer');
  const { body } = await apiIn(page, '/arrivals');
  const sec = page.locator('[data-testid=arrivals-hours]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=arrivals-hours] [data-testid=arrivals-hub]').length === n, body.destinations.length);
  for (const d of body.destinations) {
    const total = d.buckets.reduce((s, b) => s + b.people, 0);
    const shown = await sec.locator(`[data-testid=arrivals-hub][data-destination="${d.destination}"] tfoot [data-k=total]`).textContent();
    assert.equal(Number(shown.replace(/\D/g, '')), total, d.destination);
  }
  assert.ok(body.destinations.some((d) => d.buckets.some((b) => b.people > 0)), 'people are on the way');
  await sec.scrollIntoViewIfNeeded();
  await shot(page, 'dashboard-arrivals');
  await noHorizontalScroll(page, 'dashboard with arrivals at 1366');
  await page.setViewportSize({ width: 800, height: 1280 });
  await page.waitForTimeout(200);
  await noHorizontalScroll(page, 'dashboard with arrivals at 800');
  await page.setViewportSize({ width: 1366, height: 768 });
  const fp = await login(ctx, 'kor.field');
  await fp.locator('[data-testid=people-total]').waitFor();
  await fp.waitForTimeout(300);
  assert.equal(await fp.locator('[data-testid=arrivals-hours]').count(), 0);
});

test('arrivals by hour: empty and error states', async (ctx) => {
  const page = await login(ctx, 'kor.immigration');
  let answer = { status: 200, body: '{"country":"KOR","arrivals":[],"destinations":[]}' };
  await page.route('**/api/v1/arrivals', (route) => route.fulfill({ status: answer.status, contentType: 'application/json', body: answer.body }));
  await go(page, '#/clearance');
  await page.locator('[data-testid=arrivals-hours-empty]').waitFor();
  answer = { status: 503, body: '{"error":{"code":"unavailable","message":"try again"}}' };
  await page.reload();
  await page.locator('[data-testid=arrivals-hours-error]').waitFor();
  assert.match(await page.textContent('main > .error'), /unavailable/);
  assert.equal(await page.locator('[data-testid=arrivals-hub]').count(), 0);
});

test('ledger: all operations, the sum of each operation\'s ledger', async (ctx) => {
  const page = await login(ctx, 'kor.officer');
  await go(page, '#/ledger');
  await page.locator('[data-testid=ledger][data-scope=operation] tbody tr').first().waitFor();
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/ledger') && r.status() === 200), page.selectOption('#ledger-scope', 'all')]);
  const table = page.locator('[data-testid=ledger][data-scope=all]');
  await table.locator('tbody tr').first().waitFor();
  assert.equal(await page.evaluate(() => location.hash), '#/ledger/all');
  // the page's rows and totals against the operations' own ledgers, added up
  const { body } = await apiIn(page, '/ledger');
  assert.ok(body.operations.length >= 1);
  const want = {};
  for (const id of body.operations) {
    for (const r of (await apiIn(page, `/operations/${id}/ledger`)).body.ledger) {
      const w = (want[`${r.carrier}>${r.nationality}`] ||= { planned: 0, at_point: 0, carried: 0 });
      for (const k of ['planned', 'at_point', 'carried']) w[k] += r[k];
    }
  }
  const num = async (loc) => Number((await loc.textContent()).replace(/\D/g, ''));
  assert.equal(await table.locator('tbody tr').count(), Object.keys(want).length);
  const total = { planned: 0, at_point: 0, carried: 0 };
  for (const [key, w] of Object.entries(want)) {
    const [carrier, nationality] = key.split('>');
    const tr = table.locator(`tbody tr[data-carrier=${carrier}][data-nationality=${nationality}]`);
    for (const k of Object.keys(w)) {
      assert.equal(await num(tr.locator(`[data-k=${k}]`)), w[k], `${key} ${k}`);
      total[k] += w[k];
    }
  }
  assert.ok(total.planned + total.at_point + total.carried > 0);
  for (const k of Object.keys(total)) assert.equal(await num(table.locator(`tfoot [data-k=${k}]`)), total[k], `total ${k}`);
  assert.equal(await page.getAttribute('[data-testid=ledger-operations]', 'data-n'), String(body.operations.length));
  assert.equal(await page.locator('[data-testid=fare-form]').count(), 0, 'fare policies are set per operation');
  assert.equal(await table.locator('thead th').count(), 7, 'no policy column');
  await shot(page, 'ledger-all');
  await noHorizontalScroll(page, 'ledger, all operations, at 1366');
  // the URL keeps the scope; back to this operation
  await page.reload();
  await table.locator('tbody tr').first().waitFor();
  await page.selectOption('#ledger-scope', '');
  await page.locator('[data-testid=ledger][data-scope=operation]').waitFor();
  await page.locator('[data-testid=fare-form]').waitFor();
});

// --- runner ----------------------------------------------------------------
const profile = mkdtempSync(join(tmpdir(), 'muster-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1366, height: 768 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
ctx.setDefaultTimeout(15000);
// nothing may leave the origin: the field has no network
const outside = [];
ctx.on('request', (r) => { const u = r.url(); if (!u.startsWith(BASE) && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u); });
const errors = [];
ctx.on('page', (p) => p.on('pageerror', (e) => errors.push(e.message)));

let failed = 0;
const lines = [];
const only = process.argv[2];
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  const start = Date.now();
  try {
    await t.fn(ctx);
    assert.deepEqual(errors, [], 'no script errors in the page');
    assert.deepEqual(outside, [], 'no request leaves the origin');
    console.log(`ok   ${KIND} ${t.name} (${((Date.now() - start) / 1000).toFixed(1)}s)`);
    lines.push(`${KIND} ${t.name.replace(/[^A-Za-z0-9]+/g, '_')} 1 0`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${KIND} ${t.name}: ${err.message}`);
    for (const p of ctx.pages()) {
      try { await p.screenshot({ path: join(ART, `FAIL-${t.name.replace(/\W+/g, '_')}-${ctx.pages().indexOf(p)}.png`) }); } catch { /* closed */ }
    }
    lines.push(`${KIND} ${t.name.replace(/[^A-Za-z0-9]+/g, '_')} 0 1`);
  }
  errors.length = 0;
  outside.length = 0;
  for (const p of ctx.pages()) await p.close();
}
await ctx.close();
rmSync(profile, { recursive: true, force: true });
if (RESULTS) writeFileSync(RESULTS, lines.join('\n') + '\n', { flag: 'a' });
process.exit(failed ? 1 : 0);

// desk.js — the check-in desk. A focused text area takes the MRZ as a passport
// reader types it (2 or 3 lines); Enter after the last line looks the
// document up (POST /checkins with dry_run: nothing written). The answer
// shows in one glance: who, their household (here / missing), leg and gate
// time, or why they cannot proceed (the 422 error code). One key confirms:
// Enter on the empty box checks the person in (201: on disk). Keyboard
// only: Enter looks up / confirms, Escape clears, Alt+W opens the walk-in
// form.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { api } from '../api.js';
import { t, tc, fmtTime } from '../i18n.js';

// True when the text holds a whole MRZ: TD3 (2×44), TD2/MRV (2×36 or 2×44) or TD1 (3×30).
export function mrzComplete(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length === 2) return lines.every((l) => l.length >= 36);
  if (lines.length === 3) return lines.every((l) => l.length >= 30);
  return false;
}

function Household({ members }) {
  if (!members || members.length === 0) return null;
  const here = members.filter((m) => m.here).length;
  return html`<div class="desk-household"><h3>${t('desk.household', { here, total: members.length })}</h3>
    <ul>${members.map((m) => html`<li class=${m.here ? 'here' : 'missing'} data-testid="member">
      <span class="mark" aria-hidden="true">${m.here ? '✔' : '✖'}</span>${' '}${m.surname}, ${m.given_names} <span class="state">${m.here ? t('desk.here') : t('desk.missing')}</span></li>`)}</ul></div>`;
}

function Leg({ leg }) {
  if (!leg) return html`<p class="desk-leg muted">${t('desk.no_leg')}</p>`;
  return html`<div class="desk-leg" data-testid="desk-leg">
    <div><strong>${leg.vehicle || leg.kind}</strong> → ${leg.destination}</div>
    <div>${t('desk.departs')} ${fmtTime(leg.departs)}</div>
    <div class="gate">${t('desk.gate_closes')} <strong>${fmtTime(leg.gate_closes)}</strong></div></div>`;
}

function Outcome({ out, points, onConfirm, busy }) {
  if (!out) return html`<div class="desk-outcome idle" aria-live="polite"><p>${t('desk.waiting')}</p></div>`;
  const ok = out.ok;
  const p = out.person;
  const cls = out.ready ? 'ready' : ok ? 'ok' : 'stop';
  return html`<div class=${'desk-outcome ' + cls} role="status" aria-live="assertive" data-testid="desk-outcome"
      data-code=${out.ready ? 'ready' : ok ? 'checked_in' : out.code}>
    <p class="verdict">${out.ready ? t('desk.ready') : ok ? t('desk.ok') : tc('checkin', out.code)}</p>
    ${out.ready && html`<button class="primary confirm" onClick=${onConfirm} disabled=${busy} data-testid="desk-confirm">${t('desk.confirm')}</button>`}
    ${!ok && out.code === 'wrong_point' && out.leg && html`<p class="goto" data-testid="desk-goto">${t('desk.send_to')}${' '}
      <strong>${(points.find((x) => x.id === out.leg.point) || {}).name || out.leg.point}</strong></p>`}
    ${!ok && out.message && html`<p class="detail">${out.message}</p>`}
    ${out.suggestion && html`<p class="detail">${t('desk.suggestion')} <code>${out.suggestion.join(' / ')}</code></p>`}
    ${p && html`<p class="who" data-testid="desk-who">${p.surname}, ${p.given_names}
      <span class="meta">${p.nationality} · ${p.birth_date}${p.document ? ' · ' + p.document.number : ''}</span></p>`}
    <${Household} members=${out.household} />
    ${p && html`<${Leg} leg=${out.leg} />`}
  </div>`;
}

function WalkIn({ op, point, onDone }) {
  const [f, setF] = useState({ surname: '', given_names: '', nationality: '', sex: 'X', birth_date: '', number: '', issuing_state: '', expiry: '' });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  async function submit(e) {
    e.preventDefault();
    setError(null);
    const person = { surname: f.surname.toUpperCase(), given_names: f.given_names.toUpperCase(), nationality: f.nationality.toUpperCase(), sex: f.sex };
    if (f.birth_date) person.birth_date = f.birth_date;
    if (f.number) person.document = { type: 'P', number: f.number.toUpperCase(), issuing_state: (f.issuing_state || f.nationality).toUpperCase(), expiry: f.expiry };
    try {
      const d = await api(`/operations/${op}/walkins`, { method: 'POST', body: { point, person } });
      onDone({ ok: true, person: d.person, household: d.household, leg: d.leg });
    } catch (err) { setError(err); }
  }
  const input = (k, label, attrs = {}) => html`<div class="wf"><label for=${'wi-' + k}>${t(label)}</label>
    <input id=${'wi-' + k} value=${f[k]} onInput=${set(k)} ...${attrs} /></div>`;
  return html`<form class="card walkin" onSubmit=${submit} aria-labelledby="wi-title">
    <h2 id="wi-title">${t('desk.walkin')}</h2>
    <div class="wgrid">
      ${input('surname', 'person.surname', { required: true, autofocus: true })}
      ${input('given_names', 'person.given_names')}
      ${input('nationality', 'person.nationality', { required: true, maxlength: 3, pattern: '[A-Za-z]{3}' })}
      <div class="wf"><label for="wi-sex">${t('person.sex')}</label>
        <select id="wi-sex" value=${f.sex} onChange=${set('sex')}><option value="F">F</option><option value="M">M</option><option value="X">X</option></select></div>
      ${input('birth_date', 'person.birth_date', { type: 'date' })}
      ${input('number', 'person.document_number')}
      ${input('issuing_state', 'person.issuing_state', { maxlength: 3 })}
      ${input('expiry', 'person.expiry', { type: 'date' })}
    </div>
    <${ErrorBox} error=${error} />
    <button type="submit" class="primary">${t('desk.walkin_submit')}</button>
  </form>`;
}

export function Desk({ me, op }) {
  const [points, setPoints] = useState([]);
  const [point, setPoint] = useState('');
  const [text, setText] = useState('');
  const [out, setOut] = useState(null);
  const [pending, setPending] = useState(null); // the MRZ looked up, waiting for its confirm key
  const [busy, setBusy] = useState(false);
  const [walkin, setWalkin] = useState(false);
  const [error, setError] = useState(null);
  const area = useRef(null);
  useEffect(() => {
    api(`/operations/${op}/points`).then((d) => {
      setPoints(d.points);
      const mine = me.points && me.points.length ? me.points[0] : (d.points.find((p) => p.kind === 'airport') || d.points[0] || {}).id;
      setPoint(mine || '');
    }, setError);
  }, [op]);
  useEffect(() => {
    const onKey = (e) => {
      if (e.altKey && (e.key === 'w' || e.key === 'W')) { e.preventDefault(); setWalkin((w) => !w); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => { if (!walkin && area.current) area.current.focus(); }, [walkin, out]);

  function showError(err) {
    const b = err.body || {};
    setOut({ ok: false, code: err.status === 404 ? 'not_found' : err.code, message: err.message,
      person: b.person, household: b.household, leg: b.leg, suggestion: b.suggestion });
  }
  // a scan: look the document up, write nothing
  async function lookUp(mrz) {
    setBusy(true);
    setPending(null);
    try {
      const d = await api(`/operations/${op}/checkins`, { method: 'POST', body: { point, mrz, dry_run: true } });
      setOut({ ready: true, person: d.person, household: d.household, leg: d.leg });
      setPending(mrz);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
      setText('');
    }
  }
  // the confirm key: check the person looked up in
  async function confirm() {
    if (!pending) return;
    const mrz = pending;
    setBusy(true);
    setPending(null);
    try {
      const d = await api(`/operations/${op}/checkins`, { method: 'POST', body: { point, mrz } });
      setOut({ ok: true, person: d.person, household: d.household, leg: d.leg });
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  }
  function onKeyDown(e) {
    if (e.key === 'Escape') { setText(''); setOut(null); setPending(null); return; }
    if (e.key !== 'Enter') return;
    const v = e.target.value.trim();
    if (!v && pending) { e.preventDefault(); confirm(); return; }
    if (e.ctrlKey || mrzComplete(e.target.value)) {
      e.preventDefault();
      if (v) lookUp(v);
    }
  }
  const pointName = (points.find((p) => p.id === point) || {}).name;
  return html`<h1>${t('nav.desk')}${pointName ? html` <span class="muted">· ${pointName}</span>` : ''}</h1>
    <${ErrorBox} error=${error} />
    <div class="desk">
      <div class="desk-input card">
        <label for="desk-point">${t('desk.point')}</label>
        <select id="desk-point" value=${point} onChange=${(e) => setPoint(e.target.value)}>
          ${points.map((p) => html`<option value=${p.id}>${p.name}</option>`)}
        </select>
        <label for="desk-mrz">${t('desk.mrz_label')}</label>
        <textarea id="desk-mrz" ref=${area} rows="3" spellcheck="false" autocomplete="off" autocapitalize="characters"
          value=${text} onInput=${(e) => setText(e.target.value)} onKeyDown=${onKeyDown} disabled=${busy}
          aria-describedby="desk-keys"></textarea>
        <p id="desk-keys" class="muted small">${t('desk.keys')}</p>
        <button type="button" onClick=${() => setWalkin(!walkin)} aria-expanded=${walkin}>${t('desk.walkin')} (Alt+W)</button>
      </div>
      <${Outcome} out=${out} points=${points} onConfirm=${confirm} busy=${busy} />
    </div>
    ${walkin && html`<${WalkIn} op=${op} point=${point} onDone=${(o) => { setOut(o); setPending(null); setWalkin(false); }} />`}`;
}

// clearance.js — pre-clearance by the arrival country's immigration.
// Incoming legs are the arrivals forecast (/arrivals); an officer pre-clears
// a leg (POST /legs/{leg}/clearance) or opens its decisions (GET), or uploads
// a PAXLST a carrier sent (POST /clearance/manifests). Each passenger's
// decision shows with its reasons and the matched watchlist entries; an open
// refer can be overridden to cleared or not cleared with a reason
// (POST /clearances/{id}/override), which the log records. Below, the
// same forecast by hour of arrival at each destination hub (arrivals.js).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { api } from '../api.js';
import { t, tc, fmtTime, fmtNum } from '../i18n.js';
import { ArrivalsByHour } from './arrivals.js';

const ORDER = { refer: 0, not_cleared: 1, cleared: 2 };

function Override({ c, onDone }) {
  const [to, setTo] = useState('cleared');
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const box = useRef(null);
  useEffect(() => { box.current && box.current.focus(); }, []);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await api(`/clearances/${encodeURIComponent(c.id)}/override`, { method: 'POST', body: { to, reason: reason.trim() } }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return html`<form class="override" onSubmit=${submit} data-testid="override-form"
      onKeyDown=${(e) => { if (e.key === 'Escape') { e.preventDefault(); onDone(null); } }}>
    <label for=${'ov-to-' + c.id}>${t('clr.override_to')}</label>
    <select id=${'ov-to-' + c.id} ref=${box} value=${to} onChange=${(e) => setTo(e.target.value)}>
      <option value="cleared">${tc('decision', 'cleared')}</option>
      <option value="not_cleared">${tc('decision', 'not_cleared')}</option>
    </select>
    <label for=${'ov-reason-' + c.id}>${t('clr.override_reason')}</label>
    <input id=${'ov-reason-' + c.id} required value=${reason} onInput=${(e) => setReason(e.target.value)} />
    <button type="submit" class="primary" disabled=${busy || !reason.trim()}>${t('clr.override_save')}</button>
    <button type="button" onClick=${() => onDone(null)}>${t('edit.cancel')}</button>
    <${ErrorBox} error=${error} />
  </form>`;
}

function Row({ c, onOverridden }) {
  const [open, setOpen] = useState(false);
  const btn = useRef(null);
  const note = useRef(null);
  const justDone = useRef(false);
  const openRefer = c.decision === 'refer' && !c.overridden_from;
  // keyboard: focus goes back to the button on Esc, to the recorded override after Enter
  useEffect(() => {
    if (justDone.current && note.current) { justDone.current = false; note.current.focus(); }
  }, [c.overridden_from]);
  function done(nc) {
    setOpen(false);
    if (nc) { justDone.current = true; onOverridden(nc); } else setTimeout(() => btn.current && btn.current.focus(), 0);
  }
  return html`<tr data-clearance=${c.id} data-decision=${c.decision} data-document=${c.document || ''}>
    <td><strong>${c.surname}</strong>, ${c.given_names}<div class="muted small">${c.nationality} · ${c.birth_date || '—'} · ${c.document || '—'}</div></td>
    <td><span class=${'tag dec-' + c.decision}>${tc('decision', c.decision)}</span>
      <div class="muted small">${tc('basis', c.basis)}</div></td>
    <td><ul class="reasons">${(c.reasons || []).map((r) => html`<li><span class=${'sev sev-' + r.severity}>${tc('clr.reason', r.code)}</span>
      <div class="muted small">${r.text}</div></li>`)}</ul></td>
    <td>${(c.hits || []).length === 0 ? '—' : html`<ul class="reasons" data-testid="hits">${c.hits.map((h) => html`<li>
      <strong>${h.entry}</strong> · ${t('clr.score', { n: h.score })}<div class="muted small">${h.why}</div></li>`)}</ul>`}</td>
    <td>${c.overridden_from ? html`<div data-testid="override" tabindex="-1" ref=${note}>${t('clr.overridden', { from: tc('decision', c.overridden_from), by: c.override_by || '' })}
        <div class="muted small">“${c.override_reason}”</div></div>`
      : openRefer ? (open ? html`<${Override} c=${c} onDone=${done} />`
        : html`<button ref=${btn} data-testid="override-open" onClick=${() => setOpen(true)}
            aria-label=${t('clr.override_for', { name: `${c.surname}, ${c.given_names}` })}>${t('clr.override')}</button>`) : ''}</td>
  </tr>`;
}

// The current decision per passenger: a leg pre-cleared twice lists both
// rounds, and the API documents that the later one (later in its list order)
// wins. Returns [current, how many earlier ones were replaced].
function current(decisions) {
  const latest = new Map();
  for (const c of decisions) latest.set(c.person || c.document || c.id, c);
  return [[...latest.values()], decisions.length - latest.size];
}

// A leg's (or an upload's) decisions: totals, a filter, one row a passenger.
function Decisions({ d, title, onOverridden }) {
  const [only, setOnly] = useState('');
  const [now, replaced] = current(d.decisions);
  const rows = now.filter((c) => !only || c.decision === only)
    .sort((a, b) => ORDER[a.decision] - ORDER[b.decision] || a.surname.localeCompare(b.surname));
  const counts = { cleared: 0, refer: 0, not_cleared: 0 };
  for (const c of now) counts[c.decision]++;
  return html`<section class="card" data-testid="decisions" data-leg=${d.leg || ''} aria-labelledby="dec-title">
    <h2 id="dec-title">${title}</h2>
    <p class="totals" data-testid="totals">
      ${['cleared', 'refer', 'not_cleared'].map((k) => html`<span class=${'tag dec-' + k} data-k=${k}>${tc('decision', k)}: <strong>${fmtNum(counts[k])}</strong></span> `)}
      <label for="dec-only" class="inline">${t('clr.show')}</label>
      <select id="dec-only" value=${only} onChange=${(e) => setOnly(e.target.value)}>
        <option value="">${t('clr.all')}</option>
        ${['refer', 'not_cleared', 'cleared'].map((k) => html`<option value=${k}>${tc('decision', k)}</option>`)}
      </select></p>
    ${replaced > 0 && html`<p class="muted small" data-testid="replaced">${t('clr.replaced', { n: fmtNum(replaced) })}</p>`}
    ${d.decisions.length === 0 ? html`<p class="muted" data-testid="no-decisions">${t('clr.none')}</p>` : html`
    <table class="list clearance">
      <thead><tr><th>${t('person.name')}</th><th>${t('clr.decision')}</th><th>${t('clr.reasons')}</th><th>${t('clr.hits')}</th><th>${t('clr.override_col')}</th></tr></thead>
      <tbody>${rows.map((c) => html`<${Row} key=${c.id} c=${c} onOverridden=${onOverridden} />`)}</tbody>
    </table>`}
  </section>`;
}

export function Clearance({ leg }) {
  const [arrivals, setArrivals] = useState(null);
  const [destinations, setDestinations] = useState(null);
  const [arrError, setArrError] = useState(null);
  const [shown, setShown] = useState(null); // {leg, decisions} of the open leg or upload
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState('');
  const [error, setError] = useState(null);
  const [file, setFile] = useState(null);
  // only the latest request may fill the table (a slow earlier leg must not replace the one asked for)
  const latest = useRef(0);
  useEffect(() => {
    api('/arrivals').then((d) => { setArrivals(d.arrivals); setDestinations(d.destinations || []); },
      (err) => { setError(err); setArrError(err); setArrivals([]); setDestinations([]); });
  }, []);
  const legName = (id) => {
    const l = (arrivals || []).find((x) => x.id === id);
    return l ? `${l.vehicle || l.kind} (${l.operator}) · ${fmtTime(l.departs)}` : id;
  };
  async function run(id, method) {
    const mine = ++latest.current;
    setBusy(id + method);
    setError(null);
    try {
      const d = await api(`/legs/${encodeURIComponent(id)}/clearance`, { method });
      if (mine !== latest.current) return;
      setShown(d);
      setTitle(t('clr.results_for', { leg: legName(id) }));
      history.replaceState(null, '', `#/clearance/${encodeURIComponent(id)}`);
    } catch (err) {
      if (mine === latest.current) setError(err);
    } finally {
      if (mine === latest.current) setBusy('');
    }
  }
  // a leg in the URL (after a reload) opens its recorded decisions
  useEffect(() => { if (leg && arrivals) run(leg, 'GET'); }, [leg, arrivals === null]);
  async function upload(e) {
    e.preventDefault();
    if (!file) return;
    const mine = ++latest.current;
    setBusy('upload');
    setError(null);
    try {
      const text = await file.text();
      const d = await api('/clearance/manifests', { method: 'POST', raw: text, type: 'application/edifact' });
      if (mine !== latest.current) return;
      setShown({ leg: '', upload: file.name, decisions: d.decisions });
      setTitle(t('clr.results_upload', { file: file.name }));
    } catch (err) {
      if (mine === latest.current) setError(err);
    } finally {
      if (mine === latest.current) setBusy('');
    }
  }
  function overridden(nc) {
    setShown((s) => ({ ...s, decisions: s.decisions.map((c) => (c.id === nc.id ? { ...c, ...nc } : c)) }));
  }
  return html`<h1>${t('nav.clearance')}</h1>
    <p class="muted">${t('clr.intro')}</p>
    <${ErrorBox} error=${error} />
    <div class="cols clr-top">
      <section class="card" aria-labelledby="arr-title"><h2 id="arr-title">${t('clr.incoming')}</h2>
        ${arrivals === null ? html`<p aria-busy="true">${t('common.loading')}</p>`
          : arrivals.length === 0 ? html`<p class="muted">${t('clr.no_arrivals')}</p>` : html`
        <table class="list" data-testid="arrivals">
          <thead><tr><th>${t('man.leg')}</th><th>${t('man.departs')}</th><th>${t('man.arrives')}</th><th>${t('clr.people')}</th><th></th></tr></thead>
          <tbody>${arrivals.map((l) => html`<tr key=${l.id} data-leg=${l.id}>
            <td><strong>${l.vehicle || l.kind}</strong> <span class="muted">${l.operator} · ${l.destination}</span></td>
            <td>${fmtTime(l.departs)}</td>
            <td>${l.arrives ? fmtTime(l.arrives) : '—'}</td>
            <td class="num">${fmtNum(l.people)}<div class="muted small">${Object.entries(l.by_nationality || {}).map(([k, v]) => `${k} ${v}`).join(' · ')}</div></td>
            <td class="dl"><button class="primary" data-action="run" disabled=${!!busy} onClick=${() => run(l.id, 'POST')}
                aria-label=${t('clr.run_for', { leg: l.vehicle || l.id })}>${t('clr.run')}</button>
              <button data-action="open" disabled=${!!busy} onClick=${() => run(l.id, 'GET')}
                aria-label=${t('clr.open_for', { leg: l.vehicle || l.id })}>${t('clr.open')}</button></td>
          </tr>`)}</tbody>
        </table>`}
      </section>
      <form class="card" onSubmit=${upload} aria-labelledby="up-title">
        <h2 id="up-title">${t('clr.upload')}</h2>
        <p class="muted small">${t('clr.upload_note')}</p>
        <label for="clr-file">${t('clr.file')}</label>
        <input id="clr-file" type="file" accept=".edi,.txt,.paxlst,application/edifact,text/plain"
          onChange=${(e) => setFile(e.target.files[0] || null)} />
        <div class="actions"><button type="submit" class="primary" disabled=${!file || !!busy} data-testid="upload">${t('clr.upload_submit')}</button></div>
      </form>
    </div>
    ${busy && html`<p aria-busy="true" class="muted">${t('clr.working')}</p>`}
    ${shown && html`<${Decisions} key=${shown.leg || shown.upload} d=${shown} title=${title} onOverridden=${overridden} />`}
    <${ArrivalsByHour} destinations=${destinations} arrivals=${arrivals} error=${arrError} />`;
}

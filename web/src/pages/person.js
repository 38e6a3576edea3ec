// person.js — one person (full or partner view, as the API gives it), their
// household, the edit form (PATCH /persons/{id}, shown when the role may edit
// the registry; the API still refuses another nation's registrant) and their
// status history from the event log (GET /persons/{id}/history).
// A person the caller may not see answers 404: shown as not found.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { api, may } from '../api.js';
import { t, tc, fmtTime } from '../i18n.js';

const NEEDS = ['stretcher', 'assisted', 'pregnant', 'unaccompanied_minor'];
const TEXT = ['surname', 'given_names', 'native_name', 'phone', 'email', 'address'];

function Field({ k, v }) {
  if (v === undefined) return null;
  return html`<div class="field"><dt>${t(k)}</dt><dd>${v === null || v === '' ? '—' : v}</dd></div>`;
}

// The form's values from a person (every value a string or a boolean).
function formOf(p) {
  const d = p.document || {};
  const f = { sex: p.sex || 'X', birth_date: p.birth_date || '', doc_type: d.type || 'P', doc_number: d.number || '',
    doc_state: d.issuing_state || '', doc_expiry: d.expiry || '', priority_override: p.priority_override || '',
    consent: !!p.consent };
  for (const k of TEXT) f[k] = p[k] || '';
  for (const n of NEEDS) f['need_' + n] = (p.needs || []).includes(n);
  return f;
}

// The PATCH body: only the fields that changed (an emptied field is null).
function changes(was, f) {
  const b = {};
  const val = (s) => (s.trim() === '' ? null : s.trim());
  for (const k of [...TEXT, 'sex', 'birth_date', 'priority_override']) if (f[k] !== was[k]) b[k] = val(f[k]);
  if (['doc_type', 'doc_number', 'doc_state', 'doc_expiry'].some((k) => f[k] !== was[k])) {
    b.document = { type: f.doc_type, number: val(f.doc_number), issuing_state: val(f.doc_state), expiry: val(f.doc_expiry) };
  }
  if (NEEDS.some((n) => f['need_' + n] !== was['need_' + n])) b.needs = NEEDS.filter((n) => f['need_' + n]);
  if (f.consent !== was.consent) b.consent = f.consent;
  return b;
}

function EditForm({ p, onSaved, onCancel }) {
  const was = formOf(p);
  const [f, setF] = useState(was);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const first = useRef(null);
  useEffect(() => { first.current && first.current.focus(); }, []);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  async function submit(e) {
    e.preventDefault();
    const body = changes(was, f);
    if (Object.keys(body).length === 0) { onCancel(); return; }
    setBusy(true);
    setError(null);
    try {
      onSaved(await api(`/persons/${encodeURIComponent(p.id)}`, { method: 'PATCH', body }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const input = (k, key, attrs = {}) => html`<div class="wf"><label for=${'ed-' + k}>${t(key)}</label>
    <input id=${'ed-' + k} value=${f[k]} onInput=${set(k)} ...${attrs} /></div>`;
  return html`<form class="card edit" onSubmit=${submit} aria-labelledby="ed-title" data-testid="edit-form"
      onKeyDown=${(e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } }}>
    <h2 id="ed-title">${t('edit.title')}</h2>
    <p class="muted small">${t('edit.note')}</p>
    <div class="wgrid">
      <div class="wf"><label for="ed-surname">${t('person.surname')}</label>
        <input id="ed-surname" ref=${first} required value=${f.surname} onInput=${set('surname')} /></div>
      ${input('given_names', 'person.given_names')}
      ${input('native_name', 'edit.native_name')}
      <div class="wf"><label for="ed-sex">${t('person.sex')}</label>
        <select id="ed-sex" value=${f.sex} onChange=${set('sex')}><option value="F">F</option><option value="M">M</option><option value="X">X</option></select></div>
      ${input('birth_date', 'person.birth_date', { type: 'date' })}
      <div class="wf"><label for="ed-doc_type">${t('edit.doc_type')}</label>
        <select id="ed-doc_type" value=${f.doc_type} onChange=${set('doc_type')}>
          ${['P', 'I', 'E'].map((d) => html`<option value=${d}>${t('doc.' + d)}</option>`)}</select></div>
      ${input('doc_number', 'person.document_number')}
      ${input('doc_state', 'person.issuing_state', { maxlength: 3 })}
      ${input('doc_expiry', 'person.expiry', { type: 'date' })}
      ${input('phone', 'person.phone', { type: 'tel' })}
      ${input('email', 'person.email', { type: 'email' })}
      ${input('address', 'person.address')}
      <div class="wf"><label for="ed-priority_override">${t('edit.priority_override')}</label>
        <select id="ed-priority_override" value=${f.priority_override} onChange=${set('priority_override')}>
          <option value="">${t('edit.priority_auto')}</option>
          ${['critical', 'vulnerable', 'standard'].map((x) => html`<option value=${x}>${tc('priority', x)}</option>`)}</select></div>
    </div>
    <fieldset class="needs"><legend>${t('person.needs')}</legend>
      ${NEEDS.map((n) => html`<label class="check-inline"><input type="checkbox" id=${'ed-need-' + n}
        checked=${f['need_' + n]} onChange=${set('need_' + n)} /> ${tc('need', n)}</label>`)}
    </fieldset>
    <label class="check"><input type="checkbox" id="ed-consent" checked=${f.consent} onChange=${set('consent')} /> ${t('person.consent')}</label>
    <${ErrorBox} error=${error} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy} data-testid="edit-save">${t('edit.save')}</button>
      <button type="button" onClick=${onCancel}>${t('edit.cancel')}</button>
      <span class="muted small">${t('edit.keys')}</span>
    </div>
  </form>`;
}

// What changed in one history event, in words.
function change(e) {
  if (e.type === 'person.status' || e.type === 'household.registered') {
    return html`${e.from ? html`${tc('status', e.from)} → ` : ''}<strong>${tc('status', e.to)}</strong>`;
  }
  if (e.type === 'clearance.decided') return html`${tc('decision', e.decision)} <span class="muted">(${tc('basis', e.basis)})</span>`;
  if (e.type === 'clearance.overridden') return html`→ <strong>${tc('decision', e.decision)}</strong>`;
  if (e.type === 'person.moved') return html`${e.from_household || ''} → ${e.household || ''}`;
  if (e.type === 'person.updated') return t('hist.updated');
  return '';
}

function History({ h }) {
  if (!h) return html`<p aria-busy="true">${t('common.loading')}</p>`;
  if (h.events.length === 0) return html`<p class="muted">${t('hist.none')}</p>`;
  return html`<table class="list" data-testid="history" data-n=${h.events.length}>
      <thead><tr><th>${t('audit.time')}</th><th>${t('audit.event')}</th><th>${t('hist.change')}</th><th>${t('person.leg')}</th><th>${t('audit.actor')}</th></tr></thead>
      <tbody>${h.events.map((e) => html`<tr key=${e.id} data-type=${e.type}>
        <td>${fmtTime(e.time)}</td><td>${tc('event', e.type)}</td><td>${change(e)}</td>
        <td>${e.leg || '—'}</td><td>${e.actor || html`<span class="muted">${t('hist.other_nation')}</span>`}</td></tr>`)}</tbody>
    </table>
    ${h.truncated && html`<p class="muted small">${t('hist.truncated')}</p>`}`;
}

export function PersonView({ id, me }) {
  const [p, setP] = useState(null);
  const [hh, setHh] = useState(null);
  const [hist, setHist] = useState(null);
  const [error, setError] = useState(null);
  const [histError, setHistError] = useState(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const editBtn = useRef(null);
  async function loadHistory() {
    try { setHist(await api(`/persons/${encodeURIComponent(id)}/history`)); } catch (err) { setHistError(err); }
  }
  useEffect(() => {
    (async () => {
      try {
        const person = await api(`/persons/${encodeURIComponent(id)}`);
        setP(person);
        loadHistory();
        setHh(await api(`/households/${encodeURIComponent(person.household)}`));
      } catch (err) { setError(err); }
    })();
  }, [id]);
  if (error && error.status === 404) {
    return html`<h1>${t('person.title')}</h1><p class="error" role="alert" data-testid="not-found">${t('person.not_found')}</p>
      <p><a href="#/registry">${t('person.back')}</a></p>`;
  }
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!p) return html`<p aria-busy="true">${t('common.loading')}</p>`;
  const doc = p.document;
  // the API decides; the button is offered only where it would say yes
  const canEdit = may(me, 'write_registry') && p.view === 'full' && p.nation === me.nation;
  function onSaved(np) {
    setP(np);
    setEditing(false);
    setSaved(true);
    setHist(null);
    loadHistory();
    setTimeout(() => editBtn.current && editBtn.current.focus(), 0);
  }
  function onCancel() {
    setEditing(false);
    setTimeout(() => editBtn.current && editBtn.current.focus(), 0);
  }
  return html`<h1 data-testid="person-name">${p.surname}, ${p.given_names} ${p.native_name ? html`<span class="muted">${p.native_name}</span>` : ''}</h1>
    <p><span class=${'tag view-' + p.view}>${tc('view', p.view)}</span> <span class="tag">${tc('status', p.status)}</span>
      ${canEdit && !editing && html` <button ref=${editBtn} data-testid="edit" onClick=${() => { setSaved(false); setEditing(true); }}>${t('edit.open')}</button>`}
      ${saved && html` <span class="ok-note" role="status" data-testid="saved">${t('edit.saved')}</span>`}</p>
    ${editing && html`<${EditForm} p=${p} onSaved=${onSaved} onCancel=${onCancel} />`}
    <div class="cols">
      <section class="card"><h2>${t('person.details')}</h2><dl class="fields" data-testid="person-fields">
        <${Field} k="person.nationality" v=${p.nationality} />
        <${Field} k="person.nation" v=${p.nation} />
        <${Field} k="person.sex" v=${p.sex} />
        <${Field} k="person.birth_date" v=${p.birth_date} />
        <${Field} k="person.document" v=${doc ? `${doc.type} ${doc.number} (${doc.issuing_state}) · ${t('person.expires')} ${doc.expiry}` : null} />
        <${Field} k="person.priority" v=${tc('priority', p.priority)} />
        <${Field} k="person.needs" v=${(p.needs || []).map((n) => tc('need', n)).join(', ')} />
        <${Field} k="person.leg" v=${p.leg} />
        <${Field} k="person.phone" v=${p.phone} />
        <${Field} k="person.email" v=${p.email} />
        <${Field} k="person.address" v=${p.address} />
        <${Field} k="person.location" v=${p.location ? `${p.location.lat.toFixed(4)}, ${p.location.lon.toFixed(4)}` : p.location} />
        <${Field} k="person.consent" v=${p.consent === undefined ? undefined : t(p.consent ? 'common.yes' : 'common.no')} />
      </dl></section>
      <section class="card"><h2>${t('person.household')}</h2>
        ${hh && html`<ul class="household">${hh.members.map((m) => html`<li key=${m.id}>
          ${m.id === p.id ? html`<strong>${m.surname}, ${m.given_names}</strong>` : html`<a href=${'#/person/' + m.id}>${m.surname}, ${m.given_names}</a>`}
          <span class="muted"> · ${m.birth_date} · ${tc('status', m.status)}</span></li>`)}</ul>`}
      </section>
    </div>
    <section class="card"><h2>${t('hist.title')}</h2>
      ${histError ? html`<${ErrorBox} error=${histError} />` : html`<${History} h=${hist} />`}
    </section>
    <p><a href="#/registry">${t('person.back')}</a></p>`;
}

// ledger.js — the reciprocity ledger of the operation (/operations/{op}/ledger):
// for each carrier nation and nationality carried, people planned, at the
// assembly point and carried, whether it is reciprocal, the carrier's fare
// policy now and what its carriages are charged (each at the policy in force
// when the person boarded, so one row may have several charges). A role that may write operations sets its own
// nation's fare policy (PUT /operations/{op}/fare, one fare.policy event).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { api, may } from '../api.js';
import { t, tc, fmtNum, lang } from '../i18n.js';

function money(amount, currency) {
  try {
    return new Intl.NumberFormat(lang(), { style: 'currency', currency }).format(amount);
  } catch {
    return `${fmtNum(amount)} ${currency || ''}`;
  }
}

function policyText(p) {
  if (!p || p.kind === 'free') return tc('fare', 'free');
  return `${tc('fare', p.kind)} · ${t('ledger.per_person', { amount: money(p.amount, p.currency) })}`;
}

function FareForm({ op, me, current, onSaved }) {
  const [f, setF] = useState({ kind: (current && current.kind) || 'free', amount: current && current.amount != null ? String(current.amount) : '',
    currency: (current && current.currency) || '', note: (current && current.note) || '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  const paid = f.kind !== 'free';
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = { kind: f.kind };
    if (paid) { body.amount = Number(f.amount); body.currency = f.currency.trim().toUpperCase(); }
    if (f.note.trim()) body.note = f.note.trim();
    try {
      await api(`/operations/${op}/fare`, { method: 'PUT', body });
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return html`<form class="card" onSubmit=${submit} aria-labelledby="fare-title" data-testid="fare-form">
    <h2 id="fare-title">${t('ledger.policy_of', { nation: me.nation })}</h2>
    <div class="wgrid">
      <div class="wf"><label for="fare-kind">${t('ledger.kind')}</label>
        <select id="fare-kind" value=${f.kind} onChange=${set('kind')}>
          ${['free', 'flat_fee', 'promissory_note'].map((k) => html`<option value=${k}>${tc('fare', k)}</option>`)}</select></div>
      <div class="wf"><label for="fare-amount">${t('ledger.amount')}</label>
        <input id="fare-amount" type="number" min="0" step="any" disabled=${!paid} required=${paid} value=${f.amount} onInput=${set('amount')} /></div>
      <div class="wf"><label for="fare-currency">${t('ledger.currency')}</label>
        <input id="fare-currency" maxlength="3" pattern="[A-Za-z]{3}" disabled=${!paid} required=${paid} value=${f.currency} onInput=${set('currency')} /></div>
      <div class="wf"><label for="fare-note">${t('ledger.note')}</label>
        <input id="fare-note" value=${f.note} onInput=${set('note')} /></div>
    </div>
    <${ErrorBox} error=${error} />
    <button type="submit" class="primary" disabled=${busy}>${t('ledger.save')}</button>
  </form>`;
}

export function Ledger({ op, me }) {
  const [d, setD] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(0);
  const latest = useRef(0);
  async function load() {
    const mine = ++latest.current;
    try {
      const r = await api(`/operations/${op}/ledger`);
      if (mine === latest.current) setD(r);
    } catch (err) {
      if (mine === latest.current) { setError(err); setD({ ledger: [] }); }
    }
  }
  useEffect(() => { load(); }, [op]);
  if (!d) return html`<h1>${t('nav.ledger')}</h1><p aria-busy="true">${t('common.loading')}</p>`;
  const rows = [...d.ledger].sort((a, b) => a.carrier.localeCompare(b.carrier) || a.nationality.localeCompare(b.nationality));
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  const own = rows.find((r) => r.carrier === me.nation);
  return html`<h1>${t('nav.ledger')}</h1>
    <p class="muted">${t('ledger.intro')}</p>
    <${ErrorBox} error=${error} />
    <table class="list" data-testid="ledger" data-saved=${saved}>
      <thead><tr><th>${t('ledger.carrier')}</th><th>${t('person.nationality')}</th><th class="num">${t('ledger.planned')}</th>
        <th class="num">${t('ledger.at_point')}</th><th class="num">${t('ledger.carried')}</th><th>${t('ledger.reciprocal')}</th>
        <th>${t('ledger.policy')}</th><th class="num">${t('ledger.charge')}</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr key=${r.carrier + '>' + r.nationality} data-carrier=${r.carrier} data-nationality=${r.nationality}>
        <td><strong>${r.carrier}</strong></td><td>${r.nationality}</td>
        <td class="num" data-k="planned">${fmtNum(r.planned)}</td><td class="num" data-k="at_point">${fmtNum(r.at_point)}</td>
        <td class="num" data-k="carried">${fmtNum(r.carried)}</td>
        <td>${r.reciprocal ? html`<span class="tag recip">${t('ledger.reciprocal_yes')}</span>` : html`<span class="muted">${t('ledger.own')}</span>`}</td>
        <td>${policyText(r.policy)}${r.policy && r.policy.note ? html`<div class="muted small">${r.policy.note}</div>` : ''}</td>
        <td class="num" data-k="charge">${(r.charges || []).length === 0 ? '—' : r.charges.map((c) => html`<div>${money(c.amount, c.currency)}<div class="muted small">${tc('fare', c.as)}</div></div>`)}</td>
      </tr>`)}</tbody>
      ${rows.length > 0 && html`<tfoot><tr><th colspan="2">${t('ledger.total')}</th><th class="num">${fmtNum(sum('planned'))}</th>
        <th class="num">${fmtNum(sum('at_point'))}</th><th class="num">${fmtNum(sum('carried'))}</th><th colspan="3"></th></tr></tfoot>`}
    </table>
    ${rows.length === 0 && html`<p class="muted" data-testid="ledger-empty">${t('ledger.none')}</p>`}
    <p class="muted small">${t('ledger.charge_note')}</p>
    ${may(me, 'write_operations') && html`<${FareForm} key=${saved} op=${op} me=${me} current=${own && own.policy}
      onSaved=${async () => { await load(); setSaved((x) => x + 1); }} />`}`;
}

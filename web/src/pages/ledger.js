// ledger.js — the reciprocity ledger of the operation (/operations/{op}/ledger):
// for each carrier nation and nationality carried, people planned, at the
// assembly point and carried, whether it is reciprocal, the carrier's fare
// policy now and what its carriages are charged (each at the policy in force
// when the person boarded, so one row may have several charges). A role that may write operations sets its own
// nation's fare policy (PUT /operations/{op}/fare, one fare.policy event).
// The scope "All operations" (#/ledger/all) shows the overall ledger
// (/ledger): the same rows summed over every operation the caller's nation
// runs or is a partner of, without the fare policy, which is per operation.
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

function LedgerTable({ rows, all, saved }) {
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  return html`<table class="list" data-testid="ledger" data-scope=${all ? 'all' : 'operation'} data-saved=${saved}>
      <thead><tr><th>${t('ledger.carrier')}</th><th>${t('person.nationality')}</th><th class="num">${t('ledger.planned')}</th>
        <th class="num">${t('ledger.at_point')}</th><th class="num">${t('ledger.carried')}</th><th>${t('ledger.reciprocal')}</th>
        ${!all && html`<th>${t('ledger.policy')}</th>`}<th class="num">${t('ledger.charge')}</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr key=${r.carrier + '>' + r.nationality} data-carrier=${r.carrier} data-nationality=${r.nationality}>
        <td><strong>${r.carrier}</strong></td><td>${r.nationality}</td>
        <td class="num" data-k="planned">${fmtNum(r.planned)}</td><td class="num" data-k="at_point">${fmtNum(r.at_point)}</td>
        <td class="num" data-k="carried">${fmtNum(r.carried)}</td>
        <td>${r.reciprocal ? html`<span class="tag recip">${t('ledger.reciprocal_yes')}</span>` : html`<span class="muted">${t('ledger.own')}</span>`}</td>
        ${!all && html`<td>${policyText(r.policy)}${r.policy && r.policy.note ? html`<div class="muted small">${r.policy.note}</div>` : ''}</td>`}
        <td class="num" data-k="charge">${(r.charges || []).length === 0 ? '—' : r.charges.map((c) => html`<div>${money(c.amount, c.currency)}<div class="muted small">${tc('fare', c.as)}</div></div>`)}</td>
      </tr>`)}</tbody>
      ${rows.length > 0 && html`<tfoot><tr><th colspan="2">${t('ledger.total')}</th><th class="num" data-k="planned">${fmtNum(sum('planned'))}</th>
        <th class="num" data-k="at_point">${fmtNum(sum('at_point'))}</th><th class="num" data-k="carried">${fmtNum(sum('carried'))}</th><th colspan=${all ? 2 : 3}></th></tr></tfoot>`}
    </table>`;
}

// "This operation" or "All operations": the choice is in the URL (#/ledger/all).
function Scope({ all }) {
  return html`<p class="scope"><label for="ledger-scope">${t('ledger.scope')}</label>
    <select id="ledger-scope" value=${all ? 'all' : ''} onChange=${(e) => { location.hash = e.target.value ? '#/ledger/all' : '#/ledger'; }}>
      <option value="">${t('ledger.scope_op')}</option>
      <option value="all">${t('ledger.scope_all')}</option>
    </select></p>`;
}

export function Ledger({ op, ops, me, scope }) {
  const all = scope === 'all';
  const [d, setD] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(0);
  const latest = useRef(0);
  async function load() {
    const mine = ++latest.current;
    const key = all ? 'all' : op;
    setError(null);
    try {
      const r = await api(all ? '/ledger' : `/operations/${op}/ledger`);
      if (mine === latest.current) setD({ ...r, key });
    } catch (err) {
      if (mine === latest.current) { setError(err); setD({ ledger: [], key }); }
    }
  }
  useEffect(() => { load(); }, [op, all]);
  // only the answer for the scope asked for (not the other one, still on screen)
  if (!d || d.key !== (all ? 'all' : op)) return html`<h1>${t('nav.ledger')}</h1><${Scope} all=${all} /><p aria-busy="true">${t('common.loading')}</p>`;
  const rows = [...d.ledger].sort((a, b) => a.carrier.localeCompare(b.carrier) || a.nationality.localeCompare(b.nationality));
  const own = rows.find((r) => r.carrier === me.nation);
  const opName = (id) => ((ops || []).find((o) => o.id === id) || { name: id }).name;
  return html`<h1>${t('nav.ledger')}</h1>
    <${Scope} all=${all} />
    <p class="muted">${t(all ? 'ledger.intro_all' : 'ledger.intro')}</p>
    ${all && d.operations && html`<p class="small" data-testid="ledger-operations" data-n=${d.operations.length}>${t('ledger.over', { n: fmtNum(d.operations.length) })}
      ${d.operations.map((id, i) => html`${i ? ' · ' : ' '}<span data-op=${id}>${opName(id)}</span>`)}</p>`}
    <${ErrorBox} error=${error} />
    <${LedgerTable} rows=${rows} all=${all} saved=${saved} />
    ${rows.length === 0 && html`<p class="muted" data-testid="ledger-empty">${t('ledger.none')}</p>`}
    <p class="muted small">${t(all ? 'ledger.charge_note_all' : 'ledger.charge_note')}</p>
    ${!all && may(me, 'write_operations') && html`<${FareForm} key=${saved} op=${op} me=${me} current=${own && own.policy}
      onSaved=${async () => { await load(); setSaved((x) => x + 1); }} />`}`;
}

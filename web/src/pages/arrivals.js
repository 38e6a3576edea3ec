// arrivals.js — the arrivals forecast by hour, for the arrival country's
// immigration and reception teams: the `destinations` of GET /arrivals, per
// destination hub one row per hour of arrival (UTC; legs without an arrival
// time last) with the people landing then (those the caller may see, not
// landed yet), by nationality and needs, and the legs landing in it. A
// filter picks one hub when there are several. The page that shows it loads
// /arrivals once and hands the answer in.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { t, tc, fmtNum, fmtHour, fmtTime } from '../i18n.js';

const NEEDS = ['stretcher', 'assisted', 'pregnant', 'unaccompanied_minor'];

const counts = (obj) => Object.entries(obj || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

function Bucket({ b, legOf }) {
  const needs = NEEDS.filter((k) => (b.needs || {})[k] > 0);
  return html`<tr data-hour=${b.hour || ''}>
    <td>${b.hour ? html`<time datetime=${b.hour}>${fmtHour(b.hour)}</time>` : html`<span class="muted">${t('arr.hour_unknown')}</span>`}</td>
    <td class="num" data-k="people"><strong>${fmtNum(b.people)}</strong></td>
    <td data-k="by_nationality">${counts(b.by_nationality).map(([k, n]) => html`<span class="cnt">${k} ${fmtNum(n)}</span> `)}</td>
    <td data-k="needs">${needs.length === 0 ? html`<span class="muted">—</span>`
      : needs.map((k) => html`<span class="cnt" data-need=${k}>${tc('need', k)} ${fmtNum(b.needs[k])}</span> `)}</td>
    <td data-k="legs"><ul class="arr-legs">${(b.legs || []).map((id) => {
      const l = legOf(id);
      return html`<li data-leg=${id}>${l ? html`<strong>${l.vehicle || l.kind}</strong> <span class="muted small">${l.operator} · ${l.arrives ? fmtTime(l.arrives) : '—'}</span>` : id}</li>`;
    })}</ul></td>
  </tr>`;
}

function Hub({ d, legOf }) {
  const total = d.buckets.reduce((s, b) => s + b.people, 0);
  return html`<div class="arr-hub" data-testid="arrivals-hub" data-destination=${d.destination}>
    <h3>${d.destination}${d.country ? html` <span class="muted small">${d.country}</span>` : ''}</h3>
    <table class="list arr-hours">
      <thead><tr><th>${t('arr.hour')}</th><th class="num">${t('arr.people')}</th><th>${t('person.nationality')}</th>
        <th>${t('person.needs')}</th><th>${t('arr.legs')}</th></tr></thead>
      <tbody>${d.buckets.map((b) => html`<${Bucket} key=${b.hour || 'unknown'} b=${b} legOf=${legOf} />`)}</tbody>
      <tfoot><tr><th>${t('ledger.total')}</th><th class="num" data-k="total">${fmtNum(total)}</th><th colspan="3"></th></tr></tfoot>
    </table>
  </div>`;
}

// destinations: the API's list (null while loading); arrivals: its legs (for
// their names); error: the load failed.
export function ArrivalsByHour({ destinations, arrivals, error }) {
  const [only, setOnly] = useState('');
  const legOf = (id) => (arrivals || []).find((l) => l.id === id);
  const hubs = (destinations || []).filter((d) => !only || d.destination === only);
  let body;
  if (error) body = html`<p class="muted" data-testid="arrivals-hours-error">${t('arr.unavailable')}${error.code ? ` (${error.code})` : ''}</p>`;
  else if (destinations === null) body = html`<p aria-busy="true">${t('common.loading')}</p>`;
  else if (destinations.length === 0) body = html`<p class="muted" data-testid="arrivals-hours-empty">${t('clr.no_arrivals')}</p>`;
  else body = hubs.map((d) => html`<${Hub} key=${d.destination} d=${d} legOf=${legOf} />`);
  return html`<section class="card" data-testid="arrivals-hours" aria-labelledby="arr-hours-title">
    <h2 id="arr-hours-title">${t('arr.by_hour')}</h2>
    <p class="muted small">${t('arr.by_hour_note')}</p>
    ${destinations && destinations.length > 1 && html`<p class="arr-filter"><label for="arr-dest">${t('arr.destination')}</label>
      <select id="arr-dest" value=${only} onChange=${(e) => setOnly(e.target.value)}>
        <option value="">${t('arr.all_destinations')}</option>
        ${destinations.map((d) => html`<option value=${d.destination}>${d.destination}</option>`)}
      </select></p>`}
    ${body}
  </section>`;
}

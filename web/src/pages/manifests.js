// manifests.js — per leg, download the manifest as CSV, crew PDF or PAXLST
// (/legs/{leg}/manifest?format=). The files hold what the API gives the caller.
import { useEffect, useState } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { api, download } from '../api.js';
import { t, fmtTime, fmtNum } from '../i18n.js';

const FORMATS = [['csv', 'CSV', 'csv'], ['pdf', 'PDF', 'pdf'], ['paxlst', 'PAXLST', 'edi']];

export function Manifests({ op }) {
  const [legs, setLegs] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => { api(`/operations/${op}/legs`).then((d) => setLegs(d.legs), setError); }, [op]);
  async function get(leg, fmt, ext) {
    setError(null);
    try { await download(`/legs/${leg.id}/manifest?format=${fmt}`, `${leg.id}.${ext}`); } catch (err) { setError(err); }
  }
  return html`<h1>${t('nav.manifests')}</h1>
    <${ErrorBox} error=${error} />
    <table class="list">
      <thead><tr><th>${t('man.leg')}</th><th>${t('man.departs')}</th><th>${t('man.destination')}</th><th>${t('man.seats')}</th><th>${t('man.download')}</th></tr></thead>
      <tbody>${legs.map((l) => html`<tr data-leg=${l.id}>
        <td><strong>${l.vehicle || l.kind}</strong> <span class="muted">${l.operator} · ${l.id}</span></td>
        <td>${fmtTime(l.departs)}${l.arrives ? html`<div class="muted small">${t('man.arrives')} ${fmtTime(l.arrives)}</div>` : ''}</td><td>${l.destination} (${l.destination_country})</td>
        <td class="num">${fmtNum(l.seats_taken)} / ${fmtNum(l.seats)}</td>
        <td class="dl">${FORMATS.map(([f, label, ext]) => html`<button onClick=${() => get(l, f, ext)}
          aria-label=${t('man.download_as', { format: label, leg: l.vehicle || l.id })} data-format=${f}>${label}</button>`)}</td>
      </tr>`)}</tbody>
    </table>`;
}

// audit.js — the audit feed: the newest events of the caller's nation as the
// API gives them (sealed personal fields already removed), optionally by type.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { latestEvents } from '../api.js';
import { t, fmtTime } from '../i18n.js';

// The event types of docs/events.md, offered as suggestions for the filter.
const TYPES = ['household.registered', 'person.status', 'person.updated', 'person.moved', 'person.erased', 'plan.recorded',
  'clearance.decided', 'clearance.overridden', 'fare.policy', 'operation.created', 'operation.updated', 'point.created',
  'point.updated', 'leg.created', 'leg.cancelled', 'user.created', 'user.disabled'];

export function Audit() {
  const [type, setType] = useState('');
  const [events, setEvents] = useState(null);
  const [shownType, setShownType] = useState('');
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(null);
  // only the latest request may fill the table (the unfiltered first load can answer after a filtered one)
  const latest = useRef(0);
  async function load() {
    const mine = ++latest.current;
    const want = type.trim();
    setError(null);
    try {
      const ev = await latestEvents(200, want || undefined);
      if (mine !== latest.current) return;
      setEvents(ev);
    } catch (err) {
      if (mine !== latest.current) return;
      setError(err); setEvents([]);
    }
    setShownType(want);
  }
  useEffect(() => { load(); }, []);
  return html`<h1>${t('nav.audit')}</h1>
    <form class="searchbar" onSubmit=${(e) => { e.preventDefault(); load(); }}>
      <label for="audit-type">${t('audit.type')}</label>
      <input id="audit-type" list="audit-types" value=${type} onInput=${(e) => setType(e.target.value)} placeholder="person.status" />
      <datalist id="audit-types">${TYPES.map((x) => html`<option value=${x} />`)}</datalist>
      <button type="submit" class="primary">${t('audit.filter')}</button>
    </form>
    <${ErrorBox} error=${error} />
    ${events && html`<p class="muted small">${t('audit.count', { n: events.length })}</p>
    <table class="list" data-testid="audit" data-type=${shownType}><thead><tr><th>#</th><th>${t('audit.time')}</th><th>${t('audit.actor')}</th><th>${t('audit.event')}</th><th></th></tr></thead>
      <tbody>${events.map((e) => html`<tr key=${e.id} data-type=${e.type}>
        <td class="num">${e.id}</td><td>${fmtTime(e.time)}</td><td>${e.actor}</td><td><code>${e.type}</code></td>
        <td><button class="linkish" aria-expanded=${open === e.id} onClick=${() => setOpen(open === e.id ? null : e.id)}>${t('audit.body')}</button>
          ${open === e.id && html`<pre class="body">${JSON.stringify(e.body, null, 2)}</pre>`}</td></tr>`)}</tbody></table>`}`;
}

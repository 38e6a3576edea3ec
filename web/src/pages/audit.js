// audit.js — the audit feed: the newest events of the caller's nation as the
// API gives them (sealed personal fields already removed), optionally by type.
import { useEffect, useState } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { latestEvents } from '../api.js';
import { t, fmtTime } from '../i18n.js';

export function Audit() {
  const [type, setType] = useState('');
  const [events, setEvents] = useState(null);
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(null);
  async function load() {
    setError(null);
    try { setEvents(await latestEvents(200, type || undefined)); } catch (err) { setError(err); setEvents([]); }
  }
  useEffect(() => { load(); }, []);
  return html`<h1>${t('nav.audit')}</h1>
    <form class="searchbar" onSubmit=${(e) => { e.preventDefault(); load(); }}>
      <label for="audit-type">${t('audit.type')}</label>
      <input id="audit-type" value=${type} onInput=${(e) => setType(e.target.value)} placeholder="person.status" />
      <button type="submit" class="primary">${t('audit.filter')}</button>
    </form>
    <${ErrorBox} error=${error} />
    ${events && html`<p class="muted small">${t('audit.count', { n: events.length })}</p>
    <table class="list" data-testid="audit"><thead><tr><th>#</th><th>${t('audit.time')}</th><th>${t('audit.actor')}</th><th>${t('audit.event')}</th><th></th></tr></thead>
      <tbody>${events.map((e) => html`<tr>
        <td class="num">${e.id}</td><td>${fmtTime(e.time)}</td><td>${e.actor}</td><td><code>${e.type}</code></td>
        <td><button class="linkish" aria-expanded=${open === e.id} onClick=${() => setOpen(open === e.id ? null : e.id)}>${t('audit.body')}</button>
          ${open === e.id && html`<pre class="body">${JSON.stringify(e.body, null, 2)}</pre>`}</td></tr>`)}</tbody></table>`}`;
}

// registry.js — search people (scoped by the API), 50 a page; one person is
// pages/person.js.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { api } from '../api.js';
import { t, tc } from '../i18n.js';

export function Registry({ op, query }) {
  const [q, setQ] = useState(query || '');
  const [rows, setRows] = useState(null);
  const [offset, setOffset] = useState(0);
  const [shownQ, setShownQ] = useState('');
  const [error, setError] = useState(null);
  const LIMIT = 50;
  // Only the latest search may fill the table: an earlier, slower answer
  // (the unfiltered first page) must not replace the one the officer asked for.
  const latest = useRef(0);
  async function search(off) {
    const mine = ++latest.current;
    setError(null);
    try {
      const d = await api(`/operations/${op}/persons?limit=${LIMIT}&offset=${off}` + (q ? `&q=${encodeURIComponent(q)}` : ''));
      if (mine !== latest.current) return;
      setRows(d.persons);
      setOffset(off);
      setShownQ(q);
    } catch (err) {
      if (mine !== latest.current) return;
      setError(err); setRows([]); setShownQ(q);
    }
  }
  useEffect(() => { search(0); }, [op]);
  function submit(e) {
    e.preventDefault();
    history.replaceState(null, '', `#/registry/${encodeURIComponent(q)}`);
    search(0);
  }
  return html`<h1>${t('nav.registry')}</h1>
    <form class="searchbar" role="search" onSubmit=${submit}>
      <label for="reg-q">${t('reg.search_label')}</label>
      <input id="reg-q" type="search" value=${q} onInput=${(e) => setQ(e.target.value)} placeholder=${t('reg.search_hint')} autofocus />
      <button type="submit" class="primary">${t('reg.search')}</button>
    </form>
    <${ErrorBox} error=${error} />
    ${rows && (rows.length === 0 ? html`<p class="muted" data-testid="no-results" data-q=${shownQ}>${t('reg.none')}</p>` : html`
    <table class="list" data-testid="results" data-q=${shownQ}>
      <thead><tr><th>${t('person.name')}</th><th>${t('person.nationality')}</th><th>${t('person.birth_date')}</th>
        <th>${t('person.document')}</th><th>${t('person.status')}</th><th>${t('person.priority')}</th></tr></thead>
      <tbody>${rows.map((p) => html`<tr key=${p.id}>
        <td><a href=${'#/person/' + p.id}>${p.surname}, ${p.given_names}</a>${p.native_name ? html` <span class="muted">${p.native_name}</span>` : ''}</td>
        <td>${p.nationality}</td><td>${p.birth_date}</td><td>${p.document ? p.document.number : '—'}</td>
        <td>${tc('status', p.status)}</td><td>${tc('priority', p.priority)}</td></tr>`)}</tbody>
    </table>`)}
    <div class="pager">
      <button disabled=${offset === 0} onClick=${() => search(Math.max(0, offset - LIMIT))}>${t('common.previous')}</button>
      <button disabled=${!rows || rows.length === 0} onClick=${() => search(offset + LIMIT)}>${t('common.next')}</button>
      <span class="muted small">${t('reg.page_note')}</span>
    </div>`;
}

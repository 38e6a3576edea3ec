// registry.js — search people (scoped by the API), one person and their
// household. A person the caller may not see answers 404: shown as not found.
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

function Field({ k, v }) {
  if (v === undefined) return null;
  return html`<div class="field"><dt>${t(k)}</dt><dd>${v === null || v === '' ? '—' : v}</dd></div>`;
}

export function PersonView({ id }) {
  const [p, setP] = useState(null);
  const [hh, setHh] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    (async () => {
      try {
        const person = await api(`/persons/${encodeURIComponent(id)}`);
        setP(person);
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
  return html`<h1 data-testid="person-name">${p.surname}, ${p.given_names} ${p.native_name ? html`<span class="muted">${p.native_name}</span>` : ''}</h1>
    <p><span class=${'tag view-' + p.view}>${tc('view', p.view)}</span> <span class="tag">${tc('status', p.status)}</span></p>
    <div class="cols">
      <section class="card"><h2>${t('person.details')}</h2><dl class="fields">
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
        ${hh && html`<ul class="household">${hh.members.map((m) => html`<li>
          ${m.id === p.id ? html`<strong>${m.surname}, ${m.given_names}</strong>` : html`<a href=${'#/person/' + m.id}>${m.surname}, ${m.given_names}</a>`}
          <span class="muted"> · ${m.birth_date} · ${tc('status', m.status)}</span></li>`)}</ul>`}
      </section>
    </div>
    <p><a href="#/registry">${t('person.back')}</a></p>`;
}

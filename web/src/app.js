// app.js — the shell of the muster web UI: login, the header (navigation,
// operation, language switch, logout) and the hash router (#/page/arg).
import { render } from 'preact';
import { useState, useEffect } from 'preact/hooks';
import { html } from './html.js';
import { api, setToken, token, may } from './api.js';
import { t, LANGS, lang, loadMessages, initialLang } from './i18n.js';
import { Dashboard } from './pages/dashboard.js';
import { Registry } from './pages/registry.js';
import { PersonView } from './pages/person.js';
import { Plan } from './pages/plan.js';
import { Desk } from './pages/desk.js';
import { Manifests } from './pages/manifests.js';
import { Audit } from './pages/audit.js';
import { Clearance } from './pages/clearance.js';
import { Ledger } from './pages/ledger.js';

// Each page, its name in the navigation and the action it needs: /me lists
// what the caller's role may do ("may"), so the rule stays in the server
// (core/access.c) and every call is still checked there.
const PAGES = [
  ['dashboard', 'nav.dashboard', 'read_operations'],
  ['registry', 'nav.registry', 'read_registry'],
  ['plan', 'nav.plan', 'write_operations'],
  ['desk', 'nav.desk', 'checkin'],
  ['manifests', 'nav.manifests', 'manifest'],
  ['clearance', 'nav.clearance', 'clearance'],
  ['ledger', 'nav.ledger', 'read_operations'],
  ['audit', 'nav.audit', 'audit'],
];
const NEEDS = Object.fromEntries(PAGES.map(([p, , act]) => [p, act]));
NEEDS.person = 'read_registry';

function route() {
  const parts = (location.hash.replace(/^#\/?/, '') || 'dashboard').split('/');
  return { page: parts[0], arg: parts.slice(1).map(decodeURIComponent).join('/') };
}

function Login({ onDone }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const d = await api('/login', { method: 'POST', body: { user, password } });
      setToken(d.token);
      onDone();
    } catch (err) {
      setError(err.status === 401 ? t('login.failed') : err.message);
    } finally {
      setBusy(false);
    }
  }
  return html`<main class="login" id="main">
    <form onSubmit=${submit} class="card login-card" aria-labelledby="login-title">
      <h1 id="login-title">${t('app.title')}</h1>
      <p class="muted">${t('login.intro')}</p>
      <label for="login-user">${t('login.user')}</label>
      <input id="login-user" name="user" autocomplete="username" autofocus required
        value=${user} onInput=${(e) => setUser(e.target.value)} />
      <label for="login-password">${t('login.password')}</label>
      <input id="login-password" name="password" type="password" autocomplete="current-password" required
        value=${password} onInput=${(e) => setPassword(e.target.value)} />
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <button type="submit" class="primary" disabled=${busy}>${t('login.submit')}</button>
    </form>
  </main>`;
}

function LangSwitch({ onChange }) {
  return html`<label class="lang"><span class="sr-only">${t('header.language')}</span>
    <select aria-label=${t('header.language')} value=${lang()} onChange=${(e) => onChange(e.target.value)}>
      ${LANGS.map(([code, name]) => html`<option value=${code}>${name}</option>`)}
    </select></label>`;
}

function Header({ me, ops, op, setOp, page, onLang, onLogout }) {
  return html`<header class="top">
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>${t('header.skip')}</a>
    <span class="brand">${t('app.title')}</span>
    <nav aria-label=${t('header.nav')}>
      ${PAGES.filter(([, , act]) => may(me, act)).map(([p, key]) => html`<a href="#/${p}" class=${page === p ? 'active' : ''}
        aria-current=${page === p ? 'page' : undefined}>${t(key)}</a>`)}
    </nav>
    <span class="spacer"></span>
    ${ops.length > 1 && html`<label class="opsel">${t('header.operation')}
      <select value=${op} onChange=${(e) => setOp(e.target.value)}>
        ${ops.map((o) => html`<option value=${o.id}>${o.name}</option>`)}
      </select></label>`}
    <${LangSwitch} onChange=${onLang} />
    <span class="who" title=${me.nation}>${me.name} · ${t('role.' + me.role)} · ${me.nation}</span>
    <button class="linkish" onClick=${onLogout}>${t('header.logout')}</button>
  </header>`;
}

function App() {
  const [, setLangTick] = useState(0);
  const [me, setMe] = useState(null);
  const [ops, setOps] = useState([]);
  const [op, setOp] = useState(null);
  const [r, setR] = useState(route());
  const [error, setError] = useState(null);

  async function loadSession() {
    if (!token()) { setMe(null); return; }
    try {
      const m = await api('/me');
      const o = await api('/operations');
      setOps(o.operations);
      setOp((cur) => cur || (o.operations[0] && o.operations[0].id));
      setMe(m);
    } catch (err) {
      setError(err.message);
    }
  }
  useEffect(() => {
    loadSession();
    const onHash = () => setR(route());
    const onOut = () => setMe(null);
    window.addEventListener('hashchange', onHash);
    window.addEventListener('muster-logout', onOut);
    return () => { window.removeEventListener('hashchange', onHash); window.removeEventListener('muster-logout', onOut); };
  }, []);

  async function changeLang(l) { await loadMessages(l); setLangTick((x) => x + 1); }
  async function logout() {
    try { await api('/logout', { method: 'POST' }); } catch { /* gone anyway */ }
    setToken(null);
    setMe(null);
  }

  if (!me) {
    return html`<div class="login-wrap"><div class="login-lang"><${LangSwitch} onChange=${changeLang} /></div>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <${Login} onDone=${loadSession} /></div>`;
  }
  const ctx = { me, op, ops, opInfo: ops.find((o) => o.id === op) };
  let body;
  if (!op) body = html`<p>${t('common.no_operation')}</p>`;
  else if (NEEDS[r.page] && !may(me, NEEDS[r.page])) {
    body = html`<p class="error" role="alert" data-testid="not-allowed">${t('common.not_allowed')}</p>`;
  }
  else if (r.page === 'dashboard') body = html`<${Dashboard} ...${ctx} />`;
  else if (r.page === 'registry') body = html`<${Registry} ...${ctx} query=${r.arg} />`;
  else if (r.page === 'person') body = html`<${PersonView} ...${ctx} id=${r.arg} />`;
  else if (r.page === 'plan') body = html`<${Plan} ...${ctx} />`;
  else if (r.page === 'desk') body = html`<${Desk} ...${ctx} />`;
  else if (r.page === 'manifests') body = html`<${Manifests} ...${ctx} />`;
  else if (r.page === 'clearance') body = html`<${Clearance} ...${ctx} leg=${r.arg} />`;
  else if (r.page === 'ledger') body = html`<${Ledger} ...${ctx} scope=${r.arg} />`;
  else if (r.page === 'audit') body = html`<${Audit} ...${ctx} />`;
  else body = html`<p>${t('common.no_page')}</p>`;
  return html`<${Header} me=${me} ops=${ops} op=${op} setOp=${setOp} page=${r.page === 'person' ? 'registry' : r.page}
      onLang=${changeLang} onLogout=${logout} />
    <main id="main" tabindex="-1" class=${'page page-' + r.page} key=${r.page + op}>${body}</main>`;
}

loadMessages(initialLang()).then(() => render(html`<${App} />`, document.getElementById('app')));

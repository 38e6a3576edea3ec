// api.js — the one place the UI talks to the server (/api/v1, same origin).
// It keeps the bearer token in sessionStorage and returns what the API returns:
// the UI never filters data by itself.

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || String(status);
    this.body = body || {};
  }
}

// True when /me says the caller's role may do act (a name from access.h).
export function may(me, act) { return !!(me && me.may && me.may.includes(act)); }

export function token() { return sessionStorage.getItem('muster.token'); }
export function setToken(t) {
  if (t) sessionStorage.setItem('muster.token', t); else sessionStorage.removeItem('muster.token');
}

// Calls the API; resolves to the parsed JSON body, rejects with ApiError.
// body is sent as JSON; raw (a string) is sent as it is with type (an
// uploaded PAXLST is application/edifact).
export async function api(path, { method = 'GET', body, raw, type } = {}) {
  const headers = {};
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (raw !== undefined) headers['Content-Type'] = type || 'application/octet-stream';
  const sent = raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body);
  const res = await fetch(BASE + path, { method, headers, body: sent });
  let data = null;
  const text = await res.text();
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (res.status === 401 && path !== '/login') {
    setToken(null);
    window.dispatchEvent(new Event('muster-logout'));
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// Fetches a download (manifest) with the token and hands it to the browser
// under the file name the server gives in Content-Disposition.
export async function download(path, fallbackName) {
  const res = await fetch(BASE + path, { headers: { Authorization: `Bearer ${token()}` } });
  if (!res.ok) {
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    throw new ApiError(res.status, data);
  }
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename="?([^";]+)"?/.exec(cd);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = m ? m[1] : fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Every page of the persons the caller may see (the API leaves out the
// others, so a page can come back short or empty before the end: stop after
// two empty pages in a row or at maxPages).
export async function allPersons(op, { maxPages = 50, onPage } = {}) {
  const out = [];
  let empty = 0;
  for (let page = 0; page < maxPages; page++) {
    const d = await api(`/operations/${op}/persons?limit=1000&offset=${page * 1000}`);
    out.push(...d.persons);
    if (onPage) onPage(out.length);
    empty = d.persons.length === 0 ? empty + 1 : 0;
    if (empty >= 2) break;
  }
  return out;
}

// The newest n events of the audit feed (the feed pages forwards with ?after).
export async function latestEvents(n, type) {
  let after = 0;
  let keep = [];
  for (let i = 0; i < 200; i++) {
    const q = `/events?limit=1000&after=${after}` + (type ? `&type=${encodeURIComponent(type)}` : '');
    const d = await api(q);
    keep = keep.concat(d.events).slice(-n);
    if (d.events.length < 1000 || d.next === after) break;
    after = d.next;
  }
  return keep.reverse();
}

// i18n.js — message lookup. Every string the UI shows comes from
// messages/<lang>.json (en, ja, ko); a missing key falls back to English, then
// to the key itself.

export const LANGS = [['en', 'English'], ['ja', '日本語'], ['ko', '한국어']];
const tables = {};
let current = 'en';

export async function loadMessages(lang) {
  for (const l of ['en', lang]) {
    if (!tables[l]) {
      const res = await fetch(`messages/${l}.json`);
      tables[l] = await res.json();
    }
  }
  current = lang;
  document.documentElement.lang = lang;
  localStorage.setItem('muster.lang', lang);
}

export function initialLang() {
  const saved = localStorage.getItem('muster.lang');
  if (saved && LANGS.some(([l]) => l === saved)) return saved;
  const nav = (navigator.language || 'en').slice(0, 2);
  return LANGS.some(([l]) => l === nav) ? nav : 'en';
}

export function lang() { return current; }

// t('key', {name: 'x'}) replaces {name} in the message.
export function t(key, vars) {
  let s = (tables[current] && tables[current][key]) ?? (tables.en && tables.en[key]) ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// A code from the API (status, reason, error) shown in words when there are some.
export function tc(prefix, code) {
  const k = `${prefix}.${code}`;
  const s = t(k);
  return s === k ? String(code) : s;
}

export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return d.toLocaleString(current, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
}

export function fmtNum(n) { return Number(n).toLocaleString(current); }

// An hour of arrival (an ISO time on the hour, UTC) as the span it covers,
// in the UI's language and stated as UTC: "Dec 7, 14:00 – 15:00 UTC".
export function fmtHour(iso) {
  const from = new Date(iso);
  if (!iso || isNaN(from)) return iso || '';
  const to = new Date(from.getTime() + 3600e3);
  const f = new Intl.DateTimeFormat(current, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
  return typeof f.formatRange === 'function' ? f.formatRange(from, to) : `${f.format(from)} – ${f.format(to)}`;
}

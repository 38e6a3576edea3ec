// dashboard.js — the operation at a glance: a map (offline Natural Earth
// basemap, crisis area, assembly points, registrants as a density grid),
// counts by status and nationality (/summary), each leg's seats taken and free
// (/legs) and the latest changes (/events). Shows what the API returns.
// Officers, who plan the operation and receive its people at home but have
// no clearance page, also see the arrivals by hour at their country's hubs
// (/arrivals, arrivals.js).
import { useEffect, useRef, useState } from 'preact/hooks';
import * as L from 'leaflet';
import { html, ErrorBox } from '../html.js';
import { api, allPersons, latestEvents, may } from '../api.js';
import { t, tc, fmtNum, fmtTime } from '../i18n.js';
import { ArrivalsByHour } from './arrivals.js';

let worldPromise = null;
function world() {
  if (!worldPromise) worldPromise = fetch('vendor/world.json').then((r) => r.json());
  return worldPromise;
}

const CELL = 0.02; // degrees: about 2 km
const RAMP = ['#fdbb84', '#fc8d59', '#e34a33', '#b30000'];

// Counts people per grid cell; returns [[lat, lon, count]].
function density(persons) {
  const cells = new Map();
  for (const p of persons) {
    if (!p.location || typeof p.location.lat !== 'number') continue;
    const k = `${Math.floor(p.location.lat / CELL)},${Math.floor(p.location.lon / CELL)}`;
    cells.set(k, (cells.get(k) || 0) + 1);
  }
  return [...cells].map(([k, n]) => { const [a, b] = k.split(',').map(Number); return [a * CELL, b * CELL, n]; });
}

function MapView({ opInfo, points, persons }) {
  const el = useRef(null);
  const map = useRef(null);
  useEffect(() => {
    const m = L.map(el.current, { zoomControl: true, attributionControl: true, zoomSnap: 0.25 });
    map.current = m;
    m.attributionControl.setPrefix(false);
    m.attributionControl.addAttribution('Natural Earth');
    m.setView([32.3, 34.9], 8);
    // the basemap arrives after a fetch: the officer may have left the page
    // by then, and a layer added to a removed map throws inside Leaflet
    let gone = false;
    world().then((g) => {
      if (gone) return;
      L.geoJSON(g, { style: { color: '#7a8a99', weight: 1, fillColor: '#e9ece6', fillOpacity: 1 } }).addTo(m).bringToBack();
    });
    return () => { gone = true; map.current = null; m.remove(); };
  }, []);
  useEffect(() => {
    const m = map.current;
    if (!m) return undefined;
    const layers = [];
    if (opInfo && Array.isArray(opInfo.area) && opInfo.area.length > 2) {
      const poly = L.polygon(opInfo.area, { color: '#b3261e', weight: 2, fillOpacity: 0.05, dashArray: '6 4' })
        .bindTooltip(t('dash.crisis_area'));
      layers.push(poly);
      m.fitBounds(poly.getBounds(), { padding: [10, 10] });
    }
    const cells = density(persons || []);
    const max = Math.max(1, ...cells.map((c) => c[2]));
    for (const [lat, lon, n] of cells) {
      const f = Math.sqrt(n / max);
      layers.push(L.rectangle([[lat, lon], [lat + CELL, lon + CELL]], {
        stroke: false, fillColor: RAMP[Math.min(RAMP.length - 1, Math.floor(f * RAMP.length))], fillOpacity: 0.55 + 0.35 * f,
      }).bindTooltip(t('dash.cell_people', { n })));
    }
    for (const p of points || []) {
      layers.push(L.circleMarker([p.lat, p.lon], { radius: 8, color: '#fff', weight: 2, fillColor: '#12263f', fillOpacity: 1 })
        .bindTooltip(`${p.name} (${tc('point', p.kind)})`, { permanent: false }));
    }
    for (const l of layers) l.addTo(m);
    return () => { for (const l of layers) { try { l.remove(); } catch { /* map already gone */ } } };
  }, [opInfo, points, persons]);
  return html`<div class="map" ref=${el} role="img" aria-label=${t('dash.map_label')}></div>`;
}

function Counts({ title, obj, prefix }) {
  const rows = Object.entries(obj || {}).sort((a, b) => b[1] - a[1]);
  return html`<section class="card counts"><h2>${title}</h2>
    <table><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${prefix ? tc(prefix, k) : k}</th><td class="num">${fmtNum(v)}</td></tr>`)}</tbody></table>
  </section>`;
}

const NAT_COLORS = ['#1f5fbf', '#c2410c', '#0f766e', '#7c3aed', '#a16207'];

// Seats of each leg: taken by nationality (from the passengers the caller may
// see), taken by people the caller may not see, and free.
function LegBars({ legs, points, byNat }) {
  const name = (id) => (points.find((p) => p.id === id) || {}).name || id;
  const nats = [...new Set(Object.values(byNat).flatMap((c) => Object.keys(c)))].sort();
  const color = (n) => NAT_COLORS[nats.indexOf(n) % NAT_COLORS.length];
  return html`<section class="card legs"><h2>${t('dash.legs')}</h2>
    <p class="legend small">${nats.map((n) => html`<span><i style=${`background:${color(n)}`}></i>${n}</span>`)}
      <span><i class="hidden-seats"></i>${t('dash.not_visible')}</span><span><i class="free-seats"></i>${t('dash.free_legend')}</span></p>
    <ul class="bars">${legs.map((l) => {
      const counts = byNat[l.id] || {};
      const seen = Object.values(counts).reduce((a, b) => a + b, 0);
      const hidden = Math.max(0, l.seats_taken - seen);
      const w = (n) => (l.seats ? (100 * n) / l.seats : 0);
      return html`<li data-leg=${l.id}>
        <div class="bar-label"><strong>${l.vehicle || l.kind}</strong> · ${l.operator} → ${l.destination}
          <span class="muted"> · ${name(l.point)} · ${fmtTime(l.departs)}</span></div>
        <div class="bar" role="img" aria-label=${t('dash.seats_of', { taken: l.seats_taken, seats: l.seats })}>
          ${Object.entries(counts).sort().map(([n, c]) => html`<span class="seg" title=${`${n} ${c}`} style=${`width:${w(c)}%;background:${color(n)}`}></span>`)}
          ${hidden > 0 && html`<span class="seg hidden-seats" style=${`width:${w(hidden)}%`}></span>`}
        </div>
        <div class="bar-legend">${Object.entries(counts).sort().map(([n, c]) => `${n} ${fmtNum(c)} · `)}${hidden > 0 ? `${t('dash.not_visible')} ${fmtNum(hidden)} · ` : ''}${t('dash.free', { n: fmtNum(Math.max(0, l.seats - l.seats_taken)) })}</div>
      </li>`;
    })}</ul></section>`;
}

// The last hour by event type, then the newest few events.
function Recent({ events, error }) {
  const since = Date.now() - 3600 * 1000;
  const hour = {};
  for (const e of events) if (Date.parse(e.time) >= since) hour[e.type] = (hour[e.type] || 0) + 1;
  return html`<section class="card recent"><h2>${t('dash.recent')}</h2>
    ${error ? html`<p class="muted">${t('dash.recent_unavailable')} (${error.code})</p>` : html`
      <h3 class="small">${t('dash.last_hour')}</h3>
      <table class="hour" data-testid="last-hour"><tbody>${Object.entries(hour).sort((a, b) => b[1] - a[1]).map(([k, n]) => html`<tr><td><code>${k}</code></td><td class="num">${fmtNum(n)}</td></tr>`)}</tbody></table>
      <h3 class="small">${t('dash.newest')}</h3>
      <ul class="feed">${events.slice(0, 8).map((e) => html`<li><time>${fmtTime(e.time)}</time> <code>${e.type}</code> <span class="muted">${e.actor}</span></li>`)}</ul>`}
  </section>`;
}

// The arrivals by hour for a role that plans but has no clearance page.
function Arrivals() {
  const [d, setD] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => { api('/arrivals').then(setD, (err) => { setError(err); setD({ arrivals: [], destinations: [] }); }); }, []);
  return html`<div class="wide"><${ArrivalsByHour} destinations=${d && d.destinations} arrivals=${d && d.arrivals} error=${error} /></div>`;
}

export function Dashboard({ op, opInfo, me }) {
  const [summary, setSummary] = useState(null);
  const [legs, setLegs] = useState([]);
  const [points, setPoints] = useState([]);
  const [persons, setPersons] = useState([]);
  const [byNat, setByNat] = useState({});
  const [loaded, setLoaded] = useState(0);
  const [events, setEvents] = useState([]);
  const [evError, setEvError] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    (async () => {
      try {
        const [s, l, p] = await Promise.all([api(`/operations/${op}/summary`), api(`/operations/${op}/legs`), api(`/operations/${op}/points`)]);
        setSummary(s); setLegs(l.legs); setPoints(p.points);
        const counts = {};
        await Promise.all(l.legs.map(async (leg) => {
          const c = {};
          try {
            const d = await api(`/legs/${leg.id}/passengers`);
            for (const x of d.passengers) c[x.nationality] = (c[x.nationality] || 0) + 1;
          } catch { /* not visible: counted as not visible */ }
          counts[leg.id] = c;
        }));
        setByNat(counts);
      } catch (err) { setError(err); }
      latestEvents(2000).then(setEvents, setEvError);
      try { setPersons(await allPersons(op, { onPage: setLoaded })); } catch (err) { setError(err); }
    })();
  }, [op]);
  return html`<h1>${opInfo ? opInfo.name : t('nav.dashboard')}</h1>
    <${ErrorBox} error=${error} />
    <div class="dash">
      <section class="card mapcard"><h2>${t('dash.map')}</h2>
        <${MapView} opInfo=${opInfo} points=${points} persons=${persons} />
        <p class="muted small" data-testid="density-count">${t('dash.density_note', { n: fmtNum(loaded) })}</p>
      </section>
      <div class="side">
        <section class="card total"><h2>${t('dash.people')}</h2><p class="big" data-testid="people-total">${summary ? fmtNum(summary.people) : '…'}</p>
          <p class="muted small">${t('dash.own_only')}</p></section>
        <${Counts} title=${t('dash.by_status')} obj=${summary && summary.by_status} prefix="status" />
        <${Counts} title=${t('dash.by_nationality')} obj=${summary && summary.by_nationality} />
      </div>
      <${LegBars} legs=${legs} points=${points} byNat=${byNat} />
      <${Recent} events=${events} error=${evError} />
      ${may(me, 'write_operations') && !may(me, 'clearance') && html`<${Arrivals} />`}
    </div>`;
}

// plan.js — propose a plan (POST /plan {propose: true}), follow the job
// (/jobs/{id}), look at what it would change (people carried, households
// that get a leg, change leg or lose theirs, unassigned by reason, the gap to
// the bound), then accept it (POST /jobs/{id}/accept: recorded under the
// officer's name) or discard it (DELETE /jobs/{id}). Nothing is recorded
// before the officer accepts.
import { useState, useEffect, useRef } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { api } from '../api.js';
import { t, tc, fmtNum, fmtTime } from '../i18n.js';

const SHOWN = 200; // changes listed on the page (the API lists up to 1,000)

// a job still on its way: its stage says what it is doing now
const working = (state) => state === 'queued' || state === 'running' || state === 'recording';

function LegName({ id, legs }) {
  if (!id) return html`<span class="muted">—</span>`;
  const l = legs.get(id);
  if (!l) return html`<code>${id}</code>`;
  return html`<span title=${id}><strong>${l.vehicle || l.kind}</strong> <span class="muted">${l.operator} · ${fmtTime(l.departs)}</span></span>`;
}

function Changes({ changes, legs }) {
  const [all, setAll] = useState(false);
  const rows = all ? changes.households : changes.households.slice(0, SHOWN);
  return html`<h3>${t('plan.changes')}</h3>
    <dl class="fields wide" data-testid="plan-changes">
      <div class="field"><dt>${t('plan.ch_allocated')}</dt><dd data-testid="ch-allocated">${fmtNum(changes.allocated)}</dd></div>
      <div class="field"><dt>${t('plan.ch_moved')}</dt><dd data-testid="ch-moved">${fmtNum(changes.moved)}</dd></div>
      <div class="field"><dt>${t('plan.ch_released')}</dt><dd data-testid="ch-released">${fmtNum(changes.released)}</dd></div>
      <div class="field"><dt>${t('plan.ch_kept')}</dt><dd>${fmtNum(changes.kept)}</dd></div>
    </dl>
    ${changes.households.length > 0 && html`<div class="scroll">
      <table class="list" data-testid="plan-change-list">
        <thead><tr><th>${t('plan.households')}</th><th class="num">${t('plan.ch_people')}</th><th>${t('plan.ch_change')}</th>
          <th>${t('plan.ch_from')}</th><th>${t('plan.ch_to')}</th><th>${t('plan.reason')}</th></tr></thead>
        <tbody>${rows.map((c) => html`<tr data-change=${c.change}>
          <td><code>${c.household}</code></td><td class="num">${c.people}</td><td>${tc('change', c.change)}</td>
          <td><${LegName} id=${c.from} legs=${legs} /></td><td><${LegName} id=${c.to} legs=${legs} /></td>
          <td title=${c.why || ""}>${c.reason ? tc("reason", c.reason) : ""}</td></tr>`)}</tbody>
      </table></div>
      ${(changes.households.length > SHOWN && !all) && html`<button onClick=${() => setAll(true)}>${t('plan.show_all', { n: fmtNum(changes.households.length) })}</button>`}
      ${changes.truncated && html`<p class="muted small">${t('plan.ch_truncated', { n: fmtNum(changes.households.length) })}</p>`}`}`;
}

export function Plan({ op }) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);
  const [exact, setExact] = useState(false);
  const [busy, setBusy] = useState(false);
  const [legs, setLegs] = useState(new Map());
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; }, []);
  useEffect(() => {
    api(`/operations/${op}/legs`).then((d) => { if (alive.current) setLegs(new Map(d.legs.map((l) => [l.id, l]))); }, () => {});
  }, [op]);
  async function run() {
    setError(null); setJob(null); setBusy(true);
    try {
      const start = await api(`/operations/${op}/plan`, { method: 'POST', body: exact ? { exact: true, propose: true } : { propose: true } });
      for (;;) {
        const j = await api(`/jobs/${start.job}`);
        if (!alive.current) return;
        setJob(j);
        if (['done', 'failed', 'proposed'].includes(j.state)) break;
        await new Promise((r) => setTimeout(r, 400));
      }
    } catch (err) { setError(err); } finally { if (alive.current) setBusy(false); }
  }
  async function decide(accept) {
    setError(null); setBusy(true);
    try {
      const j = await api(`/jobs/${job.id}${accept ? '/accept' : ''}`, { method: accept ? 'POST' : 'DELETE' });
      if (alive.current) setJob(j);
    } catch (err) {
      setError(err);
      // the job may have moved on (superseded, recorded elsewhere): show it as it is
      try { const j = await api(`/jobs/${job.id}`); if (alive.current) setJob(j); } catch { /* keep the error */ }
    } finally { if (alive.current) setBusy(false); }
  }
  const res = job && job.result;
  const proposed = job && job.state === 'proposed';
  const recorded = res && res.recorded;
  return html`<h1>${t('nav.plan')}</h1>
    <section class="card">
      <p>${t('plan.intro')}</p>
      <label class="check"><input type="checkbox" checked=${exact} onChange=${(e) => setExact(e.target.checked)} /> ${t('plan.exact')}</label>
      <button class="primary" onClick=${run} disabled=${busy} data-testid="run-plan">${t('plan.run')}</button>
    </section>
    <${ErrorBox} error=${error} />
    ${job && html`<section class="card" aria-live="polite">
      <h2>${t('plan.job')} <code>${job.id}</code></h2>
      <p data-testid="plan-state" data-state=${job.state}>${tc('job', job.state)}${job.stage && working(job.state) ? html` · ${tc('job', job.stage)}` : ''}</p>
      <progress max="1" value=${job.progress}>${Math.round(job.progress * 100)}%</progress>
      ${job.error && html`<p class="error" role="alert">${typeof job.error === 'string' ? job.error : JSON.stringify(job.error)}</p>`}
    </section>`}
    ${res && html`<section class="card result" data-testid="plan-result"><h2>${recorded ? t('plan.result') : t('plan.proposal')}</h2>
      <dl class="fields wide">
        <div class="field"><dt>${t('plan.people')}</dt><dd data-testid="plan-people">${fmtNum(res.objective.people)}</dd></div>
        <div class="field"><dt>${t('plan.objective')}</dt><dd>${fmtNum(res.objective.weighted_people)}</dd></div>
        <div class="field"><dt>${t('plan.bound')}</dt><dd>${fmtNum(res.bound.weighted_people)} (${res.bound.method})</dd></div>
        <div class="field"><dt>${t('plan.gap')}</dt><dd data-testid="plan-gap">${(100 * res.gap).toFixed(2)} %</dd></div>
        <div class="field"><dt>${t('plan.method')}</dt><dd>${res.method} · ${res.seconds.toFixed(2)} s</dd></div>
      </dl>
      ${proposed && html`<div class="actions">
        <button class="primary" onClick=${() => decide(true)} disabled=${busy} data-testid="accept-plan">${t('plan.accept')}</button>
        <button onClick=${() => decide(false)} disabled=${busy} data-testid="discard-plan">${t('plan.discard')}</button>
        <span class="muted small">${t('plan.proposed_note')}</span>
      </div>`}
      ${recorded && html`<dl class="fields wide" data-testid="plan-recorded">
        <div class="field"><dt>${t('plan.allocated')}</dt><dd data-testid="plan-allocated">${fmtNum(res.allocated)}</dd></div>
        <div class="field"><dt>${t('plan.released')}</dt><dd>${fmtNum(res.released)}</dd></div>
        <div class="field"><dt>${t('plan.unchanged')}</dt><dd>${fmtNum(res.unchanged)}</dd></div>
        <div class="field"><dt>${t('plan.skipped')}</dt><dd>${fmtNum(res.skipped_changed)}</dd></div>
      </dl>
      <p class="muted small">${t('plan.recorded_note')}</p>`}
      ${res.changes && html`<${Changes} changes=${res.changes} legs=${legs} />`}
      <h3>${t('plan.unassigned')}</h3>
      ${Object.keys(res.unassigned).length === 0 ? html`<p>${t('plan.none_unassigned')}</p>` : html`
      <table class="list" data-testid="plan-unassigned"><thead><tr><th>${t('plan.reason')}</th><th>${t('plan.households')}</th></tr></thead>
        <tbody>${Object.entries(res.unassigned).map(([k, v]) => html`<tr><td>${tc('reason', k)}</td><td class="num">${fmtNum(v)}</td></tr>`)}</tbody></table>`}
    </section>`}`;
}

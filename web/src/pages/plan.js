// plan.js — run the planner (POST /plan), follow the job (/jobs/{id}) and show
// its result: people moved, unassigned households by reason, gap to the bound.
import { useState, useEffect, useRef } from 'preact/hooks';
import { html, ErrorBox } from '../html.js';
import { api } from '../api.js';
import { t, tc, fmtNum } from '../i18n.js';

export function Plan({ op }) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);
  const [exact, setExact] = useState(false);
  const [running, setRunning] = useState(false);
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; }, []);
  async function run() {
    setError(null); setJob(null); setRunning(true);
    try {
      const start = await api(`/operations/${op}/plan`, { method: 'POST', body: exact ? { exact: true } : {} });
      for (;;) {
        const j = await api(`/jobs/${start.job}`);
        if (!alive.current) return;
        setJob(j);
        if (j.state === 'done' || j.state === 'failed') break;
        await new Promise((r) => setTimeout(r, 400));
      }
    } catch (err) { setError(err); } finally { setRunning(false); }
  }
  const res = job && job.result;
  return html`<h1>${t('nav.plan')}</h1>
    <section class="card">
      <p>${t('plan.intro')}</p>
      <label class="check"><input type="checkbox" checked=${exact} onChange=${(e) => setExact(e.target.checked)} /> ${t('plan.exact')}</label>
      <button class="primary" onClick=${run} disabled=${running} data-testid="run-plan">${t('plan.run')}</button>
    </section>
    <${ErrorBox} error=${error} />
    ${job && html`<section class="card" aria-live="polite">
      <h2>${t('plan.job')} <code>${job.id}</code></h2>
      <p data-testid="plan-state">${tc('job', job.state)} · ${tc('job', job.stage)}</p>
      <progress max="1" value=${job.progress}>${Math.round(job.progress * 100)}%</progress>
      ${job.error && html`<p class="error" role="alert">${typeof job.error === 'string' ? job.error : JSON.stringify(job.error)}</p>`}
    </section>`}
    ${res && html`<section class="card result" data-testid="plan-result"><h2>${t('plan.result')}</h2>
      <dl class="fields wide">
        <div class="field"><dt>${t('plan.people')}</dt><dd>${fmtNum(res.objective.people)}</dd></div>
        <div class="field"><dt>${t('plan.allocated')}</dt><dd data-testid="plan-allocated">${fmtNum(res.allocated)}</dd></div>
        <div class="field"><dt>${t('plan.moved')}</dt><dd data-testid="plan-moved">${fmtNum(res.moved)}</dd></div>
        <div class="field"><dt>${t('plan.released')}</dt><dd>${fmtNum(res.released)}</dd></div>
        <div class="field"><dt>${t('plan.unchanged')}</dt><dd>${fmtNum(res.unchanged)}</dd></div>
        <div class="field"><dt>${t('plan.skipped')}</dt><dd>${fmtNum(res.skipped_changed)}</dd></div>
        <div class="field"><dt>${t('plan.objective')}</dt><dd>${fmtNum(res.objective.weighted_people)}</dd></div>
        <div class="field"><dt>${t('plan.bound')}</dt><dd>${fmtNum(res.bound.weighted_people)} (${res.bound.method})</dd></div>
        <div class="field"><dt>${t('plan.gap')}</dt><dd data-testid="plan-gap">${(100 * res.gap).toFixed(2)} %</dd></div>
        <div class="field"><dt>${t('plan.method')}</dt><dd>${res.method} · ${res.seconds.toFixed(2)} s</dd></div>
      </dl>
      <h3>${t('plan.unassigned')}</h3>
      ${Object.keys(res.unassigned).length === 0 ? html`<p>${t('plan.none_unassigned')}</p>` : html`
      <table class="list" data-testid="plan-unassigned"><thead><tr><th>${t('plan.reason')}</th><th>${t('plan.households')}</th></tr></thead>
        <tbody>${Object.entries(res.unassigned).map(([k, v]) => html`<tr><td>${tc('reason', k)}</td><td class="num">${fmtNum(v)}</td></tr>`)}</tbody></table>`}
      <p class="muted small">${t('plan.recorded_note')}</p>
    </section>`}`;
}

// parallel.json and parallel.html: the comparison of TIR with CATS on one page
// a regional manager reads — guarantee money freed a year at the corridor's
// projected volume, advance notice per border, refusals — and the whole
// comparison as JSON. Self-contained: no script, no network.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { barChart, escapeHtml } from '../report/svg-chart.ts';
import type { Comparison } from './comparison.ts';

export const PARALLEL_JSON = 'parallel.json';
export const PARALLEL_HTML = 'parallel.html';

export interface ParallelRun {
  runId: string;
  startedAt: string;
  /** Business seconds per wall-clock second of the replay. */
  speed: number;
  /** How business time was kept: the harness compressing the log's timing, or the deployment's clock. */
  clock: string;
  tirLog: string;
  deployment: string;
  /** Business-time span of the log replayed. */
  from: string;
  to: string;
}

const usd = (x: number) => `USD ${Math.round(x).toLocaleString('en-US')}`;
const num = (x: number, digits = 1) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
/** Notice before the truck arrives; after it when the delivery came late. */
const ahead = (h: number) => (h >= 0 ? `${num(h)} h ahead` : `${num(-h)} h after arrival`);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function table(head: string[], rows: string[][], cls = ''): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

export function renderParallelHtml(run: ParallelRun, c: Comparison): string {
  const p = c.projection;
  const headline =
    c.movements.mirrored === 0
      ? 'No movement was mirrored: no money figure'
      : p.freedCapitalUsd >= 0
        ? `CATS frees ${usd(p.freedCapitalUsd)} of guarantee capital at ${num(p.movementsPerYear, 0)} TIR movements a year (${pct(c.guarantee.freedShare)} of what TIR ties up)`
        : `CATS ties up ${usd(-p.freedCapitalUsd)} more guarantee capital than TIR at ${num(p.movementsPerYear, 0)} TIR movements a year (${pct(-c.guarantee.freedShare)} more)`;
  const money = table(
    ['', 'TIR', 'CATS', 'freed'],
    [
      ['Guarantee capital tied up on average', usd(p.tir.capitalUsd), usd(p.cats.capitalUsd), usd(p.freedCapitalUsd)],
      [
        'Guarantee cover drawn a year',
        usd(p.tir.coverPerYearUsd),
        usd(p.cats.coverPerYearUsd),
        usd(p.freedCoverPerYearUsd),
      ],
      [
        `The ${c.adherence.mirrored} mirrored movements: cover`,
        usd(c.guarantee.tir.totalUsd),
        usd(c.guarantee.cats.totalUsd),
        usd(c.guarantee.tir.totalUsd - c.guarantee.cats.totalUsd),
      ],
      [
        `The ${c.adherence.mirrored} mirrored movements: USD·days tied up`,
        num(c.guarantee.tir.usdDays, 0),
        num(c.guarantee.cats.usdDays, 0),
        num(c.guarantee.tir.usdDays - c.guarantee.cats.usdDays, 0),
      ],
    ],
    'money',
  );
  const notices =
    c.notices.length > 0
      ? table(
          ['Office', 'Country', 'Role', 'Movements', 'TIR notice', 'CATS notice, mean', 'CATS notice, least'],
          c.notices.map((n) => [
            `${n.name} (${n.office})`,
            n.country,
            n.role === 'transit' ? 'office of transit' : 'office of destination',
            String(n.movements),
            'at the border (0 h)',
            ahead(n.meanHours),
            ahead(n.minHours),
          ]),
          'notices',
        ) +
        barChart(
          'CATS advance notice per border, mean hours before the truck arrives (TIR: 0)',
          c.notices.map((n) => ({ label: `${n.office} ${n.country}`, value: n.meanHours, note: 'h' })),
        )
      : '<p class="muted">No movement crossed into another CATS country.</p>';
  const refusals =
    c.refusals.length > 0
      ? table(
          ['Reason', 'Records'],
          c.reasons.map((r) => [r.code, String(r.count)]),
          'reasons',
        ) +
        table(
          ['Carnet', 'Line', 'Stage', 'Reason', 'Where', 'Detail'],
          c.refusals.map((r) => [
            r.carnet ?? '',
            r.line !== undefined ? String(r.line) : '',
            r.stage === 'mapping' ? 'could not map' : 'refused by CATS',
            r.code,
            r.pointer ?? '',
            r.message,
          ]),
          'refusals',
        )
      : '<p class="refusals-none">None: CATS mapped and took every movement of the log.</p>';
  const adherence = `${c.adherence.adherent} of ${c.adherence.mirrored} mirrored movements reached the state their TIR record implies, with the reservation due at their guarantee level (${pct(c.adherence.share)}).`;
  const failures =
    c.adherence.failures.length > 0
      ? table(
          ['Carnet', 'TIR implies', 'CATS reached', 'Problems'],
          c.adherence.failures.map((f) => [f.carnet, f.implied, f.reached ?? '—', f.problems.join('; ')]),
        )
      : '';
  const m = c.movements;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TIR and CATS in parallel — ${escapeHtml(run.runId)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:0;background:#f8fafc}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.headline{font-size:18px;font-weight:600;padding:12px 16px;border-radius:8px;margin:12px 0;background:#dcfce7;color:#14532d}
table{border-collapse:collapse;margin:6px 0}th,td{padding:4px 10px;text-align:left;border-bottom:1px solid #e5e7eb}
figure.chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin:14px 0;padding:10px 12px}
figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;height:auto;display:block}.tick{font-size:11px;fill:#4b5563}
.muted{color:#6b7280}
</style></head>
<body><main>
<h1>TIR and CATS in parallel</h1>
<div class="muted">${escapeHtml(`run ${run.runId} · TIR log ${run.tirLog} · business time ${run.from.slice(0, 16)} – ${run.to.slice(0, 16)} UTC · replayed ${num(run.speed, 0)}× faster (${run.clock})`)}</div>
<div class="headline">${escapeHtml(headline)}</div>
<h2>Guarantee money</h2>
<p>TIR holds a guarantee for 100 % of the duties and taxes of every movement from the carnet's acceptance until its discharge. CATS reserves the amount due at the holder's comprehensive guarantee level (100, 50 or 25 %) at release and gives it back at write-off. Projected at ${escapeHtml(num(p.movementsPerYear, 0))} TIR movements a year (${escapeHtml(p.source)}).</p>
${money}
<h2>Advance notice per border</h2>
<p>Under TIR a country's customs learn of a movement when the truck reaches their border. Under CATS the node of each country on the itinerary holds the movement from its release at departure.</p>
${notices}
<h2>Steps and time to discharge</h2>
${table(
  ['', 'TIR', 'CATS'],
  [
    ['Customs steps per movement, mean', num(c.steps.tirMean), num(c.steps.catsMean)],
    ['Hours from departure to discharge, mean', num(c.discharge.tirMeanHours), num(c.discharge.catsMeanHours)],
  ],
  'steps',
)}
<h2>Refusals and records CATS could not map</h2>
<p>${escapeHtml(`${m.inLog} TIR records: ${m.mirrored} mirrored, ${m.refused} refused by CATS, ${m.notServed} not served by the deployment, ${m.unmappable} could not be mapped.`)}</p>
${refusals}
<h2>Adherence</h2>
<p class="adherence">${escapeHtml(adherence)}</p>
${failures}
</main></body></html>
`;
}

/** Writes parallel.json and parallel.html into the run folder; returns their paths. */
export async function writeParallelReport(
  dir: string,
  run: ParallelRun,
  comparison: Comparison,
): Promise<{ json: string; html: string }> {
  const json = path.join(dir, PARALLEL_JSON);
  const html = path.join(dir, PARALLEL_HTML);
  await writeFile(json, `${JSON.stringify({ run, ...comparison }, null, 2)}\n`);
  await writeFile(html, renderParallelHtml(run, comparison));
  return { json, html };
}

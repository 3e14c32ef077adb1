// The report's Reconciliation section: the verdict of the audit after the run
// (summary.json's `reconciliation`), one row per check with its counts, and the
// first discrepancies with their MRNs, message ids and GRNs.
import { Value } from '@sinclair/typebox/value';
import { ReconciliationVerdict, describe } from '../reconcile/verdict.ts';
import { escapeHtml } from './svg-chart.ts';

/** The verdict a summary carries, when it carries a valid one. */
export function reconciliationOf(summary: unknown): ReconciliationVerdict | undefined {
  const v = (summary as { reconciliation?: unknown } | undefined)?.reconciliation;
  return Value.Check(ReconciliationVerdict, v) ? v : undefined;
}

function headline(v: ReconciliationVerdict): string {
  if (!v.passed) return `FAIL: ${v.checks.reduce((n, c) => n + c.discrepancies, 0)} discrepancies`;
  if (v.checks.every((c) => c.status === 'not-applicable')) return 'NOT CHECKED: no check applied to this deployment';
  return 'PASS: nothing lost, nothing applied twice';
}

export function reconciliationSection(v: ReconciliationVerdict | undefined): string {
  if (!v) return '';
  const cell = (s: string) => `<td>${escapeHtml(s)}</td>`;
  const rows = v.checks
    .map((c) => {
      const counts = Object.entries(c.counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      const mark = c.status === 'pass' ? '✔' : c.status === 'fail' ? '✘' : '–';
      const cls = c.status === 'fail' ? 'fail' : c.status === 'pass' ? 'ok' : 'na';
      return `<tr class="${cls}">${[
        mark,
        c.title,
        c.status === 'not-applicable' ? 'not applicable' : String(c.checked),
        c.status === 'not-applicable' ? '–' : String(c.discrepancies),
        [counts, c.note].filter(Boolean).join('; '),
      ]
        .map(cell)
        .join('')}</tr>`;
    })
    .join('');
  const found = v.checks
    .filter((c) => c.status === 'fail')
    .map(
      (c) =>
        `<h3>${escapeHtml(c.title)}: first ${c.first.length} of ${c.discrepancies}</h3><ul class="discrepancies">${c.first
          .map((d) => `<li><code>${escapeHtml(describe(d))}</code></li>`)
          .join('')}</ul>`,
    )
    .join('');
  const journal =
    v.journal === 'per-mrn'
      ? 'per MRN, from the journal of acknowledged steps'
      : v.journal === 'run-counts'
        ? "from the run's counts (no journal of acknowledged steps)"
        : 'without the run’s acknowledged steps';
  return `<h2>Reconciliation</h2>
<div class="verdict ${v.passed ? 'pass' : 'fail'}">${headline(v)}</div>
<p class="muted">Audited through the deployment's API after the queues ${v.drain.drained ? 'drained' : 'did not drain'} (${escapeHtml(v.drain.detail)}, waited ${v.drain.waitedSeconds.toFixed(1)} s); CTDs checked ${escapeHtml(journal)}.</p>
<table class="reconciliation"><thead><tr><th></th><th>check</th><th>checked</th><th>discrepancies</th><th>counts</th></tr></thead><tbody>${rows}</tbody></table>
${found}`;
}

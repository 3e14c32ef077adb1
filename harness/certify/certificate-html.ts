// The certificate as one self-contained HTML page (no script, no network).
import type { Certificate } from './certificate.ts';

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const json = (v: unknown) => esc(typeof v === 'string' ? v : JSON.stringify(v, null, 2));

export function certificateHtml(c: Certificate): string {
  const rows = c.requirements
    .map(
      (r) => `<tr class="requirement ${r.status}" id="${esc(r.id)}">
  <td><code>${esc(r.id)}</code></td><td>${esc(r.side)}</td><td>${esc(r.level)}</td>
  <td class="status">${esc(r.status)}</td>
  <td>${esc(r.rule)}<div class="section">${esc(r.section)}</div><div class="detail">${esc(r.detail)}</div>
  ${
    r.evidence.length
      ? `<details><summary>evidence (${r.evidence.length})</summary>${r.evidence
          .map((e) => `<pre class="evidence">${json(e)}</pre>`)
          .join('')}</details>`
      : ''
  }</td></tr>`,
    )
    .join('\n');
  const p = c.performance;
  const perf = p
    ? `<table class="performance"><tr><th>operation</th><th>count</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>
${Object.entries(p.latencyMs)
  .map(
    ([op, l]) =>
      `<tr><td>${esc(op)}</td><td>${l.count}</td><td>${l.p50.toFixed(1)}</td><td>${l.p95.toFixed(1)}</td><td>${l.p99.toFixed(1)}</td><td>${l.max.toFixed(1)}</td></tr>`,
  )
  .join('\n')}</table>
<p>Rate ${esc(p.options.ratePerSecond)}/s for ${esc(p.options.durationSeconds)} s (projected peak of the country's routes: ${esc(
        (p.projectedPeakPerSecond * 3600).toFixed(1),
      )} CTDs/h); achieved ${esc(p.achievedRatePerSecond.toFixed(2))}/s; ${esc(p.movementsReleased)} of ${esc(
        p.movementsStarted,
      )} movements released; ${esc(p.failedRequests.length)} failed requests; SLO p99 ≤ ${esc(p.options.sloP99Ms)} ms.
${p.outage ? `ICE unreachable ${esc(p.outage.from)} – ${esc(p.outage.to)}.` : ''} ${esc(p.expectedMessages)} anticipated records expected at ICE, ${esc(
        p.lost.length,
      )} lost.</p>`
    : '<p>The load step did not run.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CATS certificate ${esc(c.country)} — ${esc(c.verdict)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:80em}
.verdict{font-size:1.6em;font-weight:bold;padding:.4em .8em;display:inline-block}
.verdict.CERTIFIED{background:#d4f4d4}.verdict.NOT{background:#f8d0d0}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em;vertical-align:top;text-align:left}
tr.pass .status{background:#d4f4d4}tr.fail .status{background:#f8d0d0;font-weight:bold}tr.not-applicable .status{background:#eee}
.section,.detail{color:#555;font-size:.9em}pre.evidence{white-space:pre-wrap;font-size:.8em;background:#f6f6f6;padding:.4em}
</style></head><body>
<h1>Certificate of conformance — CATS national node ${esc(c.country)}</h1>
<p class="verdict ${esc(c.verdict.split(' ')[0])}">${esc(c.verdict)}</p>
<dl><dt>Country</dt><dd>${esc(c.country)}</dd><dt>Implementation</dt><dd>${esc(c.implementation.version)} at ${esc(
    c.implementation.url,
  )}</dd><dt>Specification</dt><dd>${esc(c.specVersion)}</dd><dt>Issued</dt><dd>${esc(c.issuedAt)} (run ${esc(c.run)}, profile ${esc(
    c.profile,
  )})</dd><dt>Requirements</dt><dd>${c.summary.passed} passed, ${c.summary.failed} failed, ${c.summary.notApplicable} not applicable; ${c.summary.mandatory} mandatory</dd></dl>
<h2>Requirements</h2>
<table class="requirements"><tr><th>id</th><th>side</th><th>level</th><th>result</th><th>rule, evidence</th></tr>
${rows}
</table>
<h2>Performance</h2>
${perf}
</body></html>
`;
}

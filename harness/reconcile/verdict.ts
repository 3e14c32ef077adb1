// The reconciliation verdict: one result per check, with its counts and the
// first discrepancies (MRNs, message ids, GRNs), as summary.json, the report
// and the console show it.
import { Type, type Static } from '@sinclair/typebox';

/** Exit code of a run whose reconciliation failed (outside k6's 97–110 and the usage codes 1–2). */
export const RECONCILIATION_FAILED_EXIT = 12;

/** How many discrepancies a check keeps for the verdict (it counts them all). */
export const FIRST_DISCREPANCIES = 10;

export const Discrepancy = Type.Object({
  problem: Type.String({ description: 'What is wrong, in words' }),
  mrn: Type.Optional(Type.String()),
  messageId: Type.Optional(Type.String()),
  grn: Type.Optional(Type.String()),
  /** The country of the node concerned. */
  node: Type.Optional(Type.String()),
});
export type Discrepancy = Static<typeof Discrepancy>;

export const CheckStatus = Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('not-applicable')]);
export type CheckStatus = Static<typeof CheckStatus>;

export const CheckResult = Type.Object({
  /** Stable id: ctd-at-departure, cross-border-copies, c2c-exactly-once, guarantee-balances, server-errors. */
  id: Type.String(),
  title: Type.String(),
  status: CheckStatus,
  /** Items looked at (MRNs, messages, guarantees, seconds…). */
  checked: Type.Integer({ minimum: 0 }),
  /** Every discrepancy found (only the first few are listed). */
  discrepancies: Type.Integer({ minimum: 0 }),
  /** Counts by kind, e.g. {lost: 1, appliedTwice: 0}. */
  counts: Type.Record(Type.String(), Type.Integer()),
  first: Type.Array(Discrepancy),
  /** Why not applicable, or how the check was made (e.g. from the run's counts). */
  note: Type.Optional(Type.String()),
});
export type CheckResult = Static<typeof CheckResult>;

export const ReconciliationVerdict = Type.Object({
  passed: Type.Boolean({ description: 'No check failed (a check not applicable does not pass or fail)' }),
  /** The queues' state when the audit started. */
  drain: Type.Object({
    drained: Type.Boolean(),
    waitedSeconds: Type.Number(),
    detail: Type.String(),
  }),
  /** Where the run's acknowledged steps came from. */
  journal: Type.Union([Type.Literal('per-mrn'), Type.Literal('run-counts'), Type.Literal('none')]),
  checks: Type.Array(CheckResult),
});
export type ReconciliationVerdict = Static<typeof ReconciliationVerdict>;

/** Collects a check's discrepancies: all counted by kind, the first few kept. */
export class Findings {
  readonly counts: Record<string, number> = {};
  readonly first: Discrepancy[] = [];
  total = 0;

  constructor(kinds: readonly string[]) {
    for (const k of kinds) this.counts[k] = 0;
  }

  add(kind: string, d: Discrepancy): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    this.total++;
    if (this.first.length < FIRST_DISCREPANCIES) this.first.push(d);
  }

  /** Adds to a count that is not a discrepancy (e.g. items seen). */
  tally(kind: string, n = 1): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + n;
  }

  result(id: string, title: string, checked: number, note?: string): CheckResult {
    return {
      id,
      title,
      status: this.total > 0 ? 'fail' : 'pass',
      checked,
      discrepancies: this.total,
      counts: this.counts,
      first: this.first,
      ...(note ? { note } : {}),
    };
  }
}

export function notApplicable(id: string, title: string, reason: string): CheckResult {
  return { id, title, status: 'not-applicable', checked: 0, discrepancies: 0, counts: {}, first: [], note: reason };
}

/**
 * A check whose source is missing: not applicable when the target lacks the route,
 * failed when the part did not answer at all (nothing it holds can be vouched for).
 */
export function withoutSource(
  id: string,
  title: string,
  part: { node?: string; what: string },
  source: { unavailable: string; unreachable?: true },
): CheckResult {
  if (!source.unreachable) return notApplicable(id, title, `${part.what}: ${source.unavailable}`);
  return {
    id,
    title,
    status: 'fail',
    checked: 0,
    discrepancies: 1,
    counts: { unreachable: 1 },
    first: [
      {
        ...(part.node ? { node: part.node } : {}),
        problem: `${part.what} could not be audited: ${source.unavailable}`,
      },
    ],
  };
}

/** One line per check for the console, then the first discrepancies of each failed one. */
export function verdictLines(v: ReconciliationVerdict, maxPerCheck = 3): string[] {
  const nothingChecked = v.checks.every((c) => c.status === 'not-applicable');
  const head = !v.passed ? 'FAIL' : nothingChecked ? 'N/A ' : 'PASS';
  const lines = [
    `${head}  reconciliation${nothingChecked ? ': no check could be made' : ''}${v.drain.drained ? '' : ` (queues not drained: ${v.drain.detail})`}`,
  ];
  for (const c of v.checks) {
    const mark = c.status === 'pass' ? '✓' : c.status === 'fail' ? '✗' : '–';
    const counts = Object.entries(c.counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    const what =
      c.status === 'not-applicable'
        ? `not applicable: ${c.note ?? ''}`
        : `${c.checked} checked, ${c.discrepancies} discrepanc${c.discrepancies === 1 ? 'y' : 'ies'}${counts ? ` (${counts})` : ''}${c.note ? `; ${c.note}` : ''}`;
    lines.push(`  ${mark} ${c.title}: ${what}`);
    if (c.status === 'fail') for (const d of c.first.slice(0, maxPerCheck)) lines.push(`      ${describe(d)}`);
  }
  return lines;
}

export function describe(d: Discrepancy): string {
  const ids = [
    d.mrn && `MRN ${d.mrn}`,
    d.messageId && `message ${d.messageId}`,
    d.grn && `GRN ${d.grn}`,
    d.node && `node ${d.node}`,
  ].filter(Boolean);
  return `${ids.join(', ')}: ${d.problem}`;
}

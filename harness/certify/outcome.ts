// What a check found: its verdict on one requirement and the evidence for it.

export type Evidence =
  | {
      kind: 'http';
      request: { method: string; path: string; auth?: string; body?: unknown };
      response: { status: number; body?: unknown };
    }
  | { kind: 'message'; direction: 'to-node' | 'from-node'; message: unknown; ack?: unknown; note?: string }
  | { kind: 'note'; text: string };

export type Status = 'pass' | 'fail' | 'not-applicable';

export interface Outcome {
  status: Status;
  /** Why, in one sentence. */
  detail: string;
  evidence: Evidence[];
}

/** Collects the evidence of one check and turns its assertions into an outcome. */
export class Finding {
  readonly evidence: Evidence[] = [];
  private readonly failures: string[] = [];

  see(e: Evidence | { evidence: Evidence }): void {
    this.evidence.push('evidence' in e ? e.evidence : e);
  }

  note(text: string): void {
    this.evidence.push({ kind: 'note', text });
  }

  /** Records a failed expectation unless `ok`; returns `ok`. */
  expect(ok: boolean, failure: string): boolean {
    if (!ok) this.failures.push(failure);
    return ok;
  }

  outcome(passed: string): Outcome {
    return this.failures.length === 0
      ? { status: 'pass', detail: passed, evidence: this.evidence }
      : { status: 'fail', detail: this.failures.join('; '), evidence: this.evidence };
  }
}

export const notApplicable = (detail: string): Outcome => ({ status: 'not-applicable', detail, evidence: [] });

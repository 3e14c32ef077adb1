// The live progress line: rewritten in place on a terminal, a terse line every
// 10 s otherwise (CI logs).
import { formatTime } from '../summary/text-summary.ts';

export interface ProgressStats {
  elapsedMs: number;
  vus: number;
  vusMax: number;
  iterations: number;
  /** Iterations per second since the previous update. */
  iterationRate: number;
  /** p95 of http_req_duration, or of iteration_duration when the script makes no HTTP requests. */
  p95?: { metric: string; ms: number };
  errors: number;
  dropped: number;
}

const PLAIN_EVERY_MS = 10_000;

export class Progress {
  private lastPlain = 0;
  private drawn = false;
  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly scenarios: string,
    private readonly totalMs: number,
    private readonly enabled: boolean,
  ) {}

  line(s: ProgressStats): string {
    const pct = this.totalMs > 0 ? ` ${Math.min(100, Math.floor((s.elapsedMs / this.totalMs) * 100))}%` : '';
    const p95 = s.p95 ? ` · p95 ${formatTime(s.p95.ms)}` : '';
    const dropped = s.dropped ? ` · ${s.dropped} dropped` : '';
    return `running (${formatTime(Math.round(s.elapsedMs / 100) * 100)}${pct}) ${this.scenarios} · ${s.vus}/${s.vusMax} VUs · ${s.iterations} iterations · ${s.iterationRate.toFixed(1)} it/s${p95} · ${s.errors} errors${dropped}`;
  }

  update(s: ProgressStats): void {
    if (!this.enabled) return;
    if (this.stream.isTTY) {
      const text = this.line(s).slice(0, Math.max(20, (this.stream.columns || 120) - 1));
      this.stream.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else if (s.elapsedMs - this.lastPlain >= PLAIN_EVERY_MS) {
      this.lastPlain = s.elapsedMs;
      this.stream.write(`${this.line(s)}\n`);
    }
  }

  finish(s: ProgressStats): void {
    if (!this.enabled) return;
    if (this.drawn) this.stream.write(`\r\x1b[2K${this.line(s)}\n`);
    else this.stream.write(`${this.line(s)}\n`);
  }
}

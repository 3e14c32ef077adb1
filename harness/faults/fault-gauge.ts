// `cats_fault_active{fault,target,testid}`: 1 while a fault is under way, 0
// otherwise, remote-written to the Prometheus that receives the run, once a
// second, so dashboards can shade the faults over the run's metrics.
import { compress as snappyCompress } from 'snappyjs';
import { encodeWriteRequest, type TimeSeries } from '../engine/output/remote-write/proto.ts';
import type { FaultRecord } from './injector.ts';

export const FAULT_GAUGE = 'cats_fault_active';

export interface FaultGaugeOptions {
  remoteWriteUrl: string;
  testId: string;
  /** Every scheduled fault, as `fault` and `target` labels; a gauge per fault from the start. */
  faults: Array<{ fault: string; target: string }>;
  /** The edges recorded so far. */
  records: () => readonly FaultRecord[];
  intervalMs?: number;
  /** A push that failed (the run goes on without it). */
  onError?: (err: Error) => void;
}

const key = (f: { fault: string; target: string }) => `${f.fault} ${f.target}`;

export class FaultGauge {
  private timer: NodeJS.Timeout | undefined;
  private pushing: Promise<void> = Promise.resolve();
  private readonly faults: Array<{ fault: string; target: string }>;

  constructor(private readonly opts: FaultGaugeOptions) {
    this.faults = [...new Map(opts.faults.map((f) => [key(f), f])).values()];
  }

  /** Faults started (and applied) and not yet ended. */
  private active(): Set<string> {
    const on = new Set<string>();
    for (const r of this.opts.records()) {
      if (r.phase === 'start' && r.ok) on.add(key(r));
      else if (r.phase === 'end') on.delete(key(r));
    }
    return on;
  }

  start(): void {
    this.push();
    this.timer = setInterval(() => this.push(), this.opts.intervalMs ?? 1000);
  }

  /** Pushes the last values (every fault over by then) and stops. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.push();
    await this.pushing;
  }

  private push(): void {
    const now = Date.now();
    const on = this.active();
    const series: TimeSeries[] = this.faults.map((f) => ({
      labels: [
        { name: '__name__', value: FAULT_GAUGE },
        { name: 'fault', value: f.fault },
        { name: 'target', value: f.target },
        { name: 'testid', value: this.opts.testId },
      ],
      samples: [{ value: on.has(key(f)) ? 1 : 0, timestamp: now }],
    }));
    // One push at a time, in order, so Prometheus never sees a sample older than the last.
    this.pushing = this.pushing.then(() => this.send(series));
  }

  private async send(series: TimeSeries[]): Promise<void> {
    try {
      const res = await fetch(this.opts.remoteWriteUrl, {
        method: 'POST',
        body: new Uint8Array(snappyCompress(encodeWriteRequest(series))),
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
          'user-agent': 'cats-stress',
        },
        signal: AbortSignal.timeout(5000),
      });
      if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${(await res.text()).trim().slice(0, 200)}`);
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      this.opts.onError?.(err as Error);
    }
  }
}

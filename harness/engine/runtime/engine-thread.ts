// The coordinator's handle on one engine worker thread.
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerData } from './protocol.ts';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** A worker reported a failure: script exception (107) and the like. */
export class ThreadFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

type Waiter = { resolve: (m: FromWorker) => void; reject: (e: Error) => void };

export class EngineThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<FromWorker['type'], Waiter>();
  private exited = false;
  onMetrics: (m: Extract<FromWorker, { type: 'metrics' }>) => void = () => {};
  onStopTest: (m: Extract<FromWorker, { type: 'stopTest' }>) => void = () => {};

  constructor(
    readonly index: number,
    data: Omit<WorkerData, 'index'>,
    log: NodeJS.WritableStream,
  ) {
    // As in k6, the script's console output is log output (stderr): stdout stays for the summary.
    this.worker = new Worker(ENTRY, {
      workerData: { ...data, index } satisfies WorkerData,
      stdout: true,
      stderr: true,
    });
    this.worker.stdout.pipe(log, { end: false });
    this.worker.stderr.pipe(log, { end: false });
    this.worker.on('message', (m: FromWorker) => this.dispatch(m));
    this.worker.on('error', (err) => this.failAll(new ThreadFailure(107, `engine thread ${index}: ${err.message}`)));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.failAll(new ThreadFailure(107, `engine thread ${index} exited unexpectedly (code ${code})`));
    });
  }

  private dispatch(m: FromWorker): void {
    if (m.type === 'metrics') return this.onMetrics(m);
    if (m.type === 'stopTest') return this.onStopTest(m);
    if (m.type === 'failed') return this.failAll(new ThreadFailure(m.code, m.message));
    const w = this.waiting.get(m.type);
    if (!w) {
      this.unclaimed.push(m);
      return;
    }
    this.waiting.delete(m.type);
    w.resolve(m);
  }

  /** Messages that arrived before anyone expected them. */
  private readonly unclaimed: FromWorker[] = [];

  private failAll(err: Error): void {
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiters) w.reject(err);
    this.pendingFailure ??= err;
  }

  private pendingFailure: Error | undefined;

  /** The next message of `type`; rejects when the thread reports a failure. */
  expect<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.pendingFailure) {
        const err = this.pendingFailure;
        this.pendingFailure = undefined;
        return reject(err);
      }
      const early = this.unclaimed.findIndex((m) => m.type === type);
      if (early >= 0) return resolve(this.unclaimed.splice(early, 1)[0] as Extract<FromWorker, { type: T }>);
      this.waiting.set(type, { resolve: resolve as (m: FromWorker) => void, reject });
    });
  }

  send(msg: ToWorker): void {
    if (!this.exited) this.worker.postMessage(msg);
  }

  async terminate(): Promise<void> {
    this.exited = true;
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

// A part of a deployment kept running: when its process dies it is started
// again (same port, same data) after the policy's delay, until it dies too
// often and is reported failed. Stopping it stops whatever incarnation runs
// or is starting, and nothing is restarted after that.
import { RestartTracker, type RestartPolicy } from './restart-policy.ts';

/** One run of a part's process. */
export interface Incarnation {
  readonly pid: number | undefined;
  /** Settles once the process is ready to serve; rejects if it is not. */
  readonly ready: Promise<void>;
  /** Resolves when the process has exited (also after a failed start). */
  readonly exited: Promise<unknown>;
  stop(): Promise<void>;
}

export type PartStatus = 'running' | 'restarting' | 'failed' | 'stopped';

export interface PartState {
  name: string;
  status: PartStatus;
  pid: number | undefined;
  restarts: number;
}

export interface RestartingPartOptions {
  /** Starts a new incarnation; it must not throw (a failed start rejects `ready`). */
  start: () => Incarnation;
  policy?: RestartPolicy;
  say: (line: string) => void;
  /** After every change of status, pid or restart count. */
  changed?: (state: PartState) => void;
}

export class RestartingPart {
  private current: Incarnation;
  private status: PartStatus = 'running';
  private restarts = 0;
  private readonly tracker: RestartTracker;
  private wake: () => void = () => undefined;
  /** Settles when the part is stopped or failed for good. */
  readonly done: Promise<void>;

  /** `first`: the incarnation already started and ready. */
  constructor(
    readonly name: string,
    first: Incarnation,
    private readonly opts: RestartingPartOptions,
  ) {
    this.current = first;
    this.tracker = new RestartTracker(opts.policy);
    this.done = this.keep();
  }

  get state(): PartState {
    return { name: this.name, status: this.status, pid: this.current.pid, restarts: this.restarts };
  }

  private set(status: PartStatus): void {
    this.status = status;
    this.opts.changed?.(this.state);
  }

  private get stopped(): boolean {
    return this.status === 'stopped';
  }

  private async keep(): Promise<void> {
    for (;;) {
      const code = await this.current.exited;
      if (this.stopped) return;
      const decision = this.tracker.died(Date.now());
      if (!decision.restart) {
        this.opts.say(`${this.name} failed: ${decision.why}; not restarted`);
        this.set('failed');
        return;
      }
      this.opts.say(
        `${this.name} exited${code === undefined ? '' : ` (${String(code)})`}; restarting in ${decision.delayMs} ms`,
      );
      this.set('restarting');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, decision.delayMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopped) return;
      this.restarts++;
      this.current = this.opts.start();
      this.opts.changed?.(this.state);
      try {
        await this.current.ready;
      } catch (err) {
        if (this.stopped) return;
        this.opts.say(`${this.name} did not start again: ${(err as Error | undefined)?.message ?? 'exited'}`);
        await this.current.stop();
        continue;
      }
      if (this.stopped) return;
      this.opts.say(`${this.name} restarted (pid ${this.current.pid}, restart ${this.restarts})`);
      this.set('running');
    }
  }

  /** Stops the part for good; a failed part has nothing left to stop. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.status = 'stopped';
    this.wake();
    await this.current.stop();
  }
}

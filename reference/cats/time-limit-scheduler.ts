// Watches the time limits of the movements declared here, in business time:
// opens the enquiry on a movement past its limit date and starts recovery
// once an enquiry period is over without the goods reported arrived. Each
// action is one state-machine step on the locked movement, so work done
// before a restart, or by another instance, is refused as out of sequence and
// skipped: the scheduler can run anywhere, any number of times. A movement
// still waiting for its guarantee country's answer past its limit is refused.
import { countPastLimit, enquiriesDue, pastLimit } from '../store/movements.ts';
import { guaranteeAnswersOverdue } from '../store/guarantee-uses.ts';
import { guaranteeUnanswered } from './guarantee-abroad.ts';
import type { NodeContext } from './context.ts';
import { openEnquiry } from './enquiry.ts';
import { startRecovery } from './recovery.ts';
import { Rejection } from './rejection.ts';

const BATCH = 100;

export class TimeLimitScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: NodeContext,
    /** Real milliseconds between checks. */
    private readonly intervalMs = 1000,
    private readonly log: (event: Record<string, unknown>) => void = () => undefined,
  ) {}

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((err: Error) => this.log({ event: 'time-limit-check-failed', error: err.message }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One check; the number of steps taken. */
  async tick(): Promise<number> {
    let done = 0;
    const now = this.ctx.now();
    for (const mrn of await pastLimit(this.ctx.pool, now, BATCH))
      if (await this.attempt(() => openEnquiry(this.ctx, mrn))) done++;
    for (const mrn of await enquiriesDue(this.ctx.pool, now, BATCH))
      if (await this.attempt(() => startRecovery(this.ctx, null, mrn, 'enquiry period over without proof of arrival')))
        done++;
    for (const mrn of await guaranteeAnswersOverdue(this.ctx.pool, now, BATCH))
      if (await this.attempt(() => guaranteeUnanswered(this.ctx, mrn))) done++;
    this.ctx.metrics.pastLimit.set(await countPastLimit(this.ctx.pool, now));
    return done;
  }

  /** Runs a step; false when it no longer applies (taken meanwhile by someone else). */
  private async attempt(step: () => Promise<unknown>): Promise<boolean> {
    try {
      await step();
      return true;
    } catch (err) {
      if (err instanceof Rejection && (err.status === 409 || err.status === 404)) return false;
      throw err;
    }
  }
}

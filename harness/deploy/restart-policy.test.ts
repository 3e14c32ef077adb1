import { describe, expect, it } from 'vitest';
import { parseRestartLimit, RestartTracker } from './restart-policy.ts';

const policy = { initialDelayMs: 200, maxDelayMs: 1000, maxRestarts: 5, windowMs: 60_000 };

describe('restart policy', () => {
  it('doubles the delay with every recent restart, up to the maximum', () => {
    const t = new RestartTracker(policy);
    const delays = [0, 1, 2, 3, 4].map((i) => t.died(i * 1000));
    expect(delays).toEqual([200, 400, 800, 1000, 1000].map((delayMs) => ({ restart: true, delayMs })));
  });

  it('fails a part that needs more restarts than the limit within the window', () => {
    const t = new RestartTracker(policy);
    for (let i = 0; i < 5; i++) expect(t.died(i).restart).toBe(true);
    const sixth = t.died(10);
    expect(sixth.restart).toBe(false);
    expect(sixth).toMatchObject({ why: 'died after 5 restarts within 60 s' });
  });

  it('forgets restarts older than the window: a part that ran a while starts again at the first delay', () => {
    const t = new RestartTracker(policy);
    for (let i = 0; i < 5; i++) t.died(i);
    expect(t.died(70_000)).toEqual({ restart: true, delayMs: 200 });
  });
});

describe('restart limit', () => {
  it('reads N/DURATION with k6 durations', () => {
    expect(parseRestartLimit('5/60s')).toEqual({ maxRestarts: 5, windowMs: 60_000 });
    expect(parseRestartLimit('3/10m')).toEqual({ maxRestarts: 3, windowMs: 600_000 });
  });

  it('refuses what is not N/DURATION, naming the value', () => {
    expect(() => parseRestartLimit('5')).toThrow("--restart-limit: '5' is not N/DURATION (use e.g. 5/60s)");
    expect(() => parseRestartLimit('x/60s')).toThrow('is not N/DURATION');
    expect(() => parseRestartLimit('5/soon')).toThrow(/'5\/soon' has no valid window/);
    expect(() => parseRestartLimit('5/0s')).toThrow('has an empty window');
  });
});

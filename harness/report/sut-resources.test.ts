// Which SUT resource gave way first: the earliest second any part passed its limit, up to the knee.
import { describe, expect, it } from 'vitest';
import type { SutLine } from './sut-file.ts';
import { sutReading } from './sut-resources.ts';

const node = (t: number, cpuCores: number, extra: Partial<SutLine> = {}): SutLine => ({
  t,
  part: 'node KZ',
  cpuCores,
  rssBytes: 1e8,
  eventLoopLagP99Ms: 10,
  dbPoolTotal: 10,
  dbPoolWaiting: 0,
  ...extra,
});
const ice = (t: number, queueDepth: number): SutLine => ({
  t,
  part: 'ICE',
  cpuCores: 0.2,
  rssBytes: 1e8,
  eventLoopLagP99Ms: 5,
  queueDepth,
  inFlight: 0,
});

describe('SUT reading at the knee', () => {
  it('names the resource that passed its limit first', () => {
    const lines = [
      node(1, 0.5),
      ice(1, 0),
      node(2, 0.97),
      ice(2, 5),
      node(3, 1, { dbPoolWaiting: 4, eventLoopLagP99Ms: 80 }),
      ice(3, 9),
      ice(4, 20),
      ice(5, 40),
    ];
    const r = sutReading(lines, 0, 10);
    expect(r.saturated).toMatchObject({ part: 'node KZ', resource: 'CPU', t: 2 });
    expect(r.saturated!.detail).toBe('node KZ CPU at 0.97 cores (one core is the limit of a single Node process)');
    expect(r.busiest).toEqual([
      'node KZ: CPU ≤ 1 cores, event-loop lag p99 ≤ 80 ms, DB pool waiting ≤ 4',
      'ICE: CPU ≤ 0.2 cores, event-loop lag p99 ≤ 5 ms, queue ≤ 40',
    ]);
    // Without the CPU line, the DB pool and the event loop gave way in the same second; a growing ICE queue only after three seconds of growth.
    const noCpu = lines.map((l) => ({ ...l, cpuCores: 0.3 }));
    expect(sutReading(noCpu, 0, 10).saturated).toMatchObject({ resource: 'DB pool', t: 3 });
    expect(
      sutReading(
        noCpu.filter((l) => l.part === 'ICE'),
        0,
        10,
      ).saturated,
    ).toMatchObject({ resource: 'ICE queue', t: 4, value: 20 });
  });

  it('looks only up to the knee and skips gaps', () => {
    const lines: SutLine[] = [node(1, 0.4), { t: 2, part: 'node KZ', gap: 'no answer within 900 ms' }, node(3, 0.99)];
    expect(sutReading(lines, 0, 2).saturated).toBeNull();
    expect(sutReading(lines, 0, 3).saturated).toMatchObject({ resource: 'CPU', t: 3 });
  });
});

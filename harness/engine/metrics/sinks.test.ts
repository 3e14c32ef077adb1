import { describe, expect, it } from 'vitest';
import { CounterSink, GaugeSink, RateSink, TrendSink } from './sinks.ts';

/** k6's TrendSink.P over all samples. */
function k6Percentile(sorted: number[], p: number): number {
  const i = p * (sorted.length - 1);
  const lo = sorted[Math.floor(i)];
  const hi = sorted[Math.ceil(i)];
  return lo + (hi - lo) * (i - Math.floor(i));
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('TrendSink', () => {
  const ps = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

  it('agrees with k6 percentiles within the stated 0.05 % on skewed latencies', () => {
    const rnd = lcg(7);
    const t = new TrendSink();
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const v = 0.2 + rnd() ** 4 * 2_000; // 0.2 ms .. 2 s, long tail
      values.push(v);
      t.add(v);
    }
    values.sort((a, b) => a - b);
    const got = t.percentiles(ps);
    ps.forEach((p, i) =>
      expect(Math.abs(got[i] - k6Percentile(values, p))).toBeLessThanOrEqual(k6Percentile(values, p) * 0.0005 + 0.001),
    );
    expect(t.avg).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
    expect([t.min, t.max]).toEqual([values[0], values.at(-1)]);
  });

  it('handles negative values and tiny samples like k6', () => {
    const t = new TrendSink();
    for (const v of [-5, 3, -1, 10]) t.add(v);
    const sorted = [-5, -1, 3, 10];
    const got = t.percentiles([0, 0.5, 0.9, 1]);
    [0, 0.5, 0.9, 1].forEach((p, i) => expect(got[i]).toBeCloseTo(k6Percentile(sorted, p), 2));
    const one = new TrendSink();
    one.add(42);
    expect(one.percentiles([0.5, 0.99])).toEqual([42, 42]);
    expect(new TrendSink().percentiles([0.5])).toEqual([0]);
  });

  it('merges worker deltas into exactly the histogram of all samples', () => {
    const rnd = lcg(11);
    const whole = new TrendSink();
    const parts = [new TrendSink(), new TrendSink(), new TrendSink()];
    for (let i = 0; i < 30_000; i++) {
      const v = rnd() * 300;
      whole.add(v);
      parts[i % 3].add(v);
    }
    const merged = new TrendSink();
    for (const p of parts) merged.merge(p.state()!);
    expect(merged.count).toBe(whole.count);
    expect(merged.sum).toBeCloseTo(whole.sum, 6);
    expect(merged.percentiles(ps)).toEqual(whole.percentiles(ps));
  });

  it('keeps memory flat: a million samples fit in the same buckets', () => {
    const t = new TrendSink();
    for (let i = 0; i < 1_000_000; i++) t.add((i % 5000) / 10);
    const buckets = (t.state() as { positive: number[] }).positive.length / 2;
    expect(buckets).toBeLessThan(5000);
    expect(t.count).toBe(1_000_000);
  });
});

describe('other sinks', () => {
  it('counter, rate and gauge merge like single sinks', () => {
    const c = new CounterSink();
    c.add(2);
    c.add(3);
    const c2 = new CounterSink();
    c2.merge(c.state()!);
    expect(c2.sum).toBe(5);

    const r = new RateSink();
    [1, 0, 1, 1].forEach((v) => r.add(v));
    const r2 = new RateSink();
    r2.merge(r.state()!);
    expect([r2.passes, r2.total]).toEqual([3, 4]);

    const g1 = new GaugeSink();
    const g2 = new GaugeSink();
    g1.add(5, 100);
    g1.add(1, 200);
    g2.add(9, 150);
    const g = new GaugeSink();
    g.merge(g1.state()!);
    g.merge(g2.state()!);
    expect([g.value, g.min, g.max]).toEqual([1, 1, 9]);
  });
});

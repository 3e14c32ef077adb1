// Expected values are those of grafana/k6 v0.49.0 lib/execution_segment_test.go (TestGetStripedOffsets,
// TestExecutionTupleScale, TestGetNewExecutionTupleBesedOnValue), which pin k6's striping algorithm.
import { describe, expect, it } from 'vitest';
import { ExecutionTuple, parseExecutionSegment, parseRational, segmentString } from './execution-segment.ts';

/** The first cycle of a segment's indexes: k6's start followed by its offsets, as absolute positions. */
function cycle(t: ExecutionTuple): number[] {
  const out: number[] = [];
  for (let n = 0; t.nth(n) < t.lcd; n++) out.push(t.nth(n));
  return out;
}

/** k6's (start, offsets) as the positions they name within one cycle. */
function positions(start: number, offsets: number[]): number[] {
  const out = [start];
  for (const o of offsets.slice(0, -1)) out.push(out[out.length - 1] + o);
  return out;
}

describe('execution segments as k6 parses them', () => {
  it('reads percentages, decimals and fractions; a single value is the segment from 0', () => {
    expect(parseRational('25%')).toEqual({ n: 1n, d: 4n });
    expect(parseRational('0.25')).toEqual({ n: 1n, d: 4n });
    expect(parseRational('2/8')).toEqual({ n: 1n, d: 4n });
    expect(segmentString(parseExecutionSegment('1/2:75%'))).toBe('1/2:3/4');
    expect(segmentString(parseExecutionSegment('0.2'))).toBe('0:1/5');
    expect(segmentString(parseExecutionSegment(''))).toBe('0:1');
  });

  it('refuses what k6 refuses', () => {
    expect(() => parseExecutionSegment('3/4:1/2')).toThrow(/must be less than its end/);
    expect(() => parseExecutionSegment('0:1.5')).toThrow(/can't be more than 1/);
    expect(() => parseExecutionSegment('half')).toThrow(/not a valid percentage/);
    expect(() => ExecutionTuple.of('0:1/3', '0,1/2,1')).toThrow(/couldn't find segment 0:1\/3 in sequence 0,1\/2,1/);
    expect(() => ExecutionTuple.of('0:1/2', '0,1/2')).not.toThrow();
    expect(() => ExecutionTuple.of('0:1/2', '0')).toThrow(/at least 2 points/);
  });
});

describe("k6's striping of indexes over a sequence", () => {
  it.each([
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0:0.3', 0, [4, 3, 3], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.3:0.5', 1, [4, 6], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.5:0.6', 2, [10], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.8:0.9', 8, [10], 10],
    ['0,0.2,0.5,0.6,0.7,0.8,0.9,1', '0:0.2', 1, [4, 6], 10],
    ['0,0.2,0.5', '0:0.2', 3, [6, 4], 10],
    ['0,0.2,0.5', '0.2:0.5', 1, [4, 2, 4], 10],
    ['0,2/5,4/5', '2/5:4/5', 1, [3, 2], 5],
    ['', '0:0.2', 1, [5], 5],
    ['', '0:0.4', 1, [2, 3], 5],
    ['', '1/10:5/10', 1, [2, 2, 4, 2], 10],
  ])('sequence %s, segment %s: start %i, offsets %j, lcd %i', (seq, seg, start, offsets, lcd) => {
    const t = ExecutionTuple.of(seg, seq);
    expect(t.lcd).toBe(lcd);
    expect(cycle(t)).toEqual(positions(start, offsets));
  });

  it('scales whole numbers as k6 does', () => {
    expect(ExecutionTuple.of('0.5').scale(2)).toBe(1);
    expect(ExecutionTuple.of('0.5').scale(3)).toBe(2);
    expect(ExecutionTuple.of('0.5:1.0').scale(3)).toBe(1);
    expect(ExecutionTuple.of('0.5', '0,0.5,1').scale(3)).toBe(2);
    expect(ExecutionTuple.of('0.5:1.0', '0,0.5,1').scale(3)).toBe(1);
  });

  it('re-cuts the sequence by a value as k6 does', () => {
    expect(ExecutionTuple.of('0:1/3', '0,1/3,2/3,1').fromValue(20)!.sequenceString()).toBe('0,7/20,7/10,1');
    // A segment with no share of the value has no work.
    expect(ExecutionTuple.of('2/3:1', '0,1/3,2/3,1').fromValue(2)).toBeUndefined();
  });

  it("splits any count and any index range over the k6-operator's sequences exactly", () => {
    for (const n of [2, 3, 4, 7]) {
      const points = ['0', ...Array.from({ length: n - 1 }, (_, i) => `${i + 1}/${n}`), '1'];
      const tuples = points.slice(1).map((to, i) => ExecutionTuple.of(`${points[i]}:${to}`, points.join(',')));
      for (const value of [0, 1, 2, 5, 13, 100, 1001]) {
        expect(tuples.reduce((a, t) => a + t.scale(value), 0)).toBe(value);
        // The indexes below `value` each belong to exactly one segment, which counts it in its share.
        const seen = tuples.flatMap((t) => Array.from({ length: t.scale(value) }, (_, k) => t.nth(k)));
        expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: value }, (_, k) => k));
        for (const v of [1, 3, 50]) {
          const recut = tuples.map((t) => t.fromValue(v));
          const all = recut.flatMap((t) => (t ? Array.from({ length: t.scale(value) }, (_, k) => t.nth(k)) : []));
          expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: value }, (_, k) => k));
        }
      }
    }
  });

  it('leaves the whole test as it is', () => {
    const whole = ExecutionTuple.whole();
    expect(whole.isWhole).toBe(true);
    expect(whole.scale(17)).toBe(17);
    expect(whole.nth(17)).toBe(17);
    expect(whole.fromValue(5)).toBe(whole);
    expect(ExecutionTuple.of('0:1').isWhole).toBe(true);
  });
});

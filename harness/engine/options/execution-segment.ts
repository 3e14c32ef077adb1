// k6's execution segments: the part of a test one instance of a distributed run executes
// (`--execution-segment 1/3:2/3 --execution-segment-sequence 0,1/3,2/3,1`). Ported from
// grafana/k6 v0.49.0 lib/execution_segment.go: the same parsing, the same striping of indexes
// over the segments of a sequence (ExecutionSegmentSequenceWrapper), the same integer scaling
// (ExecutionTuple.ScaleInt64) and re-segmentation by a value (GetNewExecutionTupleFromValue), so
// that N instances of the engine split VUs, iterations and arrivals exactly as N k6 instances do,
// and together run every iteration of the test exactly once.

/** A non-negative rational number, reduced. */
export interface Rational {
  n: bigint;
  d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b) [a, b] = [b, a % b];
  return a;
};
const rat = (n: bigint, d: bigint): Rational => {
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
};
const cmp = (a: Rational, b: Rational): number => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};
const sub = (a: Rational, b: Rational): Rational => rat(a.n * b.d - b.n * a.d, a.d * b.d);
const ratString = (r: Rational): string => (r.d === 1n ? String(r.n) : `${r.n}/${r.d}`);

/** A percentage (`25%`), decimal (`0.25`) or fraction (`1/4`), as k6 reads them. */
export function parseRational(s: string): Rational {
  const t = s.trim();
  let m = /^(\d+)%$/.exec(t);
  if (m) return rat(BigInt(m[1]), 100n);
  m = /^(\d+)\/(\d+)$/.exec(t);
  if (m && BigInt(m[2]) !== 0n) return rat(BigInt(m[1]), BigInt(m[2]));
  m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (m && (m[1] || m[2])) {
    const frac = m[2] ?? '';
    return rat(BigInt(`${m[1] || '0'}${frac}`), 10n ** BigInt(frac.length));
  }
  throw new Error(`'${s}' is not a valid percentage, decimal, fraction or interval value`);
}

/** The segment (from, to] of the whole test, 0 ≤ from < to ≤ 1. */
export interface ExecutionSegment {
  from: Rational;
  to: Rational;
}

const ZERO = rat(0n, 1n);
const ONE = rat(1n, 1n);

function segment(from: Rational, to: Rational): ExecutionSegment {
  if (cmp(from, to) >= 0)
    throw new Error(`segment start (${ratString(from)}) must be less than its end (${ratString(to)})`);
  if (cmp(to, ONE) > 0) throw new Error(`segment end value can't be more than 1 but was ${ratString(to)}`);
  return { from, to };
}

export function segmentString(s: ExecutionSegment): string {
  return `${ratString(s.from)}:${ratString(s.to)}`;
}

/** `1/2:3/4` is (1/2, 3/4]; a single value `20%` is (0, 1/5]; empty is the whole test. */
export function parseExecutionSegment(s: string): ExecutionSegment {
  if (s === '') return { from: ZERO, to: ONE };
  const colon = s.indexOf(':');
  return colon < 0
    ? segment(ZERO, parseRational(s))
    : segment(parseRational(s.slice(0, colon)), parseRational(s.slice(colon + 1)));
}

/** `r1,r2,…,rn`: the segments (r1, r2], (r2, r3], …, (rn-1, rn]. */
export function parseExecutionSegmentSequence(s: string): ExecutionSegment[] {
  if (s === '') return [];
  const points = s.split(',').map(parseRational);
  if (points.length < 2)
    throw new Error(`at least 2 points are needed for an execution segment sequence, ${points.length} given`);
  return points.slice(1).map((to, i) => segment(points[i], to));
}

const sameSegment = (a: ExecutionSegment, b: ExecutionSegment): boolean =>
  cmp(a.from, b.from) === 0 && cmp(a.to, b.to) === 0;

/** k6's GetFilledExecutionSegmentSequence: the sequence, or the segment, filled out to cover (0, 1]. */
function filled(sequence: ExecutionSegment[], fallback: ExecutionSegment): ExecutionSegment[] {
  const result = sequence.length ? [...sequence] : [fallback];
  if (cmp(result[0].from, ZERO) !== 0) result.unshift({ from: ZERO, to: result[0].from });
  const last = result[result.length - 1];
  if (cmp(last.to, ONE) !== 0) result.push({ from: last.to, to: ONE });
  return result;
}

/**
 * k6's striping (NewExecutionSegmentSequenceWrapper): within every cycle of `lcd` indexes, the
 * positions each segment of the full sequence owns, spread as evenly as the segment's length allows.
 */
function stripe(sequence: ExecutionSegment[]): { lcd: number; positions: number[][] } {
  const lengths = sequence.map((s) => sub(s.to, s.from));
  let lcd = lengths[0].d;
  for (const l of lengths.slice(1)) if (lcd % l.d !== 0n) lcd *= l.d / gcd(lcd, l.d);
  if (lcd > BigInt(Number.MAX_SAFE_INTEGER) / 4n)
    throw new Error('the execution segment sequence is too fine: its common denominator is too large');
  const lcdN = Number(lcd);
  const sorted = lengths
    .map((l, originalIndex) => ({ norm: Number(l.n * (lcd / l.d)), originalIndex }))
    // Stable, biggest first: the biggest segments have the hardest time not taking neighbouring indexes.
    .sort((a, b) => b.norm - a.norm);
  const chosen = sorted.map(() => 0);
  const positions: number[][] = sequence.map(() => []);
  for (let i = 0; i < lcdN; i++) {
    for (let si = 0; si < sorted.length; si++) {
      const num = chosen[si] * lcdN;
      const denom = sorted[si].norm;
      const q = Math.floor(num / denom);
      if (i > q || (i === q && num % denom === 0)) {
        chosen[si]++;
        positions[sorted[si].originalIndex].push(i);
        break;
      }
    }
  }
  return { lcd: lcdN, positions };
}

/**
 * One segment of a full sequence (k6's ExecutionTuple): which indexes of the whole test are
 * this instance's, and its share of any whole number.
 */
export class ExecutionTuple {
  readonly lcd: number;
  /** The positions within each cycle of `lcd` indexes that belong to this segment, ascending. */
  private readonly mine: number[];
  private readonly stripes: number[][];

  private constructor(
    readonly sequence: ExecutionSegment[],
    readonly index: number,
  ) {
    const { lcd, positions } = stripe(sequence);
    this.lcd = lcd;
    this.stripes = positions;
    this.mine = positions[index];
  }

  /** The whole test, unsegmented. */
  static whole(): ExecutionTuple {
    return new ExecutionTuple([{ from: ZERO, to: ONE }], 0);
  }

  /** k6's NewExecutionTuple from the --execution-segment and --execution-segment-sequence values. */
  static of(segmentText?: string, sequenceText?: string): ExecutionTuple {
    const seg = parseExecutionSegment(segmentText ?? '');
    const sequence = filled(parseExecutionSegmentSequence(sequenceText ?? ''), seg);
    for (let i = 1; i < sequence.length; i++)
      if (cmp(sequence[i].from, sequence[i - 1].to) !== 0)
        throw new Error(
          `the start value ${ratString(sequence[i].from)} of segment #${i} must be equal to the end value of the previous one, but it is ${ratString(sequence[i - 1].to)}`,
        );
    const index = sequence.findIndex((s) => sameSegment(s, seg));
    if (index < 0)
      throw new Error(
        `couldn't find segment ${segmentString(seg)} in sequence ${[ratString(sequence[0].from), ...sequence.map((s) => ratString(s.to))].join(',')}`,
      );
    return new ExecutionTuple(sequence, index);
  }

  get segment(): ExecutionSegment {
    return this.sequence[this.index];
  }

  /** Whether this instance runs the whole test. */
  get isWhole(): boolean {
    return this.sequence.length === 1;
  }

  /** This segment's share of `value` (k6's ScaleInt64): the shares of all segments add up to `value`. */
  scale(value: number): number {
    if (this.isWhole) return value;
    const cycles = Math.floor(value / this.lcd);
    const rest = value - cycles * this.lcd;
    let n = cycles * this.mine.length;
    for (const p of this.mine) if (p < rest) n++;
    return n;
  }

  /** The index in the whole test of this segment's `n`-th one (0-based), as k6's SegmentedIndex counts. */
  nth(n: number): number {
    if (this.isWhole) return n;
    const len = this.mine.length;
    return Math.floor(n / len) * this.lcd + this.mine[n % len];
  }

  /**
   * k6's GetNewExecutionTupleFromValue: the sequence re-cut so that every segment's length is its
   * share of `value` over `value` (segments with no share drop out). k6 stripes the iterations of
   * shared-iterations by its VUs and the arrivals of arrival-rate executors by their maxVUs this way.
   * Undefined when this segment has no share of `value`.
   */
  fromValue(value: number): ExecutionTuple | undefined {
    if (value < 1) return undefined;
    if (value % this.lcd === 0) return this;
    const sequence: ExecutionSegment[] = [];
    let newIndex = -1;
    let prev = 0;
    for (let i = 0; i < this.sequence.length; i++) {
      const share = this.scaleFor(i, value);
      if (share === 0) continue;
      if (i === this.index) newIndex = sequence.length;
      sequence.push({ from: rat(BigInt(prev), BigInt(value)), to: rat(BigInt(prev + share), BigInt(value)) });
      prev += share;
    }
    return newIndex < 0 ? undefined : new ExecutionTuple(sequence, newIndex);
  }

  private scaleFor(i: number, value: number): number {
    const cycles = Math.floor(value / this.lcd);
    const rest = value - cycles * this.lcd;
    return cycles * this.stripes[i].length + this.stripes[i].filter((p) => p < rest).length;
  }

  /** The full sequence as k6 writes it: `0,7/20,7/10,1`. */
  sequenceString(): string {
    return [ratString(this.sequence[0].from), ...this.sequence.map((s) => ratString(s.to))].join(',');
  }

  toString(): string {
    return `${segmentString(this.segment)} in ${this.sequenceString()}`;
  }
}

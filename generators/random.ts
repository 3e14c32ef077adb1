// A small, fast, seeded pseudo-random generator (sfc32) and the draws the
// generators need. Every random choice in a data set comes from one of these,
// seeded from the data set's seed and a stream label, so the same seed gives
// the same bytes and one stream's draws never shift another's.
import { hashString } from '../reference/domain/hash.ts';

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator for `stream` of the data set seeded with `seed`. */
  constructor(seed: string | number, stream = '') {
    const key = `${seed}/${stream}`;
    this.a = hashString(`a:${key}`);
    this.b = hashString(`b:${key}`);
    this.c = hashString(`c:${key}`);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Lognormal with the given median and log-standard deviation. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** `digits` decimal digits. */
  digits(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += String.fromCharCode(48 + this.int(10));
    return s;
  }

  /** `count` upper-case letters. */
  letters(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += String.fromCharCode(65 + this.int(26));
    return s;
  }

  /** `bytes` random bytes as lower-case hex. */
  hex(bytes: number): string {
    let s = '';
    for (let i = 0; i < bytes; i += 4) s += this.nextUint32().toString(16).padStart(8, '0');
    return s.slice(0, bytes * 2);
  }
}

/** Cumulative weights for `WeightedChoice`; zero-weight entries are never drawn. */
export class WeightedChoice<T> {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length)
      throw new RangeError('weighted choice needs one weight per item and at least one item');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new RangeError(`weight ${w} is not a non-negative number`);
      sum += w;
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new RangeError('weighted choice needs a positive total weight');
    this.total = sum;
  }

  draw(random: Random): T {
    return this.items[this.index(random.next())]!;
  }

  /** Index for a uniform draw `u` in [0, 1) (binary search). */
  index(u: number): number {
    const target = u * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

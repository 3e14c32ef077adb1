// The order of the A/B runs: each round runs both sides once, which goes first a coin drawn
// from a recorded seed, so no drift of the machine's load can line up with the sides.
import { describe, expect, it } from 'vitest';
import { wilcoxonSignedRank } from '../report/ab-paired.ts';
import { describeOrder, roundOrder } from './ab-rounds.ts';

const sides: [{ name: string }, { name: string }] = [{ name: 'base' }, { name: 'candidate' }];

describe('roundOrder', () => {
  it('runs both sides once a round, the same order for the same seed', () => {
    const order = roundOrder(sides, 6, 'a1b2');
    expect(order.map((r) => r.round)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    for (let round = 1; round <= 6; round++)
      expect(
        order
          .filter((r) => r.round === round)
          .map((r) => r.side.name)
          .sort(),
      ).toEqual(['base', 'candidate']);
    expect(roundOrder(sides, 6, 'a1b2')).toEqual(order);
    const orders = new Set(Array.from({ length: 20 }, (_, i) => describeOrder(roundOrder(sides, 6, `seed-${i}`))));
    expect(orders.size).toBeGreaterThan(10);
  });

  it('gives each side the first run of a round half the time, independently of the round before', () => {
    let baseFirst = 0;
    let sameAsBefore = 0;
    const seeds = 2000;
    for (let i = 0; i < seeds; i++) {
      const firsts = roundOrder(sides, 2, `seed-${i}`)
        .filter((_, k) => k % 2 === 0)
        .map((r) => r.side.name);
      if (firsts[0] === 'base') baseFirst++;
      if (firsts[0] === firsts[1]) sameAsBefore++;
    }
    expect(baseFirst / seeds).toBeGreaterThan(0.45);
    expect(baseFirst / seeds).toBeLessThan(0.55);
    expect(sameAsBefore / seeds).toBeGreaterThan(0.45);
    expect(sameAsBefore / seeds).toBeLessThan(0.55);
  });

  it('keeps a load that rises and falls every four runs from reading as a regression more often than α', () => {
    // Identical sides on a machine whose load rises within one round and falls within the next
    // (plus a slow climb): a fixed A B B A … order would put the candidate on the worse run of
    // every round, and the one-sided test would find it slower every time.
    const level = (run: number) => [0, 3, 4, 1][run % 4]! + 0.1 * run;
    const alpha = 0.025;
    const seeds = 4000;
    let found = 0;
    for (let i = 0; i < seeds; i++) {
      const order = roundOrder(sides, 6, `seed-${i}`);
      const changes = [1, 2, 3, 4, 5, 6].map((round) => {
        const at = (name: string) => order.findIndex((r) => r.round === round && r.side.name === name);
        return level(at('candidate')) - level(at('base'));
      });
      if (wilcoxonSignedRank(changes, 'greater').p <= alpha) found++;
    }
    expect(found / seeds).toBeLessThanOrEqual(alpha);
    expect(found).toBeGreaterThan(0);
  });
});

describe('describeOrder', () => {
  it('names the rounds each side went first in', () => {
    const run = (round: number, name: string) => ({ round, side: { name } });
    expect(
      describeOrder([
        run(1, 'base'),
        run(1, 'candidate'),
        run(2, 'candidate'),
        run(2, 'base'),
        run(3, 'candidate'),
        run(3, 'base'),
      ]),
    ).toBe('base first in round 1; candidate first in rounds 2, 3');
  });
});

// The order of the A/B runs: each side goes first in every other round, so a load that
// grows steadily over the job weighs on both sides alike.
import { describe, expect, it } from 'vitest';
import { roundOrder } from './ab-rounds.ts';

describe('roundOrder', () => {
  it('runs A B B A A B …', () => {
    expect(roundOrder(['A', 'B'], 3)).toEqual([
      { round: 1, side: 'A' },
      { round: 1, side: 'B' },
      { round: 2, side: 'B' },
      { round: 2, side: 'A' },
      { round: 3, side: 'A' },
      { round: 3, side: 'B' },
    ]);
  });

  it('cancels a linear drift over an even number of rounds', () => {
    // The machine's load rising by one unit per run: both sides' positions sum alike.
    const order = roundOrder(['A', 'B'], 4);
    const sum = (side: string) => order.reduce((s, r, i) => s + (r.side === side ? i : 0), 0);
    expect(sum('A')).toBe(sum('B'));
  });
});

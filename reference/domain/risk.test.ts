import { describe, expect, it } from 'vitest';
import { countries } from '../spec/reference-data/countries.ts';
import type { Ctd } from '../spec/ctd.ts';
import { assessRisk, SAMPLING_PER_10000 } from './risk.ts';
import { sampleCtd } from './testing/sample-ctd.ts';

const established = { aeo: false, releasedMovements: 500 };
const aeo = { aeo: true, releasedMovements: 0 };

/** The sample CTD under an LRN that the sampling rule does not draw for the given operator. */
function unsampled(operator: { aeo: boolean; releasedMovements: number }, edit: (ctd: Ctd) => void = () => {}): Ctd {
  for (let i = 0; ; i++) {
    const ctd = sampleCtd();
    ctd.lrn = `LRN-${i}`;
    edit(ctd);
    if (!assessRisk(ctd, operator).reasons.some((r) => r.startsWith('SAMPLING'))) return ctd;
  }
}

describe('assessRisk', () => {
  it('releases ordinary goods of an established operator at low risk', () => {
    expect(assessRisk(unsampled(established), established)).toEqual({
      riskClass: 'low',
      decision: 'release',
      reasons: [],
    });
    expect(assessRisk(unsampled(aeo), aeo)).toEqual({ riskClass: 'low', decision: 'release', reasons: [] });
  });

  it('sends sensitive headings (spirits, tobacco, gold, jewellery, arms) to control at high risk, even for an AEO', () => {
    for (const hs of ['220830', '240220', '710812', '711319', '930100']) {
      const ctd = unsampled(aeo, (c) => (c.consignment.goodsItems[1]!.hsCode = hs));
      const result = assessRisk(ctd, aeo);
      expect(result.riskClass, hs).toBe('high');
      expect(result.decision).toBe('control');
      expect(result.reasons).toEqual([
        expect.stringMatching(new RegExp(`^SENSITIVE_GOODS: item 1 is under HS heading ${hs.slice(0, 4)}`)),
      ]);
    }
  });

  it('leaves water, soft drinks, imitation jewellery and raw tobacco in sensitive chapters alone', () => {
    for (const hs of ['220110', '220210', '711719', '240110']) {
      const ctd = unsampled(aeo, (c) => (c.consignment.goodsItems[1]!.hsCode = hs));
      expect(assessRisk(ctd, aeo), hs).toEqual({ riskClass: 'low', decision: 'release', reasons: [] });
    }
  });

  it('scores route, origin and goods profiles: Afghan origin +2, Afghan transit trade in electronics +1, fuels +1', () => {
    const afghanOrigin = unsampled(established, (c) => (c.consignment.goodsItems[0]!.countryOfOrigin = 'AF'));
    expect(assessRisk(afghanOrigin, established)).toEqual({
      riskClass: 'medium',
      decision: 'release',
      reasons: [expect.stringMatching(/^RISK_PROFILE: AFGHAN-ORIGIN \(\+2\)/)],
    });
    const att = (hs: string) =>
      unsampled(established, (c) => {
        c.consignment.countryOfDestination = 'AF';
        c.consignment.goodsItems[0]!.hsCode = '520100';
        c.consignment.goodsItems[1]!.hsCode = hs;
      });
    expect(assessRisk(att('851713'), established).reasons).toEqual([
      expect.stringMatching(/^RISK_PROFILE: ATT-DIVERSION \(\+1\)/),
    ]);
    // Fuels: +1 whatever the route, so medium rather than held.
    const fuel = unsampled(established, (c) => (c.consignment.goodsItems[1]!.hsCode = '271019'));
    expect(assessRisk(fuel, established)).toEqual({
      riskClass: 'medium',
      decision: 'release',
      reasons: [expect.stringMatching(/^RISK_PROFILE: FUEL-EXCISE \(\+1\)/)],
    });
    // Same destination, goods outside the profile's headings: no profile fires.
    expect(assessRisk(att('100199'), established).reasons).toEqual([]);
    // Profile and new operator add up: 2 + 1 = 3 → high.
    const newcomer = { aeo: false, releasedMovements: 0 };
    const both = unsampled(newcomer, (c) => (c.consignment.goodsItems[0]!.countryOfOrigin = 'AF'));
    expect(assessRisk(both, newcomer)).toMatchObject({ riskClass: 'high', decision: 'control' });
  });

  it('rates a new non-AEO operator medium and releases it', () => {
    const operator = { aeo: false, releasedMovements: 9 };
    const result = assessRisk(unsampled(operator), operator);
    expect(result).toEqual({
      riskClass: 'medium',
      decision: 'release',
      reasons: ['NEW_OPERATOR: 9 movements released, no AEO status'],
    });
    expect(assessRisk(unsampled(operator), { aeo: false, releasedMovements: 10 }).riskClass).toBe('low');
  });

  it('flags values per kg outside 0.02-1,000 USD as outliers (+2, once per CTD)', () => {
    const high = unsampled(established, (c) => {
      c.consignment.goodsItems[0]!.netMass = 100;
      c.consignment.goodsItems[0]!.value.amount = 100_001; // 1,000.01 USD/kg
    });
    expect(assessRisk(high, established)).toEqual({
      riskClass: 'medium',
      decision: 'release',
      reasons: ['VALUE_OUTLIER: item 0 declared at 1000.01 USD/kg'],
    });
    const atBound = unsampled(established, (c) => {
      c.consignment.goodsItems[0]!.netMass = 100;
      c.consignment.goodsItems[0]!.value.amount = 100_000;
    });
    expect(assessRisk(atBound, established).reasons).toEqual([]);
    const both = unsampled(established, (c) => {
      c.consignment.goodsItems[0]!.value.amount = 2_000_000;
      c.consignment.goodsItems[1]!.value.amount = 100; // 0.005 USD/kg
    });
    // 2,000,100 USD also exceeds the high-value threshold: 2 + 1 = 3 → high.
    const result = assessRisk(both, established);
    expect(result).toMatchObject({ riskClass: 'high', decision: 'control' });
    expect(result.reasons.map((r) => r.split(':')[0])).toEqual(['VALUE_OUTLIER', 'VALUE_OUTLIER', 'HIGH_VALUE']);
  });

  it('scores outlier + new operator as high and sends it to control', () => {
    const operator = { aeo: false, releasedMovements: 0 };
    const ctd = unsampled(operator, (c) => (c.consignment.goodsItems[1]!.value.amount = 50)); // 0.0025 USD/kg
    expect(assessRisk(ctd, operator)).toMatchObject({ riskClass: 'high', decision: 'control' });
  });

  it('converts values to USD before applying thresholds', () => {
    const ctd = unsampled(
      established,
      (c) => (c.consignment.goodsItems[0]!.value = { amount: 2_750_000, currency: 'GEL' }),
    ); // 1,000,000 USD
    expect(assessRisk(ctd, established, countries).reasons.map((r) => r.split(':')[0])).toEqual(['HIGH_VALUE']);
  });

  it('is deterministic', () => {
    const ctd = sampleCtd();
    expect(assessRisk(ctd, established)).toEqual(assessRisk(sampleCtd(), established));
  });

  it('samples about 8 % of non-AEO and 3 % of AEO declarations for control, keeping their risk class', () => {
    const draws = (operator: { aeo: boolean; releasedMovements: number }) => {
      let controlled = 0;
      for (let i = 0; i < 20_000; i++) {
        const ctd = sampleCtd();
        ctd.lrn = `L${i}`;
        ctd.holder.identificationNumber = `GE${100_000 + (i % 97)}`;
        const result = assessRisk(ctd, operator);
        if (result.decision === 'control') {
          controlled++;
          expect(result.riskClass).toBe('low');
          expect(result.reasons).toEqual(['SAMPLING: drawn for control']);
        }
      }
      return controlled / 20_000;
    };
    expect(Math.abs(draws(established) - SAMPLING_PER_10000.nonAeo / 10_000)).toBeLessThan(0.01);
    expect(Math.abs(draws(aeo) - SAMPLING_PER_10000.aeo / 10_000)).toBeLessThan(0.01);
  });
});

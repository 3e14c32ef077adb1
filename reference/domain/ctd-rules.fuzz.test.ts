// Whatever schema-valid CTD arrives, checkCtd answers with errors rather than
// throwing, and a CTD it accepts never makes the guarantee calculus or the
// risk rules throw: the node relies on this to never answer 5xx.
import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { Ctd } from '../spec/ctd.ts';
import { countries } from '../spec/reference-data/countries.ts';
import { offices } from '../spec/reference-data/offices.ts';
import { checkCtd } from './ctd-rules.ts';
import { amountDue, checkDeclaredAmount } from './guarantee.ts';
import { assessRisk } from './risk.ts';
import { sampleCtd } from './testing/sample-ctd.ts';

/** Mulberry32: a small seeded generator, so a failure reproduces. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('checkCtd on random CTDs', () => {
  it('never throws, and what it accepts is safe for amountDue, checkDeclaredAmount and assessRisk', () => {
    const random = seeded(20261123);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const officeRefs = [...offices.map((o) => o.referenceNumber), 'XX000000', 'GE999999'];
    const countryCodes = [...countries.map((c) => c.code), 'US', 'ZZ'];
    const currencyCodes = [...countries.map((c) => c.currency), 'USD', 'JPY'];
    const amount = () => pick([0, 0.01, random() * 1e6, random() * 1e9, 1e12, 1e300]);
    const mass = () => pick([0.001, random() * 30_000, 1e9]);
    let accepted = 0;

    for (let n = 0; n < 3000; n++) {
      const ctd = sampleCtd();
      // Keep the sample's valid route half the time so that acceptances happen.
      if (random() < 0.5) {
        ctd.offices = {
          departure: pick(officeRefs),
          transit: Array.from({ length: Math.floor(random() * 4) }, () => pick(officeRefs)),
          destination: pick(officeRefs),
        };
        ctd.consignment.countriesOfRouting = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
          pick(countryCodes),
        );
      }
      if (random() < 0.3) ctd.consignment.countryOfDispatch = pick(countryCodes);
      if (random() < 0.3) ctd.guarantees[0]!.references[0]!.currency = pick(currencyCodes);
      if (random() < 0.3) ctd.guarantees[0]!.references[0]!.amountToBeCovered = amount();
      for (const item of ctd.consignment.goodsItems) {
        if (random() < 0.3) item.hsCode = String(Math.floor(random() * 1e6)).padStart(6, '0');
        if (random() < 0.3) item.value = { amount: amount(), currency: pick(currencyCodes) };
        if (random() < 0.3) item.netMass = mass();
        if (random() < 0.3) item.grossMass = mass();
      }
      if (random() < 0.3) ctd.consignment.grossMass = mass();
      expect(Value.Check(Ctd, ctd)).toBe(true);

      const errors = checkCtd(ctd, { nodeCountry: 'GE', offices, countries });
      if (errors.length > 0) continue;
      accepted++;
      const due = amountDue(ctd, countries);
      expect(Number.isSafeInteger(due.amount) && due.amount >= 0).toBe(true);
      checkDeclaredAmount(ctd, countries);
      assessRisk(ctd, { aeo: random() < 0.5, releasedMovements: Math.floor(random() * 20) }, countries);
    }
    // The run must exercise the accepting path too.
    expect(accepted).toBeGreaterThan(100);
  });
});

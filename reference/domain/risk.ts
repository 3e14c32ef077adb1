// Risk assessment at the office of departure: deterministic rules that set a
// risk class (which, with AEO status, sets the guarantee level) and decide
// release or control. The same CTD and operator record always give the same
// result, so a load test can predict both paths.
//
// Risk class: high when sensitive goods are declared or the score reaches 3;
// medium for a score of 1-2; low for 0. Decision: control when the class is
// high or the declaration is drawn by the sampling rule; release otherwise.
// With the corridor's commodity mix (few sensitive goods, values per kg
// within the bounds below) this sends about 3-10 % of declarations to control.
import { countries as referenceCountries } from '../spec/reference-data/countries.ts';
import type { Ctd } from '../spec/ctd.ts';
import { hashString } from './hash.ts';
import { toUsd } from './money.ts';
import type { CountryTable } from './reference-tables.ts';

export type RiskClass = 'low' | 'medium' | 'high';

export interface RiskAssessment {
  riskClass: RiskClass;
  decision: 'release' | 'control';
  /** One line per rule that fired: its name and the facts that made it fire. */
  reasons: string[];
}

export interface OperatorRecord {
  aeo: boolean;
  /** Movements of this operator released so far. */
  releasedMovements: number;
}

/**
 * SENSITIVE_GOODS — any goods item under an HS heading (4 digits) of an
 * excise or prohibition regime: alcoholic beverages and spirits, tobacco and
 * nicotine products, precious stones and metals and jewellery of them, arms
 * and ammunition. Fuels (2710) are excise goods too, but the corridor's
 * routine bulk (1.7 Mt of oil on the TITR in 2025, corridor.md §5): they raise
 * the score through the FUEL-EXCISE profile rather than hold every tank wagon. Headings, not chapters: water (2201) and
 * imitation jewellery (7117) share chapters with them and carry no such risk.
 * Makes the risk class high.
 */
export const sensitiveHeadings: Readonly<Record<string, string>> = {
  '2203': 'beer',
  '2204': 'wine',
  '2205': 'vermouth',
  '2206': 'other fermented beverages',
  '2207': 'ethyl alcohol',
  '2208': 'spirits',
  '2402': 'cigars and cigarettes',
  '2403': 'other manufactured tobacco',
  '2404': 'nicotine products',
  '7102': 'diamonds',
  '7106': 'silver',
  '7108': 'gold',
  '7110': 'platinum',
  '7113': 'jewellery of precious metal',
  '9301': 'military weapons',
  '9302': 'revolvers and pistols',
  '9303': 'other firearms',
  '9304': 'other arms',
  '9305': 'parts of arms',
  '9306': 'ammunition',
};

/**
 * RISK_PROFILE (+score, once per profile) — a route or origin profile: all of
 * its given criteria hold. Country criteria match the consignment's country
 * of dispatch or destination, or an item's country of origin; `headings`
 * narrows an item criterion to those HS headings (the same item must meet
 * both).
 */
export interface RiskProfile {
  id: string;
  description: string;
  countryOfDispatch?: readonly string[];
  countryOfDestination?: readonly string[];
  /** Countries in the itinerary, any of them. */
  routing?: readonly string[];
  countryOfOrigin?: readonly string[];
  headings?: readonly string[];
  score: number;
}

export const riskProfiles: readonly RiskProfile[] = [
  {
    id: 'FUEL-EXCISE',
    description: 'petroleum oils (fuels) under excise',
    headings: ['2710'],
    score: 1,
  },
  {
    id: 'AFGHAN-ORIGIN',
    description: 'goods of Afghan origin (opiate trafficking route)',
    countryOfOrigin: ['AF'],
    score: 2,
  },
  {
    id: 'AFGHAN-DISPATCH',
    description: 'consignment dispatched from Afghanistan',
    countryOfDispatch: ['AF'],
    score: 2,
  },
  {
    id: 'ATT-DIVERSION',
    description:
      'Afghan transit trade in goods often diverted back into the country of transit (electronics, fabrics, tyres)',
    countryOfDestination: ['AF'],
    headings: ['8517', '8471', '8528', '5208', '5407', '5512', '4011'],
    score: 1,
  },
];

/**
 * VALUE_OUTLIER (+2, once per CTD) — a goods item declared at more than 1,000 USD or less
 * than 0.02 USD per kg of net mass: beyond electronics at the top and bulk
 * coal and cement at the bottom of the corridor's range (corridor.md §6), so
 * the value is likely misdeclared.
 */
export const VALUE_PER_KG_USD = { max: 1000, min: 0.02 } as const;

/** HIGH_VALUE (+1) — total goods value above 1,000,000 USD: the exposure alone merits attention. */
export const HIGH_VALUE_USD = 1_000_000;

/**
 * NEW_OPERATOR (+1) — a non-AEO operator with fewer than 10 movements
 * released: no compliance record yet.
 */
export const NEW_OPERATOR_RELEASES = 10;

/**
 * SAMPLING — a share of declarations is controlled whatever its score, so
 * that no trader can rely on never being controlled: 8 % for non-AEO and 3 %
 * for AEO operators, drawn by a hash of holder TIN and LRN (deterministic, and
 * independent of the declaration's content).
 */
export const SAMPLING_PER_10000 = { aeo: 300, nonAeo: 800 } as const;

export function assessRisk(
  ctd: Ctd,
  operator: OperatorRecord,
  countries: CountryTable = referenceCountries,
): RiskAssessment {
  const reasons: string[] = [];
  let score = 0;
  let sensitive = false;
  let outlier = false;
  let totalUsd = 0;

  ctd.consignment.goodsItems.forEach((item, i) => {
    const heading = item.hsCode.slice(0, 4);
    const sensitiveName = sensitiveHeadings[heading];
    if (sensitiveName) {
      sensitive = true;
      reasons.push(`SENSITIVE_GOODS: item ${i} is under HS heading ${heading} (${sensitiveName})`);
    }
    const usd = toUsd(item.value.amount, item.value.currency, countries);
    totalUsd += usd;
    const perKg = usd / item.netMass;
    if (perKg > VALUE_PER_KG_USD.max || perKg < VALUE_PER_KG_USD.min) {
      outlier = true;
      reasons.push(`VALUE_OUTLIER: item ${i} declared at ${perKg.toFixed(2)} USD/kg`);
    }
  });

  if (outlier) score += 2;
  for (const profile of riskProfiles) {
    if (matchesProfile(ctd, profile)) {
      score += profile.score;
      reasons.push(`RISK_PROFILE: ${profile.id} (+${profile.score}), ${profile.description}`);
    }
  }
  if (totalUsd > HIGH_VALUE_USD) {
    score += 1;
    reasons.push(`HIGH_VALUE: goods value ${Math.round(totalUsd)} USD`);
  }
  if (!operator.aeo && operator.releasedMovements < NEW_OPERATOR_RELEASES) {
    score += 1;
    reasons.push(`NEW_OPERATOR: ${operator.releasedMovements} movements released, no AEO status`);
  }

  const riskClass: RiskClass = sensitive || score >= 3 ? 'high' : score >= 1 ? 'medium' : 'low';
  const sampled =
    hashString(`${ctd.holder.identificationNumber}/${ctd.lrn}`) % 10_000 <
    (operator.aeo ? SAMPLING_PER_10000.aeo : SAMPLING_PER_10000.nonAeo);
  if (sampled) reasons.push('SAMPLING: drawn for control');
  return { riskClass, decision: riskClass === 'high' || sampled ? 'control' : 'release', reasons };
}

function matchesProfile(ctd: Ctd, p: RiskProfile): boolean {
  const c = ctd.consignment;
  if (p.countryOfDispatch && !p.countryOfDispatch.includes(c.countryOfDispatch)) return false;
  if (p.countryOfDestination && !p.countryOfDestination.includes(c.countryOfDestination)) return false;
  if (p.routing && !c.countriesOfRouting.some((r) => p.routing!.includes(r))) return false;
  if (p.countryOfOrigin || p.headings) {
    return c.goodsItems.some(
      (item) =>
        (!p.countryOfOrigin ||
          (item.countryOfOrigin !== undefined && p.countryOfOrigin.includes(item.countryOfOrigin))) &&
        (!p.headings || p.headings.includes(item.hsCode.slice(0, 4))),
    );
  }
  return true;
}

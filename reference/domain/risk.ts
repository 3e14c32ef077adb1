// Risk assessment at the office of departure: deterministic rules that set a
// risk class (which, with AEO status, sets the guarantee level) and decide
// release or control. The same CTD and operator record always give the same
// result, so a load test can predict both paths.
//
// Risk class: high when sensitive goods are declared or the score reaches 3;
// medium for a score of 1-2; low for 0. Decision: control when the class is
// high or the declaration is drawn by the sampling rule; release otherwise.
// With the corridor's commodity mix (no sensitive chapters, values per kg
// within the bounds below) this sends about 3-8 % of declarations to control.
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
 * SENSITIVE_GOODS — any goods item in an HS chapter under excise or
 * prohibition regimes: 22 beverages and spirits, 24 tobacco, 71 precious
 * metals and stones, 93 arms and ammunition. Makes the risk class high.
 */
export const sensitiveChapters: Readonly<Record<string, string>> = {
  '22': 'beverages, spirits',
  '24': 'tobacco',
  '71': 'precious metals and stones',
  '93': 'arms and ammunition',
};

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
    const chapter = item.hsCode.slice(0, 2);
    const sensitiveName = sensitiveChapters[chapter];
    if (sensitiveName) {
      sensitive = true;
      reasons.push(`SENSITIVE_GOODS: item ${i} is in HS chapter ${chapter} (${sensitiveName})`);
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

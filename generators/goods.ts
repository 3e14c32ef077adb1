// Goods items of a consignment: how many, which subheadings, masses and
// values. Transit.md §4 found no public statistic of items per declaration
// and suggests a median of about 1-5 with a long tail up to 1999; the
// distributions below follow that per kind of cargo [E].
import type { GoodsItem } from '../reference/spec/ctd.ts';
import type { Commodity, ItemsClass } from './corridor/commodities.ts';
import type { Random } from './random.ts';

/** The configured items-per-CTD model, also used by the tests. */
export const itemsModel = {
  /** Bulk cargo: one item, sometimes two grades. */
  bulk: { pTwo: 0.1 },
  /** General cargo: 1 + geometric, mean ≈ 2.5, at most 30. */
  general: { p: 0.4, max: 30 },
  /** Groupage: lognormal with median 6 and σ 0.9, at most 200; one in a thousand is a large manifest of 200-999 lines. */
  mixed: { median: 6, sigma: 0.9, max: 200, pLarge: 0.001, large: [200, 999] as const },
} as const;

export function itemsCount(kind: ItemsClass, random: Random): number {
  switch (kind) {
    case 'bulk':
      return random.chance(itemsModel.bulk.pTwo) ? 2 : 1;
    case 'general': {
      let n = 1;
      while (n < itemsModel.general.max && !random.chance(itemsModel.general.p)) n++;
      return n;
    }
    case 'mixed': {
      const m = itemsModel.mixed;
      if (random.chance(m.pLarge)) return random.between(m.large[0], m.large[1]);
      return Math.min(m.max, Math.max(1, Math.round(random.lognormal(m.median, m.sigma))));
    }
  }
}

/** Value draws: a price within the commodity's range times lognormal(σ = 0.25) (corridor.md §9). */
const VALUE_SIGMA = 0.25;

export interface GoodsDraw {
  items: GoodsItem[];
  /** Sum of items' gross mass, kg (3 decimals). */
  grossMassKg: number;
}

/**
 * Items for `netKg` of a commodity, valued in `currency` at `unitsPerUsd`.
 * Masses are handled in grams so sums are exact; gross ≥ net per item.
 */
export function drawGoods(
  commodity: Commodity,
  netKg: number,
  origin: string,
  currency: string,
  unitsPerUsd: number,
  random: Random,
): GoodsDraw {
  const n = itemsCount(commodity.items, random);
  const shares = new Array<number>(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = 0.2 + random.next();
    shares[i] = s;
    total += s;
  }
  const items: GoodsItem[] = new Array(n);
  const netGramsTotal = Math.round(netKg * 1000);
  let grossGrams = 0;
  let remaining = netGramsTotal;
  const { type, kgPerPackage, tare } = commodity.packaging;
  for (let i = 0; i < n; i++) {
    const net = i === n - 1 ? remaining : Math.max(1000, Math.round((netGramsTotal * shares[i]!) / total));
    remaining -= net;
    const netG = Math.max(1000, net);
    const grossG = Math.ceil(netG * (1 + tare));
    grossGrams += grossG;
    const sub = random.pick(commodity.subheadings);
    const usdPerTonne =
      random.uniform(commodity.usdPerTonne[0], commodity.usdPerTonne[1]) * Math.exp(VALUE_SIGMA * random.normal());
    const amount = Math.round((netG / 1e6) * usdPerTonne * unitsPerUsd * 100) / 100;
    items[i] = {
      goodsItemNumber: i + 1,
      description: sub.description,
      hsCode: sub.hs,
      countryOfOrigin: origin,
      grossMass: grossG / 1000,
      netMass: netG / 1000,
      packages: [
        {
          typeOfPackages: type,
          numberOfPackages: kgPerPackage > 0 ? Math.max(1, Math.round(netG / 1000 / kgPerPackage)) : 0,
        },
      ],
      value: { amount, currency },
    };
  }
  return { items, grossMassKg: grossGrams / 1000 };
}

// Excise goods of spec v0: the HS headings that carry excise in every CATS
// country (tobacco, alcohol, mineral fuels) and the ad valorem equivalent the
// guarantee calculus charges on their value. National excise is mostly
// specific (per litre, per 1,000 sticks); the equivalents are planning
// estimates [E] on typical corridor prices, per country where it differs.
export interface ExciseCategory {
  name: 'tobacco' | 'alcohol' | 'fuel';
  /** HS headings (4 digits) whose goods carry it. */
  headings: readonly string[];
  /** Ad valorem equivalent (fraction of the value) where no country rate is given. */
  rate: number;
  /** Country rates that differ from `rate`. */
  byCountry: Readonly<Record<string, number>>;
  source: string;
}

export const exciseCategories: readonly ExciseCategory[] = [
  {
    name: 'tobacco',
    headings: ['2402', '2403', '2404'],
    rate: 0.6,
    byCountry: { AF: 0.3, PK: 0.7, TM: 0.4 },
    source: 'estimate [E]: specific rates per 1,000 cigarettes over typical import prices',
  },
  {
    name: 'alcohol',
    headings: ['2203', '2204', '2205', '2206', '2207', '2208'],
    rate: 0.3,
    byCountry: { AF: 0, PK: 0 },
    source: 'estimate [E]: specific rates per litre of pure alcohol; AF and PK bar imports outright',
  },
  {
    name: 'fuel',
    headings: ['2710', '2711'],
    rate: 0.15,
    byCountry: { TM: 0.05, AZ: 0.1 },
    source: 'estimate [E]: specific rates per tonne of motor fuel',
  },
];

// Country reference data of spec v0: currency, exchange rate, import VAT and an
// average duty rate used by the guarantee calculus. Figures and their sources:
// ../shared/domain/corridor.md §1 (rates rounded; [E] marks an estimate there).
export interface Country {
  code: string;
  name: string;
  currency: string;
  /** National currency units per US dollar. */
  unitsPerUsd: number;
  /** Standard import VAT (fraction). */
  vatRate: number;
  /** Average import duty (fraction) used when no tariff line applies. */
  dutyRate: number;
  /** Runs a national CATS node in the pilot. */
  pilot: boolean;
  /** Customs union whose members share one customs territory: no customs border, so no office of transit, between them. */
  customsUnion?: 'EAEU';
  source: string;
}

export const countries: readonly Country[] = [
  {
    code: 'GE',
    name: 'Georgia',
    currency: 'GEL',
    unitsPerUsd: 2.75,
    vatRate: 0.18,
    dutyRate: 0.02,
    pilot: true,
    source: 'corridor.md §1: VAT 18% [S40]; GEL ~2.7-2.8 [S47]; duty ~2% [E]',
  },
  {
    code: 'AZ',
    name: 'Azerbaijan',
    currency: 'AZN',
    unitsPerUsd: 1.7,
    vatRate: 0.18,
    dutyRate: 0.075,
    pilot: true,
    source: 'corridor.md §1: VAT 18% [S40]; AZN 1.70 [S43]; duty 5-10% [E]',
  },
  {
    code: 'KZ',
    name: 'Kazakhstan',
    currency: 'KZT',
    unitsPerUsd: 515,
    vatRate: 0.16,
    dutyRate: 0.065,
    pilot: true,
    customsUnion: 'EAEU',
    source: 'corridor.md §1: VAT 16% from 2026 [S35]; KZT 505-530 [S44]; EAEU CCT ~6.5% [E]',
  },
  {
    code: 'UZ',
    name: 'Uzbekistan',
    currency: 'UZS',
    unitsPerUsd: 12700,
    vatRate: 0.12,
    dutyRate: 0.075,
    pilot: true,
    source: 'corridor.md §1: VAT 12% [S40]; UZS ~12,700 [S45]; duty 5-10% [E]',
  },
  {
    code: 'KG',
    name: 'Kyrgyz Republic',
    currency: 'KGS',
    unitsPerUsd: 87,
    vatRate: 0.12,
    dutyRate: 0.065,
    pilot: true,
    customsUnion: 'EAEU',
    source: 'corridor.md §1: VAT 12% [S38]; KGS ~87 [S46]; EAEU CCT ~6.5% [E]',
  },
  {
    code: 'PK',
    name: 'Pakistan',
    currency: 'PKR',
    unitsPerUsd: 280,
    vatRate: 0.18,
    dutyRate: 0.1,
    pilot: true,
    source: 'corridor.md §1: GST 18% [S49]; PKR ~280 [E]; duty ~10% [E]',
  },
  {
    code: 'CN',
    name: 'China',
    currency: 'CNY',
    unitsPerUsd: 7.2,
    vatRate: 0.13,
    dutyRate: 0.075,
    pilot: false,
    source: 'corridor.md §1: VAT 13% [S40][S41]; CNY 7.2 [E]',
  },
  {
    code: 'TM',
    name: 'Turkmenistan',
    currency: 'TMT',
    unitsPerUsd: 3.5,
    vatRate: 0.15,
    dutyRate: 0.075,
    pilot: false,
    source: 'corridor.md §1: VAT 15% [S42]; TMT 3.5 [E]',
  },
  {
    code: 'TJ',
    name: 'Tajikistan',
    currency: 'TJS',
    unitsPerUsd: 10,
    vatRate: 0.14,
    dutyRate: 0.075,
    pilot: false,
    source: 'corridor.md §1: VAT 14% [S37]; TJS ~10 [E]',
  },
  {
    code: 'TR',
    name: 'Türkiye',
    currency: 'TRY',
    unitsPerUsd: 42,
    vatRate: 0.2,
    dutyRate: 0.06,
    pilot: false,
    source: 'corridor.md §1: VAT 20% [S48]; TRY ~42 [E]; MFN ~6% [S53]',
  },
  {
    code: 'AF',
    name: 'Afghanistan',
    currency: 'AFN',
    unitsPerUsd: 70,
    vatRate: 0.06,
    dutyRate: 0.15,
    pilot: false,
    source: 'corridor.md §1: no VAT, 4% BRT + 2% fixed tax [S50]; duty 0-30% [S54]',
  },
  {
    code: 'BG',
    name: 'Bulgaria',
    currency: 'EUR',
    unitsPerUsd: 0.88,
    vatRate: 0.2,
    dutyRate: 0.04,
    pilot: false,
    source: 'corridor.md §1: EUR since 2026 [S52]; VAT 20% [S40]; duty [E]',
  },
  {
    code: 'RO',
    name: 'Romania',
    currency: 'RON',
    unitsPerUsd: 4.4,
    vatRate: 0.21,
    dutyRate: 0.04,
    pilot: false,
    source: 'corridor.md §1: VAT 21% [S40]; RON ~4.4 [E]; duty [E]',
  },
];

export const countryByCode: ReadonlyMap<string, Country> = new Map(countries.map((c) => [c.code, c]));
export const currencies: ReadonlySet<string> = new Set([...countries.map((c) => c.currency), 'USD', 'EUR']);

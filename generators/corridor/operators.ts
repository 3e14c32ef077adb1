// Who lodges the CTDs: transit operators per pilot country, their AEO share,
// how traffic spreads over them and which guarantee they use. All [E]: no
// public per-country AEO counts for CATS countries were found.

/** Share of a country's transit operators holding AEO status. */
export const aeoShare: Readonly<Record<string, number>> = {
  GE: 0.1, // Georgian AEO programme with NCTS accession (CTC since Feb 2025 [S132]) [E]
  KZ: 0.12, // EAEU AEO register, large forwarders [E]
  AZ: 0.08, // [E]
  UZ: 0.06, // biggest TIR user, few AEOs [S51][E]
  KG: 0.05, // [E]
  PK: 0.04, // [E]
};

/** Operators per country: one per this many expected CTDs of the data set, within the bounds. */
export const OPERATOR_DENSITY = { ctdsPerOperator: 40, min: 5, max: 1500 } as const;

/** Traffic per operator follows a Zipf law over operator rank: a few large forwarders, many small ones [E]. */
export const OPERATOR_ZIPF_EXPONENT = 0.9;

/**
 * AEOs and the largest non-AEO operators (by rank, this share of the country's
 * operators) hold a comprehensive guarantee (type 1); the others lodge each
 * CTD on an individual guarantee by a guarantor (type 2) [E].
 */
export const COMPREHENSIVE_RANK_SHARE = 0.4;

/**
 * A comprehensive guarantee's reference amount covers the amounts due of all
 * the data set's movements it backs, times this headroom, rounded up to a
 * whole 1,000 units, and at least MIN_REFERENCE_USD: the set's movements are
 * all open at once when a scenario never writes them off.
 */
export const REFERENCE_HEADROOM = 1.25;
export const MIN_REFERENCE_USD = 100_000; // TIR recommended maximum per carnet EUR 100,000 [S33][S34], as a floor

/** A comprehensive guarantee closes once the amounts due it backs reach this many US dollars; the operator opens another [E]. */
export const COMPREHENSIVE_CAP_USD = 10_000_000;

/** Officers per customs office (border crossings and ports need more hands) [E]. */
export const OFFICERS_PER_OFFICE = { inland: 3, border: 5 } as const;

// A generated data set (`cats-stress generate --out DIR`): NDJSON files and a
// manifest. Everything here runs in the init context (open() works only there).

/**
 * A CATS Transit Declaration as the data set holds it (spec v0); the fields the scripts read.
 * @typedef {{
 *   lrn: string,
 *   holder: { identificationNumber: string, name?: string },
 *   offices: { departure: string, transit: string[], destination: string },
 *   guarantees: { type: string, references: { grn: string, accessCode: string, amountToBeCovered: number, currency: string }[] }[],
 *   [field: string]: unknown,
 * }} Ctd
 */

/**
 * @typedef {{ seq: number, country: string, route: string, holderTin: string, token: string,
 *   defect: { kind: string, code: string, pointer: string } | null,
 *   path: { kind: string, office?: string, incident?: { type: string, country: string, office: string } } | null,
 *   ctd: Ctd }} CtdRecord
 */

/**
 * @param {string} text
 * @returns {any[]}
 */
function parseNdjson(text) {
  const out = [];
  for (const line of text.split('\n')) if (line.trim()) out.push(JSON.parse(line));
  return out;
}

/**
 * Directory of the data set, from __ENV.DATASET; scripts cannot run without one.
 * @param {Record<string, string | undefined>} env
 */
export function datasetDir(env) {
  const dir = env.DATASET;
  if (!dir)
    throw new Error(
      'set DATASET to a data set directory (cats-stress generate --out DIR), e.g. -e DATASET=$PWD/results/data',
    );
  return dir.replace(/\/$/, '');
}

/**
 * @param {string} dir
 * @returns {any} the manifest as `cats-stress generate` wrote it
 */
export function readManifest(dir) {
  return JSON.parse(open(`${dir}/manifest.json`));
}

/**
 * The CTD records (`ctds.ndjson`): `{ seq, country, route, holderTin, token, defect, ctd, … }`,
 * `defect` null for a valid CTD or `{ kind, code, pointer }` for a labelled defect.
 * @param {string} dir
 * @returns {CtdRecord[]}
 */
export function readCtdRecords(dir) {
  return parseNdjson(open(`${dir}/ctds.ndjson`));
}

/**
 * Operators and officers with their bearer tokens (`operators.ndjson`, `officers.ndjson`).
 * @param {string} dir
 * @returns {import('./credentials.js').Parties}
 */
export function readParties(dir) {
  return {
    operators: parseNdjson(open(`${dir}/operators.ndjson`)),
    officers: parseNdjson(open(`${dir}/officers.ndjson`)),
  };
}

/**
 * Projected corridor rates in CTDs per second for the data set's routes (manifest `rates`).
 * @param {any} manifest
 * @returns {{ average: number, peak: number }}
 */
export function projectedRates(manifest) {
  const r = manifest.rates || {};
  /** @type {number | undefined} */
  const average = r.projectedAnnualMovements ? r.projectedAnnualMovements / (365 * 24 * 3600) : undefined;
  /** @type {number | undefined} */
  const peak = r.yearPeakHour ? r.yearPeakHour.ctdsPerSecond : undefined;
  if (average === undefined || peak === undefined || !(average > 0) || !(peak > 0))
    throw new Error(
      'the data set manifest has no projected rates (rates.projectedAnnualMovements, rates.yearPeakHour)',
    );
  return { average, peak };
}

/**
 * Whether a data set's CTD can be lodged again under a fresh LRN: not when it
 * stands on an individual guarantee (types 2 and 4), which serves one movement.
 * @param {Ctd} ctd
 */
export function relodgeable(ctd) {
  return ctd.guarantees.every((g) => g.type !== '2' && g.type !== '4');
}

// A generated data set (`cats-stress generate --out DIR`): NDJSON files and a
// manifest. Everything here runs in the init context (open() works only there).

function parseNdjson(text) {
  const out = [];
  for (const line of text.split('\n')) if (line.trim()) out.push(JSON.parse(line));
  return out;
}

/** Directory of the data set, from __ENV.DATASET; scripts cannot run without one. */
export function datasetDir(env) {
  const dir = env.DATASET;
  if (!dir)
    throw new Error(
      'set DATASET to a data set directory (cats-stress generate --out DIR), e.g. -e DATASET=$PWD/results/data',
    );
  return dir.replace(/\/$/, '');
}

export function readManifest(dir) {
  return JSON.parse(open(`${dir}/manifest.json`));
}

/**
 * The CTD records (`ctds.ndjson`): `{ seq, country, route, holderTin, token, defect, ctd, … }`,
 * `defect` null for a valid CTD or `{ kind, code, pointer }` for a labelled defect.
 */
export function readCtdRecords(dir) {
  return parseNdjson(open(`${dir}/ctds.ndjson`));
}

/** Operators and officers with their bearer tokens (`operators.ndjson`, `officers.ndjson`). */
export function readParties(dir) {
  return {
    operators: parseNdjson(open(`${dir}/operators.ndjson`)),
    officers: parseNdjson(open(`${dir}/officers.ndjson`)),
  };
}

/** Projected corridor rates in CTDs per second for the data set's routes (manifest `rates`). */
export function projectedRates(manifest) {
  const r = manifest.rates || {};
  const average = r.projectedAnnualMovements ? r.projectedAnnualMovements / (365 * 24 * 3600) : undefined;
  const peak = r.yearPeakHour ? r.yearPeakHour.ctdsPerSecond : undefined;
  if (!(average > 0) || !(peak > 0))
    throw new Error(
      'the data set manifest has no projected rates (rates.projectedAnnualMovements, rates.yearPeakHour)',
    );
  return { average, peak };
}

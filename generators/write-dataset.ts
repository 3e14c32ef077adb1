// Writes a data set to a directory: NDJSON streams of parties, officers,
// guarantees, CTDs and the replay plan, per-country fixture files in the
// node's admin fixture format, and manifest.json. Same options ⇒ same bytes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fixtures } from '../reference/spec/fixtures.ts';
import { ANNUAL_GROWTH, BASE_YEAR, GROWTH_SOURCE } from './corridor/routes.ts';
import { Dataset, type DatasetOptions } from './dataset.ts';
import type { GuaranteeRecord } from './guarantees.ts';
import { NdjsonWriter } from './ndjson-writer.ts';
import { planRecordJson, writeCtdRecord } from './record-json.ts';
import { StreamSummary } from './summary.ts';

/** Version of the C2B spec (reference/spec/openapi.ts) whose CTD schema the data follows. */
const SCHEMA_VERSION = 'spec-v0';

/** The node's admin fixture route takes at most these many entries per request (reference/spec/fixtures.ts). */
export const FIXTURE_LIMITS = { operators: 10_000, officers: 1_000, guarantees: 10_000 } as const;

export const FILES = {
  operators: 'operators.ndjson',
  officers: 'officers.ndjson',
  guarantees: 'guarantees.ndjson',
  ctds: 'ctds.ndjson',
  plan: 'plan.ndjson',
  manifest: 'manifest.json',
  fixtures: (country: string) => `fixtures.${country}.ndjson`,
} as const;

export interface Progress {
  done: number;
  total: number;
}

/** One country's fixture file: each line is one admin fixture request body. */
class FixtureFile {
  private guarantees: NonNullable<Fixtures['guarantees']> = [];
  readonly writer: NdjsonWriter;
  requests = 0;
  guaranteeCount = 0;

  constructor(path: string) {
    this.writer = new NdjsonWriter(path);
  }

  body(fixtures: Fixtures): void {
    this.writer.write(fixtures);
    this.requests++;
  }

  addGuarantee(g: GuaranteeRecord): void {
    this.guarantees.push({
      grn: g.grn,
      accessCode: g.accessCode,
      holderTin: g.holderTin,
      type: g.type,
      referenceAmount: g.referenceAmount,
      currency: g.currency,
      level: g.level,
      guarantor: g.guarantor,
    });
    this.guaranteeCount++;
    if (this.guarantees.length >= FIXTURE_LIMITS.guarantees) this.flush();
  }

  flush(): void {
    if (this.guarantees.length === 0) return;
    this.body({ guarantees: this.guarantees });
    this.guarantees = [];
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function writeDataset(options: DatasetOptions, outDir: string, onProgress?: (p: Progress) => void) {
  const dataset = new Dataset(options);
  await mkdir(outDir, { recursive: true });
  const w = {
    operators: new NdjsonWriter(join(outDir, FILES.operators)),
    officers: new NdjsonWriter(join(outDir, FILES.officers)),
    guarantees: new NdjsonWriter(join(outDir, FILES.guarantees)),
    ctds: new NdjsonWriter(join(outDir, FILES.ctds)),
    plan: new NdjsonWriter(join(outDir, FILES.plan)),
  };
  const fixtures = new Map(options.countries.map((c) => [c, new FixtureFile(join(outDir, FILES.fixtures(c)))]));

  for (const o of dataset.operators) w.operators.write(o);
  for (const o of dataset.officers) w.officers.write(o);
  for (const [country, file] of fixtures) {
    const ops = dataset.operators
      .filter((o) => o.country === country)
      .map(({ tin, name, country: c, aeo, token }) => ({ tin, name, country: c, aeo, token }));
    for (const chunk of chunks(ops, FIXTURE_LIMITS.operators)) file.body({ operators: chunk });
    const offs = dataset.officers
      .filter((o) => o.country === country)
      .map(({ id, name, offices, token }) => ({ id, name, offices, token }));
    for (const chunk of chunks(offs, FIXTURE_LIMITS.officers)) file.body({ officers: chunk });
  }

  const guaranteeCounts = { comprehensive: 0, individual: 0 };
  const emit = (g: GuaranteeRecord) => {
    w.guarantees.write(g);
    fixtures.get(g.country)!.addGuarantee(g);
    if (g.type === '1') guaranteeCounts.comprehensive++;
    else guaranteeCounts.individual++;
  };

  const summary = new StreamSummary();
  const writers = [...Object.values(w), ...[...fixtures.values()].map((f) => f.writer)];
  let done = 0;
  for (const m of dataset.movements()) {
    writeCtdRecord(w.ctds, m.record);
    w.plan.writeLine(planRecordJson(m.plan));
    for (const g of m.guarantees) emit(g);
    summary.add(m);
    done++;
    if ((done & 1023) === 0) {
      onProgress?.({ done, total: options.movements });
      for (const writer of writers) if (writer.congested) await writer.drained();
    }
  }
  for (const g of dataset.closeGuarantees()) emit(g);
  for (const f of fixtures.values()) f.flush();
  onProgress?.({ done, total: options.movements });

  const manifest = {
    generator: 'cats-stress generate',
    schemaVersion: SCHEMA_VERSION,
    seed: options.seed,
    movements: options.movements,
    countries: options.countries,
    defectsShare: options.defects,
    profile: {
      name: dataset.profile.name,
      description: dataset.profile.description,
      start: dataset.profile.start.toISOString(),
      days: dataset.profile.days,
    },
    year: options.year,
    lrnPrefix: dataset.lrnPrefix,
    counts: {
      ctds: done,
      valid: done - summary.defective,
      defective: summary.defective,
      operators: dataset.operators.length,
      operatorsByCountry: Object.fromEntries(
        options.countries.map((c) => [c, dataset.operators.filter((o) => o.country === c).length]),
      ),
      aeoOperators: dataset.operators.filter((o) => o.aeo).length,
      officers: dataset.officers.length,
      guarantees: guaranteeCounts,
      fixtureRequests: Object.fromEntries([...fixtures].map(([c, f]) => [c, f.requests])),
    },
    rates: {
      /** Projected CTDs per year in the year, for the routes in scope. */
      projectedAnnualMovements: Math.round(dataset.model.projectedAnnual()),
      baseYear: BASE_YEAR,
      annualGrowth: ANNUAL_GROWTH,
      growthSource: GROWTH_SOURCE,
      expectedInProfile: Math.round(dataset.expected * 1000) / 1000,
      /** movements / expectedInProfile: the data set is this many times the projected traffic of the span. */
      scale: Math.round(dataset.scale * 1e6) / 1e6,
      profilePeakHour: dataset.spanPeak,
      yearPeakHour: dataset.yearPeak(),
    },
    distributions: summary.toJSON(),
    files: {
      operators: FILES.operators,
      officers: FILES.officers,
      guarantees: FILES.guarantees,
      ctds: FILES.ctds,
      plan: FILES.plan,
      fixtures: Object.fromEntries(options.countries.map((c) => [c, FILES.fixtures(c)])),
    },
  };
  await Promise.all(writers.map((x) => x.close()));
  await writeFile(join(outDir, FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

export type Manifest = Awaited<ReturnType<typeof writeDataset>>;

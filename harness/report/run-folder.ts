// What a run folder holds, read once: the summary (k6's handleSummary shape), the run's
// settings and facts, and its time series (from timeseries.ndjson, or rebuilt from the
// raw samples of `--out json` when the run did not write one).
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { MetricDefinition, Sample } from '../engine/metrics/metric.ts';
import { TimeBuckets, type BucketLine, type MetricLine } from '../engine/output/timeseries.ts';
import { SUT_FILE, type SutLine } from './sut-file.ts';
import { isFaultLine, type FaultEventLine } from './fault-events.ts';

export interface SummaryMetric {
  type: MetricDefinition['type'];
  contains: MetricDefinition['contains'];
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
export interface Summary {
  metrics: Record<string, SummaryMetric>;
  state?: { testRunDurationMs?: number };
  options?: unknown;
}

export interface Timeseries {
  metrics: Map<
    string,
    { type: MetricDefinition['type']; contains: MetricDefinition['contains']; thresholds: string[] }
  >;
  lines: BucketLine[];
  source: 'timeseries.ndjson' | 'samples';
  /** Faults injected during the run, start and end edges in time order (lines of type `event`). */
  events: FaultEventLine[];
}

export interface RunFolder {
  dir: string;
  summary: Summary;
  settings?: Record<string, unknown>;
  machine?: Record<string, unknown>;
  revision?: Record<string, unknown>;
  manifest?: Record<string, unknown>;
  timeseries?: Timeseries;
  /** The parts' own resource use, second by second (sut.ndjson), when the run sampled it. */
  sut?: SutLine[];
  /** ICE's own counters at the end of the run ({@link ICE_TRAFFIC_FILE}), when the run had ICE. */
  ice?: IceTrafficFacts;
}

/** ICE's counters read at the end of a run with ICE (harness/stress/ice-traffic.ts). */
export const ICE_TRAFFIC_FILE = 'ice-traffic.json';
export interface IceTrafficFacts {
  delivered?: number;
  /** Over all deliveries of the run: storage at ICE to the recipient's acknowledgement. */
  deliveryLatency?: { count: number; sumSeconds: number };
}

export class RunFolderError extends Error {}

async function readJson<T>(file: string): Promise<T | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    throw new RunFolderError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

export async function readRunFolder(dir: string): Promise<RunFolder> {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw new RunFolderError(`${dir}: no such run folder`);
  const summary = await readJson<Summary>(path.join(abs, 'summary.json'));
  if (!summary?.metrics) throw new RunFolderError(`${dir}: no summary.json with metrics (is this a run folder?)`);
  return {
    dir: abs,
    summary,
    settings: await readJson(path.join(abs, 'settings.json')),
    machine: await readJson(path.join(abs, 'machine.json')),
    revision: await readJson(path.join(abs, 'revision.json')),
    manifest: await readJson(path.join(abs, 'dataset-manifest.json')),
    timeseries: await readTimeseries(abs),
    sut: await readSut(abs),
    ice: await readJson(path.join(abs, ICE_TRAFFIC_FILE)),
  };
}

function lines(file: string): AsyncIterable<string> {
  const raw = createReadStream(file);
  return createInterface({ input: file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw, crlfDelay: Infinity });
}

export async function readSut(dir: string): Promise<SutLine[] | undefined> {
  const file = path.join(dir, SUT_FILE);
  if (!existsSync(file)) return undefined;
  const out: SutLine[] = [];
  // A run stopped mid-write may leave a torn last line; it is skipped.
  for await (const text of lines(file)) {
    if (!text) continue;
    try {
      out.push(JSON.parse(text) as SutLine);
    } catch {
      continue;
    }
  }
  return out;
}

export async function readTimeseries(dir: string): Promise<Timeseries | undefined> {
  const file = path.join(dir, 'timeseries.ndjson');
  if (existsSync(file)) return readTimeseriesFile(file);
  const samples = ['samples.json.gz', 'samples.json'].map((f) => path.join(dir, f)).find((f) => existsSync(f));
  return samples ? timeseriesFromSamples(samples) : undefined;
}

/** A file written by `--out timeseries=FILE`, with the fault events appended to it. */
export async function readTimeseriesFile(file: string): Promise<Timeseries> {
  const ts: Timeseries = { metrics: new Map(), lines: [], source: 'timeseries.ndjson', events: [] };
  for await (const text of lines(file)) {
    if (!text) continue;
    const obj = JSON.parse(text) as BucketLine | MetricLine | { type: string };
    if (!('type' in obj)) ts.lines.push(obj);
    else if (obj.type === 'metric') {
      const m = obj as MetricLine;
      ts.metrics.set(m.name, { type: m.metricType, contains: m.contains, thresholds: m.thresholds });
    } else if (isFaultLine(obj)) ts.events.push(obj);
  }
  return ts;
}

/** Rebuilds the time series from k6's JSON output (`--out json`). */
async function timeseriesFromSamples(file: string): Promise<Timeseries> {
  const ts: Timeseries = { metrics: new Map(), lines: [], source: 'samples', events: [] };
  const buckets = new TimeBuckets((name) => {
    const m = ts.metrics.get(name);
    return m && { name, type: m.type, contains: m.contains };
  });
  let batch: Sample[] = [];
  for await (const text of lines(file)) {
    if (!text) continue;
    const obj = JSON.parse(text) as {
      type: string;
      metric: string;
      data: {
        type: MetricDefinition['type'];
        contains: MetricDefinition['contains'];
        thresholds?: string[];
        time: string;
        value: number;
        tags: Record<string, string>;
      };
    };
    if (obj.type === 'Metric')
      ts.metrics.set(obj.metric, {
        type: obj.data.type,
        contains: obj.data.contains,
        thresholds: obj.data.thresholds ?? [],
      });
    else if (obj.type === 'Point')
      batch.push({
        metric: obj.metric,
        time: Date.parse(obj.data.time),
        value: obj.data.value ?? NaN,
        tags: obj.data.tags ?? {},
      });
    if (batch.length >= 10_000) {
      buckets.add(batch);
      ts.lines.push(...buckets.drain());
      batch = [];
    }
  }
  buckets.add(batch);
  ts.lines.push(...buckets.drain(true));
  return ts;
}

// `--out json=FILE`: k6's NDJSON (internal/output/json): a Metric line the first time a metric appears,
// then one Point line per sample. FILE ending in .gz is gzipped; no FILE or '-' writes to stdout.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { builtin, type MetricDefinition, type Sample, type Tags } from '../metrics/metric.ts';
import type { MetricDescription, Output, OutputFactory, OutputParams } from './output.ts';

const builtins = new Map<string, MetricDefinition>(Object.values(builtin).map((m) => [m.name, m]));

/** Go's RFC 3339 with fractional seconds trimmed of trailing zeros, as k6 writes sample times. */
function rfc3339(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso.replace(/0+Z$/, 'Z');
}

class JsonOutput implements Output {
  readonly description: string;
  readonly #file: string | undefined;
  readonly #describe: (name: string) => MetricDescription | undefined;
  #out: Writable | undefined;
  #sink: Writable | undefined;
  #seen = new Set<string>();
  // Tag sets are shared, frozen objects: serialise each once.
  #tagsJson = new WeakMap<Tags, string>();
  #lastTime = NaN;
  #lastTimeText = '';
  #error: Error | undefined;

  constructor(params: OutputParams) {
    this.#file = params.arg === undefined || params.arg === '' || params.arg === '-' ? undefined : params.arg;
    this.description = this.#file ? `json (${this.#file})` : 'json(stdout)';
    const lookup = params.metrics;
    this.#describe = (name) => lookup?.(name) ?? builtins.get(name);
  }

  async start(): Promise<void> {
    if (!this.#file) {
      this.#out = process.stdout;
      return;
    }
    const file = createWriteStream(this.#file);
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', (err) => reject(new Error(`json output: cannot write ${this.#file}: ${err.message}`)));
    });
    file.on('error', (err) => (this.#error ??= err));
    this.#sink = file;
    if (this.#file.endsWith('.gz')) {
      const gzip = createGzip();
      gzip.pipe(file);
      this.#out = gzip;
    } else this.#out = file;
  }

  addSamples(samples: Sample[]): void {
    const out = this.#out;
    if (!out || samples.length === 0) return;
    let text = '';
    for (const s of samples) {
      if (!this.#seen.has(s.metric)) {
        this.#seen.add(s.metric);
        text += this.#metricLine(s.metric);
      }
      text += `{"type":"Point","data":{"time":"${this.#time(s.time)}","value":${jsonNumber(s.value)},"tags":${this.#tags(s.tags)}},"metric":${JSON.stringify(s.metric)}}\n`;
    }
    out.write(text);
  }

  async stop(): Promise<void> {
    const out = this.#out;
    this.#out = undefined;
    if (!out || out === process.stdout) return;
    out.end();
    await finished(this.#sink ?? out);
    if (this.#error) throw new Error(`json output: writing ${this.#file} failed: ${this.#error.message}`);
  }

  #metricLine(name: string): string {
    const d = this.#describe(name);
    const data = {
      name,
      type: d?.type ?? 'trend',
      contains: d?.contains ?? 'default',
      thresholds: d?.thresholds ?? [],
      submetrics: d?.submetrics?.length ? d.submetrics : null,
    };
    return `{"type":"Metric","data":${JSON.stringify(data)},"metric":${JSON.stringify(name)}}\n`;
  }

  #time(ms: number): string {
    if (ms !== this.#lastTime) {
      this.#lastTime = ms;
      this.#lastTimeText = rfc3339(ms);
    }
    return this.#lastTimeText;
  }

  #tags(tags: Tags): string {
    let json = this.#tagsJson.get(tags);
    if (json === undefined) {
      json = JSON.stringify(tags);
      if (Object.isFrozen(tags)) this.#tagsJson.set(tags, json);
    }
    return json;
  }
}

// JSON has no NaN or Infinity; k6's encoder fails on them, here they become null.
function jsonNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : 'null';
}

export const create: OutputFactory = (params) => new JsonOutput(params);

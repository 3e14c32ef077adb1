// The metric registry of one engine thread: aggregates per metric, the
// sub-metrics that thresholds select by tags, check and group tallies for the
// summary, and — only when an output is configured — the raw samples.
import type { MetricDefinition, Sample, SampleSink, Tags } from './metric.ts';
import { newSink, type Sink, type SinkState } from './sinks.ts';

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;

export class MetricNameError extends Error {}

/** k6's metric name rule (metrics/registry.go checkName). */
export function checkMetricName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name))
    throw new MetricNameError(
      `invalid metric name ${JSON.stringify(name)}: use 2–129 letters, digits and '_', not starting with a digit`,
    );
}

export interface SubMetricSelector {
  /** As written, e.g. `http_req_duration{scenario:ctd,status:200}`. */
  name: string;
  parent: string;
  tags: [string, string][];
}

/** Parses `metric{tag:value,…}` (k6 metrics.ParseMetricName). */
export function parseMetricSelector(text: string): SubMetricSelector {
  const open = text.indexOf('{');
  if (open < 0) {
    checkMetricName(text.trim());
    return { name: text.trim(), parent: text.trim(), tags: [] };
  }
  if (!text.endsWith('}')) throw new MetricNameError(`'${text}': a sub-metric selector must end with '}'`);
  const parent = text.slice(0, open).trim();
  checkMetricName(parent);
  const tags: [string, string][] = [];
  for (const part of text.slice(open + 1, -1).split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0) throw new MetricNameError(`'${text}': '${part.trim()}' is not tag:value`);
    const key = unquote(part.slice(0, colon));
    const value = unquote(part.slice(colon + 1));
    if (!key) throw new MetricNameError(`'${text}': empty tag name`);
    tags.push([key, value]);
  }
  return { name: text, parent, tags };
}

function unquote(s: string): string {
  const t = s.trim();
  return /^(['"]).*\1$/.test(t) ? t.slice(1, -1) : t;
}

interface SubMetric {
  selector: SubMetricSelector;
  sink: Sink;
}

export interface MetricEntry {
  def: MetricDefinition;
  sink: Sink;
  subs: SubMetric[];
}

export interface CheckTally {
  group: string;
  name: string;
  passes: number;
  fails: number;
}

/** What a worker hands the coordinator on each flush. */
export interface RegistryDelta {
  metrics: { def: MetricDefinition; state?: SinkState; subs: { name: string; state: SinkState }[] }[];
  checks: CheckTally[];
  groups: string[];
  samples: Sample[];
}

/** k6's system tags that samples carry unless `systemTags` leaves them out (k6's DefaultSystemTagSet). */
export const DEFAULT_SYSTEM_TAGS = [
  'proto',
  'subproto',
  'status',
  'method',
  'url',
  'name',
  'group',
  'check',
  'error',
  'error_code',
  'tls_version',
  'scenario',
  'service',
  'expected_response',
];

export class MetricRegistry implements SampleSink {
  readonly entries = new Map<string, MetricEntry>();
  /** Check tallies in the order their checks first ran. */
  readonly checks: CheckTally[] = [];
  /** The same tallies by group, then name: found per check without building a key. */
  private readonly tallies = new Map<string, Map<string, CheckTally>>();
  readonly groups = new Set<string>();
  private readonly selectors = new Map<string, SubMetricSelector[]>();
  /** Raw samples for outputs; null when no output wants them. */
  samples: Sample[] | null;
  /** System tags `systemTags` leaves out; null: none. */
  private dropped: string[] | null = null;
  /** Tag sets without the dropped tags, by the tag set samples came with (tag sets are shared and frozen). */
  private readonly kept = new WeakMap<Tags, Tags>();

  constructor(selectors: SubMetricSelector[] = [], bufferSamples = false) {
    this.addSelectors(selectors);
    this.samples = bufferSamples ? [] : null;
  }

  /** Adds sub-metrics once thresholds are known; metrics defined earlier get them too. */
  addSelectors(selectors: SubMetricSelector[]): void {
    for (const s of selectors) {
      if (!s.tags.length || this.selectors.get(s.parent)?.some((x) => x.name === s.name)) continue;
      this.selectors.set(s.parent, [...(this.selectors.get(s.parent) ?? []), s]);
      const entry = this.entries.get(s.parent);
      if (entry) entry.subs.push({ selector: s, sink: newSink(entry.def.type) });
    }
  }

  define(def: MetricDefinition): MetricEntry {
    const existing = this.entries.get(def.name);
    if (existing) {
      if (existing.def.type !== def.type || existing.def.contains !== def.contains)
        throw new MetricNameError(
          `metric '${def.name}' already exists as a ${existing.def.type}${existing.def.contains === 'default' ? '' : ` (${existing.def.contains})`}`,
        );
      return existing;
    }
    const subs = (this.selectors.get(def.name) ?? []).map((selector) => ({ selector, sink: newSink(def.type) }));
    const entry = { def, sink: newSink(def.type), subs };
    this.entries.set(def.name, entry);
    return entry;
  }

  /** k6's `systemTags`: samples carry only these of the system tags (names k6 does not know are ignored, as k6 does). */
  restrictSystemTags(enabled: string[] | undefined): void {
    const dropped = enabled ? DEFAULT_SYSTEM_TAGS.filter((t) => !enabled.includes(t)) : [];
    this.dropped = dropped.length ? dropped : null;
  }

  private withoutDropped(tags: Tags): Tags {
    let kept = this.kept.get(tags);
    if (!kept) {
      const copy: Tags = { ...tags };
      for (const t of this.dropped!) delete copy[t];
      kept = Object.freeze(copy);
      this.kept.set(tags, kept);
    }
    return kept;
  }

  add(def: MetricDefinition, value: number, given: Tags, time?: number): void {
    const tags = this.dropped ? this.withoutDropped(given) : given;
    const entry = this.entries.get(def.name) ?? this.define(def);
    const t = time ?? (def.type === 'gauge' || this.samples ? Date.now() : 0);
    entry.sink.add(value, t);
    for (const sub of entry.subs) if (matches(sub.selector, tags)) sub.sink.add(value, t);
    if (this.samples) this.samples.push({ metric: def.name, time: t, value, tags });
  }

  recordCheck(group: string, name: string, pass: boolean): void {
    const tally = this.tally(group, name);
    if (pass) tally.passes++;
    else tally.fails++;
  }

  private tally(group: string, name: string): CheckTally {
    let byName = this.tallies.get(group);
    if (!byName) this.tallies.set(group, (byName = new Map()));
    let tally = byName.get(name);
    if (!tally) {
      byName.set(name, (tally = { group, name, passes: 0, fails: 0 }));
      this.checks.push(tally);
    }
    return tally;
  }

  recordGroup(path: string): void {
    this.groups.add(path);
  }

  /** Everything since the last call, then starts afresh (worker side). */
  takeDelta(): RegistryDelta {
    const metrics: RegistryDelta['metrics'] = [];
    for (const e of this.entries.values()) {
      const state = e.sink.state();
      const subs: { name: string; state: SinkState }[] = [];
      for (const s of e.subs) {
        const st = s.sink.state();
        if (st) subs.push({ name: s.selector.name, state: st });
        s.sink.reset();
      }
      e.sink.reset();
      metrics.push(state ? { def: e.def, state, subs } : { def: e.def, subs });
    }
    const delta: RegistryDelta = {
      metrics,
      checks: this.checks.splice(0),
      groups: [...this.groups],
      samples: this.samples ?? [],
    };
    this.tallies.clear();
    this.groups.clear();
    if (this.samples) this.samples = [];
    return delta;
  }

  /** Everything recorded so far, without starting afresh and without raw samples (mergeable with `merge`). */
  snapshot(): RegistryDelta {
    return {
      metrics: [...this.entries.values()].map((e) => {
        const state = e.sink.state();
        const subs = e.subs.flatMap((s) => {
          const st = s.sink.state();
          return st ? [{ name: s.selector.name, state: st }] : [];
        });
        return state ? { def: e.def, state, subs } : { def: e.def, subs };
      }),
      checks: this.checks.map((c) => ({ ...c })),
      groups: [...this.groups],
      samples: [],
    };
  }

  /** Adds a worker's delta (coordinator side). */
  merge(delta: RegistryDelta): void {
    for (const m of delta.metrics) {
      const e = this.define(m.def);
      if (m.state) e.sink.merge(m.state);
      for (const s of m.subs) e.subs.find((x) => x.selector.name === s.name)?.sink.merge(s.state);
    }
    for (const c of delta.checks) {
      const tally = this.tally(c.group, c.name);
      tally.passes += c.passes;
      tally.fails += c.fails;
    }
    for (const g of delta.groups) this.groups.add(g);
  }

  /** The sink of a metric or of a sub-metric selector, if it exists. */
  sinkFor(name: string): { def: MetricDefinition; sink: Sink } | undefined {
    const open = name.indexOf('{');
    const entry = this.entries.get(open < 0 ? name : name.slice(0, open).trim());
    if (!entry) return undefined;
    if (open < 0) return entry;
    const sub = entry.subs.find((s) => s.selector.name === name);
    return sub && { def: entry.def, sink: sub.sink };
  }
}

function matches(selector: SubMetricSelector, tags: Tags): boolean {
  for (const [k, v] of selector.tags) if (tags[k] !== v) return false;
  return true;
}

// Runs a dashboard's queries against a Prometheus the way Grafana would: the
// variables resolved through the Prometheus API (label_values, metrics), then
// picked as a user picks them, interpolated into each query with Grafana's
// built-ins ($__rate_interval, $__range, $__interval), each target sent as a
// range or instant query.
import type { GrafanaDashboard, GrafanaVariable } from '../grafana-model.ts';

export interface Window {
  startMs: number;
  endMs: number;
  stepSeconds: number;
  /** What Grafana would compute for $__rate_interval with this Prometheus' scrape interval. */
  rateInterval: string;
}

export interface QueryResult {
  series: number;
  /** Finite sample values over all series. */
  finite: number;
}

async function api(base: string, path: string, params: Record<string, string | string[]>): Promise<any> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) query.append(k, one);
  // GET: the label-values endpoint takes no POST.
  const res = await fetch(`${base}${path}?${query}`);
  const json = (await res.json()) as { status: string; data: any; error?: string };
  if (json.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${json.error}`);
  return json.data;
}

/** label_values(metric{sel}, label), label_values(label) and metrics(regex), as Grafana's Prometheus datasource evaluates them. */
export async function variableOptions(base: string, query: string, window: Window): Promise<string[]> {
  const range = { start: String(window.startMs / 1000), end: String(window.endMs / 1000) };
  let m = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
  if (m) return api(base, `/api/v1/label/${m[2]}/values`, { ...range, 'match[]': m[1] });
  m = /^label_values\((\w+)\)$/.exec(query);
  if (m) return api(base, `/api/v1/label/${m[1]}/values`, range);
  m = /^metrics\((.+)\)$/.exec(query);
  if (m) {
    const names: string[] = await api(base, '/api/v1/label/__name__/values', range);
    const re = new RegExp(m[1]);
    return names.filter((n) => re.test(n));
  }
  throw new Error(`variable query not understood: ${query}`);
}

/** Grafana's variable regex: /pattern/ with an optional named group `value`. */
function applyRegex(options: string[], regex: unknown): string[] {
  if (typeof regex !== 'string' || regex === '') return options;
  const m = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  if (!m) throw new Error(`variable regex must be /…/: ${regex}`);
  const re = new RegExp(m[1], m[2].replace('g', ''));
  return options.flatMap((o) => {
    const hit = re.exec(o);
    if (!hit) return [];
    return [hit.groups?.value ?? hit[1] ?? o];
  });
}

export function interpolate(expr: string, values: Map<string, string>): string {
  // Longest names first, so $quantile does not eat $quantile_stat.
  const names = [...values.keys()].sort((a, b) => b.length - a.length);
  let out = expr;
  for (const n of names) out = out.split(`\${${n}}`).join(values.get(n)!).split(`$${n}`).join(values.get(n)!);
  const left = /\$[A-Za-z_][A-Za-z0-9_]*/.exec(out);
  if (left) throw new Error(`unresolved variable ${left[0]} in ${expr}`);
  return out;
}

/**
 * Resolves every variable of a dashboard in order. `picks` gives a user's choice by name; otherwise a
 * multi/All variable takes All (its allValue), a custom one its default, a textbox its value, a
 * single-value query variable the first option.
 */
export async function resolveVariables(
  base: string,
  d: GrafanaDashboard,
  window: Window,
  picks: Record<string, string> = {},
): Promise<Map<string, string>> {
  const values = new Map<string, string>([
    ['__rate_interval', window.rateInterval],
    ['__interval', `${window.stepSeconds}s`],
    ['__range', `${Math.ceil((window.endMs - window.startMs) / 1000)}s`],
  ]);
  for (const v of d.templating.list as GrafanaVariable[]) {
    if (v.type === 'datasource') continue;
    const pick = picks[v.name];
    if (v.type === 'custom' || v.type === 'textbox') {
      values.set(v.name, pick ?? String((v.current as { value: string }).value));
      continue;
    }
    const q = (v.query as { query: string }).query;
    const options = applyRegex(await variableOptions(base, interpolate(q, values), window), v.regex);
    if (pick !== undefined) {
      if (!options.includes(pick))
        throw new Error(`${d.uid}: variable ${v.name} offers ${JSON.stringify(options)}, not ${pick}`);
      values.set(v.name, pick);
    } else if (v.includeAll) values.set(v.name, String(v.allValue ?? '.*'));
    else if (options.length) values.set(v.name, options[0]);
    else throw new Error(`${d.uid}: variable ${v.name} has no options (${q})`);
  }
  return values;
}

/** Runs one query as Grafana does for a target: instant at the window's end, or over the window. */
export async function runQuery(base: string, expr: string, instant: boolean, window: Window): Promise<QueryResult> {
  const data = instant
    ? await api(base, '/api/v1/query', { query: expr, time: String(window.endMs / 1000) })
    : await api(base, '/api/v1/query_range', {
        query: expr,
        start: String(window.startMs / 1000),
        end: String(window.endMs / 1000),
        step: String(window.stepSeconds),
      });
  const result = data.result as Array<{
    value?: [number, string];
    values?: Array<[number, string]>;
    histogram?: unknown;
    histograms?: unknown[];
  }>;
  let finite = 0;
  for (const s of result) {
    const points = s.values ?? (s.value ? [s.value] : []);
    for (const [, v] of points) if (Number.isFinite(Number(v))) finite++;
  }
  return { series: result.length, finite };
}

/** Metric names a PromQL expression reads (the families this project's dashboards use: k6_, cats_, ice_). */
export function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\b(?:k6|cats|ice)_[A-Za-z0-9_]*[A-Za-z0-9]\b/g) ?? [])];
}

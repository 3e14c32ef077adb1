// Typed builders for Grafana's dashboard JSON model (schemaVersion 39). A
// dashboard is described as rows of panels with PromQL queries; `buildDashboard`
// lays the panels out on Grafana's 24-column grid and writes the JSON Grafana
// provisions. Every panel and variable reads from the `datasource` variable, so
// the dashboards also import into a Grafana whose Prometheus has another uid.

export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

export interface Query {
  expr: string;
  /** Legend template, e.g. '{{scenario}} p99'. */
  legend?: string;
  /** One value per series at the end of the range (stat and table panels). */
  instant?: boolean;
}

export interface Threshold {
  value: number;
  color: string;
}

export interface PanelSpec {
  title: string;
  description: string;
  kind: 'timeseries' | 'stat' | 'table' | 'bargauge';
  unit: string;
  queries: Query[];
  /** Grid columns (of 24); default 12 for graphs, 6 for stats. */
  width?: number;
  height?: number;
  /** Colour steps from the base colour up (stat and bargauge). */
  thresholds?: Threshold[];
  /** Horizontal lines drawn on a time series at these values (an SLO, a projected peak). */
  lines?: Threshold[];
  min?: number;
  max?: number;
  decimals?: number;
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

interface VariableBase {
  name: string;
  label: string;
  description: string;
}

export type VariableSpec =
  | (VariableBase & { kind: 'datasource' })
  | (VariableBase & { kind: 'query'; query: string; regex?: string; multi: boolean; includeAll: boolean })
  | (VariableBase & { kind: 'custom'; options: string[]; selected: string })
  | (VariableBase & { kind: 'textbox'; value: string });

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: VariableSpec[];
  rows: RowSpec[];
  /** Relative time range shown on open, e.g. 'now-15m'. */
  from?: string;
}

// The JSON model, only as far as these dashboards use it.
export interface GrafanaTarget {
  datasource: typeof DATASOURCE;
  editorMode: 'code';
  expr: string;
  legendFormat: string;
  instant: boolean;
  range: boolean;
  refId: string;
  format?: 'table';
}

export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: typeof DATASOURCE;
  targets?: GrafanaTarget[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  options?: Record<string, unknown>;
  collapsed?: boolean;
  panels?: GrafanaPanel[];
  transformations?: unknown[];
}

export interface GrafanaVariable {
  type: string;
  name: string;
  label: string;
  description: string;
  hide: 0;
  skipUrlSync: false;
  [key: string]: unknown;
}

export interface GrafanaDashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: boolean;
  graphTooltip: number;
  schemaVersion: number;
  version: number;
  refresh: string;
  time: { from: string; to: string };
  timepicker: Record<string, never>;
  timezone: string;
  links: unknown[];
  annotations: { list: unknown[] };
  templating: { list: GrafanaVariable[] };
  panels: GrafanaPanel[];
}

const GRID = 24;

function variable(v: VariableSpec): GrafanaVariable {
  const base = {
    name: v.name,
    label: v.label,
    description: v.description,
    hide: 0 as const,
    skipUrlSync: false as const,
  };
  switch (v.kind) {
    case 'datasource':
      return {
        ...base,
        type: 'datasource',
        query: 'prometheus',
        current: {},
        options: [],
        regex: '',
        refresh: 1,
        multi: false,
        includeAll: false,
      };
    case 'query':
      return {
        ...base,
        type: 'query',
        datasource: DATASOURCE,
        definition: v.query,
        query: { query: v.query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
        regex: v.regex ?? '',
        refresh: 2, // on time range change: a new run's testid shows up without reloading
        sort: 1,
        multi: v.multi,
        includeAll: v.includeAll,
        ...(v.includeAll ? { allValue: '.*' } : {}),
        current: v.includeAll ? { selected: true, text: ['All'], value: ['$__all'] } : {},
        options: [],
      };
    case 'custom':
      return {
        ...base,
        type: 'custom',
        query: v.options.join(','),
        multi: false,
        includeAll: false,
        current: { selected: true, text: v.selected, value: v.selected },
        options: v.options.map((o) => ({ selected: o === v.selected, text: o, value: o })),
      };
    case 'textbox':
      return {
        ...base,
        type: 'textbox',
        query: v.value,
        current: { selected: false, text: v.value, value: v.value },
        options: [],
      };
  }
}

function steps(base: string, thresholds: Threshold[] = []) {
  return {
    mode: 'absolute',
    steps: [{ color: base, value: null }, ...thresholds.map((t) => ({ color: t.color, value: t.value }))],
  };
}

function fieldDefaults(p: PanelSpec): Record<string, unknown> {
  const defaults: Record<string, unknown> = { unit: p.unit, mappings: [] };
  if (p.min !== undefined) defaults.min = p.min;
  if (p.max !== undefined) defaults.max = p.max;
  if (p.decimals !== undefined) defaults.decimals = p.decimals;
  if (p.kind === 'timeseries') {
    defaults.color = { mode: 'palette-classic' };
    defaults.custom = {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: 10,
      showPoints: 'never',
      spanNulls: false,
      axisPlacement: 'auto',
      thresholdsStyle: { mode: p.lines?.length ? 'dashed' : 'off' },
    };
    defaults.thresholds = steps('transparent', p.lines);
  } else {
    defaults.color = { mode: 'thresholds' };
    defaults.thresholds = steps('green', p.thresholds);
  }
  return defaults;
}

function panelOptions(p: PanelSpec): Record<string, unknown> {
  switch (p.kind) {
    case 'timeseries':
      return {
        legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['lastNotNull', 'max'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
    case 'stat':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        justifyMode: 'auto',
        textMode: 'auto',
        orientation: 'auto',
      };
    case 'bargauge':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        displayMode: 'gradient',
        orientation: 'horizontal',
        showUnfilled: true,
      };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' } };
  }
}

function target(q: Query, i: number, table: boolean): GrafanaTarget {
  const instant = q.instant ?? table;
  return {
    datasource: DATASOURCE,
    editorMode: 'code',
    expr: q.expr,
    legendFormat: q.legend ?? '__auto',
    instant,
    range: !instant,
    refId: String.fromCharCode(65 + i),
    ...(table ? { format: 'table' as const } : {}),
  };
}

/** Table panels merge their instant queries into one row per label set and hide the time column. */
function tableTransformations(p: PanelSpec) {
  return p.kind === 'table'
    ? {
        transformations: [
          { id: 'merge', options: {} },
          { id: 'organize', options: { excludeByName: { Time: true } } },
        ],
      }
    : {};
}

export function buildDashboard(spec: DashboardSpec): GrafanaDashboard {
  const names = new Set(spec.variables.map((v) => v.name));
  if (names.size !== spec.variables.length) throw new Error(`${spec.uid}: duplicate variable name`);
  const panels: GrafanaPanel[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { x: 0, y, w: GRID, h: 1 },
      panels: [],
    });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.width ?? (p.kind === 'stat' ? 6 : 12);
      const h = p.height ?? (p.kind === 'stat' ? 4 : 8);
      if (w > GRID) throw new Error(`${spec.uid}: panel '${p.title}' is wider than the grid`);
      if (x + w > GRID) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      if (p.queries.length === 0) throw new Error(`${spec.uid}: panel '${p.title}' has no query`);
      panels.push({
        id: id++,
        type: p.kind,
        title: p.title,
        description: p.description,
        gridPos: { x, y, w, h },
        datasource: DATASOURCE,
        targets: p.queries.map((q, i) => target(q, i, p.kind === 'table')),
        fieldConfig: { defaults: fieldDefaults(p), overrides: [] },
        options: panelOptions(p),
        ...tableTransformations(p),
      });
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: true,
    graphTooltip: 1, // shared crosshair: client and server panels line up in time
    schemaVersion: 39,
    version: 1,
    refresh: '5s',
    time: { from: spec.from ?? 'now-15m', to: 'now' },
    timepicker: {},
    timezone: 'utc',
    links: [
      {
        type: 'dashboards',
        tags: ['cats-stress'],
        asDropdown: true,
        title: 'cats-stress',
        includeVars: true,
        keepTime: true,
      },
    ],
    annotations: { list: [] },
    templating: { list: spec.variables.map(variable) },
    panels,
  };
}

/** Every query target of a dashboard with the panel it belongs to. */
export function dashboardTargets(d: GrafanaDashboard): Array<{ panel: GrafanaPanel; target: GrafanaTarget }> {
  const out: Array<{ panel: GrafanaPanel; target: GrafanaTarget }> = [];
  const visit = (ps: GrafanaPanel[]) => {
    for (const p of ps) {
      for (const t of p.targets ?? []) out.push({ panel: p, target: t });
      if (p.panels) visit(p.panels);
    }
  };
  visit(d.panels);
  return out;
}

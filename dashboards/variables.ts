// Dashboard variables shared by the three dashboards, so `testid` or `country`
// means the same everywhere and links between dashboards carry them over.
import type { VariableSpec } from './grafana-model.ts';

export const datasourceVariable: VariableSpec = {
  kind: 'datasource',
  name: 'datasource',
  label: 'Prometheus',
  description: "The Prometheus that scrapes the deployment and receives the runs' remote write.",
};

export const testidVariable: VariableSpec = {
  kind: 'query',
  name: 'testid',
  label: 'Run',
  description: 'Run id: the testid tag every run carries (cats-stress sets it; with real k6 pass --tag testid=<id>).',
  query: 'label_values(k6_iterations_total, testid)',
  multi: true,
  includeAll: true,
};

export const scenarioVariable: VariableSpec = {
  kind: 'query',
  name: 'scenario',
  label: 'Scenario',
  description: 'Scenarios of the selected runs.',
  query: 'label_values(k6_iterations_total{testid=~"$testid"}, scenario)',
  multi: true,
  includeAll: true,
};

export const statVariable: VariableSpec = {
  kind: 'query',
  name: 'stat',
  label: 'Trend stat',
  description:
    'Trend stat of the gauge series (K6_PROMETHEUS_RW_TREND_STATS chooses which are written; the default is p(99)).',
  query: 'metrics(k6_http_req_duration_)',
  regex: '/^k6_http_req_duration_(?<value>p[0-9]+|med|avg|min|max)$/',
  multi: false,
  includeAll: false,
};

export const quantileVariable: VariableSpec = {
  kind: 'custom',
  name: 'quantile',
  label: 'Quantile',
  description:
    'Quantile of native-histogram series (runs with K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true) and of the server histograms.',
  options: ['0.5', '0.9', '0.95', '0.99', '0.999'],
  selected: '0.99',
};

export const countryVariable: VariableSpec = {
  kind: 'query',
  name: 'country',
  label: 'Country',
  description: 'Countries whose national node the Prometheus scrapes.',
  query: 'label_values(cats_http_request_duration_seconds_count, country)',
  multi: true,
  includeAll: true,
};

export const routeVariable: VariableSpec = {
  kind: 'query',
  name: 'route',
  label: 'Route',
  description: "Route templates of the national nodes' API.",
  query: 'label_values(cats_http_request_duration_seconds_count{country=~"$country"}, route)',
  multi: true,
  includeAll: true,
};

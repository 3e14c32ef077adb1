// "Load test": what the load generator did and saw, from the series k6's
// Prometheus remote-write output writes (the built-in engine writes the same),
// so one dashboard serves runs of either engine. Latency panels carry two
// queries: the trend-stat gauges (k6_<trend>_<stat>, the default) and the
// native histograms (k6_<trend>_seconds, K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM);
// a run has one or the other, and the panel shows whichever it has.
import type { DashboardSpec, PanelSpec, Query } from './grafana-model.ts';
import { datasourceVariable, quantileVariable, scenarioVariable, statVariable, testidVariable } from './variables.ts';

const run = 'testid=~"$testid"';
const sel = 'testid=~"$testid", scenario=~"$scenario"';
const RATE = '[$__rate_interval]';

/** A trend's latency as the selected stat (gauge mode) and the selected quantile (native histogram mode). */
export function trendQueries(trend: string, by: string[], filter: string, legend: string): Query[] {
  const group = by.length ? ` by (${by.join(', ')})` : '';
  return [
    { expr: `max${group} (k6_${trend}_$stat{${filter}})`, legend: `${legend} $stat` },
    {
      expr: `histogram_quantile($quantile, sum${group} (rate(k6_${trend}_seconds{${filter}}${RATE})))`,
      legend: `${legend} q$quantile`,
    },
  ];
}

const overview: PanelSpec[] = [
  {
    title: 'Virtual users',
    description: 'VUs running now, over every scenario of the selected runs.',
    kind: 'stat',
    unit: 'short',
    queries: [{ expr: `sum(k6_vus{${run}})` }],
    width: 4,
  },
  {
    title: 'Request rate',
    description: 'HTTP requests per second the generator completed.',
    kind: 'stat',
    unit: 'reqps',
    queries: [{ expr: `sum(rate(k6_http_reqs_total{${sel}}${RATE}))` }],
    width: 4,
  },
  {
    title: 'Iteration rate',
    description: 'Iterations completed per second.',
    kind: 'stat',
    unit: 'short',
    queries: [{ expr: `sum(rate(k6_iterations_total{${sel}}${RATE}))` }],
    width: 4,
  },
  {
    title: 'Failed requests',
    description:
      'Share of requests whose status the script did not expect (expected_response="false", the requests http_req_failed counts).',
    kind: 'stat',
    unit: 'percentunit',
    queries: [
      {
        expr: `(sum(rate(k6_http_reqs_total{${sel}, expected_response="false"}${RATE})) or vector(0)) / sum(rate(k6_http_reqs_total{${sel}}${RATE}))`,
      },
    ],
    thresholds: [
      { value: 0.001, color: 'orange' },
      { value: 0.01, color: 'red' },
    ],
    width: 4,
  },
  {
    title: 'Dropped iterations',
    description:
      'Iterations an arrival-rate executor could not start for want of a free VU since the run began. Above zero, the offered load was lower than planned.',
    kind: 'stat',
    unit: 'short',
    queries: [{ expr: `sum(k6_dropped_iterations_total{${sel}}) or vector(0)` }],
    thresholds: [{ value: 1, color: 'red' }],
    width: 4,
  },
  {
    title: 'Checks passed',
    description: 'Share of check() results that passed since the run began, worst check.',
    kind: 'stat',
    unit: 'percentunit',
    queries: [{ expr: `min(k6_checks_rate{${sel}})` }],
    thresholds: [
      { value: 0, color: 'red' },
      { value: 0.99, color: 'orange' },
      { value: 1, color: 'green' },
    ],
    width: 4,
  },
];

const load: PanelSpec[] = [
  {
    title: 'Virtual users',
    description: 'Active VUs and VUs allocated (arrival-rate executors allocate up to maxVUs).',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      { expr: `sum(k6_vus{${run}})`, legend: 'active' },
      { expr: `sum(k6_vus_max{${run}})`, legend: 'allocated' },
    ],
    width: 8,
  },
  {
    title: 'Requests per second by scenario',
    description: 'Completed requests per second, and those that failed.',
    kind: 'timeseries',
    unit: 'reqps',
    queries: [
      { expr: `sum by (scenario) (rate(k6_http_reqs_total{${sel}}${RATE}))`, legend: '{{scenario}}' },
      {
        expr: `sum by (scenario) (rate(k6_http_reqs_total{${sel}, expected_response="false"}${RATE}))`,
        legend: '{{scenario}} failed',
      },
    ],
    width: 8,
  },
  {
    title: 'Iterations per second by scenario',
    description:
      'Iterations completed and dropped per second. Dropped iterations mean the generator fell behind its schedule.',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      { expr: `sum by (scenario) (rate(k6_iterations_total{${sel}}${RATE}))`, legend: '{{scenario}}' },
      { expr: `sum by (scenario) (rate(k6_dropped_iterations_total{${sel}}${RATE}))`, legend: '{{scenario}} dropped' },
    ],
    width: 8,
  },
  {
    title: 'Requests per second by operation',
    description: 'The `operation` tag the scenarios put on every request (ctd_submit, ctd_release, …).',
    kind: 'timeseries',
    unit: 'reqps',
    queries: [{ expr: `sum by (operation) (rate(k6_http_reqs_total{${sel}}${RATE}))`, legend: '{{operation}}' }],
  },
  {
    title: 'Failed requests per second by status',
    description: 'Unexpected responses by status code and operation (status 0: no response, see error_code).',
    kind: 'timeseries',
    unit: 'reqps',
    queries: [
      {
        expr: `sum by (operation, status) (rate(k6_http_reqs_total{${sel}, expected_response="false"}${RATE}))`,
        legend: '{{operation}} {{status}}',
      },
    ],
  },
];

const latency: PanelSpec[] = [
  {
    title: 'Request duration by scenario',
    description:
      'http_req_duration of expected responses. Trend stats are cumulative since the run began (as k6 writes them); native histograms are windowed.',
    kind: 'timeseries',
    unit: 's',
    queries: trendQueries('http_req_duration', ['scenario'], `${sel}, expected_response="true"`, '{{scenario}}'),
  },
  {
    title: 'Request duration by operation',
    description: 'http_req_duration of expected responses per operation tag.',
    kind: 'timeseries',
    unit: 's',
    queries: trendQueries('http_req_duration', ['operation'], `${sel}, expected_response="true"`, '{{operation}}'),
  },
  {
    title: 'Request phases',
    description:
      'Where request time goes: waiting for a connection (blocked), connecting, sending, waiting for the first byte, receiving.',
    kind: 'timeseries',
    unit: 's',
    queries: ['blocked', 'connecting', 'sending', 'waiting', 'receiving'].flatMap((phase) =>
      trendQueries(`http_req_${phase}`, [], sel, phase),
    ),
  },
  {
    title: 'Iteration duration by scenario',
    description: 'Time of one whole iteration, think time included.',
    kind: 'timeseries',
    unit: 's',
    queries: trendQueries('iteration_duration', ['scenario'], sel, '{{scenario}}'),
  },
  {
    title: 'Requests by operation and route',
    description:
      'Over the selected runs: requests by operation, route name, method and status, with the selected latency stat.',
    kind: 'table',
    unit: 'short',
    queries: [
      { expr: `sum by (operation, name, method, status) (k6_http_reqs_total{${sel}})`, legend: 'requests' },
      {
        expr: `max by (operation, name, method, status) (k6_http_req_duration_$stat{${sel}})`,
        legend: 'duration $stat',
      },
      {
        expr: `histogram_quantile($quantile, sum by (operation, name, method, status) (increase(k6_http_req_duration_seconds{${sel}}[$__range])))`,
        legend: 'duration q$quantile',
      },
    ],
    width: 24,
  },
];

const checks: PanelSpec[] = [
  {
    title: 'Checks',
    description: 'Each check() by name: share passed since the run began.',
    kind: 'table',
    unit: 'percentunit',
    queries: [{ expr: `min by (check) (k6_checks_rate{${sel}})`, legend: 'passed' }],
  },
  {
    title: 'Checks passed over time',
    description: 'Cumulative share of each check that passed.',
    kind: 'timeseries',
    unit: 'percentunit',
    queries: [{ expr: `min by (check) (k6_checks_rate{${sel}})`, legend: '{{check}}' }],
    min: 0,
    max: 1,
  },
];

const customs: PanelSpec[] = [
  {
    title: 'CTDs accepted per second by decision',
    description: "The scenarios' ctd_accepted counter: CTDs given an MRN, released at once or sent to control.",
    kind: 'timeseries',
    unit: 'short',
    queries: [{ expr: `sum by (decision) (rate(k6_ctd_accepted_total{${sel}}${RATE}))`, legend: '{{decision}}' }],
  },
  {
    title: 'CTDs rejected per second by code',
    description:
      "The scenarios' ctd_rejected counter by the rejection code of spec v0 (negative tests reject on purpose).",
    kind: 'timeseries',
    unit: 'short',
    queries: [{ expr: `sum by (code) (rate(k6_ctd_rejected_total{${sel}}${RATE}))`, legend: '{{code}}' }],
  },
];

export const loadTest: DashboardSpec = {
  uid: 'cats-stress-load-test',
  title: 'cats-stress · Load test',
  description:
    "The load generator's view of a run (k6 Prometheus remote-write series, from the built-in engine or real k6), filtered by testid.",
  tags: ['cats-stress', 'k6', 'load-test'],
  variables: [datasourceVariable, testidVariable, scenarioVariable, statVariable, quantileVariable],
  rows: [
    { title: 'Overview', panels: overview },
    { title: 'Load offered', panels: load },
    { title: 'Latency', panels: latency },
    { title: 'Checks', panels: checks },
    { title: 'Customs flows', panels: customs },
  ],
};

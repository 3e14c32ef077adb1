// "Capacity": how many movements a day the deployment takes within its latency
// SLO, and the headroom over the corridor's projected peak hour. Throughput is
// counted where the CTDs are accepted (the nodes' cats_declarations_total), the
// SLO is checked on the nodes' submission histogram, and the generator's side
// (offered load, dropped iterations) says whether the measurement holds.
import type { DashboardSpec, PanelSpec, VariableSpec } from './grafana-model.ts';
import { countryVariable, datasourceVariable, testidVariable } from './variables.ts';

const c = 'country=~"$country"';
const RATE = '[$__rate_interval]';
const submit = `${c}, method="POST", route="/v1/declarations"`;
const accepted = `sum(rate(cats_declarations_total{${c}, outcome=~"released|controlled|prelodged"}${RATE}))`;
const p99 = `histogram_quantile(0.99, sum by (le) (rate(cats_http_request_duration_seconds_bucket{${submit}}${RATE})))`;
const withinSlo = `(${accepted} and on() (${p99} <= $slo))`;

/** The nodes' histogram buckets (reference/cats/metrics.ts): an SLO must be one of them to be read exactly. */
const SLO_BUCKETS = ['0.025', '0.05', '0.1', '0.25', '0.5', '1'];

export function capacityDashboard(peak: { year: number; ctdsPerHour: number }): DashboardSpec {
  const peakVariable: VariableSpec = {
    kind: 'textbox',
    name: 'corridor_peak_per_hour',
    label: 'Projected peak (CTDs/hour)',
    description: `CTDs lodged in the corridor's busiest hour. Default: the generators' traffic model for ${peak.year} over the pilot countries; enter your own projection.`,
    value: String(Math.ceil(peak.ctdsPerHour)),
  };
  const sloVariable: VariableSpec = {
    kind: 'custom',
    name: 'slo',
    label: 'SLO: p99 of CTD submission under (s)',
    description: 'Latency objective for POST /v1/declarations at the nodes, one of their histogram buckets.',
    options: SLO_BUCKETS,
    selected: '0.1',
  };

  const headline: PanelSpec[] = [
    {
      title: 'Accepted CTDs per second',
      description: 'CTDs the nodes accepted (released, sent to control or prelodged) per second.',
      kind: 'stat',
      unit: 'short',
      decimals: 1,
      queries: [{ expr: accepted }],
    },
    {
      title: 'Movements per day, equivalent',
      description: 'The accepted rate held for 24 hours.',
      kind: 'stat',
      unit: 'short',
      decimals: 0,
      queries: [{ expr: `${accepted} * 86400` }],
    },
    {
      title: 'Headroom over the projected peak hour',
      description:
        "Accepted rate divided by the projected busiest hour's rate. Below 1× the deployment would fall behind at peak.",
      kind: 'stat',
      unit: 'suffix:×',
      decimals: 1,
      queries: [{ expr: `${accepted} * 3600 / $corridor_peak_per_hour` }],
      thresholds: [
        { value: 0, color: 'red' },
        { value: 1, color: 'orange' },
        { value: 3, color: 'green' },
      ],
    },
    {
      title: 'Submissions within the SLO',
      description: "Share of CTD submissions answered within the SLO (the node histogram's bucket at $slo s).",
      kind: 'stat',
      unit: 'percentunit',
      decimals: 2,
      queries: [
        {
          expr: `sum(rate(cats_http_request_duration_seconds_bucket{${submit}, le="$slo"}${RATE})) / sum(rate(cats_http_request_duration_seconds_count{${submit}}${RATE}))`,
        },
      ],
      thresholds: [
        { value: 0, color: 'red' },
        { value: 0.99, color: 'green' },
      ],
    },
  ];

  const throughput: PanelSpec[] = [
    {
      title: 'Throughput against the SLO',
      description:
        "Accepted CTDs per second, and the same rate only while the submissions' p99 is within the SLO: where the two part, the deployment is past its knee.",
      kind: 'timeseries',
      unit: 'short',
      queries: [
        { expr: accepted, legend: 'accepted CTDs/s' },
        { expr: withinSlo, legend: 'accepted CTDs/s with p99 ≤ $slo s' },
      ],
    },
    {
      title: 'Submission latency p99 against the SLO',
      description: 'p99 of POST /v1/declarations at the nodes, with the SLO as a line.',
      kind: 'timeseries',
      unit: 's',
      queries: [
        { expr: p99, legend: 'p99' },
        { expr: 'vector($slo)', legend: 'SLO' },
      ],
    },
    {
      title: 'Best sustained rate within the SLO',
      description: 'Highest accepted rate over the time range while p99 stayed within the SLO, as movements per day.',
      kind: 'stat',
      unit: 'short',
      decimals: 0,
      queries: [{ expr: `max_over_time(${withinSlo}[$__range:]) * 86400` }],
      width: 8,
    },
    {
      title: 'Headroom over time',
      description: "Accepted rate over the projected peak hour's rate.",
      kind: 'timeseries',
      unit: 'suffix:×',
      queries: [{ expr: `${accepted} * 3600 / $corridor_peak_per_hour`, legend: 'headroom' }],
      lines: [{ value: 1, color: 'red' }],
      width: 16,
    },
  ];

  const validity: PanelSpec[] = [
    {
      title: 'Offered and accepted',
      description:
        'CTD submissions the generator sent per second (operation ctd_submit) against the CTDs it saw accepted.',
      kind: 'timeseries',
      unit: 'short',
      queries: [
        {
          expr: 'sum(rate(k6_http_reqs_total{testid=~"$testid", operation="ctd_submit"}[$__rate_interval]))',
          legend: 'submitted',
        },
        { expr: 'sum(rate(k6_ctd_accepted_total{testid=~"$testid"}[$__rate_interval]))', legend: 'accepted' },
      ],
      width: 8,
    },
    {
      title: 'Dropped iterations per second',
      description:
        'Iterations the generator could not start on schedule. Above zero, the offered rate was lower than planned and the capacity figure is a lower bound.',
      kind: 'timeseries',
      unit: 'short',
      queries: [
        {
          expr: 'sum by (scenario) (rate(k6_dropped_iterations_total{testid=~"$testid"}[$__rate_interval]))',
          legend: '{{scenario}}',
        },
      ],
      width: 8,
    },
    {
      title: 'Saturation',
      description: 'Requests waiting for a database client and node CPU (1 = one core): what runs out first.',
      kind: 'timeseries',
      unit: 'short',
      queries: [
        { expr: `sum by (country) (cats_db_pool_clients{${c}, state="waiting"})`, legend: '{{country}} pool waiting' },
        {
          expr: `sum by (country) (rate(cats_node_process_cpu_seconds_total{${c}}${RATE}))`,
          legend: '{{country}} CPU',
        },
      ],
      width: 8,
    },
  ];

  return {
    uid: 'cats-stress-capacity',
    title: 'cats-stress · Capacity',
    description:
      'Movements per day a deployment takes within its latency SLO, and the headroom over the projected corridor peak.',
    tags: ['cats-stress', 'capacity'],
    variables: [datasourceVariable, testidVariable, countryVariable, sloVariable, peakVariable],
    rows: [
      { title: 'Capacity', panels: headline },
      { title: 'Throughput and latency', panels: throughput },
      { title: 'Is the measurement valid?', panels: validity },
    ],
    from: 'now-1h',
  };
}

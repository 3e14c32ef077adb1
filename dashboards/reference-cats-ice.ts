// "Reference CATS/ICE": how the system under test bears the load, from what the
// national nodes (cats_*, process metrics prefixed cats_node_) and the ICE hub
// (ice_*, process metrics prefixed ice_process_) expose on /metrics.
import type { DashboardSpec, PanelSpec } from './grafana-model.ts';
import { countryVariable, datasourceVariable, quantileVariable, routeVariable } from './variables.ts';

const c = 'country=~"$country"';
const rc = 'recipient_country=~"$country"';
const RATE = '[$__rate_interval]';
const http = 'cats_http_request_duration_seconds';

const nodesHttp: PanelSpec[] = [
  {
    title: 'Requests per second by country',
    description: 'Requests each national node answered.',
    kind: 'timeseries',
    unit: 'reqps',
    queries: [{ expr: `sum by (country) (rate(${http}_count{${c}, route=~"$route"}${RATE}))`, legend: '{{country}}' }],
    width: 8,
  },
  {
    title: 'Error responses per second',
    description: '4xx and 5xx answers by country and status. 4xx are the node refusing bad input; 5xx are faults.',
    kind: 'timeseries',
    unit: 'reqps',
    queries: [
      {
        expr: `sum by (country, status) (rate(${http}_count{${c}, route=~"$route", status=~"[45].."}${RATE}))`,
        legend: '{{country}} {{status}}',
      },
    ],
    width: 8,
  },
  {
    title: 'Latency by country',
    description: "Server-side request duration at the selected quantile, from the nodes' histograms.",
    kind: 'timeseries',
    unit: 's',
    queries: [
      {
        expr: `histogram_quantile($quantile, sum by (country, le) (rate(${http}_bucket{${c}, route=~"$route"}${RATE})))`,
        legend: '{{country}} q$quantile',
      },
    ],
    width: 8,
  },
  {
    title: 'Latency by route',
    description: 'Server-side request duration at the selected quantile per route template.',
    kind: 'timeseries',
    unit: 's',
    queries: [
      {
        expr: `histogram_quantile($quantile, sum by (method, route, le) (rate(${http}_bucket{${c}, route=~"$route"}${RATE})))`,
        legend: '{{method}} {{route}}',
      },
    ],
  },
  {
    title: 'Routes',
    description: 'Over the time range: requests, error share and latency at the selected quantile per route.',
    kind: 'table',
    unit: 'short',
    queries: [
      { expr: `sum by (method, route) (increase(${http}_count{${c}, route=~"$route"}[$__range]))`, legend: 'requests' },
      {
        expr: `(sum by (method, route) (increase(${http}_count{${c}, route=~"$route", status=~"[45].."}[$__range])) or sum by (method, route) (increase(${http}_count{${c}, route=~"$route"}[$__range])) * 0) / sum by (method, route) (increase(${http}_count{${c}, route=~"$route"}[$__range]))`,
        legend: 'error share',
      },
      {
        expr: `histogram_quantile($quantile, sum by (method, route, le) (increase(${http}_bucket{${c}, route=~"$route"}[$__range])))`,
        legend: 'q$quantile (s)',
      },
    ],
  },
];

const decisions: PanelSpec[] = [
  {
    title: 'CTD decisions per second',
    description:
      'Submissions by outcome: released, controlled (sent to control), prelodged, replayed (idempotent retry), or the rejection code.',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      {
        expr: `sum by (country, outcome) (rate(cats_declarations_total{${c}}${RATE}))`,
        legend: '{{country}} {{outcome}}',
      },
    ],
  },
  {
    title: 'Rejections by code',
    description: 'CTDs rejected over the time range, by rejection code.',
    kind: 'bargauge',
    unit: 'short',
    queries: [
      {
        expr: `sum by (outcome) (increase(cats_declarations_total{${c}, outcome!~"released|controlled|prelodged|replayed"}[$__range]))`,
        legend: '{{outcome}}',
        instant: true,
      },
    ],
  },
  {
    title: 'Movement events per second',
    description: 'State transitions the nodes applied (accept, release, control, cross, arrive, write-off, …).',
    kind: 'timeseries',
    unit: 'short',
    queries: [{ expr: `sum by (event) (rate(cats_movement_events_total{${c}}${RATE}))`, legend: '{{event}}' }],
  },
  {
    title: 'Movement flow',
    description:
      'State changes committed per second, from one state to the next, by the node\'s role in the movement (departure, or transit/destination for a movement declared abroad). From "none": a movement the node starts recording.',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      {
        expr: `sum by (country, role, from, to) (rate(cats_movement_transitions_total{${c}}${RATE}))`,
        legend: '{{country}} {{role}} {{from}} → {{to}}',
      },
    ],
  },
  {
    title: 'Open movements by state',
    description:
      "Movements in a non-final state, per node, role and state. Counted at the node's start and moved by its own transitions: with several processes on one database each shows only its own share of the changes.",
    kind: 'timeseries',
    unit: 'short',
    queries: [
      { expr: `sum by (country, role, state) (cats_movements_open{${c}})`, legend: '{{country}} {{role}} {{state}}' },
    ],
  },
  {
    title: 'Notification streams',
    description: "Operators' open WebSocket notification streams per node.",
    kind: 'timeseries',
    unit: 'short',
    queries: [{ expr: `sum by (country) (cats_websocket_subscribers{${c}})`, legend: '{{country}}' }],
  },
];

const guarantees: PanelSpec[] = [
  {
    title: 'Guarantee utilisation',
    description:
      'Amount reserved by released movements over the reference amount, per guarantee type and currency. Near 100 % new releases on those guarantees are refused.',
    kind: 'timeseries',
    unit: 'percentunit',
    queries: [
      {
        expr: `sum by (country, type, currency) (cats_guarantee_amount{${c}, kind="reserved"}) / sum by (country, type, currency) (cats_guarantee_amount{${c}, kind="reference"})`,
        legend: '{{country}} type {{type}} {{currency}}',
      },
    ],
  },
  {
    title: 'Guarantee amounts: reserved and reference',
    description:
      'Sums over the guarantees per type and currency, in currency units: what released movements hold, and the reference amounts they may draw on.',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      {
        expr: `sum by (country, type, currency) (cats_guarantee_amount{${c}, kind="reserved"})`,
        legend: '{{country}} type {{type}} {{currency}} reserved',
      },
      {
        expr: `sum by (country, type, currency) (cats_guarantee_amount{${c}, kind="reference"})`,
        legend: '{{country}} type {{type}} {{currency}} reference',
      },
    ],
  },
];

const resources: PanelSpec[] = [
  {
    title: 'Outbox backlog',
    description:
      'C2C messages committed with their state change and not yet handed to ICE. A growing backlog means ICE or the relay lags. Refused: messages ICE refused for good (its schema or routing rules), kept in the outbox and not sent again; the relay logs each.',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      { expr: `sum by (country) (cats_outbox_pending_messages{${c}})`, legend: '{{country}}' },
      { expr: `sum by (country) (cats_outbox_refused_messages{${c}})`, legend: '{{country}} refused' },
    ],
    width: 8,
  },
  {
    title: 'Outbox lag',
    description:
      'How long the next C2C message to relay has waited since its state change committed (0 when none waits).',
    kind: 'timeseries',
    unit: 's',
    queries: [{ expr: `max by (country) (cats_outbox_oldest_pending_age_seconds{${c}})`, legend: '{{country}}' }],
    width: 8,
  },
  {
    title: 'Database pool',
    description:
      'Pool clients in use (total − idle) and requests waiting for a client, per node. Waiting above zero: the pool is the bottleneck.',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      {
        expr: `sum by (country) (cats_db_pool_clients{${c}, state="total"}) - sum by (country) (cats_db_pool_clients{${c}, state="idle"})`,
        legend: '{{country}} in use',
      },
      { expr: `sum by (country) (cats_db_pool_clients{${c}, state="waiting"})`, legend: '{{country}} waiting' },
    ],
    width: 8,
  },
  {
    title: 'Event-loop lag p99',
    description: 'Node.js event-loop delay: above a few milliseconds the process is CPU-bound.',
    kind: 'timeseries',
    unit: 's',
    queries: [
      { expr: `max by (country) (cats_node_nodejs_eventloop_lag_p99_seconds{${c}})`, legend: '{{country}}' },
      { expr: 'max(ice_process_nodejs_eventloop_lag_p99_seconds)', legend: 'ICE' },
    ],
    width: 8,
  },
  {
    title: 'CPU',
    description: 'CPU time per second (1 = one core) of each node process and of ICE.',
    kind: 'timeseries',
    unit: 'percentunit',
    queries: [
      { expr: `sum by (country) (rate(cats_node_process_cpu_seconds_total{${c}}${RATE}))`, legend: '{{country}}' },
      { expr: `sum(rate(ice_process_process_cpu_seconds_total${RATE}))`, legend: 'ICE' },
    ],
    width: 8,
  },
  {
    title: 'Resident memory',
    description: 'Resident set size of each node process and of ICE.',
    kind: 'timeseries',
    unit: 'bytes',
    queries: [
      { expr: `max by (country) (cats_node_process_resident_memory_bytes{${c}})`, legend: '{{country}}' },
      { expr: 'max(ice_process_process_resident_memory_bytes)', legend: 'ICE' },
    ],
    width: 8,
  },
];

const ice: PanelSpec[] = [
  {
    title: 'ICE queue depth by recipient country',
    description: 'Messages stored at ICE and not yet acknowledged by their recipient.',
    kind: 'timeseries',
    unit: 'short',
    queries: [{ expr: `sum by (recipient_country) (ice_queue_depth{${rc}})`, legend: '{{recipient_country}}' }],
    width: 8,
  },
  {
    title: 'ICE deliveries per second',
    description:
      'Messages acknowledged by their recipient, and deliveries repeated after a reconnect or acknowledgement timeout.',
    kind: 'timeseries',
    unit: 'short',
    queries: [
      {
        expr: `sum by (recipient_country) (rate(ice_deliveries_total{${rc}}${RATE}))`,
        legend: '{{recipient_country}}',
      },
      {
        expr: `sum by (recipient_country) (rate(ice_redeliveries_total{${rc}}${RATE}))`,
        legend: '{{recipient_country}} redelivered',
      },
    ],
    width: 8,
  },
  {
    title: 'ICE delivery latency',
    description: 'From durable storage at ICE to acknowledgement by the recipient node, at the selected quantile.',
    kind: 'timeseries',
    unit: 's',
    queries: [
      {
        expr: `histogram_quantile($quantile, sum by (recipient_country, le) (rate(ice_delivery_latency_seconds_bucket{${rc}}${RATE})))`,
        legend: '{{recipient_country}} q$quantile',
      },
    ],
    width: 8,
  },
  {
    title: 'ICE messages stored per second by type',
    description: 'C2C messages ICE stored and acknowledged to their sender, by message type (IE001, IE050, IE118, …).',
    kind: 'timeseries',
    unit: 'short',
    queries: [{ expr: `sum by (type) (rate(ice_messages_stored_total{${rc}}${RATE}))`, legend: '{{type}}' }],
    width: 8,
  },
  {
    title: 'ICE in flight',
    description: 'Deliveries sent and not yet acknowledged, per recipient country.',
    kind: 'timeseries',
    unit: 'short',
    queries: [{ expr: `sum by (recipient_country) (ice_in_flight{${rc}})`, legend: '{{recipient_country}}' }],
    width: 8,
  },
  {
    title: 'ICE connections',
    description: 'Open node connections per country (1 when the node is connected).',
    kind: 'timeseries',
    unit: 'short',
    queries: [{ expr: `sum by (country) (ice_connections{${c}})`, legend: '{{country}}' }],
    width: 8,
  },
];

export const referenceCatsIce: DashboardSpec = {
  uid: 'cats-stress-reference',
  title: 'cats-stress · Reference CATS/ICE',
  description: 'Server-side metrics of the national CATS nodes and the ICE hub, per country.',
  tags: ['cats-stress', 'cats', 'ice'],
  variables: [datasourceVariable, countryVariable, routeVariable, quantileVariable],
  rows: [
    { title: 'National nodes: HTTP', panels: nodesHttp },
    { title: 'Customs decisions and movements', panels: decisions },
    { title: 'Guarantees', panels: guarantees },
    { title: 'Outbox, database, processes', panels: resources },
    { title: 'ICE hub', panels: ice },
  ],
};

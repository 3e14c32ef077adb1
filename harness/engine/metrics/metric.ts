// Metric kinds and value kinds as k6 defines them (metrics/metric_type.go).
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
export type ValueType = 'default' | 'time' | 'data';

export type Tags = Record<string, string>;

export interface MetricDefinition {
  name: string;
  type: MetricType;
  contains: ValueType;
}

/** One observation, as k6's outputs see it. `time` is epoch milliseconds. */
export interface Sample {
  metric: string;
  time: number;
  value: number;
  tags: Tags;
}

/** Where the runtime and the k6 modules put their observations. */
export interface SampleSink {
  add(metric: MetricDefinition, value: number, tags: Tags, time?: number): void;
}

const def = (name: string, type: MetricType, contains: ValueType = 'default'): MetricDefinition => ({
  name,
  type,
  contains,
});

/** k6's built-in metrics (metrics/builtin.go), plus the engine's own schedule-lag trend. */
export const builtin = {
  vus: def('vus', 'gauge'),
  vus_max: def('vus_max', 'gauge'),
  iterations: def('iterations', 'counter'),
  dropped_iterations: def('dropped_iterations', 'counter'),
  iteration_duration: def('iteration_duration', 'trend', 'time'),
  group_duration: def('group_duration', 'trend', 'time'),
  checks: def('checks', 'rate'),
  data_sent: def('data_sent', 'counter', 'data'),
  data_received: def('data_received', 'counter', 'data'),
  http_reqs: def('http_reqs', 'counter'),
  http_req_failed: def('http_req_failed', 'rate'),
  http_req_duration: def('http_req_duration', 'trend', 'time'),
  http_req_blocked: def('http_req_blocked', 'trend', 'time'),
  http_req_connecting: def('http_req_connecting', 'trend', 'time'),
  http_req_tls_handshaking: def('http_req_tls_handshaking', 'trend', 'time'),
  http_req_sending: def('http_req_sending', 'trend', 'time'),
  http_req_waiting: def('http_req_waiting', 'trend', 'time'),
  http_req_receiving: def('http_req_receiving', 'trend', 'time'),
  ws_sessions: def('ws_sessions', 'counter'),
  ws_msgs_sent: def('ws_msgs_sent', 'counter'),
  ws_msgs_received: def('ws_msgs_received', 'counter'),
  ws_ping: def('ws_ping', 'trend', 'time'),
  ws_session_duration: def('ws_session_duration', 'trend', 'time'),
  ws_connecting: def('ws_connecting', 'trend', 'time'),
  /** Not in k6: how late each arrival-rate iteration started behind its schedule (coordinated omission made visible). */
  iteration_schedule_lag: def('iteration_schedule_lag', 'trend', 'time'),
} as const;

// The supervisor's own /metrics on loopback: restarts and status of every
// part it keeps running, for Prometheus (`up --observability` scrapes it) and
// for anyone reading the deployment file's `supervisor.metricsUrl`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { PartState } from './restarting-part.ts';

export interface SupervisorMetrics {
  url: string;
  record(part: { part: string; country: string }, state: PartState): void;
  close(): Promise<void>;
}

const STATUSES = ['running', 'restarting', 'failed', 'stopped'] as const;

export async function serveSupervisorMetrics(): Promise<SupervisorMetrics> {
  const registry = new Registry();
  const labelNames = ['part', 'country'] as const;
  const restarts = new Counter({
    name: 'cats_deploy_part_restarts_total',
    help: 'Times the supervisor started a part again after its process died',
    labelNames,
    registers: [registry],
  });
  const status = new Gauge({
    name: 'cats_deploy_part_status',
    help: 'Status of a part (1 for its current status: running, restarting, failed or stopped)',
    labelNames: [...labelNames, 'status'],
    registers: [registry],
  });
  const counted = new Map<string, number>();
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    record(labels, state) {
      const key = `${labels.part}/${labels.country}`;
      restarts.inc(labels, state.restarts - (counted.get(key) ?? 0));
      counted.set(key, state.restarts);
      for (const s of STATUSES) status.set({ ...labels, status: s }, s === state.status ? 1 : 0);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

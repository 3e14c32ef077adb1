// The ICE process: one loopback HTTP server carrying the node WebSocket
// endpoint (/v1/ice) and /metrics, /healthz, /readyz.
import http from 'node:http';
import { businessClock, REAL_TIME, type ClockAnchor } from '../domain/business-clock.ts';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { auditorMatches, NodeCredentials, type NodeTokens } from './credentials.ts';
import { auditMessages } from './audit.ts';
import { Hub, type HubOptions } from './hub.ts';
import { iceMetrics } from './metrics.ts';
import { IceStore } from './store.ts';
import { ICE_AUDIT_PATH } from '../spec/ice/audit.ts';

export const ICE_PATH = '/v1/ice';
export { ICE_AUDIT_PATH };

export interface IceServerOptions extends Partial<HubOptions> {
  databaseUrl: string;
  nodeTokens: NodeTokens;
  /** Bearer token of the deployment's auditor, who may read GET /v1/audit/messages; none: the route answers 404. */
  auditorToken?: string;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Largest frame accepted (default 1 MiB); a larger one closes its connection with 1009. */
  maxFrameBytes?: number;
  /** Most open connections per country (default 4: a receiver and standbys); more get HTTP 429. */
  maxConnectionsPerCountry?: number;
  /** The deployment's business time, published on /v1/clock; ICE's own timers are protocol timers, in real time. */
  clock?: ClockAnchor;
}

/** WebSocket close code for a frame over the size limit (RFC 6455 "message too big"). */
export const CLOSE_TOO_BIG = 1009;

export interface IceServer {
  /** WebSocket URL nodes connect to. */
  url: string;
  /** Base HTTP URL (metrics, health). */
  httpUrl: string;
  port: number;
  close(): Promise<void>;
}

const upgradeCodes: Record<number, string> = { 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND', 429: 'TOO_MANY_CONNECTIONS' };

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = JSON.stringify({ code: upgradeCodes[status], message: reason, errors: [] });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function startIce(opts: IceServerOptions): Promise<IceServer> {
  const log = opts.log ?? (() => undefined);
  const store = new IceStore(opts.databaseUrl);
  await store.migrate();
  const credentials = new NodeCredentials(opts.nodeTokens);
  const metrics = iceMetrics(store, credentials.countries);
  await metrics.restoreTotals();
  const hub = new Hub(store, metrics, credentials, {
    window: opts.window ?? 256,
    ackTimeoutMs: opts.ackTimeoutMs ?? 10_000,
    pageSize: opts.pageSize ?? 500,
    maxBatch: opts.maxBatch ?? 500,
    maxUnstoredPerConnection: opts.maxUnstoredPerConnection ?? 2000,
    heartbeatMs: opts.heartbeatMs ?? 15_000,
    log,
  });
  const maxFrameBytes = opts.maxFrameBytes ?? 1024 * 1024;
  const host = opts.host ?? '127.0.0.1';
  const maxConnections = opts.maxConnectionsPerCountry ?? 4;
  // ws closes a connection whose frame exceeds maxPayload (1009) before buffering it whole.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  /** Per country, upgrades accepted and not yet attached to the hub. */
  const upgrading = new Map<string, number>();
  const quietRefusals = new Map<string, { until: number; refused: number }>();
  let closing = false;

  const server = http.createServer((req, res) => {
    const reply = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return reply(200, '{"status":"ok"}');
    if (path === '/v1/clock') {
      const anchor = opts.clock ?? REAL_TIME;
      return reply(
        200,
        JSON.stringify({
          now: businessClock(anchor, Date.now).now().toISOString(),
          factor: anchor.factor,
          epoch: new Date(anchor.epochMs).toISOString(),
          controllable: anchor.factor !== 1,
        }),
      );
    }
    if (path === '/readyz') {
      if (closing) return reply(503, '{"status":"stopping"}');
      store.ping().then(
        () => reply(200, '{"status":"ready"}'),
        (err: Error) => reply(503, JSON.stringify({ status: 'store unavailable', error: err.message })),
      );
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => reply(200, text, metrics.registry.contentType),
        (err: Error) => reply(500, JSON.stringify({ code: 'METRICS', message: err.message, errors: [] })),
      );
      return;
    }
    if (path === ICE_AUDIT_PATH && opts.auditorToken) {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !auditorMatches(token, opts.auditorToken))
        return reply(
          401,
          JSON.stringify({
            code: 'UNAUTHENTICATED',
            message: "the deployment's auditor token is required",
            errors: [],
          }),
        );
      auditMessages(store, req.url ?? '').then(
        (r) => reply(r.status, JSON.stringify(r.body)),
        (err: Error) => {
          log({ event: 'audit-failed', error: err.message, stack: err.stack });
          reply(500, JSON.stringify({ code: 'INTERNAL_ERROR', message: 'the audit could not be read', errors: [] }));
        },
      );
      return;
    }
    reply(404, JSON.stringify({ code: 'NOT_FOUND', message: `no route ${path}`, errors: [] }));
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    if ((req.url ?? '').split('?')[0] !== ICE_PATH) return refuseUpgrade(socket, 404, `connect to ${ICE_PATH}`);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const country = token ? credentials.countryOf(token) : undefined;
    if (!country) {
      log({
        event: 'refused-connection',
        reason: token ? 'unknown token' : 'no token',
        from: req.socket.remoteAddress,
      });
      return refuseUpgrade(socket, 401, 'a node credential (Authorization: Bearer …) is required');
    }
    const opening = upgrading.get(country) ?? 0;
    if (hub.connectionCount(country) + opening >= maxConnections) {
      metrics.connectionsRefused.inc({ country });
      // A flood of attempts must not become a flood of log lines: one per country per second, with a count.
      const quiet = quietRefusals.get(country) ?? { until: 0, refused: 0 };
      quiet.refused++;
      if (Date.now() >= quiet.until) {
        log({
          event: 'refused-connection',
          reason: 'connection limit',
          country,
          limit: maxConnections,
          refused: quiet.refused,
        });
        quiet.until = Date.now() + 1000;
        quiet.refused = 0;
      }
      quietRefusals.set(country, quiet);
      return refuseUpgrade(socket, 429, `${country} already has ${maxConnections} connections, the most allowed`);
    }
    upgrading.set(country, opening + 1);
    let pending = true;
    const upgraded = () => {
      if (pending) upgrading.set(country, (upgrading.get(country) ?? 1) - 1);
      pending = false;
    };
    socket.once('close', upgraded); // a handshake that fails never reaches the callback
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded();
      ws.on('error', (err: Error & { code?: string }) => {
        if (err.code !== 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return;
        metrics.refused.inc({ code: 'BODY_TOO_LARGE' });
        // Refused from the frame header: the payload is never buffered.
        log({ event: 'frame-too-large', country, limit: maxFrameBytes, closeCode: CLOSE_TOO_BIG });
      });
      hub.attach(ws, country);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://${host}:${port}${ICE_PATH}`,
    httpUrl: `http://${host}:${port}`,
    port,
    async close() {
      closing = true;
      hub.stop();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

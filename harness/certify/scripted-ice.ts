// The ICE that certification binds at the address the node under test connects
// to: it speaks the frames of reference/ice/README.md, but every delivery,
// acknowledgement and connection cut is scripted by the checks, and every
// message the node sends is kept in arrival order for them to judge.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { AckFrame, WelcomeFrame } from '../../reference/spec/ice/frames.ts';

/** A message the node sent, as ICE received it. */
export interface Received {
  /** Position in arrival order, from 0. */
  seq: number;
  /** The connection it came on, from 1. */
  connection: number;
  at: number;
  /** Confirmed to the node as stored: what ICE would have kept. */
  stored: boolean;
  // The node's message, judged by the checks rather than trusted.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  message: any;
}

export interface ScriptedIceOptions {
  /** ws://127.0.0.1:PORT/PATH the node connects to. */
  url: string;
  /** The node's ICE credential. */
  token: string;
  /** The node's country, announced in the welcome. */
  country: string;
  ackTimeoutMs?: number;
  heartbeatMs?: number;
}

type Waiter = { match: (r: Received) => boolean; resolve: (r: Received) => void };

export class ScriptedIce {
  readonly received: Received[] = [];
  /** Upgrades refused for a missing or wrong credential. */
  refusedUpgrades = 0;
  connections = 0;
  /** While true, connection attempts are refused (ICE unreachable). */
  down = false;
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (ack: AckFrame) => void>();
  private waiters: Waiter[] = [];
  private connectWaiters: (() => void)[] = [];
  private readonly storedIds = new Set<string>();
  /** Messages held back, with the connection they came on. */
  private held: { r: Received; ws: WebSocket }[] = [];
  /** While set, messages are kept but not confirmed as stored (the node must keep them). */
  private withhold: ((r: Received) => boolean) | undefined;
  /** Called on every message as it arrives (before it is confirmed). */
  onMessage: ((r: Received) => void) | undefined;

  private constructor(
    private readonly opts: ScriptedIceOptions,
    private readonly path: string,
  ) {
    this.server = http.createServer((_req, res) => {
      res.writeHead(404).end();
    });
    this.server.on('upgrade', (req, socket: Duplex, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== this.path) return refuse(socket, 404);
      if (this.down) return refuse(socket, 503);
      if (req.headers.authorization !== `Bearer ${this.opts.token}`) {
        this.refusedUpgrades++;
        return refuse(socket, 401);
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  static async start(opts: ScriptedIceOptions): Promise<ScriptedIce> {
    const url = new URL(opts.url);
    if (url.protocol !== 'ws:') throw new Error(`ICE address ${opts.url}: only ws:// on loopback is bound`);
    const ice = new ScriptedIce(opts, url.pathname);
    await new Promise<void>((resolve, reject) => {
      ice.server.once('error', reject);
      ice.server.listen(Number(url.port), url.hostname, () => resolve());
    });
    return ice;
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Resolves once the node is connected (now or later), or rejects after `timeoutMs`. */
  waitConnected(timeoutMs: number): Promise<void> {
    if (this.connected) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => this.connectWaiters.push(resolve)),
      timeoutMs,
      'the node did not connect to ICE',
    );
  }

  private accept(ws: WebSocket): void {
    this.socket?.terminate();
    this.socket = ws;
    const connection = ++this.connections;
    const welcome: WelcomeFrame = {
      type: 'welcome',
      country: this.opts.country,
      window: 256,
      ackTimeoutMs: this.opts.ackTimeoutMs ?? 10_000,
      heartbeatMs: this.opts.heartbeatMs ?? 15_000,
      receiving: true,
    };
    ws.send(JSON.stringify(welcome));
    // As ICE does: a node that hears nothing for three heartbeats reconnects.
    const ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.ping(), welcome.heartbeatMs);
    ws.on('close', () => clearInterval(ping));
    ws.on('message', (data, binary) => {
      if (binary) return;
      let frame: { type?: string; ref?: string; message?: { id?: string } };
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      if (frame.type === 'ack' && frame.ref) {
        const resolve = this.acks.get(frame.ref);
        this.acks.delete(frame.ref);
        resolve?.(frame as AckFrame);
      } else if (frame.type === 'send' && frame.message) {
        this.take(ws, connection, frame.message);
      }
    });
    for (const w of this.connectWaiters.splice(0)) w();
  }

  private take(ws: WebSocket, connection: number, message: { id?: string }): void {
    const r: Received = { seq: this.received.length, connection, at: Date.now(), stored: false, message };
    this.received.push(r);
    this.onMessage?.(r);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(r)) return true;
      w.resolve(r);
      return false;
    });
    if (this.withhold?.(r)) {
      this.held.push({ r, ws });
      return;
    }
    this.confirm(ws, r);
  }

  private confirm(ws: WebSocket, r: Received): void {
    const id = String(r.message.id);
    const duplicate = this.storedIds.has(id);
    this.storedIds.add(id);
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: 'stored', ref: id, duplicate }));
    r.stored = true;
  }

  /** Next message (already received or still to come) that `match` accepts. */
  waitFor(match: (r: Received) => boolean, timeoutMs: number, what: string, after = -1): Promise<Received> {
    const seen = this.received.find((r) => r.seq > after && match(r));
    if (seen) return Promise.resolve(seen);
    let waiter!: Waiter;
    const p = new Promise<Received>((resolve) => {
      waiter = { match: (r) => r.seq > after && match(r), resolve };
      this.waiters.push(waiter);
    });
    return withTimeout(p, timeoutMs, `no ${what} reached ICE within ${timeoutMs} ms`).finally(() => {
      this.waiters = this.waiters.filter((w) => w !== waiter);
    });
  }

  /**
   * Messages matching `withhold` are received but not confirmed as stored. Clearing it
   * confirms those held on a connection still open (ICE storing late); the ones held on a
   * connection since cut are lost to ICE, and the node must send them again.
   */
  holdBack(withhold: ((r: Received) => boolean) | undefined): void {
    this.withhold = withhold;
    if (withhold) return;
    for (const { r, ws } of this.held.splice(0)) this.confirm(ws, r);
  }

  /** Delivers `message` to the node and waits for its acknowledgement. */
  deliver(message: { id: string }, timeoutMs: number, redelivery = false): Promise<AckFrame> {
    const ws = this.socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the node is not connected to ICE'));
    const ack = new Promise<AckFrame>((resolve) => this.acks.set(message.id, resolve));
    ws.send(JSON.stringify({ type: 'deliver', redelivery, message }));
    return withTimeout(ack, timeoutMs, `the node did not acknowledge ${message.id} within ${timeoutMs} ms`).finally(
      () => this.acks.delete(message.id),
    );
  }

  /** Drops the node's connection as a network fault would (no close handshake). */
  cut(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  async close(): Promise<void> {
    this.cut();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function refuse(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

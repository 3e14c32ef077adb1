// A userspace TCP fault proxy in the manner of toxiproxy: one loopback
// listener forwarding every connection to one upstream, with toxics added and
// removed while connections run, per direction, each applied to a connection
// with its toxicity. Disabled ("down"), it refuses new connections and cuts
// the open ones; enabled again, it listens on the same port.
import net from 'node:net';
import { FaultError } from './fault-error.ts';
import { bandwidth } from './toxics/bandwidth.ts';
import { latency } from './toxics/latency.ts';
import { limitData } from './toxics/limit-data.ts';
import { resetPeer } from './toxics/reset-peer.ts';
import { slowClose } from './toxics/slow-close.ts';
import { timeout } from './toxics/timeout.ts';
import {
  toxicProblems,
  type ConnectionControl,
  type ToxicSpec,
  type Passed,
  type Stream,
  type ToxicStage,
} from './toxic.ts';

export interface ProxyOptions {
  /** Names the link in errors and logs, e.g. `GE-ice`. */
  name: string;
  upstream: { host: string; port: number };
  /** Loopback port to listen on (default: a free one). */
  listenPort?: number;
}

interface ActiveToxic {
  name: string;
  stream: Stream;
  toxicity: number;
  spec: ToxicSpec;
}

function stageOf(spec: ToxicSpec, conn: ConnectionControl): ToxicStage {
  switch (spec.type) {
    case 'latency':
      return latency(spec.attributes);
    case 'bandwidth':
      return bandwidth(spec.attributes);
    case 'timeout':
      return timeout(spec.attributes, conn);
    case 'reset_peer':
      return resetPeer(spec.attributes, conn);
    case 'slow_close':
      return slowClose(spec.attributes);
    case 'limit_data':
      return limitData(spec.attributes);
  }
}

const HIGH_WATER = 1 << 20;

/** One direction of a connection: reads eagerly (to stamp arrival times), passes through the toxics in order. */
class Link {
  private readonly queue: { chunk: Buffer; at: number }[] = [];
  private queued = 0;
  private ended = false;
  private wake: () => void = () => undefined;

  constructor(
    private readonly source: net.Socket,
    private readonly dest: net.Socket,
    private readonly stages: () => ToxicStage[],
    private readonly conn: Connection,
  ) {
    source.on('data', (chunk: Buffer) => {
      this.queue.push({ chunk, at: Date.now() });
      this.queued += chunk.length;
      if (this.queued > HIGH_WATER) source.pause();
      this.wake();
    });
    source.on('end', () => {
      this.ended = true;
      this.wake();
    });
  }

  private async next(): Promise<{ chunk: Buffer; at: number } | undefined> {
    while (this.queue.length === 0 && !this.ended && !this.conn.closed) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const item = this.queue.shift();
    if (item) {
      this.queued -= item.chunk.length;
      if (this.queued <= HIGH_WATER) this.source.resume();
    }
    return item;
  }

  async run(): Promise<void> {
    for (;;) {
      const item = await this.next();
      if (this.conn.closed) return;
      if (!item) break;
      let data: Buffer | null = item.chunk;
      let thenClose = false;
      for (const stage of this.stages()) {
        if (!stage.pass || data === null) continue;
        const out: Passed = await stage.pass(data, item.at);
        if (this.conn.closed) return;
        if (out !== null && !Buffer.isBuffer(out)) {
          data = out.data;
          thenClose = true;
        } else data = out;
      }
      if (data && data.length > 0 && !this.dest.write(data)) {
        await new Promise<void>((resolve) => {
          this.dest.once('drain', resolve);
          this.dest.once('close', resolve);
        });
      }
      if (thenClose) {
        this.conn.close();
        return;
      }
    }
    for (const stage of this.stages()) await stage.ending?.();
    if (!this.conn.closed) this.dest.end();
  }

  stop(): void {
    this.wake();
  }
}

/** One client connection and its connection upstream. */
class Connection implements ConnectionControl {
  closed = false;
  private readonly stages = new Map<string, ToxicStage | null>();
  private readonly links: Link[];

  constructor(
    readonly client: net.Socket,
    readonly server: net.Socket,
    private readonly proxy: FaultProxy,
    private readonly forget: () => void,
  ) {
    for (const s of [client, server]) {
      s.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? this.reset() : this.close()));
      s.on('close', () => {
        if (client.destroyed && server.destroyed) this.finish();
      });
    }
    for (const t of proxy.toxicList()) this.meet(t);
    this.links = [
      new Link(client, server, () => this.stagesFor('upstream'), this),
      new Link(server, client, () => this.stagesFor('downstream'), this),
    ];
    for (const l of this.links) void l.run();
  }

  private stagesFor(stream: Stream): ToxicStage[] {
    return this.proxy
      .toxicList()
      .filter((t) => t.stream === stream)
      .map((t) => this.stages.get(t.name))
      .filter((s): s is ToxicStage => !!s);
  }

  meet(t: ActiveToxic): void {
    if (this.closed) return;
    this.stages.set(t.name, Math.random() < t.toxicity ? stageOf(t.spec, this) : null);
  }

  part(name: string): void {
    this.stages.get(name)?.removed?.();
    this.stages.delete(name);
  }

  private finish(): void {
    if (!this.closed) this.closed = true;
    for (const s of this.stages.values()) s?.removed?.();
    this.stages.clear();
    for (const l of this.links ?? []) l.stop();
    this.forget();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.end();
    this.server.end();
    // A peer that does not answer the FIN still loses the connection.
    setTimeout(() => {
      this.client.destroy();
      this.server.destroy();
    }, 1000).unref();
    this.finish();
  }

  reset(): void {
    if (this.closed && this.client.destroyed && this.server.destroyed) return;
    this.closed = true;
    for (const s of [this.client, this.server]) {
      if (!s.destroyed) {
        if (s.readyState === 'open' || s.readyState === 'readOnly' || s.readyState === 'writeOnly') s.resetAndDestroy();
        else s.destroy();
      }
    }
    this.finish();
  }
}

export class FaultProxy {
  private server: net.Server | undefined;
  private readonly connections = new Set<Connection>();
  private readonly toxics: ActiveToxic[] = [];
  private boundPort: number | undefined;

  constructor(readonly opts: ProxyOptions) {}

  /** The loopback port clients connect to (fixed once started). */
  get port(): number {
    if (this.boundPort === undefined) throw new Error(`proxy ${this.opts.name} is not started`);
    return this.boundPort;
  }

  get enabled(): boolean {
    return this.server !== undefined;
  }

  toxicList(): readonly ActiveToxic[] {
    return this.toxics;
  }

  /** Starts listening (again, on the same port, after `disable`). */
  async enable(): Promise<void> {
    if (this.server) return;
    const server = net.createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort ?? this.opts.listenPort ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** "down": stops listening (new connections are refused) and cuts every open connection. */
  async disable(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of [...this.connections]) c.reset();
    await closed;
  }

  private accept(client: net.Socket): void {
    const server = net.connect({ ...this.opts.upstream, allowHalfOpen: true });
    const conn: Connection = new Connection(client, server, this, () => this.connections.delete(conn));
    this.connections.add(conn);
  }

  /** Adds a toxic (validated; a bad one changes nothing); it applies to open connections at once. Returns its name. */
  addToxic(input: unknown): string {
    const errors = toxicProblems(input);
    if (errors.length > 0) throw new FaultError('invalid_toxic', `proxy ${this.opts.name}: not a toxic`, errors);
    const spec = input as ToxicSpec;
    const stream = spec.stream ?? 'downstream';
    const name = spec.name ?? `${spec.type}_${stream}`;
    if (this.toxics.some((t) => t.name === name)) {
      throw new FaultError('duplicate_toxic', `proxy ${this.opts.name}: a toxic named ${name} is already present`, [
        { code: 'duplicate', pointer: '/name', message: `${name} is already present` },
      ]);
    }
    const toxic: ActiveToxic = { name, stream, toxicity: spec.toxicity ?? 1, spec };
    this.toxics.push(toxic);
    for (const c of this.connections) c.meet(toxic);
    return name;
  }

  /** Removes a toxic: what it held passes on, its timers stop. */
  removeToxic(name: string): void {
    const i = this.toxics.findIndex((t) => t.name === name);
    if (i < 0) throw new FaultError('unknown_toxic', `proxy ${this.opts.name}: no toxic named ${name}`);
    this.toxics.splice(i, 1);
    for (const c of this.connections) c.part(name);
  }

  /** Stops listening and cuts every connection. */
  async close(): Promise<void> {
    await this.disable();
  }
}

/** Starts a proxy listening on loopback, forwarding to `upstream`. */
export async function startProxy(opts: ProxyOptions): Promise<FaultProxy> {
  const proxy = new FaultProxy(opts);
  await proxy.enable();
  return proxy;
}

// Connections: keep-alive pools of HTTP/1.1 connections per origin (h1-connection.ts), opened by a dialer that
// applies k6's `hosts`, `dns`, TLS options and `localIPs` and times the DNS lookup, TCP connect and TLS
// handshake of each. One Agent per worker thread, shared by its VUs (with `localIPs`, one per local address);
// with `noVUConnectionReuse`, one per VU iteration. As Go's transport for k6: no limit on connections per
// origin, no idle timeout, the most recently freed connection reused first.
import { connect, isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';
import type { LocalAddressPool } from '../../options/local-ips.ts';
import { certificateFor, type ClientCertificate } from '../../options/tls-options.ts';
import type { VuState } from '../../runtime/vu-context.ts';
import { refuseAddress, refuseHostname } from './dial-policy.ts';
import {
  BORROWED_READS,
  H1Connection,
  type ConnectionOwner,
  type ConnectionTiming,
  type ExchangeHandler,
  type OutgoingRequest,
  type Peer,
} from './h1-connection.ts';
import { config } from './options.ts';
import { createResolver } from './resolver.ts';

function peer(sock: Socket): Peer {
  const tls = typeof (sock as TLSSocket).getProtocol === 'function' ? (sock as TLSSocket) : undefined;
  const protocol = tls?.getProtocol();
  return {
    ip: sock.remoteAddress ?? '',
    port: sock.remotePort ?? 0,
    // k6's names: tls1.0 … tls1.3.
    tlsVersion: !protocol ? '' : protocol === 'TLSv1' ? 'tls1.0' : protocol.replace('TLSv', 'tls'),
    tlsCipherSuite: tls?.getCipher()?.standardName ?? '',
  };
}

// One connector per client certificate (and one without): TLS settings are fixed per connector.
const connectors = new Map<ClientCertificate | undefined, buildConnector.connector>();
let resolver: ReturnType<typeof createResolver> | undefined;

/** k6's resolver (`dns` option), made on the first connection. */
const lookup = () => (resolver ??= createResolver(config.dns)).lookup;

function connectorFor(host: string): buildConnector.connector {
  const certificate = certificateFor(config.tls.auth, host);
  let connector = connectors.get(certificate);
  if (!connector) {
    const { minVersion, maxVersion, ciphers } = config.tls;
    connector = buildConnector({
      timeout: 10_000,
      rejectUnauthorized: !config.insecureSkipTLSVerify,
      lookup: lookup(),
      // The resolver already chose one address, as k6's does.
      autoSelectFamily: false,
      ...(minVersion ? { minVersion } : {}),
      ...(maxVersion ? { maxVersion } : {}),
      ...(ciphers ? { ciphers } : {}),
      ...(certificate ? { cert: certificate.cert, key: certificate.key, passphrase: certificate.passphrase } : {}),
    } as buildConnector.BuildOptions);
    connectors.set(certificate, connector);
  }
  return connector;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Opens a plain TCP connection whose reads land in the connections' shared buffer (h1-connection.ts). */
function plainConnect(options: buildConnector.Options, callback: buildConnector.Callback): Socket {
  const socket = connect({
    host: options.hostname.startsWith('[') ? options.hostname.slice(1, -1) : options.hostname,
    port: Number(options.port || 80),
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    lookup: lookup(),
    autoSelectFamily: false,
    onread: BORROWED_READS,
  });
  socket.setNoDelay(true).setKeepAlive(true, 60_000);
  socket.setTimeout(CONNECT_TIMEOUT_MS, () =>
    socket.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })),
  );
  const failed = (err: Error) => callback(err, null);
  socket.once('error', failed).once('connect', () => {
    socket.setTimeout(0);
    socket.off('error', failed);
    callback(null, socket);
  });
  return socket;
}

/** Where k6's `hosts` option sends `hostname`:`port` (an entry for the name and port wins over one for the name). */
function resolveHost(hostname: string, port: string): { hostname: string; port: string } | undefined {
  const hosts = config.hosts;
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const to = hosts[`${bare}:${port}`] ?? hosts[bare];
  if (to === undefined) return undefined;
  const m = /^\[(.+)\](?::(\d+))?$/.exec(to) ?? (isIP(to) === 6 ? null : /^([^:]+)(?::(\d+))?$/.exec(to));
  return m ? { hostname: m[1], port: m[2] ?? port } : { hostname: to, port };
}

type Dialed = (err: Error | null, socket?: Socket, timing?: ConnectionTiming) => void;

/** Opens a connection for `options` (undici's connector options), as k6's dialer would. */
function dial(options: buildConnector.Options, callback: Dialed): void {
  const port = options.port || (options.protocol === 'https:' ? '443' : '80');
  const bare = (h: string) => (h.startsWith('[') ? h.slice(1, -1) : h);
  // As k6's dialer: blocked names first, then `hosts`, then blacklisted addresses (after the lookup, for a name).
  const refused = refuseHostname(bare(options.hostname));
  if (refused) {
    queueMicrotask(() => callback(refused));
    return;
  }
  const mapped = resolveHost(options.hostname, port);
  if (mapped)
    options = {
      ...options,
      hostname: mapped.hostname,
      port: mapped.port,
      // TLS still names (and verifies) the host the URL gave.
      servername: options.servername || (isIP(options.hostname) ? undefined : options.hostname),
    };
  const literal = refuseAddress(bare(options.hostname));
  if (literal) {
    queueMicrotask(() => callback(literal));
    return;
  }
  const start = performance.now();
  let lookedUp = start;
  let tcpDone = 0;
  const connect =
    options.protocol === 'http:' ? plainConnect : connectorFor(options.servername || bare(options.hostname));
  const socket = connect(options, (err, sock) => {
    if (err || !sock) return callback(err as Error);
    const done = performance.now();
    if (tcpDone === 0) tcpDone = done;
    callback(null, sock as Socket, {
      lookingUp: lookedUp - start,
      connecting: tcpDone - lookedUp,
      tlsHandshaking: done - tcpDone,
      peer: peer(sock as Socket),
    });
  }) as unknown as Socket;
  socket.once('lookup', (err: Error | null, address: string) => {
    lookedUp = performance.now();
    const blacklisted = !err && refuseAddress(address);
    if (blacklisted) socket.destroy(blacklisted);
  });
  if (options.protocol === 'https:') {
    socket.once('connect', () => {
      tcpDone = performance.now();
    });
  }
}

/** The connections to one origin. */
class OriginPool implements ConnectionOwner {
  private readonly idle: H1Connection[] = [];
  private readonly options: buildConnector.Options;

  constructor(
    private readonly agent: Agent,
    origin: string,
  ) {
    const u = new URL(origin);
    this.options = {
      protocol: u.protocol,
      hostname: u.hostname,
      host: u.host,
      port: u.port,
      servername: undefined,
      localAddress: agent.localAddress ?? null,
    } as buildConnector.Options;
  }

  dispatch(request: OutgoingRequest, handler: ExchangeHandler): void {
    let c: H1Connection | undefined;
    while ((c = this.idle.pop())) if (!c.closed) return c.send(request, handler);
    dial(this.options, (err, socket, timing) => {
      if (err) return handler.onError(err);
      const connection = new H1Connection(socket!, timing!, this);
      this.agent.open.add(connection);
      connection.send(request, handler);
    });
  }

  release(connection: H1Connection): void {
    if (this.agent.closing) connection.destroy();
    else this.idle.push(connection);
  }

  closed(connection: H1Connection): void {
    this.agent.open.delete(connection);
    const i = this.idle.lastIndexOf(connection);
    if (i >= 0) this.idle.splice(i, 1);
  }
}

/** The pools of one worker (or of one local address, or of one VU iteration). */
class Agent {
  private readonly pools = new Map<string, OriginPool>();
  readonly open = new Set<H1Connection>();
  closing = false;

  constructor(readonly localAddress?: string) {}

  dispatch(origin: string, request: OutgoingRequest, handler: ExchangeHandler): void {
    let pool = this.pools.get(origin);
    if (!pool) this.pools.set(origin, (pool = new OriginPool(this, origin)));
    pool.dispatch(request, handler);
  }

  /** Closes the idle connections now and the busy ones when their responses end. */
  close(): void {
    this.closing = true;
    for (const c of [...this.open]) if (!c.busy) c.destroy();
  }

  destroy(): void {
    this.closing = true;
    for (const c of [...this.open]) c.destroy();
  }
}

let agent: Agent | undefined;
// With `localIPs`: by local address.
const agents = new Map<string, Agent>();
// noVUConnectionReuse: the Agent of each VU's current iteration.
const iterationAgents = new Map<VuState, { iteration: number; agent: Agent }>();

const localAddresses = new WeakMap<VuState, string>();

/** As k6: VU n connects from the pool's address n − 1 (worked out once per VU). */
function localAddress(vu: VuState, pool: LocalAddressPool): string {
  let address = localAddresses.get(vu);
  if (address === undefined) localAddresses.set(vu, (address = pool.at(Math.max(0, vu.idInInstance - 1))));
  return address;
}

/** The Agent a request of `vu` goes through. */
export function dispatcher(vu: VuState): Agent {
  const pool = config.localAddresses;
  if (!pool && !config.noVUConnectionReuse) return (agent ??= new Agent());
  const local = pool && localAddress(vu, pool);
  if (config.noVUConnectionReuse) {
    const mine = iterationAgents.get(vu);
    if (mine?.iteration === vu.iteration) return mine.agent;
    // A new iteration: the connections of the last one are closed, as k6 closes them between iterations.
    if (mine) mine.agent.close();
    const fresh = { iteration: vu.iteration, agent: new Agent(local) };
    iterationAgents.set(vu, fresh);
    return fresh.agent;
  }
  let bound = agents.get(local!);
  if (!bound) agents.set(local!, (bound = new Agent(local)));
  return bound;
}

/** Closes every pooled connection (at worker shutdown, so the process can exit). */
export function closeHttp(): Promise<void> {
  const all = [...(agent ? [agent] : []), ...agents.values(), ...[...iterationAgents.values()].map((a) => a.agent)];
  agent = undefined;
  agents.clear();
  iterationAgents.clear();
  connectors.clear();
  resolver = undefined;
  for (const a of all) a.destroy();
  return Promise.resolve();
}

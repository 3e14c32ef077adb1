// Connections: undici Agents (keep-alive pools per origin), with a connector that applies k6's `hosts`,
// `dns`, TLS options and `localIPs`, and times DNS lookup, TCP connect and TLS handshake of each new
// connection. One Agent per worker thread, shared by its VUs (with `localIPs`, one per local address);
// with `noVUConnectionReuse`, one per VU iteration.
import { isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import type { LocalAddressPool } from '../../options/local-ips.ts';
import { certificateFor, type ClientCertificate } from '../../options/tls-options.ts';
import type { VuState } from '../../runtime/vu-context.ts';
import { refuseAddress, refuseHostname } from './dial-policy.ts';
import { config } from './options.ts';
import { createResolver } from './resolver.ts';

/** The far end of a connection, as k6's response reports it (remote_ip, remote_port, tls_version, tls_cipher_suite). */
export interface Peer {
  ip: string;
  port: number;
  tlsVersion: string;
  tlsCipherSuite: string;
}

export interface ConnectionTiming {
  lookingUp: number;
  connecting: number;
  tlsHandshaking: number;
  peer: Peer;
}

// undici does not tell a request which pooled connection carried it: a request on a kept-alive connection
// reports the last connection made to its origin (the same peer, unless a name resolves to several addresses).
const peers = new Map<string, Peer>();

/** The peer of the last connection made to `origin`. */
export function peerOf(origin: string): Peer | undefined {
  return peers.get(origin);
}

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

// Set while undici hands a brand-new socket to its client: the client writes the waiting request in the
// same synchronous call, so that request's onConnect reads the timing of the connection it caused.
export let freshConnection: ConnectionTiming | undefined;

// One connector per client certificate (and one without): TLS settings are fixed per connector.
const connectors = new Map<ClientCertificate | undefined, buildConnector.connector>();
let resolver: ReturnType<typeof createResolver> | undefined;

function connectorFor(host: string): buildConnector.connector {
  const certificate = certificateFor(config.tls.auth, host);
  let connector = connectors.get(certificate);
  if (!connector) {
    resolver ??= createResolver(config.dns);
    const { minVersion, maxVersion, ciphers } = config.tls;
    connector = buildConnector({
      timeout: 10_000,
      rejectUnauthorized: !config.insecureSkipTLSVerify,
      lookup: resolver.lookup,
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

/** Where k6's `hosts` option sends `hostname`:`port` (an entry for the name and port wins over one for the name). */
function resolveHost(hostname: string, port: string): { hostname: string; port: string } | undefined {
  const hosts = config.hosts;
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const to = hosts[`${bare}:${port}`] ?? hosts[bare];
  if (to === undefined) return undefined;
  const m = /^\[(.+)\](?::(\d+))?$/.exec(to) ?? (isIP(to) === 6 ? null : /^([^:]+)(?::(\d+))?$/.exec(to));
  return m ? { hostname: m[1], port: m[2] ?? port } : { hostname: to, port };
}

function timedConnector(options: buildConnector.Options, callback: buildConnector.Callback): Socket {
  const origin = `${options.protocol}//${options.host}`;
  const port = options.port || (options.protocol === 'https:' ? '443' : '80');
  const bare = (h: string) => (h.startsWith('[') ? h.slice(1, -1) : h);
  // As k6's dialer: blocked names first, then `hosts`, then blacklisted addresses (after the lookup, for a name).
  const refused = refuseHostname(bare(options.hostname));
  if (refused) {
    queueMicrotask(() => callback(refused, null));
    return undefined as unknown as Socket;
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
    queueMicrotask(() => callback(literal, null));
    return undefined as unknown as Socket;
  }
  const start = performance.now();
  let lookedUp = start;
  let tcpDone = 0;
  const connect = connectorFor(options.servername || bare(options.hostname));
  const socket = connect(options, (err, sock) => {
    if (err || !sock) return callback(err as Error, null);
    const done = performance.now();
    if (tcpDone === 0) tcpDone = done;
    freshConnection = {
      lookingUp: lookedUp - start,
      connecting: tcpDone - lookedUp,
      tlsHandshaking: done - tcpDone,
      peer: peer(sock as Socket),
    };
    peers.set(origin, freshConnection.peer);
    try {
      callback(null, sock);
    } finally {
      freshConnection = undefined;
    }
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
  return socket;
}

function newAgent(localAddress?: string): Agent {
  return new Agent({
    connect: localAddress
      ? (options, callback) => timedConnector({ ...options, localAddress }, callback)
      : timedConnector,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    // The request timeout (params.timeout) covers the whole exchange; undici's own are off.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
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
  if (!pool && !config.noVUConnectionReuse) return (agent ??= newAgent());
  const local = pool && localAddress(vu, pool);
  if (config.noVUConnectionReuse) {
    const mine = iterationAgents.get(vu);
    if (mine?.iteration === vu.iteration) return mine.agent;
    // A new iteration: the connections of the last one are closed, as k6 closes them between iterations.
    if (mine) void mine.agent.close();
    const fresh = { iteration: vu.iteration, agent: newAgent(local) };
    iterationAgents.set(vu, fresh);
    return fresh.agent;
  }
  let bound = agents.get(local!);
  if (!bound) agents.set(local!, (bound = newAgent(local)));
  return bound;
}

/** Closes every pooled connection (at worker shutdown, so the process can exit). */
export async function closeHttp(): Promise<void> {
  const all = [...(agent ? [agent] : []), ...agents.values(), ...[...iterationAgents.values()].map((a) => a.agent)];
  agent = undefined;
  agents.clear();
  iterationAgents.clear();
  connectors.clear();
  peers.clear();
  resolver = undefined;
  await Promise.all(all.map((a) => a.destroy()));
}

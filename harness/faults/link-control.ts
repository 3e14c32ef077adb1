// Fault proxies on the links between parts of a deployment (`up --fault-links
// GE-ice,KZ-db`): the supervisor starts one per link before the parts, starts
// each client part pointing at its proxy, and keeps them for the deployment's
// life. A run's injector, in another process, drives them through a small
// loopback HTTP API in the manner of toxiproxy's, behind a bearer token kept in
// the deployment file:
//
//   POST   /links/NAME/disable          the link is down (connections refused and cut)
//   POST   /links/NAME/enable           up again, on the same port
//   POST   /links/NAME/toxics           add a toxic (toxic.ts); 201 {name}, 400 {code, message, errors}
//   DELETE /links/NAME/toxics/TOXIC     remove it
//   GET    /links                       every link: port, upstream, enabled, toxics
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { FaultError } from './fault-error.ts';
import { startProxy, type FaultProxy } from './proxy.ts';

/** A link between parts to place a proxy on, named `CLIENT-SERVER` as in a schedule. */
export interface LinkPlacement {
  name: string;
  upstream: { host: string; port: number };
}

/** What the deployment file records of the proxies, for the injector. */
export interface FaultLinksRecord {
  url: string;
  token: string;
  links: Record<string, { port: number; upstream: string }>;
}

export interface LinkControl {
  record: FaultLinksRecord;
  /** The loopback port a part on the link's client side connects to instead of the upstream. */
  port(name: string): number;
  close(): Promise<void>;
}

/** One link a fault acts on, wherever its proxy runs (in this process or in the supervisor). */
export interface FaultLink {
  disable(): Promise<void>;
  enable(): Promise<void>;
  addToxic(spec: unknown): Promise<string>;
  removeToxic(name: string): Promise<void>;
}

export function localLink(proxy: FaultProxy): FaultLink {
  return {
    disable: () => proxy.disable(),
    enable: () => proxy.enable(),
    addToxic: async (spec) => proxy.addToxic(spec),
    removeToxic: async (name) => proxy.removeToxic(name),
  };
}

/** Starts a proxy per link and the API that drives them. */
export async function serveLinkControl(placements: LinkPlacement[]): Promise<LinkControl> {
  const proxies = new Map<string, FaultProxy>();
  const token = randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  try {
    for (const p of placements) proxies.set(p.name, await startProxy({ name: p.name, upstream: p.upstream }));
  } catch (err) {
    await Promise.all([...proxies.values()].map((p) => p.close()));
    throw err;
  }
  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      return send(res, 401, { code: 'UNAUTHENTICATED', message: 'a bearer token is required', errors: [] });
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, Buffer.concat(chunks).toString('utf8')).then(
        ([status, body]) => send(res, status, body),
        (err: Error) =>
          err instanceof FaultError
            ? send(res, 400, err.toJSON())
            : send(res, 500, { code: 'INTERNAL_ERROR', message: err.message, errors: [] }),
      );
    });
  });
  const handle = async (req: http.IncomingMessage, text: string): Promise<[number, unknown?]> => {
    const url = new URL(req.url ?? '/', 'http://link-control');
    if (req.method === 'GET' && url.pathname === '/links') {
      return [
        200,
        Object.fromEntries(
          [...proxies].map(([name, p]) => [name, { port: p.port, enabled: p.enabled, toxics: p.toxicList() }]),
        ),
      ];
    }
    const m = /^\/links\/([^/]+)\/(disable|enable|toxics)(?:\/([^/]+))?$/.exec(url.pathname);
    const proxy = m && proxies.get(decodeURIComponent(m[1]!));
    if (!m || !proxy) return [404, { code: 'NOT_FOUND', message: `no link at ${url.pathname}`, errors: [] }];
    if (req.method === 'POST' && m[2] === 'disable' && !m[3]) return [204, await proxy.disable()];
    if (req.method === 'POST' && m[2] === 'enable' && !m[3]) return [204, await proxy.enable()];
    if (req.method === 'POST' && m[2] === 'toxics' && !m[3]) {
      let spec: unknown;
      try {
        spec = JSON.parse(text);
      } catch (err) {
        throw new FaultError('invalid_toxic', 'the body is not JSON', [
          { code: 'syntax', pointer: '', message: (err as Error).message },
        ]);
      }
      return [201, { name: proxy.addToxic(spec) }];
    }
    if (req.method === 'DELETE' && m[2] === 'toxics' && m[3]) return [204, proxy.removeToxic(decodeURIComponent(m[3]))];
    return [405, { code: 'METHOD_NOT_ALLOWED', message: `${req.method} ${url.pathname}`, errors: [] }];
  };
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    record: {
      url: `http://127.0.0.1:${address.port}`,
      token,
      links: Object.fromEntries(
        placements.map((p) => [
          p.name,
          { port: proxies.get(p.name)!.port, upstream: `${p.upstream.host}:${p.upstream.port}` },
        ]),
      ),
    },
    port: (name) => {
      const p = proxies.get(name);
      if (!p) throw new Error(`no fault proxy on ${name}`);
      return p.port;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([...proxies.values()].map((p) => p.close()));
    },
  };
}

/** A link whose proxy runs in the deployment's supervisor, driven through its API. */
export function remoteLink(record: Pick<FaultLinksRecord, 'url' | 'token'>, name: string): FaultLink {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${record.url}/links/${encodeURIComponent(name)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${record.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as { code?: string; message?: string; errors?: [] }) : undefined;
    if (res.status >= 400) {
      const e = json ?? {};
      throw new FaultError(e.code ?? `HTTP_${res.status}`, `link ${name}: ${e.message ?? res.statusText}`, e.errors);
    }
    return json;
  };
  return {
    disable: async () => void (await call('POST', '/disable')),
    enable: async () => void (await call('POST', '/enable')),
    addToxic: async (spec) => ((await call('POST', '/toxics', spec)) as { name: string }).name,
    removeToxic: async (toxic) => void (await call('DELETE', `/toxics/${encodeURIComponent(toxic)}`)),
  };
}

// k6's REST API v1 (grafana/k6 v0.49.0 api/v1/routes.go and the *_routes.go beside it) on
// `--address host:port`, with k6's JSON:API documents: what the k6-operator calls on its runners
// (GET/PATCH /v1/status, POST/PUT /v1/setup, POST /v1/teardown) and GET /v1/metrics.
import { Value } from '@sinclair/typebox/value';
import Fastify, { type FastifyReply } from 'fastify';
import type { ControlSurface } from './control-surface.ts';
import { statusDocument, StatusPatch } from './status.ts';

/**
 * k6's error document (api/v1/errors.go: `errors: [{status, title, detail}]`), with the project's
 * `code`/`message`/`pointer` beside k6's fields (clients of k6's API ignore fields they do not know).
 */
function apiError(reply: FastifyReply, status: number, title: string, detail: string, pointer = ''): FastifyReply {
  const code = title.toLowerCase().replace(/[^a-z]+/g, '_');
  return reply
    .code(status)
    .type('application/json')
    .send({
      code,
      message: `${title}: ${detail}`,
      errors: [{ status: String(status), title, detail, code, pointer, message: detail }],
    });
}

function setupDocument(json: string | undefined): string {
  // k6 omits `data` when there is none (NullSetupData) and passes setup()'s JSON through as it is.
  const attributes = json === undefined ? '{}' : `{"data":${json}}`;
  return `{"data":{"type":"setupData","id":"default","attributes":${attributes}}}`;
}

export interface ApiServer {
  /** host:port it listens on. */
  address: string;
  close(): Promise<void>;
}

/** Parses `host:port` as k6's --address does (an empty host is every interface). */
export function parseAddress(address: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(address);
  if (!m || Number(m[2]) > 65535) throw new Error(`--address ${address}: expected host:port, e.g. 127.0.0.1:6565`);
  const host = m[1].replace(/^\[(.*)\]$/, '$1');
  return { host: host || '0.0.0.0', port: Number(m[2]) };
}

export async function startApiServer(address: string, surface: ControlSurface): Promise<ApiServer> {
  const { host, port } = parseAddress(address);
  const app = Fastify({ logger: false });
  // k6 reads bodies itself: an empty PUT /v1/setup clears the data, any JSON value is setup data.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const json = (reply: FastifyReply, doc: unknown): FastifyReply =>
    reply.type('application/json; charset=utf-8').send(JSON.stringify(doc));
  const parseBody = (body: unknown): { ok: true; value: unknown } | { ok: false; message: string } => {
    const text = typeof body === 'string' ? body : '';
    if (!text.trim()) return { ok: true, value: undefined };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  };

  app.get('/v1/status', (_req, reply) => json(reply, statusDocument(surface.status())));
  app.patch('/v1/status', (req, reply) => {
    const body = parseBody(req.body);
    if (!body.ok) return apiError(reply, 400, 'Invalid data', body.message);
    if (!Value.Check(StatusPatch, body.value)) {
      const first = Value.Errors(StatusPatch, body.value).First();
      return apiError(reply, 400, 'Invalid data', first?.message ?? 'not a status document', first?.path ?? '');
    }
    const attributes = body.value.data.attributes;
    if (attributes.stopped) surface.stop();
    else {
      if (typeof attributes.paused === 'boolean') {
        const r = attributes.paused ? surface.pause() : surface.resume();
        if (!r.ok) return apiError(reply, 500, 'Pause error', r.message);
      }
      if (typeof attributes.vus === 'number' || typeof attributes['vus-max'] === 'number')
        return apiError(
          reply,
          500,
          'Execution config error',
          'an externally-controlled executor needs to be configured for live configuration updates',
        );
    }
    return json(reply, statusDocument(surface.status()));
  });

  app.get('/v1/metrics', (_req, reply) =>
    json(reply, {
      data: surface.metrics().map((m) => ({
        type: 'metrics',
        id: m.def.name,
        attributes: { type: m.def.type, contains: m.def.contains, tainted: m.tainted, sample: m.sample },
      })),
    }),
  );
  app.get<{ Params: { id: string } }>('/v1/metrics/:id', (req, reply) => {
    const m = surface.metrics().find((x) => x.def.name === req.params.id);
    if (!m) return apiError(reply, 404, 'Not Found', `metric '${req.params.id}' not found`);
    return json(reply, {
      data: {
        type: 'metrics',
        id: m.def.name,
        attributes: { type: m.def.type, contains: m.def.contains, tainted: m.tainted, sample: m.sample },
      },
    });
  });

  app.get('/v1/setup', (_req, reply) => reply.type('application/json').send(setupDocument(surface.setupData())));
  app.post('/v1/setup', async (_req, reply) => {
    try {
      return reply.type('application/json').send(setupDocument(await surface.runSetup()));
    } catch (e) {
      return apiError(reply, 500, 'Error executing setup', (e as Error).message);
    }
  });
  app.put('/v1/setup', (req, reply) => {
    const body = parseBody(req.body);
    if (!body.ok) return apiError(reply, 400, 'Error parsing request body', body.message);
    surface.setSetupData(body.value === undefined ? undefined : JSON.stringify(body.value));
    return reply.type('application/json').send(setupDocument(surface.setupData()));
  });
  app.post('/v1/teardown', async (_req, reply) => {
    try {
      await surface.runTeardown();
      return reply.code(200).send();
    } catch (e) {
      return apiError(reply, 500, 'Error executing teardown', (e as Error).message);
    }
  });

  await app.listen({ host, port });
  const bound = app.server.address();
  const actual = bound && typeof bound === 'object' ? bound.port : port;
  return {
    address: `${host.includes(':') ? `[${host}]` : host}:${actual}`,
    close: () => app.close(),
  };
}

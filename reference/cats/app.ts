// The national CATS node's HTTP server: Fastify with TypeBox schemas from
// reference/spec, one plugin per feature. Every rejection leaves through the
// error handler here in the one error shape; every 5xx is logged with its stack
// and request id, which the answer carries so that the two can be matched.
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawServerDefault,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IllegalTransitionError } from '../domain/movement.ts';
import type { ErrorCode, ErrorResponse } from '../spec/errors.ts';
import { BODY_LIMIT, type Role } from '../spec/routes.ts';
import type { NodeContext } from './context.ts';
import { auditPlugin } from './audit.ts';
import { authPlugin } from './auth.ts';
import { declarationsPlugin } from './declarations.ts';
import { fixturesPlugin } from './fixtures.ts';
import { guaranteesPlugin } from './guarantees.ts';
import { healthPlugin } from './health.ts';
import { metricsPlugin } from './metrics-plugin.ts';
import { movementsPlugin } from './movements.ts';
import { notificationsPlugin } from './notifications.ts';
import { operatorsPlugin } from './operators.ts';
import type { Principal } from './principal.ts';
import { Rejection } from './rejection.ts';
import { schemaErrors, type AjvError } from './schema-errors.ts';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    roles?: readonly Role[];
  }
}

function errorBody(code: ErrorCode, message: string, errors: ErrorResponse['errors'] = []): ErrorResponse {
  return { code, message, errors };
}

const byStatus: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

function toResponse(err: unknown, request: FastifyRequest): { status: number; body: ErrorResponse } {
  if (err instanceof Rejection) return { status: err.status, body: err.body() };
  if (err instanceof IllegalTransitionError) {
    return {
      status: 409,
      body: errorBody('ILLEGAL_TRANSITION', err.message, [
        { code: 'ILLEGAL_TRANSITION', pointer: '', message: err.message },
      ]),
    };
  }
  const e = err as {
    validation?: AjvError[];
    validationContext?: string;
    code?: string;
    statusCode?: number;
    message?: string;
  };
  if (e.validation) {
    const errors = schemaErrors(e.validation, e.validationContext ?? 'body');
    const where = e.validationContext === 'body' || !e.validationContext ? 'request body' : e.validationContext;
    return {
      status: 400,
      body: errorBody(
        'SCHEMA_VIOLATION',
        `${where} does not match the schema: ${errors[0]?.pointer || '/'} ${errors[0]?.message ?? ''}`.trim(),
        errors,
      ),
    };
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: errorBody(
          'BODY_TOO_LARGE',
          `request body over the limit of ${request.routeOptions.bodyLimit ?? BODY_LIMIT} bytes`,
        ),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: errorBody('UNSUPPORTED_MEDIA_TYPE', 'send application/json') };
  }
  if (err instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return {
      status: 400,
      body: errorBody('MALFORMED_JSON', `request body is not valid JSON: ${e.message ?? ''}`, [
        { code: 'MALFORMED_JSON', pointer: '', message: e.message ?? 'invalid JSON' },
      ]),
    };
  }
  const status = e.statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, body: errorBody(byStatus[status] ?? 'BAD_REQUEST', e.message ?? 'bad request') };
  }
  // The database refusing connections is an outage, not a fault of the request.
  if (e.code === 'ECONNREFUSED' || e.code === '57P01' || e.code === '53300') {
    return { status: 503, body: errorBody('SERVICE_UNAVAILABLE', 'database unavailable') };
  }
  return { status: 500, body: errorBody('INTERNAL_ERROR', 'internal error') };
}

/** A raw HTTP answer in the error shape, for sockets Fastify's router never saw a request on. */
function rawAnswer(status: number, reason: string, body: ErrorResponse): string {
  const json = JSON.stringify(body);
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
}

/** The charset parameter of a Content-Type header, lower-cased, if any. */
function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m?.[1]?.toLowerCase();
}

/** A Fastify path pattern (/v1/guarantees/:grn) as a regular expression over concrete paths. */
function pathPattern(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** JSON pointer of the first string (or key) that PostgreSQL cannot store, if any. */
function unstorableString(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  const bad = (s: string) => s.includes('\0') || LONE_SURROGATE.test(s);
  while (stack.length > 0) {
    const [v, pointer] = stack.pop()!;
    if (typeof v === 'string') {
      if (bad(v)) return pointer;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${pointer}/${i}`]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const at = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (bad(k)) return at;
        stack.push([item, at]);
      }
    }
  }
  return undefined;
}

export interface AppOptions {
  /** Log every request (info); without it only warnings and errors are logged. */
  logger?: boolean;
  /** Where log lines (JSON) go; standard output by default. */
  logStream?: NodeJS.WritableStream;
  /** Longest a client may take to send a whole request, headers and body (ms; default 10 000). */
  requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export async function buildApp(ctx: NodeContext, opts: AppOptions = {}): Promise<App> {
  const requestTimeout = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: {
      level: opts.logger ? 'info' : 'warn',
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    // Unique across instances behind one load balancer; the client quotes it from the answer.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
    // A client that trickles its headers or body (or never ends a chunked body) is cut off at
    // requestTimeout, checked at a tenth of it, so it cannot hold the node's sockets.
    requestTimeout,
    http: {
      headersTimeout: requestTimeout,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(requestTimeout / 10))),
    },
    // Requests too broken to reach Fastify's router (bad framing, oversized headers, too slow) still get the one error shape.
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) return void socket.destroy(err);
      const code = (err as { code?: string }).code;
      if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        return void socket.end(
          rawAnswer(
            408,
            'Request Timeout',
            errorBody('REQUEST_TIMEOUT', `request not received in full within ${requestTimeout} ms`),
          ),
        );
      }
      const tooLarge = code === 'HPE_HEADER_OVERFLOW';
      socket.end(
        rawAnswer(
          tooLarge ? 431 : 400,
          tooLarge ? 'Request Header Fields Too Large' : 'Bad Request',
          errorBody(tooLarge ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST', `malformed HTTP request: ${code ?? err.message}`),
        ),
      );
    },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, useDefaults: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  // JSON only; an empty body counts as none (body-less POSTs such as /release).
  app.removeContentTypeParser('text/plain');
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    // RFC 8259: JSON between systems is UTF-8; a body declared in another charset would be misread.
    const charset = charsetOf(req.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
      return done(
        new Rejection(415, 'UNSUPPORTED_MEDIA_TYPE', `send application/json in UTF-8, not charset=${charset}`),
        undefined,
      );
    if (body === '') return done(null, undefined);
    jsonParser(req, body as string, (err, parsed) => {
      if (err) return done(err, undefined);
      // PostgreSQL stores neither U+0000 nor lone surrogates; refuse them here rather than fail later.
      if ((body as string).includes('\\u')) {
        const bad = unstorableString(parsed);
        if (bad !== undefined)
          return done(
            new Rejection(400, 'SCHEMA_VIOLATION', 'strings may not contain U+0000 or unpaired surrogates', [
              { code: 'SCHEMA_VIOLATION', pointer: bad, message: 'contains U+0000 or an unpaired surrogate' },
            ]),
            undefined,
          );
      }
      done(null, parsed);
    });
  });

  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
  });
  app.addHook('onResponse', async (request, reply) => {
    // A refused WebSocket upgrade owns its socket outright: nothing else would ever close it.
    if (request.headers.upgrade && reply.statusCode >= 400) request.raw.socket?.destroy();
  });

  app.setErrorHandler((err, request, reply: FastifyReply) => {
    const { status, body } = toResponse(err, request);
    if (status >= 500) request.log.error({ err, requestId: request.id }, `${request.method} ${request.url}: ${status}`);
    void reply
      .status(status)
      .type('application/json')
      .send(JSON.stringify(status >= 500 ? { ...body, requestId: request.id } : body));
  });

  // Which methods each path has, so a known path asked with another method answers 405 with Allow.
  const routeMethods: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().map(String);
    routeMethods.push({ pattern: pathPattern(route.url ?? route.path), methods });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = [...new Set(routeMethods.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
    if (allowed.length > 0) {
      return void reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send(
          errorBody('METHOD_NOT_ALLOWED', `${path} does not take ${request.method}; it takes ${allowed.join(', ')}`),
        );
    }
    void reply.status(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${path}`));
  });

  await app.register(authPlugin, { ctx });
  await app.register(metricsPlugin, { ctx });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(healthPlugin, { ctx });
  await app.register(operatorsPlugin, { ctx });
  await app.register(guaranteesPlugin, { ctx });
  await app.register(declarationsPlugin, { ctx });
  await app.register(movementsPlugin, { ctx });
  await app.register(notificationsPlugin, { ctx });
  await app.register(fixturesPlugin, { ctx });
  await app.register(auditPlugin, { ctx });
  return app;
}
